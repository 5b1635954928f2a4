// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * RAM banks (docs/ram-banks.md): up to IOSIM_RAM_MAX_BANKS banks anywhere
 * below 2^48, the Juno preset, conversions in every bank and at its edges,
 * holes that are no RAM, adjacent banks that are one linear run but never
 * one buddy block, allocation until empty, zones across banks (GFP_DMA only
 * from the low bank), invalid layouts, and the cache model in a high bank.
 * iosim_ram_check() runs after every step that changes state.
 */
#include <linux/kernel.h>
#include "ram_fixture.h"

#include <stdlib.h>
#include <string.h>

#include <linux/device.h>
#include <linux/dma-direction.h>
#include <linux/mm.h>
#include <asm/cacheflush.h>
#include <iosim/cache.h>
#include <iosim/device.h>
#include <iosim/fault.h>
#include <iosim/ram.h>
#include <iosim/warn.h>

/* The bank table and page flags: the checker test corrupts a free block on purpose. */
#include "../../compat/mm/iosim_mm.h"

#define assert_ram_ok()		assert_int_equal(iosim_ram_check(), 0)
#define SZ_4G_PHYS		(1ULL << 32)
#define MIB			(1ULL << 20)
#define MAX_BLOCK_BYTES		((u64)PAGE_SIZE << (MAX_ORDER - 1))

/* Replace the fixture's RAM with @cfg. */
static void ram_place(const struct iosim_ram_config *cfg)
{
	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_ram_init(cfg), 0);
	assert_ram_ok();
}

static void ram_place_juno(u64 low, u64 high)
{
	struct iosim_ram_config cfg;

	assert_int_equal(iosim_ram_config_juno(&cfg, low, high), 0);
	ram_place(&cfg);
}

/* Three banks: 16 MiB low, 32 MiB straddling 4 GiB, 16 MiB at 34 GiB. */
static const struct iosim_ram_config three_banks = {
	.nr_banks = 3,
	.banks = {
		{ .base_phys = 0x80000000ULL, .size_bytes = 16 * MIB },
		{ .base_phys = 0xff000000ULL, .size_bytes = 32 * MIB },
		{ .base_phys = 0x880000000ULL, .size_bytes = 16 * MIB },
	},
};

/* The bank holding @phys, or -1 in a hole. */
static int bank_of(phys_addr_t phys)
{
	phys_addr_t base;
	unsigned int i;
	u64 size;

	for (i = 0; !iosim_ram_bank(i, &base, &size); i++)
		if (phys >= base && phys - base < size)
			return (int)i;
	return -1;
}

/* Every conversion agrees with every other at @phys (in RAM). */
static void assert_round_trips(phys_addr_t phys)
{
	unsigned long pfn = (unsigned long)(phys >> PAGE_SHIFT);
	struct page *page = phys_to_page(phys);
	char *virt = phys_to_virt(phys);

	assert_non_null(page);
	assert_non_null(virt);
	assert_true(pfn_valid(pfn));
	assert_true(iosim_phys_is_ram(phys, 1));
	assert_ptr_equal(pfn_to_page(pfn), page);
	assert_int_equal(page_to_pfn(page), pfn);
	assert_int_equal(page_to_phys(page), phys & PAGE_MASK);
	assert_true(virt_addr_valid(virt));
	assert_int_equal(virt_to_phys(virt), phys);
	assert_ptr_equal(virt_to_page(virt), page);
	assert_ptr_equal((char *)page_address(page) + offset_in_page(phys), virt);
	/* The linear map keeps virt congruent to phys below the largest block. */
	assert_int_equal((uintptr_t)virt & (MAX_BLOCK_BYTES - 1), phys & (MAX_BLOCK_BYTES - 1));
	/* The byte is really there: written through the linear map, read through the page. */
	*virt = (char)(phys >> 12);
	assert_int_equal(((char *)page_address(page))[offset_in_page(phys)], (char)(phys >> 12));
}

/* --- the preset and the bank table ------------------------------------------------ */

