// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * White-box tests of the slab allocator's sanity checker, iosim_slab_check()
 * (<iosim/slab.h>, compat/mm/slab_check.c).
 *
 * Each test builds a small, consistent slab state with the public API, then
 * plants one corruption at a time by editing the allocator's private
 * bookkeeping (compat/mm/slab_internal.h: slab page descriptors, pools, the
 * registry of live objects, the stale and large lists), a struct page, or
 * slab memory through a second mapping of its frame (as a device would), and
 * asserts that the checker returns -EUCLEAN with exactly the expected number
 * of WARNs, among them the report that describes the corruption.  The
 * structure is then restored exactly and the checker must pass again.
 * Counting the WARNs makes every assertion fail if the report it looks for
 * were deleted from the checker, even where one corruption causes several.
 *
 * The poison reports (free slots, redzones, kmalloc_large tails) can only
 * be provoked under AddressSanitizer, which the checker asks; elsewhere
 * that test skips.
 */
#include "iosim_test.h"
#include "ram_fixture.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include <iosim/slab.h>
#include <iosim/warn.h>

/* White box: the allocator's private structures (compat/mm). */
#include "slab_internal.h"

/* slab_check.c's CHECK_MAX_REPORTS: problems past this many are counted, not WARNed. */
#define CHECK_MAX_REPORTS	32

/* --- helpers ------------------------------------------------------------------- */

/*
 * The checker fails with exactly @nr WARNs.  The caller then asserts which
 * reports they are: assert_reported() for all but one, assert_warned() for
 * the last (it consumes the record).
 */
#define assert_check_finds(nr) do {					\
	assert_int_equal(iosim_slab_check(), -EUCLEAN);			\
	assert_int_equal(iosim_warn_count(), (nr));			\
} while (0)

/* A WARN containing @substr was recorded (the record is kept). */
static void assert_reported_at(const char *substr, const char *file, int line)
{
	const struct iosim_warn_hit *last;

	if (iosim_warn_seen(substr))
		return;
	last = iosim_warn_last();
	print_error("expected a report containing \"%s\"; last WARN: %s\n", substr,
		    last ? last->msg : "(none)");
	_fail(file, line);
}

#define assert_reported(substr)	assert_reported_at((substr), __FILE__, __LINE__)

#define assert_slab_ok()	assert_int_equal(iosim_slab_check(), 0)

/* printf into one of a few static buffers: the text of a report to look for. */
static __printf(1, 2) const char *text(const char *fmt, ...)
{
	static char bufs[4][200];
	static unsigned int next;
	char *buf = bufs[next++ % ARRAY_SIZE(bufs)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(bufs[0]), fmt, ap);
	va_end(ap);
	return buf;
}

/* The registry entry of the live object at @p. */
static struct slab_obj *registry_entry(const void *p)
{
	struct slab_obj *obj, *tmp;

	HASH_ITER(hh, slab_registry, obj, tmp)
		if (obj->ptr == p)
			return obj;
	fail_msg("%p is not in the registry", p);
	return NULL;
}

/* The descriptor of the slab page holding the live object at @p. */
static struct slab_page *slab_of(const void *p)
{
	struct slab_obj *obj = registry_entry(p);

	assert_int_equal(obj->backing, SLAB_BACKING_SLAB);
	assert_non_null(obj->slab);
	return obj->slab;
}

/* The slot index of the object at @p in @slab. */
static unsigned int slot_of(const struct slab_page *slab, const void *p)
{
	return (unsigned int)(((const char *)p - slab->base) / slab->pool->slot_bytes);
}

/* Every test leaves no slab page and no page behind. */
static void assert_no_slab_pages(void)
{
	assert_int_equal(iosim_slab_nr_pages(), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
}

/* --- the free-slot stack of a slab page ----------------------------------------- */

/*
 * The checker's scratch bitmap is host memory (IOSIM_FAULT_HOST), got for
 * the first slab page it checks: refused, the checker says it could not
 * check that page, and the next check, given memory, passes.
 */
static void test_a_refused_scratch_bitmap_is_reported(void **state)
{
	void *obj = kmalloc(100, GFP_KERNEL);

	(void)state;
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_HOST), 1);
	assert_check_finds(1);
	assert_int_equal(iosim_fault_injected(), 1);
	iosim_fault_reset();
	assert_warned("kmalloc-128: out of host memory checking a slab page");
	assert_slab_ok();
	kfree(obj);
}

