// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sg tables: sg_alloc_table()'s chunk layout (pages for full chunks, kmalloc
 * for the rest) at every size around SG_MAX_SINGLE_ALLOC and far beyond,
 * walked by every walker; __sg_alloc_table()/__sg_free_table() with custom
 * allocators and a preallocated first chunk; allocation-failure sweeps that
 * check the kernel's leftover state and that nothing stays allocated; and
 * sg_alloc_table_from_pages(_segment) on many page patterns checked against
 * an independent model of the expected segments and byte by byte through
 * page memory.  iosim_sg_table_check() runs after every step.
 */
#include "ram_fixture.h"
#include "test_rng.h"

#include "iosim_test.h"

#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include <iosim/sg.h>
#include <iosim/slab.h>
#include <iosim/warn.h>

#define assert_sgt_ok(sgt)	assert_int_equal(iosim_sg_table_check(sgt), 0)
#define SG_MAX			((unsigned int)SG_MAX_SINGLE_ALLOC)

/* --- fixture: simulated RAM around every test ---------------------------------- */

#define SG_TEST(fn)	IOSIM_TEST_RAM(fn)

static struct page *alloc_block(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL, order);

	assert_non_null(page);
	return page;
}

/* The content every test writes to byte @pos of frame @pfn: position-unique. */
static u8 frame_byte(unsigned long pfn, unsigned long pos)
{
	u64 x = ((u64)pfn << 32) ^ pos;

	x *= 0x9e3779b97f4a7c15ULL;
	return (u8)(x >> 56);
}

static void fill_frames(struct page *block, unsigned int nr_pages)
{
	unsigned int i;
	unsigned long pos;

	for (i = 0; i < nr_pages; i++) {
		u8 *p = page_address(block + i);

		for (pos = 0; pos < PAGE_SIZE; pos++)
			p[pos] = frame_byte(page_to_pfn(block + i), pos);
	}
}

/* Chunk sizes sg_alloc_table() must use for @nents: returns how many. */
static unsigned int model_chunks(unsigned int nents, unsigned int max_ents, unsigned int *sizes)
{
	unsigned int left = nents, nr = 0;

	while (left) {
		if (left > max_ents) {
			sizes[nr++] = max_ents;
			left -= max_ents - 1;
		} else {
			sizes[nr++] = left;
			left = 0;
		}
	}
	return nr;
}

/*
 * Pieces sg_miter must produce for an entry: [offset, offset + length) of the
 * block at @page, cut at page boundaries.  Appends to @pages/@offs/@lens.
 */
struct piece_model {
	struct page **page;
	unsigned int *off;
	unsigned int *len;
	unsigned long nr;
};

static void model_entry_pieces(struct piece_model *m, struct page *page,
			       unsigned long offset, unsigned long length)
{
	while (length) {
		unsigned long in_page = offset % PAGE_SIZE;
		unsigned long len = PAGE_SIZE - in_page < length ? PAGE_SIZE - in_page : length;

		m->page[m->nr] = page + offset / PAGE_SIZE;
		m->off[m->nr] = (unsigned int)in_page;
		m->len[m->nr] = (unsigned int)len;
		m->nr++;
		offset += len;
		length -= len;
	}
}

/* --- sg_alloc_table ------------------------------------------------------------------- */

static long pages_outside_slab(void)
{
	return iosim_live(IOSIM_OBJ_PAGE) - (long)iosim_slab_nr_pages();
}

/*
 * Check the chunk layout of a fresh table: chunk k starts where the previous
 * link points, full chunks are page-aligned pages of simulated RAM (from the
 * page allocator), smaller ones kmalloc()ed, and every data entry is clear.
 */
static void check_fresh_table_layout(struct sg_table *sgt, unsigned int nents,
				     long pages_before, long slab_before)
{
	unsigned int sizes[1024], nr_chunks, k, j, nr_full = 0, seen = 0;
	struct scatterlist *chunk = sgt->sgl;

	nr_chunks = model_chunks(nents, SG_MAX, sizes);
	assert_true(nr_chunks <= ARRAY_SIZE(sizes));
	for (k = 0; k < nr_chunks; k++) {
		bool last_chunk = k == nr_chunks - 1;
		unsigned int data = last_chunk ? sizes[k] : sizes[k] - 1;

		if (sizes[k] == SG_MAX) {
			nr_full++;
			assert_true(virt_addr_valid(chunk));
			assert_int_equal((uintptr_t)chunk % PAGE_SIZE, 0);
		} else {
			/* kmalloc memory is simulated lowmem too, in a slab page. */
			assert_true(virt_addr_valid(chunk));
			assert_int_equal((uintptr_t)chunk % ARCH_KMALLOC_MINALIGN, 0);
		}
		for (j = 0; j < data; j++) {
			bool last = last_chunk && j == data - 1;

			assert_int_equal(chunk[j].page_link, last ? SG_END : 0);
			assert_int_equal(chunk[j].offset, 0);
			assert_int_equal(chunk[j].length, 0);
			assert_int_equal(chunk[j].dma_address, 0);
			assert_int_equal(chunk[j].dma_length, 0);
			seen++;
		}
		if (!last_chunk) {
			assert_true(sg_is_chain(&chunk[SG_MAX - 1]));
			chunk = sg_chain_ptr(&chunk[SG_MAX - 1]);
		}
	}
	assert_int_equal(seen, nents);
	assert_int_equal(pages_outside_slab() - pages_before, nr_full);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB) - slab_before, nr_chunks - nr_full);
}

/*
 * Fill entry i with a piece of @pool (6 pages) that may cross pages, then walk
 * the table with for_each_sg, sg_next, sg_nents, sg_last and sg_miter,
 * checking every entry, every page visited and the byte count.
 */
static unsigned long pool_entry_offset(unsigned int i)
{
	return (i * 13UL) % (2 * PAGE_SIZE);
}

static unsigned int pool_entry_len(unsigned int i)
{
	return 1 + (unsigned int)((i * 31UL) % (2 * PAGE_SIZE));
}

