// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Masters of the simulated IOMMU: devices joining and leaving an instance in
 * every order, IOMMU groups through the core's bus notifier and the driver's
 * add_device/remove_device, default DMA domains, and attach/detach rules.
 */
#include "fiommu_test.h"

#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include <iosim/device.h>
#include <iosim/fault.h>
#include <iosim/iommu_core.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>

#include "fake_iommu.h"

static int setup(void **state)
{
	int ret = iosim_test_setup_ram(state);

	fiommu_bus_register();
	fiommu_cookie_gets = fiommu_cookie_puts = 0;
	return ret;
}

static int teardown(void **state)
{
	/* Every group went with its devices. */
	if (iosim_iommu_nr_groups())
		fail_msg("%u IOMMU groups left", iosim_iommu_nr_groups());
	fiommu_bus_unregister();
	return iosim_test_teardown_ram(state);
}

#define MASTERS_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

static struct iosim_master *master_of(struct device *dev)
{
	return dev->iosim_master;
}

static void check_all(struct iosim_iommu *iommu)
{
	assert_int_equal(iosim_iommu_instance_check(iommu), 0);
	assert_int_equal(iosim_iommu_check(), 0);
	assert_int_equal(iosim_bus_check(&fiommu_bus), 0);
}

/* -- joining, in every order ---------------------------------------------- */

static void test_master_added_before_the_device_joins_the_bus_gets_a_group(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, &fiommu_bus);
	struct device *dev = fiommu_device("early", NULL, true);
	struct iommu_domain *dom;

	assert_ptr_equal(fiommu_bus.iommu_ops, iosim_iommu_ops(iommu));
	assert_int_equal(iosim_iommu_add_master(iommu, dev), 0);
	assert_ptr_equal(dev->archdata.iommu, iommu);
	assert_ptr_equal(iosim_iommu_of_dev(dev), iommu);
	assert_null(dev->iommu_group);
	/* device_add() notifies the core, which asks our add_device. */
	assert_int_equal(device_add(dev), 0);
	assert_non_null(dev->iommu_group);
	/* No cookie hooks: no default DMA domain (as 2015's arm-smmu). */
	assert_null(iommu_get_domain_for_dev(dev));
	check_all(iommu);

	dom = iommu_domain_alloc(&fiommu_bus);
	assert_non_null(dom);
	assert_int_equal(iommu_attach_device(dom, dev), 0);
	assert_ptr_equal(iommu_get_domain_for_dev(dev), dom);
	assert_ptr_equal(master_of(dev)->domain, to_iosim_domain(dom));
	check_all(iommu);
	iommu_detach_device(dom, dev);
	assert_null(master_of(dev)->domain);
	iommu_domain_free(dom);

	/* Deleting the device takes it out of its group and off the IOMMU. */
	iosim_device_destroy(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
	check_all(iommu);
	iosim_iommu_destroy(iommu);
	assert_null(fiommu_bus.iommu_ops);
}

static void test_master_added_to_a_device_already_on_the_bus_gets_a_group(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, &fiommu_bus);
	struct device *dev = fiommu_device("late", NULL, false);
	struct iosim_iommu_stats stats;

	/* The core offered it to add_device already: not a master then. */
	assert_null(dev->iommu_group);
	assert_int_equal(iosim_iommu_add_master(iommu, dev), 0);
	assert_non_null(dev->iommu_group);
	iosim_iommu_get_stats(iommu, &stats);
	assert_int_equal(stats.masters, 1);
	check_all(iommu);
	iosim_iommu_remove_master(dev);
	assert_null(dev->iommu_group);
	assert_null(dev->archdata.iommu);
	assert_null(dev->iosim_master);
	iosim_iommu_get_stats(iommu, &stats);
	assert_int_equal(stats.masters, 0);
	iosim_device_destroy(dev);
	iosim_iommu_destroy(iommu);
}

