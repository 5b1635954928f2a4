// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The glue when the IOMMU granule is not PAGE_SIZE.
 *
 * Smaller: PAGE_SIZE / 2 under 4K pages (the simulated IOMMU's 2 KiB
 * small-page mode), 4 KiB under 16K and 64K pages.  Entries and buffers
 * need not be page aligned; two entries in one CPU page at different
 * granules map independently.
 *
 * Larger: 16 KiB and 64 KiB under 4K pages, 64 KiB under 16K pages (none
 * under 64K pages).  The kernel of 2015 refused this (init_iova_domain()
 * BUG()s); the IOVA allocator WARNs and the glue maps whole granules around
 * each buffer, so the device can reach the neighbouring bytes of those
 * granules until the unmap.  The tests below state that exposure as an
 * asserted property rather than leave it implicit.
 */
#include "glue_fixture.h"
#include "sg_build.h"

#include <stdlib.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <iosim/bus_master.h>
#include <iosim/fault.h>
#include <iosim/iova.h>
#include <iosim/live.h>
#include <iosim/ram.h>

#define RW	(IOMMU_READ | IOMMU_WRITE)

/* The granule smaller than PAGE_SIZE that this build can simulate. */
static unsigned long small_granule(void)
{
	return PAGE_SIZE == SZ_4K ? IOSIM_IOMMU_SMALL_PAGE : SZ_4K;
}

/* Granules larger than PAGE_SIZE the simulated IOMMU has; returns how many. */
static unsigned int large_granules(unsigned long out[2])
{
	static const unsigned long all[] = { SZ_16K, SZ_64K };
	unsigned int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(all); i++)
		if (all[i] > PAGE_SIZE)
			out[n++] = all[i];
	return n;
}

/*
 * The fixture, consuming the WARN the IOVA allocator gives a granule above
 * PAGE_SIZE (the kernel would have stopped there).
 */
static void granule_setup(struct glue *g, struct glue_config *cfg)
{
	glue_setup(g, cfg);
	if (cfg->granule > PAGE_SIZE)
		assert_warned("larger than PAGE_SIZE");
	assert_int_equal(g->iovad->granule, cfg->granule);
	assert_int_equal(iova_shift(g->iovad), __ffs(cfg->granule));
}

/* Map, check every rule of the glue, unmap, and check the domain is idle. */
static int map_check_unmap(struct glue *g, struct scatterlist *sgl, int nents,
			   unsigned int seed)
{
	int count = iommu_dma_map_sg(g->dev, sgl, nents, RW);
	struct scatterlist *ent;
	int i;

	assert_true(count > 0);
	glue_assert_segments_respect_limits(g, sgl, nents, count);
	/* The first segment starts at the first entry's offset within its granule. */
	for_each_sg(sgl, ent, nents, i) {
		if (!ent->length)
			continue;
		assert_int_equal(iova_offset(g->iovad, sg_dma_address(sgl)),
				 iova_offset(g->iovad, sg_phys(ent)));
		break;
	}
	glue_assert_device_reads_list(g, sgl, nents, count);
	glue_assert_device_writes_list(g, sgl, nents, count, seed);
	assert_int_equal(iosim_iommu_domain_check(g->domain), 0);
	assert_int_equal(iosim_iova_check(g->iovad), 0);
	iommu_dma_unmap_sg(g->dev, sgl, nents, DMA_BIDIRECTIONAL, NULL);
	glue_assert_idle(g);
	return count;
}

/* --- granule smaller than PAGE_SIZE -------------------------------------------------- */

static void test_small_granule_is_taken_from_the_smallest_page_size(void **state)
{
	struct glue_config cfg = { .granule = small_granule() };
	struct glue g;

	(void)state;
	granule_setup(&g, &cfg);
	assert_true(g.iovad->granule < PAGE_SIZE);
	/* IOVA 0 stays out of reach whatever the granule. */
	assert_int_equal(g.iovad->start_pfn, 1);
	glue_teardown(&g);
}

/*
 * Two entries in one CPU page, in different granules of it, and a third
 * starting one granule and a bit into its page: each gets the DMA address
 * of its own first byte, and the device sees exactly the caller's bytes.
 */
