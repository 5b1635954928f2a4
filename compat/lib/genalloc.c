// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The general-purpose special memory pool allocator (lib/genalloc.c of
 * 2015), in our own code: each chunk of pool memory is a bitmap of
 * 2^min_alloc_order-byte units; allocation is first fit (or the pool's
 * algorithm) under the pool's lock.
 *
 * Invariant (iosim_gen_pool_check()): a chunk's avail equals its size less
 * the units whose bits are set; chunks do not overlap.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/genalloc.h>
#include <iosim/genalloc.h>

static unsigned long chunk_size(const struct gen_pool_chunk *chunk)
{
	return chunk->end_addr - chunk->start_addr + 1;
}

static unsigned long chunk_units(const struct gen_pool *pool, const struct gen_pool_chunk *chunk)
{
	return chunk_size(chunk) >> pool->min_alloc_order;
}

static unsigned long units_of(const struct gen_pool *pool, size_t size)
{
	return (size + (1UL << pool->min_alloc_order) - 1) >> pool->min_alloc_order;
}

/* Set (or clear) @nr bits of @map from @start. */
static void bits_assign(unsigned long *map, unsigned long start, unsigned long nr, bool set)
{
	unsigned long i;

	for (i = start; i < start + nr; i++) {
		if (set)
			__set_bit(i, map);
		else
			__clear_bit(i, map);
	}
}

/* Are @nr bits of @map from @start all set (or all clear)? */
static bool bits_all(const unsigned long *map, unsigned long start, unsigned long nr, bool set)
{
	unsigned long i;

	for (i = start; i < start + nr; i++)
		if (!!test_bit(i, map) != set)
			return false;
	return true;
}

/**
 * gen_pool_first_fit - the first run of @nr clear bits in @map at or after @start
 * @map: the chunk's bitmap
 * @size: bits in @map
 * @start: first bit to consider
 * @nr: bits wanted
 * @data: unused
 *
 * Context: any (the pool's lock held by the caller).
 * Return: the run's first bit, or @size if there is none.
 */
unsigned long gen_pool_first_fit(unsigned long *map, unsigned long size, unsigned long start,
				 unsigned int nr, void *data)
{
	unsigned long i, run = 0;

	if (!nr)
		return size;
	for (i = start; i < size; i++) {
		if (test_bit(i, map)) {
			run = 0;
			continue;
		}
		if (++run == nr)
			return i + 1 - nr;
	}
	return size;
}

/**
 * gen_pool_create - create a pool
 * @min_alloc_order: log2 of the allocation unit in bytes
 * @nid: NUMA node (unused)
 *
 * Context: process context.
 * Return: the pool, or NULL on allocation failure (or a negative order, WARNed).
 */
struct gen_pool *gen_pool_create(int min_alloc_order, int nid)
{
	struct gen_pool *pool;

	if (WARN(min_alloc_order < 0 || min_alloc_order >= BITS_PER_LONG,
		 "gen_pool_create: min_alloc_order %d", min_alloc_order))
		return NULL;
	pool = kmalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->chunks);
	pool->min_alloc_order = min_alloc_order;
	pool->algo = gen_pool_first_fit;
	pool->data = NULL;
	pool->name = NULL;
	return pool;
}

/**
 * gen_pool_add_virt - give memory to a pool
 * @pool: the pool
 * @virt: start of the memory (the address allocations return)
 * @phys: its physical address, or -1 if it has none
 * @size: bytes (whole units are used)
 * @nid: NUMA node (unused)
 *
 * Context: process context.
 * Return: 0; -ENOMEM if the chunk's bookkeeping could not be allocated;
 * -EINVAL (WARN) for NULL, an empty range, one that wraps or overlaps a
 * chunk already in the pool.  On error the pool is unchanged.
 */
