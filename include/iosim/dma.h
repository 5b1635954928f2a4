/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/dma.h> - bringing up the simulated arm64 DMA layer and its devices.
 *
 * A program (or test) that uses the generic DMA API creates simulated RAM
 * (<iosim/ram.h>), then calls iosim_dma_system_init(): this installs arm64's
 * default (direct) DMA ops and runs the kernel's initcalls of the linked DMA
 * layer (the atomic pool; IOMMU DMA set-up notifiers on the platform and
 * AMBA buses).  Devices are then created as the device-tree core creates
 * them, with iosim_of_device_create(): behind an IOMMU or not, coherent or
 * not, set up with arch_setup_dma_ops() before they are added.  Everything
 * is undone by iosim_of_device_destroy() and iosim_dma_system_exit().
 */
#ifndef _IOSIM_DMA_H
#define _IOSIM_DMA_H

#include <linux/types.h>
#include <iosim/device.h>

struct device;
struct iosim_iommu;

/**
 * iosim_dma_system_init - boot the DMA layer
 *
 * Creates the swiotlb bounce pool when RAM has a ZONE_DMA (below 4 GiB) and
 * installs arm64's default ops as dma_ops (unless something else already
 * did): swiotlb's when the pool exists (buffers a device cannot reach are
 * bounced, docs/swiotlb.md), else the direct ops (such buffers fail).  Then
 * runs the registered initcalls (iosim_initcalls_run()).
 *
 * Context: process context, after iosim_ram_init(), once until
 * iosim_dma_system_exit().
 * Return: 0; -EBUSY (WARN) if already up; -ENODEV without simulated RAM.
 * An initcall that fails is logged and the rest still run, as at boot; its
 * part of the layer is then unavailable (e.g. no atomic pool).
 */
int iosim_dma_system_init(void);

/**
 * iosim_dma_system_exit - shut the DMA layer down
 *
 * Unregisters and frees the bus notifiers the initcalls registered, destroys
 * the atomic pool, drops the IOVA cache references the initcalls took, and
 * restores dma_ops.  Devices set up since must be torn down first.
 *
 * Context: process context, before iosim_ram_exit().
 */
void iosim_dma_system_exit(void);

/** iosim_dma_system_ready - true between iosim_dma_system_init() and _exit(). */
bool iosim_dma_system_ready(void);

/**
 * iosim_dma_set_atomic_pool_size - size of the atomic pool the next
 * iosim_dma_system_init() creates (default 256 KiB; 0: none)
 */
void iosim_dma_set_atomic_pool_size(size_t bytes);

/*
 * iosim_dma_set_cma - the kernel's "cma=" parameter ("64M", "16M@BASE",
 * "16M@BASE-LIMIT") for the default contiguous area that the next
 * iosim_dma_system_init() reserves below the end of ZONE_DMA; NULL (the
 * default): no area, as with cma=0.  -EINVAL for anything else, nothing
 * changed.  compat/drivers/dma_contiguous.c, docs/cma.md.
 */
int iosim_dma_set_cma(const char *param);

/** iosim_dma_atomic_pool_avail - bytes free in the atomic pool (0 without one). */
size_t iosim_dma_atomic_pool_avail(void);

/**
 * iosim_dma_uses_iommu - does @dev's DMA go through IOMMU DMA ops now?
 * Return: true if the device has DMA ops of its own other than arm64's
 * default (direct) ones - after a successful IOMMU set-up and attach.
 */
bool iosim_dma_uses_iommu(struct device *dev);

/**
 * iosim_iommu_dma_mapped_from - the bytes of the buffer mapped for @dev at
 * @dma_addr, from @dma_addr to the buffer's end
 * @dev: a device whose DMA goes through an IOMMU DMA domain
 * @dma_addr: a DMA address
 * @first_granule: count only if @dma_addr lies in the IOVA allocation's
 *	first granule (a handle the glue's unmap accepts)
 *
 * Our glue's (lib/dma-iommu) answer to "is [@dma_addr, @dma_addr + size)
 * inside one mapped buffer?": the arch layer asks before cache maintenance
 * on a handle it was given, so that a misused handle (inside a mapping, or
 * a size past the buffer's end) maintains nothing outside the buffer, where
 * the kernel would invalidate whatever memory lies there.  The buffer ends
 * where the caller's bytes end for iommu_dma_map_page() and
 * iommu_dma_map_sg() (its last segment's end), not at the end of the last
 * granule, which holds other memory; an iommu_dma_alloc() buffer is its
 * whole allocation.  Quiet: the glue WARNs the misuse itself.  Not provided
 * by the seed's glue.
 *
 * Context: any; reads the allocator under its lock.
 * Return: the bytes, or 0 if @dev has no initialised DMA domain, no
 * allocation holds @dma_addr, @dma_addr is at or past the buffer's end, or
 * (@first_granule) it lies further in than the allocation's first granule.
 */
size_t iosim_iommu_dma_mapped_from(struct device *dev, dma_addr_t dma_addr, bool first_granule);

/**
 * iosim_dma_master_check - sanity checker of the IOMMU DMA set-up records
 * kept by our arch_setup_dma_ops() (every record linked once, pointing back
 * from its device, attached devices really attached and using the IOMMU
 * ops).  Not provided when the seed's own set-up code is linked instead.
 * Return: 0, or -EUCLEAN after WARNing each problem.
 */
int iosim_dma_master_check(void);

/**
 * struct iosim_of_device_config - a device as a device tree describes it
 * @dev: name, bus (platform by default; amba_bustype for an AMBA device),
 *	masks and segment limits, as for iosim_device_create() (its
 *	@coherent and @no_add are ignored: see below)
 * @iommu: the IOMMU its "iommus" property names, or NULL
 * @dma_coherent: the "dma-coherent" property
 * @dma_base: start of its "dma-ranges" window (0 without one)
 * @dma_size: size of that window; 0: coherent DMA mask + 1, as
 *	of_dma_configure() of 2015 defaults to
 * @no_add: set the device up but do not add it to its bus (tests of the
 *	queued-attach path); iosim_of_device_destroy() still cleans up
 */
struct iosim_of_device_config {
	struct iosim_device_config dev;
	struct iosim_iommu *iommu;
	bool dma_coherent;
	u64 dma_base;
	u64 dma_size;
	bool no_add;
};

/**
 * iosim_of_device_create - create a device the way the OF core of 2015 does
 * @cfg: the description
 *
 * Creates the device (not yet added), makes it a master of @cfg->iommu
 * (of_xlate), calls arch_setup_dma_ops(dev, dma_base, dma_size, iommu ops,
 * dma_coherent) as of_dma_configure() does, then adds it to its bus, where
 * the IOMMU core gives it a group and the DMA layer's notifier attaches it.
 * A failed IOMMU set-up leaves it working on the default ops (check with
 * iosim_dma_uses_iommu()).
 *
 * Context: process context, between iosim_dma_system_init() and _exit().
 * Return: the device, or NULL (bad config WARNed, allocation failure) with
 * nothing left behind.
 */
struct device *iosim_of_device_create(const struct iosim_of_device_config *cfg);

/**
 * iosim_of_device_destroy - undo iosim_of_device_create()
 * @dev: the device (NULL: nothing)
 *
 * Deletes it from its bus if it was added, tears its DMA set-up down
 * (arch_teardown_dma_ops(), as of_dma_deconfigure() does), takes it from
 * behind its IOMMU and destroys it.
 *
 * Context: process context.
 */
void iosim_of_device_destroy(struct device *dev);

#endif /* _IOSIM_DMA_H */