static void test_free_slot_stack_corruption_is_reported(void **state)
{
	void *obj = kmalloc(100, GFP_KERNEL);
	struct slab_page *slab = slab_of(obj);
	struct slab_pool *pool = slab->pool;
	unsigned int n = slab->nr_slots, saved, saved_next;

	(void)state;
	/* kmalloc-128: one object in slot 0, the other slots on the free stack. */
	assert_ptr_equal(pool, &kmalloc_pools[0]);
	assert_int_equal(n, PAGE_SIZE / 128);
	assert_int_equal(slab->nr_free, n - 1);
	assert_slab_ok();

	/* A free-stack entry names a slot past the end of the slab page. */
	saved = slab->free_idx[0];
	slab->free_idx[0] = slab->nr_slots;
	assert_check_finds(1);
	assert_warned(text("slab page %p: free slot index %u out of range", (void *)slab->base, n));
	slab->free_idx[0] = saved;
	assert_slab_ok();

	/*
	 * One free slot is pushed twice (the entry below the top repeats the
	 * top): the counts still add up, the stack does not.
	 */
	saved = slab->free_idx[slab->nr_free - 2];
	saved_next = slab->free_idx[slab->nr_free - 1];
	slab->free_idx[slab->nr_free - 2] = saved_next;
	assert_check_finds(1);
	assert_warned(text("slab page %p: slot %u is free twice", (void *)slab->base, saved_next));
	slab->free_idx[slab->nr_free - 2] = saved;
	assert_slab_ok();

	/* A free slot is also marked in use: then the in-use count is one too many. */
	saved = slab->free_idx[0];
	__set_bit(saved, slab->inuse);
	assert_check_finds(2);
	assert_reported(text("2 slots in use + %u free != %u slots", n - 1, n));
	assert_warned(text("slab page %p: slot %u is both free and in use", (void *)slab->base,
			   saved));
	__clear_bit(saved, slab->inuse);
	assert_slab_ok();

	/*
	 * The top free slot drops off the stack without being marked in use: a
	 * slot is lost, and the slab page (and so its pool) seem to hold one
	 * object more than the registry knows.
	 */
	slab->nr_free--;
	assert_check_finds(3);
	assert_reported(text("1 slots in use + %u free != %u slots", n - 2, n));
	assert_reported("kmalloc-128: 2 slots in use, the pool counts 1 objects");
	assert_warned(text("slab page %p has 2 slots in use but 1 registered objects",
			   (void *)slab->base));
	slab->nr_free++;
	assert_slab_ok();

	kfree(obj);
	assert_no_slab_pages();
}

/* One corruption can cascade: the checker WARNs about the first 32 problems only. */
static void test_reports_stop_after_the_first_32(void **state)
{
	struct kmem_cache *c = kmem_cache_create("tiny", 8, 0, 0, NULL);
	enum { NR_BAD = CHECK_MAX_REPORTS + 8 };
	unsigned int saved[NR_BAD], i;
	struct slab_page *slab;
	void *obj;

	(void)state;
	assert_non_null(c);
	obj = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(obj);
	slab = slab_of(obj);
	assert_int_equal(slab->nr_slots, PAGE_SIZE / 8);
	assert_true(slab->nr_free >= NR_BAD);

	/* 40 free-stack entries out of range: 40 problems, one report each... */
	for (i = 0; i < NR_BAD; i++) {
		saved[i] = slab->free_idx[i];
		slab->free_idx[i] = slab->nr_slots + i;
	}
	/* ... but only the first 32 are WARNed. */
	assert_check_finds(CHECK_MAX_REPORTS);
	assert_reported(text("free slot index %u out of range", slab->nr_slots));
	assert_reported(text("free slot index %u out of range",
			     slab->nr_slots + CHECK_MAX_REPORTS - 1));
	assert_false(iosim_warn_seen(text("free slot index %u out of range",
					  slab->nr_slots + CHECK_MAX_REPORTS)));
	iosim_warn_reset();
	for (i = 0; i < NR_BAD; i++)
		slab->free_idx[i] = saved[i];
	assert_slab_ok();

	kmem_cache_free(c, obj);
	kmem_cache_destroy(c);
	assert_no_slab_pages();
}

