// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Every misuse the kernel would crash or corrupt on is WARNed and ignored,
 * and the domain still passes the sanity checker afterwards.
 */
#include "iova_test.h"

#include <linux/kernel.h>

static struct iova_domain *other_domain(void **state)
{
	return &((struct iova_fixture *)*state)->other;
}

static void test_free_of_a_null_iova_is_warned(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	__free_iova(iovad, NULL);
	assert_warned("__free_iova: NULL iova");
	assert_iova_consistent(iovad);
}

static void test_freeing_an_iova_twice_is_warned_and_ignored(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);
	struct iova *b = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);

	__free_iova(iovad, a);
	assert_no_warnings();
	__free_iova(iovad, a);	/* a dangling pointer: never read */
	assert_warned("freed twice");
	assert_ptr_equal(find_iova(iovad, b->pfn_lo), b);
	assert_int_equal(iova_test_nr_ranges(iovad), 1);
	assert_iova_consistent(iovad);
}

static void test_freeing_an_iova_of_another_domain_is_warned_and_ignored(void **state)
{
	struct iova_domain *iovad = fixture_domain(state), *other = other_domain(state);
	struct iova *mine = alloc_iova(iovad, 4, IOVA_TEST_TOP, true);
	struct iova *theirs = alloc_iova(other, 4, IOVA_TEST_TOP, true);

	/* Same bounds in both domains: only ownership tells them apart. */
	assert_int_equal(mine->pfn_lo, theirs->pfn_lo);
	__free_iova(iovad, theirs);
	assert_warned("belongs to another domain");
	assert_ptr_equal(find_iova(iovad, mine->pfn_lo), mine);
	assert_ptr_equal(find_iova(other, theirs->pfn_lo), theirs);
	assert_iova_consistent(iovad);
	assert_iova_consistent(other);
}

static void test_freeing_a_detached_iova_into_a_domain_is_warned(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *detached = alloc_iova_mem();

	assert_non_null(detached);
	detached->pfn_lo = detached->pfn_hi = 0x10;
	__free_iova(iovad, detached);
	assert_warned("belongs to no domain");
	free_iova_mem(detached);
	assert_iova_consistent(iovad);
}

static void test_free_iova_of_an_unallocated_pfn_is_warned(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 2, IOVA_TEST_TOP, true);

	free_iova(iovad, 0x1234);
	assert_warned("free_iova: pfn 0x1234 is not allocated");
	free_iova(iovad, a->pfn_lo);
	assert_no_warnings();
	free_iova(iovad, IOVA_TEST_TOP);
	assert_warned("is not allocated");
	assert_iova_consistent(iovad);
}

static void test_free_iova_mem_of_an_iova_in_a_domain_is_warned(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 2, IOVA_TEST_TOP, true);

	free_iova_mem(a);
	assert_warned("still in a domain");
	assert_ptr_equal(find_iova(iovad, IOVA_TEST_TOP), a);
	assert_iova_consistent(iovad);
}

static void test_free_iova_mem_twice_is_warned_and_null_ignored(void **state)
{
	struct iova *m = alloc_iova_mem();

	(void)state;
	assert_non_null(m);
	free_iova_mem(m);
	free_iova_mem(m);
	assert_warned("is not a live iova");
	free_iova_mem(NULL);
	assert_no_warnings();
}

static void test_alloc_without_an_iova_cache_reference_is_warned(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	iova_cache_put();		/* the fixture's reference: the cache goes */
	assert_null(alloc_iova_mem());
	assert_warned("iova_cache_get() has not been called");
	assert_null(alloc_iova(iovad, 1, IOVA_TEST_TOP, false));
	assert_warned("iova_cache_get() has not been called");
	assert_int_equal(iova_cache_get(), 0);
	assert_non_null(alloc_iova(iovad, 1, IOVA_TEST_TOP, false));
}

static void test_unbalanced_iova_cache_put_is_warned(void **state)
{
	(void)state;
	iova_cache_put();
	iova_cache_put();
	assert_warned("no reference held");
	assert_int_equal(iova_cache_get(), 0);
}

static void test_last_cache_put_with_live_iovas_warns_and_keeps_the_cache(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);

	iova_cache_put();
	assert_warned("1 iovas still allocated");
	/* The leaked iova can still be freed, and new ones allocated. */
	__free_iova(iovad, a);
	assert_int_equal(iova_cache_get(), 0);
	assert_non_null(alloc_iova(iovad, 1, IOVA_TEST_TOP, false));
	assert_iova_consistent(iovad);
}

static void test_tree_frees_of_a_range_the_fast_path_holds_are_warned(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfn = alloc_iova_fast(iovad, 4, IOVA_TEST_TOP);
	struct iova *iova = find_iova(iovad, pfn);

	assert_iova_range(iova, pfn, pfn + 3);
	free_iova_fast(iovad, pfn, 4);
	free_iova(iovad, pfn);
	assert_warned("already freed with free_iova_fast()");
	__free_iova(iovad, iova);
	assert_warned("already freed with free_iova_fast()");
	assert_null(split_and_remove_iova(iovad, iova, pfn, pfn));
	assert_warned("cached by the fast path");
	assert_iova_consistent(iovad);
	/* The cache still hands it out, intact. */
	assert_int_equal(alloc_iova_fast(iovad, 4, IOVA_TEST_TOP), pfn);
	assert_iova_consistent(iovad);
}

