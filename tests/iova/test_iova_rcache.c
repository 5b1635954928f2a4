// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The fast path: size rounding, per-CPU magazines, the depot, flushing on
 * exhaustion, and what stays in the tree while cached.
 */
#include "iova_test.h"

#include <linux/kernel.h>
#include <linux/slab.h>

static struct iova_domain *small_domain(void **state, unsigned long start_pfn,
					unsigned long top_pfn)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;

	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, start_pfn, top_pfn);
	return iovad;
}

static void stats_of(struct iova_domain *iovad, struct iosim_iova_stats *stats)
{
	iosim_iova_get_stats(iovad, stats);
}

static void test_cacheable_sizes_are_rounded_up_to_a_power_of_two(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfn;

	iosim_iova_set_cpu(0);
	pfn = alloc_iova_fast(iovad, 3, IOVA_TEST_TOP);
	assert_iova_range(find_iova(iovad, pfn), 0xffffc, 0xfffff);
	/* Above the largest class: exact size, still size-aligned. */
	pfn = alloc_iova_fast(iovad, 33, IOVA_TEST_TOP);
	assert_iova_range(find_iova(iovad, pfn), 0xfffc0, 0xfffe0);
	assert_iova_consistent(iovad);
}

static void test_freed_ranges_are_reused_last_in_first_out(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iosim_iova_stats stats;
	unsigned long a, b;

	iosim_iova_set_cpu(0);
	a = alloc_iova_fast(iovad, 1, IOVA_TEST_TOP);
	b = alloc_iova_fast(iovad, 1, IOVA_TEST_TOP);
	free_iova_fast(iovad, a, 1);
	free_iova_fast(iovad, b, 1);
	assert_int_equal(alloc_iova_fast(iovad, 1, IOVA_TEST_TOP), b);
	assert_int_equal(alloc_iova_fast(iovad, 1, IOVA_TEST_TOP), a);
	stats_of(iovad, &stats);
	assert_int_equal(stats.nr_rcache_hits, 2);
	assert_int_equal(stats.nr_rcache_misses, 2);
	assert_int_equal(stats.nr_allocs, 2);
	assert_iova_consistent(iovad);
}

static void test_a_cached_range_stays_allocated_in_the_tree(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iosim_iova_stats stats;
	unsigned long pfn;

	iosim_iova_set_cpu(0);
	pfn = alloc_iova_fast(iovad, 8, IOVA_TEST_TOP);
	free_iova_fast(iovad, pfn, 8);
	assert_iova_range(find_iova(iovad, pfn), pfn, pfn + 7);
	stats_of(iovad, &stats);
	assert_int_equal(stats.nr_cached, 1);
	assert_int_equal(stats.nr_ranges, 1);
	/* So the tree allocator goes around it. */
	assert_iova_range(alloc_iova(iovad, 8, IOVA_TEST_TOP, true), pfn - 8, pfn - 1);
	assert_iova_consistent(iovad);
}

static void test_the_cache_is_per_size_class(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long one;

	iosim_iova_set_cpu(0);
	one = alloc_iova_fast(iovad, 1, IOVA_TEST_TOP);
	free_iova_fast(iovad, one, 1);
	assert_int_not_equal(alloc_iova_fast(iovad, 2, IOVA_TEST_TOP), one);
	assert_int_equal(alloc_iova_fast(iovad, 1, IOVA_TEST_TOP), one);
	assert_iova_consistent(iovad);
}

static void test_a_cached_range_beyond_the_limit_is_not_handed_out(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long top;

	iosim_iova_set_cpu(0);
	top = alloc_iova_fast(iovad, 2, IOVA_TEST_TOP);
	assert_int_equal(top, IOVA_TEST_TOP - 1);
	free_iova_fast(iovad, top, 2);
	/* The range would end at the limit + 1: not this one. */
	assert_int_equal(alloc_iova_fast(iovad, 2, IOVA_TEST_TOP - 1), IOVA_TEST_TOP - 3);
	assert_int_equal(alloc_iova_fast(iovad, 2, 0x1001), 0x1000);
	assert_int_equal(alloc_iova_fast(iovad, 2, IOVA_TEST_TOP), top);
	assert_iova_consistent(iovad);
}

