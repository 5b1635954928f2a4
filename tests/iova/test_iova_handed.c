// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Checked mode's per-CPU record of handed-out ranges (lib/iova/iova_handed.c).
 * A free_iova_fast() on the CPU that handed the range out is vetted from the
 * record, without the tree lock; every other free goes through the tree as
 * before.  Whatever path a range leaves by, no record may keep it, and the
 * misuse the checked mode WARNs at the call is WARNed the same way.
 */
#include "iova_test.h"

#include <errno.h>

static struct iosim_iova_stats stats_of(struct iova_domain *iovad)
{
	struct iosim_iova_stats stats;

	iosim_iova_get_stats(iovad, &stats);
	return stats;
}

/*
 * A range of @size granules that CPU @cpu handed out from its magazine, so
 * that it is recorded: allocated from the tree, freed into the cache (the
 * tree path, as nothing records it), allocated again from the cache.
 */
static unsigned long handed_out_range(struct iova_domain *iovad, unsigned int cpu,
				      unsigned long size)
{
	unsigned long pfn, hits;

	iosim_iova_set_cpu(cpu);
	pfn = alloc_iova_fast(iovad, size, IOVA_TEST_TOP);
	assert_true(pfn);
	free_iova_fast(iovad, pfn, size);
	hits = stats_of(iovad).nr_rcache_hits;
	assert_int_equal(alloc_iova_fast(iovad, size, IOVA_TEST_TOP), pfn);
	assert_int_equal(stats_of(iovad).nr_rcache_hits, hits + 1);
	assert_iova_consistent(iovad);
	return pfn;
}

static void test_a_free_on_the_cpu_that_handed_the_range_out_is_vetted_from_its_record(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfn = handed_out_range(iovad, 0, 1);

	assert_int_equal(stats_of(iovad).nr_rcache_local_frees, 0);
	free_iova_fast(iovad, pfn, 1);
	assert_int_equal(stats_of(iovad).nr_rcache_local_frees, 1);
	assert_int_equal(stats_of(iovad).nr_cached, 1);
	assert_no_warnings();
	assert_iova_consistent(iovad);

	/* And the cache serves it again, recorded again. */
	assert_int_equal(alloc_iova_fast(iovad, 1, IOVA_TEST_TOP), pfn);
	free_iova_fast(iovad, pfn, 1);
	assert_int_equal(stats_of(iovad).nr_rcache_local_frees, 2);
	assert_iova_consistent(iovad);
}

static void test_a_second_free_after_a_local_one_is_warned_at_the_call(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfn = handed_out_range(iovad, 0, 1);

	free_iova_fast(iovad, pfn, 1);
	assert_no_warnings();
	free_iova_fast(iovad, pfn, 1);
	assert_warned("freed twice");
	assert_int_equal(stats_of(iovad).nr_cached, 1);
	assert_int_equal(stats_of(iovad).nr_rcache_local_frees, 1);
	assert_iova_consistent(iovad);
}

static void test_a_free_on_another_cpu_goes_through_the_tree_and_clears_the_record(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfn = handed_out_range(iovad, 0, 1);

	iosim_iova_set_cpu(1);
	free_iova_fast(iovad, pfn, 1);
	assert_no_warnings();
	assert_int_equal(stats_of(iovad).nr_rcache_local_frees, 0);
	assert_int_equal(stats_of(iovad).nr_cached, 1);
	/* CPU 0's record no longer holds the range, which CPU 1 caches now. */
	assert_iova_consistent(iovad);
	assert_null(iovad->rcaches[0].cpu_rcaches[0].iosim_handed[pfn & 7]);

	/* A free of it from CPU 0 is a second free. */
	iosim_iova_set_cpu(0);
	free_iova_fast(iovad, pfn, 1);
	assert_warned("freed twice");
	assert_iova_consistent(iovad);
}

static void test_the_tree_frees_of_a_handed_out_range_clear_its_record(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long a = handed_out_range(iovad, 0, 1);
	unsigned long b = handed_out_range(iovad, 0, 4);
	unsigned long nr_ranges = stats_of(iovad).nr_ranges;
	struct iova *removed;

	free_iova(iovad, a);
	assert_no_warnings();
	assert_int_equal(stats_of(iovad).nr_ranges, nr_ranges - 1);
	assert_iova_consistent(iovad);
	free_iova_fast(iovad, a, 1);		/* nothing there any more */
	assert_warned("is not allocated");

	removed = split_and_remove_iova(iovad, find_iova(iovad, b), b + 1, b + 2);
	assert_non_null(removed);
	assert_no_warnings();
	assert_iova_consistent(iovad);
	free_iova_mem(removed);
	free_iova_fast(iovad, b, 4);		/* b is a one-granule range now */
	assert_warned("does not match");
	assert_int_equal(stats_of(iovad).nr_rcache_local_frees, 0);
	assert_iova_consistent(iovad);
}

static void test_a_wrong_size_free_of_a_handed_out_range_is_warned_and_clears_its_record(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfn = handed_out_range(iovad, 0, 2);
	unsigned long nr_ranges = stats_of(iovad).nr_ranges;

	free_iova_fast(iovad, pfn, 1);		/* class 0's record: not there */
	assert_warned("does not match");
	assert_int_equal(stats_of(iovad).nr_ranges, nr_ranges - 1);	/* freed to the tree */
	assert_int_equal(stats_of(iovad).nr_rcache_local_frees, 0);
	assert_iova_consistent(iovad);
}

