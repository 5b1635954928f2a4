/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * compat/drivers/devres.h - private to the device model: what the driver
 * core (dd.c, core.c) calls of devres.c, as the kernel's drivers/base/base.h
 * declares devres_release_all().
 */
#ifndef _IOSIM_DRIVERS_DEVRES_H
#define _IOSIM_DRIVERS_DEVRES_H

#include <linux/device.h>

/* Not part of the library's API: hidden from the archive's exported symbols. */
#define __devres_hidden	__attribute__((__visibility__("hidden")))

/*
 * Release every managed resource of @dev, newest first.  Return: how many
 * were released; -ENODEV (WARN) for a device whose list was never
 * initialised (device_initialize()).
 */
__devres_hidden int devres_release_all(struct device *dev);

/* Initialise @dev's (empty) resource list and its lock: device_initialize(). */
void iosim_devres_init(struct device *dev);

#endif /* _IOSIM_DRIVERS_DEVRES_H */
