// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The counting allocator behind kmalloc() and kmem_cache_alloc().
 *
 * Each live object has an entry in a uthash table keyed by its address (the
 * registry), so kfree() can tell a live object from a stranger, an interior
 * pointer or a second free (all WARNed and ignored), kmem_cache_free() can
 * tell which cache an object came from, and leaks are counted.  The entry
 * also says where the memory came from:
 *
 *  - while simulated RAM exists, a slot of a slab page or a kmalloc_large
 *    block of simulated RAM (slab_pages.c), so the object is lowmem with a
 *    struct page and a physical address, as in the kernel;
 *  - otherwise the host heap (posix_memalign), so code running before
 *    iosim_ram_init() or after iosim_ram_exit() still works.
 *
 * An object outlives its RAM only through a bug (iosim_ram_exit() WARNs
 * about the leaked pages); it is then "stale": kfree() WARNs and forgets it
 * without touching the memory, which belongs to nobody any more.
 *
 * One lock (slab_lock, a spinlock_t: it spins before it parks) protects the
 * registry and every pool; it is taken before the page allocator's lock,
 * never after.
 *
 * The registry empties whenever every object is freed (at the end of each
 * test and fuzz input); the blocks uthash then lets go are kept for the next
 * object (<iosim/hash_blocks.h>), which otherwise paid a host malloc() and
 * free() of each: under AddressSanitizer, 2-4 % of a fuzz campaign.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <iosim/hash_blocks.h>

/*
 * Every HASH_ADD and HASH_DELETE of the registry is in this file, under
 * slab_lock.  Creating the table is a host allocation that can fail
 * (<iosim/hash_add.h>): the object is then not handed out.
 */
static struct iosim_hash_blocks slab_registry_blocks;
static bool slab_registry_oom;
#define uthash_malloc(bytes)		iosim_hash_block_get(&slab_registry_blocks, (bytes))
#define uthash_free(block, bytes)	iosim_hash_block_put(&slab_registry_blocks, (block), (bytes))
#define HASH_NONFATAL_OOM		1
#define uthash_nonfatal_oom(elt)	(slab_registry_oom = true)
#include <uthash.h>
#include <iosim/hash_add.h>
/* Its keys are pointers (HASH_*_PTR). */
#undef HASH_KEYCMP
#define HASH_KEYCMP	IOSIM_HASH_KEYCMP_PTR

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <iosim/cache.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include <iosim/slab.h>
#include "slab_internal.h"
#include "slab_redzone.h"

/* cache_line_size() for SLAB_HWCACHE_ALIGN: arm64's L1_CACHE_BYTES (late 2015). */
#define SLAB_CACHE_LINE_BYTES	128

_Static_assert(KMALLOC_MIN_SIZE == 1 << KMALLOC_SHIFT_LOW, "KMALLOC_SHIFT_LOW");
_Static_assert(KMALLOC_MAX_CACHE_SIZE <= SLAB_POOL_MAX_BYTES, "kmalloc classes fit a block");

DEFINE_SPINLOCK(slab_lock);
struct slab_obj *slab_registry;
LIST_HEAD(slab_caches);
struct slab_pool kmalloc_pools[NR_KMALLOC_CLASSES];

static bool slab_initialised;
static char kmalloc_names[NR_KMALLOC_CLASSES][24];
/* This thread holds slab_lock (a constructor is running, or a bug re-entered). */
static _Thread_local bool slab_lock_mine;
/* Nesting depth of this thread's iosim_slab_host_begin() calls. */
static _Thread_local unsigned int slab_host_depth;

bool slab_lock_enter(const char *who)
{
	unsigned int i;

	if (WARN(slab_lock_mine, "%s: slab allocator re-entered (from a kmem_cache constructor?)",
		 who))
		return false;
	spin_lock(&slab_lock);
	slab_lock_mine = true;
	if (!slab_initialised) {
		for (i = 0; i < NR_KMALLOC_CLASSES; i++) {
			size_t bytes = (size_t)KMALLOC_MIN_SIZE << i;

			snprintf(kmalloc_names[i], sizeof(kmalloc_names[i]), "kmalloc-%zu", bytes);
			slab_pool_init(&kmalloc_pools[i], kmalloc_names[i], bytes,
				       ARCH_KMALLOC_MINALIGN, NULL);
		}
		slab_initialised = true;
	}
	slab_sync_ram();
	return true;
}

