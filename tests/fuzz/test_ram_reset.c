// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * <iosim/ram_reset.h>, which the fuzz harnesses reset their RAM with between
 * inputs: after iosim_ram_reset() the next allocations return what a fresh
 * RAM's would, every frame and the cache model's memory read as fresh, and
 * iosim_ram_check_fresh() agrees; the reset refuses while anything is
 * allocated or on a RAM it cannot reset; a rebase moves the RAM (and its
 * zones) without a new RAM; the fresh check notices what a reset would
 * have missed; and a block freed as zeroed is neither poisoned nor zeroed
 * again.
 */
#include "iosim_test.h"

#include <errno.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <iosim/cache.h>
#include <iosim/fault.h>
#include <iosim/ram.h>
#include <iosim/ram_reset.h>
#include <iosim/vma.h>
#include <iosim/warn.h>

#define NR_FRAMES	512
#define NR_BLOCKS	8

static const unsigned int orders[NR_BLOCKS] = { 0, 3, 0, 5, 1, 0, 2, 4 };

static void make_ram(phys_addr_t base, bool cache_model)
{
	struct iosim_ram_config cfg = { .base_phys = base, .size_bytes = NR_FRAMES * PAGE_SIZE };

	assert_int_equal(iosim_cache_set_enabled(cache_model), 0);
	assert_int_equal(iosim_ram_init_resettable(&cfg), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
}

static void destroy_ram(void)
{
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_exit(), 0);
}

/* Allocate the pattern's blocks, write into them, note where they are. */
static void alloc_pattern(struct page **blocks, phys_addr_t *phys)
{
	unsigned int i;

	for (i = 0; i < NR_BLOCKS; i++) {
		blocks[i] = alloc_pages(GFP_KERNEL, orders[i]);
		assert_non_null(blocks[i]);
		phys[i] = page_to_phys(blocks[i]);
		memset(page_address(blocks[i]), 0x3c + i, PAGE_SIZE << orders[i]);
	}
}

/* Free them in an order unlike their allocation's: the free lists end up reordered. */
static void free_pattern(struct page **blocks)
{
	static const unsigned int order_of_free[NR_BLOCKS] = { 3, 0, 6, 1, 7, 2, 5, 4 };
	unsigned int i;

	for (i = 0; i < NR_BLOCKS; i++)
		__free_pages(blocks[order_of_free[i]], orders[order_of_free[i]]);
}

