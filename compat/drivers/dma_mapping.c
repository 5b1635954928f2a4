// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * arm64's global DMA state of 2015: dma_ops, the ops of every device
 * without archdata.dma_ops, and acpi_disabled.  dma_ops is NULL until the
 * DMA API layer (lib/dma-mapping, iosim_dma_system_init()) installs arm64's
 * default (direct) ops; while NULL, dma_supported() accepts every mask and
 * the generic DMA API refuses to map (WARN).
 */
#include <linux/kernel.h>
#include <linux/acpi.h>
#include <asm/dma-mapping.h>

struct dma_map_ops *dma_ops;

/* The simulation boots from a device tree, never from ACPI tables. */
int acpi_disabled = 1;
