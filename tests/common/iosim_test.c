// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "iosim_test.h"

#include <stdio.h>
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#endif

#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/locks.h>
#include <iosim/log.h>
#include <iosim/warn.h>

void iosim_release_left_locks(const char *file, int line)
{
	unsigned int n = iosim_locks_release_held();

	if (n) {
		print_error("%u lock(s) left held (released so the next test can run)\n", n);
		_fail(file, line);
	}
}

int iosim_test_setup(void **state)
{
	(void)state;
	iosim_release_left_locks(__FILE__, __LINE__);
	iosim_warn_reset();
	iosim_log_reset();
	iosim_fault_reset();
	iosim_warn_set_quiet(true);
	return 0;
}

int iosim_test_teardown(void **state)
{
	(void)state;
	iosim_release_left_locks(__FILE__, __LINE__);
	iosim_fault_reset();
	iosim_assert_no_warnings(__FILE__, __LINE__);
	iosim_assert_no_live_objects(__FILE__, __LINE__);
	return 0;
}

void iosim_assert_warned(const char *substr, const char *file, int line)
{
	if (!iosim_warn_seen(substr)) {
		const struct iosim_warn_hit *last = iosim_warn_last();

		print_error("expected a WARN containing \"%s\"; last WARN: %s\n",
			       substr, last ? last->msg : "(none)");
		_fail(file, line);
	}
	iosim_warn_reset();
}

void iosim_assert_no_warnings(const char *file, int line)
{
	unsigned long n = iosim_warn_count();

	if (n) {
		const struct iosim_warn_hit *last = iosim_warn_last();

		print_error("%lu unexpected WARN(s); last at %s:%d: %s\n", n,
			       last->file, last->line, last->msg);
		iosim_warn_reset();
		_fail(file, line);
	}
}

void iosim_assert_no_live_objects(const char *file, int line)
{
	char report[256];

	if (iosim_live_total()) {
		print_error("live simulated objects remain: %s\n",
			       iosim_live_report(report, sizeof(report)));
		_fail(file, line);
	}
}

bool iosim_bytes_all(const void *p, int c, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != (unsigned char)c)
			return false;
	return true;
}

bool iosim_under_memcheck(void)
{
#if __has_include(<valgrind/memcheck.h>)
	unsigned char byte = 0, vbits;

	/* Memcheck answers 1 for an addressable byte; other tools leave 0. */
	return RUNNING_ON_VALGRIND && VALGRIND_GET_VBITS(&byte, &vbits, 1) == 1;
#else
	return false;
#endif
}
