// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The locks each thread holds (<linux/iosim_held_locks.h>), its "interrupts
 * disabled" depth (<linux/irqflags.h>), and their release after a test
 * failed while holding them.
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <iosim/locks.h>

_Thread_local struct iosim_held_locks iosim_held_locks;
_Thread_local unsigned long iosim_irqs_off;

void iosim_mutex_release(void *lock)
{
	pthread_mutex_unlock(&((struct mutex *)lock)->m);
}

unsigned int iosim_locks_held(void)
{
	return iosim_held_locks.nr;
}

unsigned int iosim_locks_release_held(void)
{
	struct iosim_held_locks *h = &iosim_held_locks;
	unsigned int nr = h->nr, i = nr < IOSIM_HELD_LOCKS_MAX ? nr : IOSIM_HELD_LOCKS_MAX;

	/* Newest first, the reverse of the order they were taken in. */
	while (i--)
		h->ent[i].release(h->ent[i].lock);
	h->nr = 0;
	/* Interrupts left disabled (a spin_lock_irqsave() section left by longjmp()) count as one. */
	if (iosim_irqs_off) {
		iosim_irqs_off = 0;
		nr++;
	}
	return nr;
}
