// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The scatterlist core: the inline entry helpers (page, buffer, chain and
 * end bits), sg_next/sg_nents/sg_nents_for_len/sg_last over hand-built
 * chains of every interesting size, sg_init_table/sg_init_one, every misuse
 * the kernel would BUG or crash on, and the sanity checker <iosim/sg.h>
 * against each kind of corruption.
 */
#include "ram_fixture.h"
#include "test_rng.h"

#include "iosim_test.h"

#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <iosim/ram.h>
#include <iosim/sg.h>
#include <iosim/warn.h>

#define assert_sg_ok(sgl, n)	assert_int_equal(iosim_sg_check((sgl), (n)), 0)
#define assert_sgt_ok(sgt)	assert_int_equal(iosim_sg_table_check(sgt), 0)

/* --- fixture: simulated RAM around every test ---------------------------------- */

#define SG_TEST(fn)	IOSIM_TEST_RAM(fn)

/* --- helpers --------------------------------------------------------------------- */

static struct page *alloc_block(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL, order);

	assert_non_null(page);
	return page;
}

/*
 * A list of @nents entries built by hand from arrays chained with
 * sg_chain(): each array but the last spends its last slot on the link.
 * @chunk_max 0 picks random array sizes (2..9 slots), otherwise every array
 * has @chunk_max slots, as sg_alloc_table() would make them.
 */
struct hand_list {
	struct scatterlist *arrays[16384];
	unsigned int nr_arrays;
	struct scatterlist **entry;	/* where entry i must be */
	unsigned int nents;
};

static struct hand_list *hand_list_build(unsigned int nents, unsigned int chunk_max)
{
	struct hand_list *hl = calloc(1, sizeof(*hl));
	struct scatterlist *prev = NULL;
	unsigned int prev_slots = 0, left = nents, i = 0;

	assert_non_null(hl);
	hl->entry = calloc(nents, sizeof(*hl->entry));
	assert_non_null(hl->entry);
	hl->nents = nents;
	while (left) {
		unsigned int slots = chunk_max ? chunk_max : 2 + rng_below(8);
		bool final = left <= slots;
		unsigned int used, j;
		struct scatterlist *arr;

		if (final)
			slots = left;
		used = final ? slots : slots - 1;
		arr = calloc(slots, sizeof(*arr));
		assert_non_null(arr);
		assert_true(hl->nr_arrays < ARRAY_SIZE(hl->arrays));
		hl->arrays[hl->nr_arrays++] = arr;
		sg_init_table(arr, slots);
		if (prev)
			sg_chain(prev, prev_slots, arr);
		for (j = 0; j < used; j++)
			hl->entry[i++] = &arr[j];
		left -= used;
		prev = arr;
		prev_slots = slots;
	}
	assert_int_equal(i, nents);
	return hl;
}

static void hand_list_free(struct hand_list *hl)
{
	unsigned int i;

	for (i = 0; i < hl->nr_arrays; i++)
		free(hl->arrays[i]);
	free(hl->entry);
	free(hl);
}

/* Give entry i a page of @pool (8 pages), an offset and a length derived from i. */
static unsigned int entry_len(unsigned int i)
{
	return 1 + i % 251;
}

static unsigned int entry_offset(unsigned int i)
{
	return (i * 7) % PAGE_SIZE;
}

static void hand_list_fill(struct hand_list *hl, struct page *pool)
{
	unsigned int i;

	for (i = 0; i < hl->nents; i++)
		sg_set_page(hl->entry[i], pool + i % 7, entry_len(i), entry_offset(i));
}

/* --- the entry helpers ------------------------------------------------------------ */

static void test_sg_init_table_clears_entries_and_marks_only_the_last(void **state)
{
	struct scatterlist sg[5];
	unsigned int i;

	(void)state;
	memset(sg, 0x5a, sizeof(sg));
	sg_init_table(sg, 5);
	for (i = 0; i < 5; i++) {
		assert_int_equal(sg[i].page_link, i == 4 ? SG_END : 0);
		assert_int_equal(sg[i].offset, 0);
		assert_int_equal(sg[i].length, 0);
		assert_int_equal(sg_dma_address(&sg[i]), 0);
		assert_int_equal(sg_dma_len(&sg[i]), 0);
		assert_null(sg_page(&sg[i]));
	}
	assert_true(sg_is_last(&sg[4]));
	assert_false(sg_is_last(&sg[3]));
	assert_int_equal(sg_nents(sg), 5);
	assert_sg_ok(sg, 5);
}

