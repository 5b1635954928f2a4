// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Slab pages: kmalloc() and kmem_cache objects carved out of simulated RAM.
 *
 * As SLUB does, each pool (a kmalloc size class, or one kmem_cache) takes
 * blocks of 2^order frames from alloc_pages() and cuts them into equal slots;
 * an object is one slot, so virt_to_page()/virt_to_phys() work on it and a
 * simulated device can DMA into it.  kmalloc requests above
 * KMALLOC_MAX_CACHE_SIZE get a compound block of their own
 * (kmalloc_large).  A slab page that becomes empty goes straight back to the
 * page allocator, so page counts are deterministic: with no object left, no
 * slab page is left.
 *
 * Unlike SLUB, the free list is not threaded through the free objects: each
 * slab page has a host-side descriptor with a stack of free slot indices and
 * an in-use bitmap, found from the object's registry entry in O(1).  The head
 * page's ->private points at the descriptor (or, for a kmalloc_large block,
 * at the object's registry entry): that marker is how a block is recognised
 * as still ours after simulated RAM was destroyed and re-created.
 *
 * Free slots are filled with SLAB_POISON_FREE (except in caches with a
 * constructor, whose free objects must stay constructed, as in the kernel),
 * the bytes of a live object's slot past its size with SLAB_RED_ACTIVE
 * (slab.c), and both are made inaccessible to ASan/valgrind
 * (slab_redzone.h); iosim_slab_check() verifies the patterns.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <iosim/cache.h>
#include <iosim/fault.h>
#include <iosim/ram.h>
#include "iosim_mm.h"
#include "slab_internal.h"
#include "slab_redzone.h"

/* A slab page grows past one page only up to this order (PAGE_ALLOC_COSTLY_ORDER). */
#define SLAB_MAX_GROW_ORDER	3

LIST_HEAD(slab_all);
LIST_HEAD(slab_stale);
LIST_HEAD(slab_large);
unsigned long slab_large_pages;

/*
 * The RAM our blocks live in, by its generation (a new RAM has a new one,
 * whatever address it is mapped at).  Recorded when the first block is
 * made after none existed.
 */
static u64 slab_ram_generation;

static bool slab_have_blocks(void)
{
	return !list_empty(&slab_all) || !list_empty(&slab_large);
}

/* About to make a block: remember which RAM it is in if it is the first. */
static void slab_note_new_block(void)
{
	if (!slab_have_blocks())
		slab_ram_generation = iosim_ram_state.generation;
}

static size_t slab_block_bytes(unsigned int order)
{
	return PAGE_SIZE << order;
}

/*
 * The order of a pool's slab pages: the smallest block that holds a slot,
 * grown while more than an eighth of it would be wasted (as SLUB's
 * slab_order() trades waste for order), but not past SLAB_MAX_GROW_ORDER.
 */
static unsigned int slab_order(size_t slot_bytes)
{
	unsigned int order = (unsigned int)get_order(slot_bytes);

	while (order < SLAB_MAX_GROW_ORDER && order + 1 < MAX_ORDER) {
		size_t bytes = slab_block_bytes(order);

		if ((bytes % slot_bytes) * 8 <= bytes)
			break;
		order++;
	}
	return order;
}

void slab_pool_init(struct slab_pool *pool, const char *name, size_t obj_bytes, size_t align,
		    void (*ctor)(void *))
{
	pool->name = name;
	pool->slot_bytes = ALIGN(obj_bytes, align);
	pool->obj_bytes = obj_bytes;
	pool->order = slab_order(pool->slot_bytes);
	pool->nr_slots = (unsigned int)(slab_block_bytes(pool->order) / pool->slot_bytes);
	pool->ctor = ctor;
	INIT_LIST_HEAD(&pool->partial);
	INIT_LIST_HEAD(&pool->full);
	pool->nr_slabs = 0;
	pool->nr_objects = 0;
}

struct slab_pool *kmalloc_pool(size_t size)
{
	unsigned int idx = 0;

	if (size > KMALLOC_MIN_SIZE)
		idx = (unsigned int)order_base_2(size) - KMALLOC_SHIFT_LOW;
	return &kmalloc_pools[idx];
}

bool slab_block_is_ours(const struct page *page, const void *owner)
{
	/* A page of RAM that no longer exists is not valid: nothing is dereferenced. */
	return iosim_page_valid(page) && page->private == (unsigned long)owner;
}

/*
 * Descriptors are host memory, sized by their page's slot count.  Freed ones
 * are kept (at most SLAB_DESCS_KEPT, under slab_lock) for the next slab page
 * of the same size: a fuzz input makes and frees a few slab pages, and under
 * AddressSanitizer each host malloc() and free() costs a stack capture and
 * the quarantine.  Kept ones are reachable from desc_kept: leak checkers do
 * not count them, and they hold no simulated memory.
 */
#define SLAB_DESCS_KEPT	16

static struct {
	struct slab_page *desc;
	size_t bytes;
} desc_kept[SLAB_DESCS_KEPT];
static unsigned int nr_desc_kept;

