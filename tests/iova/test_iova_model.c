// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Model-based randomized tests: thousands of operations from fixed seeds,
 * each checked against a plain model of the pfn window (who owns each pfn),
 * with the sanity checker run after every step.
 *
 * The model computes the expected placement the simplest way: scan down from
 * min(limit, dma_32bit_pfn) for the first free block (stepping by the
 * alignment), exactly the 2015 kernel's top-down rule.  Windows sit at the
 * bottom and at the very top of the pfn space, to catch wrap-arounds.
 */
#include "iova_test.h"

#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/log2.h>

#define MODEL_PFNS	1024
#define MODEL_MAX_IDS	4096
#define NO_ID		(-1)

struct model_range {
	unsigned long lo, hi;
	struct iova *iova;
	bool live;
};

struct model {
	struct iova_domain *iovad;
	unsigned long base;			/* pfn of window slot 0 */
	int owner[MODEL_PFNS];			/* range id per pfn, or NO_ID */
	struct model_range ranges[MODEL_MAX_IDS];
	int nr_ids;
	unsigned long long rng;
	unsigned long steps;
};

static unsigned long rnd(struct model *m, unsigned long n)
{
	return n ? iova_test_rand(&m->rng) % n : 0;
}

static int *slot(struct model *m, unsigned long pfn)
{
	assert_true(pfn >= m->base && pfn - m->base < MODEL_PFNS);
	return &m->owner[pfn - m->base];
}

static bool in_window(struct model *m, unsigned long pfn)
{
	return pfn >= m->base && pfn - m->base < MODEL_PFNS;
}

static int model_owner(struct model *m, unsigned long pfn)
{
	return in_window(m, pfn) ? *slot(m, pfn) : NO_ID;
}

static int model_new_range(struct model *m, unsigned long lo, unsigned long hi, struct iova *iova)
{
	int id = m->nr_ids++;
	unsigned long pfn;

	assert_true(id < MODEL_MAX_IDS);
	m->ranges[id] = (struct model_range){ .lo = lo, .hi = hi, .iova = iova, .live = true };
	for (pfn = lo;; pfn++) {
		assert_int_equal(*slot(m, pfn), NO_ID);
		*slot(m, pfn) = id;
		if (pfn == hi)
			break;
	}
	return id;
}

static void model_drop_range(struct model *m, int id)
{
	struct model_range *r = &m->ranges[id];
	unsigned long pfn;

	for (pfn = r->lo;; pfn++) {
		*slot(m, pfn) = NO_ID;
		if (pfn == r->hi)
			break;
	}
	r->live = false;
}

static bool model_block_free(struct model *m, unsigned long pfn, unsigned long size)
{
	unsigned long i;

	for (i = 0; i < size; i++)
		if (*slot(m, pfn + i) != NO_ID)
			return false;
	return true;
}

/* The kernel's rule, the slow way: the highest free (aligned) block. */
static bool model_place(struct model *m, unsigned long size, unsigned long limit_pfn,
			bool aligned, unsigned long floor_pfn, unsigned long *pfn_out)
{
	unsigned long top = min(limit_pfn, m->iovad->dma_32bit_pfn);
	unsigned long align = aligned ? roundup_pow_of_two(size) : 1;
	unsigned long pfn;

	if (top < floor_pfn || top - floor_pfn < size - 1)
		return false;
	for (pfn = (top - (size - 1)) & ~(align - 1); pfn >= floor_pfn; pfn -= align) {
		if (model_block_free(m, pfn, size)) {
			*pfn_out = pfn;
			return true;
		}
		if (pfn < align)
			break;
	}
	return false;
}

static int model_random_live_id(struct model *m)
{
	int tries, id;

	for (tries = 0; tries < 64; tries++) {
		id = (int)rnd(m, (unsigned long)m->nr_ids);
		if (m->nr_ids && m->ranges[id].live)
			return id;
	}
	for (id = 0; id < m->nr_ids; id++)
		if (m->ranges[id].live)
			return id;
	return NO_ID;
}

