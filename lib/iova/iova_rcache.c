// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The fast path: per-CPU magazines of recently freed ranges, per size class.
 *
 * The kernel's design (v4.7, "IOVA range caching"): ranges of up to
 * 2^(IOVA_RANGE_CACHE_MAX_SIZE - 1) granules are not returned to the tree
 * when freed with free_iova_fast() but pushed, still allocated in the tree,
 * onto the freeing CPU's "loaded" magazine of their power-of-two size class.
 * alloc_iova_fast() pops from the same magazine.  A full loaded magazine is
 * swapped with the CPU's "prev" one; when both are full, the loaded one goes
 * to the class's depot (or, with the depot full, its ranges go back to the
 * tree) and an empty one replaces it.  An empty CPU takes a full magazine
 * from the depot.  Only the depot is shared, and it is touched once per
 * IOVA_MAG_SIZE operations.
 *
 * Simulated CPUs: a thread is a CPU.  Each thread takes the next of
 * IOSIM_IOVA_NR_CPUS slots on first use and keeps it (a _Thread_local
 * index), rather than asking sched_getcpu() on every call: the slot a range
 * is cached on then does not depend on the host scheduler, so single-threaded
 * runs are reproducible, and the lookup costs a TLS load instead of a getcpu.
 * Threads beyond the slot count share slots, which the per-slot lock makes
 * safe.  That lock is the allocator's inline test-and-set lock
 * (iova_internal.h: an exchange and a store uncontended, against a call each
 * way for a pthread spinlock and twice that for the mutex behind
 * spinlock_t); a waiter spins briefly, then yields, so a preempted holder is
 * not spun on.
 *
 * Differences from v4.7, all from later kernels or this simulation: sizes are
 * rounded up to a power of two before caching (v5.x "iommu/iova: Round up to
 * power-of-2 for rcache", fixing v4.7's overlapping reuse), a pop scans the
 * magazine for a range under the limit (v5.x "Try harder to allocate from
 * rcache magazine"), magazines are allocated on first use instead of at init
 * (init_iova_domain() cannot fail), and a failed tree allocation flushes the
 * depots as well as the CPUs' magazines before its one retry.
 */
#include <sched.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/slab.h>
#include <iosim/iova.h>

#include "iova_internal.h"

/*
 * @iovas[i] is the struct iova starting at @pfns[i] in checked mode (it was
 * found by the vetting lookup when the range was freed, so taking it back
 * out needs no second lookup), NULL when trusting.
 */
struct iova_magazine {
	unsigned long size;
	unsigned long pfns[IOVA_MAG_SIZE];
	struct iova *iovas[IOVA_MAG_SIZE];
};

_Static_assert(sizeof(struct iova_cpu_rcache) == 256, "iova_cpu_rcache padding");
/* The padding keeps more than a line between two CPUs' fields (iova.h). */
_Static_assert(sizeof(struct iova_cpu_rcache) - offsetof(struct iova_cpu_rcache, iosim_pad) > 64,
	       "iova_cpu_rcache: two CPUs' fields could share a cache line");

static _Thread_local int iova_cpu = -1;
static unsigned int iova_next_cpu;

/* The calling thread's slot; inline, as the fast path asks on every call. */
static inline unsigned int iova_this_cpu(void)
{
	if (unlikely(iova_cpu < 0))
		iova_cpu = (int)(__atomic_fetch_add(&iova_next_cpu, 1, __ATOMIC_RELAXED) %
				 IOSIM_IOVA_NR_CPUS);
	return (unsigned int)iova_cpu;
}

unsigned int iosim_iova_this_cpu(void)
{
	return iova_this_cpu();
}

/* The fast path's usability check: inline for a live domain, the full one otherwise. */
static inline bool iova_fast_usable(struct iova_domain *iovad, const char *who)
{
	return likely(iovad && iovad->iosim_state == IOSIM_IOVAD_LIVE) ||
	       iosim_iova_domain_usable(iovad, who);
}

void iosim_iova_set_cpu(unsigned int cpu)
{
	WARN(cpu >= IOSIM_IOVA_NR_CPUS, "iosim_iova_set_cpu: cpu %u out of range (%u CPUs)",
	     cpu, IOSIM_IOVA_NR_CPUS);
	iova_cpu = (int)(cpu % IOSIM_IOVA_NR_CPUS);
}

static inline void cpu_rcache_lock(struct iova_cpu_rcache *cpu_rcache)
{
	iosim_iova_lock(&cpu_rcache->lock);
}

static inline void cpu_rcache_unlock(struct iova_cpu_rcache *cpu_rcache)
{
	iosim_iova_unlock(&cpu_rcache->lock);
}

/*
 * This CPU's slot of @rcache, marked as used.  Statistics and flushes visit
 * the used slots only: a process whose threads act as one or two CPUs (every
 * test and fuzz input) has 6 or 12 of 96 slots to look at, not 96.  The mark
 * is set before the slot is touched and never cleared, so a walk that reads
 * the mask after an operation sees its slot.
 */
static struct iova_cpu_rcache *this_cpu_rcache(struct iova_rcache *rcache)
{
	unsigned int cpu = iova_this_cpu();
	unsigned long bit = 1UL << cpu;

	if (!(__atomic_load_n(&rcache->iosim_cpus_used, __ATOMIC_RELAXED) & bit))
		__atomic_fetch_or(&rcache->iosim_cpus_used, bit, __ATOMIC_RELAXED);
	return &rcache->cpu_rcaches[cpu];
}

_Static_assert(IOSIM_IOVA_NR_CPUS <= BITS_PER_LONG, "one bit per CPU slot in iosim_cpus_used");


static inline bool iova_magazine_full(struct iova_magazine *mag)
{
	return mag && mag->size == IOVA_MAG_SIZE;
}

static inline bool iova_magazine_empty(struct iova_magazine *mag)
{
	return !mag || mag->size == 0;
}

/*
 * Take from @mag the most recently pushed range of 2^@order granules that
 * lies inside [floor_pfn, limit_pfn]; 0 if none does.
 */
static unsigned long iova_magazine_pop(struct iova_magazine *mag, unsigned int order,
				       unsigned long floor_pfn, unsigned long limit_pfn,
				       struct iova **iova)
{
	unsigned long i, pfn;

	for (i = mag->size; i-- > 0;) {
		pfn = mag->pfns[i];
		if (pfn >= floor_pfn && pfn <= limit_pfn &&
		    limit_pfn - pfn >= (1UL << order) - 1) {
			*iova = mag->iovas[i];
			mag->size--;
			mag->pfns[i] = mag->pfns[mag->size];
			mag->iovas[i] = mag->iovas[mag->size];
			return pfn;
		}
	}
	return 0;
}

/*
 * Return the ranges of @mag to the tree and free @mag.  Each cached pfn must
 * start a range; one that does not was a bad free_iova_fast() the unchecked
 * path trusted, and is WARNed and dropped.
 */
static void iova_magazine_release(struct iova_domain *iovad, struct iova_magazine *mag)
{
	unsigned long i, flags;

	if (!mag)
		return;
	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	/* A trusted free_iova_fast() may have cached the parked range's pfn. */
	iosim_iova_settle(iovad);
	for (i = 0; i < mag->size; i++) {
		struct iova *iova = iosim_iova_tree_find(iovad, mag->pfns[i]);

		if (WARN(!iova || iova->pfn_lo != mag->pfns[i],
			 "iova rcache: cached pfn %#lx does not start an allocated range",
			 mag->pfns[i]))
			continue;
		iova_set_cached(iova, false);
		iosim_iova_free_locked(iovad, iova);
	}
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	kfree(mag);
}

void iosim_iova_rcache_init(struct iova_domain *iovad)
{
	unsigned int i, cpu;

	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_rcache *rcache = &iovad->rcaches[i];

		spin_lock_init(&rcache->lock);
		rcache->iosim_cpus_used = 0;
		rcache->depot_size = 0;
		for (cpu = 0; cpu < IOSIM_IOVA_NR_CPUS; cpu++) {
			struct iova_cpu_rcache *cpu_rcache = &rcache->cpu_rcaches[cpu];

			iosim_iova_lock_init(&cpu_rcache->lock);
			cpu_rcache->loaded = NULL;
			cpu_rcache->prev = NULL;
			cpu_rcache->iosim_hits = 0;
			cpu_rcache->iosim_misses = 0;
			cpu_rcache->iosim_handed_hits = 0;
			memset(cpu_rcache->iosim_handed, 0, sizeof(cpu_rcache->iosim_handed));
		}
	}
}

void iosim_iova_rcache_destroy(struct iova_domain *iovad)
{
	unsigned long j, mask;
	unsigned int i, cpu;

	/*
	 * The ranges stay in the tree; put_iova_domain() frees them there.  A
	 * slot never marked used is as iosim_iova_rcache_init() left it.
	 */
	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_rcache *rcache = &iovad->rcaches[i];

		for_each_used_cpu(cpu, mask, rcache) {
			struct iova_cpu_rcache *cpu_rcache = &rcache->cpu_rcaches[cpu];

			kfree(cpu_rcache->loaded);
			kfree(cpu_rcache->prev);
			cpu_rcache->loaded = NULL;
			cpu_rcache->prev = NULL;
			iosim_iova_handed_clear(cpu_rcache);
		}
		for (j = 0; j < rcache->depot_size; j++)
			kfree(rcache->depot[j]);
		rcache->depot_size = 0;
	}
}

