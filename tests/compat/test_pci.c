// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The PCI bus of <linux/pci.h>: pci_bus_type is usable without
 * registration; PCI drivers match by id_table (exact IDs, PCI_ANY_ID,
 * class under class_mask, first entry wins, the zero entry ends the table),
 * are probed with the entry that matched and with pci_dev->driver set, and
 * removed; a device is offered to drivers only once match_driver is set, as
 * pci_bus_add_device() does; enable counting, bus mastering, the segment
 * setters; misuse WARNs; and iosim_pci_dev_check() catches planted
 * corruption.  Devices here are caller-embedded struct pci_dev set up as
 * pci_device_add() does; simulated ones (iosim_pci_dev_create()) are tested
 * in tests/dma-mapping/test_pci.c.
 */
#include "iosim_test.h"

#include <string.h>

#include <linux/kernel.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <iosim/device.h>
#include <iosim/log.h>
#include <iosim/pci.h>

#define VENDOR_A	0x1af4
#define VENDOR_B	0x8086
#define PCI_VENDOR_ID_IOSIMTEST	0x1b36	/* PCI_VDEVICE() names a vendor by its macro */

#define CLASS_ETHERNET	0x020000	/* network controller, ethernet, prog-if 0 */
#define CLASS_NVME	0x010802	/* mass storage, NVM, NVMe */

static struct {
	struct pci_dev *probed[4];
	const struct pci_device_id *ids[4];
	bool had_driver[4];		/* pdev->driver was set inside probe() */
	int nr_probes, nr_removes;
	int probe_ret;
	struct pci_dev *removed;
} seen;

static int seen_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	int i = seen.nr_probes++;

	if (i < (int)ARRAY_SIZE(seen.probed)) {
		seen.probed[i] = pdev;
		seen.ids[i] = id;
		seen.had_driver[i] = pdev->driver != NULL;
	}
	if (seen.probe_ret >= 0)
		pci_set_drvdata(pdev, &seen);
	return seen.probe_ret;
}

static void seen_remove(struct pci_dev *pdev)
{
	assert_ptr_equal(pci_get_drvdata(pdev), &seen);
	assert_non_null(pdev->driver);	/* still bound while remove() runs */
	seen.nr_removes++;
	seen.removed = pdev;
}

static int released;

static void embedded_release(struct device *dev)
{
	(void)dev;
	released++;
}

static void begin(void)
{
	memset(&seen, 0, sizeof(seen));
	released = 0;
	iosim_log_set_console_level(0);
}

static void end(void)
{
	iosim_log_set_console_level(5);
	assert_int_equal(iosim_bus_check(&pci_bus_type), 0);
}

/* A caller-embedded PCI device on @bus, initialised as pci_device_add() does. */
static void pci_dev_init(struct pci_dev *pdev, struct pci_bus *bus, unsigned int devfn,
			 unsigned short vendor, unsigned short device, unsigned int class)
{
	memset(pdev, 0, sizeof(*pdev));
	pdev->bus = bus;
	pdev->devfn = devfn;
	pdev->vendor = vendor;
	pdev->device = device;
	pdev->subsystem_vendor = vendor;
	pdev->subsystem_device = 0x0001;
	pdev->class = class;
	pdev->dma_mask = DMA_BIT_MASK(32);
	device_initialize(&pdev->dev);
	pdev->dev.release = embedded_release;
	pdev->dev.bus = &pci_bus_type;
	pdev->dev.dma_mask = &pdev->dma_mask;
	pdev->dev.dma_parms = &pdev->dma_parms;
	pdev->dev.coherent_dma_mask = DMA_BIT_MASK(32);
	assert_int_equal(dev_set_name(&pdev->dev, "%04x:%02x:%02x.%d", 0, bus->number,
				      PCI_SLOT(devfn), PCI_FUNC(devfn)), 0);
	assert_int_equal(pci_set_dma_max_seg_size(pdev, SZ_64K), 0);
	assert_int_equal(pci_set_dma_seg_boundary(pdev, DMA_BIT_MASK(32)), 0);
	assert_int_equal(iosim_pci_dev_check(pdev), 0);
}

