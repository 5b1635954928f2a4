// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * A domain's spare struct iova: nodes its freed ranges left, kept for its
 * next ranges instead of going back to the slab.
 *
 * Every alloc_iova() needs a struct iova and every __free_iova() returns
 * one.  Through the shim slab that is a trip through its global lock, its
 * registry of live objects and its poisoning, and through the live-iova
 * registry a hash insertion and a deletion: about 1000 instructions per
 * pair, four times what the tree itself costs, and the lock every thread
 * of every domain meets (docs/perf-iova.md).  Kept on a list under the tree
 * lock, a freed node is reused for the price of two pointer moves.
 *
 * What stays as it was:
 *  - fault injection: taking a spare consults the slab's fault site exactly
 *    as kmem_cache_alloc() would, so a failure sweep fails alloc_iova() at
 *    the same calls with or without spares;
 *  - misuse detection: a spare stays in the live-iova registry, owned by its
 *    domain, but marked freed (iosim_freed), and the registry answers "not
 *    live" for it, so a second __free_iova() through a stale pointer WARNs
 *    as before; its pfn_lo and pfn_hi hold the slab's free poison, and a
 *    write through a stale pointer is caught when the spare is reused and by
 *    iosim_iova_check();
 *  - accounting: iosim_iova_nr_live() does not count spares, and
 *    put_iova_domain() frees them, so a test ends with nothing live.
 *
 * A domain keeps spares only while it holds ranges, and at most
 * IOSIM_IOVA_MAX_SPARES: when its last range goes, or beyond that many, the
 * freed node (and, for an emptied domain, every spare) goes back to the
 * slab, after the tree lock is dropped where the caller can arrange it.  So
 * a domain that holds nothing pins no memory, and a test that maps and
 * unmaps finds the slab as it was.
 */
#include <linux/iosim_pcounter.h>
#include <iosim/fault.h>
#include <iosim/iova.h>

#include "iova_internal.h"

/* SLAB_POISON_FREE (0x6b) in every byte: what a freed slab slot holds. */
#define IOVA_SPARE_POISON_PFN	0x6b6b6b6b6b6b6b6bUL

/*
 * Spares of every domain: iosim_iova_nr_live() subtracts them.  Every take
 * and put adds to it, under the tree lock of the domain only: per thread,
 * so that threads on different domains, or taking turns at one domain's
 * lock, do not pass the counter's cache line between them.
 */
static struct iosim_pcounter iova_spares_total;

static inline void iova_spares_total_add(long delta)
{
	iosim_pcounter_add(&iova_spares_total, delta);
}

unsigned long iosim_iova_spares_total(void)
{
	return (unsigned long)iosim_pcounter_sum(&iova_spares_total);
}

struct iova *iosim_iova_spare_take(struct iova_domain *iovad, bool *failed)
{
	struct iova *iova = iovad->iosim_spares;

	*failed = false;
	if (!iova)
		return NULL;
	/* Where kmem_cache_alloc() would have been asked: it may fail here too. */
	if (iosim_fault_should_fail(IOSIM_FAULT_SLAB)) {
		*failed = true;
		return NULL;
	}
	WARN(iova->pfn_lo != IOVA_SPARE_POISON_PFN || iova->pfn_hi != IOVA_SPARE_POISON_PFN,
	     "iova: freed iova %p was written after its __free_iova() (pfn_lo %#lx, pfn_hi %#lx)",
	     iova, iova->pfn_lo, iova->pfn_hi);
	iovad->iosim_spares = iova->iosim_spare_next;
	iovad->iosim_nr_spares--;
	iova_spares_total_add(-1);
	iova->iosim_spare_next = NULL;
	__atomic_store_n(&iova->iosim_freed, false, __ATOMIC_RELEASE);
	return iova;
}

struct iova *iosim_iova_spares_detach(struct iova_domain *iovad)
{
	struct iova *chain = iovad->iosim_spares;

	iova_spares_total_add(-(long)iovad->iosim_nr_spares);
	iovad->iosim_spares = NULL;
	iovad->iosim_nr_spares = 0;
	return chain;
}

struct iova *iosim_iova_spare_put(struct iova_domain *iovad, struct iova *iova)
{
	/* Freed from here on: the registry calls it dead, whatever happens next. */
	__atomic_store_n(&iova->iosim_freed, true, __ATOMIC_RELEASE);
	iova->iosim_dma_end = 0;	/* the next range it holds is no glue mapping yet */
	if (!iovad->iosim_nr_ranges) {
		/* An empty domain keeps nothing: the spares go back with @iova. */
		iova->iosim_spare_next = iosim_iova_spares_detach(iovad);
		return iova;
	}
	if (iovad->iosim_nr_spares >= IOSIM_IOVA_MAX_SPARES) {
		iova->iosim_spare_next = NULL;
		return iova;
	}
	iova->pfn_lo = IOVA_SPARE_POISON_PFN;
	iova->pfn_hi = IOVA_SPARE_POISON_PFN;
	iova->iosim_spare_next = iovad->iosim_spares;
	iovad->iosim_spares = iova;
	iovad->iosim_nr_spares++;
	iova_spares_total_add(1);
	return NULL;
}

void iosim_iova_spares_release(struct iova_domain *iovad)
{
	struct iova *chain;
	unsigned long flags;

	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	chain = iosim_iova_spares_detach(iovad);
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	iosim_iova_mem_release(chain);
}

int iosim_iova_spares_check(struct iova_domain *iovad)
{
	struct iova_domain *holder;
	unsigned long count = 0;
	struct iova *iova;

	for (iova = iovad->iosim_spares; iova; iova = iova->iosim_spare_next) {
		if (WARN(++count > iovad->iosim_nr_spares,
			 "iova check: more spares on the list than the %lu counted",
			 iovad->iosim_nr_spares))
			return -EUCLEAN;
		if (WARN(!iosim_iova_registry_holds(iova, &holder) || holder != iovad,
			 "iova check: spare %p is not registered to its domain", iova))
			return -EUCLEAN;
		if (WARN(!__atomic_load_n(&iova->iosim_freed, __ATOMIC_ACQUIRE) ||
			 iova_is_cached(iova),
			 "iova check: spare %p is not marked freed, or is cached", iova))
			return -EUCLEAN;
		if (WARN(iova->pfn_lo != IOVA_SPARE_POISON_PFN ||
			 iova->pfn_hi != IOVA_SPARE_POISON_PFN || iova->iosim_dma_end,
			 "iova check: spare %p was written after it was freed (pfn_lo %#lx, pfn_hi %#lx, DMA end %#llx)",
			 iova, iova->pfn_lo, iova->pfn_hi, (unsigned long long)iova->iosim_dma_end))
			return -EUCLEAN;
	}
	if (WARN(count != iovad->iosim_nr_spares || count > IOSIM_IOVA_MAX_SPARES,
		 "iova check: %lu spares on the list, %lu counted (at most %u kept)", count,
		 iovad->iosim_nr_spares, IOSIM_IOVA_MAX_SPARES))
		return -EUCLEAN;
	if (WARN(count && !iovad->iosim_nr_ranges,
		 "iova check: a domain without ranges keeps %lu spares", count))
		return -EUCLEAN;
	return 0;
}
