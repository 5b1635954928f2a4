/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/vmalloc.h - customised for simulation.
 *
 * vmalloc()/vzalloc() memory comes from the counting allocator (so ASan
 * checks it) and is registered as a vm_struct area; vmap() really maps the
 * given simulated pages at consecutive CPU addresses (shared mappings of the
 * RAM memfd), so writes through the alias land in the pages.  find_vm_area()
 * and is_vmalloc_addr() answer for both kinds of area.
 *
 * As in the kernel, every area is followed by a guard page that vm->size
 * includes: for vmap() it is a real inaccessible page (an overrun faults);
 * for vmalloc() it is part of the allocation, marked inaccessible for ASan
 * and valgrind.  Differences from the kernel, all deliberate:
 *  - vmalloc() memory has no struct pages (area->pages is NULL): it is not
 *    simulated RAM and cannot be DMA-mapped or vmalloc_to_page()d;
 *  - vmap() keeps the caller's flags and leaves area->pages NULL, as the
 *    kernel's does (nr_pages records the count); dma_common_pages_remap()
 *    sets area->pages to the caller's array, which stays the caller's;
 *  - vfree() of a vmap() area and vunmap() of a vmalloc() area WARN and do
 *    nothing (the kernel would free pages it does not own, or leak);
 *  - vm_struct.iosim_prot records the CPU memory type of the mapping
 *    (PAGE_KERNEL for vmalloc) for the cache model.
 * Fresh vmalloc() memory is filled with IOSIM_PAGE_POISON_ALLOC (<iosim/ram.h>).
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
	pgprot_t iosim_prot;		/* simulation: CPU memory type of the mapping */
};

/**
 * vmalloc - allocate virtually contiguous memory
 * @size: bytes; rounded up to whole pages
 *
 * Consults iosim_fault_should_fail(IOSIM_FAULT_VMALLOC); counts one
 * IOSIM_OBJ_VMALLOC.  The memory is filled with IOSIM_PAGE_POISON_ALLOC.
 *
 * Context: process context.
 * Return: a page-aligned pointer, or NULL (logged as an allocation failure)
 * for @size 0, an absurd @size, or an (injected) failure.
 */
void *vmalloc(unsigned long size);

/** vzalloc - vmalloc() of zeroed memory. */
void *vzalloc(unsigned long size);

/**
 * vfree - free memory from vmalloc()/vzalloc()
 * @addr: the pointer they returned, or NULL (ignored)
 *
 * Context: process context.
 * Return: nothing; a pointer that is not the start of a live vmalloc() area
 * (never allocated, freed already, inside an area, or a vmap() area) WARNs
 * and is ignored.
 */
void vfree(const void *addr);

/**
 * vmap - map an array of simulated pages at consecutive CPU addresses
 * @pages: @count pages (any physical layout)
 * @count: number of pages
 * @flags: vm_struct flags for the area (VM_MAP, VM_USERMAP, ...)
 * @prot: CPU memory type of the alias
 *
 * Every page must be an allocated simulated page (any frame of a live block).
 * Consults iosim_fault_should_fail(IOSIM_FAULT_VMALLOC); counts one
 * IOSIM_OBJ_VMAP.  The mapping is read-only if @prot has PTE_RDONLY.
 * No page references are taken, as in the kernel.
 *
 * Context: process context.
 * Return: the CPU address (PAGE_SIZE aligned), or NULL (nothing mapped) if
 * @count is 0 or exceeds RAM, a page is free or outside RAM (WARNs), or on
 * an (injected) failure.
 */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot);

/**
 * vunmap - remove a mapping made by vmap() (or dma_common_pages_remap())
 * @addr: its address, or NULL (ignored)
 *
 * Context: process context.
 * Return: nothing; an address that does not start a live vmap() area WARNs
 * and is ignored.  The pages are untouched.
 */
void vunmap(const void *addr);

/**
 * find_vm_area - the area starting exactly at @addr (vmalloc or vmap)
 *
 * Context: any.  The area is valid until it is freed.
 * Return: the area, or NULL (no WARN).
 */
struct vm_struct *find_vm_area(const void *addr);

/**
 * iosim_vmalloc_check - simulation only: sanity checker of every vmalloc()
 * and vmap() area (placement, guard pages, no overlap, flags match the kind,
 * vmap()ed frames still allocated, live counts agree).
 *
 * Return: 0, or -EUCLEAN after WARNing each problem.
 */
int iosim_vmalloc_check(void);

#endif /* _IOSIM_LINUX_VMALLOC_H */
