// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sim_bench_iova.c - `iommudma-sim bench --iova`: the IOVA allocator on its
 * own, as dma-iommu drives it.  Two phases share one iova_domain:
 *
 *  - the fast path: alloc_iova_fast() + free_iova_fast() pairs of GRANULE
 *    granules (the per-CPU caches serve up to 32 granules; larger requests
 *    fall through to the tree);
 *  - the tree: alloc_iova() + __free_iova() pairs of 1..GRANULE granules
 *    while LIVE ranges stay allocated around holes of 1..16 granules, so the
 *    search has a fragmented space to work in.
 *
 * THREADS threads share the domain, as the CPUs of a machine share a
 * device's domain.  Each phase runs for half of SECONDS and prints the
 * pairs, the mean time per pair seen by one thread, and the total rate.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <linux/iova.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <iosim/live.h>

#include "sim.h"

/* The IOVA space: 1 << IOVA_SPACE_BITS bytes, as a 32-bit device sees it. */
#define IOVA_SPACE_BITS		32

struct iova_worker {
	pthread_t tid;
	struct iova_domain *iovad;
	const struct sim_bench_alloc_cfg *cfg;
	bool tree;
	unsigned long limit_pfn;
	unsigned int seed;
	bool *stop;		/* read and written atomically */
	uint64_t pairs, busy_ns;
	int ret;
};

/* Request sizes vary per pair on the tree path: a small xorshift per thread. */
static unsigned long iova_next_size(struct iova_worker *w, unsigned long max_granules)
{
	w->seed ^= w->seed << 13;
	w->seed ^= w->seed >> 17;
	w->seed ^= w->seed << 5;
	return 1 + w->seed % max_granules;
}

static void *iova_worker_fn(void *arg)
{
	struct iova_worker *w = arg;
	unsigned long granules = w->cfg->granule_pages;
	uint64_t start = sim_now_ns();

	while (!__atomic_load_n(w->stop, __ATOMIC_RELAXED)) {
		unsigned int i;

		/* Check the clock every 64 pairs: it costs as much as a pair. */
		for (i = 0; i < 64; i++) {
			if (w->tree) {
				struct iova *iova = alloc_iova(w->iovad,
							       iova_next_size(w, granules),
							       w->limit_pfn, true);

				if (!iova) {
					w->ret = -ENOMEM;
					goto out;
				}
				__free_iova(w->iovad, iova);
			} else {
				unsigned long pfn = alloc_iova_fast(w->iovad, granules,
								    w->limit_pfn);

				if (!pfn) {
					w->ret = -ENOMEM;
					goto out;
				}
				free_iova_fast(w->iovad, pfn, granules);
			}
		}
		w->pairs += 64;
	}
out:
	w->busy_ns = sim_now_ns() - start;
	return NULL;
}

/*
 * Leave @nr_live ranges of 1..16 granules allocated with a hole after each:
 * allocate twice as many top-down and free every other one.  The survivors
 * go into @held so they can be freed at the end.
 */
static int iova_populate(struct iova_domain *iovad, unsigned long limit_pfn,
			 unsigned long nr_live, struct iova **held)
{
	struct iova_worker sizes = { .seed = 0x9e3779b9u };
	unsigned long i;

	for (i = 0; i < 2 * nr_live; i++) {
		struct iova *iova = alloc_iova(iovad, iova_next_size(&sizes, 16), limit_pfn, true);

		if (!iova)
			return -ENOMEM;
		if (i % 2)
			held[i / 2] = iova;
		else
			__free_iova(iovad, iova);
	}
	return 0;
}

static int iova_phase(struct iova_domain *iovad, const struct sim_bench_alloc_cfg *cfg,
		      bool tree, unsigned long limit_pfn, unsigned int seconds)
{
	struct iova_worker *w = calloc(cfg->threads, sizeof(*w));
	uint64_t pairs = 0, busy_ns = 0, wall_ns;
	unsigned int i, started = 0;
	bool stop = false;
	int ret = 0;

	if (!w)
		return -ENOMEM;
	wall_ns = sim_now_ns();
	for (i = 0; i < cfg->threads; i++) {
		w[i] = (struct iova_worker){ .iovad = iovad, .cfg = cfg, .tree = tree,
					     .limit_pfn = limit_pfn, .seed = 2463534242u + i,
					     .stop = &stop };
		if (pthread_create(&w[i].tid, NULL, iova_worker_fn, &w[i])) {
			ret = -EAGAIN;
			break;
		}
		started++;
	}
	for (i = 0; i < seconds * 10 && !ret; i++) {
		usleep(100000);
		sim_progress(tree ? "bench iova tree" : "bench iova fast path", i / 10, seconds);
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < started; i++) {
		pthread_join(w[i].tid, NULL);
		pairs += w[i].pairs;
		busy_ns += w[i].busy_ns;
		if (w[i].ret && !ret)
			ret = w[i].ret;
	}
	wall_ns = sim_now_ns() - wall_ns;
	sim_progress_end();
	if (!ret && pairs)
		printf("iova %s: threads:%u granule(s):%s%lu pairs:%llu  %.1f ns/pair per thread  "
		       "%.2f Mpairs/s in all\n", tree ? "tree alloc_iova+__free_iova" :
		       "fast path alloc_iova_fast+free_iova_fast", started, tree ? "1.." : "",
		       cfg->granule_pages, (unsigned long long)pairs,
		       (double)busy_ns / (double)pairs, (double)pairs * 1e3 / (double)wall_ns);
	free(w);
	return ret ? ret : (pairs ? 0 : -EIO);
}

/**
 * sim_bench_iova - run the IOVA allocator benchmark and print its lines
 * @cfg: threads, seconds, granules per request, live ranges, IOVA granule
 *
 * Context: the process's main thread; no simulation alive.
 * Return: 0; -ENOMEM when a range could not be allocated (the space is too
 * small for LIVE ranges), -EAGAIN when a thread could not start.  Every
 * range and the domain are released either way.
 */
int sim_bench_iova(const struct sim_bench_alloc_cfg *cfg)
{
	unsigned long shift = __ffs(cfg->smmu_granule);
	unsigned long limit_pfn = (1UL << (IOVA_SPACE_BITS - shift)) - 1;
	unsigned int half = cfg->seconds > 1 ? cfg->seconds / 2 : 1;
	struct iova_domain *iovad = calloc(1, sizeof(*iovad));
	struct iova **held = calloc(cfg->live_ranges ? cfg->live_ranges : 1, sizeof(*held));
	unsigned long i;
	int ret;

	if (!iovad || !held) {
		ret = -ENOMEM;
		goto out_free;
	}
	ret = iova_cache_get();
	if (ret)
		goto out_free;
	init_iova_domain(iovad, cfg->smmu_granule, 1, limit_pfn);
	printf("iova domain: granule %lu bytes, %d-bit space, %lu live ranges on the tree path\n",
	       cfg->smmu_granule, IOVA_SPACE_BITS, cfg->live_ranges);
	ret = iova_phase(iovad, cfg, false, limit_pfn, half);
	if (!ret)
		ret = iova_populate(iovad, limit_pfn, cfg->live_ranges, held);
	if (!ret)
		ret = iova_phase(iovad, cfg, true, limit_pfn, half);
	for (i = 0; i < cfg->live_ranges; i++)
		if (held[i])
			__free_iova(iovad, held[i]);
	put_iova_domain(iovad);
	iova_cache_put();
out_free:
	free(held);
	free(iovad);
	return ret;
}