void slab_lock_exit(void)
{
	slab_lock_mine = false;
	spin_unlock(&slab_lock);
}

/* --- registry records ------------------------------------------------------------ */

/*
 * A live object's registry record is host memory.  Freed records are kept
 * (up to SLAB_OBJ_RECORDS_KEPT) and handed to the next allocation, instead of
 * a calloc() and a free() per object: with the host allocator's own locking
 * that was a quarter of a kmem_cache_alloc() + kmem_cache_free() pair.
 * Kept records are reachable from obj_records_free, so leak checkers do not
 * count them; they hold no simulated memory.
 */
#define SLAB_OBJ_RECORDS_KEPT	4096

static struct slab_obj *obj_records_free;	/* under slab_lock */
static unsigned int obj_records_nr_free;

/*
 * A zeroed record, or NULL if the host is out of memory (slab_lock held).
 * Every call is a call at IOSIM_FAULT_HOST, kept record or not, so that a
 * sweep sees the same calls whatever earlier tests left kept.
 */
static struct slab_obj *obj_record_get(void)
{
	struct slab_obj *obj = obj_records_free;

	if (iosim_fault_should_fail(IOSIM_FAULT_HOST))
		return NULL;
	if (obj) {
		obj_records_free = obj->next_free;
		obj_records_nr_free--;
		memset(obj, 0, sizeof(*obj));
	} else {
		obj = calloc(1, sizeof(*obj));
		if (!obj)
			return NULL;
	}
	INIT_LIST_HEAD(&obj->large_node);
	return obj;
}

/* Give back a record no registry holds (slab_lock held). */
static void obj_record_put(struct slab_obj *obj)
{
	if (obj_records_nr_free >= SLAB_OBJ_RECORDS_KEPT) {
		free(obj);
		return;
	}
	obj->next_free = obj_records_free;
	obj_records_free = obj;
	obj_records_nr_free++;
}

/* --- allocation ---------------------------------------------------------------- */

/*
 * Host-heap blocks of freed objects, kept for the next host-heap object of
 * the same size and alignment (under slab_lock).  Simulation scaffolding
 * that is built and torn down again and again on the host heap (a fuzz
 * harness's IOMMU and device, iosim_slab_host_begin()) otherwise pays a
 * host malloc() and free() per object, and under AddressSanitizer a block
 * that comes out of its quarantine as new pages, each a page fault.  A kept
 * block is inaccessible (rz_noaccess()) until handed out again, so a use
 * after free is still reported; the registry still tells a second kfree().
 */
#define SLAB_HEAP_KEPT	32

static struct slab_heap_block {
	void *p;
	size_t size;
	size_t align;
} heap_kept[SLAB_HEAP_KEPT];
static unsigned int heap_nr_kept;

/* A block of @size bytes at @align: a kept one if there is one (slab_lock held). */
static void *heap_block_get(size_t size, size_t align)
{
	unsigned int i;
	void *p;

	/* The block freed last first: a block of the size at hand is likely warm. */
	for (i = heap_nr_kept; i-- > 0;) {
		if (heap_kept[i].size != size || heap_kept[i].align != align)
			continue;
		p = heap_kept[i].p;
		memmove(heap_kept + i, heap_kept + i + 1,
			(--heap_nr_kept - i) * sizeof(*heap_kept));
		rz_undefined(p, size);
		return p;
	}
	if (posix_memalign(&p, align, size))
		return NULL;
	return p;
}

/*
 * Give back a block from heap_block_get() (slab_lock held): kept, in place
 * of the block kept longest ago when every place is taken (that one is
 * freed), so the sizes in use lately are the ones kept.
 */
