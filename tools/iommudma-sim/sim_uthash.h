/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * sim_uthash.h - adding to a uthash table that must not lose the entry.
 *
 * Include after <uthash.h>, built with HASH_NONFATAL_OOM and an
 * uthash_nonfatal_oom() that sets a flag.  uthash grows a table (a larger
 * bucket array) as it fills; when that allocation fails it takes the entry
 * back out.  An existing table takes any number of entries without
 * allocating (its chains get longer), so SIM_HASH_ADD() adds the entry again
 * with growth held off for that one insertion; the table grows again on a
 * later one.  Only creating a table (the first entry) can fail.
 */
#ifndef IOSIM_SIM_UTHASH_H
#define IOSIM_SIM_UTHASH_H

#include <stdbool.h>

/**
 * SIM_HASH_ADD - HASH_ADD() that keeps the entry when the table cannot grow
 * @hh: the UT_hash_handle member
 * @head: the table (NULL while empty)
 * @fieldname: the key member
 * @keylen: its size
 * @add: the entry
 * @oom: the flag uthash_nonfatal_oom() sets; left true when the entry could
 *	not be added (no table yet, and none could be allocated)
 */
#define SIM_HASH_ADD(hh, head, fieldname, keylen, add, oom) do {		\
	(oom) = false;								\
	HASH_ADD(hh, head, fieldname, keylen, add);				\
	if ((oom) && (head)) {							\
		unsigned int sim_noexpand_ = (head)->hh.tbl->noexpand;		\
										\
		(head)->hh.tbl->noexpand = 1;					\
		(oom) = false;							\
		HASH_ADD(hh, head, fieldname, keylen, add);			\
		(head)->hh.tbl->noexpand = sim_noexpand_;			\
	}									\
} while (0)

#endif /* IOSIM_SIM_UTHASH_H */
