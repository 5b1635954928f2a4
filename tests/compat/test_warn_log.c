// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* WARN/BUG are recorded and survivable; printk lands in a searchable log. */
#include "iosim_test.h"

#include <string.h>

#include <linux/kernel.h>
#include <iosim/log.h>
#include <iosim/warn.h>

static void test_warn_returns_condition_and_records_file_line(void **state)
{
	const struct iosim_warn_hit *hit;
	int line;

	(void)state;
	assert_false(WARN(0, "never %d", 1));
	assert_int_equal(iosim_warn_count(), 0);

	line = __LINE__ + 1;
	assert_true(WARN(2 > 1, "value was %d", 7));
	assert_int_equal(iosim_warn_count(), 1);
	hit = iosim_warn_last();
	assert_non_null(hit);
	assert_string_equal(hit->msg, "value was 7");
	assert_int_equal(hit->line, line);
	assert_non_null(strstr(hit->file, "test_warn_log.c"));
	assert_string_equal(hit->func, "test_warn_returns_condition_and_records_file_line");
	assert_false(hit->is_bug);
	assert_warned("value was 7");
	assert_int_equal(iosim_warn_count(), 0);
}

static void test_warn_on_names_the_condition(void **state)
{
	int x = 3;

	(void)state;
	assert_true(WARN_ON(x == 3));
	assert_warned("WARN_ON(x == 3)");
}

static int warn_once_site(int v)
{
	return WARN_ON_ONCE(v);
}

static void test_warn_on_once_records_a_site_only_once(void **state)
{
	(void)state;
	assert_true(warn_once_site(1));
	assert_true(warn_once_site(1));
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("WARN_ON_ONCE(v)");
}

static void test_bug_on_is_recorded_and_returns(void **state)
{
	int reached = 0;

	(void)state;
	BUG_ON(1 + 1 == 2);
	reached = 1;
	assert_int_equal(reached, 1);
	assert_int_equal(iosim_bug_count(), 1);
	assert_true(iosim_warn_last()->is_bug);
	assert_warned("BUG_ON(1 + 1 == 2)");
	assert_int_equal(iosim_bug_count(), 0);
}

static void test_warn_ring_keeps_the_most_recent_hits(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < IOSIM_WARN_KEEP + 10; i++)
		WARN(1, "hit %d", i);
	assert_int_equal(iosim_warn_count(), IOSIM_WARN_KEEP + 10);
	assert_string_equal(iosim_warn_last()->msg, "hit 73");
	assert_false(iosim_warn_seen("hit 9\0"));
	assert_true(iosim_warn_seen("hit 10"));
	iosim_warn_reset();
	assert_null(iosim_warn_last());
}

static void test_printk_levels_and_log_search(void **state)
{
	int old;

	(void)state;
	old = iosim_log_set_console_level(0);	/* keep the test output clean */
	pr_warn("domain %s has %d mappings\n", "d0", 3);
	pr_info("quiet info\n");
	pr_debug("debug %d\n", 1);	/* compiled out without DEBUG */
	assert_int_equal(iosim_log_count(), 2);
	assert_true(iosim_log_seen("domain d0 has 3 mappings"));
	assert_true(iosim_log_seen("quiet info"));
	assert_false(iosim_log_seen("debug 1"));
	assert_int_equal(printk("plain %s\n", "text"), (int)strlen("plain text\n"));
	iosim_log_reset();
	assert_int_equal(iosim_log_count(), 0);
	assert_false(iosim_log_seen("plain"));
	iosim_log_set_console_level(old);
}

/*
 * Messages as long as the kernel keeps (LOG_LINE_MAX, 992 bytes with the
 * NUL) are kept whole in the log and in a WARN's record; what runs past
 * that is cut, as the kernel cuts it.  A report naming a long source path
 * ends well past 256 bytes.
 */
static void test_long_messages_are_kept_up_to_the_kernels_line_limit(void **state)
{
	char text[1200];
	int old;

	(void)state;
	memset(text, 'x', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	memcpy(text + 600, "MID", 3);				/* inside the limit */
	memcpy(text + IOSIM_LOG_LINE_LEN - 1 - 4, "LAST", 4);	/* the last bytes kept */
	memcpy(text + IOSIM_LOG_LINE_LEN, "GONE", 4);		/* past the limit */
	old = iosim_log_set_console_level(0);
	pr_warn("%s\n", text);
	assert_true(iosim_log_seen("MID"));
	assert_true(iosim_log_seen("LAST"));
	assert_false(iosim_log_seen("GONE"));
	iosim_log_set_console_level(old);

	assert_true(WARN(1, "%s", text));
	assert_true(iosim_warn_seen("MID"));
	assert_true(iosim_warn_seen("LAST"));
	assert_false(iosim_warn_seen("GONE"));
	assert_int_equal(strlen(iosim_warn_last()->msg), IOSIM_WARN_MSG_LEN - 1);
	iosim_warn_reset();
	iosim_log_reset();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_warn_returns_condition_and_records_file_line),
		IOSIM_TEST(test_warn_on_names_the_condition),
		IOSIM_TEST(test_warn_on_once_records_a_site_only_once),
		IOSIM_TEST(test_bug_on_is_recorded_and_returns),
		IOSIM_TEST(test_warn_ring_keeps_the_most_recent_hits),
		IOSIM_TEST(test_printk_levels_and_log_search),
		IOSIM_TEST(test_long_messages_are_kept_up_to_the_kernels_line_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