static void test_sg_init_table_of_zero_entries_warns_and_writes_nothing(void **state)
{
	struct scatterlist sg[2];

	(void)state;
	memset(sg, 0x5a, sizeof(sg));
	sg_init_table(&sg[1], 0);
	assert_warned("sg_init_table: empty table");
	assert_int_equal(sg[0].offset, 0x5a5a5a5a);
	assert_int_equal(sg[1].offset, 0x5a5a5a5a);
	sg_init_marker(sg, 0);
	assert_warned("sg_init_marker: empty list");
}

static void test_sg_init_marker_marks_the_last_entry_only(void **state)
{
	struct scatterlist sg[3];

	(void)state;
	memset(sg, 0, sizeof(sg));
	sg_init_marker(sg, 3);
	assert_false(sg_is_last(&sg[0]));
	assert_false(sg_is_last(&sg[1]));
	assert_true(sg_is_last(&sg[2]));
}

static void test_sg_set_page_keeps_the_end_bit_and_allows_offsets_past_the_page(void **state)
{
	struct page *block = alloc_block(2);
	struct scatterlist sg[2];

	(void)state;
	sg_init_table(sg, 2);
	sg_set_page(&sg[1], block, 100, PAGE_SIZE + 12);
	assert_ptr_equal(sg_page(&sg[1]), block);
	assert_true(sg_is_last(&sg[1]));
	assert_false(sg_is_chain(&sg[1]));
	assert_int_equal(sg[1].length, 100);
	assert_int_equal(sg[1].offset, PAGE_SIZE + 12);
	/* sg_phys/sg_virt add the offset to the block's start, not the page's. */
	assert_int_equal(sg_phys(&sg[1]), page_to_phys(block) + PAGE_SIZE + 12);
	assert_ptr_equal(sg_virt(&sg[1]), (char *)page_address(block) + PAGE_SIZE + 12);

	/* Reassigning the page keeps the bits; sg_assign_page leaves offset/length. */
	sg_assign_page(&sg[1], block + 3);
	assert_ptr_equal(sg_page(&sg[1]), block + 3);
	assert_true(sg_is_last(&sg[1]));
	assert_int_equal(sg[1].length, 100);
	sg_assign_page(&sg[1], NULL);
	assert_null(sg_page(&sg[1]));
	assert_true(sg_is_last(&sg[1]));
	assert_sg_ok(sg, 2);
	__free_pages(block, 2);
}

static void test_sg_assign_page_refuses_a_pointer_with_low_bits_set(void **state)
{
	struct page *page = alloc_block(0);
	struct scatterlist sg;

	(void)state;
	sg_init_table(&sg, 1);
	sg_set_page(&sg, page, 10, 20);
	sg_set_page(&sg, (struct page *)((char *)page + 2), 30, 40);
	assert_warned("has its low bits set");
	assert_ptr_equal(sg_page(&sg), page);
	assert_int_equal(sg.length, 10);
	assert_int_equal(sg.offset, 20);
	sg_assign_page(&sg, (struct page *)((char *)page + 1));
	assert_warned("has its low bits set");
	assert_ptr_equal(sg_page(&sg), page);
	assert_true(sg_is_last(&sg));
	__free_page(page);
}

static void test_sg_set_page_on_a_chain_entry_warns_and_keeps_the_link(void **state)
{
	struct scatterlist a[2], b[1];
	struct page *page = alloc_block(0);
	unsigned long link;

	(void)state;
	sg_init_table(a, 2);
	sg_init_table(b, 1);
	sg_chain(a, 2, b);
	link = a[1].page_link;
	sg_set_page(&a[1], page, 1, 2);
	assert_warned("is a chain entry");
	sg_assign_page(&a[1], page);
	assert_warned("is a chain entry");
	assert_int_equal(a[1].page_link, link);
	assert_int_equal(a[1].length, 0);
	assert_null(sg_page(&a[1]));
	assert_warned("sg_page: entry");
	assert_ptr_equal(sg_next(&a[0]), &b[0]);
	__free_page(page);
}

