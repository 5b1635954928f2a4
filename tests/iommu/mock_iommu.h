/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A recording IOMMU driver for testing the IOMMU core at its one boundary,
 * struct iommu_ops.
 *
 * Each domain keeps an exact model of its mappings (one entry per driver
 * map call, split when part of it is unmapped).  Every call is recorded in
 * order.  The mock checks what the core promises a driver: map/unmap
 * requests of exactly one supported page size, with iova and paddr aligned
 * to it, and map requests that grant some access.  A broken promise is a
 * "violation": it is counted and printed, and the fixture's teardown fails
 * the test if any occurred.  Tests can make map, attach and add_device fail.
 *
 * The mock counts its domains as IOSIM_OBJ_DOMAIN (the core leaves domain
 * accounting to drivers), allocates them with kzalloc() and consults
 * IOSIM_FAULT_DOMAIN_ALLOC, so allocation-failure sweeps reach it.
 */
#ifndef IOMMU_TEST_MOCK_IOMMU_H
#define IOMMU_TEST_MOCK_IOMMU_H

#include "iosim_test.h"

#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/sizes.h>

#define MOCK_MAX_ENTRIES	2048	/* mappings per domain */
#define MOCK_MAX_CALLS		8192	/* recorded calls; later ones only counted */
#define MOCK_MAX_ATTACHED	64	/* devices attached at once */
#define MOCK_MAX_REGIONS	8	/* direct-mapped regions reported */

#define MOCK_BITMAP_4K_2M_1G	(SZ_4K | SZ_2M | SZ_1G)
#define MOCK_BITMAP_4K_64K_2M	(SZ_4K | SZ_64K | SZ_2M)
#define MOCK_BITMAP_2K_4K	(SZ_2K | SZ_4K)

enum mock_op {
	MOCK_MAP,
	MOCK_UNMAP,
	MOCK_MAP_SG,
	MOCK_ATTACH,
	MOCK_DETACH,
	MOCK_ADD_DEVICE,
	MOCK_REMOVE_DEVICE,
	MOCK_DOMAIN_ALLOC,
	MOCK_DOMAIN_FREE,
	MOCK_GET_ATTR,
	MOCK_SET_ATTR,
	MOCK_NR_OPS
};

struct mock_call {
	enum mock_op op;
	struct iommu_domain *domain;
	struct device *dev;
	unsigned long iova;
	phys_addr_t paddr;
	size_t size;
	int prot;
	long ret;		/* errno, or bytes for unmap/map_sg */
};

struct mock_entry {
	unsigned long iova;
	phys_addr_t paddr;
	size_t size;
	int prot;
};

struct mock_domain {
	struct iommu_domain domain;
	unsigned int alloc_type;	/* what domain_alloc() was asked for */
	int nesting;			/* DOMAIN_ATTR_NESTING */
	unsigned int nr_entries;
	struct mock_entry entries[MOCK_MAX_ENTRIES];
};

struct mock_state {
	struct iommu_ops ops;		/* what bus_set_iommu() gets; tests may edit */

	struct mock_call calls[MOCK_MAX_CALLS];
	unsigned int nr_calls;
	unsigned long nr_op_calls[MOCK_NR_OPS];
	unsigned int violations;

	/* map: fail call number map_fail_at (1-based, among map calls) */
	unsigned long map_fail_at;
	int map_fail_errno;
	/* map: fail each call with this probability (deterministic) */
	unsigned int map_fail_per_million;
	unsigned long rng;
	unsigned long map_failures_injected;

	/* unmap: a request at the start of a larger entry removes all of it */
	bool unmap_whole_entry;

	bool no_dma_domains;		/* domain_alloc(IOMMU_DOMAIN_DMA) fails */
	bool no_identity_domains;	/* domain_alloc(IOMMU_DOMAIN_IDENTITY) fails */

	int attach_errno;		/* attach_dev fails with it ... */
	struct device *attach_fail_dev;	/* ... for this device only (NULL: any) */

	int add_device_errno;		/* add_device fails with it ... */
	struct device *add_device_fail_dev; /* ... for this device only (NULL: any) */

	/* which device is attached to which domain */
	struct {
		struct device *dev;
		struct iommu_domain *domain;
	} attached[MOCK_MAX_ATTACHED];

	/* direct-mapped regions reported for every device */
	unsigned int nr_regions;
	struct {
		phys_addr_t start;
		size_t length;
		int prot;
	} regions[MOCK_MAX_REGIONS];
};

extern struct mock_state mock;

/* A registered bus of our own for the mock (platform_bus_type stays free). */
extern struct bus_type mock_bus;

/** mock_reset - forget everything; page sizes @pgsize_bitmap, full ops. */
void mock_reset(unsigned long pgsize_bitmap);

/* The callbacks, for tests that build ops of their own. */
int mock_map(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr, size_t size,
	     int prot);
size_t mock_unmap(struct iommu_domain *domain, unsigned long iova, size_t size);
size_t mock_map_sg(struct iommu_domain *domain, unsigned long iova, struct scatterlist *sg,
		   unsigned int nents, int prot);
int mock_add_device(struct device *dev);
/* As a driver's remove_device: forget @dev's attachment, leave its group. */
void mock_remove_device(struct device *dev);

static inline struct mock_domain *to_mock(struct iommu_domain *domain)
{
	return container_of(domain, struct mock_domain, domain);
}

/** mock_domain_new - a domain straight from the driver, as the seed's arm64 code does. */
struct iommu_domain *mock_domain_new(unsigned int type);

/** mock_calls - how many calls of @op were made since the last reset/clear. */
unsigned long mock_calls(enum mock_op op);

/** mock_clear_calls - forget the recorded calls (the mappings stay). */
void mock_clear_calls(void);

/** mock_nth_call - the @n-th (0-based) recorded call of @op, or NULL. */
const struct mock_call *mock_nth_call(enum mock_op op, unsigned int n);

/** mock_attached_to - the domain @dev is attached to in the driver, or NULL. */
struct iommu_domain *mock_attached_to(struct device *dev);

/** mock_lookup - the physical address @iova maps to in @domain (true if mapped). */
bool mock_lookup(struct iommu_domain *domain, unsigned long iova, phys_addr_t *paddr,
		 int *prot);

/** mock_mapped_bytes - total bytes mapped in @domain. */
size_t mock_mapped_bytes(struct iommu_domain *domain);

/** mock_check_domain - fail the test if the domain's model has overlapping entries. */
void mock_check_domain(struct iommu_domain *domain);

/* Fixtures: the iosim fixture plus mock_reset(4K|2M|1G); the teardown fails on
 * violations and clears the mock bus's IOMMU ops. *_ram also create RAM. */
int mock_setup(void **state);
int mock_teardown(void **state);
int mock_setup_ram(void **state);
int mock_teardown_ram(void **state);

#define MOCK_TEST(fn)		cmocka_unit_test_setup_teardown(fn, mock_setup, mock_teardown)
#define MOCK_TEST_RAM(fn) \
	cmocka_unit_test_setup_teardown(fn, mock_setup_ram, mock_teardown_ram)

/** mock_bus_init - bus_register(&mock_bus) once per process; call from main(). */
void mock_bus_init(void);

/** mock_device - a device on @bus (NULL: mock_bus) named @name, added unless @no_add. */
struct device *mock_device(const char *name, struct bus_type *bus, bool no_add);

/* Assert both the core's and the driver's model are consistent. */
#define assert_iommu_consistent() assert_int_equal(iosim_iommu_check(), 0)

#endif /* IOMMU_TEST_MOCK_IOMMU_H */
