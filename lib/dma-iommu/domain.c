// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DMA domains: the cookie (an IOVA domain hung off an IOMMU domain), its
 * initialisation from the device's DMA range and the IOMMU's capabilities,
 * and the small DMA-API helpers.
 */
#include <linux/device.h>
#include <linux/dma-iommu.h>
#include <linux/iommu.h>
#include <linux/iova.h>

#include "dma-iommu-internal.h"

/**
 * iommu_dma_init - take a reference on the IOVA cache the glue allocates from
 *
 * Context: process context, once before the first DMA domain is used.
 * Return: 0, or -ENOMEM if the cache could not be created.  Balance it with
 * iova_cache_put() when the simulation is torn down.
 */
int iommu_dma_init(void)
{
	return iova_cache_get();
}

/**
 * iommu_get_dma_cookie - give a domain the IOVA allocator DMA-API use needs
 * @dom: IOMMU domain to prepare for DMA-API use
 *
 * IOMMU drivers call this from domain_alloc for IOMMU_DOMAIN_DMA domains.
 * Context: may sleep.
 * Return: 0; -EEXIST if @dom already has a cookie (left as it was);
 * -ENOMEM if allocation failed (no cookie installed); -EINVAL for NULL.
 */
int iommu_get_dma_cookie(struct iommu_domain *dom)
{
	struct iova_domain *cookie;

	if (WARN(!dom, "iommu_get_dma_cookie: NULL domain"))
		return -EINVAL;
	if (dom->dma_api_cookie)
		return -EEXIST;

	/* Zeroed: granule 0 marks the IOVA space as not initialised yet. */
	cookie = kzalloc(sizeof(*cookie), GFP_KERNEL);
	if (!cookie)
		return -ENOMEM;
	dom->dma_api_cookie = cookie;
	return 0;
}

/**
 * iommu_put_dma_cookie - release a domain's DMA-API resources
 * @dom: IOMMU domain prepared by iommu_get_dma_cookie() (or not: then
 *	this does nothing)
 *
 * Frees every IOVA range still allocated; mappings still present in the
 * page tables are the caller's to tear down first.
 * Context: may sleep.
 */
void iommu_put_dma_cookie(struct iommu_domain *dom)
{
	struct iova_domain *cookie = dom ? dom->dma_api_cookie : NULL;

	if (!cookie)
		return;
	if (cookie->granule)
		put_iova_domain(cookie);
	dom->dma_api_cookie = NULL;
	kfree(cookie);
}

/**
 * iommu_dma_init_domain - set up a DMA domain's IOVA space
 * @dom: IOMMU domain prepared by iommu_get_dma_cookie()
 * @base: first IOVA the device may use
 * @size: bytes of IOVA space from @base (clamped at the top of the 64-bit space)
 *
 * The IOVA granule is the IOMMU's smallest page size; @base and @size are
 * taken in whole granules (a partial granule at either end counts, as in the
 * kernel, so pass granule multiples).  IOVA 0 is never handed out, so a NULL DMA address never looks valid.  With
 * geometry.force_aperture the range is clamped to the aperture.  An already
 * initialised domain may only be re-initialised with the same granule and
 * base; its end may grow (the new end replaces the old), never shrink.
 *
 * Context: may sleep.
 * Return: 0; -ENODEV without a cookie or without IOMMU page sizes; -EINVAL if
 * @size is 0; -EFAULT if the range misses the aperture, holds no usable
 * granule, or is incompatible with the existing initialisation.  On error the
 * domain is unchanged.
 */
