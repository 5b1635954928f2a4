// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sort() (linux/sort.h, compat/lib/sort.c): every length from 0 up and some
 * large ones, with duplicates, for elements swapped word-wise, byte-wise (a
 * size that is not a multiple of a word, or a base that is not aligned to
 * one) and by the caller's swap function; the result is ordered and a
 * permutation of the input (the same multiset as glibc's qsort() gives).
 */
#include "iosim_test.h"

#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/sort.h>

#include "test_rng.h"

#define MAX_NUM	2000

struct triple {
	unsigned int key, a, b;		/* 12 bytes: swapped byte-wise */
};

/* Reads through memcpy(): the elements may sit at an address not aligned to a word. */
static int cmp_ulong(const void *x, const void *y)
{
	unsigned long a, b;

	memcpy(&a, x, sizeof(a));
	memcpy(&b, y, sizeof(b));
	return a < b ? -1 : a > b;
}

static int cmp_triple(const void *x, const void *y)
{
	const struct triple *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

static unsigned long swaps;

static void swap_ulong(void *x, void *y, int size)
{
	unsigned long t = *(unsigned long *)x;

	assert_int_equal(size, sizeof(unsigned long));
	*(unsigned long *)x = *(unsigned long *)y;
	*(unsigned long *)y = t;
	swaps++;
}

/* Sort @num random words (few distinct values when @dups) every way, against qsort(). */
static void check_words(size_t num, bool dups, bool own_swap, bool unaligned)
{
	static unsigned long want[MAX_NUM];
	static unsigned long words[MAX_NUM + 1];
	unsigned char *buf = (unsigned char *)words;
	unsigned long v;
	size_t i;

	for (i = 0; i < num; i++) {
		v = dups ? rng_below(5) : rng_next();
		want[i] = v;
		memcpy(buf + unaligned + i * sizeof(v), &v, sizeof(v));
	}
	qsort(want, num, sizeof(*want), cmp_ulong);
	swaps = 0;
	sort(buf + unaligned, num, sizeof(v), cmp_ulong, own_swap ? swap_ulong : NULL);
	for (i = 0; i < num; i++) {
		memcpy(&v, buf + unaligned + i * sizeof(v), sizeof(v));
		assert_true(v == want[i]);
	}
	if (own_swap && num > 1)
		assert_true(swaps > 0);
	else if (own_swap)
		assert_int_equal(swaps, 0);
}

static void test_words_of_every_length_are_sorted(void **state)
{
	size_t num;

	(void)state;
	rng_state = 1;
	for (num = 0; num <= 70; num++) {
		check_words(num, false, false, false);
		check_words(num, true, false, false);
		check_words(num, false, true, false);
		check_words(num, true, false, true);
	}
	check_words(MAX_NUM, false, false, false);
	check_words(MAX_NUM, true, true, false);
	check_words(MAX_NUM - 1, false, false, true);
}

static void test_elements_that_are_not_words_are_sorted(void **state)
{
	static struct triple want[MAX_NUM], got[MAX_NUM];
	const size_t lengths[] = { 0, 1, 2, 3, 5, 17, 100, MAX_NUM };
	size_t i, k;

	(void)state;
	rng_state = 2;
	for (k = 0; k < ARRAY_SIZE(lengths); k++) {
		for (i = 0; i < lengths[k]; i++) {
			want[i].key = (unsigned int)rng_below(7);
			want[i].a = (unsigned int)rng_below(3);
			want[i].b = (unsigned int)rng_next();
			got[i] = want[i];
		}
		qsort(want, lengths[k], sizeof(*want), cmp_triple);
		sort(got, lengths[k], sizeof(*got), cmp_triple, NULL);
		assert_memory_equal(got, want, lengths[k] * sizeof(*got) + !lengths[k]);
	}
}

/* Nothing happens to an array of fewer than two elements or of empty elements. */
static void test_degenerate_arrays_are_left_alone(void **state)
{
	unsigned long one = 42, two[2] = { 9, 3 };

	(void)state;
	swaps = 0;
	sort(&one, 1, sizeof(one), cmp_ulong, swap_ulong);
	sort(NULL, 0, sizeof(one), cmp_ulong, swap_ulong);
	sort(two, 2, 0, cmp_ulong, swap_ulong);
	assert_int_equal(swaps, 0);
	assert_int_equal(one, 42);
	assert_int_equal(two[0], 9);
	sort(two, 2, sizeof(*two), cmp_ulong, swap_ulong);
	assert_int_equal(two[0], 3);
	assert_int_equal(two[1], 9);
	assert_int_equal(swaps, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_of_every_length_are_sorted),
		cmocka_unit_test(test_elements_that_are_not_words_are_sorted),
		cmocka_unit_test(test_degenerate_arrays_are_left_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
