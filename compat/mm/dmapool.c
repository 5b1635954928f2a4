// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DMA Pool allocator (the kernel's mm/dmapool.c of 2015).
 *
 * This allocator returns small blocks of a given size which are DMA-able by
 * the given device.  It uses dma_alloc_coherent() to get new pages of
 * max(PAGE_SIZE, size) bytes, then splits them up into blocks of the
 * required size, aligned as asked and never crossing the boundary.
 *
 * The pool keeps a list of its pages, each with a struct dma_page.  A page's
 * free blocks form a list threaded through the blocks themselves: the first
 * four bytes of a free block hold the offset of the next free block (an
 * offset of at least the page size ends the list), page->offset is the
 * first.  Pages are never freed before the pool is destroyed.
 *
 * As a kernel built with DMAPOOL_DEBUG, the pool always poisons (0xa7 in
 * free blocks, 0xa9 in new allocations) and checks: at allocation that the
 * block kept its free poison, at free that the address is one of the pool's
 * blocks, its CPU and DMA addresses agree and it is not free already.
 * Misuse is logged with the kernel's message and also WARNs; the pool is
 * not changed by it.  Beyond the kernel, a free list link that is not a
 * block of the page (a device wrote into a free block) is refused rather
 * than followed, a pointer into the middle of a block is refused, and a
 * block never extends past its page (the kernel's layout could, for a
 * boundary larger than the page).
 *
 * Layout as in 2015: a block whose end would reach the boundary (end + size
 * >= boundary, not >) is skipped, so e.g. a pool of 2048-byte blocks holds
 * one block per 4 KiB page.  dma_pool_create() with a NULL device WARNs and
 * fails (the kernel of 2015 dereferenced it); so does dma_pool_destroy(NULL)
 * (allowed from 4.3).  There is no sysfs "pools" file, so there is one mutex
 * for the devices' pool lists where the kernel had two.
 */
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <iosim/dmapool.h>

#define POOL_POISON_FREED	0xa7	/* !inuse */
#define POOL_POISON_ALLOCATED	0xa9	/* !initted */

/* Room for one report, formatted under the pool's lock and logged after it. */
#define POOL_MSG_LEN		256

struct dma_pool {		/* the pool */
	struct list_head page_list;
	spinlock_t lock;
	size_t size;
	struct device *dev;
	size_t allocation;
	size_t boundary;
	char name[32];
	struct list_head pools;
	/* simulation: blocks in each page, from the layout */
	unsigned int blocks_per_page;
};

struct dma_page {		/* cacheable header for 'allocation' bytes */
	struct list_head page_list;
	void *vaddr;
	dma_addr_t dma;
	unsigned int in_use;
	unsigned int offset;
};

/* Protects every device's dma_pools list. */
static DEFINE_MUTEX(pools_lock);

/*
 * The block after the one at @offset in a fresh page, as the kernel's
 * pool_initialise_page() lays them out; *@next_boundary is the end of the
 * current boundary segment.  A return of pool->allocation or more ends the
 * page.  Unlike the kernel, a block that would run past the page is not
 * made.
 */
static unsigned int pool_layout_next(const struct dma_pool *pool, unsigned int offset,
				     size_t *next_boundary)
{
	size_t next = offset + pool->size;

	if (unlikely((next + pool->size) >= *next_boundary)) {
		next = *next_boundary;
		*next_boundary += pool->boundary;
	}
	if (next < pool->allocation && next + pool->size > pool->allocation)
		next = pool->allocation;
	return (unsigned int)next;
}

/* Is @offset the start of a block in a page of @pool? */
static bool pool_is_block(const struct dma_pool *pool, size_t offset)
{
	size_t next_boundary = pool->boundary;
	unsigned int pos = 0;

	while (pos < pool->allocation) {
		if (pos == offset)
			return true;
		if (pos > offset)
			return false;
		pos = pool_layout_next(pool, pos, &next_boundary);
	}
	return false;
}

static unsigned int pool_count_blocks(const struct dma_pool *pool)
{
	size_t next_boundary = pool->boundary;
	unsigned int pos = 0, n = 0;

	while (pos < pool->allocation) {
		n++;
		pos = pool_layout_next(pool, pos, &next_boundary);
	}
	return n;
}

/* The byte at @offset of @page. */
static inline u8 *page_at(struct dma_page *page, size_t offset)
{
	return (u8 *)page->vaddr + offset;
}

