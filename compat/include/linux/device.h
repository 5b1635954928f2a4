/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/device.h - customised for simulation.
 *
 * struct device and struct bus_type keep the kernel's field names for what
 * kernel code of 2015 touches (dma_mask, coherent_dma_mask, dma_parms,
 * archdata, iommu_group, bus, ...).  There is no sysfs: a bus is a list of
 * devices, a list of drivers and a notifier chain, and device_add() /
 * device_del() send BUS_NOTIFY_ADD_DEVICE / BUS_NOTIFY_DEL_DEVICE (and
 * BUS_NOTIFY_REMOVED_DEVICE) as the driver core does.  Drivers are matched
 * and probed as drivers/base/dd.c does (bus match(), then the bus's or the
 * driver's probe()), without deferred probing.  Managed resources (devres,
 * devm_*) a device collects are handed back, most recent first, when a probe
 * fails, once remove() has returned on unbind, and when the device itself
 * goes away (compat/drivers/devres.c).  Devices are reference
 * counted as kobjects are (get_device()/put_device(); the last put calls
 * dev->release()), and a bus list holds a reference.  Fields prefixed
 * iosim_ are the simulation's own.  Simulated devices are usually made with
 * iosim_device_create() (<iosim/device.h>).
 */
#ifndef _IOSIM_LINUX_DEVICE_H
#define _IOSIM_LINUX_DEVICE_H

#include <stdarg.h>
#include <stdint.h>

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/atomic.h>
#include <linux/init.h>
#include <asm/device.h>

struct device;
struct device_driver;
struct device_node;
struct iommu_ops;
struct iommu_group;
struct dma_map_ops;

#define IOSIM_DEV_NAME_LEN	64

struct kobject {
	char name[IOSIM_DEV_NAME_LEN];
};

struct device_dma_parameters {
	/*
	 * a low level driver may set these to teach IOMMU code about
	 * sg limitations.
	 */
	unsigned int max_segment_size;
	unsigned long segment_boundary_mask;
};

struct bus_type {
	const char *name;
	const char *dev_name;
	/* non-zero if @drv may drive @dev; no match(): every driver may */
	int (*match)(struct device *dev, struct device_driver *drv);
	/* called instead of the driver's probe()/remove() when set */
	int (*probe)(struct device *dev);
	int (*remove)(struct device *dev);
	const struct iommu_ops *iommu_ops;

	/* simulation: what the driver core keeps in subsys_private */
	bool iosim_registered;
	struct mutex iosim_lock;		/* protects iosim_devices */
	struct list_head iosim_devices;		/* in device_add() order */
	struct list_head iosim_drivers;		/* in driver_register() order */
	struct blocking_notifier_head iosim_notifier;
	u64 iosim_next_seq;			/* last iosim_bus_seq (devices and drivers) */
};

struct device_driver {
	const char *name;
	struct bus_type *bus;
	int (*probe)(struct device *dev);	/* 0: bound; -ENODEV/-ENXIO: not mine */
	int (*remove)(struct device *dev);	/* device_release_driver() calls it */

	/* simulation: what the driver core keeps in driver_private */
	struct list_head iosim_bus_node;	/* on bus->iosim_drivers while registered */
	u64 iosim_bus_seq;			/* the bus's sequence number when registered */
	bool iosim_registered;
};

/*
 * Simulation: what the cache model counted for one device's DMA
 * (<iosim/cache.h>).  Line counts are in cache lines of the model's size.
 */
struct iosim_cache_counters {
	u64 lines_cleaned;		/* CPU view written back to memory */
	u64 lines_invalidated;		/* CPU view reloaded from memory */
	u64 stale_reads;		/* lines the device read while the CPU held newer data */
	u64 lost_writes;		/* lines whose CPU writes an invalidate discarded */
	u64 evictions;			/* dirty lines written back by the eviction knob */
};

struct dma_coherent_mem;

struct device {
	struct device *parent;
	struct kobject kobj;
	const char *init_name;
	u32 id;					/* with bus->dev_name: "<dev_name><id>" */
	struct bus_type *bus;
	struct device_driver *driver;
	void *platform_data;
	void *driver_data;

