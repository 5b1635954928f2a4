// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The DMA layer over the Contiguous Memory Allocator (<linux/dma-contiguous.h>):
 * the default area that booting reserves from the "cma=" parameter
 * (iosim_dma_set_cma()), below the end of ZONE_DMA; arm64's sleeping coherent
 * allocations for devices without an IOMMU taken from it (or from a device's
 * own area), with no fallback when it is full; the atomic pool carved from
 * it; IOMMU devices leaving it alone (the seed's review: page-by-page IOMMU
 * buffers save CMA for the devices that need it); an area the device cannot
 * reach refused; failures leaving the area as it was.
 *
 * Sizes follow the build's PAGE_SIZE: an area is aligned to the largest
 * buddy block (PAGE_SIZE << (MAX_ORDER - 1): 4 MiB, 32 MiB or 512 MiB).
 * With 64K pages an area is that big, and the first touch of its frames
 * is what costs, so one RAM of each layout serves every test, reset to its
 * fresh state in between (<iosim/ram_reset.h>) rather than made anew.
 */
#include "platforms.h"

#include <stdio.h>
#include <string.h>

#include <linux/cma.h>
#include <linux/dma-contiguous.h>
#include <linux/mmzone.h>
#include <linux/platform_device.h>
#include <iosim/bus_master.h>
#include <iosim/cma.h>
#include <iosim/fault.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/ram_reset.h>
#include <iosim/swiotlb.h>

/* The CMA's alignment: one largest buddy block. */
#define BLOCK_BYTES	((u64)PAGE_SIZE << (MAX_ORDER - 1))
#define BLOCK_PAGES	(1UL << (MAX_ORDER - 1))

/*
 * With 64K pages every area is 512 MiB and each test that makes one touches
 * it all (about 2 s on a small VM, 4 s under ASan): the variants below that
 * repeat what another test already shows at 64K (another kind of device,
 * the failure sweeps) run with 4K and 16K pages only.
 */
#define SKIP_IF_AREAS_HUGE()	do { if (BLOCK_BYTES > SZ_32M) skip(); } while (0)

/* RAM below 4 GiB (ZONE_DMA), with room for an area of two blocks and more. */
static u64 low_bank_bytes(void)
{
	u64 bytes = 4 * BLOCK_BYTES;

	if (bytes < SZ_128M)
		bytes = SZ_128M;
	return bytes > IOSIM_RAM_JUNO_LOW_MAX ? IOSIM_RAM_JUNO_LOW_MAX : bytes;
}

struct cma_fix {
	struct iosim_iommu *iommu;
	struct device *dev;
	struct cma *area;	/* the default area */
};

struct cma_setup {
	bool low_ram;		/* RAM below 4 GiB too (swiotlb's ops), else only above */
	const char *param;	/* "cma=", NULL for none */
	bool iommu;
	bool coherent;
	u64 coherent_mask;	/* 0: 64 bits */
	size_t atomic_pool;	/* 0: 256 KiB */
};

static void check(struct cma_fix *f)
{
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_cma_check_all(), 0);
	if (f->dev)
		assert_int_equal(iosim_device_check(f->dev), 0);
}

/* The layout of the RAM that exists between tests: 1 low + high, 0 high only, -1 none. */
static int ram_low = -1;

/* Fresh RAM of the layout: the live one reset if it has it, else made anew. */
static void ram_use(bool low_ram)
{
	struct iosim_ram_config ram;

	if (iosim_ram_ready() && ram_low == low_ram && !iosim_ram_reset())
		return;
	if (iosim_ram_ready())
		assert_int_equal(iosim_ram_exit(), 0);
	ram_low = -1;
	if (low_ram) {
		assert_int_equal(iosim_ram_config_juno(&ram, low_bank_bytes(), SZ_64M), 0);
	} else {	/* one bank above 4 GiB: no ZONE_DMA, no swiotlb pool */
		memset(&ram, 0, sizeof(ram));
		ram.base_phys = IOSIM_RAM_JUNO_HIGH_BASE;
		ram.size_bytes = 4 * BLOCK_BYTES;
	}
	assert_int_equal(iosim_ram_init_resettable(&ram), 0);
	ram_low = low_ram;
}

