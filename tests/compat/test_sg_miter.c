// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Page-by-page iteration and copying: for_each_sg_page, the sg mapping
 * iterator (pieces within one page and one entry, offsets past PAGE_SIZE,
 * partial consumption, skip, stop/resume, flags, misuse) and sg_copy_*()
 * with skips and partial lengths, verified byte by byte through page memory
 * against a model that maps every byte of the list to its address.
 */
#include "ram_fixture.h"
#include "test_rng.h"

#include "iosim_test.h"

#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <iosim/ram.h>
#include <iosim/sg.h>
#include <iosim/warn.h>

#define assert_sgt_ok(sgt)	assert_int_equal(iosim_sg_table_check(sgt), 0)
#define POOL_ORDER		4
#define POOL_PAGES		(1u << POOL_ORDER)
#define GUARD_BYTE		0xee

/* --- fixture: simulated RAM around every test ---------------------------------- */

#define SG_TEST(fn)	IOSIM_TEST_RAM(fn)

static struct page *alloc_block(unsigned int order)
{
	struct page *page = alloc_pages(GFP_KERNEL, order);

	assert_non_null(page);
	return page;
}

/* One entry of a test list: @page_idx pages into the pool. */
struct entry_spec {
	unsigned int page_idx;
	unsigned int offset;
	unsigned int length;
};

/*
 * A test list over a pool block: an sg table (chained if long) whose entries
 * follow @specs, plus the model: the pieces the mapping iterator must
 * produce and (for short lists: it costs a pointer per byte) the address of
 * every byte of the list, in order.
 */
struct test_list {
	struct page *pool;
	struct sg_table sgt;
	unsigned long nr_bytes;
	u8 **byte_addr;			/* [nr_bytes], or NULL */
	unsigned long nr_pieces;
	struct page **piece_page;	/* [nr_pieces] */
	u8 **piece_addr;
	unsigned int *piece_len;
};

static void test_list_build(struct test_list *tl, struct page *pool,
			    const struct entry_spec *specs, unsigned int nents, bool with_bytes)
{
	unsigned long total = 0, max_pieces = 0, b = 0;
	struct scatterlist *sg;
	unsigned int i;

	memset(tl, 0, sizeof(*tl));
	tl->pool = pool;
	assert_int_equal(sg_alloc_table(&tl->sgt, nents, GFP_KERNEL), 0);
	for (i = 0; i < nents; i++) {
		total += specs[i].length;
		max_pieces += specs[i].length / PAGE_SIZE + 2;
	}
	if (with_bytes) {
		tl->byte_addr = malloc((total + 1) * sizeof(*tl->byte_addr));
		assert_non_null(tl->byte_addr);
	}
	tl->piece_page = malloc(max_pieces * sizeof(*tl->piece_page));
	tl->piece_addr = malloc(max_pieces * sizeof(*tl->piece_addr));
	tl->piece_len = malloc(max_pieces * sizeof(*tl->piece_len));
	assert_true(tl->piece_page && tl->piece_addr && tl->piece_len);

	for_each_sg(tl->sgt.sgl, sg, nents, i) {
		struct page *page = pool + specs[i].page_idx;
		u8 *base = page_address(page);
		unsigned long pos = specs[i].offset, end = pos + specs[i].length;

		assert_true(specs[i].page_idx + (end + PAGE_SIZE - 1) / PAGE_SIZE <= POOL_PAGES);
		sg_set_page(sg, page, specs[i].length, specs[i].offset);
		/* Pieces: the entry's bytes cut at page boundaries. */
		while (pos < end) {
			unsigned long piece_end = min((pos / PAGE_SIZE + 1) * PAGE_SIZE, end);

			tl->piece_page[tl->nr_pieces] = page + pos / PAGE_SIZE;
			tl->piece_addr[tl->nr_pieces] = base + pos;
			tl->piece_len[tl->nr_pieces] = (unsigned int)(piece_end - pos);
			tl->nr_pieces++;
			if (!with_bytes) {
				b += piece_end - pos;
				pos = piece_end;
			}
			for (; pos < piece_end; pos++)
				tl->byte_addr[b++] = base + pos;
		}
	}
	tl->nr_bytes = total;
	assert_int_equal(b, total);
	assert_sgt_ok(&tl->sgt);
}