/* --- a slab page's descriptor --------------------------------------------------- */

static void test_slab_page_descriptor_corruption_is_reported(void **state)
{
	struct kmem_cache *one = kmem_cache_create("one", 64, 0, 0, NULL);
	struct kmem_cache *two = kmem_cache_create("two", 64, 0, 0, NULL);
	void *obj = kmalloc(100, GFP_KERNEL), *cobj;
	struct slab_page *slab = slab_of(obj), *cslab;
	struct slab_pool *pool = slab->pool;
	struct page *page = slab->page, *other;
	unsigned int n = slab->nr_slots, saved;
	unsigned long saved_private;

	(void)state;
	assert_non_null(one);
	assert_non_null(two);
	cobj = kmem_cache_alloc(one, GFP_KERNEL);
	assert_non_null(cobj);
	cslab = slab_of(cobj);
	assert_slab_ok();

	/* A slab page still on its pool's lists is marked stale (its RAM gone). */
	slab->stale = true;
	assert_check_finds(1);
	assert_warned(text("kmalloc-128: slab page %p on its lists is stale",
			   (void *)slab->base));
	slab->stale = false;
	assert_slab_ok();

	/*
	 * A slab page on the lists of cache "one" says it belongs to cache
	 * "two": reported for the page, and for the object in it.
	 */
	cslab->pool = &two->pool;
	assert_check_finds(2);
	assert_reported(text("object %p of one sits in a slab page of two", cobj));
	assert_warned(text("one: slab page %p on its lists is another pool's",
			   (void *)cslab->base));
	cslab->pool = &one->pool;
	assert_slab_ok();

	/* The head page's owner marker overwritten: the page is not known as a slab page. */
	saved_private = page->private;
	page->private = 0;
	assert_check_finds(1);
	assert_warned(text("kmalloc-128: slab page %p: its page is not marked as a slab page",
			   (void *)slab->base));
	page->private = saved_private;
	assert_slab_ok();

	/* The head page no longer heads an allocation of the slab page's order. */
	saved = page->alloc_order;
	page->alloc_order = 1;
	assert_check_finds(1);
	assert_warned(text("slab page %p is not an allocated order-0 block", (void *)slab->base));
	page->alloc_order = saved;
	assert_slab_ok();

	/*
	 * The descriptor points at another allocated page, marked as this slab
	 * page's (so only the address it maps at betrays it).
	 */
	other = alloc_page(GFP_KERNEL);
	assert_non_null(other);
	saved_private = other->private;
	other->private = (unsigned long)slab;
	slab->page = other;
	assert_check_finds(1);
	assert_warned(text("slab page %p: its page maps at %p", (void *)slab->base,
			   page_address(other)));
	slab->page = page;
	other->private = saved_private;
	assert_slab_ok();
	__free_page(other);

	/* The pool's geometry changed under its slab pages. */
	saved = pool->order;
	assert_int_equal(saved, 0);
	pool->order = 1;
	assert_check_finds(1);
	assert_warned(text("slab page %p has order 0/%u slots, the pool 1/%u", (void *)slab->base,
			   n, n));
	pool->order = saved;
	assert_slab_ok();

	/* More free slots than slots: the stack is not looked at, the pool's count is off. */
	saved = slab->nr_free;
	slab->nr_free = slab->nr_slots + 1;
	assert_check_finds(2);
	assert_reported("kmalloc-128: 0 slots in use, the pool counts 1 objects");
	assert_warned(text("slab page %p: %u free of %u slots", (void *)slab->base, n + 1, n));
	slab->nr_free = saved;
	assert_slab_ok();

	/* A slab page with free slots moved to its pool's full list. */
	list_move(&slab->list, &pool->full);
	assert_check_finds(1);
	assert_warned(text("slab page %p with %u free slots is on the full list",
			   (void *)slab->base, n - 1));
	list_move(&slab->list, &pool->partial);
	assert_slab_ok();

	kfree(obj);
	kmem_cache_free(one, cobj);
	kmem_cache_destroy(one);
	kmem_cache_destroy(two);
	assert_no_slab_pages();
}

