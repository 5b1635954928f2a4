// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Simulated PCI devices (iosim_pci_dev_create()) and the PCI DMA API of
 * 2015 (<asm-generic/pci-dma-compat.h>): a device is added as
 * pci_device_add() adds one; behind an IOMMU'd host bridge it still maps
 * through the default ops (arm64's of_iommu_configure() of 2015 gave PCI
 * devices no IOMMU), which the log notes; bounce buffering for a 32-bit
 * device; the cache model on coherent and non-coherent host bridges; every
 * pci_* wrapper round-tripping data with the simulated bus master; a
 * kernel-style PCI driver doing DMA in probe(); an allocation-failure sweep
 * over creation; DMA-API debugging of PCI devices; and misuse.
 *
 * RAM is the default single bank above 4 GiB unless a test says otherwise:
 * without an IOMMU a device there needs 64-bit masks (which the tests set),
 * and there is no swiotlb pool, so the default ops are the direct ones.
 */
#include "dma_fixture.h"

#include <stdlib.h>
#include <string.h>

#include <linux/dmapool.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/swiotlb.h>
#include <iosim/bus_master.h>
#include <iosim/cache.h>
#include <iosim/device.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/pci.h>
#include <iosim/ram.h>
#include <iosim/swiotlb.h>

#define VENDOR_REDHAT	0x1b36
#define VENDOR_INTEL	0x8086
#define CLASS_NVME	0x010802
#define CLASS_ETHERNET	0x020000
#define CLASS_XHCI	0x0c0330	/* no driver here takes it */

/*
 * --- a kernel-style PCI driver, built in: module_pci_driver() makes its
 * registration an initcall, which iosim_dma_system_init() runs at boot;
 * shutdown() unloads it as the module's exit would.
 */

#define RING_BYTES	1024

struct nvme_like {
	void *ring;
	dma_addr_t ring_dma;
	unsigned char *rx;
	dma_addr_t rx_dma;
	bool rx_seen;		/* probe() saw the device's write */
};

static int nvme_like_probes, nvme_like_removes;

/* As a 2015 driver: enable, master, masks with fallback, ring, a receive buffer. */
static int nvme_like_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	unsigned char pattern[64];
	struct nvme_like *nl;
	int err;

	nvme_like_probes++;
	err = pci_enable_device(pdev);
	if (err)
		return err;
	pci_set_master(pdev);
	if (pci_set_dma_mask(pdev, DMA_BIT_MASK(64)) &&
	    pci_set_dma_mask(pdev, DMA_BIT_MASK(32))) {
		err = -EIO;
		goto out_disable;
	}
	if (pci_set_consistent_dma_mask(pdev, DMA_BIT_MASK(64))) {
		err = -EIO;
		goto out_disable;
	}
	nl = devm_kzalloc(&pdev->dev, sizeof(*nl), GFP_KERNEL);
	if (!nl) {
		err = -ENOMEM;
		goto out_disable;
	}
	nl->ring = pci_zalloc_consistent(pdev, RING_BYTES, &nl->ring_dma);
	if (!nl->ring) {
		err = -ENOMEM;
		goto out_disable;
	}
	nl->rx = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!nl->rx) {
		err = -ENOMEM;
		goto out_free_ring;
	}
	nl->rx_dma = pci_map_single(pdev, nl->rx, PAGE_SIZE, PCI_DMA_FROMDEVICE);
	if (pci_dma_mapping_error(pdev, nl->rx_dma)) {
		err = -ENOMEM;
		goto out_free_rx;
	}
	/* The "device" answers the first command at once. */
	dma_fill(pattern, sizeof(pattern), (unsigned int)id->driver_data);
	if (iosim_dma_write(&pdev->dev, nl->rx_dma, pattern, sizeof(pattern)) == 0) {
		pci_dma_sync_single_for_cpu(pdev, nl->rx_dma, sizeof(pattern),
					    PCI_DMA_FROMDEVICE);
		nl->rx_seen = dma_matches(nl->rx, sizeof(pattern),
					  (unsigned int)id->driver_data);
		pci_dma_sync_single_for_device(pdev, nl->rx_dma, sizeof(pattern),
					       PCI_DMA_FROMDEVICE);
	}
	pci_set_drvdata(pdev, nl);
	return 0;

out_free_rx:
	kfree(nl->rx);
out_free_ring:
	pci_free_consistent(pdev, RING_BYTES, nl->ring, nl->ring_dma);
out_disable:
	pci_disable_device(pdev);
	return err;
}

static void nvme_like_remove(struct pci_dev *pdev)
{
	struct nvme_like *nl = pci_get_drvdata(pdev);

	nvme_like_removes++;
	pci_unmap_single(pdev, nl->rx_dma, PAGE_SIZE, PCI_DMA_FROMDEVICE);
	kfree(nl->rx);
	pci_free_consistent(pdev, RING_BYTES, nl->ring, nl->ring_dma);
	pci_disable_device(pdev);
}

static const struct pci_device_id nvme_like_ids[] = {
	{ PCI_DEVICE_CLASS(CLASS_NVME, 0xffffff), .driver_data = 77 },
	{ 0, }
};

static struct pci_driver nvme_like_driver = {
	.name = "nvme-like",
	.id_table = nvme_like_ids,
	.probe = nvme_like_probe,
	.remove = nvme_like_remove,
};
module_pci_driver(nvme_like_driver);

/* --- the system: RAM, the DMA layer, an SMMU on the platform bus ------------ */

static void boot(const struct iosim_ram_config *ram)
{
	iosim_log_set_console_level(0);
	assert_int_equal(iosim_ram_init(ram), 0);
	assert_int_equal(iosim_dma_system_init(), 0);
}