static void test_sg_set_buf_and_sg_init_one_describe_a_linear_map_buffer(void **state)
{
	struct page *block = alloc_block(1);
	char *buf = (char *)page_address(block) + PAGE_SIZE - 5;
	struct scatterlist sg;

	(void)state;
	memset(&sg, 0xff, sizeof(sg));
	sg_init_one(&sg, buf, 17);
	assert_ptr_equal(sg_page(&sg), block);
	assert_int_equal(sg.offset, PAGE_SIZE - 5);
	assert_int_equal(sg.length, 17);
	assert_true(sg_is_last(&sg));
	assert_int_equal(sg_dma_address(&sg), 0);
	assert_ptr_equal(sg_virt(&sg), buf);
	assert_int_equal(sg_phys(&sg), virt_to_phys(buf));
	assert_sg_ok(&sg, 1);

	sg_set_buf(&sg, buf + 10, 3);
	assert_ptr_equal(sg_page(&sg), block + 1);
	assert_int_equal(sg.offset, 5);
	assert_ptr_equal(sg_virt(&sg), buf + 10);
	__free_pages(block, 1);
}

static void test_sg_set_buf_outside_simulated_ram_warns_and_leaves_no_page(void **state)
{
	static char not_ram[64];
	struct scatterlist sg;

	(void)state;
	sg_init_one(&sg, not_ram, sizeof(not_ram));
	assert_warned("virt_to_page");
	assert_null(sg_page(&sg));
	assert_null(sg_virt(&sg));
	assert_warned("page_address");
	assert_int_equal(sg_phys(&sg), offset_in_page(not_ram));
	assert_warned("page_to_phys");
}

static void test_sg_chain_links_arrays_and_clears_the_link_entry(void **state)
{
	struct scatterlist a[3], b[2];
	struct page *page = alloc_block(0);

	(void)state;
	sg_init_table(a, 3);
	sg_init_table(b, 2);
	/* The link slot had data and the end bit: both go. */
	sg_set_page(&a[2], page, 99, 7);
	sg_dma_address(&a[2]) = 0x1234;
	sg_chain(a, 3, b);
	assert_true(sg_is_chain(&a[2]));
	assert_false(sg_is_last(&a[2]));
	assert_ptr_equal(sg_chain_ptr(&a[2]), b);
	assert_int_equal(a[2].offset, 0);
	assert_int_equal(a[2].length, 0);
	assert_ptr_equal(sg_next(&a[0]), &a[1]);
	assert_ptr_equal(sg_next(&a[1]), &b[0]);
	assert_ptr_equal(sg_next(&b[0]), &b[1]);
	assert_null(sg_next(&b[1]));
	assert_int_equal(sg_nents(a), 4);
	assert_sg_ok(a, 4);
	__free_page(page);
}

static void test_sg_chain_misuse_warns_and_changes_nothing(void **state)
{
	struct scatterlist a[2], b[1], copy[2];

	(void)state;
	sg_init_table(a, 2);
	sg_init_table(b, 1);
	memcpy(copy, a, sizeof(a));
	sg_chain(a, 0, b);
	assert_warned("no entry to turn into the chain entry");
	sg_chain(a, 2, NULL);
	assert_warned("bad next array");
	sg_chain(a, 2, (struct scatterlist *)((char *)b + 1));
	assert_warned("bad next array");
	assert_memory_equal(a, copy, sizeof(a));
}

