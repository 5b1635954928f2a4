// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * arm64 device DMA set-up (the seed's patch 3/3 and the set-up half of
 * 2/3), in our own code.  arch_setup_dma_ops() runs when a device is
 * created, before device_add(): the device gets a DMA domain (its group's
 * default domain if it already has one, else one made here from the IOMMU's
 * ops) and is attached now if it already has an IOMMU group, or from a bus
 * notifier once the IOMMU core has given it one.
 *
 * Fixed against the seed:
 *  - the IOMMU ops are installed only once the device is attached: a
 *    queued device keeps the default (direct) ops until then, and a failed
 *    later attach leaves it working on them (the seed installed the IOMMU
 *    ops at queueing time: a failed attach left a device with IOMMU ops and
 *    no domain);
 *  - each set-up is remembered in a record (dev->iosim_dma) saying what was
 *    made: teardown frees exactly that, whether the device was attached,
 *    still queued, or already deleted (the seed's teardown found nothing to
 *    free for a queued device and leaked its entry and domain);
 *  - a queued record holds a reference on its device, so a device destroyed
 *    before it was added cannot leave a dangling entry behind;
 *  - the notifier attaches only the device being added; other queued
 *    devices wait for their own addition.
 */
#include "arm64-dma-mapping.h"
#include "iommu-dma-ops.h"

#include <linux/dma-iommu.h>
#include <linux/notifier.h>
#include <linux/platform_device.h>
#include <linux/amba/bus.h>
#include <iosim/dma.h>

/**
 * struct arm64_dma_master - what arch_setup_dma_ops() did for one device
 * @list: on arm64_dma_masters
 * @dev: the device (a reference is held while the record exists)
 * @dom: its DMA domain
 * @own_domain: allocated here (freed by teardown); else the group's default
 * @own_cookie: iommu_get_dma_cookie() was called here (put by teardown)
 * @attached: @dev is attached to @domain and uses the IOMMU ops
 */
struct arm64_dma_master {
	struct list_head list;
	struct device *dev;
	struct iommu_domain *dom;
	bool own_domain;
	bool own_cookie;
	bool attached;
};

static LIST_HEAD(arm64_dma_masters);
static DEFINE_MUTEX(arm64_dma_masters_lock);

/*
 * Attach @m's device now; on success it switches to the IOMMU ops.  Lock
 * held.  The IOMMU DMA ops find the domain through the device's group
 * (iommu_get_domain_for_dev()), so a device the IOMMU core could not put in
 * a group is not attached at all, though the core would allow it.
 */
static int arm64_dma_attach(struct arm64_dma_master *m)
{
	int err;

	if (!m->dev->iommu_group)
		return -ENODEV;
	err = iommu_attach_device(m->dom, m->dev);
	if (err)
		return err;
	m->attached = true;
	set_dma_ops(m->dev, &iommu_dma_ops);
	return 0;
}

static int arm64_dma_bus_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct device *dev = data;
	struct arm64_dma_master *m;

	mutex_lock(&arm64_dma_masters_lock);
	list_for_each_entry(m, &arm64_dma_masters, list) {
		if (m->dev != dev)
			continue;
		if (action == BUS_NOTIFY_ADD_DEVICE && !m->attached && arm64_dma_attach(m))
			pr_warn("Failed to attach device %s to IOMMU mapping; "
				"retaining platform DMA ops\n",
				dev_name(dev));
		/*
		 * The IOMMU core's notifier (higher priority) has already taken
		 * the device out of its group: it no longer translates.
		 */
		if (action == BUS_NOTIFY_DEL_DEVICE && m->attached &&
		    iommu_get_domain_for_dev(dev) != m->dom) {
			m->attached = false;
			if (dev->archdata.dma_ops == &iommu_dma_ops)
				set_dma_ops(dev, NULL);
		}
		break;
	}
	mutex_unlock(&arm64_dma_masters_lock);
	return 0;
}

/*
 * After the IOMMU core's add_device notifier (default priority 0), before
 * any driver can probe: lower priority, as the seed does.
 */
