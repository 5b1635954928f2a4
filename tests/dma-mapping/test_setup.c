// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * arm64 device DMA set-up (arch_setup_dma_ops()/arch_teardown_dma_ops(), the
 * seed's patch 3/3): devices created as the OF core creates them, with and
 * without an IOMMU group at set-up time, queued attach from the bus
 * notifier, teardown in every state, and an injected failure at every step
 * leaving the device working on the default (direct) ops with nothing leaked.
 */
#include "platforms.h"

#include <stdlib.h>
#include <string.h>

#include <linux/acpi.h>
#include <linux/amba/bus.h>
#include <linux/dma-iommu.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include <iosim/bus_master.h>
#include <iosim/warn.h>
#include <iosim/log.h>
#include <iosim/sg.h>
#include <linux/platform_device.h>

/* The device maps a page and reads it back: DMA works, whichever ops it has. */
static void assert_dma_works(struct device *dev)
{
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned char got[128];
	dma_addr_t dma;

	assert_non_null(page);
	dma_fill(page_address(page), sizeof(got), 77);
	dma = dma_map_page(dev, page, 0, sizeof(got), DMA_TO_DEVICE);
	assert_false(dma_mapping_error(dev, dma));
	assert_int_equal(iosim_dma_read(dev, dma, got, sizeof(got)), 0);
	assert_true(dma_matches(got, sizeof(got), 77));
	dma_unmap_page(dev, dma, sizeof(got), DMA_TO_DEVICE);
	__free_page(page);
}

/*
 * Tear the DMA set-up down, then destroy the device.  (The OF core's order
 * is the other way round; test_teardown_after_device_del_frees_the_domain
 * checks that one, so the other tests work for the seed's code too.)
 */
static void teardown_and_destroy(struct device *dev)
{
	arch_teardown_dma_ops(dev);
	iosim_of_device_destroy(dev);
}

struct sys {
	struct iosim_iommu *iommu;
};

static void sys_up(struct sys *s, bool default_domains)
{
	/* arm-smmu of 2015 let streams without a context bypass (disable_bypass=0). */
	struct iosim_iommu_config icfg = { .name = "smmu", .bus = &platform_bus_type,
					   .bypass_unattached = true };

	if (default_domains) {
		icfg.dma_cookie_get = iommu_get_dma_cookie;
		icfg.dma_cookie_put = iommu_put_dma_cookie;
	}
	iosim_log_set_console_level(0);
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_int_equal(iosim_dma_system_init(), 0);
	s->iommu = iosim_iommu_create(&icfg);
	assert_false(IS_ERR_OR_NULL(s->iommu));
}

static void sys_down(struct sys *s)
{
	iosim_iommu_destroy(s->iommu);
	iosim_dma_system_exit();
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_exit(), 0);
	iosim_log_set_console_level(5);
}

static struct device *of_dev(struct sys *s, const char *name, bool no_add)
{
	struct iosim_of_device_config cfg = {
		.dev = { .name = name, .dma_mask = DMA_BIT_MASK(64) },
		.iommu = s->iommu,
		.no_add = no_add,
	};

	return iosim_of_device_create(&cfg);
}

/*
 * A kernel-style platform driver: its probe() allocates a coherent buffer
 * and maps a receive page, its remove() gives both back.  It records
 * whether the device already had its IOMMU ops when it was probed.
 */
struct nic_priv {
	void *cpu;
	dma_addr_t coherent;
	struct page *page;
	dma_addr_t rx;
};

static struct nic_priv nic_priv;
static bool nic_probed_behind_iommu;
static int nic_nr_probes, nic_nr_removes;

#define NIC_COHERENT_BYTES	8192

