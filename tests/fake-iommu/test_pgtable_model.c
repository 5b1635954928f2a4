// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Model-based test of the page-table format: thousands of random map and
 * unmap operations (fixed seeds), some with a table allocation made to fail,
 * checked against an exact model of what is mapped (a sorted list of
 * intervals iova -> phys, prot).  After every step: the result is the one
 * the model predicts, a refused or failed operation left the tables exactly
 * as they were, the checker passes, and the touched range translates as
 * the model says; every 64 steps the whole model is compared.
 */
#include "fiommu_test.h"

#include <stdlib.h>

#include <linux/mm.h>

#include <iosim/fault.h>

#define MODEL_MAX	4096
#define PHYS_BASE	0x100000000000ULL

struct interval {
	unsigned long iova;
	unsigned long len;
	phys_addr_t phys;
	int prot;
};

struct model {
	struct interval iv[MODEL_MAX];
	unsigned int nr;
	u64 mapped;
};

/* Index of the first interval that ends after @iova. */
static unsigned int model_find(const struct model *m, unsigned long iova)
{
	unsigned int lo = 0, hi = m->nr;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (m->iv[mid].iova + m->iv[mid].len <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool model_overlaps(const struct model *m, unsigned long iova, unsigned long len)
{
	unsigned int i = model_find(m, iova);

	return i < m->nr && m->iv[i].iova < iova + len;
}

static void model_insert(struct model *m, unsigned long iova, unsigned long len,
			 phys_addr_t phys, int prot)
{
	unsigned int i = model_find(m, iova);

	assert_true(m->nr < MODEL_MAX);
	memmove(&m->iv[i + 1], &m->iv[i], (m->nr - i) * sizeof(m->iv[0]));
	m->iv[i] = (struct interval){ iova, len, phys, prot };
	m->nr++;
	m->mapped += len;
}

/* Bytes mapped without a hole from @iova, at most @len. */
static unsigned long model_run(const struct model *m, unsigned long iova, unsigned long len)
{
	unsigned int i = model_find(m, iova);
	unsigned long cur = iova, end = iova + len;

	for (; i < m->nr && cur < end; i++) {
		if (m->iv[i].iova > cur)
			break;
		cur = m->iv[i].iova + m->iv[i].len;
	}
	return min(cur, end) - iova;
}

static void model_remove(struct model *m, unsigned long iova, unsigned long len)
{
	unsigned long end = iova + len;
	unsigned int i = model_find(m, iova);

	while (i < m->nr && m->iv[i].iova < end) {
		struct interval *v = &m->iv[i];
		unsigned long v_end = v->iova + v->len;

		if (v->iova < iova && v_end > end) {
			/* The hole is inside: split in two. */
			struct interval tail = { end, v_end - end, v->phys + (end - v->iova),
						 v->prot };

			v->len = iova - v->iova;
			m->mapped -= len;
			model_insert(m, tail.iova, tail.len, tail.phys, tail.prot);
			m->mapped -= tail.len;	/* model_insert counted it again */
			return;
		}
		if (v->iova < iova) {
			m->mapped -= v_end - iova;
			v->len = iova - v->iova;
			i++;
		} else if (v_end > end) {
			m->mapped -= end - v->iova;
			v->phys += end - v->iova;
			v->len = v_end - end;
			v->iova = end;
			i++;
		} else {
			m->mapped -= v->len;
			memmove(v, v + 1, (m->nr - i - 1) * sizeof(*v));
			m->nr--;
		}
	}
}

struct model_run {
	const struct fiommu_mode *mode;
	struct iosim_pgtable_cfg cfg;
	struct iosim_pgtable pgt;
	struct iosim_pgtable_budget budget;
	struct model model;
	u64 rng;
	unsigned long window;
	bool fault_armed;
	unsigned long nr_map_ok, nr_eexist, nr_enomem, nr_unmap_ok, nr_unmap_zero, nr_splits;
};

static void expect_translation(struct model_run *r, unsigned long iova)
{
	const struct model *m = &r->model;
	unsigned int i = model_find(m, iova);
	struct iosim_pgtable_leaf leaf;
	int ret = iosim_pgtable_lookup(&r->pgt, iova, &leaf);

	if (i < m->nr && m->iv[i].iova <= iova) {
		const struct interval *v = &m->iv[i];

		assert_int_equal(ret, 0);
		assert_int_equal(leaf.phys + (iova - leaf.iova), v->phys + (iova - v->iova));
		assert_int_equal(leaf.prot, v->prot);
	} else {
		assert_int_equal(ret, -ENOENT);
	}
}

/* Compare every interval's ends and a point inside, and every gap's ends. */
static void verify_all(struct model_run *r)
{
	const struct model *m = &r->model;
	unsigned long prev_end = 0;
	unsigned int i;

	assert_int_equal(iosim_pgtable_mapped_bytes(&r->pgt), m->mapped);
	for (i = 0; i < m->nr; i++) {
		const struct interval *v = &m->iv[i];

		if (v->iova > prev_end) {
			expect_translation(r, prev_end);
			expect_translation(r, v->iova - 1);
		}
		expect_translation(r, v->iova);
		expect_translation(r, v->iova + v->len - 1);
		expect_translation(r, v->iova + fiommu_rand_below(&r->rng, v->len));
		prev_end = v->iova + v->len;
	}
	expect_translation(r, prev_end);
}

/* A size: mostly a few granules, sometimes around a block size. */
static unsigned long pick_size(struct model_run *r)
{
	const struct fiommu_mode *mode = r->mode;
	unsigned long g = mode->granule;
	unsigned long big = mode->sizes[mode->nr_sizes - 1];
	u64 pick = fiommu_rand_below(&r->rng, 100);

	if (pick < 55)
		return g * (1 + fiommu_rand_below(&r->rng, 8));
	if (pick < 80) {
		unsigned long block = mode->sizes[1];
		long delta = (long)fiommu_rand_below(&r->rng, 3) - 1;

		return block + delta * (long)g;
	}
	if (pick < 90)
		return big;
	return g * (1 + fiommu_rand_below(&r->rng, 2 * mode->sizes[1] / g));
}

/* An IOVA for @size: often aligned to a block, always to the granule. */
static unsigned long pick_iova(struct model_run *r, unsigned long size, bool near_existing)
{
	const struct fiommu_mode *mode = r->mode;
	unsigned long g = mode->granule;
	unsigned long align = g;
	unsigned long slots;

	if (fiommu_rand_below(&r->rng, 2)) {
		unsigned int s = (unsigned int)fiommu_rand_below(&r->rng, mode->nr_sizes);

		align = mode->sizes[s];
	}
	/* Sometimes start inside or at an existing mapping. */
	if (near_existing && r->model.nr && fiommu_rand_below(&r->rng, 2) == 0) {
		const struct interval *v = &r->model.iv[fiommu_rand_below(&r->rng, r->model.nr)];

		return v->iova + g * fiommu_rand_below(&r->rng, v->len / g + 1);
	}
	if (size > r->window)
		return 0;
	/*
	 * Unaligned (granule) picks cluster in a few blocks' worth of space, so
	 * that pages share leaf tables (each step's full check stays cheap) and
	 * leave the rest of the window to blocks.
	 */
	if (align == g && size <= 4 * mode->sizes[1]) {
		unsigned long dense = 4 * mode->sizes[1];

		return r->window / 2 + g * fiommu_rand_below(&r->rng, (dense - size) / g + 1);
	}
	slots = (r->window - size) / align + 1;
	return align * fiommu_rand_below(&r->rng, slots);
}

static int pick_prot(struct model_run *r)
{
	static const int prots[] = {
		IOMMU_READ, IOMMU_WRITE, IOMMU_READ | IOMMU_WRITE,
		IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE, IOMMU_READ | IOMMU_NOEXEC,
	};

	return prots[fiommu_rand_below(&r->rng, ARRAY_SIZE(prots))];
}

static void step_map(struct model_run *r)
{
	unsigned long size = pick_size(r);
	unsigned long iova = pick_iova(r, size, fiommu_rand_below(&r->rng, 6) == 0);
	unsigned long big = r->mode->sizes[r->mode->nr_sizes - 1];
	phys_addr_t phys;
	struct fiommu_pgt_snapshot snap;
	bool overlap;
	int prot = pick_prot(r), ret;

	/*
	 * Same phase as the IOVA (blocks possible), or any granule; the largest
	 * size always in phase.  Out of phase it would be all granule pages
	 * (262144 at 4K) that every later step's full check scans: one such
	 * mapping tripled this test's time.  test_largest_size_in_pages maps
	 * it on its own.
	 */
	if (size >= big || fiommu_rand_below(&r->rng, 10) < 7)
		phys = PHYS_BASE + big * fiommu_rand_below(&r->rng, 64) + iova;
	else
		phys = PHYS_BASE + r->mode->granule * fiommu_rand_below(&r->rng, 1UL << 24);
	if (iova + size > r->window + big)
		return;

	overlap = model_overlaps(&r->model, iova, size);
	/* Only a refusal or a failure needs the before-picture (it costs a walk). */
	if (overlap || r->fault_armed)
		fiommu_pgt_snapshot(&r->pgt, &snap);
	ret = iosim_pgtable_map(&r->pgt, iova, phys, size, prot);
	if (overlap) {
		assert_int_equal(ret, -EEXIST);
		assert_pgt_unchanged(&r->pgt, &snap);
		r->nr_eexist++;
	} else if (ret == -ENOMEM) {
		assert_true(r->fault_armed && iosim_fault_injected() > 0);
		assert_pgt_unchanged(&r->pgt, &snap);
		r->nr_enomem++;
	} else {
		assert_int_equal(ret, 0);
		model_insert(&r->model, iova, size, phys, prot);
		r->nr_map_ok++;
	}
	expect_translation(r, iova);
	expect_translation(r, iova + size - 1);
	expect_translation(r, iova + size);
	if (iova)
		expect_translation(r, iova - 1);
}

/*
 * A hole punched into a large mapping (most likely a block, which then
 * splits); an ordinary unmap when there is none.
 */
static bool pick_punch(struct model_run *r, unsigned long *iova, unsigned long *size)
{
	unsigned long g = r->mode->granule, block = r->mode->sizes[1];
	unsigned int i, start;

	if (!r->model.nr)
		return false;
	start = (unsigned int)fiommu_rand_below(&r->rng, r->model.nr);
	for (i = 0; i < r->model.nr; i++) {
		const struct interval *v = &r->model.iv[(start + i) % r->model.nr];

		if (v->len < block)
			continue;
		*size = g * (1 + fiommu_rand_below(&r->rng, 4));
		*iova = v->iova + g * fiommu_rand_below(&r->rng, (v->len - *size) / g + 1);
		return true;
	}
	return false;
}

static void step_unmap(struct model_run *r, bool punch)
{
	unsigned long size, iova, expected;
	struct fiommu_pgt_snapshot snap;
	unsigned long splits = r->pgt.nr_splits;
	size_t ret;

	if (!punch || !pick_punch(r, &iova, &size)) {
		size = pick_size(r);
		iova = pick_iova(r, size, true);
	}
	expected = model_run(&r->model, iova, size);
	if (!expected || r->fault_armed)
		fiommu_pgt_snapshot(&r->pgt, &snap);
	ret = iosim_pgtable_unmap(&r->pgt, iova, size);
	if (ret == 0) {
		/* Nothing there, or a split could not get its table. */
		if (expected) {
			assert_true(r->fault_armed && iosim_fault_injected() > 0);
			r->nr_enomem++;
		}
		assert_pgt_unchanged(&r->pgt, &snap);
		r->nr_unmap_zero++;
	} else {
		assert_int_equal(ret, expected);
		model_remove(&r->model, iova, ret);
		r->nr_unmap_ok++;
		r->nr_splits += r->pgt.nr_splits - splits;
	}
	expect_translation(r, iova);
	expect_translation(r, iova + size - 1);
	if (iova)
		expect_translation(r, iova - 1);
	expect_translation(r, iova + size);
}

static void run_model(const struct fiommu_mode *mode, u64 seed, unsigned int nr_ops)
{
	struct model_run *r = calloc(1, sizeof(*r));
	long pages_before = fiommu_live_pages();
	unsigned int op, i;
	u64 pick;

	assert_non_null(r);
	r->mode = mode;
	r->rng = seed;
	r->window = 16 * mode->sizes[mode->nr_sizes - 1];
	assert_int_equal(iosim_pgtable_cfg_init(&r->cfg, mode->granule, 48, 48, 0), 0);
	iosim_pgtable_init(&r->pgt, &r->cfg, &r->budget);

	for (op = 0; op < nr_ops; op++) {
		/* One step in five has one of its next table allocations fail. */
		r->fault_armed = fiommu_rand_below(&r->rng, 5) == 0;
		if (r->fault_armed)
			iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE),
					     1 + fiommu_rand_below(&r->rng, 2));
		pick = fiommu_rand_below(&r->rng, 100);
		if (pick < 55)
			step_map(r);
		else
			step_unmap(r, pick >= 85);
		iosim_fault_reset();
		assert_int_equal(iosim_pgtable_check(&r->pgt, fiommu_any_output, NULL), 0);
		if (op % 64 == 63)
			verify_all(r);
	}
	verify_all(r);

	print_message("%s seed %llx: map ok %lu eexist %lu enomem %lu, unmap ok %lu zero %lu, "
		      "splits %lu\n", mode->name, (unsigned long long)seed, r->nr_map_ok,
		      r->nr_eexist, r->nr_enomem, r->nr_unmap_ok, r->nr_unmap_zero, r->nr_splits);
	/* Every kind of outcome happened. */
	assert_true(r->nr_map_ok > nr_ops / 10);
	assert_true(r->nr_eexist > 0);
	assert_true(r->nr_enomem > 0);	/* from maps or from splits */
	assert_true(r->nr_unmap_ok > nr_ops / 20);
	assert_true(r->nr_unmap_zero > 0);
	assert_true(r->nr_splits > 0);

	/* Unmap every run: nothing but the top table remains. */
	for (i = 0; i < r->model.nr; ) {
		unsigned long iova = r->model.iv[i].iova;
		unsigned long run = model_run(&r->model, iova, ~0UL - iova);

		assert_int_equal(iosim_pgtable_unmap(&r->pgt, iova, run), run);
		model_remove(&r->model, iova, run);
	}
	assert_int_equal(r->model.nr, 0);
	assert_int_equal(r->pgt.nr_tables, 1);
	assert_int_equal(iosim_pgtable_mapped_bytes(&r->pgt), 0);
	iosim_pgtable_free(&r->pgt);
	assert_int_equal(fiommu_live_pages(), pages_before);
	free(r);
}

