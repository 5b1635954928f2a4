/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/locks.h> - the sleeping locks (mutexes, notifier-chain rwsems) the
 * calling thread holds.  A CMocka test that fails leaves by longjmp(), past
 * any unlock: the fixtures release what it left held before anything else,
 * and fail it for that, so the next test starts clean instead of hanging.
 */
#ifndef _IOSIM_LOCKS_H
#define _IOSIM_LOCKS_H

/** iosim_locks_held - how many tracked locks the calling thread holds now. */
unsigned int iosim_locks_held(void);

/**
 * iosim_locks_release_held - release every tracked lock the calling thread
 * holds, newest first, and enable its "interrupts" if they were left disabled
 *
 * Context: a test fixture's teardown, never code that legitimately holds
 * the locks.
 * Return: how many were held, interrupts left disabled counting as one
 * (0: nothing done).
 */
unsigned int iosim_locks_release_held(void);

#endif /* _IOSIM_LOCKS_H */
