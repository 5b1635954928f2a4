/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/slab.h - customised for simulation.
 *
 * Every object comes from one counting allocator (compat/mm/slab*.c): it
 * tracks each live object (so kfree() of a pointer it never returned, an
 * interior pointer, a double kfree() or kmem_cache_free() to the wrong cache
 * is caught, WARNed and ignored), counts live objects for <iosim/live.h>
 * (IOSIM_OBJ_SLAB), and consults fault injection (IOSIM_FAULT_SLAB) so tests
 * can fail the Nth allocation.  __GFP_NOFAIL allocations are never failed.
 *
 * While simulated RAM exists (iosim_ram_ready()), objects are ordinary
 * lowmem as in the kernel: kmalloc objects up to KMALLOC_MAX_CACHE_SIZE are
 * slots of slab pages per power-of-two size class, each kmem_cache has slab
 * pages of its own, and larger kmalloc requests get a compound block from
 * alloc_pages(get_order(size)) (kmalloc_large).  virt_to_page(),
 * virt_to_phys() and a simulated device's DMA work on them.  Slab pages are
 * allocated pages (IOSIM_OBJ_PAGE) and come from alloc_pages(), so a kmalloc
 * can fail at the IOSIM_FAULT_SLAB site or, when it needs a new slab page, at
 * IOSIM_FAULT_PAGE_ALLOC; an empty slab page is freed at once.
 *
 * Every kmalloc object is ARCH_KMALLOC_MINALIGN (128: arm64's L1 cache line)
 * aligned and no two share a cache line, so kmalloc memory may be used for
 * DMA; kmem_cache objects get the cache's alignment (at least
 * ARCH_SLAB_MINALIGN; SLAB_HWCACHE_ALIGN means 128).  The bytes of a slot
 * past the requested size (the redzone) hold 0xcc and free slots 0x6b (not
 * in caches with a constructor, whose free objects stay constructed), which
 * iosim_slab_check() verifies; under AddressSanitizer or valgrind both are
 * also inaccessible.  ksize() reports the slot's usable size and, as with
 * KASAN, makes all of it accessible.
 *
 * Before iosim_ram_init() and after iosim_ram_exit(), objects are malloc()ed
 * (same alignment, ksize() == requested size) so code that runs without RAM
 * keeps working; each object remembers which kind it is.  kfree() of a
 * RAM-backed object whose RAM was destroyed WARNs and forgets it.  See
 * docs/slab.md and <iosim/slab.h> (iosim_slab_check()).
 */
#ifndef _IOSIM_LINUX_SLAB_H
#define _IOSIM_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>
#include <asm/page.h>

/*
 * arm64's <asm/cache.h> as of late 2015 (L1_CACHE_SHIFT 7): kmalloc memory
 * may be used for DMA, so no two objects may share a cache line.  Kept here
 * until the shim has an <asm/cache.h>.
 */
#ifndef ARCH_DMA_MINALIGN
#define ARCH_DMA_MINALIGN	128
#endif

/* As the kernel's slab.h derives them from ARCH_DMA_MINALIGN. */
#define ARCH_KMALLOC_MINALIGN	ARCH_DMA_MINALIGN
#define KMALLOC_MIN_SIZE	ARCH_DMA_MINALIGN
#define KMALLOC_SHIFT_LOW	7	/* ilog2(KMALLOC_MIN_SIZE) */
#ifndef ARCH_SLAB_MINALIGN
#define ARCH_SLAB_MINALIGN	__alignof__(unsigned long long)
#endif

/*
 * Size classes run from KMALLOC_MIN_SIZE to PAGE_SIZE / 2 (SLUB's go to
 * 2 * PAGE_SIZE; larger requests here get whole pages, as SLUB's do past its
 * last class).  The largest kmalloc is the largest buddy block.
 */
#define KMALLOC_SHIFT_HIGH	(PAGE_SHIFT - 1)
#define KMALLOC_SHIFT_MAX	(MAX_ORDER + PAGE_SHIFT - 1)
#define KMALLOC_MAX_SIZE	(1UL << KMALLOC_SHIFT_MAX)
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)
#define KMALLOC_MAX_ORDER	(KMALLOC_SHIFT_MAX - PAGE_SHIFT)

#define SLAB_HWCACHE_ALIGN	0x00002000UL
#define SLAB_CACHE_DMA		0x00004000UL
#define SLAB_PANIC		0x00040000UL
#define SLAB_RECLAIM_ACCOUNT	0x00020000UL

#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

struct kmem_cache;

/**
 * kmalloc - allocate @size bytes
 * @size: bytes; 0 returns ZERO_SIZE_PTR as the kernel does
 * @flags: GFP flags (__GFP_ZERO zeroes; the others are passed to
 *	alloc_pages() when a slab page or a large block is needed)
 *
 * Context: any; takes the slab lock (and the page allocator's).
 * Return: the object, ARCH_KMALLOC_MINALIGN aligned; NULL on (injected)
 * failure at IOSIM_FAULT_SLAB or IOSIM_FAULT_PAGE_ALLOC, when RAM is
 * exhausted, or for more than KMALLOC_MAX_SIZE bytes (WARNs unless
 * __GFP_NOWARN).  On NULL nothing was allocated.
 */
void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kmalloc_array(size_t n, size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void *krealloc(const void *p, size_t new_size, gfp_t flags);
void kfree(const void *objp);
void kzfree(const void *objp);
size_t ksize(const void *objp);

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned long flags, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *cachep, gfp_t flags);
void kmem_cache_free(struct kmem_cache *cachep, void *objp);

static inline void *kmem_cache_zalloc(struct kmem_cache *k, gfp_t flags)
{
	return kmem_cache_alloc(k, flags | __GFP_ZERO);
}

#endif /* _IOSIM_LINUX_SLAB_H */
