// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Simulated physical memory: placement, the linear map, struct page and the
 * checked address conversions of <asm/memory.h>.
 */
#include "ram_fixture.h"

#include <iosim/warn.h>

#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <iosim/cache.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>

#define MAX_BLOCK_BYTES		(PAGE_SIZE << (MAX_ORDER - 1))

/* Create RAM at @base_phys of @nr_pages frames, asserting success. */
static void ram_init_at(phys_addr_t base_phys, unsigned long nr_pages)
{
	struct iosim_ram_config cfg = {
		.base_phys = base_phys,
		.size_bytes = (u64)nr_pages << PAGE_SHIFT,
	};

	assert_int_equal(iosim_ram_init(&cfg), 0);
	assert_true(iosim_ram_ready());
	assert_int_equal(iosim_ram_check(), 0);
}

static void ram_exit_clean(void)
{
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_exit(), 0);
	assert_false(iosim_ram_ready());
}

/* Every conversion agrees on frame @pfn, and the frame is really memory. */
static void assert_frame_round_trips(unsigned long pfn)
{
	phys_addr_t phys = PFN_PHYS(pfn);
	struct page *page = pfn_to_page(pfn);
	unsigned char *virt;

	assert_non_null(page);
	assert_true(pfn_valid(pfn));
	assert_int_equal(page_to_pfn(page), pfn);
	assert_int_equal(page_to_phys(page), phys);
	assert_ptr_equal(phys_to_page(phys), page);
	assert_ptr_equal(phys_to_page(phys + PAGE_SIZE - 1), page);

	virt = page_address(page);
	assert_non_null(virt);
	assert_true(PAGE_ALIGNED(virt));
	assert_ptr_equal(phys_to_virt(phys), virt);
	assert_ptr_equal(__va(phys + 17), virt + 17);
	assert_int_equal(virt_to_phys(virt), phys);
	assert_int_equal(__pa(virt + PAGE_SIZE - 1), phys + PAGE_SIZE - 1);
	assert_int_equal(virt_to_pfn(virt + 5), pfn);
	assert_ptr_equal(virt_to_page(virt + PAGE_SIZE - 1), page);
	assert_true(virt_addr_valid(virt));
	assert_true(iosim_phys_is_ram(phys, PAGE_SIZE));
	assert_ptr_equal(kmap(page), virt);
	kunmap(page);

	/* The frame is real memory: a write through one view reads back through another. */
	virt[0] = 0x3c;
	virt[PAGE_SIZE - 1] = 0xc3;
	assert_int_equal(*(unsigned char *)phys_to_virt(phys), 0x3c);
	assert_int_equal(*(unsigned char *)phys_to_virt(phys + PAGE_SIZE - 1), 0xc3);
	virt[0] = 0;
	virt[PAGE_SIZE - 1] = 0;
}

static void test_default_ram_is_128mib_above_4gib(void **state)
{
	(void)state;
	assert_true(iosim_ram_ready());
	assert_int_equal(iosim_ram_base_phys(), IOSIM_RAM_DEFAULT_BASE_PHYS);
	assert_true(iosim_ram_base_phys() > 0xffffffffULL);
	assert_int_equal(iosim_ram_size(), 128ULL << 20);
	assert_int_equal(iosim_ram_nr_pages(), (128UL << 20) >> PAGE_SHIFT);
	assert_int_equal(iosim_ram_free_pages(), iosim_ram_nr_pages());
	assert_int_equal(PHYS_OFFSET, IOSIM_RAM_DEFAULT_BASE_PHYS);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
}

static void test_conversions_round_trip_at_first_and_last_frame(void **state)
{
	unsigned long first = PFN_DOWN(iosim_ram_base_phys());
	unsigned long last = first + iosim_ram_nr_pages() - 1;

	(void)state;
	assert_frame_round_trips(first);
	assert_frame_round_trips(first + 1);
	assert_frame_round_trips(last);
	/* mem_map is flat: pointer arithmetic walks physically consecutive frames. */
	assert_ptr_equal(nth_page(pfn_to_page(first), last - first), pfn_to_page(last));
	assert_ptr_equal(pfn_to_page(first) + 1, pfn_to_page(first + 1));
}

