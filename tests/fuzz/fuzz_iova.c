// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * fuzz_iova - the IOVA allocator (lib/iova) against an exact model.
 *
 * Input: a header (window size, where the window sits in the pfn space, two
 * domains' granule/start/top), then operations until the input ends:
 * alloc_iova, alloc_iova_fast, __free_iova, free_iova, free_iova_fast,
 * reserve_iova, find_iova, split_and_remove_iova, copy_reserved_iova,
 * free_cpu_cached_iovas, iosim_iova_rcache_flush, CPU switches, domain
 * re-initialisation, and misuse (double free, stale and foreign pointers,
 * zero sizes, empty ranges).  docs/fuzzing.md gives the byte layout.
 *
 * The model keeps, for each of the two domains, every range the tree holds
 * (bounds, the struct iova, whether the fast path caches it and on which
 * CPU) and two bitmaps of the window's pfns: which a range covers, where
 * each range starts (fuzz_bitmap.h).  The oracle:
 *  - alloc_iova() returns exactly the highest free range of the size below
 *    the limit (aligned to roundup_pow_of_two(size) when asked), or NULL
 *    when the model has none;
 *  - alloc_iova_fast() returns either a range the fast path caches for the
 *    calling CPU, of the size class, inside [max(start, 1), limit], or
 *    exactly the tree's highest aligned fit (after flushing every cache, if
 *    it says so), or 0 when nothing fits even then;
 *  - find_iova() answers what the model says for every pfn asked;
 *  - misuse produces exactly one WARN and changes nothing (the documented
 *    exceptions are modelled: free_iova_fast() of a mismatching size frees);
 *  - after each operation iosim_iova_check() passes, the tree's range and
 *    cache counts equal the model's and every model range is in the tree
 *    with the same bounds;
 *  - at the end no struct iova and no simulated object is alive.
 */
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/iova.h>
#include <linux/log2.h>
#include <asm/page.h>
#include <iosim/fault.h>
#include <iosim/iova.h>

#include "fuzz_bitmap.h"
#include "fuzz_common.h"

#define MAX_WINDOW	4096
#define NR_DOMAINS	2
#define NR_STALE	32
#define MAX_OPS		400
#define MAX_BATCH	(2 * IOVA_MAG_SIZE + 64)
#define NR_FUZZ_CPUS	4
#define NO_RANGE	(-1)
#define CACHE_CLASSES	IOVA_RANGE_CACHE_MAX_SIZE
#define CACHE_MAX_PFNS	(1UL << (CACHE_CLASSES - 1))

struct mrange {
	bool used;
	unsigned long lo_pfn, hi_pfn;
	struct iova *iova;
	bool cached;		/* held by the fast path */
	unsigned int cpu;	/* the CPU that cached it */
};

struct mdomain {
	struct iova_domain iovad;
	bool broken;		/* init refused the granule */
	unsigned long start_pfn, top_pfn;
	/* Window pfns (relative to its base) that a range covers, and where ranges start. */
	unsigned long used[BITS_TO_LONGS(MAX_WINDOW)];
	unsigned long starts[BITS_TO_LONGS(MAX_WINDOW)];
	int start_owner[MAX_WINDOW];	/* range index by first pfn, where starts[] is set */
	struct mrange ranges[MAX_WINDOW];
	unsigned long nr_ranges, nr_cached;
	unsigned long nr_slots;	/* ranges[] slots ever used since the reset */
	/* cached ranges per (CPU, class): past 2 magazines they may reach the depot */
	unsigned long nr_cached_on[NR_FUZZ_CPUS][CACHE_CLASSES];
	bool depot_maybe_used;
};

static struct fuzz_state {
	unsigned long window;	/* pfns in the window */
	unsigned long base_pfn;	/* first pfn of the window */
	unsigned int cpu;	/* this thread's simulated CPU */
	struct mdomain dom[NR_DOMAINS];
	struct iova *stale[NR_STALE];	/* pointers freed earlier */
	unsigned int nr_stale;
	unsigned long injected;	/* iosim_fault_injected() when the operation began */
} S;

/* Did the current operation meet an injected allocation failure? */
static bool injected(void)
{
	return iosim_fault_injected() != S.injected;
}

static bool in_window(unsigned long pfn)
{
	return pfn >= S.base_pfn && pfn - S.base_pfn < S.window;
}

static unsigned long rel(unsigned long pfn)
{
	return pfn - S.base_pfn;
}

static void remember_stale(struct iova *iova)
{
	S.stale[S.nr_stale++ % NR_STALE] = iova;
}

/* -- the model ------------------------------------------------------------- */

/* The range covering @pfn: the one that starts last at or below it, if @pfn is used. */
FUZZ_NO_COVERAGE
static int model_owner(struct mdomain *d, unsigned long pfn)
{
	unsigned long start;

	if (!in_window(pfn) || !test_bit((long)rel(pfn), d->used))
		return NO_RANGE;
	FUZZ_CHECK(fuzz_bitmap_last_set(d->starts, 0, rel(pfn), &start),
		   "harness: model pfn %#lx used but no range starts below it", pfn);
	return d->start_owner[start];
}

/* Mark [@lo_pfn, @hi_pfn] as range @idx's in the bitmaps (nothing there yet). */
FUZZ_NO_COVERAGE
static void model_place(struct mdomain *d, int idx, unsigned long lo_pfn, unsigned long hi_pfn)
{
	unsigned long taken;

	FUZZ_CHECK(!fuzz_bitmap_last_set(d->used, rel(lo_pfn), rel(hi_pfn), &taken),
		   "overlap: new range [%#lx-%#lx] overlaps a range at pfn %#lx",
		   lo_pfn, hi_pfn, taken + S.base_pfn);
	fuzz_bitmap_set(d->used, rel(lo_pfn), rel(hi_pfn));
	fuzz_bitmap_set(d->starts, rel(lo_pfn), rel(lo_pfn));
	d->start_owner[rel(lo_pfn)] = idx;
}

