// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Allocation-failure sweeps: every slab allocation the allocator makes is
 * failed in turn (iosim_fault_fail_nth), and every operation must either
 * complete or fail with the domain exactly as it was, with no leak.
 */
#include "iova_test.h"

#include <string.h>

#include <linux/kernel.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>

#define SLAB_SITE	IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB)
#define HOST_SITE	IOSIM_FAULT_SITE(IOSIM_FAULT_HOST)
#define MAX_SWEEP	64

static struct iova_domain *other_domain(void **state)
{
	return &((struct iova_fixture *)*state)->other;
}

/* What a failed operation must leave untouched. */
struct snapshot {
	struct iosim_iova_stats stats;
	unsigned long nr_live;
};

static void take_snapshot(struct iova_domain *iovad, struct snapshot *snap)
{
	iosim_iova_get_stats(iovad, &snap->stats);
	snap->nr_live = iosim_iova_nr_live();
}

static void assert_unchanged(struct iova_domain *iovad, const struct snapshot *before)
{
	struct snapshot now;

	take_snapshot(iovad, &now);
	assert_int_equal(now.stats.nr_ranges, before->stats.nr_ranges);
	assert_int_equal(now.stats.free_pfns, before->stats.free_pfns);
	assert_int_equal(now.stats.largest_free_pfns, before->stats.largest_free_pfns);
	assert_int_equal(now.nr_live, before->nr_live);
	assert_iova_consistent(iovad);
}

/* A domain with some holes, so operations have something to work around. */
static void populate(struct iova_domain *iovad)
{
	struct iova *keep[8];
	int i;

	for (i = 0; i < 8; i++)
		keep[i] = alloc_iova(iovad, 1 + i, IOVA_TEST_TOP, true);
	for (i = 0; i < 8; i += 2)
		__free_iova(iovad, keep[i]);
	assert_non_null(reserve_iova(iovad, 0x100, 0x1ff));
}

/*
 * The checker's scratch for the cached ranges is host memory
 * (IOSIM_FAULT_HOST), three arrays grown on first need and kept.  Refused,
 * the cached ranges go unchecked (no inconsistency is claimed) and the next
 * check grows it.  Listed first in main(): no earlier check in this process
 * may have grown the scratch.
 */
static void test_the_checkers_scratch_is_grown_when_the_host_allows(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	static unsigned long pfns[200];	/* more than the checker keeps on its stack */
	unsigned long n;
	unsigned int i;

	iosim_iova_set_cpu(0);
	for (i = 0; i < ARRAY_SIZE(pfns); i++) {
		pfns[i] = alloc_iova_fast(iovad, 1, IOVA_TEST_TOP);
		assert_int_not_equal(pfns[i], 0);
	}
	for (i = 0; i < ARRAY_SIZE(pfns); i++)
		free_iova_fast(iovad, pfns[i], 1);
	for (n = 1; n <= 3; n++) {
		iosim_fault_fail_nth(HOST_SITE, n);
		assert_iova_consistent(iovad);
		assert_int_equal(iosim_fault_injected(), 1);
	}
	iosim_fault_reset();
	assert_iova_consistent(iovad);
	assert_int_equal(iosim_fault_calls(HOST_SITE), 3);
	/* Kept: the next check needs no host memory. */
	assert_iova_consistent(iovad);
	assert_int_equal(iosim_fault_calls(HOST_SITE), 3);
}

static void test_alloc_iova_fails_cleanly_at_every_allocation(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct snapshot before;
	unsigned long n;
	struct iova *iova;

	populate(iovad);
	for (n = 1; n < MAX_SWEEP; n++) {
		take_snapshot(iovad, &before);
		iosim_fault_fail_nth(SLAB_SITE, n);
		iova = alloc_iova(iovad, 5, IOVA_TEST_TOP, true);
		if (!iosim_fault_injected())
			break;
		iosim_fault_reset();
		assert_null(iova);
		assert_unchanged(iovad, &before);
	}
	iosim_fault_reset();
	assert_true(n > 1);
	assert_non_null(iova);
	assert_int_equal(iova->pfn_lo & 7, 0);
	assert_iova_consistent(iovad);
}

