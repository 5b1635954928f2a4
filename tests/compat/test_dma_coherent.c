// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Per-device coherent memory: declaring a region (return conventions,
 * refusals, the write-combining alias of the caller's pages), aligned
 * order-sized allocation, EXCLUSIVE fall-back rules, release and its
 * misuse, marking memory occupied, mmap honouring vm_pgoff, the checker
 * against corruption, and allocation-failure sweeps.
 */
#include <linux/kernel.h>
#include "ram_fixture.h"

#include <string.h>

#include <linux/device.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#include <asm-generic/dma-coherent.h>
#include <iosim/device.h>
#include <iosim/dma_coherent.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/vma.h>

#define REGION_ORDER	3			/* 8 pages */
#define REGION_PAGES	(1 << REGION_ORDER)
#define DEV_BASE	0x40000000ULL		/* the region as the device sees it */

struct fixture {
	struct device *dev;
	struct page *pages;
	phys_addr_t phys;
};

static void fixture_init(struct fixture *f)
{
	struct iosim_device_config cfg = { .name = "coherent-dev" };

	f->dev = iosim_device_create(&cfg);
	assert_non_null(f->dev);
	f->pages = alloc_pages(GFP_KERNEL, REGION_ORDER);
	assert_non_null(f->pages);
	/* Each page its own reference, as CMA gives them: vm_insert_page() needs it. */
	split_page(f->pages, REGION_ORDER);
	f->phys = page_to_phys(f->pages);
}

static void fixture_declare(struct fixture *f, int flags)
{
	fixture_init(f);
	assert_int_equal(dma_declare_coherent_memory(f->dev, f->phys, DEV_BASE,
						     REGION_PAGES * PAGE_SIZE, flags),
			 (flags & DMA_MEMORY_MAP) ? DMA_MEMORY_MAP : DMA_MEMORY_IO);
	assert_int_equal(iosim_dma_coherent_check(f->dev), 0);
}

static void fixture_fini(struct fixture *f)
{
	int i;

	dma_release_declared_memory(f->dev);
	assert_null(f->dev->dma_mem);
	iosim_device_destroy(f->dev);
	for (i = 0; i < REGION_PAGES; i++)
		__free_page(nth_page(f->pages, i));
}

/* The region's page @i through the linear map. */
static unsigned char *region_page(struct fixture *f, int i)
{
	return (unsigned char *)page_address(f->pages) + (size_t)i * PAGE_SIZE;
}

static void test_declare_maps_the_callers_pages_write_combining(void **state)
{
	struct fixture f;
	struct vm_struct *area;
	unsigned char *cpu;
	dma_addr_t dma;
	void *ret;

	(void)state;
	fixture_declare(&f, DMA_MEMORY_MAP);
	assert_non_null(f.dev->dma_mem);
	assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 1);

	assert_int_equal(dma_alloc_from_coherent(f.dev, PAGE_SIZE, &dma, &ret), 1);
	cpu = ret;
	assert_int_equal(dma, DEV_BASE);
	area = find_vm_area(cpu);
	assert_non_null(area);
	assert_int_equal(pgprot_val(area->iosim_prot),
			 pgprot_val(pgprot_writecombine(PAGE_KERNEL)));
	assert_int_equal(area->nr_pages, REGION_PAGES);
	/* The alias and the page are the same memory. */
	memset(cpu, 0x5a, 64);
	assert_int_equal(region_page(&f, 0)[63], 0x5a);
	region_page(&f, 0)[100] = 0x11;
	assert_int_equal(cpu[100], 0x11);
	assert_ptr_equal(vmalloc_to_page(cpu), f.pages);
	assert_int_equal(dma_release_from_coherent(f.dev, 0, cpu), 1);
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);
	fixture_fini(&f);
	assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 0);
}

static void test_declare_returns_io_without_map(void **state)
{
	struct fixture f;

	(void)state;
	fixture_declare(&f, DMA_MEMORY_IO | DMA_MEMORY_INCLUDES_CHILDREN);
	fixture_fini(&f);
	fixture_declare(&f, DMA_MEMORY_MAP | DMA_MEMORY_IO);	/* MAP wins */
	fixture_fini(&f);
}

