/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * compat/mm cache model internals - customised for simulation, not kernel API.
 *
 * cache_lines.c keeps the per-line state and does the line operations on
 * physical ranges that cache.c has already validated (wholly in RAM,
 * non-empty); cache.c turns CPU virtual addresses and the public API into
 * those calls; cache_check.c walks all of RAM (writeback_all, the checker).
 */
#ifndef _IOSIM_COMPAT_MM_CACHE_LINES_H
#define _IOSIM_COMPAT_MM_CACHE_LINES_H

#include <linux/types.h>
#include <linux/device.h>

/* What a maintenance walk does to each line of its range. */
enum iosim_cache_op {
	IOSIM_CACHE_OP_CLEAN,		/* write back dirty lines */
	IOSIM_CACHE_OP_INV,		/* __dma_inv_range, counting lost CPU writes */
	IOSIM_CACHE_OP_INV_FORFEIT,	/* __dma_inv_range, CPU contents forfeited: no count */
	IOSIM_CACHE_OP_FLUSH,		/* clean + invalidate */
};

/* Does the live RAM have the model (else every master is coherent)? */
bool iosim_cache_lines_on(void);

/* Global counters (atomically updated). */
extern struct iosim_cache_counters iosim_cache_global;

/* The calling thread's current DMA device (iosim_cache_context()). */
extern _Thread_local struct device *iosim_cache_ctx;

/* Do @op on every line of [@phys, @phys + @len), crediting @dev (may be NULL). */
void iosim_cache_lines_maintain(phys_addr_t phys, size_t len, enum iosim_cache_op op,
				struct device *dev);

/* A non-coherent master's access to memory: see iosim_cache_device_access(). */
void iosim_cache_lines_device(struct device *dev, phys_addr_t phys, void *buf, size_t len,
			      bool is_write);

/* Copy between @buf and memory (no line state, no counts). */
void iosim_cache_lines_memory(phys_addr_t phys, void *buf, size_t len, bool is_write);

/* Mark every line of [@phys, @phys + @len) dirty (the CPU wrote it, same values or not). */
void iosim_cache_lines_mark_dirty(phys_addr_t phys, size_t len);

/* Is the line holding @phys dirty? */
bool iosim_cache_lines_dirty(phys_addr_t phys);

/* Add @t to the global counters and to @dev's (if any). */
void iosim_cache_counters_commit(struct device *dev, const struct iosim_cache_counters *t);

/* Write back the dirty lines of RAM offsets [@from, @to) (line aligned); returns how many. */
unsigned long iosim_cache_lines_writeback(u64 from, u64 to);

/*
 * How many lines of RAM offsets [@from, @to) (line aligned) have a non-zero
 * recorded hash; *@first gets the offset of the first one (if any).
 */
unsigned long iosim_cache_lines_nonzero_hashes(u64 from, u64 to, u64 *first);

/* The settings, for the checker: next RAM's line shift, the eviction knob, the PRNG state. */
void iosim_cache_settings(unsigned int *next_shift, unsigned int *per_million, u64 *prng_state);

#endif /* _IOSIM_COMPAT_MM_CACHE_LINES_H */