static void shutdown(void)
{
	if (nvme_like_driver.driver.iosim_registered)
		nvme_like_driver_exit();
	dma_assert_no_debug_reports();
	assert_int_equal(iosim_bus_check(&pci_bus_type), 0);
	iosim_dma_system_exit();
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_exit(), 0);
	iosim_log_set_console_level(5);
}

static struct iosim_iommu *smmu_create(void)
{
	struct iosim_iommu_config icfg = {
		.name = "pcie-smmu",
		.bus = &platform_bus_type,
		.bypass_unattached = true,
	};
	struct iosim_iommu *iommu = iosim_iommu_create(&icfg);

	assert_false(IS_ERR_OR_NULL(iommu));
	return iommu;
}

/* Every checker that concerns a PCI device. */
static void check(struct pci_dev *pdev)
{
	assert_int_equal(iosim_pci_dev_check(pdev), 0);
	assert_int_equal(iosim_bus_check(&pci_bus_type), 0);
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_cache_check(), 0);
	assert_int_equal(iosim_dma_master_check(), 0);
	assert_int_equal(iosim_dma_debug_check(), 0);
}

/* A 64-bit USB controller at 01:00.0 on a host bridge that is coherent or not. */
static struct iosim_pci_dev_config cfg64(bool coherent)
{
	return (struct iosim_pci_dev_config){
		.bus_number = 1, .devfn = PCI_DEVFN(0, 0),
		.vendor = VENDOR_REDHAT, .device = 0x000d, .class = CLASS_XHCI,
		.dma_mask = DMA_BIT_MASK(64), .coherent_dma_mask = DMA_BIT_MASK(64),
		.dma_coherent = coherent,
	};
}

static struct pci_dev *pci_create(const struct iosim_pci_dev_config *cfg)
{
	struct pci_dev *pdev = iosim_pci_dev_create(cfg);

	assert_non_null(pdev);
	check(pdev);
	return pdev;
}

static unsigned char *page_buf(size_t pages, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp, get_order(pages * PAGE_SIZE));

	assert_non_null(page);
	return page_address(page);
}

static void page_buf_free(unsigned char *buf, size_t pages)
{
	__free_pages(virt_to_page(buf), get_order(pages * PAGE_SIZE));
}

static void dev_read(struct pci_dev *pdev, dma_addr_t addr, void *buf, size_t len)
{
	assert_int_equal(iosim_dma_read(&pdev->dev, addr, buf, len), 0);
}

static void dev_write(struct pci_dev *pdev, dma_addr_t addr, const void *buf, size_t len)
{
	assert_int_equal(iosim_dma_write(&pdev->dev, addr, buf, len), 0);
}

/* --- creation ------------------------------------------------------------- */

struct recorder {
	struct notifier_block nb;
	int nr;
	unsigned long action[4];
	bool add_saw_pci_kind, add_saw_match_driver;
};

static int record_event(struct notifier_block *nb, unsigned long action, void *data)
{
	struct recorder *r = container_of(nb, struct recorder, nb);
	struct device *dev = data;

	if (r->nr < (int)ARRAY_SIZE(r->action))
		r->action[r->nr] = action;
	r->nr++;
	if (action == BUS_NOTIFY_ADD_DEVICE) {
		r->add_saw_pci_kind = iosim_device_kind(dev) == IOSIM_DEVICE_PCI;
		r->add_saw_match_driver = to_pci_dev(dev)->match_driver;
	}
	return NOTIFY_OK;
}

/*
 * With a config of zeroes but its identity, a device gets what
 * pci_setup_device() and pci_device_add() give it: the name from bus and
 * devfn, 32-bit masks, 64 KiB segments under a 32-bit boundary, its DMA
 * limits in its own pci_dev; it is a simulated device counted as live, and
 * the bus's notifiers hear its addition before drivers may match it.
 */
static void test_created_as_pci_device_add_does(void **state)
{
	struct iosim_pci_dev_config cfg = {
		.bus_number = 0x02, .devfn = PCI_DEVFN(0x1f, 3),
		.vendor = VENDOR_INTEL, .device = 0x1234,
		.subsystem_vendor = 0x17aa, .subsystem_device = 0x2233,
		.class = CLASS_ETHERNET, .revision = 0x21,
	};
	struct recorder rec = { .nb.notifier_call = record_event };
	struct pci_dev *pdev;
	struct device *dev;

	(void)state;
	boot(NULL);
	assert_int_equal(bus_register_notifier(&pci_bus_type, &rec.nb), 0);
	pdev = pci_create(&cfg);
	dev = &pdev->dev;
	assert_string_equal(pci_name(pdev), "0000:02:1f.3");
	assert_int_equal(pdev->bus->number, 2);
	assert_null(pdev->bus->parent);
	assert_int_equal(pdev->devfn, PCI_DEVFN(0x1f, 3));
	assert_int_equal(pdev->vendor, VENDOR_INTEL);
	assert_int_equal(pdev->device, 0x1234);
	assert_int_equal(pdev->subsystem_vendor, 0x17aa);
	assert_int_equal(pdev->subsystem_device, 0x2233);
	assert_int_equal(pdev->class, CLASS_ETHERNET);
	assert_int_equal(pdev->revision, 0x21);
	assert_true(dev_is_pci(dev));
	assert_ptr_equal(dev->dma_mask, &pdev->dma_mask);
	assert_int_equal(pdev->dma_mask, DMA_BIT_MASK(32));
	assert_int_equal(dev->coherent_dma_mask, DMA_BIT_MASK(32));
	assert_ptr_equal(dev->dma_parms, &pdev->dma_parms);
	assert_int_equal(dma_get_max_seg_size(dev), SZ_64K);
	assert_int_equal(dma_get_seg_boundary(dev), DMA_BIT_MASK(32));
	assert_false(is_device_dma_coherent(dev));
	assert_false(iosim_dma_uses_iommu(dev));
	assert_true(pdev->is_added && pdev->match_driver);
	assert_null(pdev->driver);
	assert_false(pci_is_enabled(pdev) || pdev->is_busmaster);
	assert_int_equal(iosim_device_kind(dev), IOSIM_DEVICE_PCI);
	assert_true(iosim_device_is_simulated(dev));
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 1);
	assert_false(iosim_log_seen("iosim: host bridge"));	/* no IOMMU, no note */

	assert_int_equal(rec.nr, 1);
	assert_int_equal(rec.action[0], BUS_NOTIFY_ADD_DEVICE);
	assert_true(rec.add_saw_pci_kind);
	assert_false(rec.add_saw_match_driver);

	iosim_pci_dev_destroy(pdev);
	assert_int_equal(rec.nr, 3);
	assert_int_equal(rec.action[1], BUS_NOTIFY_DEL_DEVICE);
	assert_int_equal(rec.action[2], BUS_NOTIFY_REMOVED_DEVICE);
	assert_int_equal(iosim_device_kind(dev), IOSIM_DEVICE_NOT_SIMULATED);
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
	assert_int_equal(bus_unregister_notifier(&pci_bus_type, &rec.nb), 0);
	shutdown();
}

