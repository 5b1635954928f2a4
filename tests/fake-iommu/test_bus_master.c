// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Device DMA through the simulated IOMMU (iosim_dma_read/iosim_dma_write):
 * translation through pages and blocks of every granule, permission and
 * translation faults seen by the domain's handler and the fault log, the
 * IOTLB (hits, LRU eviction, invalidation, stale entries when invalidation
 * is skipped), bypass, and 1:1 DMA of devices without an IOMMU.
 *
 * RAM here is 2 GiB at 34 GiB, so that even a 1 GiB block can translate to
 * real simulated memory.  A device write may only land in pages the test
 * allocated, or in free frames (checked): never in someone's page table.
 */
#include "fiommu_test.h"

#include <stdlib.h>

#include <linux/mm.h>
#include <linux/platform_device.h>

#include <iosim/bus_master.h>
#include <iosim/device.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>

#include "fake_iommu.h"

#define RAM_BASE	0x880000000ULL		/* 34 GiB: 1 GiB aligned */
#define RAM_SIZE	(2ULL << 30)

static int setup(void **state)
{
	struct iosim_ram_config ram = { .base_phys = RAM_BASE, .size_bytes = RAM_SIZE };
	int ret = iosim_test_setup_ram(state);

	if (ret)
		return ret;
	iosim_ram_exit();
	return iosim_ram_init(&ram);
}

#define BM_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, iosim_test_teardown_ram)

/*
 * An instance, one master attached to one unmanaged domain, and a 2 MiB
 * buffer (2 MiB aligned) for the device to read: a device reading a free
 * frame is a bug valgrind reports, since freed frames are made inaccessible.
 */
struct bm_fixture {
	struct iosim_iommu *iommu;
	struct device *dev;
	struct iommu_domain *domain;
	struct fiommu_fault_seen seen;
	struct page *buf;
	phys_addr_t buf_phys;
};

static void bm_setup_cfg(struct bm_fixture *f, const struct iosim_iommu_config *cfg)
{
	const struct iommu_ops *ops;

	memset(f, 0, sizeof(*f));
	f->iommu = iosim_iommu_create(cfg);
	assert_false(IS_ERR(f->iommu));
	ops = iosim_iommu_ops(f->iommu);
	f->dev = fiommu_device("dma-dev", &platform_bus_type, false);
	assert_int_equal(iosim_iommu_add_master(f->iommu, f->dev), 0);
	f->domain = ops->domain_alloc(IOMMU_DOMAIN_UNMANAGED);
	assert_non_null(f->domain);
	f->domain->ops = ops;
	f->domain->type = IOMMU_DOMAIN_UNMANAGED;
	assert_int_equal(iommu_attach_device(f->domain, f->dev), 0);
	iommu_set_fault_handler(f->domain, fiommu_fault_handler, &f->seen);
	f->seen.ret = -ENOSYS;
	f->buf = alloc_pages(GFP_KERNEL | __GFP_ZERO, get_order(SZ_2M));
	assert_non_null(f->buf);
	f->buf_phys = page_to_phys(f->buf);
}

static void bm_setup(struct bm_fixture *f, unsigned long granule)
{
	struct iosim_iommu_config cfg = { .granule = granule };

	bm_setup_cfg(f, &cfg);
}

static void bm_teardown(struct bm_fixture *f)
{
	assert_int_equal(iosim_iommu_instance_check(f->iommu), 0);
	iommu_detach_device(f->domain, f->dev);
	f->domain->ops->domain_free(f->domain);
	iosim_iommu_remove_master(f->dev);
	iosim_device_destroy(f->dev);
	iosim_iommu_destroy(f->iommu);
	__free_pages(f->buf, get_order(SZ_2M));
}

/* Device writes into @phys are harmless: nobody has that frame. */
static void assert_free_frames(phys_addr_t phys, size_t len)
{
	phys_addr_t end = phys + len;

	for (phys &= PAGE_MASK; phys < end; phys += PAGE_SIZE)
		assert_false(iosim_phys_is_allocated(phys));
}

static void fill(void *buf, size_t len, u8 seed)
{
	u8 *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (u8)(seed + i * 7);
}

static void assert_fault(struct bm_fixture *f, unsigned long iova, int flags,
			 enum iosim_iommu_fault_reason reason, bool reported)
{
	struct iosim_iommu_fault fault;

	assert_true(iosim_iommu_last_fault(f->iommu, &fault));
	assert_ptr_equal(fault.dev, f->dev);
	assert_int_equal(fault.iova, iova);
	assert_int_equal(fault.flags, flags);
	assert_int_equal(fault.reason, reason);
	assert_int_equal(fault.reported, reported);
	if (reported) {
		assert_ptr_equal(fault.domain, f->domain);
		assert_int_equal(fault.handler_ret, f->seen.ret);
		assert_ptr_equal(f->seen.domain, f->domain);
		assert_ptr_equal(f->seen.dev, f->dev);
		assert_int_equal(f->seen.iova, iova);
		assert_int_equal(f->seen.flags, flags);
	}
}

/* -- devices without an IOMMU ------------------------------------------------ */

static void test_dma_without_iommu_is_one_to_one(void **state)
{
	struct device *dev = fiommu_device("plain", &platform_bus_type, false);
	struct page *page = alloc_page(GFP_KERNEL);
	phys_addr_t phys = page_to_phys(page);
	u8 out[64], in[64];

	fill(out, sizeof(out), 1);
	assert_int_equal(iosim_dma_write(dev, phys + 100, out, sizeof(out)), 0);
	assert_memory_equal((u8 *)page_address(page) + 100, out, sizeof(out));
	assert_int_equal(iosim_dma_read(dev, phys + 100, in, sizeof(in)), 0);
	assert_memory_equal(in, out, sizeof(in));

	/* Outside RAM, or running off its end, is refused whole. */
	iosim_log_set_console_level(3);
	assert_int_equal(iosim_dma_read(dev, 0x1000, in, 8), -EFAULT);
	assert_int_equal(iosim_dma_write(dev, RAM_BASE + RAM_SIZE - 4, out, 8), -EFAULT);
	assert_true(iosim_log_seen("outside RAM (no IOMMU)"));
	iosim_log_set_console_level(5);
	assert_int_equal(iosim_dma_read(dev, RAM_BASE + RAM_SIZE - 8, in, 8), 0);

	__free_page(page);
	iosim_device_destroy(dev);
}

static void test_dma_misuse_warns_and_zero_length_does_nothing(void **state)
{
	struct device *dev = fiommu_device("plain", &platform_bus_type, false);
	u8 buf[8];

	assert_int_equal(iosim_dma_read(NULL, RAM_BASE, buf, 8), -EINVAL);
	assert_warned("NULL device");
	assert_int_equal(iosim_dma_write(dev, RAM_BASE, NULL, 8), -EINVAL);
	assert_warned("NULL buffer");
	assert_int_equal(iosim_dma_read(dev, ~0ULL - 3, buf, 8), -EINVAL);
	assert_warned("wrap around");
	assert_int_equal(iosim_dma_read(dev, 0, buf, 0), 0);
	iosim_device_destroy(dev);
}

