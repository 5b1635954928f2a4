/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * asm/dma-mapping.h - arm64 of 2015 (after the seed's patch 3/3), customised
 * where the kernel would crash: a NULL device, or a device whose ops lack a
 * callback, WARNs and fails cleanly.  The global dma_ops starts NULL and is
 * set to arm64's default (direct) ops by iosim_dma_system_init()
 * (<iosim/dma.h>).  Included from <linux/dma-mapping.h> after struct
 * dma_map_ops is defined, as in the kernel.
 */
#ifndef _IOSIM_LINUX_DMA_MAPPING_H
/* Included on its own: the inline API needs <linux/dma-mapping.h>'s types first. */
#include <linux/dma-mapping.h>
#else
#ifndef _IOSIM_ASM_DMA_MAPPING_H
#define _IOSIM_ASM_DMA_MAPPING_H

#include <linux/types.h>
#include <linux/device.h>
#include <linux/bug.h>
#include <linux/acpi.h>
#include <linux/dma-debug.h>
#include <linux/dma-attrs.h>
#include <linux/dma-direction.h>
#include <linux/mm.h>
#include <asm-generic/dma-coherent.h>
#include <iosim/cache.h>

#define DMA_ERROR_CODE	(~(dma_addr_t)0)

struct dma_map_ops;
struct iommu_ops;

extern struct dma_map_ops *dma_ops;

static inline struct dma_map_ops *__generic_dma_ops(struct device *dev)
{
	if (!dev || !dev->archdata.dma_ops)
		return dma_ops;
	return dev->archdata.dma_ops;
}

static inline struct dma_map_ops *get_dma_ops(struct device *dev)
{
	return __generic_dma_ops(dev);
}

static inline void set_dma_ops(struct device *dev, struct dma_map_ops *ops)
{
	dev->archdata.dma_ops = ops;
}

void arch_setup_dma_ops(struct device *dev, u64 dma_base, u64 size,
			struct iommu_ops *iommu, bool coherent);
#define arch_setup_dma_ops	arch_setup_dma_ops

void arch_teardown_dma_ops(struct device *dev);
#define arch_teardown_dma_ops	arch_teardown_dma_ops

/* do not use this function in a driver */
static inline bool is_device_dma_coherent(struct device *dev)
{
	if (!dev)
		return false;
	return dev->archdata.dma_coherent;
}

#include <asm-generic/dma-mapping-common.h>

/* arm64 of 2015 has no DMA offset: the bus sees physical addresses. */
static inline dma_addr_t phys_to_dma(struct device *dev, phys_addr_t paddr)
{
	(void)dev;
	return (dma_addr_t)paddr;
}

static inline phys_addr_t dma_to_phys(struct device *dev, dma_addr_t dev_addr)
{
	(void)dev;
	return (phys_addr_t)dev_addr;
}

/**
 * dma_mapping_error - did a map call fail?
 * @dev: the device the address was mapped for
 * @dma_addr: what dma_map_single()/dma_map_page() returned
 *
 * Context: any.
 * Return: non-zero if @dma_addr is the ops' error value.  Without ops
 * (or without a mapping_error callback) the answer is whether @dma_addr is
 * DMA_ERROR_CODE.
 */
static inline int dma_mapping_error(struct device *dev, dma_addr_t dma_addr)
{
	struct dma_map_ops *ops = get_dma_ops(dev);

	debug_dma_mapping_error(dev, dma_addr);
	if (!ops || !ops->mapping_error)
		return dma_addr == DMA_ERROR_CODE;
	return ops->mapping_error(dev, dma_addr);
}

/**
 * dma_supported - can @dev's DMA ops address everything below @mask?
 * Return: the ops' dma_supported() answer; 1 if the device's ops (or the
 * default ops) are NULL or have no such callback.
 */
static inline int dma_supported(struct device *dev, u64 mask)
{
	struct dma_map_ops *ops = get_dma_ops(dev);

	if (!ops || !ops->dma_supported)
		return 1;
	return ops->dma_supported(dev, mask);
}

/**
 * dma_capable - can @dev reach [@addr, @addr + @size) with its DMA mask?
 * Return: false without a dma_mask (or for a NULL device).
 */
static inline bool dma_capable(struct device *dev, dma_addr_t addr, size_t size)
{
	if (!dev || !dev->dma_mask)
		return false;
	if (size && addr + size - 1 < addr)
		return false;
	return addr + size - 1 <= *dev->dma_mask;
}

static inline void dma_mark_clean(void *addr, size_t size)
{
	(void)addr;
	(void)size;
}

/**
 * dma_alloc_attrs - allocate a coherent DMA buffer
 * @dev: the device (NULL WARNs and fails: the kernel's arm64 code WARNs too)
 * @size: bytes
 * @dma_handle: receives the device's address of the buffer
 * @flags: GFP flags; without __GFP_WAIT the allocation must not sleep
 *	(arm64 then uses its atomic pool or a physically contiguous block)
 * @attrs: DMA_ATTR_* or NULL
 *
 * The device's declared coherent memory (dma_declare_coherent_memory())
 * is tried first, then the device's ops.  As in 2015, only what the ops
 * allocate is tracked by DMA-API debugging: an allocation from the
 * declared region does not reach debug_dma_alloc_coherent().
 *
 * Context: process context; atomic context without __GFP_WAIT.
 * Return: the CPU address, or NULL with nothing allocated.
 */
static inline void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle,
				    gfp_t flags, struct dma_attrs *attrs)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;
	void *cpu_addr;

	if (WARN(!dma_handle, "dma_alloc_attrs: NULL dma_handle"))
		return NULL;
	/* As arm64's of 2015: declared memory first, before any debugging hook. */
	if (dev && dma_alloc_from_coherent(dev, size, dma_handle, &cpu_addr))
		return cpu_addr;
	if (WARN(!ops || !ops->alloc, "dma_alloc_attrs: device %s has no DMA ops with alloc",
		 dev_name(dev)))
		return NULL;
	prev = iosim_cache_context(dev);
	cpu_addr = ops->alloc(dev, size, dma_handle, flags, attrs);
	iosim_cache_context(prev);
	if (cpu_addr)
		debug_dma_alloc_coherent(dev, size, *dma_handle, cpu_addr);
	return cpu_addr;
}

