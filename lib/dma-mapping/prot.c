// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The CPU memory type of coherent DMA buffers on arm64.
 */
#include "arm64-dma-mapping.h"

/**
 * __get_dma_pgprot - memory type for the CPU's mappings of a coherent buffer
 * @attrs: the allocation's DMA_ATTR_* (NULL: none)
 * @prot: the type the mapping would otherwise have (PAGE_KERNEL, or a user
 *	VMA's vm_page_prot)
 * @coherent: the device snoops the CPU's caches
 *
 * A non-coherent device cannot see the CPU's caches, so the CPU must not
 * cache the buffer either: it gets Normal non-cacheable (write-combine), as
 * does any buffer allocated with DMA_ATTR_WRITE_COMBINE.
 *
 * Context: any.
 * Return: the memory type.
 */
pgprot_t __get_dma_pgprot(struct dma_attrs *attrs, pgprot_t prot, bool coherent)
{
	if (!coherent || dma_get_attr(DMA_ATTR_WRITE_COMBINE, attrs))
		return pgprot_writecombine(prot);
	return prot;
}

/**
 * iosim_dma_user_prot - type a user VMA for mapping a coherent buffer of @dev
 * @dev: the device the buffer belongs to
 * @vma: the VMA; its vm_page_prot is adjusted as __get_dma_pgprot() says
 * @attrs: the buffer's DMA_ATTR_* (NULL: none)
 *
 * Context: process context.
 */
void iosim_dma_user_prot(struct device *dev, struct vm_area_struct *vma, struct dma_attrs *attrs)
{
	pgprot_t asked = vma->vm_page_prot;

	vma->vm_page_prot = __get_dma_pgprot(attrs, asked, is_device_dma_coherent(dev));
}