static void test_small_granule_maps_two_entries_of_one_page_independently(void **state)
{
	struct glue_config cfg = { .granule = small_granule(), .max_seg = SZ_1M };
	unsigned long gran = small_granule();
	struct page *page, *other;
	struct scatterlist sgl[3];
	struct glue g;
	int count;

	(void)state;
	granule_setup(&g, &cfg);
	page = alloc_page(GFP_KERNEL);
	other = alloc_page(GFP_KERNEL);
	assert_non_null(page);
	assert_non_null(other);
	glue_fill(page_address(page), PAGE_SIZE, 1);
	glue_fill(page_address(other), PAGE_SIZE, 2);

	sg_init_table(sgl, 3);
	sg_set_page(&sgl[0], page, gran - 10, 0);
	sg_set_page(&sgl[1], page, 100, gran + 5);
	sg_set_page(&sgl[2], other, 300, gran + 7);
	count = iommu_dma_map_sg(g.dev, sgl, 3, RW);
	/* The first ends mid-granule: nothing continues it in IOVA space. */
	assert_int_equal(count, 3);
	assert_int_equal(iova_offset(g.iovad, sg_dma_address(&sgl[0])), 0);
	assert_int_equal(iova_offset(g.iovad, sg_dma_address(&sgl[1])), 5);
	assert_int_equal(iova_offset(g.iovad, sg_dma_address(&sgl[2])), 7);
	assert_int_equal(sg_dma_len(&sgl[1]), 100);
	glue_assert_device_reads_list(&g, sgl, 3, count);
	glue_assert_device_writes_list(&g, sgl, 3, count, 3);
	/* Only the granules holding the entries are mapped: one each. */
	{
		struct iosim_iommu_stats st;

		assert_int_equal(iosim_iommu_domain_stats(g.domain, &st), 0);
		assert_int_equal(st.mapped_bytes, 3 * gran);
	}
	iommu_dma_unmap_sg(g.dev, sgl, 3, DMA_BIDIRECTIONAL, NULL);
	glue_assert_device_faults(&g, sg_dma_address(&sgl[0]), gran - 10);
	glue_assert_idle(&g);
	__free_page(other);
	__free_page(page);
	glue_teardown(&g);
}

/* Whole pages map as runs of granules and merge as they do with PAGE_SIZE granules. */
static void test_small_granule_merges_whole_pages(void **state)
{
	struct sg_spec spec[3] = { { 0, 0, PAGE_SIZE }, { 0, 0, PAGE_SIZE }, { 0, 0, PAGE_SIZE } };
	struct glue_config cfg = { .granule = small_granule(), .max_seg = SZ_1M };
	struct glue g;
	struct sg_built b;

	(void)state;
	granule_setup(&g, &cfg);
	sg_build(&b, spec, 3, 4);
	assert_int_equal(map_check_unmap(&g, b.table.sgl, 3, 5), 1);
	sg_assert_untouched(&b);
	sg_release(&b);
	glue_teardown(&g);
}

/* A boundary window of a few granules, smaller than a CPU page, is honoured. */
static void test_small_granule_honours_a_sub_page_segment_boundary(void **state)
{
	unsigned long gran = small_granule();
	struct sg_spec spec[6];
	struct glue_config cfg = { .granule = gran, .boundary = 2 * gran - 1, .max_seg = SZ_1M };
	struct glue g;
	struct sg_built b;
	int i, count;

	(void)state;
	for (i = 0; i < 6; i++)
		spec[i] = (struct sg_spec){ 0, (unsigned int)(i * 8), (unsigned int)(gran + 3) };
	granule_setup(&g, &cfg);
	sg_build(&b, spec, 6, 6);
	count = map_check_unmap(&g, b.table.sgl, 6, 7);
	assert_int_equal(count, 6);
	sg_assert_untouched(&b);
	sg_release(&b);
	glue_teardown(&g);
}

