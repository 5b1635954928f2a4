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
 * Environment: PGTABLE_BENCH_WALL=1 (wall clock instead of thread CPU time),
 * PGTABLE_BENCH_NO_PREFAULT=1 (leave simulated RAM untouched before timing);
 * arguments: see main().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/iommu.h>
#include <linux/gfp.h>
#include <linux/mm.h>

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

/*
 * The clock: this thread's CPU time (user and system), so that figures do
 * not count the time other processes on a shared machine held the CPU;
 * PGTABLE_BENCH_WALL=1 in the environment selects wall-clock time instead.
 */
static clockid_t bench_clock = CLOCK_THREAD_CPUTIME_ID;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(bench_clock, &ts);
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

/*
 * Touch every frame of simulated RAM once (allocate all of it, then free
 * it), so that no figure pays for the host faulting in the memfd behind a
 * table page it is the first to use: a one-time cost of the simulator, not
 * of the page tables.  Returns the milliseconds it took.
 */
static double prefault_ram(void)
{
	struct page **blocks;
	unsigned long nr = 0, max = iosim_ram_nr_pages() / (1UL << (MAX_ORDER - 1)) + 1;
	double start = now_ns();
	struct page *page;

	blocks = calloc(max, sizeof(*blocks));
	if (!blocks)
		die("calloc");
	while (nr < max &&
	       (page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_ORDER - 1)))
		blocks[nr++] = page;
	while (nr)
		__free_pages(blocks[--nr], MAX_ORDER - 1);
	free(blocks);
	return (now_ns() - start) / 1e6;
}

/*
 * Usage: pgtable_bench [GRANULE [single|gib]]
 * GRANULE is a mode's name up to its first space ("4K", "16K", "64K", "2K"):
 * run that mode only (and only its single-page or its GiB figures), e.g. to
 * profile one figure with perf.
 */
int main(int argc, char **argv)
{
	struct iosim_ram_config ram = { .base_phys = 0x880000000ULL, .size_bytes = 1ULL << 30 };
	const char *only_mode = argc > 1 ? argv[1] : NULL;
	const char *only_part = argc > 2 ? argv[2] : NULL;
	unsigned int m;

	if (getenv("PGTABLE_BENCH_WALL"))
		bench_clock = CLOCK_MONOTONIC;
	if (iosim_ram_init(&ram))
		die("iosim_ram_init");
	printf("simulated IOMMU page tables (PAGE_SIZE %lu), %s time\n", PAGE_SIZE,
	       bench_clock == CLOCK_MONOTONIC ? "wall-clock" : "thread CPU");
	if (getenv("PGTABLE_BENCH_NO_PREFAULT"))
		printf("simulated RAM not prefaulted (first use of a frame faults it in)\n");
	else
		printf("simulated RAM prefaulted in %.0f ms\n", prefault_ram());
	for (m = 0; m < ARRAY_SIZE(modes); m++) {
		const struct mode *mode = &modes[m];
		size_t len = strcspn(mode->name, " ");
		unsigned int i;

		if (only_mode && (strlen(only_mode) != len || strncmp(only_mode, mode->name, len)))
			continue;
		printf("granule %s:\n", mode->name);
		if (!only_part || !strcmp(only_part, "single"))
			bench_single(mode);
		if (only_part && strcmp(only_part, "gib"))
			continue;
		bench_gib(mode, mode->granule);
		for (i = 0; i < mode->nr_blocks; i++)
			bench_gib(mode, mode->blocks[i]);
	}
	if (iosim_ram_exit())
		die("RAM teardown (pages leaked)");
	return 0;
}