static void test_sg_mark_end_clears_the_chain_bit_and_unmark_end_reopens(void **state)
{
	struct scatterlist a[3], b[1];

	(void)state;
	sg_init_table(a, 3);
	sg_init_table(b, 1);
	sg_chain(a, 3, b);
	/* Marking the link slot as the end turns it back into a (last) entry. */
	sg_mark_end(&a[2]);
	assert_true(sg_is_last(&a[2]));
	assert_false(sg_is_chain(&a[2]));
	assert_int_equal(sg_nents(a), 3);

	sg_mark_end(&a[0]);
	assert_int_equal(sg_nents(a), 1);
	sg_unmark_end(&a[0]);
	assert_false(sg_is_last(&a[0]));
	assert_int_equal(sg_nents(a), 3);

	sg_mark_end(NULL);
	assert_warned("sg_mark_end: NULL entry");
	sg_unmark_end(NULL);
	assert_warned("sg_unmark_end: NULL entry");
}

static void test_sg_next_of_null_warns_and_returns_null(void **state)
{
	(void)state;
	assert_null(sg_next(NULL));
	assert_warned("sg_next: NULL entry");
	assert_int_equal(sg_nents(NULL), 0);
	assert_int_equal(sg_nents_for_len(NULL, 0), 0);
	assert_int_equal(sg_nents_for_len(NULL, 1), -EINVAL);
}

/* --- walking chains of every size --------------------------------------------------- */

/* Every walker agrees with where the entries were put, and the checker is happy. */
static void check_hand_list_walks(struct hand_list *hl)
{
	unsigned int n = hl->nents, i, count;
	struct scatterlist *sgl = hl->entry[0], *sg;
	u64 total_len = 0, prefix_len = 0;

	assert_sg_ok(sgl, n);

	for_each_sg(sgl, sg, n, i) {
		assert_ptr_equal(sg, hl->entry[i]);
		assert_int_equal(sg->length, entry_len(i));
		assert_int_equal(sg->offset, entry_offset(i));
		total_len += sg->length;
	}

	count = 0;
	for (sg = sgl; sg; sg = sg_next(sg)) {
		assert_true(count < n);
		assert_ptr_equal(sg, hl->entry[count]);
		count++;
	}
	assert_int_equal(count, n);
	assert_int_equal(sg_nents(sgl), n);

	assert_ptr_equal(sg_last(sgl, n), hl->entry[n - 1]);
	assert_ptr_equal(sg_last(sgl, 1), hl->entry[0]);
	assert_ptr_equal(sg_last(sgl, (n + 1) / 2), hl->entry[(n + 1) / 2 - 1]);
	assert_null(sg_last(sgl, 0));
	/* sg_last() from an entry in the middle counts from there. */
	assert_ptr_equal(sg_last(hl->entry[n / 2], n - n / 2), hl->entry[n - 1]);

	/* sg_nents_for_len: the entry whose end first reaches len. */
	assert_int_equal(sg_nents_for_len(sgl, total_len), n);
	assert_int_equal(sg_nents_for_len(sgl, total_len + 1), -EINVAL);
	assert_int_equal(sg_nents_for_len(sgl, 1), 1);
	for (i = 0; i < n; i++) {
		prefix_len += entry_len(i);
		if (i % (1 + n / 13) == 0) {
			assert_int_equal(sg_nents_for_len(sgl, prefix_len), i + 1);
			assert_int_equal(sg_nents_for_len(sgl, prefix_len + 1),
					 i + 1 < n ? (int)(i + 2) : -EINVAL);
		}
	}

	/* The checker counts exactly: one entry less or more is wrong. */
	if (n > 1) {
		assert_int_equal(iosim_sg_check(sgl, n - 1), -EUCLEAN);
		assert_warned("last entry");
	}
	assert_int_equal(iosim_sg_check(sgl, n + 1), -EUCLEAN);
	assert_warned("end marker on entry");
}

static void walk_hand_lists_of_sizes(unsigned int chunk_max)
{
	const unsigned int sizes[] = {
		1, 2, SG_MAX_SINGLE_ALLOC - 1, SG_MAX_SINGLE_ALLOC, SG_MAX_SINGLE_ALLOC + 1,
		2 * SG_MAX_SINGLE_ALLOC - 1, 10000,
	};
	struct page *pool = alloc_block(3);
	unsigned int s;

	rng_state = 42;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		struct hand_list *hl = hand_list_build(sizes[s], chunk_max);

		hand_list_fill(hl, pool);
		check_hand_list_walks(hl);
		hand_list_free(hl);
	}
	__free_pages(pool, 3);
}