/* device_add() with drivers held back, then pci_bus_add_device()'s offer. */
static void pci_dev_add(struct pci_dev *pdev)
{
	assert_int_equal(device_add(&pdev->dev), 0);
	pdev->match_driver = true;
	assert_true(device_attach(&pdev->dev) >= 0);
	pdev->is_added = 1;
	assert_int_equal(iosim_pci_dev_check(pdev), 0);
}

/* pci_stop_and_remove_bus_device() of a caller-embedded device. */
static void pci_dev_remove(struct pci_dev *pdev)
{
	pdev->is_added = 0;
	device_del(&pdev->dev);
	put_device(&pdev->dev);
}

static int count_dev(struct device *dev, void *data)
{
	(void)dev;
	(*(int *)data)++;
	return 0;
}

static void test_pci_bus_type_is_ready_without_registration(void **state)
{
	int n = 0;

	(void)state;
	assert_string_equal(pci_bus_type.name, "pci");
	assert_true(pci_bus_type.iosim_registered);
	/* 2015: the bus's own probe() and remove(), not the drivers'. */
	assert_non_null(pci_bus_type.probe);
	assert_non_null(pci_bus_type.remove);
	assert_int_equal(iosim_bus_check(&pci_bus_type), 0);
	assert_int_equal(bus_for_each_dev(&pci_bus_type, NULL, &n, count_dev), 0);
	assert_int_equal(n, 0);
}

static const struct pci_device_id vdevice_ids[] = {
	{ PCI_VDEVICE(IOSIMTEST, 0x0005) },
	{ 0, }
};

static void test_macros_and_layout_follow_2015(void **state)
{
	static const struct pci_device_id dev_id = { PCI_DEVICE(VENDOR_A, 0x1000) };
	static const struct pci_device_id class_id = {
		PCI_DEVICE_CLASS(CLASS_NVME, 0xffffff), .driver_data = 9,
	};
	struct pci_bus bus = { .number = 0x3a };
	struct pci_dev pdev;
	struct pci_driver drv = { .name = "layout" };

	(void)state;
	begin();
	assert_int_equal(PCI_DEVFN(0x1f, 7), 0xff);
	assert_int_equal(PCI_DEVFN(3, 2), 0x1a);
	assert_int_equal(PCI_DEVFN(0x21, 9), PCI_DEVFN(1, 1));	/* fields are masked */
	assert_int_equal(PCI_SLOT(0x1a), 3);
	assert_int_equal(PCI_FUNC(0x1a), 2);

	assert_int_equal(dev_id.vendor, VENDOR_A);
	assert_int_equal(dev_id.device, 0x1000);
	assert_int_equal(dev_id.subvendor, (__u32)PCI_ANY_ID);
	assert_int_equal(dev_id.subdevice, (__u32)PCI_ANY_ID);
	assert_int_equal(dev_id.class_mask, 0);
	assert_int_equal(class_id.vendor, (__u32)PCI_ANY_ID);
	assert_int_equal(class_id.class, CLASS_NVME);
	assert_int_equal(class_id.class_mask, 0xffffff);
	assert_int_equal(class_id.driver_data, 9);
	assert_int_equal(vdevice_ids[0].vendor, PCI_VENDOR_ID_IOSIMTEST);
	assert_int_equal(vdevice_ids[0].device, 5);
	assert_int_equal(vdevice_ids[0].subvendor, (__u32)PCI_ANY_ID);
	assert_int_equal(vdevice_ids[0].class_mask, 0);

	/* The directions are the generic API's values, as the wrappers cast them. */
	assert_int_equal(PCI_DMA_BIDIRECTIONAL, DMA_BIDIRECTIONAL);
	assert_int_equal(PCI_DMA_TODEVICE, DMA_TO_DEVICE);
	assert_int_equal(PCI_DMA_FROMDEVICE, DMA_FROM_DEVICE);
	assert_int_equal(PCI_DMA_NONE, DMA_NONE);
	assert_int_equal(PCI_DMA_BUS_IS_PHYS, 0);

	pci_dev_init(&pdev, &bus, PCI_DEVFN(2, 1), VENDOR_A, 0x1000, CLASS_NVME);
	assert_ptr_equal(to_pci_dev(&pdev.dev), &pdev);
	assert_true(dev_is_pci(&pdev.dev));
	assert_string_equal(pci_name(&pdev), "0000:3a:02.1");
	assert_int_equal(pdev.bus->number, 0x3a);
	assert_ptr_equal(to_pci_driver(&drv.driver), &drv);
	assert_false(pci_is_enabled(&pdev));
	put_device(&pdev.dev);
	assert_int_equal(released, 1);
	end();
}

