/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * iova_internal.h - what the files of lib/iova share and nobody else sees.
 *
 * iova_tree.c     the augmented tree: summaries, search, insert, remove
 * iova_registry.c the set of live struct iova, for catching stale pointers
 * iova_spares.c   a domain's freed struct iova, kept for its next ranges
 * iova.c          the kernel API over the tree
 * iova_rcache.c   the fast path's magazines
 * iova_check.c    the sanity checker and statistics
 *
 * Cross-file symbols carry the iosim_iova_ prefix so the static library
 * exports nothing outside the kernel API and the simulation prefix.
 */
#ifndef _IOSIM_IOVA_INTERNAL_H
#define _IOSIM_IOVA_INTERNAL_H

#include <sched.h>

#include <linux/iova.h>

/*
 * struct iosim_iova_lock: a test-and-set lock for critical sections of a
 * few dozen instructions (a magazine push or pop, a registry shard update).
 * Uncontended it is one atomic exchange and one release store, inline, and
 * plain loads and stores while the process has one thread (as spinlock_t).
 * Contended, a waiter spins on a plain load (no cache-line ping-pong) for a
 * while, then yields the CPU, so a holder preempted on a 2-core machine gets
 * to run instead of being spun on.  Why not spinlock_t: nobody parks on this
 * lock, so its unlock is a plain release store where spinlock_t's must be
 * an atomic exchange (to see parked waiters), 20-40 cycles more per unlock
 * on a fast-path pair of about 30 cycles.
 *
 * Acquire/release ordering, so ThreadSanitizer sees the happens-before
 * edges; helgrind is told with linux/spinlock.h's IOSIM_LOCK_* requests.
 */
#define IOSIM_IOVA_LOCK_SPINS	128

/* iosim_iova_lock_init - an unlocked lock; every lock is set up by it once. */
static inline void iosim_iova_lock_init(struct iosim_iova_lock *lock)
{
	lock->locked = 0;
	IOSIM_LOCK_CREATED(lock, &lock->locked);
}

static inline void iosim_iova_lock(struct iosim_iova_lock *lock)
{
	unsigned int spins = 0;

	/* One thread in the process: nobody else sees the word (linux/spinlock.h). */
	if (__libc_single_threaded && !lock->locked) {
		lock->locked = 1;
		IOSIM_LOCK_ACQUIRED(lock);
		return;
	}
	while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED)) {
			if (++spins < IOSIM_IOVA_LOCK_SPINS) {
				iosim_spin_pause();
			} else {
				spins = 0;
				sched_yield();
			}
		}
	}
	IOSIM_LOCK_ACQUIRED(lock);
}

static inline void iosim_iova_unlock(struct iosim_iova_lock *lock)
{
	IOSIM_LOCK_RELEASED(lock);
	if (__libc_single_threaded)
		lock->locked = 0;
	else
		__atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
}

/*
 * iovad->iosim_state.  A kzalloc()ed domain reads UNINIT; the other values
 * are unlikely bit patterns so that stack garbage does not pass for a domain.
 */
#define IOSIM_IOVAD_UNINIT	0u
#define IOSIM_IOVAD_LIVE	0x69617661u	/* "iova" */
#define IOSIM_IOVAD_BROKEN	0x62726b6eu	/* init_iova_domain() refused the granule */

/* Largest range size (granules) the fast path caches: 2^(classes - 1). */
#define IOSIM_IOVA_RCACHE_MAX_PFNS	(1UL << (IOVA_RANGE_CACHE_MAX_SIZE - 1))

/*
 * iova->iosim_cached is written under the tree lock when a range enters a
 * cache (checked mode), but cleared without it when alloc_iova_fast() takes
 * the range back out (the cache holds the struct iova, so no tree lookup is
 * needed): every access is atomic.
 */
static inline bool iova_is_cached(const struct iova *iova)
{
	return __atomic_load_n(&iova->iosim_cached, __ATOMIC_ACQUIRE);
}

static inline void iova_set_cached(struct iova *iova, bool cached)
{
	__atomic_store_n(&iova->iosim_cached, cached, __ATOMIC_RELEASE);
}

/*
 * A pointer's hash: the top 32 bits of its Fibonacci product, which mix every
 * bit of the address.  The registry's shards and uthash buckets and the
 * domain's recent slots all take their index from it.
 */
