/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * compat/mm DMA pool private interface - customised for simulation, not
 * kernel API: the layout of a pool and of its pages (compat/mm/dmapool.c,
 * whose head comment explains the design), for dmapool.c and for the
 * white-box test of its checker (tests/compat/test_dmapool.c), which
 * plants corrupted geometry and records to see iosim_dma_pool_check()
 * report each.
 */
#ifndef _IOSIM_COMPAT_MM_DMAPOOL_INTERNAL_H
#define _IOSIM_COMPAT_MM_DMAPOOL_INTERNAL_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>

#define DMAPOOL_FILL_FREE	0xa7	/* POOL_POISON_FREED */
#define DMAPOOL_FILL_BUSY	0xa9	/* POOL_POISON_ALLOCATED */
#define DMAPOOL_MIN_BLOCK	4

struct device;

struct dma_pool {
	struct list_head dev_link;	/* on dev->dma_pools, under dmapool_lists */
	struct list_head chunks;	/* struct dmapool_chunk, newest first */
	spinlock_t lock;		/* guards chunks and every chunk's records */
	struct device *dev;
	char *name;
	size_t block;			/* bytes per block, rounded */
	size_t chunk_bytes;		/* bytes per page: max(PAGE_SIZE, block) */
	size_t boundary;		/* no block straddles a multiple of this */
	unsigned int nr_slots;		/* blocks per page */
	unsigned int slot_off[];	/* ascending offsets of the blocks */
};

/* One coherent page of a pool and its out-of-band bookkeeping. */
struct dmapool_chunk {
	struct list_head link;		/* on pool->chunks */
	void *cpu;
	dma_addr_t dma;
	unsigned int nr_free;		/* entries on free_stack */
	bool abandoned;			/* records found corrupt: no more allocations */
	unsigned long *busy;		/* bit per slot, set while handed out */
	unsigned long *seen;		/* scratch for the checker */
	unsigned int *free_stack;	/* free slot indices; top at [nr_free - 1] */
	unsigned long words[];		/* storage of the three arrays above */
};

#endif /* _IOSIM_COMPAT_MM_DMAPOOL_INTERNAL_H */