static void test_ram_banks_juno_preset_fills_two_banks_or_refuses(void **state)
{
	struct iosim_ram_config cfg, untouched;
	phys_addr_t base = 1;
	u64 size = 2;

	(void)state;
	memset(&untouched, 0x5a, sizeof(untouched));
	cfg = untouched;
	assert_int_equal(iosim_ram_config_juno(&cfg, 0, 16 * MIB), -EINVAL);
	assert_int_equal(iosim_ram_config_juno(&cfg, IOSIM_RAM_JUNO_LOW_MAX + PAGE_SIZE, 0), -EINVAL);
	assert_int_equal(iosim_ram_config_juno(&cfg, 16 * MIB + 1, 0), -EINVAL);
	assert_int_equal(iosim_ram_config_juno(&cfg, 16 * MIB, PAGE_SIZE / 2), -EINVAL);
	assert_memory_equal(&cfg, &untouched, sizeof(cfg));

	assert_int_equal(iosim_ram_config_juno(&cfg, 16 * MIB, 0), 0);
	assert_int_equal(cfg.nr_banks, 1);
	assert_int_equal(iosim_ram_config_juno(&cfg, IOSIM_RAM_JUNO_LOW_MAX, 32 * MIB), 0);
	assert_int_equal(cfg.nr_banks, 2);
	assert_int_equal(cfg.banks[0].base_phys, IOSIM_RAM_JUNO_LOW_BASE);
	assert_int_equal(cfg.banks[0].size_bytes, IOSIM_RAM_JUNO_LOW_MAX);
	assert_int_equal(cfg.banks[1].base_phys, IOSIM_RAM_JUNO_HIGH_BASE);
	assert_int_equal(cfg.banks[1].size_bytes, 32 * MIB);

	ram_place_juno(16 * MIB, 32 * MIB);
	assert_int_equal(iosim_ram_nr_banks(), 2);
	assert_int_equal(iosim_ram_bank(0, &base, &size), 0);
	assert_int_equal(base, IOSIM_RAM_JUNO_LOW_BASE);
	assert_int_equal(size, 16 * MIB);
	assert_int_equal(iosim_ram_bank(1, &base, &size), 0);
	assert_int_equal(base, IOSIM_RAM_JUNO_HIGH_BASE);
	assert_int_equal(size, 32 * MIB);
	base = 1;
	size = 2;
	assert_int_equal(iosim_ram_bank(2, &base, &size), -ENOENT);
	assert_int_equal(base, 1);
	assert_int_equal(size, 2);
	/* Base is the lowest bank's; size and pages are the total, not the span. */
	assert_int_equal(iosim_ram_base_phys(), IOSIM_RAM_JUNO_LOW_BASE);
	assert_int_equal(PHYS_OFFSET, IOSIM_RAM_JUNO_LOW_BASE);
	assert_int_equal(iosim_ram_size(), 48 * MIB);
	assert_int_equal(iosim_ram_nr_pages(), (48 * MIB) >> PAGE_SHIFT);
	assert_int_equal(iosim_ram_free_pages(), (48 * MIB) >> PAGE_SHIFT);

	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_ram_nr_banks(), 0);
	assert_int_equal(iosim_ram_bank(0, &base, &size), -ENOENT);
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_int_equal(iosim_ram_nr_banks(), 1);
	assert_int_equal(iosim_ram_bank(0, &base, &size), 0);
	assert_int_equal(base, IOSIM_RAM_DEFAULT_BASE_PHYS);
	assert_int_equal(size, IOSIM_RAM_DEFAULT_SIZE);
}

/* --- conversions and holes ---------------------------------------------------------- */

