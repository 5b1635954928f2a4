// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Bounce buffering on ARM Juno's RAM layout (issue 12): a 32 MiB bank at
 * 2 GiB (ZONE_DMA) and a 64 MiB bank at 34 GiB, a hole of 30 GiB between.
 * A device with a 32-bit mask and no IOMMU, cache-coherent or not: buffers
 * in the high bank bounce through a pool in the low bank and arrive intact
 * both ways, low-bank buffers are not bounced, coherent memory comes from
 * the low bank, scatterlists mix both kinds, a full pool fails with
 * DMA_ERROR_CODE and recovers, injected allocation failures at map time
 * leave nothing behind, and a device access to the hole is a bus error.
 * The RAM, cache-model, pool and device checkers run after every step.
 */
#include "swiotlb_fixture.h"

#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
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

#define LOW_BYTES	(32ULL << 20)
#define HIGH_BYTES	(64ULL << 20)
#define LOW_END		(IOSIM_RAM_JUNO_LOW_BASE + LOW_BYTES)
#define HIGH_END	(IOSIM_RAM_JUNO_HIGH_BASE + HIGH_BYTES)

static bool in_low_bank(phys_addr_t phys, size_t len)
{
	return phys >= IOSIM_RAM_JUNO_LOW_BASE && phys + len <= LOW_END;
}

static bool in_high_bank(phys_addr_t phys, size_t len)
{
	return phys >= IOSIM_RAM_JUNO_HIGH_BASE && phys + len <= HIGH_END;
}

/* Juno RAM, the DMA layer (with its pool of @pool_bytes, 0: default) and the device. */
static void boot(bool coherent, size_t pool_bytes)
{
	struct iosim_ram_config ram;

	assert_int_equal(iosim_ram_config_juno(&ram, LOW_BYTES, HIGH_BYTES), 0);
	swt_boot(&ram, "juno32", coherent, pool_bytes);
	assert_int_equal(iosim_ram_nr_banks(), 2);
	assert_true(iosim_swiotlb_ready());
}

/* A @pages-page buffer in the high bank (GFP_KERNEL: ZONE_NORMAL) or the low one (GFP_DMA). */
static unsigned char *buf_alloc(size_t pages, bool high)
{
	unsigned char *buf = swt_buf_alloc(pages, high ? GFP_KERNEL : GFP_DMA);
	phys_addr_t phys = virt_to_phys(buf);

	if (high)
		assert_true(in_high_bank(phys, pages * PAGE_SIZE));
	else
		assert_true(in_low_bank(phys, pages * PAGE_SIZE));
	return buf;
}

static void test_swiotlb_juno_pool_lies_in_the_low_bank(void **state)
{
	struct iosim_swiotlb_stats st;

	(void)state;
	boot(true, 0);
	iosim_swiotlb_get_stats(&st);
	assert_true(in_low_bank(iosim_swiotlb_pool_phys(), st.nslabs << IO_TLB_SHIFT));
	swt_shutdown();
}

static void transmit_high(bool coherent)
{
	size_t len = 6000;
	unsigned char *buf, *got = malloc(len);
	struct iosim_swiotlb_stats st;
	dma_addr_t dma;

	assert_non_null(got);
	boot(coherent, 0);
	buf = buf_alloc(2, true);
	swt_fill(buf + 5, len, 1);
	dma = dma_map_single(swt_dev, buf + 5, len, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(swt_dev, dma));
	assert_true(swt_bounced(dma));
	assert_true(in_low_bank(dma_to_phys(swt_dev, dma), len));
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

static void test_swiotlb_juno_transmit_from_the_high_bank_bounces__coherent(void **state)
{
	(void)state;
	transmit_high(true);
}

static void test_swiotlb_juno_transmit_from_the_high_bank_bounces__noncoherent(void **state)
{
	(void)state;
	transmit_high(false);
}

/* Receive with a sync in the middle: both device writes reach the CPU. */
static void receive_high(bool coherent)
{
	size_t len = 3 * PAGE_SIZE;
	unsigned char *buf, *data = malloc(len);
	struct iosim_swiotlb_stats st;
	dma_addr_t dma;

	assert_non_null(data);
	boot(coherent, 0);
	buf = buf_alloc(4, true);
	memset(buf, 0, len);
	dma = dma_map_single(swt_dev, buf, len, DMA_FROM_DEVICE);
	assert_false(dma_mapping_error(swt_dev, dma));
	assert_true(swt_bounced(dma));
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
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.bytes_from_bounce, 2 * len);
	swt_buf_free(buf, 4);
	free(data);
	swt_shutdown();
}

static void test_swiotlb_juno_receive_into_the_high_bank_bounces__coherent(void **state)
{
	(void)state;
	receive_high(true);
}

static void test_swiotlb_juno_receive_into_the_high_bank_bounces__noncoherent(void **state)
{
	(void)state;
	receive_high(false);
}