static void ctor_fill(void *p)
{
	memset(p, 0x5c, 64);
}

/*
 * A slab page whose last object was freed must go back to the page
 * allocator.  Planted by pushing the live object's slot back on the free
 * stack (slab_pool_alloc() leaves the popped index in the array): the page
 * looks empty.  A cache with a constructor is used because the checker does
 * not scan free constructed slots for the free poison, so it does not
 * re-poison the live object's slot while looking at it.
 */
static void test_empty_slab_page_on_a_list_is_reported(void **state)
{
	struct kmem_cache *c = kmem_cache_create("ctor", 64, 0, 0, ctor_fill);
	struct slab_page *slab;
	unsigned long nr;
	void *obj;

	(void)state;
	assert_non_null(c);
	obj = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(obj);
	slab = slab_of(obj);
	assert_int_equal(slab->nr_free, slab->nr_slots - 1);
	assert_int_equal(slab->free_idx[slab->nr_free], slot_of(slab, obj));
	assert_slab_ok();

	slab->nr_free++;
	/*
	 * Also reported: the slot is free and in use, the counts do not add
	 * up, the pool and the registry have an object the page does not;
	 * under ASan the live object's free slot is not poisoned either.
	 */
	nr = 5;
#ifdef TEST_ASAN
	nr++;
	assert_check_finds(nr);
	assert_reported(text("ctor: free slot %p is not poisoned", obj));
#else
	assert_check_finds(nr);
#endif
	assert_reported(text("slot %u is both free and in use", slot_of(slab, obj)));
	assert_reported(text("1 slots in use + %u free != %u slots", slab->nr_slots,
			     slab->nr_slots));
	assert_reported("ctor: 0 slots in use, the pool counts 1 objects");
	assert_reported("has 0 slots in use but 1 registered objects");
	assert_warned(text("ctor: slab page %p is empty but was not freed", (void *)slab->base));
	slab->nr_free--;
	assert_slab_ok();

	kmem_cache_free(c, obj);
	kmem_cache_destroy(c);
	assert_no_slab_pages();
}

/* --- a pool's counters ----------------------------------------------------------- */

static void test_pool_counter_corruption_is_reported(void **state)
{
	struct kmem_cache *c = kmem_cache_create("counted", 200, 0, 0, NULL);
	struct slab_pool *pool;
	void *obj;

	(void)state;
	assert_non_null(c);
	obj = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(obj);
	pool = &c->pool;
	assert_int_equal(pool->nr_slabs, 1);
	assert_int_equal(pool->nr_objects, 1);
	assert_slab_ok();

	/* The pool counts a slab page that is on neither list. */
	pool->nr_slabs++;
	assert_check_finds(1);
	assert_warned("counted: 1 slab pages on the lists, the pool counts 2");
	pool->nr_slabs--;
	assert_slab_ok();

	/* The pool counts an object no slot holds. */
	pool->nr_objects++;
	assert_check_finds(1);
	assert_warned("counted: 1 slots in use, the pool counts 2 objects");
	pool->nr_objects--;
	assert_slab_ok();

	kmem_cache_free(c, obj);
	kmem_cache_destroy(c);
	assert_no_slab_pages();
}

/* --- registry entries of objects in slab pages ------------------------------------ */

