// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * fuzz_tracedat - the simulator's trace.dat back end (tools/iommudma-sim/
 * tracedat.c: libtracecmd's records, merged across CPUs, printed by
 * libtraceevent from the events' formats and read by the text parser)
 * against what was written.
 *
 * Bytes fed straight to libtracecmd would test its parser, not ours, and
 * stop at its first crash on a damaged file.  So the input describes a
 * trace instead: up to MAX_CPUS CPUs (or none), which of them lost events
 * before their first page, whose formats (6.18's, or 6.12's: dma_map_page,
 * dma_unmap_page, dma_map_sg without counts), and up to MAX_RECS records
 * (dma_map_phys, dma_unmap_phys, dma_sync_single_for_cpu/_for_device,
 * dma_map_sg, dma_unmap_sg, irq_handler_entry, which the simulator does
 * not replay, and records of an event ID no format declares), each with
 * its CPU, a time step (large ones need the ring buffer's time-extend
 * events), a pid, a device name and its fields.  The harness writes that trace with the tests' writer
 * (tests/sim/tracedat_writer.c), which lays records out in ring-buffer pages
 * as the kernel does, and reads it back with iosim_trace_reader_open_path().
 *
 * The oracle:
 *  - the reader returns exactly the dma records whose direction has a name,
 *    in time order (on equal times the lower CPU first, a CPU's records in
 *    their order), each with every field written: kind, record number, time,
 *    CPU, pid and the task the saved cmdlines name, device, direction,
 *    addresses, size, attribute names, the scatterlist counts, arrays and
 *    truncation; every event passes iosim_trace_event_check();
 *  - 6.12's names come back as the same kinds marked old_name, its
 *    dma_map_sg without counts; a trace of no CPU is refused (-EINVAL);
 *  - a record with a direction the format cannot name is refused as
 *    malformed, irq and undeclared records counted as unknown (and named);
 *    lines, events by kind, old names, truncation and lost-event counts are
 *    what was written; the reader's checker passes after every step;
 *  - read again with the nth allocation failing (n from the input), the
 *    reader answers -ENOMEM at most where the failure was met, keeps the
 *    record and gives the very same events after it;
 *  - nothing WARNs, and no simulated object is left alive.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/mm.h>

#include <iosim/fault.h>
#include <iosim/ram.h>

#include "fuzz_common.h"
#include "fuzz_input.h"
#include "trace_event.h"
#include "trace_reader.h"
#include "tracedat_writer.h"

#define MAX_CPUS	4
#define MAX_RECS	48
#define MAX_ENTS	128	/* the kernel records at most 128 entries */
#define DEV_LEN		48

enum rec_kind {
	R_MAP_PHYS,
	R_UNMAP_PHYS,
	R_SYNC_CPU,
	R_SYNC_DEVICE,
	R_MAP_SG,
	R_UNMAP_SG,
	R_IRQ,
	R_UNKNOWN_ID,	/* an event ID no format declares */
	R_NR_KINDS
};

/* What one record says, as written. */
struct mrec {
	enum rec_kind kind;
	int cpu;
	uint64_t ts;
	int pid;
	char dev[DEV_LEN];
	unsigned int dir;
	uint64_t dma, phys, size, attrs;
	int nents, full_nents, ents, full_ents;
	uint64_t phys_addrs[MAX_ENTS], dma_addrs[MAX_ENTS];
	uint32_t lens[MAX_ENTS];
};

static struct {
	struct mrec recs[MAX_RECS];
	struct tracedat_rec out[MAX_RECS];
	unsigned int order[MAX_RECS];	/* record indices in the order the reader gives them */
	unsigned int nr, nr_cpus, lost_cpus;
	enum tracedat_kernel kernel;
	struct tracedat_buf file;
	char path[64];
} S;

static const char *const known_devices[] = {
	"0000:01:00.0", "nvme0n1", "ff100000.dma", "eth0", "0000:00:06.0",
};

static const int known_pids[] = { 0, 1204, 88 };

