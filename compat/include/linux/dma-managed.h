/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/dma-managed.h - faithful: the managed DMA API of 2015
 * (drivers/base/dma-mapping.c, compat/drivers/dma_managed.c): dma_alloc_coherent() and friends whose
 * buffers are freed when the driver is detached (devres, <linux/device.h>).
 * The kernel declares these in <linux/dma-mapping.h>, which includes this
 * header at its end.  docs/devres-dmapool.md.
 */
#ifndef _IOSIM_LINUX_DMA_MANAGED_H
#define _IOSIM_LINUX_DMA_MANAGED_H

#include <linux/types.h>
#include <linux/gfp.h>

struct device;

/**
 * dmam_alloc_coherent - managed dma_alloc_coherent(): freed on driver detach.
 * Return: the CPU address, or NULL with nothing allocated.
 */
void *dmam_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp);

/** dmam_free_coherent - managed dma_free_coherent(); an unmanaged buffer WARNs. */
void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle);

/** dmam_alloc_noncoherent - managed dma_alloc_noncoherent() (always NULL on arm64). */
void *dmam_alloc_noncoherent(struct device *dev, size_t size, dma_addr_t *dma_handle,
			     gfp_t gfp);

/** dmam_free_noncoherent - managed dma_free_noncoherent(); an unmanaged buffer WARNs. */
void dmam_free_noncoherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle);

/**
 * dmam_declare_coherent_memory - managed dma_declare_coherent_memory(): the
 * region is released on driver detach.  Return: as dma_declare_coherent_memory()
 * (DMA_MEMORY_MAP or DMA_MEMORY_IO, 0 on failure); -ENOMEM if the managed
 * record cannot be allocated.
 */
int dmam_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr,
				 dma_addr_t device_addr, size_t size, int flags);

/** dmam_release_declared_memory - managed dma_release_declared_memory(). */
void dmam_release_declared_memory(struct device *dev);

#endif /* _IOSIM_LINUX_DMA_MANAGED_H */
