// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * bus_set_iommu() and the core's bus notifier: devices reach the driver's
 * add_device/remove_device as they come and go; iosim_bus_clear_iommu()
 * undoes it; allocation failures leave consistent state.
 */
#include "mock_iommu.h"

#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/platform_device.h>

#include <iosim/device.h>
#include <iosim/fault.h>
#include <iosim/iommu_core.h>
#include <iosim/live.h>
#include <iosim/log.h>

static struct device *added_device(const char *name)
{
	struct device *dev = mock_device(name, NULL, false);

	assert_non_null(dev);
	return dev;
}

static void test_bus_set_iommu_adds_devices_already_on_the_bus(void **state)
{
	struct device *a = added_device("a"), *b = added_device("b");

	assert_null(a->iommu_group);
	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	assert_ptr_equal(mock_bus.iommu_ops, &mock.ops);
	assert_int_equal(mock_calls(MOCK_ADD_DEVICE), 2);
	assert_ptr_equal(mock_nth_call(MOCK_ADD_DEVICE, 0)->dev, a);
	assert_ptr_equal(mock_nth_call(MOCK_ADD_DEVICE, 1)->dev, b);
	assert_non_null(a->iommu_group);
	assert_non_null(b->iommu_group);
	assert_ptr_not_equal(a->iommu_group, b->iommu_group);
	assert_int_equal(iosim_iommu_nr_groups(), 2);
	assert_int_equal(iosim_iommu_check(), 0);
	assert_int_equal(iosim_bus_check(&mock_bus), 0);

	iosim_device_destroy(a);
	iosim_device_destroy(b);
}

static void test_bus_notifier_adds_and_removes_devices(void **state)
{
	struct device *dev;

	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	dev = added_device("dev0");
	assert_int_equal(mock_calls(MOCK_ADD_DEVICE), 1);
	assert_non_null(dev->iommu_group);
	assert_non_null(iommu_get_domain_for_dev(dev));
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 1);

	/* device_del: remove_device runs, the group and its domain go. */
	iosim_device_destroy(dev);
	assert_int_equal(mock_calls(MOCK_REMOVE_DEVICE), 1);
	assert_int_equal(iosim_iommu_nr_groups(), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
}

static void test_remove_device_only_for_devices_in_a_group(void **state)
{
	struct device *dev;

	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	mock.add_device_errno = -ENODEV;
	dev = added_device("elsewhere");
	assert_null(dev->iommu_group);
	iosim_device_destroy(dev);
	assert_int_equal(mock_calls(MOCK_REMOVE_DEVICE), 0);
}

static void test_bus_set_iommu_twice_is_ebusy(void **state)
{
	struct iommu_ops other = { .pgsize_bitmap = SZ_4K };
	struct device *dev;

	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), -EBUSY);
	assert_int_equal(bus_set_iommu(&mock_bus, &other), -EBUSY);
	assert_ptr_equal(mock_bus.iommu_ops, &mock.ops);

	/* Still exactly one notifier: one add_device per device. */
	dev = added_device("dev0");
	assert_int_equal(mock_calls(MOCK_ADD_DEVICE), 1);
	iosim_device_destroy(dev);
	assert_int_equal(mock_calls(MOCK_REMOVE_DEVICE), 1);
}

static void test_iommu_present_and_capable(void **state)
{
	assert_false(iommu_present(&mock_bus));
	assert_false(iommu_capable(&mock_bus, IOMMU_CAP_CACHE_COHERENCY));

	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	assert_true(iommu_present(&mock_bus));
	assert_true(iommu_capable(&mock_bus, IOMMU_CAP_CACHE_COHERENCY));
	assert_false(iommu_capable(&mock_bus, IOMMU_CAP_INTR_REMAP));
	mock.ops.capable = NULL;
	assert_false(iommu_capable(&mock_bus, IOMMU_CAP_CACHE_COHERENCY));

	assert_false(iommu_present(NULL));
	assert_warned("NULL bus");
	assert_false(iommu_capable(NULL, IOMMU_CAP_NOEXEC));
	assert_warned("NULL bus");
}

