/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * compat_counter.h - internal to compat/ (not installed, not a kernel
 * header): statistics counters that any thread may bump and any thread may
 * read (with __atomic_load_n).
 *
 * While the process has one thread (glibc's __libc_single_threaded, which
 * glibc's own locks consult the same way) nobody else can see the counter,
 * so the add is a plain one; afterwards it is a relaxed atomic add.  On the
 * build machine an atomic read-modify-write costs 20-40 cycles.  Thread
 * creation orders the plain adds before any other thread's access, so
 * ThreadSanitizer sees no race.
 *
 * For counters inside objects (a device's cache-model counters).  The
 * process-wide counters that hot paths bump on every operation (fault-site
 * calls, live objects, the IOVA spares) are per thread instead, which needs
 * them in static storage: <linux/iosim_pcounter.h>.
 */
#ifndef _IOSIM_COMPAT_COUNTER_H
#define _IOSIM_COMPAT_COUNTER_H

#include <sys/single_threaded.h>

#define iosim_counter_add(counter, delta) do {					\
	if (__libc_single_threaded)						\
		*(counter) += (delta);						\
	else									\
		__atomic_fetch_add((counter), (delta), __ATOMIC_RELAXED);	\
} while (0)

#endif /* _IOSIM_COMPAT_COUNTER_H */
