// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * arm64's swiotlb DMA ops through the generic DMA API, as a driver uses
 * them, with a device that has a 32-bit mask and no IOMMU, cache-coherent or
 * not, on two RAM layouts (the program's argument picks one; meson runs
 * both):
 *
 *  - "straddle": 256 MiB at 3.875 GiB, so RAM straddles 4 GiB;
 *  - "juno": ARM Juno's banks (issue 12), 32 MiB at 2 GiB (ZONE_DMA) and
 *    64 MiB at 34 GiB, with a hole of 30 GiB between.
 *
 * On both: the pool lies where the device reaches, a buffer it cannot reach
 * is bounced and arrives intact in both directions, one it reaches is not
 * bounced, coherent buffers come from memory it reaches, scatterlists mix
 * both kinds, sync_sg with the entry count brings every entry back, a full
 * pool fails with DMA_ERROR_CODE and recovers (reported as the kernel's
 * swiotlb_full(), its panic as a WARN), a second unmap is WARNed, and
 * injected allocation failures at boot and at map time leave nothing
 * behind.  The kernel's own swiotlb calls too: swiotlb_alloc_coherent()
 * falls back to the pool for memory above the coherent mask, a pool beyond
 * a device's mask fails its allocations and mappings cleanly, and
 * swiotlb_map_sg()/swiotlb_unmap_sg() bounce and give back.  A
 * non-coherent device's atomic allocation comes from the atomic pool (or
 * fails below it), and its sleeping one survives each allocation failing.  "straddle" also shows that the default RAM (above 4 GiB) gets no
 * pool; "juno" that a device access to the hole is a bus error.  Every
 * checker runs after every step.
 */
#include "swiotlb_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/spinlock.h>
#include <linux/swiotlb.h>
#include <iosim/bus_master.h>
#include <iosim/cache.h>
#include <iosim/dma.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/swiotlb.h>
#include <iosim/warn.h>

#define SZ_4G_PHYS		(1ULL << 32)
#define STRADDLE_BASE		0xf8000000ULL
#define STRADDLE_SIZE		(256ULL << 20)
#define JUNO_LOW_BYTES		(32ULL << 20)
#define JUNO_HIGH_BYTES		(64ULL << 20)
#define JUNO_LOW_END		(IOSIM_RAM_JUNO_LOW_BASE + JUNO_LOW_BYTES)
#define JUNO_HIGH_END		(IOSIM_RAM_JUNO_HIGH_BASE + JUNO_HIGH_BYTES)

/* A RAM layout: how to make it, and where the 32-bit device reaches in it. */
struct layout {
	const char *name;
	unsigned int nr_banks;
	void (*make)(struct iosim_ram_config *ram);
	/* [phys, phys + len) lies in RAM the device reaches / does not reach. */
	bool (*reached)(phys_addr_t phys, size_t len);
	bool (*unreached)(phys_addr_t phys, size_t len);
};

static void straddle_make(struct iosim_ram_config *ram)
{
	*ram = (struct iosim_ram_config){ .base_phys = STRADDLE_BASE, .size_bytes = STRADDLE_SIZE };
}

static bool straddle_reached(phys_addr_t phys, size_t len)
{
	return phys >= STRADDLE_BASE && phys + len <= SZ_4G_PHYS;
}

static bool straddle_unreached(phys_addr_t phys, size_t len)
{
	return phys >= SZ_4G_PHYS && phys + len <= STRADDLE_BASE + STRADDLE_SIZE;
}

static void juno_make(struct iosim_ram_config *ram)
{
	assert_int_equal(iosim_ram_config_juno(ram, JUNO_LOW_BYTES, JUNO_HIGH_BYTES), 0);
}

static bool juno_reached(phys_addr_t phys, size_t len)
{
	return phys >= IOSIM_RAM_JUNO_LOW_BASE && phys + len <= JUNO_LOW_END;
}

static bool juno_unreached(phys_addr_t phys, size_t len)
{
	return phys >= IOSIM_RAM_JUNO_HIGH_BASE && phys + len <= JUNO_HIGH_END;
}