static void test_bus_set_iommu_tolerates_devices_not_behind_the_iommu(void **state)
{
	struct device *a = added_device("a"), *b = added_device("b");

	mock.add_device_errno = -ENODEV;
	mock.add_device_fail_dev = a;
	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	assert_null(a->iommu_group);
	assert_non_null(b->iommu_group);
	iosim_device_destroy(a);
	iosim_device_destroy(b);
}

static void test_bus_set_iommu_failure_undoes_everything(void **state)
{
	struct device *a = added_device("a"), *b = added_device("b"), *c = added_device("c");
	struct device *late;

	mock.add_device_errno = -EIO;
	mock.add_device_fail_dev = c;
	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), -EIO);
	assert_null(mock_bus.iommu_ops);
	assert_int_equal(mock_calls(MOCK_REMOVE_DEVICE), 2);
	assert_ptr_equal(mock_nth_call(MOCK_REMOVE_DEVICE, 0)->dev, a);
	assert_ptr_equal(mock_nth_call(MOCK_REMOVE_DEVICE, 1)->dev, b);
	assert_null(a->iommu_group);
	assert_null(b->iommu_group);
	assert_int_equal(iosim_iommu_nr_groups(), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);

	/* The notifier is gone too. */
	mock_clear_calls();
	late = added_device("late");
	assert_int_equal(mock_calls(MOCK_ADD_DEVICE), 0);

	/* And the bus can be bound again. */
	mock.add_device_errno = 0;
	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	assert_int_equal(iosim_iommu_nr_groups(), 4);
	iosim_device_destroy(a);
	iosim_device_destroy(b);
	iosim_device_destroy(c);
	iosim_device_destroy(late);
}

static unsigned int later_notifier_calls;

static int later_notifier(struct notifier_block *nb, unsigned long action, void *data)
{
	if (action == BUS_NOTIFY_ADD_DEVICE)
		later_notifier_calls++;
	return NOTIFY_OK;
}

static void test_add_device_failure_does_not_stop_the_bus_notifier_chain(void **state)
{
	/* Like the seed's arm64 attach notifier, at a lower priority. */
	struct notifier_block later = { .notifier_call = later_notifier, .priority = -100 };
	struct device *dev;

	later_notifier_calls = 0;
	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	assert_int_equal(bus_register_notifier(&mock_bus, &later), 0);

	mock.add_device_errno = -ENOMEM;
	iosim_log_reset();
	dev = added_device("dev0");
	assert_null(dev->iommu_group);
	assert_true(iosim_log_seen("add_device failed"));
	assert_int_equal(later_notifier_calls, 1);

	assert_int_equal(bus_unregister_notifier(&mock_bus, &later), 0);
	iosim_device_destroy(dev);
}