static void test_id_table_matching(void **state)
{
	static const struct pci_device_id ids[] = {
		{ PCI_DEVICE(VENDOR_A, 0x1000) },				/* 0: exact */
		{ PCI_DEVICE(VENDOR_A, PCI_ANY_ID), .driver_data = 1 },		/* 1: any device */
		{ .vendor = VENDOR_B, .device = 0x10d3, .subvendor = 0x17aa,	/* 2: subsystem */
		  .subdevice = PCI_ANY_ID },
		{ PCI_DEVICE_CLASS(CLASS_NVME, 0xffffff) },			/* 3: class, exact */
		{ PCI_DEVICE_CLASS(CLASS_ETHERNET, 0xff0000) },			/* 4: base class only */
		{ 0, },
		{ PCI_DEVICE(PCI_ANY_ID, PCI_ANY_ID) },				/* after the end */
	};
	struct pci_bus bus = { .number = 0 };
	struct pci_dev pdev;

	(void)state;
	begin();
	pci_dev_init(&pdev, &bus, PCI_DEVFN(1, 0), VENDOR_A, 0x1000, 0);
	assert_ptr_equal(pci_match_id(ids, &pdev), &ids[0]);
	pdev.device = 0x1041;				/* the exact entry no longer matches */
	assert_ptr_equal(pci_match_id(ids, &pdev), &ids[1]);
	assert_ptr_equal(pci_match_id(&ids[2], &pdev), NULL);	/* nothing later fits... */

	pdev.vendor = VENDOR_B;
	pdev.device = 0x10d3;
	pdev.subsystem_vendor = 0x17aa;
	pdev.subsystem_device = 0x2001;
	assert_ptr_equal(pci_match_id(ids, &pdev), &ids[2]);
	pdev.subsystem_vendor = 0x1028;			/* another subsystem vendor */
	assert_null(pci_match_id(ids, &pdev));	/* ...and the ANY entry past the end is never seen */

	pdev.class = CLASS_NVME;
	assert_ptr_equal(pci_match_id(ids, &pdev), &ids[3]);
	pdev.class = CLASS_NVME | 0x01;			/* another prog-if: the mask covers it */
	assert_null(pci_match_id(ids, &pdev));
	pdev.class = 0x028000;				/* network, "other": base class matches */
	assert_ptr_equal(pci_match_id(ids, &pdev), &ids[4]);

	/* The first entry that matches wins, even if a later one is more exact. */
	pdev.vendor = VENDOR_A;
	pdev.device = 0x1000;
	pdev.class = CLASS_NVME;
	assert_ptr_equal(pci_match_id(ids, &pdev), &ids[0]);
	assert_ptr_equal(pci_match_id(&ids[1], &pdev), &ids[1]);

	/* An empty table and no table match nothing. */
	assert_null(pci_match_id(&ids[5], &pdev));
	assert_null(pci_match_id(NULL, &pdev));
	put_device(&pdev.dev);
	end();
}

static const struct pci_device_id net_ids[] = {
	{ PCI_DEVICE(VENDOR_B, 0x10d3), .driver_data = 0xe1000 },
	{ PCI_DEVICE_CLASS(CLASS_ETHERNET, 0xffff00), .driver_data = 2 },
	{ 0, }
};

/*
 * Registered after the devices exist, a driver is probed on the ones its
 * table matches, with the entry that matched, pci_dev->driver set during
 * probe() and after; unregistering it runs remove() and clears both.
 */
