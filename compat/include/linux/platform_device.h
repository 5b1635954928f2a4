/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/platform_device.h - customised: the platform bus and its drivers.
 *
 * Every simulated device (iosim_device_create(), iosim_of_device_create())
 * is a struct platform_device whose name is the device's name and whose id
 * is PLATFORM_DEVID_NONE, so to_platform_device() works on any of them.  A
 * platform driver matches a device by driver_override, then by its id_table,
 * then by its name, as platform_match() of 2015 does (no OF or ACPI tables:
 * the simulation has no device tree).  As in the kernel, a driver on the
 * platform bus must be a platform driver (platform_driver_register()): the
 * match reads the struct platform_driver around it.  There are no
 * resources, and no platform_device_register(): devices come from the
 * simulation's creators.
 */
#ifndef _IOSIM_LINUX_PLATFORM_DEVICE_H
#define _IOSIM_LINUX_PLATFORM_DEVICE_H

#include <linux/device.h>
#include <linux/export.h>
#include <linux/mod_devicetable.h>

#define PLATFORM_DEVID_NONE	(-1)
#define PLATFORM_DEVID_AUTO	(-2)

struct module;

extern struct bus_type platform_bus_type;

struct platform_device {
	const char *name;
	int id;
	struct device dev;
	const struct platform_device_id *id_entry;	/* the id_table entry that matched */
	char *driver_override;				/* match this driver's name only */
};

#define to_platform_device(x) container_of((x), struct platform_device, dev)

struct platform_driver {
	int (*probe)(struct platform_device *pdev);
	int (*remove)(struct platform_device *pdev);
	void (*shutdown)(struct platform_device *pdev);	/* never called: no shutdown */
	struct device_driver driver;
	const struct platform_device_id *id_table;
	bool prevent_deferred_probe;	/* -EPROBE_DEFER from probe() becomes -ENXIO */
};

#define to_platform_driver(drv)	(container_of((drv), struct platform_driver, driver))

/**
 * __platform_driver_register - register a platform driver
 * @drv: the driver; its driver.name (and optionally id_table) set
 * @owner: the module (THIS_MODULE; unused)
 *
 * Sets drv->driver.bus to the platform bus and its probe()/remove() to
 * wrappers that call @drv's with the platform device, then
 * driver_register()s it: matching devices are probed at once.
 *
 * Return: as driver_register(); -EINVAL (WARN) for a NULL @drv.
 */
int __platform_driver_register(struct platform_driver *drv, struct module *owner);
#define platform_driver_register(drv)	__platform_driver_register(drv, THIS_MODULE)

/** platform_driver_unregister - driver_unregister() of @drv->driver. */
void platform_driver_unregister(struct platform_driver *drv);

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void platform_set_drvdata(struct platform_device *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

/* A driver whose module init and exit only register and unregister it. */
#define module_platform_driver(__platform_driver)				\
	module_driver(__platform_driver, platform_driver_register, platform_driver_unregister)

#endif /* _IOSIM_LINUX_PLATFORM_DEVICE_H */
