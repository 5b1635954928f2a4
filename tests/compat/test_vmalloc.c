// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * vmalloc/vzalloc/vfree, vmap/vunmap, find_vm_area/is_vmalloc_addr,
 * vmalloc_to_page, kvfree and the DMA remap helpers: real aliases of
 * simulated pages, area bookkeeping, misuse, failure injection.
 */
#include <linux/kernel.h>
#include "ram_fixture.h"

#include <iosim/warn.h>

#include <stdlib.h>
#include <string.h>

#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#if __has_include(<linux/dma-mapping.h>)
#include <linux/dma-mapping.h>
#endif
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/cache.h>

#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define TEST_VALGRIND 1
#endif

/* As in compat/mm/dma_remap.c: <linux/dma-mapping.h> is another layer's header. */
void *dma_common_pages_remap(struct page **pages, size_t size, unsigned long vm_flags,
			     pgprot_t prot, const void *caller);
void dma_common_free_remap(void *cpu_addr, size_t size, unsigned long vm_flags);

#define assert_areas_ok()	assert_int_equal(iosim_vmalloc_check(), 0)

/* Allocate @n order-0 pages that are NOT physically consecutive (every other frame). */
static void alloc_scattered_pages(struct page **pages, unsigned int n)
{
	struct page *spacers[16];
	unsigned int i;

	assert_true(n <= 16);
	for (i = 0; i < n; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		spacers[i] = alloc_page(GFP_KERNEL);
		assert_non_null(pages[i]);
		assert_non_null(spacers[i]);
	}
	for (i = 0; i < n; i++)
		__free_page(spacers[i]);
	/* Reverse the order too: the alias must follow the array, not physical order. */
	for (i = 0; i < n / 2; i++) {
		struct page *tmp = pages[i];

		pages[i] = pages[n - 1 - i];
		pages[n - 1 - i] = tmp;
	}
}

static void free_page_array(struct page **pages, unsigned int n)
{
	while (n--)
		__free_page(pages[n]);
}

/* --- vmalloc ------------------------------------------------------------------- */

static void test_vmalloc_returns_poisoned_page_aligned_tracked_memory(void **state)
{
	size_t size = 3 * PAGE_SIZE + 100;
	struct vm_struct *area;
	char *p = vmalloc(size);

	(void)state;
	assert_non_null(p);
	assert_true(PAGE_ALIGNED(p));
	assert_true(iosim_bytes_all(p, IOSIM_PAGE_POISON_ALLOC, PAGE_ALIGN(size)));
	memset(p, 0x42, PAGE_ALIGN(size));	/* the whole rounded size is usable */
	assert_int_equal(iosim_live(IOSIM_OBJ_VMALLOC), 1);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);

	area = find_vm_area(p);
	assert_non_null(area);
	assert_ptr_equal(area->addr, p);
	assert_int_equal(area->flags, VM_ALLOC);
	assert_int_equal(area->size, PAGE_ALIGN(size) + PAGE_SIZE);	/* with the guard */
	assert_int_equal(area->nr_pages, 4);
	assert_null(area->pages);
	assert_non_null(area->caller);
	assert_int_equal(pgprot_val(area->iosim_prot), pgprot_val(PAGE_KERNEL));
	assert_areas_ok();

	vfree(p);
	assert_int_equal(iosim_live(IOSIM_OBJ_VMALLOC), 0);
	assert_null(find_vm_area(p));
	assert_areas_ok();
}

