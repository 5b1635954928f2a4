// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * iommu_dma_alloc()/iommu_dma_free()/iommu_dma_mmap() end to end: buffers
 * contiguous in IOVA space built from the largest page blocks available,
 * read and written by a device behind the simulated IOMMU and by "user
 * space" through a simulated VMA.  Tests named after a defect of the seed's
 * glue fail when this file is linked against the seed's dma-iommu.c (see
 * meson.build).
 */
#include "glue_fixture.h"

#include <limits.h>
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
#include <iosim/slab.h>
#include <iosim/vma.h>

#define RW		(IOMMU_READ | IOMMU_WRITE)
#define RW_COHERENT	(IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE)

/* Every structure's sanity checker, after each step. */
static void check_all(struct glue *g)
{
	assert_int_equal(iosim_iova_check(g->iovad), 0);
	assert_int_equal(iosim_iommu_domain_check(g->domain), 0);
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_slab_check(), 0);
}

static u64 mapped_bytes(struct glue *g)
{
	struct iosim_iommu_stats st;

	assert_int_equal(iosim_iommu_domain_stats(g->domain, &st), 0);
	return st.mapped_bytes;
}

static unsigned int nr_pages_of(size_t size)
{
	return (unsigned int)(PAGE_ALIGN(size) >> PAGE_SHIFT);
}

/* Bytes of a buffer of @size the IOMMU maps: whole granules. */
static size_t mapped_size_of(struct glue *g, size_t size)
{
	return ALIGN(size, g->cfg.granule);
}

/* The CPU fills every page of the buffer through the linear map. */
static void fill_pages(struct page **pages, unsigned int count, unsigned int seed)
{
	unsigned int i;

	for (i = 0; i < count; i++)
		glue_fill(page_address(pages[i]), PAGE_SIZE, seed + i);
}

/* The buffer's first @len bytes, page after page, as the CPU sees them. */
static unsigned char *buffer_bytes(struct page **pages, size_t len)
{
	unsigned char *out = malloc(len ? len : 1);
	size_t pos;

	assert_non_null(out);
	for (pos = 0; pos < len; pos += PAGE_SIZE)
		memcpy(out + pos, page_address(pages[pos / PAGE_SIZE]),
		       min_t(size_t, PAGE_SIZE, len - pos));
	return out;
}

/* The device reads the mapped bytes through @handle: they are the pages' bytes in order. */
static void assert_device_reads_buffer(struct glue *g, dma_addr_t handle, struct page **pages,
				       size_t size)
{
	size_t len = mapped_size_of(g, size);
	unsigned char *want = buffer_bytes(pages, len), *got = malloc(len);

	assert_non_null(got);
	assert_int_equal(iosim_dma_read(g->dev, handle, got, len), 0);
	assert_memory_equal(got, want, len);
	free(got);
	free(want);
}

/* The device writes through @handle: the bytes land in the pages, in order. */
static void assert_device_writes_buffer(struct glue *g, dma_addr_t handle, struct page **pages,
					size_t size, unsigned int seed)
{
	size_t len = mapped_size_of(g, size);
	unsigned char *pattern = malloc(len), *now;

	assert_non_null(pattern);
	glue_fill(pattern, len, seed);
	assert_int_equal(iosim_dma_write(g->dev, handle, pattern, len), 0);
	now = buffer_bytes(pages, len);
	assert_memory_equal(now, pattern, len);
	free(now);
	free(pattern);
}

/* Every page of the array is a distinct, allocated, independent page. */
static void assert_pages_are_live_and_distinct(struct page **pages, unsigned int count)
{
	unsigned int i, j;

	for (i = 0; i < count; i++) {
		assert_non_null(pages[i]);
		assert_true(iosim_phys_is_allocated(page_to_phys(pages[i])));
		assert_true(page_count(pages[i]) >= 1);
		assert_false(PageCompound(pages[i]));
		for (j = 0; j < i; j++)
			assert_ptr_not_equal(pages[i], pages[j]);
	}
}

/* Live objects the glue may allocate, to compare before and after a call. */
struct live_snapshot {
	long pages, slab, vmalloc;
	unsigned long ranges;
	u64 mapped;
};

static void snapshot(struct glue *g, struct live_snapshot *s)
{
	s->pages = glue_pages_but_spare_tables(g);
	s->slab = iosim_live(IOSIM_OBJ_SLAB);
	s->vmalloc = iosim_live(IOSIM_OBJ_VMALLOC);
	s->ranges = glue_live_ranges(g);
	s->mapped = mapped_bytes(g);
}

static void assert_snapshot_unchanged(struct glue *g, const struct live_snapshot *s)
{
	struct live_snapshot now;

	snapshot(g, &now);
	assert_int_equal(now.pages, s->pages);
	assert_int_equal(now.slab, s->slab);
	assert_int_equal(now.vmalloc, s->vmalloc);
	assert_int_equal(now.ranges, s->ranges);
	assert_int_equal(now.mapped, s->mapped);
	check_all(g);
}

