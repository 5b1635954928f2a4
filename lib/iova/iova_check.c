// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The IOVA domain's sanity checker and statistics.
 *
 * The checker recomputes everything the allocator maintains incrementally,
 * by different means: subtree summaries from a full walk, and the largest
 * aligned fit of each gap by trying every alignment order instead of the
 * three-order shortcut iova_tree.c uses.  It is what proves the augmented
 * tree right; tests call it after every step.
 *
 * Scratch memory comes from malloc(), not the shim: calling the checker in
 * the middle of a failure sweep must not shift which allocation fails.
 */
#include <stdlib.h>

#include <linux/kernel.h>
#include <iosim/fault.h>
#include <iosim/iova.h>

#include "iova_internal.h"

struct iova_check_ctx {
	struct iova_domain *iovad;
	struct iova *prev;		/* in-order predecessor of the node visited */
	unsigned long nr_ranges;
	unsigned long nr_cached_flags;
	unsigned long nr_handed_flags;	/* ranges a CPU records as handed out */
	unsigned long range_pfns;	/* pfns covered, summed (modulo 2^BITS_PER_LONG) */
};

struct iova_subtree {
	unsigned long lo_pfn, hi_pfn, max_gap, max_fit;
	unsigned int black_height;
};

/*
 * The largest aligned fit of [a, b], the slow way: every alignment order
 * that can still matter.  Once an alignment reaches the gap's length, the
 * gap holds at most one pfn aligned to it, and every larger alignment's
 * pfns are among those: no larger order can fit more, so the loop stops
 * there (the tree's shortcut tries three orders; this tries them all up to
 * the gap's length, about 25 for a 4 GiB window of 4 KiB pages rather than
 * BITS_PER_LONG for every gap).
 */
static unsigned long iova_check_gap_fit(unsigned long a_pfn, unsigned long b_pfn)
{
	unsigned long best = 0;
	unsigned int order;

	for (order = 0; order < BITS_PER_LONG; order++) {
		unsigned long align = 1UL << order, rem = a_pfn % align, first_pfn = a_pfn;

		if (rem) {
			first_pfn = a_pfn + (align - rem);
			if (first_pfn < a_pfn)	/* wrapped: no aligned pfn left */
				break;
		}
		if (first_pfn <= b_pfn)
			best = max(best, min(b_pfn - first_pfn + 1, align));
		if (align > b_pfn - a_pfn)	/* align >= the gap's length */
			break;
	}
	return best;
}

static void iova_check_fold(unsigned long below_hi_pfn, unsigned long above_lo_pfn,
			    struct iova_subtree *sum)
{
	if (above_lo_pfn - below_hi_pfn < 2)
		return;
	sum->max_gap = max(sum->max_gap, above_lo_pfn - below_hi_pfn - 1);
	sum->max_fit = max(sum->max_fit, iova_check_gap_fit(below_hi_pfn + 1, above_lo_pfn - 1));
}

#define CHECK IOVA_CHECK

static int iova_check_subtree(struct iova_check_ctx *ctx, struct iova *n, struct iova *parent,
			      struct iova_subtree *sum)
{
	struct iova_subtree left, right;	/* set whole by the calls below */
	struct iova_domain *holder = NULL;
	int err;

	if (!n) {
		/* Field by field: a zeroing initialiser per node cost a memset() under ASan. */
		sum->lo_pfn = sum->hi_pfn = sum->max_gap = sum->max_fit = 0;
		sum->black_height = 1;
		return 0;
	}
	CHECK(RB_PARENT(n, node) == parent, "iova [%#lx-%#lx] has a wrong parent link",
	      n->pfn_lo, n->pfn_hi);
	CHECK(RB_COLOR(n, node) == RB_BLACK || !parent || RB_COLOR(parent, node) == RB_BLACK,
	      "red iova [%#lx-%#lx] has a red parent", n->pfn_lo, n->pfn_hi);
	CHECK(n->pfn_lo <= n->pfn_hi, "iova [%#lx-%#lx] is inverted", n->pfn_lo, n->pfn_hi);
	CHECK(iova_dma_end_ok(ctx->iovad, n), "iova [%#lx-%#lx] ends a DMA buffer at %#llx",
	      n->pfn_lo, n->pfn_hi, (unsigned long long)n->iosim_dma_end);
	CHECK(iosim_iova_registry_owner(n, &holder) && holder == ctx->iovad,
	      "iova [%#lx-%#lx] is not registered to this domain", n->pfn_lo, n->pfn_hi);

