// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sim_dma.c - every DMA API call the CLI makes, as a driver makes it, with
 * its count, size and cost recorded in the run's statistics, the live
 * mapping counts kept, and the IOVA space sampled as the run goes.
 */
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <iosim/bus_master.h>

#include "sim.h"

static void sim_done(struct sim_system *sys, struct sim_dev *d, enum sim_op op, bool ok,
		     uint64_t bytes, uint64_t t0)
{
	sim_stats_op(sys->stats, op, ok, bytes, sim_now_ns() - t0);
	if ((sys->stats->ops_total & 63) == 0) {
		sim_stats_sample(sys, false);
		sim_stats_iommu_peak(sys);
	}
}

/* A call that makes a mapping or buffer of @bytes returned (@ok: it did). */
static void sim_made(struct sim_system *sys, struct sim_dev *d, enum sim_op op, bool ok,
		     uint64_t bytes, uint64_t t0)
{
	sim_done(sys, d, op, ok, bytes, t0);
	if (ok) {
		sim_stats_live(sys->stats, d, 1, (int64_t)bytes);
		sim_stats_size(sys->stats, bytes);
	}
}

/* A call that releases a live mapping or buffer of @bytes returned. */
static void sim_released(struct sim_system *sys, struct sim_dev *d, enum sim_op op,
			 uint64_t bytes, uint64_t t0)
{
	sim_stats_live(sys->stats, d, -1, -(int64_t)bytes);
	sim_done(sys, d, op, true, bytes, t0);
}

/** sim_mapping_failed - dma_mapping_error() of @handle for @d's device. */
bool sim_mapping_failed(struct sim_dev *d, uint64_t handle)
{
	return dma_mapping_error(d->dev, (dma_addr_t)handle) != 0;
}

/** sim_map_single - dma_map_single(); Return: the handle (test with sim_mapping_failed()). */
uint64_t sim_map_single(struct sim_system *sys, struct sim_dev *d, void *ptr, size_t size, int dir)
{
	uint64_t t0 = sim_now_ns();
	dma_addr_t h = dma_map_single(d->dev, ptr, size, (enum dma_data_direction)dir);
	bool ok = !dma_mapping_error(d->dev, h);

	sim_made(sys, d, SIM_OP_MAP_SINGLE, ok, size, t0);
	return h;
}

/** sim_unmap_single - dma_unmap_single() of a handle sim_map_single() gave. */
void sim_unmap_single(struct sim_system *sys, struct sim_dev *d, uint64_t handle, size_t size,
		      int dir)
{
	uint64_t t0 = sim_now_ns();

	dma_unmap_single(d->dev, (dma_addr_t)handle, size, (enum dma_data_direction)dir);
	sim_released(sys, d, SIM_OP_UNMAP_SINGLE, size, t0);
}

/**
 * sim_map_page_attrs - map part of a page as a 2015 driver would with attributes
 * @sys: the system
 * @d: the device
 * @page: the first page
 * @offset: byte offset from it
 * @size: bytes
 * @dir: direction
 * @attrs: NULL: dma_map_page(); else dma_map_single_attrs() of the range's
 *	linear-map address with @attrs (the kernel of 2015 has no
 *	dma_map_page_attrs(); simulated RAM is all in the linear map)
 *
 * Counted as map_page or map_single.  Undo it with sim_unmap_page_attrs()
 * with @single set as @attrs was non-NULL here (DMA-API debugging tells the
 * two functions apart).
 *
 * Context: process context.
 * Return: the handle (test it with sim_mapping_failed()).
 */
uint64_t sim_map_page_attrs(struct sim_system *sys, struct sim_dev *d, struct page *page,
			    size_t offset, size_t size, int dir, struct dma_attrs *attrs)
{
	uint64_t t0 = sim_now_ns();
	dma_addr_t h;
	bool ok;

	if (attrs)
		h = dma_map_single_attrs(d->dev, (char *)page_address(page) + offset, size,
					 (enum dma_data_direction)dir, attrs);
	else
		h = dma_map_page(d->dev, page, offset, size, (enum dma_data_direction)dir);
	ok = !dma_mapping_error(d->dev, h);
	sim_made(sys, d, attrs ? SIM_OP_MAP_SINGLE : SIM_OP_MAP_PAGE, ok, size, t0);
	return h;
}