static void test_alloc_takes_aligned_runs_and_zeroes_them(void **state)
{
	struct fixture f;
	dma_addr_t dma[4];
	void *ret[4];

	(void)state;
	fixture_declare(&f, DMA_MEMORY_MAP);
	memset(page_address(f.pages), 0xee, REGION_PAGES * PAGE_SIZE);

	assert_int_equal(dma_alloc_from_coherent(f.dev, 100, &dma[0], &ret[0]), 1);
	/* Two pages: naturally aligned, so pages 2-3, not 1-2. */
	assert_int_equal(dma_alloc_from_coherent(f.dev, 2 * PAGE_SIZE, &dma[1], &ret[1]), 1);
	assert_int_equal(dma[1], DEV_BASE + 2 * PAGE_SIZE);
	assert_ptr_equal(ret[1], (char *)ret[0] + 2 * PAGE_SIZE);
	/* One page fills the hole at page 1. */
	assert_int_equal(dma_alloc_from_coherent(f.dev, PAGE_SIZE, &dma[2], &ret[2]), 1);
	assert_int_equal(dma[2], DEV_BASE + PAGE_SIZE);
	/* Three pages round up to four: pages 4-7. */
	assert_int_equal(dma_alloc_from_coherent(f.dev, 3 * PAGE_SIZE, &dma[3], &ret[3]), 1);
	assert_int_equal(dma[3], DEV_BASE + 4 * PAGE_SIZE);
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);

	/* Memset covers exactly the size asked for. */
	assert_int_equal(region_page(&f, 0)[99], 0);
	assert_int_equal(region_page(&f, 0)[100], 0xee);
	assert_int_equal(region_page(&f, 3)[PAGE_SIZE - 1], 0);
	assert_int_equal(region_page(&f, 6)[PAGE_SIZE - 1], 0);
	assert_int_equal(region_page(&f, 7)[0], 0xee);

	assert_int_equal(dma_release_from_coherent(f.dev, 1, ret[1]), 1);
	assert_int_equal(dma_release_from_coherent(f.dev, 0, ret[0]), 1);
	assert_int_equal(dma_release_from_coherent(f.dev, 0, ret[2]), 1);
	assert_int_equal(dma_release_from_coherent(f.dev, 2, ret[3]), 1);
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);
	/* Everything is free again: the whole region in one run. */
	assert_int_equal(dma_alloc_from_coherent(f.dev, REGION_PAGES * PAGE_SIZE, &dma[0],
						 &ret[0]), 1);
	assert_int_equal(dma[0], DEV_BASE);
	assert_int_equal(dma_release_from_coherent(f.dev, REGION_ORDER, ret[0]), 1);
	fixture_fini(&f);
}

static void test_exhausted_region_falls_back_unless_exclusive(void **state)
{
	struct fixture f;
	dma_addr_t dma = 0;
	void *all, *ret = (void *)1;

	(void)state;
	/* Not exclusive: "not handled", the caller allocates elsewhere. */
	fixture_declare(&f, DMA_MEMORY_MAP);
	assert_int_equal(dma_alloc_from_coherent(f.dev, (REGION_PAGES + 1) * PAGE_SIZE, &dma,
						 &ret), 0);
	assert_null(ret);
	assert_int_equal(dma_alloc_from_coherent(f.dev, REGION_PAGES * PAGE_SIZE, &dma, &all), 1);
	ret = (void *)1;
	assert_int_equal(dma_alloc_from_coherent(f.dev, 1, &dma, &ret), 0);
	assert_null(ret);
	assert_int_equal(dma_release_from_coherent(f.dev, REGION_ORDER, all), 1);
	fixture_fini(&f);

	/* Exclusive: handled, with no memory. */
	fixture_declare(&f, DMA_MEMORY_MAP | DMA_MEMORY_EXCLUSIVE);
	assert_int_equal(dma_alloc_from_coherent(f.dev, REGION_PAGES * PAGE_SIZE, &dma, &all), 1);
	assert_non_null(all);
	ret = (void *)1;
	assert_int_equal(dma_alloc_from_coherent(f.dev, 1, &dma, &ret), 1);
	assert_null(ret);
	ret = (void *)1;
	assert_int_equal(dma_alloc_from_coherent(f.dev, (REGION_PAGES + 1) * PAGE_SIZE, &dma,
						 &ret), 1);
	assert_null(ret);
	assert_int_equal(dma_release_from_coherent(f.dev, REGION_ORDER, all), 1);
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);
	fixture_fini(&f);
}