static int nic_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct nic_priv *priv = &nic_priv;

	nic_nr_probes++;
	nic_probed_behind_iommu = iosim_dma_uses_iommu(dev);
	priv->cpu = dma_alloc_coherent(dev, NIC_COHERENT_BYTES, &priv->coherent, GFP_KERNEL);
	if (!priv->cpu)
		return -ENOMEM;
	priv->page = alloc_page(GFP_KERNEL);
	if (!priv->page)
		goto free_coherent;
	priv->rx = dma_map_page(dev, priv->page, 0, PAGE_SIZE, DMA_FROM_DEVICE);
	if (dma_mapping_error(dev, priv->rx))
		goto free_page;
	platform_set_drvdata(pdev, priv);
	return 0;

free_page:
	__free_page(priv->page);
free_coherent:
	dma_free_coherent(dev, NIC_COHERENT_BYTES, priv->cpu, priv->coherent);
	return -ENOMEM;
}

static int nic_remove(struct platform_device *pdev)
{
	struct nic_priv *priv = platform_get_drvdata(pdev);

	nic_nr_removes++;
	dma_unmap_page(&pdev->dev, priv->rx, PAGE_SIZE, DMA_FROM_DEVICE);
	__free_page(priv->page);
	dma_free_coherent(&pdev->dev, NIC_COHERENT_BYTES, priv->cpu, priv->coherent);
	return 0;
}

static const struct platform_device_id nic_ids[] = {
	{ "nic0", 0 },
	{ }
};

static struct platform_driver nic_driver = {
	.probe = nic_probe,
	.remove = nic_remove,
	.driver = { .name = "nic" },
	.id_table = nic_ids,
};

/*
 * The system up, nic_driver registered, and nic0 created: probed and bound
 * when it was added.
 */
static struct device *nic_probed(struct sys *s)
{
	struct device *dev;

	nic_nr_probes = nic_nr_removes = 0;
	sys_up(s, false);
	assert_int_equal(platform_driver_register(&nic_driver), 0);
	dev = of_dev(s, "nic0", false);
	assert_non_null(dev);
	assert_int_equal(nic_nr_probes, 1);
	assert_ptr_equal(dev->driver, &nic_driver.driver);
	return dev;
}

/*
 * A platform driver registered before its device is created is probed when
 * the device is added, after the IOMMU notifier attached it
 * (BUS_NOTIFY_ADD_DEVICE comes first), so its probe-time mappings go
 * through the IOMMU; the device reaches both buffers; unregistering the
 * driver gives everything back.
 */
static void test_a_driver_probed_on_add_maps_through_the_iommu(void **state)
{
	unsigned char got[64];
	struct device *dev;
	struct sys s;
	u64 mapped;

	(void)state;
	dev = nic_probed(&s);
	assert_true(nic_probed_behind_iommu);
	assert_ptr_equal(to_platform_device(dev)->id_entry, &nic_ids[0]);
	assert_non_null(iommu_get_domain_for_dev(dev));

	/* The device fills the receive page and reads the coherent buffer. */
	dma_fill(got, sizeof(got), 5);
	assert_int_equal(iosim_dma_write(dev, nic_priv.rx, got, sizeof(got)), 0);
	dma_sync_single_for_cpu(dev, nic_priv.rx, PAGE_SIZE, DMA_FROM_DEVICE);
	assert_true(dma_matches(page_address(nic_priv.page), sizeof(got), 5));
	dma_fill(nic_priv.cpu, sizeof(got), 9);
	assert_int_equal(iosim_dma_read(dev, nic_priv.coherent, got, sizeof(got)), 0);
	assert_true(dma_matches(got, sizeof(got), 9));
	assert_int_equal(iosim_iommu_domain_mapped_bytes(iommu_get_domain_for_dev(dev), &mapped), 0);
	assert_true(mapped >= PAGE_SIZE + NIC_COHERENT_BYTES);

	platform_driver_unregister(&nic_driver);
	assert_int_equal(nic_nr_removes, 1);
	assert_null(dev->driver);
	/* remove() gave both buffers back: nothing is left mapped. */
	assert_int_equal(iosim_iommu_domain_mapped_bytes(iommu_get_domain_for_dev(dev), &mapped), 0);
	assert_int_equal(mapped, 0);
	teardown_and_destroy(dev);
	sys_down(&s);
}

