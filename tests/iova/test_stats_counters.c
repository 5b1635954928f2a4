// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * iosim_iova_get_stats() against brute force: the one-pass rcache tally over
 * the used CPU slots and the cached free space (lib/iova/iova_check.c,
 * iova_rcache.c) report
 * what a pfn-by-pfn scan and the separate collect/counter walks report,
 * after a mix of fast and slow allocations, frees, reservations outside the
 * domain's window, flushes, free_cpu_cached_iovas() and put_iova_domain().
 */
#include "iova_test.h"

#include <linux/kernel.h>

#include "iova_internal.h"

#define STATS_START	0x10UL
#define STATS_TOP	0x3ffUL	/* small enough to scan pfn by pfn */

/* The hit and miss counters of all IOSIM_IOVA_NR_CPUS slots of every class, used or not. */
static void sum_every_slot(struct iova_domain *iovad, unsigned long *hits, unsigned long *misses)
{
	unsigned int i, cpu;

	*hits = 0;
	*misses = 0;
	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		for (cpu = 0; cpu < IOSIM_IOVA_NR_CPUS; cpu++) {
			*hits += iovad->rcaches[i].cpu_rcaches[cpu].iosim_hits;
			*misses += iovad->rcaches[i].cpu_rcaches[cpu].iosim_misses;
		}
	}
}

/* Fail unless the stats of @iovad match a scan of every pfn, every slot and the collect walk. */
static void assert_stats_match_brute_force(struct iova_domain *iovad)
{
	unsigned long free_pfns, largest, hits, misses;
	struct iosim_iova_stats stats;

	assert_iova_consistent(iovad);	/* includes the cached-vs-walked free space */
	iosim_iova_get_stats(iovad, &stats);
	iova_test_scan_free_space(iovad, &free_pfns, &largest);
	assert_int_equal(stats.free_pfns, free_pfns);
	assert_int_equal(stats.largest_free_pfns, largest);
	assert_int_equal(stats.nr_cached, iosim_iova_rcache_collect(iovad, NULL, NULL, 0));
	sum_every_slot(iovad, &hits, &misses);
	assert_int_equal(stats.nr_rcache_hits, hits);
	assert_int_equal(stats.nr_rcache_misses, misses);
}

static struct iova_domain *stats_domain(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;

	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, STATS_START, STATS_TOP);
	return iovad;
}

static void test_stats_match_brute_force_through_a_mix_of_operations(void **state)
{
	struct iova_domain *iovad = stats_domain(state);
	unsigned long long seed = 0x5eedULL;
	unsigned long pfns[64] = { 0 }, sizes[64] = { 0 };
	unsigned long most_cached = 0;
	struct iosim_iova_stats seen;
	unsigned int step, i;

	/* Ranges straddling and outside [start_pfn, top]: the walk must clip them. */
	assert_non_null(reserve_iova(iovad, 0x2, 0x12));
	assert_non_null(reserve_iova(iovad, 0x3f0, 0x500));
	assert_non_null(reserve_iova(iovad, 0x800, 0x900));
	assert_stats_match_brute_force(iovad);

	for (step = 0; step < 600; step++) {
		unsigned long r = iova_test_rand(&seed);

		i = r % 64;
		iosim_iova_set_cpu((unsigned int)(r >> 8) % 4);
		if (pfns[i]) {
			if (sizes[i] & 1)
				free_iova(iovad, pfns[i]);
			else
				free_iova_fast(iovad, pfns[i], sizes[i]);
			pfns[i] = 0;
		} else if ((r >> 16) % 3) {
			sizes[i] = 2 * (1 + (r >> 20) % 8);	/* even: fast path */
			pfns[i] = alloc_iova_fast(iovad, sizes[i], STATS_TOP);
		} else {
			struct iova *iova;

			sizes[i] = 1 + 2 * ((r >> 20) % 4);	/* odd: slow path */
			iova = alloc_iova(iovad, sizes[i], STATS_TOP, (r >> 24) & 1);
			pfns[i] = iova ? iova->pfn_lo : 0;
		}
		if (step % 97 == 50)
			free_cpu_cached_iovas((unsigned int)(r >> 28) % 4, iovad);
		if (step % 151 == 75)
			iosim_iova_rcache_flush(iovad);
		assert_stats_match_brute_force(iovad);
		iosim_iova_get_stats(iovad, &seen);
		most_cached = max(most_cached, seen.nr_cached);
	}
	/* The mix did reach the magazines, hit them and flush them. */
	assert_true(most_cached >= 4);
	assert_true(seen.nr_rcache_hits > 0 && seen.nr_rcache_flushes > 0);
	for (i = 0; i < 64; i++) {
		if (!pfns[i])
			continue;
		if (sizes[i] & 1)
			free_iova(iovad, pfns[i]);
		else
			free_iova_fast(iovad, pfns[i], sizes[i]);
	}
	assert_stats_match_brute_force(iovad);

	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, STATS_START, STATS_TOP);
	assert_stats_match_brute_force(iovad);
	{
		struct iosim_iova_stats stats;

		iosim_iova_get_stats(iovad, &stats);
		assert_int_equal(stats.free_pfns, STATS_TOP - STATS_START + 1);
		assert_int_equal(stats.nr_cached, 0);
	}
}

static void test_stats_of_a_full_window_report_no_free_space(void **state)
{
	struct iova_domain *iovad = stats_domain(state);
	struct iosim_iova_stats stats;

	assert_non_null(reserve_iova(iovad, 1, STATS_TOP + 0x100));
	assert_stats_match_brute_force(iovad);
	iosim_iova_get_stats(iovad, &stats);
	assert_int_equal(stats.free_pfns, 0);
	assert_int_equal(stats.largest_free_pfns, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOVA_TEST(test_stats_match_brute_force_through_a_mix_of_operations),
		IOVA_TEST(test_stats_of_a_full_window_report_no_free_space),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
