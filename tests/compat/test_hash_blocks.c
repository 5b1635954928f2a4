// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The keeper of the blocks uthash tables let go (<iosim/hash_blocks.h>,
 * compat/lib/hash_blocks.c): which sizes it keeps, that it hands the kept
 * block back, that it keeps one of each and frees the rest (AddressSanitizer
 * and valgrind see a leak otherwise), and a real table that grows, empties
 * and fills again on the blocks it kept.  Every get is a call at the fault
 * site IOSIM_FAULT_HOST; IOSIM_HASH_ADD() (<iosim/hash_add.h>) keeps an
 * entry when the table cannot grow and reports a table it cannot create.
 */
#include "iosim_test.h"

#include <linux/kernel.h>
#include <iosim/fault.h>
#include <iosim/hash_blocks.h>

#define HOST		IOSIM_FAULT_SITE(IOSIM_FAULT_HOST)

static struct iosim_hash_blocks table_blocks;
static bool table_oom;
#define uthash_malloc(bytes)		iosim_hash_block_get(&table_blocks, (bytes))
#define uthash_free(block, bytes)	iosim_hash_block_put(&table_blocks, (block), (bytes))
#define HASH_NONFATAL_OOM		1
#define uthash_nonfatal_oom(elt)	(table_oom = true)
#include <uthash.h>
#include <iosim/hash_add.h>

#define NR_ITEMS	4000

struct item {
	int key;
	UT_hash_handle hh;
};

static size_t buckets_bytes(unsigned int level)
{
	return ((size_t)HASH_INITIAL_NUM_BUCKETS << level) * sizeof(UT_hash_bucket);
}

static bool keeper_empty(const struct iosim_hash_blocks *kb)
{
	unsigned int level;

	if (kb->table)
		return false;
	for (level = 0; level < IOSIM_HASH_BLOCK_LEVELS; level++)
		if (kb->buckets[level])
			return false;
	return true;
}

/* The sizes the keeper keeps: the table header, then each bucket array. */
static size_t kept_size(unsigned int i)
{
	return i ? buckets_bytes(i - 1) : sizeof(UT_hash_table);
}

static void *kept_slot(const struct iosim_hash_blocks *kb, unsigned int i)
{
	return i ? kb->buckets[i - 1] : kb->table;
}

#define NR_KEPT_SIZES	(1 + IOSIM_HASH_BLOCK_LEVELS)

static void test_each_size_uthash_uses_is_kept_and_handed_back(void **state)
{
	struct iosim_hash_blocks kb = { 0 };
	void *blocks[NR_KEPT_SIZES];
	unsigned int i, j;

	(void)state;
	for (i = 0; i < NR_KEPT_SIZES; i++) {
		blocks[i] = iosim_hash_block_get(&kb, kept_size(i));
		assert_non_null(blocks[i]);
		iosim_hash_block_put(&kb, blocks[i], kept_size(i));
		assert_ptr_equal(kept_slot(&kb, i), blocks[i]);
		/* The next block of that size is the kept one... */
		assert_ptr_equal(iosim_hash_block_get(&kb, kept_size(i)), blocks[i]);
		assert_null(kept_slot(&kb, i));
		iosim_hash_block_put(&kb, blocks[i], kept_size(i));
	}
	/* ...and every size keeps its own block. */
	for (i = 0; i < NR_KEPT_SIZES; i++) {
		assert_ptr_equal(kept_slot(&kb, i), blocks[i]);
		for (j = 0; j < i; j++)
			assert_ptr_not_equal(blocks[i], blocks[j]);
	}
	iosim_hash_blocks_release(&kb);
	assert_true(keeper_empty(&kb));
	/* Released, it works as a new one. */
	blocks[0] = iosim_hash_block_get(&kb, kept_size(0));
	assert_non_null(blocks[0]);
	iosim_hash_block_put(&kb, blocks[0], kept_size(0));
	assert_ptr_equal(kb.table, blocks[0]);
	iosim_hash_blocks_release(&kb);
	assert_true(keeper_empty(&kb));
}

/* One of each size is kept; another is freed (leak checkers see it if not). */
static void test_a_second_block_of_a_kept_size_is_freed(void **state)
{
	struct iosim_hash_blocks kb = { 0 };
	void *a, *b;

	(void)state;
	a = iosim_hash_block_get(&kb, kept_size(1));
	b = iosim_hash_block_get(&kb, kept_size(1));
	assert_non_null(a);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	iosim_hash_block_put(&kb, a, kept_size(1));
	iosim_hash_block_put(&kb, b, kept_size(1));
	assert_ptr_equal(kb.buckets[0], a);
	iosim_hash_blocks_release(&kb);
	assert_true(keeper_empty(&kb));
}