static void fill_and_walk_table(struct sg_table *sgt, struct page *pool)
{
	unsigned int n = sgt->orig_nents, i;
	struct scatterlist *sg, *last = NULL, **where = calloc(n, sizeof(*where));
	struct piece_model m = { 0 };
	struct sg_mapping_iter miter;
	u64 total = 0, walked = 0;
	unsigned long p = 0;

	assert_non_null(where);
	/* At most 3 pieces per entry. */
	m.page = calloc(3UL * n, sizeof(*m.page));
	m.off = calloc(3UL * n, sizeof(*m.off));
	m.len = calloc(3UL * n, sizeof(*m.len));
	assert_true(m.page && m.off && m.len);

	for_each_sg(sgt->sgl, sg, n, i) {
		sg_set_page(sg, pool + i % 3, pool_entry_len(i),
			    (unsigned int)pool_entry_offset(i));
		model_entry_pieces(&m, pool + i % 3, pool_entry_offset(i), pool_entry_len(i));
		total += pool_entry_len(i);
		where[i] = sg;
		last = sg;
	}
	assert_sgt_ok(sgt);

	i = 0;
	for (sg = sgt->sgl; sg; sg = sg_next(sg)) {
		assert_ptr_equal(sg, where[i]);
		assert_ptr_equal(sg_page(sg), pool + i % 3);
		assert_int_equal(sg->length, pool_entry_len(i));
		i++;
	}
	assert_int_equal(i, n);
	assert_int_equal(sg_nents(sgt->sgl), n);
	assert_ptr_equal(sg_last(sgt->sgl, n), last);
	assert_int_equal(sg_nents_for_len(sgt->sgl, total), n);

	sg_miter_start(&miter, sgt->sgl, n, SG_MITER_FROM_SG);
	while (sg_miter_next(&miter)) {
		assert_true(p < m.nr);
		assert_ptr_equal(miter.page, m.page[p]);
		assert_ptr_equal(miter.addr, (char *)page_address(m.page[p]) + m.off[p]);
		assert_int_equal(miter.length, m.len[p]);
		walked += miter.length;
		p++;
	}
	sg_miter_stop(&miter);
	assert_int_equal(p, m.nr);
	assert_int_equal(walked, total);

	free(m.page);
	free(m.off);
	free(m.len);
	free(where);
}

static void test_sg_alloc_table_chains_page_chunks_at_every_size(void **state)
{
	const unsigned int sizes[] = {
		1, 2, SG_MAX - 1, SG_MAX, SG_MAX + 1, 2 * SG_MAX - 2, 2 * SG_MAX - 1,
		2 * SG_MAX, 3 * SG_MAX - 2, 10000,
	};
	/* Entries reach 2 + 4 pages into the pool (see pool_entry_*()). */
	struct page *pool = alloc_block(3);
	unsigned int s;

	(void)state;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		long pages_before = iosim_live(IOSIM_OBJ_PAGE);
		long slab_pages_before = (long)iosim_slab_nr_pages();
		long slab_before = iosim_live(IOSIM_OBJ_SLAB);
		struct sg_table sgt;

		memset(&sgt, 0xa5, sizeof(sgt));
		assert_int_equal(sg_alloc_table(&sgt, sizes[s], GFP_KERNEL), 0);
		assert_int_equal(sgt.nents, sizes[s]);
		assert_int_equal(sgt.orig_nents, sizes[s]);
		assert_sgt_ok(&sgt);
		check_fresh_table_layout(&sgt, sizes[s], pages_before - slab_pages_before,
					 slab_before);
		fill_and_walk_table(&sgt, pool);

		sg_free_table(&sgt);
		assert_null(sgt.sgl);
		assert_int_equal(sgt.orig_nents, 0);
		assert_int_equal(sgt.nents, sizes[s]);	/* the kernel leaves it */
		assert_sgt_ok(&sgt);
		assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), pages_before);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab_before);
	}
	__free_pages(pool, 3);
}

static void test_sg_alloc_table_of_zero_entries_fails_quietly_with_a_cleared_header(void **state)
{
	struct sg_table sgt;

	(void)state;
	memset(&sgt, 0xa5, sizeof(sgt));
	assert_int_equal(sg_alloc_table(&sgt, 0, GFP_KERNEL), -EINVAL);
	assert_no_warnings();
	assert_null(sgt.sgl);
	assert_int_equal(sgt.nents, 0);
	assert_int_equal(sgt.orig_nents, 0);
	assert_sgt_ok(&sgt);
}

static void test_sg_alloc_table_of_a_null_table_warns(void **state)
{
	(void)state;
	assert_int_equal(sg_alloc_table(NULL, 4, GFP_KERNEL), -EINVAL);
	assert_warned("__sg_alloc_table: NULL table");
	sg_free_table(NULL);
	assert_warned("__sg_free_table: NULL table");
}

static void test_sg_free_table_twice_or_of_an_empty_table_does_nothing(void **state)
{
	struct sg_table sgt = { 0 };

	(void)state;
	sg_free_table(&sgt);
	assert_int_equal(sg_alloc_table(&sgt, SG_MAX + 3, GFP_KERNEL), 0);
	sg_free_table(&sgt);
	sg_free_table(&sgt);
	assert_null(sgt.sgl);
	assert_sgt_ok(&sgt);
}

/*
 * Fail the n-th allocation for n = 1, 2, ... until sg_alloc_table() succeeds.
 * Each full chunk is one page allocation; the last, smaller chunk is a
 * kmalloc() that may also need a new slab page, so it is one or two calls.
 * Failure n therefore hits chunk min(n, nr_chunks) (1-based), and the kernel
 * leaves nents at the count reached: (k - 1) * (SG_MAX - 1) + 1 for a failed
 * chunk k > 1.
 */
