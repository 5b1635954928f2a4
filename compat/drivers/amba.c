// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The AMBA bus.  The kernel registers it at boot (amba_init(), a
 * postcore_initcall); a library has no boot, so, like platform_bus_type, it
 * is defined ready to use: lock, device and driver lists and notifier chain
 * are initialised statically and it counts as registered.  Drivers come
 * with amba_driver_register() and match by peripheral ID, as amba_match() of
 * 2015 does, without the APB clock or runtime power management.
 */
#include <string.h>

#include <linux/kernel.h>
#include <linux/amba/bus.h>
#include <iosim/device.h>

static const struct amba_id *amba_lookup(const struct amba_id *table, struct amba_device *dev)
{
	for (; table && table->mask; table++)
		if ((dev->periphid & table->mask) == table->id)
			return table;
	return NULL;
}

/*
 * driver_override first, then the driver's id table against the peripheral
 * ID.  A simulated device on this bus (iosim_device_create() with
 * cfg.bus = &amba_bustype) is not a struct amba_device: no driver matches it.
 */
static int amba_match(struct device *dev, struct device_driver *drv)
{
	struct amba_device *pcdev;

	if (iosim_device_is_simulated(dev))
		return 0;
	pcdev = to_amba_device(dev);
	if (pcdev->driver_override)
		return !strcmp(pcdev->driver_override, drv->name);
	return amba_lookup(to_amba_driver(drv)->id_table, pcdev) != NULL;
}

struct bus_type amba_bustype = {
	.name = "amba",
	.match = amba_match,
	.iosim_registered = true,
	.iosim_lock = __MUTEX_INITIALIZER(amba_bustype.iosim_lock),
	.iosim_devices = LIST_HEAD_INIT(amba_bustype.iosim_devices),
	.iosim_drivers = LIST_HEAD_INIT(amba_bustype.iosim_drivers),
	.iosim_notifier = BLOCKING_NOTIFIER_INIT(amba_bustype.iosim_notifier),
};

static int amba_probe(struct device *dev)
{
	struct amba_device *pcdev = to_amba_device(dev);
	struct amba_driver *pcdrv = to_amba_driver(dev->driver);

	return pcdrv->probe(pcdev, amba_lookup(pcdrv->id_table, pcdev));
}

static int amba_remove(struct device *dev)
{
	struct amba_driver *pcdrv = to_amba_driver(dev->driver);

	return pcdrv->remove(to_amba_device(dev));
}

/**
 * amba_driver_register - register an AMBA driver
 * @drv: the driver; drv.name and id_table set
 *
 * Sets drv->drv.bus to the AMBA bus and, where @drv has them, its probe()
 * and remove() to wrappers that pass the AMBA device (and, to probe(), the
 * id table entry that matched), then driver_register()s it.
 *
 * Context: process context.
 * Return: as driver_register(); -EINVAL (WARN) for a NULL @drv.
 */
int amba_driver_register(struct amba_driver *drv)
{
	if (WARN(!drv, "amba_driver_register: NULL driver"))
		return -EINVAL;
	drv->drv.bus = &amba_bustype;
	if (drv->probe)
		drv->drv.probe = amba_probe;
	if (drv->remove)
		drv->drv.remove = amba_remove;
	return driver_register(&drv->drv);
}

/**
 * amba_driver_unregister - unregister an AMBA driver
 * @drv: a driver registered with amba_driver_register()
 *
 * Context: process context.  A NULL @drv WARNs.
 */
void amba_driver_unregister(struct amba_driver *drv)
{
	if (WARN(!drv, "amba_driver_unregister: NULL driver"))
		return;
	driver_unregister(&drv->drv);
}