static void test_clear_iommu_removes_groups_and_allows_rebinding(void **state)
{
	struct device *dev = added_device("dev0");

	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	assert_non_null(dev->iommu_group);
	assert_int_equal(iosim_bus_clear_iommu(&mock_bus), 0);
	assert_null(mock_bus.iommu_ops);
	assert_null(dev->iommu_group);
	assert_int_equal(mock_calls(MOCK_REMOVE_DEVICE), 1);
	assert_int_equal(iosim_iommu_nr_groups(), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	assert_int_equal(iosim_bus_clear_iommu(&mock_bus), -ENODEV);

	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	assert_non_null(dev->iommu_group);
	iosim_device_destroy(dev);
	assert_int_equal(iosim_bus_clear_iommu(&mock_bus), 0);
}

static void test_clear_iommu_misuse_warns(void **state)
{
	assert_int_equal(iosim_bus_clear_iommu(NULL), -EINVAL);
	assert_warned("NULL bus");
	/* Ops installed by hand, not by bus_set_iommu(): cleared, with a WARN. */
	mock_bus.iommu_ops = &mock.ops;
	assert_int_equal(iosim_bus_clear_iommu(&mock_bus), -EINVAL);
	assert_warned("not set by bus_set_iommu");
	assert_null(mock_bus.iommu_ops);
}

static void test_bus_set_iommu_warns_on_null(void **state)
{
	assert_int_equal(bus_set_iommu(NULL, &mock.ops), -EINVAL);
	assert_warned("NULL bus");
	assert_int_equal(bus_set_iommu(&mock_bus, NULL), -EINVAL);
	assert_warned("NULL ops");
	assert_null(mock_bus.iommu_ops);
}

static void test_bus_set_iommu_warns_about_devices_already_grouped(void **state)
{
	struct device *dev = added_device("dev0");
	struct iommu_group *group = iommu_group_alloc();

	assert_int_equal(iommu_group_add_device(group, dev), 0);
	iommu_group_put(group);
	/* The driver still gets the device (it returns the existing group). */
	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	assert_warned("already in IOMMU group");
	assert_int_equal(mock_calls(MOCK_ADD_DEVICE), 1);
	assert_ptr_equal(dev->iommu_group, group);
	iosim_device_destroy(dev);
}

struct group_log {
	struct notifier_block nb;
	unsigned int nr;
	unsigned long actions[8];
};

static int group_log_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct group_log *log = container_of(nb, struct group_log, nb);

	if (log->nr < ARRAY_SIZE(log->actions))
		log->actions[log->nr] = action;
	log->nr++;
	return NOTIFY_OK;
}

static struct device_driver bound_driver = { .name = "mock-drv" };

static void test_driver_binding_events_reach_the_group_notifier(void **state)
{
	static const unsigned long bus_events[] = {
		BUS_NOTIFY_BIND_DRIVER, BUS_NOTIFY_BOUND_DRIVER, BUS_NOTIFY_DRIVER_NOT_BOUND,
		BUS_NOTIFY_UNBIND_DRIVER, BUS_NOTIFY_UNBOUND_DRIVER,
	};
	static const unsigned long group_events[] = {
		IOMMU_GROUP_NOTIFY_BIND_DRIVER, IOMMU_GROUP_NOTIFY_BOUND_DRIVER,
		IOMMU_GROUP_NOTIFY_UNBIND_DRIVER, IOMMU_GROUP_NOTIFY_UNBOUND_DRIVER,
	};
	struct group_log log = { .nb.notifier_call = group_log_notify };
	struct device *dev, *loner;
	unsigned int i;

	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	dev = added_device("dev0");
	assert_int_equal(iommu_group_register_notifier(dev->iommu_group, &log.nb), 0);

	/* The driver core would send these around probe and remove. */
	for (i = 0; i < ARRAY_SIZE(bus_events); i++)
		blocking_notifier_call_chain(&mock_bus.iosim_notifier, bus_events[i], dev);
	assert_int_equal(log.nr, ARRAY_SIZE(group_events));
	for (i = 0; i < ARRAY_SIZE(group_events); i++)
		assert_int_equal(log.actions[i], group_events[i]);

	/* A device without a group: nothing to republish. */
	mock.add_device_errno = -ENODEV;
	loner = added_device("loner");
	blocking_notifier_call_chain(&mock_bus.iosim_notifier, BUS_NOTIFY_BIND_DRIVER, loner);
	assert_int_equal(log.nr, ARRAY_SIZE(group_events));

	/* The driver core's own calls send the same: bind, then release. */
	log.nr = 0;
	dev->driver = &bound_driver;
	assert_int_equal(device_bind_driver(dev), 0);
	device_release_driver(dev);
	assert_int_equal(log.nr, ARRAY_SIZE(group_events));
	for (i = 0; i < ARRAY_SIZE(group_events); i++)
		assert_int_equal(log.actions[i], group_events[i]);

	assert_int_equal(iommu_group_unregister_notifier(dev->iommu_group, &log.nb), 0);
	iosim_device_destroy(dev);
	iosim_device_destroy(loner);
}