/* The descriptor's free-slot stack, and where its in-use bitmap starts. */
static size_t slab_desc_idx_bytes(unsigned int nr_slots)
{
	return ALIGN(sizeof(struct slab_page) + nr_slots * sizeof(unsigned int),
		     sizeof(unsigned long));
}

/* Its in-use bitmap. */
static size_t slab_desc_map_bytes(unsigned int nr_slots)
{
	return BITS_TO_LONGS(nr_slots) * sizeof(unsigned long);
}

static size_t slab_desc_bytes(unsigned int nr_slots)
{
	return slab_desc_idx_bytes(nr_slots) + slab_desc_map_bytes(nr_slots);
}

static struct slab_page *slab_desc_get(unsigned int nr_slots)
{
	size_t bytes = slab_desc_bytes(nr_slots);
	struct slab_page *desc;
	unsigned int i;

	/* Kept or not, a host allocation as far as a sweep can tell. */
	if (iosim_fault_should_fail(IOSIM_FAULT_HOST))
		return NULL;
	for (i = 0; i < nr_desc_kept; i++) {
		if (desc_kept[i].bytes != bytes)
			continue;
		desc = desc_kept[i].desc;
		desc_kept[i] = desc_kept[--nr_desc_kept];
		return desc;
	}
	return malloc(bytes);
}

static void slab_desc_put(struct slab_page *desc)
{
	if (nr_desc_kept == SLAB_DESCS_KEPT) {
		free(desc);
		return;
	}
	desc_kept[nr_desc_kept].desc = desc;
	desc_kept[nr_desc_kept].bytes = slab_desc_bytes(desc->nr_slots);
	nr_desc_kept++;
}

/* A new slab page for @pool, on its partial list; NULL if alloc_pages() failed. */
static struct slab_page *slab_page_new(struct slab_pool *pool, gfp_t gfp)
{
	size_t idx_bytes = slab_desc_idx_bytes(pool->nr_slots);
	size_t map_bytes = slab_desc_map_bytes(pool->nr_slots);
	struct slab_page *slab;
	struct page *page;
	unsigned int i;

	/* The descriptor is bookkeeping of the simulation: host memory. */
	slab = slab_desc_get(pool->nr_slots);
	if (!slab)
		return NULL;
	slab->nr_slots = pool->nr_slots;	/* what slab_desc_put() sizes it by */
	gfp &= ~__GFP_ZERO;
	if (pool->order)
		gfp |= __GFP_COMP;
	/* Every byte is poisoned below: no need for alloc_pages()' own fill. */
	page = iosim_alloc_pages_unfilled(gfp, pool->order);
	if (!page)
		goto out_free_slab;

	slab->pool = pool;
	slab->page = page;
	slab->base = page_address(page);
	slab->order = pool->order;
	slab->nr_stale = 0;
	slab->check_seen = 0;
	slab->stale = false;
	slab_note_new_block();
	list_add(&slab->all_node, &slab_all);
	slab->inuse = (unsigned long *)((char *)slab + idx_bytes);
	memset(slab->inuse, 0, map_bytes);
	/* Popped from the top: slots are handed out lowest address first. */
	for (i = 0; i < pool->nr_slots; i++)
		slab->free_idx[i] = pool->nr_slots - 1 - i;
	slab->nr_free = pool->nr_slots;
	page->private = (unsigned long)slab;

	/* Every slot starts free (and the bytes past the last one look free too). */
	memset(slab->base, SLAB_POISON_FREE, slab_block_bytes(slab->order));
	iosim_cache_cpu_wrote(slab->base, slab_block_bytes(slab->order));
	/* As the kernel's setup_object(): a constructor runs once per slot, here. */
	if (pool->ctor)
		for (i = 0; i < pool->nr_slots; i++)
			pool->ctor(slab->base + i * pool->slot_bytes);
	rz_noaccess(slab->base, slab_block_bytes(slab->order));

	list_add(&slab->list, &pool->partial);
	pool->nr_slabs++;
	return slab;

out_free_slab:
	slab_desc_put(slab);
	return NULL;
}

/* Give the empty @slab's block back to the page allocator. */
static void slab_page_free(struct slab_page *slab)
{
	struct slab_pool *pool = slab->pool;

	list_del(&slab->list);
	list_del(&slab->all_node);
	pool->nr_slabs--;
	/* The page allocator fills freed frames with poison: let it. */
	rz_release(slab->base, slab_block_bytes(slab->order));
	slab->page->private = 0;
	__free_pages(slab->page, slab->order);
	slab_desc_put(slab);
}

void *slab_pool_alloc(struct slab_pool *pool, gfp_t gfp, struct slab_page **slabp)
{
	struct slab_page *slab;
	unsigned int idx;

	slab = list_first_entry_or_null(&pool->partial, struct slab_page, list);
	if (!slab) {
		slab = slab_page_new(pool, gfp);
		if (!slab)
			return NULL;
	}
	idx = slab->free_idx[--slab->nr_free];
	__set_bit(idx, slab->inuse);
	if (!slab->nr_free)
		list_move(&slab->list, &pool->full);
	pool->nr_objects++;
	*slabp = slab;
	return slab->base + (size_t)idx * pool->slot_bytes;
}

