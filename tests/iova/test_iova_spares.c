// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * A domain's spare struct iova (lib/iova/iova_spares.c): freed nodes kept
 * for the next ranges.  Reuse must change nothing a caller can see except
 * the cost: placement, fault injection, misuse detection and accounting are
 * the same with or without a spare.
 */
#include "iova_test.h"

#include <linux/slab.h>
#include <iosim/fault.h>
#include <iosim/live.h>

#include "iova_internal.h"	/* iova_recent_slot() */

#define SLAB_SITE	IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB)

static unsigned long nr_spares(struct iova_domain *iovad)
{
	struct iosim_iova_stats stats;

	iosim_iova_get_stats(iovad, &stats);
	return stats.nr_spares;
}

/*
 * One range kept in @iovad (returned) and a second one freed, its struct
 * iova now the domain's only spare (*@spare, a stale pointer).
 */
static struct iova *keep_one_and_spare_one(struct iova_domain *iovad, struct iova **spare)
{
	struct iova *keep = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);

	*spare = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);
	assert_non_null(keep);
	assert_non_null(*spare);
	__free_iova(iovad, *spare);
	assert_int_equal(nr_spares(iovad), 1);
	return keep;
}

static void test_a_freed_iova_is_reused_by_the_next_allocation_of_its_domain(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *keep, *a, *b;
	unsigned long live = iosim_iova_nr_live();
	long slab;

	keep = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);
	a = alloc_iova(iovad, 4, IOVA_TEST_TOP, true);
	assert_iova_range(a, 0xffff8, 0xffffb);
	slab = iosim_live(IOSIM_OBJ_SLAB);
	__free_iova(iovad, a);
	assert_int_equal(nr_spares(iovad), 1);
	assert_int_equal(iosim_iova_nr_live(), live + 1);	/* keep: the spare is not live */
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);	/* kept, not freed */
	assert_iova_consistent(iovad);

	b = alloc_iova(iovad, 2, IOVA_TEST_TOP, true);
	assert_ptr_equal(b, a);
	assert_iova_range(b, 0xffffc, 0xffffd);			/* placed as ever */
	assert_int_equal(nr_spares(iovad), 0);
	assert_int_equal(iosim_iova_nr_live(), live + 2);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	assert_ptr_equal(find_iova(iovad, 0xffffd), b);
	assert_iova_consistent(iovad);
	__free_iova(iovad, b);
	__free_iova(iovad, keep);
}

static void test_a_domain_left_empty_returns_every_spare_to_the_slab(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	long slab = iosim_live(IOSIM_OBJ_SLAB);
	unsigned long live = iosim_iova_nr_live();
	struct iova *iovas[10];
	unsigned int i;

	for (i = 0; i < 10; i++)
		iovas[i] = alloc_iova(iovad, 1 + i, IOVA_TEST_TOP, false);
	for (i = 0; i < 9; i++)
		__free_iova(iovad, iovas[i]);
	assert_int_equal(nr_spares(iovad), 9);
	assert_iova_consistent(iovad);
	__free_iova(iovad, iovas[9]);
	assert_int_equal(nr_spares(iovad), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	assert_int_equal(iosim_iova_nr_live(), live);
	assert_iova_consistent(iovad);
}

static void test_a_domain_keeps_at_most_max_spares(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	const unsigned int n = IOSIM_IOVA_MAX_SPARES + 20;
	struct iova *iovas[IOSIM_IOVA_MAX_SPARES + 20];
	long slab_full;
	unsigned int i;

	for (i = 0; i < n; i++)
		iovas[i] = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);
	slab_full = iosim_live(IOSIM_OBJ_SLAB);
	for (i = 1; i < n; i++) {
		__free_iova(iovad, iovas[i]);
		assert_int_equal(nr_spares(iovad), min(i, IOSIM_IOVA_MAX_SPARES));
	}
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB),
			 slab_full - (long)(n - 1 - IOSIM_IOVA_MAX_SPARES));
	assert_iova_consistent(iovad);
	__free_iova(iovad, iovas[0]);
}

static void test_a_second_free_of_a_kept_iova_warns_and_changes_nothing(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *keep, *a;

	keep = keep_one_and_spare_one(iovad, &a);
	assert_no_warnings();

	__free_iova(iovad, a);
	assert_warned("is not a live iova (freed twice?)");
	free_iova_mem(a);
	assert_warned("is not a live iova (freed twice?)");
	assert_null(split_and_remove_iova(iovad, a, 0, 1));
	assert_warned("is not a range of this domain");
	assert_int_equal(nr_spares(iovad), 1);
	assert_int_equal(iova_test_nr_ranges(iovad), 1);
	assert_iova_consistent(iovad);

	/* Another domain's stale pointer: the same answer, nothing read through it. */
	__free_iova(&((struct iova_fixture *)*state)->other, a);
	assert_warned("is not a live iova (freed twice?)");
	__free_iova(iovad, keep);
}

static void test_a_write_through_a_stale_pointer_is_caught(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *keep, *a, *b;
	unsigned long saved;

	keep = keep_one_and_spare_one(iovad, &a);

	/* What buggy kernel code would do: update a range it freed. */
	saved = a->pfn_hi;
	a->pfn_hi = 0x1234;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("was written after it was freed");
	a->pfn_hi = saved;
	assert_iova_consistent(iovad);

	a->pfn_lo = 7;
	b = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);
	assert_warned("was written after its __free_iova()");
	assert_ptr_equal(b, a);
	assert_iova_range(b, 0xffffe, 0xffffe);		/* and it still works */
	assert_iova_consistent(iovad);
	__free_iova(iovad, b);
	__free_iova(iovad, keep);
}