/*
 * Tearing the DMA set-up down under a bound driver is refused with a WARN:
 * the driver's remove() would free its IOMMU buffers through the default
 * ops.  Released first, the teardown proceeds and nothing is left.
 */
static void test_teardown_under_a_bound_driver_is_warned_and_refused(void **state)
{
	struct device *dev;
	struct sys s;
	u64 before, after;

	(void)state;
	dev = nic_probed(&s);
	assert_int_equal(iosim_iommu_domain_mapped_bytes(iommu_get_domain_for_dev(dev), &before), 0);

	arch_teardown_dma_ops(dev);
	assert_warned("arch_teardown_dma_ops: 'nic0' still has driver 'nic' bound");
	assert_true(iosim_dma_uses_iommu(dev));
	assert_int_equal(iosim_iommu_domain_mapped_bytes(iommu_get_domain_for_dev(dev), &after), 0);
	assert_true(after == before);
	assert_dma_works(dev);

	platform_driver_unregister(&nic_driver);
	assert_int_equal(nic_nr_removes, 1);
	teardown_and_destroy(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	sys_down(&s);
}

/*
 * An injected failure at every allocation of creating the device, setting
 * up its DMA, adding it and probing the driver: the device is not created,
 * or its probe failed and left nothing mapped, or the driver is bound and
 * its buffers are mapped; whatever happened, destroying the device leaves
 * nothing behind.
 */
static void test_probe_failure_sweep_leaves_a_bound_driver_or_nothing_mapped(void **state)
{
	unsigned long n, not_created = 0, probe_failed = 0;
	struct sys s;

	(void)state;
	sys_up(&s, false);
	assert_int_equal(platform_driver_register(&nic_driver), 0);
	for (n = 1; n < 400; n++) {
		unsigned long injected;
		struct device *dev;
		u64 mapped = 0;

		nic_nr_probes = 0;
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		dev = of_dev(&s, "nic0", false);
		injected = iosim_fault_injected();
		iosim_fault_reset();
		iosim_warn_reset();
		if (!dev) {
			not_created++;
			assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
			assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
			continue;
		}
		if (iommu_get_domain_for_dev(dev))
			assert_int_equal(iosim_iommu_domain_mapped_bytes(iommu_get_domain_for_dev(dev),
									 &mapped), 0);
		if (!dev->driver) {
			/* The probe ran and failed: it unwound what it had mapped. */
			assert_int_equal(nic_nr_probes, 1);
			assert_int_equal(mapped, 0);
			probe_failed++;
		} else if (iommu_get_domain_for_dev(dev)) {
			assert_true(mapped >= PAGE_SIZE + NIC_COHERENT_BYTES);
		}
		assert_dma_works(dev);
		/* remove() frees through the ops it allocated with: before the teardown. */
		device_release_driver(dev);
		teardown_and_destroy(dev);
		assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
		assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
		if (!injected)
			break;		/* nothing failed any more */
	}
	assert_true(n < 400);
	assert_true(not_created > 0);
	assert_true(probe_failed > 0);	/* some failure did land in the probe */
	platform_driver_unregister(&nic_driver);
	sys_down(&s);
}

/* Set up before it is added (no group yet): attached by the notifier on add. */
static void test_device_is_attached_when_added_and_torn_down_cleanly(void **state)
{
	struct iommu_domain *domain;
	struct device *dev;
	struct sys s;

	(void)state;
	sys_up(&s, false);
	dev = of_dev(&s, "eth0", false);
	assert_non_null(dev);
	assert_true(iosim_dma_uses_iommu(dev));
	domain = iommu_get_domain_for_dev(dev);
	assert_non_null(domain);
	assert_non_null(domain->dma_api_cookie);
	assert_int_equal(iosim_iommu_domain_check(domain), 0);
	assert_dma_works(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 1);
	teardown_and_destroy(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	sys_down(&s);
}

/*
 * Between set-up and add the device has no domain: it must keep the
 * default ops (the seed installed the IOMMU ops already).
 */
static void test_queued_device_uses_direct_ops_until_attached(void **state)
{
	struct device *dev;
	struct sys s;

	(void)state;
	sys_up(&s, false);
	dev = of_dev(&s, "queued", true);
	assert_non_null(dev);
	assert_false(iosim_dma_uses_iommu(dev));
	assert_null(iommu_get_domain_for_dev(dev));
	assert_dma_works(dev);

	assert_int_equal(device_add(dev), 0);
	assert_true(iosim_dma_uses_iommu(dev));
	assert_non_null(iommu_get_domain_for_dev(dev));
	assert_dma_works(dev);
	teardown_and_destroy(dev);
	sys_down(&s);
}

/* Destroyed before it was ever added: the queued entry and domain go with it. */
static void test_device_destroyed_before_add_leaves_nothing_behind(void **state)
{
	struct device *dev;
	struct sys s;

	(void)state;
	sys_up(&s, false);
	dev = of_dev(&s, "never-added", true);
	assert_non_null(dev);
	iosim_of_device_destroy(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);

	/* Another device added later is not confused by a stale entry. */
	dev = of_dev(&s, "later", false);
	assert_non_null(dev);
	assert_true(iosim_dma_uses_iommu(dev));
	teardown_and_destroy(dev);
	sys_down(&s);
}

/*
 * The kernel's order: device_del() (the IOMMU core takes the device out of
 * its group) and only then arch_teardown_dma_ops().  The domain made for
 * the device must still be freed.
 */
static void test_teardown_after_device_del_frees_the_domain(void **state)
{
	struct device *dev;
	struct sys s;

	(void)state;
	sys_up(&s, false);
	dev = of_dev(&s, "late-teardown", false);
	assert_non_null(dev);
	device_del(dev);
	assert_false(iosim_dma_uses_iommu(dev));
	arch_teardown_dma_ops(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	iosim_of_device_destroy(dev);
	sys_down(&s);
}

/* A device already in a group with a default DMA domain uses that domain. */
static void test_device_in_a_group_uses_its_default_domain(void **state)
{
	struct iosim_device_config dcfg = { .name = "grouped", .dma_mask = DMA_BIT_MASK(64) };
	struct iommu_domain *def;
	struct device *dev;
	struct sys s;

	(void)state;
	sys_up(&s, true);
	dev = iosim_device_create(&dcfg);	/* added: the core gives it a group */
	assert_non_null(dev);
	assert_int_equal(iosim_iommu_add_master(s.iommu, dev), 0);
	def = iommu_get_domain_for_dev(dev);
	assert_non_null(def);

	arch_setup_dma_ops(dev, 0, SZ_4G, (struct iommu_ops *)iosim_iommu_ops(s.iommu), false);
	assert_true(iosim_dma_uses_iommu(dev));
	assert_ptr_equal(iommu_get_domain_for_dev(dev), def);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 1);
	assert_dma_works(dev);
	arch_teardown_dma_ops(dev);
	assert_false(iosim_dma_uses_iommu(dev));
	/* The default domain is the group's: it outlives the DMA set-up. */
	assert_ptr_equal(iommu_get_domain_for_dev(dev), def);
	iosim_iommu_remove_master(dev);
	iosim_device_destroy(dev);
	sys_down(&s);
}

/* The IOMMU refuses every domain: the device works on the default ops. */
static void test_failed_setup_leaves_the_device_on_direct_ops(void **state)
{
	struct device *dev;
	struct sys s;

	(void)state;
	sys_up(&s, false);
	iosim_iommu_refuse_domains(s.iommu, true);
	dev = of_dev(&s, "no-domain", false);
	assert_non_null(dev);
	assert_false(iosim_dma_uses_iommu(dev));
	assert_true(iosim_log_seen("Failed to set up IOMMU domain for device no-domain"));
	iosim_iommu_refuse_domains(s.iommu, false);
	iosim_warn_reset();
	teardown_and_destroy(dev);
	sys_down(&s);
}

/* No IOMMU at all: the default ops, coherency recorded. */
static void test_setup_without_an_iommu_records_coherency_only(void **state)
{
	struct iosim_of_device_config cfg = {
		.dev = { .name = "plain", .dma_mask = DMA_BIT_MASK(64) },
		.dma_coherent = true,
	};
	struct device *dev;

	(void)state;
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_int_equal(iosim_dma_system_init(), 0);
	dev = iosim_of_device_create(&cfg);
	assert_non_null(dev);
	assert_true(is_device_dma_coherent(dev));
	assert_false(iosim_dma_uses_iommu(dev));
	assert_ptr_equal(get_dma_ops(dev), dma_ops);
	assert_dma_works(dev);
	teardown_and_destroy(dev);
	iosim_dma_system_exit();
	assert_int_equal(iosim_ram_exit(), 0);
}

/*
 * An injected failure at every step of creation, set-up and add: the device
 * is either not created (nothing left behind) or works - through the IOMMU
 * exactly when it is attached, else on the default ops.
 */
static void test_setup_failure_sweep_leaves_a_working_device_or_nothing(void **state)
{
	unsigned long n, created = 0, fell_back = 0;
	struct sys s;

	(void)state;
	sys_up(&s, false);
	for (n = 1; n < 400; n++) {
		struct device *dev;
		bool iommu_ops;

		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		dev = of_dev(&s, "sweep", false);
		iosim_fault_reset();
		iosim_warn_reset();
		if (!dev) {
			assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
			assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
			continue;
		}
		created++;
		iommu_ops = iosim_dma_uses_iommu(dev);
		if (iommu_ops != (iommu_get_domain_for_dev(dev) != NULL))
			print_error("fault %lu: IOMMU ops %d, domain %p\n", n, iommu_ops,
				    (void *)iommu_get_domain_for_dev(dev));
		assert_int_equal(iommu_ops, iommu_get_domain_for_dev(dev) != NULL);
		fell_back += !iommu_ops;
#ifndef IOSIM_SEED_ARM64
		assert_int_equal(iosim_dma_master_check(), 0);
#endif
		assert_dma_works(dev);
		teardown_and_destroy(dev);
		assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
		assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
		if (iommu_ops)
			break;		/* nothing failed any more */
	}
	assert_true(created > 0);
	assert_true(fell_back > 0);	/* some failure did land in the IOMMU set-up */
	sys_down(&s);
}

/* Boot and shutdown undo each other: nothing left, and they can repeat. */
static void test_system_init_and_exit_repeat_cleanly(void **state)
{
	unsigned int i;

	(void)state;
	assert_int_equal(iosim_ram_init(NULL), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(iosim_dma_system_init(), 0);
		assert_true(iosim_dma_system_ready());
		assert_true(iosim_dma_atomic_pool_avail() > 0);
		assert_int_equal(iosim_dma_system_init(), -EBUSY);
		assert_warned("already up");
		iosim_dma_system_exit();
		assert_false(iosim_dma_system_ready());
		assert_null(dma_ops);
		assert_int_equal(iosim_live_total(), 0);
	}
	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_dma_system_init(), -ENODEV);
}

/* NULL devices at the set-up entry points WARN. */
static void test_setup_and_teardown_of_null_are_warned(void **state)
{
	(void)state;
	arch_setup_dma_ops(NULL, 0, SZ_4G, NULL, false);
	assert_warned("NULL device");
	arch_teardown_dma_ops(NULL);
	assert_warned("NULL device");
	assert_null(iosim_of_device_create(NULL));
	assert_warned("NULL config");
}

/*
 * A DMA window the IOMMU cannot address (beyond its 48-bit aperture): the
 * domain's IOVA space cannot be set up, the set-up says so and frees what
 * it made, and the device works on the default ops once added.
 */
static void test_window_outside_the_aperture_leaves_the_device_on_direct_ops(void **state)
{
	struct iosim_of_device_config cfg = {
		.dev = { .name = "far-window", .dma_mask = DMA_BIT_MASK(64) },
		.dma_base = 1ULL << 50,
		.dma_size = SZ_4G,
	};
	struct device *dev;
	struct sys s;

	(void)state;
	sys_up(&s, false);
	cfg.iommu = s.iommu;
	iosim_log_reset();
	dev = iosim_of_device_create(&cfg);
	assert_non_null(dev);
	assert_true(iosim_log_seen("does not meet the IOMMU aperture"));
	assert_true(iosim_log_seen("Failed to create 4294967296-byte IOMMU mapping for device "
				   "far-window"));
	assert_true(iosim_log_seen("Failed to set up IOMMU domain for device far-window"));
	assert_false(iosim_dma_uses_iommu(dev));
	assert_null(iommu_get_domain_for_dev(dev));
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
#ifndef IOSIM_SEED_ARM64
	assert_int_equal(iosim_dma_master_check(), 0);
#endif
	assert_dma_works(dev);
	teardown_and_destroy(dev);
	sys_down(&s);
}

/*
 * A device already in an IOMMU group (no default domain) is attached at
 * set-up time; when that attach fails (its page table's top table cannot be
 * allocated) the domain made for it is freed and the device keeps the
 * default ops with no record left, so a later set-up starts afresh.
 */
static void test_failed_attach_of_a_grouped_device_leaves_it_on_direct_ops(void **state)
{
	struct iosim_device_config dcfg = { .name = "grouped", .dma_mask = DMA_BIT_MASK(64) };
	struct iommu_ops *ops;
	struct device *dev;
	struct sys s;

	(void)state;
	sys_up(&s, false);
	dev = iosim_device_create(&dcfg);
	assert_non_null(dev);
	assert_int_equal(iosim_iommu_add_master(s.iommu, dev), 0);
	assert_non_null(dev->iommu_group);
	assert_null(iommu_get_domain_for_dev(dev));
	ops = (struct iommu_ops *)iosim_iommu_ops(s.iommu);

	iosim_log_reset();
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE), 1);
	arch_setup_dma_ops(dev, 0, SZ_4G, ops, false);
	assert_int_equal(iosim_fault_injected(), 1);
	iosim_fault_reset();
	assert_true(iosim_log_seen("Failed to set up IOMMU domain for device grouped"));
	assert_false(iosim_dma_uses_iommu(dev));
	assert_null(iommu_get_domain_for_dev(dev));
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	assert_null(dev->iosim_dma);
	assert_dma_works(dev);
	arch_teardown_dma_ops(dev);	/* nothing to undo */

	/* Set up again: attached now, without an "already set up" WARN. */
	arch_setup_dma_ops(dev, 0, SZ_4G, ops, false);
	assert_true(iosim_dma_uses_iommu(dev));
	assert_non_null(iommu_get_domain_for_dev(dev));
	assert_dma_works(dev);
	arch_teardown_dma_ops(dev);
	assert_false(iosim_dma_uses_iommu(dev));
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	iosim_iommu_remove_master(dev);
	iosim_device_destroy(dev);
	sys_down(&s);
}