int gen_pool_add_virt(struct gen_pool *pool, unsigned long virt, phys_addr_t phys, size_t size,
		      int nid)
{
	struct gen_pool_chunk *chunk, *other;
	unsigned long nbits, nlongs;

	if (WARN(!pool || !size || virt + size - 1 < virt,
		 "gen_pool_add_virt: pool %p, %zu bytes at %#lx", (void *)pool, size, virt))
		return -EINVAL;
	nbits = size >> pool->min_alloc_order;
	if (WARN(!nbits, "gen_pool_add_virt: %zu bytes is less than one unit", size))
		return -EINVAL;
	nlongs = BITS_TO_LONGS(nbits);
	chunk = kzalloc(sizeof(*chunk) + nlongs * sizeof(long), GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	chunk->phys_addr = phys;
	chunk->start_addr = virt;
	chunk->end_addr = virt + (nbits << pool->min_alloc_order) - 1;
	chunk->avail = nbits << pool->min_alloc_order;

	spin_lock(&pool->lock);
	list_for_each_entry(other, &pool->chunks, next_chunk) {
		if (chunk->start_addr <= other->end_addr && other->start_addr <= chunk->end_addr) {
			spin_unlock(&pool->lock);
			kfree(chunk);
			WARN(1, "gen_pool_add_virt: %#lx-%#lx overlaps chunk %#lx-%#lx", virt,
			     virt + size - 1, other->start_addr, other->end_addr);
			return -EINVAL;
		}
	}
	list_add_tail(&chunk->next_chunk, &pool->chunks);
	spin_unlock(&pool->lock);
	return 0;
}

/* The chunk holding [@addr, @addr + @size), or NULL.  Lock held. */
static struct gen_pool_chunk *chunk_of(struct gen_pool *pool, unsigned long addr, size_t size)
{
	struct gen_pool_chunk *chunk;
	unsigned long last = size ? addr + size - 1 : addr;

	if (last < addr)
		return NULL;
	list_for_each_entry(chunk, &pool->chunks, next_chunk)
		if (addr >= chunk->start_addr && last <= chunk->end_addr)
			return chunk;
	return NULL;
}

/**
 * gen_pool_virt_to_phys - physical address of pool memory
 * @pool: the pool
 * @addr: an address inside one of its chunks
 *
 * Context: any.
 * Return: the physical address, or -1 if @addr is not in the pool.
 */
phys_addr_t gen_pool_virt_to_phys(struct gen_pool *pool, unsigned long addr)
{
	struct gen_pool_chunk *chunk;
	phys_addr_t paddr = (phys_addr_t)-1;

	spin_lock(&pool->lock);
	chunk = chunk_of(pool, addr, 1);
	if (chunk)
		paddr = chunk->phys_addr + (addr - chunk->start_addr);
	spin_unlock(&pool->lock);
	return paddr;
}

/**
 * gen_pool_destroy - destroy a pool and its chunks' bookkeeping
 * @pool: the pool (NULL: nothing)
 *
 * Outstanding allocations, where the kernel BUG()s, are WARNed and dropped.
 *
 * Context: process context.
 */
void gen_pool_destroy(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk, *tmp;

	if (!pool)
		return;
	list_for_each_entry_safe(chunk, tmp, &pool->chunks, next_chunk) {
		WARN(chunk->avail != chunk_size(chunk),
		     "gen_pool_destroy: %lu bytes still allocated in chunk %#lx-%#lx",
		     chunk_size(chunk) - chunk->avail, chunk->start_addr, chunk->end_addr);
		list_del(&chunk->next_chunk);
		kfree(chunk);
	}
	kfree(pool);
}

/**
 * gen_pool_alloc - allocate from a pool
 * @pool: the pool
 * @size: bytes (rounded up to whole units)
 *
 * Context: any; takes the pool's spinlock, never sleeps.
 * Return: the address, or 0 if no chunk has a free run that large (or @size is 0).
 */
unsigned long gen_pool_alloc(struct gen_pool *pool, size_t size)
{
	struct gen_pool_chunk *chunk;
	unsigned long nr, bit, addr = 0;

	if (WARN(!pool, "gen_pool_alloc: NULL pool") || !size)
		return 0;
	nr = units_of(pool, size);
	if (nr > UINT_MAX)
		return 0;
	spin_lock(&pool->lock);
	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		unsigned long units = chunk_units(pool, chunk);

		if ((nr << pool->min_alloc_order) > chunk->avail)
			continue;
		bit = pool->algo(chunk->bits, units, 0, (unsigned int)nr, pool->data);
		if (bit >= units || bit + nr > units)
			continue;
		bits_assign(chunk->bits, bit, nr, true);
		chunk->avail -= nr << pool->min_alloc_order;
		addr = chunk->start_addr + (bit << pool->min_alloc_order);
		break;
	}
	spin_unlock(&pool->lock);
	return addr;
}

/**
 * gen_pool_dma_alloc - gen_pool_alloc() that also gives the physical address
 * @pool: the pool
 * @size: bytes
 * @dma: receives the physical (DMA) address
 *
 * Context: any.
 * Return: the CPU address, or NULL (@dma untouched).
 */
void *gen_pool_dma_alloc(struct gen_pool *pool, size_t size, dma_addr_t *dma)
{
	unsigned long vaddr;

	if (!pool)
		return NULL;
	vaddr = gen_pool_alloc(pool, size);
	if (!vaddr)
		return NULL;
	if (dma)
		*dma = gen_pool_virt_to_phys(pool, vaddr);
	return (void *)vaddr;
}

