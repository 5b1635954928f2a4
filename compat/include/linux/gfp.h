/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/gfp.h - faithful GFP flag values (v4.2) and the page allocator API,
 * backed by the simulated buddy allocator (compat/mm/page_alloc.c).
 *
 * Zones as arm64 of 2015: __GFP_DMA allocates from ZONE_DMA (RAM below
 * 4 GiB) only and fails when it has none left; __GFP_DMA32 (arm64 had no
 * ZONE_DMA32, gfp_zone() mapped it to ZONE_NORMAL) and no modifier prefer
 * ZONE_NORMAL and fall back to ZONE_DMA; __GFP_HIGHMEM is ignored.
 * __GFP_NOFAIL allocations are never failed
 * by fault injection; __GFP_NOWARN suppresses the allocation-failure message.
 */
#ifndef _IOSIM_LINUX_GFP_H
#define _IOSIM_LINUX_GFP_H

#include <linux/types.h>
#include <linux/mmzone.h>

struct page;

#define ___GFP_DMA		0x01u
#define ___GFP_HIGHMEM		0x02u
#define ___GFP_DMA32		0x04u
#define ___GFP_MOVABLE		0x08u
#define ___GFP_WAIT		0x10u
#define ___GFP_HIGH		0x20u
#define ___GFP_IO		0x40u
#define ___GFP_FS		0x80u
#define ___GFP_COLD		0x100u
#define ___GFP_NOWARN		0x200u
#define ___GFP_REPEAT		0x400u
#define ___GFP_NOFAIL		0x800u
#define ___GFP_NORETRY		0x1000u
#define ___GFP_MEMALLOC		0x2000u
#define ___GFP_COMP		0x4000u
#define ___GFP_ZERO		0x8000u
#define ___GFP_NOMEMALLOC	0x10000u
#define ___GFP_HARDWALL		0x20000u
#define ___GFP_THISNODE		0x40000u
#define ___GFP_RECLAIMABLE	0x80000u
#define ___GFP_NOTRACK		0x200000u
#define ___GFP_NO_KSWAPD	0x400000u
#define ___GFP_OTHER_NODE	0x800000u
#define ___GFP_WRITE		0x1000000u

#define __GFP_DMA		((gfp_t)___GFP_DMA)
#define __GFP_HIGHMEM		((gfp_t)___GFP_HIGHMEM)
#define __GFP_DMA32		((gfp_t)___GFP_DMA32)
#define __GFP_MOVABLE		((gfp_t)___GFP_MOVABLE)
#define GFP_ZONEMASK		(__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
#define __GFP_WAIT		((gfp_t)___GFP_WAIT)
#define __GFP_HIGH		((gfp_t)___GFP_HIGH)
#define __GFP_IO		((gfp_t)___GFP_IO)
#define __GFP_FS		((gfp_t)___GFP_FS)
#define __GFP_COLD		((gfp_t)___GFP_COLD)
#define __GFP_NOWARN		((gfp_t)___GFP_NOWARN)
#define __GFP_REPEAT		((gfp_t)___GFP_REPEAT)
#define __GFP_NOFAIL		((gfp_t)___GFP_NOFAIL)
#define __GFP_NORETRY		((gfp_t)___GFP_NORETRY)
#define __GFP_MEMALLOC		((gfp_t)___GFP_MEMALLOC)
#define __GFP_COMP		((gfp_t)___GFP_COMP)
#define __GFP_ZERO		((gfp_t)___GFP_ZERO)
#define __GFP_NOMEMALLOC	((gfp_t)___GFP_NOMEMALLOC)
#define __GFP_HARDWALL		((gfp_t)___GFP_HARDWALL)
#define __GFP_THISNODE		((gfp_t)___GFP_THISNODE)
#define __GFP_RECLAIMABLE	((gfp_t)___GFP_RECLAIMABLE)
#define __GFP_NOTRACK		((gfp_t)___GFP_NOTRACK)
#define __GFP_NO_KSWAPD		((gfp_t)___GFP_NO_KSWAPD)
#define __GFP_OTHER_NODE	((gfp_t)___GFP_OTHER_NODE)
#define __GFP_WRITE		((gfp_t)___GFP_WRITE)

#define GFP_NOWAIT		(GFP_ATOMIC & ~__GFP_HIGH)
#define GFP_ATOMIC		(__GFP_HIGH)
#define GFP_NOIO		(__GFP_WAIT)
#define GFP_NOFS		(__GFP_WAIT | __GFP_IO)
#define GFP_KERNEL		(__GFP_WAIT | __GFP_IO | __GFP_FS)
#define GFP_TEMPORARY		(__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_RECLAIMABLE)
#define GFP_USER		(__GFP_WAIT | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_HIGHUSER		(GFP_USER | __GFP_HIGHMEM)
#define GFP_DMA			__GFP_DMA
#define GFP_DMA32		__GFP_DMA32

