/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * trace_event.h - the kernel's dma:* trace events as the simulator reads them.
 *
 * One struct iosim_trace_event per dma:* event of a recorded trace, whatever
 * the source: a line of /sys/kernel/tracing/trace, a line of `trace-cmd
 * report`, or a record of a trace.dat (trace_reader.h).  Layouts of kernels
 * 6.12 through 6.18 are accepted (docs/simulator-input.md lists them).
 */
#ifndef IOSIM_SIM_TRACE_EVENT_H
#define IOSIM_SIM_TRACE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum iosim_trace_kind {
	IOSIM_TRACE_MAP_PHYS,		/* dma_map_phys; dma_map_page before 6.17 */
	IOSIM_TRACE_UNMAP_PHYS,		/* dma_unmap_phys; dma_unmap_page before */
	IOSIM_TRACE_MAP_SG,
	IOSIM_TRACE_MAP_SG_ERR,
	IOSIM_TRACE_UNMAP_SG,
	IOSIM_TRACE_SYNC_SINGLE_FOR_CPU,
	IOSIM_TRACE_SYNC_SINGLE_FOR_DEVICE,
	IOSIM_TRACE_SYNC_SG_FOR_CPU,
	IOSIM_TRACE_SYNC_SG_FOR_DEVICE,
	IOSIM_TRACE_ALLOC,
	IOSIM_TRACE_ALLOC_PAGES,
	IOSIM_TRACE_ALLOC_SGT,
	IOSIM_TRACE_ALLOC_SGT_ERR,
	IOSIM_TRACE_FREE,
	IOSIM_TRACE_FREE_PAGES,
	IOSIM_TRACE_FREE_SGT,
	IOSIM_TRACE_NR_KINDS
};

/* The values of the kernel's enum dma_data_direction. */
enum iosim_trace_dir {
	IOSIM_TRACE_DIR_BIDIRECTIONAL = 0,
	IOSIM_TRACE_DIR_TO_DEVICE = 1,
	IOSIM_TRACE_DIR_FROM_DEVICE = 2,
	IOSIM_TRACE_DIR_NONE = 3,
};

/*
 * attrs= names as bits of our own (the kernel renumbers its DMA_ATTR_* over
 * time; the replayer maps these to the simulated kernel's struct dma_attrs).
 */
#define IOSIM_TRACE_ATTR_WEAK_ORDERING		(1u << 0)
#define IOSIM_TRACE_ATTR_WRITE_COMBINE		(1u << 1)
#define IOSIM_TRACE_ATTR_NO_KERNEL_MAPPING	(1u << 2)
#define IOSIM_TRACE_ATTR_SKIP_CPU_SYNC		(1u << 3)
#define IOSIM_TRACE_ATTR_FORCE_CONTIGUOUS	(1u << 4)
#define IOSIM_TRACE_ATTR_ALLOC_SINGLE_PAGES	(1u << 5)
#define IOSIM_TRACE_ATTR_NO_WARN		(1u << 6)
#define IOSIM_TRACE_ATTR_PRIVILEGED		(1u << 7)
#define IOSIM_TRACE_ATTR_MMIO			(1u << 8)
#define IOSIM_TRACE_ATTR_CACHE_CLEAN		(1u << 9)
#define IOSIM_TRACE_ATTR_UNKNOWN		(1u << 31)	/* a name we do not know */

/* The names the kernel of 2015 has too (its enum dma_attr); the others it lacks. */
#define IOSIM_TRACE_ATTRS_2015	(IOSIM_TRACE_ATTR_WEAK_ORDERING | IOSIM_TRACE_ATTR_WRITE_COMBINE | \
				 IOSIM_TRACE_ATTR_NO_KERNEL_MAPPING | \
				 IOSIM_TRACE_ATTR_SKIP_CPU_SYNC | IOSIM_TRACE_ATTR_FORCE_CONTIGUOUS)

/* Fields present in this event (the layouts differ by kind and kernel). */
#define IOSIM_TRACE_HAS_DMA_ADDR	(1u << 0)
#define IOSIM_TRACE_HAS_PHYS_ADDR	(1u << 1)
#define IOSIM_TRACE_HAS_SIZE		(1u << 2)
#define IOSIM_TRACE_HAS_ATTRS		(1u << 3)
#define IOSIM_TRACE_HAS_VIRT_ADDR	(1u << 4)
#define IOSIM_TRACE_HAS_GFP		(1u << 5)
#define IOSIM_TRACE_HAS_COUNTS		(1u << 6)	/* nents=A/B ents=C/D (6.13+) */
#define IOSIM_TRACE_HAS_ERR		(1u << 7)