static void test_device_without_a_region_is_not_handled(void **state)
{
	struct iosim_device_config cfg = { .name = "plain" };
	struct device *dev = iosim_device_create(&cfg);
	struct vm_area_struct *vma = iosim_vma_create(PAGE_SIZE, 0);
	dma_addr_t dma = 3;
	void *ret = (void *)2;
	int err = 5;

	(void)state;
	assert_non_null(dev);
	assert_non_null(vma);
	assert_int_equal(dma_alloc_from_coherent(dev, PAGE_SIZE, &dma, &ret), 0);
	assert_int_equal(dma_alloc_from_coherent(NULL, PAGE_SIZE, &dma, &ret), 0);
	assert_ptr_equal(ret, (void *)2);
	assert_int_equal(dma, 3);
	assert_int_equal(dma_release_from_coherent(dev, 0, ret), 0);
	assert_int_equal(dma_release_from_coherent(NULL, 0, ret), 0);
	assert_int_equal(dma_mmap_from_coherent(dev, vma, ret, PAGE_SIZE, &err), 0);
	assert_int_equal(err, 5);
	assert_ptr_equal(dma_mark_declared_memory_occupied(dev, DEV_BASE, PAGE_SIZE),
			 ERR_PTR(-EINVAL));
	dma_release_declared_memory(dev);	/* nothing to release */
	dma_release_declared_memory(NULL);
	assert_int_equal(iosim_dma_coherent_check(dev), 0);
	iosim_vma_destroy(vma);
	iosim_device_destroy(dev);
}

static void test_declare_refuses_bad_requests_and_changes_nothing(void **state)
{
	struct fixture f;
	struct page *freed;
	phys_addr_t freed_phys;

	(void)state;
	fixture_init(&f);
	/* Quietly refused, as in the kernel. */
	assert_int_equal(dma_declare_coherent_memory(f.dev, f.phys, DEV_BASE, PAGE_SIZE,
						     DMA_MEMORY_EXCLUSIVE), 0);
	assert_int_equal(dma_declare_coherent_memory(f.dev, f.phys, DEV_BASE, PAGE_SIZE - 1,
						     DMA_MEMORY_MAP), 0);
	assert_null(f.dev->dma_mem);
	/* WARNed: what the simulation cannot map. */
	assert_int_equal(dma_declare_coherent_memory(f.dev, f.phys + 8, DEV_BASE, PAGE_SIZE,
						     DMA_MEMORY_MAP), 0);
	assert_warned("not page aligned");
	freed = alloc_page(GFP_KERNEL);
	assert_non_null(freed);
	freed_phys = page_to_phys(freed);
	__free_page(freed);
	assert_int_equal(dma_declare_coherent_memory(f.dev, freed_phys, DEV_BASE, PAGE_SIZE,
						     DMA_MEMORY_MAP), 0);
	assert_warned("not allocated simulated RAM");
	/* One page past the caller's block. */
	assert_int_equal(dma_declare_coherent_memory(f.dev, f.phys, DEV_BASE,
						     (REGION_PAGES + 1) * PAGE_SIZE,
						     DMA_MEMORY_MAP), 0);
	assert_warned("not allocated simulated RAM");
	assert_int_equal(dma_declare_coherent_memory(NULL, f.phys, DEV_BASE, PAGE_SIZE,
						     DMA_MEMORY_MAP), 0);
	assert_warned("NULL device");
	assert_null(f.dev->dma_mem);
	assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 0);

	/* A second region for the same device is refused; the first stays. */
	assert_int_equal(dma_declare_coherent_memory(f.dev, f.phys, DEV_BASE, PAGE_SIZE,
						     DMA_MEMORY_MAP), DMA_MEMORY_MAP);
	assert_int_equal(dma_declare_coherent_memory(f.dev, f.phys + PAGE_SIZE, DEV_BASE,
						     PAGE_SIZE, DMA_MEMORY_MAP), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 1);
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);
	fixture_fini(&f);
}