static int group_teardown(void **state)
{
	(void)state;
	if (iosim_ram_ready())
		iosim_ram_exit();
	return 0;
}

static void setup(struct cma_fix *f, const struct cma_setup *s)
{
	struct iosim_iommu_config icfg = {
		.name = "smmu", .bus = &platform_bus_type, .bypass_unattached = true,
	};
	struct iosim_of_device_config dcfg = { .dev = { .name = "cmadev" } };

	memset(f, 0, sizeof(*f));
	iosim_log_set_console_level(0);
	ram_use(s->low_ram);
	iosim_swiotlb_set_size(SZ_1M);
	iosim_dma_set_atomic_pool_size(s->atomic_pool ? s->atomic_pool : SZ_256K);
	assert_int_equal(iosim_dma_set_cma(s->param), 0);
	assert_int_equal(iosim_dma_system_init(), 0);
	f->area = dma_contiguous_default_area;

	if (s->iommu) {
		f->iommu = iosim_iommu_create(&icfg);
		assert_false(IS_ERR_OR_NULL(f->iommu));
	}
	dcfg.iommu = f->iommu;
	dcfg.dma_coherent = s->coherent;
	dcfg.dev.dma_mask = DMA_BIT_MASK(64);
	dcfg.dev.coherent_dma_mask = s->coherent_mask ? s->coherent_mask : DMA_BIT_MASK(64);
	f->dev = iosim_of_device_create(&dcfg);
	assert_non_null(f->dev);
	assert_int_equal(iosim_dma_uses_iommu(f->dev), s->iommu);
	check(f);
}

static void teardown(struct cma_fix *f)
{
	check(f);
	iosim_of_device_destroy(f->dev);
	if (f->iommu)
		iosim_iommu_destroy(f->iommu);
	iosim_dma_system_exit();
	assert_null(dma_contiguous_default_area);
	assert_int_equal(iosim_cma_nr_areas(), 0);
	assert_int_equal(iosim_dma_set_cma(NULL), 0);
	iosim_swiotlb_set_size(0);
	assert_int_equal(iosim_ram_check(), 0);
	/* Everything went back: the RAM stays for the next test. */
	assert_int_equal(iosim_ram_free_pages(), iosim_ram_nr_pages());
	iosim_log_set_console_level(5);
}

/* "cma=" of one block, in hex bytes. */
static const char *one_block(void)
{
	static char text[32];

	snprintf(text, sizeof(text), "%#llx", (unsigned long long)BLOCK_BYTES);
	return text;
}

static const char *two_blocks(void)
{
	static char text[32];

	snprintf(text, sizeof(text), "%#llx", (unsigned long long)(2 * BLOCK_BYTES));
	return text;
}

static bool in_area(struct cma *area, phys_addr_t phys, size_t size)
{
	phys_addr_t base = cma_get_base(area);

	return phys >= base && phys + size <= base + cma_get_size(area);
}

static void test_memparse_reads_sizes_as_boot_parameters_write_them(void **state)
{
	char *end;

	(void)state;
	assert_int_equal(memparse("4k", &end), 4096);
	assert_int_equal(*end, '\0');
	assert_true(memparse("16M@x", &end) == 16ULL << 20);
	assert_int_equal(*end, '@');
	assert_true(memparse("2G", NULL) == 2ULL << 30);
	assert_true(memparse("1t", NULL) == 1ULL << 40);
	assert_int_equal(memparse("0x10", NULL), 16);
	assert_int_equal(memparse("010", NULL), 8);
	assert_int_equal(memparse("12x", &end), 12);
	assert_int_equal(*end, 'x');
	/* No number: nothing consumed (no sign, no blanks). */
	const char *minus = "-1";

	assert_int_equal(memparse(minus, &end), 0);
	assert_ptr_equal(end, minus);
	assert_int_equal(memparse(" 1", &end), 0);
}

