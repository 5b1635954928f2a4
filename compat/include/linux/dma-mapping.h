/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/dma-mapping.h - faithful (2015): struct dma_map_ops, DMA_BIT_MASK,
 * the device-limit helpers, the write-combine wrappers and per-device
 * coherent memory; the generic inline API comes from <asm/dma-mapping.h>
 * and <asm-generic/dma-mapping-common.h>, as in the kernel.
 * One customisation: a NULL device, which the kernel would dereference,
 * WARNs instead (getters return the defaults, setters -EIO).
 */
#ifndef _IOSIM_LINUX_DMA_MAPPING_H
#define _IOSIM_LINUX_DMA_MAPPING_H

#include <linux/types.h>
#include <linux/device.h>
#include <linux/dma-attrs.h>
#include <linux/dma-direction.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>		/* ARCH_DMA_MINALIGN (arm64's <asm/cache.h>) */

struct dma_map_ops {
	void *(*alloc)(struct device *dev, size_t size, dma_addr_t *dma_handle,
		       gfp_t gfp, struct dma_attrs *attrs);
	void (*free)(struct device *dev, size_t size, void *vaddr,
		     dma_addr_t dma_handle, struct dma_attrs *attrs);
	int (*mmap)(struct device *, struct vm_area_struct *, void *, dma_addr_t,
		    size_t, struct dma_attrs *attrs);
	int (*get_sgtable)(struct device *dev, struct sg_table *sgt, void *,
			   dma_addr_t, size_t, struct dma_attrs *attrs);
	dma_addr_t (*map_page)(struct device *dev, struct page *page,
			       unsigned long offset, size_t size,
			       enum dma_data_direction dir, struct dma_attrs *attrs);
	void (*unmap_page)(struct device *dev, dma_addr_t dma_handle, size_t size,
			   enum dma_data_direction dir, struct dma_attrs *attrs);
	int (*map_sg)(struct device *dev, struct scatterlist *sg, int nents,
		      enum dma_data_direction dir, struct dma_attrs *attrs);
	void (*unmap_sg)(struct device *dev, struct scatterlist *sg, int nents,
			 enum dma_data_direction dir, struct dma_attrs *attrs);
	void (*sync_single_for_cpu)(struct device *dev, dma_addr_t dma_handle,
				    size_t size, enum dma_data_direction dir);
	void (*sync_single_for_device)(struct device *dev, dma_addr_t dma_handle,
				       size_t size, enum dma_data_direction dir);
	void (*sync_sg_for_cpu)(struct device *dev, struct scatterlist *sg,
				int nents, enum dma_data_direction dir);
	void (*sync_sg_for_device)(struct device *dev, struct scatterlist *sg,
				   int nents, enum dma_data_direction dir);
	int (*mapping_error)(struct device *dev, dma_addr_t dma_addr);
	int (*dma_supported)(struct device *dev, u64 mask);
	int (*set_dma_mask)(struct device *dev, u64 mask);
	int is_phys;
};

/* The arch's inline API needs struct dma_map_ops: included here, as in the kernel. */
#include <asm/dma-mapping.h>

#define DMA_BIT_MASK(n)	(((n) == 64) ? ~0ULL : ((1ULL << (n)) - 1))

#define DMA_MASK_NONE	0x0ULL

/**
 * is_device_dma_capable - has @dev a DMA mask, and a non-zero one?
 * @dev: the device (NULL WARNs: the kernel would dereference it)
 *
 * Context: any.
 * Return: 1 if *dev->dma_mask exists and is not DMA_MASK_NONE, else 0.
 */
static inline int is_device_dma_capable(struct device *dev)
{
	if (WARN(!dev, "is_device_dma_capable: NULL device"))
		return 0;
	return dev->dma_mask != NULL && *dev->dma_mask != DMA_MASK_NONE;
}

/**
 * dma_get_required_mask - the smallest 2^n - 1 mask that reaches all of RAM
 * @dev: the device (unused, as in drivers/base/platform.c's generic version)
 *
 * Drivers with two descriptor formats pick the 64-bit one only when this is
 * above DMA_BIT_MASK(32).  Computed from the end of simulated RAM (max_pfn)
 * as the kernel computes it.
 *
 * Context: any.
 * Return: the mask.
 */
u64 dma_get_required_mask(struct device *dev);

/*
 * The device-limit helpers below follow the kernel of 2015.  Where the
 * kernel would dereference a NULL device they WARN instead: getters then
 * return the kernel's defaults and setters -EIO, with nothing changed.
 */

