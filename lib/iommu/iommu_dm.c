// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Direct-mapped regions: memory a device must reach at iova == phys whatever
 * domain it is in (firmware buffers and the like), as the IOMMU driver
 * reports them (drivers/iommu/iommu.c of 2015).  A group's default DMA
 * domain gets them mapped when each device joins; iommu_request_dm_for_dev()
 * puts a device in an identity domain instead.
 */
#define pr_fmt(fmt)	"iommu: " fmt

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/list.h>

#include "iommu-priv.h"

static const struct iommu_ops *dev_iommu_ops(struct device *dev)
{
	return dev->bus ? READ_ONCE(dev->bus->iommu_ops) : NULL;
}

/**
 * iommu_get_dm_regions - the regions a device needs direct-mapped
 * @dev: the device
 * @list: an initialised list head; struct iommu_dm_region entries are added
 *
 * Context: process context.
 * Return: nothing; @list is left unchanged if the driver reports none (or
 * @dev's bus has no IOMMU).  NULL arguments are WARNed.
 */
void iommu_get_dm_regions(struct device *dev, struct list_head *list)
{
	const struct iommu_ops *ops;

	if (WARN(!dev || !list, "iommu_get_dm_regions: NULL argument"))
		return;
	ops = dev_iommu_ops(dev);
	if (ops && ops->get_dm_regions)
		ops->get_dm_regions(dev, list);
}
EXPORT_SYMBOL_GPL(iommu_get_dm_regions);

/**
 * iommu_put_dm_regions - give back what iommu_get_dm_regions() returned
 * @dev: the device
 * @list: the list filled by iommu_get_dm_regions()
 *
 * Context: process context.
 * Return: nothing.  NULL arguments are WARNed.
 */
void iommu_put_dm_regions(struct device *dev, struct list_head *list)
{
	const struct iommu_ops *ops;

	if (WARN(!dev || !list, "iommu_put_dm_regions: NULL argument"))
		return;
	ops = dev_iommu_ops(dev);
	if (ops && ops->put_dm_regions)
		ops->put_dm_regions(dev, list);
}
EXPORT_SYMBOL_GPL(iommu_put_dm_regions);

/*
 * Map @dev's direct-mapped regions into @group's default domain, if it is a
 * DMA domain.  Each region is widened to granule boundaries (4.2 rounded the
 * start up, losing a partial first granule) and granules something already
 * maps are skipped, since members of a group often share regions.
 * Return: 0, or the first iommu_map() error (earlier granules stay mapped:
 * they belong to the domain, which the group frees).
 */
int iommu_group_create_direct_mappings(struct iommu_group *group, struct device *dev)
{
	struct iommu_domain *domain = group->default_domain;
	struct iommu_dm_region *entry;
	struct list_head mappings;
	unsigned long pg_size;
	int ret = 0;

	if (!domain || domain->type != IOMMU_DOMAIN_DMA)
		return 0;
	pg_size = iommu_min_pagesz(domain);
	if (!pg_size)
		return 0;

	INIT_LIST_HEAD(&mappings);
	iommu_get_dm_regions(dev, &mappings);

	list_for_each_entry(entry, &mappings, list) {
		phys_addr_t start, end, addr;

		if (!entry->length)
			continue;
		start = round_down(entry->start, (phys_addr_t)pg_size);
		end = ALIGN(entry->start + entry->length, (phys_addr_t)pg_size);

		for (addr = start; addr < end; addr += pg_size) {
			if (iommu_iova_to_phys(domain, addr))
				continue;
			ret = iommu_map(domain, addr, addr, pg_size, entry->prot);
			if (ret)
				goto out_put;
		}
	}

out_put:
	iommu_put_dm_regions(dev, &mappings);
	return ret;
}

/**
 * iommu_request_dm_for_dev - put a device in a direct-mapped (identity) domain
 * @dev: a device on a bus with IOMMU ops, alone in its group
 *
 * Finds or creates @dev's group, asks the driver for an IOMMU_DOMAIN_IDENTITY
 * domain, attaches the group to it and makes it the group's default domain
 * (the old default domain is freed).  This is what the kernel added right
 * after 4.2 for devices that cannot work behind translation.
 *
 * Context: process context.
 * Return: 0, also if the default domain already is an identity domain;
 * -EBUSY if the group has other members or is attached to a non-default
 * domain; -ENOMEM if the driver cannot make an identity domain; the errno of
 * iommu_group_get_for_dev() or of the driver's attach_dev.  On error the
 * group keeps its domains.  -EINVAL (WARN) for a NULL @dev.
 */
int iommu_request_dm_for_dev(struct device *dev)
{
	struct iommu_domain *dm_domain, *old_default;
	struct iommu_group *group;
	int ret;

	if (WARN(!dev, "iommu_request_dm_for_dev: NULL device"))
		return -EINVAL;

	group = iommu_group_get_for_dev(dev);
	if (IS_ERR(group))
		return PTR_ERR(group);

	mutex_lock(&group->mutex);

	ret = 0;
	if (group->default_domain && group->default_domain->type == IOMMU_DOMAIN_IDENTITY)
		goto out_unlock;

	/* Don't change mappings of existing devices. */
	ret = -EBUSY;
	if (group->nr_devices != 1)
		goto out_unlock;
	if (group->domain && group->domain != group->default_domain)
		goto out_unlock;

	ret = -ENOMEM;
	dm_domain = __iommu_domain_alloc(dev->bus, IOMMU_DOMAIN_IDENTITY);
	if (!dm_domain)
		goto out_unlock;

	ret = __iommu_attach_group(dm_domain, group);
	if (ret) {
		__iommu_domain_free(dm_domain);
		goto out_unlock;
	}

	old_default = group->default_domain;
	group->default_domain = dm_domain;
	if (old_default)
		__iommu_domain_free(old_default);

	pr_info("Using direct mapping for device %s\n", dev_name(dev));
	ret = 0;
out_unlock:
	mutex_unlock(&group->mutex);
	iommu_group_put(group);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_request_dm_for_dev);