/**
 * alloc_pages - allocate 2^@order physically contiguous simulated pages
 * @gfp_mask: GFP flags; __GFP_ZERO zeroes, __GFP_COMP makes a compound page,
 *	__GFP_DMA takes ZONE_DMA only (others: ZONE_NORMAL, then ZONE_DMA)
 * @order: 0 <= order < MAX_ORDER
 *
 * Fault injection: iosim_fault_should_fail(IOSIM_FAULT_PAGE_ALLOC) and the
 * per-order mask (iosim_fault_should_fail_order()), neither consulted for
 * __GFP_NOFAIL.  Without __GFP_ZERO the block is filled with
 * IOSIM_PAGE_POISON_ALLOC (<iosim/ram.h>); freed blocks are filled with
 * IOSIM_PAGE_POISON_FREE.  Live pages count as IOSIM_OBJ_PAGE (per frame).
 *
 * Context: any; takes the page allocator lock.
 * Return: the first page with refcount 1, or NULL when memory is exhausted,
 * fault injection fired (both logged as "page allocation failure" unless
 * __GFP_NOWARN), @order >= MAX_ORDER (which WARNs unless __GFP_NOWARN), or
 * simulated RAM does not exist (WARNs).  On NULL nothing is allocated.
 */
struct page *alloc_pages(gfp_t gfp_mask, unsigned int order);
#define alloc_page(gfp_mask)	alloc_pages(gfp_mask, 0)

/** __get_free_pages - alloc_pages(), returning the linear-map address (0 on failure). */
unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order);
/** get_zeroed_page - one zeroed page's linear-map address (0 on failure). */
unsigned long get_zeroed_page(gfp_t gfp_mask);
#define __get_free_page(gfp_mask)	__get_free_pages((gfp_mask), 0)

/**
 * alloc_pages_exact - PAGE_ALIGN(@size) bytes of contiguous pages, each an
 * independent order-0 page (the rest of the power-of-two block is freed);
 * __GFP_COMP is ignored.  Returns the linear-map address or NULL.
 */
void *alloc_pages_exact(size_t size, gfp_t gfp_mask);
/** free_pages_exact - free memory from alloc_pages_exact() of @size bytes. */
void free_pages_exact(void *virt, size_t size);

/**
 * __free_pages - drop a reference to a block from alloc_pages()
 * @page: first page of the block
 * @order: the order it was allocated with
 *
 * The block returns to the buddy allocator when its refcount reaches 0.
 * Freeing a free page, a page outside simulated RAM, a tail page, a page
 * that heads no allocation, the original block of split pages, or with an
 * order that does not match the allocation WARNs and changes nothing.
 */
void __free_pages(struct page *page, unsigned int order);
/** free_pages - __free_pages() by linear-map address; 0 is ignored, others outside RAM WARN. */
void free_pages(unsigned long addr, unsigned int order);
#define __free_page(page)	__free_pages((page), 0)
#define free_page(addr)		free_pages((addr), 0)

/**
 * split_page - turn a non-compound 2^@order block into independent pages
 * @page: first page of a block from alloc_pages() without __GFP_COMP
 * @order: its order
 *
 * Afterwards the first page keeps its refcount, every other page has
 * refcount 1, and each is freed with __free_page() (freeing the original
 * block whole then WARNs).  A compound page, a free page, a page that heads
 * no allocation or a wrong @order WARNs and changes nothing.
 */
void split_page(struct page *page, unsigned int order);

/*
 * Contiguous ranges (CONFIG_CMA): the page allocator's side of the Contiguous
 * Memory Allocator (<linux/cma.h>, docs/cma.md).
 */

/**
 * alloc_contig_range - take the frames [@start, @end) out of the buddy allocator
 * @start: first pfn
 * @end: pfn past the last one
 * @migratetype: MIGRATE_CMA or MIGRATE_MOVABLE (the type of the range's page
 *	blocks in the kernel; anything else is refused)
 *
 * Each frame becomes an independent order-0 page with refcount 1, as from
 * alloc_page() without __GFP_ZERO (filled with IOSIM_PAGE_POISON_ALLOC,
 * counted as IOSIM_OBJ_PAGE); free blocks straddling either edge are split
 * and their parts outside the range stay free.  Nothing can be migrated in the
 * simulation, so a frame in use anywhere in the range makes the call fail.
 * Not subject to fault injection.
 *
 * Context: process context; takes the page allocator lock.
 * Return: 0; -EINVAL if @start >= @end, a frame is outside RAM, the range
 * spans two banks or both zones, or @migratetype is another type; -EBUSY if
 * a frame of the range is allocated.  On error nothing was taken.
 */
int alloc_contig_range(unsigned long start, unsigned long end, unsigned migratetype);

/**
 * free_contig_range - give back @nr_pages pages from @pfn
 * @pfn: first pfn
 * @nr_pages: pages
 *
 * __free_page() of each page in turn: a page that is free, not an order-0
 * page, or outside RAM is WARNed by it and skipped.
 *
 * Context: process context; takes the page allocator lock per page.
 */
void free_contig_range(unsigned long pfn, unsigned nr_pages);

#endif /* _IOSIM_LINUX_GFP_H */
