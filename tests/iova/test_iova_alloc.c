// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * alloc_iova(), find_iova(), the frees, the helpers and the domain's life:
 * placement is top-down, aligned down, inside [start_pfn, limit], never above
 * dma_32bit_pfn; failure leaves the domain as it was.
 */
#include "iova_test.h"

#include <linux/kernel.h>
#include <linux/slab.h>
#include <asm/page.h>

static void test_alloc_is_top_down_from_the_limit(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	/* Each allocation takes the highest free range. */
	assert_iova_range(alloc_iova(iovad, 1, IOVA_TEST_TOP, false), 0xfffff, 0xfffff);
	assert_iova_range(alloc_iova(iovad, 3, IOVA_TEST_TOP, false), 0xffffc, 0xffffe);
	assert_iova_range(alloc_iova(iovad, 1, IOVA_TEST_TOP, false), 0xffffb, 0xffffb);
	assert_int_equal(iova_test_nr_ranges(iovad), 3);
	assert_iova_consistent(iovad);
}

static void test_size_aligned_alloc_aligns_pfn_lo_down_without_padding_the_size(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *iova;

	/* 3 granules aligned to 4: the top 3 would start at 0xffffd; align down. */
	assert_iova_range(alloc_iova(iovad, 3, IOVA_TEST_TOP, true), 0xffffc, 0xffffe);
	/* The granule left above is still free and still the highest. */
	assert_iova_range(alloc_iova(iovad, 1, IOVA_TEST_TOP, true), 0xfffff, 0xfffff);
	assert_iova_range(alloc_iova(iovad, 4, IOVA_TEST_TOP, true), 0xffff8, 0xffffb);
	/* 5 granules aligned to 8: highest start at or below 0xffff3 is 0xffff0. */
	iova = alloc_iova(iovad, 5, IOVA_TEST_TOP, true);
	assert_iova_range(iova, 0xffff0, 0xffff4);
	assert_int_equal(iova_size(iova), 5);
	/* The space between the 5 and the 4 stays free for smaller requests. */
	assert_iova_range(alloc_iova(iovad, 3, IOVA_TEST_TOP, false), 0xffff5, 0xffff7);
	assert_iova_consistent(iovad);
}

static void test_aligned_alloc_skips_gaps_that_are_long_enough_but_misaligned(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfn;

	/*
	 * Free gaps of exactly 4 granules starting at 1 mod 4, from the top
	 * down to 0x80000, and one aligned gap far below: an aligned request
	 * of 4 must land in the low gap, an unaligned one in the top gap.
	 * Every subtree's largest gap is 4: only the aligned-fit summary
	 * tells the search where to go.
	 */
	assert_non_null(reserve_iova(iovad, 0xffffd, IOVA_TEST_TOP));
	for (pfn = 0xffff8; pfn >= 0xf8000; pfn -= 8)
		assert_non_null(reserve_iova(iovad, pfn - 3, pfn));	/* gap [pfn+1, pfn+4] */
	assert_non_null(reserve_iova(iovad, 0x1004, 0xf7ffc));
	assert_non_null(reserve_iova(iovad, 1, 0xfff));
	/* Free now: [0x1000, 0x1003] (aligned) and the misaligned 4s above. */
	assert_iova_range(alloc_iova(iovad, 4, IOVA_TEST_TOP, true), 0x1000, 0x1003);
	assert_iova_range(alloc_iova(iovad, 4, IOVA_TEST_TOP, false), 0xffff9, 0xffffc);
	/* Size 2 aligned fits the middle of a misaligned 4: [1,4] mod 4 -> [2,3]. */
	assert_iova_range(alloc_iova(iovad, 2, IOVA_TEST_TOP, true), 0xffff2, 0xffff3);
	assert_null(alloc_iova(iovad, 4, IOVA_TEST_TOP, true));
	assert_iova_consistent(iovad);
}

static void test_alloc_respects_limit_pfn(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	assert_iova_range(alloc_iova(iovad, 1, 0x1000, false), 0x1000, 0x1000);
	assert_iova_range(alloc_iova(iovad, 2, 0x1000, false), 0xffe, 0xfff);
	assert_iova_range(alloc_iova(iovad, 2, 0x1000, true), 0xffc, 0xffd);
	/* A limit inside an allocated range: the range below it. */
	assert_iova_range(alloc_iova(iovad, 1, 0xffd, false), 0xffb, 0xffb);
	assert_iova_consistent(iovad);
}

