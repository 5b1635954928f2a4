// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The IOVA allocator's kernel API: domains, allocation, reservation, lookup.
 *
 * Semantics are the kernel's of mid 2015, with the differences docs/iova.md
 * lists: placement is exactly "the highest fitting range" (the kernel's walk
 * started below a cached node and could miss space above it), pfn_lo may equal
 * start_pfn (the kernel's bottom check was off by one), allocations stay at or
 * below dma_32bit_pfn, and misuse WARNs instead of corrupting the tree.
 */
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <asm/page.h>
#include <iosim/iova.h>

#include "iova_internal.h"

static struct kmem_cache *iova_cache;
static unsigned int iova_cache_users;
static DEFINE_MUTEX(iova_cache_mutex);

/**
 * iova_cache_get - take a reference on the slab cache struct iova come from
 *
 * Context: process context; takes a mutex.
 * Return: 0; -ENOMEM if the cache could not be created (no reference taken).
 */
int iova_cache_get(void)
{
	mutex_lock(&iova_cache_mutex);
	if (!iova_cache) {
		/*
		 * Without the kernel's SLAB_HWCACHE_ALIGN: the shim serves a
		 * cache-aligned object from the host heap with posix_memalign(),
		 * which costs glibc more than the rest of alloc_iova() +
		 * __free_iova() together (docs/perf-iova.md), while the kernel's
		 * slab hands out a pre-carved slot either way.
		 */
		iova_cache = kmem_cache_create("iommu_iova", sizeof(struct iova), 0, 0, NULL);
		if (!iova_cache) {
			mutex_unlock(&iova_cache_mutex);
			pr_err("Couldn't create iova cache\n");
			return -ENOMEM;
		}
	}
	iova_cache_users++;
	mutex_unlock(&iova_cache_mutex);
	return 0;
}

/**
 * iosim_iova_cache_users - references iova_cache_get() holds now
 *
 * Context: process context; takes a mutex.
 */
unsigned int iosim_iova_cache_users(void)
{
	unsigned int users;

	mutex_lock(&iova_cache_mutex);
	users = iova_cache_users;
	mutex_unlock(&iova_cache_mutex);
	return users;
}

/**
 * iova_cache_put - drop a reference taken by iova_cache_get()
 *
 * The last reference destroys the cache, unless iovas are still allocated:
 * then the leak is WARNed and the cache kept, so they can still be freed.
 * An unbalanced put WARNs and does nothing.
 *
 * Context: process context; takes a mutex.
 */
void iova_cache_put(void)
{
	unsigned long live;

	mutex_lock(&iova_cache_mutex);
	if (WARN(!iova_cache_users, "iova_cache_put: no reference held")) {
		mutex_unlock(&iova_cache_mutex);
		return;
	}
	if (!--iova_cache_users) {
		live = iosim_iova_registry_count();
		if (!WARN(live, "iova_cache_put: %lu iovas still allocated", live)) {
			kmem_cache_destroy(iova_cache);
			iova_cache = NULL;
		}
	}
	mutex_unlock(&iova_cache_mutex);
}

/**
 * alloc_iova_mem - allocate a detached struct iova
 *
 * Context: any; does not sleep (GFP_ATOMIC).
 * Return: the iova, or NULL on allocation failure or if iova_cache_get()
 * was never called (WARNed).
 */
struct iova *alloc_iova_mem(void)
{
	return iosim_iova_mem_alloc(NULL);
}

struct iova *iosim_iova_mem_alloc(struct iova_domain *iovad)
{
	struct kmem_cache *cache = READ_ONCE(iova_cache);
	struct iova *iova;

	if (WARN(!cache, "alloc_iova_mem: iova_cache_get() has not been called"))
		return NULL;
	iova = kmem_cache_alloc(cache, GFP_ATOMIC);
	if (!iova)
		return NULL;
	iova_set_cached(iova, false);
	iova->iosim_freed = false;
	iova->iosim_check_seen = false;
	iova->iosim_spare_next = NULL;
	iova->iosim_handed_in = NULL;
	iova->iosim_dma_end = 0;
	if (iosim_iova_registry_add(iova, iovad)) {
		kmem_cache_free(cache, iova);
		return NULL;
	}
	return iova;
}

void iosim_iova_mem_free(struct iova_domain *iovad, struct iova *iova)
{
	if (iova && !iosim_iova_registry_del(iova, iovad, NULL))
		kmem_cache_free(iova_cache, iova);
}

/**
 * free_iova_mem - free a struct iova that no domain holds
 * @iova: from alloc_iova_mem() or split_and_remove_iova(); NULL is ignored
 *
 * A pointer that is not a live iova (freed twice, never allocated) and an
 * iova still linked in a domain are WARNed and left alone.
 *
 * Context: any.
 */
void free_iova_mem(struct iova *iova)
{
	struct iova_domain *holder = NULL;
	int err;

	if (!iova)
		return;
	err = iosim_iova_registry_del(iova, NULL, &holder);
	if (WARN(err == -ENOENT, "free_iova_mem: %p is not a live iova (freed twice?)", iova))
		return;
	if (WARN(err == -EBUSY, "free_iova_mem: iova [%#lx-%#lx] is still in a domain",
		 iova->pfn_lo, iova->pfn_hi))
		return;
	kmem_cache_free(iova_cache, iova);
}

bool iosim_iova_domain_usable(struct iova_domain *iovad, const char *who)
{
	if (WARN(!iovad, "%s: NULL iova domain", who))
		return false;
	if (likely(iovad->iosim_state == IOSIM_IOVAD_LIVE))
		return true;
	WARN(iovad->iosim_state != IOSIM_IOVAD_BROKEN,
	     "%s: iova domain used before init_iova_domain()", who);
	return false;
}

/**
 * init_iova_domain - set up an empty IOVA domain
 * @iovad: the domain (typically kzalloc()ed)
 * @granule: bytes per IOVA page frame; a power of two, at most PAGE_SIZE
 * @start_pfn: lowest page frame to hand out
 * @pfn_32bit: highest page frame to hand out (stored as dma_32bit_pfn)
 *
 * A granule that is not a power of two is WARNed (the kernel BUGs) and leaves
 * the domain unusable: every allocation fails, put_iova_domain() is safe.  A
 * granule above PAGE_SIZE is WARNed too (the kernel BUGs: its callers map
 * CPU pages) but the domain works, as the allocator itself does not care.
 * Re-initialising a domain that still holds ranges WARNs and changes nothing.
 *
 * Context: process context; the domain must not be in use.
 */
void init_iova_domain(struct iova_domain *iovad, unsigned long granule,
		      unsigned long start_pfn, unsigned long pfn_32bit)
{
	if (WARN(!iovad, "init_iova_domain: NULL iova domain"))
		return;
	if (iovad->iosim_state == IOSIM_IOVAD_LIVE) {
		if (WARN(!RB_EMPTY(&iovad->rbroot) || iovad->iosim_parked,
			 "init_iova_domain: domain still holds %lu ranges", iovad->iosim_nr_ranges))
			return;
		iosim_iova_rcache_destroy(iovad);
	}

	spin_lock_init(&iovad->iova_rbtree_lock);
	RB_INIT(&iovad->rbroot);
	iovad->granule = granule;
	iovad->start_pfn = start_pfn;
	iovad->dma_32bit_pfn = pfn_32bit;
	iovad->iosim_fast_checks = true;
	iovad->iosim_rcache_used = false;
	iovad->iosim_nr_ranges = 0;
	iovad->iosim_nr_allocs = 0;
	iovad->iosim_nr_alloc_fails = 0;
	iovad->iosim_nr_frees = 0;
	iovad->iosim_nr_rcache_flushes = 0;
	iovad->iosim_tree_gen = 0;
	iovad->iosim_range_pfns = 0;
	iovad->iosim_top = NULL;
	memset(iovad->iosim_recent, 0, sizeof(iovad->iosim_recent));
	iovad->iosim_parked = NULL;
	iovad->iosim_parked_near = NULL;
	iovad->iosim_space_gen = 0;	/* no free-space figures cached */
	iovad->iosim_spares = NULL;
	iovad->iosim_nr_spares = 0;

	if (WARN(!is_power_of_2(granule),
		 "init_iova_domain: granule %#lx is not a power of two", granule)) {
		iovad->iosim_state = IOSIM_IOVAD_BROKEN;
		return;
	}
	WARN(granule > PAGE_SIZE, "init_iova_domain: granule %#lx is larger than PAGE_SIZE",
	     granule);
	iosim_iova_rcache_init(iovad);
	iovad->iosim_state = IOSIM_IOVAD_LIVE;
}

bool iosim_iova_alloc_locked(struct iova_domain *iovad, const struct iova_fit_req *req,
			     struct iova *iova)
{
	unsigned long pfn_lo;
	struct iova *near;

	/* The range parked before is linked first, so the search sees every range. */
	iosim_iova_settle(iovad);
	if (!iosim_iova_tree_find_fit(iovad, req, &pfn_lo, &near)) {
		iovad->iosim_nr_alloc_fails++;
		return false;
	}
	iova->pfn_lo = pfn_lo;
	iova->pfn_hi = pfn_lo + req->size - 1;
	iovad->iosim_nr_ranges++;
	iovad->iosim_nr_allocs++;
	/* Linked when the tree next needs it (iova_parked.c). */
	iosim_iova_park(iovad, iova, near);
	return true;
}

struct iova *iosim_iova_node_get(struct iova_domain *iovad, unsigned long *flags, bool *fresh)
{
	struct iova *iova;
	bool failed;

	iova = iosim_iova_spare_take(iovad, &failed);
	*fresh = !iova;
	if (iova || failed)
		return iova;
	/* Nothing is allocated under the tree lock. */
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, *flags);
	iova = iosim_iova_mem_alloc(iovad);
	spin_lock_irqsave(&iovad->iova_rbtree_lock, *flags);
	return iova;
}

