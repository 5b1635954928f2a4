// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The counting allocator behind kmalloc() and kmem_cache_alloc().
 *
 * Each live object has an entry in a uthash table keyed by its address, so
 * kfree() can tell a live object from a stranger or a second free (both are
 * WARNed and ignored), kmem_cache_free() can tell which cache an object came
 * from, and leaks can be counted per cache.  The objects themselves are plain
 * malloc() memory so AddressSanitizer guards them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <uthash.h>

#include <linux/kernel.h>
#include <linux/slab.h>
#include <iosim/fault.h>
#include <iosim/live.h>

struct kmem_cache {
	char name[64];
	size_t size;
	size_t align;
	unsigned long flags;
	void (*ctor)(void *);
	long nr_objects;	/* live objects; under slab_lock */
};

struct slab_obj {
	const void *ptr;
	size_t size;
	struct kmem_cache *cache;	/* NULL for kmalloc objects */
	UT_hash_handle hh;
};

static pthread_mutex_t slab_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slab_obj *slab_objs;

/* Allocate @size bytes aligned to @align and register them; NULL on failure. */
static void *slab_alloc(size_t size, size_t align, struct kmem_cache *cache, gfp_t flags)
{
	struct slab_obj *obj;
	void *p = NULL;

	if (!(flags & __GFP_NOFAIL) && iosim_fault_should_fail(IOSIM_FAULT_SLAB))
		return NULL;

	obj = malloc(sizeof(*obj));
	if (!obj)
		return NULL;
	if (align <= 16) {
		p = malloc(size);
	} else if (posix_memalign(&p, align, size)) {
		p = NULL;
	}
	if (!p) {
		free(obj);
		return NULL;
	}
	if (flags & __GFP_ZERO)
		memset(p, 0, size);

	obj->ptr = p;
	obj->size = size;
	obj->cache = cache;
	pthread_mutex_lock(&slab_lock);
	HASH_ADD_PTR(slab_objs, ptr, obj);
	if (cache)
		cache->nr_objects++;
	pthread_mutex_unlock(&slab_lock);
	iosim_live_add(IOSIM_OBJ_SLAB, 1);
	return p;
}

/*
 * Unregister and free @p, which must belong to @cache (NULL: kmalloc).
 * Unknown pointers and cache mismatches WARN and change nothing.
 */
static void slab_free(const void *p, struct kmem_cache *cache, const char *who)
{
	struct slab_obj *obj;

	pthread_mutex_lock(&slab_lock);
	HASH_FIND_PTR(slab_objs, &p, obj);
	if (!obj) {
		pthread_mutex_unlock(&slab_lock);
		WARN(1, "%s: %p was not allocated (double free or stray pointer)", who, p);
		return;
	}
	if (obj->cache != cache) {
		pthread_mutex_unlock(&slab_lock);
		WARN(1, "%s: %p belongs to cache %s, not %s", who, p,
		     obj->cache ? obj->cache->name : "kmalloc",
		     cache ? cache->name : "kmalloc");
		return;
	}
	HASH_DEL(slab_objs, obj);
	if (cache)
		cache->nr_objects--;
	pthread_mutex_unlock(&slab_lock);
	free(obj);
	free((void *)p);
	iosim_live_add(IOSIM_OBJ_SLAB, -1);
}

void *kmalloc(size_t size, gfp_t flags)
{
	if (!size)
		return ZERO_SIZE_PTR;
	return slab_alloc(size, 0, NULL, flags);
}

void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}

void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	return kmalloc(n * size, flags);
}

void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}

size_t ksize(const void *objp)
{
	struct slab_obj *obj;
	size_t size = 0;

	if (ZERO_OR_NULL_PTR(objp))
		return 0;
	pthread_mutex_lock(&slab_lock);
	HASH_FIND_PTR(slab_objs, &objp, obj);
	if (obj)
		size = obj->size;
	pthread_mutex_unlock(&slab_lock);
	WARN(!obj, "ksize: %p was not allocated", objp);
	return size;
}

void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	size_t old_size;
	void *ret;

	if (!new_size) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	old_size = ZERO_OR_NULL_PTR(p) ? 0 : ksize(p);
	if (old_size >= new_size)
		return (void *)p;
	ret = kmalloc(new_size, flags);
	if (ret && old_size) {
		memcpy(ret, p, old_size);
		kfree(p);
	}
	return ret;
}

void kfree(const void *objp)
{
	if (ZERO_OR_NULL_PTR(objp))
		return;
	slab_free(objp, NULL, "kfree");
}

void kzfree(const void *objp)
{
	size_t size;

	if (ZERO_OR_NULL_PTR(objp))
		return;
	size = ksize(objp);
	memset((void *)objp, 0, size);
	kfree(objp);
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p && len)
		memcpy(p, src, len);
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	if (!s)
		return NULL;
	return kmemdup(s, strlen(s) + 1, gfp);
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align,
				     unsigned long flags, void (*ctor)(void *))
{
	struct kmem_cache *s;

	if (WARN(!name || !size, "kmem_cache_create: bad arguments"))
		return NULL;
	if (iosim_fault_should_fail(IOSIM_FAULT_SLAB))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	snprintf(s->name, sizeof(s->name), "%s", name);
	if (flags & SLAB_HWCACHE_ALIGN)
		align = max_t(size_t, align, 64);
	s->size = size;
	s->align = align;
	s->flags = flags;
	s->ctor = ctor;
	iosim_live_add(IOSIM_OBJ_KMEM_CACHE, 1);
	return s;
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	long live;

	if (!s)
		return;
	pthread_mutex_lock(&slab_lock);
	live = s->nr_objects;
	pthread_mutex_unlock(&slab_lock);
	/* As the kernel: a cache with objects is reported and kept. */
	if (WARN(live, "kmem_cache_destroy %s: Slab cache still has objects (%ld)",
		 s->name, live))
		return;
	free(s);
	iosim_live_add(IOSIM_OBJ_KMEM_CACHE, -1);
}

void *kmem_cache_alloc(struct kmem_cache *cachep, gfp_t flags)
{
	void *p;

	if (WARN_ON(!cachep))
		return NULL;
	p = slab_alloc(cachep->size, cachep->align, cachep, flags);
	if (p && cachep->ctor && !(flags & __GFP_ZERO))
		cachep->ctor(p);
	return p;
}

void kmem_cache_free(struct kmem_cache *cachep, void *objp)
{
	if (WARN_ON(!cachep) || !objp)
		return;
	slab_free(objp, cachep, "kmem_cache_free");
}
