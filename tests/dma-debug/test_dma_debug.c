// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DMA-API debugging (lib/dma-debug): every check provoked through the hooks
 * exactly as the generic DMA API calls them, each asserting exactly one
 * report of its kind; clean sequences that must produce none; filter, fatal
 * mode, dump, teardown, the entry limit; the sanity checker after each step.
 * The "v4.1 fidelity" tests pin what the kernel's lib/dma-debug.c of v4.1
 * does where we once did otherwise (docs/dma-debug.md).
 */
#include <linux/kernel.h>
#include "ram_fixture.h"
#include "test_rng.h"
#include "dump_capture.h"

#include <pthread.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#include <linux/dma-mapping.h>
#include <linux/dma-debug.h>
#include <linux/scatterlist.h>
#include <iosim/device.h>
#include <iosim/dma_debug.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/warn.h>

#include "../../lib/dma-debug/dma-debug-internal.h"	/* the pool's counters */

#define IOVA_BASE	0x100000000ULL	/* fabricated DMA addresses, above 4 GiB */

struct fixture {
	struct device *dev;
	struct device *other;
	struct page *page;		/* 4 pages, order 2 */
};

/* The DMA API records the driver's call site before each hook. */
#define SITE() iosim_dma_debug_site(__FILE__, __LINE__)

#define assert_checked() assert_int_equal(iosim_dma_debug_check(), 0)

/* Exactly @n reports, all of @kind. */
#define assert_only(kind, n) do {					\
	assert_int_equal(iosim_dma_debug_count(kind), (n));		\
	assert_int_equal(iosim_dma_debug_total(), (n));			\
} while (0)

#define assert_clean() assert_int_equal(iosim_dma_debug_total(), 0)

static int setup(void **state)
{
	/* Segments of a few pages pass at every PAGE_SIZE. */
	struct iosim_device_config cfg = { .name = "dbg-dev", .max_segment_size = 16 * PAGE_SIZE };
	struct iosim_device_config cfg2 = { .name = "dbg-other" };
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
	f->other = iosim_device_create(&cfg2);
	f->page = alloc_pages(GFP_KERNEL, 2);
	if (!f->dev || !f->other || !f->page)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	assert_checked();
	iosim_dma_debug_reset();
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	__free_pages(f->page, 2);
	iosim_device_destroy(f->dev);
	iosim_device_destroy(f->other);
	free(f);
	iosim_log_set_console_level(5);
	return iosim_test_teardown_ram(state);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

static phys_addr_t fphys(struct fixture *f)
{
	return page_to_phys(f->page);
}

/* map_single of @len bytes at @off in the fixture's pages, checked. */
static dma_addr_t map_checked(struct fixture *f, size_t off, size_t len, int dir)
{
	dma_addr_t dma = IOVA_BASE + off;

	SITE();
	debug_dma_map_page(f->dev, f->page, off, len, dir, dma, true);
	debug_dma_mapping_error(f->dev, dma);
	return dma;
}

/* map_single of @len bytes at @off in the fixture's pages at handle @dma, checked. */
static void map_at(struct fixture *f, size_t off, size_t len, int dir, dma_addr_t dma)
{
	SITE();
	debug_dma_map_page(f->dev, f->page, off, len, dir, dma, true);
	debug_dma_mapping_error(f->dev, dma);
}

static void unmap_at(struct fixture *f, size_t len, int dir, dma_addr_t dma)
{
	SITE();
	debug_dma_unmap_page(f->dev, dma, len, dir, true);
}

/* -- clean sequences ------------------------------------------------------ */

static void test_clean_single_sequence_reports_nothing(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 2048, DMA_FROM_DEVICE);

	assert_checked();
	assert_int_equal(iosim_dma_debug_live(f->dev), 1);
	iosim_dma_debug_device_access(f->dev, dma, 2048, true);
	SITE();
	debug_dma_sync_single_for_cpu(f->dev, dma, 2048, DMA_FROM_DEVICE);
	assert_checked();
	SITE();
	debug_dma_sync_single_range_for_device(f->dev, dma, 1024, 1024, DMA_FROM_DEVICE);
	iosim_dma_debug_device_access(f->dev, dma + 100, 8, true);
	SITE();
	debug_dma_unmap_page(f->dev, dma, 2048, DMA_FROM_DEVICE, true);
	assert_checked();
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_clean();
}

static void fill_sg(struct fixture *f, struct scatterlist *sg, int nents)
{
	int i;

	sg_init_table(sg, nents);
	for (i = 0; i < nents; i++)
		sg_set_page(&sg[i], f->page + i, PAGE_SIZE, 0);
}

static void test_clean_sg_sequence_reports_nothing(void **state)
{
	struct fixture *f = *state;
	struct scatterlist sg[3];

	fill_sg(f, sg, 3);
	/* an IOMMU merged entries 0 and 1 into one segment */
	sg_dma_address(&sg[0]) = IOVA_BASE;
	sg_dma_len(&sg[0]) = 2 * PAGE_SIZE;
	sg_dma_address(&sg[1]) = IOVA_BASE + 0x100000;
	sg_dma_len(&sg[1]) = PAGE_SIZE;
	SITE();
	debug_dma_map_sg(f->dev, sg, 3, 2, DMA_TO_DEVICE);
	assert_checked();
	assert_int_equal(iosim_dma_debug_live(f->dev), 2);
	iosim_dma_debug_device_access(f->dev, IOVA_BASE, 2 * PAGE_SIZE, false);
	SITE();
	debug_dma_sync_sg_for_cpu(f->dev, sg, 3, DMA_TO_DEVICE);
	SITE();
	debug_dma_sync_sg_for_device(f->dev, sg, 3, DMA_TO_DEVICE);
	iosim_dma_debug_device_access(f->dev, IOVA_BASE + 0x100000, 64, false);
	SITE();
	debug_dma_unmap_sg(f->dev, sg, 3, DMA_TO_DEVICE);
	assert_checked();
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_clean();
}

static void test_clean_coherent_sequence_reports_nothing(void **state)
{
	struct fixture *f = *state;
	void *cpu = page_address(f->page);

	SITE();
	debug_dma_alloc_coherent(f->dev, 2 * PAGE_SIZE, IOVA_BASE, cpu);
	assert_checked();
	iosim_dma_debug_device_access(f->dev, IOVA_BASE, 64, false);
	iosim_dma_debug_device_access(f->dev, IOVA_BASE + PAGE_SIZE, 64, true);
	SITE();
	debug_dma_free_coherent(f->dev, 2 * PAGE_SIZE, cpu, IOVA_BASE);
	assert_checked();
	/* a failed allocation is not recorded */
	debug_dma_alloc_coherent(f->dev, PAGE_SIZE, 0, NULL);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_clean();
}

static void test_same_address_mapped_twice_unmaps_cleanly(void **state)
{
	struct fixture *f = *state;

	/* without an IOMMU, mapping the same memory twice gives the same handle */
	map_checked(f, 0, 256, DMA_TO_DEVICE);
	map_checked(f, 0, 512, DMA_TO_DEVICE);
	assert_checked();
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 512, DMA_TO_DEVICE, true);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 256, DMA_TO_DEVICE, true);
	assert_checked();
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_clean();
}

/* -- unmap and free ------------------------------------------------------- */

static void test_unmap_never_mapped_reports_not_allocated(void **state)
{
	struct fixture *f = *state;
	struct iosim_dma_debug_report r;

	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 4096, DMA_TO_DEVICE, false);
	assert_only(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED, 1);
	assert_true(iosim_dma_debug_last(&r));
	assert_int_equal(r.kind, IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED);
	assert_ptr_equal(r.dev, f->dev);
	assert_int_equal(r.dma_addr, IOVA_BASE);
	assert_int_equal(r.size, 4096);
	assert_string_equal(r.file, __FILE__);
	assert_string_equal(r.message,
		"DMA-API: device driver tries to free DMA memory it has not allocated "
		"[device address=0x0000000100000000] [size=4096 bytes]");
	assert_true(iosim_log_seen("dbg-dev: DMA-API: device driver tries to free DMA memory"));
}

static void test_unmap_twice_reports_not_allocated_once(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 4096, DMA_TO_DEVICE);

	SITE();
	debug_dma_unmap_page(f->dev, dma, 4096, DMA_TO_DEVICE, true);
	assert_clean();
	SITE();
	debug_dma_unmap_page(f->dev, dma, 4096, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED, 1);
	assert_checked();
}

static void test_unmap_error_handle_reports_invalid_address(void **state)
{
	struct fixture *f = *state;

	SITE();
	debug_dma_unmap_page(f->dev, DMA_ERROR_CODE, 4096, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_FREE_INVALID_ADDR, 1);
	/* a failed map is not recorded either */
	debug_dma_map_page(f->dev, f->page, 0, 64, DMA_TO_DEVICE, DMA_ERROR_CODE, true);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
}

static void test_unmap_with_other_size_reports_wrong_size(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 4096, DMA_TO_DEVICE);

	SITE();
	debug_dma_unmap_page(f->dev, dma, 2048, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_FREE_WRONG_SIZE, 1);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
}

static void test_unmap_with_other_direction_reports_wrong_direction(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 4096, DMA_TO_DEVICE);

	SITE();
	debug_dma_unmap_page(f->dev, dma, 4096, DMA_BIDIRECTIONAL, true);
	assert_only(IOSIM_DMA_DEBUG_FREE_WRONG_DIRECTION, 1);
}

static void test_unmap_page_of_single_reports_wrong_function(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 4096, DMA_TO_DEVICE);
	struct iosim_dma_debug_report r;

	SITE();
	debug_dma_unmap_page(f->dev, dma, 4096, DMA_TO_DEVICE, false);
	assert_only(IOSIM_DMA_DEBUG_FREE_WRONG_FUNCTION, 1);
	assert_true(iosim_dma_debug_last(&r));
	assert_non_null(strstr(r.message, "[mapped as single] [unmapped as page]"));
	assert_string_equal(r.map_file, __FILE__);
}