	u64 *dma_mask;
	u64 coherent_dma_mask;
	unsigned long dma_pfn_offset;
	struct device_dma_parameters *dma_parms;
	struct list_head dma_pools;
	struct dma_coherent_mem *dma_mem;	/* per-device coherent memory (dma_declare_coherent_memory) */
	struct cma *cma_area;			/* its own contiguous area (dma_declare_contiguous), or NULL */

	struct dev_archdata archdata;
	struct device_node *of_node;
	struct iommu_group *iommu_group;

	spinlock_t devres_lock;			/* guards devres_head */
	struct list_head devres_head;		/* managed resources, in the order added */

	void (*release)(struct device *dev);

	/* simulation */
	atomic_t iosim_refcount;		/* the kobject's kref */
	bool iosim_initialized;			/* device_initialize() done */
	struct list_head iosim_bus_node;	/* on iosim_bus->iosim_devices */
	struct bus_type *iosim_bus;		/* the bus whose list holds it, or NULL */
	bool iosim_added;			/* between device_add and device_del */
	bool iosim_removing;			/* inside device_del() */
	bool iosim_driver_bound;		/* between device_bind_driver() and its release */
	u64 iosim_bus_seq;			/* position on the bus, for iterators */
	void *iosim_master;			/* the bus master's per-device state */
	void *iosim_debug;			/* DMA-API debug per-device state */
	struct iosim_cache_counters iosim_cache; /* the cache model's counters (<iosim/cache.h>) */
	void *iosim_dma;			/* the DMA API layer's per-device state */
};

/* Bus notifier actions (values as in 2015). */
#define BUS_NOTIFY_ADD_DEVICE		0x00000001
#define BUS_NOTIFY_DEL_DEVICE		0x00000002
#define BUS_NOTIFY_REMOVED_DEVICE	0x00000003
#define BUS_NOTIFY_BIND_DRIVER		0x00000004
#define BUS_NOTIFY_BOUND_DRIVER		0x00000005
#define BUS_NOTIFY_UNBIND_DRIVER	0x00000006
#define BUS_NOTIFY_UNBOUND_DRIVER	0x00000007
#define BUS_NOTIFY_DRIVER_NOT_BOUND	0x00000008

/**
 * dev_name - the device's name: init_name until device_add() takes it over,
 * then the kobject name; "(unnamed)" without one and "(NULL device *)" for
 * NULL, so the result can always be printed.
 */
const char *dev_name(const struct device *dev);

/**
 * dev_set_name - printf-style name (truncated to IOSIM_DEV_NAME_LEN - 1; '/'
 * becomes '!').  Return: 0; -ENOMEM on an injected failure (IOSIM_FAULT_SLAB,
 * standing for the kernel's allocation), old name kept; -EINVAL (WARN) for
 * NULL arguments.
 */
int dev_set_name(struct device *dev, const char *fmt, ...) __printf(2, 3);

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

/** device_is_registered - true between device_add() and device_del(). */
static inline int device_is_registered(struct device *dev)
{
	return dev->iosim_added;
}

/**
 * device_initialize - prepare @dev (zeroed by the caller) for device_add();
 * the caller holds the first reference (drop it with put_device(), whose
 * last call runs dev->release()).  Initialising a live device WARNs and is
 * ignored.
 */
void device_initialize(struct device *dev);

/**
 * device_add - name @dev (init_name, or bus->dev_name + id), put it at the
 * tail of its bus's list, then notify BUS_NOTIFY_ADD_DEVICE (without the list
 * lock held) and look for a driver (device_attach()).
 * Return: 0; -ENOMEM (injected, IOSIM_FAULT_SLAB); misuse WARNs and changes
 * nothing: -EINVAL without an initialised @dev, a registered bus or a name;
 * -EEXIST if already added.
 */
int device_add(struct device *dev);

/**
 * device_del - notify BUS_NOTIFY_DEL_DEVICE, take @dev off its bus, release
 * its driver if one is bound, notify BUS_NOTIFY_REMOVED_DEVICE, drop the
 * list's and the parent's references.
 * A device not added WARNs and is left alone.
 */
void device_del(struct device *dev);

/** device_register - device_initialize() + device_add(); returns as device_add(). */
int device_register(struct device *dev);

/** device_unregister - device_del() + put_device(); a device not added WARNs. */
void device_unregister(struct device *dev);

