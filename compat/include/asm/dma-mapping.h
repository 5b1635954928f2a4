/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * asm/dma-mapping.h - customised (arm64 of 2015): DMA_ERROR_CODE, the
 * per-device dma_map_ops lookup and dma_set_mask().  A device without
 * archdata.dma_ops uses iosim_default_dma_ops, which the DMA API layer points
 * at its direct (no-IOMMU) ops; until then it is NULL and the mask helpers
 * accept any mask.
 */
#ifndef _IOSIM_ASM_DMA_MAPPING_H
#define _IOSIM_ASM_DMA_MAPPING_H

#include <linux/types.h>
#include <linux/device.h>

#define DMA_ERROR_CODE	(~(dma_addr_t)0)

struct dma_map_ops;

extern struct dma_map_ops *iosim_default_dma_ops;

static inline struct dma_map_ops *__generic_dma_ops(struct device *dev)
{
	if (dev && dev->archdata.dma_ops)
		return dev->archdata.dma_ops;
	return iosim_default_dma_ops;
}

static inline struct dma_map_ops *get_dma_ops(struct device *dev)
{
	return __generic_dma_ops(dev);
}

static inline void set_dma_ops(struct device *dev, struct dma_map_ops *ops)
{
	dev->archdata.dma_ops = ops;
}

/* do not use this function in a driver */
static inline bool is_device_dma_coherent(struct device *dev)
{
	if (!dev)
		return false;
	return dev->archdata.dma_coherent;
}

#endif /* _IOSIM_ASM_DMA_MAPPING_H */