	err = iova_check_subtree(ctx, RB_LEFT(n, node), n, &left);
	if (err)
		return err;
	CHECK(!ctx->prev || ctx->prev->pfn_hi < n->pfn_lo,
	      "iova [%#lx-%#lx] overlaps or precedes [%#lx-%#lx]",
	      n->pfn_lo, n->pfn_hi, ctx->prev->pfn_lo, ctx->prev->pfn_hi);
	ctx->prev = n;
	ctx->nr_ranges++;
	ctx->range_pfns += n->pfn_hi - n->pfn_lo + 1;
	ctx->nr_cached_flags += iova_is_cached(n);
	ctx->nr_handed_flags += __atomic_load_n(&n->iosim_handed_in, __ATOMIC_RELAXED) != NULL;
	err = iova_check_subtree(ctx, RB_RIGHT(n, node), n, &right);
	if (err)
		return err;
	CHECK(left.black_height == right.black_height,
	      "black heights differ (%u vs %u) below iova [%#lx-%#lx]",
	      left.black_height, right.black_height, n->pfn_lo, n->pfn_hi);

	sum->black_height = left.black_height + (RB_COLOR(n, node) == RB_BLACK);
	sum->lo_pfn = RB_LEFT(n, node) ? left.lo_pfn : n->pfn_lo;
	sum->hi_pfn = RB_RIGHT(n, node) ? right.hi_pfn : n->pfn_hi;
	sum->max_gap = max(left.max_gap, right.max_gap);
	sum->max_fit = max(left.max_fit, right.max_fit);
	if (RB_LEFT(n, node))
		iova_check_fold(left.hi_pfn, n->pfn_lo, sum);
	if (RB_RIGHT(n, node))
		iova_check_fold(n->pfn_hi, right.lo_pfn, sum);

	CHECK(n->iosim_sub_lo_pfn == sum->lo_pfn && n->iosim_sub_hi_pfn == sum->hi_pfn,
	      "iova [%#lx-%#lx] summarises its subtree as [%#lx-%#lx], not [%#lx-%#lx]",
	      n->pfn_lo, n->pfn_hi, n->iosim_sub_lo_pfn, n->iosim_sub_hi_pfn,
	      sum->lo_pfn, sum->hi_pfn);
	CHECK(n->iosim_max_gap == sum->max_gap,
	      "iova [%#lx-%#lx] records a largest gap of %lu, not %lu",
	      n->pfn_lo, n->pfn_hi, n->iosim_max_gap, sum->max_gap);
	CHECK(n->iosim_max_fit == sum->max_fit,
	      "iova [%#lx-%#lx] records a largest aligned fit of %lu, not %lu",
	      n->pfn_lo, n->pfn_hi, n->iosim_max_fit, sum->max_fit);
	return 0;
}

static int iova_check_tree(struct iova_check_ctx *ctx)
{
	struct iova_domain *iovad = ctx->iovad;
	struct iova *root = RB_ROOT(&iovad->rbroot);
	struct iova_subtree sum;
	int err;

	CHECK(!root || RB_COLOR(root, node) == RB_BLACK, "the root is red");
	err = iova_check_subtree(ctx, root, NULL, &sum);
	if (err)
		return err;
	CHECK(ctx->nr_ranges + !!iovad->iosim_parked == iovad->iosim_nr_ranges,
	      "%lu ranges in the tree and %d parked, %lu counted", ctx->nr_ranges,
	      !!iovad->iosim_parked, iovad->iosim_nr_ranges);
	CHECK(ctx->range_pfns == iovad->iosim_range_pfns,
	      "the ranges cover %lu pfns, %lu counted", ctx->range_pfns, iovad->iosim_range_pfns);
	while (root && RB_RIGHT(root, node))
		root = RB_RIGHT(root, node);
	CHECK(iovad->iosim_top == root,
	      "the domain's highest range is %p, not the tree's last (%p)",
	      (void *)iovad->iosim_top, (void *)root);
	return 0;
}

