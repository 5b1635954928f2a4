/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/device.h> - creating simulated devices.
 */
#ifndef _IOSIM_DEVICE_H
#define _IOSIM_DEVICE_H

#include <linux/device.h>

struct iosim_device_config {
	const char *name;		/* dev_name(); required */
	struct bus_type *bus;		/* NULL: platform_bus_type */
	u64 dma_mask;			/* 0: DMA_BIT_MASK(32) */
	u64 coherent_dma_mask;		/* 0: same as dma_mask */
	bool coherent;			/* archdata.dma_coherent: cache-coherent master */
	bool no_dma_parms;		/* leave dev->dma_parms NULL (kernel defaults apply) */
	unsigned int max_segment_size;	/* with dma_parms; 0: 64 KiB */
	unsigned long segment_boundary_mask; /* with dma_parms; 0: DMA_BIT_MASK(32) */
	bool no_add;			/* do not device_add() it (no bus notifiers yet) */
};

/**
 * iosim_device_create - allocate, initialise and (unless @cfg->no_add) add a
 * simulated device to its bus, which sends BUS_NOTIFY_ADD_DEVICE.
 *
 * Return: the device (counted as IOSIM_OBJ_DEVICE), or NULL on a bad config
 * (WARN) or allocation failure (nothing left behind).
 */
struct device *iosim_device_create(const struct iosim_device_config *cfg);

/**
 * iosim_device_destroy - device_del() @dev if it was added (notifying the
 * bus), then free it.  @dev must come from iosim_device_create(); anything
 * else WARNs and is left alone.
 */
void iosim_device_destroy(struct device *dev);

#endif /* _IOSIM_DEVICE_H */
