// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Simulated PCI devices, added the way the PCI core of 2015 adds a device it
 * found: pci_setup_device() fills in what the configuration header says and
 * names the device, pci_device_add() points its DMA mask and parameters at
 * the pci_dev's own storage and calls pci_dma_configure(), which runs
 * of_dma_configure() on the host bridge's device-tree node, then sets the
 * segment limits and adds the device to its bus; pci_bus_add_device() then
 * offers it to drivers.
 *
 * of_dma_configure() called of_iommu_configure(), which on v4.1/v4.2
 * returned no IOMMU ops for any PCI device: it could not know how the
 * device's requester ID reaches the IOMMU.  So arch_setup_dma_ops() is
 * given NULL ops here, whatever the host bridge sits behind: the device's
 * DMA goes through the default (swiotlb/direct) ops.  The kernel said
 * nothing; the simulation logs a note when the host bridge is described as
 * behind an IOMMU, so that a test or a user expecting translation sees why
 * there is none.
 *
 * The IOMMU driver could still know the device.  arm-smmu of 2015 set the
 * PCI bus's iommu_ops too, and its add_device found a PCI device's SMMU
 * through the host bridge and its stream ID through the requester ID; the
 * device got an IOMMU group, which VFIO attached to a domain of its own.
 * So when the host bridge's IOMMU is the one whose ops the PCI bus carries
 * (an instance created with .bus = &pci_bus_type), the device is made its
 * master before it is added, and the core's bus notifier groups it at
 * device_add().  Until something attaches the group to a domain, its DMA
 * is bypassed or faults as the instance's bypass_unattached says (arm-smmu's
 * unmatched-stream bypass, on unless disable_bypass).  A group that gets a
 * default DMA domain (an instance with dma_cookie_get, which 2015's
 * arm-smmu was not) translates the device's DMA at once, while its default
 * ops keep handing out physical addresses that domain does not map: the
 * log warns that such DMA faults.
 *
 * Devices made here join the simulated-device registry (<iosim/device.h>)
 * as IOSIM_DEVICE_PCI, so iosim_device_is_simulated() knows them and a
 * destroy of anything else is refused without reading through it.
 */
#include "arm64-dma-mapping.h"

#include <stdio.h>
#include <string.h>

#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/sizes.h>
#include <iosim/device.h>
#include <iosim/iommu.h>
#include <iosim/live.h>
#include <iosim/pci.h>

/* The name pci_setup_device() gives: domain 0, bus, slot, function. */
#define IOSIM_PCI_NAME_FMT	"%04x:%02x:%02x.%d"

struct iosim_pci_dev {
	struct pci_dev pdev;
	struct pci_bus bus;			/* what pdev.bus points at */
	struct iosim_device_entry entry;	/* in the registry until destroyed */
};

static struct iosim_pci_dev *to_iosim_pci_dev(struct device *dev)
{
	return container_of(dev, struct iosim_pci_dev, pdev.dev);
}

/* dev->release: the last reference is gone. */
static void iosim_pci_dev_release(struct device *dev)
{
	struct iosim_pci_dev *ipdev = to_iosim_pci_dev(dev);

	/* Still registered if the creator's reference was put without destroy. */
	iosim_device_registry_drop(&ipdev->entry);
	iosim_live_add(IOSIM_OBJ_DEVICE, -1);
	kfree(ipdev);
}

static int same_name(struct device *dev, void *name)
{
	return !strcmp(dev_name(dev), name);
}

static bool pci_config_is_valid(const struct iosim_pci_dev_config *cfg, const char *name)
{
	if (WARN(!cfg, "iosim_pci_dev_create: NULL config"))
		return false;
	if (WARN(cfg->devfn > 0xff, "iosim_pci_dev_create: devfn %#x is not 8 bits", cfg->devfn))
		return false;
	if (WARN(cfg->class > 0xffffff, "iosim_pci_dev_create: class %#x is not 24 bits",
		 cfg->class))
		return false;
	if (WARN(cfg->segment_boundary_mask & (cfg->segment_boundary_mask + 1),
		 "iosim_pci_dev_create: segment boundary mask %#lx is not 2^n - 1",
		 cfg->segment_boundary_mask))
		return false;
	/* Enumeration would never find two devices at one address. */
	if (WARN(bus_for_each_dev(&pci_bus_type, NULL, (void *)name, same_name),
		 "iosim_pci_dev_create: %s already exists", name))
		return false;
	return true;
}

