// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The managed DMA API and DMA pools under a kernel-style platform driver on
 * the four arm64 platform kinds: a probe that takes devm_kzalloc() memory,
 * a dmam_alloc_coherent() buffer, a managed and an unmanaged DMA pool; the
 * device reaches the buffer and the pools' blocks; unbinding gives
 * everything back (remove() gives back only its block and the unmanaged
 * pool), as does a failed probe; dmam_free_coherent() of a buffer that is
 * not managed; an allocation-failure sweep over the probe.
 */
#include "platforms.h"

#include <string.h>

#include <linux/dma-managed.h>
#include <linux/dmapool.h>
#include <linux/platform_device.h>
#include <iosim/bus_master.h>
#include <iosim/devres.h>
#include <iosim/dmapool.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>

#define RING_BYTES	(3 * 4096 + 100)
#define DESC_BYTES	32

struct nic {
	void *ring;
	dma_addr_t ring_dma;
	struct dma_pool *desc_pool;	/* managed */
	struct dma_pool *buf_pool;	/* remove() destroys it */
	void *desc;
	dma_addr_t desc_dma;
};

static struct {
	int probe_ret;
	int nr_probes, nr_removes;
	struct nic *nic;
} drv;

static int nic_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct nic *nic;

	drv.nr_probes++;
	nic = devm_kzalloc(dev, sizeof(*nic), GFP_KERNEL);
	if (!nic)
		return -ENOMEM;
	nic->ring = dmam_alloc_coherent(dev, RING_BYTES, &nic->ring_dma, GFP_KERNEL);
	if (!nic->ring)
		return -ENOMEM;
	nic->desc_pool = dmam_pool_create("nic-desc", dev, DESC_BYTES, 16, 0);
	if (!nic->desc_pool)
		return -ENOMEM;
	nic->buf_pool = dma_pool_create("nic-buf", dev, 2048, 64, 0);
	if (!nic->buf_pool)
		return -ENOMEM;
	if (drv.probe_ret)
		goto destroy_buf_pool;
	nic->desc = dma_pool_alloc(nic->desc_pool, GFP_KERNEL, &nic->desc_dma);
	if (!nic->desc) {
		drv.probe_ret = -ENOMEM;
		goto destroy_buf_pool;
	}
	drv.nic = nic;
	platform_set_drvdata(pdev, nic);
	return 0;

destroy_buf_pool:
	/* Unmanaged: undone by hand, as a 2015 driver must. */
	dma_pool_destroy(nic->buf_pool);
	return drv.probe_ret;
}

static int nic_remove(struct platform_device *pdev)
{
	struct nic *nic = platform_get_drvdata(pdev);

	drv.nr_removes++;
	/* The managed pool, the ring and @nic are released after this. */
	assert_int_equal(iosim_devres_count(&pdev->dev), 3);
	dma_pool_free(nic->desc_pool, nic->desc, nic->desc_dma);
	dma_pool_destroy(nic->buf_pool);
	return 0;
}

static struct platform_driver nic_driver = {
	.probe = nic_probe,
	.remove = nic_remove,
	.driver = { .name = "dmadev" },
};

/* Nothing of the driver's is left: no resources, no pools, nothing mapped. */
static void assert_nothing_left(struct dma_fix *f)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(f->dev);
	u64 mapped;

	assert_null(f->dev->driver);
	assert_int_equal(iosim_devres_count(f->dev), 0);
	assert_true(list_empty(&f->dev->dma_pools));
	if (domain) {
		assert_int_equal(iosim_iommu_domain_mapped_bytes(domain, &mapped), 0);
		assert_int_equal(mapped, 0);
	}
	dma_fix_check(f);
}

/*
 * A driver registered before its device is added: probed on the add, its
 * buffer and pool blocks reachable by the device (through the IOMMU or
 * not); unbinding releases the managed ones after remove().
 */
