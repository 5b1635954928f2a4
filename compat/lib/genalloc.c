// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * General-purpose special-memory pools (lib/genalloc.c of 2015): chunks of
 * address space handed out in units of 1 << min_alloc_order bytes, one
 * bitmap per chunk, by the pool's algorithm (first fit unless
 * gen_pool_set_algo() chose another).  The kernel BUG()s on a bad free and on
 * destroying a busy pool; here both WARN (see <linux/genalloc.h>).
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/genalloc.h>
#include <linux/log2.h>
#include <linux/slab.h>
#include <iosim/genalloc.h>

/* Bytes a chunk spans (end_addr is inclusive). */
static size_t chunk_size(const struct gen_pool_chunk *chunk)
{
	return chunk->end_addr - chunk->start_addr + 1;
}

/* Whole units a chunk's bitmap tracks. */
static unsigned long chunk_units(const struct gen_pool *pool, const struct gen_pool_chunk *chunk)
{
	return chunk_size(chunk) >> pool->min_alloc_order;
}

/* Units needed for @size bytes (rounded up). */
static unsigned long size_to_units(const struct gen_pool *pool, size_t size)
{
	return (size + (1UL << pool->min_alloc_order) - 1) >> pool->min_alloc_order;
}

/*
 * First index >= @start, with (index & @align_mask) == 0, of @nr clear bits
 * in a row below @size; @size if there is none (bitmap_find_next_zero_area()).
 */
static unsigned long find_zero_area(const unsigned long *map, unsigned long size,
				    unsigned long start, unsigned long nr,
				    unsigned long align_mask)
{
	unsigned long i, run = 0, first = 0;

	if (!nr)
		return size;
	for (i = start; i < size; i++) {
		if (test_bit(i, map) || (!run && (i & align_mask))) {
			run = 0;
			continue;
		}
		if (!run++)
			first = i;
		if (run == nr)
			return first;
	}
	return size;
}

/* How many of the @nr bits from @start are set. */
static unsigned long count_set(const unsigned long *map, unsigned long start, unsigned long nr)
{
	unsigned long i, n = 0;

	for (i = start; i < start + nr; i++)
		n += test_bit(i, map);
	return n;
}

static void set_range(unsigned long *map, unsigned long start, unsigned long nr, bool set)
{
	unsigned long i;

	for (i = start; i < start + nr; i++) {
		if (set)
			__set_bit(i, map);
		else
			__clear_bit(i, map);
	}
}

/**
 * gen_pool_create - create a new, empty special-memory pool
 * @min_alloc_order: log2 of the allocation unit in bytes (0 .. BITS_PER_LONG - 1)
 * @nid: NUMA node for the pool's own memory (ignored)
 *
 * Context: process context (allocates with GFP_KERNEL).
 * Return: the pool; NULL if the allocation failed (injectable,
 * IOSIM_FAULT_SLAB) or @min_alloc_order is out of range (WARNed).
 */
struct gen_pool *gen_pool_create(int min_alloc_order, int nid)
{
	struct gen_pool *pool;

