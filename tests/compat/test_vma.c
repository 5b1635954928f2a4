// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Simulated user VMAs and vm_insert_page(): user writes reach the pages,
 * references and map counts are taken and dropped, every error code, misuse,
 * failure injection, and an mmap-style multi-page operation under a
 * failure sweep.
 */
#include <linux/kernel.h>
#include "ram_fixture.h"

#include <iosim/warn.h>

#include <stdlib.h>
#include <sys/mman.h>
#include <string.h>

#include <linux/mm.h>
#include <asm/pgtable.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include <iosim/vma.h>

static void test_vma_create_reserves_an_aligned_shared_mapping(void **state)
{
	struct vm_area_struct *vma = iosim_vma_create(3 * PAGE_SIZE - 1, 7);

	(void)state;
	assert_non_null(vma);
	assert_true(PAGE_ALIGNED(vma->vm_start));
	assert_int_equal(vma->vm_end - vma->vm_start, 3 * PAGE_SIZE);
	assert_int_equal(vma->vm_pgoff, 7);
	assert_true(vma->vm_flags & VM_READ);
	assert_true(vma->vm_flags & VM_WRITE);
	assert_true(vma->vm_flags & VM_SHARED);
	assert_false(vma->vm_flags & VM_MIXEDMAP);
	assert_int_equal(pgprot_val(vma->vm_page_prot), pgprot_val(PAGE_SHARED));
	assert_int_equal(iosim_live(IOSIM_OBJ_VMA), 1);
	assert_null(iosim_vma_page(vma, vma->vm_start));
	assert_int_equal(iosim_vma_check(vma), 0);
	iosim_vma_destroy(vma);
	assert_int_equal(iosim_live(IOSIM_OBJ_VMA), 0);
	iosim_vma_destroy(NULL);
}

static void test_vma_create_of_nothing_is_warned(void **state)
{
	(void)state;
	assert_null(iosim_vma_create(0, 0));
	assert_warned("empty");
	assert_null(iosim_vma_create(SIZE_MAX, 0));
	assert_warned("oversized");
}

static void test_user_writes_reach_the_page_and_back(void **state)
{
	struct vm_area_struct *vma = iosim_vma_create(2 * PAGE_SIZE, 0);
	struct page *a = alloc_page(GFP_KERNEL), *b = alloc_page(GFP_KERNEL);
	unsigned char *user;

	(void)state;
	assert_non_null(vma);
	assert_non_null(a);
	assert_non_null(b);
	/* Map them in reverse physical order. */
	assert_int_equal(vm_insert_page(vma, vma->vm_start, b), 0);
	assert_int_equal(vm_insert_page(vma, vma->vm_start + PAGE_SIZE, a), 0);
	assert_true(vma->vm_flags & VM_MIXEDMAP);
	assert_ptr_equal(iosim_vma_page(vma, vma->vm_start + 5), b);
	assert_ptr_equal(iosim_vma_page(vma, vma->vm_end - 1), a);

	user = (unsigned char *)vma->vm_start;
	memset(user, 0x21, PAGE_SIZE);
	memset(user + PAGE_SIZE, 0x22, PAGE_SIZE);
	assert_true(iosim_bytes_all(page_address(b), 0x21, PAGE_SIZE));
	assert_true(iosim_bytes_all(page_address(a), 0x22, PAGE_SIZE));
	memset(page_address(a), 0x99, 16);
	assert_true(iosim_bytes_all(user + PAGE_SIZE, 0x99, 16));
	assert_int_equal(iosim_vma_check(vma), 0);

	/* The mapping holds a reference and a map count. */
	assert_int_equal(page_count(a), 2);
	assert_int_equal(page_mapcount(a), 1);
	iosim_vma_destroy(vma);
	assert_int_equal(page_count(a), 1);
	assert_int_equal(page_mapcount(a), 0);
	assert_true(iosim_bytes_all(page_address(b), 0x21, PAGE_SIZE));
	__free_page(a);
	__free_page(b);
}

/*
 * The checker compares each user page with its page's memory: an address
 * that shows other memory (here a private anonymous page mapped over it,
 * as a stray mmap() would) is reported; destroying the VMA still gives the
 * page back.
 */
