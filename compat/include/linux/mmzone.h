/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/mmzone.h - faithful for MAX_ORDER (exclusive: orders 0..MAX_ORDER-1,
 * as in 2015), the zone types of arm64 of 2015 (ZONE_DMA below 4 GiB,
 * ZONE_NORMAL), the migrate types and the page block size; nodes and struct
 * zone are not simulated.
 */
#ifndef _IOSIM_LINUX_MMZONE_H
#define _IOSIM_LINUX_MMZONE_H

#include <linux/types.h>

#define MAX_ORDER		CONFIG_FORCE_MAX_ZONEORDER
#define MAX_ORDER_NR_PAGES	(1 << (MAX_ORDER - 1))

/* arm64 of 2015: CONFIG_ZONE_DMA, no ZONE_DMA32, no highmem, no movable zone. */
enum zone_type {
	ZONE_DMA,
	ZONE_NORMAL,
	__MAX_NR_ZONES
};
#define MAX_NR_ZONES		__MAX_NR_ZONES

/*
 * Migrate types of v4.1 with CONFIG_CMA and memory isolation.  The simulated
 * buddy allocator does not sort its free blocks by type (nothing it hands out
 * can move); alloc_contig_range() takes MIGRATE_CMA or MIGRATE_MOVABLE.
 */
enum {
	MIGRATE_UNMOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_MOVABLE,
	MIGRATE_PCPTYPES,	/* types kept on per-cpu lists come before this */
	MIGRATE_RESERVE = MIGRATE_PCPTYPES,
	MIGRATE_CMA,
	MIGRATE_ISOLATE,	/* blocks set aside while a range is taken */
	MIGRATE_TYPES
};

/*
 * The page block: arm64 has no variable hugepage size, so a page block is
 * the largest buddy block, as the simulation takes it (MAX_ORDER - 1).
 */
#define pageblock_order		(MAX_ORDER - 1)
#define pageblock_nr_pages	(1UL << pageblock_order)

/* Simulation: the end of ZONE_DMA (exclusive), 4 GiB as arm64 with RAM from 0. */
#define IOSIM_ZONE_DMA_LIMIT	(1ULL << 32)

#endif /* _IOSIM_LINUX_MMZONE_H */
