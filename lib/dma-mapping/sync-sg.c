// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Cache maintenance of a mapped scatterlist, shared by arm64's default and
 * IOMMU ops: it works on the entries' CPU addresses, which no mapping
 * changes, so both kinds of ops do exactly the same here.
 */
#include "arm64-dma-mapping.h"

/**
 * arm64_sync_sg_for_cpu - give a mapped list's memory back to the CPU
 * @dev: the device (nothing to do if it is cache-coherent)
 * @list: the list
 * @nents: the number of entries passed to dma_map_sg(), as the seed's
 *	review settled.  A caller passing the number of DMA segments
 *	dma_map_sg() returned gets only that many leading entries
 *	synchronised, and reads stale data from the rest.
 * @direction: the mapping's direction
 *
 * Context: any.
 */
void arm64_sync_sg_for_cpu(struct device *dev, struct scatterlist *list, int nents,
			   enum dma_data_direction direction)
{
	struct scatterlist *sg;
	int i;

	if (arm64_dma_no_cpu_sync(dev, NULL))
		return;
	for_each_sg(list, sg, nents, i)
		__dma_unmap_area(sg_virt(sg), sg->length, direction);
}

/**
 * arm64_sync_sg_for_device - give a mapped list's memory to the device
 * @dev, @list, @nents, @direction: as arm64_sync_sg_for_cpu() (same @nents rule)
 *
 * Context: any.
 */
void arm64_sync_sg_for_device(struct device *dev, struct scatterlist *list, int nents,
			      enum dma_data_direction direction)
{
	struct scatterlist *sg;
	int i;

	if (arm64_dma_no_cpu_sync(dev, NULL))
		return;
	for_each_sg(list, sg, nents, i)
		__dma_map_area(sg_virt(sg), sg->length, direction);
}
