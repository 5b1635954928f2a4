// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * fuzz_bitmap.c - a bitmap of pfns for the harnesses' models (fuzz_bitmap.h).
 *
 * Model code: every function is kept out of libFuzzer's coverage and
 * comparison tracing (FUZZ_NO_COVERAGE, docs/fuzzing.md), like the rest of
 * the models; word_mask() is inlined into them.
 */
#include "fuzz_bitmap.h"
#include "fuzz_common.h"

/* The bits of word @w that lie in [@lo, @hi]. */
static inline unsigned long word_mask(unsigned long w, unsigned long lo, unsigned long hi)
{
	unsigned long first = w * BITS_PER_LONG, mask = ~0UL;

	if (lo > first)
		mask &= ~0UL << (lo - first);
	if (hi < first + BITS_PER_LONG - 1)
		mask &= ~0UL >> (first + BITS_PER_LONG - 1 - hi);
	return mask;
}

FUZZ_NO_COVERAGE
void fuzz_bitmap_set(unsigned long *map, unsigned long lo, unsigned long hi)
{
	unsigned long w;

	for (w = BIT_WORD(lo); w <= BIT_WORD(hi); w++)
		map[w] |= word_mask(w, lo, hi);
}

FUZZ_NO_COVERAGE
void fuzz_bitmap_clear(unsigned long *map, unsigned long lo, unsigned long hi)
{
	unsigned long w;

	for (w = BIT_WORD(lo); w <= BIT_WORD(hi); w++)
		map[w] &= ~word_mask(w, lo, hi);
}

/* The highest bit of [@lo, @hi] set in @map with each word xor'ed with @flip. */
FUZZ_NO_COVERAGE
static bool last_bit(const unsigned long *map, unsigned long lo, unsigned long hi,
		     unsigned long flip, unsigned long *bit)
{
	unsigned long w = BIT_WORD(hi), lo_w = BIT_WORD(lo);

	for (;; w--) {
		unsigned long word = (map[w] ^ flip) & word_mask(w, lo, hi);

		if (word) {
			*bit = w * BITS_PER_LONG + __fls(word);
			return true;
		}
		if (w == lo_w)
			return false;
	}
}

FUZZ_NO_COVERAGE
bool fuzz_bitmap_last_set(const unsigned long *map, unsigned long lo, unsigned long hi,
			  unsigned long *bit)
{
	return last_bit(map, lo, hi, 0, bit);
}

FUZZ_NO_COVERAGE
bool fuzz_bitmap_last_clear(const unsigned long *map, unsigned long lo, unsigned long hi,
			    unsigned long *bit)
{
	return last_bit(map, lo, hi, ~0UL, bit);
}

FUZZ_NO_COVERAGE
bool fuzz_bitmap_first_set(const unsigned long *map, unsigned long lo, unsigned long hi,
			   unsigned long *bit)
{
	unsigned long w;

	for (w = BIT_WORD(lo); w <= BIT_WORD(hi); w++) {
		unsigned long word = map[w] & word_mask(w, lo, hi);

		if (word) {
			*bit = w * BITS_PER_LONG + __ffs(word);
			return true;
		}
	}
	return false;
}