/*
 * This CPU's loaded magazine is full or missing: swap in prev if it has
 * room, else retire loaded to the depot and start an empty one.  Out of
 * line: once per IOVA_MAG_SIZE frees.  CPU lock held.  Return: a magazine
 * the full depot could not take, for the caller to release after unlocking.
 */
static noinline struct iova_magazine *
iova_cpu_rcache_make_room(struct iova_rcache *rcache, struct iova_cpu_rcache *cpu_rcache)
{
	struct iova_magazine *mag_to_release = NULL, *new_mag;

	if (!cpu_rcache->prev)
		cpu_rcache->prev = kzalloc(sizeof(struct iova_magazine), GFP_ATOMIC);
	if (!cpu_rcache->prev)
		return NULL;
	if (!iova_magazine_full(cpu_rcache->prev)) {
		swap(cpu_rcache->prev, cpu_rcache->loaded);
		return NULL;
	}
	/* Prev full, loaded full (or absent): retire loaded to the depot. */
	new_mag = kzalloc(sizeof(*new_mag), GFP_ATOMIC);
	if (!new_mag)
		return NULL;
	if (cpu_rcache->loaded) {
		spin_lock(&rcache->lock);
		if (rcache->depot_size < MAX_GLOBAL_MAGS)
			rcache->depot[rcache->depot_size++] = cpu_rcache->loaded;
		else
			mag_to_release = cpu_rcache->loaded;
		spin_unlock(&rcache->lock);
	}
	cpu_rcache->loaded = new_mag;
	return mag_to_release;
}

