/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/dma-managed.h - faithful: the managed DMA API of Linux v4.1/v4.2
 * (implemented in compat/drivers/dma_managed.c on top of devres,
 * <linux/device.h>).  Buffers and declared memory obtained here are given
 * back by the device itself when its driver is detached.  In the kernel
 * these are declared by <linux/dma-mapping.h>; that header includes this
 * one at its end.  See docs/devres-dmapool.md.
 */
#ifndef _IOSIM_LINUX_DMA_MANAGED_H
#define _IOSIM_LINUX_DMA_MANAGED_H

#include <linux/types.h>
#include <linux/gfp.h>

struct device;

/**
 * dmam_alloc_coherent - dma_alloc_coherent() whose buffer is freed when
 * the driver is detached
 * Return: the CPU address (the device address in *@dma_handle), or NULL
 * with nothing allocated.
 */
void *dmam_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp);

/**
 * dmam_free_coherent - free a dmam_alloc_coherent() buffer early; a buffer
 * that is not managed is still freed, and WARNs.
 */
void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle);

/**
 * dmam_alloc_noncoherent - managed counterpart of dma_alloc_noncoherent();
 * NULL always on arm64 of 2015, which had no such allocations.
 */
void *dmam_alloc_noncoherent(struct device *dev, size_t size, dma_addr_t *dma_handle,
			     gfp_t gfp);

/**
 * dmam_free_noncoherent - free a dmam_alloc_noncoherent() buffer early; one
 * that is not managed WARNs.
 */
void dmam_free_noncoherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle);

/**
 * dmam_declare_coherent_memory - dma_declare_coherent_memory() that is
 * undone when the driver is detached
 * Return: the value of dma_declare_coherent_memory() (DMA_MEMORY_MAP or
 * DMA_MEMORY_IO when declared, 0 when not); -ENOMEM when the bookkeeping
 * cannot be allocated, with nothing declared.
 */
int dmam_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr,
				 dma_addr_t device_addr, size_t size, int flags);

/**
 * dmam_release_declared_memory - undo dmam_declare_coherent_memory() now;
 * a device without such a declaration WARNs.
 */
void dmam_release_declared_memory(struct device *dev);

#endif /* _IOSIM_LINUX_DMA_MANAGED_H */
