// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The Contiguous Memory Allocator (<linux/cma.h>, compat/mm/cma.c) and the
 * page allocator's alloc_contig_range()/free_contig_range(): ranges taken
 * and given back (split blocks, busy pages, ranges across banks and zones),
 * declaration (top down, fixed, base, limit, alignment, every refusal, the
 * slots running out), cma_init_reserved_mem(), allocation (lowest fit,
 * physical alignment, order_per_bit, until full), release (partial, reuse,
 * every misuse WARNed with nothing changed), the checker against planted
 * corruption (white box: compat/mm/cma_area.h), teardown with leaks, RAM
 * destroyed or reset under areas, an allocation-failure sweep over
 * declaration, and threads sharing an area.
 *
 * Sizes follow the build: an area is aligned to the largest buddy block, A
 * below (4 MiB with 4K pages, 32 MiB with 16K, 512 MiB with 64K), and RAM is
 * 13 of them in three banks (6.5 GiB with 64K pages).  The host allocates
 * each frame of the backing the first time it is touched, which costs
 * seconds per area with 64K pages; so the tests share one RAM, reset to its
 * fresh state between them (<iosim/ram_reset.h>) instead of made anew, and
 * the two that make RAM anew come last.  iosim_ram_check() and
 * iosim_cma_check() run after each step.
 */
#include <linux/kernel.h>
#include "ram_fixture.h"

#include <pthread.h>
#include <sched.h>
#include <string.h>

#include <linux/cma.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/pfn.h>
#include <linux/string.h>
#include <iosim/cache.h>
#include <iosim/cma.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/ram_reset.h>
#include <iosim/warn.h>

/* White box: the layout of an area, and the page allocator's helpers for the CMA. */
#include "cma_area.h"
#include "iosim_mm.h"

/* The CMA's alignment (PAGE_SIZE << max(MAX_ORDER - 1, pageblock_order)): A. */
#define A_ORDER		((unsigned int)(MAX_ORDER - 1 > pageblock_order ? MAX_ORDER - 1 : pageblock_order))
#define A_PAGES		(1UL << A_ORDER)
#define A_BYTES		((u64)PAGE_SIZE << A_ORDER)

/* Bank 2 of the RAM: RAM_ALIGNS A at 34 GiB (ZONE_NORMAL; aligned to 16 A), the highest RAM. */
#define RAM_ALIGNS	MAX_CMA_AREAS		/* room for every slot's area */
#define RAM_BASE	0x880000000ULL
#define RAM_END		(RAM_BASE + RAM_ALIGNS * A_BYTES)
#define AT(n)		(RAM_BASE + (u64)(n) * A_BYTES)		/* the n-th A of bank 2 */

#define SZ_4G_PHYS	(1ULL << 32)

/*
 * The RAM of the tests: bank 0 straddles 4 GiB (ZONE_DMA below, ZONE_NORMAL
 * above), bank 1 follows it directly, and bank 2 is where areas go unless
 * told otherwise.  Kernel allocations - among them the slab pages of the
 * areas' bitmaps - come from the lowest block of ZONE_NORMAL: at 4 GiB.
 */
static const struct iosim_ram_config layout = {
	.nr_banks = 3,
	.banks = {
		{ .base_phys = SZ_4G_PHYS - 2 * A_BYTES, .size_bytes = 4 * A_BYTES },
		{ .base_phys = SZ_4G_PHYS + 2 * A_BYTES, .size_bytes = A_BYTES },
		{ .base_phys = RAM_BASE, .size_bytes = RAM_ALIGNS * A_BYTES },
	},
};

/*
 * With 64K pages an area is at least 512 MiB: a test that fills every slot
 * touches 4 GiB of simulated RAM (about 4 s per GiB on a small VM), and
 * every check of an area reads all its free pages.  The tests that fill
 * every slot, sweep failures or make many areas run with 4K and 16K pages,
 * where the same code paths are taken; the alignment arithmetic, the one
 * thing the page size changes, stays covered at 64K by the others
 * (base/limit/alignment, allocation, release, the checker, teardown).
 */
#define SKIP_IF_AREAS_HUGE()	do { if (A_BYTES > (32ULL << 20)) skip(); } while (0)

/* Largest blocks in all of it (every bank is whole A). */
#define ALL_BLOCKS	(5 + RAM_ALIGNS)

/* The layout of the live RAM, if one of ours made it. */
static const struct iosim_ram_config *ram_layout;

/*
 * RAM laid out as @cfg, made anew (resettable), without the cache model:
 * the CMA does not involve it, and its second view of RAM would double what
 * the host backs.
 */
static int ram_make(const struct iosim_ram_config *cfg)
{
	int ret;

	iosim_ram_exit();
	ram_layout = NULL;
	iosim_cache_set_enabled(false);
	ret = iosim_ram_init_resettable(cfg);
	if (!ret)
		ram_layout = cfg;
	return ret;
}

static void ram_use(const struct iosim_ram_config *cfg)
{
	assert_int_equal(ram_make(cfg), 0);
	assert_int_equal(iosim_ram_check(), 0);
}

/* Fresh RAM of the usual layout: the live one reset if it has it, else made. */
static int setup(void **state)
{
	int ret = iosim_test_setup(state);

	if (ret)
		return ret;
	iosim_log_set_console_level(0);
	if (iosim_cma_nr_areas()) {	/* a test that died half-way */
		iosim_cma_exit();
		iosim_warn_reset();
	}
	if (iosim_ram_ready() && ram_layout == &layout && !iosim_ram_reset())
		return 0;
	return ram_make(&layout);
}

/*
 * Areas still declared go (none may hold pages); the page allocator must be
 * consistent and every page free; then the common checks (WARNs, live
 * objects).  RAM stays for the next test unless something was wrong.
 */
static int teardown(void **state)
{
	unsigned long held = iosim_cma_exit(), free, nr;
	int check;

	iosim_log_set_console_level(5);
	iosim_release_left_locks(__FILE__, __LINE__);
	iosim_assert_no_warnings(__FILE__, __LINE__);
	check = iosim_ram_check();
	free = iosim_ram_free_pages();
	nr = iosim_ram_nr_pages();
	if (held || check || free != nr) {
		iosim_ram_exit();
		ram_layout = NULL;
		iosim_warn_reset();
		print_error("CMA: %lu pages held; RAM: check %d, %lu of %lu pages allocated\n",
			    held, check, nr - free, nr);
		_fail(__FILE__, __LINE__);
	}
	return iosim_test_teardown(state);
}

static int group_teardown(void **state)
{
	(void)state;
	iosim_cma_exit();
	iosim_ram_exit();
	return 0;
}

#define CMA_TEST(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

static void check_all(void)
{
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_cma_check_all(), 0);
}

/* memchr_inv(), not iosim_bytes_all(): an area is 512 MiB with 64K pages. */
static bool pages_hold(const struct page *page, unsigned long nr, int byte)
{
	return !memchr_inv(page_address(page), byte, nr << PAGE_SHIFT);
}

static struct page *pfn_page(unsigned long pfn)
{
	return pfn_to_page(pfn);
}

