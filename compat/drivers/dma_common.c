// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The generic helpers of drivers/base/dma-mapping.c (2015) that arch code
 * without its own mmap/get_sgtable falls back on, and the contiguous remap
 * (the page-array remap is in compat/mm/dma_remap.c).  User mappings are made
 * with vm_insert_page(), so each page must hold a reference (the kernel's
 * remap_pfn_range() does not care).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/dma-mapping.h>

/**
 * dma_common_mmap - map a coherent buffer from the linear map to user space
 * @dev: the device (its declared memory is tried first)
 * @vma: the user VMA; vm_pgoff is the first page of the buffer to map
 * @cpu_addr: the buffer's linear-map address
 * @dma_addr: its device address (unused)
 * @size: its size in bytes
 *
 * The VMA becomes non-cached (pgprot_noncached), as the kernel's does.
 *
 * Context: process context.
 * Return: 0; -ENXIO if the VMA runs past the buffer or @cpu_addr is not a
 * linear-map address; vm_insert_page()'s error.
 */
int dma_common_mmap(struct device *dev, struct vm_area_struct *vma, void *cpu_addr,
		    dma_addr_t dma_addr, size_t size)
{
	unsigned long user_count = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	unsigned long count = PAGE_ALIGN(size) >> PAGE_SHIFT;
	unsigned long off = vma->vm_pgoff, i;
	struct page *page;
	int ret = -ENXIO;

	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	if (dma_mmap_from_coherent(dev, vma, cpu_addr, size, &ret))
		return ret;
	if (!virt_addr_valid(cpu_addr) || off >= count || user_count > count - off)
		return -ENXIO;
	page = virt_to_page(cpu_addr);
	for (i = 0; i < user_count; i++) {
		ret = vm_insert_page(vma, vma->vm_start + (i << PAGE_SHIFT), page + off + i);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * dma_common_get_sgtable - describe a linear-map coherent buffer as one entry
 * @dev: the device (unused)
 * @sgt: an unused table, filled on success
 * @cpu_addr: the buffer's linear-map address
 * @dma_addr: its device address (unused)
 * @size: bytes; the entry covers PAGE_ALIGN(@size)
 *
 * Context: process context.
 * Return: 0; -ENXIO if @cpu_addr is not a linear-map address; -ENOMEM.
 */
int dma_common_get_sgtable(struct device *dev, struct sg_table *sgt, void *cpu_addr,
			   dma_addr_t dma_addr, size_t size)
{
	int ret;

	if (!virt_addr_valid(cpu_addr))
		return -ENXIO;
	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (!ret)
		sg_set_page(sgt->sgl, virt_to_page(cpu_addr), PAGE_ALIGN(size), 0);
	return ret;
}

/**
 * dma_common_contiguous_remap - map physically contiguous pages at one CPU
 * address with memory type @prot
 * @page: the first page
 * @size: bytes
 * @vm_flags: flags of the area (VM_USERMAP, ...)
 * @prot: memory type (a non-cacheable one gives an alias of memory)
 * @caller: recorded as the area's caller
 *
 * Context: process context.
 * Return: the CPU address, or NULL (nothing mapped).
 */
void *dma_common_contiguous_remap(struct page *page, size_t size, unsigned long vm_flags,
				  pgprot_t prot, const void *caller)
{
	unsigned long nr = PAGE_ALIGN(size) >> PAGE_SHIFT, i;
	struct page **pages;
	struct vm_struct *area;
	void *ptr = NULL;

	if (!nr || !page)
		return NULL;
	pages = kmalloc_array(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return NULL;
	for (i = 0; i < nr; i++)
		pages[i] = page + i;
	ptr = dma_common_pages_remap(pages, size, vm_flags, prot, caller);
	kfree(pages);
	if (!ptr)
		return NULL;
	/* The array is gone: the area must not point at it. */
	area = find_vm_area(ptr);
	if (area)
		area->pages = NULL;
	return ptr;
}