static const struct layout layouts[] = {
	{ "straddle", 1, straddle_make, straddle_reached, straddle_unreached },
	{ "juno", 2, juno_make, juno_reached, juno_unreached },
};

/* The layout this run tests (main()). */
static const struct layout *L;

/* The layout's RAM, the DMA layer (pool of @pool_bytes, 0: default) and the device. */
static void boot(bool coherent, size_t pool_bytes)
{
	struct iosim_ram_config ram;

	L->make(&ram);
	swt_boot(&ram, "dev32", coherent, pool_bytes);
	assert_int_equal(iosim_ram_nr_banks(), L->nr_banks);
	assert_true(iosim_swiotlb_ready());
}

/*
 * A @pages-page buffer the device does not reach (GFP_KERNEL prefers
 * ZONE_NORMAL) or one it reaches (GFP_DMA).
 */
static unsigned char *buf_alloc(size_t pages, bool unreached)
{
	unsigned char *buf = swt_buf_alloc(pages, unreached ? GFP_KERNEL : GFP_DMA);
	phys_addr_t phys = virt_to_phys(buf);

	if (unreached)
		assert_true(L->unreached(phys, pages * PAGE_SIZE));
	else
		assert_true(L->reached(phys, pages * PAGE_SIZE));
	return buf;
}

/* The device's address @dma of @len bytes is in its mask and in RAM it reaches. */
static void assert_reached(dma_addr_t dma, size_t len)
{
	assert_true(dma + len - 1 <= DMA_BIT_MASK(32));
	assert_true(L->reached(dma_to_phys(swt_dev, dma), len));
}

static void test_swiotlb_pool_lies_where_the_device_reaches(void **state)
{
	struct iosim_swiotlb_stats st;

	(void)state;
	boot(true, 0);
	iosim_swiotlb_get_stats(&st);
	assert_true(L->reached(iosim_swiotlb_pool_phys(), st.nslabs << IO_TLB_SHIFT));
	swt_shutdown();
}

static void transmit_unreached(bool coherent)
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
	assert_reached(dma, len);
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

static void test_swiotlb_transmit_from_unreached_memory_bounces__coherent(void **state)
{
	(void)state;
	transmit_unreached(true);
}

static void test_swiotlb_transmit_from_unreached_memory_bounces__noncoherent(void **state)
{
	(void)state;
	transmit_unreached(false);
}

/* Receive with a sync in the middle: both device writes reach the CPU. */
static void receive_unreached(bool coherent)
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
	assert_int_equal(dma & ~PAGE_MASK, 0);	/* a page or more: page aligned */
	assert_reached(dma, len);
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

static void test_swiotlb_receive_into_unreached_memory_bounces__coherent(void **state)
{
	(void)state;
	receive_unreached(true);
}

static void test_swiotlb_receive_into_unreached_memory_bounces__noncoherent(void **state)
{
	(void)state;
	receive_unreached(false);
}

static void reached_not_bounced(bool coherent)
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

static void test_swiotlb_reached_memory_is_not_bounced__coherent(void **state)
{
	(void)state;
	reached_not_bounced(true);
}

static void test_swiotlb_reached_memory_is_not_bounced__noncoherent(void **state)
{
	(void)state;
	reached_not_bounced(false);
}