#define IOSIM_TRACE_TASK_LEN	32
#define IOSIM_TRACE_GFP_LEN	96
/* Array entries accepted per event (the kernel records at most 128 since 6.13). */
#define IOSIM_TRACE_MAX_ENTS	4096

/**
 * struct iosim_trace_event - one dma:* event
 * @kind: which event
 * @old_name: recorded under its pre-6.17 name (dma_map_page/dma_unmap_page)
 * @line: line number in a text trace, record index (from 1) in a trace.dat
 * @ts_ns: timestamp in nanoseconds (text traces: as precise as printed)
 * @cpu: the CPU that recorded it
 * @pid: the task's pid
 * @task: the task's comm as printed ("<idle>", "kworker/u8:2", ...)
 * @device: dev_name() of the device, of any length (allocated: the reader's
 *	longest line bounds it)
 * @dir: DMA direction
 * @has: IOSIM_TRACE_HAS_* bits saying which scalar fields below were present
 * @dma_addr: DMA address (~0 for a failed single mapping)
 * @phys_addr: physical address (single mappings)
 * @size: size in bytes
 * @attrs: IOSIM_TRACE_ATTR_* bits
 * @unknown_attrs: names in attrs= we do not know (or leftover numbers), each
 *	counted; IOSIM_TRACE_ATTR_UNKNOWN is set when there is one
 * @virt_addr: the CPU address of an allocation (as printed: %p is hashed)
 * @gfp: the allocation's gfp flags, as printed ("GFP_KERNEL|__GFP_ZERO")
 * @err: dma_map_sg_err's error code
 * @nents_recorded: entries of @phys_addrs (map_sg: "nents=A/")
 * @nents_total: entries of the scatterlist ("nents=/B"; == recorded when not cut)
 * @ents_recorded: entries of @dma_addrs and @dma_lens (map_sg: "ents=C/")
 * @ents_total: DMA segments the mapping produced ("ents=/D")
 * @truncated: the kernel cut the lists (" [TRUNCATED]", or A < B or C < D;
 *	" [TRUNCATED]" with A == B and C == D is refused as malformed)
 * @nr_phys: entries in @phys_addrs
 * @nr_dma: entries in @dma_addrs and in @dma_lens
 * @phys_addrs: physical addresses (map_sg, unmap_sg, map_sg_err, *_sgt)
 * @dma_addrs: DMA addresses (map_sg, sync_sg_*)
 * @dma_lens: DMA segment lengths (map_sg, sync_sg_*; the "sizes=" array)
 *
 * The arrays and @device are owned by the event: iosim_trace_event_release()
 * frees them.
 */
struct iosim_trace_event {
	enum iosim_trace_kind kind;
	bool old_name;
	unsigned long line;
	uint64_t ts_ns;
	int cpu;
	int pid;
	char task[IOSIM_TRACE_TASK_LEN];
	char *device;
	enum iosim_trace_dir dir;
	unsigned int has;
	uint64_t dma_addr;
	uint64_t phys_addr;
	uint64_t size;
	unsigned int attrs;
	unsigned int unknown_attrs;
	uint64_t virt_addr;
	char gfp[IOSIM_TRACE_GFP_LEN];
	int err;
	unsigned int nents_recorded, nents_total;
	unsigned int ents_recorded, ents_total;
	bool truncated;
	size_t nr_phys;
	size_t nr_dma;
	uint64_t *phys_addrs;
	uint64_t *dma_addrs;
	uint64_t *dma_lens;
};

#define IOSIM_TRACE_ERR_LEN	160

/**
 * struct iosim_trace_error - why a line was refused
 * @line: its line number
 * @msg: what is wrong ("dma_map_sg: sizes= has 2 entries, dma_addrs= has 3")
 */
struct iosim_trace_error {
	unsigned long line;
	char msg[IOSIM_TRACE_ERR_LEN];
};

