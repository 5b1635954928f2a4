// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The augmented red-black tree behind alloc_iova().
 *
 * Ranges are ordered by pfn_lo and never overlap.  Every node also summarises
 * its subtree: the lowest pfn_lo, the highest pfn_hi, the largest free gap
 * between two consecutive ranges of the subtree (max_gap) and the largest
 * size-aligned block that fits one of those gaps (max_fit, see
 * iosim_iova_gap_fit()).  The summaries are pure functions of the node's own
 * bounds and its children's summaries; no summary depends on a neighbour
 * outside the subtree, so a change only ever invalidates the path from the
 * changed node to the root.  (Storing "the gap below this node" instead would
 * make a node's value depend on its in-order predecessor, which may sit in
 * another subtree, and every insertion would have to fix the successor's path
 * as well.)
 *
 * libbsd calls RB_AUGMENT on the nodes a rotation moves and on the parent of
 * an inserted or unlinked node, not on the path up to the root, so every
 * operation here finishes by re-summarising that path itself.  Rotations
 * keep the summaries right: they recompute the moved nodes from children
 * whose subtrees did not change.  iosim_iova_check() verifies every summary
 * against a brute-force recomputation.
 */
#include "iova_internal.h"

static inline int iova_pfn_lo_cmp(struct iova *a, struct iova *b)
{
	return a->pfn_lo < b->pfn_lo ? -1 : a->pfn_lo > b->pfn_lo;
}

/* min(room after the first 2^order-aligned pfn of [a, b], 2^order); 0 if none. */
static inline unsigned long iova_fit_order(unsigned long a_pfn, unsigned long b_pfn,
					   unsigned long order)
{
	unsigned long align = 1UL << order;
	/* a rounded up to align; wraps to 0 (< a) when no aligned pfn >= a exists */
	unsigned long first_pfn = ((a_pfn - 1) | (align - 1)) + 1;

	if (first_pfn < a_pfn || first_pfn > b_pfn)
		return 0;
	return min(b_pfn - first_pfn + 1, align);
}

/*
 * The largest s such that a block of s granules aligned to
 * roundup_pow_of_two(s) fits in [a, b] (a <= b).
 *
 * "Fits" is monotone in s: a block of s granules aligned to 2^k also starts a
 * fitting block of any s' < s, and roundup_pow_of_two(s') <= 2^k.  So one
 * number per gap answers every aligned request.  It is the maximum over k of
 * min(cap_k, 2^k), where cap_k = b + 1 - (a rounded up to 2^k), the room
 * after the first 2^k-aligned pfn of the gap.  With K = floor(log2(len)), an
 * aligned block of 2^(K-1) always fits (len >= 2^K >= 2 * 2^(K-1) - 1); orders
 * below K-1 give less than that, and orders above K+1 give no more than
 * cap_(K+1) (cap_k shrinks as k grows), so only K-1, K and K+1 matter.
 */
static inline unsigned long iova_gap_fit(unsigned long a_pfn, unsigned long b_pfn)
{
	unsigned long len = b_pfn - a_pfn + 1, top, best;

	if (unlikely(!len))	/* the whole pfn space: 2^63 aligned fits, nothing larger can */
		return 1UL << (BITS_PER_LONG - 1);
	top = __fls(len);
	best = top ? 1UL << (top - 1) : 1;
	best = max(best, iova_fit_order(a_pfn, b_pfn, top));
	if (top + 1 < BITS_PER_LONG)
		best = max(best, iova_fit_order(a_pfn, b_pfn, top + 1));
	return best;
}

unsigned long iosim_iova_gap_fit(unsigned long a_pfn, unsigned long b_pfn)
{
	return iova_gap_fit(a_pfn, b_pfn);
}

/* Fold the gap (below_hi_pfn, above_lo_pfn) into a running maximum. */
static inline void iova_fold_gap(unsigned long below_hi_pfn, unsigned long above_lo_pfn,
				 unsigned long *max_gap, unsigned long *max_fit)
{
	unsigned long len;

	if (above_lo_pfn - below_hi_pfn < 2)	/* adjacent */
		return;
	len = above_lo_pfn - below_hi_pfn - 1;
	if (len > *max_gap)
		*max_gap = len;
	/* fit <= len: skip the arithmetic when it cannot win */
	if (len > *max_fit)
		*max_fit = max(*max_fit, iova_gap_fit(below_hi_pfn + 1, above_lo_pfn - 1));
}

