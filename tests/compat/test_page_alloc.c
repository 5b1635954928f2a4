// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The buddy page allocator: orders and alignment, splitting and merging,
 * exhaustion, failure injection, zeroing and poison, compound pages and
 * their splitting, reference counts, every misuse, and a model-based
 * random test.  iosim_ram_check() runs after every step that changes state;
 * every report of it, and of the fresh-state check of a resettable RAM
 * (<iosim/ram_reset.h>), is shown on a planted corruption.
 */
#include "ram_fixture.h"

#include <iosim/warn.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/ram_reset.h>

/*
 * White box: the checker tests plant corruption in the RAM's bank layout,
 * and call the reset's allocator half (iosim_buddy_*) directly.
 */
#include "../../compat/mm/iosim_mm.h"

#define MAX_BLOCK_PAGES		(1UL << (MAX_ORDER - 1))
#define assert_ram_ok()		assert_int_equal(iosim_ram_check(), 0)

/* --- helpers ------------------------------------------------------------------ */

/* Deterministic generator (splitmix64) so every run is the same run. */
static u64 rng_state;

static void rng_seed(u64 seed)
{
	rng_state = seed;
}

static u64 rng_next(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned long rng_below(unsigned long n)
{
	return (unsigned long)(rng_next() % n);
}

static void shuffle(void **v, unsigned long n)
{
	unsigned long i;

	for (i = n; i > 1; i--) {
		unsigned long j = rng_below(i);
		void *tmp = v[i - 1];

		v[i - 1] = v[j];
		v[j] = tmp;
	}
}

/* Replace the fixture's RAM with @nr_pages frames at the default base. */
static void ram_reinit(unsigned long nr_pages)
{
	struct iosim_ram_config cfg = {
		.base_phys = IOSIM_RAM_DEFAULT_BASE_PHYS,
		.size_bytes = (u64)nr_pages << PAGE_SHIFT,
	};

	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_ram_init(&cfg), 0);
	assert_ram_ok();
}

/* A small RAM made of whole maximal blocks where they are small, else 8 MiB. */
static unsigned long small_ram_pages(void)
{
	unsigned long nr = (8UL << 20) >> PAGE_SHIFT;

	return nr >= 2 * MAX_BLOCK_PAGES ? 2 * MAX_BLOCK_PAGES : nr;
}

struct free_layout {
	unsigned long blocks[MAX_ORDER];
};

static void snapshot_layout(struct free_layout *l)
{
	unsigned int order;

	for (order = 0; order < MAX_ORDER; order++)
		l->blocks[order] = iosim_ram_free_blocks(order);
}

static void assert_layout_equal(const struct free_layout *want)
{
	struct free_layout now;
	unsigned int order;

	snapshot_layout(&now);
	for (order = 0; order < MAX_ORDER; order++)
		if (now.blocks[order] != want->blocks[order])
			fail_msg("order %u: %lu free blocks, want %lu", order,
				 now.blocks[order], want->blocks[order]);
}

/* --- orders, alignment, splitting, merging ---------------------------------------- */

static void test_every_order_is_allocated_aligned_to_its_size(void **state)
{
	unsigned int order;

	(void)state;
	/* One maximal block of RAM (at least the default 128 MiB), aligned. */
	if (MAX_BLOCK_PAGES > iosim_ram_nr_pages())
		ram_reinit(MAX_BLOCK_PAGES);
	for (order = 0; order < MAX_ORDER; order++) {
		unsigned long before = iosim_ram_free_pages();
		struct page *page = alloc_pages(GFP_KERNEL, order);
		unsigned long pfn;

		assert_non_null(page);
		pfn = page_to_pfn(page);
		assert_int_equal(pfn & ((1UL << order) - 1), 0);
		assert_int_equal(page_count(page), 1);
		assert_false(PageCompound(page));
		assert_int_equal(iosim_ram_free_pages(), before - (1UL << order));
		assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 1L << order);
		assert_true(iosim_phys_is_allocated(page_to_phys(page) +
						    (PAGE_SIZE << order) - 1));
		assert_ram_ok();
		__free_pages(page, order);
		assert_int_equal(iosim_ram_free_pages(), before);
		assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
		assert_ram_ok();
	}
}

static void test_order_0_allocation_splits_a_maximal_block_and_free_merges_it(void **state)
{
	struct free_layout initial;
	unsigned int order, top = 0;
	struct page *page;

	(void)state;
	ram_reinit(small_ram_pages());
	snapshot_layout(&initial);
	for (order = 0; order < MAX_ORDER; order++)
		if (initial.blocks[order])
			top = order;
	/* Lowest block first: frame 0 of RAM. */
	page = alloc_page(GFP_KERNEL);
	assert_non_null(page);
	assert_int_equal(page_to_phys(page), IOSIM_RAM_DEFAULT_BASE_PHYS);
	assert_ram_ok();
	/* One top-order block was split once at every level below it. */
	assert_int_equal(iosim_ram_free_blocks(top), initial.blocks[top] - 1);
	for (order = 0; order < top; order++)
		assert_int_equal(iosim_ram_free_blocks(order), initial.blocks[order] + 1);
	__free_page(page);
	assert_ram_ok();
	assert_layout_equal(&initial);
}

static void test_buddies_merge_only_when_both_are_free(void **state)
{
	struct page *a, *b;
	struct free_layout initial;

	(void)state;
	ram_reinit(small_ram_pages());
	snapshot_layout(&initial);
	a = alloc_page(GFP_KERNEL);
	b = alloc_page(GFP_KERNEL);
	assert_non_null(a);
	assert_non_null(b);
	/* Allocated back to back from the same split: they are buddies. */
	assert_int_equal(page_to_pfn(a) ^ 1, page_to_pfn(b));
	__free_page(a);
	assert_ram_ok();
	/* a cannot merge while b is live. */
	assert_true(iosim_ram_free_blocks(0) >= 1);
	__free_page(b);
	assert_ram_ok();
	assert_layout_equal(&initial);
}

static void test_exhaustion_then_random_free_restores_maximal_blocks(void **state)
{
	unsigned long nr_pages = small_ram_pages(), n = 0, i;
	struct free_layout initial;
	struct page **pages;
	struct page *extra;

	(void)state;
	ram_reinit(nr_pages);
	snapshot_layout(&initial);
	pages = calloc(nr_pages + 1, sizeof(*pages));
	assert_non_null(pages);

	/* Allocate every frame one page at a time, until the allocator says no. */
	while ((pages[n] = alloc_page(GFP_KERNEL | __GFP_NOWARN)) != NULL) {
		n++;
		assert_true(n <= nr_pages);
	}
	assert_int_equal(n, nr_pages);
	assert_int_equal(iosim_ram_free_pages(), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), (long)nr_pages);
	assert_ram_ok();

	/* Exhausted: every order fails, nothing changes, and it is logged unless NOWARN. */
	iosim_log_reset();
	extra = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1);
	assert_null(extra);
	assert_false(iosim_log_seen("page allocation failure"));
	assert_null(alloc_page(GFP_KERNEL));
	assert_true(iosim_log_seen("page allocation failure: order:0"));
	assert_ram_ok();

	/* Free in a fixed random order; every step keeps the allocator consistent. */
	rng_seed(0x5eed0001);
	shuffle((void **)pages, n);
	for (i = 0; i < n; i++) {
		__free_page(pages[i]);
		if (i % 64 == 0 || i + 1 == n)
			assert_ram_ok();
	}
	assert_int_equal(iosim_ram_free_pages(), nr_pages);
	assert_layout_equal(&initial);
	/* RAM made of maximal blocks is back to maximal blocks only. */
	if (nr_pages % MAX_BLOCK_PAGES == 0) {
		unsigned int order;

		for (order = 0; order + 1 < MAX_ORDER; order++)
			assert_int_equal(iosim_ram_free_blocks(order), 0);
		assert_int_equal(iosim_ram_free_blocks(MAX_ORDER - 1), nr_pages / MAX_BLOCK_PAGES);
	}
	free(pages);
}

static void test_fragmented_ram_fails_high_orders_but_serves_order_0(void **state)
{
	unsigned long nr_pages = 64, i;
	struct page *pages[64];

	(void)state;
	ram_reinit(nr_pages);
	for (i = 0; i < nr_pages; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		assert_non_null(pages[i]);
	}
	/* Free every other page: half of RAM is free, no two free frames are buddies. */
	for (i = 0; i < nr_pages; i += 2)
		__free_page(pages[i]);
	assert_ram_ok();
	assert_int_equal(iosim_ram_free_pages(), nr_pages / 2);
	assert_int_equal(iosim_ram_free_blocks(0), nr_pages / 2);
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1));
	pages[0] = alloc_page(GFP_KERNEL);
	assert_non_null(pages[0]);
	assert_ram_ok();
	__free_page(pages[0]);
	for (i = 1; i < nr_pages; i += 2)
		__free_page(pages[i]);
	assert_int_equal(iosim_ram_free_pages(), nr_pages);
}

