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
#include <asm/pgtable.h>

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

	/* The cache model (cache_lines.c, docs/cache-model.md). */
	int mem_memfd;			/* "memory": what non-coherent masters see */
	void *mem_virt;			/* its one mapping; offset = phys - base_phys */
	void *cpu_window;		/* the model's own mapping of memfd (the CPU view) */
	u64 *line_hash;			/* per line: hash of the CPU view when last clean */
	unsigned int line_shift;	/* log2 of the line size */
};

/* The state of RAM that does not exist. */
#define IOSIM_RAM_STATE_NONE	((struct iosim_ram_state){ .memfd = -1, .mem_memfd = -1 })

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

/*
 * cache_lines.c: create the cache model's memory view and line state for
 * the RAM described by @ram (fields up to mem_map set).  Returns 0 or
 * -ENOMEM with nothing created.
 */
int iosim_cache_ram_init(struct iosim_ram_state *ram);

/* cache_lines.c: destroy them, and restore the model's default settings. */
void iosim_cache_ram_exit(struct iosim_ram_state *ram);

/*
 * iosim_pgprot_cacheable - does @prot map memory as cacheable (arm64
 * MT_NORMAL)?  Other memory types (pgprot_noncached, pgprot_writecombine,
 * pgprot_dmacoherent) bypass the cache: their aliases show memory.
 */
static inline bool iosim_pgprot_cacheable(pgprot_t prot)
{
	return (pgprot_val(prot) & PTE_ATTRINDX_MASK) == PTE_ATTRINDX(MT_NORMAL);
}

/*
 * iosim_alias_shows_memory - does a CPU alias of that cacheability show the
 * cache model's memory?  Only a non-cacheable one, and only while the model
 * is on (without it, every alias shows the CPU view).
 */
static inline bool iosim_alias_shows_memory(bool cacheable)
{
	return !cacheable && iosim_ram_state.mem_memfd >= 0;
}

/* cache_lines.c: memory's bytes of the frame holding @phys (@phys in RAM, model on). */
void *iosim_cache_memory_virt(phys_addr_t phys);

/*
 * vmalloc.c: the frame and memory type behind vmap() alias address @addr;
 * false (no WARN) if @addr is not in a mapped page of a vmap() area.
 */
bool iosim_vmap_resolve(const void *addr, unsigned long *pfn, pgprot_t *prot);

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
 * @cacheable picks the backing: the CPU view (the linear map's memfd), or
 * for a non-cacheable alias the cache model's memory (if the model is on:
 * iosim_alias_shows_memory()).  Returns 0 or -errno.
 */
int iosim_va_map_frames(void *addr, size_t nr_bytes, off_t offset, bool writable,
			bool cacheable);

/* iosim_va_unmap_frames - turn [@addr, @addr + @len) back into a PROT_NONE reservation. */
int iosim_va_unmap_frames(void *addr, size_t len);

#endif /* _IOSIM_COMPAT_MM_IOSIM_MM_H */
