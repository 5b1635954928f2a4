/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/device.h> - creating simulated devices.
 */
#ifndef _IOSIM_DEVICE_H
#define _IOSIM_DEVICE_H

#include <linux/device.h>

struct iosim_device_config {
	const char *name;		/* dev_name(); required */
	struct bus_type *bus;		/* NULL: platform_bus_type */
	u64 dma_mask;			/* 0: DMA_BIT_MASK(32) */
	u64 coherent_dma_mask;		/* 0: same as dma_mask */
	bool coherent;			/* archdata.dma_coherent: cache-coherent master */
	bool no_dma_parms;		/* leave dev->dma_parms NULL (kernel defaults apply) */
	unsigned int max_segment_size;	/* with dma_parms; 0: 64 KiB */
	unsigned long segment_boundary_mask; /* with dma_parms; 0: DMA_BIT_MASK(32) */
	bool no_add;			/* do not device_add() it (no bus notifiers yet) */
};

/**
 * iosim_device_create - allocate, initialise and (unless @cfg->no_add) add a
 * simulated device to its bus, which sends BUS_NOTIFY_ADD_DEVICE.
 *
 * dev->dma_mask points at storage inside the device; dev->dma_parms too
 * unless @cfg->no_dma_parms.  The masks are stored as given (no
 * dma_supported() check).  The device is embedded in a struct
 * platform_device named after it (to_platform_device() works), so the add
 * probes a matching platform driver.  The allocation, dev_set_name() and
 * device_add() are each a fault-injection point (IOSIM_FAULT_SLAB).
 *
 * Return: the device (counted as IOSIM_OBJ_DEVICE, holding the creator's
 * reference), or NULL on a bad config (WARN: no name, segment limits with
 * no_dma_parms, a boundary mask not 2^n - 1, an unregistered bus) or an
 * allocation failure, with nothing left behind.
 */
struct device *iosim_device_create(const struct iosim_device_config *cfg);

/**
 * iosim_device_destroy - device_del() @dev if it was added (notifying the
 * bus), then drop the creator's reference; the memory goes with the last
 * reference.  @dev must come from iosim_device_create() (NULL: nothing
 * done); anything else, or a second destroy, WARNs and is left alone without
 * being dereferenced.
 */
void iosim_device_destroy(struct device *dev);

/**
 * iosim_device_is_simulated - true if @dev came from a simulated-device
 * creator (iosim_device_create(), iosim_pci_dev_create() of <iosim/pci.h>)
 * and is not yet destroyed (@dev is compared, never dereferenced).
 */
bool iosim_device_is_simulated(const struct device *dev);

/*
 * The registry of simulated devices, for the library's device creators.
 * Each creator embeds a struct iosim_device_entry beside its device, enters
 * it before device_add() and takes it out on destroy; the kind says which
 * structure embeds the device, so a destroy can refuse another creator's
 * device, and a bus can tell whose device it is given.
 */
enum iosim_device_kind {
	IOSIM_DEVICE_NOT_SIMULATED,	/* made by no creator, or destroyed */
	IOSIM_DEVICE_PLATFORM,		/* iosim_device_create(): in a struct platform_device */
	IOSIM_DEVICE_PCI,		/* iosim_pci_dev_create(): in a struct pci_dev */
};

struct iosim_device_entry {
	struct list_head node;		/* in the registry while registered */
	const struct device *dev;
	enum iosim_device_kind kind;
	bool registered;
};

/** iosim_device_kind - the kind of simulated device @dev is (compared, never dereferenced). */
enum iosim_device_kind iosim_device_kind(const struct device *dev);

/** iosim_device_registry_add - enter @dev, embedded in a structure of @kind, through @entry. */
void iosim_device_registry_add(struct iosim_device_entry *entry, const struct device *dev,
			       enum iosim_device_kind kind);

/**
 * iosim_device_registry_take - take @dev out of the registry if it is there
 * as a device of @kind; its entry, or NULL with nothing changed.
 */
struct iosim_device_entry *iosim_device_registry_take(const struct device *dev,
						      enum iosim_device_kind kind);

/** iosim_device_registry_drop - take @entry out of the registry if it is still there. */
void iosim_device_registry_drop(struct iosim_device_entry *entry);

/*
 * Sanity checkers: each returns 0, or WARNs what is wrong and returns
 * -EUCLEAN.  Tests call them after each step.
 */

/**
 * iosim_device_check - @dev is initialised and referenced; if added, it is
 * named and on the list of its (registered) bus; if not, it is on no list.
 */
int iosim_device_check(struct device *dev);

/**
 * iosim_bus_check - @bus is registered, its device list is well linked, in
 * add order, and holds only live devices that point back at it (a bound one
 * with its driver set); its driver list is well linked, in registration
 * order, and holds only registered, named drivers of @bus; its notifier chain
 * passes iosim_notifier_chain_check().
 */
int iosim_bus_check(struct bus_type *bus);

/**
 * iosim_notifier_chain_check - @nh ends (no cycle), every block has a
 * callback, and priorities never increase along it.
 */
int iosim_notifier_chain_check(struct blocking_notifier_head *nh);

#endif /* _IOSIM_DEVICE_H */
