// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * iova_bench - nanoseconds per operation of the IOVA allocator.
 *
 *  1. the fast path: alloc_iova_fast() + free_iova_fast() pairs, checked
 *     (the default) and trusting the caller (the kernel's behaviour);
 *  2. the tree: alloc_iova() + __free_iova() pairs with 1K, 100K and 1M
 *     live ranges around holes of random sizes;
 *  3. the fragmented worst case: every other granule taken, a request that
 *     fits only at the bottom, in a 32-bit space (512K live ranges) and in
 *     a 33-bit one (1M live ranges);
 *  4. contention: 1, 2, 4, ... threads (up to --max-threads) on one domain,
 *     through the fast path (1 granule; and 64, above the caches, so the
 *     tree) and through alloc_iova()/__free_iova(), in total Mpairs/s, after
 *     a control row of thread-private work that shows how many CPUs the
 *     threads actually got (the scaling any row can show at best), and the
 *     time a cache line takes from one core to another and back, the cost
 *     every hand-over of a lock and of the data it guards pays.
 *
 * Each tree measurement is repeated with REFERENCE, a linear walk written
 * here after the 2015 kernel's __alloc_and_insert_iova_range() (start at the
 * cached 32-bit node or the last node, step to the previous node until the
 * gap below the limit fits), on the same ranges, so the ratio shows.  Both
 * allocate their nodes from the same counting slab.
 *
 * Not a test: timings vary with the machine.  Run: meson compile -C <build>
 * bench-iova (or meson test -C <build> --benchmark --suite iova), or the
 * executable with section names to run only those:
 *   iova_bench [fast] [tree] [frag] [threads] [--pairs N] [--live N]
 *              [--window W] [--max-threads N] [--seconds S] [--rows MASK]
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/iova.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <iosim/iova.h>

static unsigned long long bench_rng = 0x1234567;

static unsigned long rnd(unsigned long n)
{
	bench_rng ^= bench_rng >> 12;
	bench_rng ^= bench_rng << 25;
	bench_rng ^= bench_rng >> 27;
	return (unsigned long)((bench_rng * 0x2545f4914f6cdd1dULL) >> 11) % n;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ---- REFERENCE: the 2015 kernel's linear walk, for comparison only ---- */

struct ref_iova {
	RB_ENTRY(ref_iova) node;
	unsigned long pfn_lo, pfn_hi;
};

RB_HEAD(ref_tree, ref_iova);

struct ref_domain {
	struct ref_tree root;
	struct ref_iova *cached32;	/* the last node allocated below dma_32bit_pfn */
	unsigned long start_pfn, dma_32bit_pfn;
	struct kmem_cache *cache;
};

static inline int ref_cmp(struct ref_iova *a, struct ref_iova *b)
{
	return a->pfn_lo < b->pfn_lo ? -1 : a->pfn_lo > b->pfn_lo;
}

#ifndef __unused
#define __unused __attribute__((__unused__))
#endif
RB_GENERATE_STATIC(ref_tree, ref_iova, node, ref_cmp)

static void ref_init(struct ref_domain *d, unsigned long start_pfn, unsigned long top_pfn)
{
	RB_INIT(&d->root);
	d->cached32 = NULL;
	d->start_pfn = start_pfn;
	d->dma_32bit_pfn = top_pfn;
	d->cache = kmem_cache_create("ref_iova", sizeof(struct ref_iova), 0, 0, NULL);
}

static struct ref_iova *ref_insert(struct ref_domain *d, unsigned long lo, unsigned long hi)
{
	struct ref_iova *n = kmem_cache_alloc(d->cache, GFP_ATOMIC);

	n->pfn_lo = lo;
	n->pfn_hi = hi;
	RB_INSERT(ref_tree, &d->root, n);
	return n;
}

/* Walk down from the cached node (or the top), gap by gap, as 2015 did. */
static struct ref_iova *ref_alloc(struct ref_domain *d, unsigned long size,
				  unsigned long limit_pfn, bool size_aligned)
{
	unsigned long saved_pfn = limit_pfn, pad = 0;
	struct ref_iova *curr;

	if (limit_pfn != d->dma_32bit_pfn || !d->cached32) {
		curr = RB_MAX(ref_tree, &d->root);
	} else {
		curr = RB_PREV(ref_tree, &d->root, d->cached32);
		limit_pfn = d->cached32->pfn_lo - 1;
	}
	for (; curr; curr = RB_PREV(ref_tree, &d->root, curr)) {
		if (limit_pfn < curr->pfn_lo)
			continue;
		if (limit_pfn >= curr->pfn_hi) {
			if (size_aligned)
				pad = (limit_pfn + 1 - size) & (roundup_pow_of_two(size) - 1);
			if (curr->pfn_hi + size + pad <= limit_pfn)
				break;
		}
		limit_pfn = curr->pfn_lo ? curr->pfn_lo - 1 : 0;
	}
	if (!curr) {
		if (size_aligned)
			pad = (limit_pfn + 1 - size) & (roundup_pow_of_two(size) - 1);
		if (d->start_pfn + size + pad > limit_pfn)
			return NULL;
	}
	curr = ref_insert(d, limit_pfn - (size + pad) + 1, limit_pfn - pad);
	if (saved_pfn == d->dma_32bit_pfn)
		d->cached32 = curr;
	return curr;
}

static void ref_free(struct ref_domain *d, struct ref_iova *n)
{
	if (d->cached32 && n->pfn_lo >= d->cached32->pfn_lo) {
		struct ref_iova *next = RB_NEXT(ref_tree, &d->root, n);

		d->cached32 = next && next->pfn_lo < d->dma_32bit_pfn ? next : NULL;
	}
	RB_REMOVE(ref_tree, &d->root, n);
	kmem_cache_free(d->cache, n);
}

static void ref_destroy(struct ref_domain *d)
{
	struct ref_iova *n;

	while ((n = RB_MIN(ref_tree, &d->root)) != NULL) {
		RB_REMOVE(ref_tree, &d->root, n);
		kmem_cache_free(d->cache, n);
	}
	kmem_cache_destroy(d->cache);
}

/* ---- the measurements ---------------------------------------------------- */

/* Pairs per fast-path figure; --pairs N overrides (e.g. for callgrind). */
static unsigned long fast_pairs = 20000000;

static void bench_fast_path(bool checks, unsigned long size)
{
	struct iova_domain iovad = { 0 };
	unsigned long i, n = fast_pairs, sink = 0;
	double t0, t1;

	init_iova_domain(&iovad, 4096, 1, (1UL << 20) - 1);
	iosim_iova_set_fast_checks(&iovad, checks);
	for (i = 0; i < 1000; i++)	/* warm the magazines */
		free_iova_fast(&iovad, alloc_iova_fast(&iovad, size, ULONG_MAX), size);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		unsigned long pfn = alloc_iova_fast(&iovad, size, ULONG_MAX);

		sink += pfn;
		free_iova_fast(&iovad, pfn, size);
	}
	t1 = now_ns();
	printf("fast path alloc+free, %2lu granule(s), %-9s %8.1f ns/pair\n", size,
	       checks ? "checked:" : "trusting:", (t1 - t0) / n);
	put_iova_domain(&iovad);
	if (!sink)
		printf("(no allocation succeeded)\n");
}