/* Ranges iova_check_rcache() collects on the stack before it needs more. */
#define IOVA_CHECK_ONSTACK	64

/*
 * Room for more: kept across calls (a malloc() and free() per check was 2 %
 * of a fuzz_iova campaign under AddressSanitizer) and grown as needed,
 * shared by every domain's checker under iova_check_scratch_lock.  Host
 * memory, reachable, never freed.
 */
static DEFINE_SPINLOCK(iova_check_scratch_lock);
static unsigned long *iova_check_scratch_pfns;
static unsigned int *iova_check_scratch_classes;
static struct iova **iova_check_scratch_nodes;
static unsigned long iova_check_scratch_nr;

/* Make the scratch hold @nr ranges (scratch lock held).  False: out of host memory. */
static bool iova_check_scratch_grow(unsigned long nr)
{
	unsigned long want = max(2 * iova_check_scratch_nr, nr);
	unsigned long *pfns;
	unsigned int *classes;
	struct iova **nodes;

	if (nr <= iova_check_scratch_nr)
		return true;
	pfns = iosim_host_realloc(iova_check_scratch_pfns, want * sizeof(*pfns));
	if (!pfns)
		return false;
	iova_check_scratch_pfns = pfns;
	classes = iosim_host_realloc(iova_check_scratch_classes, want * sizeof(*classes));
	if (!classes)
		return false;
	iova_check_scratch_classes = classes;
	nodes = iosim_host_realloc(iova_check_scratch_nodes, want * sizeof(*nodes));
	if (!nodes)
		return false;
	iova_check_scratch_nodes = nodes;
	iova_check_scratch_nr = want;
	return true;
}

/*
 * Every one of the @nr cached ranges: allocated, of its class's exact size,
 * cached once.  "Once" is a mark on each range's struct iova, set when the
 * range is met and cleared for all of them (@nodes) before the tree lock is
 * dropped: no sort of the pfns (a heapsort with a compare call per step was
 * two thirds of this check).
 */
static int iova_check_cached(struct iova_domain *iovad, const unsigned long *pfns,
			     const unsigned int *classes, struct iova **nodes, unsigned long nr)
{
	unsigned long i, flags;
	int err = 0;

	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	for (i = 0; i < nr; i++) {
		/* A trusted free_iova_fast() may cache the parked range's pfn. */
		struct iova *iova = iosim_iova_find_locked(iovad, pfns[i]);

		if (WARN(!iova || iova->pfn_lo != pfns[i] ||
			 iova->pfn_hi - iova->pfn_lo + 1 != 1UL << classes[i],
			 "iosim_iova_check: cached pfn %#lx is not an allocated range of %lu %s",
			 pfns[i], 1UL << classes[i], "granules") ||
		    WARN(iova->iosim_check_seen, "iosim_iova_check: pfn %#lx is cached twice",
			 pfns[i])) {
			err = -EUCLEAN;
			break;
		}
		iova->iosim_check_seen = true;
		nodes[i] = iova;
	}
	/* nodes[0..i) are the ranges marked. */
	while (i--)
		nodes[i]->iosim_check_seen = false;
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	return err;
}

