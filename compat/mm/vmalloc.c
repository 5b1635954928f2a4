// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * vmalloc areas and vmap aliases.
 *
 * Both kinds of area live in one address-ordered red-black tree (libbsd's
 * <bsd/sys/tree.h>), so find_vm_area() (exact start) and is_vmalloc_addr()
 * (anywhere inside, guard page included) answer for either.
 *
 * vmalloc() memory is heap memory (posix_memalign, so ASan and valgrind watch
 * it) with a trailing guard page marked inaccessible to both; it is not
 * simulated RAM and has no struct pages.  vmap() builds a real alias: a
 * PROT_NONE reservation of count + 1 pages in which each run of physically
 * consecutive frames is mapped MAP_SHARED|MAP_FIXED from the RAM memfd, so a
 * store through the alias is a store to the frame, and the last page stays
 * PROT_NONE as the guard.  An alias with a non-cacheable memory type maps
 * the cache model's memory instead of the CPU view (docs/cache-model.md).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <bsd/sys/tree.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include "iosim_mm.h"

/* Let the sanitizers see the vmalloc guard page as inaccessible. */
#include "compat_asan.h"
#include <iosim/valgrind.h>

/* Larger requests are refused as absurd, whatever the size of RAM. */
#define VMALLOC_MAX_BYTES	(4UL << 30)

struct vmap_node {
	RB_ENTRY(vmap_node) rb;
	struct vm_struct vm;
	bool is_vmalloc;	/* vmalloc() memory, else a vmap() alias */
	unsigned long *pfns;	/* vmap: frame mapped at each page of the area */
};

static int vmap_node_cmp(struct vmap_node *a, struct vmap_node *b)
{
	uintptr_t x = (uintptr_t)a->vm.addr, y = (uintptr_t)b->vm.addr;

	return x < y ? -1 : x > y;
}

RB_HEAD(vmap_tree, vmap_node);
/*
 * RB_GENERATE_STATIC marks its functions __unused, which libbsd leaves
 * undefined (glibc structs have members of that name): define it only here.
 */
#define __unused __attribute__((__unused__))
RB_GENERATE_STATIC(vmap_tree, vmap_node, rb, vmap_node_cmp)
#undef __unused

static pthread_mutex_t vmap_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vmap_tree vmap_root = RB_INITIALIZER(&vmap_root);

/* The area starting exactly at @addr; vmap_lock held. */
static struct vmap_node *node_at(const void *addr)
{
	struct vmap_node key = { .vm.addr = (void *)addr };

	return RB_FIND(vmap_tree, &vmap_root, &key);
}

/* The area whose [addr, addr + size) holds @x; vmap_lock held. */
static struct vmap_node *node_containing(const void *x)
{
	struct vmap_node *n = RB_ROOT(&vmap_root), *best = NULL;

	while (n) {
		if ((uintptr_t)n->vm.addr <= (uintptr_t)x) {
			best = n;
			n = RB_RIGHT(n, rb);
		} else {
			n = RB_LEFT(n, rb);
		}
	}
	if (best && (uintptr_t)x - (uintptr_t)best->vm.addr < best->vm.size)
		return best;
	return NULL;
}

static void guard_forbid(void *guard)
{
#ifdef IOSIM_ASAN
	ASAN_POISON_MEMORY_REGION(guard, PAGE_SIZE);
#endif
#ifdef IOSIM_VALGRIND
	VALGRIND_MAKE_MEM_NOACCESS(guard, PAGE_SIZE);
#endif
}

static void guard_allow(void *guard)
{
#ifdef IOSIM_ASAN
	ASAN_UNPOISON_MEMORY_REGION(guard, PAGE_SIZE);
#endif
#ifdef IOSIM_VALGRIND
	VALGRIND_MAKE_MEM_UNDEFINED(guard, PAGE_SIZE);
#endif
}

/* --- vmalloc -------------------------------------------------------------------- */

