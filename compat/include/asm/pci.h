/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * asm/pci.h - faithful subset of arm64's of 2015: PCI_DMA_BUS_IS_PHYS and the
 * pci_* DMA wrappers of <asm-generic/pci-dma-compat.h>.  The I/O and
 * memory window minima and the bus-numbering flags are left out (there is
 * no resource assignment).  <linux/pci.h> includes this near its end;
 * included first, this header brings <linux/pci.h> in, which includes it.
 */
#ifndef _IOSIM_LINUX_PCI_H
#include <linux/pci.h>
#elif !defined(_IOSIM_ASM_PCI_H)
#define _IOSIM_ASM_PCI_H

#include <linux/types.h>
#include <linux/dma-mapping.h>
#include <asm/byteorder.h>	/* arm64's <asm/io.h> (not simulated) brought it in */
#include <asm-generic/pci-dma-compat.h>

/* PCI bus addresses are not CPU physical addresses: ask the DMA API. */
#define PCI_DMA_BUS_IS_PHYS	(0)

#endif /* _IOSIM_ASM_PCI_H */