/*
 * The free list link in the first four bytes of the free block at @offset
 * (an int, as the kernel's; blocks of sizes that are not multiples of four
 * make it unaligned, hence memcpy).
 */
static int pool_link_get(struct dma_page *page, size_t offset)
{
	int next;

	memcpy(&next, page_at(page, offset), sizeof(next));
	return next;
}

static void pool_link_set(struct dma_page *page, size_t offset, int next)
{
	memcpy(page_at(page, offset), &next, sizeof(next));
}

/* Log @msg as the kernel does (dev_err) and WARN it. */
static void pool_report(struct dma_pool *pool, const char *msg)
{
	dev_err(pool->dev, "%s\n", msg);
	WARN(1, "%s: %s", dev_name(pool->dev), msg);
}

/**
 * dma_pool_create - Creates a pool of consistent memory blocks, for dma.
 * @name: name of pool, for diagnostics (at most 31 characters are kept)
 * @dev: device that will be doing the DMA
 * @size: size of the blocks in this pool.
 * @align: alignment requirement for blocks; must be a power of two (0: 1)
 * @boundary: returned blocks won't cross this power of two boundary (0: the
 *	page size, max(PAGE_SIZE, size))
 *
 * Given one of these pools, dma_pool_alloc() may be used to allocate
 * memory.  Such memory will all have "consistent" DMA mappings, accessible
 * by the device and its driver without using cache flushing primitives.
 * The actual size of blocks allocated may be larger than requested because
 * of alignment: at least 4 bytes, rounded up to @align.
 *
 * Context: process context (!in_interrupt()).
 * Return: a dma allocation pool with the requested characteristics, or
 * NULL if one can't be created: @align or @boundary not a power of two,
 * @boundary smaller than the block, @size 0 (or beyond the 32-bit offsets
 * the pool keeps), or the pool's kmalloc failed (IOSIM_FAULT_SLAB).  A
 * NULL @dev or @name WARNs.
 */
struct dma_pool *dma_pool_create(const char *name, struct device *dev,
				 size_t size, size_t align, size_t boundary)
{
	struct dma_pool *retval;
	size_t allocation;

	if (WARN(!dev || !name, "dma_pool_create: NULL device or name"))
		return NULL;

	if (align == 0)
		align = 1;
	else if (align & (align - 1))
		return NULL;

	if (size == 0 || size > INT_MAX / 4 || align > INT_MAX / 4)
		return NULL;
	else if (size < 4)
		size = 4;

	if ((size % align) != 0)
		size = ALIGN(size, align);

	allocation = max_t(size_t, size, PAGE_SIZE);

	if (!boundary)
		boundary = allocation;
	else if ((boundary < size) || (boundary & (boundary - 1)) || boundary > INT_MAX / 2)
		return NULL;

	retval = kmalloc(sizeof(*retval), GFP_KERNEL);
	if (!retval)
		return retval;

	snprintf(retval->name, sizeof(retval->name), "%s", name);

	retval->dev = dev;

	INIT_LIST_HEAD(&retval->page_list);
	spin_lock_init(&retval->lock);
	retval->size = size;
	retval->boundary = boundary;
	retval->allocation = allocation;
	retval->blocks_per_page = pool_count_blocks(retval);

	INIT_LIST_HEAD(&retval->pools);

	mutex_lock(&pools_lock);
	list_add(&retval->pools, &dev->dma_pools);
	mutex_unlock(&pools_lock);
	return retval;
}

static void pool_initialise_page(struct dma_pool *pool, struct dma_page *page)
{
	size_t next_boundary = pool->boundary;
	unsigned int offset = 0;

	do {
		unsigned int next = pool_layout_next(pool, offset, &next_boundary);

		pool_link_set(page, offset, (int)next);
		offset = next;
	} while (offset < pool->allocation);
}

static struct dma_page *pool_alloc_page(struct dma_pool *pool, gfp_t mem_flags)
{
	struct dma_page *page;

	page = kmalloc(sizeof(*page), mem_flags);
	if (!page)
		return NULL;
	page->vaddr = dma_alloc_coherent(pool->dev, pool->allocation,
					 &page->dma, mem_flags);
	if (page->vaddr) {
		memset(page->vaddr, POOL_POISON_FREED, pool->allocation);
		pool_initialise_page(pool, page);
		page->in_use = 0;
		page->offset = 0;
	} else {
		kfree(page);
		page = NULL;
	}
	return page;
}

static inline bool is_page_busy(struct dma_page *page)
{
	return page->in_use != 0;
}

