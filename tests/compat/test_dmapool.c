// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DMA pools: parameters refused, block size and alignment, boundaries, the
 * 2015 layout, reuse, poison, misuse (double free, foreign pointers,
 * destroying a busy pool), the checker against planted corruption, managed
 * pools, and allocation-failure sweeps.  The pools' pages come from a
 * region of declared coherent memory (exclusive, so running out of it
 * fails instead of falling back to DMA ops the compat layer lacks), which
 * makes the DMA addresses predictable: DEV_BASE onwards.
 */
#include <linux/kernel.h>
#include "ram_fixture.h"

#include <string.h>

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <iosim/device.h>
#include <iosim/devres.h>
#include <iosim/dmapool.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>

#include "dmapool_internal.h"

#define REGION_ORDER	4			/* 16 pages */
#define REGION_PAGES	(1 << REGION_ORDER)
#define DEV_BASE	0x40000000ULL		/* the region as the device sees it */

struct fixture {
	struct device *dev;
	struct page *pages;
};

static void fixture_init(struct fixture *f)
{
	struct iosim_device_config cfg = { .name = "pooldev" };

	iosim_log_set_console_level(0);
	f->dev = iosim_device_create(&cfg);
	assert_non_null(f->dev);
	f->pages = alloc_pages(GFP_KERNEL, REGION_ORDER);
	assert_non_null(f->pages);
	split_page(f->pages, REGION_ORDER);
	assert_int_equal(dma_declare_coherent_memory(f->dev, page_to_phys(f->pages), DEV_BASE,
						     REGION_PAGES * PAGE_SIZE,
						     DMA_MEMORY_MAP | DMA_MEMORY_EXCLUSIVE),
			 DMA_MEMORY_MAP);
}

static void fixture_fini(struct fixture *f)
{
	int i;

	dma_release_declared_memory(f->dev);
	iosim_device_destroy(f->dev);
	for (i = 0; i < REGION_PAGES; i++)
		__free_page(nth_page(f->pages, i));
	iosim_log_set_console_level(5);
}

static void *alloc_ok(struct dma_pool *pool, dma_addr_t *dma)
{
	void *p = dma_pool_alloc(pool, GFP_KERNEL, dma);

	assert_non_null(p);
	assert_int_equal(iosim_dma_pool_check(pool), 0);
	return p;
}

/* Bad parameters are refused, as the kernel refuses them. */
static void test_create_refuses_bad_parameters(void **state)
{
	struct fixture f;

	(void)state;
	fixture_init(&f);
	assert_null(dma_pool_create("p", f.dev, 64, 3, 0));		/* align not 2^n */
	assert_null(dma_pool_create("p", f.dev, 0, 8, 0));		/* no size */
	assert_null(dma_pool_create("p", f.dev, 64, 8, 100));	/* boundary not 2^n */
	assert_null(dma_pool_create("p", f.dev, 256, 8, 128));	/* boundary < size */
	assert_null(dma_pool_create("p", NULL, 64, 8, 0));
	assert_warned("dma_pool_create: NULL device or name");
	assert_true(list_empty(&f.dev->dma_pools));
	fixture_fini(&f);
}

/*
 * A page of 64-byte blocks holds one fewer than PAGE_SIZE / 64 (63 with 4K
 * pages): as in 2015, a block that would end on the boundary is skipped.
 */
#define BLOCKS_64	((int)(PAGE_SIZE / 64 - 1))

/*
 * Blocks are at least 4 bytes, rounded up to the alignment, and come
 * aligned; CPU and DMA addresses go together; BLOCKS_64 to a page.  The
 * pool takes a new page when a page is full, newest first.
 */
