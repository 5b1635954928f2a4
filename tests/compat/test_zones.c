// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Zones of the page allocator (arm64 of 2015): ZONE_DMA is the RAM below
 * 4 GiB, ZONE_NORMAL the rest.  RAM entirely above, entirely below and
 * straddling 4 GiB; GFP_DMA only from ZONE_DMA, failing cleanly; GFP_DMA32
 * and plain allocations prefer ZONE_NORMAL; no block crosses 4 GiB; failure
 * sweeps.  iosim_ram_check() runs after every step that changes state.
 */
#include "ram_fixture.h"

#include <iosim/warn.h>

#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <iosim/fault.h>
#include <iosim/log.h>
#include <iosim/ram.h>

#define assert_ram_ok()		assert_int_equal(iosim_ram_check(), 0)
#define SZ_4G_PHYS		(1ULL << 32)
#define MAX_BLOCK_BYTES		((u64)PAGE_SIZE << (MAX_ORDER - 1))
/*
 * RAM straddling 4 GiB: this much on each side, four largest blocks (one
 * at 64K pages, where a block is 512 MiB).  Every byte of it is poisoned
 * and zeroed as it is freed and allocated, which ThreadSanitizer tracks.
 */
#define STRADDLE_SIDE_BYTES	min_t(u64, 512ULL << 20, 4 * MAX_BLOCK_BYTES)

/* Replace the fixture's RAM with @size bytes at @base. */
static void ram_place(phys_addr_t base, u64 size)
{
	struct iosim_ram_config cfg = { .base_phys = base, .size_bytes = size };

	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_ram_init(&cfg), 0);
	assert_ram_ok();
}

static phys_addr_t alloc_phys(gfp_t gfp, unsigned int order, struct page **out)
{
	*out = alloc_pages(gfp | __GFP_NOWARN, order);
	return *out ? page_to_phys(*out) : (phys_addr_t)-1;
}

static void test_zones_above_4g_have_no_zone_dma(void **state)
{
	struct page *page;

	(void)state;
	assert_int_equal(iosim_ram_zone_pages(ZONE_DMA), 0);
	assert_int_equal(iosim_ram_zone_pages(ZONE_NORMAL), iosim_ram_nr_pages());
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_NORMAL), iosim_ram_free_pages());
	assert_null(alloc_pages(GFP_DMA | __GFP_NOWARN, 0));
	assert_null(alloc_pages(GFP_KERNEL | GFP_DMA | __GFP_NOWARN, 3));
	assert_ram_ok();
	/* GFP_DMA32 is an ordinary allocation on arm64 of 2015. */
	assert_true(alloc_phys(GFP_DMA32, 0, &page) >= SZ_4G_PHYS);
	__free_page(page);
	assert_ram_ok();
}

static void test_zones_below_4g_is_all_zone_dma(void **state)
{
	struct page *dma, *normal;

	(void)state;
	ram_place(0x80000000ULL, 64ULL << 20);
	assert_int_equal(iosim_ram_zone_pages(ZONE_DMA), iosim_ram_nr_pages());
	assert_int_equal(iosim_ram_zone_pages(ZONE_NORMAL), 0);
	assert_true(alloc_phys(GFP_DMA, 2, &dma) < SZ_4G_PHYS);
	/* A plain allocation falls back to ZONE_DMA. */
	assert_true(alloc_phys(GFP_KERNEL, 0, &normal) < SZ_4G_PHYS);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), iosim_ram_nr_pages() - 5);
	assert_ram_ok();
	__free_pages(dma, 2);
	__free_page(normal);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), iosim_ram_nr_pages());
	assert_ram_ok();
}