/* Recompute @n's summaries from its bounds and its children's; true if they changed. */
static __always_inline bool iova_summarise(struct iova *n)
{
	struct iova *left = RB_LEFT(n, node), *right = RB_RIGHT(n, node);
	unsigned long lo_pfn = n->pfn_lo, hi_pfn = n->pfn_hi, max_gap = 0, max_fit = 0;
	bool changed;

	/* The children's maxima first: a gap that cannot beat them costs no fit arithmetic. */
	if (left) {
		lo_pfn = left->iosim_sub_lo_pfn;
		max_gap = left->iosim_max_gap;
		max_fit = left->iosim_max_fit;
	}
	if (right) {
		hi_pfn = right->iosim_sub_hi_pfn;
		max_gap = max(max_gap, right->iosim_max_gap);
		max_fit = max(max_fit, right->iosim_max_fit);
	}
	if (left)
		iova_fold_gap(left->iosim_sub_hi_pfn, n->pfn_lo, &max_gap, &max_fit);
	if (right)
		iova_fold_gap(n->pfn_hi, right->iosim_sub_lo_pfn, &max_gap, &max_fit);
	changed = n->iosim_sub_lo_pfn != lo_pfn || n->iosim_sub_hi_pfn != hi_pfn ||
		  n->iosim_max_gap != max_gap || n->iosim_max_fit != max_fit;
	n->iosim_sub_lo_pfn = lo_pfn;
	n->iosim_sub_hi_pfn = hi_pfn;
	n->iosim_max_gap = max_gap;
	n->iosim_max_fit = max_fit;
	return changed;
}

/*
 * Re-summarise @n and its ancestors after a change below @n, while anything
 * changes.  Valid only when every node was right before the change and the
 * change touched @n's subtree alone: a node whose summary comes out the same
 * leaves its parent's inputs as they were.
 */
static void iova_propagate(struct iova *n)
{
	while (n && iova_summarise(n))
		n = RB_PARENT(n, node);
}

static bool iova_same_summary(const struct iova *a, const struct iova *b)
{
	return a->iosim_sub_lo_pfn == b->iosim_sub_lo_pfn &&
	       a->iosim_sub_hi_pfn == b->iosim_sub_hi_pfn &&
	       a->iosim_max_gap == b->iosim_max_gap && a->iosim_max_fit == b->iosim_max_fit;
}

/*
 * libbsd's hook, expanded inside RB_GENERATE below; only its rotations use
 * it here (insertion and removal link by hand).  RB_ROTATE_LEFT/RIGHT call
 * it three times: on the node that went down, on the node that came up, and
 * on the parent of the latter, spelled RB_PARENT(...).  The first two have
 * new children and must be re-summarised.  The third never changes: the
 * node that came up holds exactly the ranges the node that went down held,
 * so its summary is the one the parent already folded in.  The hook tells
 * the calls apart by the spelling of its argument (a constant the compiler
 * folds) and skips the third, a third of the summaries a rebalance costs.
 * Should a libbsd release spell a needed call with a leading 'R', the
 * summary checks of iosim_iova_check() (after every step of the tests and
 * fuzzers) would fail: skipping the second call instead fails 14 of the 19
 * iova and fuzz tests.
 */
#undef RB_AUGMENT
#define RB_AUGMENT(x) do {			\
	if (#x[0] != 'R')			\
		(void)iova_summarise(x);	\
} while (0)

/* RB_GENERATE_STATIC marks its functions __unused, which libbsd leaves undefined on Linux. */
#ifndef __unused
#define __unused __attribute__((__unused__))
#endif

RB_GENERATE_STATIC(iosim_iova_rbtree, iova, node, iova_pfn_lo_cmp)

static void iova_replace_child(struct iosim_iova_rbtree *head, struct iova *parent,
			       struct iova *old, struct iova *new)
{
	if (!parent)
		RB_ROOT(head) = new;
	else if (RB_LEFT(parent, node) == old)
		RB_LEFT(parent, node) = new;
	else
		RB_RIGHT(parent, node) = new;
}

/*
 * Insertion and removal link and unlink by hand, fix the summaries while the
 * shape is still the old one plus or minus a node (so propagation can stop
 * as soon as a summary comes out unchanged), and only then let libbsd
 * rebalance: its rotations re-summarise the nodes they move from children
 * that are already right.  RB_INSERT/RB_REMOVE would rebalance first and
 * leave every ancestor to be recomputed up to the root.
 */