	(void)nid;
	if (WARN(min_alloc_order < 0 || min_alloc_order >= BITS_PER_LONG,
		 "gen_pool_create: bad min_alloc_order %d", min_alloc_order))
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
 * gen_pool_add_virt - add a chunk of memory to a pool
 * @pool: the pool
 * @virt: first (virtual) address of the chunk
 * @phys: physical address of @virt (-1 if none)
 * @size: bytes; only whole units are ever allocated
 * @nid: NUMA node for the chunk's bitmap (ignored)
 *
 * The chunk goes to the head of the pool's list, so later chunks are
 * searched first, as in the kernel.
 *
 * Context: process context.
 * Return: 0; -ENOMEM if the chunk's bitmap could not be allocated
 * (injectable), the pool unchanged; -EINVAL (WARNed, pool unchanged) for a
 * NULL pool, an empty chunk, one over INT_MAX bytes, one that wraps around
 * the address space or overlaps a chunk already in the pool.
 */
int gen_pool_add_virt(struct gen_pool *pool, unsigned long virt, phys_addr_t phys,
		      size_t size, int nid)
{
	struct gen_pool_chunk *chunk, *other;
	unsigned long nbits, end;
	int ret = 0;

	(void)nid;
	if (WARN(!pool, "gen_pool_add_virt: NULL pool"))
		return -EINVAL;
	/* avail is an atomic_t, as in the kernel: a chunk must fit in an int. */
	if (WARN(!size || size > INT_MAX || virt + (size - 1) < virt,
		 "gen_pool_add_virt: bad chunk %#lx+%#zx", virt, size))
		return -EINVAL;
	end = virt + (size - 1);
	nbits = size >> pool->min_alloc_order;
	chunk = kzalloc(sizeof(*chunk) + BITS_TO_LONGS(nbits) * sizeof(long), GFP_KERNEL);
	if (!chunk)
		return -ENOMEM;
	chunk->phys_addr = phys;
	chunk->start_addr = virt;
	chunk->end_addr = end;
	atomic_set(&chunk->avail, (int)size);

	spin_lock(&pool->lock);
	list_for_each_entry(other, &pool->chunks, next_chunk) {
		if (virt <= other->end_addr && end >= other->start_addr) {
			ret = -EINVAL;
			break;
		}
	}
	if (!ret)
		list_add(&chunk->next_chunk, &pool->chunks);
	spin_unlock(&pool->lock);
	if (ret) {
		WARN(1, "gen_pool_add_virt: chunk %#lx-%#lx overlaps the pool", virt, end);
		kfree(chunk);
	}
	return ret;
}

/**
 * gen_pool_virt_to_phys - the physical address of a pool address
 * @pool: the pool
 * @addr: an address inside one of its chunks
 *
 * Context: any; takes the pool lock.
 * Return: the chunk's phys_addr plus @addr's offset in it; -1 if @addr is in
 * no chunk (for a chunk added with gen_pool_add(), the sum with -1).
 */
phys_addr_t gen_pool_virt_to_phys(struct gen_pool *pool, unsigned long addr)
{
	struct gen_pool_chunk *chunk;
	phys_addr_t paddr = (phys_addr_t)-1;

	if (!pool)
		return paddr;
	spin_lock(&pool->lock);
	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		if (addr >= chunk->start_addr && addr <= chunk->end_addr) {
			paddr = chunk->phys_addr + (addr - chunk->start_addr);
			break;
		}
	}
	spin_unlock(&pool->lock);
	return paddr;
}

/**
 * gen_pool_destroy - free a pool and all its chunks
 * @pool: the pool (NULL is ignored)
 *
 * The kernel BUG()s if any allocation is outstanding; here that WARNs
 * ("outstanding") and everything is freed anyway.
 *
 * Context: process context; nobody else may use the pool.
 * Return: nothing.
 */
void gen_pool_destroy(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk, *tmp;
	unsigned long busy = 0;

	if (!pool)
		return;
	list_for_each_entry_safe(chunk, tmp, &pool->chunks, next_chunk) {
		busy += count_set(chunk->bits, 0, chunk_units(pool, chunk));
		list_del(&chunk->next_chunk);
		kfree(chunk);
	}
	WARN(busy, "gen_pool_destroy: %lu units still allocated (outstanding allocations)", busy);
	kfree(pool);
}

/**
 * gen_pool_alloc - allocate special memory from a pool
 * @pool: the pool
 * @size: bytes (rounded up to whole units)
 *
 * Chunks are tried in list order (newest first); within a chunk the pool's
 * algorithm picks the run (first fit: the lowest free run of units).
 *
 * Context: any (no sleeping); takes the pool lock.
 * Return: the address; 0 if @size is 0, @pool is NULL or no chunk has room.
 */
unsigned long gen_pool_alloc(struct gen_pool *pool, size_t size)
{
	struct gen_pool_chunk *chunk;
	unsigned long nbits, start, end_bit, addr = 0;

	if (!pool || !size)
		return 0;
	if (size > ULONG_MAX - (1UL << pool->min_alloc_order))
		return 0;
	nbits = size_to_units(pool, size);
	spin_lock(&pool->lock);
	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		if (size > (size_t)atomic_read(&chunk->avail))
			continue;
		end_bit = chunk_units(pool, chunk);
		start = pool->algo(chunk->bits, end_bit, 0, (unsigned int)nbits, pool->data);
		if (start >= end_bit || start + nbits > end_bit)
			continue;
		set_range(chunk->bits, start, nbits, true);
		atomic_sub((int)(nbits << pool->min_alloc_order), &chunk->avail);
		addr = chunk->start_addr + (start << pool->min_alloc_order);
		break;
	}
	spin_unlock(&pool->lock);
	return addr;
}

/**
 * gen_pool_set_algo - choose the pool's allocation algorithm
 * @pool: the pool
 * @algo: the algorithm; NULL restores the default, gen_pool_first_fit
 * @data: passed to @algo on every call
 *
 * Context: any; takes the pool lock (the kernel's readers see either
 * algorithm under RCU; here no allocation runs during the change).
 */
void gen_pool_set_algo(struct gen_pool *pool, genpool_algo_t algo, void *data)
{
	if (WARN(!pool, "gen_pool_set_algo: NULL pool"))
		return;
	spin_lock(&pool->lock);
	pool->algo = algo ? algo : gen_pool_first_fit;
	pool->data = data;
	spin_unlock(&pool->lock);
}

