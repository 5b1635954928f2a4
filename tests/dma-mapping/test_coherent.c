// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Coherent buffers through the generic API on the four arm64 platform kinds:
 * dma_alloc_coherent()/dma_free_coherent() from one byte to several MiB on
 * the blocking and the atomic path, what the CPU and the device each see,
 * dma_mmap_coherent() and dma_get_sgtable() for every kind of buffer, the
 * atomic pool, per-device declared memory, misuse and failure sweeps.
 */
#include "platforms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <iosim/cache.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include <iosim/warn.h>
#include <iosim/log.h>
#include <iosim/sg.h>
#include <linux/platform_device.h>
#include <iosim/vma.h>

static const size_t sizes[] = { 1, 100, 4096 - 1, 4096, 3 * 4096 + 1, 64 * 1024 + 7,
				1 << 20, (4 << 20) + 4096 };

/* Both sides see one buffer: CPU writes reach the device, device writes reach the CPU. */
static void assert_shared(struct dma_fix *f, unsigned char *cpu, dma_addr_t dma, size_t size,
			  unsigned int seed)
{
	size_t n = size < 8192 ? size : 8192;	/* the head ... */
	size_t tail = size - n;			/* ... and the tail of big buffers */
	unsigned char *got = malloc(n);

	dma_fill(cpu, n, seed);
	dma_dev_read(f, dma, got, n);
	assert_memory_equal(got, cpu, n);
	dma_fill(got, n, seed + 1);
	dma_dev_write(f, dma + tail, got, n);
	assert_memory_equal(cpu + tail, got, n);
	free(got);
}

static void alloc_each_size(const struct dma_config *cfg, gfp_t gfp)
{
	struct dma_fix f;
	unsigned int i;

	dma_fix_setup(&f, cfg);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t size = sizes[i];
		dma_addr_t dma = 0;
		unsigned char *cpu;
		size_t j;

		cpu = dma_alloc_coherent(f.dev, size, &dma, gfp);
		/* The atomic pool is 256 KiB; bigger atomic non-coherent requests fail. */
		if (!(gfp & __GFP_WAIT) && !cfg->coherent && PAGE_ALIGN(size) > SZ_256K) {
			assert_null(cpu);
			continue;
		}
		/*
		 * Physically contiguous buffers (no IOMMU, or atomic) cannot exceed
		 * the largest buddy block: the kernel used CMA, not modelled.
		 */
		if ((!cfg->iommu || !(gfp & __GFP_WAIT)) &&
		    PAGE_ALIGN(size) > (PAGE_SIZE << (MAX_ORDER - 1))) {
			assert_null(cpu);
			continue;
		}
		assert_non_null(cpu);
		assert_false(dma_mapping_error(f.dev, dma));
		for (j = 0; j < size; j += 997)
			assert_int_equal(cpu[j], 0);	/* zeroed */
		assert_shared(&f, cpu, dma, size, i);
		dma_fix_check(&f);
		dma_free_coherent(f.dev, size, cpu, dma);
		dma_fix_check(&f);
	}
	dma_fix_teardown(&f);
}

static void alloc_blocking(const struct dma_config *cfg)
{
	alloc_each_size(cfg, GFP_KERNEL);
}
ON_PLATFORMS(alloc_blocking)

static void alloc_atomic(const struct dma_config *cfg)
{
	alloc_each_size(cfg, GFP_ATOMIC);
}
ON_PLATFORMS(alloc_atomic)

/* A non-coherent device's buffer is non-cacheable: no sync ever needed. */
static void test_noncoherent_buffers_need_no_cache_maintenance(void **state)
{
	const gfp_t gfps[] = { GFP_KERNEL, GFP_ATOMIC };
	struct dma_config cfgs[] = { dma_iommu_noncoherent, dma_direct_noncoherent };
	unsigned int i, k;

	(void)state;
	for (k = 0; k < ARRAY_SIZE(cfgs); k++) {
		for (i = 0; i < ARRAY_SIZE(gfps); i++) {
			struct iosim_cache_counters cnt;
			struct dma_fix f;
			unsigned char *cpu;
			dma_addr_t dma;

			dma_fix_setup(&f, &cfgs[k]);
			cpu = dma_alloc_coherent(f.dev, 3 * PAGE_SIZE, &dma, gfps[i]);
			assert_non_null(cpu);
			iosim_cache_reset_counters(f.dev);
			assert_shared(&f, cpu, dma, 3 * PAGE_SIZE, 7);
			dma_fix_counters(&f, &cnt);
			assert_int_equal(cnt.stale_reads, 0);
			assert_int_equal(cnt.lines_cleaned + cnt.lines_invalidated, 0);
			dma_free_coherent(f.dev, 3 * PAGE_SIZE, cpu, dma);
			dma_fix_teardown(&f);
		}
	}
}

