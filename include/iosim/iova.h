/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/iova.h> - simulation-side extras of the IOVA allocator.
 *
 * What the kernel's <linux/iova.h> lacks: the sanity checker, statistics,
 * flushing every fast-path cache at once, choosing which simulated CPU the
 * calling thread is, and switching the fast path's misuse checks.
 */
#ifndef _IOSIM_IOVA_H
#define _IOSIM_IOVA_H

#include <stdbool.h>

struct iova_domain;

/**
 * iosim_iova_check - the IOVA domain's sanity checker
 * @iovad: the domain; no other thread may use it during the check
 *
 * Checks the red-black tree (parent links, no red node with a red child,
 * equal black heights), that ranges are well formed, ordered and disjoint,
 * that every node's subtree summary (bounds, largest gap, largest aligned
 * fit) matches a brute-force recomputation, that the range count and the
 * registry of live iovas agree, and that every range the fast path caches
 * is an allocated range of its size class, cached once.
 *
 * Context: process context; takes the domain's locks in turn.
 * Return: 0 if consistent; -EUCLEAN after WARNing the first problem found.
 */
int iosim_iova_check(struct iova_domain *iovad);

/*
 * Freed struct iova a domain keeps at most for its next ranges instead of
 * returning them to the slab (lib/iova/iova_spares.c); a domain holding no
 * range keeps none.
 */
#define IOSIM_IOVA_MAX_SPARES	64U

/* struct iosim_iova_stats - what iosim_iova_get_stats() reports. */
struct iosim_iova_stats {
	unsigned long nr_ranges;	/* ranges in the tree: allocated, reserved, cached */
	unsigned long nr_cached;	/* ranges the fast path holds for reuse */
	unsigned long nr_allocs;	/* successful tree allocations (fast-path misses too) */
	unsigned long nr_alloc_fails;	/* tree allocations that found no room */
	unsigned long nr_frees;		/* ranges returned to the tree */
	unsigned long nr_rcache_hits;	/* alloc_iova_fast() served from a cache */
	unsigned long nr_rcache_misses;	/* alloc_iova_fast() that went to the tree */
	unsigned long nr_rcache_flushes;	/* iosim_iova_rcache_flush(), explicit or not */
	unsigned long nr_rcache_local_frees;	/* checked free_iova_fast() vetted without the
						 * tree lock: the range was this CPU's */
	unsigned long free_pfns;	/* free page frames in [start_pfn, dma_32bit_pfn] */
	unsigned long largest_free_pfns;	/* the largest free run there */
	unsigned long nr_spares;	/* freed struct iova kept for the next ranges */
};

/**
 * iosim_iova_get_stats - a snapshot of @iovad's counters and free space
 *
 * The free space comes from the root's summaries and a count of covered
 * pfns when every range lies inside [start_pfn, dma_32bit_pfn] (O(1));
 * otherwise from a walk of the tree, kept until the tree or the window
 * changes (O(n) after a change).
 *
 * Context: process context; takes the cache locks, then the tree lock.
 */
void iosim_iova_get_stats(struct iova_domain *iovad, struct iosim_iova_stats *stats);

/**
 * iosim_iova_rcache_flushes - how many times @iovad's fast-path caches were flushed
 *
 * The nr_rcache_flushes of iosim_iova_get_stats() alone, without the rest of
 * the snapshot (the cache tally and the free space): for a caller that asks
 * around every alloc_iova_fast() whether it flushed.
 *
 * Context: process context; takes the tree lock.
 * Return: the count since init_iova_domain(); 0 for a domain that is not
 * initialised (as iosim_iova_get_stats()).
 */
unsigned long iosim_iova_rcache_flushes(struct iova_domain *iovad);

/**
 * iosim_iova_nr_ranges - how many ranges @iovad holds now
 *
 * The nr_ranges of iosim_iova_get_stats() alone, for a checker that asks
 * after every step: the tree lock once, without the cache tally and the
 * free-space walk.
 *
 * Context: process context; takes the tree lock.
 * Return: the ranges allocated or reserved and not freed (those the
 * fast-path caches hold included); 0 for a domain that is not initialised.
 */
unsigned long iosim_iova_nr_ranges(struct iova_domain *iovad);

/**
 * iosim_iova_rcache_flush - return every range the fast path caches, on
 * every simulated CPU and in every depot, to the tree
 *
 * The kernel does this (free_cpu_cached_iovas() on each CPU) when an
 * alloc_iova_fast() finds the tree full; here it is also callable.
 *
 * Context: any; takes each cache lock, then the tree lock.
 */
void iosim_iova_rcache_flush(struct iova_domain *iovad);

/**
 * iosim_iova_set_cpu - make the calling thread simulated CPU @cpu
 *
 * Each thread is a CPU for the fast path's per-CPU magazines; by default a
 * thread takes the next of IOSIM_IOVA_NR_CPUS slots on first use and keeps
 * it.  Tests use this to act as several CPUs from one thread.  A @cpu out of
 * range is WARNed and reduced modulo IOSIM_IOVA_NR_CPUS.
 */
void iosim_iova_set_cpu(unsigned int cpu);

/** iosim_iova_this_cpu - the calling thread's simulated CPU. */
unsigned int iosim_iova_this_cpu(void);

/**
 * iosim_iova_set_fast_checks - validate (or trust) free_iova_fast()'s arguments
 * @iovad: the domain
 * @on: true (the default after init_iova_domain()) to look every freed pfn up
 *	in the tree, so an unallocated pfn, a double free or a wrong size is
 *	WARNed at the call; false for the kernel's behaviour, which trusts the
 *	caller and only notices (WARN) when the range leaves the cache
 *
 * Checking costs a tree lookup under the tree lock per free and per cache hit.
 * Switching empties the caches first.
 *
 * Context: process context; no other thread may use the fast path meanwhile.
 */
void iosim_iova_set_fast_checks(struct iova_domain *iovad, bool on);

/**
 * iosim_iova_nr_live - struct iova objects alive in the process (all domains):
 * ranges and detached iovas, not the freed ones a domain keeps as spares
 */
unsigned long iosim_iova_nr_live(void);

/** iosim_iova_cache_users - references iova_cache_get() holds now. */
unsigned int iosim_iova_cache_users(void);

#endif /* _IOSIM_IOVA_H */
