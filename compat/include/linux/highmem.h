/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* linux/highmem.h - faithful for a 64-bit kernel: every page is mapped. */
#ifndef _IOSIM_LINUX_HIGHMEM_H
#define _IOSIM_LINUX_HIGHMEM_H

#include <linux/mm.h>

static inline void *kmap(struct page *page)
{
	return page_address(page);
}

static inline void kunmap(struct page *page)
{
}

static inline void *kmap_atomic(struct page *page)
{
	return page_address(page);
}

static inline void __kunmap_atomic(void *addr)
{
}

#define kunmap_atomic(addr)	__kunmap_atomic(addr)

static inline void clear_highpage(struct page *page)
{
	memset(page_address(page), 0, PAGE_SIZE);
}

static inline void flush_kernel_dcache_page(struct page *page)
{
}

#endif /* _IOSIM_LINUX_HIGHMEM_H */
