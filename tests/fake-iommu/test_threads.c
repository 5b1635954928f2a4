// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulated IOMMU under concurrent use: a driver thread maps and unmaps
 * (the domain lock only, while the IOTLB is empty and the knobs are off)
 * while a device thread reads through another mapping (filling the IOTLB,
 * so that unmaps take the instance lock too), arms the map-failure knob and
 * reads the statistics.  Every counter must add up afterwards, and the
 * checkers must pass.  Meant for ThreadSanitizer and helgrind as much as
 * for the plain run (meson setup build-tsan -Db_sanitize=thread
 * -Db_lundef=false).  Assertions run on the main thread only.
 */
#include "fiommu_test.h"

#include <pthread.h>

#include <linux/mm.h>
#include <linux/platform_device.h>

#include <iosim/bus_master.h>
#include <iosim/device.h>

#define DRIVER_ROUNDS	3000
#define DEVICE_ROUNDS	3000
#define IOVA_DRIVER	SZ_1G			/* mapped and unmapped over and over */
#define IOVA_DEVICE	(SZ_1G + SZ_2M)		/* stays mapped; the device reads it */

struct threads_fixture {
	struct iosim_iommu *iommu;
	struct device *dev;
	struct iommu_domain *domain;
	struct page *buf;
	phys_addr_t buf_phys;
	/* Results, written by one thread each, read after the joins. */
	unsigned long map_calls, map_failures, unmaps, unmap_short;
	unsigned long reads, read_errors, read_mismatches, armed, stats_reads;
};

static void *driver_thread(void *arg)
{
	struct threads_fixture *f = arg;
	unsigned long i;

	for (i = 0; i < DRIVER_ROUNDS; i++) {
		int ret = iommu_map(f->domain, IOVA_DRIVER, f->buf_phys, SZ_4K,
				    IOMMU_READ | IOMMU_WRITE);

		f->map_calls++;
		if (ret) {
			f->map_failures++;
			continue;
		}
		if (iommu_unmap(f->domain, IOVA_DRIVER, SZ_4K) != SZ_4K)
			f->unmap_short++;
		f->unmaps++;
	}
	return NULL;
}

static void *device_thread(void *arg)
{
	struct threads_fixture *f = arg;
	const u8 *want = page_address(f->buf);
	struct iosim_iommu_stats stats;
	u8 got[64];
	unsigned long i;

	for (i = 0; i < DEVICE_ROUNDS; i++) {
		f->reads++;
		if (iosim_dma_read(f->dev, IOVA_DEVICE + 128, got, sizeof(got)))
			f->read_errors++;
		else if (memcmp(got, want + 128, sizeof(got)))
			f->read_mismatches++;
		if (i % 500 == 250) {
			/* The third map call from now fails. */
			iosim_iommu_fail_map_nth(f->iommu, 3);
			f->armed++;
		}
		if (i % 100 == 0) {
			iosim_iommu_domain_stats(f->domain, &stats);
			f->stats_reads++;
		}
	}
	return NULL;
}

static void test_concurrent_map_unmap_and_device_reads_keep_counts_exact(void **state)
{
	const struct iommu_ops *ops;
	struct iosim_iommu_config cfg = { .granule = SZ_4K };
	struct threads_fixture f = { 0 };
	struct iosim_iommu_stats stats;
	pthread_t driver, device;
	u8 *virt;
	unsigned long i;

	f.iommu = iosim_iommu_create(&cfg);
	assert_false(IS_ERR(f.iommu));
	ops = iosim_iommu_ops(f.iommu);
	f.dev = fiommu_device("dma-dev", &platform_bus_type, false);
	assert_int_equal(iosim_iommu_add_master(f.iommu, f.dev), 0);
	f.domain = ops->domain_alloc(IOMMU_DOMAIN_UNMANAGED);
	assert_non_null(f.domain);
	f.domain->ops = ops;
	f.domain->type = IOMMU_DOMAIN_UNMANAGED;
	assert_int_equal(iommu_attach_device(f.domain, f.dev), 0);
	f.buf = alloc_pages(GFP_KERNEL, 0);
	assert_non_null(f.buf);
	f.buf_phys = page_to_phys(f.buf);
	virt = page_address(f.buf);
	for (i = 0; i < PAGE_SIZE; i++)
		virt[i] = (u8)(i * 13 + 1);
	assert_int_equal(iommu_map(f.domain, IOVA_DEVICE, f.buf_phys, SZ_4K, IOMMU_READ), 0);

	assert_int_equal(pthread_create(&driver, NULL, driver_thread, &f), 0);
	assert_int_equal(pthread_create(&device, NULL, device_thread, &f), 0);
	assert_int_equal(pthread_join(driver, NULL), 0);
	assert_int_equal(pthread_join(device, NULL), 0);
	iosim_iommu_fail_map_nth(f.iommu, 0);

	assert_int_equal(f.read_errors, 0);
	assert_int_equal(f.read_mismatches, 0);
	assert_int_equal(f.unmap_short, 0);
	/* Each arming fails at most one map call (none if the driver was done). */
	assert_true(f.map_failures <= f.armed);
	assert_int_equal(f.map_calls, f.unmaps + f.map_failures);

	iosim_iommu_domain_stats(f.domain, &stats);
	/* One map call per iommu_map (4K) plus the device's mapping. */
	assert_int_equal(stats.map_calls, f.map_calls + 1);
	assert_int_equal(stats.map_failures, f.map_failures);
	assert_int_equal(stats.unmap_calls, f.unmaps);
	assert_int_equal(stats.unmapped_bytes, (u64)f.unmaps * SZ_4K);
	assert_int_equal(stats.iotlb_invalidations, f.unmaps);
	assert_int_equal(stats.mapped_bytes, SZ_4K);
	assert_true(stats.spare_tables <= IOSIM_IOMMU_MAX_SPARE_TABLES);
	assert_int_equal(iosim_iommu_domain_check(f.domain), 0);
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

	assert_int_equal(iommu_unmap(f.domain, IOVA_DEVICE, SZ_4K), SZ_4K);
	iommu_detach_device(f.domain, f.dev);
	ops->domain_free(f.domain);
	iosim_iommu_remove_master(f.dev);
	iosim_device_destroy(f.dev);
	iosim_iommu_destroy(f.iommu);
	__free_pages(f.buf, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM(test_concurrent_map_unmap_and_device_reads_keep_counts_exact),
	};

	return cmocka_run_group_tests_name("fake-iommu threads", tests, NULL, NULL);
}
