// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * White-box tests of the cache model's sanity checker, iosim_cache_check()
 * (<iosim/cache.h>, compat/mm/cache_check.c), and of the whole-RAM walk it
 * shares with iosim_cache_writeback_all().
 *
 * Each test plants one inconsistency by editing the model's private state
 * (the views and line state in struct iosim_ram_state, compat/mm/iosim_mm.h;
 * the global counters, compat/mm/cache_lines.h; the memfds behind the two
 * views), asserts that the checker returns -EUCLEAN with exactly the
 * expected WARN, restores the state exactly and asserts that the checker
 * passes again.
 *
 * Not planted: a next-RAM line size out of range and a broken eviction knob
 * (PRNG state 0, chance above a million).  Those settings are static in
 * cache_lines.c and their only writers (iosim_cache_set_line_size(),
 * iosim_cache_set_eviction() and the xorshift step, which never reaches 0
 * from a non-zero state) cannot produce them.
 */
#include "iosim_test.h"
#include "ram_fixture.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/mm.h>
#include <asm/cacheflush.h>
#include <iosim/cache.h>
#include <iosim/ram.h>
#include <iosim/warn.h>

/* White box: the model's private state (compat/mm). */
#include "cache_lines.h"
#include "iosim_mm.h"

/* --- fixture and helpers ----------------------------------------------------------- */

/* RAM with the cache model on, whatever the default. */
#define CACHE_TEST(fn)		IOSIM_TEST_RAM_CACHED(fn)
#define COHERENT_TEST(fn)	IOSIM_TEST_RAM_COHERENT(fn)

/* The checker fails with exactly one WARN, which contains @substr. */
#define assert_check_reports(substr) do {				\
	assert_int_equal(iosim_cache_check(), -EUCLEAN);		\
	assert_int_equal(iosim_warn_count(), 1);			\
	assert_warned(substr);						\
} while (0)

#define assert_cache_ok()	assert_int_equal(iosim_cache_check(), 0)

static struct iosim_cache_counters counters(void)
{
	struct iosim_cache_counters c;

	iosim_cache_get_counters(NULL, &c);
	return c;
}

static void assert_no_counts(void)
{
	struct iosim_cache_counters c = counters();

	assert_int_equal(c.lines_cleaned, 0);
	assert_int_equal(c.lines_invalidated, 0);
	assert_int_equal(c.stale_reads, 0);
	assert_int_equal(c.lost_writes, 0);
	assert_int_equal(c.evictions, 0);
}

/* --- the counters ------------------------------------------------------------------ */

static void test_more_lost_writes_than_invalidations_is_reported(void **state)
{
	struct iosim_cache_counters *g = &iosim_cache_global;
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	u64 saved;
	char *va;

	(void)state;
	assert_non_null(page);
	/* A real lost write: a dirty line wholly inside the range invalidated. */
	va = page_address(page);
	__flush_dcache_area(va, PAGE_SIZE);
	iosim_cache_reset_counters(NULL);
	va[0] = 1;
	iosim_cache_inval_range(page_to_phys(page), iosim_cache_line_size());
	assert_int_equal(g->lost_writes, 1);
	assert_int_equal(g->lines_invalidated, 1);
	assert_cache_ok();

	/* Each lost write is a dirty line an invalidate discarded: never more of them. */
	saved = g->lost_writes;
	g->lost_writes = 2;
	assert_check_reports("iosim_cache_check: 2 lost writes but only 1 lines invalidated");
	g->lost_writes = saved;
	assert_cache_ok();
	__free_page(page);
}

/* --- views and model on or off ------------------------------------------------------- */

/* Without the model (RAM or not), no view of it may exist. */
static void test_views_left_without_the_model_are_reported(void **state)
{
	struct iosim_ram_state *ram = &iosim_ram_state;
	u64 dummy = 0;

	(void)state;
	assert_false(iosim_cache_enabled());
	assert_int_equal(ram->mem_memfd, -1);
	assert_null(ram->line_hash);
	assert_cache_ok();

	/* A line-state array left behind (a pointer the checker only looks at). */
	ram->line_hash = &dummy;
	assert_check_reports("no model, but some of its views are still there");
	ram->line_hash = NULL;
	assert_cache_ok();

	/* Memory's descriptor neither -1 nor a descriptor (the model stays off). */
	ram->mem_memfd = -2;
	assert_false(iosim_cache_lines_on());
	assert_check_reports("no model, but some of its views are still there");
	ram->mem_memfd = -1;
	assert_cache_ok();

	/* No RAM at all, and a CPU window left behind. */
	iosim_ram_exit();
	assert_cache_ok();
	ram->cpu_window = &dummy;
	assert_check_reports("no model, but some of its views are still there");
	ram->cpu_window = NULL;
	assert_cache_ok();
	assert_int_equal(iosim_ram_init(NULL), 0);
}