/* Take range @r's pfns out of the bitmaps. */
FUZZ_NO_COVERAGE
static void model_unplace(struct mdomain *d, const struct mrange *r)
{
	fuzz_bitmap_clear(d->used, rel(r->lo_pfn), rel(r->hi_pfn));
	fuzz_bitmap_clear(d->starts, rel(r->lo_pfn), rel(r->lo_pfn));
}

FUZZ_NO_COVERAGE
static int model_new_range(struct mdomain *d, unsigned long lo_pfn, unsigned long hi_pfn,
			   struct iova *iova)
{
	int idx;

	for (idx = 0; idx < MAX_WINDOW && d->ranges[idx].used; idx++)
		;
	FUZZ_CHECK(idx < MAX_WINDOW, "harness: model out of range slots");
	if ((unsigned long)idx >= d->nr_slots)
		d->nr_slots = idx + 1;
	FUZZ_CHECK(in_window(lo_pfn) && in_window(hi_pfn) && lo_pfn <= hi_pfn,
		   "harness: model range [%#lx-%#lx] outside the window", lo_pfn, hi_pfn);
	model_place(d, idx, lo_pfn, hi_pfn);
	d->ranges[idx] = (struct mrange){ .used = true, .lo_pfn = lo_pfn, .hi_pfn = hi_pfn,
					  .iova = iova };
	d->nr_ranges++;
	return idx;
}

FUZZ_NO_COVERAGE
static void model_set_bounds(struct mdomain *d, int idx, unsigned long lo_pfn,
			     unsigned long hi_pfn)
{
	struct mrange *r = &d->ranges[idx];

	model_unplace(d, r);
	r->lo_pfn = lo_pfn;
	r->hi_pfn = hi_pfn;
	model_place(d, idx, lo_pfn, hi_pfn);
}

static unsigned int range_class(const struct mrange *r)
{
	return (unsigned int)order_base_2(r->hi_pfn - r->lo_pfn + 1);
}

FUZZ_NO_COVERAGE
static void model_uncache(struct mdomain *d, struct mrange *r)
{
	if (!r->cached)
		return;
	r->cached = false;
	d->nr_cached--;
	d->nr_cached_on[r->cpu][range_class(r)]--;
	if (!d->nr_cached)
		d->depot_maybe_used = false;
}

FUZZ_NO_COVERAGE
static void model_free(struct mdomain *d, int idx)
{
	struct mrange *r = &d->ranges[idx];

	model_uncache(d, r);
	model_unplace(d, r);
	remember_stale(r->iova);
	r->used = false;
	d->nr_ranges--;
}

FUZZ_NO_COVERAGE
static void model_cache(struct mdomain *d, struct mrange *r)
{
	unsigned int class = range_class(r);

	/* Two full magazines on this CPU: the next push may retire one to the depot. */
	if (d->nr_cached_on[S.cpu][class] >= 2 * IOVA_MAG_SIZE)
		d->depot_maybe_used = true;
	r->cached = true;
	r->cpu = S.cpu;
	d->nr_cached++;
	d->nr_cached_on[S.cpu][class]++;
}

/*
 * Only the window's pfns are ever asked about (in_window()), and no slot at
 * or past nr_slots was used since the last reset: reset just those, not the
 * whole arrays.  start_owner[] is read only where starts[] is set.
 */
static void model_reset(struct mdomain *d)
{
	unsigned long i, words = BITS_TO_LONGS(S.window);

	memset(d->used, 0, words * sizeof(d->used[0]));
	memset(d->starts, 0, words * sizeof(d->starts[0]));
	for (i = 0; i < d->nr_slots; i++)
		d->ranges[i].used = false;
	d->nr_slots = 0;
	d->nr_ranges = 0;
	d->nr_cached = 0;
	memset(d->nr_cached_on, 0, sizeof(d->nr_cached_on));
	d->depot_maybe_used = false;
}

FUZZ_NO_COVERAGE
static struct mrange *model_find_ptr(struct mdomain *d, struct iova *iova)
{
	unsigned long i;

	for (i = 0; i < d->nr_slots; i++)
		if (d->ranges[i].used && d->ranges[i].iova == iova)
			return &d->ranges[i];
	return NULL;
}

/*
 * The highest pfn_lo of @size free pfns, aligned to @align, inside
 * [@floor_pfn, @limit_pfn]; false if none.
 */
FUZZ_NO_COVERAGE
static bool model_fit(struct mdomain *d, unsigned long size, unsigned long align,
		      unsigned long floor_pfn, unsigned long limit_pfn, unsigned long *lo_pfn)
{
	unsigned long first, top, run_lo, run_hi, taken, lo;

	if (limit_pfn > d->top_pfn)
		limit_pfn = d->top_pfn;
	if (floor_pfn < S.base_pfn)
		floor_pfn = S.base_pfn;
	if (limit_pfn < floor_pfn || limit_pfn - floor_pfn + 1 < size || size > S.window)
		return false;
	/*
	 * Alignment is absolute; the window base is aligned to the window's
	 * size, a power of two, and @align is at most that (@size is), so
	 * window-relative pfns align alike.
	 */
	FUZZ_CHECK(!(S.base_pfn & (align - 1)), "harness: window base %#lx not aligned to %#lx",
		   S.base_pfn, align);
	first = rel(floor_pfn);
	top = rel(limit_pfn);
	/*
	 * The free runs from the top down: the highest fit is the highest
	 * aligned start in the first run (highest) that holds @size pfns
	 * from it; a run's pfns are all free, the pfn below it is used.
	 */
	for (;;) {
		if (!fuzz_bitmap_last_clear(d->used, first, top, &run_hi))
			return false;
		run_lo = fuzz_bitmap_last_set(d->used, first, run_hi, &taken) ? taken + 1 : first;
		if (run_hi - run_lo + 1 >= size) {
			lo = round_down(run_hi - size + 1, align);
			if (lo >= run_lo) {
				*lo_pfn = lo + S.base_pfn;
				return true;
			}
		}
		if (run_lo == first)
			return false;
		top = run_lo - 1;
	}
}