/* The task libtraceevent names from the writer's saved cmdlines. */
static const char *task_of(int pid)
{
	switch (pid) {
	case 0:
		return "<idle>";
	case 1204:
		return "sshd";
	case 88:
		return "kworker/u16:3";
	default:
		return "<...>";
	}
}

static enum iosim_trace_kind trace_kind(enum rec_kind k)
{
	static const enum iosim_trace_kind kinds[] = {
		[R_MAP_PHYS] = IOSIM_TRACE_MAP_PHYS,
		[R_UNMAP_PHYS] = IOSIM_TRACE_UNMAP_PHYS,
		[R_SYNC_CPU] = IOSIM_TRACE_SYNC_SINGLE_FOR_CPU,
		[R_SYNC_DEVICE] = IOSIM_TRACE_SYNC_SINGLE_FOR_DEVICE,
		[R_MAP_SG] = IOSIM_TRACE_MAP_SG,
		[R_UNMAP_SG] = IOSIM_TRACE_UNMAP_SG,
	};

	return kinds[k];
}

/* The reader's attribute bits for the kernel's, as the writer's format names them. */
static unsigned int trace_attrs(uint64_t attrs)
{
	static const struct {
		uint64_t kernel;
		unsigned int bit;
	} names[] = {
		{ 0x2, IOSIM_TRACE_ATTR_WEAK_ORDERING },
		{ 0x4, IOSIM_TRACE_ATTR_WRITE_COMBINE },
		{ 0x10, IOSIM_TRACE_ATTR_NO_KERNEL_MAPPING },
		{ 0x20, IOSIM_TRACE_ATTR_SKIP_CPU_SYNC },
		{ 0x40, IOSIM_TRACE_ATTR_FORCE_CONTIGUOUS },
		{ 0x80, IOSIM_TRACE_ATTR_ALLOC_SINGLE_PAGES },
		{ 0x100, IOSIM_TRACE_ATTR_NO_WARN },
		{ 0x200, IOSIM_TRACE_ATTR_PRIVILEGED },
		{ 0x400, IOSIM_TRACE_ATTR_MMIO },
		{ 0x800, IOSIM_TRACE_ATTR_CACHE_CLEAN },
	};
	unsigned int bits = 0, i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (attrs & names[i].kernel) {
			bits |= names[i].bit;
			attrs &= ~names[i].kernel;
		}
	}
	/* Bits without a name print as a number, which the parser does not know. */
	return bits | (attrs ? IOSIM_TRACE_ATTR_UNKNOWN : 0);
}

static bool is_unknown(const struct mrec *m)
{
	return m->kind == R_IRQ || m->kind == R_UNKNOWN_ID;
}

static bool replayed(const struct mrec *m)
{
	return !is_unknown(m) && m->dir <= IOSIM_TRACE_DIR_NONE;
}

/* 6.12 names the single mappings' events dma_map_page and dma_unmap_page. */
static bool old_named(const struct mrec *m)
{
	return S.kernel == TRACEDAT_6_12 && (m->kind == R_MAP_PHYS || m->kind == R_UNMAP_PHYS);
}

/* -- decoding --------------------------------------------------------------- */

static void get_device(struct fuzz_input *in, char *dev)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789:._-";
	unsigned int len, i;

	if (fuzz_get_choice(in, 4)) {
		snprintf(dev, DEV_LEN, "%s", FUZZ_PICK(in, known_devices));
		return;
	}
	len = 1 + fuzz_get_choice(in, DEV_LEN - 1);
	for (i = 0; i < len; i++)
		dev[i] = alphabet[fuzz_get_choice(in, sizeof(alphabet) - 1)];
	dev[len] = '\0';
}

static uint64_t get_step(struct fuzz_input *in)
{
	switch (fuzz_get_choice(in, 6)) {
	case 0:
		return 0;	/* the same time as the CPU's last record */
	case 1:
	case 2:
		return fuzz_get_u8(in);
	case 3:
		return fuzz_get_u16(in);
	case 4:
		return fuzz_get_u32(in);	/* past 2^27: a time-extend event */
	default:
		return fuzz_get_u64(in) & ((1ULL << 40) - 1);
	}
}

