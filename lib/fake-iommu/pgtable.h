/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * lib/fake-iommu private: the simulated IOMMU's page-table format.
 *
 * Not kernel API.  An ARM LPAE (VMSAv8-64 long-descriptor) style table kept
 * in simulated physical pages: every descriptor lives in simulated RAM and
 * every walk (the CPU-side map/unmap code and the bus master's "hardware"
 * walk alike) reads it from there; nothing shadows the tables.  See
 * docs/fake-iommu.md for the format, the levels and what is modelled.
 *
 * Levels use the ARM numbering: the leaf level is 3; the top level is
 * 4 - nr_levels, which is -1 for the five-level small-page format.
 */
#ifndef _IOSIM_FAKE_IOMMU_PGTABLE_H
#define _IOSIM_FAKE_IOMMU_PGTABLE_H

#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/string.h>

#include <iosim/iommu.h>

struct page;

#define IOSIM_PGT_MAX_LEVELS	5	/* small-page mode at 48 bits needs five */
#define IOSIM_PGT_LEAF_LEVEL	3
#define IOSIM_PGT_MIN_LEVEL	(IOSIM_PGT_LEAF_LEVEL + 1 - IOSIM_PGT_MAX_LEVELS)
/* Index of a level in per-level arrays. */
#define IOSIM_PGT_LVL_IDX(lvl)	((lvl) - IOSIM_PGT_MIN_LEVEL)

#define IOSIM_PGT_MIN_IAS	32
#define IOSIM_PGT_MAX_IAS	48
#define IOSIM_PGT_MIN_OAS	32
#define IOSIM_PGT_MAX_OAS	48

/* The small-page mode's granule: smaller than any CPU PAGE_SIZE we build. */
#define IOSIM_PGT_SMALL_GRANULE	2048UL

/*
 * Descriptor bits: the VMSAv8-64 stage-2 layout, whose S2AP field grants read
 * and write independently (stage 1's AP cannot say "write-only", which the DMA
 * API asks for with DMA_FROM_DEVICE).
 */
#define IOSIM_PTE_TYPE_MASK	0x3ULL
#define IOSIM_PTE_TYPE_BLOCK	0x1ULL	/* levels that allow blocks */
#define IOSIM_PTE_TYPE_TABLE	0x3ULL	/* non-leaf levels */
#define IOSIM_PTE_TYPE_PAGE	0x3ULL	/* the leaf level */

#define IOSIM_PTE_MEMATTR_SHIFT	2
#define IOSIM_PTE_MEMATTR_MASK	(0xfULL << IOSIM_PTE_MEMATTR_SHIFT)
#define IOSIM_PTE_MEMATTR_OIWB	(0xfULL << IOSIM_PTE_MEMATTR_SHIFT) /* IOMMU_CACHE */
#define IOSIM_PTE_MEMATTR_NC	(0x5ULL << IOSIM_PTE_MEMATTR_SHIFT) /* default */
#define IOSIM_PTE_MEMATTR_DEV	(0x1ULL << IOSIM_PTE_MEMATTR_SHIFT) /* IOMMU_MMIO */
#define IOSIM_PTE_S2AP_READ	BIT_ULL(6)
#define IOSIM_PTE_S2AP_WRITE	BIT_ULL(7)
#define IOSIM_PTE_SH_MASK	(0x3ULL << 8)
#define IOSIM_PTE_SH_IS		(0x3ULL << 8)
#define IOSIM_PTE_AF		BIT_ULL(10)
#define IOSIM_PTE_CONT		BIT_ULL(52)	/* never set by us */
#define IOSIM_PTE_XN		BIT_ULL(54)
/* The output-address field before the granule's low bits are cleared. */
#define IOSIM_PTE_ADDR_BITS	GENMASK_ULL(47, 0)

/* Every attribute bit a leaf we write may carry (anything else is corrupt). */
#define IOSIM_PTE_LEAF_ATTRS	(IOSIM_PTE_MEMATTR_MASK | IOSIM_PTE_S2AP_READ |	\
				 IOSIM_PTE_S2AP_WRITE | IOSIM_PTE_SH_MASK |	\
				 IOSIM_PTE_AF | IOSIM_PTE_XN)