/* dma_mmap_coherent(): user space sees the buffer, for every kind of buffer. */
static void mmap_each_kind(const struct dma_config *cfg, gfp_t gfp)
{
	size_t size = 3 * PAGE_SIZE;
	struct vm_area_struct *vma;
	struct dma_fix f;
	unsigned char *cpu, *user;
	dma_addr_t dma;

	dma_fix_setup(&f, cfg);
	cpu = dma_alloc_coherent(f.dev, size, &dma, gfp);
	assert_non_null(cpu);
	dma_fill(cpu, size, 8);

	/* The whole buffer. */
	vma = iosim_vma_create(size, 0);
	assert_non_null(vma);
	assert_int_equal(dma_mmap_coherent(f.dev, vma, cpu, dma, size), 0);
	user = (unsigned char *)vma->vm_start;
	assert_true(dma_matches(user, size, 8));
	user[5] = 0x77;				/* user writes reach the device */
	{
		unsigned char b;

		dma_dev_read(&f, dma + 5, &b, 1);
		assert_int_equal(b, 0x77);
	}
	assert_int_equal(iosim_vma_check(vma), 0);
	iosim_vma_destroy(vma);

	/* Its last two pages, by vm_pgoff. */
	vma = iosim_vma_create(2 * PAGE_SIZE, 1);
	assert_non_null(vma);
	assert_int_equal(dma_mmap_coherent(f.dev, vma, cpu, dma, size), 0);
	assert_memory_equal((void *)vma->vm_start, cpu + PAGE_SIZE, 2 * PAGE_SIZE);
	iosim_vma_destroy(vma);

	/* A VMA running past the buffer is refused. */
	vma = iosim_vma_create(3 * PAGE_SIZE, 1);
	assert_non_null(vma);
	assert_int_equal(dma_mmap_coherent(f.dev, vma, cpu, dma, size), -ENXIO);
	iosim_vma_destroy(vma);

	dma_fix_check(&f);
	dma_free_coherent(f.dev, size, cpu, dma);
	dma_fix_teardown(&f);
}

static void mmap_blocking(const struct dma_config *cfg)
{
	mmap_each_kind(cfg, GFP_KERNEL);
}
ON_PLATFORMS(mmap_blocking)

/* The seed WARNs and fails here for atomic buffers: they are not remapped. */
static void mmap_of_an_atomic_buffer(const struct dma_config *cfg)
{
	mmap_each_kind(cfg, GFP_ATOMIC);
}
ON_PLATFORMS(mmap_of_an_atomic_buffer)

/* dma_get_sgtable(): the table describes exactly the buffer's pages. */
static void sgtable_each_kind(const struct dma_config *cfg, gfp_t gfp)
{
	size_t size = 3 * PAGE_SIZE - 10;	/* fits the atomic pool at every page size */
	struct scatterlist *sg;
	struct sg_table sgt;
	struct dma_fix f;
	unsigned char *cpu;
	size_t pos = 0;
	dma_addr_t dma;
	unsigned int i;

	dma_fix_setup(&f, cfg);
	cpu = dma_alloc_coherent(f.dev, size, &dma, gfp);
	assert_non_null(cpu);
	dma_fill(cpu, size, 9);
	assert_int_equal(dma_get_sgtable(f.dev, &sgt, cpu, dma, size), 0);
	assert_int_equal(iosim_sg_table_check(&sgt), 0);
	for_each_sg(sgt.sgl, sg, sgt.nents, i) {
		unsigned char *dev_view = malloc(sg->length);

		/*
		 * Each piece is the buffer's memory: in the CPU's cacheable view
		 * for a coherent device, in memory (behind the non-cacheable alias
		 * the CPU wrote through) for a non-coherent one.
		 */
		if (cfg->coherent)
			memcpy(dev_view, sg_virt(sg), sg->length);
		else
			assert_int_equal(iosim_cache_read_memory(sg_phys(sg), dev_view,
								 sg->length), 0);
		if (pos + sg->length <= size)
			assert_memory_equal(dev_view, cpu + pos, sg->length);
		free(dev_view);
		pos += sg->length;
	}
	/* Remapped pages are described to @size, contiguous ones to whole pages. */
	assert_true(pos >= size && pos <= PAGE_ALIGN(size));
	sg_free_table(&sgt);
	dma_free_coherent(f.dev, size, cpu, dma);
	dma_fix_teardown(&f);
}

