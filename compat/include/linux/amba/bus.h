/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/amba/bus.h - faithful subset (2015): the AMBA bus and its device and
 * driver types.  The bus is ready to use (no boot registers it); the parts
 * that need clocks, interrupts or peripheral-ID probing are left out.
 * Simulated AMBA devices are made with iosim_device_create() with
 * .bus = &amba_bustype (or iosim_of_device_create()).
 */
#ifndef _IOSIM_LINUX_AMBA_BUS_H
#define _IOSIM_LINUX_AMBA_BUS_H

#include <linux/device.h>
#include <linux/ioport.h>

#define AMBA_NR_IRQS	9

struct amba_device {
	struct device dev;
	struct resource res;
	u64 dma_mask;
	unsigned int periphid;
	unsigned int irq[AMBA_NR_IRQS];
};

struct amba_id {
	unsigned int id;
	unsigned int mask;
	void *data;
};

struct amba_driver {
	struct device_driver drv;
	int (*probe)(struct amba_device *dev, const struct amba_id *id);
	int (*remove)(struct amba_device *dev);
	void (*shutdown)(struct amba_device *dev);
	const struct amba_id *id_table;
};

extern struct bus_type amba_bustype;

#define to_amba_device(d)	container_of(d, struct amba_device, dev)

#endif /* _IOSIM_LINUX_AMBA_BUS_H */
