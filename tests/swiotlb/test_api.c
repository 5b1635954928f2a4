// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * arm64's swiotlb DMA ops through the generic DMA API, as a driver uses
 * them: RAM straddling 4 GiB (256 MiB at 3.875 GiB) and a device with a
 * 32-bit mask and no IOMMU, cache-coherent or not.  A buffer above 4 GiB is
 * bounced and arrives intact in both directions, one below is not bounced,
 * coherent buffers come from below 4 GiB, scatterlists mix both kinds, a
 * full pool fails and recovers, and injected allocation failures at map
 * time leave nothing behind.  On the default RAM (above 4 GiB) there is no
 * pool and the direct ops stay.  Every checker runs after every step.
 */
#include "swiotlb_fixture.h"

#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/swiotlb.h>
#include <iosim/bus_master.h>
#include <iosim/cache.h>
#include <iosim/dma.h>
#include <iosim/fault.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/swiotlb.h>
#include <iosim/warn.h>

#define SZ_4G_PHYS	(1ULL << 32)
#define RAM_BASE	0xf8000000ULL
#define RAM_SIZE	(256ULL << 20)

static void boot(bool coherent, size_t pool_bytes, bool straddle)
{
	struct iosim_ram_config ram = { .base_phys = RAM_BASE, .size_bytes = RAM_SIZE };

	swt_boot(straddle ? &ram : NULL, "dev32", coherent, pool_bytes);
}

/* A @pages-page buffer above 4 GiB (GFP_KERNEL prefers ZONE_NORMAL) or below (GFP_DMA). */
static unsigned char *buf_alloc(size_t pages, bool high)
{
	unsigned char *buf = swt_buf_alloc(pages, high ? GFP_KERNEL : GFP_DMA);

	assert_int_equal(virt_to_phys(buf) >= SZ_4G_PHYS, high);
	return buf;
}

static void transmit_high(bool coherent)
{
	size_t len = 5000;
	unsigned char *buf, *got = malloc(len);
	struct iosim_swiotlb_stats st;
	dma_addr_t dma;

	boot(coherent, 0, true);
	assert_true(iosim_swiotlb_ready());
	buf = buf_alloc(2, true);
	swt_fill(buf + 7, len, 1);
	dma = dma_map_single(swt_dev, buf + 7, len, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(swt_dev, dma));
	assert_true(swt_bounced(dma));
	assert_true(dma + len - 1 <= DMA_BIT_MASK(32));
	swt_check_all();
	assert_int_equal(iosim_dma_read(swt_dev, dma, got, len), 0);
	assert_true(swt_matches(got, len, 1));
	dma_unmap_single(swt_dev, dma, len, DMA_TO_DEVICE);
	swt_check_all();
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.bounced_maps, 1);
	assert_int_equal(st.bytes_to_bounce, len);
	assert_int_equal(st.bytes_from_bounce, 0);
	swt_buf_free(buf, 2);
	free(got);
	swt_shutdown();
}

static void test_swiotlb_api_transmit_above_4g_bounces__coherent(void **state)
{
	(void)state;
	transmit_high(true);
}

static void test_swiotlb_api_transmit_above_4g_bounces__noncoherent(void **state)
{
	(void)state;
	transmit_high(false);
}

/* Receive with a sync in the middle: both device writes reach the CPU. */
static void receive_high(bool coherent)
{
	size_t len = 3 * PAGE_SIZE;
	unsigned char *buf, *data = malloc(len);
	dma_addr_t dma;

	boot(coherent, 0, true);
	buf = buf_alloc(4, true);
	memset(buf, 0, len);
	dma = dma_map_single(swt_dev, buf, len, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(swt_dev, dma));
	assert_true(swt_bounced(dma));
	assert_int_equal(dma & ~PAGE_MASK, 0);	/* a page or more: page aligned */
	swt_check_all();

	swt_fill(data, len, 2);
	assert_int_equal(iosim_dma_write(swt_dev, dma, data, len), 0);
	dma_sync_single_for_cpu(swt_dev, dma, len, DMA_FROM_DEVICE);
	assert_true(swt_matches(buf, len, 2));
	dma_sync_single_for_device(swt_dev, dma, len, DMA_FROM_DEVICE);
	swt_check_all();

	swt_fill(data, len, 3);
	assert_int_equal(iosim_dma_write(swt_dev, dma, data, len), 0);
	dma_unmap_single(swt_dev, dma, len, DMA_FROM_DEVICE);
	assert_true(swt_matches(buf, len, 3));
	swt_check_all();
	swt_buf_free(buf, 4);
	free(data);
	swt_shutdown();
}

static void test_swiotlb_api_receive_above_4g_bounces__coherent(void **state)
{
	(void)state;
	receive_high(true);
}

