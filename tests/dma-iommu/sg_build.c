// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "glue_fixture.h"
#include "sg_build.h"

#include <linux/dma-mapping.h>
#include <linux/mm.h>

void sg_build(struct sg_built *b, const struct sg_spec *spec, int nents, unsigned int seed)
{
	struct scatterlist *s;
	int i;

	assert_in_range(nents, 1, SG_BUILD_MAX);
	memset(b, 0, sizeof(*b));
	b->nents = nents;
	assert_int_equal(sg_alloc_table(&b->table, nents, GFP_KERNEL), 0);
	for_each_sg(b->table.sgl, s, nents, i) {
		assert_true(spec[i].offset + (u64)spec[i].length <= PAGE_SIZE << spec[i].order);
		b->blocks[i] = alloc_pages(GFP_KERNEL, spec[i].order);
		assert_non_null(b->blocks[i]);
		b->orders[i] = spec[i].order;
		sg_set_page(s, b->blocks[i], spec[i].length, spec[i].offset);
		glue_fill(page_address(b->blocks[i]), PAGE_SIZE << spec[i].order, seed + i);
		b->page_link[i] = s->page_link;
		b->offset[i] = s->offset;
		b->length[i] = s->length;
		sg_dma_address(s) = 0x5a5a5a5a;
		sg_dma_len(s) = 0x5a5a;
	}
}

void sg_assert_untouched(struct sg_built *b)
{
	struct scatterlist *s;
	int i;

	for_each_sg(b->table.sgl, s, b->nents, i) {
		assert_int_equal(s->page_link, b->page_link[i]);
		assert_int_equal(s->offset, b->offset[i]);
		assert_int_equal(s->length, b->length[i]);
	}
}

void sg_assert_invalidated(struct sg_built *b)
{
	struct scatterlist *s;
	int i;

	for_each_sg(b->table.sgl, s, b->nents, i) {
		assert_true(sg_dma_address(s) == DMA_ERROR_CODE);
		assert_int_equal(sg_dma_len(s), 0);
	}
}

void sg_release(struct sg_built *b)
{
	int i;

	for (i = 0; i < b->nents; i++)
		__free_pages(b->blocks[i], b->orders[i]);
	sg_free_table(&b->table);
}
