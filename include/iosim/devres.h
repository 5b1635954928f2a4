/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/devres.h> - checking a device's managed resources (devres,
 * <linux/device.h>; docs/devres-dmapool.md).
 */
#ifndef _IOSIM_DEVRES_H
#define _IOSIM_DEVRES_H

#include <stddef.h>

struct device;

/**
 * iosim_devres_check - the sanity checker of a device's managed resources
 * @dev: an initialised device
 *
 * Walks @dev->devres_head under its lock: every link is mutual (each
 * node's next points back at it), every node has a release function, and
 * the markers of devres groups pair up (a group's closing marker comes after
 * its opening marker; an open group's closing marker is on no list).
 *
 * Context: any; takes @dev->devres_lock.
 * Return: 0 if consistent; -EUCLEAN after a WARN naming the first problem.
 */
int iosim_devres_check(struct device *dev);

/**
 * iosim_devres_count - how many managed resources @dev holds (group markers
 * not counted); 0 for a device whose list was never initialised.
 *
 * Context: any; takes @dev->devres_lock.
 */
size_t iosim_devres_count(struct device *dev);

#endif /* _IOSIM_DEVRES_H */
