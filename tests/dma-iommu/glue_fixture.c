// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "glue_fixture.h"

#include <stdlib.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <iosim/bus_master.h>
#include <iosim/cache.h>
#include <iosim/device.h>
#include <iosim/iova.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>

void glue_setup(struct glue *g, const struct glue_config *cfg)
{
	struct iosim_ram_config ram = {
		.base_phys = cfg->ram_base ? cfg->ram_base : IOSIM_RAM_DEFAULT_BASE_PHYS,
		.size_bytes = cfg->ram_size ? cfg->ram_size : IOSIM_RAM_DEFAULT_SIZE,
	};
	struct iosim_iommu_config icfg = {
		.name = "glue-iommu",
		.ias_bits = 48,
		.oas_bits = 48,
	};
	struct iosim_device_config dcfg = { .name = "glue-dev" };

	memset(g, 0, sizeof(*g));
	g->cfg = *cfg;
	if (!g->cfg.granule)
		g->cfg.granule = SZ_4K;
	if (!g->cfg.dma_size)
		g->cfg.dma_size = SZ_4G;
	if (!g->cfg.dma_mask)
		g->cfg.dma_mask = DMA_BIT_MASK(64);
	if (!g->cfg.max_seg)
		g->cfg.max_seg = SZ_64K;
	if (!g->cfg.boundary)
		g->cfg.boundary = DMA_BIT_MASK(32);

	iosim_log_set_console_level(0);
	/* The glue alone: cache maintenance is its caller's (the arch layer's). */
	assert_int_equal(iosim_cache_set_enabled(false), 0);
	assert_int_equal(iosim_ram_init(&ram), 0);
	assert_int_equal(iommu_dma_init(), 0);

	g->bus.name = "glue-bus";
	assert_int_equal(bus_register(&g->bus), 0);
	icfg.granule = g->cfg.granule;
	icfg.bus = &g->bus;
	g->iommu = iosim_iommu_create(&icfg);
	assert_non_null(g->iommu);

	dcfg.bus = &g->bus;
	dcfg.dma_mask = g->cfg.dma_mask;
	dcfg.coherent = g->cfg.coherent;
	dcfg.max_segment_size = g->cfg.max_seg;
	dcfg.segment_boundary_mask = g->cfg.boundary;
	dcfg.no_add = true;
	g->dev = iosim_device_create(&dcfg);
	assert_non_null(g->dev);
	assert_int_equal(iosim_iommu_add_master(g->iommu, g->dev), 0);
	assert_int_equal(device_add(g->dev), 0);

	g->domain = iommu_domain_alloc(&g->bus);
	assert_non_null(g->domain);
	assert_int_equal(iommu_get_dma_cookie(g->domain), 0);
	assert_int_equal(iommu_dma_init_domain(g->domain, g->cfg.dma_base, g->cfg.dma_size), 0);
	assert_int_equal(iommu_attach_device(g->domain, g->dev), 0);
	assert_ptr_equal(iommu_get_domain_for_dev(g->dev), g->domain);
	g->iovad = g->domain->dma_api_cookie;
}

unsigned long glue_live_ranges(struct glue *g)
{
	struct iosim_iova_stats st;

	iosim_iova_get_stats(g->iovad, &st);
	return st.nr_ranges;
}

long glue_pages_but_spare_tables(struct glue *g)
{
	struct iosim_iommu_stats st;

	assert_int_equal(iosim_iommu_domain_stats(g->domain, &st), 0);
	assert_true(st.spare_tables <= IOSIM_IOMMU_MAX_SPARE_TABLES);
	return iosim_live(IOSIM_OBJ_PAGE) - (long)(st.spare_table_bytes >> PAGE_SHIFT);
}

void glue_assert_idle(struct glue *g)
{
	struct iosim_iommu_stats st;

	assert_int_equal(iosim_iova_check(g->iovad), 0);
	assert_int_equal(glue_live_ranges(g), 0);
	assert_int_equal(iosim_iommu_domain_check(g->domain), 0);
	assert_int_equal(iosim_iommu_domain_stats(g->domain, &st), 0);
	assert_int_equal(st.mapped_bytes, 0);
}

void glue_teardown(struct glue *g)
{
	glue_assert_idle(g);
	iommu_detach_device(g->domain, g->dev);
	iommu_put_dma_cookie(g->domain);
	iommu_domain_free(g->domain);
	iosim_iommu_remove_master(g->dev);
	device_del(g->dev);
	iosim_device_destroy(g->dev);
	iosim_iommu_destroy(g->iommu);
	bus_unregister(&g->bus);
	iova_cache_put();
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_exit(), 0);
	iosim_log_set_console_level(5);
	free(g->scratch[0]);
	free(g->scratch[1]);
	g->scratch[0] = g->scratch[1] = NULL;
	g->scratch_bytes[0] = g->scratch_bytes[1] = 0;
}