static void test_list_free(struct test_list *tl)
{
	sg_free_table(&tl->sgt);
	free(tl->byte_addr);
	free(tl->piece_page);
	free(tl->piece_addr);
	free(tl->piece_len);
}

/* Random entries: offsets up to 3 pages, lengths up to 3 pages, none empty. */
static void random_specs(struct entry_spec *specs, unsigned int nents)
{
	unsigned int i;

	for (i = 0; i < nents; i++) {
		specs[i].page_idx = (unsigned int)rng_below(POOL_PAGES - 7);
		specs[i].offset = (unsigned int)(rng_below(4) ? rng_below(PAGE_SIZE)
							     : rng_below(3 * PAGE_SIZE));
		specs[i].length = 1 + (unsigned int)(rng_below(3) ? rng_below(PAGE_SIZE + 64)
								: rng_below(3 * PAGE_SIZE));
	}
}

/* Walk @tl with a mapping iterator and compare every piece with the model. */
static void check_miter_pieces(struct test_list *tl, unsigned int flags)
{
	struct sg_mapping_iter iter;
	unsigned long p = 0, bytes = 0;

	sg_miter_start(&iter, tl->sgt.sgl, tl->sgt.orig_nents, flags);
	while (sg_miter_next(&iter)) {
		assert_true(p < tl->nr_pieces);
		assert_ptr_equal(iter.page, tl->piece_page[p]);
		assert_ptr_equal(iter.addr, tl->piece_addr[p]);
		assert_int_equal(iter.length, tl->piece_len[p]);
		assert_int_equal(iter.consumed, iter.length);
		/* Never across a page. */
		assert_true((uintptr_t)iter.addr / PAGE_SIZE ==
			    ((uintptr_t)iter.addr + iter.length - 1) / PAGE_SIZE);
		bytes += iter.length;
		p++;
	}
	sg_miter_stop(&iter);
	assert_null(iter.addr);
	assert_null(iter.page);
	assert_int_equal(p, tl->nr_pieces);
	assert_int_equal(bytes, tl->nr_bytes);
}

/* --- the page iterator ------------------------------------------------------------ */

static void test_for_each_sg_page_visits_every_page_an_entry_touches(void **state)
{
	struct page *pool = alloc_block(POOL_ORDER);
	struct scatterlist sg[5];
	struct sg_page_iter piter;
	/* Expected (entry, page offset): entries 0, 1 (4 pages, from sg_page), 3. */
	const unsigned int want_entry[] = { 0, 1, 1, 1, 1, 3, 4, 4 };
	const unsigned int want_pgoff[] = { 0, 0, 1, 2, 3, 0, 0, 1 };
	unsigned int i = 0;

	(void)state;
	sg_init_table(sg, 5);
	sg_set_page(&sg[0], pool, PAGE_SIZE, 0);
	sg_set_page(&sg[1], pool + 2, 2 * PAGE_SIZE, PAGE_SIZE + 5);
	sg_set_page(&sg[2], pool + 9, 0, 0);		/* touches nothing */
	sg_set_page(&sg[3], pool + 7, 0, 10);		/* touches its page */
	sg_set_page(&sg[4], pool + 12, PAGE_SIZE + 1, 0);
	sg_dma_address(&sg[1]) = 0x10000000;

	for_each_sg_page(sg, &piter, 5, 0) {
		assert_true(i < ARRAY_SIZE(want_entry));
		assert_ptr_equal(piter.sg, &sg[want_entry[i]]);
		assert_int_equal(piter.sg_pgoffset, want_pgoff[i]);
		assert_ptr_equal(sg_page_iter_page(&piter), sg_page(piter.sg) + want_pgoff[i]);
		if (want_entry[i] == 1)
			assert_int_equal(sg_page_iter_dma_address(&piter),
					 0x10000000 + ((dma_addr_t)want_pgoff[i] << PAGE_SHIFT));
		i++;
	}
	assert_int_equal(i, ARRAY_SIZE(want_entry));

	/* A start offset of 3 pages skips entry 0 and two pages of entry 1. */
	i = 3;
	for_each_sg_page(sg, &piter, 5, 3) {
		assert_ptr_equal(piter.sg, &sg[want_entry[i]]);
		assert_int_equal(piter.sg_pgoffset, want_pgoff[i]);
		i++;
	}
	assert_int_equal(i, ARRAY_SIZE(want_entry));

	/* Only @nents entries are walked. */
	i = 0;
	for_each_sg_page(sg, &piter, 2, 0)
		i++;
	assert_int_equal(i, 5);
	i = 0;
	for_each_sg_page(sg, &piter, 0, 0)
		i++;
	assert_int_equal(i, 0);
	__free_pages(pool, POOL_ORDER);
}