/**
 * gen_pool_free - give memory back to its pool
 * @pool: the pool
 * @addr: what gen_pool_alloc() returned
 * @size: the size it was asked for
 *
 * Memory that is not the pool's, or not allocated (where the kernel BUG()s)
 * is WARNed and left alone.
 *
 * Context: any; takes the pool's spinlock.
 */
void gen_pool_free(struct gen_pool *pool, unsigned long addr, size_t size)
{
	struct gen_pool_chunk *chunk;
	unsigned long nr, bit;

	if (WARN(!pool, "gen_pool_free: NULL pool") || !size)
		return;
	nr = units_of(pool, size);
	spin_lock(&pool->lock);
	chunk = chunk_of(pool, addr, nr << pool->min_alloc_order);
	if (!chunk || ((addr - chunk->start_addr) & ((1UL << pool->min_alloc_order) - 1))) {
		spin_unlock(&pool->lock);
		WARN(1, "gen_pool_free: %#lx (%zu bytes) is not in the pool", addr, size);
		return;
	}
	bit = (addr - chunk->start_addr) >> pool->min_alloc_order;
	if (!bits_all(chunk->bits, bit, nr, true)) {
		spin_unlock(&pool->lock);
		WARN(1, "gen_pool_free: %#lx (%zu bytes) is not allocated", addr, size);
		return;
	}
	bits_assign(chunk->bits, bit, nr, false);
	chunk->avail += nr << pool->min_alloc_order;
	spin_unlock(&pool->lock);
}

/**
 * gen_pool_for_each_chunk - call @func for each chunk of @pool
 * @pool: the pool
 * @func: called with the pool, the chunk and @data (the pool's lock not held)
 * @data: passed through
 *
 * Context: process context; @func must not add chunks.
 */
void gen_pool_for_each_chunk(struct gen_pool *pool,
			     void (*func)(struct gen_pool *pool, struct gen_pool_chunk *chunk,
					  void *data),
			     void *data)
{
	struct gen_pool_chunk *chunk;

	list_for_each_entry(chunk, &pool->chunks, next_chunk)
		func(pool, chunk, data);
}

/** gen_pool_avail - bytes free in @pool.  Context: any. */
size_t gen_pool_avail(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk;
	size_t avail = 0;

	spin_lock(&pool->lock);
	list_for_each_entry(chunk, &pool->chunks, next_chunk)
		avail += chunk->avail;
	spin_unlock(&pool->lock);
	return avail;
}

/** gen_pool_size - bytes @pool manages.  Context: any. */
size_t gen_pool_size(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk;
	size_t size = 0;

	spin_lock(&pool->lock);
	list_for_each_entry(chunk, &pool->chunks, next_chunk)
		size += chunk_size(chunk);
	spin_unlock(&pool->lock);
	return size;
}

/**
 * addr_in_gen_pool - does [@start, @start + @size) lie in one chunk of @pool?
 *
 * Context: any.
 */
bool addr_in_gen_pool(struct gen_pool *pool, unsigned long start, size_t size)
{
	bool found;

	spin_lock(&pool->lock);
	found = chunk_of(pool, start, size) != NULL;
	spin_unlock(&pool->lock);
	return found;
}

/**
 * gen_pool_set_algo - choose @pool's allocation algorithm (NULL: first fit)
 *
 * Context: process context.
 */
void gen_pool_set_algo(struct gen_pool *pool, genpool_algo_t algo, void *data)
{
	spin_lock(&pool->lock);
	pool->algo = algo ? algo : gen_pool_first_fit;
	pool->data = data;
	spin_unlock(&pool->lock);
}

int iosim_gen_pool_check(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk, *other;
	int ret = 0;

	if (WARN(!pool, "iosim_gen_pool_check: NULL pool"))
		return -EUCLEAN;
	spin_lock(&pool->lock);
	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		unsigned long units = chunk_units(pool, chunk), used = 0, i;

		for (i = 0; i < units; i++)
			used += !!test_bit(i, chunk->bits);
		if (WARN(chunk->avail != (units - used) << pool->min_alloc_order,
			 "gen_pool chunk %#lx: avail %zu, bitmap says %lu", chunk->start_addr,
			 chunk->avail, (units - used) << pool->min_alloc_order))
			ret = -EUCLEAN;
		list_for_each_entry(other, &pool->chunks, next_chunk)
			if (other != chunk && WARN(chunk->start_addr <= other->end_addr &&
				 other->start_addr <= chunk->end_addr,
				 "gen_pool chunks %#lx and %#lx overlap", chunk->start_addr,
				 other->start_addr))
				ret = -EUCLEAN;
	}
	spin_unlock(&pool->lock);
	return ret;
}
