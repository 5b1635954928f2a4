// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Between the IOVA allocator and the page tables: allocating IOVA within a
 * device's limits, finding the allocation a handle belongs to, and tearing
 * a mapping down without trusting that the tables still match the allocator.
 *
 * The seed looked the handle up and used the result unchecked, so a double
 * unmap dereferenced NULL, and it BUG()ed when the IOMMU unmapped less than
 * the allocation.  Here both are WARNs, and the allocator and the page tables
 * are left consistent with each other whatever happened.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iova.h>

#include <iosim/dma.h>

#include "dma-iommu-internal.h"

struct iova_domain *iommu_dma_dev_iovad(struct device *dev, struct iommu_domain **domainp,
					const char *who)
{
	struct iommu_domain *domain;
	struct iova_domain *iovad;

	if (WARN(!dev, "%s: NULL device", who))
		return NULL;
	domain = iommu_get_domain_for_dev(dev);
	if (WARN(!domain, "%s: device %s has no IOMMU domain", who, dev_name(dev)))
		return NULL;
	iovad = iommu_dma_cookie_ready(domain);
	if (WARN(!iovad, "%s: domain of %s is not an initialised DMA domain",
		 who, dev_name(dev)))
		return NULL;
	*domainp = domain;
	return iovad;
}

struct iova *iommu_dma_alloc_iova(struct iova_domain *iovad, size_t size, u64 dma_limit)
{
	unsigned long shift = iova_shift(iovad);
	unsigned long nr_granules = iova_align(iovad, size) >> shift;
	unsigned long limit_pfn = min_t(u64, dma_limit >> shift, iovad->dma_32bit_pfn);

	if (!nr_granules)
		return NULL;
	/*
	 * Size-aligned: map_sg's boundary padding relies on an allocation
	 * larger than the device's boundary window starting on a boundary.
	 */
	return alloc_iova(iovad, nr_granules, limit_pfn, true);
}

size_t iommu_dma_unmap_range(struct iommu_domain *domain, struct iova_domain *iovad,
			     dma_addr_t iova, size_t size)
{
	size_t done = 0, unmapped = 0;

	while (done < size) {
		size_t n = iommu_unmap(domain, iova + done, size - done);

		if (n) {
			unmapped += n;
			done += n;
		} else {
			done += iovad->granule;	/* a hole: step over one granule */
		}
	}
	return unmapped;
}

struct iova *iommu_dma_find_mapping(struct iova_domain *iovad, dma_addr_t dma_addr,
				    const char *who)
{
	unsigned long pfn = iova_pfn(iovad, dma_addr);
	struct iova *iova;

	if (WARN(dma_addr == DMA_ERROR_CODE, "%s: unmapping DMA_ERROR_CODE", who))
		return NULL;
	iova = find_iova(iovad, pfn);
	if (WARN(!iova, "%s: DMA address %#llx is not mapped (double unmap or stray handle)",
		 who, (unsigned long long)dma_addr))
		return NULL;
	if (WARN(pfn != iova->pfn_lo,
		 "%s: DMA address %#llx is inside the mapping at %#llx, not its start",
		 who, (unsigned long long)dma_addr,
		 (unsigned long long)iova_dma_addr(iovad, iova)))
		return NULL;
	return iova;
}

size_t iosim_iommu_dma_mapped_from(struct device *dev, dma_addr_t dma_addr, bool first_granule)
{
	struct iova_domain *iovad = dev ? iommu_dma_cookie_ready(iommu_get_domain_for_dev(dev)) :
					  NULL;
	unsigned long pfn;
	struct iova *iova;
	dma_addr_t end;

	if (!iovad || dma_addr == DMA_ERROR_CODE)
		return 0;
	pfn = iova_pfn(iovad, dma_addr);
	iova = find_iova(iovad, pfn);
	if (!iova || (first_granule && pfn != iova->pfn_lo))
		return 0;
	end = iommu_dma_buffer_end(iovad, iova);
	return dma_addr < end ? end - dma_addr : 0;
}

void iommu_dma_unmap_iova(struct iommu_domain *domain, struct iova_domain *iovad,
			  struct iova *iova, size_t expected_mapped)
{
	dma_addr_t start = iova_dma_addr(iovad, iova);
	size_t size = iova_size(iova) << iova_shift(iovad);
	size_t unmapped = iommu_dma_unmap_range(domain, iovad, start, size);

	/*
	 * The page tables no longer match the allocator (someone unmapped
	 * behind our back, or the caller's list was changed).  Everything in
	 * the range is unmapped now, so freeing the IOVA is safe.
	 */
	WARN(unmapped != expected_mapped,
	     "IOMMU unmapped %zu bytes at %#llx where %zu were mapped",
	     unmapped, (unsigned long long)start, expected_mapped);
	__free_iova(iovad, iova);
}
