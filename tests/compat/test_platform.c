// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Platform drivers: simulated devices are platform devices; a platform
 * driver matches them by driver_override, id table or name, and is probed
 * and removed with the platform device.
 */
#include "iosim_test.h"

#include <string.h>

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <iosim/device.h>
#include <iosim/log.h>

static struct {
	struct platform_device *probed[4];
	int nr_probes, nr_removes;
	int probe_ret;
	kernel_ulong_t driver_data;
} seen;

static int log_probe(struct platform_device *pdev)
{
	if (seen.nr_probes < (int)ARRAY_SIZE(seen.probed))
		seen.probed[seen.nr_probes] = pdev;
	seen.nr_probes++;
	if (pdev->id_entry)
		seen.driver_data = pdev->id_entry->driver_data;
	if (!seen.probe_ret)
		platform_set_drvdata(pdev, &seen);
	return seen.probe_ret;
}

static int log_remove(struct platform_device *pdev)
{
	assert_ptr_equal(platform_get_drvdata(pdev), &seen);
	seen.nr_removes++;
	return 0;
}

static struct device *platform_dev(const char *name)
{
	struct iosim_device_config cfg = { .name = name };
	struct device *dev = iosim_device_create(&cfg);

	assert_non_null(dev);
	return dev;
}

static void begin(void)
{
	memset(&seen, 0, sizeof(seen));
	iosim_log_set_console_level(0);
}

static void end(void)
{
	iosim_log_set_console_level(5);
	assert_int_equal(iosim_bus_check(&platform_bus_type), 0);
}

/* A simulated device is a platform device named after it, with no id. */
static void test_simulated_devices_are_platform_devices(void **state)
{
	struct device *dev;

	(void)state;
	dev = platform_dev("uart0");
	assert_string_equal(to_platform_device(dev)->name, "uart0");
	assert_int_equal(to_platform_device(dev)->id, PLATFORM_DEVID_NONE);
	assert_ptr_equal(&to_platform_device(dev)->dev, dev);
	iosim_device_destroy(dev);
}

/*
 * Without an id table a driver matches the devices of its name: it is
 * probed with the platform device, and removed with it when it is
 * unregistered.
 */
static void test_a_driver_matches_devices_of_its_name(void **state)
{
	struct platform_driver drv = {
		.probe = log_probe, .remove = log_remove, .driver = { .name = "uart0" },
	};
	struct device *uart, *other;

	(void)state;
	begin();
	uart = platform_dev("uart0");
	other = platform_dev("uart1");
	assert_int_equal(platform_driver_register(&drv), 0);
	assert_ptr_equal(drv.driver.bus, &platform_bus_type);
	assert_int_equal(seen.nr_probes, 1);
	assert_ptr_equal(seen.probed[0], to_platform_device(uart));
	assert_ptr_equal(uart->driver, &drv.driver);
	assert_null(other->driver);
	assert_null(to_platform_device(uart)->id_entry);

	platform_driver_unregister(&drv);
	assert_int_equal(seen.nr_removes, 1);
	assert_null(uart->driver);
	iosim_device_destroy(uart);
	iosim_device_destroy(other);
	end();
}

/*
 * With an id table a driver matches the devices named in it, whatever its
 * own name; the entry that matched is the device's id_entry, with its
 * driver data.
 */
static void test_an_id_table_matches_the_devices_it_names(void **state)
{
	static const struct platform_device_id ids[] = {
		{ "eth-a", 1 },
		{ "eth-b", 2 },
		{ }
	};
	struct platform_driver drv = {
		.probe = log_probe, .remove = log_remove,
		.driver = { .name = "eth" }, .id_table = ids,
	};
	struct device *a, *b, *named;

	(void)state;
	begin();
	assert_int_equal(platform_driver_register(&drv), 0);
	a = platform_dev("eth-a");
	named = platform_dev("eth");		/* the driver's name: no match with a table */
	b = platform_dev("eth-b");
	assert_int_equal(seen.nr_probes, 2);
	assert_ptr_equal(to_platform_device(a)->id_entry, &ids[0]);
	assert_ptr_equal(to_platform_device(b)->id_entry, &ids[1]);
	assert_int_equal(seen.driver_data, 2);
	assert_null(named->driver);

	iosim_device_destroy(a);
	assert_int_equal(seen.nr_removes, 1);
	platform_driver_unregister(&drv);
	assert_int_equal(seen.nr_removes, 2);
	iosim_device_destroy(b);
	iosim_device_destroy(named);
	end();
}