/* Base 3.5 GiB, 1 GiB: half in each zone; no block crosses 4 GiB. */
static void test_zones_straddling_4g_never_cross_the_boundary(void **state)
{
	unsigned long half = STRADDLE_SIDE_BYTES >> PAGE_SHIFT;
	unsigned long blocks, i, n_dma = 0;
	struct page **pages;
	phys_addr_t phys;

	(void)state;
	ram_place(SZ_4G_PHYS - STRADDLE_SIDE_BYTES, 2 * STRADDLE_SIDE_BYTES);
	assert_int_equal(iosim_ram_zone_pages(ZONE_DMA), half);
	assert_int_equal(iosim_ram_zone_pages(ZONE_NORMAL), half);
	assert_int_equal(iosim_ram_zone_dma_limit(), SZ_4G_PHYS);

	/* Plain allocations come from ZONE_NORMAL first. */
	blocks = 2 * STRADDLE_SIDE_BYTES / MAX_BLOCK_BYTES;
	pages = calloc(blocks + 1, sizeof(*pages));
	assert_non_null(pages);
	for (i = 0; i < blocks; i++) {
		phys = alloc_phys(GFP_KERNEL, MAX_ORDER - 1, &pages[i]);
		assert_non_null(pages[i]);
		/* Blocks are naturally aligned, so one crossing 4 GiB would start below it. */
		assert_false(phys < SZ_4G_PHYS && phys + MAX_BLOCK_BYTES > SZ_4G_PHYS);
		if (i < blocks / 2)
			assert_true(phys >= SZ_4G_PHYS);
		else
			n_dma++;
	}
	assert_int_equal(n_dma, blocks / 2);
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0));
	assert_ram_ok();
	for (i = 0; i < blocks; i++)
		__free_pages(pages[i], MAX_ORDER - 1);
	assert_ram_ok();

	/* GFP_DMA only below 4 GiB, until ZONE_DMA is exhausted. */
	for (i = 0; i < blocks / 2; i++) {
		phys = alloc_phys(GFP_DMA, MAX_ORDER - 1, &pages[i]);
		assert_non_null(pages[i]);
		assert_true(phys + MAX_BLOCK_BYTES <= SZ_4G_PHYS);
	}
	assert_null(alloc_pages(GFP_DMA | __GFP_NOWARN, 0));
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), 0);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_NORMAL), half);
	assert_ram_ok();
	for (i = 0; i < blocks / 2; i++)
		__free_pages(pages[i], MAX_ORDER - 1);
	free(pages);
	assert_int_equal(iosim_ram_free_pages(), 2 * half);
	assert_ram_ok();
}

/* RAM whose ends are not aligned to the largest block, across 4 GiB. */
static void test_zones_unaligned_straddle_checks_clean(void **state)
{
	struct page *page;

	(void)state;
	ram_place(SZ_4G_PHYS - 3 * PAGE_SIZE, 8 * PAGE_SIZE);
	assert_int_equal(iosim_ram_zone_pages(ZONE_DMA), 3);
	assert_int_equal(iosim_ram_zone_pages(ZONE_NORMAL), 5);
	assert_true(alloc_phys(GFP_DMA, 0, &page) < SZ_4G_PHYS);
	__free_page(page);
	/* Order 2 fits only above (3 frames below are not an aligned 4-block). */
	assert_null(alloc_pages(GFP_DMA | __GFP_NOWARN, 2));
	assert_true(alloc_phys(GFP_KERNEL, 2, &page) >= SZ_4G_PHYS);
	__free_pages(page, 2);
	assert_ram_ok();
}

/* Each injected failure of a GFP_DMA allocation leaves both zones intact. */
static void test_zones_gfp_dma_failure_sweep_leaves_state_intact(void **state)
{
	unsigned long n, free_dma;
	struct page *page = NULL;

	(void)state;
	ram_place(SZ_4G_PHYS - STRADDLE_SIDE_BYTES, 2 * STRADDLE_SIDE_BYTES);
	free_dma = iosim_ram_zone_free_pages(ZONE_DMA);
	for (n = 1; n < 8; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC), n);
		page = alloc_pages(GFP_DMA | __GFP_NOWARN, 1);
		iosim_fault_reset();
		if (page)
			break;
		assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), free_dma);
		assert_ram_ok();
	}
	assert_int_equal(n, 2);
	assert_non_null(page);
	assert_true(page_to_phys(page) < SZ_4G_PHYS);
	__free_pages(page, 1);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), free_dma);
	assert_ram_ok();
}

static void test_zones_invalid_zone_reports_nothing(void **state)
{
	(void)state;
	assert_int_equal(iosim_ram_zone_pages(MAX_NR_ZONES), 0);
	assert_int_equal(iosim_ram_zone_free_pages(MAX_NR_ZONES), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM(test_zones_above_4g_have_no_zone_dma),
		IOSIM_TEST_RAM(test_zones_below_4g_is_all_zone_dma),
		IOSIM_TEST_RAM(test_zones_straddling_4g_never_cross_the_boundary),
		IOSIM_TEST_RAM(test_zones_unaligned_straddle_checks_clean),
		IOSIM_TEST_RAM(test_zones_gfp_dma_failure_sweep_leaves_state_intact),
		IOSIM_TEST_RAM(test_zones_invalid_zone_reports_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
