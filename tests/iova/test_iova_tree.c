// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The augmented tree's internals: the aligned-fit arithmetic against brute
 * force, and a large tree kept consistent through many insertions, removals
 * and in-place extensions (the operations whose summaries libbsd does not
 * propagate to the root by itself), and the search against a walk of every
 * gap.
 */
#include "iova_test.h"

#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/log2.h>

#include "iova_internal.h"

/* Try every size from the largest down: the first that fits, aligned. */
static unsigned long brute_force_fit(unsigned long a, unsigned long b)
{
	unsigned long size;

	for (size = b - a + 1; size > 0; size--) {
		unsigned long align = roundup_pow_of_two(size);
		unsigned long first = (a + align - 1) & ~(align - 1);

		if (first >= a && first <= b && b - first >= size - 1)
			return size;
	}
	return 0;
}

static void test_gap_fit_matches_brute_force_on_small_gaps(void **state)
{
	unsigned long a, b;

	(void)state;
	for (a = 0; a < 160; a++)
		for (b = a; b < a + 160; b++)
			assert_int_equal(iosim_iova_gap_fit(a, b), brute_force_fit(a, b));
}

static void test_gap_fit_matches_brute_force_near_the_top_of_the_space(void **state)
{
	unsigned long a, b;

	(void)state;
	for (a = ULONG_MAX - 100; a != 0; a++)
		for (b = a;; b++) {
			unsigned long expect = 0, size;

			/* brute_force_fit() rounds up past the top; do it by hand here */
			for (size = b - a + 1; size > 0 && !expect; size--) {
				unsigned long align = roundup_pow_of_two(size), first;

				if (a % align == 0)
					first = a;
				else if (ULONG_MAX - (align - a % align) < a)
					continue;
				else
					first = a + (align - a % align);
				if (first <= b && b - first >= size - 1)
					expect = size;
			}
			assert_int_equal(iosim_iova_gap_fit(a, b), expect);
			if (b == ULONG_MAX)
				break;
		}
}

static void test_gap_fit_of_large_gaps(void **state)
{
	(void)state;
	/* An aligned 2^k block fits [2^k, 2^(k+1) - 1] exactly. */
	assert_int_equal(iosim_iova_gap_fit(1UL << 40, (1UL << 41) - 1), 1UL << 40);
	/* One pfn later, only 2^39-aligned blocks fit, the largest 2^39 long. */
	assert_int_equal(iosim_iova_gap_fit((1UL << 40) + 1, 1UL << 41), 1UL << 39);
	/* 2^63 - 1 granules aligned to 2^63 fit between pfn 1 and ULONG_MAX - 1. */
	assert_int_equal(iosim_iova_gap_fit(1, ULONG_MAX - 1), (1UL << 63) - 1);
	assert_int_equal(iosim_iova_gap_fit(0, ULONG_MAX), 1UL << 63);
}

/* Many ranges, random churn, the checker every few steps. */
static void test_a_large_tree_stays_consistent_under_churn(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long nr = iova_test_under_valgrind() ? 2000 : 20000, i;
	unsigned long long rng = 31337;
	struct iova **held = calloc(nr, sizeof(*held));

	assert_non_null(held);
	for (i = 0; i < nr; i++)
		held[i] = alloc_iova(iovad, 1 + iova_test_rand(&rng) % 8, IOVA_TEST_TOP,
				     iova_test_rand(&rng) & 1);
	assert_iova_consistent(iovad);
	for (i = 0; i < 4 * nr; i++) {
		unsigned long k = iova_test_rand(&rng) % nr;

		if (held[k]) {
			if (iova_test_rand(&rng) % 4) {
				__free_iova(iovad, held[k]);
				held[k] = NULL;
			} else {
				/* Grow it down into free space, or add a range above it. */
				unsigned long lo = held[k]->pfn_lo;
				struct iova *r = reserve_iova(iovad, lo > 2 ? lo - 2 : 0,
							      held[k]->pfn_hi + 2);
				assert_non_null(r);
			}
		} else {
			held[k] = alloc_iova(iovad, 1 + iova_test_rand(&rng) % 64,
					     iova_test_rand(&rng) % IOVA_TEST_TOP + 1,
					     iova_test_rand(&rng) & 1);
		}
		if (i % 1024 == 0)
			assert_iova_consistent(iovad);
	}
	assert_iova_consistent(iovad);
	put_iova_domain(iovad);
	free(held);
}

