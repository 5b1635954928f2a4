// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Benchmark of the whole DMA stack as a driver sees it: the generic API, the
 * arm64 ops, the glue, the IOVA allocator, the simulated IOMMU's page tables
 * and the cache model.  For each platform kind (behind the IOMMU or direct,
 * coherent or not):
 *
 *  - ns per dma_map_single() + dma_unmap_single() of 4 KiB: "lone" with
 *    nothing else mapped (every map allocates the page tables its unmap
 *    frees again), and "ring" with 32 other buffers mapped, as in a
 *    driver's ring (the tables stay);
 *  - ns per segment of dma_map_sg() + dma_unmap_sg() of 64 x 4 KiB pages;
 *  - ns per 4 KiB of the device reading those 64 pages, mapped, in one
 *    access per DMA segment (iosim_dma_read(): behind the IOMMU one access
 *    of 64 leaves, translated through the IOTLB; direct, 64 accesses of
 *    one page: the copy alone, so the difference is the translation).
 *
 * Each platform runs with DMA-API debugging off and on (issue: DMA-API
 * debugging: under 2x the unchecked cost).
 *
 * Targets (issue: the DMA API): <= 150 ns per 4 KiB pair on a coherent
 * device behind the IOMMU, <= 40 ns per sg segment.  Printed, never asserted.
 *
 *   meson setup build-bench -Dbenchmarks=true && meson compile -C build-bench bench-dma
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/kernel.h>
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <iosim/bus_master.h>
#include <iosim/dma.h>
#include <iosim/dma_debug.h>
#include <iosim/iommu.h>
#include <iosim/log.h>
#include <iosim/ram.h>

#define PAIRS		200000
#define SG_NENTS	64
#define SG_ROUNDS	5000
#define READ_ROUNDS	2000

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

struct platform {
	const char *name;
	bool iommu;
	bool coherent;
};

static const struct platform platforms[] = {
	{ "IOMMU, coherent", true, true },
	{ "IOMMU, non-coherent", true, false },
	{ "direct, coherent", false, true },
	{ "direct, non-coherent", false, false },
};

#define RING_LIVE	32
#define RING_BUFS	(RING_LIVE + 1)

/* Map+unmap pairs with @live other buffers mapped all along. */
static double bench_single(struct device *dev, unsigned char *bufs, unsigned int live)
{
	dma_addr_t ring[RING_BUFS];
	unsigned int head = 0, n = live + 1;
	double t0 = 0, t1;
	int i;

	for (i = 0; i < (int)live; i++) {
		ring[i] = dma_map_single(dev, bufs + (size_t)i * SZ_4K, SZ_4K, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, ring[i]))
			return -1;
	}
	for (i = -1000; i < PAIRS; i++) {	/* the first 1000 warm the caches */
		unsigned int slot = (head + live) % n;
		dma_addr_t d;

		if (!i)
			t0 = now_ns();
		d = dma_map_single(dev, bufs + (size_t)slot * SZ_4K, SZ_4K, DMA_TO_DEVICE);
		if (dma_mapping_error(dev, d))
			return -1;
		ring[slot] = d;
		dma_unmap_single(dev, ring[head], SZ_4K, DMA_TO_DEVICE);
		head = (head + 1) % n;
	}
	t1 = now_ns();
	for (i = 0; i < (int)live; i++, head = (head + 1) % n)
		dma_unmap_single(dev, ring[head], SZ_4K, DMA_TO_DEVICE);
	return (t1 - t0) / PAIRS;
}

static double bench_sg(struct device *dev, struct scatterlist *sgl)
{
	double t0, t1;
	int i;

	t0 = now_ns();
	for (i = 0; i < SG_ROUNDS; i++) {
		int count = dma_map_sg(dev, sgl, SG_NENTS, DMA_TO_DEVICE);

		if (!count)
			return -1;
		dma_unmap_sg(dev, sgl, SG_NENTS, DMA_TO_DEVICE);
	}
	t1 = now_ns();
	return (t1 - t0) / SG_ROUNDS / SG_NENTS;
}

