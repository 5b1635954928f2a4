/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A simulated arm64 system for DMA API tests: simulated RAM, the DMA layer
 * booted (iosim_dma_system_init()), optionally a simulated IOMMU serving the
 * platform bus, and one device created the way the OF core creates it
 * (iosim_of_device_create()): behind the IOMMU or not, cache-coherent or
 * not.  The same fixture serves our lib/dma-mapping and the seed's own
 * patches 2/3 and 3/3 (built with -DIOSIM_SEED_ARM64).
 */
#ifndef DMA_FIXTURE_H
#define DMA_FIXTURE_H

#include "iosim_test.h"

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <iosim/dma.h>
#include <iosim/iommu.h>
#include <iosim/dma_debug.h>

struct dma_config {
	bool iommu;			/* behind a simulated IOMMU on the platform bus */
	bool coherent;			/* "dma-coherent" */
	bool default_domains;		/* the IOMMU driver makes IOMMU_DOMAIN_DMA domains */
	bool no_add;			/* set the device up, do not add it */
	unsigned long granule;		/* IOMMU granule (0: 4K) */
	u64 dma_mask;			/* (0: 64-bit) */
	u64 dma_size;			/* DMA window (0: of_dma_configure's default) */
	unsigned int max_seg;		/* (0: 64 KiB) */
	unsigned long boundary;		/* (0: 32-bit) */
	size_t atomic_pool;		/* (0: the default 256 KiB) */
};

struct dma_fix {
	struct dma_config cfg;
	struct iosim_iommu *iommu;
	struct device *dev;
};

/* The four arm64 platform kinds most tests run on. */
extern const struct dma_config dma_iommu_coherent;
extern const struct dma_config dma_iommu_noncoherent;
extern const struct dma_config dma_direct_coherent;
extern const struct dma_config dma_direct_noncoherent;

/* Build everything (asserting every step) / check and tear down. */
void dma_fix_setup(struct dma_fix *f, const struct dma_config *cfg);
void dma_fix_teardown(struct dma_fix *f);

/* Every sanity checker of the stack. */
void dma_fix_check(struct dma_fix *f);

/* The cache model's counters of the fixture's device. */
void dma_fix_counters(struct dma_fix *f, struct iosim_cache_counters *out);

/*
 * DMA-API debugging is on: a test ends with no report it did not consume.
 * dma_assert_reported() asserts a report of @kind was made, and clears
 * them all; dma_assert_some_reports() accepts any (misuse sweeps).
 */
void dma_assert_no_debug_reports(void);
void dma_assert_reported(enum iosim_dma_debug_kind kind);
void dma_assert_some_reports(void);
/*
 * After a host-memory refusal: DMA-API debugging is consistent and made no
 * report, or exactly one OUT_OF_ENTRIES (the refusal reached it).
 */
void dma_assert_no_report_but_out_of_entries(void);

/* Fill @len bytes with a pattern of @seed / compare against it. */
void dma_fill(void *p, size_t len, unsigned int seed);
bool dma_matches(const void *p, size_t len, unsigned int seed);

/* The device reads / writes @len bytes at @addr: assert it succeeded. */
void dma_dev_read(struct dma_fix *f, dma_addr_t addr, void *buf, size_t len);
void dma_dev_write(struct dma_fix *f, dma_addr_t addr, const void *buf, size_t len);

#endif /* DMA_FIXTURE_H */
