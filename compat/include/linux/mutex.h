/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/mutex.h - customised for simulation: struct mutex over pthreads;
 * each thread's held mutexes are recorded (<linux/iosim_held_locks.h>) so a
 * failed test cannot leave one locked for the next.
 */
#ifndef _IOSIM_LINUX_MUTEX_H
#define _IOSIM_LINUX_MUTEX_H

#include <pthread.h>
#include <linux/types.h>
#include <linux/iosim_held_locks.h>

struct mutex {
	pthread_mutex_t m;
};

#define __MUTEX_INITIALIZER(name)	{ PTHREAD_MUTEX_INITIALIZER }
#define DEFINE_MUTEX(name)	struct mutex name = __MUTEX_INITIALIZER(name)

static inline void mutex_init(struct mutex *lock)
{
	pthread_mutex_init(&lock->m, NULL);
}

static inline void mutex_destroy(struct mutex *lock)
{
	pthread_mutex_destroy(&lock->m);
}

/* The release callback of a mutex left held (see <linux/iosim_held_locks.h>). */
void iosim_mutex_release(void *lock);

static inline void mutex_lock(struct mutex *lock)
{
	pthread_mutex_lock(&lock->m);
	iosim_lock_held(lock, iosim_mutex_release);
}

static inline int mutex_trylock(struct mutex *lock)
{
	if (pthread_mutex_trylock(&lock->m))
		return 0;
	iosim_lock_held(lock, iosim_mutex_release);
	return 1;
}

static inline void mutex_unlock(struct mutex *lock)
{
	iosim_lock_dropped(lock);
	pthread_mutex_unlock(&lock->m);
}

#endif /* _IOSIM_LINUX_MUTEX_H */
