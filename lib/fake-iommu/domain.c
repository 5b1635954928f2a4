// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Domains of the simulated IOMMU: the iommu_ops callbacks that allocate,
 * free, attach, map, unmap and translate.
 *
 * A domain holds one hardware context (nr_contexts bounds them) and one page
 * table, allocated on the first map or attach.  Attaching programs a
 * master's stream to the context: the bus master translates through the
 * domain recorded here, which is what the hardware would do whatever the
 * core's group bookkeeping says.
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/iommu.h>

#include <iosim/fault.h>
#include <iosim/live.h>

#include "fake_iommu.h"

/* WARN if @dom is driven through another instance's ops. */
static bool iosim_domain_ops_mismatch(struct iosim_domain *dom)
{
	const struct iommu_ops *ops = READ_ONCE(dom->domain.ops);

	return WARN(ops && ops != &dom->iommu->ops,
		    "iosim iommu: domain of %s used through other IOMMU ops", dom->iommu->name);
}

struct iommu_domain *iosim_domain_alloc(struct iosim_iommu *iommu, unsigned int type)
{
	struct iosim_domain *dom;
	bool refuse;

	/* 2015's arm-smmu knew only unmanaged domains; DMA ones need a cookie hook. */
	if (type != IOMMU_DOMAIN_UNMANAGED &&
	    (type != IOMMU_DOMAIN_DMA || !iommu->cfg.dma_cookie_get))
		return NULL;
	if (iosim_fault_should_fail(IOSIM_FAULT_DOMAIN_ALLOC))
		return NULL;
	spin_lock(&iommu->lock);
	refuse = iommu->refuse_domains;
	spin_unlock(&iommu->lock);
	if (refuse)
		return NULL;

	dom = kzalloc(sizeof(*dom), GFP_KERNEL);
	if (!dom)
		return NULL;
	dom->iommu = iommu;
	dom->alloc_type = type;
	spin_lock_init(&dom->lock);
	iosim_pgtable_init(&dom->pgt, &iommu->pgcfg, &iommu->budget);
	dom->domain.geometry.aperture_start = 0;
	dom->domain.geometry.aperture_end = iosim_pgt_input_size(&iommu->pgcfg) - 1;
	dom->domain.geometry.force_aperture = true;

	/* Take a context. */
	mutex_lock(&iommu->topology_lock);
	if (iommu->nr_domains >= iommu->cfg.nr_contexts) {
		mutex_unlock(&iommu->topology_lock);
		goto out_free;
	}
	iommu->nr_domains++;
	dom->id = ++iommu->next_domain_id;
	list_add_tail(&dom->node, &iommu->domains);
	mutex_unlock(&iommu->topology_lock);

	if (type == IOMMU_DOMAIN_DMA) {
		if (iommu->cfg.dma_cookie_get(&dom->domain))
			goto out_put_context;
		dom->has_dma_cookie = true;
	}

	iosim_live_add(IOSIM_OBJ_DOMAIN, 1);
	return &dom->domain;

out_put_context:
	mutex_lock(&iommu->topology_lock);
	list_del(&dom->node);
	iommu->nr_domains--;
	mutex_unlock(&iommu->topology_lock);
out_free:
	kfree(dom);
	return NULL;
}

/* Forget every attachment to @dom; called with the topology lock held. */
static void iosim_domain_detach_all_locked(struct iosim_domain *dom)
{
	struct iosim_master *master;

	list_for_each_entry(master, &dom->iommu->masters, node)
		if (master->domain == dom)
			iosim_master_detach_locked(master);
}

/* Tear @dom down: the caller has taken it off the instance's list. */
static void iosim_domain_destroy(struct iosim_domain *dom)
{
	struct iosim_iommu *iommu = dom->iommu;
	unsigned int nr;

	spin_lock(&dom->lock);
	iosim_pgtable_free(&dom->pgt);
	spin_unlock(&dom->lock);

	/* The context goes away: so do its IOTLB entries (a context TLBI). */
	spin_lock(&iommu->lock);
	nr = iosim_iotlb_invalidate_domain(&iommu->iotlb, dom->id);
	iommu->events.iotlb_invalidations++;
	iommu->events.iotlb_entries_invalidated += nr;
	dom->events.splits = dom->pgt.nr_splits;
	dom->events.table_alloc_failures = dom->pgt.nr_table_allocs_failed;
	iosim_stats_add_events(&iommu->events, &dom->events);
	spin_unlock(&iommu->lock);

	if (dom->has_dma_cookie)
		iommu->cfg.dma_cookie_put(&dom->domain);
	kfree(dom);
	iosim_live_add(IOSIM_OBJ_DOMAIN, -1);
}