static void test_ram_banks_conversions_round_trip_in_every_bank_and_at_its_edges(void **state)
{
	phys_addr_t base;
	unsigned int i;
	u64 size;

	(void)state;
	ram_place(&three_banks);
	assert_int_equal(iosim_ram_nr_banks(), 3);
	for (i = 0; !iosim_ram_bank(i, &base, &size); i++) {
		assert_round_trips(base);
		assert_round_trips(base + 1);
		assert_round_trips(base + PAGE_SIZE + 123);
		assert_round_trips(base + size / 2 + 7);
		assert_round_trips(base + size - PAGE_SIZE);
		assert_round_trips(base + size - 1);
		assert_true(iosim_phys_is_ram(base, size));
		assert_false(iosim_phys_is_ram(base, size + 1));
		assert_false(iosim_phys_is_ram(base - 1, 2));
	}
	/* mem_map and the memfd hold the banks back to back, lowest first. */
	assert_int_equal(iosim_page_file_offset(phys_to_page(0x80000000ULL)), 0);
	assert_int_equal(iosim_page_file_offset(phys_to_page(0xff000000ULL)), 16 * MIB);
	assert_int_equal(iosim_page_file_offset(phys_to_page(0x880000000ULL)), 48 * MIB);
	assert_ptr_equal(phys_to_page(0xff000000ULL), phys_to_page(0x80000000ULL + 16 * MIB - 1) + 1);
	assert_ram_ok();
}

static void test_ram_banks_holes_are_not_ram_and_their_conversions_warn(void **state)
{
	const phys_addr_t hole[] = {
		0x80000000ULL + 16 * MIB,		/* just past bank 0 */
		0xc0000000ULL,				/* middle of the first hole */
		0xff000000ULL - 1,			/* just before bank 1 */
		0x100000000ULL + 16 * MIB,		/* just past bank 1 */
		0x880000000ULL - PAGE_SIZE,
		0x880000000ULL + 16 * MIB,		/* past the last bank */
		0x7ffff000ULL,				/* below the first */
	};
	unsigned int i;

	(void)state;
	ram_place(&three_banks);
	for (i = 0; i < ARRAY_SIZE(hole); i++) {
		phys_addr_t phys = hole[i];
		unsigned long pfn = (unsigned long)(phys >> PAGE_SHIFT);

		assert_int_equal(bank_of(phys), -1);
		assert_false(pfn_valid(pfn));
		assert_false(iosim_phys_is_ram(phys, 1));
		assert_false(iosim_phys_is_allocated(phys));
		assert_no_warnings();
		assert_null(pfn_to_page(pfn));
		assert_warned("pfn_to_page");
		assert_null(phys_to_page(phys));
		assert_warned("phys_to_page");
		assert_null(phys_to_virt(phys));
		assert_warned("phys_to_virt");
	}
	/* A range is RAM only if all of it is: crossing into a hole is not. */
	assert_false(iosim_phys_is_ram(0x80000000ULL + 16 * MIB - 8, 16));
	assert_false(iosim_phys_is_ram(0xff000000ULL - 8, 16));
	assert_false(iosim_phys_is_ram(0x80000000ULL, 0x880000000ULL + 16 * MIB - 0x80000000ULL));
	assert_true(iosim_phys_is_ram(0x80000000ULL + 16 * MIB - 8, 8));
	/* Straddling 4 GiB inside bank 1 is fine. */
	assert_true(iosim_phys_is_ram(SZ_4G_PHYS - 8, 16));
	assert_ram_ok();
}

/* --- adjacent banks ------------------------------------------------------------------- */

/*
 * Two adjacent banks [base, base + 3B) and [base + 3B, base + 4B), B an
 * order-K block, base aligned to 4B: as one region it would be a single
 * order-(K+2) block; as banks it is an order-(K+1) and two order-K blocks
 * that must never merge across the seam.
 */
#define SEAM_ORDER	(MAX_ORDER - 3 < 4 ? MAX_ORDER - 3 : 4)
#define SEAM_B		((u64)PAGE_SIZE << SEAM_ORDER)
#define SEAM_BASE	0x40000000ULL

static void place_adjacent(void)
{
	struct iosim_ram_config cfg = {
		.nr_banks = 2,
		.banks = {
			{ .base_phys = SEAM_BASE, .size_bytes = 3 * SEAM_B },
			{ .base_phys = SEAM_BASE + 3 * SEAM_B, .size_bytes = SEAM_B },
		},
	};

	ram_place(&cfg);
}

