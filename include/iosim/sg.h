/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/sg.h> - sanity checkers for scatterlists and sg tables.
 *
 * What is checked is what the kernel's scatterlist code relies on, not
 * habits: an entry's offset may exceed PAGE_SIZE (sg_set_page() allows it),
 * entries may have no page yet (a fresh sg_alloc_table()) and may be empty.
 */
#ifndef _IOSIM_SG_H
#define _IOSIM_SG_H

#include <linux/scatterlist.h>

/**
 * iosim_sg_check - check a scatterlist of exactly @nents entries
 * @sgl: first entry (NULL only together with @nents 0, the empty list)
 * @nents: entries the list must have, chain entries not counted
 *
 * Walks the list as sg_next() does and checks that:
 *  - no entry has both the chain and the end bit, and the first is no chain;
 *  - the end marker is on entry @nents - 1 and on no earlier entry;
 *  - a chain entry carries no data (offset and length 0, as sg_chain() leaves
 *    it), points to a non-NULL, aligned array, and does not point to another
 *    chain entry (sg_next() follows a single link);
 *  - an entry with a page has a struct page of simulated RAM, and the bytes it
 *    describes, [page_to_phys(page) + offset, + length), lie in simulated RAM.
 *
 * Context: any; reads the list only.  O(@nents).
 * Return: 0 if consistent; -EUCLEAN after WARNing each problem found (the
 * walk stops at the first structural one, since the links cannot be trusted).
 */
int iosim_sg_check(const struct scatterlist *sgl, unsigned int nents);

/**
 * iosim_sg_table_check - check an sg table header and its list
 * @sgt: the table
 *
 * An empty table (sgl NULL, as after sg_free_table() or a failed
 * sg_alloc_table()) must have orig_nents 0; its nents is not checked, since
 * the kernel leaves it stale.  Otherwise orig_nents must be at least 1,
 * nents (the mapped count) at most orig_nents, and the list must pass
 * iosim_sg_check(sgl, orig_nents).
 *
 * Context: any; reads the table only.  O(orig_nents).
 * Return: 0 if consistent; -EUCLEAN after WARNing what is wrong (also for a
 * NULL @sgt).
 */
int iosim_sg_table_check(const struct sg_table *sgt);

/**
 * iosim_sg_page_valid - is @page a struct page of simulated RAM?
 * @page: any pointer, NULL included
 *
 * Context: any.  Never WARNs: it is the question to ask before converting.
 * Return: true if @page is an entry of mem_map.
 */
bool iosim_sg_page_valid(const struct page *page);

#endif /* _IOSIM_SG_H */
