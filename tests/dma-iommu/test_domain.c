// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DMA domain set-up: cookies, iommu_dma_init_domain() rules, and the small
 * helpers.  These need no simulated IOMMU: iommu_dma_init_domain() only reads
 * the domain's page sizes and geometry.
 */
#include "iosim_test.h"

#include <stdlib.h>

#include <linux/dma-iommu.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/sizes.h>
#include <iosim/fault.h>
#include <iosim/log.h>

struct domain_fixture {
	struct iommu_ops ops;
	struct iommu_domain domain;
};

static int setup_domain(void **state)
{
	struct domain_fixture *f;

	iosim_test_setup(state);
	iosim_log_set_console_level(0);
	f = calloc(1, sizeof(*f));
	f->ops.pgsize_bitmap = SZ_4K | SZ_2M | SZ_1G;
	f->domain.ops = &f->ops;
	f->domain.type = IOMMU_DOMAIN_DMA;
	assert_int_equal(iommu_dma_init(), 0);
	*state = f;
	return 0;
}

static int teardown_domain(void **state)
{
	struct domain_fixture *f = *state;

	iommu_put_dma_cookie(&f->domain);
	assert_null(f->domain.dma_api_cookie);
	iova_cache_put();
	free(f);
	iosim_log_set_console_level(5);
	return iosim_test_teardown(state);
}

#define DOMAIN_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_domain, teardown_domain)

static struct iova_domain *cookie(struct domain_fixture *f)
{
	return f->domain.dma_api_cookie;
}

static void test_get_cookie_once_then_eexist(void **state)
{
	struct domain_fixture *f = *state;
	void *first;

	assert_int_equal(iommu_get_dma_cookie(&f->domain), 0);
	first = f->domain.dma_api_cookie;
	assert_non_null(first);
	assert_int_equal(iommu_get_dma_cookie(&f->domain), -EEXIST);
	assert_ptr_equal(f->domain.dma_api_cookie, first);
}

static void test_get_cookie_allocation_failure_leaves_no_cookie(void **state)
{
	struct domain_fixture *f = *state;

	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB), 1);
	assert_int_equal(iommu_get_dma_cookie(&f->domain), -ENOMEM);
	assert_null(f->domain.dma_api_cookie);
	iosim_fault_reset();
	assert_int_equal(iommu_get_dma_cookie(&f->domain), 0);
}

static void test_put_cookie_without_cookie_is_harmless(void **state)
{
	struct domain_fixture *f = *state;

	iommu_put_dma_cookie(&f->domain);
	iommu_put_dma_cookie(NULL);
	assert_null(f->domain.dma_api_cookie);
}

static void test_init_domain_without_cookie_is_enodev(void **state)
{
	struct domain_fixture *f = *state;

	assert_int_equal(iommu_dma_init_domain(&f->domain, 0, SZ_1G), -ENODEV);
}

static void test_init_domain_granule_is_smallest_page_and_pfn0_reserved(void **state)
{
	struct domain_fixture *f = *state;

	assert_int_equal(iommu_get_dma_cookie(&f->domain), 0);
	assert_int_equal(iommu_dma_init_domain(&f->domain, 0, SZ_1G), 0);
	assert_int_equal(cookie(f)->granule, SZ_4K);
	/* IOVA 0 is never handed out: the first usable granule is 1. */
	assert_int_equal(cookie(f)->start_pfn, 1);
	assert_int_equal(cookie(f)->dma_32bit_pfn, (SZ_1G >> 12) - 1);
}

static void test_init_domain_base_above_4g_keeps_64bit_pfns(void **state)
{
	struct domain_fixture *f = *state;
	u64 base = 0x800000000ULL;	/* 32 GiB */

	assert_int_equal(iommu_get_dma_cookie(&f->domain), 0);
	assert_int_equal(iommu_dma_init_domain(&f->domain, base, SZ_4G), 0);
	assert_true(cookie(f)->start_pfn == base >> 12);
	assert_true(cookie(f)->dma_32bit_pfn == ((base + SZ_4G) >> 12) - 1);
}

static void test_init_domain_clamps_to_forced_aperture(void **state)
{
	struct domain_fixture *f = *state;

	f->domain.geometry.aperture_start = SZ_1M;
	f->domain.geometry.aperture_end = SZ_256M - 1;
	f->domain.geometry.force_aperture = true;
	assert_int_equal(iommu_get_dma_cookie(&f->domain), 0);
	assert_int_equal(iommu_dma_init_domain(&f->domain, 0, SZ_4G), 0);
	assert_int_equal(cookie(f)->start_pfn, SZ_1M >> 12);
	assert_int_equal(cookie(f)->dma_32bit_pfn, (SZ_256M >> 12) - 1);
}

static void test_init_domain_outside_aperture_is_efault(void **state)
{
	struct domain_fixture *f = *state;

	f->domain.geometry.aperture_start = SZ_1G;
	f->domain.geometry.aperture_end = SZ_2G - 1;
	f->domain.geometry.force_aperture = true;
	assert_int_equal(iommu_get_dma_cookie(&f->domain), 0);
	assert_int_equal(iommu_dma_init_domain(&f->domain, 0, SZ_1G), -EFAULT);
	assert_int_equal(iommu_dma_init_domain(&f->domain, SZ_2G, SZ_1G), -EFAULT);
	assert_true(iosim_log_seen("does not meet the IOMMU aperture"));
	assert_int_equal(cookie(f)->granule, 0);	/* still uninitialised */
}