static void test_vmalloc_guard_page_is_inaccessible_to_the_checkers(void **state)
{
	char *p = vmalloc(PAGE_SIZE);

	(void)state;
	assert_non_null(p);
#ifdef TEST_ASAN
	assert_false(__asan_address_is_poisoned(p + PAGE_SIZE - 1));
	assert_true(__asan_address_is_poisoned(p + PAGE_SIZE));
	assert_true(__asan_address_is_poisoned(p + 2 * PAGE_SIZE - 1));
#endif
#ifdef TEST_VALGRIND
	if (iosim_under_memcheck()) {
		assert_int_equal(VALGRIND_CHECK_MEM_IS_ADDRESSABLE(p, PAGE_SIZE), 0);
		/* Reports the first inaccessible byte (and counts as an error unless quiet). */
		VALGRIND_DISABLE_ERROR_REPORTING;
		assert_ptr_equal((char *)VALGRIND_CHECK_MEM_IS_ADDRESSABLE(p + PAGE_SIZE, 1),
				 p + PAGE_SIZE);
		VALGRIND_ENABLE_ERROR_REPORTING;
	}
#endif
	/* Without a checker there is nothing to observe; the area is still sized with it. */
	assert_int_equal(find_vm_area(p)->size, 2 * PAGE_SIZE);
	vfree(p);
}

static void test_vzalloc_returns_zeroed_memory(void **state)
{
	char *p = vzalloc(2 * PAGE_SIZE);

	(void)state;
	assert_non_null(p);
	assert_true(iosim_bytes_all(p, 0, 2 * PAGE_SIZE));
	vfree(p);
}

static void test_is_vmalloc_addr_answers_inside_outside_and_after_free(void **state)
{
	char *p = vmalloc(PAGE_SIZE + 1);
	char *k = kmalloc(64, GFP_KERNEL);
	struct page *page = alloc_page(GFP_KERNEL);
	int local;

	(void)state;
	assert_non_null(p);
	assert_non_null(k);
	assert_non_null(page);
	assert_true(is_vmalloc_addr(p));
	assert_true(is_vmalloc_addr(p + PAGE_SIZE + 1));
	assert_true(is_vmalloc_addr(p + 2 * PAGE_SIZE - 1));
	assert_true(is_vmalloc_addr(p + 2 * PAGE_SIZE));		/* the guard page */
	assert_false(is_vmalloc_addr(p + 3 * PAGE_SIZE));
	assert_false(is_vmalloc_addr(p - 1));
	assert_false(is_vmalloc_addr(k));
	assert_false(is_vmalloc_addr(&local));
	assert_false(is_vmalloc_addr(page_address(page)));
	assert_false(is_vmalloc_addr(NULL));
	/* find_vm_area only knows area starts. */
	assert_null(find_vm_area(p + PAGE_SIZE));
	assert_null(find_vm_area(p + 1));

	vfree(p);
	assert_false(is_vmalloc_addr(p));
	assert_false(is_vmalloc_addr(p + PAGE_SIZE));
	kfree(k);
	__free_page(page);
	assert_no_warnings();
}

static void test_vmalloc_of_zero_or_absurd_size_fails_and_logs(void **state)
{
	(void)state;
	iosim_log_reset();
	assert_null(vmalloc(0));
	assert_true(iosim_log_seen("vmalloc: allocation failure: 0 bytes"));
	assert_null(vzalloc(~0UL));
	assert_null(vmalloc(iosim_ram_size() + 1));
	assert_int_equal(iosim_live(IOSIM_OBJ_VMALLOC), 0);
	assert_areas_ok();
}

static void test_injected_vmalloc_failure_fails_vmalloc_vzalloc_and_vmap(void **state)
{
	struct page *page = alloc_page(GFP_KERNEL);
	void *p;

	(void)state;
	assert_non_null(page);
	iosim_fault_fail_from(IOSIM_FAULT_SITE(IOSIM_FAULT_VMALLOC), 1);
	assert_null(vmalloc(100));
	assert_null(vzalloc(100));
	assert_null(vmap(&page, 1, VM_MAP, PAGE_KERNEL));
	assert_null(dma_common_pages_remap(&page, PAGE_SIZE, VM_USERMAP, PAGE_KERNEL, NULL));
	assert_int_equal(iosim_fault_injected(), 4);
	assert_int_equal(iosim_live(IOSIM_OBJ_VMALLOC) + iosim_live(IOSIM_OBJ_VMAP), 0);
	assert_areas_ok();

	/* Only the Nth call fails. */
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_VMALLOC), 2);
	p = vmalloc(100);
	assert_non_null(p);
	assert_null(vmalloc(100));
	vfree(p);
	__free_page(page);
}

