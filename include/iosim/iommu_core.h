/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/iommu_core.h> - what the simulation needs from the IOMMU core
 * (lib/iommu) beyond the kernel's <linux/iommu.h>: undoing bus_set_iommu()
 * between tests, sanity checkers, and read-only views of a group that the
 * kernel only exposed through sysfs.
 */
#ifndef _IOSIM_IOMMU_CORE_H
#define _IOSIM_IOMMU_CORE_H

#include <linux/iommu.h>

/**
 * iosim_bus_clear_iommu - undo bus_set_iommu() (the kernel of 2015 had no way)
 * @bus: a bus whose IOMMU ops were set with bus_set_iommu()
 *
 * Unregisters the core's bus notifier, calls the driver's ->remove_device()
 * for every device on @bus that is in an IOMMU group (as BUS_NOTIFY_DEL_DEVICE
 * would), then clears @bus->iommu_ops so that bus_set_iommu() may be called
 * again.  Domains the caller allocated are not touched: free them first.
 *
 * Context: process context; takes the bus's device list lock.
 * Return: 0; -ENODEV if @bus has no IOMMU ops; -EINVAL (with a WARN) for a
 * NULL @bus, or for ops set directly rather than with bus_set_iommu() (then
 * @bus->iommu_ops is cleared but no device is visited).
 */
int iosim_bus_clear_iommu(struct bus_type *bus);

/**
 * iosim_iommu_group_check - sanity checker for one group
 * @group: a live group
 *
 * Checks the invariants stated at struct iommu_group (lib/iommu/iommu-priv.h):
 * the group is on the global list, each member device points back at it and
 * appears once, the member count matches the list, the reference count covers
 * every member, and a group with a default domain is attached to a domain.
 *
 * Context: takes the global group list lock and @group's mutex.
 * Return: 0, or -EUCLEAN after WARNing each problem found.
 */
int iosim_iommu_group_check(struct iommu_group *group);

/**
 * iosim_iommu_check - sanity checker for every live group
 *
 * Runs iosim_iommu_group_check() on each live group and checks that the
 * global list is sorted by strictly increasing id.
 *
 * Return: 0, or -EUCLEAN after WARNing each problem found.
 */
int iosim_iommu_check(void);

/** iosim_iommu_nr_groups - number of live IOMMU groups. */
unsigned int iosim_iommu_nr_groups(void);

/**
 * iosim_iommu_group_refcount - @group's reference count (the kernel's
 * kobject count, which sysfs never showed); -1 with a WARN for NULL.
 */
int iosim_iommu_group_refcount(struct iommu_group *group);

/** iosim_iommu_group_nr_devices - member devices of @group (0 with a WARN for NULL). */
unsigned int iosim_iommu_group_nr_devices(struct iommu_group *group);

/**
 * iosim_iommu_group_name - the name set by iommu_group_set_name(), or NULL
 * (the kernel's sysfs "name" attribute).  Valid until the name is changed.
 */
const char *iosim_iommu_group_name(struct iommu_group *group);

/**
 * iosim_iommu_group_domain - the domain @group is attached to right now
 * (what iommu_get_domain_for_dev() returns for its members), or NULL.
 */
struct iommu_domain *iosim_iommu_group_domain(struct iommu_group *group);

#endif /* _IOSIM_IOMMU_CORE_H */
