/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/hooks.h> - simulation only: how lower layers tell DMA-API debugging
 * (lib/dma-debug, above them) what only the simulation can see.  Each hook
 * is a function pointer, NULL (nothing called) until lib/dma-debug installs
 * it at program load.
 */
#ifndef _IOSIM_HOOKS_H
#define _IOSIM_HOOKS_H

#include <linux/types.h>

struct device;

/*
 * The bus master: @dev reads (or writes) @len bytes at bus address @addr,
 * an address the DMA API handed out (physical, or in a domain with a DMA
 * cookie); not called for the addresses of a domain the IOMMU API's user
 * attached the device to (VFIO).  Called after translation, before a byte
 * moves, whether the access faults or not.
 */
extern void (*iosim_dma_access_hook)(struct device *dev, dma_addr_t addr, size_t len,
				     bool is_write);

/*
 * The cache model: an invalidate done for @dev (the calling thread's DMA
 * context; NULL if none) discarded CPU writes to the line at @phys (@len bytes).
 */
extern void (*iosim_cache_lost_write_hook)(struct device *dev, phys_addr_t phys, size_t len);

#endif /* _IOSIM_HOOKS_H */
