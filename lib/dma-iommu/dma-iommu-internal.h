/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Private helpers shared by the files of lib/dma-iommu.  Hidden from the
 * static library's exported interface.
 */
#ifndef _DMA_IOMMU_INTERNAL_H
#define _DMA_IOMMU_INTERNAL_H

#include <linux/dma-iommu.h>
#include <linux/iova.h>

#define __dma_iommu_hidden	__attribute__((__visibility__("hidden")))

/**
 * iommu_dma_cookie_ready - the domain's IOVA domain once initialised, or NULL
 * @domain: an IOMMU domain (may be NULL)
 *
 * A DMA domain is usable once iommu_get_dma_cookie() gave it an iova_domain
 * and iommu_dma_init_domain() initialised that (a non-zero granule).
 */
static inline struct iova_domain *iommu_dma_cookie_ready(struct iommu_domain *domain)
{
	struct iova_domain *iovad = domain ? domain->dma_api_cookie : NULL;

	return iovad && iovad->granule ? iovad : NULL;
}

/* Look up @dev's DMA domain and its IOVA domain; WARN (naming @who) if unusable. */
__dma_iommu_hidden
struct iova_domain *iommu_dma_dev_iovad(struct device *dev, struct iommu_domain **domain,
					const char *who);

/* Allocate size-aligned IOVA for @size bytes below @dma_limit and the domain's end. */
__dma_iommu_hidden
struct iova *iommu_dma_alloc_iova(struct iova_domain *iovad, size_t size, u64 dma_limit);

/*
 * Unmap every mapping in [@iova, @iova + @size), stepping over holes one
 * granule at a time (iommu_unmap() stops at the first hole).  Returns the
 * bytes actually unmapped.
 */
__dma_iommu_hidden
size_t iommu_dma_unmap_range(struct iommu_domain *domain, struct iova_domain *iovad,
			     dma_addr_t iova, size_t size);

/*
 * Find the IOVA allocation whose first granule holds @dma_addr.  A handle
 * that is not mapped, or lies inside an allocation but not in its first
 * granule, WARNs (naming @who) and returns NULL.
 */
__dma_iommu_hidden
struct iova *iommu_dma_find_mapping(struct iova_domain *iovad, dma_addr_t dma_addr,
				    const char *who);

/*
 * One past the last byte of the caller's buffer mapped in @iova, as the
 * device addresses it: the end map_page or map_sg recorded
 * (iova->iosim_dma_end), else the allocation's end (iommu_dma_alloc()'s
 * buffer is its whole pages).
 */
static inline dma_addr_t iommu_dma_buffer_end(struct iova_domain *iovad, struct iova *iova)
{
	if (iova->iosim_dma_end)
		return iova->iosim_dma_end;
	return iova_dma_addr(iovad, iova) + (iova_size(iova) << iova_shift(iovad));
}

/* Unmap and free a whole single-range mapping; WARNs if the tables disagree. */
__dma_iommu_hidden
void iommu_dma_unmap_iova(struct iommu_domain *domain, struct iova_domain *iovad,
			  struct iova *iova, size_t expected_mapped);

#endif /* _DMA_IOMMU_INTERNAL_H */
