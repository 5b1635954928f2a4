/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/iosim_held_locks.h - customised: simulation only (no kernel
 * counterpart), the sleeping locks the current
 * thread holds, so that a test failing while it holds one (CMocka leaves a
 * failed test by longjmp(), past the unlock) does not hang the next test:
 * the fixture's teardown releases what was left held and fails the test
 * that left it (iosim_locks_release_held(), <iosim/locks.h>).  Mutexes and
 * notifier-chain rwsems record themselves here; spinlocks never run test
 * code and are not tracked.
 */
#ifndef _IOSIM_LINUX_HELD_LOCKS_H
#define _IOSIM_LINUX_HELD_LOCKS_H

#define IOSIM_HELD_LOCKS_MAX	32

struct iosim_held_lock {
	void *lock;
	void (*release)(void *lock);
};

struct iosim_held_locks {
	unsigned int nr;
	struct iosim_held_lock ent[IOSIM_HELD_LOCKS_MAX];
};

extern _Thread_local struct iosim_held_locks iosim_held_locks;

/* Record @lock as held by this thread (beyond the table's size: not tracked). */
static inline void iosim_lock_held(void *lock, void (*release)(void *lock))
{
	struct iosim_held_locks *h = &iosim_held_locks;

	if (h->nr < IOSIM_HELD_LOCKS_MAX) {
		h->ent[h->nr].lock = lock;
		h->ent[h->nr].release = release;
	}
	h->nr++;
}

/* Forget @lock (the most recent record of it; locks need not nest). */
static inline void iosim_lock_dropped(void *lock)
{
	struct iosim_held_locks *h = &iosim_held_locks;
	unsigned int i = h->nr < IOSIM_HELD_LOCKS_MAX ? h->nr : IOSIM_HELD_LOCKS_MAX;

	if (!h->nr)
		return;
	if (h->nr > IOSIM_HELD_LOCKS_MAX) {
		h->nr--;
		return;
	}
	while (i--) {
		if (h->ent[i].lock == lock) {
			for (; i + 1 < h->nr; i++)
				h->ent[i] = h->ent[i + 1];
			h->nr--;
			return;
		}
	}
}

#endif /* _IOSIM_LINUX_HELD_LOCKS_H */
