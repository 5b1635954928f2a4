// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Fault-injection patterns: nth, from-nth, random, per-order, per-site masks; the host site. */
#include "iosim_test.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include <linux/kernel.h>
#include <iosim/fault.h>

#define SLAB	IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB)
#define PAGES	IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC)

static void test_fail_nth_fails_exactly_one_call(void **state)
{
	int i, failed_at = -1, failures = 0;

	(void)state;
	iosim_fault_fail_nth(SLAB, 3);
	for (i = 1; i <= 6; i++) {
		if (iosim_fault_should_fail(IOSIM_FAULT_SLAB)) {
			failed_at = i;
			failures++;
		}
	}
	assert_int_equal(failures, 1);
	assert_int_equal(failed_at, 3);
	assert_int_equal(iosim_fault_injected(), 1);
	assert_int_equal(iosim_fault_calls(SLAB), 6);
}

static void test_unarmed_sites_are_counted_but_never_fail(void **state)
{
	int i;

	(void)state;
	iosim_fault_fail_nth(SLAB, 1);
	for (i = 0; i < 5; i++)
		assert_false(iosim_fault_should_fail(IOSIM_FAULT_PAGE_ALLOC));
	assert_int_equal(iosim_fault_calls(PAGES), 5);
	assert_true(iosim_fault_should_fail(IOSIM_FAULT_SLAB));
}

static void test_fail_from_fails_every_later_call(void **state)
{
	int i;

	(void)state;
	iosim_fault_fail_from(SLAB | PAGES, 2);
	assert_false(iosim_fault_should_fail(IOSIM_FAULT_PAGE_ALLOC));
	for (i = 0; i < 4; i++)
		assert_true(iosim_fault_should_fail(i & 1 ? IOSIM_FAULT_SLAB : IOSIM_FAULT_PAGE_ALLOC));
	assert_int_equal(iosim_fault_injected(), 4);
}

static void test_fail_random_is_deterministic_per_seed(void **state)
{
	bool first[200];
	int i, fails = 0;

	(void)state;
	iosim_fault_fail_random(SLAB, 250000, 42);
	for (i = 0; i < 200; i++) {
		first[i] = iosim_fault_should_fail(IOSIM_FAULT_SLAB);
		fails += first[i];
	}
	/* 25% of 200, with generous slack for the generator. */
	assert_in_range(fails, 25, 75);
	iosim_fault_fail_random(SLAB, 250000, 42);
	for (i = 0; i < 200; i++)
		assert_int_equal(iosim_fault_should_fail(IOSIM_FAULT_SLAB), first[i]);
}

static void test_page_order_mask_fails_only_those_orders(void **state)
{
	(void)state;
	iosim_fault_fail_page_orders((1UL << 2) | (1UL << 5));
	assert_false(iosim_fault_should_fail_order(0));
	assert_true(iosim_fault_should_fail_order(2));
	assert_true(iosim_fault_should_fail_order(5));
	assert_false(iosim_fault_should_fail_order(6));
	assert_false(iosim_fault_should_fail_order(200));
	iosim_fault_reset();
	assert_false(iosim_fault_should_fail_order(2));
}

static void test_reset_disarms_and_zeroes(void **state)
{
	(void)state;
	iosim_fault_fail_from(IOSIM_FAULT_ALL, 1);
	assert_true(iosim_fault_should_fail(IOSIM_FAULT_VMALLOC));
	iosim_fault_reset();
	assert_false(iosim_fault_should_fail(IOSIM_FAULT_VMALLOC));
	assert_int_equal(iosim_fault_injected(), 0);
	assert_int_equal(iosim_fault_calls(IOSIM_FAULT_ALL), 1);
	assert_string_equal(iosim_fault_site_name(IOSIM_FAULT_PGTABLE), "pgtable");
	assert_string_equal(iosim_fault_site_name(IOSIM_FAULT_NR_SITES), "?");
}

static void test_bad_site_is_warned_not_counted(void **state)
{
	(void)state;
	assert_false(iosim_fault_should_fail(IOSIM_FAULT_NR_SITES));
	assert_warned("IOSIM_FAULT_NR_SITES");
}

/*
 * The host site: its wrappers fail when it is armed and only then, and the
 * masks of kernel sites leave it out, so kernel-API sweeps keep their count.
 */
static void test_host_site_fails_its_wrappers_and_stays_out_of_kernel_masks(void **state)
{
	void *p = NULL;

	(void)state;
	assert_string_equal(iosim_fault_site_name(IOSIM_FAULT_HOST), "host");
	assert_false(IOSIM_FAULT_ALLOCS & IOSIM_FAULT_SITE(IOSIM_FAULT_HOST));
	assert_false(IOSIM_FAULT_KERNEL & IOSIM_FAULT_SITE(IOSIM_FAULT_HOST));
	assert_int_equal(IOSIM_FAULT_KERNEL | IOSIM_FAULT_SITE(IOSIM_FAULT_HOST), IOSIM_FAULT_ALL);

	iosim_fault_fail_from(IOSIM_FAULT_KERNEL, 1);
	p = iosim_host_calloc(4, 8);
	assert_non_null(p);
	assert_true(iosim_bytes_all(p, 0, 32));
	free(p);
	p = NULL;
	assert_int_equal(iosim_host_memalign(&p, 4096, 100), 0);
	assert_int_equal((uintptr_t)p % 4096, 0);
	free(p);
	assert_int_equal(iosim_fault_injected(), 0);
	assert_int_equal(iosim_fault_calls(IOSIM_FAULT_SITE(IOSIM_FAULT_HOST)), 2);

	iosim_fault_fail_from(IOSIM_FAULT_SITE(IOSIM_FAULT_HOST), 1);
	assert_null(iosim_host_calloc(4, 8));
	p = &p;
	assert_int_equal(iosim_host_memalign(&p, 4096, 100), ENOMEM);
	assert_ptr_equal(p, &p);	/* untouched */
	assert_int_equal(iosim_fault_injected(), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_fail_nth_fails_exactly_one_call),
		IOSIM_TEST(test_unarmed_sites_are_counted_but_never_fail),
		IOSIM_TEST(test_fail_from_fails_every_later_call),
		IOSIM_TEST(test_fail_random_is_deterministic_per_seed),
		IOSIM_TEST(test_page_order_mask_fails_only_those_orders),
		IOSIM_TEST(test_reset_disarms_and_zeroes),
		IOSIM_TEST(test_bad_site_is_warned_not_counted),
		IOSIM_TEST(test_host_site_fails_its_wrappers_and_stays_out_of_kernel_masks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
