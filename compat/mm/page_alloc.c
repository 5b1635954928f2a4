// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The buddy page allocator over simulated RAM.
 *
 * One free list per order 0..MAX_ORDER-1 holds blocks of 2^order frames,
 * each aligned to its size in pfn terms (as the kernel's: the buddy of the
 * block at pfn P of order O is at P ^ (1 << O)).  Allocation takes the
 * smallest block that fits and splits it, returning upper halves to the lower
 * lists; freeing merges a block with its buddy for as long as the buddy is
 * free, whole and of the same order.
 *
 * Unlike the kernel, every allocation's order is recorded on its first page
 * (PG_iosim_alloc + alloc_order), so a free that does not match an
 * allocation - a second free, a tail page, the wrong order, the original
 * block of pages that were split - is WARNed and ignored instead of
 * corrupting the free lists.  One mutex protects the lists and every
 * struct page's allocator state (flags, _count of allocated heads); the
 * frames' contents are the caller's.
 *
 * RAM banks (docs/ram-banks.md): each bank's frames go on the free lists
 * on their own and a block never spans two banks - a buddy is merged only
 * if it lies in the same bank, so adjacent banks stay apart as well.
 *
 * Zones, as arm64 of 2015 (CONFIG_ZONE_DMA, no ZONE_DMA32): ZONE_DMA is the
 * RAM below 4 GiB, ZONE_NORMAL the rest.  Each zone has its own free lists;
 * initial blocks are cut at the zone boundary (4 GiB is aligned to every
 * block size, so merging never crosses it either).  GFP_DMA allocates only from ZONE_DMA; GFP_DMA32 maps to
 * ZONE_NORMAL as gfp_zone() did without CONFIG_ZONE_DMA32; anything else
 * tries ZONE_NORMAL first and falls back to ZONE_DMA (the zonelist order).
 */
#include <stdarg.h>
#include <stdio.h>
#include <pthread.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/huge_mm.h>
#include <iosim/cache.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include <iosim/ram_reset.h>
#include "iosim_mm.h"

static pthread_mutex_t zone_lock = PTHREAD_MUTEX_INITIALIZER;
/* First pages of free blocks, by zone and order. */
static struct list_head free_list[MAX_NR_ZONES][MAX_ORDER];
static unsigned long nr_free_blocks[MAX_NR_ZONES][MAX_ORDER];
static unsigned long nr_free_zone[MAX_NR_ZONES];	/* frames on each zone's lists */
static unsigned long nr_free_pages_total;	/* frames on the free lists */
static unsigned long nr_alloc_pages;		/* frames in live allocations */

#define PAGE_FLAG(bit)		(1UL << (bit))

/* First pfn above ZONE_DMA: 4 GiB, as arm64 of 2015 with RAM from 0. */
#define ZONE_DMA_END_PFN	((unsigned long)(IOSIM_ZONE_DMA_LIMIT >> PAGE_SHIFT))

static enum zone_type pfn_zone(unsigned long pfn)
{
	return pfn < ZONE_DMA_END_PFN ? ZONE_DMA : ZONE_NORMAL;
}

/* --- helpers; zone_lock held, pages known valid ------------------------------ */

static const struct iosim_ram_bank *bank_of_page(const struct page *page)
{
	return iosim_bank_of_index((unsigned long)(page - iosim_ram_state.mem_map));
}

static unsigned long pfn_of(const struct page *page)
{
	const struct iosim_ram_bank *b = bank_of_page(page);

	return b->base_pfn + (unsigned long)(page - iosim_ram_state.mem_map) - b->first_index;
}

/* @pfn in RAM. */
static struct page *page_of(unsigned long pfn)
{
	const struct iosim_ram_bank *b = iosim_bank_of_pfn(pfn);

	return iosim_ram_state.mem_map + b->first_index + (pfn - b->base_pfn);
}

/* Does [@pfn, @pfn + @nr) lie in bank @b? */
static bool pfns_in_bank(const struct iosim_ram_bank *b, unsigned long pfn, unsigned long nr)
{
	return pfn - b->base_pfn < b->nr_pages && nr <= b->nr_pages - (pfn - b->base_pfn);
}

static void *frame_virt(const struct page *page)
{
	const struct iosim_ram_bank *b = bank_of_page(page);

	return (char *)b->virt +
	       ((size_t)((unsigned long)(page - iosim_ram_state.mem_map) - b->first_index)
		<< PAGE_SHIFT);
}

static bool page_is_free(const struct page *page)
{
	return page->flags & PAGE_FLAG(PG_iosim_free);
}

static bool page_is_alloc_head(const struct page *page)
{
	return page->flags & PAGE_FLAG(PG_iosim_alloc);
}

/* The page whose _count holds the references of @page (its compound head). */
static struct page *ref_page(struct page *page)
{
	if ((page->flags & PAGE_FLAG(PG_tail)) && iosim_page_valid(page->first_page))
		return page->first_page;
	return page;
}

/* Reset one struct page to the "free, not yet on a list" state. */
static __always_inline void set_frame_free(struct page *page)
{
	page->flags = PAGE_FLAG(PG_iosim_free);
	atomic_set(&page->_count, 0);
	atomic_set(&page->_mapcount, -1);
	page->private = 0;
	page->first_page = NULL;
	page->compound_order = 0;
	page->alloc_order = 0;
}

/*
 * The same for @nr frames of mem_map from @page.  Every free and every RAM
 * reset runs this over whole blocks (a 2 MiB block is 512 frames), and
 * AddressSanitizer's check on each of the seven stores per frame was most
 * of its cost; so the range is checked against mem_map once, here, and the
 * loop runs without those checks: set_frame_free() is always inlined, so
 * its stores take this function's attribute and are not checked one by one
 * (neither by ASan nor by UBSan); the range check stands for them.
 */
__attribute__((__no_sanitize__("address", "undefined")))
static void mark_frames_free(struct page *page, unsigned long nr)
{
	const struct page *map = iosim_ram_state.mem_map;

	if (WARN(page < map || page > map + iosim_ram_state.nr_pages ||
		 nr > (unsigned long)(map + iosim_ram_state.nr_pages - page),
		 "mark_frames_free: frames %p + %lu outside mem_map", (void *)page, nr))
		return;
	for (; nr; nr--, page++)
		set_frame_free(page);
}

static void free_list_add(struct page *page, unsigned int order, bool at_tail)
{
	enum zone_type z = pfn_zone(pfn_of(page));

	page->flags |= PAGE_FLAG(PG_buddy);
	page->private = order;
	if (at_tail)
		list_add_tail(&page->lru, &free_list[z][order]);
	else
		list_add(&page->lru, &free_list[z][order]);
	nr_free_blocks[z][order]++;
	nr_free_zone[z] += 1UL << order;
}

static void free_list_del(struct page *page, unsigned int order)
{
	enum zone_type z = pfn_zone(pfn_of(page));

	list_del(&page->lru);
	page->flags &= ~PAGE_FLAG(PG_buddy);
	page->private = 0;
	nr_free_blocks[z][order]--;
	nr_free_zone[z] -= 1UL << order;
}

/*
 * Is the block at @pfn a free buddy block of exactly @order in bank @b?
 * Blocks of different banks never merge, even where banks are adjacent.
 */
static bool pfn_is_free_block(const struct iosim_ram_bank *b, unsigned long pfn,
			      unsigned int order)
{
	struct page *page;

	if (!pfns_in_bank(b, pfn, 1UL << order))
		return false;
	page = iosim_ram_state.mem_map + b->first_index + (pfn - b->base_pfn);
	return (page->flags & PAGE_FLAG(PG_buddy)) && page->private == order;
}

static void buddy_note_zeroed(struct page *page, unsigned long nr);

/*
 * Return the live block at @page (2^@order frames) to the free lists,
 * merging.  @zeroed: the caller vouches every byte is zero
 * (iosim_ram_free_pages_zeroed()): no poison, and the RAM reset need not
 * zero the frames again.
 */
static void buddy_free(struct page *page, unsigned int order, bool zeroed)
{
	const struct iosim_ram_bank *b = bank_of_page(page);
	unsigned long pfn = pfn_of(page), nr = 1UL << order;

	if (zeroed)
		buddy_note_zeroed(page, nr);
	else
		memset(frame_virt(page), IOSIM_PAGE_POISON_FREE, nr << PAGE_SHIFT);
	mark_frames_free(page, nr);
	nr_alloc_pages -= nr;
	nr_free_pages_total += nr;
	iosim_live_add(IOSIM_OBJ_PAGE, -(long)nr);

	while (order < MAX_ORDER - 1) {
		unsigned long buddy_pfn = pfn ^ (1UL << order);

		if (!pfn_is_free_block(b, buddy_pfn, order))
			break;
		free_list_del(page_of(buddy_pfn), order);
		pfn = min(pfn, buddy_pfn);
		order++;
	}
	free_list_add(page_of(pfn), order, false);
}