static void *__vmalloc_area(unsigned long size, bool zero, const void *caller)
{
	unsigned long len = PAGE_ALIGN(size);
	struct vmap_node *node;
	void *mem;

	if (!size || size > VMALLOC_MAX_BYTES ||
	    (iosim_ram_ready() && len > iosim_ram_size()))
		goto fail;
	if (iosim_fault_should_fail(IOSIM_FAULT_VMALLOC))
		goto fail;

	node = iosim_host_calloc(1, sizeof(*node));
	if (!node)
		goto fail;
	if (iosim_host_memalign(&mem, PAGE_SIZE, len + PAGE_SIZE))
		goto out_free_node;
	memset(mem, zero ? 0 : IOSIM_PAGE_POISON_ALLOC, len);
	guard_forbid((char *)mem + len);

	node->is_vmalloc = true;
	node->vm.addr = mem;
	node->vm.size = len + PAGE_SIZE;
	node->vm.flags = VM_ALLOC;
	node->vm.nr_pages = (unsigned int)(len >> PAGE_SHIFT);
	node->vm.caller = caller;
	node->vm.iosim_prot = PAGE_KERNEL;
	pthread_mutex_lock(&vmap_lock);
	RB_INSERT(vmap_tree, &vmap_root, node);
	iosim_live_add(IOSIM_OBJ_VMALLOC, 1);
	pthread_mutex_unlock(&vmap_lock);
	return mem;

out_free_node:
	free(node);
fail:
	pr_warn("vmalloc: allocation failure: %lu bytes\n", size);
	return NULL;
}

void *vmalloc(unsigned long size)
{
	return __vmalloc_area(size, false, __builtin_return_address(0));
}

void *vzalloc(unsigned long size)
{
	return __vmalloc_area(size, true, __builtin_return_address(0));
}

void vfree(const void *addr)
{
	struct vmap_node *node;
	size_t len;

	if (!addr)
		return;
	if (WARN(!PAGE_ALIGNED(addr), "Trying to vfree() bad address (%p)", addr))
		return;
	pthread_mutex_lock(&vmap_lock);
	node = node_at(addr);
	if (!node || !node->is_vmalloc) {
		pthread_mutex_unlock(&vmap_lock);
		WARN(1, node ? "vfree: %p is a vmap() area; use vunmap()" :
			       "Trying to vfree() nonexistent vm area (%p)", addr);
		return;
	}
	RB_REMOVE(vmap_tree, &vmap_root, node);
	iosim_live_add(IOSIM_OBJ_VMALLOC, -1);
	pthread_mutex_unlock(&vmap_lock);

	len = node->vm.size - PAGE_SIZE;
	guard_allow((char *)node->vm.addr + len);
	free(node->vm.addr);
	free(node);
}

/**
 * kvfree - free memory from kmalloc() or vmalloc(), whichever it was
 * @addr: the pointer, or NULL/ZERO_SIZE_PTR (ignored)
 *
 * Context: process context.
 * Return: nothing; misuse WARNs as vfree() or kfree() do.
 */
void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree(addr);
	else
		kfree(addr);
}

/* --- vmap ---------------------------------------------------------------------- */

