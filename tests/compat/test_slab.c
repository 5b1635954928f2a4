// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The slab allocator.  Without simulated RAM (IOSIM_TEST): accounting, misuse
 * detection and failure injection over heap-backed objects.  With RAM
 * (IOSIM_TEST_RAM): objects are lowmem (virt_to_page/virt_to_phys, writes
 * through the physical address), size classes and alignment, slab pages
 * shared by objects and freed with the last one, kmalloc_large blocks,
 * kmem_cache pools and constructors, failure at the slab and page sites,
 * objects that outlive their RAM, redzones (under ASan or valgrind
 * memcheck), the sanity checker against corruption, a random workload
 * checked after every step, and threads.  See docs/slab.md.
 *
 * The simulated bus master lives in lib/fake-iommu, above compat/, so these
 * tests stand in for a device with the linear map (phys_to_virt() of the
 * physical address) or a vmap() alias of the frame, which the sanitizers do
 * not watch.
 */
#include "iosim_test.h"
#include "ram_fixture.h"
#include "test_rng.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/slab.h>
#include <iosim/warn.h>

/* TEST_ASAN comes from iosim_test.h. */
#if !defined(TEST_ASAN) && __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define TEST_VALGRIND 1
#endif

#define assert_slab_ok()	assert_int_equal(iosim_slab_check(), 0)
#define assert_ram_ok()		assert_int_equal(iosim_ram_check(), 0)
#define assert_aligned(p, a)	assert_int_equal((uintptr_t)(p) % (a), 0)

/*
 * Poison queries.  Under ASan they ask the shadow; under valgrind memcheck
 * VALGRIND_GET_VBITS() answers 3 for an unaddressable byte without reporting
 * an error.  Without either (or under another valgrind tool) nothing can be
 * asked: poison_checkable() is false and the tests that need it skip.
 */
static bool poison_checkable(void)
{
#ifdef TEST_ASAN
	return true;
#elif defined(TEST_VALGRIND)
	return iosim_under_memcheck();
#else
	return false;
#endif
}

/* Is the byte at @p inaccessible?  Only meaningful if poison_checkable(). */
static bool is_poisoned(const void *p)
{
#ifdef TEST_ASAN
	return __asan_address_is_poisoned(p);
#elif defined(TEST_VALGRIND)
	unsigned char vbits;

	return VALGRIND_GET_VBITS(p, &vbits, 1) == 3;
#else
	(void)p;
	return false;
#endif
}

/* Is every byte of [@p, @p + @len) accessible?  True if !poison_checkable(). */
static bool is_accessible(const void *p, size_t len)
{
#ifdef TEST_ASAN
	return !__asan_region_is_poisoned((void *)(uintptr_t)p, len);
#else
	size_t i;

	if (!poison_checkable())
		return true;
	for (i = 0; i < len; i++)
		if (is_poisoned((const char *)p + i))
			return false;
	return true;
#endif
}

/* Poison asserts, checked when this run can check them. */
#define assert_poisoned(p)	assert_true(!poison_checkable() || is_poisoned(p))
#define assert_not_poisoned(p)	assert_true(!poison_checkable() || !is_poisoned(p))
#define assert_accessible(p, n)	assert_true(is_accessible((p), (n)))

/* Objects per slab page of a kmalloc size class of @bytes. */
#define SLOTS_PER_PAGE(bytes)	(PAGE_SIZE / (bytes))

static void test_kmalloc_counts_live_objects(void **state)
{
	void *a, *b;

	(void)state;
	a = kmalloc(24, GFP_KERNEL);
	b = kzalloc(100, GFP_KERNEL);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 2);
	assert_int_equal(ksize(b), 100);
	assert_int_equal(((unsigned char *)b)[99], 0);
	kfree(a);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 1);
	kfree(b);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
}

static void test_kmalloc_zero_returns_zero_size_ptr(void **state)
{
	void *p;

	(void)state;
	p = kmalloc(0, GFP_KERNEL);
	assert_ptr_equal(p, ZERO_SIZE_PTR);
	assert_true(ZERO_OR_NULL_PTR(p));
	kfree(p);		/* a no-op, as in the kernel */
	kfree(NULL);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
}

static void test_double_kfree_is_warned_and_ignored(void **state)
{
	void *p = kmalloc(8, GFP_KERNEL);

	(void)state;
	kfree(p);
	kfree(p);
	assert_warned("was not allocated");
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
}

/*
 * The registry's records are kept for reuse (up to a few thousand): more
 * objects than that, freed and allocated again, are each still known by
 * their own address, and a second free is still caught.
 */
#define MANY_OBJECTS	6000

static void test_many_objects_recycle_registry_records_and_stay_distinct(void **state)
{
	void **objs = calloc(MANY_OBJECTS, sizeof(*objs));
	unsigned int i, round;
	unsigned char *first;

	(void)state;
	assert_non_null(objs);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < MANY_OBJECTS; i++) {
			objs[i] = kmalloc(24, GFP_KERNEL);
			assert_non_null(objs[i]);
			*(unsigned int *)objs[i] = i;
		}
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), MANY_OBJECTS);
		for (i = 0; i < MANY_OBJECTS; i++) {
			assert_int_equal(*(unsigned int *)objs[i], i);
			assert_int_equal(ksize(objs[i]), 24);
		}
		first = objs[0];
		for (i = 0; i < MANY_OBJECTS; i++)
			kfree(objs[i]);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
		kfree(first);
		assert_warned("was not allocated");
	}
	free(objs);
}

static void test_kfree_of_a_stranger_is_warned_and_ignored(void **state)
{
	static int not_from_kmalloc;
	char *p = kmalloc(16, GFP_KERNEL);

	(void)state;
	kfree(&not_from_kmalloc);
	assert_warned("was not allocated");
	kfree(p + 1);		/* interior pointer */
	assert_warned("was not allocated");
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 1);
	kfree(p);
}

static void test_kcalloc_overflow_fails_cleanly(void **state)
{
	(void)state;
	assert_null(kcalloc(SIZE_MAX / 2, 4, GFP_KERNEL));
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
}

static void test_krealloc_keeps_contents(void **state)
{
	char *p = kmalloc(4, GFP_KERNEL), *q;

	(void)state;
	memcpy(p, "abc", 4);
	q = krealloc(p, 64, GFP_KERNEL);
	assert_non_null(q);
	assert_string_equal(q, "abc");
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 1);
	assert_ptr_equal(krealloc(q, 8, GFP_KERNEL), q);	/* shrinking keeps it */
	assert_ptr_equal(krealloc(q, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
}

static void test_kmemdup_and_kstrdup_copy(void **state)
{
	char *s = kstrdup("iommu", GFP_KERNEL);
	int v = 0x5a5a, *d = kmemdup(&v, sizeof(v), GFP_KERNEL);

	(void)state;
	assert_string_equal(s, "iommu");
	assert_int_equal(*d, 0x5a5a);
	assert_null(kstrdup(NULL, GFP_KERNEL));
	kfree(s);
	kzfree(d);
}

static int ctor_calls;

static void count_ctor(void *obj)
{
	ctor_calls++;
	memset(obj, 0xab, 32);
}

static void test_kmem_cache_allocates_aligned_constructed_objects(void **state)
{
	struct kmem_cache *c = kmem_cache_create("iova", 32, 0, SLAB_HWCACHE_ALIGN, count_ctor);
	unsigned char *a, *b;

	(void)state;
	ctor_calls = 0;
	assert_non_null(c);
	assert_int_equal(iosim_live(IOSIM_OBJ_KMEM_CACHE), 1);
	a = kmem_cache_alloc(c, GFP_KERNEL);
	b = kmem_cache_zalloc(c, GFP_KERNEL);
	assert_int_equal((uintptr_t)a % 64, 0);
	assert_int_equal(a[31], 0xab);
	assert_int_equal(b[31], 0);
	assert_int_equal(ctor_calls, 1);
	kmem_cache_free(c, a);
	kmem_cache_free(c, b);
	kmem_cache_destroy(c);
}

static void test_kmem_cache_free_to_the_wrong_cache_is_warned(void **state)
{
	struct kmem_cache *c1 = kmem_cache_create("one", 16, 0, 0, NULL);
	struct kmem_cache *c2 = kmem_cache_create("two", 16, 0, 0, NULL);
	void *obj = kmem_cache_alloc(c1, GFP_KERNEL);
	void *k = kmalloc(16, GFP_KERNEL);

	(void)state;
	kmem_cache_free(c2, obj);
	assert_warned("belongs to cache one, not two");
	kfree(obj);
	assert_warned("belongs to cache one, not kmalloc");
	kmem_cache_free(c1, k);
	assert_warned("belongs to cache kmalloc, not one");
	kfree(k);
	kmem_cache_free(c1, obj);
	kmem_cache_destroy(c1);
	kmem_cache_destroy(c2);
	kmem_cache_destroy(NULL);
}

static void test_kmem_cache_destroy_with_objects_is_warned_and_kept(void **state)
{
	struct kmem_cache *c = kmem_cache_create("busy", 16, 0, 0, NULL);
	void *obj = kmem_cache_alloc(c, GFP_KERNEL);

	(void)state;
	kmem_cache_destroy(c);
	assert_warned("Slab cache still has objects");
	assert_int_equal(iosim_live(IOSIM_OBJ_KMEM_CACHE), 1);
	kmem_cache_free(c, obj);
	kmem_cache_destroy(c);
	assert_int_equal(iosim_live(IOSIM_OBJ_KMEM_CACHE), 0);
}

static void test_injected_slab_failure_and_nofail(void **state)
{
	void *p;

	(void)state;
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB), 1);
	assert_null(kmalloc(10, GFP_KERNEL));
	assert_int_equal(iosim_fault_injected(), 1);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);

	iosim_fault_fail_from(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB), 1);
	p = kmalloc(10, GFP_KERNEL | __GFP_NOFAIL);
	assert_non_null(p);
	assert_null(kmem_cache_create("never", 8, 0, 0, NULL));
	kfree(p);
}

