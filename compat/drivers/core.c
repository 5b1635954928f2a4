// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * struct device life cycle (drivers/base/core.c of 2015, without sysfs,
 * uevents, power management or driver binding).
 *
 * A device is reference counted as the kernel's kobject is: device_initialize()
 * gives the caller one reference, being on a bus list holds another, and the
 * last put_device() calls dev->release().  Misuse the kernel would crash on or
 * silently corrupt state with (adding twice, deleting a device never added,
 * dropping more references than were taken) WARNs here and changes nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/device.h>
#include <iosim/device.h>
#include <iosim/devres.h>
#include <iosim/fault.h>

#include "base.h"
#include "devres.h"

/**
 * dev_name - a device's name
 * @dev: the device (NULL allowed, as dev_printk() in the kernel allows it)
 *
 * Context: any.
 * Return: init_name until device_add() has taken it over, else the name set
 * by dev_set_name(); "(unnamed)" if there is none and "(NULL device *)" for a
 * NULL @dev, so the result can always be printed.
 */
const char *dev_name(const struct device *dev)
{
	if (!dev)
		return "(NULL device *)";
	if (dev->init_name)
		return dev->init_name;
	if (dev->kobj.name[0])
		return dev->kobj.name;
	return "(unnamed)";
}

static void device_set_name_va(struct device *dev, const char *fmt, va_list ap)
{
	char *slash;

	vsnprintf(dev->kobj.name, sizeof(dev->kobj.name), fmt, ap);
	/* As kobject_set_name(): a '/' would make a sysfs path, so it becomes '!'. */
	while ((slash = strchr(dev->kobj.name, '/')))
		*slash = '!';
}

static void device_set_name(struct device *dev, const char *fmt, ...) __printf(2, 3);
static void device_set_name(struct device *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	device_set_name_va(dev, fmt, ap);
	va_end(ap);
}

/**
 * dev_set_name - set a device's name
 * @dev: the device
 * @fmt: printf-style format; '/' in the result becomes '!' as in the kernel
 * @...: its arguments
 *
 * The name is truncated to IOSIM_DEV_NAME_LEN - 1 characters.  Because the
 * kernel allocates the name, this consults fault injection
 * (IOSIM_FAULT_SLAB) so callers' -ENOMEM paths can be tested.
 *
 * Context: any.
 * Return: 0; -ENOMEM (injected failure) with the old name kept; -EINVAL
 * (WARN) for a NULL @dev or @fmt, with nothing changed.
 */
int dev_set_name(struct device *dev, const char *fmt, ...)
{
	va_list ap;

	if (WARN(!dev || !fmt, "dev_set_name: NULL device or format"))
		return -EINVAL;
	if (iosim_fault_should_fail(IOSIM_FAULT_SLAB))
		return -ENOMEM;

	va_start(ap, fmt);
	device_set_name_va(dev, fmt, ap);
	va_end(ap);
	return 0;
}

/**
 * device_initialize - make a zeroed device ready for device_add()
 * @dev: the device, all zero except for fields the caller set on purpose
 *
 * Gives the caller the device's first reference: drop it with put_device()
 * (which calls dev->release() once the last reference goes).
 *
 * Context: process context.
 * Return: nothing.  A NULL @dev, or one already initialised and not yet
 * released, WARNs and is left untouched.
 */
void device_initialize(struct device *dev)
{
	if (WARN(!dev, "device_initialize: NULL device"))
		return;
	if (WARN(iosim_device_alive(dev), "device_initialize: '%s' is already initialized",
		 dev_name(dev)))
		return;

	atomic_set(&dev->iosim_refcount, 1);
	INIT_LIST_HEAD(&dev->dma_pools);
	iosim_devres_init(dev);
	INIT_LIST_HEAD(&dev->iosim_bus_node);
	dev->iosim_bus = NULL;
	dev->iosim_added = false;
	dev->iosim_removing = false;
	dev->iosim_bus_seq = 0;
	dev->iosim_initialized = true;
}

/**
 * get_device - take a reference on a device
 * @dev: the device, or NULL
 *
 * Context: any.
 * Return: @dev (NULL for NULL).  A device not initialised or already
 * released WARNs and gains no reference.
 */
struct device *get_device(struct device *dev)
{
	if (!dev)
		return NULL;
	if (WARN(!iosim_device_alive(dev),
		 "get_device: '%s' is not initialized or already released", dev_name(dev)))
		return dev;
	atomic_inc(&dev->iosim_refcount);
	return dev;
}