static void coherent_reached(bool coherent)
{
	size_t len = 5 * PAGE_SIZE;
	unsigned char *data = malloc(len);
	dma_addr_t dma;
	void *cpu;

	assert_non_null(data);
	boot(coherent, 0);
	cpu = dma_alloc_coherent(swt_dev, len, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	assert_reached(dma, len);	/* ZONE_DMA */
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

static void test_swiotlb_coherent_memory_comes_from_reached_memory__coherent(void **state)
{
	(void)state;
	coherent_reached(true);
}

static void test_swiotlb_coherent_memory_comes_from_reached_memory__noncoherent(void **state)
{
	(void)state;
	coherent_reached(false);
}

/* Six entries alternating unreached (bounced) and reached (direct), bidirectional. */
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
		assert_int_equal(swt_bounced(sg_dma_address(sg)), !(i & 1));
		assert_reached(sg_dma_address(sg), sg_dma_len(sg));
		if (i & 1)
			assert_int_equal(dma_to_phys(swt_dev, sg_dma_address(sg)),
					 virt_to_phys(bufs[i] + 64));
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

static void test_swiotlb_sg_mixing_reached_and_unreached__coherent(void **state)
{
	(void)state;
	sg_mixed(true);
}

static void test_swiotlb_sg_mixing_reached_and_unreached__noncoherent(void **state)
{
	(void)state;
	sg_mixed(false);
}

/* dma_sync_sg_for_cpu with the entry count: every bounced entry comes back. */
static void sg_sync(bool coherent)
{
	struct scatterlist sgl[3], *sg;
	unsigned char *bufs[3], data[2000];
	int i;

	boot(coherent, 0);
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

static void test_swiotlb_sync_sg_for_cpu_brings_back_every_entry__coherent(void **state)
{
	(void)state;
	sg_sync(true);
}

static void test_swiotlb_sync_sg_for_cpu_brings_back_every_entry__noncoherent(void **state)
{
	(void)state;
	sg_sync(false);
}

/* One segment of pool (256 KiB): four 64 KiB maps fill it. */
/*
 * swiotlb_alloc_coherent() as the kernel exports it: memory the allocator
 * gives above the device's coherent mask (GFP_KERNEL, not GFP_DMA) is given
 * back, and the buffer comes from the pool instead, zeroed; freeing it
 * gives the slots back.
 */
static void test_swiotlb_alloc_coherent_above_the_mask_comes_from_the_pool(void **state)
{
	size_t len = 3 * PAGE_SIZE;
	unsigned char *data = malloc(len);
	struct iosim_swiotlb_stats st;
	dma_addr_t dma;
	void *cpu;

	(void)state;
	assert_non_null(data);
	boot(true, 0);
	cpu = swiotlb_alloc_coherent(swt_dev, len, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	assert_reached(dma, len);
	assert_true(swt_bounced(dma));
	assert_ptr_equal(cpu, phys_to_virt(dma_to_phys(swt_dev, dma)));
	assert_null(memchr_inv(cpu, 0, len));
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.slots_used, DIV_ROUND_UP(len, IO_TLB_SIZE));
	swt_check_all();
	swt_fill(data, len, 11);
	assert_int_equal(iosim_dma_write(swt_dev, dma, data, len), 0);
	assert_true(swt_matches(cpu, len, 11));
	swiotlb_free_coherent(swt_dev, len, cpu, dma);
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.slots_used, 0);
	swt_check_all();
	free(data);
	swt_shutdown();
}

/*
 * A device whose mask stops below the pool: swiotlb_alloc_coherent() and
 * swiotlb_map_page() find no memory it reaches, fail (NULL, DMA_ERROR_CODE)
 * and keep no slot.  The allocation is refused as the kernel refused it
 * (log lines); the map, where the kernel silently copied the slot's stale
 * contents back over a receive buffer, is WARNed and copies nothing.
 */
static void test_swiotlb_pool_beyond_the_mask_fails_cleanly(void **state)
{
	u64 mask = DMA_BIT_MASK(24), saved_mask, saved_coherent;
	unsigned char *buf;
	struct iosim_swiotlb_stats st;
	dma_addr_t dma = 0;

	(void)state;
	boot(true, 0);
	assert_true(iosim_swiotlb_pool_phys() > mask);
	buf = buf_alloc(1, true);
	saved_mask = *swt_dev->dma_mask;
	saved_coherent = swt_dev->coherent_dma_mask;
	*swt_dev->dma_mask = mask;
	swt_dev->coherent_dma_mask = mask;

	assert_null(swiotlb_alloc_coherent(swt_dev, PAGE_SIZE, &dma, GFP_KERNEL));
	assert_int_equal(iosim_warn_count(), 0);	/* refused, not misused */
	/* Stale data in the free slots: the kernel copied it back on FROM_DEVICE. */
	memset(phys_to_virt(iosim_swiotlb_pool_phys()), 0xa5, 4 * PAGE_SIZE);
	memset(buf, 0x5a, PAGE_SIZE);
	assert_int_equal(dma_map_single(swt_dev, buf, 256, DMA_FROM_DEVICE), DMA_ERROR_CODE);
	assert_warned("is beyond the DMA mask");
	assert_true(iosim_bytes_all(buf, 0x5a, PAGE_SIZE));
	assert_int_equal(swiotlb_map_page(swt_dev, virt_to_page(buf), 0, PAGE_SIZE,
					  DMA_BIDIRECTIONAL, NULL), DMA_ERROR_CODE);
	assert_warned("is beyond the DMA mask");
	assert_true(iosim_bytes_all(buf, 0x5a, PAGE_SIZE));
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.slots_used, 0);
	swt_check_all();

	*swt_dev->dma_mask = saved_mask;
	swt_dev->coherent_dma_mask = saved_coherent;
	swt_buf_free(buf, 1);
	swt_check_all();
	swt_shutdown();
}

/* swiotlb_map_sg()/swiotlb_unmap_sg(), the kernel's calls without attributes. */
static void test_swiotlb_map_sg_without_attributes(void **state)
{
	unsigned char *bufs[2];
	struct scatterlist sgl[2];
	struct iosim_swiotlb_stats st;
	unsigned char *back = malloc(PAGE_SIZE);
	int i;

	(void)state;
	assert_non_null(back);
	boot(true, 0);
	sg_init_table(sgl, 2);
	for (i = 0; i < 2; i++) {
		bufs[i] = buf_alloc(1, true);
		swt_fill(bufs[i], PAGE_SIZE, 20 + i);
		sg_set_buf(&sgl[i], bufs[i], PAGE_SIZE);
	}
	assert_int_equal(swiotlb_map_sg(swt_dev, sgl, 2, DMA_TO_DEVICE), 2);
	for (i = 0; i < 2; i++) {
		assert_true(swt_bounced(sg_dma_address(&sgl[i])));
		assert_int_equal(sg_dma_len(&sgl[i]), PAGE_SIZE);
		assert_int_equal(iosim_dma_read(swt_dev, sg_dma_address(&sgl[i]), back,
						PAGE_SIZE), 0);
		assert_true(swt_matches(back, PAGE_SIZE, 20 + i));
	}
	swt_check_all();
	swiotlb_unmap_sg(swt_dev, sgl, 2, DMA_TO_DEVICE);
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.slots_used, 0);
	swt_check_all();
	for (i = 0; i < 2; i++)
		swt_buf_free(bufs[i], 1);
	free(back);
	swt_shutdown();
}