/* ======================= with simulated RAM (IOSIM_TEST_RAM) ======================= */

#ifndef MIN
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#endif

/* Frames the rest of the system holds: every test below starts and ends at 0. */
static void assert_no_slab_pages(void)
{
	assert_int_equal(iosim_slab_nr_pages(), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 0);
}

/* The usable size of a kmalloc slot for @size bytes: its power-of-two class. */
static size_t class_bytes(size_t size)
{
	size_t bytes = KMALLOC_MIN_SIZE;

	while (bytes < size)
		bytes <<= 1;
	return bytes;
}

/*
 * Another CPU mapping of @p's frame (vmap() of its page): stands for a
 * device writing physical memory, which neither ASan nor valgrind sees, so a
 * test can write where the CPU may not.  Returns the alias of @p.
 */
static unsigned char *frame_alias(const void *p, void **mapping)
{
	struct page *page = virt_to_page(p);

	assert_non_null(page);
	*mapping = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	assert_non_null(*mapping);
	return (unsigned char *)*mapping + offset_in_page(p);
}

static void test_ram_kmalloc_objects_are_lowmem(void **state)
{
	const size_t sizes[] = { 1, 100, 128, 129, 1000, KMALLOC_MAX_CACHE_SIZE,
				 KMALLOC_MAX_CACHE_SIZE + 1, 3 * PAGE_SIZE + 5 };
	unsigned int i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char *p = kmalloc(sizes[i], GFP_KERNEL);
		size_t last = sizes[i] - 1;
		struct scatterlist sg;
		phys_addr_t phys;

		assert_non_null(p);
		/* An ordinary linear-map address with a struct page and a physical address. */
		assert_true(virt_addr_valid(p));
		assert_true(virt_addr_valid(p + last));
		phys = virt_to_phys(p);
		assert_true(iosim_phys_is_ram(phys, sizes[i]));
		assert_true(iosim_phys_is_allocated(phys));
		assert_true(iosim_phys_is_allocated(phys + last));
		assert_ptr_equal(phys_to_virt(phys), p);
		assert_ptr_equal(virt_to_page(p), phys_to_page(phys));
		assert_int_equal(page_to_phys(virt_to_page(p)) + offset_in_page(p), phys);
		assert_ptr_equal((unsigned char *)page_address(virt_to_page(p)) + offset_in_page(p), p);

		/*
		 * What is written at the physical address is what the CPU reads
		 * (a device would write there; its bus master is above compat/).
		 */
		*(unsigned char *)phys_to_virt(phys + last) = 0x5a;
		assert_int_equal(p[last], 0x5a);
		p[0] = 0x3c;
		assert_int_equal(*(unsigned char *)phys_to_virt(phys), 0x3c);

		/* The DMA API's view of a kmalloc buffer: sg_init_one(). */
		sg_init_one(&sg, p, (unsigned int)sizes[i]);
		assert_ptr_equal(sg_page(&sg), virt_to_page(p));
		assert_int_equal(sg_phys(&sg), phys);
		assert_ptr_equal(sg_virt(&sg), p);
		assert_slab_ok();
		kfree(p);
		assert_false(iosim_phys_is_allocated(phys));
	}
	assert_no_slab_pages();
}

static void test_ram_size_classes_and_minalign(void **state)
{
	size_t size;

	(void)state;
	for (size = 1; size <= KMALLOC_MAX_CACHE_SIZE; size += size < 300 ? 1 : 61) {
		void *p = kmalloc(size, GFP_KERNEL);

		assert_non_null(p);
		assert_aligned(p, ARCH_KMALLOC_MINALIGN);
		assert_int_equal(ksize(p), class_bytes(size));
		kfree(p);
	}
	assert_int_equal(ARCH_KMALLOC_MINALIGN, 128);
	assert_int_equal(KMALLOC_MAX_CACHE_SIZE, PAGE_SIZE / 2);
	assert_no_slab_pages();
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a, y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

/* kmalloc memory may be DMAed into: no two objects share a 128-byte line. */
static void test_ram_no_two_objects_share_a_cache_line(void **state)
{
	enum { NR = 600 };
	void *objs[NR];
	unsigned int i;

	(void)state;
	rng_state = 0x11;
	for (i = 0; i < NR; i++) {
		/* Mostly tiny objects: the ones a packing allocator would put together. */
		size_t size = 1 + rng_below(i % 4 ? 64 : 2 * PAGE_SIZE);

		objs[i] = kmalloc(size, GFP_KERNEL);
		assert_non_null(objs[i]);
	}
	qsort(objs, NR, sizeof(objs[0]), cmp_ptr);
	for (i = 0; i + 1 < NR; i++) {
		uintptr_t end = (uintptr_t)objs[i] + ksize(objs[i]);

		assert_aligned(objs[i], ARCH_KMALLOC_MINALIGN);
		assert_true(ALIGN(end, ARCH_KMALLOC_MINALIGN) <= (uintptr_t)objs[i + 1]);
	}
	assert_slab_ok();
	for (i = 0; i < NR; i++)
		kfree(objs[i]);
	assert_no_slab_pages();
}

static void test_ram_ksize_opens_the_whole_slot(void **state)
{
	unsigned char *p = kmalloc(100, GFP_KERNEL);
	unsigned char *big = kmalloc(PAGE_SIZE + 1, GFP_KERNEL);

	(void)state;
	assert_non_null(p);
	assert_non_null(big);
	assert_poisoned(p + 100);
	assert_poisoned(big + PAGE_SIZE + 1);
	assert_int_equal(ksize(p), 128);
	assert_int_equal(ksize(big), 2 * PAGE_SIZE);
	assert_accessible(p, 128);
	assert_accessible(big, 2 * PAGE_SIZE);
	/* The whole slot is the object's now: writing it is no overflow. */
	memset(p, 0x77, 128);
	memset(big, 0x77, 2 * PAGE_SIZE);
	assert_slab_ok();
	assert_int_equal(ksize(NULL), 0);
	assert_int_equal(ksize(p + 1), 0);
	assert_warned("ksize");
	kfree(p);
	kfree(big);
	assert_no_slab_pages();
}

/* Objects of one class share a slab page; it goes back with the last of them. */
static void test_ram_slab_pages_are_shared_and_freed_with_the_last_object(void **state)
{
	enum { BYTES = 256 };
	const unsigned int per_page = SLOTS_PER_PAGE(BYTES);
	void **objs = calloc(per_page + 1, sizeof(*objs));
	struct page *first;
	unsigned int i;
	void *again;

	(void)state;
	assert_non_null(objs);
	assert_no_slab_pages();
	for (i = 0; i < per_page; i++) {
		objs[i] = kmalloc(BYTES, GFP_KERNEL);
		assert_non_null(objs[i]);
		assert_int_equal(iosim_slab_nr_pages(), 1);
	}
	first = virt_to_page(objs[0]);
	for (i = 1; i < per_page; i++)
		assert_ptr_equal(virt_to_page(objs[i]), first);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 1);
	assert_true(iosim_phys_is_allocated(page_to_phys(first)));

	/* The page is full: the next object needs a second one. */
	objs[per_page] = kmalloc(BYTES - 1, GFP_KERNEL);
	assert_non_null(objs[per_page]);
	assert_ptr_not_equal(virt_to_page(objs[per_page]), first);
	assert_int_equal(iosim_slab_nr_pages(), 2);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 2);

	/* Another class never shares this class's pages. */
	again = kmalloc(BYTES * 2, GFP_KERNEL);
	assert_int_equal(iosim_slab_nr_pages(), 3);
	kfree(again);
	assert_int_equal(iosim_slab_nr_pages(), 2);

	/* A slot freed in a full page is reused before any new page is taken. */
	kfree(objs[3]);
	assert_int_equal(iosim_slab_nr_pages(), 2);
	objs[3] = kmalloc(BYTES, GFP_KERNEL);
	assert_ptr_equal(virt_to_page(objs[3]), first);
	assert_int_equal(iosim_slab_nr_pages(), 2);
	assert_slab_ok();

	/* The lone object of the second page takes its page with it. */
	kfree(objs[per_page]);
	assert_int_equal(iosim_slab_nr_pages(), 1);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 1);
	for (i = 0; i + 1 < per_page; i++) {
		kfree(objs[i]);
		assert_int_equal(iosim_slab_nr_pages(), 1);
		assert_slab_ok();
	}
	kfree(objs[per_page - 1]);
	assert_false(iosim_phys_is_allocated(page_to_phys(first)));
	assert_no_slab_pages();
	assert_ram_ok();
	free(objs);
}