/* Take a 2^@order block off @z's free lists, splitting a larger one; NULL if none. */
static struct page *buddy_alloc(enum zone_type z, unsigned int order)
{
	unsigned int cur;
	struct page *page;

	for (cur = order; cur < MAX_ORDER; cur++)
		if (!list_empty(&free_list[z][cur]))
			break;
	if (cur == MAX_ORDER)
		return NULL;

	page = list_first_entry(&free_list[z][cur], struct page, lru);
	free_list_del(page, cur);
	/* Give back the upper half at each level until the block is the right size. */
	while (cur > order) {
		cur--;
		free_list_add(page + (1UL << cur), cur, false);
	}

	for (cur = 0; cur < (1U << order); cur++)
		page[cur].flags = 0;
	page->flags = PAGE_FLAG(PG_iosim_alloc);
	page->alloc_order = order;
	atomic_set(&page->_count, 1);
	nr_free_pages_total -= 1UL << order;
	nr_alloc_pages += 1UL << order;
	iosim_live_add(IOSIM_OBJ_PAGE, 1L << order);
	return page;
}

/* Make the fresh block at @page a compound page of @order (> 0). */
static void prep_compound(struct page *page, unsigned int order)
{
	unsigned long i;

	page->flags |= PAGE_FLAG(PG_head);
	page->compound_order = order;
	for (i = 1; i < (1UL << order); i++) {
		page[i].flags |= PAGE_FLAG(PG_tail);
		page[i].first_page = page;
	}
}

/* --- RAM creation and destruction (physmem.c) ------------------------------- */

/*
 * The free blocks of a fresh RAM, in the order iosim_buddy_init() lists
 * them (it uses this walk): each bank covered with the largest naturally
 * aligned blocks, lowest first, never across the zone boundary nor past the
 * bank's end.  @fn gets each block's first pfn and order.
 */
static void canonical_blocks(void (*fn)(unsigned long pfn, unsigned int order, void *arg),
			     void *arg)
{
	unsigned int order, i;

	for (i = 0; i < iosim_ram_state.nr_banks; i++) {
		const struct iosim_ram_bank *b = &iosim_ram_state.banks[i];
		unsigned long pfn = b->base_pfn, end_pfn = pfn + b->nr_pages;

		while (pfn < end_pfn) {
			unsigned long lim = end_pfn;

			if (pfn < ZONE_DMA_END_PFN && lim > ZONE_DMA_END_PFN)
				lim = ZONE_DMA_END_PFN;
			order = MAX_ORDER - 1;
			while (order && ((pfn & ((1UL << order) - 1)) ||
					 lim - pfn < (1UL << order)))
				order--;
			fn(pfn, order, arg);
			pfn += 1UL << order;
		}
	}
}

static void fresh_block_add(unsigned long pfn, unsigned int order, void *arg)
{
	free_list_add(page_of(pfn), order, true);
}

void iosim_buddy_init(void)
{
	unsigned int order, z;

	pthread_mutex_lock(&zone_lock);
	for (z = 0; z < MAX_NR_ZONES; z++) {
		for (order = 0; order < MAX_ORDER; order++) {
			INIT_LIST_HEAD(&free_list[z][order]);
			nr_free_blocks[z][order] = 0;
		}
		nr_free_zone[z] = 0;
	}
	mark_frames_free(iosim_ram_state.mem_map, iosim_ram_state.nr_pages);
	canonical_blocks(fresh_block_add, NULL);
	nr_free_pages_total = iosim_ram_state.nr_pages;
	nr_alloc_pages = 0;
	pthread_mutex_unlock(&zone_lock);
}

unsigned long iosim_buddy_exit(void)
{
	unsigned long i, leaked = 0;

	pthread_mutex_lock(&zone_lock);
	for (i = 0; i < iosim_ram_state.nr_pages; i++) {
		struct page *page = &iosim_ram_state.mem_map[i];

		if (!page_is_alloc_head(page))
			continue;
		WARN(1, "iosim_ram_exit: leaked order-%u block at pfn %#lx (refcount %d)",
		     page->alloc_order, pfn_of(page), atomic_read(&page->_count));
		/* A corrupted order counts one frame rather than shifting past the word. */
		leaked += page->alloc_order < MAX_ORDER ? 1UL << page->alloc_order : 1;
	}
	iosim_live_add(IOSIM_OBJ_PAGE, -(long)nr_alloc_pages);
	for (i = 0; i < MAX_NR_ZONES * MAX_ORDER; i++) {
		INIT_LIST_HEAD(&free_list[i / MAX_ORDER][i % MAX_ORDER]);
		nr_free_blocks[i / MAX_ORDER][i % MAX_ORDER] = 0;
	}
	for (i = 0; i < MAX_NR_ZONES; i++)
		nr_free_zone[i] = 0;
	nr_free_pages_total = 0;
	nr_alloc_pages = 0;
	pthread_mutex_unlock(&zone_lock);
	return leaked;
}

/* --- allocation --------------------------------------------------------------- */

/**
 * alloc_pages - allocate 2^@order physically contiguous simulated pages
 * @gfp_mask: GFP flags; __GFP_ZERO zeroes, __GFP_COMP (with @order > 0) makes
 *	a compound page, __GFP_NOWARN silences failure reports, __GFP_NOFAIL
 *	exempts the call from fault injection; __GFP_DMA allocates from
 *	ZONE_DMA only, __GFP_DMA32 (no ZONE_DMA32 on arm64 of 2015) and no zone
 *	modifier from ZONE_NORMAL, falling back to ZONE_DMA
 * @order: 0 <= order < MAX_ORDER
 *
 * Consults iosim_fault_should_fail(IOSIM_FAULT_PAGE_ALLOC) and the per-order
 * mask (iosim_fault_should_fail_order()).  Without __GFP_ZERO the block is
 * filled with IOSIM_PAGE_POISON_ALLOC.
 *
 * Context: any; takes the page allocator lock.
 * Return: the first page (refcount 1, counted as 2^@order IOSIM_OBJ_PAGE), or
 * NULL when memory (of the allowed zones) is exhausted, injection fired (both logged as a "page
 * allocation failure" unless __GFP_NOWARN), @order >= MAX_ORDER (WARNs unless
 * __GFP_NOWARN) or RAM does not exist (WARNs).  On NULL nothing changed.
 */
static struct page *alloc_block(gfp_t gfp_mask, unsigned int order, bool *zeroed);

struct page *alloc_pages(gfp_t gfp_mask, unsigned int order)
{
	bool zeroed;
	struct page *page = alloc_block(gfp_mask, order, &zeroed);

	if (!page)
		return NULL;
	/*
	 * Frames nobody was handed since RAM was created or reset hold zeros
	 * already (the reset's own premise: it zeroes only the frames handed
	 * out): a __GFP_ZERO block made of them is not written again.  The
	 * fuzzers' 2 MiB pools come out of a fresh RAM every input.  The cache
	 * model still sees the CPU write the kernel would make.
	 */
	if (!(gfp_mask & __GFP_ZERO) || !zeroed)
		memset(frame_virt(page), (gfp_mask & __GFP_ZERO) ? 0 : IOSIM_PAGE_POISON_ALLOC,
		       PAGE_SIZE << order);
	iosim_cache_cpu_wrote(frame_virt(page), PAGE_SIZE << order);
	return page;
}

/*
 * alloc_pages() without the fill: for compat's own callers that overwrite
 * every byte at once (slab pages), so that the block is not written twice.
 * The caller reports its writes to the cache model (iosim_cache_cpu_wrote()).
 */
struct page *iosim_alloc_pages_unfilled(gfp_t gfp_mask, unsigned int order)
{
	bool zeroed;

	return alloc_block(gfp_mask, order, &zeroed);
}

/* The allocation itself; *@zeroed: every frame of the block is known to hold zeros. */
static struct page *alloc_block(gfp_t gfp_mask, unsigned int order, bool *zeroed)
{
	struct page *page;