static void sweep_reserve(struct iova_domain *iovad, unsigned long lo, unsigned long hi,
			  unsigned long expected_failures)
{
	struct snapshot before;
	struct iova *iova;
	unsigned long n;

	for (n = 1; n < MAX_SWEEP; n++) {
		take_snapshot(iovad, &before);
		iosim_fault_fail_nth(SLAB_SITE, n);
		iova = reserve_iova(iovad, lo, hi);
		if (!iosim_fault_injected())
			break;
		iosim_fault_reset();
		assert_null(iova);
		assert_unchanged(iovad, &before);
	}
	iosim_fault_reset();
	assert_int_equal(n - 1, expected_failures);
	assert_non_null(iova);
	assert_ptr_equal(find_iova(iovad, hi), iova);
	assert_iova_consistent(iovad);
}

/*
 * The registries of live objects keep their tables in host memory
 * (IOSIM_FAULT_HOST).  With nothing live, the first iova finds its registry
 * shard without a table (and the slab's registry too, if it is empty):
 * each of those host allocations failing fails the allocation, the domain
 * as it was, nothing live.
 */
static void test_alloc_iova_fails_cleanly_when_a_registry_has_no_table(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	long slab_live = iosim_live(IOSIM_OBJ_SLAB);
	struct snapshot before;
	unsigned long calls, n;
	struct iova *iova;

	assert_int_equal(iosim_iova_nr_live(), 0);
	iosim_fault_reset();
	iova = alloc_iova(iovad, 5, IOVA_TEST_TOP, true);
	calls = iosim_fault_calls(HOST_SITE);
	__free_iova(iovad, iova);
	/* At least the shard's header and first bucket array. */
	assert_true(calls >= 2);
	for (n = 1; n <= calls; n++) {
		take_snapshot(iovad, &before);
		iosim_fault_fail_nth(HOST_SITE, n);
		assert_null(alloc_iova(iovad, 5, IOVA_TEST_TOP, true));
		assert_int_equal(iosim_fault_injected(), 1);
		iosim_fault_fail_nth(HOST_SITE, n);
		assert_null(alloc_iova_mem());
		assert_int_equal(iosim_fault_injected(), 1);
		iosim_fault_reset();
		assert_unchanged(iovad, &before);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab_live);
	}
	iova = alloc_iova(iovad, 5, IOVA_TEST_TOP, true);
	assert_non_null(iova);
	__free_iova(iovad, iova);
}

static void test_reserve_iova_fails_cleanly_at_every_allocation(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a, *b;

	populate(iovad);
	a = alloc_iova(iovad, 16, 0x100f, false);
	b = alloc_iova(iovad, 16, 0x102f, false);
	assert_non_null(a);
	assert_non_null(b);
	/* Across two ranges and beyond: extensions plus one new range. */
	sweep_reserve(iovad, 0xff8, 0x1040, 1);
	assert_iova_range(a, 0xff8, 0x100f);
	/* Inside a range: nothing to allocate, nothing to fail. */
	sweep_reserve(iovad, 0x1004, 0x1008, 0);
}

static void test_split_and_remove_iova_fails_cleanly_at_every_allocation(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 16, 0x100f, false), *got;
	struct snapshot before;
	unsigned long n;

	for (n = 1; n < MAX_SWEEP; n++) {
		take_snapshot(iovad, &before);
		iosim_fault_fail_nth(SLAB_SITE, n);
		got = split_and_remove_iova(iovad, a, 0x1004, 0x1007);
		if (!iosim_fault_injected())
			break;
		iosim_fault_reset();
		assert_null(got);
		assert_unchanged(iovad, &before);
		assert_iova_range(a, 0x1000, 0x100f);
	}
	iosim_fault_reset();
	assert_int_equal(n, 3);		/* the lower part, then the upper part */
	assert_ptr_equal(got, a);
	assert_iova_range(got, 0x1004, 0x1007);
	free_iova_mem(got);
	assert_iova_consistent(iovad);
}

static void test_copy_reserved_iova_skips_and_reports_what_it_cannot_reserve(void **state)
{
	struct iova_domain *from = fixture_domain(state), *to = other_domain(state);
	unsigned long n, pfn;
	int i, console;

	console = iosim_log_set_console_level(3);	/* the expected KERN_ERRs stay quiet */
	for (i = 0; i < 5; i++)
		assert_non_null(reserve_iova(from, 0x100 * (i + 1), 0x100 * (i + 1) + 7));
	for (n = 1; n < MAX_SWEEP; n++) {
		put_iova_domain(to);
		iosim_log_reset();
		iosim_fault_fail_nth(SLAB_SITE, n);
		copy_reserved_iova(from, to);
		if (!iosim_fault_injected())
			break;
		iosim_fault_reset();
		/* The nth range is missing and logged; the others were copied. */
		assert_true(iosim_log_seen("Reserve iova range"));
		assert_int_equal(iova_test_nr_ranges(to), 4);
		for (i = 0; i < 5; i++) {
			pfn = 0x100 * (i + 1);
			if ((unsigned long)i == n - 1)
				assert_null(find_iova(to, pfn));
			else
				assert_iova_range(find_iova(to, pfn), pfn, pfn + 7);
		}
		assert_iova_consistent(to);
	}
	iosim_fault_reset();
	iosim_log_set_console_level(console);
	assert_int_equal(n, 6);
	assert_int_equal(iova_test_nr_ranges(to), 5);
	assert_iova_consistent(to);
}