static uint64_t get_addr(struct fuzz_input *in)
{
	switch (fuzz_get_choice(in, 4)) {
	case 0:
		return ~0ULL;	/* a failed mapping's dma_addr */
	case 1:
		return fuzz_get_u32(in);
	default:
		return fuzz_get_u64(in);
	}
}

static void get_sg(struct fuzz_input *in, struct mrec *m)
{
	int i;

	m->nents = 1 + (int)fuzz_get_choice(in, MAX_ENTS);
	m->full_nents = m->nents + (fuzz_get_choice(in, 4) ? 0 : fuzz_get_u16(in));
	m->ents = 1 + (int)fuzz_get_choice(in, (unsigned int)m->nents);
	m->full_ents = m->ents + (fuzz_get_choice(in, 4) ? 0 : fuzz_get_u16(in));
	if (S.kernel == TRACEDAT_6_12) {	/* no counts: whole lists, nothing cut */
		m->full_nents = m->nents;
		m->full_ents = m->ents;
	}
	for (i = 0; i < m->nents; i++)
		m->phys_addrs[i] = get_addr(in);
	for (i = 0; i < m->ents; i++) {
		m->dma_addrs[i] = get_addr(in);
		m->lens[i] = fuzz_get_u32(in);
	}
}

/* One record, after @cpu_ts[] of its CPU; false when the input has ended. */
static bool get_record(struct fuzz_input *in, struct mrec *m, const uint64_t *cpu_ts)
{
	if (fuzz_input_done(in))
		return false;
	memset(m, 0, sizeof(*m));
	m->kind = (enum rec_kind)fuzz_get_choice(in, R_NR_KINDS);
	m->cpu = (int)fuzz_get_choice(in, S.nr_cpus);
	m->ts = cpu_ts[m->cpu] + get_step(in);
	m->pid = fuzz_get_choice(in, 4) ? FUZZ_PICK(in, known_pids) : fuzz_get_u16(in);
	get_device(in, m->dev);
	/* Now and then a direction the format has no name for. */
	m->dir = fuzz_get_choice(in, 16) ? fuzz_get_choice(in, 4) : 4 + fuzz_get_choice(in, 60);
	m->attrs = fuzz_get_choice(in, 2) ? 0 : fuzz_get_u16(in) & 0xfff;
	m->dma = get_addr(in);
	m->phys = get_addr(in);
	m->size = fuzz_get_choice(in, 2) ? fuzz_get_u32(in) : fuzz_get_u64(in);
	if (m->kind == R_MAP_SG || m->kind == R_UNMAP_SG)
		get_sg(in, m);
	return true;
}

static void write_record(const struct mrec *m, struct tracedat_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->cpu = m->cpu;
	r->ts = m->ts;
	switch (m->kind) {
	case R_MAP_PHYS:
		tracedat_rec_map_phys(r, m->pid, m->dev, m->phys, m->dma, m->size, m->dir,
				      m->attrs);
		break;
	case R_UNMAP_PHYS:
		tracedat_rec_unmap_phys(r, m->pid, m->dev, m->dma, m->size, m->dir, m->attrs);
		break;
	case R_SYNC_CPU:
	case R_SYNC_DEVICE:
		tracedat_rec_sync_single(r, m->kind == R_SYNC_DEVICE, m->pid, m->dev, m->dma,
					 m->size, m->dir);
		break;
	case R_MAP_SG:
		tracedat_rec_map_sg(r, m->pid, m->dev, m->phys_addrs, m->nents, m->full_nents,
				    m->dma_addrs, m->lens, m->ents, m->full_ents, m->dir, m->attrs);
		break;
	case R_UNMAP_SG:
		tracedat_rec_unmap_sg(r, m->pid, m->dev, m->phys_addrs, m->nents, m->dir,
				      m->attrs);
		break;
	case R_IRQ:
		tracedat_rec_irq(r, (int)(m->size & 0x3ff), m->dev);
		break;
	default:
		tracedat_rec_unknown_id(r, m->pid);
		break;
	}
}

