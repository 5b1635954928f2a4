// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * arm64's global DMA state of 2015: dma_ops, the ops of every device
 * without archdata.dma_ops, and acpi_disabled.  dma_ops is NULL until the
 * DMA API layer (lib/dma-mapping, iosim_dma_system_init()) installs arm64's
 * default (direct) ops; while NULL, dma_supported() accepts every mask and
 * the generic DMA API refuses to map (WARN).  Also the generic
 * dma_get_required_mask() of drivers/base/platform.c.
 */
#include <linux/kernel.h>
#include <linux/acpi.h>
#include <linux/bitops.h>
#include <linux/irqflags.h>
#include <linux/dma-mapping.h>
#include <iosim/ram.h>

struct dma_map_ops *dma_ops;

/* The simulation boots from a device tree, never from ACPI tables. */
int acpi_disabled = 1;

/* max_pfn: one past the last page frame of RAM (0 without RAM). */
static unsigned long ram_max_pfn(void)
{
	unsigned int nr = iosim_ram_nr_banks();
	phys_addr_t base;
	u64 size;

	if (!nr || iosim_ram_bank(nr - 1, &base, &size))
		return 0;
	return (unsigned long)((base + size) >> PAGE_SHIFT);
}

/* The 2^n - 1 mask just covering @x (x != 0): the kernel's 1 << (fls(x) - 1), doubled, - 1. */
static u32 cover_mask(u32 x)
{
	u32 top = (u32)1 << (fls((int)x) - 1);

	return top + (top - 1);
}

u64 dma_get_required_mask(struct device *dev)
{
	unsigned long last_pfn = ram_max_pfn() - 1;
	u32 low_totalram = (u32)(last_pfn << PAGE_SHIFT);
	u32 high_totalram = (u32)(last_pfn >> (32 - PAGE_SHIFT));

	(void)dev;
	if (!high_totalram)
		return low_totalram ? cover_mask(low_totalram) : 0;
	return ((u64)cover_mask(high_totalram) << 32) + 0xffffffff;
}