/*
 * 2 * @nr_live ranges of 1..16 granules allocated top-down, every other one
 * freed: @nr_live ranges around holes.  Then @nr_ops allocations of 1..8
 * granules, each freed @window allocations later (1: at once, the pair the
 * parked range serves; more: a driver with requests in flight, where every
 * allocation links the one before it into the tree).
 */
static void bench_tree(unsigned long nr_live, unsigned long nr_ops, unsigned long window)
{
	const unsigned long top_pfn = (1UL << 26) - 1;
	struct iova_domain *iovad = calloc(1, sizeof(*iovad));
	struct iova **held = calloc(2 * nr_live, sizeof(*held));
	unsigned long *sizes = malloc(nr_ops * sizeof(*sizes));
	struct iova **ring = calloc(window, sizeof(*ring));
	struct ref_iova **ref_ring = calloc(window, sizeof(*ref_ring));
	unsigned long i, failed = 0;
	struct ref_domain ref;
	double ours, theirs, t0;

	init_iova_domain(iovad, 4096, 1, top_pfn);
	ref_init(&ref, 1, top_pfn);
	for (i = 0; i < 2 * nr_live; i++)
		held[i] = alloc_iova(iovad, 1 + rnd(16), top_pfn, true);
	for (i = 0; i < 2 * nr_live; i += 2)
		__free_iova(iovad, held[i]);
	/* The reference gets the same ranges. */
	for (i = 1; i < 2 * nr_live; i += 2)
		ref_insert(&ref, held[i]->pfn_lo, held[i]->pfn_hi);
	for (i = 0; i < nr_ops; i++)
		sizes[i] = 1 + rnd(8);

	t0 = now_ns();
	for (i = 0; i < nr_ops; i++) {
		struct iova **slot = &ring[i % window];

		if (*slot)
			__free_iova(iovad, *slot);
		*slot = alloc_iova(iovad, sizes[i], top_pfn, true);
		failed += !*slot;
	}
	ours = (now_ns() - t0) / nr_ops;
	t0 = now_ns();
	for (i = 0; i < nr_ops; i++) {
		struct ref_iova **slot = &ref_ring[i % window];

		if (*slot)
			ref_free(&ref, *slot);
		*slot = ref_alloc(&ref, sizes[i], top_pfn, true);
		failed += !*slot;
	}
	theirs = (now_ns() - t0) / nr_ops;
	printf("tree alloc+free, %7lu live, %3lu in flight: %8.1f ns/pair   REFERENCE %8.1f ns/pair%s\n",
	       nr_live, window, ours, theirs, failed ? "   (SOME ALLOCATIONS FAILED)" : "");

	put_iova_domain(iovad);
	ref_destroy(&ref);
	free(iovad);
	free(held);
	free(sizes);
	free(ring);
	free(ref_ring);
}