/*
 * Taking a spare is an allocation: injected failures hit it as they hit
 * kmem_cache_alloc(), and leave the spare where it was.
 */
static void test_taking_a_spare_fails_under_fault_injection_and_keeps_it(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long calls;
	struct iova *keep, *a;

	keep = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);
	__free_iova(iovad, alloc_iova(iovad, 1, IOVA_TEST_TOP, false));
	assert_int_equal(nr_spares(iovad), 1);

	calls = iosim_fault_calls(SLAB_SITE);
	assert_non_null(a = alloc_iova(iovad, 1, IOVA_TEST_TOP, false));
	assert_int_equal(iosim_fault_calls(SLAB_SITE), calls + 1);
	__free_iova(iovad, a);

	iosim_fault_fail_nth(SLAB_SITE, 1);
	assert_null(alloc_iova(iovad, 1, IOVA_TEST_TOP, false));
	assert_int_equal(iosim_fault_injected(), 1);
	iosim_fault_reset();
	assert_int_equal(nr_spares(iovad), 1);
	assert_int_equal(iova_test_nr_ranges(iovad), 1);
	assert_iova_consistent(iovad);

	/* A fresh node that finds no room goes back to the slab, a spare to the spares. */
	assert_null(alloc_iova(iovad, 1, 0, false));
	assert_int_equal(nr_spares(iovad), 1);
	__free_iova(iovad, keep);
}

/* The checker sees a spare list out of step with its count or its marks. */
static void test_the_checker_catches_a_corrupted_spare_list(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *keep, *a;

	keep = keep_one_and_spare_one(iovad, &a);

	iovad->iosim_nr_spares = 2;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("spares on the list");
	iovad->iosim_nr_spares = 0;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("more spares on the list than");
	iovad->iosim_nr_spares = 1;

	a->iosim_freed = false;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("is not marked freed");
	a->iosim_freed = true;
	assert_iova_consistent(iovad);
	__free_iova(iovad, keep);
}

/*
 * __free_iova() trusts a pointer found in the domain's recent slots without a
 * registry lookup, so a freed range must leave them, and the checker must
 * catch a slot holding a stale pointer or a range in the wrong slot.
 */
static void test_a_freed_range_leaves_the_recent_slots_and_the_checker_sees_a_stale_one(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *keep, *a, **slot, *saved;
	unsigned int i;

	keep = keep_one_and_spare_one(iovad, &a);
	for (i = 0; i < IOSIM_IOVA_RECENT_SLOTS; i++)
		assert_ptr_not_equal(iovad->iosim_recent[i], a);

	slot = iova_recent_slot(iovad, a);
	saved = *slot;
	*slot = a;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("not a live range of this domain");
	*slot = saved;
	assert_iova_consistent(iovad);

	slot = &iovad->iosim_recent[(iova_recent_slot(iovad, keep) - iovad->iosim_recent + 1) %
				    IOSIM_IOVA_RECENT_SLOTS];
	saved = *slot;
	*slot = keep;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("neither parked nor in the tree there");
	*slot = saved;
	assert_iova_consistent(iovad);
	__free_iova(iovad, keep);
	for (i = 0; i < IOSIM_IOVA_RECENT_SLOTS; i++)
		assert_null(iovad->iosim_recent[i]);
}

/* Splitting off the last range empties the domain: its spares go too. */
static void test_splitting_off_the_last_range_returns_the_spares(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	long slab = iosim_live(IOSIM_OBJ_SLAB);
	struct iova *keep, *detached;

	keep = alloc_iova(iovad, 4, IOVA_TEST_TOP, true);
	__free_iova(iovad, alloc_iova(iovad, 1, IOVA_TEST_TOP, false));
	assert_int_equal(nr_spares(iovad), 1);
	detached = split_and_remove_iova(iovad, keep, keep->pfn_lo, keep->pfn_hi);
	assert_ptr_equal(detached, keep);
	assert_int_equal(iova_test_nr_ranges(iovad), 0);
	assert_int_equal(nr_spares(iovad), 0);
	assert_iova_consistent(iovad);
	free_iova_mem(detached);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
}

static void test_put_iova_domain_frees_the_spares(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	long slab = iosim_live(IOSIM_OBJ_SLAB);
	unsigned long live = iosim_iova_nr_live();

	assert_non_null(alloc_iova(iovad, 1, IOVA_TEST_TOP, false));
	__free_iova(iovad, alloc_iova(iovad, 1, IOVA_TEST_TOP, false));
	assert_int_equal(nr_spares(iovad), 1);
	put_iova_domain(iovad);
	assert_int_equal(nr_spares(iovad), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	assert_int_equal(iosim_iova_nr_live(), live);
	assert_iova_consistent(iovad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOVA_TEST(test_a_freed_iova_is_reused_by_the_next_allocation_of_its_domain),
		IOVA_TEST(test_a_domain_left_empty_returns_every_spare_to_the_slab),
		IOVA_TEST(test_a_domain_keeps_at_most_max_spares),
		IOVA_TEST(test_a_second_free_of_a_kept_iova_warns_and_changes_nothing),
		IOVA_TEST(test_a_write_through_a_stale_pointer_is_caught),
		IOVA_TEST(test_taking_a_spare_fails_under_fault_injection_and_keeps_it),
		IOVA_TEST(test_the_checker_catches_a_corrupted_spare_list),
		IOVA_TEST(test_splitting_off_the_last_range_returns_the_spares),
		IOVA_TEST(test_put_iova_domain_frees_the_spares),
		IOVA_TEST(test_a_freed_range_leaves_the_recent_slots_and_the_checker_sees_a_stale_one),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