static void test_swiotlb_api_receive_above_4g_bounces__noncoherent(void **state)
{
	(void)state;
	receive_high(false);
}

static void below_not_bounced(bool coherent)
{
	size_t len = 1000;
	unsigned char *buf, got[1000];
	struct iosim_swiotlb_stats st;
	dma_addr_t dma;

	boot(coherent, 0, true);
	buf = buf_alloc(1, false);
	swt_fill(buf, len, 4);
	dma = dma_map_single(swt_dev, buf, len, DMA_BIDIRECTIONAL);
	assert_false(dma_mapping_error(swt_dev, dma));
	assert_true(dma == virt_to_phys(buf));
	assert_false(swt_bounced(dma));
	assert_int_equal(iosim_dma_read(swt_dev, dma, got, len), 0);
	assert_true(swt_matches(got, len, 4));
	dma_unmap_single(swt_dev, dma, len, DMA_BIDIRECTIONAL);
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.bounced_maps, 0);
	assert_int_equal(st.direct_maps, 1);
	swt_check_all();
	swt_buf_free(buf, 1);
	swt_shutdown();
}

static void test_swiotlb_api_below_4g_is_not_bounced__coherent(void **state)
{
	(void)state;
	below_not_bounced(true);
}

static void test_swiotlb_api_below_4g_is_not_bounced__noncoherent(void **state)
{
	(void)state;
	below_not_bounced(false);
}

static void coherent_below(bool coherent)
{
	size_t len = 3 * PAGE_SIZE;
	unsigned char *data = malloc(len);
	dma_addr_t dma;
	void *cpu;

	boot(coherent, 0, true);
	cpu = dma_alloc_coherent(swt_dev, len, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	assert_true(dma + len <= SZ_4G_PHYS);
	assert_false(swt_bounced(dma));
	swt_check_all();
	swt_fill(data, len, 5);
	assert_int_equal(iosim_dma_write(swt_dev, dma, data, len), 0);
	assert_true(swt_matches(cpu, len, 5));
	swt_fill(cpu, len, 6);
	assert_int_equal(iosim_dma_read(swt_dev, dma, data, len), 0);
	assert_true(swt_matches(data, len, 6));
	dma_free_coherent(swt_dev, len, cpu, dma);
	swt_check_all();
	free(data);
	swt_shutdown();
}

static void test_swiotlb_api_coherent_memory_comes_from_below_4g__coherent(void **state)
{
	(void)state;
	coherent_below(true);
}

static void test_swiotlb_api_coherent_memory_comes_from_below_4g__noncoherent(void **state)
{
	(void)state;
	coherent_below(false);
}

/* Four entries, above and below 4 GiB alternately, bidirectional. */
static void sg_mixed(bool coherent)
{
	struct scatterlist sgl[4], *sg;
	unsigned char *bufs[4], data[1500];
	struct iosim_swiotlb_stats st;
	int i, n;

	boot(coherent, 0, true);
	sg_init_table(sgl, 4);
	for (i = 0; i < 4; i++) {
		bufs[i] = buf_alloc(1, !(i & 1));
		swt_fill(bufs[i] + 100, 1500, 10 + i);
		sg_set_buf(&sgl[i], bufs[i] + 100, 1500);
	}
	n = dma_map_sg(swt_dev, sgl, 4, DMA_BIDIRECTIONAL);
	assert_int_equal(n, 4);
	swt_check_all();
	for_each_sg(sgl, sg, 4, i) {
		assert_int_equal(swt_bounced(sg_dma_address(sg)), !(i & 1));
		assert_true(sg_dma_address(sg) + sg_dma_len(sg) - 1 <= DMA_BIT_MASK(32));
		assert_int_equal(iosim_dma_read(swt_dev, sg_dma_address(sg), data, 1500), 0);
		assert_true(swt_matches(data, 1500, 10 + i));
		swt_fill(data, 1500, 20 + i);
		assert_int_equal(iosim_dma_write(swt_dev, sg_dma_address(sg), data, 1500), 0);
	}
	dma_unmap_sg(swt_dev, sgl, 4, DMA_BIDIRECTIONAL);
	swt_check_all();
	for (i = 0; i < 4; i++) {
		assert_true(swt_matches(bufs[i] + 100, 1500, 20 + i));
		swt_buf_free(bufs[i], 1);
	}
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.bounced_maps, 2);
	assert_int_equal(st.direct_maps, 2);
	swt_shutdown();
}

static void test_swiotlb_api_sg_mixing_reachable_and_not__coherent(void **state)
{
	(void)state;
	sg_mixed(true);
}