static void test_order_at_or_above_max_order_warns_unless_nowarn(void **state)
{
	(void)state;
	assert_null(alloc_pages(GFP_KERNEL, MAX_ORDER));
	assert_warned("MAX_ORDER");
	assert_null(alloc_pages(GFP_KERNEL, MAX_ORDER + 7));
	assert_warned("MAX_ORDER");
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER));
	assert_no_warnings();
	/* get_order(0) is huge, as in the kernel: alloc_pages_exact(0) WARNs. */
	assert_null(alloc_pages_exact(0, GFP_KERNEL));
	assert_warned("MAX_ORDER");
	assert_int_equal(iosim_ram_free_pages(), iosim_ram_nr_pages());
	assert_ram_ok();
}

/* --- failure injection ------------------------------------------------------------ */

static void test_injected_nth_failure_fails_exactly_that_call(void **state)
{
	struct page *a, *b, *c;

	(void)state;
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC), 2);
	a = alloc_page(GFP_KERNEL);
	b = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 3);
	c = alloc_pages(GFP_KERNEL, 3);
	assert_non_null(a);
	assert_null(b);
	assert_non_null(c);
	assert_int_equal(iosim_fault_injected(), 1);
	assert_int_equal(iosim_fault_calls(IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC)), 3);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 1 + 8);
	assert_ram_ok();
	__free_page(a);
	__free_pages(c, 3);
}

static void test_injected_failures_spare_nofail_allocations(void **state)
{
	struct page *page;

	(void)state;
	iosim_fault_fail_from(IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC), 1);
	assert_null(alloc_page(GFP_KERNEL | __GFP_NOWARN));
	assert_int_equal(__get_free_pages(GFP_KERNEL | __GFP_NOWARN, 2), 0);
	assert_int_equal(get_zeroed_page(GFP_KERNEL | __GFP_NOWARN), 0);
	page = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	assert_non_null(page);
	assert_int_equal(iosim_fault_injected(), 3);
	__free_page(page);
}

static void test_per_order_failure_mask_fails_only_those_orders(void **state)
{
	struct page *pages[6];
	unsigned int order;

	(void)state;
	iosim_fault_fail_page_orders(BIT(2) | BIT(3));
	for (order = 0; order < 6; order++) {
		pages[order] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
		if (order == 2 || order == 3)
			assert_null(pages[order]);
		else
			assert_non_null(pages[order]);
	}
	assert_int_equal(iosim_fault_injected(), 2);
	pages[2] = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 2);
	assert_non_null(pages[2]);
	assert_ram_ok();
	iosim_fault_fail_page_orders(0);
	pages[3] = alloc_pages(GFP_KERNEL, 3);
	assert_non_null(pages[3]);
	for (order = 0; order < 6; order++)
		__free_pages(pages[order], order);
}

static void test_injected_failure_is_logged_unless_nowarn(void **state)
{
	(void)state;
	iosim_fault_fail_from(IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC), 1);
	iosim_log_reset();
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1));
	assert_int_equal(iosim_log_count(), 0);
	assert_null(alloc_pages(GFP_KERNEL, 1));
	assert_true(iosim_log_seen("page allocation failure: order:1"));
}

/* --- contents: zeroing and poison --------------------------------------------------- */

static void test_gfp_zero_returns_zeroed_pages(void **state)
{
	struct page *page;
	unsigned long addr;
	void *exact;

	(void)state;
	/* Dirty some frames first so zeroing has work to do. */
	page = alloc_pages(GFP_KERNEL, 2);
	assert_non_null(page);
	memset(page_address(page), 0xee, 4 * PAGE_SIZE);
	__free_pages(page, 2);

	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	assert_non_null(page);
	assert_true(iosim_bytes_all(page_address(page), 0, 4 * PAGE_SIZE));
	__free_pages(page, 2);

	addr = get_zeroed_page(GFP_KERNEL);
	assert_int_not_equal(addr, 0);
	assert_true(iosim_bytes_all((void *)addr, 0, PAGE_SIZE));
	free_page(addr);

	exact = alloc_pages_exact(3 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	assert_non_null(exact);
	assert_true(iosim_bytes_all(exact, 0, 3 * PAGE_SIZE));
	free_pages_exact(exact, 3 * PAGE_SIZE);
	assert_ram_ok();
}

static void test_fresh_pages_carry_alloc_poison_and_freed_pages_free_poison(void **state)
{
	struct page *page;
	unsigned char *virt;

	(void)state;
	page = alloc_pages(GFP_KERNEL, 1);
	assert_non_null(page);
	virt = page_address(page);
	assert_true(iosim_bytes_all(virt, IOSIM_PAGE_POISON_ALLOC, 2 * PAGE_SIZE));
	memset(virt, 0x11, 2 * PAGE_SIZE);
	__free_pages(page, 1);
	/* Reading freed memory through the linear map shows the free poison. */
	assert_true(iosim_bytes_all(virt, IOSIM_PAGE_POISON_FREE, 2 * PAGE_SIZE));
	assert_int_not_equal(IOSIM_PAGE_POISON_ALLOC, 0);
	assert_int_not_equal(IOSIM_PAGE_POISON_FREE, IOSIM_PAGE_POISON_ALLOC);
}

static void test_get_free_pages_and_free_pages_use_linear_map_addresses(void **state)
{
	unsigned long addr = __get_free_pages(GFP_KERNEL, 3);

	(void)state;
	assert_int_not_equal(addr, 0);
	assert_true(virt_addr_valid((void *)addr));
	assert_int_equal(addr & ((PAGE_SIZE << 3) - 1), 0);
	assert_int_equal(page_to_pfn(virt_to_page((void *)addr)) & 7, 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 8);
	free_pages(addr, 3);
	free_pages(0, 3);	/* a no-op, as in the kernel */
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
	assert_ram_ok();
}

static void test_alloc_pages_exact_keeps_only_the_pages_asked_for(void **state)
{
	static const size_t sizes[] = { 1, PAGE_SIZE, 3 * PAGE_SIZE, 5 * PAGE_SIZE + 1,
					8 * PAGE_SIZE, 9 * PAGE_SIZE - 7 };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned long before = iosim_ram_free_pages();
		unsigned long nr = PAGE_ALIGN(sizes[i]) >> PAGE_SHIFT, p;
		char *buf = alloc_pages_exact(sizes[i], GFP_KERNEL | __GFP_COMP);

		assert_non_null(buf);
		assert_int_equal(iosim_ram_free_pages(), before - nr);
		assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), (long)nr);
		/* Each kept page is its own order-0 allocation. */
		for (p = 0; p < nr; p++) {
			struct page *page = virt_to_page(buf + p * PAGE_SIZE);

			assert_int_equal(page_count(page), 1);
			assert_false(PageCompound(page));
		}
		assert_false(iosim_phys_is_allocated(virt_to_phys(buf) + nr * PAGE_SIZE) &&
			     nr != (1UL << get_order(sizes[i])));
		assert_ram_ok();
		free_pages_exact(buf, sizes[i]);
		assert_int_equal(iosim_ram_free_pages(), before);
		assert_ram_ok();
	}
}

/* --- reference counts ------------------------------------------------------------ */

static void test_page_is_freed_when_its_last_reference_goes(void **state)
{
	struct page *page = alloc_page(GFP_KERNEL);
	phys_addr_t phys;

	(void)state;
	assert_non_null(page);
	phys = page_to_phys(page);
	assert_int_equal(page_count(page), 1);
	get_page(page);
	get_page(page);
	assert_int_equal(page_count(page), 3);
	__free_page(page);
	assert_true(iosim_phys_is_allocated(phys));
	put_page(page);
	assert_true(iosim_phys_is_allocated(phys));
	assert_int_equal(page_count(page), 1);
	assert_ram_ok();
	put_page(page);		/* put_page of the last reference frees an order-0 page */
	assert_false(iosim_phys_is_allocated(phys));
	assert_int_equal(page_count(page), 0);
	assert_ram_ok();
}

static void test_high_order_block_survives_free_while_referenced(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	(void)state;
	assert_non_null(page);
	get_page(page);
	__free_pages(page, 2);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 4);
	assert_int_equal(page_count(page), 1);
	__free_pages(page, 2);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
	assert_ram_ok();
}

/* --- compound pages ------------------------------------------------------------- */

static void test_gfp_comp_makes_a_compound_page(void **state)
{
	struct page *head = alloc_pages(GFP_KERNEL | __GFP_COMP, 3), *single;
	unsigned long i;

	(void)state;
	assert_non_null(head);
	assert_true(PageHead(head));
	assert_false(PageTail(head));
	assert_true(PageCompound(head));
	assert_int_equal(compound_order(head), 3);
	assert_ptr_equal(compound_head(head), head);
	for (i = 1; i < 8; i++) {
		assert_true(PageTail(head + i));
		assert_false(PageHead(head + i));
		assert_true(PageCompound(head + i));
		assert_ptr_equal(head[i].first_page, head);
		assert_ptr_equal(compound_head(head + i), head);
		assert_int_equal(compound_order(head + i), 0);
		assert_int_equal(page_count(head + i), 1);	/* reads the head */
	}
	assert_ptr_equal(virt_to_head_page((char *)page_address(head + 5) + 9), head);
	assert_ram_ok();

	/* Order 0 is never compound. */
	single = alloc_page(GFP_KERNEL | __GFP_COMP);
	assert_non_null(single);
	assert_false(PageCompound(single));
	__free_page(single);
	__free_pages(head, 3);
	assert_ram_ok();
}