static void test_driver_registered_after_devices_probes_the_matching_ones(void **state)
{
	struct pci_driver drv = {
		.name = "e1000e-like", .id_table = net_ids,
		.probe = seen_probe, .remove = seen_remove,
	};
	struct pci_bus bus0 = { .number = 0 }, bus2 = { .number = 2 };
	struct pci_dev nic, other_nic, nvme;

	(void)state;
	begin();
	pci_dev_init(&nic, &bus2, PCI_DEVFN(0, 0), VENDOR_B, 0x10d3, CLASS_ETHERNET);
	pci_dev_init(&other_nic, &bus0, PCI_DEVFN(3, 0), VENDOR_A, 0x1000, CLASS_ETHERNET);
	pci_dev_init(&nvme, &bus0, PCI_DEVFN(4, 0), VENDOR_A, 0x1001, CLASS_NVME);
	pci_dev_add(&nic);
	pci_dev_add(&other_nic);
	pci_dev_add(&nvme);
	assert_int_equal(seen.nr_probes, 0);

	assert_int_equal(pci_register_driver(&drv), 0);
	assert_ptr_equal(drv.driver.bus, &pci_bus_type);
	assert_string_equal(drv.driver.name, "e1000e-like");
	assert_int_equal(seen.nr_probes, 2);
	assert_ptr_equal(seen.probed[0], &nic);
	assert_ptr_equal(seen.ids[0], &net_ids[0]);
	assert_ptr_equal(seen.probed[1], &other_nic);
	assert_ptr_equal(seen.ids[1], &net_ids[1]);
	assert_true(seen.had_driver[0] && seen.had_driver[1]);
	assert_ptr_equal(nic.driver, &drv);
	assert_ptr_equal(nic.dev.driver, &drv.driver);
	assert_ptr_equal(pci_get_drvdata(&nic), &seen);
	assert_null(nvme.driver);
	assert_null(nvme.dev.driver);
	assert_int_equal(iosim_pci_dev_check(&nic), 0);
	assert_int_equal(iosim_pci_dev_check(&nvme), 0);

	pci_unregister_driver(&drv);
	assert_int_equal(seen.nr_removes, 2);
	assert_null(nic.driver);
	assert_null(nic.dev.driver);
	assert_null(pci_get_drvdata(&nic));
	assert_int_equal(iosim_pci_dev_check(&nic), 0);

	pci_dev_remove(&nic);
	pci_dev_remove(&other_nic);
	pci_dev_remove(&nvme);
	assert_int_equal(released, 3);	/* the probe's references were given back */
	end();
}

/*
 * Registered before the device exists: device_add() alone binds nothing
 * (match_driver is still false, so bus notifiers run first); the offer
 * pci_bus_add_device() makes probes it.  Removing the bound device runs
 * remove() from device_del().
 */
static void test_device_added_after_the_driver_is_probed_once_offered(void **state)
{
	struct pci_driver drv = {
		.name = "nvme-like", .id_table = (const struct pci_device_id[]) {
			{ PCI_DEVICE_CLASS(CLASS_NVME, 0xffffff) }, { 0, } },
		.probe = seen_probe, .remove = seen_remove,
	};
	struct pci_bus bus = { .number = 1 };
	struct pci_dev nvme;

	(void)state;
	begin();
	assert_int_equal(pci_register_driver(&drv), 0);
	pci_dev_init(&nvme, &bus, PCI_DEVFN(0, 0), VENDOR_A, 0x1001, CLASS_NVME);
	assert_int_equal(device_add(&nvme.dev), 0);
	assert_int_equal(seen.nr_probes, 0);
	assert_null(nvme.dev.driver);

	nvme.match_driver = true;
	assert_int_equal(device_attach(&nvme.dev), 1);
	nvme.is_added = 1;
	assert_int_equal(seen.nr_probes, 1);
	assert_ptr_equal(seen.ids[0], drv.id_table);
	assert_ptr_equal(nvme.driver, &drv);
	assert_int_equal(iosim_pci_dev_check(&nvme), 0);

	pci_dev_remove(&nvme);
	assert_int_equal(seen.nr_removes, 1);
	assert_ptr_equal(seen.removed, &nvme);
	assert_int_equal(released, 1);
	pci_unregister_driver(&drv);
	assert_int_equal(seen.nr_removes, 1);
	end();
}

/*
 * A probe that fails leaves the device unbound, without pci_dev->driver
 * and without its reference; a positive return counts as success with
 * the kernel's warning.
 */
