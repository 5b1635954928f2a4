/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * compat/drivers/devres.h - what the driver core (dd.c, core.c) needs from
 * devres.c and no one else should call (the kernel keeps the same function
 * in drivers/base/base.h).
 */
#ifndef _IOSIM_DRIVERS_DEVRES_H
#define _IOSIM_DRIVERS_DEVRES_H

#include <linux/device.h>

/* Internal to the library: kept out of the archive's exported symbols. */
#define __devres_hidden	__attribute__((__visibility__("hidden")))

/*
 * devres_release_all - give back all of @dev's managed resources, the most
 * recently added first, and forget its groups.  Return: the number of
 * resources given back; -ENODEV, after a WARN, when device_initialize()
 * never set up @dev's list.
 */
__devres_hidden int devres_release_all(struct device *dev);

/* Called by device_initialize(): an empty resource list and its lock. */
void iosim_devres_init(struct device *dev);

#endif /* _IOSIM_DRIVERS_DEVRES_H */