static void heap_block_put(void *p, size_t size, size_t align)
{
	if (heap_nr_kept == SLAB_HEAP_KEPT) {
		free(heap_kept[0].p);
		memmove(heap_kept, heap_kept + 1, (SLAB_HEAP_KEPT - 1) * sizeof(*heap_kept));
		heap_nr_kept--;
	}
	rz_noaccess(p, size);
	heap_kept[heap_nr_kept++] = (struct slab_heap_block){ .p = p, .size = size, .align = align };
}

/* Host-heap memory for @obj (no RAM): aligned as the RAM object would be. */
static void *heap_alloc(struct slab_obj *obj, size_t size, struct kmem_cache *cache)
{
	size_t align = max_t(size_t, cache ? cache->align : ARCH_KMALLOC_MINALIGN,
			     sizeof(void *));
	void *p = heap_block_get(size, align);

	if (!p)
		return NULL;
	obj->backing = SLAB_BACKING_MALLOC;
	obj->usable = size;
	obj->heap_align = align;
	return p;
}

/*
 * Simulated-RAM memory for @obj: a slot of a slab page, or a large block.
 * *@zeroed: the object's bytes are zero already (a large block asked for
 * with __GFP_ZERO), so the caller need not clear them.
 */
static void *ram_alloc(struct slab_obj *obj, size_t size, struct kmem_cache *cache, gfp_t flags,
		       bool *zeroed)
{
	struct slab_pool *pool = cache ? &cache->pool : NULL;
	char *p;

	*zeroed = false;
	if (!pool && size > KMALLOC_MAX_CACHE_SIZE) {
		/*
		 * __GFP_ZERO goes to the page allocator, which does not write
		 * frames that still hold a fresh RAM's zeros: a kzalloc()ed
		 * iova_domain (26 KiB) is otherwise filled with the allocation
		 * poison and then cleared, for every DMA domain.
		 */
		p = slab_large_alloc(obj, size, flags);
		if (!p)
			return NULL;
		obj->backing = SLAB_BACKING_LARGE;
		memset(p + size, SLAB_RED_ACTIVE, obj->usable - size);
		rz_noaccess(p + size, obj->usable - size);
		if (flags & __GFP_ZERO) {
			rz_defined(p, size);
			*zeroed = true;
			return p;
		}
	} else {
		if (!pool)
			pool = kmalloc_pool(size);
		p = slab_pool_alloc(pool, flags, &obj->slab);
		if (!p)
			return NULL;
		obj->backing = SLAB_BACKING_SLAB;
		obj->usable = pool->obj_bytes;
		/* The rest of the slot is the redzone: marked, and inaccessible. */
		rz_undefined(p + size, pool->slot_bytes - size);
		memset(p + size, SLAB_RED_ACTIVE, pool->slot_bytes - size);
		rz_noaccess(p + size, pool->slot_bytes - size);
	}
	if (pool && pool->ctor)
		rz_defined(p, size);
	else
		rz_undefined(p, size);
	return p;
}

/* Is @obj's memory gone with the RAM it lived in? */
static bool obj_is_stale(const struct slab_obj *obj)
{
	switch (obj->backing) {
	case SLAB_BACKING_SLAB:
		return obj->slab->stale;
	case SLAB_BACKING_LARGE:
		return obj->stale;
	case SLAB_BACKING_MALLOC:
		break;
	}
	return false;
}

/* Unregister @obj (slab_lock held); the caller releases its memory. */
static void obj_unregister(struct slab_obj *obj)
{
	HASH_DEL(slab_registry, obj);
	if (obj->cache)
		obj->cache->nr_objects--;
	iosim_live_add(IOSIM_OBJ_SLAB, -1);
}

/*
 * A new object is about to be registered at @p (slab_lock held).  A stale
 * object can have the same address: RAM re-created at the same place, or the
 * heap reusing the unmapped range.  Which object a later kfree(@p) means
 * would be ambiguous, and the stale one can never be freed correctly again:
 * forget it.  Returns true if one was (the caller WARNs).
 */