/* -- translation ---------------------------------------------------------------- */

/*
 * For every granule and page size: two neighbouring mappings of that size to
 * unrelated places; a transfer across their boundary lands in both.
 */
static void test_dma_across_page_and_block_boundaries_for_every_size(void **state)
{
	unsigned int m, s;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		const struct fiommu_mode *mode = &fiommu_modes[m];
		struct bm_fixture f;

		bm_setup(&f, mode->granule);
		for (s = 0; s < mode->nr_sizes; s++) {
			unsigned long size = mode->sizes[s];
			unsigned long iova = 2 * size;
			/*
			 * At the top of RAM, away from the allocations (which start
			 * at the bottom): the second mapping goes below the first,
			 * or aliases it when RAM is too small for both.
			 */
			phys_addr_t p1 = RAM_BASE + RAM_SIZE - size;
			phys_addr_t p2 = 4 * (u64)size <= RAM_SIZE ? p1 - size : p1;
			u8 out[96], in[96];
			struct iosim_iommu_stats stats;

			assert_int_equal(iommu_map(f.domain, iova, p1, size,
						   IOMMU_READ | IOMMU_WRITE), 0);
			assert_int_equal(iommu_map(f.domain, iova + size, p2, size,
						   IOMMU_READ | IOMMU_WRITE), 0);
			iosim_iommu_domain_stats(f.domain, &stats);
			assert_int_equal(stats.mappings[ilog2(size)], 2);

			fill(out, sizeof(out), (u8)s);
			assert_free_frames(p1 + size - 40, 40);
			assert_free_frames(p2, sizeof(out) - 40);
			assert_int_equal(iosim_dma_write(f.dev, iova + size - 40, out,
							 sizeof(out)), 0);
			assert_memory_equal(phys_to_virt(p1 + size - 40), out, 40);
			assert_memory_equal(phys_to_virt(p2), out + 40, sizeof(out) - 40);
			memset(in, 0, sizeof(in));
			assert_int_equal(iosim_dma_read(f.dev, iova + size - 40, in,
							sizeof(in)), 0);
			assert_memory_equal(in, out, sizeof(in));
			/* First and last byte of the pair. */
			assert_free_frames(p1, 1);
			assert_int_equal(iosim_dma_write(f.dev, iova, out, 1), 0);
			assert_int_equal(iosim_dma_read(f.dev, iova + 2 * size - 1, in, 1), 0);
			assert_int_equal(in[0], *(u8 *)phys_to_virt(p2 + size - 1));
			assert_int_equal(iosim_dma_read(f.dev, iova + 2 * size, in, 1), -EFAULT);
			assert_fault(&f, iova + 2 * size, IOMMU_FAULT_READ,
				     IOSIM_IOMMU_FAULT_TRANSLATION, true);
			assert_int_equal(iommu_unmap(f.domain, iova, 2 * size), 2 * size);
		}
		bm_teardown(&f);
	}
}

static void test_dma_gathers_scattered_pages(void **state)
{
	struct bm_fixture f;
	struct page *pages[40];
	u8 *out = malloc(40 * PAGE_SIZE), *in = malloc(40 * PAGE_SIZE);
	unsigned int i;

	bm_setup(&f, SZ_4K);
	/* Forty pages, mapped back to front so no two are contiguous. */
	for (i = 0; i < 40; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		assert_int_equal(iommu_map(f.domain, SZ_1M + (39 - i) * PAGE_SIZE,
					   page_to_phys(pages[i]), PAGE_SIZE,
					   IOMMU_READ | IOMMU_WRITE), 0);
	}
	fill(out, 40 * PAGE_SIZE, 9);
	assert_int_equal(iosim_dma_write(f.dev, SZ_1M, out, 40 * PAGE_SIZE), 0);
	for (i = 0; i < 40; i++)
		assert_memory_equal(page_address(pages[i]), out + (39 - i) * PAGE_SIZE, PAGE_SIZE);
	assert_int_equal(iosim_dma_read(f.dev, SZ_1M + 1, in, 40 * PAGE_SIZE - 2), 0);
	assert_memory_equal(in, out + 1, 40 * PAGE_SIZE - 2);
	assert_int_equal(iommu_unmap(f.domain, SZ_1M, 40 * PAGE_SIZE), 40 * PAGE_SIZE);
	for (i = 0; i < 40; i++)
		__free_page(pages[i]);
	free(out);
	free(in);
	bm_teardown(&f);
}

/* -- faults -------------------------------------------------------------------- */

