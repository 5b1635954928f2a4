// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Binding an IOMMU driver to a bus: bus_set_iommu() installs the driver's
 * ops and a bus notifier that hands devices to the driver's add_device and
 * remove_device callbacks as they come and go (drivers/iommu/iommu.c of
 * 2015).  iosim_bus_clear_iommu() undoes it, which the kernel never needed.
 *
 * 4.2 called remove_device on BUS_NOTIFY_DEL_DEVICE (before the device leaves
 * the bus); so do we.  The other BUS_NOTIFY_*_DRIVER events are republished
 * to the device's group notifier as IOMMU_GROUP_NOTIFY_*.
 */
#define pr_fmt(fmt)	"iommu: " fmt

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include <iosim/iommu_core.h>

#include "iommu-priv.h"

/* What bus_set_iommu() installed on one bus (the kernel leaked its nb). */
struct iommu_bus_binding {
	struct list_head list;		/* on iommu_bus_bindings */
	struct bus_type *bus;
	const struct iommu_ops *ops;
	struct notifier_block nb;
};

static LIST_HEAD(iommu_bus_bindings);
static DEFINE_MUTEX(iommu_bus_lock);	/* bindings and bus->iommu_ops */

static unsigned long iommu_group_action(unsigned long bus_action)
{
	switch (bus_action) {
	case BUS_NOTIFY_BIND_DRIVER:
		return IOMMU_GROUP_NOTIFY_BIND_DRIVER;
	case BUS_NOTIFY_BOUND_DRIVER:
		return IOMMU_GROUP_NOTIFY_BOUND_DRIVER;
	case BUS_NOTIFY_UNBIND_DRIVER:
		return IOMMU_GROUP_NOTIFY_UNBIND_DRIVER;
	case BUS_NOTIFY_UNBOUND_DRIVER:
		return IOMMU_GROUP_NOTIFY_UNBOUND_DRIVER;
	default:
		return 0;
	}
}

static int iommu_bus_notifier(struct notifier_block *nb, unsigned long action, void *data)
{
	struct iommu_bus_binding *binding = container_of(nb, struct iommu_bus_binding, nb);
	const struct iommu_ops *ops = binding->ops;
	struct device *dev = data;
	struct iommu_group *group;
	unsigned long group_action;

	/*
	 * ADD/DEL call into the IOMMU driver, which may in turn notify the
	 * group.  A failing add_device leaves the device without an IOMMU; it
	 * does not stop the chain (the kernel returned the errno as a notifier
	 * value, which cut off lower-priority notifiers such as the arm64 DMA
	 * attach notifier).
	 */
	if (action == BUS_NOTIFY_ADD_DEVICE) {
		if (ops->add_device) {
			int ret = ops->add_device(dev);

			if (ret && ret != -ENODEV)
				pr_warn("%s: IOMMU add_device failed (%d)\n", dev_name(dev), ret);
		}
		return NOTIFY_DONE;
	}
	if (action == BUS_NOTIFY_DEL_DEVICE) {
		if (ops->remove_device && dev->iommu_group)
			ops->remove_device(dev);
		return NOTIFY_DONE;
	}

	/* Remaining events are filtered and republished to the group. */
	group_action = iommu_group_action(action);
	if (!group_action)
		return NOTIFY_DONE;
	group = iommu_group_get(dev);
	if (!group)
		return NOTIFY_DONE;
	blocking_notifier_call_chain(&group->notifier, group_action, dev);
	iommu_group_put(group);
	return NOTIFY_DONE;
}

struct iommu_bus_walk {
	const struct iommu_ops *ops;
	unsigned int nr_done;		/* devices handed to add_device */
	unsigned int nr_undo;		/* devices to hand to remove_device */
	int err;
};

static int iommu_bus_add_one(struct device *dev, void *data)
{
	struct iommu_bus_walk *walk = data;
	int ret;

	if (!walk->ops->add_device)
		return 0;
	WARN(dev->iommu_group, "%s: already in IOMMU group %d before bus_set_iommu",
	     dev_name(dev), dev->iommu_group ? dev->iommu_group->id : -1);
	ret = walk->ops->add_device(dev);
	/* -ENODEV: the device is not behind this IOMMU, which is fine. */
	if (ret && ret != -ENODEV) {
		walk->err = ret;
		return ret;
	}
	walk->nr_done++;
	return 0;
}

static int iommu_bus_remove_one(struct device *dev, void *data)
{
	struct iommu_bus_walk *walk = data;

	if (!walk->nr_undo)
		return 1;	/* stop: the rest were never added */
	walk->nr_undo--;
	if (walk->ops->remove_device && dev->iommu_group)
		walk->ops->remove_device(dev);
	return 0;
}

static struct iommu_bus_binding *iommu_bus_find_binding(struct bus_type *bus)
{
	struct iommu_bus_binding *binding;

	list_for_each_entry(binding, &iommu_bus_bindings, list)
		if (binding->bus == bus)
			return binding;
	return NULL;
}