struct iova *iosim_iova_node_unget(struct iova_domain *iovad, struct iova *iova, bool fresh)
{
	return fresh ? iova : iosim_iova_spare_put(iovad, iova);
}

struct iova *iosim_iova_unlink_locked(struct iova_domain *iovad, struct iova *iova)
{
	/*
	 * A parked range is linked beside its neighbour (iova_parked.c): not
	 * once that has gone.  Any other removal only widens its gap.
	 */
	if (iova == iovad->iosim_parked_near)
		iosim_iova_settle_slow(iovad);
	iosim_iova_handed_forget(iova);
	iova_recent_forget(iovad, iova);
	iosim_iova_tree_remove(iovad, iova);
	iovad->iosim_nr_ranges--;
	iovad->iosim_nr_frees++;
	return iosim_iova_spare_put(iovad, iova);
}

void iosim_iova_mem_release(struct iova *iova)
{
	struct iova *next;

	for (; iova; iova = next) {
		next = iova->iosim_spare_next;
		iosim_iova_registry_drop(iova);
		kmem_cache_free(iova_cache, iova);
	}
}

void iosim_iova_free_locked(struct iova_domain *iovad, struct iova *iova)
{
	iosim_iova_mem_release(iosim_iova_unlink_locked(iovad, iova));
}