/* The caches' ranges, counted against the cached flags and checked. */
static int iova_check_rcache(struct iova_domain *iovad, unsigned long nr_cached_flags)
{
	unsigned long stack_pfns[IOVA_CHECK_ONSTACK];
	unsigned int stack_classes[IOVA_CHECK_ONSTACK];
	struct iova *stack_nodes[IOVA_CHECK_ONSTACK];
	unsigned long nr;
	int err = 0;

	/* One pass when the caches are small, two if not. */
	nr = iosim_iova_rcache_collect(iovad, stack_pfns, stack_classes, IOVA_CHECK_ONSTACK);
	if (iovad->iosim_fast_checks)
		CHECK(nr == nr_cached_flags, "%lu ranges cached, %lu marked cached",
		      nr, nr_cached_flags);
	else
		CHECK(!nr_cached_flags, "%lu ranges marked cached with checks off",
		      nr_cached_flags);
	if (!nr)
		return 0;
	if (nr <= IOVA_CHECK_ONSTACK)
		return iova_check_cached(iovad, stack_pfns, stack_classes, stack_nodes, nr);

	spin_lock(&iova_check_scratch_lock);
	/* Out of host memory: cannot check, which is not an inconsistency. */
	if (iova_check_scratch_grow(nr)) {
		nr = min(nr, iosim_iova_rcache_collect(iovad, iova_check_scratch_pfns,
						       iova_check_scratch_classes, nr));
		err = iova_check_cached(iovad, iova_check_scratch_pfns,
					iova_check_scratch_classes, iova_check_scratch_nodes, nr);
	}
	spin_unlock(&iova_check_scratch_lock);
	return err;
}

/*
 * The range after @n, by the parent links: iosim_iova_tree_next()'s result,
 * kept here so that in fuzz builds the free-space walk carries no coverage
 * instrumentation (this file is on tests/fuzz/coverage-ignorelist.txt).
 */
static struct iova *iova_check_next(struct iova *n)
{
	struct iova *parent;

	if (RB_RIGHT(n, node)) {
		n = RB_RIGHT(n, node);
		while (RB_LEFT(n, node))
			n = RB_LEFT(n, node);
		return n;
	}
	for (parent = RB_PARENT(n, node); parent && n == RB_RIGHT(parent, node);
	     parent = RB_PARENT(parent, node))
		n = parent;
	return parent;
}

/* A walk's progress through the window: where the next free run starts, what it found. */
struct iova_space_walk {
	unsigned long next_free_pfn;	/* lowest pfn not yet accounted */
	unsigned long top_pfn;
	unsigned long free_pfns;
	unsigned long largest_pfns;
	bool done;			/* a range reached top_pfn */
};

/* Account the free run below the range [@lo_pfn, @hi_pfn], met in pfn order. */
static void iova_space_walk_range(struct iova_space_walk *w, unsigned long lo_pfn,
				  unsigned long hi_pfn)
{
	if (lo_pfn > w->next_free_pfn) {
		unsigned long run = lo_pfn - w->next_free_pfn;

		w->free_pfns += run;
		w->largest_pfns = max(w->largest_pfns, run);
	}
	if (hi_pfn >= w->top_pfn)
		w->done = true;
	else
		w->next_free_pfn = max(w->next_free_pfn, hi_pfn + 1);
}

/*
 * Free page frames of [start_pfn, top_pfn], in total and in the largest
 * run: a walk over the tree's ranges and the parked one, in pfn order.
 */
static void iova_free_space_walk(struct iova_domain *iovad, unsigned long *free_pfns,
				 unsigned long *largest_pfns)
{
	struct iova_space_walk w = {
		.next_free_pfn = iovad->start_pfn,
		.top_pfn = iovad->dma_32bit_pfn,
	};
	const struct iova *parked = iovad->iosim_parked;
	struct iova *iova;

	*free_pfns = 0;
	*largest_pfns = 0;
	if (w.top_pfn < iovad->start_pfn)
		return;
	for (iova = iosim_iova_tree_ceil(iovad, iovad->start_pfn); iova && !w.done;
	     iova = iova_check_next(iova)) {
		if (parked && parked->pfn_lo < iova->pfn_lo) {
			if (parked->pfn_lo <= w.top_pfn)
				iova_space_walk_range(&w, parked->pfn_lo, parked->pfn_hi);
			parked = NULL;
			if (w.done)
				break;
		}
		if (iova->pfn_lo > w.top_pfn)
			break;
		iova_space_walk_range(&w, iova->pfn_lo, iova->pfn_hi);
	}
	if (parked && !w.done && parked->pfn_lo <= w.top_pfn)
		iova_space_walk_range(&w, parked->pfn_lo, parked->pfn_hi);
	if (!w.done) {
		/* The run up to top_pfn; saturate for a domain spanning every pfn. */
		unsigned long run = w.top_pfn - w.next_free_pfn + 1;

		if (!run)
			run = ULONG_MAX;
		w.free_pfns += run;
		w.largest_pfns = max(w.largest_pfns, run);
	}
	*free_pfns = w.free_pfns;
	*largest_pfns = w.largest_pfns;
}