	*zeroed = false;
	if (order >= MAX_ORDER) {
		WARN(!(gfp_mask & __GFP_NOWARN), "alloc_pages: order %u >= MAX_ORDER (%d)",
		     order, MAX_ORDER);
		return NULL;
	}
	if (WARN(!iosim_ram_ready(), "alloc_pages: simulated RAM is not initialised"))
		return NULL;
	if (!(gfp_mask & __GFP_NOFAIL) &&
	    (iosim_fault_should_fail(IOSIM_FAULT_PAGE_ALLOC) ||
	     iosim_fault_should_fail_order(order)))
		goto fail;

	pthread_mutex_lock(&zone_lock);
	if (gfp_mask & __GFP_DMA) {
		page = buddy_alloc(ZONE_DMA, order);
	} else {
		page = buddy_alloc(ZONE_NORMAL, order);
		if (!page)
			page = buddy_alloc(ZONE_DMA, order);
	}
	if (page && order && (gfp_mask & __GFP_COMP))
		prep_compound(page, order);
	*zeroed = iosim_buddy_note_alloc(page, order);
	pthread_mutex_unlock(&zone_lock);
	if (!page) {
		/* The kernel would retry forever; we can only report it. */
		WARN(gfp_mask & __GFP_NOFAIL,
		     "alloc_pages: cannot honour __GFP_NOFAIL, no order-%u block left", order);
		goto fail;
	}
	return page;

fail:
	if (!(gfp_mask & __GFP_NOWARN))
		pr_warn("iosim: page allocation failure: order:%u, mode:0x%x\n", order, gfp_mask);
	return NULL;
}

/**
 * __get_free_pages - allocate 2^@order pages and return their linear-map address
 * @gfp_mask: GFP flags, as alloc_pages()
 * @order: block order
 *
 * Context: any.
 * Return: the address, or 0 when alloc_pages() fails.
 */
unsigned long __get_free_pages(gfp_t gfp_mask, unsigned int order)
{
	struct page *page = alloc_pages(gfp_mask, order);

	return page ? (unsigned long)page_address(page) : 0;
}

/**
 * get_zeroed_page - allocate one zeroed page
 * @gfp_mask: GFP flags
 *
 * Context: any.
 * Return: its linear-map address, or 0 on failure.
 */
unsigned long get_zeroed_page(gfp_t gfp_mask)
{
	return __get_free_pages(gfp_mask | __GFP_ZERO, 0);
}

/* --- freeing and references --------------------------------------------------- */

/*
 * Why @page cannot be released as the 2^@order allocation it claims to head,
 * or NULL if it can.  zone_lock held; @page valid.
 */
static const char *free_misuse(const struct page *page, unsigned int order)
{
	if (page_is_free(page))
		return "double free: the page is already free";
	if (page->flags & PAGE_FLAG(PG_tail))
		return "tail page of a compound page";
	if (!page_is_alloc_head(page))
		return "not the first page of an allocation";
	if (order != page->alloc_order && (page->flags & PAGE_FLAG(PG_iosim_split)))
		return "the block was split: free its pages one by one";
	if (order != page->alloc_order)
		return "order does not match the allocation";
	if (atomic_read(&page->_count) <= 0)
		return "refcount already zero";
	return NULL;
}

/* Drop a reference to a block for @who; @zeroed as buddy_free(). */
static void free_pages_ref(struct page *page, unsigned int order, bool zeroed, const char *who)
{
	const char *why;

	if (WARN(!iosim_page_valid(page), "%s: page %p is outside simulated RAM", who,
		 (void *)page))
		return;
	pthread_mutex_lock(&zone_lock);
	why = free_misuse(page, order);
	if (why) {
		pthread_mutex_unlock(&zone_lock);
		WARN(1, "%s: pfn %#lx order %u: %s", who, pfn_of(page), order, why);
		return;
	}
	if (atomic_dec_and_test(&page->_count))
		buddy_free(page, order, zeroed);
	pthread_mutex_unlock(&zone_lock);
}

/**
 * __free_pages - drop a reference to a block from alloc_pages()
 * @page: first page of the block
 * @order: the order it was allocated with
 *
 * Context: any; takes the page allocator lock.
 * Return: nothing.  At refcount 0 the block is poisoned
 * (IOSIM_PAGE_POISON_FREE) and merged back into the free lists.  Freeing a
 * free page, a tail page, a page that heads no allocation, a page outside
 * RAM, with the wrong order, or the original block of split pages WARNs and
 * changes nothing.
 */
void __free_pages(struct page *page, unsigned int order)
{
	free_pages_ref(page, order, false, "__free_pages");
}

/**
 * iosim_ram_free_pages_zeroed - free a block the caller zeroed (see <iosim/ram_reset.h>)
 * @page: first page of the block
 * @order: the order it was allocated with
 *
 * With the cache model on, frames also hold model state: then this is
 * __free_pages().
 *
 * Context: any; takes the page allocator lock.
 * Return: nothing; misuse WARNs (naming this function) as __free_pages().
 */
void iosim_ram_free_pages_zeroed(struct page *page, unsigned int order)
{
	free_pages_ref(page, order, !iosim_cache_enabled(), "iosim_ram_free_pages_zeroed");
}

/**
 * free_pages - __free_pages() by linear-map address
 * @addr: address from __get_free_pages(), or 0 (ignored)
 * @order: the order it was allocated with
 *
 * Context: any.
 * Return: nothing; an address outside the linear map WARNs and is ignored.
 */
void free_pages(unsigned long addr, unsigned int order)
{
	if (!addr)
		return;
	if (WARN(!virt_addr_valid((void *)addr),
		 "free_pages: %#lx is outside simulated RAM's linear map", addr))
		return;
	if (WARN(addr & ~PAGE_MASK, "free_pages: %#lx is not page aligned", addr))
		return;
	__free_pages(virt_to_page((void *)addr), order);
}

/**
 * get_page - take a reference to a page
 * @page: an allocated page; for a compound page the head's count is raised
 *
 * Context: any; takes the page allocator lock.
 * Return: nothing; a page outside RAM, a free page, or one holding no
 * references (a non-first page of a non-compound block) WARNs and is ignored.
 */
void get_page(struct page *page)
{
	struct page *head;

	if (WARN(!iosim_page_valid(page), "get_page: page %p is outside simulated RAM",
		 (void *)page))
		return;
	pthread_mutex_lock(&zone_lock);
	head = ref_page(page);
	if (page_is_free(head) || atomic_read(&head->_count) <= 0) {
		pthread_mutex_unlock(&zone_lock);
		WARN(1, "get_page: pfn %#lx is %s", pfn_of(page),
		     page_is_free(head) ? "free" : "not referenced (refcount 0)");
		return;
	}
	atomic_inc(&head->_count);
	pthread_mutex_unlock(&zone_lock);
}

/**
 * put_page - drop a reference to a page
 * @page: an allocated page (compound pages: any page of it)
 *
 * At refcount 0 an order-0 or compound page is freed.  Dropping the last
 * reference of a non-compound block of order > 0 would leak all but its first
 * page in the kernel; here it WARNs and keeps the reference (free it with
 * __free_pages()).
 *
 * Context: any; takes the page allocator lock.
 * Return: nothing; a page outside RAM, a free page, or one holding no
 * references WARNs and is ignored.
 */
void put_page(struct page *page)
{
	struct page *head;

	if (WARN(!iosim_page_valid(page), "put_page: page %p is outside simulated RAM",
		 (void *)page))
		return;
	pthread_mutex_lock(&zone_lock);
	head = ref_page(page);
	if (page_is_free(head) || !page_is_alloc_head(head) ||
	    atomic_read(&head->_count) <= 0) {
		pthread_mutex_unlock(&zone_lock);
		WARN(1, "put_page: pfn %#lx is %s", pfn_of(page),
		     page_is_free(head) ? "free" : "not referenced (refcount 0)");
		return;
	}
	if (atomic_read(&head->_count) == 1 && head->alloc_order &&
	    !(head->flags & PAGE_FLAG(PG_head))) {
		pthread_mutex_unlock(&zone_lock);
		WARN(1, "put_page: last reference to order-%u non-compound block at pfn %#lx; use __free_pages()",
		     head->alloc_order, pfn_of(head));
		return;
	}
	if (atomic_dec_and_test(&head->_count))
		buddy_free(head, head->alloc_order, false);
	pthread_mutex_unlock(&zone_lock);
}

