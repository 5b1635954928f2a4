/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * iosim/genalloc.h - simulation API for <linux/genalloc.h>: the pool's
 * sanity checker.
 */
#ifndef _IOSIM_GENALLOC_H
#define _IOSIM_GENALLOC_H

#include <linux/genalloc.h>

/**
 * iosim_gen_pool_check - check every invariant of a pool
 * @pool: the pool (NULL is an error)
 *
 * Checks: a sane unit order; every chunk non-empty, with no bit set past its
 * last whole unit and avail == size - (allocated units << order); no two
 * chunks overlap.
 *
 * Context: takes the pool lock.
 * Return: 0 if consistent; -EUCLEAN after a WARN naming the first broken
 * invariant.  Nothing is modified.
 */
int iosim_gen_pool_check(struct gen_pool *pool);

#endif /* _IOSIM_GENALLOC_H */
