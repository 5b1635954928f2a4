// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The kernel's own string helpers that glibc lacks (lib/string.c of 2015).
 * The rest of <linux/string.h> is glibc's.
 */
#include <linux/kernel.h>
#include <linux/string.h>

/*
 * Bytes compared with one memcmp(): a 4K table page is one chunk when @c is
 * zero (a static buffer); other values are compared against a smaller
 * buffer filled on the stack.  Under AddressSanitizer each memcmp() call
 * checks both whole ranges, so fewer, larger calls cost less.
 */
#define MEMCHR_INV_ZERO_CHUNK_BYTES	4096
#define MEMCHR_INV_CHUNK_BYTES		256
/* Below this a chunk is compared byte by byte. */
#define MEMCHR_INV_MIN_MEMCMP	16

/**
 * memchr_inv - find the first byte that differs from @c
 * @start: the bytes
 * @c: the value they are compared with (as an unsigned char)
 * @bytes: how many
 *
 * The kernel's idiom for "is this buffer all zero (or all poison)?".  A
 * chunk at a time with memcmp() against a buffer of @c (4 KiB chunks for
 * zero, then 256 bytes inside the big chunk that differs), then byte by
 * byte inside the small chunk that differs: a sanity checker that scans every
 * table page for its few valid descriptors runs at memcmp()'s speed (and,
 * under AddressSanitizer, with one check per chunk rather than per load).
 *
 * Context: any.
 * Return: the address of the first byte not equal to @c, or NULL if every
 * one of the @bytes equals it (also when @bytes is 0).
 */
void *memchr_inv(const void *start, int c, size_t bytes)
{
	static const unsigned char zeros[MEMCHR_INV_ZERO_CHUNK_BYTES];
	unsigned char value = (unsigned char)c, filled[MEMCHR_INV_CHUNK_BYTES];
	const unsigned char *p = start, *pattern = zeros;
	size_t chunk = sizeof(zeros), n, i;

	if (value && bytes >= MEMCHR_INV_MIN_MEMCMP) {
		memset(filled, value, sizeof(filled));
		pattern = filled;
		chunk = sizeof(filled);
	}
	for (; bytes; p += n, bytes -= n) {
		n = min_t(size_t, bytes, chunk);
		if (n >= MEMCHR_INV_MIN_MEMCMP && !memcmp(p, pattern, n))
			continue;
		if (n > MEMCHR_INV_CHUNK_BYTES) {
			/* The difference is in this big chunk: look again in small ones. */
			chunk = MEMCHR_INV_CHUNK_BYTES;
			n = 0;
			continue;
		}
		for (i = 0; i < n; i++)
			if (p[i] != value)
				return (void *)(p + i);
	}
	return NULL;
}