/**
 * struct iosim_pgtable_cfg - the shape of one format instance
 * @granule_shift: log2 of the translation granule (11 for small pages)
 * @bits_per_level: index bits of a full table (granule_shift - 3)
 * @ias: input (IOVA) address bits
 * @oas: output (physical) address bits
 * @start_level: ARM level of the top table
 * @pgd_bits: index bits of the top table (it may be smaller than a granule)
 * @table_order: alloc_pages() order of one table (tables smaller than
 *	PAGE_SIZE take a whole page, as alloc_pages_exact() did in 2015)
 * @block_levels: bit (lvl - IOSIM_PGT_MIN_LEVEL) set for each level whose
 *	descriptors may be blocks (the architecture's rule for the granule)
 * @pgsize_bitmap: the sizes map installs (granule | allowed block sizes,
 *	restricted by the configured mask)
 * @lvl_shift: per level (IOSIM_PGT_LVL_IDX), log2 of the bytes one entry
 *	translates (derived: the walks use it for every entry)
 * @lvl_index_mask: per level, the index mask of its tables (derived)
 */
struct iosim_pgtable_cfg {
	unsigned int granule_shift;
	unsigned int bits_per_level;
	unsigned int ias;
	unsigned int oas;
	int start_level;
	unsigned int pgd_bits;
	unsigned int table_order;
	unsigned long block_levels;
	unsigned long pgsize_bitmap;
	unsigned int lvl_shift[IOSIM_PGT_MAX_LEVELS];
	unsigned long lvl_index_mask[IOSIM_PGT_MAX_LEVELS];
};

/**
 * struct iosim_pgtable_budget - table allocations shared by the domains of
 * one IOMMU instance (a simulated "out of table memory" knob)
 * @limit: most tables alive at once; 0 for no limit
 * @used: tables alive now
 * @refused: allocations refused because of @limit
 */
struct iosim_pgtable_budget {
	unsigned long limit;
	atomic64_t used;
	atomic64_t refused;
};

/*
 * Emptied tables a page table keeps for its next table allocations, at most
 * (enough for a lone granule page's whole path below the top table, twice).
 */
#define IOSIM_PGT_MAX_SPARES	IOSIM_IOMMU_MAX_SPARE_TABLES

/**
 * struct iosim_pgt_table_ref - one table as the CPU-side code uses it
 * @phys: physical address of the table (what descriptors hold)
 * @virt: its linear-map address
 * @page: its first struct page (page->private holds its entry count)
 *
 * @virt and @page are what phys_to_virt() and phys_to_page() return for
 * @phys; they are computed once (at allocation, or on a miss of the
 * per-level cache) so that a walk does not convert every descriptor.
 */
struct iosim_pgt_table_ref {
	phys_addr_t phys;
	u64 *virt;
	struct page *page;
};

/**
 * struct iosim_pgtable - one address space (a domain's context)
 * @cfg: format (shared, read-only)
 * @budget: table budget, or NULL
 * @pgd: the top table's first page, NULL until the first map/attach
 * @pgd_phys: its physical address (what a TTBR would hold)
 * @pgd_virt: its linear-map address (NULL with @pgd)
 * @nr_tables: tables alive and linked, the top table included
 * @nr_leaves: live leaf descriptors per level (IOSIM_PGT_LVL_IDX)
 * @nr_splits: blocks split by partial unmaps, ever
 * @nr_table_allocs_failed: table allocations that failed, ever
 * @spares: emptied tables kept for reuse (all-zero, entry count 0, linked
 *	nowhere); @spares[0..@nr_spares) are valid, the rest all-zero
 * @nr_spares: how many
 * @spare_cap: most spares a released table may join now (normally
 *	IOSIM_PGT_MAX_SPARES; a failing map or unmap lowers it to the number it
 *	started with, so its unwinding frees exactly what it allocated)
 * @tcache: per level (IOSIM_PGT_LVL_IDX), the last table the CPU-side code
 *	reached there (@virt NULL: empty); a table leaves it when released
 *
 * Each table's first struct page keeps the number of valid descriptors in
 * the table in page->private (the owner's field of an allocated page), so
 * that unmap releases a table the moment it empties without scanning it.
 * Invariant between operations: every linked table but the top one is
 * non-empty.  Released tables go to @spares while there is room, else back
 * to the page allocator; spares are allocated pages like any table (they
 * count as IOSIM_OBJ_PAGE), are not linked, hold no budget, and are freed
 * by iosim_pgtable_free().
 */
