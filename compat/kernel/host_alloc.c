// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulation's own host allocations, as a fault site (IOSIM_FAULT_HOST,
 * <iosim/fault.h>).  The bookkeeping behind vmalloc areas, user VMAs,
 * mem_map, the reset tracking, DMA-API debugging and the checkers' scratch
 * comes from the host heap; these wrappers let a test make each of those
 * allocations fail.
 */
#include <errno.h>
#include <stdlib.h>

#include <iosim/fault.h>

/**
 * iosim_host_calloc - calloc() that IOSIM_FAULT_HOST can make fail
 * @nmemb: number of elements
 * @size: bytes per element
 *
 * Context: any thread.
 * Return: zeroed memory to free(), or NULL (injected, or the host is out of
 * memory).
 */
void *iosim_host_calloc(size_t nmemb, size_t size)
{
	if (iosim_fault_should_fail(IOSIM_FAULT_HOST))
		return NULL;
	return calloc(nmemb, size);
}

/**
 * iosim_host_memalign - posix_memalign() that IOSIM_FAULT_HOST can make fail
 * @memptr: where the memory's address goes (untouched on failure)
 * @alignment: a power of two, a multiple of sizeof(void *)
 * @size_bytes: bytes wanted
 *
 * Context: any thread.
 * Return: 0, ENOMEM if injected, or posix_memalign()'s error.
 */
int iosim_host_memalign(void **memptr, size_t alignment, size_t size_bytes)
{
	if (iosim_fault_should_fail(IOSIM_FAULT_HOST))
		return ENOMEM;
	return posix_memalign(memptr, alignment, size_bytes);
}

/**
 * iosim_host_realloc - realloc() that IOSIM_FAULT_HOST can make fail
 * @ptr: the block to resize (NULL: a new one)
 * @size_bytes: bytes wanted
 *
 * Context: any thread.
 * Return: the resized block to free(), or NULL with @ptr untouched
 * (injected, or the host is out of memory).
 */
void *iosim_host_realloc(void *ptr, size_t size_bytes)
{
	if (iosim_fault_should_fail(IOSIM_FAULT_HOST))
		return NULL;
	return realloc(ptr, size_bytes);
}
