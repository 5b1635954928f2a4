/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * asm-generic/dma-coherent.h - faithful (2015 names, signatures, return
 * conventions) with simulation customisations in compat/drivers/dma_coherent.c:
 * the declared region must be allocated simulated RAM (the caller's pages),
 * and its CPU mapping is a write-combining vmap() of those pages instead of
 * an ioremap().  Misuse the kernel would not notice (releasing a region that
 * is not allocated, marking memory outside the region) WARNs.
 * The sanity checker is iosim_dma_coherent_check() in <iosim/dma_coherent.h>.
 */
#ifndef _IOSIM_ASM_GENERIC_DMA_COHERENT_H
#define _IOSIM_ASM_GENERIC_DMA_COHERENT_H

#include <sys/types.h>
#include <linux/types.h>

struct device;
struct vm_area_struct;

/* Flags for dma_declare_coherent_memory(). */
#define DMA_MEMORY_MAP			0x01
#define DMA_MEMORY_IO			0x02
#define DMA_MEMORY_INCLUDES_CHILDREN	0x04
#define DMA_MEMORY_EXCLUSIVE		0x08

int dma_alloc_from_coherent(struct device *dev, ssize_t size, dma_addr_t *dma_handle,
			    void **ret);
int dma_release_from_coherent(struct device *dev, int order, void *vaddr);
int dma_mmap_from_coherent(struct device *dev, struct vm_area_struct *vma, void *cpu_addr,
			   size_t size, int *ret);

int dma_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr,
				dma_addr_t device_addr, size_t size, int flags);
void dma_release_declared_memory(struct device *dev);
void *dma_mark_declared_memory_occupied(struct device *dev, dma_addr_t device_addr,
					size_t size);

#endif /* _IOSIM_ASM_GENERIC_DMA_COHERENT_H */
