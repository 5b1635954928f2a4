// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The trace reader: lines of a text trace through iosim_trace_parse_line(),
 * or records of a trace.dat through tracedat.c, each one accounted in the
 * statistics (event by kind, not an event, unknown, malformed with reason).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "line_read.h"
#include "sim_support.h"
#include "trace_reader_internal.h"

#define LINE_CHUNK 1024

static const char trace_dat_magic[] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };

/* "seconds.fraction" with the fraction's printed digits, or the integer. */
static void format_ts(char *buf, size_t len, const struct sim_trace_ts *ts)
{
	uint32_t frac = ts->frac_ns;
	unsigned int i;

	if (!ts->digits) {
		snprintf(buf, len, "%llu", (unsigned long long)ts->whole);
		return;
	}
	for (i = ts->digits; i < 9; i++)
		frac /= 10;
	snprintf(buf, len, "%llu.%0*u", (unsigned long long)ts->whole, (int)ts->digits,
		 (unsigned int)frac);
}

/* Compare @ts with the last timestamp seen; count and tell a step back. */
static void check_ts(struct iosim_trace_reader *r, unsigned long line, const struct sim_trace_ts *ts)
{
	const struct sim_trace_ts *last = &r->last_ts;
	struct iosim_trace_error notice;
	char from[48], to[48];

	if (r->have_last_ts && (ts->whole < last->whole ||
				(ts->whole == last->whole && ts->frac_ns < last->frac_ns))) {
		r->stats.ts_backwards++;
		if (r->notice) {
			format_ts(from, sizeof(from), last);
			format_ts(to, sizeof(to), ts);
			notice.line = line;
			snprintf(notice.msg, sizeof(notice.msg), "timestamp goes back from %s to %s",
				 from, to);
			r->notice(r->notice_priv, &notice);
		}
	}
	r->last_ts = *ts;
	r->have_last_ts = true;
}

void sim_trace_account(struct iosim_trace_reader *r, int result, const struct iosim_trace_event *ev,
		       const char *unknown_name, const struct iosim_trace_error *err,
		       const struct sim_trace_ts *ts)
{
	struct iosim_trace_stats *st = &r->stats;
	unsigned int i;

	if (ts && (result == IOSIM_TRACE_EVENT || result == IOSIM_TRACE_UNKNOWN_EVENT))
		check_ts(r, r->stats.lines, ts);
	switch (result) {
	case IOSIM_TRACE_EVENT:
		st->events++;
		st->by_kind[ev->kind]++;
		st->old_names += ev->old_name;
		if (ev->kind == IOSIM_TRACE_MAP_SG && ev->truncated) {
			st->truncated_sg++;
			st->truncated_phys += ev->nents_total - ev->nents_recorded;
			st->truncated_dma += ev->ents_total - ev->ents_recorded;
		}
		break;
	case IOSIM_TRACE_NOT_EVENT:
		st->not_events++;
		break;
	case IOSIM_TRACE_UNKNOWN_EVENT:
		st->unknown++;
		for (i = 0; i < st->nr_unknown_names; i++)
			if (!strcmp(st->unknown_names[i], unknown_name))
				return;
		if (st->nr_unknown_names < IOSIM_TRACE_MAX_UNKNOWN_NAMES)
			snprintf(st->unknown_names[st->nr_unknown_names++], IOSIM_TRACE_NAME_LEN,
				 "%s", unknown_name);
		break;
	default:
		st->malformed++;
		if (st->nr_errors < IOSIM_TRACE_MAX_ERRORS)
			st->errors[st->nr_errors++] = *err;
		if (r->notice)
			r->notice(r->notice_priv, err);
		break;
	}
}

void iosim_trace_reader_set_notice(struct iosim_trace_reader *r, iosim_trace_notice_fn fn,
				   void *priv)
{
	r->notice = fn;
	r->notice_priv = priv;
}

/* "CPU:1 [LOST 12 EVENTS]" (ftrace) or "CPU:1 [12 EVENTS DROPPED]" (trace-cmd). */
static void count_lost(struct iosim_trace_reader *r, const char *line)
{
	const char *p = line + strspn(line, " \t");
	unsigned long n = 1;
	char *end;

	if (strncmp(p, "CPU:", 4) || (!strstr(p, "LOST") && !strstr(p, "DROPPED")))
		return;
	p = strchr(p, '[');
	if (!p)
		return;
	p++;
	if (!strncmp(p, "LOST ", 5))
		p += 5;
	if (*p >= '0' && *p <= '9') {
		n = strtoul(p, &end, 10);
		if (end == p || !n)
			n = 1;
	}
	sim_trace_count_lost(r, n);
}

