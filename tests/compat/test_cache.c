// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The CPU cache model for non-coherent DMA masters (<iosim/cache.h>,
 * <asm/cacheflush.h>): clean/invalidate/flush on lines, arm64's
 * __dma_inv_range edge lines, non-coherent and coherent device accesses,
 * non-cacheable vmap() and vm_insert_page() aliases, line sizes, the
 * eviction knob, per-device attribution, misuse, RAM lifetime, threads,
 * the model's checker and its fresh-state check after a RAM reset.
 */
#include <linux/kernel.h>
#include "ram_fixture.h"

#include <iosim/warn.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include <linux/device.h>
#include <linux/dma-direction.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/cacheflush.h>
#include <asm/pgtable.h>
#include <iosim/cache.h>
#include <iosim/device.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include <iosim/ram_reset.h>
#include <iosim/slab.h>
#include <iosim/vma.h>

/* White box: the checker test corrupts the line state on purpose. */
#include "../../compat/mm/iosim_mm.h"

/* As in compat/mm/dma_remap.c: <linux/dma-mapping.h> is another layer's header. */
void *dma_common_pages_remap(struct page **pages, size_t size, unsigned long vm_flags,
			     pgprot_t prot, const void *caller);
void dma_common_free_remap(void *cpu_addr, size_t size, unsigned long vm_flags);

/* --- fixture and helpers --------------------------------------------------------- */

/* RAM with the cache model on (it is off by default). */
static int setup(void **state)
{
	int ret = iosim_test_setup_ram(state);

	if (ret)
		return ret;
	iosim_ram_exit();
	ret = iosim_cache_set_enabled(true);
	return ret ? ret : iosim_ram_init(NULL);
}

static int teardown(void **state)
{
	int check = iosim_cache_check();

	if (check) {
		print_error("cache model check failed: %d\n", check);
		_fail(__FILE__, __LINE__);
	}
	return iosim_test_teardown_ram(state);
}

#define CACHE_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

#define assert_model_ok() do {					\
	assert_int_equal(iosim_cache_check(), 0);		\
	assert_int_equal(iosim_ram_check(), 0);			\
} while (0)

static size_t L(void)
{
	return iosim_cache_line_size();
}

static struct device *make_dev(const char *name, bool coherent)
{
	struct iosim_device_config cfg = { .name = name, .coherent = coherent, .no_add = true };
	struct device *dev = iosim_device_create(&cfg);

	assert_non_null(dev);
	return dev;
}

/* A zeroed page whose every line is clean, memory equal to the CPU view. */
static char *clean_page(struct page **pagep)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	char *va;

	assert_non_null(page);
	va = page_address(page);
	__flush_dcache_area(va, PAGE_SIZE);
	*pagep = page;
	return va;
}

static struct iosim_cache_counters counters(struct device *dev)
{
	struct iosim_cache_counters c;

	iosim_cache_get_counters(dev, &c);
	return c;
}

/* Does memory (not the CPU view) hold @len bytes of @c at @phys? */
static bool memory_all(phys_addr_t phys, int c, size_t len)
{
	unsigned char *buf = malloc(len);
	bool same;

	assert_non_null(buf);
	assert_int_equal(iosim_cache_read_memory(phys, buf, len), 0);
	same = iosim_bytes_all(buf, c, len);
	free(buf);
	return same;
}

static void assert_counters_equal(const struct iosim_cache_counters *a,
				  const struct iosim_cache_counters *b)
{
	assert_int_equal(a->lines_cleaned, b->lines_cleaned);
	assert_int_equal(a->lines_invalidated, b->lines_invalidated);
	assert_int_equal(a->stale_reads, b->stale_reads);
	assert_int_equal(a->lost_writes, b->lost_writes);
	assert_int_equal(a->evictions, b->evictions);
}

/* --- clean, invalidate, flush ----------------------------------------------------- */

static void test_clean_writes_back_only_dirty_lines(void **state)
{
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);

	(void)state;
	iosim_cache_reset_counters(NULL);
	assert_false(iosim_cache_line_dirty(phys));

	/* Two lines written by the CPU: dirty, memory still old. */
	memset(va + 3, 0x11, 5);
	memset(va + 2 * L(), 0x22, L());
	assert_true(iosim_cache_line_dirty(phys));
	assert_false(iosim_cache_line_dirty(phys + L()));
	assert_true(iosim_cache_line_dirty(phys + 2 * L()));
	assert_true(memory_all(phys, 0, PAGE_SIZE));

	iosim_cache_clean_range(phys, PAGE_SIZE);
	assert_int_equal(counters(NULL).lines_cleaned, 2);
	assert_int_equal(counters(NULL).lines_invalidated, 0);
	assert_false(iosim_cache_line_dirty(phys));
	assert_false(iosim_cache_line_dirty(phys + 2 * L()));
	assert_true(memory_all(phys + 3, 0x11, 5));
	assert_true(memory_all(phys + 2 * L(), 0x22, L()));
	assert_true(memory_all(phys + L(), 0, L()));
	assert_true(iosim_bytes_all(va + 3, 0x11, 5));	/* the CPU view is unchanged */
	assert_model_ok();

	/* Clean lines are not written back again. */
	iosim_cache_clean_range(phys, PAGE_SIZE);
	assert_int_equal(counters(NULL).lines_cleaned, 2);
	assert_model_ok();
	__free_page(page);
}

static void test_invalidate_discards_cpu_writes_and_shows_memory(void **state)
{
	unsigned char pattern[64];
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);

	(void)state;
	iosim_cache_reset_counters(NULL);
	memset(pattern, 0xa1, sizeof(pattern));
	/* Memory changes behind the CPU in line 0; the CPU writes line 1. */
	assert_int_equal(iosim_cache_write_memory(phys, pattern, 16), 0);
	assert_true(iosim_bytes_all(va, 0, 16));		/* the CPU view is stale */
	memset(va + L(), 0xb2, 8);

	iosim_cache_inval_range(phys, PAGE_SIZE);
	assert_true(iosim_bytes_all(va, 0xa1, 16));		/* now it shows memory */
	assert_true(iosim_bytes_all(va + L(), 0, 8));		/* the CPU's write is gone */
	assert_int_equal(counters(NULL).lines_invalidated, PAGE_SIZE / L());
	assert_int_equal(counters(NULL).lost_writes, 1);
	assert_int_equal(counters(NULL).lines_cleaned, 0);
	assert_false(iosim_cache_line_dirty(phys + L()));
	assert_model_ok();
	__free_page(page);
}

