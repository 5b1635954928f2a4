// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DMA pools (the API of mm/dmapool.c of 2015): small fixed-size blocks cut
 * from coherent pages.
 *
 * Design.  When a pool is made, the offsets of the blocks inside one page
 * are worked out once and kept, sorted, in the pool ("slot table"); every
 * page of the pool has the same layout.  Each page carries, outside the DMA
 * memory, two records of its slots:
 *
 *   - a stack of the indices of its free slots (the top is the slot handed
 *     out next, so a freed block is the first to be reused), and
 *   - a bitmap with one bit per slot, set while the slot is handed out.
 *
 * The two must agree; the stack is what allocation uses, the bitmap is what
 * dma_pool_free() consults to catch double frees, and the checker compares
 * them.  Nothing is stored in the blocks themselves, so a free block is
 * poison from its first byte to its last, and any write into it shows.
 *
 * Layout (kept from 2015 because drivers and tests see the addresses): the
 * page is split into windows of the boundary size; a window's first block
 * sits at its start, and each further block follows the previous one
 * directly provided it ends strictly before the window's end.  A block
 * that would end exactly on the boundary is therefore left out (63 blocks
 * of 64 bytes per 4 KiB page).  No block runs past the end of its page.
 *
 * Locking: one mutex for all devices' dma_pools lists, and a spinlock per
 * pool (taken with interrupts saved) for its pages, dropped while a new
 * page is being allocated.  Misuse is logged with dev_err() in the words
 * the kernel used and WARNs; the pool is left as it was.
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/errno.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <iosim/dmapool.h>

#include "dmapool_internal.h"

#include <stdarg.h>
#include <stdio.h>

#define DMAPOOL_NOTE_LEN	256

/* Serialises every device's dma_pools list. */
static DEFINE_MUTEX(dmapool_lists);

/*
 * Walk the windows of a page and note where each block starts; @out may be
 * NULL to only count.  Return: the number of blocks.
 */
static unsigned int plan_slots(size_t block, size_t boundary, size_t chunk_bytes,
			       unsigned int *out)
{
	unsigned int count = 0;
	size_t win, at;

	for (win = 0; win < chunk_bytes; win += boundary) {
		for (at = win; at + block <= chunk_bytes; at += block) {
			bool leading = at == win;

			if (!leading && at + block >= win + boundary)
				break;
			if (out)
				out[count] = (unsigned int)at;
			count++;
		}
	}
	return count;
}