/*
 * A non-coherent device's allocation that may not sleep (GFP_ATOMIC) comes
 * from the atomic pool, in memory the device reaches and not bounced; the
 * pool's memory is mapped uncached, so the device's writes show through the
 * CPU address at once.  With a coherent mask below the pool it fails.
 */
static void test_swiotlb_atomic_allocation_of_a_noncoherent_device(void **state)
{
	size_t len = 2 * PAGE_SIZE;
	unsigned char *data = malloc(len);
	u64 saved_coherent;
	dma_addr_t dma;
	void *cpu;

	(void)state;
	assert_non_null(data);
	boot(false, 0);
	cpu = dma_alloc_coherent(swt_dev, len, &dma, GFP_ATOMIC);
	assert_non_null(cpu);
	assert_reached(dma, len);
	assert_false(swt_bounced(dma));
	swt_fill(data, len, 31);
	assert_int_equal(iosim_dma_write(swt_dev, dma, data, len), 0);
	assert_true(swt_matches(cpu, len, 31));
	swt_check_all();
	dma_free_coherent(swt_dev, len, cpu, dma);
	swt_check_all();

	saved_coherent = swt_dev->coherent_dma_mask;
	swt_dev->coherent_dma_mask = DMA_BIT_MASK(24);
	dma = 0;
	assert_null(dma_alloc_coherent(swt_dev, len, &dma, GFP_ATOMIC));
	assert_int_equal(dma, DMA_ERROR_CODE);
	assert_int_equal(iosim_warn_count(), 0);
	swt_dev->coherent_dma_mask = saved_coherent;
	swt_check_all();
	free(data);
	swt_shutdown();
}