static void test_device_on_the_bus_before_the_instance_exists(void **state)
{
	struct device *dev = fiommu_device("first", NULL, false);
	struct device *other = fiommu_device("bystander", NULL, false);
	struct iosim_iommu *iommu = fiommu_create(SZ_64K, &fiommu_bus);

	/* bus_set_iommu() offered both to add_device: neither is a master. */
	assert_null(dev->iommu_group);
	assert_null(other->iommu_group);
	assert_int_equal(iosim_iommu_add_master(iommu, dev), 0);
	assert_non_null(dev->iommu_group);
	assert_null(other->iommu_group);
	check_all(iommu);
	/* Destroying the instance first: the master goes, the device stays. */
	iosim_iommu_destroy(iommu);
	assert_null(dev->iommu_group);
	assert_null(dev->archdata.iommu);
	assert_null(fiommu_bus.iommu_ops);
	iosim_device_destroy(dev);
	iosim_device_destroy(other);
}

static void test_master_on_another_bus_attaches_without_a_group(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, &fiommu_bus);
	struct device *dev = fiommu_device("elsewhere", &platform_bus_type, false);
	struct iommu_domain *dom;

	assert_int_equal(iosim_iommu_add_master(iommu, dev), 0);
	assert_null(dev->iommu_group);
	dom = iommu_domain_alloc(&fiommu_bus);
	/* No group: the core hands the attach straight to the driver. */
	assert_int_equal(iommu_attach_device(dom, dev), 0);
	assert_ptr_equal(master_of(dev)->domain, to_iosim_domain(dom));
	assert_null(iommu_get_domain_for_dev(dev));
	check_all(iommu);
	/* Not on the instance's bus: removal is the test's job. */
	iommu_detach_device(dom, dev);
	iommu_domain_free(dom);
	iosim_iommu_remove_master(dev);
	iosim_device_destroy(dev);
	iosim_iommu_destroy(iommu);
}

static void test_instance_without_a_bus_serves_masters_directly(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_16K, NULL);
	struct device *dev = fiommu_device("plain", NULL, false);
	const struct iommu_ops *ops = iosim_iommu_ops(iommu);
	struct iommu_domain *dom = ops->domain_alloc(IOMMU_DOMAIN_UNMANAGED);

	dom->ops = ops;
	assert_int_equal(iosim_iommu_add_master(iommu, dev), 0);
	assert_null(dev->iommu_group);
	assert_int_equal(ops->add_device(dev), -ENODEV);
	assert_int_equal(iommu_attach_device(dom, dev), 0);
	check_all(iommu);
	/* Removing an attached master detaches it. */
	iosim_iommu_remove_master(dev);
	assert_int_equal(to_iosim_domain(dom)->nr_masters, 0);
	check_all(iommu);
	ops->domain_free(dom);
	iosim_device_destroy(dev);
	iosim_iommu_destroy(iommu);
}

/* -- default domains ---------------------------------------------------------- */

