// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * arm64's atomic pool (2015): a block of memory set aside at boot, cleaned
 * out of the CPU caches and mapped non-cacheable once, from which coherent
 * buffers for non-coherent devices are carved when the caller cannot sleep
 * (no remapping is possible then).  A genalloc pool manages it with
 * gen_pool_first_fit_order_align, as arm64 of 4.1 did: a buffer of 2^n pages
 * starts on a 2^n-page boundary of the pool (whose block is aligned to its
 * own order), so CPU and DMA addresses are aligned to the buffer's order as
 * Documentation/DMA-API-HOWTO.txt promises.
 *
 * The pool comes from the default contiguous area (CMA) when there is one,
 * else from the buddy allocator.
 *
 * Invariant: while the pool exists, atomic_pool_pages[] holds its
 * atomic_pool_bytes >> PAGE_SHIFT independent (split) pages, physically
 * contiguous from atomic_pool_first, and atomic_pool_vaddr is their one
 * non-cacheable alias, registered with genalloc at that physical address.
 */
#include "arm64-dma-mapping.h"

#include <linux/mmzone.h>
#include <iosim/dma.h>
#include <iosim/ram.h>

static struct gen_pool *atomic_pool;
static void *atomic_pool_vaddr;
static struct page *atomic_pool_first;
static size_t atomic_pool_bytes;
static size_t atomic_pool_size_wanted = DEFAULT_DMA_COHERENT_POOL_SIZE;

/**
 * iosim_dma_set_atomic_pool_size - size of the atomic pool made by the next
 * iosim_dma_system_init() (arm64's coherent_pool= boot parameter)
 * @bytes: rounded up to whole pages; 0 makes no pool (atomic coherent
 *	allocations for non-coherent devices then fail)
 *
 * Context: process context, before iosim_dma_system_init().
 */
void iosim_dma_set_atomic_pool_size(size_t bytes)
{
	atomic_pool_size_wanted = PAGE_ALIGN(bytes);
}

/**
 * iosim_dma_atomic_pool_avail - bytes free in the atomic pool (0 without one)
 *
 * Context: any.
 */
size_t iosim_dma_atomic_pool_avail(void)
{
	return atomic_pool ? gen_pool_avail(atomic_pool) : 0;
}

/* Give the pool's pages back: to the default contiguous area, or page by page. */
static void free_pool_pages(struct page *first, unsigned long nr_pages)
{
	unsigned long i;

	if (dma_release_from_contiguous(NULL, first, (int)nr_pages))
		return;
	for (i = 0; i < nr_pages; i++)
		__free_page(first + i);
}

/**
 * atomic_pool_init - set the pool aside (arm64's boot-time initcall does this)
 *
 * Context: process context, once per iosim_dma_system_init().
 * Return: 0 (also when the configured size is 0: no pool); -ENOMEM with
 * nothing left behind.
 */