static void pool_free_page(struct dma_pool *pool, struct dma_page *page)
{
	dma_addr_t dma = page->dma;

	memset(page->vaddr, POOL_POISON_FREED, pool->allocation);
	dma_free_coherent(pool->dev, pool->allocation, page->vaddr, dma);
	list_del(&page->page_list);
	kfree(page);
}

/**
 * dma_pool_destroy - destroys a pool of dma memory blocks.
 * @pool: dma pool that will be destroyed
 *
 * Caller guarantees that no more memory from the pool is in use,
 * and that nothing will try to use the pool after this call.  A page with
 * blocks still in use is logged ("dma_pool_destroy NAME, VADDR busy") and
 * WARNs, and its coherent memory is leaked, as in the kernel: the device
 * may still be using it.  (It stays a live dma_alloc_coherent() buffer of
 * max(PAGE_SIZE, size) bytes at the page's first block.)
 *
 * Context: process context (!in_interrupt()).  A NULL @pool WARNs.
 */
void dma_pool_destroy(struct dma_pool *pool)
{
	char msg[POOL_MSG_LEN];

	if (WARN(!pool, "dma_pool_destroy: NULL pool"))
		return;

	mutex_lock(&pools_lock);
	list_del(&pool->pools);
	mutex_unlock(&pools_lock);

	while (!list_empty(&pool->page_list)) {
		struct dma_page *page;

		page = list_entry(pool->page_list.next, struct dma_page, page_list);
		if (is_page_busy(page)) {
			snprintf(msg, sizeof(msg), "dma_pool_destroy %s, %p busy",
				 pool->name, page->vaddr);
			pool_report(pool, msg);
			/* leak the still-in-use consistent memory */
			list_del(&page->page_list);
			kfree(page);
		} else {
			pool_free_page(pool, page);
		}
	}

	kfree(pool);
}

/*
 * Is the block at @offset of @page free?  Walks the page's free list, at
 * most one step per block.  Return: 1 if free, 0 if not, -1 if the list is
 * corrupt (a link that is not a block, or a cycle).  Lock held.
 */
static int pool_block_is_free(struct dma_pool *pool, struct dma_page *page, unsigned int offset)
{
	unsigned int chain = page->offset;
	unsigned int steps = 0;

	while (chain < pool->allocation) {
		if (!pool_is_block(pool, chain) || ++steps > pool->blocks_per_page)
			return -1;
		if (chain == offset)
			return 1;
		chain = (unsigned int)pool_link_get(page, chain);
	}
	return 0;
}

/* Is the free list link @next of a page of @pool an end or a block? */
static bool pool_link_ok(const struct dma_pool *pool, int next)
{
	if (next < 0)
		return false;
	return (size_t)next >= pool->allocation || pool_is_block(pool, (size_t)next);
}

/* The first bytes of a block, in hex, for a report. */
static void pool_dump(char *buf, size_t len, const u8 *data, size_t size)
{
	size_t i, n = min_t(size_t, size, 16);
	int used = 0;

	buf[0] = '\0';
	for (i = 0; i < n && used >= 0 && (size_t)used < len; i++)
		used += snprintf(buf + used, len - used, "%s%02x", i ? " " : "", data[i]);
}

/**
 * dma_pool_alloc - get a block of consistent memory
 * @pool: dma pool that will produce the block
 * @mem_flags: GFP_* bitmask
 * @handle: pointer to dma address of block
 *
 * This returns the kernel virtual address of a currently unused block,
 * and reports its dma address through the handle.  The block is filled
 * with 0xa9 (POOL_POISON_ALLOCATED); __GFP_ZERO is not honoured, as in
 * 2015.  A block that lost its free poison is logged ("dma_pool_alloc NAME,
 * VADDR (corrupted)") and WARNs, and is returned all the same; a page whose
 * free list is corrupt is reported likewise and no longer allocated from.
 *
 * Context: process context; any context without __GFP_WAIT.
 * Return: the block, or NULL if a page could not be allocated (its
 * kmalloc, IOSIM_FAULT_SLAB, or dma_alloc_coherent() failed).  A NULL
 * @pool or @handle WARNs and returns NULL.
 */