/**
 * device_bind_driver - bind the driver the caller set in @dev->driver to the
 * added @dev, sending BUS_NOTIFY_BIND_DRIVER and BUS_NOTIFY_BOUND_DRIVER
 * without calling probe(), as the kernel's does.  Return: 0; -EINVAL (WARN)
 * for a NULL @dev or driver, -ENODEV (WARN) for a device not added, -EBUSY
 * (WARN) if a driver is bound already.
 */
int device_bind_driver(struct device *dev);

/**
 * device_attach - find a driver for @dev among its bus's drivers: the first
 * that matches and whose probe succeeds is bound.  A @dev->driver set by the
 * caller is bound without a probe (device_bind_driver()).  device_add()
 * calls it.  Return: 1 if a driver is bound, 0 if none, -ENODEV if @dev is
 * not added.
 */
int device_attach(struct device *dev);

/**
 * driver_register - add @drv to @drv->bus and probe it against every
 * matching device that has no driver.  Return: 0; -EINVAL (WARN) without a
 * registered bus; -EBUSY (an error logged, as the kernel's) if a driver of
 * that name is registered on the bus, @drv itself included.
 */
int driver_register(struct device_driver *drv);

/**
 * driver_unregister - release every device @drv is bound to (its remove()
 * runs), then take @drv off its bus.  A driver not registered WARNs.
 */
void driver_unregister(struct device_driver *drv);

/*
 * Managed device resources (devres; compat/drivers/devres.c,
 * docs/devres-dmapool.md).  A driver hands a resource to its device; the
 * driver core gives all of them back, newest first, when the probe fails,
 * after remove() on unbind, and when the device is released.
 */

/* Called once for a managed resource when it is given back; @res is its data. */
typedef void (*dr_release_t)(struct device *dev, void *res);
/* Nonzero when @res is the resource the caller is after (@match_data says which). */
typedef int (*dr_match_t)(struct device *dev, void *res, void *match_data);

/**
 * devres_alloc - allocate a managed resource, not yet handed to any device
 * @release: what gives the resource back (must not be NULL)
 * @size: bytes of data the caller wants
 * @gfp: allocation flags
 *
 * Context: as kmalloc() with @gfp.
 * Return: zero-filled data of @size bytes, to be given to devres_add() or
 * devres_free(); NULL if the memory cannot be had or @release is NULL (WARN).
 */
void *devres_alloc(dr_release_t release, size_t size, gfp_t gfp);

/**
 * devres_for_each_res - visit a device's resources of one kind, newest first
 * @dev: the device
 * @release: the kind: resources with this release function
 * @match: optional filter, called with @match_data; NULL accepts all
 * @match_data: passed to @match
 * @fn: called as @fn(@dev, resource data, @data) for each one accepted
 * @data: passed to @fn
 *
 * Context: @match and @fn run with @dev->devres_lock held and must not
 * touch the device's resources.
 */
void devres_for_each_res(struct device *dev, dr_release_t release,
			 dr_match_t match, void *match_data,
			 void (*fn)(struct device *, void *, void *),
			 void *data);

/**
 * devres_free - discard a resource from devres_alloc() that no device holds
 * @res: its data, or NULL
 *
 * The release function is not called.  One still held by a device WARNs and
 * stays where it is.
 */
void devres_free(void *res);

/**
 * devres_add - hand a resource to a device
 * @dev: the device, which gives it back on driver detach or its release
 * @res: data from devres_alloc()
 *
 * A resource that already belongs to a device, or a device that was never
 * initialised, WARNs and nothing is added.
 */
void devres_add(struct device *dev, void *res);

/**
 * devres_find - look up a device's resource without taking it
 * @dev, @release, @match, @match_data: as devres_for_each_res()
 *
 * Return: the data of the most recently added resource that qualifies, or NULL.
 */
void *devres_find(struct device *dev, dr_release_t release,
		  dr_match_t match, void *match_data);

/**
 * devres_get - find a resource, or add the one supplied
 * @dev: the device
 * @new_res: a resource from devres_alloc(); its release function is the kind
 * @match, @match_data: as devres_find()
 *
 * Return: an existing resource that qualifies (and @new_res is freed), else
 * @new_res, now held by @dev.
 */
void *devres_get(struct device *dev, void *new_res,
		 dr_match_t match, void *match_data);