bool iosim_page_in_use(const struct page *page)
{
	bool in_use;

	if (!iosim_page_valid(page))
		return false;
	pthread_mutex_lock(&zone_lock);
	page = ref_page((struct page *)page);
	in_use = !page_is_free(page) && page_is_alloc_head(page) &&
		 atomic_read(&page->_count) > 0;
	pthread_mutex_unlock(&zone_lock);
	return in_use;
}

bool iosim_page_allocated(const struct page *page)
{
	bool allocated;

	if (!iosim_page_valid(page))
		return false;
	pthread_mutex_lock(&zone_lock);
	allocated = !page_is_free(page);
	pthread_mutex_unlock(&zone_lock);
	return allocated;
}

/* --- splitting ------------------------------------------------------------------ */

/* Make every frame of the live block at @head (2^@order) an order-0 allocation. */
static void split_block(struct page *head, unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++) {
		struct page *page = head + i;

		page->flags &= ~(PAGE_FLAG(PG_head) | PAGE_FLAG(PG_tail));
		page->flags |= PAGE_FLAG(PG_iosim_alloc) | PAGE_FLAG(PG_iosim_split);
		page->first_page = NULL;
		page->compound_order = 0;
		page->alloc_order = 0;
		/* The head keeps its references; every other page gets its own. */
		if (i)
			atomic_set(&page->_count, 1);
	}
}

/**
 * split_page - turn a non-compound 2^@order block into independent pages
 * @page: first page of a live block from alloc_pages() without __GFP_COMP
 * @order: its order
 *
 * Afterwards the first page keeps its references, every other page has
 * refcount 1, and each is freed with __free_page().
 *
 * Context: any; takes the page allocator lock.
 * Return: nothing; a compound page, a free page, a page that heads no
 * allocation, a page outside RAM or a wrong @order WARNs and changes nothing.
 */
void split_page(struct page *page, unsigned int order)
{
	const char *why = NULL;

	if (WARN(!iosim_page_valid(page), "split_page: page %p is outside simulated RAM",
		 (void *)page))
		return;
	pthread_mutex_lock(&zone_lock);
	if (PageCompound(page))
		why = "compound page (use split_huge_page)";
	else if (page_is_free(page))
		why = "the page is free";
	else if (!page_is_alloc_head(page))
		why = "not the first page of an allocation";
	else if (order != page->alloc_order)
		why = "order does not match the allocation";
	if (!why && order)
		split_block(page, order);
	pthread_mutex_unlock(&zone_lock);
	WARN(why, "split_page: pfn %#lx order %u: %s", pfn_of(page), order, why);
}

/**
 * split_huge_page - split a compound page into independent order-0 pages
 * @page: head page of a live compound block with refcount 1
 *
 * Consults iosim_fault_should_fail(IOSIM_FAULT_SPLIT_HUGE) once @page is
 * known splittable.
 *
 * Context: any; takes the page allocator lock.
 * Return: 0 on success (every page refcount 1, freed with __free_page());
 * 1 with @page unchanged if the split was injected to fail, @page is not a
 * compound head (a plain page: silently; a tail, free or foreign page:
 * WARNed too) or it is shared (refcount > 1).
 */
int split_huge_page(struct page *page)
{
	const char *why = NULL;
	int ret = 1;

	if (WARN(!iosim_page_valid(page), "split_huge_page: page %p is outside simulated RAM",
		 (void *)page))
		return 1;
	pthread_mutex_lock(&zone_lock);
	if (page_is_free(page))
		why = "the page is free";
	else if (PageTail(page))
		why = "tail page of a compound page";
	else if (!PageHead(page) || atomic_read(&page->_count) != 1)
		goto out_unlock;
	else if (iosim_fault_should_fail(IOSIM_FAULT_SPLIT_HUGE))
		goto out_unlock;
	else {
		split_block(page, page->compound_order);
		ret = 0;
	}
out_unlock:
	pthread_mutex_unlock(&zone_lock);
	WARN(why, "split_huge_page: pfn %#lx: %s", pfn_of(page), why);
	return ret;
}

/* --- exact-size allocations ----------------------------------------------------- */

/**
 * alloc_pages_exact - allocate @size bytes of physically contiguous pages
 * @size: bytes; rounded up to whole pages
 * @gfp_mask: GFP flags (__GFP_COMP is ignored: the block is split)
 *
 * Allocates the enclosing power-of-two block, splits it and frees the pages
 * beyond PAGE_ALIGN(@size).
 *
 * Context: any.
 * Return: the linear-map address, or NULL on failure (nothing allocated).
 */
void *alloc_pages_exact(size_t size, gfp_t gfp_mask)
{
	unsigned int order = (unsigned int)get_order(size);
	unsigned long addr, used, end;

	addr = __get_free_pages(gfp_mask & ~__GFP_COMP, order);
	if (!addr)
		return NULL;
	split_page(virt_to_page((void *)addr), order);
	used = addr + PAGE_ALIGN(size);
	end = addr + (PAGE_SIZE << order);
	for (; used < end; used += PAGE_SIZE)
		free_page(used);
	return (void *)addr;
}

/**
 * free_pages_exact - free memory from alloc_pages_exact()
 * @virt: its address
 * @size: the size passed to alloc_pages_exact()
 *
 * Context: any.
 * Return: nothing; misuse WARNs per page as free_pages() does.
 */
void free_pages_exact(void *virt, size_t size)
{
	unsigned long addr = (unsigned long)virt, end = addr + PAGE_ALIGN(size);

	for (; addr < end; addr += PAGE_SIZE)
		free_page(addr);
}

/* --- contiguous ranges (alloc_contig_range, the CMA) --------------------------- */

/*
 * Find the free block frame @pfn of bank @b belongs to: its first frame in
 * *@head, its order in *@order.  false if the frame is not free (or, with
 * corrupted state, free but in no block).  zone_lock held; @pfn in @b.
 */
static bool free_block_of(const struct iosim_ram_bank *b, unsigned long pfn,
			  unsigned long *head, unsigned int *order)
{
	unsigned int o;

	if (!page_is_free(page_of(pfn)))
		return false;
	for (o = 0; o < MAX_ORDER; o++) {
		unsigned long first = pfn & ~((1UL << o) - 1);

		if (pfn_is_free_block(b, first, o)) {
			*head = first;
			*order = o;
			return true;
		}
	}
	return false;
}

/* Is every frame of [@start, @end) RAM and free (across adjacent banks too)?  zone_lock held. */
static bool frames_all_free(unsigned long start, unsigned long end)
{
	unsigned long pfn = start, head;
	unsigned int order;

	while (pfn < end) {
		const struct iosim_ram_bank *b = iosim_bank_of_pfn(pfn);

		if (!b || !free_block_of(b, pfn, &head, &order))
			return false;
		pfn = head + (1UL << order);
	}
	return true;
}

/*
 * The free block of 2^@order frames at @pfn, already off its list, overlaps
 * [@start, @end): its frames inside become order-0 allocations with one
 * reference each, and what lies outside goes back on the lists as the
 * halves that splitting leaves, the largest that avoid the range.
 * zone_lock held.
 */
static void carve_block(unsigned long pfn, unsigned int order, unsigned long start,
			unsigned long end)
{
	unsigned long nr = 1UL << order;

	if (pfn >= start && pfn + nr <= end) {
		for (; nr; nr--, pfn++) {
			struct page *page = page_of(pfn);

			page->flags = PAGE_FLAG(PG_iosim_alloc);
			page->alloc_order = 0;
			atomic_set(&page->_count, 1);
		}
		return;
	}
	if (pfn + nr <= start || pfn >= end) {
		free_list_add(page_of(pfn), order, false);
		return;
	}
	/* It straddles an edge of the range (an order-0 block never does). */
	carve_block(pfn, order - 1, start, end);
	carve_block(pfn + nr / 2, order - 1, start, end);
}

/*
 * Take [@start, @end) of bank @b, wholly free, out of the free lists and
 * note it for the reset.  zone_lock held.  Return: its linear-map address.
 */
static void *take_free_range(const struct iosim_ram_bank *b, unsigned long start,
			     unsigned long end)
{
	unsigned long pfn, head, nr = end - start;
	unsigned int order;

	/* Each free block overlapping the range, lowest first; none changes the next. */
	for (pfn = start; pfn < end && free_block_of(b, pfn, &head, &order);
	     pfn = head + (1UL << order)) {
		free_list_del(page_of(head), order);
		carve_block(head, order, start, end);
	}
	nr_free_pages_total -= nr;
	nr_alloc_pages += nr;
	iosim_live_add(IOSIM_OBJ_PAGE, (long)nr);
	for (pfn = start; pfn < end; pfn++)
		iosim_buddy_note_alloc(page_of(pfn), 0);
	return frame_virt(page_of(start));
}

