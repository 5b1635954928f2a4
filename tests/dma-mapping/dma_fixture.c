// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "dma_fixture.h"

#include <string.h>

#include <linux/dma-iommu.h>
#include <linux/platform_device.h>
#include <iosim/bus_master.h>
#include <iosim/cache.h>
#include <iosim/dma_debug.h>
#include <iosim/log.h>
#include <iosim/ram.h>

const struct dma_config dma_iommu_coherent = { .iommu = true, .coherent = true };
const struct dma_config dma_iommu_noncoherent = { .iommu = true, .coherent = false };
const struct dma_config dma_direct_coherent = { .iommu = false, .coherent = true };
const struct dma_config dma_direct_noncoherent = { .iommu = false, .coherent = false };

void dma_fix_setup(struct dma_fix *f, const struct dma_config *cfg)
{
	struct iosim_iommu_config icfg = {
		.name = "smmu",
		.bus = &platform_bus_type,
		/* arm-smmu of 2015 let streams without a context bypass (disable_bypass=0). */
		.bypass_unattached = true,
	};
	struct iosim_of_device_config dcfg = { .dev = { .name = "dmadev" } };

	memset(f, 0, sizeof(*f));
	f->cfg = *cfg;
	iosim_log_set_console_level(0);
	assert_int_equal(iosim_ram_init(NULL), 0);
	iosim_dma_set_atomic_pool_size(cfg->atomic_pool ? cfg->atomic_pool : SZ_256K);
	assert_int_equal(iosim_dma_system_init(), 0);

	if (cfg->iommu) {
		icfg.granule = cfg->granule;
		if (cfg->default_domains) {
			icfg.dma_cookie_get = iommu_get_dma_cookie;
			icfg.dma_cookie_put = iommu_put_dma_cookie;
		}
		f->iommu = iosim_iommu_create(&icfg);
		assert_false(IS_ERR_OR_NULL(f->iommu));
	}
	dcfg.iommu = f->iommu;
	dcfg.dma_coherent = cfg->coherent;
	dcfg.dma_size = cfg->dma_size;
	dcfg.no_add = cfg->no_add;
	dcfg.dev.dma_mask = cfg->dma_mask ? cfg->dma_mask : DMA_BIT_MASK(64);
	dcfg.dev.max_segment_size = cfg->max_seg;
	dcfg.dev.segment_boundary_mask = cfg->boundary;
	f->dev = iosim_of_device_create(&dcfg);
	assert_non_null(f->dev);
	assert_int_equal(is_device_dma_coherent(f->dev), cfg->coherent);
	if (!cfg->no_add)
		assert_int_equal(iosim_dma_uses_iommu(f->dev), cfg->iommu);
	dma_fix_check(f);
}

void dma_fix_check(struct dma_fix *f)
{
	struct iommu_domain *domain = f->dev ? iommu_get_domain_for_dev(f->dev) : NULL;

	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_cache_check(), 0);
	if (f->iommu)
		assert_int_equal(iosim_iommu_instance_check(f->iommu), 0);
	if (domain)
		assert_int_equal(iosim_iommu_domain_check(domain), 0);
	if (f->dev)
		assert_int_equal(iosim_device_check(f->dev), 0);
#ifndef IOSIM_SEED_ARM64
	assert_int_equal(iosim_dma_master_check(), 0);
#endif
}

void dma_fix_teardown(struct dma_fix *f)
{
	dma_fix_check(f);
	dma_assert_no_debug_reports();
	/*
	 * The DMA set-up goes first, then the device (the OF core's order is the
	 * other way round: test_setup.c checks that one separately).
	 */
	arch_teardown_dma_ops(f->dev);
	iosim_of_device_destroy(f->dev);
	if (f->iommu)
		iosim_iommu_destroy(f->iommu);
	iosim_dma_system_exit();
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_exit(), 0);
	iosim_log_set_console_level(5);
}

void dma_assert_no_debug_reports(void)
{
	struct iosim_dma_debug_report r;

	if (!iosim_dma_debug_total())
		return;
	iosim_dma_debug_last(&r);
	fail_msg("%lu DMA-API debug report(s) the test did not expect; last: %s",
		 iosim_dma_debug_total(), r.message);
}

void dma_assert_reported(enum iosim_dma_debug_kind kind)
{
	if (!iosim_dma_debug_count(kind))
		fail_msg("no DMA-API debug report of kind %s", iosim_dma_debug_kind_name(kind));
	iosim_dma_debug_clear();
}

void dma_assert_some_reports(void)
{
	assert_true(iosim_dma_debug_total() > 0);
	iosim_dma_debug_clear();
}

void dma_assert_no_report_but_out_of_entries(void)
{
	assert_int_equal(iosim_dma_debug_check(), 0);
	if (!iosim_dma_debug_total())
		return;
	assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_OUT_OF_ENTRIES), 1);
	assert_int_equal(iosim_dma_debug_total(), 1);
}

void dma_fix_counters(struct dma_fix *f, struct iosim_cache_counters *out)
{
	iosim_cache_get_counters(f->dev, out);
}

void dma_fill(void *p, size_t len, unsigned int seed)
{
	unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		c[i] = (unsigned char)(seed * 151 + i * 13 + (i >> 9) + 1);
}

bool dma_matches(const void *p, size_t len, unsigned int seed)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (c[i] != (unsigned char)(seed * 151 + i * 13 + (i >> 9) + 1))
			return false;
	return true;
}

void dma_dev_read(struct dma_fix *f, dma_addr_t addr, void *buf, size_t len)
{
	assert_int_equal(iosim_dma_read(f->dev, addr, buf, len), 0);
}

void dma_dev_write(struct dma_fix *f, dma_addr_t addr, const void *buf, size_t len)
{
	assert_int_equal(iosim_dma_write(f->dev, addr, buf, len), 0);
}