/*
 * Every other granule of [bottom_pfn, top_pfn] taken; [1, bottom_pfn) free.
 * A 2-granule request fits only at the bottom.  The kernel's walk visits
 * every range; the augmented tree goes straight down.
 */
static void bench_fragmented(unsigned long top_pfn, const char *label)
{
	unsigned long nr_live = (top_pfn + 1) / 2 - 64, bottom_pfn = top_pfn + 1 - 2 * nr_live;
	struct iova_domain *iovad = calloc(1, sizeof(*iovad));
	unsigned long pfn, i, n, limit_pfn = top_pfn - 1;
	struct ref_domain ref;
	double ours, theirs, cold, t0;
	struct iova *iova;

	init_iova_domain(iovad, 4096, 1, top_pfn);
	ref_init(&ref, 1, top_pfn);
	for (pfn = top_pfn; pfn >= bottom_pfn && pfn <= top_pfn; pfn -= 2) {
		reserve_iova(iovad, pfn, pfn);
		ref_insert(&ref, pfn, pfn);
	}

	iova = alloc_iova(iovad, 2, limit_pfn, true);
	if (!iova || iova->pfn_hi >= bottom_pfn)
		printf("unexpected placement\n");
	__free_iova(iovad, iova);

	n = 200000;
	t0 = now_ns();
	for (i = 0; i < n; i++)
		__free_iova(iovad, alloc_iova(iovad, 2, limit_pfn, true));
	ours = (now_ns() - t0) / n;

	/* The reference: first the cold walk (no cached node), then pairs. */
	t0 = now_ns();
	ref_free(&ref, ref_alloc(&ref, 2, top_pfn, true));
	cold = now_ns() - t0;
	t0 = now_ns();
	for (i = 0; i < 200 && now_ns() - t0 < 2e9; i++)
		ref_free(&ref, ref_alloc(&ref, 2, limit_pfn, true));
	theirs = (now_ns() - t0) / i;
	printf("fragmented %s, %7lu live ranges: %8.1f ns/pair   REFERENCE %8.0f ns/pair"
	       " (x%.0f; its first walk %.0f ns)\n",
	       label, nr_live, ours, theirs, theirs / ours, cold);

	put_iova_domain(iovad);
	ref_destroy(&ref);
	free(iovad);
}

/* ---- N threads on one domain ------------------------------------------- */

enum mt_mode { MT_CONTROL, MT_FAST_TRUSTING, MT_FAST_CHECKED, MT_FAST_LARGE, MT_TREE };

static const char *const mt_names[] = {
	[MT_CONTROL] = "control: private work, no IOVA ",
	[MT_FAST_TRUSTING] = "fast path,  1 granule, trusting",
	[MT_FAST_CHECKED] = "fast path,  1 granule, checked ",
	[MT_FAST_LARGE] = "fast path, 64 granules (tree)  ",
	[MT_TREE] = "tree alloc_iova, 1..8 granules ",
};

struct mt_worker {
	pthread_t thread;
	struct iova_domain *iovad;
	enum mt_mode mode;
	unsigned int cpu;
	unsigned long long rng;
	unsigned long nr_pairs;
	const volatile bool *stop;
	const volatile bool *go;
};

