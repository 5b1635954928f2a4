/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/mod_devicetable.h - customised: the device id tables the simulation's
 * buses match on (the platform bus's only).
 */
#ifndef _IOSIM_LINUX_MOD_DEVICETABLE_H
#define _IOSIM_LINUX_MOD_DEVICETABLE_H

typedef unsigned long kernel_ulong_t;

#define PLATFORM_NAME_SIZE	20

struct platform_device_id {
	char name[PLATFORM_NAME_SIZE];
	kernel_ulong_t driver_data;
};

#endif /* _IOSIM_LINUX_MOD_DEVICETABLE_H */