/**
 * bus_set_iommu - install an IOMMU driver's ops on a bus
 * @bus: the bus
 * @ops: the driver's callbacks and page sizes
 *
 * Sets @bus->iommu_ops, registers the core's bus notifier (new devices go to
 * @ops->add_device, departing ones to @ops->remove_device) and hands every
 * device already on @bus to @ops->add_device.  An add_device that returns
 * -ENODEV (device not behind this IOMMU) is fine; any other error undoes
 * everything (remove_device for the devices already added), which is what
 * later kernels did where 4.2 ignored the error.
 *
 * Context: process context; walks the bus's device list.
 * Return: 0; -EBUSY if @bus already has IOMMU ops (several IOMMU instances
 * of one driver all call this; the first wins); -ENOMEM; the notifier
 * chain's errno; add_device's errno.  -EINVAL (WARN) for a NULL argument.
 * On error @bus is as it was.
 */
int bus_set_iommu(struct bus_type *bus, const struct iommu_ops *ops)
{
	struct iommu_bus_binding *binding;
	struct iommu_bus_walk walk = { .ops = ops };
	int ret;

	if (WARN(!bus || !ops, "bus_set_iommu: NULL %s", bus ? "ops" : "bus"))
		return -EINVAL;

	mutex_lock(&iommu_bus_lock);
	if (bus->iommu_ops) {
		ret = -EBUSY;
		goto out_unlock;
	}

	binding = kzalloc(sizeof(*binding), GFP_KERNEL);
	if (!binding) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	binding->bus = bus;
	binding->ops = ops;
	binding->nb.notifier_call = iommu_bus_notifier;

	bus->iommu_ops = ops;
	ret = bus_register_notifier(bus, &binding->nb);
	if (ret)
		goto out_clear_ops;

	ret = bus_for_each_dev(bus, NULL, &walk, iommu_bus_add_one);
	if (ret) {
		ret = walk.err ? walk.err : ret;
		goto out_remove_devices;
	}

	list_add_tail(&binding->list, &iommu_bus_bindings);
	mutex_unlock(&iommu_bus_lock);
	return 0;

out_remove_devices:
	walk.nr_undo = walk.nr_done;
	bus_for_each_dev(bus, NULL, &walk, iommu_bus_remove_one);
	bus_unregister_notifier(bus, &binding->nb);
out_clear_ops:
	bus->iommu_ops = NULL;
	kfree(binding);
out_unlock:
	mutex_unlock(&iommu_bus_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(bus_set_iommu);

static int iommu_bus_clear_one(struct device *dev, void *data)
{
	const struct iommu_ops *ops = data;

	if (ops->remove_device && dev->iommu_group)
		ops->remove_device(dev);
	return 0;
}

int iosim_bus_clear_iommu(struct bus_type *bus)
{
	struct iommu_bus_binding *binding;
	int ret = 0;

	if (WARN(!bus, "iosim_bus_clear_iommu: NULL bus"))
		return -EINVAL;

	mutex_lock(&iommu_bus_lock);
	if (!bus->iommu_ops) {
		ret = -ENODEV;
		goto out_unlock;
	}
	binding = iommu_bus_find_binding(bus);
	if (WARN(!binding, "iosim_bus_clear_iommu: %s's IOMMU ops were not set by bus_set_iommu",
		 bus->name ? bus->name : "(unnamed bus)")) {
		bus->iommu_ops = NULL;
		ret = -EINVAL;
		goto out_unlock;
	}

	/* No new devices reach the driver from here on. */
	bus_unregister_notifier(bus, &binding->nb);
	bus_for_each_dev(bus, NULL, (void *)binding->ops, iommu_bus_clear_one);
	bus->iommu_ops = NULL;
	list_del(&binding->list);
	kfree(binding);
out_unlock:
	mutex_unlock(&iommu_bus_lock);
	return ret;
}

/**
 * iommu_present - does a bus have an IOMMU?
 * @bus: the bus
 *
 * Return: true if bus_set_iommu() installed ops on @bus; false otherwise
 * (and, with a WARN, for a NULL @bus).
 */
bool iommu_present(struct bus_type *bus)
{
	if (WARN(!bus, "iommu_present: NULL bus"))
		return false;
	return READ_ONCE(bus->iommu_ops) != NULL;
}
EXPORT_SYMBOL_GPL(iommu_present);

/**
 * iommu_capable - does a bus's IOMMU have a capability?
 * @bus: the bus
 * @cap: the capability
 *
 * Return: the driver's answer; false if @bus has no IOMMU or the driver has
 * no capable callback (and, with a WARN, for a NULL @bus).
 */
bool iommu_capable(struct bus_type *bus, enum iommu_cap cap)
{
	const struct iommu_ops *ops;

	if (WARN(!bus, "iommu_capable: NULL bus"))
		return false;
	ops = READ_ONCE(bus->iommu_ops);
	if (!ops || !ops->capable)
		return false;
	return ops->capable(cap);
}
EXPORT_SYMBOL_GPL(iommu_capable);