static void test_references_on_a_tail_page_are_held_by_the_head(void **state)
{
	struct page *head = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);

	(void)state;
	assert_non_null(head);
	get_page(head + 3);
	assert_int_equal(page_count(head), 2);
	put_page(head + 2);
	assert_int_equal(page_count(head), 1);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 4);
	/* put_page of the last reference frees the whole compound page. */
	put_page(head + 1);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
	assert_false(iosim_phys_is_allocated(page_to_phys(head)));
	assert_ram_ok();
}

static void test_split_huge_page_makes_independent_order_0_pages(void **state)
{
	struct page *head = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	void *pages[8];
	unsigned long i;

	(void)state;
	assert_non_null(head);
	assert_int_equal(split_huge_page(head), 0);
	assert_ram_ok();
	for (i = 0; i < 8; i++) {
		assert_false(PageCompound(head + i));
		assert_int_equal(page_count(head + i), 1);
		pages[i] = head + i;
	}
	assert_int_equal(compound_order(head), 0);
	rng_seed(7);
	shuffle(pages, 8);
	for (i = 0; i < 8; i++) {
		__free_page((struct page *)pages[i]);
		assert_ram_ok();
	}
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
}

static void test_split_huge_page_failure_leaves_the_page_unchanged(void **state)
{
	struct page *head = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	struct page *plain = alloc_page(GFP_KERNEL);
	struct page *free_page_ptr;

	(void)state;
	assert_non_null(head);
	assert_non_null(plain);

	/* Injected failure. */
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_SPLIT_HUGE), 1);
	assert_int_not_equal(split_huge_page(head), 0);
	assert_int_equal(iosim_fault_injected(), 1);
	assert_true(PageHead(head));
	assert_int_equal(compound_order(head), 2);
	assert_true(PageTail(head + 3));
	assert_ram_ok();

	/* Shared: another reference exists. */
	get_page(head);
	assert_int_not_equal(split_huge_page(head), 0);
	assert_true(PageHead(head));
	put_page(head);

	/* Not compound: quietly refused. */
	assert_int_not_equal(split_huge_page(plain), 0);
	assert_int_equal(page_count(plain), 1);
	assert_no_warnings();

	/* A tail page or a free page: refused and reported. */
	assert_int_not_equal(split_huge_page(head + 1), 0);
	assert_warned("tail page");
	free_page_ptr = pfn_to_page(page_to_pfn(plain) ^ 1);
	if (!iosim_phys_is_allocated(page_to_phys(free_page_ptr))) {
		assert_int_not_equal(split_huge_page(free_page_ptr), 0);
		assert_warned("free");
	}
	assert_ram_ok();

	/* The page still frees as the compound page it is. */
	__free_pages(head, 2);
	__free_page(plain);
	assert_ram_ok();
}

static void test_split_page_makes_each_page_freeable_alone(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 3);
	void *pages[8];
	unsigned long i;

	(void)state;
	assert_non_null(page);
	get_page(page);		/* the head keeps its references across the split */
	split_page(page, 3);
	assert_ram_ok();
	assert_int_equal(page_count(page), 2);
	for (i = 1; i < 8; i++)
		assert_int_equal(page_count(page + i), 1);
	put_page(page);
	for (i = 0; i < 8; i++)
		pages[i] = page + i;
	rng_seed(11);
	shuffle(pages, 8);
	for (i = 0; i < 8; i++) {
		__free_page((struct page *)pages[i]);
		assert_ram_ok();
	}
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
	assert_int_equal(iosim_ram_free_pages(), iosim_ram_nr_pages());
}

static void test_split_page_of_order_0_is_a_no_op(void **state)
{
	struct page *page = alloc_page(GFP_KERNEL);

	(void)state;
	assert_non_null(page);
	split_page(page, 0);
	assert_no_warnings();
	assert_int_equal(page_count(page), 1);
	__free_page(page);
	assert_ram_ok();
}

static void test_split_page_misuse_is_warned_and_ignored(void **state)
{
	struct page *comp = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	struct page *plain = alloc_pages(GFP_KERNEL, 2);
	struct page stranger;

	(void)state;
	memset(&stranger, 0, sizeof(stranger));
	assert_non_null(comp);
	assert_non_null(plain);

	split_page(comp, 2);
	assert_warned("compound");
	assert_true(PageHead(comp));
	split_page(plain, 1);
	assert_warned("order does not match");
	split_page(plain + 1, 0);
	assert_warned("not the first page");
	split_page(&stranger, 0);
	assert_warned("outside simulated RAM");
	assert_ram_ok();

	__free_pages(plain, 2);
	split_page(plain, 2);
	assert_warned("free");
	__free_pages(comp, 2);
	assert_ram_ok();
}

/* --- misuse of free and references --------------------------------------------- */

static void test_double_free_is_warned_and_ignored(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	struct page *other;

	(void)state;
	assert_non_null(page);
	__free_pages(page, 1);
	assert_ram_ok();
	__free_pages(page, 1);
	assert_warned("double free");
	assert_ram_ok();

	/* A reallocated block is someone else's: freeing it twice still trips once. */
	other = alloc_page(GFP_KERNEL);
	assert_non_null(other);
	__free_page(other);
	__free_page(other);
	assert_warned("double free");
	assert_int_equal(iosim_ram_free_pages(), iosim_ram_nr_pages());
	assert_ram_ok();
}

static void test_freeing_a_tail_or_inner_page_is_warned_and_ignored(void **state)
{
	struct page *comp = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	struct page *plain = alloc_pages(GFP_KERNEL, 2);

	(void)state;
	assert_non_null(comp);
	assert_non_null(plain);
	__free_pages(comp + 1, 0);
	assert_warned("tail page");
	__free_pages(comp + 2, 1);
	assert_warned("tail page");
	__free_pages(plain + 2, 0);
	assert_warned("not the first page of an allocation");
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 8);
	assert_ram_ok();
	__free_pages(comp, 2);
	__free_pages(plain, 2);
	assert_ram_ok();
}

static void test_freeing_with_the_wrong_order_is_warned_and_ignored(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	(void)state;
	assert_non_null(page);
	__free_pages(page, 1);
	assert_warned("order does not match");
	__free_pages(page, 3);
	assert_warned("order does not match");
	__free_pages(page, MAX_ORDER + 5);
	assert_warned("order does not match");
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 4);
	assert_ram_ok();
	__free_pages(page, 2);
	assert_ram_ok();
}

static void test_freeing_a_split_block_whole_is_warned_and_ignored(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	struct page *comp = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	unsigned long i;

	(void)state;
	assert_non_null(page);
	assert_non_null(comp);
	split_page(page, 2);
	assert_int_equal(split_huge_page(comp), 0);
	__free_pages(page, 2);
	assert_warned("was split");
	__free_pages(comp, 2);
	assert_warned("was split");
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 8);
	assert_ram_ok();
	for (i = 0; i < 4; i++) {
		__free_page(page + i);
		__free_page(comp + i);
	}
	assert_ram_ok();
}

static void test_freeing_a_page_outside_ram_is_warned_and_ignored(void **state)
{
	struct page stranger;
	char *heap = malloc(PAGE_SIZE);
	unsigned long addr = __get_free_pages(GFP_KERNEL, 1);

	(void)state;
	memset(&stranger, 0, sizeof(stranger));
	assert_non_null(heap);
	assert_int_not_equal(addr, 0);
	__free_pages(&stranger, 0);
	assert_warned("outside simulated RAM");
	__free_pages(NULL, 0);
	assert_warned("outside simulated RAM");
	free_pages((unsigned long)heap, 0);
	assert_warned("outside simulated RAM");
	free_pages(addr + 8, 1);
	assert_warned("not page aligned");
	free_pages(addr + PAGE_SIZE, 0);
	assert_warned("not the first page");
	assert_ram_ok();
	free_pages(addr, 1);
	assert_ram_ok();
	free(heap);
}

static void test_get_and_put_of_a_free_or_unreferenced_page_are_warned(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	struct page stranger;

	(void)state;
	memset(&stranger, 0, sizeof(stranger));
	assert_non_null(page);
	/* The second frame of a non-compound block holds no references. */
	get_page(page + 1);
	assert_warned("refcount 0");
	put_page(page + 1);
	assert_warned("refcount 0");
	get_page(&stranger);
	assert_warned("outside simulated RAM");
	put_page(&stranger);
	assert_warned("outside simulated RAM");
	assert_int_equal(page_count(page), 1);
	assert_ram_ok();

	__free_pages(page, 1);
	put_page(page);
	assert_warned("free");
	get_page(page);
	assert_warned("free");
	assert_int_equal(page_count(page), 0);
	assert_ram_ok();
}