/*
 * Checked mode's common free: @pfn was handed out by this CPU, which still
 * records it (iova_handed.c).  Vet it from the record and, if the loaded
 * magazine has room, push it, all under the CPU lock taken once.  Return:
 * the range, vetted and now cached (*@pushed says whether it is in the
 * magazine already), or NULL if not recorded.
 */
static struct iova *iova_rcache_take_and_push(struct iova_rcache *rcache, unsigned long pfn,
					      unsigned int order, bool *pushed)
{
	struct iova_cpu_rcache *cpu_rcache = this_cpu_rcache(rcache);
	struct iova_magazine *mag;
	struct iova *iova;

	*pushed = false;
	cpu_rcache_lock(cpu_rcache);
	iova = iosim_iova_handed_take_locked(cpu_rcache, pfn, order);
	mag = cpu_rcache->loaded;
	if (iova && mag && !iova_magazine_full(mag)) {
		mag->iovas[mag->size] = iova;
		mag->pfns[mag->size++] = pfn;
		*pushed = true;		/* (iosim_rcache_used is set: it came from a magazine) */
	}
	cpu_rcache_unlock(cpu_rcache);
	return iova;
}

/* Push @pfn on this CPU's magazines of @rcache; false if no room could be made. */
static bool iova_rcache_insert(struct iova_domain *iovad, struct iova_rcache *rcache,
			       unsigned long pfn, struct iova *iova)
{
	struct iova_cpu_rcache *cpu_rcache = this_cpu_rcache(rcache);
	struct iova_magazine *mag_to_release = NULL;
	bool inserted = false;

	cpu_rcache_lock(cpu_rcache);
	if (unlikely(!cpu_rcache->loaded || iova_magazine_full(cpu_rcache->loaded)))
		mag_to_release = iova_cpu_rcache_make_room(rcache, cpu_rcache);
	if (likely(cpu_rcache->loaded && !iova_magazine_full(cpu_rcache->loaded))) {
		cpu_rcache->loaded->iovas[cpu_rcache->loaded->size] = iova;
		cpu_rcache->loaded->pfns[cpu_rcache->loaded->size++] = pfn;
		inserted = true;
		if (unlikely(!__atomic_load_n(&iovad->iosim_rcache_used, __ATOMIC_RELAXED)))
			__atomic_store_n(&iovad->iosim_rcache_used, true, __ATOMIC_RELAXED);
	}
	cpu_rcache_unlock(cpu_rcache);

	/* Outside the CPU lock: this takes the tree lock. */
	if (unlikely(mag_to_release))
		iova_magazine_release(iovad, mag_to_release);
	return inserted;
}

