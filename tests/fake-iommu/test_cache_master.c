// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The bus master under the cache model (<iosim/cache.h>): a non-coherent
 * master, with or without an IOMMU in front, reads and writes memory, not
 * the CPU's view, so a missing clean or invalidate shows up as stale data
 * at cache-line granularity; a coherent master sees the CPU view.
 */
#include "fiommu_test.h"

#include <stdlib.h>

#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/dma-direction.h>
#include <asm/cacheflush.h>

#include <iosim/bus_master.h>
#include <iosim/cache.h>
#include <iosim/device.h>
#include <iosim/ram.h>

static int teardown(void **state)
{
	if (iosim_cache_check()) {
		print_error("cache model check failed\n");
		_fail(__FILE__, __LINE__);
	}
	return iosim_test_teardown_ram(state);
}

/* Default RAM, with the cache model on; the model is checked at the end too. */
#define CM_TEST(fn) cmocka_unit_test_setup_teardown(fn, iosim_test_setup_ram_cached, teardown)

static struct device *master(const char *name, bool coherent)
{
	struct iosim_device_config cfg = {
		.name = name,
		.dma_mask = DMA_BIT_MASK(64),
		.coherent = coherent,
	};
	struct device *dev = iosim_device_create(&cfg);

	assert_non_null(dev);
	return dev;
}

/* A zeroed page with every line clean. */
static struct page *clean_page(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	assert_non_null(page);
	__flush_dcache_area(page_address(page), PAGE_SIZE);
	return page;
}

static u64 stale_reads(struct device *dev)
{
	struct iosim_cache_counters c;

	iosim_cache_get_counters(dev, &c);
	return c.stale_reads;
}

static void test_noncoherent_master_without_iommu_sees_memory(void **state)
{
	struct device *dev = master("nc-plain", false);
	struct page *page = clean_page();
	char *va = page_address(page);
	phys_addr_t phys = page_to_phys(page);
	u8 buf[96];

	(void)state;
	/* The CPU's bytes stay in its cache until cleaned. */
	memset(va + 32, 0x5c, sizeof(buf));
	assert_int_equal(iosim_dma_read(dev, phys + 32, buf, sizeof(buf)), 0);
	assert_true(iosim_bytes_all(buf, 0, sizeof(buf)));
	assert_int_equal(stale_reads(dev), DIV_ROUND_UP(32 + sizeof(buf), iosim_cache_line_size()));
	__dma_map_area(va + 32, sizeof(buf), DMA_TO_DEVICE);
	assert_int_equal(iosim_dma_read(dev, phys + 32, buf, sizeof(buf)), 0);
	assert_true(iosim_bytes_all(buf, 0x5c, sizeof(buf)));

	/* The device's bytes reach the CPU only through an invalidate. */
	memset(buf, 0xc5, sizeof(buf));
	assert_int_equal(iosim_dma_write(dev, phys + 32, buf, sizeof(buf)), 0);
	assert_true(iosim_bytes_all(va + 32, 0x5c, sizeof(buf)));
	__dma_unmap_area(va + 32, sizeof(buf), DMA_FROM_DEVICE);
	assert_true(iosim_bytes_all(va + 32, 0xc5, sizeof(buf)));
	assert_int_equal(iosim_cache_check(), 0);
	assert_int_equal(iosim_ram_check(), 0);

	__free_page(page);
	iosim_device_destroy(dev);
}

/* A master behind the simulated IOMMU, one IOVA page each over two frames. */
struct cm_fixture {
	struct iosim_iommu *iommu;
	struct device *dev;
	struct iommu_domain *domain;
	struct page *pages[2];
};

static void cm_setup(struct cm_fixture *f, bool coherent)
{
	struct iosim_iommu_config cfg = { .granule = PAGE_SIZE };
	const struct iommu_ops *ops;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->iommu = iosim_iommu_create(&cfg);
	assert_false(IS_ERR(f->iommu));
	ops = iosim_iommu_ops(f->iommu);
	f->dev = master(coherent ? "coherent-dev" : "nc-dev", coherent);
	assert_int_equal(iosim_iommu_add_master(f->iommu, f->dev), 0);
	f->domain = ops->domain_alloc(IOMMU_DOMAIN_UNMANAGED);
	assert_non_null(f->domain);
	f->domain->ops = ops;
	f->domain->type = IOMMU_DOMAIN_UNMANAGED;
	assert_int_equal(iommu_attach_device(f->domain, f->dev), 0);
	/* IOVA 0 -> pages[1], IOVA PAGE_SIZE -> pages[0]: the order is the IOMMU's. */
	for (i = 0; i < 2; i++) {
		f->pages[i] = clean_page();
		assert_int_equal(iommu_map(f->domain, (1 - i) * PAGE_SIZE,
					   page_to_phys(f->pages[i]), PAGE_SIZE,
					   IOMMU_READ | IOMMU_WRITE), 0);
	}
}