static void get_sgtable_blocking(const struct dma_config *cfg)
{
	sgtable_each_kind(cfg, GFP_KERNEL);
}
ON_PLATFORMS(get_sgtable_blocking)

static void get_sgtable_of_an_atomic_buffer(const struct dma_config *cfg)
{
	sgtable_each_kind(cfg, GFP_ATOMIC);
}
ON_PLATFORMS(get_sgtable_of_an_atomic_buffer)

/* The atomic pool runs dry: allocations fail cleanly and recover once freed. */
static void test_atomic_pool_exhaustion_fails_cleanly_and_recovers(void **state)
{
	struct dma_config cfg = dma_iommu_noncoherent;
	void *cpu[5];
	dma_addr_t dma[5];
	struct dma_fix f;
	unsigned int i;

	(void)state;
	cfg.atomic_pool = 4 * PAGE_SIZE;
	dma_fix_setup(&f, &cfg);
	for (i = 0; i < 4; i++) {
		cpu[i] = dma_alloc_coherent(f.dev, PAGE_SIZE, &dma[i], GFP_ATOMIC);
		assert_non_null(cpu[i]);
	}
	assert_int_equal(iosim_dma_atomic_pool_avail(), 0);
	assert_null(dma_alloc_coherent(f.dev, PAGE_SIZE, &dma[4], GFP_ATOMIC));
	dma_free_coherent(f.dev, PAGE_SIZE, cpu[2], dma[2]);
	cpu[2] = dma_alloc_coherent(f.dev, PAGE_SIZE, &dma[2], GFP_ATOMIC);
	assert_non_null(cpu[2]);
	for (i = 0; i < 4; i++)
		dma_free_coherent(f.dev, PAGE_SIZE, cpu[i], dma[i]);
	assert_int_equal(iosim_dma_atomic_pool_avail(), 4 * PAGE_SIZE);
	dma_fix_teardown(&f);
}

/*
 * arm64's atomic pool uses gen_pool_first_fit_order_align (4.1): a buffer
 * of 2^n pages is aligned to 2^n pages, as DMA-API-HOWTO promises for
 * coherent memory, even after a smaller one; and its boot says how big it
 * is.  (Direct ops: the DMA address is the pool's physical address.)
 */
static void test_atomic_buffers_are_aligned_to_their_order(void **state)
{
	static const size_t pages[] = { 1, 2, 1, 4, 3, 8 };	/* 1@0 2@2 1@1 4@4 3@8 8@16 */
	struct dma_config cfg = dma_direct_noncoherent;
	void *cpu[ARRAY_SIZE(pages)];
	dma_addr_t dma[ARRAY_SIZE(pages)];
	struct dma_fix f;
	unsigned int i;
	char line[80];

	(void)state;
	cfg.atomic_pool = 32 * PAGE_SIZE;	/* on every page size */
	dma_fix_setup(&f, &cfg);
	snprintf(line, sizeof(line), "DMA: preallocated %zu KiB pool for atomic allocations",
		 (size_t)(32 * PAGE_SIZE) / 1024);
	assert_true(iosim_log_seen(line));
	for (i = 0; i < ARRAY_SIZE(pages); i++) {
		size_t align = PAGE_SIZE << get_order(pages[i] * PAGE_SIZE);

		cpu[i] = dma_alloc_coherent(f.dev, pages[i] * PAGE_SIZE, &dma[i], GFP_ATOMIC);
		assert_non_null(cpu[i]);
		assert_int_equal(dma[i] & (align - 1), 0);
	}
	dma_fix_check(&f);
	for (i = 0; i < ARRAY_SIZE(pages); i++)
		dma_free_coherent(f.dev, pages[i] * PAGE_SIZE, cpu[i], dma[i]);
	assert_int_equal(iosim_dma_atomic_pool_avail(), 32 * PAGE_SIZE);
	dma_fix_teardown(&f);
}