static void test_hand_chains_in_page_sized_arrays_walk_in_order(void **state)
{
	(void)state;
	walk_hand_lists_of_sizes(SG_MAX_SINGLE_ALLOC);
}

static void test_hand_chains_in_random_small_arrays_walk_in_order(void **state)
{
	(void)state;
	walk_hand_lists_of_sizes(0);
}

static void test_hand_chains_of_two_slot_arrays_walk_in_order(void **state)
{
	(void)state;
	/* Every other slot is a link: the densest chain possible. */
	walk_hand_lists_of_sizes(2);
}

static void test_sg_last_past_the_end_of_the_list_warns_and_returns_the_last(void **state)
{
	struct scatterlist sg[4];

	(void)state;
	sg_init_table(sg, 4);
	assert_ptr_equal(sg_last(sg, 4), &sg[3]);
	assert_ptr_equal(sg_last(sg, 9), &sg[3]);
	assert_warned("sg_last: list ends after 4 of 9 entries");
}

static void test_sg_nents_for_len_skips_empty_entries_and_counts_them(void **state)
{
	struct page *page = alloc_block(0);
	struct scatterlist sg[4];

	(void)state;
	sg_init_table(sg, 4);
	sg_set_page(&sg[0], page, 0, 0);
	sg_set_page(&sg[1], page, 10, 0);
	sg_set_page(&sg[2], page, 0, 0);
	sg_set_page(&sg[3], page, 5, 100);
	assert_int_equal(sg_nents_for_len(sg, 0), 0);
	assert_int_equal(sg_nents_for_len(sg, 1), 2);
	assert_int_equal(sg_nents_for_len(sg, 10), 2);
	assert_int_equal(sg_nents_for_len(sg, 11), 4);
	assert_int_equal(sg_nents_for_len(sg, 15), 4);
	assert_int_equal(sg_nents_for_len(sg, 16), -EINVAL);
	/* u64 lengths beyond 4 GiB are fine. */
	assert_int_equal(sg_nents_for_len(sg, 1ULL << 33), -EINVAL);
	__free_page(page);
}

/* --- the sanity checker ---------------------------------------------------------------- */

static void test_sg_check_accepts_empty_fresh_and_offset_past_page_entries(void **state)
{
	struct page *block = alloc_block(2);
	struct scatterlist sg[3];
	struct sg_table sgt = { 0 };

	(void)state;
	assert_sg_ok(NULL, 0);
	assert_sgt_ok(&sgt);
	sgt.nents = 7;	/* stale, as the kernel leaves it after sg_free_table() */
	assert_sgt_ok(&sgt);

	sg_init_table(sg, 3);
	assert_sg_ok(sg, 3);
	/* Offsets are not limited to a page; empty entries are fine. */
	sg_set_page(&sg[0], block, 3 * PAGE_SIZE - 10, PAGE_SIZE + 10);
	sg_set_page(&sg[1], block + 3, 0, 5 * PAGE_SIZE);
	sg_set_page(&sg[2], block + 3, PAGE_SIZE, 0);
	assert_sg_ok(sg, 3);
	sgt.sgl = sg;
	sgt.orig_nents = 3;
	sgt.nents = 2;
	assert_sgt_ok(&sgt);
	__free_pages(block, 2);
}

static void test_sg_check_reports_a_missing_or_early_end_marker(void **state)
{
	struct scatterlist sg[3];

	(void)state;
	sg_init_table(sg, 3);
	sg_unmark_end(&sg[2]);
	assert_int_equal(iosim_sg_check(sg, 3), -EUCLEAN);
	assert_warned("last entry 2 has no end marker");
	sg_mark_end(&sg[2]);
	sg_mark_end(&sg[1]);
	assert_int_equal(iosim_sg_check(sg, 3), -EUCLEAN);
	assert_warned("end marker on entry 1, expected on entry 2");
}