/* The highest placement of @req among the gaps of @iovad, by walking every range. */
static bool brute_force_find_fit(struct iova_domain *iovad, const struct iova_fit_req *req,
				 unsigned long *pfn_lo)
{
	unsigned long gap_lo = 0, best = 0;
	bool found = false, last = false;
	struct iova *iova = iosim_iova_tree_ceil(iovad, 0);

	while (!last) {
		/* The gap [gap_lo, gap_hi] below @iova, or above every range. */
		unsigned long gap_hi = iova ? iova->pfn_lo - 1 : ULONG_MAX;
		unsigned long lo = max(gap_lo, req->floor_pfn), hi = min(gap_hi, req->limit_pfn);

		last = !iova;
		if ((!iova || iova->pfn_lo > gap_lo) && lo <= hi && hi - lo >= req->size - 1) {
			unsigned long pfn = (hi - (req->size - 1)) & ~(req->align - 1);

			if (pfn >= lo && (!found || pfn > best)) {
				best = pfn;
				found = true;
			}
		}
		if (iova) {
			if (iova->pfn_hi == ULONG_MAX)
				break;
			gap_lo = iova->pfn_hi + 1;
			iova = iosim_iova_tree_next(iova);
		}
	}
	*pfn_lo = best;
	return found;
}

/*
 * The search (a descent that only checks summaries once a subtree lies
 * inside [floor, limit], a careful recursion where the floor or the limit
 * cuts through one) finds exactly the highest fitting placement: compared
 * with a walk of every gap for random requests, bounds and alignments.
 */
static void test_search_finds_the_highest_fit_with_floors_and_limits_cutting_subtrees(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long long rng = 4242;
	unsigned long i, nr_found = 0, nr_req = iova_test_under_valgrind() ? 3000 : 30000;

	/* About 600 ranges of 1..8 granules, scattered over 8K pfns. */
	for (i = 0; i < 1000; i++) {
		unsigned long lo = iova_test_rand(&rng) % 8192 + 1;

		if (!find_iova(iovad, lo))
			assert_non_null(reserve_iova(iovad, lo, lo + iova_test_rand(&rng) % 8));
	}
	assert_iova_consistent(iovad);
	for (i = 0; i < nr_req; i++) {
		struct iova_fit_req req;
		unsigned long got = 0, want = 0, flags;
		struct iova *near, *above = NULL;
		bool found, expect;

		req.size = 1 + iova_test_rand(&rng) % (i % 3 ? 8 : 40);
		req.align = iova_test_rand(&rng) & 1 ? roundup_pow_of_two(req.size) : 1;
		req.floor_pfn = i % 4 ? iova_test_rand(&rng) % 9000 : 0;
		req.limit_pfn = i % 5 ? iova_test_rand(&rng) % 9000 : ULONG_MAX;
		spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
		found = iosim_iova_tree_find_fit(iovad, &req, &got, &near);
		expect = req.limit_pfn >= req.floor_pfn && brute_force_find_fit(iovad, &req, &want);
		if (found)
			above = iosim_iova_tree_ceil(iovad, got);
		spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
		assert_int_equal(found, expect);
		if (expect) {
			assert_int_equal(got, want);
			/* @near borders the gap: the range just above the placement, or just below. */
			assert_non_null(near);
			assert_true(!above || above->pfn_lo > got + req.size - 1);
			if (near->pfn_lo > got) {
				assert_ptr_equal(near, above);
			} else {
				assert_true(near->pfn_hi < got);
				assert_ptr_equal(iosim_iova_tree_next(near), above);
			}
			nr_found++;
		}
	}
	/* Both outcomes were exercised. */
	assert_true(nr_found > nr_req / 4);
	assert_true(nr_found < nr_req);
	put_iova_domain(iovad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOVA_TEST(test_gap_fit_matches_brute_force_on_small_gaps),
		IOVA_TEST(test_gap_fit_matches_brute_force_near_the_top_of_the_space),
		IOVA_TEST(test_gap_fit_of_large_gaps),
		IOVA_TEST(test_a_large_tree_stays_consistent_under_churn),
		IOVA_TEST(test_search_finds_the_highest_fit_with_floors_and_limits_cutting_subtrees),
	};

	return cmocka_run_group_tests_name("iova_tree", tests, NULL, NULL);
}