static void test_slab_object_registry_corruption_is_reported(void **state)
{
	char *a = kmalloc(128, GFP_KERNEL), *b = kmalloc(128, GFP_KERNEL);
	struct slab_obj *entry = registry_entry(a);
	struct slab_page *slab = slab_of(a);
	const void *saved_ptr = entry->ptr;
	size_t saved_usable = entry->usable;
	unsigned int idx = slot_of(slab, a);

	(void)state;
	/* Two whole-slot objects side by side in one kmalloc-128 slab page. */
	assert_ptr_equal(b, a + 128);
	assert_ptr_equal(slab_of(b), slab);
	assert_slab_ok();

	/* The entry's address lies past the end of its slab page. */
	entry->ptr = slab->base + (size_t)slab->nr_slots * slab->pool->slot_bytes;
	assert_check_finds(1);
	assert_warned(text("kmalloc-128: object %p lies outside its slab page %p", entry->ptr,
			   (void *)slab->base));
	entry->ptr = saved_ptr;
	assert_slab_ok();

	/* The entry's address is inside slot 0 (still accessible: b follows), not its start. */
	entry->ptr = a + 8;
	assert_check_finds(1);
	assert_warned(text("kmalloc-128: object %p does not start a slot", (void *)(a + 8)));
	entry->ptr = saved_ptr;
	assert_slab_ok();

	/* The object's slot is not marked in use: it is also counted as neither free nor used. */
	__clear_bit(idx, slab->inuse);
	assert_check_finds(2);
	assert_reported(text("1 slots in use + %u free != %u slots", slab->nr_slots - 2,
			     slab->nr_slots));
	assert_warned(text("kmalloc-128: object %p is in slot %u, which is marked free", (void *)a,
			   idx));
	__set_bit(idx, slab->inuse);
	assert_slab_ok();

	/* The entry claims more usable bytes than the pool's objects have. */
	entry->usable++;
	assert_check_finds(1);
	assert_warned(text("kmalloc-128: object %p claims 128 of 129 bytes, %s", (void *)a,
			   "the pool's objects have 128"));
	entry->usable = saved_usable;
	assert_slab_ok();

	/*
	 * The entry says the object is on the host heap: it is in simulated
	 * RAM, and its slab page now holds one registered object fewer than
	 * its slots in use.
	 */
	entry->backing = SLAB_BACKING_MALLOC;
	assert_check_finds(2);
	assert_reported(text("heap object %p lies in simulated RAM", (void *)a));
	assert_warned(text("kmalloc-128: slab page %p has 2 slots in use but 1 registered objects",
			   (void *)slab->base));
	entry->backing = SLAB_BACKING_SLAB;
	assert_slab_ok();

	kfree(a);
	kfree(b);
	assert_no_slab_pages();
}

/* --- kmalloc_large blocks --------------------------------------------------------- */

static void test_large_object_corruption_is_reported(void **state)
{
	struct kmem_cache *idle = kmem_cache_create("idle", 32, 0, 0, NULL);
	char *large = kmalloc(PAGE_SIZE + 100, GFP_KERNEL);
	struct slab_obj *entry = registry_entry(large);
	struct page *head = virt_to_page(large), *other;
	unsigned long saved_private;
	size_t saved_usable;

	(void)state;
	assert_non_null(idle);
	assert_int_equal(entry->backing, SLAB_BACKING_LARGE);
	assert_ptr_equal(entry->page, head);
	assert_int_equal(entry->order, 1);
	assert_slab_ok();

	/*
	 * The entry claims a cache: no cache object is a kmalloc_large block,
	 * and the cache now has a registered object it does not count.
	 */
	entry->cache = idle;
	assert_check_finds(2);
	assert_reported("cache idle: 1 objects registered, it counts 0");
	assert_warned(text("kmem_cache idle object %p is a kmalloc_large block", (void *)large));
	entry->cache = NULL;
	assert_slab_ok();

	/* The block dropped off slab_large (it is the only large object). */
	assert_ptr_equal(slab_large.next, &entry->large_node);
	assert_ptr_equal(slab_large.prev, &entry->large_node);
	list_del_init(&entry->large_node);
	assert_check_finds(1);
	assert_warned(text("kmalloc_large object %p is not on the large list", (void *)large));
	list_add(&entry->large_node, &slab_large);
	assert_slab_ok();

	/* The head page's owner marker no longer names this object. */
	saved_private = head->private;
	head->private ^= 1;
	assert_check_finds(1);
	assert_warned(text("kmalloc_large object %p: its page is not marked as ours",
			   (void *)large));
	head->private = saved_private;
	assert_slab_ok();

	/* The head page no longer heads an allocation of the block's order. */
	head->alloc_order = 0;
	assert_check_finds(1);
	assert_warned(text("kmalloc_large object %p is not an allocated order-1 block",
			   (void *)large));
	head->alloc_order = 1;
	assert_slab_ok();

	/* The head page lost its compound-head flag. */
	assert_true(PageHead(head));
	head->flags &= ~(1UL << PG_head);
	assert_check_finds(1);
	assert_warned(text("kmalloc_large object %p is not a compound page", (void *)large));
	head->flags |= 1UL << PG_head;
	assert_slab_ok();

	/*
	 * The entry points at another compound order-1 block, marked as this
	 * object's: only the address the block maps at betrays it.
	 */
	other = alloc_pages(GFP_KERNEL | __GFP_COMP, 1);
	assert_non_null(other);
	saved_private = other->private;
	other->private = (unsigned long)entry;
	entry->page = other;
	assert_check_finds(1);
	assert_warned(text("kmalloc_large object %p: its page maps at %p", (void *)large,
			   page_address(other)));
	entry->page = head;
	other->private = saved_private;
	assert_slab_ok();
	__free_pages(other, 1);

	/* The entry's usable size is not its block's (one page, not two). */
	saved_usable = entry->usable;
	entry->usable = PAGE_SIZE;
	assert_check_finds(1);
	assert_warned(text("kmalloc_large object %p: %zu of %lu bytes in an order-1 block",
			   (void *)large, (size_t)PAGE_SIZE + 100, (unsigned long)PAGE_SIZE));
	entry->usable = saved_usable;
	assert_slab_ok();

	/* The allocator's count of frames in large blocks is off by one. */
	slab_large_pages++;
	assert_check_finds(1);
	assert_warned("kmalloc_large blocks hold 2 pages, the counter says 3");
	slab_large_pages--;
	assert_slab_ok();

	kfree(large);
	kmem_cache_destroy(idle);
	assert_no_slab_pages();
}