static void test_sg_check_reports_broken_chain_entries(void **state)
{
	struct scatterlist a[3], b[2], c[2];

	(void)state;
	sg_init_table(a, 3);
	sg_init_table(b, 2);
	sg_init_table(c, 2);
	sg_chain(a, 3, b);
	assert_sg_ok(a, 4);

	/* Both bits on the link. */
	a[2].page_link |= SG_END;
	assert_int_equal(iosim_sg_check(a, 4), -EUCLEAN);
	assert_warned("also has the end bit");
	a[2].page_link &= ~SG_END;

	/* A link carrying data. */
	a[2].length = 5;
	assert_int_equal(iosim_sg_check(a, 4), -EUCLEAN);
	assert_warned("carries offset 0 length 0x5");
	a[2].length = 0;

	/* A link to NULL, and to a misaligned address. */
	a[2].page_link = SG_CHAIN;
	assert_int_equal(iosim_sg_check(a, 4), -EUCLEAN);
	assert_warned("links to");
	a[2].page_link = ((unsigned long)b + 4) | SG_CHAIN;
	assert_int_equal(iosim_sg_check(a, 4), -EUCLEAN);
	assert_warned("links to");

	/* A link to another link: sg_next() follows only one. */
	sg_chain(c, 1, b);
	sg_chain(a, 3, c);
	assert_int_equal(iosim_sg_check(a, 4), -EUCLEAN);
	assert_warned("links to another chain entry");

	/* The first entry may not be a link. */
	assert_int_equal(iosim_sg_check(c, 2), -EUCLEAN);
	assert_warned("entry 0 is a chain entry");
}

static void test_sg_check_reports_pages_and_ranges_outside_ram(void **state)
{
	struct page *block = alloc_block(0);
	struct page *last = pfn_to_page((unsigned long)((iosim_ram_base_phys() +
							iosim_ram_size()) >> PAGE_SHIFT) - 1);
	static struct page fake_page;
	struct scatterlist sg[2];

	(void)state;
	sg_init_table(sg, 2);
	sg_set_page(&sg[0], &fake_page, 10, 0);
	assert_int_equal(iosim_sg_check(sg, 2), -EUCLEAN);
	assert_warned("entry 0: page");

	sg_set_page(&sg[0], block, 10, 0);
	/* The last frame of RAM: a length that runs past it is outside RAM. */
	sg_set_page(&sg[1], last, PAGE_SIZE, 0);
	assert_sg_ok(sg, 2);
	sg_set_page(&sg[1], last, PAGE_SIZE, 1);
	assert_int_equal(iosim_sg_check(sg, 2), -EUCLEAN);
	assert_warned("entry 1: [");
	sg_set_page(&sg[1], last, 1, PAGE_SIZE);
	assert_int_equal(iosim_sg_check(sg, 2), -EUCLEAN);
	assert_warned("runs outside simulated RAM");
	/* An empty entry describes nothing, wherever its offset points. */
	sg_set_page(&sg[1], last, 0, PAGE_SIZE);
	assert_sg_ok(sg, 2);
	__free_page(block);
}

static void test_sg_check_reports_a_bad_list_pointer_or_count(void **state)
{
	struct scatterlist sg[1];

	(void)state;
	sg_init_table(sg, 1);
	assert_int_equal(iosim_sg_check(NULL, 1), -EUCLEAN);
	assert_warned("list (nil) with 1 entries");
	assert_int_equal(iosim_sg_check(sg, 0), -EUCLEAN);
	assert_warned("with 0 entries");
	assert_int_equal(iosim_sg_check((struct scatterlist *)((char *)sg + 2), 1), -EUCLEAN);
	assert_warned("is misaligned");
}

static void test_sg_table_check_reports_inconsistent_headers(void **state)
{
	struct scatterlist sg[2];
	struct sg_table sgt;

	(void)state;
	sg_init_table(sg, 2);
	assert_int_equal(iosim_sg_table_check(NULL), -EUCLEAN);
	assert_warned("NULL table");

	sgt = (struct sg_table){ .sgl = NULL, .orig_nents = 2 };
	assert_int_equal(iosim_sg_table_check(&sgt), -EUCLEAN);
	assert_warned("no list, but orig_nents 2");

	sgt = (struct sg_table){ .sgl = sg, .orig_nents = 0 };
	assert_int_equal(iosim_sg_table_check(&sgt), -EUCLEAN);
	assert_warned("but orig_nents 0");

	sgt = (struct sg_table){ .sgl = sg, .orig_nents = 2, .nents = 3 };
	assert_int_equal(iosim_sg_table_check(&sgt), -EUCLEAN);
	assert_warned("nents 3 > orig_nents 2");

	/* orig_nents must match the list: this one has 2 entries. */
	sgt = (struct sg_table){ .sgl = sg, .orig_nents = 1, .nents = 1 };
	assert_int_equal(iosim_sg_table_check(&sgt), -EUCLEAN);
	assert_warned("last entry 0 has no end marker");
}

