// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * PCI devices behind an IOMMU that serves the PCI bus (docs/pci.md, "IOMMU
 * groups for VFIO"): arm-smmu of 2015 set the PCI bus's iommu_ops, so its
 * add_device put every PCI device behind it in an IOMMU group, although
 * arm64's DMA set-up still gave the device no IOMMU DMA ops.  What VFIO did
 * with such a device works here: an unmanaged domain from
 * iommu_domain_alloc(&pci_bus_type), iommu_attach_device(), iommu_map() at
 * addresses the user picks, the device's DMA translated and
 * permission-checked, faults reported to the domain's handler, detach back
 * to the unattached behaviour (bypass, or a fault without it).  Also: a
 * group that gets a default DMA domain (a later SMMU driver) is warned
 * about, since the device's default DMA ops address memory physically;
 * teardown in either order; and an allocation-failure sweep over creation.
 *
 * RAM is the default single bank above 4 GiB; the devices have 64-bit masks
 * and a coherent host bridge, so the default DMA ops are the direct ones
 * and the device's writes need no cache maintenance to be seen.
 */
#include "dma_fixture.h"

#include <stdlib.h>
#include <string.h>

#include <linux/dma-iommu.h>
#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <iosim/bus_master.h>
#include <iosim/device.h>
#include <iosim/fault.h>
#include <iosim/iommu.h>
#include <iosim/iommu_core.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/pci.h>
#include <iosim/ram.h>

/* An IOVA every granule (4K, 16K, 64K) aligns, far from any physical address here. */
#define USER_IOVA	0x10000000UL

static void boot(void)
{
	iosim_log_set_console_level(0);
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_int_equal(iosim_dma_system_init(), 0);
}

static void shutdown(void)
{
	dma_assert_no_debug_reports();
	assert_int_equal(iosim_iommu_check(), 0);
	assert_int_equal(iosim_bus_check(&pci_bus_type), 0);
	iosim_dma_system_exit();
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
	iosim_log_set_console_level(5);
}

/* The SMMU in front of the PCIe host bridge: the PCI bus's IOMMU. */
static struct iosim_iommu *pcie_smmu_create(bool bypass, bool dma_domains)
{
	struct iosim_iommu_config icfg = {
		.name = "pcie-smmu",
		.bus = &pci_bus_type,
		.bypass_unattached = bypass,
	};
	struct iosim_iommu *iommu;

	if (dma_domains) {
		icfg.dma_cookie_get = iommu_get_dma_cookie;
		icfg.dma_cookie_put = iommu_put_dma_cookie;
	}
	iommu = iosim_iommu_create(&icfg);
	assert_false(IS_ERR_OR_NULL(iommu));
	assert_ptr_equal(pci_bus_type.iommu_ops, iosim_iommu_ops(iommu));
	return iommu;
}

/* A 64-bit NVMe-class device at 01:00.0 behind @iommu, on a coherent host bridge. */
static struct iosim_pci_dev_config nvme_cfg(struct iosim_iommu *iommu)
{
	return (struct iosim_pci_dev_config){
		.bus_number = 1, .devfn = PCI_DEVFN(0, 0),
		.vendor = 0x1b36, .device = 0x0010, .class = 0x010802,
		.dma_mask = DMA_BIT_MASK(64), .coherent_dma_mask = DMA_BIT_MASK(64),
		.dma_coherent = true, .iommu = iommu,
	};
}

/* Every checker that concerns the device, its IOMMU and (if any) the domain. */
static void check(struct pci_dev *pdev, struct iosim_iommu *iommu, struct iommu_domain *domain)
{
	struct iommu_group *group = iommu_group_get(&pdev->dev);

	assert_int_equal(iosim_pci_dev_check(pdev), 0);
	assert_int_equal(iosim_bus_check(&pci_bus_type), 0);
	assert_int_equal(iosim_iommu_instance_check(iommu), 0);
	assert_int_equal(iosim_iommu_check(), 0);
	if (group) {
		assert_int_equal(iosim_iommu_group_check(group), 0);
		iommu_group_put(group);
	}
	if (domain)
		assert_int_equal(iosim_iommu_domain_check(domain), 0);
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_dma_master_check(), 0);
}