static struct cma *declare_ok(phys_addr_t base, phys_addr_t size, phys_addr_t limit,
			      phys_addr_t alignment, unsigned int order_per_bit, bool fixed)
{
	unsigned long total = totalcma_pages;
	struct cma *cma = NULL;

	iosim_log_reset();
	assert_int_equal(cma_declare_contiguous(base, size, limit, alignment, order_per_bit,
						fixed, &cma), 0);
	assert_non_null(cma);
	assert_true(iosim_log_seen("cma: Reserved "));
	assert_int_equal(totalcma_pages, total + cma_get_size(cma) / PAGE_SIZE);
	assert_int_equal(iosim_cma_allocated_pages(cma), 0);
	assert_int_equal(iosim_cma_free_pages(cma), cma_get_size(cma) / PAGE_SIZE);
	/* Held: allocated, free poison throughout. */
	assert_true(iosim_phys_is_allocated(cma_get_base(cma)));
	assert_true(pages_hold(phys_to_page(cma_get_base(cma)), cma_get_size(cma) / PAGE_SIZE,
			       IOSIM_PAGE_POISON_FREE));
	assert_int_equal(iosim_cma_check(cma), 0);
	assert_int_equal(iosim_ram_check(), 0);
	return cma;
}

/* A declaration refused with @err: nothing reserved, nothing changed. */
static void declare_fails(int err, phys_addr_t base, phys_addr_t size, phys_addr_t limit,
			  phys_addr_t alignment, unsigned int order_per_bit, bool fixed)
{
	unsigned long free = iosim_ram_free_pages(), total = totalcma_pages;
	unsigned int areas = iosim_cma_nr_areas();
	long live = iosim_live_total();
	struct cma *cma = NULL;

	assert_int_equal(cma_declare_contiguous(base, size, limit, alignment, order_per_bit,
						fixed, &cma), err);
	assert_null(cma);
	assert_int_equal(iosim_cma_nr_areas(), areas);
	assert_int_equal(totalcma_pages, total);
	assert_int_equal(iosim_ram_free_pages(), free);
	assert_int_equal(iosim_live_total(), live);
	check_all();
}

static void init_reserved_fails(int err, phys_addr_t base, phys_addr_t size,
				unsigned int order_per_bit)
{
	unsigned long free = iosim_ram_free_pages(), total = totalcma_pages;
	unsigned int areas = iosim_cma_nr_areas();
	struct cma *cma = NULL;

	assert_int_equal(cma_init_reserved_mem(base, size, order_per_bit, &cma), err);
	assert_null(cma);
	assert_int_equal(iosim_cma_nr_areas(), areas);
	assert_int_equal(totalcma_pages, total);
	assert_int_equal(iosim_ram_free_pages(), free);
	check_all();
}

static struct page *alloc_ok(struct cma *cma, unsigned int count, unsigned int align)
{
	struct page *page = cma_alloc(cma, count, align);
	unsigned long i;

	assert_non_null(page);
	assert_int_equal(page_to_pfn(page) % (1UL << align), 0);
	assert_true(pages_hold(page, count, IOSIM_PAGE_POISON_ALLOC));
	for (i = 0; i < count; i++)
		assert_int_equal(page_count(page + i), 1);
	check_all();
	return page;
}

static void release_ok(struct cma *cma, struct page *page, unsigned int count)
{
	assert_true(cma_release(cma, page, count));
	assert_true(pages_hold(page, count, IOSIM_PAGE_POISON_FREE));
	check_all();
}

/* A release that is misuse: WARNed (@why), true, nothing changed. */
static void release_warns(struct cma *cma, const struct page *page, unsigned int count,
			  const char *why)
{
	unsigned long held = iosim_cma_allocated_pages(cma);

	assert_int_equal(iosim_warn_count(), 0);
	assert_true(cma_release(cma, page, count));
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned(why);
	assert_int_equal(iosim_cma_allocated_pages(cma), held);
	assert_int_equal(iosim_warn_count(), 0);
}

/* A checker run that must find @why (and only that: one WARN). */
static void check_finds(const struct cma *cma, const char *why)
{
	assert_int_equal(iosim_warn_count(), 0);
	assert_int_equal(iosim_cma_check(cma), -EUCLEAN);
	assert_int_equal(iosim_warn_count(), 1);
	assert_warned(why);
}

/* ---- alloc_contig_range() and free_contig_range() ---- */

/*
 * A range across two largest blocks: both split, the frames inside become
 * independent order-0 pages, the parts outside stay free; freeing merges
 * everything back.
 */
static void test_contig_range_takes_frames_and_gives_them_back(void **state)
{
	unsigned long base = PFN_DOWN(RAM_BASE), start = base + 3, end = base + A_PAGES + 5;
	unsigned long nr = end - start, free = iosim_ram_free_pages(), pfn;

	(void)state;
	SKIP_IF_AREAS_HUGE();
	assert_int_equal(iosim_ram_free_blocks(MAX_ORDER - 1), ALL_BLOCKS);
	assert_int_equal(alloc_contig_range(start, end, MIGRATE_CMA), 0);
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_free_pages(), free - nr);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), nr);
	assert_int_equal(iosim_ram_free_blocks(MAX_ORDER - 1), ALL_BLOCKS - 2);
	for (pfn = start; pfn < end; pfn++)
		assert_int_equal(page_count(pfn_page(pfn)), 1);
	assert_true(pages_hold(pfn_page(start), nr, IOSIM_PAGE_POISON_ALLOC));
	assert_false(iosim_phys_is_allocated(PFN_PHYS(base)));
	assert_false(iosim_phys_is_allocated(PFN_PHYS(start - 1)));
	assert_true(iosim_phys_is_allocated(PFN_PHYS(start)));
	assert_true(iosim_phys_is_allocated(PFN_PHYS(end - 1)));
	assert_false(iosim_phys_is_allocated(PFN_PHYS(end)));
	/* Below start: blocks of order 1 and 0; above end: one of each order up. */
	assert_int_equal(iosim_ram_free_blocks(0), 2);

	/* Each page is a page of its own. */
	get_page(pfn_page(start + 1));
	assert_int_equal(page_count(pfn_page(start + 1)), 2);
	put_page(pfn_page(start + 1));
	__free_page(pfn_page(end - 1));
	assert_int_equal(iosim_ram_check(), 0);
	free_contig_range(start, (unsigned int)(nr - 1));
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_free_pages(), free);
	assert_int_equal(iosim_ram_free_blocks(MAX_ORDER - 1), ALL_BLOCKS);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);

	/* Exactly one largest block (movable, as the kernel's callers may ask), and one frame. */
	assert_int_equal(alloc_contig_range(base + A_PAGES, base + 2 * A_PAGES, MIGRATE_MOVABLE), 0);
	assert_int_equal(iosim_ram_free_blocks(MAX_ORDER - 1), ALL_BLOCKS - 1);
	assert_int_equal(alloc_contig_range(PFN_DOWN(RAM_END) - 1, PFN_DOWN(RAM_END), MIGRATE_CMA), 0);
	assert_int_equal(iosim_ram_check(), 0);
	free_contig_range(base + A_PAGES, (unsigned int)A_PAGES);
	free_contig_range(PFN_DOWN(RAM_END) - 1, 1);
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_free_blocks(MAX_ORDER - 1), ALL_BLOCKS);
}