/*
 * A non-coherent device's sleeping allocation under each allocation failing
 * in turn, until none is met.  A failure either fails the allocation (NULL,
 * DMA_ERROR_CODE) or is absorbed (the pages' failure sends it to the bounce
 * pool, as swiotlb_alloc_coherent() does); either way, once the buffer is
 * freed, nothing is left alive.
 */
static void test_swiotlb_noncoherent_allocation_failure_sweep_leaves_nothing(void **state)
{
	size_t len = 3 * PAGE_SIZE;
	dma_addr_t dma = 0;
	unsigned long n, failed = 0, absorbed = 0;
	long live_before;
	void *cpu = NULL;

	(void)state;
	boot(false, 0);
	live_before = iosim_live_total();
	for (n = 1; n < 100; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		cpu = dma_alloc_coherent(swt_dev, len, &dma, GFP_KERNEL);
		if (!iosim_fault_injected())
			break;
		iosim_fault_reset();
		if (cpu) {
			absorbed++;
			assert_reached(dma, len);
			dma_free_coherent(swt_dev, len, cpu, dma);
		} else {
			failed++;
			assert_int_equal(dma, DMA_ERROR_CODE);
		}
		assert_int_equal(iosim_live_total(), live_before);
		swt_check_all();
	}
	iosim_fault_reset();
	assert_true(failed >= 1);	/* the uncached alias cannot be had */
	assert_true(absorbed >= 1);	/* the pages' failure: the pool instead */
	assert_non_null(cpu);
	assert_reached(dma, len);
	dma_free_coherent(swt_dev, len, cpu, dma);
	assert_int_equal(iosim_live_total(), live_before);
	swt_check_all();
	swt_shutdown();
}

static void test_swiotlb_full_pool_fails_and_recovers(void **state)
{
	size_t len = 64 * 1024, pages = len / PAGE_SIZE ? len / PAGE_SIZE : 1;
	unsigned char *bufs[5];
	struct scatterlist sgl[2];
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
	/*
	 * More than 32 KiB on a full pool: the kernel's swiotlb_full() logged
	 * and panicked ("Random memory could be DMA read"); a WARN here, and
	 * the map fails cleanly.
	 */
	iosim_log_reset();
	dma[4] = dma_map_single(swt_dev, bufs[4], len, DMA_TO_DEVICE);
	assert_int_equal(dma[4], DMA_ERROR_CODE);
	assert_true(dma_mapping_error(swt_dev, dma[4]));
	assert_true(iosim_log_seen("swiotlb buffer is full (sz: 65536 bytes)"));
	assert_true(iosim_log_seen("DMA: Out of SW-IOMMU space for 65536 bytes at device dev32"));
	assert_warned("DMA: Random memory could be DMA read");
	swt_check_all();
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.full_failures, 1);
	assert_int_equal(st.slots_used, 4 * len / IO_TLB_SIZE);

	/* 32 KiB or less: both lines, no panic. */
	iosim_log_reset();
	dma[4] = dma_map_single(swt_dev, bufs[4], 16 * 1024, DMA_FROM_DEVICE);
	assert_true(dma_mapping_error(swt_dev, dma[4]));
	assert_true(iosim_log_seen("swiotlb buffer is full (sz: 16384 bytes)"));
	assert_true(iosim_log_seen("DMA: Out of SW-IOMMU space for 16384 bytes at device dev32"));
	assert_no_warnings();

	/*
	 * A list whose second entry cannot be bounced maps nothing and leaks
	 * nothing; map_sg reports it without the panic.
	 */
	dma_unmap_single(swt_dev, dma[3], len, DMA_TO_DEVICE);
	sg_init_table(sgl, 2);
	sg_set_buf(&sgl[0], bufs[3], len);
	sg_set_buf(&sgl[1], bufs[4], len);
	iosim_log_reset();
	assert_int_equal(dma_map_sg(swt_dev, sgl, 2, DMA_TO_DEVICE), 0);
	assert_true(iosim_log_seen("DMA: Out of SW-IOMMU space for 65536 bytes at device dev32"));
	assert_no_warnings();
	swt_check_all();
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.full_failures, 3);
	assert_int_equal(st.slots_used, 3 * len / IO_TLB_SIZE);

	/* Freed slots serve the next map. */
	swt_fill(bufs[4], len, 8);
	dma[4] = dma_map_single(swt_dev, bufs[4], len, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(swt_dev, dma[4]));
	assert_true(swt_bounced(dma[4]));
	swt_check_all();
	for (i = 0; i < 5; i++) {
		if (i != 3)
			dma_unmap_single(swt_dev, dma[i], len, DMA_TO_DEVICE);
		swt_buf_free(bufs[i], pages);
	}
	swt_check_all();
	swt_shutdown();
}