static void test_sg_check_caps_its_reports_but_counts_every_problem(void **state)
{
	static struct page fake_page;
	struct scatterlist sg[20];
	unsigned int i;

	(void)state;
	sg_init_table(sg, 20);
	for (i = 0; i < 20; i++)
		sg_set_page(&sg[i], &fake_page, 1, 0);
	iosim_warn_reset();
	assert_int_equal(iosim_sg_check(sg, 20), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 8);
	assert_warned("not a page of simulated RAM");
}

static void test_sg_page_valid_knows_mem_map_only(void **state)
{
	struct page *first = pfn_to_page((unsigned long)(iosim_ram_base_phys() >> PAGE_SHIFT));
	unsigned long nr = iosim_ram_nr_pages();
	static struct page fake_page;

	(void)state;
	assert_true(iosim_sg_page_valid(first));
	assert_true(iosim_sg_page_valid(first + nr - 1));
	assert_false(iosim_sg_page_valid(first + nr));
	assert_false(iosim_sg_page_valid(first - 1));
	assert_false(iosim_sg_page_valid((struct page *)((char *)first + 8)));
	assert_false(iosim_sg_page_valid(&fake_page));
	assert_false(iosim_sg_page_valid(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SG_TEST(test_sg_init_table_clears_entries_and_marks_only_the_last),
		SG_TEST(test_sg_init_table_of_zero_entries_warns_and_writes_nothing),
		SG_TEST(test_sg_init_marker_marks_the_last_entry_only),
		SG_TEST(test_sg_set_page_keeps_the_end_bit_and_allows_offsets_past_the_page),
		SG_TEST(test_sg_assign_page_refuses_a_pointer_with_low_bits_set),
		SG_TEST(test_sg_set_page_on_a_chain_entry_warns_and_keeps_the_link),
		SG_TEST(test_sg_set_buf_and_sg_init_one_describe_a_linear_map_buffer),
		SG_TEST(test_sg_set_buf_outside_simulated_ram_warns_and_leaves_no_page),
		SG_TEST(test_sg_chain_links_arrays_and_clears_the_link_entry),
		SG_TEST(test_sg_chain_misuse_warns_and_changes_nothing),
		SG_TEST(test_sg_mark_end_clears_the_chain_bit_and_unmark_end_reopens),
		SG_TEST(test_sg_next_of_null_warns_and_returns_null),
		SG_TEST(test_hand_chains_in_page_sized_arrays_walk_in_order),
		SG_TEST(test_hand_chains_in_random_small_arrays_walk_in_order),
		SG_TEST(test_hand_chains_of_two_slot_arrays_walk_in_order),
		SG_TEST(test_sg_last_past_the_end_of_the_list_warns_and_returns_the_last),
		SG_TEST(test_sg_nents_for_len_skips_empty_entries_and_counts_them),
		SG_TEST(test_sg_check_accepts_empty_fresh_and_offset_past_page_entries),
		SG_TEST(test_sg_check_reports_a_missing_or_early_end_marker),
		SG_TEST(test_sg_check_reports_broken_chain_entries),
		SG_TEST(test_sg_check_reports_pages_and_ranges_outside_ram),
		SG_TEST(test_sg_check_reports_a_bad_list_pointer_or_count),
		SG_TEST(test_sg_table_check_reports_inconsistent_headers),
		SG_TEST(test_sg_check_caps_its_reports_but_counts_every_problem),
		SG_TEST(test_sg_page_valid_knows_mem_map_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