FUZZ_NO_COVERAGE
static void model_flush_all(struct mdomain *d)
{
	unsigned long i;

	for (i = 0; i < d->nr_slots; i++)
		if (d->ranges[i].used && d->ranges[i].cached)
			model_free(d, (int)i);
}

/* -- checking the implementation against the model ------------------------ */

FUZZ_NO_COVERAGE
static void check_domain(struct mdomain *d, const char *after)
{
	struct iosim_iova_stats stats;
	unsigned long i, before = fuzz_warns();

	if (d->broken)
		return;
	FUZZ_CHECK(iosim_iova_check(&d->iovad) == 0,
		   "tree-check: iosim_iova_check failed after %s: %s", after, fuzz_last_warn());
	fuzz_expect_warns(before, 0, "iosim_iova_check");
	iosim_iova_get_stats(&d->iovad, &stats);
	FUZZ_CHECK(stats.nr_ranges == d->nr_ranges,
		   "range-count: after %s the tree holds %lu ranges, the model %lu",
		   after, stats.nr_ranges, d->nr_ranges);
	FUZZ_CHECK(stats.nr_cached == d->nr_cached,
		   "cache-count: after %s the fast path holds %lu ranges, the model %lu",
		   after, stats.nr_cached, d->nr_cached);
	for (i = 0; i < d->nr_slots; i++) {
		struct mrange *r = &d->ranges[i];
		struct iova *found;

		if (!r->used)
			continue;
		found = find_iova(&d->iovad, r->lo_pfn);
		FUZZ_CHECK(found == r->iova && found->pfn_lo == r->lo_pfn &&
			   found->pfn_hi == r->hi_pfn,
			   "find: after %s find_iova(%#lx) gives %p [%#lx-%#lx], the model %p [%#lx-%#lx]",
			   after, r->lo_pfn, (void *)found, found ? found->pfn_lo : 0,
			   found ? found->pfn_hi : 0, (void *)r->iova, r->lo_pfn, r->hi_pfn);
	}
}

FUZZ_NO_COVERAGE
static void check_all(const char *after)
{
	unsigned int i;

	for (i = 0; i < NR_DOMAINS; i++)
		check_domain(&S.dom[i], after);
}

/* -- decoding --------------------------------------------------------------- */

static unsigned long get_size(struct fuzz_input *in)
{
	unsigned int kind = fuzz_get_choice(in, 16);
	unsigned long v = fuzz_get_u16(in);

	switch (kind) {
	case 0:
		return S.window + 1 + v % 8;			/* never fits */
	case 1:
		return (1UL << (BITS_PER_LONG - 1)) + v % 3;	/* alignment overflows */
	case 2:
		return ULONG_MAX - v % 2;
	case 3:
		return 1UL << (v % 13);
	case 4: case 5: case 6: case 7:
		return 1 + v % (CACHE_MAX_PFNS + 2);		/* the fast path's classes */
	default:
		return 1 + v % (S.window < 64 ? S.window : 64);
	}
}

static unsigned long get_limit(struct fuzz_input *in)
{
	unsigned int kind = fuzz_get_choice(in, 8);
	unsigned long v = fuzz_get_u16(in);

	switch (kind) {
	case 0:
		return ULONG_MAX;
	case 1:
		return S.base_pfn ? S.base_pfn - 1 : 0;
	default:
		return S.base_pfn + v % (S.window + S.window / 4 + 1);
	}
}

static unsigned long get_pfn(struct fuzz_input *in)
{
	return S.base_pfn + fuzz_get_u16(in) % S.window;
}

/* A pfn inside one of @d's ranges (or anywhere if it has none). */
static unsigned long get_range_pfn(struct fuzz_input *in, struct mdomain *d, bool first)
{
	unsigned int pick = fuzz_get_u16(in);
	unsigned int off = fuzz_get_u8(in);
	unsigned long i, n = 0;

	if (!d->nr_ranges)
		return S.base_pfn + pick % S.window;
	pick %= d->nr_ranges;
	for (i = 0; i < d->nr_slots; i++) {
		struct mrange *r = &d->ranges[i];

		if (!r->used || n++ != pick)
			continue;
		return first ? r->lo_pfn : r->lo_pfn + off % (r->hi_pfn - r->lo_pfn + 1);
	}
	return S.base_pfn;
}

static struct mrange *get_range(struct fuzz_input *in, struct mdomain *d)
{
	unsigned long pfn = get_range_pfn(in, d, true);
	int idx = model_owner(d, pfn);

	return idx == NO_RANGE ? NULL : &d->ranges[idx];
}

/* -- operations ------------------------------------------------------------- */

static void remember_all_stale(struct mdomain *d)
{
	unsigned long i;

	for (i = 0; i < d->nr_slots; i++)
		if (d->ranges[i].used)
			remember_stale(d->ranges[i].iova);
}

static void op_init(struct fuzz_input *in, struct mdomain *d, bool put_first)
{
	static const unsigned long granules[] = {
		PAGE_SIZE, PAGE_SIZE, PAGE_SIZE, PAGE_SIZE / 2, 512, 1,
		PAGE_SIZE * 2, PAGE_SIZE * 16, 3000, 0,
	};
	unsigned long granule = FUZZ_PICK(in, granules);
	unsigned long start_pfn = S.base_pfn + fuzz_get_u16(in) % S.window;
	unsigned long top_pfn = S.base_pfn + fuzz_get_u16(in) % S.window;
	unsigned long before;
	bool expect_warn, breaks;

	if (put_first) {
		before = fuzz_warns();
		put_iova_domain(&d->iovad);
		fuzz_expect_warns(before, 0, "put_iova_domain");
		remember_all_stale(d);
		model_reset(d);
	}

	before = fuzz_warns();
	init_iova_domain(&d->iovad, granule, start_pfn, top_pfn);
	if (!d->broken && d->nr_ranges) {
		/* Re-initialising a domain that holds ranges is refused. */
		fuzz_expect_warns(before, 1, "init_iova_domain on a domain holding ranges");
		return;
	}
	breaks = !is_power_of_2(granule);
	expect_warn = breaks || granule > PAGE_SIZE;
	fuzz_expect_warns(before, expect_warn, "init_iova_domain");
	d->broken = breaks;
	d->start_pfn = start_pfn;
	d->top_pfn = top_pfn;
	model_reset(d);
}