/*
 * A large kzalloc() passes __GFP_ZERO to the page allocator, which skips the
 * frames that still hold a fresh RAM's zeros: its object reads zero whether
 * its frames are fresh or were dirtied (and poisoned) by a freed object, and
 * the rest of its block is still the redzone.
 */
static void test_ram_kzalloc_large_is_zero_on_fresh_and_on_reused_frames(void **state)
{
	const size_t size = 2 * PAGE_SIZE + 100;
	unsigned char *p, *q;

	(void)state;
	p = kzalloc(size, GFP_KERNEL);
	assert_non_null(p);
	assert_true(iosim_bytes_all(p, 0, size));
	memset(p, 0x5a, size);
	kfree(p);

	/* The same block again: written, then poisoned by the free. */
	q = kzalloc(size, GFP_KERNEL);
	assert_ptr_equal(q, p);
	assert_true(iosim_bytes_all(q, 0, size));
	assert_int_equal(ksize(q), 4 * PAGE_SIZE);
	/* The checker names a redzone past the object that is not intact. */
	assert_slab_ok();
	kfree(q);
	assert_no_slab_pages();
	assert_ram_ok();
}

static void test_ram_kmalloc_large_gets_compound_blocks(void **state)
{
	unsigned char *one = kmalloc(KMALLOC_MAX_CACHE_SIZE + 1, GFP_KERNEL);
	unsigned char *four = kmalloc(3 * PAGE_SIZE + 1, GFP_KERNEL);
	struct page *head;

	(void)state;
	assert_non_null(one);
	assert_non_null(four);
	assert_aligned(one, PAGE_SIZE);
	assert_aligned(four, PAGE_SIZE);
	assert_int_equal(ksize(one), PAGE_SIZE);
	assert_int_equal(iosim_slab_nr_pages(), 1 + 4);
	assert_int_equal(iosim_live(IOSIM_OBJ_PAGE), 1 + 4);

	/* As kmalloc_order(): a compound page, found from any address inside it. */
	head = virt_to_page(four);
	assert_true(PageHead(head));
	assert_int_equal(compound_order(head), 2);
	assert_ptr_equal(virt_to_head_page(four + 3 * PAGE_SIZE), head);
	memset(four, 0x11, 3 * PAGE_SIZE + 1);

	/* An interior pointer is not the object. */
	kfree(four + PAGE_SIZE);
	assert_warned("was not allocated");
	assert_slab_ok();

	kfree(four);
	assert_int_equal(iosim_slab_nr_pages(), 1);
	assert_false(iosim_phys_is_allocated(page_to_phys(head)));
	kfree(one);
	assert_no_slab_pages();

	/* The largest kmalloc is the largest buddy block, where RAM has one. */
	if (KMALLOC_MAX_SIZE <= iosim_ram_size() / 2) {
		void *max = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);

		assert_non_null(max);
		assert_int_equal(ksize(max), KMALLOC_MAX_SIZE);
		assert_int_equal(iosim_slab_nr_pages(), KMALLOC_MAX_SIZE / PAGE_SIZE);
		kfree(max);
	}
	assert_no_slab_pages();
}

static void test_ram_kmalloc_beyond_max_size_fails(void **state)
{
	(void)state;
	assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL));
	assert_warned("more than KMALLOC_MAX_SIZE");
	assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN));
	assert_null(kzalloc(SIZE_MAX, GFP_KERNEL | __GFP_NOWARN));
	assert_null(kmalloc_array(KMALLOC_MAX_SIZE / 8 + 1, 8, GFP_KERNEL | __GFP_NOWARN));
	assert_no_warnings();
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
	assert_no_slab_pages();
}

/* A cache's objects: aligned as asked, in slab pages of its own, lowmem. */
static void check_cache_objects(const char *name, size_t size, size_t align,
				unsigned long flags, size_t want_align)
{
	enum { NR = 40 };
	struct kmem_cache *c = kmem_cache_create(name, size, align, flags, NULL);
	unsigned char *objs[NR];
	unsigned int i;

	assert_non_null(c);
	for (i = 0; i < NR; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		assert_non_null(objs[i]);
		assert_aligned(objs[i], want_align);
		assert_true(virt_addr_valid(objs[i]));
		assert_true(virt_addr_valid(objs[i] + size - 1));
		assert_int_equal(ksize(objs[i]), size);
		memset(objs[i], (int)i, size);
	}
	/* None overlaps another: each still holds what was written. */
	for (i = 0; i < NR; i++) {
		assert_int_equal(objs[i][0], (unsigned char)i);
		assert_int_equal(objs[i][size - 1], (unsigned char)i);
	}
	assert_true(iosim_slab_nr_pages() > 0);
	assert_slab_ok();
	for (i = 0; i < NR; i++)
		kmem_cache_free(c, objs[i]);
	assert_no_slab_pages();
	kmem_cache_destroy(c);
}

static void test_ram_kmem_cache_alignment(void **state)
{
	(void)state;
	check_cache_objects("plain-40", 40, 0, 0, ARCH_SLAB_MINALIGN);
	check_cache_objects("odd-13", 13, 0, 0, ARCH_SLAB_MINALIGN);
	check_cache_objects("align-256", 40, 256, 0, 256);
	check_cache_objects("hwcache-40", 40, 0, SLAB_HWCACHE_ALIGN, 128);
	check_cache_objects("hwcache-align-512", 40, 512, SLAB_HWCACHE_ALIGN, 512);
	check_cache_objects("big-3000", 3000, 0, 0, ARCH_SLAB_MINALIGN);
	check_cache_objects("page-and-a-bit", PAGE_SIZE + 8, 0, 0, ARCH_SLAB_MINALIGN);
	check_cache_objects("page-aligned", 64, PAGE_SIZE, 0, PAGE_SIZE);
	assert_int_equal(iosim_live(IOSIM_OBJ_KMEM_CACHE), 0);

	/* What no slab page can hold, or no alignment means, is refused. */
	assert_null(kmem_cache_create("odd-align", 40, 24, 0, NULL));
	assert_warned("not a power of two");
	assert_null(kmem_cache_create("huge", KMALLOC_MAX_SIZE * 2, 0, 0, NULL));
	assert_warned("do not fit a slab page");
	assert_null(kmem_cache_create("empty", 0, 0, 0, NULL));
	assert_warned("bad arguments");
	assert_int_equal(iosim_live(IOSIM_OBJ_KMEM_CACHE), 0);
}

struct ctor_obj {
	u32 magic;
	u32 generation;		/* left by the last user: free objects keep it */
	unsigned char payload[40];
};

#define CTOR_MAGIC	0xc0ffee11u
static unsigned int ram_ctor_calls;

static void ram_ctor(void *p)
{
	struct ctor_obj *o = p;

	ram_ctor_calls++;
	o->magic = CTOR_MAGIC;
	o->generation = 0;
	memset(o->payload, 0xab, sizeof(o->payload));
}