static void test_init_domain_zero_size_is_einval(void **state)
{
	struct domain_fixture *f = *state;

	assert_int_equal(iommu_get_dma_cookie(&f->domain), 0);
	assert_int_equal(iommu_dma_init_domain(&f->domain, SZ_1M, 0), -EINVAL);
	assert_int_equal(cookie(f)->granule, 0);
}

static void test_init_domain_holding_only_pfn0_is_efault(void **state)
{
	struct domain_fixture *f = *state;

	assert_int_equal(iommu_get_dma_cookie(&f->domain), 0);
	assert_int_equal(iommu_dma_init_domain(&f->domain, 0, SZ_4K), -EFAULT);
}

static void test_init_domain_range_running_off_the_top_is_clamped(void **state)
{
	struct domain_fixture *f = *state;

	assert_int_equal(iommu_get_dma_cookie(&f->domain), 0);
	assert_int_equal(iommu_dma_init_domain(&f->domain, SZ_4G, ~0ULL), 0);
	assert_true(cookie(f)->dma_32bit_pfn == ~0UL >> 12);
}

static void test_reinit_may_grow_but_not_shrink_or_move(void **state)
{
	struct domain_fixture *f = *state;

	assert_int_equal(iommu_get_dma_cookie(&f->domain), 0);
	assert_int_equal(iommu_dma_init_domain(&f->domain, SZ_1M, SZ_1G), 0);
	/* Same range again, then larger: fine. */
	assert_int_equal(iommu_dma_init_domain(&f->domain, SZ_1M, SZ_1G), 0);
	assert_int_equal(iommu_dma_init_domain(&f->domain, SZ_1M, SZ_2G), 0);
	assert_int_equal(cookie(f)->dma_32bit_pfn, ((SZ_1M + SZ_2G) >> 12) - 1);
	/* Smaller, another base, another granule: refused, nothing changes. */
	assert_int_equal(iommu_dma_init_domain(&f->domain, SZ_1M, SZ_1G), -EFAULT);
	assert_int_equal(iommu_dma_init_domain(&f->domain, SZ_2M, SZ_2G), -EFAULT);
	f->ops.pgsize_bitmap = SZ_64K | SZ_512M;
	assert_int_equal(iommu_dma_init_domain(&f->domain, SZ_1M, SZ_2G), -EFAULT);
	assert_true(iosim_log_seen("DMA domain already covers pfns"));
	assert_int_equal(cookie(f)->granule, SZ_4K);
	assert_int_equal(cookie(f)->start_pfn, SZ_1M >> 12);
	assert_int_equal(cookie(f)->dma_32bit_pfn, ((SZ_1M + SZ_2G) >> 12) - 1);
}

static void test_init_domain_without_page_sizes_warns(void **state)
{
	struct domain_fixture *f = *state;

	assert_int_equal(iommu_get_dma_cookie(&f->domain), 0);
	f->ops.pgsize_bitmap = 0;
	assert_int_equal(iommu_dma_init_domain(&f->domain, 0, SZ_1G), -ENODEV);
	assert_warned("no IOMMU page sizes");
}

static void test_direction_to_prot_for_every_direction(void **state)
{
	(void)state;
	assert_int_equal(dma_direction_to_prot(DMA_BIDIRECTIONAL, false), IOMMU_READ | IOMMU_WRITE);
	assert_int_equal(dma_direction_to_prot(DMA_TO_DEVICE, false), IOMMU_READ);
	assert_int_equal(dma_direction_to_prot(DMA_FROM_DEVICE, false), IOMMU_WRITE);
	assert_int_equal(dma_direction_to_prot(DMA_NONE, false), 0);
	assert_int_equal(dma_direction_to_prot(DMA_TO_DEVICE, true), IOMMU_READ | IOMMU_CACHE);
	assert_int_equal(dma_direction_to_prot(DMA_NONE, true), 0);
	assert_int_equal(dma_direction_to_prot((enum dma_data_direction)7, false), 0);
}

static void test_mapping_error_is_only_dma_error_code(void **state)
{
	(void)state;
	assert_true(iommu_dma_mapping_error(NULL, DMA_ERROR_CODE));
	assert_false(iommu_dma_mapping_error(NULL, 0));
	assert_false(iommu_dma_mapping_error(NULL, 0xfffff000ULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		DOMAIN_TEST(test_get_cookie_once_then_eexist),
		DOMAIN_TEST(test_get_cookie_allocation_failure_leaves_no_cookie),
		DOMAIN_TEST(test_put_cookie_without_cookie_is_harmless),
		DOMAIN_TEST(test_init_domain_without_cookie_is_enodev),
		DOMAIN_TEST(test_init_domain_granule_is_smallest_page_and_pfn0_reserved),
		DOMAIN_TEST(test_init_domain_base_above_4g_keeps_64bit_pfns),
		DOMAIN_TEST(test_init_domain_clamps_to_forced_aperture),
		DOMAIN_TEST(test_init_domain_outside_aperture_is_efault),
		DOMAIN_TEST(test_init_domain_zero_size_is_einval),
		DOMAIN_TEST(test_init_domain_holding_only_pfn0_is_efault),
		DOMAIN_TEST(test_init_domain_range_running_off_the_top_is_clamped),
		DOMAIN_TEST(test_reinit_may_grow_but_not_shrink_or_move),
		DOMAIN_TEST(test_init_domain_without_page_sizes_warns),
		DOMAIN_TEST(test_direction_to_prot_for_every_direction),
		DOMAIN_TEST(test_mapping_error_is_only_dma_error_code),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
