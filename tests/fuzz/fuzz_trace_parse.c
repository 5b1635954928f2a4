// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * fuzz_trace_parse - the simulator's reader of the kernel's dma:* trace
 * lines (tools/iommudma-sim/trace_parse.c), the text a user feeds
 * `iommudma-sim --replay` from a machine of theirs: whatever bytes come,
 * iosim_trace_parse_line() answers as its contract says.
 *
 * Input: text, split into lines at '\n' (at most MAX_LINES; a NUL ends a
 * line early, as it would a C string read from a file).  Each line is
 * parsed as it is, and again with the newline the contract allows.
 *
 * The oracle, per line:
 *  - the result is one of the documented ones (an event, not an event, an
 *    unknown event, -EINVAL); -ENOMEM never, unless a failure was injected;
 *  - an event passes iosim_trace_event_check() and carries the line number;
 *    any other result leaves the event empty (all zero, no arrays);
 *  - -EINVAL says why, in a terminated message naming the line; an unknown
 *    event's name comes back terminated and not empty;
 *  - the same line with its newline, and the same line parsed again, give
 *    the same result and the same event (every field, every array entry);
 *  - an allocation-failure sweep (the nth allocation of the shim's slab
 *    failing, for each n the parse makes): -ENOMEM with the event empty, or
 *    the very same answer; nothing is leaked either way;
 *  - nothing WARNs, and at the end of the input no simulated object is
 *    alive (every array was released).
 *
 * Then the whole input goes through the file reader's text back end
 * (iosim_trace_reader_open_text() on the bytes in memory), which splits the
 * lines itself: it counts every line of the input; its checker passes after
 * every step; next() answers an event or the end (-ENOMEM and -EIO need an
 * injected failure or a read error); events come in rising line order, and
 * each is the event the line parser gives for that line's text when the line
 * holds no NUL byte (which the reader refuses).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>

#include <iosim/fault.h>
#include <iosim/ram.h>

#include "fuzz_common.h"
#include "trace_event.h"
#include "trace_reader.h"

#define MAX_LINES	16
#define MAX_LINE	4096	/* longer lines are cut: a kernel line is shorter */
#define MAX_SWEEP	16	/* allocations a parse may make that the sweep fails */

static struct {
	char line[MAX_LINE + 2];	/* and a newline, and its NUL */
	struct iosim_trace_event ev, again;
	struct iosim_trace_error err;
	char unknown[24], unknown_again[24];
} S;

static bool event_empty(const struct iosim_trace_event *ev)
{
	static const struct iosim_trace_event empty;

	return !memcmp(ev, &empty, sizeof(*ev));
}

static bool arrays_equal(const uint64_t *a, const uint64_t *b, size_t n)
{
	return n == 0 || (a && b && !memcmp(a, b, n * sizeof(*a)));
}

/* Every field of two events, arrays by content. */
static bool events_equal(const struct iosim_trace_event *a, const struct iosim_trace_event *b)
{
	return a->kind == b->kind && a->old_name == b->old_name && a->line == b->line &&
	       a->ts_ns == b->ts_ns && a->cpu == b->cpu && a->pid == b->pid &&
	       !strcmp(a->task, b->task) && !strcmp(a->device, b->device) && a->dir == b->dir &&
	       a->has == b->has && a->dma_addr == b->dma_addr && a->phys_addr == b->phys_addr &&
	       a->size == b->size && a->attrs == b->attrs && a->virt_addr == b->virt_addr &&
	       !strcmp(a->gfp, b->gfp) && a->err == b->err &&
	       a->nents_recorded == b->nents_recorded && a->nents_total == b->nents_total &&
	       a->ents_recorded == b->ents_recorded && a->ents_total == b->ents_total &&
	       a->truncated == b->truncated && a->nr_phys == b->nr_phys && a->nr_dma == b->nr_dma &&
	       arrays_equal(a->phys_addrs, b->phys_addrs, a->nr_phys) &&
	       arrays_equal(a->dma_addrs, b->dma_addrs, a->nr_dma) &&
	       arrays_equal(a->dma_lens, b->dma_lens, a->nr_dma);
}