/* The index of the slot starting at @off, or -1 if no block starts there. */
static long slot_index(const struct dma_pool *pool, size_t off)
{
	unsigned int lo = 0, hi = pool->nr_slots;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (pool->slot_off[mid] == off)
			return mid;
		if (pool->slot_off[mid] < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static size_t map_words(const struct dma_pool *pool)
{
	return BITS_TO_LONGS(pool->nr_slots);
}

static unsigned int chunk_busy_count(const struct dma_pool *pool,
				     const struct dmapool_chunk *chunk)
{
	unsigned int n = 0;
	size_t w;

	for (w = 0; w < map_words(pool); w++)
		n += hweight_long(chunk->busy[w]);
	return n;
}

static void *slot_cpu(const struct dma_pool *pool, const struct dmapool_chunk *chunk,
		      unsigned int slot)
{
	return (char *)chunk->cpu + pool->slot_off[slot];
}

/* Index of the first byte of @p[0..len) that differs from @c, or @len. */
static size_t first_mismatch(const void *p, int c, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != (unsigned char)c)
			break;
	return i;
}

/* Log @note against the pool's device (as the kernel's dev_err) and WARN it. */
static void pool_report(const struct dma_pool *pool, const char *note)
{
	dev_err(pool->dev, "%s\n", note);
	WARN(1, "%s: %s", dev_name(pool->dev), note);
}

static __printf(3, 4) void note_set(char *note, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(note, len, fmt, ap);
	va_end(ap);
}

/* The page of @pool whose DMA range holds @dma; caller holds pool->lock. */
static struct dmapool_chunk *chunk_holding(struct dma_pool *pool, dma_addr_t dma)
{
	struct dmapool_chunk *chunk;

	list_for_each_entry(chunk, &pool->chunks, link) {
		if (dma >= chunk->dma && dma - chunk->dma < pool->chunk_bytes)
			return chunk;
	}
	return NULL;
}

/*
 * A new page for @pool: its coherent memory, all of it free poison, and its
 * records with every slot free, slot 0 on top.
 */
static struct dmapool_chunk *chunk_new(struct dma_pool *pool, gfp_t gfp)
{
	size_t words = map_words(pool);
	struct dmapool_chunk *chunk;
	unsigned int i;
	size_t bytes;

	bytes = sizeof(*chunk) + 2 * words * sizeof(unsigned long) +
		pool->nr_slots * sizeof(unsigned int);
	chunk = kzalloc(bytes, gfp);
	if (!chunk)
		goto fail;
	chunk->cpu = dma_alloc_coherent(pool->dev, pool->chunk_bytes, &chunk->dma, gfp);
	if (!chunk->cpu)
		goto fail_free;

	chunk->busy = chunk->words;
	chunk->seen = chunk->words + words;
	chunk->free_stack = (unsigned int *)(chunk->words + 2 * words);
	for (i = 0; i < pool->nr_slots; i++)
		chunk->free_stack[i] = pool->nr_slots - 1 - i;
	chunk->nr_free = pool->nr_slots;
	INIT_LIST_HEAD(&chunk->link);
	memset(chunk->cpu, DMAPOOL_FILL_FREE, pool->chunk_bytes);
	return chunk;

fail_free:
	kfree(chunk);
fail:
	return NULL;
}

/**
 * dma_pool_create - set up a pool of equal-sized coherent DMA blocks
 * @name: what the pool is called in messages (copied)
 * @dev: the device the blocks are for
 * @size: bytes in each block; raised to 4, then to a multiple of @align
 * @align: alignment of each block, a power of two (0 taken as 1)
 * @allocation: a power of two no block may straddle, at least the block
 *	size; 0 for the page size of the pool
 *
 * Nothing is allocated for blocks yet: pages of max(PAGE_SIZE, block size)
 * bytes are obtained from dma_alloc_coherent() as dma_pool_alloc() needs
 * them.  Both the CPU address and the DMA address of every block meet
 * @align.  The pool is put on @dev's list of pools.
 *
 * Context: process context; may sleep.
 * Return: the pool, or NULL when a parameter is unusable or memory is
 * short.  A NULL @dev or @name WARNs.
 */
struct dma_pool *dma_pool_create(const char *name, struct device *dev,
				 size_t size, size_t align, size_t allocation)
{
	size_t block, chunk_bytes, boundary;
	struct dma_pool *pool;
	unsigned int n;

	if (WARN(!dev || !name, "dma_pool_create: NULL device or name"))
		return NULL;
	if (!align)
		align = 1;
	if (!is_power_of_2(align) || !size)
		return NULL;
	block = ALIGN(max_t(size_t, size, DMAPOOL_MIN_BLOCK), align);
	chunk_bytes = max_t(size_t, block, PAGE_SIZE);
	boundary = allocation ? allocation : chunk_bytes;
	if (!is_power_of_2(boundary) || boundary < block)
		return NULL;

	n = plan_slots(block, boundary, chunk_bytes, NULL);
	pool = kzalloc(sizeof(*pool) + n * sizeof(pool->slot_off[0]), GFP_KERNEL);
	if (!pool)
		goto fail;
	pool->name = kstrdup(name, GFP_KERNEL);
	if (!pool->name)
		goto fail_pool;
	pool->nr_slots = plan_slots(block, boundary, chunk_bytes, pool->slot_off);
	pool->block = block;
	pool->chunk_bytes = chunk_bytes;
	pool->boundary = boundary;
	pool->dev = dev;
	INIT_LIST_HEAD(&pool->chunks);
	spin_lock_init(&pool->lock);

	mutex_lock(&dmapool_lists);
	list_add(&pool->dev_link, &dev->dma_pools);
	mutex_unlock(&dmapool_lists);
	return pool;

fail_pool:
	kfree(pool);
fail:
	return NULL;
}
EXPORT_SYMBOL(dma_pool_create);

/**
 * dma_pool_destroy - take a pool off its device and give back its pages
 * @pool: from dma_pool_create(); it must not be used afterwards
 *
 * Every block should have been returned with dma_pool_free() first.  A page
 * that still has a block out is reported ("busy", dev_err and WARN) and its
 * coherent memory is deliberately not freed, since the device may still
 * be writing to it; only the bookkeeping goes.
 *
 * Context: process context; may sleep.  A NULL @pool WARNs.
 */
void dma_pool_destroy(struct dma_pool *pool)
{
	struct dmapool_chunk *chunk, *next;
	char note[DMAPOOL_NOTE_LEN];

	if (WARN(!pool, "dma_pool_destroy: NULL pool"))
		return;
	mutex_lock(&dmapool_lists);
	list_del(&pool->dev_link);
	mutex_unlock(&dmapool_lists);

	list_for_each_entry_safe(chunk, next, &pool->chunks, link) {
		list_del(&chunk->link);
		if (chunk_busy_count(pool, chunk)) {
			note_set(note, sizeof(note), "dma_pool_destroy %s, %p busy",
				 pool->name, chunk->cpu);
			pool_report(pool, note);
		} else {
			dma_free_coherent(pool->dev, pool->chunk_bytes, chunk->cpu, chunk->dma);
		}
		kfree(chunk);
	}
	kfree(pool->name);
	kfree(pool);
}
EXPORT_SYMBOL(dma_pool_destroy);

/*
 * Pop the top free slot of @chunk into *@slot.  A slot number that is out
 * of range or already marked busy means the records are corrupt: the page
 * is abandoned (reported in @note) and false returned.  Caller holds the lock.
 */
static bool chunk_pop(struct dma_pool *pool, struct dmapool_chunk *chunk,
		      unsigned int *slot, char *note, size_t len)
{
	unsigned int s = chunk->free_stack[chunk->nr_free - 1];

	if (s >= pool->nr_slots || test_bit(s, chunk->busy)) {
		chunk->abandoned = true;
		note_set(note, len, "dma_pool_alloc %s, %p (corrupted): free slot %u of page %llx is not a free block",
			 pool->name, chunk->cpu, s, (unsigned long long)chunk->dma);
		return false;
	}
	chunk->nr_free--;
	__set_bit(s, chunk->busy);
	*slot = s;
	return true;
}

/**
 * dma_pool_alloc - hand out one block of a pool
 * @pool: the pool
 * @mem_flags: GFP flags, used only if a new page has to be allocated
 * @handle: where the block's DMA address is stored
 *
 * Takes the most recently freed block of the newest page that has one,
 * adding a page when none has.  The block is filled with 0xa9; if its free
 * poison (0xa7) had been overwritten meanwhile, that is reported and the
 * block is handed out all the same.  __GFP_ZERO is not honoured (2015).
 *
 * Context: any context if @mem_flags does not allow sleeping; the pool's
 * lock is not held while a page is allocated.
 * Return: the block's CPU address, or NULL with *@handle untouched if no
 * page could be had.
 */
void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle)
{
	struct dmapool_chunk *chunk, *fresh;
	char note[DMAPOOL_NOTE_LEN];
	unsigned long flags;
	unsigned int slot;
	bool found = false;
	void *cpu = NULL;
	size_t bad;

	if (WARN(!pool || !handle, "dma_pool_alloc: NULL pool or handle"))
		return NULL;
	might_sleep_if(mem_flags & __GFP_WAIT);
	note[0] = '\0';

	spin_lock_irqsave(&pool->lock, flags);
	while (!found) {
		struct dmapool_chunk *pick = NULL;

		list_for_each_entry(chunk, &pool->chunks, link) {
			if (chunk->nr_free && !chunk->abandoned) {
				pick = chunk;
				break;
			}
		}
		if (!pick) {
			spin_unlock_irqrestore(&pool->lock, flags);
			fresh = chunk_new(pool, mem_flags);
			spin_lock_irqsave(&pool->lock, flags);
			if (!fresh)
				break;
			list_add(&fresh->link, &pool->chunks);
			pick = fresh;
		}
		/* An abandoned page leaves a note; the next loop tries another. */
		found = chunk_pop(pool, pick, &slot, note, sizeof(note));
		chunk = pick;
	}
	if (found) {
		cpu = slot_cpu(pool, chunk, slot);
		*handle = chunk->dma + pool->slot_off[slot];
		bad = first_mismatch(cpu, DMAPOOL_FILL_FREE, pool->block);
		if (bad < pool->block && !note[0]) {
			const unsigned char *b = cpu;
			size_t i, at, show = min_t(size_t, pool->block, 16);

			at = (size_t)snprintf(note, sizeof(note),
					      "dma_pool_alloc %s, %p (corruped): byte %zu written;",
					      pool->name, cpu, bad);
			for (i = 0; i < show && at < sizeof(note); i++)
				at += (size_t)snprintf(note + at, sizeof(note) - at, " %02x", b[i]);
		}
		memset(cpu, DMAPOOL_FILL_BUSY, pool->block);
	}
	spin_unlock_irqrestore(&pool->lock, flags);

	if (note[0])
		pool_report(pool, note);
	return cpu;
}
EXPORT_SYMBOL(dma_pool_alloc);

