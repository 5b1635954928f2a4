// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The Contiguous Memory Allocator (<linux/cma.h>, the API of v4.1) over
 * simulated RAM.
 *
 * Model.  The kernel reserves an area's range with memblock at boot, hands
 * its free pages to the buddy allocator for movable allocations, and
 * migrates whatever sits in a range when cma_alloc() wants it.  Nothing is
 * movable in the simulation, so an area takes its whole range out of the
 * buddy allocator when it is declared (alloc_contig_range() with
 * MIGRATE_CMA) and keeps it: each of its pages is an order-0 page with one
 * reference, owned by the area.  A page the area has not handed out holds
 * IOSIM_PAGE_POISON_FREE in every byte; cma_alloc() fills what it hands out
 * with IOSIM_PAGE_POISON_ALLOC; cma_release() checks and refills.
 *
 * Bookkeeping.  A fixed table of MAX_CMA_AREAS areas, filled in order of
 * declaration and emptied all at once by iosim_cma_exit().  Each area has a
 * bitmap with one bit per 2^order_per_bit pages, set while they are handed
 * out (a kmalloc object: declaring can fail like any allocation), and a
 * mutex guarding it.  One mutex (table_lock) guards the table and
 * totalcma_pages; it is taken before an area's mutex, never after.
 *
 * Misuse the kernel BUG()s on or does not notice WARNs here and changes
 * nothing (docs/cma.md has the list).
 */
#define pr_fmt(fmt) "cma: " fmt

#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/cma.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <iosim/cache.h>
#include <iosim/cma.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include "cma_area.h"
#include "iosim_mm.h"

#include <stdarg.h>
#include <stdio.h>

#define CMA_NOTE_LEN	200

unsigned long totalcma_pages;

static struct cma areas[MAX_CMA_AREAS];
static unsigned int nr_areas;		/* areas[0 .. nr_areas - 1] are declared */
static DEFINE_MUTEX(table_lock);	/* guards areas[], nr_areas, totalcma_pages */

/* The alignment of every area, in bytes: the largest buddy block (a page block too). */
static phys_addr_t area_alignment(void)
{
	return (phys_addr_t)PAGE_SIZE << max_t(unsigned int, MAX_ORDER - 1, pageblock_order);
}

static unsigned long area_alignment_pages(void)
{
	return (unsigned long)(area_alignment() >> PAGE_SHIFT);
}

/* The printk text of the kernel's %pa for a physical address. */
#define PA_FMT	"0x%016llx"

static unsigned long long pa_arg(phys_addr_t phys)
{
	return (unsigned long long)phys;
}

static phys_addr_t area_base(const struct cma *cma)
{
	return (phys_addr_t)cma->base_pfn << PAGE_SHIFT;
}

/* The slot @cma points at, or -1 if it is no slot of the table. */
static int area_slot(const struct cma *cma)
{
	uintptr_t off = (uintptr_t)cma - (uintptr_t)areas;

	if ((uintptr_t)cma < (uintptr_t)areas || off >= sizeof(areas) || off % sizeof(areas[0]))
		return -1;
	return (int)(off / sizeof(areas[0]));
}

static unsigned long area_nr_bits(const struct cma *cma)
{
	return cma->count >> cma->order_per_bit;
}

/* Bits covering @pages pages: whole units of 2^order_per_bit. */
static unsigned long bits_for_pages(const struct cma *cma, unsigned long pages)
{
	unsigned long unit_mask = (1UL << cma->order_per_bit) - 1;

	return (pages >> cma->order_per_bit) + !!(pages & unit_mask);
}

/* Is @pages a whole number of 2^@order_per_bit units? */
static bool whole_units(unsigned long pages, unsigned int order_per_bit)
{
	return order_per_bit < BITS_PER_LONG && !(pages & ((1UL << order_per_bit) - 1));
}

/* The first bit in [@from, @to) of @map that is @set, or @to. */
static unsigned long bitmap_seek(const unsigned long *map, unsigned long from, unsigned long to,
				 bool set)
{
	while (from < to) {
		unsigned long word = map[from / BITS_PER_LONG];

		if (!set)
			word = ~word;
		word >>= from % BITS_PER_LONG;
		if (word)
			return min(from + __ffs(word), to);
		from = (from | (BITS_PER_LONG - 1)) + 1;
	}
	return to;
}