static void test_probe_results_as_the_kernel_reads_them(void **state)
{
	struct pci_driver drv = {
		.name = "picky", .id_table = net_ids, .probe = seen_probe, .remove = seen_remove,
	};
	struct pci_bus bus = { .number = 0 };
	struct pci_dev nic;

	(void)state;
	begin();
	pci_dev_init(&nic, &bus, PCI_DEVFN(5, 0), VENDOR_B, 0x10d3, CLASS_ETHERNET);
	pci_dev_add(&nic);

	seen.probe_ret = -EIO;
	assert_int_equal(pci_register_driver(&drv), 0);
	assert_int_equal(seen.nr_probes, 1);
	assert_true(seen.had_driver[0]);
	assert_null(nic.driver);
	assert_null(nic.dev.driver);
	assert_true(iosim_log_seen("probe of 0000:00:05.0 failed with error -5"));
	assert_int_equal(iosim_pci_dev_check(&nic), 0);
	pci_unregister_driver(&drv);
	assert_int_equal(seen.nr_removes, 0);

	seen.probe_ret = 1;
	assert_int_equal(pci_register_driver(&drv), 0);
	assert_int_equal(seen.nr_probes, 2);
	assert_ptr_equal(nic.driver, &drv);
	assert_true(iosim_log_seen("Driver probe function unexpectedly returned 1"));
	assert_int_equal(iosim_pci_dev_check(&nic), 0);
	pci_unregister_driver(&drv);
	assert_int_equal(seen.nr_removes, 1);

	pci_dev_remove(&nic);
	assert_int_equal(released, 1);
	end();
}

/*
 * A driver without probe() is bound to what it matches with pci_dev->driver
 * left NULL, as in 2015; one without remove() is unbound all the same.  A
 * bus-side match still needs the table: a driver without one matches nothing.
 */
static void test_drivers_without_probe_remove_or_table(void **state)
{
	struct pci_driver stub = { .name = "pci-stub-like", .id_table = net_ids };
	struct pci_driver no_remove = { .name = "no-remove", .id_table = net_ids,
					.probe = seen_probe };
	struct pci_driver no_table = { .name = "no-table", .probe = seen_probe };
	struct pci_bus bus = { .number = 0 };
	struct pci_dev nic;

	(void)state;
	begin();
	pci_dev_init(&nic, &bus, PCI_DEVFN(6, 0), VENDOR_B, 0x10d3, CLASS_ETHERNET);
	pci_dev_add(&nic);

	assert_int_equal(pci_register_driver(&no_table), 0);
	assert_null(nic.dev.driver);
	pci_unregister_driver(&no_table);

	assert_int_equal(pci_register_driver(&stub), 0);
	assert_ptr_equal(nic.dev.driver, &stub.driver);
	assert_null(nic.driver);
	assert_int_equal(iosim_pci_dev_check(&nic), 0);
	pci_unregister_driver(&stub);
	assert_null(nic.dev.driver);

	assert_int_equal(pci_register_driver(&no_remove), 0);
	assert_ptr_equal(nic.driver, &no_remove);
	pci_unregister_driver(&no_remove);
	assert_null(nic.driver);
	assert_int_equal(seen.nr_probes, 1);

	pci_dev_remove(&nic);
	assert_int_equal(released, 1);
	end();
}

/*
 * A platform-simulated device put on the PCI bus is not a pci_dev and
 * matches no PCI driver, even one that takes any vendor and device.
 */
static void test_non_pci_devices_on_the_bus_match_no_driver(void **state)
{
	struct iosim_device_config cfg = { .name = "not-a-pci-dev", .bus = &pci_bus_type };
	struct pci_driver any = {
		.name = "any", .id_table = (const struct pci_device_id[]) {
			{ PCI_DEVICE(PCI_ANY_ID, PCI_ANY_ID) }, { 0, } },
		.probe = seen_probe, .remove = seen_remove,
	};
	struct device *sim;

	(void)state;
	begin();
	sim = iosim_device_create(&cfg);
	assert_non_null(sim);
	assert_int_equal(iosim_device_kind(sim), IOSIM_DEVICE_PLATFORM);
	assert_true(iosim_device_is_simulated(sim));
	assert_int_equal(pci_register_driver(&any), 0);
	assert_int_equal(seen.nr_probes, 0);
	assert_null(sim->driver);
	pci_unregister_driver(&any);
	iosim_device_destroy(sim);
	assert_int_equal(iosim_device_kind(sim), IOSIM_DEVICE_NOT_SIMULATED);
	assert_int_equal(iosim_device_kind(NULL), IOSIM_DEVICE_NOT_SIMULATED);
	end();
}

/*
 * module_pci_driver(): the module's init registers the driver (probing
 * what it matches), its exit unregisters it.  A second registration of the
 * same name is refused as the driver core refuses it.
 */