static unsigned long model_random_size(struct model *m)
{
	unsigned long r = rnd(m, 100);

	if (r < 70)
		return 1 + rnd(m, 8);
	if (r < 95)
		return 9 + rnd(m, 56);
	return 65 + rnd(m, 240);
}

/* A limit anywhere around the window, sometimes far above it. */
static unsigned long model_random_limit(struct model *m)
{
	unsigned long off = rnd(m, MODEL_PFNS + 16);

	if (!rnd(m, 8))
		return ULONG_MAX;
	if (off < 8)
		return m->base >= 8 - off ? m->base - (8 - off) : 0;
	off -= 8;
	return m->base + off < m->base ? ULONG_MAX : m->base + off;
}

static void model_step_alloc(struct model *m)
{
	unsigned long size = model_random_size(m), limit = model_random_limit(m), pfn = 0;
	bool aligned = rnd(m, 2);
	bool fits = model_place(m, size, limit, aligned, m->iovad->start_pfn, &pfn);
	struct iova *iova = alloc_iova(m->iovad, size, limit, aligned);

	if (!fits) {
		assert_null(iova);
		return;
	}
	assert_non_null(iova);
	assert_int_equal(iova->pfn_lo, pfn);
	assert_int_equal(iova->pfn_hi, pfn + size - 1);
	model_new_range(m, pfn, pfn + size - 1, iova);
}

static void model_step_free(struct model *m)
{
	int id = model_random_live_id(m);
	struct model_range *r;

	if (id == NO_ID)
		return;
	r = &m->ranges[id];
	if (rnd(m, 2))
		__free_iova(m->iovad, r->iova);
	else
		free_iova(m->iovad, r->lo + rnd(m, r->hi - r->lo + 1));
	model_drop_range(m, id);
}

/* The kernel's reserve rule applied to the model; returns the covering id. */
static int model_reserve(struct model *m, unsigned long pfn_lo, unsigned long pfn_hi,
			 struct iova *got)
{
	unsigned long cur = pfn_lo, pfn;
	int id, last = NO_ID;

	for (pfn = pfn_lo;; pfn++) {
		id = *slot(m, pfn);
		if (id != NO_ID && id != last) {
			struct model_range *r = &m->ranges[id];
			unsigned long p;

			for (p = cur; p < r->lo; p++)
				*slot(m, p) = id;
			if (cur < r->lo)
				r->lo = cur;
			if (pfn_hi <= r->hi)
				return id;
			cur = r->hi + 1;
			last = id;
		}
		if (pfn == pfn_hi)
			break;
	}
	return model_new_range(m, cur, pfn_hi, got);
}

static void model_step_reserve(struct model *m)
{
	unsigned long lo = m->base + rnd(m, MODEL_PFNS);
	unsigned long extra = min(rnd(m, 24), m->base + MODEL_PFNS - 1 - lo);
	unsigned long hi = lo + extra;
	struct iova *got = reserve_iova(m->iovad, lo, hi);
	int id;

	assert_non_null(got);
	id = model_reserve(m, lo, hi, got);
	assert_ptr_equal(m->ranges[id].iova, got);
	assert_int_equal(got->pfn_lo, m->ranges[id].lo);
	assert_int_equal(got->pfn_hi, m->ranges[id].hi);
}

static void model_step_find(struct model *m)
{
	unsigned long pfn = m->base + rnd(m, MODEL_PFNS);
	int id = model_owner(m, pfn);
	struct iova *iova = find_iova(m->iovad, pfn);

	if (id == NO_ID)
		assert_null(iova);
	else
		assert_ptr_equal(iova, m->ranges[id].iova);
}

