/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * compat/drivers/base.h - private to the device model (the simulation's
 * drivers/base/base.h): how core.c puts devices on and takes them off a bus
 * list, which bus.c owns together with its lock, and how dd.c walks the
 * drivers that driver.c keeps.
 */
#ifndef _IOSIM_DRIVERS_BASE_H
#define _IOSIM_DRIVERS_BASE_H

#include <linux/device.h>

/*
 * Link @dev (holding a reference for the list) at the tail of dev->bus's
 * list.  Return: 0, or -EEXIST if it is already on a bus list.
 */
int iosim_bus_add_device(struct device *dev);

/*
 * Mark @dev as being removed so that a second device_del() racing or nested
 * with this one is refused.  Return: the bus @dev is on, or NULL if it is not
 * on any bus list or is already being removed.
 */
struct bus_type *iosim_bus_begin_remove(struct device *dev);

/* Unlink @dev from @bus's list (the list's reference is the caller's to drop). */
void iosim_bus_remove_device(struct bus_type *bus, struct device *dev);

/* Send @action about @dev to @bus's notifier chain, without the list lock. */
void iosim_bus_notify(struct bus_type *bus, unsigned long action, struct device *dev);

/*
 * The first driver on @bus registered after *@prev_seq (0: the first of
 * all), which moves *@prev_seq past it; NULL at the end.  Takes the bus lock.
 */
struct device_driver *iosim_bus_next_driver(struct bus_type *bus, u64 *prev_seq);

/* Check @bus's driver list (iosim_bus_check()).  Bus lock held.  0 or -EUCLEAN. */
int iosim_bus_check_drivers_locked(struct bus_type *bus);

/* Is @dev initialised and not yet released? */
static inline bool iosim_device_alive(const struct device *dev)
{
	return dev->iosim_initialized && atomic_read(&dev->iosim_refcount) > 0;
}

#endif /* _IOSIM_DRIVERS_BASE_H */
