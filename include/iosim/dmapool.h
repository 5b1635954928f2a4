/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/dmapool.h> - checking and inspecting a DMA pool (<linux/dmapool.h>;
 * docs/devres-dmapool.md).
 */
#ifndef _IOSIM_DMAPOOL_H
#define _IOSIM_DMAPOOL_H

#include <stddef.h>
#include <linux/types.h>

struct dma_pool;

/**
 * iosim_dma_pool_check - the sanity checker of a DMA pool
 * @pool: a pool dma_pool_create() made
 *
 * Checks the pool's geometry (block size, page size, boundary, the slot
 * table: ascending, inside the page, no block straddling the boundary),
 * that the pool is on its device's list of pools, and under its lock each
 * page: list links mutual, no DMA overlap with another page, not given up
 * after corruption, its stack of free slots made of valid slot numbers,
 * none twice, none marked in use in the page's bitmap, free slots plus
 * slots in use making the page's block count, and every free block's bytes
 * all holding the free poison 0xa7, so a write into a freed block (by the
 * CPU or the device) is found.
 *
 * Context: process context; takes the pools' mutex and the pool's lock.
 * Return: 0 if consistent; -EUCLEAN after a WARN naming the first problem.
 */
int iosim_dma_pool_check(struct dma_pool *pool);

/** iosim_dma_pool_nr_pages - pages (of the pool's allocation size) the pool holds. */
size_t iosim_dma_pool_nr_pages(struct dma_pool *pool);

/** iosim_dma_pool_in_use - blocks of the pool allocated and not freed. */
size_t iosim_dma_pool_in_use(struct dma_pool *pool);

/** iosim_dma_pool_blocks_per_page - how many blocks a page of the pool holds. */
size_t iosim_dma_pool_blocks_per_page(struct dma_pool *pool);

/**
 * iosim_dma_pool_free_slots - the free-slot stack of the page holding @dma
 * @pool: the pool
 * @dma: any DMA address inside one of the pool's pages
 * @nr_free: set to the number of entries on the stack (may be NULL)
 *
 * For tests that plant corruption: the returned array lists the page's
 * free slots by index (0 is the page's first block), the next block to be
 * handed out last, at [*@nr_free - 1].  Writing to it bypasses the pool's
 * lock and is only meant to be caught by iosim_dma_pool_check() and
 * dma_pool_alloc().
 *
 * Return: the stack, or NULL if no page of @pool holds @dma.
 */
unsigned int *iosim_dma_pool_free_slots(struct dma_pool *pool, dma_addr_t dma,
					size_t *nr_free);

#endif /* _IOSIM_DMAPOOL_H */