/* What the config gives is what the device has; a coherent host bridge makes it coherent. */
static void test_config_sets_masks_limits_and_coherency(void **state)
{
	struct iosim_pci_dev_config cfg = {
		.bus_number = 0xff, .devfn = PCI_DEVFN(0, 7), .vendor = VENDOR_REDHAT,
		.dma_mask = DMA_BIT_MASK(48), .coherent_dma_mask = DMA_BIT_MASK(40),
		.max_segment_size = SZ_4K, .segment_boundary_mask = SZ_1M - 1,
		.dma_coherent = true, .dma_size = SZ_4G,
	};
	struct pci_dev *pdev;

	(void)state;
	boot(NULL);
	pdev = pci_create(&cfg);
	assert_string_equal(pci_name(pdev), "0000:ff:00.7");
	assert_int_equal(*pdev->dev.dma_mask, DMA_BIT_MASK(48));
	assert_int_equal(pdev->dev.coherent_dma_mask, DMA_BIT_MASK(40));
	assert_int_equal(dma_get_max_seg_size(&pdev->dev), SZ_4K);
	assert_int_equal(dma_get_seg_boundary(&pdev->dev), SZ_1M - 1);
	assert_true(is_device_dma_coherent(&pdev->dev));
	iosim_pci_dev_destroy(pdev);

	/* A 64-bit coherent mask with no window: the whole space, as of_dma_configure(). */
	cfg = cfg64(false);
	pdev = pci_create(&cfg);
	assert_int_equal(pdev->dev.coherent_dma_mask, DMA_BIT_MASK(64));
	assert_false(is_device_dma_coherent(&pdev->dev));
	iosim_pci_dev_destroy(pdev);
	shutdown();
}

/*
 * The host bridge sits behind an SMMU that translates a platform device's
 * DMA, yet the PCI device gets no IOMMU ops and is no master of the SMMU:
 * its handle is the buffer's physical address, and the log says why.
 */
static void test_behind_an_iommu_host_bridge_dma_bypasses_the_iommu(void **state)
{
	struct iosim_of_device_config pcfg = {
		.dev = { .name = "platform-master", .dma_mask = DMA_BIT_MASK(64) },
	};
	struct iosim_pci_dev_config cfg = cfg64(false);
	size_t len = PAGE_SIZE / 2;
	unsigned char *buf, *got = malloc(len);
	struct device *platform_dev;
	struct pci_dev *pdev;
	dma_addr_t dma, pdma;

	(void)state;
	boot(NULL);
	cfg.iommu = pcfg.iommu = smmu_create();
	platform_dev = iosim_of_device_create(&pcfg);
	assert_non_null(platform_dev);
	assert_true(iosim_dma_uses_iommu(platform_dev));

	pdev = pci_create(&cfg);
	assert_false(iosim_dma_uses_iommu(&pdev->dev));
	assert_null(iosim_iommu_of_dev(&pdev->dev));
	assert_null(pdev->dev.iommu_group);
	assert_true(iosim_log_seen("0000:01:00.0: iosim: host bridge behind IOMMU pcie-smmu"));
	assert_true(iosim_log_seen("gives PCI devices no IOMMU DMA ops"));
	assert_no_warnings();

	buf = page_buf(1, GFP_KERNEL);
	dma_fill(buf, len, 1);
	dma = pci_map_single(pdev, buf, len, PCI_DMA_TODEVICE);
	assert_false(pci_dma_mapping_error(pdev, dma));
	assert_int_equal(dma, phys_to_dma(&pdev->dev, virt_to_phys(buf)));
	dev_read(pdev, dma, got, len);
	assert_true(dma_matches(got, len, 1));

	/* The platform device, behind the same SMMU, gets an IOVA. */
	pdma = dma_map_single(platform_dev, buf, len, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(platform_dev, pdma));
	assert_int_not_equal(pdma, virt_to_phys(buf));
	dma_unmap_single(platform_dev, pdma, len, DMA_TO_DEVICE);

	pci_unmap_single(pdev, dma, len, PCI_DMA_TODEVICE);
	check(pdev);
	assert_int_equal(iosim_iommu_instance_check(cfg.iommu), 0);
	iosim_pci_dev_destroy(pdev);
	iosim_of_device_destroy(platform_dev);
	iosim_iommu_destroy(cfg.iommu);
	page_buf_free(buf, 1);
	free(got);
	shutdown();
}

