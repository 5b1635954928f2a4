// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Per-thread statistics counters (linux/iosim_pcounter.h,
 * compat/kernel/pcounter.c): exact sums with one thread and with many, the
 * words of live threads and of exited ones, more threads than slots, more
 * counters than ids, and the counters built on them (fault-site calls, live
 * objects) staying exact across threads.
 */
#include "iosim_test.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/single_threaded.h>

#include <linux/iosim_pcounter.h>
#include <linux/slab.h>
#include <iosim/fault.h>
#include <iosim/live.h>

#define NR_MANY_COUNTERS	(IOSIM_PCOUNTER_IDS + 8)

static struct iosim_pcounter one_threaded = IOSIM_PCOUNTER_INIT;
static struct iosim_pcounter shared_a = IOSIM_PCOUNTER_INIT;
static struct iosim_pcounter shared_b = IOSIM_PCOUNTER_INIT;
static struct iosim_pcounter crowded = IOSIM_PCOUNTER_INIT;
static struct iosim_pcounter many[NR_MANY_COUNTERS];

/* Runs first: the process has had no second thread yet. */
static void test_a_single_threaded_adds_go_to_the_base(void **state)
{
	(void)state;
	assert_true(__libc_single_threaded);
	iosim_pcounter_add(&one_threaded, 5);
	iosim_pcounter_add(&one_threaded, -2);
	assert_int_equal(iosim_pcounter_sum(&one_threaded), 3);
	assert_int_equal(one_threaded.iosim_base, 3);
	assert_int_equal(one_threaded.iosim_id, 0);
	assert_null(iosim_pcounter_mine);
}

struct adder {
	pthread_t thread;
	struct iosim_pcounter *a, *b;
	long times;
	pthread_barrier_t *added;	/* all have added: the test sums */
	pthread_barrier_t *summed;	/* the test has summed: exit */
	bool had_slot;
};

static void *adder_main(void *p)
{
	struct adder *ad = p;
	long i;

	for (i = 0; i < ad->times; i++) {
		iosim_pcounter_add(ad->a, 1);
		if (ad->b)
			iosim_pcounter_add(ad->b, -2);
	}
	ad->had_slot = iosim_pcounter_mine != NULL;
	if (ad->added) {
		pthread_barrier_wait(ad->added);
		pthread_barrier_wait(ad->summed);
	}
	return NULL;
}

/*
 * Runs @nr threads that each add @times to @a (and -2 * @times to @b); sums
 * both while every thread is alive and has added, and again after the joins.
 * Returns how many threads had a slot of their own.
 */
static unsigned int run_adders(unsigned int nr, long times, struct iosim_pcounter *a,
			       struct iosim_pcounter *b)
{
	struct adder *ad = calloc(nr, sizeof(*ad));
	pthread_barrier_t added, summed;
	long a0 = iosim_pcounter_sum(a), b0 = b ? iosim_pcounter_sum(b) : 0;
	unsigned int i, with_slot = 0;

	assert_non_null(ad);
	assert_int_equal(pthread_barrier_init(&added, NULL, nr + 1), 0);
	assert_int_equal(pthread_barrier_init(&summed, NULL, nr + 1), 0);
	for (i = 0; i < nr; i++) {
		ad[i] = (struct adder){ .a = a, .b = b, .times = times, .added = &added,
					.summed = &summed };
		assert_int_equal(pthread_create(&ad[i].thread, NULL, adder_main, &ad[i]), 0);
	}
	pthread_barrier_wait(&added);
	/* Every word is still in a live thread's slot (or the base). */
	assert_int_equal(iosim_pcounter_sum(a), a0 + (long)nr * times);
	if (b)
		assert_int_equal(iosim_pcounter_sum(b), b0 - 2L * (long)nr * times);
	pthread_barrier_wait(&summed);
	for (i = 0; i < nr; i++) {
		assert_int_equal(pthread_join(ad[i].thread, NULL), 0);
		with_slot += ad[i].had_slot;
	}
	/* The exited threads' words were folded into the bases. */
	assert_int_equal(iosim_pcounter_sum(a), a0 + (long)nr * times);
	if (b)
		assert_int_equal(iosim_pcounter_sum(b), b0 - 2L * (long)nr * times);
	pthread_barrier_destroy(&added);
	pthread_barrier_destroy(&summed);
	free(ad);
	return with_slot;
}

