/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/spinlock.h - customised for simulation: a spinlock_t spins for a
 * while and then parks the thread (futex), so that a holder preempted on a
 * busy host is not spun on for a whole time slice, and so that waiters do not
 * slow the holder down (total throughput holds up as threads are added; a
 * pthread mutex parks at once, and every contended hand-over then costs a
 * futex sleep and wake).  Uncontended, lock and unlock are one atomic
 * operation each, inline.  There are no interrupts, but the _irq and
 * _irqsave variants keep the thread's "interrupts disabled" state of
 * <linux/irqflags.h> as the kernel's do (irqs_disabled() is true inside
 * them; @flags nest).  Lock ordering and mutual exclusion are as in the
 * kernel.
 *
 * The lock word has acquire/release ordering, so ThreadSanitizer sees the
 * happens-before edges.  helgrind does not know hand-made locks: in builds
 * with assertions (the ones the valgrind and helgrind test setups run) the
 * lock describes itself to it with client requests.  A zeroed spinlock_t
 * (kzalloc, static storage) is unlocked, as in the kernel.
 */
#ifndef _IOSIM_LINUX_SPINLOCK_H
#define _IOSIM_LINUX_SPINLOCK_H

#include <stdbool.h>
#include <sys/single_threaded.h>
#include <linux/types.h>
#include <linux/irqflags.h>
#include <iosim/valgrind.h>

/*
 * Telling helgrind about a hand-made lock whose state is the int at @word:
 * for spinlock_t here and for lib/iova's slot lock.  Client requests are a
 * dozen no-op instructions even outside valgrind, so release builds
 * (-DNDEBUG: benchmarks, installs) leave them out, and so do sanitizer
 * builds, which valgrind cannot run (<iosim/valgrind.h>).
 */
#if !defined(NDEBUG) && defined(IOSIM_VALGRIND) && __has_include(<valgrind/helgrind.h>)
#include <valgrind/helgrind.h>
#define IOSIM_LOCK_CREATED(l, word) do {					\
	ANNOTATE_RWLOCK_CREATE(l);						\
	ANNOTATE_BENIGN_RACE_SIZED(word, sizeof(*(word)), "lock word");	\
} while (0)
#define IOSIM_LOCK_ACQUIRED(l)	ANNOTATE_RWLOCK_ACQUIRED(l, 1)
#define IOSIM_LOCK_RELEASED(l)	ANNOTATE_RWLOCK_RELEASED(l, 1)
/*
 * A word written under a lock and read with an atomic load without it, on
 * purpose (a fast path that only takes the lock when the word says so):
 * helgrind does not model C11 atomics, ThreadSanitizer does.
 */
#define IOSIM_LOCKLESS_READS(word)	\
	ANNOTATE_BENIGN_RACE_SIZED(word, sizeof(*(word)), "read locklessly, atomically")
#else
#define IOSIM_LOCK_CREATED(l, word)	do { (void)(l); (void)(word); } while (0)
#define IOSIM_LOCK_ACQUIRED(l)	do { (void)(l); } while (0)
#define IOSIM_LOCK_RELEASED(l)	do { (void)(l); } while (0)
#define IOSIM_LOCKLESS_READS(word)	do { (void)(word); } while (0)
#endif

/* A spin-wait hint to the CPU (compat's cpu_relax() is empty). */
static inline void iosim_spin_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

/* The lock word's states. */
#define IOSIM_SPIN_FREE		0
#define IOSIM_SPIN_HELD		1
#define IOSIM_SPIN_PARKED	2	/* held, and a thread may sleep on it */

typedef struct spinlock {
	int iosim_word;		/* IOSIM_SPIN_* */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)	{ IOSIM_SPIN_FREE }
#define DEFINE_SPINLOCK(name)	spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

/* compat/kernel/spinlock.c: the contended halves, out of line. */
void iosim_spin_lock_contended(spinlock_t *lock);
void iosim_spin_unlock_wake(spinlock_t *lock);

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->iosim_word = IOSIM_SPIN_FREE;
	IOSIM_LOCK_CREATED(lock, &lock->iosim_word);
}

/*
 * While the process has one thread (glibc's __libc_single_threaded, which
 * its own mutexes consult the same way) nobody else can see the word: plain
 * loads and stores do, where an atomic operation costs 20-40 cycles.  A lock
 * taken this way and released after a second thread appeared is released
 * atomically; the word is the same.
 */
static inline bool iosim_spin_try(spinlock_t *lock)
{
	int expected = IOSIM_SPIN_FREE;

	if (__libc_single_threaded) {
		if (lock->iosim_word != IOSIM_SPIN_FREE)
			return false;
		lock->iosim_word = IOSIM_SPIN_HELD;
		return true;
	}
	return __atomic_compare_exchange_n(&lock->iosim_word, &expected, IOSIM_SPIN_HELD, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_lock(spinlock_t *lock)
{
	if (!iosim_spin_try(lock))
		iosim_spin_lock_contended(lock);
	IOSIM_LOCK_ACQUIRED(lock);
}

static inline int spin_trylock(spinlock_t *lock)
{
	if (!iosim_spin_try(lock))
		return 0;
	IOSIM_LOCK_ACQUIRED(lock);
	return 1;
}

static inline void spin_unlock(spinlock_t *lock)
{
	IOSIM_LOCK_RELEASED(lock);
	if (__libc_single_threaded) {
		lock->iosim_word = IOSIM_SPIN_FREE;
		return;
	}
	if (__atomic_exchange_n(&lock->iosim_word, IOSIM_SPIN_FREE, __ATOMIC_RELEASE) ==
	    IOSIM_SPIN_PARKED)
		iosim_spin_unlock_wake(lock);
}

/* As the kernel: interrupts off before the lock is taken, back on after it is released. */
#define spin_lock_irqsave(lock, flags) \
	do { local_irq_save(flags); spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags) \
	do { spin_unlock(lock); local_irq_restore(flags); } while (0)
#define spin_lock_irq(lock) \
	do { local_irq_disable(); spin_lock(lock); } while (0)
#define spin_unlock_irq(lock) \
	do { spin_unlock(lock); local_irq_enable(); } while (0)
#define spin_lock_bh(lock)	spin_lock(lock)
#define spin_unlock_bh(lock)	spin_unlock(lock)

/* Preemption control: nothing to do in userspace. */
#define preempt_disable()		do { } while (0)
#define preempt_enable()		do { } while (0)

#endif /* _IOSIM_LINUX_SPINLOCK_H */
