// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The fault log: every device access the simulated IOMMU refused, kept per
 * instance (the last IOSIM_IOMMU_FAULT_LOG in a ring) for tests to read, as
 * an SMMU's fault syndrome registers would be read by its driver.
 */
#include <linux/kernel.h>

#include "fake_iommu.h"

static const char *const fault_reason_names[] = {
	[IOSIM_IOMMU_FAULT_TRANSLATION] = "translation",
	[IOSIM_IOMMU_FAULT_PERMISSION] = "permission",
	[IOSIM_IOMMU_FAULT_ADDRESS_SIZE] = "address size",
	[IOSIM_IOMMU_FAULT_NO_DOMAIN] = "no domain",
	[IOSIM_IOMMU_FAULT_BUS_ERROR] = "bus error",
};

const char *iosim_iommu_fault_reason_name(enum iosim_iommu_fault_reason reason)
{
	if ((unsigned int)reason >= ARRAY_SIZE(fault_reason_names))
		return "?";
	return fault_reason_names[reason];
}

/* Append @fault (its seq is assigned here) and count it for the instance. */
void iosim_fault_log_record(struct iosim_iommu *iommu, const struct iosim_iommu_fault *fault)
{
	struct iosim_fault_log *log = &iommu->faults;
	struct iosim_iommu_fault *slot;

	spin_lock(&iommu->lock);
	slot = &log->entries[log->nr_recorded % IOSIM_IOMMU_FAULT_LOG];
	*slot = *fault;
	slot->seq = ++log->nr_recorded;
	spin_unlock(&iommu->lock);
}

unsigned long iosim_iommu_faults(struct iosim_iommu *iommu, struct iosim_iommu_fault *out,
				 unsigned int max)
{
	struct iosim_fault_log *log = &iommu->faults;
	unsigned long nr, kept, first, i;

	spin_lock(&iommu->lock);
	nr = log->nr_recorded;
	kept = min_t(unsigned long, nr, IOSIM_IOMMU_FAULT_LOG);
	first = nr - kept;
	for (i = 0; i < kept && i < max; i++)
		out[i] = log->entries[(first + i) % IOSIM_IOMMU_FAULT_LOG];
	spin_unlock(&iommu->lock);
	return nr;
}

bool iosim_iommu_last_fault(struct iosim_iommu *iommu, struct iosim_iommu_fault *out)
{
	struct iosim_fault_log *log = &iommu->faults;
	bool any;

	spin_lock(&iommu->lock);
	any = log->nr_recorded != 0;
	if (any)
		*out = log->entries[(log->nr_recorded - 1) % IOSIM_IOMMU_FAULT_LOG];
	spin_unlock(&iommu->lock);
	return any;
}

void iosim_iommu_clear_faults(struct iosim_iommu *iommu)
{
	spin_lock(&iommu->lock);
	memset(&iommu->faults, 0, sizeof(iommu->faults));
	spin_unlock(&iommu->lock);
}