static void test_a_record_evicted_by_a_colliding_range_sends_that_free_through_the_tree(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfns[2 * IOSIM_IOVA_HANDED_SLOTS], i;
	const unsigned long n = ARRAY_SIZE(pfns);

	iosim_iova_set_cpu(0);
	for (i = 0; i < n; i++)
		pfns[i] = alloc_iova_fast(iovad, 1, IOVA_TEST_TOP);
	for (i = 0; i < n; i++)
		free_iova_fast(iovad, pfns[i], 1);
	/* n consecutive pfns back from the magazine: each slot is hit twice. */
	for (i = 0; i < n; i++)
		pfns[i] = alloc_iova_fast(iovad, 1, IOVA_TEST_TOP);
	assert_iova_consistent(iovad);
	for (i = 0; i < n; i++)
		free_iova_fast(iovad, pfns[i], 1);
	assert_no_warnings();
	assert_int_equal(stats_of(iovad).nr_rcache_local_frees, IOSIM_IOVA_HANDED_SLOTS);
	assert_int_equal(stats_of(iovad).nr_cached, n);
	assert_iova_consistent(iovad);
}

/* reserve_iova() growing a recorded range makes it another size: the record must drop it. */
static void test_reserve_iova_growing_a_handed_out_range_drops_its_record(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfn = handed_out_range(iovad, 0, 4);

	assert_non_null(reserve_iova(iovad, pfn - 2, pfn));
	assert_iova_range(find_iova(iovad, pfn), pfn - 2, pfn + 3);
	assert_null(iovad->rcaches[2].cpu_rcaches[0].iosim_handed[(pfn >> 2) & 7]);
	assert_iova_consistent(iovad);
	free_iova_fast(iovad, pfn, 4);		/* a six-granule range now: freed to the tree */
	assert_warned("does not match");
	assert_int_equal(stats_of(iovad).nr_rcache_local_frees, 0);
	assert_null(find_iova(iovad, pfn));
	assert_iova_consistent(iovad);
}

static void test_turning_checks_off_forgets_every_record(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfn = handed_out_range(iovad, 0, 1);

	iosim_iova_set_fast_checks(iovad, false);
	assert_null(iovad->rcaches[0].cpu_rcaches[0].iosim_handed[pfn & 7]);
	assert_iova_consistent(iovad);
	free_iova_fast(iovad, pfn, 1);		/* trusted: into the cache, nothing vetted */
	assert_no_warnings();
	assert_int_equal(stats_of(iovad).nr_rcache_local_frees, 0);
	assert_iova_consistent(iovad);
	iosim_iova_set_fast_checks(iovad, true);
	assert_iova_consistent(iovad);
}

static void test_put_iova_domain_leaves_no_record_behind(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfn = handed_out_range(iovad, 0, 1);

	put_iova_domain(iovad);
	assert_null(iovad->rcaches[0].cpu_rcaches[0].iosim_handed[pfn & 7]);
	assert_iova_consistent(iovad);
	/* The emptied domain serves and records again. */
	assert_int_equal(handed_out_range(iovad, 0, 1), pfn);
	free_iova_fast(iovad, pfn, 1);
	assert_int_equal(stats_of(iovad).nr_rcache_local_frees, 1);
}

static void test_the_checker_catches_a_record_the_cpu_did_not_hand_out(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfn = handed_out_range(iovad, 0, 1);
	struct iova **slot = &iovad->rcaches[0].cpu_rcaches[0].iosim_handed[pfn & 7];
	struct iova *iova = *slot;

	/* A recorded range whose back pointer is gone. */
	iova->iosim_handed_in = NULL;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("which it did not hand out");
	iova->iosim_handed_in = &iovad->rcaches[0].cpu_rcaches[0];
	assert_iova_consistent(iovad);

	/* A range marked handed out that no record holds. */
	*slot = NULL;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("0 ranges recorded as handed out, 1 marked so");
	*slot = iova;

	/* A cached range in a record (a free that forgot to clear it). */
	free_iova_fast(iovad, pfn, 1);
	*slot = iova;
	iova->iosim_handed_in = &iovad->rcaches[0].cpu_rcaches[0];
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("which it did not hand out");
	*slot = NULL;
	iova->iosim_handed_in = NULL;
	assert_iova_consistent(iovad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOVA_TEST(test_a_free_on_the_cpu_that_handed_the_range_out_is_vetted_from_its_record),
		IOVA_TEST(test_a_second_free_after_a_local_one_is_warned_at_the_call),
		IOVA_TEST(test_a_free_on_another_cpu_goes_through_the_tree_and_clears_the_record),
		IOVA_TEST(test_the_tree_frees_of_a_handed_out_range_clear_its_record),
		IOVA_TEST(test_a_wrong_size_free_of_a_handed_out_range_is_warned_and_clears_its_record),
		IOVA_TEST(test_a_record_evicted_by_a_colliding_range_sends_that_free_through_the_tree),
		IOVA_TEST(test_reserve_iova_growing_a_handed_out_range_drops_its_record),
		IOVA_TEST(test_turning_checks_off_forgets_every_record),
		IOVA_TEST(test_put_iova_domain_leaves_no_record_behind),
		IOVA_TEST(test_the_checker_catches_a_record_the_cpu_did_not_hand_out),
	};

	return cmocka_run_group_tests_name("iova_handed", tests, NULL, NULL);
}