/**
 * gen_pool_first_fit - the lowest free run of @nr units
 * @map: the chunk's bitmap
 * @size: its units
 * @start: first unit to consider
 * @nr: units wanted
 * @data: unused
 *
 * Context: any (called with the pool lock held).
 * Return: the run's first unit, or @size if there is none.
 */
unsigned long gen_pool_first_fit(unsigned long *map, unsigned long size, unsigned long start,
				 unsigned int nr, void *data)
{
	(void)data;
	return find_zero_area(map, size, start, nr, 0);
}

/**
 * gen_pool_first_fit_order_align - the lowest free run of @nr units that
 * starts on a multiple of @nr rounded up to a power of two
 * @map: the chunk's bitmap
 * @size: its units
 * @start: first unit to consider
 * @nr: units wanted
 * @data: unused (arm64 passes (void *)PAGE_SHIFT; 2015's algorithm ignores it)
 *
 * The alignment is relative to the chunk's start, as in the kernel: a chunk
 * aligned to its own size gives naturally aligned allocations.
 *
 * Context: any (called with the pool lock held).
 * Return: the run's first unit, or @size if there is none.
 */
unsigned long gen_pool_first_fit_order_align(unsigned long *map, unsigned long size,
					     unsigned long start, unsigned int nr, void *data)
{
	(void)data;
	if (!nr)
		return size;
	return find_zero_area(map, size, start, nr, roundup_pow_of_two(nr) - 1);
}

/**
 * gen_pool_best_fit - the smallest free run of at least @nr units (the
 * lowest of equal ones)
 * @map: the chunk's bitmap
 * @size: its units
 * @start: first unit to consider
 * @nr: units wanted
 * @data: unused
 *
 * Context: any (called with the pool lock held).
 * Return: the first unit of the run's first @nr, or @size if there is none.
 */
unsigned long gen_pool_best_fit(unsigned long *map, unsigned long size, unsigned long start,
				unsigned int nr, void *data)
{
	unsigned long i, run = 0, best = size, best_len = ULONG_MAX;

	(void)data;
	if (!nr)
		return size;
	for (i = start; i <= size; i++) {
		if (i < size && !test_bit(i, map)) {
			run++;
			continue;
		}
		if (run >= nr && run < best_len) {
			best = i - run;
			best_len = run;
			if (run == nr)
				break;
		}
		run = 0;
	}
	return best;
}

/**
 * gen_pool_dma_alloc - allocate special memory and give its DMA address
 * @pool: the pool
 * @size: bytes
 * @dma: where to store the physical (DMA) address; may be NULL
 *
 * Context: as gen_pool_alloc().
 * Return: the CPU address, with *@dma = gen_pool_virt_to_phys() of it; NULL
 * (and *@dma untouched) if nothing was allocated.
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
		*dma = (dma_addr_t)gen_pool_virt_to_phys(pool, vaddr);
	return (void *)vaddr;
}

/**
 * gen_pool_free - return memory to a pool
 * @pool: the pool
 * @addr: what gen_pool_alloc() returned
 * @size: the size it was given
 *
 * Context: any (no sleeping); takes the pool lock.
 * Return: nothing.  Where the kernel BUG()s - @addr in no chunk, the range
 * running past its chunk, or a unit in it not allocated - this WARNs and
 * frees nothing.
 */
void gen_pool_free(struct gen_pool *pool, unsigned long addr, size_t size)
{
	struct gen_pool_chunk *chunk;
	unsigned long nbits, start;
	const char *why = "address not in pool";

	if (WARN(!pool, "gen_pool_free: NULL pool"))
		return;
	if (!size)
		return;
	if (size > ULONG_MAX - (1UL << pool->min_alloc_order))
		size = ULONG_MAX - (1UL << pool->min_alloc_order);	/* runs past any chunk */
	nbits = size_to_units(pool, size);
	spin_lock(&pool->lock);
	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		if (addr < chunk->start_addr || addr > chunk->end_addr)
			continue;
		why = NULL;
		start = (addr - chunk->start_addr) >> pool->min_alloc_order;
		if (start + nbits < start || start + nbits > chunk_units(pool, chunk))
			why = "range runs past its chunk";
		else if (count_set(chunk->bits, start, nbits) != nbits)
			why = "units not allocated";
		if (!why) {
			set_range(chunk->bits, start, nbits, false);
			atomic_add((int)(nbits << pool->min_alloc_order), &chunk->avail);
		}
		break;
	}
	spin_unlock(&pool->lock);
	WARN(why, "gen_pool_free: bad free of %#lx+%#zx: %s", addr, size, why ? why : "");
}