static void test_ram_reset_gives_fresh_addresses_and_bytes(void **state)
{
	struct page *blocks[NR_BLOCKS], *again[NR_BLOCKS];
	phys_addr_t fresh[NR_BLOCKS], after[NR_BLOCKS];
	unsigned int i;

	make_ram(IOSIM_RAM_DEFAULT_BASE_PHYS, false);
	alloc_pattern(blocks, fresh);
	assert_true(iosim_ram_touched_frames() >= 1 + 8 + 1 + 32 + 2 + 1 + 4 + 16);
	free_pattern(blocks);
	/* The frees reordered the free lists; the reset puts them back. */
	assert_int_equal(iosim_ram_reset(), 0);
	assert_int_equal(iosim_ram_touched_frames(), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	alloc_pattern(again, after);
	for (i = 0; i < NR_BLOCKS; i++)
		assert_int_equal(after[i], fresh[i]);
	free_pattern(again);
	assert_int_equal(iosim_ram_reset(), 0);
	/* A frame that held data reads as zero again, as on a fresh RAM. */
	assert_int_equal(((unsigned char *)phys_to_virt(fresh[3]))[17], 0);
	destroy_ram();
}

static void test_ram_reset_refuses_while_a_page_is_allocated(void **state)
{
	struct page *page;

	make_ram(IOSIM_RAM_DEFAULT_BASE_PHYS, false);
	page = alloc_pages(GFP_KERNEL, 2);
	assert_non_null(page);
	assert_int_equal(iosim_ram_reset(), -EBUSY);
	/* Nothing changed: the block is still live and intact. */
	assert_int_equal(iosim_ram_check(), 0);
	assert_true(iosim_phys_is_allocated(page_to_phys(page)));
	__free_pages(page, 2);
	assert_int_equal(iosim_ram_reset(), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	destroy_ram();
}

/*
 * A user VMA is an alias the reset cannot follow, even one with no page in
 * it yet: refused, nothing changed; once it is gone the reset goes ahead.
 */
static void test_ram_reset_refuses_while_a_user_vma_lives(void **state)
{
	struct vm_area_struct *vma;

	make_ram(IOSIM_RAM_DEFAULT_BASE_PHYS, false);
	vma = iosim_vma_create(PAGE_SIZE, 0);
	assert_non_null(vma);
	assert_int_equal(iosim_ram_reset(), -EBUSY);
	assert_int_equal(iosim_vma_check(vma), 0);
	iosim_vma_destroy(vma);
	assert_int_equal(iosim_ram_reset(), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	destroy_ram();
}

static void test_ram_reset_refuses_ram_made_without_tracking(void **state)
{
	struct iosim_ram_config cfg = { .base_phys = SZ_1G, .size_bytes = NR_FRAMES * PAGE_SIZE };

	assert_int_equal(iosim_ram_reset(), -ENODEV);
	assert_int_equal(iosim_ram_init(&cfg), 0);
	assert_int_equal(iosim_ram_reset(), -ESTALE);
	assert_int_equal(iosim_ram_reset_rebase(2ULL * SZ_1G), -ESTALE);
	destroy_ram();

	/* Nor a plain RAM made where a resettable one was (its tracking is gone). */
	make_ram(SZ_1G, false);
	assert_int_equal(iosim_ram_reset(), 0);
	destroy_ram();
	assert_int_equal(iosim_ram_init(&cfg), 0);
	assert_int_equal(iosim_ram_reset(), -ESTALE);
	destroy_ram();
}

static void test_ram_reset_clears_the_cache_models_memory(void **state)
{
	unsigned char byte = 0x77, got = 0xff;
	struct page *page;
	phys_addr_t phys;

	make_ram(IOSIM_RAM_DEFAULT_BASE_PHYS, true);
	page = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(page);
	phys = page_to_phys(page);
	assert_int_equal(iosim_cache_write_memory(phys + 8, &byte, 1), 0);
	iosim_cache_set_eviction(7, 1000);
	__free_pages(page, 0);
	assert_int_equal(iosim_ram_reset(), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	assert_int_equal(iosim_cache_read_memory(phys + 8, &got, 1), 0);
	assert_int_equal(got, 0);
	assert_false(iosim_cache_line_dirty(phys));
	destroy_ram();
}

static void test_ram_reset_rebase_moves_ram_and_its_zones(void **state)
{
	struct page *page;

	make_ram(IOSIM_RAM_DEFAULT_BASE_PHYS, false);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), 0);
	/* Below 4 GiB and congruent modulo the largest block: ZONE_DMA. */
	assert_int_equal(iosim_ram_reset_rebase(SZ_1G), 0);
	assert_int_equal(iosim_ram_base_phys(), SZ_1G);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), NR_FRAMES);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	page = alloc_pages(GFP_DMA, 0);
	assert_non_null(page);
	assert_int_equal(page_to_phys(page), SZ_1G);
	/* Not while anything was allocated since the last reset. */
	assert_int_equal(iosim_ram_reset_rebase(IOSIM_RAM_DEFAULT_BASE_PHYS), -EBUSY);
	__free_pages(page, 0);
	assert_int_equal(iosim_ram_reset_rebase(IOSIM_RAM_DEFAULT_BASE_PHYS), -EBUSY);
	assert_int_equal(iosim_ram_reset(), 0);
	/* Not to a base the linear map cannot serve, nor an unaligned one. */
	assert_int_equal(iosim_ram_reset_rebase(SZ_1G + PAGE_SIZE), -EINVAL);
	assert_int_equal(iosim_ram_reset_rebase(SZ_1G + 1), -EINVAL);
	assert_int_equal(iosim_ram_base_phys(), SZ_1G);
	assert_int_equal(iosim_ram_reset_rebase(IOSIM_RAM_DEFAULT_BASE_PHYS), 0);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_NORMAL), NR_FRAMES);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	destroy_ram();
}

