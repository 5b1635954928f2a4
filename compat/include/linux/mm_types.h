/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/mm_types.h - customised for simulation.
 *
 * struct page keeps the kernel's field names where kernel code of 2015
 * touches them (flags, _count, _mapcount, private, lru, first_page); the
 * layout is ours.  One struct page exists per frame of simulated RAM
 * (mem_map), so page pointer arithmetic within a block works as in the
 * kernel (page++ walks physically consecutive frames).
 */
#ifndef _IOSIM_LINUX_MM_TYPES_H
#define _IOSIM_LINUX_MM_TYPES_H

#include <linux/types.h>
#include <linux/list.h>

struct page {
	unsigned long flags;		/* PG_* bits, see <linux/page-flags.h> */
	atomic_t _count;		/* references: 0 while free, and on every
					 * frame of a live block but its first */
	atomic_t _mapcount;		/* user mappings - 1 (-1: none), as the
					 * kernel; vm_insert_page() raises it */
	unsigned long private;		/* first frame of a free block: its order */
	struct list_head lru;		/* free-list linkage while free */
	struct page *first_page;	/* compound tail pages: the head page */
	unsigned int compound_order;	/* compound head: order of the block */
	unsigned int alloc_order;	/* simulation: order of the allocation
					 * this page heads, for free checks */
};

/* arm64 page protection: the memory-type index of the mapping. */
typedef u64 pteval_t;
typedef struct { pteval_t pgprot; } pgprot_t;
#define pgprot_val(x)	((x).pgprot)
#define __pgprot(x)	((pgprot_t) { (x) })

struct mm_struct;

/**
 * struct vm_area_struct - a user mapping (simulated by a real mmap of this
 * process; see iosim_vma_create() in <iosim/vma.h>).
 */
struct vm_area_struct {
	unsigned long vm_start;		/* first byte */
	unsigned long vm_end;		/* first byte after */
	struct vm_area_struct *vm_next, *vm_prev;
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	unsigned long vm_flags;
	unsigned long vm_pgoff;		/* offset in PAGE_SIZE units */
	void *vm_private_data;
};

#endif /* _IOSIM_LINUX_MM_TYPES_H */
