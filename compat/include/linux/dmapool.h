/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * include/linux/dmapool.h
 *
 * customised: allocation pools for DMAable (coherent) memory (mm/dmapool.c of 2015,
 * compat/mm/dmapool.c): blocks of one size carved out of pages that
 * dma_alloc_coherent() gives, aligned and never crossing a boundary.  The
 * pool always poisons and checks as the kernel's DMAPOOL_DEBUG does; misuse
 * is logged with the kernel's messages and WARNs.  There is no
 * dma_pool_zalloc() (it came with 4.3).  docs/devres-dmapool.md.
 */
#ifndef _IOSIM_LINUX_DMAPOOL_H
#define _IOSIM_LINUX_DMAPOOL_H

#include <linux/types.h>
#include <linux/gfp.h>

struct device;
struct dma_pool;

struct dma_pool *dma_pool_create(const char *name, struct device *dev,
			size_t size, size_t align, size_t allocation);

void dma_pool_destroy(struct dma_pool *pool);

void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags,
		     dma_addr_t *handle);

void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t addr);

/*
 * Managed DMA pool
 */
struct dma_pool *dmam_pool_create(const char *name, struct device *dev,
				  size_t size, size_t align, size_t allocation);
void dmam_pool_destroy(struct dma_pool *pool);

#endif /* _IOSIM_LINUX_DMAPOOL_H */