/*
 * Juno's RAM: a 32-bit PCI device reaches a low buffer directly and has a
 * high one bounced through swiotlb's pool below 4 GiB, both ways.
 */
static void test_32_bit_device_bounces_what_it_cannot_reach(void **state)
{
	struct iosim_pci_dev_config cfg = { .bus_number = 0, .devfn = PCI_DEVFN(1, 0),
					    .vendor = VENDOR_INTEL, .device = 0x10d3 };
	struct iosim_swiotlb_stats st;
	struct iosim_ram_config ram;
	size_t len = PAGE_SIZE;
	unsigned char *low, *high, *got = malloc(len);
	phys_addr_t pool;
	struct pci_dev *pdev;
	dma_addr_t dma;

	(void)state;
	assert_int_equal(iosim_ram_config_juno(&ram, 32ULL << 20, 64ULL << 20), 0);
	boot(&ram);
	pdev = pci_create(&cfg);
	assert_true(iosim_swiotlb_ready());
	pool = iosim_swiotlb_pool_phys();

	low = page_buf(1, GFP_DMA);
	dma_fill(low, len, 2);
	dma = pci_map_single(pdev, low, len, PCI_DMA_TODEVICE);
	assert_false(pci_dma_mapping_error(pdev, dma));
	assert_int_equal(dma, virt_to_phys(low));
	dev_read(pdev, dma, got, len);
	assert_true(dma_matches(got, len, 2));
	pci_unmap_single(pdev, dma, len, PCI_DMA_TODEVICE);

	high = page_buf(1, GFP_KERNEL);
	assert_true(virt_to_phys(high) >= SZ_4G);
	dma_fill(high, len, 3);
	dma = pci_map_single(pdev, high, len, PCI_DMA_BIDIRECTIONAL);
	assert_false(pci_dma_mapping_error(pdev, dma));
	iosim_swiotlb_get_stats(&st);
	assert_true(dma >= pool && dma + len <= pool + (st.nslabs << IO_TLB_SHIFT));
	assert_true(st.slots_used > 0);
	dev_read(pdev, dma, got, len);
	assert_true(dma_matches(got, len, 3));
	dma_fill(got, len, 4);
	dev_write(pdev, dma, got, len);
	pci_dma_sync_single_for_cpu(pdev, dma, len, PCI_DMA_BIDIRECTIONAL);
	assert_true(dma_matches(high, len, 4));
	pci_unmap_single(pdev, dma, len, PCI_DMA_BIDIRECTIONAL);
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.slots_used, 0);
	check(pdev);
	assert_int_equal(iosim_swiotlb_check(), 0);

	iosim_pci_dev_destroy(pdev);
	page_buf_free(low, 1);
	page_buf_free(high, 1);
	free(got);
	shutdown();
}

/* --- the cache model: coherent and non-coherent host bridges ----------------- */

/*
 * Receive: the device writes a FROMDEVICE buffer; without
 * pci_dma_sync_single_for_cpu() only a coherent device's data is seen.
 */
static void receive_without_sync_is_stale_only_when_noncoherent(bool coherent)
{
	struct iosim_pci_dev_config cfg = cfg64(coherent);
	size_t len = PAGE_SIZE;
	unsigned char *buf, *pattern = malloc(len);
	struct pci_dev *pdev;
	dma_addr_t dma;

	boot(NULL);
	pdev = pci_create(&cfg);
	buf = page_buf(1, GFP_KERNEL);
	dma_fill(pattern, len, 5);
	dma = pci_map_single(pdev, buf, len, PCI_DMA_FROMDEVICE);
	assert_false(pci_dma_mapping_error(pdev, dma));
	dev_write(pdev, dma, pattern, len);
	assert_int_equal(dma_matches(buf, len, 5), coherent);	/* the forgotten sync */
	pci_dma_sync_single_for_cpu(pdev, dma, len, PCI_DMA_FROMDEVICE);
	assert_true(dma_matches(buf, len, 5));
	pci_dma_sync_single_for_device(pdev, dma, len, PCI_DMA_FROMDEVICE);
	pci_unmap_single(pdev, dma, len, PCI_DMA_FROMDEVICE);
	assert_true(dma_matches(buf, len, 5));
	check(pdev);
	iosim_pci_dev_destroy(pdev);
	page_buf_free(buf, 1);
	free(pattern);
	shutdown();
}

static void test_receive_without_sync__coherent(void **state)
{
	(void)state;
	receive_without_sync_is_stale_only_when_noncoherent(true);
}

static void test_receive_without_sync__noncoherent(void **state)
{
	(void)state;
	receive_without_sync_is_stale_only_when_noncoherent(false);
}

/*
 * Transmit refill: the CPU rewrites a mapped TODEVICE buffer after a sync
 * for the CPU and forgets pci_dma_sync_single_for_device(): a non-coherent
 * device reads the old bytes (stale reads counted); DMA-API debugging saw
 * the device read a buffer the CPU owned, on either kind.
 */