static struct pci_dev *pci_create(const struct iosim_pci_dev_config *cfg)
{
	struct pci_dev *pdev = iosim_pci_dev_create(cfg);

	assert_non_null(pdev);
	check(pdev, cfg->iommu, NULL);
	return pdev;
}

/* A page of RAM filled with @seed's pattern. */
static struct page *pattern_page(unsigned int seed)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	assert_non_null(page);
	dma_fill(page_address(page), PAGE_SIZE, seed);
	return page;
}

/* The whole of @page mapped for the device to read, through its (default) DMA ops. */
static dma_addr_t map_to_device(struct pci_dev *pdev, struct page *page)
{
	dma_addr_t dma = pci_map_page(pdev, page, 0, PAGE_SIZE, PCI_DMA_TODEVICE);

	assert_false(pci_dma_mapping_error(pdev, dma));
	return dma;
}

static void expect_fault(struct iosim_iommu *iommu, struct pci_dev *pdev, unsigned long iova,
			 enum iosim_iommu_fault_reason reason)
{
	struct iosim_iommu_fault fault;

	assert_true(iosim_iommu_last_fault(iommu, &fault));
	assert_ptr_equal(fault.dev, &pdev->dev);
	assert_int_equal(fault.iova, iova);
	assert_int_equal(fault.reason, reason);
	iosim_iommu_clear_faults(iommu);
}

/* What the domain's fault handler heard. */
struct heard {
	int nr;
	struct device *dev;
	unsigned long iova;
	int flags;
};

static int fault_handler(struct iommu_domain *domain, struct device *dev, unsigned long iova,
			 int flags, void *token)
{
	struct heard *h = token;

	(void)domain;
	h->nr++;
	h->dev = dev;
	h->iova = iova;
	h->flags = flags;
	return -ENOSYS;		/* not handled: the IOMMU driver reports it */
}

/*
 * The device is the SMMU's master and has an IOMMU group of its own, yet
 * keeps the default DMA ops: its handle for a buffer is the physical
 * address, and with bypass (arm-smmu's default) its DMA reaches memory
 * untranslated.  The log says both.
 */
static void test_device_is_grouped_but_keeps_the_default_dma_ops(void **state)
{
	struct iosim_iommu *smmu;
	struct iosim_pci_dev_config cfg;
	struct iommu_group *group;
	struct pci_dev *pdev;
	struct page *page;
	unsigned char got[64];
	dma_addr_t dma;

	(void)state;
	boot();
	smmu = pcie_smmu_create(true, false);
	cfg = nvme_cfg(smmu);
	pdev = pci_create(&cfg);
	assert_ptr_equal(iosim_iommu_of_dev(&pdev->dev), smmu);
	group = iommu_group_get(&pdev->dev);
	assert_non_null(group);
	assert_int_equal(iosim_iommu_group_nr_devices(group), 1);
	assert_null(iommu_group_default_domain(group));	/* 2015's arm-smmu made none */
	assert_null(iommu_get_domain_for_dev(&pdev->dev));
	assert_int_equal(iosim_iommu_nr_groups(), 1);
	assert_false(iosim_dma_uses_iommu(&pdev->dev));
	assert_true(iosim_log_seen("0000:01:00.0: iosim: host bridge behind IOMMU pcie-smmu, but arm64 of 2015 gives PCI devices no IOMMU DMA ops"));
	assert_true(iosim_log_seen("0000:01:00.0: iosim: master of IOMMU pcie-smmu (it serves the PCI bus), in IOMMU group"));
	assert_false(iosim_log_seen("default DMA domain"));
	assert_no_warnings();

	page = pattern_page(5);
	dma = map_to_device(pdev, page);
	assert_int_equal(dma, phys_to_dma(&pdev->dev, page_to_phys(page)));
	assert_int_equal(iosim_dma_read(&pdev->dev, dma + 64, got, sizeof(got)), 0);
	assert_memory_equal(got, (unsigned char *)page_address(page) + 64, sizeof(got));
	assert_false(iosim_iommu_last_fault(smmu, &(struct iosim_iommu_fault){ 0 }));
	pci_unmap_page(pdev, dma, PAGE_SIZE, PCI_DMA_TODEVICE);
	check(pdev, smmu, NULL);

	iommu_group_put(group);
	iosim_pci_dev_destroy(pdev);
	assert_int_equal(iosim_iommu_nr_groups(), 0);
	assert_int_equal(iosim_iommu_instance_check(smmu), 0);
	iosim_iommu_destroy(smmu);
	assert_null(pci_bus_type.iommu_ops);
	__free_pages(page, 0);
	shutdown();
}