static void test_ram_kmem_cache_constructor_runs_per_slot(void **state)
{
	struct kmem_cache *c = kmem_cache_create("ctor", sizeof(struct ctor_obj), 0, 0, ram_ctor);
	struct ctor_obj *keep, *o, *z, **objs;
	unsigned int per_page, i;

	(void)state;
	assert_non_null(c);
	ram_ctor_calls = 0;
	keep = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(keep);
	assert_int_equal(keep->magic, CTOR_MAGIC);
	assert_int_equal(keep->payload[39], 0xab);
	/* As the kernel's: every slot of a new slab page is constructed at once. */
	per_page = ram_ctor_calls;
	assert_true(per_page >= PAGE_SIZE / (2 * sizeof(struct ctor_obj)));
	assert_int_equal(iosim_slab_nr_pages(), 1);

	objs = calloc(per_page, sizeof(*objs));
	assert_non_null(objs);
	for (i = 0; i + 1 < per_page; i++) {
		objs[i] = kmem_cache_alloc(c, GFP_KERNEL);
		assert_int_equal(objs[i]->magic, CTOR_MAGIC);
	}
	assert_int_equal(ram_ctor_calls, per_page);
	assert_int_equal(iosim_slab_nr_pages(), 1);
	/* A full page: the next object constructs a new page. */
	objs[per_page - 1] = kmem_cache_alloc(c, GFP_KERNEL);
	assert_int_equal(ram_ctor_calls, 2 * per_page);
	assert_int_equal(iosim_slab_nr_pages(), 2);
	for (i = 0; i < per_page; i++)
		kmem_cache_free(c, objs[i]);
	assert_int_equal(iosim_slab_nr_pages(), 1);

	/* A freed object keeps its constructed state: not poisoned, not re-constructed. */
	o = kmem_cache_alloc(c, GFP_KERNEL);
	o->generation = 7;
	kmem_cache_free(c, o);
	assert_slab_ok();
	objs[0] = kmem_cache_alloc(c, GFP_KERNEL);
	assert_ptr_equal(objs[0], o);	/* the most recently freed slot comes back first */
	assert_int_equal(o->magic, CTOR_MAGIC);
	assert_int_equal(o->generation, 7);
	assert_int_equal(ram_ctor_calls, 2 * per_page);

	/* __GFP_ZERO wins over the constructor. */
	z = kmem_cache_zalloc(c, GFP_KERNEL);
	assert_int_equal(z->magic, 0);
	assert_int_equal(z->payload[39], 0);
	assert_slab_ok();
	kmem_cache_free(c, z);
	kmem_cache_free(c, objs[0]);
	kmem_cache_free(c, keep);
	assert_no_slab_pages();
	kmem_cache_destroy(c);
	free(objs);
}

static void *ctor_kmalloc_result = (void *)1;

static void allocating_ctor(void *p)
{
	ctor_kmalloc_result = kmalloc(8, GFP_ATOMIC);
	memset(p, 0, 16);
}

/* A constructor must not allocate: it WARNs and fails instead of deadlocking. */
static void test_ram_constructor_that_allocates_is_warned(void **state)
{
	struct kmem_cache *c = kmem_cache_create("greedy", 16, 0, 0, allocating_ctor);
	void *o;

	(void)state;
	o = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(o);
	assert_null(ctor_kmalloc_result);
	assert_warned("re-entered");
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 1);
	assert_slab_ok();
	kmem_cache_free(c, o);
	kmem_cache_destroy(c);
}

static void test_ram_kmem_cache_destroy_with_live_objects_keeps_the_cache(void **state)
{
	struct kmem_cache *c = kmem_cache_create("busy-ram", 200, 0, 0, NULL);
	unsigned char *obj = kmem_cache_alloc(c, GFP_KERNEL), *more;

	(void)state;
	memset(obj, 0x42, 200);
	kmem_cache_destroy(c);
	assert_warned("Slab cache still has objects (1)");
	/* Kept whole: its object, its slab page, and it still allocates. */
	assert_int_equal(iosim_live(IOSIM_OBJ_KMEM_CACHE), 1);
	assert_int_equal(obj[199], 0x42);
	assert_int_equal(iosim_slab_nr_pages(), 1);
	more = kmem_cache_alloc(c, GFP_KERNEL);
	assert_non_null(more);
	assert_slab_ok();
	kmem_cache_free(c, more);
	kmem_cache_free(c, obj);
	assert_no_slab_pages();
	kmem_cache_destroy(c);
	assert_int_equal(iosim_live(IOSIM_OBJ_KMEM_CACHE), 0);
}

static void test_ram_misuse_is_warned_and_ignored(void **state)
{
	struct kmem_cache *c1 = kmem_cache_create("one-ram", 64, 0, 0, NULL);
	struct kmem_cache *c2 = kmem_cache_create("two-ram", 64, 0, 0, NULL);
	unsigned char *obj = kmem_cache_alloc(c1, GFP_KERNEL);
	unsigned char *k = kmalloc(300, GFP_KERNEL);

	(void)state;
	memset(obj, 0x21, 64);
	memset(k, 0x22, 300);
	/* The wrong cache: WARNed, and the object stays allocated and intact. */
	kmem_cache_free(c2, obj);
	assert_warned("belongs to cache one-ram, not two-ram");
	kmem_cache_free(c1, k);
	assert_warned("belongs to cache kmalloc, not one-ram");
	kfree(obj);
	assert_warned("belongs to cache one-ram, not kmalloc");
	/* Interior pointers, in the first line and past it. */
	kfree(k + 1);
	assert_warned("was not allocated");
	kfree(k + 128);
	assert_warned("was not allocated");
	assert_int_equal(obj[63], 0x21);
	assert_int_equal(k[299], 0x22);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 2);
	assert_int_equal(iosim_slab_nr_pages(), 2);
	assert_slab_ok();

	/* A second free: WARNed, nothing else freed. */
	kfree(k);
	kfree(k);
	assert_warned("was not allocated");
	kmem_cache_free(c1, obj);
	kmem_cache_free(c1, obj);
	assert_warned("was not allocated");
	assert_slab_ok();
	assert_no_slab_pages();
	kmem_cache_destroy(c1);
	kmem_cache_destroy(c2);
}

/* krealloc() in RAM: a slot that holds the new size is kept, poison follows the size. */
static void test_ram_krealloc_keeps_the_slot_when_it_fits(void **state)
{
	unsigned char *p = kmalloc(40, GFP_KERNEL), *q, *big;

	(void)state;
	memset(p, 0x31, 40);
	q = krealloc(p, 120, GFP_KERNEL);
	assert_ptr_equal(q, p);
	memset(q + 40, 0x32, 80);
	assert_slab_ok();
	q = krealloc(p, 129, GFP_KERNEL);	/* the next class: moves */
	assert_ptr_not_equal(q, p);
	assert_int_equal(q[39], 0x31);
	assert_int_equal(q[119], 0x32);
	assert_int_equal(ksize(q), 256);
	assert_ptr_equal(krealloc(q, 10, GFP_KERNEL), q);
	assert_poisoned(q + 10);
	assert_not_poisoned(q + 9);
	assert_slab_ok();

	/* A kmalloc_large block shrunk below the classes stays a large block. */
	big = kmalloc(PAGE_SIZE, GFP_KERNEL);
	memset(big, 0x33, PAGE_SIZE);
	assert_ptr_equal(krealloc(big, 64, GFP_KERNEL), big);
	assert_int_equal(big[63], 0x33);
	assert_slab_ok();
	kfree(big);
	kfree(q);
	assert_no_slab_pages();
}

/*
 * A fixed mix of allocations touching every kind of backing: small classes
 * (several objects per page), a full page's worth, large blocks, a cache.
 * Stops at the first failure; returns how many of the NR_BATCH succeeded.
 */
#define NR_BATCH	12
static unsigned int alloc_batch(struct kmem_cache *c, void **objs)
{
	const size_t sizes[NR_BATCH] = { 8, 8, 200, PAGE_SIZE / 2, PAGE_SIZE / 2, PAGE_SIZE / 2,
					 5000, 0, 64, 1, 3 * PAGE_SIZE, 0 };
	unsigned int i;

	for (i = 0; i < NR_BATCH; i++) {
		objs[i] = sizes[i] ? kmalloc(sizes[i], GFP_KERNEL) : kmem_cache_alloc(c, GFP_KERNEL);
		if (!objs[i])
			break;
	}
	return i;
}