static void low_not_bounced(bool coherent)
{
	unsigned char *buf, got[1200];
	struct iosim_swiotlb_stats st;
	dma_addr_t dma;

	boot(coherent, 0);
	buf = buf_alloc(1, false);
	swt_fill(buf, sizeof(got), 4);
	dma = dma_map_single(swt_dev, buf, sizeof(got), DMA_BIDIRECTIONAL);
	assert_false(dma_mapping_error(swt_dev, dma));
	assert_int_equal(dma, virt_to_phys(buf));
	assert_false(swt_bounced(dma));
	assert_int_equal(iosim_dma_read(swt_dev, dma, got, sizeof(got)), 0);
	assert_true(swt_matches(got, sizeof(got), 4));
	dma_unmap_single(swt_dev, dma, sizeof(got), DMA_BIDIRECTIONAL);
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.bounced_maps, 0);
	assert_int_equal(st.direct_maps, 1);
	swt_check_all();
	swt_buf_free(buf, 1);
	swt_shutdown();
}

static void test_swiotlb_juno_low_bank_is_not_bounced__coherent(void **state)
{
	(void)state;
	low_not_bounced(true);
}

static void test_swiotlb_juno_low_bank_is_not_bounced__noncoherent(void **state)
{
	(void)state;
	low_not_bounced(false);
}

static void coherent_low(bool coherent)
{
	size_t len = 5 * PAGE_SIZE;
	unsigned char *data = malloc(len);
	dma_addr_t dma;
	void *cpu;

	assert_non_null(data);
	boot(coherent, 0);
	cpu = dma_alloc_coherent(swt_dev, len, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	/* ZONE_DMA: the low bank, below 4 GiB. */
	assert_true(in_low_bank(dma_to_phys(swt_dev, dma), len));
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

static void test_swiotlb_juno_coherent_memory_comes_from_the_low_bank__coherent(void **state)
{
	(void)state;
	coherent_low(true);
}

static void test_swiotlb_juno_coherent_memory_comes_from_the_low_bank__noncoherent(void **state)
{
	(void)state;
	coherent_low(false);
}

/* Six entries alternating high (bounced) and low (direct), bidirectional. */
static void sg_mixed(bool coherent)
{
	struct scatterlist sgl[6], *sg;
	unsigned char *bufs[6], data[1800];
	struct iosim_swiotlb_stats st;
	int i, n;

	boot(coherent, 0);
	sg_init_table(sgl, 6);
	for (i = 0; i < 6; i++) {
		bufs[i] = buf_alloc(1, !(i & 1));
		swt_fill(bufs[i] + 64, sizeof(data), 10 + i);
		sg_set_buf(&sgl[i], bufs[i] + 64, sizeof(data));
	}
	n = dma_map_sg(swt_dev, sgl, 6, DMA_BIDIRECTIONAL);
	assert_int_equal(n, 6);
	swt_check_all();
	for_each_sg(sgl, sg, 6, i) {
		phys_addr_t phys = dma_to_phys(swt_dev, sg_dma_address(sg));

		assert_int_equal(swt_bounced(sg_dma_address(sg)), !(i & 1));
		assert_true(in_low_bank(phys, sg_dma_len(sg)));
		if (i & 1)
			assert_int_equal(phys, virt_to_phys(bufs[i] + 64));
		assert_int_equal(iosim_dma_read(swt_dev, sg_dma_address(sg), data, sizeof(data)), 0);
		assert_true(swt_matches(data, sizeof(data), 10 + i));
		swt_fill(data, sizeof(data), 20 + i);
		assert_int_equal(iosim_dma_write(swt_dev, sg_dma_address(sg), data, sizeof(data)), 0);
	}
	dma_unmap_sg(swt_dev, sgl, 6, DMA_BIDIRECTIONAL);
	swt_check_all();
	for (i = 0; i < 6; i++) {
		assert_true(swt_matches(bufs[i] + 64, sizeof(data), 20 + i));
		swt_buf_free(bufs[i], 1);
	}
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.bounced_maps, 3);
	assert_int_equal(st.direct_maps, 3);
	swt_shutdown();
}

static void test_swiotlb_juno_sg_mixing_low_and_high_banks__coherent(void **state)
{
	(void)state;
	sg_mixed(true);
}

static void test_swiotlb_juno_sg_mixing_low_and_high_banks__noncoherent(void **state)
{
	(void)state;
	sg_mixed(false);
}

/* One segment of pool (256 KiB): four 64 KiB maps from the high bank fill it. */
static void test_swiotlb_juno_full_pool_fails_and_recovers(void **state)
{
	size_t len = 64 * 1024, pages = len / PAGE_SIZE ? len / PAGE_SIZE : 1;
	unsigned char *bufs[5];
	struct iosim_swiotlb_stats st;
	dma_addr_t dma[5];
	int i;

	(void)state;
	boot(false, 256 * 1024);
	for (i = 0; i < 5; i++)
		bufs[i] = buf_alloc(pages, true);
	for (i = 0; i < 4; i++) {
		dma[i] = dma_map_single(swt_dev, bufs[i], len, DMA_TO_DEVICE);
		assert_false(dma_mapping_error(swt_dev, dma[i]));
		swt_check_all();
	}
	dma[4] = dma_map_single(swt_dev, bufs[4], len, DMA_TO_DEVICE);
	assert_int_equal(dma[4], DMA_ERROR_CODE);
	assert_true(dma_mapping_error(swt_dev, dma[4]));
	swt_check_all();
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.full_failures, 1);
	assert_int_equal(st.slots_used, 4 * len / IO_TLB_SIZE);
	/* Freed slots serve the next map. */
	dma_unmap_single(swt_dev, dma[1], len, DMA_TO_DEVICE);
	swt_check_all();
	swt_fill(bufs[4], len, 8);
	dma[4] = dma_map_single(swt_dev, bufs[4], len, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(swt_dev, dma[4]));
	assert_true(swt_bounced(dma[4]));
	swt_check_all();
	for (i = 0; i < 5; i++) {
		if (i != 1)
			dma_unmap_single(swt_dev, dma[i], len, DMA_TO_DEVICE);
		swt_buf_free(bufs[i], pages);
	}
	swt_check_all();
	swt_shutdown();
}