static void sweep_sg_alloc_table_failures(unsigned int nents)
{
	unsigned int sizes[1024], nr_chunks = model_chunks(nents, SG_MAX, sizes);
	long pages_before = iosim_live(IOSIM_OBJ_PAGE);
	long slab_pages_before = (long)iosim_slab_nr_pages();
	long slab_before = iosim_live(IOSIM_OBJ_SLAB);
	unsigned long nth;

	for (nth = 1;; nth++) {
		unsigned long failed_chunk = nth < nr_chunks ? nth : nr_chunks;
		struct sg_table sgt;
		int ret;

		memset(&sgt, 0xa5, sizeof(sgt));
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, nth);
		ret = sg_alloc_table(&sgt, nents, GFP_KERNEL);
		if (!iosim_fault_injected()) {
			assert_int_equal(ret, 0);
			assert_true(nth >= nr_chunks + 1 && nth <= nr_chunks + 2);
			assert_int_equal(iosim_fault_calls(IOSIM_FAULT_ALLOCS), nth - 1);
			assert_sgt_ok(&sgt);
			check_fresh_table_layout(&sgt, nents, pages_before - slab_pages_before,
						 slab_before);
			sg_free_table(&sgt);
			break;
		}
		assert_true(nth <= nr_chunks + 1);
		assert_int_equal(ret, -ENOMEM);
		assert_int_equal(iosim_fault_calls(IOSIM_FAULT_ALLOCS), nth);
		assert_null(sgt.sgl);
		assert_int_equal(sgt.orig_nents, 0);
		assert_int_equal(sgt.nents, failed_chunk == 1 ? 0 :
				 (failed_chunk - 1) * (SG_MAX - 1) + 1);
		assert_sgt_ok(&sgt);
		assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), pages_before);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab_before);
		assert_int_equal(iosim_ram_check(), 0);
	}
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), pages_before);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab_before);
}

static void test_sg_alloc_table_failure_at_every_chunk_leaves_nothing_allocated(void **state)
{
	const unsigned int sizes[] = { 1, SG_MAX - 1, SG_MAX, SG_MAX + 1, 3 * SG_MAX, 10000 };
	unsigned int s;

	(void)state;
	for (s = 0; s < ARRAY_SIZE(sizes); s++)
		sweep_sg_alloc_table_failures(sizes[s]);
}

/* --- __sg_alloc_table / __sg_free_table with custom allocators ------------------------ */

static unsigned int alloc_calls, alloc_fail_at, free_calls;
static unsigned int freed_sizes[64];
static struct scatterlist *allocated[64], *freed[64];

static struct scatterlist *chunk_alloc_fn(unsigned int nents, gfp_t gfp)
{
	struct scatterlist *sgl;

	if (++alloc_calls == alloc_fail_at)
		return NULL;
	sgl = kmalloc(nents * sizeof(*sgl), gfp);
	assert_non_null(sgl);
	memset(sgl, 0x77, nents * sizeof(*sgl));	/* __sg_alloc_table must clear it */
	allocated[alloc_calls - 1] = sgl;
	return sgl;
}

static void chunk_free_fn(struct scatterlist *sgl, unsigned int nents)
{
	freed[free_calls] = sgl;
	freed_sizes[free_calls++] = nents;
	kfree(sgl);
}

static void reset_chunk_allocator(unsigned int fail_at)
{
	alloc_calls = 0;
	free_calls = 0;
	alloc_fail_at = fail_at;
}

static void test___sg_alloc_table_chains_in_chunks_of_max_ents(void **state)
{
	struct sg_table sgt;
	struct scatterlist *sg;
	unsigned int i;

	(void)state;
	reset_chunk_allocator(0);
	/* 10 entries in chunks of 4: 3 + link, 3 + link, 4. */
	assert_int_equal(__sg_alloc_table(&sgt, 10, 4, NULL, GFP_KERNEL, chunk_alloc_fn), 0);
	assert_int_equal(alloc_calls, 3);
	assert_int_equal(sgt.orig_nents, 10);
	assert_sgt_ok(&sgt);
	assert_ptr_equal(sgt.sgl, allocated[0]);
	assert_ptr_equal(sg_chain_ptr(&allocated[0][3]), allocated[1]);
	assert_ptr_equal(sg_chain_ptr(&allocated[1][3]), allocated[2]);
	assert_true(sg_is_last(&allocated[2][3]));
	for_each_sg(sgt.sgl, sg, 10, i)
		assert_ptr_equal(sg, &allocated[i / 3 < 2 ? i / 3 : 2][i < 6 ? i % 3 : i - 6]);

	__sg_free_table(&sgt, 4, false, chunk_free_fn);
	assert_int_equal(free_calls, 3);
	for (i = 0; i < 3; i++) {
		assert_ptr_equal(freed[i], allocated[i]);
		assert_int_equal(freed_sizes[i], 4);
	}
	assert_null(sgt.sgl);
}

static void test___sg_alloc_table_uses_and_free_skips_a_preallocated_first_chunk(void **state)
{
	struct scatterlist first[4];
	struct sg_table sgt;

	(void)state;
	reset_chunk_allocator(0);
	memset(first, 0x77, sizeof(first));
	assert_int_equal(__sg_alloc_table(&sgt, 9, 4, first, GFP_KERNEL, chunk_alloc_fn), 0);
	/* 3 + link in first, 3 + link, 3: two allocations. */
	assert_int_equal(alloc_calls, 2);
	assert_ptr_equal(sgt.sgl, first);
	assert_int_equal(first[0].page_link, 0);
	assert_ptr_equal(sg_chain_ptr(&first[3]), allocated[0]);
	assert_sgt_ok(&sgt);
	assert_int_equal(sg_nents(sgt.sgl), 9);

	__sg_free_table(&sgt, 4, true, chunk_free_fn);
	assert_int_equal(free_calls, 2);
	assert_ptr_equal(freed[0], allocated[0]);
	assert_ptr_equal(freed[1], allocated[1]);
	assert_int_equal(freed_sizes[1], 3);

	/* A list that fits the first chunk allocates nothing. */
	reset_chunk_allocator(0);
	assert_int_equal(__sg_alloc_table(&sgt, 4, 4, first, GFP_KERNEL, chunk_alloc_fn), 0);
	assert_int_equal(alloc_calls, 0);
	assert_true(sg_is_last(&first[3]));
	__sg_free_table(&sgt, 4, true, chunk_free_fn);
	assert_int_equal(free_calls, 0);
}