static void op_alloc(struct fuzz_input *in, struct mdomain *d)
{
	unsigned long size = get_size(in), limit_pfn = get_limit(in), lo_pfn = 0;
	bool aligned = fuzz_get_bool(in), fits;
	unsigned long before = fuzz_warns();
	struct iova *iova;

	if (fuzz_get_choice(in, 32) == 0)
		size = 0;
	iova = alloc_iova(&d->iovad, size, limit_pfn, aligned);
	fuzz_digest_add(iova ? &iova->pfn_lo : &size, sizeof(size));
	fuzz_digest_add(iova ? &iova->pfn_hi : &limit_pfn, sizeof(limit_pfn));
	if (d->broken) {
		FUZZ_CHECK(!iova, "broken-domain: alloc_iova succeeded on a refused domain");
		fuzz_expect_warns(before, 0, "alloc_iova on a refused domain");
		return;
	}
	if (!size) {
		FUZZ_CHECK(!iova, "misuse: alloc_iova of size 0 succeeded");
		fuzz_expect_warns(before, 1, "alloc_iova of size 0");
		return;
	}
	fuzz_expect_warns(before, 0, "alloc_iova");
	if (!iova && injected())
		return;		/* no struct iova: nothing changed */
	fits = !(aligned && size > (1UL << (BITS_PER_LONG - 1))) &&
	       model_fit(d, size, aligned ? roundup_pow_of_two(size) : 1, d->start_pfn,
			 limit_pfn, &lo_pfn);
	FUZZ_CHECK(!!iova == fits,
		   "alloc-fit: alloc_iova(size %#lx, limit %#lx, aligned %d) gave %p [%#lx-%#lx]; the model %s %#lx",
		   size, limit_pfn, aligned, (void *)iova, iova ? iova->pfn_lo : 0,
		   iova ? iova->pfn_hi : 0, fits ? "places it at" : "has no room:", lo_pfn);
	if (!iova)
		return;
	FUZZ_CHECK(iova->pfn_lo == lo_pfn && iova->pfn_hi == lo_pfn + size - 1,
		   "alloc-fit: alloc_iova(size %#lx, limit %#lx, aligned %d) placed [%#lx-%#lx], the highest fit is at %#lx",
		   size, limit_pfn, aligned, iova->pfn_lo, iova->pfn_hi, lo_pfn);
	model_new_range(d, iova->pfn_lo, iova->pfn_hi, iova);
}

/* Is @pfn a cached range of class @order that the fast path may hand to this CPU? */
static struct mrange *model_cache_candidate(struct mdomain *d, unsigned long pfn,
					    unsigned int order, unsigned long floor_pfn,
					    unsigned long limit_pfn)
{
	int idx = model_owner(d, pfn);
	struct mrange *r;

	if (idx == NO_RANGE)
		return NULL;
	r = &d->ranges[idx];
	if (!r->cached || r->lo_pfn != pfn || range_class(r) != order ||
	    r->hi_pfn - r->lo_pfn + 1 != (1UL << order))
		return NULL;
	if (pfn < floor_pfn || r->hi_pfn > limit_pfn)
		return NULL;
	if (!d->depot_maybe_used && r->cpu != S.cpu)
		return NULL;
	return r;
}

static unsigned long do_alloc_fast(struct mdomain *d, unsigned long size, unsigned long limit_pfn)
{
	unsigned long floor_pfn = max(d->start_pfn, 1UL), eff_limit = min(limit_pfn, d->top_pfn);
	unsigned long before = fuzz_warns(), lo_pfn = 0, pfn, flushes_before, flushes, asize;
	struct mrange *hit;
	bool cacheable, fits;
	unsigned int order = 0;
	int idx;

	flushes_before = iosim_iova_rcache_flushes(&d->iovad);
	pfn = alloc_iova_fast(&d->iovad, size, limit_pfn);
	fuzz_digest_add(&pfn, sizeof(pfn));
	if (d->broken) {
		FUZZ_CHECK(!pfn, "broken-domain: alloc_iova_fast succeeded on a refused domain");
		fuzz_expect_warns(before, 0, "alloc_iova_fast on a refused domain");
		return 0;
	}
	if (!size) {
		FUZZ_CHECK(!pfn, "misuse: alloc_iova_fast of size 0 succeeded");
		fuzz_expect_warns(before, 1, "alloc_iova_fast of size 0");
		return 0;
	}
	fuzz_expect_warns(before, 0, "alloc_iova_fast");
	if (size > (1UL << (BITS_PER_LONG - 1))) {
		FUZZ_CHECK(!pfn, "alloc-fit: alloc_iova_fast of %#lx pfns succeeded", size);
		return 0;
	}
	cacheable = size <= CACHE_MAX_PFNS;
	if (cacheable) {
		order = (unsigned int)order_base_2(size);
		size = 1UL << order;
	}

	/*
	 * A cache hit: a range the fast path holds for this CPU, inside the
	 * limits.  A hit never flushes: after a flush the pfn may be one the
	 * caches held, but the tree handed it out again with a new struct iova
	 * (a pop scans only the loaded magazine, so a range cached in "prev"
	 * can be flushed and reallocated by the same call).
	 */
	flushes = iosim_iova_rcache_flushes(&d->iovad);
	if (cacheable && pfn && flushes == flushes_before) {
		hit = model_cache_candidate(d, pfn, order, floor_pfn, eff_limit);
		if (hit) {
			model_uncache(d, hit);
			return pfn;
		}
	}

	/* Otherwise the tree's highest aligned fit, after a full flush if it took one. */
	if (injected() && !pfn) {
		/* A struct iova could not be had (twice, around a flush). */
		if (flushes != flushes_before)
			model_flush_all(d);
		return 0;
	}
	FUZZ_CHECK(flushes - flushes_before <= 1,
		   "fast-flush: alloc_iova_fast flushed the caches %lu times",
		   flushes - flushes_before);
	asize = roundup_pow_of_two(size);
	fits = model_fit(d, size, asize, floor_pfn, limit_pfn, &lo_pfn);
	if (flushes != flushes_before) {
		/* Under injection the first try may fail for want of a struct iova. */
		FUZZ_CHECK(!fits || injected(), "fast-flush: alloc_iova_fast flushed the caches although the tree had room at %#lx",
			   lo_pfn);
		model_flush_all(d);
		fits = model_fit(d, size, asize, floor_pfn, limit_pfn, &lo_pfn);
	} else {
		FUZZ_CHECK(fits || pfn, "fast-flush: alloc_iova_fast failed without flushing the caches");
	}
	FUZZ_CHECK(pfn == (fits ? lo_pfn : 0),
		   "alloc-fast-fit: alloc_iova_fast(size %#lx, limit %#lx) on cpu %u gave %#lx; the model: %s %#lx (cached ranges %lu)",
		   size, limit_pfn, S.cpu, pfn,
		   fits ? "tree fit at" : "no room, or a cached range of this CPU; tree fit",
		   lo_pfn, d->nr_cached);
	if (!pfn)
		return 0;
	idx = model_new_range(d, pfn, pfn + size - 1, find_iova(&d->iovad, pfn));
	FUZZ_CHECK(d->ranges[idx].iova,
		   "find: find_iova(%#lx) misses a range alloc_iova_fast returned", pfn);
	return pfn;
}

