/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * trace_reader_internal.h - customised: the reader object shared by the text
 * reader (trace_reader.c) and the trace.dat back end (tracedat.c).
 */
#ifndef IOSIM_SIM_TRACE_READER_INTERNAL_H
#define IOSIM_SIM_TRACE_READER_INTERNAL_H

#include "trace_reader.h"

/*
 * A line's timestamp as printed: @whole is the integer part (seconds, or a
 * counter clock's count, which may not fit in nanoseconds), @frac_ns the
 * fraction in nanoseconds, @digits how many fraction digits were printed
 * (0: an integer timestamp).  Timestamps compare as (@whole, @frac_ns).
 */
struct sim_trace_ts {
	uint64_t whole;
	uint32_t frac_ns;
	unsigned int digits;
};

struct iosim_trace_reader {
	char name[128];
	struct iosim_trace_stats stats;
	/* text back end */
	FILE *f;
	bool own_file;
	char *buf;		/* the current line */
	size_t cap;		/* bytes allocated at @buf */
	size_t len;		/* characters in @buf */
	bool partial;		/* @buf holds the start of a line (read hit -ENOMEM) */
	bool nul;		/* the line being read holds a NUL byte */
	bool pending;		/* a line (record) counted but not yet accounted (after -ENOMEM) */
	bool eof;
	/* the last line with a timestamp (an event, known or not) */
	bool have_last_ts;
	struct sim_trace_ts last_ts;
	/* told of each malformed line and each timestamp going back */
	iosim_trace_notice_fn notice;
	void *notice_priv;
	/* trace.dat back end (NULL for text) */
	void *dat;
	int (*dat_next)(struct iosim_trace_reader *r, struct iosim_trace_event *ev);
	void (*dat_close)(struct iosim_trace_reader *r);
};

/*
 * Count a report of @n lost events (at least 1) in @r's statistics: the sum
 * stops at ULONG_MAX, where a count printed past it (strtoul()'s answer)
 * or summed past it would wrap (found by fuzz_trace_parse).
 */
void sim_trace_count_lost(struct iosim_trace_reader *r, unsigned long n);

/*
 * Account one parse result (from either back end) in @r's statistics, and
 * tell @r's notice function of a malformed line.  @ts: the line's timestamp
 * (an event or an unknown event; NULL when it has none), compared with the
 * last one: a step back is counted and told too.
 */
void sim_trace_account(struct iosim_trace_reader *r, int result, const struct iosim_trace_event *ev,
		       const char *unknown_name, const struct iosim_trace_error *err,
		       const struct sim_trace_ts *ts);

/*
 * trace_parse.c: iosim_trace_parse_line() that also gives the line's
 * timestamp: *@have_ts is true, and *@ts set, for an event and an unknown
 * event (whose prefix was read whole); false otherwise.
 */
int sim_trace_parse_line_ts(const char *line, unsigned long lineno, struct iosim_trace_event *ev,
			    char *unknown_name, size_t unknown_len, struct iosim_trace_error *err,
			    struct sim_trace_ts *ts, bool *have_ts);

/*
 * tracedat.c: set up @r's trace.dat back end for @path.  Return 0, -errno of
 * access(), -EINVAL when libtracecmd refuses the file, or -ENOMEM.
 */
int sim_tracedat_open(struct iosim_trace_reader *r, const char *path);

#endif /* IOSIM_SIM_TRACE_READER_INTERNAL_H */