static void test_flush_cleans_then_invalidates_without_losing_writes(void **state)
{
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);
	unsigned char two = 0x77;

	(void)state;
	iosim_cache_reset_counters(NULL);
	memset(va, 0x66, L());				/* dirty line 0 */
	assert_int_equal(iosim_cache_write_memory(phys + L(), &two, 1), 0);	/* stale line 1 */

	iosim_cache_flush_range(phys, 2 * L());
	assert_true(memory_all(phys, 0x66, L()));
	assert_true(iosim_bytes_all(va, 0x66, L()));
	assert_int_equal((unsigned char)va[L()], 0x77);
	assert_int_equal(counters(NULL).lines_cleaned, 1);
	assert_int_equal(counters(NULL).lines_invalidated, 2);
	assert_int_equal(counters(NULL).lost_writes, 0);

	/* __dma_flush_range and __flush_dcache_area are the same operation. */
	memset(va + 2 * L(), 0x55, 1);
	__dma_flush_range(va + 2 * L(), va + 2 * L() + 1);
	assert_true(memory_all(phys + 2 * L(), 0x55, 1));
	memset(va + 3 * L(), 0x44, 1);
	__flush_dcache_area(va + 3 * L(), 1);
	assert_true(memory_all(phys + 3 * L(), 0x44, 1));
	assert_int_equal(counters(NULL).lines_cleaned, 3);
	assert_model_ok();
	__free_page(page);
}

/* --- arm64 entry points ----------------------------------------------------------- */

static void test_map_and_unmap_follow_the_direction(void **state)
{
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);
	unsigned char dev_data = 0xd0;

	(void)state;
	iosim_cache_reset_counters(NULL);
	/* TO_DEVICE and BIDIRECTIONAL map: clean. */
	memset(va, 0x10, L());
	__dma_map_area(va, L(), DMA_TO_DEVICE);
	assert_true(memory_all(phys, 0x10, L()));
	memset(va + L(), 0x20, L());
	__dma_map_area(va + L(), L(), DMA_BIDIRECTIONAL);
	assert_true(memory_all(phys + L(), 0x20, L()));
	assert_int_equal(counters(NULL).lines_cleaned, 2);
	assert_int_equal(counters(NULL).lines_invalidated, 0);

	/* TO_DEVICE unmap does nothing, even to a stale line. */
	assert_int_equal(iosim_cache_write_memory(phys, &dev_data, 1), 0);
	__dma_unmap_area(va, L(), DMA_TO_DEVICE);
	assert_int_equal((unsigned char)va[0], 0x10);
	assert_int_equal(counters(NULL).lines_invalidated, 0);

	/* FROM_DEVICE map forfeits the CPU's writes without counting them as lost. */
	memset(va + 2 * L(), 0x30, L());
	__dma_map_area(va + 2 * L(), L(), DMA_FROM_DEVICE);
	assert_true(iosim_bytes_all(va + 2 * L(), 0, L()));
	assert_int_equal(counters(NULL).lines_invalidated, 1);
	assert_int_equal(counters(NULL).lost_writes, 0);

	/* FROM_DEVICE unmap invalidates and counts the writes it discards. */
	memset(va + 2 * L(), 0x31, L());
	__dma_unmap_area(va + 2 * L(), L(), DMA_FROM_DEVICE);
	assert_true(iosim_bytes_all(va + 2 * L(), 0, L()));
	assert_int_equal(counters(NULL).lines_invalidated, 2);
	assert_int_equal(counters(NULL).lost_writes, 1);
	/* BIDIRECTIONAL unmap invalidates too: the device's byte appears. */
	__dma_unmap_area(va, L(), DMA_BIDIRECTIONAL);
	assert_int_equal((unsigned char)va[0], 0xd0);
	assert_model_ok();
	__free_page(page);
}

/*
 * A receive buffer [L/4, 2L + L/4) shares its first and last lines with a
 * neighbour's data.  __dma_inv_range cleans those partial lines before
 * invalidating: the neighbour's writes made before the map survive it.  A
 * neighbour write made while the device owns the buffer dirties a shared
 * line again, and the unmap's clean of that line writes the CPU's stale
 * copy of the buffer's bytes over what the device wrote: the classic
 * corruption of a buffer that is not cache-line aligned.  The line wholly
 * inside the buffer is only invalidated and shows the device's bytes.
 */
static void test_dma_inv_range_edge_lines_keep_the_neighbour_and_corrupt_the_buffer(void **state)
{
	struct device *dev = make_dev("cache-nc", false);
	size_t head = L() / 4, len = 2 * L();
	unsigned char *dev_buf = malloc(len);
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);

	(void)state;
	assert_non_null(dev_buf);
	memset(dev_buf, 0xde, len);
	iosim_cache_reset_counters(NULL);

	/* The neighbour writes both shared lines, then the buffer is mapped for receive. */
	memset(va, 0x4e, head);
	memset(va + head + len, 0x4f, L() - head);
	__dma_map_area(va + head, len, DMA_FROM_DEVICE);
	assert_true(iosim_bytes_all(va, 0x4e, head));
	assert_true(iosim_bytes_all(va + head + len, 0x4f, L() - head));
	assert_true(memory_all(phys, 0x4e, head));	/* cleaned, not discarded */
	assert_int_equal(counters(NULL).lines_cleaned, 2);
	assert_int_equal(counters(NULL).lines_invalidated, 3);
	assert_model_ok();

	/* The device fills the buffer; meanwhile the neighbour writes its head again. */
	assert_int_equal(iosim_cache_device_access(dev, phys + head, dev_buf, len, true), 0);
	memset(va, 0x5e, head);
	__dma_unmap_area(va + head, len, DMA_FROM_DEVICE);

	assert_true(iosim_bytes_all(va, 0x5e, head));			/* the neighbour survives */
	assert_true(iosim_bytes_all(va + head, 0, L() - head));	/* the device's bytes are lost */
	assert_true(memory_all(phys + head, 0, L() - head));
	assert_true(iosim_bytes_all(va + L(), 0xde, L()));		/* inner line: the device's */
	assert_true(iosim_bytes_all(va + 2 * L(), 0xde, head));	/* clean last line: the device's */
	assert_int_equal(counters(NULL).lost_writes, 0);
	assert_model_ok();

	__free_page(page);
	free(dev_buf);
	iosim_device_destroy(dev);
}

/*
 * Unmapping more than was mapped (a length rounded up to whole lines, say)
 * makes a neighbour's line wholly inside the range: it is only invalidated
 * and the neighbour's write is lost, and counted.
 */