static struct pci_driver module_driver_under_test = {
	.name = "modular", .id_table = net_ids, .probe = seen_probe, .remove = seen_remove,
};
module_pci_driver(module_driver_under_test);

static void test_module_pci_driver_registers_and_unregisters(void **state)
{
	struct pci_driver twin = { .name = "modular", .id_table = net_ids };
	struct pci_bus bus = { .number = 4 };
	struct pci_dev nic;

	(void)state;
	begin();
	pci_dev_init(&nic, &bus, PCI_DEVFN(0, 3), VENDOR_B, 0x10d3, CLASS_ETHERNET);
	pci_dev_add(&nic);
	assert_int_equal(module_driver_under_test_init(), 0);
	assert_ptr_equal(nic.driver, &module_driver_under_test);
	assert_string_equal(dev_name(&nic.dev), "0000:04:00.3");
	assert_int_equal(pci_register_driver(&twin), -EBUSY);
	module_driver_under_test_exit();
	assert_null(nic.driver);
	assert_int_equal(seen.nr_removes, 1);
	pci_dev_remove(&nic);
	end();
}

/*
 * Enables are counted; only the last disable turns the device off (and
 * stops it mastering the bus).  A disable of a device that is not enabled
 * WARNs as the kernel's does and leaves the count at 0.
 */
static void test_enable_and_disable_are_counted(void **state)
{
	struct pci_bus bus = { .number = 0 };
	struct pci_dev pdev;

	(void)state;
	begin();
	pci_dev_init(&pdev, &bus, PCI_DEVFN(7, 0), VENDOR_A, 0x1000, CLASS_ETHERNET);
	assert_false(pdev.is_busmaster);
	assert_int_equal(pci_enable_device(&pdev), 0);
	assert_int_equal(pci_enable_device(&pdev), 0);
	assert_true(pci_is_enabled(&pdev));
	pci_set_master(&pdev);
	assert_true(pdev.is_busmaster);
	assert_int_equal(iosim_pci_dev_check(&pdev), 0);

	pci_disable_device(&pdev);
	assert_true(pci_is_enabled(&pdev));
	assert_true(pdev.is_busmaster);			/* not the last disable */
	pci_disable_device(&pdev);
	assert_false(pci_is_enabled(&pdev));
	assert_false(pdev.is_busmaster);
	assert_int_equal(atomic_read(&pdev.enable_cnt), 0);
	assert_no_warnings();

	pci_disable_device(&pdev);
	assert_warned("0000:00:07.0: disabling already-disabled device");
	assert_int_equal(atomic_read(&pdev.enable_cnt), 0);
	assert_int_equal(iosim_pci_dev_check(&pdev), 0);

	/* Mastering does not need an enable; clearing it is explicit. */
	pci_set_master(&pdev);
	assert_true(pdev.is_busmaster);
	pci_clear_master(&pdev);
	assert_false(pdev.is_busmaster);
	put_device(&pdev.dev);
	end();
}

/* The segment setters store into the pci_dev's own dma_parms. */
static void test_segment_setters_reach_the_pci_devs_dma_parms(void **state)
{
	struct pci_bus bus = { .number = 0 };
	struct pci_dev pdev;

	(void)state;
	begin();
	pci_dev_init(&pdev, &bus, PCI_DEVFN(8, 0), VENDOR_A, 0x1000, CLASS_NVME);
	assert_int_equal(pci_set_dma_max_seg_size(&pdev, SZ_4K), 0);
	assert_int_equal(pci_set_dma_seg_boundary(&pdev, SZ_1M - 1), 0);
	assert_int_equal(pdev.dma_parms.max_segment_size, SZ_4K);
	assert_int_equal(pdev.dma_parms.segment_boundary_mask, SZ_1M - 1);
	assert_int_equal(dma_get_max_seg_size(&pdev.dev), SZ_4K);
	assert_int_equal(dma_get_seg_boundary(&pdev.dev), SZ_1M - 1);
	put_device(&pdev.dev);
	end();
}

