// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DMA-API debugging when the host is out of memory (IOSIM_FAULT_HOST): an
 * entry, a device's record, an index's table or a bus's notifier that
 * cannot be allocated.  Debugging disables itself with one OUT_OF_ENTRIES
 * report, as when the entry pool runs out; nothing half-indexed stays
 * behind; a reset brings it back.  Taking an entry out of an index never
 * allocates.  A bus whose record fails is not watched, and a later call
 * adds it.  The dump without memory for its sorting prints the same lines.
 */
#include <linux/kernel.h>
#include "ram_fixture.h"
#include "dump_capture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/dma-mapping.h>
#include <linux/dma-debug.h>
#include <iosim/device.h>
#include <iosim/dma_debug.h>
#include <iosim/fault.h>
#include <iosim/log.h>

#define IOVA_BASE	0x100000000ULL	/* fabricated DMA addresses, above 4 GiB */
#define HOST		IOSIM_FAULT_SITE(IOSIM_FAULT_HOST)

struct fixture {
	struct device *dev;
	struct page *page;
};

#define SITE() iosim_dma_debug_site(__FILE__, __LINE__)

static int setup(void **state)
{
	struct iosim_device_config cfg = { .name = "dbg-host" };
	struct fixture *f;
	int ret = iosim_test_setup_ram(state);

	if (ret)
		return ret;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	iosim_log_set_console_level(0);
	iosim_dma_debug_reset();
	f->dev = iosim_device_create(&cfg);
	f->page = alloc_page(GFP_KERNEL);
	if (!f->dev || !f->page)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(iosim_dma_debug_check(), 0);
	iosim_dma_debug_reset();
	__free_page(f->page);
	iosim_device_destroy(f->dev);
	free(f);
	iosim_log_set_console_level(5);
	return iosim_test_teardown_ram(state);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

static void map_dir_at(struct fixture *f, struct device *dev, size_t off, dma_addr_t dma,
		       enum dma_data_direction dir)
{
	SITE();
	debug_dma_map_page(dev, f->page, off, 64, dir, dma, false);
	debug_dma_mapping_error(dev, dma);
}

static void unmap_dir_at(struct fixture *f, dma_addr_t dma, enum dma_data_direction dir)
{
	SITE();
	debug_dma_unmap_page(f->dev, dma, 64, dir, false);
}

static void map_at(struct fixture *f, struct device *dev, size_t off)
{
	map_dir_at(f, dev, off, IOVA_BASE + off, DMA_TO_DEVICE);
}

/*
 * After a disable: one report, @live entries tracked (what was added before
 * the failure stays, as in the kernel), the checker content; a reset
 * restores it.
 */
static void assert_disabled_then_restored(struct fixture *f, unsigned long live)
{
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_OUT_OF_ENTRIES), 1);
	assert_int_equal(iosim_dma_debug_total(), 1);
	assert_false(iosim_dma_debug_enabled());
	assert_int_equal(iosim_dma_debug_live(NULL), live);
	assert_int_equal(iosim_dma_debug_check(), 0);
	/* Disabled: an unmap of what was never tracked is not reported. */
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, false);
	assert_int_equal(iosim_dma_debug_total(), 1);

	iosim_dma_debug_reset();
	assert_true(iosim_dma_debug_enabled());
	map_at(f, f->dev, 0);
	assert_int_equal(iosim_dma_debug_live(f->dev), 1);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, false);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_int_equal(iosim_dma_debug_total(), 0);
	assert_int_equal(iosim_dma_debug_check(), 0);
}

/*
 * The first mapping of a device allocates an entry, the device's record and
 * the tables of the device and address indexes (a header and a bucket array
 * each); a DMA_FROM_DEVICE one the cache-line index's table too.
 */
static void test_first_mapping_of_a_device_counts_its_host_allocations(void **state)
{
	struct fixture *f = *state;

	iosim_fault_reset();
	map_at(f, f->dev, 0);
	assert_int_equal(iosim_fault_calls(HOST), 6);
	/* The second comes from the pool's new entry only. */
	map_at(f, f->dev, 512);
	assert_int_equal(iosim_fault_calls(HOST), 7);
	assert_int_equal(iosim_dma_debug_live(f->dev), 2);
	unmap_dir_at(f, IOVA_BASE, DMA_TO_DEVICE);
	unmap_dir_at(f, IOVA_BASE + 512, DMA_TO_DEVICE);
	/* A recycled entry needs no host memory; the emptied address index does. */
	map_at(f, f->dev, 0);
	assert_int_equal(iosim_fault_calls(HOST), 9);
	unmap_dir_at(f, IOVA_BASE, DMA_TO_DEVICE);
	assert_int_equal(iosim_dma_debug_total(), 0);

	iosim_dma_debug_reset();
	iosim_fault_reset();
	map_dir_at(f, f->dev, 0, IOVA_BASE, DMA_FROM_DEVICE);
	assert_int_equal(iosim_fault_calls(HOST), 8);
	unmap_dir_at(f, IOVA_BASE, DMA_FROM_DEVICE);
	assert_int_equal(iosim_dma_debug_total(), 0);
}