static void test___sg_alloc_table_failure_leaves_the_chunks_for___sg_free_table(void **state)
{
	struct sg_table sgt;

	(void)state;
	/* The third chunk fails: two chunks stay linked, the second unchained. */
	reset_chunk_allocator(3);
	assert_int_equal(__sg_alloc_table(&sgt, 20, 4, NULL, GFP_KERNEL, chunk_alloc_fn), -ENOMEM);
	assert_int_equal(sgt.orig_nents, 3 + 4);
	assert_int_equal(sgt.nents, 3 + 4);
	assert_ptr_equal(sgt.sgl, allocated[0]);
	assert_sgt_ok(&sgt);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 2);

	__sg_free_table(&sgt, 4, false, chunk_free_fn);
	assert_int_equal(free_calls, 2);
	assert_int_equal(freed_sizes[0], 4);
	assert_int_equal(freed_sizes[1], 4);
	assert_int_equal(sgt.orig_nents, 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);

	/* The first chunk fails: nothing to free, the header is clear. */
	reset_chunk_allocator(1);
	assert_int_equal(__sg_alloc_table(&sgt, 20, 4, NULL, GFP_KERNEL, chunk_alloc_fn), -ENOMEM);
	assert_null(sgt.sgl);
	assert_int_equal(sgt.nents, 0);
	assert_int_equal(sgt.orig_nents, 0);
}

static void test___sg_alloc_table_with_unusable_max_ents_warns(void **state)
{
	struct sg_table sgt;

	(void)state;
	reset_chunk_allocator(0);
	assert_int_equal(__sg_alloc_table(&sgt, 3, 0, NULL, GFP_KERNEL, chunk_alloc_fn), -EINVAL);
	assert_warned("cannot chain 3 entries in chunks of 0");
	assert_int_equal(__sg_alloc_table(&sgt, 2, 1, NULL, GFP_KERNEL, chunk_alloc_fn), -EINVAL);
	assert_warned("cannot chain 2 entries in chunks of 1");
	assert_int_equal(__sg_alloc_table(&sgt, 2, 4, NULL, GFP_KERNEL, NULL), -EINVAL);
	assert_warned("no allocator");
	assert_int_equal(alloc_calls, 0);
	assert_null(sgt.sgl);

	/* One entry in chunks of one needs no chaining. */
	assert_int_equal(__sg_alloc_table(&sgt, 1, 1, NULL, GFP_KERNEL, chunk_alloc_fn), 0);
	assert_sgt_ok(&sgt);
	__sg_free_table(&sgt, 1, false, chunk_free_fn);
	assert_int_equal(free_calls, 1);
}

static void test___sg_free_table_with_the_wrong_max_ents_warns_and_frees_nothing(void **state)
{
	long pages_before = iosim_live(IOSIM_OBJ_PAGE);
	struct sg_table sgt, copy;

	(void)state;
	reset_chunk_allocator(0);
	assert_int_equal(sg_alloc_table(&sgt, 2 * SG_MAX + 5, GFP_KERNEL), 0);
	copy = sgt;
	__sg_free_table(&sgt, 10, false, chunk_free_fn);
	assert_warned("max_ents 10 does not match the table");
	assert_int_equal(free_calls, 0);
	assert_memory_equal(&sgt, &copy, sizeof(sgt));

	__sg_free_table(&sgt, 0, false, chunk_free_fn);
	assert_warned("cannot free");
	__sg_free_table(&sgt, 1, false, chunk_free_fn);
	assert_warned("in chunks of 1");
	__sg_free_table(&sgt, SG_MAX, false, NULL);
	assert_warned("without a free_fn");
	assert_memory_equal(&sgt, &copy, sizeof(sgt));
	assert_sgt_ok(&sgt);

	sg_free_table(&sgt);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), pages_before);
}

/* --- sg_alloc_table_from_pages(_segment) ---------------------------------------------- */

#define POOL_ORDER	4
#define POOL_PAGES	(1u << POOL_ORDER)
#define MAX_PATTERN	32

struct seg {
	unsigned int page_idx;	/* index into the page array */
	unsigned long offset;
	unsigned long length;
};

/*
 * The model: the buffer is bytes [offset, offset + size) of the pages laid
 * end to end.  Runs are maximal stretches of consecutive frames, cut every
 * @max_pages pages.  Each run yields one segment: the part of the buffer
 * inside it.  The request makes sense only if every run holds part of the
 * buffer (the first may hold an empty one if it is the only run) and the
 * pages hold all of it.  Returns the number of segments, or -1 if invalid.
 */
static int model_from_pages(const unsigned long *pfns, unsigned int n, unsigned long offset,
			    unsigned long size, unsigned long max_pages, struct seg *segs)
{
	unsigned long end = offset + size;
	unsigned int i = 0, nr = 0, run_start = 0;

	if (!n || size > n * PAGE_SIZE || end > n * PAGE_SIZE)
		return -1;
	while (i < n) {
		unsigned long lo, hi;

		run_start = i++;
		while (i < n && pfns[i] == pfns[i - 1] + 1 && i - run_start < max_pages)
			i++;
		lo = max(offset, run_start * PAGE_SIZE);
		hi = min(end, i * PAGE_SIZE);
		if (nr == 0 && offset >= i * PAGE_SIZE)
			return -1;	/* the buffer does not start in the first run */
		if (nr > 0 && hi <= lo)
			return -1;	/* a run holds none of the buffer */
		segs[nr].page_idx = run_start;
		segs[nr].offset = lo - run_start * PAGE_SIZE;
		segs[nr].length = hi - lo;
		nr++;
	}
	return (int)nr;
}