/* The reader's order: time, then CPU, then the CPU's own order (insertion sort, stable). */
static void sort_order(void)
{
	unsigned int i, j;

	for (i = 0; i < S.nr; i++) {
		unsigned int idx = i;

		for (j = i; j > 0; j--) {
			const struct mrec *a = &S.recs[S.order[j - 1]], *b = &S.recs[idx];

			if (a->ts < b->ts || (a->ts == b->ts && a->cpu <= b->cpu))
				break;
			S.order[j] = S.order[j - 1];
		}
		S.order[j] = idx;
	}
}

/* -- checking --------------------------------------------------------------- */

static bool u64s_equal(const uint64_t *got, const uint64_t *want, size_t n)
{
	return n == 0 || (got && !memcmp(got, want, n * sizeof(*want)));
}

static bool lens_equal(const uint64_t *got, const uint32_t *want, size_t n)
{
	size_t i;

	if (n && !got)
		return false;
	for (i = 0; i < n; i++)
		if (got[i] != want[i])
			return false;
	return true;
}

/* Event @ev against record @m, the @lineno-th the reader met. */
static void check_event(const struct iosim_trace_event *ev, const struct mrec *m,
			unsigned long lineno)
{
	unsigned int want_has = 0;

	FUZZ_CHECK(iosim_trace_event_check(ev) == 0, "event-check: record %lu: %s", lineno,
		   fuzz_last_warn());
	FUZZ_CHECK(ev->kind == trace_kind(m->kind) && ev->old_name == old_named(m),
		   "kind: record %lu is %s (old name: %d), written as %s (%d)", lineno,
		   iosim_trace_kind_name(ev->kind), ev->old_name,
		   iosim_trace_kind_name(trace_kind(m->kind)), old_named(m));
	FUZZ_CHECK(ev->line == lineno, "line: record %lu came back as record %lu", lineno,
		   ev->line);
	FUZZ_CHECK(ev->ts_ns == m->ts && ev->cpu == m->cpu && ev->pid == m->pid,
		   "prefix: record %lu has time %llu, CPU %d, pid %d; written %llu, %d, %d",
		   lineno, (unsigned long long)ev->ts_ns, ev->cpu, ev->pid,
		   (unsigned long long)m->ts, m->cpu, m->pid);
	FUZZ_CHECK(!strcmp(ev->task, task_of(m->pid)),
		   "task: record %lu names task \"%s\" for pid %d, not \"%s\"", lineno, ev->task,
		   m->pid, task_of(m->pid));
	FUZZ_CHECK(!strcmp(ev->device, m->dev) && ev->dir == (enum iosim_trace_dir)m->dir,
		   "device: record %lu is device \"%s\" dir %d, written \"%s\" dir %u", lineno,
		   ev->device, (int)ev->dir, m->dev, m->dir);

	switch (m->kind) {
	case R_MAP_PHYS:
		want_has = IOSIM_TRACE_HAS_PHYS_ADDR;
		FUZZ_CHECK(ev->phys_addr == m->phys, "phys: record %lu has phys_addr %#llx, not %#llx",
			   lineno, (unsigned long long)ev->phys_addr, (unsigned long long)m->phys);
		/* fall through */
	case R_UNMAP_PHYS:
		want_has |= IOSIM_TRACE_HAS_ATTRS;
		/* fall through */
	case R_SYNC_CPU:
	case R_SYNC_DEVICE:
		want_has |= IOSIM_TRACE_HAS_DMA_ADDR | IOSIM_TRACE_HAS_SIZE;
		FUZZ_CHECK(ev->dma_addr == m->dma && ev->size == m->size,
			   "scalars: record %lu has dma_addr %#llx size %llu, not %#llx %llu", lineno,
			   (unsigned long long)ev->dma_addr, (unsigned long long)ev->size,
			   (unsigned long long)m->dma, (unsigned long long)m->size);
		FUZZ_CHECK(ev->nr_phys == 0 && ev->nr_dma == 0 && !ev->truncated,
			   "arrays: single-mapping record %lu came back with arrays", lineno);
		break;
	case R_MAP_SG:
		want_has = IOSIM_TRACE_HAS_ATTRS |
			   (S.kernel == TRACEDAT_6_18 ? IOSIM_TRACE_HAS_COUNTS : 0);
		FUZZ_CHECK((ev->has & IOSIM_TRACE_HAS_COUNTS) == (want_has & IOSIM_TRACE_HAS_COUNTS),
			   "has: record %lu has counts %d in a %s trace", lineno,
			   !!(ev->has & IOSIM_TRACE_HAS_COUNTS),
			   S.kernel == TRACEDAT_6_18 ? "6.18" : "6.12");
		FUZZ_CHECK(ev->nents_recorded == (unsigned int)m->nents &&
			   ev->nents_total == (unsigned int)m->full_nents &&
			   ev->ents_recorded == (unsigned int)m->ents &&
			   ev->ents_total == (unsigned int)m->full_ents,
			   "counts: record %lu has nents=%u/%u ents=%u/%u, written %d/%d %d/%d", lineno,
			   ev->nents_recorded, ev->nents_total, ev->ents_recorded, ev->ents_total,
			   m->nents, m->full_nents, m->ents, m->full_ents);
		FUZZ_CHECK(ev->truncated == (m->full_nents > m->nents || m->full_ents > m->ents),
			   "truncated: record %lu says %d", lineno, ev->truncated);
		FUZZ_CHECK(ev->nr_dma == (size_t)m->ents &&
			   u64s_equal(ev->dma_addrs, m->dma_addrs, ev->nr_dma) &&
			   lens_equal(ev->dma_lens, m->lens, ev->nr_dma),
			   "dma-array: record %lu has %zu DMA segments, not the %d written", lineno,
			   ev->nr_dma, m->ents);
		/* fall through */
	case R_UNMAP_SG:
		want_has |= IOSIM_TRACE_HAS_ATTRS;
		FUZZ_CHECK(ev->nr_phys == (size_t)m->nents &&
			   u64s_equal(ev->phys_addrs, m->phys_addrs, ev->nr_phys),
			   "phys-array: record %lu has %zu physical addresses, not the %d written",
			   lineno, ev->nr_phys, m->nents);
		break;
	default:
		FUZZ_CHECK(0, "harness: record %lu of kind %d replayed", lineno, (int)m->kind);
	}
	if (want_has & IOSIM_TRACE_HAS_ATTRS)
		FUZZ_CHECK(ev->attrs == trace_attrs(m->attrs),
			   "attrs: record %lu has attrs %#x for the kernel's %#llx, not %#x", lineno,
			   ev->attrs, (unsigned long long)m->attrs, trace_attrs(m->attrs));
	FUZZ_CHECK((ev->has & want_has) == want_has,
		   "has: record %lu has fields %#x, lacking %#x", lineno, ev->has,
		   want_has & ~ev->has);
}