static void bitmap_fill_range(unsigned long *map, unsigned long from, unsigned long nr, bool set)
{
	for (; nr; nr--, from++) {
		if (set)
			__set_bit((long)from, map);
		else
			__clear_bit((long)from, map);
	}
}

static unsigned long area_bits_set(const struct cma *cma)
{
	unsigned long n = 0, w;

	for (w = 0; w < BITS_TO_LONGS(area_nr_bits(cma)); w++)
		n += hweight_long(cma->bitmap[w]);
	return n;
}

/*
 * Why [@pfn, @pfn + @nr) cannot be an area, or NULL if it can: it must be
 * RAM of one bank and lie in one zone.
 */
static const char *range_unfit(unsigned long pfn, unsigned long nr)
{
	const struct iosim_ram_bank *b = iosim_ram_ready() ? iosim_bank_of_pfn(pfn) : NULL;
	const unsigned long dma_end = (unsigned long)(IOSIM_ZONE_DMA_LIMIT >> PAGE_SHIFT);

	if (!b || nr > b->nr_pages - (pfn - b->base_pfn))
		return "is not RAM of one bank";
	if (pfn < dma_end && pfn + nr > dma_end)
		return "spans ZONE_DMA and ZONE_NORMAL";
	return NULL;
}

/* The end of RAM: the end of its highest bank (0 without RAM). */
static phys_addr_t ram_end(void)
{
	unsigned int nr = iosim_ram_nr_banks();
	phys_addr_t base;
	u64 size;

	if (!nr || iosim_ram_bank(nr - 1, &base, &size))
		return 0;
	return base + size;
}

/* What the kernel prints when an area fails to come up (here: at once). */
static void activation_failed(phys_addr_t base)
{
	pr_err("CMA area " PA_FMT " could not be activated\n", pa_arg(base));
}

/*
 * Make the next slot an area of the range at @base_pfn (@count pages, taken
 * already: every page holding the free poison).  On failure the range goes
 * back to the buddy allocator.  table_lock held.
 * Return: 0, or -ENOMEM (the bitmap).
 */
static int area_setup(unsigned long base_pfn, unsigned long count, unsigned int order_per_bit,
		      struct cma **res_cma)
{
	struct cma *cma = &areas[nr_areas];
	unsigned long *bitmap;

	bitmap = kzalloc(BITS_TO_LONGS(count >> order_per_bit) * sizeof(long), GFP_KERNEL);
	if (!bitmap) {
		free_contig_range(base_pfn, (unsigned int)count);
		return -ENOMEM;
	}
	cma->base_pfn = base_pfn;
	cma->count = count;
	cma->order_per_bit = order_per_bit;
	cma->bitmap = bitmap;
	mutex_init(&cma->lock);
	nr_areas++;
	totalcma_pages += count;
	iosim_live_add(IOSIM_OBJ_CMA_AREA, 1);
	*res_cma = cma;
	return 0;
}

/* Refuse a declaration: no slot left.  table_lock held. */
static bool table_full(void)
{
	if (nr_areas < MAX_CMA_AREAS)
		return false;
	pr_err("Not enough slots for CMA reserved regions!\n");
	return true;
}

/**
 * cma_declare_contiguous - reserve a range of RAM and make it an area
 * @base: the area's start if @fixed, else the lowest start allowed; 0: anywhere
 * @size: bytes
 * @limit: the highest end allowed (exclusive); 0: the end of RAM
 * @alignment: 0 or a power of two, raised to the largest buddy block
 * @order_per_bit: one bitmap bit per 2^@order_per_bit pages
 * @fixed: the area must start at @base
 * @res_cma: set to the area on success
 *
 * @base and @size are rounded up to the alignment, @limit down.  A fixed
 * range must be free RAM; otherwise the highest free aligned range that
 * fits between @base and @limit is taken.  Either must then lie in one bank
 * and one zone, which the kernel checks when it activates the area.
 *
 * Context: process context.
 * Return: 0; -ENOSPC, -EINVAL, -EBUSY or -ENOMEM (see <linux/cma.h>).  On
 * error nothing is reserved.
 */
