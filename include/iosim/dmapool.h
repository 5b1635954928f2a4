/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/dmapool.h> - checking and inspecting a DMA pool (<linux/dmapool.h>;
 * docs/devres-dmapool.md).
 */
#ifndef _IOSIM_DMAPOOL_H
#define _IOSIM_DMAPOOL_H

#include <stddef.h>

struct dma_pool;

/**
 * iosim_dma_pool_check - the sanity checker of a DMA pool
 * @pool: a pool dma_pool_create() made
 *
 * Checks the pool's geometry (block size, page size, boundary), that it is
 * on its device's list of pools, and under its lock each page: linked both
 * ways, not overlapping another page in DMA address, its in-page free list
 * made of block starts of the pool's layout without a cycle, free blocks
 * plus blocks in use making the page's block count, and every free block's
 * bytes past its first four (the link) holding the free poison 0xa7, so a
 * write into a freed block (by the CPU or the device) is found.
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

#endif /* _IOSIM_DMAPOOL_H */