static void test_a_magazine_scan_finds_an_older_range_under_the_limit(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long low, high;

	iosim_iova_set_cpu(0);
	low = alloc_iova_fast(iovad, 1, 0x1000);
	high = alloc_iova_fast(iovad, 1, IOVA_TEST_TOP);
	free_iova_fast(iovad, low, 1);
	free_iova_fast(iovad, high, 1);		/* on top of the magazine */
	assert_int_equal(alloc_iova_fast(iovad, 1, 0x1000), low);
	assert_int_equal(alloc_iova_fast(iovad, 1, IOVA_TEST_TOP), high);
	assert_iova_consistent(iovad);
}

static void test_each_cpu_has_its_own_magazines(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long a;

	iosim_iova_set_cpu(0);
	a = alloc_iova_fast(iovad, 1, IOVA_TEST_TOP);
	free_iova_fast(iovad, a, 1);
	iosim_iova_set_cpu(1);
	assert_int_not_equal(alloc_iova_fast(iovad, 1, IOVA_TEST_TOP), a);
	iosim_iova_set_cpu(0);
	assert_int_equal(alloc_iova_fast(iovad, 1, IOVA_TEST_TOP), a);
	assert_iova_consistent(iovad);
}

static void test_full_magazines_move_through_the_depot_to_other_cpus(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfns[3 * IOVA_MAG_SIZE], i;
	struct iosim_iova_stats stats;

	iosim_iova_set_cpu(0);
	for (i = 0; i < ARRAY_SIZE(pfns); i++)
		pfns[i] = alloc_iova_fast(iovad, 1, IOVA_TEST_TOP);
	for (i = 0; i < ARRAY_SIZE(pfns); i++)
		free_iova_fast(iovad, pfns[i], 1);
	assert_iova_consistent(iovad);
	/*
	 * CPU 0 filled a magazine, swapped it to prev, filled another, which
	 * went to the depot when the third was needed: prev holds the first
	 * third, the depot the second, loaded the last.  CPU 1 takes the
	 * depot's magazine and pops it last in, first out.
	 */
	iosim_iova_set_cpu(1);
	for (i = 2 * IOVA_MAG_SIZE; i-- > IOVA_MAG_SIZE;)
		assert_int_equal(alloc_iova_fast(iovad, 1, IOVA_TEST_TOP), pfns[i]);
	stats_of(iovad, &stats);
	assert_int_equal(stats.nr_rcache_hits, IOVA_MAG_SIZE);
	assert_int_equal(stats.nr_cached, 2 * IOVA_MAG_SIZE);
	/* CPU 1 is dry now, and so is the depot: the next one comes from the tree. */
	assert_int_equal(alloc_iova_fast(iovad, 1, IOVA_TEST_TOP),
			 IOVA_TEST_TOP - ARRAY_SIZE(pfns));
	assert_iova_consistent(iovad);
}

static void test_a_full_depot_returns_magazines_to_the_tree(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long nr = (2 + MAX_GLOBAL_MAGS + 1) * IOVA_MAG_SIZE, i;
	struct iosim_iova_stats stats;

	iosim_iova_set_cpu(0);
	for (i = 0; i < nr; i++)
		assert_int_equal(alloc_iova_fast(iovad, 1, IOVA_TEST_TOP), IOVA_TEST_TOP - i);
	for (i = 0; i < nr; i++)
		free_iova_fast(iovad, IOVA_TEST_TOP - i, 1);
	stats_of(iovad, &stats);
	/* prev + 32 depot magazines + loaded full; one magazine's worth went back. */
	assert_int_equal(stats.nr_cached, nr - IOVA_MAG_SIZE);
	assert_int_equal(stats.nr_ranges, nr - IOVA_MAG_SIZE);
	assert_int_equal(stats.nr_frees, IOVA_MAG_SIZE);
	assert_iova_consistent(iovad);
}

