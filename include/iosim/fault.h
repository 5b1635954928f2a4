/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/fault.h> - fault injection at every allocation site.
 *
 * Every fallible operation of the simulation belongs to a site.  Each call at
 * an armed site is counted; the armed pattern decides which count fails.  A
 * test sweeps failures with iosim_fault_fail_nth(mask, n) for n = 1, 2, ...
 * until an operation completes with iosim_fault_injected() == 0.
 */
#ifndef _IOSIM_FAULT_H
#define _IOSIM_FAULT_H

#include <stdbool.h>
#include <stddef.h>

enum iosim_fault_site {
	IOSIM_FAULT_SLAB,		/* kmalloc & co, kmem_cache_alloc */
	IOSIM_FAULT_VMALLOC,		/* vmalloc, vzalloc, vmap */
	IOSIM_FAULT_PAGE_ALLOC,		/* alloc_pages and friends */
	IOSIM_FAULT_SPLIT_HUGE,		/* split_huge_page */
	IOSIM_FAULT_VM_INSERT,		/* vm_insert_page */
	IOSIM_FAULT_PGTABLE,		/* simulated IOMMU: page-table page allocation */
	IOSIM_FAULT_IOMMU_MAP,		/* simulated IOMMU: a map operation */
	IOSIM_FAULT_DOMAIN_ALLOC,	/* simulated IOMMU: domain allocation */
	IOSIM_FAULT_HOST,		/* the simulation's own host memory (see below) */
	IOSIM_FAULT_NR_SITES
};

#define IOSIM_FAULT_SITE(site)	(1u << (site))
#define IOSIM_FAULT_ALL		((1u << IOSIM_FAULT_NR_SITES) - 1)
/* Every site that allocates memory (what an allocation-failure sweep arms). */
#define IOSIM_FAULT_ALLOCS	(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB) |		\
				 IOSIM_FAULT_SITE(IOSIM_FAULT_VMALLOC) |	\
				 IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC) |	\
				 IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE) |	\
				 IOSIM_FAULT_SITE(IOSIM_FAULT_DOMAIN_ALLOC))

/*
 * IOSIM_FAULT_HOST is the simulation's own use of the host: the bookkeeping
 * it allocates from the host heap (vmalloc and vmap areas, simulated user
 * VMAs, mem_map, the reset tracking, the DMA-API debugging entries and device
 * records, the slab's cache descriptors, object records and slab-page
 * descriptors, every uthash table: the slab and IOVA registries, the IOTLB
 * index, DMA-API debugging's indexes; the checkers' scratch), the memfds of
 * RAM and of the cache model's memory and their mappings, and the
 * address-space reservations and frame mappings behind the linear map,
 * vmap() and user VMAs.  Where a kept block may serve the call, the site is
 * consulted all the same, so a sweep counts the same calls whatever earlier
 * work left kept.  A kernel has no such allocations, so IOSIM_FAULT_ALLOCS
 * leaves the site out and kernel-API sweeps keep their meaning; tests sweep
 * it on its own to show that every host failure is reported as the kernel
 * call's failure (or, for the IOTLB, caches nothing; for DMA-API debugging,
 * disables it with one report) and leaves nothing behind.
 */
/* Every site a kernel has: all but IOSIM_FAULT_HOST. */
#define IOSIM_FAULT_KERNEL	(IOSIM_FAULT_ALL & ~IOSIM_FAULT_SITE(IOSIM_FAULT_HOST))

/**
 * iosim_fault_fail_nth - fail the @nth call (1-based) among the sites in
 * @site_mask, counted from now; later calls succeed.  @nth == 0 disarms.
 */
void iosim_fault_fail_nth(unsigned int site_mask, unsigned long nth);

/** iosim_fault_fail_from - fail the @nth call and every later one. */
void iosim_fault_fail_from(unsigned int site_mask, unsigned long nth);

/**
 * iosim_fault_fail_random - fail each call with probability
 * @per_million / 1e6, from a deterministic generator seeded with @seed.
 */
void iosim_fault_fail_random(unsigned int site_mask, unsigned int per_million,
			     unsigned long seed);

/**
 * iosim_fault_fail_page_orders - alloc_pages() of any order whose bit is set
 * in @order_mask fails, always (0 clears).  Independent of the patterns above.
 */
void iosim_fault_fail_page_orders(unsigned long order_mask);

/** iosim_fault_calls - calls counted at the sites of @site_mask since arming/reset. */
unsigned long iosim_fault_calls(unsigned int site_mask);

/** iosim_fault_injected - failures injected since the last arm or reset. */
unsigned long iosim_fault_injected(void);

/** iosim_fault_reset - disarm everything and zero the counters. */
void iosim_fault_reset(void);

/**
 * iosim_fault_should_fail - for allocation sites: count a call at @site and
 * say whether it must fail.  Thread-safe.
 */
bool iosim_fault_should_fail(enum iosim_fault_site site);

/** iosim_fault_should_fail_order - the per-order check for alloc_pages(). */
bool iosim_fault_should_fail_order(unsigned int order);

/**
 * iosim_host_calloc - calloc() for the simulation's bookkeeping, failing when
 * IOSIM_FAULT_HOST says so.  Free with free().
 */
void *iosim_host_calloc(size_t nmemb, size_t size);

/**
 * iosim_host_memalign - posix_memalign() at IOSIM_FAULT_HOST: 0, or ENOMEM
 * (injected) or posix_memalign()'s error with *@memptr untouched.
 */
int iosim_host_memalign(void **memptr, size_t alignment, size_t size_bytes);

/**
 * iosim_host_realloc - realloc() at IOSIM_FAULT_HOST: the resized block, or
 * NULL (injected, or the host is out of memory) with @ptr untouched.
 */
void *iosim_host_realloc(void *ptr, size_t size_bytes);

/** iosim_fault_site_name - a short name for @site ("slab", "pages", ...). */
const char *iosim_fault_site_name(enum iosim_fault_site site);

#endif /* _IOSIM_FAULT_H */
