// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * iommu_dma_map_page()/iommu_dma_unmap_page() end to end: a device behind
 * the simulated IOMMU reads and writes through the returned handle, and
 * faults once the mapping is gone.  Tests named after a defect of the
 * seed's glue fail when this file is linked against the seed's
 * dma-iommu.c (see meson.build).
 */
#include "glue_fixture.h"

#include <stdint.h>
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

/* A physically contiguous buffer of 2^order pages, filled with a pattern. */
struct buf {
	struct page *page;
	unsigned int order;
	unsigned char *virt;
	size_t bytes;
};

static void buf_alloc(struct buf *b, unsigned int order, unsigned int seed)
{
	b->order = order;
	b->page = alloc_pages(GFP_KERNEL, order);
	assert_non_null(b->page);
	b->virt = page_address(b->page);
	b->bytes = PAGE_SIZE << order;
	glue_fill(b->virt, b->bytes, seed);
}

static void buf_free(struct buf *b)
{
	__free_pages(b->page, b->order);
}

/* Every structure's sanity checker, after each step. */
static void check_all(struct glue *g)
{
	assert_int_equal(iosim_iova_check(g->iovad), 0);
	assert_int_equal(iosim_iommu_domain_check(g->domain), 0);
	assert_int_equal(iosim_ram_check(), 0);
}

static u64 mapped_bytes(struct glue *g)
{
	struct iosim_iommu_stats st;

	assert_int_equal(iosim_iommu_domain_stats(g->domain, &st), 0);
	return st.mapped_bytes;
}

/* Offset of @offset bytes into @b within its IOVA granule. */
static size_t granule_offset(struct glue *g, struct buf *b, size_t offset)
{
	return (page_to_phys(b->page) + offset) & (g->cfg.granule - 1);
}

/* The whole granules covering [offset, offset + size) of @b. */
static size_t extent_of(struct glue *g, struct buf *b, size_t offset, size_t size)
{
	return ALIGN(granule_offset(g, b, offset) + size, g->cfg.granule);
}

/* The device reads @size bytes at @dma: assert they are @want. */
static void assert_device_reads(struct glue *g, dma_addr_t dma, const void *want, size_t size)
{
	unsigned char *got = malloc(size);

	assert_non_null(got);
	assert_int_equal(iosim_dma_read(g->dev, dma, got, size), 0);
	assert_memory_equal(got, want, size);
	free(got);
}

/*
 * The device writes a pattern at @dma: assert it lands at [offset,
 * offset + size) of @b and nowhere else in @b.
 */
static void assert_device_writes(struct glue *g, dma_addr_t dma, struct buf *b, size_t offset,
				 size_t size, unsigned int seed)
{
	unsigned char *want = malloc(b->bytes);

	assert_true(offset + size <= b->bytes);
	assert_non_null(want);
	memcpy(want, b->virt, b->bytes);
	glue_fill(want + offset, size, seed);
	assert_int_equal(iosim_dma_write(g->dev, dma, want + offset, size), 0);
	assert_memory_equal(b->virt, want, b->bytes);
	free(want);
}

/*
 * Map [offset, offset + size) of @b, check the handle, the allocation and
 * both directions of device access, and return the handle.
 */
static dma_addr_t map_and_check(struct glue *g, struct buf *b, size_t offset, size_t size,
				unsigned int seed)
{
	size_t g_off = granule_offset(g, b, offset), extent = extent_of(g, b, offset, size);
	unsigned long ranges = glue_live_ranges(g);
	u64 before = mapped_bytes(g);
	dma_addr_t dma;

	assert_true(offset + size <= b->bytes);
	dma = iommu_dma_map_page(g->dev, b->page, offset, size, RW);
	assert_false(iommu_dma_mapping_error(g->dev, dma));
	/* The handle keeps the buffer's offset within its granule. */
	assert_int_equal(dma & (g->cfg.granule - 1), g_off);
	assert_true(dma + size - 1 <= g->cfg.dma_mask);
	assert_true(dma - g_off >= g->cfg.dma_base);
	assert_true(dma - g_off + extent - 1 <= g->cfg.dma_base + g->cfg.dma_size - 1);
	/* One IOVA range, and exactly the granules covering the buffer mapped. */
	assert_int_equal(glue_live_ranges(g), ranges + 1);
	assert_int_equal(mapped_bytes(g), before + extent);
	check_all(g);

	assert_device_reads(g, dma, b->virt + offset, size);
	assert_device_writes(g, dma, b, offset, size, seed);
	return dma;
}