/* Allocate, check everything a good buffer must satisfy, and return it. */
static struct page **alloc_and_check(struct glue *g, size_t size, gfp_t gfp, int prot,
				     dma_addr_t *handle,
				     void (*flush)(struct device *, const void *, phys_addr_t))
{
	unsigned int count = nr_pages_of(size);
	unsigned long ranges = glue_live_ranges(g);
	u64 before = mapped_bytes(g);
	struct page **pages;

	pages = iommu_dma_alloc(g->dev, size, gfp, prot, handle, flush);
	assert_non_null(pages);
	assert_false(iommu_dma_mapping_error(g->dev, *handle));
	assert_int_equal(*handle & (g->cfg.granule - 1), 0);
	assert_true(*handle + mapped_size_of(g, size) - 1 <= g->dev->coherent_dma_mask);
	assert_int_equal(glue_live_ranges(g), ranges + 1);
	assert_int_equal(mapped_bytes(g), before + mapped_size_of(g, size));
	assert_pages_are_live_and_distinct(pages, count);
	check_all(g);
	return pages;
}

/*
 * Free, and assert every page went back to the allocator (unless a user
 * mapping still holds it) and the device can no longer reach any of it.
 */
static void free_and_check(struct glue *g, struct page **pages, size_t size, dma_addr_t *handle)
{
	unsigned int count = nr_pages_of(size), i;
	phys_addr_t *phys = malloc(count * sizeof(*phys));
	bool *user_mapped = malloc(count * sizeof(*user_mapped));
	unsigned long ranges = glue_live_ranges(g);
	dma_addr_t old = *handle;

	assert_non_null(phys);
	assert_non_null(user_mapped);
	for (i = 0; i < count; i++) {
		phys[i] = page_to_phys(pages[i]);
		user_mapped[i] = page_mapcount(pages[i]) > 0;
	}
	iommu_dma_free(g->dev, pages, size, handle);
	assert_true(*handle == DMA_ERROR_CODE);
	for (i = 0; i < count; i++)
		assert_int_equal(iosim_phys_is_allocated(phys[i]), user_mapped[i]);
	assert_int_equal(glue_live_ranges(g), ranges - 1);
	glue_assert_device_faults(g, old, mapped_size_of(g, size));
	check_all(g);
	free(user_mapped);
	free(phys);
}

/* --- the flush callback's record ------------------------------------------ */

#define FLUSH_MAX	64

static struct {
	struct glue *g;
	unsigned int nr;
	struct {
		struct device *dev;
		const void *virt;
		phys_addr_t phys;
		u64 mapped_then;	/* the domain's mapped bytes at the call */
	} call[FLUSH_MAX];
} flushes;

static void record_flush(struct device *dev, const void *virt, phys_addr_t phys)
{
	struct iosim_iommu_stats st;

	if (flushes.nr < FLUSH_MAX) {
		flushes.call[flushes.nr].dev = dev;
		flushes.call[flushes.nr].virt = virt;
		flushes.call[flushes.nr].phys = phys;
		iosim_iommu_domain_stats(flushes.g->domain, &st);
		flushes.call[flushes.nr].mapped_then = st.mapped_bytes;
	}
	flushes.nr++;
}

static void flushes_reset(struct glue *g)
{
	memset(&flushes, 0, sizeof(flushes));
	flushes.g = g;
}

/* --- a page allocator whose low-order free blocks are all ours ------------ */

/*
 * To see which order each of the glue's alloc_pages() calls asked for, every
 * free block of an order below POOL_ORDER is one the pool placed: the
 * allocator serves a request from the smallest free block that fits, so a
 * page of the buffer shows which order was requested by which pool block it
 * came from.  Each placed block's buddy stays allocated, so it cannot merge.
 */
#define POOL_ORDER	6
#define POOL_PAGES	(1U << POOL_ORDER)
#define POOL_MAX_BLOCK	3		/* the largest order placed */
#define POOL_DRAIN_MAX	256

struct order_pool {
	struct page *base;			/* the pool's 2^POOL_ORDER pages, split */
	int block_order[POOL_PAGES];		/* order of the free block a page heads, else -1 */
	bool released[POOL_PAGES];		/* handed back to the allocator */
	struct page *drained[POOL_DRAIN_MAX];	/* blocks taken out of the way */
	unsigned int drained_order[POOL_DRAIN_MAX];
	unsigned int nr_drained;
	/* Keep the slab pages and tables the glue needs, so it asks for no page early. */
	struct page *keeper_page;
	dma_addr_t keeper_dma;
	void *keeper_array;
};

/* Place want[j] free blocks of each order j <= POOL_MAX_BLOCK. */
static void pool_setup(struct glue *g, struct order_pool *p, const unsigned int *want,
		       size_t array_bytes)
{
	unsigned int j, n, off = 0, i;

	memset(p, 0, sizeof(*p));
	p->keeper_page = alloc_page(GFP_KERNEL);
	assert_non_null(p->keeper_page);
	p->keeper_dma = iommu_dma_map_page(g->dev, p->keeper_page, 0, PAGE_SIZE, RW);
	assert_false(iommu_dma_mapping_error(g->dev, p->keeper_dma));
	p->keeper_array = kmalloc(array_bytes, GFP_KERNEL);
	assert_non_null(p->keeper_array);

	/* Take every free block below POOL_ORDER out of the way, smallest first. */
	for (j = 0; j < POOL_ORDER; j++) {
		while (iosim_ram_free_blocks(j)) {
			assert_true(p->nr_drained < POOL_DRAIN_MAX);
			p->drained[p->nr_drained] = alloc_pages(GFP_KERNEL, j);
			assert_non_null(p->drained[p->nr_drained]);
			p->drained_order[p->nr_drained++] = j;
		}
	}
	/* Comes from a larger block: leaves no free block below POOL_ORDER. */
	p->base = alloc_pages(GFP_KERNEL, POOL_ORDER);
	assert_non_null(p->base);
	split_page(p->base, POOL_ORDER);
	for (i = 0; i < POOL_PAGES; i++)
		p->block_order[i] = -1;

	/* Largest first, each in a slot twice its size whose upper half stays ours. */
	for (j = POOL_MAX_BLOCK + 1; j-- > 0;) {
		for (n = 0; n < want[j]; n++) {
			assert_true(off + (2U << j) <= POOL_PAGES);
			p->block_order[off] = (int)j;
			for (i = off; i < off + (1U << j); i++) {
				p->released[i] = true;
				__free_page(p->base + i);
			}
			off += 2U << j;
		}
	}
	for (j = 0; j < POOL_ORDER; j++)
		assert_int_equal(iosim_ram_free_blocks(j), j <= POOL_MAX_BLOCK ? want[j] : 0);
}

