// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Boot-parameter parsing the simulation's knobs share with the kernel:
 * memparse() (lib/cmdline.c of 2015) reads "64M", "0x80000000", "1g".
 */
#include <stdlib.h>

#include <linux/kernel.h>

/**
 * memparse - parse a size with an optional binary suffix
 * @ptr: the text; leading digits in C's notation (decimal, 0x..., 0...)
 * @retptr: if not NULL, set to the first character not consumed (@ptr itself
 *	when no number was there)
 *
 * Each step of the suffix K, M, G, T, P, E (upper or lower case) multiplies
 * by 1024; anything else after the number is left for the caller.
 *
 * Context: any.
 * Return: the value (wrapping as the kernel's did when it overflows).
 */
unsigned long long memparse(const char *ptr, char **retptr)
{
	static const char suffixes[] = "kmgtpe";
	char *end = (char *)ptr;
	unsigned long long value = 0;
	unsigned int shifts = 0;

	/* strtoull() would also take blanks and a sign: only digits here. */
	if (*ptr >= '0' && *ptr <= '9')
		value = strtoull(ptr, &end, 0);
	if (end != ptr && *end) {
		char c = (char)(*end | 0x20);	/* lower case for letters */
		const char *at;

		for (at = suffixes; *at && *at != c; at++)
			;
		if (*at) {
			shifts = (unsigned int)(at - suffixes) + 1;
			end++;
		}
	}
	if (retptr)
		*retptr = end;
	return value << (10 * shifts);
}
