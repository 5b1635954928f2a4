// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * arm64's default DMA ops of 2015 over swiotlb (the __swiotlb_* ops): the
 * device gets the buffer's physical address when its mask reaches it, a
 * bounce buffer in ZONE_DMA when not.  For a non-coherent device the cache
 * maintenance is done on the buffer the device actually reads or writes -
 * the bounce buffer when there is one - through its linear-map address
 * (phys_to_virt(dma_to_phys(dev, dma_addr))): cleaned after swiotlb has
 * filled it, invalidated before swiotlb copies it back.
 *
 * Coherent buffers come from the device's contiguous area (CMA) when it has
 * one and the caller may sleep, else from swiotlb_alloc_coherent() (ZONE_DMA
 * when the coherent mask is 32 bits or less), remapped non-cacheable for a
 * non-coherent device as direct.c does.  Deviations from 2015: a failed map
 * (DMA_ERROR_CODE) gets no cache maintenance (the kernel maintained its
 * overflow buffer), DMA_ATTR_SKIP_CPU_SYNC is honoured as direct.c does, and
 * a non-coherent device's buffer from a bounce slot that is not page aligned
 * (one page exactly, 2015's stride rule) is refused with a WARN where the
 * kernel remapped the wrong page, and so is a buffer from a contiguous area
 * the device cannot reach (the kernel returned it).  With no area at all,
 * v4.1/v4.2 (CONFIG_DMA_CMA=y) still went to CMA and failed every sleeping
 * allocation; the simulation then uses swiotlb, as a kernel without
 * CONFIG_DMA_CMA did and as later kernels do (they test dev_get_cma_area()).
 */
#include "swiotlb-ops.h"

#include <linux/swiotlb.h>
#include <iosim/ram.h>
#include <iosim/vma.h>

/* The CPU's linear-map address of what the device reads at @dma_addr. */
static void *device_buffer(struct device *dev, dma_addr_t dma_addr)
{
	return phys_to_virt(dma_to_phys(dev, dma_addr));
}

static bool needs_sync(struct device *dev, struct dma_attrs *attrs)
{
	return !is_device_dma_coherent(dev) && !dma_get_attr(DMA_ATTR_SKIP_CPU_SYNC, attrs);
}

/*
 * A coherent buffer: from the device's contiguous area when it has one and
 * the caller may sleep, else from swiotlb_alloc_coherent().  @size is page
 * aligned.
 */
static void *__dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle,
				  gfp_t flags)
{
	struct page *page;
	dma_addr_t addr;

	if (dev->coherent_dma_mask <= DMA_BIT_MASK(32))
		flags |= GFP_DMA;
	if (!dev_get_cma_area(dev) || !(flags & __GFP_WAIT))
		return swiotlb_alloc_coherent(dev, size, dma_handle, flags);

	page = dma_alloc_from_contiguous(dev, size >> PAGE_SHIFT, get_order(size));
	if (!page)
		return NULL;
	addr = phys_to_dma(dev, page_to_phys(page));
	/* The kernel handed out an area the device could not reach; refuse it. */
	if (WARN(addr + size - 1 > dev->coherent_dma_mask,
		 "dma_alloc_coherent: device %s cannot reach its contiguous area's buffer %#llx-%#llx with coherent mask %#llx",
		 dev_name(dev), (unsigned long long)addr, (unsigned long long)(addr + size - 1),
		 (unsigned long long)dev->coherent_dma_mask)) {
		dma_release_from_contiguous(dev, page, (int)(size >> PAGE_SHIFT));
		return NULL;
	}
	*dma_handle = addr;
	memset(page_address(page), 0, size);
	return page_address(page);
}

/* Give back what __dma_alloc_coherent() returned (its linear-map address @vaddr). */
static void __dma_free_coherent(struct device *dev, size_t size, void *vaddr,
				dma_addr_t dma_handle)
{
	struct page *page = phys_to_page(dma_to_phys(dev, dma_handle));

	if (!dma_release_from_contiguous(dev, page, (int)(size >> PAGE_SHIFT)))
		swiotlb_free_coherent(dev, size, vaddr, dma_handle);
}

