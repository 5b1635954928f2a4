// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Simulated physical memory: the memfd-backed linear map, mem_map (one
 * struct page per frame) and the address conversions of <asm/memory.h>.
 * RAM's creation and destruction also create and destroy the cache model's
 * second view, "memory" (cache_lines.c).
 *
 * Physical addresses are simulated, whatever virtual address the linear map
 * got.  RAM is one to IOSIM_RAM_MAX_BANKS banks (docs/ram-banks.md), back to
 * back in one memfd and one mem_map in ascending physical order: frame
 * index I (mem_map[I], memfd offset I * PAGE_SIZE) belongs to the bank with
 * first_index <= I < first_index + nr_pages.  Conversions look the bank up
 * in a table of at most eight, bank 0 first.
 * Every conversion checks its argument and WARNs (returning NULL or 0) for
 * anything outside RAM, where the kernel would silently compute garbage: a
 * test harness should report the bug, not chase the pointer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <iosim/cma.h>
#include <iosim/ram.h>
#include <iosim/slab.h>
#include "iosim_mm.h"
#include <iosim/fault.h>

struct iosim_ram_state iosim_ram_state = { .memfd = -1, .mem_memfd = -1 };

/*
 * RAMs made so far: each gets the next number as its generation, which
 * code that outlives one RAM (reset tracking, slab blocks) compares to
 * tell a new RAM from the one it knew, wherever the new one is mapped.
 */
static u64 ram_generations;

/* Size of the largest buddy block: the linear map keeps phys/virt congruent modulo it. */
#define MAX_BLOCK_BYTES		(PAGE_SIZE << (MAX_ORDER - 1))

/* Banks end at or below this (arm64's 48-bit physical address space). */
#define PHYS_LIMIT		(1ULL << IOSIM_RAM_PHYS_BITS)

/**
 * iosim_ram_config_juno - ARM Juno's layout (see <iosim/ram.h>)
 * @cfg: filled in
 * @low_bytes: bytes at IOSIM_RAM_JUNO_LOW_BASE, 1..IOSIM_RAM_JUNO_LOW_MAX
 * @high_bytes: bytes at IOSIM_RAM_JUNO_HIGH_BASE, or 0
 *
 * Context: any.
 * Return: 0, or -EINVAL with @cfg untouched.
 */
int iosim_ram_config_juno(struct iosim_ram_config *cfg, u64 low_bytes, u64 high_bytes)
{
	if (!cfg || !low_bytes || low_bytes > IOSIM_RAM_JUNO_LOW_MAX ||
	    (low_bytes | high_bytes) & ~PAGE_MASK ||
	    high_bytes > PHYS_LIMIT - IOSIM_RAM_JUNO_HIGH_BASE)
		return -EINVAL;
	memset(cfg, 0, sizeof(*cfg));
	cfg->base_phys = IOSIM_RAM_JUNO_LOW_BASE;
	cfg->size_bytes = low_bytes;
	cfg->nr_banks = high_bytes ? 2 : 1;
	cfg->banks[0].base_phys = IOSIM_RAM_JUNO_LOW_BASE;
	cfg->banks[0].size_bytes = low_bytes;
	cfg->banks[1].base_phys = high_bytes ? IOSIM_RAM_JUNO_HIGH_BASE : 0;
	cfg->banks[1].size_bytes = high_bytes;
	return 0;
}

/*
 * Copy @cfg's banks (or its one region) into @banks, WARNing for what makes
 * them invalid.  Returns the number of banks, or 0 if invalid.
 */
static unsigned int ram_config_banks(const struct iosim_ram_config *cfg,
				     struct iosim_ram_bank_config *banks)
{
	unsigned int i, nr = cfg ? cfg->nr_banks : 0;
	/* One region (nr_banks 0) keeps its old rule: anywhere that does not wrap. */
	u64 limit = nr ? PHYS_LIMIT : 0;