/* Link @iova at *@link under @parent (NULL for the root), then summarise and rebalance. */
static void iova_link(struct iova_domain *iovad, struct iova *iova, struct iova *parent,
		      struct iova **link)
{
	/* A leaf's summary. */
	iova->iosim_sub_lo_pfn = iova->pfn_lo;
	iova->iosim_sub_hi_pfn = iova->pfn_hi;
	iova->iosim_max_gap = 0;
	iova->iosim_max_fit = 0;
	RB_SET(iova, parent, node);
	*link = iova;
	if (!iovad->iosim_top || iova->pfn_lo > iovad->iosim_top->pfn_lo)
		iovad->iosim_top = iova;
	iovad->iosim_tree_gen++;
	iovad->iosim_range_pfns += iova->pfn_hi - iova->pfn_lo + 1;
	iova_propagate(parent);
	iosim_iova_rbtree_RB_INSERT_COLOR(&iovad->rbroot, iova);
}

bool iosim_iova_tree_insert(struct iova_domain *iovad, struct iova *iova)
{
	struct iova **link = &RB_ROOT(&iovad->rbroot), *parent = NULL;

	while (*link) {
		parent = *link;
		if (iova->pfn_lo < parent->pfn_lo)
			link = &RB_LEFT(parent, node);
		else if (iova->pfn_lo > parent->pfn_lo)
			link = &RB_RIGHT(parent, node);
		else
			return !WARN(1, "iova: a range already starts at pfn %#lx", iova->pfn_lo);
	}
	iova_link(iovad, iova, parent, link);
	return true;
}

/*
 * The empty slot for a range that falls in the gap next to @near, which
 * iosim_iova_tree_find_fit() reported: above @near, the leftmost slot of its
 * right subtree; below, the rightmost slot of its left subtree.  No key is
 * compared, and the descent stays inside one subtree of @near, usually a
 * step or two where the search already looked.
 */
void iosim_iova_tree_insert_near(struct iova_domain *iovad, struct iova *iova,
				 struct iova *near)
{
	struct iova **link, *parent = near;

	if (!near) {
		link = &RB_ROOT(&iovad->rbroot);
		parent = NULL;
	} else if (iova->pfn_lo > near->pfn_lo) {
		link = &RB_RIGHT(near, node);
		while (*link) {
			parent = *link;
			link = &RB_LEFT(parent, node);
		}
	} else {
		link = &RB_LEFT(near, node);
		while (*link) {
			parent = *link;
			link = &RB_RIGHT(parent, node);
		}
	}
	iova_link(iovad, iova, parent, link);
}

void iosim_iova_tree_remove(struct iova_domain *iovad, struct iova *iova)
{
	struct iosim_iova_rbtree *head = &iovad->rbroot;
	struct iova *child, *parent, *succ;
	int color;

	iovad->iosim_tree_gen++;
	iovad->iosim_range_pfns -= iova->pfn_hi - iova->pfn_lo + 1;
	if (iova == iovad->iosim_top)
		iovad->iosim_top = RB_PREV(iosim_iova_rbtree, head, iova);
	if (!RB_LEFT(iova, node) || !RB_RIGHT(iova, node)) {
		child = RB_LEFT(iova, node) ? RB_LEFT(iova, node) : RB_RIGHT(iova, node);
		parent = RB_PARENT(iova, node);
		color = RB_COLOR(iova, node);
		if (child)
			RB_PARENT(child, node) = parent;
		iova_replace_child(head, parent, iova, child);
		iova_propagate(parent);
		goto rebalance;
	}

	/* Two children: the successor (leftmost of the right subtree) takes its place. */
	succ = RB_RIGHT(iova, node);
	while (RB_LEFT(succ, node))
		succ = RB_LEFT(succ, node);
	child = RB_RIGHT(succ, node);
	parent = RB_PARENT(succ, node);
	color = RB_COLOR(succ, node);
	if (parent == iova) {
		parent = succ;		/* succ keeps its right subtree */
	} else {
		if (child)
			RB_PARENT(child, node) = parent;
		RB_LEFT(parent, node) = child;
		RB_RIGHT(succ, node) = RB_RIGHT(iova, node);
		RB_PARENT(RB_RIGHT(iova, node), node) = succ;
	}
	RB_LEFT(succ, node) = RB_LEFT(iova, node);
	RB_PARENT(RB_LEFT(iova, node), node) = succ;
	RB_PARENT(succ, node) = RB_PARENT(iova, node);
	RB_COLOR(succ, node) = RB_COLOR(iova, node);
	iova_replace_child(head, RB_PARENT(iova, node), iova, succ);

	/*
	 * Below succ's new place only subtrees shrank: stop early there.  succ
	 * itself has other bounds than @iova had, so it is always recomputed,
	 * and its parent sees a change only if succ's summary differs from the
	 * one @iova had.
	 */
	if (parent != succ) {
		struct iova *n = parent;

		while (n != succ && iova_summarise(n))
			n = RB_PARENT(n, node);
	}
	iova_summarise(succ);
	if (!iova_same_summary(succ, iova))
		iova_propagate(RB_PARENT(succ, node));

rebalance:
	if (color == RB_BLACK)
		iosim_iova_rbtree_RB_REMOVE_COLOR(head, parent, child);
}