/* Unmap, then assert the granules fault and the allocation is gone. */
static void unmap_and_check(struct glue *g, dma_addr_t dma, struct buf *b, size_t offset,
			    size_t size)
{
	size_t g_off = granule_offset(g, b, offset), extent = extent_of(g, b, offset, size);
	unsigned long ranges = glue_live_ranges(g);
	u64 before = mapped_bytes(g);

	iommu_dma_unmap_page(g->dev, dma, size, DMA_BIDIRECTIONAL, NULL);
	assert_int_equal(glue_live_ranges(g), ranges - 1);
	assert_int_equal(mapped_bytes(g), before - extent);
	glue_assert_device_faults(g, dma - g_off, extent);
	check_all(g);
}

static void test_map_page_device_reads_and_writes_exactly_the_callers_bytes(void **state)
{
	struct glue_config cfg = { 0 };
	struct glue g;
	struct buf b;
	size_t gran;
	unsigned int i;

	(void)state;
	glue_setup(&g, &cfg);
	gran = g.cfg.granule;
	buf_alloc(&b, 3, 1);
	{
		const struct { size_t offset, size; } cases[] = {
			{ 0, PAGE_SIZE },			/* one whole page */
			{ 0, 1 },				/* one byte */
			{ 100, 1000 },				/* inside a granule */
			{ gran - 8, 16 },			/* across a granule boundary */
			{ PAGE_SIZE - 1, 2 },			/* across a page boundary */
			{ gran + 8, 3000 },			/* offset of a granule or more */
			{ PAGE_SIZE + 100, PAGE_SIZE },		/* offset of a page or more */
			{ 1, 4 * PAGE_SIZE - 2 },		/* many pages, both ends partial */
			{ 3 * PAGE_SIZE, 5 * PAGE_SIZE },	/* up to the end of the block */
		};

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			size_t offset = cases[i].offset, size = cases[i].size;
			dma_addr_t dma = map_and_check(&g, &b, offset, size, 10 + i);
			dma_addr_t start = dma - granule_offset(&g, &b, offset);

			/* Nothing outside the covering granules is reachable. */
			glue_assert_device_faults(&g, start + extent_of(&g, &b, offset, size), gran);
			glue_assert_device_faults(&g, start - gran, gran);
			unmap_and_check(&g, dma, &b, offset, size);
			glue_assert_idle(&g);
		}
	}
	buf_free(&b);
	glue_teardown(&g);
}

static void test_map_page_random_offsets_and_sizes_round_trip(void **state)
{
	struct glue_config cfg = { .dma_base = 0x7ff00000ULL, .dma_size = 0x200000000ULL };
	struct glue g;
	struct buf b;
	unsigned int iter;

	(void)state;
	glue_setup(&g, &cfg);
	buf_alloc(&b, 4, 2);
	srand(4242);
	for (iter = 0; iter < 400; iter++) {
		size_t offset = (size_t)rand() % b.bytes;
		size_t size = 1 + (size_t)rand() % (b.bytes - offset);
		dma_addr_t dma;

		if (rand() % 4 == 0)
			size = 1 + (size_t)rand() % 64;
		dma = map_and_check(&g, &b, offset, size, iter);
		unmap_and_check(&g, dma, &b, offset, size);
	}
	glue_assert_idle(&g);
	buf_free(&b);
	glue_teardown(&g);
}