static void free_batch(struct kmem_cache *c, void **objs, unsigned int n)
{
	const size_t cache_slots[] = { 7, 11 };	/* where alloc_batch() used the cache */
	unsigned int i;

	for (i = 0; i < n; i++)
		if (i == cache_slots[0] || i == cache_slots[1])
			kmem_cache_free(c, objs[i]);
		else
			kfree(objs[i]);
}

/*
 * Fail the nth call at @site for n = 1, 2, ... until the batch succeeds:
 * every failure returns NULL with nothing allocated, and freeing what did
 * succeed leaves no object and no page behind.  Returns the failures seen.
 */
static unsigned int sweep_batch(struct kmem_cache *c, enum iosim_fault_site site)
{
	void *objs[NR_BATCH];
	unsigned int n, got, failures = 0;

	for (n = 1; ; n++) {
		assert_true(n < 100);
		iosim_fault_reset();
		iosim_fault_fail_nth(IOSIM_FAULT_SITE(site), n);
		got = alloc_batch(c, objs);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), got);
		assert_slab_ok();
		assert_ram_ok();
		free_batch(c, objs, got);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
		assert_no_slab_pages();
		if (got == NR_BATCH) {
			assert_int_equal(iosim_fault_injected(), 0);
			break;
		}
		assert_int_equal(iosim_fault_injected(), 1);
		failures++;
	}
	iosim_fault_reset();
	return failures;
}

static void test_ram_allocation_failure_at_every_site(void **state)
{
	struct kmem_cache *c = kmem_cache_create("sweep", 48, 0, 0, NULL);
	void *objs[NR_BATCH];
	unsigned long pages = 0;
	unsigned int got;

	(void)state;
	/* Every call consults IOSIM_FAULT_SLAB. */
	assert_int_equal(sweep_batch(c, IOSIM_FAULT_SLAB), NR_BATCH);

	/* Only a new slab page or a large block consults the page allocator. */
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC), 1000);
	got = alloc_batch(c, objs);
	assert_int_equal(got, NR_BATCH);
	pages = iosim_fault_calls(IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC));
	free_batch(c, objs, got);
	/* kmalloc-8/128, -256, -2048 twice (two per page at 4K), 5000, cache, 3 pages. */
	assert_true(pages >= 5 && pages < NR_BATCH);
	assert_int_equal(sweep_batch(c, IOSIM_FAULT_PAGE_ALLOC), pages);

	/* __GFP_NOFAIL is exempt from both. */
	iosim_fault_fail_from(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB) |
			      IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC), 1);
	objs[0] = kmalloc(100, GFP_KERNEL | __GFP_NOFAIL);
	objs[1] = kmalloc(2 * PAGE_SIZE, GFP_KERNEL | __GFP_NOFAIL);
	assert_non_null(objs[0]);
	assert_non_null(objs[1]);
	assert_null(kmalloc(100, GFP_KERNEL));
	iosim_fault_reset();
	kfree(objs[0]);
	kfree(objs[1]);
	assert_no_slab_pages();
	kmem_cache_destroy(c);
}

/* Allocate one object of kind @kind (0: small kmalloc, 1: large kmalloc, 2: from @c). */
static void *alloc_kind(unsigned int kind, struct kmem_cache *c)
{
	switch (kind) {
	case 0:
		return kmalloc(64, GFP_KERNEL);
	case 1:
		return kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	default:
		return kmem_cache_alloc(c, GFP_KERNEL);
	}
}

static void free_kind(unsigned int kind, struct kmem_cache *c, void *p)
{
	if (kind == 2)
		kmem_cache_free(c, p);
	else
		kfree(p);
}

/*
 * The slab's own host memory (IOSIM_FAULT_HOST): a cache's descriptor, an
 * object's record, a new slab page's descriptor and, while no object is
 * live, the registry's table (a header and a bucket array).  Each of them
 * failing fails the allocation and gives back whatever it had taken:
 * nothing live, no slab page.
 */
static void test_ram_every_host_allocation_of_an_object_fails_cleanly(void **state)
{
	const unsigned int host = IOSIM_FAULT_SITE(IOSIM_FAULT_HOST);
	struct kmem_cache *c = kmem_cache_create("host", 48, 0, 0, NULL);
	unsigned long calls, n;
	unsigned int kind;
	void *p;

	(void)state;
	assert_non_null(c);
	/* A cache's descriptor too. */
	iosim_fault_fail_nth(host, 1);
	assert_null(kmem_cache_create("refused", 48, 0, 0, NULL));
	assert_int_equal(iosim_fault_injected(), 1);
	assert_int_equal(iosim_live(IOSIM_OBJ_KMEM_CACHE), 1);
	for (kind = 0; kind < 3; kind++) {
		iosim_fault_reset();
		p = alloc_kind(kind, c);
		assert_non_null(p);
		calls = iosim_fault_calls(host);
		free_kind(kind, c, p);
		/* The record and the table's two blocks; a slab page's descriptor too. */
		assert_int_equal(calls, kind == 1 ? 3 : 4);
		for (n = 1; n <= calls; n++) {
			iosim_fault_fail_nth(host, n);
			assert_null(alloc_kind(kind, c));
			assert_int_equal(iosim_fault_injected(), 1);
			iosim_fault_reset();
			assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
			assert_slab_ok();
			assert_no_slab_pages();
		}
	}
	/* A live object keeps the table: the next needs only its record. */
	p = alloc_kind(0, c);
	iosim_fault_reset();
	free_kind(0, c, alloc_kind(0, c));
	assert_int_equal(iosim_fault_calls(host), 1);
	kfree(p);
	assert_no_warnings();
	assert_no_slab_pages();
	kmem_cache_destroy(c);
}

/* RAM exhausted: kmalloc fails cleanly and works again once memory is back. */
static void test_ram_exhaustion_fails_cleanly(void **state)
{
	const struct iosim_ram_config cfg = {
		.base_phys = IOSIM_RAM_DEFAULT_BASE_PHYS,
		.size_bytes = 16 * PAGE_SIZE,
	};
	void *objs[32];
	unsigned int n = 0, i;

	(void)state;
	iosim_ram_exit();
	assert_int_equal(iosim_ram_init(&cfg), 0);
	while (n < ARRAY_SIZE(objs) && (objs[n] = kmalloc(PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN)))
		n++;
	assert_int_equal(n, 16);
	assert_null(kmalloc(8, GFP_KERNEL | __GFP_NOWARN));
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 16);
	assert_slab_ok();
	kfree(objs[--n]);
	objs[n] = kmalloc(8, GFP_KERNEL);
	assert_non_null(objs[n]);
	n++;
	for (i = 0; i < n; i++)
		kfree(objs[i]);
	assert_no_slab_pages();
}

static void test_ram_objects_that_outlive_their_ram_are_forgotten(void **state)
{
	struct kmem_cache *c = kmem_cache_create("outliver", 64, 0, 0, NULL);
	void *small = kmalloc(100, GFP_KERNEL), *small2 = kmalloc(100, GFP_KERNEL);
	void *large = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);
	void *cobj = kmem_cache_alloc(c, GFP_KERNEL);
	void *heap;

	(void)state;
	assert_int_equal(iosim_slab_nr_pages(), 2 + 2);
	/* Destroying RAM under live objects is a leak the page allocator reports. */
	assert_int_equal(iosim_ram_exit(), 4);
	assert_warned("leaked");
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 4);
	assert_int_equal(iosim_slab_nr_pages(), 0);
	assert_slab_ok();

	/* Each is stale: WARNed and forgotten, its memory never touched. */
	assert_int_equal(ksize(small), 0);
	assert_warned("destroyed");
	kfree(small);
	assert_warned("forgotten");
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 3);
	assert_slab_ok();
	kfree(small);
	assert_warned("was not allocated");
	kfree(large);
	assert_warned("forgotten");
	assert_null(krealloc(small2, 300, GFP_KERNEL));
	assert_warned("destroyed");
	kmem_cache_free(c, cobj);
	assert_warned("forgotten");
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 1);
	assert_slab_ok();

	/* Without RAM the allocator goes on from the heap. */
	heap = kmalloc(100, GFP_KERNEL);
	assert_non_null(heap);
	assert_false(virt_addr_valid(heap));
	assert_int_equal(ksize(heap), 100);
	assert_slab_ok();

	/* New RAM: the heap object is still freed as one, new objects are lowmem. */
	assert_int_equal(iosim_ram_init(NULL), 0);
	kfree(small2);
	assert_warned("forgotten");
	kfree(heap);
	assert_no_warnings();
	cobj = kmem_cache_alloc(c, GFP_KERNEL);
	assert_true(virt_addr_valid(cobj));
	assert_slab_ok();
	kmem_cache_free(c, cobj);
	kmem_cache_destroy(c);
	assert_no_slab_pages();
}