/* A page in use anywhere in the range, or a range that is not one, takes nothing. */
static void test_contig_range_refuses_busy_and_invalid_ranges(void **state)
{
	unsigned long base = PFN_DOWN(RAM_BASE), end = PFN_DOWN(RAM_END), free, pfn;
	struct page *busy = alloc_page(GFP_KERNEL);

	(void)state;
	assert_non_null(busy);
	pfn = page_to_pfn(busy);
	free = iosim_ram_free_pages();
	assert_int_equal(alloc_contig_range(pfn, pfn + 1, MIGRATE_CMA), -EBUSY);
	assert_int_equal(alloc_contig_range(pfn & ~(A_PAGES - 1), (pfn & ~(A_PAGES - 1)) + A_PAGES,
					    MIGRATE_CMA), -EBUSY);
	assert_int_equal(alloc_contig_range(pfn, pfn + 3, MIGRATE_CMA), -EBUSY);
	assert_int_equal(iosim_ram_free_pages(), free);
	assert_int_equal(iosim_ram_check(), 0);

	assert_int_equal(alloc_contig_range(base + 5, base + 5, MIGRATE_CMA), -EINVAL);
	assert_int_equal(alloc_contig_range(base + 6, base + 5, MIGRATE_CMA), -EINVAL);
	assert_int_equal(alloc_contig_range(base - 1, base + 1, MIGRATE_CMA), -EINVAL);
	assert_int_equal(alloc_contig_range(end - 1, end + 1, MIGRATE_CMA), -EINVAL);
	assert_int_equal(alloc_contig_range(end, end + 1, MIGRATE_CMA), -EINVAL);
	assert_int_equal(alloc_contig_range(base, base + 1, MIGRATE_UNMOVABLE), -EINVAL);
	assert_int_equal(alloc_contig_range(base, base + 1, MIGRATE_RECLAIMABLE), -EINVAL);
	assert_int_equal(alloc_contig_range(base, base + 1, MIGRATE_ISOLATE), -EINVAL);
	assert_int_equal(alloc_contig_range(base, base + 1, MIGRATE_TYPES), -EINVAL);
	assert_int_equal(iosim_ram_free_pages(), free);
	assert_int_equal(iosim_ram_check(), 0);

	/* free_contig_range() misuse is __free_page()'s to report. */
	free_contig_range(end - 1, 1);
	assert_warned("double free");
	free_contig_range(end, 1);
	assert_warned("outside simulated RAM");
	assert_int_equal(iosim_ram_check(), 0);
	__free_page(busy);

	assert_false(iosim_pfn_range_free(base + 1, base + 1));
	assert_false(iosim_pfn_range_free(base - 1, base + 1));
	assert_true(iosim_pfn_range_free(base, end));
}

/*
 * Ranges and areas stay in one bank and one zone: ranges refused with
 * -EINVAL, areas as the kernel refuses to activate them.
 */
static void test_ranges_and_areas_stay_in_one_bank_and_zone(void **state)
{
	unsigned long four_g = PFN_DOWN(SZ_4G_PHYS), bank1 = PFN_DOWN(SZ_4G_PHYS + 2 * A_BYTES);
	struct cma *low, *high, *other;

	(void)state;
	SKIP_IF_AREAS_HUGE();
	assert_int_equal(alloc_contig_range(four_g - 1, four_g + 1, MIGRATE_CMA), -EINVAL);
	assert_int_equal(alloc_contig_range(bank1 - 1, bank1 + 1, MIGRATE_CMA), -EINVAL);
	assert_int_equal(alloc_contig_range(four_g - 2, four_g, MIGRATE_CMA), 0);
	free_contig_range(four_g - 2, 2);
	assert_int_equal(iosim_ram_check(), 0);

	/* Fixed: free RAM, but across 4 GiB, or across the banks' seam. */
	iosim_log_reset();
	declare_fails(-EINVAL, SZ_4G_PHYS - A_BYTES, 2 * A_BYTES, 0, 0, 0, true);
	assert_true(iosim_log_seen("cma: CMA area 0x00000000"));
	assert_true(iosim_log_seen("could not be activated"));
	assert_true(iosim_log_seen("cma: Failed to reserve"));
	declare_fails(-EINVAL, SZ_4G_PHYS + A_BYTES, 2 * A_BYTES, 0, 0, 0, true);
	/* Not fixed: memblock would hand out the highest range, which spans the seam or 4 GiB. */
	iosim_log_reset();
	declare_fails(-EINVAL, 0, 2 * A_BYTES, SZ_4G_PHYS + 3 * A_BYTES, 0, 0, false);
	assert_true(iosim_log_seen("could not be activated"));
	declare_fails(-EINVAL, 0, 2 * A_BYTES, SZ_4G_PHYS + A_BYTES, 0, 0, false);
	init_reserved_fails(-EINVAL, SZ_4G_PHYS - A_BYTES, 2 * A_BYTES, 0);
	init_reserved_fails(-EINVAL, SZ_4G_PHYS + A_BYTES, 2 * A_BYTES, 0);

	/*
	 * Above 4 GiB, in bank 1, and below 4 GiB (arm64's limit for the
	 * default area).  Each area's bitmap is a kmalloc object: its slab
	 * page comes from the lowest free block of ZONE_NORMAL, so the fixed
	 * areas go first (in the kernel, bitmaps come after every reservation).
	 */
	high = declare_ok(SZ_4G_PHYS, A_BYTES, 0, 0, 0, true);
	assert_true(cma_get_base(high) == SZ_4G_PHYS);
	assert_int_equal(cma_init_reserved_mem(SZ_4G_PHYS + 2 * A_BYTES, A_BYTES, 0, &other), 0);
	assert_true(cma_get_base(other) == SZ_4G_PHYS + 2 * A_BYTES);
	low = declare_ok(0, A_BYTES, SZ_4G_PHYS, 0, 0, false);
	assert_true(cma_get_base(low) == SZ_4G_PHYS - A_BYTES);
	check_all();
	assert_int_equal(iosim_cma_nr_areas(), 3);
	assert_int_equal(iosim_cma_exit(), 0);
	assert_int_equal(iosim_ram_free_pages(), iosim_ram_nr_pages());
}

/* ---- declaration ---- */

