// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The platform bus and its drivers (drivers/base/platform.c of 2015, without
 * resources, OF or ACPI matching, or platform_device_register()).  The
 * kernel registers the bus at boot (platform_bus_init()); a library has no
 * boot, so it is defined ready to use: its lock, lists and notifier chain
 * are initialised statically and it counts as registered.
 */
#include <string.h>

#include <linux/kernel.h>
#include <linux/platform_device.h>

static const struct platform_device_id *platform_match_id(const struct platform_device_id *id,
							   struct platform_device *pdev)
{
	for (; id->name[0]; id++) {
		if (!strcmp(pdev->name, id->name)) {
			pdev->id_entry = id;
			return id;
		}
	}
	return NULL;
}

/* driver_override first, then the driver's id table, then its name. */
static int platform_match(struct device *dev, struct device_driver *drv)
{
	struct platform_device *pdev = to_platform_device(dev);
	struct platform_driver *pdrv = to_platform_driver(drv);

	if (pdev->driver_override)
		return !strcmp(pdev->driver_override, drv->name);
	if (pdrv->id_table)
		return platform_match_id(pdrv->id_table, pdev) != NULL;
	return !strcmp(pdev->name, drv->name);
}

struct bus_type platform_bus_type = {
	.name = "platform",
	.match = platform_match,
	.iosim_registered = true,
	.iosim_lock = __MUTEX_INITIALIZER(platform_bus_type.iosim_lock),
	.iosim_devices = LIST_HEAD_INIT(platform_bus_type.iosim_devices),
	.iosim_drivers = LIST_HEAD_INIT(platform_bus_type.iosim_drivers),
	.iosim_notifier = BLOCKING_NOTIFIER_INIT(platform_bus_type.iosim_notifier),
};

/* A driver without probe() is bound to every device it matches. */
static int platform_drv_probe(struct device *dev)
{
	struct platform_driver *drv = to_platform_driver(dev->driver);
	int ret = 0;

	if (drv->probe)
		ret = drv->probe(to_platform_device(dev));
	if (drv->prevent_deferred_probe && ret == -EPROBE_DEFER) {
		dev_warn(dev, "probe deferral not supported\n");
		ret = -ENXIO;
	}
	return ret;
}

static int platform_drv_remove(struct device *dev)
{
	struct platform_driver *drv = to_platform_driver(dev->driver);

	return drv->remove ? drv->remove(to_platform_device(dev)) : 0;
}

/**
 * __platform_driver_register - register a platform driver
 * @drv: the driver; its driver.name (and optionally id_table) set
 * @owner: the module (THIS_MODULE; unused)
 *
 * Context: process context.
 * Return: as driver_register(); -EINVAL (WARN) for a NULL @drv.
 */
int __platform_driver_register(struct platform_driver *drv, struct module *owner)
{
	(void)owner;
	if (WARN(!drv, "platform_driver_register: NULL driver"))
		return -EINVAL;
	drv->driver.bus = &platform_bus_type;
	drv->driver.probe = platform_drv_probe;
	drv->driver.remove = platform_drv_remove;
	return driver_register(&drv->driver);
}

/**
 * platform_driver_unregister - unregister a platform driver
 * @drv: a driver registered with platform_driver_register()
 *
 * Context: process context.  A NULL @drv WARNs.
 */
void platform_driver_unregister(struct platform_driver *drv)
{
	if (WARN(!drv, "platform_driver_unregister: NULL driver"))
		return;
	driver_unregister(&drv->driver);
}