/* Injected allocation failures around a bounced map leave the pool as it was. */
static void test_swiotlb_juno_map_failure_sweep_leaves_nothing(void **state)
{
	size_t len = 3000;
	unsigned char *buf, got[3000];
	struct iosim_swiotlb_stats st;
	dma_addr_t dma = DMA_ERROR_CODE;
	unsigned long n;

	(void)state;
	boot(false, 0);
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
	assert_int_equal(iosim_dma_read(swt_dev, dma, got, len), 0);
	assert_true(swt_matches(got, len, 7));
	dma_unmap_single(swt_dev, dma, len, DMA_TO_DEVICE);
	swt_check_all();
	swt_buf_free(buf, 1);
	swt_shutdown();
}

/* Without an IOMMU the bus address is physical: the hole is no RAM, a bus error. */
static void test_swiotlb_juno_device_access_to_the_hole_is_a_bus_error(void **state)
{
	unsigned char data[32], *buf;
	phys_addr_t phys;

	(void)state;
	boot(false, 0);
	memset(data, 0x77, sizeof(data));
	/* Inside the 32-bit mask, between the banks. */
	assert_int_equal(iosim_dma_write(swt_dev, 0xc0000000ULL, data, sizeof(data)), -EFAULT);
	assert_int_equal(iosim_dma_read(swt_dev, 0xc0000000ULL, data, sizeof(data)), -EFAULT);
	/* Starting in the low bank's last bytes and running into the hole. */
	buf = buf_alloc(1, false);
	memset(buf, 0, PAGE_SIZE);
	phys = LOW_END - 16;
	assert_int_equal(iosim_dma_write(swt_dev, phys, data, sizeof(data)), -EFAULT);
	assert_int_equal(iosim_dma_write(swt_dev, phys, data, 16), 0);	/* the RAM part alone works */
	assert_int_equal(iosim_dma_write(swt_dev, virt_to_phys(buf), data, sizeof(data)), 0);
	assert_no_warnings();
	swt_check_all();
	swt_buf_free(buf, 1);
	swt_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_swiotlb_juno_pool_lies_in_the_low_bank),
		IOSIM_TEST(test_swiotlb_juno_transmit_from_the_high_bank_bounces__coherent),
		IOSIM_TEST(test_swiotlb_juno_transmit_from_the_high_bank_bounces__noncoherent),
		IOSIM_TEST(test_swiotlb_juno_receive_into_the_high_bank_bounces__coherent),
		IOSIM_TEST(test_swiotlb_juno_receive_into_the_high_bank_bounces__noncoherent),
		IOSIM_TEST(test_swiotlb_juno_low_bank_is_not_bounced__coherent),
		IOSIM_TEST(test_swiotlb_juno_low_bank_is_not_bounced__noncoherent),
		IOSIM_TEST(test_swiotlb_juno_coherent_memory_comes_from_the_low_bank__coherent),
		IOSIM_TEST(test_swiotlb_juno_coherent_memory_comes_from_the_low_bank__noncoherent),
		IOSIM_TEST(test_swiotlb_juno_sg_mixing_low_and_high_banks__coherent),
		IOSIM_TEST(test_swiotlb_juno_sg_mixing_low_and_high_banks__noncoherent),
		IOSIM_TEST(test_swiotlb_juno_full_pool_fails_and_recovers),
		IOSIM_TEST(test_swiotlb_juno_map_failure_sweep_leaves_nothing),
		IOSIM_TEST(test_swiotlb_juno_device_access_to_the_hole_is_a_bus_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
