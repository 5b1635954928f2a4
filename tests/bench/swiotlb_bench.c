// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Benchmark of bounce buffering: ns per dma_map_single() + dma_unmap_single()
 * of 4 KiB on a device with a 32-bit mask and no IOMMU, on ARM Juno's RAM
 * layout (iosim_ram_config_juno(): 128 MiB at 2 GiB, 128 MiB at 34 GiB):
 * "bounced" for a buffer in the high bank (slot allocation and a 4 KiB copy
 * each way that the direction asks for), "direct" for one in the low bank.  Coherent and non-coherent devices; BIDIRECTIONAL
 * so that both copies happen.  Printed, never asserted.
 *
 *   meson compile -C build bench-swiotlb
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/kernel.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/swiotlb.h>
#include <iosim/dma.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/swiotlb.h>

#define PAIRS		100000

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ns per 4 KiB map+unmap pair of @buf, or -1 if a map failed. */
static double bench_pairs(struct device *dev, void *buf)
{
	double t0 = 0;
	int i;

	for (i = -1000; i < PAIRS; i++) {	/* the first 1000 warm the caches */
		dma_addr_t d;

		if (!i)
			t0 = now_ns();
		d = dma_map_single(dev, buf, SZ_4K, DMA_BIDIRECTIONAL);
		if (dma_mapping_error(dev, d))
			return -1;
		dma_unmap_single(dev, d, SZ_4K, DMA_BIDIRECTIONAL);
	}
	return (now_ns() - t0) / PAIRS;
}

static int run(bool coherent)
{
	struct iosim_ram_config ram;
	struct iosim_of_device_config cfg = {
		.dev = { .name = "bench32", .dma_mask = DMA_BIT_MASK(32) },
		.dma_coherent = coherent,
	};
	struct page *high, *low;
	struct device *dev;
	double bounced, direct;

	if (iosim_ram_config_juno(&ram, 128ULL << 20, 128ULL << 20) || iosim_ram_init(&ram) ||
	    iosim_dma_system_init() || !iosim_swiotlb_ready())
		return 1;
	dev = iosim_of_device_create(&cfg);
	high = alloc_page(GFP_KERNEL);
	low = alloc_page(GFP_DMA);
	if (!dev || !high || !low || page_to_phys(high) < (1ULL << 32))
		return 1;
	bounced = bench_pairs(dev, page_address(high));
	direct = bench_pairs(dev, page_address(low));
	printf("Juno %-14s  4 KiB map+unmap: bounced %8.1f ns   direct %8.1f ns\n",
	       coherent ? "coherent" : "non-coherent", bounced, direct);
	__free_page(high);
	__free_page(low);
	iosim_of_device_destroy(dev);
	iosim_dma_system_exit();
	iosim_ram_exit();
	return bounced < 0 || direct < 0;
}

int main(void)
{
	int ret;

	iosim_log_set_console_level(0);
	ret = run(true);
	ret |= run(false);
	return ret;
}