static void test_limit_above_the_domain_is_clipped_to_dma_32bit_pfn(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	assert_iova_range(alloc_iova(iovad, 1, ULONG_MAX, false), IOVA_TEST_TOP, IOVA_TEST_TOP);
	/* The seed's iommu_dma_init_domain() grows a domain by raising dma_32bit_pfn. */
	iovad->dma_32bit_pfn = 0x1fffff;
	assert_iova_range(alloc_iova(iovad, 1, ULONG_MAX, false), 0x1fffff, 0x1fffff);
	assert_iova_range(alloc_iova(iovad, 2, ULONG_MAX, true), 0x1ffffc, 0x1ffffd);
	assert_iova_consistent(iovad);
}

static void test_alloc_stays_at_or_above_start_pfn(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;
	unsigned long pfn;

	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 0x100, 0x10f);
	for (pfn = 0x10f; pfn >= 0x100; pfn--)
		assert_iova_range(alloc_iova(iovad, 1, ULONG_MAX, false), pfn, pfn);
	/* start_pfn itself was handed out (the 2015 kernel's walk stopped one short). */
	assert_non_null(find_iova(iovad, 0x100));
	assert_null(alloc_iova(iovad, 1, ULONG_MAX, false));
	assert_int_equal(iova_test_nr_ranges(iovad), 16);
	assert_iova_consistent(iovad);
}

static void test_limit_below_start_pfn_fails_without_warning(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;

	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 0x100, 0xfff);
	assert_null(alloc_iova(iovad, 1, 0xff, false));
	assert_null(alloc_iova(iovad, 1, 0, true));
	assert_iova_range(alloc_iova(iovad, 1, 0x100, false), 0x100, 0x100);
	assert_null(alloc_iova(iovad, 2, 0x101, false));
	assert_int_equal(iova_test_nr_ranges(iovad), 1);
	assert_iova_consistent(iovad);
}

static void test_exhaustion_returns_null_and_leaves_the_domain_unchanged(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;
	struct iosim_iova_stats before, after;
	unsigned long live;
	int i;

	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 1, 8);
	assert_non_null(alloc_iova(iovad, 4, ULONG_MAX, true));	/* [5, 8] */
	assert_non_null(alloc_iova(iovad, 2, ULONG_MAX, true));	/* [2, 3] */
	iosim_iova_get_stats(iovad, &before);
	live = iosim_iova_nr_live();

	/* Free: pfns 1 and 4, never two in a row. */
	assert_null(alloc_iova(iovad, 2, ULONG_MAX, false));
	assert_null(alloc_iova(iovad, 2, ULONG_MAX, true));
	assert_null(alloc_iova(iovad, 9, ULONG_MAX, false));
	assert_null(alloc_iova(iovad, ULONG_MAX, ULONG_MAX, false));

	iosim_iova_get_stats(iovad, &after);
	assert_int_equal(after.nr_ranges, before.nr_ranges);
	assert_int_equal(after.free_pfns, 2);
	assert_int_equal(after.largest_free_pfns, 1);
	assert_int_equal(after.nr_alloc_fails, before.nr_alloc_fails + 4);
	assert_int_equal(iosim_iova_nr_live(), live);
	assert_iova_consistent(iovad);

	/* The two singles are still there to be had, top first. */
	for (i = 0; i < 2; i++)
		assert_non_null(alloc_iova(iovad, 1, ULONG_MAX, false));
	assert_non_null(find_iova(iovad, 4));
	assert_non_null(find_iova(iovad, 1));
	assert_null(alloc_iova(iovad, 1, ULONG_MAX, false));
	assert_iova_consistent(iovad);
}

static void test_find_iova_matches_exactly_the_range_bounds(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a, *b;

	a = alloc_iova(iovad, 4, 0x2003, false);	/* [0x2000, 0x2003] */
	b = alloc_iova(iovad, 2, 0x1fff, false);	/* [0x1ffe, 0x1fff], adjacent */
	assert_iova_range(a, 0x2000, 0x2003);
	assert_iova_range(b, 0x1ffe, 0x1fff);
	assert_ptr_equal(find_iova(iovad, 0x2000), a);
	assert_ptr_equal(find_iova(iovad, 0x2003), a);
	assert_ptr_equal(find_iova(iovad, 0x1fff), b);
	assert_ptr_equal(find_iova(iovad, 0x1ffe), b);
	assert_null(find_iova(iovad, 0x2004));
	assert_null(find_iova(iovad, 0x1ffd));
	assert_null(find_iova(iovad, 0));
	assert_null(find_iova(iovad, ULONG_MAX));
	assert_iova_consistent(iovad);
}

