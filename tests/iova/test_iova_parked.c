// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The parked range (lib/iova/iova_parked.c): alloc_iova() leaves the range it
 * placed beside the tree; freeing that range takes it back without touching
 * the tree, freeing another leaves it parked unless that one is its
 * neighbour, and whatever searches, looks up, adds to or reserves in the
 * tree links it first, where the search put it.  Every answer of the API
 * must be the one a domain without parking gives: placement, lookup,
 * reservation, split, statistics, and the WARNs of misuse.
 */
#include "iova_test.h"

#include <linux/kernel.h>

#include "iova_internal.h"

static struct iosim_iova_stats stats_of(struct iova_domain *iovad)
{
	struct iosim_iova_stats stats;

	iosim_iova_get_stats(iovad, &stats);
	return stats;
}

/* Ranges linked in @iovad's tree (the parked one is not). */
static unsigned long linked_ranges(struct iova_domain *iovad)
{
	unsigned long n = 0;
	struct iova *iova;

	for (iova = iosim_iova_tree_ceil(iovad, 0); iova; iova = iosim_iova_tree_next(iova))
		n++;
	return n;
}

static void test_a_range_freed_right_after_its_allocation_never_enters_the_tree(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *keep = alloc_iova(iovad, 4, IOVA_TEST_TOP, true);
	struct iova *root, *iova;
	unsigned long frees;

	/* A second allocation links the first one. */
	iova = alloc_iova(iovad, 2, IOVA_TEST_TOP, true);
	assert_ptr_equal(iovad->iosim_parked, iova);
	assert_int_equal(linked_ranges(iovad), 1);
	root = RB_ROOT(&iovad->rbroot);
	assert_ptr_equal(root, keep);
	assert_iova_consistent(iovad);

	frees = stats_of(iovad).nr_frees;
	__free_iova(iovad, iova);
	assert_null(iovad->iosim_parked);
	assert_ptr_equal(RB_ROOT(&iovad->rbroot), root);
	assert_null(RB_LEFT(root, node));
	assert_null(RB_RIGHT(root, node));
	assert_int_equal(stats_of(iovad).nr_frees, frees + 1);
	assert_int_equal(stats_of(iovad).nr_ranges, 1);
	assert_iova_consistent(iovad);

	/* The same place again, and the same again after a free by pfn. */
	iova = alloc_iova(iovad, 2, IOVA_TEST_TOP, true);
	assert_iova_range(iova, IOVA_TEST_TOP - 5, IOVA_TEST_TOP - 4);
	free_iova(iovad, IOVA_TEST_TOP - 4);
	assert_null(iovad->iosim_parked);
	assert_int_equal(linked_ranges(iovad), 1);
	assert_no_warnings();
	__free_iova(iovad, keep);
	assert_iova_consistent(iovad);
}

static void test_the_next_allocation_sees_the_parked_range_where_the_search_put_it(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a, *b, *c;

	a = alloc_iova(iovad, 3, IOVA_TEST_TOP, false);
	assert_iova_range(a, IOVA_TEST_TOP - 2, IOVA_TEST_TOP);
	b = alloc_iova(iovad, 4, IOVA_TEST_TOP, true);
	/* Aligned to 4 below a: the highest fitting range, as without parking. */
	assert_iova_range(b, IOVA_TEST_TOP - 7, IOVA_TEST_TOP - 4);
	assert_ptr_equal(iovad->iosim_parked, b);
	assert_ptr_equal(iosim_iova_tree_find(iovad, a->pfn_lo), a);
	c = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);
	assert_iova_range(c, IOVA_TEST_TOP - 3, IOVA_TEST_TOP - 3);	/* the hole above b */
	assert_ptr_equal(iosim_iova_tree_find(iovad, b->pfn_lo), b);
	assert_iova_consistent(iovad);
	__free_iova(iovad, a);
	__free_iova(iovad, b);
	__free_iova(iovad, c);
	assert_int_equal(stats_of(iovad).nr_ranges, 0);
	assert_iova_consistent(iovad);
}

/*
 * Removing a tree range only widens the parked range's gap: it stays
 * parked, unless the range removed is the neighbour it would be linked
 * beside, which links it first.
 */
