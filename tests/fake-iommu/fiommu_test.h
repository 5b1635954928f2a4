/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Helpers shared by the simulated IOMMU's tests (tests/fake-iommu): the
 * translation modes under test, a deterministic generator, page-table
 * fingerprints, and a small bus + device + instance fixture.
 */
#ifndef FIOMMU_TEST_H
#define FIOMMU_TEST_H

#include "ram_fixture.h"

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/sizes.h>
#include <linux/iommu.h>

#include <iosim/iommu.h>

#include "pgtable.h"

/* One translation granule and the page sizes its format allows. */
struct fiommu_mode {
	const char *name;
	unsigned long granule;
	unsigned long sizes[3];		/* ascending; granule first */
	unsigned int nr_sizes;
};

#define FIOMMU_NR_MODES	4
extern const struct fiommu_mode fiommu_modes[FIOMMU_NR_MODES];

/* splitmix64: deterministic, seeded per test. */
u64 fiommu_rand(u64 *state);

/* A random value in [0, @bound). */
u64 fiommu_rand_below(u64 *state, u64 bound);

/* Output check for format tests that map arbitrary physical addresses. */
bool fiommu_any_output(phys_addr_t phys, u64 len, void *data);

/*
 * A hash of every descriptor reachable from the top table, in walk order, and
 * of the table addresses: equal before and after an operation iff the tables
 * are exactly as they were.
 */
u64 fiommu_pgtable_fingerprint(const struct iosim_pgtable *pgt);

/* Everything a failed operation must leave unchanged. */
struct fiommu_pgt_snapshot {
	u64 fingerprint;
	unsigned long nr_tables;
	unsigned long nr_leaves[IOSIM_PGT_MAX_LEVELS];
	unsigned long nr_splits;
	unsigned int nr_spares;
	unsigned long free_pages;
};

void fiommu_pgt_snapshot(const struct iosim_pgtable *pgt, struct fiommu_pgt_snapshot *snap);
void fiommu_assert_pgt_unchanged(const struct iosim_pgtable *pgt,
				 const struct fiommu_pgt_snapshot *snap, const char *file,
				 int line);
#define assert_pgt_unchanged(pgt, snap) \
	fiommu_assert_pgt_unchanged((pgt), (snap), __FILE__, __LINE__)

/* The number of leaves of @size in @pgt. */
unsigned long fiommu_leaves_of_size(const struct iosim_pgtable *pgt, unsigned long size);

/* A bus of our own, so bus_set_iommu() never collides with other tests. */
extern struct bus_type fiommu_bus;
void fiommu_bus_register(void);
void fiommu_bus_unregister(void);

/* A device on @bus (NULL: fiommu_bus), added unless @no_add. */
struct device *fiommu_device(const char *name, struct bus_type *bus, bool no_add);

/* An instance of @granule with defaults otherwise; fails the test on error. */
struct iosim_iommu *fiommu_create(unsigned long granule, struct bus_type *bus);

/*
 * ops->domain_alloc(@type) of @iommu, then ops and type set as the core
 * does; NULL if the driver refuses.
 */
struct iommu_domain *fiommu_domain_alloc(struct iosim_iommu *iommu, unsigned int type);

/* A fault handler that records what it saw (install with iommu_set_fault_handler). */
struct fiommu_fault_seen {
	unsigned int nr;
	struct iommu_domain *domain;
	struct device *dev;
	unsigned long iova;
	int flags;
	int ret;		/* what the handler returns */
};

int fiommu_fault_handler(struct iommu_domain *domain, struct device *dev, unsigned long iova,
			 int flags, void *token);

/* Pages allocated now, not counting the slab allocator's. */
long fiommu_live_pages(void);

/*
 * Stand-in DMA cookie hooks for instances under test (the real ones are
 * lib/dma-iommu's): a 32-byte object per domain, counted, and made to fail
 * while fiommu_cookie_fail is set.
 */
extern unsigned int fiommu_cookie_gets, fiommu_cookie_puts;
extern bool fiommu_cookie_fail;
int fiommu_cookie_get(struct iommu_domain *dom);
void fiommu_cookie_put(struct iommu_domain *dom);

#endif /* FIOMMU_TEST_H */
