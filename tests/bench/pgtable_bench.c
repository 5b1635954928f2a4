// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Benchmark of the simulated IOMMU's page tables (lib/fake-iommu), through
 * the driver's own iommu_ops (no IOMMU core on the path).  For each granule:
 *
 *  - ns per map+unmap of one granule page, with its tables kept alive by a
 *    neighbour ("warm") and alone, so that unmap frees the tables and the
 *    next map allocates them again ("cold");
 *  - ns per map+unmap of each block size;
 *  - ns per GiB mapped (and unmapped) with granule pages, and with the
 *    largest blocks, and the table memory each needs per GiB.
 *
 * Outputs point into an "MMIO" window of the instance (nothing is accessed),
 * so a GiB of mappings needs no GiB of RAM.  Printed, never asserted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/iommu.h>

#include <iosim/iommu.h>
#include <iosim/ram.h>

#define OUT_BASE	(1ULL << 40)	/* the MMIO window: 1 GiB aligned */
#define OUT_SIZE	(4ULL << 30)

struct mode {
	const char *name;
	unsigned long granule;
	unsigned long blocks[2];
	unsigned int nr_blocks;
};

static const struct mode modes[] = {
	{ "4K", SZ_4K, { SZ_2M, SZ_1G }, 2 },
	{ "16K", SZ_16K, { SZ_32M }, 1 },
	{ "64K", SZ_64K, { SZ_512M }, 1 },
	{ "2K (small-page mode)", IOSIM_IOMMU_SMALL_PAGE, { SZ_512K, SZ_128M }, 2 },
};

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* "4K", "2M", "1G" */
static const char *size_str(unsigned long size, char *buf, size_t len)
{
	if (size >= SZ_1G)
		snprintf(buf, len, "%luG", size >> 30);
	else if (size >= SZ_1M)
		snprintf(buf, len, "%luM", size >> 20);
	else
		snprintf(buf, len, "%luK", size >> 10);
	return buf;
}

static void die(const char *what)
{
	fprintf(stderr, "pgtable_bench: %s failed\n", what);
	exit(1);
}

struct bench {
	struct iosim_iommu *iommu;
	const struct iommu_ops *ops;
	struct iommu_domain *domain;
};

static void bench_open(struct bench *b, unsigned long granule, unsigned long pgsize_mask)
{
	struct iosim_iommu_config cfg = {
		.granule = granule,
		.pgsize_mask = pgsize_mask,
		.mmio_base = OUT_BASE,
		.mmio_size = OUT_SIZE,
	};

	b->iommu = iosim_iommu_create(&cfg);
	if (IS_ERR(b->iommu))
		die("iosim_iommu_create");
	b->ops = iosim_iommu_ops(b->iommu);
	b->domain = b->ops->domain_alloc(IOMMU_DOMAIN_UNMANAGED);
	if (!b->domain)
		die("domain_alloc");
	b->domain->ops = b->ops;
	b->domain->type = IOMMU_DOMAIN_UNMANAGED;
}

static void bench_close(struct bench *b)
{
	b->ops->domain_free(b->domain);
	iosim_iommu_destroy(b->iommu);
}

/* ns per map+unmap of one @size mapping at @iova, @loops times. */
static double map_unmap_ns(struct bench *b, unsigned long iova, unsigned long size,
			   unsigned long loops)
{
	double start = now_ns();
	unsigned long i;

	for (i = 0; i < loops; i++) {
		if (b->ops->map(b->domain, iova, OUT_BASE, size, IOMMU_READ | IOMMU_WRITE))
			die("map");
		if (b->ops->unmap(b->domain, iova, size) != size)
			die("unmap");
	}
	return (now_ns() - start) / loops;
}

static void bench_single(const struct mode *mode)
{
	unsigned long g = mode->granule;
	unsigned long loops = 200000;
	struct bench b;
	unsigned int i;

	bench_open(&b, g, 0);
	/* Cold: each unmap empties and frees the tables below the top one. */
	printf("  %-28s %8.0f ns\n", "page map+unmap, cold", map_unmap_ns(&b, SZ_1G, g, loops));
	/* Warm: a neighbour keeps the tables alive. */
	if (b.ops->map(b.domain, SZ_1G + g, OUT_BASE, g, IOMMU_READ))
		die("map neighbour");
	printf("  %-28s %8.0f ns\n", "page map+unmap, warm", map_unmap_ns(&b, SZ_1G, g, loops));
	b.ops->unmap(b.domain, SZ_1G + g, g);
	for (i = 0; i < mode->nr_blocks; i++) {
		char label[64], sz[16];

		snprintf(label, sizeof(label), "%s block map+unmap",
			 size_str(mode->blocks[i], sz, sizeof(sz)));
		printf("  %-28s %8.0f ns\n", label,
		       map_unmap_ns(&b, 4UL << 30, mode->blocks[i], loops / 10));
	}
	bench_close(&b);
}

/* Map 1 GiB in @pgsize pieces (one map call each), then unmap it the same way. */
static void bench_gib(const struct mode *mode, unsigned long pgsize)
{
	char sz[16];
	unsigned long pgsize_mask = pgsize == mode->granule ? mode->granule : 0;
	struct iosim_iommu_stats stats;
	double start, mapped_ns, unmapped_ns;
	unsigned long iova, base = 4UL << 30;
	struct bench b;

	bench_open(&b, mode->granule, pgsize_mask);
	start = now_ns();
	for (iova = base; iova < base + SZ_1G; iova += pgsize)
		if (b.ops->map(b.domain, iova, OUT_BASE + (iova - base), pgsize, IOMMU_READ))
			die("map GiB");
	mapped_ns = now_ns() - start;
	iosim_iommu_get_stats(b.iommu, &stats);
	start = now_ns();
	for (iova = base; iova < base + SZ_1G; iova += pgsize)
		if (b.ops->unmap(b.domain, iova, pgsize) != pgsize)
			die("unmap GiB");
	unmapped_ns = now_ns() - start;
	printf("  1 GiB in %4s %-6s map %10.1f us, unmap %10.1f us, %5lu tables, "
	       "%8.1f KiB of tables\n", size_str(pgsize, sz, sizeof(sz)),
	       pgsize == mode->granule ? "pages:" : "blocks:", mapped_ns / 1e3,
	       unmapped_ns / 1e3, stats.tables, stats.table_bytes / 1024.0);
	bench_close(&b);
}

int main(void)
{
	struct iosim_ram_config ram = { .base_phys = 0x880000000ULL, .size_bytes = 1ULL << 30 };
	unsigned int m;

	if (iosim_ram_init(&ram))
		die("iosim_ram_init");
	printf("simulated IOMMU page tables (PAGE_SIZE %lu)\n", PAGE_SIZE);
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		const struct mode *mode = &modes[m];
		unsigned int i;

		printf("granule %s:\n", mode->name);
		bench_single(mode);
		bench_gib(mode, mode->granule);
		for (i = 0; i < mode->nr_blocks; i++)
			bench_gib(mode, mode->blocks[i]);
	}
	if (iosim_ram_exit())
		die("RAM teardown (pages leaked)");
	return 0;
}
