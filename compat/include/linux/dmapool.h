/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * include/linux/dmapool.h
 *
 * customised: DMA pools, the API of the kernel's mm/dmapool.c of 2015
 * (implemented in compat/mm/dmapool.c).  A driver that needs many small
 * coherent buffers of one size (descriptors, command blocks) makes a pool
 * for them instead of spending a whole dma_alloc_coherent() page on each.
 * The pool fetches coherent pages as needed and cuts them into blocks that
 * honour the requested alignment and never straddle the requested
 * boundary.  Free and handed-out blocks are always poisoned and checked
 * (as a kernel built with DMAPOOL_DEBUG); misuse is logged in the kernel's
 * words and WARNs.  dma_pool_zalloc() is absent: it appeared in 4.3.
 * See docs/devres-dmapool.md.
 */
#ifndef _IOSIM_LINUX_DMAPOOL_H
#define _IOSIM_LINUX_DMAPOOL_H

#include <linux/types.h>
#include <linux/gfp.h>

struct device;
struct dma_pool;

/* Make a pool of blocks of @size bytes for @dev (see compat/mm/dmapool.c). */
struct dma_pool *dma_pool_create(const char *name, struct device *dev,
			size_t size, size_t align, size_t allocation);

/* Tear a pool down; its blocks should all have been freed. */
void dma_pool_destroy(struct dma_pool *pool);

/* One block: its CPU address returned, its DMA address in *@handle. */
void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags,
		     dma_addr_t *handle);

/* Return a block with both of its addresses. */
void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t addr);

/*
 * Device-managed variants: the pool goes away with the device's managed
 * resources (devres) unless destroyed earlier with dmam_pool_destroy().
 */
struct dma_pool *dmam_pool_create(const char *name, struct device *dev,
				  size_t size, size_t align, size_t allocation);
void dmam_pool_destroy(struct dma_pool *pool);

#endif /* _IOSIM_LINUX_DMAPOOL_H */
