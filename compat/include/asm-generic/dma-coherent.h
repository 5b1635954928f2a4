/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * asm-generic/dma-coherent.h - faithful (2015): per-device coherent memory,
 * tried by dma_alloc_attrs()/dma_free_attrs()/dma_mmap_attrs() before the
 * device's ops.  Each returns 1 when the device's declared region handled
 * the request and 0 when the ops must; a NULL device is never handled.
 * (dma_declare_coherent_memory() and its kin are in <linux/dma-mapping.h>.)
 */
#ifndef _IOSIM_ASM_GENERIC_DMA_COHERENT_H
#define _IOSIM_ASM_GENERIC_DMA_COHERENT_H

#include <linux/types.h>

struct device;
struct vm_area_struct;

int dma_alloc_from_coherent(struct device *dev, ssize_t size, dma_addr_t *dma_handle, void **ret);
int dma_release_from_coherent(struct device *dev, int order, void *vaddr);
int dma_mmap_from_coherent(struct device *dev, struct vm_area_struct *vma, void *cpu_addr,
			   size_t size, int *ret);

#endif /* _IOSIM_ASM_GENERIC_DMA_COHERENT_H */