void sim_trace_count_lost(struct iosim_trace_reader *r, unsigned long n)
{
	unsigned long room = ULONG_MAX - r->stats.lost_events;

	r->stats.lost_events = n > room ? ULONG_MAX : r->stats.lost_events + n;
	r->stats.lost_reports++;
}

static struct iosim_trace_reader *reader_alloc(const char *name)
{
	struct iosim_trace_reader *r = sim_zalloc(sizeof(*r));

	if (r)
		snprintf(r->name, sizeof(r->name), "%s", name ? name : "trace");
	return r;
}

struct iosim_trace_reader *iosim_trace_reader_open_text(FILE *f, const char *name)
{
	struct iosim_trace_reader *r;

	if (!f) {
		SIM_WARN("iosim_trace_reader_open_text: no stream");
		return NULL;
	}
	r = reader_alloc(name);
	if (r)
		r->f = f;
	return r;
}

bool iosim_trace_dat_supported(void)
{
#ifdef IOSIM_SIM_HAVE_TRACEDAT
	return true;
#else
	return false;
#endif
}

int iosim_trace_reader_open_dat(const char *path, struct iosim_trace_reader **out)
{
#ifdef IOSIM_SIM_HAVE_TRACEDAT
	struct iosim_trace_reader *r;
	int ret;

	*out = NULL;
	r = reader_alloc(path);
	if (!r)
		return -ENOMEM;
	ret = sim_tracedat_open(r, path);
	if (ret) {
		sim_free(r);
		return ret;
	}
	*out = r;
	return 0;
#else
	(void)path;
	*out = NULL;
	return -EOPNOTSUPP;
#endif
}

bool iosim_trace_is_dat(const void *buf, size_t len)
{
	return len >= sizeof(trace_dat_magic) && !memcmp(buf, trace_dat_magic, sizeof(trace_dat_magic));
}

int iosim_trace_reader_open_path(const char *path, struct iosim_trace_reader **out)
{
	char magic[sizeof(trace_dat_magic)];
	struct iosim_trace_reader *r;
	size_t n;
	FILE *f;

	*out = NULL;
	f = fopen(path, "r");
	if (!f)
		return -errno;
	n = fread(magic, 1, sizeof(magic), f);
	if (iosim_trace_is_dat(magic, n)) {
		fclose(f);
		return iosim_trace_reader_open_dat(path, out);
	}
	rewind(f);
	r = iosim_trace_reader_open_text(f, path);
	if (!r) {
		fclose(f);
		return -ENOMEM;
	}
	r->own_file = true;
	*out = r;
	return 0;
}

/*
 * Read the next line into r->buf (without its newline).  Return 1 with a
 * line, 0 at the end, -ENOMEM (what was read so far is kept in r->buf with
 * r->partial set: the next call goes on reading it), -EIO, -E2BIG for a
 * line longer than IOSIM_TRACE_MAX_LINE, -EILSEQ for a line holding a
 * NUL byte, or -ENODATA for a last line without its newline (all three
 * consumed).
 */
static int read_line(struct iosim_trace_reader *r)
{
	bool too_long = false;
	size_t n;

	if (!r->partial) {
		r->len = 0;
		r->nul = false;
	}
	r->partial = false;
	for (;;) {
		if (r->cap - r->len < LINE_CHUNK) {
			size_t cap = r->cap + LINE_CHUNK * 4;
			char *nbuf = sim_realloc(r->buf, cap);

			if (!nbuf) {
				r->partial = true;
				return -ENOMEM;
			}
			r->buf = nbuf;
			r->cap = cap;
		}
		n = sim_read_line_part(r->f, r->buf + r->len, r->cap - r->len, &r->nul);
		if (!n) {
			if (ferror(r->f))
				return -EIO;
			r->eof = true;
			if (!r->len && !too_long)
				return 0;
			r->stats.no_final_newline = true;
			break;
		}
		r->len += n;
		if (r->buf[r->len - 1] == '\n') {
			r->buf[--r->len] = '\0';
			break;
		}
		if (r->len > IOSIM_TRACE_MAX_LINE) {
			/* drop what we have and skip to the end of the line */
			too_long = true;
			r->len = 0;
		}
	}
	if (too_long || r->len > IOSIM_TRACE_MAX_LINE || r->nul) {
		r->len = 0;
		r->buf[0] = '\0';
		return r->nul && !too_long ? -EILSEQ : -E2BIG;
	}
	/*
	 * The kernel ends every line with a newline: a last line without one
	 * was cut, maybe inside a value that still reads well (phys_addr=3a9e1
	 * of 3a9e17000).  Not replayed.
	 */
	if (r->eof) {
		r->len = 0;
		r->buf[0] = '\0';
		return -ENODATA;
	}
	return 1;
}

