// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Buffers that are contiguous in IOVA space but not physically: built from
 * the largest blocks the page allocator will give, mapped as one range.
 *
 * Against the seed: when a compound block could not be split, the seed freed
 * it but kept the stale pointer, so a run of such failures put a freed page
 * in the array; it also asked for order MAX_ORDER, which never exists.  Here
 * blocks are allocated without __GFP_COMP and split with split_page(), the
 * largest order tried is MAX_ORDER - 1, and a block is only recorded once it
 * is ours.  With an IOVA granule larger than PAGE_SIZE, blocks are at least a
 * granule so every granule of IOVA is backed by memory of this buffer alone.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>

#include "dma-iommu-internal.h"

/*
 * Pages backing a buffer of @size bytes: whole granules of whole pages.
 * 0 when that many pages cannot be counted in an unsigned int (or @size
 * rounds up past SIZE_MAX): such a buffer cannot be allocated.
 */
static unsigned int iommu_dma_buffer_pages(struct iova_domain *iovad, size_t size)
{
	size_t unit = max_t(size_t, PAGE_SIZE, iovad->granule);
	size_t nr_pages;

	if (size > SIZE_MAX - (unit - 1))
		return 0;
	nr_pages = ALIGN(size, unit) >> PAGE_SHIFT;
	return nr_pages > UINT_MAX ? 0 : (unsigned int)nr_pages;
}

static void iommu_dma_free_pages(struct page **page_array, unsigned int count)
{
	while (count--)
		__free_page(page_array[count]);
	kvfree(page_array);
}

/*
 * Fill an array with @count pages, largest blocks first.  Orders above
 * @min_order are a convenience (__GFP_NORETRY); @min_order is a necessity.
 */
static struct page **iommu_dma_alloc_pages(unsigned int count, unsigned int min_order,
					   gfp_t gfp)
{
	size_t array_bytes = (size_t)count * sizeof(struct page *);
	struct page **page_array;
	unsigned int i = 0;

	if (array_bytes <= PAGE_SIZE)
		page_array = kzalloc(array_bytes, GFP_KERNEL);
	else
		page_array = vzalloc(array_bytes);
	if (!page_array)
		return NULL;

	/* The IOMMU can map any page; a compound page would need splitting. */
	gfp = (gfp | __GFP_NOWARN | __GFP_HIGHMEM) & ~__GFP_COMP;

	while (i < count) {
		unsigned int order = min_t(unsigned int, __fls(count - i), MAX_ORDER - 1);
		struct page *page = NULL;
		unsigned int j;

		for (; order > min_order; order--) {
			page = alloc_pages(gfp | __GFP_NORETRY, order);
			if (page)
				break;
		}
		if (!page)
			page = alloc_pages(gfp, order);
		if (!page)
			goto out_free_pages;

		if (order)
			split_page(page, order);
		for (j = 0; j < 1U << order; j++)
			page_array[i++] = nth_page(page, j);
	}
	return page_array;

out_free_pages:
	iommu_dma_free_pages(page_array, i);
	return NULL;
}

/* Map @page_array at @bus_addr, one iommu_map() per physically contiguous run. */
static int iommu_dma_map_pages(struct iommu_domain *dom, struct page **page_array,
			       dma_addr_t bus_addr, size_t size, int prot, size_t *mapped)
{
	unsigned int i = 0;
	int ret;

	*mapped = 0;
	while (*mapped < size) {
		phys_addr_t phys = page_to_phys(page_array[i]);
		size_t run = PAGE_SIZE;

		for (i++; *mapped + run < size &&
		     page_to_pfn(page_array[i]) == page_to_pfn(page_array[i - 1]) + 1; i++)
			run += PAGE_SIZE;
		run = min(run, size - *mapped);
		ret = iommu_map(dom, bus_addr + *mapped, phys, run, prot);
		if (ret)
			return ret;
		*mapped += run;
	}
	return 0;
}

/**
 * iommu_dma_alloc - allocate and map a buffer contiguous in IOVA space
 * @dev: device attached to an initialised DMA domain
 * @size: bytes; rounded up to whole pages (and whole IOVA granules)
 * @gfp: allocation flags for the pages (__GFP_ZERO zeroes them)
 * @prot: IOMMU mapping flags; without IOMMU_CACHE every page is flushed
 * @handle: out: the buffer's DMA address, DMA_ERROR_CODE on failure
 * @flush_page: arch callback making PAGE_SIZE bytes at the given VA/PA
 *	visible to a non-coherent device; called for each page before mapping
 *
 * With an IOMMU granule smaller than PAGE_SIZE only iova_align(@size) bytes
 * are mapped; the rest of the last page is not visible to the device.
 *
 * Context: process context (may sleep).
 * Return: the array of @size's pages (free with iommu_dma_free()), or NULL:
 * nothing allocated, nothing mapped, *@handle is DMA_ERROR_CODE.  NULL with a
 * WARN for a zero @size, a @prot with neither IOMMU_READ nor IOMMU_WRITE (the
 * IOMMU would map nothing), or a non-coherent @prot without @flush_page;
 * NULL for a @size whose page count does not fit an unsigned int, and when
 * pages, the array, IOVA space below the coherent DMA mask or the IOMMU map
 * run out.
 */
