// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The parked range: the range the tree last placed (for alloc_iova(), or
 * for the fast path's fall-back to the tree), linked into the tree only when
 * the tree is next needed.
 *
 * A driver that maps a buffer, runs the transfer and unmaps it before it
 * maps the next one asks the allocator for alloc_iova() and __free_iova() of
 * the same range, back to back, over and over.  Linking that range into the
 * augmented tree and unlinking it again costs two rebalancings and two
 * repairs of the summaries on the path to the root (about 600 of the 1080
 * instructions of the pair, docs/performance.md), to end where it started.
 * So iosim_iova_alloc_locked() searches the tree as always, but leaves the
 * range it found beside the tree, with the tree range next to its gap
 * (iosim_parked_near), and __free_iova() or free_iova() of that range takes
 * it back without touching the tree.  Every operation that searches the tree,
 * looks a pfn up in it, adds to it or reserves links the parked range
 * first (iosim_iova_settle()), exactly where the search put it, so each
 * sees every range the domain holds: placement stays "the highest fitting
 * range".  Removing another range only widens the parked range's gap, so
 * a free leaves it parked, unless the range freed is the neighbour it is
 * to be linked beside (iosim_iova_unlink_locked() links it first then).
 * With two threads each freeing what it just allocated, the pairs
 * interleave, and a free that finds another thread's range parked no
 * longer links it.
 *
 * Invariants, under the tree lock, which iosim_iova_parked_check() verifies:
 *  - the parked range is a live range of this domain (registry), counted in
 *    iosim_nr_ranges but not in iosim_range_pfns, never cached or recorded
 *    by a CPU, and not linked;
 *  - it lies in a free gap of the tree, next to iosim_parked_near (the
 *    range just below or just above that gap; NULL only in an empty tree):
 *    while a range is parked the tree only loses ranges other than that
 *    neighbour, so the gap only grows and the neighbour stays next to it;
 *  - iosim_tree_gen moves when a range is parked and when one is taken
 *    back, as the free space changes (the statistics' cached walk).
 *
 * Only one range is parked: the second alloc_iova() links the first.  So a
 * driver with many mappings in flight pays what it paid before, plus a test
 * of one pointer per tree operation.
 */
#include <iosim/iova.h>

#include "iova_internal.h"

void iosim_iova_park(struct iova_domain *iovad, struct iova *iova, struct iova *near)
{
	iovad->iosim_parked = iova;
	iovad->iosim_parked_near = near;
	iovad->iosim_tree_gen++;
}

struct iova *iosim_iova_unpark(struct iova_domain *iovad)
{
	struct iova *iova = iovad->iosim_parked;

	iovad->iosim_parked = NULL;
	iovad->iosim_parked_near = NULL;
	iovad->iosim_tree_gen++;
	iova_recent_forget(iovad, iova);
	iovad->iosim_nr_ranges--;
	iovad->iosim_nr_frees++;
	return iosim_iova_spare_put(iovad, iova);
}

void iosim_iova_settle_slow(struct iova_domain *iovad)
{
	struct iova *iova = iovad->iosim_parked;

	iovad->iosim_parked = NULL;
	iosim_iova_tree_insert_near(iovad, iova, iovad->iosim_parked_near);
	iovad->iosim_parked_near = NULL;
}

int iosim_iova_parked_check(struct iova_domain *iovad)
{
	struct iova *iova = iovad->iosim_parked, *near = iovad->iosim_parked_near;
	struct iova_domain *holder = NULL;
	struct iova *above, *below;

	if (!iova) {
		IOVA_CHECK(!near, "nothing is parked, yet a neighbour (%p) is", (void *)near);
		return 0;
	}
	/* The registry first: a stale pointer must not be read. */
	IOVA_CHECK(iosim_iova_registry_owner(iova, &holder) && holder == iovad,
	      "the parked range %p is not a live range of this domain", (void *)iova);
	IOVA_CHECK(iova->pfn_lo <= iova->pfn_hi && iova->pfn_lo >= iovad->start_pfn,
	      "the parked range [%#lx-%#lx] is empty or below start_pfn %#lx",
	      iova->pfn_lo, iova->pfn_hi, iovad->start_pfn);
	IOVA_CHECK(!iova_is_cached(iova) && !__atomic_load_n(&iova->iosim_handed_in, __ATOMIC_ACQUIRE),
	      "the parked range [%#lx-%#lx] is cached or recorded by a CPU",
	      iova->pfn_lo, iova->pfn_hi);
	IOVA_CHECK(iova_dma_end_ok(iovad, iova), "the parked range [%#lx-%#lx] ends a DMA buffer at %#llx",
	      iova->pfn_lo, iova->pfn_hi, (unsigned long long)iova->iosim_dma_end);
	IOVA_CHECK(iosim_iova_tree_find(iovad, iova->pfn_lo) != iova,
	      "the parked range [%#lx-%#lx] is linked in the tree", iova->pfn_lo, iova->pfn_hi);

	/* The free gap holding it: between @below and @above, tree ranges. */
	above = iosim_iova_tree_ceil(iovad, iova->pfn_lo);
	below = above ? iosim_iova_tree_prev(iovad, above) : iovad->iosim_top;
	IOVA_CHECK(!above || above->pfn_lo > iova->pfn_hi,
	      "the parked range [%#lx-%#lx] overlaps [%#lx-%#lx] of the tree",
	      iova->pfn_lo, iova->pfn_hi, above->pfn_lo, above->pfn_hi);
	IOVA_CHECK(near ? near == above || near == below : !above && !below,
	      "the parked range [%#lx-%#lx] is not next to its neighbour %p",
	      iova->pfn_lo, iova->pfn_hi, (void *)near);
	return 0;
}