/*
 * dma_free_coherent() of NULL with a handle: as in 2015, DMA-API debugging
 * sees the free (and reports memory not allocated); where the kernel's ops
 * would then free the pages behind the stale handle, it WARNs and frees
 * nothing.
 */
static void test_free_of_a_null_cpu_address_is_reported_and_frees_nothing(void **state)
{
	struct dma_fix f;
	long live_before;
	dma_addr_t dma;
	void *cpu;

	(void)state;
	dma_fix_setup(&f, &dma_direct_noncoherent);
	cpu = dma_alloc_coherent(f.dev, PAGE_SIZE, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	live_before = iosim_live_total();
	dma_free_coherent(f.dev, PAGE_SIZE, NULL, 0x1000);
	dma_assert_reported(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED);
	assert_warned("NULL CPU address for DMA address 0x1000; nothing freed");
	assert_int_equal(iosim_live_total(), live_before);
	dma_fix_check(&f);
	dma_free_coherent(f.dev, PAGE_SIZE, cpu, dma);
	dma_fix_teardown(&f);
}

/* Freeing with a handle of another buffer: WARN, and neither buffer is freed. */
static void free_with_a_foreign_handle_is_warned_and_frees_nothing(const struct dma_config *cfg)
{
	struct dma_fix f;
	unsigned char *a, *b;
	dma_addr_t da, db;

	dma_fix_setup(&f, cfg);
	a = dma_alloc_coherent(f.dev, 2 * PAGE_SIZE, &da, GFP_KERNEL);
	b = dma_alloc_coherent(f.dev, 2 * PAGE_SIZE, &db, GFP_KERNEL);
	assert_non_null(a);
	assert_non_null(b);
	dma_free_coherent(f.dev, 2 * PAGE_SIZE, a, db);
	assert_true(iosim_warn_count() > 0);
	iosim_warn_reset();
	dma_assert_some_reports();
	dma_fix_check(&f);
	/* Both still work from both sides. */
	assert_shared(&f, a, da, 2 * PAGE_SIZE, 11);
	assert_shared(&f, b, db, 2 * PAGE_SIZE, 12);
	dma_free_coherent(f.dev, 2 * PAGE_SIZE, a, da);
	dma_free_coherent(f.dev, 2 * PAGE_SIZE, b, db);
	assert_no_warnings();
	/* DMA-API debugging, as the kernel's, forgot b's entry at the bad free. */
	dma_assert_reported(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED);
	dma_fix_teardown(&f);
}
ON_PLATFORMS(free_with_a_foreign_handle_is_warned_and_frees_nothing)

/* Allocation failures swept through dma_alloc_coherent(): NULL with nothing leaked. */
static void alloc_failure_sweep(const struct dma_config *cfg)
{
	const gfp_t gfps[] = { GFP_KERNEL, GFP_ATOMIC };
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(gfps); k++) {
		struct dma_fix f;
		void *cpu = NULL;
		dma_addr_t dma;
		unsigned long n;

		dma_fix_setup(&f, cfg);
		for (n = 1; n < 500 && !cpu; n++) {
			iosim_fault_fail_nth(IOSIM_FAULT_KERNEL, n);
			cpu = dma_alloc_coherent(f.dev, 3 * PAGE_SIZE, &dma, gfps[k]);
			iosim_fault_reset();
			iosim_warn_reset();
			dma_fix_check(&f);
		}
		assert_non_null(cpu);
		dma_free_coherent(f.dev, 3 * PAGE_SIZE, cpu, dma);
		dma_fix_teardown(&f);
	}
}
ON_PLATFORMS(alloc_failure_sweep)

/*
 * The simulation's own host memory (IOSIM_FAULT_HOST) refused at each of its
 * calls in turn, from a fresh debugging state, through an allocation, a
 * transfer each way and the free: the buffer comes back NULL with nothing
 * leaked, or whole and shared; a refusal that reached DMA-API debugging
 * disables it with its one report.
 */