/* --- the mapping iterator ------------------------------------------------------------ */

static void test_sg_miter_pieces_stay_within_a_page_and_an_entry(void **state)
{
	static const struct entry_spec specs[] = {
		{ 0, 0, 1 },
		{ 0, 100, 3 * PAGE_SIZE },		/* 4 pieces: 100.., 3 full.., tail */
		{ 4, PAGE_SIZE - 1, 2 },		/* 2 pieces of 1 byte */
		{ 5, 2 * PAGE_SIZE + 7, PAGE_SIZE },	/* starts two pages in */
		{ 1, PAGE_SIZE, PAGE_SIZE },		/* exactly the second page */
		{ 8, 0, 2 * PAGE_SIZE },		/* two whole pages */
	};
	struct page *pool = alloc_block(POOL_ORDER);
	struct test_list tl;

	(void)state;
	test_list_build(&tl, pool, specs, ARRAY_SIZE(specs), false);
	assert_int_equal(tl.nr_pieces, 1 + 4 + 2 + 2 + 1 + 2);
	check_miter_pieces(&tl, SG_MITER_FROM_SG);
	check_miter_pieces(&tl, SG_MITER_TO_SG);
	check_miter_pieces(&tl, SG_MITER_FROM_SG | SG_MITER_ATOMIC);
	check_miter_pieces(&tl, SG_MITER_TO_SG | SG_MITER_ATOMIC);
	test_list_free(&tl);
	__free_pages(pool, POOL_ORDER);
}

static void test_sg_miter_matches_the_model_on_random_chained_lists(void **state)
{
	const unsigned int sizes[] = { 1, 3, SG_MAX_SINGLE_ALLOC - 1, SG_MAX_SINGLE_ALLOC,
				       SG_MAX_SINGLE_ALLOC + 1, 1000 };
	struct page *pool = alloc_block(POOL_ORDER);
	unsigned int s;

	(void)state;
	rng_state = 7;
	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		struct entry_spec *specs = calloc(sizes[s], sizeof(*specs));
		struct test_list tl;

		assert_non_null(specs);
		random_specs(specs, sizes[s]);
		test_list_build(&tl, pool, specs, sizes[s], false);
		check_miter_pieces(&tl, SG_MITER_FROM_SG | (s % 2 ? SG_MITER_ATOMIC : 0));
		test_list_free(&tl);
		free(specs);
	}
	__free_pages(pool, POOL_ORDER);
}