/*
 * This CPU's loaded magazine is empty: swap in prev if it holds ranges, else
 * take a full magazine from the depot.  Out of line: once per IOVA_MAG_SIZE
 * allocations.  CPU lock held.  Return: the empty magazine the depot's
 * replaced, for the caller to free after unlocking, or NULL.
 */
static noinline struct iova_magazine *
iova_cpu_rcache_reload(struct iova_rcache *rcache, struct iova_cpu_rcache *cpu_rcache)
{
	struct iova_magazine *empty_mag = NULL;

	if (!iova_magazine_empty(cpu_rcache->prev)) {
		swap(cpu_rcache->prev, cpu_rcache->loaded);
		return NULL;
	}
	spin_lock(&rcache->lock);
	if (rcache->depot_size > 0) {
		empty_mag = cpu_rcache->loaded;
		cpu_rcache->loaded = rcache->depot[--rcache->depot_size];
	}
	spin_unlock(&rcache->lock);
	return empty_mag;
}

/*
 * Checked mode: the popped @iova (starting at @pfn) must still be a cached
 * range; mark it handed out.  No tree lock: in checked mode nothing but
 * iova_magazine_release() takes a cached range out of the tree (__free_iova(),
 * free_iova() and split_and_remove_iova() refuse cached ranges), and the
 * magazine entry was this thread's alone once popped.  A range that is not
 * marked cached any more is WARNed and the pop treated as a miss.
 */
static bool iova_rcache_claim(struct iova *iova, unsigned long pfn)
{
	/*
	 * A load and a store, not an exchange: nobody else writes the flag of
	 * a range this thread popped, and a locked instruction per allocation
	 * is what the fast path's time goes to.
	 */
	bool ok = iova && iova_is_cached(iova);

	if (ok)
		iova_set_cached(iova, false);
	WARN(!ok, "iova rcache: cached pfn %#lx is no longer a cached range", pfn);
	return ok;
}

/*
 * Pop a range of 2^@order granules inside [floor_pfn, limit_pfn]; 0 on a
 * miss.  @checked: claim it and record it as this CPU's (iova_handed.c)
 * under the same lock.
 */
static unsigned long iova_rcache_get(struct iova_rcache *rcache, unsigned int order,
				     unsigned long floor_pfn, unsigned long limit_pfn,
				     bool checked)
{
	struct iova_cpu_rcache *cpu_rcache = this_cpu_rcache(rcache);
	struct iova_magazine *empty_mag = NULL;
	struct iova *iova = NULL;
	unsigned long pfn = 0;

	cpu_rcache_lock(cpu_rcache);
	if (unlikely(iova_magazine_empty(cpu_rcache->loaded)))
		empty_mag = iova_cpu_rcache_reload(rcache, cpu_rcache);
	if (likely(!iova_magazine_empty(cpu_rcache->loaded)))
		pfn = iova_magazine_pop(cpu_rcache->loaded, order, floor_pfn, limit_pfn, &iova);
	if (pfn && checked) {
		if (iova_rcache_claim(iova, pfn))
			iosim_iova_handed_record(cpu_rcache, iova, order);
		else
			pfn = 0;
	}
	if (likely(pfn))
		cpu_rcache->iosim_hits++;
	else
		cpu_rcache->iosim_misses++;
	cpu_rcache_unlock(cpu_rcache);

	if (unlikely(empty_mag))
		kfree(empty_mag);
	return pfn;
}