static void *__swiotlb_alloc(struct device *dev, size_t size, dma_addr_t *dma_handle,
			     gfp_t flags, struct dma_attrs *attrs)
{
	bool snoops = is_device_dma_coherent(dev);
	pgprot_t prot = __get_dma_pgprot(attrs, PAGE_KERNEL, snoops);
	const void *caller = __builtin_return_address(0);
	void *ptr, *coherent_ptr;
	struct page *page;

	if (WARN(!dev, "Use an actual device structure for DMA allocation\n"))
		return NULL;
	*dma_handle = DMA_ERROR_CODE;
	if (!size)
		return NULL;
	size = PAGE_ALIGN(size);

	if (!snoops && !(flags & __GFP_WAIT)) {
		dma_addr_t addr;

		ptr = __alloc_from_pool(size, &page, flags);
		if (!ptr)
			return NULL;
		addr = phys_to_dma(dev, page_to_phys(page));
		/* The pool is in ZONE_DMA when there is one, but a mask may be narrower. */
		if (addr + size - 1 > dev->coherent_dma_mask) {
			__free_from_pool(ptr, size);
			return NULL;
		}
		*dma_handle = addr;
		return ptr;
	}

	ptr = __dma_alloc_coherent(dev, size, dma_handle, flags);
	if (!ptr)
		goto out_no_mem;
	if (snoops)
		return ptr;

	/*
	 * A one-page buffer that fell back to the bounce pool need not be page
	 * aligned (2015's stride rule).  The kernel then remapped the page
	 * containing it, so the CPU's alias did not start at the buffer and
	 * its writes landed in the neighbouring slots: refuse instead.
	 */
	if (WARN(offset_in_page(ptr),
		 "dma_alloc_coherent: device %s: bounce slot %#llx is not page aligned; cannot remap it non-cacheable",
		 dev_name(dev), (unsigned long long)*dma_handle))
		goto out_free_coherent;

	/* Remove any dirty lines of the kernel alias, then alias it uncached. */
	__dma_flush_range(ptr, (char *)ptr + size);
	page = virt_to_page(ptr);
	coherent_ptr = dma_common_contiguous_remap(page, size, VM_USERMAP, prot, caller);
	if (!coherent_ptr)
		goto out_free_coherent;
	return coherent_ptr;

out_free_coherent:
	__dma_free_coherent(dev, size, ptr, *dma_handle);
out_no_mem:
	*dma_handle = DMA_ERROR_CODE;
	return NULL;
}

static void __swiotlb_free(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle,
			   struct dma_attrs *attrs)
{
	if (WARN(!dev, "dma_free_coherent: NULL device"))
		return;
	size = PAGE_ALIGN(size);
	if (!arm64_coherent_page(dev, vaddr, dma_handle, size, "dma_free_coherent"))
		return;
	if (!is_device_dma_coherent(dev) && arm64_coherent_drop_alias(dev, vaddr, size))
		return;
	__dma_free_coherent(dev, size, device_buffer(dev, dma_handle), dma_handle);
}

static dma_addr_t __swiotlb_map_page(struct device *dev, struct page *page, unsigned long offset,
				     size_t size, enum dma_data_direction direction,
				     struct dma_attrs *attrs)
{
	dma_addr_t handle_in = swiotlb_map_page(dev, page, offset, size, direction, attrs);

	if (handle_in != DMA_ERROR_CODE && needs_sync(dev, attrs))
		__dma_map_area(device_buffer(dev, handle_in), size, direction);
	return handle_in;
}

static void __swiotlb_unmap_page(struct device *dev, dma_addr_t handle_in, size_t size,
				 enum dma_data_direction direction, struct dma_attrs *attrs)
{
	if (needs_sync(dev, attrs) && iosim_phys_is_ram(dma_to_phys(dev, handle_in), size))
		__dma_unmap_area(device_buffer(dev, handle_in), size, direction);
	swiotlb_unmap_page(dev, handle_in, size, direction, attrs);
}