/* --- slab memory written behind the allocator's back ---------------------------- */

/*
 * Another CPU mapping of @p's frame (vmap() of its page): stands for a
 * device writing physical memory, which neither ASan nor valgrind watches,
 * so free slots and redzones can be written.  Returns the alias of @p.
 */
static unsigned char *frame_alias(const void *p, void **mapping)
{
	struct page *page = virt_to_page(p);

	assert_non_null(page);
	*mapping = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	assert_non_null(*mapping);
	return (unsigned char *)*mapping + offset_in_page(p);
}

static void test_memory_written_behind_the_allocator_is_reported(void **state)
{
	char *obj = kmalloc(100, GFP_KERNEL), *large = kmalloc(PAGE_SIZE + 100, GFP_KERNEL);
	unsigned char *alias;
	void *mapping;

	(void)state;
	assert_non_null(obj);
	assert_non_null(large);
	assert_slab_ok();

	/* A byte of the free slot after obj no longer holds the free poison. */
	alias = frame_alias(obj, &mapping);
	assert_int_equal(alias[128 + 5], SLAB_POISON_FREE);
	alias[128 + 5] = 0;
	assert_check_finds(1);
	assert_warned(text("kmalloc-128: free slot %p was written after it was freed",
			   (void *)(obj + 128)));
	alias[128 + 5] = SLAB_POISON_FREE;
	assert_slab_ok();

	/* The last byte of obj's slot, past its 100 bytes, overwritten. */
	assert_int_equal(alias[127], SLAB_RED_ACTIVE);
	alias[127] = 0;
	assert_check_finds(1);
	assert_warned(text("kmalloc-128: the redzone past object %p (100 bytes) was overwritten",
			   (void *)obj));
	alias[127] = SLAB_RED_ACTIVE;
	assert_slab_ok();
	vunmap(mapping);

	/* The byte past the kmalloc_large object's 4196 bytes, in its block's second page. */
	alias = frame_alias(large + PAGE_SIZE, &mapping);
	assert_int_equal(alias[100], SLAB_RED_ACTIVE);
	alias[100] = 0;
	assert_check_finds(1);
	assert_warned(text("kmalloc_large object %p: the redzone past its %zu bytes %s",
			   (void *)large, (size_t)PAGE_SIZE + 100, "was overwritten"));
	alias[100] = SLAB_RED_ACTIVE;
	assert_slab_ok();
	vunmap(mapping);

	kfree(obj);
	kfree(large);
	assert_no_slab_pages();
}

/* --- host-heap objects ------------------------------------------------------------ */

