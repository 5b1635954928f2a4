/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * A deterministic generator for randomized tests (splitmix64): each test
 * program seeds rng_state itself, so every run sees the same sequence.
 */
#ifndef IOSIM_TEST_RNG_H
#define IOSIM_TEST_RNG_H

#include <linux/types.h>

static u64 rng_state;

static inline u64 rng_next(void)
{
	u64 z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A value in [0, @n). */
static inline unsigned long rng_below(unsigned long n)
{
	return (unsigned long)(rng_next() % n);
}

#endif /* IOSIM_TEST_RNG_H */
