// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * arm64's default DMA ops for devices without an IOMMU (or whose IOMMU
 * set-up failed): the device's address of a buffer is its physical address
 * (arm64 of 2015 has no DMA offset), with cache maintenance around every
 * transfer for non-coherent devices.  arm64's default ops are swiotlb's
 * (swiotlb-ops.c), which bounce what a device cannot reach; these are used
 * when there is no bounce pool (no RAM below 4 GiB), and then a buffer
 * beyond the device's DMA mask fails with DMA_ERROR_CODE and a WARN naming
 * the device, the address and the mask.
 *
 * Coherent buffers are physically contiguous blocks, split into
 * independent pages (so each can be mapped to user space), zeroed; for a
 * non-coherent device the CPU uses a non-cacheable alias of them.
 */
#include "arm64-dma-mapping.h"

#include <iosim/ram.h>
#include <iosim/vma.h>

/* Does [@addr, @addr + @size) fit @mask?  Else WARN with the facts. */
static bool direct_reachable(struct device *dev, dma_addr_t addr, size_t size, u64 mask,
			     const char *what)
{
	u64 last = size ? addr + size - 1 : addr;

	if (last >= addr && last <= mask)
		return true;
	WARN(1, "%s: device %s cannot reach %#llx-%#llx with DMA mask %#llx (no bounce buffers)",
	     what, dev_name(dev), (unsigned long long)addr, (unsigned long long)last,
	     (unsigned long long)mask);
	return false;
}

/* Is [@phys, @phys + @size) allocated simulated RAM?  Else WARN naming @what. */
static bool direct_phys_ok(struct device *dev, phys_addr_t phys, size_t size, const char *what)
{
	if (size && iosim_phys_is_ram(phys, size) && iosim_phys_is_allocated(phys) &&
	    iosim_phys_is_allocated(phys + size - 1))
		return true;
	WARN(1, "%s: device %s: %#llx (+%zu) is not mapped memory", what, dev_name(dev),
	     (unsigned long long)phys, size);
	return false;
}

static void *direct_alloc(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t flags,
			  struct dma_attrs *attrs)
{
	bool snoops = is_device_dma_coherent(dev);
	pgprot_t prot = __get_dma_pgprot(attrs, PAGE_KERNEL, snoops);
	const void *caller = __builtin_return_address(0);
	struct page *page;
	void *ptr, *remapped;
	phys_addr_t phys;

	if (WARN(!dev, "Use an actual device structure for DMA allocation\n"))
		return NULL;
	*dma_handle = DMA_ERROR_CODE;
	if (!size)
		return NULL;
	size = PAGE_ALIGN(size);

	if (!snoops && !(flags & __GFP_WAIT)) {
		ptr = __alloc_from_pool(size, &page, flags);
		if (!ptr)
			return NULL;
		phys = page_to_phys(page);
		if (!direct_reachable(dev, phys_to_dma(dev, phys), size, dev->coherent_dma_mask,
				      "dma_alloc_coherent")) {
			__free_from_pool(ptr, size);
			return NULL;
		}
		*dma_handle = phys_to_dma(dev, phys);
		return ptr;
	}

	page = iosim_dma_contiguous_alloc(dev, flags | __GFP_ZERO, size);
	if (!page)
		return NULL;
	phys = page_to_phys(page);
	if (!direct_reachable(dev, phys_to_dma(dev, phys), size, dev->coherent_dma_mask,
			      "dma_alloc_coherent"))
		goto out_free_pages;
	ptr = page_address(page);
	if (snoops) {
		*dma_handle = phys_to_dma(dev, phys);
		return ptr;
	}

	/* Remove any dirty lines of the kernel alias, then alias it uncached. */
	__dma_flush_range(ptr, (char *)ptr + size);
	remapped = dma_common_contiguous_remap(page, size, VM_USERMAP, prot, caller);
	if (!remapped)
		goto out_free_pages;
	*dma_handle = phys_to_dma(dev, phys);
	return remapped;

out_free_pages:
	iosim_dma_contiguous_free(dev, page, size);
	return NULL;
}

/* The physical address the CPU address @cpu of a coherent buffer stands for, or 0. */
static phys_addr_t direct_cpu_phys(void *cpu)
{
	struct page *page;

	if (is_vmalloc_addr(cpu)) {	/* a remap, or the atomic pool's alias */
		page = vmalloc_to_page(cpu);
		return page ? page_to_phys(page) + offset_in_page(cpu) : 0;
	}
	return virt_addr_valid(cpu) ? virt_to_phys(cpu) : 0;
}

