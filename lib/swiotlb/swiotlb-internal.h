/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * lib/swiotlb private interfaces - customised for simulation, not kernel API:
 * the pool state shared by the slot allocator (slots.c) and the DMA-API
 * entry points (map.c).
 */
#ifndef _IOSIM_LIB_SWIOTLB_INTERNAL_H
#define _IOSIM_LIB_SWIOTLB_INTERNAL_H

#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/spinlock.h>
#include <linux/swiotlb.h>
#include <iosim/swiotlb.h>

/* io_tlb_orig_addr of a free slot. */
#define INVALID_PHYS_ADDR	(~(phys_addr_t)0)

struct io_tlb_pool {
	bool ready;
	void *virt;			/* linear-map address of slot 0 */
	phys_addr_t start, end;		/* [start, end) physical */
	unsigned long nslabs;		/* slots, a multiple of IO_TLB_SEGSIZE */
	unsigned long index;		/* where the next search starts */
	unsigned int *io_tlb_list;	/* free slots from here to the run's end (0: used) */
	phys_addr_t *io_tlb_orig_addr;	/* original address per used slot */
	unsigned int *io_tlb_nslots;	/* at a mapping's first slot: its slot count */
	struct iosim_swiotlb_stats stats;
};

/* The pool; lock protects every field after iosim_swiotlb_init() returns. */
extern struct io_tlb_pool io_tlb;
extern spinlock_t io_tlb_lock;

/*
 * SWIOTLB_BUG - where the kernel has BUG_ON(@cond): record a BUG
 * (iosim_bug_count()) with a message and evaluate to @cond, so that the
 * caller can refuse the call with nothing changed.
 */
#define SWIOTLB_BUG(cond, ...) ({					\
	int __swiotlb_bug = !!(cond);					\
	if (unlikely(__swiotlb_bug))					\
		__IOSIM_WARN(true, __VA_ARGS__);			\
	unlikely(__swiotlb_bug);					\
})

/*
 * iosim_swiotlb_tbl_map - swiotlb_tbl_map_single(), also telling whether a
 * failure was the pool's lack of room (*@full: the kernel's swiotlb_full()
 * case) rather than a refused request (no pool, zero size, bad boundary).
 */
phys_addr_t iosim_swiotlb_tbl_map(struct device *hwdev, dma_addr_t tbl_dma_addr,
				  phys_addr_t phys, size_t size, enum dma_data_direction dir,
				  bool *full);

#endif /* _IOSIM_LIB_SWIOTLB_INTERNAL_H */