struct vm_struct *iosim_vmap_area(struct page **pages, unsigned int count,
				  unsigned long flags, pgprot_t prot,
				  const void *caller, bool keep_pages)
{
	bool writable = !(pgprot_val(prot) & PTE_RDONLY);
	bool cacheable = iosim_pgprot_cacheable(prot);
	struct vmap_node *node;
	unsigned int i, run;
	size_t len;
	char *va;

	if (!count || count > iosim_ram_nr_pages())
		return NULL;
	if (WARN(!pages, "vmap: NULL page array"))
		return NULL;
	for (i = 0; i < count; i++)
		if (WARN(!iosim_page_allocated(pages[i]),
			 "vmap: page %u (%p) is not an allocated simulated page",
			 i, (void *)pages[i]))
			return NULL;
	if (iosim_fault_should_fail(IOSIM_FAULT_VMALLOC))
		return NULL;

	node = iosim_host_calloc(1, sizeof(*node));
	if (!node)
		return NULL;
	node->pfns = iosim_host_calloc(count, sizeof(*node->pfns));
	if (!node->pfns)
		goto out_free_node;
	len = (size_t)count << PAGE_SHIFT;
	va = iosim_va_reserve(len + PAGE_SIZE, PAGE_SIZE, 0);
	if (!va)
		goto out_free_pfns;

	/* One mmap per run of physically consecutive frames keeps host VMAs few. */
	for (i = 0; i < count; i += run) {
		node->pfns[i] = page_to_pfn(pages[i]);
		for (run = 1; i + run < count; run++) {
			node->pfns[i + run] = page_to_pfn(pages[i + run]);
			if (node->pfns[i + run] != node->pfns[i] + run)
				break;
		}
		if (iosim_va_map_frames(va + ((size_t)i << PAGE_SHIFT), (size_t)run << PAGE_SHIFT,
					iosim_page_file_offset(pages[i]), writable, cacheable))
			goto out_release_va;
	}

	node->vm.addr = va;
	node->vm.size = len + PAGE_SIZE;
	node->vm.flags = flags;
	node->vm.pages = keep_pages ? pages : NULL;
	node->vm.nr_pages = count;
	node->vm.caller = caller;
	node->vm.iosim_prot = prot;
	pthread_mutex_lock(&vmap_lock);
	RB_INSERT(vmap_tree, &vmap_root, node);
	iosim_live_add(IOSIM_OBJ_VMAP, 1);
	pthread_mutex_unlock(&vmap_lock);
	return &node->vm;

out_release_va:
	iosim_va_release(va, len + PAGE_SIZE);
out_free_pfns:
	free(node->pfns);
out_free_node:
	free(node);
	return NULL;
}

void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot)
{
	struct vm_struct *area = iosim_vmap_area(pages, count, flags, prot,
						 __builtin_return_address(0), false);

	return area ? area->addr : NULL;
}

void vunmap(const void *addr)
{
	struct vmap_node *node;

	if (!addr)
		return;
	pthread_mutex_lock(&vmap_lock);
	node = node_at(addr);
	if (!node || node->is_vmalloc) {
		pthread_mutex_unlock(&vmap_lock);
		WARN(1, node ? "vunmap: %p is vmalloc() memory; use vfree()" :
			       "Trying to vunmap() nonexistent vm area (%p)", addr);
		return;
	}
	RB_REMOVE(vmap_tree, &vmap_root, node);
	iosim_live_add(IOSIM_OBJ_VMAP, -1);
	pthread_mutex_unlock(&vmap_lock);

	iosim_va_release(node->vm.addr, node->vm.size);
	free(node->pfns);
	free(node);
}

/* --- queries ------------------------------------------------------------------- */

struct vm_struct *find_vm_area(const void *addr)
{
	struct vmap_node *node;

	pthread_mutex_lock(&vmap_lock);
	node = node_at(addr);
	pthread_mutex_unlock(&vmap_lock);
	return node ? &node->vm : NULL;
}

bool is_vmalloc_addr(const void *x)
{
	bool found;

	pthread_mutex_lock(&vmap_lock);
	found = node_containing(x) != NULL;
	pthread_mutex_unlock(&vmap_lock);
	return found;
}

struct page *vmalloc_to_page(const void *addr)
{
	struct vmap_node *node;
	unsigned long idx, pfn = 0;
	bool in_vmalloc = false, mapped = false;

	pthread_mutex_lock(&vmap_lock);
	node = node_containing(addr);
	if (node && node->is_vmalloc) {
		in_vmalloc = true;
	} else if (node) {
		idx = ((uintptr_t)addr - (uintptr_t)node->vm.addr) >> PAGE_SHIFT;
		mapped = idx < node->vm.nr_pages;	/* else the guard page */
		if (mapped)
			pfn = node->pfns[idx];
	}
	pthread_mutex_unlock(&vmap_lock);

	if (WARN(!node, "vmalloc_to_page: %p is in no vmalloc/vmap area", addr) ||
	    WARN(in_vmalloc, "vmalloc_to_page: %p is vmalloc() memory, which has no simulated pages",
		 addr))
		return NULL;
	return mapped ? pfn_to_page(pfn) : NULL;
}