/* Several mappings of one buffer, even of the same bytes, are independent. */
static void test_map_page_mappings_of_one_buffer_are_independent(void **state)
{
	struct glue_config cfg = { 0 };
	struct glue g;
	struct buf b;
	dma_addr_t d1, d2, d3;

	(void)state;
	glue_setup(&g, &cfg);
	buf_alloc(&b, 2, 3);
	d1 = map_and_check(&g, &b, 0, PAGE_SIZE, 4);
	d2 = map_and_check(&g, &b, 0, PAGE_SIZE, 5);
	d3 = map_and_check(&g, &b, 200, 2 * PAGE_SIZE, 6);
	assert_true(d1 != d2);
	/* Unmapping the second leaves the first and third working. */
	unmap_and_check(&g, d2, &b, 0, PAGE_SIZE);
	assert_device_reads(&g, d1, b.virt, PAGE_SIZE);
	assert_device_reads(&g, d3, b.virt + 200, 2 * PAGE_SIZE);
	assert_device_writes(&g, d1, &b, 0, PAGE_SIZE, 7);
	unmap_and_check(&g, d1, &b, 0, PAGE_SIZE);
	assert_device_reads(&g, d3, b.virt + 200, 2 * PAGE_SIZE);
	unmap_and_check(&g, d3, &b, 200, 2 * PAGE_SIZE);
	glue_assert_idle(&g);
	buf_free(&b);
	glue_teardown(&g);
}

/* The size passed to unmap does not matter: the allocation records the extent. */
static void test_unmap_page_removes_the_whole_mapping_whatever_size_is_passed(void **state)
{
	struct glue_config cfg = { 0 };
	struct glue g;
	struct buf b;
	dma_addr_t dma;

	(void)state;
	glue_setup(&g, &cfg);
	buf_alloc(&b, 2, 8);
	dma = map_and_check(&g, &b, 300, 3 * PAGE_SIZE, 9);
	iommu_dma_unmap_page(g.dev, dma, 1, DMA_BIDIRECTIONAL, NULL);
	glue_assert_device_faults(&g, dma - granule_offset(&g, &b, 300),
				  extent_of(&g, &b, 300, 3 * PAGE_SIZE));
	glue_assert_idle(&g);
	check_all(&g);
	buf_free(&b);
	glue_teardown(&g);
}

/*
 * dma_direction_to_prot(): DMA_TO_DEVICE lets the device read memory only,
 * DMA_FROM_DEVICE write it only, DMA_BIDIRECTIONAL both; a coherent master
 * gets a cacheable mapping.  A forbidden access faults as a permission
 * fault and transfers nothing.
 */
static void test_map_page_direction_sets_the_device_permissions(void **state)
{
	static const struct {
		enum dma_data_direction dir;
		bool read, write;
	} dirs[] = {
		{ DMA_TO_DEVICE, true, false },
		{ DMA_FROM_DEVICE, false, true },
		{ DMA_BIDIRECTIONAL, true, true },
	};
	struct glue_config cfg = { 0 };
	struct glue g;
	struct buf b;
	unsigned int i, coherent;

	(void)state;
	glue_setup(&g, &cfg);
	buf_alloc(&b, 1, 11);
	for (coherent = 0; coherent < 2; coherent++) {
		for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			int prot = dma_direction_to_prot(dirs[i].dir, coherent);
			unsigned char *before = malloc(b.bytes), *data = malloc(PAGE_SIZE);
			struct iosim_iommu_fault fault;
			struct iosim_iommu_pte pte;
			dma_addr_t dma;
			int ret;

			dma = iommu_dma_map_page(g.dev, b.page, 64, PAGE_SIZE, prot);
			assert_false(iommu_dma_mapping_error(g.dev, dma));
			assert_int_equal(iosim_iommu_domain_lookup(g.domain, dma, &pte), 0);
			assert_int_equal(!!(pte.prot & IOMMU_READ), dirs[i].read);
			assert_int_equal(!!(pte.prot & IOMMU_WRITE), dirs[i].write);
			assert_int_equal(!!(pte.prot & IOMMU_CACHE), coherent);

			ret = iosim_dma_read(g.dev, dma, data, PAGE_SIZE);
			if (dirs[i].read) {
				assert_int_equal(ret, 0);
				assert_memory_equal(data, b.virt + 64, PAGE_SIZE);
			} else {
				assert_int_equal(ret, -EFAULT);
				assert_true(iosim_iommu_last_fault(g.iommu, &fault));
				assert_int_equal(fault.reason, IOSIM_IOMMU_FAULT_PERMISSION);
				assert_int_equal(fault.flags, IOMMU_FAULT_READ);
				iosim_iommu_clear_faults(g.iommu);
			}

			memcpy(before, b.virt, b.bytes);
			glue_fill(data, PAGE_SIZE, 50 + i);
			ret = iosim_dma_write(g.dev, dma, data, PAGE_SIZE);
			if (dirs[i].write) {
				assert_int_equal(ret, 0);
				memcpy(before + 64, data, PAGE_SIZE);
			} else {
				assert_int_equal(ret, -EFAULT);
				assert_true(iosim_iommu_last_fault(g.iommu, &fault));
				assert_int_equal(fault.reason, IOSIM_IOMMU_FAULT_PERMISSION);
				assert_int_equal(fault.flags, IOMMU_FAULT_WRITE);
				iosim_iommu_clear_faults(g.iommu);
			}
			assert_memory_equal(b.virt, before, b.bytes);

			iommu_dma_unmap_page(g.dev, dma, PAGE_SIZE, dirs[i].dir, NULL);
			glue_assert_idle(&g);
			check_all(&g);
			free(data);
			free(before);
		}
	}
	buf_free(&b);
	glue_teardown(&g);
}

