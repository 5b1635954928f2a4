// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The managed DMA API of Linux v4.1/v4.2 (dmam_*): coherent and
 * non-coherent buffers and declared coherent memory that a device gives
 * back by itself when its driver is detached, built on devres
 * (compat/drivers/devres.c).  Written for this library; see
 * docs/devres-dmapool.md, which also lists where we part from 2015 on
 * purpose.
 *
 * Each buffer is remembered by a small devres record (struct dmam_buf)
 * naming the buffer; the record's release function frees the buffer.
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dma-managed.h>

/* What a managed buffer needs to be freed again. */
struct dmam_buf {
	void *cpu;
	dma_addr_t dma;
	size_t size;
};

/* Identifies a buffer by its two addresses (the size is the caller's business). */
static int dmam_buf_is(struct device *dev, void *res, void *match_data)
{
	const struct dmam_buf *have = res, *want = match_data;

	(void)dev;
	return have->cpu == want->cpu && have->dma == want->dma;
}

static void dmam_coherent_give_back(struct device *dev, void *res)
{
	struct dmam_buf *b = res;

	dma_free_coherent(dev, b->size, b->cpu, b->dma);
}

static void dmam_noncoherent_give_back(struct device *dev, void *res)
{
	struct dmam_buf *b = res;

	dma_free_noncoherent(dev, b->size, b->cpu, b->dma);
}

/*
 * Finish a managed allocation: keep record @b for the buffer at @cpu (its
 * device address in *@dma_handle) and return @cpu; if the allocation
 * failed (@cpu NULL), drop the record and return NULL.
 */
static void *dmam_keep(struct device *dev, struct dmam_buf *b, void *cpu,
		       const dma_addr_t *dma_handle, size_t size)
{
	if (!cpu) {
		devres_free(b);
		return NULL;
	}
	b->cpu = cpu;
	b->dma = *dma_handle;
	b->size = size;
	devres_add(dev, b);
	return cpu;
}

/**
 * dmam_alloc_coherent - a coherent DMA buffer the device frees on driver detach
 * @dev: the device the buffer is for
 * @size: bytes wanted
 * @dma_handle: set to the address the device uses
 * @gfp: allocation flags, as for dma_alloc_coherent()
 *
 * Otherwise exactly dma_alloc_coherent(); dmam_free_coherent() frees the
 * buffer earlier.
 *
 * Context: as dma_alloc_coherent().
 * Return: the CPU address, or NULL with nothing allocated.
 */
void *dmam_alloc_coherent(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp)
{
	struct dmam_buf *b;
	void *cpu;

	b = devres_alloc(dmam_coherent_give_back, sizeof(*b), gfp);
	if (!b)
		return NULL;
	cpu = dma_alloc_coherent(dev, size, dma_handle, gfp);
	return dmam_keep(dev, b, cpu, dma_handle, size);
}

/**
 * dmam_free_coherent - free a dmam_alloc_coherent() buffer now
 * @dev: the device
 * @size: its size
 * @vaddr: its CPU address
 * @dma_handle: its device address
 *
 * The buffer is freed first and its record looked for afterwards, as in
 * 2015, so a buffer from plain dma_alloc_coherent() is freed as well, with
 * a WARN.
 *
 * Context: as dma_free_coherent().
 */
void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle)
{
	struct dmam_buf want = { .cpu = vaddr, .dma = dma_handle, .size = size };

	dma_free_coherent(dev, size, vaddr, dma_handle);
	WARN(devres_destroy(dev, dmam_coherent_give_back, dmam_buf_is, &want),
	     "dmam_free_coherent: %p of '%s' was not allocated with dmam_alloc_coherent()",
	     vaddr, dev_name(dev));
}

/**
 * dmam_alloc_noncoherent - a non-coherent DMA buffer the device frees on
 * driver detach
 * @dev: the device the buffer is for
 * @size: bytes wanted
 * @dma_handle: set to the address the device uses
 * @gfp: allocation flags
 *
 * arm64 of 2015 had no non-coherent allocations, so this always fails.
 *
 * Context: as dma_alloc_noncoherent().
 * Return: the CPU address, or NULL with nothing allocated.
 */
void *dmam_alloc_noncoherent(struct device *dev, size_t size, dma_addr_t *dma_handle,
			     gfp_t gfp)
{
	struct dmam_buf *b;
	void *cpu;

	b = devres_alloc(dmam_noncoherent_give_back, sizeof(*b), gfp);
	if (!b)
		return NULL;
	cpu = dma_alloc_noncoherent(dev, size, dma_handle, gfp);
	return dmam_keep(dev, b, cpu, dma_handle, size);
}

/**
 * dmam_free_noncoherent - free a dmam_alloc_noncoherent() buffer now
 * @dev: the device
 * @size: its size
 * @vaddr: its CPU address
 * @dma_handle: its device address
 *
 * Freed first, then its record dropped; a buffer without one WARNs (2015
 * had the test the wrong way round).
 *
 * Context: as dma_free_noncoherent().
 */
void dmam_free_noncoherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle)
{
	struct dmam_buf want = { .cpu = vaddr, .dma = dma_handle, .size = size };

	dma_free_noncoherent(dev, size, vaddr, dma_handle);
	WARN(devres_destroy(dev, dmam_noncoherent_give_back, dmam_buf_is, &want),
	     "dmam_free_noncoherent: %p of '%s' was not allocated with dmam_alloc_noncoherent()",
	     vaddr, dev_name(dev));
}

static void dmam_declared_give_back(struct device *dev, void *res)
{
	(void)res;
	dma_release_declared_memory(dev);
}

/**
 * dmam_declare_coherent_memory - dma_declare_coherent_memory() undone on
 * driver detach
 * @dev: the device
 * @phys_addr: CPU physical address of the region
 * @device_addr: the address the device sees it at
 * @size: its size in bytes
 * @flags: DMA_MEMORY_* flags
 *
 * The region is remembered only when the declaration succeeds (2015 did it
 * the other way round).
 *
 * Context: process context.
 * Return: what dma_declare_coherent_memory() returned (DMA_MEMORY_MAP or
 * DMA_MEMORY_IO on success, 0 on failure), or -ENOMEM when there is no
 * memory for the record (nothing is then declared).
 */
int dmam_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr,
				 dma_addr_t device_addr, size_t size, int flags)
{
	void *record;
	int ret;

	record = devres_alloc(dmam_declared_give_back, 0, GFP_KERNEL);
	if (!record)
		return -ENOMEM;
	ret = dma_declare_coherent_memory(dev, phys_addr, device_addr, size, flags);
	if (!ret)
		goto drop_record;
	devres_add(dev, record);
	return ret;

drop_record:
	devres_free(record);
	return ret;
}

/**
 * dmam_release_declared_memory - undo dmam_declare_coherent_memory() now
 * @dev: the device
 *
 * The region is released (2015 only forgot the record).  A device without
 * a managed declaration WARNs and is left alone.
 *
 * Context: process context.
 */
void dmam_release_declared_memory(struct device *dev)
{
	WARN(devres_release(dev, dmam_declared_give_back, NULL, NULL),
	     "dmam_release_declared_memory: '%s' has no managed declared memory",
	     dev_name(dev));
}
