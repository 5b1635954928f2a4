// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Buses (drivers/base/bus.c of 2015, without sysfs): a bus is a list of
 * devices in the order they were added and a list of drivers (driver.c),
 * guarded by one mutex, plus a blocking notifier chain that hears
 * BUS_NOTIFY_* about them.
 *
 * Walking a bus with bus_for_each_dev() does not hold the list lock while
 * the callback runs (the kernel's klist walk does not either), so a callback
 * may add, delete or walk devices of the same bus.  The walk keeps a
 * reference on the device it stands on and finds its way on by the device's
 * sequence number, which increases along the list: if the device was taken
 * off the list meanwhile, the walk resumes at the first device added after
 * it.
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <iosim/device.h>

#include "base.h"

/**
 * bus_register - make a bus ready for devices and notifiers
 * @bus: the bus, with its name set; its iosim_ fields are initialised here
 *
 * A bus defined with its iosim_ fields statically initialised and
 * iosim_registered set (as platform_bus_type is) needs no bus_register().
 *
 * Context: process context.
 * Return: 0; -EINVAL (WARN) for a NULL @bus; -EEXIST (WARN) if @bus is
 * already registered, which leaves it untouched.
 */
int bus_register(struct bus_type *bus)
{
	if (WARN(!bus, "bus_register: NULL bus"))
		return -EINVAL;
	if (WARN(bus->iosim_registered, "bus_register: bus '%s' is already registered",
		 bus->name))
		return -EEXIST;

	mutex_init(&bus->iosim_lock);
	INIT_LIST_HEAD(&bus->iosim_devices);
	INIT_LIST_HEAD(&bus->iosim_drivers);
	BLOCKING_INIT_NOTIFIER_HEAD(&bus->iosim_notifier);
	bus->iosim_next_seq = 0;
	bus->iosim_registered = true;
	return 0;
}

/**
 * bus_unregister - take a bus out of service
 * @bus: a registered bus with no devices or drivers left on it
 *
 * Notifier blocks still registered are forgotten, as the kernel frees the
 * chain with the bus's private data.
 *
 * Context: process context; no walk or notification of @bus in progress.
 * Return: nothing.  A NULL or unregistered @bus, or one that still has
 * devices or drivers (they each hold it), WARNs and is left as it was.
 */
void bus_unregister(struct bus_type *bus)
{
	if (WARN(!bus || !bus->iosim_registered, "bus_unregister: bus '%s' is not registered",
		 bus ? bus->name : "(null)"))
		return;

	mutex_lock(&bus->iosim_lock);
	if (WARN(!list_empty(&bus->iosim_devices) || !list_empty(&bus->iosim_drivers),
		 "bus_unregister: bus '%s' still has %s", bus->name,
		 list_empty(&bus->iosim_devices) ? "drivers" : "devices")) {
		mutex_unlock(&bus->iosim_lock);
		return;
	}
	bus->iosim_registered = false;
	mutex_unlock(&bus->iosim_lock);

	pthread_rwlock_wrlock(&bus->iosim_notifier.rwsem);
	bus->iosim_notifier.head = NULL;
	pthread_rwlock_unlock(&bus->iosim_notifier.rwsem);
	pthread_rwlock_destroy(&bus->iosim_notifier.rwsem);
	mutex_destroy(&bus->iosim_lock);
}

/**
 * bus_register_notifier - hear about devices added to and removed from a bus
 * @bus: a registered bus
 * @nb: the block; called with a BUS_NOTIFY_* action and the struct device *
 *
 * Context: process context; not from a callback of @bus's own chain.
 * Return: 0; -EINVAL (WARN) if @bus is NULL or not registered; otherwise as
 * blocking_notifier_chain_register() (-EEXIST if @nb is already registered).
 */
int bus_register_notifier(struct bus_type *bus, struct notifier_block *nb)
{
	if (WARN(!bus || !bus->iosim_registered,
		 "bus_register_notifier: bus '%s' is not registered", bus ? bus->name : "(null)"))
		return -EINVAL;
	return blocking_notifier_chain_register(&bus->iosim_notifier, nb);
}

/**
 * bus_unregister_notifier - stop hearing about a bus
 * @bus: a registered bus
 * @nb: a block registered with bus_register_notifier()
 *
 * Context: process context; not from a callback of @bus's own chain.  When
 * this returns, no callback of @nb is running.
 * Return: 0; -EINVAL (WARN) if @bus is NULL or not registered; -ENOENT
 * (WARN) if @nb is not registered on @bus.
 */
int bus_unregister_notifier(struct bus_type *bus, struct notifier_block *nb)
{
	if (WARN(!bus || !bus->iosim_registered,
		 "bus_unregister_notifier: bus '%s' is not registered", bus ? bus->name : "(null)"))
		return -EINVAL;
	return blocking_notifier_chain_unregister(&bus->iosim_notifier, nb);
}

void iosim_bus_notify(struct bus_type *bus, unsigned long action, struct device *dev)
{
	blocking_notifier_call_chain(&bus->iosim_notifier, action, dev);
}

int iosim_bus_add_device(struct device *dev)
{
	struct bus_type *bus = dev->bus;

	mutex_lock(&bus->iosim_lock);
	if (dev->iosim_bus) {
		mutex_unlock(&bus->iosim_lock);
		return -EEXIST;
	}
	/* The list's own reference, as the kernel's klist takes one. */
	atomic_inc(&dev->iosim_refcount);
	dev->iosim_bus_seq = ++bus->iosim_next_seq;
	list_add_tail(&dev->iosim_bus_node, &bus->iosim_devices);
	/* Atomic: put_device() and device_add() read it without the lock. */
	__atomic_store_n(&dev->iosim_bus, bus, __ATOMIC_RELEASE);
	dev->iosim_added = true;
	dev->iosim_removing = false;
	mutex_unlock(&bus->iosim_lock);
	return 0;
}

struct bus_type *iosim_bus_begin_remove(struct device *dev)
{
	struct bus_type *bus = __atomic_load_n(&dev->iosim_bus, __ATOMIC_ACQUIRE);

	if (!bus)
		return NULL;
	mutex_lock(&bus->iosim_lock);
	if (dev->iosim_bus != bus || dev->iosim_removing) {
		mutex_unlock(&bus->iosim_lock);
		return NULL;
	}
	dev->iosim_removing = true;
	mutex_unlock(&bus->iosim_lock);
	return bus;
}

void iosim_bus_remove_device(struct bus_type *bus, struct device *dev)
{
	mutex_lock(&bus->iosim_lock);
	list_del_init(&dev->iosim_bus_node);
	dev->iosim_added = false;
	dev->iosim_removing = false;
	__atomic_store_n(&dev->iosim_bus, NULL, __ATOMIC_RELEASE);
	mutex_unlock(&bus->iosim_lock);
}

/*
 * The device after @prev (whose sequence number was @prev_seq when the walk
 * stood on it), or the first device if @prev is NULL.  If @prev has left the
 * list, or left and come back at the tail, resume at the first device added
 * after it.  Called with the list lock held.
 */
static struct device *next_device_locked(struct bus_type *bus, struct device *prev,
					 u64 prev_seq)
{
	struct list_head *pos;
	struct device *dev;

	if (prev && prev->iosim_bus == bus && prev->iosim_bus_seq == prev_seq) {
		pos = prev->iosim_bus_node.next;
		if (pos == &bus->iosim_devices)
			return NULL;
		return list_entry(pos, struct device, iosim_bus_node);
	}
	list_for_each_entry(dev, &bus->iosim_devices, iosim_bus_node)
		if (dev->iosim_bus_seq > prev_seq)
			return dev;
	return NULL;
}

/**
 * bus_for_each_dev - call a function for each device on a bus
 * @bus: a registered bus
 * @start: begin after this device (which must be on @bus); NULL: from the first
 * @data: passed to @fn
 * @fn: called for each device in the order they were added; a non-zero
 *	return stops the walk
 *
 * @fn runs without the bus lock held and with a reference on the device it
 * is given, so it may add, delete or release devices of @bus (including the
 * one it is given) or walk @bus again.  Devices added during the walk are
 * visited if they land after the walk's position.
 *
 * Context: process context.
 * Return: 0 if every call returned 0, else the first non-zero value @fn
 * returned; -EINVAL (WARN) for a NULL or unregistered @bus, a NULL @fn, or a
 * @start that is not on @bus, with no call made.
 */
int bus_for_each_dev(struct bus_type *bus, struct device *start, void *data,
		     int (*fn)(struct device *dev, void *data))
{
	struct device *prev, *dev, *held = NULL;
	u64 prev_seq = 0;
	int error = 0;

	if (WARN(!bus || !bus->iosim_registered, "bus_for_each_dev: bus '%s' is not registered",
		 bus ? bus->name : "(null)"))
		return -EINVAL;
	if (WARN(!fn, "bus_for_each_dev: NULL function"))
		return -EINVAL;

	mutex_lock(&bus->iosim_lock);
	if (start) {
		if (WARN(start->iosim_bus != bus,
			 "bus_for_each_dev: start device '%s' is not on bus '%s'",
			 dev_name(start), bus->name)) {
			mutex_unlock(&bus->iosim_lock);
			return -EINVAL;
		}
		prev_seq = start->iosim_bus_seq;
	}
	prev = start;	/* the caller's reference keeps @start alive */
	while (!error && (dev = next_device_locked(bus, prev, prev_seq))) {
		/* Keep @dev alive across the unlocked call and the next step. */
		atomic_inc(&dev->iosim_refcount);
		prev = dev;
		prev_seq = dev->iosim_bus_seq;
		mutex_unlock(&bus->iosim_lock);
		if (held)
			put_device(held);
		held = dev;
		error = fn(dev, data);
		mutex_lock(&bus->iosim_lock);
	}
	mutex_unlock(&bus->iosim_lock);
	if (held)
		put_device(held);
	return error;
}

/**
 * iosim_bus_check - verify a bus's device list
 * @bus: a registered bus
 *
 * Checks that the device list is well linked and in increasing sequence
 * order, and that each device on it is initialised, alive, added, points
 * back at @bus, is not yet past @bus's last sequence number, and has a
 * driver if one is bound; the same of the driver list (registered, on
 * @bus, named); then checks the notifier chain with
 * iosim_notifier_chain_check().
 *
 * Context: takes the list lock, then the chain's read lock.
 * Return: 0 if consistent; -EUCLEAN after a WARN naming the first problem.
 */
int iosim_bus_check(struct bus_type *bus)
{
	struct list_head *pos;
	struct device *dev;
	u64 last_seq = 0;
	int ret = 0;

	if (WARN(!bus || !bus->iosim_registered, "iosim_bus_check: bus '%s' is not registered",
		 bus ? bus->name : "(null)"))
		return -EUCLEAN;

	mutex_lock(&bus->iosim_lock);
	for (pos = bus->iosim_devices.next; pos != &bus->iosim_devices; pos = pos->next) {
		if (pos->next->prev != pos) {
			WARN(1, "bus '%s': list link broken after %p", bus->name, pos);
			ret = -EUCLEAN;
			break;
		}
		dev = list_entry(pos, struct device, iosim_bus_node);
		/* Increasing sequence numbers also rule out a cycle. */
		if (dev->iosim_bus_seq <= last_seq || dev->iosim_bus_seq > bus->iosim_next_seq) {
			WARN(1, "bus '%s': device %p has sequence %llu after %llu (issued %llu)",
			     bus->name, dev, (unsigned long long)dev->iosim_bus_seq,
			     (unsigned long long)last_seq,
			     (unsigned long long)bus->iosim_next_seq);
			ret = -EUCLEAN;
			break;
		}
		last_seq = dev->iosim_bus_seq;
		if (!iosim_device_alive(dev) || !dev->iosim_added || dev->iosim_bus != bus ||
		    dev->bus != bus || (dev->iosim_driver_bound && !dev->driver)) {
			WARN(1, "bus '%s': device '%s' on the list is %s", bus->name, dev_name(dev),
			     !iosim_device_alive(dev) ? "released or not initialized" :
			     !dev->iosim_added ? "not marked added" :
			     dev->iosim_driver_bound && !dev->driver ? "bound to no driver" :
			     "on another bus");
			ret = -EUCLEAN;
			break;
		}
	}
	if (!ret && bus->iosim_devices.prev->next != &bus->iosim_devices) {
		WARN(1, "bus '%s': list tail does not close the list", bus->name);
		ret = -EUCLEAN;
	}
	if (!ret)
		ret = iosim_bus_check_drivers_locked(bus);
	mutex_unlock(&bus->iosim_lock);
	if (ret)
		return ret;
	return iosim_notifier_chain_check(&bus->iosim_notifier);
}