void iosim_iova_tree_update(struct iova_domain *iovad, struct iova *iova,
			    unsigned long old_pfns)
{
	iovad->iosim_tree_gen++;
	iovad->iosim_range_pfns += iova->pfn_hi - iova->pfn_lo + 1 - old_pfns;
	/* Bounds changed in place, no node moved: only the path up can change. */
	iova_propagate(iova);
}

struct iova *iosim_iova_tree_find(struct iova_domain *iovad, unsigned long pfn)
{
	struct iova *n = RB_ROOT(&iovad->rbroot);

	while (n) {
		if (pfn < n->pfn_lo)
			n = RB_LEFT(n, node);
		else if (pfn > n->pfn_hi)
			n = RB_RIGHT(n, node);
		else
			return n;
	}
	return NULL;
}

struct iova *iosim_iova_tree_ceil(struct iova_domain *iovad, unsigned long pfn)
{
	struct iova *n = RB_ROOT(&iovad->rbroot), *found = NULL;

	/* Ranges do not overlap, so pfn_hi is ordered like pfn_lo. */
	while (n) {
		if (n->pfn_hi >= pfn) {
			found = n;
			n = RB_LEFT(n, node);
		} else {
			n = RB_RIGHT(n, node);
		}
	}
	return found;
}

struct iova *iosim_iova_tree_next(struct iova *iova)
{
	return RB_NEXT(iosim_iova_rbtree, NULL, iova);
}

struct iova *iosim_iova_tree_prev(struct iova_domain *iovad, struct iova *iova)
{
	return RB_PREV(iosim_iova_rbtree, &iovad->rbroot, iova);
}

/* The gap between ranges ending at @below_hi_pfn and starting at @above_lo_pfn. */
static inline unsigned long iova_gap_len(unsigned long below_hi_pfn, unsigned long above_lo_pfn)
{
	return above_lo_pfn - below_hi_pfn - 1;
}

/*
 * Down the path towards @pfn: at each node, the gaps on the side away from
 * @pfn are all counted (the other child's summary and the gap between it
 * and the node); the one gap that holds @pfn, met where the path ends, is
 * the only one left out.  Ranges never overlap, and @pfn is in none.
 */
unsigned long iosim_iova_tree_max_gap_except(struct iova_domain *iovad, unsigned long pfn)
{
	const struct iova *n = RB_ROOT(&iovad->rbroot), *left, *right;
	unsigned long best = 0;

	while (n) {
		left = RB_LEFT(n, node);
		right = RB_RIGHT(n, node);
		if (pfn < n->pfn_lo) {
			if (right)
				best = max3(best, right->iosim_max_gap,
					    iova_gap_len(n->pfn_hi, right->iosim_sub_lo_pfn));
			if (!left)
				break;
			if (pfn > left->iosim_sub_hi_pfn) {
				/* @pfn lies in the gap just below @n: every gap of @left counts. */
				best = max(best, left->iosim_max_gap);
				break;
			}
			best = max(best, iova_gap_len(left->iosim_sub_hi_pfn, n->pfn_lo));
			n = left;
		} else {
			if (left)
				best = max3(best, left->iosim_max_gap,
					    iova_gap_len(left->iosim_sub_hi_pfn, n->pfn_lo));
			if (!right)
				break;
			if (pfn < right->iosim_sub_lo_pfn) {
				best = max(best, right->iosim_max_gap);
				break;
			}
			best = max(best, iova_gap_len(n->pfn_hi, right->iosim_sub_lo_pfn));
			n = right;
		}
	}
	return best;
}