static void test_blocks_are_aligned_and_fill_pages(void **state)
{
	static dma_addr_t dma[BLOCKS_64 + 1];
	static void *p[BLOCKS_64 + 1];
	struct dma_pool *pool, *tiny;
	dma_addr_t tiny_dma;
	struct fixture f;
	void *t;
	int i;

	(void)state;
	fixture_init(&f);
	pool = dma_pool_create("aligned", f.dev, 24, 64, 0);
	assert_non_null(pool);
	assert_false(list_empty(&f.dev->dma_pools));
	assert_int_equal(iosim_dma_pool_blocks_per_page(pool), BLOCKS_64);
	assert_int_equal(iosim_dma_pool_nr_pages(pool), 0);
	for (i = 0; i < BLOCKS_64; i++) {
		p[i] = alloc_ok(pool, &dma[i]);
		assert_int_equal(dma[i] % 64, 0);
		assert_int_equal((uintptr_t)p[i] % 64, 0);
		assert_int_equal(dma[i], DEV_BASE + (dma_addr_t)i * 64);
		assert_ptr_equal((char *)p[i] - (char *)p[0], dma[i] - dma[0]);
	}
	assert_int_equal(iosim_dma_pool_nr_pages(pool), 1);
	p[BLOCKS_64] = alloc_ok(pool, &dma[BLOCKS_64]);
	assert_int_equal(dma[BLOCKS_64], DEV_BASE + PAGE_SIZE);
	assert_int_equal(iosim_dma_pool_nr_pages(pool), 2);
	assert_int_equal(iosim_dma_pool_in_use(pool), BLOCKS_64 + 1);

	tiny = dma_pool_create("tiny", f.dev, 1, 0, 0);
	assert_non_null(tiny);
	t = alloc_ok(tiny, &tiny_dma);
	assert_non_null(alloc_ok(tiny, &tiny_dma));
	assert_int_equal(tiny_dma, DEV_BASE + 2 * PAGE_SIZE + 4);	/* 4-byte blocks */
	dma_pool_free(tiny, t, tiny_dma - 4);
	dma_pool_free(tiny, (char *)t + 4, tiny_dma);
	dma_pool_destroy(tiny);

	for (i = 0; i <= BLOCKS_64; i++)
		dma_pool_free(pool, p[i], dma[i]);
	assert_int_equal(iosim_dma_pool_in_use(pool), 0);
	assert_int_equal(iosim_dma_pool_check(pool), 0);
	dma_pool_destroy(pool);
	assert_true(list_empty(&f.dev->dma_pools));
	fixture_fini(&f);
}

/* No block crosses the boundary, however the blocks fall. */
static void test_blocks_never_cross_the_boundary(void **state)
{
	static const size_t sizes[] = { 96, 100, 200, 512, 1000 };
	struct fixture f;
	size_t s;

	(void)state;
	fixture_init(&f);
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		struct dma_pool *pool = dma_pool_create("bound", f.dev, sizes[s], 4, 1024);
		size_t n, i, bs = ALIGN(sizes[s], 4);
		static dma_addr_t dma[PAGE_SIZE / 4];
		static void *p[PAGE_SIZE / 4];

		assert_non_null(pool);
		n = iosim_dma_pool_blocks_per_page(pool);
		assert_true(n <= ARRAY_SIZE(p));
		for (i = 0; i < n; i++) {
			p[i] = alloc_ok(pool, &dma[i]);
			assert_true((dma[i] % 1024) + bs <= 1024);
		}
		assert_int_equal(iosim_dma_pool_nr_pages(pool), 1);
		for (i = 0; i < n; i++)
			dma_pool_free(pool, p[i], dma[i]);
		dma_pool_destroy(pool);
	}
	/* A boundary above the page: a block never runs past its page. */
	{
		const size_t bs = PAGE_SIZE * 3 / 8;	/* 1536 bytes with 4K pages */
		struct dma_pool *pool = dma_pool_create("big-boundary", f.dev, bs, 0, 2 * PAGE_SIZE);
		dma_addr_t dma[2];
		void *p[2];

		assert_non_null(pool);
		assert_int_equal(iosim_dma_pool_blocks_per_page(pool), 2);
		p[0] = alloc_ok(pool, &dma[0]);
		p[1] = alloc_ok(pool, &dma[1]);
		assert_true(dma[1] - DEV_BASE + bs <= PAGE_SIZE);
		dma_pool_free(pool, p[0], dma[0]);
		dma_pool_free(pool, p[1], dma[1]);
		dma_pool_destroy(pool);
	}
	fixture_fini(&f);
}