static void test_vma_check_reports_a_user_page_that_shows_other_memory(void **state)
{
	struct vm_area_struct *vma = iosim_vma_create(2 * PAGE_SIZE, 0);
	struct page *page = alloc_page(GFP_KERNEL);
	void *uaddr;

	(void)state;
	assert_non_null(vma);
	assert_non_null(page);
	memset(page_address(page), 0x5a, PAGE_SIZE);
	assert_int_equal(vm_insert_page(vma, vma->vm_start + PAGE_SIZE, page), 0);
	assert_int_equal(iosim_vma_check(vma), 0);
	uaddr = (void *)(vma->vm_start + PAGE_SIZE);
	assert_ptr_equal(mmap(uaddr, PAGE_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), uaddr);
	assert_int_equal(iosim_vma_check(vma), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("does not show the memory of page");
	iosim_vma_destroy(vma);
	assert_int_equal(page_mapcount(page), 0);
	__free_page(page);
}

static void test_destroying_the_vma_frees_a_page_its_owner_already_released(void **state)
{
	struct vm_area_struct *vma = iosim_vma_create(PAGE_SIZE, 0);
	struct page *page = alloc_page(GFP_KERNEL);
	phys_addr_t phys;

	(void)state;
	assert_non_null(vma);
	assert_non_null(page);
	phys = page_to_phys(page);
	assert_int_equal(vm_insert_page(vma, vma->vm_start, page), 0);
	__free_page(page);	/* the owner lets go; the user mapping keeps it alive */
	assert_true(iosim_phys_is_allocated(phys));
	*(volatile char *)vma->vm_start = 1;
	assert_int_equal(iosim_vma_check(vma), 0);
	iosim_vma_destroy(vma);
	assert_false(iosim_phys_is_allocated(phys));
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
}

static void test_vm_insert_page_outside_or_unaligned_returns_efault(void **state)
{
	struct vm_area_struct *vma = iosim_vma_create(2 * PAGE_SIZE, 0);
	struct page *page = alloc_page(GFP_KERNEL);

	(void)state;
	assert_non_null(vma);
	assert_non_null(page);
	assert_int_equal(vm_insert_page(vma, vma->vm_start - PAGE_SIZE, page), -EFAULT);
	assert_int_equal(vm_insert_page(vma, vma->vm_end, page), -EFAULT);
	assert_int_equal(vm_insert_page(vma, vma->vm_start + 1, page), -EFAULT);
	assert_int_equal(vm_insert_page(vma, vma->vm_end - 1, page), -EFAULT);
	assert_int_equal(page_count(page), 1);
	assert_null(iosim_vma_page(vma, vma->vm_start));
	iosim_vma_destroy(vma);
	__free_page(page);
}

static void test_vm_insert_page_of_unusable_page_returns_einval(void **state)
{
	struct vm_area_struct *vma = iosim_vma_create(PAGE_SIZE, 0);
	struct page *block = alloc_pages(GFP_KERNEL, 1);
	struct page *freed = alloc_page(GFP_KERNEL);
	struct page stranger;

	(void)state;
	memset(&stranger, 0, sizeof(stranger));
	assert_non_null(vma);
	assert_non_null(block);
	assert_non_null(freed);
	__free_page(freed);
	assert_int_equal(vm_insert_page(vma, vma->vm_start, freed), -EINVAL);
	assert_int_equal(vm_insert_page(vma, vma->vm_start, &stranger), -EINVAL);
	assert_int_equal(vm_insert_page(vma, vma->vm_start, NULL), -EINVAL);
	/* An inner frame of a non-compound block holds no references (kernel: page_count 0). */
	assert_int_equal(vm_insert_page(vma, vma->vm_start, block + 1), -EINVAL);
	assert_no_warnings();
	assert_null(iosim_vma_page(vma, vma->vm_start));
	iosim_vma_destroy(vma);
	__free_pages(block, 1);
}

static void test_vm_insert_page_twice_at_one_address_returns_ebusy(void **state)
{
	struct vm_area_struct *vma = iosim_vma_create(PAGE_SIZE, 0);
	struct page *a = alloc_page(GFP_KERNEL), *b = alloc_page(GFP_KERNEL);

	(void)state;
	assert_non_null(vma);
	assert_int_equal(vm_insert_page(vma, vma->vm_start, a), 0);
	assert_int_equal(vm_insert_page(vma, vma->vm_start, b), -EBUSY);
	assert_int_equal(vm_insert_page(vma, vma->vm_start, a), -EBUSY);
	assert_int_equal(page_count(a), 2);
	assert_int_equal(page_count(b), 1);
	assert_ptr_equal(iosim_vma_page(vma, vma->vm_start), a);
	iosim_vma_destroy(vma);
	__free_page(a);
	__free_page(b);
}

static void test_injected_vm_insert_failure_returns_enomem_and_maps_nothing(void **state)
{
	struct vm_area_struct *vma = iosim_vma_create(PAGE_SIZE, 0);
	struct page *page = alloc_page(GFP_KERNEL);

	(void)state;
	assert_non_null(vma);
	assert_non_null(page);
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_VM_INSERT), 1);
	assert_int_equal(vm_insert_page(vma, vma->vm_start, page), -ENOMEM);
	assert_int_equal(iosim_fault_injected(), 1);
	assert_int_equal(page_count(page), 1);
	assert_int_equal(page_mapcount(page), 0);
	assert_null(iosim_vma_page(vma, vma->vm_start));
	/* The next attempt works. */
	assert_int_equal(vm_insert_page(vma, vma->vm_start, page), 0);
	iosim_vma_destroy(vma);
	__free_page(page);
}

