/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/pci.h - customised: the subset of the 2015 (v4.1/v4.2) PCI API that
 * PCI drivers' probe and DMA code use, with the kernel's names, types and
 * layout for what is kept.
 *
 * A struct pci_dev carries the identity its configuration header would give
 * (vendor, device, subsystem IDs, class, revision), its DMA mask and DMA
 * parameters (which dev.dma_mask and dev.dma_parms point at, as
 * pci_device_add() sets them), its driver while one is bound, its enable
 * count and whether it is a bus master.  There is no configuration space, no
 * BARs or resources, no interrupts (INTx or MSI), no power management and
 * no enumeration: simulated PCI devices are made with iosim_pci_dev_create()
 * (<iosim/pci.h>), each with its own struct pci_bus holding only the bus
 * number.  PCI drivers are matched by their id_table (no dynamic ids, no
 * driver_override) and probed through pci_bus_type's own probe() and
 * remove(), as drivers/pci/pci-driver.c of 2015 does.
 *
 * Customised, never silently: where the kernel would dereference NULL (a
 * NULL device or driver) the call WARNs and fails or does nothing, and
 * pci_disable_device() of a device that is not enabled WARNs every time
 * (the kernel: once) and leaves the count at 0 (the kernel drove it
 * negative).  pci_pool_zalloc() is absent, as dma_pool_zalloc() is: both
 * appeared in 4.3.  PCI_VDEVICE() needs PCI_VENDOR_ID_<vendor>, which
 * <linux/pci_ids.h> gave in 2015; the simulation has no such header, so the
 * caller defines the one it names.
 *
 * As in 2015, <asm/pci.h> is included near the end; arm64's brings in
 * <asm-generic/pci-dma-compat.h>, the pci_* DMA wrappers.
 */
#ifndef _IOSIM_LINUX_PCI_H
#define _IOSIM_LINUX_PCI_H

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/mod_devicetable.h>
#include <linux/types.h>

/* Slot and function in the 8-bit devfn of a device on its bus. */
#define PCI_DEVFN(slot, func)	((((slot) & 0x1f) << 3) | ((func) & 0x07))
#define PCI_SLOT(devfn)		(((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn)		((devfn) & 0x07)

struct pci_driver;

/*
 * The bus a device sits on.  Only its number is simulated: no bridge, no
 * resources, no device list.  Each simulated device has its own struct
 * pci_bus, so two devices on bus 0 have equal numbers but distinct structs.
 */
struct pci_bus {
	struct pci_bus	*parent;	/* the bus above (NULL: a root bus) */
	unsigned char	number;		/* bus number */
};

struct pci_dev {
	struct pci_bus	*bus;		/* the bus this device is on */
	unsigned int	devfn;		/* PCI_DEVFN(slot, function) */
	unsigned short	vendor;
	unsigned short	device;
	unsigned short	subsystem_vendor;
	unsigned short	subsystem_device;
	unsigned int	class;		/* 3 bytes: base class, sub-class, prog-if */
	u8		revision;	/* PCI revision, low byte of the class word */

	struct pci_driver *driver;	/* the driver bound through pci_bus_type, or NULL */
	u64		dma_mask;	/* what dev.dma_mask points at */
	struct device_dma_parameters dma_parms;	/* what dev.dma_parms points at */

	bool		match_driver;	/* drivers may match it (pci_bus_add_device() sets it) */
	unsigned int	is_added:1;	/* added and offered to drivers */
	unsigned int	is_busmaster:1;	/* pci_set_master() done */

	struct device	dev;		/* the generic device */
	atomic_t	enable_cnt;	/* pci_enable_device() calls not yet disabled */
};

#define to_pci_dev(n)	container_of(n, struct pci_dev, dev)

extern struct bus_type pci_bus_type;

/* Is @d a PCI device?  (Its bus says so.) */
#define dev_is_pci(d)	((d)->bus == &pci_bus_type)

/** pci_name - the device's name, "0000:<bus>:<slot>.<function>" in hexadecimal. */
static inline const char *pci_name(const struct pci_dev *pdev)
{
	return dev_name(&pdev->dev);
}

/**
 * pci_dev_get - take a reference to a PCI device
 * @dev: the device, or NULL
 *
 * Context: any.
 * Return: @dev.
 */
struct pci_dev *pci_dev_get(struct pci_dev *dev);

/**
 * pci_dev_put - drop a reference taken with pci_dev_get()
 * @dev: the device, or NULL (nothing done)
 *
 * Context: process context (the last reference frees the device).
 */
void pci_dev_put(struct pci_dev *dev);

struct module;

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table;	/* must be non-NULL for probe to be called */
	int  (*probe)(struct pci_dev *dev, const struct pci_device_id *id);	/* new device inserted */
	void (*remove)(struct pci_dev *dev);	/* device removed (NULL if not a hot-plug capable driver) */
	void (*shutdown)(struct pci_dev *dev);	/* never called: there is no shutdown */
	struct device_driver	driver;
};

#define to_pci_driver(drv) container_of(drv, struct pci_driver, driver)

