/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/mm.h - customised for simulation.
 *
 * Address conversions are real: simulated RAM is one memfd-backed mapping, so
 * page_address() is a usable pointer and phys_to_virt()/virt_to_page() are
 * linear.  Conversions of addresses outside simulated RAM WARN and return
 * NULL/0 instead of inventing a pointer.  Also pulls in what kernel code of
 * 2015 reached through mm.h's include chain (gfp, page flags, vmalloc, the
 * dma-mapping basics).
 */
#ifndef _IOSIM_LINUX_MM_H
#define _IOSIM_LINUX_MM_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/mmzone.h>
#include <linux/mm_types.h>
#include <linux/page-flags.h>
#include <linux/pfn.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/page.h>
#include <asm/memory.h>
#include <asm/pgtable.h>

/* vm_flags of a vm_area_struct (values as in 2015). */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_IO		0x00004000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_MIXEDMAP	0x10000000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_PFNMAP	0x00000400UL

#define offset_in_page(p)	((unsigned long)(p) & ~PAGE_MASK)
#define PAGE_ALIGN(addr)	ALIGN(addr, PAGE_SIZE)
#define PAGE_ALIGNED(addr)	IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)

/** page_address - kernel virtual address of a simulated page (NULL + WARN if invalid). */
void *page_address(const struct page *page);
#define lowmem_page_address(page)	page_address(page)

/** nth_page - the page @n frames after @page (mem_map is flat). */
#define nth_page(page, n)	((page) + (n))

/*
 * Reference counting, as the kernel of 2015: a compound page's references
 * are all held on its head, so page_count() of a tail reads the head.
 * get_page()/put_page() check their page (WARN on a free page, a page outside
 * RAM, or one that holds no references) and take the allocator lock.
 */
static inline int page_count(const struct page *page)
{
	if (test_bit(PG_tail, &page->flags) && page->first_page)
		page = page->first_page;
	return atomic_read(&page->_count);
}

/** page_mapcount - user mappings of @page (vm_insert_page() raises it). */
static inline int page_mapcount(const struct page *page)
{
	return atomic_read(&page->_mapcount) + 1;
}

void get_page(struct page *page);
void put_page(struct page *page);

static inline struct page *compound_head(struct page *page)
{
	if (PageTail(page))
		return page->first_page;
	return page;
}

static inline unsigned int compound_order(struct page *page)
{
	if (!PageHead(page))
		return 0;
	return page->compound_order;
}

/** virt_to_head_page - the compound head of the page holding linear-map address @x. */
static inline struct page *virt_to_head_page(const void *x)
{
	struct page *page = virt_to_page(x);

	return page ? compound_head(page) : NULL;
}

/** get_order - smallest order whose block holds @size bytes. */
static inline int get_order(unsigned long size)
{
	if (size == 0)
		return BITS_PER_LONG - PAGE_SHIFT;
	return (int)fls_long((size - 1) >> PAGE_SHIFT);
}

/**
 * is_vmalloc_addr - true if @x lies in a vmalloc()/vmap() area, guard page
 * included (as the kernel's, which tests the whole vmalloc range).  No WARN.
 */
bool is_vmalloc_addr(const void *x);

/**
 * vmalloc_to_page - the simulated page mapped at @addr of a vmap() area
 *
 * Return: the page; NULL for a guard page; NULL with a WARN for vmalloc()
 * memory (it has no simulated pages here) or an address in no area.
 */
struct page *vmalloc_to_page(const void *addr);

/** vmalloc_to_pfn - page_to_pfn(vmalloc_to_page(@addr)); 0 when there is no page. */
unsigned long vmalloc_to_pfn(const void *addr);

/** kvfree - free memory from kmalloc() or vmalloc(), whichever it was. */
void kvfree(const void *addr);

/**
 * vm_insert_page - insert a simulated page into a user VMA
 * @vma: a VMA from iosim_vma_create()
 * @addr: user address, page aligned, inside @vma
 * @page: page to map (takes a reference, dropped when the VMA is destroyed)
 *
 * The page is really mapped at @addr: user reads and writes there hit the
 * page's memory.  Sets VM_MIXEDMAP; vm_pgoff plays no part.  Consults
 * iosim_fault_should_fail(IOSIM_FAULT_VM_INSERT).
 * Return: 0, -EFAULT if @addr is outside @vma or unaligned, -EINVAL for a
 * page outside simulated RAM, a free page or one holding no references (and,
 * WARNing, for a VM_PFNMAP VMA or one not from iosim_vma_create()), -ENOMEM
 * on (injected) failure, -EBUSY if a page is already mapped at @addr.
 */
int vm_insert_page(struct vm_area_struct *vma, unsigned long addr, struct page *page);

#endif /* _IOSIM_LINUX_MM_H */