static void test_group_gets_a_default_dma_domain_with_cookie_hooks(void **state)
{
	struct iosim_iommu_config cfg = {
		.bus = &fiommu_bus,
		.dma_cookie_get = fiommu_cookie_get,
		.dma_cookie_put = fiommu_cookie_put,
	};
	struct iosim_iommu *iommu = iosim_iommu_create(&cfg);
	struct device *dev = fiommu_device("dma", NULL, true);
	struct iommu_domain *def, *unmanaged;
	struct iosim_iommu_stats stats;

	assert_false(IS_ERR(iommu));
	assert_int_equal(iosim_iommu_add_master(iommu, dev), 0);
	assert_int_equal(device_add(dev), 0);
	def = iommu_get_domain_for_dev(dev);
	assert_non_null(def);
	assert_int_equal(def->type, IOMMU_DOMAIN_DMA);
	assert_non_null(def->dma_api_cookie);
	assert_ptr_equal(iommu_group_default_domain(dev->iommu_group), def);
	assert_ptr_equal(master_of(dev)->domain, to_iosim_domain(def));
	assert_int_equal(fiommu_cookie_gets, 1);
	check_all(iommu);

	/* Attaching another domain moves the stream; detaching moves it back. */
	unmanaged = iommu_domain_alloc(&fiommu_bus);
	assert_int_equal(iommu_attach_device(unmanaged, dev), 0);
	assert_ptr_equal(master_of(dev)->domain, to_iosim_domain(unmanaged));
	assert_int_equal(to_iosim_domain(def)->nr_masters, 0);
	check_all(iommu);
	iommu_detach_device(unmanaged, dev);
	assert_ptr_equal(master_of(dev)->domain, to_iosim_domain(def));
	iommu_domain_free(unmanaged);
	iosim_iommu_get_stats(iommu, &stats);
	assert_int_equal(stats.domains, 1);

	/* The device goes: its group, then the default domain, then the master. */
	iosim_device_destroy(dev);
	assert_int_equal(fiommu_cookie_puts, 1);
	iosim_iommu_get_stats(iommu, &stats);
	assert_int_equal(stats.domains, 0);
	assert_int_equal(stats.masters, 0);
	iosim_iommu_destroy(iommu);
}

static void test_default_domain_failure_still_groups_the_device(void **state)
{
	struct iosim_iommu_config cfg = {
		.bus = &fiommu_bus,
		.nr_contexts = 1,
		.dma_cookie_get = fiommu_cookie_get,
		.dma_cookie_put = fiommu_cookie_put,
	};
	struct iosim_iommu *iommu = iosim_iommu_create(&cfg);
	struct device *a = fiommu_device("a", NULL, false);
	struct device *b = fiommu_device("b", NULL, false);

	assert_int_equal(iosim_iommu_add_master(iommu, a), 0);
	/* The only context went to a's default domain. */
	assert_int_equal(iosim_iommu_add_master(iommu, b), 0);
	assert_non_null(iommu_get_domain_for_dev(a));
	assert_non_null(b->iommu_group);
	assert_null(iommu_get_domain_for_dev(b));
	check_all(iommu);
	iosim_device_destroy(a);
	iosim_device_destroy(b);
	iosim_iommu_destroy(iommu);
}

/* -- rules and misuse ----------------------------------------------------------- */

static void test_second_instance_on_the_same_bus_is_busy(void **state)
{
	struct iosim_iommu *first = fiommu_create(SZ_4K, &fiommu_bus);
	struct iosim_iommu_config cfg = { .bus = &fiommu_bus };

	assert_ptr_equal(iosim_iommu_create(&cfg), ERR_PTR(-EBUSY));
	assert_ptr_equal(fiommu_bus.iommu_ops, iosim_iommu_ops(first));
	assert_int_equal(iosim_live(IOSIM_OBJ_IOMMU), 1);
	iosim_iommu_destroy(first);
	/* Free again once the first is gone. */
	first = fiommu_create(SZ_16K, &fiommu_bus);
	iosim_iommu_destroy(first);
}