/*
 * Two devices queued for attach: adding the second attaches it alone; the
 * first keeps the default ops until it is added itself.
 */
static void test_adding_one_queued_device_leaves_another_queued(void **state)
{
	struct device *first, *second;
	struct sys s;

	(void)state;
	sys_up(&s, false);
	first = of_dev(&s, "queued-first", true);
	second = of_dev(&s, "queued-second", true);
	assert_non_null(first);
	assert_non_null(second);

	assert_int_equal(device_add(second), 0);
	assert_true(iosim_dma_uses_iommu(second));
	assert_false(iosim_dma_uses_iommu(first));
	assert_null(iommu_get_domain_for_dev(first));
	assert_dma_works(first);
	assert_dma_works(second);

	assert_int_equal(device_add(first), 0);
	assert_true(iosim_dma_uses_iommu(first));
	assert_ptr_not_equal(iommu_get_domain_for_dev(first), iommu_get_domain_for_dev(second));
	assert_dma_works(first);
	teardown_and_destroy(first);
	teardown_and_destroy(second);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	sys_down(&s);
}

/*
 * On an ACPI system (acpi_disabled clear) set-up gives a device without ops
 * the default ops explicitly; on a device-tree system it leaves them unset
 * (the global default applies).
 */
static void test_acpi_setup_installs_the_default_ops_explicitly(void **state)
{
	struct iosim_of_device_config cfg = { .dev = { .dma_mask = DMA_BIT_MASK(64) } };
	struct device *dt_dev, *acpi_dev;

	(void)state;
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_int_equal(iosim_dma_system_init(), 0);
	assert_int_equal(acpi_disabled, 1);
	cfg.dev.name = "dt-dev";
	dt_dev = iosim_of_device_create(&cfg);
	assert_non_null(dt_dev);
	assert_null(dt_dev->archdata.dma_ops);

	acpi_disabled = 0;
	cfg.dev.name = "acpi-dev";
	acpi_dev = iosim_of_device_create(&cfg);
	acpi_disabled = 1;
	assert_non_null(acpi_dev);
	assert_non_null(dma_ops);
	assert_ptr_equal(acpi_dev->archdata.dma_ops, dma_ops);
	assert_false(iosim_dma_uses_iommu(acpi_dev));
	assert_dma_works(acpi_dev);
	teardown_and_destroy(acpi_dev);
	teardown_and_destroy(dt_dev);
	iosim_dma_system_exit();
	assert_int_equal(iosim_ram_exit(), 0);
}