/* Juno's two banks: each bank's addresses come back, and the buddy walk covers both. */
static void test_ram_reset_of_banked_ram_gives_fresh_addresses_in_each_bank(void **state)
{
	struct page *blocks[NR_BLOCKS], *again[NR_BLOCKS], *low;
	phys_addr_t fresh[NR_BLOCKS], after[NR_BLOCKS], fresh_low;
	struct iosim_ram_config cfg;
	unsigned int i;

	assert_int_equal(iosim_cache_set_enabled(false), 0);
	assert_int_equal(iosim_ram_config_juno(&cfg, NR_FRAMES * PAGE_SIZE, NR_FRAMES * PAGE_SIZE),
			 0);
	assert_int_equal(iosim_ram_init_resettable(&cfg), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	low = alloc_pages(GFP_DMA, 3);
	assert_non_null(low);
	fresh_low = page_to_phys(low);
	assert_true(fresh_low < IOSIM_RAM_JUNO_HIGH_BASE);
	alloc_pattern(blocks, fresh);
	__free_pages(low, 3);
	free_pattern(blocks);
	assert_int_equal(iosim_ram_reset(), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	low = alloc_pages(GFP_DMA, 3);
	assert_non_null(low);
	assert_int_equal(page_to_phys(low), fresh_low);
	alloc_pattern(again, after);
	for (i = 0; i < NR_BLOCKS; i++)
		assert_int_equal(after[i], fresh[i]);
	__free_pages(low, 3);
	free_pattern(again);
	assert_int_equal(iosim_ram_reset(), 0);
	/* Moving RAM of several banks is refused: make a new RAM instead. */
	assert_int_equal(iosim_ram_reset_rebase(SZ_1G), -EINVAL);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	destroy_ram();
}

static bool all_bytes(const struct page *page, unsigned int order, unsigned char val)
{
	return iosim_bytes_all(page_address(page), val, PAGE_SIZE << order);
}

/*
 * alloc_pages(__GFP_ZERO) skips writing frames nobody was handed since the
 * last reset (they hold a fresh RAM's zeros): whichever way it goes, the
 * block reads as zeros, and without __GFP_ZERO as the allocation poison.
 */
static void test_zeroed_blocks_read_zero_whether_or_not_their_frames_were_used(void **state)
{
	struct page *p, *q, *r;

	make_ram(IOSIM_RAM_DEFAULT_BASE_PHYS, false);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
	assert_non_null(p);
	assert_true(all_bytes(p, 3, 0));
	memset(page_address(p), 0x5a, PAGE_SIZE << 3);
	__free_pages(p, 3);
	assert_true(all_bytes(p, 3, IOSIM_PAGE_POISON_FREE));

	q = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);	/* the same, used frames */
	assert_ptr_equal(q, p);
	assert_true(all_bytes(q, 3, 0));
	r = alloc_pages(GFP_KERNEL, 2);			/* fresh frames, not zeroed */
	assert_non_null(r);
	assert_true(all_bytes(r, 2, IOSIM_PAGE_POISON_ALLOC));
	memset(page_address(q), 0x5a, PAGE_SIZE << 3);
	__free_pages(r, 2);
	__free_pages(q, 3);

	assert_int_equal(iosim_ram_reset(), 0);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);	/* used, then reset */
	assert_ptr_equal(p, q);
	assert_true(all_bytes(p, 3, 0));
	__free_pages(p, 3);
	assert_int_equal(iosim_ram_reset(), 0);
	destroy_ram();
}