/**
 * alloc_iova_fast - allocate a size-aligned range, from the caches if possible
 * @iovad: the domain
 * @size: page frames, at least 1; sizes up to 2^(IOVA_RANGE_CACHE_MAX_SIZE-1)
 *	are rounded up to a power of two, so the range may be longer than asked
 * @limit_pfn: highest page frame the range may use (clipped to dma_32bit_pfn)
 *
 * Tries this CPU's cache of the size class, then the tree (size-aligned,
 * never at pfn 0, which means failure here).  If the tree has no room, every
 * cache is flushed back to the tree and the tree tried once more.
 *
 * Context: any; takes the CPU's cache lock, the tree lock on a miss.
 * Return: the first page frame of the range, or 0 (domain unchanged but for
 * the flush) if nothing fits, or on misuse (zero @size: WARNed).
 */
unsigned long alloc_iova_fast(struct iova_domain *iovad, unsigned long size,
			      unsigned long limit_pfn)
{
	struct iova_fit_req req;
	bool flushed = false;
	unsigned long flags, pfn;
	struct iova *iova;
	bool placed = false;

	if (!iova_fast_usable(iovad, __func__))
		return 0;
	if (WARN(!size, "alloc_iova_fast: zero size"))
		return 0;
	if (size > (1UL << (BITS_PER_LONG - 1)))
		return 0;
	if (size <= IOSIM_IOVA_RCACHE_MAX_PFNS) {
		unsigned int order = order_base_2(size);

		size = 1UL << order;
		pfn = iova_rcache_get(&iovad->rcaches[order], order,
				      max(iovad->start_pfn, 1UL),
				      iova_effective_limit(iovad, limit_pfn),
				      READ_ONCE(iovad->iosim_fast_checks));
		if (pfn)
			return pfn;
	}

	req.size = size;
	req.align = roundup_pow_of_two(size);
	for (;;) {
		struct iova *doomed = NULL;
		bool fresh;

		spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
		iova = iosim_iova_node_get(iovad, &flags, &fresh);
		if (iova) {
			req.floor_pfn = max(iovad->start_pfn, 1UL);
			req.limit_pfn = iova_effective_limit(iovad, limit_pfn);
			placed = iosim_iova_alloc_locked(iovad, &req, iova);
			pfn = placed ? iova->pfn_lo : 0;	/* read under the lock */
			if (!placed)
				doomed = iosim_iova_node_unget(iovad, iova, fresh);
		}
		spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
		iosim_iova_mem_release(doomed);
		if (iova && placed)
			return pfn;
		if (flushed)
			return 0;
		flushed = true;
		iosim_iova_rcache_flush(iovad);
	}
}

/*
 * Checked mode: vet a free_iova_fast() of @pfn in size class @order before
 * caching it.  Return: the range to cache (now marked cached); NULL if it
 * was dealt with here (WARNed misuse, or freed to the tree because the range
 * does not have the class's exact size).
 */
static struct iova *iova_rcache_vet(struct iova_domain *iovad, unsigned long pfn,
				    unsigned long size, unsigned int order)
{
	struct iova *iova, *cache = NULL;
	unsigned long flags;

	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	iosim_iova_settle(iovad);
	iova = iosim_iova_tree_find(iovad, pfn);
	if (WARN(!iova, "free_iova_fast: pfn %#lx is not allocated", pfn))
		goto out_unlock;
	/* Out of any CPU's record first: a fast free racing this one is then seen cached. */
	iosim_iova_handed_forget(iova);
	if (WARN(iova_is_cached(iova), "free_iova_fast: pfn %#lx freed twice", pfn))
		goto out_unlock;
	if (iova->pfn_lo == pfn && iova_size(iova) == (1UL << order)) {
		iova_set_cached(iova, true);
		cache = iova;
	} else {
		/* An exact-size range from alloc_iova() is fine, but not cacheable. */
		WARN(iova->pfn_lo != pfn || iova_size(iova) != size,
		     "free_iova_fast: pfn %#lx size %lu does not match iova [%#lx-%#lx]",
		     pfn, size, iova->pfn_lo, iova->pfn_hi);
		iosim_iova_free_locked(iovad, iova);
	}
out_unlock:
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	return cache;
}

/* Undo iova_rcache_vet() for a range the cache had no room for, and free it. */
static void iova_rcache_unvet_and_free(struct iova_domain *iovad, unsigned long pfn)
{
	struct iova *iova;
	unsigned long flags;

	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	iova = iosim_iova_tree_find(iovad, pfn);	/* vetted, so linked */
	if (iova) {
		iova_set_cached(iova, false);
		iosim_iova_free_locked(iovad, iova);
	}
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
}

