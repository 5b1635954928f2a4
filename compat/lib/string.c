// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The kernel's own string helpers that glibc lacks (lib/string.c of 2015).
 * The rest of <linux/string.h> is glibc's.
 */
#include <linux/kernel.h>
#include <linux/string.h>

#include "compat_asan.h"

/* Bytes a block of the word scan covers: 32 words, one branch per block. */
#define MEMCHR_INV_BLOCK_BYTES	256

/* A word that may alias the bytes it is read from (as the kernel's loads do). */
typedef unsigned long __attribute__((__may_alias__)) memchr_inv_word_t;

/* @value in every byte of a word. */
static unsigned long memchr_inv_repeat(unsigned char value)
{
	return (~0UL / 0xff) * value;
}

/*
 * The bytes from @p (word aligned) that lie in whole words holding only
 * @pattern, counted up to the first word that differs: a multiple of the
 * word size, at most @bytes.  Whole 256-byte blocks are folded with XOR and
 * OR and tested once each, a loop the compiler turns into vector
 * instructions; the block that differs and the words after the last block
 * are then read word by word.  The address sanitizer's checks are left out
 * (its per-load checks would keep the loop scalar): memchr_inv() has
 * checked the whole range once before calling it.
 */
__attribute__((__noinline__, __no_sanitize__("address", "undefined")))
static size_t memchr_inv_words(const unsigned char *p, unsigned long pattern, size_t bytes)
{
	const size_t block_words = MEMCHR_INV_BLOCK_BYTES / sizeof(unsigned long);
	const memchr_inv_word_t *words = (const memchr_inv_word_t *)p;
	size_t nr_words = bytes / sizeof(unsigned long), i = 0, w;

	for (; nr_words - i >= block_words; i += block_words) {
		unsigned long diff = 0;

		for (w = 0; w < block_words; w++)
			diff |= words[i + w] ^ pattern;
		if (diff)
			break;
	}
	while (i < nr_words && words[i] == pattern)
		i++;
	return i * sizeof(unsigned long);
}

/* The first byte from @p that differs from @value, or @end. */
__attribute__((__no_sanitize__("address")))
static const unsigned char *memchr_inv_scan(const unsigned char *p, const unsigned char *end,
					    unsigned char value)
{
	while (p < end && ((unsigned long)p & (sizeof(unsigned long) - 1))) {
		if (*p != value)
			return p;
		p++;
	}
	p += memchr_inv_words(p, memchr_inv_repeat(value), (size_t)(end - p));
	while (p < end && *p == value)
		p++;
	return p;
}

/**
 * memchr_inv - find the first byte that differs from @c
 * @start: the bytes
 * @c: the value they are compared with (as an unsigned char)
 * @bytes: how many
 *
 * The kernel's idiom for "is this buffer all zero (or all poison)?".  Byte
 * by byte up to a word boundary, then 256-byte blocks a word at a time,
 * then word by word inside the block that differs, then byte by byte inside
 * the word that differs and in the tail: a sanity checker that scans every
 * table page for its few valid descriptors runs at the speed of vector
 * loads.  Under AddressSanitizer the bytes up to and including the one
 * returned (all of them when none differs) are checked once, as memchr()'s
 * interceptor checks what it read, and a poisoned byte among them is
 * reported as a read of that byte: a scan that stops early pays for what it
 * read, not for the whole range (the page-table checker calls it once per
 * zero run of a table).
 *
 * Context: any.
 * Return: the address of the first byte not equal to @c, or NULL if every
 * one of the @bytes equals it (also when @bytes is 0).
 */
void *memchr_inv(const void *start, int c, size_t bytes)
{
	const unsigned char *p = start, *end = p + bytes;
	const unsigned char *found = memchr_inv_scan(p, end, (unsigned char)c);

#ifdef IOSIM_ASAN
	const volatile unsigned char *poisoned =
		__asan_region_is_poisoned((void *)p, (size_t)(found - p) + (found < end));

	if (poisoned)
		(void)*poisoned;	/* an instrumented load: ASan reports it */
#endif
	return found < end ? (void *)found : NULL;
}
