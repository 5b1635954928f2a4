/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/vma.h> - simulated user mappings for mmap-style kernel code.
 *
 * A simulated VMA is a real reservation in this process's address space;
 * vm_insert_page() maps simulated pages into it, so "user space" reads and
 * writes through vma->vm_start really reach the pages.
 */
#ifndef _IOSIM_VMA_H
#define _IOSIM_VMA_H

#include <linux/mm_types.h>

/**
 * iosim_vma_create - reserve a user VMA of @size_bytes (rounded up to pages)
 * @size_bytes: length of the mapping
 * @pgoff: vm_pgoff, the offset (in pages) into the object being mapped
 *
 * The VMA is what a shared read-write mmap() gives a driver's mmap handler:
 * vm_flags VM_READ|VM_WRITE|VM_SHARED plus VM_MAYREAD|VM_MAYWRITE|
 * VM_MAYSHARE, vm_page_prot PAGE_SHARED, vm_mm NULL.  Tests may change
 * vm_flags before inserting pages (without VM_WRITE, pages map read-only).
 * Counts one IOSIM_OBJ_VMA.  No fault injection: this is test setup.
 *
 * Return: the VMA, or NULL for a zero size (WARNs) or if the host refuses
 * the address-space reservation.
 */
struct vm_area_struct *iosim_vma_create(size_t size_bytes, unsigned long pgoff);

/**
 * iosim_vma_destroy - unmap everything in @vma, drop the page references
 * vm_insert_page() took, and free it.  NULL is ignored; a VMA that is not
 * live WARNs.
 */
void iosim_vma_destroy(struct vm_area_struct *vma);

/** iosim_vma_page - the page mapped at @addr in @vma, or NULL if none. */
struct page *iosim_vma_page(struct vm_area_struct *vma, unsigned long addr);

/**
 * iosim_vma_check - sanity checker: @vma is live and unmoved, every page it
 * maps is still in use with a map count, and each user address shows its
 * page's memory.  Returns 0, or -EUCLEAN after WARNing what is wrong.
 */
int iosim_vma_check(struct vm_area_struct *vma);

#endif /* _IOSIM_VMA_H */
