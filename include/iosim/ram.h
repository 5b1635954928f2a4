/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/ram.h> - simulated physical memory and its page allocator.
 *
 * Simulated RAM is one to IOSIM_RAM_MAX_BANKS banks of physical address
 * space (one by default), each with its own base and size anywhere below
 * 2^IOSIM_RAM_PHYS_BITS, backed together by one memfd mapped into this
 * process (the linear map), with a struct page per frame.  Physical
 * addresses are simulated: they may sit above 4 GiB while the backing lives
 * wherever mmap put it.  The gaps between banks are holes: no RAM, no
 * struct page, no linear map (docs/ram-banks.md).  The buddy allocator behind
 * alloc_pages() hands out blocks of 2^order frames, order < MAX_ORDER,
 * aligned to their size in physical frame numbers (as the kernel's).
 *
 * The linear map is placed so that a virtual address and its physical address
 * agree in every bit below the largest buddy block (PAGE_SIZE << (MAX_ORDER -
 * 1)), as they do in the kernel's linear map: page_address() of a block
 * aligned to N bytes physically is aligned to N bytes virtually.
 *
 * Poison: so that use-after-free and reads of uninitialised memory show up in
 * tests, every frame returned to the allocator is filled with
 * IOSIM_PAGE_POISON_FREE, and every block handed out without __GFP_ZERO is
 * filled with IOSIM_PAGE_POISON_ALLOC (never zero: code that forgets
 * __GFP_ZERO sees garbage).  Frames never allocated since iosim_ram_init()
 * read as zero.
 */
#ifndef _IOSIM_RAM_H
#define _IOSIM_RAM_H

#include <linux/types.h>
#include <linux/mmzone.h>

/* Defaults: 128 MiB at 34 GiB, above 4 GiB, to catch address truncation. */
#define IOSIM_RAM_DEFAULT_BASE_PHYS	0x880000000ULL
#define IOSIM_RAM_DEFAULT_SIZE		(128ULL << 20)

/* Largest RAM supported (all banks together): the struct page array must stay reasonable. */
#define IOSIM_RAM_MAX_PAGES		(1UL << 24)

/* Banks: at most this many, each ending at or below 1 << IOSIM_RAM_PHYS_BITS. */
#define IOSIM_RAM_MAX_BANKS		8
#define IOSIM_RAM_PHYS_BITS		48

/* ARM Juno's layout: up to 2 GiB at 2 GiB, the rest at 34 GiB. */
#define IOSIM_RAM_JUNO_LOW_BASE		0x80000000ULL
#define IOSIM_RAM_JUNO_HIGH_BASE	0x880000000ULL
#define IOSIM_RAM_JUNO_LOW_MAX		(2ULL << 30)

/* Fill bytes, see above. */
#define IOSIM_PAGE_POISON_FREE		0x6b
#define IOSIM_PAGE_POISON_ALLOC		0xa5

/*
 * Any page-aligned placement works.  The free lists start with the largest
 * naturally aligned blocks that fit, so a bank aligned to the largest block
 * size (PAGE_SIZE << (MAX_ORDER - 1)) starts as maximal blocks only;
 * otherwise its ends are covered by smaller blocks that can never merge past
 * the bank's edges.  A buddy block never spans two banks, even adjacent ones.
 */
struct iosim_ram_bank_config {
	phys_addr_t base_phys;	/* multiple of PAGE_SIZE */
	u64 size_bytes;		/* non-zero multiple of PAGE_SIZE */
};

struct iosim_ram_config {
	phys_addr_t base_phys;	/* used when nr_banks == 0: one bank, as before */
	u64 size_bytes;		/* (base multiple of PAGE_SIZE, may be 0 or above 4 GiB) */
	unsigned int nr_banks;	/* 0, or 1..IOSIM_RAM_MAX_BANKS banks below */
	/* Ascending and non-overlapping; adjacent banks (one ends where the next starts) are fine. */
	struct iosim_ram_bank_config banks[IOSIM_RAM_MAX_BANKS];
};

/**
 * iosim_ram_config_juno - describe ARM Juno's RAM layout
 * @cfg: filled in completely (every other field zeroed)
 * @low_bytes: RAM at IOSIM_RAM_JUNO_LOW_BASE (below 4 GiB: ZONE_DMA)
 * @high_bytes: RAM at IOSIM_RAM_JUNO_HIGH_BASE; 0 for a single low bank
 *
 * Context: any.
 * Return: 0; -EINVAL (@cfg untouched) if a size is not a multiple of
 * PAGE_SIZE, @low_bytes is 0 or more than IOSIM_RAM_JUNO_LOW_MAX, or
 * @high_bytes would run past 2^IOSIM_RAM_PHYS_BITS.
 */
int iosim_ram_config_juno(struct iosim_ram_config *cfg, u64 low_bytes, u64 high_bytes);

/**
 * iosim_ram_init - create simulated RAM
 * @cfg: placement and size; NULL for the defaults above
 *
 * Creates the memfd backing, maps it once (the linear map), builds the struct
 * page array and puts every frame on the buddy free lists.
 *
 * Context: process context; not concurrently with any other RAM user.
 * Return: 0; -EBUSY if RAM already exists (it is left as it was); -EINVAL
 * (also WARNs) for a base or size that is not a multiple of PAGE_SIZE, a
 * zero size, a region that wraps around the physical address space, a bank
 * (nr_banks > 0; the one region of nr_banks 0 may sit anywhere, as before)
 * that ends above 2^IOSIM_RAM_PHYS_BITS, more than
 * IOSIM_RAM_MAX_BANKS banks, or banks out of ascending order or
 * overlapping; -ENOMEM if the backing could not be created or the banks
 * together have more than IOSIM_RAM_MAX_PAGES frames.  On error no RAM
 * exists.
 */
int iosim_ram_init(const struct iosim_ram_config *cfg);

/**
 * iosim_ram_exit - destroy simulated RAM
 *
 * Context: process context; no other thread may use RAM any more.  vmap()
 * aliases and VMA mappings of RAM should be gone (they keep the frames'
 * backing alive, but their struct pages disappear).
 * Return: the number of pages still allocated (each leaked block is WARNed,
 * and removed from the IOSIM_OBJ_PAGE live count); RAM is destroyed
 * regardless, so every struct page pointer becomes invalid.  0 when no RAM
 * exists.
 */
unsigned long iosim_ram_exit(void);

/** iosim_ram_ready - true between iosim_ram_init() and iosim_ram_exit(). */
bool iosim_ram_ready(void);

/** iosim_ram_base_phys - where RAM starts: the lowest bank's base (0 without RAM). */
phys_addr_t iosim_ram_base_phys(void);

/**
 * iosim_ram_size - bytes of RAM in all banks together (0 without RAM).  This
 * is the total, not the span: with holes between banks, RAM does not cover
 * [iosim_ram_base_phys(), iosim_ram_base_phys() + iosim_ram_size()).
 */
u64 iosim_ram_size(void);

/** iosim_ram_nr_pages - frames of simulated RAM, all banks together (0 without RAM). */
unsigned long iosim_ram_nr_pages(void);

/**
 * iosim_ram_nr_banks - how many banks RAM has
 *
 * Context: any.
 * Return: 1..IOSIM_RAM_MAX_BANKS; 0 without RAM.
 */
unsigned int iosim_ram_nr_banks(void);

/**
 * iosim_ram_bank - placement of bank @index (banks ascend by address)
 * @index: 0..iosim_ram_nr_banks() - 1
 * @base_phys: receives its base (may be NULL)
 * @size_bytes: receives its size (may be NULL)
 *
 * Context: any.
 * Return: 0; -ENOENT if there is no such bank (outputs untouched).
 */
int iosim_ram_bank(unsigned int index, phys_addr_t *base_phys, u64 *size_bytes);

/** iosim_ram_free_pages - frames currently free in the buddy allocator. */
unsigned long iosim_ram_free_pages(void);

/** iosim_ram_free_blocks - free blocks of @order on the buddy free lists (0 if out of range). */
unsigned long iosim_ram_free_blocks(unsigned int order);

/**
 * iosim_phys_is_ram - true if [@phys, @phys + @len) lies in simulated RAM
 * (@len 0 asks about the single byte at @phys): in one bank, or in banks
 * that follow each other without a hole.  Never WARNs.
 */
bool iosim_phys_is_ram(phys_addr_t phys, u64 len);

/**
 * iosim_phys_is_allocated - true if the frame holding @phys is allocated
 * (part of any live block); false for free frames and outside RAM.
 */
bool iosim_phys_is_allocated(phys_addr_t phys);

/**
 * iosim_ram_check - the buddy allocator's sanity checker: free lists hold
 * exactly the PG_buddy blocks, blocks are aligned to their order and do not
 * overlap, no two free buddies are left unmerged, free + allocated frames
 * equal RAM in every bank, no block (free or live) crosses a bank's edge,
 * and counters agree with a full walk.  It also checks every live
 * allocation: its head has a reference, compound heads and tails agree, no
 * frame of a block is also free or another block's head, and the number of
 * allocated frames equals the IOSIM_OBJ_PAGE live count.
 *
 * Context: takes the page allocator lock; O(frames).
 * Return: 0 if consistent (or no RAM exists); otherwise -EUCLEAN after
 * WARNing what is wrong (one WARN per problem found, at most a few dozen).
 */
int iosim_ram_check(void);

/*
 * Zones (<linux/mmzone.h>): ZONE_DMA is the RAM below 4 GiB
 * (IOSIM_ZONE_DMA_LIMIT), ZONE_NORMAL the rest, whichever banks they are in
 * (a bank may straddle 4 GiB); a buddy block never spans both.  The checker
 * above also verifies each free block's zone.
 */

/**
 * iosim_ram_zone_pages - frames of simulated RAM in @zone
 * @zone: ZONE_DMA or ZONE_NORMAL
 *
 * Context: any; O(banks).
 * Return: the count; 0 for an empty zone, an invalid @zone or without RAM.
 */
unsigned long iosim_ram_zone_pages(enum zone_type zone);

/**
 * iosim_ram_zone_free_pages - frames of @zone currently on the free lists
 * @zone: ZONE_DMA or ZONE_NORMAL
 *
 * Context: any; takes the page allocator lock.
 * Return: the count; 0 for an invalid @zone or without RAM.
 */
unsigned long iosim_ram_zone_free_pages(enum zone_type zone);

/**
 * iosim_ram_zone_dma_limit - first physical address above ZONE_DMA
 *
 * Context: any.
 * Return: IOSIM_ZONE_DMA_LIMIT (4 GiB).
 */
phys_addr_t iosim_ram_zone_dma_limit(void);

#endif /* _IOSIM_RAM_H */