static void test_attach_rules(void **state)
{
	struct iosim_iommu *a = fiommu_create(SZ_4K, NULL);
	struct iosim_iommu *b = fiommu_create(SZ_4K, NULL);
	struct device *dev = fiommu_device("dev", NULL, false);
	struct device *stranger = fiommu_device("stranger", NULL, false);
	const struct iommu_ops *ops = iosim_iommu_ops(a);
	struct iommu_domain *d1 = ops->domain_alloc(IOMMU_DOMAIN_UNMANAGED);
	struct iommu_domain *d2 = ops->domain_alloc(IOMMU_DOMAIN_UNMANAGED);
	struct iommu_domain *other = iosim_iommu_ops(b)->domain_alloc(IOMMU_DOMAIN_UNMANAGED);

	d1->ops = d2->ops = ops;
	other->ops = iosim_iommu_ops(b);
	assert_int_equal(iosim_iommu_add_master(a, dev), 0);
	assert_int_equal(ops->attach_dev(d1, stranger), -ENODEV);
	iosim_log_set_console_level(3);
	assert_int_equal(other->ops->attach_dev(other, dev), -EINVAL);
	assert_true(iosim_log_seen("cannot attach to a domain of"));
	iosim_log_set_console_level(5);
	assert_int_equal(ops->attach_dev(d1, dev), 0);
	assert_int_equal(ops->attach_dev(d1, dev), 0);	/* again: no change */
	assert_int_equal(to_iosim_domain(d1)->nr_masters, 1);
	/* A stream points at one context: attaching elsewhere moves it. */
	assert_int_equal(ops->attach_dev(d2, dev), 0);
	assert_int_equal(to_iosim_domain(d1)->nr_masters, 0);
	assert_int_equal(to_iosim_domain(d2)->nr_masters, 1);
	assert_int_equal(iosim_iommu_instance_check(a), 0);
	ops->detach_dev(d1, dev);
	assert_warned("not attached to this domain");
	ops->detach_dev(d2, dev);
	assert_null(master_of(dev)->domain);

	/* Freeing a domain under an attached master is misuse, cleaned up. */
	assert_int_equal(ops->attach_dev(d1, dev), 0);
	ops->domain_free(d1);
	assert_warned("master(s) attached");
	assert_null(master_of(dev)->domain);
	assert_int_equal(iosim_iommu_instance_check(a), 0);

	ops->domain_free(d2);
	other->ops->domain_free(other);
	iosim_iommu_remove_master(dev);
	iosim_device_destroy(dev);
	iosim_device_destroy(stranger);
	iosim_iommu_destroy(a);
	iosim_iommu_destroy(b);
}

static void test_attach_table_failure_leaves_the_master_unattached(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, NULL);
	struct device *dev = fiommu_device("dev", NULL, false);
	const struct iommu_ops *ops = iosim_iommu_ops(iommu);
	struct iommu_domain *dom = ops->domain_alloc(IOMMU_DOMAIN_UNMANAGED);

	dom->ops = ops;
	assert_int_equal(iosim_iommu_add_master(iommu, dev), 0);
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE), 1);
	assert_int_equal(iommu_attach_device(dom, dev), -ENOMEM);
	iosim_fault_reset();
	assert_null(master_of(dev)->domain);
	assert_int_equal(iosim_iommu_instance_check(iommu), 0);
	/* The context gets its table on the next try. */
	assert_int_equal(iommu_attach_device(dom, dev), 0);
	assert_int_equal(iosim_iommu_instance_check(iommu), 0);
	iommu_detach_device(dom, dev);
	ops->domain_free(dom);
	iosim_iommu_remove_master(dev);
	iosim_device_destroy(dev);
	iosim_iommu_destroy(iommu);
}

static void test_add_master_misuse_warns(void **state)
{
	struct iosim_iommu *a = fiommu_create(SZ_4K, NULL);
	struct iosim_iommu *b = fiommu_create(SZ_4K, NULL);
	struct device *dev = fiommu_device("dev", NULL, false);

	assert_int_equal(iosim_iommu_add_master(NULL, dev), -EINVAL);
	assert_warned("NULL IOMMU");
	assert_int_equal(iosim_iommu_add_master(a, NULL), -EINVAL);
	assert_warned("NULL device");
	assert_int_equal(iosim_iommu_add_master(a, dev), 0);
	assert_int_equal(iosim_iommu_add_master(b, dev), -EINVAL);
	assert_warned("already behind an IOMMU");
	assert_ptr_equal(iosim_iommu_of_dev(dev), a);
	iosim_iommu_remove_master(dev);
	iosim_iommu_remove_master(dev);
	assert_warned("not behind a simulated IOMMU");
	iosim_iommu_destroy(b);
	assert_int_equal(iosim_iommu_add_master(b, dev), -EINVAL);
	assert_warned("not a live IOMMU");
	iosim_device_destroy(dev);
	iosim_iommu_destroy(a);
}