/* Allocate 2^order-page GFP_DMA blocks until ZONE_DMA is empty; how many are in @held. */
struct dma_zone_hog {
	struct page **pages;
	unsigned int *orders;
	unsigned long nr;
};

static void hog_zone_dma(struct dma_zone_hog *h)
{
	unsigned long max = iosim_ram_zone_pages(ZONE_DMA) + 1;
	int order;

	h->pages = calloc(max, sizeof(*h->pages));
	h->orders = calloc(max, sizeof(*h->orders));
	assert_non_null(h->pages);
	assert_non_null(h->orders);
	h->nr = 0;
	for (order = MAX_ORDER - 1; order >= 0; order--) {
		struct page *page;

		while ((page = alloc_pages(GFP_DMA | __GFP_NOWARN, (unsigned int)order))) {
			assert_true(h->nr < max);
			h->pages[h->nr] = page;
			h->orders[h->nr++] = (unsigned int)order;
		}
	}
	assert_int_equal(iosim_ram_zone_free_pages(ZONE_DMA), 0);
}

static void unhog_zone_dma(struct dma_zone_hog *h)
{
	while (h->nr--)
		__free_pages(h->pages[h->nr], h->orders[h->nr]);
	free(h->pages);
	free(h->orders);
}

/*
 * swiotlb_alloc_coherent() asks the page allocator with the caller's flags,
 * as the kernel's __get_free_pages(flags): with ZONE_DMA exhausted the
 * allocator's "page allocation failure" is logged although the bounce pool
 * rescues the allocation; with __GFP_NOWARN it is not.
 */
static void test_swiotlb_coherent_fallback_logs_the_page_allocation_failure(void **state)
{
	struct dma_zone_hog hog;
	dma_addr_t h;
	void *cpu;

	(void)state;
	boot(true, 0);
	hog_zone_dma(&hog);
	iosim_log_reset();
	cpu = dma_alloc_coherent(swt_dev, PAGE_SIZE, &h, GFP_KERNEL);
	assert_non_null(cpu);
	assert_true(swt_bounced(h));
	assert_true(iosim_log_seen("page allocation failure"));
	dma_free_coherent(swt_dev, PAGE_SIZE, cpu, h);

	iosim_log_reset();
	cpu = dma_alloc_coherent(swt_dev, PAGE_SIZE, &h, GFP_KERNEL | __GFP_NOWARN);
	assert_non_null(cpu);
	assert_true(swt_bounced(h));
	assert_false(iosim_log_seen("page allocation failure"));
	dma_free_coherent(swt_dev, PAGE_SIZE, cpu, h);
	unhog_zone_dma(&hog);
	swt_check_all();
	swt_shutdown();
}

/*
 * swiotlb_free_coherent() starts with the kernel's WARN_ON(irqs_disabled()):
 * freeing coherent memory under spin_lock_irqsave() is reported, and the
 * buffer is still freed.  Outside the lock it is not.
 */
