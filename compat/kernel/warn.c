// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The WARN/BUG record: where the kernel would warn or die, we count, keep the
 * last IOSIM_WARN_KEEP hits in a ring, print them (unless quiet) and return.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <linux/kernel.h>
#include <iosim/warn.h>

static pthread_mutex_t warn_lock = PTHREAD_MUTEX_INITIALIZER;
static struct iosim_warn_hit warn_ring[IOSIM_WARN_KEEP];
static unsigned long warn_total;	/* hits since reset; ring index = total % KEEP */
static unsigned long bug_total;
static bool warn_quiet;
static enum iosim_bug_action bug_action = IOSIM_BUG_RECORD;
static struct iosim_warn_hit warn_last_copy;

void iosim_warn_record(const char *file, int line, const char *func,
		       bool is_bug, const char *fmt, ...)
{
	struct iosim_warn_hit *hit;
	va_list ap;
	bool quiet, abort_now;

	pthread_mutex_lock(&warn_lock);
	hit = &warn_ring[warn_total % IOSIM_WARN_KEEP];
	hit->file = file;
	hit->line = line;
	hit->func = func;
	hit->is_bug = is_bug;
	va_start(ap, fmt);
	vsnprintf(hit->msg, sizeof(hit->msg), fmt, ap);
	va_end(ap);
	warn_total++;
	if (is_bug)
		bug_total++;
	quiet = warn_quiet;
	abort_now = is_bug && bug_action == IOSIM_BUG_ABORT;
	if (!quiet || abort_now)
		fprintf(stderr, "%s: at %s:%d %s(): %s\n",
			is_bug ? "kernel BUG" : "WARNING", file, line, func, hit->msg);
	pthread_mutex_unlock(&warn_lock);

	if (abort_now)
		abort();
}

unsigned long iosim_warn_count(void)
{
	unsigned long n;

	pthread_mutex_lock(&warn_lock);
	n = warn_total;
	pthread_mutex_unlock(&warn_lock);
	return n;
}

unsigned long iosim_bug_count(void)
{
	unsigned long n;

	pthread_mutex_lock(&warn_lock);
	n = bug_total;
	pthread_mutex_unlock(&warn_lock);
	return n;
}

const struct iosim_warn_hit *iosim_warn_last(void)
{
	const struct iosim_warn_hit *ret = NULL;

	pthread_mutex_lock(&warn_lock);
	if (warn_total) {
		warn_last_copy = warn_ring[(warn_total - 1) % IOSIM_WARN_KEEP];
		ret = &warn_last_copy;
	}
	pthread_mutex_unlock(&warn_lock);
	return ret;
}

bool iosim_warn_seen(const char *substr)
{
	unsigned long i, kept;
	bool found = false;

	pthread_mutex_lock(&warn_lock);
	kept = warn_total < IOSIM_WARN_KEEP ? warn_total : IOSIM_WARN_KEEP;
	for (i = 0; i < kept && !found; i++)
		found = strstr(warn_ring[i].msg, substr) != NULL;
	pthread_mutex_unlock(&warn_lock);
	return found;
}

void iosim_warn_reset(void)
{
	pthread_mutex_lock(&warn_lock);
	/*
	 * Only the first warn_total slots are ever read: no need to clear the
	 * ring (the fuzzers reset after every input; clearing it was 18,000
	 * instructions each time).
	 */
	warn_total = 0;
	bug_total = 0;
	pthread_mutex_unlock(&warn_lock);
}

void iosim_warn_set_quiet(bool quiet)
{
	pthread_mutex_lock(&warn_lock);
	warn_quiet = quiet;
	pthread_mutex_unlock(&warn_lock);
}

enum iosim_bug_action iosim_bug_set_action(enum iosim_bug_action action)
{
	enum iosim_bug_action old;

	pthread_mutex_lock(&warn_lock);
	old = bug_action;
	bug_action = action;
	pthread_mutex_unlock(&warn_lock);
	return old;
}

void iosim_bitops_warn_zero(const char *func)
{
	WARN(1, "%s(0) is undefined", func);
}
