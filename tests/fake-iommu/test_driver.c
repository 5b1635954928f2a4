// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulated IOMMU as an iommu_ops driver: instances and their
 * configuration, domains and contexts, the IOMMU core driving map/unmap,
 * the per-instance fault-injection knobs, and the domain and instance
 * checkers' reports.  Masters and groups are in test_masters.c, device DMA
 * in test_bus_master.c.
 */
#include "fiommu_test.h"

#include <stdio.h>

#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/scatterlist.h>

#include <iosim/bus_master.h>
#include <iosim/device.h>
#include <iosim/fault.h>
#include <iosim/iommu_core.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/warn.h>

#include "fake_iommu.h"

static void free_domain(struct iommu_domain *domain)
{
	domain->ops->domain_free(domain);
}

static struct iosim_iommu *create_cfg(const struct iosim_iommu_config *cfg)
{
	struct iosim_iommu *iommu = iosim_iommu_create(cfg);

	assert_false(IS_ERR(iommu));
	assert_int_equal(iosim_iommu_instance_check(iommu), 0);
	return iommu;
}

/* -- instances ------------------------------------------------------------ */

static void test_create_fills_in_defaults(void **state)
{
	struct iosim_iommu *iommu = iosim_iommu_create(NULL);
	struct iosim_iommu_config cfg;
	const struct iommu_ops *ops;

	assert_false(IS_ERR(iommu));
	assert_int_equal(iosim_live(IOSIM_OBJ_IOMMU), 1);
	iosim_iommu_get_config(iommu, &cfg);
	assert_int_equal(cfg.granule, SZ_4K);
	assert_int_equal(cfg.ias_bits, 48);
	assert_int_equal(cfg.oas_bits, 48);
	assert_int_equal(cfg.nr_contexts, IOSIM_IOMMU_DEFAULT_CONTEXTS);
	assert_int_equal(cfg.iotlb_entries, IOSIM_IOMMU_DEFAULT_IOTLB);
	assert_int_equal(cfg.pgsize_mask, SZ_4K | SZ_2M | SZ_1G);
	assert_false(cfg.bypass_unattached);
	assert_non_null(strstr(iosim_iommu_name(iommu), "iosim-iommu"));

	ops = iosim_iommu_ops(iommu);
	assert_int_equal(ops->pgsize_bitmap, SZ_4K | SZ_2M | SZ_1G);
	assert_non_null(ops->domain_alloc);
	assert_non_null(ops->map);
	assert_ptr_equal(ops->map_sg, default_iommu_map_sg);
	assert_ptr_equal(ops->device_group, generic_device_group);
	assert_true(ops->capable(IOMMU_CAP_CACHE_COHERENCY));
	assert_true(ops->capable(IOMMU_CAP_NOEXEC));
	assert_int_equal(iosim_iommu_instance_check(iommu), 0);
	iosim_iommu_destroy(iommu);
	assert_int_equal(iosim_live(IOSIM_OBJ_IOMMU), 0);
	iosim_iommu_destroy(NULL);
}

static int never_called_cookie_get(struct iommu_domain *domain)
{
	fail();
	return -EINVAL;
}

static void test_create_rejects_bad_configurations(void **state)
{
	static const struct iosim_iommu_config bad[] = {
		{ .granule = SZ_8K },
		{ .ias_bits = 31 },
		{ .oas_bits = 49 },
		{ .granule = SZ_64K, .pgsize_mask = SZ_4K },
		{ .pgsize_mask = SZ_2M | SZ_1G },		/* drops the granule */
		{ .mmio_base = ~0ULL - SZ_4K, .mmio_size = SZ_1M },
	};
	struct iosim_iommu_config half_cookie = { .dma_cookie_get = never_called_cookie_get };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_ptr_equal(iosim_iommu_create(&bad[i]), ERR_PTR(-EINVAL));
		assert_warned("iosim iommu");
	}
	assert_ptr_equal(iosim_iommu_create(&half_cookie), ERR_PTR(-EINVAL));
	assert_warned("dma_cookie_put");
	assert_int_equal(iosim_live_total(), 0);
}

static void test_create_allocation_failure_leaves_nothing(void **state)
{
	struct iosim_iommu_config cfg = { .name = "swept" };
	struct iosim_iommu *iommu;
	unsigned long n;

	/* Every allocation site (slab pages come from the page allocator too). */
	iosim_log_set_console_level(3);	/* injected failures are not news */
	for (n = 1; ; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		iommu = iosim_iommu_create(&cfg);
		if (!iosim_fault_injected())
			break;
		assert_ptr_equal(iommu, ERR_PTR(-ENOMEM));
		assert_int_equal(iosim_live_total(), 0);
	}
	iosim_fault_reset();
	assert_true(n >= 3);
	assert_false(IS_ERR(iommu));
	assert_string_equal(iosim_iommu_name(iommu), "swept");
	iosim_iommu_destroy(iommu);

	/* Counting kmalloc calls only: the instance and its IOTLB. */
	for (n = 1; ; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB), n);
		iommu = iosim_iommu_create(&cfg);
		if (!iosim_fault_injected())
			break;
		assert_ptr_equal(iommu, ERR_PTR(-ENOMEM));
	}
	iosim_fault_reset();
	assert_int_equal(n, 3);
	iosim_iommu_destroy(iommu);
	iosim_log_set_console_level(5);
}

