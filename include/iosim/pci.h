/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/pci.h> - creating simulated PCI devices (docs/pci.md).
 *
 * A simulated PCI device is made the way the PCI core of 2015 adds a device
 * it found: pci_device_add() points its DMA mask and parameters at the
 * pci_dev's own storage and calls pci_dma_configure(), which hands the
 * device-tree description of the host bridge to of_dma_configure().  On
 * arm64 of 2015 that never gave a PCI device IOMMU DMA ops, even behind an
 * IOMMU: of_iommu_configure() gave up at once for PCI devices, not knowing
 * how their requester IDs reach the IOMMU.  The device therefore uses the
 * default (swiotlb/direct) ops, with the host bridge's coherency; the
 * simulation logs a note saying so when the host bridge is described as
 * behind one.  The IOMMU driver could still group the device: arm-smmu of
 * 2015 served the PCI bus too, for VFIO.  When the host bridge's IOMMU is
 * the PCI bus's (an instance created with .bus = &pci_bus_type), the device
 * becomes its master and gets an IOMMU group at device_add(), which
 * iommu_attach_device() can attach to an unmanaged domain.
 */
#ifndef _IOSIM_PCI_H
#define _IOSIM_PCI_H

#include <linux/pci.h>

struct iosim_iommu;

/**
 * struct iosim_pci_dev_config - a PCI device and its host bridge
 * @bus_number: the number of the bus it sits on
 * @devfn: PCI_DEVFN(slot, function); below 256
 * @vendor: vendor ID
 * @device: device ID
 * @subsystem_vendor: subsystem vendor ID
 * @subsystem_device: subsystem ID
 * @class: 24 bits: base class, sub-class, programming interface
 * @revision: revision ID
 * @dma_mask: streaming DMA mask; 0: DMA_BIT_MASK(32), as pci_setup_device()
 * @coherent_dma_mask: 0: DMA_BIT_MASK(32), as pci_device_add()
 * @max_segment_size: 0: 64 KiB, as pci_device_add()
 * @segment_boundary_mask: 2^n - 1; 0: DMA_BIT_MASK(32), as pci_device_add()
 * @iommu: the IOMMU the host bridge sits behind (its "iommus" property), or
 *	NULL; never the device's DMA ops on arm64 of 2015 (see above); if the
 *	PCI bus carries this instance's ops, the device is its master and in
 *	an IOMMU group, for iommu_attach_device()
 * @dma_coherent: the host bridge's "dma-coherent" property
 * @dma_base: start of the host bridge's "dma-ranges" window (0 without one)
 * @dma_size: size of that window; 0: coherent DMA mask + 1, as
 *	of_dma_configure() of 2015 defaults to
 */
struct iosim_pci_dev_config {
	u8 bus_number;
	unsigned int devfn;
	u16 vendor;
	u16 device;
	u16 subsystem_vendor;
	u16 subsystem_device;
	u32 class;
	u8 revision;
	u64 dma_mask;
	u64 coherent_dma_mask;
	unsigned int max_segment_size;
	unsigned long segment_boundary_mask;
	struct iosim_iommu *iommu;
	bool dma_coherent;
	u64 dma_base;
	u64 dma_size;
};

/**
 * iosim_pci_dev_create - add a simulated PCI device, as the PCI core does
 * @cfg: the device and its host bridge
 *
 * Allocates the pci_dev with its own struct pci_bus, fills in what its
 * configuration header would say, names it "0000:<bus>:<slot>.<fn>",
 * points dev.dma_mask and dev.dma_parms at its storage, sets it up with
 * arch_setup_dma_ops() (no IOMMU ops, the host bridge's coherency and DMA
 * window), sets its segment limits, adds it to pci_bus_type (which sends
 * BUS_NOTIFY_ADD_DEVICE) and only then offers it to PCI drivers, as
 * pci_bus_add_device() does: a matching driver is probed before this
 * returns.  The allocation, the naming and device_add() are fault-injection
 * points (IOSIM_FAULT_SLAB).
 *
 * Context: process context, between iosim_dma_system_init() and _exit().
 * Return: the device, holding the creator's reference and counted as
 * IOSIM_OBJ_DEVICE; NULL on an allocation or injected failure, with nothing
 * left behind; NULL after a WARN for a bad config (NULL, a devfn above
 * 0xff, a class above 24 bits, a boundary mask not 2^n - 1) or a bus
 * number and devfn a live simulated PCI device already has.
 */
struct pci_dev *iosim_pci_dev_create(const struct iosim_pci_dev_config *cfg);

/**
 * iosim_pci_dev_destroy - remove a simulated PCI device
 * @pdev: a device from iosim_pci_dev_create(), or NULL (nothing done)
 *
 * As pci_stop_and_remove_bus_device(): releases its driver (remove() runs)
 * and deletes it from the bus (an IOMMU master leaves its group, is
 * detached from any domain, and stops being a master), tears its DMA set-up
 * down, then drops the creator's reference; the memory goes with the last
 * reference.
 *
 * Context: process context; not from a notifier callback of the PCI bus.
 * A pointer that is not a live simulated PCI device (never made, already
 * destroyed, or another creator's device) WARNs and is left alone, without
 * being dereferenced.
 */
void iosim_pci_dev_destroy(struct pci_dev *pdev);

/**
 * iosim_pci_dev_check - sanity checker of a PCI device (compat/drivers/pci.c)
 * @pdev: any PCI device, simulated or caller-made
 *
 * On the PCI bus with a struct pci_bus; named after its bus number and
 * devfn; dev.dma_mask and dev.dma_parms point into the pci_dev; a driver
 * bound through the bus is dev.driver, and dev.driver is a PCI bus driver;
 * the enable count is not negative; is_added only when added; and
 * iosim_device_check() of its device.
 *
 * Return: 0, or -EUCLEAN after a WARN naming the first problem.
 */
int iosim_pci_dev_check(struct pci_dev *pdev);

#endif /* _IOSIM_PCI_H */