static void test_free_coherent_other_cpu_address_reports_it(void **state)
{
	struct fixture *f = *state;
	char *cpu = page_address(f->page);

	SITE();
	debug_dma_alloc_coherent(f->dev, PAGE_SIZE, IOVA_BASE, cpu);
	SITE();
	debug_dma_free_coherent(f->dev, PAGE_SIZE, cpu + PAGE_SIZE, IOVA_BASE);
	assert_only(IOSIM_DMA_DEBUG_FREE_WRONG_CPU_ADDR, 1);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
}

static void test_unmap_sg_with_mapped_count_reports_wrong_nents(void **state)
{
	struct fixture *f = *state;
	struct scatterlist sg[3];
	int i;

	fill_sg(f, sg, 3);
	for (i = 0; i < 3; i++) {
		sg_dma_address(&sg[i]) = IOVA_BASE + i * 0x10000;
		sg_dma_len(&sg[i]) = PAGE_SIZE;
	}
	SITE();
	debug_dma_map_sg(f->dev, sg, 3, 2, DMA_TO_DEVICE);
	/* the seed's confusion: the count dma_map_sg returned, not nents */
	SITE();
	debug_dma_unmap_sg(f->dev, sg, 2, DMA_TO_DEVICE);
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_FREE_SG_WRONG_NENTS), 2);
	assert_int_equal(iosim_dma_debug_total(), 2);	/* one per segment, as the kernel */
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_checked();
}

static void test_map_error_unchecked_reported_at_unmap(void **state)
{
	struct fixture *f = *state;

	SITE();
	debug_dma_map_page(f->dev, f->page, 0, 64, DMA_TO_DEVICE, IOVA_BASE, true);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_MAP_ERROR_NOT_CHECKED, 1);
	assert_true(iosim_log_seen("device driver failed to check map error[device address=0x0000000100000000] [size=64 bytes] [mapped as single]"));
}

static void test_map_error_unchecked_reported_once_at_first_use(void **state)
{
	struct fixture *f = *state;

	SITE();
	debug_dma_map_page(f->dev, f->page, 0, 64, DMA_TO_DEVICE, IOVA_BASE, false);
	iosim_dma_debug_device_access(f->dev, IOVA_BASE, 64, false);
	assert_only(IOSIM_DMA_DEBUG_MAP_ERROR_NOT_CHECKED, 1);
	iosim_dma_debug_device_access(f->dev, IOVA_BASE, 64, false);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, false);
	assert_only(IOSIM_DMA_DEBUG_MAP_ERROR_NOT_CHECKED, 1);
}

/* -- sync ----------------------------------------------------------------- */

static void test_sync_never_mapped_reports_not_allocated(void **state)
{
	struct fixture *f = *state;

	SITE();
	debug_dma_sync_single_for_cpu(f->dev, IOVA_BASE, 64, DMA_FROM_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_SYNC_NOT_ALLOCATED, 1);
}

/*
 * As v4.1's check_sync(): only an entry holding the whole range matches, so
 * a sync running past the end of its mapping is "not allocated", reported
 * with the sync's own address and size, and nothing else is checked or done
 * (the buffer stays the device's).
 */
static void test_sync_past_mapping_end_reports_not_allocated(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 1024, DMA_FROM_DEVICE);
	struct iosim_dma_debug_report r;

	SITE();
	debug_dma_sync_single_range_for_cpu(f->dev, dma, 512, 1024, DMA_TO_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_SYNC_NOT_ALLOCATED, 1);
	assert_true(iosim_dma_debug_last(&r));
	assert_string_equal(r.message,
		"DMA-API: device driver tries to sync DMA memory it has not allocated "
		"[device address=0x0000000100000000] [size=1536 bytes]");
	assert_int_equal(r.dma_addr, dma);
	assert_int_equal(r.size, 1536);
	SITE();
	debug_dma_sync_single_for_cpu(f->dev, dma + 512, 1024, DMA_FROM_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_SYNC_NOT_ALLOCATED, 2);
	assert_true(iosim_log_seen("tries to sync DMA memory it has not allocated "
				   "[device address=0x0000000100000200] [size=1024 bytes]"));
	/* not handed to the CPU: the device may still write */
	iosim_dma_debug_device_access(f->dev, dma, 64, true);
	SITE();
	debug_dma_unmap_page(f->dev, dma, 1024, DMA_FROM_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_SYNC_NOT_ALLOCATED, 2);
}

/*
 * The one way to v4.1's "outside allocated range": a size whose end, the
 * kernel's u64 sum, wraps past 2^64 back into the mapping (a driver's
 * negative length).  The report names the mapping, the range sync's
 * handle and its offset + size.
 */
static void test_sync_with_a_wrapping_size_reports_outside_allocated_range(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 1024, DMA_FROM_DEVICE);
	struct iosim_dma_debug_report r;

	SITE();
	debug_dma_sync_single_range_for_cpu(f->dev, dma, 256, (size_t)-512, DMA_FROM_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_SYNC_OUT_OF_RANGE, 1);
	assert_true(iosim_dma_debug_last(&r));
	assert_string_equal(r.message,
		"DMA-API: device driver syncs DMA memory outside allocated range "
		"[device address=0x0000000100000000] [allocation size=1024 bytes] "
		"[sync offset+size=18446744073709551360]");
	assert_int_equal(r.dma_addr, dma);
	assert_int_equal(r.size, (u64)-256);
	SITE();
	debug_dma_unmap_page(f->dev, dma, 1024, DMA_FROM_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_SYNC_OUT_OF_RANGE, 1);
}

static void test_sync_in_other_direction_reports_wrong_direction(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 1024, DMA_TO_DEVICE);

	SITE();
	debug_dma_sync_single_for_device(f->dev, dma, 1024, DMA_FROM_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_SYNC_WRONG_DIRECTION, 1);
}

static void test_sync_to_device_memory_for_cpu_reports_read_only(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 1024, DMA_TO_DEVICE);

	/* as the kernel: a wrong direction that also makes a read-only sync */
	SITE();
	debug_dma_sync_single_for_cpu(f->dev, dma, 1024, DMA_BIDIRECTIONAL);
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_SYNC_READ_ONLY_FOR_CPU), 1);
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_SYNC_WRONG_DIRECTION), 1);
	assert_int_equal(iosim_dma_debug_total(), 2);
}

static void test_sync_from_device_memory_to_device_reports_write_only(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 1024, DMA_FROM_DEVICE);

	SITE();
	debug_dma_sync_single_for_device(f->dev, dma, 1024, DMA_BIDIRECTIONAL);
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_SYNC_WRITE_ONLY_TO_DEVICE), 1);
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_SYNC_WRONG_DIRECTION), 1);
	assert_int_equal(iosim_dma_debug_total(), 2);
}

static void test_sync_sg_with_mapped_count_reports_wrong_nents(void **state)
{
	struct fixture *f = *state;
	struct scatterlist sg[2];

	fill_sg(f, sg, 2);
	sg_dma_address(&sg[0]) = IOVA_BASE;
	sg_dma_len(&sg[0]) = 2 * PAGE_SIZE;
	SITE();
	debug_dma_map_sg(f->dev, sg, 2, 1, DMA_FROM_DEVICE);
	SITE();
	debug_dma_sync_sg_for_cpu(f->dev, sg, 1, DMA_FROM_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_SYNC_SG_WRONG_NENTS, 1);
	SITE();
	debug_dma_unmap_sg(f->dev, sg, 2, DMA_FROM_DEVICE);
	assert_int_equal(iosim_dma_debug_total(), 1);
}

/* -- map-time checks ------------------------------------------------------ */

static void test_sg_segment_over_max_size_reported(void **state)
{
	struct fixture *f = *state;
	struct scatterlist sg[1];

	fill_sg(f, sg, 1);
	sg_dma_address(&sg[0]) = IOVA_BASE;
	sg_dma_len(&sg[0]) = 16 * PAGE_SIZE + PAGE_SIZE;	/* max_segment_size is 16 pages */
	SITE();
	debug_dma_map_sg(f->dev, sg, 1, 1, DMA_TO_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_SG_SEGMENT_TOO_LONG, 1);
	assert_true(iosim_log_seen("mapping sg segment longer than device claims to support"));
	SITE();
	debug_dma_unmap_sg(f->dev, sg, 1, DMA_TO_DEVICE);
	assert_int_equal(iosim_dma_debug_total(), 1);
}

static void test_sg_segment_across_boundary_reported(void **state)
{
	struct fixture *f = *state;
	struct scatterlist sg[1];

	fill_sg(f, sg, 1);
	/* straddles the 4 GiB boundary of the default 0xffffffff mask */
	sg_dma_address(&sg[0]) = 0x100000000ULL - 2048;
	sg_dma_len(&sg[0]) = SZ_4K;
	SITE();
	debug_dma_map_sg(f->dev, sg, 1, 1, DMA_TO_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_SG_SEGMENT_BOUNDARY, 1);
	assert_true(iosim_log_seen("mapping sg segment across boundary [start=0x00000000fffff800] [end=0x00000001000007ff] [boundary=0x00000000ffffffff]"));
}

static void test_shared_cacheline_of_two_receive_buffers_reported(void **state)
{
	struct fixture *f = *state;

	/* two 64-byte receive buffers in one 128-byte cache line */
	map_checked(f, 0, 64, DMA_FROM_DEVICE);
	assert_clean();
	SITE();
	debug_dma_map_page(f->dev, f->page, 64, 64, DMA_FROM_DEVICE, IOVA_BASE + 0x1000, true);
	debug_dma_mapping_error(f->dev, IOVA_BASE + 0x1000);
	assert_only(IOSIM_DMA_DEBUG_CACHELINE_OVERLAP, 1);
	assert_checked();
	/* transmit buffers sharing a line are harmless: not reported */
	map_checked(f, 256, 64, DMA_TO_DEVICE);
	SITE();
	debug_dma_map_page(f->dev, f->page, 320, 64, DMA_TO_DEVICE, IOVA_BASE + 0x2000, true);
	debug_dma_mapping_error(f->dev, IOVA_BASE + 0x2000);
	assert_only(IOSIM_DMA_DEBUG_CACHELINE_OVERLAP, 1);
	assert_checked();
}

