// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Drivers on a bus (drivers/base/driver.c and the driver half of bus.c, as
 * of 2015, without sysfs or modules): a bus keeps its registered drivers in
 * registration order, guarded by the same mutex as its devices.
 * driver_register() probes the new driver against every device without one
 * (dd.c); driver_unregister() takes it off the bus, then releases every
 * device it drives.
 *
 * Context for all of them: process context, not from a notifier callback or
 * a probe() of the same bus; a driver is not registered or unregistered
 * while another thread probes the same bus (the kernel's per-device lock
 * has no counterpart here).
 */
#include <string.h>

#include <linux/kernel.h>
#include <linux/device.h>

#include "base.h"

/* The driver called @name on @bus.  Called with the bus lock held. */
static struct device_driver *driver_find_locked(struct bus_type *bus, const char *name)
{
	struct device_driver *drv;

	list_for_each_entry(drv, &bus->iosim_drivers, iosim_bus_node)
		if (!strcmp(drv->name, name))
			return drv;
	return NULL;
}

/**
 * driver_find - look a driver up by name
 * @name: the driver's name
 * @bus: the bus it is registered on
 *
 * Context: process context.
 * Return: the driver, or NULL if none of that name is registered on @bus;
 * NULL (WARN) for a NULL @name or a NULL or unregistered @bus.
 */
struct device_driver *driver_find(const char *name, struct bus_type *bus)
{
	struct device_driver *drv;

	if (WARN(!name || !bus || !bus->iosim_registered,
		 "driver_find: no name, or bus '%s' is not registered",
		 bus ? bus->name : "(null)"))
		return NULL;
	mutex_lock(&bus->iosim_lock);
	drv = driver_find_locked(bus, name);
	mutex_unlock(&bus->iosim_lock);
	return drv;
}

struct device_driver *iosim_bus_next_driver(struct bus_type *bus, u64 *prev_seq)
{
	struct device_driver *drv;

	mutex_lock(&bus->iosim_lock);
	list_for_each_entry(drv, &bus->iosim_drivers, iosim_bus_node) {
		if (drv->iosim_bus_seq > *prev_seq) {
			*prev_seq = drv->iosim_bus_seq;
			mutex_unlock(&bus->iosim_lock);
			return drv;
		}
	}
	mutex_unlock(&bus->iosim_lock);
	return NULL;
}

/**
 * driver_register - register a driver with its bus
 * @drv: the driver, with its name and bus set
 *
 * Adds @drv to the bus's drivers, then probes it against every device of
 * the bus that has no driver and that the bus's match() accepts
 * (driver_attach()).  A driver with a probe() or remove() on a bus that has
 * its own is logged as needing updating, as the kernel logs it; the bus's
 * methods are the ones called.
 *
 * Return: 0; -EINVAL (WARN) for a NULL @drv, no name, or a bus that is
 * missing or not registered; -EBUSY, with an error logged as the kernel's,
 * if a driver of the same name (@drv itself included) is registered on the
 * bus.  On error nothing changes.
 */
int driver_register(struct device_driver *drv)
{
	struct bus_type *bus;

	if (WARN(!drv || !drv->name || !drv->bus || !drv->bus->iosim_registered,
		 "driver_register: driver '%s' has no name or no registered bus",
		 drv && drv->name ? drv->name : "(null)"))
		return -EINVAL;
	bus = drv->bus;
	if ((bus->probe && drv->probe) || (bus->remove && drv->remove))
		pr_warn("Driver '%s' needs updating - please use bus_type methods\n", drv->name);

	mutex_lock(&bus->iosim_lock);
	if (drv->iosim_registered || driver_find_locked(bus, drv->name)) {
		mutex_unlock(&bus->iosim_lock);
		pr_err("Error: Driver '%s' is already registered, aborting...\n", drv->name);
		return -EBUSY;
	}
	drv->iosim_bus_seq = ++bus->iosim_next_seq;
	list_add_tail(&drv->iosim_bus_node, &bus->iosim_drivers);
	drv->iosim_registered = true;
	mutex_unlock(&bus->iosim_lock);

	return driver_attach(drv);
}

static int detach_one(struct device *dev, void *data)
{
	if (dev->driver == data && dev->iosim_driver_bound)
		device_release_driver(dev);
	return 0;
}

/**
 * driver_unregister - unregister a driver
 * @drv: a driver registered with driver_register()
 *
 * Takes @drv off its bus, so that no device is probed against it any more,
 * then releases every device of the bus it is bound to
 * (device_release_driver(): the notifiers hear UNBIND and UNBOUND, and the
 * bus's or the driver's remove() runs), in the order they were added.
 *
 * Return: nothing.  A NULL @drv or one that is not registered WARNs, as the
 * kernel's "Unexpected driver unregister!", and nothing changes.
 */
void driver_unregister(struct device_driver *drv)
{
	struct bus_type *bus;

	if (WARN(!drv || !drv->iosim_registered, "Unexpected driver unregister!"))
		return;
	bus = drv->bus;
	mutex_lock(&bus->iosim_lock);
	list_del_init(&drv->iosim_bus_node);
	drv->iosim_registered = false;
	mutex_unlock(&bus->iosim_lock);
	bus_for_each_dev(bus, NULL, drv, detach_one);
}

int iosim_bus_check_drivers_locked(struct bus_type *bus)
{
	struct device_driver *drv;
	struct list_head *pos;
	u64 last_seq = 0;

	for (pos = bus->iosim_drivers.next; pos != &bus->iosim_drivers; pos = pos->next) {
		if (pos->next->prev != pos) {
			WARN(1, "bus '%s': driver list link broken after %p", bus->name, pos);
			return -EUCLEAN;
		}
		drv = list_entry(pos, struct device_driver, iosim_bus_node);
		/* Increasing sequence numbers also rule out a cycle. */
		if (drv->iosim_bus_seq <= last_seq || drv->iosim_bus_seq > bus->iosim_next_seq) {
			WARN(1, "bus '%s': driver %p has sequence %llu after %llu (issued %llu)",
			     bus->name, drv, (unsigned long long)drv->iosim_bus_seq,
			     (unsigned long long)last_seq, (unsigned long long)bus->iosim_next_seq);
			return -EUCLEAN;
		}
		last_seq = drv->iosim_bus_seq;
		if (!drv->iosim_registered || drv->bus != bus || !drv->name) {
			WARN(1, "bus '%s': driver %p on the list is %s", bus->name, drv,
			     !drv->iosim_registered ? "not marked registered" :
			     drv->bus != bus ? "on another bus" : "nameless");
			return -EUCLEAN;
		}
	}
	if (bus->iosim_drivers.prev->next != &bus->iosim_drivers) {
		WARN(1, "bus '%s': driver list tail does not close the list", bus->name);
		return -EUCLEAN;
	}
	return 0;
}