static void test_iova_cache_get_failure_takes_no_reference(void **state)
{
	int console = iosim_log_set_console_level(3);

	(void)state;
	iova_cache_put();	/* the fixture's: the cache is destroyed */
	iosim_log_reset();
	iosim_fault_fail_nth(SLAB_SITE, 1);
	assert_int_equal(iova_cache_get(), -ENOMEM);
	iosim_fault_reset();
	iosim_log_set_console_level(console);
	assert_true(iosim_log_seen("Couldn't create iova cache"));
	assert_null(alloc_iova_mem());
	assert_warned("iova_cache_get() has not been called");
	assert_int_equal(iova_cache_get(), 0);
}

static void test_alloc_iova_fast_survives_one_failure_and_fails_cleanly_on_all(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct snapshot before;
	unsigned long pfn;

	iosim_iova_set_cpu(0);
	populate(iovad);
	/* One failure: the retry after the flush allocates again. */
	iosim_fault_fail_nth(SLAB_SITE, 1);
	pfn = alloc_iova_fast(iovad, 4, IOVA_TEST_TOP);
	assert_int_equal(iosim_fault_injected(), 1);
	iosim_fault_reset();
	assert_int_not_equal(pfn, 0);
	assert_iova_range(find_iova(iovad, pfn), pfn, pfn + 3);

	/* Every allocation fails: 0, and nothing changed. */
	take_snapshot(iovad, &before);
	iosim_fault_fail_from(SLAB_SITE, 1);
	assert_int_equal(alloc_iova_fast(iovad, 4, IOVA_TEST_TOP), 0);
	iosim_fault_reset();
	assert_unchanged(iovad, &before);
}

static void test_free_iova_fast_without_a_magazine_frees_to_the_tree(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iosim_iova_stats stats;
	unsigned long pfn;

	iosim_iova_set_cpu(0);
	pfn = alloc_iova_fast(iovad, 2, IOVA_TEST_TOP);
	iosim_fault_fail_from(SLAB_SITE, 1);
	free_iova_fast(iovad, pfn, 2);		/* no magazine yet: cannot get one */
	assert_true(iosim_fault_injected() > 0);
	iosim_fault_reset();
	assert_null(find_iova(iovad, pfn));
	iosim_iova_get_stats(iovad, &stats);
	assert_int_equal(stats.nr_cached, 0);
	assert_int_equal(stats.nr_ranges, 0);
	assert_iova_consistent(iovad);
}

/*
 * A fixed fast-path workload, replayed with the nth allocation failed, for
 * every n: it must stay consistent and give everything back.
 */
static void fast_workload(struct iova_domain *iovad, unsigned long long seed, bool checks)
{
	unsigned long pfns[96], sizes[96];
	unsigned long long rng = seed;
	unsigned int i, step;

	iosim_iova_set_fast_checks(iovad, checks);
	memset(pfns, 0, sizeof(pfns));
	for (step = 0; step < 600; step++) {
		i = (unsigned int)(iova_test_rand(&rng) % ARRAY_SIZE(pfns));
		iosim_iova_set_cpu((unsigned int)(iova_test_rand(&rng) % 3));
		if (pfns[i]) {
			free_iova_fast(iovad, pfns[i], sizes[i]);
			pfns[i] = 0;
		} else {
			sizes[i] = 1 + iova_test_rand(&rng) % 40;
			pfns[i] = alloc_iova_fast(iovad, sizes[i], IOVA_TEST_TOP);
		}
		if (step % 50 == 0)
			assert_iova_consistent(iovad);
	}
	for (i = 0; i < ARRAY_SIZE(pfns); i++)
		if (pfns[i])
			free_iova_fast(iovad, pfns[i], sizes[i]);
	assert_iova_consistent(iovad);
	iosim_iova_rcache_flush(iovad);
	assert_int_equal(iova_test_nr_ranges(iovad), 0);
	iosim_iova_set_fast_checks(iovad, true);
}

