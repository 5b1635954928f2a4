// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The remapping helpers of drivers/base/dma-mapping.c (2015): an
 * architecture's coherent allocator uses them to give a buffer of scattered
 * pages one contiguous, suitably typed CPU alias.  Here that alias is a
 * vmap() area (compat/mm/vmalloc.c) whose vm_struct records the caller's
 * page array (area->pages, read back by the arch code's free and mmap
 * paths) and the CPU memory type (area->iosim_prot, for the cache model).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#if __has_include(<linux/dma-mapping.h>)
#include <linux/dma-mapping.h>
#endif
#include "iosim_mm.h"

/*
 * <linux/dma-mapping.h> declares these (its owner keeps them there, as the
 * kernel does); repeated here so a mismatch between the two is a compile error.
 */
void *dma_common_pages_remap(struct page **pages, size_t size, unsigned long vm_flags,
			     pgprot_t prot, const void *caller);
void dma_common_free_remap(void *cpu_addr, size_t size, unsigned long vm_flags);

/**
 * dma_common_pages_remap - map pages at one contiguous CPU address
 * @pages: PAGE_ALIGN(@size) >> PAGE_SHIFT allocated simulated pages; the
 *	array stays the caller's and is recorded as area->pages
 * @size: bytes to map
 * @vm_flags: flags of the area (e.g. VM_USERMAP), exactly as given
 * @prot: CPU memory type of the alias (recorded as area->iosim_prot)
 * @caller: recorded as area->caller
 *
 * Context: process context.
 * Return: the CPU address, or NULL (nothing mapped) on an (injected)
 * failure, a zero @size, or a bad page (WARNed).
 */
void *dma_common_pages_remap(struct page **pages, size_t size, unsigned long vm_flags,
			     pgprot_t prot, const void *caller)
{
	unsigned long nr_pages = PAGE_ALIGN(size) >> PAGE_SHIFT;
	struct vm_struct *area;

	if (!nr_pages || nr_pages > UINT_MAX)
		return NULL;
	area = iosim_vmap_area(pages, (unsigned int)nr_pages, vm_flags, prot, caller, true);
	return area ? area->addr : NULL;
}

/**
 * dma_common_free_remap - undo dma_common_pages_remap()
 * @cpu_addr: the address it returned
 * @size: the size it was given (unused: the area knows its size)
 * @vm_flags: flags the area must carry
 *
 * Context: process context.
 * Return: nothing; no area at @cpu_addr, or one lacking @vm_flags, is
 * WARNed ("trying to free invalid coherent area") and left alone.  The pages
 * are untouched.
 */
void dma_common_free_remap(void *cpu_addr, size_t size, unsigned long vm_flags)
{
	struct vm_struct *area = find_vm_area(cpu_addr);

	if (!area || (area->flags & vm_flags) != vm_flags) {
		WARN(1, "trying to free invalid coherent area: %p", cpu_addr);
		return;
	}
	vunmap(cpu_addr);
}
