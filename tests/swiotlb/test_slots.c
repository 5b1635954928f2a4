// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The bounce pool itself (lib/swiotlb), below the DMA API: where the pool
 * goes, the slot allocator (consecutive runs, segment edges, the device's
 * segment boundary, page alignment of mappings over a page and 2015's
 * placement of page-sized ones, a full pool and its recovery), the copies in
 * each direction on map, sync and unmap, swiotlb_force, misuse (the kernel's
 * BUG_ONs and panics as WARNs that change nothing, the "Out of SW-IOMMU
 * space" report), and allocation-failure sweeps of init.  RAM is 64 MiB at 2 GiB (all of it
 * ZONE_DMA) unless a test says otherwise; the pool is 1 MiB (512 slots, 4
 * segments).  iosim_swiotlb_check() runs after every step.
 */
#include "iosim_test.h"

#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/swiotlb.h>
#include <iosim/device.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/swiotlb.h>
#include <iosim/warn.h>

#include "../../lib/swiotlb/swiotlb-internal.h"	/* to corrupt the pool on purpose */

#define POOL_BYTES	(1UL << 20)
#define POOL_SLOTS	(POOL_BYTES >> IO_TLB_SHIFT)
#define RAM_LOW_BASE	0x80000000ULL
#define assert_pool_ok()	assert_int_equal(iosim_swiotlb_check(), 0)

static struct device *dev;

static void make_device(unsigned long boundary)
{
	struct iosim_device_config cfg = {
		.name = "bouncer",
		.dma_mask = DMA_BIT_MASK(64),
		.segment_boundary_mask = boundary,
	};

	dev = iosim_device_create(&cfg);
	assert_non_null(dev);
}

static void ram_low(void)
{
	struct iosim_ram_config cfg = { .base_phys = RAM_LOW_BASE, .size_bytes = 64ULL << 20 };

	iosim_log_set_console_level(0);
	assert_int_equal(iosim_ram_init(&cfg), 0);
}

static int setup_pool(void **state)
{
	iosim_test_setup(state);
	ram_low();
	iosim_swiotlb_set_size(POOL_BYTES);
	assert_int_equal(iosim_swiotlb_init(), 0);
	make_device(0);
	return 0;
}

static int teardown_pool(void **state)
{
	struct iosim_swiotlb_stats st;

	assert_pool_ok();
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.slots_used, 0);
	iosim_device_destroy(dev);
	dev = NULL;
	iosim_swiotlb_exit();
	iosim_swiotlb_set_size(0);
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_exit(), 0);
	iosim_log_set_console_level(5);
	return iosim_test_teardown(state);
}

#define POOL_TEST(fn)	cmocka_unit_test_setup_teardown(fn, setup_pool, teardown_pool)

static phys_addr_t pool(void)
{
	return iosim_swiotlb_pool_phys();
}

static unsigned long slot_of(phys_addr_t tlb)
{
	return (unsigned long)((tlb - pool()) >> IO_TLB_SHIFT);
}

/* Map @size bytes of @orig (TO_DEVICE), asserting success and the checker. */
static phys_addr_t map(phys_addr_t orig, size_t size)
{
	phys_addr_t tlb = swiotlb_tbl_map_single(dev, phys_to_dma(dev, pool()), orig, size,
						 DMA_TO_DEVICE);

	assert_true(tlb != SWIOTLB_MAP_ERROR);
	assert_true(is_swiotlb_buffer(tlb));
	assert_pool_ok();
	return tlb;
}

static void unmap(phys_addr_t tlb, size_t size)
{
	swiotlb_tbl_unmap_single(dev, tlb, size, DMA_TO_DEVICE);
	assert_pool_ok();
}

static unsigned long used_slots(void)
{
	struct iosim_swiotlb_stats st;

	iosim_swiotlb_get_stats(&st);
	return st.slots_used;
}

/* A source buffer in RAM to bounce (contents irrelevant unless filled). */
static phys_addr_t some_ram(void)
{
	return RAM_LOW_BASE + (8UL << 20);
}

static void test_swiotlb_pool_sits_in_zone_dma(void **state)
{
	(void)state;
	assert_int_equal(swiotlb_nr_tbl(), POOL_SLOTS);
	assert_int_equal(swiotlb_size_or_default(), POOL_BYTES);
	assert_true(pool() >= RAM_LOW_BASE && pool() + POOL_BYTES <= (1ULL << 32));
	assert_true(iosim_phys_is_allocated(pool()));
	assert_true(is_swiotlb_buffer(pool() + POOL_BYTES - 1));
	assert_false(is_swiotlb_buffer(pool() + POOL_BYTES));
	assert_true(swiotlb_dma_supported(dev, DMA_BIT_MASK(32)));
	assert_int_equal(iosim_swiotlb_init(), -EBUSY);
	assert_pool_ok();
}

