/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/sort.h - faithful re-implementation of the kernel's in-place sort
 * (lib/sort.c of 2015).
 */
#ifndef _IOSIM_LINUX_SORT_H
#define _IOSIM_LINUX_SORT_H

#include <linux/types.h>

/**
 * sort - sort an array of elements in place
 * @base: the array
 * @num: its number of elements
 * @size: the size of one element, in bytes
 * @cmp_func: negative, zero or positive as its first element sorts before,
 *	with or after its second
 * @swap_func: exchanges two elements of @size bytes, or NULL for a generic
 *	byte-wise (or word-wise, when @size and @base allow) exchange
 *
 * Heapsort, as the kernel's: O(n log n) in the worst case, no memory beyond
 * the array (unlike glibc's qsort(), which takes a malloc()ed buffer for
 * large arrays), not stable.
 *
 * Context: any.
 */
void sort(void *base, size_t num, size_t size,
	  int (*cmp_func)(const void *, const void *),
	  void (*swap_func)(void *, void *, int size));

#endif /* _IOSIM_LINUX_SORT_H */