void iosim_domain_free(struct iommu_domain *domain)
{
	struct iosim_domain *dom = to_iosim_domain(domain);
	struct iosim_iommu *iommu = dom->iommu;

	iosim_domain_ops_mismatch(dom);
	mutex_lock(&iommu->topology_lock);
	if (WARN(dom->nr_masters, "iosim iommu: %s: domain freed with %u master(s) attached",
		 iommu->name, dom->nr_masters))
		iosim_domain_detach_all_locked(dom);
	list_del(&dom->node);
	iommu->nr_domains--;
	mutex_unlock(&iommu->topology_lock);
	iosim_domain_destroy(dom);
}

/* Instance teardown: free what its users leaked (already WARNed). */
void iosim_domain_free_all(struct iosim_iommu *iommu)
{
	struct iosim_domain *dom;

	for (;;) {
		mutex_lock(&iommu->topology_lock);
		dom = list_first_entry_or_null(&iommu->domains, struct iosim_domain, node);
		if (dom) {
			iosim_domain_detach_all_locked(dom);
			list_del(&dom->node);
			iommu->nr_domains--;
		}
		mutex_unlock(&iommu->topology_lock);
		if (!dom)
			break;
		iosim_domain_destroy(dom);
	}
}

int iosim_domain_attach_dev(struct iommu_domain *domain, struct device *dev)
{
	struct iosim_domain *dom = to_iosim_domain(domain);
	struct iosim_iommu *iommu = dom->iommu;
	struct iosim_master *master = iosim_master_of(dev);
	int ret;

	if (iosim_domain_ops_mismatch(dom))
		return -EINVAL;
	if (!master)
		return -ENODEV;
	if (master->iommu != iommu) {
		dev_err(dev, "cannot attach to a domain of %s: behind %s\n", iommu->name,
			master->iommu->name);
		return -EINVAL;
	}

	mutex_lock(&iommu->topology_lock);
	if (master->domain == dom) {
		ret = 0;
		goto out_unlock;
	}
	/* The context needs its table base before a stream may point at it. */
	spin_lock(&dom->lock);
	ret = iosim_pgtable_alloc_pgd(&dom->pgt);
	spin_unlock(&dom->lock);
	if (ret)
		goto out_unlock;
	/* Moving between domains (the core re-attaches from its default). */
	if (master->domain)
		iosim_master_detach_locked(master);
	master->domain = dom;
	dom->nr_masters++;
out_unlock:
	mutex_unlock(&iommu->topology_lock);
	return ret;
}

void iosim_domain_detach_dev(struct iommu_domain *domain, struct device *dev)
{
	struct iosim_domain *dom = to_iosim_domain(domain);
	struct iosim_iommu *iommu = dom->iommu;
	struct iosim_master *master = iosim_master_of(dev);

	mutex_lock(&iommu->topology_lock);
	if (!WARN(!master || master->domain != dom, "iosim iommu: %s: not attached to this domain",
		  dev_name(dev)))
		iosim_master_detach_locked(master);
	mutex_unlock(&iommu->topology_lock);
}

