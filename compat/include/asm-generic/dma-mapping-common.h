/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * asm-generic/dma-mapping-common.h - the kernel's inline DMA API of 2015
 * over struct dma_map_ops, with its debug_dma_*() hooks in the same places.
 * Customised, never silently:
 *  - where the kernel BUG()s (an invalid direction, a negative map_sg
 *    result) or would dereference NULL (no ops, no callback, a NULL page or
 *    device where the ops need one), the call WARNs and fails: map calls
 *    return DMA_ERROR_CODE (or 0 entries), the others do nothing;
 *  - every call makes @dev the cache model's current device
 *    (iosim_cache_context(), <iosim/cache.h>) so that cache maintenance done
 *    by the ops is counted against it;
 *  - a macro around each entry point records the caller's file:line for the
 *    debug hooks (iosim_dma_debug_site(), <linux/dma-debug.h>), where the
 *    kernel passes __builtin_return_address(0).  The functions keep their
 *    kernel names and signatures; their addresses can still be taken.
 */
#ifndef _IOSIM_LINUX_DMA_MAPPING_H
/* Included on its own: it needs <linux/dma-mapping.h>'s types, which include it. */
#include <linux/dma-mapping.h>
#elif !defined(_IOSIM_ASM_GENERIC_DMA_MAPPING_COMMON_H)
#define _IOSIM_ASM_GENERIC_DMA_MAPPING_COMMON_H

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/dma-debug.h>
#include <linux/dma-attrs.h>
#include <linux/dma-direction.h>
#include <iosim/cache.h>

struct vm_area_struct;
struct sg_table;

/*
 * __iosim_dma_ops_ok - @ops exists and @has_cb (it has the callback the
 * call needs), and @dir is valid; else WARN naming @what and the device.
 */
static inline bool __iosim_dma_ops_ok(struct device *dev, struct dma_map_ops *ops,
				      bool has_cb, int dir, const char *what)
{
	if (WARN(!ops || !has_cb, "%s: device %s has no DMA ops for it", what, dev_name(dev)))
		return false;
	if (WARN(!valid_dma_direction(dir), "%s: device %s: invalid direction %d",
		 what, dev_name(dev), dir))
		return false;
	return true;
}

/**
 * dma_map_single_attrs - map a linear-map buffer for streaming DMA
 * @dev: the device
 * @ptr: CPU address in the linear map (lowmem, kmalloc); a vmalloc or
 *	stack address is not DMA-able (DMA-API debug reports it)
 * @size: bytes
 * @dir: DMA_TO_DEVICE, DMA_FROM_DEVICE or DMA_BIDIRECTIONAL
 * @attrs: DMA_ATTR_* or NULL
 *
 * Context: any.
 * Return: the device address, or the ops' error value (test it with
 * dma_mapping_error()); DMA_ERROR_CODE with a WARN for misuse.
 */
static inline dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
					      enum dma_data_direction dir,
					      struct dma_attrs *attrs)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct page *page;
	struct device *prev;
	dma_addr_t addr;

	if (!__iosim_dma_ops_ok(dev, ops, ops && ops->map_page, dir,
				"dma_map_single"))
		return DMA_ERROR_CODE;
	/* Not DMA-able memory (stack, vmalloc, not RAM): DMA-API debug reports it. */
	if (!iosim_dma_debug_map_single(dev, ptr, size))
		return DMA_ERROR_CODE;
	page = virt_to_page(ptr);
	if (WARN(!page, "dma_map_single: device %s: %p is not a linear-map address",
		 dev_name(dev), ptr))
		return DMA_ERROR_CODE;
	prev = iosim_cache_context(dev);
	addr = ops->map_page(dev, page, offset_in_page(ptr), size, dir, attrs);
	iosim_cache_context(prev);
	debug_dma_map_page(dev, page, offset_in_page(ptr), size, dir, addr, true);
	return addr;
}

/**
 * dma_unmap_single_attrs - undo dma_map_single_attrs()
 * @dev, @addr, @size, @dir, @attrs: as mapped (@addr as returned)
 *
 * Context: any.
 */
static inline void dma_unmap_single_attrs(struct device *dev, dma_addr_t addr, size_t size,
					  enum dma_data_direction dir,
					  struct dma_attrs *attrs)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;

	if (!__iosim_dma_ops_ok(dev, ops, ops != NULL, dir, "dma_unmap_single"))
		return;
	if (ops->unmap_page) {
		prev = iosim_cache_context(dev);
		ops->unmap_page(dev, addr, size, dir, attrs);
		iosim_cache_context(prev);
	}
	debug_dma_unmap_page(dev, addr, size, dir, true);
}

