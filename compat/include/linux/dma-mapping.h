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

/*
 * The device-limit helpers below follow the kernel of 2015.  Where the
 * kernel would dereference a NULL device they WARN instead: getters then
 * return the kernel's defaults and setters -EIO, with nothing changed.
 */

/**
 * dma_set_mask - set the streaming DMA mask (*dev->dma_mask)
 * Return: the ops' set_dma_mask() result if they have one; else 0, or -EIO
 * without dma_mask storage or if dma_supported() refuses @mask, with the
 * mask unchanged.
 */
static inline int dma_set_mask(struct device *dev, u64 mask)
{
	struct dma_map_ops *ops;

	if (WARN(!dev, "dma_set_mask: NULL device"))
		return -EIO;
	ops = get_dma_ops(dev);
	if (ops && ops->set_dma_mask)
		return ops->set_dma_mask(dev, mask);
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

#endif /* _IOSIM_LINUX_DMA_MAPPING_H */