static void assert_seam_blocks(void)
{
	assert_int_equal(iosim_ram_free_blocks(SEAM_ORDER + 2), 0);
	assert_int_equal(iosim_ram_free_blocks(SEAM_ORDER + 1), 1);
	assert_int_equal(iosim_ram_free_blocks(SEAM_ORDER), 2);
	assert_int_equal(iosim_ram_free_pages(), 4UL << SEAM_ORDER);
}

static void test_ram_banks_adjacent_banks_share_the_linear_map_but_never_merge(void **state)
{
	phys_addr_t seam = SEAM_BASE + 3 * SEAM_B;
	struct page *pages[(4UL << SEAM_ORDER) + 1], *big;	/* + the failing one */
	unsigned long i, n = 0;
	char *v;

	(void)state;
	place_adjacent();
	assert_int_equal(iosim_ram_nr_banks(), 2);
	assert_seam_blocks();

	/* One linear run: virtually contiguous across the seam, like the kernel's. */
	v = phys_to_virt(seam - 4);
	assert_ptr_equal(v + 4, phys_to_virt(seam));
	assert_true(iosim_phys_is_ram(seam - 4, 8));
	memcpy(v, "ABCDEFGH", 8);
	assert_memory_equal(phys_to_virt(seam), "EFGH", 4);
	assert_int_equal(virt_to_phys(v + 5), seam + 1);
	assert_int_equal(bank_of(seam - 1), 0);
	assert_int_equal(bank_of(seam), 1);

	/* Only one order-(K+1) block exists: the two order-K ones are in different banks. */
	big = alloc_pages(GFP_KERNEL | __GFP_NOWARN, SEAM_ORDER + 1);
	assert_non_null(big);
	assert_int_equal(page_to_phys(big), SEAM_BASE);
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, SEAM_ORDER + 1));
	assert_ram_ok();
	__free_pages(big, SEAM_ORDER + 1);
	assert_seam_blocks();
	assert_ram_ok();

	/* Take every frame one by one, give them all back: the seam survives. */
	while ((pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		n++;
	assert_int_equal(n, 4UL << SEAM_ORDER);
	assert_ram_ok();
	for (i = 0; i < n; i++) {
		__free_page(pages[i]);
		if (i % 16 == 0)
			assert_ram_ok();
	}
	assert_seam_blocks();
	assert_ram_ok();
}

/* The checker notices a free block that runs over a bank's end. */
static void test_ram_banks_check_reports_a_free_block_crossing_a_bank_edge(void **state)
{
	struct page *page;

	(void)state;
	place_adjacent();
	page = phys_to_page(SEAM_BASE + 2 * SEAM_B);
	assert_true(page->flags & (1UL << PG_buddy));
	assert_int_equal(page->private, SEAM_ORDER);
	page->private = SEAM_ORDER + 1;		/* now it claims the next bank's frames too */
	assert_int_equal(iosim_ram_check(), -EUCLEAN);
	assert_true(iosim_warn_seen("bank"));
	iosim_warn_reset();
	page->private = SEAM_ORDER;
	assert_ram_ok();
}

/* --- allocation ---------------------------------------------------------------------- */

struct block {
	struct page *page;
	unsigned int order;
};

/* Allocate with @gfp, largest orders first, until nothing is left; returns the count. */
static unsigned long alloc_all(gfp_t gfp, struct block *blocks, unsigned long max)
{
	unsigned long n = 0;
	int order;

	for (order = MAX_ORDER - 1; order >= 0; order--) {
		while (n < max) {
			struct page *page = alloc_pages(gfp | __GFP_NOWARN, (unsigned int)order);
			phys_addr_t phys;

			if (!page)
				break;
			phys = page_to_phys(page);
			/* First and last byte in the same bank. */
			assert_int_not_equal(bank_of(phys), -1);
			assert_int_equal(bank_of(phys), bank_of(phys + (PAGE_SIZE << order) - 1));
			blocks[n].page = page;
			blocks[n++].order = (unsigned int)order;
		}
	}
	return n;
}

static void free_all(struct block *blocks, unsigned long n)
{
	while (n--)
		__free_pages(blocks[n].page, blocks[n].order);
}

static void test_ram_banks_allocating_until_empty_never_crosses_a_bank_edge(void **state)
{
	/* Unaligned edges everywhere, two banks adjacent. */
	const struct iosim_ram_config cfg = {
		.nr_banks = 4,
		.banks = {
			{ .base_phys = 0x80000000ULL + 3 * PAGE_SIZE, .size_bytes = 4 * MIB + 5 * PAGE_SIZE },
			{ .base_phys = 0x90000000ULL - 7 * PAGE_SIZE, .size_bytes = 2 * MIB + 7 * PAGE_SIZE },
			{ .base_phys = 0x90200000ULL, .size_bytes = 3 * MIB + 9 * PAGE_SIZE },
			{ .base_phys = 0x880000000ULL + PAGE_SIZE, .size_bytes = 8 * MIB },
		},
	};
	unsigned long before[MAX_ORDER], n, total;
	struct block *blocks;
	unsigned int order;

	(void)state;
	ram_place(&cfg);
	total = iosim_ram_nr_pages();
	assert_int_equal(total, (17 * MIB + 21 * PAGE_SIZE) >> PAGE_SHIFT);
	for (order = 0; order < MAX_ORDER; order++)
		before[order] = iosim_ram_free_blocks(order);
	blocks = calloc(total, sizeof(*blocks));
	assert_non_null(blocks);

	n = alloc_all(GFP_KERNEL, blocks, total);
	assert_int_equal(iosim_ram_free_pages(), 0);
	assert_ram_ok();
	free_all(blocks, n);
	assert_int_equal(iosim_ram_free_pages(), total);
	assert_ram_ok();
	/* Merging stopped at every bank edge: the same blocks as at the start. */
	for (order = 0; order < MAX_ORDER; order++)
		assert_int_equal(iosim_ram_free_blocks(order), before[order]);
	free(blocks);
}

/* --- invalid layouts ----------------------------------------------------------------- */

static void test_ram_banks_invalid_layouts_warn_and_create_nothing(void **state)
{
	struct iosim_ram_config bad[7];
	unsigned int i;

	(void)state;
	assert_int_equal(iosim_ram_exit(), 0);
	memset(bad, 0, sizeof(bad));
	/* Unsorted. */
	bad[0].nr_banks = 2;
	bad[0].banks[0] = (struct iosim_ram_bank_config){ 0x880000000ULL, 16 * MIB };
	bad[0].banks[1] = (struct iosim_ram_bank_config){ 0x80000000ULL, 16 * MIB };
	/* Overlapping by one page. */
	bad[1].nr_banks = 2;
	bad[1].banks[0] = (struct iosim_ram_bank_config){ 0x80000000ULL, 16 * MIB };
	bad[1].banks[1] = (struct iosim_ram_bank_config){ 0x80000000ULL + 16 * MIB - PAGE_SIZE,
							 16 * MIB };
	/* Nine banks. */
	bad[2].nr_banks = IOSIM_RAM_MAX_BANKS + 1;
	/* Past 48 bits by one page. */
	bad[3].nr_banks = 1;
	bad[3].banks[0] = (struct iosim_ram_bank_config){ (1ULL << 48) - 16 * MIB,
							 16 * MIB + PAGE_SIZE };
	/* Unaligned base, unaligned size, empty bank. */
	bad[4].nr_banks = 2;
	bad[4].banks[0] = (struct iosim_ram_bank_config){ 0x80000000ULL, 16 * MIB };
	bad[4].banks[1] = (struct iosim_ram_bank_config){ 0x880000000ULL + PAGE_SIZE / 2, 16 * MIB };
	bad[5].nr_banks = 2;
	bad[5].banks[0] = (struct iosim_ram_bank_config){ 0x80000000ULL, 16 * MIB - 1 };
	bad[5].banks[1] = (struct iosim_ram_bank_config){ 0x880000000ULL, 16 * MIB };
	bad[6].nr_banks = 2;
	bad[6].banks[0] = (struct iosim_ram_bank_config){ 0x80000000ULL, 16 * MIB };
	bad[6].banks[1] = (struct iosim_ram_bank_config){ 0x880000000ULL, 0 };

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_int_equal(iosim_ram_init(&bad[i]), -EINVAL);
		assert_warned("iosim_ram_init");
		assert_false(iosim_ram_ready());
		assert_int_equal(iosim_ram_nr_banks(), 0);
	}
	assert_int_equal(iosim_ram_check(), 0);
	/* Too many frames together: -ENOMEM, no WARN. */
	bad[0].nr_banks = 2;
	bad[0].banks[0] = (struct iosim_ram_bank_config){ 0,
		(u64)(IOSIM_RAM_MAX_PAGES / 2) << PAGE_SHIFT };
	bad[0].banks[1] = (struct iosim_ram_bank_config){ 1ULL << 40,
		(u64)(IOSIM_RAM_MAX_PAGES / 2 + 1) << PAGE_SHIFT };
	assert_int_equal(iosim_ram_init(&bad[0]), -ENOMEM);
	assert_false(iosim_ram_ready());
	assert_no_warnings();
	assert_int_equal(iosim_ram_init(NULL), 0);
}

