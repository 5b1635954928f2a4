// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Mapping a single physically contiguous buffer. */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/mm.h>

#include "dma-iommu-internal.h"

/**
 * iommu_dma_map_page - map a physically contiguous buffer for a device
 * @dev: device attached to an initialised DMA domain
 * @page: first page of the buffer
 * @offset: byte offset of the buffer from @page (may exceed PAGE_SIZE)
 * @size: bytes; the buffer may cross any number of pages
 * @prot: IOMMU_READ/IOMMU_WRITE/IOMMU_CACHE flags
 *
 * The whole IOVA granules covering the buffer are mapped; the handle keeps
 * the buffer's offset within its first granule.
 *
 * Context: any; allocates with GFP_ATOMIC semantics through the allocators.
 * Return: the DMA address of the buffer's first byte, or DMA_ERROR_CODE when
 * @size is 0 (WARN), @prot grants neither IOMMU_READ nor IOMMU_WRITE (WARN:
 * the IOMMU would map nothing, so no device could use the handle), the
 * device has no DMA domain (WARN), @size is too large to be rounded up to
 * whole granules, IOVA space below the device's mask is exhausted, or the
 * IOMMU map failed.  On error nothing is allocated or mapped.
 */
dma_addr_t iommu_dma_map_page(struct device *dev, struct page *page,
			      unsigned long offset, size_t size, int prot)
{
	struct iommu_domain *dom;
	struct iova_domain *iovad;
	phys_addr_t phys;
	size_t iova_off, len;
	struct iova *iova;
	dma_addr_t bus_addr;

	iovad = iommu_dma_dev_iovad(dev, &dom, "iommu_dma_map_page");
	if (!iovad)
		return DMA_ERROR_CODE;
	if (WARN(!size, "iommu_dma_map_page: zero-length mapping for %s", dev_name(dev)))
		return DMA_ERROR_CODE;
	if (WARN(!page, "iommu_dma_map_page: NULL page for %s", dev_name(dev)))
		return DMA_ERROR_CODE;
	if (WARN(!(prot & (IOMMU_READ | IOMMU_WRITE)),
		 "iommu_dma_map_page: prot %#x gives the device no access", prot))
		return DMA_ERROR_CODE;

	phys = page_to_phys(page) + offset;
	iova_off = iova_offset(iovad, phys);
	/* The granules covering the buffer; a size this close to SIZE_MAX would wrap. */
	if (size > SIZE_MAX - iova_off - (iovad->granule - 1))
		return DMA_ERROR_CODE;
	len = iova_align(iovad, size + iova_off);

	iova = iommu_dma_alloc_iova(iovad, len, dma_get_mask(dev));
	if (!iova)
		return DMA_ERROR_CODE;

	bus_addr = iova_dma_addr(iovad, iova);
	if (iommu_map(dom, bus_addr, phys - iova_off, len, prot))
		goto out_free_iova;
	/* The granules hold memory around the buffer: where it ends is kept. */
	iova->iosim_dma_end = bus_addr + iova_off + size;
	return bus_addr + iova_off;

out_free_iova:
	__free_iova(iovad, iova);
	return DMA_ERROR_CODE;
}

/**
 * iommu_dma_unmap_page - tear down a mapping made by iommu_dma_map_page()
 * @dev: the device it was mapped for
 * @handle: the DMA address iommu_dma_map_page() returned
 * @size: the size it was mapped with (the allocation records the real extent)
 * @dir: direction (unused here: cache maintenance is the arch code's)
 * @attrs: attributes (unused)
 *
 * A handle that is not mapped (double unmap, never returned, or inside a
 * mapping but not its first granule) is WARNed and ignored: the IOVA space
 * and the page tables are left untouched.  A @size past the buffer's end
 * is WARNed too (the arch layer's cache maintenance would run past it, as
 * the kernel's does), and the mapping is torn down as the kernel's is.
 * Context: any.
 */
void iommu_dma_unmap_page(struct device *dev, dma_addr_t handle, size_t size,
			  enum dma_data_direction dir, struct dma_attrs *attrs)
{
	struct iommu_domain *dom;
	struct iova_domain *iovad;
	struct iova *iova;
	dma_addr_t end;

	iovad = iommu_dma_dev_iovad(dev, &dom, "iommu_dma_unmap_page");
	if (!iovad)
		return;
	iova = iommu_dma_find_mapping(iovad, handle, "iommu_dma_unmap_page");
	if (!iova)
		return;
	end = iommu_dma_buffer_end(iovad, iova);
	WARN(handle >= end || size > end - handle,
	     "iommu_dma_unmap_page: %zu bytes from %#llx run past the buffer mapped there, which ends at %#llx",
	     size, (unsigned long long)handle, (unsigned long long)end);
	iommu_dma_unmap_iova(dom, iovad, iova, iova_size(iova) << iova_shift(iovad));
}