void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags,
		     dma_addr_t *handle)
{
	char msg[POOL_MSG_LEN], dump[64];
	unsigned long flags;
	struct dma_page *page;
	size_t offset, i;
	void *retval;
	u8 *data;
	int next;

	if (WARN(!pool || !handle, "dma_pool_alloc: NULL pool or handle"))
		return NULL;
	might_sleep_if(mem_flags & __GFP_WAIT);

retry:
	msg[0] = '\0';
	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(page, &pool->page_list, page_list) {
		if (page->offset < pool->allocation)
			goto ready;
	}

	/* pool_alloc_page() might sleep, so temporarily drop &pool->lock */
	spin_unlock_irqrestore(&pool->lock, flags);

	page = pool_alloc_page(pool, mem_flags);
	if (!page)
		return NULL;

	spin_lock_irqsave(&pool->lock, flags);

	list_add(&page->page_list, &pool->page_list);
 ready:
	offset = page->offset;
	next = pool_link_get(page, offset);
	if (!pool_link_ok(pool, next)) {
		/* A link the kernel would follow into the blue: stop using this page's list. */
		page->offset = pool->allocation;
		snprintf(msg, sizeof(msg), "dma_pool_alloc %s, %p (corrupted)",
			 pool->name, (void *)page_at(page, offset));
		spin_unlock_irqrestore(&pool->lock, flags);
		pool_report(pool, msg);
		goto retry;
	}
	page->in_use++;
	page->offset = (unsigned int)next;
	retval = page_at(page, offset);
	*handle = offset + page->dma;
	data = retval;
	/* page->offset is stored in first 4 bytes */
	for (i = sizeof(page->offset); i < pool->size; i++) {
		if (data[i] == POOL_POISON_FREED)
			continue;
		pool_dump(dump, sizeof(dump), data, pool->size);
		snprintf(msg, sizeof(msg), "dma_pool_alloc %s, %p (corrupted): %s",
			 pool->name, retval, dump);
		break;
	}
	memset(retval, POOL_POISON_ALLOCATED, pool->size);
	spin_unlock_irqrestore(&pool->lock, flags);
	if (msg[0])
		pool_report(pool, msg);
	return retval;
}

static struct dma_page *pool_find_page(struct dma_pool *pool, dma_addr_t dma)
{
	struct dma_page *page;

	list_for_each_entry(page, &pool->page_list, page_list) {
		if (dma < page->dma)
			continue;
		if ((dma - page->dma) < pool->allocation)
			return page;
	}
	return NULL;
}

/**
 * dma_pool_free - put block back into dma pool
 * @pool: the dma pool holding the block
 * @vaddr: virtual address of block
 * @dma: dma address of block
 *
 * Caller promises neither device nor driver will again touch this block
 * unless it is first re-allocated.  The block is filled with 0xa7
 * (POOL_POISON_FREED) but for its first four bytes, the free list's link.
 *
 * Context: any.  Misuse is logged with the kernel's message, WARNs and
 * frees nothing: a @dma in none of the pool's pages ("(bad dma)"), a @vaddr
 * that does not go with @dma ("(bad vaddr)"), an address inside a block
 * ("(not a block)", a check the kernel lacks), a block already free
 * ("already free"), or a page whose free list is corrupt ("(corrupted)").
 */
void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t dma)
{
	char msg[POOL_MSG_LEN];
	struct dma_page *page;
	unsigned long flags;
	unsigned int offset;
	int is_free;

	if (WARN(!pool, "dma_pool_free: NULL pool"))
		return;

	spin_lock_irqsave(&pool->lock, flags);
	page = pool_find_page(pool, dma);
	if (!page) {
		spin_unlock_irqrestore(&pool->lock, flags);
		snprintf(msg, sizeof(msg), "dma_pool_free %s, %p/%lx (bad dma)",
			 pool->name, vaddr, (unsigned long)dma);
		pool_report(pool, msg);
		return;
	}

	offset = (unsigned int)((uintptr_t)vaddr - (uintptr_t)page->vaddr);
	if ((dma - page->dma) != offset) {
		spin_unlock_irqrestore(&pool->lock, flags);
		snprintf(msg, sizeof(msg), "dma_pool_free %s, %p (bad vaddr)/%llx",
			 pool->name, vaddr, (unsigned long long)dma);
		pool_report(pool, msg);
		return;
	}
	if (!pool_is_block(pool, offset)) {
		spin_unlock_irqrestore(&pool->lock, flags);
		snprintf(msg, sizeof(msg), "dma_pool_free %s, %p/%llx (not a block)",
			 pool->name, vaddr, (unsigned long long)dma);
		pool_report(pool, msg);
		return;
	}
	is_free = pool_block_is_free(pool, page, offset);
	if (is_free) {
		spin_unlock_irqrestore(&pool->lock, flags);
		if (is_free > 0)
			snprintf(msg, sizeof(msg), "dma_pool_free %s, dma %llx already free",
				 pool->name, (unsigned long long)dma);
		else
			snprintf(msg, sizeof(msg), "dma_pool_free %s, %p/%llx (corrupted)",
				 pool->name, vaddr, (unsigned long long)dma);
		pool_report(pool, msg);
		return;
	}
	memset(vaddr, POOL_POISON_FREED, pool->size);

	page->in_use--;
	pool_link_set(page, offset, (int)page->offset);
	page->offset = offset;
	/*
	 * Resist a temptation to do
	 *    if (!is_page_busy(page)) pool_free_page(pool, page);
	 * Better have a few empty pages hang around.
	 */
	spin_unlock_irqrestore(&pool->lock, flags);
}