/**
 * dma_pool_free - give a block back to its pool
 * @pool: the pool the block came from
 * @vaddr: the block's CPU address, as dma_pool_alloc() returned it
 * @dma: the block's DMA address, as dma_pool_alloc() stored it
 *
 * The block is filled with 0xa7 and becomes the next one its page hands
 * out.  A DMA address in none of the pool's pages ("bad dma"), a CPU
 * address that does not match the DMA address ("bad vaddr"), an address
 * that is not the start of a block ("not a block") and a block that is
 * already free ("already free") are each logged and WARNed, and the pool is
 * left unchanged.
 *
 * Context: any context.
 */
void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t dma)
{
	struct dmapool_chunk *chunk;
	char note[DMAPOOL_NOTE_LEN];
	unsigned long flags;
	size_t off;
	long slot;

	if (WARN(!pool, "dma_pool_free: NULL pool"))
		return;
	note[0] = '\0';

	spin_lock_irqsave(&pool->lock, flags);
	chunk = chunk_holding(pool, dma);
	if (!chunk) {
		note_set(note, sizeof(note), "dma_pool_free %s, %p/%lx (bad dma)",
			 pool->name, vaddr, (unsigned long)dma);
		goto out;
	}
	off = (size_t)(dma - chunk->dma);
	if ((char *)vaddr != (char *)chunk->cpu + off) {
		note_set(note, sizeof(note), "dma_pool_free %s, %p (bad vaddr)/%llx",
			 pool->name, vaddr, (unsigned long long)dma);
		goto out;
	}
	slot = slot_index(pool, off);
	if (slot < 0) {
		note_set(note, sizeof(note), "dma_pool_free %s, %p/%llx (not a block)",
			 pool->name, vaddr, (unsigned long long)dma);
		goto out;
	}
	if (!test_bit(slot, chunk->busy)) {
		note_set(note, sizeof(note), "dma_pool_free %s, dma %llx already free",
			 pool->name, (unsigned long long)dma);
		goto out;
	}
	if (chunk->nr_free >= pool->nr_slots) {
		note_set(note, sizeof(note), "dma_pool_free %s, %p/%llx (corrupted): page records full",
			 pool->name, vaddr, (unsigned long long)dma);
		goto out;
	}
	__clear_bit(slot, chunk->busy);
	memset(vaddr, DMAPOOL_FILL_FREE, pool->block);
	chunk->free_stack[chunk->nr_free++] = (unsigned int)slot;
out:
	spin_unlock_irqrestore(&pool->lock, flags);
	if (note[0])
		pool_report(pool, note);
}
EXPORT_SYMBOL(dma_pool_free);

