/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/swiotlb.h - faithful names and signatures of v4.2's software IO TLB
 * (bounce buffers), backed by lib/swiotlb.  Customised: the pool is
 * allocated at iosim_swiotlb_init() from ZONE_DMA pages (not memblock at
 * boot), there is no overflow buffer (a failed map returns DMA_ERROR_CODE),
 * and misuse WARNs where the kernel would corrupt its table, BUG() or panic
 * (docs/swiotlb.md lists each case), changing nothing.  A bounce slot the
 * device cannot reach is WARNed and given back without the copy-back the
 * kernel did.  Simulation control is in <iosim/swiotlb.h>.
 */
#ifndef _IOSIM_LINUX_SWIOTLB_H
#define _IOSIM_LINUX_SWIOTLB_H

#include <linux/types.h>
#include <linux/dma-direction.h>

struct device;
struct dma_attrs;
struct page;
struct scatterlist;

/* Bounce every streaming mapping, reachable or not (the "swiotlb=force" option). */
extern int swiotlb_force;

/* Maximum slots one mapping may take: mappings never cross a segment. */
#define IO_TLB_SEGSIZE	128

/* log2 of the slot size: 1 << IO_TLB_SHIFT bytes per slot. */
#define IO_TLB_SHIFT	11
/* Not 2015 API (added in 2021): a convenience for our code and tests. */
#define IO_TLB_SIZE	(1 << IO_TLB_SHIFT)

/**
 * swiotlb_init - set up the bounce pool (iosim_swiotlb_init(); errors logged)
 * @verbose: print the pool's placement (swiotlb_print_info()) on success
 *
 * Context: process context.
 */
void swiotlb_init(int verbose);

/** swiotlb_nr_tbl - slots in the pool (0 without one). Context: any. */
unsigned long swiotlb_nr_tbl(void);

/** swiotlb_size_or_default - the pool's bytes, or the configured size without one. */
unsigned long swiotlb_size_or_default(void);

/** swiotlb_free - release the pool (iosim_swiotlb_exit()). Context: process context. */
void swiotlb_free(void);

/** swiotlb_print_info - log the pool's placement and size. Context: any. */
void swiotlb_print_info(void);

enum dma_sync_target {
	SYNC_FOR_CPU = 0,
	SYNC_FOR_DEVICE = 1,
};

/**
 * swiotlb_tbl_map_single - take slots for @size bytes and fill them from @phys
 * @hwdev: the device (its segment boundary limits placement; NULL: 4 GiB)
 * @tbl_dma_addr: the device's address of the pool's start
 * @phys: the original buffer
 * @size: bytes (at most IO_TLB_SEGSIZE slots)
 * @dir: DMA_TO_DEVICE/DMA_BIDIRECTIONAL copy @phys into the slots
 *
 * Mappings of more than a page are page aligned; smaller ones, and one of
 * exactly PAGE_SIZE (2015's rule), may start on any slot.
 *
 * Context: any; takes the pool lock.
 * Return: the bounce buffer's physical address; SWIOTLB_MAP_ERROR (nothing
 * taken) if the pool is full or @size too large ("swiotlb buffer is full"
 * logged), absent (WARN: the kernel panicked), @size is 0 or the device's
 * segment boundary mask is not 2^n - 1 (BUG records: the kernel's BUG_ONs).
 */
phys_addr_t swiotlb_tbl_map_single(struct device *hwdev, dma_addr_t tbl_dma_addr,
				   phys_addr_t phys, size_t size, enum dma_data_direction dir);
#define SWIOTLB_MAP_ERROR	(~(phys_addr_t)0x0)

/**
 * swiotlb_tbl_unmap_single - copy back (DMA_FROM_DEVICE/BIDIRECTIONAL) and free slots
 * @hwdev: the device
 * @tlb_addr: what swiotlb_tbl_map_single() returned
 * @size: the mapped size
 * @dir: the mapping's direction
 *
 * Context: any; takes the pool lock.
 * Return: nothing; an address that is not the start of a mapping, or a
 * size overrunning it, WARNs and changes nothing.
 */
void swiotlb_tbl_unmap_single(struct device *hwdev, phys_addr_t tlb_addr, size_t size,
			      enum dma_data_direction dir);

/**
 * swiotlb_tbl_sync_single - copy between a bounce buffer and its original
 * @hwdev: the device
 * @tlb_addr: an address inside a mapping
 * @size: bytes from @tlb_addr
 * @dir: the mapping's direction
 * @target: SYNC_FOR_CPU copies back for FROM_DEVICE/BIDIRECTIONAL;
 *	SYNC_FOR_DEVICE copies out for TO_DEVICE/BIDIRECTIONAL
 *
 * Context: any.
 * Return: nothing; a range outside any mapping WARNs and copies nothing; a
 * direction that is not valid for @target (the kernel's BUG_ONs) is a BUG
 * record, nothing copied.
 */
void swiotlb_tbl_sync_single(struct device *hwdev, phys_addr_t tlb_addr, size_t size,
			     enum dma_data_direction dir, enum dma_sync_target target);