/* The limits themselves are fine: eight banks, the last ending exactly at 2^48. */
static void test_ram_banks_eight_banks_up_to_the_48_bit_limit_work(void **state)
{
	struct iosim_ram_config cfg = { .nr_banks = IOSIM_RAM_MAX_BANKS };
	phys_addr_t top = 1ULL << IOSIM_RAM_PHYS_BITS;
	struct page *page;
	unsigned int i;

	(void)state;
	for (i = 0; i < IOSIM_RAM_MAX_BANKS; i++) {
		cfg.banks[i].base_phys = top - (IOSIM_RAM_MAX_BANKS - i) * (1ULL << 36);
		cfg.banks[i].size_bytes = (u64)(i + 1) * 4 * PAGE_SIZE;
	}
	cfg.banks[IOSIM_RAM_MAX_BANKS - 1].base_phys = top - 32 * PAGE_SIZE;
	ram_place(&cfg);
	assert_int_equal(iosim_ram_nr_banks(), IOSIM_RAM_MAX_BANKS);
	for (i = 0; i < IOSIM_RAM_MAX_BANKS; i++) {
		assert_round_trips(cfg.banks[i].base_phys);
		assert_round_trips(cfg.banks[i].base_phys + cfg.banks[i].size_bytes - 1);
	}
	assert_true(iosim_phys_is_ram(top - 1, 1));
	assert_false(iosim_phys_is_ram(top, 1));
	page = alloc_pages(GFP_KERNEL, 2);
	assert_non_null(page);
	assert_true(page_to_phys(page) >= cfg.banks[0].base_phys);
	assert_ram_ok();
	__free_pages(page, 2);
	assert_ram_ok();
}

