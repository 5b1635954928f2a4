// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Checked mode's per-CPU record of the ranges a CPU handed out.
 *
 * free_iova_fast() in checked mode must find the struct iova of the pfn it
 * is given, to WARN a second free, an unallocated pfn or a wrong size at the
 * call.  A tree lookup needs the domain's tree lock, the one lock every CPU
 * shares, and two threads freeing through it halve the fast path's total
 * throughput.  So each CPU slot remembers, per size class, the last ranges it
 * handed out from its magazines: IOSIM_IOVA_HANDED_SLOTS pointers in its
 * struct iova_cpu_rcache, indexed by pfn, under the slot's own lock.  A free
 * on the CPU that allocated finds its range there and is vetted without the
 * tree lock; any other free (another CPU, an evicted or never recorded
 * range, misuse) takes the tree path as before.
 *
 * The invariant, which iosim_iova_handed_check() verifies: a table slot
 * holds a range exactly when the range is live in the tree, not cached, and
 * its iosim_handed_in points to that slot's struct iova_cpu_rcache.  Every
 * path that takes a range out of the tree, or marks it cached, first calls
 * iosim_iova_handed_forget() under the tree lock (tree lock, then a CPU's
 * lock: nothing takes them the other way round), so no table ever holds a
 * range that was freed.  A free that takes its range from the table marks it
 * cached before it clears iosim_handed_in, both under the CPU lock, so a
 * tree-path free that finds iosim_handed_in clear also sees the range
 * cached and refuses it, as a second free.
 */
#include <linux/kernel.h>
#include <iosim/iova.h>

#include "iova_internal.h"

static inline unsigned int iova_handed_slot(unsigned long pfn, unsigned int order)
{
	return (unsigned int)(pfn >> order) & (IOSIM_IOVA_HANDED_SLOTS - 1);
}

static inline struct iova_cpu_rcache *iova_handed_in(struct iova *iova)
{
	return __atomic_load_n(&iova->iosim_handed_in, __ATOMIC_ACQUIRE);
}

static inline void iova_set_handed_in(struct iova *iova, struct iova_cpu_rcache *cpu_rcache)
{
	__atomic_store_n(&iova->iosim_handed_in, cpu_rcache, __ATOMIC_RELEASE);
}

void iosim_iova_handed_record(struct iova_cpu_rcache *cpu_rcache, struct iova *iova,
			      unsigned int order)
{
	struct iova **slot = &cpu_rcache->iosim_handed[iova_handed_slot(iova->pfn_lo, order)];

	/* The range there before loses its place: its free takes the tree path. */
	if (*slot)
		iova_set_handed_in(*slot, NULL);
	*slot = iova;
	iova_set_handed_in(iova, cpu_rcache);
}

struct iova *iosim_iova_handed_take_locked(struct iova_cpu_rcache *cpu_rcache,
					   unsigned long pfn, unsigned int order)
{
	struct iova **slot = &cpu_rcache->iosim_handed[iova_handed_slot(pfn, order)];
	struct iova *iova = *slot;

	if (!iova || iova->pfn_lo != pfn)
		return NULL;
	*slot = NULL;
	/* Cached first, then out of the table: see the comment at the top. */
	iova_set_cached(iova, true);
	iova_set_handed_in(iova, NULL);
	cpu_rcache->iosim_handed_hits++;
	return iova;
}

void iosim_iova_handed_forget_slow(struct iova *iova)
{
	struct iova_cpu_rcache *cpu_rcache;
	unsigned int i;

	/* Loop: the range may move to another CPU's table between the load and the lock. */
	while ((cpu_rcache = iova_handed_in(iova)) != NULL) {
		iosim_iova_lock(&cpu_rcache->lock);
		if (iova_handed_in(iova) == cpu_rcache) {
			for (i = 0; i < IOSIM_IOVA_HANDED_SLOTS; i++)
				if (cpu_rcache->iosim_handed[i] == iova)
					cpu_rcache->iosim_handed[i] = NULL;
			iova_set_handed_in(iova, NULL);
		}
		iosim_iova_unlock(&cpu_rcache->lock);
	}
}

void iosim_iova_handed_clear(struct iova_cpu_rcache *cpu_rcache)
{
	unsigned int i;

	for (i = 0; i < IOSIM_IOVA_HANDED_SLOTS; i++) {
		if (cpu_rcache->iosim_handed[i])
			iova_set_handed_in(cpu_rcache->iosim_handed[i], NULL);
		cpu_rcache->iosim_handed[i] = NULL;
	}
}

int iosim_iova_handed_check(struct iova_domain *iovad, unsigned long nr_handed_flags)
{
	unsigned long nr_recorded = 0, mask;
	unsigned int i, cpu, slot;
	int err = 0;

	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE && !err; i++) {
		/* Only the CPU slots ever used can have recorded anything. */
		for_each_used_cpu(cpu, mask, &iovad->rcaches[i]) {
			struct iova_cpu_rcache *cpu_rcache = &iovad->rcaches[i].cpu_rcaches[cpu];

			if (err)
				break;
			iosim_iova_lock(&cpu_rcache->lock);
			for (slot = 0; slot < IOSIM_IOVA_HANDED_SLOTS && !err; slot++) {
				struct iova *iova = cpu_rcache->iosim_handed[slot];
				struct iova_domain *holder = NULL;

				if (!iova)
					continue;
				nr_recorded++;
				/* The registry first: a stale pointer must not be read. */
				if (WARN(!iosim_iova_registry_owner(iova, &holder) || holder != iovad,
					 "iosim_iova_check: cpu %u class %u slot %u holds %p, not a live range of this domain",
					 cpu, i, slot, iova) ||
				    WARN(iosim_iova_tree_find(iovad, iova->pfn_lo) != iova ||
					 iova_size(iova) != 1UL << i ||
					 iova_handed_slot(iova->pfn_lo, i) != slot ||
					 iova_is_cached(iova) || iova_handed_in(iova) != cpu_rcache,
					 "iosim_iova_check: cpu %u class %u slot %u holds [%#lx-%#lx], which it did not hand out",
					 cpu, i, slot, iova->pfn_lo, iova->pfn_hi))
					err = -EUCLEAN;
			}
			iosim_iova_unlock(&cpu_rcache->lock);
		}
	}
	if (!err && WARN(nr_recorded != nr_handed_flags,
			 "iosim_iova_check: %lu ranges recorded as handed out, %lu marked so",
			 nr_recorded, nr_handed_flags))
		err = -EUCLEAN;
	return err;
}