/*
 * A freed block is the next one handed out (the page's free list is LIFO);
 * empty pages stay until the pool is destroyed.  New blocks hold 0xa9,
 * freed ones 0xa7 past their first four bytes.
 */
static void test_reuse_and_poison(void **state)
{
	dma_addr_t a_dma, b_dma, c_dma;
	struct dma_pool *pool;
	unsigned char *a, *b, *c;
	struct fixture f;

	(void)state;
	fixture_init(&f);
	pool = dma_pool_create("reuse", f.dev, 128, 0, 0);
	assert_non_null(pool);
	a = alloc_ok(pool, &a_dma);
	b = alloc_ok(pool, &b_dma);
	assert_true(iosim_bytes_all(a, 0xa9, 128));
	assert_true(iosim_bytes_all(b, 0xa9, 128));
	memset(a, 0x11, 128);
	dma_pool_free(pool, a, a_dma);
	assert_true(iosim_bytes_all(a + 4, 0xa7, 124));
	assert_int_equal(iosim_dma_pool_check(pool), 0);
	c = alloc_ok(pool, &c_dma);
	assert_ptr_equal(c, a);
	assert_int_equal(c_dma, a_dma);
	assert_true(iosim_bytes_all(c, 0xa9, 128));
	dma_pool_free(pool, b, b_dma);
	dma_pool_free(pool, c, c_dma);
	assert_int_equal(iosim_dma_pool_nr_pages(pool), 1);
	assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), 1);	/* the region's only */
	dma_pool_destroy(pool);
	assert_no_warnings();
	fixture_fini(&f);
}

/*
 * Misuse is logged with the kernel's messages, WARNs, and changes nothing:
 * a double free, a DMA address in no page, a CPU address that does not go
 * with its DMA address, an address inside a block.
 */
static void test_double_free_and_foreign_pointers_change_nothing(void **state)
{
	dma_addr_t a_dma, b_dma, c_dma;
	struct dma_pool *pool;
	struct fixture f;
	char *a, *b, *c;

	(void)state;
	fixture_init(&f);
	pool = dma_pool_create("misuse", f.dev, 64, 0, 0);
	assert_non_null(pool);
	a = alloc_ok(pool, &a_dma);
	b = alloc_ok(pool, &b_dma);
	dma_pool_free(pool, a, a_dma);

	dma_pool_free(pool, a, a_dma);
	assert_true(iosim_log_seen("pooldev: dma_pool_free misuse, dma 40000000 already free"));
	assert_warned("already free");
	dma_pool_free(pool, b, b_dma + PAGE_SIZE);
	assert_true(iosim_log_seen("(bad dma)"));
	assert_warned("(bad dma)");
	dma_pool_free(pool, b + 64, b_dma);
	assert_true(iosim_log_seen("(bad vaddr)/40000040"));
	assert_warned("(bad vaddr)");
	dma_pool_free(pool, b + 8, b_dma + 8);
	assert_warned("(not a block)");
	assert_int_equal(iosim_dma_pool_in_use(pool), 1);
	assert_int_equal(iosim_dma_pool_check(pool), 0);
	assert_true(iosim_bytes_all(b, 0xa9, 64));

	/* The pool works on: the free block comes back, then the next. */
	c = alloc_ok(pool, &c_dma);
	assert_ptr_equal(c, a);
	dma_pool_free(pool, b, b_dma);
	dma_pool_free(pool, c, c_dma);
	dma_pool_destroy(pool);
	dma_pool_destroy(NULL);
	assert_warned("dma_pool_destroy: NULL pool");
	fixture_fini(&f);
}