static void test_map_single_of_vmalloc_memory_reported(void **state)
{
	struct fixture *f = *state;
	void *v = vmalloc(PAGE_SIZE);

	assert_non_null(v);
	assert_false(iosim_dma_debug_map_single(f->dev, v, 64));
	assert_only(IOSIM_DMA_DEBUG_VMALLOC, 1);
	vfree(v);
}

static void test_map_single_of_stack_memory_reported(void **state)
{
	struct fixture *f = *state;
	char buf[64];

	memset(buf, 0, sizeof(buf));
	assert_false(iosim_dma_debug_map_single(f->dev, buf, sizeof(buf)));
	assert_only(IOSIM_DMA_DEBUG_STACK, 1);
}

static void test_map_single_outside_ram_reported(void **state)
{
	struct fixture *f = *state;
	void *host = malloc(64);

	assert_non_null(host);
	assert_false(iosim_dma_debug_map_single(f->dev, host, 64));
	assert_only(IOSIM_DMA_DEBUG_NOT_RAM, 1);
	free(host);
	/* linear-map memory is fine */
	assert_true(iosim_dma_debug_map_single(f->dev, page_address(f->page), 64));
	assert_only(IOSIM_DMA_DEBUG_NOT_RAM, 1);
}

static void test_map_page_running_off_ram_reported(void **state)
{
	struct fixture *f = *state;
	struct page *last = pfn_to_page((iosim_ram_base_phys() >> PAGE_SHIFT) +
					iosim_ram_nr_pages() - 1);

	SITE();
	debug_dma_map_page(f->dev, last, 0, 2 * PAGE_SIZE, DMA_TO_DEVICE, IOVA_BASE, false);
	assert_only(IOSIM_DMA_DEBUG_NOT_RAM, 1);
	SITE();
	debug_dma_map_page(f->dev, (struct page *)&f, 0, 64, DMA_TO_DEVICE, IOVA_BASE + 0x10000,
			   false);
	assert_only(IOSIM_DMA_DEBUG_NOT_RAM, 2);
	assert_checked();
}

/* A scatterlist entry whose page is not RAM: reported by its index, the others tracked. */
static void test_map_sg_entry_outside_ram_reported(void **state)
{
	struct fixture *f = *state;
	struct scatterlist sg[3];
	int i;

	fill_sg(f, sg, 3);
	sg_set_page(&sg[1], (struct page *)&f, 64, 0);
	for (i = 0; i < 3; i++) {
		sg_dma_address(&sg[i]) = IOVA_BASE + (dma_addr_t)i * 0x10000;
		sg_dma_len(&sg[i]) = sg[i].length;
	}
	SITE();
	debug_dma_map_sg(f->dev, sg, 3, 3, DMA_TO_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_NOT_RAM, 1);
	assert_true(iosim_log_seen("maps memory from invalid area [sg entry=1]"));
	assert_int_equal(iosim_dma_debug_live(f->dev), 3);
	assert_checked();
	SITE();
	debug_dma_unmap_sg(f->dev, sg, 3, DMA_TO_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_NOT_RAM, 1);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
}

/* -- device side ---------------------------------------------------------- */

static void test_device_access_after_unmap_reported(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 4096, DMA_FROM_DEVICE);

	SITE();
	debug_dma_unmap_page(f->dev, dma, 4096, DMA_FROM_DEVICE, true);
	iosim_dma_debug_device_access(f->dev, dma + 8, 8, true);
	assert_only(IOSIM_DMA_DEBUG_DEVICE_NO_MAPPING, 1);
	assert_true(iosim_log_seen("device writes DMA memory after it was unmapped [device address=0x0000000100000008] [size=8 bytes]"));
}

static void test_device_access_never_mapped_reported(void **state)
{
	struct fixture *f = *state;
	struct iosim_dma_debug_report r;

	iosim_dma_debug_device_access(f->other, IOVA_BASE, 16, false);
	assert_only(IOSIM_DMA_DEBUG_DEVICE_NO_MAPPING, 1);
	assert_true(iosim_dma_debug_last(&r));
	assert_null(r.file);	/* device side: no DMA API call */
	assert_string_equal(r.dev_name, "dbg-other");
}

/* An access that runs past the top of the 64-bit space: no mapping holds it, one report. */
static void test_device_access_wrapping_the_address_space_reported(void **state)
{
	struct fixture *f = *state;
	const dma_addr_t top = ~(dma_addr_t)0 - 15;
	struct iosim_dma_debug_report r;

	map_checked(f, 0, 256, DMA_TO_DEVICE);
	iosim_dma_debug_device_access(f->dev, top, 32, false);
	assert_only(IOSIM_DMA_DEBUG_DEVICE_NO_MAPPING, 1);
	assert_true(iosim_dma_debug_last(&r));
	assert_int_equal(r.dma_addr, top);
	/* The run it names ends where the space does; the wrapped rest is not an address. */
	assert_int_equal(r.size, 16);
}

static void test_device_access_running_past_mapping_reported(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 256, DMA_TO_DEVICE);
	struct iosim_dma_debug_report r;

	iosim_dma_debug_device_access(f->dev, dma + 128, 256, false);
	assert_only(IOSIM_DMA_DEBUG_DEVICE_NO_MAPPING, 1);
	assert_true(iosim_dma_debug_last(&r));
	assert_int_equal(r.dma_addr, dma + 256);
	assert_int_equal(r.size, 128);
}

static void test_device_write_to_transmit_buffer_reported(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 256, DMA_TO_DEVICE);

	iosim_dma_debug_device_access(f->dev, dma, 256, true);
	assert_only(IOSIM_DMA_DEBUG_DEVICE_WRITE_TO_DEVICE, 1);
}

static void test_device_read_of_receive_buffer_reported(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 256, DMA_FROM_DEVICE);

	iosim_dma_debug_device_access(f->dev, dma, 4, false);
	assert_only(IOSIM_DMA_DEBUG_DEVICE_READ_FROM_DEVICE, 1);
}

static void test_device_access_while_cpu_owns_reported(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 256, DMA_BIDIRECTIONAL);

	SITE();
	debug_dma_sync_single_for_cpu(f->dev, dma, 256, DMA_BIDIRECTIONAL);
	iosim_dma_debug_device_access(f->dev, dma, 16, true);
	assert_only(IOSIM_DMA_DEBUG_DEVICE_CPU_OWNED, 1);
	SITE();
	debug_dma_sync_single_for_device(f->dev, dma, 256, DMA_BIDIRECTIONAL);
	iosim_dma_debug_device_access(f->dev, dma, 16, true);
	assert_only(IOSIM_DMA_DEBUG_DEVICE_CPU_OWNED, 1);
}

static void test_lost_cpu_write_reported_against_its_mapping(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 512, 256, DMA_FROM_DEVICE);
	struct iosim_dma_debug_report r;

	iosim_dma_debug_lost_write(f->dev, fphys(f) + 600, 8);
	assert_only(IOSIM_DMA_DEBUG_CPU_WRITE_DEVICE_OWNED, 1);
	assert_true(iosim_dma_debug_last(&r));
	assert_int_equal(r.dma_addr, dma);
	assert_string_equal(r.map_file, __FILE__);
	/* found at unmap time, after the entry is gone: the recent unmap names it */
	SITE();
	debug_dma_unmap_page(f->dev, dma, 256, DMA_FROM_DEVICE, true);
	iosim_dma_debug_lost_write(f->dev, fphys(f) + 520, 8);
	assert_only(IOSIM_DMA_DEBUG_CPU_WRITE_DEVICE_OWNED, 2);
	assert_true(iosim_log_seen("now unmapped"));
}

/* -- lifetime, filter, fatal, dump, limits ------------------------------- */

static void test_teardown_lists_leftovers_with_call_site(void **state)
{
	struct fixture *f = *state;
	char where[300];
	int line;

	map_checked(f, 0, 256, DMA_TO_DEVICE);
	line = __LINE__ + 1;
	SITE();
	debug_dma_alloc_coherent(f->dev, PAGE_SIZE, IOVA_BASE + 0x10000, page_address(f->page + 1));
	map_checked(f, 0, 64, DMA_TO_DEVICE);
	assert_int_equal(iosim_dma_debug_live(f->dev), 3);
	assert_int_equal(iosim_dma_debug_device_teardown(f->dev), 3);
	assert_only(IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN, 1);
	assert_true(iosim_log_seen("pending DMA allocations while released from device [count=3]"));
	snprintf(where, sizeof(where), "leaked coherent [device address=0x0000000100010000] [size=%lu bytes] [DMA_BIDIRECTIONAL] made at %s:%d",
		 PAGE_SIZE, __FILE__, line);
	assert_true(iosim_log_seen(where));
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_checked();
	/* nothing left: a second teardown reports nothing */
	assert_int_equal(iosim_dma_debug_device_teardown(f->dev), 0);
	assert_only(IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN, 1);
}

static void test_bus_notifier_reports_device_deleted_with_mappings(void **state)
{
	struct iosim_device_config cfg = { .name = "dbg-gone" };
	struct fixture *f = *state;
	struct device *dev = iosim_device_create(&cfg);

	assert_non_null(dev);
	dma_debug_add_bus(dev->bus);
	dma_debug_add_bus(dev->bus);	/* once is enough */
	SITE();
	debug_dma_map_page(dev, f->page, 0, 64, DMA_TO_DEVICE, IOVA_BASE, false);
	iosim_device_destroy(dev);
	assert_only(IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN, 1);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	iosim_dma_debug_remove_bus(f->dev->bus);
	assert_checked();
}