#ifndef IOSIM_SEED_ARM64
/*
 * The boot cannot register its notifier on a bus not registered yet (the
 * AMBA bus, if its postcore initcall had not run): it says IOMMU DMA ops are
 * unavailable there and frees the block.  An AMBA device behind an IOMMU
 * then stays on the default ops when added; the platform bus, registered
 * before, still attaches its devices.
 */
static void test_boot_without_the_amba_bus_leaves_amba_devices_on_direct_ops(void **state)
{
	struct iosim_iommu_config amba_cfg = { .name = "amba-smmu", .bus = &amba_bustype,
					       .bypass_unattached = true };
	struct iosim_iommu_config platform_cfg = { .name = "smmu", .bus = &platform_bus_type,
						   .bypass_unattached = true };
	struct iosim_of_device_config dcfg = {
		.dev = { .name = "amba-dev", .bus = &amba_bustype, .dma_mask = DMA_BIT_MASK(64) },
	};
	struct iosim_iommu *amba_iommu;
	struct device *amba_dev, *dev;
	struct sys s;

	(void)state;
	iosim_log_set_console_level(0);
	assert_int_equal(iosim_ram_init(NULL), 0);
	/* Not bus_unregister(): it destroys the chain's lock, which the boot reads. */
	amba_bustype.iosim_registered = false;
	iosim_log_reset();
	assert_int_equal(iosim_dma_system_init(), 0);
	amba_bustype.iosim_registered = true;
	assert_warned("bus 'amba' is not registered");
	assert_true(iosim_log_seen("Failed to register DMA domain notifier; IOMMU DMA ops "
				   "unavailable on bus 'amba'"));
	assert_true(iosim_log_seen("initcall arm64_iommu_dma_boot returned -22"));

	s.iommu = iosim_iommu_create(&platform_cfg);
	assert_false(IS_ERR_OR_NULL(s.iommu));
	amba_iommu = iosim_iommu_create(&amba_cfg);
	assert_false(IS_ERR_OR_NULL(amba_iommu));
	dcfg.iommu = amba_iommu;
	amba_dev = iosim_of_device_create(&dcfg);
	assert_non_null(amba_dev);
	assert_non_null(amba_dev->iommu_group);
	assert_false(iosim_dma_uses_iommu(amba_dev));
	assert_null(iommu_get_domain_for_dev(amba_dev));
	assert_dma_works(amba_dev);
	dev = of_dev(&s, "platform-dev", false);
	assert_non_null(dev);
	assert_true(iosim_dma_uses_iommu(dev));
	assert_dma_works(dev);

	teardown_and_destroy(dev);
	teardown_and_destroy(amba_dev);
	iosim_iommu_destroy(amba_iommu);
	sys_down(&s);
	/* Nothing left, the refused notifier block included. */
	assert_int_equal(iosim_live_total(), 0);
}