/* RAM destroyed and re-created between two slab calls: the old pages are not ours. */
static void test_ram_recreated_ram_is_noticed(void **state)
{
	void *old = kmalloc(64, GFP_KERNEL), *old_large = kmalloc(PAGE_SIZE, GFP_KERNEL), *fresh;

	(void)state;
	iosim_slab_ram_exit();		/* what iosim_ram_exit() should call first */
	assert_int_equal(iosim_ram_exit(), 2);
	assert_warned("leaked");
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_int_equal(iosim_slab_nr_pages(), 0);
	assert_slab_ok();
	kfree(old);
	assert_warned("forgotten");
	kfree(old_large);
	assert_warned("forgotten");
	fresh = kmalloc(64, GFP_KERNEL);
	assert_true(virt_addr_valid(fresh));
	assert_int_equal(iosim_slab_nr_pages(), 1);
	assert_slab_ok();
	kfree(fresh);
	assert_no_slab_pages();

	/* The same without the warning call: noticed at the next slab call. */
	old = kmalloc(64, GFP_KERNEL);
	old_large = kmalloc(PAGE_SIZE, GFP_KERNEL);
	assert_int_equal(iosim_ram_exit(), 2);
	assert_warned("leaked");
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_int_equal(iosim_slab_nr_pages(), 0);
	assert_slab_ok();
	kfree(old_large);
	assert_warned("forgotten");
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 1);
	kfree(old);
	assert_warned("forgotten");
	assert_no_slab_pages();
}

/*
 * A stale object's address handed out again (RAM re-created at the same
 * virtual address): the new object owns it, the stale one is forgotten.
 */
static void test_ram_reused_address_of_a_stale_object(void **state)
{
	void *first = phys_to_virt(iosim_ram_base_phys());
	void *old[2], *fresh[2];
	unsigned int i;

	(void)state;
	old[0] = kmalloc(64, GFP_KERNEL);
	old[1] = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	assert_int_equal(iosim_ram_exit(), 1 + 4);
	assert_warned("leaked");
	assert_int_equal(iosim_ram_init(NULL), 0);
	for (i = 0; i < 2; i++) {
		fresh[i] = kmalloc(i ? 3 * PAGE_SIZE : 64, GFP_KERNEL);
		assert_non_null(fresh[i]);
		if (fresh[i] == old[i]) {
			assert_warned("the address is reused");
		} else {
			/* RAM landed elsewhere this time: the stale object is still known. */
			assert_true(first != phys_to_virt(iosim_ram_base_phys()) ||
				    i == 1);
			kfree(old[i]);
			assert_warned("forgotten");
		}
	}
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 2);
	assert_slab_ok();
	kfree(fresh[0]);
	kfree(fresh[1]);
	assert_no_warnings();
	assert_no_slab_pages();
}

/*
 * The stale object was the registry's only entry: forgetting it empties the
 * registry, and a table that then cannot be created fails the allocation;
 * the stale object stays forgotten, with a WARN that says so.
 */
static void test_ram_reused_address_whose_registry_cannot_be_created(void **state)
{
	void *first = phys_to_virt(iosim_ram_base_phys());
	void *old, *fresh;

	(void)state;
	old = kmalloc(64, GFP_KERNEL);
	assert_int_equal(iosim_ram_exit(), 1);
	assert_warned("leaked");
	assert_int_equal(iosim_ram_init(NULL), 0);
	/* The record, a new slab page's descriptor, then the table's header. */
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_HOST), 3);
	fresh = kmalloc(64, GFP_KERNEL);
	if (first == phys_to_virt(iosim_ram_base_phys())) {
		/* The same slot again: the stale object goes, and with it the table. */
		assert_null(fresh);
		assert_int_equal(iosim_fault_injected(), 1);
		assert_warned("the stale object is forgotten");
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
	} else {
		/* RAM landed elsewhere: the stale object keeps the table. */
		assert_non_null(fresh);
		assert_int_equal(iosim_fault_injected(), 0);
		kfree(old);
		assert_warned("forgotten");
		kfree(fresh);
	}
	iosim_fault_reset();
	assert_slab_ok();
	assert_no_warnings();
	assert_no_slab_pages();
}

/* Objects allocated before RAM existed are heap objects for their whole life. */
static void test_ram_heap_objects_survive_ram_init(void **state)
{
	void *heap, *ram;

	(void)state;
	iosim_ram_exit();
	heap = kmalloc(200, GFP_KERNEL);
	assert_int_equal(iosim_ram_init(NULL), 0);
	ram = kmalloc(200, GFP_KERNEL);
	assert_false(virt_addr_valid(heap));
	assert_true(virt_addr_valid(ram));
	assert_int_equal(ksize(heap), 200);
	assert_int_equal(ksize(ram), 256);
	assert_slab_ok();
	kfree(heap);
	kfree(ram);
	assert_no_slab_pages();
}

/*
 * In a host scope objects come from the host heap while RAM exists: no
 * frame is taken, they are live and checked as any, they outlive RAM, and
 * the scope nests and ends.
 */
static void test_ram_host_scope_keeps_objects_off_ram(void **state)
{
	unsigned long free_before = iosim_ram_free_pages(), warns;
	long live_before = iosim_live(IOSIM_OBJ_SLAB);
	struct kmem_cache *cache;
	void *outer, *inner, *cached, *ram;

	(void)state;
	iosim_slab_host_begin();
	outer = kmalloc(200, GFP_KERNEL);
	iosim_slab_host_begin();
	inner = kzalloc(3000, GFP_KERNEL);
	iosim_slab_host_end();
	cache = kmem_cache_create("host-scope", 48, 16, 0, NULL);
	assert_non_null(cache);
	cached = kmem_cache_alloc(cache, GFP_KERNEL);
	iosim_slab_host_end();
	ram = kmalloc(200, GFP_KERNEL);
	assert_non_null(outer);
	assert_non_null(inner);
	assert_non_null(cached);
	assert_false(virt_addr_valid(outer));
	assert_false(virt_addr_valid(inner));
	assert_false(virt_addr_valid(cached));
	assert_true(virt_addr_valid(ram));
	assert_aligned(cached, 16);
	assert_int_equal(ksize(outer), 200);
	assert_null(memchr_inv(inner, 0, 3000));
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), live_before + 4);
	/* Only the RAM object took a frame (its slab page). */
	assert_int_equal(iosim_ram_free_pages(), free_before - 1);
	assert_slab_ok();

	/* Fault injection applies in the scope too. */
	iosim_slab_host_begin();
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB), 1);
	assert_null(kmalloc(16, GFP_KERNEL));
	iosim_fault_reset();
	iosim_slab_host_end();

	/* An end without a begin WARNs; allocations still go to RAM. */
	iosim_slab_host_end();
	assert_warned("no iosim_slab_host_begin() to end");
	kfree(ram);
	ram = kmalloc(200, GFP_KERNEL);
	assert_true(virt_addr_valid(ram));
	kfree(ram);
	assert_no_slab_pages();

	/* The heap objects outlive RAM and are freed without a WARN. */
	iosim_ram_exit();
	assert_int_equal(iosim_ram_init(NULL), 0);
	warns = iosim_warn_count();
	kfree(outer);
	kfree(inner);
	kmem_cache_free(cache, cached);
	kmem_cache_destroy(cache);
	assert_int_equal(iosim_warn_count(), warns);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), live_before);
	assert_slab_ok();
}

/*
 * A freed host-heap block is kept, inaccessible, and handed to the next
 * host-heap object of its size and alignment; other sizes get other blocks,
 * and a second kfree() through the old pointer is still refused.
 */