int iommu_dma_init_domain(struct iommu_domain *dom, dma_addr_t base, u64 size)
{
	struct iova_domain *iovad = dom ? dom->dma_api_cookie : NULL;
	const struct iommu_domain_geometry *geo;
	unsigned long granule_shift, first_pfn, last_pfn;
	dma_addr_t first, last;

	if (!iovad)
		return -ENODEV;
	if (WARN(!dom->ops || !dom->ops->pgsize_bitmap,
		 "iommu_dma_init_domain: domain has no IOMMU page sizes"))
		return -ENODEV;
	if (!size)
		return -EINVAL;

	/* The byte range [first, last], saturating at the top of the space. */
	first = base;
	last = size - 1 > ~(dma_addr_t)0 - base ? ~(dma_addr_t)0 : base + (size - 1);

	geo = &dom->geometry;
	if (geo->force_aperture) {
		if (last < geo->aperture_start || first > geo->aperture_end) {
			pr_warn("DMA range [%#llx, %#llx] does not meet the IOMMU aperture [%#llx, %#llx]\n",
				(unsigned long long)base, (unsigned long long)last,
				(unsigned long long)geo->aperture_start,
				(unsigned long long)geo->aperture_end);
			return -EFAULT;
		}
		first = max_t(dma_addr_t, first, geo->aperture_start);
		last = min_t(dma_addr_t, last, geo->aperture_end);
	}

	/* Whole granules; pfn 0 stays out so that no valid handle is 0. */
	granule_shift = __ffs(dom->ops->pgsize_bitmap);
	first_pfn = first >> granule_shift;
	if (!first_pfn)
		first_pfn = 1;
	last_pfn = last >> granule_shift;
	if (first_pfn > last_pfn) {
		pr_warn("DMA range [%#llx, %#llx] holds no usable IOVA granule\n",
			(unsigned long long)base, (unsigned long long)last);
		return -EFAULT;
	}

	if (!iovad->granule) {
		init_iova_domain(iovad, 1UL << granule_shift, first_pfn, last_pfn);
		return iovad->granule ? 0 : -EINVAL;
	}

	/* Already set up: same granule and start; the end may only grow. */
	if (iova_shift(iovad) != granule_shift || iovad->start_pfn != first_pfn ||
	    last_pfn < iovad->dma_32bit_pfn) {
		pr_warn("DMA domain already covers pfns [%#lx, %#lx] with %lu-byte granules: cannot become [%#lx, %#lx] with %lu-byte granules\n",
			iovad->start_pfn, iovad->dma_32bit_pfn, iovad->granule,
			first_pfn, last_pfn, 1UL << granule_shift);
		return -EFAULT;
	}
	iovad->dma_32bit_pfn = last_pfn;
	return 0;
}

/**
 * dma_direction_to_prot - IOMMU page flags for a DMA direction
 * @dir: direction of the transfer
 * @coherent: is the master cache-coherent (IOMMU_CACHE)?
 *
 * Return: IOMMU_READ for DMA_TO_DEVICE (the device reads memory),
 * IOMMU_WRITE for DMA_FROM_DEVICE, both for DMA_BIDIRECTIONAL, plus
 * IOMMU_CACHE if @coherent; 0 for DMA_NONE or an invalid direction.
 */
int dma_direction_to_prot(enum dma_data_direction dir, bool coherent)
{
	int access;

	switch (dir) {
	case DMA_TO_DEVICE:		/* the device only reads memory */
		access = IOMMU_READ;
		break;
	case DMA_FROM_DEVICE:		/* the device only writes it */
		access = IOMMU_WRITE;
		break;
	case DMA_BIDIRECTIONAL:
		access = IOMMU_READ | IOMMU_WRITE;
		break;
	default:			/* DMA_NONE or garbage: no access at all */
		return 0;
	}
	return coherent ? access | IOMMU_CACHE : access;
}

/**
 * iommu_dma_supported - can the device's DMA domain serve @mask?
 * @dev: the device
 * @mask: a DMA mask the driver wants to set
 *
 * Return: 1 if @mask reaches at least the first usable IOVA of the device's
 * DMA domain, or if the device has no initialised DMA domain yet; 0 if every
 * IOVA the domain can hand out lies above @mask.
 */
int iommu_dma_supported(struct device *dev, u64 mask)
{
	struct iova_domain *iovad;

	if (!dev)
		return 1;
	iovad = iommu_dma_cookie_ready(iommu_get_domain_for_dev(dev));
	if (!iovad)
		return 1;
	return ((u64)iovad->start_pfn << iova_shift(iovad)) <= mask;
}

/**
 * iommu_dma_mapping_error - did a map call of this glue fail?
 * @dev: the device (unused)
 * @bus_addr: a handle from iommu_dma_map_page()
 *
 * Return: non-zero if @bus_addr is DMA_ERROR_CODE.
 */
int iommu_dma_mapping_error(struct device *dev, dma_addr_t bus_addr)
{
	return unlikely(bus_addr == DMA_ERROR_CODE) ? 1 : 0;
}
