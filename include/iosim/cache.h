/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/cache.h> - the CPU data-cache model for non-coherent DMA masters.
 *
 * Simulated RAM has two views (docs/cache-model.md):
 *  - the CPU's cacheable view: the linear map, what C code reads and writes;
 *  - "memory": what a non-coherent bus master and non-cacheable CPU aliases
 *    (vmap()/vm_insert_page() with a non-MT_NORMAL pgprot) see.
 * Every cache line is always present in the cache.  A line is dirty when its
 * CPU view changed since it was last made clean (clean, invalidate or
 * eviction); dirtiness is tracked with a 64-bit hash of the line, not a copy.
 * Cache maintenance works on whole lines, as the hardware does; the arm64
 * entry points (__dma_map_area, ...) are in <asm/cacheflush.h>.
 *
 * Coherent masters (dev->archdata.dma_coherent) and ordinary CPU code see
 * the CPU view and cost nothing extra.
 *
 * Counting (struct iosim_cache_counters, <linux/device.h>): maintenance is
 * credited to the calling thread's context device (iosim_cache_context()),
 * if any, and always to the global counters; device accesses to the device
 * and to the global counters.  Lost writes are counted only by invalidates
 * that should not discard CPU data: __dma_unmap_area() and
 * iosim_cache_inval_range().  __dma_map_area(FROM_DEVICE) also invalidates,
 * but handing a buffer to the device for receive forfeits its CPU contents
 * by contract, so it counts none.
 *
 * The model's settings (on/off, line size, eviction knob) last for one RAM
 * lifetime: iosim_ram_exit() restores the defaults and clears every line
 * state and the global counters.  The model is on by default
 * (IOSIM_CACHE_DEFAULT_ENABLED): iosim_cache_set_enabled(false) before
 * iosim_ram_init() makes every master coherent.
 */
#ifndef _IOSIM_CACHE_H
#define _IOSIM_CACHE_H

#include <linux/types.h>

struct device;
struct iosim_cache_counters;

/*
 * Whether RAM gets the model unless iosim_cache_set_enabled() says otherwise:
 * on, since the DMA API layer (lib/dma-mapping) does arm64's maintenance for
 * non-coherent masters.  Code that drives lib/dma-iommu directly (the glue's
 * own tests and fuzzers, examples/map-sg) does no maintenance - that is its
 * caller's job - and turns the model off.
 */
#define IOSIM_CACHE_DEFAULT_ENABLED	true

/* The line size until iosim_cache_set_line_size() says otherwise (arm64's usual). */
#define IOSIM_CACHE_DEFAULT_LINE_SIZE	64
#define IOSIM_CACHE_MIN_LINE_SIZE	16

/**
 * iosim_cache_set_enabled - give the next RAM the cache model, or not
 * @enabled: true: non-coherent masters and non-cacheable aliases see memory,
 *	maintenance works on lines; false: every master is coherent, every
 *	alias shows the CPU view, maintenance only checks its arguments (and
 *	WARNs on misuse), nothing is ever dirty or counted, and "memory" (for
 *	iosim_cache_read_memory()/_write_memory()) is the CPU view.
 *
 * Takes effect at the next iosim_ram_init(); iosim_ram_exit() restores
 * IOSIM_CACHE_DEFAULT_ENABLED.
 *
 * Context: process context, while no simulated RAM exists.
 * Return: 0; -EBUSY if RAM exists (nothing changed).
 */
int iosim_cache_set_enabled(bool enabled);

/**
 * iosim_cache_enabled - does the live RAM (else the next RAM) have the model?
 *
 * Context: any.
 * Return: true if it does.
 */
bool iosim_cache_enabled(void);

/**
 * iosim_cache_set_line_size - choose the cache line size for the next RAM
 * @bytes: a power of two from IOSIM_CACHE_MIN_LINE_SIZE to PAGE_SIZE
 *
 * Takes effect at the next iosim_ram_init(); iosim_ram_exit() restores
 * IOSIM_CACHE_DEFAULT_LINE_SIZE.
 *
 * Context: process context, while no simulated RAM exists.
 * Return: 0; -EBUSY if RAM exists (checked first); -EINVAL for a size that
 * is not a power of two in range.  On error the line size is unchanged.
 */
int iosim_cache_set_line_size(unsigned int bytes);

/**
 * iosim_cache_line_size - the line size in bytes
 *
 * Context: any.
 * Return: the size RAM was created with, or the one the next RAM will get.
 */
unsigned int iosim_cache_line_size(void);

/**
 * iosim_cache_clean_range - clean the lines holding [@phys, @phys + @len)
 * @phys: physical address in simulated RAM
 * @len: bytes; 0 does nothing
 *
 * Dirty lines are written back (CPU view -> memory) and become clean; clean
 * lines are untouched.
 *
 * Context: any thread.
 * Return: nothing; a range that is not wholly RAM (or wraps) WARNs and
 * nothing changes.
 */
void iosim_cache_clean_range(phys_addr_t phys, size_t len);

/**
 * iosim_cache_inval_range - invalidate [@phys, @phys + @len), arm64 style
 * @phys: physical address in simulated RAM
 * @len: bytes; 0 does nothing
 *
 * __dma_inv_range semantics: the partial lines at either end of the range
 * are cleaned and invalidated, the lines wholly inside it only invalidated
 * (CPU view := memory; a dirty line's CPU writes are lost, and counted in
 * lost_writes).
 *
 * Context: any thread.
 * Return: nothing; a range that is not wholly RAM WARNs, nothing changes.
 */
void iosim_cache_inval_range(phys_addr_t phys, size_t len);