static void test_unmap_past_the_buffer_loses_the_neighbours_write(void **state)
{
	struct page *page;
	char *va = clean_page(&page);

	(void)state;
	iosim_cache_reset_counters(NULL);
	__dma_map_area(va, L(), DMA_FROM_DEVICE);
	memset(va + L(), 0x4e, 8);			/* the neighbour, in the next line */
	__dma_unmap_area(va, 2 * L(), DMA_FROM_DEVICE);
	assert_true(iosim_bytes_all(va + L(), 0, 8));
	assert_int_equal(counters(NULL).lost_writes, 1);
	assert_model_ok();
	__free_page(page);
}

/*
 * A kmalloc() buffer shares its last line with its slab redzone, which the
 * sanitizers guard in the linear map: the model works through its own
 * window (no false reports), and arm64's edge-line clean keeps the redzone
 * intact across a receive.
 */
static void test_kmalloc_buffer_receive_keeps_the_slab_redzone(void **state)
{
	struct device *dev = make_dev("cache-nc", false);
	unsigned char data[100];
	unsigned char *buf = kmalloc(sizeof(data), GFP_KERNEL);

	(void)state;
	assert_non_null(buf);
	memset(data, 0xab, sizeof(data));
	__dma_map_area(buf, sizeof(data), DMA_FROM_DEVICE);
	assert_int_equal(iosim_cache_device_access(dev, virt_to_phys(buf), data, sizeof(data), true),
			 0);
	__dma_unmap_area(buf, sizeof(data), DMA_FROM_DEVICE);
	assert_true(iosim_bytes_all(buf, 0xab, sizeof(data)));
	assert_int_equal(iosim_slab_check(), 0);
	assert_model_ok();
	kfree(buf);
	iosim_device_destroy(dev);
}

/* --- device accesses ------------------------------------------------------------- */

static void test_noncoherent_device_read_needs_a_clean(void **state)
{
	struct device *dev = make_dev("cache-nc", false);
	unsigned char in[100];
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);

	(void)state;
	/* The CPU writes 100 bytes spanning two lines; no clean: the device reads old memory. */
	memset(va + L() - 50, 0x5a, sizeof(in));
	assert_int_equal(iosim_cache_device_access(dev, phys + L() - 50, in, sizeof(in), false), 0);
	assert_true(iosim_bytes_all(in, 0, sizeof(in)));
	assert_int_equal(counters(dev).stale_reads, 2);		/* one per line, not per byte */
	assert_int_equal(counters(NULL).stale_reads, 2);

	/* After a clean the device sees the CPU's bytes and nothing is stale. */
	__dma_map_area(va + L() - 50, sizeof(in), DMA_TO_DEVICE);
	assert_int_equal(iosim_cache_device_access(dev, phys + L() - 50, in, sizeof(in), false), 0);
	assert_true(iosim_bytes_all(in, 0x5a, sizeof(in)));
	assert_int_equal(counters(dev).stale_reads, 2);
	assert_model_ok();
	__free_page(page);
	iosim_device_destroy(dev);
}

static void test_noncoherent_device_write_needs_an_invalidate(void **state)
{
	struct device *dev = make_dev("cache-nc", false);
	unsigned char out[40];
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);

	(void)state;
	memset(out, 0xee, sizeof(out));
	assert_int_equal(iosim_cache_device_access(dev, phys + 8, out, sizeof(out), true), 0);
	/* Without an invalidate the CPU reads its (old, clean) cached copy. */
	assert_true(iosim_bytes_all(va + 8, 0, sizeof(out)));
	assert_false(iosim_cache_line_dirty(phys + 8));
	assert_true(memory_all(phys + 8, 0xee, sizeof(out)));

	__dma_unmap_area(va + 8, sizeof(out), DMA_FROM_DEVICE);
	assert_true(iosim_bytes_all(va + 8, 0xee, sizeof(out)));
	assert_true(iosim_bytes_all(va, 0, 8));
	assert_int_equal(counters(dev).stale_reads, 0);
	assert_model_ok();
	__free_page(page);
	iosim_device_destroy(dev);
}

static void test_coherent_device_sees_the_cpu_view_and_counts_nothing(void **state)
{
	struct device *dev = make_dev("cache-coherent", true);
	struct iosim_cache_counters before = counters(NULL), after;
	unsigned char buf[32];
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);

	(void)state;
	before = counters(NULL);
	memset(va, 0x3c, sizeof(buf));
	assert_int_equal(iosim_cache_device_access(dev, phys, buf, sizeof(buf), false), 0);
	assert_true(iosim_bytes_all(buf, 0x3c, sizeof(buf)));
	memset(buf, 0xc3, sizeof(buf));
	assert_int_equal(iosim_cache_device_access(dev, phys + L(), buf, sizeof(buf), true), 0);
	assert_true(iosim_bytes_all(va + L(), 0xc3, sizeof(buf)));
	assert_true(memory_all(phys + L(), 0, sizeof(buf)));	/* memory untouched */

	after = counters(NULL);
	assert_counters_equal(&before, &after);
	after = counters(dev);
	memset(&before, 0, sizeof(before));
	assert_counters_equal(&before, &after);
	assert_model_ok();
	__free_page(page);
	iosim_device_destroy(dev);
}

/* --- non-cacheable aliases ---------------------------------------------------------- */

static void test_noncacheable_vmap_alias_writes_memory_not_the_linear_map(void **state)
{
	struct device *dev = make_dev("cache-nc", false);
	pgprot_t prots[3] = {
		pgprot_noncached(PAGE_KERNEL),
		pgprot_writecombine(PAGE_KERNEL),
		pgprot_dmacoherent(PAGE_KERNEL),
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct page *page;
		char *va = clean_page(&page), *alias;
		phys_addr_t phys = page_to_phys(page);
		unsigned char in[16];

		if (i < 2)
			alias = vmap(&page, 1, VM_MAP, prots[i]);
		else
			alias = dma_common_pages_remap(&page, PAGE_SIZE, VM_USERMAP, prots[i], NULL);
		assert_non_null(alias);
		iosim_cache_reset_counters(dev);

		memset(alias + 100, 0x90 + i, sizeof(in));
		/* The device sees it at once and nothing is stale... */
		assert_int_equal(iosim_cache_device_access(dev, phys + 100, in, sizeof(in), false), 0);
		assert_true(iosim_bytes_all(in, 0x90 + i, sizeof(in)));
		assert_int_equal(counters(dev).stale_reads, 0);
		/* ...the linear map shows its cached copy until invalidated. */
		assert_true(iosim_bytes_all(va + 100, 0, sizeof(in)));
		assert_false(iosim_cache_line_dirty(phys + 100));
		__dma_unmap_area(va + 100, sizeof(in), DMA_FROM_DEVICE);
		assert_true(iosim_bytes_all(va + 100, 0x90 + i, sizeof(in)));

		/* A device write shows through the alias at once. */
		memset(in, 0xa0 + i, sizeof(in));
		assert_int_equal(iosim_cache_device_access(dev, phys + 200, in, sizeof(in), true), 0);
		assert_true(iosim_bytes_all(alias + 200, 0xa0 + i, sizeof(in)));
		assert_int_equal(iosim_vmalloc_check(), 0);
		assert_model_ok();

		if (i < 2)
			vunmap(alias);
		else
			dma_common_free_remap(alias, PAGE_SIZE, VM_USERMAP);
		__free_page(page);
	}
	iosim_device_destroy(dev);
}

