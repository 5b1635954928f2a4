// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The contended halves of spinlock_t (linux/spinlock.h): spin, then park.
 *
 * A waiter first spins, looking at the word with a plain load after 1, 2,
 * 4 ... IOSIM_SPIN_MAX_DELAY pauses (exponential backoff: few looks, so the
 * holder keeps the line it writes, and the holder often takes the lock again
 * at once, which keeps the data it works on in one core's cache), trying to
 * take the lock whenever it reads free.  Critical sections in this code base
 * are a few hundred nanoseconds, so most contended acquisitions end here
 * without a system call.  After IOSIM_SPIN_SPINS pauses in all it marks the
 * lock "parked" and sleeps on the lock word with FUTEX_WAIT until an unlock
 * that sees the mark wakes one sleeper.  A thread that takes the lock after
 * parking leaves the mark set (it cannot know whether others still sleep),
 * which costs at most one spare wake.
 *
 * The two bounds set how often the lock changes cores under contention, and
 * each change moves the lock's line and those of the data it guards: about
 * 1 us on the build machine, where a line takes over 200 ns from one core
 * to the other.  With 1024 and 4000 (a look at least every 20 us, parked
 * after 76 us; a pause is 19 ns there) two threads on one IOVA domain
 * handed the lock over once in about 400 acquisitions and lost 15-18 % of
 * one thread's throughput; with 4096 and 16000 (a look at least every
 * 78 us, parked after 0.3 ms) half as often, and the two threads did 7-15 %
 * more than with the old bounds in five of six alternating measurements
 * (issue 14, docs/performance.md).  The price is that a waiter waits and
 * spins longer, which a simulation whose threads share a few locks for
 * short sections can pay.
 */
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/spinlock.h>

/* Pause instructions before parking: a few hundred microseconds. */
#define IOSIM_SPIN_SPINS	16000
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
	unsigned int spins = 0, delay = 1, i;

	while (spins < IOSIM_SPIN_SPINS) {
		for (i = 0; i < delay; i++)
			iosim_spin_pause();
		spins += delay;
		if (__atomic_load_n(&lock->iosim_word, __ATOMIC_RELAXED) == IOSIM_SPIN_FREE &&
		    iosim_spin_try(lock))
			return;
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