static void test_permission_faults_reach_the_handler_and_the_log(void **state)
{
	struct bm_fixture f;
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	phys_addr_t phys = page_to_phys(page);
	unsigned long iova = SZ_2M;
	u8 buf[64], zero[64] = { 0 };

	bm_setup(&f, SZ_4K);
	/* RW | read-only | write-only | no access: four 4K pages. */
	assert_int_equal(iommu_map(f.domain, iova, phys, SZ_4K, IOMMU_READ | IOMMU_WRITE), 0);
	assert_int_equal(iommu_map(f.domain, iova + SZ_4K, phys + SZ_4K, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iommu_map(f.domain, iova + 2 * SZ_4K, phys + 2 * SZ_4K, SZ_4K,
				   IOMMU_WRITE), 0);
	/*
	 * The core skips a mapping without access (as io-pgtable did); the
	 * driver itself installs one that faults every access.
	 */
	assert_int_equal(iommu_map(f.domain, iova + 3 * SZ_4K, phys + 3 * SZ_4K, SZ_4K, 0), 0);
	assert_int_equal(iommu_iova_to_phys(f.domain, iova + 3 * SZ_4K), 0);
	assert_int_equal(f.domain->ops->map(f.domain, iova + 3 * SZ_4K, phys + 3 * SZ_4K, SZ_4K, 0),
			 0);

	/* A write from the RW page into the read-only one: nothing lands. */
	fill(buf, sizeof(buf), 3);
	assert_int_equal(iosim_dma_write(f.dev, iova + SZ_4K - 16, buf, sizeof(buf)), -EFAULT);
	assert_fault(&f, iova + SZ_4K, IOMMU_FAULT_WRITE, IOSIM_IOMMU_FAULT_PERMISSION, true);
	assert_int_equal(f.seen.nr, 1);
	assert_memory_equal((u8 *)page_address(page) + SZ_4K - 16, zero, sizeof(zero));

	/* Reading the write-only page, and touching the no-access one. */
	memset(buf, 0xee, sizeof(buf));
	assert_int_equal(iosim_dma_read(f.dev, iova + 2 * SZ_4K + 8, buf, 8), -EFAULT);
	assert_fault(&f, iova + 2 * SZ_4K + 8, IOMMU_FAULT_READ, IOSIM_IOMMU_FAULT_PERMISSION,
		     true);
	assert_int_equal(buf[0], 0xee);
	assert_int_equal(iosim_dma_write(f.dev, iova + 2 * SZ_4K, buf, 8), 0);
	f.seen.ret = 0;	/* a handler that says "handled" still gets -EFAULT back */
	assert_int_equal(iosim_dma_write(f.dev, iova + 3 * SZ_4K, buf, 8), -EFAULT);
	assert_fault(&f, iova + 3 * SZ_4K, IOMMU_FAULT_WRITE, IOSIM_IOMMU_FAULT_PERMISSION, true);
	assert_int_equal(iosim_dma_read(f.dev, iova + 3 * SZ_4K, buf, 8), -EFAULT);
	assert_int_equal(f.seen.nr, 3 + 1);

	{
		struct iosim_iommu_stats stats;

		iosim_iommu_get_stats(f.iommu, &stats);
		assert_int_equal(stats.faults, 4);
		assert_int_equal(iosim_iommu_faults(f.iommu, NULL, 0), 4);
	}
	assert_int_equal(iommu_unmap(f.domain, iova, 4 * SZ_4K), 4 * SZ_4K);
	__free_pages(page, 2);
	bm_teardown(&f);
}

static void test_unmapped_addresses_fault_at_the_first_missing_byte(void **state)
{
	struct bm_fixture f;
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	u8 buf[32], keep[32];

	bm_setup(&f, SZ_16K);
	/* Only reads get through here: the 16K may cover other pages. */
	assert_int_equal(iommu_map(f.domain, SZ_16K, page_to_phys(page) & ~(u64)(SZ_16K - 1),
				   SZ_16K, IOMMU_READ | IOMMU_WRITE), 0);
	memset(buf, 0x5a, sizeof(buf));
	memcpy(keep, buf, sizeof(buf));
	/* Starts mapped, runs into the hole after: the buffer stays as it was. */
	assert_int_equal(iosim_dma_read(f.dev, 2 * SZ_16K - 8, buf, sizeof(buf)), -EFAULT);
	assert_fault(&f, 2 * SZ_16K, IOMMU_FAULT_READ, IOSIM_IOMMU_FAULT_TRANSLATION, true);
	assert_memory_equal(buf, keep, sizeof(buf));
	/* Nothing mapped at all there. */
	assert_int_equal(iosim_dma_write(f.dev, SZ_1G + 3, buf, 4), -EFAULT);
	assert_fault(&f, SZ_1G + 3, IOMMU_FAULT_WRITE, IOSIM_IOMMU_FAULT_TRANSLATION, true);
	/* No handler: still logged, reported with -ENOSYS. */
	iommu_set_fault_handler(f.domain, NULL, NULL);
	f.seen.nr = 0;
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), -EFAULT);
	{
		struct iosim_iommu_fault fault;

		assert_true(iosim_iommu_last_fault(f.iommu, &fault));
		assert_true(fault.reported);
		assert_int_equal(fault.handler_ret, -ENOSYS);
		assert_int_equal(f.seen.nr, 0);
	}
	assert_int_equal(iommu_unmap(f.domain, SZ_16K, SZ_16K), SZ_16K);
	__free_page(page);
	bm_teardown(&f);
}

static void test_address_beyond_the_input_size_is_an_address_size_fault(void **state)
{
	struct iosim_iommu_config cfg = { .ias_bits = 32 };
	struct bm_fixture f;
	u8 buf[8];

	bm_setup_cfg(&f, &cfg);
	assert_int_equal(iommu_map(f.domain, (1UL << 32) - SZ_4K, f.buf_phys, SZ_4K, IOMMU_READ),
			 0);
	assert_int_equal(iosim_dma_read(f.dev, 1ULL << 32, buf, 8), -EFAULT);
	assert_fault(&f, 1UL << 32, IOMMU_FAULT_READ, IOSIM_IOMMU_FAULT_ADDRESS_SIZE, true);
	/* Crossing the top of the aperture faults where it crosses. */
	assert_int_equal(iosim_dma_read(f.dev, (1ULL << 32) - 4, buf, 8), -EFAULT);
	assert_fault(&f, 1UL << 32, IOMMU_FAULT_READ, IOSIM_IOMMU_FAULT_ADDRESS_SIZE, true);
	assert_int_equal(iosim_dma_read(f.dev, (1ULL << 32) - 8, buf, 8), 0);
	assert_int_equal(iommu_unmap(f.domain, (1UL << 32) - SZ_4K, SZ_4K), SZ_4K);
	bm_teardown(&f);
}

static void test_unattached_master_faults_unless_the_iommu_bypasses(void **state)
{
	struct iosim_iommu_config cfg = { .bypass_unattached = true };
	struct bm_fixture f, bypass;
	struct page *page;
	phys_addr_t phys;
	u8 buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, back[8];

	bm_setup(&f, SZ_4K);
	iommu_detach_device(f.domain, f.dev);
	assert_int_equal(iosim_dma_read(f.dev, RAM_BASE, buf, 8), -EFAULT);
	assert_fault(&f, RAM_BASE, IOMMU_FAULT_READ, IOSIM_IOMMU_FAULT_NO_DOMAIN, false);
	assert_int_equal(f.seen.nr, 0);
	assert_int_equal(iommu_attach_device(f.domain, f.dev), 0);
	bm_teardown(&f);

	bm_setup_cfg(&bypass, &cfg);
	page = alloc_page(GFP_KERNEL);
	phys = page_to_phys(page);
	iommu_detach_device(bypass.domain, bypass.dev);
	assert_int_equal(iosim_dma_write(bypass.dev, phys + 64, buf, 8), 0);
	assert_memory_equal(phys_to_virt(phys + 64), buf, 8);
	assert_int_equal(iosim_dma_read(bypass.dev, phys + 64, back, 8), 0);
	assert_memory_equal(back, buf, 8);
	/* Bypass still needs RAM behind the address. */
	assert_int_equal(iosim_dma_read(bypass.dev, 0x1000, back, 8), -EFAULT);
	{
		struct iosim_iommu_fault fault;

		assert_true(iosim_iommu_last_fault(bypass.iommu, &fault));
		assert_int_equal(fault.reason, IOSIM_IOMMU_FAULT_BUS_ERROR);
		assert_false(fault.reported);
		assert_null(fault.domain);
	}
	assert_int_equal(iommu_attach_device(bypass.domain, bypass.dev), 0);
	__free_page(page);
	bm_teardown(&bypass);
}

/*
 * RAM in banks (Juno's layout): the hole between them is no RAM, so a
 * device reaching into it, through a translation or by bypass, gets a bus
 * error; the high bank works.  The low bank is one largest buddy block, all
 * of it allocated, so that its last frame may be read.
 */