static void test_put_page_of_last_reference_to_a_high_order_block_is_refused(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);

	(void)state;
	assert_non_null(page);
	put_page(page);
	assert_warned("use __free_pages()");
	assert_int_equal(page_count(page), 1);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 4);
	assert_ram_ok();
	__free_pages(page, 2);
	assert_ram_ok();
}

/* --- the sanity checker itself --------------------------------------------------- */

static void test_ram_check_reports_corrupted_page_state(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	struct page *comp = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	struct page *free_head, *inner;
	unsigned long saved_flags, saved_private;
	struct page *saved_first;

	(void)state;
	assert_non_null(page);
	assert_non_null(comp);
	assert_ram_ok();

	/* A live block with no references. */
	atomic_set(&page->_count, 0);
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_warned("refcount 0");
	atomic_set(&page->_count, 1);
	assert_ram_ok();

	/* A frame inside a live block that claims to be free. */
	page[1].flags |= 1UL << PG_iosim_free;
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_warned("inside live block");
	page[1].flags &= ~(1UL << PG_iosim_free);
	assert_ram_ok();

	/* A compound tail pointing at the wrong head. */
	saved_first = comp[3].first_page;
	comp[3].first_page = page;
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_warned("compound tail state");
	comp[3].first_page = saved_first;
	assert_ram_ok();

	/* A free block whose recorded order is wrong. */
	free_head = pfn_to_page(PFN_DOWN(iosim_ram_base_phys()));
	while (!PageBuddy(free_head))
		free_head++;
	saved_private = free_head->private;
	free_head->private = saved_private ? saved_private - 1 : 1;
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_warned("iosim_ram_check");
	free_head->private = saved_private;
	assert_ram_ok();

	/* A free block that lost its buddy marking. */
	saved_flags = free_head->flags;
	free_head->flags &= ~(1UL << PG_buddy);
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_warned("not marked");
	free_head->flags = saved_flags;
	assert_ram_ok();

	/*
	 * Frames inside a free block (the checker scans those without a
	 * sanitizer check per load): one not marked free, one holding a
	 * reference, one heading a second free block, one of each at once.
	 */
	free_head = pfn_to_page(PFN_DOWN(iosim_ram_base_phys()));
	while (!PageBuddy(free_head) || free_head->private < 2)
		free_head++;
	inner = free_head + (1UL << free_head->private) - 1;
	saved_flags = inner->flags;
	inner->flags &= ~(1UL << PG_iosim_free);
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_warned("is not free");
	inner->flags = saved_flags;
	assert_ram_ok();
	atomic_set(&inner->_count, 1);
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_warned("is not free");
	atomic_set(&inner->_count, 0);
	assert_ram_ok();
	inner->flags |= 1UL << PG_buddy;
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_warned("free blocks overlap");
	inner->flags = saved_flags;
	assert_ram_ok();
	inner = free_head + 1;
	saved_flags = inner->flags;
	inner->flags = (saved_flags | (1UL << PG_buddy)) & ~(1UL << PG_iosim_free);
	(inner + 1)->flags &= ~(1UL << PG_iosim_free);
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	/* Both frames, and both faults of the first: the scan goes on after one. */
	assert_int_equal(iosim_warn_count(), 3);
	assert_warned("free blocks overlap");
	inner->flags = saved_flags;
	(inner + 1)->flags = saved_flags;
	assert_ram_ok();

	/* The live count disagreeing with the allocator. */
	iosim_live_add(IOSIM_OBJ_PAGE, 1);
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_warned("live count");
	iosim_live_add(IOSIM_OBJ_PAGE, -1);
	assert_ram_ok();

	__free_pages(page, 1);
	__free_pages(comp, 2);
}

/* --- the checker's reports, one planted corruption each ----------------------------- */

/* Replace the fixture's RAM with @nr_pages frames from @base. */
static void ram_reinit_at(phys_addr_t base, unsigned long nr_pages)
{
	struct iosim_ram_config cfg = {
		.base_phys = base,
		.size_bytes = (u64)nr_pages << PAGE_SHIFT,
	};

	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_ram_init(&cfg), 0);
	assert_ram_ok();
}

/* The struct page of frame @i of one-bank RAM. */
static struct page *frame(unsigned long i)
{
	return pfn_to_page(PFN_DOWN(iosim_ram_base_phys()) + i);
}

/* The first pfn of ZONE_NORMAL (4 GiB). */
#define ZONE_NORMAL_PFN		((unsigned long)(IOSIM_ZONE_DMA_LIMIT >> PAGE_SHIFT))

/*
 * @ret is -EUCLEAN and, for each of the NULL-terminated messages from
 * @first on, some recorded WARN contains it; then the record is cleared.
 */
static void check_reported(int ret, const char *first, ...)
{
	const char *want;
	va_list ap;

	assert_int_equal(ret, -EUCLEAN);
	va_start(ap, first);
	for (want = first; want; want = va_arg(ap, const char *)) {
		if (!iosim_warn_seen(want)) {
			va_end(ap);
			fail_msg("no WARN contains \"%s\" (last: %s)", want,
				 iosim_warn_last() ? iosim_warn_last()->msg : "none");
		}
	}
	va_end(ap);
	iosim_warn_reset();
}

#define assert_ram_reports(...)	check_reported(iosim_ram_check(), __VA_ARGS__, NULL)
#define assert_fresh_reports(...) check_reported(iosim_ram_check_fresh(), __VA_ARGS__, NULL)

/* A message of @fmt in @buf (one of a few per test). */
static __printf(3, 4) const char *msg(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return buf;
}

#define MSG(buf, ...)	msg(buf, sizeof(buf), __VA_ARGS__)

/* @page is exactly as @saved: a planted corruption was undone. */
static void assert_page_restored(const struct page *page, const struct page *saved)
{
	assert_memory_equal(page, saved, sizeof(*page));
}

/*
 * Move free block @moved onto the free list @next_to is on, as a block of
 * @order; returns where it was, for put_back_on_list().
 */
static struct list_head *move_onto_list_of(struct page *moved, struct page *next_to,
					   unsigned long order)
{
	struct list_head *old_prev = moved->lru.prev;

	list_del(&moved->lru);
	list_add(&moved->lru, &next_to->lru);
	moved->private = order;
	return old_prev;
}

/* Undo move_onto_list_of(): back after @old_prev, as a block of @order. */
static void put_back_on_list(struct page *moved, struct list_head *old_prev, unsigned long order)
{
	moved->private = order;
	list_del(&moved->lru);
	list_add(&moved->lru, old_prev);
}

/*
 * A free block on a list of the wrong order: one that then runs past the end
 * of its bank, and one that is not aligned to the list's order (and so covers
 * the next free block).  Each also leaves both lists' block counts and the
 * free page counts at odds with the counters.
 */
static void test_ram_check_reports_free_blocks_on_the_wrong_order_list(void **state)
{
	struct page *head, *moved, *page, saved_head, saved_moved;
	struct list_head *old_prev;
	unsigned long pfn0;
	char m1[160], m2[160], m3[160], m4[160], m5[160];

	(void)state;
	/* Three frames: an order-1 block and an order-0 block. */
	ram_reinit(3);
	pfn0 = PFN_DOWN(iosim_ram_base_phys());
	head = frame(0);
	moved = frame(2);
	assert_true(PageBuddy(head) && head->private == 1);
	assert_true(PageBuddy(moved) && moved->private == 0);
	saved_head = *head;
	saved_moved = *moved;

	/* The order-0 block moved onto the order-1 list as an order-1 block. */
	old_prev = move_onto_list_of(moved, head, 1);
	assert_ram_reports(MSG(m1, "free block pfn %#lx order 1 runs past its bank's end",
			       pfn0 + 2),
			   MSG(m2, "zone %u order-1 list holds 2 blocks, counter says 1",
			       ZONE_NORMAL),
			   MSG(m3, "zone %u order-0 list holds 0 blocks, counter says 1",
			       ZONE_NORMAL),
			   MSG(m4, "zone %u free lists hold 4 pages, counter says 3", ZONE_NORMAL),
			   MSG(m5, "check: free lists hold 4 pages, counter says 3"));
	put_back_on_list(moved, old_prev, 0);
	assert_page_restored(head, &saved_head);
	assert_page_restored(moved, &saved_moved);
	assert_ram_ok();

	/* Four frames, frame 0 allocated: order-0 block at 1, order-1 block at 2. */
	ram_reinit(4);
	page = alloc_page(GFP_KERNEL);
	assert_ptr_equal(page, frame(0));
	head = frame(2);
	moved = frame(1);
	assert_true(PageBuddy(head) && head->private == 1);
	assert_true(PageBuddy(moved) && moved->private == 0);
	saved_head = *head;
	saved_moved = *moved;
	old_prev = move_onto_list_of(moved, head, 1);
	assert_ram_reports(MSG(m1, "free block pfn %#lx is not aligned to order 1", pfn0 + 1),
			   MSG(m2, "free blocks overlap at pfn %#lx", pfn0 + 2));
	put_back_on_list(moved, old_prev, 0);
	assert_page_restored(head, &saved_head);
	assert_page_restored(moved, &saved_moved);
	assert_ram_ok();
	__free_page(page);
	assert_ram_ok();
}