/*
 * A driver released (device_release_driver()) from a device that still
 * holds DMA memory: reported, and the entries kept, so the late unmap still
 * finds its mapping.  Debugging turned off hears nothing.
 */
static void test_driver_released_with_mappings_is_reported_and_they_are_kept(void **state)
{
	struct iosim_device_config cfg = { .name = "dbg-unbound" };
	struct device_driver drv = { .name = "dbg-drv" };
	struct fixture *f = *state;
	struct device *dev = iosim_device_create(&cfg);

	assert_non_null(dev);
	dma_debug_add_bus(dev->bus);
	dev->driver = &drv;
	assert_int_equal(device_bind_driver(dev), 0);
	SITE();
	debug_dma_map_page(dev, f->page, 0, 64, DMA_TO_DEVICE, IOVA_BASE, false);
	debug_dma_mapping_error(dev, IOVA_BASE);
	device_release_driver(dev);
	assert_only(IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN, 1);
	assert_true(iosim_log_seen("pending DMA allocations while released from device [count=1]"));
	assert_int_equal(iosim_dma_debug_live(dev), 1);
	assert_checked();

	iosim_dma_debug_set_enabled(false);
	dev->driver = &drv;
	assert_int_equal(device_bind_driver(dev), 0);
	device_release_driver(dev);
	assert_only(IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN, 1);
	iosim_dma_debug_set_enabled(true);

	SITE();
	debug_dma_unmap_page(dev, IOVA_BASE, 64, DMA_TO_DEVICE, false);
	assert_only(IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN, 1);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	iosim_device_destroy(dev);
	assert_only(IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN, 1);
	iosim_dma_debug_remove_bus(f->dev->bus);
	assert_checked();
}

static void test_driver_filter_keeps_other_devices_quiet(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(iosim_dma_debug_set_driver_filter("dbg-other"), 0);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, true);
	assert_clean();
	assert_int_equal(iosim_dma_debug_error_count(), 1);
	SITE();
	debug_dma_unmap_page(f->other, IOVA_BASE, 64, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED, 1);
	assert_int_equal(iosim_dma_debug_error_count(), 2);
	assert_int_equal(iosim_dma_debug_set_driver_filter(NULL), 0);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED, 2);
	assert_int_equal(iosim_dma_debug_set_driver_filter(
		"a-name-far-too-long-for-the-filter-buffer-of-sixty-four-characters"), -EINVAL);
}

/*
 * With a driver bound, the filter matches the driver's name, as the
 * kernel's dma_debug_driver= does, and reports name the driver first.
 */
static void test_driver_filter_matches_a_bound_drivers_name(void **state)
{
	struct device_driver drv = { .name = "dbg-net" };
	struct fixture *f = *state;

	f->dev->driver = &drv;
	assert_int_equal(device_bind_driver(f->dev), 0);
	assert_int_equal(iosim_dma_debug_set_driver_filter("dbg-net"), 0);
	iosim_log_reset();
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED, 1);
	assert_true(iosim_log_seen("dbg-net dbg-dev: DMA-API: device driver tries to free DMA memory it has not allocated"));
	/* The other device has no driver: its name is not the filter's. */
	SITE();
	debug_dma_unmap_page(f->other, IOVA_BASE, 64, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED, 1);
	assert_int_equal(iosim_dma_debug_error_count(), 2);
	/* Released, the device is known by its own name again. */
	device_release_driver(f->dev);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED, 1);
	assert_int_equal(iosim_dma_debug_set_driver_filter(NULL), 0);
}

static void test_fatal_mode_turns_report_into_warn(void **state)
{
	struct fixture *f = *state;

	iosim_dma_debug_set_fatal(true);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED, 1);
	assert_warned("device driver tries to free DMA memory it has not allocated");
	iosim_dma_debug_set_fatal(false);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, true);
	assert_int_equal(iosim_warn_count(), 0);
}

static void test_dump_logs_every_live_entry(void **state)
{
	struct fixture *f = *state;

	map_checked(f, 0, 256, DMA_TO_DEVICE);
	map_checked(f, 1024, 128, DMA_FROM_DEVICE);
	iosim_log_reset();
	iosim_dma_debug_dump(f->dev);
	assert_int_equal(iosim_log_count(), 2);
	assert_true(iosim_log_seen("dbg-dev: single idx"));
	assert_true(iosim_log_seen("D=100000400 L=80 DMA_FROM_DEVICE dma map error checked"));
	iosim_log_reset();
	iosim_dma_debug_dump(f->other);
	assert_int_equal(iosim_log_count(), 0);
	assert_clean();
}

static void test_out_of_entries_reported_once_then_disabled(void **state)
{
	struct fixture *f = *state;
	int i;

	assert_int_equal(dma_debug_resize_entries(2), 0);
	for (i = 0; i < 4; i++)
		map_checked(f, i * 256, 64, DMA_TO_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_OUT_OF_ENTRIES, 1);
	assert_false(iosim_dma_debug_enabled());
	assert_int_equal(iosim_dma_debug_live(NULL), 2);
	/* disabled: the untracked unmaps are not reported */
	for (i = 0; i < 4; i++) {
		SITE();
		debug_dma_unmap_page(f->dev, IOVA_BASE + i * 256, 64, DMA_TO_DEVICE, true);
	}
	assert_only(IOSIM_DMA_DEBUG_OUT_OF_ENTRIES, 1);
	assert_checked();
	/* cannot shrink below what is in use */
	assert_int_equal(dma_debug_resize_entries(1), 1);
	iosim_dma_debug_reset();
	assert_true(iosim_dma_debug_enabled());
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
}

/* Unmap what map_checked(f, @off, 64, DMA_TO_DEVICE) mapped. */
static void unmap_64(struct fixture *f, size_t off)
{
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE + off, 64, DMA_TO_DEVICE, true);
}

/* The pool's entries: calloc'd so far, and recycled ones on the free list. */
static void assert_pool(u32 allocated, u32 free_entries)
{
	u32 nr_allocated, num_free;

	/* Read under the lock, assert outside it (a failure must not leave it held). */
	pthread_mutex_lock(&dbg_lock);
	nr_allocated = dbg.nr_allocated;
	num_free = dbg.num_free_entries;
	pthread_mutex_unlock(&dbg_lock);
	assert_int_equal(nr_allocated, allocated);
	assert_int_equal(num_free, free_entries);
}

/* The next mapping runs out of entries at @limit live: one report, debugging off. */
static void assert_runs_out_at(struct fixture *f, size_t off, unsigned int limit)
{
	struct iosim_dma_debug_report r;

	assert_clean();
	map_checked(f, off, 64, DMA_TO_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_OUT_OF_ENTRIES, 1);
	assert_true(iosim_dma_debug_last(&r));
	assert_string_equal(r.message, "DMA-API: debugging out of memory - disabling");
	assert_false(iosim_dma_debug_enabled());
	assert_int_equal(iosim_dma_debug_live(NULL), limit);
}

/*
 * dma_debug_init() sets how many entries may be live at once: that many
 * mappings are tracked, the next one runs out and disables debugging; 0
 * keeps the size, and the size never drops below the entries in use.
 * Disabled, dma_map_single()'s pointer checks are off too.
 */
static void test_dma_debug_init_sets_the_entry_limit(void **state)
{
	struct fixture *f = *state;
	char stack_buf[64];
	int i;

	iosim_log_reset();
	dma_debug_init(3);
	assert_true(iosim_log_seen("DMA-API: preallocated 3 debug entries"));
	dma_debug_init(0);	/* keeps 3 */
	for (i = 0; i < 3; i++)
		map_checked(f, i * 256, 64, DMA_TO_DEVICE);
	assert_int_equal(iosim_dma_debug_live(NULL), 3);
	assert_checked();
	/* Below the 3 in use: the limit stays at 3. */
	dma_debug_init(2);
	assert_runs_out_at(f, 3 * 256, 3);
	assert_checked();

	/* Debugging is off: a stack buffer passes map_single unreported. */
	memset(stack_buf, 0, sizeof(stack_buf));
	assert_true(iosim_dma_debug_map_single(f->dev, stack_buf, sizeof(stack_buf)));
	assert_only(IOSIM_DMA_DEBUG_OUT_OF_ENTRIES, 1);
	iosim_dma_debug_reset();
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	/* Switched off by the user: the same. */
	iosim_dma_debug_set_enabled(false);
	assert_true(iosim_dma_debug_map_single(f->dev, stack_buf, sizeof(stack_buf)));
	iosim_dma_debug_set_enabled(true);
	assert_clean();
}

/*
 * dma_debug_init() lowering the limit below the entries allocated (recycled,
 * none in use) frees no entry at once, unlike dma_debug_resize_entries():
 * an entry unmapped while more are allocated than the limit is freed instead
 * of recycled, until the pool is down to the limit.
 */
static void test_dma_debug_init_below_the_allocated_entries_trims_on_unmap(void **state)
{
	struct fixture *f = *state;
	int i;

	assert_int_equal(dma_debug_resize_entries(6), 0);
	for (i = 0; i < 4; i++)
		map_checked(f, i * 256, 64, DMA_TO_DEVICE);
	for (i = 0; i < 4; i++)
		unmap_64(f, i * 256);
	assert_pool(4, 4);
	dma_debug_init(2);
	assert_pool(4, 4);
	/* Two mappings take recycled entries; unmapped, both are freed (4 > 2, 3 > 2). */
	map_checked(f, 0, 64, DMA_TO_DEVICE);
	map_checked(f, 256, 64, DMA_TO_DEVICE);
	assert_pool(4, 2);
	unmap_64(f, 0);
	unmap_64(f, 256);
	assert_pool(2, 2);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_clean();
	assert_checked();
	/* The limit is 2: two are tracked, the third runs out. */
	map_checked(f, 0, 64, DMA_TO_DEVICE);
	map_checked(f, 256, 64, DMA_TO_DEVICE);
	assert_pool(2, 0);
	assert_runs_out_at(f, 512, 2);
	assert_checked();
}