static void test_instances_with_different_granules_coexist(void **state)
{
	struct iosim_iommu *iommus[FIOMMU_NR_MODES];
	struct iommu_domain *domains[FIOMMU_NR_MODES];
	unsigned int m;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		iommus[m] = fiommu_create(fiommu_modes[m].granule, NULL);
		domains[m] = fiommu_domain_alloc(iommus[m], IOMMU_DOMAIN_UNMANAGED);
		assert_non_null(domains[m]);
	}
	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		const struct fiommu_mode *mode = &fiommu_modes[m];
		phys_addr_t phys = iosim_ram_base_phys() + 3 * mode->sizes[0];

		assert_int_equal(__ffs(domains[m]->ops->pgsize_bitmap), ilog2(mode->granule));
		assert_ptr_equal(iosim_iommu_from_domain(domains[m]), iommus[m]);
		/* The core splits by each instance's own page sizes. */
		assert_int_equal(iommu_map(domains[m], mode->granule, phys, mode->granule,
					   IOMMU_READ), 0);
		assert_int_equal(iommu_iova_to_phys(domains[m], mode->granule + 1), phys + 1);
		/* Smaller than the granule: the core refuses, whatever PAGE_SIZE is. */
		iosim_log_set_console_level(3);
		assert_int_equal(iommu_map(domains[m], 0, phys, mode->granule / 2, IOMMU_READ),
				 -EINVAL);
		assert_true(iosim_log_seen("unaligned"));
		iosim_log_set_console_level(5);
	}
	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		assert_int_equal(iosim_iommu_domain_check(domains[m]), 0);
		assert_int_equal(iommu_unmap(domains[m], fiommu_modes[m].granule,
					     fiommu_modes[m].granule), fiommu_modes[m].granule);
		free_domain(domains[m]);
		iosim_iommu_destroy(iommus[m]);
	}
}

static void test_instances_are_limited_by_registry_slots(void **state)
{
	struct iosim_iommu *iommus[IOSIM_IOMMU_MAX_INSTANCES];
	unsigned int i;

	for (i = 0; i < IOSIM_IOMMU_MAX_INSTANCES; i++)
		iommus[i] = fiommu_create(SZ_4K, NULL);
	assert_ptr_equal(iosim_iommu_create(NULL), ERR_PTR(-ENOSPC));
	/* A freed slot is reused, with a working domain_alloc. */
	iosim_iommu_destroy(iommus[7]);
	iommus[7] = fiommu_create(SZ_16K, NULL);
	{
		struct iommu_domain *domain = fiommu_domain_alloc(iommus[7], IOMMU_DOMAIN_UNMANAGED);

		assert_non_null(domain);
		assert_ptr_equal(iosim_iommu_from_domain(domain), iommus[7]);
		assert_int_equal(domain->ops->pgsize_bitmap, SZ_16K | SZ_32M);
		free_domain(domain);
	}
	for (i = 0; i < IOSIM_IOMMU_MAX_INSTANCES; i++)
		iosim_iommu_destroy(iommus[i]);
	assert_int_equal(iosim_live(IOSIM_OBJ_IOMMU), 0);
}

/*
 * Each of the registry's slots has its own domain_alloc trampoline: with
 * every slot taken, each instance's ops allocate a domain of that instance
 * (of its own granule), never of another slot's.
 */
static void test_every_registry_slot_allocates_domains_of_its_own_instance(void **state)
{
	struct iosim_iommu *iommus[IOSIM_IOMMU_MAX_INSTANCES];
	unsigned int i;

	for (i = 0; i < IOSIM_IOMMU_MAX_INSTANCES; i++)
		iommus[i] = fiommu_create(i % 2 ? SZ_16K : SZ_4K, NULL);
	for (i = 0; i < IOSIM_IOMMU_MAX_INSTANCES; i++) {
		struct iommu_domain *domain = fiommu_domain_alloc(iommus[i],
								  IOMMU_DOMAIN_UNMANAGED);

		assert_non_null(domain);
		assert_ptr_equal(iosim_iommu_from_domain(domain), iommus[i]);
		assert_int_equal(to_iosim_domain(domain)->iommu->slot, i);
		assert_int_equal(__ffs(domain->ops->pgsize_bitmap), i % 2 ? 14 : 12);
		assert_int_equal(iosim_iommu_instance_check(iommus[i]), 0);
		free_domain(domain);
	}
	for (i = 0; i < IOSIM_IOMMU_MAX_INSTANCES; i++)
		iosim_iommu_destroy(iommus[i]);
	assert_int_equal(iosim_live(IOSIM_OBJ_IOMMU), 0);
}