static void test_other_sizes_and_null_are_not_kept(void **state)
{
	const size_t sizes[] = {
		1, sizeof(UT_hash_table) + 1, buckets_bytes(0) / 2, buckets_bytes(0) + 1,
		buckets_bytes(IOSIM_HASH_BLOCK_LEVELS),
	};
	struct iosim_hash_blocks kb = { 0 };
	unsigned int i;
	void *block;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		block = iosim_hash_block_get(&kb, sizes[i]);
		assert_non_null(block);
		iosim_hash_block_put(&kb, block, sizes[i]);
		assert_true(keeper_empty(&kb));
	}
	for (i = 0; i < NR_KEPT_SIZES; i++) {
		iosim_hash_block_put(&kb, NULL, kept_size(i));
		assert_true(keeper_empty(&kb));
	}
}

/* Moving fills the receiver's empty slots and frees what it has no room for. */
static void test_move_hands_over_into_empty_slots_and_frees_the_rest(void **state)
{
	struct iosim_hash_blocks from = { 0 }, to = { 0 };
	void *blocks[NR_KEPT_SIZES], *held;
	unsigned int i;

	(void)state;
	for (i = 0; i < NR_KEPT_SIZES; i++) {
		blocks[i] = iosim_hash_block_get(&from, kept_size(i));
		assert_non_null(blocks[i]);
		iosim_hash_block_put(&from, blocks[i], kept_size(i));
	}
	/* The receiver already keeps a first bucket array: it keeps that one. */
	held = iosim_hash_block_get(&to, kept_size(1));
	iosim_hash_block_put(&to, held, kept_size(1));

	iosim_hash_blocks_move(&to, &from);
	assert_true(keeper_empty(&from));
	for (i = 0; i < NR_KEPT_SIZES; i++)
		assert_ptr_equal(kept_slot(&to, i), i == 1 ? held : blocks[i]);

	/* And back: an empty receiver takes everything. */
	iosim_hash_blocks_move(&from, &to);
	assert_true(keeper_empty(&to));
	for (i = 0; i < NR_KEPT_SIZES; i++)
		assert_ptr_equal(kept_slot(&from, i), i == 1 ? held : blocks[i]);
	/* An empty giver changes nothing. */
	iosim_hash_blocks_move(&from, &to);
	assert_ptr_equal(kept_slot(&from, 0), blocks[0]);
	iosim_hash_blocks_release(&from);
	assert_true(keeper_empty(&from));
}

/*
 * A table grows through several bucket arrays, empties (uthash frees all
 * its blocks: the keeper has them) and fills again on the kept blocks.
 */
static void test_a_table_that_empties_fills_again_on_its_kept_blocks(void **state)
{
	static struct item items[NR_ITEMS];
	struct item *head = NULL, *it, *tmp;
	unsigned int i, levels = 0, grown_buckets;
	UT_hash_table *first_table;

	(void)state;
	for (i = 0; i < NR_ITEMS; i++) {
		items[i].key = (int)i;
		HASH_ADD_INT(head, key, &items[i]);
	}
	assert_int_equal(HASH_COUNT(head), NR_ITEMS);
	grown_buckets = head->hh.tbl->num_buckets;
	/* It grew: 32 -> 64 -> ... -> grown_buckets, each array given back. */
	while ((HASH_INITIAL_NUM_BUCKETS << (levels + 1)) <= grown_buckets)
		levels++;
	assert_true(levels >= 2);
	assert_int_equal(HASH_INITIAL_NUM_BUCKETS << levels, grown_buckets);
	assert_true(levels < IOSIM_HASH_BLOCK_LEVELS);
	for (i = 0; i < levels; i++)
		assert_non_null(table_blocks.buckets[i]);
	assert_null(table_blocks.buckets[levels]);	/* in use */
	assert_null(table_blocks.table);
	first_table = head->hh.tbl;

	HASH_ITER(hh, head, it, tmp)
		HASH_DEL(head, it);
	assert_null(head);
	assert_ptr_equal(table_blocks.table, first_table);
	for (i = 0; i <= levels; i++)
		assert_non_null(table_blocks.buckets[i]);

	/* Filling again takes the kept header and the initial bucket array. */
	HASH_ADD_INT(head, key, &items[0]);
	assert_ptr_equal(head->hh.tbl, first_table);
	assert_null(table_blocks.table);
	assert_null(table_blocks.buckets[0]);
	for (i = 1; i < NR_ITEMS; i++)
		HASH_ADD_INT(head, key, &items[i]);
	for (i = 0; i < NR_ITEMS; i++) {
		HASH_FIND_INT(head, &items[i].key, it);
		assert_ptr_equal(it, &items[i]);
	}
	HASH_CLEAR(hh, head);
	iosim_hash_blocks_release(&table_blocks);
	assert_true(keeper_empty(&table_blocks));
}