/**
 * iosim_vmap_resolve - the frame behind a vmap() alias address, quietly
 * @addr: any address
 * @pfn: set to the frame mapped at @addr's page
 * @prot: set to the alias's memory type
 *
 * For the cache model, which must refuse (with its own WARN) what is not an
 * alias of RAM without vmalloc_to_page()'s WARNs.
 *
 * Context: takes the vmalloc lock.
 * Return: true if @addr is in a mapped page of a vmap() area; false (no
 * WARN, nothing set) for vmalloc() memory, a guard page or no area.
 */
bool iosim_vmap_resolve(const void *addr, unsigned long *pfn, pgprot_t *prot)
{
	struct vmap_node *node;
	unsigned long idx;
	bool found = false;

	pthread_mutex_lock(&vmap_lock);
	node = node_containing(addr);
	if (node && !node->is_vmalloc) {
		idx = ((uintptr_t)addr - (uintptr_t)node->vm.addr) >> PAGE_SHIFT;
		if (idx < node->vm.nr_pages) {
			*pfn = node->pfns[idx];
			*prot = node->vm.iosim_prot;
			found = true;
		}
	}
	pthread_mutex_unlock(&vmap_lock);
	return found;
}

unsigned long vmalloc_to_pfn(const void *addr)
{
	struct page *page = vmalloc_to_page(addr);

	return page ? page_to_pfn(page) : 0;
}

/**
 * iosim_vmalloc_check - sanity checker for the vmalloc/vmap areas
 *
 * Checks that areas are page aligned, carry a guard page, do not overlap,
 * have flags matching their kind, that vmap() areas map only frames that are
 * still allocated, and that the tree agrees with the IOSIM_OBJ_VMALLOC and
 * IOSIM_OBJ_VMAP live counts.
 *
 * Context: takes the vmalloc lock.
 * Return: 0, or -EUCLEAN after WARNing each problem.
 */
int iosim_vmalloc_check(void)
{
	struct vmap_node *node, *prev = NULL;
	long nr_vmalloc = 0, nr_vmap = 0;
	int problems = 0;
	unsigned int i;

	pthread_mutex_lock(&vmap_lock);
	RB_FOREACH(node, vmap_tree, &vmap_root) {
		void *addr = node->vm.addr;

		if (node->is_vmalloc)
			nr_vmalloc++;
		else
			nr_vmap++;
		if (!PAGE_ALIGNED(addr) ||
		    node->vm.size != ((size_t)node->vm.nr_pages + 1) << PAGE_SHIFT) {
			WARN(1, "iosim_vmalloc_check: area %p has bad placement or size %#lx",
			     addr, node->vm.size);
			problems++;
		}
		if (prev && (uintptr_t)prev->vm.addr + prev->vm.size > (uintptr_t)addr) {
			WARN(1, "iosim_vmalloc_check: areas %p and %p overlap",
			     prev->vm.addr, addr);
			problems++;
		}
		if (node->is_vmalloc != !!(node->vm.flags & VM_ALLOC)) {
			WARN(1, "iosim_vmalloc_check: area %p has flags %#lx for its kind",
			     addr, node->vm.flags);
			problems++;
		}
		for (i = 0; !node->is_vmalloc && i < node->vm.nr_pages; i++) {
			if (!pfn_valid(node->pfns[i]) ||
			    !iosim_phys_is_allocated(PFN_PHYS(node->pfns[i]))) {
				WARN(1, "iosim_vmalloc_check: vmap area %p maps pfn %#lx, which is free",
				     addr, node->pfns[i]);
				problems++;
				break;
			}
		}
		prev = node;
	}
	if (nr_vmalloc != iosim_live(IOSIM_OBJ_VMALLOC) || nr_vmap != iosim_live(IOSIM_OBJ_VMAP)) {
		WARN(1, "iosim_vmalloc_check: %ld vmalloc and %ld vmap areas, live counts say %ld and %ld",
		     nr_vmalloc, nr_vmap, iosim_live(IOSIM_OBJ_VMALLOC),
		     iosim_live(IOSIM_OBJ_VMAP));
		problems++;
	}
	pthread_mutex_unlock(&vmap_lock);
	return problems ? -EUCLEAN : 0;
}