/* A parse's answer, as the contract describes it; @injected: a failure was armed. */
static void check_answer(int ret, const struct iosim_trace_event *ev, const char *unknown,
			 unsigned long lineno, bool injected, const char *how)
{
	FUZZ_CHECK(ret == IOSIM_TRACE_EVENT || ret == IOSIM_TRACE_NOT_EVENT ||
		   ret == IOSIM_TRACE_UNKNOWN_EVENT || ret == -EINVAL ||
		   (ret == -ENOMEM && injected),
		   "result: line %lu (%s) gave %d", lineno, how, ret);
	if (ret == IOSIM_TRACE_EVENT) {
		FUZZ_CHECK(iosim_trace_event_check(ev) == 0, "event-check: line %lu (%s): %s",
			   lineno, how, fuzz_last_warn());
		FUZZ_CHECK(ev->line == lineno, "line: line %lu (%s) gave an event of line %lu",
			   lineno, how, ev->line);
		return;
	}
	FUZZ_CHECK(event_empty(ev), "empty: line %lu (%s) gave %d and left the event filled in",
		   lineno, how, ret);
	if (ret == -EINVAL)
		FUZZ_CHECK(S.err.line == lineno && S.err.msg[0] &&
			   memchr(S.err.msg, '\0', sizeof(S.err.msg)),
			   "error: line %lu (%s) was refused without a terminated reason naming it",
			   lineno, how);
	if (ret == IOSIM_TRACE_UNKNOWN_EVENT)
		FUZZ_CHECK(unknown[0] && memchr(unknown, '\0', sizeof(S.unknown)),
			   "unknown: line %lu (%s) names no event", lineno, how);
}

static int parse(const char *line, unsigned long lineno, struct iosim_trace_event *ev,
		 char *unknown)
{
	memset(unknown, 0, sizeof(S.unknown));
	memset(&S.err, 0, sizeof(S.err));
	return iosim_trace_parse_line(line, lineno, ev, unknown, sizeof(S.unknown), &S.err);
}

/* Parse @S.line again as @how says, and compare with the first answer. */
static void check_same(int ret, unsigned long lineno, const char *how)
{
	int again = parse(S.line, lineno, &S.again, S.unknown_again);

	check_answer(again, &S.again, S.unknown_again, lineno, false, how);
	FUZZ_CHECK(again == ret, "same: line %lu gave %d, and %d %s", lineno, ret, again, how);
	if (ret == IOSIM_TRACE_EVENT)
		FUZZ_CHECK(events_equal(&S.ev, &S.again), "same: line %lu gave another event %s",
			   lineno, how);
	if (ret == IOSIM_TRACE_UNKNOWN_EVENT)
		FUZZ_CHECK(!strcmp(S.unknown, S.unknown_again),
			   "same: line %lu named \"%s\", and \"%s\" %s", lineno, S.unknown,
			   S.unknown_again, how);
	iosim_trace_event_release(&S.again);
}

/* Fail each of the parse's allocations in turn: -ENOMEM and nothing, or the same answer. */
static void sweep_allocations(int ret, unsigned long lineno)
{
	unsigned long n;
	int got;

	for (n = 1; n <= MAX_SWEEP; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		got = parse(S.line, lineno, &S.again, S.unknown_again);
		if (!iosim_fault_injected()) {
			/* The parse makes fewer than n allocations: the sweep is done. */
			iosim_fault_reset();
			FUZZ_CHECK(got == ret, "sweep: line %lu gave %d, then %d", lineno, ret, got);
			iosim_trace_event_release(&S.again);
			return;
		}
		iosim_fault_reset();
		check_answer(got, &S.again, S.unknown_again, lineno, true, "with an allocation failed");
		FUZZ_CHECK(got == -ENOMEM || got == ret,
			   "sweep: line %lu gave %d, and %d with allocation %lu failed", lineno, ret,
			   got, n);
		if (got == ret && ret == IOSIM_TRACE_EVENT)
			FUZZ_CHECK(events_equal(&S.ev, &S.again),
				   "sweep: line %lu gave another event with allocation %lu failed",
				   lineno, n);
		iosim_trace_event_release(&S.again);
	}
}

