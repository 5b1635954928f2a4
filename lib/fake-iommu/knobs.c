// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Per-instance fault-injection knobs, on top of the global iosim_fault sites
 * (IOSIM_FAULT_PGTABLE, IOSIM_FAULT_IOMMU_MAP, IOSIM_FAULT_DOMAIN_ALLOC) that
 * every instance also consults: these aim at one IOMMU when a test runs
 * several, or model a resource (table memory) rather than a single failure.
 */
#include <linux/kernel.h>

#include "fake_iommu.h"

/**
 * iosim_iommu_fail_map_nth - see <iosim/iommu.h>
 * @iommu: the instance
 * @nth: the map call, counted from now, that fails; 0 disarms
 *
 * Context: any.
 */
void iosim_iommu_fail_map_nth(struct iosim_iommu *iommu, unsigned long nth)
{
	spin_lock(&iommu->lock);
	iommu->map_calls_armed = 0;
	/* Read without the lock by every map call (only armed ones take it). */
	__atomic_store_n(&iommu->fail_map_nth, nth, __ATOMIC_RELEASE);
	spin_unlock(&iommu->lock);
}

/**
 * iosim_iommu_set_table_budget - see <iosim/iommu.h>
 * @iommu: the instance
 * @nr_tables: most tables alive at once; 0 for no limit
 *
 * Context: any.
 */
void iosim_iommu_set_table_budget(struct iosim_iommu *iommu, unsigned long nr_tables)
{
	WRITE_ONCE(iommu->budget.limit, nr_tables);
	spin_lock(&iommu->lock);
	iommu->cfg.table_budget = nr_tables;
	spin_unlock(&iommu->lock);
}

/**
 * iosim_iommu_refuse_domains - see <iosim/iommu.h>
 * @iommu: the instance
 * @refuse: whether domain_alloc fails
 *
 * Context: any.
 */
void iosim_iommu_refuse_domains(struct iosim_iommu *iommu, bool refuse)
{
	spin_lock(&iommu->lock);
	iommu->refuse_domains = refuse;
	spin_unlock(&iommu->lock);
}

/**
 * iosim_iommu_set_skip_invalidate - see <iosim/iommu.h>
 * @iommu: the instance
 * @skip: whether unmap leaves the IOTLB stale
 *
 * Context: any.
 */
void iosim_iommu_set_skip_invalidate(struct iosim_iommu *iommu, bool skip)
{
	spin_lock(&iommu->lock);
	/* Read without the lock by every unmap. */
	__atomic_store_n(&iommu->skip_invalidate, skip, __ATOMIC_RELEASE);
	spin_unlock(&iommu->lock);
}

/**
 * iosim_iommu_iotlb_flush - see <iosim/iommu.h>
 * @iommu: the instance
 *
 * Context: any.
 */
void iosim_iommu_iotlb_flush(struct iosim_iommu *iommu)
{
	spin_lock(&iommu->lock);
	iommu->events.iotlb_entries_invalidated += iosim_iotlb_invalidate_all(&iommu->iotlb);
	iommu->events.iotlb_invalidations++;
	spin_unlock(&iommu->lock);
}