	if (!cfg) {
		banks[0].base_phys = IOSIM_RAM_DEFAULT_BASE_PHYS;
		banks[0].size_bytes = IOSIM_RAM_DEFAULT_SIZE;
		return 1;
	}
	if (WARN(nr > IOSIM_RAM_MAX_BANKS, "iosim_ram_init: %u banks, at most %d",
		 nr, IOSIM_RAM_MAX_BANKS))
		return 0;
	if (!nr) {
		banks[0].base_phys = cfg->base_phys;
		banks[0].size_bytes = cfg->size_bytes;
		nr = 1;
	} else {
		memcpy(banks, cfg->banks, nr * sizeof(*banks));
	}
	for (i = 0; i < nr; i++) {
		phys_addr_t base = banks[i].base_phys;
		u64 size = banks[i].size_bytes;

		if (WARN(!size || (base | size) & ~PAGE_MASK,
			 "iosim_ram_init: bank %u base %#llx size %#llx: not a non-empty, PAGE_SIZE-aligned region",
			 i, (unsigned long long)base, (unsigned long long)size))
			return 0;
		if (WARN(limit && (base >= limit || size > limit - base),
			 "iosim_ram_init: bank %u base %#llx size %#llx ends above the %d-bit physical address space",
			 i, (unsigned long long)base, (unsigned long long)size,
			 IOSIM_RAM_PHYS_BITS))
			return 0;
		/* [base, base + size) must not wrap (base + size == 2^64 is fine). */
		if (WARN(base + size - 1 < base,
			 "iosim_ram_init: bank %u base %#llx size %#llx wraps around the physical address space",
			 i, (unsigned long long)base, (unsigned long long)size))
			return 0;
		if (WARN(i && base < banks[i - 1].base_phys + banks[i - 1].size_bytes,
			 "iosim_ram_init: bank %u at %#llx overlaps or precedes bank %u (banks must ascend)",
			 i, (unsigned long long)base, i - 1))
			return 0;
	}
	return nr;
}

/* Release the linear map's reservations (one per run of adjacent banks). */
static void ram_release_linear_map(struct iosim_ram_state *ram)
{
	unsigned int i;

	for (i = 0; i < ram->nr_banks; i++)
		if (ram->banks[i].va_len)
			iosim_va_release(ram->banks[i].virt, ram->banks[i].va_len);
}

/*
 * Reserve and map the linear map: one reservation per run of physically
 * adjacent banks (so it is virtually contiguous too, like the kernel's),
 * each congruent to its physical address below the largest block.  On
 * failure everything reserved is released; returns 0 or -ENOMEM.
 */
static int ram_map_linear(struct iosim_ram_state *ram)
{
	unsigned int i, j;

	for (i = 0; i < ram->nr_banks; i = j) {
		struct iosim_ram_bank *first = &ram->banks[i];
		size_t len = (size_t)first->size_bytes;
		char *virt;

		for (j = i + 1; j < ram->nr_banks &&
		     ram->banks[j].base_phys == ram->banks[j - 1].base_phys +
						ram->banks[j - 1].size_bytes; j++)
			len += (size_t)ram->banks[j].size_bytes;
		virt = iosim_va_reserve(len, MAX_BLOCK_BYTES,
					first->base_phys & (MAX_BLOCK_BYTES - 1));
		if (!virt)
			goto out_release;
		first->va_len = len;
		first->virt = virt;
		if (iosim_host_mmap(virt, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
				    ram->memfd, (off_t)first->first_index << PAGE_SHIFT) == MAP_FAILED)
			goto out_release;
		for (; i < j; i++)
			ram->banks[i].virt = virt + (ram->banks[i].base_phys - first->base_phys);
	}
	return 0;

out_release:
	ram_release_linear_map(ram);
	return -ENOMEM;
}

/**
 * iosim_ram_init - create simulated RAM (see <iosim/ram.h>)
 * @cfg: placement and size (one region or banks); NULL for
 *	IOSIM_RAM_DEFAULT_BASE_PHYS/_SIZE
 *
 * Context: process context, no concurrent RAM users.
 * Return: 0, -EBUSY, -EINVAL or -ENOMEM; on error no RAM exists.
 */