int cma_declare_contiguous(phys_addr_t base, phys_addr_t size, phys_addr_t limit,
			   phys_addr_t alignment, unsigned int order_per_bit,
			   bool fixed, struct cma **res_cma)
{
	unsigned long pfn, nr;
	phys_addr_t end;
	int ret;

	mutex_lock(&table_lock);
	if (table_full()) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	ret = -EINVAL;
	if (!size || (alignment && !is_power_of_2(alignment)))
		goto out_unlock;
	alignment = max(alignment, area_alignment());
	/* Rounding up must not wrap: no such address is RAM anyway. */
	if (base > ~(alignment - 1) || size > ~(alignment - 1))
		goto out_unlock;
	base = ALIGN(base, alignment);
	size = ALIGN(size, alignment);
	limit &= ~(alignment - 1);
	nr = (unsigned long)(size >> PAGE_SHIFT);
	if (!whole_units(nr, order_per_bit))
		goto out_unlock;
	end = ram_end();
	if (!limit || limit > end)
		limit = end;
	if (!base)
		fixed = false;

	if (fixed) {
		pfn = (unsigned long)(base >> PAGE_SHIFT);
		ret = -EBUSY;
		if (!iosim_phys_is_ram(base, size) || !iosim_pfn_range_free(pfn, pfn + nr))
			goto out_fail;
		if (range_unfit(pfn, nr)) {
			activation_failed(base);
			ret = -EINVAL;
			goto out_fail;
		}
		ret = iosim_alloc_contig_fill(pfn, pfn + nr, MIGRATE_CMA, IOSIM_PAGE_POISON_FREE);
	} else {
		ret = iosim_contig_take_highest((unsigned long)(base >> PAGE_SHIFT),
						(unsigned long)(limit >> PAGE_SHIFT), nr,
						(unsigned long)(alignment >> PAGE_SHIFT),
						IOSIM_PAGE_POISON_FREE, &pfn);
		if (ret == -EINVAL)
			activation_failed((phys_addr_t)pfn << PAGE_SHIFT);
	}
	if (ret)
		goto out_fail;
	ret = area_setup(pfn, nr, order_per_bit, res_cma);
	if (ret)
		goto out_fail;
	mutex_unlock(&table_lock);
	pr_info("Reserved %ld MiB at " PA_FMT "\n", (long)(size / SZ_1M),
		pa_arg((phys_addr_t)pfn << PAGE_SHIFT));
	return 0;

out_fail:
	pr_err("Failed to reserve %ld MiB\n", (long)(size / SZ_1M));
out_unlock:
	mutex_unlock(&table_lock);
	return ret;
}
EXPORT_SYMBOL(cma_declare_contiguous);

/**
 * cma_init_reserved_mem - make an area of the range at @base
 * @base: physical address, aligned to the largest buddy block
 * @size: bytes, a multiple of that block
 * @order_per_bit: one bitmap bit per 2^@order_per_bit pages
 * @res_cma: set to the area on success
 *
 * The kernel's caller reserved the range with memblock beforehand; here it
 * must be free and is taken from the buddy allocator now.
 *
 * Context: process context.
 * Return: 0; -ENOSPC (no slot); -EINVAL (@size 0, misaligned, not whole
 * bitmap bits, not RAM of one bank and one zone); -EBUSY (not all free);
 * -ENOMEM (the bitmap).  On error nothing is reserved.
 */
int cma_init_reserved_mem(phys_addr_t base, phys_addr_t size, unsigned int order_per_bit,
			  struct cma **res_cma)
{
	phys_addr_t alignment = area_alignment();
	unsigned long pfn = (unsigned long)(base >> PAGE_SHIFT);
	unsigned long nr = (unsigned long)(size >> PAGE_SHIFT);
	int ret;

	mutex_lock(&table_lock);
	if (table_full()) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	ret = -EINVAL;
	if (!size || !IS_ALIGNED(base, alignment) || !IS_ALIGNED(size, alignment) ||
	    !whole_units(nr, order_per_bit) || !iosim_phys_is_ram(base, size))
		goto out_unlock;
	if (range_unfit(pfn, nr)) {
		activation_failed(base);
		goto out_unlock;
	}
	ret = iosim_alloc_contig_fill(pfn, pfn + nr, MIGRATE_CMA, IOSIM_PAGE_POISON_FREE);
	if (!ret)
		ret = area_setup(pfn, nr, order_per_bit, res_cma);
out_unlock:
	mutex_unlock(&table_lock);
	return ret;
}
EXPORT_SYMBOL(cma_init_reserved_mem);

