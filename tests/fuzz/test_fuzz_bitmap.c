// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The pfn bitmap the harnesses' models keep (fuzz_bitmap.h), against a
 * bool per bit: ranges set and cleared at random, across word edges, and
 * every query over many ranges agrees with a plain scan, at the first and
 * last bit of the map and of each word.
 */
#include "iosim_test.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz_bitmap.h"

#define NR_BITS		(4 * BITS_PER_LONG + 7)
#define NR_ROUNDS	400

static unsigned long map[BITS_TO_LONGS(NR_BITS)];
static bool ref[NR_BITS];

/* A small generator of our own: the same sequence on every libc. */
static unsigned long rng_state = 0x2545f4914f6cdd1dUL;

static unsigned long rng(unsigned long bound)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state % bound;
}

/* A random range [*lo, *hi]: often short, often at a word's edge. */
static void random_range(unsigned long *lo, unsigned long *hi)
{
	unsigned long a = rng(NR_BITS), len;

	if (rng(4) == 0)
		a = rng(BITS_TO_LONGS(NR_BITS)) * BITS_PER_LONG + (rng(2) ? 0 : BITS_PER_LONG - 1);
	if (a >= NR_BITS)
		a = NR_BITS - 1;
	len = rng(3) ? rng(8) : rng(NR_BITS - a);
	*lo = a;
	*hi = a + len < NR_BITS ? a + len : NR_BITS - 1;
}

static bool ref_last(unsigned long lo, unsigned long hi, bool value, unsigned long *bit)
{
	unsigned long i = hi + 1;

	while (i-- > lo)
		if (ref[i] == value) {
			*bit = i;
			return true;
		}
	return false;
}

static bool ref_first(unsigned long lo, unsigned long hi, unsigned long *bit)
{
	unsigned long i;

	for (i = lo; i <= hi; i++)
		if (ref[i]) {
			*bit = i;
			return true;
		}
	return false;
}

/* Every query over @lo..@hi agrees with the bools. */
static void check_range(unsigned long lo, unsigned long hi)
{
	unsigned long got = ~0UL, want = ~0UL;
	bool found;

	found = fuzz_bitmap_last_set(map, lo, hi, &got);
	assert_int_equal(found, ref_last(lo, hi, true, &want));
	if (found)
		assert_int_equal(got, want);
	found = fuzz_bitmap_last_clear(map, lo, hi, &got);
	assert_int_equal(found, ref_last(lo, hi, false, &want));
	if (found)
		assert_int_equal(got, want);
	found = fuzz_bitmap_first_set(map, lo, hi, &got);
	assert_int_equal(found, ref_first(lo, hi, &want));
	if (found)
		assert_int_equal(got, want);
}

static void check_all_bits(void)
{
	unsigned long i;

	for (i = 0; i < NR_BITS; i++)
		assert_int_equal(test_bit((long)i, map), ref[i]);
}

static void test_bitmap_queries_agree_with_a_plain_scan(void **state)
{
	unsigned long round, i, lo, hi;

	(void)state;
	memset(map, 0, sizeof(map));
	memset(ref, 0, sizeof(ref));
	check_range(0, NR_BITS - 1);
	for (round = 0; round < NR_ROUNDS; round++) {
		bool set = rng(2);

		random_range(&lo, &hi);
		if (set)
			fuzz_bitmap_set(map, lo, hi);
		else
			fuzz_bitmap_clear(map, lo, hi);
		for (i = lo; i <= hi; i++)
			ref[i] = set;
		check_all_bits();
		check_range(0, NR_BITS - 1);
		for (i = 0; i < 16; i++) {
			random_range(&lo, &hi);
			check_range(lo, hi);
		}
	}
}

static void test_bitmap_word_edges(void **state)
{
	unsigned long w, lo, hi;

	(void)state;
	memset(map, 0, sizeof(map));
	memset(ref, 0, sizeof(ref));
	/* One bit at each word's first and last place, then every one-word window over them. */
	for (w = 0; w < BITS_TO_LONGS(NR_BITS) - 1; w++) {
		fuzz_bitmap_set(map, w * BITS_PER_LONG, w * BITS_PER_LONG);
		ref[w * BITS_PER_LONG] = true;
		fuzz_bitmap_set(map, (w + 1) * BITS_PER_LONG - 1, (w + 1) * BITS_PER_LONG - 1);
		ref[(w + 1) * BITS_PER_LONG - 1] = true;
	}
	fuzz_bitmap_set(map, NR_BITS - 1, NR_BITS - 1);
	ref[NR_BITS - 1] = true;
	check_all_bits();
	for (lo = 0; lo < NR_BITS; lo += 3)
		for (hi = lo; hi < NR_BITS && hi < lo + 2 * BITS_PER_LONG; hi++)
			check_range(lo, hi);
	/* A whole map set, then cleared bit by bit from the top. */
	fuzz_bitmap_set(map, 0, NR_BITS - 1);
	memset(ref, 1, sizeof(ref));
	check_range(0, NR_BITS - 1);
	for (hi = NR_BITS; hi-- > 0;) {
		fuzz_bitmap_clear(map, hi, hi);
		ref[hi] = false;
		check_range(0, NR_BITS - 1);
		check_range(hi, NR_BITS - 1);
	}
	check_all_bits();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_bitmap_queries_agree_with_a_plain_scan),
		IOSIM_TEST(test_bitmap_word_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
