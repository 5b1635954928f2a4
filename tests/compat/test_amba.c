// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The AMBA bus: amba_bustype is usable without registration, simulated
 * devices and caller-embedded struct amba_device join it and fire its
 * notifiers, to_amba_device() and the peripheral-ID accessors work,
 * struct resource describes the device's registers, and AMBA drivers are
 * matched by peripheral ID (or driver_override) and probed.
 */
#include <linux/kernel.h>
#include "iosim_test.h"

#include <string.h>

#include <linux/amba/bus.h>
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/platform_device.h>
#include <iosim/device.h>
#include <iosim/live.h>

#define MAX_EVENTS	8

struct recorder {
	struct notifier_block nb;
	int nr;
	unsigned long action[MAX_EVENTS];
	struct device *dev[MAX_EVENTS];
};

static int record_event(struct notifier_block *nb, unsigned long action, void *data)
{
	struct recorder *r = container_of(nb, struct recorder, nb);

	if (r->nr < MAX_EVENTS) {
		r->action[r->nr] = action;
		r->dev[r->nr] = data;
	}
	r->nr++;
	return NOTIFY_OK;
}

static int count_dev(struct device *dev, void *data)
{
	(void)dev;
	(*(int *)data)++;
	return 0;
}

static int bus_devices(struct bus_type *bus)
{
	int n = 0;

	assert_int_equal(bus_for_each_dev(bus, NULL, &n, count_dev), 0);
	return n;
}

static void test_amba_bustype_is_ready_without_registration(void **state)
{
	(void)state;
	assert_string_equal(amba_bustype.name, "amba");
	assert_true(amba_bustype.iosim_registered);
	assert_int_equal(iosim_bus_check(&amba_bustype), 0);
	assert_int_equal(bus_devices(&amba_bustype), 0);
}

static void test_simulated_device_on_amba_fires_its_notifiers(void **state)
{
	struct iosim_device_config cfg = { .name = "fff51000.smmu-master", .bus = &amba_bustype };
	struct recorder amba_rec = { .nb.notifier_call = record_event };
	struct recorder plat_rec = { .nb.notifier_call = record_event };
	struct device *dev;

	(void)state;
	assert_int_equal(bus_register_notifier(&amba_bustype, &amba_rec.nb), 0);
	assert_int_equal(bus_register_notifier(&platform_bus_type, &plat_rec.nb), 0);

	dev = iosim_device_create(&cfg);
	assert_non_null(dev);
	assert_ptr_equal(dev->bus, &amba_bustype);
	assert_string_equal(dev_name(dev), "fff51000.smmu-master");
	assert_int_equal(amba_rec.nr, 1);
	assert_int_equal(amba_rec.action[0], BUS_NOTIFY_ADD_DEVICE);
	assert_ptr_equal(amba_rec.dev[0], dev);
	assert_int_equal(plat_rec.nr, 0);	/* the platform bus heard nothing */
	assert_int_equal(bus_devices(&amba_bustype), 1);
	assert_int_equal(iosim_bus_check(&amba_bustype), 0);
	assert_int_equal(iosim_device_check(dev), 0);

	iosim_device_destroy(dev);
	assert_int_equal(amba_rec.nr, 3);
	assert_int_equal(amba_rec.action[1], BUS_NOTIFY_DEL_DEVICE);
	assert_int_equal(amba_rec.action[2], BUS_NOTIFY_REMOVED_DEVICE);
	assert_int_equal(bus_devices(&amba_bustype), 0);
	assert_int_equal(iosim_bus_check(&amba_bustype), 0);

	assert_int_equal(bus_unregister_notifier(&amba_bustype, &amba_rec.nb), 0);
	assert_int_equal(bus_unregister_notifier(&platform_bus_type, &plat_rec.nb), 0);
	assert_int_equal(iosim_notifier_chain_check(&amba_bustype.iosim_notifier), 0);
}

/* A caller-embedded AMBA device, as a board file would declare one. */
struct test_amba {
	struct amba_device adev;
	int released;
};

static void test_amba_release(struct device *dev)
{
	struct amba_device *adev = to_amba_device(dev);

	container_of(adev, struct test_amba, adev)->released++;
}

