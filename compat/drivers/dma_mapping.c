// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The DMA ops a device without archdata.dma_ops uses (arm64's global
 * dma_ops of 2015).  NULL until the DMA API layer installs its direct ops;
 * while NULL, dma_supported() accepts every mask.
 */
#include <linux/kernel.h>
#include <asm/dma-mapping.h>

struct dma_map_ops *iosim_default_dma_ops;
