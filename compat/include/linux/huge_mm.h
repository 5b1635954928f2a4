/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/huge_mm.h - customised for simulation (CONFIG_TRANSPARENT_HUGEPAGE).
 *
 * split_huge_page() splits any compound page from alloc_pages(__GFP_COMP)
 * into order-0 pages with refcount 1 each.  As the kernel's can, it fails
 * (returns non-zero, page untouched) when fault injection says so
 * (IOSIM_FAULT_SPLIT_HUGE), so callers' fallback paths are exercised.
 */
#ifndef _IOSIM_LINUX_HUGE_MM_H
#define _IOSIM_LINUX_HUGE_MM_H

#include <linux/mm_types.h>

/**
 * split_huge_page - split a compound page into independent pages
 * @page: head page of a compound block, refcount 1
 *
 * Return: 0 on success; 1 if the split failed (injected, or @page is not a
 * compound head, or it is shared), leaving @page unchanged.
 */
int split_huge_page(struct page *page);

#endif /* _IOSIM_LINUX_HUGE_MM_H */