/*
 * RAM across the 4 GiB line has a free block on each side; the ZONE_NORMAL
 * one moved onto ZONE_DMA's list is in the wrong zone, and both zones' block
 * and page counts disagree with their counters (the total still agrees).
 */
static void test_ram_check_reports_a_free_block_on_another_zones_list(void **state)
{
	struct page *dma, *normal, saved_dma, saved_normal;
	struct list_head *old_prev;
	char m1[160], m2[160], m3[160], m4[160], m5[160];

	(void)state;
	ram_reinit_at(IOSIM_ZONE_DMA_LIMIT - 2 * PAGE_SIZE, 4);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), 2);
	dma = pfn_to_page(ZONE_NORMAL_PFN - 2);
	normal = pfn_to_page(ZONE_NORMAL_PFN);
	assert_true(PageBuddy(dma) && dma->private == 1);
	assert_true(PageBuddy(normal) && normal->private == 1);
	saved_dma = *dma;
	saved_normal = *normal;

	old_prev = move_onto_list_of(normal, dma, 1);
	assert_ram_reports(MSG(m1, "free block pfn %#lx order 1 is not all in zone %u",
			       ZONE_NORMAL_PFN, ZONE_DMA),
			   MSG(m2, "zone %u order-1 list holds 2 blocks, counter says 1", ZONE_DMA),
			   MSG(m3, "zone %u order-1 list holds 0 blocks, counter says 1",
			       ZONE_NORMAL),
			   MSG(m4, "zone %u free lists hold 4 pages, counter says 2", ZONE_DMA),
			   MSG(m5, "zone %u free lists hold 0 pages, counter says 2", ZONE_NORMAL));
	put_back_on_list(normal, old_prev, 1);
	assert_page_restored(dma, &saved_dma);
	assert_page_restored(normal, &saved_normal);
	assert_ram_ok();
}

/*
 * A live page made to look free, on the list next to its free buddy: the
 * buddies are not merged, and the pages the allocator and the live count
 * say are allocated are nowhere in mem_map.
 */
static void test_ram_check_reports_unmerged_buddies_and_missing_allocations(void **state)
{
	struct page *a, *b, saved_a, saved_b;
	unsigned long pfn_a;
	char m1[160], m2[160], m3[160];

	(void)state;
	ram_reinit(4);
	a = alloc_page(GFP_KERNEL);
	b = alloc_page(GFP_KERNEL);
	assert_ptr_equal(b, a + 1);
	__free_page(a);
	assert_ram_ok();
	pfn_a = page_to_pfn(a);
	saved_a = *a;
	saved_b = *b;

	b->flags = (1UL << PG_iosim_free) | (1UL << PG_buddy);
	b->private = 0;
	atomic_set(&b->_count, 0);
	list_add(&b->lru, &a->lru);
	assert_ram_reports(MSG(m1, "free buddies %#lx and %#lx (order 0) are not merged", pfn_a,
			       pfn_a + 1),
			   MSG(m2, "0 pages allocated, counter says 1"),
			   MSG(m3, "0 pages allocated, live count says 1"));
	list_del(&b->lru);
	*b = saved_b;
	assert_page_restored(a, &saved_a);
	assert_ram_ok();
	__free_page(b);
	assert_int_equal(iosim_ram_free_blocks(2), 1);
	assert_ram_ok();
}

/*
 * A free list that leaves simulated RAM (a foreign struct page linked in)
 * or never comes back to its head (a loop): the checker says so and stops
 * walking the lists, instead of following the corruption.
 */
static void test_ram_check_stops_at_a_corrupted_free_list(void **state)
{
	struct page stranger, *head, saved_head;
	struct list_head *saved_next;

	(void)state;
	memset(&stranger, 0, sizeof(stranger));
	ram_reinit(4);
	head = frame(0);
	assert_true(PageBuddy(head) && head->private == 2);
	saved_head = *head;

	list_add(&stranger.lru, &head->lru);
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("order-2 free list is corrupted");
	list_del(&stranger.lru);
	assert_page_restored(head, &saved_head);
	assert_ram_ok();

	saved_next = head->lru.next;
	head->lru.next = &head->lru;
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("order-2 free list is corrupted");
	head->lru.next = saved_next;
	assert_page_restored(head, &saved_head);
	assert_ram_ok();
}

/* One corruption cascades: the checker WARNs the first 32 problems, and still fails. */
static void test_ram_check_reports_at_most_32_problems(void **state)
{
	unsigned long saved_flags[41], pfn0, i;
	char m1[160], m2[160];

	(void)state;
	ram_reinit(64);
	pfn0 = PFN_DOWN(iosim_ram_base_phys());
	assert_true(PageBuddy(frame(0)) && frame(0)->private == 6);
	/* 40 frames of the one free block claim not to be free: 40 problems. */
	for (i = 1; i <= 40; i++) {
		saved_flags[i] = frame(i)->flags;
		frame(i)->flags &= ~(1UL << PG_iosim_free);
	}
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 32);
	assert_true(iosim_warn_seen(MSG(m1, "pfn %#lx in free block", pfn0 + 32)));
	assert_false(iosim_warn_seen(MSG(m2, "pfn %#lx in free block", pfn0 + 33)));
	iosim_warn_reset();
	for (i = 1; i <= 40; i++)
		frame(i)->flags = saved_flags[i];
	assert_ram_ok();
}

/* Live blocks with their head's or an inner frame's state corrupted, one field at a time. */
static void test_ram_check_reports_corrupted_live_blocks(void **state)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct page *plain = alloc_pages(GFP_KERNEL, 1);
	struct page *comp = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	struct page saved_page, saved_plain1, saved_comp;
	unsigned long pfn, plain_pfn;
	char m[160];

	(void)state;
	assert_non_null(page);
	assert_non_null(plain);
	assert_non_null(comp);
	pfn = page_to_pfn(page);
	plain_pfn = page_to_pfn(plain);
	saved_page = *page;
	saved_plain1 = plain[1];
	saved_comp = *comp;
	assert_ram_ok();

	/* An order no allocation can have. */
	page->alloc_order = MAX_ORDER;
	assert_ram_reports(MSG(m, "live block at pfn %#lx has impossible order %u", pfn,
			       MAX_ORDER));
	/* One past any shift of a word: reported, never shifted by (UBSan watches). */
	page->alloc_order = 200;
	assert_ram_reports(MSG(m, "live block at pfn %#lx has impossible order 200", pfn));
	*page = saved_page;
	assert_ram_ok();

	/* A compound head whose compound order is not its allocation's. */
	comp->compound_order = 1;
	assert_ram_reports(MSG(m, "compound head pfn %#lx has order 1, allocated as 2",
			       page_to_pfn(comp)));
	*comp = saved_comp;
	assert_ram_ok();

	/* An order-0 page marked as a compound head. */
	page->flags |= 1UL << PG_head;
	assert_ram_reports(MSG(m, "order-0 page at pfn %#lx is marked compound", pfn));
	*page = saved_page;
	assert_ram_ok();

	/* A block whose first page is a compound tail. */
	page->flags |= 1UL << PG_tail;
	assert_ram_reports(MSG(m, "live block at pfn %#lx starts with a tail page", pfn));
	*page = saved_page;
	assert_ram_ok();

	/* A block head that is also marked free. */
	page->flags |= 1UL << PG_iosim_free;
	assert_ram_reports(MSG(m, "pfn %#lx is both free and allocated", pfn));
	*page = saved_page;
	assert_ram_ok();

	/* The second frame of a plain block holding references. */
	atomic_set(&plain[1]._count, 1);
	assert_ram_reports(MSG(m, "pfn %#lx inside live block %#lx has refcount 1",
			       plain_pfn + 1, plain_pfn));
	plain[1] = saved_plain1;
	assert_ram_ok();

	/* The second frame of a plain block marked as a compound head. */
	plain[1].flags |= 1UL << PG_head;
	assert_ram_reports(MSG(m, "pfn %#lx inside block %#lx is a compound head",
			       plain_pfn + 1, plain_pfn));
	plain[1] = saved_plain1;
	assert_ram_ok();

	__free_page(page);
	__free_pages(plain, 1);
	__free_pages(comp, 2);
}

/*
 * A ZONE_DMA block just below 4 GiB whose recorded order grows past the
 * line: it crosses the zone boundary, is misaligned, covers a free block,
 * and the allocator's counter no longer matches what mem_map shows.
 */
