// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The IOTLB: a small fully associative cache of leaf translations with
 * least-recently-used replacement, tagged by domain as a real IOTLB is tagged
 * by context (ASID/VMID).  Linear search: it holds tens of entries.
 */
#include <linux/kernel.h>
#include <linux/slab.h>

#include "iotlb.h"
#include "pgtable.h"

int iosim_iotlb_init(struct iosim_iotlb *tlb, unsigned int nr_entries)
{
	tlb->nr_entries = 0;
	tlb->entries = NULL;
	tlb->clock = 0;
	__atomic_store_n(&tlb->nr_valid, 0, __ATOMIC_RELEASE);
	if (!nr_entries)
		return 0;
	tlb->entries = kcalloc(nr_entries, sizeof(*tlb->entries), GFP_KERNEL);
	if (!tlb->entries)
		return -ENOMEM;
	tlb->nr_entries = nr_entries;
	return 0;
}

void iosim_iotlb_destroy(struct iosim_iotlb *tlb)
{
	kfree(tlb->entries);
	tlb->entries = NULL;
	tlb->nr_entries = 0;
	__atomic_store_n(&tlb->nr_valid, 0, __ATOMIC_RELEASE);
}

/* Writers hold the caller's lock; the atomic store is for lockless readers. */
static void iotlb_nr_valid_add(struct iosim_iotlb *tlb, int delta)
{
	__atomic_store_n(&tlb->nr_valid, tlb->nr_valid + delta, __ATOMIC_RELEASE);
}

static bool iotlb_entry_overlaps(const struct iosim_iotlb_entry *entry, unsigned long iova,
				 size_t size)
{
	/* Both ranges are non-empty and lie inside the input address space. */
	return entry->iova < iova + size && iova < entry->iova + entry->size;
}

const struct iosim_iotlb_entry *iosim_iotlb_lookup(struct iosim_iotlb *tlb, u64 domain_id,
						   unsigned long iova)
{
	unsigned int i;

	for (i = 0; i < tlb->nr_entries; i++) {
		struct iosim_iotlb_entry *entry = &tlb->entries[i];

		if (entry->domain_id == domain_id && iova >= entry->iova &&
		    iova - entry->iova < entry->size) {
			entry->last_used = ++tlb->clock;
			return entry;
		}
	}
	return NULL;
}

bool iosim_iotlb_fill(struct iosim_iotlb *tlb, u64 domain_id,
		      const struct iosim_pgtable_leaf *leaf)
{
	struct iosim_iotlb_entry *victim = NULL;
	bool evicted;
	unsigned int i;

	for (i = 0; i < tlb->nr_entries; i++) {
		struct iosim_iotlb_entry *entry = &tlb->entries[i];

		if (!entry->domain_id) {
			victim = entry;
			break;
		}
		if (!victim || entry->last_used < victim->last_used)
			victim = entry;
	}
	if (!victim)
		return false;

	evicted = victim->domain_id != 0;
	if (!evicted)
		iotlb_nr_valid_add(tlb, 1);
	victim->domain_id = domain_id;
	victim->iova = leaf->iova;
	victim->size = leaf->size;
	victim->phys = leaf->phys;
	victim->prot = leaf->prot;
	victim->last_used = ++tlb->clock;
	return evicted;
}

unsigned int iosim_iotlb_invalidate_range(struct iosim_iotlb *tlb, u64 domain_id,
					  unsigned long iova, size_t size)
{
	unsigned int i, nr = 0;

	for (i = 0; i < tlb->nr_entries && tlb->nr_valid; i++) {
		struct iosim_iotlb_entry *entry = &tlb->entries[i];

		if (entry->domain_id == domain_id && iotlb_entry_overlaps(entry, iova, size)) {
			entry->domain_id = 0;
			iotlb_nr_valid_add(tlb, -1);
			nr++;
		}
	}
	return nr;
}

unsigned int iosim_iotlb_invalidate_domain(struct iosim_iotlb *tlb, u64 domain_id)
{
	unsigned int i, nr = 0;

	for (i = 0; i < tlb->nr_entries && tlb->nr_valid; i++) {
		if (tlb->entries[i].domain_id == domain_id) {
			tlb->entries[i].domain_id = 0;
			iotlb_nr_valid_add(tlb, -1);
			nr++;
		}
	}
	return nr;
}

unsigned int iosim_iotlb_invalidate_all(struct iosim_iotlb *tlb)
{
	unsigned int i, nr = 0;

	for (i = 0; i < tlb->nr_entries && tlb->nr_valid; i++) {
		if (tlb->entries[i].domain_id) {
			tlb->entries[i].domain_id = 0;
			iotlb_nr_valid_add(tlb, -1);
			nr++;
		}
	}
	return nr;
}