/*
 * The result matches the model entry by entry and, if @check_bytes, byte by
 * byte: copying the table out must give the buffer as read straight from
 * the pages' memory.
 */
static void check_table_against_model(struct sg_table *sgt, struct page **pages,
				      unsigned int n, const struct seg *segs, int nr_segs,
				      unsigned long offset, unsigned long size, bool check_bytes)
{
	struct scatterlist *sg;
	unsigned long k;
	unsigned int i;
	u8 *buf, *expect;

	assert_sgt_ok(sgt);
	assert_int_equal(sgt->orig_nents, nr_segs);
	assert_int_equal(sgt->nents, nr_segs);
	for_each_sg(sgt->sgl, sg, sgt->orig_nents, i) {
		assert_ptr_equal(sg_page(sg), pages[segs[i].page_idx]);
		assert_int_equal(sg->offset, segs[i].offset);
		assert_int_equal(sg->length, segs[i].length);
	}

	if (!check_bytes)
		return;
	buf = malloc(size + 1);
	expect = malloc(n * PAGE_SIZE);
	assert_true(buf && expect);
	for (i = 0; i < n; i++)
		memcpy(expect + i * PAGE_SIZE, page_address(pages[i]), PAGE_SIZE);
	assert_int_equal(sg_copy_to_buffer(sgt->sgl, sgt->orig_nents, buf, size + 1), size);
	if (memcmp(buf, expect + offset, size)) {
		for (k = 0; buf[k] == expect[offset + k]; k++)
			;
		fail_msg("byte %lu of the buffer: %#x, want %#x", k, buf[k], expect[offset + k]);
	}
	free(expect);
	free(buf);
}

/*
 * Run both variants on one request and compare with the model; for a bad
 * request expect a WARN, -EINVAL, an untouched header and no allocation.
 */
static void check_from_pages(struct page **pages, unsigned int n, unsigned long offset,
			     unsigned long size, unsigned int max_segment, bool check_bytes)
{
	unsigned long pfns[MAX_PATTERN], seg_pages = (max_segment & PAGE_MASK) >> PAGE_SHIFT;
	struct seg segs[MAX_PATTERN];
	long pages_before = iosim_live(IOSIM_OBJ_PAGE);
	long slab_before = iosim_live(IOSIM_OBJ_SLAB);
	struct sg_table sgt, sentinel;
	unsigned int i;
	int nr_segs, ret;

	assert_true(n <= MAX_PATTERN);
	for (i = 0; i < n; i++)
		pfns[i] = page_to_pfn(pages[i]);
	memset(&sentinel, 0xa5, sizeof(sentinel));

	/* 2015: no segment limit (beyond what fits in an unsigned int). */
	nr_segs = model_from_pages(pfns, n, offset, size, ULONG_MAX, segs);
	sgt = sentinel;
	ret = sg_alloc_table_from_pages(&sgt, pages, n, offset, size, GFP_KERNEL);
	if (nr_segs < 0) {
		assert_int_equal(ret, -EINVAL);
		assert_warned("sg_alloc_table_from_pages: ");
		assert_memory_equal(&sgt, &sentinel, sizeof(sgt));
	} else {
		assert_int_equal(ret, 0);
		check_table_against_model(&sgt, pages, n, segs, nr_segs, offset, size,
					  check_bytes);
		sg_free_table(&sgt);
	}

	/* With a limit: at least a page, or a WARN. */
	sgt = sentinel;
	ret = sg_alloc_table_from_pages_segment(&sgt, pages, n, (unsigned int)offset, size,
						max_segment, GFP_KERNEL);
	if (!seg_pages) {
		assert_int_equal(ret, -EINVAL);
		assert_warned("max_segment rounds down");
		assert_memory_equal(&sgt, &sentinel, sizeof(sgt));
	} else {
		nr_segs = model_from_pages(pfns, n, offset, size, seg_pages, segs);
		if (nr_segs < 0) {
			assert_int_equal(ret, -EINVAL);
			assert_warned("sg_alloc_table_from_pages_segment: ");
			assert_memory_equal(&sgt, &sentinel, sizeof(sgt));
		} else {
			assert_int_equal(ret, 0);
			check_table_against_model(&sgt, pages, n, segs, nr_segs, offset, size,
						  check_bytes);
			for (i = 0; i < (unsigned int)nr_segs; i++)
				assert_true(segs[i].length <= max_segment);
			sg_free_table(&sgt);
		}
	}
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), pages_before);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab_before);
}

static void pattern_pages(struct page *pool, const unsigned int *idx, unsigned int n,
			  struct page **pages)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		pages[i] = pool + idx[i];
}

static void test_from_pages_matches_the_model_on_page_patterns(void **state)
{
	static const struct {
		unsigned int n;
		unsigned int idx[MAX_PATTERN];
	} patterns[] = {
		{ 1, { 0 } },
		{ 2, { 0, 1 } },
		{ 2, { 1, 0 } },
		{ 8, { 0, 1, 2, 3, 4, 5, 6, 7 } },
		{ 6, { 0, 1, 2, 4, 5, 7 } },
		{ 8, { 7, 6, 5, 4, 3, 2, 1, 0 } },
		{ 3, { 3, 3, 3 } },
		{ 16, { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 } },
		{ 10, { 5, 6, 0, 1, 2, 9, 10, 11, 12, 15 } },
		{ 8, { 2, 3, 4, 5, 4, 5, 6, 7 } },
		{ 5, { 0, 2, 4, 6, 8 } },
		{ 7, { 9, 10, 11, 12, 13, 14, 3 } },
	};
	const unsigned long offsets[] = {
		0, 1, PAGE_SIZE / 2, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, 2 * PAGE_SIZE + 3,
	};
	const unsigned int max_segments[] = {
		UINT_MAX, 0, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, 2 * PAGE_SIZE - 1,
		2 * PAGE_SIZE, 3 * PAGE_SIZE, 3 * PAGE_SIZE + PAGE_SIZE / 2, 100 * PAGE_SIZE,
	};
	struct page *pool = alloc_block(POOL_ORDER);
	struct page *pages[MAX_PATTERN];
	unsigned int p, o, m, s;

	(void)state;
	fill_frames(pool, POOL_PAGES);
	for (p = 0; p < ARRAY_SIZE(patterns); p++) {
		unsigned long full = patterns[p].n * PAGE_SIZE;

		pattern_pages(pool, patterns[p].idx, patterns[p].n, pages);
		for (o = 0; o < ARRAY_SIZE(offsets); o++) {
			unsigned long off = offsets[o];
			const unsigned long sizes[] = {
				full - min(off, full), full - min(off, full) - 1,
				full - min(off, full) - (PAGE_SIZE - 1), 1, 0, PAGE_SIZE,
				full - min(off, full) + 1, PAGE_SIZE * 3 / 2,
			};

			for (s = 0; s < ARRAY_SIZE(sizes); s++) {
				if (sizes[s] > full)	/* (wrapped: too short a pattern) */
					continue;
				/* Bytes are checked for one limit: enough, and fast. */
				for (m = 0; m < ARRAY_SIZE(max_segments); m++)
					check_from_pages(pages, patterns[p].n, off, sizes[s],
							 max_segments[m], m == 3);
			}
		}
	}
	__free_pages(pool, POOL_ORDER);
}

