/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/string.h - customised: the kernel's string functions are glibc's,
 * plus the kernel's own that glibc lacks (compat/lib/string.c).  Shares
 * its name with a uapi header that no glibc header includes, so nothing is
 * included_next; <string.h> provides the functions.
 */
#ifndef _IOSIM_LINUX_STRING_H
#define _IOSIM_LINUX_STRING_H

#include <string.h>
#include <linux/types.h>

void *kmemdup(const void *src, size_t len, gfp_t gfp);
char *kstrdup(const char *s, gfp_t gfp);
void *memchr_inv(const void *start, int c, size_t bytes);

#endif /* _IOSIM_LINUX_STRING_H */