/*
 * Managed DMA pool
 */
static void dmam_pool_release(struct device *dev, void *res)
{
	struct dma_pool *pool = *(struct dma_pool **)res;

	(void)dev;
	dma_pool_destroy(pool);
}

static int dmam_pool_match(struct device *dev, void *res, void *match_data)
{
	(void)dev;
	return *(struct dma_pool **)res == match_data;
}

/**
 * dmam_pool_create - Managed dma_pool_create()
 * @name: name of pool, for diagnostics
 * @dev: device that will be doing the DMA
 * @size: size of the blocks in this pool.
 * @align: alignment requirement for blocks; must be a power of two
 * @allocation: returned blocks won't cross this boundary (or zero)
 *
 * Managed dma_pool_create().  DMA pool created with this function is
 * automatically destroyed on driver detach.
 *
 * Context: process context.
 * Return: as dma_pool_create(); NULL too if the record's kmalloc failed.
 */
struct dma_pool *dmam_pool_create(const char *name, struct device *dev,
				  size_t size, size_t align, size_t allocation)
{
	struct dma_pool **ptr, *pool;

	ptr = devres_alloc(dmam_pool_release, sizeof(*ptr), GFP_KERNEL);
	if (!ptr)
		return NULL;

	pool = *ptr = dma_pool_create(name, dev, size, align, allocation);
	if (pool)
		devres_add(dev, ptr);
	else
		devres_free(ptr);

	return pool;
}

/**
 * dmam_pool_destroy - Managed dma_pool_destroy()
 * @pool: dma pool that will be destroyed
 *
 * Destroys the pool and forgets its record.
 *
 * Context: process context.  A pool dmam_pool_create() did not make (no
 * record) WARNs and is not destroyed; a NULL @pool WARNs.
 */
void dmam_pool_destroy(struct dma_pool *pool)
{
	struct device *dev;

	if (WARN(!pool, "dmam_pool_destroy: NULL pool"))
		return;
	dev = pool->dev;
	WARN(devres_release(dev, dmam_pool_release, dmam_pool_match, pool),
	     "dmam_pool_destroy: pool %s of '%s' is not managed", pool->name, dev_name(dev));
}

/* Is @pool on its device's list of pools? */
static bool pool_listed(struct dma_pool *pool)
{
	struct dma_pool *pos;
	bool found = false;

	mutex_lock(&pools_lock);
	list_for_each_entry(pos, &pool->dev->dma_pools, pools) {
		if (pos == pool) {
			found = true;
			break;
		}
	}
	mutex_unlock(&pools_lock);
	return found;
}

/* Check one page (lock held); a description of the first problem into @msg. */
static bool pool_page_ok(struct dma_pool *pool, struct dma_page *page, char *msg, size_t len)
{
	unsigned int chain = page->offset, nr_free = 0;
	struct dma_page *other;

	if (!page->vaddr) {
		snprintf(msg, len, "page %p has no memory", (void *)page);
		return false;
	}
	if (page->in_use > pool->blocks_per_page) {
		snprintf(msg, len, "page %p has %u blocks in use of %u", page->vaddr, page->in_use,
			 pool->blocks_per_page);
		return false;
	}
	list_for_each_entry(other, &pool->page_list, page_list) {
		if (other != page && other->dma < page->dma + pool->allocation &&
		    page->dma < other->dma + pool->allocation) {
			snprintf(msg, len, "pages %p and %p overlap at DMA %#llx and %#llx",
				 page->vaddr, other->vaddr, (unsigned long long)page->dma,
				 (unsigned long long)other->dma);
			return false;
		}
	}
	while (chain < pool->allocation) {
		const u8 *data = page_at(page, chain);
		size_t i;

		if (!pool_is_block(pool, chain)) {
			snprintf(msg, len, "page %p: free list links to offset %u, not a block",
				 page->vaddr, chain);
			return false;
		}
		if (++nr_free > pool->blocks_per_page) {
			snprintf(msg, len, "page %p: free list has a cycle", page->vaddr);
			return false;
		}
		for (i = sizeof(int); i < pool->size; i++) {
			if (data[i] != POOL_POISON_FREED) {
				snprintf(msg, len,
					 "page %p: free block at offset %u written at byte %zu (%#x)",
					 page->vaddr, chain, i, data[i]);
				return false;
			}
		}
		chain = (unsigned int)pool_link_get(page, chain);
	}
	if (nr_free + page->in_use != pool->blocks_per_page) {
		snprintf(msg, len, "page %p: %u free and %u in use, of %u blocks", page->vaddr,
			 nr_free, page->in_use, pool->blocks_per_page);
		return false;
	}
	return true;
}