static void device_release(struct device *dev)
{
	/*
	 * Resources may have been added with no driver bound, or left over
	 * after one: the device's end is the last chance to give them back.
	 */
	devres_release_all(dev);
	/* Cleared first: release() may free @dev. */
	dev->iosim_initialized = false;
	if (dev->release)
		dev->release(dev);
	else
		WARN(1, "Device '%s' does not have a release() function, "
		     "it is broken and must be fixed.", dev_name(dev));
}

/**
 * put_device - drop a reference on a device
 * @dev: the device, or NULL
 *
 * The last reference calls dev->release() (a device without one WARNs, as
 * in the kernel, and is simply forgotten).
 *
 * Context: process context (release() may sleep).
 * Return: nothing.  Dropping a reference that does not exist WARNs and
 * changes nothing, as does dropping the last one while the device is still
 * on a bus list (whose own reference must have been dropped by mistake).
 */
void put_device(struct device *dev)
{
	int refs;

	if (!dev)
		return;
	if (WARN(!iosim_device_alive(dev),
		 "put_device: '%s' has no reference left (not initialized or already released)",
		 dev_name(dev)))
		return;

	refs = atomic_dec_return(&dev->iosim_refcount);
	if (refs > 0)
		return;
	if (WARN(__atomic_load_n(&dev->iosim_bus, __ATOMIC_ACQUIRE),
		 "put_device: last reference to '%s' dropped while it is on a bus",
		 dev_name(dev))) {
		/* Give the list back the reference it holds. */
		atomic_inc(&dev->iosim_refcount);
		return;
	}
	device_release(dev);
}

/**
 * device_add - add a device to its bus
 * @dev: an initialised device with dev->bus set to a registered bus and a
 *	name (dev_set_name(), init_name, or bus->dev_name with dev->id)
 *
 * Takes over init_name as the device's name, takes a reference on the
 * parent, links @dev at the tail of its bus's list (which holds a reference
 * on it) and then, without the list lock, sends BUS_NOTIFY_ADD_DEVICE to the
 * bus's notifier chain; callbacks' return values are ignored.  Then it
 * looks for a driver (device_attach(): a probe may fail, the device stays
 * added).  The kernel allocates private data here: fault injection
 * (IOSIM_FAULT_SLAB) stands for that allocation.
 *
 * Context: process context; not from a notifier callback of the same bus.
 * Return: 0 on success.  -ENOMEM (injected) leaves @dev as it was.  Misuse
 * WARNs and leaves @dev as it was: -EINVAL for a NULL or uninitialised @dev,
 * a missing or unregistered bus, a missing name or a released parent;
 * -EEXIST if @dev is already added.
 */
int device_add(struct device *dev)
{
	struct bus_type *bus;
	int err;

	if (WARN(!dev, "device_add: NULL device"))
		return -EINVAL;
	if (WARN(!iosim_device_alive(dev),
		 "device_add: '%s' is not initialized (device_initialize() it first)",
		 dev_name(dev)))
		return -EINVAL;
	if (WARN(__atomic_load_n(&dev->iosim_bus, __ATOMIC_ACQUIRE),
		 "device_add: '%s' is already added", dev_name(dev)))
		return -EEXIST;
	bus = dev->bus;
	if (WARN(!bus || !bus->iosim_registered,
		 "device_add: '%s' has no registered bus", dev_name(dev)))
		return -EINVAL;
	if (WARN(dev->parent && !iosim_device_alive(dev->parent),
		 "device_add: parent of '%s' is not initialized or already released",
		 dev_name(dev)))
		return -EINVAL;
	if (WARN(!dev->init_name && !dev->kobj.name[0] && !bus->dev_name,
		 "device_add: device %p has no name", dev))
		return -EINVAL;
	if (iosim_fault_should_fail(IOSIM_FAULT_SLAB))
		return -ENOMEM;

	if (dev->init_name) {
		device_set_name(dev, "%s", dev->init_name);
		dev->init_name = NULL;
	}
	if (!dev->kobj.name[0])
		device_set_name(dev, "%s%u", bus->dev_name, dev->id);

	get_device(dev->parent);
	err = iosim_bus_add_device(dev);
	if (WARN(err, "device_add: '%s' is already added", dev_name(dev))) {
		put_device(dev->parent);
		return err;
	}
	iosim_bus_notify(bus, BUS_NOTIFY_ADD_DEVICE, dev);
	/* As the kernel's bus_probe_device(): a driver for it, if the bus has one. */
	err = device_attach(dev);
	WARN(err < 0, "device_add: device_attach() failed for %s", dev_name(dev));
	return 0;
}

/**
 * device_del - take a device off its bus
 * @dev: a device added with device_add()
 *
 * Sends BUS_NOTIFY_DEL_DEVICE while @dev is still on the bus list, unlinks
 * it, releases its driver if one is bound (device_release_driver()), sends
 * BUS_NOTIFY_REMOVED_DEVICE, then drops the parent's and the list's
 * references.  The caller's own reference remains: put_device() it (or use
 * device_unregister()).
 *
 * Context: process context; not from a notifier callback of the same bus.
 * Return: nothing.  A NULL @dev, or one that is not added (or already being
 * deleted), WARNs and is left as it was.
 */