/*
 * VFIO's use of the group: an unmanaged domain for the PCI bus, the device
 * attached, buffers mapped at addresses the user chose.  The device reads
 * and writes through the mappings, with their permissions; an unmapped or
 * read-only address faults, the domain's handler hears it and nothing
 * moves; once detached, the device bypasses again.
 */
static void test_vfio_style_attach_translates_the_devices_dma(void **state)
{
	struct iosim_iommu *smmu;
	struct iosim_pci_dev_config cfg;
	struct iommu_domain *domain;
	struct heard heard = { 0 };
	struct page *src, *dst;
	struct pci_dev *pdev;
	unsigned char *got = malloc(PAGE_SIZE), *fresh = malloc(PAGE_SIZE);
	dma_addr_t dma;

	(void)state;
	boot();
	smmu = pcie_smmu_create(true, false);
	cfg = nvme_cfg(smmu);
	pdev = pci_create(&cfg);
	src = pattern_page(1);
	dst = pattern_page(2);

	domain = iommu_domain_alloc(&pci_bus_type);
	assert_non_null(domain);
	assert_ptr_equal(iosim_iommu_from_domain(domain), smmu);
	iommu_set_fault_handler(domain, fault_handler, &heard);
	assert_int_equal(iommu_attach_device(domain, &pdev->dev), 0);
	assert_ptr_equal(iommu_get_domain_for_dev(&pdev->dev), domain);
	check(pdev, smmu, domain);

	/* Attached: the physical address means nothing to the device now. */
	assert_int_equal(iosim_dma_read(&pdev->dev, page_to_phys(src), got, 16), -EFAULT);
	expect_fault(smmu, pdev, (unsigned long)page_to_phys(src), IOSIM_IOMMU_FAULT_TRANSLATION);
	assert_int_equal(heard.nr, 1);
	assert_int_equal(heard.flags, IOMMU_FAULT_READ);

	/* The source readable only, the destination writable too, one page apart. */
	assert_int_equal(iommu_map(domain, USER_IOVA, page_to_phys(src), PAGE_SIZE, IOMMU_READ), 0);
	assert_int_equal(iommu_map(domain, USER_IOVA + PAGE_SIZE, page_to_phys(dst), PAGE_SIZE,
				   IOMMU_READ | IOMMU_WRITE), 0);
	assert_int_equal(iommu_iova_to_phys(domain, USER_IOVA + 8), page_to_phys(src) + 8);
	check(pdev, smmu, domain);

	/* The device copies the source page to the destination page. */
	assert_int_equal(iosim_dma_read(&pdev->dev, USER_IOVA, got, PAGE_SIZE), 0);
	assert_true(dma_matches(got, PAGE_SIZE, 1));
	assert_int_equal(iosim_dma_write(&pdev->dev, USER_IOVA + PAGE_SIZE, got, PAGE_SIZE), 0);
	assert_true(dma_matches(page_address(dst), PAGE_SIZE, 1));

	/* A write to the read-only page faults and changes nothing. */
	dma_fill(fresh, PAGE_SIZE, 3);
	assert_int_equal(iosim_dma_write(&pdev->dev, USER_IOVA + 16, fresh, 32), -EFAULT);
	expect_fault(smmu, pdev, USER_IOVA + 16, IOSIM_IOMMU_FAULT_PERMISSION);
	assert_int_equal(heard.nr, 2);
	assert_ptr_equal(heard.dev, &pdev->dev);
	assert_int_equal(heard.iova, USER_IOVA + 16);
	assert_int_equal(heard.flags, IOMMU_FAULT_WRITE);
	assert_true(dma_matches(page_address(src), PAGE_SIZE, 1));

	/* A transfer running past the mappings moves nothing at all. */
	dma_fill(fresh, PAGE_SIZE, 4);
	assert_int_equal(iosim_dma_write(&pdev->dev, USER_IOVA + 2 * PAGE_SIZE - 8, fresh, 16),
			 -EFAULT);
	expect_fault(smmu, pdev, USER_IOVA + 2 * PAGE_SIZE, IOSIM_IOMMU_FAULT_TRANSLATION);
	assert_int_equal(heard.nr, 3);
	assert_true(dma_matches(page_address(dst), PAGE_SIZE, 1));

	/* Unmapped: gone for the device. */
	assert_int_equal(iommu_unmap(domain, USER_IOVA, PAGE_SIZE), PAGE_SIZE);
	assert_int_equal(iosim_dma_read(&pdev->dev, USER_IOVA, got, 16), -EFAULT);
	expect_fault(smmu, pdev, USER_IOVA, IOSIM_IOMMU_FAULT_TRANSLATION);
	check(pdev, smmu, domain);

	/* Detached: the device bypasses again, and the domain's mapping stays. */
	iommu_detach_device(domain, &pdev->dev);
	assert_null(iommu_get_domain_for_dev(&pdev->dev));
	dma = map_to_device(pdev, src);
	assert_int_equal(dma, phys_to_dma(&pdev->dev, page_to_phys(src)));
	assert_int_equal(iosim_dma_read(&pdev->dev, dma, got, PAGE_SIZE), 0);
	assert_true(dma_matches(got, PAGE_SIZE, 1));
	pci_unmap_page(pdev, dma, PAGE_SIZE, PCI_DMA_TODEVICE);
	assert_int_equal(iommu_iova_to_phys(domain, USER_IOVA + PAGE_SIZE), page_to_phys(dst));
	assert_int_equal(iommu_unmap(domain, USER_IOVA + PAGE_SIZE, PAGE_SIZE), PAGE_SIZE);
	check(pdev, smmu, domain);
	iommu_domain_free(domain);
	assert_no_warnings();

	iosim_pci_dev_destroy(pdev);
	iosim_iommu_destroy(smmu);
	__free_pages(src, 0);
	__free_pages(dst, 0);
	free(got);
	free(fresh);
	shutdown();
}

