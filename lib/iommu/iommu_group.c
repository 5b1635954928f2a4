// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * IOMMU groups: the smallest sets of devices an IOMMU can isolate from each
 * other (drivers/iommu/iommu.c of 2015, without sysfs).  A group owns its
 * default domain; its members are all attached to group->domain.
 */
#define pr_fmt(fmt)	"iommu: " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <iosim/iommu_core.h>
#include <iosim/live.h>

#include "iommu-priv.h"

LIST_HEAD(iommu_group_list);
DEFINE_MUTEX(iommu_group_list_lock);

/*
 * Group ids behave as the kernel's IDA did: the smallest id not in use.
 * The list is kept sorted, so the first gap is the id to take.
 */
static struct list_head *iommu_group_find_free_id(int *id_out)
{
	struct iommu_group *group;
	int id = 0;

	list_for_each_entry(group, &iommu_group_list, entry) {
		if (group->id != id)
			break;
		id++;
	}
	*id_out = id;
	/* Insert before the first group whose id is larger (or at the end). */
	return &group->entry;
}

/**
 * iommu_group_alloc - allocate a new, empty IOMMU group
 *
 * The group gets the smallest unused id and no name, devices or domain.
 *
 * Context: process context; takes the global group list lock.
 * Return: the group, holding one reference for the caller (drop it with
 * iommu_group_put() once the group has members, which hold their own), or
 * ERR_PTR(-ENOMEM) with nothing allocated.
 */
struct iommu_group *iommu_group_alloc(void)
{
	struct iommu_group *group;
	struct list_head *pos;

	group = kzalloc(sizeof(*group), GFP_KERNEL);
	if (!group)
		return ERR_PTR(-ENOMEM);

	atomic_set(&group->refcount, 1);
	mutex_init(&group->mutex);
	INIT_LIST_HEAD(&group->devices);
	BLOCKING_INIT_NOTIFIER_HEAD(&group->notifier);

	mutex_lock(&iommu_group_list_lock);
	pos = iommu_group_find_free_id(&group->id);
	list_add_tail(&group->entry, pos);
	mutex_unlock(&iommu_group_list_lock);

	iosim_live_add(IOSIM_OBJ_GROUP, 1);
	return group;
}
EXPORT_SYMBOL_GPL(iommu_group_alloc);

/* The last reference is gone: nobody else can reach the group any more. */
static void iommu_group_release(struct iommu_group *group)
{
	mutex_lock(&iommu_group_list_lock);
	list_del(&group->entry);
	mutex_unlock(&iommu_group_list_lock);

	pr_debug("Releasing group %d\n", group->id);

	if (group->iommu_data_release)
		group->iommu_data_release(group->iommu_data);

	/*
	 * The group owns its default domain.  Members held references, so
	 * none is left to be attached to it.
	 */
	if (group->default_domain)
		__iommu_domain_free(group->default_domain);

	mutex_destroy(&group->mutex);
	kfree(group->name);
	kfree(group);
	iosim_live_add(IOSIM_OBJ_GROUP, -1);
}

/* True if @group is on the list of live groups (protects the public API
 * against stale pointers: a freed group is reported, not dereferenced). */
bool iommu_group_is_live(struct iommu_group *group)
{
	struct iommu_group *pos;
	bool live = false;

	mutex_lock(&iommu_group_list_lock);
	list_for_each_entry(pos, &iommu_group_list, entry) {
		if (pos == group) {
			live = true;
			break;
		}
	}
	mutex_unlock(&iommu_group_list_lock);
	return live;
}

/* Take a reference the caller already knows to be safe (it holds one). */
void iommu_group_ref_get(struct iommu_group *group)
{
	atomic_inc(&group->refcount);
}

/* Take a reference unless the group is already being released. */
static bool iommu_group_ref_get_unless_zero(struct iommu_group *group)
{
	int old = atomic_read(&group->refcount);

	while (old > 0) {
		int seen = atomic_cmpxchg(&group->refcount, old, old + 1);

		if (seen == old)
			return true;
		old = seen;
	}
	return false;
}

