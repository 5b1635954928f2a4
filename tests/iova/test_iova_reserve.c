// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * reserve_iova(), copy_reserved_iova() and split_and_remove_iova(), with the
 * kernel's rules: overlapped ranges grow down, the rest above becomes a new
 * range; reserved frames are never handed out; split leaves the outer parts.
 */
#include "iova_test.h"

#include <linux/kernel.h>

static struct iova_domain *other_domain(void **state)
{
	return &((struct iova_fixture *)*state)->other;
}

static void test_reserve_of_free_space_creates_a_range(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *iova = reserve_iova(iovad, 0x100, 0x1ff);

	assert_iova_range(iova, 0x100, 0x1ff);
	assert_ptr_equal(find_iova(iovad, 0x100), iova);
	assert_ptr_equal(find_iova(iovad, 0x1ff), iova);
	assert_null(find_iova(iovad, 0x200));
	assert_int_equal(iova_test_nr_ranges(iovad), 1);
	assert_iova_consistent(iovad);
}

static void test_reserved_frames_are_never_handed_out(void **state)
{
	struct iova_domain *iovad = other_domain(state);
	unsigned long pfn, nr = 0;
	struct iova *iova;

	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 1, 64);
	assert_non_null(reserve_iova(iovad, 10, 20));
	assert_non_null(reserve_iova(iovad, 40, 40));
	assert_non_null(reserve_iova(iovad, 64, 64));
	while ((iova = alloc_iova(iovad, 1, ULONG_MAX, false)) != NULL) {
		assert_false(iova->pfn_lo >= 10 && iova->pfn_lo <= 20);
		assert_int_not_equal(iova->pfn_lo, 40);
		assert_int_not_equal(iova->pfn_lo, 64);
		nr++;
		assert_iova_consistent(iovad);
	}
	assert_int_equal(nr, 64 - 13);
	for (pfn = 10; pfn <= 20; pfn++)
		assert_int_equal(find_iova(iovad, pfn)->pfn_lo, 10);
}

static void test_reserve_overlapping_a_range_extends_it_down(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 16, 0x100f, false);

	assert_iova_range(a, 0x1000, 0x100f);
	assert_ptr_equal(reserve_iova(iovad, 0xff0, 0x1005), a);
	assert_iova_range(a, 0xff0, 0x100f);
	assert_ptr_equal(find_iova(iovad, 0xff0), a);
	assert_int_equal(iova_test_nr_ranges(iovad), 1);
	assert_iova_consistent(iovad);
}

static void test_reserve_reaching_past_a_range_adds_a_range_above_it(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 16, 0x100f, false);
	struct iova *r = reserve_iova(iovad, 0x1008, 0x1020);

	assert_iova_range(a, 0x1000, 0x100f);
	assert_iova_range(r, 0x1010, 0x1020);
	assert_int_equal(iova_test_nr_ranges(iovad), 2);
	assert_iova_consistent(iovad);
}

static void test_reserve_spanning_several_ranges_fills_the_gaps_between_them(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 16, 0x100f, false);
	struct iova *b = alloc_iova(iovad, 16, 0x102f, false);
	struct iova *r;
	unsigned long pfn;

	assert_iova_range(b, 0x1020, 0x102f);
	r = reserve_iova(iovad, 0xff0, 0x1040);
	assert_iova_range(a, 0xff0, 0x100f);
	assert_iova_range(b, 0x1010, 0x102f);
	assert_iova_range(r, 0x1030, 0x1040);
	for (pfn = 0xff0; pfn <= 0x1040; pfn++)
		assert_non_null(find_iova(iovad, pfn));
	assert_int_equal(iova_test_nr_ranges(iovad), 3);
	assert_iova_consistent(iovad);
}

static void test_reserve_ending_inside_a_later_range_returns_that_range(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 16, 0x100f, false);
	struct iova *b = alloc_iova(iovad, 16, 0x102f, false);
	unsigned long live = iosim_iova_nr_live();

	assert_ptr_equal(reserve_iova(iovad, 0x1008, 0x1024), b);
	assert_iova_range(a, 0x1000, 0x100f);
	assert_iova_range(b, 0x1010, 0x102f);
	assert_int_equal(iosim_iova_nr_live(), live);
	assert_iova_consistent(iovad);
}

static void test_reserve_inside_a_range_returns_it_without_allocating(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 16, 0x100f, false);
	unsigned long live = iosim_iova_nr_live();

	assert_ptr_equal(reserve_iova(iovad, 0x1004, 0x1008), a);
	assert_ptr_equal(reserve_iova(iovad, 0x1000, 0x100f), a);
	assert_iova_range(a, 0x1000, 0x100f);
	assert_int_equal(iosim_iova_nr_live(), live);
	assert_iova_consistent(iovad);
}