static void transmit_refill_is_stale_only_when_noncoherent(bool coherent)
{
	struct iosim_pci_dev_config cfg = cfg64(coherent);
	struct iosim_cache_counters cnt;
	size_t len = PAGE_SIZE / 2;
	unsigned char *buf, *got = malloc(len);
	struct pci_dev *pdev;
	dma_addr_t dma;

	boot(NULL);
	pdev = pci_create(&cfg);
	buf = page_buf(1, GFP_KERNEL);
	dma_fill(buf, len, 6);
	dma = pci_map_single(pdev, buf, len, PCI_DMA_TODEVICE);
	assert_false(pci_dma_mapping_error(pdev, dma));
	pci_dma_sync_single_for_cpu(pdev, dma, len, PCI_DMA_TODEVICE);
	dma_fill(buf, len, 7);
	dev_read(pdev, dma, got, len);
	assert_int_equal(dma_matches(got, len, 7), coherent);
	assert_int_equal(dma_matches(got, len, 6), !coherent);
	iosim_cache_get_counters(&pdev->dev, &cnt);
	assert_int_equal(cnt.stale_reads > 0, !coherent);
	dma_assert_reported(IOSIM_DMA_DEBUG_DEVICE_CPU_OWNED);

	pci_dma_sync_single_for_device(pdev, dma, len, PCI_DMA_TODEVICE);
	dev_read(pdev, dma, got, len);
	assert_true(dma_matches(got, len, 7));
	pci_unmap_single(pdev, dma, len, PCI_DMA_TODEVICE);
	check(pdev);
	iosim_pci_dev_destroy(pdev);
	page_buf_free(buf, 1);
	free(got);
	shutdown();
}

static void test_transmit_refill_without_sync__coherent(void **state)
{
	(void)state;
	transmit_refill_is_stale_only_when_noncoherent(true);
}

static void test_transmit_refill_without_sync__noncoherent(void **state)
{
	(void)state;
	transmit_refill_is_stale_only_when_noncoherent(false);
}

/* --- every pci-dma-compat wrapper ------------------------------------------ */

/* Masks: a 32-bit one cannot reach this RAM and is refused, unchanged; 64 bits are taken. */
static void masks(struct pci_dev *pdev)
{
	assert_true(pci_dma_supported(pdev, DMA_BIT_MASK(64)));
	assert_false(pci_dma_supported(pdev, DMA_BIT_MASK(32)));
	assert_int_equal(pci_set_dma_mask(pdev, DMA_BIT_MASK(32)), -EIO);
	assert_int_equal(pdev->dma_mask, DMA_BIT_MASK(64));
	assert_int_equal(pci_set_consistent_dma_mask(pdev, DMA_BIT_MASK(32)), -EIO);
	assert_int_equal(pdev->dev.coherent_dma_mask, DMA_BIT_MASK(64));
	assert_int_equal(pci_set_dma_mask(pdev, DMA_BIT_MASK(48)), 0);
	assert_int_equal(pdev->dma_mask, DMA_BIT_MASK(48));
	assert_int_equal(pci_set_consistent_dma_mask(pdev, DMA_BIT_MASK(48)), 0);
	assert_int_equal(pdev->dev.coherent_dma_mask, DMA_BIT_MASK(48));
	assert_int_equal(pci_set_dma_mask(NULL, DMA_BIT_MASK(64)), -EIO);
	assert_warned("dma_set_mask: NULL device");
	assert_int_equal(pci_set_consistent_dma_mask(NULL, DMA_BIT_MASK(64)), -EIO);
	assert_warned("dma_set_coherent_mask: NULL device");
}

/* Consistent memory: both sides see each other's writes without syncs. */
static void consistent(struct pci_dev *pdev)
{
	size_t len = PAGE_SIZE;
	unsigned char *got = malloc(len);
	dma_addr_t dma;
	void *cpu;

	cpu = pci_alloc_consistent(pdev, len, &dma);
	assert_non_null(cpu);
	assert_false(pci_dma_mapping_error(pdev, dma));
	dma_fill(got, len, 8);
	dev_write(pdev, dma, got, len);
	assert_true(dma_matches(cpu, len, 8));
	dma_fill(cpu, len, 9);
	dev_read(pdev, dma, got, len);
	assert_true(dma_matches(got, len, 9));
	pci_free_consistent(pdev, len, cpu, dma);

	cpu = pci_zalloc_consistent(pdev, len, &dma);
	assert_non_null(cpu);
	assert_true(iosim_bytes_all(cpu, 0, len));
	dev_read(pdev, dma, got, len);
	assert_true(iosim_bytes_all(got, 0, len));
	pci_free_consistent(pdev, len, cpu, dma);
	free(got);
}

/* Streaming single and page mappings, each direction, with syncs. */
static void streaming(struct pci_dev *pdev)
{
	size_t len = PAGE_SIZE / 4;
	unsigned char *buf = page_buf(2, GFP_KERNEL), *got = malloc(len);
	struct page *page = virt_to_page(buf + PAGE_SIZE);
	dma_addr_t dma;

	/* Bidirectional: the device reads, writes back, the CPU takes it after a sync. */
	dma_fill(buf, len, 10);
	dma = pci_map_single(pdev, buf, len, PCI_DMA_BIDIRECTIONAL);
	assert_false(pci_dma_mapping_error(pdev, dma));
	dev_read(pdev, dma, got, len);
	assert_true(dma_matches(got, len, 10));
	dma_fill(got, len, 11);
	dev_write(pdev, dma, got, len);
	pci_dma_sync_single_for_cpu(pdev, dma, len, PCI_DMA_BIDIRECTIONAL);
	assert_true(dma_matches(buf, len, 11));
	dma_fill(buf, len, 12);
	pci_dma_sync_single_for_device(pdev, dma, len, PCI_DMA_BIDIRECTIONAL);
	dev_read(pdev, dma, got, len);
	assert_true(dma_matches(got, len, 12));
	pci_unmap_single(pdev, dma, len, PCI_DMA_BIDIRECTIONAL);

	/* A page at an offset: transmit, then receive. */
	dma_fill(buf + PAGE_SIZE + len, len, 13);
	dma = pci_map_page(pdev, page, len, len, PCI_DMA_TODEVICE);
	assert_false(pci_dma_mapping_error(pdev, dma));
	assert_int_equal(dma, virt_to_phys(buf + PAGE_SIZE + len));
	dev_read(pdev, dma, got, len);
	assert_true(dma_matches(got, len, 13));
	pci_unmap_page(pdev, dma, len, PCI_DMA_TODEVICE);

	dma = pci_map_page(pdev, page, 0, len, PCI_DMA_FROMDEVICE);
	assert_false(pci_dma_mapping_error(pdev, dma));
	dma_fill(got, len, 14);
	dev_write(pdev, dma, got, len);
	pci_unmap_page(pdev, dma, len, PCI_DMA_FROMDEVICE);
	assert_true(dma_matches(buf + PAGE_SIZE, len, 14));

	/* The error value is recognised as one. */
	assert_true(pci_dma_mapping_error(pdev, DMA_ERROR_CODE));
	page_buf_free(buf, 2);
	free(got);
}