/* capable() knows the three capabilities of 2015; anything newer is not offered. */
static void test_capable_refuses_an_unknown_capability(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, NULL);
	const struct iommu_ops *ops = iosim_iommu_ops(iommu);

	assert_true(ops->capable(IOMMU_CAP_INTR_REMAP));
	assert_false(ops->capable((enum iommu_cap)(IOMMU_CAP_NOEXEC + 1)));
	iosim_iommu_destroy(iommu);
}

static void test_destroy_of_unknown_instance_warns(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, NULL);

	iosim_iommu_destroy(iommu);
	iosim_iommu_destroy(iommu);	/* stale pointer: compared, not read */
	assert_warned("not a live IOMMU");
}

/* -- domains ------------------------------------------------------------- */

static void test_domain_alloc_types(void **state)
{
	struct iosim_iommu_config cfg = {
		.dma_cookie_get = fiommu_cookie_get,
		.dma_cookie_put = fiommu_cookie_put,
	};
	struct iosim_iommu *plain = fiommu_create(SZ_4K, NULL);
	struct iosim_iommu *with_cookies = create_cfg(&cfg);
	struct iommu_domain *domain;

	fiommu_cookie_gets = fiommu_cookie_puts = 0;
	fiommu_cookie_fail = false;
	/* Like 2015's arm-smmu: unmanaged only, unless DMA cookies can be had. */
	assert_null(fiommu_domain_alloc(plain, IOMMU_DOMAIN_DMA));
	assert_null(fiommu_domain_alloc(plain, IOMMU_DOMAIN_IDENTITY));
	assert_null(fiommu_domain_alloc(plain, IOMMU_DOMAIN_BLOCKED));
	domain = fiommu_domain_alloc(plain, IOMMU_DOMAIN_UNMANAGED);
	assert_non_null(domain);
	assert_null(domain->dma_api_cookie);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 1);
	free_domain(domain);

	domain = fiommu_domain_alloc(with_cookies, IOMMU_DOMAIN_DMA);
	assert_non_null(domain);
	assert_non_null(domain->dma_api_cookie);
	assert_int_equal(fiommu_cookie_gets, 1);
	/* Its user may repaint the type (the seed's arm64 code does). */
	domain->type = IOMMU_DOMAIN_DMA | (1U << 31);
	free_domain(domain);
	assert_int_equal(fiommu_cookie_puts, 1);

	/* An unmanaged domain gets no cookie from the driver. */
	domain = fiommu_domain_alloc(with_cookies, IOMMU_DOMAIN_UNMANAGED);
	assert_null(domain->dma_api_cookie);
	free_domain(domain);
	assert_int_equal(fiommu_cookie_puts, 1);

	/* A cookie failure fails the allocation, leaving nothing. */
	fiommu_cookie_fail = true;
	assert_null(fiommu_domain_alloc(with_cookies, IOMMU_DOMAIN_DMA));
	fiommu_cookie_fail = false;
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	assert_int_equal(iosim_iommu_instance_check(with_cookies), 0);

	iosim_iommu_destroy(plain);
	iosim_iommu_destroy(with_cookies);
}

static void test_domain_alloc_beyond_contexts_fails(void **state)
{
	struct iosim_iommu_config cfg = { .nr_contexts = 3 };
	struct iosim_iommu *iommu = create_cfg(&cfg);
	struct iommu_domain *domains[3];
	struct iosim_iommu_stats stats;
	unsigned int i;

	for (i = 0; i < 3; i++)
		assert_non_null(domains[i] = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED));
	assert_null(fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED));
	iosim_iommu_get_stats(iommu, &stats);
	assert_int_equal(stats.domains, 3);
	free_domain(domains[1]);
	assert_non_null(domains[1] = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED));
	assert_int_equal(iosim_iommu_instance_check(iommu), 0);
	for (i = 0; i < 3; i++)
		free_domain(domains[i]);
	iosim_iommu_destroy(iommu);
}

static void test_domain_alloc_failures_leave_nothing(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, NULL);
	struct iommu_domain *domain;
	unsigned long n;

	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_DOMAIN_ALLOC), 1);
	assert_null(fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED));
	assert_int_equal(iosim_fault_injected(), 1);
	iosim_log_set_console_level(3);	/* injected failures are not news */
	for (n = 1; ; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
		if (!iosim_fault_injected())
			break;
		assert_null(domain);
		assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
		assert_int_equal(iosim_iommu_instance_check(iommu), 0);
	}
	iosim_fault_reset();
	assert_true(n >= 3);
	assert_non_null(domain);
	free_domain(domain);
	/* The DOMAIN_ALLOC site, then the structure; the table waits for a map. */
	for (n = 1; ; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_DOMAIN_ALLOC) |
				     IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB), n);
		domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
		if (!iosim_fault_injected())
			break;
		assert_null(domain);
	}
	iosim_fault_reset();
	assert_int_equal(n, 3);
	free_domain(domain);
	iosim_log_set_console_level(5);

	iosim_iommu_refuse_domains(iommu, true);
	assert_null(fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED));
	iosim_iommu_refuse_domains(iommu, false);
	assert_non_null(domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED));
	free_domain(domain);
	iosim_iommu_destroy(iommu);
}