/**
 * cma_get_base - the physical address an area starts at
 * @cma: the area
 *
 * Context: any.
 * Return: the address; 0 with a WARN for a pointer that is no area.
 */
phys_addr_t cma_get_base(const struct cma *cma)
{
	if (WARN(area_slot(cma) < 0, "cma_get_base: %p is not a CMA area", (const void *)cma))
		return 0;
	return area_base(cma);
}
EXPORT_SYMBOL(cma_get_base);

/**
 * cma_get_size - the size of an area
 * @cma: the area
 *
 * Context: any.
 * Return: bytes; 0 with a WARN for a pointer that is no area.
 */
unsigned long cma_get_size(const struct cma *cma)
{
	if (WARN(area_slot(cma) < 0, "cma_get_size: %p is not a CMA area", (const void *)cma))
		return 0;
	return cma->count << PAGE_SHIFT;
}
EXPORT_SYMBOL(cma_get_size);

/*
 * The bits whose pages start at a multiple of 2^@align pfns: the first in
 * *@first, every *@step-th after it.  false if there is none.
 */
static bool aligned_bits(const struct cma *cma, unsigned int align, unsigned long *first,
			 unsigned long *step)
{
	unsigned int opb = cma->order_per_bit;
	unsigned long unit_base = cma->base_pfn >> opb;

	if (align <= opb) {
		/* Bit i's pfn is base + i * 2^opb: all alike modulo 2^align. */
		*first = 0;
		*step = 1;
		return !(cma->base_pfn & ((1UL << align) - 1));
	}
	/* base + i * 2^opb must be a multiple of 2^align: base must be one of 2^opb. */
	if (cma->base_pfn & ((1UL << opb) - 1))
		return false;
	if (align - opb >= BITS_PER_LONG) {
		*first = -unit_base;	/* 0 only for an area at pfn 0 */
		*step = ULONG_MAX;
	} else {
		*step = 1UL << (align - opb);
		*first = -unit_base & (*step - 1);
	}
	return true;
}

/*
 * The lowest run of @need clear bits starting at an aligned bit (see
 * aligned_bits()), in *@bit.  The area's mutex held.
 */
static bool find_free_run(const struct cma *cma, unsigned long need, unsigned int align,
			  unsigned long *bit)
{
	unsigned long nbits = area_nr_bits(cma), i, step, busy;

	if (!aligned_bits(cma, align, &i, &step))
		return false;
	while (i < nbits && need <= nbits - i) {
		busy = bitmap_seek(cma->bitmap, i, i + need, true);
		if (busy == i + need) {
			*bit = i;
			return true;
		}
		/* The next aligned bit past the busy one. */
		if (step > nbits - i)
			return false;
		i += DIV_ROUND_UP(busy + 1 - i, step) * step;
	}
	return false;
}

/**
 * cma_alloc - hand out contiguous pages of an area
 * @cma: the area; NULL gives NULL
 * @count: pages; 0 gives NULL; rounded up to whole bitmap bits
 * @align: the first page's pfn (its physical address, not its place in the
 *	area) is a multiple of 2^@align
 *
 * Takes the lowest free run that fits.  Its pages are filled with
 * IOSIM_PAGE_POISON_ALLOC (callers that want zeroes clear them, as arm64
 * does) and stay independent pages with refcount 1.  A full area fails
 * silently, as in 4.1.
 *
 * Context: process context; takes the area's mutex.
 * Return: the first page, or NULL.  A pointer that is no area WARNs.
 */
struct page *cma_alloc(struct cma *cma, unsigned int count, unsigned int align)
{
	unsigned long need, bit = 0;
	struct page *page;
	bool found;