/**
 * alloc_iova - allocate the highest free range of @size page frames
 * @iovad: the domain
 * @size: page frames, at least 1
 * @limit_pfn: highest page frame the range may use (clipped to dma_32bit_pfn)
 * @size_aligned: start the range at a multiple of roundup_pow_of_two(@size)
 *
 * The range is the highest one of @size free page frames between start_pfn
 * and @limit_pfn (with @size_aligned: the highest aligned one).  The range is
 * exactly @size long; alignment does not pad it.
 *
 * Context: any; takes the domain's lock, does not sleep.
 * Return: the range, or NULL (domain unchanged) when nothing fits, when
 * @limit_pfn is below start_pfn, when the struct iova cannot be allocated,
 * or on misuse: zero @size or an uninitialised domain (both WARNed).
 */
struct iova *alloc_iova(struct iova_domain *iovad, unsigned long size,
			unsigned long limit_pfn, bool size_aligned)
{
	struct iova_fit_req req;
	struct iova *iova, *doomed = NULL;
	unsigned long flags;
	bool placed = false, fresh;

	if (!iosim_iova_domain_usable(iovad, __func__))
		return NULL;
	if (WARN(!size, "alloc_iova: zero size"))
		return NULL;
	/* roundup_pow_of_two() of anything larger does not fit a long. */
	if (size_aligned && size > (1UL << (BITS_PER_LONG - 1)))
		return NULL;

	req.size = size;
	req.align = size_aligned ? roundup_pow_of_two(size) : 1;
	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	iova = iosim_iova_node_get(iovad, &flags, &fresh);
	if (!iova)
		goto out_unlock;
	req.floor_pfn = iovad->start_pfn;
	req.limit_pfn = iova_effective_limit(iovad, limit_pfn);
	placed = iosim_iova_alloc_locked(iovad, &req, iova);
	if (placed)
		*iova_recent_slot(iovad, iova) = iova;
	else
		doomed = iosim_iova_node_unget(iovad, iova, fresh);
out_unlock:
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	iosim_iova_mem_release(doomed);
	return placed ? iova : NULL;
}