/*
 * The first page of the contiguous coherent buffer @cpu/@dma_handle, or NULL
 * (WARN).  Shared with the swiotlb ops, whose coherent buffers are alike.
 */
struct page *arm64_coherent_page(struct device *dev, void *cpu, dma_addr_t dma_handle,
				       size_t size, const char *what)
{
	phys_addr_t phys = dma_to_phys(dev, dma_handle);

	if (!direct_phys_ok(dev, phys, size, what))
		return NULL;
	if (WARN(direct_cpu_phys(cpu) != phys,
		 "%s: device %s: CPU address %p does not belong to DMA address %#llx",
		 what, dev_name(dev), cpu, (unsigned long long)dma_handle))
		return NULL;
	return phys_to_page(phys);
}

static void direct_free(struct device *dev, size_t size, void *cpu, dma_addr_t dma_handle,
			struct dma_attrs *attrs)
{
	struct page *page;

	if (WARN(!dev, "dma_free_coherent: NULL device"))
		return;
	size = PAGE_ALIGN(size);
	page = arm64_coherent_page(dev, cpu, dma_handle, size, "dma_free_coherent");
	if (!page)
		return;
	if (arm64_coherent_drop_alias(dev, cpu, size))
		return;
	iosim_dma_contiguous_free(dev, page, size);
}

/**
 * arm64_coherent_drop_alias - release the CPU alias of a contiguous coherent
 * buffer being freed: give an atomic-pool buffer back to the pool, or undo a
 * non-cacheable remap; a linear-map address has no alias.
 * @dev: the device (for the message)
 * @cpu: the buffer's CPU address
 * @size: its page-aligned size
 *
 * Context: process context.
 * Return: 0 if the caller must now free the buffer's pages; non-zero if it
 * must not: the buffer was the pool's (now free again), or @cpu is a vmalloc
 * address that is no coherent remap (WARNed, nothing released).
 */
int arm64_coherent_drop_alias(struct device *dev, void *cpu, size_t size)
{
	struct vm_struct *area;

	if (__free_from_pool(cpu, size))
		return 1;
	if (!is_vmalloc_addr(cpu))
		return 0;
	area = find_vm_area(cpu);
	if (WARN(!area || !(area->flags & VM_USERMAP),
		 "dma_free_coherent: device %s: %p is no coherent remap", dev_name(dev), cpu))
		return -EINVAL;
	dma_common_free_remap(cpu, size, VM_USERMAP);
	return 0;
}

int arm64_coherent_mmap(struct device *dev, struct vm_area_struct *vma, void *cpu,
		       dma_addr_t dma_addr, size_t size, struct dma_attrs *attrs)
{
	struct page *page;
	int ret;

	iosim_dma_user_prot(dev, vma, attrs);
	if (dma_mmap_from_coherent(dev, vma, cpu, size, &ret))
		return ret;
	page = arm64_coherent_page(dev, cpu, dma_addr, PAGE_ALIGN(size), "dma_mmap");
	if (!page)
		return -ENXIO;
	return iosim_dma_mmap_contiguous(vma, page, size);
}

int arm64_coherent_get_sgtable(struct device *dev, struct sg_table *sgt, void *cpu,
			      dma_addr_t dma_addr, size_t size, struct dma_attrs *attrs)
{
	struct page *page = arm64_coherent_page(dev, cpu, dma_addr, PAGE_ALIGN(size),
					       "dma_get_sgtable");
	int ret;

	if (!page)
		return -ENXIO;
	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (!ret)
		sg_set_page(sgt->sgl, page, PAGE_ALIGN(size), 0);
	return ret;
}

static dma_addr_t direct_map_page(struct device *dev, struct page *page, unsigned long offset,
				  size_t size, enum dma_data_direction direction,
				  struct dma_attrs *attrs)
{
	phys_addr_t buf_phys = page_to_phys(page) + offset;
	dma_addr_t handle_in = phys_to_dma(dev, buf_phys);

	if (WARN(!size, "dma_map_page: device %s: zero size", dev_name(dev)))
		return DMA_ERROR_CODE;
	if (!direct_phys_ok(dev, buf_phys, size, "dma_map_page"))
		return DMA_ERROR_CODE;
	if (!direct_reachable(dev, handle_in, size, dma_get_mask(dev), "dma_map_page"))
		return DMA_ERROR_CODE;
	if (!arm64_dma_no_cpu_sync(dev, attrs))
		__dma_map_area(phys_to_virt(buf_phys), size, direction);
	return handle_in;
}

