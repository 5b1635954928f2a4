// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* The arithmetic, bitops, log2 and error-pointer helpers of the shim. */
#include "iosim_test.h"

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/sizes.h>
#include <linux/mm.h>
#include <iosim/live.h>

static void test_align_rounds_up_to_power_of_two_boundaries(void **state)
{
	(void)state;
	assert_int_equal(ALIGN(0, 4096), 0);
	assert_int_equal(ALIGN(1, 4096), 4096);
	assert_int_equal(ALIGN(4096, 4096), 4096);
	assert_true(ALIGN(0x100000001ULL, SZ_4K) == 0x100001000ULL);
	assert_int_equal(PAGE_ALIGN(1UL), PAGE_SIZE);
	assert_true(IS_ALIGNED(0x2000UL, 0x1000));
	assert_false(IS_ALIGNED(0x2001UL, 0x1000));
	assert_int_equal(round_up(5, 4), 8);
	assert_int_equal(round_down(7, 4), 4);
	assert_int_equal(DIV_ROUND_UP(9, 4), 3);
	assert_int_equal(roundup(10, 3), 12);
	assert_int_equal(rounddown(10, 3), 9);
}

static void test_min_max_helpers_pick_by_value_and_type(void **state)
{
	unsigned long a = 3, b = 7;
	int x = -1;

	(void)state;
	assert_int_equal(min(a, b), 3);
	assert_int_equal(max(a, b), 7);
	/* min_t converts first: -1 as unsigned long is the largest value. */
	assert_int_equal(min_t(unsigned long, x, b), 7);
	assert_int_equal(max_t(int, x, 0), 0);
	assert_int_equal(clamp(10, 0, 5), 5);
	assert_int_equal(min3(4, 2, 3), 2);
	assert_true(upper_32_bits(0x123456789ULL) == 0x1);
	assert_true(lower_32_bits(0x123456789ULL) == 0x23456789);
}

static void test_bitops_find_bits_as_the_kernel(void **state)
{
	unsigned long map[2] = { 0, 0 };

	(void)state;
	assert_int_equal(__ffs(0x10UL), 4);
	assert_int_equal(__fls(0x10UL), 4);
	assert_int_equal(__fls(~0UL), 63);
	assert_int_equal(ffs(0), 0);
	assert_int_equal(ffs(0x8), 4);
	assert_int_equal(fls(0), 0);
	assert_int_equal(fls(1), 1);
	assert_int_equal(fls(-1), 32);
	assert_int_equal(fls64(0), 0);
	assert_int_equal(fls64(1ULL << 40), 41);
	assert_int_equal(ffz(0x7UL), 3);
	assert_int_equal(hweight64(0xF0F0ULL), 8);
	assert_true(GENMASK(7, 4) == 0xF0UL);
	assert_true(GENMASK_ULL(63, 62) == 0xC000000000000000ULL);

	set_bit(70, map);
	assert_true(test_bit(70, map));
	assert_int_equal(map[1], 1UL << 6);
	assert_true(test_and_clear_bit(70, map));
	assert_false(test_and_set_bit(3, map));
	assert_true(test_bit(3, map));
	__clear_bit(3, map);
	assert_int_equal(map[0], 0);
}

static void test_ffs_of_zero_warns_instead_of_undefined_behaviour(void **state)
{
	(void)state;
	assert_int_equal(__ffs(0), 0);
	assert_warned("__ffs(0)");
	assert_int_equal(__fls(0), 0);
	assert_warned("__fls(0)");
}

static void test_log2_helpers(void **state)
{
	(void)state;
	assert_false(is_power_of_2(0));
	assert_true(is_power_of_2(1));
	assert_true(is_power_of_2(1UL << 63));
	assert_false(is_power_of_2(12));
	assert_int_equal(roundup_pow_of_two(1), 1);
	assert_int_equal(roundup_pow_of_two(5), 8);
	assert_int_equal(roundup_pow_of_two(8), 8);
	assert_int_equal(rounddown_pow_of_two(9), 8);
	assert_int_equal(ilog2(4096), 12);
	assert_int_equal(order_base_2(0), 0);
	assert_int_equal(order_base_2(5), 3);
}

