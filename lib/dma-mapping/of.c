// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Devices created the way the OF (device tree) core of 2015 creates them:
 * of_platform_device_create() allocates the device, of_dma_configure()
 * works out its DMA window and coherency, of_iommu_configure() finds the
 * IOMMU its "iommus" property names (whose of_xlate makes it a master),
 * arch_setup_dma_ops() sets its DMA up, and only then is it added to its
 * bus - where the IOMMU core's notifier gives it a group and the DMA
 * layer's notifier attaches it.
 */
#include "arm64-dma-mapping.h"

#include <iosim/dma.h>
#include <iosim/iommu.h>

struct device *iosim_of_device_create(const struct iosim_of_device_config *cfg)
{
	struct iosim_device_config dcfg;
	struct iommu_ops *ops = NULL;
	struct device *dev;
	u64 size;

	if (WARN(!cfg, "iosim_of_device_create: NULL config"))
		return NULL;
	dcfg = cfg->dev;
	dcfg.coherent = false;	/* arch_setup_dma_ops() records it, as in the kernel */
	dcfg.no_add = true;
	dev = iosim_device_create(&dcfg);
	if (!dev)
		return NULL;

	if (cfg->iommu) {
		if (iosim_iommu_add_master(cfg->iommu, dev))
			goto out_destroy;
		/* arch_setup_dma_ops() of 2015 takes the ops without const. */
		ops = (struct iommu_ops *)iosim_iommu_ops(cfg->iommu);
	}
	size = cfg->dma_size ? cfg->dma_size : dev->coherent_dma_mask + 1;
	if (!size)	/* a 64-bit mask: the whole space, less one byte */
		size = ~0ULL;
	arch_setup_dma_ops(dev, cfg->dma_base, size, ops, cfg->dma_coherent);

	if (!cfg->no_add && device_add(dev))
		goto out_teardown;
	return dev;

out_teardown:
	arch_teardown_dma_ops(dev);
	if (cfg->iommu)
		iosim_iommu_remove_master(dev);
out_destroy:
	iosim_device_destroy(dev);
	return NULL;
}

void iosim_of_device_destroy(struct device *dev)
{
	if (!dev)
		return;
	/* Compared, never read: a PCI device is iosim_pci_dev_destroy()'s to take. */
	if (WARN(iosim_device_kind(dev) != IOSIM_DEVICE_PLATFORM,
		 "iosim_of_device_destroy: %p is not a device of iosim_of_device_create()",
		 (void *)dev))
		return;
	if (device_is_registered(dev))
		device_del(dev);
	arch_teardown_dma_ops(dev);
	if (iosim_iommu_of_dev(dev))
		iosim_iommu_remove_master(dev);
	iosim_device_destroy(dev);
}