/*
 * Cache maintenance on the memory behind a direct handle, for what (the
 * caller's name, for the WARN of a handle outside RAM) gives it to the
 * device (@to_device: clean, __dma_map_area) or back to the CPU
 * (invalidate, __dma_unmap_area).
 */
static void direct_maintain(struct device *dev, dma_addr_t handle_in, size_t size,
			    enum dma_data_direction direction, struct dma_attrs *attrs,
			    const char *what, bool to_device)
{
	phys_addr_t phys = dma_to_phys(dev, handle_in);

	if (!direct_phys_ok(dev, phys, size, what) || arm64_dma_no_cpu_sync(dev, attrs))
		return;
	if (to_device)
		__dma_map_area(phys_to_virt(phys), size, direction);
	else
		__dma_unmap_area(phys_to_virt(phys), size, direction);
}

static void direct_unmap_page(struct device *dev, dma_addr_t handle_in, size_t size,
			      enum dma_data_direction direction, struct dma_attrs *attrs)
{
	direct_maintain(dev, handle_in, size, direction, attrs, "dma_unmap_page", false);
}

static void direct_sync_single_for_cpu(struct device *dev, dma_addr_t handle_in, size_t size,
				       enum dma_data_direction direction)
{
	direct_maintain(dev, handle_in, size, direction, NULL, "dma_sync_single_for_cpu", false);
}

static void direct_sync_single_for_device(struct device *dev, dma_addr_t handle_in, size_t size,
					  enum dma_data_direction direction)
{
	direct_maintain(dev, handle_in, size, direction, NULL, "dma_sync_single_for_device", true);
}

static void direct_unmap_sg(struct device *dev, struct scatterlist *list, int nents,
			    enum dma_data_direction direction, struct dma_attrs *attrs)
{
	if (!arm64_dma_no_cpu_sync(dev, attrs))
		arm64_sync_sg_for_cpu(dev, list, nents, direction);
}

/* Each entry is its own segment at its physical address; all or nothing. */
static int direct_map_sg(struct device *dev, struct scatterlist *list, int nents,
			 enum dma_data_direction direction, struct dma_attrs *attrs)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(list, sg, nents, i) {
		phys_addr_t phys = sg_phys(sg);
		dma_addr_t handle_in = phys_to_dma(dev, phys);

		if (!sg->length || !direct_phys_ok(dev, phys, sg->length, "dma_map_sg") ||
		    !direct_reachable(dev, handle_in, sg->length, dma_get_mask(dev),
				      "dma_map_sg")) {
			WARN(!sg->length, "dma_map_sg: device %s: entry %d has zero length",
			     dev_name(dev), i);
			/*
			 * Nothing to undo: the entries before are only addresses,
			 * and no maintenance was done for the device yet (an
			 * invalidation now would discard the CPU's data in them).
			 */
			sg_dma_len(list) = 0;
			return 0;
		}
		sg->dma_address = handle_in;
		sg_dma_len(sg) = sg->length;
	}
	if (!arm64_dma_no_cpu_sync(dev, attrs))
		arm64_sync_sg_for_device(dev, list, nents, direction);
	return nents;
}

static int direct_mapping_error(struct device *dev, dma_addr_t handle)
{
	return handle == DMA_ERROR_CODE;
}

/*
 * Without bounce buffers a mask is usable if it reaches the start of RAM;
 * buffers beyond it fail at map time.
 */
static int direct_dma_supported(struct device *dev, u64 mask)
{
	if (!iosim_ram_ready())
		return 1;
	return phys_to_dma(dev, iosim_ram_base_phys() + PAGE_SIZE - 1) <= mask;
}

struct dma_map_ops arm64_direct_dma_ops = {
	.alloc = direct_alloc,
	.free = direct_free,
	.mmap = arm64_coherent_mmap,
	.get_sgtable = arm64_coherent_get_sgtable,
	.map_page = direct_map_page,
	.unmap_page = direct_unmap_page,
	.map_sg = direct_map_sg,
	.unmap_sg = direct_unmap_sg,
	.sync_single_for_cpu = direct_sync_single_for_cpu,
	.sync_single_for_device = direct_sync_single_for_device,
	.sync_sg_for_cpu = arm64_sync_sg_for_cpu,
	.sync_sg_for_device = arm64_sync_sg_for_device,
	.mapping_error = direct_mapping_error,
	.dma_supported = direct_dma_supported,
};
