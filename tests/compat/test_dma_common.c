// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The generic DMA helpers of drivers/base/dma-mapping.c: dma_common_mmap()
 * (non-cached user mapping honouring vm_pgoff, -ENXIO for a VMA that does
 * not fit, the device's coherent region first), dma_common_get_sgtable()
 * and dma_common_contiguous_remap(), each under failure injection.
 */
#include <linux/kernel.h>
#include "ram_fixture.h"

#include <string.h>

#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#include <asm-generic/dma-coherent.h>
#include <asm-generic/dma-mapping-common.h>
#include <iosim/device.h>
#include <iosim/dma_coherent.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/sg.h>
#include <iosim/vma.h>

#define BUF_ORDER	2
#define BUF_PAGES	(1 << BUF_ORDER)

struct fixture {
	struct device *dev;
	struct page *pages;	/* BUF_PAGES split pages */
	unsigned char *cpu;	/* their linear-map address */
};

static void fixture_init(struct fixture *f)
{
	struct iosim_device_config cfg = { .name = "dma-common-dev" };

	f->dev = iosim_device_create(&cfg);
	assert_non_null(f->dev);
	f->pages = alloc_pages(GFP_KERNEL, BUF_ORDER);
	assert_non_null(f->pages);
	split_page(f->pages, BUF_ORDER);	/* each page referenced, as from CMA */
	f->cpu = page_address(f->pages);
	memset(f->cpu, 0, BUF_PAGES * PAGE_SIZE);
}

static void fixture_fini(struct fixture *f)
{
	int i;

	iosim_device_destroy(f->dev);
	for (i = 0; i < BUF_PAGES; i++)
		__free_page(nth_page(f->pages, i));
}

static void test_common_mmap_maps_from_pgoff_noncached(void **state)
{
	struct vm_area_struct *vma;
	struct fixture f;
	unsigned char *user;

	(void)state;
	fixture_init(&f);
	vma = iosim_vma_create(2 * PAGE_SIZE, 1);
	assert_non_null(vma);
	assert_int_equal(dma_common_mmap(f.dev, vma, f.cpu, 0x1000, BUF_PAGES * PAGE_SIZE), 0);
	assert_int_equal(pgprot_val(vma->vm_page_prot), pgprot_val(pgprot_noncached(PAGE_SHARED)));
	assert_ptr_equal(iosim_vma_page(vma, vma->vm_start), nth_page(f.pages, 1));
	assert_ptr_equal(iosim_vma_page(vma, vma->vm_end - 1), nth_page(f.pages, 2));
	user = (unsigned char *)vma->vm_start;
	user[PAGE_SIZE + 3] = 0x42;
	assert_int_equal(f.cpu[2 * PAGE_SIZE + 3], 0x42);
	assert_int_equal(iosim_vma_check(vma), 0);
	iosim_vma_destroy(vma);

	/* A size that is not a page multiple still covers its last page. */
	vma = iosim_vma_create(PAGE_SIZE, 3);
	assert_non_null(vma);
	assert_int_equal(dma_common_mmap(f.dev, vma, f.cpu, 0, 3 * PAGE_SIZE + 1), 0);
	assert_ptr_equal(iosim_vma_page(vma, vma->vm_start), nth_page(f.pages, 3));
	iosim_vma_destroy(vma);
	fixture_fini(&f);
}

static void test_common_mmap_refuses_a_vma_past_the_buffer(void **state)
{
	struct vm_area_struct *vma;
	struct fixture f;

	(void)state;
	fixture_init(&f);
	vma = iosim_vma_create(2 * PAGE_SIZE, 3);	/* pages 3-4 of a 4-page buffer */
	assert_non_null(vma);
	assert_int_equal(dma_common_mmap(f.dev, vma, f.cpu, 0, BUF_PAGES * PAGE_SIZE), -ENXIO);
	assert_null(iosim_vma_page(vma, vma->vm_start));
	/* The memory type is changed even so, as in the kernel. */
	assert_int_equal(pgprot_val(vma->vm_page_prot), pgprot_val(pgprot_noncached(PAGE_SHARED)));
	iosim_vma_destroy(vma);

	vma = iosim_vma_create(PAGE_SIZE, BUF_PAGES);	/* pgoff at the end */
	assert_non_null(vma);
	assert_int_equal(dma_common_mmap(f.dev, vma, f.cpu, 0, BUF_PAGES * PAGE_SIZE), -ENXIO);
	iosim_vma_destroy(vma);
	vma = iosim_vma_create(5 * PAGE_SIZE, 0);	/* bigger than the buffer */
	assert_non_null(vma);
	assert_int_equal(dma_common_mmap(f.dev, vma, f.cpu, 0, BUF_PAGES * PAGE_SIZE), -ENXIO);
	assert_int_equal(iosim_vma_check(vma), 0);
	iosim_vma_destroy(vma);
	fixture_fini(&f);
}

static void test_common_mmap_lets_the_coherent_region_map_its_memory(void **state)
{
	struct vm_area_struct *vma;
	struct fixture f;
	dma_addr_t dma;
	void *buf;

	(void)state;
	fixture_init(&f);
	assert_int_equal(dma_declare_coherent_memory(f.dev, page_to_phys(f.pages), 0x10000,
						     BUF_PAGES * PAGE_SIZE, DMA_MEMORY_MAP),
			 DMA_MEMORY_MAP);
	assert_int_equal(dma_alloc_from_coherent(f.dev, 2 * PAGE_SIZE, &dma, &buf), 1);
	/* buf is a vmap alias, not the linear map: only the region can map it. */
	vma = iosim_vma_create(PAGE_SIZE, 1);
	assert_non_null(vma);
	assert_int_equal(dma_common_mmap(f.dev, vma, buf, dma, 2 * PAGE_SIZE), 0);
	assert_ptr_equal(iosim_vma_page(vma, vma->vm_start), nth_page(f.pages, 1));
	assert_int_equal(pgprot_val(vma->vm_page_prot), pgprot_val(pgprot_noncached(PAGE_SHARED)));
	iosim_vma_destroy(vma);
	/* The region's -ENXIO is passed on. */
	vma = iosim_vma_create(2 * PAGE_SIZE, 1);
	assert_non_null(vma);
	assert_int_equal(dma_common_mmap(f.dev, vma, buf, dma, 2 * PAGE_SIZE), -ENXIO);
	iosim_vma_destroy(vma);
	assert_int_equal(dma_release_from_coherent(f.dev, 1, buf), 1);
	assert_int_equal(iosim_dma_coherent_check(f.dev), 0);
	dma_release_declared_memory(f.dev);
	fixture_fini(&f);
}

static void test_common_mmap_survives_insert_failures(void **state)
{
	struct fixture f;
	unsigned long n;
	int ret;

	(void)state;
	fixture_init(&f);
	for (n = 1;; n++) {
		struct vm_area_struct *vma = iosim_vma_create(3 * PAGE_SIZE, 1);

		assert_non_null(vma);
		iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_VM_INSERT), n);
		ret = dma_common_mmap(f.dev, vma, f.cpu, 0, BUF_PAGES * PAGE_SIZE);
		iosim_fault_reset();
		assert_int_equal(iosim_vma_check(vma), 0);
		iosim_vma_destroy(vma);
		if (!ret)
			break;
		assert_int_equal(ret, -ENOMEM);
	}
	assert_int_equal(n, 4);		/* three inserts could fail */
	assert_int_equal(page_count(nth_page(f.pages, 1)), 1);
	fixture_fini(&f);
}