static void sweep_fast_workload(void **state, bool checks)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long n, calls;

	/* How many allocations does one clean run make? */
	iosim_fault_fail_nth(SLAB_SITE, 0);
	fast_workload(iovad, 77, checks);
	calls = iosim_fault_calls(SLAB_SITE);
	iosim_fault_reset();
	assert_true(calls > 10);
	if (iova_test_under_valgrind())
		calls = min(calls, 40UL);

	for (n = 1; n <= calls; n++) {
		put_iova_domain(iovad);
		iosim_fault_fail_nth(SLAB_SITE, n);
		fast_workload(iovad, 77, checks);
		/* The first n - 1 allocations are the clean run's: the nth is reached. */
		assert_int_equal(iosim_fault_injected(), 1);
		iosim_fault_reset();
	}
}

static void test_fast_path_workload_survives_each_allocation_failing(void **state)
{
	sweep_fast_workload(state, true);
}

static void test_unchecked_fast_path_workload_survives_each_allocation_failing(void **state)
{
	sweep_fast_workload(state, false);
}

/* Random failures under a mixed workload: every failure must be clean. */
static void test_random_failures_under_a_mixed_workload(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *held[64] = { NULL };
	unsigned long long rng = 2024;
	unsigned long steps = iova_test_under_valgrind() ? 600 : 4000, step;
	struct snapshot before;

	iosim_iova_set_cpu(0);
	iosim_fault_fail_random(SLAB_SITE, 250000, 9);
	for (step = 0; step < steps; step++) {
		unsigned int i = (unsigned int)(iova_test_rand(&rng) % ARRAY_SIZE(held));
		unsigned long op = iova_test_rand(&rng) % 10;

		if (held[i] && op < 7) {
			__free_iova(iovad, held[i]);
			held[i] = NULL;
		} else if (!held[i] && op < 8) {
			unsigned long size = 1 + iova_test_rand(&rng) % 32;

			take_snapshot(iovad, &before);
			held[i] = alloc_iova(iovad, size, IOVA_TEST_TOP, iova_test_rand(&rng) & 1);
			if (!held[i])
				assert_unchanged(iovad, &before);
		} else if (held[i] && op == 8) {
			struct iova *iova = held[i];
			unsigned long lo = iova->pfn_lo, hi = iova->pfn_hi;

			take_snapshot(iovad, &before);
			if (split_and_remove_iova(iovad, iova, lo + (hi - lo) / 2,
						  lo + (hi - lo) / 2)) {
				free_iova_mem(iova);
				held[i] = NULL;
				/* The halves stay reserved; free them by pfn. */
				if (lo + (hi - lo) / 2 > lo)
					free_iova(iovad, lo);
				if (lo + (hi - lo) / 2 < hi)
					free_iova(iovad, hi);
			} else {
				assert_unchanged(iovad, &before);
			}
		} else if (op == 9) {
			unsigned long pfn = alloc_iova_fast(iovad, 1 + i % 16, IOVA_TEST_TOP);

			if (pfn)
				free_iova_fast(iovad, pfn, 1 + i % 16);
		}
		assert_iova_consistent(iovad);
	}
	assert_true(iosim_fault_injected() > 0);
	iosim_fault_reset();
	for (step = 0; step < ARRAY_SIZE(held); step++)
		if (held[step])
			__free_iova(iovad, held[step]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: it needs the checker's scratch not yet grown. */
		IOVA_TEST(test_the_checkers_scratch_is_grown_when_the_host_allows),
		IOVA_TEST(test_alloc_iova_fails_cleanly_at_every_allocation),
		IOVA_TEST(test_alloc_iova_fails_cleanly_when_a_registry_has_no_table),
		IOVA_TEST(test_reserve_iova_fails_cleanly_at_every_allocation),
		IOVA_TEST(test_split_and_remove_iova_fails_cleanly_at_every_allocation),
		IOVA_TEST(test_copy_reserved_iova_skips_and_reports_what_it_cannot_reserve),
		IOVA_TEST(test_iova_cache_get_failure_takes_no_reference),
		IOVA_TEST(test_alloc_iova_fast_survives_one_failure_and_fails_cleanly_on_all),
		IOVA_TEST(test_free_iova_fast_without_a_magazine_frees_to_the_tree),
		IOVA_TEST(test_fast_path_workload_survives_each_allocation_failing),
		IOVA_TEST(test_unchecked_fast_path_workload_survives_each_allocation_failing),
		IOVA_TEST(test_random_failures_under_a_mixed_workload),
	};

	return cmocka_run_group_tests_name("iova_faults", tests, NULL, NULL);
}