/* --- zones ------------------------------------------------------------------------------ */

static void test_ram_banks_juno_zone_dma_is_the_low_bank(void **state)
{
	unsigned long low = (16 * MIB) >> PAGE_SHIFT, high = (32 * MIB) >> PAGE_SHIFT, n;
	struct block *blocks;
	struct page *page;

	(void)state;
	ram_place_juno(16 * MIB, 32 * MIB);
	assert_int_equal(iosim_ram_zone_pages(ZONE_DMA), low);
	assert_int_equal(iosim_ram_zone_pages(ZONE_NORMAL), high);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), low);

	/* Plain and GFP_DMA32 allocations prefer ZONE_NORMAL: the high bank. */
	page = alloc_pages(GFP_KERNEL, 0);
	assert_int_equal(bank_of(page_to_phys(page)), 1);
	__free_page(page);
	page = alloc_pages(GFP_KERNEL | GFP_DMA32, 0);
	assert_int_equal(bank_of(page_to_phys(page)), 1);
	__free_page(page);

	/* GFP_DMA empties the low bank only, then fails cleanly. */
	blocks = calloc(low, sizeof(*blocks));
	assert_non_null(blocks);
	n = alloc_all(GFP_DMA, blocks, low);
	assert_true(n > 0);
	assert_int_equal(bank_of(page_to_phys(blocks[0].page)), 0);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), 0);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_NORMAL), high);
	assert_null(alloc_pages(GFP_DMA | __GFP_NOWARN, 0));
	assert_no_warnings();
	assert_ram_ok();
	/* Ordinary allocations still work from the high bank. */
	page = alloc_pages(GFP_KERNEL, 1);
	assert_non_null(page);
	assert_int_equal(bank_of(page_to_phys(page)), 1);
	__free_pages(page, 1);
	free_all(blocks, n);
	free(blocks);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), low);
	assert_ram_ok();
}