static void test_sg_miter_writes_land_in_page_memory(void **state)
{
	struct page *pool = alloc_block(POOL_ORDER);
	u8 *pool_mem = page_address(pool), *expect;
	struct entry_spec specs[40];
	struct sg_mapping_iter iter;
	struct test_list tl;
	unsigned long b = 0;

	(void)state;
	rng_state = 11;
	random_specs(specs, ARRAY_SIZE(specs));
	test_list_build(&tl, pool, specs, ARRAY_SIZE(specs), true);
	sg_miter_start(&iter, tl.sgt.sgl, tl.sgt.orig_nents, SG_MITER_TO_SG);
	while (sg_miter_next(&iter)) {
		size_t i;

		for (i = 0; i < iter.length; i++)
			((u8 *)iter.addr)[i] = (u8)(b + i);
		b += iter.length;
	}
	sg_miter_stop(&iter);
	assert_int_equal(b, tl.nr_bytes);

	/* Entries may overlap: replay the writes in list order, the last one wins. */
	expect = malloc(POOL_PAGES * PAGE_SIZE);
	assert_non_null(expect);
	for (b = 0; b < tl.nr_bytes; b++)
		expect[tl.byte_addr[b] - pool_mem] = (u8)b;
	for (b = 0; b < tl.nr_bytes; b++)
		assert_int_equal(*tl.byte_addr[b], expect[tl.byte_addr[b] - pool_mem]);
	free(expect);
	test_list_free(&tl);
	__free_pages(pool, POOL_ORDER);
}

static void test_sg_miter_partial_consumption_resumes_in_the_same_page(void **state)
{
	static const struct entry_spec specs[] = { { 0, 10, PAGE_SIZE + 20 }, { 3, 0, 30 } };
	struct page *pool = alloc_block(POOL_ORDER);
	u8 *base = page_address(pool);
	struct sg_mapping_iter iter;
	struct test_list tl;

	(void)state;
	test_list_build(&tl, pool, specs, ARRAY_SIZE(specs), false);
	sg_miter_start(&iter, tl.sgt.sgl, 2, SG_MITER_FROM_SG);
	assert_true(sg_miter_next(&iter));
	assert_ptr_equal(iter.addr, base + 10);
	assert_int_equal(iter.length, PAGE_SIZE - 10);
	iter.consumed = 5;
	assert_true(sg_miter_next(&iter));
	assert_ptr_equal(iter.addr, base + 15);
	assert_int_equal(iter.length, PAGE_SIZE - 15);
	iter.consumed = 0;	/* nothing used: the same piece again */
	assert_true(sg_miter_next(&iter));
	assert_ptr_equal(iter.addr, base + 15);
	assert_true(sg_miter_next(&iter));
	assert_ptr_equal(iter.page, pool + 1);
	assert_int_equal(iter.length, 30);
	assert_true(sg_miter_next(&iter));
	assert_ptr_equal(iter.page, pool + 3);
	assert_false(sg_miter_next(&iter));
	assert_false(sg_miter_next(&iter));
	sg_miter_stop(&iter);
	test_list_free(&tl);
	__free_pages(pool, POOL_ORDER);
}

static void test_sg_miter_consumed_beyond_length_warns_and_takes_the_piece(void **state)
{
	static const struct entry_spec specs[] = { { 0, 0, 100 }, { 1, 0, 100 } };
	struct page *pool = alloc_block(POOL_ORDER);
	struct sg_mapping_iter iter;
	struct test_list tl;

	(void)state;
	test_list_build(&tl, pool, specs, ARRAY_SIZE(specs), false);
	sg_miter_start(&iter, tl.sgt.sgl, 2, SG_MITER_FROM_SG);
	assert_true(sg_miter_next(&iter));
	iter.consumed = 101;
	assert_true(sg_miter_next(&iter));
	assert_warned("miter->consumed > miter->length");
	assert_ptr_equal(iter.page, pool + 1);
	assert_int_equal(iter.length, 100);
	sg_miter_stop(&iter);
	test_list_free(&tl);
	__free_pages(pool, POOL_ORDER);
}

static void test_sg_miter_start_without_a_direction_warns(void **state)
{
	struct sg_mapping_iter iter;
	struct scatterlist sg;

	(void)state;
	sg_init_table(&sg, 1);
	sg_miter_start(&iter, &sg, 1, SG_MITER_ATOMIC);
	assert_warned("SG_MITER_TO_SG | SG_MITER_FROM_SG");
	assert_false(sg_miter_next(&iter));	/* nothing to map: no page touched */
}