/**
 * find_iova - the range containing a page frame
 * @iovad: the domain
 * @pfn: the page frame
 *
 * Context: any; takes the domain's lock.
 * Return: the range, or NULL if @pfn is free (or the domain unusable).
 */
struct iova *find_iova(struct iova_domain *iovad, unsigned long pfn)
{
	struct iova *iova;
	unsigned long flags;

	if (!iosim_iova_domain_usable(iovad, __func__))
		return NULL;
	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	iova = iosim_iova_find_locked(iovad, pfn);
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	return iova;
}

/**
 * __free_iova - free a range
 * @iovad: the domain holding @iova
 * @iova: from alloc_iova() or reserve_iova() on @iovad
 *
 * NULL, a pointer that is no longer a live iova (a second free), an iova of
 * another domain and one the fast path already took back are WARNed and
 * ignored; the domain is unchanged.
 *
 * Context: any; takes the domain's lock.
 */
void __free_iova(struct iova_domain *iovad, struct iova *iova)
{
	struct iova_domain *holder = NULL;
	struct iova *doomed = NULL;
	unsigned long flags;

	if (WARN(!iova, "__free_iova: NULL iova"))
		return;
	if (!iosim_iova_domain_usable(iovad, __func__))
		return;

	/*
	 * The domain's recent ranges or the registry say, under the tree lock,
	 * whether @iova is a live range of this domain; only then is it read.
	 * A second free of it, from any thread, comes after this one has
	 * marked it freed (a spare) and dropped it from the recent slots.
	 */
	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	if (iova == iovad->iosim_parked) {
		/* Live here by the parked range's invariant: back without the tree. */
		doomed = iosim_iova_unpark(iovad);
		goto out_unlock;
	}
	if (*iova_recent_slot(iovad, iova) == iova) {
		holder = iovad;		/* a recent range: live here, no lookup needed */
	} else if (!iosim_iova_registry_owner(iova, &holder)) {
		spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
		WARN(1, "__free_iova: %p is not a live iova (freed twice?)", iova);
		return;
	}
	if (holder != iovad) {
		spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
		WARN(1, "__free_iova: iova %p belongs to %s", iova,
		     holder ? "another domain" : "no domain");
		return;
	}
	/* Out of any CPU's record first: a fast free racing this one is then seen cached. */
	iosim_iova_handed_forget(iova);
	if (iova_is_cached(iova)) {
		spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
		WARN(1, "__free_iova: iova [%#lx-%#lx] was already freed with free_iova_fast()",
		     iova->pfn_lo, iova->pfn_hi);
		return;
	}
	doomed = iosim_iova_unlink_locked(iovad, iova);
out_unlock:
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	/* Nothing is freed under the tree lock. */
	iosim_iova_mem_release(doomed);
}

