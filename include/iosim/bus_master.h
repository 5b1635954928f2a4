/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/bus_master.h> - device-side DMA: a simulated device reading and
 * writing memory the way the hardware would, through its IOMMU.
 *
 * For a master of a simulated IOMMU (<iosim/iommu.h>) attached to a domain,
 * every address is translated (IOTLB first, then a table walk that reads the
 * descriptors from simulated memory) and checked against the mapping's
 * IOMMU_READ / IOMMU_WRITE permission.  A device without an IOMMU uses its
 * DMA address as the physical address, which must lie in simulated RAM.
 *
 * All or nothing: the whole range is translated before a byte moves, so an
 * access that faults anywhere transfers nothing at all.
 */
#ifndef _IOSIM_BUS_MASTER_H
#define _IOSIM_BUS_MASTER_H

#include <linux/types.h>

struct device;

/**
 * iosim_dma_read - device @dev reads @len bytes at bus address @addr
 * @dev: the device doing DMA
 * @addr: the bus (DMA) address: an IOVA behind an IOMMU, else physical
 * @buf: receives the data
 * @len: bytes; 0 does nothing
 *
 * A fault (no translation, a mapping without IOMMU_READ, an address beyond
 * the IOMMU's input size, an unattached master of an IOMMU that does not
 * bypass, or a translation outside RAM) is recorded in the IOMMU's fault
 * log and, when the master has a domain and the mapping exists or is
 * missing, reported with report_iommu_fault(domain, dev, iova,
 * IOMMU_FAULT_READ).
 *
 * Context: process context; may call the domain's fault handler.
 * Return: 0; -EFAULT on a fault (@buf untouched); -EINVAL (WARN) for a NULL
 * @dev or @buf, or a range that wraps around.
 */
int iosim_dma_read(struct device *dev, dma_addr_t addr, void *buf, size_t len);

/**
 * iosim_dma_write - device @dev writes @len bytes at bus address @addr
 * @dev: the device doing DMA
 * @addr: the bus (DMA) address
 * @buf: the data
 * @len: bytes; 0 does nothing
 *
 * As iosim_dma_read(), checking IOMMU_WRITE and reporting IOMMU_FAULT_WRITE.
 *
 * Context: process context; may call the domain's fault handler.
 * Return: 0; -EFAULT on a fault (memory untouched); -EINVAL (WARN) as above.
 */
int iosim_dma_write(struct device *dev, dma_addr_t addr, const void *buf, size_t len);

#endif /* _IOSIM_BUS_MASTER_H */
