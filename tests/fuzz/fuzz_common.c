// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The oracle's failure report and the per-input set-up and tear-down shared
 * by every harness (see fuzz_common.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/cache.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/ram_reset.h>
#include <iosim/warn.h>

#include "fuzz_common.h"

static const char *fuzz_expected_rule;
static uint64_t fuzz_digest_state;
static bool fuzz_digest_enabled;

#define FUZZ_DIGEST_SEED	0xcbf29ce484222325ULL
#define FUZZ_DIGEST_MUL		0x9e3779b97f4a7c15ULL

static inline uint64_t fuzz_digest_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * FUZZ_DIGEST_MUL;
	return h ^ (h >> 29);
}

FUZZ_FILL
bool fuzz_bytes_differ(const void *a, const void *b, size_t len)
{
	const unsigned char *x = a, *y = b;
	uint64_t wx, wy, diff = 0;
	size_t i;

	/* No early exit: the loop vectorises, and a difference is a failure. */
	for (i = 0; i + sizeof(wx) <= len; i += sizeof(wx)) {
		memcpy(&wx, x + i, sizeof(wx));
		memcpy(&wy, y + i, sizeof(wy));
		diff |= wx ^ wy;
	}
	for (; i < len; i++)
		diff |= (uint64_t)(x[i] ^ y[i]);
	return diff != 0;
}

FUZZ_NO_COVERAGE
size_t fuzz_first_difference(const void *a, const void *b, size_t len)
{
	const unsigned char *x = a, *y = b;
	size_t off;

	for (off = 0; off + 1 < len && x[off] == y[off]; off++)
		;
	return off;
}

/* A word at a time: the device's reads run to megabytes per input. */
FUZZ_NO_COVERAGE
void fuzz_digest_add(const void *p, size_t len)
{
	const unsigned char *b = p;
	uint64_t h = fuzz_digest_state, w;
	size_t i;

	if (!fuzz_digest_enabled)
		return;
	for (i = 0; i + sizeof(w) <= len; i += sizeof(w)) {
		memcpy(&w, b + i, sizeof(w));
		h = fuzz_digest_mix(h, w);
	}
	w = 0;
	memcpy(&w, b + i, len - i);
	/* The length too, so that adjacent fields cannot trade bytes. */
	h = fuzz_digest_mix(fuzz_digest_mix(h, w), len);
	fuzz_digest_state = h;
	if (len <= 8) {
		memcpy(&w, p, len);
		fuzz_trace("  digest += %#llx (%zu bytes)", (unsigned long long)w, len);
	} else {
		fuzz_trace("  digest += %zu bytes", len);
	}
}

void fuzz_digest_enable(void)
{
	fuzz_digest_enabled = true;
}

uint64_t fuzz_digest(void)
{
	return fuzz_digest_state;
}

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

/*
 * FUZZ_TIMING: the CPU time of this thread from fuzz_begin() to fuzz_end(),
 * summed over the inputs and printed at exit.  Without it a replay's
 * figures include what is not the harness: reading each input's file,
 * libFuzzer's start-up, LeakSanitizer's scan at exit.
 */
static struct {
	int enabled;			/* -1: FUZZ_TIMING not looked up yet */
	unsigned long begun, ended;
	double start_ns, total_ns;
} fuzz_timing = { .enabled = -1 };

static double fuzz_thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void fuzz_timing_report(void)
{
	fprintf(stderr, "fuzz-timing: %lu inputs (%lu begun), %.1f us of harness CPU time per input\n",
		fuzz_timing.ended, fuzz_timing.begun,
		fuzz_timing.ended ? fuzz_timing.total_ns / 1e3 / (double)fuzz_timing.ended : 0.0);
}

static void fuzz_timing_begin(void)
{
	if (fuzz_timing.enabled < 0) {
		fuzz_timing.enabled = getenv("FUZZ_TIMING") != NULL;
		if (fuzz_timing.enabled)
			atexit(fuzz_timing_report);
	}
	if (!fuzz_timing.enabled)
		return;
	fuzz_timing.begun++;
	fuzz_timing.start_ns = fuzz_thread_cpu_ns();
}

static void fuzz_timing_end(void)
{
	if (fuzz_timing.enabled <= 0)
		return;
	fuzz_timing.ended++;
	fuzz_timing.total_ns += fuzz_thread_cpu_ns() - fuzz_timing.start_ns;
}

void fuzz_begin(void)
{
	fuzz_timing_begin();
	iosim_warn_set_quiet(true);
	iosim_log_set_console_level(0);
	iosim_bug_set_action(IOSIM_BUG_RECORD);
	iosim_warn_reset();
	iosim_log_reset();
	iosim_fault_reset();
	fuzz_digest_state = FUZZ_DIGEST_SEED;
}

/* Simulated objects kept across inputs, by kind (fuzz_keep_objects()). */
static long fuzz_kept_objects[IOSIM_OBJ_NR];