/**
 * free_iova - free the range containing a page frame
 * @iovad: the domain
 * @pfn: any page frame of the range
 *
 * A @pfn in no range is WARNed and ignored (the kernel ignores it silently).
 *
 * Context: any; takes the domain's lock.
 */
void free_iova(struct iova_domain *iovad, unsigned long pfn)
{
	struct iova *iova, *doomed = NULL;
	unsigned long flags;

	if (!iosim_iova_domain_usable(iovad, __func__))
		return;
	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	iova = iosim_iova_find_locked(iovad, pfn);
	if (iova && iova == iovad->iosim_parked) {
		doomed = iosim_iova_unpark(iovad);
		goto out_unlock;
	}
	if (iova)
		iosim_iova_handed_forget(iova);
	if (iova && !WARN(iova_is_cached(iova),
			  "free_iova: iova [%#lx-%#lx] was already freed with free_iova_fast()",
			  iova->pfn_lo, iova->pfn_hi))
		doomed = iosim_iova_unlink_locked(iovad, iova);
out_unlock:
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	WARN(!iova, "free_iova: pfn %#lx is not allocated", pfn);
	iosim_iova_mem_release(doomed);
}

/**
 * put_iova_domain - free every range of a domain, cached ones included
 * @iovad: the domain
 *
 * Afterwards the domain is empty and may be used again.  A domain that was
 * never initialised (a kzalloc()ed cookie the seed puts without init) or
 * whose init was refused holds nothing: nothing is done.
 *
 * Context: process context; the domain must not be in use.
 */
void put_iova_domain(struct iova_domain *iovad)
{
	unsigned long flags;

	if (!iovad || iovad->iosim_state != IOSIM_IOVAD_LIVE)
		return;
	iosim_iova_rcache_destroy(iovad);
	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	iosim_iova_settle(iovad);
	iosim_iova_tree_drain(iovad, iosim_iova_mem_release);
	memset(iovad->iosim_recent, 0, sizeof(iovad->iosim_recent));
	iovad->iosim_nr_ranges = 0;
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	iosim_iova_spares_release(iovad);
}

/*
 * Return every cached range to the tree if any is cached (see reserve_iova()).
 * Counting visits every cache, so skip it for domains that never cached.
 */
static void iova_reserve_prepare(struct iova_domain *iovad)
{
	if (__atomic_load_n(&iovad->iosim_rcache_used, __ATOMIC_RELAXED) &&
	    iosim_iova_rcache_collect(iovad, NULL, NULL, 0))
		iosim_iova_rcache_flush(iovad);
}

/*
 * Reserve [pfn_lo, pfn_hi] with the tree lock held.  The kernel's rule: each
 * range overlapping the request is extended down to cover the free space
 * below it that the request covers; what the request covers above the last
 * overlapped range becomes a new range.  The struct iova for that new range
 * is allocated before anything changes, so failure leaves the tree as it was.
 */
