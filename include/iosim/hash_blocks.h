/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/hash_blocks.h> - keep the host blocks a uthash table lets go, and
 * compare pointer keys without memcmp() (IOSIM_HASH_KEYCMP_PTR, below).
 *
 * Not kernel API.  uthash allocates a table's header and first bucket
 * array when its first entry is added, a bucket array twice as large each
 * time it grows, and frees them all when its last entry is deleted.  A
 * table that empties and fills again (a registry at the end of every fuzz
 * input, an IOTLB index after every unmap) thereby paid a host malloc() and
 * free() per block each time; under AddressSanitizer each is a stack
 * capture, a fill of the block, and memory from the quarantine's far side,
 * which faults its pages in anew.
 *
 * A struct iosim_hash_blocks keeps one block of each size uthash uses (the
 * header and bucket arrays of IOSIM_HASH_BLOCK_LEVELS sizes, from the
 * initial one up) and hands it back for the next allocation of that size.
 * Define, before including <uthash.h> where the table is used:
 *
 *	#define uthash_malloc(bytes)		iosim_hash_block_get(KEEPER, (bytes))
 *	#define uthash_free(block, bytes)	iosim_hash_block_put(KEEPER, (block), (bytes))
 *
 * with KEEPER an expression naming the keeper of the table at hand.  The
 * keeper is the table's: callers serialise on it as on the table.  Blocks
 * are host memory, outside live accounting (they hold no simulated memory);
 * every iosim_hash_block_get() is a call at the fault site IOSIM_FAULT_HOST,
 * whether a kept block would have served it or not, so a failure sweep sees
 * the same calls whatever earlier tables left behind.  Tables that use it
 * are built with HASH_NONFATAL_OOM and add through IOSIM_HASH_ADD()
 * (<iosim/hash_add.h>).  uthash clears every block it gets.
 */
#ifndef _IOSIM_HASH_BLOCKS_H
#define _IOSIM_HASH_BLOCKS_H

#include <stddef.h>

/* Bucket arrays kept: the initial size (32 buckets) up to 32 << 5 = 1024. */
#define IOSIM_HASH_BLOCK_LEVELS	6

struct iosim_hash_blocks {
	void *table;				/* a table header */
	void *buckets[IOSIM_HASH_BLOCK_LEVELS];	/* [k]: 32 << k buckets */
};

/**
 * iosim_hash_block_get - a block of @bytes for uthash
 * @kb: the table's keeper (zero-initialised before its first use)
 * @bytes: what uthash asks for
 *
 * Return: the kept block of that size, or a new one from malloc(); NULL if
 * IOSIM_FAULT_HOST fails the call or the host is out of memory (uthash
 * handles that as it does malloc()'s).
 */
void *iosim_hash_block_get(struct iosim_hash_blocks *kb, size_t bytes);

/**
 * iosim_hash_block_put - take back a block uthash lets go
 * @kb: the table's keeper
 * @block: the block (NULL: nothing done)
 * @bytes: its size, as uthash gives it
 *
 * Kept if it is of a kept size and none of that size is kept yet; else
 * freed.
 */
void iosim_hash_block_put(struct iosim_hash_blocks *kb, void *block, size_t bytes);

/**
 * iosim_hash_blocks_move - hand every block @from keeps to @to
 * @to: the receiving keeper; a block goes into its slot of that size if
 *	the slot is empty
 * @from: the giving keeper; its blocks that @to has no room for are freed,
 *	and it ends empty
 *
 * For tables that come and go (an IOTLB dies with its IOMMU): a process-wide
 * keeper takes the dying table's blocks and the next table's keeper takes
 * them from there.
 */
void iosim_hash_blocks_move(struct iosim_hash_blocks *to, struct iosim_hash_blocks *from);

/**
 * iosim_hash_blocks_release - free every kept block
 * @kb: the keeper; empty and reusable afterwards
 */
void iosim_hash_blocks_release(struct iosim_hash_blocks *kb);

/*
 * IOSIM_HASH_KEYCMP_PTR - uthash's key comparison for a table keyed by a
 * pointer (HASH_*_PTR, or a pointer-sized key of its own): the keys are
 * compared as pointers, not with memcmp(), which is an interceptor call
 * under AddressSanitizer.  Where the table is used, after <uthash.h>:
 *
 *	#undef HASH_KEYCMP
 *	#define HASH_KEYCMP	IOSIM_HASH_KEYCMP_PTR
 */
#define IOSIM_HASH_KEYCMP_PTR(a, b, len) \
	(*(const void *const *)(a) != *(const void *const *)(b))

#endif /* _IOSIM_HASH_BLOCKS_H */