static unsigned int model_ops(void)
{
	/* Memcheck is ~50x slower: fewer steps there still cover every path. */
	return getenv("IOSIM_UNDER_VALGRIND") ? 1000 : 2000;
}

static void run_mode(unsigned int m)
{
	static const u64 seeds[] = { 0x5eed, 0xdeadbeefcafeULL };
	unsigned int s;

	for (s = 0; s < ARRAY_SIZE(seeds); s++)
		run_model(&fiommu_modes[m], seeds[s], model_ops());
}

static void test_model_4k_granule(void **state)
{
	run_mode(0);
}

static void test_model_16k_granule(void **state)
{
	run_mode(1);
}

static void test_model_64k_granule(void **state)
{
	run_mode(2);
}

static void test_model_small_page_mode(void **state)
{
	run_mode(3);
}

/*
 * The largest size mapped out of phase with its output: no block fits, so
 * it is all granule pages, under tables made for it.  On a fresh table, a
 * table allocation failing first, second, third or last leaves everything
 * as it was.  The mapping then translates as the model says (both ends,
 * every table boundary's neighbours, random points), refuses an overlap,
 * loses one page in its middle, and unmaps back to the top table alone.
 */
static void run_largest_in_pages(const struct fiommu_mode *mode)
{
	const unsigned int site = IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE);
	struct model_run *r = calloc(1, sizeof(*r));
	unsigned long g = mode->granule, block = mode->sizes[1];
	unsigned long big = mode->sizes[mode->nr_sizes - 1];
	unsigned long iova = big + block + g, hole = iova + big / 2, allocs, n, a;
	phys_addr_t phys = PHYS_BASE + 3 * g;
	long pages_before = fiommu_live_pages();
	struct fiommu_pgt_snapshot snap;
	const unsigned long fail_at[] = { 1, 2, 3, 0 /* the last, once known */ };
	unsigned int f;

	assert_non_null(r);
	assert_false(IS_ALIGNED(phys ^ iova, block));
	r->mode = mode;
	r->rng = 0x1a56e;
	assert_int_equal(iosim_pgtable_cfg_init(&r->cfg, mode->granule, 48, 48, 0), 0);
	iosim_pgtable_init(&r->pgt, &r->cfg, &r->budget);

	/* How many table allocations the map makes, on a throwaway table. */
	iosim_fault_fail_nth(site, 0);
	assert_int_equal(iosim_pgtable_map(&r->pgt, iova, phys, big, IOMMU_READ), 0);
	allocs = iosim_fault_calls(site);
	iosim_fault_reset();
	assert_true(allocs >= big / block);
	iosim_pgtable_free(&r->pgt);
	iosim_pgtable_init(&r->pgt, &r->cfg, &r->budget);

	for (f = 0; f < ARRAY_SIZE(fail_at); f++) {
		n = fail_at[f] ? fail_at[f] : allocs;
		fiommu_pgt_snapshot(&r->pgt, &snap);
		iosim_fault_fail_nth(site, n);
		assert_int_equal(iosim_pgtable_map(&r->pgt, iova, phys, big, IOMMU_READ),
				 -ENOMEM);
		assert_int_equal(iosim_fault_injected(), 1);
		iosim_fault_reset();
		assert_pgt_unchanged(&r->pgt, &snap);
		assert_int_equal(iosim_pgtable_check(&r->pgt, fiommu_any_output, NULL), 0);
	}

	assert_int_equal(iosim_pgtable_map(&r->pgt, iova, phys, big, IOMMU_READ | IOMMU_WRITE),
			 0);
	model_insert(&r->model, iova, big, phys, IOMMU_READ | IOMMU_WRITE);
	assert_int_equal(iosim_pgtable_check(&r->pgt, fiommu_any_output, NULL), 0);
	assert_int_equal(fiommu_leaves_of_size(&r->pgt, g), big / g);
	for (a = round_up(iova, block); a < iova + big; a += block) {
		expect_translation(r, a - 1);
		expect_translation(r, a);
	}
	verify_all(r);

	fiommu_pgt_snapshot(&r->pgt, &snap);
	assert_int_equal(iosim_pgtable_map(&r->pgt, hole - block, PHYS_BASE, 2 * block,
					   IOMMU_READ), -EEXIST);
	assert_pgt_unchanged(&r->pgt, &snap);

	assert_int_equal(iosim_pgtable_unmap(&r->pgt, hole, g), g);
	model_remove(&r->model, hole, g);
	assert_int_equal(iosim_pgtable_check(&r->pgt, fiommu_any_output, NULL), 0);
	expect_translation(r, hole - 1);
	expect_translation(r, hole);
	expect_translation(r, hole + g);
	verify_all(r);

	/* An unmap stops at the hole. */
	assert_int_equal(iosim_pgtable_unmap(&r->pgt, iova, big), hole - iova);
	assert_int_equal(iosim_pgtable_unmap(&r->pgt, hole + g, iova + big - hole - g),
			 iova + big - hole - g);
	model_remove(&r->model, iova, big);
	verify_all(r);
	assert_int_equal(r->pgt.nr_tables, 1);
	assert_int_equal(iosim_pgtable_check(&r->pgt, fiommu_any_output, NULL), 0);
	iosim_pgtable_free(&r->pgt);
	assert_int_equal(fiommu_live_pages(), pages_before);
	free(r);
}