/* devres release of a managed pool: the resource's data is the pool pointer. */
static void dmam_pool_release(struct device *dev, void *res)
{
	(void)dev;
	dma_pool_destroy(*(struct dma_pool **)res);
}

static int dmam_pool_match(struct device *dev, void *res, void *match_data)
{
	(void)dev;
	return *(struct dma_pool **)res == match_data;
}

/**
 * dmam_pool_create - dma_pool_create() tied to the device's resources
 * @name, @dev, @size, @align, @allocation: as for dma_pool_create()
 *
 * The pool is destroyed by itself when @dev's managed resources are
 * released (driver detach, failed probe, devres group release), unless
 * dmam_pool_destroy() got there first.
 *
 * Context: process context; may sleep.
 * Return: the pool, or NULL as dma_pool_create(), or if the resource
 * record cannot be allocated.
 */
struct dma_pool *dmam_pool_create(const char *name, struct device *dev,
				  size_t size, size_t align, size_t allocation)
{
	struct dma_pool **res, *pool;

	res = devres_alloc(dmam_pool_release, sizeof(*res), GFP_KERNEL);
	if (!res)
		goto fail;
	pool = dma_pool_create(name, dev, size, align, allocation);
	if (!pool)
		goto fail_res;
	*res = pool;
	devres_add(dev, res);
	return pool;

fail_res:
	devres_free(res);
fail:
	return NULL;
}
EXPORT_SYMBOL(dmam_pool_create);

