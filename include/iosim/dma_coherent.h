/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * iosim/dma_coherent.h - simulation API for <asm-generic/dma-coherent.h>:
 * the sanity checker of a device's declared coherent memory.
 */
#ifndef _IOSIM_DMA_COHERENT_H
#define _IOSIM_DMA_COHERENT_H

#include <linux/types.h>

struct device;

/**
 * iosim_dma_coherent_check - check a device's declared coherent region
 * @dev: the device (NULL is an error)
 *
 * Checks, if @dev has a region: a positive size, MAP or IO in its flags, a
 * bitmap with no bit set past the region, a CPU mapping that is a live vmap()
 * area of exactly the region's pages with a write-combining memory type, and
 * every frame of the region still allocated.
 *
 * Context: process context; takes the region's lock.
 * Return: 0 if consistent or @dev has no region; -EUCLEAN after a WARN
 * naming the first broken invariant.  Nothing is modified.
 */
int iosim_dma_coherent_check(struct device *dev);

/**
 * iosim_dma_coherent_range - the DMA addresses of a device's declared region
 * @dev: the device
 * @base: set to the region's first DMA address
 * @bytes: set to its size in bytes
 *
 * DMA-API debugging lets a device access its own declared region without a
 * mapping: the kernel never tracked allocations from it (2015's
 * dma_alloc_attrs() returned before the debugging hook).
 *
 * Context: any; takes the region's lock.
 * Return: true if @dev (not NULL) has a region; @base and @bytes are then set.
 */
bool iosim_dma_coherent_range(struct device *dev, dma_addr_t *base, size_t *bytes);

#endif /* _IOSIM_DMA_COHERENT_H */
