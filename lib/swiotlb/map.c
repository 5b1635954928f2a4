// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * swiotlb's DMA-API entry points (v4.2's names and semantics, our code):
 * streaming mappings that go straight to the device when it can reach the
 * buffer (and swiotlb_force is off) and through bounce slots otherwise,
 * their syncs, scatterlists, and coherent allocations that fall back to
 * the pool when ordinary pages are out of the device's reach.
 *
 * Deviations: the kernel returned its overflow buffer's address for a full
 * pool; we return DMA_ERROR_CODE (what swiotlb_dma_mapping_error() tests).
 * Where the kernel BUG()s (DMA_NONE) or panics (swiotlb_full() of more than
 * 32 KiB) we WARN and fail the call with nothing changed.  A bounce buffer
 * the device cannot reach is WARNed and given back without a copy (the
 * kernel copied the slot's stale contents back into the caller's buffer).
 */
#include "swiotlb-internal.h"

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <iosim/ram.h>

/* The kernel's io_tlb_overflow: beyond this, running out of slots was fatal. */
#define IO_TLB_OVERFLOW		(32 * 1024)

/*
 * Bounce @size bytes at @phys for @hwdev; SWIOTLB_MAP_ERROR if it could not
 * be done, with *@full true when the pool had no room (false when the
 * request was refused: no pool, zero size, bad segment boundary).
 */
static phys_addr_t map_single(struct device *hwdev, phys_addr_t phys, size_t size,
			      enum dma_data_direction direction, bool *full)
{
	dma_addr_t start_dma_addr = phys_to_dma(hwdev, iosim_swiotlb_pool_phys());

	return iosim_swiotlb_tbl_map(hwdev, start_dma_addr, phys, size, direction, full);
}

/*
 * swiotlb_full - the kernel's report of a bounce that found no room: always
 * the "Out of SW-IOMMU space" line; with @do_panic and more than 32 KiB the
 * kernel panicked (the driver would DMA to random memory), we WARN with its
 * text and the caller fails the map cleanly.
 */
static void swiotlb_full(struct device *dev, size_t size, enum dma_data_direction dir,
			 int do_panic)
{
	pr_err("DMA: Out of SW-IOMMU space for %zu bytes at device %s\n", size,
	       dev ? dev_name(dev) : "?");
	if (size <= IO_TLB_OVERFLOW || !do_panic)
		return;
	WARN(dir == DMA_BIDIRECTIONAL, "DMA: Random memory could be DMA accessed\n");
	WARN(dir == DMA_FROM_DEVICE, "DMA: Random memory could be DMA written\n");
	WARN(dir == DMA_TO_DEVICE, "DMA: Random memory could be DMA read\n");
}

/* The kernel's BUG_ON(dir == DMA_NONE), for any direction that is not valid. */
static bool bad_direction(struct device *dev, enum dma_data_direction dir, const char *what)
{
	return SWIOTLB_BUG(!valid_dma_direction(dir), "%s: device %s: invalid direction %d",
			   what, dev_name(dev), dir);
}

static void count_direct(void)
{
	spin_lock(&io_tlb_lock);
	io_tlb.stats.direct_maps++;
	spin_unlock(&io_tlb_lock);
}