/*
 * The host's side of a vmalloc area or a vmap() alias (its record, its
 * memory or frame list, the address range and each run's mapping) comes
 * from IOSIM_FAULT_HOST: each of those failing makes the call return NULL
 * and leaves no area and no page reference behind (nor host memory: the
 * sanitizer and valgrind runs would report it).
 */
static void host_failure_sweep(const char *what, struct page **pages, unsigned int count)
{
	unsigned long calls, nth;
	void *p;

	/* A clean run counts the host calls the sweep must fail one by one. */
	iosim_fault_reset();
	p = count ? vmap(pages, count, VM_MAP, PAGE_KERNEL) : vmalloc(3 * PAGE_SIZE);
	assert_non_null(p);
	calls = iosim_fault_calls(IOSIM_FAULT_SITE(IOSIM_FAULT_HOST));
	/* vmalloc: record + memory; vmap: record + frame list + range + one map per run. */
	assert_true(calls >= (count ? 4u : 2u));
	if (count)
		vunmap(p);
	else
		vfree(p);

	for (nth = 1; nth <= calls + 1; nth++) {
		iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_HOST), nth);
		p = count ? vmap(pages, count, VM_MAP, PAGE_KERNEL) : vmalloc(3 * PAGE_SIZE);
		if (nth <= calls) {
			if (p)
				fail_msg("%s succeeded with host call %lu of %lu failing", what, nth,
					 calls);
			assert_int_equal(iosim_fault_injected(), 1);
		} else {
			assert_non_null(p);
			assert_int_equal(iosim_fault_injected(), 0);
			memset(p, 0x3c, 3 * PAGE_SIZE);
			if (count)
				vunmap(p);
			else
				vfree(p);
		}
		assert_int_equal(iosim_live(IOSIM_OBJ_VMALLOC) + iosim_live(IOSIM_OBJ_VMAP), 0);
		assert_areas_ok();
		assert_no_warnings();
	}
	iosim_fault_reset();
}

static void test_host_failures_fail_vmalloc_and_vmap_cleanly(void **state)
{
	struct page *pages[3];
	unsigned int i;

	(void)state;
	/* Three frames, the middle one apart from the others: two runs at least. */
	pages[0] = alloc_page(GFP_KERNEL);
	pages[2] = alloc_pages(GFP_KERNEL, 2);
	pages[1] = alloc_page(GFP_KERNEL);
	for (i = 0; i < 3; i++)
		assert_non_null(pages[i]);
	host_failure_sweep("vmalloc", NULL, 0);
	host_failure_sweep("vmap", pages, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(page_count(pages[i]), 1);
		assert_true(iosim_bytes_all(page_address(pages[i]), 0x3c, PAGE_SIZE));
	}
	__free_page(pages[0]);
	__free_page(pages[1]);
	__free_pages(pages[2], 2);
}

static void test_vfree_misuse_is_warned_and_ignored(void **state)
{
	char *p = vmalloc(3 * PAGE_SIZE);
	char *k = kmalloc(PAGE_SIZE, GFP_KERNEL);
	struct page *page = alloc_page(GFP_KERNEL);
	void *alias;

	(void)state;
	assert_non_null(p);
	assert_non_null(k);
	assert_non_null(page);
	alias = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	assert_non_null(alias);

	vfree(NULL);
	assert_no_warnings();
	vfree(p + 1);
	assert_warned("bad address");
	vfree(p + PAGE_SIZE);
	assert_warned("nonexistent vm area");
	vfree(alias);
	assert_warned("use vunmap()");
	vunmap(p);
	assert_warned("use vfree()");
	vunmap(p + PAGE_SIZE);
	assert_warned("nonexistent vm area");
	vunmap(NULL);
	assert_no_warnings();
	assert_int_equal(iosim_live(IOSIM_OBJ_VMALLOC), 1);
	assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 1);
	assert_areas_ok();

	vfree(p);
	vfree(p);
	assert_warned("nonexistent vm area");
	vunmap(alias);
	vunmap(alias);
	assert_warned("nonexistent vm area");
	assert_areas_ok();
	kfree(k);
	__free_page(page);
}

