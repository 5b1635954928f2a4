/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* linux/dma-direction.h - faithful. */
#ifndef _IOSIM_LINUX_DMA_DIRECTION_H
#define _IOSIM_LINUX_DMA_DIRECTION_H

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

static inline int valid_dma_direction(int dma_direction)
{
	return (dma_direction == DMA_BIDIRECTIONAL) ||
	       (dma_direction == DMA_TO_DEVICE) ||
	       (dma_direction == DMA_FROM_DEVICE);
}

#endif /* _IOSIM_LINUX_DMA_DIRECTION_H */