/*
 * Without bypass (arm-smmu's disable_bypass), an unattached PCI device's
 * DMA faults: it keeps the default ops, whose physical handles need the
 * bypass, until something attaches its group.
 */
static void test_without_bypass_dma_faults_until_the_group_is_attached(void **state)
{
	struct iosim_iommu *smmu;
	struct iosim_pci_dev_config cfg;
	struct iommu_domain *domain;
	struct iommu_group *group;
	struct pci_dev *pdev;
	struct page *page;
	unsigned char got[32];
	dma_addr_t dma;

	(void)state;
	boot();
	smmu = pcie_smmu_create(false, false);
	cfg = nvme_cfg(smmu);
	pdev = pci_create(&cfg);
	page = pattern_page(6);
	dma = map_to_device(pdev, page);
	assert_int_equal(iosim_dma_read(&pdev->dev, dma, got, sizeof(got)), -EFAULT);
	expect_fault(smmu, pdev, (unsigned long)dma, IOSIM_IOMMU_FAULT_NO_DOMAIN);

	/* VFIO attaches the whole group and maps the page 1:1. */
	domain = iommu_domain_alloc(&pci_bus_type);
	assert_non_null(domain);
	group = iommu_group_get(&pdev->dev);
	assert_non_null(group);
	assert_int_equal(iommu_attach_group(domain, group), 0);
	assert_int_equal(iommu_map(domain, (unsigned long)page_to_phys(page), page_to_phys(page),
				   PAGE_SIZE, IOMMU_READ), 0);
	assert_int_equal(iosim_dma_read(&pdev->dev, page_to_phys(page), got, sizeof(got)), 0);
	assert_true(dma_matches(got, sizeof(got), 6));
	check(pdev, smmu, domain);

	/* Detached, the DMA API's handle faults again. */
	iommu_detach_group(domain, group);
	assert_int_equal(iosim_dma_read(&pdev->dev, dma, got, sizeof(got)), -EFAULT);
	expect_fault(smmu, pdev, (unsigned long)dma, IOSIM_IOMMU_FAULT_NO_DOMAIN);
	pci_unmap_page(pdev, dma, PAGE_SIZE, PCI_DMA_TODEVICE);
	iommu_group_put(group);
	assert_int_equal(iommu_unmap(domain, (unsigned long)page_to_phys(page), PAGE_SIZE),
			 PAGE_SIZE);
	iommu_domain_free(domain);
	iosim_pci_dev_destroy(pdev);
	iosim_iommu_destroy(smmu);
	__free_pages(page, 0);
	shutdown();
}

