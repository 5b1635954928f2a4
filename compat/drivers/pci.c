// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The PCI bus and its drivers, as drivers/pci/pci-driver.c of 2015 runs
 * them, and the little of drivers/pci/pci.c that drivers' probe code calls
 * (enable counting, bus mastering, DMA segment limits).  The kernel
 * registers the bus at boot (pci_driver_init(), a postcore_initcall); a
 * library has no boot, so, like platform_bus_type, it is defined ready to
 * use.  Drivers match by their id_table only (no dynamic ids, no
 * driver_override), and the bus's own probe() and remove() call the
 * driver's with the pci_dev, the matching id entry and pci_dev->driver set
 * while bound, as the kernel's do.  There is no configuration space: what
 * enabling or mastering would write there is only counted or flagged.
 */
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/pci.h>
#include <iosim/device.h>
#include <iosim/pci.h>

/* Does @id match @dev?  Each ID exactly or PCI_ANY_ID; class in class_mask's bits. */
static bool pci_match_one_device(const struct pci_device_id *id, const struct pci_dev *dev)
{
	return (id->vendor == (__u32)PCI_ANY_ID || id->vendor == dev->vendor) &&
	       (id->device == (__u32)PCI_ANY_ID || id->device == dev->device) &&
	       (id->subvendor == (__u32)PCI_ANY_ID || id->subvendor == dev->subsystem_vendor) &&
	       (id->subdevice == (__u32)PCI_ANY_ID || id->subdevice == dev->subsystem_device) &&
	       !((id->class ^ dev->class) & id->class_mask);
}

/**
 * pci_match_id - the entry of @ids that matches @dev
 * @ids: an id table ending with an entry whose vendor, subvendor and
 *	class_mask are 0, or NULL
 * @dev: the device
 *
 * Context: any.
 * Return: the first entry that matches, or NULL.
 */
const struct pci_device_id *pci_match_id(const struct pci_device_id *ids, struct pci_dev *dev)
{
	if (!ids)
		return NULL;
	for (; ids->vendor || ids->subvendor || ids->class_mask; ids++)
		if (pci_match_one_device(ids, dev))
			return ids;
	return NULL;
}

/*
 * A device the platform creator made (iosim_device_create() with
 * cfg.bus = &pci_bus_type) is not a struct pci_dev: no driver matches it.
 * Any other device on the bus is one, as in the kernel; it matches once it
 * is offered to drivers (match_driver) and its driver's table matches it.
 */
static int pci_bus_match(struct device *dev, struct device_driver *drv)
{
	struct pci_dev *pdev;

	if (iosim_device_kind(dev) == IOSIM_DEVICE_PLATFORM)
		return 0;
	pdev = to_pci_dev(dev);
	if (!pdev->match_driver)
		return 0;
	return pci_match_id(to_pci_driver(drv)->id_table, pdev) != NULL;
}

/*
 * Bind: the bound device holds a reference on itself until remove.  A driver
 * without probe() is bound with pci_dev->driver left NULL, as in the kernel.
 * A positive return from the driver's probe() counts as success, with a
 * warning.
 */
static int pci_device_probe(struct device *dev)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_driver *drv = to_pci_driver(dev->driver);
	const struct pci_device_id *id;
	int rc;

	get_device(dev);
	if (pdev->driver || !drv->probe)
		return 0;
	id = pci_match_id(drv->id_table, pdev);
	if (!id) {
		put_device(dev);
		return -ENODEV;
	}
	pdev->driver = drv;
	rc = drv->probe(pdev, id);
	if (rc < 0) {
		pdev->driver = NULL;
		put_device(dev);
		return rc;
	}
	if (rc > 0)
		dev_warn(dev, "Driver probe function unexpectedly returned %d\n", rc);
	return 0;
}

static int pci_device_remove(struct device *dev)
{
	struct pci_dev *pdev = to_pci_dev(dev);
	struct pci_driver *drv = pdev->driver;

	if (drv) {
		if (drv->remove)
			drv->remove(pdev);
		pdev->driver = NULL;
	}
	put_device(dev);	/* the probe's reference */
	return 0;
}