static bool obj_forget_stale_at(const void *p)
{
	struct slab_obj *old;

	HASH_FIND_PTR(slab_registry, &p, old);
	if (!old)
		return false;
	/* A live object's memory is never handed out twice: an allocator bug. */
	if (WARN_ON(!obj_is_stale(old)))
		return false;
	obj_unregister(old);
	if (old->backing == SLAB_BACKING_SLAB)
		slab_stale_put(old->slab);
	obj_record_put(old);
	return true;
}

/* Give @obj's memory at @p back to where it came from (slab_lock held). */
static void obj_release_memory(struct slab_obj *obj, const void *p)
{
	switch (obj->backing) {
	case SLAB_BACKING_SLAB:
		slab_pool_free(obj->slab, p);
		break;
	case SLAB_BACKING_LARGE:
		slab_large_free(obj);
		break;
	case SLAB_BACKING_MALLOC:
		heap_block_put((void *)p, obj->usable, obj->heap_align);
		break;
	}
}

/*
 * Allocate and register an object of @size bytes for @cache (NULL: kmalloc).
 * *@backing says where it came from.  NULL on failure, nothing changed but
 * this: a stale object at the address the allocator chose is forgotten
 * (WARNed) even when the registry then cannot be created anew.
 */
static void *slab_alloc(size_t size, struct kmem_cache *cache, gfp_t flags,
			enum slab_backing *backing, const char *who)
{
	struct slab_obj *obj;
	bool reused = false, zeroed = false;
	void *p;

	if (!(flags & __GFP_NOFAIL) && iosim_fault_should_fail(IOSIM_FAULT_SLAB))
		return NULL;
	if (!slab_lock_enter(who))
		return NULL;
	/* The registry is the simulation's bookkeeping: host memory. */
	obj = obj_record_get();
	if (!obj)
		goto out_unlock;
	if (iosim_ram_ready() && !slab_host_depth)
		p = ram_alloc(obj, size, cache, flags, &zeroed);
	else
		p = heap_alloc(obj, size, cache);
	if (!p)
		goto out_put_obj;
	obj->ptr = p;
	obj->size = size;
	obj->cache = cache;
	reused = obj_forget_stale_at(p);
	IOSIM_HASH_ADD(hh, slab_registry, ptr, sizeof(obj->ptr), obj, slab_registry_oom);
	if (slab_registry_oom)
		goto out_release;
	if (cache)
		cache->nr_objects++;
	iosim_live_add(IOSIM_OBJ_SLAB, 1);
	*backing = obj->backing;
	slab_lock_exit();
	WARN(reused, "%s: %p was a stale object (its simulated RAM was destroyed); the address is reused, the stale object forgotten",
	     who, p);

	if ((flags & __GFP_ZERO) && !zeroed) {
		memset(p, 0, size);
		iosim_cache_cpu_wrote(p, size);
	}
	return p;

out_release:
	obj_release_memory(obj, p);
out_put_obj:
	obj_record_put(obj);
out_unlock:
	slab_lock_exit();
	WARN(reused, "%s: %p was a stale object (its simulated RAM was destroyed); the stale object is forgotten",
	     who, p);
	return NULL;
}

/* --- freeing ----------------------------------------------------------------- */

/*
 * Look @p up for @who (slab_lock held).  NULL, WARNed after unlocking by the
 * caller through *@why, if it is not a live object.
 */
static struct slab_obj *obj_find(const void *p, const char **why)
{
	struct slab_obj *obj;

	HASH_FIND_PTR(slab_registry, &p, obj);
	if (!obj)
		*why = "was not allocated (double free or stray pointer)";
	else if (obj_is_stale(obj))
		*why = "was allocated in simulated RAM that has since been destroyed";
	return obj;
}