/*
 * An SMMU driver that makes DMA domains (as later ones did) gives the group
 * a default DMA domain and attaches the device to it at once; the device's
 * default DMA ops still hand out physical addresses, which that domain does
 * not map.  The log warns, and the device's DMA faults as it would have.
 */
static void test_a_default_dma_domain_is_warned_about(void **state)
{
	struct iosim_iommu *smmu;
	struct iosim_pci_dev_config cfg;
	struct iommu_domain *domain;
	struct pci_dev *pdev;
	struct page *page;
	unsigned char got[32];
	dma_addr_t dma;

	(void)state;
	boot();
	smmu = pcie_smmu_create(true, true);
	cfg = nvme_cfg(smmu);
	pdev = pci_create(&cfg);
	domain = iommu_get_domain_for_dev(&pdev->dev);
	assert_non_null(domain);
	assert_int_equal(domain->type, IOMMU_DOMAIN_DMA);
	assert_false(iosim_dma_uses_iommu(&pdev->dev));
	assert_true(iosim_log_seen("0000:01:00.0: iosim: IOMMU group"));
	assert_true(iosim_log_seen("has a default DMA domain, but the device's DMA ops give physical addresses"));

	page = pattern_page(7);
	dma = map_to_device(pdev, page);
	assert_int_equal(dma, phys_to_dma(&pdev->dev, page_to_phys(page)));
	assert_int_equal(iosim_dma_read(&pdev->dev, dma, got, sizeof(got)), -EFAULT);
	expect_fault(smmu, pdev, (unsigned long)dma, IOSIM_IOMMU_FAULT_TRANSLATION);
	pci_unmap_page(pdev, dma, PAGE_SIZE, PCI_DMA_TODEVICE);
	check(pdev, smmu, domain);

	iosim_pci_dev_destroy(pdev);	/* the group and its default domain go with it */
	assert_int_equal(iosim_iommu_nr_groups(), 0);
	assert_int_equal(iosim_iommu_instance_check(smmu), 0);
	iosim_iommu_destroy(smmu);
	__free_pages(page, 0);
	shutdown();
}

/*
 * Teardown in either order.  A device removed while attached to a VFIO
 * domain leaves the group, and the domain (with its mapping) stays the
 * user's to unmap and free.  An SMMU destroyed under a live PCI device lets
 * it go: no master, no group, and its DMA goes straight to memory.
 */