/**
 * gen_pool_for_each_chunk - call @func for every chunk of a pool
 * @pool: the pool
 * @func: called with the pool, a chunk and @data
 * @data: passed to @func
 *
 * Context: @func runs with the pool lock held (the kernel's runs under
 * rcu_read_lock()); it must not sleep or call into @pool.
 * Return: nothing.
 */
void gen_pool_for_each_chunk(struct gen_pool *pool,
			     void (*func)(struct gen_pool *pool, struct gen_pool_chunk *chunk,
					  void *data),
			     void *data)
{
	struct gen_pool_chunk *chunk;

	spin_lock(&pool->lock);
	list_for_each_entry(chunk, &pool->chunks, next_chunk)
		func(pool, chunk, data);
	spin_unlock(&pool->lock);
}

/**
 * addr_in_gen_pool - is a range wholly inside one chunk of a pool?
 * @pool: the pool
 * @start: first address
 * @size: bytes
 *
 * Context: any; takes the pool lock.
 * Return: true if [@start, @start + @size) lies in a single chunk.
 */
bool addr_in_gen_pool(struct gen_pool *pool, unsigned long start, size_t size)
{
	struct gen_pool_chunk *chunk;
	unsigned long end = start + size - 1;
	bool found = false;

	if (!pool || !size || end < start)
		return false;
	spin_lock(&pool->lock);
	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		if (start >= chunk->start_addr && end <= chunk->end_addr) {
			found = true;
			break;
		}
	}
	spin_unlock(&pool->lock);
	return found;
}

/**
 * gen_pool_avail - bytes not allocated in a pool
 * @pool: the pool
 *
 * Context: any; takes the pool lock.
 * Return: the sum of every chunk's free bytes (a chunk's partial last unit
 * counts, as in the kernel).
 */
size_t gen_pool_avail(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk;
	size_t avail = 0;

	spin_lock(&pool->lock);
	list_for_each_entry(chunk, &pool->chunks, next_chunk)
		avail += (size_t)atomic_read(&chunk->avail);
	spin_unlock(&pool->lock);
	return avail;
}

/**
 * gen_pool_size - bytes a pool spans
 * @pool: the pool
 *
 * Context: any; takes the pool lock.
 * Return: the sum of the chunks' sizes.
 */
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

int iosim_gen_pool_check(struct gen_pool *pool)
{
	struct gen_pool_chunk *chunk, *other = NULL;
	struct list_head *pos;
	unsigned long units, used, i;
	int ret = 0;

	if (WARN(!pool, "gen_pool check: NULL pool"))
		return -EUCLEAN;
	if (WARN(pool->min_alloc_order < 0 || pool->min_alloc_order >= BITS_PER_LONG,
		 "gen_pool check: bad order %d", pool->min_alloc_order))
		return -EUCLEAN;
	spin_lock(&pool->lock);
	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		if (WARN(chunk->end_addr < chunk->start_addr, "gen_pool check: chunk %#lx ends at %#lx",
			 chunk->start_addr, chunk->end_addr)) {
			ret = -EUCLEAN;
			break;
		}
		units = chunk_units(pool, chunk);
		used = count_set(chunk->bits, 0, units);
		for (i = units; i < BITS_TO_LONGS(units) * BITS_PER_LONG; i++) {
			if (test_bit(i, chunk->bits))
				break;
		}
		if (WARN(i < BITS_TO_LONGS(units) * BITS_PER_LONG,
			 "gen_pool check: chunk %#lx has bit %lu set past its %lu units",
			 chunk->start_addr, i, units)) {
			ret = -EUCLEAN;
			break;
		}
		if (WARN((size_t)atomic_read(&chunk->avail) !=
			 chunk_size(chunk) - (used << pool->min_alloc_order),
			 "gen_pool check: chunk %#lx avail %d, but %lu of %lu units used",
			 chunk->start_addr, atomic_read(&chunk->avail), used, units)) {
			ret = -EUCLEAN;
			break;
		}
		for (pos = chunk->next_chunk.next; pos != &pool->chunks; pos = pos->next) {
			other = list_entry(pos, struct gen_pool_chunk, next_chunk);
			if (chunk->start_addr <= other->end_addr &&
			    chunk->end_addr >= other->start_addr)
				break;
		}
		if (WARN(pos != &pool->chunks, "gen_pool check: chunks at %#lx and %#lx overlap",
			 chunk->start_addr, other->start_addr)) {
			ret = -EUCLEAN;
			break;
		}
	}
	spin_unlock(&pool->lock);
	return ret;
}