/**
 * swiotlb_alloc_coherent - a zeroed coherent buffer the device can reach
 * @hwdev: the device (its coherent mask; 32 bits without one)
 * @size: bytes
 * @dma_handle: receives the device address
 * @flags: GFP flags (GFP_DMA for ZONE_DMA)
 *
 * Pages first; if they are beyond the mask, slots of the bounce pool.
 *
 * Context: as the page allocator with @flags (a page allocation failure is
 * logged unless they have __GFP_NOWARN, as the kernel's).
 * Return: the linear-map address, or NULL ("coherent allocation failed"
 * logged) with nothing allocated.
 */
void *swiotlb_alloc_coherent(struct device *hwdev, size_t size, dma_addr_t *dma_handle,
			     gfp_t flags);

/**
 * swiotlb_free_coherent - free a buffer from swiotlb_alloc_coherent()
 * @hwdev, @size, @vaddr, @dma_handle: as allocated
 *
 * Context: interrupts enabled: WARN_ON(irqs_disabled()) as the kernel's (the
 * buffer is still freed).
 */
void swiotlb_free_coherent(struct device *hwdev, size_t size, void *vaddr,
			   dma_addr_t dma_handle);

/**
 * swiotlb_map_page - map for streaming DMA, bouncing what @dev cannot reach
 * @dev: the device
 * @page: the buffer's page
 * @offset: offset into it
 * @size: bytes
 * @dir: direction
 * @attrs: unused
 *
 * Context: any.
 * Return: the physical address as the device's when reachable and
 * !swiotlb_force; else a bounce buffer's; DMA_ERROR_CODE if the pool is
 * full ("swiotlb buffer is full" and swiotlb_full()'s "DMA: Out of SW-IOMMU
 * space" logged; over 32 KiB also its panic text as a WARN), the bounce
 * buffer is unreachable (WARN), or @dir is not valid (BUG record).
 */
dma_addr_t swiotlb_map_page(struct device *dev, struct page *page, unsigned long offset,
			    size_t size, enum dma_data_direction dir, struct dma_attrs *attrs);

/**
 * swiotlb_unmap_page - copy back and free a bounce buffer; nothing for a direct mapping
 * @hwdev, @dev_addr, @size, @dir, @attrs: as mapped
 *
 * Context: any.
 */
void swiotlb_unmap_page(struct device *hwdev, dma_addr_t dev_addr, size_t size,
			enum dma_data_direction dir, struct dma_attrs *attrs);

/**
 * swiotlb_map_sg_attrs - map each entry as swiotlb_map_page() does
 * @hwdev, @sgl, @nelems, @dir, @attrs: as dma_map_sg_attrs()
 *
 * Context: any.
 * Return: @nelems; 0 if an entry could not be bounced ("DMA: Out of
 * SW-IOMMU space" logged, everything mapped so far undone,
 * sg_dma_len(@sgl) = 0) or @dir is not valid (BUG record).
 */
int swiotlb_map_sg_attrs(struct device *hwdev, struct scatterlist *sgl, int nelems,
			 enum dma_data_direction dir, struct dma_attrs *attrs);

/** swiotlb_unmap_sg_attrs - swiotlb_unmap_page() of each of @nelems entries. Context: any. */
void swiotlb_unmap_sg_attrs(struct device *hwdev, struct scatterlist *sgl, int nelems,
			    enum dma_data_direction dir, struct dma_attrs *attrs);

/** swiotlb_map_sg - swiotlb_map_sg_attrs() without attributes. Context: any. */
int swiotlb_map_sg(struct device *hwdev, struct scatterlist *sg, int nents,
		   enum dma_data_direction dir);

/** swiotlb_unmap_sg - swiotlb_unmap_sg_attrs() without attributes. Context: any. */
void swiotlb_unmap_sg(struct device *hwdev, struct scatterlist *sg, int nents,
		      enum dma_data_direction dir);

/** swiotlb_sync_single_for_cpu - copy a bounce buffer back (FROM_DEVICE/BIDIR). Context: any. */
void swiotlb_sync_single_for_cpu(struct device *hwdev, dma_addr_t dev_addr, size_t size,
				 enum dma_data_direction dir);

/** swiotlb_sync_single_for_device - refill a bounce buffer (TO_DEVICE/BIDIR). Context: any. */
void swiotlb_sync_single_for_device(struct device *hwdev, dma_addr_t dev_addr, size_t size,
				    enum dma_data_direction dir);

/** swiotlb_sync_sg_for_cpu - swiotlb_sync_single_for_cpu() of each entry. Context: any. */
void swiotlb_sync_sg_for_cpu(struct device *hwdev, struct scatterlist *sg, int nelems,
			     enum dma_data_direction dir);

/** swiotlb_sync_sg_for_device - swiotlb_sync_single_for_device() of each entry. Context: any. */
void swiotlb_sync_sg_for_device(struct device *hwdev, struct scatterlist *sg, int nelems,
				enum dma_data_direction dir);

/** swiotlb_dma_mapping_error - 1 if @dma_addr is DMA_ERROR_CODE. Context: any. */
int swiotlb_dma_mapping_error(struct device *hwdev, dma_addr_t dma_addr);

/**
 * swiotlb_dma_supported - can @mask reach the end of the bounce pool?
 * Context: any.  Return: 1 or 0 (0 without a pool).
 */
int swiotlb_dma_supported(struct device *hwdev, u64 mask);

/** is_swiotlb_buffer - 1 if @paddr lies in the bounce pool. Context: any. */
int is_swiotlb_buffer(phys_addr_t paddr);

#endif /* _IOSIM_LINUX_SWIOTLB_H */