static void test_from_pages_matches_the_model_on_random_requests(void **state)
{
	struct page *pool = alloc_block(POOL_ORDER);
	struct page *pages[MAX_PATTERN];
	unsigned int iter;

	(void)state;
	fill_frames(pool, POOL_PAGES);
	rng_state = 2015;
	for (iter = 0; iter < 1500; iter++) {
		unsigned int n = 1 + (unsigned int)rng_below(24), i, max_segment;
		unsigned long idx = rng_below(POOL_PAGES), offset, size;

		/* Mostly runs, sometimes a jump anywhere (backwards, same page...). */
		for (i = 0; i < n; i++) {
			if (i && rng_below(10) < 7 && idx + 1 < POOL_PAGES)
				idx++;
			else if (i)
				idx = rng_below(POOL_PAGES);
			pages[i] = pool + idx;
		}
		offset = rng_below(4) ? rng_below(PAGE_SIZE) : rng_below(3 * PAGE_SIZE);
		size = rng_below(5) ? n * PAGE_SIZE - min(offset, n * PAGE_SIZE) -
				      rng_below(PAGE_SIZE) : rng_below(n * PAGE_SIZE + 2);
		if (size > n * PAGE_SIZE + 1)
			size = rng_below(2 * PAGE_SIZE);
		max_segment = UINT_MAX;
		if (rng_below(6))
			max_segment = (unsigned int)(PAGE_SIZE / 2 + rng_below(6 * PAGE_SIZE));
		check_from_pages(pages, n, offset, size, max_segment, iter % 8 == 0);
	}
	__free_pages(pool, POOL_ORDER);
}

/* Known answers, independent of both the model and the code: entry counts. */
static void test_from_pages_segment_counts_match_known_answers(void **state)
{
	static const struct {
		unsigned int n;
		unsigned int idx[8];
		unsigned long size_pages;	/* whole pages; 0: one byte */
		unsigned int max_seg_pages;	/* 0: UINT_MAX */
		unsigned int nents;
	} cases[] = {
		{ 1, { 0 }, 1, 1, 1 },
		{ 1, { 0 }, 0, 0, 1 },
		{ 2, { 0, 1 }, 2, 0, 1 },
		{ 2, { 1, 0 }, 2, 0, 2 },
		{ 3, { 0, 1, 2 }, 3, 0, 1 },
		{ 3, { 0, 2, 1 }, 3, 0, 3 },
		{ 3, { 0, 1, 3 }, 3, 0, 2 },
		{ 3, { 1, 2, 4 }, 3, 0, 2 },
		{ 3, { 1, 3, 4 }, 3, 0, 2 },
		{ 4, { 0, 1, 3, 4 }, 4, 0, 2 },
		{ 5, { 0, 1, 3, 4, 5 }, 5, 0, 2 },
		{ 5, { 0, 1, 3, 4, 6 }, 5, 0, 3 },
		{ 5, { 0, 1, 2, 3, 4 }, 5, 0, 1 },
		{ 5, { 0, 1, 2, 3, 4 }, 5, 2, 3 },
		{ 6, { 0, 1, 2, 3, 4, 5 }, 6, 2, 3 },
		{ 6, { 0, 2, 3, 4, 5, 6 }, 6, 2, 4 },
		{ 6, { 0, 1, 3, 4, 5, 6 }, 6, 2, 3 },
		{ 8, { 0, 1, 2, 3, 4, 5, 6, 7 }, 8, 3, 3 },
		{ 8, { 0, 1, 2, 3, 4, 5, 6, 7 }, 8, 1, 8 },
	};
	struct page *pool = alloc_block(POOL_ORDER);
	struct page *pages[8];
	unsigned int c;

	(void)state;
	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		unsigned long size = cases[c].size_pages ? cases[c].size_pages * PAGE_SIZE : 1;
		unsigned int max_seg = cases[c].max_seg_pages ?
				       cases[c].max_seg_pages * (unsigned int)PAGE_SIZE : UINT_MAX;
		struct sg_table sgt;

		pattern_pages(pool, cases[c].idx, cases[c].n, pages);
		assert_int_equal(sg_alloc_table_from_pages_segment(&sgt, pages, cases[c].n, 0, size,
								   max_seg, GFP_KERNEL), 0);
		assert_int_equal(sgt.orig_nents, cases[c].nents);
		assert_sgt_ok(&sgt);
		sg_free_table(&sgt);
	}
	__free_pages(pool, POOL_ORDER);
}