static void test_conversions_round_trip_at_high_low_and_zero_bases(void **state)
{
	static const phys_addr_t bases[] = {
		0x0,			/* RAM at physical 0 */
		0x40000000ULL,		/* 1 GiB: below 4 GiB */
		0xfff00000ULL,		/* straddles the 4 GiB boundary */
		0x880000000ULL,		/* the default, 34 GiB */
		0x8000000000ULL,	/* 512 GiB */
	};
	unsigned long nr_pages = max_t(unsigned long, 64, (2UL << 20) >> PAGE_SHIFT);
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		unsigned long first = PFN_DOWN(bases[i]);

		ram_init_at(bases[i], nr_pages);
		assert_int_equal(PHYS_OFFSET, bases[i]);
		assert_frame_round_trips(first);
		assert_frame_round_trips(first + nr_pages / 2);
		assert_frame_round_trips(first + nr_pages - 1);
		assert_false(pfn_valid(first + nr_pages));
		if (first)
			assert_false(pfn_valid(first - 1));
		ram_exit_clean();
	}
}

static void test_ram_straddling_4gib_has_frames_on_both_sides(void **state)
{
	unsigned long nr_pages = (2UL << 20) >> PAGE_SHIFT;
	phys_addr_t base = 0x100000000ULL - (1UL << 20);

	(void)state;
	ram_init_at(base, nr_pages);
	assert_true(pfn_valid(PFN_DOWN(0xffffffffULL)));
	assert_true(pfn_valid(PFN_DOWN(0x100000000ULL)));
	assert_int_equal(page_to_phys(phys_to_page(0x100000000ULL)), 0x100000000ULL);
	assert_int_equal(virt_to_phys((char *)phys_to_virt(0xffffffffULL) + 1), 0x100000000ULL);
	ram_exit_clean();
}

static void test_linear_map_keeps_phys_alignment_within_a_max_block(void **state)
{
	/* A base that is page aligned but not block aligned, and an aligned one. */
	static const unsigned long page_offsets[] = { 0, 1, 3 };
	unsigned long nr_pages = 16;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(page_offsets); i++) {
		phys_addr_t base = 0x880000000ULL + page_offsets[i] * PAGE_SIZE;
		unsigned long n;

		ram_init_at(base, nr_pages);
		for (n = 0; n < nr_pages; n++) {
			phys_addr_t phys = base + n * PAGE_SIZE;

			assert_int_equal((uintptr_t)phys_to_virt(phys) & (MAX_BLOCK_BYTES - 1),
					 phys & (MAX_BLOCK_BYTES - 1));
		}
		ram_exit_clean();
	}
}

static void test_out_of_range_conversions_warn_and_return_null(void **state)
{
	phys_addr_t base = iosim_ram_base_phys(), end = base + iosim_ram_size();
	unsigned long first = PFN_DOWN(base), end_pfn = PFN_DOWN(end);
	struct page *valid = pfn_to_page(first);
	struct page on_stack;
	int local;
	void *heap = malloc(64);

	(void)state;
	assert_non_null(heap);
	memset(&on_stack, 0, sizeof(on_stack));

	/* The question functions answer quietly. */
	assert_false(pfn_valid(first - 1));
	assert_false(pfn_valid(end_pfn));
	assert_false(virt_addr_valid(&local));
	assert_false(virt_addr_valid(heap));
	assert_false(virt_addr_valid(NULL));
	assert_false(iosim_phys_is_ram(base - 1, 1));
	assert_false(iosim_phys_is_ram(end, 1));
	assert_no_warnings();

	assert_null(pfn_to_page(first - 1));
	assert_warned("outside simulated RAM");
	assert_null(pfn_to_page(end_pfn));
	assert_warned("outside simulated RAM");
	assert_null(pfn_to_page(0));
	assert_warned("pfn_to_page");

	assert_int_equal(page_to_pfn(&on_stack), 0);
	assert_warned("page_to_pfn");
	assert_int_equal(page_to_pfn(NULL), 0);
	assert_warned("outside simulated RAM");
	/* A pointer into mem_map that is not at a struct page boundary. */
	assert_int_equal(page_to_pfn((struct page *)((char *)valid + 8)), 0);
	assert_warned("outside simulated RAM");
	assert_int_equal(page_to_phys(&on_stack), 0);
	assert_warned("page_to_phys");
	assert_null(page_address(&on_stack));
	assert_warned("page_address");
	assert_null(page_address(NULL));
	assert_warned("page_address");

	assert_null(phys_to_page(base - 1));
	assert_warned("phys_to_page");
	assert_null(phys_to_page(end));
	assert_warned("phys_to_page");
	assert_null(phys_to_virt(end));
	assert_warned("phys_to_virt");
	assert_null(phys_to_virt(0));
	assert_warned("phys_to_virt");

	assert_int_equal(virt_to_phys(&local), 0);
	assert_warned("virt_to_phys");
	assert_int_equal(virt_to_phys((char *)page_address(valid) - 1), 0);
	assert_warned("virt_to_phys");
	assert_int_equal(virt_to_phys((char *)phys_to_virt(end - 1) + 1), 0);
	assert_warned("virt_to_phys");
	assert_null(virt_to_page(heap));
	assert_warned("virt_to_page");
	assert_null(virt_to_head_page(heap));
	assert_warned("virt_to_page");

	/* Nothing was disturbed. */
	assert_int_equal(iosim_ram_check(), 0);
	free(heap);
}