static void test_small_granule_map_page_at_sub_page_offsets(void **state)
{
	struct glue_config cfg = { .granule = small_granule() };
	unsigned long gran = small_granule(), offset;
	struct page *block;
	struct glue g;

	(void)state;
	granule_setup(&g, &cfg);
	block = alloc_pages(GFP_KERNEL, 1);
	assert_non_null(block);
	glue_fill(page_address(block), 2 * PAGE_SIZE, 8);
	for (offset = 1; offset < PAGE_SIZE; offset += gran / 2 + 1) {
		size_t len = PAGE_SIZE - offset / 2;
		unsigned char *got = malloc(len);
		dma_addr_t dma = iommu_dma_map_page(g.dev, block, offset, len, RW);

		assert_false(iommu_dma_mapping_error(g.dev, dma));
		assert_int_equal(iova_offset(g.iovad, dma), offset & (gran - 1));
		assert_int_equal(iosim_dma_read(g.dev, dma, got, len), 0);
		assert_memory_equal(got, (u8 *)page_address(block) + offset, len);
		iommu_dma_unmap_page(g.dev, dma, len, DMA_BIDIRECTIONAL, NULL);
		glue_assert_device_faults(&g, dma, len);
		glue_assert_idle(&g);
		free(got);
	}
	__free_pages(block, 1);
	glue_teardown(&g);
}

/* --- granule larger than PAGE_SIZE --------------------------------------------------- */

static void test_large_granule_is_warned_but_taken_from_the_smallest_page_size(void **state)
{
	unsigned long grans[2];
	unsigned int n = large_granules(grans), k;

	(void)state;
	if (!n) {
		print_message("no simulated IOMMU granule is larger than PAGE_SIZE %lu\n", PAGE_SIZE);
		skip();
	}
	for (k = 0; k < n; k++) {
		struct glue_config cfg = { .granule = grans[k] };
		struct glue g;

		granule_setup(&g, &cfg);	/* asserts the WARN and the granule */
		assert_true(g.iovad->granule > PAGE_SIZE);
		glue_teardown(&g);
	}
}

/*
 * A small entry in the middle of a large granule: its DMA address keeps the
 * in-granule offset, the device reads and writes exactly the entry, and
 * (the stated cost) it can also read the rest of that granule, which is
 * other memory of the caller's.  After the unmap all of it faults.
 */
static void test_large_granule_exposes_the_rest_of_the_granule_until_unmapped(void **state)
{
	unsigned long grans[2];
	unsigned int n = large_granules(grans), k;

	(void)state;
	if (!n) {
		print_message("no simulated IOMMU granule is larger than PAGE_SIZE %lu\n", PAGE_SIZE);
		skip();
	}
	for (k = 0; k < n; k++) {
		unsigned long gran = grans[k];
		unsigned int order = ilog2(gran / PAGE_SIZE);
		struct glue_config cfg = { .granule = gran, .max_seg = SZ_1M };
		struct scatterlist sgl[1];
		unsigned char *got = malloc(gran);
		struct page *block;
		dma_addr_t dma, granule_start;
		unsigned long offset = gran / 2 + 40;
		struct glue g;

		granule_setup(&g, &cfg);
		/* A granule-aligned block, so the granule holds only our bytes. */
		block = alloc_pages(GFP_KERNEL, order);
		assert_non_null(block);
		assert_int_equal(page_to_phys(block) & (gran - 1), 0);
		glue_fill(page_address(block), gran, 10 + k);

		sg_init_table(sgl, 1);
		sg_set_page(sgl, block + offset / PAGE_SIZE, 200, offset % PAGE_SIZE);
		assert_int_equal(iommu_dma_map_sg(g.dev, sgl, 1, RW), 1);
		dma = sg_dma_address(sgl);
		assert_int_equal(iova_offset(g.iovad, dma), offset);
		assert_int_equal(sg_dma_len(sgl), 200);
		glue_assert_device_reads_list(&g, sgl, 1, 1);
		glue_assert_device_writes_list(&g, sgl, 1, 1, 20 + k);

		/* The exposure: the whole granule is readable, and it is our memory. */
		granule_start = dma - offset;
		assert_int_equal(iosim_dma_read(g.dev, granule_start, got, gran), 0);
		assert_memory_equal(got, page_address(block), gran);
		/* ...but not the next granule. */
		assert_int_not_equal(iosim_dma_read(g.dev, granule_start + gran, got, 1), 0);
		iosim_iommu_clear_faults(g.iommu);

		iommu_dma_unmap_sg(g.dev, sgl, 1, DMA_BIDIRECTIONAL, NULL);
		glue_assert_device_faults(&g, granule_start, gran);
		glue_assert_idle(&g);
		__free_pages(block, order);
		free(got);
		glue_teardown(&g);
	}
}

