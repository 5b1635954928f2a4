/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* <iosim/genalloc.h> - simulation only: the genalloc pool's sanity checker. */
#ifndef _IOSIM_GENALLOC_H
#define _IOSIM_GENALLOC_H

struct gen_pool;

/**
 * iosim_gen_pool_check - every chunk's free count matches its bitmap, and no
 * two chunks overlap
 * Return: 0, or -EUCLEAN after WARNing each problem.
 */
int iosim_gen_pool_check(struct gen_pool *pool);

#endif /* _IOSIM_GENALLOC_H */
