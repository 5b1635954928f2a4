/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/genalloc.h - faithful (2015): the general-purpose special memory
 * pool allocator, first fit over a bitmap of 2^min_alloc_order-byte units
 * per chunk.  Customised where the kernel BUG()s: freeing memory that is not
 * the pool's, or destroying a pool with allocations outstanding, WARNs (and
 * the destroy frees everything anyway, so nothing leaks).
 */
#ifndef _IOSIM_LINUX_GENALLOC_H
#define _IOSIM_LINUX_GENALLOC_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>

struct gen_pool;

/* An allocation algorithm: the first free unit of a run of @nr in @map. */
typedef unsigned long (*genpool_algo_t)(unsigned long *map, unsigned long size,
					unsigned long start, unsigned int nr, void *data);

struct gen_pool {
	spinlock_t lock;
	struct list_head chunks;	/* list of chunks in this pool */
	int min_alloc_order;		/* minimum allocation order */
	genpool_algo_t algo;		/* allocation function */
	void *data;
	const char *name;
};

struct gen_pool_chunk {
	struct list_head next_chunk;	/* next chunk in pool */
	size_t avail;			/* bytes free (the kernel's atomic_long_t; under pool->lock here) */
	phys_addr_t phys_addr;		/* physical starting address of memory chunk */
	unsigned long start_addr;	/* start address of memory chunk */
	unsigned long end_addr;		/* end address of memory chunk (inclusive) */
	unsigned long bits[];		/* bitmap for allocating memory chunk */
};

struct gen_pool *gen_pool_create(int min_alloc_order, int nid);
int gen_pool_add_virt(struct gen_pool *pool, unsigned long virt, phys_addr_t phys,
		      size_t size, int nid);

/** gen_pool_add - add memory without a physical address (phys = -1). */
static inline int gen_pool_add(struct gen_pool *pool, unsigned long addr, size_t size, int nid)
{
	return gen_pool_add_virt(pool, addr, (phys_addr_t)-1, size, nid);
}

phys_addr_t gen_pool_virt_to_phys(struct gen_pool *pool, unsigned long addr);
void gen_pool_destroy(struct gen_pool *pool);
unsigned long gen_pool_alloc(struct gen_pool *pool, size_t size);
void *gen_pool_dma_alloc(struct gen_pool *pool, size_t size, dma_addr_t *dma);
void gen_pool_free(struct gen_pool *pool, unsigned long addr, size_t size);
void gen_pool_for_each_chunk(struct gen_pool *pool,
			     void (*func)(struct gen_pool *pool, struct gen_pool_chunk *chunk,
					  void *data),
			     void *data);
size_t gen_pool_avail(struct gen_pool *pool);
size_t gen_pool_size(struct gen_pool *pool);
bool addr_in_gen_pool(struct gen_pool *pool, unsigned long start, size_t size);

void gen_pool_set_algo(struct gen_pool *pool, genpool_algo_t algo, void *data);
unsigned long gen_pool_first_fit(unsigned long *map, unsigned long size, unsigned long start,
				 unsigned int nr, void *data);

#endif /* _IOSIM_LINUX_GENALLOC_H */