/*
 * Destroying a pool with a block in use logs "busy", WARNs, frees the idle
 * pages and leaks the busy page's coherent memory, as the kernel does (the
 * device may still use it): it stays a coherent allocation the test can
 * give back.
 */
static void test_destroy_while_busy_leaks_only_the_busy_page(void **state)
{
	dma_addr_t dma[64], busy_dma;
	struct dma_pool *pool;
	struct fixture f;
	void *p[64], *busy;
	size_t n, i;

	(void)state;
	fixture_init(&f);
	pool = dma_pool_create("busy", f.dev, PAGE_SIZE / 2, 0, 0);
	assert_non_null(pool);
	n = iosim_dma_pool_blocks_per_page(pool);
	assert_int_equal(n, 1);		/* 2015: the second block would end on the boundary */
	for (i = 0; i < 3; i++)
		p[i] = alloc_ok(pool, &dma[i]);
	assert_int_equal(iosim_dma_pool_nr_pages(pool), 3);
	busy = p[1];
	busy_dma = dma[1];
	dma_pool_free(pool, p[0], dma[0]);
	dma_pool_free(pool, p[2], dma[2]);

	dma_pool_destroy(pool);
	assert_warned("busy");
	assert_true(iosim_log_seen("pooldev: dma_pool_destroy busy, "));
	assert_true(list_empty(&f.dev->dma_pools));
	/* The leaked page is still allocated in the region: free it as what it is. */
	dma_free_coherent(f.dev, PAGE_SIZE, busy, busy_dma);
	fixture_fini(&f);
}

/*
 * A write into a free block (by the CPU or the device) is found by the
 * checker, and reported when the block is handed out again.  The page's
 * free-slot records (kept outside the blocks) are checked too: a slot
 * number that is not a block, one listed twice, one listed free while in
 * use; each passes again once undone.  dma_pool_alloc() does not trust a
 * corrupt record: the page is given up and another used.
 */
static void test_checker_and_alloc_find_writes_into_free_blocks(void **state)
{
	dma_addr_t a_dma, b_dma, c_dma;
	unsigned char *a, *b, *c, *raw;
	struct dma_pool *pool;
	unsigned int *slots, saved;
	struct fixture f;
	size_t nr;

	(void)state;
	fixture_init(&f);
	pool = dma_pool_create("check", f.dev, 64, 0, 0);
	assert_non_null(pool);
	a = alloc_ok(pool, &a_dma);
	b = alloc_ok(pool, &b_dma);
	dma_pool_free(pool, a, a_dma);
	raw = a;	/* written after the free, as a stray CPU or device would */
	assert_true(iosim_bytes_all(raw, 0xa7, 64));	/* nothing kept in a free block */

	/* A stray byte in the free block. */
	raw[10] = 0x00;
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("written at byte 10");
	raw[10] = 0xa7;
	assert_int_equal(iosim_dma_pool_check(pool), 0);

	/* The page's free-slot stack: a freed block is on top. */
	assert_null(iosim_dma_pool_free_slots(pool, DEV_BASE + PAGE_SIZE, NULL));
	slots = iosim_dma_pool_free_slots(pool, a_dma, &nr);
	assert_non_null(slots);
	assert_int_equal(nr, BLOCKS_64 - 1);
	assert_int_equal(slots[nr - 1], 0);		/* a */
	assert_int_equal(slots[nr - 2], 2);		/* the next never used */
	saved = slots[nr - 1];

	/* An entry that is not a block, one listed twice, one in use. */
	slots[nr - 1] = BLOCKS_64;
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("is not a block");
	slots[nr - 1] = 2;
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("block 2 listed free twice");
	slots[nr - 1] = 1;				/* b */
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("block 1 listed free but in use");
	slots[nr - 1] = saved;
	assert_int_equal(iosim_dma_pool_check(pool), 0);

	/* Handed out again, a corrupted block is reported (and returned). */
	raw[20] = 0x55;
	c = dma_pool_alloc(pool, GFP_KERNEL, &c_dma);
	assert_ptr_equal(c, a);
	assert_warned("dma_pool_alloc check, ");
	assert_true(iosim_log_seen("(corruped)"));
	assert_true(iosim_bytes_all(c, 0xa9, 64));
	assert_int_equal(iosim_dma_pool_check(pool), 0);
	dma_pool_free(pool, c, c_dma);

	/* A corrupt record is not used: the page is given up, a new one used. */
	slots[nr - 1] = BLOCKS_64 + 1000;
	c = dma_pool_alloc(pool, GFP_KERNEL, &c_dma);
	assert_non_null(c);
	assert_warned("(corrupted)");
	assert_int_equal(c_dma, DEV_BASE + PAGE_SIZE);
	assert_int_equal(iosim_dma_pool_nr_pages(pool), 2);
	assert_int_equal(iosim_dma_pool_in_use(pool), 2);
	slots[nr - 1] = saved;
	dma_pool_free(pool, c, c_dma);
	dma_pool_free(pool, b, b_dma);		/* blocks of a given-up page can be freed */
	assert_int_equal(iosim_dma_pool_in_use(pool), 0);
	/* The given-up page stays given up: the checker says so. */
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("given up");
	c = dma_pool_alloc(pool, GFP_KERNEL, &c_dma);	/* from the new page, not the given-up one */
	assert_non_null(c);
	assert_int_equal(c_dma, DEV_BASE + PAGE_SIZE);
	assert_no_warnings();
	dma_pool_free(pool, c, c_dma);
	dma_pool_destroy(pool);
	fixture_fini(&f);
}

