// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Mapping a scatterlist.
 *
 * The caller's list can describe any buffer layout; the IOMMU maps whole
 * granules.  The list is laid out in one size-aligned IOVA allocation, each
 * entry in the whole granules that cover it (its "extent"), in order:
 *
 *   layout   the extents, with padding inserted before an extent that would
 *            otherwise straddle the device's segment boundary.  The padding
 *            stays unmapped, so a device that strays into it faults instead
 *            of reaching whatever memory followed the previous entry.
 *   map      one iommu_map() per run of extents that are contiguous both in
 *            the layout and physically (so the IOMMU can use block mappings).
 *   finalise the DMA segments: an entry starts a new segment unless it
 *            continues the previous one exactly in IOVA space and the merged
 *            segment respects the device's max_segment_size and boundary.
 *
 * The caller's page, offset and length are never written, so a failure
 * "restores" the list exactly by construction; between layout and finalise
 * each entry's dma_address holds its layout offset.
 *
 * Against the seed: the in-granule offset is taken from the physical
 * address, not from s->offset (the seed used the whole offset, giving wrong
 * DMA addresses for offsets of a granule or more, and it cannot work for
 * granules larger than PAGE_SIZE); DMA addresses are dma_addr_t throughout
 * (the seed kept them in unsigned int, truncating IOVAs above 4 GiB); and no
 * segment crosses the boundary when an earlier entry's length is not a
 * power of two (the case the seed's author conceded in review).
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/scatterlist.h>

#include "dma-iommu-internal.h"

/* Offset of the entry's first byte within its IOVA granule. */
static size_t sg_granule_offset(struct iova_domain *iovad, struct scatterlist *ent)
{
	return iova_offset(iovad, sg_phys(ent));
}

/* Bytes of whole granules covering the entry (0 for an empty entry). */
static size_t sg_extent(struct iova_domain *iovad, struct scatterlist *ent)
{
	if (!ent->length)
		return 0;
	return iova_align(iovad, (size_t)ent->length + sg_granule_offset(iovad, ent));
}

/* Would [@start, @start + @len) cross a boundary of @mask?  (@len > 0) */
static bool crosses_boundary(unsigned long mask, u64 start, u64 len)
{
	return (start & mask) + len - 1 > mask;
}

/*
 * Padding to insert at layout position @pos so that an extent of @extent
 * bytes does not straddle a boundary.  This relies on the allocation being
 * size-aligned: padding only happens once the layout is longer than a
 * boundary window, and then the allocation starts on a boundary, so layout
 * positions and real addresses agree modulo the window.  An extent longer
 * than a window crosses wherever it goes, so it gets no padding (it is out
 * of spec to begin with, and passes through as it is).
 */
static size_t boundary_pad(unsigned long mask, size_t pos, size_t extent)
{
	size_t window_off = pos & mask;

	if (!window_off || !extent || extent - 1 > mask)
		return 0;
	if (!crosses_boundary(mask, pos, extent))
		return 0;
	return mask - window_off + 1;
}

/* Check @nents entries exist; a shorter list would run off its end. */
static bool sg_list_holds(struct scatterlist *sg, int nents)
{
	int i;

	for (i = 0; i < nents; i++) {
		if (!sg)
			return false;
		sg = sg_next(sg);
	}
	return true;
}

/* Lay the entries out; returns the IOVA bytes needed (0: nothing to map). */
static size_t iommu_dma_sg_layout(struct iova_domain *iovad, unsigned long boundary_mask,
				  struct scatterlist *sg, int nents)
{
	struct scatterlist *ent;
	size_t iova_len = 0;
	int idx;

	for_each_sg(sg, ent, nents, idx) {
		size_t extent = sg_extent(iovad, ent);

		iova_len += boundary_pad(boundary_mask, iova_len, extent);
		sg_dma_address(ent) = iova_len;
		sg_dma_len(ent) = 0;
		iova_len += extent;
	}
	return iova_len;
}

/*
 * Map the laid-out extents at @base.  On failure returns the error with
 * *@mapped_len set to the layout bytes up to the end of the last run that
 * was mapped (the failed run itself is left unmapped by iommu_map()).
 */
static int iommu_dma_sg_map(struct iommu_domain *domain, struct iova_domain *iovad,
			    struct scatterlist *sg, int nents, dma_addr_t base,
			    int prot, size_t *mapped_len)
{
	size_t run_pos = 0, run_len = 0;
	phys_addr_t run_phys = 0;
	struct scatterlist *ent;
	int idx, ret;

	*mapped_len = 0;
	for_each_sg(sg, ent, nents, idx) {
		size_t extent = sg_extent(iovad, ent);
		size_t pos = sg_dma_address(ent);
		phys_addr_t phys = sg_phys(ent) - sg_granule_offset(iovad, ent);

		if (!extent)
			continue;
		if (run_len && run_pos + run_len == pos && run_phys + run_len == phys) {
			run_len += extent;
			continue;
		}
		if (run_len) {
			ret = iommu_map(domain, base + run_pos, run_phys, run_len, prot);
			if (ret)
				return ret;
			*mapped_len = run_pos + run_len;
		}
		run_pos = pos;
		run_phys = phys;
		run_len = extent;
	}
	if (run_len) {
		ret = iommu_map(domain, base + run_pos, run_phys, run_len, prot);
		if (ret)
			return ret;
		*mapped_len = run_pos + run_len;
	}
	return 0;
}

/*
 * Fill in the DMA segments; returns how many there are, and in @end one past
 * the last segment's last byte.
 */
static int iommu_dma_sg_finalise(struct device *dev, struct iova_domain *iovad,
				 struct scatterlist *sg, int nents, dma_addr_t base,
				 dma_addr_t *end)
{
	unsigned long boundary_mask = dma_get_seg_boundary(dev);
	unsigned int max_seg_bytes = dma_get_max_seg_size(dev);
	struct scatterlist *ent, *seg = NULL;
	dma_addr_t seg_start = 0;
	size_t seg_len = 0;
	int idx, count = 0;

	for_each_sg(sg, ent, nents, idx) {
		dma_addr_t dma = base + sg_dma_address(ent) + sg_granule_offset(iovad, ent);
		size_t len = ent->length;

		/* Every entry is cleared; the segments are written in front. */
		sg_dma_address(ent) = DMA_ERROR_CODE;
		sg_dma_len(ent) = 0;
		if (!len)
			continue;

		if (seg_len && seg_start + seg_len == dma && seg_len + len <= max_seg_bytes &&
		    !crosses_boundary(boundary_mask, seg_start, seg_len + len)) {
			seg_len += len;
			sg_dma_len(seg) = seg_len;
			continue;
		}
		/* The next output entry is at or before @ent: already read. */
		seg = seg ? sg_next(seg) : sg;
		seg_start = dma;
		seg_len = len;
		sg_dma_address(seg) = seg_start;
		sg_dma_len(seg) = seg_len;
		count++;
	}
	*end = seg_start + seg_len;
	return count;
}

/* After a failure: no entry may look mapped. */
static void iommu_dma_sg_invalidate(struct scatterlist *sg, int nents)
{
	struct scatterlist *ent;
	int idx;

	for_each_sg(sg, ent, nents, idx) {
		sg_dma_address(ent) = DMA_ERROR_CODE;
		sg_dma_len(ent) = 0;
	}
}

/**
 * iommu_dma_map_sg - map a scatterlist contiguously in IOVA space
 * @dev: device attached to an initialised DMA domain
 * @sg: the list (page, offset and length of each entry are only read)
 * @nents: entries to map (the count the caller passes to dma_map_sg())
 * @prot: IOMMU_READ/IOMMU_WRITE/IOMMU_CACHE flags
 *
 * One IOVA allocation holds the whole list.  The returned DMA segments never
 * cross dma_get_seg_boundary(dev) unless a single entry cannot fit in a
 * boundary window at its offset, never exceed dma_get_max_seg_size(dev) by
 * merging (a longer entry passes through unmerged, never split), and sit in
 * the first entries of @sg; the entries after them have dma_len 0.  Empty
 * entries map nothing.
 *
 * Context: any.
 * Return: the number of DMA segments, or 0 on failure (no domain, a list
 * shorter than @nents, nothing to map, IOVA exhaustion, IOMMU map failure),
 * in which case nothing is mapped or allocated, every entry's dma_address is
 * DMA_ERROR_CODE and dma_len 0, and page/offset/length are as they were.
 */
int iommu_dma_map_sg(struct device *dev, struct scatterlist *sg, int nents, int prot)
{
	struct iommu_domain *dom;
	struct iova_domain *iovad;
	size_t iova_len, mapped_len;
	struct iova *iova;
	dma_addr_t base;

	iovad = iommu_dma_dev_iovad(dev, &dom, "iommu_dma_map_sg");
	if (!iovad)
		return 0;
	if (WARN(!sg || nents <= 0 || !sg_list_holds(sg, nents),
		 "iommu_dma_map_sg: %d entries requested from a shorter list", nents))
		return 0;

	iova_len = iommu_dma_sg_layout(iovad, dma_get_seg_boundary(dev), sg, nents);
	if (WARN(!iova_len, "iommu_dma_map_sg: the list for %s holds no bytes", dev_name(dev)))
		goto out_invalidate_sg;

	iova = iommu_dma_alloc_iova(iovad, iova_len, dma_get_mask(dev));
	if (!iova)
		goto out_invalidate_sg;
	base = iova_dma_addr(iovad, iova);

	if (iommu_dma_sg_map(dom, iovad, sg, nents, base, prot, &mapped_len))
		goto out_unmap;

	/* As for map_page: a single handle's cache maintenance stops there. */
	return iommu_dma_sg_finalise(dev, iovad, sg, nents, base, &iova->iosim_dma_end);

out_unmap:
	iommu_dma_unmap_range(dom, iovad, base, mapped_len);
	__free_iova(iovad, iova);
out_invalidate_sg:
	iommu_dma_sg_invalidate(sg, nents);
	return 0;
}

/**
 * iommu_dma_unmap_sg - tear down a mapping made by iommu_dma_map_sg()
 * @dev: the device it was mapped for
 * @sg: the same list, with the DMA segments map_sg wrote
 * @nents: the count passed to map_sg (not the count it returned)
 * @dir: direction (unused here)
 * @attrs: attributes (unused)
 *
 * The whole IOVA allocation is unmapped and freed.  A list that is not
 * mapped (double unmap, never mapped, or DMA fields overwritten) is WARNed
 * and ignored.  If the page tables held a different amount than the DMA
 * segments describe, that is WARNed and the range is still fully unmapped.
 * Context: any.
 */
void iommu_dma_unmap_sg(struct device *dev, struct scatterlist *sg, int nents,
			enum dma_data_direction dir, struct dma_attrs *attrs)
{
	struct iommu_domain *dom;
	struct iova_domain *iovad;
	struct scatterlist *ent;
	size_t expected = 0;
	struct iova *iova;
	int i;

	iovad = iommu_dma_dev_iovad(dev, &dom, "iommu_dma_unmap_sg");
	if (!iovad)
		return;
	if (WARN(!sg || nents <= 0, "iommu_dma_unmap_sg: no list (%d entries)", nents))
		return;
	iova = iommu_dma_find_mapping(iovad, sg_dma_address(sg), "iommu_dma_unmap_sg");
	if (!iova)
		return;

	/* The granules each DMA segment covers are what map_sg mapped. */
	for (ent = sg, i = 0; ent && i < nents && sg_dma_len(ent); ent = sg_next(ent), i++) {
		dma_addr_t start = sg_dma_address(ent) & ~(dma_addr_t)iova_mask(iovad);
		dma_addr_t end = iova_align(iovad, sg_dma_address(ent) + sg_dma_len(ent));

		expected += end - start;
	}
	iommu_dma_unmap_iova(dom, iovad, iova, expected);
}