static void test_ram_check_reports_a_live_block_across_the_zone_boundary(void **state)
{
	struct page *blk, saved;
	unsigned long pfn = ZONE_NORMAL_PFN - 2;
	char m1[160], m2[160], m3[160], m4[160];

	(void)state;
	ram_reinit_at(IOSIM_ZONE_DMA_LIMIT - 2 * PAGE_SIZE, 4);
	blk = alloc_pages(GFP_DMA, 1);
	assert_ptr_equal(blk, pfn_to_page(pfn));
	saved = *blk;

	blk->alloc_order = 2;
	assert_ram_reports(MSG(m1, "live block at pfn %#lx order 2 crosses the ZONE_DMA boundary",
			       pfn),
			   MSG(m2, "live block at pfn %#lx is not aligned to order 2", pfn),
			   MSG(m3, "pfn %#lx inside live block %#lx is also free", pfn + 2, pfn),
			   MSG(m4, "4 pages allocated, counter says 2"));
	*blk = saved;
	assert_ram_ok();
	__free_pages(blk, 1);
}

/*
 * A block head whose refcount was zeroed behind the allocator's back (a
 * driver's stray put) cannot be freed: the free is WARNed and ignored.
 */
static void test_freeing_a_block_with_no_references_left_is_warned_and_ignored(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 1);
	unsigned long free_pages;

	(void)state;
	assert_non_null(page);
	free_pages = iosim_ram_free_pages();
	atomic_set(&page->_count, 0);
	__free_pages(page, 1);
	assert_warned("refcount already zero");
	assert_true(iosim_phys_is_allocated(page_to_phys(page)));
	assert_int_equal(iosim_ram_free_pages(), free_pages);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 2);
	atomic_set(&page->_count, 1);
	assert_ram_ok();
	__free_pages(page, 1);
	assert_ram_ok();
}

/*
 * White box: the banks must tile mem_map - each starting where the previous
 * one ended, together as many frames as RAM has.
 */
static void test_ram_check_reports_banks_that_do_not_tile_mem_map(void **state)
{
	struct iosim_ram_config cfg = {
		.nr_banks = 2,
		.banks = {
			{ .base_phys = 0x80000000ULL, .size_bytes = 4 * PAGE_SIZE },
			{ .base_phys = 0x880000000ULL, .size_bytes = 4 * PAGE_SIZE },
		},
	};
	char m1[160], m2[160];

	(void)state;
	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_ram_init(&cfg), 0);
	assert_ram_ok();
	assert_int_equal(iosim_ram_state.banks[1].first_index, 4);

	iosim_ram_state.banks[1].first_index = 3;
	assert_ram_reports(MSG(m1, "bank 1 starts at frame index 3, not 4"));
	iosim_ram_state.banks[1].first_index = 4;
	assert_ram_ok();

	iosim_ram_state.nr_pages++;
	assert_ram_reports(MSG(m1, "banks hold 8 pages, RAM has 9"),
			   MSG(m2, "free 8 + allocated 0 pages != RAM 9 pages"));
	iosim_ram_state.nr_pages--;
	assert_ram_ok();
}

/* --- the fresh-state check of a resettable RAM (<iosim/ram_reset.h>) ------------------ */

/* Replace the fixture's RAM with a resettable one of @nr_pages frames from @base. */
static void resettable_ram(phys_addr_t base, unsigned long nr_pages)
{
	struct iosim_ram_config cfg = {
		.base_phys = base,
		.size_bytes = (u64)nr_pages << PAGE_SHIFT,
	};

	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_ram_init_resettable(&cfg), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
}

/* A struct page that differs from a fresh one in a field nothing else checks. */
static void test_ram_check_fresh_reports_a_struct_page_that_is_not_fresh(void **state)
{
	struct page *inner, saved;
	char m[160];

	(void)state;
	resettable_ram(IOSIM_RAM_DEFAULT_BASE_PHYS, 4);
	inner = frame(1);		/* inside the one order-2 block */
	saved = *inner;
	inner->private = 1;
	assert_ram_ok();		/* the allocator does not look at it */
	assert_fresh_reports(MSG(m, "the struct page of frame 1 (pfn %#lx) is not as fresh",
				 page_to_pfn(inner)));
	*inner = saved;
	assert_int_equal(iosim_ram_check_fresh(), 0);
}

/*
 * RAM from an odd frame starts with an order-0 block and two order-1
 * blocks, in address order.  The same blocks in another order are a
 * consistent allocator, but not a fresh one: the next allocations would
 * return other addresses.
 */
static void test_ram_check_fresh_reports_free_blocks_out_of_fresh_order(void **state)
{
	struct page *first, *second, saved_first, saved_second;
	char m[160];

	(void)state;
	resettable_ram(IOSIM_RAM_DEFAULT_BASE_PHYS + PAGE_SIZE, 5);
	first = frame(1);
	second = frame(3);
	assert_true(PageBuddy(first) && first->private == 1);
	assert_true(PageBuddy(second) && second->private == 1);
	assert_ptr_equal(first->lru.next, &second->lru);
	saved_first = *first;
	saved_second = *second;

	list_del(&second->lru);
	list_add_tail(&second->lru, &first->lru);
	assert_ram_ok();
	assert_fresh_reports(MSG(m, "pfn %#lx is not the next order-1 free block of a fresh RAM",
				 page_to_pfn(first)));
	list_del(&second->lru);
	list_add(&second->lru, &first->lru);
	assert_page_restored(first, &saved_first);
	assert_page_restored(second, &saved_second);
	assert_int_equal(iosim_ram_check_fresh(), 0);
}

/*
 * Two live pages, the second split off a larger block: the free lists hold
 * blocks a fresh RAM has not (and miss two it has), two frames are
 * allocated, and their struct pages and bytes are not fresh.  The reset
 * waits for them; freed, the RAM is still not fresh; iosim_ram_reset()
 * makes it so.
 */
static void test_ram_check_fresh_reports_live_pages_until_the_reset(void **state)
{
	struct page *p1, *p2;
	unsigned long pfn0;
	char m1[160], m2[160], m3[160], m4[160], m5[160];

	(void)state;
	resettable_ram(IOSIM_RAM_DEFAULT_BASE_PHYS + PAGE_SIZE, 5);
	pfn0 = PFN_DOWN(iosim_ram_base_phys());
	p1 = alloc_page(GFP_KERNEL);
	p2 = alloc_page(GFP_KERNEL);
	assert_ptr_equal(p1, frame(0));
	assert_ptr_equal(p2, frame(1));
	assert_ram_ok();
	assert_fresh_reports(MSG(m1, "pfn %#lx is not the next order-0 free block", pfn0),
			     MSG(m2, "the zone %u order-0 list holds more than a fresh RAM",
				 ZONE_NORMAL),
			     MSG(m3, "the struct page of frame 0 (pfn %#lx) is not as fresh", pfn0),
			     MSG(m4, "2 pages allocated, 3 free"),
			     MSG(m5, "frame 1 (pfn %#lx) holds non-zero bytes", pfn0 + 1));
	/* No reset while pages are live: nothing changes. */
	assert_int_equal(iosim_ram_reset(), -EBUSY);
	assert_true(iosim_phys_is_allocated(page_to_phys(p2)));
	assert_int_equal(iosim_ram_free_pages(), 3);
	assert_ram_ok();
	__free_page(p1);
	__free_page(p2);
	assert_ram_ok();
	assert_int_equal(iosim_ram_check_fresh(), -EUCLEAN);
	assert_warned("holds non-zero bytes");
	assert_int_equal(iosim_ram_reset(), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
}

/*
 * White box: the allocator's half of the reset refuses without RAM and on
 * a RAM whose frames it is not tracking (iosim_ram_reset() never asks it
 * then), changing nothing; its fresh check has nothing to compare without
 * RAM.
 */
static void test_buddy_reset_refuses_without_ram_or_tracking(void **state)
{
	struct free_layout before;

	(void)state;
	ram_reinit(small_ram_pages());
	snapshot_layout(&before);
	assert_int_equal(iosim_buddy_reset_touched(NULL), -ESTALE);
	assert_layout_equal(&before);
	assert_ram_ok();

	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_buddy_reset_touched(NULL), -ENODEV);
	assert_int_equal(iosim_buddy_check_fresh(), 0);
	assert_false(iosim_ram_ready());
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_ram_ok();
}

/*
 * White box: tracking with arrays of the test's own.  The list of touched
 * frames must name, once each, exactly the frames the map marks: an entry
 * past RAM, an entry the map does not mark, a mark the list lacks are each
 * reported (a live page is reported either way, but not as tracking).
 */