static void test_reserve_of_an_inverted_range_is_warned(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	assert_null(reserve_iova(iovad, 0x10, 0xf));
	assert_warned("reserve_iova: empty range");
	assert_int_equal(iova_test_nr_ranges(iovad), 0);
}

static void test_reserve_outside_the_domain_is_allowed_and_harmless(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	assert_iova_range(reserve_iova(iovad, 0, 0), 0, 0);
	assert_iova_range(reserve_iova(iovad, ULONG_MAX, ULONG_MAX), ULONG_MAX, ULONG_MAX);
	/* Overlaps the range at ULONG_MAX, which grows down to cover it. */
	assert_iova_range(reserve_iova(iovad, IOVA_TEST_TOP + 1, ULONG_MAX), IOVA_TEST_TOP + 1,
			  ULONG_MAX);
	assert_iova_range(alloc_iova(iovad, 1, ULONG_MAX, false), IOVA_TEST_TOP, IOVA_TEST_TOP);
	assert_iova_range(alloc_iova(iovad, 1, IOVA_TEST_START, false), IOVA_TEST_START,
			  IOVA_TEST_START);
	assert_iova_consistent(iovad);
}

static void test_reserve_returns_cached_ranges_to_the_tree_first(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iosim_iova_stats stats;
	unsigned long pfn = alloc_iova_fast(iovad, 1, IOVA_TEST_TOP);

	assert_int_equal(pfn, IOVA_TEST_TOP);
	free_iova_fast(iovad, pfn, 1);
	iosim_iova_get_stats(iovad, &stats);
	assert_int_equal(stats.nr_cached, 1);

	/* The cached range must not absorb the reservation. */
	assert_iova_range(reserve_iova(iovad, pfn, pfn), pfn, pfn);
	iosim_iova_get_stats(iovad, &stats);
	assert_int_equal(stats.nr_cached, 0);
	assert_int_equal(stats.nr_ranges, 1);
	assert_int_equal(alloc_iova_fast(iovad, 1, IOVA_TEST_TOP), IOVA_TEST_TOP - 1);
	assert_iova_consistent(iovad);
}

static void test_copy_reserved_iova_reserves_every_range_of_the_source(void **state)
{
	struct iova_domain *from = fixture_domain(state), *to = other_domain(state);
	struct iova *t;

	assert_non_null(reserve_iova(from, 0x10, 0x1f));
	assert_non_null(alloc_iova(from, 4, IOVA_TEST_TOP, true));	/* allocated count too */
	assert_non_null(reserve_iova(from, 0x40, 0x40));
	t = alloc_iova(to, 8, 0x17, false);				/* [0x10, 0x17] */
	assert_iova_range(t, 0x10, 0x17);

	copy_reserved_iova(from, to);
	assert_ptr_equal(find_iova(to, 0x10), t);
	assert_iova_range(find_iova(to, 0x18), 0x18, 0x1f);
	assert_iova_range(find_iova(to, 0x40), 0x40, 0x40);
	assert_iova_range(find_iova(to, IOVA_TEST_TOP), IOVA_TEST_TOP - 3, IOVA_TEST_TOP);
	assert_int_equal(iova_test_nr_ranges(to), 4);
	assert_int_equal(iova_test_nr_ranges(from), 3);
	assert_iova_consistent(from);
	assert_iova_consistent(to);
}

static void test_copy_reserved_iova_onto_itself_is_warned(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	assert_non_null(reserve_iova(iovad, 0x10, 0x1f));
	copy_reserved_iova(iovad, iovad);
	assert_warned("same domain");
	assert_int_equal(iova_test_nr_ranges(iovad), 1);
}

static void test_split_takes_the_middle_and_leaves_both_ends(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 16, 0x100f, false), *got;

	got = split_and_remove_iova(iovad, a, 0x1004, 0x1007);
	assert_ptr_equal(got, a);
	assert_iova_range(got, 0x1004, 0x1007);
	assert_null(find_iova(iovad, 0x1004));
	assert_null(find_iova(iovad, 0x1007));
	assert_iova_range(find_iova(iovad, 0x1000), 0x1000, 0x1003);
	assert_iova_range(find_iova(iovad, 0x100f), 0x1008, 0x100f);
	assert_int_equal(iova_test_nr_ranges(iovad), 2);
	assert_iova_consistent(iovad);
	free_iova_mem(got);
	/* The hole is free space again. */
	assert_iova_range(alloc_iova(iovad, 4, 0x1007, true), 0x1004, 0x1007);
	assert_iova_consistent(iovad);
}