/**
 * dma_map_sg_attrs - map a scatterlist for streaming DMA
 * @dev: the device
 * @sg: the list
 * @nents: its number of entries
 * @dir: direction
 * @attrs: DMA_ATTR_* or NULL
 *
 * Context: any.
 * Return: the number of DMA segments (1..@nents; sg_dma_address() and
 * sg_dma_len() of the first that many entries describe them), or 0 on
 * failure with nothing mapped.  @nents == 0 returns 0 without a WARN (the
 * debug hook still sees the call, as in 2015); a negative @nents or a NULL
 * @sg WARNs and returns 0.
 */
static inline int dma_map_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
				   enum dma_data_direction dir, struct dma_attrs *attrs)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;
	int ents;

	if (!__iosim_dma_ops_ok(dev, ops, ops && ops->map_sg, dir,
				"dma_map_sg"))
		return 0;
	if (WARN(!sg || nents < 0, "dma_map_sg: device %s: %d entries at %p",
		 dev_name(dev), nents, (void *)sg))
		return 0;
	/* An empty list maps nothing, silently, as the kernel's ops did (0). */
	ents = 0;
	if (nents) {
		prev = iosim_cache_context(dev);
		ents = ops->map_sg(dev, sg, nents, dir, attrs);
		iosim_cache_context(prev);
	}
	if (WARN(ents < 0, "dma_map_sg: device %s: ops returned %d", dev_name(dev), ents))
		ents = 0;
	debug_dma_map_sg(dev, sg, nents, ents, dir);
	return ents;
}

/**
 * dma_unmap_sg_attrs - undo dma_map_sg_attrs()
 * @dev: the device
 * @sg: the list
 * @nents: the number of entries given to dma_map_sg() (not its result)
 * @dir, @attrs: as mapped
 *
 * Context: any.
 */
static inline void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sg, int nents,
				      enum dma_data_direction dir, struct dma_attrs *attrs)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;

	if (!__iosim_dma_ops_ok(dev, ops, ops != NULL, dir, "dma_unmap_sg"))
		return;
	debug_dma_unmap_sg(dev, sg, nents, dir);
	if (ops->unmap_sg) {
		prev = iosim_cache_context(dev);
		ops->unmap_sg(dev, sg, nents, dir, attrs);
		iosim_cache_context(prev);
	}
}

/**
 * dma_map_page - map part of a page for streaming DMA
 * @dev: the device
 * @page: the page (a struct page of simulated RAM)
 * @offset: byte offset into it
 * @size: bytes (may run into the following pages of a block)
 * @dir: direction
 *
 * Context: any.
 * Return: the device address or the ops' error value.
 */
static inline dma_addr_t dma_map_page(struct device *dev, struct page *page, size_t offset,
				      size_t size, enum dma_data_direction dir)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;
	dma_addr_t addr;

	if (!__iosim_dma_ops_ok(dev, ops, ops && ops->map_page, dir,
				"dma_map_page"))
		return DMA_ERROR_CODE;
	if (WARN(!page, "dma_map_page: device %s: NULL page", dev_name(dev)))
		return DMA_ERROR_CODE;
	prev = iosim_cache_context(dev);
	addr = ops->map_page(dev, page, offset, size, dir, NULL);
	iosim_cache_context(prev);
	debug_dma_map_page(dev, page, offset, size, dir, addr, false);
	return addr;
}

/** dma_unmap_page - undo dma_map_page(); arguments as mapped.  Context: any. */
static inline void dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
				  enum dma_data_direction dir)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;

	if (!__iosim_dma_ops_ok(dev, ops, ops != NULL, dir, "dma_unmap_page"))
		return;
	if (ops->unmap_page) {
		prev = iosim_cache_context(dev);
		ops->unmap_page(dev, addr, size, dir, NULL);
		iosim_cache_context(prev);
	}
	debug_dma_unmap_page(dev, addr, size, dir, false);
}

/**
 * dma_sync_single_for_cpu - give a streaming mapping back to the CPU
 * @dev: the device
 * @addr: an address inside a mapping (as returned, or within it)
 * @size: bytes from @addr
 * @dir: the mapping's direction
 *
 * On a non-coherent device the CPU's stale cache lines are invalidated
 * (unless @dir is DMA_TO_DEVICE).  Context: any.
 */
static inline void dma_sync_single_for_cpu(struct device *dev, dma_addr_t addr, size_t size,
					   enum dma_data_direction dir)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;

	if (!__iosim_dma_ops_ok(dev, ops, ops != NULL, dir, "dma_sync_single_for_cpu"))
		return;
	if (ops->sync_single_for_cpu) {
		prev = iosim_cache_context(dev);
		ops->sync_single_for_cpu(dev, addr, size, dir);
		iosim_cache_context(prev);
	}
	debug_dma_sync_single_for_cpu(dev, addr, size, dir);
}