/* Each of a first mapping's host allocations failing: disabled, nothing left half-indexed. */
static void test_every_host_failure_of_a_first_mapping_disables_debugging(void **state)
{
	static const enum dma_data_direction dirs[] = { DMA_TO_DEVICE, DMA_FROM_DEVICE };
	struct fixture *f = *state;
	unsigned long calls, n;
	unsigned int d;

	for (d = 0; d < ARRAY_SIZE(dirs); d++) {
		iosim_dma_debug_reset();
		iosim_fault_reset();
		map_dir_at(f, f->dev, 0, IOVA_BASE, dirs[d]);
		calls = iosim_fault_calls(HOST);
		unmap_dir_at(f, IOVA_BASE, dirs[d]);
		assert_int_equal(iosim_dma_debug_total(), 0);
		for (n = 1; n <= calls; n++) {
			iosim_dma_debug_reset();
			iosim_fault_fail_nth(HOST, n);
			map_dir_at(f, f->dev, 0, IOVA_BASE, dirs[d]);
			assert_int_equal(iosim_fault_injected(), 1);
			iosim_fault_reset();
			assert_disabled_then_restored(f, 0);
		}
	}
}

/* What a sweep of a mapping call runs: map, or undo what map made. */
enum sweep_op { SWEEP_MAP, SWEEP_UNMAP };

/* Three segments in the fixture's page, 1 KiB apart, each a DMA address of its own. */
static void sg_sweep_op(struct fixture *f, enum sweep_op op)
{
	struct scatterlist sg[3], *s;
	int i;

	sg_init_table(sg, ARRAY_SIZE(sg));
	for_each_sg(sg, s, (int)ARRAY_SIZE(sg), i) {
		sg_set_page(s, f->page, 64, (unsigned int)i * 1024);
		sg_dma_address(s) = IOVA_BASE + (dma_addr_t)i * 1024;
		sg_dma_len(s) = 64;
	}
	SITE();
	if (op == SWEEP_MAP)
		debug_dma_map_sg(f->dev, sg, ARRAY_SIZE(sg), ARRAY_SIZE(sg), DMA_TO_DEVICE);
	else
		debug_dma_unmap_sg(f->dev, sg, ARRAY_SIZE(sg), DMA_TO_DEVICE);
}

static void coherent_sweep_op(struct fixture *f, enum sweep_op op)
{
	SITE();
	if (op == SWEEP_MAP)
		debug_dma_alloc_coherent(f->dev, 256, IOVA_BASE, page_address(f->page));
	else
		debug_dma_free_coherent(f->dev, 256, page_address(f->page), IOVA_BASE);
}

/*
 * Count @op's host allocations on a fresh state, then fail each in turn.
 * The first entry takes FIRST_ENTRY_CALLS (entry, device record, the device
 * and address indexes' tables), every later one one call, its entry.
 */
#define FIRST_ENTRY_CALLS	6

static void sweep_host_failures(struct fixture *f, void (*op)(struct fixture *, enum sweep_op),
				unsigned long expected_calls)
{
	unsigned long calls, n;

	iosim_dma_debug_reset();
	iosim_fault_reset();
	op(f, SWEEP_MAP);
	calls = iosim_fault_calls(HOST);
	assert_int_equal(calls, expected_calls);
	op(f, SWEEP_UNMAP);
	assert_int_equal(iosim_dma_debug_total(), 0);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	for (n = 1; n <= calls; n++) {
		iosim_dma_debug_reset();
		iosim_fault_fail_nth(HOST, n);
		op(f, SWEEP_MAP);
		assert_int_equal(iosim_fault_injected(), 1);
		iosim_fault_reset();
		/* The entries added before the failing one stay. */
		assert_disabled_then_restored(f, n <= FIRST_ENTRY_CALLS ? 0 : n - FIRST_ENTRY_CALLS);
	}
}

/*
 * A scatterlist whose second or third segment gets no entry: debugging
 * stops there with one report, whatever segments are left, and the
 * segments before it stay tracked, whole.
 */
static void test_every_host_failure_of_an_sg_mapping_disables_debugging(void **state)
{
	sweep_host_failures(*state, sg_sweep_op, FIRST_ENTRY_CALLS + 2);
}

static void test_every_host_failure_of_a_coherent_buffer_disables_debugging(void **state)
{
	sweep_host_failures(*state, coherent_sweep_op, FIRST_ENTRY_CALLS);
}

/*
 * Unmapping the oldest of two entries that share an address, or a cache
 * line, moves the other to the head of its index chain: with every host
 * allocation failing, nothing is refused and the other stays found.
 */