static void test_embedded_amba_device_joins_the_bus_and_converts_back(void **state)
{
	static const struct resource regs = DEFINE_RES_MEM(0x2b500000, 0x10000);
	struct recorder rec = { .nb.notifier_call = record_event };
	struct test_amba t;

	(void)state;
	memset(&t, 0, sizeof(t));
	t.adev.res = regs;
	t.adev.periphid = 0x00341011;	/* PL330-like: rev 3, ARM (0x41), part 0x011 */
	t.adev.dev.bus = &amba_bustype;
	t.adev.dev.init_name = "2b500000.dma";
	t.adev.dev.release = test_amba_release;
	assert_int_equal(bus_register_notifier(&amba_bustype, &rec.nb), 0);

	assert_int_equal(device_register(&t.adev.dev), 0);
	assert_int_equal(rec.nr, 1);
	assert_ptr_equal(to_amba_device(rec.dev[0]), &t.adev);
	assert_string_equal(dev_name(&t.adev.dev), "2b500000.dma");
	assert_int_equal(iosim_bus_check(&amba_bustype), 0);

	assert_int_equal(resource_size(&t.adev.res), 0x10000);
	assert_int_equal(resource_type(&t.adev.res), IORESOURCE_MEM);
	assert_int_equal(t.adev.res.end, 0x2b50ffff);
	assert_int_equal(amba_manf(&t.adev), AMBA_VENDOR_ARM);
	assert_int_equal(amba_part(&t.adev), 0x011);
	assert_int_equal(amba_rev(&t.adev), 3);
	assert_int_equal(amba_config(&t.adev), 0);
	amba_set_drvdata(&t.adev, &t);
	assert_ptr_equal(amba_get_drvdata(&t.adev), &t);

	device_unregister(&t.adev.dev);
	assert_int_equal(t.released, 1);
	assert_int_equal(rec.nr, 3);
	assert_int_equal(rec.action[2], BUS_NOTIFY_REMOVED_DEVICE);
	assert_int_equal(bus_devices(&amba_bustype), 0);
	assert_int_equal(iosim_bus_check(&amba_bustype), 0);
	assert_int_equal(bus_unregister_notifier(&amba_bustype, &rec.nb), 0);
}

static int match_probe(struct amba_device *adev, const struct amba_id *id)
{
	(void)adev;
	return (int)(uintptr_t)id->data;
}

static void test_amba_driver_and_id_table_keep_the_kernel_layout(void **state)
{
	static const struct amba_id ids[] = {
		{ .id = 0x00041011, .mask = 0x000fffff, .data = (void *)7 },
		{ 0, 0, NULL },
	};
	struct amba_driver drv = {
		.drv = { .name = "pl330" },
		.probe = match_probe,
		.id_table = ids,
	};
	struct amba_device adev = { .periphid = 0x00341011 };

	(void)state;
	assert_ptr_equal(to_amba_driver(&drv.drv), &drv);
	/* The bus's match rule: (periphid & mask) == id. */
	assert_int_equal(adev.periphid & drv.id_table[0].mask, drv.id_table[0].id);
	assert_int_equal(drv.probe(&adev, &drv.id_table[0]), 7);
	assert_int_equal(AMBA_NR_IRQS, 9);
	assert_int_equal(AMBA_CID, 0xb105f00d);
}

/* -- AMBA drivers ---------------------------------------------------------- */

static struct {
	struct amba_device *probed[4];
	const struct amba_id *ids[4];
	int nr_probes, nr_removes;
} seen;

static int seen_probe(struct amba_device *adev, const struct amba_id *id)
{
	if (seen.nr_probes < 4) {
		seen.probed[seen.nr_probes] = adev;
		seen.ids[seen.nr_probes] = id;
	}
	seen.nr_probes++;
	return 0;
}

static int seen_remove(struct amba_device *adev)
{
	(void)adev;
	seen.nr_removes++;
	return 0;
}

static void embedded_release(struct device *dev)
{
	(void)dev;
}

/* A caller-embedded AMBA device with @periphid, registered on the bus. */
static void add_amba(struct amba_device *adev, const char *name, unsigned int periphid)
{
	memset(adev, 0, sizeof(*adev));
	adev->periphid = periphid;
	adev->dev.bus = &amba_bustype;
	adev->dev.init_name = name;
	adev->dev.release = embedded_release;
	assert_int_equal(device_register(&adev->dev), 0);
}