/**
 * devres_remove - take a resource back from a device without releasing it
 * @dev, @release, @match, @match_data: as devres_find()
 *
 * Return: the data of the resource taken off (the caller now owns it and
 * disposes of it with devres_free()), or NULL if none qualifies.
 */
void *devres_remove(struct device *dev, dr_release_t release,
		    dr_match_t match, void *match_data);

/**
 * devres_destroy - take a resource off a device and free it, without
 * calling its release function
 * @dev, @release, @match, @match_data: as devres_find()
 *
 * Return: 0, or -ENOENT if none qualifies.
 */
int devres_destroy(struct device *dev, dr_release_t release,
		   dr_match_t match, void *match_data);

/**
 * devres_release - take a resource off a device, call its release function
 * and free it
 * @dev, @release, @match, @match_data: as devres_find()
 *
 * Return: 0, or -ENOENT if none qualifies.
 */
int devres_release(struct device *dev, dr_release_t release,
		   dr_match_t match, void *match_data);

/**
 * devres_open_group - start a group: the resources added from now on, up to
 * devres_close_group(), can be removed or released together
 * @dev: the device
 * @id: the group's name; NULL lets one be chosen
 * @gfp: allocation flags
 *
 * Groups nest.  Return: the group's id (@id, or the chosen one), or NULL if
 * it cannot be allocated.
 */
void *devres_open_group(struct device *dev, void *id, gfp_t gfp);

/**
 * devres_close_group - end a group
 * @dev: the device
 * @id: the group, or NULL for the most recently opened group still open
 *
 * An unknown group WARNs; closing a closed group WARNs and changes nothing.
 */
void devres_close_group(struct device *dev, void *id);

/**
 * devres_remove_group - forget a group and keep what it holds
 * @dev: the device
 * @id: the group, or NULL for the most recently opened group still open
 *
 * The resources stay with @dev.  An unknown group WARNs.
 */
void devres_remove_group(struct device *dev, void *id);

/**
 * devres_release_group - release what a group holds, newest first
 * @dev: the device
 * @id: the group, or NULL for the most recently opened group still open
 *
 * A closed group gives back what was added between its opening and its
 * closing, an open one everything added since its opening; groups that lie
 * entirely inside go too.  Return: how many resources were released; 0
 * after a WARN for an unknown group.
 */
int devres_release_group(struct device *dev, void *id);

/**
 * devm_kmalloc - kmalloc() memory that a device frees on driver detach
 * @dev: the device
 * @size: bytes wanted
 * @gfp: allocation flags; __GFP_ZERO zeroes the memory
 *
 * As in 2015 the memory is only 8-byte aligned (not suited to non-coherent
 * DMA).  Return: the memory, or NULL.
 */
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp);

/** devm_kzalloc - devm_kmalloc() of zero-filled memory. */
static inline void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{
	return devm_kmalloc(dev, size, gfp | __GFP_ZERO);
}

/**
 * devm_kmalloc_array - devm_kmalloc() of @n elements of @size bytes
 * Return: NULL, with nothing allocated, if @n * @size does not fit a size_t.
 */
static inline void *devm_kmalloc_array(struct device *dev, size_t n, size_t size, gfp_t flags)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return devm_kmalloc(dev, n * size, flags);
}

/** devm_kcalloc - devm_kmalloc_array() of zero-filled memory. */
static inline void *devm_kcalloc(struct device *dev, size_t n, size_t size, gfp_t flags)
{
	return devm_kmalloc_array(dev, n, size, flags | __GFP_ZERO);
}

/**
 * devm_kfree - free devm_kmalloc() memory before the driver is detached
 * @dev: the device the memory was allocated for
 * @p: the memory
 *
 * Anything other than @dev's devm_kmalloc() memory WARNs and is left alone.
 */
void devm_kfree(struct device *dev, void *p);

/** devm_kstrdup - managed copy of @s; NULL for a NULL @s or no memory. */
char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp);

/** devm_kvasprintf - managed string formatted from @fmt and @ap; NULL on failure. */
char *devm_kvasprintf(struct device *dev, gfp_t gfp, const char *fmt, va_list ap)
	__printf(3, 0);

/** devm_kasprintf - managed string formatted from @fmt; NULL on failure. */
char *devm_kasprintf(struct device *dev, gfp_t gfp, const char *fmt, ...)
	__printf(3, 4);