static void test_sg_miter_stop_and_resume_gives_the_same_pieces(void **state)
{
	struct page *pool = alloc_block(POOL_ORDER);
	struct entry_spec specs[30];
	struct sg_mapping_iter iter;
	struct test_list tl;
	unsigned long p = 0;

	(void)state;
	rng_state = 99;
	random_specs(specs, ARRAY_SIZE(specs));
	test_list_build(&tl, pool, specs, ARRAY_SIZE(specs), false);
	sg_miter_start(&iter, tl.sgt.sgl, tl.sgt.orig_nents, SG_MITER_FROM_SG);
	while (sg_miter_next(&iter)) {
		assert_ptr_equal(iter.addr, tl.piece_addr[p]);
		assert_int_equal(iter.length, tl.piece_len[p]);
		p++;
		/* Stopping twice is harmless; resuming goes on after the piece. */
		sg_miter_stop(&iter);
		sg_miter_stop(&iter);
	}
	assert_int_equal(p, tl.nr_pieces);
	test_list_free(&tl);
	__free_pages(pool, POOL_ORDER);
}

/* After skipping @skip bytes, the iterator yields exactly the bytes after them. */
static void check_skip(struct test_list *tl, unsigned long skip)
{
	struct sg_mapping_iter iter;
	unsigned long b = skip;
	bool inside;

	sg_miter_start(&iter, tl->sgt.sgl, tl->sgt.orig_nents, SG_MITER_FROM_SG);
	inside = sg_miter_skip(&iter, (off_t)skip);
	assert_int_equal(inside, skip <= tl->nr_bytes);
	while (inside && sg_miter_next(&iter)) {
		assert_true(b < tl->nr_bytes);
		assert_ptr_equal(iter.addr, tl->byte_addr[b]);
		b += iter.length;
		assert_ptr_equal((u8 *)iter.addr + iter.length - 1, tl->byte_addr[b - 1]);
	}
	sg_miter_stop(&iter);
	if (inside)
		assert_int_equal(b, tl->nr_bytes);
}

static void test_sg_miter_skip_lands_on_piece_boundaries_and_between(void **state)
{
	struct page *pool = alloc_block(POOL_ORDER);
	struct entry_spec specs[12];
	unsigned long skip, boundary = 0, p;
	struct test_list tl;

	(void)state;
	rng_state = 5;
	random_specs(specs, ARRAY_SIZE(specs));
	test_list_build(&tl, pool, specs, ARRAY_SIZE(specs), true);
	/* Around every piece boundary (page and entry ends)... */
	for (p = 0; p < tl.nr_pieces; p++) {
		if (boundary)
			check_skip(&tl, boundary - 1);
		check_skip(&tl, boundary);
		check_skip(&tl, boundary + 1);
		boundary += tl.piece_len[p];
	}
	assert_int_equal(boundary, tl.nr_bytes);
	/* ...at the end and past it... */
	check_skip(&tl, tl.nr_bytes - 1);
	check_skip(&tl, tl.nr_bytes);
	check_skip(&tl, tl.nr_bytes + 1);
	check_skip(&tl, tl.nr_bytes + 3 * PAGE_SIZE);
	/* ...and at random places in between. */
	for (skip = 0; skip < tl.nr_bytes; skip += 1 + rng_below(PAGE_SIZE / 2))
		check_skip(&tl, skip);
	test_list_free(&tl);
	__free_pages(pool, POOL_ORDER);
}

static void test_sg_miter_skip_backwards_warns(void **state)
{
	struct sg_mapping_iter iter;
	struct scatterlist sg;

	(void)state;
	sg_init_table(&sg, 1);
	sg_miter_start(&iter, &sg, 1, SG_MITER_FROM_SG);
	assert_false(sg_miter_skip(&iter, -1));
	assert_warned("sg_miter_skip: negative offset -1");
}