/*
 * A prot with neither IOMMU_READ nor IOMMU_WRITE (DMA_NONE) can make no
 * usable mapping.  The seed allocated IOVA, "mapped" nothing (the IOMMU
 * maps nothing without access) and returned a handle whose unmap then hit
 * BUG_ON(iommu_unmap() < size).
 */
static void test_map_page_without_access_permission_is_refused(void **state)
{
	struct glue_config cfg = { 0 };
	struct glue g;
	struct buf b;
	long slab;
	dma_addr_t dma;

	(void)state;
	glue_setup(&g, &cfg);
	buf_alloc(&b, 0, 12);
	slab = iosim_live(IOSIM_OBJ_SLAB);
	assert_int_equal(dma_direction_to_prot(DMA_NONE, false), 0);
	dma = iommu_dma_map_page(g.dev, b.page, 0, 100, dma_direction_to_prot(DMA_NONE, false));
	assert_true(iommu_dma_mapping_error(g.dev, dma));
	assert_warned("no access");
	dma = iommu_dma_map_page(g.dev, b.page, 0, 100, IOMMU_CACHE);
	assert_true(iommu_dma_mapping_error(g.dev, dma));
	assert_warned("no access");
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	glue_assert_idle(&g);
	check_all(&g);
	buf_free(&b);
	glue_teardown(&g);
}

static void test_map_page_iova_above_4g_is_not_truncated(void **state)
{
	struct glue_config cfg = { .dma_base = 0x100000000ULL, .dma_size = SZ_4G };
	struct glue g;
	struct buf b;
	dma_addr_t dma;

	(void)state;
	glue_setup(&g, &cfg);
	buf_alloc(&b, 2, 13);
	dma = map_and_check(&g, &b, 100, 3 * PAGE_SIZE, 14);
	assert_true(dma >= 0x100000000ULL);
	/* The handle names the allocation itself, upper bits and all. */
	assert_non_null(find_iova(g.iovad, iova_pfn(g.iovad, dma)));
	/* The same offset in the low 4 GiB is not mapped. */
	glue_assert_device_faults(&g, (dma & 0xffffffffULL) & ~(dma_addr_t)(g.cfg.granule - 1),
				  g.cfg.granule);
	unmap_and_check(&g, dma, &b, 100, 3 * PAGE_SIZE);
	glue_assert_idle(&g);
	buf_free(&b);
	glue_teardown(&g);
}