static void test_swiotlb_init_without_zone_dma_is_unavailable(void **state)
{
	struct iosim_device_config cfg = { .name = "dev32", .dma_mask = DMA_BIT_MASK(32) };
	struct device *d32;
	struct page *page;

	iosim_test_setup(state);
	iosim_log_set_console_level(0);
	assert_int_equal(iosim_ram_init(NULL), 0);	/* 128 MiB at 34 GiB */
	assert_int_equal(iosim_swiotlb_init(), -ENOMEM);
	assert_false(iosim_swiotlb_ready());
	/* The kernel's entry point logs 2015's line (no_iotlb_memory). */
	iosim_log_reset();
	swiotlb_init(0);
	assert_true(iosim_log_seen("Cannot allocate SWIOTLB buffer"));
	assert_false(iosim_swiotlb_ready());
	assert_int_equal(swiotlb_nr_tbl(), 0);
	assert_int_equal(iosim_ram_free_pages(), iosim_ram_nr_pages());
	d32 = iosim_device_create(&cfg);
	assert_non_null(d32);
	page = alloc_page(GFP_KERNEL);
	assert_non_null(page);
	/*
	 * Unreachable and nothing to bounce through: the kernel panicked; the
	 * map WARNs with its text and fails cleanly.
	 */
	assert_true(swiotlb_map_page(d32, page, 0, 64, DMA_TO_DEVICE, NULL) == DMA_ERROR_CODE);
	assert_warned("Can not allocate SWIOTLB buffer earlier and can't now provide you with the DMA bounce buffer");
	assert_false(swiotlb_dma_supported(d32, DMA_BIT_MASK(32)));
	assert_int_equal(iosim_swiotlb_check(), 0);
	__free_page(page);
	iosim_device_destroy(d32);
	iosim_swiotlb_exit();		/* no pool: nothing to do */
	assert_int_equal(iosim_ram_exit(), 0);
	iosim_log_set_console_level(5);
	iosim_test_teardown(state);
}

static void test_swiotlb_small_maps_take_consecutive_slots(void **state)
{
	phys_addr_t a, b, c, d;

	(void)state;
	a = map(some_ram(), 100);
	b = map(some_ram(), IO_TLB_SIZE + 1);	/* two slots */
	c = map(some_ram(), 1);
	assert_int_equal(slot_of(a), 0);
	assert_int_equal(slot_of(b), 1);
	assert_int_equal(slot_of(c), 3);
	assert_int_equal(used_slots(), 4);
	unmap(b, IO_TLB_SIZE + 1);
	assert_int_equal(used_slots(), 2);
	/* The search goes on from where it stopped; the hole is found after a wrap. */
	d = map(some_ram(), 2 * IO_TLB_SIZE);
	assert_int_equal(slot_of(d), 4);
	unmap(a, 100);
	unmap(c, 1);
	unmap(d, 2 * IO_TLB_SIZE);
}

static void test_swiotlb_maps_never_cross_a_segment(void **state)
{
	size_t first = (IO_TLB_SEGSIZE - 8) * IO_TLB_SIZE, second = 16 * IO_TLB_SIZE;
	phys_addr_t a, b;

	(void)state;
	a = map(some_ram(), first);
	b = map(some_ram(), second);
	assert_int_equal(slot_of(a), 0);
	assert_int_equal(slot_of(b), IO_TLB_SEGSIZE);	/* 8 free slots were too few */
	/* More than a segment can never be bounced, however empty the pool. */
	assert_true(swiotlb_tbl_map_single(dev, pool(), some_ram(),
					   (IO_TLB_SEGSIZE + 1) * IO_TLB_SIZE,
					   DMA_TO_DEVICE) == SWIOTLB_MAP_ERROR);
	assert_pool_ok();
	unmap(a, first);
	unmap(b, second);
}

static void test_swiotlb_maps_honour_the_segment_boundary(void **state)
{
	unsigned long mask = 0x3fff;	/* 16 KiB: 8 slots */
	phys_addr_t t[12];
	size_t sizes[12] = { 100, 5000, 3 * IO_TLB_SIZE, 2 * IO_TLB_SIZE, 7 * IO_TLB_SIZE, 1,
			     6 * IO_TLB_SIZE, 8 * IO_TLB_SIZE, 4 * IO_TLB_SIZE + 1, 3000, 700,
			     5 * IO_TLB_SIZE };
	int i;

	(void)state;
	iosim_device_destroy(dev);
	make_device(mask);
	for (i = 0; i < 12; i++) {
		dma_addr_t first, last;

		t[i] = map(some_ram(), sizes[i]);
		first = phys_to_dma(dev, t[i]);
		last = first + ALIGN(sizes[i], IO_TLB_SIZE) - 1;
		assert_true((first & ~(dma_addr_t)mask) == (last & ~(dma_addr_t)mask));
	}
	/* Bigger than the boundary window: impossible. */
	assert_true(swiotlb_tbl_map_single(dev, pool(), some_ram(), 9 * IO_TLB_SIZE,
					   DMA_TO_DEVICE) == SWIOTLB_MAP_ERROR);
	for (i = 0; i < 12; i++)
		unmap(t[i], sizes[i]);
}

