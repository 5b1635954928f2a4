/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/kernel.h - faithful re-implementation of the kernel's arithmetic
 * helpers (min/max with type checks, ALIGN, DIV_ROUND_UP, container_of...).
 *
 * Shares its name with the uapi header (which <sys/sysinfo.h> includes): we
 * #include_next it so glibc keeps working.
 */
#ifndef _IOSIM_LINUX_KERNEL_H
#define _IOSIM_LINUX_KERNEL_H

#include_next <linux/kernel.h>

#include <limits.h>
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/export.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/string.h>

#define U8_MAX		((u8)~0U)
#define S8_MAX		((s8)(U8_MAX >> 1))
#define S8_MIN		((s8)(-S8_MAX - 1))
#define U16_MAX		((u16)~0U)
#define S16_MAX		((s16)(U16_MAX >> 1))
#define S16_MIN		((s16)(-S16_MAX - 1))
#define U32_MAX		((u32)~0U)
#define S32_MAX		((s32)(U32_MAX >> 1))
#define S32_MIN		((s32)(-S32_MAX - 1))
#define U64_MAX		((u64)~0ULL)
#define S64_MAX		((s64)(U64_MAX >> 1))
#define S64_MIN		((s64)(-S64_MAX - 1))

#define ARRAY_SIZE(arr)	(sizeof(arr) / sizeof((arr)[0]))

/* The uapi <linux/const.h> may already define these two, identically. */
#ifndef __ALIGN_KERNEL_MASK
#define __ALIGN_KERNEL_MASK(x, mask)	(((x) + (mask)) & ~(mask))
#endif
#ifndef __ALIGN_KERNEL
#define __ALIGN_KERNEL(x, a)		__ALIGN_KERNEL_MASK(x, (typeof(x))(a) - 1)
#endif
#define ALIGN(x, a)			__ALIGN_KERNEL((x), (a))
#define __ALIGN_MASK(x, mask)		__ALIGN_KERNEL_MASK((x), (mask))
#define PTR_ALIGN(p, a)			((typeof(p))ALIGN((unsigned long)(p), (a)))
#define IS_ALIGNED(x, a)		(((x) & ((typeof(x))(a) - 1)) == 0)

/* round_up/round_down: @y must be a power of two. */
#define __round_mask(x, y)	((__typeof__(x))((y) - 1))
#define round_up(x, y)		((((x) - 1) | __round_mask(x, y)) + 1)
#define round_down(x, y)	((x) & ~__round_mask(x, y))

#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define DIV_ROUND_UP_ULL(ll, d)	((unsigned long long)DIV_ROUND_UP((unsigned long long)(ll), (d)))
#define roundup(x, y)		((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y)		((x) - ((x) % (y)))

#define upper_32_bits(n)	((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n)	((u32)(n))

/*
 * Type-checked min/max: comparing distinct types warns, as in the kernel.
 * Temporaries get unique names (__COUNTER__) so nesting does not shadow.
 */
#define __IOSIM_PASTE(a, b)		a##b
#define __IOSIM_UNIQUE_ID(prefix, n)	__IOSIM_PASTE(prefix, n)

#define __iosim_cmp(op, x, y, a, b) ({		\
	typeof(x) a = (x);			\
	typeof(y) b = (y);			\
	(void) (&a == &b);			\
	a op b ? a : b; })

#define __iosim_cmp_t(type, op, x, y, a, b) ({	\
	type a = (x);				\
	type b = (y);				\
	a op b ? a : b; })

#define min(x, y)	__iosim_cmp(<, x, y, __IOSIM_UNIQUE_ID(__min1_, __COUNTER__), \
				    __IOSIM_UNIQUE_ID(__min2_, __COUNTER__))
#define max(x, y)	__iosim_cmp(>, x, y, __IOSIM_UNIQUE_ID(__max1_, __COUNTER__), \
				    __IOSIM_UNIQUE_ID(__max2_, __COUNTER__))
#define min_t(type, x, y) __iosim_cmp_t(type, <, x, y, __IOSIM_UNIQUE_ID(__min1_, __COUNTER__), \
					 __IOSIM_UNIQUE_ID(__min2_, __COUNTER__))
#define max_t(type, x, y) __iosim_cmp_t(type, >, x, y, __IOSIM_UNIQUE_ID(__max1_, __COUNTER__), \
					 __IOSIM_UNIQUE_ID(__max2_, __COUNTER__))

#define min3(x, y, z)	min((typeof(x))min(x, y), z)
#define max3(x, y, z)	max((typeof(x))max(x, y), z)

#define clamp(val, lo, hi)		min((typeof(val))max(val, lo), hi)
#define clamp_t(type, val, lo, hi)	min_t(type, max_t(type, val, lo), hi)

#define swap(a, b) \
	do { typeof(a) __tmp = (a); (a) = (b); (b) = __tmp; } while (0)

#define container_of(ptr, type, member) ({			\
	const typeof(((type *)0)->member) *__mptr = (ptr);	\
	(type *)((char *)__mptr - offsetof(type, member)); })

/* Scheduling hints: no preemption in the simulation. */
#define might_sleep()		do { } while (0)
#define might_sleep_if(cond)	do { } while (0)
#define cond_resched()		do { } while (0)
#define cpu_relax()		do { } while (0)

/*
 * memparse - a size as boot parameters write it: a number (decimal, 0x hex
 * or 0 octal) with an optional K, M, G, T, P or E suffix (either case,
 * powers of 1024); *@retptr (if not NULL) is set past what was read
 * (compat/lib/cmdline.c).
 */
unsigned long long memparse(const char *ptr, char **retptr);

#endif /* _IOSIM_LINUX_KERNEL_H */