static void test_conversions_before_init_warn_and_return_null(void **state)
{
	struct page on_stack;
	int local;

	(void)state;
	memset(&on_stack, 0, sizeof(on_stack));
	assert_false(iosim_ram_ready());
	assert_int_equal(iosim_ram_nr_pages(), 0);
	assert_int_equal(iosim_ram_size(), 0);
	assert_int_equal(iosim_ram_base_phys(), 0);
	assert_int_equal(iosim_ram_free_pages(), 0);
	assert_int_equal(iosim_ram_free_blocks(0), 0);
	assert_false(pfn_valid(PFN_DOWN(IOSIM_RAM_DEFAULT_BASE_PHYS)));
	assert_false(virt_addr_valid(&local));
	assert_false(iosim_phys_is_ram(IOSIM_RAM_DEFAULT_BASE_PHYS, 1));
	assert_false(iosim_phys_is_allocated(IOSIM_RAM_DEFAULT_BASE_PHYS));
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_exit(), 0);
	assert_no_warnings();

	assert_int_equal(iosim_phys_offset(), 0);
	assert_warned("not initialised");
	assert_null(pfn_to_page(PFN_DOWN(IOSIM_RAM_DEFAULT_BASE_PHYS)));
	assert_warned("pfn_to_page");
	assert_null(phys_to_virt(IOSIM_RAM_DEFAULT_BASE_PHYS));
	assert_warned("phys_to_virt");
	assert_int_equal(virt_to_phys(&local), 0);
	assert_warned("virt_to_phys");
	assert_int_equal(page_to_pfn(&on_stack), 0);
	assert_warned("page_to_pfn");
	assert_null(alloc_pages(GFP_KERNEL, 0));
	assert_warned("not initialised");
	assert_int_equal(__get_free_pages(GFP_KERNEL, 1), 0);
	assert_warned("not initialised");
	__free_pages(&on_stack, 0);
	assert_warned("outside simulated RAM");
}

static void test_init_twice_returns_ebusy_and_keeps_ram(void **state)
{
	struct iosim_ram_config other = { .base_phys = 0x40000000ULL, .size_bytes = 1UL << 24 };
	struct page *page = alloc_page(GFP_KERNEL);

	(void)state;
	assert_non_null(page);
	assert_int_equal(iosim_ram_init(NULL), -EBUSY);
	assert_int_equal(iosim_ram_init(&other), -EBUSY);
	assert_int_equal(iosim_ram_base_phys(), IOSIM_RAM_DEFAULT_BASE_PHYS);
	assert_int_equal(iosim_ram_size(), IOSIM_RAM_DEFAULT_SIZE);
	assert_true(iosim_phys_is_allocated(page_to_phys(page)));
	__free_page(page);
}

static void test_bad_config_returns_einval_and_creates_nothing(void **state)
{
	static const struct iosim_ram_config bad[] = {
		{ .base_phys = 0x880000000ULL + 1, .size_bytes = 1UL << 24 },
		{ .base_phys = 0x880000000ULL + PAGE_SIZE / 2, .size_bytes = 1UL << 24 },
		{ .base_phys = 0x880000000ULL, .size_bytes = (1UL << 24) + 1 },
		{ .base_phys = 0x880000000ULL, .size_bytes = PAGE_SIZE - 1 },
		{ .base_phys = 0x880000000ULL, .size_bytes = 0 },
		{ .base_phys = ~0ULL & PAGE_MASK, .size_bytes = 2 * PAGE_SIZE },	/* wraps */
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(iosim_ram_init(&bad[i]), -EINVAL);
		assert_warned("iosim_ram_init");
		assert_false(iosim_ram_ready());
	}
}

