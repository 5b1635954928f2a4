/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/slab.h - customised for simulation.
 *
 * Every object comes from one counting allocator (compat/mm/slab.c): it
 * tracks each live object (so kfree() of a pointer it never returned, or a
 * double kfree(), is caught, WARNed and ignored), counts live objects for
 * <iosim/live.h>, and consults fault injection (IOSIM_FAULT_SLAB) so tests can
 * fail the Nth allocation.  __GFP_NOFAIL allocations are never failed.
 * Objects are malloc()ed underneath, so AddressSanitizer sees overflows.
 */
#ifndef _IOSIM_LINUX_SLAB_H
#define _IOSIM_LINUX_SLAB_H

#include <linux/types.h>
#include <linux/gfp.h>

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
 * @flags: GFP flags (__GFP_ZERO zeroes)
 *
 * Return: the object, or NULL on (injected) failure.
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
