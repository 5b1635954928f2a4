/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/genalloc.h - faithful (names, signatures, semantics of 2015's
 * lib/genalloc.c), customised in three ways for a test harness:
 *  - what the kernel BUG()s on (a free outside the pool or of units not
 *    allocated, destroying a pool with allocations outstanding) WARNs; a bad
 *    free changes nothing, a destroy still frees everything;
 *  - one spinlock per pool protects the chunk list and the bitmaps (the
 *    kernel walks chunks under RCU and sets bits with cmpxchg);
 *    gen_pool_for_each_chunk() calls @func with that lock held, so @func must
 *    not call back into the same pool;
 *  - @nid is accepted and ignored (one node).
 * The allocation algorithm is per pool as in 2015: gen_pool_first_fit by
 * default, gen_pool_set_algo() to choose gen_pool_first_fit_order_align
 * (what arm64's atomic pool uses), gen_pool_best_fit or the caller's own.
 * Left out: devm_/of_ pool lookup, pool names.
 * The sanity checker is iosim_gen_pool_check() in <iosim/genalloc.h>.
 */
#ifndef _IOSIM_LINUX_GENALLOC_H
#define _IOSIM_LINUX_GENALLOC_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>

/**
 * typedef genpool_algo_t - an allocation algorithm (2015's signature)
 * @map: the chunk's bitmap (set = unit allocated)
 * @size: its number of units
 * @start: the first unit to consider
 * @nr: units wanted
 * @data: the pool's algorithm data (gen_pool_set_algo())
 *
 * Return: the first unit of a free run of @nr, or a value >= @size if none.
 */
typedef unsigned long (*genpool_algo_t)(unsigned long *map, unsigned long size,
					unsigned long start, unsigned int nr, void *data);

/*
 * A pool of special memory: a list of chunks, each tracked by a bitmap of
 * (1 << min_alloc_order)-byte units.
 */
struct gen_pool {
	spinlock_t lock;
	struct list_head chunks;	/* newest first, as the kernel adds them */
	int min_alloc_order;		/* log2 of a bitmap unit in bytes */
	genpool_algo_t algo;		/* finds the free run in a chunk */
	void *data;			/* passed to algo */
	const char *name;
};

/* One contiguous range of a pool. */
struct gen_pool_chunk {
	struct list_head next_chunk;	/* on pool->chunks */
	atomic_t avail;			/* bytes not allocated */
	phys_addr_t phys_addr;		/* of start_addr; -1 if unknown */
	unsigned long start_addr;	/* first byte */
	unsigned long end_addr;		/* last byte (inclusive) */
	unsigned long bits[];		/* set = unit allocated */
};

struct gen_pool *gen_pool_create(int min_alloc_order, int nid);
int gen_pool_add_virt(struct gen_pool *pool, unsigned long virt, phys_addr_t phys,
		      size_t size, int nid);

/**
 * gen_pool_add - add memory without a known physical address to a pool
 * @pool: the pool
 * @addr: first address of the memory
 * @size: bytes
 * @nid: NUMA node (ignored)
 *
 * Context: process context.
 * Return: as gen_pool_add_virt() with a physical address of -1.
 */
static inline int gen_pool_add(struct gen_pool *pool, unsigned long addr, size_t size, int nid)
{
	return gen_pool_add_virt(pool, addr, (phys_addr_t)-1, size, nid);
}

void gen_pool_destroy(struct gen_pool *pool);
unsigned long gen_pool_alloc(struct gen_pool *pool, size_t size);
void *gen_pool_dma_alloc(struct gen_pool *pool, size_t size, dma_addr_t *dma);
void gen_pool_free(struct gen_pool *pool, unsigned long addr, size_t size);
phys_addr_t gen_pool_virt_to_phys(struct gen_pool *pool, unsigned long addr);
bool addr_in_gen_pool(struct gen_pool *pool, unsigned long start, size_t size);
size_t gen_pool_avail(struct gen_pool *pool);
size_t gen_pool_size(struct gen_pool *pool);
void gen_pool_set_algo(struct gen_pool *pool, genpool_algo_t algo, void *data);
unsigned long gen_pool_first_fit(unsigned long *map, unsigned long size, unsigned long start,
				 unsigned int nr, void *data);
unsigned long gen_pool_first_fit_order_align(unsigned long *map, unsigned long size,
					     unsigned long start, unsigned int nr, void *data);
unsigned long gen_pool_best_fit(unsigned long *map, unsigned long size, unsigned long start,
				unsigned int nr, void *data);
void gen_pool_for_each_chunk(struct gen_pool *pool,
			     void (*func)(struct gen_pool *pool, struct gen_pool_chunk *chunk,
					  void *data),
			     void *data);

#endif /* _IOSIM_LINUX_GENALLOC_H */