/**
 * devm_add_action - have @action(@data) called when @dev's driver is detached
 * Return: 0; -ENOMEM; -EINVAL after a WARN for a NULL @action.
 */
int devm_add_action(struct device *dev, void (*action)(void *), void *data);

/**
 * devm_remove_action - cancel an action added by devm_add_action() without
 * calling it; one that was never added WARNs.
 */
void devm_remove_action(struct device *dev, void (*action)(void *), void *data);

/*
 * module_driver - a module whose init and exit only register and unregister
 * @__driver with @__register and @__unregister (module_platform_driver(),
 * module_amba_driver()).
 */
#define module_driver(__driver, __register, __unregister)			\
	static int __init __driver##_init(void)					\
	{									\
		return __register(&(__driver));					\
	}									\
	module_init(__driver##_init);						\
	static void __exit __driver##_exit(void)				\
	{									\
		__unregister(&(__driver));					\
	}									\
	module_exit(__driver##_exit)

/** driver_attach - probe @drv against every device of its bus without a driver; 0. */
int driver_attach(struct device_driver *drv);

/** driver_find - the driver called @name registered on @bus, or NULL. */
struct device_driver *driver_find(const char *name, struct bus_type *bus);

/**
 * device_release_driver - unbind @dev's driver: BUS_NOTIFY_UNBIND_DRIVER,
 * the driver's remove(), dev->driver and the driver data cleared, then
 * BUS_NOTIFY_UNBOUND_DRIVER.  Nothing bound: nothing done.  device_del()
 * calls it for a bound device, after taking it off the bus list.
 */
void device_release_driver(struct device *dev);

/** get_device - take a reference (NULL-safe); returns @dev. */
struct device *get_device(struct device *dev);

/**
 * put_device - drop a reference (NULL-safe); the last one calls dev->release()
 * (WARN if there is none).  Over-putting WARNs and changes nothing.
 */
void put_device(struct device *dev);

/**
 * bus_register - initialise @bus's device list and notifier chain.
 * Return: 0; -EEXIST (WARN) if already registered; -EINVAL (WARN) for NULL.
 */
int bus_register(struct bus_type *bus);

/** bus_unregister - a bus that still has devices WARNs and stays registered. */
void bus_unregister(struct bus_type *bus);

/**
 * bus_register_notifier - hear BUS_NOTIFY_* about @bus's devices.
 * Return: 0; -EEXIST (WARN) if @nb is already registered; -EINVAL (WARN) for
 * an unregistered bus.
 */
int bus_register_notifier(struct bus_type *bus, struct notifier_block *nb);

/** bus_unregister_notifier - Return: 0; -ENOENT (WARN) if @nb is not registered. */
int bus_unregister_notifier(struct bus_type *bus, struct notifier_block *nb);

/**
 * bus_for_each_dev - call @fn for every device on @bus (after @start), in
 * add order, without the list lock held and with a reference on the device,
 * so @fn may add, delete or walk devices of @bus.
 * Return: 0, or the first non-zero value @fn returned (which stops the walk);
 * -EINVAL (WARN) for an unregistered bus, a NULL @fn or a @start not on @bus.
 */
int bus_for_each_dev(struct bus_type *bus, struct device *start, void *data,
		     int (*fn)(struct device *dev, void *data));

#define dev_printk(level, dev, fmt, ...) \
	printk(level "%s: " fmt, dev_name(dev), ##__VA_ARGS__)
#define dev_emerg(dev, fmt, ...)	dev_printk(KERN_EMERG, dev, fmt, ##__VA_ARGS__)
#define dev_crit(dev, fmt, ...)		dev_printk(KERN_CRIT, dev, fmt, ##__VA_ARGS__)
#define dev_err(dev, fmt, ...)		dev_printk(KERN_ERR, dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)		dev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...)	dev_printk(KERN_NOTICE, dev, fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...)		dev_printk(KERN_INFO, dev, fmt, ##__VA_ARGS__)
#ifdef DEBUG
#define dev_dbg(dev, fmt, ...)		dev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__)
#else
#define dev_dbg(dev, fmt, ...)		no_printk(KERN_DEBUG "%s" fmt, dev_name(dev), ##__VA_ARGS__)
#endif

#endif /* _IOSIM_LINUX_DEVICE_H */
