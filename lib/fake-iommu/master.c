// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Masters of the simulated IOMMU: devices whose DMA it translates, and the
 * driver's add_device/remove_device callbacks that put them in IOMMU groups.
 *
 * Two orders work:
 *  - iosim_iommu_add_master() before the device joins the instance's bus:
 *    device_add() notifies the core, which calls add_device;
 *  - the device is already on the bus (the core offered it to add_device,
 *    which said -ENODEV: not a master yet): iosim_iommu_add_master() calls
 *    add_device itself.
 * A master on the instance's bus leaves automatically when the device is
 * deleted (BUS_NOTIFY_REMOVED_DEVICE); others need
 * iosim_iommu_remove_master() before the device goes.
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/iommu.h>

#include "fake_iommu.h"

struct iosim_master *iosim_master_of(struct device *dev)
{
	struct iosim_master *master;

	if (!dev || !dev->archdata.iommu)
		return NULL;
	master = dev->iosim_master;
	if (!master || master->iommu != dev->archdata.iommu || master->dev != dev)
		return NULL;
	return master;
}

struct iosim_iommu *iosim_iommu_of_dev(struct device *dev)
{
	struct iosim_master *master = iosim_master_of(dev);

	return master ? master->iommu : NULL;
}

void iosim_master_detach_locked(struct iosim_master *master)
{
	if (!master->domain)
		return;
	master->domain->nr_masters--;
	master->domain = NULL;
}

/* Is @dev on the bus @iommu serves (so the core manages its group)? */
static bool iosim_master_on_iommu_bus(struct iosim_iommu *iommu, struct device *dev)
{
	return iommu->bus_set && dev->bus == iommu->cfg.bus;
}

int iosim_master_add_device(struct device *dev)
{
	struct iosim_master *master = iosim_master_of(dev);
	struct iommu_group *group;

	/* Not ours, or behind an instance that does not serve this bus. */
	if (!master || !iosim_master_on_iommu_bus(master->iommu, dev))
		return -ENODEV;

	group = iommu_group_get_for_dev(dev);
	if (IS_ERR(group))
		return PTR_ERR(group);
	iommu_group_put(group);
	return 0;
}

void iosim_master_remove_device(struct device *dev)
{
	struct iosim_master *master = iosim_master_of(dev);

	/*
	 * Stop translating first: leaving the group may free its default
	 * domain, which must not find the stream still pointing at it.
	 */
	if (master) {
		mutex_lock(&master->iommu->topology_lock);
		iosim_master_detach_locked(master);
		mutex_unlock(&master->iommu->topology_lock);
	}
	if (dev->iommu_group)
		iommu_group_remove_device(dev);
}

/* Unlink @master and give @dev back; its group membership is gone already. */
static void iosim_master_release(struct iosim_master *master)
{
	struct iosim_iommu *iommu = master->iommu;
	struct device *dev = master->dev;

	mutex_lock(&iommu->topology_lock);
	iosim_master_detach_locked(master);
	list_del(&master->node);
	iommu->nr_masters--;
	dev->archdata.iommu = NULL;
	dev->iosim_master = NULL;
	mutex_unlock(&iommu->topology_lock);
	put_device(dev);
	kfree(master);
}

int iosim_iommu_add_master(struct iosim_iommu *iommu, struct device *dev)
{
	struct iosim_master *master;
	int ret;

	if (WARN(!iommu || !dev, "iosim_iommu_add_master: NULL %s", iommu ? "device" : "IOMMU"))
		return -EINVAL;
	if (WARN(!iosim_iommu_is_live(iommu), "iosim_iommu_add_master: %p is not a live IOMMU",
		 iommu))
		return -EINVAL;
	if (WARN(dev->archdata.iommu || dev->iosim_master,
		 "iosim_iommu_add_master: %s is already behind an IOMMU", dev_name(dev)))
		return -EINVAL;

	master = kzalloc(sizeof(*master), GFP_KERNEL);
	if (!master)
		return -ENOMEM;
	master->dev = get_device(dev);
	master->iommu = iommu;

	mutex_lock(&iommu->topology_lock);
	list_add_tail(&master->node, &iommu->masters);
	iommu->nr_masters++;
	dev->archdata.iommu = iommu;
	dev->iosim_master = master;
	mutex_unlock(&iommu->topology_lock);

	/* Already on the bus: the core's notifier has been and gone. */
	if (iosim_master_on_iommu_bus(iommu, dev) && device_is_registered(dev) &&
	    !dev->iommu_group) {
		ret = iosim_master_add_device(dev);
		if (ret)
			goto out_release;
	}
	return 0;

out_release:
	iosim_master_release(master);
	return ret;
}

void iosim_iommu_remove_master(struct device *dev)
{
	struct iosim_master *master = iosim_master_of(dev);

	if (WARN(!master, "iosim_iommu_remove_master: %s is not behind a simulated IOMMU",
		 dev_name(dev)))
		return;
	if (dev->iommu_group && iosim_master_on_iommu_bus(master->iommu, dev))
		iosim_master_remove_device(dev);
	iosim_master_release(master);
}

/* The instance's bus notifier: a deleted device stops being a master. */
int iosim_master_bus_notifier(struct notifier_block *nb, unsigned long action, void *data)
{
	struct iosim_iommu *iommu = container_of(nb, struct iosim_iommu, bus_nb);
	struct device *dev = data;
	struct iosim_master *master;

	if (action != BUS_NOTIFY_REMOVED_DEVICE)
		return NOTIFY_DONE;
	master = iosim_master_of(dev);
	if (!master || master->iommu != iommu)
		return NOTIFY_DONE;
	iosim_iommu_remove_master(dev);
	return NOTIFY_OK;
}

void iosim_master_remove_all(struct iosim_iommu *iommu)
{
	struct iosim_master *master;

	for (;;) {
		mutex_lock(&iommu->topology_lock);
		master = list_first_entry_or_null(&iommu->masters, struct iosim_master, node);
		mutex_unlock(&iommu->topology_lock);
		if (!master)
			break;
		iosim_iommu_remove_master(master->dev);
	}
}