int iosim_ram_init(const struct iosim_ram_config *cfg)
{
	struct iosim_ram_state *ram = &iosim_ram_state;
	struct iosim_ram_bank_config banks[IOSIM_RAM_MAX_BANKS];
	unsigned long nr_pages = 0;
	unsigned int i, nr_banks;
	int memfd;

	if (ram->ready)
		return -EBUSY;
	nr_banks = ram_config_banks(cfg, banks);
	if (!nr_banks)
		return -EINVAL;
	for (i = 0; i < nr_banks; i++) {
		if (banks[i].size_bytes >> PAGE_SHIFT > IOSIM_RAM_MAX_PAGES - nr_pages)
			return -ENOMEM;
		nr_pages += (unsigned long)(banks[i].size_bytes >> PAGE_SHIFT);
	}

	memfd = iosim_host_memfd("iosim-ram", (size_t)nr_pages << PAGE_SHIFT);
	if (memfd < 0)
		return -ENOMEM;

	ram->memfd = memfd;
	ram->nr_banks = nr_banks;
	ram->nr_pages = 0;
	for (i = 0; i < nr_banks; i++) {
		struct iosim_ram_bank *b = &ram->banks[i];

		b->base_phys = banks[i].base_phys;
		b->size_bytes = banks[i].size_bytes;
		b->base_pfn = (unsigned long)(b->base_phys >> PAGE_SHIFT);
		b->nr_pages = (unsigned long)(b->size_bytes >> PAGE_SHIFT);
		b->first_index = ram->nr_pages;
		ram->nr_pages += b->nr_pages;
	}
	ram->base_phys = ram->banks[0].base_phys;
	ram->base_pfn = ram->banks[0].base_pfn;
	ram->size_bytes = (u64)nr_pages << PAGE_SHIFT;
	if (ram_map_linear(ram))
		goto out_reset_state;
	ram->virt = ram->banks[0].virt;

	/* mem_map is simulation infrastructure, not a kernel allocation: a host one. */
	ram->mem_map = iosim_host_calloc(nr_pages, sizeof(struct page));
	if (!ram->mem_map)
		goto out_release_va;
	if (iosim_cache_ram_init(ram))
		goto out_free_mem_map;
	iosim_buddy_init();
	ram->generation = ++ram_generations;
	__atomic_store_n(&ram->ready, true, __ATOMIC_RELEASE);
	return 0;

out_free_mem_map:
	free(ram->mem_map);
out_release_va:
	ram_release_linear_map(ram);
out_reset_state:
	*ram = IOSIM_RAM_STATE_NONE;
	close(memfd);
	return -ENOMEM;
}

/**
 * iosim_ram_exit - destroy simulated RAM (see <iosim/ram.h>)
 *
 * Context: process context, no concurrent RAM users.
 * Return: pages that were still allocated (each leaked block WARNed).
 */
unsigned long iosim_ram_exit(void)
{
	struct iosim_ram_state *ram = &iosim_ram_state;
	unsigned long leaked;

	if (!ram->ready)
		return 0;
	/*
	 * CMA areas hold RAM (and their bitmaps are slab objects): they go
	 * first, their pages still handed out staying behind as leaks.
	 */
	if (iosim_cma_nr_areas())
		iosim_cma_exit();
	/* Slab pages go stale first, and their sanitizer poison with them. */
	iosim_slab_ram_exit();
	leaked = iosim_buddy_exit();
	__atomic_store_n(&ram->ready, false, __ATOMIC_RELEASE);
	iosim_cache_ram_exit(ram);
	ram_release_linear_map(ram);
	close(ram->memfd);
	free(ram->mem_map);
	*ram = IOSIM_RAM_STATE_NONE;
	return leaked;
}

bool iosim_ram_ready(void)
{
	return __atomic_load_n(&iosim_ram_state.ready, __ATOMIC_ACQUIRE);
}

phys_addr_t iosim_ram_base_phys(void)
{
	return iosim_ram_ready() ? iosim_ram_state.base_phys : 0;
}

u64 iosim_ram_size(void)
{
	return iosim_ram_ready() ? iosim_ram_state.size_bytes : 0;
}

unsigned long iosim_ram_nr_pages(void)
{
	return iosim_ram_ready() ? iosim_ram_state.nr_pages : 0;
}

unsigned int iosim_ram_nr_banks(void)
{
	return iosim_ram_ready() ? iosim_ram_state.nr_banks : 0;
}

int iosim_ram_bank(unsigned int index, phys_addr_t *base_phys, u64 *size_bytes)
{
	if (!iosim_ram_ready() || index >= iosim_ram_state.nr_banks)
		return -ENOENT;
	if (base_phys)
		*base_phys = iosim_ram_state.banks[index].base_phys;
	if (size_bytes)
		*size_bytes = iosim_ram_state.banks[index].size_bytes;
	return 0;
}