static void test_freed_space_is_reused_top_down(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a, *b, *c;

	a = alloc_iova(iovad, 8, IOVA_TEST_TOP, true);
	b = alloc_iova(iovad, 8, IOVA_TEST_TOP, true);
	c = alloc_iova(iovad, 8, IOVA_TEST_TOP, true);
	assert_iova_range(b, 0xffff0, 0xffff7);
	__free_iova(iovad, b);
	assert_null(find_iova(iovad, 0xffff0));
	assert_iova_consistent(iovad);
	/* The hole is the highest place 8 fit again; a smaller request too. */
	b = alloc_iova(iovad, 4, IOVA_TEST_TOP, true);
	assert_iova_range(b, 0xffff4, 0xffff7);
	__free_iova(iovad, a);
	__free_iova(iovad, b);
	__free_iova(iovad, c);
	assert_int_equal(iova_test_nr_ranges(iovad), 0);
	assert_iova_range(alloc_iova(iovad, 16, IOVA_TEST_TOP, true), 0xffff0, 0xfffff);
	assert_iova_consistent(iovad);
}

static void test_free_iova_frees_the_range_containing_any_of_its_pfns(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *iova = alloc_iova(iovad, 16, IOVA_TEST_TOP, true);
	struct iosim_iova_stats stats;

	assert_non_null(iova);
	free_iova(iovad, iova->pfn_lo + 7);
	assert_null(find_iova(iovad, 0xffff0));
	iosim_iova_get_stats(iovad, &stats);
	assert_int_equal(stats.nr_ranges, 0);
	assert_int_equal(stats.nr_frees, 1);
	assert_int_equal(stats.free_pfns, IOVA_TEST_TOP - IOVA_TEST_START + 1);
	assert_iova_consistent(iovad);
}

static void test_unit_helpers_follow_the_kernel(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *iova = alloc_iova(iovad, 3, 0x12345, false);

	assert_int_equal(iova_shift(iovad), 12);
	assert_int_equal(iova_mask(iovad), 0xfff);
	assert_int_equal(iova_offset(iovad, 0x12345678ULL), 0x678);
	assert_int_equal(iova_align(iovad, 1), 0x1000);
	assert_int_equal(iova_align(iovad, 0x1000), 0x1000);
	assert_int_equal(iova_align(iovad, 0x1001), 0x2000);
	assert_int_equal(iova_pfn(iovad, 0x12345678ULL), 0x12345);
	assert_iova_range(iova, 0x12343, 0x12345);
	assert_int_equal(iova_size(iova), 3);
	assert_int_equal(iova_dma_addr(iovad, iova), 0x12343000ULL);
}

static void test_iova_size_and_dma_addr_of_null_warn_and_yield_zero(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	/* The seed unmaps find_iova()'s result without a NULL check. */
	assert_int_equal(iova_size(find_iova(iovad, 0x1234)), 0);
	assert_warned("iova_size: NULL iova");
	assert_int_equal(iova_dma_addr(iovad, NULL), 0);
	assert_warned("iova_dma_addr: NULL iova");
}

static void test_init_refuses_a_granule_that_is_not_a_power_of_two(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;

	put_iova_domain(iovad);
	init_iova_domain(iovad, 3000, 1, 0xfffff);
	assert_warned("not a power of two");
	/* Unusable but safe: everything fails cleanly, without more WARNs. */
	assert_null(alloc_iova(iovad, 1, ULONG_MAX, false));
	assert_int_equal(alloc_iova_fast(iovad, 1, ULONG_MAX), 0);
	assert_null(reserve_iova(iovad, 1, 2));
	assert_null(find_iova(iovad, 1));
	free_iova(iovad, 1);
	assert_iova_consistent(iovad);
	put_iova_domain(iovad);
	/* A later init with a good granule makes it usable. */
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 1, 0xfffff);
	assert_non_null(alloc_iova(iovad, 1, ULONG_MAX, false));
	assert_no_warnings();
}

static void test_init_refuses_a_zero_granule(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;

	put_iova_domain(iovad);
	init_iova_domain(iovad, 0, 1, 0xfffff);
	assert_warned("not a power of two");
	assert_null(alloc_iova(iovad, 1, ULONG_MAX, true));
	assert_iova_consistent(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 1, 0xfffff);
}

static void test_init_warns_on_a_granule_above_page_size_but_works(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;

	put_iova_domain(iovad);
	init_iova_domain(iovad, PAGE_SIZE << 1, 1, 0xffff);
	assert_warned("larger than PAGE_SIZE");
	assert_iova_range(alloc_iova(iovad, 1, ULONG_MAX, false), 0xffff, 0xffff);
	assert_int_equal(iova_shift(iovad), PAGE_SHIFT + 1);
}