static void test_split_of_the_whole_range_detaches_it(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 16, 0x100f, false);
	unsigned long live = iosim_iova_nr_live();

	assert_ptr_equal(split_and_remove_iova(iovad, a, 0x1000, 0x100f), a);
	assert_int_equal(iova_test_nr_ranges(iovad), 0);
	assert_int_equal(iosim_iova_nr_live(), live);
	assert_iova_consistent(iovad);
	free_iova_mem(a);
}

static void test_split_reaching_past_the_range_takes_only_the_overlap(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 16, 0x100f, false);

	assert_ptr_equal(split_and_remove_iova(iovad, a, 0xff0, 0x1003), a);
	assert_iova_range(a, 0x1000, 0x1003);
	assert_iova_range(find_iova(iovad, 0x1004), 0x1004, 0x100f);
	assert_iova_consistent(iovad);
	free_iova_mem(a);
	a = find_iova(iovad, 0x1004);
	assert_ptr_equal(split_and_remove_iova(iovad, a, 0x100c, ULONG_MAX), a);
	assert_iova_range(a, 0x100c, 0x100f);
	assert_iova_range(find_iova(iovad, 0x1004), 0x1004, 0x100b);
	assert_iova_consistent(iovad);
	free_iova_mem(a);
}

static void test_split_misuse_is_warned_and_changes_nothing(void **state)
{
	struct iova_domain *iovad = fixture_domain(state), *other = other_domain(state);
	struct iova *a = alloc_iova(iovad, 16, 0x100f, false);
	struct iova *o = alloc_iova(other, 16, 0x100f, false);

	assert_null(split_and_remove_iova(iovad, a, 0x2000, 0x2001));
	assert_warned("is not part of iova");
	assert_null(split_and_remove_iova(iovad, a, 0x1008, 0x1004));
	assert_warned("empty range");
	assert_null(split_and_remove_iova(iovad, NULL, 0x1000, 0x1001));
	assert_warned("NULL iova");
	assert_null(split_and_remove_iova(iovad, o, 0x1000, 0x1001));
	assert_warned("not a range of this domain");
	assert_iova_range(a, 0x1000, 0x100f);
	assert_iova_range(o, 0x1000, 0x100f);
	assert_int_equal(iova_test_nr_ranges(iovad), 1);
	assert_iova_consistent(iovad);
	assert_iova_consistent(other);
}

static void test_copy_into_an_unusable_domain_does_nothing(void **state)
{
	struct iova_domain *from = fixture_domain(state), *to = other_domain(state);

	/* A destination with a refused granule takes nothing; not a crash. */
	assert_non_null(reserve_iova(from, 0x10, 0x1f));
	put_iova_domain(to);
	init_iova_domain(to, 3, 1, 0xff);
	assert_warned("not a power of two");
	copy_reserved_iova(from, to);
	assert_no_warnings();
	assert_int_equal(iova_test_nr_ranges(to), 0);
	init_iova_domain(to, IOVA_TEST_GRANULE, 1, 0xff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOVA_TEST(test_reserve_of_free_space_creates_a_range),
		IOVA_TEST(test_reserved_frames_are_never_handed_out),
		IOVA_TEST(test_reserve_overlapping_a_range_extends_it_down),
		IOVA_TEST(test_reserve_reaching_past_a_range_adds_a_range_above_it),
		IOVA_TEST(test_reserve_spanning_several_ranges_fills_the_gaps_between_them),
		IOVA_TEST(test_reserve_ending_inside_a_later_range_returns_that_range),
		IOVA_TEST(test_reserve_inside_a_range_returns_it_without_allocating),
		IOVA_TEST(test_reserve_of_an_inverted_range_is_warned),
		IOVA_TEST(test_reserve_outside_the_domain_is_allowed_and_harmless),
		IOVA_TEST(test_reserve_returns_cached_ranges_to_the_tree_first),
		IOVA_TEST(test_copy_reserved_iova_reserves_every_range_of_the_source),
		IOVA_TEST(test_copy_reserved_iova_onto_itself_is_warned),
		IOVA_TEST(test_split_takes_the_middle_and_leaves_both_ends),
		IOVA_TEST(test_split_of_the_whole_range_detaches_it),
		IOVA_TEST(test_split_reaching_past_the_range_takes_only_the_overlap),
		IOVA_TEST(test_split_misuse_is_warned_and_changes_nothing),
		IOVA_TEST(test_copy_into_an_unusable_domain_does_nothing),
	};

	return cmocka_run_group_tests_name("iova_reserve", tests, NULL, NULL);
}