static const struct amba_id pl330_ids[] = {
	{ .id = 0x00041330, .mask = 0x000fffff },	/* another part: no match */
	{ .id = 0x00041011, .mask = 0x000fffff, .data = (void *)7 },
	{ 0, 0, NULL },
};

/*
 * amba_driver_register() probes the AMBA devices whose peripheral ID its
 * id table matches ((periphid & mask) == id), passing the entry that
 * matched; other parts and simulated devices on the bus are left alone;
 * amba_driver_unregister() removes it from the devices it drives.
 */
static void test_amba_driver_probes_the_devices_its_id_table_matches(void **state)
{
	struct amba_driver drv = {
		.drv = { .name = "pl330" }, .probe = seen_probe, .remove = seen_remove,
		.id_table = pl330_ids,
	};
	struct iosim_device_config cfg = { .name = "sim-on-amba", .bus = &amba_bustype };
	struct amba_device dma, uart;
	struct device *sim;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	add_amba(&dma, "2b500000.dma", 0x00341011);
	add_amba(&uart, "1c090000.uart", 0x00341001);	/* part 0x001: not in the table */
	sim = iosim_device_create(&cfg);
	assert_non_null(sim);

	assert_int_equal(amba_driver_register(&drv), 0);
	assert_ptr_equal(drv.drv.bus, &amba_bustype);
	assert_int_equal(seen.nr_probes, 1);
	assert_ptr_equal(seen.probed[0], &dma);
	assert_ptr_equal(seen.ids[0], &pl330_ids[1]);
	assert_ptr_equal(dma.dev.driver, &drv.drv);
	assert_null(uart.dev.driver);
	assert_null(sim->driver);
	assert_int_equal(iosim_bus_check(&amba_bustype), 0);

	amba_driver_unregister(&drv);
	assert_int_equal(seen.nr_removes, 1);
	assert_null(dma.dev.driver);
	device_unregister(&dma.dev);
	device_unregister(&uart.dev);
	iosim_device_destroy(sim);
}

/*
 * driver_override names the one driver for the device, whatever the id
 * tables say: a device the table does not match is probed, with no id
 * entry.  A driver without remove() is
 * released all the same, and module_amba_driver() registers and
 * unregisters one.
 */
static struct amba_driver override_driver = {
	.drv = { .name = "pl011" }, .probe = seen_probe, .id_table = pl330_ids,
};
module_amba_driver(override_driver);

static void test_driver_override_picks_the_amba_driver(void **state)
{
	char override[] = "pl011";
	struct amba_device adev;

	(void)state;
	memset(&seen, 0, sizeof(seen));
	memset(&adev, 0, sizeof(adev));
	adev.periphid = 0x00341001;	/* pl330_ids does not match it */
	adev.driver_override = override;
	adev.dev.bus = &amba_bustype;
	adev.dev.init_name = "1c090000.uart";
	adev.dev.release = embedded_release;
	assert_int_equal(override_driver_init(), 0);
	assert_int_equal(device_register(&adev.dev), 0);
	assert_int_equal(seen.nr_probes, 1);
	assert_null(seen.ids[0]);	/* no entry matched: the override decided */
	assert_ptr_equal(adev.dev.driver, &override_driver.drv);
	override_driver_exit();
	assert_null(adev.dev.driver);
	assert_int_equal(seen.nr_removes, 0);
	device_unregister(&adev.dev);

	assert_int_equal(amba_driver_register(NULL), -EINVAL);
	assert_warned("amba_driver_register: NULL driver");
	amba_driver_unregister(NULL);
	assert_warned("amba_driver_unregister: NULL driver");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_amba_bustype_is_ready_without_registration),
		IOSIM_TEST(test_simulated_device_on_amba_fires_its_notifiers),
		IOSIM_TEST(test_embedded_amba_device_joins_the_bus_and_converts_back),
		IOSIM_TEST(test_amba_driver_and_id_table_keep_the_kernel_layout),
		IOSIM_TEST(test_amba_driver_probes_the_devices_its_id_table_matches),
		IOSIM_TEST(test_driver_override_picks_the_amba_driver),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