static inline uint32_t iova_ptr_hash(const void *p)
{
	return (uint32_t)(((uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ULL) >> 32);
}

/* Iterate @cpu over the CPU slots of @rcache marked used (snapshot of the mask in @mask). */
#define for_each_used_cpu(cpu, mask, rcache)						\
	for ((mask) = __atomic_load_n(&(rcache)->iosim_cpus_used, __ATOMIC_RELAXED);	\
	     (mask) && ((cpu) = (unsigned int)__builtin_ctzl(mask), true);		\
	     (mask) &= (mask) - 1)

/* -- iova_tree.c: every call under iovad->iova_rbtree_lock -------------------- */

/* Where a search may place a range: inside [floor_pfn, limit_pfn]. */
struct iova_fit_req {
	unsigned long size;		/* granules, >= 1 */
	unsigned long align;		/* 1, or roundup_pow_of_two(size) for size-aligned */
	unsigned long floor_pfn;	/* lowest acceptable pfn_lo */
	unsigned long limit_pfn;	/* highest acceptable pfn_hi */
};

/*
 * iosim_iova_tree_find_fit - the highest pfn_lo satisfying @req; false if none.
 * On success *@near is a range next to the gap that holds the placement (the
 * range just below or just above it; NULL in an empty tree), for
 * iosim_iova_tree_insert_near().
 */
bool iosim_iova_tree_find_fit(struct iova_domain *iovad, const struct iova_fit_req *req,
			      unsigned long *pfn_lo, struct iova **near);

/* iosim_iova_tree_insert - link @iova, whose bounds overlap no range; false on a duplicate. */
bool iosim_iova_tree_insert(struct iova_domain *iovad, struct iova *iova);

/*
 * iosim_iova_tree_insert_near - link @iova, which lies in the free gap next
 * to @near as iosim_iova_tree_find_fit() reported it, without a descent from
 * the root or a key comparison.
 */
void iosim_iova_tree_insert_near(struct iova_domain *iovad, struct iova *iova,
				 struct iova *near);

/* iosim_iova_tree_remove - unlink @iova. */
void iosim_iova_tree_remove(struct iova_domain *iovad, struct iova *iova);

/*
 * iosim_iova_tree_update - @iova's bounds changed in place, order kept
 * (@old_pfns: its size before): refresh summaries and the covered count.
 */
void iosim_iova_tree_update(struct iova_domain *iovad, struct iova *iova,
			    unsigned long old_pfns);

/* iosim_iova_tree_find - the range containing @pfn, or NULL. */
struct iova *iosim_iova_tree_find(struct iova_domain *iovad, unsigned long pfn);

/* iosim_iova_tree_ceil - the lowest range with pfn_hi >= @pfn, or NULL. */
struct iova *iosim_iova_tree_ceil(struct iova_domain *iovad, unsigned long pfn);

/* iosim_iova_tree_next - the range after @iova, or NULL. */
struct iova *iosim_iova_tree_next(struct iova *iova);

/* iosim_iova_tree_drain - unlink every range (no rebalancing) and hand each to @release. */
void iosim_iova_tree_drain(struct iova_domain *iovad, void (*release)(struct iova *iova));

/*
 * iosim_iova_tree_max_gap_except - the largest gap between two consecutive
 * ranges of the tree, leaving out the gap holding the free pfn @pfn (if
 * @pfn lies between two ranges).  O(log n), from the summaries.
 */
unsigned long iosim_iova_tree_max_gap_except(struct iova_domain *iovad, unsigned long pfn);

/* iosim_iova_tree_prev - the range before @iova, or NULL. */
struct iova *iosim_iova_tree_prev(struct iova_domain *iovad, struct iova *iova);

/* iosim_iova_gap_fit - largest s: s granules aligned to roundup_pow_of_two(s) fit in [a, b]. */
unsigned long iosim_iova_gap_fit(unsigned long a_pfn, unsigned long b_pfn);

/* -- iova_registry.c: its own lock, taken inside any domain lock ------------ */

/*
 * iosim_iova_registry_add - remember @iova as live, held by @owner (NULL:
 * detached).  Return: 0, or -ENOMEM if its shard's table could not be
 * created (IOSIM_FAULT_HOST); @iova is then not registered.
 */
int iosim_iova_registry_add(struct iova *iova, struct iova_domain *owner);

/*
 * iosim_iova_registry_del - forget @iova if it is live (registered and not a
 * freed spare) and held by @owner (NULL: detached).  Return: 0; -ENOENT if
 * not live; -EBUSY if held by another domain (then *@holder says which).
 * Nothing changes on error.
 */
int iosim_iova_registry_del(struct iova *iova, struct iova_domain *owner,
			    struct iova_domain **holder);

/* iosim_iova_registry_drop - forget registered @iova, live or freed (a spare going back). */
void iosim_iova_registry_drop(struct iova *iova);

/*
 * iosim_iova_registry_owner - true if @iova is live (registered, not a freed
 * spare); *@owner is then the domain holding it (NULL when detached).  Never
 * dereferences an unregistered pointer.
 */
bool iosim_iova_registry_owner(const struct iova *iova, struct iova_domain **owner);

/* iosim_iova_registry_holds - as iosim_iova_registry_owner(), freed spares included. */
bool iosim_iova_registry_holds(const struct iova *iova, struct iova_domain **owner);

/* iosim_iova_registry_set_owner - @iova (live) now belongs to @owner, or to nobody. */
void iosim_iova_registry_set_owner(struct iova *iova, struct iova_domain *owner);

/* iosim_iova_registry_count - registered struct iova in the process, spares included. */
unsigned long iosim_iova_registry_count(void);

/* -- iova.c -------------------------------------------------------------------- */

/*
 * iosim_iova_domain_usable - true if @iovad can allocate.  A domain that was
 * never initialised WARNs (naming @who); one whose init was refused does not
 * (init already WARNed).
 */
bool iosim_iova_domain_usable(struct iova_domain *iovad, const char *who);

/*
 * iosim_iova_mem_alloc - alloc_iova_mem() for @iovad's own use: the iova is
 * registered as @iovad's from the start, which saves the registry a round
 * trip per allocation.  Free it with iosim_iova_mem_free() until it is linked.
 */
struct iova *iosim_iova_mem_alloc(struct iova_domain *iovad);
void iosim_iova_mem_free(struct iova_domain *iovad, struct iova *iova);

/*
 * iosim_iova_alloc_locked - place @req with @iova (from iosim_iova_mem_alloc())
 * and park it (iova_parked.c): it is linked when the tree next needs it.
 * Caller holds the tree lock.  Return: false, nothing changed, if no range
 * fits.
 */
bool iosim_iova_alloc_locked(struct iova_domain *iovad, const struct iova_fit_req *req,
			     struct iova *iova);

/*
 * iosim_iova_node_get - a struct iova for a new range of @iovad: one of its
 * spares, or else one from the slab, for which the tree lock is dropped and
 * taken again (*@flags as spin_lock_irqsave() left them); *@fresh says
 * which.  Tree lock held on entry and on return.  Return: the iova,
 * registered as @iovad's; NULL if the allocation failed (fault injection, or
 * no memory).
 */
struct iova *iosim_iova_node_get(struct iova_domain *iovad, unsigned long *flags, bool *fresh);

/*
 * iosim_iova_node_unget - @iova from iosim_iova_node_get() found no place:
 * a spare goes back to the spares, a fresh one back to the slab, so that a
 * failed allocation leaves the slab as it found it.  Tree lock held.
 * Return: what the caller hands to iosim_iova_mem_release() after unlocking.
 */
struct iova *iosim_iova_node_unget(struct iova_domain *iovad, struct iova *iova, bool fresh);

/*
 * iosim_iova_unlink_locked - unlink @iova (a range of @iovad's tree, not
 * cached) and make it a spare.  Tree lock held.  Return: NULL; or @iova when
 * the domain keeps enough spares: the caller hands it to
 * iosim_iova_mem_release() once the tree lock is dropped.
 */
struct iova *iosim_iova_unlink_locked(struct iova_domain *iovad, struct iova *iova);

/*
 * iosim_iova_mem_release - unregister and free the unlinked @iova and every
 * iova chained after it through iosim_spare_next (NULL: nothing).
 */
void iosim_iova_mem_release(struct iova *iova);

/* iosim_iova_free_locked - unlink @iova and keep or free it at once.  Tree lock held. */
void iosim_iova_free_locked(struct iova_domain *iovad, struct iova *iova);

/* iova_effective_limit - @limit_pfn clipped to the top of the domain. */
static inline unsigned long iova_effective_limit(struct iova_domain *iovad,
						 unsigned long limit_pfn)
{
	return min(limit_pfn, iovad->dma_32bit_pfn);
}

/* -- iova_spares.c: every call under iovad->iova_rbtree_lock but the release -- */

/*
 * iosim_iova_spare_take - one of @iovad's spares, live again (pfn_lo and
 * pfn_hi to be set by the caller).  Consults the slab's fault site as
 * kmem_cache_alloc() would.  Return: the spare; NULL if the domain keeps
 * none (*@failed false: allocate from the slab) or if a failure was injected
 * (*@failed true: the allocation fails).
 */
struct iova *iosim_iova_spare_take(struct iova_domain *iovad, bool *failed);

/*
 * iosim_iova_spare_put - @iova, unlinked, is freed: keep it as a spare.
 * Return: NULL if kept; else a chain for iosim_iova_mem_release(): @iova
 * alone if the domain keeps enough spares, @iova and every spare if the
 * domain holds no range any more.
 */
struct iova *iosim_iova_spare_put(struct iova_domain *iovad, struct iova *iova);

/*
 * iosim_iova_spares_detach - take every spare off @iovad (tree lock held).
 * Return: the chain, for iosim_iova_mem_release() once the lock is dropped.
 */
struct iova *iosim_iova_spares_detach(struct iova_domain *iovad);

/* iosim_iova_spares_release - free every spare of @iovad; takes the tree lock. */
void iosim_iova_spares_release(struct iova_domain *iovad);

/* iosim_iova_spares_check - the spare list's sanity checker; 0 or -EUCLEAN (WARNed). */
int iosim_iova_spares_check(struct iova_domain *iovad);

/* iosim_iova_spares_total - spares of every domain in the process. */
unsigned long iosim_iova_spares_total(void);

/* -- iova_rcache.c ---------------------------------------------------------- */

/* iosim_iova_rcache_init - empty caches: locks set up, magazines come on demand. */
void iosim_iova_rcache_init(struct iova_domain *iovad);

/* iosim_iova_rcache_destroy - free every magazine; the ranges stay in the tree. */
void iosim_iova_rcache_destroy(struct iova_domain *iovad);

/*
 * iosim_iova_rcache_collect - copy every cached range's pfn and size class
 * into @pfns/@classes (room for @max); takes each cache lock in turn, never
 * the tree lock.  Return: the number of cached ranges (may exceed @max).
 */
unsigned long iosim_iova_rcache_collect(struct iova_domain *iovad, unsigned long *pfns,
					unsigned int *classes, unsigned long max);

/*
 * iosim_iova_rcache_tally - iosim_iova_rcache_collect()'s count and the
 * per-CPU hit and miss counters' sums in one pass, one lock per used CPU
 * slot: what iosim_iova_get_stats() needs after every fuzzed operation.
 */
void iosim_iova_rcache_tally(struct iova_domain *iovad, unsigned long *nr_cached,
			     unsigned long *hits, unsigned long *misses,
			     unsigned long *local_frees);

/* -- the domain's recent ranges: a registry lookup spared ------------------- */

/*
 * __free_iova() must know that the pointer it is given is a live range of
 * its domain before it reads it; the registry answers with a shard lock and a
 * hash lookup, a cache miss per call once it holds many ranges.  The domain
 * also remembers, under its tree lock, the last ranges alloc_iova() returned,
 * one per slot by pointer hash.  The invariant: a slot holds only a live
 * range of this domain, so every path that takes a range out of the tree
 * forgets it first (iosim_iova_unlink_locked(), split_and_remove_iova(),
 * put_iova_domain()), and iosim_iova_check() verifies each slot against the
 * registry and the tree.  A pointer found in its slot needs no registry.
 */
static inline struct iova **iova_recent_slot(struct iova_domain *iovad, const struct iova *iova)
{
	return &iovad->iosim_recent[iova_ptr_hash(iova) >> (32 - 3)];
}

_Static_assert(IOSIM_IOVA_RECENT_SLOTS == 8, "iova_recent_slot() takes 3 bits of hash");

static inline void iova_recent_forget(struct iova_domain *iovad, const struct iova *iova)
{
	struct iova **slot = iova_recent_slot(iovad, iova);

	if (*slot == iova)
		*slot = NULL;
}

/* A sanity checker's test: WARN with "iosim_iova_check: " and return -EUCLEAN. */
#define IOVA_CHECK(cond, fmt, ...)						\
	do {									\
		if (WARN(!(cond), "iosim_iova_check: " fmt, ##__VA_ARGS__))	\
			return -EUCLEAN;					\
	} while (0)

/*
 * Does @iova's iosim_dma_end (the DMA glue's end of the buffer it maps
 * there) lie in its last granule, or is it 0?  The checkers' test.
 */
static inline bool iova_dma_end_ok(struct iova_domain *iovad, struct iova *iova)
{
	dma_addr_t last = (dma_addr_t)iova->pfn_hi << iova_shift(iovad);

	return !iova->iosim_dma_end ||
	       (iova->iosim_dma_end > last && iova->iosim_dma_end - last <= iovad->granule);
}

/* -- iova_parked.c: alloc_iova()'s last range, linked only when needed ------- */

/*
 * iosim_iova_park - @iova, just placed next to @near by
 * iosim_iova_tree_find_fit() (counted in iosim_nr_ranges, not linked), is
 * the domain's parked range.  Nothing may be parked already.  Tree lock held.
 */
void iosim_iova_park(struct iova_domain *iovad, struct iova *iova, struct iova *near);

/*
 * iosim_iova_unpark - free the parked range: it leaves the domain without
 * ever entering the tree.  Tree lock held.  Return: as
 * iosim_iova_unlink_locked().
 */
struct iova *iosim_iova_unpark(struct iova_domain *iovad);

/* iosim_iova_settle - link the parked range, if any, into the tree.  Tree lock held. */
void iosim_iova_settle_slow(struct iova_domain *iovad);

static inline void iosim_iova_settle(struct iova_domain *iovad)
{
	if (iovad->iosim_parked)
		iosim_iova_settle_slow(iovad);
}

/*
 * iosim_iova_find_locked - the range holding @pfn, parked or in the tree;
 * NULL if @pfn is free.  Tree lock held.
 */
static inline struct iova *iosim_iova_find_locked(struct iova_domain *iovad, unsigned long pfn)
{
	struct iova *iova = iovad->iosim_parked;

	if (iova && pfn >= iova->pfn_lo && pfn <= iova->pfn_hi)
		return iova;
	return iosim_iova_tree_find(iovad, pfn);
}

/*
 * iosim_iova_parked_check - the parked range is a live, uncached range of
 * @iovad lying in a free gap next to iosim_parked_near.  Tree lock held.
 */
int iosim_iova_parked_check(struct iova_domain *iovad);

/* -- iova_handed.c: checked mode's per-CPU record of handed-out ranges ------ */

/*
 * iosim_iova_handed_record - remember that @cpu_rcache's CPU handed out
 * @iova (class @order), evicting the range in its slot.  @cpu_rcache locked.
 */
void iosim_iova_handed_record(struct iova_cpu_rcache *cpu_rcache, struct iova *iova,
			      unsigned int order);

/*
 * iosim_iova_handed_take_locked - the range starting at @pfn if
 * @cpu_rcache's CPU recorded it: taken out of the record and marked cached,
 * for a magazine.  NULL if not recorded (the caller vets through the tree).
 * @cpu_rcache locked.
 */
struct iova *iosim_iova_handed_take_locked(struct iova_cpu_rcache *cpu_rcache,
					   unsigned long pfn, unsigned int order);

/*
 * iosim_iova_handed_forget - drop @iova from whatever CPU recorded it.  Tree
 * lock held; call before a range leaves the tree or its cached flag is read
 * to refuse a free.  Takes the recording CPU's lock if there is one.
 */
void iosim_iova_handed_forget_slow(struct iova *iova);

static inline void iosim_iova_handed_forget(struct iova *iova)
{
	/* Inline: the tree path's ranges are almost never recorded. */
	if (unlikely(__atomic_load_n(&iova->iosim_handed_in, __ATOMIC_ACQUIRE)))
		iosim_iova_handed_forget_slow(iova);
}

/* iosim_iova_handed_clear - empty @cpu_rcache's record.  @cpu_rcache locked or idle. */
void iosim_iova_handed_clear(struct iova_cpu_rcache *cpu_rcache);

/*
 * iosim_iova_handed_check - every recorded range is a live, uncached range
 * of @iovad pointing back at its slot, and they number @nr_handed_flags (the
 * tree's ranges with iosim_handed_in set).  Tree lock held.
 */
int iosim_iova_handed_check(struct iova_domain *iovad, unsigned long nr_handed_flags);

#endif /* _IOSIM_IOVA_INTERNAL_H */