/** sim_map_page - dma_map_page(); Return: the handle. */
uint64_t sim_map_page(struct sim_system *sys, struct sim_dev *d, struct page *page,
		      size_t offset, size_t size, int dir)
{
	return sim_map_page_attrs(sys, d, page, offset, size, dir, NULL);
}

/**
 * sim_unmap_page_attrs - undo sim_map_page_attrs(), as the driver's unmap says
 * @sys: the system
 * @d: the device
 * @handle: the handle it gave
 * @size: the size the unmap passes (may differ from the mapping's: a driver bug
 *	DMA-API debugging reports)
 * @dir: the direction the unmap passes
 * @single: the mapping was made with attributes: dma_unmap_single_attrs()
 *	with @attrs; else dma_unmap_page() (@attrs ignored)
 * @attrs: the unmap's attributes, or NULL
 * @live: bytes the mapping holds, released from the live counts
 *
 * Context: process context.
 */
void sim_unmap_page_attrs(struct sim_system *sys, struct sim_dev *d, uint64_t handle,
			  size_t size, int dir, bool single, struct dma_attrs *attrs, uint64_t live)
{
	uint64_t t0 = sim_now_ns();

	if (single)
		dma_unmap_single_attrs(d->dev, (dma_addr_t)handle, size,
				       (enum dma_data_direction)dir, attrs);
	else
		dma_unmap_page(d->dev, (dma_addr_t)handle, size, (enum dma_data_direction)dir);
	sim_stats_live(sys->stats, d, -1, -(int64_t)live);
	sim_done(sys, d, single ? SIM_OP_UNMAP_SINGLE : SIM_OP_UNMAP_PAGE, true, size, t0);
}

/** sim_unmap_page - dma_unmap_page() of a handle sim_map_page() gave. */
void sim_unmap_page(struct sim_system *sys, struct sim_dev *d, uint64_t handle, size_t size,
		    int dir)
{
	sim_unmap_page_attrs(sys, d, handle, size, dir, false, NULL, size);
}

static uint64_t sim_sg_bytes(struct scatterlist *sgl, int nents)
{
	struct scatterlist *s;
	uint64_t bytes = 0;
	int i;

	for_each_sg(sgl, s, nents, i)
		bytes += s->length;
	return bytes;
}

/** sim_map_sg_attrs - dma_map_sg_attrs() (@attrs may be NULL); Return: DMA segments, 0 on failure. */
int sim_map_sg_attrs(struct sim_system *sys, struct sim_dev *d, struct scatterlist *sgl,
		     int nents, int dir, struct dma_attrs *attrs)
{
	uint64_t bytes = sim_sg_bytes(sgl, nents), t0 = sim_now_ns();
	int count = dma_map_sg_attrs(d->dev, sgl, nents, (enum dma_data_direction)dir, attrs);

	sim_made(sys, d, SIM_OP_MAP_SG, count > 0, bytes, t0);
	return count;
}

/** sim_map_sg - dma_map_sg(); Return: DMA segments, 0 on failure. */
int sim_map_sg(struct sim_system *sys, struct sim_dev *d, struct scatterlist *sgl, int nents,
	       int dir)
{
	return sim_map_sg_attrs(sys, d, sgl, nents, dir, NULL);
}

/**
 * sim_unmap_sg_attrs - dma_unmap_sg_attrs() of a list sim_map_sg_attrs()
 * mapped (@nents as given to it; @dir and @attrs as the unmap passes them).
 */
void sim_unmap_sg_attrs(struct sim_system *sys, struct sim_dev *d, struct scatterlist *sgl,
			int nents, int dir, struct dma_attrs *attrs)
{
	uint64_t bytes = sim_sg_bytes(sgl, nents), t0 = sim_now_ns();

	dma_unmap_sg_attrs(d->dev, sgl, nents, (enum dma_data_direction)dir, attrs);
	sim_released(sys, d, SIM_OP_UNMAP_SG, bytes, t0);
}