static void managed_probe_and_unbind(const struct dma_config *cfg)
{
	struct dma_config c = *cfg;
	unsigned char got[64];
	struct dma_fix f;
	dma_addr_t buf_dma;
	void *buf;

	memset(&drv, 0, sizeof(drv));
	c.no_add = true;
	dma_fix_setup(&f, &c);
	assert_int_equal(platform_driver_register(&nic_driver), 0);
	assert_int_equal(device_add(f.dev), 0);
	assert_int_equal(drv.nr_probes, 1);
	assert_ptr_equal(f.dev->driver, &nic_driver.driver);
	assert_int_equal(iosim_dma_uses_iommu(f.dev), cfg->iommu);
	assert_int_equal(iosim_devres_count(f.dev), 3);
	assert_int_equal(iosim_dma_pool_check(drv.nic->desc_pool), 0);
	assert_int_equal(iosim_dma_pool_check(drv.nic->buf_pool), 0);

	/* The ring's last bytes: the device reaches all of it. */
	dma_fill((char *)drv.nic->ring + RING_BYTES - sizeof(got), sizeof(got), 3);
	dma_dev_read(&f, drv.nic->ring_dma + RING_BYTES - sizeof(got), got, sizeof(got));
	assert_true(dma_matches(got, sizeof(got), 3));
	assert_int_equal(drv.nic->desc_dma % 16, 0);
	dma_fill(got, DESC_BYTES, 4);
	dma_dev_write(&f, drv.nic->desc_dma, got, DESC_BYTES);
	assert_true(dma_matches(drv.nic->desc, DESC_BYTES, 4));
	buf = dma_pool_alloc(drv.nic->buf_pool, GFP_KERNEL, &buf_dma);
	assert_non_null(buf);
	assert_int_equal(buf_dma % 64, 0);
	dma_fill(got, sizeof(got), 5);
	dma_dev_write(&f, buf_dma, got, sizeof(got));
	assert_true(dma_matches(buf, sizeof(got), 5));
	dma_pool_free(drv.nic->buf_pool, buf, buf_dma);
	dma_fix_check(&f);

	platform_driver_unregister(&nic_driver);
	assert_int_equal(drv.nr_removes, 1);
	assert_nothing_left(&f);
	dma_fix_teardown(&f);
}
ON_PLATFORMS(managed_probe_and_unbind)

/* A failed probe releases its managed buffer and pool; the device stays unbound. */
static void failed_probe_releases_everything(const struct dma_config *cfg)
{
	struct dma_fix f;

	memset(&drv, 0, sizeof(drv));
	drv.probe_ret = -EIO;
	dma_fix_setup(&f, cfg);
	assert_int_equal(platform_driver_register(&nic_driver), 0);
	assert_int_equal(drv.nr_probes, 1);
	assert_true(iosim_log_seen("dmadev: probe of dmadev failed with error -5"));
	assert_nothing_left(&f);
	platform_driver_unregister(&nic_driver);
	assert_int_equal(drv.nr_removes, 0);
	dma_fix_teardown(&f);
}
ON_PLATFORMS(failed_probe_releases_everything)

/*
 * dmam_free_coherent() frees a managed buffer at once; one that is not
 * managed is freed all the same (the kernel's order) and WARNs.
 * dmam_alloc_noncoherent() fails on arm64 and leaves nothing.
 */