static void test_swiotlb_maps_over_a_page_are_page_aligned(void **state)
{
	phys_addr_t a, b, c;

	(void)state;
	a = map(some_ram(), 10);
	b = map(some_ram(), PAGE_SIZE + 1);
	c = map(some_ram(), 3 * PAGE_SIZE + 5);
	assert_int_equal(b & ~PAGE_MASK, 0);
	assert_int_equal(c & ~PAGE_MASK, 0);
	assert_true(slot_of(b) > slot_of(a));
	unmap(a, 10);
	unmap(b, PAGE_SIZE + 1);
	unmap(c, 3 * PAGE_SIZE + 5);
}

/*
 * 2015's rule ("for mappings greater than a page"): a mapping of exactly
 * PAGE_SIZE steps by one slot, so it takes the next free slot and need not
 * be page aligned (the ">=" of 2017 would put it at the next page).
 */
static void test_swiotlb_exactly_page_sized_map_takes_the_next_slot(void **state)
{
	phys_addr_t a, b;

	(void)state;
	assert_true(PAGE_SIZE >> IO_TLB_SHIFT > 1);
	a = map(some_ram(), 10);
	b = map(some_ram(), PAGE_SIZE);
	assert_int_equal(slot_of(a), 0);
	assert_int_equal(slot_of(b), 1);
	assert_int_equal(b & ~PAGE_MASK, IO_TLB_SIZE);
	assert_int_equal(used_slots(), 1 + (PAGE_SIZE >> IO_TLB_SHIFT));
	unmap(a, 10);
	unmap(b, PAGE_SIZE);
}

static void test_swiotlb_full_pool_fails_and_recovers(void **state)
{
	size_t seg = IO_TLB_SEGSIZE * IO_TLB_SIZE;
	struct iosim_swiotlb_stats st;
	phys_addr_t t[4], again;
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		t[i] = map(some_ram(), seg);
	assert_int_equal(used_slots(), POOL_SLOTS);
	assert_true(swiotlb_tbl_map_single(dev, pool(), some_ram(), 1, DMA_TO_DEVICE) ==
		    SWIOTLB_MAP_ERROR);
	assert_pool_ok();
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.full_failures, 1);
	assert_int_equal(st.slots_used_max, POOL_SLOTS);
	unmap(t[2], seg);
	again = map(some_ram(), seg);
	assert_true(again == t[2]);
	unmap(again, seg);
	unmap(t[0], seg);
	unmap(t[1], seg);
	unmap(t[3], seg);
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.bounced_maps, 5);
}

/* One direction: what map, both syncs and unmap copy, and what they must not. */
static void check_direction(enum dma_data_direction dir)
{
	bool out = dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL;
	bool back = dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL;
	size_t len = 3000;
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned char *orig, *bounce;
	phys_addr_t tlb;

	assert_non_null(page);
	orig = page_address(page);
	memset(orig, 0x11, len);
	tlb = swiotlb_tbl_map_single(dev, pool(), page_to_phys(page), len, dir);
	assert_true(tlb != SWIOTLB_MAP_ERROR);
	assert_pool_ok();
	bounce = phys_to_virt(tlb);
	assert_int_equal(bounce[0] == 0x11 && bounce[len - 1] == 0x11, out);

	memset(bounce, 0x22, len);			/* "the device wrote" */
	swiotlb_tbl_sync_single(dev, tlb + 100, 200, dir, SYNC_FOR_CPU);
	assert_int_equal(orig[100] == 0x22 && orig[299] == 0x22, back);
	assert_int_equal(orig[99], back ? 0x11 : 0x11);	/* outside the range: untouched */
	assert_int_equal(orig[300], 0x11);

	memset(orig, 0x33, len);			/* "the CPU refilled" */
	swiotlb_tbl_sync_single(dev, tlb, len, dir, SYNC_FOR_DEVICE);
	assert_int_equal(bounce[len - 1] == 0x33, out);
	memset(bounce, 0x44, len);
	swiotlb_tbl_unmap_single(dev, tlb, len, dir);
	assert_pool_ok();
	assert_int_equal(orig[0] == 0x44 && orig[len - 1] == 0x44, back);
	if (!back)
		assert_int_equal(orig[0], 0x33);
	__free_page(page);
}

static void test_swiotlb_copies_follow_the_direction(void **state)
{
	struct iosim_swiotlb_stats st;

	(void)state;
	check_direction(DMA_TO_DEVICE);
	check_direction(DMA_FROM_DEVICE);
	check_direction(DMA_BIDIRECTIONAL);
	iosim_swiotlb_get_stats(&st);
	/* map + sync_for_device, for TO_DEVICE and BIDIRECTIONAL. */
	assert_int_equal(st.bytes_to_bounce, 2 * (3000 + 3000));
	/* sync_for_cpu (200) + unmap, for FROM_DEVICE and BIDIRECTIONAL. */
	assert_int_equal(st.bytes_from_bounce, 2 * (200 + 3000));
}

/* RAM's page at @phys, for the entry points that take a page. */
static struct page *page_at(phys_addr_t phys)
{
	return phys_to_page(phys);
}