struct bus_type pci_bus_type = {
	.name = "pci",
	.match = pci_bus_match,
	.probe = pci_device_probe,
	.remove = pci_device_remove,
	.iosim_registered = true,
	.iosim_lock = __MUTEX_INITIALIZER(pci_bus_type.iosim_lock),
	.iosim_devices = LIST_HEAD_INIT(pci_bus_type.iosim_devices),
	.iosim_drivers = LIST_HEAD_INIT(pci_bus_type.iosim_drivers),
	.iosim_notifier = BLOCKING_NOTIFIER_INIT(pci_bus_type.iosim_notifier),
};

/**
 * pci_dev_get - take a reference to a PCI device
 * @dev: the device, or NULL
 *
 * Context: any.
 * Return: @dev.
 */
struct pci_dev *pci_dev_get(struct pci_dev *dev)
{
	if (dev)
		get_device(&dev->dev);
	return dev;
}

/**
 * pci_dev_put - drop a reference taken with pci_dev_get()
 * @dev: the device, or NULL (nothing done)
 *
 * Context: process context; the last reference releases the device.
 */
void pci_dev_put(struct pci_dev *dev)
{
	if (dev)
		put_device(&dev->dev);
}

/**
 * __pci_register_driver - register a PCI driver
 * @drv: the driver; its name and id_table set
 * @owner: the module (THIS_MODULE; unused: there are no modules)
 * @mod_name: the module's name (unused)
 *
 * Names @drv->driver after @drv, puts it on the PCI bus and
 * driver_register()s it: every device its id_table matches that has no
 * driver is probed now.
 *
 * Context: process context.
 * Return: as driver_register() (-EINVAL for a NULL name, -EBUSY for a name
 * already registered); -EINVAL (WARN) for a NULL @drv.
 */
int __pci_register_driver(struct pci_driver *drv, struct module *owner, const char *mod_name)
{
	(void)owner;
	(void)mod_name;
	if (WARN(!drv, "pci_register_driver: NULL driver"))
		return -EINVAL;
	drv->driver.name = drv->name;
	drv->driver.bus = &pci_bus_type;
	return driver_register(&drv->driver);
}

/**
 * pci_unregister_driver - unregister a PCI driver
 * @drv: a driver registered with pci_register_driver()
 *
 * Every device it drives is released first (its remove() runs).
 *
 * Context: process context.  A NULL @drv WARNs.
 */
void pci_unregister_driver(struct pci_driver *drv)
{
	if (WARN(!drv, "pci_unregister_driver: NULL driver"))
		return;
	driver_unregister(&drv->driver);
}

/**
 * pci_enable_device - count an enable of a device
 * @dev: the device
 *
 * The first enable is where the kernel wakes the device and turns its I/O
 * and memory decoding on; without configuration space or BARs only the
 * count changes.
 *
 * Context: process context.
 * Return: 0; -EINVAL (WARN) for a NULL @dev.
 */
int pci_enable_device(struct pci_dev *dev)
{
	if (WARN(!dev, "pci_enable_device: NULL device"))
		return -EINVAL;
	atomic_inc(&dev->enable_cnt);
	return 0;
}

/**
 * pci_disable_device - undo one pci_enable_device()
 * @dev: the device
 *
 * The last disable turns the device off: it is no longer a bus master.
 *
 * Context: process context.  A NULL @dev WARNs; so does a device that is not
 * enabled ("disabling already-disabled device", as the kernel), whose count
 * stays 0 where the kernel's went negative.
 */
void pci_disable_device(struct pci_dev *dev)
{
	if (WARN(!dev, "pci_disable_device: NULL device"))
		return;
	if (WARN(atomic_read(&dev->enable_cnt) <= 0, "%s: disabling already-disabled device",
		 pci_name(dev)))
		return;
	if (atomic_dec_return(&dev->enable_cnt) != 0)
		return;
	dev->is_busmaster = 0;
}

/**
 * pci_set_master - let a device master the bus (do DMA)
 * @dev: the device
 *
 * Context: process context.  A NULL @dev WARNs.
 */
void pci_set_master(struct pci_dev *dev)
{
	if (WARN(!dev, "pci_set_master: NULL device"))
		return;
	dev->is_busmaster = 1;
}