static void test_a_free_of_another_range_leaves_it_parked_unless_it_is_the_neighbour(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);
	struct iova *b = alloc_iova(iovad, 1, IOVA_TEST_TOP - 8, false);
	struct iova *c = alloc_iova(iovad, 1, IOVA_TEST_TOP - 16, false);
	struct iova *p = alloc_iova(iovad, 1, IOVA_TEST_TOP - 4, false);

	/* p lies between b and a; the search reported one of them. */
	assert_ptr_equal(iovad->iosim_parked, p);
	assert_true(iovad->iosim_parked_near == a || iovad->iosim_parked_near == b);
	__free_iova(iovad, c);
	assert_ptr_equal(iovad->iosim_parked, p);
	assert_iova_consistent(iovad);
	/* By pfn too. */
	c = alloc_iova(iovad, 1, IOVA_TEST_TOP - 16, false);	/* links p */
	assert_ptr_equal(iovad->iosim_parked, c);
	free_iova(iovad, p->pfn_lo);
	assert_ptr_equal(iovad->iosim_parked, c);
	assert_iova_consistent(iovad);
	/* The neighbour goes: c is linked first, where the search put it. */
	__free_iova(iovad, iovad->iosim_parked_near);
	assert_null(iovad->iosim_parked);
	assert_ptr_equal(find_iova(iovad, IOVA_TEST_TOP - 16), c);
	assert_iova_consistent(iovad);
	assert_int_equal(stats_of(iovad).nr_ranges, 2);
	__free_iova(iovad, a);
	__free_iova(iovad, c);
	assert_int_equal(stats_of(iovad).nr_ranges, 0);
	assert_no_warnings();
}

/* A trusted free_iova_fast() of a parked range caches it; a flush frees it. */
static void test_a_trusted_fast_free_of_a_parked_range_is_freed_by_a_flush(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *iova;

	iosim_iova_set_fast_checks(iovad, false);
	iova = alloc_iova(iovad, 2, IOVA_TEST_TOP, true);
	assert_ptr_equal(iovad->iosim_parked, iova);
	free_iova_fast(iovad, iova->pfn_lo, 2);
	assert_iova_consistent(iovad);
	iosim_iova_rcache_flush(iovad);
	assert_no_warnings();
	assert_null(iovad->iosim_parked);
	assert_int_equal(stats_of(iovad).nr_ranges, 0);
	assert_iova_consistent(iovad);
}

static void test_find_iova_answers_for_the_parked_range_without_linking_it(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 8, IOVA_TEST_TOP, true);
	struct iova *b = alloc_iova(iovad, 8, IOVA_TEST_TOP, true);

	assert_ptr_equal(iovad->iosim_parked, b);
	assert_ptr_equal(find_iova(iovad, b->pfn_lo), b);
	assert_ptr_equal(find_iova(iovad, b->pfn_hi), b);
	assert_ptr_equal(find_iova(iovad, a->pfn_lo + 3), a);
	assert_null(find_iova(iovad, b->pfn_lo - 1));
	assert_ptr_equal(iovad->iosim_parked, b);
	assert_iova_consistent(iovad);
	/* The seed's unmap: find_iova(), then __free_iova() of what it found. */
	__free_iova(iovad, find_iova(iovad, b->pfn_lo));
	assert_null(iovad->iosim_parked);
	__free_iova(iovad, a);
	assert_no_warnings();
}

static void test_misuse_of_a_parked_range_is_warned_as_without_parking(void **state)
{
	struct iova_fixture *f = *state;
	struct iova_domain *iovad = &f->iovad;
	struct iova *iova = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);

	/* Freed through the wrong domain: WARNed, still parked in its own. */
	__free_iova(&f->other, iova);
	assert_warned("belongs to another domain");
	assert_ptr_equal(iovad->iosim_parked, iova);
	assert_iova_consistent(iovad);
	assert_iova_consistent(&f->other);

	__free_iova(iovad, iova);
	__free_iova(iovad, iova);
	assert_warned("not a live iova");
	free_iova(iovad, IOVA_TEST_TOP);
	assert_warned("is not allocated");
	assert_int_equal(stats_of(iovad).nr_ranges, 0);
	assert_iova_consistent(iovad);
}

static void test_reserve_and_split_link_the_parked_range_first(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *iova = alloc_iova(iovad, 4, IOVA_TEST_TOP, true), *part, *grown;
	unsigned long lo = iova->pfn_lo;

	/* A reservation reaching into it grows it down, as the kernel's does. */
	grown = reserve_iova(iovad, lo - 2, lo + 1);
	assert_ptr_equal(grown, iova);
	assert_iova_range(iova, lo - 2, IOVA_TEST_TOP);
	assert_null(iovad->iosim_parked);
	assert_iova_consistent(iovad);

	/* The next one parks; a split of it links it and takes the middle. */
	iova = alloc_iova(iovad, 8, IOVA_TEST_TOP, true);
	assert_ptr_equal(iovad->iosim_parked, iova);
	lo = iova->pfn_lo;
	part = split_and_remove_iova(iovad, iova, lo + 2, lo + 3);
	assert_ptr_equal(part, iova);
	assert_iova_range(part, lo + 2, lo + 3);
	assert_null(iovad->iosim_parked);
	assert_iova_range(find_iova(iovad, lo), lo, lo + 1);
	assert_iova_range(find_iova(iovad, lo + 4), lo + 4, lo + 7);
	free_iova_mem(part);
	assert_iova_consistent(iovad);
	free_iova(iovad, lo);
	free_iova(iovad, lo + 4);
	__free_iova(iovad, grown);
	assert_int_equal(stats_of(iovad).nr_ranges, 0);
	assert_no_warnings();
}