static void test_noncached_vm_insert_page_shows_memory_to_user_space(void **state)
{
	struct device *dev = make_dev("cache-nc", false);
	struct vm_area_struct *vma = iosim_vma_create(2 * PAGE_SIZE, 0);
	struct page *nc_page, *wb_page;
	char *nc_va = clean_page(&nc_page), *wb_va = clean_page(&wb_page);
	char *user_nc, *user_wb;
	unsigned char in[8];

	(void)state;
	assert_non_null(vma);
	user_nc = (char *)vma->vm_start;
	user_wb = user_nc + PAGE_SIZE;
	/* The second page goes in with the VMA cacheable again: the prot at insert counts. */
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
	assert_int_equal(vm_insert_page(vma, vma->vm_start, nc_page), 0);
	vma->vm_page_prot = PAGE_SHARED;
	assert_int_equal(vm_insert_page(vma, vma->vm_start + PAGE_SIZE, wb_page), 0);
	assert_int_equal(iosim_vma_check(vma), 0);

	/* User space writes through the non-cached mapping: memory, not the CPU view. */
	memset(user_nc, 0x6d, sizeof(in));
	assert_int_equal(iosim_cache_device_access(dev, page_to_phys(nc_page), in, sizeof(in),
						   false), 0);
	assert_true(iosim_bytes_all(in, 0x6d, sizeof(in)));
	assert_true(iosim_bytes_all(nc_va, 0, sizeof(in)));
	assert_int_equal(iosim_vma_check(vma), 0);
	__dma_unmap_area(nc_va, sizeof(in), DMA_FROM_DEVICE);
	assert_true(iosim_bytes_all(nc_va, 0x6d, sizeof(in)));

	/* Through the cacheable mapping the CPU view changes and the device needs a clean. */
	memset(user_wb, 0x7d, sizeof(in));
	assert_true(iosim_bytes_all(wb_va, 0x7d, sizeof(in)));
	assert_true(iosim_cache_line_dirty(page_to_phys(wb_page)));
	assert_int_equal(iosim_vma_check(vma), 0);
	assert_model_ok();

	iosim_vma_destroy(vma);
	__free_page(nc_page);
	__free_page(wb_page);
	iosim_device_destroy(dev);
}

/* --- maintenance through a cacheable vmap() alias ---------------------------------- */

static void test_maintenance_on_a_vmap_alias_hits_the_right_physical_lines(void **state)
{
	struct page *pages[2], *spacer;
	char *va0, *va1, *alias;
	phys_addr_t p0, p1;

	(void)state;
	/* Two pages, not physically adjacent, mapped in reverse order. */
	va1 = clean_page(&pages[1]);
	spacer = alloc_page(GFP_KERNEL);
	assert_non_null(spacer);
	va0 = clean_page(&pages[0]);
	p0 = page_to_phys(pages[0]);
	p1 = page_to_phys(pages[1]);
	assert_true(p0 + PAGE_SIZE != p1);
	alias = vmap(pages, 2, VM_MAP, PAGE_KERNEL);
	assert_non_null(alias);
	iosim_cache_reset_counters(NULL);

	/* A cacheable alias writes the CPU view: the linear map sees it, memory does not. */
	memset(alias, 0x01, L());				/* pages[0], line 0 */
	memset(alias + PAGE_SIZE - L(), 0x02, 2 * L());	/* last line of [0], first of [1] */
	assert_true(iosim_bytes_all(va0 + PAGE_SIZE - L(), 0x02, L()));
	assert_true(iosim_bytes_all(va1, 0x02, L()));
	assert_true(memory_all(p0 + PAGE_SIZE - L(), 0, L()));

	__dma_map_area(alias + PAGE_SIZE - L() / 2, L(), DMA_TO_DEVICE);
	assert_int_equal(counters(NULL).lines_cleaned, 2);
	assert_true(memory_all(p0 + PAGE_SIZE - L(), 0x02, L()));
	assert_true(memory_all(p1, 0x02, L()));
	assert_true(iosim_cache_line_dirty(p0));		/* outside the range: still dirty */
	assert_true(memory_all(p0, 0, L()));

	/* An invalidate through the alias reaches both frames' lines. */
	assert_int_equal(iosim_cache_write_memory(p0 + PAGE_SIZE - 8, "ABCDEFGH", 8), 0);
	assert_int_equal(iosim_cache_write_memory(p1, "abcdefgh", 8), 0);
	__dma_unmap_area(alias + PAGE_SIZE - 8, 16, DMA_FROM_DEVICE);
	assert_memory_equal(va0 + PAGE_SIZE - 8, "ABCDEFGH", 8);
	assert_memory_equal(va1, "abcdefgh", 8);
	assert_model_ok();

	vunmap(alias);
	__free_page(pages[0]);
	__free_page(pages[1]);
	__free_page(spacer);
}

/* --- line size -------------------------------------------------------------------- */

static void check_line_granularity(unsigned int size)
{
	struct page *page;
	char *va;
	phys_addr_t phys;

	iosim_ram_exit();
	assert_int_equal(iosim_cache_set_enabled(true), 0);
	assert_int_equal(iosim_cache_set_line_size(size), 0);
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_int_equal(iosim_cache_line_size(), size);
	va = clean_page(&page);
	phys = page_to_phys(page);
	iosim_cache_reset_counters(NULL);

	va[size - 1] = 1;				/* dirties line 0 only */
	assert_true(iosim_cache_line_dirty(phys));
	assert_false(iosim_cache_line_dirty(phys + size));
	iosim_cache_clean_range(phys + size - 1, 2);	/* touches lines 0 and 1 */
	assert_int_equal(counters(NULL).lines_cleaned, 1);
	iosim_cache_inval_range(phys, 3 * size);
	assert_int_equal(counters(NULL).lines_invalidated, 3);
	iosim_cache_inval_range(phys + 1, 1);		/* one partial line */
	assert_int_equal(counters(NULL).lines_invalidated, 4);
	assert_int_equal(iosim_cache_set_line_size(64), -EBUSY);
	assert_model_ok();
	__free_page(page);
}

