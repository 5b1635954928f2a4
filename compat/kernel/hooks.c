// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* The simulation's cross-layer hooks (<iosim/hooks.h>): NULL until installed. */
#include <linux/kernel.h>
#include <iosim/hooks.h>

void (*iosim_dma_access_hook)(struct device *dev, dma_addr_t addr, size_t len, bool is_write);
void (*iosim_cache_lost_write_hook)(struct device *dev, phys_addr_t phys, size_t len);
