/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/log2.h - faithful re-implementation (functions rather than the
 * kernel's constant-folding macros; results are the same).
 */
#ifndef _IOSIM_LINUX_LOG2_H
#define _IOSIM_LINUX_LOG2_H

#include <linux/types.h>
#include <linux/bitops.h>

/** is_power_of_2 - true if @n is a power of two (0 is not). */
static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && ((n & (n - 1)) == 0);
}

/** ilog2 - floor(log2(@n)); @n must not be 0. */
static inline int ilog2(u64 n)
{
	return fls64(n) - 1;
}

/** roundup_pow_of_two - smallest power of two >= @n; @n must not be 0. */
static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return 1UL << fls_long(n - 1);
}

/** rounddown_pow_of_two - largest power of two <= @n; @n must not be 0. */
static inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << (fls_long(n) - 1);
}

/** order_base_2 - ceil(log2(@n)), with order_base_2(0) == 0 as in 2015. */
static inline int order_base_2(unsigned long n)
{
	return n > 1 ? ilog2(roundup_pow_of_two(n)) : 0;
}

#endif /* _IOSIM_LINUX_LOG2_H */