/* The kernel's BUG_ON(!nslots): a zero-size bounce is a bug, not a full pool. */
static void test_swiotlb_zero_size_bounce_is_a_bug(void **state)
{
	struct iosim_swiotlb_stats st;
	dma_addr_t addr;

	(void)state;
	swiotlb_force = 1;
	iosim_log_reset();
	assert_true(swiotlb_tbl_map_single(dev, pool(), some_ram(), 0, DMA_TO_DEVICE) ==
		    SWIOTLB_MAP_ERROR);
	assert_int_equal(iosim_bug_count(), 1);
	assert_warned("BUG_ON(!nslots)");
	/* Through swiotlb_map_page(): the same BUG, and no "Out of SW-IOMMU space". */
	addr = swiotlb_map_page(dev, page_at(some_ram()), 0, 0, DMA_TO_DEVICE, NULL);
	assert_true(addr == DMA_ERROR_CODE);
	assert_int_equal(iosim_bug_count(), 1);
	assert_warned("BUG_ON(!nslots)");
	swiotlb_force = 0;
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.full_failures, 0);
	assert_int_equal(st.slots_used, 0);
	assert_false(iosim_log_seen("buffer is full"));
	assert_false(iosim_log_seen("Out of SW-IOMMU space"));
	assert_pool_ok();
}

/*
 * The kernel's BUG_ON(dir == DMA_NONE) in every entry point, and
 * swiotlb_tbl_sync_single()'s BUG_ONs: recorded as BUGs, the call refused
 * with nothing changed (no slot taken or freed, nothing copied).
 */
static void test_swiotlb_undirected_calls_are_bugs_and_change_nothing(void **state)
{
	struct iosim_swiotlb_stats before, after;
	struct scatterlist sg;
	unsigned char *orig;
	phys_addr_t tlb;
	dma_addr_t addr;

	(void)state;
	orig = phys_to_virt(some_ram());
	memset(orig, 0x11, 256);
	swiotlb_force = 1;
	iosim_swiotlb_get_stats(&before);
	addr = swiotlb_map_page(dev, page_at(some_ram()), 0, 64, DMA_NONE, NULL);
	assert_true(addr == DMA_ERROR_CODE);
	assert_int_equal(iosim_bug_count(), 1);
	assert_warned("swiotlb_map_page: device bouncer: invalid direction 3");
	addr = swiotlb_map_page(dev, page_at(some_ram()), 0, 64, (enum dma_data_direction)7, NULL);
	assert_true(addr == DMA_ERROR_CODE);
	assert_warned("invalid direction 7");
	sg_init_one(&sg, orig, 64);
	assert_int_equal(swiotlb_map_sg_attrs(dev, &sg, 1, DMA_NONE, NULL), 0);
	assert_warned("swiotlb_map_sg_attrs: device bouncer: invalid direction 3");
	iosim_swiotlb_get_stats(&after);
	assert_memory_equal(&before, &after, sizeof(before));

	/* A live bidirectional mapping: unmap and syncs without a direction touch nothing. */
	addr = swiotlb_map_page(dev, page_at(some_ram()), 0, 256, DMA_BIDIRECTIONAL, NULL);
	assert_false(swiotlb_dma_mapping_error(dev, addr));
	tlb = dma_to_phys(dev, addr);
	memset(phys_to_virt(tlb), 0x22, 256);		/* "the device wrote" */
	iosim_swiotlb_get_stats(&before);
	swiotlb_tbl_sync_single(dev, tlb, 64, DMA_NONE, SYNC_FOR_CPU);
	assert_int_equal(iosim_bug_count(), 1);
	assert_warned("swiotlb_tbl_sync_single: device bouncer: invalid direction 3 for a sync for the CPU");
	swiotlb_tbl_sync_single(dev, tlb, 64, DMA_NONE, SYNC_FOR_DEVICE);
	assert_warned("invalid direction 3 for a sync for the device");
	swiotlb_sync_single_for_cpu(dev, addr, 64, DMA_NONE);
	assert_warned("swiotlb_sync_single: device bouncer: invalid direction 3");
	swiotlb_unmap_page(dev, addr, 256, DMA_NONE, NULL);
	assert_warned("swiotlb_unmap_page: device bouncer: invalid direction 3");
	sg.dma_address = addr;
	sg_dma_len(&sg) = 256;
	swiotlb_sync_sg_for_device(dev, &sg, 1, DMA_NONE);
	assert_warned("swiotlb_sync_sg: device bouncer: invalid direction 3");
	swiotlb_unmap_sg_attrs(dev, &sg, 1, DMA_NONE, NULL);
	assert_warned("swiotlb_unmap_sg_attrs: device bouncer: invalid direction 3");
	iosim_swiotlb_get_stats(&after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_true(iosim_bytes_all(orig, 0x11, 256));
	assert_pool_ok();

	/* A valid direction that asks for no copy is no bug. */
	swiotlb_tbl_sync_single(dev, tlb, 64, DMA_TO_DEVICE, SYNC_FOR_CPU);
	swiotlb_tbl_sync_single(dev, tlb, 64, DMA_FROM_DEVICE, SYNC_FOR_DEVICE);
	assert_no_warnings();
	swiotlb_unmap_page(dev, addr, 256, DMA_BIDIRECTIONAL, NULL);
	assert_true(iosim_bytes_all(orig, 0x22, 256));
	swiotlb_force = 0;
	assert_int_equal(used_slots(), 0);
}

/*
 * iommu_is_span_boundary()'s BUG_ON(!is_power_of_2(boundary_size)): a
 * segment boundary mask that is not 2^n - 1 (here a 6-slot window) is a
 * driver bug; the map is refused with nothing taken and no "full" report.
 */
static void test_swiotlb_boundary_mask_not_a_power_of_two_is_a_bug(void **state)
{
	struct iosim_swiotlb_stats st;
	phys_addr_t a;

	(void)state;
	/* Set behind the device creator's back (it WARNs at such a mask). */
	assert_int_equal(dma_set_seg_boundary(dev, 0x2fff), 0);
	iosim_log_reset();
	assert_true(swiotlb_tbl_map_single(dev, pool(), some_ram(), 100, DMA_TO_DEVICE) ==
		    SWIOTLB_MAP_ERROR);
	assert_int_equal(iosim_bug_count(), 1);
	assert_warned("segment boundary mask 0x2fff is not 2^n - 1");
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.slots_used, 0);
	assert_int_equal(st.full_failures, 0);
	assert_false(iosim_log_seen("buffer is full"));
	assert_pool_ok();
	/* A window of one slot (0x3ff rounds up to 2 KiB) is a power of two. */
	iosim_device_destroy(dev);
	make_device(0x3ff);
	a = map(some_ram(), 100);
	assert_no_warnings();
	unmap(a, 100);
}

