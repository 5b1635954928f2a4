// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * arm64's DMA ops for devices behind an IOMMU (the seed's patch 2/3), in our
 * own code over the glue of <linux/dma-iommu.h>, with what the review and our
 * tests found fixed:
 *  - mmap and get_sgtable work for every kind of coherent buffer (the
 *    seed's WARN and fail for atomic ones, which are not remapped);
 *  - a sync, or the CPU side of an unmap, of a handle that is not mapped
 *    WARNs and does nothing (the seed translates it to physical address 0 and
 *    does cache maintenance on whatever lies there);
 *  - free checks that the handle and the CPU address belong together before
 *    anything is released;
 *  - sync_sg takes the number of entries given to dma_map_sg(), as the
 *    review settled: maintenance walks the entries' CPU addresses.
 *
 * Coherent buffers come in three kinds, told apart on free, mmap and
 * get_sgtable by their CPU address:
 *  - blocking allocations: pages from iommu_dma_alloc(), remapped into one
 *    CPU range (a vmap area holding the page array), cacheable for coherent
 *    devices and write-combine for the others;
 *  - atomic allocations by non-coherent devices: a piece of the atomic pool,
 *    already non-cacheable;
 *  - atomic allocations by coherent devices: a physically contiguous block
 *    in the linear map.
 */
#include "arm64-dma-mapping.h"
#include "iommu-dma-ops.h"

#include <linux/dma-iommu.h>

#include <iosim/dma.h>

/* Cache maintenance is by CPU address, so the physical one plays no part. */
static void iommu_flush_new_page(struct device *dev, const void *virt, phys_addr_t phys)
{
	__dma_flush_range(virt, (const char *)virt + PAGE_SIZE);
}

/* The domain @dev's DMA goes through (its group's current one), or NULL. */
static struct iommu_domain *dev_domain(struct device *dev)
{
	return iommu_get_domain_for_dev(dev);
}

/*
 * The physical address behind [@handle_in, @handle_in + @size) in @dev's
 * domain, or 0 with a WARN naming @what when that is not inside one mapped
 * buffer (either end unmapped, or past the buffer's end into the rest of its
 * last granule, which holds other memory).
 */
static phys_addr_t iommu_handle_to_phys(struct device *dev, dma_addr_t handle_in, size_t size,
					const char *what)
{
	struct iommu_domain *domain = dev_domain(dev);
	phys_addr_t phys = 0;

	/* Inside one buffer, which the glue mapped contiguously. */
	if (domain && size && size <= iosim_iommu_dma_mapped_from(dev, handle_in, false)) {
		phys = iommu_iova_to_phys(domain, handle_in);
		if (phys && !iommu_iova_to_phys(domain, handle_in + size - 1))
			phys = 0;
	}
	WARN(!phys, "%s: device %s: DMA address %#llx (+%zu) is not mapped, or not within one buffer",
	     what, dev_name(dev), (unsigned long long)handle_in, size);
	return phys;
}

static void *iommu_alloc_blocking(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp,
				  struct dma_attrs *attrs, bool snoops, int ioprot)
{
	pgprot_t prot = __get_dma_pgprot(attrs, PAGE_KERNEL, snoops);
	const void *caller = __builtin_return_address(0);
	struct page **page_array;
	void *cpu;

	page_array = iommu_dma_alloc(dev, size, gfp, ioprot, handle, iommu_flush_new_page);
	if (!page_array)
		return NULL;
	cpu = dma_common_pages_remap(page_array, size, VM_USERMAP, prot, caller);
	if (!cpu)
		iommu_dma_free(dev, page_array, size, handle);
	return cpu;
}

static void *iommu_alloc_atomic(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp,
				bool snoops, int ioprot)
{
	struct page *page = NULL;
	void *cpu = NULL;

	/* No remapping in atomic context: contiguous memory only. */
	if (!snoops)
		cpu = __alloc_from_pool(size, &page, gfp);
	else if ((page = iosim_dma_contiguous_alloc(dev, gfp, size)))
		cpu = page_address(page);
	if (!cpu)
		return NULL;

	*handle = iommu_dma_map_page(dev, page, 0, size, ioprot);
	if (!iommu_dma_mapping_error(dev, *handle))
		return cpu;
	if (snoops)
		iosim_dma_contiguous_free(dev, page, size);
	else
		__free_from_pool(cpu, size);
	return NULL;
}

static void *iommu_ops_alloc(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp,
			     struct dma_attrs *attrs)
{
	bool snoops;
	int ioprot;

	if (WARN(!dev, "dma_alloc_coherent: cannot create IOMMU mapping for unknown device\n"))
		return NULL;
	*handle = DMA_ERROR_CODE;
	if (!size)
		return NULL;
	snoops = is_device_dma_coherent(dev);
	ioprot = dma_direction_to_prot(DMA_BIDIRECTIONAL, snoops);
	/* Devices must never read stale kernel data, and some drivers rely on zeroes. */
	gfp |= __GFP_ZERO;
	if (gfp & __GFP_WAIT)
		return iommu_alloc_blocking(dev, size, handle, gfp, attrs, snoops, ioprot);
	return iommu_alloc_atomic(dev, PAGE_ALIGN(size), handle, gfp, snoops, ioprot);
}

/* The remap area of a blocking allocation at @cpu, or NULL. */
static struct vm_struct *iommu_remap_area(void *cpu)
{
	struct vm_struct *area;

	if (!is_vmalloc_addr(cpu))
		return NULL;
	area = find_vm_area(cpu);
	if (!area || !area->pages || !(area->flags & VM_USERMAP) || area->addr != cpu)
		return NULL;
	return area;
}

/*
 * The physical address of the contiguous (atomic) buffer at @cpu, or 0
 * if @cpu is not the start of one: in the pool, or a linear-map block.
 */
static phys_addr_t iommu_contiguous_phys(void *cpu, size_t size)
{
	if (__in_atomic_pool(cpu, size))
		return page_to_phys(vmalloc_to_page(cpu)) + offset_in_page(cpu);
	if (!is_vmalloc_addr(cpu) && virt_addr_valid(cpu))
		return virt_to_phys(cpu);
	return 0;
}

static void iommu_ops_free(struct device *dev, size_t size, void *cpu, dma_addr_t handle,
			   struct dma_attrs *attrs)
{
	struct vm_struct *area = iommu_remap_area(cpu);
	phys_addr_t phys, mapped;

	if (WARN(!dev, "dma_free_coherent: NULL device"))
		return;
	mapped = iommu_handle_to_phys(dev, handle, size, "dma_free_coherent");
	if (!mapped)
		return;
	if (area) {
		struct page **page_array = area->pages;

		if (WARN(page_to_phys(page_array[0]) != mapped,
			 "dma_free_coherent: device %s: %p is not the buffer at DMA address %#llx",
			 dev_name(dev), cpu, (unsigned long long)handle))
			return;
		iommu_dma_free(dev, page_array, size, &handle);
		dma_common_free_remap(cpu, size, VM_USERMAP);
		return;
	}
	size = PAGE_ALIGN(size);
	phys = iommu_contiguous_phys(cpu, size);
	if (WARN(!phys || phys != mapped,
		 "dma_free_coherent: device %s: %p is not the buffer at DMA address %#llx",
		 dev_name(dev), cpu, (unsigned long long)handle))
		return;
	iommu_dma_unmap_page(dev, handle, size, DMA_BIDIRECTIONAL, NULL);
	if (!__free_from_pool(cpu, size))
		iosim_dma_contiguous_free(dev, virt_to_page(cpu), size);
}

static int iommu_ops_mmap(struct device *dev, struct vm_area_struct *vma, void *cpu,
			  dma_addr_t dma_addr, size_t size, struct dma_attrs *attrs)
{
	struct vm_struct *area;
	phys_addr_t phys;
	int ret;

	iosim_dma_user_prot(dev, vma, attrs);
	if (dma_mmap_from_coherent(dev, vma, cpu, size, &ret))
		return ret;

	area = iommu_remap_area(cpu);
	if (area) {
		struct page **page_array = area->pages;

		return iommu_dma_mmap(page_array, size, vma);
	}

	phys = iommu_contiguous_phys(cpu, PAGE_ALIGN(size));
	if (WARN(!phys, "dma_mmap: device %s: %p is no coherent buffer", dev_name(dev), cpu))
		return -ENXIO;
	return iosim_dma_mmap_contiguous(vma, phys_to_page(phys), size);
}

static int iommu_ops_get_sgtable(struct device *dev, struct sg_table *sgt, void *cpu,
				 dma_addr_t dma_addr, size_t size, struct dma_attrs *attrs)
{
	unsigned int nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT;
	struct vm_struct *area = iommu_remap_area(cpu);
	phys_addr_t phys;
	int ret;

	if (area)
		return sg_alloc_table_from_pages(sgt, area->pages, nr_pages, 0, size, GFP_KERNEL);

	phys = iommu_contiguous_phys(cpu, PAGE_ALIGN(size));
	if (WARN(!phys, "dma_get_sgtable: device %s: %p is no coherent buffer",
		 dev_name(dev), cpu))
		return -ENXIO;
	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (!ret)
		sg_set_page(sgt->sgl, phys_to_page(phys), PAGE_ALIGN(size), 0);
	return ret;
}

static void iommu_ops_sync_single_for_cpu(struct device *dev, dma_addr_t handle_in, size_t size,
					  enum dma_data_direction direction)
{
	phys_addr_t phys;

	if (arm64_dma_no_cpu_sync(dev, NULL))
		return;
	phys = iommu_handle_to_phys(dev, handle_in, size, "dma_sync_single_for_cpu");
	if (phys)
		__dma_unmap_area(phys_to_virt(phys), size, direction);
}

static void iommu_ops_sync_single_for_device(struct device *dev, dma_addr_t handle_in,
					     size_t size, enum dma_data_direction direction)
{
	phys_addr_t phys;

	if (arm64_dma_no_cpu_sync(dev, NULL))
		return;
	phys = iommu_handle_to_phys(dev, handle_in, size, "dma_sync_single_for_device");
	if (phys)
		__dma_map_area(phys_to_virt(phys), size, direction);
}

static dma_addr_t iommu_ops_map_page(struct device *dev, struct page *page, unsigned long offset,
				     size_t size, enum dma_data_direction direction,
				     struct dma_attrs *attrs)
{
	bool snoops = is_device_dma_coherent(dev);
	int prot = dma_direction_to_prot(direction, snoops);
	dma_addr_t handle_in = iommu_dma_map_page(dev, page, offset, size, prot);

	if (!arm64_dma_no_cpu_sync(dev, attrs) && !iommu_dma_mapping_error(dev, handle_in))
		__dma_map_area(phys_to_virt(page_to_phys(page) + offset), size, direction);
	return handle_in;
}

static void iommu_ops_unmap_page(struct device *dev, dma_addr_t handle_in, size_t size,
				 enum dma_data_direction direction, struct dma_attrs *attrs)
{
	/* Coherent devices need no maintenance, nor the table walk that finds it. */
	if (!arm64_dma_no_cpu_sync(dev, attrs)) {
		struct iommu_domain *domain = dev_domain(dev);
		phys_addr_t phys = domain ? iommu_iova_to_phys(domain, handle_in) : 0;
		size_t buffer = iosim_iommu_dma_mapped_from(dev, handle_in, true);

		/*
		 * A handle the glue will refuse (none, or further inside a
		 * mapping) is not maintained, and a @size past the buffer's end
		 * only up to it; the glue WARNs both below.  The kernel would
		 * invalidate whatever memory lies there (found by
		 * fuzz_dma_api_generic: the IOVA tree's nodes and a domain,
		 * written by the CPU and not yet cleaned, lost their updates;
		 * the rest of a buffer's last granule holds other memory too).
		 */
		if (phys && buffer)
			__dma_unmap_area(phys_to_virt(phys), min(size, buffer), direction);
	}
	iommu_dma_unmap_page(dev, handle_in, size, direction, attrs);
}

static int iommu_ops_map_sg(struct device *dev, struct scatterlist *list, int nents,
			    enum dma_data_direction direction, struct dma_attrs *attrs)
{
	bool snoops = is_device_dma_coherent(dev);

	if (!arm64_dma_no_cpu_sync(dev, attrs))
		arm64_sync_sg_for_device(dev, list, nents, direction);
	return iommu_dma_map_sg(dev, list, nents, dma_direction_to_prot(direction, snoops));
}

static void iommu_ops_unmap_sg(struct device *dev, struct scatterlist *list, int nents,
			       enum dma_data_direction direction, struct dma_attrs *attrs)
{
	struct iommu_domain *domain = dev_domain(dev);
	bool mapped = domain && list && sg_dma_len(list) &&
		      iommu_iova_to_phys(domain, sg_dma_address(list));

	/* A list that is not mapped: the glue WARNs below; no maintenance. */
	if (mapped && !arm64_dma_no_cpu_sync(dev, attrs))
		arm64_sync_sg_for_cpu(dev, list, nents, direction);
	iommu_dma_unmap_sg(dev, list, nents, direction, attrs);
}

struct dma_map_ops iommu_dma_ops = {
	.alloc = iommu_ops_alloc,
	.free = iommu_ops_free,
	.mmap = iommu_ops_mmap,
	.get_sgtable = iommu_ops_get_sgtable,
	.map_page = iommu_ops_map_page,
	.unmap_page = iommu_ops_unmap_page,
	.map_sg = iommu_ops_map_sg,
	.unmap_sg = iommu_ops_unmap_sg,
	.sync_single_for_cpu = iommu_ops_sync_single_for_cpu,
	.sync_single_for_device = iommu_ops_sync_single_for_device,
	.sync_sg_for_cpu = arm64_sync_sg_for_cpu,
	.sync_sg_for_device = arm64_sync_sg_for_device,
	.dma_supported = iommu_dma_supported,
	.mapping_error = iommu_dma_mapping_error,
};