static void test_teardown_in_either_order_leaves_nothing_behind(void **state)
{
	struct iosim_iommu *smmu;
	struct iosim_pci_dev_config cfg;
	struct iommu_domain *domain;
	struct pci_dev *pdev;
	struct page *page;
	unsigned char got[32];
	dma_addr_t dma;

	(void)state;
	boot();
	page = pattern_page(8);

	/* The device first, while attached. */
	smmu = pcie_smmu_create(false, false);
	cfg = nvme_cfg(smmu);
	pdev = pci_create(&cfg);
	domain = iommu_domain_alloc(&pci_bus_type);
	assert_non_null(domain);
	assert_int_equal(iommu_attach_device(domain, &pdev->dev), 0);
	assert_int_equal(iommu_map(domain, USER_IOVA, page_to_phys(page), PAGE_SIZE,
				   IOMMU_READ | IOMMU_WRITE), 0);
	iosim_pci_dev_destroy(pdev);
	assert_int_equal(iosim_iommu_nr_groups(), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
	assert_int_equal(iosim_iommu_domain_check(domain), 0);
	assert_int_equal(iommu_iova_to_phys(domain, USER_IOVA), page_to_phys(page));
	assert_int_equal(iommu_unmap(domain, USER_IOVA, PAGE_SIZE), PAGE_SIZE);
	iommu_domain_free(domain);
	assert_int_equal(iosim_iommu_instance_check(smmu), 0);
	assert_no_warnings();

	/* The SMMU first, under a live device. */
	pdev = pci_create(&cfg);
	assert_non_null(pdev->dev.iommu_group);
	iosim_iommu_destroy(smmu);
	assert_null(pci_bus_type.iommu_ops);
	assert_null(iosim_iommu_of_dev(&pdev->dev));
	assert_null(pdev->dev.iommu_group);
	assert_int_equal(iosim_iommu_nr_groups(), 0);
	dma = map_to_device(pdev, page);
	assert_int_equal(iosim_dma_read(&pdev->dev, dma, got, sizeof(got)), 0);
	assert_true(dma_matches(got, sizeof(got), 8));
	pci_unmap_page(pdev, dma, PAGE_SIZE, PCI_DMA_TODEVICE);
	assert_int_equal(iosim_pci_dev_check(pdev), 0);
	iosim_pci_dev_destroy(pdev);
	assert_no_warnings();
	__free_pages(page, 0);
	shutdown();
}

/*
 * Every allocation of creating a grouped device failed in turn.  A creation
 * that fails leaves no device, master or group; one whose group could not
 * be made (the IOMMU driver's add_device failed, which the kernel only
 * logs) leaves a consistent master without a group, which the log says;
 * the sweep ends with a creation that saw no failure, grouped.
 */
static void test_creation_failure_sweep_leaves_nothing_behind(void **state)
{
	struct iosim_iommu *smmu;
	struct iosim_pci_dev_config cfg;
	unsigned long n, nr_null = 0, nr_ungrouped = 0;
	struct pci_dev *pdev;
	bool clean = false;

	(void)state;
	boot();
	smmu = pcie_smmu_create(true, false);
	cfg = nvme_cfg(smmu);
	for (n = 1; !clean && n < 200; n++) {
		iosim_log_reset();
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		pdev = iosim_pci_dev_create(&cfg);
		clean = iosim_fault_injected() == 0;
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, 0);
		if (!pdev) {
			assert_false(clean);
			nr_null++;
			assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
			assert_int_equal(iosim_iommu_nr_groups(), 0);
			assert_int_equal(iosim_iommu_instance_check(smmu), 0);
			assert_int_equal(iosim_bus_check(&pci_bus_type), 0);
			continue;
		}
		check(pdev, smmu, NULL);
		assert_ptr_equal(iosim_iommu_of_dev(&pdev->dev), smmu);
		if (clean)
			assert_non_null(pdev->dev.iommu_group);
		if (!pdev->dev.iommu_group) {
			nr_ungrouped++;
			assert_true(iosim_log_seen("iosim: master of IOMMU pcie-smmu, but in no IOMMU group"));
		}
		iosim_pci_dev_destroy(pdev);
		assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
		assert_int_equal(iosim_iommu_nr_groups(), 0);
		assert_int_equal(iosim_iommu_instance_check(smmu), 0);
	}
	assert_true(clean);
	assert_true(nr_null >= 4);	/* the allocation, the name, the master, the add */
	assert_true(nr_ungrouped >= 1);	/* the group's allocation */
	iosim_log_reset();
	iosim_iommu_destroy(smmu);
	shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_is_grouped_but_keeps_the_default_dma_ops),
		cmocka_unit_test(test_vfio_style_attach_translates_the_devices_dma),
		cmocka_unit_test(test_without_bypass_dma_faults_until_the_group_is_attached),
		cmocka_unit_test(test_a_default_dma_domain_is_warned_about),
		cmocka_unit_test(test_teardown_in_either_order_leaves_nothing_behind),
		cmocka_unit_test(test_creation_failure_sweep_leaves_nothing_behind),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
