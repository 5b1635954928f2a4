/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* Building scatterlists over simulated pages for the glue tests. */
#ifndef SG_BUILD_H
#define SG_BUILD_H

#include <linux/scatterlist.h>

#define SG_BUILD_MAX	512

/* One entry to build: a fresh 2^order block, with offset/length inside it. */
struct sg_spec {
	unsigned int order;
	unsigned int offset;
	unsigned int length;
};

struct sg_built {
	struct sg_table table;
	int nents;
	struct page *blocks[SG_BUILD_MAX];
	unsigned int orders[SG_BUILD_MAX];
	/* What the caller set, to prove map_sg left it alone. */
	unsigned long page_link[SG_BUILD_MAX];
	unsigned int offset[SG_BUILD_MAX];
	unsigned int length[SG_BUILD_MAX];
};

/* Allocate blocks, build the table (chained beyond one page of entries), fill bytes. */
void sg_build(struct sg_built *b, const struct sg_spec *spec, int nents, unsigned int seed);

/* Assert every entry's page/offset/length is what sg_build() set. */
void sg_assert_untouched(struct sg_built *b);

/* Assert every entry has dma_address DMA_ERROR_CODE and dma_len 0. */
void sg_assert_invalidated(struct sg_built *b);

void sg_release(struct sg_built *b);

#endif /* SG_BUILD_H */
