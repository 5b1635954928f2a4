/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/hash_add.h> - adding to a uthash table when the host may refuse
 * memory.
 *
 * Not kernel API.  uthash allocates a table (its header and first bucket
 * array) when the first entry is added, and a bucket array twice as large
 * when a chain grows too long.  Built as it comes, it calls exit() when one
 * of those allocations fails, which a test harness must never do.  Every
 * table of the simulation is built with HASH_NONFATAL_OOM instead, which
 * makes uthash take the entry back out and call uthash_nonfatal_oom().
 * Define, before including <uthash.h>:
 *
 *	#define HASH_NONFATAL_OOM		1
 *	#define uthash_nonfatal_oom(elt)	((FLAG) = true)
 *
 * with FLAG a bool the caller serialises as it does the table (a field of
 * the table's owner, or a _Thread_local).  Then IOSIM_HASH_ADD(), below, in
 * place of HASH_ADD(): a table that exists takes any number of entries
 * without allocating (its chains only grow longer), so when growing fails
 * the entry is added again with growth held off for that one insertion, and
 * the table grows on a later one.  Only creating the table can fail: adding
 * to a table that holds an entry always succeeds.  Code that moves an entry
 * out of a table and another in (a chain's new head) adds the new one first,
 * so that the table never empties in between and nothing can fail.
 */
#ifndef _IOSIM_HASH_ADD_H
#define _IOSIM_HASH_ADD_H

#include <stdbool.h>

/**
 * IOSIM_HASH_ADD - HASH_ADD() that keeps the entry when the table cannot grow
 * @hh: the UT_hash_handle member
 * @head: the table (NULL while empty)
 * @fieldname: the key member
 * @keylen: its size
 * @add: the entry
 * @oom: the flag uthash_nonfatal_oom() sets; left true when the entry could
 *	not be added (no table yet, and none could be allocated), else false
 */
#define IOSIM_HASH_ADD(hh, head, fieldname, keylen, add, oom) do {		\
	(oom) = false;								\
	HASH_ADD(hh, head, fieldname, keylen, add);				\
	if ((oom) && (head)) {							\
		unsigned int iosim_noexpand_ = (head)->hh.tbl->noexpand;	\
										\
		(head)->hh.tbl->noexpand = 1;					\
		(oom) = false;							\
		HASH_ADD(hh, head, fieldname, keylen, add);			\
		(head)->hh.tbl->noexpand = iosim_noexpand_;			\
	}									\
} while (0)

#endif /* _IOSIM_HASH_ADD_H */
