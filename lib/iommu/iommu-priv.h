/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * iommu-priv.h - the IOMMU core's private state, shared by the files of
 * lib/iommu only.  struct iommu_group is opaque outside the core, as in the
 * kernel (it lived in drivers/iommu/iommu.c).  Everything declared here is
 * hidden from the static library's exported interface.
 */
#ifndef _IOSIM_IOMMU_PRIV_H
#define _IOSIM_IOMMU_PRIV_H

#include <linux/atomic.h>
#include <linux/iommu.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/notifier.h>

#define __iommu_hidden	__attribute__((__visibility__("hidden")))

/*
 * struct iommu_group - a set of devices the IOMMU cannot tell apart
 *
 * Lifetime: @refcount counts the reference returned by iommu_group_alloc(),
 * one per member device and one per iommu_group_get() not yet put.  The
 * group is released (iommudata release callback, default domain freed) when
 * it drops to zero.
 *
 * Invariants (checked by iosim_iommu_group_check()):
 *  - every entry of @devices names a distinct device whose ->iommu_group is
 *    this group; @refcount >= max(1, number of devices);
 *  - @default_domain implies @domain != NULL (a group with a default domain is
 *    always attached to something: the default, or the domain that replaced
 *    it until it is detached);
 *  - the group is on iommu_group_list exactly while @refcount > 0, and that
 *    list is sorted by strictly increasing @id.
 */
struct iommu_group {
	struct list_head entry;		/* on iommu_group_list, by id */
	atomic_t refcount;
	int id;
	char *name;			/* iommu_group_set_name(); NULL if none */

	struct mutex mutex;		/* protects devices, domain, default_domain */
	struct list_head devices;	/* struct iommu_group_member, add order */
	unsigned int nr_devices;
	struct iommu_domain *default_domain;
	struct iommu_domain *domain;	/* what every member is attached to */

	struct blocking_notifier_head notifier;
	void *iommu_data;
	void (*iommu_data_release)(void *iommu_data);
};

/* One member device of a group (the kernel's struct iommu_device of 2015). */
struct iommu_group_member {
	struct list_head list;
	struct device *dev;
};

/* All live groups, sorted by id; iommu_group_list_lock protects the list. */
extern __iommu_hidden struct list_head iommu_group_list;
extern __iommu_hidden struct mutex iommu_group_list_lock;

/* iommu_group.c */
__iommu_hidden void iommu_group_ref_get(struct iommu_group *group);
__iommu_hidden bool iommu_group_is_live(struct iommu_group *group);

/* iommu_domain.c: the group-level attach/detach, with group->mutex held. */
__iommu_hidden struct iommu_domain *__iommu_domain_alloc(struct bus_type *bus, unsigned int type);
__iommu_hidden void __iommu_domain_free(struct iommu_domain *domain);
__iommu_hidden int __iommu_attach_device(struct iommu_domain *domain, struct device *dev);
__iommu_hidden void __iommu_detach_device(struct iommu_domain *domain, struct device *dev);
__iommu_hidden int __iommu_attach_group(struct iommu_domain *domain, struct iommu_group *group);
__iommu_hidden void __iommu_detach_group(struct iommu_domain *domain, struct iommu_group *group);

/* iommu_dm.c */
__iommu_hidden int iommu_group_create_direct_mappings(struct iommu_group *group,
						      struct device *dev);

/* iommu_map.c: the domain's granule, its driver's smallest page size (0: none). */
__iommu_hidden unsigned long iommu_min_pagesz(const struct iommu_domain *domain);

#endif /* _IOSIM_IOMMU_PRIV_H */