static void test_ram_banks_gfp_dma_without_low_ram_fails(void **state)
{
	const struct iosim_ram_config cfg = {
		.nr_banks = 2,
		.banks = {
			{ .base_phys = 0x880000000ULL, .size_bytes = 8 * MIB },
			{ .base_phys = 0x8800000000ULL, .size_bytes = 8 * MIB },
		},
	};
	struct page *page;

	(void)state;
	ram_place(&cfg);
	assert_int_equal(iosim_ram_zone_pages(ZONE_DMA), 0);
	assert_int_equal(iosim_ram_zone_pages(ZONE_NORMAL), (16 * MIB) >> PAGE_SHIFT);
	assert_null(alloc_pages(GFP_DMA | __GFP_NOWARN, 0));
	assert_no_warnings();
	page = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(page);
	assert_true(page_to_phys(page) >= 0x880000000ULL);
	__free_page(page);
	assert_ram_ok();
}

static void test_ram_banks_a_bank_straddling_4g_splits_between_zones(void **state)
{
	unsigned long dma = (16 * MIB + 16 * MIB) >> PAGE_SHIFT;

	(void)state;
	ram_place(&three_banks);
	/* Bank 0 and the lower half of bank 1 are ZONE_DMA. */
	assert_int_equal(iosim_ram_zone_pages(ZONE_DMA), dma);
	assert_int_equal(iosim_ram_zone_pages(ZONE_NORMAL), iosim_ram_nr_pages() - dma);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), dma);
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_NORMAL), iosim_ram_nr_pages() - dma);
	assert_ram_ok();
}

/*
 * iosim_ram_init() builds simulation infrastructure (memfd, mmap, calloc),
 * never through the shim allocators: an armed allocation failure is not
 * consumed by it, so there is no failure sweep to run over it.
 */
static void test_ram_banks_init_takes_no_fault_injectable_allocation(void **state)
{
	struct iosim_ram_config cfg;
	struct page *page;

	(void)state;
	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_ram_config_juno(&cfg, 16 * MIB, 32 * MIB), 0);
	iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, 1);
	assert_int_equal(iosim_ram_init(&cfg), 0);
	assert_ram_ok();
	/* Still armed: the first real allocation takes the failure. */
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0));
	iosim_fault_reset();
	page = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(page);
	__free_page(page);
	assert_ram_ok();
}

/* --- the cache model in the high bank ---------------------------------------------------- */