static void test_holes_between_ram_banks_are_bus_errors(void **state)
{
	const u64 low_bytes = PAGE_SIZE << (MAX_ORDER - 1);
	const phys_addr_t low_end = IOSIM_RAM_JUNO_LOW_BASE + low_bytes;
	struct iosim_iommu_config cfg = { .granule = SZ_4K, .bypass_unattached = true };
	struct iosim_ram_config ram;
	struct iosim_iommu_fault fault;
	struct bm_fixture f;
	struct page *low;
	u8 buf[8];

	(void)state;
	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_ram_config_juno(&ram, low_bytes, 32ULL << 20), 0);
	assert_int_equal(iosim_ram_init(&ram), 0);
	low = alloc_pages(GFP_DMA, MAX_ORDER - 1);
	assert_non_null(low);
	assert_int_equal(page_to_phys(low), IOSIM_RAM_JUNO_LOW_BASE);
	bm_setup_cfg(&f, &cfg);
	assert_true(f.buf_phys >= IOSIM_RAM_JUNO_HIGH_BASE);

	/* A translation running off the low bank's end faults where it leaves RAM. */
	assert_int_equal(iommu_map(f.domain, SZ_2M, low_end - SZ_4K, 2 * SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_iommu_domain_check(f.domain), -EUCLEAN);
	assert_warned("outside RAM and MMIO");
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M + SZ_4K - 8, buf, 8), 0);
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M + SZ_4K - 4, buf, 8), -EFAULT);
	assert_fault(&f, SZ_2M + SZ_4K, IOMMU_FAULT_READ, IOSIM_IOMMU_FAULT_BUS_ERROR, false);
	assert_int_equal(iommu_unmap(f.domain, SZ_2M, 2 * SZ_4K), 2 * SZ_4K);

	/* Bypass: the hole, and a transfer crossing into it, are bus errors. */
	iommu_detach_device(f.domain, f.dev);
	assert_int_equal(iosim_dma_read(f.dev, 1ULL << 32, buf, 8), -EFAULT);
	assert_true(iosim_iommu_last_fault(f.iommu, &fault));
	assert_int_equal(fault.reason, IOSIM_IOMMU_FAULT_BUS_ERROR);
	assert_int_equal(fault.iova, 1ULL << 32);
	assert_int_equal(iosim_dma_read(f.dev, low_end - 4, buf, 8), -EFAULT);
	assert_true(iosim_iommu_last_fault(f.iommu, &fault));
	assert_int_equal(fault.reason, IOSIM_IOMMU_FAULT_BUS_ERROR);
	assert_int_equal(iosim_dma_read(f.dev, low_end - 8, buf, 8), 0);
	assert_int_equal(iosim_dma_read(f.dev, f.buf_phys, buf, 8), 0);
	assert_int_equal(iommu_attach_device(f.domain, f.dev), 0);
	bm_teardown(&f);
	__free_pages(low, MAX_ORDER - 1);
}

static void test_mmio_outputs_are_bus_errors_for_the_bus_master(void **state)
{
	struct iosim_iommu_config cfg = { .mmio_base = 0x10000000, .mmio_size = SZ_1M };
	struct bm_fixture f;
	u8 buf[4] = { 0 };

	bm_setup_cfg(&f, &cfg);
	/* An MSI doorbell style mapping: the checker accepts the window. */
	assert_int_equal(iommu_map(f.domain, SZ_1M, 0x10000000, SZ_4K, IOMMU_WRITE | IOMMU_MMIO),
			 0);
	assert_int_equal(iosim_iommu_domain_check(f.domain), 0);
	assert_int_equal(iosim_dma_write(f.dev, SZ_1M, buf, 4), -EFAULT);
	assert_fault(&f, SZ_1M, IOMMU_FAULT_WRITE, IOSIM_IOMMU_FAULT_BUS_ERROR, false);
	assert_int_equal(f.seen.nr, 0);
	/* Outside RAM and the window, the checker objects. */
	assert_int_equal(iommu_map(f.domain, SZ_2M, 0x20000000, SZ_4K, IOMMU_WRITE), 0);
	assert_int_equal(iosim_iommu_domain_check(f.domain), -EUCLEAN);
	assert_warned("outside RAM and MMIO");
	assert_int_equal(iommu_unmap(f.domain, SZ_2M, SZ_4K), SZ_4K);
	assert_int_equal(iommu_unmap(f.domain, SZ_1M, SZ_4K), SZ_4K);
	bm_teardown(&f);
}

/* A handler that maps the missing page: it may call back into the IOMMU. */
static int mapping_handler(struct iommu_domain *domain, struct device *dev, unsigned long iova,
			   int flags, void *token)
{
	phys_addr_t *phys = token;

	return iommu_map(domain, iova & ~(SZ_4K - 1UL), *phys, SZ_4K, IOMMU_READ);
}

static void test_fault_handler_may_call_back_into_the_iommu(void **state)
{
	struct bm_fixture f;
	phys_addr_t phys;
	u8 buf[4];

	bm_setup(&f, SZ_4K);
	phys = f.buf_phys + SZ_1M;
	iommu_set_fault_handler(f.domain, mapping_handler, &phys);
	/* The access that faulted stays failed; the next one finds the page. */
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M + 4, buf, 4), -EFAULT);
	assert_int_equal(iommu_iova_to_phys(f.domain, SZ_2M + 4), phys + 4);
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M + 4, buf, 4), 0);
	assert_int_equal(iommu_unmap(f.domain, SZ_2M, SZ_4K), SZ_4K);
	bm_teardown(&f);
}

static void test_fault_log_keeps_the_latest_faults_in_order(void **state)
{
	struct iosim_iommu_fault log[IOSIM_IOMMU_FAULT_LOG];
	struct bm_fixture f;
	unsigned int i;
	u8 buf[1];

	bm_setup(&f, SZ_4K);
	for (i = 0; i < IOSIM_IOMMU_FAULT_LOG + 6; i++)
		assert_int_equal(iosim_dma_read(f.dev, i * SZ_4K, buf, 1), -EFAULT);
	assert_int_equal(iosim_iommu_faults(f.iommu, log, ARRAY_SIZE(log)),
			 IOSIM_IOMMU_FAULT_LOG + 6);
	for (i = 0; i < IOSIM_IOMMU_FAULT_LOG; i++) {
		assert_int_equal(log[i].seq, i + 7);
		assert_int_equal(log[i].iova, (i + 6) * SZ_4K);
	}
	/* Fewer than kept: the oldest come first. */
	assert_int_equal(iosim_iommu_faults(f.iommu, log, 2), IOSIM_IOMMU_FAULT_LOG + 6);
	assert_int_equal(log[1].seq, 8);
	iosim_iommu_clear_faults(f.iommu);
	assert_int_equal(iosim_iommu_faults(f.iommu, log, ARRAY_SIZE(log)), 0);
	assert_false(iosim_iommu_last_fault(f.iommu, &log[0]));
	assert_string_equal(iosim_iommu_fault_reason_name(IOSIM_IOMMU_FAULT_PERMISSION),
			    "permission");
	bm_teardown(&f);
}

/* -- the walk and the IOTLB ------------------------------------------------------ */