/**
 * free_iova_fast - free a range from alloc_iova_fast(), into the cache if possible
 * @iovad: the domain
 * @pfn: the range's first page frame
 * @size: the size passed to alloc_iova_fast()
 *
 * Ranges of a cacheable size go to this CPU's cache; others, and those the
 * cache has no room for, go back to the tree with free_iova().  With checks
 * on (the default, iosim_iova_set_fast_checks()), an unallocated @pfn, a
 * second free and a @size that does not match the range are WARNed at the
 * call; with checks off, as in the kernel, they are caught (WARNed) only when
 * the range leaves the cache.
 *
 * Context: any; takes the CPU's cache lock; the tree lock if checked and the
 * range was not handed out by this CPU (or no longer recorded there).
 */
void free_iova_fast(struct iova_domain *iovad, unsigned long pfn, unsigned long size)
{
	struct iova *iova = NULL;
	unsigned int order;
	bool checked;

	if (!iova_fast_usable(iovad, __func__))
		return;
	if (WARN(!size, "free_iova_fast: zero size"))
		return;
	/* alloc_iova_fast() never returns pfn 0 or an unaligned range. */
	order = size <= IOSIM_IOVA_RCACHE_MAX_PFNS ? order_base_2(size) : BITS_PER_LONG;
	if (order >= IOVA_RANGE_CACHE_MAX_SIZE || !pfn || (pfn & ((1UL << order) - 1))) {
		free_iova(iovad, pfn);
		return;
	}

	checked = READ_ONCE(iovad->iosim_fast_checks);
	if (checked) {
		bool pushed;

		/* A range this CPU handed out needs no tree lookup (iova_handed.c). */
		iova = iova_rcache_take_and_push(&iovad->rcaches[order], pfn, order, &pushed);
		if (pushed)
			return;
		if (!iova)
			iova = iova_rcache_vet(iovad, pfn, size, order);
		if (!iova)
			return;
	}
	if (iova_rcache_insert(iovad, &iovad->rcaches[order], pfn, iova))
		return;
	if (checked)
		iova_rcache_unvet_and_free(iovad, pfn);
	else
		free_iova(iovad, pfn);
}

/* Detach and release this CPU slot's magazines of every class. */
static void iova_flush_cpu(struct iova_domain *iovad, unsigned int cpu)
{
	unsigned int i;

	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_cpu_rcache *cpu_rcache = &iovad->rcaches[i].cpu_rcaches[cpu];
		struct iova_magazine *loaded, *prev;

		cpu_rcache_lock(cpu_rcache);
		loaded = cpu_rcache->loaded;
		prev = cpu_rcache->prev;
		cpu_rcache->loaded = NULL;
		cpu_rcache->prev = NULL;
		cpu_rcache_unlock(cpu_rcache);

		iova_magazine_release(iovad, loaded);
		iova_magazine_release(iovad, prev);
	}
}

/**
 * free_cpu_cached_iovas - return one CPU's cached ranges to the tree
 * @cpu: the simulated CPU (see iosim_iova_set_cpu()); out of range is WARNed
 * @iovad: the domain
 *
 * Context: any; takes the CPU's cache locks, then the tree lock.
 */
void free_cpu_cached_iovas(unsigned int cpu, struct iova_domain *iovad)
{
	if (!iosim_iova_domain_usable(iovad, __func__))
		return;
	if (WARN(cpu >= IOSIM_IOVA_NR_CPUS, "free_cpu_cached_iovas: no cpu %u", cpu))
		return;
	iova_flush_cpu(iovad, cpu);
}

void iosim_iova_rcache_flush(struct iova_domain *iovad)
{
	unsigned long flags, used = 0;
	unsigned int cpu, i;

	if (!iosim_iova_domain_usable(iovad, __func__))
		return;
	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++)
		used |= __atomic_load_n(&iovad->rcaches[i].iosim_cpus_used, __ATOMIC_RELAXED);
	for (cpu = 0; cpu < IOSIM_IOVA_NR_CPUS; cpu++)
		if (used & (1UL << cpu))
			iova_flush_cpu(iovad, cpu);
	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_rcache *rcache = &iovad->rcaches[i];
		struct iova_magazine *depot[MAX_GLOBAL_MAGS];
		unsigned long j, depot_size;

		spin_lock(&rcache->lock);
		depot_size = rcache->depot_size;
		memcpy(depot, rcache->depot, depot_size * sizeof(depot[0]));
		rcache->depot_size = 0;
		spin_unlock(&rcache->lock);
		for (j = 0; j < depot_size; j++)
			iova_magazine_release(iovad, depot[j]);
	}
	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	iovad->iosim_nr_rcache_flushes++;
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
}