/* A kept block or none, the get fails when the site says so; the kept block stays. */
static void test_every_get_is_a_host_fault_site(void **state)
{
	struct iosim_hash_blocks kb = { 0 };
	void *header = malloc(sizeof(UT_hash_table));

	(void)state;
	assert_non_null(header);
	iosim_hash_block_put(&kb, header, sizeof(UT_hash_table));
	iosim_fault_reset();
	iosim_fault_fail_nth(HOST, 1);
	assert_null(iosim_hash_block_get(&kb, sizeof(UT_hash_table)));
	assert_int_equal(iosim_fault_injected(), 1);
	assert_ptr_equal(kb.table, header);
	iosim_fault_fail_nth(HOST, 1);
	assert_null(iosim_hash_block_get(&kb, buckets_bytes(0)));
	assert_int_equal(iosim_fault_injected(), 1);
	iosim_fault_reset();
	assert_ptr_equal(iosim_hash_block_get(&kb, sizeof(UT_hash_table)), header);
	assert_int_equal(iosim_fault_calls(HOST), 1);
	free(header);
	assert_true(keeper_empty(&kb));
}

/* No table and none to be had: the entry is not added, nothing is left allocated. */
static void test_hash_add_reports_a_table_it_cannot_create(void **state)
{
	static struct item items[2] = { { .key = 1 }, { .key = 2 } };
	struct item *head = NULL, *found;
	unsigned long n;

	(void)state;
	/* The header's allocation, then the first bucket array's. */
	for (n = 1; n <= 2; n++) {
		iosim_fault_fail_nth(HOST, n);
		IOSIM_HASH_ADD(hh, head, key, sizeof(int), &items[0], table_oom);
		assert_true(table_oom);
		assert_null(head);
		assert_int_equal(iosim_fault_injected(), 1);
		iosim_fault_reset();
	}
	/* The header that was got before the buckets failed went back to the keeper. */
	assert_non_null(table_blocks.table);
	IOSIM_HASH_ADD(hh, head, key, sizeof(int), &items[0], table_oom);
	assert_false(table_oom);
	/* A table that holds an entry takes the next without allocating. */
	iosim_fault_fail_from(HOST, 1);
	IOSIM_HASH_ADD(hh, head, key, sizeof(int), &items[1], table_oom);
	assert_false(table_oom);
	assert_int_equal(iosim_fault_calls(HOST), 0);
	iosim_fault_reset();
	HASH_FIND_INT(head, &items[1].key, found);
	assert_ptr_equal(found, &items[1]);
	assert_int_equal(HASH_COUNT(head), 2);
	HASH_CLEAR(hh, head);
	iosim_hash_blocks_release(&table_blocks);
}

/*
 * Every growth failing: each entry is still added (its chain longer), the
 * bucket array stays the first; once the host gives memory again the table
 * grows on the next add.
 */
static void test_hash_add_keeps_entries_when_the_table_cannot_grow(void **state)
{
	static struct item items[NR_ITEMS];
	struct item *head = NULL, *it;
	unsigned int i;

	(void)state;
	for (i = 0; i < NR_ITEMS; i++)
		items[i].key = (int)i;
	IOSIM_HASH_ADD(hh, head, key, sizeof(int), &items[0], table_oom);
	assert_false(table_oom);
	iosim_fault_fail_from(HOST, 1);
	for (i = 1; i < NR_ITEMS - 1; i++) {
		IOSIM_HASH_ADD(hh, head, key, sizeof(int), &items[i], table_oom);
		assert_false(table_oom);
	}
	assert_true(iosim_fault_injected() > 0);
	assert_int_equal(head->hh.tbl->num_buckets, HASH_INITIAL_NUM_BUCKETS);
	assert_int_equal(head->hh.tbl->noexpand, 0);
	iosim_fault_reset();
	IOSIM_HASH_ADD(hh, head, key, sizeof(int), &items[NR_ITEMS - 1], table_oom);
	assert_false(table_oom);
	assert_true(head->hh.tbl->num_buckets > HASH_INITIAL_NUM_BUCKETS);
	assert_int_equal(HASH_COUNT(head), NR_ITEMS);
	for (i = 0; i < NR_ITEMS; i++) {
		HASH_FIND_INT(head, &items[i].key, it);
		assert_ptr_equal(it, &items[i]);
	}
	HASH_CLEAR(hh, head);
	iosim_hash_blocks_release(&table_blocks);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_size_uthash_uses_is_kept_and_handed_back),
		cmocka_unit_test(test_a_second_block_of_a_kept_size_is_freed),
		cmocka_unit_test(test_other_sizes_and_null_are_not_kept),
		cmocka_unit_test(test_move_hands_over_into_empty_slots_and_frees_the_rest),
		cmocka_unit_test(test_a_table_that_empties_fills_again_on_its_kept_blocks),
		cmocka_unit_test(test_every_get_is_a_host_fault_site),
		cmocka_unit_test(test_hash_add_reports_a_table_it_cannot_create),
		cmocka_unit_test(test_hash_add_keeps_entries_when_the_table_cannot_grow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