/*
 * Unregister and free @p, which must belong to @cache (NULL: kmalloc),
 * zeroing its usable bytes first if @zero.  Unknown pointers and cache
 * mismatches WARN and change nothing; a stale object WARNs and is forgotten.
 */
static void slab_free(const void *p, struct kmem_cache *cache, bool zero, const char *who)
{
	const char *why = NULL;
	struct slab_obj *obj;

	if (!slab_lock_enter(who))
		return;
	obj = obj_find(p, &why);
	if (!obj) {
		slab_lock_exit();
		WARN(1, "%s: %p %s", who, p, why);
		return;
	}
	if (obj->cache != cache) {
		slab_lock_exit();
		WARN(1, "%s: %p belongs to cache %s, not %s", who, p,
		     obj->cache ? obj->cache->name : "kmalloc", cache ? cache->name : "kmalloc");
		return;
	}
	obj_unregister(obj);
	if (why) {
		/* Its memory is someone else's now, or unmapped: only forget it. */
		if (obj->backing == SLAB_BACKING_SLAB)
			slab_stale_put(obj->slab);
		obj_record_put(obj);
		slab_lock_exit();
		WARN(1, "%s: %p %s; forgotten", who, p, why);
		return;
	}
	if (zero) {
		rz_undefined(p, obj->usable);
		memset((void *)p, 0, obj->usable);
		iosim_cache_cpu_wrote((void *)p, obj->usable);
	}
	obj_release_memory(obj, p);
	obj_record_put(obj);
	slab_lock_exit();
}

/* --- host scope ---------------------------------------------------------------- */

/**
 * iosim_slab_host_begin - this thread's objects come from the host heap for a while
 *
 * See <iosim/slab.h>.  Nests: objects come from the host heap until as
 * many iosim_slab_host_end() calls have been made.
 *
 * Context: any; affects the calling thread only.
 */
void iosim_slab_host_begin(void)
{
	slab_host_depth++;
}

/**
 * iosim_slab_host_end - end the innermost iosim_slab_host_begin()
 *
 * Context: any; affects the calling thread only.  Without a matching
 * iosim_slab_host_begin() it WARNs and changes nothing.
 */
void iosim_slab_host_end(void)
{
	if (WARN(!slab_host_depth, "iosim_slab_host_end: no iosim_slab_host_begin() to end"))
		return;
	slab_host_depth--;
}

/* --- the kmalloc API ----------------------------------------------------------- */

/**
 * kmalloc - allocate @size bytes
 * @size: bytes; 0 returns ZERO_SIZE_PTR
 * @flags: GFP flags; __GFP_ZERO zeroes, __GFP_NOFAIL exempts the call from
 *	fault injection, the rest go to alloc_pages() when it is called
 *
 * Consults IOSIM_FAULT_SLAB; with simulated RAM, an allocation that needs a
 * new slab page or a large block also consults IOSIM_FAULT_PAGE_ALLOC.
 *
 * Context: any; must not be called from a kmem_cache constructor (WARNs).
 * Return: the object (ARCH_KMALLOC_MINALIGN aligned; in simulated RAM while
 * it exists), or NULL with nothing allocated: injected failure, RAM or heap
 * exhausted, or @size > KMALLOC_MAX_SIZE (WARNs unless __GFP_NOWARN).
 */
void *kmalloc(size_t size, gfp_t flags)
{
	enum slab_backing backing;

	if (!size)
		return ZERO_SIZE_PTR;
	/* The kernel's page allocator WARNs for an order >= MAX_ORDER. */
	if (size > KMALLOC_MAX_SIZE) {
		WARN(!(flags & __GFP_NOWARN), "kmalloc: %zu bytes is more than KMALLOC_MAX_SIZE",
		     size);
		return NULL;
	}
	return slab_alloc(size, NULL, flags, &backing, "kmalloc");
}

/**
 * kzalloc - kmalloc() zeroed memory
 * @size: bytes
 * @flags: GFP flags
 *
 * Context: as kmalloc().
 * Return: as kmalloc().
 */
void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