/* With a 16 MiB mask over a 4 GiB domain, every mapping ends below the mask. */
static void test_map_page_respects_the_device_dma_mask(void **state)
{
	struct glue_config cfg = { .dma_mask = DMA_BIT_MASK(24) };
	const size_t size = SZ_64K;
	dma_addr_t *handles = calloc(1024, sizeof(*handles));
	struct glue g;
	struct buf b;
	unsigned int n, i;

	(void)state;
	assert_non_null(handles);
	glue_setup(&g, &cfg);
	buf_alloc(&b, (unsigned int)get_order(size), 15);
	for (n = 0; n < 1024; n++) {
		handles[n] = iommu_dma_map_page(g.dev, b.page, 0, size, RW);
		if (iommu_dma_mapping_error(g.dev, handles[n]))
			break;
		assert_true(handles[n] + size - 1 <= DMA_BIT_MASK(24));
	}
	/* The space below the mask ran out: at most 16 MiB of mappings fitted. */
	assert_true(n >= 1);
	assert_true(n < 1024);
	assert_true((u64)n * size <= SZ_16M);
	assert_int_equal(glue_live_ranges(&g), n);
	assert_int_equal(mapped_bytes(&g), (u64)n * size);
	check_all(&g);
	assert_device_reads(&g, handles[n - 1], b.virt, size);
	for (i = 0; i < n; i++)
		iommu_dma_unmap_page(g.dev, handles[i], size, DMA_BIDIRECTIONAL, NULL);
	glue_assert_idle(&g);
	free(handles);
	buf_free(&b);
	glue_teardown(&g);
}

static void test_map_page_iova_exhaustion_returns_error_with_nothing_allocated(void **state)
{
	/* Four granules of IOVA space; granule 0 is never handed out. */
	struct glue_config cfg = { .dma_size = 4 * SZ_4K };
	struct glue g;
	struct buf b;
	dma_addr_t dma[3], fail;
	long slab;
	unsigned int i;

	(void)state;
	glue_setup(&g, &cfg);
	buf_alloc(&b, 0, 16);
	/* Too large for the whole space: fails at once, nothing allocated. */
	slab = iosim_live(IOSIM_OBJ_SLAB);
	fail = iommu_dma_map_page(g.dev, b.page, 0, 4 * SZ_4K, RW);
	assert_true(iommu_dma_mapping_error(g.dev, fail));
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	glue_assert_idle(&g);

	/* Three one-granule mappings fill it; the fourth fails cleanly. */
	for (i = 0; i < 3; i++)
		dma[i] = map_and_check(&g, &b, 8 * i, 100, 17 + i);
	slab = iosim_live(IOSIM_OBJ_SLAB);
	fail = iommu_dma_map_page(g.dev, b.page, 0, 100, RW);
	assert_true(iommu_dma_mapping_error(g.dev, fail));
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	assert_int_equal(glue_live_ranges(&g), 3);
	assert_int_equal(mapped_bytes(&g), 3 * SZ_4K);
	check_all(&g);
	for (i = 0; i < 3; i++) {
		assert_device_reads(&g, dma[i], b.virt + 8 * i, 100);
		unmap_and_check(&g, dma[i], &b, 8 * i, 100);
	}
	glue_assert_idle(&g);
	buf_free(&b);
	glue_teardown(&g);
}

/* Fail each allocation and IOMMU map in turn: every failure leaves nothing behind. */
static void test_map_page_failure_sweep_leaves_nothing_mapped(void **state)
{
	struct glue_config cfg = { 0 };
	unsigned int mask = IOSIM_FAULT_ALLOCS | IOSIM_FAULT_SITE(IOSIM_FAULT_IOMMU_MAP);
	/*
	 * Over 2 MiB from an offset in a granule: the size-aligned IOVA crosses a
	 * 2 MiB boundary, so several page tables are needed.
	 */
	const size_t size = SZ_2M + 3 * SZ_4K;
	struct glue g;
	struct buf b;
	long pages, slab;
	unsigned long n;
	dma_addr_t dma = DMA_ERROR_CODE;

	(void)state;
	glue_setup(&g, &cfg);
	buf_alloc(&b, (unsigned int)get_order(SZ_4M), 20);
	pages = glue_pages_but_spare_tables(&g);
	slab = iosim_live(IOSIM_OBJ_SLAB);
	for (n = 1; n < 1000; n++) {
		iosim_fault_fail_nth(mask, n);
		dma = iommu_dma_map_page(g.dev, b.page, SZ_1M - 5, size, RW);
		if (!iosim_fault_injected())
			break;
		iosim_fault_reset();
		assert_true(iommu_dma_mapping_error(g.dev, dma));
		glue_assert_idle(&g);
		check_all(&g);
		assert_int_equal(glue_pages_but_spare_tables(&g), pages);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	}
	iosim_fault_reset();
	assert_true(n > 2);		/* the IOVA, a table and a map call at least */
	assert_false(iommu_dma_mapping_error(g.dev, dma));
	assert_device_reads(&g, dma, b.virt + SZ_1M - 5, size);
	assert_device_writes(&g, dma, &b, SZ_1M - 5, size, 21);
	unmap_and_check(&g, dma, &b, SZ_1M - 5, size);
	glue_assert_idle(&g);
	buf_free(&b);
	glue_teardown(&g);
}

