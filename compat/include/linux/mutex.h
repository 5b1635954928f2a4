/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* linux/mutex.h - customised for simulation: struct mutex over pthreads. */
#ifndef _IOSIM_LINUX_MUTEX_H
#define _IOSIM_LINUX_MUTEX_H

#include <pthread.h>
#include <linux/types.h>

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

static inline void mutex_lock(struct mutex *lock)
{
	pthread_mutex_lock(&lock->m);
}

static inline int mutex_trylock(struct mutex *lock)
{
	return pthread_mutex_trylock(&lock->m) == 0;
}

static inline void mutex_unlock(struct mutex *lock)
{
	pthread_mutex_unlock(&lock->m);
}

#endif /* _IOSIM_LINUX_MUTEX_H */
