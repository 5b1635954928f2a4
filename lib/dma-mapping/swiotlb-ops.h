/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * lib/dma-mapping private interface - customised: arm64's swiotlb DMA ops
 * of 2015 (__swiotlb_dma_ops in arch/arm64/mm/dma-mapping.c), named for
 * the layer.  system.c installs them as dma_ops when a bounce pool exists.
 */
#ifndef _IOSIM_LIB_DMA_MAPPING_SWIOTLB_OPS_H
#define _IOSIM_LIB_DMA_MAPPING_SWIOTLB_OPS_H

#include "arm64-dma-mapping.h"

/* arm64's default ops over swiotlb: direct when reachable, bounced when not. */
extern __dma_mapping_hidden struct dma_map_ops arm64_swiotlb_dma_ops;

#endif /* _IOSIM_LIB_DMA_MAPPING_SWIOTLB_OPS_H */