/*
 * A size so large that adding the offset in the granule wraps around.
 * The seed computed the extent with the wrapped value, mapped one granule
 * and returned a handle for a buffer larger than the address space.
 */
static void test_map_page_of_a_size_that_wraps_around_fails_cleanly(void **state)
{
	struct glue_config cfg = { 0 };
	struct glue g;
	struct buf b;
	long slab;
	dma_addr_t dma;

	(void)state;
	glue_setup(&g, &cfg);
	buf_alloc(&b, 0, 22);
	slab = iosim_live(IOSIM_OBJ_SLAB);
	dma = iommu_dma_map_page(g.dev, b.page, 200, SIZE_MAX - 50, RW);
	assert_true(iommu_dma_mapping_error(g.dev, dma));
	dma = iommu_dma_map_page(g.dev, b.page, 0, SIZE_MAX, RW);
	assert_true(iommu_dma_mapping_error(g.dev, dma));
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	glue_assert_idle(&g);
	check_all(&g);
	buf_free(&b);
	glue_teardown(&g);
}

static void test_map_page_of_zero_bytes_is_warned_and_fails(void **state)
{
	struct glue_config cfg = { 0 };
	struct glue g;
	struct buf b;
	dma_addr_t dma;

	(void)state;
	glue_setup(&g, &cfg);
	buf_alloc(&b, 0, 23);
	dma = iommu_dma_map_page(g.dev, b.page, 100, 0, RW);
	assert_true(iommu_dma_mapping_error(g.dev, dma));
	assert_warned("zero-length");
	dma = iommu_dma_map_page(g.dev, b.page, 0, 0, RW);
	assert_true(iommu_dma_mapping_error(g.dev, dma));
	assert_warned("zero-length");
	glue_assert_idle(&g);
	check_all(&g);
	buf_free(&b);
	glue_teardown(&g);
}

/*
 * Misuse of unmap: another mapping is live throughout, and must come
 * through untouched.  Each bad handle is WARNed and changes nothing.
 */
struct misuse {
	struct glue g;
	struct buf b;
	dma_addr_t keep;	/* the mapping that must survive */
	unsigned long ranges;
	u64 mapped;
};

static void misuse_setup(struct misuse *m)
{
	struct glue_config cfg = { 0 };

	glue_setup(&m->g, &cfg);
	buf_alloc(&m->b, 2, 24);
	m->keep = map_and_check(&m->g, &m->b, 40, 2 * PAGE_SIZE, 25);
	m->ranges = glue_live_ranges(&m->g);
	m->mapped = mapped_bytes(&m->g);
}

static void misuse_assert_intact(struct misuse *m)
{
	assert_int_equal(glue_live_ranges(&m->g), m->ranges);
	assert_int_equal(mapped_bytes(&m->g), m->mapped);
	check_all(&m->g);
	assert_device_reads(&m->g, m->keep, m->b.virt + 40, 2 * PAGE_SIZE);
}

static void misuse_teardown(struct misuse *m)
{
	unmap_and_check(&m->g, m->keep, &m->b, 40, 2 * PAGE_SIZE);
	glue_assert_idle(&m->g);
	buf_free(&m->b);
	glue_teardown(&m->g);
}

