/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* <iosim/dma_coherent.h> - simulation only: checker of a device's declared coherent memory. */
#ifndef _IOSIM_DMA_COHERENT_H
#define _IOSIM_DMA_COHERENT_H

struct device;

/**
 * iosim_dma_coherent_check - @dev's declared region (if any) is mapped at its
 * CPU alias page by page, and none of its pages was freed under it
 * Return: 0, or -EUCLEAN after a WARN.
 */
int iosim_dma_coherent_check(struct device *dev);

#endif /* _IOSIM_DMA_COHERENT_H */
