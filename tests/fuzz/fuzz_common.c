// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The oracle's failure report and the per-input set-up and tear-down shared
 * by every harness (see fuzz_common.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/warn.h>

#include "fuzz_common.h"

static const char *fuzz_expected_rule;

void fuzz_set_expected_rule(const char *rule)
{
	fuzz_expected_rule = rule;
}

void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  rule broken: %s\n  last WARN: %s\n",
		file, line, cond, msg, fuzz_last_warn());
	fflush(stderr);
	if (fuzz_expected_rule) {
		if (strstr(msg, fuzz_expected_rule)) {
			fprintf(stderr, "fuzz: the expected finding \"%s\" was reproduced\n",
				fuzz_expected_rule);
			_exit(1);
		}
		fprintf(stderr, "fuzz: a different finding than the expected \"%s\"\n",
			fuzz_expected_rule);
		_exit(3);
	}
	abort();
}

void fuzz_begin(void)
{
	iosim_warn_set_quiet(true);
	iosim_log_set_console_level(0);
	iosim_bug_set_action(IOSIM_BUG_RECORD);
	iosim_warn_reset();
	iosim_log_reset();
	iosim_fault_reset();
}

void fuzz_end(unsigned long ram_leaked_pages)
{
	char report[256];
	long live;

	iosim_fault_reset();
	FUZZ_CHECK(ram_leaked_pages == 0, "leak: iosim_ram_exit() reports %lu leaked pages",
		   ram_leaked_pages);
	live = iosim_live_total();
	FUZZ_CHECK(live == 0, "leak: %ld simulated objects still alive at the end of the input: %s",
		   live, iosim_live_report(report, sizeof(report)));
}

unsigned long fuzz_warns(void)
{
	return iosim_warn_count();
}

void fuzz_expect_warns(unsigned long before, unsigned long nr, const char *what)
{
	unsigned long got = iosim_warn_count() - before;

	FUZZ_CHECK(got == nr, "warn-count: %s: expected %lu WARN(s), got %lu", what, nr, got);
}

void fuzz_trace(const char *fmt, ...)
{
	static int enabled = -1;
	va_list ap;

	if (enabled < 0)
		enabled = getenv("FUZZ_TRACE") != NULL;
	if (!enabled)
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *fuzz_last_warn(void)
{
	const struct iosim_warn_hit *hit = iosim_warn_last();

	return hit ? hit->msg : "(none)";
}