/* The seed looked the handle up again and used the NULL result (Robin, 11 Aug). */
static void test_unmap_page_twice_is_warned_and_ignored(void **state)
{
	struct misuse m;
	dma_addr_t dma;

	(void)state;
	misuse_setup(&m);
	dma = map_and_check(&m.g, &m.b, 0, 100, 26);
	unmap_and_check(&m.g, dma, &m.b, 0, 100);
	iommu_dma_unmap_page(m.g.dev, dma, 100, DMA_BIDIRECTIONAL, NULL);
	assert_warned("is not mapped");
	misuse_assert_intact(&m);
	misuse_teardown(&m);
}

static void test_unmap_page_of_a_handle_never_returned_is_warned_and_ignored(void **state)
{
	struct misuse m;
	dma_addr_t stray;

	(void)state;
	misuse_setup(&m);
	/* Inside the DMA domain, far below the only allocation (top-down or not). */
	stray = ((dma_addr_t)m.g.iovad->start_pfn << iova_shift(m.g.iovad)) + 5 * m.g.cfg.granule;
	assert_null(find_iova(m.g.iovad, iova_pfn(m.g.iovad, stray)));
	iommu_dma_unmap_page(m.g.dev, stray, PAGE_SIZE, DMA_BIDIRECTIONAL, NULL);
	assert_warned("is not mapped");
	misuse_assert_intact(&m);
	misuse_teardown(&m);
}

static void test_unmap_page_of_dma_error_code_is_warned_and_ignored(void **state)
{
	struct misuse m;

	(void)state;
	misuse_setup(&m);
	iommu_dma_unmap_page(m.g.dev, DMA_ERROR_CODE, PAGE_SIZE, DMA_BIDIRECTIONAL, NULL);
	assert_warned("DMA_ERROR_CODE");
	misuse_assert_intact(&m);
	misuse_teardown(&m);
}

/*
 * A handle inside a mapping but past its first granule.  The seed unmapped
 * the allocation's full size from that granule on (running off its end into
 * a BUG_ON) and freed the IOVA while the first granules stayed mapped.
 */
static void test_unmap_page_inside_a_mapping_but_not_its_start_is_warned_and_ignored(void **state)
{
	struct misuse m;

	(void)state;
	misuse_setup(&m);
	iommu_dma_unmap_page(m.g.dev, m.keep + m.g.cfg.granule, PAGE_SIZE, DMA_BIDIRECTIONAL,
			     NULL);
	assert_warned("not its start");
	misuse_assert_intact(&m);
	iommu_dma_unmap_page(m.g.dev, m.keep + 2 * PAGE_SIZE - 1, PAGE_SIZE, DMA_BIDIRECTIONAL,
			     NULL);
	assert_warned("not its start");
	misuse_assert_intact(&m);
	misuse_teardown(&m);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_map_page_device_reads_and_writes_exactly_the_callers_bytes),
		IOSIM_TEST(test_map_page_random_offsets_and_sizes_round_trip),
		IOSIM_TEST(test_map_page_mappings_of_one_buffer_are_independent),
		IOSIM_TEST(test_unmap_page_removes_the_whole_mapping_whatever_size_is_passed),
		IOSIM_TEST(test_map_page_direction_sets_the_device_permissions),
		IOSIM_TEST(test_map_page_without_access_permission_is_refused),
		IOSIM_TEST(test_map_page_iova_above_4g_is_not_truncated),
		IOSIM_TEST(test_map_page_respects_the_device_dma_mask),
		IOSIM_TEST(test_map_page_iova_exhaustion_returns_error_with_nothing_allocated),
		IOSIM_TEST(test_map_page_failure_sweep_leaves_nothing_mapped),
		IOSIM_TEST(test_map_page_of_a_size_that_wraps_around_fails_cleanly),
		IOSIM_TEST(test_map_page_of_zero_bytes_is_warned_and_fails),
		IOSIM_TEST(test_unmap_page_twice_is_warned_and_ignored),
		IOSIM_TEST(test_unmap_page_of_a_handle_never_returned_is_warned_and_ignored),
		IOSIM_TEST(test_unmap_page_of_dma_error_code_is_warned_and_ignored),
		IOSIM_TEST(test_unmap_page_inside_a_mapping_but_not_its_start_is_warned_and_ignored),
	};

	/* One test by name (how meson runs the seed's known defects). */
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
