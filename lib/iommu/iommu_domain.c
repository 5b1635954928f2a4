// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * IOMMU domains: allocation through the bus's IOMMU driver, attaching
 * devices and groups to them, and domain attributes (drivers/iommu/iommu.c
 * of 2015).
 *
 * Attach rules (4.2's, made uniform):
 *  - a device in a group is attached by attaching its whole group, which must
 *    have exactly one member (iommu_attach_device()) or any number
 *    (iommu_attach_group());
 *  - a group attached to anything other than its default domain is busy:
 *    attaching any domain to it (the same one again included) is -EBUSY
 *    until it is detached;
 *  - attaching the default domain to a group already on it does nothing;
 *  - detaching returns the group to its default domain, or to no domain;
 *  - devices without a group ("legacy") go straight to the driver.
 */
#define pr_fmt(fmt)	"iommu: " fmt

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/kernel.h>

#include "iommu-priv.h"

/*
 * Allocate a domain of @type from @bus's IOMMU driver and fill in what the
 * core owns (ops and type).
 */
struct iommu_domain *__iommu_domain_alloc(struct bus_type *bus, unsigned int type)
{
	const struct iommu_ops *ops = bus ? bus->iommu_ops : NULL;
	struct iommu_domain *domain;

	if (!ops || !ops->domain_alloc)
		return NULL;

	domain = ops->domain_alloc(type);
	if (!domain)
		return NULL;

	domain->ops = ops;
	domain->type = type;
	return domain;
}

/**
 * iommu_domain_alloc - allocate an unmanaged domain from a bus's IOMMU driver
 * @bus: the bus whose IOMMU driver provides the domain
 *
 * The domain has type IOMMU_DOMAIN_UNMANAGED: its user maps and unmaps with
 * iommu_map()/iommu_unmap() and frees it with iommu_domain_free().  The core
 * does not count domains; the driver, which allocates them, does (so that
 * domains drivers hand out directly, as the seed's arm64 code asks for, are
 * counted the same way).
 *
 * Context: process context.
 * Return: the domain; NULL if @bus is NULL or has no IOMMU ops, the driver
 * cannot allocate domains, or the driver's allocation failed.
 */
struct iommu_domain *iommu_domain_alloc(struct bus_type *bus)
{
	return __iommu_domain_alloc(bus, IOMMU_DOMAIN_UNMANAGED);
}
EXPORT_SYMBOL_GPL(iommu_domain_alloc);

/* Hand @domain back to its driver, no questions asked. */
void __iommu_domain_free(struct iommu_domain *domain)
{
	domain->ops->domain_free(domain);
}

/*
 * Refuse to free a domain a group still relies on; forget it in groups whose
 * members have all gone (the 2015 core did not detach departing devices).
 * Return: true if @domain may be freed.
 */
static bool iommu_domain_release_groups(struct iommu_domain *domain)
{
	struct iommu_group *group;
	bool busy = false;

	mutex_lock(&iommu_group_list_lock);
	list_for_each_entry(group, &iommu_group_list, entry) {
		mutex_lock(&group->mutex);
		if (WARN(group->default_domain == domain,
			 "iommu_domain_free: domain is the default domain of group %d", group->id))
			busy = true;
		else if (WARN(group->domain == domain && group->nr_devices,
			      "iommu_domain_free: domain still attached to group %d", group->id))
			busy = true;
		mutex_unlock(&group->mutex);
	}
	if (!busy) {
		list_for_each_entry(group, &iommu_group_list, entry) {
			mutex_lock(&group->mutex);
			if (group->domain == domain)
				group->domain = group->default_domain;
			mutex_unlock(&group->mutex);
		}
	}
	mutex_unlock(&iommu_group_list_lock);
	return !busy;
}

/**
 * iommu_domain_free - free a domain
 * @domain: a domain from iommu_domain_alloc() (or the driver's domain_alloc)
 *
 * The caller must have detached every device first.  Groups without members
 * still pointing at @domain fall back to their default domain.
 *
 * Context: process context; takes the group list lock and each group's mutex.
 * Return: nothing.  A NULL @domain, one without ops or a driver without
 * domain_free is WARNed and left alone; so is a domain that is a group's
 * default domain (the group owns it) or still attached to a group with
 * members (freeing it would leave them translating through freed tables).
 */
void iommu_domain_free(struct iommu_domain *domain)
{
	if (WARN(!domain, "iommu_domain_free: NULL domain"))
		return;
	if (WARN(!domain->ops || !domain->ops->domain_free,
		 "iommu_domain_free: domain has no ops or driver has no domain_free"))
		return;
	if (!iommu_domain_release_groups(domain))
		return;
	__iommu_domain_free(domain);
}
EXPORT_SYMBOL_GPL(iommu_domain_free);

int __iommu_attach_device(struct iommu_domain *domain, struct device *dev)
{
	if (unlikely(!domain->ops->attach_dev))
		return -ENODEV;
	return domain->ops->attach_dev(domain, dev);
}

void __iommu_detach_device(struct iommu_domain *domain, struct device *dev)
{
	if (unlikely(!domain->ops->detach_dev))
		return;
	domain->ops->detach_dev(domain, dev);
}

/*
 * Move every member of @group from @from (NULL: attached to nothing) to
 * @to.  On failure the members already moved go back to @from, so the group
 * stays wholly on @from.  Called with group->mutex held.
 */
static int iommu_group_move_members(struct iommu_group *group, struct iommu_domain *from,
				    struct iommu_domain *to)
{
	struct iommu_group_member *member, *undo;
	int ret = 0;

	list_for_each_entry(member, &group->devices, list) {
		ret = __iommu_attach_device(to, member->dev);
		if (ret)
			goto out_undo;
	}
	return 0;

out_undo:
	list_for_each_entry(undo, &group->devices, list) {
		if (undo == member)
			break;
		if (from)
			WARN(__iommu_attach_device(from, undo->dev),
			     "%s: cannot go back to its previous domain", dev_name(undo->dev));
		else
			__iommu_detach_device(to, undo->dev);
	}
	return ret;
}

/* Attach @group to @domain; called with group->mutex held. */
int __iommu_attach_group(struct iommu_domain *domain, struct iommu_group *group)
{
	int ret;

	if (group->domain == domain && domain == group->default_domain)
		return 0;
	if (group->domain && group->domain != group->default_domain)
		return -EBUSY;

	ret = iommu_group_move_members(group, group->domain, domain);
	if (ret)
		return ret;
	group->domain = domain;
	return 0;
}

/* Detach @group from @domain; called with group->mutex held. */
void __iommu_detach_group(struct iommu_domain *domain, struct iommu_group *group)
{
	struct iommu_group_member *member;

	if (WARN(domain != group->domain, "group %d is not attached to that domain", group->id))
		return;
	if (domain == group->default_domain)
		return;		/* nothing to go back to: stay on the default */

	if (!group->default_domain) {
		list_for_each_entry(member, &group->devices, list)
			__iommu_detach_device(domain, member->dev);
		group->domain = NULL;
		return;
	}

	/* Detach by re-attaching to the default domain. */
	if (WARN(iommu_group_move_members(group, domain, group->default_domain),
		 "group %d: cannot return to its default domain", group->id))
		return;
	group->domain = group->default_domain;
}

/**
 * iommu_attach_device - attach a device to a domain
 * @domain: the domain
 * @dev: the device
 *
 * A device in a group is attached by attaching its group, which must have
 * @dev as its only member (see the rules at the top of this file).  A device
 * in no group is passed straight to the driver's attach_dev.
 *
 * Context: process context; takes the group's mutex.
 * Return: 0; -EINVAL if @dev's group has other members; -EBUSY if the group
 * is attached to a domain other than its default domain (including
 * @domain itself: attaching twice); -ENODEV if the driver cannot attach;
 * the driver's errno.  -EINVAL (WARN) for a NULL argument or a domain
 * without ops.  On error the group's attachment is unchanged.
 */
int iommu_attach_device(struct iommu_domain *domain, struct device *dev)
{
	struct iommu_group *group;
	int ret;

	if (WARN(!domain || !dev, "iommu_attach_device: NULL %s", domain ? "device" : "domain"))
		return -EINVAL;
	if (WARN(!domain->ops, "iommu_attach_device: domain without ops"))
		return -EINVAL;

	group = iommu_group_get(dev);
	/* Legacy: drivers of 2015 did not all put devices in groups. */
	if (!group)
		return __iommu_attach_device(domain, dev);

	/* The lock keeps the member count stable while we attach. */
	mutex_lock(&group->mutex);
	ret = -EINVAL;
	if (group->nr_devices != 1)
		goto out_unlock;
	ret = __iommu_attach_group(domain, group);
out_unlock:
	mutex_unlock(&group->mutex);
	iommu_group_put(group);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_attach_device);

/**
 * iommu_detach_device - detach a device from a domain
 * @domain: the domain @dev is attached to
 * @dev: the device
 *
 * For a device in a group, the group goes back to its default domain (a
 * no-op if @domain is the default domain) or to no domain.  A device in no
 * group is passed straight to the driver's detach_dev.
 *
 * Context: process context; takes the group's mutex.
 * Return: nothing.  WARNs and changes nothing for a NULL argument, a group
 * with more than one member, or a group not attached to @domain.
 */
void iommu_detach_device(struct iommu_domain *domain, struct device *dev)
{
	struct iommu_group *group;

	if (WARN(!domain || !dev, "iommu_detach_device: NULL %s", domain ? "device" : "domain"))
		return;
	if (WARN(!domain->ops, "iommu_detach_device: domain without ops"))
		return;

	group = iommu_group_get(dev);
	if (!group) {
		__iommu_detach_device(domain, dev);
		return;
	}

	mutex_lock(&group->mutex);
	if (!WARN(group->nr_devices != 1, "iommu_detach_device: %s shares group %d",
		  dev_name(dev), group->id))
		__iommu_detach_group(domain, group);
	mutex_unlock(&group->mutex);
	iommu_group_put(group);
}
EXPORT_SYMBOL_GPL(iommu_detach_device);

/**
 * iommu_get_domain_for_dev - the domain a device translates through
 * @dev: the device
 *
 * Lockless, as in the kernel: IOMMU drivers call it from attach_dev, with
 * the group's mutex held.
 *
 * Context: any.
 * Return: the domain @dev's group is attached to, or NULL if @dev is in no
 * group (legacy attachments are the driver's business) or the group is
 * attached to nothing.  NULL (WARN) for a NULL @dev.
 */
struct iommu_domain *iommu_get_domain_for_dev(struct device *dev)
{
	struct iommu_group *group;

	if (WARN(!dev, "iommu_get_domain_for_dev: NULL device"))
		return NULL;
	group = READ_ONCE(dev->iommu_group);
	if (!group)
		return NULL;
	return READ_ONCE(group->domain);
}
EXPORT_SYMBOL_GPL(iommu_get_domain_for_dev);

/**
 * iommu_attach_group - attach every device of a group to a domain
 * @domain: the domain
 * @group: the group
 *
 * Context: process context; takes @group's mutex.
 * Return: 0; -EBUSY if @group is attached to a domain other than its
 * default; the driver's errno (every member is then back where it was);
 * -EINVAL (WARN) for a NULL argument.
 */
int iommu_attach_group(struct iommu_domain *domain, struct iommu_group *group)
{
	int ret;

	if (WARN(!domain || !group, "iommu_attach_group: NULL %s", domain ? "group" : "domain"))
		return -EINVAL;
	if (WARN(!domain->ops, "iommu_attach_group: domain without ops"))
		return -EINVAL;

	mutex_lock(&group->mutex);
	ret = __iommu_attach_group(domain, group);
	mutex_unlock(&group->mutex);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_attach_group);

/**
 * iommu_detach_group - detach a group from a domain
 * @domain: the domain @group is attached to
 * @group: the group
 *
 * The group goes back to its default domain, or to no domain.
 *
 * Context: process context; takes @group's mutex.
 * Return: nothing; WARNs and changes nothing for a NULL argument or a group
 * not attached to @domain.
 */
void iommu_detach_group(struct iommu_domain *domain, struct iommu_group *group)
{
	if (WARN(!domain || !group, "iommu_detach_group: NULL %s", domain ? "group" : "domain"))
		return;

	mutex_lock(&group->mutex);
	__iommu_detach_group(domain, group);
	mutex_unlock(&group->mutex);
}
EXPORT_SYMBOL_GPL(iommu_detach_group);

/**
 * iommu_domain_get_attr - read a domain attribute
 * @domain: the domain
 * @attr: which attribute
 * @data: where to store it (type depends on @attr)
 *
 * The core answers DOMAIN_ATTR_GEOMETRY (struct iommu_domain_geometry) and
 * DOMAIN_ATTR_PAGING (bool: the driver supports iommu_map()); the driver
 * answers the rest.  DOMAIN_ATTR_WINDOWS needs window callbacks this ops
 * structure does not have.
 *
 * Context: process context.
 * Return: 0; -ENODEV for DOMAIN_ATTR_WINDOWS; -EINVAL if the driver has no
 * domain_get_attr; the driver's errno.  -EINVAL (WARN) for a NULL argument
 * or an attribute outside the enum.  On error *@data is untouched (by us).
 */
int iommu_domain_get_attr(struct iommu_domain *domain, enum iommu_attr attr, void *data)
{
	if (WARN(!domain || !data, "iommu_domain_get_attr: NULL %s", domain ? "data" : "domain"))
		return -EINVAL;
	if (WARN(!domain->ops, "iommu_domain_get_attr: domain without ops"))
		return -EINVAL;
	if (WARN((unsigned int)attr >= DOMAIN_ATTR_MAX, "iommu_domain_get_attr: bad attr %d",
		 (int)attr))
		return -EINVAL;

	switch (attr) {
	case DOMAIN_ATTR_GEOMETRY:
		*(struct iommu_domain_geometry *)data = domain->geometry;
		return 0;
	case DOMAIN_ATTR_PAGING:
		*(bool *)data = domain->ops->pgsize_bitmap != 0UL;
		return 0;
	case DOMAIN_ATTR_WINDOWS:
		return -ENODEV;
	default:
		if (!domain->ops->domain_get_attr)
			return -EINVAL;
		return domain->ops->domain_get_attr(domain, attr, data);
	}
}
EXPORT_SYMBOL_GPL(iommu_domain_get_attr);

/**
 * iommu_domain_set_attr - change a domain attribute
 * @domain: the domain
 * @attr: which attribute
 * @data: the new value (type depends on @attr)
 *
 * Every attribute but DOMAIN_ATTR_WINDOWS goes to the driver, as in 2015
 * (the core does not let anyone rewrite the geometry).
 *
 * Context: process context.
 * Return: 0; -ENODEV for DOMAIN_ATTR_WINDOWS; -EINVAL if the driver has no
 * domain_set_attr; the driver's errno.  -EINVAL (WARN) for a NULL argument
 * or an attribute outside the enum.
 */
int iommu_domain_set_attr(struct iommu_domain *domain, enum iommu_attr attr, void *data)
{
	if (WARN(!domain || !data, "iommu_domain_set_attr: NULL %s", domain ? "data" : "domain"))
		return -EINVAL;
	if (WARN(!domain->ops, "iommu_domain_set_attr: domain without ops"))
		return -EINVAL;
	if (WARN((unsigned int)attr >= DOMAIN_ATTR_MAX, "iommu_domain_set_attr: bad attr %d",
		 (int)attr))
		return -EINVAL;

	if (attr == DOMAIN_ATTR_WINDOWS)
		return -ENODEV;
	if (!domain->ops->domain_set_attr)
		return -EINVAL;
	return domain->ops->domain_set_attr(domain, attr, data);
}
EXPORT_SYMBOL_GPL(iommu_domain_set_attr);
