// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Giving an idle instance the state it was created in (iosim_iommu_reset()),
 * for runs that keep their simulated IOMMU instead of building a new one
 * each time: a fuzz harness between two inputs.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "fake_iommu.h"

/**
 * iosim_iommu_reset - see <iosim/iommu.h>
 * @iommu: a live instance with no domain
 *
 * Context: process context; no DMA or IOMMU call on @iommu may be running.
 * Return: 0; -EINVAL (WARN) if @iommu is not a live instance; -EBUSY if a
 * domain of the instance is still allocated (nothing changed).
 */
int iosim_iommu_reset(struct iosim_iommu *iommu)
{
	if (WARN(!iosim_iommu_is_live(iommu), "iosim_iommu_reset: %p is not a live IOMMU", iommu))
		return -EINVAL;
	mutex_lock(&iommu->topology_lock);
	if (iommu->nr_domains) {
		mutex_unlock(&iommu->topology_lock);
		return -EBUSY;
	}
	/* Domain ids start again: the IOTLB's tags and the fault records show them. */
	iommu->next_domain_id = 0;
	spin_lock(&iommu->lock);
	memset(&iommu->faults, 0, sizeof(iommu->faults));
	memset(&iommu->events, 0, sizeof(iommu->events));
	iosim_iotlb_reset(&iommu->iotlb);
	iommu->map_calls_armed = 0;
	__atomic_store_n(&iommu->fail_map_nth, 0, __ATOMIC_RELEASE);
	iommu->refuse_domains = false;
	__atomic_store_n(&iommu->skip_invalidate, false, __ATOMIC_RELEASE);
	iommu->cfg.table_budget = iommu->created_table_budget;
	WRITE_ONCE(iommu->budget.limit, iommu->created_table_budget);
	/* No domain, so no table is charged; only the refusals are history. */
	atomic64_set(&iommu->budget.refused, 0);
	spin_unlock(&iommu->lock);
	mutex_unlock(&iommu->topology_lock);
	return 0;
}