static void test_kvfree_frees_either_kind(void **state)
{
	void *v = vmalloc(PAGE_SIZE);
	void *k = kmalloc(32, GFP_KERNEL);

	(void)state;
	assert_non_null(v);
	assert_non_null(k);
	kvfree(v);
	kvfree(k);
	kvfree(NULL);
	kvfree(ZERO_SIZE_PTR);
	assert_int_equal(iosim_live(IOSIM_OBJ_VMALLOC), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
	/* Once freed it is no vmalloc address any more, so kfree() reports it. */
	kvfree(v);
	assert_warned("was not allocated");
}

static void test_vmalloc_to_page_refuses_vmalloc_memory_and_strangers(void **state)
{
	char *p = vmalloc(PAGE_SIZE);
	int local;

	(void)state;
	assert_non_null(p);
	assert_null(vmalloc_to_page(p));
	assert_warned("no simulated pages");
	assert_null(vmalloc_to_page(&local));
	assert_warned("no vmalloc/vmap area");
	assert_int_equal(vmalloc_to_pfn(&local), 0);
	assert_warned("no vmalloc/vmap area");
	vfree(p);
}

/* --- vmap ----------------------------------------------------------------------- */

static void test_vmap_alias_writes_land_in_the_pages_and_back(void **state)
{
	struct page *pages[5];
	struct vm_struct *area;
	unsigned char *alias;
	unsigned int i;

	(void)state;
	alloc_scattered_pages(pages, 5);
	alias = vmap(pages, 5, VM_MAP, PAGE_KERNEL);
	assert_non_null(alias);
	assert_true(PAGE_ALIGNED(alias));
	assert_false(virt_addr_valid(alias));
	assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 1);

	/* Through the alias into the pages. */
	for (i = 0; i < 5; i++)
		memset(alias + i * PAGE_SIZE, 0x10 + i, PAGE_SIZE);
	for (i = 0; i < 5; i++)
		assert_true(iosim_bytes_all(page_address(pages[i]), 0x10 + i, PAGE_SIZE));
	/* From the pages into the alias, across a page boundary. */
	memset((char *)page_address(pages[1]) + PAGE_SIZE - 4, 0xab, 4);
	memset(page_address(pages[2]), 0xcd, 4);
	assert_true(iosim_bytes_all(alias + 2 * PAGE_SIZE - 4, 0xab, 4));
	assert_true(iosim_bytes_all(alias + 2 * PAGE_SIZE, 0xcd, 4));

	area = find_vm_area(alias);
	assert_non_null(area);
	assert_int_equal(area->flags, VM_MAP);
	assert_int_equal(area->size, 6 * PAGE_SIZE);
	assert_int_equal(area->nr_pages, 5);
	assert_null(area->pages);	/* vmap() does not record them, as the kernel */
	for (i = 0; i < 5; i++) {
		assert_ptr_equal(vmalloc_to_page(alias + i * PAGE_SIZE + 7), pages[i]);
		assert_int_equal(vmalloc_to_pfn(alias + i * PAGE_SIZE), page_to_pfn(pages[i]));
	}
	assert_null(vmalloc_to_page(alias + 5 * PAGE_SIZE));	/* the guard */
	assert_true(is_vmalloc_addr(alias + 5 * PAGE_SIZE + 1));
	assert_false(is_vmalloc_addr(alias + 6 * PAGE_SIZE));
	assert_areas_ok();

	vunmap(alias);
	assert_null(find_vm_area(alias));
	assert_false(is_vmalloc_addr(alias));
	assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 0);
	/* Unmapping leaves the pages and their contents alone. */
	assert_true(iosim_bytes_all((char *)page_address(pages[4]) + 8, 0x14, PAGE_SIZE - 8));
	free_page_array(pages, 5);
	assert_areas_ok();
}