static struct iova *iova_reserve_locked(struct iova_domain *iovad, unsigned long pfn_lo,
					unsigned long pfn_hi)
{
	struct iova *first = iosim_iova_tree_ceil(iovad, pfn_lo);
	struct iova *iova, *last = NULL, *new_iova = NULL;
	unsigned long lo_pfn = pfn_lo;

	/* Plan: which ranges overlap, and is a new one needed above them? */
	for (iova = first; iova && iova->pfn_lo <= pfn_hi; iova = iosim_iova_tree_next(iova))
		last = iova;
	if (!last || last->pfn_hi < pfn_hi) {
		new_iova = iosim_iova_mem_alloc(iovad);
		if (!new_iova)
			return NULL;
	}

	for (iova = first; iova && iova->pfn_lo <= pfn_hi; iova = iosim_iova_tree_next(iova)) {
		if (lo_pfn < iova->pfn_lo) {
			unsigned long old_pfns = iova_size(iova);

			/* No longer the exact-size range a CPU may record it as. */
			iosim_iova_handed_forget(iova);
			iova->pfn_lo = lo_pfn;
			iosim_iova_tree_update(iovad, iova, old_pfns);
		}
		if (pfn_hi <= iova->pfn_hi)
			return iova;
		lo_pfn = iova->pfn_hi + 1;
	}
	new_iova->pfn_lo = lo_pfn;
	new_iova->pfn_hi = pfn_hi;
	if (!iosim_iova_tree_insert(iovad, new_iova)) {
		iosim_iova_mem_free(iovad, new_iova);
		return NULL;
	}
	iovad->iosim_nr_ranges++;
	return new_iova;
}

/**
 * reserve_iova - keep a range of page frames from ever being allocated
 * @iovad: the domain
 * @pfn_lo: first page frame
 * @pfn_hi: last page frame
 *
 * As the kernel: ranges the request overlaps grow down to cover the free
 * frames below them, and a new range covers what lies above the last one, so
 * afterwards every frame of [@pfn_lo, @pfn_hi] is in some range.  Ranges the
 * fast path caches are first returned to the tree, so a reservation never
 * merges into a range the cache would hand out again.  The request may lie
 * outside [start_pfn, dma_32bit_pfn].
 *
 * Context: any; takes the domain's lock.
 * Return: the range covering @pfn_hi; NULL (domain unchanged) if a struct
 * iova could not be allocated, if @pfn_lo > @pfn_hi (WARNed) or the domain
 * is unusable.
 */
struct iova *reserve_iova(struct iova_domain *iovad, unsigned long pfn_lo,
			  unsigned long pfn_hi)
{
	struct iova *iova;
	unsigned long flags;

	if (!iosim_iova_domain_usable(iovad, __func__))
		return NULL;
	if (WARN(pfn_lo > pfn_hi, "reserve_iova: empty range [%#lx-%#lx]", pfn_lo, pfn_hi))
		return NULL;
	iova_reserve_prepare(iovad);
	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	iosim_iova_settle(iovad);
	iova = iova_reserve_locked(iovad, pfn_lo, pfn_hi);
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	return iova;
}

/**
 * copy_reserved_iova - reserve in @to every range @from holds
 * @from: source domain (allocated ranges count, as in the kernel)
 * @to: destination domain
 *
 * The ranges are copied one at a time, never holding both domains' locks,
 * so two copies in opposite directions cannot deadlock.  A range that cannot
 * be reserved is reported in the log and skipped, as in the kernel; copying
 * a domain onto itself is WARNed and does nothing.
 *
 * Context: any; takes each domain's lock in turn.
 */
void copy_reserved_iova(struct iova_domain *from, struct iova_domain *to)
{
	unsigned long cursor_pfn = 0, flags;

	if (!iosim_iova_domain_usable(from, __func__) || !iosim_iova_domain_usable(to, __func__))
		return;
	if (WARN(from == to, "copy_reserved_iova: source and destination are the same domain"))
		return;

	for (;;) {
		unsigned long lo_pfn = 0, hi_pfn = 0;
		struct iova *iova;

		spin_lock_irqsave(&from->iova_rbtree_lock, flags);
		iosim_iova_settle(from);
		iova = iosim_iova_tree_ceil(from, cursor_pfn);
		if (iova) {
			lo_pfn = iova->pfn_lo;
			hi_pfn = iova->pfn_hi;
		}
		spin_unlock_irqrestore(&from->iova_rbtree_lock, flags);
		if (!iova)
			break;
		if (!reserve_iova(to, lo_pfn, hi_pfn))
			pr_err("Reserve iova range %lx@%lx failed\n", lo_pfn, hi_pfn);
		if (hi_pfn == ULONG_MAX)
			break;
		cursor_pfn = hi_pfn + 1;
	}
}