/*
 * dma_debug_resize_entries(): shrinking frees recycled entries down to the
 * new limit; below the entries in use it returns 1 and the limit stays at
 * the number in use, even once some are unmapped; growing again returns 0
 * and as many more mappings are tracked, the next one running out.
 */
static void test_resize_entries_shrinks_to_the_entries_in_use_and_grows(void **state)
{
	struct fixture *f = *state;
	int i;

	assert_int_equal(dma_debug_resize_entries(8), 0);
	for (i = 0; i < 6; i++)
		map_checked(f, i * 256, 64, DMA_TO_DEVICE);
	for (i = 2; i < 6; i++)
		unmap_64(f, i * 256);
	assert_int_equal(iosim_dma_debug_live(NULL), 2);
	assert_pool(6, 4);
	assert_checked();

	/* To 4: two of the four recycled entries are freed. */
	assert_int_equal(dma_debug_resize_entries(4), 0);
	assert_pool(4, 2);
	assert_checked();
	/* To 1, below the 2 in use: every recycled entry goes, the limit is 2. */
	assert_int_equal(dma_debug_resize_entries(1), 1);
	assert_pool(2, 0);
	assert_checked();
	/* Unmapping one recycles it; the limit is still 2, not 1. */
	unmap_64(f, 256);
	assert_pool(2, 1);
	map_checked(f, 256, 64, DMA_TO_DEVICE);
	assert_int_equal(iosim_dma_debug_live(NULL), 2);
	assert_pool(2, 0);
	assert_clean();
	assert_checked();

	/* Back up to 5: three more are tracked, the sixth runs out. */
	assert_int_equal(dma_debug_resize_entries(5), 0);
	for (i = 2; i < 5; i++)
		map_checked(f, i * 256, 64, DMA_TO_DEVICE);
	assert_int_equal(iosim_dma_debug_live(NULL), 5);
	assert_pool(5, 0);
	assert_runs_out_at(f, 5 * 256, 5);
	assert_checked();
}

static void test_disabled_tracks_and_reports_nothing(void **state)
{
	struct fixture *f = *state;

	iosim_dma_debug_set_enabled(false);
	map_checked(f, 0, 64, DMA_TO_DEVICE);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE + 4096, 64, DMA_TO_DEVICE, true);
	iosim_dma_debug_device_access(f->dev, 0, 64, true);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_clean();
	iosim_dma_debug_set_enabled(true);
	assert_true(iosim_dma_debug_enabled());
}

static void test_clear_forgets_reports_but_not_entries(void **state)
{
	struct fixture *f = *state;
	struct iosim_dma_debug_report r;

	map_checked(f, 0, 64, DMA_TO_DEVICE);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE + 4096, 64, DMA_TO_DEVICE, true);
	assert_int_equal(iosim_dma_debug_total(), 1);
	iosim_dma_debug_clear();
	assert_clean();
	assert_false(iosim_dma_debug_last(&r));
	assert_int_equal(iosim_dma_debug_live(f->dev), 1);
	assert_string_equal(iosim_dma_debug_kind_name(IOSIM_DMA_DEBUG_CACHELINE_OVERLAP),
			    "cacheline_overlap");
	assert_string_equal(iosim_dma_debug_kind_name(IOSIM_DMA_DEBUG_NR_KINDS), "invalid");
}

static void test_random_correct_workload_never_reported(void **state)
{
	struct fixture *f = *state;
	struct slot {
		bool live;
		bool sg;
		bool single;
		int dir;
		size_t off, len;
		struct scatterlist sgl[2];
	} slots[24];
	struct device *devs[2] = { f->dev, f->other };
	int step, i;

	rng_state = 0x5eed;
	memset(slots, 0, sizeof(slots));
	for (step = 0; step < 3000; step++) {
		struct slot *s = &slots[rng_below(ARRAY_SIZE(slots))];
		int idx = s - slots;
		struct device *dev = devs[idx & 1];
		dma_addr_t dma = IOVA_BASE + (u64)idx * 0x100000;

		if (!s->live) {
			/*
			 * Each slot owns its cache lines: 256 bytes of pages 0-1
			 * for a single/page mapping, 128 bytes of each of pages
			 * 2 and 3 for an sg one (merged into one segment).
			 */
			s->dir = (int)rng_below(3);
			s->off = (size_t)idx * 256;
			s->len = 128 * (1 + rng_below(2));
			s->sg = rng_below(2);
			s->single = rng_below(2);
			SITE();
			if (s->sg) {
				s->len = 256;
				sg_init_table(s->sgl, 2);
				sg_set_page(&s->sgl[0], f->page + 2, 128, idx * 128);
				sg_set_page(&s->sgl[1], f->page + 3, 128, idx * 128);
				sg_dma_address(&s->sgl[0]) = dma;
				sg_dma_len(&s->sgl[0]) = 256;
				debug_dma_map_sg(dev, s->sgl, 2, 1, s->dir);
			} else {
				debug_dma_map_page(dev, f->page, s->off, s->len, s->dir, dma,
						   s->single);
				debug_dma_mapping_error(dev, dma);
			}
			s->live = true;
		} else {
			switch (rng_below(4)) {
			case 0:		/* device does its job */
				if (s->dir != DMA_TO_DEVICE)
					iosim_dma_debug_device_access(dev, dma, 64, true);
				if (s->dir != DMA_FROM_DEVICE)
					iosim_dma_debug_device_access(dev, dma, 64, false);
				break;
			case 1:		/* CPU looks, then gives it back */
				SITE();
				if (s->sg) {
					debug_dma_sync_sg_for_cpu(dev, s->sgl, 2, s->dir);
					debug_dma_sync_sg_for_device(dev, s->sgl, 2, s->dir);
				} else {
					debug_dma_sync_single_range_for_cpu(dev, dma, 0, s->len, s->dir);
					debug_dma_sync_single_for_device(dev, dma, s->len, s->dir);
				}
				break;
			default:	/* unmap */
				SITE();
				if (s->sg)
					debug_dma_unmap_sg(dev, s->sgl, 2, s->dir);
				else
					debug_dma_unmap_page(dev, dma, s->len, s->dir,
							     s->single);
				s->live = false;
				break;
			}
		}
		if (step % 64 == 0)
			assert_checked();
		if (iosim_dma_debug_total()) {
			struct iosim_dma_debug_report r;

			assert_true(iosim_dma_debug_last(&r));
			print_error("step %d: %s\n", step, r.message);
		}
		assert_clean();
	}
	for (i = 0; i < (int)ARRAY_SIZE(slots); i++)
		if (slots[i].live)
			assert_true(iosim_dma_debug_live(devs[i & 1]) > 0);
	assert_checked();
}

struct thread_arg {
	struct fixture *f;
	struct device *dev;
	size_t off;
};

static void *map_unmap_thread(void *p)
{
	struct thread_arg *a = p;
	dma_addr_t dma = IOVA_BASE + a->off * 0x1000;
	int i;

	for (i = 0; i < 2000; i++) {
		SITE();
		debug_dma_map_page(a->dev, a->f->page, a->off, 128, DMA_FROM_DEVICE, dma, true);
		debug_dma_mapping_error(a->dev, dma);
		iosim_dma_debug_device_access(a->dev, dma, 128, true);
		SITE();
		debug_dma_unmap_page(a->dev, dma, 128, DMA_FROM_DEVICE, true);
	}
	return NULL;
}

static void test_concurrent_map_unmap_stays_consistent(void **state)
{
	struct fixture *f = *state;
	struct thread_arg args[4];
	pthread_t th[4];
	int i;

	for (i = 0; i < 4; i++) {
		args[i].f = f;
		args[i].dev = (i & 1) ? f->other : f->dev;
		args[i].off = (size_t)i * 256;
		assert_int_equal(pthread_create(&th[i], NULL, map_unmap_thread, &args[i]), 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	assert_clean();
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_checked();
}

static void test_assert_idle_reports_page_under_receive_dma(void **state)
{
	struct fixture *f = *state;

	map_checked(f, 0, 256, DMA_FROM_DEVICE);
	debug_dma_assert_idle(f->page + 1);
	assert_clean();
	debug_dma_assert_idle(f->page);
	assert_only(IOSIM_DMA_DEBUG_CPU_WRITE_DEVICE_OWNED, 1);
	assert_true(iosim_log_seen("cpu touching an active dma mapped cacheline"));
	debug_dma_assert_idle(NULL);
	assert_only(IOSIM_DMA_DEBUG_CPU_WRITE_DEVICE_OWNED, 1);
}

static void test_ambiguous_unmap_of_shared_address_reported(void **state)
{
	struct fixture *f = *state;

	/* two mappings at one handle, the unmap fits neither perfectly (as the kernel) */
	map_checked(f, 0, 256, DMA_TO_DEVICE);
	map_checked(f, 0, 512, DMA_TO_DEVICE);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 1024, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED, 1);
	assert_int_equal(iosim_dma_debug_live(f->dev), 2);
	assert_checked();
}

/* -- v4.1 fidelity ------------------------------------------------------------ */

/*
 * v4.1's debug_dma_map_page() tests the new handle with dma_mapping_error(),
 * whose debug hook marks the oldest unchecked entry at that handle: mapping
 * the same buffer twice (no IOMMU) "checks" the first mapping, and the
 * driver's one check then marks the second.
 */
static void test_second_map_at_same_handle_marks_the_first_checked(void **state)
{
	struct fixture *f = *state;

	SITE();
	debug_dma_map_page(f->dev, f->page, 0, 256, DMA_TO_DEVICE, IOVA_BASE, true);
	SITE();
	debug_dma_map_page(f->dev, f->page, 0, 512, DMA_TO_DEVICE, IOVA_BASE, true);
	debug_dma_mapping_error(f->dev, IOVA_BASE);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 512, DMA_TO_DEVICE, true);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 256, DMA_TO_DEVICE, true);
	assert_clean();
	/* Another handle marks nothing. */
	SITE();
	debug_dma_map_page(f->dev, f->page, 0, 64, DMA_TO_DEVICE, IOVA_BASE, true);
	map_checked(f, 0x1000, 64, DMA_TO_DEVICE);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_MAP_ERROR_NOT_CHECKED, 1);
	unmap_at(f, 64, DMA_TO_DEVICE, IOVA_BASE + 0x1000);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_checked();
}