/*
 * iova_free_space_walk()'s answer, walked again only when the tree or the
 * window changed since it was last asked (iosim_tree_gen, start_pfn,
 * dma_32bit_pfn): the fuzzers read the statistics after every operation,
 * and fast-path hits and frees leave the tree as it was.  iova_check_space()
 * compares the cached figures with a walk.  Tree lock held.
 */
static bool iova_space_cached(const struct iova_domain *iovad)
{
	return iovad->iosim_space_gen == iovad->iosim_tree_gen + 1 &&
	       iovad->iosim_space_start_pfn == iovad->start_pfn &&
	       iovad->iosim_space_top_pfn == iovad->dma_32bit_pfn;
}

/*
 * iova_free_space_summed() with a parked range, which splits the free gap it
 * lies in: the largest run is the largest of the tree's other gaps (from the
 * summaries, iosim_iova_tree_max_gap_except()), the runs below the lowest
 * and above the highest range unless the parked range lies there, and the
 * two pieces the parked range leaves of its gap.  O(log n).  The parked
 * range must lie in the window (it does unless dma_32bit_pfn was lowered).
 */
static bool iova_free_space_summed_parked(struct iova_domain *iovad, unsigned long window,
					  unsigned long *free_pfns, unsigned long *largest_pfns)
{
	const struct iova *parked = iovad->iosim_parked, *root = RB_ROOT(&iovad->rbroot);
	unsigned long start_pfn = iovad->start_pfn, top_pfn = iovad->dma_32bit_pfn;
	unsigned long gap_lo_pfn = start_pfn, gap_hi_pfn = top_pfn, largest = 0;
	struct iova *above, *below;

	if (parked->pfn_lo < start_pfn || parked->pfn_hi > top_pfn)
		return false;
	above = iosim_iova_tree_ceil(iovad, parked->pfn_lo);
	below = above ? iosim_iova_tree_prev(iovad, above) : iovad->iosim_top;
	if (above)
		gap_hi_pfn = above->pfn_lo - 1;
	else if (root)
		largest = root->iosim_sub_lo_pfn - start_pfn;	/* the run below every range */
	if (below)
		gap_lo_pfn = below->pfn_hi + 1;
	else if (root)
		largest = top_pfn - root->iosim_sub_hi_pfn;	/* the run above every range */
	if (above && below) {
		largest = max3(iosim_iova_tree_max_gap_except(iovad, parked->pfn_lo),
			       root->iosim_sub_lo_pfn - start_pfn,
			       top_pfn - root->iosim_sub_hi_pfn);
	} else if (root) {
		largest = max(largest, root->iosim_max_gap);
	}
	*free_pfns = window - iovad->iosim_range_pfns - (parked->pfn_hi - parked->pfn_lo + 1);
	*largest_pfns = max3(largest, parked->pfn_lo - gap_lo_pfn, gap_hi_pfn - parked->pfn_hi);
	return true;
}

/*
 * The free space without a walk, when every range lies inside the window
 * [start_pfn, dma_32bit_pfn] (the usual case: reservations outside it are
 * rare): the window less the pfns the tree covers, and the largest of the
 * root's largest gap and the runs below the lowest range and above the
 * highest.  False if a range lies outside the window, or the window is
 * empty or spans every pfn (its size does not fit a long).  Tree lock held.
 */