	if (!cma || !count)
		return NULL;
	if (WARN(area_slot(cma) < 0, "cma_alloc: %p is not a CMA area", (void *)cma))
		return NULL;
	if (!cma->count)
		return NULL;
	need = bits_for_pages(cma, count);
	mutex_lock(&cma->lock);
	found = find_free_run(cma, need, align, &bit);
	if (found)
		bitmap_fill_range(cma->bitmap, bit, need, true);
	mutex_unlock(&cma->lock);
	if (!found)
		return NULL;
	/* The pages are the caller's: fill them outside the lock. */
	page = pfn_to_page(cma->base_pfn + (bit << cma->order_per_bit));
	memset(page_address(page), IOSIM_PAGE_POISON_ALLOC,
	       (need << cma->order_per_bit) << PAGE_SHIFT);
	iosim_cache_cpu_wrote(page_address(page), (need << cma->order_per_bit) << PAGE_SHIFT);
	return page;
}
EXPORT_SYMBOL(cma_alloc);

static __printf(3, 4) void note_set(char *note, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(note, len, fmt, ap);
	va_end(ap);
}

/*
 * Why the @nbits bits from @first (pages from @pfn) cannot be released, in
 * @note; false if they can.  The area's mutex held.
 */
static bool release_refused(const struct cma *cma, unsigned long first, unsigned long nbits,
			    unsigned long pfn, char *note)
{
	const struct page *page = pfn_to_page(pfn);
	unsigned long clear, i, nr = nbits << cma->order_per_bit;

	clear = bitmap_seek(cma->bitmap, first, first + nbits, false);
	if (clear < first + nbits) {
		note_set(note, CMA_NOTE_LEN, "pfn %#lx is not allocated (released twice?)",
			 cma->base_pfn + (clear << cma->order_per_bit));
		return true;
	}
	for (i = 0; i < nr; i++) {
		if (page_count(page + i) != 1) {
			note_set(note, CMA_NOTE_LEN, "pfn %#lx has refcount %d, not 1",
				 pfn + i, page_count(page + i));
			return true;
		}
	}
	return false;
}

/**
 * cma_release - give pages back to their area
 * @cma: the area they came from
 * @pages: the first page
 * @count: pages (part of an allocation may go back, as the bitmap does not
 *	remember allocations; rounded up to whole bitmap bits)
 *
 * The pages are refilled with IOSIM_PAGE_POISON_FREE and may be handed out
 * again.  Misuse WARNs and changes nothing, but still returns true (the
 * pages are the area's, the caller must not free them elsewhere): a range
 * running past the area's end (VM_BUG_ON in the kernel), one starting
 * inside a bitmap bit's pages, pages not handed out (a double release), or
 * pages whose refcount is not 1 (still referenced: get_page(), a user
 * mapping) - the kernel noticed none of the last three.
 *
 * Context: process context; takes the area's mutex.
 * Return: false if @cma or @pages is NULL or @pages is not in the area;
 * true otherwise.  A @count of 0 does nothing.
 */
bool cma_release(struct cma *cma, const struct page *pages, unsigned int count)
{
	unsigned long pfn, off, first, nbits;
	char note[CMA_NOTE_LEN];

	if (!cma || !pages)
		return false;
	if (WARN(area_slot(cma) < 0, "cma_release: %p is not a CMA area", (void *)cma))
		return false;
	if (!iosim_page_valid(pages))
		return false;
	pfn = page_to_pfn(pages);
	off = pfn - cma->base_pfn;
	if (pfn < cma->base_pfn || off >= cma->count)
		return false;
	if (!count)
		return true;

	note[0] = '\0';
	first = off >> cma->order_per_bit;
	nbits = bits_for_pages(cma, count);
	mutex_lock(&cma->lock);
	if (count > cma->count - off)
		note_set(note, sizeof(note), "runs past the end of the area (%lu pages)",
			 cma->count);
	else if (off & ((1UL << cma->order_per_bit) - 1))
		note_set(note, sizeof(note), "starts inside the %lu pages of a bitmap bit",
			 1UL << cma->order_per_bit);
	else if (!release_refused(cma, first, nbits, pfn, note)) {
		memset(page_address(pages), IOSIM_PAGE_POISON_FREE,
		       (nbits << cma->order_per_bit) << PAGE_SHIFT);
		bitmap_fill_range(cma->bitmap, first, nbits, false);
	}
	mutex_unlock(&cma->lock);
	WARN(note[0], "cma_release: pfn %#lx + %u pages of the area at " PA_FMT ": %s",
	     pfn, count, pa_arg(area_base(cma)), note);
	return true;
}
EXPORT_SYMBOL(cma_release);