static void test_checked_free_iova_fast_warns_at_the_call(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long one = alloc_iova_fast(iovad, 1, IOVA_TEST_TOP);
	unsigned long four = alloc_iova_fast(iovad, 4, IOVA_TEST_TOP);

	free_iova_fast(iovad, 0x1000, 1);
	assert_warned("free_iova_fast: pfn 0x1000 is not allocated");
	free_iova_fast(iovad, one, 1);
	free_iova_fast(iovad, one, 1);
	assert_warned("freed twice");
	free_iova_fast(iovad, four, 1);
	assert_warned("does not match");
	assert_null(find_iova(iovad, four));	/* freed to the tree instead */
	free_iova_fast(iovad, four, 0);
	assert_warned("free_iova_fast: zero size");
	assert_iova_consistent(iovad);
}

static void test_unchecked_bad_free_is_caught_when_the_range_leaves_the_cache(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);

	iosim_iova_set_fast_checks(iovad, false);
	free_iova_fast(iovad, 0x1000, 1);	/* trusted, as in the kernel */
	assert_no_warnings();
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("is not an allocated range");
	iosim_iova_rcache_flush(iovad);
	assert_warned("does not start an allocated range");
	assert_iova_consistent(iovad);
	iosim_iova_set_fast_checks(iovad, true);
}

/*
 * Unchecked, a range freed to the fast path twice is cached twice: the
 * checker finds it among hundreds of cached ranges (more than it collects
 * on its stack, more than qsort() sorts without a buffer), and again after
 * its scratch has grown.
 */
static void test_checker_finds_a_range_cached_twice_among_hundreds(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long pfns[300];
	unsigned int i, round;

	iosim_iova_set_fast_checks(iovad, false);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < ARRAY_SIZE(pfns); i++) {
			pfns[i] = alloc_iova_fast(iovad, 1, IOVA_TEST_TOP);
			assert_int_not_equal(pfns[i], 0);
		}
		for (i = 0; i < ARRAY_SIZE(pfns); i++)
			free_iova_fast(iovad, pfns[i], 1);
		assert_int_equal(iosim_iova_check(iovad), 0);
		free_iova_fast(iovad, pfns[round ? 0 : 217], 1);	/* trusted */
		assert_no_warnings();
		assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
		assert_warned("is cached twice");
		/* Leaving the cache, the second copy frees what the first did. */
		iosim_iova_rcache_flush(iovad);
		assert_warned("does not start an allocated range");
		assert_iova_consistent(iovad);
	}
	iosim_iova_set_fast_checks(iovad, true);
}

static void test_misuse_is_still_caught_after_the_live_iova_registry_grew_and_shrank(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a, *b;
	int i;

	/* Enough live iovas to grow the registry's table, then none. */
	for (i = 0; i < 5000; i++)
		assert_non_null(alloc_iova(iovad, 1, IOVA_TEST_TOP, false));
	put_iova_domain(iovad);
	assert_int_equal(iosim_iova_nr_live(), 0);

	a = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);
	b = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);
	__free_iova(iovad, a);
	__free_iova(iovad, a);
	assert_warned("freed twice");
	for (i = 0; i < 64; i++)
		free_iova_mem((struct iova *)((char *)b + 4096 * (i + 1)));
	assert_warned("is not a live iova");
	assert_ptr_equal(find_iova(iovad, b->pfn_lo), b);
	assert_iova_consistent(iovad);
}

static void test_a_null_domain_is_warned(void **state)
{
	(void)state;
	assert_null(alloc_iova(NULL, 1, 1, false));
	assert_warned("NULL iova domain");
	assert_null(find_iova(NULL, 1));
	assert_warned("NULL iova domain");
	free_iova(NULL, 1);
	assert_warned("NULL iova domain");
	assert_int_equal(alloc_iova_fast(NULL, 1, 1), 0);
	assert_warned("NULL iova domain");
	init_iova_domain(NULL, 4096, 1, 2);
	assert_warned("NULL iova domain");
	put_iova_domain(NULL);
	assert_no_warnings();
}

static void test_out_of_range_cpus_are_warned(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned int cpu = iosim_iova_this_cpu();

	free_cpu_cached_iovas(IOSIM_IOVA_NR_CPUS, iovad);
	assert_warned("no cpu");
	iosim_iova_set_cpu(IOSIM_IOVA_NR_CPUS + 3);
	assert_warned("out of range");
	assert_int_equal(iosim_iova_this_cpu(), 3);
	iosim_iova_set_cpu(cpu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOVA_TEST(test_free_of_a_null_iova_is_warned),
		IOVA_TEST(test_freeing_an_iova_twice_is_warned_and_ignored),
		IOVA_TEST(test_freeing_an_iova_of_another_domain_is_warned_and_ignored),
		IOVA_TEST(test_freeing_a_detached_iova_into_a_domain_is_warned),
		IOVA_TEST(test_free_iova_of_an_unallocated_pfn_is_warned),
		IOVA_TEST(test_free_iova_mem_of_an_iova_in_a_domain_is_warned),
		IOVA_TEST(test_free_iova_mem_twice_is_warned_and_null_ignored),
		IOVA_TEST(test_alloc_without_an_iova_cache_reference_is_warned),
		IOVA_TEST(test_unbalanced_iova_cache_put_is_warned),
		IOVA_TEST(test_last_cache_put_with_live_iovas_warns_and_keeps_the_cache),
		IOVA_TEST(test_tree_frees_of_a_range_the_fast_path_holds_are_warned),
		IOVA_TEST(test_checked_free_iova_fast_warns_at_the_call),
		IOVA_TEST(test_unchecked_bad_free_is_caught_when_the_range_leaves_the_cache),
		IOVA_TEST(test_checker_finds_a_range_cached_twice_among_hundreds),
		IOVA_TEST(test_misuse_is_still_caught_after_the_live_iova_registry_grew_and_shrank),
		IOVA_TEST(test_a_null_domain_is_warned),
		IOVA_TEST(test_out_of_range_cpus_are_warned),
	};

	return cmocka_run_group_tests_name("iova_misuse", tests, NULL, NULL);
}
