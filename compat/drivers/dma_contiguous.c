// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The DMA layer's contiguous areas (<linux/dma-contiguous.h>, v4.1/v4.2 with
 * CONFIG_DMA_CMA=y) over the Contiguous Memory Allocator (<linux/cma.h>).
 *
 * The default area is reserved by dma_contiguous_reserve(), which arm64
 * calls while it lays out memory at boot and which iosim_dma_system_init()
 * calls here.  Its size, base and limit come from the kernel's "cma="
 * parameter, given to the simulation with iosim_dma_set_cma().  Deviation:
 * without the parameter the kernel reserved CONFIG_CMA_SIZE_MBYTES (16 MiB
 * on arm64); the simulation reserves nothing, as if booted with cma=0, so
 * that simulated RAM stays the buddy allocator's unless a test asks.
 */
#include <linux/cma.h>
#include <linux/dma-contiguous.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <iosim/dma.h>

struct cma *dma_contiguous_default_area;

/* The "cma=" parameter: size[@base[-limit]]; none given: no default area. */
static struct {
	bool given;
	phys_addr_t size_bytes, base_phys, limit_phys;
} cma_param;

/**
 * iosim_dma_set_cma - the kernel's "cma=" boot parameter, for the next
 * iosim_dma_system_init()
 * @param: "SIZE", "SIZE@BASE" or "SIZE@BASE-LIMIT" in memparse()'s notation
 *	("64M", "16M@0xc0000000", "32M@0-0x100000000"); SIZE@BASE fixes the
 *	area at BASE, as does SIZE@BASE-LIMIT when BASE + SIZE == LIMIT; "0"
 *	reserves nothing; NULL forgets the parameter (no default area)
 *
 * Context: process context, before iosim_dma_system_init().
 * Return: 0; -EINVAL (nothing changed) if @param is not in that form.
 */
int iosim_dma_set_cma(const char *param)
{
	phys_addr_t size, base = 0, limit = 0;
	char *p;

	if (!param) {
		cma_param.given = false;
		return 0;
	}
	size = memparse(param, &p);
	if (p == param)
		return -EINVAL;
	if (*p == '@') {
		const char *base_text = p + 1;

		base = memparse(base_text, &p);
		if (p == base_text)
			return -EINVAL;
		limit = base + size;
		if (*p == '-') {
			const char *limit_text = p + 1;

			limit = memparse(limit_text, &p);
			if (p == limit_text)
				return -EINVAL;
		}
	}
	if (*p)
		return -EINVAL;
	cma_param.given = true;
	cma_param.size_bytes = size;
	cma_param.base_phys = base;
	cma_param.limit_phys = limit;
	return 0;
}

/**
 * dma_contiguous_reserve - reserve the default contiguous area at boot
 * @addr_limit: the highest address (exclusive) the area may reach, for
 *	arm64 the end of ZONE_DMA; 0 for no limit
 *
 * Reserves what the "cma=" parameter asks for (iosim_dma_set_cma()), below
 * the lower of its limit and @addr_limit, unless a default area exists.
 * Failures are logged by the allocator, and the system goes on without one.
 *
 * Context: process context (boot).
 */
void dma_contiguous_reserve(phys_addr_t addr_limit)
{
	phys_addr_t limit = addr_limit;
	bool fixed = false;

	pr_debug("%s(limit %#llx)\n", __func__, (unsigned long long)addr_limit);
	if (!cma_param.given || !cma_param.size_bytes || dma_contiguous_default_area)
		return;
	if (cma_param.limit_phys && (!limit || cma_param.limit_phys < limit))
		limit = cma_param.limit_phys;
	if (cma_param.base_phys + cma_param.size_bytes == cma_param.limit_phys)
		fixed = true;
	pr_debug("%s: reserving %llu MiB for global area\n", __func__,
		 (unsigned long long)(cma_param.size_bytes / SZ_1M));
	dma_contiguous_reserve_area(cma_param.size_bytes, cma_param.base_phys, limit,
				    &dma_contiguous_default_area, fixed);
}

/**
 * dma_contiguous_reserve_area - reserve a contiguous area for DMA
 * @size: bytes
 * @base: where it starts (rounded up to the allocator's alignment); 0: anywhere
 * @limit: the highest address (exclusive) it may reach; 0: no limit
 * @res_cma: set to the new area on success
 * @fixed: the area must start at @base
 *
 * Context: process context (boot, or a test's set-up).
 * Return: 0, or cma_declare_contiguous()'s error.
 */
int dma_contiguous_reserve_area(phys_addr_t size, phys_addr_t base, phys_addr_t limit,
				struct cma **res_cma, bool fixed)
{
	/* arm64 needs no fix-up of the linear map for the area. */
	return cma_declare_contiguous(base, size, limit, 0, 0, fixed, res_cma);
}

/**
 * dma_alloc_from_contiguous - contiguous pages from a device's area
 * @dev: the device (its own area, else the default one); may be NULL
 * @count: pages
 * @order: wanted alignment, as a page order; capped at CONFIG_CMA_ALIGNMENT
 *
 * Context: process context (the area's mutex may sleep).
 * Return: the first of @count independent pages, or NULL (no area, no room).
 */
struct page *dma_alloc_from_contiguous(struct device *dev, size_t count, unsigned int order)
{
	if (order > CONFIG_CMA_ALIGNMENT)
		order = CONFIG_CMA_ALIGNMENT;
	if (count > UINT_MAX)
		return NULL;
	return cma_alloc(dev_get_cma_area(dev), (unsigned int)count, order);
}

/**
 * dma_release_from_contiguous - give pages back to a device's area
 * @dev: the device whose area they came from; may be NULL (the default area)
 * @pages: the first page
 * @count: pages
 *
 * Context: process context.
 * Return: true if the pages lie in the area (given back, or misuse WARNed),
 * false if they are not the area's (the caller frees them another way).
 */
bool dma_release_from_contiguous(struct device *dev, struct page *pages, int count)
{
	return cma_release(dev_get_cma_area(dev), pages, (unsigned int)count);
}