/* driver_override names the one driver that may drive the device. */
static void test_driver_override_picks_the_driver(void **state)
{
	struct platform_driver by_name = { .probe = log_probe, .driver = { .name = "spi0" } };
	struct platform_driver chosen = { .probe = log_probe, .driver = { .name = "spi-generic" } };
	char override[] = "spi-generic";
	struct iosim_device_config cfg = { .name = "spi0", .no_add = true };
	struct device *dev;

	(void)state;
	begin();
	assert_int_equal(platform_driver_register(&by_name), 0);
	assert_int_equal(platform_driver_register(&chosen), 0);
	dev = iosim_device_create(&cfg);
	assert_non_null(dev);
	to_platform_device(dev)->driver_override = override;
	assert_int_equal(device_add(dev), 0);
	assert_ptr_equal(dev->driver, &chosen.driver);
	assert_int_equal(seen.nr_probes, 1);

	iosim_device_destroy(dev);
	platform_driver_unregister(&chosen);
	platform_driver_unregister(&by_name);
	end();
}

/*
 * A probe asking for deferral fails (there is no deferred probing): with
 * prevent_deferred_probe it becomes -ENXIO with the kernel's warning, so
 * nothing more is logged; without it, the deferral is logged.  A driver
 * without probe() or remove() binds and releases all the same.
 */
static void test_probe_deferral_and_drivers_without_methods(void **state)
{
	struct platform_driver strict = {
		.probe = log_probe, .driver = { .name = "dsp0" }, .prevent_deferred_probe = true,
	};
	struct platform_driver lax = { .probe = log_probe, .driver = { .name = "dsp0" } };
	struct platform_driver bare = { .driver = { .name = "dsp0" } };
	struct device *dev;

	(void)state;
	begin();
	dev = platform_dev("dsp0");
	seen.probe_ret = -EPROBE_DEFER;
	assert_int_equal(platform_driver_register(&strict), 0);
	assert_null(dev->driver);
	assert_true(iosim_log_seen("dsp0: probe deferral not supported"));
	assert_false(iosim_log_seen("probe of dsp0 failed"));
	platform_driver_unregister(&strict);

	assert_int_equal(platform_driver_register(&lax), 0);
	assert_null(dev->driver);
	assert_true(iosim_log_seen("dsp0: probe of dsp0 deferred"));
	platform_driver_unregister(&lax);
	assert_int_equal(seen.nr_probes, 2);

	assert_int_equal(platform_driver_register(&bare), 0);
	assert_ptr_equal(dev->driver, &bare.driver);
	platform_driver_unregister(&bare);
	assert_null(dev->driver);
	iosim_device_destroy(dev);
	end();
}

/* module_platform_driver() makes the module's init and exit register and unregister it. */
static struct platform_driver module_driver = {
	.probe = log_probe, .remove = log_remove, .driver = { .name = "mod0" },
};
module_platform_driver(module_driver);

static void test_module_platform_driver_registers_and_unregisters(void **state)
{
	struct device *dev;

	(void)state;
	begin();
	dev = platform_dev("mod0");
	assert_int_equal(module_driver_init(), 0);
	assert_ptr_equal(dev->driver, &module_driver.driver);
	module_driver_exit();
	assert_int_equal(seen.nr_removes, 1);
	assert_null(dev->driver);
	assert_null(driver_find("mod0", &platform_bus_type));
	iosim_device_destroy(dev);
	end();
}

static void test_null_drivers_are_warned(void **state)
{
	(void)state;
	assert_int_equal(__platform_driver_register(NULL, THIS_MODULE), -EINVAL);
	assert_warned("platform_driver_register: NULL driver");
	platform_driver_unregister(NULL);
	assert_warned("platform_driver_unregister: NULL driver");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_simulated_devices_are_platform_devices),
		IOSIM_TEST(test_a_driver_matches_devices_of_its_name),
		IOSIM_TEST(test_an_id_table_matches_the_devices_it_names),
		IOSIM_TEST(test_driver_override_picks_the_driver),
		IOSIM_TEST(test_probe_deferral_and_drivers_without_methods),
		IOSIM_TEST(test_module_platform_driver_registers_and_unregisters),
		IOSIM_TEST(test_null_drivers_are_warned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
