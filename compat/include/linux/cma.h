/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/cma.h - faithful names and signatures of v4.1 (CONFIG_CMA=y); the
 * Contiguous Memory Allocator over simulated RAM (compat/mm/cma.c).
 *
 * An area is a range of RAM set aside for large physically contiguous
 * allocations.  Deviation (docs/cma.md): the kernel reserves an area with
 * memblock at boot and lends its free pages to movable allocations until
 * cma_alloc() migrates them away; the simulation has no memblock and nothing
 * movable, so an area takes its whole range out of the buddy allocator when
 * it is declared and holds it.  Its free pages are therefore not counted as
 * free pages of the page allocator (the kernel's counters include them).
 * The simulation's controls and checker are in <iosim/cma.h>.
 */
#ifndef _IOSIM_LINUX_CMA_H
#define _IOSIM_LINUX_CMA_H

#include <linux/types.h>	/* and CONFIG_CMA_AREAS, through <linux/kconfig.h> */

/* Room for the default area and CONFIG_CMA_AREAS more. */
#define MAX_CMA_AREAS	(1 + CONFIG_CMA_AREAS)

struct cma;
struct page;

/* Pages of every declared area together. */
extern unsigned long totalcma_pages;

/** cma_get_base - physical address of @cma's first byte. */
phys_addr_t cma_get_base(const struct cma *cma);

/** cma_get_size - bytes in @cma. */
unsigned long cma_get_size(const struct cma *cma);

/**
 * cma_declare_contiguous - find (or place) a range of RAM and make it an area
 * @base: where it must start (fixed), or the lowest it may start; rounded up
 *	to the alignment; 0: anywhere (never fixed)
 * @size: bytes, rounded up to the alignment
 * @limit: the area ends at or below this (rounded down to the alignment);
 *	0, or above the end of RAM: the end of RAM
 * @alignment: 0 or a power of two; raised to at least the largest buddy
 *	block (PAGE_SIZE << max(MAX_ORDER - 1, pageblock_order))
 * @order_per_bit: the area's bitmap has one bit per 2^@order_per_bit pages
 * @fixed: the area must start exactly at @base
 * @res_cma: set to the area on success
 *
 * Not fixed, the highest free aligned range between @base and @limit is
 * taken, as memblock allocates: top down.
 *
 * Context: process context (boot in the kernel).
 * Return: 0; -ENOSPC when all MAX_CMA_AREAS slots are used; -EINVAL for a
 * zero @size, an @alignment not a power of two, a size that is not a whole
 * number of bitmap bits, or a range in two banks or zones; -EBUSY if a fixed
 * range is not wholly free RAM; -ENOMEM if no range fits or the bitmap could
 * not be allocated.  On error nothing is reserved.
 */
int cma_declare_contiguous(phys_addr_t base, phys_addr_t size, phys_addr_t limit,
			   phys_addr_t alignment, unsigned int order_per_bit,
			   bool fixed, struct cma **res_cma);

/**
 * cma_init_reserved_mem - make an area of the range at @base
 * @base: physical address, aligned to the largest buddy block
 * @size: bytes, a multiple of it
 * @order_per_bit: as cma_declare_contiguous()
 * @res_cma: set to the area on success
 *
 * In the kernel the caller reserved the range with memblock; here it must
 * be free and is taken now.
 *
 * Context: process context.
 * Return: 0; -ENOSPC, -EINVAL (also for a misaligned range, or one not all
 * RAM), -EBUSY or -ENOMEM as cma_declare_contiguous().
 */
int cma_init_reserved_mem(phys_addr_t base, phys_addr_t size, unsigned int order_per_bit,
			  struct cma **res_cma);

/**
 * cma_alloc - take @count contiguous pages of an area
 * @cma: the area; NULL gives NULL
 * @count: pages (rounded up to whole bitmap bits)
 * @align: the first page's pfn is a multiple of 2^@align
 *
 * The lowest free run that fits is taken; its pages hold
 * IOSIM_PAGE_POISON_ALLOC (not zeroed) and each is an independent page with
 * refcount 1.
 *
 * Context: process context; takes the area's mutex.
 * Return: the first page, or NULL (no area, @count 0, no room).
 */
struct page *cma_alloc(struct cma *cma, unsigned int count, unsigned int align);

/**
 * cma_release - give back pages cma_alloc() handed out
 * @cma: the area
 * @pages: the first page
 * @count: pages (any part of an allocation may go back)
 *
 * Context: process context; takes the area's mutex.
 * Return: false if @cma or @pages is NULL or @pages lies outside the area
 * (the caller frees them some other way); true otherwise: given back, or
 * misuse (running past the area's end, pages not allocated, pages still
 * referenced elsewhere) WARNed with nothing changed.
 */
bool cma_release(struct cma *cma, const struct page *pages, unsigned int count);

#endif /* _IOSIM_LINUX_CMA_H */