static void pool_release(struct glue *g, struct order_pool *p)
{
	unsigned int i;

	for (i = 0; i < POOL_PAGES; i++)
		if (!p->released[i])
			__free_page(p->base + i);
	for (i = 0; i < p->nr_drained; i++)
		__free_pages(p->drained[i], p->drained_order[i]);
	kfree(p->keeper_array);
	iommu_dma_unmap_page(g->dev, p->keeper_dma, PAGE_SIZE, DMA_BIDIRECTIONAL, NULL);
	__free_page(p->keeper_page);
}

/*
 * Assert the array is made of whole pool blocks of the given orders, in
 * that order: so each alloc_pages() call asked for exactly that order.
 */
static void pool_assert_blocks(struct order_pool *p, struct page **pages,
			       const unsigned int *orders, unsigned int nr_blocks)
{
	bool used[POOL_PAGES] = { false };
	unsigned int b, i = 0, t;

	for (b = 0; b < nr_blocks; b++) {
		long idx = pages[i] - p->base;

		assert_in_range(idx, 0, POOL_PAGES - 1);
		assert_int_equal(p->block_order[idx], orders[b]);
		assert_false(used[idx]);
		used[idx] = true;
		for (t = 0; t < 1U << orders[b]; t++)
			assert_ptr_equal(pages[i + t], p->base + idx + t);
		i += 1U << orders[b];
	}
}

/*
 * Build a buffer of @count pages with the orders in @fail_mask failing, and
 * assert it is made of blocks of @orders.  Return the failures injected.
 */
static unsigned long alloc_from_pool(struct glue *g, unsigned int count, unsigned long fail_mask,
				     const unsigned int *orders, unsigned int nr_blocks)
{
	unsigned int want[POOL_MAX_BLOCK + 1], j, b;
	struct order_pool *p = malloc(sizeof(*p));
	struct page **pages;
	unsigned long injected;
	dma_addr_t handle;

	assert_non_null(p);
	/* One spare of each order the buffer should use, and one decoy of every other. */
	for (j = 0; j <= POOL_MAX_BLOCK; j++)
		want[j] = 1;
	for (b = 0; b < nr_blocks; b++)
		want[orders[b]]++;
	pool_setup(g, p, want, count * sizeof(struct page *));

	iosim_fault_fail_page_orders(fail_mask);
	pages = iommu_dma_alloc(g->dev, (size_t)count * PAGE_SIZE, GFP_KERNEL, RW_COHERENT,
				&handle, NULL);
	injected = iosim_fault_injected();
	iosim_fault_reset();
	assert_non_null(pages);
	pool_assert_blocks(p, pages, orders, nr_blocks);
	assert_pages_are_live_and_distinct(pages, count);
	check_all(g);

	/* Contiguous for the device, though not physically. */
	fill_pages(pages, count, 30);
	assert_device_reads_buffer(g, handle, pages, (size_t)count * PAGE_SIZE);
	free_and_check(g, pages, (size_t)count * PAGE_SIZE, &handle);
	pool_release(g, p);
	free(p);
	return injected;
}

/* --- tests ------------------------------------------------------------------ */

static void test_alloc_maps_the_buffer_contiguously_for_the_device(void **state)
{
	const size_t size = 5 * PAGE_SIZE + 100;
	struct glue_config cfg = { 0 };
	struct live_snapshot before;
	struct page **pages;
	dma_addr_t handle;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	snapshot(&g, &before);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	fill_pages(pages, nr_pages_of(size), 1);
	assert_device_reads_buffer(&g, handle, pages, size);
	assert_device_writes_buffer(&g, handle, pages, size, 2);
	/* Nothing past the buffer's granules is reachable. */
	glue_assert_device_faults(&g, handle + mapped_size_of(&g, size), g.cfg.granule);
	free_and_check(&g, pages, size, &handle);
	assert_snapshot_unchanged(&g, &before);
	glue_teardown(&g);
}

/* 11 pages: an order-3 block, then order 1, then order 0, none failing. */
static void test_alloc_takes_the_largest_block_that_fits_first(void **state)
{
	static const unsigned int orders[] = { 3, 1, 0 };
	struct glue_config cfg = { 0 };
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	assert_int_equal(alloc_from_pool(&g, 11, 0, orders, 3), 0);
	glue_teardown(&g);
}

