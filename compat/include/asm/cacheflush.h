/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * asm/cacheflush.h - customised (arm64 of 2015): the data-cache maintenance
 * that the DMA mapping code uses, acting on the simulation's cache model
 * (<iosim/cache.h>, docs/cache-model.md) instead of a real cache.
 *
 * Addresses are CPU virtual addresses: the linear map, or a vmap()/
 * dma_common_pages_remap() alias (resolved page by page).  Anything else
 * (vmalloc() memory, the stack, the heap, NULL), a range that wraps or one
 * that leaves RAM WARNs and changes nothing.  A zero size does nothing.
 */
#ifndef _IOSIM_ASM_CACHEFLUSH_H
#define _IOSIM_ASM_CACHEFLUSH_H

#include <linux/types.h>

/**
 * __dma_map_area - make a buffer ready to be handed to a device
 * @start: CPU address of the buffer
 * @size: bytes
 * @dir: enum dma_data_direction: DMA_FROM_DEVICE invalidates (arm64's
 *	__dma_inv_range: partial edge lines cleaned and invalidated, lost
 *	CPU writes not counted); any other value cleans.
 *
 * Context: any thread; counts go to iosim_cache_context()'s device.
 * Return: nothing.
 */
void __dma_map_area(const void *start, size_t size, int dir);

/**
 * __dma_unmap_area - take a buffer back from a device
 * @start: CPU address of the buffer
 * @size: bytes
 * @dir: DMA_TO_DEVICE does nothing; any other value invalidates with
 *	__dma_inv_range semantics, counting CPU writes lost.
 *
 * Context: any thread.
 * Return: nothing.
 */
void __dma_unmap_area(const void *start, size_t size, int dir);

/**
 * __dma_flush_range - clean and invalidate [@start, @end)
 * @start: first byte
 * @end: one past the last byte (@end < @start WARNs)
 *
 * Context: any thread.
 * Return: nothing.
 */
void __dma_flush_range(const void *start, const void *end);

/**
 * __flush_dcache_area - clean and invalidate [@addr, @addr + @len)
 * @addr: first byte
 * @len: bytes
 *
 * Context: any thread.
 * Return: nothing.
 */
void __flush_dcache_area(void *addr, size_t len);

#endif /* _IOSIM_ASM_CACHEFLUSH_H */