static void test_line_size_sets_the_granularity(void **state)
{
	(void)state;
	check_line_granularity(32);
	check_line_granularity(128);

	/* RAM exit restores the default; bad sizes are refused. */
	iosim_ram_exit();
	assert_int_equal(iosim_cache_line_size(), IOSIM_CACHE_DEFAULT_LINE_SIZE);
	assert_int_equal(iosim_cache_set_line_size(8), -EINVAL);
	assert_int_equal(iosim_cache_set_line_size(48), -EINVAL);
	assert_int_equal(iosim_cache_set_line_size(0), -EINVAL);
	assert_int_equal(iosim_cache_set_line_size(2 * PAGE_SIZE), -EINVAL);
	assert_int_equal(iosim_cache_line_size(), IOSIM_CACHE_DEFAULT_LINE_SIZE);
	assert_int_equal(iosim_cache_set_line_size(PAGE_SIZE), 0);
	assert_int_equal(iosim_cache_set_line_size(16), 0);
	assert_int_equal(iosim_cache_line_size(), 16);
	assert_int_equal(iosim_cache_set_enabled(true), 0);
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_int_equal(iosim_cache_line_size(), 16);
	assert_model_ok();
}

/*
 * 16-byte lines hash with the first of the four lanes only, word by word: a
 * change to either 8-byte word makes its line dirty, and only that line.
 */
static void test_16_byte_lines_see_a_write_to_either_word(void **state)
{
	struct page *page;
	phys_addr_t phys;
	char *va;

	(void)state;
	check_line_granularity(16);
	va = clean_page(&page);
	phys = page_to_phys(page);
	va[16 + 3] = 1;					/* line 1, first word */
	assert_true(iosim_cache_line_dirty(phys + 16));
	assert_false(iosim_cache_line_dirty(phys));
	assert_false(iosim_cache_line_dirty(phys + 32));
	iosim_cache_clean_range(phys + 16, 16);
	assert_false(iosim_cache_line_dirty(phys + 16));
	va[32 + 12] = 2;				/* line 2, second word */
	assert_true(iosim_cache_line_dirty(phys + 32));
	assert_false(iosim_cache_line_dirty(phys + 16));
	assert_false(iosim_cache_line_dirty(phys + 48));
	__flush_dcache_area(va, PAGE_SIZE);
	assert_model_ok();
	__free_page(page);
}

/* --- eviction ----------------------------------------------------------------------- */

struct evict_run {
	struct iosim_cache_counters c;
	bool dirty[PAGE_SIZE / IOSIM_CACHE_MIN_LINE_SIZE];
};

/* Dirty a page, let a non-coherent device read it with the knob at 30%. */
static void evict_scenario(struct device *dev, u64 seed, struct evict_run *run)
{
	unsigned char *in = malloc(PAGE_SIZE);
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);
	size_t i;

	assert_non_null(in);
	memset(run, 0, sizeof(*run));
	memset(va, 0x99, PAGE_SIZE);
	iosim_cache_reset_counters(NULL);
	iosim_cache_set_eviction(seed, 300000);
	assert_int_equal(iosim_cache_device_access(dev, phys, in, PAGE_SIZE, false), 0);
	iosim_cache_set_eviction(0, 0);
	run->c = counters(NULL);
	for (i = 0; i < PAGE_SIZE / L(); i++) {
		run->dirty[i] = iosim_cache_line_dirty(phys + i * L());
		/* An evicted line was written back first: the device read the CPU's bytes. */
		assert_int_equal(in[i * L()], run->dirty[i] ? 0 : 0x99);
	}
	__free_page(page);
	free(in);
}

static void test_eviction_is_deterministic_per_seed(void **state)
{
	struct device *dev = make_dev("cache-nc", false);
	struct evict_run *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b)), *c = malloc(sizeof(*c));
	u64 lines = PAGE_SIZE / L();

	(void)state;
	assert_true(a && b && c);
	evict_scenario(dev, 42, a);
	evict_scenario(dev, 42, b);
	evict_scenario(dev, 4242, c);

	assert_true(a->c.evictions > 0 && a->c.evictions < lines);
	assert_int_equal(a->c.evictions + a->c.stale_reads, lines);
	assert_counters_equal(&a->c, &b->c);
	assert_memory_equal(a->dirty, b->dirty, sizeof(a->dirty));
	assert_memory_not_equal(a->dirty, c->dirty, sizeof(a->dirty));
	assert_model_ok();
	free(a);
	free(b);
	free(c);
	iosim_device_destroy(dev);
}

/*
 * A receive buffer the CPU dirtied and never invalidated at map time: the
 * device's data lands in memory, and without evictions the unmap's
 * invalidate happens to discard the dirty lines (counted as lost).  With
 * every line evicted, the dirty lines are written back over the device's
 * data before the unmap: the CPU sees its own old bytes.
 */
static void forgotten_invalidate(struct device *dev, bool evict, char **va_out,
				 struct page **page_out)
{
	unsigned char *data = malloc(2 * L());
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);

	assert_non_null(data);
	memset(data, 0xd5, 2 * L());
	memset(va, 0xc1, 2 * L());				/* dirty, no map-time invalidate */
	assert_int_equal(iosim_cache_device_access(dev, phys, data, 2 * L(), true), 0);
	if (evict)
		iosim_cache_set_eviction(7, 1000000);
	__dma_unmap_area(va, 2 * L(), DMA_FROM_DEVICE);
	iosim_cache_set_eviction(0, 0);
	*va_out = va;
	*page_out = page;
	free(data);
}

static void test_full_eviction_writes_dirty_cpu_data_over_the_devices(void **state)
{
	struct device *dev = make_dev("cache-nc", false);
	struct page *page;
	char *va;

	(void)state;
	iosim_cache_reset_counters(NULL);
	forgotten_invalidate(dev, false, &va, &page);
	assert_true(iosim_bytes_all(va, 0xd5, 2 * L()));
	assert_int_equal(counters(NULL).lost_writes, 2);
	assert_int_equal(counters(NULL).evictions, 0);
	__free_page(page);

	iosim_cache_reset_counters(NULL);
	forgotten_invalidate(dev, true, &va, &page);
	assert_true(iosim_bytes_all(va, 0xc1, 2 * L()));
	assert_true(memory_all(page_to_phys(page), 0xc1, 2 * L()));
	assert_int_equal(counters(NULL).evictions, 2);
	assert_int_equal(counters(NULL).lost_writes, 0);
	assert_model_ok();
	__free_page(page);
	iosim_device_destroy(dev);
}