static void iommu_group_ref_put(struct iommu_group *group)
{
	if (atomic_dec_and_test(&group->refcount))
		iommu_group_release(group);
}

/**
 * iommu_group_get_by_id - find a live group by its id
 * @id: the id iommu_group_id() reported
 *
 * Context: process context; takes the global group list lock.
 * Return: the group with a reference taken (drop it with iommu_group_put()),
 * or NULL if no live group has that id.
 */
struct iommu_group *iommu_group_get_by_id(int id)
{
	struct iommu_group *group, *found = NULL;

	mutex_lock(&iommu_group_list_lock);
	list_for_each_entry(group, &iommu_group_list, entry) {
		if (group->id == id) {
			if (iommu_group_ref_get_unless_zero(group))
				found = group;
			break;
		}
	}
	mutex_unlock(&iommu_group_list_lock);
	return found;
}
EXPORT_SYMBOL_GPL(iommu_group_get_by_id);

/**
 * iommu_group_get_iommudata - the IOMMU driver's private data for @group
 * @group: the group
 *
 * Context: any; the caller keeps @group alive.
 * Return: what iommu_group_set_iommudata() stored, or NULL (also for a NULL
 * @group, with a WARN).
 */
void *iommu_group_get_iommudata(struct iommu_group *group)
{
	if (WARN(!group, "iommu_group_get_iommudata: NULL group"))
		return NULL;
	return group->iommu_data;
}
EXPORT_SYMBOL_GPL(iommu_group_get_iommudata);

/**
 * iommu_group_set_iommudata - attach the IOMMU driver's data to @group
 * @group: the group
 * @iommu_data: the data
 * @release: called with @iommu_data when the group is released (may be NULL)
 *
 * Replaces any previous data without calling its release callback, as the
 * kernel did: the driver owns what it replaces.
 *
 * Context: any; the caller keeps @group alive.
 */
void iommu_group_set_iommudata(struct iommu_group *group, void *iommu_data,
			       void (*release)(void *iommu_data))
{
	if (WARN(!group, "iommu_group_set_iommudata: NULL group"))
		return;
	group->iommu_data = iommu_data;
	group->iommu_data_release = release;
}
EXPORT_SYMBOL_GPL(iommu_group_set_iommudata);

/**
 * iommu_group_set_name - give @group a name (the kernel's sysfs "name")
 * @group: the group
 * @name: the new name (copied); NULL removes the name
 *
 * Unlike the kernel, which dropped the old name before copying the new one,
 * the old name survives a failed copy.
 *
 * Context: process context.
 * Return: 0; -ENOMEM with the old name kept; -EINVAL (with a WARN) for a NULL
 * @group.
 */
int iommu_group_set_name(struct iommu_group *group, const char *name)
{
	char *copy = NULL;

	if (WARN(!group, "iommu_group_set_name: NULL group"))
		return -EINVAL;

	if (name) {
		copy = kstrdup(name, GFP_KERNEL);
		if (!copy)
			return -ENOMEM;
	}

	mutex_lock(&group->mutex);
	kfree(group->name);
	group->name = copy;
	mutex_unlock(&group->mutex);
	return 0;
}
EXPORT_SYMBOL_GPL(iommu_group_set_name);

/**
 * iommu_group_add_device - add a device to an IOMMU group
 * @group: the group (the caller holds a reference)
 * @dev: the device, in no group yet
 *
 * Sets @dev->iommu_group and takes a reference on @group for the device.
 * Any direct-mapped regions the driver reports for @dev are mapped into the
 * group's default domain (failures there are logged and ignored, as in
 * 2015).  If the group is attached to a domain, @dev is attached to it too;
 * then the group's notifier hears IOMMU_GROUP_NOTIFY_ADD_DEVICE.
 *
 * Unlike the kernel of 2015, which ignored it, a failure to attach @dev to
 * the group's domain fails the call.
 *
 * Context: process context; takes @group's mutex, not held while notifying.
 * Return: 0; -ENOMEM; the driver's attach_dev errno; -EINVAL (WARN) for a
 * NULL argument; -EEXIST (WARN) if @dev is already in @group; -EBUSY (WARN)
 * if @dev is in another group.  On error @dev and @group are as they were.
 */