struct iosim_pgtable {
	const struct iosim_pgtable_cfg *cfg;
	struct iosim_pgtable_budget *budget;
	struct page *pgd;
	phys_addr_t pgd_phys;
	u64 *pgd_virt;
	unsigned long nr_tables;
	unsigned long nr_leaves[IOSIM_PGT_MAX_LEVELS];
	unsigned long nr_splits;
	unsigned long nr_table_allocs_failed;
	struct iosim_pgt_table_ref spares[IOSIM_PGT_MAX_SPARES];
	unsigned int nr_spares;
	unsigned int spare_cap;
	struct iosim_pgt_table_ref tcache[IOSIM_PGT_MAX_LEVELS];
};

/**
 * struct iosim_pgtable_leaf - a decoded leaf descriptor
 * @iova: first input address it translates (aligned to @size)
 * @size: bytes it translates
 * @phys: output address of the leaf's first byte (of @iova, not of the
 *	address looked up)
 * @prot: IOMMU_READ/WRITE/NOEXEC/CACHE/MMIO decoded from the attributes
 * @level: ARM level of the descriptor
 * @desc: the raw descriptor
 */
struct iosim_pgtable_leaf {
	unsigned long iova;
	unsigned long size;
	phys_addr_t phys;
	int prot;
	int level;
	u64 desc;
};

/* Unit conversions of the format (valid for start_level <= @lvl <= leaf level). */
static inline unsigned int iosim_pgt_lvl_shift(const struct iosim_pgtable_cfg *cfg, int lvl)
{
	return cfg->lvl_shift[IOSIM_PGT_LVL_IDX(lvl)];
}

static inline unsigned long iosim_pgt_lvl_size(const struct iosim_pgtable_cfg *cfg, int lvl)
{
	return 1UL << iosim_pgt_lvl_shift(cfg, lvl);
}

static inline unsigned int iosim_pgt_lvl_bits(const struct iosim_pgtable_cfg *cfg, int lvl)
{
	return lvl == cfg->start_level ? cfg->pgd_bits : cfg->bits_per_level;
}

static inline unsigned long iosim_pgt_lvl_index(const struct iosim_pgtable_cfg *cfg, int lvl,
						unsigned long iova)
{
	return (iova >> iosim_pgt_lvl_shift(cfg, lvl)) & cfg->lvl_index_mask[IOSIM_PGT_LVL_IDX(lvl)];
}

static inline bool iosim_pgt_lvl_has_blocks(const struct iosim_pgtable_cfg *cfg, int lvl)
{
	return cfg->block_levels & BIT(IOSIM_PGT_LVL_IDX(lvl));
}

static inline unsigned long iosim_pgt_granule(const struct iosim_pgtable_cfg *cfg)
{
	return 1UL << cfg->granule_shift;
}

/*
 * iosim_pgt_next_used - the index of the first non-zero descriptor of
 * @table at or after @i, or @nr_entries if there is none.  Most of a sparse
 * table is zero: the walks that read every used entry (the checker after
 * every fuzzed operation, the teardown) skip zero runs at memchr_inv()'s
 * speed; a dense run costs one load per descriptor, as before.
 */
static inline unsigned long iosim_pgt_next_used(const u64 *table, unsigned long i,
						unsigned long nr_entries)
{
	const unsigned char *next;

	if (i >= nr_entries || READ_ONCE(table[i]))
		return i;
	next = memchr_inv(&table[i], 0, (nr_entries - i) * sizeof(*table));
	return next ? (unsigned long)(next - (const unsigned char *)table) / sizeof(*table) :
		      nr_entries;
}