static void test_walk_reads_descriptors_from_simulated_memory(void **state)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct iosim_pgtable_leaf leaf;
	struct iosim_domain *dom;
	struct bm_fixture f;
	u8 buf[4] = { 0 };
	u64 *ptep;

	bm_setup(&f, SZ_4K);
	assert_int_equal(iommu_map(f.domain, SZ_1M, page_to_phys(page), SZ_4K,
				   IOMMU_READ | IOMMU_WRITE), 0);
	dom = to_iosim_domain(f.domain);
	assert_int_equal(iosim_pgtable_lookup(&dom->pgt, SZ_1M, &leaf), 0);
	/* Find the descriptor in RAM and take the write permission away behind the API. */
	{
		const struct iosim_pgtable_cfg *cfg = dom->pgt.cfg;
		phys_addr_t table = dom->pgt.pgd_phys;
		int lvl;

		for (lvl = cfg->start_level; lvl < IOSIM_PGT_LEAF_LEVEL; lvl++)
			table = iosim_pte_addr(cfg, iosim_pgtable_table_virt(table)
					       [iosim_pgt_lvl_index(cfg, lvl, SZ_1M)]);
		ptep = iosim_pgtable_table_virt(table) + iosim_pgt_lvl_index(cfg, lvl, SZ_1M);
		assert_int_equal(*ptep, leaf.desc);
	}
	*ptep &= ~IOSIM_PTE_S2AP_WRITE;
	assert_int_equal(iosim_dma_write(f.dev, SZ_1M, buf, 4), -EFAULT);
	assert_fault(&f, SZ_1M, IOMMU_FAULT_WRITE, IOSIM_IOMMU_FAULT_PERMISSION, true);
	*ptep |= IOSIM_PTE_S2AP_WRITE;
	/* That walk cached the read-only leaf: the IOTLB must be flushed. */
	assert_int_equal(iosim_dma_write(f.dev, SZ_1M, buf, 4), -EFAULT);
	iosim_iommu_iotlb_flush(f.iommu);
	assert_int_equal(iosim_dma_write(f.dev, SZ_1M, buf, 4), 0);
	assert_int_equal(iommu_unmap(f.domain, SZ_1M, SZ_4K), SZ_4K);
	__free_page(page);
	bm_teardown(&f);
}

static void test_iotlb_hits_misses_and_lru_eviction(void **state)
{
	struct iosim_iommu_config cfg = { .iotlb_entries = 4 };
	struct iosim_iommu_stats stats;
	struct bm_fixture f;
	unsigned int i;
	u8 buf[4];

	bm_setup_cfg(&f, &cfg);
	assert_int_equal(iommu_map(f.domain, 0, f.buf_phys, 8 * SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iommu_map(f.domain, SZ_2M, f.buf_phys, SZ_2M, IOMMU_READ), 0);

	/* A block is cached whole: the second read of it hits. */
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M, buf, 4), 0);
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M + SZ_1M, buf, 4), 0);
	iosim_iommu_domain_stats(f.domain, &stats);
	assert_int_equal(stats.iotlb_misses, 1);
	assert_int_equal(stats.walks, 1);
	assert_int_equal(stats.iotlb_hits, 1);

	/* Pages 0..3 fill the rest and evict the block (least recently used). */
	for (i = 0; i < 4; i++)
		assert_int_equal(iosim_dma_read(f.dev, i * SZ_4K, buf, 4), 0);
	iosim_iommu_domain_stats(f.domain, &stats);
	assert_int_equal(stats.iotlb_misses, 5);
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M, buf, 4), 0);	/* walks again */
	/* Page 0 was the oldest left: gone; page 3 still there. */
	assert_int_equal(iosim_dma_read(f.dev, 3 * SZ_4K, buf, 4), 0);
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), 0);
	iosim_iommu_domain_stats(f.domain, &stats);
	assert_int_equal(stats.iotlb_misses, 7);
	assert_int_equal(stats.iotlb_hits, 2);
	/* A read across two pages translates both. */
	assert_int_equal(iosim_dma_read(f.dev, 5 * SZ_4K - 2, buf, 4), 0);
	iosim_iommu_domain_stats(f.domain, &stats);
	assert_int_equal(stats.iotlb_misses, 9);
	assert_int_equal(stats.dma_read_bytes, 10 * 4);
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

	assert_int_equal(iommu_unmap(f.domain, 0, 8 * SZ_4K), 8 * SZ_4K);
	assert_int_equal(iommu_unmap(f.domain, SZ_2M, SZ_2M), SZ_2M);
	bm_teardown(&f);
}

/* Read @iova (@f's device) and require @misses, @hits so far and a sound instance. */
static void read_counting(struct bm_fixture *f, unsigned long iova, unsigned long misses,
			  unsigned long hits)
{
	struct iosim_iommu_stats stats;
	u8 buf[4];

	assert_int_equal(iosim_dma_read(f->dev, iova, buf, sizeof(buf)), 0);
	iosim_iommu_domain_stats(f->domain, &stats);
	assert_int_equal(stats.iotlb_misses, misses);
	assert_int_equal(stats.walks, misses);
	assert_int_equal(stats.iotlb_hits, hits);
	assert_int_equal(iosim_iommu_instance_check(f->iommu), 0);
}

/*
 * The IOTLB's index is host memory (IOSIM_FAULT_HOST).  A fill that finds
 * the IOTLB empty, or empties it by evicting its only entry, and cannot
 * create the index caches nothing: the access still completes, the next one
 * walks again, and the one after that hits.
 */
static void test_an_iotlb_that_cannot_create_its_index_caches_nothing(void **state)
{
	struct iosim_iommu_config cfg = { .iotlb_entries = 1 };
	const unsigned int host = IOSIM_FAULT_SITE(IOSIM_FAULT_HOST);
	unsigned long n, misses = 0, hits = 0;
	struct bm_fixture f;

	bm_setup_cfg(&f, &cfg);
	assert_int_equal(iommu_map(f.domain, 0, f.buf_phys, 2 * SZ_4K, IOMMU_READ), 0);
	/* The index's header, then its first bucket array. */
	for (n = 1; n <= 2; n++) {
		iosim_fault_fail_nth(host, n);
		read_counting(&f, 0, ++misses, hits);
		assert_int_equal(iosim_fault_injected(), 1);
		iosim_fault_reset();
		read_counting(&f, 0, ++misses, hits);
		read_counting(&f, 0, misses, ++hits);
		/* Page 1 evicts page 0, the only entry: the index empties and is made anew. */
		iosim_fault_fail_nth(host, n);
		read_counting(&f, SZ_4K, ++misses, hits);
		assert_int_equal(iosim_fault_injected(), 1);
		iosim_fault_reset();
		read_counting(&f, SZ_4K, ++misses, hits);
		read_counting(&f, SZ_4K, misses, ++hits);
		iosim_iommu_iotlb_flush(f.iommu);
	}
	assert_int_equal(iommu_unmap(f.domain, 0, 2 * SZ_4K), 2 * SZ_4K);
	bm_teardown(&f);
}

