/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* linux/platform_device.h - customised: the platform bus, without drivers. */
#ifndef _IOSIM_LINUX_PLATFORM_DEVICE_H
#define _IOSIM_LINUX_PLATFORM_DEVICE_H

#include <linux/device.h>

extern struct bus_type platform_bus_type;

struct platform_device {
	const char *name;
	int id;
	struct device dev;
};

#define to_platform_device(x) container_of((x), struct platform_device, dev)

#endif /* _IOSIM_LINUX_PLATFORM_DEVICE_H */