static void test_vmap_of_contiguous_and_compound_pages(void **state)
{
	struct page *block = alloc_pages(GFP_KERNEL, 3);
	struct page *comp = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	struct page *pages[12];
	unsigned char *alias;
	unsigned int i;

	(void)state;
	assert_non_null(block);
	assert_non_null(comp);
	/* Inner frames of a non-compound block and tails of a compound one are fine. */
	for (i = 0; i < 8; i++)
		pages[i] = block + i;
	for (i = 0; i < 4; i++)
		pages[8 + i] = comp + i;
	alias = vmap(pages, 12, VM_MAP, PAGE_KERNEL);
	assert_non_null(alias);
	for (i = 0; i < 12; i++)
		alias[i * PAGE_SIZE + 3] = (unsigned char)i;
	for (i = 0; i < 12; i++)
		assert_int_equal(((unsigned char *)page_address(pages[i]))[3], i);
	assert_int_equal(page_count(block), 1);		/* no references taken */
	vunmap(alias);
	__free_pages(block, 3);
	__free_pages(comp, 2);
	assert_areas_ok();
}

static void test_vmap_read_only_alias_reads_the_pages(void **state)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct vm_struct *area;
	unsigned char *alias;

	(void)state;
	assert_non_null(page);
	memset(page_address(page), 0x5e, PAGE_SIZE);
	alias = vmap(&page, 1, VM_MAP, PAGE_KERNEL_RO);
	assert_non_null(alias);
	assert_true(iosim_bytes_all(alias, 0x5e, PAGE_SIZE));
	area = find_vm_area(alias);
	assert_true(pgprot_val(area->iosim_prot) & PTE_RDONLY);
	vunmap(alias);
	__free_page(page);
}

static void test_vmap_refuses_free_foreign_and_empty_page_arrays(void **state)
{
	struct page *pages[2];
	struct page stranger;

	(void)state;
	memset(&stranger, 0, sizeof(stranger));
	pages[0] = alloc_page(GFP_KERNEL);
	pages[1] = alloc_page(GFP_KERNEL);
	assert_non_null(pages[0]);
	assert_non_null(pages[1]);

	assert_null(vmap(pages, 0, VM_MAP, PAGE_KERNEL));
	assert_null(vmap(pages, (unsigned int)iosim_ram_nr_pages() + 1, VM_MAP, PAGE_KERNEL));
	assert_no_warnings();
	assert_null(vmap(NULL, 1, VM_MAP, PAGE_KERNEL));
	assert_warned("NULL page array");

	__free_page(pages[1]);
	assert_null(vmap(pages, 2, VM_MAP, PAGE_KERNEL));
	assert_warned("page 1");
	pages[1] = &stranger;
	assert_null(vmap(pages, 2, VM_MAP, PAGE_KERNEL));
	assert_warned("not an allocated simulated page");
	assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 0);
	assert_areas_ok();
	__free_page(pages[0]);
}

static void test_vmalloc_check_reports_a_freed_page_still_mapped(void **state)
{
	struct page *page = alloc_page(GFP_KERNEL);
	void *alias;

	(void)state;
	assert_non_null(page);
	alias = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	assert_non_null(alias);
	assert_areas_ok();
	__free_page(page);
	assert_int_equal(iosim_vmalloc_check(), -EUCLEAN);
	assert_warned("which is free");
	vunmap(alias);
	assert_areas_ok();

	/* A live count out of step with the areas. */
	iosim_live_add(IOSIM_OBJ_VMAP, 1);
	assert_int_equal(iosim_vmalloc_check(), -EUCLEAN);
	assert_warned("live counts");
	iosim_live_add(IOSIM_OBJ_VMAP, -1);
	assert_areas_ok();
}

/*
 * The checker on areas whose public record (find_vm_area()) was written
 * over: a size that is not the pages plus the guard page, flags of the
 * other kind, an area grown over its neighbour.  Each restored, it passes.
 */