/* A hit makes its entry the most recently used: the next eviction spares it. */
static void test_an_iotlb_hit_protects_its_entry_from_the_next_eviction(void **state)
{
	struct iosim_iommu_config cfg = { .iotlb_entries = 2 };
	struct iosim_iommu_stats stats;
	struct bm_fixture f;
	u8 buf[4];

	bm_setup_cfg(&f, &cfg);
	assert_int_equal(iommu_map(f.domain, 0, f.buf_phys, 3 * SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), 0);		/* A: miss */
	assert_int_equal(iosim_dma_read(f.dev, SZ_4K, buf, 4), 0);	/* B: miss */
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), 0);		/* A: hit */
	assert_int_equal(iosim_dma_read(f.dev, 2 * SZ_4K, buf, 4), 0);	/* C: evicts B */
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);
	iosim_iommu_domain_stats(f.domain, &stats);
	assert_int_equal(stats.iotlb_misses, 3);
	assert_int_equal(stats.iotlb_hits, 1);
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), 0);		/* A: still there */
	assert_int_equal(iosim_dma_read(f.dev, SZ_4K, buf, 4), 0);	/* B: gone */
	iosim_iommu_domain_stats(f.domain, &stats);
	assert_int_equal(stats.iotlb_hits, 2);
	assert_int_equal(stats.iotlb_misses, 4);
	assert_int_equal(iommu_unmap(f.domain, 0, 3 * SZ_4K), 3 * SZ_4K);
	bm_teardown(&f);
}

/* The instance checker sees an IOTLB entry changed behind its index's back. */
static void test_the_checker_catches_an_iotlb_entry_its_index_does_not_know(void **state)
{
	struct iosim_iommu_config cfg = { .iotlb_entries = 4 };
	struct iosim_iotlb *tlb;
	struct bm_fixture f;
	unsigned int first;
	u8 buf[4];

	bm_setup_cfg(&f, &cfg);
	tlb = &f.iommu->iotlb;
	assert_int_equal(iommu_map(f.domain, 0, f.buf_phys, 2 * SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), 0);
	assert_int_equal(iosim_dma_read(f.dev, SZ_4K, buf, 4), 0);
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

	tlb->entries[1].iova ^= 2 * SZ_4K;
	assert_int_equal(iosim_iommu_instance_check(f.iommu), -EUCLEAN);
	assert_warned("is not indexed under its key");
	tlb->entries[1].iova ^= 2 * SZ_4K;

	first = tlb->first_empty;
	tlb->first_empty = 3;
	assert_int_equal(iosim_iommu_instance_check(f.iommu), -EUCLEAN);
	assert_warned("is empty below the first-empty mark");
	tlb->first_empty = first;
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

	assert_int_equal(iommu_unmap(f.domain, 0, 2 * SZ_4K), 2 * SZ_4K);
	bm_teardown(&f);
}

static void test_unmap_invalidates_the_iotlb(void **state)
{
	struct iosim_iommu_stats before, after;
	struct bm_fixture f;
	u8 buf[4];

	bm_setup(&f, SZ_4K);
	assert_int_equal(iommu_map(f.domain, 0, f.buf_phys, 2 * SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), 0);
	assert_int_equal(iosim_dma_read(f.dev, SZ_4K, buf, 4), 0);
	iosim_iommu_domain_stats(f.domain, &before);
	assert_int_equal(iommu_unmap(f.domain, 0, SZ_4K), SZ_4K);
	iosim_iommu_domain_stats(f.domain, &after);
	assert_int_equal(after.iotlb_invalidations, before.iotlb_invalidations + 1);
	assert_int_equal(after.iotlb_entries_invalidated, before.iotlb_entries_invalidated + 1);
	/* Use after unmap is caught; the neighbour still hits. */
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), -EFAULT);
	assert_fault(&f, 0, IOMMU_FAULT_READ, IOSIM_IOMMU_FAULT_TRANSLATION, true);
	assert_int_equal(iosim_dma_read(f.dev, SZ_4K, buf, 4), 0);
	iosim_iommu_domain_stats(f.domain, &after);
	assert_int_equal(after.iotlb_hits, before.iotlb_hits + 1);
	assert_int_equal(after.iotlb_stale_hits, 0);
	assert_int_equal(iommu_unmap(f.domain, SZ_4K, SZ_4K), SZ_4K);
	bm_teardown(&f);
}

/*
 * A range invalidation finds every cached leaf the range meets: by hash
 * probes (one per aligned leaf of each cached size) when that is cheaper
 * than walking the cached entries, by the walk otherwise.  A 64-entry IOTLB
 * holding 32 pages and two blocks: one page unmapped and 4K punched out of
 * a block (probes; the block's entry is found from an IOVA inside it), then
 * the other block unmapped whole (513 probes for 33 entries: the walk).
 */
/*
 * 512 leaves in one access (translated in holds of 32 leaves), cached in an
 * IOTLB big enough that its index grows past its first bucket array, then
 * emptied by one unmap (the index gives its blocks back) and filled again.
 */
static void test_a_long_access_and_an_iotlb_index_that_grew_and_emptied(void **state)
{
	struct iosim_iommu_config cfg = { .granule = SZ_4K, .iotlb_entries = 1024 };
	struct iosim_iommu_stats st, start;
	struct bm_fixture f;
	unsigned char *cpu, *got;
	unsigned long off;
	int round;

	bm_setup_cfg(&f, &cfg);
	cpu = page_address(f.buf);
	/* Every 8 bytes differ: a leaf translated to the wrong page reads other words. */
	for (off = 0; off < SZ_2M; off += sizeof(u64)) {
		u64 word = 0x0123456789abcdefULL ^ off;

		memcpy(cpu + off, &word, sizeof(word));
	}
	got = malloc(SZ_2M);
	assert_non_null(got);

	for (round = 0; round < 2; round++) {
		/* Page by page: 512 leaves of 4 KiB, not one 2 MiB block. */
		iosim_iommu_domain_stats(f.domain, &start);
		for (off = 0; off < SZ_2M; off += SZ_4K)
			assert_int_equal(iommu_map(f.domain, SZ_2M + off, f.buf_phys + off, SZ_4K,
						   IOMMU_READ), 0);
		memset(got, 0, SZ_2M);
		assert_int_equal(iosim_dma_read(f.dev, SZ_2M, got, SZ_2M), 0);
		assert_int_equal(memcmp(got, cpu, SZ_2M), 0);	/* not cmocka's byte loop: valgrind */
		iosim_iommu_domain_stats(f.domain, &st);
		assert_int_equal(st.iotlb_misses, start.iotlb_misses + 512);
		assert_int_equal(st.iotlb_hits, start.iotlb_hits);
		assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

		/* All cached now: the same access hits 512 times. */
		memset(got, 0, SZ_2M);
		assert_int_equal(iosim_dma_read(f.dev, SZ_2M, got, SZ_2M), 0);
		assert_int_equal(memcmp(got, cpu, SZ_2M), 0);	/* not cmocka's byte loop: valgrind */
		iosim_iommu_domain_stats(f.domain, &st);
		assert_int_equal(st.iotlb_hits, start.iotlb_hits + 512);
		assert_int_equal(st.dma_read_bytes, start.dma_read_bytes + 2ULL * SZ_2M);

		/* One unmap empties the IOTLB. */
		assert_int_equal(iommu_unmap(f.domain, SZ_2M, SZ_2M), SZ_2M);
		iosim_iommu_domain_stats(f.domain, &st);
		assert_int_equal(st.iotlb_entries_invalidated, start.iotlb_entries_invalidated + 512);
		assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);
		assert_int_equal(iosim_dma_read(f.dev, SZ_2M + SZ_1M, got, 1), -EFAULT);
		assert_fault(&f, SZ_2M + SZ_1M, IOMMU_FAULT_READ, IOSIM_IOMMU_FAULT_TRANSLATION,
			     true);
	}
	free(got);
	bm_teardown(&f);
	(void)state;
}