/*
 * The set-up records' checker: a device that lost its back pointer, one
 * detached from its domain behind the DMA layer's back, and one whose IOMMU
 * ops were replaced are each reported; repaired, the checker passes.
 */
static void test_master_check_reports_inconsistent_records(void **state)
{
	struct iommu_domain *attached_to;
	struct dma_map_ops *ops;
	struct device *dev;
	void *record;
	struct sys s;

	(void)state;
	sys_up(&s, false);
	dev = of_dev(&s, "checked", false);
	assert_non_null(dev);
	assert_true(iosim_dma_uses_iommu(dev));
	assert_int_equal(iosim_dma_master_check(), 0);

	record = dev->iosim_dma;
	assert_non_null(record);
	dev->iosim_dma = NULL;
	assert_int_equal(iosim_dma_master_check(), -EUCLEAN);
	assert_warned("back pointer wrong");
	dev->iosim_dma = record;
	assert_int_equal(iosim_dma_master_check(), 0);

	/* Detached behind the DMA layer's back, then put back. */
	attached_to = iommu_get_domain_for_dev(dev);
	assert_non_null(attached_to);
	iommu_detach_device(attached_to, dev);
	assert_null(iommu_get_domain_for_dev(dev));
	assert_int_equal(iosim_dma_master_check(), -EUCLEAN);
	assert_warned("dma master checked: recorded as attached but its domain is");
	assert_int_equal(iommu_attach_device(attached_to, dev), 0);
	assert_int_equal(iosim_dma_master_check(), 0);

	ops = dev->archdata.dma_ops;
	set_dma_ops(dev, NULL);
	assert_int_equal(iosim_dma_master_check(), -EUCLEAN);
	assert_warned("dma master checked: attached 1 but IOMMU ops not installed");
	set_dma_ops(dev, ops);
	assert_int_equal(iosim_dma_master_check(), 0);
	assert_dma_works(dev);
	teardown_and_destroy(dev);
	sys_down(&s);
}
#endif

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_device_is_attached_when_added_and_torn_down_cleanly),
		IOSIM_TEST(test_a_driver_probed_on_add_maps_through_the_iommu),
		IOSIM_TEST(test_probe_failure_sweep_leaves_a_bound_driver_or_nothing_mapped),
		IOSIM_TEST(test_teardown_under_a_bound_driver_is_warned_and_refused),
		IOSIM_TEST(test_queued_device_uses_direct_ops_until_attached),
		IOSIM_TEST(test_device_destroyed_before_add_leaves_nothing_behind),
		IOSIM_TEST(test_teardown_after_device_del_frees_the_domain),
		IOSIM_TEST(test_device_in_a_group_uses_its_default_domain),
		IOSIM_TEST(test_failed_setup_leaves_the_device_on_direct_ops),
		IOSIM_TEST(test_setup_without_an_iommu_records_coherency_only),
		IOSIM_TEST(test_setup_failure_sweep_leaves_a_working_device_or_nothing),
		IOSIM_TEST(test_system_init_and_exit_repeat_cleanly),
		IOSIM_TEST(test_setup_and_teardown_of_null_are_warned),
		IOSIM_TEST(test_window_outside_the_aperture_leaves_the_device_on_direct_ops),
		IOSIM_TEST(test_failed_attach_of_a_grouped_device_leaves_it_on_direct_ops),
		IOSIM_TEST(test_adding_one_queued_device_leaves_another_queued),
		IOSIM_TEST(test_acpi_setup_installs_the_default_ops_explicitly),
#ifndef IOSIM_SEED_ARM64
		IOSIM_TEST(test_boot_without_the_amba_bus_leaves_amba_devices_on_direct_ops),
		IOSIM_TEST(test_master_check_reports_inconsistent_records),
#endif
	};

	RUN_TESTS(tests, argc, argv);
}