/* A scatterlist of whole pages, out and back, with the sg syncs. */
static void scatter_gather(struct pci_dev *pdev)
{
	const int nents = 3;
	struct scatterlist sgl[3], *sg;
	unsigned char *got = malloc(PAGE_SIZE);
	int count, i;

	sg_init_table(sgl, nents);
	for (i = 0; i < nents; i++) {
		sg_set_page(&sgl[i], alloc_page(GFP_KERNEL), PAGE_SIZE, 0);
		assert_non_null(sg_page(&sgl[i]));
		dma_fill(sg_virt(&sgl[i]), PAGE_SIZE, 20 + i);
	}
	count = pci_map_sg(pdev, sgl, nents, PCI_DMA_BIDIRECTIONAL);
	assert_int_equal(count, nents);		/* no IOMMU: one segment per entry */
	for_each_sg(sgl, sg, count, i) {
		assert_int_equal(sg_dma_len(sg), PAGE_SIZE);
		dev_read(pdev, sg_dma_address(sg), got, PAGE_SIZE);
		assert_true(dma_matches(got, PAGE_SIZE, 20 + i));
		dma_fill(got, PAGE_SIZE, 30 + i);
		dev_write(pdev, sg_dma_address(sg), got, PAGE_SIZE);
	}
	pci_dma_sync_sg_for_cpu(pdev, sgl, nents, PCI_DMA_BIDIRECTIONAL);
	for (i = 0; i < nents; i++)
		assert_true(dma_matches(sg_virt(&sgl[i]), PAGE_SIZE, 30 + i));
	dma_fill(sg_virt(&sgl[1]), PAGE_SIZE, 40);
	pci_dma_sync_sg_for_device(pdev, sgl, nents, PCI_DMA_BIDIRECTIONAL);
	dev_read(pdev, sg_dma_address(&sgl[1]), got, PAGE_SIZE);
	assert_true(dma_matches(got, PAGE_SIZE, 40));
	pci_unmap_sg(pdev, sgl, nents, PCI_DMA_BIDIRECTIONAL);
	for (i = 0; i < nents; i++)
		__free_page(sg_page(&sgl[i]));
	free(got);
}

/* pci_pool_*: small coherent blocks the device writes and the CPU reads. */
static void pool(struct pci_dev *pdev)
{
	struct pci_pool *p = pci_pool_create("pci-descs", pdev, 64, 64, 0);
	unsigned char desc[64];
	dma_addr_t da, db;
	void *a, *b;

	assert_non_null(p);
	a = pci_pool_alloc(p, GFP_KERNEL, &da);
	b = pci_pool_alloc(p, GFP_KERNEL, &db);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(da % 64, 0);
	assert_int_not_equal(da, db);
	dma_fill(desc, sizeof(desc), 50);
	dev_write(pdev, db, desc, sizeof(desc));
	assert_true(dma_matches(b, sizeof(desc), 50));
	pci_pool_free(p, a, da);
	pci_pool_free(p, b, db);
	pci_pool_destroy(p);
}

static void wrappers_round_trip(bool coherent)
{
	struct iosim_pci_dev_config cfg = cfg64(coherent);
	struct pci_dev *pdev;

	boot(NULL);
	pdev = pci_create(&cfg);
	masks(pdev);
	check(pdev);
	consistent(pdev);
	check(pdev);
	streaming(pdev);
	check(pdev);
	scatter_gather(pdev);
	check(pdev);
	pool(pdev);
	check(pdev);
	assert_int_equal(iosim_dma_debug_live(&pdev->dev), 0);
	iosim_pci_dev_destroy(pdev);
	shutdown();
}

static void test_every_pci_dma_wrapper_round_trips__coherent(void **state)
{
	(void)state;
	wrappers_round_trip(true);
}

static void test_every_pci_dma_wrapper_round_trips__noncoherent(void **state)
{
	(void)state;
	wrappers_round_trip(false);
}

/*
 * The driver registered at boot; then the device is found: probe() runs
 * during the creation and does DMA; a device of another class is left
 * alone.  Removing the device runs remove(), which gives everything back.
 */
static void test_pci_driver_probes_and_does_dma_in_probe(void **state)
{
	struct iosim_pci_dev_config cfg = cfg64(false);
	struct iosim_pci_dev_config nic_cfg = {
		.bus_number = 1, .devfn = PCI_DEVFN(1, 0), .vendor = VENDOR_INTEL,
		.class = CLASS_ETHERNET, .dma_mask = DMA_BIT_MASK(64),
	};
	struct pci_dev *pdev, *nic;
	struct nvme_like *nl;

	(void)state;
	nvme_like_probes = nvme_like_removes = 0;
	boot(NULL);
	assert_true(nvme_like_driver.driver.iosim_registered);
	assert_ptr_equal(nvme_like_driver.driver.bus, &pci_bus_type);
	cfg.class = CLASS_NVME;
	pdev = pci_create(&cfg);
	nic = pci_create(&nic_cfg);
	assert_int_equal(nvme_like_probes, 1);
	assert_ptr_equal(pdev->driver, &nvme_like_driver);
	assert_null(nic->driver);
	nl = pci_get_drvdata(pdev);
	assert_non_null(nl);
	assert_true(nl->rx_seen);
	assert_true(pci_is_enabled(pdev));
	assert_true(pdev->is_busmaster);
	assert_int_equal(iosim_dma_debug_live(&pdev->dev), 2);	/* the ring and rx */
	check(pdev);

	iosim_pci_dev_destroy(pdev);
	assert_int_equal(nvme_like_removes, 1);
	iosim_pci_dev_destroy(nic);
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	shutdown();
	assert_false(nvme_like_driver.driver.iosim_registered);	/* unloaded */
}

