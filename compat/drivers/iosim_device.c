// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Simulated devices: a struct device together with the storage its DMA
 * limits point at, as a bus's device structure would hold them.  The device
 * is embedded in a struct platform_device named after it, so platform
 * drivers can match and probe it (platform.c).
 *
 * Every device made here is kept in a registry until iosim_device_destroy(),
 * so destroying a pointer that did not come from iosim_device_create() (or
 * was already destroyed) is recognised by comparing pointers only, never by
 * reading through the stray pointer.  The memory itself goes when the last
 * reference does (dev->release), which may be after destroy if someone still
 * holds the device.  The registry holds the other creators' devices too
 * (iosim_pci_dev_create()'s), each entry saying which kind of structure
 * embeds the device: iosim_device_is_simulated() knows them all, and each
 * destroy takes only its own kind.
 */
#include <linux/kernel.h>
#include <linux/dma-mapping.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <iosim/device.h>
#include <iosim/live.h>

struct iosim_device {
	struct platform_device pdev;		/* every simulated device is one */
	u64 dma_mask;				/* what dev.dma_mask points at */
	struct device_dma_parameters parms;	/* what dev.dma_parms points at */
	struct iosim_device_entry entry;	/* in the registry until destroyed */
};

static DEFINE_MUTEX(registry_lock);
static LIST_HEAD(device_registry);

static struct iosim_device *to_iosim_device(struct device *dev)
{
	return container_of(dev, struct iosim_device, pdev.dev);
}

/* Find @dev among the created devices; called with registry_lock held. */
static struct iosim_device_entry *registry_find_locked(const struct device *dev)
{
	struct iosim_device_entry *entry;

	list_for_each_entry(entry, &device_registry, node)
		if (entry->dev == dev)
			return entry;
	return NULL;
}

static void registry_del_locked(struct iosim_device_entry *entry)
{
	list_del_init(&entry->node);
	entry->registered = false;
}

/**
 * iosim_device_registry_add - enter a simulated device in the registry
 * @entry: the creator's entry, embedded beside @dev; not in the registry
 * @dev: the device
 * @kind: the structure that embeds @dev
 *
 * Context: process context.
 */
void iosim_device_registry_add(struct iosim_device_entry *entry, const struct device *dev,
			       enum iosim_device_kind kind)
{
	entry->dev = dev;
	entry->kind = kind;
	mutex_lock(&registry_lock);
	list_add_tail(&entry->node, &device_registry);
	entry->registered = true;
	mutex_unlock(&registry_lock);
}

/**
 * iosim_device_registry_take - take a device of one kind out of the registry
 * @dev: any pointer; compared, never dereferenced
 * @kind: the kind its creator made
 *
 * Context: process context.
 * Return: the entry of @dev, now out of the registry; NULL (registry
 * unchanged) if @dev is not there as a device of @kind.
 */
struct iosim_device_entry *iosim_device_registry_take(const struct device *dev,
						      enum iosim_device_kind kind)
{
	struct iosim_device_entry *entry;

	mutex_lock(&registry_lock);
	entry = registry_find_locked(dev);
	if (entry && entry->kind == kind)
		registry_del_locked(entry);
	else
		entry = NULL;
	mutex_unlock(&registry_lock);
	return entry;
}

/**
 * iosim_device_registry_drop - take @entry out of the registry if it is still
 * there (a release whose creator's reference was put without a destroy)
 * @entry: an entry given to iosim_device_registry_add()
 *
 * Context: process context.
 */
void iosim_device_registry_drop(struct iosim_device_entry *entry)
{
	mutex_lock(&registry_lock);
	if (entry->registered)
		registry_del_locked(entry);
	mutex_unlock(&registry_lock);
}

/* dev->release: the last reference is gone. */
static void iosim_device_release(struct device *dev)
{
	struct iosim_device *idev = to_iosim_device(dev);

	iosim_device_registry_drop(&idev->entry);
	iosim_live_add(IOSIM_OBJ_DEVICE, -1);
	kfree(idev);
}

static bool config_is_valid(const struct iosim_device_config *cfg)
{
	if (WARN(!cfg, "iosim_device_create: NULL config"))
		return false;
	if (WARN(!cfg->name || !cfg->name[0], "iosim_device_create: a name is required"))
		return false;
	if (WARN(cfg->no_dma_parms && (cfg->max_segment_size || cfg->segment_boundary_mask),
		 "iosim_device_create: '%s': segment limits given with no_dma_parms", cfg->name))
		return false;
	/* A boundary mask is one less than a power of two: the code using it masks with it. */
	if (WARN(cfg->segment_boundary_mask & (cfg->segment_boundary_mask + 1),
		 "iosim_device_create: '%s': segment boundary mask %#lx is not 2^n - 1",
		 cfg->name, cfg->segment_boundary_mask))
		return false;
	return true;
}

/**
 * iosim_device_create - make a simulated device
 * @cfg: what the device looks like; see struct iosim_device_config
 *
 * Allocates the device with its DMA mask storage and (unless
 * @cfg->no_dma_parms) its dma_parms, names it, fills in the masks, the
 * segment limits and archdata.dma_coherent, sets its bus (default
 * platform_bus_type) and, unless @cfg->no_add, adds it with device_add(),
 * which sends BUS_NOTIFY_ADD_DEVICE.  The masks are stored as given, without
 * asking dma_supported().
 *
 * Context: process context; not from a notifier callback of the same bus.
 * Return: the device, holding the creator's reference (dropped by
 * iosim_device_destroy()) and counted as IOSIM_OBJ_DEVICE; NULL on an
 * allocation failure or an injected failure of dev_set_name() or
 * device_add(), with nothing left behind; NULL after a WARN for a bad config
 * (no name, segment limits with no_dma_parms, a boundary mask not of the form
 * 2^n - 1, an unregistered bus).
 */
struct device *iosim_device_create(const struct iosim_device_config *cfg)
{
	struct iosim_device *idev;
	struct device *dev;

	if (!config_is_valid(cfg))
		return NULL;

	idev = kzalloc(sizeof(*idev), GFP_KERNEL);
	if (!idev)
		return NULL;
	INIT_LIST_HEAD(&idev->entry.node);
	dev = &idev->pdev.dev;
	device_initialize(dev);
	dev->release = iosim_device_release;
	/* Counted from here: the release, on any path, uncounts it. */
	iosim_live_add(IOSIM_OBJ_DEVICE, 1);

	if (dev_set_name(dev, "%s", cfg->name))
		goto err_put;
	idev->pdev.name = dev_name(dev);
	idev->pdev.id = PLATFORM_DEVID_NONE;

	idev->dma_mask = cfg->dma_mask ? cfg->dma_mask : DMA_BIT_MASK(32);
	dev->dma_mask = &idev->dma_mask;
	dev->coherent_dma_mask = cfg->coherent_dma_mask ? cfg->coherent_dma_mask : idev->dma_mask;
	if (!cfg->no_dma_parms) {
		idev->parms.max_segment_size = cfg->max_segment_size ? cfg->max_segment_size :
								       SZ_64K;
		idev->parms.segment_boundary_mask = cfg->segment_boundary_mask ?
						    cfg->segment_boundary_mask :
						    DMA_BIT_MASK(32);
		dev->dma_parms = &idev->parms;
	}
	dev->archdata.dma_coherent = cfg->coherent;
	dev->bus = cfg->bus ? cfg->bus : &platform_bus_type;

	/* Registered before the add, so ADD_DEVICE callbacks see a complete device. */
	iosim_device_registry_add(&idev->entry, dev, IOSIM_DEVICE_PLATFORM);
	if (!cfg->no_add && device_add(dev))
		goto err_unregister;
	return dev;

err_unregister:
	iosim_device_registry_drop(&idev->entry);
err_put:
	put_device(dev);	/* releases: frees and uncounts */
	return NULL;
}

/**
 * iosim_device_destroy - delete and drop a simulated device
 * @dev: a device from iosim_device_create(), or NULL (nothing done)
 *
 * device_del()s @dev if it is added (sending BUS_NOTIFY_DEL_DEVICE and
 * BUS_NOTIFY_REMOVED_DEVICE), then drops the creator's reference; the memory
 * and the IOSIM_OBJ_DEVICE count go with the last reference.
 *
 * Context: process context; not from a notifier callback of @dev's bus.
 * Return: nothing.  A pointer not made by iosim_device_create(), or already
 * destroyed, WARNs and is not touched.
 */
void iosim_device_destroy(struct device *dev)
{
	if (!dev)
		return;
	if (WARN(!iosim_device_registry_take(dev, IOSIM_DEVICE_PLATFORM),
		 "iosim_device_destroy: %p was not made by iosim_device_create() "
		 "or is already destroyed", dev))
		return;

	if (__atomic_load_n(&dev->iosim_bus, __ATOMIC_ACQUIRE))
		device_del(dev);
	put_device(dev);
}

/**
 * iosim_device_kind - which creator made a device
 * @dev: any pointer; it is compared, never dereferenced
 *
 * Context: process context.
 * Return: the kind of simulated device @dev is, or IOSIM_DEVICE_NOT_SIMULATED
 * if no creator made it (or it is destroyed).
 */
enum iosim_device_kind iosim_device_kind(const struct device *dev)
{
	struct iosim_device_entry *entry;
	enum iosim_device_kind kind;

	mutex_lock(&registry_lock);
	entry = dev ? registry_find_locked(dev) : NULL;
	kind = entry ? entry->kind : IOSIM_DEVICE_NOT_SIMULATED;
	mutex_unlock(&registry_lock);
	return kind;
}

/**
 * iosim_device_is_simulated - was a device made by a simulated-device
 * creator (iosim_device_create(), iosim_pci_dev_create())?
 * @dev: any pointer; it is compared, never dereferenced
 *
 * Context: process context.
 * Return: true if @dev was made by one and not yet destroyed.
 */
bool iosim_device_is_simulated(const struct device *dev)
{
	return iosim_device_kind(dev) != IOSIM_DEVICE_NOT_SIMULATED;
}
