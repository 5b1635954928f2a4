// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The slab allocator's sanity checker (iosim_slab_check(), <iosim/slab.h>).
 *
 * Two passes under slab_lock: every slab page of every pool is checked on
 * its own (its block, its lists, its free-slot stack against its bitmap, the
 * sanitizer poison and the SLAB_POISON_FREE bytes of its free slots), then
 * every registry entry is checked against the slab page or block it claims
 * (its redzone's poison and SLAB_RED_ACTIVE bytes included), counting
 * entries per slab page, pool and cache; the counts must match what the
 * pools believe.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/slab.h>
#include "iosim_mm.h"
#include "slab_internal.h"
#include "slab_redzone.h"

/* Stop reporting after this many problems: one corruption tends to cascade. */
#define CHECK_MAX_REPORTS	32

struct check_state {
	int problems;
	unsigned long *scratch;		/* one bit per slot of the slab being checked */
	size_t scratch_longs;
};

static __printf(2, 3) void check_report(struct check_state *cs, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (cs->problems++ >= CHECK_MAX_REPORTS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	WARN(1, "iosim_slab_check: %s", msg);
}

/* A zeroed bitmap of @nr bits in cs->scratch; false if the host is out of memory. */
static bool scratch_bitmap(struct check_state *cs, unsigned int nr)
{
	size_t longs = BITS_TO_LONGS(nr);

	if (longs > cs->scratch_longs) {
		unsigned long *map = iosim_host_realloc(cs->scratch, longs * sizeof(*map));

		if (!map)
			return false;
		cs->scratch = map;
		cs->scratch_longs = longs;
	}
	memset(cs->scratch, 0, longs * sizeof(*cs->scratch));
	return true;
}

/* Is the block at @page (2^@order frames) a live allocation of that order? */
static bool block_is_allocated(const struct page *page, unsigned int order)
{
	return iosim_page_allocated(page) && (page->flags & (1UL << PG_iosim_alloc)) &&
	       page->alloc_order == order;
}

/* Check the free-slot stack of @slab against its bitmap and the slots' poison. */
static void check_free_slots(struct check_state *cs, struct slab_pool *pool,
			     struct slab_page *slab)
{
	unsigned int i, nr_inuse = 0;
	size_t tail;

	if (!scratch_bitmap(cs, slab->nr_slots)) {
		check_report(cs, "%s: out of host memory checking a slab page", pool->name);
		return;
	}
	for (i = 0; i < slab->nr_free; i++) {
		unsigned int idx = slab->free_idx[i];
		const char *slot;

		if (idx >= slab->nr_slots) {
			check_report(cs, "%s: slab page %p: free slot index %u out of range",
				     pool->name, slab->base, idx);
			continue;
		}
		if (test_bit(idx, slab->inuse))
			check_report(cs, "%s: slab page %p: slot %u is both free and in use",
				     pool->name, slab->base, idx);
		if (test_and_set_bit(idx, cs->scratch))
			check_report(cs, "%s: slab page %p: slot %u is free twice",
				     pool->name, slab->base, idx);
		slot = slab->base + (size_t)idx * pool->slot_bytes;
		if (!rz_all_poisoned(slot, pool->slot_bytes))
			check_report(cs, "%s: free slot %p is not poisoned", pool->name, slot);
		/* A constructed object keeps its contents while free: nothing to compare. */
		if (!pool->ctor && !rz_scan(slot, pool->slot_bytes, SLAB_POISON_FREE))
			check_report(cs, "%s: free slot %p was written after it was freed (use after free, or DMA into a freed object)",
				     pool->name, slot);
	}
	for (i = 0; i < slab->nr_slots; i++)
		nr_inuse += test_bit(i, slab->inuse) ? 1 : 0;
	if (nr_inuse + slab->nr_free != slab->nr_slots)
		check_report(cs, "%s: slab page %p: %u slots in use + %u free != %u slots",
			     pool->name, slab->base, nr_inuse, slab->nr_free, slab->nr_slots);
	tail = (size_t)slab->nr_slots * pool->slot_bytes;
	if (!rz_all_poisoned(slab->base + tail, (PAGE_SIZE << slab->order) - tail))
		check_report(cs, "%s: slab page %p: the bytes past the last slot are not poisoned",
			     pool->name, slab->base);
}

/* Check one slab page of @pool, found on its partial list if @partial. */
static void check_slab(struct check_state *cs, struct slab_pool *pool, struct slab_page *slab,
		       bool partial)
{
	slab->check_seen = 0;
	if (slab->stale || slab->pool != pool) {
		check_report(cs, "%s: slab page %p on its lists is %s", pool->name, slab->base,
			     slab->stale ? "stale" : "another pool's");
		return;
	}
	if (!slab_block_is_ours(slab->page, slab)) {
		check_report(cs, "%s: slab page %p: its page is not marked as a slab page (page->private overwritten, or RAM re-created?)",
			     pool->name, slab->base);
		return;
	}
	if (!block_is_allocated(slab->page, slab->order))
		check_report(cs, "%s: slab page %p is not an allocated order-%u block",
			     pool->name, slab->base, slab->order);
	if (page_address(slab->page) != slab->base)
		check_report(cs, "%s: slab page %p: its page maps at %p", pool->name, slab->base,
			     page_address(slab->page));
	if (slab->order != pool->order || slab->nr_slots != pool->nr_slots)
		check_report(cs, "%s: slab page %p has order %u/%u slots, the pool %u/%u",
			     pool->name, slab->base, slab->order, slab->nr_slots, pool->order,
			     pool->nr_slots);
	if (slab->nr_free > slab->nr_slots) {
		check_report(cs, "%s: slab page %p: %u free of %u slots", pool->name, slab->base,
			     slab->nr_free, slab->nr_slots);
		return;
	}
	if (slab->nr_free == slab->nr_slots)
		check_report(cs, "%s: slab page %p is empty but was not freed", pool->name,
			     slab->base);
	if (partial != (slab->nr_free > 0))
		check_report(cs, "%s: slab page %p with %u free slots is on the %s list",
			     pool->name, slab->base, slab->nr_free, partial ? "partial" : "full");
	check_free_slots(cs, pool, slab);
}

/* Check every slab page of @pool; slab->check_seen is reset for the registry pass. */
static void check_pool(struct check_state *cs, struct slab_pool *pool)
{
	unsigned long nr_slabs = 0, nr_objects = 0;
	struct slab_page *slab;

	list_for_each_entry(slab, &pool->partial, list) {
		check_slab(cs, pool, slab, true);
		nr_slabs++;
		nr_objects += slab->nr_slots - min(slab->nr_free, slab->nr_slots);
	}
	list_for_each_entry(slab, &pool->full, list) {
		check_slab(cs, pool, slab, false);
		nr_slabs++;
		nr_objects += slab->nr_slots - min(slab->nr_free, slab->nr_slots);
	}
	if (nr_slabs != pool->nr_slabs)
		check_report(cs, "%s: %lu slab pages on the lists, the pool counts %lu",
			     pool->name, nr_slabs, pool->nr_slabs);
	if (nr_objects != pool->nr_objects)
		check_report(cs, "%s: %lu slots in use, the pool counts %lu objects",
			     pool->name, nr_objects, pool->nr_objects);
}

/* Is @pool one of the kmalloc size classes? */
static bool pool_is_kmalloc(const struct slab_pool *pool)
{
	return pool >= kmalloc_pools && pool < kmalloc_pools + NR_KMALLOC_CLASSES;
}

/* Check the SLAB-backed registry entry @obj against its slab page. */
static void check_slab_obj(struct check_state *cs, struct slab_obj *obj)
{
	struct slab_page *slab = obj->slab;
	struct slab_pool *pool = slab->pool;
	const char *p = obj->ptr;
	size_t offset, idx;

	slab->check_seen++;
	if (slab->stale)
		return;
	/* Only a stale slab page has no pool: this one lost its mark. */
	if (!pool) {
		check_report(cs, "object %p sits in slab page %p, which has no pool but is not stale",
			     p, slab->base);
		return;
	}
	if (obj->cache ? pool != &obj->cache->pool : !pool_is_kmalloc(pool)) {
		check_report(cs, "object %p of %s sits in a slab page of %s", p,
			     obj->cache ? obj->cache->name : "kmalloc", pool->name);
		return;
	}
	if (p < slab->base || p >= slab->base + (size_t)slab->nr_slots * pool->slot_bytes) {
		check_report(cs, "%s: object %p lies outside its slab page %p", pool->name, p,
			     slab->base);
		return;
	}
	offset = (size_t)(p - slab->base);
	idx = offset / pool->slot_bytes;
	/* Objects start slots, and one registry key is one address: none overlap. */
	if (offset % pool->slot_bytes)
		check_report(cs, "%s: object %p does not start a slot", pool->name, p);
	else if (!test_bit((long)idx, slab->inuse))
		check_report(cs, "%s: object %p is in slot %zu, which is marked free",
			     pool->name, p, idx);
	if (obj->usable != pool->obj_bytes || obj->size > obj->usable)
		check_report(cs, "%s: object %p claims %zu of %zu bytes, the pool's objects have %zu",
			     pool->name, p, obj->size, obj->usable, pool->obj_bytes);
	if (!rz_none_poisoned(p, obj->size))
		check_report(cs, "%s: object %p has poisoned bytes", pool->name, p);
	if (obj->size > pool->slot_bytes)
		return;
	if (!rz_all_poisoned(p + obj->size, pool->slot_bytes - obj->size))
		check_report(cs, "%s: the redzone past object %p (%zu bytes) is not poisoned",
			     pool->name, p, obj->size);
	if (!rz_scan(p + obj->size, pool->slot_bytes - obj->size, SLAB_RED_ACTIVE))
		check_report(cs, "%s: the redzone past object %p (%zu bytes) was overwritten",
			     pool->name, p, obj->size);
}

/* Check the kmalloc_large registry entry @obj against its block. */
static void check_large_obj(struct check_state *cs, struct slab_obj *obj,
			    unsigned long *nr_large_pages)
{
	const char *p = obj->ptr;

	if (obj->stale)
		return;
	*nr_large_pages += 1UL << obj->order;
	if (obj->cache)
		check_report(cs, "kmem_cache %s object %p is a kmalloc_large block",
			     obj->cache->name, p);
	if (list_empty(&obj->large_node))
		check_report(cs, "kmalloc_large object %p is not on the large list", p);
	if (!slab_block_is_ours(obj->page, obj)) {
		check_report(cs, "kmalloc_large object %p: its page is not marked as ours", p);
		return;
	}
	if (!block_is_allocated(obj->page, obj->order))
		check_report(cs, "kmalloc_large object %p is not an allocated order-%u block",
			     p, obj->order);
	if (obj->order && !PageHead(obj->page))
		check_report(cs, "kmalloc_large object %p is not a compound page", p);
	if (page_address(obj->page) != p)
		check_report(cs, "kmalloc_large object %p: its page maps at %p", p,
			     page_address(obj->page));
	/* Its size may have shrunk below KMALLOC_MAX_CACHE_SIZE since (krealloc()). */
	if (obj->usable != PAGE_SIZE << obj->order || obj->size > obj->usable) {
		check_report(cs, "kmalloc_large object %p: %zu of %zu bytes in an order-%u block",
			     p, obj->size, obj->usable, obj->order);
		return;
	}
	if (!rz_none_poisoned(p, obj->size) ||
	    !rz_all_poisoned(p + obj->size, obj->usable - obj->size))
		check_report(cs, "kmalloc_large object %p: poison does not match its %zu bytes",
			     p, obj->size);
	if (!rz_scan(p + obj->size, obj->usable - obj->size, SLAB_RED_ACTIVE))
		check_report(cs, "kmalloc_large object %p: the redzone past its %zu bytes was overwritten",
			     p, obj->size);
}

/* The registry pass: every entry against its memory, counting per slab and cache. */
static void check_registry(struct check_state *cs)
{
	unsigned long nr = 0, nr_large_pages = 0;
	struct slab_obj *obj, *tmp;
	struct kmem_cache *s;

	list_for_each_entry(s, &slab_caches, node)
		s->check_seen = 0;
	HASH_ITER(hh, slab_registry, obj, tmp) {
		nr++;
		if (obj->cache)
			obj->cache->check_seen++;
		if (ZERO_OR_NULL_PTR(obj->ptr))
			check_report(cs, "the registry holds the pointer %p", obj->ptr);
		switch (obj->backing) {
		case SLAB_BACKING_SLAB:
			check_slab_obj(cs, obj);
			break;
		case SLAB_BACKING_LARGE:
			check_large_obj(cs, obj, &nr_large_pages);
			break;
		case SLAB_BACKING_MALLOC:
			if (virt_addr_valid(obj->ptr))
				check_report(cs, "heap object %p lies in simulated RAM", obj->ptr);
			if (obj->size > obj->usable)
				check_report(cs, "heap object %p claims %zu of %zu bytes",
					     obj->ptr, obj->size, obj->usable);
			break;
		}
	}
	if ((long)nr != iosim_live(IOSIM_OBJ_SLAB))
		check_report(cs, "the registry holds %lu objects, the live count says %ld",
			     nr, iosim_live(IOSIM_OBJ_SLAB));
	if (nr_large_pages != slab_large_pages)
		check_report(cs, "kmalloc_large blocks hold %lu pages, the counter says %lu",
			     nr_large_pages, slab_large_pages);
	list_for_each_entry(s, &slab_caches, node)
		if (s->check_seen != s->nr_objects)
			check_report(cs, "cache %s: %ld objects registered, it counts %ld",
				     s->name, s->check_seen, s->nr_objects);
}

/* After the registry pass: each slab page holds exactly the objects it counts. */
static void check_seen_counts(struct check_state *cs, struct slab_pool *pool)
{
	struct list_head *lists[] = { &pool->partial, &pool->full };
	struct slab_page *slab;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lists); i++)
		list_for_each_entry(slab, lists[i], list)
			if (!slab->stale && slab->nr_free <= slab->nr_slots &&
			    slab->check_seen != slab->nr_slots - slab->nr_free)
				check_report(cs, "%s: slab page %p has %u slots in use but %u registered objects",
					     pool->name, slab->base, slab->nr_slots - slab->nr_free,
					     slab->check_seen);
}