/* Entries smaller than a granule, from separate pages, each take their own granule. */
static void test_large_granule_maps_scattered_pages_one_granule_each(void **state)
{
	unsigned long grans[2];
	unsigned int n = large_granules(grans), k;

	(void)state;
	if (!n) {
		print_message("no simulated IOMMU granule is larger than PAGE_SIZE %lu\n", PAGE_SIZE);
		skip();
	}
	for (k = 0; k < n; k++) {
		struct sg_spec spec[4] = { { 0, 0, PAGE_SIZE }, { 0, 16, 1000 },
					   { 1, 0, 2 * PAGE_SIZE }, { 0, 100, 8 } };
		struct glue_config cfg = { .granule = grans[k], .max_seg = SZ_1M };
		struct iosim_iommu_stats st;
		struct glue g;
		struct sg_built b;
		int count;

		granule_setup(&g, &cfg);
		sg_build(&b, spec, 4, 30 + k);
		count = iommu_dma_map_sg(g.dev, b.table.sgl, 4, RW);
		assert_true(count >= 1);
		sg_assert_untouched(&b);
		glue_assert_segments_respect_limits(&g, b.table.sgl, 4, count);
		glue_assert_device_reads_list(&g, b.table.sgl, 4, count);
		glue_assert_device_writes_list(&g, b.table.sgl, 4, count, 40 + k);
		assert_int_equal(iosim_iommu_domain_stats(g.domain, &st), 0);
		/* No entry crosses a granule here: one granule mapped per entry. */
		assert_int_equal(st.mapped_bytes, 4 * grans[k]);
		iommu_dma_unmap_sg(g.dev, b.table.sgl, 4, DMA_BIDIRECTIONAL, NULL);
		glue_assert_idle(&g);
		sg_release(&b);
		glue_teardown(&g);
	}
}

static void test_large_granule_map_page_keeps_the_offset_in_the_granule(void **state)
{
	unsigned long grans[2];
	unsigned int n = large_granules(grans), k;

	(void)state;
	if (!n) {
		print_message("no simulated IOMMU granule is larger than PAGE_SIZE %lu\n", PAGE_SIZE);
		skip();
	}
	for (k = 0; k < n; k++) {
		struct glue_config cfg = { .granule = grans[k] };
		size_t len = PAGE_SIZE + 123;
		unsigned char *got = malloc(len);
		struct page *block;
		struct glue g;
		dma_addr_t dma;

		granule_setup(&g, &cfg);
		block = alloc_pages(GFP_KERNEL, 1);
		assert_non_null(block);
		glue_fill(page_address(block), 2 * PAGE_SIZE, 50 + k);
		/* Crosses from the first page into the second. */
		dma = iommu_dma_map_page(g.dev, block, 77, len, RW);
		assert_false(iommu_dma_mapping_error(g.dev, dma));
		assert_int_equal(iova_offset(g.iovad, dma), (page_to_phys(block) + 77) & (grans[k] - 1));
		assert_int_equal(iosim_dma_read(g.dev, dma, got, len), 0);
		assert_memory_equal(got, (u8 *)page_address(block) + 77, len);
		iommu_dma_unmap_page(g.dev, dma, len, DMA_BIDIRECTIONAL, NULL);
		glue_assert_device_faults(&g, dma, len);
		glue_assert_idle(&g);
		__free_pages(block, 1);
		free(got);
		glue_teardown(&g);
	}
}

/* --- both ------------------------------------------------------------------------------ */