static void test_sg_miter_empty_entry_with_an_offset_yields_an_empty_piece(void **state)
{
	struct page *pool = alloc_block(POOL_ORDER);
	struct sg_mapping_iter iter;
	struct scatterlist sg[3];

	(void)state;
	sg_init_table(sg, 3);
	sg_set_page(&sg[0], pool, 0, 0);	/* touches no page: skipped */
	/* Touches one page: an empty piece, as in the kernel. */
	sg_set_page(&sg[1], pool + 1, 0, 40);
	sg_set_page(&sg[2], pool + 2, 8, 0);
	sg_miter_start(&iter, sg, 3, SG_MITER_FROM_SG);
	assert_true(sg_miter_next(&iter));
	assert_ptr_equal(iter.page, pool + 1);
	assert_ptr_equal(iter.addr, (u8 *)page_address(pool + 1) + 40);
	assert_int_equal(iter.length, 0);
	assert_true(sg_miter_next(&iter));
	assert_ptr_equal(iter.page, pool + 2);
	assert_int_equal(iter.length, 8);
	assert_false(sg_miter_next(&iter));
	sg_miter_stop(&iter);
	__free_pages(pool, POOL_ORDER);
}

static void test_sg_miter_entry_without_a_page_warns_and_ends(void **state)
{
	struct sg_mapping_iter iter;
	struct scatterlist sg[1];

	(void)state;
	sg_init_table(sg, 1);
	sg[0].length = 10;	/* a length but no page */
	sg_miter_start(&iter, sg, 1, SG_MITER_FROM_SG);
	assert_false(sg_miter_next(&iter));
	assert_warned("has no page");
	assert_null(iter.addr);
	sg_miter_stop(&iter);
	assert_int_equal(sg_copy_from_buffer(sg, 1, "abc", 3), 0);
	assert_warned("has no page");
}

static void test_sg_miter_entry_running_past_ram_warns_and_ends(void **state)
{
	struct page *last = pfn_to_page((unsigned long)((iosim_ram_base_phys() +
							iosim_ram_size()) >> PAGE_SHIFT) - 1);
	struct sg_mapping_iter iter;
	struct scatterlist sg[1];

	(void)state;
	sg_init_table(sg, 1);
	sg_set_page(sg, last, 2 * PAGE_SIZE, 0);
	assert_int_equal(iosim_sg_check(sg, 1), -EUCLEAN);
	assert_warned("runs outside simulated RAM");
	sg_miter_start(&iter, sg, 1, SG_MITER_FROM_SG);
	assert_true(sg_miter_next(&iter));
	assert_ptr_equal(iter.page, last);
	assert_int_equal(iter.length, PAGE_SIZE);
	assert_false(sg_miter_next(&iter));
	assert_warned("page_address");
	assert_null(iter.addr);
	sg_miter_stop(&iter);
}

/* --- copying -------------------------------------------------------------------------- */

static void guard_pool(struct page *pool)
{
	memset(page_address(pool), GUARD_BYTE, POOL_PAGES * PAGE_SIZE);
}

/* Every pool byte is either the guard or, if the list covers it, what the model says. */
static void check_pool_after_write(struct test_list *tl, const u8 *src, unsigned long skip,
				   unsigned long len)
{
	u8 *expect = malloc(POOL_PAGES * PAGE_SIZE), *pool_mem = page_address(tl->pool);
	unsigned long b;

	assert_non_null(expect);
	memset(expect, GUARD_BYTE, POOL_PAGES * PAGE_SIZE);
	for (b = skip; b < skip + len; b++)
		expect[tl->byte_addr[b] - pool_mem] = src[b - skip];
	if (memcmp(expect, pool_mem, POOL_PAGES * PAGE_SIZE)) {
		for (b = 0; expect[b] == pool_mem[b]; b++)
			;
		fail_msg("pool byte %lu: %#x, want %#x", b, pool_mem[b], expect[b]);
	}
	free(expect);
}