static void test_range_invalidation_by_probe_and_by_walk(void **state)
{
	struct iosim_iommu_config cfg = { .iotlb_entries = 64 };
	struct iosim_iommu_stats before, after;
	struct bm_fixture f;
	unsigned int i;
	u8 buf[4];

	bm_setup_cfg(&f, &cfg);
	assert_int_equal(iommu_map(f.domain, 0, f.buf_phys, 32 * SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iommu_map(f.domain, SZ_2M, f.buf_phys, SZ_2M, IOMMU_READ), 0);
	assert_int_equal(iommu_map(f.domain, SZ_4M, f.buf_phys, SZ_2M, IOMMU_READ), 0);
	for (i = 0; i < 32; i++)
		assert_int_equal(iosim_dma_read(f.dev, i * SZ_4K, buf, 4), 0);
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M + SZ_1M, buf, 4), 0);
	assert_int_equal(iosim_dma_read(f.dev, SZ_4M + SZ_1M, buf, 4), 0);
	iosim_iommu_domain_stats(f.domain, &before);
	assert_int_equal(before.iotlb_misses, 34);

	/* One page: two probes (a 4K and a 2M leaf), 34 entries cached. */
	assert_int_equal(iommu_unmap(f.domain, 5 * SZ_4K, SZ_4K), SZ_4K);
	iosim_iommu_domain_stats(f.domain, &after);
	assert_int_equal(after.iotlb_entries_invalidated, before.iotlb_entries_invalidated + 1);
	assert_int_equal(iosim_dma_read(f.dev, 5 * SZ_4K, buf, 4), -EFAULT);
	assert_fault(&f, 5 * SZ_4K, IOMMU_FAULT_READ, IOSIM_IOMMU_FAULT_TRANSLATION, true);
	assert_int_equal(iosim_dma_read(f.dev, 4 * SZ_4K, buf, 4), 0);
	assert_int_equal(iosim_dma_read(f.dev, 6 * SZ_4K, buf, 4), 0);
	iosim_iommu_domain_stats(f.domain, &after);
	assert_int_equal(after.iotlb_hits, before.iotlb_hits + 2);

	/* 4K from the middle of a block: its entry is found from 2M below. */
	before = after;
	assert_int_equal(iommu_unmap(f.domain, SZ_2M + SZ_1M, SZ_4K), SZ_4K);
	iosim_iommu_domain_stats(f.domain, &after);
	assert_int_equal(after.iotlb_entries_invalidated, before.iotlb_entries_invalidated + 1);
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M + SZ_1M, buf, 4), -EFAULT);
	assert_fault(&f, SZ_2M + SZ_1M, IOMMU_FAULT_READ, IOSIM_IOMMU_FAULT_TRANSLATION, true);
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M, buf, 4), 0);
	iosim_iommu_domain_stats(f.domain, &after);
	assert_int_equal(after.iotlb_hits, before.iotlb_hits);	/* the block's entry is gone */
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

	/* The other block whole: one 2M invalidation, which walks. */
	before = after;
	assert_int_equal(iommu_unmap(f.domain, SZ_4M, SZ_2M), SZ_2M);
	iosim_iommu_domain_stats(f.domain, &after);
	assert_int_equal(after.iotlb_entries_invalidated, before.iotlb_entries_invalidated + 1);
	assert_int_equal(iosim_dma_read(f.dev, SZ_4M + SZ_1M, buf, 4), -EFAULT);
	assert_fault(&f, SZ_4M + SZ_1M, IOMMU_FAULT_READ, IOSIM_IOMMU_FAULT_TRANSLATION, true);
	/* The pages it did not meet are still cached. */
	assert_int_equal(iosim_dma_read(f.dev, 31 * SZ_4K, buf, 4), 0);
	iosim_iommu_domain_stats(f.domain, &after);
	assert_int_equal(after.iotlb_hits, before.iotlb_hits + 1);
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

	assert_int_equal(iommu_unmap(f.domain, 0, 5 * SZ_4K), 5 * SZ_4K);
	assert_int_equal(iommu_unmap(f.domain, 6 * SZ_4K, 26 * SZ_4K), 26 * SZ_4K);
	assert_int_equal(iommu_unmap(f.domain, SZ_2M, SZ_1M), SZ_1M);
	assert_int_equal(iommu_unmap(f.domain, SZ_2M + SZ_1M + SZ_4K, SZ_1M - SZ_4K),
			 SZ_1M - SZ_4K);
	bm_teardown(&f);
}

static void test_skipped_invalidation_leaves_a_stale_translation(void **state)
{
	struct iosim_iommu_stats stats;
	struct bm_fixture f;
	u8 buf[4];

	bm_setup(&f, SZ_4K);
	iosim_iommu_set_skip_invalidate(f.iommu, true);
	assert_int_equal(iommu_map(f.domain, 0, f.buf_phys, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), 0);
	assert_int_equal(iommu_unmap(f.domain, 0, SZ_4K), SZ_4K);
	/* The device still reaches the unmapped page: the bug goes unseen... */
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), 0);
	iosim_iommu_domain_stats(f.domain, &stats);
	assert_int_equal(stats.iotlb_skipped_invalidations, 1);
	/* ...by the device, but the simulator counted it. */
	assert_int_equal(stats.iotlb_stale_hits, 1);
	assert_int_equal(stats.iotlb_invalidations, 0);
	iosim_iommu_iotlb_flush(f.iommu);
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), -EFAULT);
	iosim_iommu_set_skip_invalidate(f.iommu, false);
	bm_teardown(&f);
}

/*
 * Two entries translate one address: a stale page entry and a block entry
 * filled after it.  The lower-numbered entry (the page, filled first)
 * answers, as it did when the IOTLB was searched in order; the index must
 * keep that.
 */