/*
 * pci_dma_configure() of 2015: of_dma_configure() with the host bridge's
 * parent node, whose "dma-ranges", "dma-coherent" and "iommus" @cfg holds.
 */
static void pci_dma_configure(struct pci_dev *pdev, const struct iosim_pci_dev_config *cfg)
{
	struct device *dev = &pdev->dev;
	u64 size = cfg->dma_size ? cfg->dma_size : dev->coherent_dma_mask + 1;

	if (!size)	/* a 64-bit mask: the whole space, less one byte */
		size = ~0ULL;
	/* of_iommu_configure(): a PCI device gets no IOMMU ops. */
	if (cfg->iommu)
		dev_info(dev, "iosim: host bridge behind IOMMU %s, but arm64 of 2015 gives PCI devices no IOMMU DMA ops (of_iommu_configure() cannot map their IDs): using the default DMA ops\n",
			 iosim_iommu_name(cfg->iommu));
	arch_setup_dma_ops(dev, cfg->dma_base, size, NULL, cfg->dma_coherent);
}

/* Does @iommu's driver serve the PCI bus, so that its add_device sees PCI devices? */
static bool pci_iommu_knows_devices(const struct iosim_pci_dev_config *cfg)
{
	return cfg->iommu && pci_bus_type.iommu_ops == iosim_iommu_ops(cfg->iommu);
}

/* After device_add(): say which group the IOMMU driver gave the device, and what that means. */
static void pci_iommu_report_group(struct device *dev)
{
	struct iommu_group *group = iommu_group_get(dev);

	if (!group) {	/* add_device failed; the core has logged why */
		dev_info(dev, "iosim: master of IOMMU %s, but in no IOMMU group\n",
			 iosim_iommu_name(iosim_iommu_of_dev(dev)));
		return;
	}
	dev_info(dev, "iosim: master of IOMMU %s (it serves the PCI bus), in IOMMU group %d: iommu_attach_device() translates its DMA, as VFIO's\n",
		 iosim_iommu_name(iosim_iommu_of_dev(dev)), iommu_group_id(group));
	if (iommu_group_default_domain(group))
		dev_warn(dev, "iosim: IOMMU group %d has a default DMA domain, but the device's DMA ops give physical addresses: its DMA faults until the group is attached elsewhere\n",
			 iommu_group_id(group));
	iommu_group_put(group);
}

/**
 * iosim_pci_dev_create - add a simulated PCI device, as the PCI core does
 * @cfg: the device and its host bridge (struct iosim_pci_dev_config)
 *
 * Context: process context, between iosim_dma_system_init() and _exit();
 * not from a notifier callback of the PCI bus.
 * Return: the device, holding the creator's reference (dropped by
 * iosim_pci_dev_destroy()) and counted as IOSIM_OBJ_DEVICE; NULL on an
 * allocation failure or an injected failure of dev_set_name() or
 * device_add(), with nothing left behind; NULL after a WARN for a bad
 * config or an address already taken.  A driver's failed probe does not
 * fail the creation: the device stays, unbound.
 */
struct pci_dev *iosim_pci_dev_create(const struct iosim_pci_dev_config *cfg)
{
	char name[IOSIM_DEV_NAME_LEN] = "";
	struct iosim_pci_dev *ipdev;
	struct pci_dev *pdev;
	struct device *dev;

	if (cfg)
		snprintf(name, sizeof(name), IOSIM_PCI_NAME_FMT, 0, cfg->bus_number,
			 PCI_SLOT(cfg->devfn), PCI_FUNC(cfg->devfn));
	if (!pci_config_is_valid(cfg, name))
		return NULL;