static void test_swiotlb_api_sg_mixing_reachable_and_not__noncoherent(void **state)
{
	(void)state;
	sg_mixed(false);
}

/* One segment of pool (256 KiB): four 64 KiB maps fill it. */
static void test_swiotlb_api_full_pool_fails_and_recovers(void **state)
{
	size_t len = 64 * 1024, pages = len / PAGE_SIZE;
	unsigned char *bufs[5];
	struct scatterlist sgl[2];
	struct iosim_swiotlb_stats st;
	dma_addr_t dma[5];
	int i;

	(void)state;
	boot(false, 256 * 1024, true);
	for (i = 0; i < 5; i++)
		bufs[i] = buf_alloc(pages, true);
	for (i = 0; i < 4; i++) {
		dma[i] = dma_map_single(swt_dev, bufs[i], len, DMA_TO_DEVICE);
		assert_false(dma_mapping_error(swt_dev, dma[i]));
	}
	dma[4] = dma_map_single(swt_dev, bufs[4], len, DMA_TO_DEVICE);
	assert_true(dma_mapping_error(swt_dev, dma[4]));
	swt_check_all();
	/* A list whose second entry cannot be bounced maps nothing and leaks nothing. */
	dma_unmap_single(swt_dev, dma[3], len, DMA_TO_DEVICE);
	sg_init_table(sgl, 2);
	sg_set_buf(&sgl[0], bufs[3], len);
	sg_set_buf(&sgl[1], bufs[4], len);
	assert_int_equal(dma_map_sg(swt_dev, sgl, 2, DMA_TO_DEVICE), 0);
	swt_check_all();
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.full_failures, 2);
	assert_int_equal(st.slots_used, 3 * len / IO_TLB_SIZE);
	/* Freed slots serve the next map. */
	dma[4] = dma_map_single(swt_dev, bufs[4], len, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(swt_dev, dma[4]));
	swt_check_all();
	for (i = 0; i < 5; i++) {
		if (i != 3)
			dma_unmap_single(swt_dev, dma[i], len, DMA_TO_DEVICE);
		swt_buf_free(bufs[i], pages);
	}
	swt_check_all();
	swt_shutdown();
}

/* Injected allocation failures around a bounced map leave the pool as it was. */
static void test_swiotlb_api_map_failure_sweep_leaves_nothing(void **state)
{
	size_t len = 2048;
	unsigned char *buf;
	struct iosim_swiotlb_stats st;
	dma_addr_t dma = DMA_ERROR_CODE;
	unsigned long n;

	(void)state;
	boot(true, 0, true);
	buf = buf_alloc(1, true);
	swt_fill(buf, len, 7);
	for (n = 1; n < 50; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		dma = dma_map_single(swt_dev, buf, len, DMA_TO_DEVICE);
		iosim_fault_reset();
		if (!dma_mapping_error(swt_dev, dma))
			break;
		iosim_swiotlb_get_stats(&st);
		assert_int_equal(st.slots_used, 0);
		swt_check_all();
	}
	assert_false(dma_mapping_error(swt_dev, dma));
	assert_true(swt_bounced(dma));
	dma_unmap_single(swt_dev, dma, len, DMA_TO_DEVICE);
	swt_buf_free(buf, 1);
	swt_shutdown();
}

/* Boot-time failures: every injected failure boots with the direct ops, nothing leaks. */
static void test_swiotlb_api_boot_failure_sweep_falls_back_to_direct(void **state)
{
	struct iosim_ram_config ram = { .base_phys = RAM_BASE, .size_bytes = RAM_SIZE };
	unsigned long n, free_pages;
	bool up = false;

	(void)state;
	iosim_log_set_console_level(0);
	assert_int_equal(iosim_ram_init(&ram), 0);
	free_pages = iosim_ram_free_pages();
	for (n = 1; n < 30 && !up; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		assert_int_equal(iosim_dma_system_init(), 0);
		iosim_fault_reset();
		up = iosim_swiotlb_ready();
		assert_int_equal(iosim_swiotlb_check(), 0);
		iosim_dma_system_exit();
		assert_false(iosim_swiotlb_ready());
		assert_int_equal(iosim_ram_check(), 0);
	}
	assert_true(up);
	assert_true(iosim_ram_free_pages() <= free_pages);
	assert_int_equal(iosim_ram_exit(), 0);
	iosim_log_set_console_level(5);
}