/*
 * A simulated user VMA's host side (its record, its page and memory-type
 * arrays, its address range) and each vm_insert_page()'s mapping come from
 * IOSIM_FAULT_HOST: a failure there fails the call as the kernel's would
 * (NULL, or -ENOMEM) and leaves no VMA and no page reference behind.
 */
static void test_host_failures_fail_vma_create_and_vm_insert_page_cleanly(void **state)
{
	unsigned int host = IOSIM_FAULT_SITE(IOSIM_FAULT_HOST);
	struct vm_area_struct *vma;
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long calls, nth;

	(void)state;
	assert_non_null(page);
	iosim_fault_reset();
	vma = iosim_vma_create(3 * PAGE_SIZE, 0);
	assert_non_null(vma);
	calls = iosim_fault_calls(host);
	assert_int_equal(calls, 4);	/* record, two arrays, the range */
	iosim_vma_destroy(vma);

	for (nth = 1; nth <= calls; nth++) {
		iosim_fault_fail_nth(host, nth);
		assert_null(iosim_vma_create(3 * PAGE_SIZE, 0));
		assert_int_equal(iosim_fault_injected(), 1);
		assert_int_equal(iosim_live(IOSIM_OBJ_VMA), 0);
	}
	iosim_fault_reset();

	vma = iosim_vma_create(3 * PAGE_SIZE, 0);
	assert_non_null(vma);
	iosim_fault_fail_nth(host, 1);
	assert_int_equal(vm_insert_page(vma, vma->vm_start + PAGE_SIZE, page), -ENOMEM);
	assert_int_equal(iosim_fault_injected(), 1);
	assert_int_equal(page_count(page), 1);
	assert_int_equal(page_mapcount(page), 0);
	assert_null(iosim_vma_page(vma, vma->vm_start + PAGE_SIZE));
	assert_int_equal(iosim_vma_check(vma), 0);
	/* Nothing half-done blocks the next attempt. */
	assert_int_equal(vm_insert_page(vma, vma->vm_start + PAGE_SIZE, page), 0);
	memset((void *)(vma->vm_start + PAGE_SIZE), 0x77, PAGE_SIZE);
	assert_true(iosim_bytes_all(page_address(page), 0x77, PAGE_SIZE));
	assert_int_equal(iosim_vma_check(vma), 0);
	iosim_vma_destroy(vma);
	__free_page(page);
	assert_no_warnings();
}

static void test_vm_insert_page_misuse_is_warned(void **state)
{
	struct vm_area_struct fake = { .vm_start = 0x10000, .vm_end = 0x20000 };
	struct vm_area_struct *vma = iosim_vma_create(PAGE_SIZE, 0);
	struct page *page = alloc_page(GFP_KERNEL);

	(void)state;
	assert_non_null(vma);
	assert_non_null(page);
	assert_int_equal(vm_insert_page(&fake, fake.vm_start, page), -EINVAL);
	assert_warned("not a VMA from iosim_vma_create");
	vma->vm_flags |= VM_PFNMAP;
	assert_int_equal(vm_insert_page(vma, vma->vm_start, page), -EINVAL);
	assert_warned("VM_PFNMAP");
	vma->vm_flags &= ~VM_PFNMAP;
	iosim_vma_destroy(&fake);
	assert_warned("not a live simulated VMA");
	assert_int_equal(iosim_vma_check(&fake), -EUCLEAN);
	assert_warned("not a live simulated VMA");
	assert_null(iosim_vma_page(&fake, fake.vm_start));

	iosim_vma_destroy(vma);
	iosim_vma_destroy(vma);
	assert_warned("not a live simulated VMA");
	assert_int_equal(page_count(page), 1);
	__free_page(page);
}

