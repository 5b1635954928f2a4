// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Locks left held by a test that failed (left by longjmp()) are tracked
 * and released, so the next test does not hang on them.
 */
#include "iosim_test.h"

#include <setjmp.h>

#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <iosim/locks.h>

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);

static void test_mutexes_are_tracked_while_held(void **state)
{
	(void)state;
	assert_int_equal(iosim_locks_held(), 0);
	mutex_lock(&lock_a);
	assert_int_equal(iosim_locks_held(), 1);
	assert_true(mutex_trylock(&lock_b));
	assert_int_equal(iosim_locks_held(), 2);
	mutex_unlock(&lock_a);		/* out of order is fine */
	assert_int_equal(iosim_locks_held(), 1);
	mutex_unlock(&lock_b);
	assert_int_equal(iosim_locks_held(), 0);
	assert_int_equal(iosim_locks_release_held(), 0);
}

static void test_a_mutex_left_held_is_released_and_usable_again(void **state)
{
	(void)state;
	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	assert_int_equal(iosim_locks_release_held(), 2);
	assert_int_equal(iosim_locks_held(), 0);
	/* Both can be taken again: without the release this would deadlock. */
	assert_true(mutex_trylock(&lock_a));
	assert_true(mutex_trylock(&lock_b));
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);
}

static jmp_buf escape;

/* A notifier callback that "fails" the way a CMocka assertion does. */
static int failing_callback(struct notifier_block *nb, unsigned long action, void *data)
{
	(void)nb;
	(void)action;
	(void)data;
	longjmp(escape, 1);
	return NOTIFY_DONE;
}

static void test_a_chain_left_locked_by_a_failing_callback_is_released(void **state)
{
	static BLOCKING_NOTIFIER_HEAD(chain);
	struct notifier_block nb = { .notifier_call = failing_callback };

	(void)state;
	assert_int_equal(blocking_notifier_chain_register(&chain, &nb), 0);
	if (!setjmp(escape))
		blocking_notifier_call_chain(&chain, 1, NULL);
	/* We are out of the callback with the chain's rwsem still read-held. */
	assert_int_equal(iosim_locks_held(), 1);
	assert_int_equal(iosim_locks_release_held(), 1);
	/* Registration takes the rwsem for writing: it no longer hangs. */
	assert_int_equal(blocking_notifier_chain_unregister(&chain, &nb), 0);
	assert_int_equal(iosim_locks_held(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_mutexes_are_tracked_while_held),
		IOSIM_TEST(test_a_mutex_left_held_is_released_and_usable_again),
		IOSIM_TEST(test_a_chain_left_locked_by_a_failing_callback_is_released),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
