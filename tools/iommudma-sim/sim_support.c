// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulator input library's allocations: the shim's kmalloc family, so
 * fault injection (IOSIM_FAULT_SLAB) can fail each one and the live-object
 * count sees every leak.
 */
#include <linux/kernel.h>
#include <linux/slab.h>

#include "sim_support.h"

/**
 * sim_zalloc - zeroed, counted allocation for the simulator input library
 * @size: bytes (non-zero)
 *
 * Context: process context.
 * Return: the memory, or NULL when fault injection fails it or the host is
 * out of memory (nothing allocated).
 */
void *sim_zalloc(size_t size)
{
	return kzalloc(size, GFP_KERNEL | __GFP_NOWARN);
}

/**
 * sim_zalloc_array - sim_zalloc() of @n elements of @size bytes
 * @n: number of elements
 * @size: bytes per element
 *
 * Context: process context.
 * Return: the memory; NULL on overflow of @n * @size, injected failure or
 * exhaustion.
 */
void *sim_zalloc_array(size_t n, size_t size)
{
	return kcalloc(n, size, GFP_KERNEL | __GFP_NOWARN);
}

/**
 * sim_realloc - grow or shrink a sim_zalloc()ed block
 * @p: the block, or NULL
 * @size: new size in bytes (non-zero)
 *
 * Context: process context.
 * Return: the new block; NULL on failure, with @p left allocated and intact.
 */
void *sim_realloc(void *p, size_t size)
{
	return krealloc(p, size, GFP_KERNEL | __GFP_NOWARN);
}

/**
 * sim_free - free what the functions above returned
 * @p: the block, or NULL (ignored)
 *
 * Context: process context.
 * Return: nothing.
 */
void sim_free(const void *p)
{
	kfree(p);
}