/* Entries that do not overlap, so that every list byte has its own address. */
static const struct entry_spec disjoint_specs[] = {
	{ 0, 5, 100 },
	{ 0, 200, PAGE_SIZE },			/* crosses into page 1 */
	{ 2, PAGE_SIZE + 3, 2 * PAGE_SIZE },	/* offset past the page: pages 3..5 */
	{ 6, 0, 1 },
	{ 6, PAGE_SIZE - 1, 2 },
	{ 8, 3 * PAGE_SIZE, PAGE_SIZE },	/* all of page 11 */
	{ 12, 17, 3 * PAGE_SIZE - 40 },
};

static void test_sg_copy_from_buffer_writes_exactly_the_described_bytes(void **state)
{
	struct page *pool = alloc_block(POOL_ORDER);
	struct test_list tl;
	unsigned long b, len;
	u8 *src;

	(void)state;
	test_list_build(&tl, pool, disjoint_specs, ARRAY_SIZE(disjoint_specs), true);
	src = malloc(tl.nr_bytes + 100);
	assert_non_null(src);
	for (b = 0; b < tl.nr_bytes + 100; b++)
		src[b] = (u8)(b * 7 + 1);

	/* Whole, partial and too-long buffers. */
	const unsigned long lens[] = { tl.nr_bytes, 0, 1, 99, 100, 101, PAGE_SIZE + 5,
				       tl.nr_bytes - 1, tl.nr_bytes + 100 };
	for (len = 0; len < ARRAY_SIZE(lens); len++) {
		unsigned long want = min(lens[len], tl.nr_bytes);

		guard_pool(pool);
		assert_int_equal(sg_copy_from_buffer(tl.sgt.sgl, tl.sgt.orig_nents, src,
						     lens[len]), want);
		check_pool_after_write(&tl, src, 0, want);
	}
	free(src);
	test_list_free(&tl);
	__free_pages(pool, POOL_ORDER);
}

static void test_sg_pcopy_with_skips_and_partial_lengths_moves_the_right_bytes(void **state)
{
	struct page *pool = alloc_block(POOL_ORDER);
	struct test_list tl;
	unsigned long skip, b;
	u8 *src, *dst;

	(void)state;
	test_list_build(&tl, pool, disjoint_specs, ARRAY_SIZE(disjoint_specs), true);
	src = malloc(tl.nr_bytes + 1);
	dst = malloc(tl.nr_bytes + 1);
	assert_true(src && dst);
	for (b = 0; b <= tl.nr_bytes; b++)
		src[b] = (u8)(b * 13 + 5);

	for (skip = 0; skip <= tl.nr_bytes + 1; skip += 1 + skip / 2) {
		const unsigned long lens[] = { 0, 1, 37, PAGE_SIZE, tl.nr_bytes };
		unsigned int l;

		for (l = 0; l < ARRAY_SIZE(lens); l++) {
			unsigned long avail = skip <= tl.nr_bytes ? tl.nr_bytes - skip : 0;
			unsigned long want = min(lens[l], avail);

			/* Into the list: only [skip, skip + want) of it changes. */
			guard_pool(pool);
			assert_int_equal(sg_pcopy_from_buffer(tl.sgt.sgl, tl.sgt.orig_nents, src,
							      lens[l], (off_t)skip), want);
			check_pool_after_write(&tl, src, skip, want);

			/* Out of it: the same bytes come back, the rest of dst is untouched. */
			memset(dst, 0x11, tl.nr_bytes + 1);
			assert_int_equal(sg_pcopy_to_buffer(tl.sgt.sgl, tl.sgt.orig_nents, dst,
							    lens[l], (off_t)skip), want);
			assert_memory_equal(dst, src, want);
			for (b = want; b <= tl.nr_bytes; b++)
				assert_int_equal(dst[b], 0x11);
		}
	}
	free(src);
	free(dst);
	test_list_free(&tl);
	__free_pages(pool, POOL_ORDER);
}

