// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The generic helpers of drivers/base/dma-mapping.c (2015) that an
 * architecture's dma_map_ops use for buffers in the linear map: mmap to
 * user space, export as an sg_table, and remap a physically contiguous
 * buffer with another memory type.  User mappings are made page by page
 * with vm_insert_page() where the kernel uses remap_pfn_range().
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#include <asm-generic/dma-coherent.h>
#include <asm-generic/dma-mapping-common.h>
#if __has_include(<linux/dma-mapping.h>)
#include <linux/dma-mapping.h>
#endif

/*
 * <asm-generic/dma-mapping-common.h> declares these, and <linux/dma-mapping.h>
 * (its owner keeps them there) is to; repeated here so a mismatch between
 * them is a compile error.
 */
int dma_common_mmap(struct device *dev, struct vm_area_struct *vma, void *cpu_addr,
		    dma_addr_t dma_addr, size_t size);
int dma_common_get_sgtable(struct device *dev, struct sg_table *sgt, void *cpu_addr,
			   dma_addr_t dma_addr, size_t size);
void *dma_common_contiguous_remap(struct page *page, size_t size, unsigned long vm_flags,
				  pgprot_t prot, const void *caller);
void *dma_common_pages_remap(struct page **pages, size_t size, unsigned long vm_flags,
			     pgprot_t prot, const void *caller);

/**
 * dma_common_mmap - map a coherent buffer into user space
 * @dev: the device the buffer was allocated for
 * @vma: the user VMA; vm_pgoff selects the first page of the buffer mapped
 * @cpu_addr: the buffer's CPU address (linear map, or @dev's declared region)
 * @dma_addr: its DMA address (unused)
 * @size: its size in bytes
 *
 * Makes @vma's memory type non-cached, lets @dev's declared coherent region
 * handle the request if the buffer is in it (dma_mmap_from_coherent()), and
 * otherwise maps the buffer's pages, from page vm_pgoff on, over the whole
 * VMA.
 *
 * Context: process context.
 * Return: 0; -ENXIO if the VMA does not fit in the buffer past vm_pgoff
 * (nothing mapped); vm_insert_page()'s error (-ENOMEM when injected; pages
 * mapped before it stay until the VMA is destroyed, as after a failed
 * remap_pfn_range()).  vm_page_prot is changed in every case.
 */
int dma_common_mmap(struct device *dev, struct vm_area_struct *vma, void *cpu_addr,
		    dma_addr_t dma_addr, size_t size)
{
	unsigned long user_count = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	unsigned long count = PAGE_ALIGN(size) >> PAGE_SHIFT;
	unsigned long off = vma->vm_pgoff;
	unsigned long pfn, i;
	int ret = -ENXIO;

	(void)dma_addr;
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);

	if (dma_mmap_from_coherent(dev, vma, cpu_addr, size, &ret))
		return ret;

	if (off >= count || user_count > count - off)
		return -ENXIO;
	pfn = page_to_pfn(virt_to_page(cpu_addr));
	for (i = 0, ret = 0; i < user_count && !ret; i++)
		ret = vm_insert_page(vma, vma->vm_start + (i << PAGE_SHIFT),
				     pfn_to_page(pfn + off + i));
	return ret;
}

/**
 * dma_common_get_sgtable - describe a coherent buffer as a one-entry sg_table
 * @dev: the device (unused)
 * @sgt: an unused table to fill
 * @cpu_addr: the buffer's CPU address in the linear map
 * @dma_addr: its DMA address (unused)
 * @size: its size in bytes
 *
 * Context: process context (allocates with GFP_KERNEL).
 * Return: 0 with @sgt holding one entry of PAGE_ALIGN(@size) bytes at
 * virt_to_page(@cpu_addr), offset 0; sg_alloc_table()'s error (-ENOMEM,
 * injectable), @sgt then empty.
 */
int dma_common_get_sgtable(struct device *dev, struct sg_table *sgt, void *cpu_addr,
			   dma_addr_t dma_addr, size_t size)
{
	struct page *page = virt_to_page(cpu_addr);
	int ret;

	(void)dev;
	(void)dma_addr;
	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (ret)
		return ret;
	sg_set_page(sgt->sgl, page, (unsigned int)PAGE_ALIGN(size), 0);
	return 0;
}

/**
 * dma_common_contiguous_remap - map physically contiguous pages at a new CPU address
 * @page: first page of the buffer
 * @size: bytes (whole pages are mapped)
 * @vm_flags: flags of the area (as for dma_common_pages_remap())
 * @prot: memory type of the new mapping
 * @caller: recorded as the area's caller
 *
 * Builds a temporary array of the buffer's pages for dma_common_pages_remap()
 * and frees it after.  The area's pages pointer, which would dangle, is
 * cleared: free such a mapping with dma_common_free_remap().
 *
 * Context: process context.
 * Return: the CPU address; NULL (nothing mapped) if the array or the
 * mapping could not be allocated (injectable) or @size is 0.
 */
void *dma_common_contiguous_remap(struct page *page, size_t size, unsigned long vm_flags,
				  pgprot_t prot, const void *caller)
{
	unsigned long nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT, pfn, i;
	struct vm_struct *area;
	struct page **pages;
	void *ptr;

	if (!nr_pages)
		return NULL;
	pages = kmalloc_array(nr_pages, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	pfn = page_to_pfn(page);
	for (i = 0; i < nr_pages; i++)
		pages[i] = pfn_to_page(pfn + i);
	ptr = dma_common_pages_remap(pages, size, vm_flags, prot, caller);
	area = ptr ? find_vm_area(ptr) : NULL;
	if (area)
		area->pages = NULL;
	kfree(pages);
	return ptr;
}