/**
 * kmalloc_array - kmalloc() an array of @n elements of @size bytes
 * @n: elements
 * @size: bytes each
 * @flags: GFP flags
 *
 * Context: as kmalloc().
 * Return: as kmalloc(); NULL (silently) if @n * @size overflows.
 */
void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	return kmalloc(n * size, flags);
}

/**
 * kcalloc - kmalloc_array() zeroed
 * @n: elements
 * @size: bytes each
 * @flags: GFP flags
 *
 * Context: as kmalloc().
 * Return: as kmalloc_array().
 */
void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

/**
 * ksize - usable size of a kmalloc or kmem_cache object
 * @objp: the object; NULL or ZERO_SIZE_PTR give 0
 *
 * A RAM-backed object may use its whole slot (the size class, the cache's
 * object size, or the whole large block): as with KASAN, those bytes become
 * accessible.  A heap-backed object's usable size is what was asked for.
 *
 * Context: any.
 * Return: the usable bytes; 0 with a WARN for a pointer that is not a live
 * object or whose RAM is gone.
 */
size_t ksize(const void *objp)
{
	const char *why = NULL;
	struct slab_obj *obj;
	size_t size = 0;

	if (ZERO_OR_NULL_PTR(objp))
		return 0;
	if (!slab_lock_enter("ksize"))
		return 0;
	obj = obj_find(objp, &why);
	if (obj && !why) {
		if (obj->size < obj->usable)
			rz_undefined((const char *)objp + obj->size, obj->usable - obj->size);
		obj->size = obj->usable;
		size = obj->usable;
	}
	slab_lock_exit();
	WARN(why, "ksize: %p %s", objp, why);
	return size;
}

/**
 * krealloc - resize a kmalloc object
 * @p: the object, or NULL/ZERO_SIZE_PTR to allocate afresh
 * @new_size: bytes; 0 frees @p and returns ZERO_SIZE_PTR
 * @flags: GFP flags for a new object
 *
 * As the kernel: if the object's slot already holds @new_size bytes, @p is
 * kept (its accessible size becomes @new_size); otherwise a new object gets
 * the old contents and @p is freed.
 *
 * Context: as kmalloc().
 * Return: the object; NULL if allocation failed (@p untouched and still
 * live) or @p is not a live object (WARNs).
 */
void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	const char *why = NULL;
	struct slab_obj *obj;
	size_t old_size;
	void *ret;

	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (ZERO_OR_NULL_PTR(p))
		return kmalloc(new_size, flags);
	if (!slab_lock_enter("krealloc"))
		return NULL;
	obj = obj_find(p, &why);
	if (!obj || why) {
		slab_lock_exit();
		WARN(1, "krealloc: %p %s", p, why);
		return NULL;
	}
	old_size = obj->size;
	if (obj->usable >= new_size) {
		if (new_size > old_size)
			rz_undefined((const char *)p + old_size, new_size - old_size);
		else if (obj->backing != SLAB_BACKING_MALLOC) {
			/* The bytes given up join the redzone. */
			memset((char *)p + new_size, SLAB_RED_ACTIVE, old_size - new_size);
			rz_noaccess((const char *)p + new_size, old_size - new_size);
		}
		obj->size = new_size;
		slab_lock_exit();
		return (void *)p;
	}
	slab_lock_exit();

	ret = kmalloc(new_size, flags);
	if (ret) {
		memcpy(ret, p, old_size);
		kfree(p);
	}
	return ret;
}

/**
 * kfree - free a kmalloc object
 * @objp: the object; NULL and ZERO_SIZE_PTR are ignored
 *
 * Context: any.
 * Return: nothing.  A pointer that is not a live object (stray, interior,
 * already freed) or a kmem_cache object WARNs and changes nothing; an object
 * whose simulated RAM was destroyed WARNs and is forgotten.
 */
void kfree(const void *objp)
{
	if (ZERO_OR_NULL_PTR(objp))
		return;
	slab_free(objp, NULL, false, "kfree");
}