void device_del(struct device *dev)
{
	struct device *parent;
	struct bus_type *bus;

	if (WARN(!dev, "device_del: NULL device"))
		return;
	if (WARN(!iosim_device_alive(dev),
		 "device_del: '%s' is not initialized or already released", dev_name(dev)))
		return;
	bus = iosim_bus_begin_remove(dev);
	if (WARN(!bus, "device_del: '%s' is not added (or is already being deleted)",
		 dev_name(dev)))
		return;

	parent = dev->parent;
	iosim_bus_notify(bus, BUS_NOTIFY_DEL_DEVICE, dev);
	iosim_bus_remove_device(bus, dev);
	/* As the kernel's bus_remove_device(): off the list, then the driver goes. */
	device_release_driver(dev);
	iosim_bus_notify(bus, BUS_NOTIFY_REMOVED_DEVICE, dev);
	put_device(parent);
	put_device(dev);	/* the list's reference */
}

/**
 * device_register - initialise a device and add it to its bus
 * @dev: a zeroed device with its bus and name set
 *
 * Context: process context.
 * Return: as device_add(); whatever it returns, @dev holds the caller's
 * reference from device_initialize(), to be dropped with put_device() (on
 * error) or device_unregister().  A NULL @dev WARNs and returns -EINVAL.
 */
int device_register(struct device *dev)
{
	if (WARN(!dev, "device_register: NULL device"))
		return -EINVAL;
	device_initialize(dev);
	return device_add(dev);
}

/**
 * device_unregister - delete a device from its bus and drop the caller's reference
 * @dev: a device added with device_register() or device_add()
 *
 * Context: process context.
 * Return: nothing; @dev may be released (dev->release() called) on return.
 * A NULL @dev, or one that is not added, WARNs and keeps every reference.
 */
void device_unregister(struct device *dev)
{
	if (WARN(!dev, "device_unregister: NULL device"))
		return;
	if (WARN(!dev->iosim_initialized || !__atomic_load_n(&dev->iosim_bus, __ATOMIC_ACQUIRE),
		 "device_unregister: '%s' is not added", dev_name(dev)))
		return;
	device_del(dev);
	put_device(dev);
}

/**
 * iosim_device_check - verify a device's own state
 * @dev: an initialised device
 *
 * Checks that @dev is initialised and holds a reference, that its managed
 * resources are in order (iosim_devres_check()), that an added
 * device has a name, is on the list of the bus it names and that bus is
 * registered, and that a device not added is on no list.
 *
 * Context: takes the device's bus list lock when it is added.
 * Return: 0 if consistent; -EUCLEAN after a WARN naming the first problem.
 */
int iosim_device_check(struct device *dev)
{
	struct bus_type *bus;
	struct device *pos;
	bool found = false;

	if (WARN(!dev, "iosim_device_check: NULL device"))
		return -EUCLEAN;
	if (WARN(!iosim_device_alive(dev), "device '%s': not initialized or already released",
		 dev_name(dev)))
		return -EUCLEAN;
	if (iosim_devres_check(dev))
		return -EUCLEAN;

	bus = __atomic_load_n(&dev->iosim_bus, __ATOMIC_ACQUIRE);
	if (!bus) {
		if (WARN(dev->iosim_added || !list_empty(&dev->iosim_bus_node),
			 "device '%s': not on a bus but marked added or linked", dev_name(dev)))
			return -EUCLEAN;
		return 0;
	}

	if (WARN(dev->bus != bus, "device '%s': on bus '%s' but dev->bus is '%s'", dev_name(dev),
		 bus->name, dev->bus ? dev->bus->name : "(null)"))
		return -EUCLEAN;
	if (WARN(!bus->iosim_registered, "device '%s': its bus '%s' is not registered",
		 dev_name(dev), bus->name))
		return -EUCLEAN;
	if (WARN(!dev->kobj.name[0] || dev->init_name,
		 "device '%s': added without taking over its name", dev_name(dev)))
		return -EUCLEAN;

	mutex_lock(&bus->iosim_lock);
	list_for_each_entry(pos, &bus->iosim_devices, iosim_bus_node) {
		if (pos == dev) {
			found = true;
			break;
		}
	}
	mutex_unlock(&bus->iosim_lock);
	if (WARN(!found || !dev->iosim_added, "device '%s': marked added but not on bus '%s'",
		 dev_name(dev), bus->name))
		return -EUCLEAN;
	return 0;
}