static void test_the_fast_path_and_copies_see_the_parked_range(void **state)
{
	struct iova_fixture *f = *state;
	struct iova_domain *iovad = &f->iovad;
	struct iova *iova = alloc_iova(iovad, 2, IOVA_TEST_TOP, true);
	unsigned long pfn = iova->pfn_lo;

	/* Copied to another domain: reserved there. */
	copy_reserved_iova(iovad, &f->other);
	assert_iova_range(find_iova(&f->other, pfn), pfn, pfn + 1);
	assert_iova_consistent(&f->other);

	/* free_iova_fast() of a parked range: vetted through the tree, cached. */
	iova = alloc_iova(iovad, 2, IOVA_TEST_TOP, true);
	assert_ptr_equal(iovad->iosim_parked, iova);
	free_iova_fast(iovad, iova->pfn_lo, 2);
	assert_no_warnings();
	assert_int_equal(stats_of(iovad).nr_cached, 1);
	assert_iova_consistent(iovad);
	/*
	 * A tree allocation on the fast path's miss links what is parked
	 * first and parks its own range, which free_iova_fast() of a size the
	 * caches do not take frees without the tree.
	 */
	iova = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);
	assert_ptr_equal(iovad->iosim_parked, iova);
	pfn = alloc_iova_fast(iovad, 64, IOVA_TEST_TOP);
	assert_true(pfn);
	assert_ptr_equal(iosim_iova_tree_find(iovad, iova->pfn_lo), iova);
	assert_non_null(iovad->iosim_parked);
	assert_int_equal(iovad->iosim_parked->pfn_lo, pfn);
	assert_ptr_equal(find_iova(iovad, pfn + 63), iovad->iosim_parked);
	assert_iova_consistent(iovad);
	free_iova_fast(iovad, pfn, 64);
	assert_null(iovad->iosim_parked);
	assert_null(find_iova(iovad, pfn));
	assert_no_warnings();
	assert_iova_consistent(iovad);
	/* Teardown puts the domains: no range and no struct iova may be left. */
}

static void test_init_of_a_domain_holding_only_a_parked_range_is_refused(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *iova = alloc_iova(iovad, 1, IOVA_TEST_TOP, false);

	assert_true(RB_EMPTY(&iovad->rbroot));
	init_iova_domain(iovad, IOVA_TEST_GRANULE, IOVA_TEST_START, IOVA_TEST_TOP);
	assert_warned("still holds 1 ranges");
	assert_ptr_equal(iovad->iosim_parked, iova);
	assert_ptr_equal(find_iova(iovad, IOVA_TEST_TOP), iova);
	assert_iova_consistent(iovad);
	/* put_iova_domain() frees it (teardown counts live objects). */
	put_iova_domain(iovad);
	assert_null(iovad->iosim_parked);
	assert_int_equal(stats_of(iovad).nr_ranges, 0);
	assert_iova_consistent(iovad);
}

/*
 * The statistics with a range parked in each kind of gap (below every
 * range, between two, above every range; in the largest gap and not):
 * what a scan finds, from the summaries (every range in the window) and
 * from the walk (a range outside it).
 */
static void test_free_space_with_a_parked_range_matches_a_scan(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;
	unsigned long long seed = 0x9a4cedULL;
	unsigned long free_pfns, largest, nr_parked = 0;
	struct iova *held[48] = { NULL };
	unsigned int step, i, pass;

	for (pass = 0; pass < 2; pass++) {
		put_iova_domain(iovad);
		init_iova_domain(iovad, IOVA_TEST_GRANULE, 0x10, 0x1ff);
		if (pass)	/* outside the window: no sums, the walk answers */
			assert_non_null(reserve_iova(iovad, 0x300, 0x310));
		for (step = 0; step < 400; step++) {
			unsigned long r = iova_test_rand(&seed);
			struct iosim_iova_stats stats;

			i = r % 48;
			if (held[i]) {
				__free_iova(iovad, held[i]);
				held[i] = NULL;
			} else {
				held[i] = alloc_iova(iovad, 1 + (r >> 8) % 12, 0x1ff, (r >> 16) & 1);
			}
			nr_parked += iovad->iosim_parked != NULL;
			assert_iova_consistent(iovad);	/* sums against the walk */
			stats = stats_of(iovad);
			iova_test_scan_free_space(iovad, &free_pfns, &largest);
			assert_int_equal(stats.free_pfns, free_pfns);
			assert_int_equal(stats.largest_free_pfns, largest);
		}
		for (i = 0; i < 48; i++) {
			if (held[i])
				__free_iova(iovad, held[i]);
			held[i] = NULL;
		}
	}
	/* Most steps did leave a range parked. */
	assert_true(nr_parked > 200);
	assert_no_warnings();
}