static void test_domain_geometry_is_the_input_space(void **state)
{
	struct iosim_iommu_config cfg = { .granule = SZ_64K, .ias_bits = 40 };
	struct iosim_iommu *iommu = create_cfg(&cfg);
	struct iommu_domain *domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
	phys_addr_t phys = iosim_ram_base_phys();

	assert_int_equal(domain->geometry.aperture_start, 0);
	assert_int_equal(domain->geometry.aperture_end, (1ULL << 40) - 1);
	assert_true(domain->geometry.force_aperture);
	/* The last granule of the aperture maps; past it is a misuse. */
	assert_int_equal(iommu_map(domain, (1UL << 40) - SZ_64K, phys, SZ_64K, IOMMU_READ), 0);
	assert_int_equal(iommu_map(domain, 1UL << 40, phys, SZ_64K, IOMMU_READ), -ERANGE);
	assert_warned("input address size");
	assert_int_equal(iommu_unmap(domain, (1UL << 40) - SZ_64K, SZ_64K), SZ_64K);
	free_domain(domain);
	iosim_iommu_destroy(iommu);
}

static void test_domain_table_is_allocated_lazily(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, NULL);
	struct iommu_domain *domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
	struct iosim_iommu_stats stats;
	long pages = fiommu_live_pages();

	iosim_iommu_domain_stats(domain, &stats);
	assert_int_equal(stats.tables, 0);
	assert_int_equal(fiommu_live_pages(), pages);
	/* Unmap and lookups before any table exist harmlessly. */
	assert_int_equal(iommu_unmap(domain, 0, SZ_4K), 0);
	assert_int_equal(iommu_iova_to_phys(domain, 0), 0);
	assert_int_equal(iommu_map(domain, 0, iosim_ram_base_phys(), SZ_4K, IOMMU_READ), 0);
	iosim_iommu_domain_stats(domain, &stats);
	assert_int_equal(stats.tables, 4);
	assert_int_equal(stats.table_bytes, 4 * max(PAGE_SIZE, (unsigned long)SZ_4K));
	assert_int_equal(fiommu_live_pages(), pages + 4);
	/* Freeing the domain frees its tables, mapped or not. */
	free_domain(domain);
	assert_int_equal(fiommu_live_pages(), pages);
	iosim_iommu_destroy(iommu);
}

/*
 * An unmap that empties a lone page's tables keeps them as spares: the stats
 * show them apart from the linked tables, every table page is either, the
 * next map takes them back, and freeing the domain frees them.
 */
static void test_domain_stats_report_spare_tables_until_the_domain_is_freed(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, NULL);
	struct iommu_domain *domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
	unsigned long table_bytes = max(PAGE_SIZE, (unsigned long)SZ_4K);
	phys_addr_t phys = iosim_ram_base_phys();
	struct iosim_iommu_stats stats;
	long pages = fiommu_live_pages();

	assert_int_equal(iommu_map(domain, SZ_1G, phys, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iommu_unmap(domain, SZ_1G, SZ_4K), SZ_4K);
	iosim_iommu_domain_stats(domain, &stats);
	assert_int_equal(stats.tables, 1);
	assert_int_equal(stats.table_bytes, table_bytes);
	assert_int_equal(stats.spare_tables, 3);
	assert_int_equal(stats.spare_table_bytes, 3 * table_bytes);
	assert_int_equal(fiommu_live_pages() - pages,
			 (long)((stats.table_bytes + stats.spare_table_bytes) / PAGE_SIZE));
	/* Instance-wide too; the budget counts linked tables only. */
	iosim_iommu_get_stats(iommu, &stats);
	assert_int_equal(stats.spare_tables, 3);
	assert_int_equal(atomic64_read(&iommu->budget.used), 1);
	assert_int_equal(iosim_iommu_domain_check(domain), 0);
	assert_int_equal(iosim_iommu_instance_check(iommu), 0);

	/* The next lone map takes them back: no page allocated. */
	assert_int_equal(iommu_map(domain, 2UL * SZ_1G, phys, SZ_4K, IOMMU_READ), 0);
	iosim_iommu_domain_stats(domain, &stats);
	assert_int_equal(stats.tables, 4);
	assert_int_equal(stats.spare_tables, 0);
	assert_int_equal(fiommu_live_pages() - pages, (long)(4 * table_bytes / PAGE_SIZE));
	assert_int_equal(iommu_unmap(domain, 2UL * SZ_1G, SZ_4K), SZ_4K);

	free_domain(domain);
	assert_int_equal(fiommu_live_pages(), pages);
	iosim_iommu_get_stats(iommu, &stats);
	assert_int_equal(stats.spare_tables, 0);
	iosim_iommu_destroy(iommu);
}

static void test_domain_check_rejects_foreign_domains(void **state)
{
	struct iommu_domain fake = {};

	assert_int_equal(iosim_iommu_domain_check(&fake), -EINVAL);
	assert_warned("not a simulated IOMMU's domain");
	assert_null(iosim_iommu_from_domain(&fake));
	assert_null(iosim_iommu_from_domain(NULL));
	{
		struct iosim_iommu_stats stats;
		struct iosim_iommu_pte pte;

		assert_int_equal(iosim_iommu_domain_stats(&fake, &stats), -EINVAL);
		assert_int_equal(iosim_iommu_domain_lookup(&fake, 0, &pte), -EINVAL);
	}
}