static void test_ram_check_fresh_notices_a_write_to_a_free_frame(void **state)
{
	unsigned char *virt;

	make_ram(IOSIM_RAM_DEFAULT_BASE_PHYS, false);
	/* Nobody allocated it, so no reset would restore it: a bug the check must see. */
	virt = phys_to_virt(iosim_ram_base_phys() + 5 * PAGE_SIZE);
	virt[100] = 1;
	assert_int_equal(iosim_ram_check_fresh(), -EUCLEAN);
	assert_warned("holds non-zero bytes");
	virt[100] = 0;
	assert_int_equal(iosim_ram_check_fresh(), 0);
	destroy_ram();
}

/*
 * iosim_ram_free_pages_zeroed(): the block is freed without the poison and
 * the reset takes the caller's word that its frames hold zeros.  A false
 * word (a byte left non-zero) is what iosim_ram_check_fresh() then sees,
 * which proves the reset did not write those frames.
 */
static void test_free_pages_zeroed_skips_the_poison_and_the_resets_zeroing(void **state)
{
	unsigned char *virt;
	struct page *p;

	make_ram(IOSIM_RAM_DEFAULT_BASE_PHYS, false);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
	assert_non_null(p);
	virt = page_address(p);
	memset(virt + PAGE_SIZE, 0x5a, 100);
	memset(virt + PAGE_SIZE, 0, 100);	/* the caller zeroes what it wrote */
	iosim_ram_free_pages_zeroed(p, 3);
	assert_true(all_bytes(p, 3, 0));
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_reset(), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	assert_ptr_equal(alloc_pages(GFP_KERNEL | __GFP_ZERO, 3), p);
	assert_true(all_bytes(p, 3, 0));

	/* A byte left non-zero: the reset does not find it, the fresh check does. */
	virt[PAGE_SIZE + 10] = 7;
	iosim_ram_free_pages_zeroed(p, 3);
	assert_int_equal(iosim_ram_reset(), 0);
	assert_int_equal(iosim_ram_check_fresh(), -EUCLEAN);
	assert_warned("holds non-zero bytes");
	virt[PAGE_SIZE + 10] = 0;
	assert_int_equal(iosim_ram_check_fresh(), 0);

	/* A plain free still poisons, and the reset zeroes those frames. */
	assert_ptr_equal(alloc_pages(GFP_KERNEL | __GFP_ZERO, 3), p);
	__free_pages(p, 3);
	assert_true(all_bytes(p, 3, IOSIM_PAGE_POISON_FREE));
	assert_int_equal(iosim_ram_reset(), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	destroy_ram();
}

/* Only the last reference frees; misuse WARNs as __free_pages() does; the cache model opts out. */
static void test_free_pages_zeroed_drops_one_reference_and_warns_on_misuse(void **state)
{
	struct page *p;

	make_ram(IOSIM_RAM_DEFAULT_BASE_PHYS, false);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 0);
	assert_non_null(p);
	get_page(p);
	iosim_ram_free_pages_zeroed(p, 0);	/* one reference left: still allocated */
	assert_int_equal(page_count(p), 1);
	__free_pages(p, 0);			/* the last one, an ordinary free */
	assert_true(iosim_phys_is_allocated(page_to_phys(p)) == false);
	assert_true(all_bytes(p, 0, IOSIM_PAGE_POISON_FREE));
	assert_no_warnings();
	iosim_ram_free_pages_zeroed(p, 0);
	assert_non_null(iosim_warn_last());
	assert_non_null(strstr(iosim_warn_last()->msg, "iosim_ram_free_pages_zeroed: pfn"));
	assert_warned("order 0: double free");
	assert_true(all_bytes(p, 0, IOSIM_PAGE_POISON_FREE));
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_reset(), 0);
	destroy_ram();

	/* With the cache model, frames hold model state too: an ordinary free. */
	make_ram(IOSIM_RAM_DEFAULT_BASE_PHYS, true);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	assert_non_null(p);
	iosim_ram_free_pages_zeroed(p, 1);
	assert_true(all_bytes(p, 1, IOSIM_PAGE_POISON_FREE));
	assert_int_equal(iosim_ram_reset(), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	destroy_ram();
	assert_int_equal(iosim_cache_set_enabled(false), 0);
}