/* Not fixed, an area goes to the highest free aligned range, as memblock allocates. */
static void test_declare_takes_the_highest_free_range(void **state)
{
	unsigned long ram_pages = iosim_ram_nr_pages(), busy_pfn;
	struct cma *a, *b, *c, *d;

	(void)state;
	SKIP_IF_AREAS_HUGE();
	assert_int_equal(MAX_CMA_AREAS, 1 + CONFIG_CMA_AREAS);
	assert_int_equal(iosim_cma_nr_areas(), 0);
	assert_null(iosim_cma_area(0));
	a = declare_ok(0, A_BYTES, 0, 0, 0, false);
	assert_true(cma_get_base(a) == RAM_END - A_BYTES);
	assert_int_equal(cma_get_size(a), A_BYTES);
	assert_int_equal(totalcma_pages, A_PAGES);
	assert_int_equal(iosim_cma_nr_areas(), 1);
	assert_ptr_equal(iosim_cma_area(0), a);
	assert_null(iosim_cma_area(1));
	assert_int_equal(iosim_live(IOSIM_OBJ_CMA_AREA), 1);
	/* The area's pages, and the slab page of its bitmap. */
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), A_PAGES + 1);
	assert_int_equal(iosim_ram_free_pages(), ram_pages - A_PAGES - 1);
	/* The kernel's words, with %pa as it prints. */
	assert_true(iosim_log_seen("cma: Reserved "));

	b = declare_ok(0, 2 * A_BYTES, 0, 0, 0, false);
	assert_true(cma_get_base(b) == AT(RAM_ALIGNS - 3));
	assert_ptr_equal(iosim_cma_area(1), b);

	/* One page in use makes its range unusable: the next lower one is taken. */
	busy_pfn = PFN_DOWN(AT(RAM_ALIGNS - 4)) + 7;
	assert_int_equal(alloc_contig_range(busy_pfn, busy_pfn + 1, MIGRATE_CMA), 0);
	c = declare_ok(0, A_BYTES, 0, 0, 0, false);
	assert_true(cma_get_base(c) == AT(RAM_ALIGNS - 5));
	free_contig_range(busy_pfn, 1);

	/* The size is rounded up to the alignment; the range freed is found again. */
	d = declare_ok(0, A_BYTES / 2 + 1, 0, 0, 0, false);
	assert_true(cma_get_base(d) == AT(RAM_ALIGNS - 4));
	assert_int_equal(cma_get_size(d), A_BYTES);
	assert_int_equal(totalcma_pages, 5 * A_PAGES);
	assert_int_equal(iosim_live(IOSIM_OBJ_CMA_AREA), 4);
	check_all();
}

/*
 * @base is the lowest start, @limit the highest end; the size is rounded up
 * to the alignment, which is physical.  Each case starts from an empty table
 * (so that no bitmap's slab page is in the way).
 */
static void test_declare_honours_base_limit_and_alignment(void **state)
{
	unsigned long busy_pfn = PFN_DOWN(AT(6)) + 1;
	struct cma *cma;

	(void)state;
	/* Aligned to 4A, so 4A big: [2A, 6A) is free but not aligned; [0, 4A) is. */
	assert_int_equal(alloc_contig_range(busy_pfn, busy_pfn + 1, MIGRATE_CMA), 0);
	cma = declare_ok(0, A_BYTES, 0, 4 * A_BYTES, 0, false);
	assert_true(cma_get_base(cma) == AT(0));
	assert_int_equal(cma_get_size(cma), 4 * A_BYTES);
	free_contig_range(busy_pfn, 1);
	assert_int_equal(iosim_cma_exit(), 0);

	/* The limit is rounded down to the alignment: [2A, 3A). */
	cma = declare_ok(0, A_BYTES, AT(3) + A_BYTES / 2, 0, 0, false);
	assert_true(cma_get_base(cma) == AT(2));
	assert_int_equal(iosim_cma_exit(), 0);

	/* A base is rounded up; the highest range above it. */
	cma = declare_ok(AT(RAM_ALIGNS - 2) - PAGE_SIZE, 2 * A_BYTES, 0, 0, 0, false);
	assert_true(cma_get_base(cma) == AT(RAM_ALIGNS - 2));
	/* Nothing above the base is free, though [0, (RAM_ALIGNS - 2) A) is. */
	iosim_log_reset();
	declare_fails(-ENOMEM, AT(RAM_ALIGNS - 3), 2 * A_BYTES, 0, 0, 0, false);
	assert_true(iosim_log_seen("cma: Failed to reserve "));
	/* A limit below the base. */
	declare_fails(-ENOMEM, AT(4), A_BYTES, AT(3), 0, 0, false);
	/* Larger than RAM. */
	declare_fails(-ENOMEM, 0, 2 * RAM_ALIGNS * A_BYTES, 0, 0, 0, false);
	assert_int_equal(iosim_cma_exit(), 0);

	/* A limit past the end of RAM is the end of RAM. */
	cma = declare_ok(0, A_BYTES, RAM_END + 16 * A_BYTES, 0, 0, false);
	assert_true(cma_get_base(cma) == AT(RAM_ALIGNS - 1));
	assert_int_equal(iosim_cma_exit(), 0);

	/* An alignment below the minimum is raised to it. */
	cma = declare_ok(0, A_BYTES, 0, PAGE_SIZE, 0, false);
	assert_true(cma_get_base(cma) == AT(RAM_ALIGNS - 1));
	assert_int_equal(cma_get_size(cma), A_BYTES);
	check_all();
}

/* Fixed: exactly at @base (rounded up), if it is free RAM; a base of 0 is not fixed. */
static void test_declare_fixed(void **state)
{
	unsigned long busy_pfn = PFN_DOWN(AT(6)) + 9;
	struct cma *cma;

	(void)state;
	SKIP_IF_AREAS_HUGE();
	cma = declare_ok(AT(2), A_BYTES, 0, 0, 0, true);
	assert_true(cma_get_base(cma) == AT(2));
	cma = declare_ok(AT(4) + PAGE_SIZE, A_BYTES, 0, 0, 0, true);
	assert_true(cma_get_base(cma) == AT(5));

	assert_int_equal(alloc_contig_range(busy_pfn, busy_pfn + 1, MIGRATE_CMA), 0);
	iosim_log_reset();
	declare_fails(-EBUSY, AT(6), A_BYTES, 0, 0, 0, true);
	assert_true(iosim_log_seen("cma: Failed to reserve "));
	free_contig_range(busy_pfn, 1);
	declare_fails(-EBUSY, AT(1), 2 * A_BYTES, 0, 0, 0, true);	/* over an area */
	declare_fails(-EBUSY, AT(RAM_ALIGNS - 1), 2 * A_BYTES, 0, 0, 0, true);	/* past RAM */
	declare_fails(-EBUSY, RAM_BASE - 2 * A_BYTES, A_BYTES, 0, 0, 0, true);	/* below RAM */

	cma = declare_ok(0, A_BYTES, 0, 0, 0, true);
	assert_true(cma_get_base(cma) == AT(RAM_ALIGNS - 1));
	cma = declare_ok(AT(6), A_BYTES, 0, 0, 0, true);
	assert_true(cma_get_base(cma) == AT(6));
	check_all();
}

