// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sort() (linux/sort.h): heapsort in place, as the kernel's lib/sort.c.
 */
#include <stdint.h>

#include <linux/kernel.h>
#include <linux/sort.h>

static void sort_swap_words(void *a, void *b, int size)
{
	unsigned long *x = a, *y = b, t;
	int i;

	for (i = 0; i < size / (int)sizeof(unsigned long); i++) {
		t = x[i];
		x[i] = y[i];
		y[i] = t;
	}
}

static void sort_swap_bytes(void *a, void *b, int size)
{
	unsigned char *x = a, *y = b, t;
	int i;

	for (i = 0; i < size; i++) {
		t = x[i];
		x[i] = y[i];
		y[i] = t;
	}
}

/* Move the element at @root down the heap of @n elements until both children sort before it. */
static void sort_sift(char *base, size_t root, size_t n, size_t size,
		      int (*cmp_func)(const void *, const void *),
		      void (*swap_func)(void *, void *, int size))
{
	size_t child;

	while ((child = 2 * root + 1) < n) {
		if (child + 1 < n && cmp_func(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp_func(base + root * size, base + child * size) >= 0)
			return;
		swap_func(base + root * size, base + child * size, (int)size);
		root = child;
	}
}

void sort(void *base, size_t num, size_t size,
	  int (*cmp_func)(const void *, const void *),
	  void (*swap_func)(void *, void *, int size))
{
	char *array = base;
	size_t i;

	if (num < 2 || !size)
		return;
	if (!swap_func)
		swap_func = size % sizeof(unsigned long) == 0 &&
			    (uintptr_t)base % _Alignof(unsigned long) == 0 ?
			    sort_swap_words : sort_swap_bytes;
	for (i = num / 2; i-- > 0;)
		sort_sift(array, i, num, size, cmp_func, swap_func);
	for (i = num - 1; i > 0; i--) {
		swap_func(array, array + i * size, (int)size);
		sort_sift(array, 0, i, size, cmp_func, swap_func);
	}
}