static void model_step_split(struct model *m)
{
	int id = model_random_live_id(m);
	struct model_range *r;
	unsigned long lo, hi, cut_lo, cut_hi;
	struct iova *got;

	if (id == NO_ID)
		return;
	r = &m->ranges[id];
	lo = r->lo + rnd(m, r->hi - r->lo + 1);
	hi = rnd(m, r->hi - lo + 3);		/* may reach past the range */
	hi = ULONG_MAX - lo < hi ? ULONG_MAX : lo + hi;
	cut_lo = max(lo, r->lo);
	cut_hi = min(hi, r->hi);
	got = split_and_remove_iova(m->iovad, r->iova, lo, hi);
	assert_ptr_equal(got, r->iova);
	assert_int_equal(got->pfn_lo, cut_lo);
	assert_int_equal(got->pfn_hi, cut_hi);
	free_iova_mem(got);

	lo = r->lo;
	hi = r->hi;
	model_drop_range(m, id);
	if (lo < cut_lo)
		model_new_range(m, lo, cut_lo - 1, find_iova(m->iovad, lo));
	if (hi > cut_hi)
		model_new_range(m, cut_hi + 1, hi, find_iova(m->iovad, hi));
}

/* The whole window, and the free-space statistics, agree with the model. */
static void model_compare(struct model *m)
{
	struct iosim_iova_stats stats;
	unsigned long pfn, free_pfns = 0, live_ids = 0;
	int i;

	for (i = 0; i < MODEL_PFNS; i++) {
		int id = m->owner[i];
		struct iova *iova = find_iova(m->iovad, m->base + (unsigned long)i);

		if (id == NO_ID)
			assert_null(iova);
		else
			assert_ptr_equal(iova, m->ranges[id].iova);
	}
	for (pfn = m->iovad->start_pfn; pfn <= m->iovad->dma_32bit_pfn; pfn++) {
		free_pfns += *slot(m, pfn) == NO_ID;
		if (pfn == ULONG_MAX)
			break;
	}
	for (i = 0; i < m->nr_ids; i++)
		live_ids += m->ranges[i].live;
	iosim_iova_get_stats(m->iovad, &stats);
	assert_int_equal(stats.free_pfns, free_pfns);
	assert_int_equal(stats.nr_ranges, live_ids);
}

static void model_run(void **state, unsigned long base, unsigned long start_off,
		      unsigned long long seed, unsigned long nr_steps)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;
	struct model *m = calloc(1, sizeof(*m));
	unsigned long i;

	assert_non_null(m);
	put_iova_domain(iovad);
	/* The top starts at 3/4 of the window and grows, as the seed grows domains. */
	init_iova_domain(iovad, IOVA_TEST_GRANULE, base + start_off, base + MODEL_PFNS * 3 / 4);
	m->iovad = iovad;
	m->base = base;
	m->rng = seed;
	memset(m->owner, 0xff, sizeof(m->owner));	/* NO_ID */

	for (i = 0; i < nr_steps; i++) {
		unsigned long op = rnd(m, 100);

		if (op < 40)
			model_step_alloc(m);
		else if (op < 62)
			model_step_free(m);
		else if (op < 67)
			model_step_reserve(m);
		else if (op < 90)
			model_step_find(m);
		else if (op < 96)
			model_step_split(m);
		else if (op < 97 && iovad->dma_32bit_pfn < base + MODEL_PFNS - 1)
			iovad->dma_32bit_pfn +=
				1 + rnd(m, base + MODEL_PFNS - 1 - iovad->dma_32bit_pfn);
		else
			model_step_alloc(m);
		assert_iova_consistent(iovad);
		if (i % 16 == 0)
			model_compare(m);
	}
	model_compare(m);
	put_iova_domain(iovad);
	free(m);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, IOVA_TEST_START, IOVA_TEST_TOP);
}

static unsigned long model_steps(void)
{
	return iova_test_under_valgrind() ? 800 : 4000;
}

static void test_model_at_the_bottom_of_the_pfn_space(void **state)
{
	static const unsigned long long seeds[] = { 1, 42, 0xdeadbeef, 2015 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(seeds); i++)
		model_run(state, 0, 1 + i, seeds[i], model_steps());
}

static void test_model_at_pfn_zero_with_start_pfn_zero(void **state)
{
	model_run(state, 0, 0, 7, model_steps());
}

static void test_model_at_the_top_of_the_pfn_space(void **state)
{
	static const unsigned long long seeds[] = { 3, 0x5eed };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(seeds); i++)
		model_run(state, ULONG_MAX - MODEL_PFNS + 1, 5, seeds[i], model_steps());
}