	/* pci_alloc_dev(): the device, here with its own view of its bus. */
	ipdev = kzalloc(sizeof(*ipdev), GFP_KERNEL);
	if (!ipdev)
		return NULL;
	INIT_LIST_HEAD(&ipdev->entry.node);
	pdev = &ipdev->pdev;
	dev = &pdev->dev;
	ipdev->bus.number = cfg->bus_number;
	pdev->bus = &ipdev->bus;
	device_initialize(dev);
	dev->release = iosim_pci_dev_release;
	/* Counted from here: the release, on any path, uncounts it. */
	iosim_live_add(IOSIM_OBJ_DEVICE, 1);

	/* pci_setup_device(): what the configuration header says. */
	pdev->devfn = cfg->devfn;
	pdev->vendor = cfg->vendor;
	pdev->device = cfg->device;
	pdev->subsystem_vendor = cfg->subsystem_vendor;
	pdev->subsystem_device = cfg->subsystem_device;
	pdev->class = cfg->class;
	pdev->revision = cfg->revision;
	pdev->dma_mask = cfg->dma_mask ? cfg->dma_mask : DMA_BIT_MASK(32);
	dev->bus = &pci_bus_type;
	if (dev_set_name(dev, "%s", name))
		goto out_put;

	/* pci_device_add() */
	dev->dma_mask = &pdev->dma_mask;
	dev->dma_parms = &pdev->dma_parms;
	dev->coherent_dma_mask = cfg->coherent_dma_mask ? cfg->coherent_dma_mask :
							  DMA_BIT_MASK(32);
	pci_dma_configure(pdev, cfg);
	pci_set_dma_max_seg_size(pdev, cfg->max_segment_size ? cfg->max_segment_size : SZ_64K);
	pci_set_dma_seg_boundary(pdev, cfg->segment_boundary_mask ? cfg->segment_boundary_mask :
								    DMA_BIT_MASK(32));
	/* Registered before the add, so ADD_DEVICE callbacks see a simulated device. */
	iosim_device_registry_add(&ipdev->entry, dev, IOSIM_DEVICE_PCI);
	/* The IOMMU driver's add_device, run by the core at device_add(), groups a master. */
	if (pci_iommu_knows_devices(cfg) && iosim_iommu_add_master(cfg->iommu, dev))
		goto out_unregister;
	pdev->match_driver = false;	/* notifiers first, drivers after */
	if (device_add(dev))
		goto out_remove_master;
	if (iosim_iommu_of_dev(dev))
		pci_iommu_report_group(dev);

	/* pci_bus_add_device(): offered to drivers now. */
	pdev->match_driver = true;
	device_attach(dev);
	pdev->is_added = 1;
	return pdev;

out_remove_master:
	if (iosim_iommu_of_dev(dev))
		iosim_iommu_remove_master(dev);
out_unregister:
	iosim_device_registry_drop(&ipdev->entry);
	arch_teardown_dma_ops(dev);
out_put:
	put_device(dev);	/* releases: frees and uncounts */
	return NULL;
}

/**
 * iosim_pci_dev_destroy - remove a simulated PCI device
 * @pdev: a device from iosim_pci_dev_create(), or NULL (nothing done)
 *
 * As pci_stop_and_remove_bus_device(): device_del() releases its driver
 * (remove() runs) and sends BUS_NOTIFY_DEL_DEVICE and
 * BUS_NOTIFY_REMOVED_DEVICE (on which the IOMMU core takes an IOMMU master
 * out of its group and the simulated IOMMU lets go of it); then its DMA
 * set-up is torn down and the creator's reference dropped.
 *
 * Context: process context; not from a notifier callback of the PCI bus.
 * A pointer that is not a live simulated PCI device WARNs and is left
 * alone, never dereferenced.
 */
void iosim_pci_dev_destroy(struct pci_dev *pdev)
{
	struct device *dev;

	if (!pdev)
		return;
	/* &pdev->dev is address arithmetic only: the registry compares it. */
	dev = (struct device *)((char *)pdev + offsetof(struct pci_dev, dev));
	if (WARN(!iosim_device_registry_take(dev, IOSIM_DEVICE_PCI),
		 "iosim_pci_dev_destroy: %p is not a simulated PCI device, or is already destroyed",
		 (void *)pdev))
		return;

	pdev->is_added = 0;
	if (device_is_registered(dev))
		device_del(dev);
	arch_teardown_dma_ops(dev);
	put_device(dev);
}