/**
 * dma_set_mask - set the streaming DMA mask (*dev->dma_mask)
 *
 * As arm64's of 4.1/4.2: the ops' set_dma_mask() is never called (the
 * generic hook came with 4.3).
 *
 * Return: 0; -EIO without dma_mask storage or if dma_supported() refuses
 * @mask, with the mask unchanged.
 */
static inline int dma_set_mask(struct device *dev, u64 mask)
{
	if (WARN(!dev, "dma_set_mask: NULL device"))
		return -EIO;
	if (!dev->dma_mask || !dma_supported(dev, mask))
		return -EIO;
	*dev->dma_mask = mask;
	return 0;
}

/**
 * dma_set_coherent_mask - set the coherent-allocation mask
 * Return: 0; -EIO if dma_supported() refuses @mask, with the mask unchanged.
 */
static inline int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	if (WARN(!dev, "dma_set_coherent_mask: NULL device"))
		return -EIO;
	if (!dma_supported(dev, mask))
		return -EIO;
	dev->coherent_dma_mask = mask;
	return 0;
}

/**
 * dma_set_mask_and_coherent - dma_set_mask(), then (only if that succeeded)
 * dma_set_coherent_mask() with the same @mask.
 * Return: dma_set_mask()'s result.
 */
static inline int dma_set_mask_and_coherent(struct device *dev, u64 mask)
{
	int rc = dma_set_mask(dev, mask);

	if (rc == 0)
		dma_set_coherent_mask(dev, mask);
	return rc;
}

/**
 * dma_coerce_mask_and_coherent - point dev->dma_mask at coherent_dma_mask,
 * then dma_set_mask_and_coherent()
 * @dev: the device (NULL WARNs, -EIO)
 * @mask: the mask for both
 *
 * For platform code whose devices have no dma_mask storage of their own.
 *
 * Context: process context.
 * Return: dma_set_mask_and_coherent()'s result (dev->dma_mask stays
 * redirected even when it fails, as in the kernel).
 */
static inline int dma_coerce_mask_and_coherent(struct device *dev, u64 mask)
{
	if (WARN(!dev, "dma_coerce_mask_and_coherent: NULL device"))
		return -EIO;
	dev->dma_mask = &dev->coherent_dma_mask;
	return dma_set_mask_and_coherent(dev, mask);
}

/**
 * dma_max_pfn - the highest page frame the streaming mask reaches
 * @dev: the device (NULL or without dma_mask WARNs and returns 0: the kernel
 *	would dereference it)
 *
 * Context: any.
 * Return: *dev->dma_mask >> PAGE_SHIFT.
 */
static inline unsigned long dma_max_pfn(struct device *dev)
{
	if (WARN(!dev || !dev->dma_mask, "dma_max_pfn: device %s has no DMA mask",
		 dev_name(dev)))
		return 0;
	return (unsigned long)(*dev->dma_mask >> PAGE_SHIFT);
}

/**
 * dma_get_cache_alignment - the alignment and size granule that keeps a
 * streaming buffer off cache lines shared with other data
 *
 * Context: any.
 * Return: ARCH_DMA_MINALIGN (128 on arm64 of 2015).
 */
static inline int dma_get_cache_alignment(void)
{
#ifdef ARCH_DMA_MINALIGN
	return ARCH_DMA_MINALIGN;
#else
	return 1;
#endif
}

/** dma_get_mask - the streaming mask; DMA_BIT_MASK(32) when unset (NULL or 0). */
static inline u64 dma_get_mask(struct device *dev)
{
	if (dev && dev->dma_mask && *dev->dma_mask)
		return *dev->dma_mask;
	return DMA_BIT_MASK(32);
}

/** dma_get_max_seg_size - the segment size limit in bytes; 64 KiB without dma_parms. */
static inline unsigned int dma_get_max_seg_size(struct device *dev)
{
	if (WARN(!dev, "dma_get_max_seg_size: NULL device"))
		return SZ_64K;
	return dev->dma_parms ? dev->dma_parms->max_segment_size : SZ_64K;
}

/**
 * dma_set_max_seg_size - Return: 0; -EIO without dma_parms (nothing stored).
 * The return type is unsigned int, as in 2015: compare with (unsigned int)-EIO.
 */
static inline unsigned int dma_set_max_seg_size(struct device *dev, unsigned int size)
{
	if (WARN(!dev, "dma_set_max_seg_size: NULL device"))
		return -EIO;
	if (dev->dma_parms) {
		dev->dma_parms->max_segment_size = size;
		return 0;
	}
	return -EIO;
}