static void *mt_worker_main(void *arg)
{
	struct mt_worker *w = arg;
	unsigned long n = 0, sizes[64];
	unsigned int i;

	iosim_iova_set_cpu(w->cpu);
	for (i = 0; i < 64; i++) {
		w->rng ^= w->rng << 13;
		w->rng ^= w->rng >> 7;
		w->rng ^= w->rng << 17;
		sizes[i] = 1 + (unsigned long)(w->rng % 8);
	}
	while (!__atomic_load_n(w->go, __ATOMIC_ACQUIRE))
		;
	while (!__atomic_load_n(w->stop, __ATOMIC_RELAXED)) {
		/* 64 pairs between looks at the flag */
		for (i = 0; i < 64; i++) {
			unsigned long pfn;
			struct iova *iova;

			switch (w->mode) {
			case MT_CONTROL:
				/*
				 * No shared state at all: how many CPUs the
				 * machine gives the threads right now.
				 */
				w->rng ^= w->rng << 13;
				w->rng ^= w->rng >> 7;
				w->rng ^= w->rng << 17;
				__asm__ __volatile__("" : "+r"(w->rng));
				break;
			case MT_FAST_TRUSTING:
			case MT_FAST_CHECKED:
				pfn = alloc_iova_fast(w->iovad, 1, ULONG_MAX);
				free_iova_fast(w->iovad, pfn, 1);
				break;
			case MT_FAST_LARGE:
				pfn = alloc_iova_fast(w->iovad, 64, ULONG_MAX);
				free_iova_fast(w->iovad, pfn, 64);
				break;
			case MT_TREE:
				iova = alloc_iova(w->iovad, sizes[i], ULONG_MAX, true);
				__free_iova(w->iovad, iova);
				break;
			}
		}
		n += 64;
	}
	w->nr_pairs = n;
	return NULL;
}

/* Total alloc+free pairs per second with @nr_threads threads on one domain. */
static double bench_mt_once(enum mt_mode mode, unsigned int nr_threads, double seconds)
{
	const unsigned long top_pfn = (1UL << 26) - 1;
	struct iova_domain *iovad = calloc(1, sizeof(*iovad));
	struct mt_worker *w = calloc(nr_threads, sizeof(*w));
	struct iova **held = calloc(20000, sizeof(*held));
	volatile bool stop = false, go = false;
	unsigned long total = 0, i;
	struct timespec pause;
	double t0, t1;

	init_iova_domain(iovad, 4096, 1, top_pfn);
	iosim_iova_set_fast_checks(iovad, mode == MT_FAST_CHECKED);
	if (mode == MT_TREE || mode == MT_FAST_LARGE) {
		/* 10K live ranges around holes, as bench_tree()'s smallest case */
		for (i = 0; i < 20000; i++)
			held[i] = alloc_iova(iovad, 1 + rnd(16), top_pfn, true);
		for (i = 0; i < 20000; i += 2)
			__free_iova(iovad, held[i]);
	}
	for (i = 0; i < nr_threads; i++) {
		w[i].iovad = iovad;
		w[i].mode = mode;
		w[i].cpu = (unsigned int)i;
		w[i].rng = 0x9e3779b97f4a7c15ULL * (i + 1);
		w[i].stop = &stop;
		w[i].go = &go;
		if (pthread_create(&w[i].thread, NULL, mt_worker_main, &w[i]))
			abort();
	}
	pause.tv_sec = (time_t)seconds;
	pause.tv_nsec = (long)((seconds - (double)pause.tv_sec) * 1e9);
	t0 = now_ns();
	__atomic_store_n(&go, true, __ATOMIC_RELEASE);
	nanosleep(&pause, NULL);
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < nr_threads; i++) {
		pthread_join(w[i].thread, NULL);
		total += w[i].nr_pairs;
	}
	t1 = now_ns();
	put_iova_domain(iovad);
	free(iovad);
	free(w);
	free(held);
	return total / ((t1 - t0) / 1e9) / 1e6;
}

/* ---- cache-line round trip between two threads ----------------------------- */

#define PING_ROUNDS	200000
#define PING_MAX_NS	300e6	/* a machine with one free CPU makes each round a time slice */

enum { PING_IDLE, PING_SENT, PING_STOP };

static int ping_word __attribute__((aligned(64)));

static void *pong_main(void *arg)
{
	int v;

	for (;;) {
		while ((v = __atomic_load_n(&ping_word, __ATOMIC_ACQUIRE)) == PING_IDLE)
			;
		if (v == PING_STOP)
			return arg;
		__atomic_store_n(&ping_word, PING_IDLE, __ATOMIC_RELEASE);
	}
}

/*
 * Nanoseconds for a line written on one core to be read on another and an
 * answer to come back: two threads flip one word, PING_ROUNDS times or for
 * PING_MAX_NS, whichever comes first.
 */
