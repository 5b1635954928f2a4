// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Binding drivers to devices and releasing them (the kernel's
 * drivers/base/dd.c of 2015, without sysfs or deferred probing):
 * matching, probing, and what the bus's notifier chain hears when a driver
 * comes and goes.  DMA-API debugging reports the DMA memory a device still
 * holds when its driver is released; the IOMMU core passes the events on to
 * the device's group.
 *
 * A probe runs with dev->driver set and BUS_NOTIFY_BIND_DRIVER sent; when
 * it fails, whatever managed resources it had taken are given back (devres,
 * newest first), dev->driver and the driver data are cleared, nothing more is
 * sent (BUS_NOTIFY_DRIVER_NOT_BOUND came in 2016), and the next matching
 * driver may try.  -EPROBE_DEFER fails like any other error: there is no
 * deferred list to retry from.
 *
 * Context: process context, not from a notifier callback of the same bus;
 * a device is not bound or released by two threads at once (the kernel's
 * device_lock()).  A probe() may add devices to its own bus (their drivers
 * are probed then, nested).
 */
#include <linux/device.h>
#include <linux/kernel.h>

#include "base.h"
#include "devres.h"

static bool driver_match_device(struct device_driver *drv, struct device *dev)
{
	return drv->bus->match ? drv->bus->match(dev, drv) : true;
}

/* Probe @drv on @dev.  Return: 1 if bound, 0 if the probe failed. */
static int really_probe(struct device *dev, struct device_driver *drv)
{
	int ret;

	/* A device should reach its probe holding no managed resources. */
	WARN(!list_empty(&dev->devres_head),
	     "really_probe: '%s' holds managed resources before its probe", dev_name(dev));
	dev->driver = drv;
	iosim_bus_notify(dev->bus, BUS_NOTIFY_BIND_DRIVER, dev);
	if (dev->bus->probe)
		ret = dev->bus->probe(dev);
	else if (drv->probe)
		ret = drv->probe(dev);
	else
		ret = 0;
	if (ret) {
		/* Hand back what the failed probe took while dev->driver is still set. */
		devres_release_all(dev);
		dev->driver = NULL;
		dev_set_drvdata(dev, NULL);
		if (ret == -EPROBE_DEFER)
			pr_warn("%s: probe of %s deferred, and deferred probing is not simulated\n",
				drv->name, dev_name(dev));
		else if (ret != -ENODEV && ret != -ENXIO)
			pr_warn("%s: probe of %s failed with error %d\n", drv->name,
				dev_name(dev), ret);
		/* The next driver may try its luck. */
		return 0;
	}
	dev->iosim_driver_bound = true;
	iosim_bus_notify(dev->bus, BUS_NOTIFY_BOUND_DRIVER, dev);
	return 1;
}

/*
 * Probe @drv on @dev if it matches and @dev has no driver.  Return: 1 if
 * bound, 0 if not, -ENODEV if @dev is not (or no longer) added.
 */
static int driver_probe_device(struct device_driver *drv, struct device *dev)
{
	if (!device_is_registered(dev))
		return -ENODEV;
	if (dev->driver || !driver_match_device(drv, dev))
		return 0;
	return really_probe(dev, drv);
}

/**
 * device_attach - try to bind a driver to a device
 * @dev: an added device
 *
 * A driver the caller set in @dev->driver is bound without a probe
 * (device_bind_driver(), as the kernel's device_attach() does).  Otherwise
 * the bus's drivers are tried in the order they were registered: the first
 * that matches and whose probe succeeds is bound.  device_add() calls this.
 *
 * Return: 1 if a driver is bound (or was already), 0 if none is; -EINVAL
 * (WARN) for a NULL @dev; -ENODEV if @dev is not added.
 */
int device_attach(struct device *dev)
{
	struct device_driver *drv;
	u64 seq = 0;
	int ret = 0;

	if (WARN(!dev, "device_attach: NULL device"))
		return -EINVAL;
	if (!device_is_registered(dev))
		return -ENODEV;
	if (dev->driver) {
		/* Added, driver set, not bound: device_bind_driver() cannot refuse. */
		if (!dev->iosim_driver_bound)
			device_bind_driver(dev);
		return 1;
	}
	while (!ret && (drv = iosim_bus_next_driver(dev->bus, &seq)))
		ret = driver_probe_device(drv, dev);
	return ret;
}

static int attach_one(struct device *dev, void *data)
{
	driver_probe_device(data, dev);
	return 0;
}

/**
 * driver_attach - try to bind a driver to every device of its bus
 * @drv: a registered driver
 *
 * Probes @drv on each device of its bus that has no driver and that the
 * bus's match() accepts, in the order the devices were added.
 *
 * Return: 0; -EINVAL (WARN) for a NULL or unregistered @drv.
 */
int driver_attach(struct device_driver *drv)
{
	if (WARN(!drv || !drv->iosim_registered, "driver_attach: driver '%s' is not registered",
		 drv && drv->name ? drv->name : "(null)"))
		return -EINVAL;
	return bus_for_each_dev(drv->bus, NULL, drv, attach_one);
}

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
 * Sends BUS_NOTIFY_UNBIND_DRIVER, calls the bus's remove() if it has one,
 * else the driver's (if it has one), gives back the device's managed
 * resources (devres, newest first), clears @dev->driver and its driver
 * data, then sends BUS_NOTIFY_UNBOUND_DRIVER.  A device with no driver bound
 * is left alone.
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
	if (dev->bus->remove)
		dev->bus->remove(dev);
	else if (drv && drv->remove)
		drv->remove(dev);
	/* After remove(): the driver may still use its managed resources there. */
	devres_release_all(dev);
	dev->driver = NULL;
	dev_set_drvdata(dev, NULL);
	dev->iosim_driver_bound = false;
	iosim_bus_notify(dev->bus, BUS_NOTIFY_UNBOUND_DRIVER, dev);
}