/* pci_dev_get()/pci_dev_put() are the device's references; NULL is allowed. */
static void test_references_keep_the_device(void **state)
{
	struct pci_bus bus = { .number = 0 };
	struct pci_dev pdev;

	(void)state;
	begin();
	pci_dev_init(&pdev, &bus, PCI_DEVFN(9, 0), VENDOR_A, 0x1000, CLASS_NVME);
	assert_ptr_equal(pci_dev_get(&pdev), &pdev);
	put_device(&pdev.dev);
	assert_int_equal(released, 0);
	assert_int_equal(iosim_pci_dev_check(&pdev), 0);
	pci_dev_put(&pdev);
	assert_int_equal(released, 1);
	assert_null(pci_dev_get(NULL));
	pci_dev_put(NULL);
	end();
}

/*
 * The bus's probe() called for a driver whose table does not match the
 * device (the driver core never does: it matches first) refuses with
 * -ENODEV, as the kernel's, and keeps no reference.
 */
static void test_bus_probe_of_an_unmatched_driver_is_refused(void **state)
{
	struct pci_driver drv = { .name = "unmatched", .id_table = net_ids,
				  .probe = seen_probe };
	struct pci_bus bus = { .number = 0 };
	struct pci_dev nvme;

	(void)state;
	begin();
	pci_dev_init(&nvme, &bus, PCI_DEVFN(10, 0), VENDOR_A, 0x1001, CLASS_NVME);
	nvme.dev.driver = &drv.driver;
	assert_int_equal(pci_bus_type.probe(&nvme.dev), -ENODEV);
	assert_int_equal(seen.nr_probes, 0);
	assert_null(nvme.driver);
	nvme.dev.driver = NULL;
	put_device(&nvme.dev);
	assert_int_equal(released, 1);		/* no reference was kept */
	end();
}

/* Where the kernel would dereference NULL: a WARN and nothing done. */
static void test_null_arguments_are_warned(void **state)
{
	(void)state;
	begin();
	assert_int_equal(pci_register_driver(NULL), -EINVAL);
	assert_warned("pci_register_driver: NULL driver");
	pci_unregister_driver(NULL);
	assert_warned("pci_unregister_driver: NULL driver");
	assert_int_equal(pci_enable_device(NULL), -EINVAL);
	assert_warned("pci_enable_device: NULL device");
	pci_disable_device(NULL);
	assert_warned("pci_disable_device: NULL device");
	pci_set_master(NULL);
	assert_warned("pci_set_master: NULL device");
	pci_clear_master(NULL);
	assert_warned("pci_clear_master: NULL device");
	assert_int_equal(pci_set_dma_max_seg_size(NULL, SZ_4K), -EIO);
	assert_warned("dma_set_max_seg_size: NULL device");
	assert_int_equal(pci_set_dma_seg_boundary(NULL, SZ_4K - 1), -EIO);
	assert_warned("dma_set_seg_boundary: NULL device");
	assert_int_equal(iosim_pci_dev_check(NULL), -EUCLEAN);
	assert_warned("iosim_pci_dev_check: NULL device");
	end();
}

/* A driver without a name is refused by the driver core, nothing registered. */
static void test_driver_without_a_name_is_refused(void **state)
{
	struct pci_driver drv = { .id_table = net_ids, .probe = seen_probe };

	(void)state;
	begin();
	assert_int_equal(pci_register_driver(&drv), -EINVAL);
	assert_warned("has no name");
	assert_false(drv.driver.iosim_registered);
	end();
}