static void test_add_master_failure_sweep_leaves_no_trace(void **state)
{
	struct iosim_iommu_config cfg = {
		.bus = &fiommu_bus,
		.dma_cookie_get = fiommu_cookie_get,
		.dma_cookie_put = fiommu_cookie_put,
	};
	struct iosim_iommu *iommu = iosim_iommu_create(&cfg);
	struct device *dev = fiommu_device("swept", NULL, false);
	long live_before = iosim_live_total();
	unsigned long n;
	int ret;

	iosim_log_set_console_level(3);	/* injected failures are not news */
	for (n = 1; ; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		ret = iosim_iommu_add_master(iommu, dev);
		if (!iosim_fault_injected())
			break;
		iosim_fault_reset();
		if (ret) {
			/* Nothing stayed behind. */
			assert_null(dev->archdata.iommu);
			assert_null(dev->iommu_group);
			assert_int_equal(iosim_live_total(), live_before);
		} else {
			/* Only the default domain failed: grouped, no domain. */
			assert_non_null(dev->iommu_group);
			iosim_iommu_remove_master(dev);
			assert_int_equal(iosim_live_total(), live_before);
		}
		check_all(iommu);
	}
	iosim_fault_reset();
	iosim_log_set_console_level(5);
	assert_int_equal(ret, 0);
	/* Master, group, its bookkeeping, default domain, cookie, top table... */
	assert_true(n > 5);
	assert_non_null(iommu_get_domain_for_dev(dev));
	check_all(iommu);
	iosim_device_destroy(dev);
	iosim_iommu_destroy(iommu);
}

static void test_destroy_removes_every_master(void **state)
{
	struct iosim_iommu *iommu = fiommu_create(SZ_4K, &fiommu_bus);
	struct device *on_bus = fiommu_device("on", NULL, false);
	struct device *off_bus = fiommu_device("off", &platform_bus_type, false);
	struct iommu_domain *dom = iommu_domain_alloc(&fiommu_bus);

	assert_int_equal(iosim_iommu_add_master(iommu, on_bus), 0);
	assert_int_equal(iosim_iommu_add_master(iommu, off_bus), 0);
	assert_int_equal(iommu_attach_device(dom, off_bus), 0);
	iommu_detach_device(dom, off_bus);
	iommu_domain_free(dom);
	iosim_iommu_destroy(iommu);
	assert_null(on_bus->archdata.iommu);
	assert_null(off_bus->archdata.iommu);
	assert_null(on_bus->iommu_group);
	iosim_device_destroy(on_bus);
	iosim_device_destroy(off_bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		MASTERS_TEST(test_master_added_before_the_device_joins_the_bus_gets_a_group),
		MASTERS_TEST(test_master_added_to_a_device_already_on_the_bus_gets_a_group),
		MASTERS_TEST(test_device_on_the_bus_before_the_instance_exists),
		MASTERS_TEST(test_master_on_another_bus_attaches_without_a_group),
		MASTERS_TEST(test_instance_without_a_bus_serves_masters_directly),
		MASTERS_TEST(test_group_gets_a_default_dma_domain_with_cookie_hooks),
		MASTERS_TEST(test_default_domain_failure_still_groups_the_device),
		MASTERS_TEST(test_second_instance_on_the_same_bus_is_busy),
		MASTERS_TEST(test_attach_rules),
		MASTERS_TEST(test_attach_table_failure_leaves_the_master_unattached),
		MASTERS_TEST(test_add_master_misuse_warns),
		MASTERS_TEST(test_add_master_failure_sweep_leaves_no_trace),
		MASTERS_TEST(test_destroy_removes_every_master),
	};

	return cmocka_run_group_tests_name("fake-iommu masters", tests, NULL, NULL);
}