/*
 * 8 pages with every order above k failing, for k = 3, 2, 1, 0: the buffer
 * is 8 >> k blocks of order k, down to single pages, and the larger orders
 * were tried first.
 */
static void test_alloc_falls_back_order_by_order_to_single_pages(void **state)
{
	struct glue_config cfg = { 0 };
	unsigned int orders[8], k, b;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	for (k = 4; k-- > 0;) {
		unsigned long fail_mask = ~0UL << (k + 1);

		for (b = 0; b < 8U >> k; b++)
			orders[b] = k;
		assert_true(alloc_from_pool(&g, 8, fail_mask, orders, 8U >> k) >= 3 - k);
		glue_assert_idle(&g);
	}
	glue_teardown(&g);
}

/*
 * __GFP_COMP from the caller, and compound pages that cannot be split.  The
 * seed freed a block whose split_huge_page() failed but kept its pointer,
 * so when order 1 failed that way the freed page went into the array (and
 * was handed out again, or freed twice later).
 */
static void test_alloc_with_gfp_comp_never_puts_a_freed_page_in_the_array(void **state)
{
	const size_t size = 4 * PAGE_SIZE;
	struct glue_config cfg = { 0 };
	struct live_snapshot before;
	struct page **pages;
	dma_addr_t handle;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	snapshot(&g, &before);
	iosim_fault_fail_from(IOSIM_FAULT_SITE(IOSIM_FAULT_SPLIT_HUGE), 1);
	pages = iommu_dma_alloc(g.dev, size, GFP_KERNEL | __GFP_COMP, RW_COHERENT, &handle, NULL);
	iosim_fault_reset();
	assert_non_null(pages);
	assert_pages_are_live_and_distinct(pages, 4);
	check_all(&g);
	fill_pages(pages, 4, 3);
	assert_device_reads_buffer(&g, handle, pages, size);
	free_and_check(&g, pages, size, &handle);
	assert_snapshot_unchanged(&g, &before);
	glue_teardown(&g);
}

static void test_alloc_flushes_every_page_before_mapping_for_a_non_coherent_device(void **state)
{
	const size_t size = 3 * PAGE_SIZE + 1;
	struct glue_config cfg = { 0 };
	struct page **pages;
	dma_addr_t handle;
	struct glue g;
	unsigned int i;

	(void)state;
	glue_setup(&g, &cfg);
	flushes_reset(&g);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW, &handle, record_flush);
	assert_int_equal(flushes.nr, nr_pages_of(size));
	for (i = 0; i < flushes.nr; i++) {
		assert_ptr_equal(flushes.call[i].dev, g.dev);
		assert_ptr_equal(flushes.call[i].virt, page_address(pages[i]));
		assert_int_equal(flushes.call[i].phys, page_to_phys(pages[i]));
		/* Before the device could see the buffer. */
		assert_int_equal(flushes.call[i].mapped_then, 0);
	}
	/* Non-coherent: the mapping is not cacheable. */
	{
		struct iosim_iommu_pte pte;

		assert_int_equal(iosim_iommu_domain_lookup(g.domain, handle, &pte), 0);
		assert_int_equal(pte.prot & IOMMU_CACHE, 0);
	}
	free_and_check(&g, pages, size, &handle);
	assert_int_equal(flushes.nr, nr_pages_of(size));	/* free flushes nothing */
	glue_teardown(&g);
}

static void test_alloc_does_not_flush_for_a_coherent_device(void **state)
{
	const size_t size = 3 * PAGE_SIZE + 1;
	struct glue_config cfg = { 0 };
	struct iosim_iommu_pte pte;
	struct page **pages;
	dma_addr_t handle;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	flushes_reset(&g);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, record_flush);
	assert_int_equal(flushes.nr, 0);
	assert_int_equal(iosim_iommu_domain_lookup(g.domain, handle, &pte), 0);
	assert_int_equal(pte.prot & IOMMU_CACHE, IOMMU_CACHE);
	free_and_check(&g, pages, size, &handle);
	assert_int_equal(flushes.nr, 0);
	glue_teardown(&g);
}

/* prot is what the device gets: read-only, write-only. */
static void test_alloc_gives_the_device_the_access_prot_asks_for(void **state)
{
	static const int prots[] = { IOMMU_READ | IOMMU_CACHE, IOMMU_WRITE | IOMMU_CACHE };
	const size_t size = 2 * PAGE_SIZE;
	struct glue_config cfg = { 0 };
	unsigned char *data = malloc(size);
	struct page **pages;
	dma_addr_t handle;
	struct glue g;
	unsigned int i;

	(void)state;
	glue_setup(&g, &cfg);
	for (i = 0; i < 2; i++) {
		unsigned char *before;
		int ret;

		pages = alloc_and_check(&g, size, GFP_KERNEL, prots[i], &handle, NULL);
		fill_pages(pages, 2, 4);
		before = buffer_bytes(pages, size);
		ret = iosim_dma_read(g.dev, handle, data, size);
		assert_int_equal(ret, prots[i] & IOMMU_READ ? 0 : -EFAULT);
		if (!ret)
			assert_memory_equal(data, before, size);
		glue_fill(data, size, 5);
		ret = iosim_dma_write(g.dev, handle, data, size);
		assert_int_equal(ret, prots[i] & IOMMU_WRITE ? 0 : -EFAULT);
		if (ret) {
			unsigned char *now = buffer_bytes(pages, size);

			assert_memory_equal(now, before, size);
			free(now);
		} else {
			assert_device_writes_buffer(&g, handle, pages, size, 6);
		}
		iosim_iommu_clear_faults(g.iommu);
		free(before);
		free_and_check(&g, pages, size, &handle);
	}
	free(data);
	glue_teardown(&g);
}