/* Bytes of input address space: 1 << ias. */
static inline u64 iosim_pgt_input_size(const struct iosim_pgtable_cfg *cfg)
{
	return 1ULL << cfg->ias;
}

/* The output-address field of a descriptor. */
static inline phys_addr_t iosim_pte_addr(const struct iosim_pgtable_cfg *cfg, u64 desc)
{
	return desc & IOSIM_PTE_ADDR_BITS & ~(u64)(iosim_pgt_granule(cfg) - 1);
}

static inline bool iosim_pte_valid(u64 desc)
{
	return desc & 1;
}

/* A valid descriptor at @lvl that points to a next-level table. */
static inline bool iosim_pte_is_table(const struct iosim_pgtable_cfg *cfg, u64 desc, int lvl)
{
	return lvl < IOSIM_PGT_LEAF_LEVEL &&
	       (desc & IOSIM_PTE_TYPE_MASK) == IOSIM_PTE_TYPE_TABLE;
}

/**
 * iosim_pgtable_cfg_init - compute a format from the IOMMU's configuration
 * @cfg: filled in
 * @granule: SZ_4K, SZ_16K, SZ_64K, or IOSIM_PGT_SMALL_GRANULE
 * @ias: input address bits (IOSIM_PGT_MIN_IAS..IOSIM_PGT_MAX_IAS)
 * @oas: output address bits (IOSIM_PGT_MIN_OAS..IOSIM_PGT_MAX_OAS)
 * @pgsize_mask: 0 for every size the granule allows, else the subset wanted
 *
 * Context: any.
 * Return: 0; -EINVAL for an unknown granule, an address size out of range, or
 * a mask that is not a subset of the allowed sizes or drops the granule
 * itself.  @cfg is undefined on error.
 */
int iosim_pgtable_cfg_init(struct iosim_pgtable_cfg *cfg, unsigned long granule,
			   unsigned int ias, unsigned int oas, unsigned long pgsize_mask);

/**
 * iosim_pgtable_supported_sizes - every page size a granule's format allows
 * (granule and block sizes), before any mask; 0 for an unknown granule.
 * @granule: as for iosim_pgtable_cfg_init()
 * @ias: input address bits (block sizes beyond the input space are dropped)
 *
 * Context: any.
 */
unsigned long iosim_pgtable_supported_sizes(unsigned long granule, unsigned int ias);

/**
 * iosim_pgtable_init - an empty address space (no tables yet)
 * @pgt: to initialise
 * @cfg: its format; must outlive @pgt
 * @budget: shared table budget or NULL
 *
 * Context: any; allocates nothing.
 */
void iosim_pgtable_init(struct iosim_pgtable *pgt, const struct iosim_pgtable_cfg *cfg,
			struct iosim_pgtable_budget *budget);

/**
 * iosim_pgtable_alloc_pgd - allocate the top table if there is none yet
 * @pgt: the address space
 *
 * Context: any (GFP_ATOMIC); caller serialises with other updates of @pgt.
 * Return: 0 (also when it already existed); -ENOMEM when the table
 * allocation failed (IOSIM_FAULT_PGTABLE, the budget, or the page
 * allocator), leaving @pgt unchanged.
 */
int iosim_pgtable_alloc_pgd(struct iosim_pgtable *pgt);

/**
 * iosim_pgtable_free - free every table and every spare (teardown)
 * @pgt: the address space; empty, without a top table and without spares
 *	afterwards
 *
 * Context: caller serialises with every other user of @pgt.
 */
void iosim_pgtable_free(struct iosim_pgtable *pgt);

