// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * iommu_map_sg() and default_iommu_map_sg() over simulated RAM and the mock
 * driver: layout, coalescing of physically contiguous entries, granules
 * smaller than PAGE_SIZE, and rollback.
 */
#include "mock_iommu.h"

#include <linux/gfp.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>

#include <iosim/sg.h>

#define RW		(IOMMU_READ | IOMMU_WRITE)
#define IOVA_BASE	0x100000000UL

static struct iommu_domain *new_domain(void)
{
	struct iommu_domain *domain = mock_domain_new(IOMMU_DOMAIN_UNMANAGED);

	assert_non_null(domain);
	return domain;
}

static struct page *alloc_block(unsigned int order)
{
	struct page *block = alloc_pages(GFP_KERNEL, order);

	assert_non_null(block);
	return block;
}

/* Every granule of [iova, iova + size) maps to the same place in both domains. */
static void assert_same_mappings(struct iommu_domain *a, struct iommu_domain *b,
				 unsigned long iova, size_t size, size_t granule)
{
	size_t off;

	for (off = 0; off < size; off += granule) {
		phys_addr_t pa = 0, pb = 0;
		bool ma = mock_lookup(a, iova + off, &pa, NULL);
		bool mb = mock_lookup(b, iova + off, &pb, NULL);

		if (ma != mb || pa != pb)
			fail_msg("iova 0x%lx: %s 0x%llx vs %s 0x%llx", iova + off,
				 ma ? "mapped" : "unmapped", (unsigned long long)pa,
				 mb ? "mapped" : "unmapped", (unsigned long long)pb);
	}
}

static void assert_maps_to(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr)
{
	phys_addr_t got = 0;

	if (!mock_lookup(domain, iova, &got, NULL) || got != paddr)
		fail_msg("iova 0x%lx maps to 0x%llx, expected 0x%llx", iova,
			 (unsigned long long)got, (unsigned long long)paddr);
}

static void test_map_sg_coalesces_contiguous_entries_into_blocks(void **state)
{
	unsigned int order = get_order(SZ_2M), nents = SZ_2M / PAGE_SIZE, i;
	struct iommu_domain *coalesced = new_domain(), *per_entry = new_domain();
	struct page *block = alloc_block(order);
	struct scatterlist *s;
	struct sg_table sgt;
	unsigned long calls;

	/* A chained table (more entries than fit one allocation) of single pages. */
	assert_int_equal(sg_alloc_table(&sgt, nents, GFP_KERNEL), 0);
	for_each_sg(sgt.sgl, s, nents, i)
		sg_set_page(s, block + i, PAGE_SIZE, 0);
	assert_int_equal(iosim_sg_table_check(&sgt), 0);

	assert_int_equal(iommu_map_sg(coalesced, IOVA_BASE, sgt.sgl, nents, RW), SZ_2M);
	/* One run, 2M-aligned on both sides: a single block mapping. */
	assert_int_equal(mock_calls(MOCK_MAP), 1);
	assert_int_equal(mock_nth_call(MOCK_MAP, 0)->size, SZ_2M);

	/* What entry-by-entry mapping (the 2015 behaviour) would have made. */
	mock_clear_calls();
	for_each_sg(sgt.sgl, s, nents, i)
		assert_int_equal(iommu_map(per_entry, IOVA_BASE + (unsigned long)i * PAGE_SIZE,
					   page_to_phys(sg_page(s)) + s->offset, s->length, RW), 0);
	calls = mock_calls(MOCK_MAP);
	assert_true(calls > 1);
	assert_int_equal(calls, SZ_2M / SZ_4K);
	assert_same_mappings(coalesced, per_entry, IOVA_BASE, SZ_2M, SZ_4K);

	assert_int_equal(iommu_unmap(coalesced, IOVA_BASE, SZ_2M), SZ_2M);
	assert_int_equal(iommu_unmap(per_entry, IOVA_BASE, SZ_2M), SZ_2M);
	iommu_domain_free(coalesced);
	iommu_domain_free(per_entry);
	sg_free_table(&sgt);
	__free_pages(block, order);
}