void iosim_iova_tree_drain(struct iova_domain *iovad, void (*release)(struct iova *iova))
{
	struct iova *n = RB_ROOT(&iovad->rbroot);

	/* Post-order: release leaves, detaching them from their parent. */
	while (n) {
		struct iova *parent;

		if (RB_LEFT(n, node)) {
			n = RB_LEFT(n, node);
			continue;
		}
		if (RB_RIGHT(n, node)) {
			n = RB_RIGHT(n, node);
			continue;
		}
		parent = RB_PARENT(n, node);
		if (parent) {
			if (RB_LEFT(parent, node) == n)
				RB_LEFT(parent, node) = NULL;
			else
				RB_RIGHT(parent, node) = NULL;
		}
		release(n);
		n = parent;
	}
	RB_INIT(&iovad->rbroot);
	iovad->iosim_top = NULL;
	iovad->iosim_tree_gen++;
	iovad->iosim_range_pfns = 0;
}

/*
 * The highest placement of @req inside the free gap [a, b], or false.
 * Works for the open-ended gaps below the first and above the last range:
 * clipping to [floor, limit] happens before any length is computed.
 */
static bool iova_fit_in_gap(const struct iova_fit_req *req, unsigned long a_pfn,
			    unsigned long b_pfn, unsigned long *pfn_lo)
{
	unsigned long lo = max(a_pfn, req->floor_pfn);
	unsigned long hi = min(b_pfn, req->limit_pfn);
	unsigned long pfn;

	if (lo > hi || hi - lo < req->size - 1)
		return false;
	/* Top-down, then align down: what the 2015 kernel's pad_size did. */
	pfn = (hi - (req->size - 1)) & ~(req->align - 1);
	if (pfn < lo)
		return false;
	*pfn_lo = pfn;
	return true;
}

/*
 * The highest placement of @req in a gap between two ranges of the subtree
 * at @n, or false.  Gaps are visited from the top down: the right subtree's,
 * the one between @n and its right subtree, the one between its left subtree
 * and @n, then the left subtree's.
 *
 * A subtree is skipped when its ranges all lie above the limit or below the
 * floor, or when its largest gap (max_fit for aligned requests, which is
 * exact by the monotonicity above) is too small.  A subtree that is not
 * skipped and lies inside [floor, limit] holds a fitting gap, so the descent
 * into it never backtracks; only the subtrees straddling the limit or the
 * floor can fail after being entered, and those lie on two root-to-leaf
 * paths.  The search is therefore O(log n) in every case, fragmented or not.
 * Once a subtree is wholly inside [floor, limit] the rest is a loop
 * (iova_descend_contained()).
 */
/* The summary that answers @req: max_fit for aligned requests, max_gap otherwise. */
static inline unsigned long iova_req_room(const struct iova_fit_req *req, const struct iova *n)
{
	return req->align > 1 ? n->iosim_max_fit : n->iosim_max_gap;
}

/*
 * The highest placement of @req in the subtree at @n, which holds one
 * (iova_req_room(@n) >= size) and lies wholly inside [floor, limit], so
 * that every gap between its ranges is allowed and the summaries are
 * exact.  Then the answer is found in one descent without backtracking:
 * into the right subtree if it has room, else the gap above @n, else the
 * gap below @n, else (it must be) the left subtree.  This loop is the
 * common case of every search; iova_search_subtree() handles the subtrees
 * that straddle the floor or the limit.
 */
static bool iova_descend_contained(const struct iova_fit_req *req, struct iova *n,
				   unsigned long *pfn_lo, struct iova **near)
{
	for (;;) {
		struct iova *left = RB_LEFT(n, node), *right = RB_RIGHT(n, node);

		if (right && iova_req_room(req, right) >= req->size) {
			n = right;
			continue;
		}
		*near = n;
		if (right && iova_fit_in_gap(req, n->pfn_hi + 1, right->iosim_sub_lo_pfn - 1, pfn_lo))
			return true;
		if (left && iova_fit_in_gap(req, left->iosim_sub_hi_pfn + 1, n->pfn_lo - 1, pfn_lo))
			return true;
		/* The summaries say a gap fits: it can only be in the left subtree. */
		if (WARN_ONCE(!left, "iova: subtree summary at [%#lx-%#lx] promises a gap it lacks",
			      n->pfn_lo, n->pfn_hi))
			return false;
		n = left;
	}
}