static void cm_teardown(struct cm_fixture *f)
{
	unsigned int i;

	assert_int_equal(iommu_unmap(f->domain, 0, 2 * PAGE_SIZE), 2 * PAGE_SIZE);
	assert_int_equal(iosim_iommu_instance_check(f->iommu), 0);
	iommu_detach_device(f->domain, f->dev);
	f->domain->ops->domain_free(f->domain);
	iosim_iommu_remove_master(f->dev);
	iosim_device_destroy(f->dev);
	iosim_iommu_destroy(f->iommu);
	for (i = 0; i < 2; i++)
		__free_page(f->pages[i]);
}

static void test_noncoherent_master_behind_iommu_reads_stale_memory_of_each_frame(void **state)
{
	size_t line = iosim_cache_line_size();
	char *va0, *va1;
	struct cm_fixture f;
	u8 *buf = malloc(2 * line);

	(void)state;
	assert_non_null(buf);
	cm_setup(&f, false);
	va0 = page_address(f.pages[0]);
	va1 = page_address(f.pages[1]);

	/* A read across the IOVA page boundary touches pages[1]'s last line and pages[0]'s first. */
	memset(va1 + PAGE_SIZE - line, 0x11, line);
	memset(va0, 0x22, line);
	__dma_map_area(va0, line, DMA_TO_DEVICE);	/* only pages[0]'s line is cleaned */
	assert_int_equal(iosim_dma_read(f.dev, PAGE_SIZE - line, buf, 2 * line), 0);
	assert_true(iosim_bytes_all(buf, 0, line));		/* stale: pages[1] was never cleaned */
	assert_true(iosim_bytes_all(buf + line, 0x22, line));
	assert_int_equal(stale_reads(f.dev), 1);

	/* A device write through the IOMMU lands in the right frame's memory only. */
	memset(buf, 0x33, 2 * line);
	assert_int_equal(iosim_dma_write(f.dev, PAGE_SIZE - line, buf, 2 * line), 0);
	assert_true(iosim_bytes_all(va0, 0x22, line));
	__dma_unmap_area(va0, line, DMA_FROM_DEVICE);
	assert_true(iosim_bytes_all(va0, 0x33, line));
	/* pages[1]'s line was dirty: the invalidate discards the CPU's 0x11s. */
	__dma_unmap_area(va1 + PAGE_SIZE - line, line, DMA_FROM_DEVICE);
	assert_true(iosim_bytes_all(va1 + PAGE_SIZE - line, 0x33, line));
	assert_int_equal(f.dev->iosim_cache.stale_reads, 1);
	assert_int_equal(iosim_cache_check(), 0);

	cm_teardown(&f);
	free(buf);
}

static void test_coherent_master_behind_iommu_sees_the_cpu_view(void **state)
{
	struct cm_fixture f;
	struct iosim_cache_counters c;
	u8 buf[16];

	(void)state;
	cm_setup(&f, true);
	iosim_cache_reset_counters(NULL);
	memset(page_address(f.pages[1]), 0x44, sizeof(buf));
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, sizeof(buf)), 0);
	assert_true(iosim_bytes_all(buf, 0x44, sizeof(buf)));
	memset(buf, 0x55, sizeof(buf));
	assert_int_equal(iosim_dma_write(f.dev, PAGE_SIZE, buf, sizeof(buf)), 0);
	assert_true(iosim_bytes_all(page_address(f.pages[0]), 0x55, sizeof(buf)));

	iosim_cache_get_counters(NULL, &c);
	assert_int_equal(c.stale_reads + c.lines_cleaned + c.lines_invalidated + c.evictions, 0);
	iosim_cache_get_counters(f.dev, &c);
	assert_int_equal(c.stale_reads, 0);
	cm_teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CM_TEST(test_noncoherent_master_without_iommu_sees_memory),
		CM_TEST(test_noncoherent_master_behind_iommu_reads_stale_memory_of_each_frame),
		CM_TEST(test_coherent_master_behind_iommu_sees_the_cpu_view),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
