/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/dma_debug.h> - querying and steering the DMA-API debugging layer
 * (lib/dma-debug, the kernel's CONFIG_DMA_API_DEBUG, on by default).
 *
 * Every misuse the hooks of <linux/dma-debug.h> detect is a report of one
 * kind below: printed with pr_err() in the kernel's wording ("DMA-API: ..."),
 * counted per kind and kept as the last report, so a test asserts "exactly
 * one report of kind X" with iosim_dma_debug_count().  docs/dma-debug.md
 * lists each kind with its wording.
 *
 * The entries live outside the simulated slab (plain calloc/free: debug
 * infrastructure must not disturb the slab counts and failure sweeps of the
 * code it watches); iosim_dma_debug_reset() frees all of them.
 */
#ifndef _IOSIM_DMA_DEBUG_H
#define _IOSIM_DMA_DEBUG_H

#include <linux/types.h>

struct device;
struct bus_type;

enum iosim_dma_debug_kind {
	/* unmap/free (check_unmap) */
	IOSIM_DMA_DEBUG_FREE_INVALID_ADDR,	/* unmap of the DMA_ERROR_CODE handle */
	IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED,	/* never mapped or already unmapped */
	IOSIM_DMA_DEBUG_FREE_WRONG_SIZE,
	IOSIM_DMA_DEBUG_FREE_WRONG_FUNCTION,	/* single/page/sg/coherent mismatch */
	IOSIM_DMA_DEBUG_FREE_WRONG_CPU_ADDR,	/* coherent free with another CPU address */
	IOSIM_DMA_DEBUG_FREE_SG_WRONG_NENTS,	/* unmap_sg nents != map_sg nents */
	IOSIM_DMA_DEBUG_FREE_WRONG_DIRECTION,
	IOSIM_DMA_DEBUG_MAP_ERROR_NOT_CHECKED,	/* dma_mapping_error() never called */
	/* sync (check_sync) */
	IOSIM_DMA_DEBUG_SYNC_NOT_ALLOCATED,	/* no entry holds the whole synced range */
	IOSIM_DMA_DEBUG_SYNC_OUT_OF_RANGE,	/* a size whose end wraps past 2^64 into an entry */
	IOSIM_DMA_DEBUG_SYNC_WRONG_DIRECTION,
	IOSIM_DMA_DEBUG_SYNC_READ_ONLY_FOR_CPU,	/* TO_DEVICE memory synced for the CPU */
	IOSIM_DMA_DEBUG_SYNC_WRITE_ONLY_TO_DEVICE, /* FROM_DEVICE memory synced for the device */
	IOSIM_DMA_DEBUG_SYNC_SG_WRONG_NENTS,
	/* map */
	IOSIM_DMA_DEBUG_SG_SEGMENT_TOO_LONG,	/* sg_dma_len > dma_get_max_seg_size() */
	IOSIM_DMA_DEBUG_SG_SEGMENT_BOUNDARY,	/* segment crosses dma_get_seg_boundary() */
	IOSIM_DMA_DEBUG_CACHELINE_OVERLAP,	/* a cache line in two device-writable mappings
						 * (v5.14's check, not 2015's) */
	IOSIM_DMA_DEBUG_NOT_RAM,		/* memory outside simulated RAM's linear map */
	IOSIM_DMA_DEBUG_VMALLOC,		/* dma_map_single of a vmalloc/vmap address */
	IOSIM_DMA_DEBUG_STACK,			/* dma_map_single of a stack address */
	IOSIM_DMA_DEBUG_TEXT_OR_RODATA,		/* dma_map_single of the program's text or
						 * read-only data */
	/* lifetime */
	IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN,	/* entries left when a device goes or unbinds */
	IOSIM_DMA_DEBUG_OUT_OF_ENTRIES,		/* the entry pool ran out: debugging disabled
						 * (a plain log line: not in error_count) */
	/* device side (the simulated bus master and the cache model) */
	IOSIM_DMA_DEBUG_DEVICE_NO_MAPPING,	/* device touches memory it has no mapping for */
	IOSIM_DMA_DEBUG_DEVICE_WRITE_TO_DEVICE,	/* device writes a DMA_TO_DEVICE mapping */
	IOSIM_DMA_DEBUG_DEVICE_READ_FROM_DEVICE, /* device reads a DMA_FROM_DEVICE mapping */
	IOSIM_DMA_DEBUG_DEVICE_CPU_OWNED,	/* device touches a buffer the CPU owns */
	IOSIM_DMA_DEBUG_CPU_WRITE_DEVICE_OWNED,	/* CPU write lost: the device owned the buffer */
	IOSIM_DMA_DEBUG_NR_KINDS
};

#define IOSIM_DMA_DEBUG_MSG_LEN		512
#define IOSIM_DMA_DEBUG_NAME_LEN	64

struct iosim_dma_debug_report {
	enum iosim_dma_debug_kind kind;
	struct device *dev;		/* compare only: the device may be gone */
	char dev_name[IOSIM_DMA_DEBUG_NAME_LEN];
	dma_addr_t dma_addr;		/* the address the report is about */
	u64 size;
	const char *file;		/* DMA API call reported (NULL: device side) */
	int line;
	const char *map_file;		/* where the entry concerned was made (NULL: none) */
	int map_line;
	char message[IOSIM_DMA_DEBUG_MSG_LEN];	/* the printed text, "DMA-API: ..." */
};

/** iosim_dma_debug_kind_name - a short stable name for @kind ("free_not_allocated"...). */
const char *iosim_dma_debug_kind_name(enum iosim_dma_debug_kind kind);

/** iosim_dma_debug_count - reports of @kind since the last clear (0 for a bad kind). */
unsigned long iosim_dma_debug_count(enum iosim_dma_debug_kind kind);

/** iosim_dma_debug_total - reports of every kind since the last clear. */
unsigned long iosim_dma_debug_total(void);

/**
 * iosim_dma_debug_error_count - the kernel's error_count: every error found,
 * including those the driver filter kept quiet (OUT_OF_ENTRIES is no error:
 * the kernel's message is a plain pr_err(), as here).
 */
unsigned long iosim_dma_debug_error_count(void);

/**
 * iosim_dma_debug_last - copy the most recent report into @out.
 * Return: false (and @out untouched) if there was none since the clear.
 */
bool iosim_dma_debug_last(struct iosim_dma_debug_report *out);

/** iosim_dma_debug_clear - forget reports and counts (entries stay). */
void iosim_dma_debug_clear(void);

/**
 * iosim_dma_debug_set_enabled - turn tracking and checks on (default) or off.
 * Mappings made while off are unknown afterwards: toggle with no mapping
 * live, or expect "not allocated" reports for them.  Does not undo the
 * out-of-entries disable (only iosim_dma_debug_reset() does).
 */
void iosim_dma_debug_set_enabled(bool on);

/** iosim_dma_debug_enabled - true while the hooks track and check. */
bool iosim_dma_debug_enabled(void);

/**
 * iosim_dma_debug_set_fatal - every report is also a WARN (fails the test
 * unless consumed), except OUT_OF_ENTRIES (the kernel's plain pr_err()).
 */
void iosim_dma_debug_set_fatal(bool fatal);

/**
 * iosim_dma_debug_set_driver_filter - as the kernel's dma_debug_driver=:
 * only reports about devices whose driver name, or device name, equals @name
 * are printed, counted per kind and kept; others still count in
 * iosim_dma_debug_error_count().  NULL or "" switches the filter off.
 * Return: 0; -EINVAL (no change) for a name of IOSIM_DMA_DEBUG_NAME_LEN or more.
 */
int iosim_dma_debug_set_driver_filter(const char *name);

/** iosim_dma_debug_live - live entries of @dev (NULL: of every device). */
unsigned long iosim_dma_debug_live(struct device *dev);

/** iosim_dma_debug_dump - debug_dma_dump_mappings(): one log line per entry, with its call site. */
void iosim_dma_debug_dump(struct device *dev);

/**
 * iosim_dma_debug_device_teardown - @dev is going: report what it still
 * holds (one PENDING_ON_TEARDOWN report, then one log line per entry with
 * the file:line that made it) and drop those entries.
 * Return: the number of entries dropped.
 */
int iosim_dma_debug_device_teardown(struct device *dev);

/**
 * iosim_dma_debug_check - sanity checker: both hash tables and the device
 * lists hold exactly the live entries, cache-line links match their entries,
 * counters agree with a walk.
 * Return: 0, or -EUCLEAN after a WARN per problem.
 */
int iosim_dma_debug_check(void);

/**
 * iosim_dma_debug_reset - drop every entry and per-device record, free all
 * memory the layer holds (bus notifiers stay registered), clear reports and
 * restore the defaults (enabled, not fatal, no filter, 4096 entries); the
 * one-shot "exceeded 7 overlapping mappings of cacheline" WARN may fire again.
 */
void iosim_dma_debug_reset(void);

/**
 * iosim_dma_debug_map_single - the checks dma_map_single() makes on its CPU
 * pointer before virt_to_page() (later kernels' debug_dma_map_single(), plus
 * v4.1's check_for_stack() and check_for_illegal_area()): reports a stack
 * address, one overlapping the program's text or read-only data, a
 * vmalloc/vmap address or one outside simulated RAM's linear map.
 * Return: true if @ptr..@ptr+@size is DMA-able linear-map memory (none of
 * the above: each of them fails the mapping).
 */
bool iosim_dma_debug_map_single(struct device *dev, const void *ptr, size_t size);

/**
 * iosim_dma_debug_device_access - the bus master tells that @dev read
 * (@is_write false) or wrote @len bytes at @addr.  Reports an address no
 * live mapping of @dev covers, a write into a DMA_TO_DEVICE or read of a
 * DMA_FROM_DEVICE mapping, and access while the CPU owns the buffer.
 */
void iosim_dma_debug_device_access(struct device *dev, dma_addr_t addr, size_t len,
				   bool is_write);

/**
 * iosim_dma_debug_lost_write - the cache model found that a CPU write at
 * @phys (@len bytes) was discarded by an invalidate for @dev: reported
 * against the (live or recently unmapped) entry of @dev covering @phys.
 */
void iosim_dma_debug_lost_write(struct device *dev, phys_addr_t phys, size_t len);

/**
 * iosim_dma_debug_remove_bus - undo dma_debug_add_bus() (simulation: buses
 * come and go between tests).  Unknown buses are ignored.
 */
void iosim_dma_debug_remove_bus(struct bus_type *bus);

#endif /* _IOSIM_DMA_DEBUG_H */