static void dmam_free_of_an_unmanaged_buffer_warns(const struct dma_config *cfg)
{
	dma_addr_t dma, plain_dma;
	void *cpu, *plain;
	struct dma_fix f;

	dma_fix_setup(&f, cfg);
	cpu = dmam_alloc_coherent(f.dev, 8192, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	assert_int_equal(iosim_devres_count(f.dev), 1);
	dmam_free_coherent(f.dev, 8192, cpu, dma);
	assert_int_equal(iosim_devres_count(f.dev), 0);

	plain = dma_alloc_coherent(f.dev, 4096, &plain_dma, GFP_KERNEL);
	assert_non_null(plain);
	dmam_free_coherent(f.dev, 4096, plain, plain_dma);
	assert_warned("dmam_free_coherent: ");

	assert_null(dmam_alloc_noncoherent(f.dev, 4096, &dma, GFP_KERNEL));
	assert_int_equal(iosim_devres_count(f.dev), 0);
	assert_nothing_left(&f);
	dma_fix_teardown(&f);
}
ON_PLATFORMS(dmam_free_of_an_unmanaged_buffer_warns)

/*
 * dmam_declare_coherent_memory(): allocations come from the region until
 * dmam_release_declared_memory() releases it (2015 only forgot the
 * record); releasing without a managed declaration WARNs; a refused
 * declaration, or a record the allocator cannot give, keeps nothing.
 * dmam_free_noncoherent() of a buffer without a record WARNs.
 */
static void test_managed_declared_memory(void **state)
{
	struct page *region;
	phys_addr_t phys;
	struct dma_fix f;
	dma_addr_t dma;
	void *cpu;

	(void)state;
	dma_fix_setup(&f, &dma_direct_coherent);
	region = alloc_pages(GFP_KERNEL, 2);
	assert_non_null(region);
	phys = page_to_phys(region);
	assert_int_equal(dmam_declare_coherent_memory(f.dev, phys, phys, 4 * PAGE_SIZE,
						      DMA_MEMORY_MAP), DMA_MEMORY_MAP);
	assert_int_equal(iosim_devres_count(f.dev), 1);
	cpu = dma_alloc_coherent(f.dev, PAGE_SIZE, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	assert_true(dma >= phys && dma < phys + 4 * PAGE_SIZE);
	dma_free_coherent(f.dev, PAGE_SIZE, cpu, dma);
	dmam_release_declared_memory(f.dev);
	assert_null(f.dev->dma_mem);
	assert_int_equal(iosim_devres_count(f.dev), 0);
	assert_no_warnings();

	dmam_release_declared_memory(f.dev);
	assert_warned("has no managed declared memory");

	assert_int_equal(dmam_declare_coherent_memory(f.dev, phys, phys, 4 * PAGE_SIZE, 0), 0);
	assert_int_equal(iosim_devres_count(f.dev), 0);
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB), 1);
	assert_int_equal(dmam_declare_coherent_memory(f.dev, phys, phys, 4 * PAGE_SIZE,
						      DMA_MEMORY_MAP), -ENOMEM);
	iosim_fault_reset();
	assert_null(f.dev->dma_mem);
	assert_int_equal(iosim_devres_count(f.dev), 0);

	dmam_free_noncoherent(f.dev, PAGE_SIZE, page_address(region), phys);
	assert_warned("was not allocated with dmam_alloc_noncoherent()");

	__free_pages(region, 2);
	assert_nothing_left(&f);
	dma_fix_teardown(&f);
}

/*
 * Every allocation of the probe failing once in turn: the probe fails and
 * leaves nothing, or the driver binds; unbinding then leaves nothing.
 */
static void probe_allocation_failure_sweep(const struct dma_config *cfg)
{
	struct dma_fix f;
	unsigned long n;
	bool done = false;

	dma_fix_setup(&f, cfg);
	for (n = 1; !done; n++) {
		memset(&drv, 0, sizeof(drv));
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		assert_int_equal(platform_driver_register(&nic_driver), 0);
		done = iosim_fault_injected() == 0;
		iosim_fault_reset();
		assert_int_equal(drv.nr_probes, 1);
		if (f.dev->driver) {
			assert_int_equal(iosim_devres_count(f.dev), 3);
			dma_fix_check(&f);
		} else {
			assert_false(done);
			assert_nothing_left(&f);
		}
		platform_driver_unregister(&nic_driver);
		assert_nothing_left(&f);
		dma_assert_no_debug_reports();
	}
	assert_true(n > 5);
	dma_fix_teardown(&f);
}
ON_PLATFORMS(probe_allocation_failure_sweep)

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		PLATFORM_TESTS(managed_probe_and_unbind),
		PLATFORM_TESTS(failed_probe_releases_everything),
		PLATFORM_TESTS(dmam_free_of_an_unmanaged_buffer_warns),
		PLATFORM_TESTS(probe_allocation_failure_sweep),
		IOSIM_TEST(test_managed_declared_memory),
	};

	RUN_TESTS(tests, argc, argv);
}
