/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/ram_reset.h> - simulation only: reuse one simulated RAM for many
 * independent runs (fuzz inputs), resetting it between them to a state that
 * nothing can tell from a freshly created RAM, at a cost proportional to
 * what the run touched rather than to the size of RAM.
 *
 * Creating RAM costs a memfd, a linear map whose every touched page faults
 * in anew, a struct page array and the cache model's views; a fuzz harness
 * that did that per input spent most of its time there.  Instead:
 *
 *	iosim_ram_init_resettable(&cfg);	(once)
 *	for each run: ... run, free everything ...; iosim_ram_reset();
 *
 * Between a reset and the next allocation RAM is as iosim_ram_init() leaves
 * it: every frame's bytes zero (in the CPU view and in the cache model's
 * memory), the cache model's lines clean-as-zero and its counters zero with
 * eviction off, every struct page as fresh, and the buddy free lists holding
 * the same blocks in the same order - so the next allocations return the
 * same physical addresses as on a fresh RAM.
 */
#ifndef _IOSIM_RAM_RESET_H
#define _IOSIM_RAM_RESET_H

#include <iosim/ram.h>

struct page;

/**
 * iosim_ram_init_resettable - create simulated RAM that iosim_ram_reset() can reset
 * @cfg: as iosim_ram_init()
 *
 * iosim_ram_init() plus the page allocator's tracking of the frames each
 * allocation touches.  iosim_ram_exit() destroys it as any RAM.
 *
 * Context: process context; not concurrently with any other RAM user.
 * Return: 0; the errors of iosim_ram_init() (no RAM exists then), or
 * -ENOMEM if the tracking could not be set up (RAM is destroyed again).
 */
int iosim_ram_init_resettable(const struct iosim_ram_config *cfg);

/**
 * iosim_ram_reset - give the live RAM back the state of a fresh one
 *
 * Zeroes the bytes of every frame allocated since the RAM was created or
 * last reset (CPU view and cache-model memory), clears their cache lines,
 * restores their struct pages and every free block's first struct page,
 * rebuilds the buddy free lists in their fresh order, zeroes the cache
 * model's global counters, turns eviction off and clears this thread's
 * cache context.  Settings that last one RAM lifetime (cache model on or
 * off, line size) stay as the RAM was created with.
 *
 * Context: process context; no concurrent RAM users.  O(frames allocated
 * since the last reset + free blocks).
 * Return: 0; -ENODEV if no RAM exists; -ESTALE if it was not created by
 * iosim_ram_init_resettable(); -EBUSY if a page is still allocated, or a
 * vmap()/vmalloc() area or a simulated VMA is alive (they alias frames).
 * On error nothing changed.
 */
int iosim_ram_reset(void);

/**
 * iosim_ram_reset_rebase - move a freshly reset RAM to another physical base
 * @base_phys: the new base; congruent to the current one modulo the largest
 *	buddy block (PAGE_SIZE << (MAX_ORDER - 1)), as the linear map is placed
 *
 * For runs that want RAM elsewhere in the physical address space (below
 * 4 GiB, above it) without paying for a new RAM: afterwards the RAM is
 * what iosim_ram_init() would have made at @base_phys with the same size
 * (its zones follow the new addresses).
 *
 * Context: process context; no concurrent RAM users.  O(free blocks).
 * Return: 0; -ENODEV, -ESTALE as iosim_ram_reset(); -EBUSY if a page was
 * allocated since the last iosim_ram_reset() (or is still); -EINVAL if
 * RAM has more than one bank, @base_phys is not page aligned, the region
 * would wrap, or it is not congruent as above (create a new RAM instead).
 * On error nothing changed.
 */
int iosim_ram_reset_rebase(phys_addr_t base_phys);

/**
 * iosim_ram_free_pages_zeroed - __free_pages() of a block whose bytes the caller zeroed
 * @page: first page of the block
 * @order: the order it was allocated with
 *
 * For a buffer a run barely writes: the caller zeroes what it (or a
 * device) wrote, and if this drops the last reference the block is freed
 * without the free poison; on a resettable RAM its frames then count as a
 * fresh RAM's zeros, so neither the free nor the next iosim_ram_reset()
 * writes them (and an allocation with __GFP_ZERO may hand them out as they
 * are).  Not verified (that would cost what it saves):
 * iosim_ram_check_fresh() after the reset finds a byte left non-zero.  A
 * read after the free sees zeros, not IOSIM_PAGE_POISON_FREE.  With the
 * cache model on it is __free_pages().
 *
 * Context: any; takes the page allocator lock.
 * Return: nothing; misuse WARNs as with __free_pages().
 */
void iosim_ram_free_pages_zeroed(struct page *page, unsigned int order);

/**
 * iosim_ram_touched_frames - frames allocated since the RAM was created or last reset
 *
 * Context: any; takes the page allocator lock.
 * Return: the count (what the next iosim_ram_reset() has to restore); 0
 * without a resettable RAM.
 */
unsigned long iosim_ram_touched_frames(void);

/**
 * iosim_ram_check_fresh - is the live RAM indistinguishable from a fresh one?
 *
 * Compares everything iosim_ram_reset() restores with what a fresh RAM
 * holds: every frame's bytes, the cache model's memory, line state,
 * counters and eviction knob, every struct page, the free lists' blocks
 * and their order.  For tests of the reset; far too slow per fuzz input.
 *
 * Context: process context; no concurrent RAM users.  O(RAM bytes).
 * Return: 0 (also without RAM); -EUCLEAN after WARNing each difference
 * found (at most a few dozen).
 */
int iosim_ram_check_fresh(void);

#endif /* _IOSIM_RAM_RESET_H */
