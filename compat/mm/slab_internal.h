/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * compat/mm slab allocator private interfaces - customised for simulation,
 * not kernel API.
 *
 * Shared by slab.c (the kmalloc/kmem_cache API and the registry of live
 * objects), slab_pages.c (carving slab pages of simulated RAM into slots,
 * kmalloc_large blocks, forgetting RAM that went away) and slab_check.c (the
 * sanity checker).  Everything here runs under slab_lock.
 *
 * Bookkeeping (registry entries, slab page descriptors, free-slot stacks)
 * lives in host memory, never in simulated RAM: a device that DMAs into a
 * freed object, or a CPU overflow into a redzone, cannot corrupt the
 * allocator, and the checker can find such damage instead of crashing on it.
 */
#ifndef _IOSIM_COMPAT_MM_SLAB_INTERNAL_H
#define _IOSIM_COMPAT_MM_SLAB_INTERNAL_H

#include <pthread.h>
#include <uthash.h>

#include <linux/types.h>
#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/mm.h>
#include <linux/slab.h>

#define __slab_hidden	__attribute__((__visibility__("hidden")))

/*
 * The registry's hash (every file that looks the registry up must see the
 * same one): the top half of the pointer's product with 2^64 / phi, which
 * mixes every address bit into the low bits uthash takes a bucket from.
 * uthash's default, Jenkins' hash over the 8 key bytes, costs about 40
 * instructions, and an alloc+free pair hashes three times.
 */
static inline unsigned int slab_ptr_hash(const void *p)
{
	return (unsigned int)(((u64)(uintptr_t)p * 0x9e3779b97f4a7c15ULL) >> 32);
}

#undef HASH_FUNCTION
#define HASH_FUNCTION(keyptr, keylen, hashv) \
	((hashv) = slab_ptr_hash(*(const void *const *)(keyptr)))

/*
 * Byte patterns the checker verifies (as the kernel's slab debugging writes
 * them): every byte of a free slot of a pool without a constructor is
 * SLAB_POISON_FREE (POISON_FREE), every byte of a live object's slot or
 * kmalloc_large block past its requested size is SLAB_RED_ACTIVE
 * (SLUB_RED_ACTIVE).  A write there - a use after free, a device DMAing into
 * a freed object, an overflow - is found by iosim_slab_check() in every
 * build, not only under a sanitizer.
 */
#define SLAB_POISON_FREE	0x6b
#define SLAB_RED_ACTIVE		0xcc

/* Every kmalloc size class, KMALLOC_MIN_SIZE .. KMALLOC_MAX_CACHE_SIZE. */
#define NR_KMALLOC_CLASSES	(KMALLOC_SHIFT_HIGH - KMALLOC_SHIFT_LOW + 1)

/* Where an object's memory came from. */
enum slab_backing {
	SLAB_BACKING_MALLOC,	/* host heap: allocated while no simulated RAM existed */
	SLAB_BACKING_SLAB,	/* a slot of a slab page in simulated RAM */
	SLAB_BACKING_LARGE,	/* its own block from alloc_pages() (kmalloc_large) */
};

/*
 * A set of slab pages whose slots all have one size: a kmalloc size class,
 * or the slabs of one kmem_cache.  A slab page is on exactly one list:
 * partial (some slot free) or full (none free); an empty one is freed at once.
 */
struct slab_pool {
	const char *name;		/* "kmalloc-128", or the cache's name */
	size_t slot_bytes;		/* stride between objects, a multiple of the alignment */
	size_t obj_bytes;		/* what ksize() reports: the usable bytes of a slot */
	unsigned int order;		/* of each slab page's block */
	unsigned int nr_slots;		/* objects per slab page */
	void (*ctor)(void *);		/* run on every slot of a new slab page */
	struct list_head partial;
	struct list_head full;
	unsigned long nr_slabs;		/* slab pages on the two lists */
	unsigned long nr_objects;	/* live objects in those slab pages */
};

/*
 * The host-side descriptor of one slab page (a block of 2^order frames).  The
 * head page's ->private points back at it, which is how a slab page is known
 * to be still ours: RAM destroyed and re-created at the same address has
 * fresh struct pages.
 */
struct slab_page {
	struct list_head list;		/* pool->partial/full, or slab_stale */
	struct list_head all_node;	/* on slab_all while not stale */
	struct slab_pool *pool;		/* NULL once stale */
	struct page *page;		/* head page of the block */
	char *base;			/* linear-map address of slot 0 */
	unsigned int order;
	unsigned int nr_slots;
	unsigned int nr_free;		/* entries of free_idx[] in use */
	unsigned int nr_stale;		/* stale: registered objects still pointing here */
	unsigned int check_seen;	/* slab_check.c: registry entries found here */
	bool stale;			/* its RAM is gone: never touch base or page */
	unsigned long *inuse;		/* bitmap of allocated slots */
	unsigned int free_idx[];	/* stack of free slot indices, top at nr_free - 1 */
};