/**
 * dma_sync_single_for_device - give a streaming mapping back to the device
 * (on a non-coherent device the CPU's writes are cleaned to memory).
 * Arguments as dma_sync_single_for_cpu().  Context: any.
 */
static inline void dma_sync_single_for_device(struct device *dev, dma_addr_t addr, size_t size,
					      enum dma_data_direction dir)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;

	if (!__iosim_dma_ops_ok(dev, ops, ops != NULL, dir, "dma_sync_single_for_device"))
		return;
	if (ops->sync_single_for_device) {
		prev = iosim_cache_context(dev);
		ops->sync_single_for_device(dev, addr, size, dir);
		iosim_cache_context(prev);
	}
	debug_dma_sync_single_for_device(dev, addr, size, dir);
}

/** dma_sync_single_range_for_cpu - dma_sync_single_for_cpu() of @size bytes at @addr + @offset. */
static inline void dma_sync_single_range_for_cpu(struct device *dev, dma_addr_t addr,
						 unsigned long offset, size_t size,
						 enum dma_data_direction dir)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;

	if (!__iosim_dma_ops_ok(dev, ops, ops != NULL, dir, "dma_sync_single_range_for_cpu"))
		return;
	if (ops->sync_single_for_cpu) {
		prev = iosim_cache_context(dev);
		ops->sync_single_for_cpu(dev, addr + offset, size, dir);
		iosim_cache_context(prev);
	}
	debug_dma_sync_single_range_for_cpu(dev, addr, offset, size, dir);
}

/** dma_sync_single_range_for_device - dma_sync_single_for_device() of @size bytes at @addr + @offset. */
static inline void dma_sync_single_range_for_device(struct device *dev, dma_addr_t addr,
						    unsigned long offset, size_t size,
						    enum dma_data_direction dir)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;

	if (!__iosim_dma_ops_ok(dev, ops, ops != NULL, dir, "dma_sync_single_range_for_device"))
		return;
	if (ops->sync_single_for_device) {
		prev = iosim_cache_context(dev);
		ops->sync_single_for_device(dev, addr + offset, size, dir);
		iosim_cache_context(prev);
	}
	debug_dma_sync_single_range_for_device(dev, addr, offset, size, dir);
}

/**
 * dma_sync_sg_for_cpu - give a mapped scatterlist back to the CPU
 * @dev: the device
 * @sg: the list
 * @nelems: the number of entries given to dma_map_sg() - NOT the number of
 *	DMA segments it returned: cache maintenance walks the entries' CPU
 *	addresses, so a smaller count leaves the tail entries unsynchronised
 * @dir: the mapping's direction
 *
 * Context: any.
 */
static inline void dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nelems,
				       enum dma_data_direction dir)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;

	if (!__iosim_dma_ops_ok(dev, ops, ops != NULL, dir, "dma_sync_sg_for_cpu"))
		return;
	if (ops->sync_sg_for_cpu) {
		prev = iosim_cache_context(dev);
		ops->sync_sg_for_cpu(dev, sg, nelems, dir);
		iosim_cache_context(prev);
	}
	debug_dma_sync_sg_for_cpu(dev, sg, nelems, dir);
}

/** dma_sync_sg_for_device - as dma_sync_sg_for_cpu() (same @nelems rule), towards the device. */
static inline void dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg, int nelems,
					  enum dma_data_direction dir)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;

	if (!__iosim_dma_ops_ok(dev, ops, ops != NULL, dir, "dma_sync_sg_for_device"))
		return;
	if (ops->sync_sg_for_device) {
		prev = iosim_cache_context(dev);
		ops->sync_sg_for_device(dev, sg, nelems, dir);
		iosim_cache_context(prev);
	}
	debug_dma_sync_sg_for_device(dev, sg, nelems, dir);
}

#define dma_map_single(d, a, s, r)	dma_map_single_attrs(d, a, s, r, NULL)
#define dma_unmap_single(d, a, s, r)	dma_unmap_single_attrs(d, a, s, r, NULL)
#define dma_map_sg(d, s, n, r)		dma_map_sg_attrs(d, s, n, r, NULL)
#define dma_unmap_sg(d, s, n, r)	dma_unmap_sg_attrs(d, s, n, r, NULL)

/* drivers/base/dma-mapping.c (compat/drivers/dma_common.c, compat/mm/dma_remap.c) */
int dma_common_mmap(struct device *dev, struct vm_area_struct *vma, void *cpu_addr,
		    dma_addr_t dma_addr, size_t size);
void *dma_common_contiguous_remap(struct page *page, size_t size, unsigned long vm_flags,
				  pgprot_t prot, const void *caller);
void *dma_common_pages_remap(struct page **pages, size_t size, unsigned long vm_flags,
			     pgprot_t prot, const void *caller);