static void check_line(const char *text, size_t len, unsigned long lineno)
{
	unsigned long before = fuzz_warns();
	int ret;

	len = min_t(size_t, len, MAX_LINE);
	memcpy(S.line, text, len);
	S.line[len] = '\0';
	ret = parse(S.line, lineno, &S.ev, S.unknown);
	fuzz_trace("line %lu: %d%s%s", lineno, ret, ret == -EINVAL ? " " : "",
		   ret == -EINVAL ? S.err.msg : "");
	fuzz_digest_add(&ret, sizeof(ret));
	check_answer(ret, &S.ev, S.unknown, lineno, false, "as given");
	check_same(ret, lineno, "parsed again");
	S.line[len] = '\n';
	S.line[len + 1] = '\0';
	check_same(ret, lineno, "with its newline");
	S.line[len] = '\0';
	sweep_allocations(ret, lineno);
	if (ret == IOSIM_TRACE_EVENT) {
		fuzz_digest_add(&S.ev.kind, sizeof(S.ev.kind));
		fuzz_digest_add(&S.ev.nr_phys, sizeof(S.ev.nr_phys));
	}
	iosim_trace_event_release(&S.ev);
	fuzz_expect_warns(before, 0, "parsing a trace line");
}

/* The text of line @lineno (from 1) of the input: where it starts and its length. */
static bool find_line(const char *text, size_t size, unsigned long lineno, const char **line,
		      size_t *len)
{
	const char *end = text + size, *nl;

	for (; lineno > 1 && text < end; lineno--) {
		nl = memchr(text, '\n', (size_t)(end - text));
		text = nl ? nl + 1 : end;
	}
	if (text >= end)
		return false;
	nl = memchr(text, '\n', (size_t)(end - text));
	*line = text;
	*len = (size_t)((nl ? nl : end) - text);
	return true;
}

/* The file reader over the whole input, against the line parser. */
static void check_reader(const char *text, size_t size)
{
	FILE *f = fmemopen((void *)text, size, "r");
	const struct iosim_trace_stats *st;
	unsigned long lines = 0, last = 0;
	struct iosim_trace_reader *r;
	const char *line;
	size_t i, len;
	int ret;

	FUZZ_CHECK(f, "harness: fmemopen of %zu bytes failed", size);
	r = iosim_trace_reader_open_text(f, "fuzz");
	FUZZ_CHECK(r, "reader: no reader without an injected failure");
	for (;;) {
		ret = iosim_trace_reader_next(r, &S.ev);
		FUZZ_CHECK(iosim_trace_reader_check(r) == 0, "reader-check: %s", fuzz_last_warn());
		FUZZ_CHECK(ret == 0 || ret == 1, "reader: next() gave %d", ret);
		if (!ret)
			break;
		FUZZ_CHECK(iosim_trace_event_check(&S.ev) == 0 && S.ev.line > last,
			   "reader: an event of line %lu after line %lu: %s", S.ev.line, last,
			   fuzz_last_warn());
		last = S.ev.line;
		FUZZ_CHECK(find_line(text, size, S.ev.line, &line, &len),
			   "reader: an event of line %lu, past the input", S.ev.line);
		if (len <= MAX_LINE && !memchr(line, '\0', len)) {
			memcpy(S.line, line, len);
			S.line[len] = '\0';
			ret = parse(S.line, S.ev.line, &S.again, S.unknown_again);
			FUZZ_CHECK(ret == IOSIM_TRACE_EVENT && events_equal(&S.ev, &S.again),
				   "reader: line %lu is another event (%d) to the line parser",
				   S.ev.line, ret);
			iosim_trace_event_release(&S.again);
		}
		iosim_trace_event_release(&S.ev);
	}
	for (i = 0; i < size; i++)
		lines += text[i] == '\n';
	lines += text[size - 1] != '\n';
	st = iosim_trace_reader_stats(r);
	FUZZ_CHECK(st->lines == lines, "reader: %lu lines counted in an input of %lu", st->lines,
		   lines);
	fuzz_digest_add(&st->events, sizeof(st->events));
	iosim_trace_reader_close(r);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct iosim_ram_config ram = {
		.base_phys = IOSIM_RAM_DEFAULT_BASE_PHYS, .size_bytes = 256 * PAGE_SIZE,
	};
	const char *text = (const char *)data, *end = text + size;
	unsigned long lineno;

	fuzz_begin();
	fuzz_ram_get(&ram, false);
	for (lineno = 1; text < end && lineno <= MAX_LINES; lineno++) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));
		size_t len = (size_t)((nl ? nl : end) - text);
		const char *nul = memchr(text, '\0', len);

		check_line(text, nul ? (size_t)(nul - text) : len, lineno);
		text += len + (nl != NULL);
	}
	/* glibc's fmemopen() refuses an empty buffer. */
	if (size)
		check_reader((const char *)data, size);
	fuzz_end(fuzz_ram_put());
	return 0;
}