static void test_platform_bus_can_be_bound_and_cleared(void **state)
{
	struct device *dev = mock_device("pdev", &platform_bus_type, false);

	assert_non_null(dev);
	assert_int_equal(bus_set_iommu(&platform_bus_type, &mock.ops), 0);
	assert_non_null(dev->iommu_group);
	assert_true(iommu_present(&platform_bus_type));
	assert_int_equal(iosim_bus_clear_iommu(&platform_bus_type), 0);
	assert_false(iommu_present(&platform_bus_type));
	assert_null(dev->iommu_group);
	iosim_device_destroy(dev);
}

static void test_bus_set_iommu_survives_every_allocation_failure(void **state)
{
	struct device *devs[3] = { added_device("a"), added_device("b"), added_device("c") };
	unsigned long n;
	bool completed = false;
	unsigned int i;

	for (n = 1; n < 200 && !completed; n++) {
		int ret;

		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		ret = bus_set_iommu(&mock_bus, &mock.ops);
		completed = iosim_fault_injected() == 0;
		iosim_fault_reset();
		assert_int_equal(iosim_iommu_check(), 0);
		assert_int_equal(iosim_bus_check(&mock_bus), 0);

		if (ret) {
			assert_int_equal(ret, -ENOMEM);
			assert_null(mock_bus.iommu_ops);
			assert_int_equal(iosim_iommu_nr_groups(), 0);
			assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
			for (i = 0; i < 3; i++)
				assert_null(devs[i]->iommu_group);
			continue;
		}
		/* Every device is in a group; a default domain may have failed. */
		for (i = 0; i < 3; i++)
			assert_non_null(devs[i]->iommu_group);
		assert_int_equal(iosim_bus_clear_iommu(&mock_bus), 0);
		assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	}
	assert_true(completed);
	assert_true(n > 9);	/* binding + 3 x (group, member, domain) */
	for (i = 0; i < 3; i++)
		iosim_device_destroy(devs[i]);
}

static void test_device_add_survives_every_allocation_failure(void **state)
{
	unsigned long n;
	bool completed = false;

	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
	for (n = 1; n < 100 && !completed; n++) {
		struct device *dev;

		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		dev = mock_device("swept", NULL, false);
		completed = iosim_fault_injected() == 0;
		iosim_fault_reset();
		assert_int_equal(iosim_iommu_check(), 0);
		if (!dev) {
			assert_false(completed);
			assert_int_equal(iosim_iommu_nr_groups(), 0);
			continue;
		}
		if (completed) {
			assert_non_null(dev->iommu_group);
			assert_non_null(iommu_get_domain_for_dev(dev));
		}
		iosim_device_destroy(dev);
		assert_int_equal(iosim_iommu_nr_groups(), 0);
		assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	}
	assert_true(completed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		MOCK_TEST(test_bus_set_iommu_adds_devices_already_on_the_bus),
		MOCK_TEST(test_bus_notifier_adds_and_removes_devices),
		MOCK_TEST(test_remove_device_only_for_devices_in_a_group),
		MOCK_TEST(test_bus_set_iommu_twice_is_ebusy),
		MOCK_TEST(test_iommu_present_and_capable),
		MOCK_TEST(test_bus_set_iommu_tolerates_devices_not_behind_the_iommu),
		MOCK_TEST(test_bus_set_iommu_failure_undoes_everything),
		MOCK_TEST(test_add_device_failure_does_not_stop_the_bus_notifier_chain),
		MOCK_TEST(test_clear_iommu_removes_groups_and_allows_rebinding),
		MOCK_TEST(test_clear_iommu_misuse_warns),
		MOCK_TEST(test_bus_set_iommu_warns_on_null),
		MOCK_TEST(test_bus_set_iommu_warns_about_devices_already_grouped),
		MOCK_TEST(test_driver_binding_events_reach_the_group_notifier),
		MOCK_TEST(test_platform_bus_can_be_bound_and_cleared),
		MOCK_TEST(test_bus_set_iommu_survives_every_allocation_failure),
		MOCK_TEST(test_device_add_survives_every_allocation_failure),
	};

	return cmocka_run_group_tests_name("iommu_bus", tests, NULL, NULL);
}