/*
 * swiotlb_full(): a bounce that finds no room logs "DMA: Out of SW-IOMMU
 * space" after "swiotlb buffer is full"; above 32 KiB the kernel panicked
 * with a text naming the direction, which is a WARN here, and the map fails
 * cleanly.  Without a device the line names "?".
 */
static void test_swiotlb_full_pool_reports_as_swiotlb_full(void **state)
{
	size_t seg = IO_TLB_SEGSIZE * IO_TLB_SIZE;
	static const struct { enum dma_data_direction dir; const char *text; } panics[] = {
		{ DMA_TO_DEVICE, "DMA: Random memory could be DMA read" },
		{ DMA_FROM_DEVICE, "DMA: Random memory could be DMA written" },
		{ DMA_BIDIRECTIONAL, "DMA: Random memory could be DMA accessed" },
	};
	struct iosim_swiotlb_stats st;
	phys_addr_t t[4];
	unsigned int i;

	(void)state;
	for (i = 0; i < 4; i++)
		t[i] = map(some_ram(), seg);
	swiotlb_force = 1;
	for (i = 0; i < ARRAY_SIZE(panics); i++) {
		iosim_log_reset();
		assert_true(swiotlb_map_page(dev, page_at(some_ram()), 0, 40000, panics[i].dir,
					     NULL) == DMA_ERROR_CODE);
		assert_true(iosim_log_seen("swiotlb buffer is full (sz: 40000 bytes)"));
		assert_true(iosim_log_seen("DMA: Out of SW-IOMMU space for 40000 bytes at device bouncer"));
		assert_int_equal(iosim_warn_count(), 1);
		assert_int_equal(iosim_bug_count(), 0);
		assert_warned(panics[i].text);
	}
	/* 32 KiB or less: the report alone. */
	iosim_log_reset();
	assert_true(swiotlb_map_page(dev, page_at(some_ram()), 0, 32 * 1024, DMA_TO_DEVICE,
				     NULL) == DMA_ERROR_CODE);
	assert_true(iosim_log_seen("DMA: Out of SW-IOMMU space for 32768 bytes at device bouncer"));
	assert_no_warnings();
	/* No device: "?" (and a mask of nothing reachable, so it bounces). */
	iosim_log_reset();
	assert_true(swiotlb_map_page(NULL, page_at(some_ram()), 0, 64, DMA_TO_DEVICE, NULL) ==
		    DMA_ERROR_CODE);
	assert_true(iosim_log_seen("DMA: Out of SW-IOMMU space for 64 bytes at device ?"));
	assert_no_warnings();
	swiotlb_force = 0;
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.full_failures, 5);
	assert_int_equal(used_slots(), POOL_SLOTS);
	for (i = 0; i < 4; i++)
		unmap(t[i], seg);
}