/* ---- simulation-only: the checker, inspection, teardown ---- */

/* Is @cma a declared area?  table_lock held. */
static bool area_declared(const struct cma *cma)
{
	int slot = area_slot(cma);

	return slot >= 0 && (unsigned int)slot < nr_areas && cma->count && cma->bitmap;
}

/* totalcma_pages against the areas; false with @note set.  table_lock held. */
static bool total_ok(char *note)
{
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < nr_areas; i++)
		sum += areas[i].count;
	if (sum == totalcma_pages)
		return true;
	note_set(note, CMA_NOTE_LEN, "totalcma_pages is %lu, the areas hold %lu pages",
		 totalcma_pages, sum);
	return false;
}

/* The pages of the clear bits [@from, @to): refcount 1 and free poison. */
static bool free_pages_ok(const struct cma *cma, unsigned long from, unsigned long to,
			  char *note)
{
	unsigned long pfn = cma->base_pfn + (from << cma->order_per_bit);
	unsigned long nr = (to - from) << cma->order_per_bit, i;
	const struct page *page = pfn_to_page(pfn);
	const unsigned char *bytes = page_address(page), *bad;

	for (i = 0; i < nr; i++) {
		if (page_count(page + i) != 1) {
			note_set(note, CMA_NOTE_LEN, "free pfn %#lx has refcount %d, not 1",
				 pfn + i, page_count(page + i));
			return false;
		}
	}
	bad = memchr_inv(bytes, IOSIM_PAGE_POISON_FREE, nr << PAGE_SHIFT);
	if (bad) {
		note_set(note, CMA_NOTE_LEN, "free pfn %#lx was written at byte %#lx (%#x)",
			 pfn + (unsigned long)((bad - bytes) >> PAGE_SHIFT),
			 (unsigned long)((bad - bytes) & (PAGE_SIZE - 1)), *bad);
		return false;
	}
	return true;
}

/* One area's geometry, pages and poison.  table_lock and the area's mutex held. */
static bool area_ok(const struct cma *cma, char *note)
{
	unsigned long align = area_alignment_pages(), nbits = area_nr_bits(cma);
	unsigned long bad, from, to;
	const char *why;

	if ((cma->base_pfn | cma->count) & (align - 1)) {
		note_set(note, CMA_NOTE_LEN, "base pfn %#lx or %lu pages not aligned to %lu pages",
			 cma->base_pfn, cma->count, align);
		return false;
	}
	if (!whole_units(cma->count, cma->order_per_bit)) {
		note_set(note, CMA_NOTE_LEN, "%lu pages are not whole bits of 2^%u pages",
			 cma->count, cma->order_per_bit);
		return false;
	}
	why = range_unfit(cma->base_pfn, cma->count);
	if (why) {
		note_set(note, CMA_NOTE_LEN, "the range %s", why);
		return false;
	}
	bad = iosim_pages_check_independent(cma->base_pfn, cma->count, &why);
	if (why) {
		note_set(note, CMA_NOTE_LEN, "pfn %#lx %s", cma->base_pfn + bad, why);
		return false;
	}
	for (from = 0; from < nbits; from = to) {
		from = bitmap_seek(cma->bitmap, from, nbits, false);
		to = bitmap_seek(cma->bitmap, from, nbits, true);
		if (from < to && !free_pages_ok(cma, from, to, note))
			return false;
	}
	return true;
}

/**
 * iosim_cma_check - the sanity checker of an area (see <iosim/cma.h>)
 * @cma: the area
 *
 * Context: process context; takes the table's mutex, then the area's.
 * Return: 0, or -EUCLEAN after a WARN naming the first problem.
 */
int iosim_cma_check(const struct cma *cma)
{
	char note[CMA_NOTE_LEN];
	bool ok;

	note[0] = '\0';
	mutex_lock(&table_lock);
	ok = area_declared(cma);
	if (!ok)
		note_set(note, sizeof(note), "%p is not a declared area", (const void *)cma);
	if (ok)
		ok = total_ok(note);
	if (ok) {
		mutex_lock((struct mutex *)&cma->lock);
		ok = area_ok(cma, note);
		mutex_unlock((struct mutex *)&cma->lock);
	}
	mutex_unlock(&table_lock);
	if (ok)
		return 0;
	WARN(1, "iosim_cma_check: %s", note);
	return -EUCLEAN;
}