/* On a RAM made without tracking there is no reset to spare: the block is just not poisoned. */
static void test_free_pages_zeroed_on_ram_without_tracking(void **state)
{
	struct iosim_ram_config cfg = { .base_phys = SZ_1G, .size_bytes = NR_FRAMES * PAGE_SIZE };
	struct page *p;

	assert_int_equal(iosim_ram_init(&cfg), 0);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	assert_non_null(p);
	iosim_ram_free_pages_zeroed(p, 2);
	assert_true(all_bytes(p, 2, 0));
	assert_false(iosim_phys_is_allocated(page_to_phys(p)));
	assert_no_warnings();
	destroy_ram();
}

/*
 * A resettable RAM's host side (the RAM's own, then the two tracking arrays)
 * comes from IOSIM_FAULT_HOST: each failing makes iosim_ram_init_resettable()
 * return -ENOMEM with no RAM, and the next attempt gives a RAM that resets.
 */
static void test_host_failures_fail_resettable_ram_init_cleanly(void **state)
{
	unsigned int host = IOSIM_FAULT_SITE(IOSIM_FAULT_HOST);
	struct iosim_ram_config cfg = { .base_phys = IOSIM_RAM_DEFAULT_BASE_PHYS,
					.size_bytes = NR_FRAMES * PAGE_SIZE };
	struct page *blocks[NR_BLOCKS];
	phys_addr_t phys[NR_BLOCKS];
	unsigned long calls, nth;

	(void)state;
	assert_int_equal(iosim_cache_set_enabled(false), 0);
	iosim_fault_reset();
	assert_int_equal(iosim_ram_init_resettable(&cfg), 0);
	calls = iosim_fault_calls(host);
	/* memfd, range, its map, mem_map, the two tracking arrays (no cache model) */
	assert_int_equal(calls, 6);
	destroy_ram();

	for (nth = 1; nth <= calls; nth++) {
		/* The model's setting lasts one RAM: without it, more host calls. */
		assert_int_equal(iosim_cache_set_enabled(false), 0);
		iosim_fault_fail_nth(host, nth);
		assert_int_equal(iosim_ram_init_resettable(&cfg), -ENOMEM);
		assert_int_equal(iosim_fault_injected(), 1);
		assert_false(iosim_ram_ready());
		assert_int_equal(iosim_ram_touched_frames(), 0);
	}
	iosim_fault_reset();

	assert_int_equal(iosim_cache_set_enabled(false), 0);
	assert_int_equal(iosim_ram_init_resettable(&cfg), 0);
	assert_int_equal(iosim_fault_calls(host), calls);
	alloc_pattern(blocks, phys);
	assert_true(iosim_ram_touched_frames() > 0);
	free_pattern(blocks);
	assert_int_equal(iosim_ram_reset(), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	destroy_ram();
	assert_no_warnings();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_ram_reset_gives_fresh_addresses_and_bytes),
		IOSIM_TEST(test_ram_reset_refuses_while_a_page_is_allocated),
		IOSIM_TEST(test_ram_reset_refuses_while_a_user_vma_lives),
		IOSIM_TEST(test_ram_reset_refuses_ram_made_without_tracking),
		IOSIM_TEST(test_ram_reset_clears_the_cache_models_memory),
		IOSIM_TEST(test_ram_reset_rebase_moves_ram_and_its_zones),
		IOSIM_TEST(test_ram_reset_of_banked_ram_gives_fresh_addresses_in_each_bank),
		IOSIM_TEST(test_zeroed_blocks_read_zero_whether_or_not_their_frames_were_used),
		IOSIM_TEST(test_ram_check_fresh_notices_a_write_to_a_free_frame),
		IOSIM_TEST(test_free_pages_zeroed_skips_the_poison_and_the_resets_zeroing),
		IOSIM_TEST(test_free_pages_zeroed_drops_one_reference_and_warns_on_misuse),
		IOSIM_TEST(test_free_pages_zeroed_on_ram_without_tracking),
		IOSIM_TEST(test_host_failures_fail_resettable_ram_init_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
