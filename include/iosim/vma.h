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
 * Return: the VMA (vm_flags VM_READ|VM_WRITE|VM_SHARED, PAGE_SHARED), or NULL.
 */
struct vm_area_struct *iosim_vma_create(size_t size_bytes, unsigned long pgoff);

/**
 * iosim_vma_destroy - unmap everything in @vma, drop the page references
 * vm_insert_page() took, and free it.
 */
void iosim_vma_destroy(struct vm_area_struct *vma);

/** iosim_vma_page - the page mapped at @addr in @vma, or NULL if none. */
struct page *iosim_vma_page(struct vm_area_struct *vma, unsigned long addr);

#endif /* _IOSIM_VMA_H */
