// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Binding a driver to a device and releasing it (the kernel's
 * drivers/base/dd.c, without matching or probing): what the bus's notifier
 * chain hears when a driver comes and goes.  DMA-API debugging reports the
 * DMA memory a device still holds when its driver is released; the IOMMU
 * core passes the events on to the device's group.
 */
#include <linux/device.h>
#include <linux/kernel.h>

#include "base.h"

/**
 * device_bind_driver - bind @dev->driver to @dev
 * @dev: an added device whose driver field the caller has set
 *
 * Sends BUS_NOTIFY_BIND_DRIVER, then BUS_NOTIFY_BOUND_DRIVER; the driver's
 * probe() is not called, as the kernel's device_bind_driver() does not.
 *
 * Context: process context; not from a notifier callback of the same bus.
 * Return: 0; -EINVAL (WARN) for a NULL @dev or no driver, -ENODEV (WARN) if
 * @dev is not added, -EBUSY (WARN) if a driver is bound already.  On error
 * nothing is sent and @dev is as it was.
 */
int device_bind_driver(struct device *dev)
{
	if (WARN(!dev || !dev->driver, "device_bind_driver: no device or no driver"))
		return -EINVAL;
	if (WARN(!device_is_registered(dev), "device_bind_driver: '%s' is not added",
		 dev_name(dev)))
		return -ENODEV;
	if (WARN(dev->iosim_driver_bound, "device_bind_driver: '%s' already has a driver bound",
		 dev_name(dev)))
		return -EBUSY;
	iosim_bus_notify(dev->bus, BUS_NOTIFY_BIND_DRIVER, dev);
	dev->iosim_driver_bound = true;
	iosim_bus_notify(dev->bus, BUS_NOTIFY_BOUND_DRIVER, dev);
	return 0;
}

/**
 * device_release_driver - unbind @dev's driver
 * @dev: the device
 *
 * Sends BUS_NOTIFY_UNBIND_DRIVER, calls the driver's remove() (if it has
 * one), clears @dev->driver and its driver data, then sends
 * BUS_NOTIFY_UNBOUND_DRIVER.  A device with no driver bound is left alone.
 *
 * Context: process context; not from a notifier callback of the same bus.
 */
void device_release_driver(struct device *dev)
{
	struct device_driver *drv;

	if (WARN(!dev, "device_release_driver: NULL device"))
		return;
	if (!dev->iosim_driver_bound)
		return;
	drv = dev->driver;
	iosim_bus_notify(dev->bus, BUS_NOTIFY_UNBIND_DRIVER, dev);
	if (drv && drv->remove)
		drv->remove(dev);
	dev->driver = NULL;
	dev_set_drvdata(dev, NULL);
	dev->iosim_driver_bound = false;
	iosim_bus_notify(dev->bus, BUS_NOTIFY_UNBOUND_DRIVER, dev);
}