static void test_heap_object_corruption_is_reported(void **state)
{
	struct slab_obj *entry;
	struct page *page;
	const void *saved_ptr;
	void *heap;

	(void)state;
	iosim_slab_host_begin();
	heap = kmalloc(100, GFP_KERNEL);
	iosim_slab_host_end();
	assert_non_null(heap);
	entry = registry_entry(heap);
	assert_int_equal(entry->backing, SLAB_BACKING_MALLOC);
	saved_ptr = entry->ptr;
	assert_slab_ok();

	/* The registry holds ZERO_SIZE_PTR, which kmalloc(0) returns and never registers. */
	entry->ptr = ZERO_SIZE_PTR;
	assert_check_finds(1);
	assert_warned(text("the registry holds the pointer %p", (void *)ZERO_SIZE_PTR));
	entry->ptr = saved_ptr;
	assert_slab_ok();

	/* A host-heap entry whose address is in simulated RAM (a page's). */
	page = alloc_page(GFP_KERNEL);
	assert_non_null(page);
	entry->ptr = page_address(page);
	assert_check_finds(1);
	assert_warned(text("heap object %p lies in simulated RAM", page_address(page)));
	entry->ptr = saved_ptr;
	assert_slab_ok();
	__free_page(page);

	/* The entry claims more bytes than its block has. */
	entry->size = entry->usable + 1;
	assert_check_finds(1);
	assert_warned(text("heap object %p claims 101 of 100 bytes", heap));
	entry->size = 100;
	assert_slab_ok();

	kfree(heap);
	assert_no_slab_pages();
}

/* --- the registry's totals ------------------------------------------------------- */

static void test_registry_count_corruption_is_reported(void **state)
{
	struct kmem_cache *c = kmem_cache_create("census", 48, 0, 0, NULL);
	void *obj = kmalloc(10, GFP_KERNEL);

	(void)state;
	assert_non_null(c);
	assert_non_null(obj);
	assert_slab_ok();

	/* The live-object count says two slab objects, the registry holds one. */
	iosim_live_add(IOSIM_OBJ_SLAB, 1);
	assert_check_finds(1);
	assert_warned("the registry holds 1 objects, the live count says 2");
	iosim_live_add(IOSIM_OBJ_SLAB, -1);
	assert_slab_ok();

	/* A cache counts an object the registry does not hold. */
	c->nr_objects++;
	assert_check_finds(1);
	assert_warned("cache census: 0 objects registered, it counts 1");
	c->nr_objects--;
	assert_slab_ok();

	kfree(obj);
	kmem_cache_destroy(c);
	assert_no_slab_pages();
}

/* --- slab pages whose RAM is gone ------------------------------------------------- */

static void test_stale_slab_page_corruption_is_reported(void **state)
{
	void *obj = kmalloc(100, GFP_KERNEL);
	struct slab_page *slab = slab_of(obj);

	(void)state;
	/* Destroying RAM under a live object: its slab page goes to the stale list. */
	assert_int_equal(iosim_ram_exit(), 1);
	assert_warned("leaked");
	assert_true(slab->stale);
	assert_ptr_equal(slab_stale.next, &slab->list);
	assert_int_equal(slab->nr_stale, 1);
	assert_slab_ok();

	/*
	 * The stale page counts no object (it would have been freed with its
	 * last one): the registry still has one pointing at it.
	 */
	slab->nr_stale = 0;
	assert_check_finds(2);
	assert_reported(text("stale slab page %p counts 0 objects, 1 registered",
			     (void *)slab->base));
	assert_warned(text("slab page %p on the stale list is empty", (void *)slab->base));
	slab->nr_stale = 1;
	assert_slab_ok();

	/*
	 * The page loses its stale mark: its object's page has no pool, which
	 * is reported rather than followed.
	 */
	assert_null(slab->pool);
	slab->stale = false;
	assert_check_finds(2);
	assert_reported(text("object %p sits in slab page %p, which has no pool but is not stale",
			     obj, (void *)slab->base));
	assert_warned(text("slab page %p on the stale list is not stale", (void *)slab->base));
	slab->stale = true;
	assert_slab_ok();

	kfree(obj);
	assert_warned("forgotten");
	assert_slab_ok();
	assert_int_equal(iosim_ram_init(NULL), 0);
}

/* --- poison (AddressSanitizer only) ----------------------------------------------- */

/*
 * The checker asks ASan whether free slots, the tail of a slab page and the
 * redzones are inaccessible and live objects accessible.  A planted poison
 * state that a scan of the checker's own (rz_scan()) makes inaccessible
 * again is restored by the checker; the others are restored here.
 */