/**
 * iosim_cma_check_all - iosim_cma_check() of every area
 *
 * Context: process context.
 * Return: 0, or -EUCLEAN after a WARN naming the first problem (with no
 * area, totalcma_pages must be 0).
 */
int iosim_cma_check_all(void)
{
	char note[CMA_NOTE_LEN];
	unsigned int i, n;
	bool ok;

	mutex_lock(&table_lock);
	ok = total_ok(note);
	n = nr_areas;
	mutex_unlock(&table_lock);
	if (!ok) {
		WARN(1, "iosim_cma_check: %s", note);
		return -EUCLEAN;
	}
	for (i = 0; i < n; i++)
		if (iosim_cma_check(&areas[i]))
			return -EUCLEAN;
	return 0;
}

unsigned int iosim_cma_nr_areas(void)
{
	unsigned int n;

	mutex_lock(&table_lock);
	n = nr_areas;
	mutex_unlock(&table_lock);
	return n;
}

struct cma *iosim_cma_area(unsigned int index)
{
	struct cma *cma;

	mutex_lock(&table_lock);
	cma = index < nr_areas ? &areas[index] : NULL;
	mutex_unlock(&table_lock);
	return cma;
}

/* Pages of @cma handed out, and its size in *@count; 0 and 0 if it is no declared area. */
static unsigned long area_pages_allocated(const struct cma *cma, unsigned long *count)
{
	unsigned long n = 0;

	*count = 0;
	mutex_lock(&table_lock);
	if (area_declared(cma)) {
		mutex_lock((struct mutex *)&cma->lock);
		n = area_bits_set(cma) << cma->order_per_bit;
		*count = cma->count;
		mutex_unlock((struct mutex *)&cma->lock);
	}
	mutex_unlock(&table_lock);
	return n;
}

unsigned long iosim_cma_allocated_pages(const struct cma *cma)
{
	unsigned long count;

	return area_pages_allocated(cma, &count);
}

unsigned long iosim_cma_free_pages(const struct cma *cma)
{
	unsigned long count, allocated = area_pages_allocated(cma, &count);

	return count - allocated;
}

/*
 * Empty slot @slot: its pages not handed out go back to the buddy
 * allocator, the others stay allocated.  table_lock held.
 * Return: the pages still handed out.
 */
static unsigned long area_teardown(unsigned int slot)
{
	struct cma *cma = &areas[slot];
	unsigned long nbits = area_nr_bits(cma), held, from, to;

	mutex_lock(&cma->lock);
	held = area_bits_set(cma) << cma->order_per_bit;
	WARN(held, "iosim_cma_exit: CMA area %u at " PA_FMT ": %lu of its %lu pages still allocated",
	     slot, pa_arg(area_base(cma)), held, cma->count);
	for (from = 0; from < nbits; from = to) {
		from = bitmap_seek(cma->bitmap, from, nbits, false);
		to = bitmap_seek(cma->bitmap, from, nbits, true);
		free_contig_range(cma->base_pfn + (from << cma->order_per_bit),
				  (unsigned int)((to - from) << cma->order_per_bit));
	}
	kfree(cma->bitmap);
	mutex_unlock(&cma->lock);
	mutex_destroy(&cma->lock);
	cma->bitmap = NULL;
	cma->base_pfn = 0;
	cma->count = 0;
	cma->order_per_bit = 0;
	iosim_live_add(IOSIM_OBJ_CMA_AREA, -1);
	return held;
}

/**
 * iosim_cma_exit - tear every area down (see <iosim/cma.h>)
 *
 * Context: process context; nothing else uses the areas.
 * Return: the pages that were still handed out (now leaked allocations).
 */
unsigned long iosim_cma_exit(void)
{
	unsigned long held = 0;
	unsigned int i;

	mutex_lock(&table_lock);
	for (i = 0; i < nr_areas; i++)
		held += area_teardown(i);
	nr_areas = 0;
	totalcma_pages = 0;
	mutex_unlock(&table_lock);
	return held;
}