static void test_swiotlb_free_coherent_with_irqs_disabled_is_warned(void **state)
{
	DEFINE_SPINLOCK(lock);
	unsigned long flags;
	long live_before;
	dma_addr_t h;
	void *cpu;

	(void)state;
	boot(true, 0);
	live_before = iosim_live_total();
	cpu = dma_alloc_coherent(swt_dev, PAGE_SIZE, &h, GFP_KERNEL);
	assert_non_null(cpu);
	spin_lock_irqsave(&lock, flags);
	assert_true(irqs_disabled());
	dma_free_coherent(swt_dev, PAGE_SIZE, cpu, h);
	spin_unlock_irqrestore(&lock, flags);
	assert_false(irqs_disabled());
	assert_warned("irqs_disabled");
	assert_int_equal(iosim_live_total(), live_before);

	/* The pool's buffers too (swiotlb_free_coherent() called directly). */
	cpu = swiotlb_alloc_coherent(swt_dev, 3 * PAGE_SIZE, &h, GFP_KERNEL);
	assert_non_null(cpu);
	assert_true(swt_bounced(h));
	local_irq_disable();
	swiotlb_free_coherent(swt_dev, 3 * PAGE_SIZE, cpu, h);
	local_irq_enable();
	assert_warned("irqs_disabled");
	assert_int_equal(iosim_live_total(), live_before);

	cpu = dma_alloc_coherent(swt_dev, PAGE_SIZE, &h, GFP_KERNEL);
	assert_non_null(cpu);
	dma_free_coherent(swt_dev, PAGE_SIZE, cpu, h);
	assert_no_warnings();
	swt_check_all();
	swt_shutdown();
}

/*
 * 2015's stride rule puts a one-page buffer from the bounce pool on any
 * slot.  For a non-coherent device the kernel then remapped the page
 * containing it (the wrong bytes); here the allocation is WARNed and fails
 * with nothing kept.
 */
static void test_swiotlb_unaligned_pool_buffer_of_a_noncoherent_device_is_refused(void **state)
{
	struct iosim_swiotlb_stats st;
	unsigned char *buf;
	dma_addr_t dma, h = 0;
	long live_before;

	(void)state;
	boot(false, 0);
	buf = buf_alloc(1, true);
	dma = dma_map_single(swt_dev, buf, 100, DMA_TO_DEVICE);	/* slot 0 */
	assert_true(swt_bounced(dma));
	live_before = iosim_live_total();
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC), 1);
	assert_null(dma_alloc_coherent(swt_dev, PAGE_SIZE, &h, GFP_KERNEL));
	assert_true(iosim_fault_injected());
	iosim_fault_reset();
	assert_int_equal(h, DMA_ERROR_CODE);
	assert_warned("is not page aligned; cannot remap it non-cacheable");
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.slots_used, 1);
	assert_int_equal(iosim_live_total(), live_before);
	swt_check_all();
	dma_unmap_single(swt_dev, dma, 100, DMA_TO_DEVICE);
	swt_buf_free(buf, 1);
	swt_shutdown();
}

/* Injected allocation failures around a bounced map leave the pool as it was. */
static void test_swiotlb_map_failure_sweep_leaves_nothing(void **state)
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