/**
 * dmam_pool_destroy - destroy a managed pool before its device lets go
 * @pool: from dmam_pool_create()
 *
 * Drops the pool's resource record and destroys the pool as
 * dma_pool_destroy() does.  A pool without a record (one dma_pool_create()
 * made, or one already released) WARNs and is left alone.
 *
 * Context: process context; may sleep.
 */
void dmam_pool_destroy(struct dma_pool *pool)
{
	if (WARN(!pool, "dmam_pool_destroy: NULL pool"))
		return;
	if (devres_destroy(pool->dev, dmam_pool_release, dmam_pool_match, pool)) {
		WARN(1, "dmam_pool_destroy: pool %s of '%s' is not managed",
		     pool->name, dev_name(pool->dev));
		return;
	}
	dma_pool_destroy(pool);
}
EXPORT_SYMBOL(dmam_pool_destroy);

/* ---- simulation-only inspection ---- */

/* Is @pool on its device's list?  Caller holds dmapool_lists. */
static bool pool_registered(const struct dma_pool *pool)
{
	const struct dma_pool *p;

	list_for_each_entry(p, &pool->dev->dma_pools, dev_link) {
		if (p == pool)
			return true;
	}
	return false;
}

static bool geometry_ok(const struct dma_pool *pool, char *note, size_t len)
{
	unsigned int i;

	if (pool->block < DMAPOOL_MIN_BLOCK || pool->chunk_bytes < PAGE_SIZE ||
	    pool->chunk_bytes < pool->block || !is_power_of_2(pool->boundary) ||
	    pool->boundary < pool->block || !pool->nr_slots) {
		note_set(note, len, "geometry: block %zu, page %zu, boundary %zu, %u blocks",
			 pool->block, pool->chunk_bytes, pool->boundary, pool->nr_slots);
		return false;
	}
	for (i = 0; i < pool->nr_slots; i++) {
		size_t start = pool->slot_off[i], last = start + pool->block - 1;

		if ((i && start < pool->slot_off[i - 1] + pool->block) ||
		    last >= pool->chunk_bytes ||
		    start / pool->boundary != last / pool->boundary) {
			note_set(note, len, "block %u at offset %zu misplaced", i, start);
			return false;
		}
	}
	return true;
}