/* Each problem iosim_pci_dev_check() knows, planted, is reported and undone. */
static void test_checker_catches_planted_corruption(void **state)
{
	struct pci_driver drv = { .name = "checked", .id_table = net_ids, .probe = seen_probe,
				  .remove = seen_remove };
	struct pci_driver other = { .name = "other" };
	struct device_driver platform_drv = { .name = "plat", .bus = &platform_bus_type };
	struct pci_bus bus = { .number = 0x10 }, *saved_bus;
	struct device_dma_parameters parms;
	struct pci_dev pdev;
	u64 mask;

	(void)state;
	begin();
	pci_dev_init(&pdev, &bus, PCI_DEVFN(1, 2), VENDOR_B, 0x10d3, CLASS_ETHERNET);
	pci_dev_add(&pdev);
	assert_int_equal(pci_register_driver(&drv), 0);
	assert_int_equal(iosim_pci_dev_check(&pdev), 0);

	pdev.dev.bus = &platform_bus_type;
	assert_int_equal(iosim_pci_dev_check(&pdev), -EUCLEAN);
	assert_warned("its bus is not the PCI bus");
	pdev.dev.bus = &pci_bus_type;

	saved_bus = pdev.bus;
	pdev.bus = NULL;
	assert_int_equal(iosim_pci_dev_check(&pdev), -EUCLEAN);
	assert_warned("no pci_bus");
	pdev.bus = saved_bus;
	pdev.devfn = 0x100;
	assert_int_equal(iosim_pci_dev_check(&pdev), -EUCLEAN);
	assert_warned("devfn 0x100");
	pdev.devfn = PCI_DEVFN(1, 3);
	assert_int_equal(iosim_pci_dev_check(&pdev), -EUCLEAN);
	assert_warned("its bus and devfn make it '0000:10:01.3'");
	pdev.devfn = PCI_DEVFN(1, 2);
	bus.number = 0x11;
	assert_int_equal(iosim_pci_dev_check(&pdev), -EUCLEAN);
	assert_warned("'0000:10:01.2': its bus and devfn make it '0000:11:01.2'");
	bus.number = 0x10;

	pdev.dev.dma_mask = &mask;
	assert_int_equal(iosim_pci_dev_check(&pdev), -EUCLEAN);
	assert_warned("dma_mask or dma_parms does not point into its pci_dev");
	pdev.dev.dma_mask = &pdev.dma_mask;
	pdev.dev.dma_parms = &parms;
	assert_int_equal(iosim_pci_dev_check(&pdev), -EUCLEAN);
	assert_warned("dma_mask or dma_parms does not point into its pci_dev");
	pdev.dev.dma_parms = &pdev.dma_parms;

	pdev.driver = &other;
	assert_int_equal(iosim_pci_dev_check(&pdev), -EUCLEAN);
	assert_warned("bound through the bus to 'other' but its driver is 'checked'");
	pdev.driver = &drv;
	pdev.dev.driver = &platform_drv;
	pdev.driver = NULL;
	assert_int_equal(iosim_pci_dev_check(&pdev), -EUCLEAN);
	assert_warned("driver 'plat' is not a PCI bus driver");
	pdev.dev.driver = &drv.driver;
	pdev.driver = &drv;

	atomic_set(&pdev.enable_cnt, -1);
	assert_int_equal(iosim_pci_dev_check(&pdev), -EUCLEAN);
	assert_warned("enable count -1");
	atomic_set(&pdev.enable_cnt, 0);
	assert_int_equal(iosim_pci_dev_check(&pdev), 0);

	pci_unregister_driver(&drv);
	pdev.is_added = 0;
	device_del(&pdev.dev);
	pdev.is_added = 1;
	assert_int_equal(iosim_pci_dev_check(&pdev), -EUCLEAN);
	assert_warned("marked added but not added");
	pdev.is_added = 0;
	assert_int_equal(iosim_pci_dev_check(&pdev), 0);

	/* The generic device's own checker runs too. */
	pdev.dev.iosim_added = true;
	assert_int_equal(iosim_pci_dev_check(&pdev), -EUCLEAN);
	assert_warned("not on a bus but marked added or linked");
	pdev.dev.iosim_added = false;
	assert_int_equal(iosim_pci_dev_check(&pdev), 0);
	put_device(&pdev.dev);
	end();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_pci_bus_type_is_ready_without_registration),
		IOSIM_TEST(test_macros_and_layout_follow_2015),
		IOSIM_TEST(test_id_table_matching),
		IOSIM_TEST(test_driver_registered_after_devices_probes_the_matching_ones),
		IOSIM_TEST(test_device_added_after_the_driver_is_probed_once_offered),
		IOSIM_TEST(test_probe_results_as_the_kernel_reads_them),
		IOSIM_TEST(test_drivers_without_probe_remove_or_table),
		IOSIM_TEST(test_non_pci_devices_on_the_bus_match_no_driver),
		IOSIM_TEST(test_module_pci_driver_registers_and_unregisters),
		IOSIM_TEST(test_enable_and_disable_are_counted),
		IOSIM_TEST(test_segment_setters_reach_the_pci_devs_dma_parms),
		IOSIM_TEST(test_references_keep_the_device),
		IOSIM_TEST(test_bus_probe_of_an_unmatched_driver_is_refused),
		IOSIM_TEST(test_null_arguments_are_warned),
		IOSIM_TEST(test_driver_without_a_name_is_refused),
		IOSIM_TEST(test_checker_catches_planted_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