/* The counts at the end of a whole read. */
static void check_stats(const struct iosim_trace_stats *st)
{
	unsigned long by_kind[IOSIM_TRACE_NR_KINDS] = { 0 };
	unsigned long events = 0, unknown = 0, malformed = 0, trunc = 0, trunc_phys = 0;
	unsigned long trunc_dma = 0, lost = 0, old_names = 0;
	bool irq_seen = false, id_seen = false;
	unsigned int i, cpu, n;

	for (i = 0; i < S.nr; i++) {
		const struct mrec *m = &S.recs[i];

		if (is_unknown(m)) {
			unknown++;
			irq_seen |= m->kind == R_IRQ;
			id_seen |= m->kind == R_UNKNOWN_ID;
		} else if (!replayed(m)) {
			malformed++;
		} else {
			events++;
			old_names += old_named(m);
			by_kind[trace_kind(m->kind)]++;
			if (m->kind == R_MAP_SG && (m->full_nents > m->nents || m->full_ents > m->ents)) {
				trunc++;
				trunc_phys += (unsigned long)(m->full_nents - m->nents);
				trunc_dma += (unsigned long)(m->full_ents - m->ents);
			}
		}
	}
	for (cpu = 0; cpu < S.nr_cpus; cpu++) {
		if (!(S.lost_cpus & (1u << cpu)))
			continue;
		for (i = 0; i < S.nr; i++)
			if (S.recs[i].cpu == (int)cpu)
				break;
		lost += i < S.nr;	/* a flagged CPU with records: one loss of unknown size */
	}
	FUZZ_CHECK(st->lines == S.nr && st->events == events && st->unknown == unknown &&
		   st->malformed == malformed && st->not_events == 0,
		   "stats: %lu records, %lu events, %lu unknown, %lu malformed; written %u, %lu, %lu, %lu",
		   st->lines, st->events, st->unknown, st->malformed, S.nr, events, unknown,
		   malformed);
	FUZZ_CHECK(!memcmp(st->by_kind, by_kind, sizeof(by_kind)),
		   "by-kind: the events by kind differ from those written");
	FUZZ_CHECK(st->truncated_sg == trunc && st->truncated_phys == trunc_phys &&
		   st->truncated_dma == trunc_dma,
		   "truncation: %lu lists, %lu + %lu entries cut; written %lu, %lu + %lu",
		   st->truncated_sg, st->truncated_phys, st->truncated_dma, trunc, trunc_phys,
		   trunc_dma);
	FUZZ_CHECK(st->lost_reports == lost && st->lost_events == lost,
		   "lost: %lu reports of %lu lost events; %lu flagged pages were written",
		   st->lost_reports, st->lost_events, lost);
	FUZZ_CHECK(st->old_names == old_names, "old-names: %lu events under a pre-6.17 name, %lu written",
		   st->old_names, old_names);
	FUZZ_CHECK(st->nr_unknown_names == (unsigned int)irq_seen + id_seen,
		   "unknown-names: %u names kept for %lu unknown records of %u kinds",
		   st->nr_unknown_names, unknown, (unsigned int)irq_seen + id_seen);
	for (n = 0; n < st->nr_unknown_names; n++)
		FUZZ_CHECK((irq_seen && !strcmp(st->unknown_names[n], "irq:irq_handler_entry")) ||
			   (id_seen && !strcmp(st->unknown_names[n], "(unknown event id)")),
			   "unknown-names: \"%s\" was not written", st->unknown_names[n]);
}