/* Boot-time failures: every injected failure boots with the direct ops, nothing leaks. */
static void test_swiotlb_boot_failure_sweep_falls_back_to_direct(void **state)
{
	struct iosim_ram_config ram;
	unsigned long n, free_pages;
	bool up = false;

	(void)state;
	L->make(&ram);
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

/* A second unmap of a bounced buffer is WARNed and leaves the pool intact. */
static void test_swiotlb_double_unmap_of_a_bounce_buffer_is_warned(void **state)
{
	unsigned char *buf;
	dma_addr_t dma;

	(void)state;
	boot(false, 0);
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

/* "straddle" only: the default RAM lies above 4 GiB, so no pool is made. */
static void test_swiotlb_default_ram_has_no_pool(void **state)
{
	struct page *page;
	dma_addr_t dma;

	(void)state;
	swt_boot(NULL, "dev32", true, 0);
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

/* "juno" only: without an IOMMU the bus address is physical; the hole is a bus error. */
static void test_swiotlb_device_access_to_the_hole_is_a_bus_error(void **state)
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
	phys = JUNO_LOW_END - 16;
	assert_int_equal(iosim_dma_write(swt_dev, phys, data, sizeof(data)), -EFAULT);
	assert_int_equal(iosim_dma_write(swt_dev, phys, data, 16), 0);	/* the RAM part alone works */
	assert_int_equal(iosim_dma_write(swt_dev, virt_to_phys(buf), data, sizeof(data)), 0);
	assert_no_warnings();
	swt_check_all();
	swt_buf_free(buf, 1);
	swt_shutdown();
}

/* usage: test_swiotlb_api straddle|juno */
int main(int argc, char **argv)
{
	const struct CMUnitTest common[] = {
		IOSIM_TEST(test_swiotlb_pool_lies_where_the_device_reaches),
		IOSIM_TEST(test_swiotlb_transmit_from_unreached_memory_bounces__coherent),
		IOSIM_TEST(test_swiotlb_transmit_from_unreached_memory_bounces__noncoherent),
		IOSIM_TEST(test_swiotlb_receive_into_unreached_memory_bounces__coherent),
		IOSIM_TEST(test_swiotlb_receive_into_unreached_memory_bounces__noncoherent),
		IOSIM_TEST(test_swiotlb_reached_memory_is_not_bounced__coherent),
		IOSIM_TEST(test_swiotlb_reached_memory_is_not_bounced__noncoherent),
		IOSIM_TEST(test_swiotlb_coherent_memory_comes_from_reached_memory__coherent),
		IOSIM_TEST(test_swiotlb_coherent_memory_comes_from_reached_memory__noncoherent),
		IOSIM_TEST(test_swiotlb_sg_mixing_reached_and_unreached__coherent),
		IOSIM_TEST(test_swiotlb_sg_mixing_reached_and_unreached__noncoherent),
		IOSIM_TEST(test_swiotlb_sync_sg_for_cpu_brings_back_every_entry__coherent),
		IOSIM_TEST(test_swiotlb_sync_sg_for_cpu_brings_back_every_entry__noncoherent),
		IOSIM_TEST(test_swiotlb_alloc_coherent_above_the_mask_comes_from_the_pool),
		IOSIM_TEST(test_swiotlb_pool_beyond_the_mask_fails_cleanly),
		IOSIM_TEST(test_swiotlb_map_sg_without_attributes),
		IOSIM_TEST(test_swiotlb_atomic_allocation_of_a_noncoherent_device),
		IOSIM_TEST(test_swiotlb_noncoherent_allocation_failure_sweep_leaves_nothing),
		IOSIM_TEST(test_swiotlb_full_pool_fails_and_recovers),
		IOSIM_TEST(test_swiotlb_map_failure_sweep_leaves_nothing),
		IOSIM_TEST(test_swiotlb_coherent_fallback_logs_the_page_allocation_failure),
		IOSIM_TEST(test_swiotlb_free_coherent_with_irqs_disabled_is_warned),
		IOSIM_TEST(test_swiotlb_unaligned_pool_buffer_of_a_noncoherent_device_is_refused),
		IOSIM_TEST(test_swiotlb_boot_failure_sweep_falls_back_to_direct),
		IOSIM_TEST(test_swiotlb_double_unmap_of_a_bounce_buffer_is_warned),
	};
	const struct CMUnitTest straddle_only[] = {
		IOSIM_TEST(test_swiotlb_default_ram_has_no_pool),
	};
	const struct CMUnitTest juno_only[] = {
		IOSIM_TEST(test_swiotlb_device_access_to_the_hole_is_a_bus_error),
	};
	unsigned int i;
	int failed;

	for (i = 0; i < ARRAY_SIZE(layouts); i++)
		if (argc == 2 && !strcmp(argv[1], layouts[i].name))
			L = &layouts[i];
	if (!L) {
		fprintf(stderr, "usage: %s straddle|juno\n", argv[0]);
		return 2;
	}
	failed = _cmocka_run_group_tests(L->name, common, ARRAY_SIZE(common), NULL, NULL);
	if (L == &layouts[0])
		failed += cmocka_run_group_tests_name("straddle only", straddle_only, NULL, NULL);
	else
		failed += cmocka_run_group_tests_name("juno only", juno_only, NULL, NULL);
	return failed;
}
