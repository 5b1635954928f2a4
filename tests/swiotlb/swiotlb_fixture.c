// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* The swiotlb API tests' shared fixture (swiotlb_fixture.h). */
#include "swiotlb_fixture.h"

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/swiotlb.h>
#include <iosim/cache.h>
#include <iosim/dma.h>
#include <iosim/log.h>
#include <iosim/swiotlb.h>

struct device *swt_dev;

void swt_check_all(void)
{
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_cache_check(), 0);
	assert_int_equal(iosim_swiotlb_check(), 0);
	if (swt_dev)
		assert_int_equal(iosim_device_check(swt_dev), 0);
}

void swt_boot(const struct iosim_ram_config *ram, const char *name, bool coherent,
	      size_t pool_bytes)
{
	struct iosim_of_device_config cfg = {
		.dev = { .name = name, .dma_mask = DMA_BIT_MASK(32) },
		.dma_coherent = coherent,
	};

	iosim_log_set_console_level(0);
	assert_int_equal(iosim_ram_init(ram), 0);
	iosim_swiotlb_set_size(pool_bytes);
	assert_int_equal(iosim_dma_system_init(), 0);
	swt_dev = iosim_of_device_create(&cfg);
	assert_non_null(swt_dev);
	assert_false(iosim_dma_uses_iommu(swt_dev));
	swt_check_all();
}

void swt_shutdown(void)
{
	struct iosim_swiotlb_stats st;

	swt_check_all();
	iosim_swiotlb_get_stats(&st);
	assert_int_equal(st.slots_used, 0);
	iosim_of_device_destroy(swt_dev);
	swt_dev = NULL;
	iosim_dma_system_exit();
	assert_false(iosim_swiotlb_ready());
	iosim_swiotlb_set_size(0);
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_exit(), 0);
	iosim_log_set_console_level(5);
}

static unsigned char pattern_byte(size_t i, unsigned int seed)
{
	return (unsigned char)(seed * 37 + i * 11 + (i >> 8) + 1);
}

void swt_fill(void *p, size_t len, unsigned int seed)
{
	unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		c[i] = pattern_byte(i, seed);
}

bool swt_matches(const void *p, size_t len, unsigned int seed)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i] != pattern_byte(i, seed))
			return false;
	return true;
}

unsigned char *swt_buf_alloc(size_t pages, gfp_t gfp)
{
	struct page *page = alloc_pages(gfp, get_order(pages * PAGE_SIZE));

	assert_non_null(page);
	return page_address(page);
}

void swt_buf_free(unsigned char *buf, size_t pages)
{
	__free_pages(virt_to_page(buf), get_order(pages * PAGE_SIZE));
}

bool swt_bounced(dma_addr_t addr)
{
	return is_swiotlb_buffer(dma_to_phys(swt_dev, addr));
}
