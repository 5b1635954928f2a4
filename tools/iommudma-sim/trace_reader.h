/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * trace_reader.h - read a whole recorded trace, event by event, with
 * statistics: a text trace (/sys/kernel/tracing/trace or `trace-cmd report`)
 * from a FILE *, or trace-cmd's binary trace.dat (when built with libtracecmd).
 */
#ifndef IOSIM_SIM_TRACE_READER_H
#define IOSIM_SIM_TRACE_READER_H

#include <stdbool.h>
#include <stdio.h>

#include "trace_event.h"

#define IOSIM_TRACE_MAX_ERRORS		8	/* malformed lines whose reason is kept */
#define IOSIM_TRACE_MAX_UNKNOWN_NAMES	8	/* distinct unknown event names kept */
#define IOSIM_TRACE_NAME_LEN		40
#define IOSIM_TRACE_MAX_LINE		(512u << 10)	/* longer lines are malformed */

/**
 * struct iosim_trace_stats - what a reader has seen so far
 * @lines: text lines read (trace.dat: records read)
 * @events: dma:* events returned
 * @by_kind: @events by kind
 * @old_names: events recorded under pre-6.17 names (dma_map_page, dma_unmap_page)
 * @not_events: blank, comment and header lines
 * @unknown: events of other subsystems or unknown dma:* names, skipped
 * @malformed: lines refused (see @errors)
 * @truncated_sg: dma_map_sg events whose lists the kernel cut
 * @truncated_phys: scatterlist entries not recorded, summed over them
 * @truncated_dma: DMA segments not recorded, summed over them
 * @nr_errors: entries used in @errors (the first malformed lines)
 * @errors: line number and reason of the first IOSIM_TRACE_MAX_ERRORS malformed
 *	lines (a notice function, iosim_trace_reader_set_notice(), is told of each)
 * @nr_unknown_names: entries used in @unknown_names
 * @unknown_names: the first distinct unknown event names
 * @no_final_newline: the last line had no newline: the file may be cut there,
 *	and that line is refused as malformed (a kernel trace ends every line
 *	with a newline)
 * @ts_backwards: lines whose timestamp is lower than the last line's that had
 *	one (events, known or not; the lines are still returned in file order)
 * @lost_events: events the kernel dropped, as the trace says ("CPU:1 [LOST 12
 *	EVENTS]", "[12 EVENTS DROPPED]", a trace.dat record's missed-events count;
 *	a loss of unknown size counts 1)
 * @lost_reports: places in the trace that report a loss
 */
struct iosim_trace_stats {
	unsigned long lines;
	unsigned long events;
	unsigned long by_kind[IOSIM_TRACE_NR_KINDS];
	unsigned long old_names;
	unsigned long not_events;
	unsigned long unknown;
	unsigned long malformed;
	unsigned long truncated_sg;
	unsigned long truncated_phys;
	unsigned long truncated_dma;
	unsigned int nr_errors;
	struct iosim_trace_error errors[IOSIM_TRACE_MAX_ERRORS];
	unsigned int nr_unknown_names;
	char unknown_names[IOSIM_TRACE_MAX_UNKNOWN_NAMES][IOSIM_TRACE_NAME_LEN];
	bool no_final_newline;
	unsigned long ts_backwards;
	unsigned long lost_events;
	unsigned long lost_reports;
};

struct iosim_trace_reader;

/**
 * typedef iosim_trace_notice_fn - told of a problem line as the reader meets it
 * @priv: what iosim_trace_reader_set_notice() was given
 * @notice: the line number and the message: a malformed line's reason (the
 *	same as kept in the statistics' @errors), or "timestamp goes back from
 *	X to Y" for a line whose timestamp is lower than the last one's
 *
 * Called from iosim_trace_reader_next(), once per line.
 */
typedef void (*iosim_trace_notice_fn)(void *priv, const struct iosim_trace_error *notice);

/**
 * iosim_trace_reader_open_text - start reading a text trace
 * @f: the open stream (the reader reads it; the caller closes it after
 *	iosim_trace_reader_close())
 * @name: the trace's name for messages (copied; NULL: "trace")
 *
 * Context: process context.
 * Return: the reader; NULL if it could not be allocated (nothing read).
 */
struct iosim_trace_reader *iosim_trace_reader_open_text(FILE *f, const char *name);

