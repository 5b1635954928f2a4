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

/* Cache maintenance is by CPU address, so the physical one plays no part. */
static void flush_page(struct device *dev, const void *virt, phys_addr_t phys)
{
	__dma_flush_range(virt, (const char *)virt + PAGE_SIZE);
}

/*
 * The physical address behind [@dev_addr, @dev_addr + @size) in @dev's
 * domain, or 0 with a WARN naming @what when either end is not mapped.
 */
static phys_addr_t iommu_handle_to_phys(struct device *dev, dma_addr_t dev_addr, size_t size,
					const char *what)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	phys_addr_t phys = 0;

	if (domain && size && dev_addr + size - 1 >= dev_addr) {
		phys = iommu_iova_to_phys(domain, dev_addr);
		if (phys && !iommu_iova_to_phys(domain, dev_addr + size - 1))
			phys = 0;
	}
	WARN(!phys, "%s: device %s: DMA address %#llx (+%zu) is not mapped", what,
	     dev_name(dev), (unsigned long long)dev_addr, size);
	return phys;
}

static void *iommu_alloc_blocking(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp,
				  struct dma_attrs *attrs, bool coherent, int ioprot)
{
	pgprot_t prot = __get_dma_pgprot(attrs, PAGE_KERNEL, coherent);
	struct page **pages;
	void *addr;

	pages = iommu_dma_alloc(dev, size, gfp, ioprot, handle, flush_page);
	if (!pages)
		return NULL;
	addr = dma_common_pages_remap(pages, size, VM_USERMAP, prot, __builtin_return_address(0));
	if (!addr)
		iommu_dma_free(dev, pages, size, handle);
	return addr;
}

static void *iommu_alloc_atomic(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp,
				bool coherent, int ioprot)
{
	struct page *page = NULL;
	void *addr;

	/* No remapping in atomic context: contiguous memory only. */
	if (coherent) {
		page = iosim_dma_contiguous_alloc(gfp, size);
		addr = page ? page_address(page) : NULL;
	} else {
		addr = __alloc_from_pool(size, &page, gfp);
	}
	if (!addr)
		return NULL;

	*handle = iommu_dma_map_page(dev, page, 0, size, ioprot);
	if (iommu_dma_mapping_error(dev, *handle)) {
		if (coherent)
			iosim_dma_contiguous_free(page, size);
		else
			__free_from_pool(addr, size);
		return NULL;
	}
	return addr;
}

static void *iommu_ops_alloc(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp,
			     struct dma_attrs *attrs)
{
	bool coherent;
	int ioprot;

	if (WARN(!dev, "cannot create IOMMU mapping for unknown device\n"))
		return NULL;
	*handle = DMA_ERROR_CODE;
	if (!size)
		return NULL;
	coherent = is_device_dma_coherent(dev);
	ioprot = dma_direction_to_prot(DMA_BIDIRECTIONAL, coherent);
	/* Devices must never read stale kernel data, and some drivers rely on zeroes. */
	gfp |= __GFP_ZERO;
	if (gfp & __GFP_WAIT)
		return iommu_alloc_blocking(dev, size, handle, gfp, attrs, coherent, ioprot);
	return iommu_alloc_atomic(dev, PAGE_ALIGN(size), handle, gfp, coherent, ioprot);
}

/* The remap area of a blocking allocation at @cpu_addr, or NULL. */
static struct vm_struct *iommu_remap_area(void *cpu_addr)
{
	struct vm_struct *area;

	if (!is_vmalloc_addr(cpu_addr))
		return NULL;
	area = find_vm_area(cpu_addr);
	if (!area || !area->pages || !(area->flags & VM_USERMAP) || area->addr != cpu_addr)
		return NULL;
	return area;
}

/*
 * The physical address of the contiguous (atomic) buffer at @cpu_addr, or 0
 * if @cpu_addr is not the start of one: in the pool, or a linear-map block.
 */
static phys_addr_t iommu_contiguous_phys(void *cpu_addr, size_t size)
{
	if (__in_atomic_pool(cpu_addr, size))
		return page_to_phys(vmalloc_to_page(cpu_addr)) + offset_in_page(cpu_addr);
	if (!is_vmalloc_addr(cpu_addr) && virt_addr_valid(cpu_addr))
		return virt_to_phys(cpu_addr);
	return 0;
}

static void iommu_ops_free(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle,
			   struct dma_attrs *attrs)
{
	struct vm_struct *area = iommu_remap_area(cpu_addr);
	phys_addr_t phys, mapped;

	if (WARN(!dev, "dma_free_coherent: NULL device"))
		return;
	mapped = iommu_handle_to_phys(dev, handle, size, "dma_free_coherent");
	if (!mapped)
		return;
	if (area) {
		if (WARN(page_to_phys(area->pages[0]) != mapped,
			 "dma_free_coherent: device %s: %p is not the buffer at DMA address %#llx",
			 dev_name(dev), cpu_addr, (unsigned long long)handle))
			return;
		iommu_dma_free(dev, area->pages, size, &handle);
		dma_common_free_remap(cpu_addr, size, VM_USERMAP);
		return;
	}
	size = PAGE_ALIGN(size);
	phys = iommu_contiguous_phys(cpu_addr, size);
	if (WARN(!phys || phys != mapped,
		 "dma_free_coherent: device %s: %p is not the buffer at DMA address %#llx",
		 dev_name(dev), cpu_addr, (unsigned long long)handle))
		return;
	iommu_dma_unmap_page(dev, handle, size, DMA_BIDIRECTIONAL, NULL);
	if (!__free_from_pool(cpu_addr, size))
		iosim_dma_contiguous_free(virt_to_page(cpu_addr), size);
}

