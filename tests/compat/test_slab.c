// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The slab allocator.  Without simulated RAM (IOSIM_TEST): accounting, misuse
 * detection and failure injection over heap-backed objects.  With RAM
 * (IOSIM_TEST_RAM): objects are lowmem (virt_to_page/virt_to_phys, device
 * writes through the physical address), size classes and alignment, slab
 * pages shared by objects and freed with the last one, kmalloc_large blocks,
 * kmem_cache pools and constructors, failure at the slab and page sites,
 * objects that outlive their RAM, ASan redzones, the sanity checker against
 * corruption, and a random workload checked after every step.
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
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/slab.h>
#include <iosim/warn.h>

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#ifdef TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

#define assert_slab_ok()	assert_int_equal(iosim_slab_check(), 0)
#define assert_ram_ok()		assert_int_equal(iosim_ram_check(), 0)
#define assert_aligned(p, a)	assert_int_equal((uintptr_t)(p) % (a), 0)

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_kmalloc_counts_live_objects),
		IOSIM_TEST(test_kmalloc_zero_returns_zero_size_ptr),
		IOSIM_TEST(test_double_kfree_is_warned_and_ignored),
		IOSIM_TEST(test_kfree_of_a_stranger_is_warned_and_ignored),
		IOSIM_TEST(test_kcalloc_overflow_fails_cleanly),
		IOSIM_TEST(test_krealloc_keeps_contents),
		IOSIM_TEST(test_kmemdup_and_kstrdup_copy),
		IOSIM_TEST(test_kmem_cache_allocates_aligned_constructed_objects),
		IOSIM_TEST(test_kmem_cache_free_to_the_wrong_cache_is_warned),
		IOSIM_TEST(test_kmem_cache_destroy_with_objects_is_warned_and_kept),
		IOSIM_TEST(test_injected_slab_failure_and_nofail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