/**
 * iosim_dma_pool_check - the sanity checker of a DMA pool
 * @pool: a pool dma_pool_create() made
 *
 * Context: process context; takes the pools' mutex and the pool's lock.
 * Return: 0 if consistent; -EUCLEAN after a WARN naming the first problem.
 */
int iosim_dma_pool_check(struct dma_pool *pool)
{
	char msg[POOL_MSG_LEN];
	struct list_head *pos, *prev;
	unsigned long flags;

	if (WARN(!pool, "dma pool check: NULL pool"))
		return -EUCLEAN;
	if (WARN(!pool->dev, "dma pool %s: no device", pool->name))
		return -EUCLEAN;
	if (WARN(pool->size < 4 || pool->allocation != max_t(size_t, pool->size, PAGE_SIZE) ||
		 pool->boundary < pool->size || !is_power_of_2(pool->boundary) ||
		 pool->blocks_per_page != pool_count_blocks(pool) || !pool->blocks_per_page,
		 "dma pool %s: bad geometry: blocks of %zu in pages of %zu, boundary %zu, %u per page",
		 pool->name, pool->size, pool->allocation, pool->boundary, pool->blocks_per_page))
		return -EUCLEAN;
	if (WARN(!pool_listed(pool), "dma pool %s: not on the pools of '%s'", pool->name,
		 dev_name(pool->dev)))
		return -EUCLEAN;

	msg[0] = '\0';
	spin_lock_irqsave(&pool->lock, flags);
	for (prev = &pool->page_list, pos = prev->next; pos != &pool->page_list;
	     prev = pos, pos = pos->next) {
		if (!pos || pos->prev != prev) {
			snprintf(msg, sizeof(msg), "page list entry %p does not link back to %p",
				 (void *)pos, (void *)prev);
			break;
		}
		if (!pool_page_ok(pool, list_entry(pos, struct dma_page, page_list), msg,
				  sizeof(msg)))
			break;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	if (WARN(msg[0], "dma pool %s of '%s': %s", pool->name, dev_name(pool->dev), msg))
		return -EUCLEAN;
	return 0;
}

/**
 * iosim_dma_pool_nr_pages - how many pages a DMA pool holds
 * @pool: the pool
 *
 * Context: any; takes the pool's lock.
 * Return: the pages (of max(PAGE_SIZE, size) bytes each) on its list.
 */
size_t iosim_dma_pool_nr_pages(struct dma_pool *pool)
{
	struct dma_page *page;
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(page, &pool->page_list, page_list)
		n++;
	spin_unlock_irqrestore(&pool->lock, flags);
	return n;
}

/**
 * iosim_dma_pool_in_use - how many blocks of a DMA pool are allocated
 * @pool: the pool
 *
 * Context: any; takes the pool's lock.
 * Return: the blocks allocated and not freed, over all its pages.
 */
size_t iosim_dma_pool_in_use(struct dma_pool *pool)
{
	struct dma_page *page;
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&pool->lock, flags);
	list_for_each_entry(page, &pool->page_list, page_list)
		n += page->in_use;
	spin_unlock_irqrestore(&pool->lock, flags);
	return n;
}

/**
 * iosim_dma_pool_blocks_per_page - how many blocks a page of a DMA pool holds
 * @pool: the pool
 *
 * Context: any.
 * Return: the count of the pool's layout (at least 1).
 */
size_t iosim_dma_pool_blocks_per_page(struct dma_pool *pool)
{
	return pool->blocks_per_page;
}