/** sim_unmap_sg - dma_unmap_sg() of a list sim_map_sg() mapped (@nents as given to it). */
void sim_unmap_sg(struct sim_system *sys, struct sim_dev *d, struct scatterlist *sgl, int nents,
		  int dir)
{
	sim_unmap_sg_attrs(sys, d, sgl, nents, dir, NULL);
}

/** sim_sync_single - dma_sync_single_for_cpu() or _for_device(). */
void sim_sync_single(struct sim_system *sys, struct sim_dev *d, uint64_t handle, size_t size,
		     int dir, bool for_cpu)
{
	uint64_t t0 = sim_now_ns();

	if (for_cpu)
		dma_sync_single_for_cpu(d->dev, (dma_addr_t)handle, size,
					(enum dma_data_direction)dir);
	else
		dma_sync_single_for_device(d->dev, (dma_addr_t)handle, size,
					   (enum dma_data_direction)dir);
	sim_done(sys, d, for_cpu ? SIM_OP_SYNC_SINGLE_FOR_CPU : SIM_OP_SYNC_SINGLE_FOR_DEVICE,
		 true, size, t0);
}

/** sim_sync_sg - dma_sync_sg_for_cpu() or _for_device() (@nents as given to dma_map_sg()). */
void sim_sync_sg(struct sim_system *sys, struct sim_dev *d, struct scatterlist *sgl, int nents,
		 int dir, bool for_cpu)
{
	uint64_t bytes = sim_sg_bytes(sgl, nents), t0 = sim_now_ns();

	if (for_cpu)
		dma_sync_sg_for_cpu(d->dev, sgl, nents, (enum dma_data_direction)dir);
	else
		dma_sync_sg_for_device(d->dev, sgl, nents, (enum dma_data_direction)dir);
	sim_done(sys, d, for_cpu ? SIM_OP_SYNC_SG_FOR_CPU : SIM_OP_SYNC_SG_FOR_DEVICE, true,
		 bytes, t0);
}

/**
 * sim_alloc_attrs - dma_alloc_attrs(@size, GFP_KERNEL, @attrs) (@attrs may be
 * NULL: dma_alloc_coherent()); Return: CPU address or NULL.
 */
void *sim_alloc_attrs(struct sim_system *sys, struct sim_dev *d, size_t size, uint64_t *handle,
		      struct dma_attrs *attrs)
{
	uint64_t t0 = sim_now_ns();
	dma_addr_t h = 0;
	void *cpu = dma_alloc_attrs(d->dev, size, &h, GFP_KERNEL, attrs);

	sim_made(sys, d, SIM_OP_ALLOC_COHERENT, cpu != NULL, size, t0);
	*handle = h;
	return cpu;
}

/** sim_alloc_coherent - dma_alloc_coherent(@size, GFP_KERNEL); Return: CPU address or NULL. */
void *sim_alloc_coherent(struct sim_system *sys, struct sim_dev *d, size_t size,
			 uint64_t *handle)
{
	return sim_alloc_attrs(sys, d, size, handle, NULL);
}

/**
 * sim_free_attrs - dma_free_attrs() of what sim_alloc_attrs() gave
 * @sys: the system
 * @d: the device
 * @size: the size the free passes
 * @cpu_addr: the CPU address the allocation gave
 * @handle: the handle it gave
 * @attrs: the free's attributes, or NULL
 * @live: bytes the buffer holds, released from the live counts
 *
 * Context: process context.
 */
void sim_free_attrs(struct sim_system *sys, struct sim_dev *d, size_t size, void *cpu_addr,
		    uint64_t handle, struct dma_attrs *attrs, uint64_t live)
{
	uint64_t t0 = sim_now_ns();

	dma_free_attrs(d->dev, size, cpu_addr, (dma_addr_t)handle, attrs);
	sim_stats_live(sys->stats, d, -1, -(int64_t)live);
	sim_done(sys, d, SIM_OP_FREE_COHERENT, true, size, t0);
}