/* The argument checks: -EINVAL, nothing logged as a failed reservation. */
static void test_declare_refuses_bad_arguments(void **state)
{
	struct cma *cma;
	unsigned long busy_pfn = PFN_DOWN(AT(6)) + 1;

	(void)state;
	iosim_log_reset();
	declare_fails(-EINVAL, 0, 0, 0, 0, 0, false);
	declare_fails(-EINVAL, 0, A_BYTES, 0, 3, 0, false);
	declare_fails(-EINVAL, 0, A_BYTES, 0, A_BYTES + PAGE_SIZE, 0, false);
	declare_fails(-EINVAL, 0, A_BYTES, 0, 0, A_ORDER + 1, false);	/* half a bit */
	declare_fails(-EINVAL, 0, A_BYTES, 0, 0, BITS_PER_LONG, false);
	declare_fails(-EINVAL, ~0ULL, A_BYTES, 0, 0, 0, true);	/* rounding up would wrap */
	declare_fails(-EINVAL, 0, ~0ULL - 5, 0, 0, 0, false);
	assert_false(iosim_log_seen("Failed to reserve"));
	assert_false(iosim_log_seen("Reserved"));

	/* Two A are one bit of 2A pages. */
	cma = declare_ok(AT(0), 2 * A_BYTES, 0, 0, A_ORDER + 1, true);
	assert_int_equal(cma->order_per_bit, A_ORDER + 1);

	/* cma_init_reserved_mem(): aligned, whole bits, RAM, free. */
	init_reserved_fails(-EINVAL, AT(3), 0, 0);
	init_reserved_fails(-EINVAL, AT(3) + PAGE_SIZE, A_BYTES, 0);
	init_reserved_fails(-EINVAL, AT(3), A_BYTES / 2, 0);
	init_reserved_fails(-EINVAL, AT(3), A_BYTES + PAGE_SIZE, 0);
	init_reserved_fails(-EINVAL, AT(3), A_BYTES, A_ORDER + 1);
	init_reserved_fails(-EINVAL, AT(3), A_BYTES, BITS_PER_LONG);
	init_reserved_fails(-EINVAL, RAM_END, A_BYTES, 0);
	init_reserved_fails(-EINVAL, RAM_BASE - A_BYTES, 2 * A_BYTES, 0);
	init_reserved_fails(-EBUSY, AT(1), A_BYTES, 0);		/* the area's */
	assert_int_equal(alloc_contig_range(busy_pfn, busy_pfn + 1, MIGRATE_CMA), 0);
	init_reserved_fails(-EBUSY, AT(6), A_BYTES, 0);
	free_contig_range(busy_pfn, 1);

	cma = NULL;
	assert_int_equal(cma_init_reserved_mem(AT(4), 2 * A_BYTES, 1, &cma), 0);
	assert_non_null(cma);
	assert_true(cma_get_base(cma) == AT(4));
	assert_int_equal(cma_get_size(cma), 2 * A_BYTES);
	assert_int_equal(totalcma_pages, 4 * A_PAGES);
	assert_true(pages_hold(phys_to_page(AT(4)), 2 * A_PAGES, IOSIM_PAGE_POISON_FREE));
	check_all();
}

/* MAX_CMA_AREAS areas, then -ENOSPC; after iosim_cma_exit() the table starts again. */
static void test_slots_run_out(void **state)
{
	struct cma *first = NULL, *cma;
	unsigned int i;

	(void)state;
	SKIP_IF_AREAS_HUGE();
	for (i = 0; i < MAX_CMA_AREAS; i++) {
		cma = NULL;
		assert_int_equal(cma_declare_contiguous(0, A_BYTES, 0, 0, 0, false, &cma), 0);
		assert_true(cma_get_base(cma) == AT(MAX_CMA_AREAS - 1 - i));
		assert_int_equal(iosim_cma_check(cma), 0);
		if (!i)
			first = cma;
	}
	assert_int_equal(iosim_cma_nr_areas(), MAX_CMA_AREAS);
	assert_int_equal(totalcma_pages, MAX_CMA_AREAS * A_PAGES);
	iosim_log_reset();
	declare_fails(-ENOSPC, 0, A_BYTES, 0, 0, 0, false);
	assert_true(iosim_log_seen("cma: Not enough slots for CMA reserved regions!\n"));
	assert_false(iosim_log_seen("Failed to reserve"));
	init_reserved_fails(-ENOSPC, AT(0), A_BYTES, 0);

	assert_int_equal(iosim_cma_exit(), 0);
	assert_int_equal(iosim_cma_nr_areas(), 0);
	assert_int_equal(totalcma_pages, 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_CMA_AREA), 0);
	assert_int_equal(iosim_ram_free_pages(), iosim_ram_nr_pages() - iosim_live(IOSIM_OBJ_PAGE));
	check_all();
	cma = declare_ok(0, A_BYTES, 0, 0, 0, false);
	assert_ptr_equal(cma, first);
	assert_true(cma_get_base(cma) == AT(MAX_CMA_AREAS - 1));
}

/* ---- allocation and release ---- */

/* The lowest free run that fits, aligned physically, not relative to the area. */
static void test_alloc_takes_the_lowest_fit_physically_aligned(void **state)
{
	struct page *p0, *p1, *p2, *p3;
	unsigned long base;
	struct cma *cma;

	(void)state;
	cma = declare_ok(AT(1), 2 * A_BYTES, 0, 0, 0, true);
	base = PFN_DOWN(AT(1));
	p0 = alloc_ok(cma, 1, 0);
	assert_int_equal(page_to_pfn(p0), base);
	assert_int_equal(iosim_cma_allocated_pages(cma), 1);
	assert_int_equal(iosim_cma_free_pages(cma), 2 * A_PAGES - 1);
	p1 = alloc_ok(cma, 3, 2);
	assert_int_equal(page_to_pfn(p1), base + 4);
	p2 = alloc_ok(cma, 1, 0);
	assert_int_equal(page_to_pfn(p2), base + 1);
	/* 2A-aligned: A pages into the area (the area starts at an odd A). */
	p3 = alloc_ok(cma, 1, A_ORDER + 1);
	assert_int_equal(page_to_pfn(p3), PFN_DOWN(AT(2)));
	/* No pfn of the area is a multiple of 4A; none of 2^200 either. */
	assert_null(cma_alloc(cma, 1, A_ORDER + 2));
	assert_null(cma_alloc(cma, 1, 200));
	assert_int_equal(iosim_cma_allocated_pages(cma), 6);

	release_ok(cma, p0, 1);
	release_ok(cma, p1, 3);
	release_ok(cma, p2, 1);
	release_ok(cma, p3, 1);
	assert_int_equal(iosim_cma_allocated_pages(cma), 0);
	assert_null(cma_alloc(NULL, 1, 0));
	assert_null(cma_alloc(cma, 0, 0));
}