static void test_oversized_ram_returns_enomem_and_creates_nothing(void **state)
{
	struct iosim_ram_config huge = {
		.base_phys = 0,
		.size_bytes = (u64)(IOSIM_RAM_MAX_PAGES + 1) << PAGE_SHIFT,
	};

	(void)state;
	assert_int_equal(iosim_ram_init(&huge), -ENOMEM);
	assert_false(iosim_ram_ready());
	assert_no_warnings();
}

static void test_ram_reaching_the_top_of_the_address_space_works(void **state)
{
	phys_addr_t base = 0ULL - 16 * PAGE_SIZE;

	(void)state;
	ram_init_at(base, 16);
	assert_frame_round_trips(PFN_DOWN(base) + 15);
	assert_true(iosim_phys_is_ram(base, 16 * PAGE_SIZE));
	assert_false(iosim_phys_is_ram(base, 16 * PAGE_SIZE + 1));
	ram_exit_clean();
}

static void test_phys_is_ram_checks_the_whole_range(void **state)
{
	phys_addr_t base = iosim_ram_base_phys(), end = base + iosim_ram_size();

	(void)state;
	assert_true(iosim_phys_is_ram(base, 0));
	assert_true(iosim_phys_is_ram(base, iosim_ram_size()));
	assert_true(iosim_phys_is_ram(end - 1, 1));
	assert_false(iosim_phys_is_ram(end - 1, 2));
	assert_false(iosim_phys_is_ram(base, iosim_ram_size() + 1));
	assert_false(iosim_phys_is_ram(base - 1, 2));
	assert_false(iosim_phys_is_ram(base + 1, ~0ULL));
}

static void test_phys_is_allocated_tracks_every_frame_of_a_block(void **state)
{
	struct page *page = alloc_pages(GFP_KERNEL, 2);
	phys_addr_t phys;

	(void)state;
	assert_non_null(page);
	phys = page_to_phys(page);
	assert_true(iosim_phys_is_allocated(phys));
	assert_true(iosim_phys_is_allocated(phys + 3 * PAGE_SIZE + PAGE_SIZE - 1));
	assert_false(iosim_phys_is_allocated(phys + 4 * PAGE_SIZE));
	assert_false(iosim_phys_is_allocated(iosim_ram_base_phys() + iosim_ram_size()));
	__free_pages(page, 2);
	assert_false(iosim_phys_is_allocated(phys));
	assert_false(iosim_phys_is_allocated(phys + 3 * PAGE_SIZE));
}

static void test_exit_warns_for_each_leaked_block_and_counts_pages(void **state)
{
	(void)state;
	ram_init_at(0x880000000ULL, 64);
	assert_non_null(alloc_page(GFP_KERNEL));
	assert_non_null(alloc_pages(GFP_KERNEL | __GFP_COMP, 2));
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 5);
	assert_int_equal(iosim_ram_exit(), 5);
	assert_true(iosim_warn_count() == 2);
	assert_warned("leaked order-2 block");
	assert_false(iosim_ram_ready());
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
	/* RAM can be created again afterwards. */
	ram_init_at(0x880000000ULL, 64);
	ram_exit_clean();
}

static void test_ram_can_be_recreated_fresh_and_zeroed(void **state)
{
	unsigned char *virt;
	unsigned long i;

	(void)state;
	ram_init_at(0x880000000ULL, 8);
	virt = phys_to_virt(0x880000000ULL);
	memset(virt, 0x77, 8 * PAGE_SIZE);
	ram_exit_clean();

	/* A new RAM never shows the previous contents: never-allocated frames read 0. */
	ram_init_at(0x880000000ULL, 8);
	virt = phys_to_virt(0x880000000ULL);
	for (i = 0; i < 8 * PAGE_SIZE; i++)
		if (virt[i])
			fail_msg("byte %lu of fresh RAM is %#x", i, virt[i]);
	ram_exit_clean();
}

/*
 * RAM's host side (its memfd, each run of adjacent banks' address range and
 * mapping, mem_map, and with the cache model the model's memfd and its three
 * mappings) comes from IOSIM_FAULT_HOST: each failing makes iosim_ram_init()
 * return -ENOMEM with no RAM, and the next attempt builds the RAM whole.
 */