void slab_pool_free(struct slab_page *slab, const void *p)
{
	struct slab_pool *pool = slab->pool;
	unsigned int idx = (unsigned int)(((const char *)p - slab->base) / pool->slot_bytes);
	char *slot = slab->base + (size_t)idx * pool->slot_bytes;

	rz_undefined(slot, pool->slot_bytes);
	/* A constructed object must stay constructed while free (kernel rule). */
	if (!pool->ctor)
		memset(slot, SLAB_POISON_FREE, pool->slot_bytes);
	rz_noaccess(slot, pool->slot_bytes);

	__clear_bit(idx, slab->inuse);
	slab->free_idx[slab->nr_free++] = idx;
	pool->nr_objects--;
	if (slab->nr_free == slab->nr_slots)
		slab_page_free(slab);
	else if (slab->nr_free == 1)
		list_move(&slab->list, &pool->partial);
}

void *slab_large_alloc(struct slab_obj *obj, size_t size, gfp_t gfp)
{
	unsigned int order = (unsigned int)get_order(size);
	struct page *page;

	/*
	 * As kmalloc_order(): a compound block, so virt_to_head_page() finds
	 * its head; __GFP_ZERO, if given, zeroes the whole block.
	 */
	page = alloc_pages(gfp | __GFP_COMP, order);
	if (!page)
		return NULL;
	slab_note_new_block();
	page->private = (unsigned long)obj;
	obj->page = page;
	obj->order = order;
	obj->usable = slab_block_bytes(order);
	obj->stale = false;
	list_add(&obj->large_node, &slab_large);
	slab_large_pages += 1UL << order;
	return page_address(page);
}

void slab_large_free(struct slab_obj *obj)
{
	list_del_init(&obj->large_node);
	slab_large_pages -= 1UL << obj->order;
	rz_release(obj->ptr, obj->usable);
	obj->page->private = 0;
	__free_pages(obj->page, obj->order);
}

/* Make every slab page of @pool stale; its objects stay registered. */
static void pool_forget(struct slab_pool *pool)
{
	struct list_head *lists[] = { &pool->partial, &pool->full };
	struct slab_page *slab, *tmp;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		list_for_each_entry_safe(slab, tmp, lists[i], list) {
			/* ASan keeps shadow past munmap(): clear it for whoever maps there next. */
			rz_shadow_release(slab->base, slab_block_bytes(slab->order));
			slab->stale = true;
			slab->pool = NULL;
			slab->nr_stale = slab->nr_slots - slab->nr_free;
			list_move(&slab->list, &slab_stale);
			list_del_init(&slab->all_node);
		}
	}
	pool->nr_slabs = 0;
	pool->nr_objects = 0;
}

void slab_forget_ram(void)
{
	struct slab_obj *obj, *tmp;
	struct kmem_cache *s;
	unsigned int i;

	for (i = 0; i < NR_KMALLOC_CLASSES; i++)
		pool_forget(&kmalloc_pools[i]);
	list_for_each_entry(s, &slab_caches, node)
		pool_forget(&s->pool);
	list_for_each_entry_safe(obj, tmp, &slab_large, large_node) {
		rz_shadow_release(obj->ptr, obj->usable);
		obj->stale = true;
		list_del_init(&obj->large_node);
	}
	slab_large_pages = 0;
}

void slab_sync_ram(void)
{
	struct slab_page *slab = list_first_entry_or_null(&slab_all, struct slab_page, all_node);
	struct slab_obj *obj = list_first_entry_or_null(&slab_large, struct slab_obj, large_node);

	if (!slab && !obj)
		return;
	if (!iosim_ram_ready()) {
		slab_forget_ram();
		return;
	}
	if ((!slab || slab_block_is_ours(slab->page, slab)) &&
	    (!obj || slab_block_is_ours(obj->page, obj)))
		return;
	/*
	 * A marker is gone: either RAM was destroyed and re-created between two
	 * calls, or someone overwrote or freed our page (iosim_slab_check()
	 * reports that; the objects are still there).  The generation tells which.
	 */
	if (iosim_ram_state.generation != slab_ram_generation)
		slab_forget_ram();
}

void slab_stale_put(struct slab_page *slab)
{
	if (--slab->nr_stale)
		return;
	list_del(&slab->list);
	slab_desc_put(slab);
}

unsigned long slab_pool_pages(void)
{
	unsigned long nr = 0;
	struct kmem_cache *s;
	unsigned int i;

	for (i = 0; i < NR_KMALLOC_CLASSES; i++)
		nr += kmalloc_pools[i].nr_slabs << kmalloc_pools[i].order;
	list_for_each_entry(s, &slab_caches, node)
		nr += s->pool.nr_slabs << s->pool.order;
	return nr;
}