bool iosim_phys_is_ram(phys_addr_t phys, u64 len)
{
	const struct iosim_ram_state *ram = &iosim_ram_state;
	const struct iosim_ram_bank *b;
	u64 off, last;

	if (!iosim_ram_ready())
		return false;
	if (!len)
		len = 1;
	/* The common case: wholly inside bank 0. */
	off = phys - ram->banks[0].base_phys;
	if (phys >= ram->banks[0].base_phys && off < ram->banks[0].size_bytes &&
	    len <= ram->banks[0].size_bytes - off)
		return true;
	last = phys + len - 1;
	if (last < phys)
		return false;		/* wraps */
	b = iosim_bank_of_phys(phys);
	if (!b)
		return false;
	/* Follow adjacent banks until the range ends; a hole before that fails. */
	for (;;) {
		phys_addr_t b_last = b->base_phys + b->size_bytes - 1;

		if (last <= b_last)
			return true;
		if (b + 1 == ram->banks + ram->nr_banks || b[1].base_phys != b_last + 1)
			return false;
		b++;
	}
}

/* --- conversions ------------------------------------------------------------ */

bool iosim_page_valid(const struct page *page)
{
	const struct iosim_ram_state *ram = &iosim_ram_state;
	uintptr_t off;

	if (!iosim_ram_ready() || !page)
		return false;
	off = (uintptr_t)page - (uintptr_t)ram->mem_map;
	return (uintptr_t)page >= (uintptr_t)ram->mem_map &&
	       off / sizeof(struct page) < ram->nr_pages &&
	       off % sizeof(struct page) == 0;
}

/* The index of @page in mem_map and the memfd is its position: banks lie back to back. */
off_t iosim_page_file_offset(const struct page *page)
{
	return (off_t)(page - iosim_ram_state.mem_map) << PAGE_SHIFT;
}

/* The bank of linear-map address @x, or NULL if @x is not in the linear map. */
static const struct iosim_ram_bank *linear_bank(const volatile void *x)
{
	if (!iosim_ram_ready())
		return NULL;
	return iosim_bank_of_virt((uintptr_t)x);
}

/* The bank of valid page @page. */
static const struct iosim_ram_bank *page_bank(const struct page *page)
{
	return iosim_bank_of_index((unsigned long)(page - iosim_ram_state.mem_map));
}

/**
 * iosim_phys_offset - PHYS_OFFSET: the physical address where RAM starts
 *
 * Context: any.
 * Return: the base of simulated RAM's lowest bank; 0 with a WARN before
 * iosim_ram_init().
 */
phys_addr_t iosim_phys_offset(void)
{
	if (WARN(!iosim_ram_ready(), "PHYS_OFFSET: simulated RAM is not initialised"))
		return 0;
	return iosim_ram_state.base_phys;
}

/**
 * pfn_valid - does frame @pfn exist in simulated RAM?
 * @pfn: physical frame number
 *
 * Context: any.  Never WARNs: it is the question to ask before converting.
 * Return: 1 if it does (in any bank), else 0 (holes between banks included).
 */
int pfn_valid(unsigned long pfn)
{
	return iosim_ram_ready() && iosim_bank_of_pfn(pfn);
}

/**
 * virt_addr_valid - is @x a linear-map address of simulated RAM?
 * @x: CPU virtual address
 *
 * Context: any.  Never WARNs.  vmap()/vmalloc() addresses are not.
 * Return: true if virt_to_page(@x) would succeed.
 */
bool virt_addr_valid(const void *x)
{
	return linear_bank(x) != NULL;
}

/**
 * pfn_to_page - the struct page of frame @pfn
 * @pfn: physical frame number
 *
 * Context: any.
 * Return: the page; NULL with a WARN if @pfn is outside simulated RAM (a
 * hole between banks included).
 */
struct page *pfn_to_page(unsigned long pfn)
{
	const struct iosim_ram_bank *b = iosim_ram_ready() ? iosim_bank_of_pfn(pfn) : NULL;

	if (WARN(!b, "pfn_to_page: pfn %#lx is outside simulated RAM", pfn))
		return NULL;
	return iosim_ram_state.mem_map + b->first_index + (pfn - b->base_pfn);
}

/**
 * page_to_pfn - the frame number of @page
 * @page: an entry of mem_map
 *
 * Context: any.
 * Return: the pfn; 0 with a WARN if @page is not a simulated RAM page.
 */