int iosim_domain_map(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr,
		     size_t size, int prot)
{
	struct iosim_domain *dom = to_iosim_domain(domain);
	struct iosim_iommu *iommu = dom->iommu;
	bool fail;
	int ret;

	if (iosim_domain_ops_mismatch(dom))
		return -EINVAL;

	fail = iosim_fault_should_fail(IOSIM_FAULT_IOMMU_MAP);
	/* The knob's counter needs the instance lock; unarmed, no call takes it. */
	if (__atomic_load_n(&iommu->fail_map_nth, __ATOMIC_ACQUIRE)) {
		spin_lock(&iommu->lock);
		if (iommu->fail_map_nth && ++iommu->map_calls_armed == iommu->fail_map_nth) {
			__atomic_store_n(&iommu->fail_map_nth, 0, __ATOMIC_RELEASE);
			fail = true;
		}
		spin_unlock(&iommu->lock);
	}

	spin_lock(&dom->lock);
	dom->events.map_calls++;
	ret = fail ? -ENOMEM : iosim_pgtable_map(&dom->pgt, iova, paddr, size, prot);
	if (ret)
		dom->events.map_failures++;
	spin_unlock(&dom->lock);
	return ret;
}

size_t iosim_domain_unmap(struct iommu_domain *domain, unsigned long iova, size_t size)
{
	struct iosim_domain *dom = to_iosim_domain(domain);
	struct iosim_iommu *iommu = dom->iommu;
	size_t unmapped;

	if (iosim_domain_ops_mismatch(dom))
		return 0;

	spin_lock(&dom->lock);
	unmapped = iosim_pgtable_unmap(&dom->pgt, iova, size);
	dom->events.unmap_calls++;
	dom->events.unmapped_bytes += unmapped;
	/* Invalidate before the domain lock goes, as a driver's tlb_sync would. */
	if (unmapped && __atomic_load_n(&iommu->skip_invalidate, __ATOMIC_ACQUIRE)) {
		dom->events.iotlb_skipped_invalidations++;
	} else if (unmapped) {
		dom->events.iotlb_invalidations++;
		/*
		 * An empty IOTLB has nothing to drop: skip its lock.  A walk
		 * that raced with this unmap may still fill an entry after
		 * either path, as the bus master fills after its walk.
		 */
		if (iosim_iotlb_maybe_valid(&iommu->iotlb)) {
			unsigned int nr;

			spin_lock(&iommu->lock);
			nr = iosim_iotlb_invalidate_range(&iommu->iotlb, dom->id, iova, unmapped);
			spin_unlock(&iommu->lock);
			dom->events.iotlb_entries_invalidated += nr;
		}
	}
	spin_unlock(&dom->lock);
	return unmapped;
}

phys_addr_t iosim_domain_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	struct iosim_domain *dom = to_iosim_domain(domain);
	phys_addr_t phys;

	if (iosim_domain_ops_mismatch(dom))
		return 0;
	spin_lock(&dom->lock);
	phys = iosim_pgtable_iova_to_phys(&dom->pgt, iova);
	spin_unlock(&dom->lock);
	return phys;
}

struct iosim_domain *iosim_domain_find(struct iommu_domain *domain)
{
	struct iosim_iommu *live[IOSIM_IOMMU_MAX_INSTANCES];
	struct iosim_domain *found = NULL, *dom;
	unsigned int i, nr;

	if (!domain)
		return NULL;
	/* One hold of the registry lock, not one per slot: stats and lookups call this. */
	nr = iosim_iommu_live_instances(live);
	for (i = 0; i < nr && !found; i++) {
		mutex_lock(&live[i]->topology_lock);
		list_for_each_entry(dom, &live[i]->domains, node) {
			if (&dom->domain == domain) {
				found = dom;
				break;
			}
		}
		mutex_unlock(&live[i]->topology_lock);
	}
	return found;
}

int iosim_iommu_domain_lookup(struct iommu_domain *domain, unsigned long iova,
			      struct iosim_iommu_pte *pte)
{
	struct iosim_domain *dom = iosim_domain_find(domain);
	struct iosim_pgtable_leaf leaf;
	int ret;

	if (!dom)
		return -EINVAL;
	spin_lock(&dom->lock);
	ret = iosim_pgtable_lookup(&dom->pgt, iova, &leaf);
	spin_unlock(&dom->lock);
	if (ret)
		return ret == -EILSEQ ? -ENOENT : ret;
	pte->iova = leaf.iova;
	pte->size = leaf.size;
	pte->phys = leaf.phys;
	pte->prot = leaf.prot;
	pte->level = leaf.level;
	pte->desc = leaf.desc;
	return 0;
}