int iommu_group_add_device(struct iommu_group *group, struct device *dev)
{
	struct iommu_group_member *member;
	int ret;

	if (WARN(!group || !dev, "iommu_group_add_device: NULL %s", group ? "device" : "group"))
		return -EINVAL;
	if (WARN(dev->iommu_group == group, "%s: already in IOMMU group %d", dev_name(dev),
		 group->id))
		return -EEXIST;
	if (WARN(dev->iommu_group, "%s: already in another IOMMU group (%d)", dev_name(dev),
		 dev->iommu_group->id))
		return -EBUSY;

	member = kzalloc(sizeof(*member), GFP_KERNEL);
	if (!member)
		return -ENOMEM;
	member->dev = dev;

	dev->iommu_group = group;

	ret = iommu_group_create_direct_mappings(group, dev);
	if (ret)
		pr_warn("%s: failed to create direct mappings (%d)\n", dev_name(dev), ret);

	mutex_lock(&group->mutex);
	if (group->domain) {
		ret = __iommu_attach_device(group->domain, dev);
		if (ret) {
			mutex_unlock(&group->mutex);
			goto out_free_member;
		}
	}
	list_add_tail(&member->list, &group->devices);
	group->nr_devices++;
	iommu_group_ref_get(group);
	mutex_unlock(&group->mutex);

	/* Notify any listeners about change to group. */
	blocking_notifier_call_chain(&group->notifier, IOMMU_GROUP_NOTIFY_ADD_DEVICE, dev);

	pr_info("Adding device %s to group %d\n", dev_name(dev), group->id);
	return 0;

out_free_member:
	dev->iommu_group = NULL;
	kfree(member);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_group_add_device);

/**
 * iommu_group_remove_device - remove a device from its IOMMU group
 * @dev: the device
 *
 * The group's notifier hears IOMMU_GROUP_NOTIFY_DEL_DEVICE first, then @dev
 * leaves the group and drops its reference (which may release the group).
 * As in 2015, @dev is not detached from the group's domain: the IOMMU
 * driver's remove_device callback owns the per-device state.
 *
 * Context: process context; takes the group's mutex, not held while notifying.
 * Return: nothing.  A NULL @dev, a device in no group or one missing from
 * its group's member list is WARNed and left alone.
 */
void iommu_group_remove_device(struct device *dev)
{
	struct iommu_group_member *member, *found = NULL;
	struct iommu_group *group;

	if (WARN(!dev, "iommu_group_remove_device: NULL device"))
		return;
	group = dev->iommu_group;
	if (WARN(!group, "%s: not in an IOMMU group", dev_name(dev)))
		return;

	pr_info("Removing device %s from group %d\n", dev_name(dev), group->id);

	/* Pre-notify listeners that a device is being removed. */
	blocking_notifier_call_chain(&group->notifier, IOMMU_GROUP_NOTIFY_DEL_DEVICE, dev);

	mutex_lock(&group->mutex);
	list_for_each_entry(member, &group->devices, list) {
		if (member->dev == dev) {
			found = member;
			list_del(&member->list);
			group->nr_devices--;
			break;
		}
	}
	mutex_unlock(&group->mutex);

	if (WARN(!found, "%s: missing from IOMMU group %d", dev_name(dev), group->id))
		return;

	kfree(found);
	dev->iommu_group = NULL;
	iommu_group_ref_put(group);
}
EXPORT_SYMBOL_GPL(iommu_group_remove_device);