static void test_put_iova_domain_frees_everything_and_the_domain_is_reusable(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long live = iosim_iova_nr_live();
	int i;

	for (i = 0; i < 100; i++)
		assert_non_null(alloc_iova(iovad, 1 + i % 7, IOVA_TEST_TOP, i & 1));
	assert_non_null(reserve_iova(iovad, 0x10, 0x20));
	assert_int_equal(iosim_iova_nr_live(), live + 101);
	put_iova_domain(iovad);
	assert_int_equal(iosim_iova_nr_live(), live);
	assert_int_equal(iova_test_nr_ranges(iovad), 0);
	assert_iova_consistent(iovad);
	assert_iova_range(alloc_iova(iovad, 1, IOVA_TEST_TOP, false), IOVA_TEST_TOP, IOVA_TEST_TOP);
}

static void test_put_of_a_never_initialised_domain_does_nothing(void **state)
{
	/* The seed's iommu_put_dma_cookie() on a cookie never given a range. */
	struct iova_domain *iovad = kzalloc(sizeof(*iovad), GFP_KERNEL);

	(void)state;
	assert_non_null(iovad);
	put_iova_domain(iovad);
	assert_iova_consistent(iovad);
	kfree(iovad);
}

static void test_a_never_initialised_domain_warns_when_used(void **state)
{
	struct iova_domain *iovad = kzalloc(sizeof(*iovad), GFP_KERNEL);

	(void)state;
	assert_null(alloc_iova(iovad, 1, ULONG_MAX, false));
	assert_warned("before init_iova_domain()");
	assert_null(find_iova(iovad, 1));
	assert_warned("before init_iova_domain()");
	assert_int_equal(alloc_iova_fast(iovad, 1, ULONG_MAX), 0);
	assert_warned("before init_iova_domain()");
	kfree(iovad);
}

static void test_reinit_of_a_domain_holding_ranges_warns_and_keeps_them(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *iova = alloc_iova(iovad, 2, IOVA_TEST_TOP, true);

	init_iova_domain(iovad, IOVA_TEST_GRANULE, 0x10, 0x20);
	assert_warned("still holds 1 ranges");
	assert_ptr_equal(find_iova(iovad, IOVA_TEST_TOP), iova);
	assert_int_equal(iovad->start_pfn, IOVA_TEST_START);
	assert_int_equal(iovad->dma_32bit_pfn, IOVA_TEST_TOP);
	/* Empty again, it may be re-initialised. */
	__free_iova(iovad, iova);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 0x10, 0x20);
	assert_iova_range(alloc_iova(iovad, 1, ULONG_MAX, false), 0x20, 0x20);
}

static void test_a_domain_at_the_very_top_of_the_pfn_space(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;
	struct iova *iova;

	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, ULONG_MAX - 31, ULONG_MAX);
	iova = alloc_iova(iovad, 16, ULONG_MAX, true);
	assert_iova_range(iova, ULONG_MAX - 15, ULONG_MAX);
	assert_ptr_equal(find_iova(iovad, ULONG_MAX), iova);
	assert_iova_range(alloc_iova(iovad, 3, ULONG_MAX, false), ULONG_MAX - 18, ULONG_MAX - 16);
	assert_iova_range(alloc_iova(iovad, 8, ULONG_MAX, true), ULONG_MAX - 31, ULONG_MAX - 24);
	assert_null(alloc_iova(iovad, 8, ULONG_MAX, true));
	assert_iova_range(alloc_iova(iovad, 5, ULONG_MAX, false), ULONG_MAX - 23, ULONG_MAX - 19);
	assert_null(alloc_iova(iovad, 1, ULONG_MAX, false));
	assert_iova_consistent(iovad);
	free_iova(iovad, ULONG_MAX);
	assert_iova_range(alloc_iova(iovad, 1, ULONG_MAX, false), ULONG_MAX, ULONG_MAX);
	assert_iova_consistent(iovad);
}

static void test_a_domain_starting_at_pfn_zero_hands_out_pfn_zero(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;

	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 0, 3);
	assert_iova_range(alloc_iova(iovad, 2, ULONG_MAX, true), 2, 3);
	assert_iova_range(alloc_iova(iovad, 2, ULONG_MAX, true), 0, 1);
	assert_ptr_equal(find_iova(iovad, 0)->pfn_lo, 0);
	assert_null(alloc_iova(iovad, 1, ULONG_MAX, false));
	assert_iova_consistent(iovad);
}