static void test_host_heap_blocks_are_kept_poisoned_and_reused(void **state)
{
	struct kmem_cache *cache;
	void *a, *b, *c, *d;

	(void)state;
	iosim_slab_host_begin();
	cache = kmem_cache_create("host-kept", 40, 64, 0, NULL);
	a = kmalloc(777, GFP_KERNEL);
	assert_non_null(a);
	kfree(a);
	assert_poisoned(a);
	b = kmalloc(778, GFP_KERNEL);		/* another size: not a's block */
	c = kmalloc(777, GFP_KERNEL);
	assert_ptr_not_equal(b, a);
	assert_ptr_equal(c, a);
	assert_accessible(c, 777);
	kfree(c);
	kfree(a);				/* the same pointer again: refused */
	assert_warned("was not allocated");
	/* A kmem_cache object of 40 bytes at 64: not kmalloc(40)'s block. */
	d = kmalloc(40, GFP_KERNEL);
	kfree(d);
	c = kmem_cache_alloc(cache, GFP_KERNEL);
	assert_ptr_not_equal(c, d);
	assert_aligned(c, 64);
	kmem_cache_free(cache, c);
	d = kmem_cache_alloc(cache, GFP_KERNEL);
	assert_ptr_equal(d, c);
	kmem_cache_free(cache, d);
	kfree(b);
	kmem_cache_destroy(cache);
	iosim_slab_host_end();
	assert_slab_ok();

	/* A destroyed cache's descriptor is kept the same way: poisoned, then reused. */
	assert_poisoned(cache);
	d = kmem_cache_create("host-kept-again", 40, 64, 0, NULL);
	assert_ptr_equal(d, cache);
	c = kmem_cache_alloc(d, GFP_KERNEL);
	assert_non_null(c);
	assert_aligned(c, 64);
	kmem_cache_free(d, c);
	kmem_cache_destroy(d);
}

/* Under ASan or memcheck: the object is accessible, its redzone and free slots are not. */
static void test_ram_redzones_are_poisoned(void **state)
{
	struct kmem_cache *c;
	unsigned char *p, *q, *large, *o;

	(void)state;
	if (!poison_checkable())
		skip();
	c = kmem_cache_create("rz", 40, 64, 0, NULL);
	p = kmalloc(100, GFP_KERNEL);
	q = kmalloc(100, GFP_KERNEL);
	large = kmalloc(PAGE_SIZE + 10, GFP_KERNEL);
	o = kmem_cache_alloc(c, GFP_KERNEL);

	/* The object is accessible, the byte past it and the rest of the slot are not. */
	assert_accessible(p, 100);
	assert_poisoned(p + 100);
	assert_poisoned(p + 127);
	assert_accessible(large, PAGE_SIZE + 10);
	assert_poisoned(large + PAGE_SIZE + 10);
	assert_poisoned(large + 2 * PAGE_SIZE - 1);
	assert_accessible(o, 40);
	assert_poisoned(o + 40);
	assert_poisoned(o + 63);
	/* A free slot is inaccessible: the next one, and one freed. */
	assert_ptr_equal(q, p + 128);
	assert_poisoned(q + 128);
	kfree(q);
	assert_poisoned(q);
	assert_poisoned(q + 50);
	assert_poisoned(q + 127);
	/* The slot past the cache object is free too. */
	assert_poisoned(o + 64);
	assert_slab_ok();

	/* krealloc() moves the redzone with the size, in a slot and in a large block. */
	assert_ptr_equal(krealloc(p, 120, GFP_KERNEL), p);
	assert_accessible(p, 120);
	assert_poisoned(p + 120);
	assert_ptr_equal(krealloc(large, PAGE_SIZE / 2, GFP_KERNEL), large);
	assert_poisoned(large + PAGE_SIZE / 2);
	assert_slab_ok();
	kfree(p);
	kfree(large);
	kmem_cache_free(c, o);
	kmem_cache_destroy(c);
	assert_no_slab_pages();
}

/* The checker finds damage done behind the allocator's back. */
static void test_ram_slab_check_finds_corruption(void **state)
{
	unsigned char *keep = kmalloc(100, GFP_KERNEL), *freed = kmalloc(100, GFP_KERNEL);
	unsigned char *large = kmalloc(PAGE_SIZE + 100, GFP_KERNEL), *alias;
	struct page *page;
	unsigned long saved;
	void *mapping;

	(void)state;
	assert_slab_ok();
	kfree(freed);

	/* A device DMAs into the freed object (through another mapping of its frame). */
	alias = frame_alias(freed, &mapping);
	alias[17] = 0;
	assert_int_equal(iosim_slab_check(), -EUCLEAN);
	assert_warned("written after it was freed");
	alias[17] = 0x6b;		/* the free poison, as the allocator left it */
	assert_slab_ok();

	/* An overflow past the 100 bytes asked for, into the slot's redzone. */
	alias[keep - freed + 100] ^= 0xff;
	assert_int_equal(iosim_slab_check(), -EUCLEAN);
	assert_warned("redzone past object");
	alias[keep - freed + 100] ^= 0xff;
	assert_slab_ok();
	vunmap(mapping);

	/* ... and past a kmalloc_large object. */
	alias = frame_alias(large + PAGE_SIZE, &mapping);
	alias[100] = 0;
	assert_int_equal(iosim_slab_check(), -EUCLEAN);
	assert_warned("redzone past its");
	alias[100] = 0xcc;
	vunmap(mapping);
	assert_slab_ok();

	/* Someone scribbles over the struct page of a slab page, or of a large block. */
	page = virt_to_page(keep);
	saved = page->private;
	page->private = 0;
	assert_int_equal(iosim_slab_check(), -EUCLEAN);
	assert_warned("not marked as a slab page");
	page->private = saved;
	page = virt_to_page(large);
	saved = page->private;
	page->private ^= 1;
	assert_int_equal(iosim_slab_check(), -EUCLEAN);
	assert_warned("not marked as ours");
	page->private = saved;
	assert_slab_ok();

#ifdef TEST_ASAN
	/* Free memory made accessible again (a stray unpoison). */
	ASAN_UNPOISON_MEMORY_REGION(freed, 8);
	assert_int_equal(iosim_slab_check(), -EUCLEAN);
	assert_warned("is not poisoned");
	ASAN_POISON_MEMORY_REGION(freed, 8);
	assert_slab_ok();
#endif
	kfree(keep);
	kfree(large);
	assert_no_slab_pages();
}

/* ----- a random workload, checked after every step ----- */

enum { WL_SLOTS = 48, WL_CACHES = 3 };

struct wl_obj {
	unsigned char *p;
	size_t size;
	int cache;		/* -1: kmalloc */
	unsigned char fill;
};

static struct kmem_cache *wl_caches[WL_CACHES];

static void wl_ctor(void *p)
{
	memset(p, 0xc7, 24);
}

static void wl_fill(struct wl_obj *o)
{
	o->fill = (unsigned char)(1 + rng_below(250));
	memset(o->p, o->fill, o->size);
}

static void wl_verify(const struct wl_obj *o, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (o->p[i] != o->fill)
			fail_msg("object %p byte %zu is %#x, not %#x", (void *)o->p, i, o->p[i],
				 o->fill);
}

static void wl_free(struct wl_obj *o)
{
	wl_verify(o, o->size);
	/* The kernel's rule: a constructed object goes back in its constructed state. */
	if (o->cache == 0)
		wl_ctor(o->p);
	if (o->cache < 0)
		kfree(o->p);
	else
		kmem_cache_free(wl_caches[o->cache], o->p);
	o->p = NULL;
}

static size_t wl_size(void)
{
	switch (rng_below(8)) {
	case 0:
		return 1 + rng_below(3 * PAGE_SIZE);		/* large blocks too */
	case 1:
		return KMALLOC_MAX_CACHE_SIZE - 2 + rng_below(4);	/* the edge */
	default:
		return 1 + rng_below(600);
	}
}

static void wl_alloc(struct wl_obj *o)
{
	bool zero = rng_below(4) == 0;
	gfp_t gfp = GFP_KERNEL | (zero ? __GFP_ZERO : 0);

	o->cache = rng_below(3) ? -1 : (int)rng_below(WL_CACHES);
	if (o->cache < 0) {
		o->size = wl_size();
		o->p = kmalloc(o->size, gfp);
	} else {
		o->size = ksize(NULL);	/* 0: set below */
		o->p = kmem_cache_alloc(wl_caches[o->cache], gfp);
		if (o->p)
			o->size = ksize(o->p);
	}
	assert_non_null(o->p);
	assert_aligned(o->p, o->cache < 0 ? ARCH_KMALLOC_MINALIGN : ARCH_SLAB_MINALIGN);
	if (zero) {
		o->fill = 0;
		wl_verify(o, o->size);
	} else if (o->cache == 0) {
		o->fill = 0xc7;		/* constructed */
		wl_verify(o, 24);
	}
	wl_fill(o);
}

