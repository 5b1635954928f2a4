/* PLACEHOLDER */
#ifndef _IOSIM_ASM_GENERIC_DMA_COHERENT_H
#define _IOSIM_ASM_GENERIC_DMA_COHERENT_H
#include <linux/types.h>
struct device; struct vm_area_struct;
int dma_alloc_from_coherent(struct device *dev, ssize_t size, dma_addr_t *dma_handle, void **ret);
int dma_release_from_coherent(struct device *dev, int order, void *vaddr);
int dma_mmap_from_coherent(struct device *dev, struct vm_area_struct *vma, void *cpu_addr, size_t size, int *ret);
#endif
