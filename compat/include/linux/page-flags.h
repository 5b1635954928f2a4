/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/page-flags.h - faithful names for the page flags kernel code tests
 * (PageCompound, PageHead, PageTail, PageReserved); PG_buddy and PG_iosim_*
 * are the simulation's own bookkeeping.
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