/**
 * iosim_pgtable_map - map [@iova, @iova + @size) to @paddr
 * @pgt: the address space (the top table is allocated if missing)
 * @iova: input address, granule aligned
 * @paddr: output address, granule aligned
 * @size: bytes, a non-zero multiple of the granule
 * @prot: IOMMU_READ | IOMMU_WRITE | IOMMU_NOEXEC | IOMMU_CACHE | IOMMU_MMIO
 *
 * Installs the largest pages of @cfg->pgsize_bitmap that size and alignment
 * of both addresses allow (blocks where possible).  A @prot without
 * IOMMU_READ or IOMMU_WRITE still installs valid descriptors: they grant no
 * access, so every device access through them is a permission fault.
 *
 * Context: any (GFP_ATOMIC); caller serialises with other updates of @pgt.
 * Return: 0; -EINVAL (WARN) for a zero or unaligned @iova/@paddr/@size;
 * -ERANGE (WARN) if the range passes the input or output address size;
 * -EEXIST if any part of the range is already mapped; -ENOMEM if a table
 * could not be allocated.  On any error the tables are exactly as before
 * (a map that fails halfway removes what it installed and releases the
 * tables it took, the top table included if this call allocated it: as many
 * go back to the spares as it took from them, the others are freed, so the
 * spares and the pages allocated are as before too).
 */
int iosim_pgtable_map(struct iosim_pgtable *pgt, unsigned long iova, phys_addr_t paddr,
		      size_t size, int prot);

/**
 * iosim_pgtable_unmap - unmap from @iova up to the first hole or @size bytes
 * @pgt: the address space
 * @iova: input address, granule aligned
 * @size: bytes, a non-zero multiple of the granule
 *
 * Unmaps the mapped run that starts at @iova, stopping at the first
 * unmapped granule or after @size bytes, as the kernel's io-pgtable stopped
 * at a hole.  A block that straddles either end of the run is split into a
 * next-level table first, so the translations outside the run survive.
 * Tables emptied by the unmap are unlinked at once and kept as spares
 * (up to IOSIM_PGT_MAX_SPARES) or freed.
 *
 * Context: any (GFP_ATOMIC for splits); caller serialises with other
 * updates of @pgt and invalidates the IOTLB for the returned range.
 * Return: bytes unmapped: 0 if @iova is not mapped, on invalid arguments
 * (WARN), or if a split could not allocate its table (then the tables, the
 * spares and the pages allocated are exactly as before).
 */
size_t iosim_pgtable_unmap(struct iosim_pgtable *pgt, unsigned long iova, size_t size);

/**
 * iosim_pgtable_lookup - walk the tables in simulated memory for @iova
 * @pgt: the address space
 * @iova: input address
 * @leaf: filled in when a leaf translates @iova
 *
 * Reads the descriptors from simulated RAM as the hardware walker would,
 * starting from @pgt->pgd_phys.
 *
 * Context: caller serialises with updates of @pgt.
 * Return: 0 with @leaf filled in; -ENOENT if @iova is not mapped (no top
 * table, or an invalid descriptor on the way); -ERANGE if @iova is beyond
 * the input address size; -EILSEQ if a descriptor is malformed (a block
 * where the level allows none, a table address outside RAM).
 */
int iosim_pgtable_lookup(const struct iosim_pgtable *pgt, unsigned long iova,
			 struct iosim_pgtable_leaf *leaf);

/**
 * struct iosim_pgtable_walk - where the last walk of a run of lookups went
 * @table: the deepest table below the top that walk stepped into (NULL:
 *	none yet; the run starts from the top table)
 * @table_phys: its address
 * @lvl: its level
 * @base: the first input address it translates
 * @span: the bytes of input address space it translates
 *
 * Hardware keeps such a walk cache: consecutive leaves of one access share
 * every table above the last.  Valid only while the tables do not change:
 * the caller holds what serialises it with updates of the address space for
 * the whole run, and starts a new run (iosim_pgtable_walk_init()) whenever
 * it lets go.
 */
struct iosim_pgtable_walk {
	const u64 *table;
	phys_addr_t table_phys;
	int lvl;
	unsigned long base;
	unsigned long span;
};

static inline void iosim_pgtable_walk_init(struct iosim_pgtable_walk *walk)
{
	walk->table = NULL;
}