/* The only chunk of a pool that has exactly one page. */
static struct dmapool_chunk *only_chunk(struct dma_pool *pool)
{
	assert_int_equal(iosim_dma_pool_nr_pages(pool), 1);
	return list_first_entry(&pool->chunks, struct dmapool_chunk, link);
}

/*
 * White box (compat/mm/dmapool_internal.h): the checker's reports on the
 * pool's geometry, its place on the device's list, the pages' links,
 * overlapping pages and each page's counts, each planted, reported and
 * undone; dma_pool_free() refuses a page whose records claim every block
 * free; NULL pools are WARNed.
 */
static void test_checker_reports_corrupt_geometry_lists_and_counts(void **state)
{
	struct dmapool_chunk *first, *second;
	static dma_addr_t more_dma[BLOCKS_64];
	static void *more[BLOCKS_64];
	dma_addr_t a_dma, saved_dma;
	struct list_head *saved_prev;
	unsigned int saved_off;
	struct dma_pool *pool;
	size_t saved_size;
	struct fixture f;
	int nr_more;
	void *a;

	(void)state;
	fixture_init(&f);
	pool = dma_pool_create("white", f.dev, 64, 0, 0);
	assert_non_null(pool);
	a = alloc_ok(pool, &a_dma);
	first = only_chunk(pool);

	/* Geometry: a block below the minimum, a boundary not a power of two. */
	saved_size = pool->block;
	pool->block = DMAPOOL_MIN_BLOCK - 1;
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("geometry: block 3");
	pool->block = saved_size;
	saved_size = pool->boundary;
	pool->boundary = 3 * 64;
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("geometry:");
	pool->boundary = saved_size;
	assert_int_equal(iosim_dma_pool_check(pool), 0);

	/* A block placed over the one before it, or past the page's end. */
	saved_off = pool->slot_off[1];
	pool->slot_off[1] = pool->slot_off[0] + 8;
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("block 1 at offset 8 misplaced");
	pool->slot_off[1] = saved_off;
	saved_off = pool->slot_off[pool->nr_slots - 1];
	pool->slot_off[pool->nr_slots - 1] = (unsigned int)pool->chunk_bytes - 8;
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("misplaced");
	pool->slot_off[pool->nr_slots - 1] = saved_off;
	assert_int_equal(iosim_dma_pool_check(pool), 0);

	/* Off its device's list of pools. */
	list_del_init(&pool->dev_link);
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("not on its device's list of pools");
	list_add(&pool->dev_link, &f.dev->dma_pools);
	assert_int_equal(iosim_dma_pool_check(pool), 0);

	/* A page whose neighbour on the list does not link back. */
	saved_prev = pool->chunks.prev;
	pool->chunks.prev = &pool->chunks;
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("broken list links");
	pool->chunks.prev = saved_prev;
	assert_int_equal(iosim_dma_pool_check(pool), 0);

	/* More free records than blocks; a block neither free nor marked in use. */
	first->nr_free = pool->nr_slots + 1;
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("free of");
	first->nr_free = pool->nr_slots - 1;
	clear_bit(0, first->busy);			/* a's bit */
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("free and 0 in use");
	set_bit(0, first->busy);
	assert_int_equal(iosim_dma_pool_check(pool), 0);

	/* Records claiming every block free: the free is refused, nothing changes. */
	first->nr_free = pool->nr_slots;
	dma_pool_free(pool, a, a_dma);
	assert_warned("page records full");
	first->nr_free = pool->nr_slots - 1;
	assert_int_equal(iosim_dma_pool_in_use(pool), 1);
	assert_int_equal(iosim_dma_pool_check(pool), 0);

	/* Two pages claiming the same DMA address. */
	for (nr_more = 0; iosim_dma_pool_nr_pages(pool) < 2; nr_more++)
		more[nr_more] = alloc_ok(pool, &more_dma[nr_more]);
	assert_int_equal(nr_more, BLOCKS_64);
	second = list_first_entry(&pool->chunks, struct dmapool_chunk, link);	/* newest first */
	assert_ptr_not_equal(second, first);
	saved_dma = second->dma;
	second->dma = first->dma + 64;
	assert_int_equal(iosim_dma_pool_check(pool), -EUCLEAN);
	assert_warned("overlap");
	second->dma = saved_dma;
	assert_int_equal(iosim_dma_pool_check(pool), 0);

	/* NULL pools. */
	dma_pool_free(NULL, a, a_dma);
	assert_warned("dma_pool_free: NULL pool");
	assert_int_equal(iosim_dma_pool_check(NULL), -EUCLEAN);
	assert_warned("iosim_dma_pool_check: NULL pool");

	while (nr_more--)
		dma_pool_free(pool, more[nr_more], more_dma[nr_more]);
	dma_pool_free(pool, a, a_dma);
	assert_int_equal(iosim_dma_pool_in_use(pool), 0);
	assert_int_equal(iosim_dma_pool_check(pool), 0);
	assert_no_warnings();
	dma_pool_destroy(pool);
	fixture_fini(&f);
}

