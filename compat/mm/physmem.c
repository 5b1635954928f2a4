// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Simulated physical memory: the memfd-backed linear map, mem_map (one
 * struct page per frame) and the address conversions of <asm/memory.h>.
 * RAM's creation and destruction also create and destroy the cache model's
 * second view, "memory" (cache_lines.c).
 *
 * Physical addresses are simulated: frame N of the memfd is physical address
 * base_phys + N * PAGE_SIZE, whatever virtual address the linear map got.
 * Every conversion checks its argument and WARNs (returning NULL or 0) for
 * anything outside RAM, where the kernel would silently compute garbage: a
 * test harness should report the bug, not chase the pointer.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mman.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <iosim/ram.h>
#include <iosim/slab.h>
#include "iosim_mm.h"

struct iosim_ram_state iosim_ram_state = { .memfd = -1, .mem_memfd = -1 };

/* Size of the largest buddy block: the linear map keeps phys/virt congruent modulo it. */
#define MAX_BLOCK_BYTES		(PAGE_SIZE << (MAX_ORDER - 1))

static bool ram_config_valid(phys_addr_t base_phys, u64 size_bytes)
{
	if (!size_bytes || (base_phys | size_bytes) & ~PAGE_MASK)
		return false;
	/* [base, base + size) must not wrap (base + size == 2^64 is fine). */
	return base_phys + size_bytes - 1 >= base_phys;
}

/**
 * iosim_ram_init - create simulated RAM (see <iosim/ram.h>)
 * @cfg: placement and size; NULL for IOSIM_RAM_DEFAULT_BASE_PHYS/_SIZE
 *
 * Context: process context, no concurrent RAM users.
 * Return: 0, -EBUSY, -EINVAL or -ENOMEM; on error no RAM exists.
 */