void *swiotlb_alloc_coherent(struct device *hwdev, size_t size, dma_addr_t *dma_handle,
			     gfp_t flags)
{
	u64 dma_mask = hwdev && hwdev->coherent_dma_mask ? hwdev->coherent_dma_mask :
			DMA_BIT_MASK(32);
	dma_addr_t handle_in = 0;
	phys_addr_t paddr;
	bool full;
	void *ret;

	if (!size)
		return NULL;
	/*
	 * Independent pages (not one block) so that each can be mapped to user
	 * space.  The caller's flags as the kernel's __get_free_pages(flags):
	 * a failure logs "page allocation failure" unless they have
	 * __GFP_NOWARN, even when the pool below rescues the allocation.
	 */
	ret = alloc_pages_exact(size, flags);
	if (ret) {
		handle_in = phys_to_dma(hwdev, virt_to_phys(ret));
		if (handle_in + size - 1 > dma_mask) {
			free_pages_exact(ret, size);
			ret = NULL;
		}
	}
	if (!ret) {
		/* The pool is the last resort; no copies (DMA_FROM_DEVICE, no original). */
		paddr = map_single(hwdev, 0, size, DMA_FROM_DEVICE, &full);
		if (paddr == SWIOTLB_MAP_ERROR)
			goto err_warn;
		ret = phys_to_virt(paddr);
		handle_in = phys_to_dma(hwdev, paddr);
		if (handle_in + size - 1 > dma_mask) {
			pr_warn("hwdev DMA mask = %#018llx, dev_addr = %#018llx\n",
				(unsigned long long)dma_mask, (unsigned long long)handle_in);
			swiotlb_tbl_unmap_single(hwdev, paddr, size, DMA_TO_DEVICE);
			goto err_warn;
		}
	}
	*dma_handle = handle_in;
	memset(ret, 0, size);
	return ret;

err_warn:
	/* The kernel follows this with dump_stack(); the simulation has no stack to dump. */
	pr_warn("swiotlb: coherent allocation failed for device %s size=%zu\n",
		dev_name(hwdev), size);
	return NULL;
}

void swiotlb_free_coherent(struct device *hwdev, size_t size, void *vaddr,
			   dma_addr_t dma_handle)
{
	phys_addr_t paddr = dma_to_phys(hwdev, dma_handle);

	/* As the kernel: reported, and the buffer is still freed. */
	WARN_ON(irqs_disabled());
	if (!vaddr)
		return;
	if (is_swiotlb_buffer(paddr))
		swiotlb_tbl_unmap_single(hwdev, paddr, size, DMA_TO_DEVICE);
	else
		free_pages_exact(vaddr, size);
}

dma_addr_t swiotlb_map_page(struct device *dev, struct page *page, unsigned long offset,
			    size_t size, enum dma_data_direction direction, struct dma_attrs *attrs)
{
	phys_addr_t map, phys = page_to_phys(page) + offset;
	dma_addr_t handle_in = phys_to_dma(dev, phys);
	bool full;

	if (bad_direction(dev, direction, "swiotlb_map_page"))
		return DMA_ERROR_CODE;
	if (dma_capable(dev, handle_in, size) && !swiotlb_force) {
		count_direct();
		return handle_in;
	}
	map = map_single(dev, phys, size, direction, &full);
	if (map == SWIOTLB_MAP_ERROR) {
		if (full)
			swiotlb_full(dev, size, direction, 1);
		return DMA_ERROR_CODE;
	}
	handle_in = phys_to_dma(dev, map);
	if (!dma_capable(dev, handle_in, size)) {
		/*
		 * The pool itself is out of reach.  The kernel gave the slots
		 * back in the caller's direction, copying their stale contents
		 * over the caller's buffer, silently: we WARN and copy nothing.
		 */
		WARN(1, "swiotlb_map_page: device %s: bounce buffer %#llx is beyond the DMA mask %#llx",
		     dev_name(dev), (unsigned long long)handle_in,
		     dev && dev->dma_mask ? (unsigned long long)*dev->dma_mask : 0ULL);
		swiotlb_tbl_unmap_single(dev, map, size, DMA_TO_DEVICE);
		return DMA_ERROR_CODE;
	}
	return handle_in;
}

/* Unmap one buffer: bounce work only for an address in the pool. */
static void unmap_single(struct device *hwdev, dma_addr_t handle_in, size_t size,
			 enum dma_data_direction direction)
{
	phys_addr_t paddr = dma_to_phys(hwdev, handle_in);

	if (bad_direction(hwdev, direction, "swiotlb_unmap_page"))
		return;
	if (is_swiotlb_buffer(paddr))
		swiotlb_tbl_unmap_single(hwdev, paddr, size, direction);
}

void swiotlb_unmap_page(struct device *hwdev, dma_addr_t handle_in, size_t size,
			enum dma_data_direction direction, struct dma_attrs *attrs)
{
	unmap_single(hwdev, handle_in, size, direction);
}

static void sync_single(struct device *hwdev, dma_addr_t handle_in, size_t size,
			enum dma_data_direction direction, enum dma_sync_target target)
{
	phys_addr_t paddr = dma_to_phys(hwdev, handle_in);