/*
 * v4.1's check_unmap(), finding no entry that fits, asks dma_mapping_error()
 * whether the handle is the error value: its debug hook marks an unchecked
 * entry at the handle (here a page mapping sharing it with an sg segment;
 * the unmap fits neither perfectly).
 */
static void test_unmatched_unmap_marks_an_unchecked_entry_of_the_handle(void **state)
{
	struct fixture *f = *state;
	struct scatterlist sg[1];

	fill_sg(f, sg, 1);
	sg_dma_address(&sg[0]) = IOVA_BASE;
	sg_dma_len(&sg[0]) = PAGE_SIZE;
	SITE();
	debug_dma_map_sg(f->dev, sg, 1, 1, DMA_TO_DEVICE);
	SITE();
	debug_dma_map_page(f->dev, f->page, 0, 64, DMA_TO_DEVICE, IOVA_BASE, true);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 128, DMA_TO_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED, 1);
	assert_int_equal(iosim_dma_debug_live(f->dev), 2);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, true);
	SITE();
	debug_dma_unmap_sg(f->dev, sg, 1, DMA_TO_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED, 1);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	assert_checked();
}

/*
 * v4.1's sg sync takes the segment count from the entry of the first
 * segment: with none (a list never mapped), nothing is checked, even where
 * another mapping holds the address.
 */
static void test_sync_sg_of_a_list_never_mapped_checks_nothing(void **state)
{
	struct fixture *f = *state;
	struct scatterlist sg[2];

	fill_sg(f, sg, 2);
	sg_dma_address(&sg[0]) = IOVA_BASE;
	sg_dma_len(&sg[0]) = PAGE_SIZE;
	sg_dma_address(&sg[1]) = IOVA_BASE + 0x100000;
	sg_dma_len(&sg[1]) = PAGE_SIZE;
	SITE();
	debug_dma_sync_sg_for_cpu(f->dev, sg, 2, DMA_FROM_DEVICE);
	SITE();
	debug_dma_sync_sg_for_device(f->dev, sg, 2, DMA_FROM_DEVICE);
	assert_clean();
	/* a single mapping holding the first segment's address is not synced */
	map_checked(f, 0, 2 * PAGE_SIZE, DMA_TO_DEVICE);
	sg_dma_address(&sg[0]) = IOVA_BASE + 64;
	sg_dma_len(&sg[0]) = 64;
	SITE();
	debug_dma_sync_sg_for_cpu(f->dev, sg, 2, DMA_FROM_DEVICE);
	assert_clean();
	iosim_dma_debug_device_access(f->dev, IOVA_BASE, 64, false);	/* still the device's */
	assert_clean();
	unmap_at(f, 2 * PAGE_SIZE, DMA_TO_DEVICE, IOVA_BASE);
	assert_clean();
}

/* v4.1's check_sync() checks nothing more of a DMA_BIDIRECTIONAL entry: not its sg count either. */
static void test_sync_sg_of_bidirectional_list_with_other_count_not_reported(void **state)
{
	struct fixture *f = *state;
	struct scatterlist sg[2];

	fill_sg(f, sg, 2);
	sg_dma_address(&sg[0]) = IOVA_BASE;
	sg_dma_len(&sg[0]) = 2 * PAGE_SIZE;
	SITE();
	debug_dma_map_sg(f->dev, sg, 2, 1, DMA_BIDIRECTIONAL);
	SITE();
	debug_dma_sync_sg_for_cpu(f->dev, sg, 1, DMA_BIDIRECTIONAL);
	SITE();
	debug_dma_sync_sg_for_device(f->dev, sg, 1, DMA_FROM_DEVICE);
	assert_clean();
	/* handed to the CPU and back all the same (ours) */
	iosim_dma_debug_device_access(f->dev, IOVA_BASE, 64, true);
	assert_clean();
	SITE();
	debug_dma_unmap_sg(f->dev, sg, 2, DMA_BIDIRECTIONAL);
	assert_clean();
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
}

/*
 * v4.1's range syncs check [handle, handle + offset + size): the reports
 * name the handle, and "not allocated" the offset + size; a handle that is
 * not mapped is not found through another mapping at handle + offset.
 */
static void test_sync_single_range_is_checked_from_the_handle(void **state)
{
	struct fixture *f = *state;
	dma_addr_t dma = map_checked(f, 0, 4096, DMA_FROM_DEVICE);
	struct iosim_dma_debug_report r;

	SITE();
	debug_dma_sync_single_range_for_cpu(f->dev, dma, 256, 64, DMA_TO_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_SYNC_WRONG_DIRECTION, 1);
	assert_true(iosim_dma_debug_last(&r));
	assert_string_equal(r.message,
		"DMA-API: device driver syncs DMA memory with different direction "
		"[device address=0x0000000100000000] [size=4096 bytes] "
		"[mapped with DMA_FROM_DEVICE] [synced with DMA_TO_DEVICE]");
	assert_int_equal(r.dma_addr, dma);
	assert_int_equal(r.size, 320);
	iosim_dma_debug_clear();

	/* the handle is 4 KiB below the mapping, handle + offset inside it */
	SITE();
	debug_dma_sync_single_range_for_device(f->dev, dma - 0x1000, 0x1010, 64, DMA_FROM_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_SYNC_NOT_ALLOCATED, 1);
	assert_true(iosim_dma_debug_last(&r));
	assert_string_equal(r.message,
		"DMA-API: device driver tries to sync DMA memory it has not allocated "
		"[device address=0x00000000fffff000] [size=4176 bytes]");
	SITE();
	debug_dma_unmap_page(f->dev, dma, 4096, DMA_FROM_DEVICE, true);
	assert_only(IOSIM_DMA_DEBUG_SYNC_NOT_ALLOCATED, 1);
}

/*
 * v4.1 counts the live mappings starting in one cache line (device-writable
 * ones) and WARNs once, not as an error report, when the 9th comes: its
 * count (3 radix-tree tags) passes 7.  iosim_dma_debug_reset() re-arms it.
 * The v5.14 CACHELINE_OVERLAP report of each sharing mapping is ours.
 */
static void test_ninth_mapping_starting_in_one_cache_line_warns_once(void **state)
{
	struct fixture *f = *state;
	char want[96];
	int i, round;

	snprintf(want, sizeof(want),
		 "DMA-API: exceeded 7 overlapping mappings of cacheline 0x%016llx",
		 (unsigned long long)(fphys(f) >> 7));
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 8; i++)
			map_at(f, 0, 64, DMA_FROM_DEVICE, IOVA_BASE + i * 0x1000);
		assert_int_equal(iosim_warn_count(), 0);
		map_at(f, 0, 64, DMA_FROM_DEVICE, IOVA_BASE + 8 * 0x1000);
		assert_warned(want);
		map_at(f, 0, 64, DMA_FROM_DEVICE, IOVA_BASE + 9 * 0x1000);
		assert_int_equal(iosim_warn_count(), 0);	/* once */
		assert_only(IOSIM_DMA_DEBUG_CACHELINE_OVERLAP, 9);
		assert_int_equal(iosim_dma_debug_error_count(), 9);
		for (i = 0; i < 10; i++)
			unmap_at(f, 64, DMA_FROM_DEVICE, IOVA_BASE + i * 0x1000);
		assert_only(IOSIM_DMA_DEBUG_CACHELINE_OVERLAP, 9);
		assert_int_equal(iosim_dma_debug_live(NULL), 0);
		iosim_dma_debug_reset();
	}

	/*
	 * Only first lines count: 8 mappings starting in line 1, then one
	 * ending there and a DMA_TO_DEVICE one starting there.
	 */
	for (i = 0; i < 8; i++)
		map_at(f, 128, 64, DMA_FROM_DEVICE, IOVA_BASE + i * 0x1000);
	map_at(f, 0, 256, DMA_FROM_DEVICE, IOVA_BASE + 8 * 0x1000);
	map_at(f, 128, 64, DMA_TO_DEVICE, IOVA_BASE + 9 * 0x1000);
	assert_int_equal(iosim_warn_count(), 0);
	assert_checked();
	for (i = 0; i < 8; i++)
		unmap_at(f, 64, DMA_FROM_DEVICE, IOVA_BASE + i * 0x1000);
	unmap_at(f, 256, DMA_FROM_DEVICE, IOVA_BASE + 8 * 0x1000);
	unmap_at(f, 64, DMA_TO_DEVICE, IOVA_BASE + 9 * 0x1000);
	assert_only(IOSIM_DMA_DEBUG_CACHELINE_OVERLAP, 8);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
}

static const unsigned char dbg_rodata_table[64] = { 1, 2, 3 };
static unsigned char dbg_data_table[64] = { 1, 2, 3 };

/*
 * v4.1's check_for_illegal_area(): memory of the program's text or
 * read-only data is reported in its words (and, host memory, not mapped).
 * Writable data is not: it is outside RAM, as before.
 */