static void test_sg_copy_round_trips_through_a_chained_table(void **state)
{
	unsigned int nents = 3 * SG_MAX_SINGLE_ALLOC + 7, i;
	struct page *pool = alloc_block(POOL_ORDER);
	struct entry_spec *specs = calloc(nents, sizeof(*specs));
	struct test_list tl;
	unsigned long b;
	u8 *src, *dst;

	(void)state;
	assert_non_null(specs);
	/* Disjoint 1..(PAGE_SIZE / 64) byte pieces laid out along the pool. */
	for (i = 0, b = 0; i < nents; i++) {
		unsigned long slot = (POOL_PAGES - 1) * PAGE_SIZE / nents;

		specs[i].page_idx = 0;
		specs[i].offset = (unsigned int)(i * slot);
		specs[i].length = 1 + (unsigned int)(i % slot);
		b += specs[i].length;
	}
	test_list_build(&tl, pool, specs, nents, true);
	assert_int_equal(tl.nr_bytes, b);
	src = malloc(b);
	dst = malloc(b);
	assert_true(src && dst);
	for (i = 0; i < b; i++)
		src[i] = (u8)(i ^ (i >> 8));
	guard_pool(pool);
	assert_int_equal(sg_copy_from_buffer(tl.sgt.sgl, nents, src, b), b);
	check_pool_after_write(&tl, src, 0, b);
	assert_int_equal(sg_copy_to_buffer(tl.sgt.sgl, nents, dst, b), b);
	assert_memory_equal(dst, src, b);

	/* Fewer entries than the list has: only theirs are copied. */
	assert_int_equal(sg_copy_to_buffer(tl.sgt.sgl, 2, dst, b),
			 specs[0].length + specs[1].length);
	free(src);
	free(dst);
	free(specs);
	test_list_free(&tl);
	__free_pages(pool, POOL_ORDER);
}

static void test_sg_copy_with_a_negative_skip_warns_and_copies_nothing(void **state)
{
	struct page *pool = alloc_block(0);
	struct scatterlist sg;
	char buf[8] = "1234567";

	(void)state;
	sg_init_table(&sg, 1);
	sg_set_page(&sg, pool, 8, 0);
	assert_int_equal(sg_pcopy_from_buffer(&sg, 1, buf, 8, -3), 0);
	assert_warned("negative offset");
	assert_int_equal(sg_pcopy_to_buffer(&sg, 1, buf, 8, 9), 0);
	assert_int_equal(sg_pcopy_to_buffer(&sg, 1, buf, 8, 8), 0);
	assert_int_equal(sg_copy_buffer(&sg, 1, buf, 8, 4, false), 4);
	assert_memory_equal((char *)page_address(pool) + 4, "1234", 4);
	__free_page(pool);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SG_TEST(test_for_each_sg_page_visits_every_page_an_entry_touches),
		SG_TEST(test_sg_miter_pieces_stay_within_a_page_and_an_entry),
		SG_TEST(test_sg_miter_matches_the_model_on_random_chained_lists),
		SG_TEST(test_sg_miter_writes_land_in_page_memory),
		SG_TEST(test_sg_miter_partial_consumption_resumes_in_the_same_page),
		SG_TEST(test_sg_miter_consumed_beyond_length_warns_and_takes_the_piece),
		SG_TEST(test_sg_miter_start_without_a_direction_warns),
		SG_TEST(test_sg_miter_stop_and_resume_gives_the_same_pieces),
		SG_TEST(test_sg_miter_skip_lands_on_piece_boundaries_and_between),
		SG_TEST(test_sg_miter_skip_backwards_warns),
		SG_TEST(test_sg_miter_empty_entry_with_an_offset_yields_an_empty_piece),
		SG_TEST(test_sg_miter_entry_without_a_page_warns_and_ends),
		SG_TEST(test_sg_miter_entry_running_past_ram_warns_and_ends),
		SG_TEST(test_sg_copy_from_buffer_writes_exactly_the_described_bytes),
		SG_TEST(test_sg_pcopy_with_skips_and_partial_lengths_moves_the_right_bytes),
		SG_TEST(test_sg_copy_round_trips_through_a_chained_table),
		SG_TEST(test_sg_copy_with_a_negative_skip_warns_and_copies_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