/* The device reads the pages of @sgl, mapped: ns per 4 KiB. */
static double bench_device_read(struct device *dev, struct scatterlist *sgl)
{
	static unsigned char buf[SG_NENTS * SZ_4K];
	struct scatterlist *s;
	double t0 = 0, t1;
	int count, i, j;

	count = dma_map_sg(dev, sgl, SG_NENTS, DMA_TO_DEVICE);
	if (!count)
		return -1;
	for (i = -100; i < READ_ROUNDS; i++) {	/* the first 100 fill the IOTLB */
		size_t done = 0;

		if (!i)
			t0 = now_ns();
		for_each_sg(sgl, s, count, j) {
			if (iosim_dma_read(dev, sg_dma_address(s), buf + done, sg_dma_len(s)))
				return -1;
			done += sg_dma_len(s);
		}
	}
	t1 = now_ns();
	dma_unmap_sg(dev, sgl, SG_NENTS, DMA_TO_DEVICE);
	return (t1 - t0) / READ_ROUNDS / SG_NENTS;
}

/* dma_bench [ROW]: every row, or only row ROW (0-7, in the order printed: for profiling). */
int main(int argc, char **argv)
{
	struct iosim_ram_config ram = { .base_phys = IOSIM_RAM_DEFAULT_BASE_PHYS,
					.size_bytes = 64ULL << 20 };
	static struct scatterlist sgl[SG_NENTS];
	struct page *pages[SG_NENTS];
	unsigned int p, i, only = ~0u;

	if (argc > 1)
		only = (unsigned int)strtoul(argv[1], NULL, 0);
	iosim_log_set_console_level(3);
	printf("DMA API: map+unmap through the whole stack (PAGE_SIZE %lu)\n", PAGE_SIZE);
	printf("%-22s %-9s %14s %14s %20s %18s\n", "platform", "dma-debug", "4 KiB lone ns",
	       "4 KiB ring ns", "sg ns/segment (64)", "dev read ns/4 KiB");
	for (p = 0; p < 2 * ARRAY_SIZE(platforms); p++) {
		/* Each platform with DMA-API debugging off, then on (its overhead). */
		bool debug = p >= ARRAY_SIZE(platforms);
		const struct platform *plat = &platforms[p % ARRAY_SIZE(platforms)];
		struct iosim_iommu_config icfg = { .name = "smmu", .bus = &platform_bus_type };
		struct iosim_of_device_config dcfg = {
			.dev = { .name = "bench", .dma_mask = DMA_BIT_MASK(64),
				 .max_segment_size = SZ_1G, .segment_boundary_mask = ~0UL },
			.dma_coherent = plat->coherent,
		};
		struct iosim_iommu *iommu = NULL;
		struct device *dev;
		struct page *page;
		double lone, ring, sg, rd;

		if (only != ~0u && p != only)
			continue;
		if (iosim_ram_init(&ram) || iosim_dma_system_init())
			return 1;
		iosim_dma_debug_set_enabled(debug);
		if (plat->iommu) {
			iommu = iosim_iommu_create(&icfg);
			if (IS_ERR(iommu))
				return 1;
			dcfg.iommu = iommu;
		}
		dev = iosim_of_device_create(&dcfg);
		page = alloc_pages(GFP_KERNEL, get_order(RING_BUFS * SZ_4K));
		if (!dev || !page)
			return 1;
		sg_init_table(sgl, SG_NENTS);
		for (i = 0; i < SG_NENTS; i++) {
			/* Every other page: the entries do not merge. */
			pages[i] = alloc_pages(GFP_KERNEL, 1);
			if (!pages[i])
				return 1;
			sg_set_page(&sgl[i], pages[i], PAGE_SIZE < SZ_4K ? PAGE_SIZE : SZ_4K, 0);
		}

		lone = bench_single(dev, page_address(page), 0);
		ring = bench_single(dev, page_address(page), RING_LIVE);
		sg = bench_sg(dev, sgl);
		rd = bench_device_read(dev, sgl);
		printf("%-22s %-9s %14.1f %14.1f %20.1f %18.1f\n", plat->name, debug ? "on" : "off",
		       lone, ring, sg, rd);
		if (iosim_dma_debug_total())
			printf("  (%lu DMA-API debug reports: the benchmark misuses the API)\n",
			       iosim_dma_debug_total());

		for (i = 0; i < SG_NENTS; i++)
			__free_pages(pages[i], 1);
		__free_pages(page, get_order(RING_BUFS * SZ_4K));
		arch_teardown_dma_ops(dev);
		iosim_of_device_destroy(dev);
		if (iommu)
			iosim_iommu_destroy(iommu);
		iosim_dma_system_exit();
		iosim_ram_exit();
	}
	printf("targets: <= 150 ns per 4 KiB pair (IOMMU, coherent); <= 40 ns per sg segment\n");
	return 0;
}