static void test_poison_corruption_is_reported(void **state)
{
#ifdef TEST_ASAN
	struct kmem_cache *c = kmem_cache_create("tail", 1000, 0, 0, NULL);
	char *obj = kmalloc(100, GFP_KERNEL), *large = kmalloc(PAGE_SIZE + 100, GFP_KERNEL);
	struct slab_page *cslab;
	char *cobj, *tail;

	(void)state;
	assert_non_null(c);
	cobj = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(cobj);
	cslab = slab_of(cobj);
	/* 1000-byte slots in one page: the bytes past the last are no slot's. */
	assert_int_equal(cslab->order, 0);
	assert_int_equal(cslab->nr_slots, PAGE_SIZE / 1000);
	tail = cslab->base + (size_t)cslab->nr_slots * 1000;
	assert_slab_ok();

	/* A free slot (the one after obj) made accessible. */
	ASAN_UNPOISON_MEMORY_REGION(obj + 128, 8);
	assert_check_finds(1);
	assert_warned(text("kmalloc-128: free slot %p is not poisoned", (void *)(obj + 128)));
	ASAN_POISON_MEMORY_REGION(obj + 128, 8);
	assert_slab_ok();

	/* The bytes past the last slot of a slab page made accessible. */
	ASAN_UNPOISON_MEMORY_REGION(tail, 8);
	assert_check_finds(1);
	assert_warned(text("tail: slab page %p: the bytes past the last slot are not poisoned",
			   (void *)cslab->base));
	ASAN_POISON_MEMORY_REGION(tail, 8);
	assert_slab_ok();

	/* A live object's first bytes made inaccessible. */
	ASAN_POISON_MEMORY_REGION(obj, 8);
	assert_check_finds(1);
	assert_warned(text("kmalloc-128: object %p has poisoned bytes", (void *)obj));
	ASAN_UNPOISON_MEMORY_REGION(obj, 8);
	assert_slab_ok();

	/* A granule of the redzone past the object's 100 bytes made accessible. */
	ASAN_UNPOISON_MEMORY_REGION(obj + 104, 8);
	assert_check_finds(1);
	assert_warned(text("kmalloc-128: the redzone past object %p (100 bytes) is not poisoned",
			   (void *)obj));
	ASAN_POISON_MEMORY_REGION(obj + 104, 8);
	assert_slab_ok();

	/* A granule of a kmalloc_large block's tail made accessible. */
	ASAN_UNPOISON_MEMORY_REGION(large + PAGE_SIZE + 104, 8);
	assert_check_finds(1);
	assert_warned(text("kmalloc_large object %p: poison does not match its %zu bytes",
			   (void *)large, (size_t)PAGE_SIZE + 100));
	ASAN_POISON_MEMORY_REGION(large + PAGE_SIZE + 104, 8);
	assert_slab_ok();

	kfree(obj);
	kfree(large);
	kmem_cache_free(c, cobj);
	kmem_cache_destroy(c);
	assert_no_slab_pages();
#else
	(void)state;
	skip();		/* without ASan the checker cannot ask about poison */
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM(test_a_refused_scratch_bitmap_is_reported),
		IOSIM_TEST_RAM(test_free_slot_stack_corruption_is_reported),
		IOSIM_TEST_RAM(test_reports_stop_after_the_first_32),
		IOSIM_TEST_RAM(test_slab_page_descriptor_corruption_is_reported),
		IOSIM_TEST_RAM(test_empty_slab_page_on_a_list_is_reported),
		IOSIM_TEST_RAM(test_pool_counter_corruption_is_reported),
		IOSIM_TEST_RAM(test_slab_object_registry_corruption_is_reported),
		IOSIM_TEST_RAM(test_large_object_corruption_is_reported),
		IOSIM_TEST_RAM(test_memory_written_behind_the_allocator_is_reported),
		IOSIM_TEST_RAM(test_heap_object_corruption_is_reported),
		IOSIM_TEST_RAM(test_registry_count_corruption_is_reported),
		IOSIM_TEST_RAM(test_stale_slab_page_corruption_is_reported),
		IOSIM_TEST_RAM(test_poison_corruption_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