static void test_vm_pgoff_plays_no_part_in_vm_insert_page(void **state)
{
	struct vm_area_struct *vma = iosim_vma_create(2 * PAGE_SIZE, 3);
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	(void)state;
	assert_non_null(vma);
	assert_non_null(page);
	/* The page given is the page mapped at the address given, whatever vm_pgoff says. */
	assert_int_equal(vm_insert_page(vma, vma->vm_start + PAGE_SIZE, page), 0);
	assert_ptr_equal(iosim_vma_page(vma, vma->vm_start + PAGE_SIZE), page);
	assert_null(iosim_vma_page(vma, vma->vm_start));
	((char *)vma->vm_start)[PAGE_SIZE + 3] = 'x';
	assert_int_equal(((char *)page_address(page))[3], 'x');
	assert_int_equal(vma->vm_pgoff, 3);
	iosim_vma_destroy(vma);
	__free_page(page);
}

static void test_read_only_vma_maps_pages_readable(void **state)
{
	struct vm_area_struct *vma = iosim_vma_create(PAGE_SIZE, 0);
	struct page *page = alloc_page(GFP_KERNEL);

	(void)state;
	assert_non_null(vma);
	assert_non_null(page);
	memset(page_address(page), 0x4d, PAGE_SIZE);
	vma->vm_flags &= ~(VM_WRITE | VM_MAYWRITE);
	assert_int_equal(vm_insert_page(vma, vma->vm_start, page), 0);
	assert_true(iosim_bytes_all((void *)vma->vm_start, 0x4d, PAGE_SIZE));
	assert_int_equal(iosim_vma_check(vma), 0);
	iosim_vma_destroy(vma);
	__free_page(page);
}

static void test_compound_tail_insert_references_the_head(void **state)
{
	struct vm_area_struct *vma = iosim_vma_create(4 * PAGE_SIZE, 0);
	struct page *head = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	unsigned int i;

	(void)state;
	assert_non_null(vma);
	assert_non_null(head);
	for (i = 0; i < 4; i++)
		assert_int_equal(vm_insert_page(vma, vma->vm_start + i * PAGE_SIZE, head + i), 0);
	assert_int_equal(page_count(head), 5);
	memset((void *)vma->vm_start, 0x71, 4 * PAGE_SIZE);
	assert_true(iosim_bytes_all(page_address(head), 0x71, 4 * PAGE_SIZE));
	__free_pages(head, 2);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 4);
	iosim_vma_destroy(vma);	/* the last put frees the compound page */
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
}

static void test_vma_check_reports_a_mapping_that_lost_its_page(void **state)
{
	struct vm_area_struct *vma = iosim_vma_create(PAGE_SIZE, 0);
	struct page *page = alloc_page(GFP_KERNEL);

	(void)state;
	assert_non_null(vma);
	assert_non_null(page);
	assert_int_equal(vm_insert_page(vma, vma->vm_start, page), 0);
	/* Corrupt the map count behind the VMA's back. */
	atomic_dec(&page->_mapcount);
	assert_int_equal(iosim_vma_check(vma), -EUCLEAN);
	assert_warned("no longer in use");
	atomic_inc(&page->_mapcount);
	vma->vm_end += PAGE_SIZE;
	assert_int_equal(iosim_vma_check(vma), -EUCLEAN);
	assert_warned("moved or resized");
	vma->vm_end -= PAGE_SIZE;
	assert_int_equal(iosim_vma_check(vma), 0);
	iosim_vma_destroy(vma);
	__free_page(page);
}

/*
 * The shape of a DMA buffer's mmap handler: insert pages[vm_pgoff + i] at
 * vm_start + i pages, for as long as both the buffer and the VMA last.
 */
static int mmap_pages(struct page **pages, unsigned int count, struct vm_area_struct *vma)
{
	unsigned long uaddr = vma->vm_start;
	unsigned int i;
	int ret = -ENXIO;

	for (i = (unsigned int)vma->vm_pgoff; i < count && uaddr < vma->vm_end; i++) {
		ret = vm_insert_page(vma, uaddr, pages[i]);
		if (ret)
			break;
		uaddr += PAGE_SIZE;
	}
	return ret;
}

