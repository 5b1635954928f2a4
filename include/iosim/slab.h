/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/slab.h> - the slab allocator's simulation controls.
 *
 * While simulated RAM exists, kmalloc() and kmem_cache objects live in slab
 * pages of simulated RAM (see <linux/slab.h> and docs/slab.md).  These calls
 * let tests verify the allocator and count what it holds.
 */
#ifndef _IOSIM_SLAB_H
#define _IOSIM_SLAB_H

/**
 * iosim_slab_check - the slab allocator's sanity checker
 *
 * Walks every slab page of every kmalloc size class and kmem_cache and every
 * kmalloc_large block: each is an allocated block of simulated RAM still
 * marked as the slab allocator's, of the pool's order; each slab page is on
 * the right list (partial/full) and not empty; its free-slot stack and in-use
 * bitmap agree; every registered object starts a slot that is marked in use
 * (so no two objects overlap), and the number of objects in each slab page,
 * pool and cache agrees with the registry, whose size equals the
 * IOSIM_OBJ_SLAB live count.  In every build it checks the bytes nobody may
 * write: each free slot of a pool without a constructor still holds the
 * free poison (0x6b), and the redzone past each object (the rest of its slot
 * or kmalloc_large block) still holds 0xcc, so a use after free, a device
 * DMAing into a freed object or an overflow is found.  Under
 * AddressSanitizer it also checks that free slots and the redzone past each
 * object are poisoned and the objects themselves are not.
 *
 * Context: process context; takes the slab lock (and briefly the page
 * allocator's); O(objects + slots).
 * Return: 0 if consistent; otherwise -EUCLEAN after WARNing what is wrong
 * (one WARN per problem, at most a few dozen).
 */
int iosim_slab_check(void);

/**
 * iosim_slab_ram_exit - simulated RAM is about to be destroyed
 *
 * Every slab page and kmalloc_large block becomes stale: their objects stay
 * registered (and counted live) but their memory is never touched again;
 * kfree() of such an object WARNs and forgets it.  Sanitizer poison on the
 * RAM's addresses is cleared so memory mapped there later starts clean.
 * iosim_ram_exit() should call this first; the allocator also notices on its
 * own at its next call that RAM is gone, or that it was re-created.
 *
 * Context: process context; no concurrent users of the dying RAM.
 * Return: nothing.
 */
void iosim_slab_ram_exit(void);

/**
 * iosim_slab_nr_pages - frames of simulated RAM held by the slab allocator
 *
 * Context: any; takes the slab lock.
 * Return: frames in slab pages of every pool plus frames in kmalloc_large
 * blocks (a subset of iosim_live(IOSIM_OBJ_PAGE)); 0 without RAM.
 */
unsigned long iosim_slab_nr_pages(void);

/**
 * iosim_slab_host_begin - objects of this thread come from the host heap
 *
 * Until the matching iosim_slab_host_end(), kmalloc(), kzalloc() and
 * kmem_cache_alloc() calls made by this thread take their memory from the
 * host heap even while simulated RAM exists, as they do before
 * iosim_ram_init(): the objects are registered, counted live (IOSIM_OBJ_SLAB)
 * and checked on kfree() as any, but hold no frame of simulated RAM and so
 * survive iosim_ram_reset() and iosim_ram_exit().  For simulation scaffolding
 * kept across runs that reset RAM (a fuzz harness keeps its simulated IOMMU
 * and device so), never for memory a device reaches by DMA: such an object
 * has no struct page and no physical address.  Fault injection applies as
 * usual.  Calls nest.
 *
 * Context: any; affects the calling thread only.
 */
void iosim_slab_host_begin(void);

/**
 * iosim_slab_host_end - end the innermost iosim_slab_host_begin()
 *
 * Objects allocated in the scope stay where they are until freed.
 *
 * Context: any; affects the calling thread only.  Without a matching
 * iosim_slab_host_begin() it WARNs and changes nothing.
 */
void iosim_slab_host_end(void);

#endif /* _IOSIM_SLAB_H */