static int arm64_dma_register_notifier(struct bus_type *bus)
{
	struct notifier_block *nb;
	int err;

	nb = kzalloc(sizeof(struct notifier_block), GFP_KERNEL);
	if (!nb)
		return -ENOMEM;
	nb->notifier_call = arm64_dma_bus_notify;
	nb->priority = -100;
	err = bus_register_notifier(bus, nb);
	if (err) {
		pr_warn("Failed to register DMA domain notifier; "
			"IOMMU DMA ops unavailable on bus '%s'\n",
			bus->name);
		kfree(nb);
	}
	return err;
}

static int __init arm64_iommu_dma_boot(void)
{
	int err = iommu_dma_init();

	if (!err)
		err = arm64_dma_register_notifier(&platform_bus_type);
	if (!err)
		err = arm64_dma_register_notifier(&amba_bustype);
	return err;
}
arch_initcall(arm64_iommu_dma_boot);

/* Undo what arm64_iommu_setup() made for @m (not its list membership). */
static void arm64_dma_master_release(struct arm64_dma_master *m)
{
	struct iommu_domain *dom = m->dom;

	if (m->attached && m->own_domain && iommu_get_domain_for_dev(m->dev) == dom)
		iommu_detach_device(dom, m->dev);
	if (m->dev->archdata.dma_ops == &iommu_dma_ops)
		set_dma_ops(m->dev, NULL);
	if (m->own_cookie)
		iommu_put_dma_cookie(dom);
	if (m->own_domain)
		iommu_domain_free(dom);
	m->dev->iosim_dma = NULL;
	put_device(m->dev);
	kfree(m);
}

static void arm64_iommu_setup(struct device *dev, u64 dma_base, u64 size,
			      const struct iommu_ops *drv)
{
	struct arm64_dma_master *m;
	struct iommu_domain *dom;
	bool in_group_domain;

	if (!drv)
		return;
	if (WARN(dev->iosim_dma, "arch_setup_dma_ops: device %s is already set up",
		 dev_name(dev)))
		return;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		goto out_fail;
	m->dev = get_device(dev);

	/* The IOMMU core may already have attached the device to its default domain. */
	dom = iommu_get_domain_for_dev(dev);
	in_group_domain = dom != NULL;
	if (!dom) {
		dom = drv->domain_alloc(IOMMU_DOMAIN_DMA);
		if (!dom)
			dom = drv->domain_alloc(IOMMU_DOMAIN_UNMANAGED);
		if (!dom)
			goto out_free_master;
		dom->ops = drv;
		dom->type = IOMMU_DOMAIN_DMA;
		m->own_domain = true;
		if (!dom->dma_api_cookie) {
			if (iommu_get_dma_cookie(dom))
				goto out_release;
			m->own_cookie = true;
		}
	}
	m->dom = dom;

	if (iommu_dma_init_domain(dom, dma_base, size)) {
		pr_warn("Failed to create %llu-byte IOMMU mapping "
			"for device %s\n",
			(unsigned long long)size, dev_name(dev));
		goto out_release;
	}

	mutex_lock(&arm64_dma_masters_lock);
	if (in_group_domain) {
		m->attached = true;
		set_dma_ops(dev, &iommu_dma_ops);
	} else if (dev->iommu_group && arm64_dma_attach(m)) {
		mutex_unlock(&arm64_dma_masters_lock);
		goto out_release;
	}
	/* Without a group yet, the bus notifier attaches it when it is added. */
	list_add_tail(&m->list, &arm64_dma_masters);
	dev->iosim_dma = m;
	mutex_unlock(&arm64_dma_masters_lock);
	return;

out_release:
	m->dom = dom;
	arm64_dma_master_release(m);
	goto out_fail;
out_free_master:
	put_device(dev);
	kfree(m);
out_fail:
	pr_warn("Failed to set up IOMMU domain "
		"for device %s\n", dev_name(dev));
}