/*
 * The same, placing the parked range on purpose at the top and at the
 * bottom of every gap of random layouts (the limit steers alloc_iova()),
 * so that it also lands in the largest gap and in the only gap of its
 * size, wherever that gap sits in the tree.
 */
static void test_free_space_with_a_range_parked_in_every_gap_matches_a_scan(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;
	unsigned long long seed = 0x6a75ULL;
	unsigned long free_pfns, largest, nr_checked = 0;
	unsigned int layout;

	for (layout = 0; layout < 24; layout++) {
		unsigned long pfn, gap_lo = 0x10;
		struct iova *iova;

		put_iova_domain(iovad);
		init_iova_domain(iovad, IOVA_TEST_GRANULE, 0x10, 0x1ff);
		/* Up to 20 reserved ranges with gaps of 0 to 31 pfns between them. */
		for (pfn = 0x10 + iova_test_rand(&seed) % 32; pfn < 0x1f0;
		     pfn += 2 + iova_test_rand(&seed) % 32)
			assert_non_null(reserve_iova(iovad, pfn, pfn + iova_test_rand(&seed) % 4));
		/* Every gap of the window, from the bottom: [gap_lo, pfn - 1]. */
		for (pfn = 0x10; pfn <= 0x200; pfn++) {
			unsigned long size, gap_hi = pfn - 1;

			if (pfn <= 0x1ff && !find_iova(iovad, pfn))
				continue;
			if (pfn > gap_lo) {
				for (size = 1; size <= gap_hi - gap_lo + 1; size += gap_hi - gap_lo) {
					struct iosim_iova_stats stats;

					iova = alloc_iova(iovad, size, gap_hi, false);
					assert_non_null(iova);
					assert_ptr_equal(iovad->iosim_parked, iova);
					assert_int_equal(iova->pfn_hi, gap_hi);
					assert_iova_consistent(iovad);
					stats = stats_of(iovad);
					iova_test_scan_free_space(iovad, &free_pfns, &largest);
					assert_int_equal(stats.free_pfns, free_pfns);
					assert_int_equal(stats.largest_free_pfns, largest);
					__free_iova(iovad, iova);
					nr_checked++;
					if (gap_hi == gap_lo)
						break;
				}
			}
			iova = find_iova(iovad, pfn);
			if (!iova)	/* the gap at the top of the window */
				break;
			gap_lo = iova->pfn_hi + 1;
			pfn = iova->pfn_hi;
		}
	}
	assert_true(nr_checked > 24 * 10);
	assert_no_warnings();
}

/*
 * A domain spanning every pfn: its size does not fit a long, so the
 * statistics walk, merging a parked range, and saturate the free run.
 */
static void test_free_space_of_a_domain_spanning_every_pfn_saturates(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;
	struct iosim_iova_stats stats;
	struct iova *iova;

	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 0, ULONG_MAX);
	stats = stats_of(iovad);
	assert_true(stats.free_pfns == ULONG_MAX);
	assert_true(stats.largest_free_pfns == ULONG_MAX);
	iova = alloc_iova(iovad, 1, ULONG_MAX - 1, false);
	assert_iova_range(iova, ULONG_MAX - 1, ULONG_MAX - 1);
	assert_ptr_equal(iovad->iosim_parked, iova);
	stats = stats_of(iovad);
	/* pfns 0 to ULONG_MAX - 2, and ULONG_MAX */
	assert_true(stats.free_pfns == ULONG_MAX);
	assert_true(stats.largest_free_pfns == ULONG_MAX - 1);
	assert_iova_consistent(iovad);
	__free_iova(iovad, iova);
	assert_no_warnings();
}

