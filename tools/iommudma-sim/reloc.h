/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * reloc.h - relocate a recorded trace's physical addresses onto simulated RAM.
 *
 * A trace comes from a machine with far more (and more scattered) memory than
 * the simulation.  The relocation map gives each trace page (by its page
 * frame number at the map's page size) a slot: a page frame offset into
 * simulated RAM.  A range seen for the first time gets its new pages as runs
 * of consecutive slots, so a mapping that was contiguous on the traced
 * machine is contiguous in the simulation; in-page offsets are kept; a page
 * seen before keeps its slot, so pages the trace shares stay shared.
 * Pure bookkeeping: slots come from a caller-supplied allocator.
 */
#ifndef IOSIM_SIM_RELOC_H
#define IOSIM_SIM_RELOC_H

#include <stdbool.h>
#include <stdint.h>

#define IOSIM_RELOC_NO_HINT	UINT64_MAX

/**
 * iosim_reloc_alloc_fn - hand out @nr consecutive slots
 * @priv: the caller's context
 * @nr: slots wanted (>= 1)
 * @hint: the first slot the map would like (it continues a run of slots
 *	already used by the same range), or IOSIM_RELOC_NO_HINT
 * @first: set to the first slot of the run on success
 *
 * Return: 0, or a negative errno (-ENOMEM, -ENOSPC, ...) passed back to the
 * caller of iosim_reloc_range().
 */
typedef int (*iosim_reloc_alloc_fn)(void *priv, uint64_t nr, uint64_t hint, uint64_t *first);

/**
 * struct iosim_reloc_piece - a contiguous part of a relocated range
 * @trace_phys: where it starts in the trace's physical address space
 * @sim_offset: where it starts in simulated RAM, as a byte offset from RAM's base
 * @len: its length in bytes
 */
struct iosim_reloc_piece {
	uint64_t trace_phys;
	uint64_t sim_offset;
	uint64_t len;
};

struct iosim_reloc_map;

/**
 * iosim_reloc_map_create - an empty relocation map
 * @page_shift: log2 of the relocation page size (12 to 30)
 * @alloc: hands out slots
 * @priv: passed to @alloc
 *
 * Context: process context.
 * Return: the map; NULL for a @page_shift out of range or no @alloc (both
 * WARN), or when it could not be allocated.
 */
struct iosim_reloc_map *iosim_reloc_map_create(unsigned int page_shift, iosim_reloc_alloc_fn alloc,
					       void *priv);

/**
 * iosim_reloc_map_destroy - free a map (the slots it used are the caller's)
 * @m: the map, or NULL
 *
 * Context: process context.
 * Return: nothing.
 */
void iosim_reloc_map_destroy(struct iosim_reloc_map *m);

/**
 * iosim_reloc_range - relocate the trace range [@phys, @phys + @len)
 * @m: the map
 * @phys: the range's start in the trace
 * @len: its length in bytes (>= 1)
 * @pieces: receives the relocated range as contiguous pieces, in order
 * @max_pieces: entries available at @pieces (>= 1)
 * @nr_pieces: set to the number of pieces; 1 whenever the range's pages were
 *	all new, or all seen before in the same contiguous arrangement
 *
 * Pages of the range not seen before get slots: each run of consecutive new
 * pages is asked of the allocator in one call, with a hint continuing the
 * slot of the page before it when that page was seen already.
 *
 * The work grows with the number of pages in the range (each is looked up):
 * callers bound @len (the replay refuses a range larger than simulated RAM).
 *
 * Context: process context.
 * Return: 0; -EINVAL (WARNs) for a zero length or a range that wraps;
 * -E2BIG when the result needs more than @max_pieces pieces (*@nr_pieces
 * says how many; the pages keep the slots they got, so repeating the call
 * with more room allocates nothing); the allocator's error
 * or -ENOMEM when a map entry could not be allocated.  On an allocation
 * error, runs that got slots earlier in the same call keep them (valid
 * entries); the failing run and later ones have none, and no slot the
 * allocator handed out is lost.
 */
int iosim_reloc_range(struct iosim_reloc_map *m, uint64_t phys, uint64_t len,
		      struct iosim_reloc_piece *pieces, unsigned int max_pieces,
		      unsigned int *nr_pieces);

/**
 * iosim_reloc_lookup - where a trace address already lives, without allocating
 * @m: the map
 * @phys: a trace physical address
 * @sim_offset: set to its byte offset in simulated RAM when known
 *
 * Context: any (not concurrently with changes to @m).
 * Return: true if @phys's page has a slot; false otherwise.
 */
bool iosim_reloc_lookup(const struct iosim_reloc_map *m, uint64_t phys, uint64_t *sim_offset);

/**
 * iosim_reloc_nr_pages - trace pages the map has given a slot
 * @m: the map
 *
 * Context: any.
 * Return: the number of entries.
 */
uint64_t iosim_reloc_nr_pages(const struct iosim_reloc_map *m);

/**
 * iosim_reloc_check - sanity checker of a relocation map
 * @m: the map
 *
 * Checks the entry count against the hash table, that every entry's key is
 * its trace page and no two trace pages share a slot.
 *
 * Context: process context (allocates a scratch table); O(n).
 * Return: 0; -EUCLEAN after WARNing the first inconsistency; -ENOMEM when the
 * scratch table could not be allocated (nothing checked).
 */
int iosim_reloc_check(const struct iosim_reloc_map *m);

#endif /* IOSIM_SIM_RELOC_H */
