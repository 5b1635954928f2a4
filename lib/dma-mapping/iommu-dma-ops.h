/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Private to our IOMMU half of lib/dma-mapping (iommu-ops.c, setup.c).  Not
 * seen by the seed's code, whose iommu_dma_ops is static in its own file.
 */
#ifndef _IOSIM_LIB_DMA_MAPPING_IOMMU_OPS_H
#define _IOSIM_LIB_DMA_MAPPING_IOMMU_OPS_H

struct dma_map_ops;

extern __attribute__((__visibility__("hidden"))) struct dma_map_ops iommu_dma_ops;

#endif /* _IOSIM_LIB_DMA_MAPPING_IOMMU_OPS_H */