static int text_next(struct iosim_trace_reader *r, struct iosim_trace_event *ev)
{
	struct iosim_trace_error err;
	char unknown[IOSIM_TRACE_NAME_LEN];
	struct sim_trace_ts ts;
	bool have_ts;
	int ret;

	for (;;) {
		if (!r->pending) {
			if (r->eof)
				return 0;
			ret = read_line(r);
			if (ret == 0 || ret == -EIO || ret == -ENOMEM)
				return ret;
			r->stats.lines++;
			if (ret == -E2BIG || ret == -EILSEQ || ret == -ENODATA) {
				err.line = r->stats.lines;
				if (ret == -E2BIG)
					snprintf(err.msg, sizeof(err.msg), "line longer than %u bytes",
						 IOSIM_TRACE_MAX_LINE);
				else if (ret == -EILSEQ)
					snprintf(err.msg, sizeof(err.msg), "a NUL byte in the line");
				else
					snprintf(err.msg, sizeof(err.msg), "the last line has no newline: "
						 "it may be cut (a kernel trace ends every line with "
						 "one); not replayed");
				sim_trace_account(r, -EINVAL, NULL, NULL, &err, NULL);
				continue;
			}
			r->pending = true;
		}
		ret = sim_trace_parse_line_ts(r->buf, r->stats.lines, ev, unknown, sizeof(unknown),
					      &err, &ts, &have_ts);
		if (ret == -ENOMEM)
			return -ENOMEM;
		r->pending = false;
		if (ret == IOSIM_TRACE_NOT_EVENT)
			count_lost(r, r->buf);
		sim_trace_account(r, ret, ev, unknown, &err, have_ts ? &ts : NULL);
		if (ret == IOSIM_TRACE_EVENT)
			return 1;
	}
}

int iosim_trace_reader_next(struct iosim_trace_reader *r, struct iosim_trace_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	if (r->dat_next)
		return r->dat_next(r, ev);
	return text_next(r, ev);
}

const struct iosim_trace_stats *iosim_trace_reader_stats(const struct iosim_trace_reader *r)
{
	return &r->stats;
}

const char *iosim_trace_reader_name(const struct iosim_trace_reader *r)
{
	return r->name;
}

int iosim_trace_reader_check(const struct iosim_trace_reader *r)
{
	const struct iosim_trace_stats *st = &r->stats;
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < IOSIM_TRACE_NR_KINDS; i++)
		sum += st->by_kind[i];
	if (sum != st->events) {
		SIM_WARN("trace reader %s: %lu events by kind, %lu in total", r->name, sum,
			 st->events);
		return -EUCLEAN;
	}
	if (st->nr_errors > IOSIM_TRACE_MAX_ERRORS || st->nr_errors > st->malformed ||
	    st->nr_unknown_names > IOSIM_TRACE_MAX_UNKNOWN_NAMES ||
	    st->nr_unknown_names > st->unknown || st->old_names > st->events ||
	    st->truncated_sg > st->by_kind[IOSIM_TRACE_MAP_SG] ||
	    st->lost_reports > st->lines || st->lost_events < st->lost_reports ||
	    st->ts_backwards > st->events + st->unknown) {
		SIM_WARN("trace reader %s: kept errors/names exceed their counts", r->name);
		return -EUCLEAN;
	}
	for (i = 0; i < st->nr_unknown_names; i++) {
		if (!memchr(st->unknown_names[i], '\0', IOSIM_TRACE_NAME_LEN)) {
			SIM_WARN("trace reader %s: unknown name %u not terminated", r->name, i);
			return -EUCLEAN;
		}
	}
	for (i = 0; i < st->nr_errors; i++) {
		if (!memchr(st->errors[i].msg, '\0', IOSIM_TRACE_ERR_LEN) ||
		    st->errors[i].line > st->lines) {
			SIM_WARN("trace reader %s: error %u not terminated or past the last line",
				 r->name, i);
			return -EUCLEAN;
		}
	}
	/* a line parsed again after -ENOMEM is counted once, when first read */
	if (st->events + st->not_events + st->unknown + st->malformed + (r->pending ? 1 : 0) !=
	    st->lines) {
		SIM_WARN("trace reader %s: %lu lines but %lu accounted for", r->name, st->lines,
			 st->events + st->not_events + st->unknown + st->malformed);
		return -EUCLEAN;
	}
	if (!r->dat_next && (r->len > r->cap || (r->cap && !r->buf) || (r->buf && !r->cap))) {
		SIM_WARN("trace reader %s: line buffer %zu/%zu inconsistent", r->name, r->len,
			 r->cap);
		return -EUCLEAN;
	}
	return 0;
}

void iosim_trace_reader_close(struct iosim_trace_reader *r)
{
	if (!r)
		return;
	if (r->dat_close)
		r->dat_close(r);
	if (r->own_file && r->f)
		fclose(r->f);
	sim_free(r->buf);
	sim_free(r);
}
