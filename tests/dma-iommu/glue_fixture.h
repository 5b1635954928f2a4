/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A device behind a simulated IOMMU, with a DMA domain set up the way arch
 * code sets one up for the glue: iommu_domain_alloc(), iommu_get_dma_cookie(),
 * iommu_dma_init_domain(), iommu_attach_device().  The same fixture serves
 * our glue and the seed's dma-iommu.c.
 */
#ifndef GLUE_FIXTURE_H
#define GLUE_FIXTURE_H

#include "iosim_test.h"

#include <linux/device.h>
#include <linux/dma-iommu.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <iosim/iommu.h>

struct glue_config {
	unsigned long granule;		/* IOMMU granule (0: 4K) */
	u64 ram_base;			/* simulated RAM placement (0: 34 GiB) */
	u64 ram_size;			/* (0: 128 MiB) */
	u64 dma_base;			/* DMA domain base (0: 0) */
	u64 dma_size;			/* DMA domain size (0: 4 GiB) */
	u64 dma_mask;			/* (0: 64-bit) */
	unsigned int max_seg;		/* max_segment_size (0: 64 KiB) */
	unsigned long boundary;		/* segment_boundary_mask (0: 32-bit) */
	bool coherent;
};

struct glue {
	struct glue_config cfg;
	struct bus_type bus;
	struct iosim_iommu *iommu;
	struct device *dev;
	struct iommu_domain *domain;
	struct iova_domain *iovad;
	/*
	 * Host buffers the list assertions reuse (grown, never shrunk; freed by
	 * glue_teardown()): a fresh large malloc() per list is an mmap() and
	 * its page faults under AddressSanitizer.
	 */
	unsigned char *scratch[2];
	size_t scratch_bytes[2];
};

/* Build the fixture (asserting every step). */
void glue_setup(struct glue *g, const struct glue_config *cfg);

/* Assert the DMA domain is idle (no IOVA, no mapping), then tear everything down. */
void glue_teardown(struct glue *g);

/* Assert no IOVA range is allocated and the page tables hold no mapping. */
void glue_assert_idle(struct glue *g);

/* The IOVA ranges currently allocated in the DMA domain. */
unsigned long glue_live_ranges(struct glue *g);

/*
 * Pages allocated now (IOSIM_OBJ_PAGE), less the pages of the domain's spare
 * page tables (its stats' spare_table_bytes): emptied tables the simulated
 * IOMMU keeps for reuse, which an unmap, including one that unwinds a failed
 * map, may leave behind.  The domain checker vouches for the spares.
 */
long glue_pages_but_spare_tables(struct glue *g);

/* Fill @len bytes at @virt with a pattern derived from @seed. */
void glue_fill(void *virt, size_t len, unsigned int seed);

/*
 * The device reads every returned DMA segment in order; assert the bytes
 * equal the caller's entries' bytes in order (nents = the count passed to
 * map_sg, count = what it returned).
 */
void glue_assert_device_reads_list(struct glue *g, struct scatterlist *sg, int nents, int count);

/* The device writes through the segments; assert it lands in the caller's pages. */
void glue_assert_device_writes_list(struct glue *g, struct scatterlist *sg, int nents,
				    int count, unsigned int seed);

/*
 * Assert the device limits hold for the returned segments: none longer than
 * max_seg unless a single unmergeable entry, none crossing the boundary
 * unless a single entry that cannot fit a window, entries after @count
 * have dma_len 0.
 */
void glue_assert_segments_respect_limits(struct glue *g, struct scatterlist *sg, int nents,
					 int count);

/* Assert every device access to [addr, addr + len) faults. */
void glue_assert_device_faults(struct glue *g, dma_addr_t addr, size_t len);

#endif /* GLUE_FIXTURE_H */
