// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * STUB: the DMA-API debugging hooks, empty until lib/dma-debug implements
 * them (the generic DMA API already calls each one).  Only the call-site
 * record works.
 */
#include <linux/kernel.h>
#include <linux/dma-debug.h>

static _Thread_local const char *site_file;
static _Thread_local int site_line;

void iosim_dma_debug_site(const char *file, int line)
{
	site_file = file;
	site_line = line;
}

void iosim_dma_debug_site_get(const char **file, int *line)
{
	*file = site_file;
	*line = site_line;
}

void dma_debug_add_bus(struct bus_type *bus) { }
void dma_debug_init(u32 num_entries) { }
int dma_debug_resize_entries(u32 num_entries) { return 0; }
void debug_dma_map_page(struct device *dev, struct page *page, size_t offset, size_t size,
			int direction, dma_addr_t dma_addr, bool map_single) { }
void debug_dma_mapping_error(struct device *dev, dma_addr_t dma_addr) { }
void debug_dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size, int direction,
			  bool map_single) { }
void debug_dma_map_sg(struct device *dev, struct scatterlist *sg, int nents, int mapped_ents,
		      int direction) { }
void debug_dma_unmap_sg(struct device *dev, struct scatterlist *sglist, int nelems, int dir) { }
void debug_dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t dma_addr,
			      void *virt) { }
void debug_dma_free_coherent(struct device *dev, size_t size, void *virt, dma_addr_t addr) { }
void debug_dma_sync_single_for_cpu(struct device *dev, dma_addr_t dma_handle, size_t size,
				   int direction) { }
void debug_dma_sync_single_for_device(struct device *dev, dma_addr_t dma_handle, size_t size,
				      int direction) { }
void debug_dma_sync_single_range_for_cpu(struct device *dev, dma_addr_t dma_handle,
					 unsigned long offset, size_t size, int direction) { }
void debug_dma_sync_single_range_for_device(struct device *dev, dma_addr_t dma_handle,
					    unsigned long offset, size_t size, int direction) { }
void debug_dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nelems,
			       int direction) { }
void debug_dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg, int nelems,
				  int direction) { }
void debug_dma_dump_mappings(struct device *dev) { }
void debug_dma_assert_idle(struct page *page) { }
