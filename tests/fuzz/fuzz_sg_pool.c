// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Scatterlist arrays from a guarded static pool (see fuzz_sg_pool.h).
 *
 * Slot i is FUZZ_SG_SLOT_ENTS entries from 1 + i * (FUZZ_SG_SLOT_ENTS + 1),
 * so entry 0 and the entry after every slot are guards that are never
 * handed out.  Only the entries an array asked for are made accessible.
 */
#include <sanitizer/asan_interface.h>
#include <iosim/valgrind.h>
#ifndef IOSIM_VALGRIND
#define VALGRIND_MAKE_MEM_NOACCESS(p, len)	((void)(p), (void)(len))
#define VALGRIND_MAKE_MEM_UNDEFINED(p, len)	((void)(p), (void)(len))
#endif

#include <linux/kernel.h>

#include "fuzz_common.h"
#include "fuzz_sg_pool.h"

#define SG_SLOT_STRIDE	(FUZZ_SG_SLOT_ENTS + 1)

_Static_assert(FUZZ_SG_SLOTS < 64, "one word of in-use bits");
#define SG_ALL_SLOTS	((1ULL << FUZZ_SG_SLOTS) - 1)

static struct scatterlist sg_pool[1 + FUZZ_SG_SLOTS * SG_SLOT_STRIDE];
static u64 sg_in_use;
static bool sg_guarded;

static void sg_noaccess(struct scatterlist *sg, size_t nents)
{
	ASAN_POISON_MEMORY_REGION(sg, nents * sizeof(*sg));
	VALGRIND_MAKE_MEM_NOACCESS(sg, nents * sizeof(*sg));
}

static struct scatterlist *sg_slot(unsigned int i)
{
	return &sg_pool[1 + i * SG_SLOT_STRIDE];
}

FUZZ_NO_COVERAGE
struct scatterlist *fuzz_sg_get(unsigned int nents)
{
	struct scatterlist *sgl;
	unsigned int i;

	if (!sg_guarded) {
		sg_noaccess(sg_pool, ARRAY_SIZE(sg_pool));
		sg_guarded = true;
	}
	FUZZ_CHECK(nents && nents <= FUZZ_SG_SLOT_ENTS,
		   "harness: a scatterlist array of %u entries", nents);
	FUZZ_CHECK(sg_in_use != SG_ALL_SLOTS,
		   "harness: more than %d scatterlist arrays at once", FUZZ_SG_SLOTS);
	i = (unsigned int)__builtin_ctzll(~sg_in_use);
	sg_in_use |= 1ULL << i;
	sgl = sg_slot(i);
	ASAN_UNPOISON_MEMORY_REGION(sgl, nents * sizeof(*sgl));
	VALGRIND_MAKE_MEM_UNDEFINED(sgl, nents * sizeof(*sgl));
	return sgl;
}

FUZZ_NO_COVERAGE
void fuzz_sg_put(struct scatterlist *sgl)
{
	uintptr_t first = (uintptr_t)sg_slot(0), at = (uintptr_t)sgl;
	size_t stride_bytes = SG_SLOT_STRIDE * sizeof(*sgl);
	unsigned int i = (unsigned int)((at - first) / stride_bytes);

	FUZZ_CHECK(at >= first && (at - first) % stride_bytes == 0 && i < FUZZ_SG_SLOTS &&
		   (sg_in_use & (1ULL << i)),
		   "harness: %p is not a scatterlist array of the pool in use", (void *)sgl);
	sg_noaccess(sgl, FUZZ_SG_SLOT_ENTS);
	sg_in_use &= ~(1ULL << i);
}

FUZZ_NO_COVERAGE
void fuzz_sg_put_all(void)
{
	while (sg_in_use)
		fuzz_sg_put(sg_slot((unsigned int)__builtin_ctzll(sg_in_use)));
}

unsigned int fuzz_sg_in_use(void)
{
	return (unsigned int)__builtin_popcountll(sg_in_use);
}