/*
 * Every allocation of creating a device (and of the probe it triggers)
 * failed in turn: a creation that fails leaves nothing behind; one whose
 * probe failed leaves an unbound, consistent device; the sweep ends with a
 * creation that saw no failure and a bound driver.
 */
static void test_creation_failure_sweep_leaves_nothing_behind(void **state)
{
	struct iosim_pci_dev_config cfg = cfg64(false);
	unsigned long n, nr_null = 0;
	int nr_bound = 0;
	struct pci_dev *pdev;
	bool clean = false;

	(void)state;
	boot(NULL);		/* nvme-like is registered */
	nvme_like_probes = nvme_like_removes = 0;
	cfg.class = CLASS_NVME;
	for (n = 1; !clean && n < 200; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		pdev = iosim_pci_dev_create(&cfg);
		clean = iosim_fault_injected() == 0;
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, 0);
		if (!pdev) {
			assert_false(clean);
			nr_null++;
			assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
			assert_int_equal(iosim_bus_check(&pci_bus_type), 0);
			assert_int_equal(iosim_dma_debug_live(NULL), 0);
			continue;
		}
		check(pdev);
		if (clean)
			assert_ptr_equal(pdev->driver, &nvme_like_driver);
		if (!pdev->driver)	/* the probe's allocation failed */
			assert_false(pci_is_enabled(pdev));
		nr_bound += pdev->driver != NULL;
		iosim_pci_dev_destroy(pdev);
		assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
		assert_int_equal(iosim_dma_debug_live(NULL), 0);
	}
	assert_true(clean);
	assert_true(nr_null >= 3);	/* the allocation, the name, the add */
	assert_int_equal(nvme_like_removes, nr_bound);	/* every bound device was removed */
	assert_true(nvme_like_probes > nr_bound);	/* and some probes failed */
	iosim_log_reset();
	shutdown();
}

/* --- DMA-API debugging sees PCI devices ------------------------------------- */

static int leaky_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	void *buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	dma_addr_t dma;

	(void)id;
	if (!buf)
		return -ENOMEM;
	dma = pci_map_single(pdev, buf, 256, PCI_DMA_TODEVICE);
	if (pci_dma_mapping_error(pdev, dma)) {
		kfree(buf);
		return -ENOMEM;
	}
	pci_set_drvdata(pdev, buf);
	return 0;
}

/* remove() forgets the unmap. */
static void leaky_remove(struct pci_dev *pdev)
{
	(void)pdev;
}

/*
 * With the PCI bus watched (dma_debug_add_bus(), as x86's PCI set-up did;
 * arm64 of 2015 watched no bus), a driver unbound with a mapping left is
 * reported naming the PCI device, and the entry is kept for the late unmap.
 * A simulated PCI device destroyed with an entry left on an unwatched bus
 * is then dumped without being looked at.
 */
static void test_dma_debug_reports_a_pci_drivers_leak_at_remove(void **state)
{
	static const struct pci_device_id leaky_ids[] = {
		{ PCI_DEVICE(VENDOR_REDHAT, 0x000d) }, { 0, }
	};
	struct pci_driver leaky = {
		.name = "leaky", .id_table = leaky_ids,
		.probe = leaky_probe, .remove = leaky_remove,
	};
	struct iosim_pci_dev_config cfg = cfg64(true);
	struct iosim_dma_debug_report r;
	struct pci_dev *pdev;
	struct device *dev;
	dma_addr_t dma;
	void *buf;

	(void)state;
	boot(NULL);
	dma_debug_add_bus(&pci_bus_type);
	assert_int_equal(pci_register_driver(&leaky), 0);
	pdev = pci_create(&cfg);
	dev = &pdev->dev;
	buf = pci_get_drvdata(pdev);
	assert_non_null(buf);
	assert_int_equal(iosim_dma_debug_live(dev), 1);

	pci_unregister_driver(&leaky);
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN), 1);
	assert_true(iosim_dma_debug_last(&r));
	assert_string_equal(r.dev_name, "0000:01:00.0");
	assert_true(iosim_log_seen("pending DMA allocations while released from device"));
	iosim_dma_debug_clear();
	assert_int_equal(iosim_dma_debug_live(dev), 1);	/* kept */
	pci_unmap_single(pdev, virt_to_phys(buf), 256, PCI_DMA_TODEVICE);
	dma_assert_no_debug_reports();
	assert_int_equal(iosim_dma_debug_live(dev), 0);
	kfree(buf);
	iosim_dma_debug_remove_bus(&pci_bus_type);

	/* Unwatched: an entry outlives the device; the dump does not touch it. */
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	assert_non_null(buf);
	dma = pci_map_single(pdev, buf, 128, PCI_DMA_TODEVICE);
	assert_false(pci_dma_mapping_error(pdev, dma));
	iosim_pci_dev_destroy(pdev);
	assert_int_equal(iosim_dma_debug_live(dev), 1);
	iosim_log_reset();
	iosim_dma_debug_dump(NULL);
	assert_true(iosim_log_seen("(destroyed) 0000:01:00.0: single"));
	/* Its record is dropped without reading the device (only a reset can now). */
	iosim_dma_debug_reset();
	assert_int_equal(iosim_dma_debug_live(NULL), 0);
	kfree(buf);
	shutdown();
}

