// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * dma_debug_bench - nanoseconds per debug_dma_map_page() +
 * debug_dma_mapping_error() + debug_dma_unmap_page() sequence (what one
 * dma_map_single()/dma_unmap_single() pair adds), with checks on and off,
 * with 0, 1K and 16K other mappings live (spread over 16 devices), and the
 * cost of one iosim_dma_debug_device_access() (a per-device walk).
 *
 * Not a test: timings vary with the machine.  Run: meson compile -C <build>
 * bench-dma_debug (or meson test -C <build> --benchmark --suite dma_debug).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/dma-direction.h>
#include <linux/dma-debug.h>
#include <iosim/device.h>
#include <iosim/dma_debug.h>
#include <iosim/log.h>
#include <iosim/ram.h>

#define NR_DEVS		16
#define IOVA_BASE	0x100000000ULL

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static struct device *devs[NR_DEVS];
static struct page *page;

static double pair_ns(unsigned long iters)
{
	double t0 = now_ns();
	unsigned long i;

	for (i = 0; i < iters; i++) {
		dma_addr_t dma = IOVA_BASE + ((i & 255) << 12);

		iosim_dma_debug_site(__FILE__, __LINE__);
		debug_dma_map_page(devs[0], page, 0, 2048, DMA_TO_DEVICE, dma, true);
		debug_dma_mapping_error(devs[0], dma);
		debug_dma_unmap_page(devs[0], dma, 2048, DMA_TO_DEVICE, true);
	}
	return (now_ns() - t0) / iters;
}

static void populate(unsigned long nr)
{
	unsigned long i;

	for (i = 0; i < nr; i++) {
		struct device *dev = devs[1 + i % (NR_DEVS - 1)];
		dma_addr_t dma = 0x200000000ULL + (i << 12);

		debug_dma_map_page(dev, page, (i * 128) % PAGE_SIZE, 64, DMA_TO_DEVICE, dma, false);
		debug_dma_mapping_error(dev, dma);
	}
}

int main(void)
{
	static const unsigned long live[] = { 0, 1024, 16384 };
	const unsigned long iters = 1000000;
	unsigned int i;
	char name[32];
	double off, on, t0;

	if (iosim_ram_init(NULL))
		return 1;
	iosim_log_set_console_level(0);
	page = alloc_pages(GFP_KERNEL, 0);
	for (i = 0; i < NR_DEVS; i++) {
		struct iosim_device_config cfg = { .name = name };

		snprintf(name, sizeof(name), "bench%u", i);
		devs[i] = iosim_device_create(&cfg);
		if (!devs[i])
			return 1;
	}
	dma_debug_init(65536);

	iosim_dma_debug_set_enabled(false);
	off = pair_ns(iters);
	printf("map+check+unmap hooks, checks off:            %7.1f ns\n", off);
	iosim_dma_debug_set_enabled(true);
	for (i = 0; i < ARRAY_SIZE(live); i++) {
		populate(live[i]);
		on = pair_ns(iters);
		printf("map+check+unmap hooks, checks on, %5lu live: %7.1f ns\n", live[i], on);
		iosim_dma_debug_reset();
		dma_debug_init(65536);
	}

	debug_dma_map_page(devs[0], page, 0, PAGE_SIZE, DMA_TO_DEVICE, IOVA_BASE, false);
	debug_dma_mapping_error(devs[0], IOVA_BASE);
	t0 = now_ns();
	for (i = 0; i < iters; i++)
		iosim_dma_debug_device_access(devs[0], IOVA_BASE + (i & 63) * 64, 64, false);
	printf("device access (1 live mapping):               %7.1f ns\n",
	       (now_ns() - t0) / iters);
	printf("reports: %lu (expected 0)\n", iosim_dma_debug_total());

	iosim_dma_debug_reset();
	for (i = 0; i < NR_DEVS; i++)
		iosim_device_destroy(devs[i]);
	__free_pages(page, 0);
	iosim_ram_exit();
	return 0;
}
