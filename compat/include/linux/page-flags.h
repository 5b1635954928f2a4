/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/page-flags.h - faithful names for the page flags kernel code tests
 * (PageCompound, PageHead, PageTail, PageReserved); PG_buddy and PG_iosim_*
 * are the simulation's own bookkeeping, maintained by compat/mm/page_alloc.c
 * under its lock:
 *
 *  - a free frame has PG_iosim_free; the first frame of each free buddy block
 *    also has PG_buddy (and page->private = the block's order);
 *  - the first frame of each live allocation has PG_iosim_alloc (and
 *    page->alloc_order); the other frames of that allocation have neither
 *    flag (and _count 0);
 *  - PG_iosim_split marks frames made independent by split_page() or
 *    split_huge_page(), so freeing the original block is reported precisely.
 */
#ifndef _IOSIM_LINUX_PAGE_FLAGS_H
#define _IOSIM_LINUX_PAGE_FLAGS_H

#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/mm_types.h>

enum pageflags {
	PG_locked,
	PG_referenced,
	PG_dirty,
	PG_reserved,
	PG_private,
	PG_head,		/* first page of a compound page */
	PG_tail,		/* other pages of a compound page */
	PG_buddy,		/* simulation: first page of a free buddy block */
	PG_iosim_free,		/* simulation: page is in the buddy allocator */
	PG_iosim_alloc,		/* simulation: first page of a live allocation */
	PG_iosim_split,		/* simulation: made by split_page()/split_huge_page() */
	__NR_PAGEFLAGS
};

static inline int PageHead(const struct page *page)
{
	return test_bit(PG_head, &page->flags);
}

static inline int PageTail(const struct page *page)
{
	return test_bit(PG_tail, &page->flags);
}

static inline int PageCompound(const struct page *page)
{
	return page->flags & ((1UL << PG_head) | (1UL << PG_tail));
}

static inline int PageReserved(const struct page *page)
{
	return test_bit(PG_reserved, &page->flags);
}

static inline int PageBuddy(const struct page *page)
{
	return test_bit(PG_buddy, &page->flags);
}

static inline void SetPageReserved(struct page *page)
{
	set_bit(PG_reserved, &page->flags);
}

static inline void ClearPageReserved(struct page *page)
{
	clear_bit(PG_reserved, &page->flags);
}

#endif /* _IOSIM_LINUX_PAGE_FLAGS_H */