static void test_ram_banks_cache_model_works_in_the_high_bank(void **state)
{
	struct iosim_device_config dcfg = { .name = "nc-banks", .coherent = false, .no_add = true };
	struct iosim_ram_config cfg;
	struct page *high, *low;
	unsigned char out[48], mem[48];
	struct device *dev;
	char *va, *lva;

	(void)state;
	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_cache_set_enabled(true), 0);
	assert_int_equal(iosim_ram_config_juno(&cfg, 16 * MIB, 32 * MIB), 0);
	assert_int_equal(iosim_ram_init(&cfg), 0);
	assert_true(iosim_cache_enabled());
	dev = iosim_device_create(&dcfg);
	assert_non_null(dev);

	high = alloc_page(GFP_KERNEL | __GFP_ZERO);
	low = alloc_page(GFP_DMA | __GFP_ZERO);
	assert_int_equal(bank_of(page_to_phys(high)), 1);
	assert_int_equal(bank_of(page_to_phys(low)), 0);
	va = page_address(high);
	lva = page_address(low);
	__flush_dcache_area(va, PAGE_SIZE);
	__flush_dcache_area(lva, PAGE_SIZE);
	assert_false(iosim_cache_line_dirty(page_to_phys(high)));

	/* A CPU write is dirty until cleaned; then memory has it. */
	memset(va, 0x3c, 64);
	assert_true(iosim_cache_line_dirty(page_to_phys(high)));
	iosim_cache_clean_range(page_to_phys(high), 64);
	assert_false(iosim_cache_line_dirty(page_to_phys(high)));
	assert_int_equal(iosim_cache_read_memory(page_to_phys(high), mem, sizeof(mem)), 0);
	assert_true(iosim_bytes_all(mem, 0x3c, sizeof(mem)));

	/* A non-coherent device write: invisible until invalidated, then visible. */
	memset(out, 0xd7, sizeof(out));
	assert_int_equal(iosim_cache_device_access(dev, page_to_phys(high) + 256, out,
						   sizeof(out), true), 0);
	assert_true(iosim_bytes_all(va + 256, 0, sizeof(out)));
	__dma_unmap_area(va + 256, sizeof(out), DMA_FROM_DEVICE);
	assert_true(iosim_bytes_all(va + 256, 0xd7, sizeof(out)));
	/* Nothing of it landed in the low bank. */
	assert_true(iosim_bytes_all(lva, 0, PAGE_SIZE));
	assert_int_equal(iosim_cache_read_memory(page_to_phys(low) + 256, mem, sizeof(mem)), 0);
	assert_true(iosim_bytes_all(mem, 0, sizeof(mem)));
	/* A cache op over a hole is refused with a WARN, as anything outside RAM. */
	iosim_cache_clean_range(IOSIM_RAM_JUNO_LOW_BASE + 16 * MIB, 64);
	assert_warned("is not simulated RAM");
	assert_int_equal(iosim_cache_check(), 0);
	assert_ram_ok();

	__free_page(high);
	__free_page(low);
	iosim_device_destroy(dev);
	assert_int_equal(iosim_cache_check(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM(test_ram_banks_juno_preset_fills_two_banks_or_refuses),
		IOSIM_TEST_RAM(test_ram_banks_conversions_round_trip_in_every_bank_and_at_its_edges),
		IOSIM_TEST_RAM(test_ram_banks_holes_are_not_ram_and_their_conversions_warn),
		IOSIM_TEST_RAM(test_ram_banks_adjacent_banks_share_the_linear_map_but_never_merge),
		IOSIM_TEST_RAM(test_ram_banks_check_reports_a_free_block_crossing_a_bank_edge),
		IOSIM_TEST_RAM(test_ram_banks_allocating_until_empty_never_crosses_a_bank_edge),
		IOSIM_TEST_RAM(test_ram_banks_invalid_layouts_warn_and_create_nothing),
		IOSIM_TEST_RAM(test_ram_banks_eight_banks_up_to_the_48_bit_limit_work),
		IOSIM_TEST_RAM(test_ram_banks_juno_zone_dma_is_the_low_bank),
		IOSIM_TEST_RAM(test_ram_banks_gfp_dma_without_low_ram_fails),
		IOSIM_TEST_RAM(test_ram_banks_a_bank_straddling_4g_splits_between_zones),
		IOSIM_TEST_RAM(test_ram_banks_init_takes_no_fault_injectable_allocation),
		IOSIM_TEST_RAM(test_ram_banks_cache_model_works_in_the_high_bank),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