static void test_from_pages_segment_cuts_by_whole_pages_and_offset_shortens_the_first(void **state)
{
	struct page *pool = alloc_block(POOL_ORDER);
	struct page *pages[7];
	struct sg_table sgt;
	unsigned int i;

	(void)state;
	for (i = 0; i < 7; i++)
		pages[i] = pool + i;
	/* 3 pages - 1 byte rounds down to 2 pages: runs of 2, 2, 2, 1. */
	assert_int_equal(sg_alloc_table_from_pages_segment(&sgt, pages, 7, 100,
							   7 * PAGE_SIZE - 100 - 50,
							   3 * PAGE_SIZE - 1, GFP_KERNEL), 0);
	assert_int_equal(sgt.orig_nents, 4);
	assert_ptr_equal(sg_page(sgt.sgl), pool);
	assert_int_equal(sgt.sgl[0].offset, 100);
	assert_int_equal(sgt.sgl[0].length, 2 * PAGE_SIZE - 100);
	assert_ptr_equal(sg_page(&sgt.sgl[1]), pool + 2);
	assert_int_equal(sgt.sgl[1].offset, 0);
	assert_int_equal(sgt.sgl[1].length, 2 * PAGE_SIZE);
	assert_int_equal(sgt.sgl[2].length, 2 * PAGE_SIZE);
	assert_ptr_equal(sg_page(&sgt.sgl[3]), pool + 6);
	assert_int_equal(sgt.sgl[3].length, PAGE_SIZE - 50);
	assert_sgt_ok(&sgt);
	sg_free_table(&sgt);

	/* An offset past the first page stays on the first entry, counted from pages[0]. */
	assert_int_equal(sg_alloc_table_from_pages(&sgt, pages, 3, PAGE_SIZE + 7,
						   2 * PAGE_SIZE - 7, GFP_KERNEL), 0);
	assert_int_equal(sgt.orig_nents, 1);
	assert_ptr_equal(sg_page(sgt.sgl), pool);
	assert_int_equal(sgt.sgl[0].offset, PAGE_SIZE + 7);
	assert_int_equal(sgt.sgl[0].length, 2 * PAGE_SIZE - 7);
	sg_free_table(&sgt);
	__free_pages(pool, POOL_ORDER);
}

static void test_from_pages_bad_requests_warn_and_allocate_nothing(void **state)
{
	struct page *pool = alloc_block(2);
	static struct page fake_page;
	struct page *pages[3] = { pool, pool + 1, pool + 3 };
	struct sg_table sgt, sentinel;

	(void)state;
	memset(&sentinel, 0x5a, sizeof(sentinel));
	sgt = sentinel;

	assert_int_equal(sg_alloc_table_from_pages(&sgt, pages, 0, 0, 0, GFP_KERNEL), -EINVAL);
	assert_warned("no pages");
	assert_int_equal(sg_alloc_table_from_pages(&sgt, NULL, 1, 0, 1, GFP_KERNEL), -EINVAL);
	assert_warned("no pages");

	pages[1] = NULL;
	assert_int_equal(sg_alloc_table_from_pages(&sgt, pages, 3, 0, 1, GFP_KERNEL), -EINVAL);
	assert_warned("pages[1] = (nil) is not a page of simulated RAM");
	pages[1] = &fake_page;
	assert_int_equal(sg_alloc_table_from_pages_segment(&sgt, pages, 3, 0, 1, PAGE_SIZE,
							   GFP_KERNEL), -EINVAL);
	assert_warned("is not a page of simulated RAM");
	pages[1] = pool + 1;

	/* Runs: [pool, pool + 1], [pool + 3]. */
	assert_int_equal(sg_alloc_table_from_pages(&sgt, pages, 3, 2 * PAGE_SIZE, 10, GFP_KERNEL),
			 -EINVAL);
	assert_warned("lies beyond the first run of 2 pages");
	assert_int_equal(sg_alloc_table_from_pages(&sgt, pages, 3, 5, 3 * PAGE_SIZE, GFP_KERNEL),
			 -EINVAL);
	assert_warned("overruns 3 pages");
	assert_int_equal(sg_alloc_table_from_pages(&sgt, pages, 3, 5, ULONG_MAX - 2, GFP_KERNEL),
			 -EINVAL);
	assert_warned("overruns 3 pages");
	assert_int_equal(sg_alloc_table_from_pages(&sgt, pages, 3, 0, 2 * PAGE_SIZE, GFP_KERNEL),
			 -EINVAL);
	assert_warned("before the last run (page 2) starts");
	assert_int_equal(sg_alloc_table_from_pages(&sgt, pages, 3, 0, 0, GFP_KERNEL), -EINVAL);
	assert_warned("before the last run");

	assert_int_equal(sg_alloc_table_from_pages_segment(&sgt, pages, 3, 0, 1, PAGE_SIZE - 1,
							   GFP_KERNEL), -EINVAL);
	assert_warned("max_segment rounds down to 0, less than a page");
	assert_int_equal(sg_alloc_table_from_pages_segment(&sgt, pages, 3, 0, 1, 0, GFP_KERNEL),
			 -EINVAL);
	assert_warned("max_segment rounds down");

	assert_memory_equal(&sgt, &sentinel, sizeof(sgt));
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);

	/* A single page with an empty buffer is what the kernel makes: one empty entry. */
	assert_int_equal(sg_alloc_table_from_pages(&sgt, pages, 1, 9, 0, GFP_KERNEL), 0);
	assert_int_equal(sgt.orig_nents, 1);
	assert_int_equal(sgt.sgl[0].length, 0);
	assert_int_equal(sgt.sgl[0].offset, 9);
	sg_free_table(&sgt);
	__free_pages(pool, 2);
}

/*
 * Many runs (every page its own) so that the table is chained over several
 * chunks: fail each allocation in turn.
 */
