// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * trace-cmd's binary trace.dat, read with libtracecmd and libtraceevent.
 *
 * Records come out of the per-CPU buffers merged in timestamp order (one
 * look-ahead record per CPU).  Each dma:* record is formatted by
 * libtraceevent from the event's own print format (TEP_PRINT_INFO, exactly
 * what `trace-cmd report` prints after the event name) and that text goes
 * through the same parser as text traces.  Why text and not the fields:
 * the fields of the dma events changed between 6.12 and 6.18 (names, the
 * truncation counts, per-event layouts), while the printed layout is the
 * one the text parser already knows for every version; one parser means one
 * set of rules and one set of tests for every source.  The prefix (time,
 * CPU, pid, comm) comes from the record itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <event-parse.h>
#include <trace-cmd.h>

#include "sim_support.h"
#include "trace_reader_internal.h"

struct dat_state {
	struct tracecmd_input *handle;
	struct stat file;		/* the trace file's identity (st_dev, st_ino) */
	struct tep_handle *tep;
	int nr_cpus;
	struct tep_record **next;	/* look-ahead record of each CPU */
	struct tep_record *cur;		/* taken, not yet accounted (after -ENOMEM) */
	struct trace_seq seq;
};

/*
 * libtracecmd 1.3 (trace-cmd 3.1, Debian 12) maps the trace file's pages
 * for each CPU, and tracecmd_close() leaves maps behind: the first page of
 * every CPU with data stays mapped, holding the file's memory, even when
 * nothing was read.  One trace per process does not notice; a process that
 * reads trace after trace (a tool replaying many, the fuzz harness) gains a
 * few maps per trace and runs out of them (vm.max_map_count) after some ten
 * thousand.  Once the handle is closed, nothing maps the file but those
 * leftovers: unmap every map of it (its device and inode) that
 * /proc/self/maps still lists.
 */
#define DAT_UNMAP_BATCH	32

static void dat_unmap_leftovers(const struct stat *file)
{
	unsigned long start[DAT_UNMAP_BATCH], end[DAT_UNMAP_BATCH];
	unsigned int nr, i;
	char line[512];
	FILE *maps;

	do {
		maps = fopen("/proc/self/maps", "re");
		if (!maps)
			return;
		nr = 0;
		while (nr < DAT_UNMAP_BATCH && fgets(line, sizeof(line), maps)) {
			unsigned long lo, hi, off, inode;
			unsigned int major_nr, minor_nr;

			if (sscanf(line, "%lx-%lx %*s %lx %x:%x %lu", &lo, &hi, &off, &major_nr,
				   &minor_nr, &inode) == 6 &&
			    makedev(major_nr, minor_nr) == file->st_dev && inode == file->st_ino) {
				start[nr] = lo;
				end[nr++] = hi;
			}
		}
		fclose(maps);
		for (i = 0; i < nr; i++)
			munmap((void *)start[i], end[i] - start[i]);
	} while (nr == DAT_UNMAP_BATCH);
}

static void dat_close_handle(struct tracecmd_input *handle, const struct stat *file)
{
	tracecmd_close(handle);
	dat_unmap_leftovers(file);
}

static void dat_close(struct iosim_trace_reader *r)
{
	struct dat_state *st = r->dat;
	int cpu;

	if (!st)
		return;
	if (st->cur)
		tracecmd_free_record(st->cur);
	for (cpu = 0; cpu < st->nr_cpus; cpu++)
		if (st->next[cpu])
			tracecmd_free_record(st->next[cpu]);
	sim_free(st->next);
	trace_seq_destroy(&st->seq);
	dat_close_handle(st->handle, &st->file);
	sim_free(st);
	r->dat = NULL;
}

/* The earliest look-ahead record, replaced by its CPU's next one. */
static struct tep_record *take_next(struct dat_state *st)
{
	struct tep_record *rec;
	int cpu, best = -1;

	for (cpu = 0; cpu < st->nr_cpus; cpu++)
		if (st->next[cpu] && (best < 0 || st->next[cpu]->ts < st->next[best]->ts))
			best = cpu;
	if (best < 0)
		return NULL;
	rec = st->next[best];
	st->next[best] = tracecmd_read_data(st->handle, best);
	return rec;
}