static void test_model_in_the_middle_with_an_unaligned_base(void **state)
{
	model_run(state, 0x123457, 3, 99, model_steps());
}

/*
 * The fast path cannot be predicted exactly (the caches decide), but every
 * range it hands out must be free from the user's point of view, aligned,
 * inside the limits and backed by a tree range of the rounded size; and when
 * it fails, nothing may fit even after the caches were flushed.
 */
static void fast_model_run(void **state, unsigned long long seed, bool checks,
			   unsigned long nr_steps)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;
	struct model *m = calloc(1, sizeof(*m));
	unsigned long i;
	int id;

	assert_non_null(m);
	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 1, MODEL_PFNS - 1);
	iosim_iova_set_fast_checks(iovad, checks);
	m->iovad = iovad;
	m->rng = seed;
	memset(m->owner, 0xff, sizeof(m->owner));

	for (i = 0; i < nr_steps; i++) {
		unsigned long op = rnd(m, 100);

		if (op < 50) {
			unsigned long size = rnd(m, 10) ? 1 + rnd(m, 32) : 33 + rnd(m, 64);
			unsigned long limit = rnd(m, 4) ? ULONG_MAX : rnd(m, MODEL_PFNS);
			unsigned long rsize = size <= 32 ? roundup_pow_of_two(size) : size;
			unsigned long pfn = alloc_iova_fast(iovad, size, limit), expect;

			if (!pfn) {
				assert_false(model_place(m, rsize, limit, true, 1, &expect));
				continue;
			}
			assert_true(pfn + rsize - 1 <= min(limit, iovad->dma_32bit_pfn));
			assert_int_equal(pfn & (roundup_pow_of_two(rsize) - 1), 0);
			assert_true(model_block_free(m, pfn, rsize));
			assert_iova_range(find_iova(iovad, pfn), pfn, pfn + rsize - 1);
			model_new_range(m, pfn, pfn + rsize - 1, find_iova(iovad, pfn));
		} else if (op < 95) {
			id = model_random_live_id(m);
			if (id == NO_ID)
				continue;
			free_iova_fast(iovad, m->ranges[id].lo,
				       m->ranges[id].hi - m->ranges[id].lo + 1);
			model_drop_range(m, id);
		} else if (op < 98) {
			free_cpu_cached_iovas(iosim_iova_this_cpu(), iovad);
		} else {
			iosim_iova_set_cpu((unsigned int)rnd(m, 4));
		}
		assert_iova_consistent(iovad);
	}
	for (id = 0; id < m->nr_ids; id++)
		if (m->ranges[id].live)
			free_iova_fast(iovad, m->ranges[id].lo,
				       m->ranges[id].hi - m->ranges[id].lo + 1);
	assert_iova_consistent(iovad);
	iosim_iova_rcache_flush(iovad);
	assert_int_equal(iova_test_nr_ranges(iovad), 0);
	iosim_iova_set_cpu(0);
	put_iova_domain(iovad);
	free(m);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, IOVA_TEST_START, IOVA_TEST_TOP);
}

static void test_fast_path_model_with_checks(void **state)
{
	fast_model_run(state, 11, true, model_steps());
	fast_model_run(state, 12, true, model_steps());
}

static void test_fast_path_model_trusting_the_caller(void **state)
{
	fast_model_run(state, 13, false, model_steps());
	fast_model_run(state, 14, false, model_steps());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOVA_TEST(test_model_at_the_bottom_of_the_pfn_space),
		IOVA_TEST(test_model_at_pfn_zero_with_start_pfn_zero),
		IOVA_TEST(test_model_at_the_top_of_the_pfn_space),
		IOVA_TEST(test_model_in_the_middle_with_an_unaligned_base),
		IOVA_TEST(test_fast_path_model_with_checks),
		IOVA_TEST(test_fast_path_model_trusting_the_caller),
	};

	return cmocka_run_group_tests_name("iova_model", tests, NULL, NULL);
}