static void test_swiotlb_force_bounces_reachable_buffers(void **state)
{
	struct page *page = alloc_page(GFP_KERNEL);
	dma_addr_t addr;

	(void)state;
	assert_non_null(page);
	addr = swiotlb_map_page(dev, page, 16, 64, DMA_TO_DEVICE, NULL);
	assert_true(addr == page_to_phys(page) + 16);	/* reachable: direct */
	assert_false(is_swiotlb_buffer(dma_to_phys(dev, addr)));
	swiotlb_unmap_page(dev, addr, 64, DMA_TO_DEVICE, NULL);
	assert_int_equal(used_slots(), 0);

	swiotlb_force = 1;
	addr = swiotlb_map_page(dev, page, 16, 64, DMA_TO_DEVICE, NULL);
	assert_false(swiotlb_dma_mapping_error(dev, addr));
	assert_true(is_swiotlb_buffer(dma_to_phys(dev, addr)));
	assert_int_equal(used_slots(), 1);
	assert_pool_ok();
	swiotlb_unmap_page(dev, addr, 64, DMA_TO_DEVICE, NULL);
	swiotlb_force = 0;
	assert_pool_ok();
	__free_page(page);
}

static void test_swiotlb_misuse_is_warned_and_ignored(void **state)
{
	struct iosim_swiotlb_stats before, after;
	phys_addr_t a;

	(void)state;
	a = map(some_ram(), 3 * IO_TLB_SIZE);
	iosim_swiotlb_get_stats(&before);

	swiotlb_tbl_unmap_single(dev, pool() + 10 * IO_TLB_SIZE, 64, DMA_TO_DEVICE);
	assert_warned("not the start of a live bounce buffer");
	swiotlb_tbl_unmap_single(dev, a + IO_TLB_SIZE, 64, DMA_TO_DEVICE);
	assert_warned("not the start of a live bounce buffer");
	swiotlb_tbl_unmap_single(dev, a, 4 * IO_TLB_SIZE, DMA_TO_DEVICE);
	assert_warned("overrunning its bounce slots");
	swiotlb_tbl_sync_single(dev, pool() + 20 * IO_TLB_SIZE, 8, DMA_BIDIRECTIONAL,
				SYNC_FOR_CPU);
	assert_warned("not a live bounce buffer");
	swiotlb_tbl_sync_single(dev, a + 2 * IO_TLB_SIZE, IO_TLB_SIZE + 1, DMA_BIDIRECTIONAL,
				SYNC_FOR_DEVICE);
	assert_warned("overrunning its bounce slots");
	iosim_swiotlb_get_stats(&after);
	assert_memory_equal(&before, &after, sizeof(before));
	assert_pool_ok();

	/* An address that is no bounce slot: no bounce work, as the kernel. */
	assert_false(is_swiotlb_buffer(some_ram()));
	swiotlb_unmap_page(dev, some_ram(), 64, DMA_FROM_DEVICE, NULL);
	swiotlb_sync_single_for_cpu(dev, some_ram(), 64, DMA_FROM_DEVICE);
	iosim_swiotlb_get_stats(&after);
	assert_memory_equal(&before, &after, sizeof(before));

	unmap(a, 3 * IO_TLB_SIZE);
	swiotlb_tbl_unmap_single(dev, a, 3 * IO_TLB_SIZE, DMA_TO_DEVICE);
	assert_warned("not the start of a live bounce buffer");	/* double unmap */
	assert_pool_ok();
}

static void test_swiotlb_exit_with_slots_in_use_warns_and_frees(void **state)
{
	phys_addr_t start = pool();

	(void)state;
	map(some_ram(), 5000);
	assert_true(iosim_phys_is_allocated(start + POOL_BYTES - 1));
	iosim_swiotlb_exit();
	assert_warned("bounce slots still in use");
	assert_false(iosim_phys_is_allocated(start));
	assert_false(iosim_phys_is_allocated(start + POOL_BYTES - 1));
	assert_int_equal(iosim_ram_check(), 0);
	assert_false(iosim_swiotlb_ready());
	assert_int_equal(iosim_swiotlb_init(), 0);	/* for the teardown */
}

static void test_swiotlb_init_failure_sweep_leaves_nothing(void **state)
{
	unsigned long n, free_pages;
	long slab;
	int ret = -1;

	(void)state;
	iosim_swiotlb_exit();
	free_pages = iosim_ram_free_pages();
	slab = iosim_live(IOSIM_OBJ_SLAB);
	for (n = 1; n < 20; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		ret = iosim_swiotlb_init();
		iosim_fault_reset();
		if (!ret)
			break;
		assert_int_equal(ret, -ENOMEM);
		assert_false(iosim_swiotlb_ready());
		assert_int_equal(iosim_ram_free_pages(), free_pages);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
		assert_int_equal(iosim_ram_check(), 0);
	}
	assert_int_equal(ret, 0);
	assert_true(n >= 5);		/* at least the pages and three tables */
	assert_pool_ok();
}

static void test_swiotlb_size_rounds_to_segments(void **state)
{
	(void)state;
	iosim_swiotlb_set_size(1);
	assert_warned("the pool exists");
	iosim_swiotlb_exit();
	iosim_swiotlb_set_size(300 * 1024);		/* -> 512 KiB: two segments */
	assert_int_equal(swiotlb_size_or_default(), 512 * 1024);
	assert_int_equal(iosim_swiotlb_init(), 0);
	assert_int_equal(swiotlb_nr_tbl(), 2 * IO_TLB_SEGSIZE);
	assert_pool_ok();
}