static void test_map_sg_maps_scattered_entries_back_to_back(void **state)
{
	struct iommu_domain *domain = new_domain();
	struct page *block = alloc_block(4);
	struct scatterlist sgl[3];

	sg_init_table(sgl, 3);
	sg_set_page(&sgl[0], block + 0, PAGE_SIZE, 0);
	sg_set_page(&sgl[1], block + 2, 2 * PAGE_SIZE, 0);
	sg_set_page(&sgl[2], block + 7, PAGE_SIZE, 0);

	assert_int_equal(iommu_map_sg(domain, IOVA_BASE, sgl, 3, RW), 4 * PAGE_SIZE);
	assert_maps_to(domain, IOVA_BASE, page_to_phys(block));
	assert_maps_to(domain, IOVA_BASE + PAGE_SIZE, page_to_phys(block + 2));
	assert_maps_to(domain, IOVA_BASE + 2 * PAGE_SIZE, page_to_phys(block + 3));
	assert_maps_to(domain, IOVA_BASE + 3 * PAGE_SIZE, page_to_phys(block + 7));
	assert_int_equal(mock_mapped_bytes(domain), 4 * PAGE_SIZE);

	assert_int_equal(iommu_unmap(domain, IOVA_BASE, 4 * PAGE_SIZE), 4 * PAGE_SIZE);
	iommu_domain_free(domain);
	__free_pages(block, 4);
}

static void test_map_sg_coalescing_stops_at_physical_gaps(void **state)
{
	struct iommu_domain *domain;
	struct page *block = alloc_block(3);
	struct scatterlist sgl[4];
	unsigned int i;

	/* Page sizes of 1, 2 and 4 CPU pages, whatever PAGE_SIZE is. */
	mock_reset(PAGE_SIZE | (PAGE_SIZE * 2) | (PAGE_SIZE * 4));
	domain = new_domain();

	/* pages 0,1 | 4 and 5..7: two runs of 2 and 4 pages */
	sg_init_table(sgl, 4);
	sg_set_page(&sgl[0], block + 0, PAGE_SIZE, 0);
	sg_set_page(&sgl[1], block + 1, PAGE_SIZE, 0);
	sg_set_page(&sgl[2], block + 4, PAGE_SIZE, 0);
	sg_set_page(&sgl[3], block + 5, 3 * PAGE_SIZE, 0);

	assert_int_equal(iommu_map_sg(domain, IOVA_BASE, sgl, 4, RW), 6 * PAGE_SIZE);
	/*
	 * Run 1 is one 2-page call.  Run 2 starts at iova + 2 pages, which
	 * only allows 2-page calls, though its physical start allows 4.
	 */
	assert_int_equal(mock_calls(MOCK_MAP), 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(mock_nth_call(MOCK_MAP, i)->size, 2 * PAGE_SIZE);
	assert_maps_to(domain, IOVA_BASE + 2 * PAGE_SIZE, page_to_phys(block + 4));
	assert_maps_to(domain, IOVA_BASE + 5 * PAGE_SIZE, page_to_phys(block + 7));

	assert_int_equal(iommu_unmap(domain, IOVA_BASE, 6 * PAGE_SIZE), 6 * PAGE_SIZE);
	iommu_domain_free(domain);
	__free_pages(block, 3);
}

static void test_map_sg_accepts_offsets_aligned_to_granule_below_page_size(void **state)
{
	struct iommu_domain *domain;
	struct page *block = alloc_block(2);
	struct scatterlist sgl[2];

	mock_reset(MOCK_BITMAP_2K_4K);
	domain = new_domain();
	sg_init_table(sgl, 2);
	/* The last 2K of page 0, then all of page 2. */
	sg_set_page(&sgl[0], block + 0, SZ_2K, PAGE_SIZE - SZ_2K);
	sg_set_page(&sgl[1], block + 2, PAGE_SIZE, 0);

	assert_int_equal(iommu_map_sg(domain, IOVA_BASE, sgl, 2, RW), SZ_2K + PAGE_SIZE);
	assert_maps_to(domain, IOVA_BASE, page_to_phys(block) + PAGE_SIZE - SZ_2K);
	assert_maps_to(domain, IOVA_BASE + SZ_2K, page_to_phys(block + 2));
	assert_maps_to(domain, IOVA_BASE + SZ_2K + PAGE_SIZE - SZ_2K,
		       page_to_phys(block + 2) + PAGE_SIZE - SZ_2K);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_2K + PAGE_SIZE), SZ_2K + PAGE_SIZE);
	iommu_domain_free(domain);
	__free_pages(block, 2);
}

static void test_map_sg_coalesces_sub_page_entries(void **state)
{
	struct iommu_domain *domain;
	struct page *block = alloc_block(1);
	struct scatterlist sgl[3];

	mock_reset(MOCK_BITMAP_2K_4K);
	domain = new_domain();
	/* Three 2K pieces that are contiguous in physical memory. */
	sg_init_table(sgl, 3);
	sg_set_page(&sgl[0], block, SZ_2K, 0);
	sg_set_page(&sgl[1], block, SZ_2K, SZ_2K);
	sg_set_page(&sgl[2], block, SZ_2K, SZ_4K);

	assert_int_equal(iommu_map_sg(domain, IOVA_BASE, sgl, 3, RW), 3 * SZ_2K);
	/* One run of 6K: 4K + 2K rather than three 2K calls. */
	assert_int_equal(mock_calls(MOCK_MAP), 2);
	assert_maps_to(domain, IOVA_BASE + SZ_4K, page_to_phys(block) + SZ_4K);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, 3 * SZ_2K), 3 * SZ_2K);
	iommu_domain_free(domain);
	__free_pages(block, 1);
}

