// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Statistics of the simulated IOMMU: live page-table shape (mappings by page
 * size, tables) read from each domain's counters, and event counters kept
 * per domain and folded into the instance when a domain is freed.
 */
#include <linux/kernel.h>

#include "fake_iommu.h"

/* Add @add's event counters (not the live values) into @sum. */
void iosim_stats_add_events(struct iosim_iommu_stats *sum, const struct iosim_iommu_stats *add)
{
	sum->map_calls += add->map_calls;
	sum->map_failures += add->map_failures;
	sum->unmap_calls += add->unmap_calls;
	sum->unmapped_bytes += add->unmapped_bytes;
	sum->splits += add->splits;
	sum->table_alloc_failures += add->table_alloc_failures;
	sum->walks += add->walks;
	sum->iotlb_hits += add->iotlb_hits;
	sum->iotlb_misses += add->iotlb_misses;
	sum->iotlb_invalidations += add->iotlb_invalidations;
	sum->iotlb_entries_invalidated += add->iotlb_entries_invalidated;
	sum->iotlb_skipped_invalidations += add->iotlb_skipped_invalidations;
	sum->iotlb_stale_hits += add->iotlb_stale_hits;
	sum->faults += add->faults;
	sum->dma_read_bytes += add->dma_read_bytes;
	sum->dma_write_bytes += add->dma_write_bytes;
}

/* Add @pgt's live shape and its cumulative counters into @stats. */
void iosim_stats_add_pgtable(struct iosim_iommu_stats *stats, const struct iosim_pgtable *pgt)
{
	int lvl;

	for (lvl = pgt->cfg->start_level; lvl <= IOSIM_PGT_LEAF_LEVEL; lvl++)
		stats->mappings[iosim_pgt_lvl_shift(pgt->cfg, lvl)] +=
			pgt->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)];
	stats->mapped_bytes += iosim_pgtable_mapped_bytes(pgt);
	stats->tables += pgt->nr_tables;
	stats->table_bytes += iosim_pgtable_table_bytes(pgt);
	stats->spare_tables += pgt->nr_spares;
	stats->spare_table_bytes += iosim_pgtable_spare_bytes(pgt);
	stats->splits += pgt->nr_splits;
	stats->table_alloc_failures += pgt->nr_table_allocs_failed;
}

/*
 * One live domain's share; called with the topology lock held.  Its event
 * counters are written under either lock (see struct iosim_domain): read
 * them under both.
 */
static void iosim_stats_add_domain(struct iosim_iommu_stats *stats, struct iosim_domain *dom)
{
	spin_lock(&dom->lock);
	iosim_stats_add_pgtable(stats, &dom->pgt);
	spin_lock(&dom->iommu->lock);
	iosim_stats_add_events(stats, &dom->events);
	spin_unlock(&dom->iommu->lock);
	spin_unlock(&dom->lock);
}

void iosim_iommu_get_stats(struct iosim_iommu *iommu, struct iosim_iommu_stats *stats)
{
	struct iosim_domain *dom;

	memset(stats, 0, sizeof(*stats));
	mutex_lock(&iommu->topology_lock);
	stats->domains = iommu->nr_domains;
	stats->masters = iommu->nr_masters;
	list_for_each_entry(dom, &iommu->domains, node)
		iosim_stats_add_domain(stats, dom);
	mutex_unlock(&iommu->topology_lock);

	spin_lock(&iommu->lock);
	iosim_stats_add_events(stats, &iommu->events);
	spin_unlock(&iommu->lock);
	stats->budget_refusals = atomic64_read(&iommu->budget.refused);
}

int iosim_iommu_domain_stats(struct iommu_domain *domain, struct iosim_iommu_stats *stats)
{
	struct iosim_domain *dom = iosim_domain_find(domain);

	memset(stats, 0, sizeof(*stats));
	if (!dom)
		return -EINVAL;
	mutex_lock(&dom->iommu->topology_lock);
	stats->domains = dom->iommu->nr_domains;
	stats->masters = dom->iommu->nr_masters;
	iosim_stats_add_domain(stats, dom);
	mutex_unlock(&dom->iommu->topology_lock);
	stats->budget_refusals = atomic64_read(&dom->iommu->budget.refused);
	return 0;
}

int iosim_iommu_domain_mapped_bytes(struct iommu_domain *domain, u64 *bytes)
{
	struct iosim_domain *dom = iosim_domain_find(domain);

	*bytes = 0;
	if (!dom)
		return -EINVAL;
	/* The leaf counts change under the domain's lock only. */
	spin_lock(&dom->lock);
	*bytes = iosim_pgtable_mapped_bytes(&dom->pgt);
	spin_unlock(&dom->lock);
	return 0;
}
