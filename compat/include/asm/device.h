/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* asm/device.h - faithful (arm64 of 2015): per-device arch data. */
#ifndef _IOSIM_ASM_DEVICE_H
#define _IOSIM_ASM_DEVICE_H

#include <linux/types.h>

struct dma_map_ops;

struct dev_archdata {
	struct dma_map_ops *dma_ops;
	void *iommu;		/* private IOMMU data */
	bool dma_coherent;
};

struct pdev_archdata {
};

#endif /* _IOSIM_ASM_DEVICE_H */