/*
 * Fill @nr frames just taken at @virt with @fill (outside zone_lock: they
 * are the caller's now); the allocation poison is the CPU's write for the
 * cache model, as alloc_pages() reports its fill.
 */
static void fill_taken_range(void *virt, unsigned long nr, int fill)
{
	memset(virt, fill, nr << PAGE_SHIFT);
	if (fill == IOSIM_PAGE_POISON_ALLOC)
		iosim_cache_cpu_wrote(virt, nr << PAGE_SHIFT);
}

/**
 * iosim_alloc_contig_fill - alloc_contig_range() with the bytes to fill with
 * @start: first pfn
 * @end: pfn past the last one
 * @migratetype: as alloc_contig_range()
 * @fill: byte written over every frame taken (IOSIM_PAGE_POISON_ALLOC for
 *	alloc_contig_range())
 *
 * For the CMA (cma.c), which holds the frames it takes as free ones
 * (IOSIM_PAGE_POISON_FREE) and would otherwise write each of them twice.
 *
 * Context: process context; takes the page allocator lock.
 * Return: as alloc_contig_range().
 */
int iosim_alloc_contig_fill(unsigned long start, unsigned long end, unsigned int migratetype,
			    int fill)
{
	const struct iosim_ram_bank *b;
	void *virt;

	if (migratetype != MIGRATE_CMA && migratetype != MIGRATE_MOVABLE)
		return -EINVAL;
	if (!iosim_ram_ready() || start >= end)
		return -EINVAL;
	b = iosim_bank_of_pfn(start);
	if (!b || !pfns_in_bank(b, start, end - start) || pfn_zone(start) != pfn_zone(end - 1))
		return -EINVAL;

	pthread_mutex_lock(&zone_lock);
	if (!frames_all_free(start, end)) {
		pthread_mutex_unlock(&zone_lock);
		return -EBUSY;
	}
	virt = take_free_range(b, start, end);
	pthread_mutex_unlock(&zone_lock);
	fill_taken_range(virt, end - start, fill);
	return 0;
}

/**
 * iosim_contig_take_highest - find the highest free range and take it
 * @lo: the range starts at or above this pfn
 * @hi: and ends at or below this one
 * @nr: frames in it (not 0)
 * @align: its first pfn is a multiple of this (a power of two)
 * @fill: as iosim_alloc_contig_fill()
 * @first: set to the first pfn of the range found
 *
 * The CMA's placement of an area that is not fixed: top down, as memblock
 * allocates, the highest @nr frames of RAM that are all free, where RAM
 * runs on from one bank into the next if they are adjacent (memblock
 * merges such regions).  The range found is taken (filled with @fill) only
 * if it lies in one bank and one zone.  Search and take are one step under
 * the lock, so a concurrent allocation cannot slip in between.
 *
 * Context: process context; takes the page allocator lock.
 * Return: 0 (taken); -ENOMEM if no range is free; -EINVAL, with *@first
 * set and nothing taken, if the one found spans two banks or zones.
 */
int iosim_contig_take_highest(unsigned long lo, unsigned long hi, unsigned long nr,
			      unsigned long align, int fill, unsigned long *first)
{
	const struct iosim_ram_bank *b;
	unsigned long pfn = 0, top, bottom, c, nr_cand;
	unsigned int i;
	bool found = false;
	void *virt;

	if (!iosim_ram_ready())
		return -ENOMEM;
	pthread_mutex_lock(&zone_lock);
	/* Runs of adjacent banks, highest first; i ends on each run's lowest bank. */
	for (i = iosim_ram_state.nr_banks; i-- > 0 && !found; ) {
		const struct iosim_ram_bank *bk = iosim_ram_state.banks;
		unsigned long run_end = bk[i].base_pfn + bk[i].nr_pages;

		while (i && bk[i - 1].base_pfn + bk[i - 1].nr_pages == bk[i].base_pfn)
			i--;
		top = min(run_end, hi);
		bottom = ALIGN(max(bk[i].base_pfn, lo), align);
		if (top < nr || top - nr < bottom)
			continue;
		nr_cand = ((top - nr) & ~(align - 1)) - bottom;
		nr_cand = nr_cand / align + 1;
		for (c = 0; c < nr_cand && !found; c++) {
			pfn = ((top - nr) & ~(align - 1)) - c * align;
			found = frames_all_free(pfn, pfn + nr);
		}
	}
	if (!found) {
		pthread_mutex_unlock(&zone_lock);
		return -ENOMEM;
	}
	*first = pfn;
	b = iosim_bank_of_pfn(pfn);
	if (!pfns_in_bank(b, pfn, nr) || pfn_zone(pfn) != pfn_zone(pfn + nr - 1)) {
		pthread_mutex_unlock(&zone_lock);
		return -EINVAL;
	}
	virt = take_free_range(b, pfn, pfn + nr);
	pthread_mutex_unlock(&zone_lock);
	fill_taken_range(virt, nr, fill);
	return 0;
}

/**
 * alloc_contig_range - take the frames [@start, @end) out of the buddy allocator
 * @start: first pfn
 * @end: pfn past the last one
 * @migratetype: MIGRATE_CMA or MIGRATE_MOVABLE
 *
 * See <linux/gfp.h>: each frame becomes an independent order-0 page with
 * refcount 1, filled with IOSIM_PAGE_POISON_ALLOC; parts of free blocks
 * outside the range stay free.
 *
 * Context: process context; takes the page allocator lock.
 * Return: 0; -EINVAL for an empty range, one not wholly in one bank and one
 * zone, or another @migratetype; -EBUSY if any frame of it is in use.  On
 * error nothing was taken.
 */
int alloc_contig_range(unsigned long start, unsigned long end, unsigned migratetype)
{
	return iosim_alloc_contig_fill(start, end, migratetype, IOSIM_PAGE_POISON_ALLOC);
}

/**
 * free_contig_range - __free_page() each of @nr_pages pages from @pfn
 * @pfn: first pfn
 * @nr_pages: pages
 *
 * Context: process context; takes the page allocator lock per page.
 * Return: nothing; __free_pages() WARNs about (and skips) each page it would
 * refuse, a pfn outside RAM as a page outside RAM.
 */
void free_contig_range(unsigned long pfn, unsigned nr_pages)
{
	for (; nr_pages; nr_pages--, pfn++)
		__free_page(pfn_valid(pfn) ? pfn_to_page(pfn) : NULL);
}

/**
 * iosim_pfn_range_free - is every frame of [@start, @end) RAM and free?
 * @start: first pfn
 * @end: pfn past the last one
 *
 * The range may run from one bank into the next where they are adjacent
 * (as memblock sees RAM).
 *
 * Context: takes the page allocator lock.
 * Return: true if so; false for an empty range or without RAM.
 */
bool iosim_pfn_range_free(unsigned long start, unsigned long end)
{
	bool all_free;

	if (!iosim_ram_ready() || start >= end)
		return false;
	pthread_mutex_lock(&zone_lock);
	all_free = frames_all_free(start, end);
	pthread_mutex_unlock(&zone_lock);
	return all_free;
}

/**
 * iosim_pages_check_independent - find a frame that is not a page of its own
 * @pfn: first pfn
 * @nr: frames
 * @why: set to what is wrong with the frame found (NULL if none)
 *
 * A page of its own is what alloc_page() returns: allocated, order 0 (so
 * not compound), with at least one reference.
 *
 * Context: takes the page allocator lock.
 * Return: the offset of the first frame from @pfn that is not one, or @nr.
 */
unsigned long iosim_pages_check_independent(unsigned long pfn, unsigned long nr,
					    const char **why)
{
	unsigned long i;

	*why = NULL;
	pthread_mutex_lock(&zone_lock);
	for (i = 0; i < nr; i++) {
		const struct page *page;

		if (!iosim_ram_ready() || !iosim_bank_of_pfn(pfn + i)) {
			*why = "is outside RAM";
			break;
		}
		page = page_of(pfn + i);
		if (page_is_free(page))
			*why = "is free in the buddy allocator";
		else if (!page_is_alloc_head(page) || page->alloc_order)
			*why = "is part of a larger allocation";	/* compound ones too */
		else if (atomic_read(&page->_count) < 1)
			*why = "has no reference";
		if (*why)
			break;
	}
	pthread_mutex_unlock(&zone_lock);
	return i;
}