/**
 * pci_clear_master - stop a device mastering the bus
 * @dev: the device
 *
 * Context: process context.  A NULL @dev WARNs.
 */
void pci_clear_master(struct pci_dev *dev)
{
	if (WARN(!dev, "pci_clear_master: NULL device"))
		return;
	dev->is_busmaster = 0;
}

/**
 * pci_set_dma_max_seg_size - the longest DMA segment the device takes
 * @dev: the device
 * @size: bytes
 *
 * Context: any.
 * Return: as dma_set_max_seg_size(): 0 (the device has dma_parms); -EIO
 * after the generic API's WARN for a NULL @dev.
 */
int pci_set_dma_max_seg_size(struct pci_dev *dev, unsigned int size)
{
	return (int)dma_set_max_seg_size(dev ? &dev->dev : NULL, size);
}

/**
 * pci_set_dma_seg_boundary - the boundary no DMA segment may cross
 * @dev: the device
 * @mask: the boundary, less one (2^n - 1)
 *
 * Context: any.
 * Return: as dma_set_seg_boundary(): 0; -EIO after the generic API's WARN
 * for a NULL @dev.
 */
int pci_set_dma_seg_boundary(struct pci_dev *dev, unsigned long mask)
{
	return dma_set_seg_boundary(dev ? &dev->dev : NULL, mask);
}

/**
 * iosim_pci_dev_check - sanity checker of a PCI device
 * @pdev: the device
 *
 * Checks that @pdev is on the PCI bus with a struct pci_bus and a devfn of
 * 8 bits, that its name is the one its bus number and devfn give, that
 * dev.dma_mask and dev.dma_parms point at its own storage, that a driver
 * bound through the bus is the device's driver (and any driver is a PCI
 * bus driver), that the enable count is not negative, that is_added
 * implies added, and iosim_device_check() of its device.
 *
 * Context: process context.
 * Return: 0 if consistent; -EUCLEAN after a WARN naming the first problem.
 */
int iosim_pci_dev_check(struct pci_dev *pdev)
{
	char name[IOSIM_DEV_NAME_LEN];
	struct device *dev;

	if (WARN(!pdev, "iosim_pci_dev_check: NULL device"))
		return -EUCLEAN;
	dev = &pdev->dev;
	if (WARN(dev->bus != &pci_bus_type, "pci device '%s': its bus is not the PCI bus",
		 dev_name(dev)))
		return -EUCLEAN;
	if (WARN(!pdev->bus || pdev->devfn > 0xff, "pci device '%s': no pci_bus, or devfn %#x",
		 dev_name(dev), pdev->devfn))
		return -EUCLEAN;
	snprintf(name, sizeof(name), "%04x:%02x:%02x.%d", 0, pdev->bus->number,
		 PCI_SLOT(pdev->devfn), PCI_FUNC(pdev->devfn));
	if (WARN(strcmp(dev_name(dev), name), "pci device '%s': its bus and devfn make it '%s'",
		 dev_name(dev), name))
		return -EUCLEAN;
	if (WARN(dev->dma_mask != &pdev->dma_mask || dev->dma_parms != &pdev->dma_parms,
		 "pci device '%s': dma_mask or dma_parms does not point into its pci_dev", name))
		return -EUCLEAN;
	if (WARN(pdev->driver && dev->driver != &pdev->driver->driver,
		 "pci device '%s': bound through the bus to '%s' but its driver is '%s'", name,
		 pdev->driver ? pdev->driver->name : "", dev->driver ? dev->driver->name : "(none)"))
		return -EUCLEAN;
	if (WARN(dev->driver && dev->driver->bus != &pci_bus_type,
		 "pci device '%s': driver '%s' is not a PCI bus driver", name, dev->driver->name))
		return -EUCLEAN;
	if (WARN(atomic_read(&pdev->enable_cnt) < 0, "pci device '%s': enable count %d", name,
		 atomic_read(&pdev->enable_cnt)))
		return -EUCLEAN;
	if (WARN(pdev->is_added && !device_is_registered(dev),
		 "pci device '%s': marked added but not added", name))
		return -EUCLEAN;
	return iosim_device_check(dev) ? -EUCLEAN : 0;
}
