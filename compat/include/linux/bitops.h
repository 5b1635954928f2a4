/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/bitops.h - faithful re-implementation over compiler builtins.
 *
 * Uses the glibc-compatible <strings.h> first (see ffs below).
 * __ffs() and __fls() are undefined for 0 in the kernel; here they WARN and
 * return 0 so a harness survives the misuse and can report it.
 */
#ifndef _IOSIM_LINUX_BITOPS_H
#define _IOSIM_LINUX_BITOPS_H

#include <strings.h>	/* glibc declares ffs(); see below */
#include <linux/types.h>
#include <linux/compiler.h>

#define BITS_PER_LONG		64
#define BITS_PER_LONG_LONG	64
#define BITS_PER_BYTE		8
#define BIT(nr)			(1UL << (nr))
#define BIT_ULL(nr)		(1ULL << (nr))
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define BITS_TO_LONGS(nr)	(((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))
#define GENMASK_ULL(h, l)	((~0ULL << (l)) & (~0ULL >> (BITS_PER_LONG_LONG - 1 - (h))))

void iosim_bitops_warn_zero(const char *func);

/** __ffs - index of the lowest set bit (0-based); @word must not be 0. */
static inline unsigned long __ffs(unsigned long word)
{
	if (unlikely(!word)) {
		iosim_bitops_warn_zero("__ffs");
		return 0;
	}
	return (unsigned long)__builtin_ctzl(word);
}

/** __fls - index of the highest set bit (0-based); @word must not be 0. */
static inline unsigned long __fls(unsigned long word)
{
	if (unlikely(!word)) {
		iosim_bitops_warn_zero("__fls");
		return 0;
	}
	return (unsigned long)(BITS_PER_LONG - 1 - __builtin_clzl(word));
}

/**
 * ffs - 1-based index of the lowest set bit, 0 when none.
 * glibc declares an extern ffs() with the same meaning; the kernel's is
 * inline, so the name is routed to ours after <strings.h> has been seen.
 */
static inline int iosim_ffs(int x)
{
	return __builtin_ffs(x);
}
#define ffs(x)	iosim_ffs(x)

/** fls - 1-based index of the highest set bit, 0 when none. */
static inline int fls(int x)
{
	return x ? 32 - __builtin_clz((unsigned int)x) : 0;
}

/** fls64 - 1-based index of the highest set bit of a u64, 0 when none. */
static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

/** fls_long - fls() for an unsigned long. */
static inline unsigned int fls_long(unsigned long l)
{
	return (unsigned int)fls64(l);
}

/** ffz - index of the first zero bit; undefined if there is none. */
#define ffz(x)	__ffs(~(x))

static inline unsigned int hweight32(unsigned int w)
{
	return (unsigned int)__builtin_popcount(w);
}

static inline unsigned long hweight64(u64 w)
{
	return (unsigned long)__builtin_popcountll(w);
}

#define hweight_long(w)	hweight64(w)

/* Atomic bit operations on bitmaps of unsigned long. */
static inline void set_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr), __ATOMIC_RELAXED);
}

static inline int test_and_set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old = __atomic_fetch_or(&addr[BIT_WORD(nr)], BIT_MASK(nr),
					      __ATOMIC_SEQ_CST);
	return (old & BIT_MASK(nr)) != 0;
}

static inline int test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old = __atomic_fetch_and(&addr[BIT_WORD(nr)], ~BIT_MASK(nr),
					       __ATOMIC_SEQ_CST);
	return (old & BIT_MASK(nr)) != 0;
}

/* Non-atomic variants. */
static inline void __set_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] |= BIT_MASK(nr);
}

static inline void __clear_bit(long nr, volatile unsigned long *addr)
{
	addr[BIT_WORD(nr)] &= ~BIT_MASK(nr);
}

static inline int test_bit(long nr, const volatile unsigned long *addr)
{
	return 1UL & (addr[BIT_WORD(nr)] >> (nr & (BITS_PER_LONG - 1)));
}

#endif /* _IOSIM_LINUX_BITOPS_H */