/* The checker notices a wrong counter, a lost mapping record and a stray original address. */
static void test_swiotlb_check_detects_corruption(void **state)
{
	phys_addr_t a;
	unsigned int saved;

	(void)state;
	a = map(some_ram(), 3 * IO_TLB_SIZE);
	saved = io_tlb.io_tlb_list[10];
	io_tlb.io_tlb_list[10] = 7;
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_warned("free-run counter");
	io_tlb.io_tlb_list[10] = saved;

	io_tlb.io_tlb_nslots[slot_of(a)] = 0;
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_warned("belongs to no mapping");
	io_tlb.io_tlb_nslots[slot_of(a)] = 3;

	io_tlb.io_tlb_orig_addr[20] = some_ram();
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_warned("free slot 20 has an original address");
	io_tlb.io_tlb_orig_addr[20] = INVALID_PHYS_ADDR;
	assert_pool_ok();
	unmap(a, 3 * IO_TLB_SIZE);
}

/*
 * The kernel's entry points: swiotlb_free() destroys the pool and
 * swiotlb_print_info() then says there is none; swiotlb_init(1) makes it
 * again and logs where it is, swiotlb_init(0) quietly; an init that cannot
 * make a pool (one exists) logs why and leaves the pool alone.
 */
static void test_swiotlb_kernel_init_free_and_print_info(void **state)
{
	char where[160];
	phys_addr_t start;

	(void)state;
	swiotlb_free();
	assert_false(iosim_swiotlb_ready());
	assert_int_equal(swiotlb_nr_tbl(), 0);
	iosim_log_reset();
	swiotlb_print_info();
	assert_true(iosim_log_seen("software IO TLB: No low mem"));

	iosim_log_reset();
	swiotlb_init(0);
	assert_true(iosim_swiotlb_ready());
	assert_int_equal(swiotlb_nr_tbl(), POOL_SLOTS);
	assert_int_equal(iosim_log_count(), 0);
	swiotlb_free();
	assert_false(iosim_swiotlb_ready());

	iosim_log_reset();
	swiotlb_init(1);
	assert_true(iosim_swiotlb_ready());
	start = pool();
	snprintf(where, sizeof(where),
		 "software IO TLB [mem %#010llx-%#010llx] (1MB) mapped at [%p-%p]",
		 (unsigned long long)start, (unsigned long long)start + POOL_BYTES,
		 phys_to_virt(start), (char *)phys_to_virt(start) + POOL_BYTES - 1);
	assert_true(iosim_log_seen(where));
	assert_int_equal(iosim_log_count(), 1);

	/* A second init finds the pool there: it fails, logged, and changes nothing. */
	iosim_log_reset();
	swiotlb_init(1);
	assert_true(iosim_log_seen("Cannot allocate SWIOTLB buffer"));
	assert_int_equal(iosim_log_count(), 1);
	assert_true(pool() == start);
	assert_pool_ok();
}

/*
 * A map of more than a page rounds the search start up to a page's worth of slots;
 * when the last allocation ended just short of the pool's end, that start
 * is past the end and the search wraps to slot 0: it still tries every
 * page-aligned position once, failing cleanly when none is free and
 * finding the first one when there is.
 */
static void test_swiotlb_search_start_rounded_past_the_end_wraps(void **state)
{
	size_t seg = IO_TLB_SEGSIZE * IO_TLB_SIZE, last = (IO_TLB_SEGSIZE - 1) * IO_TLB_SIZE;
	struct iosim_swiotlb_stats st;
	phys_addr_t t[4], again;
	int i;

	(void)state;
	assert_true(PAGE_SIZE >> IO_TLB_SHIFT > 1);
	for (i = 0; i < 3; i++)
		t[i] = map(some_ram(), seg);
	t[3] = map(some_ram(), last);
	assert_int_equal(slot_of(t[3]), 3 * IO_TLB_SEGSIZE);
	/* The next search starts at the last slot, the only free one. */
	assert_int_equal(used_slots(), POOL_SLOTS - 1);
	assert_int_equal(io_tlb.index, POOL_SLOTS - 1);

	assert_true(swiotlb_tbl_map_single(dev, pool(), some_ram(), PAGE_SIZE + 1,
					   DMA_TO_DEVICE) == SWIOTLB_MAP_ERROR);
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.full_failures, 1);
	assert_pool_ok();

	unmap(t[0], seg);
	again = map(some_ram(), PAGE_SIZE + 1);
	assert_int_equal(slot_of(again), 0);
	unmap(again, PAGE_SIZE + 1);
	for (i = 1; i < 3; i++)
		unmap(t[i], seg);
	unmap(t[3], last);
}

/*
 * The checker's reports on the pool itself (size, placement, pages) and on
 * the mapping records (a head inside another mapping, a mapping crossing
 * its segment or covering a free slot, original addresses out of step, the
 * used-slot counter); each plant is undone and the checker is silent again.
 */
