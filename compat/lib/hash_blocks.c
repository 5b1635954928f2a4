// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Keeping the blocks uthash tables let go (<iosim/hash_blocks.h>).
 */
#include <stdlib.h>
#include <uthash.h>

#include <iosim/fault.h>
#include <iosim/hash_blocks.h>

/* The bytes of the bucket array kept at @level: 32 << @level buckets. */
static size_t hash_block_buckets_bytes(unsigned int level)
{
	return ((size_t)HASH_INITIAL_NUM_BUCKETS << level) * sizeof(UT_hash_bucket);
}

/* The slot of @kb that keeps blocks of @bytes, or NULL. */
static void **hash_block_slot(struct iosim_hash_blocks *kb, size_t bytes)
{
	unsigned int level;

	if (bytes == sizeof(UT_hash_table))
		return &kb->table;
	for (level = 0; level < IOSIM_HASH_BLOCK_LEVELS; level++)
		if (bytes == hash_block_buckets_bytes(level))
			return &kb->buckets[level];
	return NULL;
}

void *iosim_hash_block_get(struct iosim_hash_blocks *kb, size_t bytes)
{
	void **slot = hash_block_slot(kb, bytes);
	void *block;

	/* Kept or not, this is a host allocation as far as a sweep can tell. */
	if (iosim_fault_should_fail(IOSIM_FAULT_HOST))
		return NULL;
	if (!slot || !*slot)
		return malloc(bytes);
	block = *slot;
	*slot = NULL;
	return block;
}

void iosim_hash_block_put(struct iosim_hash_blocks *kb, void *block, size_t bytes)
{
	void **slot = hash_block_slot(kb, bytes);

	if (block && slot && !*slot) {
		*slot = block;
		return;
	}
	free(block);
}

void iosim_hash_blocks_move(struct iosim_hash_blocks *to, struct iosim_hash_blocks *from)
{
	unsigned int level;

	iosim_hash_block_put(to, from->table, sizeof(UT_hash_table));
	from->table = NULL;
	for (level = 0; level < IOSIM_HASH_BLOCK_LEVELS; level++) {
		iosim_hash_block_put(to, from->buckets[level], hash_block_buckets_bytes(level));
		from->buckets[level] = NULL;
	}
}

void iosim_hash_blocks_release(struct iosim_hash_blocks *kb)
{
	unsigned int level;

	free(kb->table);
	kb->table = NULL;
	for (level = 0; level < IOSIM_HASH_BLOCK_LEVELS; level++) {
		free(kb->buckets[level]);
		kb->buckets[level] = NULL;
	}
}