static int iommu_ops_mmap(struct device *dev, struct vm_area_struct *vma, void *cpu_addr,
			  dma_addr_t dma_addr, size_t size, struct dma_attrs *attrs)
{
	struct vm_struct *area;
	phys_addr_t phys;
	int ret;

	vma->vm_page_prot = __get_dma_pgprot(attrs, vma->vm_page_prot,
					     is_device_dma_coherent(dev));
	if (dma_mmap_from_coherent(dev, vma, cpu_addr, size, &ret))
		return ret;

	area = iommu_remap_area(cpu_addr);
	if (area)
		return iommu_dma_mmap(area->pages, size, vma);

	phys = iommu_contiguous_phys(cpu_addr, PAGE_ALIGN(size));
	if (WARN(!phys, "dma_mmap: device %s: %p is no coherent buffer", dev_name(dev), cpu_addr))
		return -ENXIO;
	return iosim_dma_mmap_contiguous(vma, phys_to_page(phys), size);
}

static int iommu_ops_get_sgtable(struct device *dev, struct sg_table *sgt, void *cpu_addr,
				 dma_addr_t dma_addr, size_t size, struct dma_attrs *attrs)
{
	unsigned int count = PAGE_ALIGN(size) >> PAGE_SHIFT;
	struct vm_struct *area = iommu_remap_area(cpu_addr);
	phys_addr_t phys;
	int ret;

	if (area)
		return sg_alloc_table_from_pages(sgt, area->pages, count, 0, size, GFP_KERNEL);

	phys = iommu_contiguous_phys(cpu_addr, PAGE_ALIGN(size));
	if (WARN(!phys, "dma_get_sgtable: device %s: %p is no coherent buffer",
		 dev_name(dev), cpu_addr))
		return -ENXIO;
	ret = sg_alloc_table(sgt, 1, GFP_KERNEL);
	if (!ret)
		sg_set_page(sgt->sgl, phys_to_page(phys), PAGE_ALIGN(size), 0);
	return ret;
}

static void iommu_ops_sync_single_for_cpu(struct device *dev, dma_addr_t dev_addr, size_t size,
					  enum dma_data_direction dir)
{
	phys_addr_t phys;

	if (is_device_dma_coherent(dev))
		return;
	phys = iommu_handle_to_phys(dev, dev_addr, size, "dma_sync_single_for_cpu");
	if (phys)
		__dma_unmap_area(phys_to_virt(phys), size, dir);
}

static void iommu_ops_sync_single_for_device(struct device *dev, dma_addr_t dev_addr,
					     size_t size, enum dma_data_direction dir)
{
	phys_addr_t phys;

	if (is_device_dma_coherent(dev))
		return;
	phys = iommu_handle_to_phys(dev, dev_addr, size, "dma_sync_single_for_device");
	if (phys)
		__dma_map_area(phys_to_virt(phys), size, dir);
}

static dma_addr_t iommu_ops_map_page(struct device *dev, struct page *page, unsigned long offset,
				     size_t size, enum dma_data_direction dir,
				     struct dma_attrs *attrs)
{
	bool coherent = is_device_dma_coherent(dev);
	int prot = dma_direction_to_prot(dir, coherent);
	dma_addr_t dev_addr = iommu_dma_map_page(dev, page, offset, size, prot);

	if (!coherent && !iommu_dma_mapping_error(dev, dev_addr) &&
	    !dma_get_attr(DMA_ATTR_SKIP_CPU_SYNC, attrs))
		__dma_map_area(phys_to_virt(page_to_phys(page) + offset), size, dir);
	return dev_addr;
}

static void iommu_ops_unmap_page(struct device *dev, dma_addr_t dev_addr, size_t size,
				 enum dma_data_direction dir, struct dma_attrs *attrs)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	phys_addr_t phys = domain ? iommu_iova_to_phys(domain, dev_addr) : 0;

	/* An unmapped handle: the glue WARNs below; no maintenance on address 0. */
	if (phys && !is_device_dma_coherent(dev) && !dma_get_attr(DMA_ATTR_SKIP_CPU_SYNC, attrs))
		__dma_unmap_area(phys_to_virt(phys), size, dir);
	iommu_dma_unmap_page(dev, dev_addr, size, dir, attrs);
}

static int iommu_ops_map_sg(struct device *dev, struct scatterlist *sgl, int nelems,
			    enum dma_data_direction dir, struct dma_attrs *attrs)
{
	bool coherent = is_device_dma_coherent(dev);

	if (!dma_get_attr(DMA_ATTR_SKIP_CPU_SYNC, attrs))
		arm64_sync_sg_for_device(dev, sgl, nelems, dir);
	return iommu_dma_map_sg(dev, sgl, nelems, dma_direction_to_prot(dir, coherent));
}

static void iommu_ops_unmap_sg(struct device *dev, struct scatterlist *sgl, int nelems,
			       enum dma_data_direction dir, struct dma_attrs *attrs)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	bool mapped = domain && sgl && sg_dma_len(sgl) &&
		      iommu_iova_to_phys(domain, sg_dma_address(sgl));

	/* A list that is not mapped: the glue WARNs below; no maintenance. */
	if (mapped && !dma_get_attr(DMA_ATTR_SKIP_CPU_SYNC, attrs))
		arm64_sync_sg_for_cpu(dev, sgl, nelems, dir);
	iommu_dma_unmap_sg(dev, sgl, nelems, dir, attrs);
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