static bool iova_search_subtree(const struct iova_fit_req *req, struct iova *n,
				unsigned long *pfn_lo, struct iova **near)
{
	struct iova *left, *right;

	if (!n || n->iosim_sub_lo_pfn > req->limit_pfn || n->iosim_sub_hi_pfn < req->floor_pfn)
		return false;
	if (iova_req_room(req, n) < req->size)
		return false;
	if (n->iosim_sub_lo_pfn >= req->floor_pfn && n->iosim_sub_hi_pfn <= req->limit_pfn)
		return iova_descend_contained(req, n, pfn_lo, near);

	left = RB_LEFT(n, node);
	right = RB_RIGHT(n, node);
	if (iova_search_subtree(req, right, pfn_lo, near))
		return true;
	*near = n;
	if (right && iova_fit_in_gap(req, n->pfn_hi + 1, right->iosim_sub_lo_pfn - 1, pfn_lo))
		return true;
	if (left && iova_fit_in_gap(req, left->iosim_sub_hi_pfn + 1, n->pfn_lo - 1, pfn_lo))
		return true;
	return iova_search_subtree(req, left, pfn_lo, near);
}

/*
 * The search starts from the highest range (@iovad->iosim_top) and climbs the right spine, the
 * way the kernel's walk starts from its cached node: placement is top-down,
 * so the answer is usually a gap or two below the top, and a climb reaches
 * it in O(log k) steps for the k-th gap from the top, where a descent from
 * the root pays O(log n) first.  The order of the gaps is the same as the
 * descent's (each spine node's right subtree is done before the node is
 * reached): at spine node @n, the gap between its left subtree and @n, then
 * the left subtree (through the summaries, iova_search_subtree()), then the
 * gap between @n's parent and the lowest range of @n's subtree.  At most one
 * left subtree straddles the limit and one the floor, so the worst case is
 * still O(log n).  When the root's summary says no gap between two ranges
 * can hold the request, only the gaps above and below them all are tried.
 */
bool iosim_iova_tree_find_fit(struct iova_domain *iovad, const struct iova_fit_req *req,
			      unsigned long *pfn_lo, struct iova **near)
{
	struct iova *n = iovad->iosim_top, *left, *parent;
	unsigned long low_pfn;

	*near = NULL;
	if (req->limit_pfn < req->floor_pfn || !req->size)
		return false;
	if (!n)
		return iova_fit_in_gap(req, 0, ULONG_MAX, pfn_lo);

	/* Above every range, between ranges, below every range: top-down. */
	*near = n;
	if (n->pfn_hi != ULONG_MAX && iova_fit_in_gap(req, n->pfn_hi + 1, ULONG_MAX, pfn_lo))
		return true;
	if (iova_req_room(req, RB_ROOT(&iovad->rbroot)) < req->size) {
		/* No gap between two ranges is large enough: only the one below them all. */
		n = RB_ROOT(&iovad->rbroot);
		low_pfn = n->iosim_sub_lo_pfn;
		goto below_all;
	}
	for (;;) {
		/*
		 * Every gap above @n's subtree is tried.  Its own gaps are all
		 * counted in its summary, so when that is too small the step
		 * costs a comparison.
		 */
		left = RB_LEFT(n, node);
		low_pfn = left ? left->iosim_sub_lo_pfn : n->pfn_lo;
		if (left && iova_req_room(req, n) >= req->size) {
			*near = n;
			if (iova_fit_in_gap(req, left->iosim_sub_hi_pfn + 1, n->pfn_lo - 1, pfn_lo))
				return true;
			if (iova_search_subtree(req, left, pfn_lo, near))
				return true;
		}
		parent = RB_PARENT(n, node);
		if (!parent)
			break;
		/* @n is a right child: its subtree's lowest range sits just above @parent. */
		if (iova_req_room(req, parent) >= req->size) {
			*near = parent;
			if (iova_fit_in_gap(req, parent->pfn_hi + 1, low_pfn - 1, pfn_lo))
				return true;
		}
		n = parent;
	}
below_all:
	if (!low_pfn)
		return false;
	/* Below every range: next to the lowest one. */
	while (RB_LEFT(n, node))
		n = RB_LEFT(n, node);
	*near = n;
	return iova_fit_in_gap(req, 0, low_pfn - 1, pfn_lo);
}