/* --- queries and the sanity checker ------------------------------------------- */

unsigned long iosim_ram_free_pages(void)
{
	unsigned long n;

	pthread_mutex_lock(&zone_lock);
	n = iosim_ram_ready() ? nr_free_pages_total : 0;
	pthread_mutex_unlock(&zone_lock);
	return n;
}

unsigned long iosim_ram_free_blocks(unsigned int order)
{
	unsigned long n = 0;

	if (order >= MAX_ORDER)
		return 0;
	pthread_mutex_lock(&zone_lock);
	if (iosim_ram_ready())
		n = nr_free_blocks[ZONE_DMA][order] + nr_free_blocks[ZONE_NORMAL][order];
	pthread_mutex_unlock(&zone_lock);
	return n;
}

unsigned long iosim_ram_zone_pages(enum zone_type zone)
{
	unsigned long n = 0;
	unsigned int i;

	if (zone >= MAX_NR_ZONES || !iosim_ram_ready())
		return 0;
	for (i = 0; i < iosim_ram_state.nr_banks; i++) {
		const struct iosim_ram_bank *b = &iosim_ram_state.banks[i];
		unsigned long start = b->base_pfn, end = start + b->nr_pages;
		unsigned long dma = start >= ZONE_DMA_END_PFN ? 0 :
				    min(end, ZONE_DMA_END_PFN) - start;

		n += zone == ZONE_DMA ? dma : b->nr_pages - dma;
	}
	return n;
}

unsigned long iosim_ram_zone_free_pages(enum zone_type zone)
{
	unsigned long n = 0;

	if (zone >= MAX_NR_ZONES)
		return 0;
	pthread_mutex_lock(&zone_lock);
	if (iosim_ram_ready())
		n = nr_free_zone[zone];
	pthread_mutex_unlock(&zone_lock);
	return n;
}

phys_addr_t iosim_ram_zone_dma_limit(void)
{
	return IOSIM_ZONE_DMA_LIMIT;
}

bool iosim_phys_is_allocated(phys_addr_t phys)
{
	bool allocated;

	if (!iosim_phys_is_ram(phys, 1))
		return false;
	pthread_mutex_lock(&zone_lock);
	allocated = !page_is_free(page_of((unsigned long)(phys >> PAGE_SHIFT)));
	pthread_mutex_unlock(&zone_lock);
	return allocated;
}

/* Stop reporting after this many problems: one corruption tends to cascade. */
#define CHECK_MAX_REPORTS	32

struct check_state {
	int problems;
};