static void test_domain_used_through_other_ops_warns(void **state)
{
	struct iosim_iommu *a = fiommu_create(SZ_4K, NULL);
	struct iosim_iommu *b = fiommu_create(SZ_4K, NULL);
	struct iommu_domain *domain = fiommu_domain_alloc(a, IOMMU_DOMAIN_UNMANAGED);

	domain->ops = iosim_iommu_ops(b);
	assert_int_equal(iommu_map(domain, 0, iosim_ram_base_phys(), SZ_4K, IOMMU_READ), -EINVAL);
	assert_warned("other IOMMU ops");
	assert_int_equal(iosim_iommu_domain_check(domain), -EUCLEAN);
	assert_warned("another IOMMU's ops");
	domain->ops = iosim_iommu_ops(a);
	assert_int_equal(iosim_iommu_domain_check(domain), 0);
	free_domain(domain);
	iosim_iommu_destroy(a);
	iosim_iommu_destroy(b);
}

/* -- map and unmap through the core -------------------------------------- */

static void test_core_map_uses_blocks_and_counts_calls(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, NULL);
	struct iommu_domain *domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
	phys_addr_t phys = iosim_ram_base_phys();	/* 34G: 2M aligned */
	unsigned long iova = SZ_1G - SZ_4K;
	struct iosim_iommu_stats stats;
	struct iosim_iommu_pte pte;
	u64 mapped;

	/* 4K | 2M | 4K: the core picks each page size, the driver installs it. */
	assert_int_equal(iommu_map(domain, iova, phys + SZ_2M - SZ_4K, SZ_4K + SZ_2M + SZ_4K,
				   IOMMU_READ | IOMMU_WRITE), 0);
	assert_int_equal(iosim_iommu_domain_check(domain), 0);
	iosim_iommu_domain_stats(domain, &stats);
	assert_int_equal(stats.map_calls, 3);
	assert_int_equal(stats.mappings[ilog2(SZ_4K)], 2);
	assert_int_equal(stats.mappings[ilog2(SZ_2M)], 1);
	assert_int_equal(stats.mapped_bytes, SZ_2M + 2 * SZ_4K);
	assert_int_equal(iosim_iommu_domain_mapped_bytes(domain, &mapped), 0);
	assert_int_equal(mapped, SZ_2M + 2 * SZ_4K);

	assert_int_equal(iosim_iommu_domain_lookup(domain, SZ_1G + 5, &pte), 0);
	assert_int_equal(pte.iova, SZ_1G);
	assert_int_equal(pte.size, SZ_2M);
	assert_int_equal(pte.phys, phys + SZ_2M);
	assert_int_equal(pte.level, 2);
	assert_int_equal(pte.prot, IOMMU_READ | IOMMU_WRITE);
	assert_int_equal(iommu_iova_to_phys(domain, iova), phys + SZ_2M - SZ_4K);
	assert_int_equal(iosim_iommu_domain_lookup(domain, iova - 1, &pte), -ENOENT);

	/* Mapping over it fails; the core's unwinding leaves the rest alone. */
	assert_int_equal(iommu_map(domain, SZ_1G + SZ_2M, phys, 2 * SZ_4K, IOMMU_READ), -EEXIST);
	assert_int_equal(iommu_iova_to_phys(domain, SZ_1G + SZ_2M), phys + 2 * SZ_2M);

	assert_int_equal(iommu_unmap(domain, iova, SZ_4K + SZ_2M + SZ_4K),
			 SZ_4K + SZ_2M + SZ_4K);
	iosim_iommu_domain_stats(domain, &stats);
	assert_int_equal(stats.mapped_bytes, 0);
	assert_int_equal(stats.unmapped_bytes, SZ_4K + SZ_2M + SZ_4K);
	assert_int_equal(stats.tables, 1);
	assert_int_equal(iosim_iommu_domain_mapped_bytes(domain, &mapped), 0);
	assert_int_equal(mapped, 0);
	free_domain(domain);
	/* Not a domain (any more): -EINVAL and 0. */
	mapped = 1;
	assert_int_equal(iosim_iommu_domain_mapped_bytes(domain, &mapped), -EINVAL);
	assert_int_equal(mapped, 0);
	iosim_iommu_destroy(iommu);
}

