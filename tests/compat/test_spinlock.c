// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * spinlock_t (linux/spinlock.h, compat/kernel/spinlock.c): mutual exclusion
 * across threads, the park-and-wake path, trylock, and a lock taken while the
 * process had one thread and released after a second one appeared.
 */
#include "iosim_test.h"

#include <pthread.h>
#include <sys/single_threaded.h>
#include <time.h>

#include <linux/spinlock.h>

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* --- taken with one thread, released with two -------------------------------- */

struct try_arg {
	spinlock_t *lock;
	int got;
};

static void *try_once(void *p)
{
	struct try_arg *arg = p;

	arg->got = spin_trylock(arg->lock);
	if (arg->got)
		spin_unlock(arg->lock);
	return NULL;
}

static int try_from_another_thread(spinlock_t *lock)
{
	struct try_arg arg = { .lock = lock };
	pthread_t t;

	assert_int_equal(pthread_create(&t, NULL, try_once, &arg), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	return arg.got;
}

/* Runs first: the process has had no second thread yet. */
static void test_a_lock_taken_single_threaded_holds_once_a_thread_appears(void **state)
{
	spinlock_t lock;

	(void)state;
	spin_lock_init(&lock);
	assert_true(__libc_single_threaded);
	spin_lock(&lock);
	assert_int_equal(lock.iosim_word, IOSIM_SPIN_HELD);
	/* A second thread now exists: it must see the lock held. */
	assert_int_equal(try_from_another_thread(&lock), 0);
	spin_unlock(&lock);
	assert_int_equal(lock.iosim_word, IOSIM_SPIN_FREE);
	assert_int_equal(try_from_another_thread(&lock), 1);
	assert_int_equal(lock.iosim_word, IOSIM_SPIN_FREE);
}

static void test_trylock_fails_while_held_and_succeeds_after(void **state)
{
	DEFINE_SPINLOCK(lock);

	(void)state;
	assert_int_equal(spin_trylock(&lock), 1);
	assert_int_equal(spin_trylock(&lock), 0);
	assert_int_equal(try_from_another_thread(&lock), 0);
	spin_unlock(&lock);
	assert_int_equal(spin_trylock(&lock), 1);
	spin_unlock(&lock);
	assert_int_equal(lock.iosim_word, IOSIM_SPIN_FREE);
}

/* --- mutual exclusion under contention ------------------------------------------ */

#define COUNT_THREADS	4
#define COUNT_ROUNDS	100000

struct count_arg {
	spinlock_t *lock;
	unsigned long *counter;		/* plain: only the lock protects it */
	unsigned long *inside;		/* threads inside the section right now */
	unsigned long overlaps;		/* times this thread saw another inside */
};

static void *count_up(void *p)
{
	struct count_arg *arg = p;
	unsigned long flags;
	int i;

	for (i = 0; i < COUNT_ROUNDS; i++) {
		spin_lock_irqsave(arg->lock, flags);
		if ((*arg->inside)++)
			arg->overlaps++;
		(*arg->counter)++;
		(*arg->inside)--;
		spin_unlock_irqrestore(arg->lock, flags);
	}
	return NULL;
}

static void test_threads_never_overlap_inside_the_lock(void **state)
{
	struct count_arg args[COUNT_THREADS];
	pthread_t threads[COUNT_THREADS];
	unsigned long counter = 0, inside = 0;
	spinlock_t lock;
	int i;

	(void)state;
	spin_lock_init(&lock);
	for (i = 0; i < COUNT_THREADS; i++) {
		args[i] = (struct count_arg){ .lock = &lock, .counter = &counter, .inside = &inside };
		assert_int_equal(pthread_create(&threads[i], NULL, count_up, &args[i]), 0);
	}
	for (i = 0; i < COUNT_THREADS; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(args[i].overlaps, 0);
	}
	assert_int_equal(counter, (unsigned long)COUNT_THREADS * COUNT_ROUNDS);
	assert_int_equal(inside, 0);
	assert_int_equal(lock.iosim_word, IOSIM_SPIN_FREE);
}

/* --- a long hold: the waiter parks and is woken ---------------------------------- */

struct park_arg {
	spinlock_t *lock;
	int released;		/* set by the holder just before it unlocks */
	int saw_released;	/* what the waiter read once it had the lock */
	int done;
};

static void *wait_for_lock(void *p)
{
	struct park_arg *arg = p;

	spin_lock(arg->lock);
	arg->saw_released = __atomic_load_n(&arg->released, __ATOMIC_RELAXED);
	spin_unlock(arg->lock);
	__atomic_store_n(&arg->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void test_a_waiter_on_a_long_hold_parks_and_is_woken_by_the_unlock(void **state)
{
	struct park_arg arg = { 0 };
	spinlock_t lock;
	pthread_t t;
	int waited_ms;

	(void)state;
	spin_lock_init(&lock);
	arg.lock = &lock;
	spin_lock(&lock);
	assert_int_equal(pthread_create(&t, NULL, wait_for_lock, &arg), 0);
	/* The waiter spins for microseconds, then marks the word and sleeps. */
	for (waited_ms = 0; waited_ms < 10000; waited_ms++) {
		if (__atomic_load_n(&lock.iosim_word, __ATOMIC_RELAXED) == IOSIM_SPIN_PARKED)
			break;
		sleep_ms(1);
	}
	assert_int_equal(__atomic_load_n(&lock.iosim_word, __ATOMIC_RELAXED), IOSIM_SPIN_PARKED);
	sleep_ms(20);
	assert_int_equal(__atomic_load_n(&arg.done, __ATOMIC_ACQUIRE), 0);
	__atomic_store_n(&arg.released, 1, __ATOMIC_RELAXED);
	spin_unlock(&lock);		/* sees the mark: wakes the sleeper */
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(arg.saw_released, 1);
	assert_int_equal(arg.done, 1);
	/* The woken thread took it as "parked" and left it free. */
	assert_int_equal(lock.iosim_word, IOSIM_SPIN_FREE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_a_lock_taken_single_threaded_holds_once_a_thread_appears),
		IOSIM_TEST(test_trylock_fails_while_held_and_succeeds_after),
		IOSIM_TEST(test_threads_never_overlap_inside_the_lock),
		IOSIM_TEST(test_a_waiter_on_a_long_hold_parks_and_is_woken_by_the_unlock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