static void op_alloc_fast(struct fuzz_input *in, struct mdomain *d)
{
	unsigned long size = get_size(in), limit_pfn = get_limit(in);

	if (fuzz_get_choice(in, 32) == 0)
		size = 0;
	do_alloc_fast(d, size, limit_pfn);
}

/* free_iova() semantics in the model: WARNs expected. */
static unsigned long model_free_iova(struct mdomain *d, unsigned long pfn)
{
	int idx = model_owner(d, pfn);

	if (idx == NO_RANGE)
		return 1;	/* "not allocated" */
	if (d->ranges[idx].cached)
		return 1;	/* "already freed with free_iova_fast()" */
	model_free(d, idx);
	return 0;
}

static void op_free_iova(struct fuzz_input *in, struct mdomain *d)
{
	unsigned long pfn = fuzz_get_bool(in) ? get_pfn(in) : get_range_pfn(in, d, false);
	unsigned long before = fuzz_warns(), warns;

	free_iova(&d->iovad, pfn);
	if (d->broken) {
		fuzz_expect_warns(before, 0, "free_iova on a refused domain");
		return;
	}
	warns = model_free_iova(d, pfn);
	fuzz_expect_warns(before, warns, "free_iova");
}

static void do_free_fast(struct mdomain *d, unsigned long pfn, unsigned long size)
{
	unsigned long before = fuzz_warns(), warns = 0, range_size;
	unsigned int order;
	struct mrange *r;
	int idx;

	free_iova_fast(&d->iovad, pfn, size);
	if (d->broken) {
		fuzz_expect_warns(before, 0, "free_iova_fast on a refused domain");
		return;
	}
	if (!size) {
		fuzz_expect_warns(before, 1, "free_iova_fast of size 0");
		return;
	}
	order = size <= CACHE_MAX_PFNS ? (unsigned int)order_base_2(size) : BITS_PER_LONG;
	if (order >= CACHE_CLASSES || !pfn || (pfn & ((1UL << order) - 1))) {
		fuzz_expect_warns(before, model_free_iova(d, pfn), "free_iova_fast (uncacheable)");
		return;
	}
	idx = model_owner(d, pfn);
	if (idx == NO_RANGE) {
		fuzz_expect_warns(before, 1, "free_iova_fast of a free pfn");
		return;
	}
	r = &d->ranges[idx];
	if (r->cached) {
		fuzz_expect_warns(before, 1, "free_iova_fast twice");
		return;
	}
	range_size = r->hi_pfn - r->lo_pfn + 1;
	if (r->lo_pfn == pfn && range_size == (1UL << order)) {
		model_cache(d, r);
		/* No magazine could be had: the range went back to the tree. */
		if (injected() && !find_iova(&d->iovad, pfn))
			model_free(d, idx);
	} else {
		warns = r->lo_pfn != pfn || range_size != size;
		model_free(d, idx);
	}
	fuzz_expect_warns(before, warns, "free_iova_fast");
}

static void op_free_fast(struct fuzz_input *in, struct mdomain *d)
{
	unsigned int kind = fuzz_get_choice(in, 8);
	struct mrange *r = get_range(in, d);
	unsigned long pfn, size;

	if (!r || kind == 0) {
		pfn = get_pfn(in);
		size = get_size(in);
	} else {
		pfn = r->lo_pfn;
		size = r->hi_pfn - r->lo_pfn + 1;
		if (kind == 1 && size > 1)
			size -= fuzz_get_u8(in) % size;	/* what the caller asked, maybe */
		else if (kind == 2)
			size = get_size(in);
	}
	do_free_fast(d, pfn, size);
}

/* Allocate a batch from the fast path, then free it: fills the magazines. */
static void op_fast_batch(struct fuzz_input *in, struct mdomain *d)
{
	unsigned long pfns[MAX_BATCH];
	unsigned int i, n = fuzz_get_u8(in);
	unsigned long size = 1 + fuzz_get_u8(in) % CACHE_MAX_PFNS;
	unsigned long limit_pfn = get_limit(in);
	bool keep_some = fuzz_get_bool(in);

	/* Mostly up to 64; sometimes enough to fill two magazines and reach the depot. */
	n = n & 0x80 ? 1 + n % MAX_BATCH : 1 + n % 64;
	for (i = 0; i < n; i++) {
		pfns[i] = do_alloc_fast(d, size, limit_pfn);
		if (!pfns[i])
			break;
	}
	n = i;
	for (i = 0; i < n; i++) {
		if (keep_some && (i & 3) == 0)
			continue;
		do_free_fast(d, pfns[i], size);
	}
}