/* dma_sync_sg_for_cpu with the entry count: every bounced entry comes back. */
static void sg_sync(bool coherent)
{
	struct scatterlist sgl[3], *sg;
	unsigned char *bufs[3], data[2000];
	int i;

	boot(coherent, 0, true);
	sg_init_table(sgl, 3);
	for (i = 0; i < 3; i++) {
		bufs[i] = buf_alloc(1, i != 1);
		memset(bufs[i], 0, PAGE_SIZE);
		sg_set_buf(&sgl[i], bufs[i] + 8, 2000);
	}
	assert_int_equal(dma_map_sg(swt_dev, sgl, 3, DMA_FROM_DEVICE), 3);
	for_each_sg(sgl, sg, 3, i) {
		swt_fill(data, 2000, 30 + i);
		assert_int_equal(iosim_dma_write(swt_dev, sg_dma_address(sg), data, 2000), 0);
	}
	dma_sync_sg_for_cpu(swt_dev, sgl, 3, DMA_FROM_DEVICE);
	for (i = 0; i < 3; i++)
		assert_true(swt_matches(bufs[i] + 8, 2000, 30 + i));
	dma_sync_sg_for_device(swt_dev, sgl, 3, DMA_FROM_DEVICE);
	swt_check_all();
	dma_unmap_sg(swt_dev, sgl, 3, DMA_FROM_DEVICE);
	swt_check_all();
	for (i = 0; i < 3; i++) {
		assert_true(swt_matches(bufs[i] + 8, 2000, 30 + i));
		swt_buf_free(bufs[i], 1);
	}
	swt_shutdown();
}

static void test_swiotlb_api_sync_sg_for_cpu_brings_back_every_entry__coherent(void **state)
{
	(void)state;
	sg_sync(true);
}

static void test_swiotlb_api_sync_sg_for_cpu_brings_back_every_entry__noncoherent(void **state)
{
	(void)state;
	sg_sync(false);
}

/* A second unmap of a bounced buffer is WARNed and leaves the pool intact. */
static void test_swiotlb_api_double_unmap_of_a_bounce_buffer_is_warned(void **state)
{
	unsigned char *buf;
	dma_addr_t dma;

	(void)state;
	boot(false, 0, true);
	buf = buf_alloc(1, true);
	dma = dma_map_single(swt_dev, buf, 512, DMA_TO_DEVICE);
	assert_true(swt_bounced(dma));
	dma_unmap_single(swt_dev, dma, 512, DMA_TO_DEVICE);
	dma_unmap_single(swt_dev, dma, 512, DMA_TO_DEVICE);
	assert_warned("not the start of a live bounce buffer");
	swt_check_all();
	swt_buf_free(buf, 1);
	swt_shutdown();
}

static void test_swiotlb_api_default_ram_has_no_pool(void **state)
{
	struct page *page;
	dma_addr_t dma;

	(void)state;
	boot(true, 0, false);
	assert_false(iosim_swiotlb_ready());
	/* Direct ops: a 32-bit device cannot reach RAM at 34 GiB. */
	page = alloc_page(GFP_KERNEL);
	assert_non_null(page);
	dma = dma_map_page(swt_dev, page, 0, 64, DMA_TO_DEVICE);
	assert_true(dma_mapping_error(swt_dev, dma));
	assert_warned("cannot reach");
	__free_page(page);
	swt_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_swiotlb_api_transmit_above_4g_bounces__coherent),
		IOSIM_TEST(test_swiotlb_api_transmit_above_4g_bounces__noncoherent),
		IOSIM_TEST(test_swiotlb_api_receive_above_4g_bounces__coherent),
		IOSIM_TEST(test_swiotlb_api_receive_above_4g_bounces__noncoherent),
		IOSIM_TEST(test_swiotlb_api_below_4g_is_not_bounced__coherent),
		IOSIM_TEST(test_swiotlb_api_below_4g_is_not_bounced__noncoherent),
		IOSIM_TEST(test_swiotlb_api_coherent_memory_comes_from_below_4g__coherent),
		IOSIM_TEST(test_swiotlb_api_coherent_memory_comes_from_below_4g__noncoherent),
		IOSIM_TEST(test_swiotlb_api_sg_mixing_reachable_and_not__coherent),
		IOSIM_TEST(test_swiotlb_api_sg_mixing_reachable_and_not__noncoherent),
		IOSIM_TEST(test_swiotlb_api_full_pool_fails_and_recovers),
		IOSIM_TEST(test_swiotlb_api_map_failure_sweep_leaves_nothing),
		IOSIM_TEST(test_swiotlb_api_boot_failure_sweep_falls_back_to_direct),
		IOSIM_TEST(test_swiotlb_api_sync_sg_for_cpu_brings_back_every_entry__coherent),
		IOSIM_TEST(test_swiotlb_api_sync_sg_for_cpu_brings_back_every_entry__noncoherent),
		IOSIM_TEST(test_swiotlb_api_double_unmap_of_a_bounce_buffer_is_warned),
		IOSIM_TEST(test_swiotlb_api_default_ram_has_no_pool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