static void test_writeback_all_evicts_every_dirty_line(void **state)
{
	struct page *pages[2];
	char *va0 = clean_page(&pages[0]), *va1 = clean_page(&pages[1]);
	unsigned char stale = 0x33;

	(void)state;
	iosim_cache_writeback_all();			/* whatever else RAM holds */
	iosim_cache_reset_counters(NULL);
	memset(va0 + L(), 0x10, 3 * L());
	memset(va1 + PAGE_SIZE - 1, 0x20, 1);
	assert_int_equal(iosim_cache_write_memory(page_to_phys(pages[1]), &stale, 1), 0);

	iosim_cache_writeback_all();
	assert_int_equal(counters(NULL).evictions, 4);
	assert_int_equal(counters(NULL).lines_cleaned, 0);
	assert_true(memory_all(page_to_phys(pages[0]) + L(), 0x10, 3 * L()));
	assert_true(memory_all(page_to_phys(pages[1]) + PAGE_SIZE - 1, 0x20, 1));
	assert_int_equal((unsigned char)va1[0], 0);	/* clean lines are not refetched */
	assert_false(iosim_cache_line_dirty(page_to_phys(pages[0]) + L()));
	iosim_cache_writeback_all();
	assert_int_equal(counters(NULL).evictions, 4);
	assert_model_ok();
	__free_page(pages[0]);
	__free_page(pages[1]);
}

/* --- attribution --------------------------------------------------------------------- */

static void test_context_attributes_maintenance_to_each_device(void **state)
{
	struct device *a = make_dev("cache-a", false), *b = make_dev("cache-b", false);
	unsigned char in[4];
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);

	(void)state;
	iosim_cache_reset_counters(NULL);
	assert_null(iosim_cache_context(a));
	memset(va, 1, 1);
	__dma_map_area(va, 1, DMA_TO_DEVICE);
	assert_ptr_equal(iosim_cache_context(b), a);
	memset(va + L(), 2, 2 * L());
	__dma_flush_range(va + L(), va + 3 * L());
	assert_ptr_equal(iosim_cache_context(NULL), b);
	memset(va + 4 * L(), 3, 1);
	iosim_cache_clean_range(phys + 4 * L(), 1);

	assert_int_equal(counters(a).lines_cleaned, 1);
	assert_int_equal(counters(a).lines_invalidated, 0);
	assert_int_equal(counters(b).lines_cleaned, 2);
	assert_int_equal(counters(b).lines_invalidated, 2);
	assert_int_equal(counters(NULL).lines_cleaned, 4);	/* context-free work too */
	assert_int_equal(counters(NULL).lines_invalidated, 2);

	/* A device access is credited to the accessing device, whatever the context. */
	iosim_cache_context(b);
	memset(va + 5 * L(), 4, 1);
	assert_int_equal(iosim_cache_device_access(a, phys + 5 * L(), in, 1, false), 0);
	assert_int_equal(counters(a).stale_reads, 1);
	assert_int_equal(counters(b).stale_reads, 0);
	iosim_cache_context(NULL);

	iosim_cache_reset_counters(a);
	assert_int_equal(counters(a).lines_cleaned, 0);
	assert_int_equal(counters(b).lines_cleaned, 2);
	assert_int_equal(counters(NULL).lines_cleaned, 4);
	iosim_cache_reset_counters(NULL);
	assert_int_equal(counters(NULL).lines_cleaned, 0);
	assert_int_equal(counters(b).lines_cleaned, 2);
	assert_model_ok();
	__free_page(page);
	iosim_device_destroy(a);
	iosim_device_destroy(b);
}

/* --- misuse ------------------------------------------------------------------------ */

static void test_misuse_is_warned_and_changes_nothing(void **state)
{
	struct device *dev = make_dev("cache-nc", false);
	struct iosim_cache_counters before, after;
	phys_addr_t end = iosim_ram_base_phys() + iosim_ram_size();
	char *last = phys_to_virt(end - PAGE_SIZE);
	void *vm = vmalloc(PAGE_SIZE);
	unsigned char b[8];
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);
	int local = 0;

	(void)state;
	assert_non_null(vm);
	memset(va, 0x11, 8);				/* one dirty line to keep */
	before = counters(NULL);

	__dma_map_area(NULL, 64, DMA_TO_DEVICE);
	assert_warned("bad range");
	__dma_unmap_area(&local, sizeof(local), DMA_FROM_DEVICE);
	assert_warned("not an address of simulated RAM");
	__dma_map_area(vm, 64, DMA_TO_DEVICE);
	assert_warned("not an address of simulated RAM");
	__flush_dcache_area(last, 2 * PAGE_SIZE);	/* runs off the end of RAM */
	assert_warned("not an address of simulated RAM");
	__dma_map_area(va, SIZE_MAX, DMA_TO_DEVICE);
	assert_warned("bad range");
	__dma_flush_range(va + 64, va);
	assert_warned("below start");
	iosim_cache_clean_range(0x1000, 64);
	assert_warned("is not simulated RAM");
	iosim_cache_inval_range(end - 32, 64);
	assert_warned("is not simulated RAM");
	iosim_cache_flush_range(phys, SIZE_MAX);
	assert_warned("is not simulated RAM");
	assert_false(iosim_cache_line_dirty(0));
	assert_warned("is not simulated RAM");
	assert_int_equal(iosim_cache_read_memory(phys, NULL, 8), -EINVAL);
	assert_warned("NULL buffer");
	assert_int_equal(iosim_cache_write_memory(0x1000, b, 8), -EFAULT);
	assert_int_equal(iosim_cache_read_memory(end - 4, b, 8), -EFAULT);
	assert_int_equal(iosim_cache_device_access(NULL, phys, b, 8, false), -EINVAL);
	assert_warned("NULL device");
	assert_int_equal(iosim_cache_device_access(dev, phys, NULL, 8, true), -EINVAL);
	assert_warned("NULL buffer");
	assert_int_equal(iosim_cache_device_access(dev, ~0ULL - 3, b, 8, false), -EFAULT);
	iosim_cache_get_counters(NULL, NULL);
	assert_warned("NULL destination");

	/* Zero sizes do nothing, quietly, whatever the address. */
	__dma_map_area(NULL, 0, DMA_TO_DEVICE);
	__dma_unmap_area(&local, 0, DMA_FROM_DEVICE);
	__dma_flush_range(va, va);
	iosim_cache_clean_range(0, 0);
	assert_int_equal(iosim_cache_read_memory(0, b, 0), 0);
	assert_no_warnings();

	after = counters(NULL);
	assert_counters_equal(&before, &after);
	after = counters(dev);
	memset(&before, 0, sizeof(before));
	assert_counters_equal(&before, &after);
	assert_true(iosim_cache_line_dirty(phys));
	assert_true(memory_all(phys, 0, 8));
	assert_model_ok();
	vfree(vm);
	__free_page(page);
	iosim_device_destroy(dev);
}