static void op_free_ptr(struct fuzz_input *in, struct mdomain *d, struct mdomain *other)
{
	unsigned int kind = fuzz_get_choice(in, 4);
	struct iova *iova = NULL;
	unsigned long before;
	struct mrange *r;

	if (kind == 0 && S.nr_stale) {
		iova = S.stale[fuzz_get_u8(in) % min(S.nr_stale, (unsigned int)NR_STALE)];
	} else if (kind == 1 && other->nr_ranges && (r = get_range(in, other)))
		iova = r->iova;
	else if ((r = get_range(in, d)))
		iova = r->iova;
	if (!iova)
		return;

	before = fuzz_warns();
	__free_iova(&d->iovad, iova);
	if (d->broken) {
		fuzz_expect_warns(before, 0, "__free_iova on a refused domain");
		return;
	}
	r = model_find_ptr(d, iova);
	if (r && !r->cached) {
		fuzz_expect_warns(before, 0, "__free_iova");
		model_free(d, (int)(r - d->ranges));
		return;
	}
	/* A stale pointer, another domain's iova, or one the fast path holds. */
	fuzz_expect_warns(before, 1, "__free_iova misuse");
}

/*
 * reserve_iova() in the model: ranges the request overlaps grow down to
 * cover the free pfns below them; a new range covers what is left above.
 * Return the index of the range covering @hi_pfn, or NO_RANGE if a new one
 * is needed (then *@new_lo_pfn is where it starts).
 */
static int model_reserve_plan(struct mdomain *d, unsigned long lo_pfn, unsigned long hi_pfn,
			      unsigned long *new_lo_pfn)
{
	unsigned long p = lo_pfn, cursor = lo_pfn;

	for (;;) {
		int idx = model_owner(d, p);

		if (idx != NO_RANGE) {
			struct mrange *r = &d->ranges[idx];

			if (cursor < r->lo_pfn)
				model_set_bounds(d, idx, cursor, r->hi_pfn);
			if (hi_pfn <= r->hi_pfn)
				return idx;
			cursor = r->hi_pfn + 1;
			p = cursor;
			continue;
		}
		if (p == hi_pfn)
			break;
		p++;
	}
	*new_lo_pfn = cursor;
	return NO_RANGE;
}

static void do_reserve(struct mdomain *d, unsigned long lo_pfn, unsigned long hi_pfn)
{
	unsigned long before = fuzz_warns(), new_lo_pfn = 0;
	struct iova *iova;
	int idx;

	iova = reserve_iova(&d->iovad, lo_pfn, hi_pfn);
	if (d->broken) {
		FUZZ_CHECK(!iova, "broken-domain: reserve_iova succeeded on a refused domain");
		fuzz_expect_warns(before, 0, "reserve_iova on a refused domain");
		return;
	}
	if (lo_pfn > hi_pfn) {
		FUZZ_CHECK(!iova, "misuse: reserve_iova of an empty range succeeded");
		fuzz_expect_warns(before, 1, "reserve_iova of an empty range");
		return;
	}
	fuzz_expect_warns(before, 0, "reserve_iova");
	/* Cached ranges go back to the tree first. */
	if (d->nr_cached)
		model_flush_all(d);
	if (!iova && injected())
		return;		/* no struct iova for the new range: nothing else changed */
	FUZZ_CHECK(iova, "reserve: reserve_iova(%#lx, %#lx) failed", lo_pfn, hi_pfn);
	idx = model_reserve_plan(d, lo_pfn, hi_pfn, &new_lo_pfn);
	if (idx == NO_RANGE) {
		FUZZ_CHECK(!model_find_ptr(d, iova),
			   "reserve: reserve_iova(%#lx, %#lx) returned an existing range, the model a new one",
			   lo_pfn, hi_pfn);
		FUZZ_CHECK(iova->pfn_lo == new_lo_pfn && iova->pfn_hi == hi_pfn,
			   "reserve: reserve_iova(%#lx, %#lx) made [%#lx-%#lx], the model [%#lx-%#lx]",
			   lo_pfn, hi_pfn, iova->pfn_lo, iova->pfn_hi, new_lo_pfn, hi_pfn);
		model_new_range(d, new_lo_pfn, hi_pfn, iova);
	} else {
		FUZZ_CHECK(iova == d->ranges[idx].iova,
			   "reserve: reserve_iova(%#lx, %#lx) returned %p, the model's covering range is %p",
			   lo_pfn, hi_pfn, (void *)iova, (void *)d->ranges[idx].iova);
	}
}

static void op_reserve(struct fuzz_input *in, struct mdomain *d)
{
	unsigned long lo_pfn = get_pfn(in);
	unsigned long hi_pfn = fuzz_get_choice(in, 4) ? lo_pfn + fuzz_get_u8(in) % 32 : get_pfn(in);

	if (!in_window(hi_pfn))
		hi_pfn = S.base_pfn + S.window - 1;
	do_reserve(d, lo_pfn, hi_pfn);
}

static void op_find(struct fuzz_input *in, struct mdomain *d)
{
	unsigned long pfn = fuzz_get_bool(in) ? get_pfn(in) : get_range_pfn(in, d, false);
	unsigned long before = fuzz_warns();
	struct iova *iova = find_iova(&d->iovad, pfn);
	int idx = model_owner(d, pfn);

	fuzz_expect_warns(before, 0, "find_iova");
	if (d->broken) {
		FUZZ_CHECK(!iova, "broken-domain: find_iova found something in a refused domain");
		return;
	}
	FUZZ_CHECK(iova == (idx == NO_RANGE ? NULL : d->ranges[idx].iova),
		   "find: find_iova(%#lx) gives %p, the model %p", pfn, (void *)iova,
		   idx == NO_RANGE ? NULL : (void *)d->ranges[idx].iova);
}