static void test_alloc_with_gfp_zero_gives_zeroed_pages(void **state)
{
	const size_t size = 3 * PAGE_SIZE;
	struct glue_config cfg = { 0 };
	unsigned char *zero = calloc(1, size), *bytes;
	struct page **pages;
	dma_addr_t handle;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	pages = alloc_and_check(&g, size, GFP_KERNEL | __GFP_ZERO, RW_COHERENT, &handle, NULL);
	bytes = buffer_bytes(pages, size);
	assert_memory_equal(bytes, zero, size);
	assert_device_reads_buffer(&g, handle, pages, size);
	free(bytes);
	free_and_check(&g, pages, size, &handle);
	free(zero);
	glue_teardown(&g);
}

/*
 * Not a multiple of PAGE_SIZE: whole pages are allocated, whole granules
 * mapped, and the device cannot reach past the granules.
 */
static void test_alloc_of_a_partial_page_maps_only_the_granules_it_needs(void **state)
{
	static const size_t extra[] = { 1, 100, SZ_4K - 1, SZ_4K + 1 };
	struct glue_config cfg = { 0 };
	struct live_snapshot before;
	struct page **pages;
	dma_addr_t handle;
	struct glue g;
	unsigned int i;

	(void)state;
	glue_setup(&g, &cfg);
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++) {
		size_t size = 2 * PAGE_SIZE + extra[i] % PAGE_SIZE;

		snapshot(&g, &before);
		pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
		fill_pages(pages, nr_pages_of(size), 7 + i);
		assert_device_reads_buffer(&g, handle, pages, size);
		glue_assert_device_faults(&g, handle + mapped_size_of(&g, size), g.cfg.granule);
		free_and_check(&g, pages, size, &handle);
		assert_snapshot_unchanged(&g, &before);
	}
	glue_teardown(&g);
}

/* The coherent mask limits the buffer's IOVA, not the streaming one. */
static void test_alloc_respects_the_coherent_dma_mask(void **state)
{
	struct glue_config cfg = { .dma_size = 0x800000000ULL };
	const size_t size = 4 * PAGE_SIZE;
	struct page **pages;
	dma_addr_t handle;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	g.dev->coherent_dma_mask = DMA_BIT_MASK(32);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	assert_true(handle + size - 1 <= DMA_BIT_MASK(32));
	fill_pages(pages, 4, 8);
	assert_device_reads_buffer(&g, handle, pages, size);
	free_and_check(&g, pages, size, &handle);
	glue_teardown(&g);
}