static void test_exhaustion_flushes_every_cache_and_retries_once(void **state)
{
	struct iova_domain *iovad = small_domain(state, 1, 16);
	struct iosim_iova_stats stats;
	unsigned long pfn;

	iosim_iova_set_cpu(0);
	for (pfn = 16; pfn >= 1; pfn--)
		assert_int_equal(alloc_iova_fast(iovad, 1, ULONG_MAX), pfn);
	for (pfn = 1; pfn <= 8; pfn++)
		free_iova_fast(iovad, pfn, 1);
	iosim_iova_set_cpu(1);
	for (pfn = 9; pfn <= 16; pfn++)
		free_iova_fast(iovad, pfn, 1);
	/* Every pfn is cached somewhere; CPU 2 has nothing of size 2. */
	iosim_iova_set_cpu(2);
	assert_int_equal(iosim_iova_rcache_flushes(iovad), 0);
	assert_int_equal(alloc_iova_fast(iovad, 2, ULONG_MAX), 14);	/* [14, 15]: aligned */
	stats_of(iovad, &stats);
	assert_int_equal(stats.nr_rcache_flushes, 1);
	assert_int_equal(iosim_iova_rcache_flushes(iovad), 1);
	assert_int_equal(stats.nr_cached, 0);
	assert_int_equal(stats.nr_ranges, 1);
	assert_iova_consistent(iovad);
}

static void test_exhaustion_after_the_flush_returns_zero(void **state)
{
	struct iova_domain *iovad = small_domain(state, 4, 7);
	struct iosim_iova_stats stats;

	iosim_iova_set_cpu(0);
	assert_int_equal(alloc_iova_fast(iovad, 4, ULONG_MAX), 4);
	assert_int_equal(alloc_iova_fast(iovad, 1, ULONG_MAX), 0);
	assert_int_equal(alloc_iova_fast(iovad, 1, 0), 0);
	stats_of(iovad, &stats);
	assert_int_equal(stats.nr_ranges, 1);
	assert_int_equal(stats.nr_rcache_flushes, 2);
	assert_int_equal(iosim_iova_rcache_flushes(iovad), 2);
	iosim_iova_rcache_flush(iovad);
	assert_int_equal(iosim_iova_rcache_flushes(iovad), 3);
	/* A domain that is not initialised counts nothing, as the snapshot. */
	assert_int_equal(iosim_iova_rcache_flushes(NULL), 0);
	assert_int_equal(iosim_iova_nr_ranges(NULL), 0);
	{
		struct iova_domain never_initialised = { 0 };

		assert_int_equal(iosim_iova_nr_ranges(&never_initialised), 0);
	}
	assert_int_equal(iosim_iova_nr_ranges(iovad), 1);
	assert_iova_consistent(iovad);
}

static void test_the_fast_path_never_hands_out_pfn_zero(void **state)
{
	struct iova_domain *iovad = small_domain(state, 0, 3);

	iosim_iova_set_cpu(0);
	assert_int_equal(alloc_iova_fast(iovad, 1, ULONG_MAX), 3);
	assert_int_equal(alloc_iova_fast(iovad, 1, ULONG_MAX), 2);
	assert_int_equal(alloc_iova_fast(iovad, 1, ULONG_MAX), 1);
	assert_int_equal(alloc_iova_fast(iovad, 1, ULONG_MAX), 0);	/* failure */
	/* pfn 0 is free, for alloc_iova(). */
	assert_iova_range(alloc_iova(iovad, 1, ULONG_MAX, false), 0, 0);
	free_iova_fast(iovad, 0, 1);	/* not cacheable: freed in the tree */
	assert_null(find_iova(iovad, 0));
	assert_iova_consistent(iovad);
}

static void test_free_cpu_cached_iovas_returns_one_cpus_ranges(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iosim_iova_stats stats;
	unsigned long pfns[5];
	int i;

	iosim_iova_set_cpu(0);
	for (i = 0; i < 5; i++)
		pfns[i] = alloc_iova_fast(iovad, 1 << i, IOVA_TEST_TOP);
	for (i = 0; i < 3; i++)
		free_iova_fast(iovad, pfns[i], 1 << i);
	iosim_iova_set_cpu(1);
	for (i = 3; i < 5; i++)
		free_iova_fast(iovad, pfns[i], 1 << i);
	free_cpu_cached_iovas(1, iovad);
	stats_of(iovad, &stats);
	assert_int_equal(stats.nr_cached, 3);
	assert_int_equal(stats.nr_ranges, 3);
	assert_null(find_iova(iovad, pfns[3]));
	assert_non_null(find_iova(iovad, pfns[2]));
	assert_iova_consistent(iovad);
}

/*
 * Statistics and flushes visit only the CPU slots ever used: ranges cached
 * on the lowest, a middle and the highest slot, in three size classes, are
 * all counted, and a flush returns every one of them.
 */
