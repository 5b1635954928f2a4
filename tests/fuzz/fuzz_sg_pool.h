/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * fuzz_sg_pool.h - scatterlist arrays for the harnesses, from a static pool
 * whose unused entries are no-access for AddressSanitizer and valgrind.
 *
 * A calloc() and free() per array cost 4 % of a map_sg campaign under
 * AddressSanitizer (a stack capture per call, quarantine memory faulting
 * in).  The pool keeps what the sanitizers saw of heap arrays: every array
 * has a no-access entry before it and every entry after it in its slot is
 * no-access, so the code under test reading or writing past either end of
 * an array is reported, and an array put back is no-access again, so a
 * list used after it was freed is reported too.
 */
#ifndef FUZZ_SG_POOL_H
#define FUZZ_SG_POOL_H

#include <linux/scatterlist.h>

/* Arrays at once, and entries in one: map_sg's 24 arrays of up to 25, dma_api's 33 of 6. */
#define FUZZ_SG_SLOTS		48
#define FUZZ_SG_SLOT_ENTS	25

/*
 * fuzz_sg_get - an array of @nents entries (1..FUZZ_SG_SLOT_ENTS), not
 * initialised (valgrind: undefined), for sg_init_table().  Running out is
 * a harness finding (FUZZ_CHECK).
 */
struct scatterlist *fuzz_sg_get(unsigned int nents);

/* fuzz_sg_put - give back an array fuzz_sg_get() returned. */
void fuzz_sg_put(struct scatterlist *sgl);

/* fuzz_sg_put_all - give back every array (the end of an input). */
void fuzz_sg_put_all(void);

/* fuzz_sg_in_use - arrays not given back. */
unsigned int fuzz_sg_in_use(void);

#endif /* FUZZ_SG_POOL_H */
