/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * fuzz_bitmap.h - a bitmap of pfns for the harnesses' models: set or clear
 * a range, and the highest set or clear bit or the lowest set bit of a
 * range, a word at a time (the shim has the kernel's test_bit(), not its
 * bitmap_set() or find_last_bit()).
 *
 * fuzz_iova's model keeps which window pfns are allocated, and where each
 * range starts, in two of these; its search for the highest free fit goes
 * from one free run to the next instead of one pfn at a time (a per-pfn
 * model was 8-13 % of an iova campaign's samples).  Bits are numbered from
 * 0; every range is inclusive, [@lo, @hi], with @lo <= @hi inside the map.
 */
#ifndef FUZZ_BITMAP_H
#define FUZZ_BITMAP_H

#include <stdbool.h>

#include <linux/bitops.h>	/* BITS_TO_LONGS() sizes a map; test_bit() tests one bit */

/* Set bits [@lo, @hi] of @map. */
void fuzz_bitmap_set(unsigned long *map, unsigned long lo, unsigned long hi);

/* Clear bits [@lo, @hi] of @map. */
void fuzz_bitmap_clear(unsigned long *map, unsigned long lo, unsigned long hi);

/* The highest set bit of @map in [@lo, @hi] into *@bit; false if none is set. */
bool fuzz_bitmap_last_set(const unsigned long *map, unsigned long lo, unsigned long hi,
			  unsigned long *bit);

/* The highest clear bit of @map in [@lo, @hi] into *@bit; false if every bit is set. */
bool fuzz_bitmap_last_clear(const unsigned long *map, unsigned long lo, unsigned long hi,
			    unsigned long *bit);

/* The lowest set bit of @map in [@lo, @hi] into *@bit; false if none is set. */
bool fuzz_bitmap_first_set(const unsigned long *map, unsigned long lo, unsigned long hi,
			   unsigned long *bit);

#endif /* FUZZ_BITMAP_H */