void dma_common_free_remap(void *cpu_addr, size_t size, unsigned long vm_flags);
int dma_common_get_sgtable(struct device *dev, struct sg_table *sgt, void *cpu_addr,
			   dma_addr_t dma_addr, size_t size);

/**
 * dma_mmap_attrs - map a coherent buffer into a user VMA
 * @dev: the device it was allocated for
 * @vma: the user VMA (vm_pgoff selects the first page of the buffer)
 * @cpu_addr, @dma_addr, @size: as dma_alloc_attrs() gave them
 * @attrs: the attributes it was allocated with
 *
 * Context: process context.
 * Return: 0, or a negative errno (-ENXIO when the VMA does not fit).
 */
static inline int dma_mmap_attrs(struct device *dev, struct vm_area_struct *vma, void *cpu_addr,
				 dma_addr_t dma_addr, size_t size, struct dma_attrs *attrs)
{
	struct dma_map_ops *ops = get_dma_ops(dev);

	if (WARN(!ops, "dma_mmap_attrs: device %s has no DMA ops", dev_name(dev)))
		return -ENXIO;
	if (ops->mmap)
		return ops->mmap(dev, vma, cpu_addr, dma_addr, size, attrs);
	return dma_common_mmap(dev, vma, cpu_addr, dma_addr, size);
}

#define dma_mmap_coherent(d, v, c, h, s) dma_mmap_attrs(d, v, c, h, s, NULL)

/**
 * dma_get_sgtable_attrs - describe a coherent buffer's pages as an sg_table
 * @dev, @cpu_addr, @dma_addr, @size, @attrs: as dma_alloc_attrs() gave them
 * @sgt: an unused table, filled on success (sg_free_table() it)
 *
 * Context: process context.
 * Return: 0, or a negative errno with @sgt unused.
 */
static inline int dma_get_sgtable_attrs(struct device *dev, struct sg_table *sgt,
					void *cpu_addr, dma_addr_t dma_addr, size_t size,
					struct dma_attrs *attrs)
{
	struct dma_map_ops *ops = get_dma_ops(dev);

	if (WARN(!ops, "dma_get_sgtable_attrs: device %s has no DMA ops", dev_name(dev)))
		return -ENXIO;
	if (ops->get_sgtable)
		return ops->get_sgtable(dev, sgt, cpu_addr, dma_addr, size, attrs);
	return dma_common_get_sgtable(dev, sgt, cpu_addr, dma_addr, size);
}

#define dma_get_sgtable(d, t, v, h, s) dma_get_sgtable_attrs(d, t, v, h, s, NULL)

/*
 * Call sites for DMA-API debugging: each entry point, when called by name,
 * first records the caller's file and line.  A function-like macro does not
 * expand inside its own replacement, so the call below reaches the inline
 * function of the same name.
 */
#define __IOSIM_DMA_SITE(call)	(iosim_dma_debug_site(__FILE__, __LINE__), call)
#define dma_map_single_attrs(...)	__IOSIM_DMA_SITE(dma_map_single_attrs(__VA_ARGS__))
#define dma_unmap_single_attrs(...)	__IOSIM_DMA_SITE(dma_unmap_single_attrs(__VA_ARGS__))
#define dma_map_sg_attrs(...)		__IOSIM_DMA_SITE(dma_map_sg_attrs(__VA_ARGS__))
#define dma_unmap_sg_attrs(...)		__IOSIM_DMA_SITE(dma_unmap_sg_attrs(__VA_ARGS__))
#define dma_map_page(...)		__IOSIM_DMA_SITE(dma_map_page(__VA_ARGS__))
#define dma_unmap_page(...)		__IOSIM_DMA_SITE(dma_unmap_page(__VA_ARGS__))
#define dma_sync_single_for_cpu(...)	__IOSIM_DMA_SITE(dma_sync_single_for_cpu(__VA_ARGS__))
#define dma_sync_single_for_device(...)	__IOSIM_DMA_SITE(dma_sync_single_for_device(__VA_ARGS__))
#define dma_sync_single_range_for_cpu(...) \
	__IOSIM_DMA_SITE(dma_sync_single_range_for_cpu(__VA_ARGS__))
#define dma_sync_single_range_for_device(...) \
	__IOSIM_DMA_SITE(dma_sync_single_range_for_device(__VA_ARGS__))
#define dma_sync_sg_for_cpu(...)	__IOSIM_DMA_SITE(dma_sync_sg_for_cpu(__VA_ARGS__))
#define dma_sync_sg_for_device(...)	__IOSIM_DMA_SITE(dma_sync_sg_for_device(__VA_ARGS__))

#endif /* _IOSIM_ASM_GENERIC_DMA_MAPPING_COMMON_H */