/**
 * split_and_remove_iova - take part of a range out of the domain
 * @iovad: the domain holding @iova
 * @iova: the range
 * @pfn_lo: first page frame to take
 * @pfn_hi: last page frame to take
 *
 * The part of @iova inside [@pfn_lo, @pfn_hi] leaves the tree and is returned
 * (free it with free_iova_mem()); the parts below and above stay as ranges of
 * their own.  A request reaching past @iova takes only what @iova covers.
 *
 * Context: any; takes the domain's lock.
 * Return: @iova, now detached and trimmed; NULL with the domain unchanged if
 * a struct iova for the remaining parts could not be allocated, or on misuse
 * (NULL or foreign @iova, @pfn_lo > @pfn_hi, no overlap with @iova: WARNed).
 */
struct iova *split_and_remove_iova(struct iova_domain *iovad, struct iova *iova,
				   unsigned long pfn_lo, unsigned long pfn_hi)
{
	struct iova *prev = NULL, *next = NULL, *doomed = NULL;
	struct iova_domain *holder;
	unsigned long flags;

	if (!iosim_iova_domain_usable(iovad, __func__))
		return NULL;
	if (WARN(!iova, "split_and_remove_iova: NULL iova"))
		return NULL;
	if (WARN(pfn_lo > pfn_hi, "split_and_remove_iova: empty range [%#lx-%#lx]",
		 pfn_lo, pfn_hi))
		return NULL;

	spin_lock_irqsave(&iovad->iova_rbtree_lock, flags);
	iosim_iova_settle(iovad);
	if (!iosim_iova_registry_owner(iova, &holder) || holder != iovad) {
		spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
		WARN(1, "split_and_remove_iova: %p is not a range of this domain", iova);
		return NULL;
	}
	iosim_iova_handed_forget(iova);
	if (WARN(iova_is_cached(iova) || pfn_hi < iova->pfn_lo || pfn_lo > iova->pfn_hi,
		 "split_and_remove_iova: [%#lx-%#lx] is not part of iova [%#lx-%#lx]%s",
		 pfn_lo, pfn_hi, iova->pfn_lo, iova->pfn_hi,
		 iova_is_cached(iova) ? " (cached by the fast path)" : ""))
		goto out_unlock;

	if (iova->pfn_lo < pfn_lo) {
		prev = iosim_iova_mem_alloc(iovad);
		if (!prev)
			goto out_unlock;
	}
	if (iova->pfn_hi > pfn_hi) {
		next = iosim_iova_mem_alloc(iovad);
		if (!next)
			goto out_free_prev;
	}

	iova_recent_forget(iovad, iova);
	iosim_iova_tree_remove(iovad, iova);	/* out of any CPU's record above */
	iosim_iova_registry_set_owner(iova, NULL);
	iovad->iosim_nr_ranges--;
	if (prev) {
		prev->pfn_lo = iova->pfn_lo;
		prev->pfn_hi = pfn_lo - 1;
		iova->pfn_lo = pfn_lo;
		iosim_iova_tree_insert(iovad, prev);
		iovad->iosim_nr_ranges++;
	}
	if (next) {
		next->pfn_lo = pfn_hi + 1;
		next->pfn_hi = iova->pfn_hi;
		iova->pfn_hi = pfn_hi;
		iosim_iova_tree_insert(iovad, next);
		iovad->iosim_nr_ranges++;
	}
	/* A domain left without ranges keeps no spares (iova_spares.c). */
	if (!iovad->iosim_nr_ranges)
		doomed = iosim_iova_spares_detach(iovad);
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	iosim_iova_mem_release(doomed);
	return iova;

out_free_prev:
	iosim_iova_mem_free(iovad, prev);
out_unlock:
	spin_unlock_irqrestore(&iovad->iova_rbtree_lock, flags);
	return NULL;
}
