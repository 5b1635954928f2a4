/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/cma.h> - checking, inspecting and tearing down the areas of the
 * Contiguous Memory Allocator (<linux/cma.h>; docs/cma.md).
 */
#ifndef _IOSIM_CMA_H
#define _IOSIM_CMA_H

#include <linux/types.h>

struct cma;

/**
 * iosim_cma_check - the sanity checker of one area
 * @cma: an area cma_declare_contiguous() or cma_init_reserved_mem() made
 *
 * Checks that @cma is a declared area; that its base and size are aligned
 * as a declaration requires, its size a whole number of bitmap bits, and
 * its range RAM in one bank and one zone; that each of its pages is an
 * independent allocated order-0 page (none back in the buddy allocator)
 * with a reference; that each page not handed out has refcount exactly 1
 * and holds IOSIM_PAGE_POISON_FREE in every byte, so that a write after
 * cma_release() (by the CPU or a device) is found; and that totalcma_pages
 * is the sum of the areas' pages.
 *
 * Context: process context; takes the CMA's mutex, then the area's.
 * Return: 0 if consistent; -EUCLEAN after a WARN naming the first problem.
 */
int iosim_cma_check(const struct cma *cma);

/** iosim_cma_check_all - iosim_cma_check() of every area (and totalcma_pages with none). */
int iosim_cma_check_all(void);

/** iosim_cma_nr_areas - how many areas are declared. */
unsigned int iosim_cma_nr_areas(void);

/** iosim_cma_area - the @index-th declared area, in order of declaration; NULL past the end. */
struct cma *iosim_cma_area(unsigned int index);

/**
 * iosim_cma_allocated_pages - pages of @cma handed out by cma_alloc() and
 * not released (whole bitmap bits: 2^order_per_bit pages each); 0 for a
 * NULL or undeclared @cma.
 */
unsigned long iosim_cma_allocated_pages(const struct cma *cma);

/** iosim_cma_free_pages - pages of @cma that cma_alloc() can still hand out. */
unsigned long iosim_cma_free_pages(const struct cma *cma);

/**
 * iosim_cma_exit - tear every area down
 *
 * An area with pages still handed out WARNs once, naming the area and the
 * number of pages; those pages stay allocated (they are leaks: the caller,
 * or iosim_ram_exit(), finds them), the others go back to the buddy
 * allocator.  Afterwards no area exists, totalcma_pages is 0, and areas can
 * be declared again from an empty table.  iosim_ram_exit() calls this first
 * when any area exists.
 *
 * Context: process context; no other user of the areas.
 * Return: the number of pages that were still handed out.
 */
unsigned long iosim_cma_exit(void);

#endif /* _IOSIM_CMA_H */
