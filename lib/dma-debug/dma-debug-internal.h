/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * lib/dma-debug internals: the entry (one per live mapping, sg segment or
 * coherent buffer), its three indexes, and the report helpers.
 *
 * Indexes (all uthash, all guarded by dbg_lock):
 *  - by address: key {dev, dma_addr}.  Without an IOMMU the same memory can
 *    be mapped twice at the same DMA address, so entries sharing a key hang
 *    off the hashed one through ->dup_next (the hashed one is the oldest).
 *  - by device: one struct dbg_dev per device seen, holding the list of its
 *    entries (containment searches for sync and device accesses walk it)
 *    and a ring of recently unmapped entries (to name what a device touched
 *    after unmap, or whose CPU write an unmap-time invalidate discarded).
 *  - by cache line: key = physical cache-line number of the first and of the
 *    last line of each device-writable (not DMA_TO_DEVICE) entry; entries
 *    sharing a line chain through ->dup_next of their link, oldest first.
 *    The kernel's overlap count of a line (v4.1's active_cacheline tags)
 *    is the number of links on it that are their entry's first line.
 *
 * The kernel's hash (1024 buckets by dev_addr >> 13) is not kept; only its
 * order shows (dump, the leaked entry named at teardown): dbg_hash_before().
 *
 * Memory: calloc/free, never the simulated slab (see <iosim/dma_debug.h>),
 * each calloc a call at the fault site IOSIM_FAULT_HOST; the tables too, so
 * creating one can fail (<iosim/hash_add.h>: adding to a table that holds
 * an entry cannot), which disables debugging as running out of entries does.
 */
#ifndef _DMA_DEBUG_INTERNAL_H
#define _DMA_DEBUG_INTERNAL_H

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/dma-debug.h>
#include <iosim/dma_debug.h>

#include <iosim/fault.h>

#include <pthread.h>

#define uthash_malloc(bytes)		iosim_host_calloc(1, (bytes))
#define HASH_NONFATAL_OOM		1
#define uthash_nonfatal_oom(elt)	(dbg.hash_oom = true)
#include <uthash.h>
#include <iosim/hash_add.h>

/* arm64's L1 cache line (ARCH_DMA_MINALIGN, 128 bytes). */
#define DBG_CACHELINE_SHIFT	7
/* The kernel's arm64 preallocation (PREALLOC_DMA_DEBUG_ENTRIES). */
#define DBG_DEFAULT_ENTRIES	4096
/* Recently unmapped entries kept per device. */
#define DBG_RECENT_UNMAPS	16
/* The kernel's hash of entries: bucket = (dev_addr >> 13) & 1023. */
#define DBG_HASH_FN_SHIFT	13
#define DBG_HASH_SIZE		1024
/* v4.1's overlap count of a cache line lives in 3 radix-tree tags. */
#define DBG_MAX_OVERLAP		7

enum dbg_type {
	dma_debug_single,
	dma_debug_page,
	dma_debug_sg,
	dma_debug_coherent,
};

enum map_err_types {
	MAP_ERR_CHECK_NOT_APPLICABLE,
	MAP_ERR_NOT_CHECKED,
	MAP_ERR_CHECKED,
	MAP_ERR_REPORTED,	/* simulation: not checked, already reported once */
};

struct dbg_addr_key {
	struct device *dev;
	dma_addr_t dev_addr;
};

struct dma_debug_entry;

/* One cache line of an entry, in the cache-line index. */
struct dbg_cl_link {
	u64 cln;			/* physical cache-line number: the key */
	struct dma_debug_entry *owner;
	struct dbg_cl_link *dup_next;	/* next entry sharing the line */
	bool linked;
	UT_hash_handle hh;
};

struct dma_debug_entry {
	struct dbg_addr_key key;	/* {dev, dev_addr} */
	int type;			/* enum dbg_type */
	phys_addr_t phys;		/* CPU memory (first byte), if phys_valid */
	bool phys_valid;
	u64 cpu_len;			/* bytes of CPU memory known at phys: size, except for
					 * an sg segment (its sg entry's length: merged
					 * entries' other pages are not tracked) */
	void *cpu_addr;			/* coherent: the CPU address the free must repeat */
	bool cpu_vmap;			/* coherent: cpu_addr starts a vmap() alias */
	u64 size;
	int direction;
	int sg_call_ents;		/* nents given to dma_map_sg */
	int sg_mapped_ents;		/* what dma_map_sg returned */
	enum map_err_types map_err_type;
	bool cpu_owned;			/* after sync_for_cpu, before sync_for_device */
	const char *file;		/* call site that made it */
	int line;
	u64 seq;			/* creation order (dump, teardown listing) */

