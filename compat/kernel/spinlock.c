// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The contended halves of spinlock_t (linux/spinlock.h): spin, then park.
 *
 * A waiter first spins, looking at the word with a plain load after
 * IOSIM_SPIN_FIRST_DELAY pauses, then after twice as many each time up to
 * IOSIM_SPIN_MAX_DELAY (exponential backoff: few looks, so the holder keeps
 * the line it writes, and the holder often takes the lock again at once,
 * which keeps the data it works on in one core's cache), trying to take the
 * lock whenever it reads free.  Critical sections in this code base are a
 * few hundred nanoseconds, so most contended acquisitions end here without
 * a system call.  After IOSIM_SPIN_SPINS pauses in all it marks the lock
 * "parked" and sleeps on the lock word with FUTEX_WAIT until an unlock that
 * sees the mark wakes one sleeper.  A thread that takes the lock after
 * parking leaves the mark set (it cannot know whether others still sleep),
 * which costs at most one spare wake.
 *
 * The bounds set how often the lock changes cores under contention, and
 * each change moves the lock's line and those of the data it guards: about
 * 1 us on the build machine, where a line takes over 200 ns from one core
 * to the other.  While two threads take turns on one lock, only one makes
 * progress at a time whatever the lock does; what the lock decides is how
 * much of the time goes into hand-overs.  Measured with two threads on one
 * IOVA domain (issue 14, docs/performance.md; a pause is 19 ns there):
 *  - first look after 1 pause, at most 1024 between looks, parked after
 *    4000: the lock changed hands once in about 400 acquisitions, and two
 *    threads did 15-18 % less than one;
 *  - 1, 4096, 16000: half as many hand-overs, 8-14 % less than one;
 *  - 256, 4096, 16000 (these bounds): 3-5 % less than one, and four
 *    threads on the two cores 5-9 % less instead of 11-14 %.  Only the
 *    first looks were dropped: they are the ones most likely to find the
 *    lock in the short gap between the holder's unlock and its next lock
 *    (the hand-overs themselves were not counted for these bounds).
 * The price is latency: a waiter waits at least about 5 us, and spins up to
 * 0.3 ms before it parks, which a simulation whose threads share a few
 * locks for short sections can pay.
 *
 * From the third look on (after some 35 us of waiting) the waiter also
 * calls sched_yield() after each look.  More threads than cores is where a
 * spinning waiter hurts: the holder, preempted at the end of its time slice,
 * cannot finish while the waiter keeps the core it needs.  Yielding lets it
 * run; with a core to itself the call returns at once.  Measured with
 * iova_bench threads --rows 16 (and 8) --seconds 3, five runs each: four
 * threads on the two cores did 0.89 of what two did without the yields
 * (0.885-0.891), 0.92 with them (0.92-0.93; fast path at 64 granules 0.90 ->
 * 0.93-0.95); one and two threads did the same either way.  Yielding from the
 * first look on gained no more.
 */
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/spinlock.h>

/* Pauses before the first look at the lock word: about 5 us. */
#define IOSIM_SPIN_FIRST_DELAY	256
/* Pause instructions before parking: a few hundred microseconds. */
#define IOSIM_SPIN_SPINS	16000
/* From the look after this many pauses on, yield the CPU after each look. */
#define IOSIM_SPIN_YIELD_DELAY	1024
/* The longest wait between two looks at the lock word, in pauses. */
#define IOSIM_SPIN_MAX_DELAY	4096

static void futex_wait(int *word, int val)
{
	/* EAGAIN (the word changed) and EINTR: the caller looks again. */
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

/**
 * iosim_spin_lock_contended - take @lock after a failed first attempt
 * @lock: the lock; spin_lock() calls this, nothing else should
 *
 * Context: any thread; may sleep in the kernel (FUTEX_WAIT) after spinning.
 */
void iosim_spin_lock_contended(spinlock_t *lock)
{
	unsigned int spins = 0, delay = IOSIM_SPIN_FIRST_DELAY, i;

	while (spins < IOSIM_SPIN_SPINS) {
		for (i = 0; i < delay; i++)
			iosim_spin_pause();
		spins += delay;
		if (__atomic_load_n(&lock->iosim_word, __ATOMIC_RELAXED) == IOSIM_SPIN_FREE &&
		    iosim_spin_try(lock))
			return;
		if (delay >= IOSIM_SPIN_YIELD_DELAY)
			sched_yield();
		if (delay < IOSIM_SPIN_MAX_DELAY)
			delay <<= 1;
	}
	while (__atomic_exchange_n(&lock->iosim_word, IOSIM_SPIN_PARKED, __ATOMIC_ACQUIRE) !=
	       IOSIM_SPIN_FREE)
		futex_wait(&lock->iosim_word, IOSIM_SPIN_PARKED);
}

/**
 * iosim_spin_unlock_wake - wake one thread parked on @lock
 * @lock: the lock, just released by spin_unlock() which saw it parked
 *
 * Context: any thread.
 */
void iosim_spin_unlock_wake(spinlock_t *lock)
{
	syscall(SYS_futex, &lock->iosim_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}