static void test_from_pages_failure_at_every_allocation_leaves_nothing_allocated(void **state)
{
	unsigned int n = 2 * SG_MAX + 3, i, variant;
	struct page *page = alloc_block(0);
	struct page **pages = calloc(n, sizeof(*pages));
	long pages_before = iosim_live(IOSIM_OBJ_PAGE);
	long slab_before = iosim_live(IOSIM_OBJ_SLAB);

	(void)state;
	assert_non_null(pages);
	for (i = 0; i < n; i++)
		pages[i] = page;	/* the same frame again is not the next frame */

	for (variant = 0; variant < 2; variant++) {
		unsigned long nth;

		for (nth = 1;; nth++) {
			struct sg_table sgt, sentinel;
			int ret;

			memset(&sentinel, 0xa5, sizeof(sentinel));
			sgt = sentinel;
			iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, nth);
			if (variant == 0)
				ret = sg_alloc_table_from_pages(&sgt, pages, n, 3,
								n * PAGE_SIZE - 3, GFP_KERNEL);
			else
				ret = sg_alloc_table_from_pages_segment(&sgt, pages, n, 3,
									n * PAGE_SIZE - 3,
									PAGE_SIZE, GFP_KERNEL);
			if (!iosim_fault_injected()) {
				assert_int_equal(ret, 0);
				/* page, page, kmalloc (and perhaps its new slab page) */
				assert_true(nth == 4 || nth == 5);
				assert_int_equal(sgt.orig_nents, n);
				assert_sgt_ok(&sgt);
				assert_int_equal(sgt.sgl[0].offset, 3);
				assert_int_equal(sg_last(sgt.sgl, n)->length, PAGE_SIZE);
				sg_free_table(&sgt);
				break;
			}
			assert_int_equal(ret, -ENOMEM);
			if (variant == 0) {
				assert_null(sgt.sgl);
				assert_int_equal(sgt.orig_nents, 0);
			} else {
				assert_memory_equal(&sgt, &sentinel, sizeof(sgt));
			}
			assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), pages_before);
			assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab_before);
		}
	}
	free(pages);
	__free_page(page);
}

/*
 * A run of 4 GiB and more does not fit an entry's unsigned int length: both
 * variants cut it at the largest page multiple below 4 GiB.  Needs RAM of
 * more than 4 GiB; the frames need not be allocated, nothing reads them.
 */
static void test_from_pages_cuts_runs_of_4_gib_and_more(void **state)
{
	unsigned long cut_pages = (UINT_MAX & PAGE_MASK) >> PAGE_SHIFT;
	unsigned long n = cut_pages + 2, i;
	struct iosim_ram_config cfg = {
		.base_phys = IOSIM_RAM_DEFAULT_BASE_PHYS,
		.size_bytes = (n + 16) * PAGE_SIZE,
	};
	struct sg_mapping_iter miter;
	struct page **pages, *first;
	struct sg_table sgt;
	u64 walked = 0;

	(void)state;
	iosim_ram_exit();
	assert_int_equal(iosim_ram_init(&cfg), 0);
	first = pfn_to_page((unsigned long)(cfg.base_phys >> PAGE_SHIFT));
	pages = malloc(n * sizeof(*pages));
	assert_non_null(pages);
	for (i = 0; i < n; i++)
		pages[i] = first + i;

	assert_int_equal(sg_alloc_table_from_pages(&sgt, pages, (unsigned int)n, 10,
						   n * PAGE_SIZE - 20, GFP_KERNEL), 0);
	assert_int_equal(sgt.orig_nents, 2);
	assert_int_equal(sgt.sgl[0].offset, 10);
	assert_int_equal(sgt.sgl[0].length, (UINT_MAX & PAGE_MASK) - 10);
	assert_ptr_equal(sg_page(&sgt.sgl[1]), first + cut_pages);
	assert_int_equal(sgt.sgl[1].length, 2 * PAGE_SIZE - 10);
	assert_sgt_ok(&sgt);

	/* The mapping iterator walks all of it, page by page, without touching it. */
	sg_miter_start(&miter, sgt.sgl, sgt.orig_nents, SG_MITER_FROM_SG);
	while (sg_miter_next(&miter))
		walked += miter.length;
	sg_miter_stop(&miter);
	assert_int_equal(walked, n * PAGE_SIZE - 20);
	sg_free_table(&sgt);

	assert_int_equal(sg_alloc_table_from_pages_segment(&sgt, pages, (unsigned int)n, 0,
							   n * PAGE_SIZE, UINT_MAX, GFP_KERNEL), 0);
	assert_int_equal(sgt.orig_nents, 2);
	assert_int_equal(sgt.sgl[0].length, UINT_MAX & PAGE_MASK);
	sg_free_table(&sgt);
	free(pages);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SG_TEST(test_sg_alloc_table_chains_page_chunks_at_every_size),
		SG_TEST(test_sg_alloc_table_of_zero_entries_fails_quietly_with_a_cleared_header),
		SG_TEST(test_sg_alloc_table_of_a_null_table_warns),
		SG_TEST(test_sg_free_table_twice_or_of_an_empty_table_does_nothing),
		SG_TEST(test_sg_alloc_table_failure_at_every_chunk_leaves_nothing_allocated),
		SG_TEST(test___sg_alloc_table_chains_in_chunks_of_max_ents),
		SG_TEST(test___sg_alloc_table_uses_and_free_skips_a_preallocated_first_chunk),
		SG_TEST(test___sg_alloc_table_failure_leaves_the_chunks_for___sg_free_table),
		SG_TEST(test___sg_alloc_table_with_unusable_max_ents_warns),
		SG_TEST(test___sg_free_table_with_the_wrong_max_ents_warns_and_frees_nothing),
		SG_TEST(test_from_pages_matches_the_model_on_page_patterns),
		SG_TEST(test_from_pages_matches_the_model_on_random_requests),
		SG_TEST(test_from_pages_segment_counts_match_known_answers),
		SG_TEST(test_from_pages_segment_cuts_by_whole_pages_and_offset_shortens_the_first),
		SG_TEST(test_from_pages_bad_requests_warn_and_allocate_nothing),
		SG_TEST(test_from_pages_failure_at_every_allocation_leaves_nothing_allocated),
		SG_TEST(test_from_pages_cuts_runs_of_4_gib_and_more),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
