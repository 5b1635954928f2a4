/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * lib/dma-mapping private interfaces - what the rest of arm64's
 * arch/arm64/mm/dma-mapping.c (2015) gives the code the seed's patches 2/3
 * and 3/3 append to it.
 *
 * In the kernel these helpers are static functions of that one file; here
 * the file is split by concept (prot.c, pool.c, direct.c) and the IOMMU part
 * (ours in iommu-ops.c + setup.c, or the seed's own, extracted at build time)
 * is a separate object, so they are global with their kernel names.  The
 * seed's code is compiled with this header included first, standing for the
 * top of the file it was written into.
 */
#ifndef _IOSIM_LIB_DMA_MAPPING_ARM64_H
#define _IOSIM_LIB_DMA_MAPPING_ARM64_H

#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/export.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <linux/genalloc.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dma-contiguous.h>
#include <linux/iommu.h>
#include <linux/acpi.h>
#include <asm/cacheflush.h>
#include <asm/pgtable.h>

/* Private to the layer: not part of the installed library's API. */
#define __dma_mapping_hidden	__attribute__((__visibility__("hidden")))

/*
 * arm64_dma_no_cpu_sync - does a map/unmap of @dev need no cache maintenance?
 * True for a cache-coherent device, or when the caller asked for
 * DMA_ATTR_SKIP_CPU_SYNC (NULL @attrs: no attributes).
 */
static inline bool arm64_dma_no_cpu_sync(struct device *dev, struct dma_attrs *attrs)
{
	return is_device_dma_coherent(dev) || dma_get_attr(DMA_ATTR_SKIP_CPU_SYNC, attrs);
}

/* arm64's default atomic pool size of 2015 (the coherent_pool= parameter). */
#define DEFAULT_DMA_COHERENT_POOL_SIZE	SZ_256K

/*
 * __get_dma_pgprot - the CPU memory type for a coherent buffer's mappings:
 * @prot itself for a coherent device, write-combine (Normal non-cacheable)
 * for a non-coherent one or when @attrs asks for DMA_ATTR_WRITE_COMBINE.
 */
__dma_mapping_hidden pgprot_t __get_dma_pgprot(struct dma_attrs *attrs, pgprot_t prot, bool coherent);

/* iosim_dma_user_prot - give @vma the memory type of @dev's coherent buffers. */
void iosim_dma_user_prot(struct device *dev, struct vm_area_struct *vma, struct dma_attrs *attrs);

/*
 * The atomic pool (pool.c): non-cacheable memory set aside at boot so that
 * non-coherent devices can get coherent buffers in atomic context.
 *
 * __alloc_from_pool - @size bytes, zeroed, from the pool; *@ret_page is the
 *	first page.  Returns the pool's (non-cacheable) CPU address or NULL.
 * __free_from_pool - give back what __alloc_from_pool() returned; returns 1
 *	if [@start, @start + @size) was in the pool (and is now free), else 0.
 * __in_atomic_pool - 1 if [@start, @start + @size) lies in the pool.
 */
__dma_mapping_hidden void *__alloc_from_pool(size_t size, struct page **ret_page, gfp_t flags);
__dma_mapping_hidden int __free_from_pool(void *start, size_t size);
__dma_mapping_hidden bool __in_atomic_pool(void *start, size_t size);

/* pool.c: create / destroy the pool (the arch initcall and system exit). */
__dma_mapping_hidden int atomic_pool_init(void);
void iosim_atomic_pool_exit(void);

/*
 * contiguous.c: physically contiguous buffers as independent pages, from
 * @dev's contiguous area when it has one and @gfp may sleep, else from the
 * buddy allocator; freed to where they came from.
 */
struct page *iosim_dma_contiguous_alloc(struct device *dev, gfp_t gfp, size_t size);
void iosim_dma_contiguous_free(struct device *dev, struct page *page, size_t size);

/*
 * contiguous.c: map @size bytes of the contiguous buffer starting at @page
 * into @vma from page vma->vm_pgoff on.  0; -ENXIO if the VMA does not fit
 * the buffer; vm_insert_page()'s error.
 */
int iosim_dma_mmap_contiguous(struct vm_area_struct *vma, struct page *page, size_t size);

/* sync-sg.c: the scatterlist sync ops of both kinds of ops (CPU addresses). */
__dma_mapping_hidden void arm64_sync_sg_for_cpu(struct device *dev, struct scatterlist *sgl,
						int nelems, enum dma_data_direction dir);
__dma_mapping_hidden void arm64_sync_sg_for_device(struct device *dev, struct scatterlist *sgl,
						   int nelems, enum dma_data_direction dir);

/*
 * direct.c: physically contiguous coherent buffers, as the direct and the
 * swiotlb ops allocate them: the first page behind @cpu/@dma_handle (NULL
 * with a WARN naming @what if they do not belong together), the release of
 * their CPU alias on free, and the mmap and get_sgtable callbacks.
 */
__dma_mapping_hidden struct page *arm64_coherent_page(struct device *dev, void *cpu,
						      dma_addr_t dma_handle, size_t size,
						      const char *what);
__dma_mapping_hidden int arm64_coherent_drop_alias(struct device *dev, void *cpu, size_t size);
__dma_mapping_hidden int arm64_coherent_mmap(struct device *dev, struct vm_area_struct *vma,
					     void *cpu, dma_addr_t dma_addr, size_t size,
					     struct dma_attrs *attrs);
__dma_mapping_hidden int arm64_coherent_get_sgtable(struct device *dev, struct sg_table *sgt,
						    void *cpu, dma_addr_t dma_addr, size_t size,
						    struct dma_attrs *attrs);

/* direct.c: arm64's default ops for devices without an IOMMU. */
extern __dma_mapping_hidden struct dma_map_ops arm64_direct_dma_ops;

#endif /* _IOSIM_LIB_DMA_MAPPING_ARM64_H */