static void test_bad_release_is_warned_and_frees_nothing(void **state)
{
	struct fixture f;
	dma_addr_t dma;
	void *a, *b;

	(void)state;
	fixture_declare(&f, DMA_MEMORY_MAP);
	assert_int_equal(dma_alloc_from_coherent(f.dev, PAGE_SIZE, &dma, &a), 1);
	assert_int_equal(dma_alloc_from_coherent(f.dev, 2 * PAGE_SIZE, &dma, &b), 1);
	/* Outside the region: not ours, quietly. */
	assert_int_equal(dma_release_from_coherent(f.dev, 0, page_address(f.pages)), 0);
	/* Inside it, but not an allocation. */
	assert_int_equal(dma_release_from_coherent(f.dev, 0, (char *)a + PAGE_SIZE), 1);
	assert_warned("is not allocated");
	assert_int_equal(dma_release_from_coherent(f.dev, 1, (char *)b + PAGE_SIZE), 1);
	assert_warned("is not an allocation");
	/* Pages 0-3: a (0) and b (2-3) are allocated, page 1 is not. */
	assert_int_equal(dma_release_from_coherent(f.dev, 2, a), 1);
	assert_warned("is not allocated");
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);
	assert_int_equal(dma_release_from_coherent(f.dev, 0, a), 1);
	assert_int_equal(dma_release_from_coherent(f.dev, 0, a), 1);	/* double free */
	assert_warned("is not allocated");
	/* b is still allocated: the run is not handed out again. */
	assert_int_equal(dma_alloc_from_coherent(f.dev, 2 * PAGE_SIZE, &dma, &a), 1);
	assert_ptr_not_equal(a, b);
	assert_int_equal(dma_release_from_coherent(f.dev, 1, a), 1);
	assert_int_equal(dma_release_from_coherent(f.dev, 1, b), 1);
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);
	fixture_fini(&f);
}

static void test_release_declared_memory_with_allocations_warns(void **state)
{
	struct fixture f;
	dma_addr_t dma;
	void *a;

	(void)state;
	fixture_declare(&f, DMA_MEMORY_MAP);
	assert_int_equal(dma_alloc_from_coherent(f.dev, PAGE_SIZE, &dma, &a), 1);
	dma_release_declared_memory(f.dev);
	assert_warned("still allocated");
	assert_null(f.dev->dma_mem);
	assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 0);
	fixture_fini(&f);
}

static void test_mark_occupied_reserves_pages_from_allocation(void **state)
{
	struct fixture f;
	dma_addr_t dma;
	void *mark, *a;

	(void)state;
	fixture_declare(&f, DMA_MEMORY_MAP);
	/* An unaligned address covers its page and what the size reaches. */
	mark = dma_mark_declared_memory_occupied(f.dev, DEV_BASE + 2 * PAGE_SIZE + 16, PAGE_SIZE);
	assert_false(IS_ERR(mark));
	assert_ptr_equal(vmalloc_to_page(mark), nth_page(f.pages, 2));
	/* PAGE_SIZE + 16 bytes: two pages, 2 and 3. */
	assert_ptr_equal(dma_mark_declared_memory_occupied(f.dev, DEV_BASE + 3 * PAGE_SIZE, 1),
			 ERR_PTR(-EBUSY));
	assert_int_equal(dma_alloc_from_coherent(f.dev, 2 * PAGE_SIZE, &dma, &a), 1);
	assert_int_equal(dma, DEV_BASE);
	assert_int_equal(dma_release_from_coherent(f.dev, 1, a), 1);
	assert_int_equal(dma_alloc_from_coherent(f.dev, 4 * PAGE_SIZE, &dma, &a), 1);
	assert_int_equal(dma, DEV_BASE + 4 * PAGE_SIZE);
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);

	/* Outside the region. */
	assert_ptr_equal(dma_mark_declared_memory_occupied(f.dev, DEV_BASE - PAGE_SIZE, 1),
			 ERR_PTR(-EINVAL));
	assert_warned("outside the region");
	assert_ptr_equal(dma_mark_declared_memory_occupied(f.dev, DEV_BASE + 7 * PAGE_SIZE,
							   2 * PAGE_SIZE),
			 ERR_PTR(-EINVAL));
	assert_warned("outside the region");

	assert_int_equal(dma_release_from_coherent(f.dev, 2, a), 1);
	assert_int_equal(dma_release_from_coherent(f.dev, 1, mark), 1);
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);
	fixture_fini(&f);
}