void iosim_iova_set_fast_checks(struct iova_domain *iovad, bool on)
{
	unsigned long flags, mask;
	unsigned int i, cpu;

	if (!iosim_iova_domain_usable(iovad, __func__))
		return;
	/* Cached flags are only kept while checking: start from empty caches. */
	iosim_iova_rcache_flush(iovad);
	WRITE_ONCE(iovad->iosim_fast_checks, on);
	/* And from empty records of handed-out ranges (tree lock, then CPU locks). */
	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		for_each_used_cpu(cpu, mask, &iovad->rcaches[i]) {
			struct iova_cpu_rcache *cpu_rcache = &iovad->rcaches[i].cpu_rcaches[cpu];

			cpu_rcache_lock(cpu_rcache);
			iosim_iova_handed_clear(cpu_rcache);
			cpu_rcache_unlock(cpu_rcache);
		}
	}
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
}

/* Copy @mag's pfns (class @order) into the collection; count them all. */
static void iova_collect_mag(struct iova_magazine *mag, unsigned int order,
			     unsigned long *pfns, unsigned int *classes,
			     unsigned long max, unsigned long *nr)
{
	unsigned long i;

	if (!mag)
		return;
	for (i = 0; i < mag->size; i++, (*nr)++) {
		if (*nr < max) {
			pfns[*nr] = mag->pfns[i];
			classes[*nr] = order;
		}
	}
}

unsigned long iosim_iova_rcache_collect(struct iova_domain *iovad, unsigned long *pfns,
					unsigned int *classes, unsigned long max)
{
	unsigned long nr = 0, j, mask;
	unsigned int i, cpu;

	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_rcache *rcache = &iovad->rcaches[i];

		for_each_used_cpu(cpu, mask, rcache) {
			struct iova_cpu_rcache *cpu_rcache = &rcache->cpu_rcaches[cpu];

			cpu_rcache_lock(cpu_rcache);
			iova_collect_mag(cpu_rcache->loaded, i, pfns, classes, max, &nr);
			iova_collect_mag(cpu_rcache->prev, i, pfns, classes, max, &nr);
			cpu_rcache_unlock(cpu_rcache);
		}
		spin_lock(&rcache->lock);
		for (j = 0; j < rcache->depot_size; j++)
			iova_collect_mag(rcache->depot[j], i, pfns, classes, max, &nr);
		spin_unlock(&rcache->lock);
	}
	return nr;
}

void iosim_iova_rcache_tally(struct iova_domain *iovad, unsigned long *nr_cached,
			     unsigned long *hits, unsigned long *misses,
			     unsigned long *local_frees)
{
	unsigned long nr = 0, j, mask;
	unsigned int i, cpu;

	*hits = 0;
	*misses = 0;
	*local_frees = 0;
	for (i = 0; i < IOVA_RANGE_CACHE_MAX_SIZE; i++) {
		struct iova_rcache *rcache = &iovad->rcaches[i];

		for_each_used_cpu(cpu, mask, rcache) {
			struct iova_cpu_rcache *cpu_rcache = &rcache->cpu_rcaches[cpu];

			cpu_rcache_lock(cpu_rcache);
			nr += cpu_rcache->loaded ? cpu_rcache->loaded->size : 0;
			nr += cpu_rcache->prev ? cpu_rcache->prev->size : 0;
			*hits += cpu_rcache->iosim_hits;
			*misses += cpu_rcache->iosim_misses;
			*local_frees += cpu_rcache->iosim_handed_hits;
			cpu_rcache_unlock(cpu_rcache);
		}
		spin_lock(&rcache->lock);
		for (j = 0; j < rcache->depot_size; j++)
			nr += rcache->depot[j]->size;
		spin_unlock(&rcache->lock);
	}
	*nr_cached = nr;
}