/* --- misuse ------------------------------------------------------------------ */

/* Bad configs and a taken address WARN and create nothing. */
static void test_bad_configs_are_warned_and_create_nothing(void **state)
{
	struct iosim_pci_dev_config cfg = cfg64(false);
	struct pci_dev *pdev;

	(void)state;
	boot(NULL);
	assert_null(iosim_pci_dev_create(NULL));
	assert_warned("iosim_pci_dev_create: NULL config");
	cfg.devfn = 0x100;
	assert_null(iosim_pci_dev_create(&cfg));
	assert_warned("devfn 0x100 is not 8 bits");
	cfg = cfg64(false);
	cfg.class = 0x1000000;
	assert_null(iosim_pci_dev_create(&cfg));
	assert_warned("class 0x1000000 is not 24 bits");
	cfg = cfg64(false);
	cfg.segment_boundary_mask = 0x1234;
	assert_null(iosim_pci_dev_create(&cfg));
	assert_warned("segment boundary mask 0x1234 is not 2^n - 1");
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);

	cfg = cfg64(false);
	pdev = pci_create(&cfg);
	cfg.device = 0x9999;			/* another device, the same address */
	assert_null(iosim_pci_dev_create(&cfg));
	assert_warned("iosim_pci_dev_create: 0000:01:00.0 already exists");
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 1);
	check(pdev);
	iosim_pci_dev_destroy(pdev);
	shutdown();
}

/*
 * Destroying what is not a live simulated PCI device WARNs and touches
 * nothing: a platform device, a caller-made pci_dev, a stray pointer, a
 * device already destroyed.  The platform and OF creators refuse a PCI device.
 */
static void test_destroying_anything_else_is_warned_and_left_alone(void **state)
{
	struct iosim_device_config plat_cfg = { .name = "plat0" };
	struct iosim_pci_dev_config cfg = cfg64(false);
	struct pci_dev stranger, *pdev;
	struct device *plat;

	(void)state;
	boot(NULL);
	pdev = pci_create(&cfg);
	plat = iosim_device_create(&plat_cfg);
	assert_non_null(plat);

	iosim_pci_dev_destroy(container_of(plat, struct pci_dev, dev));
	assert_warned("is not a simulated PCI device");
	assert_int_equal(iosim_device_check(plat), 0);
	memset(&stranger, 0, sizeof(stranger));
	iosim_pci_dev_destroy(&stranger);
	assert_warned("is not a simulated PCI device");
	iosim_pci_dev_destroy((struct pci_dev *)(uintptr_t)0x1000);
	assert_warned("is not a simulated PCI device");
	iosim_device_destroy(&pdev->dev);
	assert_warned("was not made by iosim_device_create()");
	check(pdev);
	assert_true(pdev->is_added);
	/* Nor does the OF creator's destroy: the device stays on its bus. */
	iosim_of_device_destroy(&pdev->dev);
	assert_warned("is not a device of iosim_of_device_create()");
	check(pdev);
	assert_true(device_is_registered(&pdev->dev));
	iosim_pci_dev_destroy(NULL);
	assert_no_warnings();

	iosim_pci_dev_destroy(pdev);
	iosim_pci_dev_destroy(pdev);		/* freed: compared, never read */
	assert_warned("is already destroyed");
	iosim_device_destroy(plat);
	shutdown();
}

/*
 * The creator's reference put without a destroy (after the caller deleted
 * the device itself) still releases everything and leaves the registry; a
 * destroy after the caller's device_del() does not delete it twice.
 */
static void test_device_deleted_by_the_caller_is_released_cleanly(void **state)
{
	struct iosim_pci_dev_config cfg = cfg64(false);
	struct pci_dev *pdev;
	struct device *dev;

	(void)state;
	boot(NULL);
	pdev = pci_create(&cfg);
	dev = &pdev->dev;
	pdev->is_added = 0;
	device_del(dev);
	put_device(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
	assert_false(iosim_device_is_simulated(dev));

	pdev = pci_create(&cfg);
	pdev->is_added = 0;
	device_del(&pdev->dev);
	iosim_pci_dev_destroy(pdev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
	assert_no_warnings();
	shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_created_as_pci_device_add_does),
		IOSIM_TEST(test_config_sets_masks_limits_and_coherency),
		IOSIM_TEST(test_behind_an_iommu_host_bridge_dma_bypasses_the_iommu),
		IOSIM_TEST(test_32_bit_device_bounces_what_it_cannot_reach),
		IOSIM_TEST(test_receive_without_sync__coherent),
		IOSIM_TEST(test_receive_without_sync__noncoherent),
		IOSIM_TEST(test_transmit_refill_without_sync__coherent),
		IOSIM_TEST(test_transmit_refill_without_sync__noncoherent),
		IOSIM_TEST(test_every_pci_dma_wrapper_round_trips__coherent),
		IOSIM_TEST(test_every_pci_dma_wrapper_round_trips__noncoherent),
		IOSIM_TEST(test_pci_driver_probes_and_does_dma_in_probe),
		IOSIM_TEST(test_creation_failure_sweep_leaves_nothing_behind),
		IOSIM_TEST(test_dma_debug_reports_a_pci_drivers_leak_at_remove),
		IOSIM_TEST(test_bad_configs_are_warned_and_create_nothing),
		IOSIM_TEST(test_destroying_anything_else_is_warned_and_left_alone),
		IOSIM_TEST(test_device_deleted_by_the_caller_is_released_cleanly),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
