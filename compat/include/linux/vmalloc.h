/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/vmalloc.h - customised for simulation.
 *
 * vmalloc()/vzalloc() memory comes from the counting allocator (so ASan
 * checks it) and is registered as a vm_struct area; vmap() really maps the
 * given simulated pages at consecutive CPU addresses (shared mappings of the
 * RAM memfd), so writes through the alias land in the pages.  find_vm_area()
 * and is_vmalloc_addr() answer for both kinds of area.
 */
#ifndef _IOSIM_LINUX_VMALLOC_H
#define _IOSIM_LINUX_VMALLOC_H

#include <linux/types.h>
#include <linux/mm_types.h>

/* vm_struct flags (values as in 2015) */
#define VM_IOREMAP		0x00000001
#define VM_ALLOC		0x00000002
#define VM_MAP			0x00000004
#define VM_USERMAP		0x00000008
#define VM_VPAGES		0x00000010
#define VM_UNINITIALIZED	0x00000020
#define VM_NO_GUARD		0x00000040

struct vm_struct {
	struct vm_struct *next;
	void *addr;
	unsigned long size;
	unsigned long flags;
	struct page **pages;
	unsigned int nr_pages;
	phys_addr_t phys_addr;
	const void *caller;
};

void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
void vfree(const void *addr);

/**
 * vmap - map an array of simulated pages at consecutive CPU addresses
 * @pages: @count pages (any physical layout)
 * @count: number of pages
 * @flags: vm_struct flags for the area (VM_MAP, VM_USERMAP, ...)
 * @prot: CPU memory type of the alias
 *
 * Return: the CPU address, or NULL on failure (nothing mapped).
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot);
void vunmap(const void *addr);

/** find_vm_area - the area starting at @addr (vmalloc or vmap), or NULL. */
struct vm_struct *find_vm_area(const void *addr);

#endif /* _IOSIM_LINUX_VMALLOC_H */
