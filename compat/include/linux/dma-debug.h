/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/dma-debug.h - faithful: the kernel's DMA-API debugging hooks of 2015
 * (include/linux/dma-debug.h with CONFIG_DMA_API_DEBUG=y), same names and
 * arguments, implemented in lib/dma-debug (on by default; control and
 * queries in <iosim/dma_debug.h>, report kinds in docs/dma-debug.md).  The
 * generic DMA API (<linux/dma-mapping.h>) calls them where v4.1's
 * asm-generic/dma-mapping-common.h and arm64's asm/dma-mapping.h do: the
 * map, alloc and sync hooks after the operation (the map hooks ignore a
 * failed one), debug_dma_unmap_page() after ops->unmap_page() too, but
 * debug_dma_unmap_sg() and debug_dma_free_coherent() before ops->unmap_sg()
 * and ops->free(); debug_dma_mapping_error() from dma_mapping_error(),
 * before ops->mapping_error().
 *
 * Simulation extensions: iosim_dma_debug_site() records the driver's file and
 * line of the DMA API call in progress (the kernel passes
 * __builtin_return_address(0) instead); <linux/dma-mapping.h> calls it through
 * a macro around each entry point, and the hooks read it back with
 * iosim_dma_debug_site_get().  dma_map_single() should also pass its CPU
 * pointer to iosim_dma_debug_map_single() before virt_to_page() (stack,
 * program text or rodata, vmalloc and non-RAM checks: the page alone cannot
 * tell them).
 */
#ifndef _IOSIM_LINUX_DMA_DEBUG_H
#define _IOSIM_LINUX_DMA_DEBUG_H

#include <linux/types.h>

struct device;
struct scatterlist;
struct bus_type;
struct page;

extern void dma_debug_add_bus(struct bus_type *bus);
extern void dma_debug_init(u32 num_entries);
extern int dma_debug_resize_entries(u32 num_entries);

extern void debug_dma_map_page(struct device *dev, struct page *page, size_t offset,
			       size_t size, int direction, dma_addr_t dma_addr, bool map_single);
extern void debug_dma_mapping_error(struct device *dev, dma_addr_t dma_addr);
extern void debug_dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size,
				 int direction, bool map_single);
extern void debug_dma_map_sg(struct device *dev, struct scatterlist *sg, int nents,
			     int mapped_ents, int direction);
extern void debug_dma_unmap_sg(struct device *dev, struct scatterlist *sglist, int nelems,
			       int dir);
extern void debug_dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t dma_addr,
				     void *virt);
extern void debug_dma_free_coherent(struct device *dev, size_t size, void *virt,
				    dma_addr_t addr);
extern void debug_dma_sync_single_for_cpu(struct device *dev, dma_addr_t dma_handle,
					  size_t size, int direction);
extern void debug_dma_sync_single_for_device(struct device *dev, dma_addr_t dma_handle,
					     size_t size, int direction);
extern void debug_dma_sync_single_range_for_cpu(struct device *dev, dma_addr_t dma_handle,
						unsigned long offset, size_t size,
						int direction);
extern void debug_dma_sync_single_range_for_device(struct device *dev, dma_addr_t dma_handle,
						   unsigned long offset, size_t size,
						   int direction);
extern void debug_dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nelems,
				      int direction);
extern void debug_dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg,
					 int nelems, int direction);
extern void debug_dma_dump_mappings(struct device *dev);
extern void debug_dma_assert_idle(struct page *page);

/* Simulation: the call site of the DMA API call in progress (see above). */
void iosim_dma_debug_site(const char *file, int line);
void iosim_dma_debug_site_get(const char **file, int *line);

/*
 * Simulation: the checks dma_map_single() makes on its CPU pointer before
 * virt_to_page() (stack, program text or rodata, vmalloc, outside RAM);
 * false if it is not DMA-able.
 */
bool iosim_dma_debug_map_single(struct device *dev, const void *ptr, size_t size);

#endif /* _IOSIM_LINUX_DMA_DEBUG_H */