static void test_core_map_sg_maps_each_segment(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, NULL);
	struct iommu_domain *domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
	struct page *pages = alloc_pages(GFP_KERNEL, 2);
	struct scatterlist sgl[2];
	phys_addr_t phys;

	assert_non_null(pages);
	phys = page_to_phys(pages);
	sg_init_table(sgl, 2);
	sg_set_page(&sgl[0], pages, PAGE_SIZE, 0);
	sg_set_page(&sgl[1], pages + 2, PAGE_SIZE, 0);
	assert_int_equal(iommu_map_sg(domain, SZ_1M, sgl, 2, IOMMU_READ), 2 * PAGE_SIZE);
	assert_int_equal(iommu_iova_to_phys(domain, SZ_1M), phys);
	assert_int_equal(iommu_iova_to_phys(domain, SZ_1M + PAGE_SIZE), phys + 2 * PAGE_SIZE);
	assert_int_equal(iommu_unmap(domain, SZ_1M, 2 * PAGE_SIZE), 2 * PAGE_SIZE);
	free_domain(domain);
	__free_pages(pages, 2);
	iosim_iommu_destroy(iommu);
}

static void test_fail_map_nth_knob_fails_one_call(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, NULL);
	struct iommu_domain *domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
	const struct iommu_ops *ops = domain->ops;
	phys_addr_t phys = iosim_ram_base_phys();
	struct iosim_iommu_stats stats;

	iosim_iommu_fail_map_nth(iommu, 3);
	assert_int_equal(ops->map(domain, 0, phys, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(ops->map(domain, SZ_4K, phys, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(ops->map(domain, 2 * SZ_4K, phys, SZ_4K, IOMMU_READ), -ENOMEM);
	assert_int_equal(iommu_iova_to_phys(domain, 2 * SZ_4K), 0);
	assert_int_equal(ops->map(domain, 2 * SZ_4K, phys, SZ_4K, IOMMU_READ), 0);
	iosim_iommu_domain_stats(domain, &stats);
	assert_int_equal(stats.map_calls, 4);
	assert_int_equal(stats.map_failures, 1);

	/* Through the core, a failing chunk unwinds the whole iommu_map(). */
	iosim_iommu_fail_map_nth(iommu, 2);
	assert_int_equal(iommu_map(domain, SZ_2M - SZ_4K, phys, SZ_4K + SZ_2M, IOMMU_READ),
			 -ENOMEM);
	assert_int_equal(iommu_iova_to_phys(domain, SZ_2M - SZ_4K), 0);
	assert_int_equal(iosim_iommu_domain_check(domain), 0);
	/* The global site fails maps of every instance. */
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_IOMMU_MAP), 1);
	assert_int_equal(ops->map(domain, SZ_1G, phys, SZ_4K, IOMMU_READ), -ENOMEM);
	assert_int_equal(iosim_fault_injected(), 1);
	iosim_fault_reset();
	assert_int_equal(iommu_iova_to_phys(domain, SZ_1G), 0);
	assert_int_equal(iommu_unmap(domain, 0, 3 * SZ_4K), 3 * SZ_4K);
	free_domain(domain);
	iosim_iommu_destroy(iommu);
}

static void test_table_budget_is_shared_by_the_domains(void **state)
{
	struct iosim_iommu_config cfg = { .table_budget = 5 };
	struct iosim_iommu *iommu = create_cfg(&cfg);
	struct iommu_domain *a = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
	struct iommu_domain *b = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
	phys_addr_t phys = iosim_ram_base_phys();
	struct iosim_iommu_stats stats;

	/* Four tables for a; b gets its top table but no second one. */
	assert_int_equal(iommu_map(a, 0, phys, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iommu_map(b, 0, phys, SZ_1G, IOMMU_READ), -ENOMEM);
	assert_int_equal(iommu_map(b, 0, phys, SZ_4K, IOMMU_READ), -ENOMEM);
	iosim_iommu_get_stats(iommu, &stats);
	assert_int_equal(stats.tables, 4);
	assert_int_equal(stats.budget_refusals, 2);
	assert_true(stats.map_failures >= 2);
	assert_int_equal(iosim_iommu_instance_check(iommu), 0);

	iosim_iommu_set_table_budget(iommu, 0);
	assert_int_equal(iommu_map(b, 0, phys, SZ_4K, IOMMU_READ), 0);
	iosim_iommu_get_stats(iommu, &stats);
	assert_int_equal(stats.tables, 8);
	assert_int_equal(iosim_iommu_instance_check(iommu), 0);
	free_domain(a);
	free_domain(b);
	iosim_iommu_destroy(iommu);
}

static void test_destroy_with_leftover_domain_warns_and_frees_it(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_16K, NULL);
	struct iommu_domain *domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
	long pages = fiommu_live_pages();

	assert_int_equal(iommu_map(domain, 0, iosim_ram_base_phys(), SZ_32M, IOMMU_READ), 0);
	assert_true(fiommu_live_pages() > pages);
	iosim_iommu_destroy(iommu);
	assert_warned("still allocated");
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	assert_int_equal(fiommu_live_pages(), pages);
}

static void test_stats_fold_freed_domains_into_the_instance(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, NULL);
	struct iommu_domain *domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
	phys_addr_t phys = iosim_ram_base_phys();
	struct iosim_iommu_stats stats;

	assert_int_equal(iommu_map(domain, 0, phys, SZ_2M, IOMMU_READ), 0);
	assert_int_equal(iommu_unmap(domain, 0, SZ_4K), SZ_4K);	/* a split */
	free_domain(domain);
	iosim_iommu_get_stats(iommu, &stats);
	assert_int_equal(stats.domains, 0);
	assert_int_equal(stats.tables, 0);
	assert_int_equal(stats.mapped_bytes, 0);
	assert_int_equal(stats.map_calls, 1);
	assert_int_equal(stats.unmap_calls, 1);
	assert_int_equal(stats.unmapped_bytes, SZ_4K);
	assert_int_equal(stats.splits, 1);
	/* One invalidation for the unmap, one for the context going away. */
	assert_int_equal(stats.iotlb_invalidations, 2);
	iosim_iommu_destroy(iommu);
}