void glue_fill(void *virt, size_t len, unsigned int seed)
{
	unsigned char *p = virt;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(seed * 131 + i * 7 + (i >> 8));
}

/* Scratch buffer @i of at least @bytes (at least one). */
static unsigned char *glue_scratch(struct glue *g, unsigned int i, size_t bytes)
{
	bytes = max_t(size_t, bytes, 1);
	if (bytes > g->scratch_bytes[i]) {
		free(g->scratch[i]);
		g->scratch[i] = malloc(bytes);
		assert_non_null(g->scratch[i]);
		g->scratch_bytes[i] = bytes;
	}
	return g->scratch[i];
}

static size_t list_total(struct scatterlist *sg, int nents)
{
	struct scatterlist *s;
	size_t total = 0;
	int i;

	for_each_sg(sg, s, nents, i)
		total += s->length;
	return total;
}

/* The caller's bytes, entry after entry, into scratch buffer @i. */
static unsigned char *list_bytes(struct glue *g, unsigned int i, struct scatterlist *sg,
				 int nents, size_t total)
{
	unsigned char *out = glue_scratch(g, i, total);
	struct scatterlist *s;
	size_t pos = 0;
	int j;

	for_each_sg(sg, s, nents, j) {
		memcpy(out + pos, sg_virt(s), s->length);
		pos += s->length;
	}
	return out;
}

void glue_assert_device_reads_list(struct glue *g, struct scatterlist *sg, int nents, int count)
{
	size_t total = list_total(sg, nents), pos = 0;
	unsigned char *want = list_bytes(g, 0, sg, nents, total);
	unsigned char *got = glue_scratch(g, 1, total);
	struct scatterlist *s;
	int i;

	for_each_sg(sg, s, count, i) {
		assert_true(pos + sg_dma_len(s) <= total);
		assert_int_equal(iosim_dma_read(g->dev, sg_dma_address(s), got + pos,
						sg_dma_len(s)), 0);
		pos += sg_dma_len(s);
	}
	assert_int_equal(pos, total);
	assert_memory_equal(got, want, total);
}

void glue_assert_device_writes_list(struct glue *g, struct scatterlist *sg, int nents,
				    int count, unsigned int seed)
{
	size_t total = list_total(sg, nents), pos = 0;
	unsigned char *pattern = glue_scratch(g, 0, total), *now;
	struct scatterlist *s;
	int i;

	glue_fill(pattern, total, seed);
	for_each_sg(sg, s, count, i) {
		assert_true(pos + sg_dma_len(s) <= total);
		assert_int_equal(iosim_dma_write(g->dev, sg_dma_address(s), pattern + pos,
						 sg_dma_len(s)), 0);
		pos += sg_dma_len(s);
	}
	assert_int_equal(pos, total);
	now = list_bytes(g, 1, sg, nents, total);
	assert_memory_equal(now, pattern, total);
}

/* Would an entry at this in-granule offset cross a boundary wherever it went? */
static bool entry_cannot_fit(struct glue *g, struct scatterlist *s)
{
	unsigned long mask = g->cfg.boundary;
	u64 off = sg_phys(s) & (g->cfg.granule - 1);

	return (off & mask) + s->length - 1 > mask;
}

void glue_assert_segments_respect_limits(struct glue *g, struct scatterlist *sg, int nents,
					 int count)
{
	unsigned long mask = g->cfg.boundary;
	struct scatterlist *s, *in = sg;
	int i;

	assert_in_range(count, 1, nents);
	for_each_sg(sg, s, nents, i) {
		u64 start = sg_dma_address(s), len = sg_dma_len(s);
		u64 covered = 0;
		int parts = 0;

		if (i >= count) {
			assert_int_equal(sg_dma_len(s), 0);
			continue;
		}
		assert_true(len > 0);
		assert_true(start != DMA_ERROR_CODE);
		assert_true(start + len - 1 <= g->cfg.dma_mask);
		/* Which input entries make up this segment? */
		while (covered < len) {
			/* A segment longer than the entries left is a length defect. */
			while (in && !in->length)
				in = sg_next(in);
			assert_non_null(in);
			covered += in->length;
			parts++;
			if (covered < len)
				in = sg_next(in);
		}
		assert_int_equal(covered, len);
		if (len > g->cfg.max_seg)
			assert_int_equal(parts, 1);
		if ((start & mask) + len - 1 > mask) {
			assert_int_equal(parts, 1);
			assert_true(entry_cannot_fit(g, in));
		}
		in = sg_next(in);
	}
}

void glue_assert_device_faults(struct glue *g, dma_addr_t addr, size_t len)
{
	unsigned char byte = 0x5a;
	size_t off;

	for (off = 0; off < len; off += g->cfg.granule) {
		assert_int_equal(iosim_dma_read(g->dev, addr + off, &byte, 1), -EFAULT);
		assert_int_equal(iosim_dma_write(g->dev, addr + off, &byte, 1), -EFAULT);
	}
	iosim_iommu_clear_faults(g->iommu);
}