/*
 * A managed pool is destroyed with the device's resources;
 * dmam_pool_destroy() destroys it at once; a pool that is not managed is
 * refused with a WARN.
 */
static void test_managed_pools(void **state)
{
	struct dma_pool *m, *plain;
	struct fixture f;
	dma_addr_t dma;
	void *p;

	(void)state;
	fixture_init(&f);
	m = dmam_pool_create("managed", f.dev, 256, 0, 0);
	assert_non_null(m);
	assert_int_equal(iosim_devres_count(f.dev), 1);
	p = alloc_ok(m, &dma);
	dma_pool_free(m, p, dma);
	dmam_pool_destroy(m);
	assert_int_equal(iosim_devres_count(f.dev), 0);
	assert_true(list_empty(&f.dev->dma_pools));

	plain = dma_pool_create("plain", f.dev, 256, 0, 0);
	assert_non_null(plain);
	dmam_pool_destroy(plain);
	assert_warned("dmam_pool_destroy: pool plain of 'pooldev' is not managed");
	assert_int_equal(iosim_dma_pool_check(plain), 0);
	dma_pool_destroy(plain);

	/* Left to the device: its resources are released with it. */
	m = dmam_pool_create("managed", f.dev, 256, 0, 0);
	assert_non_null(m);
	p = alloc_ok(m, &dma);
	dma_pool_free(m, p, dma);
	assert_int_equal(devres_release_group(f.dev, NULL), 0);	/* no group */
	assert_warned("has no group");
	{
		void *g = devres_open_group(f.dev, NULL, GFP_KERNEL);

		assert_non_null(dmam_pool_create("grouped", f.dev, 64, 0, 0));
		assert_int_equal(devres_release_group(f.dev, g), 1);
	}
	assert_int_equal(iosim_devres_count(f.dev), 1);
	dmam_pool_destroy(m);
	fixture_fini(&f);
}