/* With the model on, every view must exist. */
static void test_model_without_all_of_its_views_is_reported(void **state)
{
	struct iosim_ram_state *ram = &iosim_ram_state;
	void *saved;

	(void)state;
	assert_true(iosim_cache_enabled());
	assert_cache_ok();

	saved = ram->mem_virt;
	ram->mem_virt = NULL;
	assert_check_reports("the model is on without all of its views");
	ram->mem_virt = saved;
	assert_cache_ok();

	saved = ram->cpu_window;
	ram->cpu_window = NULL;
	assert_check_reports("the model is on without all of its views");
	ram->cpu_window = saved;
	assert_cache_ok();

	saved = ram->line_hash;
	ram->line_hash = NULL;
	assert_check_reports("the model is on without all of its views");
	ram->line_hash = saved;
	assert_cache_ok();
}

static void test_line_size_out_of_range_is_reported(void **state)
{
	struct iosim_ram_state *ram = &iosim_ram_state;
	unsigned int saved = ram->line_shift;
	char msg[64];

	(void)state;
	assert_cache_ok();

	/* 8-byte lines: below IOSIM_CACHE_MIN_LINE_SIZE. */
	ram->line_shift = 3;
	assert_check_reports("iosim_cache_check: line size 2^3 is out of range");
	ram->line_shift = saved;
	assert_cache_ok();

	/* Lines of two pages. */
	snprintf(msg, sizeof(msg), "line size 2^%u is out of range", PAGE_SHIFT + 1);
	ram->line_shift = PAGE_SHIFT + 1;
	assert_check_reports(msg);
	ram->line_shift = saved;
	assert_cache_ok();
}

/* --- memory and the CPU window --------------------------------------------------------- */

/* Memory (what non-coherent masters see) grew a page past RAM's size. */
static void test_memory_of_the_wrong_size_is_reported(void **state)
{
	struct iosim_ram_state *ram = &iosim_ram_state;
	char msg[96];
	struct stat st;

	(void)state;
	assert_int_equal(fstat(ram->mem_memfd, &st), 0);
	assert_int_equal(st.st_size, ram->size_bytes);
	assert_cache_ok();

	assert_int_equal(ftruncate(ram->mem_memfd, (off_t)(ram->size_bytes + PAGE_SIZE)), 0);
	snprintf(msg, sizeof(msg), "memory is not the size of RAM (%#llx bytes)",
		 (unsigned long long)ram->size_bytes);
	assert_check_reports(msg);
	/* Cut back: the page past RAM was never written, nothing else changed. */
	assert_int_equal(ftruncate(ram->mem_memfd, (off_t)ram->size_bytes), 0);
	assert_cache_ok();
}

/* The model's own window onto the CPU view must not be (part of) the linear map. */
static void test_window_overlapping_the_linear_map_is_reported(void **state)
{
	struct iosim_ram_state *ram = &iosim_ram_state;
	void *saved = ram->cpu_window;
	char msg[128];

	(void)state;
	assert_int_equal(ram->nr_banks, 1);
	assert_cache_ok();

	/* The window points into bank 0's linear map (a pointer only compared here). */
	ram->cpu_window = (char *)ram->banks[0].virt + PAGE_SIZE;
	snprintf(msg, sizeof(msg), "the model's window %p overlaps bank 0's linear map %p",
		 ram->cpu_window, ram->banks[0].virt);
	assert_check_reports(msg);
	ram->cpu_window = saved;
	assert_cache_ok();
}

/*
 * The walks follow the data extents of the CPU view's memfd, which may
 * outgrow RAM (grown by anyone holding the descriptor): an extent that runs
 * past RAM's end is cut there, so neither writeback_all nor the checker
 * touches a line beyond RAM (there is no line state, no window and no
 * memory for it).  Planted: the memfd grown by two pages, with data in
 * RAM's last page (one dirty line) running on past RAM's end.  Memory's
 * first line holds a pattern the CPU view does not (a device wrote it), so
 * a walk that ran past RAM into the model's neighbouring mappings would
 * find "dirty" lines there and write somewhere.
 */