static void test_threads_count_in_their_slots_and_sums_are_exact(void **state)
{
	unsigned int round;

	(void)state;
	for (round = 0; round < 3; round++)
		assert_int_equal(run_adders(8, 10000, &shared_a, &shared_b), 8);
	assert_int_equal(iosim_pcounter_sum(&shared_a), 3 * 8 * 10000L);
	assert_int_equal(iosim_pcounter_sum(&shared_b), -2 * 3 * 8 * 10000L);
	/* The adds landed in slots, not in the shared word. */
	assert_true(shared_a.iosim_id >= 1 && shared_a.iosim_id <= IOSIM_PCOUNTER_IDS);
	/* ...which the exits folded back into the base. */
	assert_int_equal(shared_a.iosim_base, 3 * 8 * 10000L);
	/* The single-threaded adds still count. */
	iosim_pcounter_add(&one_threaded, 1);
	assert_int_equal(iosim_pcounter_sum(&one_threaded), 4);
}

static void test_threads_beyond_the_slots_count_in_the_base(void **state)
{
	const unsigned int nr = IOSIM_PCOUNTER_SLOTS + 6;
	unsigned int with_slot;

	(void)state;
	/* All alive at once: at most every slot but the main thread's has an owner. */
	with_slot = run_adders(nr, 500, &crowded, NULL);
	assert_true(with_slot < nr);
	assert_true(with_slot >= IOSIM_PCOUNTER_SLOTS - 1);
	assert_int_equal(iosim_pcounter_sum(&crowded), (long)nr * 500);
	/* The slots were given back: the next threads get them again. */
	assert_int_equal(run_adders(4, 100, &crowded, NULL), 4);
	assert_int_equal(iosim_pcounter_sum(&crowded), (long)nr * 500 + 400);
}

struct many_adder {
	pthread_t thread;
	long times;
};

static void *many_main(void *p)
{
	struct many_adder *m = p;
	unsigned int c;
	long i;

	for (i = 0; i < m->times; i++)
		for (c = 0; c < NR_MANY_COUNTERS; c++)
			iosim_pcounter_add(&many[c], (long)c + 1);
	return NULL;
}

static void test_counters_beyond_the_ids_count_in_their_base(void **state)
{
	struct many_adder m[3] = { { .times = 300 }, { .times = 300 }, { .times = 300 } };
	unsigned int c, i, without_id = 0;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&m[i].thread, NULL, many_main, &m[i]), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_join(m[i].thread, NULL), 0);
	for (c = 0; c < NR_MANY_COUNTERS; c++) {
		assert_int_equal(iosim_pcounter_sum(&many[c]), 900L * (c + 1));
		without_id += many[c].iosim_id == IOSIM_PCOUNTER_IDS + 1;
	}
	/* More counters than ids: the last ones had none. */
	assert_true(without_id >= NR_MANY_COUNTERS - IOSIM_PCOUNTER_IDS);
}

/* --- the counters built on them --------------------------------------------- */

static void *kmalloc_kfree_main(void *p)
{
	long *times = p, i;

	for (i = 0; i < *times; i++)
		kfree(kmalloc(32, GFP_KERNEL));
	return NULL;
}

static void test_fault_calls_and_live_counts_stay_exact_across_threads(void **state)
{
	long times = 2000;
	pthread_t t[4];
	unsigned int i;

	(void)state;
	iosim_fault_reset();
	assert_int_equal(iosim_fault_calls(IOSIM_FAULT_ALL), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, kmalloc_kfree_main, &times), 0);
	for (i = 0; i < 4; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	assert_int_equal(iosim_fault_calls(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB)), 4 * times);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), 0);
	/* A reset counts from zero again, whatever the threads left. */
	iosim_fault_reset();
	assert_int_equal(iosim_fault_calls(IOSIM_FAULT_ALL), 0);
	kfree(kmalloc(8, GFP_KERNEL));
	assert_int_equal(iosim_fault_calls(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB)), 1);
	/* Arming counts from zero too, and the count decides which call fails. */
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB), 2);
	assert_int_equal(iosim_fault_calls(IOSIM_FAULT_ALL), 0);
	kfree(kmalloc(8, GFP_KERNEL));
	assert_null(kmalloc(8, GFP_KERNEL));
	/* Kernel sites only: the first kmalloc() also created the registry's table. */
	assert_int_equal(iosim_fault_calls(IOSIM_FAULT_KERNEL), 2);
	assert_int_equal(iosim_fault_injected(), 1);
	iosim_fault_reset();
	assert_no_live_objects();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_single_threaded_adds_go_to_the_base),
		cmocka_unit_test(test_threads_count_in_their_slots_and_sums_are_exact),
		cmocka_unit_test(test_threads_beyond_the_slots_count_in_the_base),
		IOSIM_TEST(test_fault_calls_and_live_counts_stay_exact_across_threads),
		/* Last: it uses up the ids. */
		cmocka_unit_test(test_counters_beyond_the_ids_count_in_their_base),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