static void test_instance_check_detects_broken_bookkeeping(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, NULL);
	struct iommu_domain *domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);

	assert_int_equal(iosim_iommu_instance_check(iommu), 0);
	iommu->nr_domains++;
	assert_int_equal(iosim_iommu_instance_check(iommu), -EUCLEAN);
	assert_warned("domains listed");
	iommu->nr_domains--;
	atomic64_inc(&iommu->budget.used);
	assert_int_equal(iosim_iommu_instance_check(iommu), -EUCLEAN);
	assert_warned("budget counts");
	atomic64_add(-1, &iommu->budget.used);
	to_iosim_domain(domain)->nr_masters = 1;
	assert_int_equal(iosim_iommu_domain_check(domain), -EUCLEAN);
	assert_warned("masters attached");
	to_iosim_domain(domain)->nr_masters = 0;
	assert_int_equal(iosim_iommu_instance_check(iommu), 0);
	free_domain(domain);
	iosim_iommu_destroy(iommu);
}

/*
 * An instance with one master attached to one domain, a page mapped and
 * read once by the device, so that the IOTLB holds one entry.
 */
struct check_fixture {
	struct iosim_iommu *iommu;
	struct device *dev;
	struct iommu_domain *domain;
	struct iosim_domain *dom;
	struct iosim_master *master;
	struct iosim_iotlb_entry *entry;
	struct page *page;
};

#define CHECK_IOVA	0x100000UL

static void check_fixture_setup(struct check_fixture *f)
{
	unsigned char byte;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->iommu = create_cfg(NULL);
	f->dev = fiommu_device("checked", &platform_bus_type, false);
	assert_int_equal(iosim_iommu_add_master(f->iommu, f->dev), 0);
	f->master = f->dev->iosim_master;
	f->domain = fiommu_domain_alloc(f->iommu, IOMMU_DOMAIN_UNMANAGED);
	assert_non_null(f->domain);
	f->dom = to_iosim_domain(f->domain);
	assert_int_equal(iommu_attach_device(f->domain, f->dev), 0);
	f->page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	assert_non_null(f->page);
	assert_int_equal(iommu_map(f->domain, CHECK_IOVA, page_to_phys(f->page), SZ_4K,
				   IOMMU_READ), 0);
	assert_int_equal(iosim_dma_read(f->dev, CHECK_IOVA, &byte, 1), 0);
	for (i = 0; i < f->iommu->iotlb.nr_entries; i++)
		if (f->iommu->iotlb.entries[i].domain_id)
			f->entry = &f->iommu->iotlb.entries[i];
	assert_non_null(f->entry);
	assert_int_equal(f->entry->domain_id, f->dom->id);
	assert_int_equal(iosim_iommu_instance_check(f->iommu), 0);
}

static void check_fixture_teardown(struct check_fixture *f)
{
	assert_int_equal(iosim_iommu_instance_check(f->iommu), 0);
	assert_int_equal(iommu_unmap(f->domain, CHECK_IOVA, SZ_4K), SZ_4K);
	iommu_detach_device(f->domain, f->dev);
	free_domain(f->domain);
	iosim_iommu_remove_master(f->dev);
	iosim_device_destroy(f->dev);
	iosim_iommu_destroy(f->iommu);
	__free_page(f->page);
}

/* The instance check fails with one WARN, containing @expected (consumed). */
static void assert_instance_reports(struct iosim_iommu *iommu, const char *expected)
{
	assert_int_equal(iosim_iommu_instance_check(iommu), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned(expected);
}

/* A domain whose aperture is not the format's whole input space. */
static void test_domain_check_reports_a_changed_aperture(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, NULL);
	struct iommu_domain *domain = fiommu_domain_alloc(iommu, IOMMU_DOMAIN_UNMANAGED);
	dma_addr_t end;

	assert_non_null(domain);
	end = domain->geometry.aperture_end;
	domain->geometry.aperture_end = end >> 1;
	assert_int_equal(iosim_iommu_domain_check(domain), -EUCLEAN);
	assert_warned("aperture changed");
	assert_int_equal(iosim_iommu_instance_check(iommu), -EUCLEAN);
	assert_warned("aperture changed");
	domain->geometry.aperture_end = end;
	assert_int_equal(iosim_iommu_domain_check(domain), 0);
	free_domain(domain);
	iosim_iommu_destroy(iommu);
}

/*
 * White box: a master whose device no longer points back at it, one
 * attached to a domain the instance does not have, and a master count
 * that is not the list's length.
 */
