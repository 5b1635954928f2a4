// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Sanity checkers of the simulated IOMMU: a domain (its page table and its
 * attachments) and a whole instance (masters, contexts, IOTLB, budget).
 * Each WARNs every problem it finds and returns -EUCLEAN.
 */
#include <linux/kernel.h>
#include <linux/device.h>

#include "fake_iommu.h"

/* Bookkeeping of @dom against the instance; topology lock held. */
static int iosim_domain_check_links_locked(struct iosim_domain *dom)
{
	struct iosim_iommu *iommu = dom->iommu;
	const struct iommu_ops *ops = READ_ONCE(dom->domain.ops);
	struct iosim_master *master;
	unsigned int nr_attached = 0;
	int ret = 0;

	list_for_each_entry(master, &iommu->masters, node)
		if (master->domain == dom)
			nr_attached++;
	if (WARN(nr_attached != dom->nr_masters,
		 "iosim iommu check: %s domain %llu: %u masters attached, count says %u",
		 iommu->name, (unsigned long long)dom->id, nr_attached, dom->nr_masters))
		ret = -EUCLEAN;
	if (WARN(ops && ops != &iommu->ops,
		 "iosim iommu check: %s domain %llu has another IOMMU's ops", iommu->name,
		 (unsigned long long)dom->id))
		ret = -EUCLEAN;
	if (WARN(dom->domain.geometry.aperture_start != 0 ||
		 dom->domain.geometry.aperture_end != iosim_pgt_input_size(&iommu->pgcfg) - 1,
		 "iosim iommu check: %s domain %llu: aperture changed", iommu->name,
		 (unsigned long long)dom->id))
		ret = -EUCLEAN;
	if (WARN(!dom->pgt.pgd && dom->nr_masters,
		 "iosim iommu check: %s domain %llu has masters but no page table", iommu->name,
		 (unsigned long long)dom->id))
		ret = -EUCLEAN;
	return ret;
}

static int iosim_domain_check_tables(struct iosim_domain *dom)
{
	int ret;

	spin_lock(&dom->lock);
	ret = iosim_pgtable_check(&dom->pgt, iosim_iommu_output_ok, dom->iommu);
	spin_unlock(&dom->lock);
	return ret;
}

int iosim_iommu_domain_check(struct iommu_domain *domain)
{
	struct iosim_domain *dom = iosim_domain_find(domain);
	int ret, links;

	if (WARN(!dom, "iosim_iommu_domain_check: %p is not a simulated IOMMU's domain", domain))
		return -EINVAL;
	ret = iosim_domain_check_tables(dom);
	mutex_lock(&dom->iommu->topology_lock);
	links = iosim_domain_check_links_locked(dom);
	mutex_unlock(&dom->iommu->topology_lock);
	return ret ? ret : links;
}

static bool iosim_domain_listed(struct iosim_iommu *iommu, struct iosim_domain *wanted)
{
	struct iosim_domain *dom;

	list_for_each_entry(dom, &iommu->domains, node)
		if (dom == wanted)
			return true;
	return false;
}

static int iosim_iommu_check_masters_locked(struct iosim_iommu *iommu)
{
	struct iosim_master *master;
	unsigned int nr = 0;
	int ret = 0;

	list_for_each_entry(master, &iommu->masters, node) {
		nr++;
		if (WARN(master->iommu != iommu || master->dev->iosim_master != master ||
			 master->dev->archdata.iommu != iommu,
			 "iosim iommu check: %s: master %s is not linked both ways", iommu->name,
			 dev_name(master->dev)))
			ret = -EUCLEAN;
		if (WARN(master->domain && !iosim_domain_listed(iommu, master->domain),
			 "iosim iommu check: %s: master %s attached to a dead domain", iommu->name,
			 dev_name(master->dev)))
			ret = -EUCLEAN;
	}
	if (WARN(nr != iommu->nr_masters, "iosim iommu check: %s: %u masters listed, count says %u",
		 iommu->name, nr, iommu->nr_masters))
		ret = -EUCLEAN;
	return ret;
}

/* IOTLB entries: tagged with live domains, each a whole aligned leaf. */
static int iosim_iommu_check_iotlb_locked(struct iosim_iommu *iommu)
{
	const struct iosim_pgtable_cfg *cfg = &iommu->pgcfg;
	struct iosim_domain *dom;
	unsigned int i;
	int ret = 0;

	spin_lock(&iommu->lock);
	for (i = 0; i < iommu->iotlb.nr_entries; i++) {
		const struct iosim_iotlb_entry *entry = &iommu->iotlb.entries[i];
		bool live = false, leaf_size = false;
		int lvl;

		if (!entry->domain_id)
			continue;
		list_for_each_entry(dom, &iommu->domains, node)
			live |= dom->id == entry->domain_id;
		for (lvl = cfg->start_level; lvl <= IOSIM_PGT_LEAF_LEVEL; lvl++)
			leaf_size |= entry->size == iosim_pgt_lvl_size(cfg, lvl);
		if (WARN(!live, "iosim iommu check: %s: IOTLB entry %u of dead domain %llu",
			 iommu->name, i, (unsigned long long)entry->domain_id))
			ret = -EUCLEAN;
		if (WARN(!leaf_size || !IS_ALIGNED(entry->iova, entry->size) ||
			 !IS_ALIGNED(entry->phys, entry->size),
			 "iosim iommu check: %s: IOTLB entry %u (%#lx + %#lx -> %#llx) is no leaf",
			 iommu->name, i, entry->iova, entry->size,
			 (unsigned long long)entry->phys))
			ret = -EUCLEAN;
		if (WARN(entry->last_used > iommu->iotlb.clock,
			 "iosim iommu check: %s: IOTLB entry %u used in the future",
			 iommu->name, i))
			ret = -EUCLEAN;
	}
	if (iosim_iotlb_check(&iommu->iotlb))
		ret = -EUCLEAN;
	spin_unlock(&iommu->lock);
	return ret;
}

int iosim_iommu_instance_check(struct iosim_iommu *iommu)
{
	struct iosim_domain *dom;
	unsigned long nr_tables = 0;
	unsigned int nr_domains = 0;
	int ret = 0;

	if (WARN(!iosim_iommu_is_live(iommu), "iosim_iommu_instance_check: %p is not a live IOMMU",
		 iommu))
		return -EINVAL;

	mutex_lock(&iommu->topology_lock);
	list_for_each_entry(dom, &iommu->domains, node) {
		nr_domains++;
		if (iosim_domain_check_tables(dom) || iosim_domain_check_links_locked(dom))
			ret = -EUCLEAN;
		spin_lock(&dom->lock);
		nr_tables += dom->pgt.nr_tables;
		spin_unlock(&dom->lock);
	}
	if (WARN(nr_domains != iommu->nr_domains || nr_domains > iommu->cfg.nr_contexts,
		 "iosim iommu check: %s: %u domains listed, count says %u, %u contexts",
		 iommu->name, nr_domains, iommu->nr_domains, iommu->cfg.nr_contexts))
		ret = -EUCLEAN;
	if (WARN(atomic64_read(&iommu->budget.used) != (long)nr_tables,
		 "iosim iommu check: %s: budget counts %ld tables, domains hold %lu", iommu->name,
		 atomic64_read(&iommu->budget.used), nr_tables))
		ret = -EUCLEAN;
	if (iosim_iommu_check_masters_locked(iommu) || iosim_iommu_check_iotlb_locked(iommu))
		ret = -EUCLEAN;
	mutex_unlock(&iommu->topology_lock);
	return ret;
}