int iosim_slab_check(void)
{
	struct check_state cs = { 0 };
	struct slab_page *slab;
	struct kmem_cache *s;
	unsigned int i;

	if (!slab_lock_enter("iosim_slab_check"))
		return -EUCLEAN;
	for (i = 0; i < NR_KMALLOC_CLASSES; i++)
		check_pool(&cs, &kmalloc_pools[i]);
	list_for_each_entry(s, &slab_caches, node)
		check_pool(&cs, &s->pool);
	list_for_each_entry(slab, &slab_stale, list) {
		slab->check_seen = 0;
		if (!slab->stale || !slab->nr_stale)
			check_report(&cs, "slab page %p on the stale list is %s", slab->base,
				     slab->stale ? "empty" : "not stale");
	}

	check_registry(&cs);

	for (i = 0; i < NR_KMALLOC_CLASSES; i++)
		check_seen_counts(&cs, &kmalloc_pools[i]);
	list_for_each_entry(s, &slab_caches, node)
		check_seen_counts(&cs, &s->pool);
	list_for_each_entry(slab, &slab_stale, list)
		if (slab->check_seen != slab->nr_stale)
			check_report(&cs, "stale slab page %p counts %u objects, %u registered",
				     slab->base, slab->nr_stale, slab->check_seen);
	slab_lock_exit();
	free(cs.scratch);
	return cs.problems ? -EUCLEAN : 0;
}