static void op_split(struct fuzz_input *in, struct mdomain *d)
{
	struct mrange *r = get_range(in, d);
	unsigned long lo_pfn, hi_pfn, before, prev_lo, next_hi;
	struct iova *iova;
	bool misuse;

	if (!r)
		return;
	lo_pfn = r->lo_pfn + (fuzz_get_u8(in) % (r->hi_pfn - r->lo_pfn + 3)) - 1;
	hi_pfn = r->lo_pfn + (fuzz_get_u8(in) % (r->hi_pfn - r->lo_pfn + 3)) - 1;
	if (!in_window(lo_pfn))
		lo_pfn = r->lo_pfn;
	if (!in_window(hi_pfn))
		hi_pfn = r->hi_pfn;
	before = fuzz_warns();
	iova = split_and_remove_iova(&d->iovad, r->iova, lo_pfn, hi_pfn);
	if (d->broken) {
		FUZZ_CHECK(!iova, "broken-domain: split_and_remove_iova succeeded");
		return;
	}
	misuse = lo_pfn > hi_pfn || r->cached || hi_pfn < r->lo_pfn || lo_pfn > r->hi_pfn;
	if (misuse) {
		FUZZ_CHECK(!iova, "misuse: split_and_remove_iova(%#lx, %#lx) of [%#lx-%#lx] succeeded",
			   lo_pfn, hi_pfn, r->lo_pfn, r->hi_pfn);
		fuzz_expect_warns(before, 1, "split_and_remove_iova misuse");
		return;
	}
	fuzz_expect_warns(before, 0, "split_and_remove_iova");
	if (!iova && injected())
		return;		/* no struct iova for the remaining parts: nothing changed */
	FUZZ_CHECK(iova == r->iova, "split: split_and_remove_iova returned %p, not the iova %p",
		   (void *)iova, (void *)r->iova);
	prev_lo = r->lo_pfn;
	next_hi = r->hi_pfn;
	lo_pfn = max(lo_pfn, r->lo_pfn);
	hi_pfn = min(hi_pfn, r->hi_pfn);
	FUZZ_CHECK(iova->pfn_lo == lo_pfn && iova->pfn_hi == hi_pfn,
		   "split: the removed part is [%#lx-%#lx], the model [%#lx-%#lx]",
		   iova->pfn_lo, iova->pfn_hi, lo_pfn, hi_pfn);
	/* The removed part is detached: the model drops the range, keeps the rest. */
	model_free(d, (int)(r - d->ranges));
	before = fuzz_warns();
	free_iova_mem(iova);
	fuzz_expect_warns(before, 0, "free_iova_mem of a split-off part");
	if (prev_lo < lo_pfn) {
		struct iova *prev = find_iova(&d->iovad, prev_lo);

		FUZZ_CHECK(prev, "split: the part below [%#lx-%#lx] is gone", lo_pfn, hi_pfn);
		model_new_range(d, prev_lo, lo_pfn - 1, prev);
	}
	if (next_hi > hi_pfn) {
		struct iova *next = find_iova(&d->iovad, next_hi);

		FUZZ_CHECK(next, "split: the part above [%#lx-%#lx] is gone", lo_pfn, hi_pfn);
		model_new_range(d, hi_pfn + 1, next_hi, next);
	}
}

/* The model's ranges of @d in pfn order, cached ones included (the tree holds them). */
FUZZ_NO_COVERAGE
static unsigned long model_ranges_in_order(const struct mdomain *d, unsigned long *lo,
					   unsigned long *hi)
{
	unsigned long n = 0, p = 0;

	while (p < S.window && fuzz_bitmap_first_set(d->starts, p, S.window - 1, &p)) {
		const struct mrange *r = &d->ranges[d->start_owner[p]];

		lo[n] = r->lo_pfn;
		hi[n++] = r->hi_pfn;
		p = rel(r->hi_pfn) + 1;
	}
	return n;
}

static void op_copy_reserved(struct mdomain *from, struct mdomain *to)
{
	unsigned long lo[MAX_WINDOW], hi[MAX_WINDOW], n, i;
	unsigned long before = fuzz_warns();

	if (from->broken || to->broken) {
		copy_reserved_iova(&from->iovad, &to->iovad);
		fuzz_expect_warns(before, 0, "copy_reserved_iova with a refused domain");
		return;
	}
	n = model_ranges_in_order(from, lo, hi);
	/* Which reservations a failure would skip is not modelled: no injection here. */
	iosim_fault_reset();
	S.injected = 0;
	copy_reserved_iova(&from->iovad, &to->iovad);
	fuzz_expect_warns(before, 0, "copy_reserved_iova");
	for (i = 0; i < n; i++) {
		unsigned long new_lo_pfn;
		int idx;

		if (to->nr_cached)
			model_flush_all(to);
		idx = model_reserve_plan(to, lo[i], hi[i], &new_lo_pfn);
		if (idx == NO_RANGE) {
			struct iova *iova = find_iova(&to->iovad, hi[i]);

			FUZZ_CHECK(iova && iova->pfn_lo == new_lo_pfn && iova->pfn_hi == hi[i],
				   "reserve: copy_reserved_iova did not reserve [%#lx-%#lx]",
				   new_lo_pfn, hi[i]);
			model_new_range(to, new_lo_pfn, hi[i], iova);
		}
	}
}

static void op_cpu_flush(struct fuzz_input *in, struct mdomain *d)
{
	unsigned int cpu = fuzz_get_u8(in) % NR_FUZZ_CPUS;
	unsigned long i, before = fuzz_warns();
	bool strict = !d->depot_maybe_used;
	bool was_on[MAX_WINDOW];

	for (i = 0; i < d->nr_slots; i++)
		was_on[i] = d->ranges[i].used && d->ranges[i].cached && d->ranges[i].cpu == cpu;
	free_cpu_cached_iovas(cpu, &d->iovad);
	fuzz_expect_warns(before, 0, "free_cpu_cached_iovas");
	if (d->broken)
		return;
	for (i = 0; i < d->nr_slots; i++) {
		struct mrange *r = &d->ranges[i];
		bool gone;

		if (!r->used || !r->cached)
			continue;
		gone = !find_iova(&d->iovad, r->lo_pfn);
		if (strict)
			FUZZ_CHECK(gone == was_on[i],
				   "cpu-flush: free_cpu_cached_iovas(%u) %s range [%#lx-%#lx] cached by cpu %u",
				   cpu, gone ? "freed" : "kept", r->lo_pfn, r->hi_pfn, r->cpu);
		if (gone)
			model_free(d, (int)i);
	}
}