static void test_mmap_of_a_buffer_at_an_offset_shows_the_right_pages(void **state)
{
	struct page *pages[6];
	struct vm_area_struct *vma;
	unsigned int i;

	(void)state;
	for (i = 0; i < 6; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		assert_non_null(pages[i]);
		memset(page_address(pages[i]), 'a' + i, PAGE_SIZE);
	}
	vma = iosim_vma_create(3 * PAGE_SIZE, 2);
	assert_non_null(vma);
	assert_int_equal(mmap_pages(pages, 6, vma), 0);
	for (i = 0; i < 3; i++)
		assert_true(iosim_bytes_all((char *)vma->vm_start + i * PAGE_SIZE, 'c' + i, PAGE_SIZE));
	assert_int_equal(iosim_vma_check(vma), 0);
	iosim_vma_destroy(vma);
	for (i = 0; i < 6; i++)
		__free_page(pages[i]);
}

static void test_failure_sweep_over_allocating_and_mapping_a_buffer(void **state)
{
	unsigned int site_mask = IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC) |
				 IOSIM_FAULT_SITE(IOSIM_FAULT_VM_INSERT);
	unsigned long nth, failures = 0;

	(void)state;
	for (nth = 1; nth < 100; nth++) {
		struct vm_area_struct *vma = iosim_vma_create(4 * PAGE_SIZE, 0);
		struct page *pages[4];
		unsigned int i, got = 0;
		int ret = 0;

		assert_non_null(vma);
		iosim_fault_fail_nth(site_mask, nth);
		for (i = 0; i < 4 && !ret; i++) {
			pages[i] = alloc_page(GFP_KERNEL | __GFP_NOWARN);
			if (pages[i])
				got++;
			else
				ret = -ENOMEM;
		}
		if (!ret)
			ret = mmap_pages(pages, 4, vma);
		if (ret) {
			failures++;
		} else {
			memset((void *)vma->vm_start, 0x5a, 4 * PAGE_SIZE);
			for (i = 0; i < 4; i++)
				assert_true(iosim_bytes_all(page_address(pages[i]), 0x5a, PAGE_SIZE));
			assert_int_equal(iosim_vma_check(vma), 0);
		}
		/* Whatever happened, tearing down frees everything. */
		for (i = 0; i < got; i++)
			__free_page(pages[i]);
		iosim_vma_destroy(vma);
		assert_int_equal(iosim_live_total(), 0);
		assert_int_equal(iosim_ram_check(), 0);
		if (!ret && !iosim_fault_injected())
			break;
	}
	assert_int_equal(failures, 8);	/* 4 page allocations + 4 insertions */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM(test_vma_create_reserves_an_aligned_shared_mapping),
		IOSIM_TEST_RAM(test_vma_create_of_nothing_is_warned),
		IOSIM_TEST_RAM(test_user_writes_reach_the_page_and_back),
		IOSIM_TEST_RAM(test_destroying_the_vma_frees_a_page_its_owner_already_released),
		IOSIM_TEST_RAM(test_vma_check_reports_a_user_page_that_shows_other_memory),
		IOSIM_TEST_RAM(test_vm_insert_page_outside_or_unaligned_returns_efault),
		IOSIM_TEST_RAM(test_vm_insert_page_of_unusable_page_returns_einval),
		IOSIM_TEST_RAM(test_vm_insert_page_twice_at_one_address_returns_ebusy),
		IOSIM_TEST_RAM(test_injected_vm_insert_failure_returns_enomem_and_maps_nothing),
		IOSIM_TEST_RAM(test_host_failures_fail_vma_create_and_vm_insert_page_cleanly),
		IOSIM_TEST_RAM(test_vm_insert_page_misuse_is_warned),
		IOSIM_TEST_RAM(test_vm_pgoff_plays_no_part_in_vm_insert_page),
		IOSIM_TEST_RAM(test_read_only_vma_maps_pages_readable),
		IOSIM_TEST_RAM(test_compound_tail_insert_references_the_head),
		IOSIM_TEST_RAM(test_vma_check_reports_a_mapping_that_lost_its_page),
		IOSIM_TEST_RAM(test_mmap_of_a_buffer_at_an_offset_shows_the_right_pages),
		IOSIM_TEST_RAM(test_failure_sweep_over_allocating_and_mapping_a_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
