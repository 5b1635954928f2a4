// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sim_bench_pgtable.c - `iommudma-sim bench --pgtable`: the simulated
 * IOMMU's page tables through the IOMMU core's iommu_map()/iommu_unmap(),
 * as dma-iommu drives them:
 *
 *  - one mapping of GRANULE IOMMU pages mapped and unmapped in a loop, cold
 *    (nothing else in its tables, so they are emptied every time) and warm
 *    (a neighbour keeps them alive);
 *  - a RANGE of bytes mapped one GRANULE-page piece at a time, then unmapped
 *    the same way: the cost per page and the page tables it took.
 *
 * Mappings point at an MMIO window outside RAM (the simulated IOMMU accepts
 * it as an output range), so the range may be larger than simulated RAM;
 * only the page tables live in RAM.
 */
#include <errno.h>
#include <stdio.h>

#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <iosim/iommu.h>
#include <iosim/ram.h>

#include "sim.h"

#define PGT_IOVA_BASE		(4ULL << 30)		/* above 32 bits, as a 64-bit device */
#define PGT_OUT_BASE		(1ULL << 40)		/* the MMIO window mappings point at */
#define PGT_RAM_BYTES		(256ULL << 20)		/* holds the page tables */
#define PGT_RAM_BASE		0x880000000ULL

/* Loop map+unmap of @size at @iova for @seconds; the mean ns per pair, or < 0. */
static double pgt_loop(struct iommu_domain *domain, unsigned long iova, size_t size,
		       unsigned int seconds, const char *what)
{
	uint64_t start = sim_now_ns(), end = start + (uint64_t)seconds * 1000000000ULL, now;
	uint64_t pairs = 0;

	do {
		unsigned int i;

		for (i = 0; i < 256; i++) {
			if (iommu_map(domain, iova, PGT_OUT_BASE, size, IOMMU_READ | IOMMU_WRITE))
				return -1;
			if (iommu_unmap(domain, iova, size) != size)
				return -1;
		}
		pairs += 256;
		now = sim_now_ns();
		sim_progress(what, now - start, end - start);
	} while (now < end);
	sim_progress_end();
	return (double)(now - start) / (double)pairs;
}

/* Map [@iova, @iova + @range) in @piece pieces, then unmap it; print the costs. */
static int pgt_range(struct iosim_iommu *iommu, struct iommu_domain *domain, unsigned long iova,
		     u64 range, size_t piece)
{
	struct iosim_iommu_stats stats;
	uint64_t t0, map_ns, unmap_ns;
	u64 off;

	t0 = sim_now_ns();
	for (off = 0; off < range; off += piece)
		if (iommu_map(domain, iova + off, PGT_OUT_BASE + off, piece, IOMMU_READ))
			return -ENOMEM;
	map_ns = sim_now_ns() - t0;
	iosim_iommu_get_stats(iommu, &stats);
	t0 = sim_now_ns();
	for (off = 0; off < range; off += piece)
		if (iommu_unmap(domain, iova + off, piece) != piece)
			return -EIO;
	unmap_ns = sim_now_ns() - t0;
	printf("pgtable range: %llu MiB in %zu-byte pieces: map %.2f ms (%.1f ns/piece), "
	       "unmap %.2f ms (%.1f ns/piece), %lu page tables (%llu KiB)\n",
	       (unsigned long long)(range >> 20), piece, (double)map_ns / 1e6,
	       (double)map_ns / (double)(range / piece), (double)unmap_ns / 1e6,
	       (double)unmap_ns / (double)(range / piece), stats.tables,
	       (unsigned long long)(stats.table_bytes >> 10));
	return 0;
}

/**
 * sim_bench_pgtable - run the page-table benchmark and print its lines
 * @cfg: seconds, IOMMU pages per mapping, IOMMU granule, range in bytes
 *
 * Context: the process's main thread; no simulation alive.
 * Return: 0; -ENOMEM when RAM, the IOMMU, its domain or a page table could
 * not be had; -EIO when an unmap did not unmap what was mapped.  Everything
 * is torn down either way.
 */
int sim_bench_pgtable(const struct sim_bench_alloc_cfg *cfg)
{
	struct iosim_ram_config rcfg = { .base_phys = PGT_RAM_BASE, .size_bytes = PGT_RAM_BYTES };
	struct iosim_iommu_config icfg = {
		.name = "smmu0",
		.granule = cfg->smmu_granule,
		.bus = &platform_bus_type,
		.mmio_base = PGT_OUT_BASE,
	};
	size_t size = cfg->granule_pages * cfg->smmu_granule;
	u64 range = max_t(u64, size, cfg->range_bytes - cfg->range_bytes % size);
	unsigned int third = cfg->seconds > 2 ? cfg->seconds / 3 : 1;
	struct iommu_domain *domain;
	struct iosim_iommu *iommu;
	double cold, warm;
	int ret = -ENOMEM;

	icfg.mmio_size = range;
	if (iosim_ram_init(&rcfg))
		return -ENOMEM;
	iommu = iosim_iommu_create(&icfg);
	if (IS_ERR(iommu))
		goto out_ram;
	domain = iommu_domain_alloc(&platform_bus_type);
	if (!domain)
		goto out_iommu;
	printf("pgtable: IOMMU granule %lu bytes, mappings of %lu page(s), range %llu MiB\n",
	       cfg->smmu_granule, cfg->granule_pages,
	       (unsigned long long)(range >> 20));
	cold = pgt_loop(domain, PGT_IOVA_BASE, size, third, "bench pgtable cold");
	if (iommu_map(domain, PGT_IOVA_BASE + size, PGT_OUT_BASE, cfg->smmu_granule, IOMMU_READ))
		goto out_domain;
	warm = pgt_loop(domain, PGT_IOVA_BASE, size, third, "bench pgtable warm");
	iommu_unmap(domain, PGT_IOVA_BASE + size, cfg->smmu_granule);
	if (cold < 0 || warm < 0)
		goto out_domain;
	printf("pgtable map+unmap: cold %.1f ns/pair, warm %.1f ns/pair\n", cold, warm);
	ret = pgt_range(iommu, domain, PGT_IOVA_BASE, range, size);
out_domain:
	iommu_domain_free(domain);
out_iommu:
	iosim_iommu_destroy(iommu);
out_ram:
	if (iosim_ram_exit() && !ret)
		ret = -EIO;
	return ret;
}