/**
 * kzfree - zero a kmalloc object's usable bytes (ksize()), then kfree() it
 * @objp: the object; NULL and ZERO_SIZE_PTR are ignored
 *
 * Context: any.
 * Return: nothing; misuse as kfree().
 */
void kzfree(const void *objp)
{
	if (ZERO_OR_NULL_PTR(objp))
		return;
	slab_free(objp, NULL, true, "kzfree");
}

/**
 * kmemdup - kmalloc() a copy of @len bytes at @src
 * @src: the bytes
 * @len: how many
 * @gfp: GFP flags
 *
 * Context: as kmalloc().
 * Return: the copy, or NULL (nothing allocated).
 */
void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (!ZERO_OR_NULL_PTR(p))
		memcpy(p, src, len);
	return p;
}

/**
 * kstrdup - kmalloc() a copy of the string @s
 * @s: the string, or NULL
 * @gfp: GFP flags
 *
 * Context: as kmalloc().
 * Return: the copy; NULL if @s is NULL or allocation failed.
 */
char *kstrdup(const char *s, gfp_t gfp)
{
	if (!s)
		return NULL;
	return kmemdup(s, strlen(s) + 1, gfp);
}

/* --- kmem_cache ---------------------------------------------------------------- */

/**
 * kmem_cache_create - create a cache of @size-byte objects
 * @name: its name (copied; at most 63 bytes kept)
 * @size: object size in bytes, > 0
 * @align: minimum alignment, 0 or a power of two; raised to
 *	ARCH_SLAB_MINALIGN, and to the 128-byte cache line by SLAB_HWCACHE_ALIGN
 *	(the kernel would use less for small objects; 128 keeps each object on
 *	lines of its own, which DMA into it needs)
 * @flags: SLAB_* flags; only SLAB_HWCACHE_ALIGN changes anything
 * @ctor: constructor, or NULL.  With RAM it runs on every slot of each new
 *	slab page (as the kernel's) and free objects keep their contents;
 *	without RAM it runs on each allocation not asking for __GFP_ZERO.  It
 *	must not allocate from the slab allocator.
 *
 * Consults IOSIM_FAULT_SLAB (the kernel allocates the cache from a cache).
 *
 * Context: process context.
 * Return: the cache (counted as IOSIM_OBJ_KMEM_CACHE); NULL on injected or
 * host allocation failure, or with a WARN for a NULL @name, a zero @size, an
 * @align that is not a power of two, or objects too large for a slab page.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned long flags, void (*ctor)(void *))
{
	struct kmem_cache *s;

	if (WARN(!name || !size, "kmem_cache_create: bad arguments"))
		return NULL;
	if (WARN(align & (align - 1), "kmem_cache_create %s: alignment %zu is not a power of two",
		 name, align))
		return NULL;
	align = max_t(size_t, align, ARCH_SLAB_MINALIGN);
	if (flags & SLAB_HWCACHE_ALIGN)
		align = max_t(size_t, align, SLAB_CACHE_LINE_BYTES);
	if (WARN(size > SLAB_POOL_MAX_BYTES || ALIGN(size, align) > SLAB_POOL_MAX_BYTES,
		 "kmem_cache_create %s: %zu-byte objects do not fit a slab page", name, size))
		return NULL;
	if (iosim_fault_should_fail(IOSIM_FAULT_SLAB))
		return NULL;
	if (!slab_lock_enter("kmem_cache_create"))
		return NULL;
	/*
	 * The descriptor is bookkeeping: host memory, kept as heap objects'
	 * blocks are, and a call at IOSIM_FAULT_HOST whether a kept block
	 * serves it or not.
	 */
	s = NULL;
	if (!iosim_fault_should_fail(IOSIM_FAULT_HOST))
		s = heap_block_get(sizeof(*s), _Alignof(struct kmem_cache));
	if (!s) {
		slab_lock_exit();
		return NULL;
	}
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->size = size;
	s->align = align;
	s->flags = flags;
	s->ctor = ctor;
	slab_pool_init(&s->pool, s->name, size, align, ctor);
	list_add_tail(&s->node, &slab_caches);
	slab_lock_exit();
	iosim_live_add(IOSIM_OBJ_KMEM_CACHE, 1);
	return s;
}