	struct dma_debug_entry *dup_next; /* same {dev, dev_addr} */
	UT_hash_handle hh;		/* by address (only the first of a key) */
	struct list_head dev_node;	/* on dbg_dev->entries; free list when free */
	struct dbg_cl_link cl[2];	/* first and last cache line */
};

/* A copy of an unmapped entry, for after-the-fact attribution. */
struct dbg_recent {
	bool valid;
	int type;
	int direction;
	dma_addr_t dev_addr;
	phys_addr_t phys;
	u64 cpu_len;			/* 0: CPU memory unknown */
	u64 size;
	const char *file;
	int line;
};

struct dbg_dev {
	struct device *dev;		/* the key */
	char name[IOSIM_DMA_DEBUG_NAME_LEN];
	bool simulated;			/* made by iosim_device_create() */
	bool gone;			/* dump: simulated, and destroyed since */
	struct list_head entries;	/* in creation order */
	unsigned long nr_entries;
	struct dbg_recent recent[DBG_RECENT_UNMAPS];
	unsigned int recent_next;
	UT_hash_handle hh;
};

/* Internal symbols stay out of the library's exported API. */
#pragma GCC visibility push(hidden)

/* Global state (dma-debug.c); every field under dbg_lock. */
struct dbg_state {
	bool initialized;		/* pool set up (lazily, or by dma_debug_init) */
	bool user_enabled;		/* iosim_dma_debug_set_enabled() */
	bool global_disable;		/* the pool ran out: as the kernel, stop */
	bool fatal;
	bool overlap_warned;		/* the WARN_ONCE of the 8th overlap was given */
	char filter[IOSIM_DMA_DEBUG_NAME_LEN];

	/* the entry pool (the kernel's free_entries) */
	struct list_head free_entries;
	u32 nr_total_entries;		/* the limit */
	u32 nr_allocated;		/* calloc'd so far: in use + free list */
	u32 num_free_entries;		/* on the free list */
	u32 nr_in_use;
	u64 next_seq;

	struct dma_debug_entry *by_addr;
	struct dbg_dev *by_dev;
	struct dbg_cl_link *by_line;
	bool hash_oom;			/* the last add could not create its table */

	/* reports */
	unsigned long counts[IOSIM_DMA_DEBUG_NR_KINDS];
	unsigned long total;
	unsigned long error_count;
	bool have_last;
	struct iosim_dma_debug_report last;
};

extern struct dbg_state dbg;
extern pthread_mutex_t dbg_lock;

extern const char *const dbg_type_name[4];
extern const char *const dbg_dir_name[4];

/* dma-debug.c */
bool dbg_active_locked(void);
bool dbg_ops_mapping_error(struct device *dev, dma_addr_t dma_addr);

/* entries.c */
bool dbg_tracks_lines(const struct dma_debug_entry *entry);
struct dma_debug_entry *dbg_entry_alloc(void);
bool dbg_entry_add(struct dma_debug_entry *entry);
void dbg_entry_remove(struct dma_debug_entry *entry);
struct dma_debug_entry *dbg_find_exact(struct dma_debug_entry *ref);
struct dma_debug_entry *dbg_first_exact(struct device *dev, dma_addr_t dev_addr);
struct dma_debug_entry *dbg_find_containing(const struct dma_debug_entry *ref);
void dbg_mark_checked(struct device *dev, dma_addr_t dev_addr);
bool dbg_hash_before(const struct dma_debug_entry *a, const struct dma_debug_entry *b);
struct dbg_dev *dbg_dev_find(struct device *dev);
void dbg_remember_unmap(struct dma_debug_entry *entry);
void dbg_check_map_err(struct dma_debug_entry *entry, struct device *dev, u64 size,
		       bool device_side);
void dbg_drop_all(void);
int dbg_check_locked(void);

/* report.c */
void dbg_report(enum iosim_dma_debug_kind kind, struct device *dev,
		const struct dma_debug_entry *entry, dma_addr_t addr, u64 size,
		bool device_side, const char *fmt, ...) __printf(7, 8);
void dbg_report_plain(enum iosim_dma_debug_kind kind, const char *text);
const char *dbg_driver_string(const struct device *dev);
void dbg_reports_clear(void);

/* device.c */
void dbg_bus_reset(void);

#pragma GCC visibility pop

#endif /* _DMA_DEBUG_INTERNAL_H */
