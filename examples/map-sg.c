// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * map-sg: map a scatterlist for a device behind a simulated IOMMU, the way a
 * driver's dma_map_sg() reaches the glue, and show what the device sees.
 *
 * The list is deliberately awkward: entries with offsets, a length that is
 * not a multiple of a page, an entry in a higher-order block, and a device
 * with a 64 KiB segment boundary.  The program prints the DMA segments,
 * has the device read every segment through the IOMMU page tables, checks
 * the bytes against the CPU's view, unmaps, and shows the device faulting.
 *
 * Build (installed library): cc map-sg.c $(pkg-config --cflags --libs libiommudma)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/device.h>
#include <linux/dma-iommu.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <iosim/bus_master.h>
#include <iosim/cache.h>
#include <iosim/device.h>
#include <iosim/iommu.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/warn.h>

#define NR_ENTRIES	6

struct entry_shape {
	unsigned int order;	/* block of 2^order pages */
	unsigned int offset;	/* bytes into the block */
	unsigned int length;	/* bytes */
};

static const struct entry_shape shapes[NR_ENTRIES] = {
	{ 0, 0x100, 0xe00 },
	{ 2, 0x1800, 0x2400 },
	{ 0, 0, 0x1000 },
	{ 0, 0, 0x1000 },
	{ 1, 0x20, 0x1f00 },
	{ 0, 0x800, 0x10 },
};

static int fail(const char *what)
{
	fprintf(stderr, "map-sg: %s\n", what);
	return 1;
}

int main(void)
{
	struct iosim_iommu_config iommu_cfg = { .name = "smmu0", .granule = SZ_4K,
						.ias_bits = 48, .oas_bits = 48,
						.bus = &platform_bus_type };
	struct iosim_device_config dev_cfg = { .name = "dma-engine0", .dma_mask = DMA_BIT_MASK(64),
					       .max_segment_size = SZ_64K,
					       .segment_boundary_mask = SZ_64K - 1, .no_add = true };
	struct page *blocks[NR_ENTRIES];
	struct iommu_domain *domain;
	struct iosim_iommu *iommu;
	struct scatterlist *s;
	struct sg_table sgt;
	struct device *dev;
	unsigned char *want, *got;
	size_t total = 0, pos;
	int i, count, ret = 1;
	char live[256];

	iosim_log_set_console_level(4);
	/* This program calls the glue directly: no arch layer does cache maintenance. */
	iosim_cache_set_enabled(false);
	if (iosim_ram_init(NULL) || iommu_dma_init())
		return fail("cannot create simulated RAM");
	printf("simulated RAM: %llu MiB at %#llx, PAGE_SIZE %lu\n",
	       (unsigned long long)(iosim_ram_size() >> 20),
	       (unsigned long long)iosim_ram_base_phys(), PAGE_SIZE);

	/* An IOMMU on the platform bus, a device behind it, a DMA domain. */
	iommu = iosim_iommu_create(&iommu_cfg);
	dev = iosim_device_create(&dev_cfg);
	if (!iommu || !dev || iosim_iommu_add_master(iommu, dev) || device_add(dev))
		return fail("cannot create the IOMMU and the device");
	domain = iommu_domain_alloc(&platform_bus_type);
	if (!domain || iommu_get_dma_cookie(domain) ||
	    iommu_dma_init_domain(domain, 0x100000000ULL, SZ_4G) ||
	    iommu_attach_device(domain, dev))
		return fail("cannot set up the DMA domain");
	printf("device %s: DMA domain [0x100000000, 0x1ffffffff], granule 4 KiB, "
	       "boundary 64 KiB, max segment 64 KiB\n", dev_name(dev));

	/* The scatterlist: blocks from the page allocator, filled with a pattern. */
	if (sg_alloc_table(&sgt, NR_ENTRIES, GFP_KERNEL))
		return fail("sg_alloc_table failed");
	for_each_sg(sgt.sgl, s, NR_ENTRIES, i) {
		unsigned char *va;
		unsigned int j;

		blocks[i] = alloc_pages(GFP_KERNEL, shapes[i].order);
		if (!blocks[i])
			return fail("out of simulated memory");
		va = page_address(blocks[i]);
		for (j = 0; j < PAGE_SIZE << shapes[i].order; j++)
			va[j] = (unsigned char)(i * 37 + j);
		sg_set_page(s, blocks[i], shapes[i].length, shapes[i].offset);
		total += shapes[i].length;
		printf("  entry %d: phys %#llx len %#x\n", i,
		       (unsigned long long)sg_phys(s), s->length);
	}

	count = iommu_dma_map_sg(dev, sgt.sgl, NR_ENTRIES, IOMMU_READ | IOMMU_WRITE);
	if (!count)
		return fail("iommu_dma_map_sg failed");
	printf("iommu_dma_map_sg: %d DMA segments\n", count);
	for_each_sg(sgt.sgl, s, count, i)
		printf("  segment %d: dma %#llx len %#x\n", i,
		       (unsigned long long)sg_dma_address(s), sg_dma_len(s));

	/* The device reads the segments in order; that must be the list's bytes. */
	want = malloc(total);
	got = malloc(total);
	pos = 0;
	for_each_sg(sgt.sgl, s, NR_ENTRIES, i) {
		memcpy(want + pos, sg_virt(s), s->length);
		pos += s->length;
	}
	pos = 0;
	for_each_sg(sgt.sgl, s, count, i) {
		if (iosim_dma_read(dev, sg_dma_address(s), got + pos, sg_dma_len(s)))
			goto out;
		pos += sg_dma_len(s);
	}
	if (pos != total || memcmp(want, got, total))
		goto out;
	printf("device read %zu bytes through the IOMMU: identical to the CPU's view\n", total);

	iommu_dma_unmap_sg(dev, sgt.sgl, NR_ENTRIES, DMA_BIDIRECTIONAL, NULL);
	if (iosim_dma_read(dev, sg_dma_address(sgt.sgl), got, 1) != -EFAULT)
		goto out;
	printf("after unmap the device faults at %#llx, as it should\n",
	       (unsigned long long)sg_dma_address(sgt.sgl));
	iosim_iommu_clear_faults(iommu);
	ret = 0;
out:
	if (ret)
		fprintf(stderr, "map-sg: the device did not see the expected data\n");
	free(want);
	free(got);
	for (i = 0; i < NR_ENTRIES; i++)
		__free_pages(blocks[i], shapes[i].order);
	sg_free_table(&sgt);
	iommu_detach_device(domain, dev);
	iommu_put_dma_cookie(domain);
	iommu_domain_free(domain);
	iosim_iommu_remove_master(dev);
	device_del(dev);
	iosim_device_destroy(dev);
	iosim_iommu_destroy(iommu);
	iova_cache_put();
	if (iosim_ram_exit() || iosim_live_total() || iosim_warn_count()) {
		fprintf(stderr, "map-sg: leaked or warned: %s\n", iosim_live_report(live, sizeof(live)));
		ret = 1;
	}
	printf("%s\n", ret ? "FAILED" : "OK: nothing leaked, no warnings");
	return ret;
}
