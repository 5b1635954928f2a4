// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * genalloc: first-fit allocation in units, the other algorithms
 * (gen_pool_set_algo(): order-aligned first fit, best fit, a caller's own),
 * chunk order, virt_to_phys,
 * addr_in_gen_pool, avail/size accounting, for_each_chunk, misuse WARNed
 * without damage, destroy of a busy pool, allocation-failure sweeps, the
 * checker against corruption, and concurrent users.
 */
#include <linux/kernel.h>
#include "iosim_test.h"

#include <pthread.h>

#include <linux/genalloc.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <iosim/fault.h>
#include <iosim/genalloc.h>
#include <iosim/live.h>

#define BASE	0x100000UL
#define PHYS	0x880000000ULL

static void test_gen_pool_alloc_is_first_fit_in_units(void **state)
{
	struct gen_pool *pool = gen_pool_create(4, -1);	/* 16-byte units */
	unsigned long a, b, c, d;

	(void)state;
	assert_non_null(pool);
	assert_int_equal(gen_pool_add(pool, BASE, 256, -1), 0);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	assert_int_equal(gen_pool_size(pool), 256);
	assert_int_equal(gen_pool_avail(pool), 256);

	a = gen_pool_alloc(pool, 1);		/* one unit */
	b = gen_pool_alloc(pool, 17);		/* two units */
	c = gen_pool_alloc(pool, 16);
	assert_int_equal(a, BASE);
	assert_int_equal(b, BASE + 16);
	assert_int_equal(c, BASE + 48);
	assert_int_equal(gen_pool_avail(pool), 256 - 64);
	assert_int_equal(iosim_gen_pool_check(pool), 0);

	/* The hole left by b is reused by the first request that fits it. */
	gen_pool_free(pool, b, 17);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	d = gen_pool_alloc(pool, 48);		/* 3 units: does not fit in b's 2 */
	assert_int_equal(d, BASE + 64);
	assert_int_equal(gen_pool_alloc(pool, 32), BASE + 16);
	assert_int_equal(iosim_gen_pool_check(pool), 0);

	gen_pool_free(pool, a, 1);
	gen_pool_free(pool, BASE + 16, 32);
	gen_pool_free(pool, c, 16);
	gen_pool_free(pool, d, 48);
	assert_int_equal(gen_pool_avail(pool), 256);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	gen_pool_destroy(pool);
}

static void test_gen_pool_alloc_fails_with_zero_when_nothing_fits(void **state)
{
	struct gen_pool *pool = gen_pool_create(PAGE_SHIFT, -1);

	(void)state;
	assert_non_null(pool);
	assert_int_equal(gen_pool_alloc(pool, PAGE_SIZE), 0);	/* no chunk */
	assert_int_equal(gen_pool_add(pool, BASE, 4 * PAGE_SIZE, -1), 0);
	assert_int_equal(gen_pool_alloc(pool, 0), 0);
	assert_int_equal(gen_pool_alloc(pool, 5 * PAGE_SIZE), 0);
	assert_int_equal(gen_pool_alloc(pool, 4 * PAGE_SIZE), BASE);
	assert_int_equal(gen_pool_alloc(pool, 1), 0);
	assert_int_equal(gen_pool_avail(pool), 0);
	assert_int_equal(gen_pool_alloc(NULL, 1), 0);
	gen_pool_free(pool, BASE, 4 * PAGE_SIZE);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	gen_pool_destroy(pool);
}

static void test_gen_pool_searches_the_newest_chunk_first(void **state)
{
	struct gen_pool *pool = gen_pool_create(8, -1);

	(void)state;
	assert_non_null(pool);
	assert_int_equal(gen_pool_add_virt(pool, BASE, PHYS, 1024, -1), 0);
	assert_int_equal(gen_pool_add_virt(pool, 2 * BASE, PHYS + 0x10000, 512, -1), 0);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	assert_int_equal(gen_pool_size(pool), 1536);
	assert_int_equal(gen_pool_alloc(pool, 256), 2 * BASE);
	/* Too big for the newer chunk's remaining 256: the older one serves it. */
	assert_int_equal(gen_pool_alloc(pool, 512), BASE);
	assert_int_equal(gen_pool_avail(pool), 1536 - 768);
	gen_pool_free(pool, 2 * BASE, 256);
	gen_pool_free(pool, BASE, 512);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	gen_pool_destroy(pool);
}

static void test_gen_pool_translates_addresses_to_phys(void **state)
{
	struct gen_pool *pool = gen_pool_create(5, -1);
	dma_addr_t dma = 0;
	void *cpu;

	(void)state;
	assert_non_null(pool);
	assert_int_equal(gen_pool_add_virt(pool, BASE, PHYS, 4096, -1), 0);
	assert_int_equal(gen_pool_add(pool, 3 * BASE, 4096, -1), 0);
	assert_int_equal(gen_pool_virt_to_phys(pool, BASE + 100), PHYS + 100);
	assert_int_equal(gen_pool_virt_to_phys(pool, BASE + 4095), PHYS + 4095);
	assert_int_equal(gen_pool_virt_to_phys(pool, BASE + 4096), (phys_addr_t)-1);
	assert_int_equal(gen_pool_virt_to_phys(pool, BASE - 1), (phys_addr_t)-1);
	assert_int_equal(gen_pool_virt_to_phys(pool, 3 * BASE), (phys_addr_t)-1);
	assert_int_equal(gen_pool_virt_to_phys(pool, 3 * BASE + 1), 0);

	/* The newest chunk (no phys) serves first; then the one with phys. */
	assert_int_equal(gen_pool_alloc(pool, 4096), 3 * BASE);
	cpu = gen_pool_dma_alloc(pool, 64, &dma);
	assert_ptr_equal(cpu, (void *)BASE);
	assert_int_equal(dma, PHYS);
	cpu = gen_pool_dma_alloc(pool, 64, NULL);
	assert_ptr_equal(cpu, (void *)(BASE + 64));
	dma = 7;
	assert_null(gen_pool_dma_alloc(pool, 8192, &dma));
	assert_int_equal(dma, 7);
	assert_null(gen_pool_dma_alloc(NULL, 64, &dma));

	gen_pool_free(pool, BASE, 64);
	gen_pool_free(pool, BASE + 64, 64);
	gen_pool_free(pool, 3 * BASE, 4096);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	gen_pool_destroy(pool);
}

static void test_addr_in_gen_pool_needs_the_range_in_one_chunk(void **state)
{
	struct gen_pool *pool = gen_pool_create(4, -1);

	(void)state;
	assert_non_null(pool);
	assert_int_equal(gen_pool_add(pool, BASE, 256, -1), 0);
	assert_int_equal(gen_pool_add(pool, BASE + 256, 256, -1), 0);	/* adjacent */
	assert_true(addr_in_gen_pool(pool, BASE, 256));
	assert_true(addr_in_gen_pool(pool, BASE + 300, 10));
	assert_true(addr_in_gen_pool(pool, BASE + 511, 1));
	assert_false(addr_in_gen_pool(pool, BASE + 250, 10));	/* straddles two chunks */
	assert_false(addr_in_gen_pool(pool, BASE + 511, 2));
	assert_false(addr_in_gen_pool(pool, BASE - 1, 1));
	assert_false(addr_in_gen_pool(pool, BASE, 0));
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	gen_pool_destroy(pool);
}

static void count_chunk(struct gen_pool *pool, struct gen_pool_chunk *chunk, void *data)
{
	size_t *sum = data;

	assert_non_null(pool);
	sum[0] += chunk->end_addr - chunk->start_addr + 1;
	sum[1] += (size_t)atomic_read(&chunk->avail);
	sum[2]++;
}

static void test_gen_pool_for_each_chunk_visits_every_chunk(void **state)
{
	struct gen_pool *pool = gen_pool_create(6, -1);
	size_t sum[3] = { 0, 0, 0 };

	(void)state;
	assert_non_null(pool);
	assert_int_equal(gen_pool_add(pool, BASE, 1024, -1), 0);
	assert_int_equal(gen_pool_add(pool, 2 * BASE, 2048, -1), 0);
	assert_int_equal(gen_pool_add(pool, 3 * BASE, 100, -1), 0);	/* one unit + 36 bytes */
	assert_int_equal(gen_pool_alloc(pool, 64), 3 * BASE);
	/* The partial unit is never allocated, though avail counts it. */
	assert_int_equal(gen_pool_alloc(pool, 64), 2 * BASE);
	gen_pool_for_each_chunk(pool, count_chunk, sum);
	assert_int_equal(sum[0], 1024 + 2048 + 100);
	assert_int_equal(sum[1], 1024 + 2048 + 100 - 128);
	assert_int_equal(sum[2], 3);
	assert_int_equal(gen_pool_avail(pool), sum[1]);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	gen_pool_free(pool, 3 * BASE, 64);
	gen_pool_free(pool, 2 * BASE, 64);
	gen_pool_destroy(pool);
}

static void test_gen_pool_bad_free_is_warned_and_changes_nothing(void **state)
{
	struct gen_pool *pool = gen_pool_create(4, -1);
	unsigned long a;

	(void)state;
	assert_non_null(pool);
	assert_int_equal(gen_pool_add(pool, BASE, 256, -1), 0);
	a = gen_pool_alloc(pool, 32);
	assert_int_equal(a, BASE);

	gen_pool_free(pool, 2 * BASE, 16);
	assert_warned("address not in pool");
	gen_pool_free(pool, BASE + 240, 32);
	assert_warned("runs past its chunk");
	gen_pool_free(pool, BASE, SIZE_MAX);
	assert_warned("runs past its chunk");
	gen_pool_free(pool, BASE + 16, 32);	/* second unit allocated, third not */
	assert_warned("units not allocated");
	assert_int_equal(gen_pool_avail(pool), 256 - 32);
	assert_int_equal(iosim_gen_pool_check(pool), 0);

	gen_pool_free(pool, a, 32);
	gen_pool_free(pool, a, 32);		/* double free */
	assert_warned("units not allocated");
	gen_pool_free(NULL, a, 32);
	assert_warned("NULL pool");
	gen_pool_free(pool, a, 0);		/* nothing to free */
	assert_int_equal(gen_pool_avail(pool), 256);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	gen_pool_destroy(pool);
}

static void test_gen_pool_bad_create_and_add_are_warned(void **state)
{
	struct gen_pool *pool;

	(void)state;
	assert_null(gen_pool_create(-1, -1));
	assert_warned("min_alloc_order");
	assert_null(gen_pool_create(BITS_PER_LONG, -1));
	assert_warned("min_alloc_order");
	pool = gen_pool_create(4, -1);
	assert_non_null(pool);
	assert_int_equal(gen_pool_add(NULL, BASE, 256, -1), -EINVAL);
	assert_warned("NULL pool");
	assert_int_equal(gen_pool_add(pool, BASE, 0, -1), -EINVAL);
	assert_warned("bad chunk");
	assert_int_equal(gen_pool_add(pool, ULONG_MAX - 10, 256, -1), -EINVAL);
	assert_warned("bad chunk");
	assert_int_equal(gen_pool_add(pool, BASE, (size_t)INT_MAX + 1, -1), -EINVAL);
	assert_warned("bad chunk");
	assert_int_equal(gen_pool_add(pool, BASE, 256, -1), 0);
	assert_int_equal(gen_pool_add(pool, BASE + 255, 16, -1), -EINVAL);
	assert_warned("overlaps");
	assert_int_equal(gen_pool_size(pool), 256);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	gen_pool_destroy(pool);
	gen_pool_destroy(NULL);
}

static void test_gen_pool_destroy_with_outstanding_allocations_warns_and_frees(void **state)
{
	struct gen_pool *pool = gen_pool_create(4, -1);

	(void)state;
	assert_non_null(pool);
	assert_int_equal(gen_pool_add(pool, BASE, 256, -1), 0);
	assert_int_equal(gen_pool_add(pool, 2 * BASE, 256, -1), 0);
	assert_int_not_equal(gen_pool_alloc(pool, 48), 0);
	assert_true(iosim_live(IOSIM_OBJ_SLAB) >= 3);
	gen_pool_destroy(pool);
	assert_warned("outstanding");
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
}

static void test_gen_pool_checker_catches_corruption(void **state)
{
	struct gen_pool *pool = gen_pool_create(4, -1);
	struct gen_pool_chunk *chunk, *other;

	(void)state;
	assert_non_null(pool);
	assert_int_equal(gen_pool_add(pool, BASE, 100, -1), 0);	/* 6 units */
	chunk = list_first_entry(&pool->chunks, struct gen_pool_chunk, next_chunk);

	atomic_sub(16, &chunk->avail);
	assert_int_equal(iosim_gen_pool_check(pool), -EUCLEAN);
	assert_warned("avail");
	atomic_add(16, &chunk->avail);

	__set_bit(6, chunk->bits);		/* past the last whole unit */
	assert_int_equal(iosim_gen_pool_check(pool), -EUCLEAN);
	assert_warned("past its");
	__clear_bit(6, chunk->bits);

	__set_bit(2, chunk->bits);		/* allocated, but avail says free */
	assert_int_equal(iosim_gen_pool_check(pool), -EUCLEAN);
	assert_warned("avail");
	__clear_bit(2, chunk->bits);

	/* A second chunk moved (same size) onto the first. */
	assert_int_equal(gen_pool_add(pool, BASE + 0x1000, 100, -1), 0);
	other = list_first_entry(&pool->chunks, struct gen_pool_chunk, next_chunk);
	assert_ptr_not_equal(other, chunk);
	other->start_addr -= 0x1000 - 32;
	other->end_addr -= 0x1000 - 32;
	assert_int_equal(iosim_gen_pool_check(pool), -EUCLEAN);
	assert_warned("overlap");
	other->start_addr += 0x1000 - 32;
	other->end_addr += 0x1000 - 32;
	assert_int_equal(iosim_gen_pool_check(pool), 0);

	assert_int_equal(iosim_gen_pool_check(NULL), -EUCLEAN);
	assert_warned("NULL pool");
	gen_pool_destroy(pool);
}

static void test_gen_pool_survives_every_allocation_failure(void **state)
{
	unsigned long n;
	bool done = false;

	(void)state;
	for (n = 1; !done; n++) {
		struct gen_pool *pool;
		int ret;

		assert_true(n < 10);
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		pool = gen_pool_create(4, -1);
		if (!pool) {
			assert_int_equal(iosim_fault_injected(), 1);
			assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
			continue;
		}
		ret = gen_pool_add_virt(pool, BASE, PHYS, 1024, -1);
		if (!ret)
			ret = gen_pool_add_virt(pool, 2 * BASE, PHYS + 4096, 1024, -1);
		if (ret) {
			/* The failed add left the pool as it was. */
			assert_int_equal(ret, -ENOMEM);
			assert_int_equal(iosim_fault_injected(), 1);
			assert_int_equal(iosim_gen_pool_check(pool), 0);
			assert_true(gen_pool_size(pool) == 0 || gen_pool_size(pool) == 1024);
			assert_int_equal(gen_pool_avail(pool), gen_pool_size(pool));
			gen_pool_destroy(pool);
			assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
			continue;
		}
		assert_int_equal(iosim_fault_injected(), 0);
		assert_int_equal(gen_pool_size(pool), 2048);
		assert_int_equal(gen_pool_alloc(pool, 100), 2 * BASE);
		gen_pool_free(pool, 2 * BASE, 100);
		assert_int_equal(iosim_gen_pool_check(pool), 0);
		gen_pool_destroy(pool);
		done = true;
	}
	iosim_fault_reset();
	assert_int_equal(n, 5);		/* create + two adds failed, then success */
}

struct worker_arg {
	struct gen_pool *pool;
	int rounds;
	int failures;
};

static void *worker(void *p)
{
	struct worker_arg *arg = p;
	unsigned long held[8];
	int i, j;

	for (i = 0; i < arg->rounds; i++) {
		for (j = 0; j < 8; j++) {
			/* Fragmentation may make one fail; what it hands out must be private. */
			held[j] = gen_pool_alloc(arg->pool, (size_t)(j + 1) * 16);
			if (held[j])
				memset((void *)held[j], j, (size_t)(j + 1) * 16);
		}
		for (j = 0; j < 8; j++) {
			if (!held[j])
				continue;
			if (*(unsigned char *)held[j] != j)
				arg->failures += 1000;
			gen_pool_free(arg->pool, held[j], (size_t)(j + 1) * 16);
		}
	}
	return NULL;
}

static void test_gen_pool_is_safe_for_concurrent_users(void **state)
{
	static unsigned char backing[4 * 36 * 16 * 8];
	struct gen_pool *pool = gen_pool_create(4, -1);
	struct worker_arg args[4];
	pthread_t threads[4];
	int i;

	(void)state;
	assert_non_null(pool);
	/* Twice what the threads hold at once: most allocations succeed. */
	assert_int_equal(gen_pool_add(pool, (unsigned long)backing, sizeof(backing) / 4, -1), 0);
	for (i = 0; i < 4; i++) {
		args[i] = (struct worker_arg){ .pool = pool, .rounds = 300 };
		assert_int_equal(pthread_create(&threads[i], NULL, worker, &args[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(args[i].failures, 0);
	}
	assert_int_equal(gen_pool_avail(pool), sizeof(backing) / 4);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	gen_pool_destroy(pool);
}

/* 16-byte units over 256 bytes (16 units), with @algo. */
static struct gen_pool *pool_with(genpool_algo_t algo, void *data)
{
	struct gen_pool *pool = gen_pool_create(4, -1);

	assert_non_null(pool);
	assert_int_equal(gen_pool_add(pool, BASE, 256, -1), 0);
	gen_pool_set_algo(pool, algo, data);
	return pool;
}

/*
 * gen_pool_first_fit_order_align (arm64's atomic pool): a run of n units
 * starts on a multiple of n rounded up to a power of two, counted from the
 * chunk's start; the data pointer is not used (2015).
 */
static void test_gen_pool_order_align_aligns_runs_to_their_order(void **state)
{
	struct gen_pool *pool = pool_with(gen_pool_first_fit_order_align, (void *)12UL);
	unsigned long a, b, c, d, e;

	(void)state;
	a = gen_pool_alloc(pool, 16);		/* 1 unit: unit 0 */
	b = gen_pool_alloc(pool, 32);		/* 2 units: unit 2, not 1 */
	c = gen_pool_alloc(pool, 48);		/* 3 units: aligned to 4, unit 4 */
	d = gen_pool_alloc(pool, 16);		/* 1 unit: the hole at unit 1 */
	e = gen_pool_alloc(pool, 128);		/* 8 units: unit 8 */
	assert_int_equal(a, BASE);
	assert_int_equal(b, BASE + 2 * 16);
	assert_int_equal(c, BASE + 4 * 16);
	assert_int_equal(d, BASE + 16);
	assert_int_equal(e, BASE + 8 * 16);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	/* Unit 7 is free, but no 2-unit run is aligned: nothing. */
	assert_int_equal(gen_pool_avail(pool), 16);
	assert_int_equal(gen_pool_alloc(pool, 32), 0);
	assert_int_equal(gen_pool_alloc(pool, 16), BASE + 7 * 16);
	gen_pool_free(pool, a, 16);
	gen_pool_free(pool, b, 32);
	gen_pool_free(pool, c, 48);
	gen_pool_free(pool, d, 16);
	gen_pool_free(pool, e, 128);
	gen_pool_free(pool, BASE + 7 * 16, 16);
	assert_int_equal(gen_pool_avail(pool), 256);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	gen_pool_destroy(pool);
}

/* The algorithms on a bitmap directly, as genalloc calls them. */
static void test_gen_pool_algorithms_on_a_bitmap(void **state)
{
	/* Units 0-1 and 5-7 used: free runs are 2-4 (3 units) and 8-15 (8 units). */
	unsigned long map[1] = { 0x3UL | 0xe0UL };

	(void)state;
	assert_int_equal(gen_pool_first_fit(map, 16, 0, 2, NULL), 2);
	assert_int_equal(gen_pool_first_fit(map, 16, 3, 2, NULL), 3);
	assert_int_equal(gen_pool_first_fit(map, 16, 0, 4, NULL), 8);
	assert_int_equal(gen_pool_first_fit(map, 16, 0, 9, NULL), 16);
	assert_int_equal(gen_pool_first_fit_order_align(map, 16, 0, 2, NULL), 2);
	assert_int_equal(gen_pool_first_fit_order_align(map, 16, 0, 3, NULL), 8);
	assert_int_equal(gen_pool_first_fit_order_align(map, 16, 0, 1, NULL), 2);
	assert_int_equal(gen_pool_first_fit_order_align(map, 16, 0, 8, NULL), 8);
	assert_int_equal(gen_pool_first_fit_order_align(map, 16, 0, 9, NULL), 16);
	/* Best fit: the smallest run that holds the request. */
	assert_int_equal(gen_pool_best_fit(map, 16, 0, 2, NULL), 2);
	assert_int_equal(gen_pool_best_fit(map, 16, 0, 3, NULL), 2);
	assert_int_equal(gen_pool_best_fit(map, 16, 0, 4, NULL), 8);
	assert_int_equal(gen_pool_best_fit(map, 16, 0, 9, NULL), 16);
	map[0] = 0x3UL | 0xe0UL | 0x8000UL;	/* 8-14 (7 units) and 2-4 (3) */
	assert_int_equal(gen_pool_best_fit(map, 16, 0, 3, NULL), 2);
	map[0] = 0xffe3UL;			/* only 2-4 free */
	assert_int_equal(gen_pool_best_fit(map, 16, 0, 1, NULL), 2);
}

/* A caller's own algorithm gets the pool's data; NULL restores first fit. */
static unsigned long last_unit_fit(unsigned long *map, unsigned long size, unsigned long start,
				   unsigned int nr, void *data)
{
	unsigned long i;

	*(int *)data += 1;
	for (i = size - nr + 1; i-- > start;) {
		unsigned long k;

		for (k = 0; k < nr && !test_bit(i + k, map); k++)
			;
		if (k == nr)
			return i;
	}
	return size;
}

static void test_gen_pool_set_algo_takes_a_callers_algorithm(void **state)
{
	int calls = 0;
	struct gen_pool *pool = pool_with(last_unit_fit, &calls);
	unsigned long a, b;

	(void)state;
	a = gen_pool_alloc(pool, 32);
	assert_int_equal(a, BASE + 14 * 16);
	assert_int_equal(calls, 1);
	gen_pool_set_algo(pool, NULL, NULL);
	b = gen_pool_alloc(pool, 16);
	assert_int_equal(b, BASE);
	assert_int_equal(calls, 1);
	assert_int_equal(iosim_gen_pool_check(pool), 0);
	gen_pool_free(pool, a, 32);
	gen_pool_free(pool, b, 16);
	gen_pool_set_algo(NULL, gen_pool_best_fit, NULL);
	assert_warned("gen_pool_set_algo: NULL pool");
	gen_pool_destroy(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_gen_pool_alloc_is_first_fit_in_units),
		IOSIM_TEST(test_gen_pool_order_align_aligns_runs_to_their_order),
		IOSIM_TEST(test_gen_pool_algorithms_on_a_bitmap),
		IOSIM_TEST(test_gen_pool_set_algo_takes_a_callers_algorithm),
		IOSIM_TEST(test_gen_pool_alloc_fails_with_zero_when_nothing_fits),
		IOSIM_TEST(test_gen_pool_searches_the_newest_chunk_first),
		IOSIM_TEST(test_gen_pool_translates_addresses_to_phys),
		IOSIM_TEST(test_addr_in_gen_pool_needs_the_range_in_one_chunk),
		IOSIM_TEST(test_gen_pool_for_each_chunk_visits_every_chunk),
		IOSIM_TEST(test_gen_pool_bad_free_is_warned_and_changes_nothing),
		IOSIM_TEST(test_gen_pool_bad_create_and_add_are_warned),
		IOSIM_TEST(test_gen_pool_destroy_with_outstanding_allocations_warns_and_frees),
		IOSIM_TEST(test_gen_pool_checker_catches_corruption),
		IOSIM_TEST(test_gen_pool_survives_every_allocation_failure),
		IOSIM_TEST(test_gen_pool_is_safe_for_concurrent_users),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