static __printf(2, 3) void check_report(struct check_state *cs, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (cs->problems++ >= CHECK_MAX_REPORTS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	WARN(1, "iosim_ram_check: %s", msg);
}

/*
 * The index of the first frame from @i on of the free block at @page (@nr
 * frames) that is not free, holds references or, past the first, heads a
 * free block: @nr if none.  The checker runs this over every free frame of
 * RAM at the end of every fuzzed input; the caller has checked that the
 * block lies inside one bank, so the scan runs without the sanitizers'
 * checks per load (the reports read the bad frame again, checked).
 */
__attribute__((__no_sanitize__("address", "undefined")))
static unsigned long free_block_next_bad(const struct page *page, unsigned long i,
					 unsigned long nr)
{
	/*
	 * The count is read as atomic_read() does, spelt out: a compiler does
	 * not inline a sanitized helper into an unsanitized function, and a
	 * call per frame would cost more than the checks it saves.
	 */
	for (; i < nr; i++)
		if (!(page[i].flags & PAGE_FLAG(PG_iosim_free)) ||
		    __atomic_load_n(&page[i]._count.counter, __ATOMIC_RELAXED) ||
		    (i && (page[i].flags & PAGE_FLAG(PG_buddy))))
			break;
	return i;
}

/* The free lists: every entry is a well-formed free block of the list's order. */
static void check_free_lists(struct check_state *cs)
{
	unsigned long pfn, nr, i, total = 0, zone_total[MAX_NR_ZONES] = { 0 };
	unsigned int order, z;

	for (z = 0; z < MAX_NR_ZONES; z++) {
		for (order = 0; order < MAX_ORDER; order++) {
			struct list_head *pos, *head = &free_list[z][order];

			nr = 0;
			for (pos = head->next; pos != head; pos = pos->next) {
				struct page *page = list_entry(pos, struct page, lru);
				const struct iosim_ram_bank *bank;

				/* A corrupted list could loop: no list can hold more blocks than RAM. */
				if (++nr > iosim_ram_state.nr_pages || !iosim_page_valid(page)) {
					check_report(cs, "order-%u free list is corrupted", order);
					return;
				}
				pfn = pfn_of(page);
				if (!(page->flags & PAGE_FLAG(PG_buddy)) || page->private != order)
					check_report(cs, "pfn %#lx on the order-%u list is not marked as such a block",
						     pfn, order);
				if (pfn & ((1UL << order) - 1))
					check_report(cs, "free block pfn %#lx is not aligned to order %u",
						     pfn, order);
				bank = bank_of_page(page);
				if (!pfns_in_bank(bank, pfn, 1UL << order)) {
					check_report(cs, "free block pfn %#lx order %u runs past its bank's end",
						     pfn, order);
					continue;
				}
				if (pfn_zone(pfn) != z || pfn_zone(pfn + (1UL << order) - 1) != z)
					check_report(cs, "free block pfn %#lx order %u is not all in zone %u",
						     pfn, order, z);
				for (i = 0; (i = free_block_next_bad(page, i, 1UL << order)) <
					    (1UL << order); i++) {
					if (!page_is_free(page + i) || atomic_read(&page[i]._count))
						check_report(cs, "pfn %#lx in free block %#lx is not free (flags %#lx count %d)",
							     pfn + i, pfn, page[i].flags,
							     atomic_read(&page[i]._count));
					if (i && (page[i].flags & PAGE_FLAG(PG_buddy)))
						check_report(cs, "free blocks overlap at pfn %#lx",
							     pfn + i);
				}
				if (order < MAX_ORDER - 1 &&
				    pfn_is_free_block(bank, pfn ^ (1UL << order), order))
					check_report(cs, "free buddies %#lx and %#lx (order %u) are not merged",
						     pfn, pfn ^ (1UL << order), order);
			}
			if (nr != nr_free_blocks[z][order])
				check_report(cs, "zone %u order-%u list holds %lu blocks, counter says %lu",
					     z, order, nr, nr_free_blocks[z][order]);
			total += nr << order;
			zone_total[z] += nr << order;
		}
	}
	for (z = 0; z < MAX_NR_ZONES; z++)
		if (zone_total[z] != nr_free_zone[z])
			check_report(cs, "zone %u free lists hold %lu pages, counter says %lu",
				     z, zone_total[z], nr_free_zone[z]);
	if (total != nr_free_pages_total)
		check_report(cs, "free lists hold %lu pages, counter says %lu",
			     total, nr_free_pages_total);
}

/* Check the live block whose first page is @page. */
static void check_live_block(struct check_state *cs, struct page *page, unsigned long end_pfn)
{
	unsigned long pfn = pfn_of(page), i, nr;
	bool compound = page->flags & PAGE_FLAG(PG_head);

	/* 0 for a corrupted order, which may be too large to shift by. */
	nr = page->alloc_order < MAX_ORDER ? 1UL << page->alloc_order : 0;
	if (!nr || pfn + nr > end_pfn) {
		check_report(cs, "live block at pfn %#lx has impossible order %u (or crosses its bank's end)",
			     pfn, page->alloc_order);
		return;
	}
	if (pfn_zone(pfn) != pfn_zone(pfn + nr - 1))
		check_report(cs, "live block at pfn %#lx order %u crosses the ZONE_DMA boundary",
			     pfn, page->alloc_order);
	if (pfn & (nr - 1))
		check_report(cs, "live block at pfn %#lx is not aligned to order %u",
			     pfn, page->alloc_order);
	if (atomic_read(&page->_count) <= 0)
		check_report(cs, "live block at pfn %#lx has refcount %d", pfn,
			     atomic_read(&page->_count));
	if (compound && page->compound_order != page->alloc_order)
		check_report(cs, "compound head pfn %#lx has order %u, allocated as %u",
			     pfn, page->compound_order, page->alloc_order);
	if (compound && !page->alloc_order)
		check_report(cs, "order-0 page at pfn %#lx is marked compound", pfn);
	if (page->flags & PAGE_FLAG(PG_tail))
		check_report(cs, "live block at pfn %#lx starts with a tail page", pfn);
	for (i = 1; i < nr; i++) {
		struct page *p = page + i;

		if (p->flags & (PAGE_FLAG(PG_iosim_free) | PAGE_FLAG(PG_iosim_alloc) |
				PAGE_FLAG(PG_buddy)))
			check_report(cs, "pfn %#lx inside live block %#lx is also free or a block head",
				     pfn + i, pfn);
		if (atomic_read(&p->_count))
			check_report(cs, "pfn %#lx inside live block %#lx has refcount %d",
				     pfn + i, pfn, atomic_read(&p->_count));
		if (compound != !!(p->flags & PAGE_FLAG(PG_tail)) ||
		    (compound && p->first_page != page))
			check_report(cs, "pfn %#lx inside block %#lx: compound tail state is wrong",
				     pfn + i, pfn);
		if (p->flags & PAGE_FLAG(PG_head))
			check_report(cs, "pfn %#lx inside block %#lx is a compound head",
				     pfn + i, pfn);
	}
}

/*
 * Walk each bank's frames in order: they must tile exactly into free blocks
 * and live blocks that end inside the bank.
 */
static void check_mem_map(struct check_state *cs)
{
	unsigned long free_pages = 0, alloc_pages_seen = 0, banked = 0;
	unsigned long blocks[MAX_ORDER] = { 0 };
	unsigned int order, i;

	for (i = 0; i < iosim_ram_state.nr_banks; i++) {
		const struct iosim_ram_bank *b = &iosim_ram_state.banks[i];
		unsigned long pfn = b->base_pfn, end_pfn = pfn + b->nr_pages;
		unsigned long bank_free = 0, bank_alloc = 0;

		if (b->first_index != banked)
			check_report(cs, "bank %u starts at frame index %lu, not %lu",
				     i, b->first_index, banked);
		banked += b->nr_pages;
		while (pfn < end_pfn) {
			struct page *page = iosim_ram_state.mem_map + b->first_index +
					    (pfn - b->base_pfn);

			if (page->flags & PAGE_FLAG(PG_buddy)) {
				order = (unsigned int)page->private;
				if (order >= MAX_ORDER || pfn + (1UL << order) > end_pfn) {
					check_report(cs, "free block at pfn %#lx order %lu crosses the end of bank %u",
						     pfn, page->private, i);
					pfn++;
					continue;
				}
				blocks[order]++;
				bank_free += 1UL << order;
				pfn += 1UL << order;
			} else if (page_is_alloc_head(page)) {
				if (page_is_free(page))
					check_report(cs, "pfn %#lx is both free and allocated", pfn);
				check_live_block(cs, page, end_pfn);
				order = min_t(unsigned int, page->alloc_order, MAX_ORDER - 1);
				bank_alloc += 1UL << order;
				pfn += 1UL << order;
			} else {
				check_report(cs, "pfn %#lx belongs to no free or live block (flags %#lx)",
					     pfn, page->flags);
				pfn++;
			}
		}
		/* A block overrunning the bank is already reported; this catches the rest. */
		if (bank_free + bank_alloc != b->nr_pages)
			check_report(cs, "bank %u: free %lu + allocated %lu pages != its %lu pages",
				     i, bank_free, bank_alloc, b->nr_pages);
		free_pages += bank_free;
		alloc_pages_seen += bank_alloc;
	}
	if (banked != iosim_ram_state.nr_pages)
		check_report(cs, "banks hold %lu pages, RAM has %lu", banked,
			     iosim_ram_state.nr_pages);
	for (order = 0; order < MAX_ORDER; order++)
		if (blocks[order] != nr_free_blocks[ZONE_DMA][order] +
				     nr_free_blocks[ZONE_NORMAL][order])
			check_report(cs, "mem_map has %lu free order-%u blocks, lists have %lu",
				     blocks[order], order,
				     nr_free_blocks[ZONE_DMA][order] +
				     nr_free_blocks[ZONE_NORMAL][order]);
	if (free_pages + alloc_pages_seen != iosim_ram_state.nr_pages)
		check_report(cs, "free %lu + allocated %lu pages != RAM %lu pages",
			     free_pages, alloc_pages_seen, iosim_ram_state.nr_pages);
	if (alloc_pages_seen != nr_alloc_pages)
		check_report(cs, "%lu pages allocated, counter says %lu",
			     alloc_pages_seen, nr_alloc_pages);
	if ((long)alloc_pages_seen != iosim_live(IOSIM_OBJ_PAGE))
		check_report(cs, "%lu pages allocated, live count says %ld",
			     alloc_pages_seen, iosim_live(IOSIM_OBJ_PAGE));
}

int iosim_ram_check(void)
{
	struct check_state cs = { 0 };

	if (!iosim_ram_ready())
		return 0;
	pthread_mutex_lock(&zone_lock);
	check_free_lists(&cs);
	check_mem_map(&cs);
	pthread_mutex_unlock(&zone_lock);
	return cs.problems ? -EUCLEAN : 0;
}

/* --- touched frames and the reset to fresh (ram_reset.c) --------------------- */

/*
 * While tracking is on, every allocation notes, by frame index (position in
 * mem_map), the frames whose contents it hands out (TOUCH_CONTENTS) and the
 * first frames of the blocks its split may have put on the free lists
 * (TOUCH_PAGE: the buddies of the block's ancestors).  Frees and merges only
 * change frames that are one of these or an initial free block's first
 * frame, so with every frame free again the noted frames plus the free
 * lists' current heads are everything that differs from a fresh RAM.  Each
 * frame is listed once (touch_map); the tracking belongs to the RAM whose
 * mem_map it was started on.  zone_lock protects all of it.
 */
#define TOUCH_CONTENTS	1U
#define TOUCH_PAGE	2U

static unsigned char *touch_map;	/* per frame index: TOUCH_* bits */
static unsigned long *touch_list;	/* frame indexes with a bit set */
static unsigned long nr_touched;
static const struct page *touch_mem_map;
static unsigned long touch_nr_pages;

static bool touch_tracking(void)
{
	return touch_map && touch_mem_map == iosim_ram_state.mem_map &&
	       touch_nr_pages == iosim_ram_state.nr_pages;
}

static void touch_frame(unsigned long idx, unsigned int what)
{
	if (!touch_map[idx])
		touch_list[nr_touched++] = idx;
	touch_map[idx] |= what;
}

/*
 * alloc_pages(), zone_lock held: note what the allocation of @page (@order)
 * changed.  Return: true if no frame of the block had its contents handed
 * out since tracking started or RAM was last reset, so that all of them
 * still hold the zeros of a fresh RAM; false without tracking.
 */
bool iosim_buddy_note_alloc(struct page *page, unsigned int order)
{
	const struct iosim_ram_bank *b;
	unsigned long pfn, idx, i;
	bool untouched = true;
	unsigned int k;

	if (!page || !touch_tracking())
		return false;
	b = bank_of_page(page);
	pfn = pfn_of(page);
	idx = (unsigned long)(page - iosim_ram_state.mem_map);
	for (i = 0; i < (1UL << order); i++) {
		untouched &= !(touch_map[idx + i] & TOUCH_CONTENTS);
		touch_frame(idx + i, TOUCH_CONTENTS);
	}
	/* The free heads the splits left: the ancestors' buddies, in this bank only. */
	for (k = order; k < MAX_ORDER - 1; k++) {
		unsigned long buddy = (pfn & ~((1UL << k) - 1)) ^ (1UL << k);

		if (pfns_in_bank(b, buddy, 1))
			touch_frame((unsigned long)(page_of(buddy) - iosim_ram_state.mem_map),
				    TOUCH_PAGE);
	}
	return untouched;
}

/*
 * buddy_free() of a block the caller zeroed, zone_lock held: its frames hold
 * a fresh RAM's bytes again, so the reset need not zero them (they stay
 * listed: their struct pages changed).
 */
static void buddy_note_zeroed(struct page *page, unsigned long nr)
{
	unsigned long idx, i;

	if (!touch_tracking())
		return;
	idx = (unsigned long)(page - iosim_ram_state.mem_map);
	for (i = 0; i < nr; i++)
		if (touch_map[idx + i] & TOUCH_CONTENTS)
			touch_map[idx + i] = (touch_map[idx + i] & ~TOUCH_CONTENTS) | TOUCH_PAGE;
}

/**
 * iosim_buddy_track_start - start (or stop) noting the frames allocations touch
 * @map: iosim_ram_nr_pages() zeroed bytes, or NULL to stop tracking
 * @list: room for iosim_ram_nr_pages() frame indexes (ignored with @map NULL)
 *
 * The caller owns both arrays and keeps them until tracking stops (another
 * call) or RAM is destroyed.  Start on a fresh RAM (just created, or just
 * reset by iosim_buddy_reset_touched()): what was touched before is not known.
 *
 * Context: process context; takes the page allocator lock.
 * Return: 0; -ENODEV without RAM (tracking stopped).
 */
int iosim_buddy_track_start(unsigned char *map, unsigned long *list)
{
	int ret = 0;

	pthread_mutex_lock(&zone_lock);
	touch_map = NULL;
	touch_list = NULL;
	nr_touched = 0;
	if (!iosim_ram_ready())
		ret = -ENODEV;
	else if (map) {
		touch_map = map;
		touch_list = list;
		touch_mem_map = iosim_ram_state.mem_map;
		touch_nr_pages = iosim_ram_state.nr_pages;
	}
	pthread_mutex_unlock(&zone_lock);
	return ret;
}

/** iosim_buddy_nr_touched - frames noted since tracking started or the last reset. */
unsigned long iosim_buddy_nr_touched(void)
{
	unsigned long n;

	pthread_mutex_lock(&zone_lock);
	n = touch_tracking() ? nr_touched : 0;
	pthread_mutex_unlock(&zone_lock);
	return n;
}

/*
 * What iosim_buddy_init() leaves on a frame that heads no block: mem_map
 * is calloc()ed, then marked free.  The fresh check compares with this.
 */
static void fresh_struct_page_reference(struct page *page)
{
	memset(page, 0, sizeof(*page));
	set_frame_free(page);
}

/*
 * Make @page's struct page the same, field by field: the reset does this
 * for every frame an input touched, and a memset() of each is a call with
 * two range checks under AddressSanitizer.  mark_frames_free() sets every
 * field but the list linkage; a field it missed would differ from the
 * reference, which the fresh check (the order tests) would report.
 */
static void fresh_struct_page(struct page *page)
{
	mark_frames_free(page, 1);
	page->lru.next = NULL;
	page->lru.prev = NULL;
}

static void canonical_add(unsigned long pfn, unsigned int order, void *arg)
{
	fresh_struct_page(page_of(pfn));
	fresh_block_add(pfn, order, arg);
}

/**
 * iosim_buddy_reset_touched - put a wholly free RAM back to its fresh state
 * @reset_frame: called for each frame whose contents were handed out since
 *	tracking started or the last reset (zone_lock held: it must not
 *	allocate); it restores what the frame's bytes look like fresh
 *
 * Every noted frame's struct page and every free block's first frame get
 * their fresh state back and the free lists are rebuilt in the fresh order,
 * so the next allocations return the addresses a fresh RAM would.  Cost:
 * the noted frames plus the free blocks, not the size of RAM.
 *
 * Context: process context, no concurrent RAM users; takes the page
 * allocator lock.
 * Return: 0 (tracking goes on, from nothing noted); -ENODEV without RAM;
 * -ESTALE if tracking was not started on this RAM; -EBUSY if any page is
 * allocated.  On error nothing changed.
 */
int iosim_buddy_reset_touched(void (*reset_frame)(struct page *page))
{
	unsigned int order, z;
	unsigned long i;
	int ret = 0;

	pthread_mutex_lock(&zone_lock);
	if (!iosim_ram_ready()) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (!touch_tracking()) {
		ret = -ESTALE;
		goto out_unlock;
	}
	if (nr_alloc_pages || nr_free_pages_total != iosim_ram_state.nr_pages) {
		ret = -EBUSY;
		goto out_unlock;
	}
	for (z = 0; z < MAX_NR_ZONES; z++) {
		for (order = 0; order < MAX_ORDER; order++) {
			struct page *page, *next;

			list_for_each_entry_safe(page, next, &free_list[z][order], lru)
				fresh_struct_page(page);
			INIT_LIST_HEAD(&free_list[z][order]);
			nr_free_blocks[z][order] = 0;
		}
		nr_free_zone[z] = 0;
	}
	for (i = 0; i < nr_touched; i++) {
		unsigned long idx = touch_list[i];
		struct page *page = iosim_ram_state.mem_map + idx;

		if ((touch_map[idx] & TOUCH_CONTENTS) && reset_frame)
			reset_frame(page);
		fresh_struct_page(page);
		touch_map[idx] = 0;
	}
	nr_touched = 0;
	canonical_blocks(canonical_add, NULL);
out_unlock:
	pthread_mutex_unlock(&zone_lock);
	return ret;
}

struct fresh_walk {
	struct list_head *next[MAX_NR_ZONES][MAX_ORDER];	/* next list entry expected */
	int problems;
};

static void fresh_expect_block(unsigned long pfn, unsigned int order, void *arg)
{
	struct fresh_walk *w = arg;
	enum zone_type z = pfn_zone(pfn);
	struct page *page = page_of(pfn);

	if (w->next[z][order] != &page->lru && w->problems++ < CHECK_MAX_REPORTS)
		WARN(1, "iosim_buddy_check_fresh: pfn %#lx is not the next order-%u free block of a fresh RAM",
		     pfn, order);
	w->next[z][order] = page->lru.next;
}

/**
 * iosim_buddy_check_fresh - is the allocator in the state a fresh RAM has?
 *
 * Every frame's struct page is as iosim_buddy_init() leaves it, the free
 * lists hold the fresh blocks in the fresh order, the counters agree.
 *
 * Context: takes the page allocator lock; O(frames).
 * Return: 0 (also without RAM); -EUCLEAN after WARNing what differs.
 */
int iosim_buddy_check_fresh(void)
{
	struct fresh_walk w = { .problems = 0 };
	unsigned int order, z;
	unsigned long i;

	pthread_mutex_lock(&zone_lock);
	if (!iosim_ram_ready())
		goto out_unlock;
	for (z = 0; z < MAX_NR_ZONES; z++)
		for (order = 0; order < MAX_ORDER; order++)
			w.next[z][order] = free_list[z][order].next;
	canonical_blocks(fresh_expect_block, &w);
	for (z = 0; z < MAX_NR_ZONES; z++)
		for (order = 0; order < MAX_ORDER; order++)
			if (w.next[z][order] != &free_list[z][order] && w.problems++ < CHECK_MAX_REPORTS)
				WARN(1, "iosim_buddy_check_fresh: the zone %u order-%u list holds more than a fresh RAM's blocks",
				     z, order);
	for (i = 0; i < iosim_ram_state.nr_pages; i++) {
		const struct page *page = iosim_ram_state.mem_map + i;
		bool head = page->flags & PAGE_FLAG(PG_buddy);
		struct page fresh;

		fresh_struct_page_reference(&fresh);
		if (head) {
			fresh.flags |= PAGE_FLAG(PG_buddy);
			fresh.private = page->private;
			fresh.lru = page->lru;
		}
		if (memcmp(page, &fresh, sizeof(fresh)) && w.problems++ < CHECK_MAX_REPORTS)
			WARN(1, "iosim_buddy_check_fresh: the struct page of frame %lu (pfn %#lx) is not as fresh (flags %#lx)",
			     i, pfn_of(page), page->flags);
	}
	if ((nr_alloc_pages || nr_free_pages_total != iosim_ram_state.nr_pages) &&
	    w.problems++ < CHECK_MAX_REPORTS)
		WARN(1, "iosim_buddy_check_fresh: %lu pages allocated, %lu free", nr_alloc_pages,
		     nr_free_pages_total);
	/* The tracking: the list holds exactly the marked frames, each once. */
	if (touch_tracking()) {
		unsigned long marked = 0;

		for (i = 0; i < iosim_ram_state.nr_pages; i++)
			marked += touch_map[i] != 0;
		for (i = 0; i < nr_touched; i++)
			if (touch_list[i] >= touch_nr_pages || !touch_map[touch_list[i]])
				marked = ULONG_MAX;
		if (marked != nr_touched && w.problems++ < CHECK_MAX_REPORTS)
			WARN(1, "iosim_buddy_check_fresh: %lu frames listed as touched, the map disagrees",
			     nr_touched);
	}
out_unlock:
	pthread_mutex_unlock(&zone_lock);
	return w.problems ? -EUCLEAN : 0;
}
