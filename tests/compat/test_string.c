// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The kernel's string helpers that glibc lacks (compat/lib/string.c):
 * memchr_inv() finds the first differing byte at every position around its
 * chunk boundaries, for zero and non-zero values, and says NULL only when
 * every byte matches.
 */
#include <linux/kernel.h>
#include "iosim_test.h"

#include <linux/string.h>

/* Over two of memchr_inv()'s 4 KiB chunks for zero, 33 of its 256-byte ones. */
#define BUF_BYTES	(2 * 4096 + 300)

static unsigned char buf[BUF_BYTES];

static void test_memchr_inv_is_null_when_every_byte_matches(void **state)
{
	static const int values[] = { 0, 0x5a, 0xff };
	size_t len;
	unsigned int v;

	(void)state;
	for (v = 0; v < ARRAY_SIZE(values); v++) {
		memset(buf, values[v], sizeof(buf));
		for (len = 0; len <= BUF_BYTES; len++)
			assert_null(memchr_inv(buf, values[v], len));
		/* An unaligned start too. */
		assert_null(memchr_inv(buf + 3, values[v], BUF_BYTES - 3));
	}
}

static void test_memchr_inv_finds_the_first_differing_byte_anywhere(void **state)
{
	static const int values[] = { 0, 0x5a };
	size_t pos, second, len;
	unsigned int v;

	(void)state;
	for (v = 0; v < ARRAY_SIZE(values); v++) {
		for (pos = 0; pos < BUF_BYTES; pos++) {
			memset(buf, values[v], sizeof(buf));
			buf[pos] = (unsigned char)(values[v] ^ 0x01);
			/* A later difference must not hide the first. */
			second = pos + 1 + pos % 300;
			if (second < BUF_BYTES)
				buf[second] = 0xee;
			assert_ptr_equal(memchr_inv(buf, values[v], BUF_BYTES), buf + pos);
			/* The length bounds the search: the difference at pos is outside it. */
			for (len = pos > 20 ? pos - 20 : 0; len <= pos; len++)
				assert_null(memchr_inv(buf, values[v], len));
			assert_ptr_equal(memchr_inv(buf, values[v], pos + 1), buf + pos);
		}
	}
}

static void test_memchr_inv_compares_c_as_an_unsigned_char(void **state)
{
	(void)state;
	memset(buf, 0x05, sizeof(buf));
	/* The kernel takes c as a u8: 0x105 and -251 both mean 0x05. */
	assert_null(memchr_inv(buf, 0x105, BUF_BYTES));
	assert_null(memchr_inv(buf, -251, BUF_BYTES));
	assert_ptr_equal(memchr_inv(buf, 0x06, BUF_BYTES), buf);
	memset(buf, 0xff, sizeof(buf));
	assert_null(memchr_inv(buf, -1, BUF_BYTES));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_memchr_inv_is_null_when_every_byte_matches),
		IOSIM_TEST(test_memchr_inv_finds_the_first_differing_byte_anywhere),
		IOSIM_TEST(test_memchr_inv_compares_c_as_an_unsigned_char),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