static int __swiotlb_map_sg_attrs(struct device *dev, struct scatterlist *list, int nents,
				  enum dma_data_direction direction, struct dma_attrs *attrs)
{
	struct scatterlist *sg;
	int i, ret;

	ret = swiotlb_map_sg_attrs(dev, list, nents, direction, attrs);
	if (needs_sync(dev, attrs))
		for_each_sg(list, sg, ret, i)
			__dma_map_area(device_buffer(dev, sg->dma_address), sg->length, direction);
	return ret;
}

static void __swiotlb_unmap_sg_attrs(struct device *dev, struct scatterlist *list, int nents,
				     enum dma_data_direction direction, struct dma_attrs *attrs)
{
	struct scatterlist *sg;
	int i;

	if (needs_sync(dev, attrs))
		for_each_sg(list, sg, nents, i)
			__dma_unmap_area(device_buffer(dev, sg->dma_address), sg->length, direction);
	swiotlb_unmap_sg_attrs(dev, list, nents, direction, attrs);
}

static void __swiotlb_sync_single_for_cpu(struct device *dev, dma_addr_t handle_in, size_t size,
					  enum dma_data_direction direction)
{
	if (!is_device_dma_coherent(dev) && iosim_phys_is_ram(dma_to_phys(dev, handle_in), size))
		__dma_unmap_area(device_buffer(dev, handle_in), size, direction);
	swiotlb_sync_single_for_cpu(dev, handle_in, size, direction);
}

static void __swiotlb_sync_single_for_device(struct device *dev, dma_addr_t handle_in,
					     size_t size, enum dma_data_direction direction)
{
	swiotlb_sync_single_for_device(dev, handle_in, size, direction);
	if (!is_device_dma_coherent(dev) && iosim_phys_is_ram(dma_to_phys(dev, handle_in), size))
		__dma_map_area(device_buffer(dev, handle_in), size, direction);
}

/* @nelems is the number passed to dma_map_sg(), as sync-sg.c's kernel-doc says. */
static void __swiotlb_sync_sg_for_cpu(struct device *dev, struct scatterlist *list, int nents,
				      enum dma_data_direction direction)
{
	struct scatterlist *sg;
	int i;

	if (!is_device_dma_coherent(dev))
		for_each_sg(list, sg, nents, i)
			__dma_unmap_area(device_buffer(dev, sg->dma_address), sg->length, direction);
	swiotlb_sync_sg_for_cpu(dev, list, nents, direction);
}

static void __swiotlb_sync_sg_for_device(struct device *dev, struct scatterlist *list,
					 int nents, enum dma_data_direction direction)
{
	struct scatterlist *sg;
	int i;

	swiotlb_sync_sg_for_device(dev, list, nents, direction);
	if (!is_device_dma_coherent(dev))
		for_each_sg(list, sg, nents, i)
			__dma_map_area(device_buffer(dev, sg->dma_address), sg->length, direction);
}

struct dma_map_ops arm64_swiotlb_dma_ops = {
	.alloc = __swiotlb_alloc,
	.free = __swiotlb_free,
	.mmap = arm64_coherent_mmap,
	.get_sgtable = arm64_coherent_get_sgtable,
	.map_page = __swiotlb_map_page,
	.unmap_page = __swiotlb_unmap_page,
	.map_sg = __swiotlb_map_sg_attrs,
	.unmap_sg = __swiotlb_unmap_sg_attrs,
	.sync_single_for_cpu = __swiotlb_sync_single_for_cpu,
	.sync_single_for_device = __swiotlb_sync_single_for_device,
	.sync_sg_for_cpu = __swiotlb_sync_sg_for_cpu,
	.sync_sg_for_device = __swiotlb_sync_sg_for_device,
	.dma_supported = swiotlb_dma_supported,
	.mapping_error = swiotlb_dma_mapping_error,
};