static void test_mmap_from_coherent_honours_pgoff_and_size(void **state)
{
	struct vm_area_struct *vma;
	struct fixture f;
	unsigned char *cpu, *user;
	dma_addr_t dma;
	void *ret;
	int err;

	(void)state;
	fixture_declare(&f, DMA_MEMORY_MAP);
	/* Pages 4-7 of the region. */
	assert_int_equal(dma_alloc_from_coherent(f.dev, PAGE_SIZE, &dma, &ret), 1);
	assert_int_equal(dma_alloc_from_coherent(f.dev, 4 * PAGE_SIZE, &dma, (void **)&cpu), 1);
	assert_int_equal(dma, DEV_BASE + 4 * PAGE_SIZE);

	vma = iosim_vma_create(2 * PAGE_SIZE, 1);	/* pages 1-2 of the buffer */
	assert_non_null(vma);
	assert_int_equal(dma_mmap_from_coherent(f.dev, vma, cpu, 4 * PAGE_SIZE, &err), 1);
	assert_int_equal(err, 0);
	assert_ptr_equal(iosim_vma_page(vma, vma->vm_start), nth_page(f.pages, 5));
	assert_ptr_equal(iosim_vma_page(vma, vma->vm_start + PAGE_SIZE), nth_page(f.pages, 6));
	user = (unsigned char *)vma->vm_start;
	user[0] = 0x77;
	assert_int_equal(cpu[PAGE_SIZE], 0x77);
	assert_int_equal(iosim_vma_check(vma), 0);
	iosim_vma_destroy(vma);

	/* Runs one page past the buffer. */
	vma = iosim_vma_create(2 * PAGE_SIZE, 3);
	assert_non_null(vma);
	assert_int_equal(dma_mmap_from_coherent(f.dev, vma, cpu, 4 * PAGE_SIZE, &err), 1);
	assert_int_equal(err, -ENXIO);
	assert_null(iosim_vma_page(vma, vma->vm_start));
	iosim_vma_destroy(vma);
	vma = iosim_vma_create(PAGE_SIZE, 4);
	assert_non_null(vma);
	assert_int_equal(dma_mmap_from_coherent(f.dev, vma, cpu, 4 * PAGE_SIZE, &err), 1);
	assert_int_equal(err, -ENXIO);
	/* A buffer that does not lie in the region is not handled. */
	err = 9;
	assert_int_equal(dma_mmap_from_coherent(f.dev, vma, cpu, 5 * PAGE_SIZE, &err), 0);
	assert_int_equal(dma_mmap_from_coherent(f.dev, vma, cpu + 1, 4 * PAGE_SIZE, &err), 0);
	assert_int_equal(dma_mmap_from_coherent(f.dev, vma, page_address(f.pages), PAGE_SIZE,
						&err), 0);
	assert_int_equal(err, 9);
	iosim_vma_destroy(vma);

	assert_int_equal(dma_release_from_coherent(f.dev, 2, cpu), 1);
	assert_int_equal(dma_release_from_coherent(f.dev, 0, ret), 1);
	fixture_fini(&f);
}

static void test_mmap_from_coherent_survives_insert_failures(void **state)
{
	struct fixture f;
	dma_addr_t dma;
	void *cpu;
	unsigned long n;
	int err;

	(void)state;
	fixture_declare(&f, DMA_MEMORY_MAP);
	assert_int_equal(dma_alloc_from_coherent(f.dev, 4 * PAGE_SIZE, &dma, &cpu), 1);
	for (n = 1;; n++) {
		struct vm_area_struct *vma = iosim_vma_create(4 * PAGE_SIZE, 0);

		assert_non_null(vma);
		iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_VM_INSERT), n);
		assert_int_equal(dma_mmap_from_coherent(f.dev, vma, cpu, 4 * PAGE_SIZE, &err), 1);
		iosim_fault_reset();
		assert_int_equal(iosim_vma_check(vma), 0);
		if (!err) {
			assert_int_equal(n, 5);
			assert_ptr_equal(iosim_vma_page(vma, vma->vm_end - 1), nth_page(f.pages, 3));
			iosim_vma_destroy(vma);
			break;
		}
		assert_int_equal(err, -ENOMEM);
		/* The pages before the failure are mapped, the rest not. */
		assert_null(iosim_vma_page(vma, vma->vm_start + (n - 1) * PAGE_SIZE));
		iosim_vma_destroy(vma);
	}
	assert_int_equal(page_count(f.pages), 1);
	assert_int_equal(dma_release_from_coherent(f.dev, 2, cpu), 1);
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);
	fixture_fini(&f);
}