/**
 * dma_free_attrs - free what dma_alloc_attrs() returned
 * @dev: the device it was allocated for
 * @size: the size it was allocated with
 * @cpu_addr: the CPU address it returned
 * @dma_handle: the device address it returned
 * @attrs: the attributes it was given
 *
 * As arm64's of 2015: a buffer of the device's declared region goes back to
 * it without reaching DMA-API debugging; anything else is checked by
 * debug_dma_free_coherent() and freed by the ops.  A NULL @cpu_addr is
 * checked too (DMA-API debugging reports freeing memory not allocated when
 * @dma_handle is no allocation), but where the kernel's ops would then free
 * the pages behind a stale @dma_handle, it WARNs and frees nothing.
 *
 * Context: process context.
 */
static inline void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr,
				  dma_addr_t dma_handle, struct dma_attrs *attrs)
{
	struct dma_map_ops *ops = get_dma_ops(dev);
	struct device *prev;

	if (dev && dma_release_from_coherent(dev, get_order(size), cpu_addr))
		return;
	debug_dma_free_coherent(dev, size, cpu_addr, dma_handle);
	if (WARN(!cpu_addr, "dma_free_attrs: device %s: NULL CPU address for DMA address %#llx; nothing freed",
		 dev_name(dev), (unsigned long long)dma_handle))
		return;
	if (WARN(!ops || !ops->free, "dma_free_attrs: device %s has no DMA ops with free",
		 dev_name(dev)))
		return;
	prev = iosim_cache_context(dev);
	ops->free(dev, size, cpu_addr, dma_handle, attrs);
	iosim_cache_context(prev);
}

#define dma_alloc_coherent(d, s, h, f)	dma_alloc_attrs(d, s, h, f, NULL)
#define dma_free_coherent(d, s, c, h)	dma_free_attrs(d, s, c, h, NULL)

/* There is no dma_cache_sync() on arm64 of 2015: non-coherent allocations fail. */
static inline void *dma_alloc_noncoherent(struct device *dev, size_t size,
					  dma_addr_t *dma_handle, gfp_t flags)
{
	(void)dev, (void)size, (void)dma_handle, (void)flags;
	return NULL;
}

static inline void dma_free_noncoherent(struct device *dev, size_t size,
					void *cpu_addr, dma_addr_t dma_handle)
{
	(void)dev, (void)size, (void)cpu_addr, (void)dma_handle;
}

/* Call sites for DMA-API debugging (see <asm-generic/dma-mapping-common.h>). */
#define dma_mapping_error(...)	__IOSIM_DMA_SITE(dma_mapping_error(__VA_ARGS__))
#define dma_alloc_attrs(...)	__IOSIM_DMA_SITE(dma_alloc_attrs(__VA_ARGS__))
#define dma_free_attrs(...)	__IOSIM_DMA_SITE(dma_free_attrs(__VA_ARGS__))

#endif /* _IOSIM_ASM_DMA_MAPPING_H */
#endif /* _IOSIM_LINUX_DMA_MAPPING_H */
