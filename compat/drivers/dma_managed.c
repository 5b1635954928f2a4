// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The managed DMA API (the kernel's drivers/base/dma-mapping.c of 2015):
 * coherent and non-coherent buffers and declared coherent memory recorded
 * as managed resources (devres), so that the driver core gives them back
 * when the driver is detached or its probe fails, newest first.
 *
 * Three differences from 2015, all fixes of kernel bugs of the time:
 * dmam_free_noncoherent() WARNs when the buffer was not managed (the kernel
 * tested devres_destroy()'s result the wrong way round and WARNed when it
 * was), and dmam_declare_coherent_memory() records the region when
 * dma_declare_coherent_memory() succeeds, i.e. returns DMA_MEMORY_MAP or
 * DMA_MEMORY_IO (the kernel recorded it when that returned 0, its failure,
 * so a managed region was never released and a failed one was "released"),
 * and dmam_release_declared_memory() releases the region (the kernel only
 * forgot its record, with devres_destroy()).
 * On arm64 dma_alloc_noncoherent() always fails, so dmam_alloc_noncoherent()
 * does too.
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dma-managed.h>
#include <linux/gfp.h>

/*
 * Managed DMA API
 */
struct dma_devres {
	size_t size;
	void *vaddr;
	dma_addr_t dma_handle;
};

static void dmam_coherent_release(struct device *dev, void *res)
{
	struct dma_devres *this = res;

	dma_free_coherent(dev, this->size, this->vaddr, this->dma_handle);
}

static void dmam_noncoherent_release(struct device *dev, void *res)
{
	struct dma_devres *this = res;

	dma_free_noncoherent(dev, this->size, this->vaddr, this->dma_handle);
}

static int dmam_match(struct device *dev, void *res, void *match_data)
{
	struct dma_devres *this = res, *match = match_data;

	(void)dev;
	if (this->vaddr == match->vaddr) {
		WARN(this->size != match->size || this->dma_handle != match->dma_handle,
		     "dmam: %p was allocated with size %zu at %#llx, freed with size %zu at %#llx",
		     this->vaddr, this->size, (unsigned long long)this->dma_handle, match->size,
		     (unsigned long long)match->dma_handle);
		return 1;
	}
	return 0;
}

/**
 * dmam_alloc_coherent - Managed dma_alloc_coherent()
 * @dev: Device to allocate coherent memory for
 * @size: Size of allocation
 * @dma_handle: Out argument for allocated DMA handle
 * @gfp: Allocation flags
 *
 * Managed dma_alloc_coherent().  Memory allocated using this function
 * will be automatically released on driver detach.
 *
 * Context: as dma_alloc_coherent().
 * Return: the CPU address of the buffer, or NULL with nothing allocated
 * (the record's kmalloc, IOSIM_FAULT_SLAB, or the allocation failed).
 */
void *dmam_alloc_coherent(struct device *dev, size_t size,
			  dma_addr_t *dma_handle, gfp_t gfp)
{
	struct dma_devres *dr;
	void *vaddr;

	dr = devres_alloc(dmam_coherent_release, sizeof(*dr), gfp);
	if (!dr)
		return NULL;

	vaddr = dma_alloc_coherent(dev, size, dma_handle, gfp);
	if (!vaddr) {
		devres_free(dr);
		return NULL;
	}

	dr->vaddr = vaddr;
	dr->dma_handle = *dma_handle;
	dr->size = size;

	devres_add(dev, dr);

	return vaddr;
}

/**
 * dmam_free_coherent - Managed dma_free_coherent()
 * @dev: Device to free coherent memory for
 * @size: Size of allocation
 * @vaddr: Virtual address of the memory to free
 * @dma_handle: DMA handle of the memory to free
 *
 * Frees the buffer (as dma_free_coherent()) and forgets its record.  As in
 * the kernel the buffer is freed first: one dmam_alloc_coherent() did not
 * make is freed all the same, and the missing record WARNs.
 *
 * Context: as dma_free_coherent().
 */
void dmam_free_coherent(struct device *dev, size_t size, void *vaddr,
			dma_addr_t dma_handle)
{
	struct dma_devres match_data = { size, vaddr, dma_handle };

	dma_free_coherent(dev, size, vaddr, dma_handle);
	WARN(devres_destroy(dev, dmam_coherent_release, dmam_match, &match_data),
	     "dmam_free_coherent: %p is not a managed coherent buffer of '%s'", vaddr,
	     dev_name(dev));
}