struct page **iommu_dma_alloc(struct device *dev, size_t size, gfp_t gfp, int prot,
			      dma_addr_t *handle,
			      void (*flush_page)(struct device *, const void *, phys_addr_t))
{
	struct iommu_domain *dom;
	struct iova_domain *iovad;
	unsigned int count, min_order, i;
	size_t mapped_size, mapped;
	struct page **page_array;
	struct iova *iova;
	dma_addr_t bus_addr;

	if (WARN(!handle, "iommu_dma_alloc: NULL handle"))
		return NULL;
	*handle = DMA_ERROR_CODE;
	iovad = iommu_dma_dev_iovad(dev, &dom, "iommu_dma_alloc");
	if (!iovad)
		return NULL;
	if (WARN(!size, "iommu_dma_alloc: zero-sized buffer for %s", dev_name(dev)))
		return NULL;
	if (WARN(!(prot & (IOMMU_READ | IOMMU_WRITE)),
		 "iommu_dma_alloc: prot %#x gives the device no access", prot))
		return NULL;
	if (WARN(!(prot & IOMMU_CACHE) && !flush_page,
		 "iommu_dma_alloc: non-coherent buffer without a flush callback"))
		return NULL;

	count = iommu_dma_buffer_pages(iovad, size);
	if (!count)
		return NULL;
	min_order = iovad->granule > PAGE_SIZE ? ilog2(iovad->granule) - PAGE_SHIFT : 0;
	page_array = iommu_dma_alloc_pages(count, min_order, gfp);
	if (!page_array)
		return NULL;

	mapped_size = iova_align(iovad, size);
	iova = iommu_dma_alloc_iova(iovad, mapped_size, dev->coherent_dma_mask);
	if (!iova)
		goto out_free_pages;

	if (!(prot & IOMMU_CACHE))
		for (i = 0; i < count; i++)
			flush_page(dev, page_address(page_array[i]), page_to_phys(page_array[i]));

	bus_addr = iova_dma_addr(iovad, iova);
	if (iommu_dma_map_pages(dom, page_array, bus_addr, mapped_size, prot, &mapped))
		goto out_unmap;

	*handle = bus_addr;
	return page_array;

out_unmap:
	iommu_dma_unmap_range(dom, iovad, bus_addr, mapped);
	__free_iova(iovad, iova);
out_free_pages:
	iommu_dma_free_pages(page_array, count);
	return NULL;
}

/**
 * iommu_dma_free - unmap and free a buffer from iommu_dma_alloc()
 * @dev: the device it was allocated for
 * @page_array: the array iommu_dma_alloc() returned
 * @size: the size it was allocated with
 * @handle: in: its DMA address; out: DMA_ERROR_CODE
 *
 * A handle that is not mapped is WARNed and nothing is freed (the pages
 * may still be in use by whoever does own that mapping).
 * Context: process context.
 */
void iommu_dma_free(struct device *dev, struct page **page_array, size_t size, dma_addr_t *handle)
{
	struct iommu_domain *dom;
	struct iova_domain *iovad;
	struct iova *iova;

	if (WARN(!handle || !page_array, "iommu_dma_free: NULL %s", handle ? "pages" : "handle"))
		return;
	iovad = iommu_dma_dev_iovad(dev, &dom, "iommu_dma_free");
	if (!iovad)
		return;
	iova = iommu_dma_find_mapping(iovad, *handle, "iommu_dma_free");
	if (!iova)
		return;
	iommu_dma_unmap_iova(dom, iovad, iova, iova_align(iovad, size));
	iommu_dma_free_pages(page_array, iommu_dma_buffer_pages(iovad, size));
	*handle = DMA_ERROR_CODE;
}

/**
 * iommu_dma_mmap - map a buffer from iommu_dma_alloc() into a user VMA
 * @page_array: the buffer's page array
 * @size: the buffer's size in bytes
 * @vma: the user mapping; vm_pgoff selects the first page of the buffer
 *
 * Return: 0 with every page of the VMA mapped; -ENXIO if vm_pgoff is past
 * the buffer or the VMA is larger than what remains of it (nothing mapped);
 * otherwise vm_insert_page()'s error (pages inserted before it stay, and go
 * with the VMA, as in the kernel).
 */
int iommu_dma_mmap(struct page **page_array, size_t size, struct vm_area_struct *vma)
{
	unsigned long count = PAGE_ALIGN(size) >> PAGE_SHIFT;
	unsigned long nr_pages, user_addr, i;
	int ret;

	if (WARN(!page_array || !vma, "iommu_dma_mmap: NULL %s", page_array ? "vma" : "pages"))
		return -ENXIO;
	nr_pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	if (vma->vm_pgoff >= count || nr_pages > count - vma->vm_pgoff)
		return -ENXIO;

	user_addr = vma->vm_start;
	for (i = vma->vm_pgoff; i < vma->vm_pgoff + nr_pages; i++) {
		ret = vm_insert_page(vma, user_addr, page_array[i]);
		if (ret)
			return ret;
		user_addr += PAGE_SIZE;
	}
	return 0;
}