static void test_ram_random_workload(void **state)
{
	const struct iosim_ram_config cfg = {
		.base_phys = IOSIM_RAM_DEFAULT_BASE_PHYS,
		.size_bytes = 8ULL << 20,	/* small: iosim_ram_check() walks every frame */
	};
	struct wl_obj objs[WL_SLOTS] = { { 0 } };
	unsigned int step, i;
	long live = 0;

	(void)state;
	iosim_ram_exit();
	assert_int_equal(iosim_ram_init(&cfg), 0);
	rng_state = 0x5eed5eedULL;
	wl_caches[0] = kmem_cache_create("wl-ctor", 24, 0, 0, wl_ctor);
	wl_caches[1] = kmem_cache_create("wl-hw", 72, 0, SLAB_HWCACHE_ALIGN, NULL);
	wl_caches[2] = kmem_cache_create("wl-1k", 1000, 32, 0, NULL);
	for (i = 0; i < WL_CACHES; i++)
		assert_non_null(wl_caches[i]);

	for (step = 0; step < 3000; step++) {
		struct wl_obj *o = &objs[rng_below(WL_SLOTS)];

		if (!o->p) {
			wl_alloc(o);
			live++;
		} else if (o->cache < 0 && rng_below(3) == 0) {
			/* krealloc: the common prefix survives, kept in place or moved. */
			size_t new_size = wl_size();
			unsigned char *q = krealloc(o->p, new_size, GFP_KERNEL);

			assert_non_null(q);
			o->p = q;
			wl_verify(o, MIN(o->size, new_size));
			o->size = new_size;
			wl_fill(o);
		} else if (rng_below(8) == 0) {
			/* ksize: the whole slot may be written. */
			o->size = ksize(o->p);
			wl_fill(o);
		} else {
			wl_free(o);
			live--;
		}
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), live);
		assert_slab_ok();
		assert_ram_ok();
		assert_true(iosim_slab_nr_pages() <= (unsigned long)iosim_live(IOSIM_OBJ_PAGE));
	}
	for (i = 0; i < WL_SLOTS; i++)
		if (objs[i].p)
			wl_free(&objs[i]);
	assert_slab_ok();
	assert_no_slab_pages();
	for (i = 0; i < WL_CACHES; i++)
		kmem_cache_destroy(wl_caches[i]);
}

/* ----- threads ----- */

enum { NR_THREADS = 4, THREAD_OPS = 3000, THREAD_SLOTS = 16 };

struct thread_arg {
	u64 seed;
	struct kmem_cache *cache;
	unsigned int errors;
};

static u64 thread_rng(u64 *s)
{
	u64 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void *slab_thread(void *argp)
{
	struct thread_arg *arg = argp;
	unsigned char *objs[THREAD_SLOTS] = { NULL };
	size_t sizes[THREAD_SLOTS] = { 0 };
	unsigned char tag = (unsigned char)(arg->seed & 0xff);
	unsigned int op, i;

	for (op = 0; op < THREAD_OPS; op++) {
		unsigned int slot = (unsigned int)(thread_rng(&arg->seed) % THREAD_SLOTS);
		u64 r = thread_rng(&arg->seed);

		if (objs[slot]) {
			/* Nobody else wrote our object while we held it. */
			if (objs[slot][0] != tag || objs[slot][sizes[slot] - 1] != tag)
				arg->errors++;
			if (slot % 4 == 0)
				kmem_cache_free(arg->cache, objs[slot]);
			else
				kfree(objs[slot]);
			objs[slot] = NULL;
			continue;
		}
		if (slot % 4 == 0) {
			sizes[slot] = 96;
			objs[slot] = kmem_cache_alloc(arg->cache, GFP_KERNEL);
		} else {
			sizes[slot] = 1 + (size_t)(r % (r & 1 ? 2 * PAGE_SIZE : 512));
			objs[slot] = kmalloc(sizes[slot], GFP_KERNEL);
		}
		if (!objs[slot]) {
			arg->errors++;
			continue;
		}
		memset(objs[slot], tag, sizes[slot]);
	}
	for (i = 0; i < THREAD_SLOTS; i++) {
		if (!objs[i])
			continue;
		if (i % 4 == 0)
			kmem_cache_free(arg->cache, objs[i]);
		else
			kfree(objs[i]);
	}
	return NULL;
}

static void test_ram_concurrent_kmalloc_and_kfree(void **state)
{
	struct kmem_cache *c = kmem_cache_create("shared", 96, 0, SLAB_HWCACHE_ALIGN, NULL);
	struct thread_arg args[NR_THREADS];
	pthread_t threads[NR_THREADS];
	unsigned int i;

	(void)state;
	assert_non_null(c);
	for (i = 0; i < NR_THREADS; i++) {
		args[i] = (struct thread_arg){ .seed = 0x1000 + i * 0x11, .cache = c };
		assert_int_equal(pthread_create(&threads[i], NULL, slab_thread, &args[i]), 0);
	}
	for (i = 0; i < NR_THREADS; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(args[i].errors, 0);
	}
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
	assert_slab_ok();
	assert_ram_ok();
	assert_no_slab_pages();
	kmem_cache_destroy(c);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_kmalloc_counts_live_objects),
		IOSIM_TEST(test_kmalloc_zero_returns_zero_size_ptr),
		IOSIM_TEST(test_double_kfree_is_warned_and_ignored),
		IOSIM_TEST(test_many_objects_recycle_registry_records_and_stay_distinct),
		IOSIM_TEST(test_kfree_of_a_stranger_is_warned_and_ignored),
		IOSIM_TEST(test_kcalloc_overflow_fails_cleanly),
		IOSIM_TEST(test_krealloc_keeps_contents),
		IOSIM_TEST(test_kmemdup_and_kstrdup_copy),
		IOSIM_TEST(test_kmem_cache_allocates_aligned_constructed_objects),
		IOSIM_TEST(test_kmem_cache_free_to_the_wrong_cache_is_warned),
		IOSIM_TEST(test_kmem_cache_destroy_with_objects_is_warned_and_kept),
		IOSIM_TEST(test_injected_slab_failure_and_nofail),
		IOSIM_TEST_RAM(test_ram_kmalloc_objects_are_lowmem),
		IOSIM_TEST_RAM(test_ram_size_classes_and_minalign),
		IOSIM_TEST_RAM(test_ram_no_two_objects_share_a_cache_line),
		IOSIM_TEST_RAM(test_ram_ksize_opens_the_whole_slot),
		IOSIM_TEST_RAM(test_ram_slab_pages_are_shared_and_freed_with_the_last_object),
		IOSIM_TEST_RAM(test_ram_kmalloc_large_gets_compound_blocks),
		IOSIM_TEST_RAM(test_ram_kzalloc_large_is_zero_on_fresh_and_on_reused_frames),
		IOSIM_TEST_RAM(test_ram_kmalloc_beyond_max_size_fails),
		IOSIM_TEST_RAM(test_ram_kmem_cache_alignment),
		IOSIM_TEST_RAM(test_ram_kmem_cache_constructor_runs_per_slot),
		IOSIM_TEST_RAM(test_ram_constructor_that_allocates_is_warned),
		IOSIM_TEST_RAM(test_ram_kmem_cache_destroy_with_live_objects_keeps_the_cache),
		IOSIM_TEST_RAM(test_ram_misuse_is_warned_and_ignored),
		IOSIM_TEST_RAM(test_ram_krealloc_keeps_the_slot_when_it_fits),
		IOSIM_TEST_RAM(test_ram_allocation_failure_at_every_site),
		IOSIM_TEST_RAM(test_ram_every_host_allocation_of_an_object_fails_cleanly),
		IOSIM_TEST_RAM(test_ram_exhaustion_fails_cleanly),
		IOSIM_TEST_RAM(test_ram_objects_that_outlive_their_ram_are_forgotten),
		IOSIM_TEST_RAM(test_ram_recreated_ram_is_noticed),
		IOSIM_TEST_RAM(test_ram_reused_address_of_a_stale_object),
		IOSIM_TEST_RAM(test_ram_reused_address_whose_registry_cannot_be_created),
		IOSIM_TEST_RAM(test_ram_heap_objects_survive_ram_init),
		IOSIM_TEST_RAM(test_ram_host_scope_keeps_objects_off_ram),
		IOSIM_TEST_RAM(test_host_heap_blocks_are_kept_poisoned_and_reused),
		IOSIM_TEST_RAM(test_ram_redzones_are_poisoned),
		IOSIM_TEST_RAM(test_ram_slab_check_finds_corruption),
		IOSIM_TEST_RAM(test_ram_random_workload),
		IOSIM_TEST_RAM(test_ram_concurrent_kmalloc_and_kfree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