static void test_buddy_check_fresh_reports_touch_tracking_out_of_step(void **state)
{
	unsigned long nr, saved_entry, untouched;
	unsigned char *map, saved_mark;
	unsigned long *list;
	struct page *page;

	(void)state;
	ram_reinit(8);
	nr = iosim_ram_nr_pages();
	map = calloc(nr, 1);
	list = calloc(nr, sizeof(*list));
	assert_non_null(map);
	assert_non_null(list);
	assert_int_equal(iosim_buddy_track_start(map, list), 0);
	assert_int_equal(iosim_buddy_check_fresh(), 0);

	page = alloc_page(GFP_KERNEL);
	assert_ptr_equal(page, frame(0));
	assert_true(iosim_buddy_nr_touched() > 0 && iosim_buddy_nr_touched() < nr);
	untouched = nr - 1;
	assert_int_equal(map[untouched], 0);
	assert_int_equal(iosim_buddy_check_fresh(), -EUCLEAN);
	assert_false(iosim_warn_seen("listed as touched"));
	iosim_warn_reset();

	saved_entry = list[0];
	list[0] = nr;
	check_reported(iosim_buddy_check_fresh(), "frames listed as touched, the map disagrees",
		       NULL);
	list[0] = saved_entry;

	saved_mark = map[list[0]];
	map[list[0]] = 0;
	check_reported(iosim_buddy_check_fresh(), "frames listed as touched, the map disagrees",
		       NULL);
	map[list[0]] = saved_mark;

	map[untouched] = 1;
	check_reported(iosim_buddy_check_fresh(), "frames listed as touched, the map disagrees",
		       NULL);
	map[untouched] = 0;

	__free_page(page);
	assert_int_equal(iosim_buddy_reset_touched(NULL), 0);
	assert_int_equal(iosim_buddy_nr_touched(), 0);
	assert_int_equal(iosim_buddy_check_fresh(), 0);
	assert_int_equal(iosim_buddy_track_start(NULL, NULL), 0);
	free(map);
	free(list);
	assert_ram_ok();
}

/* --- an allocation-failure sweep over a multi-step operation ----------------------- */

/*
 * The test's own version of a DMA buffer allocator's page gathering: fill
 * @count slots with order-0 pages, trying the largest order first, splitting
 * compound blocks with split_huge_page() and plain ones with split_page(),
 * falling back to smaller orders.  On failure everything is freed and NULL
 * returned.
 */
static struct page **gather_pages(unsigned int count, gfp_t gfp)
{
	struct page **pages = calloc(count, sizeof(*pages));
	unsigned int filled = 0;

	if (!pages)
		return NULL;
	while (filled < count) {
		unsigned int left = count - filled;
		unsigned int order = min_t(unsigned int, (unsigned int)__fls(left), MAX_ORDER - 1);
		struct page *page = NULL;
		unsigned int i;

		for (; order > 0; order--) {
			page = alloc_pages(gfp | __GFP_NOWARN | __GFP_NORETRY, order);
			if (!page)
				continue;
			if (!PageCompound(page)) {
				split_page(page, order);
				break;
			}
			if (!split_huge_page(page))
				break;
			__free_pages(page, order);
			page = NULL;
		}
		if (!page)
			page = alloc_page(gfp | __GFP_NOWARN);
		if (!page)
			goto out_free_pages;
		for (i = 0; i < (1U << order); i++)
			pages[filled++] = page + i;
	}
	return pages;

out_free_pages:
	while (filled--)
		__free_page(pages[filled]);
	free(pages);
	return NULL;
}

static void test_allocation_failure_sweep_over_page_gathering(void **state)
{
	static const gfp_t flavours[] = { GFP_KERNEL, GFP_KERNEL | __GFP_COMP };
	const unsigned int count = 45;	/* 32 + 8 + 4 + 1 */
	unsigned int site_mask = IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC) |
				 IOSIM_FAULT_SITE(IOSIM_FAULT_SPLIT_HUGE);
	size_t f;

	(void)state;
	for (f = 0; f < ARRAY_SIZE(flavours); f++) {
		unsigned long nth, failures = 0;

		for (nth = 1; nth < 1000; nth++) {
			struct page **pages;
			unsigned int i;

			iosim_fault_fail_nth(site_mask, nth);
			pages = gather_pages(count, flavours[f]);
			if (!pages) {
				/* Failed cleanly: nothing left behind. */
				failures++;
				assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
				assert_ram_ok();
				continue;
			}
			/* Succeeded: every page distinct, allocated, order 0. */
			for (i = 0; i < count; i++) {
				assert_int_equal(page_count(pages[i]), 1);
				assert_false(PageCompound(pages[i]));
				assert_true(iosim_phys_is_allocated(page_to_phys(pages[i])));
			}
			assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), count);
			assert_ram_ok();
			for (i = 0; i < count; i++)
				__free_page(pages[i]);
			free(pages);
			assert_ram_ok();
			if (!iosim_fault_injected())
				break;	/* the sweep has passed the last fallible call */
		}
		assert_true(nth < 1000);
		/* The fallbacks absorb most failures: only the last-resort order-0 ones fail. */
		assert_true(failures > 0);
		assert_true(failures < nth);
		iosim_fault_reset();
	}
}

/* --- randomized model-based test ---------------------------------------------------- */

struct model_block {
	struct page *page;
	unsigned int order;	/* 0 after a split */
	bool compound;
	unsigned int refs;
	u64 tag;		/* written at the block's start; checked before freeing */
};

struct model {
	struct model_block *blocks;
	unsigned long nr_blocks;
	unsigned long cap;
	unsigned char *frame_used;	/* per frame of RAM */
	unsigned long used_frames;
};

static unsigned long frame_index(const struct page *page)
{
	return page_to_pfn(page) - PFN_DOWN(iosim_ram_base_phys());
}

static void model_add(struct model *m, struct page *page, unsigned int order, bool compound)
{
	struct model_block *b;
	unsigned long i, first = frame_index(page);

	if (m->nr_blocks == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 256;
		m->blocks = realloc(m->blocks, m->cap * sizeof(*m->blocks));
		assert_non_null(m->blocks);
	}
	for (i = 0; i < (1UL << order); i++) {
		if (m->frame_used[first + i])
			fail_msg("allocator handed out frame %lu twice", first + i);
		m->frame_used[first + i] = 1;
	}
	m->used_frames += 1UL << order;
	b = &m->blocks[m->nr_blocks++];
	b->page = page;
	b->order = order;
	b->compound = compound;
	b->refs = 1;
	b->tag = rng_next();
	memcpy(page_address(page), &b->tag, sizeof(b->tag));
}

static void model_remove(struct model *m, unsigned long idx)
{
	struct model_block *b = &m->blocks[idx];
	unsigned long i, first = frame_index(b->page);
	u64 tag;

	memcpy(&tag, page_address(b->page), sizeof(tag));
	if (tag != b->tag)
		fail_msg("block at pfn %#lx was overwritten", page_to_pfn(b->page));
	for (i = 0; i < (1UL << b->order); i++)
		m->frame_used[first + i] = 0;
	m->used_frames -= 1UL << b->order;
	*b = m->blocks[--m->nr_blocks];
}

/* Compare the allocator's view of every frame with the model's. */
static void model_verify(const struct model *m)
{
	unsigned long i, n = iosim_ram_nr_pages();
	phys_addr_t base = iosim_ram_base_phys();

	assert_ram_ok();
	assert_int_equal(iosim_ram_free_pages(), n - m->used_frames);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), (long)m->used_frames);
	for (i = 0; i < n; i++)
		if (iosim_phys_is_allocated(base + i * PAGE_SIZE) != !!m->frame_used[i])
			fail_msg("frame %lu: allocator and model disagree", i);
}

static void run_model(u64 seed, unsigned long nr_ops, unsigned int max_order)
{
	struct model m = { 0 };
	unsigned long op;

	rng_seed(seed);
	m.frame_used = calloc(iosim_ram_nr_pages(), 1);
	assert_non_null(m.frame_used);

	for (op = 0; op < nr_ops; op++) {
		unsigned long r = rng_below(100);

		if (r < 45 || !m.nr_blocks) {
			/* Allocate: small orders mostly, sometimes large. */
			unsigned int order = rng_below(4) ? (unsigned int)rng_below(3) :
						(unsigned int)rng_below(max_order + 1);
			gfp_t gfp = GFP_KERNEL | __GFP_NOWARN;
			struct page *page;

			if (rng_below(3) == 0)
				gfp |= __GFP_COMP;
			if (rng_below(4) == 0)
				gfp |= __GFP_ZERO;
			page = alloc_pages(gfp, order);
			if (!page)
				continue;	/* exhausted or fragmented: allowed */
			if (gfp & __GFP_ZERO)
				assert_true(iosim_bytes_all(page_address(page), 0, PAGE_SIZE << order));
			model_add(&m, page, order, order && (gfp & __GFP_COMP));
		} else if (r < 80) {
			/* Drop a reference to a random block (freeing it at the last). */
			unsigned long idx = rng_below(m.nr_blocks);
			struct model_block b = m.blocks[idx];

			if (b.refs > 1) {
				m.blocks[idx].refs--;
				if (b.order == 0 || b.compound)
					put_page(b.page);
				else
					__free_pages(b.page, b.order);
			} else {
				model_remove(&m, idx);
				__free_pages(b.page, b.order);
			}
		} else if (r < 88) {
			/* Take an extra reference. */
			unsigned long idx = rng_below(m.nr_blocks);

			get_page(m.blocks[idx].page);
			m.blocks[idx].refs++;
		} else {
			/* Split an unshared block into order-0 blocks. */
			unsigned long idx = rng_below(m.nr_blocks);
			struct model_block b = m.blocks[idx];
			unsigned long i;

			if (!b.order || b.refs != 1)
				continue;
			if (b.compound) {
				if (split_huge_page(b.page))
					fail_msg("split_huge_page of an unshared block failed");
			} else {
				split_page(b.page, b.order);
			}
			model_remove(&m, idx);
			for (i = 0; i < (1UL << b.order); i++) {
				/* The frames stay allocated: re-add each as its own block. */
				model_add(&m, b.page + i, 0, false);
			}
		}
		if (op % 97 == 0)
			model_verify(&m);
	}
	model_verify(&m);

	/* Drain everything, then RAM is whole again. */
	while (m.nr_blocks) {
		struct model_block b = m.blocks[m.nr_blocks - 1];

		if (b.refs > 1) {
			m.blocks[m.nr_blocks - 1].refs--;
			if (b.order == 0 || b.compound)
				put_page(b.page);
			else
				__free_pages(b.page, b.order);
			continue;
		}
		model_remove(&m, m.nr_blocks - 1);
		__free_pages(b.page, b.order);
	}
	model_verify(&m);
	assert_int_equal(iosim_ram_free_pages(), iosim_ram_nr_pages());
	free(m.blocks);
	free(m.frame_used);
}