/**
 * iosim_trace_reader_open_dat - start reading a trace-cmd trace.dat
 * @path: the file
 * @out: set to the reader on success
 *
 * Context: process context.
 * Return: 0; -EOPNOTSUPP when the library was built without trace.dat
 * support; -ENOENT/-EACCES/... when the file cannot be opened; -EINVAL when
 * libtracecmd refuses it; -ENOMEM.  On error *@out is NULL.
 */
int iosim_trace_reader_open_dat(const char *path, struct iosim_trace_reader **out);

/**
 * iosim_trace_is_dat - does @buf start with a trace.dat's magic?
 * @buf: the first bytes of a file
 * @len: how many there are
 *
 * What iosim_trace_reader_open_path() goes by to pick the trace.dat reader.
 *
 * Context: any.
 * Return: true if @len covers the magic and @buf starts with it.
 */
bool iosim_trace_is_dat(const void *buf, size_t len);

/**
 * iosim_trace_reader_open_path - open a trace file of either kind
 * @path: the file: a trace.dat (recognised by its magic) or text
 * @out: set to the reader on success
 *
 * Context: process context.
 * Return: 0; the errors of iosim_trace_reader_open_dat(); -errno of fopen();
 * -ENOMEM.  On error *@out is NULL.  A text reader opened here owns its stream.
 */
int iosim_trace_reader_open_path(const char *path, struct iosim_trace_reader **out);

/**
 * iosim_trace_dat_supported - whether trace.dat support was built in
 *
 * Context: any.
 * Return: true when libtracecmd and libtraceevent were found at build time.
 */
bool iosim_trace_dat_supported(void);

/**
 * iosim_trace_reader_set_notice - be told of every problem line as it is met
 * @r: the reader
 * @fn: called for each malformed line and each timestamp going back (NULL:
 *	nobody is told; the statistics count them either way)
 * @priv: passed to @fn
 *
 * The statistics keep only the first IOSIM_TRACE_MAX_ERRORS reasons; @fn
 * sees every one.
 *
 * Context: any (not concurrently with iosim_trace_reader_next() on @r).
 * Return: nothing.
 */
void iosim_trace_reader_set_notice(struct iosim_trace_reader *r, iosim_trace_notice_fn fn,
				   void *priv);

/**
 * iosim_trace_reader_next - the next dma:* event
 * @r: the reader
 * @ev: receives the event (the caller releases it with
 *	iosim_trace_event_release()); left empty otherwise
 *
 * Lines that are not events, unknown events and malformed lines are counted
 * in the statistics and skipped.  A last line without its newline is
 * malformed (the file may be cut in it).  Events come in file order; a
 * timestamp lower than the previous one is counted (@ts_backwards) and
 * told to the notice function, and the event is returned all the same.
 *
 * Context: process context.
 * Return: 1 with an event; 0 at the end of the trace; -ENOMEM when memory ran
 * out (the line is kept: the next call parses it again); -EIO on a read error.
 */
int iosim_trace_reader_next(struct iosim_trace_reader *r, struct iosim_trace_event *ev);

/**
 * iosim_trace_reader_stats - the statistics so far
 * @r: the reader
 *
 * Context: any (not concurrently with iosim_trace_reader_next() on @r).
 * Return: the reader's statistics, valid until it is closed.
 */
const struct iosim_trace_stats *iosim_trace_reader_stats(const struct iosim_trace_reader *r);

/**
 * iosim_trace_reader_name - the trace's name given at open (or the path)
 * @r: the reader
 *
 * Context: any.
 * Return: the name, valid until @r is closed.
 */
const char *iosim_trace_reader_name(const struct iosim_trace_reader *r);

/**
 * iosim_trace_reader_check - sanity checker of a reader
 * @r: the reader
 *
 * Checks that the per-kind counts add up to the event count, that the
 * kept errors and unknown names are within their arrays and terminated,
 * that the line buffer is consistent, and that every counted line is
 * accounted for as an event, a non-event, unknown or malformed.
 *
 * Context: any.
 * Return: 0; -EUCLEAN after WARNing the first inconsistency.
 */
int iosim_trace_reader_check(const struct iosim_trace_reader *r);

/**
 * iosim_trace_reader_close - free a reader
 * @r: the reader, or NULL
 *
 * Context: process context.
 * Return: nothing.  A stream given to iosim_trace_reader_open_text() stays open.
 */
void iosim_trace_reader_close(struct iosim_trace_reader *r);

#endif /* IOSIM_SIM_TRACE_READER_H */