int atomic_pool_init(void)
{
	size_t size = atomic_pool_size_wanted;
	unsigned int order = get_order(size);
	unsigned long nr_pages = size >> PAGE_SHIFT;
	pgprot_t prot = __pgprot(PROT_NORMAL_NC);
	struct gen_pool *pool;
	struct page *page;
	void *vaddr;

	if (WARN(atomic_pool, "atomic_pool_init: the pool already exists"))
		return -EBUSY;
	if (!size)
		return 0;
	if (dev_get_cma_area(NULL)) {
		/* From the default contiguous area (below ZONE_DMA's end), as arm64's was. */
		page = dma_alloc_from_contiguous(NULL, nr_pages, order);
		if (!page)
			goto out_no_pages;
		memset(page_address(page), 0, size);
	} else {
		/* In ZONE_DMA when there is one, as arm64's pool was: 32-bit devices reach it. */
		page = alloc_pages(GFP_KERNEL | __GFP_ZERO |
				   (iosim_ram_zone_pages(ZONE_DMA) ? GFP_DMA : 0), order);
		if (!page)
			goto out_no_pages;
		split_page(page, order);
		if ((PAGE_SIZE << order) > size)
			free_pool_pages(page + nr_pages,
					(PAGE_SIZE << order) / PAGE_SIZE - nr_pages);
	}

	/* The zeroes must reach memory before the non-cacheable alias reads it. */
	__dma_flush_range(page_address(page), (char *)page_address(page) + size);

	pool = gen_pool_create(PAGE_SHIFT, -1);
	if (!pool)
		goto out_free_pages;
	vaddr = dma_common_contiguous_remap(page, size, VM_USERMAP, prot, atomic_pool_init);
	if (!vaddr)
		goto out_destroy_pool;
	if (gen_pool_add_virt(pool, (unsigned long)vaddr, page_to_phys(page), size, -1))
		goto out_unmap;
	gen_pool_set_algo(pool, gen_pool_first_fit_order_align, (void *)(unsigned long)PAGE_SHIFT);

	atomic_pool = pool;
	atomic_pool_vaddr = vaddr;
	atomic_pool_first = page;
	atomic_pool_bytes = size;
	pr_info("DMA: preallocated %zu KiB pool for atomic allocations\n", size / 1024);
	return 0;

out_unmap:
	dma_common_free_remap(vaddr, size, VM_USERMAP);
out_destroy_pool:
	gen_pool_destroy(pool);
out_free_pages:
	free_pool_pages(page, nr_pages);
out_no_pages:
	pr_err("DMA: failed to allocate %zu KiB pool for atomic coherent allocation\n",
	       size / 1024);
	return -ENOMEM;
}

/**
 * iosim_atomic_pool_exit - destroy the pool (system exit)
 *
 * Buffers still allocated from it are WARNed by genalloc and freed with it.
 *
 * Context: process context.
 */
void iosim_atomic_pool_exit(void)
{
	if (!atomic_pool)
		return;
	gen_pool_destroy(atomic_pool);
	dma_common_free_remap(atomic_pool_vaddr, atomic_pool_bytes, VM_USERMAP);
	free_pool_pages(atomic_pool_first, atomic_pool_bytes >> PAGE_SHIFT);
	atomic_pool = NULL;
	atomic_pool_vaddr = NULL;
	atomic_pool_first = NULL;
	atomic_pool_bytes = 0;
}

/**
 * __alloc_from_pool - carve a zeroed buffer from the atomic pool
 * @size: bytes (page multiples are what callers pass)
 * @ret_page: receives the buffer's first page
 * @flags: the caller's GFP flags (unused: the pool never sleeps)
 *
 * Context: any (atomic too).
 * Return: the buffer's non-cacheable CPU address, or NULL (no pool, pool
 * exhausted, zero size) with *@ret_page untouched.
 */
void *__alloc_from_pool(size_t size, struct page **ret_page, gfp_t flags)
{
	unsigned long val;
	void *ptr;

	if (!atomic_pool) {
		WARN(1, "coherent pool not initialised!\n");
		return NULL;
	}
	if (!size)
		return NULL;
	val = gen_pool_alloc(atomic_pool, size);
	if (!val)
		return NULL;
	*ret_page = phys_to_page(gen_pool_virt_to_phys(atomic_pool, val));
	ptr = (void *)val;
	memset(ptr, 0, size);
	return ptr;
}

/**
 * __in_atomic_pool - does [@start, @start + @size) lie in the atomic pool?
 *
 * Context: any.
 */
bool __in_atomic_pool(void *start, size_t size)
{
	if (!atomic_pool)
		return false;
	return addr_in_gen_pool(atomic_pool, (unsigned long)start, size);
}

/**
 * __free_from_pool - give a buffer back to the atomic pool
 * @start: what __alloc_from_pool() returned
 * @size: the size it was asked for
 *
 * Context: any.
 * Return: 1 if the buffer was the pool's (now free); 0 if it is not in the
 * pool (nothing done).
 */
int __free_from_pool(void *start, size_t size)
{
	if (!__in_atomic_pool(start, size))
		return 0;
	gen_pool_free(atomic_pool, (unsigned long)start, size);
	return 1;
}