/* Random lists and device limits, every rule checked, for every granule this build has. */
static void test_every_granule_random_lists_obey_every_rule(void **state)
{
	static const unsigned int max_segs[] = { SZ_4K, SZ_64K, SZ_1M, 0x7fffffff };
	unsigned long grans[3];
	unsigned int nr_grans, k;
	struct sg_spec *spec = calloc(64, sizeof(*spec));
	struct sg_built *b = malloc(sizeof(*b));

	(void)state;
	grans[0] = small_granule();
	nr_grans = 1 + large_granules(grans + 1);
	for (k = 0; k < nr_grans; k++) {
		struct glue_config cfg = { .granule = grans[k], .dma_base = 0x7ff00000ULL,
					   .dma_size = 0x800000000ULL };
		unsigned long boundaries[3] = { 4 * grans[k] - 1, SZ_1M - 1, 0xffffffffUL };
		struct glue g;
		unsigned int iter;

		granule_setup(&g, &cfg);
		for (iter = 0; iter < 300; iter++) {
			int nents, i;

			srand(1000 * k + iter);
			g.cfg.boundary = boundaries[rand() % 3];
			g.cfg.max_seg = max_segs[rand() % 4];
			assert_int_equal(dma_set_seg_boundary(g.dev, g.cfg.boundary), 0);
			assert_int_equal(dma_set_max_seg_size(g.dev, g.cfg.max_seg), 0);
			nents = 1 + rand() % 12;
			for (i = 0; i < nents; i++) {
				unsigned int order = rand() % 4 == 0 ? rand() % 3 : 0;
				unsigned int block = PAGE_SIZE << order;
				unsigned int off = rand() % 3 == 0 ? 0 : (unsigned int)rand() % block;
				unsigned int len = 1 + (unsigned int)rand() % (block - off);

				if (rand() % 3 == 0)
					len = block - off;
				spec[i] = (struct sg_spec){ order, off, len };
			}
			sg_build(b, spec, nents, iter);
			map_check_unmap(&g, b->table.sgl, b->nents, iter * 3);
			sg_assert_untouched(b);
			sg_release(b);
		}
		glue_teardown(&g);
	}
	free(b);
	free(spec);
}

/* Fail each allocation and IOMMU map in turn, for the smaller and a larger granule. */
static void test_every_granule_failure_sweep_leaves_nothing_mapped(void **state)
{
	struct sg_spec spec[4] = { { 0, 100, 3000 }, { 2, 0, 4 * PAGE_SIZE }, { 0, 0, PAGE_SIZE },
				   { 1, 3000, 5000 } };
	unsigned int mask = IOSIM_FAULT_ALLOCS | IOSIM_FAULT_SITE(IOSIM_FAULT_IOMMU_MAP);
	unsigned long grans[3];
	unsigned int nr_grans, k;

	(void)state;
	grans[0] = small_granule();
	nr_grans = 1 + large_granules(grans + 1);
	for (k = 0; k < nr_grans; k++) {
		struct glue_config cfg = { .granule = grans[k], .max_seg = SZ_1M };
		struct glue g;
		struct sg_built b;
		unsigned long nth;
		long pages_before;
		int count = 0;

		granule_setup(&g, &cfg);
		sg_build(&b, spec, 4, 60 + k);
		pages_before = glue_pages_but_spare_tables(&g);
		for (nth = 1; nth < 1000; nth++) {
			iosim_fault_fail_nth(mask, nth);
			count = iommu_dma_map_sg(g.dev, b.table.sgl, 4, RW);
			if (!iosim_fault_injected())
				break;
			iosim_fault_reset();
			assert_int_equal(count, 0);
			sg_assert_untouched(&b);
			sg_assert_invalidated(&b);
			glue_assert_idle(&g);
			assert_int_equal(glue_pages_but_spare_tables(&g), pages_before);
		}
		iosim_fault_reset();
		assert_true(nth > 1);
		assert_true(count > 0);
		glue_assert_device_reads_list(&g, b.table.sgl, 4, count);
		iommu_dma_unmap_sg(g.dev, b.table.sgl, 4, DMA_BIDIRECTIONAL, NULL);
		glue_assert_idle(&g);
		sg_release(&b);
		glue_teardown(&g);
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_small_granule_is_taken_from_the_smallest_page_size),
		IOSIM_TEST(test_small_granule_maps_two_entries_of_one_page_independently),
		IOSIM_TEST(test_small_granule_merges_whole_pages),
		IOSIM_TEST(test_small_granule_honours_a_sub_page_segment_boundary),
		IOSIM_TEST(test_small_granule_map_page_at_sub_page_offsets),
		IOSIM_TEST(test_large_granule_is_warned_but_taken_from_the_smallest_page_size),
		IOSIM_TEST(test_large_granule_exposes_the_rest_of_the_granule_until_unmapped),
		IOSIM_TEST(test_large_granule_maps_scattered_pages_one_granule_each),
		IOSIM_TEST(test_large_granule_map_page_keeps_the_offset_in_the_granule),
		IOSIM_TEST(test_every_granule_random_lists_obey_every_rule),
		IOSIM_TEST(test_every_granule_failure_sweep_leaves_nothing_mapped),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