/* order_per_bit > 0: counts are rounded up to whole bits, alignment still holds. */
static void test_order_per_bit_rounds_to_whole_bits(void **state)
{
	struct page *p1, *p2, *p5, *p8, *p_aligned, *whole;
	unsigned long base = PFN_DOWN(AT(0));
	struct cma *cma, *big;

	(void)state;
	cma = declare_ok(AT(0), 2 * A_BYTES, 0, 0, 2, true);
	p1 = alloc_ok(cma, 1, 0);
	assert_int_equal(page_to_pfn(p1), base);
	assert_int_equal(iosim_cma_allocated_pages(cma), 4);
	p2 = alloc_ok(cma, 1, 1);
	assert_int_equal(page_to_pfn(p2), base + 4);
	p5 = alloc_ok(cma, 5, 0);
	assert_int_equal(page_to_pfn(p5), base + 8);
	assert_int_equal(iosim_cma_allocated_pages(cma), 16);
	p_aligned = alloc_ok(cma, 1, 4);
	assert_int_equal(page_to_pfn(p_aligned), base + 16);

	/* Releasing 5 pages gives back their 2 bits (8 pages). */
	release_ok(cma, p5, 5);
	assert_int_equal(iosim_cma_allocated_pages(cma), 12);
	/* Part of an allocation may go back; not from inside a bit. */
	p8 = alloc_ok(cma, 8, 0);
	assert_ptr_equal(p8, p5);
	release_warns(cma, p8 + 1, 1, "starts inside the 4 pages of a bitmap bit");
	release_ok(cma, p8 + 4, 4);
	assert_int_equal(iosim_cma_allocated_pages(cma), 16);
	release_ok(cma, p8, 4);
	release_ok(cma, p1, 1);
	release_ok(cma, p2, 1);
	release_ok(cma, p_aligned, 1);
	assert_int_equal(iosim_cma_allocated_pages(cma), 0);

	/* One bit of 2A pages at an odd A: never 2A-aligned; one page takes all. */
	big = declare_ok(AT(3), 2 * A_BYTES, 0, 0, A_ORDER + 1, true);
	assert_null(cma_alloc(big, 1, A_ORDER + 1));
	assert_null(cma_alloc(big, 1, A_ORDER + 2));
	whole = alloc_ok(big, 1, 0);
	assert_int_equal(iosim_cma_allocated_pages(big), 2 * A_PAGES);
	assert_null(cma_alloc(big, 1, 0));
	release_ok(big, whole, 1);
	assert_true(pages_hold(whole, 2 * A_PAGES, IOSIM_PAGE_POISON_FREE));
	assert_int_equal(iosim_cma_allocated_pages(big), 0);
}

/* An area fills up, then fails (silently); released pages are reused. */
static void test_alloc_until_full_then_reuse(void **state)
{
	const unsigned int quarter = (unsigned int)(A_PAGES / 4);
	struct page *part[4];
	struct cma *cma;
	int i;

	(void)state;
	cma = declare_ok(AT(0), A_BYTES, 0, 0, 0, true);
	assert_null(cma_alloc(cma, (unsigned int)A_PAGES + 1, 0));
	iosim_log_reset();
	for (i = 0; i < 4; i++) {
		part[i] = alloc_ok(cma, quarter, 0);
		assert_int_equal(page_to_pfn(part[i]), PFN_DOWN(AT(0)) + i * quarter);
	}
	assert_null(cma_alloc(cma, quarter, 0));
	assert_null(cma_alloc(cma, 1, 0));
	assert_int_equal(iosim_log_count(), 0);		/* 4.1 did not print */
	assert_int_equal(iosim_cma_free_pages(cma), 0);
	assert_int_equal(iosim_cma_allocated_pages(cma), A_PAGES);

	release_ok(cma, part[1], quarter);
	assert_ptr_equal(alloc_ok(cma, quarter, 0), part[1]);
	release_ok(cma, part[2] + quarter / 2, quarter / 2);
	assert_int_equal(iosim_cma_free_pages(cma), quarter / 2);
	assert_ptr_equal(alloc_ok(cma, quarter / 2, 0), part[2] + quarter / 2);
	for (i = 0; i < 4; i++)
		release_ok(cma, part[i], quarter);
	assert_int_equal(iosim_cma_free_pages(cma), A_PAGES);
}

/* Pages that are not the area's: false, nothing WARNed, nothing changed. */
static void test_release_of_pages_not_in_the_area_is_false(void **state)
{
	static long not_an_area[16];
	struct cma *cma, *bogus = (struct cma *)not_an_area;
	struct page *p, *other, fake;

	(void)state;
	cma = declare_ok(AT(1), A_BYTES, 0, 0, 0, true);
	p = alloc_ok(cma, 4, 0);
	other = alloc_page(GFP_KERNEL);
	assert_non_null(other);
	memset(&fake, 0, sizeof(fake));

	assert_false(cma_release(NULL, p, 4));
	assert_false(cma_release(cma, NULL, 4));
	assert_false(cma_release(cma, other, 1));
	assert_false(cma_release(cma, phys_to_page(AT(2)), 1));	/* just past the end */
	assert_false(cma_release(cma, phys_to_page(AT(1)) - 1, 2));	/* just before */
	assert_false(cma_release(cma, &fake, 1));
	assert_true(cma_release(cma, p, 0));
	assert_int_equal(iosim_warn_count(), 0);
	assert_int_equal(iosim_cma_allocated_pages(cma), 4);
	check_all();

	/* A pointer that is no area at all. */
	assert_null(cma_alloc(bogus, 1, 0));
	assert_warned("cma_alloc: ");
	assert_false(cma_release(bogus, p, 4));
	assert_warned("cma_release: ");
	assert_int_equal(cma_get_base(bogus), 0);
	assert_warned("cma_get_base: ");
	assert_int_equal(cma_get_size(bogus), 0);
	assert_warned("cma_get_size: ");
	assert_int_equal(iosim_cma_allocated_pages(bogus), 0);
	assert_int_equal(iosim_cma_free_pages(NULL), 0);

	__free_page(other);
	release_ok(cma, p, 4);
}

/*
 * Misuse inside the area: WARNed, true (the pages are the area's), and
 * nothing changed - the checker still passes and the counts stay.
 */
static void test_release_misuse_is_warned_and_changes_nothing(void **state)
{
	unsigned long base = PFN_DOWN(AT(1));
	struct page *p, *rest, *q, *r;
	struct cma *cma;

	(void)state;
	cma = declare_ok(AT(1), A_BYTES, 0, 0, 0, true);
	p = alloc_ok(cma, 6, 0);
	rest = alloc_ok(cma, (unsigned int)A_PAGES - 6, 0);

	/* Past the end (the kernel's VM_BUG_ON). */
	release_warns(cma, pfn_page(base + A_PAGES - 1), 2, "runs past the end of the area");
	check_all();

	/* Twice, whole or overlapping. */
	release_ok(cma, p, 2);
	release_warns(cma, p, 2, "is not allocated (released twice?)");
	release_warns(cma, p + 1, 3, "is not allocated");
	check_all();

	/* Still referenced. */
	q = p + 2;
	get_page(q);
	release_warns(cma, q, 1, "has refcount 2, not 1");
	put_page(q);
	release_ok(cma, q, 1);

	/* Given to the buddy allocator behind the area's back: found, then refused. */
	r = p + 3;
	__free_page(r);
	check_finds(cma, "is free in the buddy allocator");
	release_warns(cma, r, 1, "has refcount 0, not 1");
	assert_int_equal(alloc_contig_range(base + 3, base + 4, MIGRATE_CMA), 0);
	check_all();
	release_ok(cma, r, 1);

	release_ok(cma, p + 4, 2);
	release_ok(cma, rest, (unsigned int)A_PAGES - 6);
	assert_int_equal(iosim_cma_allocated_pages(cma), 0);
}

/* ---- the checker ---- */