static void test_common_get_sgtable_is_one_page_aligned_entry(void **state)
{
	struct sg_table sgt;
	struct fixture f;
	unsigned long n, slab;
	int ret;

	(void)state;
	fixture_init(&f);
	slab = iosim_live(IOSIM_OBJ_SLAB);
	for (n = 1;; n++) {
		memset(&sgt, 0, sizeof(sgt));
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		ret = dma_common_get_sgtable(f.dev, &sgt, f.cpu + PAGE_SIZE, 0x2000,
					     2 * PAGE_SIZE - 7);
		iosim_fault_reset();
		if (!ret)
			break;
		assert_int_equal(ret, -ENOMEM);
		assert_null(sgt.sgl);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	}
	assert_true(n >= 2);	/* the table's allocation could fail */
	assert_int_equal(sgt.orig_nents, 1);
	assert_int_equal(sgt.nents, 1);
	assert_ptr_equal(sg_page(sgt.sgl), nth_page(f.pages, 1));
	assert_int_equal(sgt.sgl->offset, 0);
	assert_int_equal(sgt.sgl->length, 2 * PAGE_SIZE);
	assert_true(sg_is_last(sgt.sgl));
	assert_int_equal(iosim_sg_table_check(&sgt), 0);
	sg_free_table(&sgt);
	fixture_fini(&f);
}

static void test_common_contiguous_remap_aliases_the_pages(void **state)
{
	const pgprot_t prot = pgprot_writecombine(PAGE_KERNEL);
	struct vm_struct *area;
	struct fixture f;
	unsigned char *alias;
	unsigned long n, slab;

	(void)state;
	fixture_init(&f);
	slab = iosim_live(IOSIM_OBJ_SLAB);
	for (n = 1;; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		alias = dma_common_contiguous_remap(f.pages, 3 * PAGE_SIZE - 1, VM_USERMAP, prot,
						    test_common_contiguous_remap_aliases_the_pages);
		iosim_fault_reset();
		if (alias)
			break;
		assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 0);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	}
	assert_true(n >= 3);	/* at least the page array and the vmap could fail */
	/* The temporary page array is gone and not referenced. */
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	area = find_vm_area(alias);
	assert_non_null(area);
	assert_null(area->pages);
	assert_int_equal(area->nr_pages, 3);
	assert_true(area->flags & VM_USERMAP);
	assert_int_equal(pgprot_val(area->iosim_prot), pgprot_val(prot));
	assert_ptr_equal(area->caller, test_common_contiguous_remap_aliases_the_pages);
	assert_ptr_equal(vmalloc_to_page(alias + 2 * PAGE_SIZE), nth_page(f.pages, 2));
	alias[2 * PAGE_SIZE + 9] = 0x31;
	assert_int_equal(f.cpu[2 * PAGE_SIZE + 9], 0x31);
	assert_int_equal(iosim_vmalloc_check(), 0);
	dma_common_free_remap(alias, 3 * PAGE_SIZE - 1, VM_USERMAP);
	assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 0);

	assert_null(dma_common_contiguous_remap(f.pages, 0, VM_USERMAP, prot, NULL));
	fixture_fini(&f);
}

/*
 * Without the cache model: these tests read what one alias wrote through
 * another (docs/cache-model.md covers the non-coherent view of the same).
 */
int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM_COHERENT(test_common_mmap_maps_from_pgoff_noncached),
		IOSIM_TEST_RAM_COHERENT(test_common_mmap_refuses_a_vma_past_the_buffer),
		IOSIM_TEST_RAM_COHERENT(test_common_mmap_lets_the_coherent_region_map_its_memory),
		IOSIM_TEST_RAM_COHERENT(test_common_mmap_survives_insert_failures),
		IOSIM_TEST_RAM_COHERENT(test_common_get_sgtable_is_one_page_aligned_entry),
		IOSIM_TEST_RAM_COHERENT(test_common_contiguous_remap_aliases_the_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