/*
 * Running out of the region: allocation fails with NULL and the pool is
 * intact.  Then every allocation site failing once in turn while a pool is
 * created and filled: each failure leaves nothing behind.
 */
static void test_exhaustion_and_allocation_failure_sweep(void **state)
{
	dma_addr_t dma[REGION_PAGES + 1];
	void *p[REGION_PAGES + 1];
	struct dma_pool *pool;
	struct fixture f;
	unsigned long n;
	long slab;
	int i, got;
	bool done = false;

	(void)state;
	fixture_init(&f);
	pool = dma_pool_create("big", f.dev, PAGE_SIZE, 0, 0);
	assert_non_null(pool);
	for (got = 0; got <= REGION_PAGES; got++) {
		p[got] = dma_pool_alloc(pool, GFP_KERNEL, &dma[got]);
		if (!p[got])
			break;
	}
	assert_int_equal(got, REGION_PAGES);
	assert_int_equal(iosim_dma_pool_check(pool), 0);
	for (i = 0; i < got; i++)
		dma_pool_free(pool, p[i], dma[i]);
	dma_pool_destroy(pool);

	slab = iosim_live(IOSIM_OBJ_SLAB);
	for (n = 1; !done; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		pool = dmam_pool_create("sweep", f.dev, 512, 0, 0);
		for (got = 0; pool && got < 12; got++) {
			p[got] = dma_pool_alloc(pool, GFP_KERNEL, &dma[got]);
			if (!p[got])
				break;
		}
		done = iosim_fault_injected() == 0;
		iosim_fault_reset();
		if (pool) {
			assert_int_equal(iosim_dma_pool_check(pool), 0);
			assert_int_equal(iosim_dma_pool_in_use(pool), got);
			for (i = 0; i < got; i++)
				dma_pool_free(pool, p[i], dma[i]);
			dmam_pool_destroy(pool);
		} else {
			assert_false(done);
		}
		assert_int_equal(iosim_device_check(f.dev), 0);
		assert_int_equal(iosim_devres_count(f.dev), 0);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	}
	assert_true(n > 4);
	fixture_fini(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM(test_create_refuses_bad_parameters),
		IOSIM_TEST_RAM(test_blocks_are_aligned_and_fill_pages),
		IOSIM_TEST_RAM(test_blocks_never_cross_the_boundary),
		IOSIM_TEST_RAM(test_reuse_and_poison),
		IOSIM_TEST_RAM(test_double_free_and_foreign_pointers_change_nothing),
		IOSIM_TEST_RAM(test_destroy_while_busy_leaks_only_the_busy_page),
		IOSIM_TEST_RAM(test_checker_and_alloc_find_writes_into_free_blocks),
		IOSIM_TEST_RAM(test_checker_reports_corrupt_geometry_lists_and_counts),
		IOSIM_TEST_RAM(test_managed_pools),
		IOSIM_TEST_RAM(test_exhaustion_and_allocation_failure_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