	if (bad_direction(hwdev, direction, "swiotlb_sync_single"))
		return;
	if (is_swiotlb_buffer(paddr))
		swiotlb_tbl_sync_single(hwdev, paddr, size, direction, target);
}

void swiotlb_sync_single_for_cpu(struct device *hwdev, dma_addr_t handle_in, size_t size,
				 enum dma_data_direction direction)
{
	sync_single(hwdev, handle_in, size, direction, SYNC_FOR_CPU);
}

void swiotlb_sync_single_for_device(struct device *hwdev, dma_addr_t handle_in, size_t size,
				    enum dma_data_direction direction)
{
	sync_single(hwdev, handle_in, size, direction, SYNC_FOR_DEVICE);
}

int swiotlb_map_sg_attrs(struct device *hwdev, struct scatterlist *list, int nents,
			 enum dma_data_direction direction, struct dma_attrs *attrs)
{
	struct scatterlist *sg;
	bool full;
	int i;

	if (bad_direction(hwdev, direction, "swiotlb_map_sg_attrs"))
		return 0;
	for_each_sg(list, sg, nents, i) {
		phys_addr_t paddr = sg_phys(sg);
		dma_addr_t handle_in = phys_to_dma(hwdev, paddr);

		if (swiotlb_force || !dma_capable(hwdev, handle_in, sg->length)) {
			phys_addr_t map = map_single(hwdev, paddr, sg->length, direction, &full);

			if (map == SWIOTLB_MAP_ERROR) {
				/* No panic: map_sg callers are expected to handle errors. */
				if (full)
					swiotlb_full(hwdev, sg->length, direction, 0);
				/* Undo what was mapped so far; the caller sees 0 entries. */
				swiotlb_unmap_sg_attrs(hwdev, list, i, direction, attrs);
				sg_dma_len(list) = 0;
				return 0;
			}
			sg->dma_address = phys_to_dma(hwdev, map);
		} else {
			count_direct();
			sg->dma_address = handle_in;
		}
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

void swiotlb_unmap_sg_attrs(struct device *hwdev, struct scatterlist *list, int nents,
			    enum dma_data_direction direction, struct dma_attrs *attrs)
{
	struct scatterlist *sg;
	int i;

	if (bad_direction(hwdev, direction, "swiotlb_unmap_sg_attrs"))
		return;
	for_each_sg(list, sg, nents, i)
		unmap_single(hwdev, sg->dma_address, sg_dma_len(sg), direction);
}

int swiotlb_map_sg(struct device *hwdev, struct scatterlist *sg, int nents,
		   enum dma_data_direction direction)
{
	return swiotlb_map_sg_attrs(hwdev, sg, nents, direction, NULL);
}

void swiotlb_unmap_sg(struct device *hwdev, struct scatterlist *sg, int nents,
		      enum dma_data_direction direction)
{
	swiotlb_unmap_sg_attrs(hwdev, sg, nents, direction, NULL);
}

static void sync_sg(struct device *hwdev, struct scatterlist *list, int nents,
		    enum dma_data_direction direction, enum dma_sync_target target)
{
	struct scatterlist *sg;
	int i;

	if (bad_direction(hwdev, direction, "swiotlb_sync_sg"))
		return;
	for_each_sg(list, sg, nents, i)
		sync_single(hwdev, sg->dma_address, sg_dma_len(sg), direction, target);
}

void swiotlb_sync_sg_for_cpu(struct device *hwdev, struct scatterlist *sg, int nents,
			     enum dma_data_direction direction)
{
	sync_sg(hwdev, sg, nents, direction, SYNC_FOR_CPU);
}

void swiotlb_sync_sg_for_device(struct device *hwdev, struct scatterlist *sg, int nents,
				enum dma_data_direction direction)
{
	sync_sg(hwdev, sg, nents, direction, SYNC_FOR_DEVICE);
}

int swiotlb_dma_mapping_error(struct device *hwdev, dma_addr_t handle)
{
	return handle == DMA_ERROR_CODE;
}

int swiotlb_dma_supported(struct device *hwdev, u64 mask)
{
	if (!iosim_swiotlb_ready())
		return 0;
	return phys_to_dma(hwdev, io_tlb.end - 1) <= mask;
}