/**
 * iosim_pgtable_lookup_walk - iosim_pgtable_lookup() continuing a run
 * @pgt: the address space
 * @iova: input address
 * @leaf: filled in when a leaf translates @iova
 * @walk: the run's walk cache (iosim_pgtable_walk_init() before the first)
 *
 * The same answers as iosim_pgtable_lookup(): when @iova lies under the table
 * @walk remembers, the walk starts there instead of at the top; the tables
 * above it were read, and their addresses checked, by an earlier lookup of
 * the run.
 *
 * Context: caller serialises with updates of @pgt for the whole run.
 * Return: as iosim_pgtable_lookup().
 */
int iosim_pgtable_lookup_walk(const struct iosim_pgtable *pgt, unsigned long iova,
			      struct iosim_pgtable_leaf *leaf, struct iosim_pgtable_walk *walk);

/**
 * iosim_pgtable_iova_to_phys - the output address of @iova, or 0 if unmapped
 * (the kernel's iova_to_phys contract).
 * @pgt: the address space
 * @iova: input address
 *
 * Context: caller serialises with updates of @pgt.
 */
phys_addr_t iosim_pgtable_iova_to_phys(const struct iosim_pgtable *pgt, unsigned long iova);

/**
 * iosim_pgtable_mapped_bytes - bytes mapped now, from the counters.
 * @pgt: the address space
 */
u64 iosim_pgtable_mapped_bytes(const struct iosim_pgtable *pgt);

/**
 * iosim_pgtable_table_bytes - bytes of simulated RAM the linked tables occupy.
 * @pgt: the address space
 */
u64 iosim_pgtable_table_bytes(const struct iosim_pgtable *pgt);

/**
 * iosim_pgtable_spare_bytes - bytes of simulated RAM the spare tables occupy.
 * @pgt: the address space
 */
u64 iosim_pgtable_spare_bytes(const struct iosim_pgtable *pgt);

/**
 * iosim_pgtable_drop_spares - free every spare table
 * @pgt: the address space
 *
 * Context: caller serialises with every other user of @pgt.
 * Return: the number of tables freed.
 */
unsigned int iosim_pgtable_drop_spares(struct iosim_pgtable *pgt);

/* iosim_pgtable_output_ok_t - does the checker accept [phys, phys + len) as an output? */
typedef bool (*iosim_pgtable_output_ok_t)(phys_addr_t phys, u64 len, void *data);

/**
 * iosim_pgtable_check - the page table's sanity checker
 * @pgt: the address space
 * @output_ok: accepts a leaf's output range; NULL accepts simulated RAM only
 * @data: passed to @output_ok
 *
 * Walks every table: descriptors well formed (type legal at their level,
 * no unknown attribute bits, invalid descriptors all-zero), output addresses
 * aligned to their level's size and accepted by @output_ok, table addresses
 * aligned, inside RAM and allocated, no table referenced twice, no empty
 * table below the top, each table's stored entry count right, and the
 * counters (tables, leaves per level) equal to what the walk found.  Each
 * spare must be an allocated, aligned table page in RAM, all-zero, with a
 * zero entry count, linked nowhere and listed once; the per-level table
 * cache and @pgt->pgd_virt must agree with phys_to_virt()/phys_to_page()
 * and name linked tables only.
 *
 * Context: caller serialises with updates of @pgt.  Allocates its scratch
 * with __GFP_NOFAIL, so fault injection never fails (or counts) it.
 * Return: 0 if consistent; -EUCLEAN after WARNing each problem found (at
 * most a few dozen).
 */
int iosim_pgtable_check(const struct iosim_pgtable *pgt, iosim_pgtable_output_ok_t output_ok,
			void *data);

/* pgtable.c internals shared with the checker. */
unsigned long iosim_pgtable_table_count(phys_addr_t table_phys);
u64 *iosim_pgtable_table_virt(phys_addr_t table_phys);

#endif /* _IOSIM_FAKE_IOMMU_PGTABLE_H */