static void test_random_operations_match_a_model_of_allocated_frames(void **state)
{
	static const u64 seeds[] = { 1, 0xdecafbad, 0x1234567887654321ULL };
	size_t i;

	(void)state;
	/* A RAM small enough to hit exhaustion and fragmentation often. */
	ram_reinit(512);
	for (i = 0; i < ARRAY_SIZE(seeds); i++)
		run_model(seeds[i], 4000, min_t(unsigned int, 7, MAX_ORDER - 1));
}

static void test_random_operations_on_unaligned_ram_match_the_model(void **state)
{
	struct iosim_ram_config cfg = {
		.base_phys = IOSIM_RAM_DEFAULT_BASE_PHYS + 3 * PAGE_SIZE,
		.size_bytes = 301 * PAGE_SIZE,
	};

	(void)state;
	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_ram_init(&cfg), 0);
	run_model(0xfeedface, 3000, min_t(unsigned int, 6, MAX_ORDER - 1));
}

/* --- threads ------------------------------------------------------------------ */

struct worker_arg {
	u64 seed;
	unsigned long ops;
};

static void *alloc_free_worker(void *p)
{
	struct worker_arg *arg = p;
	struct page *held[16] = { NULL };
	unsigned int held_order[16] = { 0 };
	u64 s = arg->seed;
	unsigned long op;

	for (op = 0; op < arg->ops; op++) {
		unsigned int slot, order;

		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		slot = (unsigned int)(s >> 33) % 16;
		order = (unsigned int)(s >> 40) % 4;
		if (held[slot]) {
			__free_pages(held[slot], held_order[slot]);
			held[slot] = NULL;
		} else {
			held[slot] = alloc_pages(GFP_KERNEL | __GFP_NOWARN |
						 ((s >> 50) & 1 ? __GFP_COMP : 0), order);
			held_order[slot] = order;
			if (held[slot] && (s >> 51) & 1) {
				get_page(held[slot]);
				put_page(held[slot]);
			}
		}
	}
	for (op = 0; op < 16; op++)
		if (held[op])
			__free_pages(held[op], held_order[op]);
	return NULL;
}

static void test_concurrent_allocation_keeps_the_allocator_consistent(void **state)
{
	pthread_t threads[4];
	struct worker_arg args[4];
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		args[i].seed = 1000 + (u64)i;
		args[i].ops = 3000;
		assert_int_equal(pthread_create(&threads[i], NULL, alloc_free_worker, &args[i]), 0);
	}
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);
	assert_ram_ok();
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
	assert_int_equal(iosim_ram_free_pages(), iosim_ram_nr_pages());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM(test_every_order_is_allocated_aligned_to_its_size),
		IOSIM_TEST_RAM(test_order_0_allocation_splits_a_maximal_block_and_free_merges_it),
		IOSIM_TEST_RAM(test_buddies_merge_only_when_both_are_free),
		IOSIM_TEST_RAM(test_exhaustion_then_random_free_restores_maximal_blocks),
		IOSIM_TEST_RAM(test_fragmented_ram_fails_high_orders_but_serves_order_0),
		IOSIM_TEST_RAM(test_order_at_or_above_max_order_warns_unless_nowarn),
		IOSIM_TEST_RAM(test_injected_nth_failure_fails_exactly_that_call),
		IOSIM_TEST_RAM(test_injected_failures_spare_nofail_allocations),
		IOSIM_TEST_RAM(test_per_order_failure_mask_fails_only_those_orders),
		IOSIM_TEST_RAM(test_injected_failure_is_logged_unless_nowarn),
		IOSIM_TEST_RAM(test_gfp_zero_returns_zeroed_pages),
		IOSIM_TEST_RAM(test_fresh_pages_carry_alloc_poison_and_freed_pages_free_poison),
		IOSIM_TEST_RAM(test_get_free_pages_and_free_pages_use_linear_map_addresses),
		IOSIM_TEST_RAM(test_alloc_pages_exact_keeps_only_the_pages_asked_for),
		IOSIM_TEST_RAM(test_page_is_freed_when_its_last_reference_goes),
		IOSIM_TEST_RAM(test_high_order_block_survives_free_while_referenced),
		IOSIM_TEST_RAM(test_gfp_comp_makes_a_compound_page),
		IOSIM_TEST_RAM(test_references_on_a_tail_page_are_held_by_the_head),
		IOSIM_TEST_RAM(test_split_huge_page_makes_independent_order_0_pages),
		IOSIM_TEST_RAM(test_split_huge_page_failure_leaves_the_page_unchanged),
		IOSIM_TEST_RAM(test_split_page_makes_each_page_freeable_alone),
		IOSIM_TEST_RAM(test_split_page_of_order_0_is_a_no_op),
		IOSIM_TEST_RAM(test_split_page_misuse_is_warned_and_ignored),
		IOSIM_TEST_RAM(test_double_free_is_warned_and_ignored),
		IOSIM_TEST_RAM(test_freeing_a_tail_or_inner_page_is_warned_and_ignored),
		IOSIM_TEST_RAM(test_freeing_with_the_wrong_order_is_warned_and_ignored),
		IOSIM_TEST_RAM(test_freeing_a_split_block_whole_is_warned_and_ignored),
		IOSIM_TEST_RAM(test_freeing_a_page_outside_ram_is_warned_and_ignored),
		IOSIM_TEST_RAM(test_get_and_put_of_a_free_or_unreferenced_page_are_warned),
		IOSIM_TEST_RAM(test_put_page_of_last_reference_to_a_high_order_block_is_refused),
		IOSIM_TEST_RAM(test_ram_check_reports_corrupted_page_state),
		IOSIM_TEST_RAM(test_ram_check_reports_free_blocks_on_the_wrong_order_list),
		IOSIM_TEST_RAM(test_ram_check_reports_a_free_block_on_another_zones_list),
		IOSIM_TEST_RAM(test_ram_check_reports_unmerged_buddies_and_missing_allocations),
		IOSIM_TEST_RAM(test_ram_check_stops_at_a_corrupted_free_list),
		IOSIM_TEST_RAM(test_ram_check_reports_at_most_32_problems),
		IOSIM_TEST_RAM(test_ram_check_reports_corrupted_live_blocks),
		IOSIM_TEST_RAM(test_ram_check_reports_a_live_block_across_the_zone_boundary),
		IOSIM_TEST_RAM(test_freeing_a_block_with_no_references_left_is_warned_and_ignored),
		IOSIM_TEST_RAM(test_ram_check_reports_banks_that_do_not_tile_mem_map),
		IOSIM_TEST_RAM(test_ram_check_fresh_reports_a_struct_page_that_is_not_fresh),
		IOSIM_TEST_RAM(test_ram_check_fresh_reports_free_blocks_out_of_fresh_order),
		IOSIM_TEST_RAM(test_ram_check_fresh_reports_live_pages_until_the_reset),
		IOSIM_TEST_RAM(test_buddy_reset_refuses_without_ram_or_tracking),
		IOSIM_TEST_RAM(test_buddy_check_fresh_reports_touch_tracking_out_of_step),
		IOSIM_TEST_RAM(test_allocation_failure_sweep_over_page_gathering),
		IOSIM_TEST_RAM(test_random_operations_match_a_model_of_allocated_frames),
		IOSIM_TEST_RAM(test_random_operations_on_unaligned_ram_match_the_model),
		IOSIM_TEST_RAM(test_concurrent_allocation_keeps_the_allocator_consistent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