void fuzz_keep_objects(const long kept[IOSIM_OBJ_NR])
{
	if (kept)
		memcpy(fuzz_kept_objects, kept, sizeof(fuzz_kept_objects));
	else
		memset(fuzz_kept_objects, 0, sizeof(fuzz_kept_objects));
}

void fuzz_end(unsigned long ram_leaked_pages)
{
	unsigned long warns = iosim_warn_count(), bugs = iosim_bug_count();
	char report[256];
	int kind;

	fuzz_digest_add(&warns, sizeof(warns));
	fuzz_digest_add(&bugs, sizeof(bugs));
	iosim_fault_reset();
	FUZZ_CHECK(ram_leaked_pages == 0, "leak: %lu simulated pages still allocated at the end of the input",
		   ram_leaked_pages);
	for (kind = 0; kind < IOSIM_OBJ_NR; kind++)
		FUZZ_CHECK(iosim_live(kind) == fuzz_kept_objects[kind],
			   "leak: %ld simulated %s objects alive at the end of the input, %ld kept across inputs (alive: %s)",
			   iosim_live(kind), iosim_obj_name(kind), fuzz_kept_objects[kind],
			   iosim_live_report(report, sizeof(report)));
	fuzz_timing_end();
}

unsigned long fuzz_warns(void)
{
	return iosim_warn_count();
}

void fuzz_expect_warns(unsigned long before, unsigned long nr, const char *what)
{
	unsigned long got = iosim_warn_count() - before;

	fuzz_digest_add(&got, sizeof(got));
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

/*
 * Simulated RAM outlives the input: it is created on the first input (or
 * when an input wants another size or cache-model setting) and reset at the
 * end of every input to a state nothing can tell from a fresh RAM
 * (<iosim/ram_reset.h>).  Creating it per input cost most of a harness's
 * time: a memfd, page faults on every frame touched, struct pages.
 */
static struct {
	bool live;
	struct iosim_ram_config cfg;
	bool cache_model;
} fuzz_ram;

/*
 * With FUZZ_CHECK_FRESH set in the environment, the reset RAM is compared
 * with a fresh one after every input (iosim_ram_check_fresh(), O(RAM)): the
 * order-independence tests of `meson test --suite fuzz` set it.
 */
static int fuzz_check_fresh = -1;

void fuzz_ram_get(const struct iosim_ram_config *cfg, bool cache_model)
{
	int ret;

	if (fuzz_ram.live && fuzz_ram.cfg.size_bytes == cfg->size_bytes &&
	    fuzz_ram.cache_model == cache_model) {
		if (fuzz_ram.cfg.base_phys == cfg->base_phys)
			return;		/* reset at the end of the last input */
		ret = iosim_ram_reset_rebase(cfg->base_phys);
		FUZZ_CHECK(ret == 0 || ret == -EINVAL, "harness: iosim_ram_reset_rebase failed: %d",
			   ret);
		if (!ret) {
			fuzz_ram.cfg = *cfg;
			return;
		}
	}
	if (fuzz_ram.live) {
		unsigned long leaked = iosim_ram_exit();

		FUZZ_CHECK(leaked == 0, "harness: the reset RAM had %lu pages allocated", leaked);
		fuzz_ram.live = false;
	}
	/* Harnesses of the glue alone leave cache maintenance to no one: no model. */
	ret = iosim_cache_set_enabled(cache_model);
	FUZZ_CHECK(ret == 0, "harness: iosim_cache_set_enabled failed: %d", ret);
	ret = iosim_ram_init_resettable(cfg);
	FUZZ_CHECK(ret == 0, "harness: iosim_ram_init_resettable failed: %d", ret);
	fuzz_ram.live = true;
	fuzz_ram.cfg = *cfg;
	fuzz_ram.cache_model = cache_model;
}

/*
 * The end of an input: every page must be free again (else a leak, which
 * fuzz_end() reports); then RAM goes back to its fresh state.  Returns the
 * pages still allocated.
 */
unsigned long fuzz_ram_put(void)
{
	unsigned long leaked = iosim_ram_nr_pages() - iosim_ram_free_pages();
	int ret;

	if (leaked) {
		/* fuzz_end() reports it; the next input starts from a new RAM. */
		iosim_ram_exit();
		fuzz_ram.live = false;
		return leaked;
	}
	ret = iosim_ram_reset();
	FUZZ_CHECK(ret == 0, "harness: iosim_ram_reset failed: %d (%s)", ret, fuzz_last_warn());
	if (fuzz_check_fresh < 0)
		fuzz_check_fresh = getenv("FUZZ_CHECK_FRESH") != NULL;
	if (fuzz_check_fresh)
		FUZZ_CHECK(iosim_ram_check_fresh() == 0,
			   "reset: the reset RAM differs from a fresh one: %s", fuzz_last_warn());
	return 0;
}