int iosim_ram_init(const struct iosim_ram_config *cfg)
{
	struct iosim_ram_state *ram = &iosim_ram_state;
	phys_addr_t base_phys = cfg ? cfg->base_phys : IOSIM_RAM_DEFAULT_BASE_PHYS;
	u64 size_bytes = cfg ? cfg->size_bytes : IOSIM_RAM_DEFAULT_SIZE;
	unsigned long nr_pages;
	void *virt;
	int memfd;

	if (ram->ready)
		return -EBUSY;
	if (WARN(!ram_config_valid(base_phys, size_bytes),
		 "iosim_ram_init: base %#llx size %#llx: not a non-empty, PAGE_SIZE-aligned region",
		 (unsigned long long)base_phys, (unsigned long long)size_bytes))
		return -EINVAL;
	nr_pages = size_bytes >> PAGE_SHIFT;
	if (nr_pages > IOSIM_RAM_MAX_PAGES)
		return -ENOMEM;

	memfd = memfd_create("iosim-ram", MFD_CLOEXEC);
	if (memfd < 0)
		return -ENOMEM;
	if (ftruncate(memfd, (off_t)size_bytes))
		goto out_close_memfd;

	/* Keep virt congruent to phys below the largest block (see <iosim/ram.h>). */
	virt = iosim_va_reserve(size_bytes, MAX_BLOCK_BYTES, base_phys & (MAX_BLOCK_BYTES - 1));
	if (!virt)
		goto out_close_memfd;
	if (mmap(virt, size_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED,
		 memfd, 0) == MAP_FAILED)
		goto out_release_va;

	/* mem_map is simulation infrastructure, not a kernel allocation: plain calloc. */
	ram->mem_map = calloc(nr_pages, sizeof(struct page));
	if (!ram->mem_map)
		goto out_release_va;

	ram->memfd = memfd;
	ram->virt = virt;
	ram->base_phys = base_phys;
	ram->size_bytes = size_bytes;
	ram->base_pfn = (unsigned long)(base_phys >> PAGE_SHIFT);
	ram->nr_pages = nr_pages;
	if (iosim_cache_ram_init(ram))
		goto out_free_mem_map;
	iosim_buddy_init();
	__atomic_store_n(&ram->ready, true, __ATOMIC_RELEASE);
	return 0;

out_free_mem_map:
	free(ram->mem_map);
	*ram = IOSIM_RAM_STATE_NONE;
out_release_va:
	iosim_va_release(virt, size_bytes);
out_close_memfd:
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
	/* Slab pages go stale first, and their sanitizer poison with them. */
	iosim_slab_ram_exit();
	leaked = iosim_buddy_exit();
	__atomic_store_n(&ram->ready, false, __ATOMIC_RELEASE);
	iosim_cache_ram_exit(ram);
	iosim_va_release(ram->virt, ram->size_bytes);
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

bool iosim_phys_is_ram(phys_addr_t phys, u64 len)
{
	const struct iosim_ram_state *ram = &iosim_ram_state;
	u64 off;

	if (!iosim_ram_ready() || phys < ram->base_phys)
		return false;
	off = phys - ram->base_phys;
	if (!len)
		len = 1;
	return off < ram->size_bytes && len <= ram->size_bytes - off;
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

off_t iosim_page_file_offset(const struct page *page)
{
	return (off_t)(page - iosim_ram_state.mem_map) << PAGE_SHIFT;
}

/* The linear-map offset of @x, or -1 if @x is not in the linear map. */
static long linear_offset(const volatile void *x)
{
	const struct iosim_ram_state *ram = &iosim_ram_state;
	uintptr_t addr = (uintptr_t)x, start = (uintptr_t)ram->virt;

	if (!iosim_ram_ready() || addr < start || addr - start >= ram->size_bytes)
		return -1;
	return (long)(addr - start);
}

/**
 * iosim_phys_offset - PHYS_OFFSET: the physical address where RAM starts
 *
 * Context: any.
 * Return: the base of simulated RAM; 0 with a WARN before iosim_ram_init().
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
 * Return: 1 if it does, else 0.
 */
int pfn_valid(unsigned long pfn)
{
	const struct iosim_ram_state *ram = &iosim_ram_state;

	return iosim_ram_ready() && pfn >= ram->base_pfn && pfn - ram->base_pfn < ram->nr_pages;
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
	return linear_offset(x) >= 0;
}

/**
 * pfn_to_page - the struct page of frame @pfn
 * @pfn: physical frame number
 *
 * Context: any.
 * Return: the page; NULL with a WARN if @pfn is outside simulated RAM.
 */
struct page *pfn_to_page(unsigned long pfn)
{
	if (WARN(!pfn_valid(pfn), "pfn_to_page: pfn %#lx is outside simulated RAM", pfn))
		return NULL;
	return iosim_ram_state.mem_map + (pfn - iosim_ram_state.base_pfn);
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
	if (WARN(!iosim_page_valid(page), "page_to_pfn: page %p is outside simulated RAM",
		 (const void *)page))
		return 0;
	return iosim_ram_state.base_pfn + (unsigned long)(page - iosim_ram_state.mem_map);
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
	if (WARN(!iosim_page_valid(page), "page_to_phys: page %p is outside simulated RAM",
		 (const void *)page))
		return 0;
	return iosim_ram_state.base_phys +
	       ((phys_addr_t)(page - iosim_ram_state.mem_map) << PAGE_SHIFT);
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
	if (WARN(!iosim_phys_is_ram(phys, 1), "phys_to_page: %#llx is outside simulated RAM",
		 (unsigned long long)phys))
		return NULL;
	return iosim_ram_state.mem_map + ((phys - iosim_ram_state.base_phys) >> PAGE_SHIFT);
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
	if (WARN(!iosim_page_valid(page), "page_address: page %p is outside simulated RAM",
		 (const void *)page))
		return NULL;
	return (char *)iosim_ram_state.virt +
	       ((size_t)(page - iosim_ram_state.mem_map) << PAGE_SHIFT);
}

/**
 * phys_to_virt - linear-map address of physical address @x
 * @x: physical address
 *
 * Context: any.
 * Return: the pointer; NULL with a WARN if @x is outside simulated RAM.
 */
void *phys_to_virt(phys_addr_t x)
{
	if (WARN(!iosim_phys_is_ram(x, 1), "phys_to_virt: %#llx is outside simulated RAM",
		 (unsigned long long)x))
		return NULL;
	return (char *)iosim_ram_state.virt + (x - iosim_ram_state.base_phys);
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
	long off = linear_offset(x);

	if (WARN(off < 0, "virt_to_phys: %p is outside simulated RAM's linear map",
		 (const void *)x))
		return 0;
	return iosim_ram_state.base_phys + (phys_addr_t)off;
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
	long off = linear_offset(x);

	if (WARN(off < 0, "virt_to_page: %p is outside simulated RAM's linear map", x))
		return NULL;
	return iosim_ram_state.mem_map + ((unsigned long)off >> PAGE_SHIFT);
}