static void alloc_host_failure_sweep(const struct dma_config *cfg)
{
	const gfp_t gfps[] = { GFP_KERNEL, GFP_ATOMIC };
	const size_t size = 3 * PAGE_SIZE;
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(gfps); k++) {
		unsigned long n, injected = 1;
		struct dma_fix f;
		void *cpu = NULL;
		dma_addr_t dma;

		dma_fix_setup(&f, cfg);
		for (n = 1; n < 500 && injected; n++) {
			iosim_dma_debug_reset();
			iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_HOST), n);
			cpu = dma_alloc_coherent(f.dev, size, &dma, gfps[k]);
			if (cpu) {
				assert_shared(&f, cpu, dma, size, (unsigned int)n);
				dma_free_coherent(f.dev, size, cpu, dma);
			}
			injected = iosim_fault_injected();
			iosim_fault_reset();
			iosim_warn_reset();
			dma_fix_check(&f);
			dma_assert_no_report_but_out_of_entries();
		}
		/* It ran out of calls to refuse: the last run allocated and freed. */
		assert_true(n > 2 && n < 500);
		assert_non_null(cpu);
		assert_int_equal(iosim_dma_debug_total(), 0);
		iosim_dma_debug_reset();
		dma_fix_teardown(&f);
	}
}
ON_PLATFORMS(alloc_host_failure_sweep)

/* Memory declared for the device serves its coherent allocations first. */
/*
 * A direct device whose coherent mask does not reach RAM (RAM sits at 34
 * GiB, the mask is 32-bit; no bounce buffers): dma_alloc_coherent() WARNs
 * and returns NULL, giving the atomic pool's buffer or the pages back.
 */
static void test_direct_alloc_beyond_the_coherent_mask_fails_cleanly(void **state)
{
	const struct dma_config *cfgs[] = { &dma_direct_coherent, &dma_direct_noncoherent };
	const gfp_t gfps[] = { GFP_KERNEL, GFP_ATOMIC };
	unsigned int c, k;

	(void)state;
	for (c = 0; c < ARRAY_SIZE(cfgs); c++) {
		struct dma_fix f;
		size_t pool;
		long vmaps;
		dma_addr_t dma = 0;

		dma_fix_setup(&f, cfgs[c]);
		/* dma_set_coherent_mask() refuses it: set it as a careless driver would. */
		assert_int_equal(dma_set_coherent_mask(f.dev, DMA_BIT_MASK(32)), -EIO);
		f.dev->coherent_dma_mask = DMA_BIT_MASK(32);
		pool = iosim_dma_atomic_pool_avail();
		vmaps = iosim_live(IOSIM_OBJ_VMAP);	/* the atomic pool's own */
		for (k = 0; k < ARRAY_SIZE(gfps); k++) {
			assert_null(dma_alloc_coherent(f.dev, 2 * PAGE_SIZE, &dma, gfps[k]));
			assert_warned("cannot reach 0x8");
			assert_int_equal(iosim_dma_atomic_pool_avail(), pool);
			assert_int_equal(iosim_live(IOSIM_OBJ_VMAP), vmaps);
			dma_fix_check(&f);
		}
		f.dev->coherent_dma_mask = DMA_BIT_MASK(64);
		dma_fix_teardown(&f);
	}
}

/* dma_mmap_coherent() of a CPU address that is not the buffer's: WARN, -ENXIO. */
static void test_direct_mmap_of_a_foreign_cpu_address_is_refused(void **state)
{
	struct vm_area_struct *vma;
	unsigned char *cpu, *other;
	dma_addr_t dma, dma_other;
	struct dma_fix f;

	(void)state;
	dma_fix_setup(&f, &dma_direct_coherent);
	cpu = dma_alloc_coherent(f.dev, PAGE_SIZE, &dma, GFP_KERNEL);
	other = dma_alloc_coherent(f.dev, PAGE_SIZE, &dma_other, GFP_KERNEL);
	assert_non_null(cpu);
	assert_non_null(other);
	vma = iosim_vma_create(PAGE_SIZE, 0);
	assert_non_null(vma);
	assert_int_equal(dma_mmap_coherent(f.dev, vma, other, dma, PAGE_SIZE), -ENXIO);
	assert_warned("does not belong to DMA address");
	assert_null(iosim_vma_page(vma, vma->vm_start));
	/* The right pair still maps. */
	assert_int_equal(dma_mmap_coherent(f.dev, vma, cpu, dma, PAGE_SIZE), 0);
	assert_int_equal(iosim_vma_check(vma), 0);
	iosim_vma_destroy(vma);
	dma_free_coherent(f.dev, PAGE_SIZE, other, dma_other);
	dma_free_coherent(f.dev, PAGE_SIZE, cpu, dma);
	dma_fix_teardown(&f);
}