static void test_sizes_too_large_to_align_or_fit_fail_cleanly(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	assert_null(alloc_iova(iovad, (1UL << 63) + 1, ULONG_MAX, true));
	assert_null(alloc_iova(iovad, ULONG_MAX, ULONG_MAX, false));
	assert_null(alloc_iova(iovad, IOVA_TEST_TOP + 1, ULONG_MAX, false));
	assert_iova_range(alloc_iova(iovad, IOVA_TEST_TOP, ULONG_MAX, false), 1, IOVA_TEST_TOP);
	assert_iova_consistent(iovad);
}

static void test_zero_size_is_warned_and_fails(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	assert_null(alloc_iova(iovad, 0, IOVA_TEST_TOP, false));
	assert_warned("alloc_iova: zero size");
	assert_null(alloc_iova(iovad, 0, IOVA_TEST_TOP, true));
	assert_warned("alloc_iova: zero size");
	assert_int_equal(iova_test_nr_ranges(iovad), 0);
}

static void test_stats_count_allocations_frees_and_free_space(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iosim_iova_stats stats;
	struct iova *a, *b;

	a = alloc_iova(iovad, 16, IOVA_TEST_TOP, true);
	b = alloc_iova(iovad, 16, 0x7ffff, true);
	assert_null(alloc_iova(iovad, IOVA_TEST_TOP, IOVA_TEST_TOP, false));
	iosim_iova_get_stats(iovad, &stats);
	assert_int_equal(stats.nr_ranges, 2);
	assert_int_equal(stats.nr_allocs, 2);
	assert_int_equal(stats.nr_alloc_fails, 1);
	assert_int_equal(stats.free_pfns, IOVA_TEST_TOP - 32);
	assert_int_equal(stats.largest_free_pfns, 0x7fff0);	/* [0x80000, 0xfffef] */
	__free_iova(iovad, a);
	__free_iova(iovad, b);
	iosim_iova_get_stats(iovad, &stats);
	assert_int_equal(stats.nr_frees, 2);
	assert_int_equal(stats.largest_free_pfns, IOVA_TEST_TOP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOVA_TEST(test_alloc_is_top_down_from_the_limit),
		IOVA_TEST(test_size_aligned_alloc_aligns_pfn_lo_down_without_padding_the_size),
		IOVA_TEST(test_aligned_alloc_skips_gaps_that_are_long_enough_but_misaligned),
		IOVA_TEST(test_alloc_respects_limit_pfn),
		IOVA_TEST(test_limit_above_the_domain_is_clipped_to_dma_32bit_pfn),
		IOVA_TEST(test_alloc_stays_at_or_above_start_pfn),
		IOVA_TEST(test_limit_below_start_pfn_fails_without_warning),
		IOVA_TEST(test_exhaustion_returns_null_and_leaves_the_domain_unchanged),
		IOVA_TEST(test_find_iova_matches_exactly_the_range_bounds),
		IOVA_TEST(test_freed_space_is_reused_top_down),
		IOVA_TEST(test_free_iova_frees_the_range_containing_any_of_its_pfns),
		IOVA_TEST(test_unit_helpers_follow_the_kernel),
		IOVA_TEST(test_iova_size_and_dma_addr_of_null_warn_and_yield_zero),
		IOVA_TEST(test_init_refuses_a_granule_that_is_not_a_power_of_two),
		IOVA_TEST(test_init_refuses_a_zero_granule),
		IOVA_TEST(test_init_warns_on_a_granule_above_page_size_but_works),
		IOVA_TEST(test_put_iova_domain_frees_everything_and_the_domain_is_reusable),
		IOVA_TEST(test_put_of_a_never_initialised_domain_does_nothing),
		IOVA_TEST(test_a_never_initialised_domain_warns_when_used),
		IOVA_TEST(test_reinit_of_a_domain_holding_ranges_warns_and_keeps_them),
		IOVA_TEST(test_a_domain_at_the_very_top_of_the_pfn_space),
		IOVA_TEST(test_a_domain_starting_at_pfn_zero_hands_out_pfn_zero),
		IOVA_TEST(test_sizes_too_large_to_align_or_fit_fail_cleanly),
		IOVA_TEST(test_zero_size_is_warned_and_fails),
		IOVA_TEST(test_stats_count_allocations_frees_and_free_space),
	};

	return cmocka_run_group_tests_name("iova_alloc", tests, NULL, NULL);
}