/** dma_get_seg_boundary - the boundary mask; 0xffffffff without dma_parms. */
static inline unsigned long dma_get_seg_boundary(struct device *dev)
{
	if (WARN(!dev, "dma_get_seg_boundary: NULL device"))
		return DMA_BIT_MASK(32);
	return dev->dma_parms ? dev->dma_parms->segment_boundary_mask : DMA_BIT_MASK(32);
}

/** dma_set_seg_boundary - Return: 0; -EIO without dma_parms (nothing stored). */
static inline int dma_set_seg_boundary(struct device *dev, unsigned long mask)
{
	if (WARN(!dev, "dma_set_seg_boundary: NULL device"))
		return -EIO;
	if (dev->dma_parms) {
		dev->dma_parms->segment_boundary_mask = mask;
		return 0;
	}
	return -EIO;
}

/* Per-device coherent memory (drivers/base/dma-coherent.c, compat/drivers/dma_coherent.c). */
#define DMA_MEMORY_MAP			0x01
#define DMA_MEMORY_IO			0x02
#define DMA_MEMORY_INCLUDES_CHILDREN	0x04
#define DMA_MEMORY_EXCLUSIVE		0x08

int dma_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr,
				dma_addr_t device_addr, size_t size, int flags);
void dma_release_declared_memory(struct device *dev);
void *dma_mark_declared_memory_occupied(struct device *dev, dma_addr_t device_addr,
					size_t size);

/*
 * The unmap state a driver keeps next to a mapping (arm64 has
 * CONFIG_NEED_DMA_MAP_STATE: real fields).
 */
#define DEFINE_DMA_UNMAP_ADDR(ADDR_NAME)	dma_addr_t ADDR_NAME
#define DEFINE_DMA_UNMAP_LEN(LEN_NAME)		__u32 LEN_NAME
#define dma_unmap_addr(PTR, ADDR_NAME)		((PTR)->ADDR_NAME)
#define dma_unmap_addr_set(PTR, ADDR_NAME, VAL)	(((PTR)->ADDR_NAME) = (VAL))
#define dma_unmap_len(PTR, LEN_NAME)		((PTR)->LEN_NAME)
#define dma_unmap_len_set(PTR, LEN_NAME, VAL)	(((PTR)->LEN_NAME) = (VAL))

/**
 * dma_zalloc_coherent - dma_alloc_coherent() with __GFP_ZERO
 * @dev, @size, @dma_handle, @flag: as dma_alloc_coherent()
 *
 * Context: as dma_alloc_coherent().
 * Return: as dma_alloc_coherent(); the buffer is zeroed.
 */
static inline void *dma_zalloc_coherent(struct device *dev, size_t size,
					dma_addr_t *dma_handle, gfp_t flag)
{
	/* (dma_alloc_attrs): the caller's site, recorded by the macro below, stays. */
	return (dma_alloc_attrs)(dev, size, dma_handle, flag | __GFP_ZERO, NULL);
}
#define dma_zalloc_coherent(...)	__IOSIM_DMA_SITE(dma_zalloc_coherent(__VA_ARGS__))

static inline void *dma_alloc_writecombine(struct device *dev, size_t size,
					   dma_addr_t *dma_addr, gfp_t gfp)
{
	DEFINE_DMA_ATTRS(attrs);

	dma_set_attr(DMA_ATTR_WRITE_COMBINE, &attrs);
	return dma_alloc_attrs(dev, size, dma_addr, gfp, &attrs);
}

static inline void dma_free_writecombine(struct device *dev, size_t size, void *cpu_addr,
					 dma_addr_t dma_addr)
{
	DEFINE_DMA_ATTRS(attrs);

	dma_set_attr(DMA_ATTR_WRITE_COMBINE, &attrs);
	dma_free_attrs(dev, size, cpu_addr, dma_addr, &attrs);
}

static inline int dma_mmap_writecombine(struct device *dev, struct vm_area_struct *vma,
					void *cpu_addr, dma_addr_t dma_addr, size_t size)
{
	DEFINE_DMA_ATTRS(attrs);

	dma_set_attr(DMA_ATTR_WRITE_COMBINE, &attrs);
	return dma_mmap_attrs(dev, vma, cpu_addr, dma_addr, size, &attrs);
}

/* The managed API (dmam_*), which the kernel declares in this header. */
#include <linux/dma-managed.h>

#endif /* _IOSIM_LINUX_DMA_MAPPING_H */