static void test_the_checker_sees_a_parked_range_out_of_place(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 4, IOVA_TEST_TOP, true);
	struct iova *b = alloc_iova(iovad, 4, IOVA_TEST_TOP, true);
	struct iova *c = alloc_iova(iovad, 4, IOVA_TEST_TOP, true);
	unsigned long lo = c->pfn_lo, hi = c->pfn_hi;

	assert_ptr_equal(iovad->iosim_parked, c);
	/* Moved onto a linked range. */
	c->pfn_lo = b->pfn_lo;
	c->pfn_hi = b->pfn_hi + 1;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("overlaps");
	c->pfn_lo = lo;
	c->pfn_hi = hi;
	/* A neighbour that does not border its gap. */
	assert_ptr_equal(iovad->iosim_parked_near, b);
	iovad->iosim_parked_near = a;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("is not next to its neighbour");
	iovad->iosim_parked_near = b;
	/* Counted twice. */
	iovad->iosim_nr_ranges++;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("1 parked");
	iovad->iosim_nr_ranges--;
	/* A neighbour with nothing parked. */
	iovad->iosim_parked = NULL;
	iovad->iosim_nr_ranges--;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("nothing is parked");
	iovad->iosim_parked = c;
	iovad->iosim_nr_ranges++;
	assert_iova_consistent(iovad);
	__free_iova(iovad, a);
	__free_iova(iovad, b);
	__free_iova(iovad, c);
	assert_no_warnings();
}

/*
 * The DMA glue's record of where a buffer ends (iosim_dma_end) lies in the
 * range's last granule or is 0; the allocator clears it on every free, so a
 * node used again starts without one.
 */
static void test_the_checker_sees_a_dma_end_outside_its_range(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	struct iova *a = alloc_iova(iovad, 4, IOVA_TEST_TOP, true);
	struct iova *b = alloc_iova(iovad, 4, IOVA_TEST_TOP, true);
	dma_addr_t a_last = (dma_addr_t)a->pfn_hi << iova_shift(iovad);
	dma_addr_t b_last = (dma_addr_t)b->pfn_hi << iova_shift(iovad);
	struct iova *again;

	/* a is linked in the tree, b parked. */
	assert_ptr_equal(iovad->iosim_parked, b);
	a->iosim_dma_end = a_last + 1;
	b->iosim_dma_end = b_last + iovad->granule;
	assert_iova_consistent(iovad);
	a->iosim_dma_end = a_last;		/* before its last granule */
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("ends a DMA buffer");
	a->iosim_dma_end = a_last + iovad->granule + 1;	/* past the range */
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("ends a DMA buffer");
	a->iosim_dma_end = a_last + 1;
	b->iosim_dma_end = b_last - 1;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("the parked range");
	b->iosim_dma_end = b_last + 1;
	assert_iova_consistent(iovad);

	/* Freed, it is a spare without one; written there, the checker sees it. */
	__free_iova(iovad, a);
	assert_int_equal(a->iosim_dma_end, 0);
	a->iosim_dma_end = 1;
	assert_int_equal(iosim_iova_check(iovad), -EUCLEAN);
	assert_warned("was written after it was freed");
	a->iosim_dma_end = 0;
	again = alloc_iova(iovad, 4, IOVA_TEST_TOP, true);
	assert_ptr_equal(again, a);
	assert_int_equal(again->iosim_dma_end, 0);
	assert_iova_consistent(iovad);
	__free_iova(iovad, again);
	__free_iova(iovad, b);
	assert_no_warnings();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOVA_TEST(test_a_range_freed_right_after_its_allocation_never_enters_the_tree),
		IOVA_TEST(test_the_next_allocation_sees_the_parked_range_where_the_search_put_it),
		IOVA_TEST(test_a_free_of_another_range_leaves_it_parked_unless_it_is_the_neighbour),
		IOVA_TEST(test_a_trusted_fast_free_of_a_parked_range_is_freed_by_a_flush),
		IOVA_TEST(test_find_iova_answers_for_the_parked_range_without_linking_it),
		IOVA_TEST(test_misuse_of_a_parked_range_is_warned_as_without_parking),
		IOVA_TEST(test_reserve_and_split_link_the_parked_range_first),
		IOVA_TEST(test_the_fast_path_and_copies_see_the_parked_range),
		IOVA_TEST(test_init_of_a_domain_holding_only_a_parked_range_is_refused),
		IOVA_TEST(test_free_space_with_a_parked_range_matches_a_scan),
		IOVA_TEST(test_free_space_with_a_range_parked_in_every_gap_matches_a_scan),
		IOVA_TEST(test_free_space_of_a_domain_spanning_every_pfn_saturates),
		IOVA_TEST(test_the_checker_sees_a_parked_range_out_of_place),
		IOVA_TEST(test_the_checker_sees_a_dma_end_outside_its_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