static void test_vmalloc_check_reports_a_corrupted_area_record(void **state)
{
	void *a = vmalloc(2 * PAGE_SIZE), *b = vmalloc(PAGE_SIZE);
	struct vm_struct *lower, *higher;
	unsigned long saved_size, saved_flags;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	lower = find_vm_area(a < b ? a : b);
	higher = find_vm_area(a < b ? b : a);
	assert_non_null(lower);
	assert_non_null(higher);
	assert_areas_ok();

	saved_size = higher->size;
	higher->size += PAGE_SIZE;
	assert_int_equal(iosim_vmalloc_check(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("has bad placement or size");
	higher->size = saved_size;
	assert_areas_ok();

	saved_flags = higher->flags;
	higher->flags &= ~(unsigned long)VM_ALLOC;
	assert_int_equal(iosim_vmalloc_check(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("for its kind");
	higher->flags = saved_flags;
	assert_areas_ok();

	/* Grown up to the next area's first page: its size is wrong, and they overlap. */
	saved_size = lower->size;
	lower->size = (size_t)((char *)higher->addr - (char *)lower->addr) + PAGE_SIZE;
	assert_int_equal(iosim_vmalloc_check(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 2);
	assert_true(iosim_warn_seen("overlap"));
	assert_warned("has bad placement or size");
	lower->size = saved_size;
	assert_areas_ok();
	vfree(a);
	vfree(b);
}

/* --- dma_common_pages_remap / dma_common_free_remap ------------------------------ */

static void test_dma_remap_records_pages_flags_and_memory_type(void **state)
{
	size_t size = 3 * PAGE_SIZE - 10;	/* rounds up to 3 pages */
	pgprot_t prot = pgprot_dmacoherent(PAGE_KERNEL);
	struct page **pages = kcalloc(3, sizeof(*pages), GFP_KERNEL);
	struct vm_struct *area;
	unsigned char *cpu_addr;
	unsigned int i;

	(void)state;
	assert_non_null(pages);
	alloc_scattered_pages(pages, 3);
	cpu_addr = dma_common_pages_remap(pages, size, VM_USERMAP, prot,
					  test_dma_remap_records_pages_flags_and_memory_type);
	assert_non_null(cpu_addr);

	area = find_vm_area(cpu_addr);
	assert_non_null(area);
	assert_int_equal(area->flags, VM_USERMAP);	/* exactly the caller's flags */
	assert_ptr_equal(area->pages, pages);		/* the caller's own array */
	assert_int_equal(area->nr_pages, 3);
	assert_ptr_equal(area->caller, test_dma_remap_records_pages_flags_and_memory_type);
	assert_int_equal(pgprot_val(area->iosim_prot), pgprot_val(prot));
	assert_int_equal(pgprot_val(area->iosim_prot) & PTE_ATTRINDX_MASK,
			 PTE_ATTRINDX(MT_NORMAL_NC));

	/* A write-combine alias writes memory, what a non-coherent device sees. */
	for (i = 0; i < 3; i++)
		memset(cpu_addr + i * PAGE_SIZE, 0x60 + i, PAGE_SIZE);
	for (i = 0; i < 3; i++) {
		static unsigned char mem[65536];

		assert_int_equal(iosim_cache_read_memory(page_to_phys(pages[i]), mem, PAGE_SIZE), 0);
		assert_true(iosim_bytes_all(mem, 0x60 + i, PAGE_SIZE));
	}
	assert_areas_ok();

	/* The seed frees the pages and their array before the remap: allowed. */
	free_page_array(pages, 3);
	kfree(pages);
	dma_common_free_remap(cpu_addr, size, VM_USERMAP);
	assert_null(find_vm_area(cpu_addr));
	assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 0);
	assert_areas_ok();
}

static void test_dma_free_remap_of_a_wrong_area_is_warned_and_ignored(void **state)
{
	struct page *page = alloc_page(GFP_KERNEL);
	void *cpu_addr, *v = vmalloc(PAGE_SIZE);
	int local;

	(void)state;
	assert_non_null(page);
	assert_non_null(v);
	cpu_addr = dma_common_pages_remap(&page, PAGE_SIZE, VM_USERMAP, PAGE_KERNEL, NULL);
	assert_non_null(cpu_addr);

	dma_common_free_remap(cpu_addr, PAGE_SIZE, VM_USERMAP | VM_IOREMAP);
	assert_warned("invalid coherent area");
	assert_non_null(find_vm_area(cpu_addr));
	dma_common_free_remap(&local, PAGE_SIZE, VM_USERMAP);
	assert_warned("invalid coherent area");
	dma_common_free_remap(v, PAGE_SIZE, VM_USERMAP);
	assert_warned("invalid coherent area");
	assert_null(dma_common_pages_remap(&page, 0, VM_USERMAP, PAGE_KERNEL, NULL));
	assert_areas_ok();

	/* The remap is still intact and still frees properly. */
	memset(cpu_addr, 0x33, PAGE_SIZE);
	assert_true(iosim_bytes_all(page_address(page), 0x33, PAGE_SIZE));
	dma_common_free_remap(cpu_addr, PAGE_SIZE, VM_USERMAP);
	dma_common_free_remap(cpu_addr, PAGE_SIZE, VM_USERMAP);
	assert_warned("invalid coherent area");
	vfree(v);
	__free_page(page);
}

/* --- multi-step operations and many areas ------------------------------------------ */

/*
 * A coherent-buffer allocation as an arch allocator does it: page array
 * (vzalloc), pages, then one alias.  Unwinds on failure.
 */
struct remapped_buf {
	struct page **pages;
	unsigned int count;
	void *cpu_addr;
};

static int remapped_buf_alloc(struct remapped_buf *b, unsigned int count)
{
	unsigned int i;

	b->count = count;
	b->pages = vzalloc(count * sizeof(*b->pages));
	if (!b->pages)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		b->pages[i] = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		if (!b->pages[i])
			goto out_free_pages;
	}
	b->cpu_addr = dma_common_pages_remap(b->pages, (size_t)count << PAGE_SHIFT,
					     VM_USERMAP, pgprot_writecombine(PAGE_KERNEL), NULL);
	if (!b->cpu_addr)
		goto out_free_pages;
	return 0;

out_free_pages:
	while (i--)
		__free_page(b->pages[i]);
	kvfree(b->pages);
	return -ENOMEM;
}

static void remapped_buf_free(struct remapped_buf *b)
{
	unsigned int i;

	dma_common_free_remap(b->cpu_addr, (size_t)b->count << PAGE_SHIFT, VM_USERMAP);
	for (i = 0; i < b->count; i++)
		__free_page(b->pages[i]);
	kvfree(b->pages);
}

static void test_allocation_failure_sweep_over_a_remapped_buffer(void **state)
{
	unsigned long nth, failures = 0;

	(void)state;
	for (nth = 1; nth < 100; nth++) {
		struct remapped_buf b;
		unsigned int i;

		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, nth);
		if (remapped_buf_alloc(&b, 6)) {
			failures++;
			assert_int_equal(iosim_live_total(), 0);
			assert_int_equal(iosim_ram_check(), 0);
			assert_areas_ok();
			continue;
		}
		for (i = 0; i < 6; i++)
			memset((char *)b.cpu_addr + i * PAGE_SIZE, i, PAGE_SIZE);
		/* The remap is write-combine: its writes are in memory. */
		for (i = 0; i < 6; i++) {
			static unsigned char mem[65536];

			assert_int_equal(iosim_cache_read_memory(page_to_phys(b.pages[i]), mem,
								 PAGE_SIZE), 0);
			assert_true(iosim_bytes_all(mem, (int)i, PAGE_SIZE));
		}
		remapped_buf_free(&b);
		assert_int_equal(iosim_live_total(), 0);
		if (!iosim_fault_injected())
			break;
	}
	/* 1 vzalloc + 6 pages + 1 remap: eight fallible steps, each failed once. */
	assert_int_equal(failures, 8);
	assert_int_equal(nth, 9);
}

static void test_many_areas_keep_lookups_exact(void **state)
{
	enum { NR = 64 };
	void *addr[NR] = { NULL };
	bool is_map[NR] = { false };
	struct page *pages[NR];
	u64 s = 0x9e3779b97f4a7c15ULL;
	unsigned int round, i;

	(void)state;
	for (i = 0; i < NR; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		assert_non_null(pages[i]);
	}
	for (round = 0; round < 2000; round++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		i = (unsigned int)(s >> 33) % NR;
		if (addr[i]) {
			if (is_map[i])
				vunmap(addr[i]);
			else
				vfree(addr[i]);
			assert_false(is_vmalloc_addr(addr[i]));
			addr[i] = NULL;
		} else {
			is_map[i] = (s >> 20) & 1;
			addr[i] = is_map[i] ? vmap(&pages[i], 1, VM_MAP, PAGE_KERNEL) :
					      vmalloc(((s >> 40) % 3 + 1) * PAGE_SIZE);
			assert_non_null(addr[i]);
			*(unsigned int *)addr[i] = i;
		}
		if (round % 50 == 0) {
			unsigned int j;

			assert_areas_ok();
			for (j = 0; j < NR; j++) {
				if (!addr[j])
					continue;
				assert_true(is_vmalloc_addr((char *)addr[j] + PAGE_SIZE - 1));
				assert_ptr_equal(find_vm_area(addr[j])->addr, addr[j]);
				assert_int_equal(*(unsigned int *)addr[j], j);
			}
		}
	}
	for (i = 0; i < NR; i++) {
		if (addr[i] && is_map[i])
			vunmap(addr[i]);
		else if (addr[i])
			vfree(addr[i]);
		__free_page(pages[i]);
	}
	assert_areas_ok();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM(test_vmalloc_returns_poisoned_page_aligned_tracked_memory),
		IOSIM_TEST_RAM(test_vmalloc_guard_page_is_inaccessible_to_the_checkers),
		IOSIM_TEST_RAM(test_vzalloc_returns_zeroed_memory),
		IOSIM_TEST_RAM(test_is_vmalloc_addr_answers_inside_outside_and_after_free),
		IOSIM_TEST_RAM(test_vmalloc_of_zero_or_absurd_size_fails_and_logs),
		IOSIM_TEST_RAM(test_injected_vmalloc_failure_fails_vmalloc_vzalloc_and_vmap),
		IOSIM_TEST_RAM(test_host_failures_fail_vmalloc_and_vmap_cleanly),
		IOSIM_TEST_RAM(test_vfree_misuse_is_warned_and_ignored),
		IOSIM_TEST_RAM(test_kvfree_frees_either_kind),
		IOSIM_TEST_RAM(test_vmalloc_to_page_refuses_vmalloc_memory_and_strangers),
		IOSIM_TEST_RAM(test_vmap_alias_writes_land_in_the_pages_and_back),
		IOSIM_TEST_RAM(test_vmap_of_contiguous_and_compound_pages),
		IOSIM_TEST_RAM(test_vmap_read_only_alias_reads_the_pages),
		IOSIM_TEST_RAM(test_vmap_refuses_free_foreign_and_empty_page_arrays),
		IOSIM_TEST_RAM(test_vmalloc_check_reports_a_freed_page_still_mapped),
		IOSIM_TEST_RAM(test_vmalloc_check_reports_a_corrupted_area_record),
		IOSIM_TEST_RAM(test_dma_remap_records_pages_flags_and_memory_type),
		IOSIM_TEST_RAM(test_dma_free_remap_of_a_wrong_area_is_warned_and_ignored),
		IOSIM_TEST_RAM(test_allocation_failure_sweep_over_a_remapped_buffer),
		IOSIM_TEST_RAM(test_many_areas_keep_lookups_exact),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