static void test_statistics_and_flush_reach_every_cpu_slot_used(void **state)
{
	static const unsigned int cpus[] = { 0, 7, IOSIM_IOVA_NR_CPUS - 1 };
	struct iova_domain *iovad = fixture_domain(state);
	struct iosim_iova_stats stats;
	unsigned long pfns[ARRAY_SIZE(cpus)];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cpus); i++) {
		iosim_iova_set_cpu(cpus[i]);
		pfns[i] = alloc_iova_fast(iovad, 1UL << (2 * i), IOVA_TEST_TOP);
		assert_int_not_equal(pfns[i], 0);
		free_iova_fast(iovad, pfns[i], 1UL << (2 * i));
	}
	stats_of(iovad, &stats);
	assert_int_equal(stats.nr_cached, ARRAY_SIZE(cpus));
	assert_int_equal(stats.nr_rcache_misses, ARRAY_SIZE(cpus));
	assert_int_equal(stats.nr_ranges, ARRAY_SIZE(cpus));
	assert_iova_consistent(iovad);

	/* The highest slot hands its range back to the same CPU. */
	iosim_iova_set_cpu(cpus[2]);
	assert_int_equal(alloc_iova_fast(iovad, 16, IOVA_TEST_TOP), pfns[2]);
	free_iova_fast(iovad, pfns[2], 16);
	stats_of(iovad, &stats);
	assert_int_equal(stats.nr_rcache_hits, 1);

	iosim_iova_rcache_flush(iovad);
	stats_of(iovad, &stats);
	assert_int_equal(stats.nr_cached, 0);
	assert_int_equal(stats.nr_ranges, 0);
	for (i = 0; i < ARRAY_SIZE(cpus); i++)
		assert_null(find_iova(iovad, pfns[i]));
	assert_iova_consistent(iovad);
	iosim_iova_set_cpu(0);
}

static void test_uncacheable_sizes_go_straight_back_to_the_tree(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iosim_iova_stats stats;
	unsigned long pfn;

	iosim_iova_set_cpu(0);
	pfn = alloc_iova_fast(iovad, 64, IOVA_TEST_TOP);
	assert_iova_range(find_iova(iovad, pfn), IOVA_TEST_TOP - 63, IOVA_TEST_TOP);
	free_iova_fast(iovad, pfn, 64);
	assert_null(find_iova(iovad, pfn));
	stats_of(iovad, &stats);
	assert_int_equal(stats.nr_cached, 0);
	assert_int_equal(stats.nr_ranges, 0);
}

static void test_an_exact_size_range_from_alloc_iova_is_freed_not_cached(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *iova = alloc_iova(iovad, 3, IOVA_TEST_TOP, true);
	struct iosim_iova_stats stats;

	iosim_iova_set_cpu(0);
	free_iova_fast(iovad, iova->pfn_lo, 3);
	stats_of(iovad, &stats);
	assert_int_equal(stats.nr_cached, 0);
	assert_int_equal(stats.nr_ranges, 0);
}

static void test_unchecked_mode_caches_and_reuses_the_same_way(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long a, b;

	iosim_iova_set_cpu(0);
	iosim_iova_set_fast_checks(iovad, false);
	a = alloc_iova_fast(iovad, 4, IOVA_TEST_TOP);
	b = alloc_iova_fast(iovad, 4, IOVA_TEST_TOP);
	free_iova_fast(iovad, a, 4);
	free_iova_fast(iovad, b, 3);		/* the caller's own size: same class */
	assert_iova_consistent(iovad);
	assert_int_equal(alloc_iova_fast(iovad, 3, IOVA_TEST_TOP), b);
	assert_int_equal(alloc_iova_fast(iovad, 4, IOVA_TEST_TOP), a);
	assert_iova_consistent(iovad);
	iosim_iova_set_fast_checks(iovad, true);
}