unsigned long page_to_pfn(const struct page *page)
{
	const struct iosim_ram_bank *b;

	if (WARN(!iosim_page_valid(page), "page_to_pfn: page %p is outside simulated RAM",
		 (const void *)page))
		return 0;
	b = page_bank(page);
	return b->base_pfn + (unsigned long)(page - iosim_ram_state.mem_map) - b->first_index;
}

/**
 * page_to_phys - the physical address of @page's first byte
 * @page: an entry of mem_map
 *
 * Context: any.
 * Return: the address; 0 with a WARN if @page is not a simulated RAM page.
 */
phys_addr_t page_to_phys(const struct page *page)
{
	const struct iosim_ram_bank *b;

	if (WARN(!iosim_page_valid(page), "page_to_phys: page %p is outside simulated RAM",
		 (const void *)page))
		return 0;
	b = page_bank(page);
	return b->base_phys +
	       ((phys_addr_t)((unsigned long)(page - iosim_ram_state.mem_map) - b->first_index)
		<< PAGE_SHIFT);
}

/**
 * phys_to_page - the struct page of the frame holding @phys
 * @phys: physical address
 *
 * Context: any.
 * Return: the page; NULL with a WARN if @phys is outside simulated RAM.
 */
struct page *phys_to_page(phys_addr_t phys)
{
	const struct iosim_ram_bank *b = iosim_ram_ready() ? iosim_bank_of_phys(phys) : NULL;

	if (WARN(!b, "phys_to_page: %#llx is outside simulated RAM", (unsigned long long)phys))
		return NULL;
	return iosim_ram_state.mem_map + b->first_index +
	       (unsigned long)((phys - b->base_phys) >> PAGE_SHIFT);
}

/**
 * page_address - linear-map address of @page
 * @page: an entry of mem_map (free or allocated)
 *
 * Context: any.
 * Return: a usable pointer to the frame; NULL with a WARN if @page is not a
 * simulated RAM page.
 */
void *page_address(const struct page *page)
{
	const struct iosim_ram_bank *b;

	if (WARN(!iosim_page_valid(page), "page_address: page %p is outside simulated RAM",
		 (const void *)page))
		return NULL;
	b = page_bank(page);
	return (char *)b->virt +
	       ((size_t)((unsigned long)(page - iosim_ram_state.mem_map) - b->first_index)
		<< PAGE_SHIFT);
}

/**
 * phys_to_virt - linear-map address of physical address @x
 * @x: physical address
 *
 * Context: any.
 * Return: the pointer; NULL with a WARN if @x is outside simulated RAM.  A
 * range crossing from one bank into a physically adjacent one is virtually
 * contiguous too.
 */
void *phys_to_virt(phys_addr_t x)
{
	const struct iosim_ram_bank *b = iosim_ram_ready() ? iosim_bank_of_phys(x) : NULL;

	if (WARN(!b, "phys_to_virt: %#llx is outside simulated RAM", (unsigned long long)x))
		return NULL;
	return (char *)b->virt + (x - b->base_phys);
}

/**
 * virt_to_phys - physical address of linear-map address @x
 * @x: CPU virtual address in the linear map
 *
 * Context: any.
 * Return: the address; 0 with a WARN if @x is not in the linear map (a
 * vmap()/vmalloc() address, a stack or heap address, ...).
 */
phys_addr_t virt_to_phys(const volatile void *x)
{
	const struct iosim_ram_bank *b = linear_bank(x);

	if (WARN(!b, "virt_to_phys: %p is outside simulated RAM's linear map",
		 (const void *)x))
		return 0;
	return b->base_phys + (phys_addr_t)((uintptr_t)x - (uintptr_t)b->virt);
}

/**
 * virt_to_page - struct page of the frame holding linear-map address @x
 * @x: CPU virtual address in the linear map
 *
 * Context: any.
 * Return: the page; NULL with a WARN if @x is not in the linear map.
 */
struct page *virt_to_page(const void *x)
{
	const struct iosim_ram_bank *b = linear_bank(x);

	if (WARN(!b, "virt_to_page: %p is outside simulated RAM's linear map", x))
		return NULL;
	return iosim_ram_state.mem_map + b->first_index +
	       (((uintptr_t)x - (uintptr_t)b->virt) >> PAGE_SHIFT);
}