static void test_map_sg_rejects_offset_not_aligned_to_granule_and_unmaps(void **state)
{
	struct iommu_domain *domain;
	struct page *block = alloc_block(3);
	struct scatterlist sgl[3];

	mock_reset(MOCK_BITMAP_2K_4K);
	domain = new_domain();
	sg_init_table(sgl, 3);
	sg_set_page(&sgl[0], block + 0, PAGE_SIZE, 0);
	sg_set_page(&sgl[1], block + 4, PAGE_SIZE, 0);	/* gap: forces entry 0 to be mapped */
	sg_set_page(&sgl[2], block + 6, SZ_2K, SZ_1K);	/* 1K offset: not a 2K multiple */

	assert_int_equal(iommu_map_sg(domain, IOVA_BASE, sgl, 3, RW), 0);
	assert_true(mock_calls(MOCK_MAP) > 0);
	assert_true(mock_calls(MOCK_UNMAP) > 0);
	assert_int_equal(mock_mapped_bytes(domain), 0);
	iommu_domain_free(domain);
	__free_pages(block, 3);
}

static void test_map_sg_rejects_length_not_aligned_to_granule(void **state)
{
	struct iommu_domain *domain = new_domain();
	struct page *block = alloc_block(1);
	struct scatterlist sgl[2];

	/* 2015 failed in iommu_map() for the short entry; so do we, even though
	 * the two entries together would cover whole pages. */
	sg_init_table(sgl, 2);
	sg_set_page(&sgl[0], block, SZ_2K, 0);
	sg_set_page(&sgl[1], block, SZ_2K, SZ_2K);
	assert_int_equal(iommu_map_sg(domain, IOVA_BASE, sgl, 2, RW), 0);
	assert_int_equal(mock_calls(MOCK_MAP), 0);
	assert_int_equal(mock_mapped_bytes(domain), 0);
	iommu_domain_free(domain);
	__free_pages(block, 1);
}

static void test_map_sg_failure_in_driver_unmaps_everything(void **state)
{
	struct iommu_domain *domain = new_domain();
	struct page *block = alloc_block(3);
	struct scatterlist sgl[3];

	sg_init_table(sgl, 3);
	sg_set_page(&sgl[0], block + 0, PAGE_SIZE, 0);
	sg_set_page(&sgl[1], block + 2, PAGE_SIZE, 0);
	sg_set_page(&sgl[2], block + 4, PAGE_SIZE, 0);

	/* Fail the very last driver call: everything before it is undone. */
	mock.map_fail_at = 3 * (PAGE_SIZE / SZ_4K);
	assert_int_equal(iommu_map_sg(domain, IOVA_BASE, sgl, 3, RW), 0);
	assert_int_equal(mock_calls(MOCK_MAP), mock.map_fail_at);
	assert_int_equal(mock_mapped_bytes(domain), 0);
	iommu_domain_free(domain);
	__free_pages(block, 3);
}

static void test_map_sg_skips_zero_length_entries(void **state)
{
	struct iommu_domain *domain = new_domain();
	struct page *block = alloc_block(1);
	struct scatterlist sgl[3];

	sg_init_table(sgl, 3);
	sg_set_page(&sgl[0], block + 0, PAGE_SIZE, 0);
	sg_set_page(&sgl[1], block + 1, 0, 0);
	sg_set_page(&sgl[2], block + 1, PAGE_SIZE, 0);

	assert_int_equal(iommu_map_sg(domain, IOVA_BASE, sgl, 3, RW), 2 * PAGE_SIZE);
	assert_maps_to(domain, IOVA_BASE + PAGE_SIZE, page_to_phys(block + 1));
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, 2 * PAGE_SIZE), 2 * PAGE_SIZE);
	iommu_domain_free(domain);
	__free_pages(block, 1);
}

static void test_map_sg_without_access_maps_nothing_but_reports_length(void **state)
{
	struct iommu_domain *domain = new_domain();
	struct page *block = alloc_block(2);
	struct scatterlist sgl[2];

	mock.ops.map_sg = mock_map_sg;
	sg_init_table(sgl, 2);
	sg_set_page(&sgl[0], block + 0, PAGE_SIZE, 0);
	sg_set_page(&sgl[1], block + 2, PAGE_SIZE, 0);

	assert_int_equal(iommu_map_sg(domain, IOVA_BASE, sgl, 2, IOMMU_CACHE), 2 * PAGE_SIZE);
	assert_int_equal(mock_calls(MOCK_MAP_SG), 0);
	assert_int_equal(mock_calls(MOCK_MAP), 0);
	assert_int_equal(mock_mapped_bytes(domain), 0);
	iommu_domain_free(domain);
	__free_pages(block, 2);
}