/* Entries of a pci_device_id table (struct initialisers, as in 2015). */
#define PCI_DEVICE(vend, dev) \
	.vendor = (vend), .device = (dev), \
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID

#define PCI_DEVICE_CLASS(dev_class, dev_class_mask) \
	.class = (dev_class), .class_mask = (dev_class_mask), \
	.vendor = PCI_ANY_ID, .device = PCI_ANY_ID, \
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID

/* Positional: vendor by name (PCI_VENDOR_ID_<vend>), then class and class_mask 0. */
#define PCI_VDEVICE(vend, dev) \
	.vendor = PCI_VENDOR_ID_##vend, .device = (dev), \
	.subvendor = PCI_ANY_ID, .subdevice = PCI_ANY_ID, 0, 0

/**
 * pci_match_id - the entry of @ids that matches @dev
 * @ids: an id table ending with an all-zero entry (vendor, subvendor and
 *	class_mask 0), or NULL
 * @dev: the device
 *
 * Context: any.
 * Return: the first matching entry, or NULL.
 */
const struct pci_device_id *pci_match_id(const struct pci_device_id *ids, struct pci_dev *dev);

/**
 * __pci_register_driver - register a PCI driver
 * @drv: the driver; its name and id_table set
 * @owner: the module (THIS_MODULE; unused)
 * @mod_name: the module's name (KBUILD_MODNAME; unused)
 *
 * Context: process context.
 * Return: as driver_register(); -EINVAL (WARN) for a NULL @drv.
 */
int __pci_register_driver(struct pci_driver *drv, struct module *owner, const char *mod_name);

/* The kernel passes KBUILD_MODNAME, which its build defines; without it, NULL. */
#ifdef KBUILD_MODNAME
#define __IOSIM_PCI_MOD_NAME	KBUILD_MODNAME
#else
#define __IOSIM_PCI_MOD_NAME	NULL
#endif
#define pci_register_driver(driver) \
	__pci_register_driver(driver, THIS_MODULE, __IOSIM_PCI_MOD_NAME)

/**
 * pci_unregister_driver - unbind a PCI driver from its devices (its
 * remove() runs for each) and unregister it
 * @drv: a driver registered with pci_register_driver()
 *
 * Context: process context.  A NULL @drv WARNs.
 */
void pci_unregister_driver(struct pci_driver *drv);

/* A driver whose module init and exit only register and unregister it. */
#define module_pci_driver(__pci_driver) \
	module_driver(__pci_driver, pci_register_driver, pci_unregister_driver)

static inline void *pci_get_drvdata(struct pci_dev *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void pci_set_drvdata(struct pci_dev *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

/**
 * pci_enable_device - count an enable of @dev; the first one would wake
 * the device and enable its BARs (nothing to do here: there are none)
 * @dev: the device
 *
 * Context: process context.
 * Return: 0; -EINVAL (WARN) for a NULL @dev.
 */
int pci_enable_device(struct pci_dev *dev);

/**
 * pci_disable_device - undo one pci_enable_device(); the last one
 * disables the device, which stops being a bus master
 * @dev: the device
 *
 * Context: process context.  A device that is not enabled WARNs
 * ("disabling already-disabled device") and its count stays 0.
 */
void pci_disable_device(struct pci_dev *dev);

/** pci_is_enabled - true while @pdev has more enables than disables. */
static inline int pci_is_enabled(struct pci_dev *pdev)
{
	return atomic_read(&pdev->enable_cnt) > 0;
}

/** pci_set_master - let @dev master the bus (it may do DMA); NULL WARNs. */
void pci_set_master(struct pci_dev *dev);

/** pci_clear_master - stop @dev mastering the bus; NULL WARNs. */
void pci_clear_master(struct pci_dev *dev);

/**
 * pci_set_dma_max_seg_size - dma_set_max_seg_size() of @dev's device
 * Return: 0; -EIO (WARN) for a NULL @dev.
 */
int pci_set_dma_max_seg_size(struct pci_dev *dev, unsigned int size);

/**
 * pci_set_dma_seg_boundary - dma_set_seg_boundary() of @dev's device
 * Return: 0; -EIO (WARN) for a NULL @dev.
 */
int pci_set_dma_seg_boundary(struct pci_dev *dev, unsigned long mask);

/* The DMA directions of the pci_* wrappers: the values of enum dma_data_direction. */
#define PCI_DMA_BIDIRECTIONAL	0
#define PCI_DMA_TODEVICE	1
#define PCI_DMA_FROMDEVICE	2
#define PCI_DMA_NONE		3

/* DMA pools under their PCI names (over <linux/dmapool.h>). */
#include <linux/dmapool.h>

#define pci_pool dma_pool
#define pci_pool_create(name, pdev, size, align, allocation) \
		dma_pool_create(name, &(pdev)->dev, size, align, allocation)
#define pci_pool_destroy(pool) dma_pool_destroy(pool)
#define pci_pool_alloc(pool, flags, handle) dma_pool_alloc(pool, flags, handle)
#define pci_pool_free(pool, vaddr, addr) dma_pool_free(pool, vaddr, addr)

#include <asm/pci.h>

#endif /* _IOSIM_LINUX_PCI_H */