static void test_map_single_of_program_text_or_rodata_reported(void **state)
{
	struct fixture *f = *state;
	const void *text = (const void *)(uintptr_t)&test_map_single_outside_ram_reported;
	const char *literal = "a string literal is read-only data";
	char want[160];

	assert_false(iosim_dma_debug_map_single(f->dev, dbg_rodata_table, sizeof(dbg_rodata_table)));
	assert_only(IOSIM_DMA_DEBUG_TEXT_OR_RODATA, 1);
	snprintf(want, sizeof(want),
		 "dbg-dev: DMA-API: device driver maps memory from kernel text or rodata [addr=%p] [len=64]",
		 (const void *)dbg_rodata_table);
	assert_true(iosim_log_seen(want));
	assert_false(iosim_dma_debug_map_single(f->dev, text, 16));
	assert_false(iosim_dma_debug_map_single(f->dev, literal, 8));
	assert_only(IOSIM_DMA_DEBUG_TEXT_OR_RODATA, 3);
	assert_string_equal(iosim_dma_debug_kind_name(IOSIM_DMA_DEBUG_TEXT_OR_RODATA),
			    "text_or_rodata");

	assert_false(iosim_dma_debug_map_single(f->dev, dbg_data_table, sizeof(dbg_data_table)));
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_NOT_RAM), 1);
	assert_int_equal(iosim_dma_debug_total(), 4);
}

/* v4.1's check_unmap() prints the unmap's size in "failed to check map error". */
static void test_unchecked_unmap_with_other_size_prints_the_unmap_size(void **state)
{
	struct fixture *f = *state;
	struct iosim_dma_debug_report r;

	SITE();
	debug_dma_map_page(f->dev, f->page, 0, 64, DMA_TO_DEVICE, IOVA_BASE, true);
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 32, DMA_TO_DEVICE, true);
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_FREE_WRONG_SIZE), 1);
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_MAP_ERROR_NOT_CHECKED), 1);
	assert_int_equal(iosim_dma_debug_total(), 2);
	assert_true(iosim_dma_debug_last(&r));
	assert_string_equal(r.message,
		"DMA-API: device driver failed to check map error[device address=0x0000000100000000] "
		"[size=32 bytes] [mapped as single]");
	assert_int_equal(r.size, 32);
	/* at a first use (ours) the mapping's size */
	SITE();
	debug_dma_map_page(f->dev, f->page, 0, 64, DMA_TO_DEVICE, IOVA_BASE, true);
	iosim_dma_debug_device_access(f->dev, IOVA_BASE, 8, false);
	assert_true(iosim_log_seen("failed to check map error[device address=0x0000000100000000] "
				   "[size=64 bytes] [mapped as single]"));
	SITE();
	debug_dma_unmap_page(f->dev, IOVA_BASE, 64, DMA_TO_DEVICE, true);
	assert_int_equal(iosim_dma_debug_total(), 3);
}

/*
 * A coherent free at another CPU address: compared and printed as physical
 * addresses, at page granularity as v4.1 in effect did; for a remapped
 * buffer through its alias's pages.
 */
static void test_free_coherent_on_another_page_prints_physical_addresses(void **state)
{
	struct fixture *f = *state;
	char *cpu = page_address(f->page);
	char want[160];

	SITE();
	debug_dma_alloc_coherent(f->dev, PAGE_SIZE, IOVA_BASE, cpu);
	SITE();
	debug_dma_free_coherent(f->dev, PAGE_SIZE, cpu + PAGE_SIZE + 16, IOVA_BASE);
	assert_only(IOSIM_DMA_DEBUG_FREE_WRONG_CPU_ADDR, 1);
	snprintf(want, sizeof(want), "[cpu alloc address=0x%016llx] [cpu free address=0x%016llx]",
		 (unsigned long long)fphys(f), (unsigned long long)(fphys(f) + PAGE_SIZE + 16));
	assert_true(iosim_log_seen(want));
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
}

static void test_free_coherent_on_the_same_page_not_reported(void **state)
{
	struct fixture *f = *state;
	struct page *pages[2] = { f->page, f->page + 1 };
	char *cpu = page_address(f->page);
	char *alias, want[160];

	SITE();
	debug_dma_alloc_coherent(f->dev, PAGE_SIZE, IOVA_BASE, cpu);
	SITE();
	debug_dma_free_coherent(f->dev, PAGE_SIZE, cpu + 64, IOVA_BASE);
	assert_clean();
	assert_int_equal(iosim_dma_debug_live(NULL), 0);

	alias = vmap(pages, 2, VM_MAP, PAGE_KERNEL);
	assert_non_null(alias);
	SITE();
	debug_dma_alloc_coherent(f->dev, 2 * PAGE_SIZE, IOVA_BASE, alias);
	SITE();
	debug_dma_free_coherent(f->dev, 2 * PAGE_SIZE, alias + 64, IOVA_BASE);
	assert_clean();
	SITE();
	debug_dma_alloc_coherent(f->dev, 2 * PAGE_SIZE, IOVA_BASE, alias);
	SITE();
	debug_dma_free_coherent(f->dev, 2 * PAGE_SIZE, alias + PAGE_SIZE, IOVA_BASE);
	assert_only(IOSIM_DMA_DEBUG_FREE_WRONG_CPU_ADDR, 1);
	snprintf(want, sizeof(want), "[cpu alloc address=0x%016llx] [cpu free address=0x%016llx]",
		 (unsigned long long)fphys(f), (unsigned long long)(fphys(f) + PAGE_SIZE));
	assert_true(iosim_log_seen(want));
	/* the alias and the linear map are the same memory */
	SITE();
	debug_dma_alloc_coherent(f->dev, 2 * PAGE_SIZE, IOVA_BASE, alias);
	SITE();
	debug_dma_free_coherent(f->dev, 2 * PAGE_SIZE, cpu + 8, IOVA_BASE);
	assert_only(IOSIM_DMA_DEBUG_FREE_WRONG_CPU_ADDR, 1);
	vunmap(alias);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
}

/*
 * v4.1's dma_entry_alloc() running out: a plain pr_err() of its text, no
 * device prefix, not in error_count, no WARN even in fatal mode.
 */
static void test_out_of_entries_is_a_plain_log_line_not_an_error(void **state)
{
	struct fixture *f = *state;
	struct iosim_dma_debug_report r;

	iosim_dma_debug_set_fatal(true);
	assert_int_equal(dma_debug_resize_entries(1), 0);
	iosim_log_reset();
	map_checked(f, 0, 64, DMA_TO_DEVICE);
	map_checked(f, 256, 64, DMA_TO_DEVICE);
	assert_only(IOSIM_DMA_DEBUG_OUT_OF_ENTRIES, 1);
	assert_int_equal(iosim_dma_debug_error_count(), 0);
	assert_int_equal(iosim_warn_count(), 0);
	assert_true(iosim_dma_debug_last(&r));
	assert_string_equal(r.message, "DMA-API: debugging out of memory - disabling");
	assert_true(iosim_log_seen("DMA-API: debugging out of memory - disabling"));
	assert_false(iosim_log_seen(": DMA-API: debugging out of memory"));
	assert_false(iosim_log_seen("[entries="));
	iosim_dma_debug_set_fatal(false);
}

/*
 * A sync matches the entry that fits it best among those holding its range
 * (the kernel's best fit), the newest on a tie (where the kernel finds none:
 * docs/dma-debug.md).  Here the same handle mapped twice, for receive and for
 * transmit.
 */
static void test_sync_matches_the_best_fitting_containing_entry(void **state)
{
	struct fixture *f = *state;

	map_at(f, 0, 256, DMA_FROM_DEVICE, IOVA_BASE);
	map_at(f, 0, 256, DMA_TO_DEVICE, IOVA_BASE);
	SITE();
	debug_dma_sync_single_for_cpu(f->dev, IOVA_BASE, 256, DMA_FROM_DEVICE);
	SITE();
	debug_dma_sync_single_for_device(f->dev, IOVA_BASE, 256, DMA_TO_DEVICE);
	SITE();
	debug_dma_sync_single_for_device(f->dev, IOVA_BASE, 256, DMA_FROM_DEVICE);
	assert_clean();
	/* a tie (neither fits perfectly): the newest, the transmit mapping */
	SITE();
	debug_dma_sync_single_for_cpu(f->dev, IOVA_BASE + 16, 64, DMA_BIDIRECTIONAL);
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_SYNC_WRONG_DIRECTION), 1);
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_SYNC_READ_ONLY_FOR_CPU), 1);
	assert_int_equal(iosim_dma_debug_total(), 2);
	unmap_at(f, 256, DMA_TO_DEVICE, IOVA_BASE);
	unmap_at(f, 256, DMA_FROM_DEVICE, IOVA_BASE);
	assert_int_equal(iosim_dma_debug_total(), 2);
}

/*
 * Not the kernel's search limit (docs/dma-debug.md): a sync deep inside a
 * mapping larger than the device's max segment size is found.  (Passes
 * before and after the v4.1 review: it pins the documented difference.)
 */
static void test_sync_far_inside_a_large_mapping_is_found(void **state)
{
	struct fixture *f = *state;

	map_at(f, 0, 0x20000, DMA_TO_DEVICE, IOVA_BASE);
	SITE();
	debug_dma_sync_single_for_device(f->dev, IOVA_BASE + 0x12000, 64, DMA_TO_DEVICE);
	SITE();
	debug_dma_sync_single_range_for_cpu(f->dev, IOVA_BASE, 0x1f000, 0x1000, DMA_TO_DEVICE);
	assert_clean();
	unmap_at(f, 0x20000, DMA_TO_DEVICE, IOVA_BASE);
	assert_clean();
}

/*
 * v4.1's dump: dev_info() lines ("<bus or driver> <device>: "), idx the hash
 * bucket ((dev_addr >> 13) & 1023), in bucket order, oldest first within one.
 */