/**
 * iommu_group_for_each_dev - call @fn for each device of @group
 * @group: the group
 * @data: passed to @fn
 * @fn: the callback; a non-zero return stops the walk
 *
 * Context: process context; @group's mutex is held while @fn runs, so @fn
 * must not call back into functions that take it (attach, add, remove...).
 * Return: 0, or the first non-zero value @fn returned; -EINVAL (WARN) for a
 * NULL @group or @fn.
 */
int iommu_group_for_each_dev(struct iommu_group *group, void *data,
			     int (*fn)(struct device *, void *))
{
	struct iommu_group_member *member;
	int ret = 0;

	if (WARN(!group || !fn, "iommu_group_for_each_dev: NULL %s", group ? "fn" : "group"))
		return -EINVAL;

	mutex_lock(&group->mutex);
	list_for_each_entry(member, &group->devices, list) {
		ret = fn(member->dev, data);
		if (ret)
			break;
	}
	mutex_unlock(&group->mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_group_for_each_dev);

/**
 * iommu_group_get - the IOMMU group of a device, with a reference
 * @dev: the device
 *
 * Context: any; the caller keeps @dev alive.
 * Return: @dev's group with a reference taken (drop it with
 * iommu_group_put()), or NULL if @dev is in no group (or is NULL: WARN).
 */
struct iommu_group *iommu_group_get(struct device *dev)
{
	struct iommu_group *group;

	if (WARN(!dev, "iommu_group_get: NULL device"))
		return NULL;
	group = dev->iommu_group;
	if (group)
		iommu_group_ref_get(group);
	return group;
}
EXPORT_SYMBOL_GPL(iommu_group_get);

/**
 * iommu_group_put - drop a reference on a group
 * @group: the group, or NULL (ignored, as in the kernel)
 *
 * The last reference releases the group: the driver's iommudata release
 * callback runs and the group's default domain is freed.
 *
 * Context: process context.
 * Return: nothing.  A pointer that is not a live group is WARNed and ignored.
 */
void iommu_group_put(struct iommu_group *group)
{
	if (!group)
		return;
	if (WARN(!iommu_group_is_live(group), "iommu_group_put: %p is not a live IOMMU group",
		 (void *)group))
		return;
	iommu_group_ref_put(group);
}
EXPORT_SYMBOL_GPL(iommu_group_put);

/**
 * iommu_group_register_notifier - hear about changes to a group
 * @group: the group
 * @nb: the notifier (IOMMU_GROUP_NOTIFY_* actions, the device as data)
 *
 * Context: process context.
 * Return: 0; the notifier chain's errno (-EEXIST if @nb is registered);
 * -EINVAL (WARN) for a NULL argument.
 */
int iommu_group_register_notifier(struct iommu_group *group, struct notifier_block *nb)
{
	if (WARN(!group || !nb, "iommu_group_register_notifier: NULL argument"))
		return -EINVAL;
	return blocking_notifier_chain_register(&group->notifier, nb);
}
EXPORT_SYMBOL_GPL(iommu_group_register_notifier);

/**
 * iommu_group_unregister_notifier - stop hearing about a group
 * @group: the group
 * @nb: a notifier registered on it
 *
 * Context: process context.
 * Return: 0; -ENOENT if @nb was not registered; -EINVAL (WARN) for NULL.
 */
int iommu_group_unregister_notifier(struct iommu_group *group, struct notifier_block *nb)
{
	if (WARN(!group || !nb, "iommu_group_unregister_notifier: NULL argument"))
		return -EINVAL;
	return blocking_notifier_chain_unregister(&group->notifier, nb);
}
EXPORT_SYMBOL_GPL(iommu_group_unregister_notifier);

/**
 * iommu_group_id - a group's id
 * @group: the group
 *
 * Return: the id (>= 0), or -EINVAL (WARN) for a NULL @group.
 */
int iommu_group_id(struct iommu_group *group)
{
	if (WARN(!group, "iommu_group_id: NULL group"))
		return -EINVAL;
	return group->id;
}
EXPORT_SYMBOL_GPL(iommu_group_id);

/**
 * iommu_group_default_domain - a group's default (DMA-API) domain
 * @group: the group
 *
 * Return: the default domain, or NULL if it has none (or @group is NULL:
 * WARN).  No reference is taken: the group owns it.
 */
struct iommu_domain *iommu_group_default_domain(struct iommu_group *group)
{
	if (WARN(!group, "iommu_group_default_domain: NULL group"))
		return NULL;
	return group->default_domain;
}
EXPORT_SYMBOL_GPL(iommu_group_default_domain);

/**
 * generic_device_group - device_group callback: a new group per device
 * @dev: the device
 *
 * Return: a new group holding one reference for the caller, or
 * ERR_PTR(-ENOMEM).  (Early versions returned NULL on failure; the caller
 * then WARNed.  The error pointer is what later kernels settled on.)
 */
struct iommu_group *generic_device_group(struct device *dev)
{
	return iommu_group_alloc();
}
EXPORT_SYMBOL_GPL(generic_device_group);

/**
 * iommu_group_get_for_dev - find or create the IOMMU group of a device
 * @dev: a device on a bus with IOMMU ops
 *
 * Called by IOMMU drivers from their add_device callback.  A device already
 * in a group gets that group back.  Otherwise the driver's device_group
 * callback (or generic_device_group() if it has none) picks the group.  A
 * group with neither members nor a domain then gets a default domain of type
 * IOMMU_DOMAIN_DMA from the driver, if the driver can make one (as 4.2 did;
 * a driver without DMA domains leaves the group without a default domain),
 * and @dev is added, which attaches it to that domain.
 *
 * Context: process context.
 * Return: the group with a reference taken for the caller (the device holds
 * its own); ERR_PTR(-ENODEV) if @dev's bus has no IOMMU ops;
 * ERR_PTR(-EINVAL) (WARN) for a NULL @dev or a device_group callback that
 * returned NULL; or the errno of device_group or iommu_group_add_device().
 * On error @dev is in no group and a group created here is released.
 */
struct iommu_group *iommu_group_get_for_dev(struct device *dev)
{
	const struct iommu_ops *ops;
	struct iommu_group *group;
	int ret;

	if (WARN(!dev, "iommu_group_get_for_dev: NULL device"))
		return ERR_PTR(-EINVAL);

	group = iommu_group_get(dev);
	if (group)
		return group;

	ops = dev->bus ? dev->bus->iommu_ops : NULL;
	if (!ops)
		return ERR_PTR(-ENODEV);

	if (ops->device_group)
		group = ops->device_group(dev);
	else
		group = generic_device_group(dev);
	if (WARN(!group, "%s: device_group returned NULL", dev_name(dev)))
		return ERR_PTR(-EINVAL);
	if (IS_ERR(group))
		return group;

	/*
	 * Only an untouched group gets a default domain here: installing one
	 * under existing members or over an attached domain would leave those
	 * members attached to something other than group->domain.
	 */
	mutex_lock(&group->mutex);
	if (!group->default_domain && !group->domain && list_empty(&group->devices)) {
		group->default_domain = __iommu_domain_alloc(dev->bus, IOMMU_DOMAIN_DMA);
		group->domain = group->default_domain;
	}
	mutex_unlock(&group->mutex);

	ret = iommu_group_add_device(group, dev);
	if (ret) {
		iommu_group_put(group);
		return ERR_PTR(ret);
	}
	return group;
}
EXPORT_SYMBOL_GPL(iommu_group_get_for_dev);

/* ---- simulation: views and sanity checks ---- */

unsigned int iosim_iommu_nr_groups(void)
{
	struct iommu_group *group;
	unsigned int nr = 0;

	mutex_lock(&iommu_group_list_lock);
	list_for_each_entry(group, &iommu_group_list, entry)
		nr++;
	mutex_unlock(&iommu_group_list_lock);
	return nr;
}

int iosim_iommu_group_refcount(struct iommu_group *group)
{
	if (WARN(!group, "iosim_iommu_group_refcount: NULL group"))
		return -1;
	return atomic_read(&group->refcount);
}

unsigned int iosim_iommu_group_nr_devices(struct iommu_group *group)
{
	unsigned int nr;

	if (WARN(!group, "iosim_iommu_group_nr_devices: NULL group"))
		return 0;
	mutex_lock(&group->mutex);
	nr = group->nr_devices;
	mutex_unlock(&group->mutex);
	return nr;
}

const char *iosim_iommu_group_name(struct iommu_group *group)
{
	if (WARN(!group, "iosim_iommu_group_name: NULL group"))
		return NULL;
	return group->name;
}

struct iommu_domain *iosim_iommu_group_domain(struct iommu_group *group)
{
	struct iommu_domain *domain;

	if (WARN(!group, "iosim_iommu_group_domain: NULL group"))
		return NULL;
	mutex_lock(&group->mutex);
	domain = group->domain;
	mutex_unlock(&group->mutex);
	return domain;
}

/* Checks one group; the caller holds iommu_group_list_lock. */
static int __iommu_group_check(struct iommu_group *group)
{
	struct iommu_group_member *member, *other;
	unsigned int nr = 0;
	int refcount, bad = 0;

	mutex_lock(&group->mutex);
	list_for_each_entry(member, &group->devices, list) {
		nr++;
		if (WARN(!member->dev, "group %d: member with no device", group->id)) {
			bad++;
			continue;
		}
		if (WARN(member->dev->iommu_group != group,
			 "group %d: member %s points at another group", group->id,
			 dev_name(member->dev)))
			bad++;
		list_for_each_entry(other, &group->devices, list) {
			if (other == member)
				break;
			if (WARN(other->dev == member->dev, "group %d: %s is a member twice",
				 group->id, dev_name(member->dev)))
				bad++;
		}
	}
	if (WARN(nr != group->nr_devices, "group %d: %u members listed, %u counted",
		 group->id, nr, group->nr_devices))
		bad++;

	refcount = atomic_read(&group->refcount);
	if (WARN(refcount < 1 || (unsigned int)refcount < nr,
		 "group %d: refcount %d does not cover %u members", group->id, refcount, nr))
		bad++;
	if (WARN(group->default_domain && !group->domain,
		 "group %d: has a default domain but is attached to nothing", group->id))
		bad++;
	if (WARN(group->id < 0, "group %d: negative id", group->id))
		bad++;
	mutex_unlock(&group->mutex);
	return bad ? -EUCLEAN : 0;
}

int iosim_iommu_group_check(struct iommu_group *group)
{
	struct iommu_group *pos;
	bool listed = false;
	int ret;

	if (WARN(!group, "iosim_iommu_group_check: NULL group"))
		return -EUCLEAN;

	mutex_lock(&iommu_group_list_lock);
	list_for_each_entry(pos, &iommu_group_list, entry) {
		if (pos == group) {
			listed = true;
			break;
		}
	}
	if (WARN(!listed, "iosim_iommu_group_check: %p is not a live group", (void *)group)) {
		mutex_unlock(&iommu_group_list_lock);
		return -EUCLEAN;
	}
	ret = __iommu_group_check(group);
	mutex_unlock(&iommu_group_list_lock);
	return ret;
}

int iosim_iommu_check(void)
{
	struct iommu_group *group;
	int prev_id = -1, ret = 0;

	mutex_lock(&iommu_group_list_lock);
	list_for_each_entry(group, &iommu_group_list, entry) {
		if (WARN(group->id <= prev_id, "group list out of order: %d after %d",
			 group->id, prev_id))
			ret = -EUCLEAN;
		prev_id = group->id;
		if (__iommu_group_check(group))
			ret = -EUCLEAN;
	}
	mutex_unlock(&iommu_group_list_lock);
	return ret;
}