static void test_checker_finds_writes_references_and_corruption(void **state)
{
	static long not_an_area[16];
	unsigned long base_pfn, i;
	const char *why;
	struct page *p, *big;
	unsigned char *bytes;
	struct cma *cma;

	(void)state;
	cma = declare_ok(AT(0), A_BYTES, 0, 0, 0, true);
	p = alloc_ok(cma, 2, 0);
	release_ok(cma, p, 2);

	/* A write after release, by the CPU (a device's would be the same bytes). */
	bytes = page_address(p + 1);
	bytes[17] = 0x42;
	check_finds(cma, "was written at byte 0x11 (0x42)");
	bytes[17] = IOSIM_PAGE_POISON_FREE;
	assert_int_equal(iosim_cma_check(cma), 0);

	/* A reference to a page nobody was given. */
	get_page(p);
	check_finds(cma, "has refcount 2, not 1");
	put_page(p);
	assert_int_equal(iosim_cma_check(cma), 0);

	/* A pointer that is no area, and the sum of the areas. */
	check_finds(NULL, "is not a declared area");
	check_finds((struct cma *)not_an_area, "is not a declared area");
	check_finds(&cma[1], "is not a declared area");	/* an empty slot */
	totalcma_pages++;
	check_finds(cma, "totalcma_pages is");
	assert_int_equal(iosim_cma_check_all(), -EUCLEAN);
	assert_warned("totalcma_pages is");
	totalcma_pages--;

	/* The area's own record, planted and restored. */
	base_pfn = cma->base_pfn;
	cma->base_pfn++;
	check_finds(cma, "not aligned to");
	cma->base_pfn = PFN_DOWN(RAM_END);
	check_finds(cma, "is not RAM of one bank");
	cma->base_pfn = base_pfn;
	cma->order_per_bit = A_ORDER + 1;
	check_finds(cma, "are not whole bits");
	cma->order_per_bit = 0;
	atomic_set(&p->_count, 0);
	check_finds(cma, "has no reference");
	atomic_set(&p->_count, 1);
	assert_int_equal(iosim_cma_check(cma), 0);

	/* The page allocator's view of a range's pages, each reason. */
	big = alloc_pages(GFP_KERNEL, 2);
	assert_non_null(big);
	assert_int_equal(iosim_pages_check_independent(page_to_pfn(big), 4, &why), 0);
	assert_string_equal(why, "is part of a larger allocation");
	assert_int_equal(iosim_pages_check_independent(page_to_pfn(big) + 4, 1, &why), 0);
	assert_string_equal(why, "is free in the buddy allocator");
	assert_int_equal(iosim_pages_check_independent(PFN_DOWN(RAM_END), 1, &why), 0);
	assert_string_equal(why, "is outside RAM");
	i = iosim_pages_check_independent(base_pfn, A_PAGES, &why);
	assert_int_equal(i, A_PAGES);
	assert_null(why);
	__free_pages(big, 2);

	/* With no area, the sum must be 0. */
	assert_int_equal(iosim_cma_exit(), 0);
	assert_int_equal(iosim_cma_check_all(), 0);
	totalcma_pages = 3;
	assert_int_equal(iosim_cma_check_all(), -EUCLEAN);
	assert_warned("totalcma_pages is 3, the areas hold 0 pages");
	totalcma_pages = 0;
	check_finds(cma, "is not a declared area");
}

/* ---- teardown ---- */

/* iosim_cma_exit() with pages out: WARN, their count, and they stay allocated. */
static void test_exit_leaves_pages_still_allocated(void **state)
{
	unsigned long pfn;
	struct cma *a, *b;
	struct page *p;

	(void)state;
	a = declare_ok(AT(0), A_BYTES, 0, 0, 1, true);
	b = declare_ok(0, A_BYTES, 0, 0, 0, false);
	p = alloc_ok(a, 3, 0);
	pfn = page_to_pfn(p);
	assert_int_equal(iosim_cma_exit(), 4);		/* 2 bits of 2 pages */
	assert_warned("iosim_cma_exit: CMA area 0 at 0x0000000880000000: 4 of its");
	assert_int_equal(iosim_cma_nr_areas(), 0);
	assert_null(iosim_cma_area(0));
	assert_int_equal(totalcma_pages, 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_CMA_AREA), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 4);
	assert_int_equal(iosim_ram_free_pages(), iosim_ram_nr_pages() - 4);
	assert_int_equal(page_count(p), 1);
	assert_true(iosim_phys_is_allocated(PFN_PHYS(pfn + 3)));
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_cma_check_all(), 0);

	/* The old pointers are no areas now. */
	assert_null(cma_alloc(a, 1, 0));
	assert_false(cma_release(a, p, 3));
	assert_int_equal(iosim_cma_allocated_pages(b), 0);
	check_finds(a, "is not a declared area");

	free_contig_range(pfn, 4);
	assert_int_equal(iosim_ram_check(), 0);
	assert_int_equal(iosim_ram_free_blocks(MAX_ORDER - 1), ALL_BLOCKS);
	assert_ptr_equal(declare_ok(0, A_BYTES, 0, 0, 0, false), a);
}

/* RAM does not go away under an area: iosim_ram_exit() tears the areas down first. */
static void test_ram_exit_tears_areas_down(void **state)
{
	struct cma *a;

	(void)state;
	a = declare_ok(0, A_BYTES, 0, 0, 0, false);
	declare_ok(AT(2), A_BYTES, 0, 0, 0, true);
	alloc_ok(a, 1, 0);
	assert_int_equal(iosim_ram_exit(), 1);		/* the page left out is a leak */
	assert_warned("iosim_cma_exit: CMA area 0");	/* (and the leak's WARN) */
	assert_false(iosim_ram_ready());
	assert_int_equal(iosim_cma_nr_areas(), 0);
	assert_int_equal(totalcma_pages, 0);
	assert_int_equal(iosim_live_total(), 0);
	/* No RAM: no range, no area. */
	assert_int_equal(alloc_contig_range(PFN_DOWN(RAM_BASE), PFN_DOWN(RAM_BASE) + 1, MIGRATE_CMA),
			 -EINVAL);
	assert_false(iosim_pfn_range_free(PFN_DOWN(RAM_BASE), PFN_DOWN(RAM_BASE) + 1));
	declare_fails(-ENOMEM, 0, A_BYTES, 0, 0, 0, false);

	/* Areas with nothing out go quietly. */
	ram_use(&layout);
	declare_ok(0, A_BYTES, 0, 0, 0, false);
	assert_int_equal(iosim_ram_exit(), 0);
	assert_int_equal(iosim_warn_count(), 0);
	assert_int_equal(iosim_cma_nr_areas(), 0);
	assert_int_equal(iosim_live_total(), 0);
}

/* A RAM reset refuses while an area holds pages; afterwards RAM is fresh again. */
static void test_ram_reset_refuses_while_an_area_exists(void **state)
{
	static const struct iosim_ram_config small = {
		.nr_banks = 1,
		.banks = { { .base_phys = RAM_BASE, .size_bytes = 2 * A_BYTES } },
	};
	struct cma *cma;

	(void)state;
	ram_use(&small);
	cma = declare_ok(0, A_BYTES, 0, 0, 0, false);
	release_ok(cma, alloc_ok(cma, 3, 0), 3);
	assert_int_equal(iosim_ram_reset(), -EBUSY);
	check_all();
	assert_int_equal(iosim_cma_exit(), 0);
	assert_int_equal(iosim_ram_reset(), 0);
	assert_int_equal(iosim_ram_check_fresh(), 0);
}

