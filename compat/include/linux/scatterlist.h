/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/scatterlist.h - faithful re-implementation of the kernel's
 * scatterlist library (lib/scatterlist.c of 2015, plus the later
 * segment-limited sg_alloc_table_from_pages_segment()).
 *
 * page_link holds the page pointer with two low bits: 0x01 marks a chain
 * entry (page_link points to the next scatterlist array), 0x02 marks the
 * last entry.  CONFIG_NEED_SG_DMA_LENGTH is set, so dma_length is separate
 * from length, as on arm64.
 */
#ifndef _IOSIM_LINUX_SCATTERLIST_H
#define _IOSIM_LINUX_SCATTERLIST_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/mm.h>

struct scatterlist {
	unsigned long page_link;
	unsigned int offset;
	unsigned int length;
	dma_addr_t dma_address;
	unsigned int dma_length;
};

struct sg_table {
	struct scatterlist *sgl;	/* the list */
	unsigned int nents;		/* number of mapped entries */
	unsigned int orig_nents;	/* original size of list */
};

#define sg_dma_address(sg)	((sg)->dma_address)
#define sg_dma_len(sg)		((sg)->dma_length)

/* The rest of the API is declared by the scatterlist library below. */
#include <linux/scatterlist_api.h>

#endif /* _IOSIM_LINUX_SCATTERLIST_H */
