/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/dma-contiguous.h - faithful names and signatures of v4.1/v4.2
 * (CONFIG_DMA_CMA=y): the DMA layer's use of the Contiguous Memory Allocator.
 *
 * A device takes its contiguous coherent buffers from its own area
 * (dev->cma_area, set with dma_declare_contiguous()) or else from the
 * default area that dma_contiguous_reserve() sets aside at boot.  In the
 * simulation "boot" is iosim_dma_system_init(), and the size of the default
 * area comes from iosim_dma_set_cma() (the kernel's cma= parameter); without
 * it there is no default area, as with cma=0.  docs/cma.md.
 */
#ifndef _IOSIM_LINUX_DMA_CONTIGUOUS_H
#define _IOSIM_LINUX_DMA_CONTIGUOUS_H

#include <linux/types.h>
#include <linux/device.h>

struct cma;
struct page;

/* The area of devices that have none of their own; NULL if none was reserved. */
extern struct cma *dma_contiguous_default_area;

/* The area @dev allocates from: its own, else the default one (@dev may be NULL). */
static inline struct cma *dev_get_cma_area(struct device *dev)
{
	return dev && dev->cma_area ? dev->cma_area : dma_contiguous_default_area;
}

/* Give @dev an area of its own (nothing for a NULL @dev). */
static inline void dev_set_cma_area(struct device *dev, struct cma *cma)
{
	if (dev)
		dev->cma_area = cma;
}

/* Make @cma the default area. */
static inline void dma_contiguous_set_default(struct cma *cma)
{
	dma_contiguous_default_area = cma;
}

void dma_contiguous_reserve(phys_addr_t addr_limit);

int dma_contiguous_reserve_area(phys_addr_t size, phys_addr_t base, phys_addr_t limit,
				struct cma **res_cma, bool fixed);

/*
 * Reserve an area at @base (fixed) of @size bytes below @limit for @dev
 * alone.  Return: 0, or cma_declare_contiguous()'s error (nothing changed).
 */
static inline int dma_declare_contiguous(struct device *dev, phys_addr_t size, phys_addr_t base,
					 phys_addr_t limit)
{
	struct cma *area;
	int err = dma_contiguous_reserve_area(size, base, limit, &area, true);

	if (!err)
		dev_set_cma_area(dev, area);
	return err;
}

struct page *dma_alloc_from_contiguous(struct device *dev, size_t count, unsigned int order);

bool dma_release_from_contiguous(struct device *dev, struct page *pages, int count);

#endif /* _IOSIM_LINUX_DMA_CONTIGUOUS_H */