static void test_host_failures_fail_ram_init_cleanly(void **state)
{
	unsigned int host = IOSIM_FAULT_SITE(IOSIM_FAULT_HOST);
	struct iosim_ram_config cfg = {
		.nr_banks = 2,
		.banks = {
			{ .base_phys = 0x80000000ULL, .size_bytes = 16 * PAGE_SIZE },
			{ .base_phys = 0x880000000ULL, .size_bytes = 16 * PAGE_SIZE },
		},
	};
	unsigned long calls, nth;
	unsigned int model;

	(void)state;
	for (model = 0; model < 2; model++) {
		assert_int_equal(iosim_cache_set_enabled(model), 0);
		iosim_fault_reset();
		assert_int_equal(iosim_ram_init(&cfg), 0);
		assert_int_equal(iosim_cache_enabled(), model);
		calls = iosim_fault_calls(host);
		/* memfd, two ranges and their maps, mem_map; the model's memfd and 3 maps */
		assert_int_equal(calls, model ? 10 : 6);
		ram_exit_clean();

		for (nth = 1; nth <= calls; nth++) {
			assert_int_equal(iosim_cache_set_enabled(model), 0);
			iosim_fault_fail_nth(host, nth);
			assert_int_equal(iosim_ram_init(&cfg), -ENOMEM);
			assert_int_equal(iosim_fault_injected(), 1);
			assert_false(iosim_ram_ready());
			assert_false(iosim_phys_is_ram(0x80000000ULL, PAGE_SIZE));
			assert_int_equal(iosim_cache_check(), 0);
		}
		iosim_fault_reset();
		assert_no_warnings();

		assert_int_equal(iosim_cache_set_enabled(model), 0);
		assert_int_equal(iosim_ram_init(&cfg), 0);
		assert_int_equal(iosim_ram_check(), 0);
		assert_int_equal(iosim_cache_check(), 0);
		assert_frame_round_trips((0x80000000ULL >> PAGE_SHIFT) + 15);
		assert_frame_round_trips(0x880000000ULL >> PAGE_SHIFT);
		ram_exit_clean();
	}
}

static void test_unaligned_ram_starts_with_smaller_edge_blocks(void **state)
{
	/* One page past a block boundary, three blocks' worth of frames. */
	unsigned long max_nr = 1UL << (MAX_ORDER - 1);
	unsigned long nr_pages = min(3 * max_nr, 4096UL);
	unsigned long order, total = 0;

	(void)state;
	ram_init_at(0x880000000ULL + PAGE_SIZE, nr_pages);
	for (order = 0; order < MAX_ORDER; order++)
		total += iosim_ram_free_blocks((unsigned int)order) << order;
	assert_int_equal(total, nr_pages);
	/* The first frame sits at an odd pfn: an order-0 block no one can merge with. */
	assert_true(iosim_ram_free_blocks(0) >= 1);
	assert_int_equal(iosim_ram_free_pages(), nr_pages);
	ram_exit_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM(test_default_ram_is_128mib_above_4gib),
		IOSIM_TEST_RAM(test_conversions_round_trip_at_first_and_last_frame),
		IOSIM_TEST(test_conversions_round_trip_at_high_low_and_zero_bases),
		IOSIM_TEST(test_ram_straddling_4gib_has_frames_on_both_sides),
		IOSIM_TEST(test_linear_map_keeps_phys_alignment_within_a_max_block),
		IOSIM_TEST_RAM(test_out_of_range_conversions_warn_and_return_null),
		IOSIM_TEST(test_conversions_before_init_warn_and_return_null),
		IOSIM_TEST_RAM(test_init_twice_returns_ebusy_and_keeps_ram),
		IOSIM_TEST(test_bad_config_returns_einval_and_creates_nothing),
		IOSIM_TEST(test_oversized_ram_returns_enomem_and_creates_nothing),
		IOSIM_TEST(test_ram_reaching_the_top_of_the_address_space_works),
		IOSIM_TEST_RAM(test_phys_is_ram_checks_the_whole_range),
		IOSIM_TEST_RAM(test_phys_is_allocated_tracks_every_frame_of_a_block),
		IOSIM_TEST(test_exit_warns_for_each_leaked_block_and_counts_pages),
		IOSIM_TEST(test_ram_can_be_recreated_fresh_and_zeroed),
		IOSIM_TEST(test_host_failures_fail_ram_init_cleanly),
		IOSIM_TEST(test_unaligned_ram_starts_with_smaller_edge_blocks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