/** sim_free_coherent - dma_free_coherent() of what sim_alloc_coherent() gave. */
void sim_free_coherent(struct sim_system *sys, struct sim_dev *d, size_t size, void *cpu_addr,
		       uint64_t handle)
{
	sim_free_attrs(sys, d, size, cpu_addr, handle, NULL, size);
}

/**
 * sim_handle_in_live_iova - does a live IOVA allocation of @d's DMA domain
 * hold @handle?
 * @d: the device
 * @handle: a DMA address
 *
 * A stale handle the simulation has since given to another buffer lies in
 * that buffer's allocation, where the glue's unmap or sync would act on the
 * live buffer (its allocation may be larger than what the buffer asked for:
 * a whole granule).  Asked of the domain's allocator, as the kernel's own
 * code would (find_iova() on the domain's cookie).
 *
 * Context: process context.
 * Return: true if an allocation holds @handle; false for a device without
 * an IOMMU DMA domain or a handle no allocation holds.
 */
bool sim_handle_in_live_iova(struct sim_dev *d, uint64_t handle)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(d->dev);
	struct iova_domain *iovad = domain ? domain->dma_api_cookie : NULL;

	return iovad && find_iova(iovad, iova_pfn(iovad, (dma_addr_t)handle));
}

/**
 * sim_release_stale - a driver's second unmap (@cpu_addr NULL) or
 * dma_free_attrs() of a buffer already released: made, timed and counted
 * as an operation, but not as a live mapping going away (none does).  The
 * unmap is dma_unmap_single_attrs() with @attrs when @single (the buffer was
 * mapped with attributes), else dma_unmap_page(); the free passes @attrs.
 */
void sim_release_stale(struct sim_system *sys, struct sim_dev *d, uint64_t handle, size_t size,
		       int dir, void *cpu_addr, bool single, struct dma_attrs *attrs)
{
	uint64_t t0 = sim_now_ns();

	if (cpu_addr) {
		dma_free_attrs(d->dev, size, cpu_addr, (dma_addr_t)handle, attrs);
		sim_done(sys, d, SIM_OP_FREE_COHERENT, true, size, t0);
	} else if (single) {
		dma_unmap_single_attrs(d->dev, (dma_addr_t)handle, size,
				       (enum dma_data_direction)dir, attrs);
		sim_done(sys, d, SIM_OP_UNMAP_SINGLE, true, size, t0);
	} else {
		dma_unmap_page(d->dev, (dma_addr_t)handle, size, (enum dma_data_direction)dir);
		sim_done(sys, d, SIM_OP_UNMAP_PAGE, true, size, t0);
	}
}

/** sim_mmap_coherent - dma_mmap_coherent() into @vma; Return: its result. */
int sim_mmap_coherent(struct sim_system *sys, struct sim_dev *d, struct vm_area_struct *vma,
		      void *cpu_addr, uint64_t handle, size_t size)
{
	uint64_t t0 = sim_now_ns();
	int ret = dma_mmap_coherent(d->dev, vma, cpu_addr, (dma_addr_t)handle, size);

	sim_done(sys, d, SIM_OP_MMAP_COHERENT, ret == 0, size, t0);
	return ret;
}

/**
 * sim_device_rw - the device reads or writes @len bytes at bus address @addr
 * (the simulated bus master: through the IOMMU's tables and the cache model)
 * Return: 0, or -EFAULT when the access faulted (recorded by the IOMMU).
 */
int sim_device_rw(struct sim_system *sys, struct sim_dev *d, uint64_t addr, void *buf,
		  size_t len, bool write)
{
	uint64_t t0 = sim_now_ns();
	int ret = write ? iosim_dma_write(d->dev, (dma_addr_t)addr, buf, len)
			: iosim_dma_read(d->dev, (dma_addr_t)addr, buf, len);

	sim_done(sys, d, write ? SIM_OP_DEVICE_WRITE : SIM_OP_DEVICE_READ, ret == 0, len, t0);
	return ret;
}