static void test_a_stale_page_entry_inside_a_block_entry_answers_first(void **state)
{
	struct iosim_iommu_config cfg = { .iotlb_entries = 4 };
	struct iosim_iommu_stats before, after;
	struct bm_fixture f;
	u8 buf[4];

	bm_setup_cfg(&f, &cfg);
	iosim_iommu_set_skip_invalidate(f.iommu, true);
	assert_int_equal(iommu_map(f.domain, SZ_2M, f.buf_phys, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M, buf, 4), 0);
	assert_int_equal(iommu_unmap(f.domain, SZ_2M, SZ_4K), SZ_4K);
	assert_int_equal(iommu_map(f.domain, SZ_2M, f.buf_phys, SZ_2M, IOMMU_READ), 0);
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M + SZ_1M, buf, 4), 0);
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

	iosim_iommu_domain_stats(f.domain, &before);
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M, buf, 4), 0);		/* the page's */
	assert_int_equal(iosim_dma_read(f.dev, SZ_2M + SZ_4K, buf, 4), 0);	/* the block's */
	iosim_iommu_domain_stats(f.domain, &after);
	assert_int_equal(after.iotlb_hits - before.iotlb_hits, 2);
	assert_int_equal(after.iotlb_stale_hits - before.iotlb_stale_hits, 1);
	assert_int_equal(after.iotlb_misses, before.iotlb_misses);

	iosim_iommu_iotlb_flush(f.iommu);
	iosim_iommu_set_skip_invalidate(f.iommu, false);
	assert_int_equal(iommu_unmap(f.domain, SZ_2M, SZ_2M), SZ_2M);
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);
	bm_teardown(&f);
}

static void test_without_an_iotlb_every_access_walks(void **state)
{
	struct iosim_iommu_config cfg = { .no_iotlb = true };
	struct iosim_iommu_stats stats;
	struct bm_fixture f;
	unsigned int i;
	u8 buf[4];

	bm_setup_cfg(&f, &cfg);
	assert_int_equal(iommu_map(f.domain, 0, f.buf_phys, SZ_4K, IOMMU_READ), 0);
	for (i = 0; i < 5; i++)
		assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), 0);
	iosim_iommu_get_stats(f.iommu, &stats);
	assert_int_equal(stats.walks, 5);
	assert_int_equal(stats.iotlb_hits, 0);
	assert_int_equal(iommu_unmap(f.domain, 0, SZ_4K), SZ_4K);
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 4), -EFAULT);
	bm_teardown(&f);
}

static void test_domains_do_not_share_iotlb_entries(void **state)
{
	struct bm_fixture f;
	struct device *dev2 = fiommu_device("second", &platform_bus_type, false);
	struct page *pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	phys_addr_t phys = page_to_phys(pages);
	const struct iommu_ops *ops;
	struct iommu_domain *other;
	u8 a[4] = { 1, 1, 1, 1 }, b[4];

	bm_setup(&f, SZ_4K);
	ops = iosim_iommu_ops(f.iommu);
	other = ops->domain_alloc(IOMMU_DOMAIN_UNMANAGED);
	other->ops = ops;
	other->type = IOMMU_DOMAIN_UNMANAGED;
	assert_int_equal(iosim_iommu_add_master(f.iommu, dev2), 0);
	assert_int_equal(iommu_attach_device(other, dev2), 0);
	/* The same IOVA, two contexts, two pages. */
	assert_int_equal(iommu_map(f.domain, 0, phys, SZ_4K, IOMMU_READ | IOMMU_WRITE), 0);
	assert_int_equal(iommu_map(other, 0, phys + SZ_4K, SZ_4K, IOMMU_READ | IOMMU_WRITE), 0);
	assert_int_equal(iosim_dma_write(f.dev, 0, a, 4), 0);
	assert_int_equal(iosim_dma_read(dev2, 0, b, 4), 0);
	assert_memory_equal(b, phys_to_virt(phys + SZ_4K), 4);
	assert_memory_not_equal(b, a, 4);
	assert_int_equal(iosim_iommu_instance_check(f.iommu), 0);

	iommu_detach_device(other, dev2);
	ops->domain_free(other);
	iosim_iommu_remove_master(dev2);
	iosim_device_destroy(dev2);
	assert_int_equal(iommu_unmap(f.domain, 0, SZ_4K), SZ_4K);
	__free_pages(pages, 1);
	bm_teardown(&f);
}

static void test_dma_bytes_are_counted(void **state)
{
	struct page *page = alloc_page(GFP_KERNEL);
	struct iosim_iommu_stats stats;
	struct bm_fixture f;
	u8 buf[100] = { 0 };

	bm_setup(&f, IOSIM_IOMMU_SMALL_PAGE);
	assert_int_equal(iommu_map(f.domain, 0, page_to_phys(page), 4 * SZ_2K,
				   IOMMU_READ | IOMMU_WRITE), 0);
	assert_int_equal(iosim_dma_write(f.dev, SZ_2K - 50, buf, 100), 0);
	assert_int_equal(iosim_dma_read(f.dev, 0, buf, 100), 0);
	assert_int_equal(iosim_dma_read(f.dev, 4 * SZ_2K, buf, 1), -EFAULT);
	iosim_iommu_get_stats(f.iommu, &stats);
	assert_int_equal(stats.dma_write_bytes, 100);
	assert_int_equal(stats.dma_read_bytes, 100);
	assert_int_equal(stats.faults, 1);
	assert_int_equal(stats.mappings[ilog2(SZ_2K)], 4);
	assert_int_equal(iommu_unmap(f.domain, 0, 4 * SZ_2K), 4 * SZ_2K);
	__free_page(page);
	bm_teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BM_TEST(test_dma_without_iommu_is_one_to_one),
		BM_TEST(test_dma_misuse_warns_and_zero_length_does_nothing),
		BM_TEST(test_dma_across_page_and_block_boundaries_for_every_size),
		BM_TEST(test_dma_gathers_scattered_pages),
		BM_TEST(test_permission_faults_reach_the_handler_and_the_log),
		BM_TEST(test_unmapped_addresses_fault_at_the_first_missing_byte),
		BM_TEST(test_address_beyond_the_input_size_is_an_address_size_fault),
		BM_TEST(test_unattached_master_faults_unless_the_iommu_bypasses),
		BM_TEST(test_mmio_outputs_are_bus_errors_for_the_bus_master),
		BM_TEST(test_holes_between_ram_banks_are_bus_errors),
		BM_TEST(test_fault_handler_may_call_back_into_the_iommu),
		BM_TEST(test_fault_log_keeps_the_latest_faults_in_order),
		BM_TEST(test_walk_reads_descriptors_from_simulated_memory),
		BM_TEST(test_iotlb_hits_misses_and_lru_eviction),
		BM_TEST(test_an_iotlb_that_cannot_create_its_index_caches_nothing),
		BM_TEST(test_unmap_invalidates_the_iotlb),
		BM_TEST(test_range_invalidation_by_probe_and_by_walk),
		BM_TEST(test_a_long_access_and_an_iotlb_index_that_grew_and_emptied),
		BM_TEST(test_skipped_invalidation_leaves_a_stale_translation),
		BM_TEST(test_a_stale_page_entry_inside_a_block_entry_answers_first),
		BM_TEST(test_an_iotlb_hit_protects_its_entry_from_the_next_eviction),
		BM_TEST(test_the_checker_catches_an_iotlb_entry_its_index_does_not_know),
		BM_TEST(test_without_an_iotlb_every_access_walks),
		BM_TEST(test_domains_do_not_share_iotlb_entries),
		BM_TEST(test_dma_bytes_are_counted),
	};

	return cmocka_run_group_tests_name("fake-iommu bus master", tests, NULL, NULL);
}