static bool iova_free_space_summed(struct iova_domain *iovad, unsigned long *free_pfns,
				   unsigned long *largest_pfns)
{
	unsigned long start_pfn = iovad->start_pfn, top_pfn = iovad->dma_32bit_pfn, window;
	const struct iova *root = RB_ROOT(&iovad->rbroot);

	if (top_pfn < start_pfn || top_pfn - start_pfn == ULONG_MAX)
		return false;
	window = top_pfn - start_pfn + 1;
	if (root && (root->iosim_sub_lo_pfn < start_pfn || root->iosim_sub_hi_pfn > top_pfn))
		return false;
	if (iovad->iosim_parked)
		return iova_free_space_summed_parked(iovad, window, free_pfns, largest_pfns);
	if (!root) {
		*free_pfns = window;
		*largest_pfns = window;
		return true;
	}
	*free_pfns = window - iovad->iosim_range_pfns;
	*largest_pfns = max3(root->iosim_max_gap, root->iosim_sub_lo_pfn - start_pfn,
			     top_pfn - root->iosim_sub_hi_pfn);
	return true;
}

static void iova_free_space(struct iova_domain *iovad, unsigned long *free_pfns,
			    unsigned long *largest_pfns)
{
	if (iova_free_space_summed(iovad, free_pfns, largest_pfns))
		return;
	if (!iova_space_cached(iovad)) {
		iova_free_space_walk(iovad, &iovad->iosim_space_free_pfns,
				     &iovad->iosim_space_largest_pfns);
		iovad->iosim_space_gen = iovad->iosim_tree_gen + 1;
		iovad->iosim_space_start_pfn = iovad->start_pfn;
		iovad->iosim_space_top_pfn = iovad->dma_32bit_pfn;
	}
	*free_pfns = iovad->iosim_space_free_pfns;
	*largest_pfns = iovad->iosim_space_largest_pfns;
}

/* The summed free space, where it applies, and the cached figures, if valid, are what a walk finds.  Tree lock held. */
static int iova_check_space(struct iova_domain *iovad)
{
	unsigned long free_pfns, largest_pfns, summed_free_pfns, summed_largest_pfns;
	bool summed = iova_free_space_summed(iovad, &summed_free_pfns, &summed_largest_pfns);
	bool cached = iova_space_cached(iovad);

	/* Walk only when there is a figure to hold the walk against. */
	if (!summed && !cached)
		return 0;
	iova_free_space_walk(iovad, &free_pfns, &largest_pfns);
	if (summed)
		CHECK(free_pfns == summed_free_pfns && largest_pfns == summed_largest_pfns,
		      "free space from the summaries is %lu (largest run %lu) but a walk finds %lu (%lu)",
		      summed_free_pfns, summed_largest_pfns, free_pfns, largest_pfns);
	if (!cached)
		return 0;
	CHECK(free_pfns == iovad->iosim_space_free_pfns &&
	      largest_pfns == iovad->iosim_space_largest_pfns,
	      "cached free space %lu (largest run %lu) but the tree has %lu (%lu): a tree change did not bump iosim_tree_gen",
	      iovad->iosim_space_free_pfns, iovad->iosim_space_largest_pfns, free_pfns,
	      largest_pfns);
	return 0;
}

/* Every remembered recent range is live in this domain's tree, in its slot. */
static int iova_check_recent(struct iova_domain *iovad)
{
	unsigned int i;

	for (i = 0; i < IOSIM_IOVA_RECENT_SLOTS; i++) {
		struct iova *iova = iovad->iosim_recent[i];
		struct iova_domain *holder = NULL;

		if (!iova)
			continue;
		/* The registry first: a stale pointer must not be read. */
		CHECK(iosim_iova_registry_owner(iova, &holder) && holder == iovad,
		      "recent slot %u holds %p, not a live range of this domain", i, (void *)iova);
		CHECK(iova_recent_slot(iovad, iova) == &iovad->iosim_recent[i] &&
		      (iova == iovad->iosim_parked ||
		       iosim_iova_tree_find(iovad, iova->pfn_lo) == iova),
		      "recent slot %u holds [%#lx-%#lx], which is neither parked nor in the tree there",
		      i, iova->pfn_lo, iova->pfn_hi);
	}
	return 0;
}