/* One live object, keyed by its address. */
struct slab_obj {
	const void *ptr;
	size_t size;			/* bytes the caller may touch now */
	size_t usable;			/* bytes of its slot or block (ksize()) */
	struct kmem_cache *cache;	/* NULL for kmalloc objects */
	enum slab_backing backing;
	bool stale;			/* LARGE: its RAM is gone */
	struct slab_page *slab;		/* SLAB: the slab page holding it */
	struct page *page;		/* LARGE: head page of its block */
	unsigned int order;		/* LARGE: order of its block */
	size_t heap_align;		/* MALLOC: the alignment its block was allocated with */
	struct list_head large_node;	/* LARGE: on slab_large */
	UT_hash_handle hh;
	struct slab_obj *next_free;	/* slab.c: on the kept records' list */
};

struct kmem_cache {
	char name[64];
	size_t size;			/* object size as created */
	size_t align;			/* effective alignment */
	unsigned long flags;
	void (*ctor)(void *);
	long nr_objects;		/* live objects, every backing */
	long check_seen;		/* slab_check.c: registry entries found */
	struct slab_pool pool;		/* its own slab pages */
	struct list_head node;		/* on slab_caches */
};

/* --- state, all under slab_lock (slab.c) ---------------------------------- */

extern __slab_hidden spinlock_t slab_lock;
extern __slab_hidden struct slab_obj *slab_registry;
extern __slab_hidden struct list_head slab_caches;
extern __slab_hidden struct slab_pool kmalloc_pools[NR_KMALLOC_CLASSES];

/* slab_pages.c */
extern __slab_hidden struct list_head slab_all;	/* every slab page that is not stale */
extern __slab_hidden struct list_head slab_stale;	/* stale slab pages with objects */
extern __slab_hidden struct list_head slab_large;	/* live, non-stale LARGE objects */
extern __slab_hidden unsigned long slab_large_pages;	/* frames held by them */

/* --- slab_pages.c ----------------------------------------------------------- */

/* Set up @pool for slots of @obj_bytes aligned to @align (a power of two). */
__slab_hidden void slab_pool_init(struct slab_pool *pool, const char *name, size_t obj_bytes,
				  size_t align, void (*ctor)(void *));

/* Largest object a pool can hold: one slot in the largest block. */
#define SLAB_POOL_MAX_BYTES	(PAGE_SIZE << (MAX_ORDER - 1))

/*
 * Take a slot of @pool, allocating a slab page with @gfp (minus __GFP_ZERO)
 * when none is partial.  The slot stays poisoned; *@slabp gets its slab.
 * NULL if the page allocator failed.
 */
__slab_hidden void *slab_pool_alloc(struct slab_pool *pool, gfp_t gfp, struct slab_page **slabp);

/* Return the slot at @p to its (non-stale) slab, freeing the slab if it empties. */
__slab_hidden void slab_pool_free(struct slab_page *slab, const void *p);

/* The block of a LARGE object of @size bytes; fills @obj's page/order/usable. */
__slab_hidden void *slab_large_alloc(struct slab_obj *obj, size_t size, gfp_t gfp);

/* Free the block of the (non-stale) LARGE object @obj. */
__slab_hidden void slab_large_free(struct slab_obj *obj);

/* Is the block headed by @page still the one whose owner marker is @owner? */
__slab_hidden bool slab_block_is_ours(const struct page *page, const void *owner);

/*
 * Simulated RAM is gone (or was re-created): every slab page and LARGE
 * block becomes stale.  Their objects stay registered; nothing in the old
 * RAM is touched again.
 */
__slab_hidden void slab_forget_ram(void);

/*
 * Forget RAM-backed memory if the simulated RAM it lives in no longer exists
 * (destroyed, or destroyed and re-created).  O(1): every slab page and LARGE
 * block lives in the same RAM, so checking the first of each tells.
 */
__slab_hidden void slab_sync_ram(void);

/* Drop one stale object of @slab; frees the descriptor with the last one. */
__slab_hidden void slab_stale_put(struct slab_page *slab);

/* Frames held by slab pages of every pool (slab_lock held). */
__slab_hidden unsigned long slab_pool_pages(void);

/* The kmalloc size class for @size bytes (1 .. KMALLOC_MAX_CACHE_SIZE). */
__slab_hidden struct slab_pool *kmalloc_pool(size_t size);

/*
 * slab.c: take slab_lock for @who, set up the kmalloc pools on first use and
 * forget RAM that went away.  Re-entry from the same thread (a constructor
 * that allocates) WARNs and returns false instead of deadlocking.
 */
__slab_hidden bool slab_lock_enter(const char *who);
__slab_hidden void slab_lock_exit(void);

#endif /* _IOSIM_COMPAT_MM_SLAB_INTERNAL_H */
