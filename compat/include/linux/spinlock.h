/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/spinlock.h - customised for simulation: spinlocks are pthread
 * mutexes (userspace threads can be preempted while holding one, so a real
 * spin would burn the other core).  The irqsave variants save 0 in @flags:
 * there are no interrupts.  Lock ordering and mutual exclusion are as in the
 * kernel, so ThreadSanitizer and helgrind see the same races the kernel
 * would have.
 */
#ifndef _IOSIM_LINUX_SPINLOCK_H
#define _IOSIM_LINUX_SPINLOCK_H

#include <pthread.h>
#include <linux/types.h>

typedef struct spinlock {
	pthread_mutex_t m;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED(name)	{ PTHREAD_MUTEX_INITIALIZER }
#define DEFINE_SPINLOCK(name)	spinlock_t name = __SPIN_LOCK_UNLOCKED(name)

static inline void spin_lock_init(spinlock_t *lock)
{
	pthread_mutex_init(&lock->m, NULL);
}

static inline void spin_lock(spinlock_t *lock)
{
	pthread_mutex_lock(&lock->m);
}

static inline int spin_trylock(spinlock_t *lock)
{
	return pthread_mutex_trylock(&lock->m) == 0;
}

static inline void spin_unlock(spinlock_t *lock)
{
	pthread_mutex_unlock(&lock->m);
}

#define spin_lock_irqsave(lock, flags) \
	do { (flags) = 0; spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags) \
	do { (void)(flags); spin_unlock(lock); } while (0)
#define spin_lock_irq(lock)	spin_lock(lock)
#define spin_unlock_irq(lock)	spin_unlock(lock)
#define spin_lock_bh(lock)	spin_lock(lock)
#define spin_unlock_bh(lock)	spin_unlock(lock)

/* Interrupt and preemption control: nothing to mask in userspace. */
#define local_irq_save(flags)		do { (flags) = 0; } while (0)
#define local_irq_restore(flags)	do { (void)(flags); } while (0)
#define preempt_disable()		do { } while (0)
#define preempt_enable()		do { } while (0)

#endif /* _IOSIM_LINUX_SPINLOCK_H */