static void test_alloc_iova_exhaustion_returns_null_with_nothing_allocated(void **state)
{
	/* Three usable granules: a four-page buffer cannot fit. */
	struct glue_config cfg = { .dma_size = 4 * SZ_4K };
	struct live_snapshot before;
	struct page **pages;
	dma_addr_t handle = 0;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	snapshot(&g, &before);
	pages = iommu_dma_alloc(g.dev, 4 * SZ_4K, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	assert_null(pages);
	assert_true(handle == DMA_ERROR_CODE);
	assert_snapshot_unchanged(&g, &before);
	glue_assert_idle(&g);
	glue_teardown(&g);
}

/*
 * Fail each allocation and IOMMU map in turn.  A failure the page
 * allocator's fallback absorbs still gives a complete buffer; any other
 * leaves nothing allocated and *handle == DMA_ERROR_CODE.
 */
static void alloc_failure_sweep(struct glue *g, size_t size)
{
	unsigned int mask = IOSIM_FAULT_ALLOCS | IOSIM_FAULT_SITE(IOSIM_FAULT_IOMMU_MAP);
	struct live_snapshot before;
	unsigned long n, failures = 0;
	struct page **pages = NULL;
	dma_addr_t handle = 0;

	snapshot(g, &before);
	for (n = 1; n < 10000; n++) {
		flushes_reset(g);
		iosim_fault_fail_nth(mask, n);
		pages = iommu_dma_alloc(g->dev, size, GFP_KERNEL, RW, &handle, record_flush);
		if (!iosim_fault_injected())
			break;
		iosim_fault_reset();
		if (pages) {
			assert_false(iommu_dma_mapping_error(g->dev, handle));
			assert_pages_are_live_and_distinct(pages, nr_pages_of(size));
			assert_device_reads_buffer(g, handle, pages, size);
			free_and_check(g, pages, size, &handle);
		} else {
			assert_true(handle == DMA_ERROR_CODE);
			failures++;
		}
		assert_snapshot_unchanged(g, &before);
		glue_assert_idle(g);
	}
	iosim_fault_reset();
	assert_true(failures >= 3);	/* the array, the IOVA, a map call at least */
	assert_non_null(pages);
	assert_int_equal(flushes.nr, nr_pages_of(size));
	fill_pages(pages, nr_pages_of(size), 9);
	assert_device_reads_buffer(g, handle, pages, size);
	free_and_check(g, pages, size, &handle);
	assert_snapshot_unchanged(g, &before);
}

static void test_alloc_failure_sweep_leaves_nothing_allocated(void **state)
{
	struct glue_config cfg = { 0 };
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	/* 12 pages: an order-3 and an order-2 block, several runs to map. */
	alloc_failure_sweep(&g, 11 * PAGE_SIZE + 100);
	glue_assert_idle(&g);
	glue_teardown(&g);
}

/* A page array larger than a page comes from vzalloc(): that site too. */
static void test_alloc_failure_sweep_with_a_vmalloc_page_array(void **state)
{
	const unsigned int count = PAGE_SIZE / sizeof(struct page *) + 1;
	struct glue_config cfg = { 0 };
	struct glue g;

	(void)state;
	if ((u64)count * PAGE_SIZE > IOSIM_RAM_DEFAULT_SIZE / 2)
		skip();		/* 64K pages: the buffer would not fit in RAM */
	glue_setup(&g, &cfg);
	alloc_failure_sweep(&g, (size_t)count * PAGE_SIZE);
	glue_assert_idle(&g);
	glue_teardown(&g);
}

/*
 * A size whose page count does not fit the glue's unsigned int count must
 * fail, not allocate a truncated array and map past its end.
 */
static void test_alloc_of_more_pages_than_can_be_counted_fails_cleanly(void **state)
{
	struct glue_config cfg = { .dma_size = 1ULL << 47 };
	const size_t size = ((size_t)UINT_MAX + 2) * PAGE_SIZE;
	struct live_snapshot before;
	struct page **pages;
	dma_addr_t handle = 0;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	snapshot(&g, &before);
	pages = iommu_dma_alloc(g.dev, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	assert_null(pages);
	assert_true(handle == DMA_ERROR_CODE);
	pages = iommu_dma_alloc(g.dev, SIZE_MAX - 10, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	assert_null(pages);
	assert_true(handle == DMA_ERROR_CODE);
	assert_snapshot_unchanged(&g, &before);
	glue_teardown(&g);
}

static void test_alloc_of_zero_bytes_is_warned_and_fails(void **state)
{
	struct glue_config cfg = { 0 };
	struct live_snapshot before;
	dma_addr_t handle = 0;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	snapshot(&g, &before);
	assert_null(iommu_dma_alloc(g.dev, 0, GFP_KERNEL, RW_COHERENT, &handle, NULL));
	assert_warned("zero-sized");
	assert_true(handle == DMA_ERROR_CODE);
	assert_snapshot_unchanged(&g, &before);
	glue_teardown(&g);
}

static void test_alloc_without_access_permission_is_refused(void **state)
{
	struct glue_config cfg = { 0 };
	struct live_snapshot before;
	dma_addr_t handle = 0;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	snapshot(&g, &before);
	assert_null(iommu_dma_alloc(g.dev, PAGE_SIZE, GFP_KERNEL, IOMMU_CACHE, &handle, NULL));
	assert_warned("no access");
	assert_true(handle == DMA_ERROR_CODE);
	assert_snapshot_unchanged(&g, &before);
	glue_teardown(&g);
}

static void test_alloc_non_coherent_without_flush_callback_is_warned_and_fails(void **state)
{
	struct glue_config cfg = { 0 };
	struct live_snapshot before;
	dma_addr_t handle = 0;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	snapshot(&g, &before);
	assert_null(iommu_dma_alloc(g.dev, PAGE_SIZE, GFP_KERNEL, RW, &handle, NULL));
	assert_warned("without a flush callback");
	assert_true(handle == DMA_ERROR_CODE);
	assert_snapshot_unchanged(&g, &before);
	glue_teardown(&g);
}

/*
 * A handle that is not the buffer's: WARNed, and nothing is freed (the
 * seed dereferenced find_iova()'s NULL, then freed the pages anyway).
 */
static void test_free_of_a_handle_never_returned_is_warned_and_frees_nothing(void **state)
{
	const size_t size = 2 * PAGE_SIZE;
	struct glue_config cfg = { 0 };
	struct live_snapshot held;
	struct page **pages;
	dma_addr_t handle, stray;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	fill_pages(pages, 2, 10);
	snapshot(&g, &held);
	stray = ((dma_addr_t)g.iovad->start_pfn << iova_shift(g.iovad)) + 7 * g.cfg.granule;
	assert_null(find_iova(g.iovad, iova_pfn(g.iovad, stray)));
	iommu_dma_free(g.dev, pages, size, &stray);
	assert_warned("is not mapped");
	assert_snapshot_unchanged(&g, &held);
	assert_pages_are_live_and_distinct(pages, 2);
	assert_device_reads_buffer(&g, handle, pages, size);
	free_and_check(&g, pages, size, &handle);
	glue_teardown(&g);
}

/* A second free (with the DMA_ERROR_CODE the first left, or a stale copy) changes nothing. */
static void test_free_twice_is_warned_and_ignored(void **state)
{
	const size_t size = 3 * PAGE_SIZE;
	struct glue_config cfg = { 0 };
	struct live_snapshot before;
	struct page **pages;
	dma_addr_t handle, stale;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	snapshot(&g, &before);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	stale = handle;
	free_and_check(&g, pages, size, &handle);
	assert_snapshot_unchanged(&g, &before);
	iommu_dma_free(g.dev, pages, size, &handle);
	assert_warned("DMA_ERROR_CODE");
	assert_snapshot_unchanged(&g, &before);
	iommu_dma_free(g.dev, pages, size, &stale);
	assert_warned("is not mapped");
	assert_snapshot_unchanged(&g, &before);
	glue_teardown(&g);
}

/* --- mmap ------------------------------------------------------------------ */

/* Assert user page i of @vma is buffer page @first + i, showing its bytes. */
static void assert_vma_shows_pages(struct vm_area_struct *vma, struct page **pages,
				   unsigned long first, unsigned long nr)
{
	unsigned long i;

	assert_int_equal(iosim_vma_check(vma), 0);
	for (i = 0; i < nr; i++) {
		const void *uaddr = (const void *)(vma->vm_start + i * PAGE_SIZE);

		assert_ptr_equal(iosim_vma_page(vma, (unsigned long)uaddr), pages[first + i]);
		assert_memory_equal(uaddr, page_address(pages[first + i]), PAGE_SIZE);
	}
}

static void assert_vma_maps_nothing(struct vm_area_struct *vma)
{
	unsigned long addr;

	for (addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE)
		assert_null(iosim_vma_page(vma, addr));
}

static void test_mmap_gives_user_space_the_buffer(void **state)
{
	const size_t size = 4 * PAGE_SIZE;
	struct glue_config cfg = { 0 };
	struct vm_area_struct *vma;
	struct page **pages;
	unsigned char *user;
	dma_addr_t handle;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	fill_pages(pages, 4, 11);
	vma = iosim_vma_create(size, 0);
	assert_non_null(vma);
	assert_int_equal(iommu_dma_mmap(pages, size, vma), 0);
	assert_vma_shows_pages(vma, pages, 0, 4);
	/* User writes reach the pages, so the device reads them through the handle. */
	user = (unsigned char *)vma->vm_start;
	glue_fill(user, size, 12);
	assert_vma_shows_pages(vma, pages, 0, 4);
	assert_device_reads_buffer(&g, handle, pages, size);
	/* Device writes show up in user space. */
	assert_device_writes_buffer(&g, handle, pages, size, 13);
	assert_vma_shows_pages(vma, pages, 0, 4);
	iosim_vma_destroy(vma);
	free_and_check(&g, pages, size, &handle);
	glue_teardown(&g);
}

static void test_mmap_honours_vm_pgoff(void **state)
{
	const size_t size = 4 * PAGE_SIZE + 10;		/* five pages */
	struct glue_config cfg = { 0 };
	struct vm_area_struct *vma;
	struct page **pages;
	dma_addr_t handle;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	fill_pages(pages, 5, 14);
	/* Pages 1 and 2. */
	vma = iosim_vma_create(2 * PAGE_SIZE, 1);
	assert_int_equal(iommu_dma_mmap(pages, size, vma), 0);
	assert_vma_shows_pages(vma, pages, 1, 2);
	iosim_vma_destroy(vma);
	/* The last page, partial in the buffer but whole in the VMA. */
	vma = iosim_vma_create(PAGE_SIZE, 4);
	assert_int_equal(iommu_dma_mmap(pages, size, vma), 0);
	assert_vma_shows_pages(vma, pages, 4, 1);
	iosim_vma_destroy(vma);
	free_and_check(&g, pages, size, &handle);
	glue_teardown(&g);
}

static void test_mmap_of_a_vma_smaller_than_the_buffer_maps_only_the_vma(void **state)
{
	const size_t size = 3 * PAGE_SIZE;
	struct glue_config cfg = { 0 };
	struct vm_area_struct *vma;
	struct page **pages;
	dma_addr_t handle;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	fill_pages(pages, 3, 15);
	vma = iosim_vma_create(PAGE_SIZE, 0);
	assert_int_equal(iommu_dma_mmap(pages, size, vma), 0);
	assert_vma_shows_pages(vma, pages, 0, 1);
	assert_int_equal(page_mapcount(pages[1]), 0);
	assert_int_equal(page_mapcount(pages[2]), 0);
	iosim_vma_destroy(vma);
	free_and_check(&g, pages, size, &handle);
	glue_teardown(&g);
}

static void test_mmap_with_vm_pgoff_past_the_buffer_fails(void **state)
{
	const size_t size = 3 * PAGE_SIZE;
	struct glue_config cfg = { 0 };
	struct vm_area_struct *vma;
	struct page **pages;
	dma_addr_t handle;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	vma = iosim_vma_create(PAGE_SIZE, 3);
	assert_int_equal(iommu_dma_mmap(pages, size, vma), -ENXIO);
	assert_vma_maps_nothing(vma);
	iosim_vma_destroy(vma);
	free_and_check(&g, pages, size, &handle);
	glue_teardown(&g);
}

/*
 * A VMA that runs past the end of the buffer.  The seed (and its arm64
 * caller, which checks nothing) mapped what the buffer had and reported
 * success, leaving the rest of the user mapping unbacked.
 */
static void test_mmap_of_a_vma_running_past_the_buffer_fails_with_nothing_mapped(void **state)
{
	const size_t size = 3 * PAGE_SIZE;
	struct glue_config cfg = { 0 };
	struct vm_area_struct *vma;
	struct page **pages;
	dma_addr_t handle;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	vma = iosim_vma_create(3 * PAGE_SIZE, 2);
	assert_int_equal(iommu_dma_mmap(pages, size, vma), -ENXIO);
	assert_vma_maps_nothing(vma);
	iosim_vma_destroy(vma);
	vma = iosim_vma_create(4 * PAGE_SIZE, 0);
	assert_int_equal(iommu_dma_mmap(pages, size, vma), -ENXIO);
	assert_vma_maps_nothing(vma);
	iosim_vma_destroy(vma);
	free_and_check(&g, pages, size, &handle);
	glue_teardown(&g);
}

/* vm_insert_page() failing: its error is returned; pages inserted before stay with the VMA. */
static void test_mmap_returns_the_error_of_a_failed_vm_insert_page(void **state)
{
	const size_t size = 3 * PAGE_SIZE;
	struct glue_config cfg = { 0 };
	struct vm_area_struct *vma;
	struct page **pages;
	dma_addr_t handle;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	fill_pages(pages, 3, 16);
	vma = iosim_vma_create(size, 0);
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_VM_INSERT), 2);
	assert_int_equal(iommu_dma_mmap(pages, size, vma), -ENOMEM);
	assert_int_equal(iosim_fault_injected(), 1);
	iosim_fault_reset();
	assert_vma_shows_pages(vma, pages, 0, 1);
	assert_null(iosim_vma_page(vma, vma->vm_start + PAGE_SIZE));
	assert_null(iosim_vma_page(vma, vma->vm_start + 2 * PAGE_SIZE));
	iosim_vma_destroy(vma);
	/* The first failure fails the first insert: nothing mapped. */
	vma = iosim_vma_create(size, 0);
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_VM_INSERT), 1);
	assert_int_equal(iommu_dma_mmap(pages, size, vma), -ENOMEM);
	iosim_fault_reset();
	assert_vma_maps_nothing(vma);
	iosim_vma_destroy(vma);
	free_and_check(&g, pages, size, &handle);
	glue_teardown(&g);
}