static void test_largest_size_in_pages(void **state)
{
	unsigned int m;

	for (m = 0; m < FIOMMU_NR_MODES; m++)
		run_largest_in_pages(&fiommu_modes[m]);
}

/* The model itself, so a bug there cannot hide one in the format. */
static void test_model_bookkeeping(void **state)
{
	struct model *m = calloc(1, sizeof(*m));

	assert_non_null(m);
	model_insert(m, 0x1000, 0x3000, 0x10000, IOMMU_READ);
	model_insert(m, 0x4000, 0x1000, 0x90000, IOMMU_WRITE);
	model_insert(m, 0x8000, 0x1000, 0x20000, IOMMU_READ);
	assert_int_equal(m->mapped, 0x5000);
	assert_true(model_overlaps(m, 0x3000, 0x1000));
	assert_false(model_overlaps(m, 0x5000, 0x3000));
	assert_int_equal(model_run(m, 0x1000, 0x10000), 0x4000);
	assert_int_equal(model_run(m, 0x5000, 0x1000), 0);
	model_remove(m, 0x2000, 0x1000);	/* splits the first interval */
	assert_int_equal(m->nr, 4);
	assert_int_equal(m->mapped, 0x4000);
	assert_int_equal(m->iv[1].iova, 0x3000);
	assert_int_equal(m->iv[1].phys, 0x12000);
	model_remove(m, 0x3000, 0x2000);
	assert_int_equal(m->nr, 2);
	assert_int_equal(m->mapped, 0x2000);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_model_bookkeeping),
		IOSIM_TEST_RAM(test_model_4k_granule),
		IOSIM_TEST_RAM(test_model_16k_granule),
		IOSIM_TEST_RAM(test_model_64k_granule),
		IOSIM_TEST_RAM(test_model_small_page_mode),
		IOSIM_TEST_RAM(test_largest_size_in_pages),
	};

	return cmocka_run_group_tests_name("fake-iommu pgtable model", tests, NULL, NULL);
}