/**
 * iosim_cache_flush_range - clean and invalidate the lines of [@phys, @phys + @len)
 * @phys: physical address in simulated RAM
 * @len: bytes; 0 does nothing
 *
 * Context: any thread.
 * Return: nothing; a range that is not wholly RAM WARNs, nothing changes.
 */
void iosim_cache_flush_range(phys_addr_t phys, size_t len);

/**
 * iosim_cache_cpu_wrote - the CPU wrote [@virt, @virt + @len) (a linear-map
 * address; anything else is ignored), possibly with the values it already
 * held: mark its lines dirty, as hardware would.  Dirtiness is otherwise
 * found by content, which misses such writes; the page and slab allocators
 * call this after filling memory.
 *
 * Context: any thread.
 */
void iosim_cache_cpu_wrote(const void *virt, size_t len);

/**
 * iosim_cache_line_dirty - does the CPU view of @phys's line differ from
 * what it was when the line was last made clean?
 * @phys: physical address in simulated RAM
 *
 * Context: any thread.
 * Return: true if dirty; false if clean, or (with a WARN) outside RAM.
 */
bool iosim_cache_line_dirty(phys_addr_t phys);

/**
 * iosim_cache_read_memory - read what memory (not the CPU view) holds
 * @phys: physical address
 * @buf: destination of @len bytes
 * @len: bytes; 0 reads nothing
 *
 * Does not touch the line state or the counters.
 *
 * Context: any thread.
 * Return: 0; -EINVAL (WARN) for a NULL @buf; -EFAULT if the range is not
 * wholly simulated RAM (nothing read).
 */
int iosim_cache_read_memory(phys_addr_t phys, void *buf, size_t len);

/**
 * iosim_cache_write_memory - write memory directly, behind the CPU's back
 * @phys: physical address
 * @buf: @len bytes to write
 * @len: bytes; 0 writes nothing
 *
 * As a non-cacheable alias would: the CPU view is untouched (and now stale
 * wherever it differs).
 *
 * Context: any thread.
 * Return: 0; -EINVAL (WARN) for a NULL @buf; -EFAULT if the range is not
 * wholly simulated RAM (nothing written).
 */
int iosim_cache_write_memory(phys_addr_t phys, const void *buf, size_t len);

/**
 * iosim_cache_device_access - a bus master's touch of memory
 * @dev: the master
 * @phys: physical address
 * @buf: @len bytes to write, or room to read them into
 * @len: bytes; 0 touches nothing
 * @is_write: device write (to memory) or read (from memory)
 *
 * A coherent master (dev->archdata.dma_coherent) reads and writes the CPU
 * view, counting nothing.  A non-coherent master reads memory, counting one
 * stale_read per line that is dirty in the CPU view, and writes memory only
 * (the CPU view keeps its now stale content until invalidated).  With the
 * eviction knob on, each line it touches may be evicted first.
 *
 * Context: any thread.
 * Return: 0; -EINVAL (WARN) for a NULL @dev or @buf; -EFAULT if the range
 * is not wholly simulated RAM (nothing touched).
 */
int iosim_cache_device_access(struct device *dev, phys_addr_t phys, void *buf, size_t len,
			      bool is_write);

/**
 * iosim_cache_context - set the calling thread's current DMA device
 * @dev: the device maintenance is done for, or NULL for none
 *
 * Maintenance (the <asm/cacheflush.h> entry points and iosim_cache_*_range)
 * adds its counts to this device's counters as well as the global ones.
 * The DMA API layer sets it around each call and restores the previous one.
 *
 * Context: any thread; affects only the calling thread.
 * Return: the previous context device (NULL if none).
 */
struct device *iosim_cache_context(struct device *dev);

/**
 * iosim_cache_set_eviction - the eviction knob
 * @seed: seed of the model's own PRNG (xorshift64*); the same seed and the
 *	same sequence of operations evict the same lines
 * @per_million: chance per line, in millionths, that a line touched by a
 *	non-coherent device access or a maintenance operation is evicted just
 *	before it (dirty: written back; then CPU view := memory; clean).
 *	0 (the default) turns it off; values above 1000000 act as 1000000.
 *
 * Context: any thread.
 * Return: nothing.  iosim_ram_exit() turns the knob off again.
 */
void iosim_cache_set_eviction(u64 seed, unsigned int per_million);

/**
 * iosim_cache_writeback_all - evict every dirty line of RAM
 *
 * Each dirty line is written back and counted as an eviction (globally and
 * for the context device).  Clean lines are untouched.
 *
 * Context: any thread; O(RAM written since init).
 * Return: nothing (nothing happens without RAM).
 */
void iosim_cache_writeback_all(void);

/**
 * iosim_cache_get_counters - read counters
 * @dev: the device whose counters to read, or NULL for the global ones
 * @out: where to copy them (NULL: WARN, nothing done)
 *
 * Context: any thread.
 * Return: nothing.
 */
void iosim_cache_get_counters(struct device *dev, struct iosim_cache_counters *out);

/**
 * iosim_cache_reset_counters - zero counters
 * @dev: the device whose counters to zero, or NULL for the global ones
 *
 * Context: any thread.
 * Return: nothing.
 */
void iosim_cache_reset_counters(struct device *dev);

/**
 * iosim_cache_check - sanity checker of the model's state
 *
 * Checks the settings (line size, eviction knob), that the two views and
 * the line-state array exist exactly while RAM does and have RAM's size,
 * that every line whose CPU view was never written (a hole of the RAM
 * backing) is recorded clean-as-zero, and that no more lost writes than
 * invalidated lines were counted.
 *
 * Context: takes the model's locks in turn; O(RAM lines).
 * Return: 0 if consistent (or no RAM exists); -EUCLEAN after WARNing each
 * problem found.
 */
int iosim_cache_check(void);

#endif /* _IOSIM_CACHE_H */
