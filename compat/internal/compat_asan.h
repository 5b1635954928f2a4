/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * compat_asan.h - internal to compat/ (not installed, not a kernel header):
 * IOSIM_ASAN is defined, and <sanitizer/asan_interface.h> included, when
 * the file is compiled with AddressSanitizer (gcc says so with
 * __SANITIZE_ADDRESS__, clang with __has_feature).  For the code that tells
 * ASan what simulated memory may be touched (slab redzones, vmalloc guard
 * pages) or checks a range once before an unchecked scan (memchr_inv()).
 */
#ifndef _IOSIM_COMPAT_ASAN_H
#define _IOSIM_COMPAT_ASAN_H

#if defined(__SANITIZE_ADDRESS__)
#define IOSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IOSIM_ASAN 1
#endif
#endif
#ifdef IOSIM_ASAN
#include <sanitizer/asan_interface.h>
#endif

#endif /* _IOSIM_COMPAT_ASAN_H */