static void test_get_order_covers_size_with_pages(void **state)
{
	(void)state;
	assert_int_equal(get_order(1), 0);
	assert_int_equal(get_order(PAGE_SIZE), 0);
	assert_int_equal(get_order(PAGE_SIZE + 1), 1);
	assert_int_equal(get_order(4 * PAGE_SIZE), 2);
	assert_int_equal(get_order(4 * PAGE_SIZE + 1), 3);
}

static void test_error_pointers_round_trip(void **state)
{
	void *p = ERR_PTR(-ENOMEM);
	int x;

	(void)state;
	assert_true(IS_ERR(p));
	assert_int_equal(PTR_ERR(p), -ENOMEM);
	assert_true(IS_ERR_OR_NULL(NULL));
	assert_false(IS_ERR(&x));
	assert_int_equal(PTR_ERR_OR_ZERO(&x), 0);
	assert_int_equal(PTR_ERR_OR_ZERO(ERR_PTR(-EPROBE_DEFER)), -EPROBE_DEFER);
	assert_int_equal(ENOTSUPP, 524);
	assert_int_equal(EPROBE_DEFER, 517);
	assert_int_equal(ENOMEM, 12);
}

struct item {
	int value;
	struct list_head node;
};

static void test_list_keeps_order_and_poisons_deleted_entries(void **state)
{
	LIST_HEAD(head);
	struct item items[4], *pos, *tmp;
	int i, expect = 0;

	(void)state;
	for (i = 0; i < 4; i++) {
		items[i].value = i;
		list_add_tail(&items[i].node, &head);
	}
	list_for_each_entry(pos, &head, node)
		assert_int_equal(pos->value, expect++);
	assert_int_equal(expect, 4);

	list_del(&items[1].node);
	assert_ptr_equal(items[1].node.next, LIST_POISON1);
	expect = 0;
	list_for_each_entry_reverse(pos, &head, node)
		expect = expect * 10 + pos->value;
	assert_int_equal(expect, 320);

	list_for_each_entry_safe(pos, tmp, &head, node)
		list_del_init(&pos->node);
	assert_true(list_empty(&head));
}

/*
 * <iosim/live.h> for a kind out of range: no count, a "?" name, and an add
 * that WARNs and counts nothing (a test's "nothing left alive" stays true).
 */
static void test_live_counts_refuse_a_kind_out_of_range(void **state)
{
	const enum iosim_obj bad = (enum iosim_obj)IOSIM_OBJ_NR;
	long total = iosim_live_total();

	(void)state;
	assert_string_equal(iosim_obj_name(IOSIM_OBJ_PAGE), "page");
	assert_string_equal(iosim_obj_name(bad), "?");
	assert_int_equal(iosim_live(bad), 0);
	iosim_live_add(bad, 1);
	assert_warned("iosim_live_add: no object kind");
	assert_int_equal(iosim_live(bad), 0);
	assert_int_equal(iosim_live_total(), total);
}

static void test_container_of_finds_the_enclosing_struct(void **state)
{
	struct item it = { .value = 42 };

	(void)state;
	assert_ptr_equal(container_of(&it.node, struct item, node), &it);
	assert_int_equal(list_entry(&it.node, struct item, node)->value, 42);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_align_rounds_up_to_power_of_two_boundaries),
		IOSIM_TEST(test_min_max_helpers_pick_by_value_and_type),
		IOSIM_TEST(test_bitops_find_bits_as_the_kernel),
		IOSIM_TEST(test_ffs_of_zero_warns_instead_of_undefined_behaviour),
		IOSIM_TEST(test_log2_helpers),
		IOSIM_TEST(test_get_order_covers_size_with_pages),
		IOSIM_TEST(test_error_pointers_round_trip),
		IOSIM_TEST(test_list_keeps_order_and_poisons_deleted_entries),
		IOSIM_TEST(test_container_of_finds_the_enclosing_struct),
		IOSIM_TEST(test_live_counts_refuse_a_kind_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
