// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Physically contiguous coherent buffers as independent pages.
 *
 * The kernel hands out such buffers as one high-order block and maps them to
 * user space with remap_pfn_range(), which does not care about the pages'
 * reference counts.  The simulation maps user pages with vm_insert_page(),
 * which needs each page referenced, so the block is split (split_page()) and
 * the pages past the buffer's end go back at once.  Pages from a
 * contiguous area (CMA) are independent already.
 */
#include "arm64-dma-mapping.h"

/**
 * iosim_dma_contiguous_alloc - @size bytes of contiguous, independent pages
 * @dev: the device the buffer is for (its contiguous area); may be NULL
 * @gfp: allocation flags (__GFP_ZERO honoured)
 * @size: bytes, rounded up to whole pages
 *
 * When @dev has a contiguous area (its own or the default one) and @gfp
 * may sleep, the pages come from the area, aligned to the buffer's order
 * (up to CONFIG_CMA_ALIGNMENT), as arm64's coherent allocations did with
 * CONFIG_DMA_CMA: a full area fails the allocation, it does not fall back.
 * Otherwise from the buddy allocator, where a buffer larger than the
 * largest block fails quietly.
 *
 * Context: as alloc_pages() with @gfp.
 * Return: the first page, or NULL (nothing allocated).
 */
struct page *iosim_dma_contiguous_alloc(struct device *dev, gfp_t gfp, size_t size)
{
	unsigned long nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT, i;
	unsigned int order = get_order(size);
	struct page *page;

	if (!nr_pages)
		return NULL;
	if (dev_get_cma_area(dev) && (gfp & __GFP_WAIT)) {
		page = dma_alloc_from_contiguous(dev, nr_pages, order);
		if (page && (gfp & __GFP_ZERO))
			memset(page_address(page), 0, nr_pages << PAGE_SHIFT);
		return page;
	}
	if (order >= MAX_ORDER)
		return NULL;
	page = alloc_pages(gfp & ~__GFP_COMP, order);
	if (!page)
		return NULL;
	split_page(page, order);
	for (i = nr_pages; i < (1UL << order); i++)
		__free_page(page + i);
	return page;
}

/**
 * iosim_dma_contiguous_free - free what iosim_dma_contiguous_alloc() returned
 * @dev: the device it was allocated for
 * @page: its first page
 * @size: the size it was given
 *
 * Context: process context when the buffer may be in a contiguous area.
 */
void iosim_dma_contiguous_free(struct device *dev, struct page *page, size_t size)
{
	unsigned long nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT, i;

	if (dma_release_from_contiguous(dev, page, (int)nr_pages))
		return;
	for (i = 0; i < nr_pages; i++)
		__free_page(page + i);
}

/**
 * iosim_dma_mmap_contiguous - map a physically contiguous buffer to user space
 * @vma: the user VMA; vm_pgoff is the first page of the buffer to map
 * @page: the buffer's first page (its pages independent, as
 *	iosim_dma_contiguous_alloc() makes them)
 * @size: the buffer's size in bytes
 *
 * Context: process context.
 * Return: 0; -ENXIO if the VMA runs past the buffer; vm_insert_page()'s
 * error (what was inserted stays, as in the kernel).
 */
int iosim_dma_mmap_contiguous(struct vm_area_struct *vma, struct page *page, size_t size)
{
	unsigned long nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT;
	unsigned long nr_vma_pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	unsigned long off = vma->vm_pgoff, i;
	int ret;

	if (off >= nr_pages || nr_vma_pages > nr_pages - off)
		return -ENXIO;
	for (i = 0; i < nr_vma_pages; i++) {
		ret = vm_insert_page(vma, vma->vm_start + (i << PAGE_SHIFT), page + off + i);
		if (ret)
			return ret;
	}
	return 0;
}
