// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Physically contiguous coherent buffers as independent pages.
 *
 * The kernel hands out such buffers as one high-order block and maps them to
 * user space with remap_pfn_range(), which does not care about the pages'
 * reference counts.  The simulation maps user pages with vm_insert_page(),
 * which needs each page referenced, so the block is split (split_page()) and
 * the pages past the buffer's end go back at once.
 */
#include "arm64-dma-mapping.h"

/**
 * iosim_dma_contiguous_alloc - @size bytes of contiguous, independent pages
 * @gfp: allocation flags (__GFP_ZERO honoured)
 * @size: bytes, rounded up to whole pages
 *
 * A buffer larger than the largest buddy block fails quietly: the kernel
 * served those from CMA, which the simulation does not model.
 *
 * Context: as alloc_pages() with @gfp.
 * Return: the first page, or NULL (nothing allocated).
 */
struct page *iosim_dma_contiguous_alloc(gfp_t gfp, size_t size)
{
	unsigned long nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT, i;
	unsigned int order = get_order(size);
	struct page *page;

	if (!nr_pages || order >= MAX_ORDER)
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
 * @page: its first page
 * @size: the size it was given
 *
 * Context: any.
 */
void iosim_dma_contiguous_free(struct page *page, size_t size)
{
	unsigned long nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT, i;

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
