/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/valgrind.h> - whether this file tells valgrind things (simulation
 * API, not kernel API).
 *
 * The slab's redzones, the vmalloc guard pages, the cache model and the
 * hand-made locks describe themselves to memcheck and helgrind with client
 * requests.  Outside valgrind a request is a dozen no-op instructions and a
 * stack array for its arguments, so it is compiled in only where valgrind
 * can run the binary:
 *
 *  - IOSIM_SANITIZED is defined in a build with AddressSanitizer,
 *    ThreadSanitizer or MemorySanitizer (gcc's __SANITIZE_*__, clang's
 *    __has_feature).  valgrind cannot run such a binary; under
 *    AddressSanitizer each request's stack array also got redzones, which
 *    were most of an uncontended spin_lock() and spin_unlock().
 *  - IOSIM_VALGRIND is defined, and <valgrind/memcheck.h> included, when
 *    the build is not sanitized and valgrind's headers are installed.
 *    Release builds (-DNDEBUG) keep the memcheck requests (a release library
 *    may still be run under valgrind) but <linux/spinlock.h> leaves out the
 *    helgrind ones, which are on every lock operation.
 */
#ifndef _IOSIM_VALGRIND_H
#define _IOSIM_VALGRIND_H

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define IOSIM_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
	__has_feature(memory_sanitizer)
#define IOSIM_SANITIZED 1
#endif
#endif

#if !defined(IOSIM_SANITIZED) && __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define IOSIM_VALGRIND 1
#endif

#endif /* _IOSIM_VALGRIND_H */