/* ---- allocation failures ---- */

/*
 * Fail the n-th allocation of a declaration for n = 1, 2, ... until one
 * succeeds: each failure is -ENOMEM, logged, and leaves nothing behind.
 */
static void sweep(int (*declare)(struct cma **res), phys_addr_t expect_base)
{
	unsigned long free = iosim_ram_free_pages();
	long slab = iosim_live(IOSIM_OBJ_SLAB);
	struct cma *cma = NULL;
	bool done = false;
	unsigned long n;
	int ret = -1;

	for (n = 1; !done; n++) {
		iosim_log_reset();
		iosim_fault_fail_nth(IOSIM_FAULT_ALL, n);
		ret = declare(&cma);
		done = iosim_fault_injected() == 0;
		iosim_fault_reset();
		if (ret) {
			assert_false(done);
			assert_int_equal(ret, -ENOMEM);
			assert_int_equal(iosim_cma_nr_areas(), 0);
			assert_int_equal(totalcma_pages, 0);
			assert_int_equal(iosim_live(IOSIM_OBJ_CMA_AREA), 0);
			assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
			assert_int_equal(iosim_ram_free_pages(), free);
			check_all();
		}
	}
	assert_int_equal(ret, 0);
	assert_true(n > 2);
	assert_true(cma_get_base(cma) == expect_base);
	check_all();
	assert_int_equal(iosim_cma_exit(), 0);
	assert_int_equal(iosim_ram_free_pages(), free);
}

static int declare_anywhere(struct cma **res)
{
	int ret = cma_declare_contiguous(0, A_BYTES, 0, 0, 0, false, res);

	assert_true(!ret || iosim_log_seen("cma: Failed to reserve"));
	return ret;
}

static int declare_fixed(struct cma **res)
{
	return cma_declare_contiguous(AT(2), A_BYTES, 0, 0, 3, true, res);
}

static int init_reserved(struct cma **res)
{
	return cma_init_reserved_mem(AT(3), 2 * A_BYTES, 0, res);
}

static void test_declaration_failure_sweep(void **state)
{
	(void)state;
	SKIP_IF_AREAS_HUGE();
	sweep(declare_anywhere, AT(RAM_ALIGNS - 1));
	sweep(declare_fixed, AT(2));
	sweep(init_reserved, AT(3));
}

/* ---- threads ---- */

#define THREADS		4
#define ROUNDS		400
#define HELD		3	/* allocations each thread keeps at once */

struct worker {
	pthread_t thread;
	struct cma *cma;
	unsigned int id;
	unsigned long failures;	/* checks that failed (asserted in the main thread) */
	unsigned long allocated;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct page *held[HELD] = { NULL };
	unsigned int count[HELD] = { 0 };
	u64 rng = 0x9e3779b97f4a7c15ULL * (w->id + 1);
	unsigned int round, slot;

	for (round = 0; round < ROUNDS; round++) {
		slot = round % HELD;
		if (held[slot]) {
			/* Nobody else wrote into it while it was ours. */
			if (!pages_hold(held[slot], count[slot], 0x10 + (int)w->id) ||
			    !cma_release(w->cma, held[slot], count[slot]))
				w->failures++;
			held[slot] = NULL;
		}
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		count[slot] = 1 + (unsigned int)(rng % 16);
		held[slot] = cma_alloc(w->cma, count[slot], (unsigned int)(rng >> 8) % 4);
		if (!held[slot])
			continue;
		w->allocated++;
		if (page_to_pfn(held[slot]) % (1UL << ((rng >> 8) % 4)) ||
		    !pages_hold(held[slot], count[slot], IOSIM_PAGE_POISON_ALLOC))
			w->failures++;
		memset(page_address(held[slot]), 0x10 + (int)w->id,
		       (size_t)count[slot] << PAGE_SHIFT);
		sched_yield();
	}
	for (slot = 0; slot < HELD; slot++)
		if (held[slot] && !cma_release(w->cma, held[slot], count[slot]))
			w->failures++;
	return NULL;
}

/* Threads allocating and releasing in one area: no overlap, nothing lost. */
static void test_threads_share_an_area(void **state)
{
	struct worker w[THREADS];
	struct cma *cma;
	unsigned int i;

	(void)state;
	/* An area too small for everything the threads hold at once: some allocations fail. */
	cma = declare_ok(AT(0), A_BYTES, 0, 0, 0, true);
	if (A_PAGES > 64)
		assert_non_null(cma_alloc(cma, (unsigned int)A_PAGES - 64, 0));
	for (i = 0; i < THREADS; i++) {
		w[i] = (struct worker){ .cma = cma, .id = i };
		assert_int_equal(pthread_create(&w[i].thread, NULL, worker_main, &w[i]), 0);
	}
	for (i = 0; i < THREADS; i++) {
		assert_int_equal(pthread_join(w[i].thread, NULL), 0);
		assert_int_equal(w[i].failures, 0);
		assert_true(w[i].allocated > 0);
	}
	check_all();
	if (A_PAGES > 64) {
		assert_int_equal(iosim_cma_allocated_pages(cma), A_PAGES - 64);
		release_ok(cma, phys_to_page(AT(0)), (unsigned int)A_PAGES - 64);
	}
	assert_int_equal(iosim_cma_allocated_pages(cma), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		/* First: it writes to most of RAM, so that later tests find it faulted in. */
		CMA_TEST(test_slots_run_out),
		CMA_TEST(test_contig_range_takes_frames_and_gives_them_back),
		CMA_TEST(test_contig_range_refuses_busy_and_invalid_ranges),
		CMA_TEST(test_ranges_and_areas_stay_in_one_bank_and_zone),
		CMA_TEST(test_declare_takes_the_highest_free_range),
		CMA_TEST(test_declare_honours_base_limit_and_alignment),
		CMA_TEST(test_declare_fixed),
		CMA_TEST(test_declare_refuses_bad_arguments),
		CMA_TEST(test_alloc_takes_the_lowest_fit_physically_aligned),
		CMA_TEST(test_order_per_bit_rounds_to_whole_bits),
		CMA_TEST(test_alloc_until_full_then_reuse),
		CMA_TEST(test_release_of_pages_not_in_the_area_is_false),
		CMA_TEST(test_release_misuse_is_warned_and_changes_nothing),
		CMA_TEST(test_checker_finds_writes_references_and_corruption),
		CMA_TEST(test_exit_leaves_pages_still_allocated),
		CMA_TEST(test_declaration_failure_sweep),
		CMA_TEST(test_threads_share_an_area),
		/* Last: RAM made anew, or destroyed. */
		CMA_TEST(test_ram_reset_refuses_while_an_area_exists),
		CMA_TEST(test_ram_exit_tears_areas_down),
	};

	/* One test (or a glob of them) by name, for debugging. */
	if (argc > 1)
		cmocka_set_test_filter(argv[1]);
	return cmocka_run_group_tests(tests, NULL, group_teardown);
}