/**
 * arch_setup_dma_ops - set up a device's DMA when it is created
 * @dev: the device, not yet added to its bus
 * @dma_base: lowest DMA address the device may use
 * @size: bytes of DMA address space from @dma_base (its DMA window)
 * @iommu: the ops of the IOMMU in front of the device, or NULL
 * @coherent: the device snoops the CPU's caches
 *
 * Records @coherent.  With @iommu, gives the device a DMA domain and the
 * IOMMU DMA ops once it is attached (now if it has an IOMMU group, else
 * when added to the platform or AMBA bus); on any failure it keeps the
 * default ops and a warning says why.  Undo with arch_teardown_dma_ops().
 *
 * Context: process context; may sleep.
 */
void arch_setup_dma_ops(struct device *dev, u64 dma_base, u64 size, struct iommu_ops *iommu,
			bool coherent)
{
	if (WARN(!dev, "arch_setup_dma_ops: NULL device"))
		return;
	/* ACPI systems give every device the default ops explicitly. */
	if (!dev->archdata.dma_ops && !acpi_disabled)
		set_dma_ops(dev, dma_ops);
	dev->archdata.dma_coherent = !!coherent;
	arm64_iommu_setup(dev, dma_base, size, iommu);
}

/**
 * arch_teardown_dma_ops - undo arch_setup_dma_ops()
 * @dev: the device (attached, still queued, or already deleted)
 *
 * Detaches the device from a domain made for it and frees that domain and
 * its cookie; a group's default domain is left to the IOMMU core.  The
 * device goes back to the default ops.  Nothing to undo: nothing done.
 *
 * A check the kernel lacks: a device that still has a driver bound is
 * WARNed and left as it is, because the driver's remove() would then free
 * its IOMMU buffers through the default ops (the kernel tears the DMA set-up
 * down after device_del() has released the driver).
 *
 * Context: process context; may sleep.
 */
void arch_teardown_dma_ops(struct device *dev)
{
	struct arm64_dma_master *m;

	if (WARN(!dev, "arch_teardown_dma_ops: NULL device"))
		return;
	if (WARN(dev->iosim_driver_bound,
		 "arch_teardown_dma_ops: '%s' still has driver '%s' bound; release it first",
		 dev_name(dev), dev->driver ? dev->driver->name : "(none)"))
		return;
	mutex_lock(&arm64_dma_masters_lock);
	m = dev->iosim_dma;
	if (m)
		list_del(&m->list);
	mutex_unlock(&arm64_dma_masters_lock);
	if (m)
		arm64_dma_master_release(m);
}

/**
 * iosim_dma_master_check - sanity checker of the set-up records
 *
 * Every record is on the list once, points back from its device, holds a
 * domain, and an attached device is really attached to it (unless deleted).
 *
 * Context: process context.
 * Return: 0, or -EUCLEAN after WARNing each problem.
 */
int iosim_dma_master_check(void)
{
	struct arm64_dma_master *m;
	int err = 0;

	mutex_lock(&arm64_dma_masters_lock);
	list_for_each_entry(m, &arm64_dma_masters, list) {
		if (WARN(!m->dev || m->dev->iosim_dma != m || !m->dom,
			 "dma master record %p: device %p, domain %p, back pointer wrong",
			 (void *)m, (void *)m->dev, (void *)m->dom)) {
			err = -EUCLEAN;
			continue;
		}
		if (WARN(m->attached && iommu_get_domain_for_dev(m->dev) != m->dom,
			 "dma master %s: recorded as attached but its domain is %p, not %p",
			 dev_name(m->dev), (void *)iommu_get_domain_for_dev(m->dev),
			 (void *)m->dom))
			err = -EUCLEAN;
		if (WARN(m->attached != (m->dev->archdata.dma_ops == &iommu_dma_ops),
			 "dma master %s: attached %d but IOMMU ops %sinstalled",
			 dev_name(m->dev), m->attached,
			 m->dev->archdata.dma_ops == &iommu_dma_ops ? "" : "not "))
			err = -EUCLEAN;
	}
	mutex_unlock(&arm64_dma_masters_lock);
	return err;
}
