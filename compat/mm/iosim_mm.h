/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * compat/mm private interfaces - customised for simulation, not kernel API.
 *
 * Shared between the files of compat/mm: the state of simulated RAM
 * (physmem.c), the buddy allocator's hooks that RAM creation calls
 * (page_alloc.c), and the address-space reservations that the linear map,
 * vmap() and simulated VMAs are built from (va_reserve.c).
 */
#ifndef _IOSIM_COMPAT_MM_IOSIM_MM_H
#define _IOSIM_COMPAT_MM_IOSIM_MM_H

#include <sys/types.h>

#include <linux/types.h>
#include <linux/mm_types.h>
#include <linux/vmalloc.h>

/*
 * Simulated RAM.  Written only by iosim_ram_init()/iosim_ram_exit(), read
 * without locks by the address conversions: RAM must not be created or
 * destroyed while anything else uses it.
 */
struct iosim_ram_state {
	bool ready;
	int memfd;			/* backing; offset = phys - base_phys */
	void *virt;			/* linear map of frame 0 */
	phys_addr_t base_phys;
	u64 size_bytes;
	unsigned long base_pfn;
	unsigned long nr_pages;
	struct page *mem_map;		/* nr_pages entries, mem_map[i] is base_pfn + i */
};

extern struct iosim_ram_state iosim_ram_state;

/* iosim_page_valid - @page points at an entry of mem_map (no WARN). */
bool iosim_page_valid(const struct page *page);

/* iosim_page_file_offset - byte offset of @page's frame in the memfd (@page valid). */
off_t iosim_page_file_offset(const struct page *page);

/*
 * iosim_page_in_use - @page is valid, allocated, and its reference-holding
 * page (compound head, or itself) has a non-zero refcount: what a mapping
 * of it requires.
 */
bool iosim_page_in_use(const struct page *page);

/* iosim_page_allocated - @page is valid and its frame belongs to a live block (no WARN). */
bool iosim_page_allocated(const struct page *page);

/*
 * vmalloc.c: map @count pages at fresh consecutive CPU addresses and register
 * the area with exactly @flags; area->pages = @pages if @keep_pages, else
 * NULL.  Returns the area, or NULL (nothing mapped; bad pages WARNed).
 */
struct vm_struct *iosim_vmap_area(struct page **pages, unsigned int count,
				  unsigned long flags, pgprot_t prot,
				  const void *caller, bool keep_pages);

/* page_alloc.c: fill the free lists from a fresh mem_map; lock taken inside. */
void iosim_buddy_init(void);

/* page_alloc.c: WARN for each live block, reset the allocator; returns leaked pages. */
unsigned long iosim_buddy_exit(void);

/*
 * iosim_va_reserve - reserve @len bytes of address space (PROT_NONE) whose
 * start is congruent to @phase modulo @align (@align a power of two, both
 * multiples of the host page size).  Returns NULL on failure.
 */
void *iosim_va_reserve(size_t len, size_t align, size_t phase);

/* iosim_va_release - give back [@addr, @addr + @len) (whatever is mapped there). */
void iosim_va_release(void *addr, size_t len);

/*
 * iosim_va_map_frames - map @nr_bytes of RAM starting at memfd offset
 * @offset at @addr (inside a reservation), shared, read-only if !@writable.
 * Returns 0 or -errno.
 */
int iosim_va_map_frames(void *addr, size_t nr_bytes, off_t offset, bool writable);

/* iosim_va_unmap_frames - turn [@addr, @addr + @len) back into a PROT_NONE reservation. */
int iosim_va_unmap_frames(void *addr, size_t len);

#endif /* _IOSIM_COMPAT_MM_IOSIM_MM_H */