static void test_dump_lists_entries_in_hash_bucket_order(void **state)
{
	struct fixture *f = *state;
	char out[4096];
	const char *a, *b, *c, *o;

	map_at(f, 0, 64, DMA_TO_DEVICE, IOVA_BASE + 0x6000);	/* bucket 3 */
	map_at(f, 256, 64, DMA_TO_DEVICE, IOVA_BASE);		/* bucket 0 */
	map_at(f, 512, 64, DMA_TO_DEVICE, IOVA_BASE + 0x1000);	/* bucket 0, newer */
	SITE();
	debug_dma_map_page(f->other, f->page, 768, 64, DMA_TO_DEVICE, IOVA_BASE + 0x2000, false);

	capture_dump(f->dev, out, sizeof(out));
	a = strstr(out, "platform dbg-dev: single idx 3 ");
	b = strstr(out, "platform dbg-dev: single idx 0 ");
	c = strstr(out, "D=100001000 L=40 DMA_TO_DEVICE dma map error checked device-owned at ");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_null(strstr(out, "dbg-other"));
	assert_true(b < c && c < a);
	assert_non_null(strstr(b, "D=100000000 L=40"));
	assert_true(strstr(b, "D=100000000 L=40") < c);

	capture_dump(NULL, out, sizeof(out));
	a = strstr(out, "D=100006000");
	b = strstr(out, "D=100000000");
	c = strstr(out, "D=100001000");
	o = strstr(out, "platform dbg-other: page idx 1 ");
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_non_null(o);
	assert_true(b < c && c < o && o < a);
	assert_non_null(strstr(o, "dma map error not checked"));
	assert_clean();
	assert_int_equal(iosim_dma_debug_device_teardown(f->other), 1);
	iosim_dma_debug_clear();
}

/* Entries left by a simulated device destroyed since: dumped without touching the device. */
static void test_dump_of_a_destroyed_devices_entries_does_not_touch_it(void **state)
{
	struct iosim_device_config cfg = { .name = "dbg-destroyed" };
	struct fixture *f = *state;
	struct device *dev = iosim_device_create(&cfg);
	char out[1024];

	assert_non_null(dev);
	SITE();
	debug_dma_map_page(dev, f->page, 0, 64, DMA_TO_DEVICE, IOVA_BASE + 0x4000, false);
	iosim_device_destroy(dev);
	capture_dump(NULL, out, sizeof(out));
	assert_non_null(strstr(out, "(destroyed) dbg-destroyed: page idx 2 "));
	assert_clean();
	iosim_dma_debug_reset();
}

/* v4.1 names the last entry of its walk of the hash as "One of leaked entries". */
static void test_teardown_names_the_leaked_entry_of_the_last_hash_bucket(void **state)
{
	struct fixture *f = *state;

	map_at(f, 0, 64, DMA_TO_DEVICE, IOVA_BASE + 0x6000);	/* bucket 3 */
	map_at(f, 256, 64, DMA_TO_DEVICE, IOVA_BASE);		/* bucket 0, newest */
	assert_int_equal(iosim_dma_debug_device_teardown(f->dev), 2);
	assert_only(IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN, 1);
	assert_true(iosim_log_seen("One of leaked entries details: [device address=0x0000000100006000] "
				   "[size=64 bytes] [mapped with DMA_TO_DEVICE] [mapped as single]"));
	/* within a bucket, the newest */
	map_at(f, 0, 64, DMA_TO_DEVICE, IOVA_BASE + 0x1000);
	map_at(f, 256, 64, DMA_TO_DEVICE, IOVA_BASE);
	assert_int_equal(iosim_dma_debug_device_teardown(f->dev), 2);
	assert_true(iosim_log_seen("One of leaked entries details: [device address=0x0000000100000000] "
				   "[size=64 bytes]"));
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
}

/*
 * v4.1's debug_dma_assert_idle(): only a mapping whose first cache line is
 * the page's first line, printed as %pa (0x and 16 digits).
 */
static void test_assert_idle_sees_mappings_starting_in_the_pages_first_line(void **state)
{
	struct fixture *f = *state;
	char want[64];

	/* from the last line of page 0 into the first of page 1 */
	map_at(f, PAGE_SIZE - 64, 128, DMA_FROM_DEVICE, IOVA_BASE + 0x10000);
	debug_dma_assert_idle(f->page + 1);
	assert_clean();
	unmap_at(f, 128, DMA_FROM_DEVICE, IOVA_BASE + 0x10000);
	map_checked(f, PAGE_SIZE, 64, DMA_FROM_DEVICE);
	debug_dma_assert_idle(f->page + 1);
	assert_only(IOSIM_DMA_DEBUG_CPU_WRITE_DEVICE_OWNED, 1);
	snprintf(want, sizeof(want), "[cln=0x%016llx]",
		 (unsigned long long)((fphys(f) + PAGE_SIZE) >> 7));
	assert_true(iosim_log_seen(want));
	assert_true(iosim_log_seen("cpu touching an active dma mapped cacheline [cln=0x0000"));
}

/* dma_debug_init(0) keeps the limit and says which; then v4.1's "enabled" line. */
static void test_dma_debug_init_logs_the_limit_in_force(void **state)
{
	struct fixture *f = *state;
	int i;

	iosim_log_reset();
	dma_debug_init(0);
	assert_false(iosim_log_seen("preallocated 0 "));
	assert_true(iosim_log_seen("DMA-API: preallocated 4096 debug entries"));
	assert_true(iosim_log_seen("DMA-API: debugging enabled by kernel config"));
	for (i = 0; i < 3; i++)
		map_checked(f, i * 256, 64, DMA_TO_DEVICE);
	iosim_log_reset();
	dma_debug_init(2);	/* below the 3 in use */
	assert_true(iosim_log_seen("DMA-API: preallocated 3 debug entries"));
	assert_clean();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_clean_single_sequence_reports_nothing),
		T(test_clean_sg_sequence_reports_nothing),
		T(test_clean_coherent_sequence_reports_nothing),
		T(test_same_address_mapped_twice_unmaps_cleanly),
		T(test_unmap_never_mapped_reports_not_allocated),
		T(test_unmap_twice_reports_not_allocated_once),
		T(test_unmap_error_handle_reports_invalid_address),
		T(test_unmap_with_other_size_reports_wrong_size),
		T(test_unmap_with_other_direction_reports_wrong_direction),
		T(test_unmap_page_of_single_reports_wrong_function),
		T(test_free_coherent_other_cpu_address_reports_it),
		T(test_unmap_sg_with_mapped_count_reports_wrong_nents),
		T(test_map_error_unchecked_reported_at_unmap),
		T(test_map_error_unchecked_reported_once_at_first_use),
		T(test_sync_never_mapped_reports_not_allocated),
		T(test_sync_past_mapping_end_reports_not_allocated),
		T(test_sync_with_a_wrapping_size_reports_outside_allocated_range),
		T(test_sync_in_other_direction_reports_wrong_direction),
		T(test_sync_to_device_memory_for_cpu_reports_read_only),
		T(test_sync_from_device_memory_to_device_reports_write_only),
		T(test_sync_sg_with_mapped_count_reports_wrong_nents),
		T(test_sg_segment_over_max_size_reported),
		T(test_sg_segment_across_boundary_reported),
		T(test_shared_cacheline_of_two_receive_buffers_reported),
		T(test_map_single_of_vmalloc_memory_reported),
		T(test_map_single_of_stack_memory_reported),
		T(test_map_single_outside_ram_reported),
		T(test_map_page_running_off_ram_reported),
		T(test_map_sg_entry_outside_ram_reported),
		T(test_device_access_after_unmap_reported),
		T(test_device_access_never_mapped_reported),
		T(test_device_access_wrapping_the_address_space_reported),
		T(test_device_access_running_past_mapping_reported),
		T(test_device_write_to_transmit_buffer_reported),
		T(test_device_read_of_receive_buffer_reported),
		T(test_device_access_while_cpu_owns_reported),
		T(test_lost_cpu_write_reported_against_its_mapping),
		T(test_teardown_lists_leftovers_with_call_site),
		T(test_bus_notifier_reports_device_deleted_with_mappings),
		T(test_driver_released_with_mappings_is_reported_and_they_are_kept),
		T(test_driver_filter_keeps_other_devices_quiet),
		T(test_driver_filter_matches_a_bound_drivers_name),
		T(test_fatal_mode_turns_report_into_warn),
		T(test_dump_logs_every_live_entry),
		T(test_out_of_entries_reported_once_then_disabled),
		T(test_dma_debug_init_sets_the_entry_limit),
		T(test_resize_entries_shrinks_to_the_entries_in_use_and_grows),
		T(test_dma_debug_init_below_the_allocated_entries_trims_on_unmap),
		T(test_disabled_tracks_and_reports_nothing),
		T(test_clear_forgets_reports_but_not_entries),
		T(test_random_correct_workload_never_reported),
		T(test_concurrent_map_unmap_stays_consistent),
		T(test_assert_idle_reports_page_under_receive_dma),
		T(test_ambiguous_unmap_of_shared_address_reported),
		T(test_second_map_at_same_handle_marks_the_first_checked),
		T(test_unmatched_unmap_marks_an_unchecked_entry_of_the_handle),
		T(test_sync_sg_of_a_list_never_mapped_checks_nothing),
		T(test_sync_sg_of_bidirectional_list_with_other_count_not_reported),
		T(test_sync_single_range_is_checked_from_the_handle),
		T(test_ninth_mapping_starting_in_one_cache_line_warns_once),
		T(test_map_single_of_program_text_or_rodata_reported),
		T(test_unchecked_unmap_with_other_size_prints_the_unmap_size),
		T(test_free_coherent_on_another_page_prints_physical_addresses),
		T(test_free_coherent_on_the_same_page_not_reported),
		T(test_out_of_entries_is_a_plain_log_line_not_an_error),
		T(test_sync_matches_the_best_fitting_containing_entry),
		T(test_sync_far_inside_a_large_mapping_is_found),
		T(test_dump_lists_entries_in_hash_bucket_order),
		T(test_dump_of_a_destroyed_devices_entries_does_not_touch_it),
		T(test_teardown_names_the_leaked_entry_of_the_last_hash_bucket),
		T(test_assert_idle_sees_mappings_starting_in_the_pages_first_line),
		T(test_dma_debug_init_logs_the_limit_in_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