static void test_walks_stop_at_the_end_of_ram(void **state)
{
	struct iosim_ram_state *ram = &iosim_ram_state;
	const off_t size = (off_t)ram->size_bytes, last = size - (off_t)PAGE_SIZE;
	const phys_addr_t last_phys = ram->base_phys + (phys_addr_t)last;
	const size_t line = iosim_cache_line_size();
	unsigned char data[PAGE_SIZE], back[16], pattern[16];
	u64 *hash = &ram->line_hash[(u64)last >> ram->line_shift];

	(void)state;
	/* RAM's first and last pages were never written: holes. */
	errno = 0;
	assert_int_equal(lseek(ram->memfd, last, SEEK_DATA), -1);
	assert_int_equal(errno, ENXIO);
	assert_true(lseek(ram->memfd, 0, SEEK_DATA) != 0);
	assert_int_equal(*hash, 0);
	iosim_cache_writeback_all();
	iosim_cache_reset_counters(NULL);
	assert_cache_ok();

	/* A device's write to memory's first line; the CPU view keeps its zeros. */
	memset(pattern, 0xd7, sizeof(pattern));
	assert_int_equal(iosim_cache_write_memory(ram->base_phys, pattern, sizeof(pattern)), 0);

	/* One dirty line at the start of RAM's last page; data past RAM. */
	assert_int_equal(ftruncate(ram->memfd, size + 2 * (off_t)PAGE_SIZE), 0);
	memset(data, 0, sizeof(data));
	memset(data, 0x7e, 16);
	assert_int_equal(pwrite(ram->memfd, data, PAGE_SIZE, last), PAGE_SIZE);
	memset(data, 0xa5, sizeof(data));
	assert_int_equal(pwrite(ram->memfd, data, PAGE_SIZE, size), PAGE_SIZE);
	assert_int_equal(pwrite(ram->memfd, data, PAGE_SIZE, size + (off_t)PAGE_SIZE),
			 PAGE_SIZE);
	assert_int_equal(lseek(ram->memfd, last, SEEK_DATA), last);
	assert_true(lseek(ram->memfd, last, SEEK_HOLE) > size);
	assert_true(iosim_cache_line_dirty(last_phys));

	/* The checker passes: RAM's last page is data now, nothing else is planted. */
	assert_cache_ok();
	/* writeback_all writes back that one line, and nothing else anywhere. */
	iosim_cache_writeback_all();
	assert_int_equal(counters().evictions, 1);
	assert_false(iosim_cache_line_dirty(last_phys));
	assert_int_equal(iosim_cache_read_memory(last_phys, back, sizeof(back)), 0);
	assert_true(iosim_bytes_all(back, 0x7e, sizeof(back)));
	assert_true(iosim_bytes_all((char *)ram->mem_virt + last + line, 0, PAGE_SIZE - line));
	/* RAM's first page: the CPU view is still all zero, memory still the pattern. */
	assert_int_equal(pread(ram->memfd, data, PAGE_SIZE, 0), PAGE_SIZE);
	assert_true(iosim_bytes_all(data, 0, PAGE_SIZE));
	assert_int_equal(iosim_cache_read_memory(ram->base_phys, back, sizeof(back)), 0);
	assert_memory_equal(back, pattern, sizeof(back));
	assert_false(iosim_cache_line_dirty(ram->base_phys));
	assert_cache_ok();

	/*
	 * Restore: the memfd's old size with RAM's last page a hole again,
	 * memory's copies of both lines and the last line's recorded hash back
	 * to zero.
	 */
	assert_int_equal(ftruncate(ram->memfd, last), 0);
	assert_int_equal(ftruncate(ram->memfd, size), 0);
	errno = 0;
	assert_int_equal(lseek(ram->memfd, last, SEEK_DATA), -1);
	assert_int_equal(errno, ENXIO);
	memset(back, 0, sizeof(back));
	assert_int_equal(iosim_cache_write_memory(last_phys, back, sizeof(back)), 0);
	assert_int_equal(iosim_cache_write_memory(ram->base_phys, back, sizeof(back)), 0);
	/* The line reads as zeros again but records the data's hash: the checker says so. */
	assert_check_reports("1 never-written lines have a non-zero clean hash");
	*hash = 0;
	assert_cache_ok();
	iosim_cache_reset_counters(NULL);
}

/* --- writeback_all without a model ------------------------------------------------------ */

/* Without the model (or without RAM) nothing is ever dirty: writeback_all does nothing. */
static void test_writeback_all_without_the_model_does_nothing(void **state)
{
	struct page *page = alloc_page(GFP_KERNEL);
	char *va;

	(void)state;
	assert_non_null(page);
	assert_false(iosim_cache_enabled());
	va = page_address(page);
	memset(va, 0x3d, PAGE_SIZE);
	iosim_cache_writeback_all();
	assert_no_counts();
	assert_false(iosim_cache_line_dirty(page_to_phys(page)));
	assert_cache_ok();
	__free_page(page);

	iosim_ram_exit();
	iosim_cache_writeback_all();
	assert_no_counts();
	assert_cache_ok();
	assert_int_equal(iosim_ram_init(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		CACHE_TEST(test_more_lost_writes_than_invalidations_is_reported),
		COHERENT_TEST(test_views_left_without_the_model_are_reported),
		CACHE_TEST(test_model_without_all_of_its_views_is_reported),
		CACHE_TEST(test_line_size_out_of_range_is_reported),
		CACHE_TEST(test_memory_of_the_wrong_size_is_reported),
		CACHE_TEST(test_window_overlapping_the_linear_map_is_reported),
		CACHE_TEST(test_walks_stop_at_the_end_of_ram),
		COHERENT_TEST(test_writeback_all_without_the_model_does_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
