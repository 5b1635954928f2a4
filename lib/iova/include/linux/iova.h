/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/iova.h - the IOVA allocator, customised for simulation.
 *
 * The names, types and signatures are the kernel's of mid 2015 (v4.3), plus
 * the fast path under the names the kernel gave it later (v4.7:
 * alloc_iova_fast, free_iova_fast, free_cpu_cached_iovas), so kernel code of
 * the seed's era compiles against it unchanged.  The implementation differs:
 *
 *  - the tree is libbsd's red-black tree (<bsd/sys/tree.h>), augmented with
 *    the largest free gap of every subtree, so alloc_iova() finds the highest
 *    fitting range in O(log n) instead of walking the tree linearly;
 *  - dma_32bit_pfn is the top of the domain: allocations never go above it
 *    (the seed's iommu_dma_init_domain() grows a domain by raising it);
 *  - misuse (freeing NULL, twice, into the wrong domain, a pfn that is not
 *    allocated) is WARNed and ignored instead of corrupting the tree.
 *
 * docs/iova.md explains the design; <iosim/iova.h> holds the simulation-side
 * extras (the sanity checker, statistics, per-thread "CPU" selection).
 */
#ifndef _IOSIM_LINUX_IOVA_H
#define _IOSIM_LINUX_IOVA_H

#include <pthread.h>
#include <bsd/sys/tree.h>

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>

/**
 * struct iova - a range of allocated (or reserved) IOVA page frames
 * @node: link in the domain's tree, ordered by @pfn_lo
 * @pfn_hi: last page frame of the range (inclusive)
 * @pfn_lo: first page frame of the range
 *
 * The iosim_ members belong to the allocator: the subtree summaries that make
 * the search logarithmic, and the bookkeeping that detects misuse.
 */
struct iova {
	RB_ENTRY(iova)	node;
	unsigned long	pfn_hi;
	unsigned long	pfn_lo;

	/* Subtree summaries (lib/iova/iova_tree.c): pure functions of the subtree. */
	unsigned long	iosim_sub_lo_pfn;	/* lowest pfn_lo in the subtree */
	unsigned long	iosim_sub_hi_pfn;	/* highest pfn_hi in the subtree */
	unsigned long	iosim_max_gap;		/* largest gap between its ranges */
	unsigned long	iosim_max_fit;		/* largest aligned block one fits */

	/* Bookkeeping (lib/iova/iova_registry.c): which domain holds this iova. */
	struct iova_domain *iosim_owner;	/* NULL while not in a tree */
	struct iosim_iova_reg_link {		/* link in the live-iova registry: */
		void		*hh[6];		/* a uthash UT_hash_handle, kept */
		unsigned int	hh_keylen, hh_hashv; /* opaque so this header */
		struct iova	*self;		/* needs no uthash; then its key */
	} iosim_reg;
	bool		iosim_cached;		/* in a fast-path cache (checked mode) */
	/* Freed: a spare of its domain (lib/iova/iova_spares.c) or on its way out. */
	bool		iosim_freed;
	/* Met by the checker's current pass over the caches (lib/iova/iova_check.c). */
	bool		iosim_check_seen;
	struct iova	*iosim_spare_next;	/* the next spare, while one */
	/* The CPU table holding it while handed out (lib/iova/iova_handed.c). */
	struct iova_cpu_rcache *iosim_handed_in;
	/*
	 * Set by our DMA glue (lib/dma-iommu) on a range it maps a caller's
	 * buffer into: one past the buffer's last byte as the device addresses
	 * it, inside the range's last granule; 0 otherwise (the allocator
	 * clears it whenever the range is allocated or freed).  The arch layer
	 * keeps cache maintenance through a handle inside it.
	 */
	dma_addr_t	iosim_dma_end;
};

/*
 * The allocator's own lock for the fast path's per-CPU caches and the
 * registry's shards: a test-and-set lock, taken for a few instructions,
 * that spins briefly and then yields (lib/iova/iova_internal.h).  Zero is
 * unlocked.
 */
struct iosim_iova_lock {
	int locked;
};

RB_HEAD(iosim_iova_rbtree, iova);

/* The fast path's caches: magazines of pfns per power-of-two size class. */
#define IOVA_RANGE_CACHE_MAX_SIZE	6	/* log2 of the largest cached size, +1 */
#define IOVA_MAG_SIZE			128	/* pfns per magazine */
#define MAX_GLOBAL_MAGS			32	/* magazines per depot */

/*
 * The simulation has no per-CPU variables: a thread is a CPU.  Each thread is
 * given one of IOSIM_IOVA_NR_CPUS slots on first use (round robin) and keeps
 * it; iosim_iova_set_cpu() overrides that (see <iosim/iova.h>).
 */
#define IOSIM_IOVA_NR_CPUS		16

/* Ranges alloc_iova() returned lately that a domain remembers (iova_internal.h). */
#define IOSIM_IOVA_RECENT_SLOTS		8

/* Ranges each CPU remembers handing out, per class, in checked mode. */
#define IOSIM_IOVA_HANDED_SLOTS		8

struct iova_magazine;

/*
 * The loaded and previous magazines of one "CPU", for one size class.  Every
 * field but the padding is written by its CPU (112 bytes).  Padded to 256
 * bytes, so that at least 144 bytes, more than a 64-byte cache line, lie
 * between one CPU's fields and the next one's, whatever the domain's
 * alignment (kzalloc() here guarantees 16 bytes, not 64, so an aligned
 * attribute would be a lie).  At 128 bytes there were 16: two threads
 * passed a line between their cores on every operation and the checked
 * fast path ran at half its one-thread throughput with two.
 */
struct iova_cpu_rcache {
	struct iosim_iova_lock	lock;	/* held for a few instructions; see iova_rcache.c */
	struct iova_magazine	*loaded;
	struct iova_magazine	*prev;
	unsigned long		iosim_hits;	/* allocations served, under @lock */
	unsigned long		iosim_misses;	/* allocations that went to the tree */
	/* Checked mode: ranges this CPU handed out, under @lock (iova_handed.c). */
	struct iova		*iosim_handed[IOSIM_IOVA_HANDED_SLOTS];
	unsigned long		iosim_handed_hits;	/* frees vetted from there */
	unsigned long		iosim_pad[18];
};

/* One size class: the per-CPU magazines and the shared depot of full ones. */
struct iova_rcache {
	spinlock_t		lock;	/* protects the depot */
	unsigned long		iosim_cpus_used; /* bit n: cpu_rcaches[n] was ever used */
	unsigned long		depot_size;
	struct iova_magazine	*depot[MAX_GLOBAL_MAGS];
	struct iova_cpu_rcache	cpu_rcaches[IOSIM_IOVA_NR_CPUS];
};

/**
 * struct iova_domain - an IOVA space
 * @iova_rbtree_lock: protects the tree and the iosim_ counters
 * @rbroot: the allocated and reserved ranges, by pfn_lo
 * @granule: bytes per IOVA page frame (a power of two)
 * @start_pfn: lowest page frame handed out
 * @dma_32bit_pfn: highest page frame handed out (the seed writes it to grow
 *	the domain; read on every allocation, never cached)
 * @rcaches: the fast path's caches, one per size class
 */
struct iova_domain {
	spinlock_t		iova_rbtree_lock;
	/*
	 * Waiters spin reading the lock word: keep it off the lines the holder
	 * writes (the tree root, the counters below), whatever the domain's
	 * alignment (kzalloc() guarantees 16 bytes, so no aligned attribute).
	 */
	char			iosim_lock_pad[128 - sizeof(spinlock_t)];
	struct iosim_iova_rbtree rbroot;
	unsigned long		granule;
	unsigned long		start_pfn;
	unsigned long		dma_32bit_pfn;

	/* Simulation state, under @iova_rbtree_lock unless said otherwise. */
	unsigned int		iosim_state;		/* IOSIM_IOVAD_*, iova_internal.h */
	bool			iosim_fast_checks;	/* validate free_iova_fast() */
	bool			iosim_rcache_used;	/* a range was ever cached (atomic) */
	unsigned long		iosim_nr_ranges;
	unsigned long		iosim_nr_allocs;
	unsigned long		iosim_nr_alloc_fails;
	unsigned long		iosim_nr_frees;
	unsigned long		iosim_nr_rcache_flushes;
	unsigned long		iosim_tree_gen;		/* bumped by every tree change */
	unsigned long		iosim_range_pfns;	/* pfns the tree's ranges cover */
	struct iova		*iosim_top;		/* the highest range, where searches start */
	/* Ranges alloc_iova() returned lately, every one live here (or NULL). */
	struct iova		*iosim_recent[IOSIM_IOVA_RECENT_SLOTS];
	/*
	 * The range alloc_iova() returned last, placed but not yet linked
	 * (lib/iova/iova_parked.c), and the tree range next to its gap.
	 */
	struct iova		*iosim_parked;
	struct iova		*iosim_parked_near;
	/* Free space of [start_pfn, dma_32bit_pfn], cached (lib/iova/iova_check.c): */
	unsigned long		iosim_space_gen;	/* iosim_tree_gen + 1 when valid */
	unsigned long		iosim_space_start_pfn;	/* for this window (the fields */
	unsigned long		iosim_space_top_pfn;	/* are public: code may move it) */
	unsigned long		iosim_space_free_pfns;
	unsigned long		iosim_space_largest_pfns;
	/* Freed struct iova kept for the next ranges (lib/iova/iova_spares.c): */
	struct iova		*iosim_spares;
	unsigned long		iosim_nr_spares;

	struct iova_rcache	rcaches[IOVA_RANGE_CACHE_MAX_SIZE];
};

/*
 * iova_size - page frames in @iova.  NULL (the seed's unmap of an address it
 * never mapped passes find_iova()'s NULL here) WARNs and yields 0.
 */
static inline unsigned long iova_size(struct iova *iova)
{
	if (WARN(!iova, "iova_size: NULL iova"))
		return 0;
	return iova->pfn_hi - iova->pfn_lo + 1;
}

/* The unit conversions, as the kernel's: granule shift, mask, offsets, alignment. */
static inline unsigned long iova_shift(struct iova_domain *iovad)
{
	return __ffs(iovad->granule);
}

static inline unsigned long iova_mask(struct iova_domain *iovad)
{
	return iovad->granule - 1;
}

static inline size_t iova_offset(struct iova_domain *iovad, dma_addr_t iova)
{
	return iova & iova_mask(iovad);
}

static inline size_t iova_align(struct iova_domain *iovad, size_t size)
{
	return ALIGN(size, iovad->granule);
}

/* iova_dma_addr - the bus address of @iova's first byte; NULL WARNs, yields 0. */
static inline dma_addr_t iova_dma_addr(struct iova_domain *iovad, struct iova *iova)
{
	if (WARN(!iova, "iova_dma_addr: NULL iova"))
		return 0;
	return (dma_addr_t)iova->pfn_lo << iova_shift(iovad);
}

/* iova_pfn - the page frame of bus address @iova. */
static inline unsigned long iova_pfn(struct iova_domain *iovad, dma_addr_t iova)
{
	return iova >> iova_shift(iovad);
}

int iova_cache_get(void);
void iova_cache_put(void);

struct iova *alloc_iova_mem(void);
void free_iova_mem(struct iova *iova);
void free_iova(struct iova_domain *iovad, unsigned long pfn);
void __free_iova(struct iova_domain *iovad, struct iova *iova);
struct iova *alloc_iova(struct iova_domain *iovad, unsigned long size,
			unsigned long limit_pfn, bool size_aligned);
struct iova *reserve_iova(struct iova_domain *iovad, unsigned long pfn_lo,
			  unsigned long pfn_hi);
void copy_reserved_iova(struct iova_domain *from, struct iova_domain *to);
void init_iova_domain(struct iova_domain *iovad, unsigned long granule,
		      unsigned long start_pfn, unsigned long pfn_32bit);
struct iova *find_iova(struct iova_domain *iovad, unsigned long pfn);
void put_iova_domain(struct iova_domain *iovad);
struct iova *split_and_remove_iova(struct iova_domain *iovad, struct iova *iova,
				   unsigned long pfn_lo, unsigned long pfn_hi);

/* The fast path (kernel v4.7 names). */
unsigned long alloc_iova_fast(struct iova_domain *iovad, unsigned long size,
			      unsigned long limit_pfn);
void free_iova_fast(struct iova_domain *iovad, unsigned long pfn, unsigned long size);
void free_cpu_cached_iovas(unsigned int cpu, struct iova_domain *iovad);

#endif /* _IOSIM_LINUX_IOVA_H */