static void test_cma_parameter_is_checked_and_kept(void **state)
{
	(void)state;
	assert_int_equal(iosim_dma_set_cma("64M"), 0);
	assert_int_equal(iosim_dma_set_cma("16M@0x80000000"), 0);
	assert_int_equal(iosim_dma_set_cma("16M@0x80000000-0x100000000"), 0);
	assert_int_equal(iosim_dma_set_cma("0"), 0);
	assert_int_equal(iosim_dma_set_cma(""), -EINVAL);
	assert_int_equal(iosim_dma_set_cma("lots"), -EINVAL);
	assert_int_equal(iosim_dma_set_cma("16M@"), -EINVAL);
	assert_int_equal(iosim_dma_set_cma("16M@0x80000000-"), -EINVAL);
	assert_int_equal(iosim_dma_set_cma("16M@0x80000000-1G "), -EINVAL);
	assert_int_equal(iosim_dma_set_cma("16Mx"), -EINVAL);
	assert_int_equal(iosim_dma_set_cma(NULL), 0);
}

/* Without the parameter there is no area, and allocations work as before. */
static void test_no_parameter_reserves_nothing(void **state)
{
	struct cma_setup s = { .low_ram = true };
	struct cma_fix f;
	dma_addr_t dma;
	void *cpu;

	(void)state;
	setup(&f, &s);
	assert_null(f.area);
	assert_int_equal(iosim_cma_nr_areas(), 0);
	cpu = dma_alloc_coherent(f.dev, 3 * PAGE_SIZE, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	dma_free_coherent(f.dev, 3 * PAGE_SIZE, cpu, dma);
	/* "cma=0" is the same. */
	teardown(&f);
	s.param = "0";
	setup(&f, &s);
	assert_null(f.area);
	teardown(&f);
}

/* Booting reserves the area at the top of ZONE_DMA, then carves the atomic pool from it. */
static void test_default_area_is_the_top_of_zone_dma_and_holds_the_atomic_pool(void **state)
{
	struct cma_setup s = { .low_ram = true, .param = NULL };
	struct cma_fix f;
	phys_addr_t low_end = IOSIM_RAM_JUNO_LOW_BASE + low_bank_bytes();

	(void)state;
	s.param = two_blocks();
	setup(&f, &s);
	assert_non_null(f.area);
	assert_int_equal(iosim_cma_nr_areas(), 1);
	assert_true(cma_get_size(f.area) == 2 * BLOCK_BYTES);
	assert_true(cma_get_base(f.area) == low_end - 2 * BLOCK_BYTES);
	assert_int_equal(dev_get_cma_area(f.dev), f.area);
	assert_int_equal(dev_get_cma_area(NULL), f.area);
	/* The atomic pool's 256 KiB. */
	assert_int_equal(iosim_cma_allocated_pages(f.area), SZ_256K / PAGE_SIZE);
	teardown(&f);
	/* A limit in the parameter keeps the area below it. */
	s.param = "0x400000@0-0x90000000";
	if (BLOCK_BYTES <= SZ_4M && low_bank_bytes() >= SZ_256M) {
		setup(&f, &s);
		assert_non_null(f.area);
		assert_true(cma_get_base(f.area) + cma_get_size(f.area) <= 0x90000000ULL);
		teardown(&f);
	}
}

/* A fixed area: SIZE@BASE. */
static void test_fixed_area_starts_at_the_given_base(void **state)
{
	struct cma_setup s = { .low_ram = true };
	char param[64];
	struct cma_fix f;

	(void)state;
	SKIP_IF_AREAS_HUGE();
	snprintf(param, sizeof(param), "%#llx@%#llx", (unsigned long long)BLOCK_BYTES,
		 (unsigned long long)(IOSIM_RAM_JUNO_LOW_BASE + BLOCK_BYTES));
	s.param = param;
	setup(&f, &s);
	assert_non_null(f.area);
	assert_true(cma_get_base(f.area) == IOSIM_RAM_JUNO_LOW_BASE + BLOCK_BYTES);
	teardown(&f);
}

/* A parameter the RAM cannot satisfy: logged, and the system boots without an area. */
static void test_area_that_does_not_fit_boots_without_one(void **state)
{
	struct cma_setup s = { .low_ram = true };
	char param[32];
	struct cma_fix f;
	dma_addr_t dma;
	void *cpu;

	(void)state;
	snprintf(param, sizeof(param), "%#llx", (unsigned long long)(low_bank_bytes() * 2));
	s.param = param;
	setup(&f, &s);
	assert_null(f.area);
	assert_true(iosim_log_seen("Failed to reserve"));
	cpu = dma_alloc_coherent(f.dev, PAGE_SIZE, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	dma_free_coherent(f.dev, PAGE_SIZE, cpu, dma);
	teardown(&f);
}

/* A sleeping allocation for a device without an IOMMU: from the area, zeroed, usable. */
static void blocking_alloc_comes_from_the_area(bool low_ram, bool coherent)
{
	struct cma_setup s = { .low_ram = low_ram, .coherent = coherent };
	size_t size = 3 * PAGE_SIZE;
	unsigned long before;
	unsigned char buf[64], back[64];
	struct cma_fix f;
	dma_addr_t dma;
	void *cpu;

	s.param = one_block();
	setup(&f, &s);
	assert_non_null(f.area);
	before = iosim_cma_allocated_pages(f.area);
	cpu = dma_alloc_coherent(f.dev, size, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	assert_true(in_area(f.area, dma, size));
	/* Aligned to the buffer's order (4 pages for 3). */
	assert_int_equal(dma & (4 * PAGE_SIZE - 1), 0);
	assert_true(iosim_bytes_all(cpu, 0, size));
	assert_int_equal(iosim_cma_allocated_pages(f.area) - before, 3);
	check(&f);
	/* The device and the CPU see the same buffer. */
	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(iosim_dma_write(f.dev, dma + PAGE_SIZE, buf, sizeof(buf)), 0);
	assert_memory_equal((char *)cpu + PAGE_SIZE, buf, sizeof(buf));
	memset(cpu, 0x3c, 64);
	assert_int_equal(iosim_dma_read(f.dev, dma, back, sizeof(back)), 0);
	assert_true(iosim_bytes_all(back, 0x3c, sizeof(back)));
	dma_free_coherent(f.dev, size, cpu, dma);
	assert_int_equal(iosim_cma_allocated_pages(f.area), before);
	teardown(&f);
}

static void test_blocking_alloc_from_the_area__swiotlb_coherent(void **state)
{
	(void)state;
	SKIP_IF_AREAS_HUGE();
	blocking_alloc_comes_from_the_area(true, true);
}

static void test_blocking_alloc_from_the_area__swiotlb_noncoherent(void **state)
{
	(void)state;
	blocking_alloc_comes_from_the_area(true, false);
}

static void test_blocking_alloc_from_the_area__direct_coherent(void **state)
{
	(void)state;
	SKIP_IF_AREAS_HUGE();
	blocking_alloc_comes_from_the_area(false, true);
}

static void test_blocking_alloc_from_the_area__direct_noncoherent(void **state)
{
	(void)state;
	blocking_alloc_comes_from_the_area(false, false);
}

/* Atomic allocations never sleep on the area: the pool, or swiotlb for a coherent device. */
static void test_atomic_allocations_do_not_take_from_the_area(void **state)
{
	struct cma_setup s = { .low_ram = true, .coherent = true };
	unsigned long before;
	struct cma_fix f;
	dma_addr_t dma;
	void *cpu;
	int coherent;

	(void)state;
	SKIP_IF_AREAS_HUGE();
	s.param = one_block();
	for (coherent = 0; coherent < 2; coherent++) {
		s.coherent = coherent;
		setup(&f, &s);
		before = iosim_cma_allocated_pages(f.area);
		cpu = dma_alloc_coherent(f.dev, 2 * PAGE_SIZE, &dma, GFP_ATOMIC);
		assert_non_null(cpu);
		/* The non-coherent device's buffer is the pool's, which lies in the area. */
		assert_int_equal(in_area(f.area, dma, 2 * PAGE_SIZE), !coherent);
		assert_int_equal(iosim_cma_allocated_pages(f.area), before);
		dma_free_coherent(f.dev, 2 * PAGE_SIZE, cpu, dma);
		teardown(&f);
	}
}

/* An atomic pool larger than the area: logged, and the system boots without one. */
static void test_atomic_pool_larger_than_the_area_is_not_made(void **state)
{
	struct cma_setup s = { .low_ram = true, .coherent = false, .atomic_pool = 2 * BLOCK_BYTES };
	struct cma_fix f;
	dma_addr_t dma;
	void *cpu;

	(void)state;
	s.param = one_block();
	setup(&f, &s);
	assert_true(iosim_log_seen("DMA: failed to allocate"));
	assert_int_equal(iosim_dma_atomic_pool_avail(), 0);
	assert_int_equal(iosim_cma_allocated_pages(f.area), 0);
	/* A non-coherent device then gets no buffer in atomic context. */
	cpu = dma_alloc_coherent(f.dev, PAGE_SIZE, &dma, GFP_ATOMIC);
	assert_null(cpu);
	assert_warned("coherent pool not initialised");
	iosim_dma_set_atomic_pool_size(SZ_256K);
	teardown(&f);
}

/* Larger than the largest buddy block: only the area can give it. */
static void test_buffer_larger_than_a_buddy_block_needs_the_area(void **state)
{
	struct cma_setup s = { .low_ram = true, .coherent = true };
	size_t size = BLOCK_BYTES + BLOCK_BYTES / 2;
	struct cma_fix f;
	dma_addr_t dma;
	void *cpu;

	(void)state;
	setup(&f, &s);
	cpu = dma_alloc_coherent(f.dev, size, &dma, GFP_KERNEL);
	assert_null(cpu);
	/* swiotlb_alloc_coherent() asked the buddy allocator, which WARNs as the kernel's did. */
	assert_warned("MAX_ORDER");
	teardown(&f);

	s.param = two_blocks();
	setup(&f, &s);
	cpu = dma_alloc_coherent(f.dev, size, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	assert_true(in_area(f.area, dma, size));
	/* The order-based alignment is capped at CONFIG_CMA_ALIGNMENT. */
	assert_int_equal(dma & ((PAGE_SIZE << CONFIG_CMA_ALIGNMENT) - 1), 0);
	check(&f);
	dma_free_coherent(f.dev, size, cpu, dma);
	teardown(&f);
}

/* A full area fails the allocation: there is no fallback to the buddy or swiotlb. */
static void test_full_area_fails_without_fallback(void **state)
{
	struct cma_setup s = { .low_ram = true, .coherent = true };
	size_t size = BLOCK_BYTES / 4;
	void *cpu[16];
	dma_addr_t dma[16];
	struct cma_fix f;
	unsigned int n, i;

	(void)state;
	s.param = one_block();
	setup(&f, &s);
	/* The pool takes the first quarter's first pages: three quarters are left. */
	for (n = 0; n < 16; n++) {
		cpu[n] = dma_alloc_coherent(f.dev, size, &dma[n], GFP_KERNEL);
		if (!cpu[n])
			break;
		assert_true(in_area(f.area, dma[n], size));
	}
	assert_int_equal(n, 3);
	assert_true(iosim_ram_free_pages() > 2 * (size >> PAGE_SHIFT));
	check(&f);
	for (i = 0; i < n; i++)
		dma_free_coherent(f.dev, size, cpu[i], dma[i]);
	teardown(&f);
}

/* A device behind an IOMMU builds its buffers page by page and leaves the area alone. */
static void test_iommu_device_leaves_the_area_alone(void **state)
{
	struct cma_setup s = { .low_ram = true, .iommu = true, .coherent = true };
	size_t size = 8 * PAGE_SIZE;
	unsigned long before;
	struct cma_fix f;
	dma_addr_t dma;
	void *cpu;
	int coherent;

	(void)state;
	SKIP_IF_AREAS_HUGE();
	s.param = one_block();
	for (coherent = 0; coherent < 2; coherent++) {
		s.coherent = coherent;
		setup(&f, &s);
		before = iosim_cma_allocated_pages(f.area);
		cpu = dma_alloc_coherent(f.dev, size, &dma, GFP_KERNEL);
		assert_non_null(cpu);
		assert_int_equal(iosim_cma_allocated_pages(f.area), before);
		check(&f);
		dma_free_coherent(f.dev, size, cpu, dma);
		teardown(&f);
	}
}

/* dma_declare_contiguous(): a device's own area serves it, the default one the others. */
static void test_device_with_its_own_area_allocates_from_it(void **state)
{
	struct cma_setup s = { .low_ram = true, .coherent = true };
	unsigned long default_before;
	struct cma *own;
	struct cma_fix f;
	dma_addr_t dma;
	void *cpu;

	(void)state;
	s.param = one_block();
	setup(&f, &s);
	/* Base 0: anywhere (the highest free aligned range). */
	assert_int_equal(dma_declare_contiguous(f.dev, BLOCK_BYTES, 0, 0), 0);
	own = dev_get_cma_area(f.dev);
	assert_non_null(own);
	assert_ptr_not_equal(own, f.area);
	assert_true(cma_get_size(own) == BLOCK_BYTES);
	assert_int_equal(iosim_cma_nr_areas(), 2);
	default_before = iosim_cma_allocated_pages(f.area);
	cpu = dma_alloc_coherent(f.dev, 2 * PAGE_SIZE, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	assert_true(in_area(own, dma, 2 * PAGE_SIZE));
	assert_int_equal(iosim_cma_allocated_pages(own), 2);
	assert_int_equal(iosim_cma_allocated_pages(f.area), default_before);
	check(&f);
	dma_free_coherent(f.dev, 2 * PAGE_SIZE, cpu, dma);
	assert_int_equal(iosim_cma_allocated_pages(own), 0);
	/* The same range cannot be declared twice. */
	assert_int_equal(dma_declare_contiguous(NULL, BLOCK_BYTES, cma_get_base(own), 0), -EBUSY);
	assert_int_equal(iosim_cma_nr_areas(), 2);
	dev_set_cma_area(f.dev, NULL);
	assert_ptr_equal(dev_get_cma_area(f.dev), f.area);
	teardown(&f);
}

/*
 * An area beyond the device's coherent mask (RAM starts at 2 GiB, or above
 * 4 GiB): WARNed and refused, where the kernel handed the buffer out.
 */
static void unreachable_area_is_refused(bool low_ram)
{
	struct cma_setup s = { .low_ram = low_ram, .coherent = true,
			       .coherent_mask = low_ram ? DMA_BIT_MASK(31) : DMA_BIT_MASK(32) };
	unsigned long before;
	struct cma_fix f;
	dma_addr_t dma;
	void *cpu;

	s.param = one_block();
	setup(&f, &s);
	before = iosim_cma_allocated_pages(f.area);
	cpu = dma_alloc_coherent(f.dev, PAGE_SIZE, &dma, GFP_KERNEL);
	assert_null(cpu);
	assert_warned("cannot reach");
	assert_int_equal(iosim_cma_allocated_pages(f.area), before);
	teardown(&f);
}

static void test_unreachable_area_is_refused__swiotlb(void **state)
{
	(void)state;
	unreachable_area_is_refused(true);
}

static void test_unreachable_area_is_refused__direct(void **state)
{
	(void)state;
	unreachable_area_is_refused(false);
}

/* Every allocation failure on the way leaves the area as it was. */
static void test_allocation_failure_sweep_leaves_the_area_as_it_was(void **state)
{
	struct cma_setup s = { .low_ram = true, .coherent = false };
	unsigned long before, n;
	struct cma_fix f;
	bool done = false;
	dma_addr_t dma;
	void *cpu;

	(void)state;
	SKIP_IF_AREAS_HUGE();
	s.param = one_block();
	setup(&f, &s);
	before = iosim_cma_allocated_pages(f.area);
	for (n = 1; !done; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_KERNEL, n);
		cpu = dma_alloc_coherent(f.dev, 5 * PAGE_SIZE, &dma, GFP_KERNEL);
		done = iosim_fault_injected() == 0;
		iosim_fault_reset();
		if (!done) {
			assert_null(cpu);
			assert_int_equal(iosim_cma_allocated_pages(f.area), before);
			check(&f);
			continue;
		}
		assert_non_null(cpu);
		assert_true(in_area(f.area, dma, 5 * PAGE_SIZE));
		dma_free_coherent(f.dev, 5 * PAGE_SIZE, cpu, dma);
	}
	assert_true(n > 2);
	teardown(&f);
}

/* Booting under allocation failure: the area is made whole or not at all. */
static void test_boot_failure_sweep_reserves_all_or_nothing(void **state)
{
	unsigned long n;
	bool done = false;

	(void)state;
	SKIP_IF_AREAS_HUGE();
	iosim_log_set_console_level(0);
	ram_use(true);
	iosim_swiotlb_set_size(SZ_1M);
	assert_int_equal(iosim_dma_set_cma(one_block()), 0);
	for (n = 1; !done; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_KERNEL, n);
		assert_int_equal(iosim_dma_system_init(), 0);
		done = iosim_fault_injected() == 0;
		iosim_fault_reset();
		assert_int_equal(iosim_cma_check_all(), 0);
		if (dma_contiguous_default_area)
			assert_true(cma_get_size(dma_contiguous_default_area) == BLOCK_BYTES);
		else
			assert_int_equal(iosim_cma_nr_areas(), 0);
		assert_int_equal(iosim_ram_check(), 0);
		iosim_dma_system_exit();
		assert_int_equal(iosim_cma_nr_areas(), 0);
	}
	assert_true(n > 2);
	assert_int_equal(iosim_dma_set_cma(NULL), 0);
	iosim_swiotlb_set_size(0);
	assert_int_equal(iosim_ram_free_pages(), iosim_ram_nr_pages());
	iosim_log_set_console_level(5);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_memparse_reads_sizes_as_boot_parameters_write_them),
		IOSIM_TEST(test_cma_parameter_is_checked_and_kept),
		IOSIM_TEST(test_no_parameter_reserves_nothing),
		IOSIM_TEST(test_default_area_is_the_top_of_zone_dma_and_holds_the_atomic_pool),
		IOSIM_TEST(test_fixed_area_starts_at_the_given_base),
		IOSIM_TEST(test_area_that_does_not_fit_boots_without_one),
		IOSIM_TEST(test_blocking_alloc_from_the_area__swiotlb_coherent),
		IOSIM_TEST(test_blocking_alloc_from_the_area__swiotlb_noncoherent),
		IOSIM_TEST(test_atomic_allocations_do_not_take_from_the_area),
		IOSIM_TEST(test_atomic_pool_larger_than_the_area_is_not_made),
		IOSIM_TEST(test_buffer_larger_than_a_buddy_block_needs_the_area),
		IOSIM_TEST(test_full_area_fails_without_fallback),
		IOSIM_TEST(test_iommu_device_leaves_the_area_alone),
		IOSIM_TEST(test_device_with_its_own_area_allocates_from_it),
		IOSIM_TEST(test_unreachable_area_is_refused__swiotlb),
		IOSIM_TEST(test_allocation_failure_sweep_leaves_the_area_as_it_was),
		IOSIM_TEST(test_boot_failure_sweep_reserves_all_or_nothing),
		/* RAM above 4 GiB only: the direct ops. */
		IOSIM_TEST(test_blocking_alloc_from_the_area__direct_coherent),
		IOSIM_TEST(test_blocking_alloc_from_the_area__direct_noncoherent),
		IOSIM_TEST(test_unreachable_area_is_refused__direct),
	};

	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
