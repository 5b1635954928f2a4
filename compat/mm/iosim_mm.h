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
#include <asm/page.h>
#include <asm/pgtable.h>
#include <iosim/ram.h>

/*
 * One bank of simulated RAM (docs/ram-banks.md).  Its frames are mem_map
 * entries [first_index, first_index + nr_pages) and memfd bytes from
 * first_index << PAGE_SHIFT: banks lie back to back in both, in ascending
 * physical order.  A frame's "index" is its position there.
 */
struct iosim_ram_bank {
	phys_addr_t base_phys;
	u64 size_bytes;
	unsigned long base_pfn;
	unsigned long nr_pages;
	unsigned long first_index;	/* its first frame's index in mem_map and the memfd */
	void *virt;			/* linear map of its first frame */
	size_t va_len;			/* first bank of a run of adjacent banks: the run's
					 * reservation length; 0 for the others */
};

/*
 * Simulated RAM.  Written only by iosim_ram_init()/iosim_ram_exit(), read
 * without locks by the address conversions: RAM must not be created or
 * destroyed while anything else uses it.
 */
struct iosim_ram_state {
	bool ready;
	int memfd;			/* backing; offset = frame index << PAGE_SHIFT */
	void *virt;			/* linear map of frame index 0 (bank 0's first frame) */
	phys_addr_t base_phys;		/* bank 0's base: the lowest RAM address */
	u64 size_bytes;			/* all banks together (not the span) */
	unsigned long base_pfn;		/* bank 0's first pfn */
	unsigned long nr_pages;		/* all banks together */
	struct page *mem_map;		/* nr_pages entries, in index order */
	unsigned int nr_banks;		/* 1..IOSIM_RAM_MAX_BANKS while ready */
	struct iosim_ram_bank banks[IOSIM_RAM_MAX_BANKS];
	u64 generation;			/* this RAM's: new for every RAM made, never 0 */

	/* The cache model (cache_lines.c, docs/cache-model.md). */
	int mem_memfd;			/* "memory": what non-coherent masters see */
	void *mem_virt;			/* its one mapping; offset = frame index << PAGE_SHIFT */
	void *cpu_window;		/* the model's own mapping of memfd (the CPU view) */
	u64 *line_hash;			/* per line of the memfd: hash of the CPU view when last clean */
	unsigned int line_shift;	/* log2 of the line size */
};

/* The state of RAM that does not exist. */
#define IOSIM_RAM_STATE_NONE	((struct iosim_ram_state){ .memfd = -1, .mem_memfd = -1 })

extern struct iosim_ram_state iosim_ram_state;

/*
 * Bank lookups (no WARN, no readiness check: callers know RAM exists).
 * Bank 0 is tried first so that one-bank RAM costs one comparison, as before.
 */
static inline const struct iosim_ram_bank *iosim_bank_of_pfn(unsigned long pfn)
{
	const struct iosim_ram_state *ram = &iosim_ram_state;
	unsigned int i;

	if (pfn - ram->banks[0].base_pfn < ram->banks[0].nr_pages)
		return &ram->banks[0];
	for (i = 1; i < ram->nr_banks; i++)
		if (pfn - ram->banks[i].base_pfn < ram->banks[i].nr_pages)
			return &ram->banks[i];
	return NULL;
}

static inline const struct iosim_ram_bank *iosim_bank_of_phys(phys_addr_t phys)
{
	return iosim_bank_of_pfn((unsigned long)(phys >> PAGE_SHIFT));
}

/* The bank of frame index @idx (< nr_pages). */
static inline const struct iosim_ram_bank *iosim_bank_of_index(unsigned long idx)
{
	const struct iosim_ram_state *ram = &iosim_ram_state;
	unsigned int i;

	if (idx - ram->banks[0].first_index < ram->banks[0].nr_pages)
		return &ram->banks[0];
	for (i = 1; i < ram->nr_banks; i++)
		if (idx - ram->banks[i].first_index < ram->banks[i].nr_pages)
			return &ram->banks[i];
	return NULL;
}

/* The bank whose linear-map segment holds @addr. */
static inline const struct iosim_ram_bank *iosim_bank_of_virt(uintptr_t addr)
{
	const struct iosim_ram_state *ram = &iosim_ram_state;
	unsigned int i;

	for (i = 0; i < ram->nr_banks; i++)
		if (addr - (uintptr_t)ram->banks[i].virt < ram->banks[i].size_bytes)
			return &ram->banks[i];
	return NULL;
}

