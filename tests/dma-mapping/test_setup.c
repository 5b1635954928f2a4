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

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_device_is_attached_when_added_and_torn_down_cleanly),
		IOSIM_TEST(test_queued_device_uses_direct_ops_until_attached),
		IOSIM_TEST(test_device_destroyed_before_add_leaves_nothing_behind),
		IOSIM_TEST(test_teardown_after_device_del_frees_the_domain),
		IOSIM_TEST(test_device_in_a_group_uses_its_default_domain),
		IOSIM_TEST(test_failed_setup_leaves_the_device_on_direct_ops),
		IOSIM_TEST(test_setup_without_an_iommu_records_coherency_only),
		IOSIM_TEST(test_setup_failure_sweep_leaves_a_working_device_or_nothing),
		IOSIM_TEST(test_system_init_and_exit_repeat_cleanly),
		IOSIM_TEST(test_setup_and_teardown_of_null_are_warned),
	};

	RUN_TESTS(tests, argc, argv);
}