static void test_map_sg_uses_driver_map_sg_when_provided(void **state)
{
	struct iommu_domain *domain = new_domain();
	struct page *block = alloc_block(0);
	struct scatterlist sgl[1];

	mock.ops.map_sg = mock_map_sg;
	sg_init_table(sgl, 1);
	sg_set_page(&sgl[0], block, PAGE_SIZE, 0);
	assert_int_equal(iommu_map_sg(domain, IOVA_BASE, sgl, 1, IOMMU_READ), PAGE_SIZE);
	assert_int_equal(mock_calls(MOCK_MAP_SG), 1);
	assert_int_equal(mock_nth_call(MOCK_MAP_SG, 0)->ret, PAGE_SIZE);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, PAGE_SIZE), PAGE_SIZE);
	iommu_domain_free(domain);
	__free_pages(block, 0);
}

static void test_map_sg_maps_only_nents_entries(void **state)
{
	struct iommu_domain *domain = new_domain();
	struct page *block = alloc_block(2);
	struct scatterlist sgl[4];
	unsigned int i;

	sg_init_table(sgl, 4);
	for (i = 0; i < 4; i++)
		sg_set_page(&sgl[i], block + (3 - i), PAGE_SIZE, 0);
	assert_int_equal(iommu_map_sg(domain, IOVA_BASE, sgl, 2, RW), 2 * PAGE_SIZE);
	assert_int_equal(mock_mapped_bytes(domain), 2 * PAGE_SIZE);
	assert_maps_to(domain, IOVA_BASE + PAGE_SIZE, page_to_phys(block + 2));
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, 2 * PAGE_SIZE), 2 * PAGE_SIZE);
	iommu_domain_free(domain);
	__free_pages(block, 2);
}

static void test_map_sg_rejects_unaligned_iova(void **state)
{
	struct iommu_domain *domain = new_domain();
	struct page *block = alloc_block(0);
	struct scatterlist sgl[1];

	sg_init_table(sgl, 1);
	sg_set_page(&sgl[0], block, PAGE_SIZE, 0);
	assert_int_equal(iommu_map_sg(domain, IOVA_BASE + 0x200, sgl, 1, RW), 0);
	assert_int_equal(mock_mapped_bytes(domain), 0);
	iommu_domain_free(domain);
	__free_pages(block, 0);
}

static void test_map_sg_warns_on_null_arguments(void **state)
{
	struct iommu_domain *domain = new_domain();

	assert_int_equal(iommu_map_sg(NULL, IOVA_BASE, NULL, 1, RW), 0);
	assert_warned("NULL domain");
	assert_int_equal(default_iommu_map_sg(domain, IOVA_BASE, NULL, 1, RW), 0);
	assert_warned("NULL scatterlist");
	/* No entries: nothing to do, nothing mapped. */
	assert_int_equal(iommu_map_sg(domain, IOVA_BASE, NULL, 0, RW), 0);
	assert_int_equal(mock_calls(MOCK_MAP), 0);
	iommu_domain_free(domain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		MOCK_TEST_RAM(test_map_sg_coalesces_contiguous_entries_into_blocks),
		MOCK_TEST_RAM(test_map_sg_maps_scattered_entries_back_to_back),
		MOCK_TEST_RAM(test_map_sg_coalescing_stops_at_physical_gaps),
		MOCK_TEST_RAM(test_map_sg_accepts_offsets_aligned_to_granule_below_page_size),
		MOCK_TEST_RAM(test_map_sg_coalesces_sub_page_entries),
		MOCK_TEST_RAM(test_map_sg_rejects_offset_not_aligned_to_granule_and_unmaps),
		MOCK_TEST_RAM(test_map_sg_rejects_length_not_aligned_to_granule),
		MOCK_TEST_RAM(test_map_sg_failure_in_driver_unmaps_everything),
		MOCK_TEST_RAM(test_map_sg_skips_zero_length_entries),
		MOCK_TEST_RAM(test_map_sg_without_access_maps_nothing_but_reports_length),
		MOCK_TEST_RAM(test_map_sg_uses_driver_map_sg_when_provided),
		MOCK_TEST_RAM(test_map_sg_maps_only_nents_entries),
		MOCK_TEST_RAM(test_map_sg_rejects_unaligned_iova),
		MOCK_TEST_RAM(test_map_sg_warns_on_null_arguments),
	};

	return cmocka_run_group_tests_name("iommu_map_sg", tests, NULL, NULL);
}