/* One page's records and poison; caller holds pool->lock. */
static bool chunk_ok(const struct dma_pool *pool, struct dmapool_chunk *chunk,
		     char *note, size_t len)
{
	const struct dmapool_chunk *other;
	unsigned int i, busy;

	if (chunk->link.next->prev != &chunk->link || chunk->link.prev->next != &chunk->link) {
		note_set(note, len, "page %p: broken list links", chunk->cpu);
		return false;
	}
	list_for_each_entry(other, &pool->chunks, link) {
		if (other != chunk && chunk->dma < other->dma + pool->chunk_bytes &&
		    other->dma < chunk->dma + pool->chunk_bytes) {
			note_set(note, len, "pages %llx and %llx overlap",
				 (unsigned long long)chunk->dma, (unsigned long long)other->dma);
			return false;
		}
	}
	if (chunk->abandoned) {
		note_set(note, len, "page %llx given up after its records were found corrupt",
			 (unsigned long long)chunk->dma);
		return false;
	}
	if (chunk->nr_free > pool->nr_slots) {
		note_set(note, len, "page %llx: %u free of %u blocks",
			 (unsigned long long)chunk->dma, chunk->nr_free, pool->nr_slots);
		return false;
	}
	memset(chunk->seen, 0, map_words(pool) * sizeof(unsigned long));
	for (i = 0; i < chunk->nr_free; i++) {
		unsigned int s = chunk->free_stack[i];
		size_t bad;

		if (s >= pool->nr_slots) {
			note_set(note, len, "page %llx: free slot entry %u (%u) is not a block",
				 (unsigned long long)chunk->dma, i, s);
			return false;
		}
		if (test_bit(s, chunk->seen)) {
			note_set(note, len, "page %llx: block %u listed free twice",
				 (unsigned long long)chunk->dma, s);
			return false;
		}
		__set_bit(s, chunk->seen);
		if (test_bit(s, chunk->busy)) {
			note_set(note, len, "page %llx: block %u listed free but in use",
				 (unsigned long long)chunk->dma, s);
			return false;
		}
		bad = first_mismatch(slot_cpu(pool, chunk, s), DMAPOOL_FILL_FREE, pool->block);
		if (bad < pool->block) {
			note_set(note, len, "free block %p (dma %llx) written at byte %zu",
				 slot_cpu(pool, chunk, s),
				 (unsigned long long)chunk->dma + pool->slot_off[s], bad);
			return false;
		}
	}
	busy = chunk_busy_count(pool, chunk);
	if (chunk->nr_free + busy != pool->nr_slots) {
		note_set(note, len, "page %llx: %u free and %u in use, of %u blocks",
			 (unsigned long long)chunk->dma, chunk->nr_free, busy, pool->nr_slots);
		return false;
	}
	return true;
}

int iosim_dma_pool_check(struct dma_pool *pool)
{
	char note[DMAPOOL_NOTE_LEN];
	struct dmapool_chunk *chunk;
	unsigned long flags;
	bool ok;

	if (WARN(!pool, "iosim_dma_pool_check: NULL pool"))
		return -EUCLEAN;
	ok = geometry_ok(pool, note, sizeof(note));
	if (ok) {
		mutex_lock(&dmapool_lists);
		ok = pool_registered(pool);
		mutex_unlock(&dmapool_lists);
		if (!ok)
			note_set(note, sizeof(note), "not on its device's list of pools");
	}
	if (ok) {
		spin_lock_irqsave(&pool->lock, flags);
		list_for_each_entry(chunk, &pool->chunks, link) {
			ok = chunk_ok(pool, chunk, note, sizeof(note));
			if (!ok)
				break;
		}
		spin_unlock_irqrestore(&pool->lock, flags);
	}
	if (ok)
		return 0;
	WARN(1, "iosim_dma_pool_check %s: %s", pool->name, note);
	return -EUCLEAN;
}

size_t iosim_dma_pool_nr_pages(struct dma_pool *pool)
{
	struct dmapool_chunk *chunk;
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(chunk, &pool->chunks, link)
		n++;
	spin_unlock_irqrestore(&pool->lock, flags);
	return n;
}

size_t iosim_dma_pool_in_use(struct dma_pool *pool)
{
	struct dmapool_chunk *chunk;
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(chunk, &pool->chunks, link)
		n += chunk_busy_count(pool, chunk);
	spin_unlock_irqrestore(&pool->lock, flags);
	return n;
}

size_t iosim_dma_pool_blocks_per_page(struct dma_pool *pool)
{
	return pool->nr_slots;
}

unsigned int *iosim_dma_pool_free_slots(struct dma_pool *pool, dma_addr_t dma,
					size_t *nr_free)
{
	struct dmapool_chunk *chunk;
	unsigned int *stack = NULL;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	chunk = chunk_holding(pool, dma);
	if (chunk) {
		stack = chunk->free_stack;
		if (nr_free)
			*nr_free = chunk->nr_free;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return stack;
}
