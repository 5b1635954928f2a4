/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * lib/fake-iommu private: the IOTLB, a fully associative LRU cache of leaf
 * translations tagged by domain.  Not kernel API.
 *
 * An entry caches a whole leaf (page or block), as real TLBs cache block
 * entries.  The caller serialises every call (the instance's lock).
 */
#ifndef _IOSIM_FAKE_IOMMU_IOTLB_H
#define _IOSIM_FAKE_IOMMU_IOTLB_H

#include <uthash.h>

#include <iosim/hash_blocks.h>

#include <linux/list.h>
#include <linux/types.h>

struct iosim_pgtable_leaf;

/* Distinct leaf sizes an IOTLB indexes at once (a format has at most 5 levels). */
#define IOSIM_IOTLB_NR_SIZES	8

/**
 * struct iosim_iotlb_entry - one cached translation
 * @domain_id: tag of the domain it belongs to; 0 for an empty entry
 * @iova: first input address of the cached leaf
 * @size: bytes the leaf translates
 * @phys: output address of @iova
 * @prot: IOMMU_READ/WRITE/... of the leaf
 * @last_used: LRU clock value of the last fill or hit
 * @hh: in the index, keyed by (@domain_id, @iova, @size), while tagged
 * @lru: on the LRU list, while tagged
 */
struct iosim_iotlb_entry {
	u64 domain_id;
	unsigned long iova;
	unsigned long size;
	phys_addr_t phys;
	int prot;
	u64 last_used;
	UT_hash_handle hh;
	struct list_head lru;
};

/**
 * struct iosim_iotlb - the cache
 * @nr_entries: capacity (0: no IOTLB, every lookup misses)
 * @entries: @nr_entries entries
 * @clock: LRU clock, advanced by every fill and hit
 * @index: the tagged entries, by (domain, iova, size) (uthash head)
 * @lru: the tagged entries, least recently used first
 * @sizes: the leaf sizes tagged entries have, @size_users[i] entries each
 * @first_empty: no entry below this index is empty
 */
struct iosim_iotlb {
	unsigned int nr_entries;
	struct iosim_iotlb_entry *entries;
	u64 clock;
	struct iosim_iotlb_entry *index;
	struct iosim_hash_blocks blocks;	/* index blocks uthash let go (iotlb.c) */
	struct list_head lru;
	unsigned long sizes[IOSIM_IOTLB_NR_SIZES];
	unsigned int size_users[IOSIM_IOTLB_NR_SIZES];
	unsigned int first_empty;
	bool index_oom;		/* the last fill could not create the index (iotlb.c) */
	/*
	 * Entries with a domain tag: invalidations of an empty IOTLB cost
	 * nothing.  Written under the caller's lock, atomically, so that
	 * iosim_iotlb_maybe_valid() may read it without.
	 */
	unsigned int nr_valid;
};

/**
 * iosim_iotlb_maybe_valid - may @tlb hold any tagged entry?
 * @tlb: the IOTLB
 *
 * Context: any; needs no lock.  An entry filled concurrently may be missed,
 * as it would be by an invalidation that ran just before the fill.
 * Return: false only if @tlb held no tagged entry at some point during the call.
 */
static inline bool iosim_iotlb_maybe_valid(const struct iosim_iotlb *tlb)
{
	return __atomic_load_n(&tlb->nr_valid, __ATOMIC_ACQUIRE) != 0;
}

/**
 * iosim_iotlb_init - allocate an empty IOTLB of @nr_entries entries
 * @tlb: to initialise
 * @nr_entries: capacity; 0 for none
 *
 * Context: process context.
 * Return: 0, or -ENOMEM (@tlb then has no entries and may be destroyed).
 */
int iosim_iotlb_init(struct iosim_iotlb *tlb, unsigned int nr_entries);

/** iosim_iotlb_destroy - free the entries and the index's host memory. */
void iosim_iotlb_destroy(struct iosim_iotlb *tlb);

/**
 * iosim_iotlb_check - the index, the LRU list and the counts agree with the entries
 * @tlb: the IOTLB
 *
 * Context: the caller's lock held.
 * Return: 0, or -EUCLEAN after a WARN naming the first disagreement.
 */
int iosim_iotlb_check(struct iosim_iotlb *tlb);

/**
 * iosim_iotlb_lookup - the entry of @domain_id that translates @iova
 * @tlb: the IOTLB
 * @domain_id: the domain's tag
 * @iova: input address
 *
 * A hit refreshes the entry's LRU age.
 * Return: the entry (valid until the next call on @tlb), or NULL on a miss.
 */
const struct iosim_iotlb_entry *iosim_iotlb_lookup(struct iosim_iotlb *tlb, u64 domain_id,
						   unsigned long iova);

/**
 * iosim_iotlb_fill - cache @leaf for @domain_id, evicting the least
 * recently used entry when full
 * @tlb: the IOTLB (nothing happens without entries)
 * @domain_id: the domain's tag
 * @leaf: the translation a walk found
 *
 * When the index cannot be created (IOSIM_FAULT_HOST, only while @tlb
 * holds no tagged entry) nothing is cached; the evicted entry stays gone.
 * Return: true if a valid entry was evicted.
 */
bool iosim_iotlb_fill(struct iosim_iotlb *tlb, u64 domain_id,
		      const struct iosim_pgtable_leaf *leaf);

/**
 * iosim_iotlb_invalidate_range - drop @domain_id's entries that translate
 * any of [@iova, @iova + @size)
 * @tlb: the IOTLB
 * @domain_id: the domain's tag
 * @iova: first address
 * @size: bytes
 *
 * Cost: the entries cached, or the hash probes that find the range's
 * leaves (one per aligned leaf of each size cached), whichever is fewer;
 * never the IOTLB's size.
 *
 * Return: the number of entries dropped.
 */
unsigned int iosim_iotlb_invalidate_range(struct iosim_iotlb *tlb, u64 domain_id,
					  unsigned long iova, size_t size);

/** iosim_iotlb_invalidate_domain - drop every entry of @domain_id; returns how many. */
unsigned int iosim_iotlb_invalidate_domain(struct iosim_iotlb *tlb, u64 domain_id);

/** iosim_iotlb_invalidate_all - drop every entry; returns how many were valid. */
unsigned int iosim_iotlb_invalidate_all(struct iosim_iotlb *tlb);

/**
 * iosim_iotlb_reset - give @tlb the state iosim_iotlb_init() left it in
 * @tlb: an initialised IOTLB
 *
 * Every entry dropped and cleared, the replacement clock and the first-empty
 * mark back at zero: fills and lookups from here on behave exactly as on a
 * new IOTLB of the same size.  The index's kept blocks stay (host memory).
 *
 * Context: under the owner's lock, as any change of @tlb.
 */
void iosim_iotlb_reset(struct iosim_iotlb *tlb);

#endif /* _IOSIM_FAKE_IOMMU_IOTLB_H */