/**
 * kmem_cache_destroy - destroy a cache with no objects left
 * @s: the cache, or NULL (ignored)
 *
 * Context: process context.
 * Return: nothing.  A cache that still has objects is reported (WARN) and
 * kept, as the kernel does.
 */
void kmem_cache_destroy(struct kmem_cache *s)
{
	unsigned long nr_slabs;
	char name[sizeof(s->name)];
	long live;

	if (!s)
		return;
	if (!slab_lock_enter("kmem_cache_destroy"))
		return;
	live = s->nr_objects;
	if (live) {
		slab_lock_exit();
		WARN(1, "kmem_cache_destroy %s: Slab cache still has objects (%ld)", s->name, live);
		return;
	}
	list_del(&s->node);
	/* Empty slab pages are freed as they empty: none can be left. */
	nr_slabs = s->pool.nr_slabs;
	memcpy(name, s->name, sizeof(name));
	heap_block_put(s, sizeof(*s), _Alignof(struct kmem_cache));
	slab_lock_exit();
	WARN(nr_slabs, "kmem_cache_destroy %s: %lu slab pages left without objects", name, nr_slabs);
	iosim_live_add(IOSIM_OBJ_KMEM_CACHE, -1);
}

/**
 * kmem_cache_alloc - allocate an object from @cachep
 * @cachep: the cache
 * @flags: GFP flags, as kmalloc()
 *
 * Context: as kmalloc().
 * Return: the object (aligned to the cache's alignment; constructed, or
 * zeroed with __GFP_ZERO), or NULL: as kmalloc(), or a NULL @cachep (WARNs).
 */
void *kmem_cache_alloc(struct kmem_cache *cachep, gfp_t flags)
{
	enum slab_backing backing;
	void *p;

	if (WARN_ON(!cachep))
		return NULL;
	p = slab_alloc(cachep->size, cachep, flags, &backing, "kmem_cache_alloc");
	/* Slab pages in RAM ran the constructor on every slot when they were made. */
	if (p && backing == SLAB_BACKING_MALLOC && cachep->ctor && !(flags & __GFP_ZERO))
		cachep->ctor(p);
	return p;
}

/**
 * kmem_cache_free - return an object to @cachep
 * @cachep: the cache it came from
 * @objp: the object; NULL is ignored
 *
 * Context: any.
 * Return: nothing; misuse (a NULL @cachep, an object of another cache or of
 * kmalloc, a stranger, a second free) WARNs and changes nothing; an object
 * whose RAM was destroyed WARNs and is forgotten.
 */
void kmem_cache_free(struct kmem_cache *cachep, void *objp)
{
	if (WARN_ON(!cachep) || !objp)
		return;
	slab_free(objp, cachep, false, "kmem_cache_free");
}

/* --- simulation control (<iosim/slab.h>) -------------------------------------- */

/**
 * iosim_slab_ram_exit - forget every RAM-backed slab page and large block
 *
 * See <iosim/slab.h>.
 *
 * Context: process context, no concurrent slab users of the dying RAM.
 * Return: nothing.
 */
void iosim_slab_ram_exit(void)
{
	if (!slab_lock_enter("iosim_slab_ram_exit"))
		return;
	slab_forget_ram();
	slab_lock_exit();
}

/**
 * iosim_slab_nr_pages - frames of simulated RAM the slab allocator holds
 *
 * Context: any.
 * Return: frames in slab pages plus frames in kmalloc_large blocks.
 */
unsigned long iosim_slab_nr_pages(void)
{
	unsigned long nr;

	if (!slab_lock_enter("iosim_slab_nr_pages"))
		return 0;
	nr = slab_pool_pages() + slab_large_pages;
	slab_lock_exit();
	return nr;
}