static void op_flush_all(struct fuzz_input *in, struct mdomain *d)
{
	unsigned long before = fuzz_warns();

	/* Re-enabling the (default) checks empties the caches too. */
	if (fuzz_get_bool(in))
		iosim_iova_set_fast_checks(&d->iovad, true);
	else
		iosim_iova_rcache_flush(&d->iovad);
	fuzz_expect_warns(before, 0, "iosim_iova_rcache_flush");
	if (!d->broken)
		model_flush_all(d);
}

/* -- the entry point ---------------------------------------------------------- */

static void domains_teardown(void)
{
	unsigned long before = fuzz_warns();
	unsigned int i;

	for (i = 0; i < NR_DOMAINS; i++) {
		put_iova_domain(&S.dom[i].iovad);
		model_reset(&S.dom[i]);
	}
	fuzz_expect_warns(before, 0, "put_iova_domain");
	FUZZ_CHECK(iosim_iova_nr_live() == 0, "leak: %lu struct iova alive after put_iova_domain",
		   iosim_iova_nr_live());
	iova_cache_put();
	fuzz_expect_warns(before, 0, "iova_cache_put");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned long windows[] = { 64, 16, 512, 4096 };
	const struct iosim_ram_config ram = {
		.base_phys = IOSIM_RAM_DEFAULT_BASE_PHYS, .size_bytes = 512 * PAGE_SIZE,
	};
	struct fuzz_input in;
	unsigned int i, nr_ops = 0;
	unsigned int base_kind;

	fuzz_begin();
	fuzz_input_init(&in, data, size);
	/*
	 * The model's arrays are most of S (about 420 KiB): the last input's
	 * slots are cleared here and model_reset() clears the window's bitmaps; the rest
	 * of S is zeroed, each iova_domain (26 KiB) once, below, before its
	 * init_iova_domain().
	 */
	for (i = 0; i < NR_DOMAINS; i++) {
		struct mdomain *d = &S.dom[i];
		unsigned long slot;

		for (slot = 0; slot < d->nr_slots; slot++)
			d->ranges[slot] = (struct mrange){ .used = false };
		memset(&d->broken, 0, offsetof(struct mdomain, used) - offsetof(struct mdomain, broken));
		d->nr_ranges = d->nr_cached = d->nr_slots = 0;
		memset(d->nr_cached_on, 0, sizeof(d->nr_cached_on));
		d->depot_maybe_used = false;
	}
	memset(&S, 0, offsetof(struct fuzz_state, dom));
	memset(S.stale, 0, sizeof(S.stale));
	S.nr_stale = 0;
	S.injected = 0;
	S.window = FUZZ_PICK(&in, windows);
	base_kind = fuzz_get_choice(&in, 3);
	S.base_pfn = base_kind == 0 ? 0 : base_kind == 1 ? 1UL << 32 : ULONG_MAX - S.window + 1;
	S.cpu = 0;
	iosim_iova_set_cpu(0);

	/*
	 * struct iovas and magazines come from slab pages of simulated RAM,
	 * reset after every input: a stale pointer is handed out again (or
	 * not) the same way whatever ran before.  With the host heap, whether
	 * a stale pointer is a live range again depended on earlier inputs.
	 */
	fuzz_ram_get(&ram, false);
	FUZZ_CHECK(iova_cache_get() == 0, "harness: iova_cache_get failed");
	for (i = 0; i < NR_DOMAINS; i++) {
		memset(&S.dom[i].iovad, 0, sizeof(S.dom[i].iovad));
		model_reset(&S.dom[i]);
		op_init(&in, &S.dom[i], false);
	}
	check_all("init");

	while (!fuzz_input_done(&in) && nr_ops++ < MAX_OPS) {
		unsigned int op = fuzz_get_u8(&in);
		unsigned int which = (op >> 5) & 1;

		S.injected = iosim_fault_injected();
		struct mdomain *d = &S.dom[which], *other = &S.dom[!which];
		const char *name;

		switch (op % 16) {
		case 0: case 1:
			name = "alloc_iova";
			op_alloc(&in, d);
			break;
		case 2: case 3:
			name = "alloc_iova_fast";
			op_alloc_fast(&in, d);
			break;
		case 4:
			name = "__free_iova";
			op_free_ptr(&in, d, other);
			break;
		case 5:
			name = "free_iova";
			op_free_iova(&in, d);
			break;
		case 6:
			name = "free_iova_fast";
			op_free_fast(&in, d);
			break;
		case 7:
			name = "reserve_iova";
			op_reserve(&in, d);
			break;
		case 8:
			name = "find_iova";
			op_find(&in, d);
			break;
		case 9:
			name = "split_and_remove_iova";
			op_split(&in, d);
			break;
		case 10:
			name = "copy_reserved_iova";
			op_copy_reserved(other, d);
			break;
		case 11:
			name = "free_cpu_cached_iovas";
			op_cpu_flush(&in, d);
			break;
		case 12:
			if (op & 0x40) {
				/* Fail the n-th allocation from now (struct iova, magazines). */
				name = "fault injection";
				iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB),
						     1 + fuzz_get_u8(&in) % 8);
				break;
			}
			name = "set_cpu";
			S.cpu = fuzz_get_u8(&in) % NR_FUZZ_CPUS;
			iosim_iova_set_cpu(S.cpu);
			break;
		case 13:
			name = "fast batch";
			op_fast_batch(&in, d);
			break;
		case 14:
			name = "rcache flush";
			op_flush_all(&in, d);
			break;
		default:
			name = "init";
			op_init(&in, d, fuzz_get_choice(&in, 4) != 0);
			break;
		}
		check_all(name);
	}

	iosim_fault_reset();
	domains_teardown();
	fuzz_end(fuzz_ram_put());
	return 0;
}