/* The user mapping holds its own page references: freeing first is safe. */
static void test_mmap_keeps_the_pages_until_the_vma_goes(void **state)
{
	const size_t size = 2 * PAGE_SIZE;
	struct glue_config cfg = { 0 };
	struct live_snapshot before;
	struct vm_area_struct *vma;
	struct page **pages;
	unsigned char *copy;
	dma_addr_t handle;
	struct glue g;

	(void)state;
	glue_setup(&g, &cfg);
	snapshot(&g, &before);
	pages = alloc_and_check(&g, size, GFP_KERNEL, RW_COHERENT, &handle, NULL);
	fill_pages(pages, 2, 17);
	copy = buffer_bytes(pages, size);
	vma = iosim_vma_create(size, 0);
	assert_int_equal(iommu_dma_mmap(pages, size, vma), 0);
	iommu_dma_free(g.dev, pages, size, &handle);
	assert_true(handle == DMA_ERROR_CODE);
	assert_int_equal(iosim_vma_check(vma), 0);
	assert_memory_equal((const void *)vma->vm_start, copy, size);
	iosim_vma_destroy(vma);
	assert_snapshot_unchanged(&g, &before);
	free(copy);
	glue_teardown(&g);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_alloc_maps_the_buffer_contiguously_for_the_device),
		IOSIM_TEST(test_alloc_takes_the_largest_block_that_fits_first),
		IOSIM_TEST(test_alloc_falls_back_order_by_order_to_single_pages),
		IOSIM_TEST(test_alloc_with_gfp_comp_never_puts_a_freed_page_in_the_array),
		IOSIM_TEST(test_alloc_flushes_every_page_before_mapping_for_a_non_coherent_device),
		IOSIM_TEST(test_alloc_does_not_flush_for_a_coherent_device),
		IOSIM_TEST(test_alloc_gives_the_device_the_access_prot_asks_for),
		IOSIM_TEST(test_alloc_with_gfp_zero_gives_zeroed_pages),
		IOSIM_TEST(test_alloc_of_a_partial_page_maps_only_the_granules_it_needs),
		IOSIM_TEST(test_alloc_respects_the_coherent_dma_mask),
		IOSIM_TEST(test_alloc_iova_exhaustion_returns_null_with_nothing_allocated),
		IOSIM_TEST(test_alloc_failure_sweep_leaves_nothing_allocated),
		IOSIM_TEST(test_alloc_failure_sweep_with_a_vmalloc_page_array),
		IOSIM_TEST(test_alloc_of_more_pages_than_can_be_counted_fails_cleanly),
		IOSIM_TEST(test_alloc_of_zero_bytes_is_warned_and_fails),
		IOSIM_TEST(test_alloc_without_access_permission_is_refused),
		IOSIM_TEST(test_alloc_non_coherent_without_flush_callback_is_warned_and_fails),
		IOSIM_TEST(test_free_of_a_handle_never_returned_is_warned_and_frees_nothing),
		IOSIM_TEST(test_free_twice_is_warned_and_ignored),
		IOSIM_TEST(test_mmap_gives_user_space_the_buffer),
		IOSIM_TEST(test_mmap_honours_vm_pgoff),
		IOSIM_TEST(test_mmap_of_a_vma_smaller_than_the_buffer_maps_only_the_vma),
		IOSIM_TEST(test_mmap_with_vm_pgoff_past_the_buffer_fails),
		IOSIM_TEST(test_mmap_of_a_vma_running_past_the_buffer_fails_with_nothing_mapped),
		IOSIM_TEST(test_mmap_returns_the_error_of_a_failed_vm_insert_page),
		IOSIM_TEST(test_mmap_keeps_the_pages_until_the_vma_goes),
	};

	/* One test by name (how meson runs the seed's known defects). */
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