static void test_instance_check_reports_broken_master_links(void **state)
{
	struct check_fixture f;
	struct iosim_domain stranger;
	char msg[128];

	check_fixture_setup(&f);
	memset(&stranger, 0, sizeof(stranger));

	f.dev->archdata.iommu = NULL;
	snprintf(msg, sizeof(msg), "%s: master checked is not linked both ways",
		 iosim_iommu_name(f.iommu));
	assert_instance_reports(f.iommu, msg);
	f.dev->archdata.iommu = f.iommu;
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

	/* As if its domain had gone with the master still attached (and counted out). */
	f.master->domain = &stranger;
	f.dom->nr_masters--;
	snprintf(msg, sizeof(msg), "%s: master checked attached to a dead domain",
		 iosim_iommu_name(f.iommu));
	assert_instance_reports(f.iommu, msg);
	f.master->domain = f.dom;
	f.dom->nr_masters++;
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

	f.iommu->nr_masters++;
	snprintf(msg, sizeof(msg), "%s: 1 masters listed, count says 2",
		 iosim_iommu_name(f.iommu));
	assert_instance_reports(f.iommu, msg);
	f.iommu->nr_masters--;

	check_fixture_teardown(&f);
}

/*
 * White box: an IOTLB entry whose domain tag no live domain has, one that
 * is no whole aligned leaf, and one stamped later than the LRU clock.
 */
static void test_instance_check_reports_bad_iotlb_entries(void **state)
{
	struct check_fixture f;
	unsigned int idx;
	phys_addr_t phys;
	u64 id, used;
	char msg[128];

	check_fixture_setup(&f);
	idx = (unsigned int)(f.entry - f.iommu->iotlb.entries);

	id = f.dom->id;
	f.dom->id = id + 1000;
	snprintf(msg, sizeof(msg), "IOTLB entry %u of dead domain %llu", idx,
		 (unsigned long long)id);
	assert_instance_reports(f.iommu, msg);
	f.dom->id = id;
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

	phys = f.entry->phys;
	f.entry->phys = phys + 0x10;
	snprintf(msg, sizeof(msg), "IOTLB entry %u (%#lx + %#lx -> %#llx) is no leaf", idx,
		 CHECK_IOVA, (unsigned long)SZ_4K, (unsigned long long)phys + 0x10);
	assert_instance_reports(f.iommu, msg);
	f.entry->phys = phys;
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

	used = f.entry->last_used;
	f.entry->last_used = f.iommu->iotlb.clock + 1;
	snprintf(msg, sizeof(msg), "IOTLB entry %u used in the future", idx);
	assert_instance_reports(f.iommu, msg);
	f.entry->last_used = used;

	check_fixture_teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM(test_create_fills_in_defaults),
		IOSIM_TEST_RAM(test_create_rejects_bad_configurations),
		IOSIM_TEST_RAM(test_create_allocation_failure_leaves_nothing),
		IOSIM_TEST_RAM(test_instances_with_different_granules_coexist),
		IOSIM_TEST_RAM(test_instances_are_limited_by_registry_slots),
		IOSIM_TEST_RAM(test_every_registry_slot_allocates_domains_of_its_own_instance),
		IOSIM_TEST_RAM(test_capable_refuses_an_unknown_capability),
		IOSIM_TEST_RAM(test_destroy_of_unknown_instance_warns),
		IOSIM_TEST_RAM(test_domain_alloc_types),
		IOSIM_TEST_RAM(test_domain_alloc_beyond_contexts_fails),
		IOSIM_TEST_RAM(test_domain_alloc_failures_leave_nothing),
		IOSIM_TEST_RAM(test_domain_geometry_is_the_input_space),
		IOSIM_TEST_RAM(test_domain_table_is_allocated_lazily),
		IOSIM_TEST_RAM(test_domain_stats_report_spare_tables_until_the_domain_is_freed),
		IOSIM_TEST_RAM(test_domain_check_rejects_foreign_domains),
		IOSIM_TEST_RAM(test_domain_used_through_other_ops_warns),
		IOSIM_TEST_RAM(test_core_map_uses_blocks_and_counts_calls),
		IOSIM_TEST_RAM(test_core_map_sg_maps_each_segment),
		IOSIM_TEST_RAM(test_fail_map_nth_knob_fails_one_call),
		IOSIM_TEST_RAM(test_table_budget_is_shared_by_the_domains),
		IOSIM_TEST_RAM(test_destroy_with_leftover_domain_warns_and_frees_it),
		IOSIM_TEST_RAM(test_stats_fold_freed_domains_into_the_instance),
		IOSIM_TEST_RAM(test_instance_check_detects_broken_bookkeeping),
		IOSIM_TEST_RAM(test_domain_check_reports_a_changed_aperture),
		IOSIM_TEST_RAM(test_instance_check_reports_broken_master_links),
		IOSIM_TEST_RAM(test_instance_check_reports_bad_iotlb_entries),
	};

	return cmocka_run_group_tests_name("fake-iommu driver", tests, NULL, NULL);
}