int iosim_iova_check(struct iova_domain *iovad)
{
	struct iova_check_ctx ctx = { .iovad = iovad };
	unsigned long flags;
	int err;

	CHECK(iovad, "NULL iova domain");
	if (iovad->iosim_state == IOSIM_IOVAD_UNINIT || iovad->iosim_state == IOSIM_IOVAD_BROKEN) {
		CHECK(RB_EMPTY(&iovad->rbroot) && !iovad->iosim_parked,
		      "an unusable domain holds ranges");
		return 0;
	}
	CHECK(iovad->iosim_state == IOSIM_IOVAD_LIVE, "%p is not an iova domain (state %#x)",
	      iovad, iovad->iosim_state);

	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	err = iova_check_tree(&ctx);
	if (!err)
		err = iosim_iova_parked_check(iovad);
	if (!err)
		err = iova_check_space(iovad);
	if (!err)
		err = iosim_iova_spares_check(iovad);
	if (!err)
		err = iova_check_recent(iovad);
	if (!err)
		err = iosim_iova_handed_check(iovad, ctx.nr_handed_flags);
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	if (err)
		return err;
	return iova_check_rcache(iovad, ctx.nr_cached_flags);
}

void iosim_iova_get_stats(struct iova_domain *iovad, struct iosim_iova_stats *stats)
{
	unsigned long flags;

	memset(stats, 0, sizeof(*stats));
	if (!iovad || iovad->iosim_state != IOSIM_IOVAD_LIVE)
		return;
	iosim_iova_rcache_tally(iovad, &stats->nr_cached, &stats->nr_rcache_hits,
				&stats->nr_rcache_misses, &stats->nr_rcache_local_frees);

	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	stats->nr_ranges = iovad->iosim_nr_ranges;
	stats->nr_allocs = iovad->iosim_nr_allocs;
	stats->nr_alloc_fails = iovad->iosim_nr_alloc_fails;
	stats->nr_frees = iovad->iosim_nr_frees;
	stats->nr_rcache_flushes = iovad->iosim_nr_rcache_flushes;
	stats->nr_spares = iovad->iosim_nr_spares;
	iova_free_space(iovad, &stats->free_pfns, &stats->largest_free_pfns);
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
}

/* One counter of a live @iovad, read under the tree lock; 0 if it is not initialised. */
static unsigned long iova_counter(struct iova_domain *iovad, size_t offset)
{
	unsigned long flags, nr;

	if (!iovad || iovad->iosim_state != IOSIM_IOVAD_LIVE)
		return 0;
	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	nr = *(const unsigned long *)((const char *)iovad + offset);
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	return nr;
}

_Static_assert(__builtin_types_compatible_p(__typeof__(((struct iova_domain *)0)->iosim_nr_ranges),
					   unsigned long) &&
	       __builtin_types_compatible_p(__typeof__(((struct iova_domain *)0)->iosim_nr_rcache_flushes),
					   unsigned long),
	       "iova_counter() reads unsigned longs");

unsigned long iosim_iova_rcache_flushes(struct iova_domain *iovad)
{
	return iova_counter(iovad, offsetof(struct iova_domain, iosim_nr_rcache_flushes));
}

unsigned long iosim_iova_nr_ranges(struct iova_domain *iovad)
{
	return iova_counter(iovad, offsetof(struct iova_domain, iosim_nr_ranges));
}

unsigned long iosim_iova_nr_live(void)
{
	/* Spares are freed iovas that their domain keeps registered. */
	return iosim_iova_registry_count() - iosim_iova_spares_total();
}