static void test_unmapping_a_chain_head_allocates_nothing(void **state)
{
	struct fixture *f = *state;

	/* Two mappings at one DMA address (no IOMMU can do this). */
	map_at(f, f->dev, 0);
	map_at(f, f->dev, 0);
	/* Two device-writable mappings of one cache line: reported, both indexed. */
	map_dir_at(f, f->dev, 1024, IOVA_BASE + SZ_1M, DMA_FROM_DEVICE);
	map_dir_at(f, f->dev, 1024, IOVA_BASE + SZ_2M, DMA_FROM_DEVICE);
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_CACHELINE_OVERLAP), 1);
	assert_int_equal(iosim_dma_debug_live(f->dev), 4);

	iosim_fault_fail_from(HOST, 1);
	unmap_dir_at(f, IOVA_BASE, DMA_TO_DEVICE);
	unmap_dir_at(f, IOVA_BASE + SZ_1M, DMA_FROM_DEVICE);
	assert_int_equal(iosim_fault_calls(HOST), 0);
	assert_int_equal(iosim_dma_debug_check(), 0);
	assert_int_equal(iosim_dma_debug_live(f->dev), 2);
	/* The survivors are still found: their unmaps are not reported. */
	unmap_dir_at(f, IOVA_BASE, DMA_TO_DEVICE);
	unmap_dir_at(f, IOVA_BASE + SZ_2M, DMA_FROM_DEVICE);
	iosim_fault_reset();
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_int_equal(iosim_dma_debug_total(), 1);
	assert_true(iosim_dma_debug_enabled());
}

/* dma_debug_add_bus() without memory for its record watches nothing; a retry does. */
static void test_bus_record_failure_leaves_the_bus_unwatched(void **state)
{
	struct iosim_device_config cfg = { .name = "dbg-host-gone" };
	struct fixture *f = *state;
	struct device *dev = iosim_device_create(&cfg);

	assert_non_null(dev);
	iosim_log_reset();
	iosim_fault_fail_nth(HOST, 1);
	dma_debug_add_bus(dev->bus);
	assert_int_equal(iosim_fault_injected(), 1);
	iosim_fault_reset();
	assert_true(iosim_log_seen("dma_debug_add_bus: out of memory"));

	/* Unwatched: deleting a device with a mapping goes unnoticed. */
	map_at(f, dev, 0);
	iosim_device_destroy(dev);
	assert_int_equal(iosim_dma_debug_total(), 0);
	assert_int_equal(iosim_dma_debug_live(NULL), 1);
	iosim_dma_debug_reset();

	/* Added for real, the same deletion is reported. */
	dev = iosim_device_create(&cfg);
	assert_non_null(dev);
	dma_debug_add_bus(dev->bus);
	map_at(f, dev, 0);
	iosim_device_destroy(dev);
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN), 1);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	iosim_dma_debug_remove_bus(f->dev->bus);
}

/*
 * The dump sorts its entries in an array from the host; refused, it walks
 * for each next entry instead: the same lines in the same (hash) order.
 */
static void test_dump_without_host_memory_prints_the_same_lines(void **state)
{
	struct fixture *f = *state;
	char sorted[2048], walked[2048];

	map_dir_at(f, f->dev, 0, IOVA_BASE + 0x6000, DMA_TO_DEVICE);	/* bucket 3 */
	map_dir_at(f, f->dev, 256, IOVA_BASE + 0x2000, DMA_TO_DEVICE);	/* bucket 1 */
	map_dir_at(f, f->dev, 512, IOVA_BASE, DMA_TO_DEVICE);		/* bucket 0 */
	iosim_fault_reset();
	capture_dump(NULL, sorted, sizeof(sorted));
	assert_int_equal(iosim_fault_calls(HOST), 1);
	iosim_fault_fail_nth(HOST, 1);
	capture_dump(NULL, walked, sizeof(walked));
	assert_int_equal(iosim_fault_injected(), 1);
	iosim_fault_reset();
	assert_string_equal(walked, sorted);
	assert_non_null(strstr(sorted, "idx 0 "));
	assert_true(strstr(sorted, "idx 0 ") < strstr(sorted, "idx 1 "));
	assert_true(strstr(sorted, "idx 1 ") < strstr(sorted, "idx 3 "));
	unmap_dir_at(f, IOVA_BASE + 0x6000, DMA_TO_DEVICE);
	unmap_dir_at(f, IOVA_BASE + 0x2000, DMA_TO_DEVICE);
	unmap_dir_at(f, IOVA_BASE, DMA_TO_DEVICE);
	assert_int_equal(iosim_dma_debug_total(), 0);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_first_mapping_of_a_device_counts_its_host_allocations),
		T(test_every_host_failure_of_a_first_mapping_disables_debugging),
		T(test_every_host_failure_of_an_sg_mapping_disables_debugging),
		T(test_every_host_failure_of_a_coherent_buffer_disables_debugging),
		T(test_unmapping_a_chain_head_allocates_nothing),
		T(test_bus_record_failure_leaves_the_bus_unwatched),
		T(test_dump_without_host_memory_prints_the_same_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