static void test_declared_coherent_memory_serves_allocations_first(void **state)
{
	struct vm_area_struct *vma;
	struct page *region;
	struct dma_fix f;
	void *cpu;
	dma_addr_t dma;
	phys_addr_t phys;

	(void)state;
	dma_fix_setup(&f, &dma_direct_coherent);
	region = alloc_pages(GFP_KERNEL, 2);
	assert_non_null(region);
	phys = page_to_phys(region);
	assert_int_equal(dma_declare_coherent_memory(f.dev, phys, phys, 4 * PAGE_SIZE,
						     DMA_MEMORY_MAP), DMA_MEMORY_MAP);
	cpu = dma_alloc_coherent(f.dev, PAGE_SIZE, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	assert_true(dma >= phys && dma < phys + 4 * PAGE_SIZE);
	/* As in 2015, the declared region's buffers are not DMA-API debugging's. */
	assert_int_equal(iosim_dma_debug_live(f.dev), 0);
	/*
	 * Its device-side check (the simulation's, not 2015's) lets the device
	 * touch its own region without a mapping: nothing is reported.
	 */
	assert_shared(&f, cpu, dma, PAGE_SIZE, 13);
	assert_int_equal(iosim_dma_debug_total(), 0);
	/* An access that starts below the region is reported up to the region only. */
	{
		struct iosim_dma_debug_report rep;

		iosim_dma_debug_device_access(f.dev, phys - 64, 128, false);
		assert_int_equal(iosim_dma_debug_count(IOSIM_DMA_DEBUG_DEVICE_NO_MAPPING), 1);
		assert_true(iosim_dma_debug_last(&rep));
		assert_true(rep.dma_addr == phys - 64);
		assert_int_equal(rep.size, 64);
		iosim_dma_debug_clear();
	}
	/* Mapped to user space by the declared region's own mmap. */
	vma = iosim_vma_create(PAGE_SIZE, 0);
	assert_non_null(vma);
	dma_fill(cpu, PAGE_SIZE, 14);
	assert_int_equal(dma_mmap_coherent(f.dev, vma, cpu, dma, PAGE_SIZE), 0);
	assert_true(dma_matches((void *)vma->vm_start, PAGE_SIZE, 14));
	iosim_vma_destroy(vma);
	dma_free_coherent(f.dev, PAGE_SIZE, cpu, dma);
	assert_int_equal(iosim_dma_debug_total(), 0);
	dma_release_declared_memory(f.dev);
	__free_pages(region, 2);
	dma_fix_teardown(&f);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		PLATFORM_TESTS(alloc_blocking),
		PLATFORM_TESTS(alloc_atomic),
		IOSIM_TEST(test_noncoherent_buffers_need_no_cache_maintenance),
		PLATFORM_TESTS(mmap_blocking),
		PLATFORM_TESTS(mmap_of_an_atomic_buffer),
		PLATFORM_TESTS(get_sgtable_blocking),
		PLATFORM_TESTS(get_sgtable_of_an_atomic_buffer),
		IOSIM_TEST(test_atomic_pool_exhaustion_fails_cleanly_and_recovers),
		IOSIM_TEST(test_atomic_buffers_are_aligned_to_their_order),
		IOSIM_TEST(test_free_of_a_null_cpu_address_is_reported_and_frees_nothing),
		PLATFORM_TESTS(free_with_a_foreign_handle_is_warned_and_frees_nothing),
		PLATFORM_TESTS(alloc_failure_sweep),
		PLATFORM_TESTS(alloc_host_failure_sweep),
		IOSIM_TEST(test_declared_coherent_memory_serves_allocations_first),
		IOSIM_TEST(test_direct_alloc_beyond_the_coherent_mask_fails_cleanly),
		IOSIM_TEST(test_direct_mmap_of_a_foreign_cpu_address_is_refused),
	};

	RUN_TESTS(tests, argc, argv);
}