/*
 * Read the whole trace.  With @fail_nth, the nth allocation fails: the
 * reader may answer -ENOMEM once where it met the failure, and must then
 * give the same events as without it.  Returns the events read.
 */
static unsigned int read_all(unsigned long fail_nth)
{
	struct iosim_trace_reader *r = NULL;
	struct iosim_trace_event ev;
	unsigned int got = 0, pos = 0, enomem = 0;
	int ret;

	if (fail_nth)
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, fail_nth);
	ret = iosim_trace_reader_open_path(S.path, &r);
	if (ret == -ENOMEM && fail_nth) {
		FUZZ_CHECK(!r && iosim_fault_injected(), "open: -ENOMEM without a failure met");
		iosim_fault_reset();
		return 0;
	}
	if (!S.nr_cpus) {
		FUZZ_CHECK(ret == -EINVAL && !r, "open: a trace of no CPU gave %d", ret);
		iosim_fault_reset();
		return 0;
	}
	FUZZ_CHECK(ret == 0 && r, "open: the trace.dat written was refused: %d", ret);
	for (;;) {
		ret = iosim_trace_reader_next(r, &ev);
		FUZZ_CHECK(iosim_trace_reader_check(r) == 0, "reader-check: %s", fuzz_last_warn());
		if (ret == -ENOMEM) {
			FUZZ_CHECK(fail_nth && iosim_fault_injected() && !enomem++,
				   "enomem: next() gave -ENOMEM without a failure injected (or twice)");
			continue;	/* the record is kept: the next call retries it */
		}
		if (!ret)
			break;
		FUZZ_CHECK(ret == 1, "next: next() gave %d", ret);
		while (pos < S.nr && !replayed(&S.recs[S.order[pos]]))
			pos++;
		FUZZ_CHECK(pos < S.nr, "extra: an event came back after every record written");
		check_event(&ev, &S.recs[S.order[pos]], pos + 1UL);
		iosim_trace_event_release(&ev);
		pos++;
		got++;
	}
	while (pos < S.nr && !replayed(&S.recs[S.order[pos]]))
		pos++;
	FUZZ_CHECK(pos == S.nr, "missing: the reader ended before record %u of %u", pos + 1,
		   S.nr);
	check_stats(iosim_trace_reader_stats(r));
	iosim_trace_reader_close(r);
	iosim_fault_reset();
	return got;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct iosim_ram_config ram = {
		.base_phys = IOSIM_RAM_DEFAULT_BASE_PHYS, .size_bytes = 256 * PAGE_SIZE,
	};
	uint64_t cpu_ts[MAX_CPUS];
	struct fuzz_input in;
	unsigned long before, fail_nth;
	unsigned int cpus, i, events;
	int fd;

	fuzz_begin();
	fuzz_ram_get(&ram, false);
	fuzz_input_init(&in, data, size);
	cpus = fuzz_get_u8(&in);	/* 0xff: a trace of no CPU, which is refused */
	S.nr_cpus = cpus == 0xff ? 0 : 1 + cpus % MAX_CPUS;
	S.lost_cpus = fuzz_get_u8(&in) & ((1u << S.nr_cpus) - 1);
	S.kernel = fuzz_get_bool(&in) ? TRACEDAT_6_12 : TRACEDAT_6_18;
	fail_nth = fuzz_get_choice(&in, 4) ? 0 : 1 + fuzz_get_u8(&in);
	cpu_ts[0] = fuzz_get_u64(&in) & ((1ULL << 50) - 1);
	for (i = 1; i < MAX_CPUS; i++)
		cpu_ts[i] = cpu_ts[0];
	for (S.nr = 0; S.nr_cpus && S.nr < MAX_RECS && get_record(&in, &S.recs[S.nr], cpu_ts);
	     S.nr++) {
		cpu_ts[S.recs[S.nr].cpu] = S.recs[S.nr].ts;
		write_record(&S.recs[S.nr], &S.out[S.nr]);
	}
	tracedat_build(S.out, S.nr, S.nr_cpus, S.lost_cpus, S.kernel, &S.file);
	for (i = 0; i < S.nr; i++)
		tracedat_rec_release(&S.out[i]);
	sort_order();

	fd = memfd_create("fuzz.dat", 0);
	FUZZ_CHECK(fd >= 0, "harness: memfd_create failed: %s", strerror(errno));
	FUZZ_CHECK(write(fd, S.file.p, S.file.len) == (ssize_t)S.file.len,
		   "harness: writing the trace.dat failed");
	free(S.file.p);
	snprintf(S.path, sizeof(S.path), "/proc/self/fd/%d", fd);

	before = fuzz_warns();
	events = read_all(0);
	fuzz_digest_add(&events, sizeof(events));
	fuzz_trace("tracedat: %u records on %u CPUs, %u events", S.nr, S.nr_cpus, events);
	if (fail_nth) {
		unsigned int again = read_all(fail_nth);

		FUZZ_CHECK(again == events || again == 0,
			   "fail-nth: with allocation %lu failing, %u events came back, not %u",
			   fail_nth, again, events);
	}
	fuzz_expect_warns(before, 0, "reading the trace.dat");
	close(fd);
	fuzz_end(fuzz_ram_put());
	return 0;
}