/* --- lifetime ------------------------------------------------------------------------ */

static unsigned int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	unsigned int n = 0;

	assert_non_null(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_ram_exit_and_init_reset_the_model(void **state)
{
	struct device *dev = make_dev("cache-nc", false);	/* slab: dies with RAM */
	unsigned char data[16], in[16];
	unsigned int fds;
	struct page *page;
	char *va = clean_page(&page);
	phys_addr_t phys = page_to_phys(page);

	(void)state;
	/* Leave every kind of state behind: dirty lines, memory, counters, knob, context. */
	memset(va, 0x42, L());
	memset(data, 0x24, sizeof(data));
	assert_int_equal(iosim_cache_write_memory(phys + L(), data, sizeof(data)), 0);
	iosim_cache_clean_range(phys, L());
	iosim_cache_set_eviction(1, 1000000);
	iosim_cache_context(dev);			/* left set, and left dangling */
	__free_page(page);
	iosim_device_destroy(dev);

	fds = open_fds();
	iosim_ram_exit();
	assert_int_equal(open_fds(), fds - 2);		/* RAM's memfd and memory's */
	assert_int_equal(iosim_cache_enabled(), IOSIM_CACHE_DEFAULT_ENABLED); /* the default */
	assert_int_equal(iosim_cache_check(), 0);
	assert_null(iosim_cache_context(NULL));
	assert_int_equal(iosim_cache_set_enabled(true), 0);
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_int_equal(open_fds(), fds);
	assert_true(iosim_cache_enabled());
	assert_int_equal(iosim_cache_set_enabled(false), -EBUSY);

	/* Fresh RAM: memory is zero, nothing counted, the knob is off. */
	assert_int_equal(counters(NULL).lines_cleaned, 0);
	assert_true(memory_all(phys, 0, L() + sizeof(data)));
	assert_false(iosim_cache_line_dirty(phys));
	dev = make_dev("cache-nc", false);
	va = clean_page(&page);
	memset(va, 0x5a, sizeof(in));
	assert_int_equal(iosim_cache_device_access(dev, page_to_phys(page), in, sizeof(in), false),
			 0);
	assert_int_equal(counters(dev).evictions, 0);
	assert_int_equal(counters(dev).stale_reads, 1);
	assert_model_ok();
	__free_page(page);
	iosim_device_destroy(dev);
}

static void test_model_off_is_coherent_everywhere(void **state)
{
	struct device *dev;
	struct page *page;
	char *va, *alias;
	unsigned char in[8];

	(void)state;
	iosim_ram_exit();
	assert_int_equal(iosim_cache_set_enabled(false), 0);
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_false(iosim_cache_enabled());
	dev = make_dev("cache-nc", false);
	page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	assert_non_null(page);
	va = page_address(page);

	/* A non-coherent master sees the CPU's writes; nothing is dirty or counted. */
	memset(va, 0x61, sizeof(in));
	assert_false(iosim_cache_line_dirty(page_to_phys(page)));
	assert_int_equal(iosim_cache_device_access(dev, page_to_phys(page), in, sizeof(in), false),
			 0);
	assert_true(iosim_bytes_all(in, 0x61, sizeof(in)));
	__dma_unmap_area(va, sizeof(in), DMA_FROM_DEVICE);	/* discards nothing */
	assert_true(iosim_bytes_all(va, 0x61, sizeof(in)));
	assert_true(memory_all(page_to_phys(page), 0x61, sizeof(in)));
	assert_int_equal(counters(NULL).lines_invalidated, 0);
	assert_int_equal(counters(dev).stale_reads, 0);

	/* A non-cached alias shows the CPU view; misuse still WARNs. */
	alias = vmap(&page, 1, VM_MAP, pgprot_noncached(PAGE_KERNEL));
	assert_non_null(alias);
	alias[0] = 0x62;
	assert_int_equal(va[0], 0x62);
	__dma_map_area(in, sizeof(in), DMA_TO_DEVICE);
	assert_warned("not an address of simulated RAM");
	assert_model_ok();
	vunmap(alias);
	__free_page(page);
	iosim_device_destroy(dev);
}

/* --- the checker --------------------------------------------------------------------- */

static void test_checker_catches_a_never_written_line_recorded_dirty(void **state)
{
	struct iosim_ram_state *ram = &iosim_ram_state;
	off_t hole = lseek(ram->memfd, 0, SEEK_HOLE);
	u64 *slot;

	(void)state;
	assert_true(hole >= 0 && (u64)hole < ram->size_bytes);
	slot = &ram->line_hash[(u64)hole >> ram->line_shift];
	assert_int_equal(*slot, 0);
	*slot = 0x1234;
	assert_int_equal(iosim_cache_check(), -EUCLEAN);
	assert_warned("never-written lines");
	*slot = 0;
	assert_model_ok();
}

/* --- the fresh-state check of a resettable RAM (<iosim/ram_reset.h>) ------------------ */

/*
 * What a reset restores of the model, each left behind once: a byte of
 * memory, a recorded line hash, a counter, the eviction knob.  The fresh
 * check reports each (and nothing about the CPU view or the allocator),
 * and passes again once it is undone.
 */
static void test_ram_check_fresh_reports_model_state_a_reset_would_clear(void **state)
{
	struct iosim_ram_config cfg = { .base_phys = IOSIM_RAM_DEFAULT_BASE_PHYS,
					.size_bytes = 16 * PAGE_SIZE };
	phys_addr_t phys = IOSIM_RAM_DEFAULT_BASE_PHYS + 5 * PAGE_SIZE;
	unsigned char one = 1, zero = 0;
	u64 *slot;
	char m[128];

	(void)state;
	iosim_ram_exit();
	assert_int_equal(iosim_cache_set_enabled(true), 0);
	assert_int_equal(iosim_ram_init_resettable(&cfg), 0);
	assert_true(iosim_cache_enabled());
	assert_int_equal(iosim_ram_check_fresh(), 0);

	/* Memory written behind the CPU's back, in a frame nobody allocated. */
	assert_int_equal(iosim_cache_write_memory(phys + 100, &one, 1), 0);
	assert_int_equal(iosim_ram_check_fresh(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	snprintf(m, sizeof(m), "memory at RAM offset %#zx is not zero", (size_t)5 * PAGE_SIZE);
	assert_warned(m);
	assert_int_equal(iosim_cache_write_memory(phys + 100, &zero, 1), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);

	/* A line hash recorded for a line that still holds zeros. */
	slot = &iosim_ram_state.line_hash[(5 * PAGE_SIZE) / L() + 3];
	assert_int_equal(*slot, 0);
	*slot = 0x5eed;
	assert_int_equal(iosim_ram_check_fresh(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	snprintf(m, sizeof(m), "line %zu has a recorded hash", (size_t)(5 * PAGE_SIZE) / L() + 3);
	assert_warned(m);
	*slot = 0;
	assert_int_equal(iosim_ram_check_fresh(), 0);

	/* A counter: invalidating a line of zeros changes nothing but the count. */
	iosim_cache_inval_range(phys, L());
	assert_int_equal(counters(NULL).lines_invalidated, 1);
	assert_int_equal(iosim_ram_check_fresh(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("counters or eviction not reset");
	iosim_cache_reset_counters(NULL);
	assert_int_equal(iosim_ram_check_fresh(), 0);

	/* The eviction knob left on. */
	iosim_cache_set_eviction(3, 1);
	assert_int_equal(iosim_ram_check_fresh(), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned("counters or eviction not reset");
	iosim_cache_set_eviction(0, 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
	assert_model_ok();
}

/* --- threads -------------------------------------------------------------------------- */

#define NR_THREADS	4
#define NR_ROUNDS	100	/* send 2r + 1, receive 2r + 2: every round changes every byte */

struct worker {
	pthread_t thread;
	struct device *dev;
	struct page *page;
	unsigned int bad;
};

/* Each thread sends and receives through its own page, as its own device's DMA. */
static void *worker_main(void *arg)
{
	struct worker *w = arg;
	char *va = page_address(w->page);
	phys_addr_t phys = page_to_phys(w->page);
	unsigned char *buf = malloc(PAGE_SIZE);
	unsigned int round;

	iosim_cache_context(w->dev);
	for (round = 0; round < NR_ROUNDS && buf; round++) {
		int send = (int)(2 * round + 1), recv = (int)(2 * round + 2);

		memset(va, send, PAGE_SIZE);
		__dma_map_area(va, PAGE_SIZE, DMA_TO_DEVICE);
		iosim_cache_device_access(w->dev, phys, buf, PAGE_SIZE, false);
		w->bad += !iosim_bytes_all(buf, send, PAGE_SIZE);
		__dma_map_area(va, PAGE_SIZE, DMA_FROM_DEVICE);
		memset(buf, recv, PAGE_SIZE);
		iosim_cache_device_access(w->dev, phys, buf, PAGE_SIZE, true);
		__dma_unmap_area(va, PAGE_SIZE, DMA_FROM_DEVICE);
		w->bad += !iosim_bytes_all(va, recv, PAGE_SIZE);
	}
	w->bad += !buf;
	iosim_cache_context(NULL);
	free(buf);
	return NULL;
}

static void test_threads_maintain_their_own_buffers_independently(void **state)
{
	struct worker w[NR_THREADS];
	char name[16];
	unsigned int i;

	(void)state;
	for (i = 0; i < NR_THREADS; i++) {
		snprintf(name, sizeof(name), "cache-t%u", i);
		w[i].dev = make_dev(name, false);
		clean_page(&w[i].page);
		w[i].bad = 0;
	}
	for (i = 0; i < NR_THREADS; i++)
		assert_int_equal(pthread_create(&w[i].thread, NULL, worker_main, &w[i]), 0);
	for (i = 0; i < NR_THREADS; i++)
		assert_int_equal(pthread_join(w[i].thread, NULL), 0);
	for (i = 0; i < NR_THREADS; i++) {
		struct iosim_cache_counters c = counters(w[i].dev);

		assert_int_equal(w[i].bad, 0);
		assert_int_equal(c.lines_cleaned, NR_ROUNDS * (PAGE_SIZE / L()));
		assert_int_equal(c.lines_invalidated, 2 * NR_ROUNDS * (PAGE_SIZE / L()));
		assert_int_equal(c.stale_reads, 0);
		assert_int_equal(c.lost_writes, 0);
		__free_page(w[i].page);
		iosim_device_destroy(w[i].dev);
	}
	assert_model_ok();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CACHE_TEST(test_clean_writes_back_only_dirty_lines),
		CACHE_TEST(test_invalidate_discards_cpu_writes_and_shows_memory),
		CACHE_TEST(test_flush_cleans_then_invalidates_without_losing_writes),
		CACHE_TEST(test_map_and_unmap_follow_the_direction),
		CACHE_TEST(test_dma_inv_range_edge_lines_keep_the_neighbour_and_corrupt_the_buffer),
		CACHE_TEST(test_unmap_past_the_buffer_loses_the_neighbours_write),
		CACHE_TEST(test_kmalloc_buffer_receive_keeps_the_slab_redzone),
		CACHE_TEST(test_noncoherent_device_read_needs_a_clean),
		CACHE_TEST(test_noncoherent_device_write_needs_an_invalidate),
		CACHE_TEST(test_coherent_device_sees_the_cpu_view_and_counts_nothing),
		CACHE_TEST(test_noncacheable_vmap_alias_writes_memory_not_the_linear_map),
		CACHE_TEST(test_noncached_vm_insert_page_shows_memory_to_user_space),
		CACHE_TEST(test_maintenance_on_a_vmap_alias_hits_the_right_physical_lines),
		CACHE_TEST(test_line_size_sets_the_granularity),
		CACHE_TEST(test_16_byte_lines_see_a_write_to_either_word),
		CACHE_TEST(test_eviction_is_deterministic_per_seed),
		CACHE_TEST(test_full_eviction_writes_dirty_cpu_data_over_the_devices),
		CACHE_TEST(test_writeback_all_evicts_every_dirty_line),
		CACHE_TEST(test_context_attributes_maintenance_to_each_device),
		CACHE_TEST(test_misuse_is_warned_and_changes_nothing),
		CACHE_TEST(test_ram_exit_and_init_reset_the_model),
		CACHE_TEST(test_model_off_is_coherent_everywhere),
		CACHE_TEST(test_checker_catches_a_never_written_line_recorded_dirty),
		CACHE_TEST(test_ram_check_fresh_reports_model_state_a_reset_would_clear),
		CACHE_TEST(test_threads_maintain_their_own_buffers_independently),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