/* What iosim_trace_parse_line() found, besides an event. */
enum iosim_trace_parse_result {
	IOSIM_TRACE_EVENT = 0,		/* @ev filled */
	IOSIM_TRACE_NOT_EVENT = 1,	/* blank, comment or report header line */
	IOSIM_TRACE_UNKNOWN_EVENT = 2,	/* an event we do not replay (name given) */
};

/**
 * iosim_trace_kind_name - the 6.18 tracepoint name of @kind
 * @kind: an event kind
 *
 * Context: any.
 * Return: "dma_map_phys", ... ; "?" for a value out of range.
 */
const char *iosim_trace_kind_name(enum iosim_trace_kind kind);

/**
 * iosim_trace_kind_from_name - the kind of a tracepoint name
 * @name: event name, with or without "dma:" in front
 * @kind: set to the kind when known
 * @old_name: set to true when @name is a pre-6.17 alias (may be NULL)
 *
 * Context: any.
 * Return: true if @name is a dma:* event this library reads; false otherwise
 * (@kind untouched).
 */
bool iosim_trace_kind_from_name(const char *name, enum iosim_trace_kind *kind, bool *old_name);

/**
 * iosim_trace_dir_name - "BIDIRECTIONAL", "TO_DEVICE", "FROM_DEVICE" or "NONE"
 * @dir: a direction
 *
 * Context: any.
 * Return: the name; "?" for a value out of range.
 */
const char *iosim_trace_dir_name(enum iosim_trace_dir dir);

/**
 * iosim_trace_parse_line - parse one line of a text trace
 * @line: the line (with or without its newline), in the format of
 *	/sys/kernel/tracing/trace or of `trace-cmd report`
 * @lineno: its line number, for @ev->line and @err
 * @ev: filled with the event (its device name and arrays allocated) when
 *	the result is IOSIM_TRACE_EVENT; otherwise left empty (nothing allocated)
 * @unknown_name: when not NULL and the result is IOSIM_TRACE_UNKNOWN_EVENT,
 *	receives the event name (truncated to @unknown_len - 1 characters)
 * @unknown_len: size of @unknown_name
 * @err: when not NULL and the line is refused, receives the reason
 *
 * Context: process context; allocates the device name and the arrays with the
 * shim's allocator.
 * Return: an enum iosim_trace_parse_result; -EINVAL for a malformed line
 * (@err says why; @ev left empty); -ENOMEM if the device name or an array
 * could not be allocated (@ev left empty).
 */
int iosim_trace_parse_line(const char *line, unsigned long lineno, struct iosim_trace_event *ev,
			   char *unknown_name, size_t unknown_len, struct iosim_trace_error *err);

/**
 * iosim_trace_parse_body - parse the event-specific text of a dma:* event
 * @kind: the event (from its name)
 * @body: the text after "event_name:", starting at the device name
 * @ev: filled as by iosim_trace_parse_line(); its prefix fields (time, CPU,
 *	task, line) are left as the caller set them
 * @err: when not NULL and the text is refused, receives the reason
 *	(@err->line is set from @ev->line)
 *
 * Context: process context; allocates the device name and the arrays.
 * Return: 0; -EINVAL for malformed text (@err says why); -ENOMEM.  On error
 * @ev holds no device name and no arrays.
 */
int iosim_trace_parse_body(enum iosim_trace_kind kind, const char *body,
			   struct iosim_trace_event *ev, struct iosim_trace_error *err);

/**
 * iosim_trace_event_release - free an event's device name and arrays and empty it
 * @ev: the event (may be empty already)
 *
 * Context: process context.
 * Return: nothing; @ev is zeroed.
 */
void iosim_trace_event_release(struct iosim_trace_event *ev);

/**
 * iosim_trace_event_check - sanity checker of one parsed event
 * @ev: the event
 *
 * Checks the kind and direction are in range, the device name is set and
 * not empty, the task name is terminated, the array counts agree with their pointers and with the
 * recorded counts, no recorded count exceeds its total, and the arrays each
 * kind carries are there.
 *
 * Context: any.
 * Return: 0; -EUCLEAN after WARNing the first inconsistency.
 */
int iosim_trace_event_check(const struct iosim_trace_event *ev);

#endif /* IOSIM_SIM_TRACE_EVENT_H */