static void test_put_iova_domain_frees_cached_ranges_and_magazines(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long live = iosim_iova_nr_live(), pfns[300], i;

	for (i = 0; i < ARRAY_SIZE(pfns); i++) {
		iosim_iova_set_cpu((unsigned int)(i % 3));
		pfns[i] = alloc_iova_fast(iovad, 1 + i % 32, IOVA_TEST_TOP);
	}
	for (i = 0; i < ARRAY_SIZE(pfns); i++) {
		iosim_iova_set_cpu((unsigned int)(i % 5));
		free_iova_fast(iovad, pfns[i], 1 + i % 32);
	}
	assert_iova_consistent(iovad);
	put_iova_domain(iovad);
	assert_int_equal(iosim_iova_nr_live(), live);
	/* The teardown's live-object check also covers the magazines. */
}

static void test_fast_path_respects_start_pfn_and_the_domain_top(void **state)
{
	struct iova_domain *iovad = small_domain(state, 0x10, 0x1f);
	unsigned long pfn;

	iosim_iova_set_cpu(0);
	pfn = alloc_iova_fast(iovad, 16, ULONG_MAX);
	assert_int_equal(pfn, 0x10);
	free_iova_fast(iovad, pfn, 16);
	assert_int_equal(alloc_iova_fast(iovad, 16, ULONG_MAX), 0x10);
	assert_int_equal(alloc_iova_fast(iovad, 1, ULONG_MAX), 0);
	assert_iova_consistent(iovad);
}

static void test_the_fast_path_works_on_a_kzalloced_domain(void **state)
{
	/* As the seed allocates its cookie: kzalloc()'s alignment, not the type's. */
	struct iova_domain *iovad = kzalloc(sizeof(*iovad), GFP_KERNEL);
	unsigned long pfn;

	(void)state;
	assert_non_null(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 1, 0xffff);
	iosim_iova_set_cpu(0);
	pfn = alloc_iova_fast(iovad, 2, ULONG_MAX);
	assert_int_equal(pfn, 0xfffe);
	free_iova_fast(iovad, pfn, 2);
	assert_int_equal(alloc_iova_fast(iovad, 2, ULONG_MAX), pfn);
	free_iova_fast(iovad, pfn, 2);
	assert_iova_consistent(iovad);
	put_iova_domain(iovad);
	kfree(iovad);
}

static void test_zero_size_fast_alloc_is_warned(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	assert_int_equal(alloc_iova_fast(iovad, 0, IOVA_TEST_TOP), 0);
	assert_warned("alloc_iova_fast: zero size");
	assert_int_equal(alloc_iova_fast(iovad, (1UL << 63) + 1, ULONG_MAX), 0);
	assert_int_equal(iova_test_nr_ranges(iovad), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOVA_TEST(test_cacheable_sizes_are_rounded_up_to_a_power_of_two),
		IOVA_TEST(test_freed_ranges_are_reused_last_in_first_out),
		IOVA_TEST(test_a_cached_range_stays_allocated_in_the_tree),
		IOVA_TEST(test_the_cache_is_per_size_class),
		IOVA_TEST(test_a_cached_range_beyond_the_limit_is_not_handed_out),
		IOVA_TEST(test_a_magazine_scan_finds_an_older_range_under_the_limit),
		IOVA_TEST(test_each_cpu_has_its_own_magazines),
		IOVA_TEST(test_full_magazines_move_through_the_depot_to_other_cpus),
		IOVA_TEST(test_a_full_depot_returns_magazines_to_the_tree),
		IOVA_TEST(test_exhaustion_flushes_every_cache_and_retries_once),
		IOVA_TEST(test_exhaustion_after_the_flush_returns_zero),
		IOVA_TEST(test_the_fast_path_never_hands_out_pfn_zero),
		IOVA_TEST(test_free_cpu_cached_iovas_returns_one_cpus_ranges),
		IOVA_TEST(test_statistics_and_flush_reach_every_cpu_slot_used),
		IOVA_TEST(test_uncacheable_sizes_go_straight_back_to_the_tree),
		IOVA_TEST(test_an_exact_size_range_from_alloc_iova_is_freed_not_cached),
		IOVA_TEST(test_unchecked_mode_caches_and_reuses_the_same_way),
		IOVA_TEST(test_put_iova_domain_frees_cached_ranges_and_magazines),
		IOVA_TEST(test_fast_path_respects_start_pfn_and_the_domain_top),
		IOVA_TEST(test_the_fast_path_works_on_a_kzalloced_domain),
		IOVA_TEST(test_zero_size_fast_alloc_is_warned),
	};

	return cmocka_run_group_tests_name("iova_rcache", tests, NULL, NULL);
}