static void test_declare_survives_every_allocation_failure(void **state)
{
	struct fixture f;
	unsigned long n, slab;
	int ret;

	(void)state;
	fixture_init(&f);
	slab = iosim_live(IOSIM_OBJ_SLAB);
	for (n = 1;; n++) {
		assert_true(n < 10);
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		ret = dma_declare_coherent_memory(f.dev, f.phys, DEV_BASE, REGION_PAGES * PAGE_SIZE,
						  DMA_MEMORY_MAP);
		if (ret)
			break;
		assert_int_equal(iosim_fault_injected(), 1);
		assert_null(f.dev->dma_mem);
		assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 0);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	}
	iosim_fault_reset();
	assert_int_equal(ret, DMA_MEMORY_MAP);
	/* At least the page array, the vmap, mem and bitmap could each fail. */
	assert_true(n >= 5);
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);
	fixture_fini(&f);
}

static void test_dma_coherent_checker_catches_corruption(void **state)
{
	struct fixture f;
	unsigned long *bitmap;
	int *size;

	(void)state;
	/* A 6-page region leaves bits past its end in the bitmap word. */
	fixture_init(&f);
	assert_int_equal(dma_declare_coherent_memory(f.dev, f.phys, DEV_BASE, 6 * PAGE_SIZE,
						     DMA_MEMORY_MAP), DMA_MEMORY_MAP);
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);
	/* struct dma_coherent_mem is private: reach the fields by its 2015 layout. */
	bitmap = *(unsigned long **)((char *)f.dev->dma_mem + sizeof(void *) +
				     sizeof(dma_addr_t) + sizeof(unsigned long) + 2 * sizeof(int));
	size = (int *)((char *)f.dev->dma_mem + sizeof(void *) + sizeof(dma_addr_t) +
		       sizeof(unsigned long));
	assert_int_equal(*size, 6);

	__set_bit(6, bitmap);
	assert_int_equal(iosim_dma_coherent_check(f.dev), -EUCLEAN);
	assert_warned("set past the region");
	__clear_bit(6, bitmap);

	*size = 7;		/* the mapping no longer matches */
	assert_int_equal(iosim_dma_coherent_check(f.dev), -EUCLEAN);
	assert_warned("not a vmap of the region");
	*size = 6;
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);
	assert_int_equal(iosim_dma_coherent_check(NULL), -EUCLEAN);
	assert_warned("NULL device");
	fixture_fini(&f);
}

/*
 * Without the cache model: these tests read what one alias wrote through
 * another (docs/cache-model.md covers the non-coherent view of the same).
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM_COHERENT(test_declare_maps_the_callers_pages_write_combining),
		IOSIM_TEST_RAM_COHERENT(test_declare_returns_io_without_map),
		IOSIM_TEST_RAM_COHERENT(test_alloc_takes_aligned_runs_and_zeroes_them),
		IOSIM_TEST_RAM_COHERENT(test_exhausted_region_falls_back_unless_exclusive),
		IOSIM_TEST_RAM_COHERENT(test_device_without_a_region_is_not_handled),
		IOSIM_TEST_RAM_COHERENT(test_declare_refuses_bad_requests_and_changes_nothing),
		IOSIM_TEST_RAM_COHERENT(test_bad_release_is_warned_and_frees_nothing),
		IOSIM_TEST_RAM_COHERENT(test_release_declared_memory_with_allocations_warns),
		IOSIM_TEST_RAM_COHERENT(test_mark_occupied_reserves_pages_from_allocation),
		IOSIM_TEST_RAM_COHERENT(test_mmap_from_coherent_honours_pgoff_and_size),
		IOSIM_TEST_RAM_COHERENT(test_mmap_from_coherent_survives_insert_failures),
		IOSIM_TEST_RAM_COHERENT(test_declare_survives_every_allocation_failure),
		IOSIM_TEST_RAM_COHERENT(test_dma_coherent_checker_catches_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
