/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/devres.h> - inspecting the managed resources of a device (devres,
 * declared in <linux/device.h>; docs/devres-dmapool.md).
 */
#ifndef _IOSIM_DEVRES_H
#define _IOSIM_DEVRES_H

#include <stddef.h>

struct device;

/**
 * iosim_devres_check - check the consistency of a device's managed resources
 * @dev: an initialised device
 *
 * Goes along @dev->devres_head with its lock held and verifies that each
 * entry's successor points back at it, that each resource has a release
 * function, that each group marker belongs to a group, and that a group's
 * closing marker comes after its opening marker (the closing marker of a
 * group still open is on no list at all).
 *
 * Context: any; takes @dev->devres_lock.
 * Return: 0 if all is well; -EUCLEAN after a WARN describing the first fault.
 */
int iosim_devres_check(struct device *dev);

/**
 * iosim_devres_count - the number of managed resources a device holds
 * @dev: the device
 *
 * Group markers are not resources and are not counted.
 *
 * Context: any; takes @dev->devres_lock.
 * Return: the count; 0 for a NULL device or one whose list was never set up.
 */
size_t iosim_devres_count(struct device *dev);

#endif /* _IOSIM_DEVRES_H */