/**
 * dmam_alloc_noncoherent - Managed dma_alloc_noncoherent()
 * @dev: Device to allocate non_coherent memory for
 * @size: Size of allocation
 * @dma_handle: Out argument for allocated DMA handle
 * @gfp: Allocation flags
 *
 * Managed dma_alloc_noncoherent().  Memory allocated using this
 * function will be automatically released on driver detach.
 *
 * Context: as dma_alloc_noncoherent().
 * Return: the CPU address, or NULL with nothing allocated (always, on arm64
 * of 2015, which has no non-coherent allocations).
 */
void *dmam_alloc_noncoherent(struct device *dev, size_t size,
			     dma_addr_t *dma_handle, gfp_t gfp)
{
	struct dma_devres *dr;
	void *vaddr;

	dr = devres_alloc(dmam_noncoherent_release, sizeof(*dr), gfp);
	if (!dr)
		return NULL;

	vaddr = dma_alloc_noncoherent(dev, size, dma_handle, gfp);
	if (!vaddr) {
		devres_free(dr);
		return NULL;
	}

	dr->vaddr = vaddr;
	dr->dma_handle = *dma_handle;
	dr->size = size;

	devres_add(dev, dr);

	return vaddr;
}

/**
 * dmam_free_noncoherent - Managed dma_free_noncoherent()
 * @dev: Device to free noncoherent memory for
 * @size: Size of allocation
 * @vaddr: Virtual address of the memory to free
 * @dma_handle: DMA handle of the memory to free
 *
 * Context: as dma_free_noncoherent().  A buffer without a record WARNs (the
 * kernel of 2015 WARNed the other way round, on success).
 */
void dmam_free_noncoherent(struct device *dev, size_t size, void *vaddr,
			   dma_addr_t dma_handle)
{
	struct dma_devres match_data = { size, vaddr, dma_handle };

	dma_free_noncoherent(dev, size, vaddr, dma_handle);
	WARN(devres_destroy(dev, dmam_noncoherent_release, dmam_match, &match_data),
	     "dmam_free_noncoherent: %p is not a managed non-coherent buffer of '%s'", vaddr,
	     dev_name(dev));
}

static void dmam_coherent_decl_release(struct device *dev, void *res)
{
	(void)res;
	dma_release_declared_memory(dev);
}

/**
 * dmam_declare_coherent_memory - Managed dma_declare_coherent_memory()
 * @dev: Device to declare coherent memory for
 * @phys_addr: Physical address of coherent memory to be declared
 * @device_addr: Device address of coherent memory to be declared
 * @size: Size of coherent memory to be declared
 * @flags: Flags
 *
 * Managed dma_declare_coherent_memory(): a region declared here is
 * released (dma_release_declared_memory()) on driver detach.
 *
 * Context: process context.
 * Return: what dma_declare_coherent_memory() returned: DMA_MEMORY_MAP or
 * DMA_MEMORY_IO on success, 0 on failure (nothing recorded); -ENOMEM if the
 * record could not be allocated (IOSIM_FAULT_SLAB; nothing declared).
 */
int dmam_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr,
				 dma_addr_t device_addr, size_t size, int flags)
{
	void *res;
	int rc;

	res = devres_alloc(dmam_coherent_decl_release, 0, GFP_KERNEL);
	if (!res)
		return -ENOMEM;

	rc = dma_declare_coherent_memory(dev, phys_addr, device_addr, size,
					 flags);
	if (rc)
		devres_add(dev, res);
	else
		devres_free(res);

	return rc;
}

/**
 * dmam_release_declared_memory - Managed dma_release_declared_memory().
 * @dev: Device to release declared coherent memory for
 *
 * Releases the region dmam_declare_coherent_memory() declared and forgets
 * its record.  (The kernel's used devres_destroy(), which forgets the record
 * without releasing the region, leaving it declared for good.)
 *
 * Context: process context.  No record WARNs and releases nothing.
 */
void dmam_release_declared_memory(struct device *dev)
{
	WARN(devres_release(dev, dmam_coherent_decl_release, NULL, NULL),
	     "dmam_release_declared_memory: '%s' has no managed declared memory", dev_name(dev));
}
