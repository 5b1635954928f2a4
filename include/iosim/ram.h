/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/ram.h> - simulated physical memory and its page allocator.
 *
 * Simulated RAM is one contiguous region of physical address space, backed by
 * a memfd mapped once into this process (the linear map), with a struct page
 * per frame.  Physical addresses are simulated: they may sit above 4 GiB
 * while the backing lives wherever mmap put it.  The buddy allocator behind
 * alloc_pages() hands out blocks of 2^order frames, order < MAX_ORDER.
 */
#ifndef _IOSIM_RAM_H
#define _IOSIM_RAM_H

#include <linux/types.h>

/* Defaults: 128 MiB at 34 GiB, above 4 GiB, to catch address truncation. */
#define IOSIM_RAM_DEFAULT_BASE_PHYS	0x880000000ULL
#define IOSIM_RAM_DEFAULT_SIZE		(128ULL << 20)

struct iosim_ram_config {
	phys_addr_t base_phys;	/* aligned to the MAX_ORDER-1 block size */
	u64 size_bytes;		/* multiple of the MAX_ORDER-1 block size */
};

/**
 * iosim_ram_init - create simulated RAM
 * @cfg: placement and size; NULL for the defaults above
 *
 * Return: 0; -EBUSY if RAM already exists; -EINVAL for a misaligned or zero
 * base/size (also WARNs); -ENOMEM if the backing could not be created.
 */
int iosim_ram_init(const struct iosim_ram_config *cfg);

/**
 * iosim_ram_exit - destroy simulated RAM
 *
 * Return: the number of pages still allocated (each leak is also WARNed);
 * RAM is destroyed regardless, so every struct page pointer becomes invalid.
 */
unsigned long iosim_ram_exit(void);

/** iosim_ram_ready - true between iosim_ram_init() and iosim_ram_exit(). */
bool iosim_ram_ready(void);

/** iosim_ram_base_phys/iosim_ram_size - the region's placement. */
phys_addr_t iosim_ram_base_phys(void);
u64 iosim_ram_size(void);

/** iosim_ram_nr_pages - frames of simulated RAM. */
unsigned long iosim_ram_nr_pages(void);

/** iosim_ram_free_pages - frames currently free in the buddy allocator. */
unsigned long iosim_ram_free_pages(void);

/** iosim_ram_free_blocks - free blocks of @order on the buddy free lists. */
unsigned long iosim_ram_free_blocks(unsigned int order);

/** iosim_phys_is_ram - true if [@phys, @phys + @len) lies in simulated RAM. */
bool iosim_phys_is_ram(phys_addr_t phys, u64 len);

/** iosim_phys_is_allocated - true if the frame holding @phys is allocated. */
bool iosim_phys_is_allocated(phys_addr_t phys);

/**
 * iosim_ram_check - the buddy allocator's sanity checker: free lists hold
 * exactly the PG_buddy blocks, blocks are aligned to their order and do not
 * overlap, no two free buddies are left unmerged, free + allocated frames
 * equal RAM, and counters agree with a full walk.
 *
 * Return: 0 if consistent; otherwise -EUCLEAN after WARNing what is wrong.
 */
int iosim_ram_check(void);

#endif /* _IOSIM_RAM_H */