static void test_swiotlb_check_reports_pool_and_record_corruption(void **state)
{
	phys_addr_t a, start, end, top;
	unsigned long nslabs;
	unsigned long s;

	(void)state;
	a = map(some_ram(), 3 * IO_TLB_SIZE);
	s = slot_of(a);
	assert_int_equal(s, 0);

	/* A pool that is not a whole number of segments. */
	nslabs = io_tlb.nslabs;
	io_tlb.nslabs = nslabs - 1;
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("511 slots is not a whole number of segments");
	io_tlb.nslabs = 0;
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_warned("0 slots is not a whole number of segments");
	io_tlb.nslabs = nslabs;
	assert_pool_ok();

	/* A pool that ends above ZONE_DMA (and so is not the RAM allocated). */
	start = io_tlb.start;
	end = io_tlb.end;
	io_tlb.end = IOSIM_ZONE_DMA_LIMIT + IO_TLB_SIZE;
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_true(iosim_warn_seen("is not in ZONE_DMA"));
	assert_warned("pool pages are not allocated RAM");
	/* A pool over free RAM: the top of RAM, where nothing was allocated. */
	top = RAM_LOW_BASE + (64ULL << 20);
	io_tlb.start = top - POOL_BYTES;
	io_tlb.end = top;
	assert_false(iosim_phys_is_allocated(top - 1));
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("pool pages are not allocated RAM");
	io_tlb.start = start;
	io_tlb.end = end;
	assert_pool_ok();

	/* A second head inside the mapping (it still ends where the mapping does). */
	io_tlb.io_tlb_nslots[s + 1] = 2;
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("slot 1 heads a mapping but is free or inside another");
	io_tlb.io_tlb_nslots[s + 1] = 0;
	/* A head on a free slot. */
	io_tlb.io_tlb_nslots[40] = 1;
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_true(iosim_warn_seen("slot 40 heads a mapping but is free or inside another"));
	assert_warned("slot 40 inside a mapping is free");
	io_tlb.io_tlb_nslots[40] = 0;

	/* A mapping that claims a free slot after its end. */
	io_tlb.io_tlb_nslots[s] = 4;
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("slot 3 inside a mapping is free");
	/* One that runs into the next segment. */
	io_tlb.io_tlb_nslots[s] = IO_TLB_SEGSIZE + 1;
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_true(iosim_warn_seen("mapping at slot 0 (129 slots) crosses its segment"));
	assert_warned("slot 3 inside a mapping is free");
	io_tlb.io_tlb_nslots[s] = 3;
	assert_pool_ok();

	/* An original address out of step with the mapping's first. */
	io_tlb.io_tlb_orig_addr[s + 1] += 1;
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("slot 1 original address does not follow its mapping's");
	io_tlb.io_tlb_orig_addr[s + 1] -= 1;

	/* The used-slot counter disagrees with the slots. */
	io_tlb.stats.slots_used++;
	assert_int_equal(iosim_swiotlb_check(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("3 slots used, counter says 4");
	io_tlb.stats.slots_used--;
	assert_pool_ok();
	unmap(a, 3 * IO_TLB_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		POOL_TEST(test_swiotlb_pool_sits_in_zone_dma),
		cmocka_unit_test(test_swiotlb_init_without_zone_dma_is_unavailable),
		POOL_TEST(test_swiotlb_small_maps_take_consecutive_slots),
		POOL_TEST(test_swiotlb_maps_never_cross_a_segment),
		POOL_TEST(test_swiotlb_maps_honour_the_segment_boundary),
		POOL_TEST(test_swiotlb_maps_over_a_page_are_page_aligned),
		POOL_TEST(test_swiotlb_exactly_page_sized_map_takes_the_next_slot),
		POOL_TEST(test_swiotlb_full_pool_fails_and_recovers),
		POOL_TEST(test_swiotlb_copies_follow_the_direction),
		POOL_TEST(test_swiotlb_zero_size_bounce_is_a_bug),
		POOL_TEST(test_swiotlb_undirected_calls_are_bugs_and_change_nothing),
		POOL_TEST(test_swiotlb_boundary_mask_not_a_power_of_two_is_a_bug),
		POOL_TEST(test_swiotlb_full_pool_reports_as_swiotlb_full),
		POOL_TEST(test_swiotlb_force_bounces_reachable_buffers),
		POOL_TEST(test_swiotlb_misuse_is_warned_and_ignored),
		POOL_TEST(test_swiotlb_exit_with_slots_in_use_warns_and_frees),
		POOL_TEST(test_swiotlb_init_failure_sweep_leaves_nothing),
		POOL_TEST(test_swiotlb_size_rounds_to_segments),
		POOL_TEST(test_swiotlb_check_detects_corruption),
		POOL_TEST(test_swiotlb_kernel_init_free_and_print_info),
		POOL_TEST(test_swiotlb_search_start_rounded_past_the_end_wraps),
		POOL_TEST(test_swiotlb_check_reports_pool_and_record_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
