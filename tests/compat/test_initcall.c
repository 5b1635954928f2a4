// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Initcalls: registered at program load by the <linux/init.h> macros, never
 * called until iosim_initcalls_run(), which runs them in level order (then
 * registration order) on every simulated boot; a failing one is logged and
 * the rest still run; module_exit() calls run newest first.
 */
#include "iosim_test.h"

#include <string.h>

#include <linux/kernel.h>
#include <linux/init.h>
#include <iosim/initcall.h>
#include <iosim/log.h>

static char order[32];
static unsigned int nr_order;

static void note(char c)
{
	if (nr_order < sizeof(order) - 1)
		order[nr_order++] = c;
}

static int __init late_one(void) { note('L'); return 0; }
static int __init arch_one(void) { note('A'); return 0; }
static int __init core_one(void) { note('C'); return 0; }
static int __init arch_two(void) { note('a'); return -ENODEV; }
static int __init fs_one(void) { note('F'); return 0; }
static void __exit exit_one(void) { note('1'); }
static void __exit exit_two(void) { note('2'); }

late_initcall(late_one);
arch_initcall(arch_one);
core_initcall(core_one);
arch_initcall(arch_two);
fs_initcall(fs_one);
module_exit(exit_one);
module_exit(exit_two);

static void reset_order(void)
{
	memset(order, 0, sizeof(order));
	nr_order = 0;
}

static void test_initcalls_are_registered_but_not_called(void **state)
{
	(void)state;
	assert_int_equal(nr_order, 0);
	assert_int_equal(iosim_initcalls_registered(), 5);
}

static void test_initcalls_run_in_level_then_registration_order(void **state)
{
	(void)state;
	reset_order();
	assert_int_equal(iosim_initcalls_run(), 5);
	assert_string_equal(order, "CAaFL");
	/* The failing one is logged by name; the later ones still ran. */
	assert_true(iosim_log_seen("initcall arch_two returned -19"));
}

static void test_every_boot_runs_them_again(void **state)
{
	(void)state;
	reset_order();
	assert_int_equal(iosim_initcalls_run(), 5);
	assert_int_equal(iosim_initcalls_run(), 5);
	assert_string_equal(order, "CAaFLCAaFL");
}

static void test_exitcalls_run_newest_first(void **state)
{
	(void)state;
	reset_order();
	assert_int_equal(iosim_exitcalls_run(), 2);
	assert_string_equal(order, "21");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: nothing has run before main(). */
		IOSIM_TEST(test_initcalls_are_registered_but_not_called),
		IOSIM_TEST(test_initcalls_run_in_level_then_registration_order),
		IOSIM_TEST(test_every_boot_runs_them_again),
		IOSIM_TEST(test_exitcalls_run_newest_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
