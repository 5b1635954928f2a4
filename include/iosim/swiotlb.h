/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/swiotlb.h> - simulation control of the bounce pool (lib/swiotlb,
 * <linux/swiotlb.h>): its size, creation and destruction, statistics and
 * sanity checker.  The pool lives in ZONE_DMA (RAM below 4 GiB): without
 * such RAM there is no pool and swiotlb is unavailable.
 */
#ifndef _IOSIM_SWIOTLB_H
#define _IOSIM_SWIOTLB_H

#include <linux/types.h>

/*
 * Default pool size: 4 MiB (the kernel's is 64 MiB).  The default simulated
 * RAM is 128 MiB and ZONE_DMA in tests is often smaller; 4 MiB (2048 slots,
 * 16 segments) is one buddy block at 4 KiB pages, leaves most of ZONE_DMA
 * to coherent allocations and still holds hundreds of 4 KiB bounces.
 */
#define IOSIM_SWIOTLB_DEFAULT_SIZE	(4UL << 20)

/**
 * iosim_swiotlb_set_size - size of the pool the next iosim_swiotlb_init() makes
 * @bytes: rounded up to whole segments (IO_TLB_SEGSIZE slots, 256 KiB);
 *	0 restores the default
 *
 * Context: process context, while no pool exists (else WARNs, ignored).
 */
void iosim_swiotlb_set_size(size_t bytes);

/**
 * iosim_swiotlb_init - allocate the pool from ZONE_DMA and its slot tables
 *
 * Context: process context, after iosim_ram_init().
 * Return: 0; -EBUSY if a pool exists (unchanged); -ENODEV without RAM;
 * -ENOMEM if ZONE_DMA cannot hold the pool (none, too small, full), the
 * pool is larger than the largest buddy block (it must be physically
 * contiguous: PAGE_SIZE << (MAX_ORDER - 1)), or a table allocation failed - nothing is left allocated and swiotlb is then
 * unavailable (every bounce fails).
 */
int iosim_swiotlb_init(void);

/**
 * iosim_swiotlb_exit - free the pool
 *
 * Slots still in use are WARNed (with their count) and freed regardless.
 * Resets the statistics and swiotlb_force.
 *
 * Context: process context, before iosim_ram_exit().
 */
void iosim_swiotlb_exit(void);

/** iosim_swiotlb_ready - true while a pool exists. */
bool iosim_swiotlb_ready(void);

/** iosim_swiotlb_pool_phys - physical address of the pool's start (0 without one). */
phys_addr_t iosim_swiotlb_pool_phys(void);

struct iosim_swiotlb_stats {
	unsigned long nslabs;		/* slots in the pool */
	unsigned long slots_used;	/* slots allocated now */
	unsigned long slots_used_max;	/* high-water mark */
	unsigned long bounced_maps;	/* successful slot allocations */
	unsigned long direct_maps;	/* map_page/map_sg entries not bounced */
	u64 bytes_to_bounce;		/* copied original -> bounce buffer */
	u64 bytes_from_bounce;		/* copied bounce buffer -> original */
	unsigned long full_failures;	/* maps refused: no room in the pool */
};

/**
 * iosim_swiotlb_get_stats - copy the counters into @stats
 * Context: any; takes the pool lock.
 */
void iosim_swiotlb_get_stats(struct iosim_swiotlb_stats *stats);

/**
 * iosim_swiotlb_check - the pool's sanity checker: each slot's free-run
 * counter equals the run of free slots from it to its segment's end (0 for
 * used slots), every used slot belongs to one mapping that starts at a head
 * slot and stays within a segment, free slots have no original address,
 * the used count agrees, and the pool's pages are allocated ZONE_DMA RAM.
 *
 * Context: takes the pool lock; O(slots).
 * Return: 0 if consistent (or no pool); -EUCLEAN after WARNing each problem.
 */
int iosim_swiotlb_check(void);

#endif /* _IOSIM_SWIOTLB_H */