static double ping_pong_ns(void)
{
	pthread_t pong;
	unsigned int i;
	double t0, t1;

	__atomic_store_n(&ping_word, PING_IDLE, __ATOMIC_RELAXED);
	if (pthread_create(&pong, NULL, pong_main, NULL))
		abort();
	t0 = t1 = now_ns();
	for (i = 0; i < PING_ROUNDS; i++) {
		__atomic_store_n(&ping_word, PING_SENT, __ATOMIC_RELEASE);
		while (__atomic_load_n(&ping_word, __ATOMIC_ACQUIRE) != PING_IDLE)
			;
		if (i % 64 == 63 && (t1 = now_ns()) - t0 > PING_MAX_NS) {
			i++;
			break;
		}
	}
	t1 = now_ns();
	__atomic_store_n(&ping_word, PING_STOP, __ATOMIC_RELEASE);
	pthread_join(pong, NULL);
	return (t1 - t0) / i;
}

/* Bit i set: run row i of mt_names (--rows); all rows by default. */
static unsigned int mt_rows = ~0u;

static void bench_threads(unsigned int max_threads, double seconds)
{
	unsigned int mode, t;

	printf("cache line round trip between two threads: %.0f ns\n", ping_pong_ns());
	printf("N threads on one domain, total Mpairs/s (alloc+free), %.1f s per figure:\n",
	       seconds);
	printf("%-32s", "threads:");
	for (t = 1; t <= max_threads; t *= 2)
		printf(" %8u", t);
	printf("\n");
	for (mode = 0; mode < ARRAY_SIZE(mt_names); mode++) {
		if (!(mt_rows & (1u << mode)))
			continue;
		printf("%-32s", mt_names[mode]);
		for (t = 1; t <= max_threads; t *= 2) {
			printf(" %8.2f", bench_mt_once(mode, t, seconds));
			fflush(stdout);
		}
		printf("\n");
	}
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [fast] [tree] [frag] [threads] [--pairs N] [--live N] [--window W]\n"
		"          [--max-threads N] [--seconds S] [--rows MASK]\n"
		"  no section named: all of them; fast --pairs N: N pairs per figure;\n"
		"  tree --live N: only N live ranges (one in flight unless --window W);\n"
		"  tree --window W: W allocations in flight only (1, 8 and 64 by default);\n"
		"  threads runs 1, 2, 4, ... up to N (default 4), S seconds each (default 1);\n"
		"  --rows MASK: only the rows whose bit is set (1 control, 2 fast trusting,\n"
		"  4 fast checked, 8 fast 64 granules, 16 tree)\n",
		argv0);
}

int main(int argc, char **argv)
{
	bool fast = false, tree = false, frag = false, threads = false;
	unsigned int max_threads = 4;
	unsigned long live = 0, window = 0;
	double seconds = 1.0;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "fast")) {
			fast = true;
		} else if (!strcmp(argv[i], "tree")) {
			tree = true;
		} else if (!strcmp(argv[i], "frag")) {
			frag = true;
		} else if (!strcmp(argv[i], "threads")) {
			threads = true;
		} else if (!strcmp(argv[i], "--max-threads") && i + 1 < argc) {
			max_threads = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--pairs") && i + 1 < argc) {
			fast_pairs = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--window") && i + 1 < argc) {
			window = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--live") && i + 1 < argc) {
			live = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--rows") && i + 1 < argc) {
			mt_rows = (unsigned int)strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--seconds") && i + 1 < argc) {
			seconds = strtod(argv[++i], NULL);
		} else {
			usage(argv[0]);
			return 2;
		}
	}
	if (!fast && !tree && !frag && !threads)
		fast = tree = frag = threads = true;
	if (!max_threads || !fast_pairs || seconds <= 0) {
		usage(argv[0]);
		return 2;
	}

	if (iova_cache_get())
		return 1;
	printf("libiommudma IOVA allocator benchmark"
	       " (REFERENCE = the 2015 kernel's linear walk)\n");
	if (fast) {
		bench_fast_path(false, 1);
		bench_fast_path(true, 1);
		bench_fast_path(false, 8);
	}
	if (tree && live) {
		bench_tree(live, 2000000, window ? window : 1);
	} else if (tree) {
		static const unsigned long windows[] = { 1, 8, 64 };
		const unsigned long *w = window ? &window : windows;
		int nr = window ? 1 : (int)ARRAY_SIZE(windows);

		for (i = 0; i < nr; i++) {
			bench_tree(1000, 2000000, w[i]);
			bench_tree(100000, 1000000, w[i]);
			bench_tree(1000000, 1000000, w[i]);
		}
	}
	if (frag) {
		bench_fragmented((1UL << 20) - 1, "32-bit space");
		bench_fragmented((1UL << 21) - 1, "33-bit space");
	}
	if (threads)
		bench_threads(max_threads, seconds);
	iova_cache_put();
	return 0;
}