static int dat_next(struct iosim_trace_reader *r, struct iosim_trace_event *ev)
{
	struct dat_state *st = r->dat;
	struct iosim_trace_error err;
	char name[IOSIM_TRACE_NAME_LEN];
	struct sim_trace_ts ts;
	enum iosim_trace_kind kind;
	struct tep_event *event;
	bool old_name = false;
	const char *comm;
	int ret;

	for (;;) {
		if (!st->cur) {
			st->cur = take_next(st);
			if (!st->cur)
				return 0;
			r->stats.lines++;
			r->pending = true;	/* counted, not yet accounted */
			if (st->cur->missed_events) {
				/* -1: the kernel lost events but did not say how many */
				sim_trace_count_lost(r, st->cur->missed_events > 0 ?
						     (unsigned long)st->cur->missed_events : 1);
			}
		}
		memset(ev, 0, sizeof(*ev));
		event = tep_find_event_by_record(st->tep, st->cur);
		if (!event) {
			snprintf(name, sizeof(name), "(unknown event id)");
			ret = IOSIM_TRACE_UNKNOWN_EVENT;
		} else if (!event->system || strcmp(event->system, "dma") ||
			   !iosim_trace_kind_from_name(event->name, &kind, &old_name)) {
			snprintf(name, sizeof(name), "%s:%s", event->system ? event->system : "?",
				 event->name);
			ret = IOSIM_TRACE_UNKNOWN_EVENT;
		} else {
			ev->line = r->stats.lines;
			ev->old_name = old_name;
			ev->ts_ns = st->cur->ts;
			ev->cpu = st->cur->cpu;
			ev->pid = tep_data_pid(st->tep, st->cur);
			comm = tep_data_comm_from_pid(st->tep, ev->pid);
			snprintf(ev->task, sizeof(ev->task), "%s", comm ? comm : "<...>");
			trace_seq_reset(&st->seq);
			tep_print_event(st->tep, &st->seq, st->cur, "%s", TEP_PRINT_INFO);
			trace_seq_terminate(&st->seq);
			if (st->seq.state != TRACE_SEQ__GOOD)
				return -ENOMEM;
			ret = iosim_trace_parse_body(kind, st->seq.buffer, ev, &err);
			if (ret == -ENOMEM) {
				memset(ev, 0, sizeof(*ev));
				return -ENOMEM;
			}
			if (ret) {
				memset(ev, 0, sizeof(*ev));
				ret = -EINVAL;
			} else {
				ret = IOSIM_TRACE_EVENT;
			}
		}
		/* A record's time is in nanoseconds (or a counter clock's count). */
		ts.whole = st->cur->ts / 1000000000ull;
		ts.frac_ns = (uint32_t)(st->cur->ts % 1000000000ull);
		ts.digits = 9;
		tracecmd_free_record(st->cur);
		st->cur = NULL;
		r->pending = false;
		sim_trace_account(r, ret, ev, name, &err, event ? &ts : NULL);
		if (ret == IOSIM_TRACE_EVENT)
			return 1;
	}
}

int sim_tracedat_open(struct iosim_trace_reader *r, const char *path)
{
	struct dat_state *st;
	int cpu, ret;

	if (access(path, R_OK))
		return -errno;
	st = sim_zalloc(sizeof(*st));
	if (!st)
		return -ENOMEM;
	if (stat(path, &st->file)) {
		ret = -errno;
		goto free_state;
	}
	tracecmd_set_loglevel(TEP_LOG_NONE);
	st->handle = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS |
				   TRACECMD_FL_LOAD_NO_SYSTEM_PLUGINS);
	if (!st->handle) {
		/* A file refused after its pages were mapped leaves maps too. */
		dat_unmap_leftovers(&st->file);
		ret = -EINVAL;
		goto free_state;
	}
	st->tep = tracecmd_get_tep(st->handle);
	st->nr_cpus = st->tep ? tep_get_cpus(st->tep) : 0;
	if (st->nr_cpus <= 0) {
		ret = -EINVAL;
		goto close_handle;
	}
	st->next = sim_zalloc_array((size_t)st->nr_cpus, sizeof(*st->next));
	if (!st->next) {
		ret = -ENOMEM;
		goto close_handle;
	}
	trace_seq_init(&st->seq);
	for (cpu = 0; cpu < st->nr_cpus; cpu++)
		st->next[cpu] = tracecmd_read_cpu_first(st->handle, cpu);
	r->dat = st;
	r->dat_next = dat_next;
	r->dat_close = dat_close;
	return 0;

close_handle:
	dat_close_handle(st->handle, &st->file);
free_state:
	sim_free(st);
	return ret;
}