/*
 * iosim_ram_phys_index_offset - byte offset of physical address @phys in the
 * memfd (and in mem_map order); @phys in RAM.  A range of RAM (one bank or
 * adjacent banks) is contiguous in offsets too.
 */
static inline u64 iosim_ram_phys_index_offset(phys_addr_t phys)
{
	const struct iosim_ram_bank *b = iosim_bank_of_phys(phys);

	return ((u64)b->first_index << PAGE_SHIFT) + (phys - b->base_phys);
}

/* The inverse: the physical address at memfd offset @off (< RAM's size). */
static inline phys_addr_t iosim_ram_index_offset_phys(u64 off)
{
	const struct iosim_ram_bank *b = iosim_bank_of_index((unsigned long)(off >> PAGE_SHIFT));

	return b->base_phys + (off - ((u64)b->first_index << PAGE_SHIFT));
}

/* The linear-map address of memfd offset @off (< RAM's size). */
static inline void *iosim_ram_index_offset_virt(u64 off)
{
	const struct iosim_ram_bank *b = iosim_bank_of_index((unsigned long)(off >> PAGE_SHIFT));

	return (char *)b->virt + (off - ((u64)b->first_index << PAGE_SHIFT));
}

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
 * iosim_host_memfd - a memfd (close-on-exec) of @size_bytes named @name for
 * simulated memory; -ENOMEM if the host refuses or IOSIM_FAULT_HOST fails it.
 */
int iosim_host_memfd(const char *name, size_t size_bytes);

/* iosim_host_mmap - mmap() that IOSIM_FAULT_HOST can fail (MAP_FAILED, errno ENOMEM). */
void *iosim_host_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset);

/*
 * iosim_va_reserve - reserve @len bytes of address space (PROT_NONE) whose
 * start is congruent to @phase modulo @align (@align a power of two, both
 * multiples of the host page size).  Returns NULL on failure; a host site
 * (IOSIM_FAULT_HOST) that tests can make fail.
 */
void *iosim_va_reserve(size_t len, size_t align, size_t phase);

/* iosim_va_release - give back [@addr, @addr + @len) (whatever is mapped there). */
void iosim_va_release(void *addr, size_t len);

/*
 * iosim_va_map_frames - map @nr_bytes of RAM starting at memfd offset
 * @offset at @addr (inside a reservation), shared, read-only if !@writable.
 * @cacheable picks the backing: the CPU view (the linear map's memfd), or
 * for a non-cacheable alias the cache model's memory (if the model is on:
 * iosim_alias_shows_memory()).  Returns 0 or -errno (-ENOMEM when
 * IOSIM_FAULT_HOST fails it).
 */
int iosim_va_map_frames(void *addr, size_t nr_bytes, off_t offset, bool writable,
			bool cacheable);

/* iosim_va_unmap_frames - turn [@addr, @addr + @len) back into a PROT_NONE reservation. */
int iosim_va_unmap_frames(void *addr, size_t len);

/* Touched-frame tracking and the reset to a fresh RAM (page_alloc.c, cache_lines.c; ram_reset.c). */
bool iosim_buddy_note_alloc(struct page *page, unsigned int order);
/* page_alloc.c: alloc_pages() minus the fill, for callers that overwrite the block. */
struct page *iosim_alloc_pages_unfilled(gfp_t gfp_mask, unsigned int order);
int iosim_buddy_track_start(unsigned char *map, unsigned long *list);
unsigned long iosim_buddy_nr_touched(void);
int iosim_buddy_reset_touched(void (*reset_frame)(struct page *page));
int iosim_buddy_check_fresh(void);
void iosim_cache_lines_reset_frame(const struct page *page);
int iosim_cache_lines_check_fresh(void);

/*
 * page_alloc.c, for the CMA (cma.c): alloc_contig_range() filling the frames
 * with @fill; whether a range is wholly free; the first frame of a range
 * that is not an independent order-0 page (*@why says why), or @nr.
 */
int iosim_alloc_contig_fill(unsigned long start, unsigned long end, unsigned int migratetype,
			    int fill);
bool iosim_pfn_range_free(unsigned long start, unsigned long end);
/* page_alloc.c: the CMA's top-down placement (see there). */
int iosim_contig_take_highest(unsigned long lo, unsigned long hi, unsigned long nr,
			      unsigned long align, int fill, unsigned long *first);
unsigned long iosim_pages_check_independent(unsigned long pfn, unsigned long nr,
					    const char **why);

#endif /* _IOSIM_COMPAT_MM_IOSIM_MM_H */
