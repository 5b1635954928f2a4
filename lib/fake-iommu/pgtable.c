// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulated IOMMU's page-table format: an ARM LPAE style multi-level
 * table in simulated physical pages.
 *
 * Every descriptor is read and written through the linear map of simulated
 * RAM, and tables are found only by following descriptors, exactly as the
 * hardware walker finds them: the format has no shadow structure that could
 * disagree with memory.  (A table's linear-map address is converted once and
 * remembered per level, keyed by its physical address: a cache of the
 * conversion, not of the structure.)
 *
 * Map and unmap are two-phase so that every failure leaves the tables as
 * they were: map first checks the whole range is free, then installs; unmap
 * first splits the blocks straddling its ends (undoing the splits if one
 * cannot allocate), then clears, which never needs memory.  The common case,
 * pages of one size inside one existing table, takes a fast path of one walk
 * and one pass over the entries, which never allocates either.
 *
 * Emptied tables are kept as spares (struct iosim_pgtable) so that a lone
 * map after a lone unmap does not allocate and zero its tables again.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/iommu.h>

#include <iosim/fault.h>
#include <iosim/ram.h>

#include "pgtable.h"

/* Largest number of block splits one unmap can need: both ends, every level. */
#define PGT_MAX_SPLITS	(2 * (IOSIM_PGT_MAX_LEVELS - 1))

unsigned long iosim_pgtable_supported_sizes(unsigned long granule, unsigned int ias)
{
	unsigned long sizes;

	switch (granule) {
	case IOSIM_PGT_SMALL_GRANULE:
		sizes = IOSIM_PGT_SMALL_GRANULE | SZ_512K | SZ_128M;
		break;
	case SZ_4K:
		sizes = SZ_4K | SZ_2M | SZ_1G;
		break;
	case SZ_16K:
		sizes = SZ_16K | SZ_32M;
		break;
	case SZ_64K:
		sizes = SZ_64K | SZ_512M;
		break;
	default:
		return 0;
	}
	/* A block larger than the whole input space can never be used. */
	if (ias < BITS_PER_LONG)
		sizes &= (1UL << ias) | ((1UL << ias) - 1);
	return sizes;
}

int iosim_pgtable_cfg_init(struct iosim_pgtable_cfg *cfg, unsigned long granule,
			   unsigned int ias, unsigned int oas, unsigned long pgsize_mask)
{
	unsigned long sizes = iosim_pgtable_supported_sizes(granule, ias);
	unsigned int nr_levels;
	int lvl;

	if (!sizes || ias < IOSIM_PGT_MIN_IAS || ias > IOSIM_PGT_MAX_IAS ||
	    oas < IOSIM_PGT_MIN_OAS || oas > IOSIM_PGT_MAX_OAS)
		return -EINVAL;
	if (pgsize_mask && ((pgsize_mask & ~sizes) || !(pgsize_mask & granule)))
		return -EINVAL;

	memset(cfg, 0, sizeof(*cfg));
	cfg->granule_shift = (unsigned int)ilog2(granule);
	cfg->bits_per_level = cfg->granule_shift - 3;	/* 8-byte descriptors */
	cfg->ias = ias;
	cfg->oas = oas;
	/* As the architecture: enough levels to resolve ias - granule bits. */
	nr_levels = DIV_ROUND_UP(ias - cfg->granule_shift, cfg->bits_per_level);
	if (nr_levels > IOSIM_PGT_MAX_LEVELS)
		return -EINVAL;
	cfg->start_level = IOSIM_PGT_LEAF_LEVEL + 1 - (int)nr_levels;
	cfg->pgd_bits = ias - cfg->granule_shift - (nr_levels - 1) * cfg->bits_per_level;
	cfg->table_order = cfg->granule_shift > PAGE_SHIFT ?
			   cfg->granule_shift - PAGE_SHIFT : 0;
	if (cfg->table_order >= MAX_ORDER)
		return -EINVAL;

	for (lvl = cfg->start_level; lvl <= IOSIM_PGT_LEAF_LEVEL; lvl++) {
		unsigned int idx = IOSIM_PGT_LVL_IDX(lvl);

		cfg->lvl_shift[idx] = cfg->granule_shift +
				      (unsigned int)(IOSIM_PGT_LEAF_LEVEL - lvl) * cfg->bits_per_level;
		cfg->lvl_index_mask[idx] = (1UL << iosim_pgt_lvl_bits(cfg, lvl)) - 1;
	}

	/* Blocks live at the levels whose entry size the granule allows. */
	for (lvl = cfg->start_level; lvl < IOSIM_PGT_LEAF_LEVEL; lvl++)
		if (sizes & iosim_pgt_lvl_size(cfg, lvl))
			cfg->block_levels |= BIT(IOSIM_PGT_LVL_IDX(lvl));
	cfg->pgsize_bitmap = pgsize_mask ? pgsize_mask : sizes;
	return 0;
}

void iosim_pgtable_init(struct iosim_pgtable *pgt, const struct iosim_pgtable_cfg *cfg,
			struct iosim_pgtable_budget *budget)
{
	memset(pgt, 0, sizeof(*pgt));
	pgt->cfg = cfg;
	pgt->budget = budget;
	pgt->spare_cap = IOSIM_PGT_MAX_SPARES;
}

/* -- table pages ----------------------------------------------------------- */

u64 *iosim_pgtable_table_virt(phys_addr_t table_phys)
{
	return phys_to_virt(table_phys);
}

/* The number of valid descriptors in a table, kept in its first page. */
unsigned long iosim_pgtable_table_count(phys_addr_t table_phys)
{
	struct page *page = phys_to_page(table_phys);

	return page ? page->private : 0;
}

static inline void pgt_count_add(const struct iosim_pgt_table_ref *tbl, long delta)
{
	tbl->page->private += delta;
}

static inline unsigned long pgt_count(const struct iosim_pgt_table_ref *tbl)
{
	return tbl->page->private;
}

static inline struct iosim_pgt_table_ref *pgt_tcache(struct iosim_pgtable *pgt, int lvl)
{
	return &pgt->tcache[IOSIM_PGT_LVL_IDX(lvl)];
}

/*
 * pgt_table_ref - the level-@lvl table at @table_phys, converted once: the
 * per-level cache answers a walk that stays in the same tables (the common
 * case: consecutive pages share their path), the checked conversions of
 * <asm/memory.h> the rest.
 */
static inline void pgt_table_ref(struct iosim_pgtable *pgt, int lvl, phys_addr_t table_phys,
				 struct iosim_pgt_table_ref *tbl)
{
	struct iosim_pgt_table_ref *cached = pgt_tcache(pgt, lvl);

	if (likely(cached->virt && cached->phys == table_phys)) {
		*tbl = *cached;
		return;
	}
	tbl->phys = table_phys;
	tbl->page = phys_to_page(table_phys);
	tbl->virt = phys_to_virt(table_phys);
	*cached = *tbl;
}

/* The top table (which exists). */
static inline void pgt_pgd_ref(const struct iosim_pgtable *pgt, struct iosim_pgt_table_ref *tbl)
{
	tbl->phys = pgt->pgd_phys;
	tbl->virt = pgt->pgd_virt;
	tbl->page = pgt->pgd;
}

/* Forget @table_phys in the per-level cache (it is being released). */
static void pgt_tcache_forget(struct iosim_pgtable *pgt, phys_addr_t table_phys)
{
	unsigned int i;

	for (i = 0; i < IOSIM_PGT_MAX_LEVELS; i++)
		if (pgt->tcache[i].virt && pgt->tcache[i].phys == table_phys)
			memset(&pgt->tcache[i], 0, sizeof(pgt->tcache[i]));
}

static bool pgt_budget_take(struct iosim_pgtable_budget *budget)
{
	unsigned long limit = READ_ONCE(budget->limit);
	long used = atomic64_add_return(1, &budget->used);

	if (limit && (unsigned long)used > limit) {
		atomic64_add(-1, &budget->used);
		atomic64_inc(&budget->refused);
		return false;
	}
	return true;
}

static u64 pgt_table_bytes(const struct iosim_pgtable *pgt)
{
	return (u64)PAGE_SIZE << pgt->cfg->table_order;
}

/*
 * pgt_alloc_table - a zeroed level-@lvl table, or false when fault
 * injection, the budget or the page allocator says no.  A spare is taken
 * before the page allocator is asked, but only after fault injection and the
 * budget have had their say, so that both see every table allocation.  RAM
 * may start at physical 0, so success is reported through the return value.
 */
static bool pgt_alloc_table(struct iosim_pgtable *pgt, int lvl, struct iosim_pgt_table_ref *tbl)
{
	struct page *page;

	if (iosim_fault_should_fail(IOSIM_FAULT_PGTABLE))
		goto out_failed;
	if (pgt->budget && !pgt_budget_take(pgt->budget))
		goto out_failed;
	if (pgt->nr_spares) {
		/* All-zero with a zero count: pgt_release_table() saw to it. */
		*tbl = pgt->spares[--pgt->nr_spares];
		memset(&pgt->spares[pgt->nr_spares], 0, sizeof(pgt->spares[0]));
	} else {
		/*
		 * GFP_ATOMIC: map runs under the domain's spinlock, as in
		 * io-pgtable.  No allocation-failure splat: the caller
		 * reports -ENOMEM.
		 */
		page = alloc_pages(GFP_ATOMIC | __GFP_ZERO | __GFP_NOWARN, pgt->cfg->table_order);
		if (!page)
			goto out_put_budget;
		page->private = 0;
		tbl->phys = page_to_phys(page);
		tbl->virt = page_address(page);
		tbl->page = page;
	}
	pgt->nr_tables++;
	*pgt_tcache(pgt, lvl) = *tbl;
	return true;

out_put_budget:
	if (pgt->budget)
		atomic64_add(-1, &pgt->budget->used);
out_failed:
	pgt->nr_table_allocs_failed++;
	return false;
}

/* Give a table's pages back to the page allocator. */
static void pgt_free_table_pages(struct iosim_pgtable *pgt, struct page *page)
{
	/* The count is ours; leave the field as the allocator handed it out. */
	page->private = 0;
	__free_pages(page, pgt->cfg->table_order);
}

/*
 * pgt_release_table - unlink-side end of a table's life: keep it as a spare
 * while @pgt->spare_cap allows, else free it.  @zeroed says every entry is
 * already zero (an emptied table); otherwise it is cleared first.
 */
static void pgt_release_table(struct iosim_pgtable *pgt, const struct iosim_pgt_table_ref *tbl,
			      bool zeroed)
{
	pgt_tcache_forget(pgt, tbl->phys);
	pgt->nr_tables--;
	if (pgt->budget)
		atomic64_add(-1, &pgt->budget->used);
	if (pgt->nr_spares < pgt->spare_cap) {
		if (!zeroed)
			memset(tbl->virt, 0, pgt_table_bytes(pgt));
		tbl->page->private = 0;
		pgt->spares[pgt->nr_spares++] = *tbl;
		return;
	}
	pgt_free_table_pages(pgt, tbl->page);
}

unsigned int iosim_pgtable_drop_spares(struct iosim_pgtable *pgt)
{
	unsigned int nr = pgt->nr_spares;

	while (pgt->nr_spares) {
		struct iosim_pgt_table_ref *spare = &pgt->spares[--pgt->nr_spares];

		pgt_free_table_pages(pgt, spare->page);
		memset(spare, 0, sizeof(*spare));
	}
	return nr;
}

int iosim_pgtable_alloc_pgd(struct iosim_pgtable *pgt)
{
	struct iosim_pgt_table_ref tbl;

	if (pgt->pgd)
		return 0;
	if (!pgt_alloc_table(pgt, pgt->cfg->start_level, &tbl))
		return -ENOMEM;
	pgt->pgd_phys = tbl.phys;
	pgt->pgd_virt = tbl.virt;
	pgt->pgd = tbl.page;
	return 0;
}

static void pgt_release_pgd(struct iosim_pgtable *pgt)
{
	struct iosim_pgt_table_ref tbl;

	pgt_pgd_ref(pgt, &tbl);
	pgt_release_table(pgt, &tbl, false);
	pgt->pgd = NULL;
	pgt->pgd_phys = 0;
	pgt->pgd_virt = NULL;
}

/* -- descriptors ------------------------------------------------------------ */

static u64 pgt_prot_to_attrs(int prot)
{
	u64 attrs = IOSIM_PTE_AF | IOSIM_PTE_SH_IS;

	if (prot & IOMMU_MMIO)
		attrs |= IOSIM_PTE_MEMATTR_DEV;
	else if (prot & IOMMU_CACHE)
		attrs |= IOSIM_PTE_MEMATTR_OIWB;
	else
		attrs |= IOSIM_PTE_MEMATTR_NC;
	if (prot & IOMMU_READ)
		attrs |= IOSIM_PTE_S2AP_READ;
	if (prot & IOMMU_WRITE)
		attrs |= IOSIM_PTE_S2AP_WRITE;
	if (prot & IOMMU_NOEXEC)
		attrs |= IOSIM_PTE_XN;
	return attrs;
}

static int pgt_attrs_to_prot(u64 desc)
{
	int prot = 0;

	if (desc & IOSIM_PTE_S2AP_READ)
		prot |= IOMMU_READ;
	if (desc & IOSIM_PTE_S2AP_WRITE)
		prot |= IOMMU_WRITE;
	if (desc & IOSIM_PTE_XN)
		prot |= IOMMU_NOEXEC;
	switch (desc & IOSIM_PTE_MEMATTR_MASK) {
	case IOSIM_PTE_MEMATTR_OIWB:
		prot |= IOMMU_CACHE;
		break;
	case IOSIM_PTE_MEMATTR_DEV:
		prot |= IOMMU_MMIO;
		break;
	}
	return prot;
}

static u64 pgt_leaf_type(int lvl)
{
	return lvl == IOSIM_PGT_LEAF_LEVEL ? IOSIM_PTE_TYPE_PAGE : IOSIM_PTE_TYPE_BLOCK;
}

static inline u64 *pgt_ptep(const struct iosim_pgtable *pgt, const struct iosim_pgt_table_ref *tbl,
			    int lvl, unsigned long iova)
{
	return tbl->virt + iosim_pgt_lvl_index(pgt->cfg, lvl, iova);
}

/* The end of the level-@lvl entry holding @addr, clipped to @end. */
static unsigned long pgt_entry_end(const struct iosim_pgtable *pgt, int lvl,
				   unsigned long addr, unsigned long end)
{
	unsigned long size = iosim_pgt_lvl_size(pgt->cfg, lvl);
	unsigned long next = (addr & ~(size - 1)) + size;

	return min(next, end);
}

/* [@start, @end) lies inside one level-@lvl entry. */
static inline bool pgt_in_one_entry(const struct iosim_pgtable_cfg *cfg, int lvl,
				    unsigned long start, unsigned long end)
{
	unsigned int shift = iosim_pgt_lvl_shift(cfg, lvl);

	return (start >> shift) == ((end - 1) >> shift);
}

/* -- scans ------------------------------------------------------------------- */

/*
 * The first address in [@start, @end) whose state is @mapped (translated by
 * a valid leaf, or not), or @end.  A table entry is looked into; a leaf or
 * an invalid entry answers for its whole span.
 */
static unsigned long pgt_scan_for(struct iosim_pgtable *pgt, const struct iosim_pgt_table_ref *tbl,
				  int lvl, unsigned long start, unsigned long end, bool mapped)
{
	unsigned long addr = start;

	while (addr < end) {
		unsigned long next = pgt_entry_end(pgt, lvl, addr, end);
		u64 desc = READ_ONCE(*pgt_ptep(pgt, tbl, lvl, addr));

		if (!iosim_pte_valid(desc)) {
			if (!mapped)
				return addr;
		} else if (iosim_pte_is_table(pgt->cfg, desc, lvl)) {
			struct iosim_pgt_table_ref child;
			unsigned long found;

			pgt_table_ref(pgt, lvl + 1, iosim_pte_addr(pgt->cfg, desc), &child);
			found = pgt_scan_for(pgt, &child, lvl + 1, addr, next, mapped);
			if (found != next)
				return found;
		} else if (mapped) {
			return addr;
		}
		addr = next;
	}
	return end;
}

/* -- clearing ---------------------------------------------------------------- */

/*
 * pgt_clear_range - clear every leaf in [@start, @end) below @tbl and
 * release the tables that end up empty.  Leaves must lie wholly inside the
 * range (the caller has split the ends); a straddling one is WARNed and kept.
 * Never allocates, so it cannot fail.
 */
static void pgt_clear_range(struct iosim_pgtable *pgt, const struct iosim_pgt_table_ref *tbl,
			    int lvl, unsigned long start, unsigned long end)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	unsigned long size = iosim_pgt_lvl_size(cfg, lvl);
	unsigned long addr = start;

	while (addr < end) {
		unsigned long next = pgt_entry_end(pgt, lvl, addr, end);
		u64 *ptep = pgt_ptep(pgt, tbl, lvl, addr);
		u64 desc = READ_ONCE(*ptep);

		if (!iosim_pte_valid(desc))
			goto next_entry;
		if (iosim_pte_is_table(cfg, desc, lvl)) {
			struct iosim_pgt_table_ref child;

			pgt_table_ref(pgt, lvl + 1, iosim_pte_addr(cfg, desc), &child);
			pgt_clear_range(pgt, &child, lvl + 1, addr, next);
			if (!pgt_count(&child)) {
				WRITE_ONCE(*ptep, 0);
				pgt_count_add(tbl, -1);
				pgt_release_table(pgt, &child, true);
			}
			goto next_entry;
		}
		if (WARN(!IS_ALIGNED(addr, size) || next - addr != size,
			 "iosim pgtable: clearing part of a level-%d leaf at %#lx", lvl, addr))
			goto next_entry;
		WRITE_ONCE(*ptep, 0);
		pgt_count_add(tbl, -1);
		pgt->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)]--;
next_entry:
		addr = next;
	}
}

static void pgt_free_tables(struct iosim_pgtable *pgt, phys_addr_t table_phys, int lvl)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	unsigned long nr_entries = 1UL << iosim_pgt_lvl_bits(cfg, lvl);
	u64 *table = iosim_pgtable_table_virt(table_phys);
	unsigned long i;

	/* At the end of a run the top table is usually empty: zero runs are skipped. */
	for (i = iosim_pgt_next_used(table, 0, nr_entries); i < nr_entries;
	     i = iosim_pgt_next_used(table, i + 1, nr_entries)) {
		u64 desc = READ_ONCE(table[i]);

		if (!iosim_pte_valid(desc))
			continue;
		if (iosim_pte_is_table(cfg, desc, lvl))
			pgt_free_tables(pgt, iosim_pte_addr(cfg, desc), lvl + 1);
		else
			pgt->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)]--;
	}
	pgt_free_table_pages(pgt, phys_to_page(table_phys));
	pgt->nr_tables--;
	if (pgt->budget)
		atomic64_add(-1, &pgt->budget->used);
}

void iosim_pgtable_free(struct iosim_pgtable *pgt)
{
	iosim_pgtable_drop_spares(pgt);
	memset(pgt->tcache, 0, sizeof(pgt->tcache));
	if (!pgt->pgd)
		return;
	pgt_free_tables(pgt, pgt->pgd_phys, pgt->cfg->start_level);
	pgt->pgd = NULL;
	pgt->pgd_phys = 0;
	pgt->pgd_virt = NULL;
	WARN(pgt->nr_tables, "iosim pgtable: %lu tables unaccounted for after teardown",
	     pgt->nr_tables);
}

/* -- map --------------------------------------------------------------------- */

/* The largest allowed page that fits in @len and suits both addresses' alignment. */
static unsigned long pgt_best_pgsize(const struct iosim_pgtable_cfg *cfg, unsigned long iova,
				     phys_addr_t paddr, unsigned long len)
{
	unsigned long sizes = cfg->pgsize_bitmap;
	unsigned long addr_merge = iova | (unsigned long)paddr;

	sizes &= GENMASK(__fls(len), 0);
	if (addr_merge)
		sizes &= GENMASK(__ffs(addr_merge), 0);
	return 1UL << __fls(sizes);
}

/*
 * pgt_map_fast - map [@iova, @end) when every page of it is a leaf of one
 * level in one existing table: follow the existing table descriptors down
 * while the range stays inside one entry, then fill consecutive entries.
 * Chooses the same pages as pgt_install_range() (the largest that size and
 * alignment allow; inside one entry of a level nothing larger fits).
 * Return: 0 (mapped); -EEXIST if an entry in the range is taken (nothing
 * changed); -EAGAIN when the range needs tables created, pages of several
 * sizes or an overlap check across tables: the general path's job (nothing
 * changed).
 */
static int pgt_map_fast(struct iosim_pgtable *pgt, unsigned long iova, unsigned long end,
			phys_addr_t paddr, u64 attrs)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	struct iosim_pgt_table_ref tbl;
	int lvl = cfg->start_level;
	unsigned long size, idx, nr, i;
	unsigned int shift;
	u64 *ptep;

	pgt_pgd_ref(pgt, &tbl);
	for (;; lvl++) {
		u64 desc;

		size = iosim_pgt_lvl_size(cfg, lvl);
		if (lvl == IOSIM_PGT_LEAF_LEVEL || !pgt_in_one_entry(cfg, lvl, iova, end))
			break;
		/* Exactly one entry that a block may fill: a leaf here. */
		if (end - iova == size && (cfg->pgsize_bitmap & size) &&
		    IS_ALIGNED(iova | paddr, size))
			break;
		desc = READ_ONCE(*pgt_ptep(pgt, &tbl, lvl, iova));
		if (!iosim_pte_is_table(cfg, desc, lvl) || !iosim_pte_valid(desc))
			return -EAGAIN;
		pgt_table_ref(pgt, lvl + 1, iosim_pte_addr(cfg, desc), &tbl);
	}
	if (!(cfg->pgsize_bitmap & size) || !IS_ALIGNED(iova | paddr | end, size))
		return -EAGAIN;

	shift = iosim_pgt_lvl_shift(cfg, lvl);
	nr = (end - iova) >> shift;
	idx = iosim_pgt_lvl_index(cfg, lvl, iova);
	ptep = tbl.virt + idx;
	/* An entry in use is a leaf or a (non-empty) table: either overlaps. */
	for (i = 0; i < nr; i++)
		if (iosim_pte_valid(READ_ONCE(ptep[i])))
			return -EEXIST;
	attrs |= pgt_leaf_type(lvl);
	for (i = 0; i < nr; i++)
		WRITE_ONCE(ptep[i], (paddr + (i << shift)) | attrs);
	pgt_count_add(&tbl, (long)nr);
	pgt->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)] += nr;
	return 0;
}

/*
 * pgt_install_range - install [@start, @end) below @tbl, one walk per
 * table: each entry gets a leaf when the best page size for it is the
 * entry's size, else its table (created if missing) is filled in turn.
 * On failure *@fail_end is set to the end of the entry that failed; the
 * tables created so far stay (possibly empty): the caller's
 * pgt_clear_range() over [range start, *@fail_end) releases them.
 */
static int pgt_install_range(struct iosim_pgtable *pgt, const struct iosim_pgt_table_ref *tbl,
			     int lvl, unsigned long start, unsigned long end, phys_addr_t paddr,
			     u64 attrs, unsigned long *fail_end)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	unsigned long size = iosim_pgt_lvl_size(cfg, lvl);
	unsigned long addr, next;
	int ret;

	for (addr = start; addr < end; addr = next) {
		phys_addr_t phys = paddr + (addr - start);
		u64 *ptep = pgt_ptep(pgt, tbl, lvl, addr);
		struct iosim_pgt_table_ref child;
		u64 desc;

		next = pgt_entry_end(pgt, lvl, addr, end);
		desc = READ_ONCE(*ptep);
		if (pgt_best_pgsize(cfg, addr, phys, next - addr) == size) {
			/* The range was checked free: anything here is corruption. */
			if (WARN(iosim_pte_valid(desc),
				 "iosim pgtable: unexpected level-%d descriptor at %#lx", lvl, addr)) {
				*fail_end = next;
				return -EEXIST;
			}
			WRITE_ONCE(*ptep, phys | attrs | pgt_leaf_type(lvl));
			pgt_count_add(tbl, 1);
			pgt->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)]++;
			continue;
		}
		if (WARN_ON(lvl == IOSIM_PGT_LEAF_LEVEL)) {
			*fail_end = next;
			return -EINVAL;
		}
		if (!iosim_pte_valid(desc)) {
			if (!pgt_alloc_table(pgt, lvl + 1, &child)) {
				*fail_end = next;
				return -ENOMEM;
			}
			WRITE_ONCE(*ptep, child.phys | IOSIM_PTE_TYPE_TABLE);
			pgt_count_add(tbl, 1);
		} else if (iosim_pte_is_table(cfg, desc, lvl)) {
			pgt_table_ref(pgt, lvl + 1, iosim_pte_addr(cfg, desc), &child);
		} else {
			WARN(1, "iosim pgtable: unexpected level-%d leaf at %#lx", lvl, addr);
			*fail_end = next;
			return -EEXIST;
		}
		ret = pgt_install_range(pgt, &child, lvl + 1, addr, next, phys, attrs, fail_end);
		if (ret)
			return ret;
	}
	return 0;
}

int iosim_pgtable_map(struct iosim_pgtable *pgt, unsigned long iova, phys_addr_t paddr,
		      size_t size, int prot)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	unsigned long granule = iosim_pgt_granule(cfg);
	u64 input_size = iosim_pgt_input_size(cfg);
	u64 output_size = 1ULL << cfg->oas;
	unsigned int spares_before = pgt->nr_spares;
	struct iosim_pgt_table_ref pgd;
	unsigned long end, fail_end;
	bool new_pgd = !pgt->pgd;
	u64 attrs;
	int ret;

	if (WARN(!size || !IS_ALIGNED(iova | paddr | size, granule),
		 "iosim pgtable: map of %#zx bytes at iova %#lx to %#llx not aligned to the %#lx "
		 "granule", size, iova, (unsigned long long)paddr, granule))
		return -EINVAL;
	if (WARN(size > input_size || iova > input_size - size,
		 "iosim pgtable: map at iova %#lx + %#zx beyond the %u-bit input address size",
		 iova, size, cfg->ias))
		return -ERANGE;
	if (WARN(size > output_size || paddr > output_size - size,
		 "iosim pgtable: map to %#llx + %#zx beyond the %u-bit output address size",
		 (unsigned long long)paddr, size, cfg->oas))
		return -ERANGE;

	ret = iosim_pgtable_alloc_pgd(pgt);
	if (ret)
		return ret;
	end = iova + size;
	attrs = pgt_prot_to_attrs(prot);

	/* Pages into one existing table: no overlap scan, no table to create. */
	ret = pgt_map_fast(pgt, iova, end, paddr, attrs);
	if (ret != -EAGAIN) {
		if (ret)
			goto out_release_pgd;
		return 0;
	}

	/* Phase 1: refuse any overlap before touching anything. */
	pgt_pgd_ref(pgt, &pgd);
	if (pgt_scan_for(pgt, &pgd, cfg->start_level, iova, end, true) != end) {
		ret = -EEXIST;
		goto out_release_pgd;
	}

	/* Phase 2: install, largest pages first, one walk per table. */
	ret = pgt_install_range(pgt, &pgd, cfg->start_level, iova, end, paddr, attrs, &fail_end);
	if (ret) {
		/* Everything in [iova, fail_end) is ours: take it back. */
		pgt->spare_cap = spares_before;
		pgt_clear_range(pgt, &pgd, cfg->start_level, iova, fail_end);
		goto out_release_pgd;
	}
	return 0;

out_release_pgd:
	/* As many tables back to the spares as this call took from them. */
	pgt->spare_cap = spares_before;
	if (new_pgd)
		pgt_release_pgd(pgt);
	pgt->spare_cap = IOSIM_PGT_MAX_SPARES;
	return ret;
}

/* -- unmap ------------------------------------------------------------------- */

struct pgt_split {
	u64 *ptep;		/* the descriptor that held the block */
	u64 old_desc;		/* the block descriptor */
	struct iosim_pgt_table_ref table; /* the table that replaced it */
	int lvl;		/* the block's level */
};

/*
 * pgt_split_block - replace the level-@lvl block at @ptep by a next-level
 * table translating exactly the same addresses with the same attributes.
 */
static bool pgt_split_block(struct iosim_pgtable *pgt, u64 *ptep, int lvl,
			    struct pgt_split *split)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	int child_lvl = lvl + 1;
	unsigned long nr_entries = 1UL << cfg->bits_per_level;
	unsigned long child_size = iosim_pgt_lvl_size(cfg, child_lvl);
	u64 desc = READ_ONCE(*ptep);
	phys_addr_t out = iosim_pte_addr(cfg, desc);
	u64 attrs = desc & IOSIM_PTE_LEAF_ATTRS;
	struct iosim_pgt_table_ref table;
	unsigned long i;

	if (WARN_ON(child_lvl != IOSIM_PGT_LEAF_LEVEL && !iosim_pgt_lvl_has_blocks(cfg, child_lvl)))
		return false;
	if (!pgt_alloc_table(pgt, child_lvl, &table))
		return false;
	for (i = 0; i < nr_entries; i++)
		table.virt[i] = (out + i * child_size) | attrs | pgt_leaf_type(child_lvl);
	pgt_count_add(&table, (long)nr_entries);
	/* The translations do not change, so no IOTLB invalidation is due. */
	WRITE_ONCE(*ptep, table.phys | IOSIM_PTE_TYPE_TABLE);
	pgt->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)]--;
	pgt->nr_leaves[IOSIM_PGT_LVL_IDX(child_lvl)] += nr_entries;
	pgt->nr_splits++;

	split->ptep = ptep;
	split->old_desc = desc;
	split->table = table;
	split->lvl = lvl;
	return true;
}

static void pgt_unsplit(struct iosim_pgtable *pgt, const struct pgt_split *split)
{
	unsigned long nr_entries = 1UL << pgt->cfg->bits_per_level;

	WRITE_ONCE(*split->ptep, split->old_desc);
	pgt->nr_leaves[IOSIM_PGT_LVL_IDX(split->lvl + 1)] -= nr_entries;
	pgt->nr_leaves[IOSIM_PGT_LVL_IDX(split->lvl)]++;
	pgt->nr_splits--;
	/* Full of leaves: released as a spare only after clearing. */
	pgt_release_table(pgt, &split->table, false);
}

/*
 * pgt_split_edge - split every block that straddles @addr (one that holds
 * bytes on both sides of it), level by level, logging each split.
 */
static int pgt_split_edge(struct iosim_pgtable *pgt, unsigned long addr,
			  struct pgt_split *log, unsigned int *nr_log)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	struct iosim_pgt_table_ref tbl;
	int lvl;

	pgt_pgd_ref(pgt, &tbl);
	for (lvl = cfg->start_level; lvl <= IOSIM_PGT_LEAF_LEVEL; lvl++) {
		u64 *ptep;
		u64 desc;

		/* An edge on this level's boundary is on every smaller one too. */
		if (IS_ALIGNED(addr, iosim_pgt_lvl_size(cfg, lvl)))
			return 0;
		ptep = pgt_ptep(pgt, &tbl, lvl, addr);
		desc = READ_ONCE(*ptep);
		if (!iosim_pte_valid(desc))
			return 0;
		if (!iosim_pte_is_table(cfg, desc, lvl)) {
			if (WARN_ON(*nr_log >= PGT_MAX_SPLITS) ||
			    !pgt_split_block(pgt, ptep, lvl, &log[*nr_log]))
				return -ENOMEM;
			(*nr_log)++;
		}
		pgt_table_ref(pgt, lvl + 1, iosim_pte_addr(cfg, READ_ONCE(*ptep)), &tbl);
	}
	return 0;
}

/*
 * pgt_unmap_fast - unmap the run at [@iova, @end) when it is made of whole
 * leaves of one level in one table reached through table descriptors: one
 * walk down, one pass over the entries, then release the tables the run
 * emptied, bottom up along the recorded path.
 * Return: bytes unmapped (0: @iova is not mapped), or -EAGAIN when the run
 * needs splits or spans tables: the general path's job (nothing changed).
 */
static long pgt_unmap_fast(struct iosim_pgtable *pgt, unsigned long iova, unsigned long end)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	struct iosim_pgt_table_ref path[IOSIM_PGT_MAX_LEVELS];
	unsigned long path_idx[IOSIM_PGT_MAX_LEVELS];
	struct iosim_pgt_table_ref *tbl = &path[0];
	int lvl = cfg->start_level;
	unsigned long idx, nr_max, nr, i;
	unsigned int depth = 0, shift;
	u64 *ptep;

	pgt_pgd_ref(pgt, tbl);
	for (;; lvl++) {
		u64 desc;

		idx = iosim_pgt_lvl_index(cfg, lvl, iova);
		if (lvl == IOSIM_PGT_LEAF_LEVEL || !pgt_in_one_entry(cfg, lvl, iova, end))
			break;
		desc = READ_ONCE(tbl->virt[idx]);
		if (!iosim_pte_valid(desc))
			return 0;
		if (!iosim_pte_is_table(cfg, desc, lvl))
			break;
		path_idx[depth] = idx;
		tbl = &path[++depth];
		pgt_table_ref(pgt, lvl + 1, iosim_pte_addr(cfg, desc), tbl);
	}
	shift = iosim_pgt_lvl_shift(cfg, lvl);
	if (!IS_ALIGNED(iova | end, 1UL << shift))
		return -EAGAIN;

	nr_max = (end - iova) >> shift;
	ptep = tbl->virt + idx;
	for (nr = 0; nr < nr_max; nr++) {
		u64 desc = READ_ONCE(ptep[nr]);

		if (!iosim_pte_valid(desc))
			break;
		if (iosim_pte_is_table(cfg, desc, lvl))
			return -EAGAIN;
	}
	if (!nr)
		return 0;
	for (i = 0; i < nr; i++)
		WRITE_ONCE(ptep[i], 0);
	pgt_count_add(tbl, -(long)nr);
	pgt->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)] -= nr;

	/* Release what the run emptied, up to (never including) the top table. */
	while (depth && !pgt_count(tbl)) {
		struct iosim_pgt_table_ref *parent = &path[depth - 1];

		WRITE_ONCE(parent->virt[path_idx[depth - 1]], 0);
		pgt_count_add(parent, -1);
		pgt_release_table(pgt, tbl, true);
		tbl = parent;
		depth--;
	}
	return (long)(nr << shift);
}

size_t iosim_pgtable_unmap(struct iosim_pgtable *pgt, unsigned long iova, size_t size)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	unsigned long granule = iosim_pgt_granule(cfg);
	u64 input_size = iosim_pgt_input_size(cfg);
	unsigned int spares_before = pgt->nr_spares;
	struct pgt_split log[PGT_MAX_SPLITS];
	struct iosim_pgt_table_ref pgd;
	unsigned int nr_log = 0;
	unsigned long run_end;
	long fast;

	if (WARN(!size || !IS_ALIGNED(iova | size, granule),
		 "iosim pgtable: unmap of %#zx bytes at iova %#lx not aligned to the %#lx granule",
		 size, iova, granule))
		return 0;
	if (WARN(size > input_size || iova > input_size - size,
		 "iosim pgtable: unmap at iova %#lx + %#zx beyond the %u-bit input address size",
		 iova, size, cfg->ias))
		return 0;
	if (!pgt->pgd)
		return 0;

	fast = pgt_unmap_fast(pgt, iova, iova + size);
	if (fast != -EAGAIN)
		return (size_t)fast;

	pgt_pgd_ref(pgt, &pgd);
	run_end = pgt_scan_for(pgt, &pgd, cfg->start_level, iova, iova + size, false);
	if (run_end == iova)
		return 0;

	/* Phase 1: split what straddles either end; undo all of it on failure. */
	if (pgt_split_edge(pgt, iova, log, &nr_log) ||
	    pgt_split_edge(pgt, run_end, log, &nr_log)) {
		/* As many tables back to the spares as the splits took. */
		pgt->spare_cap = spares_before;
		while (nr_log)
			pgt_unsplit(pgt, &log[--nr_log]);
		pgt->spare_cap = IOSIM_PGT_MAX_SPARES;
		return 0;
	}

	/* Phase 2: every leaf in the run now lies wholly inside it. */
	pgt_clear_range(pgt, &pgd, cfg->start_level, iova, run_end);
	return run_end - iova;
}

/* -- lookups ----------------------------------------------------------------- */

int iosim_pgtable_lookup_walk(const struct iosim_pgtable *pgt, unsigned long iova,
			      struct iosim_pgtable_leaf *leaf, struct iosim_pgtable_walk *walk)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	u64 table_bytes = PAGE_SIZE << cfg->table_order;
	phys_addr_t table_phys = pgt->pgd_phys;
	const u64 *table = NULL;
	int lvl = cfg->start_level;

	if ((u64)iova >= iosim_pgt_input_size(cfg))
		return -ERANGE;
	if (!pgt->pgd)
		return -ENOENT;
	if (walk->table && iova - walk->base < walk->span) {
		table = walk->table;
		table_phys = walk->table_phys;
		lvl = walk->lvl;
	}

	for (; lvl <= IOSIM_PGT_LEAF_LEVEL; lvl++) {
		unsigned long size = iosim_pgt_lvl_size(cfg, lvl);
		u64 desc, type;

		if (!table) {
			/* A walk that leaves RAM would be an external abort in hardware. */
			if (!iosim_phys_is_ram(table_phys, table_bytes))
				return -EILSEQ;
			table = iosim_pgtable_table_virt(table_phys);
			if (lvl != cfg->start_level) {
				/* The table the previous level's descriptor named. */
				walk->table = table;
				walk->table_phys = table_phys;
				walk->lvl = lvl;
				walk->span = iosim_pgt_lvl_size(cfg, lvl - 1);
				walk->base = iova & ~(walk->span - 1);
			}
		}
		desc = READ_ONCE(table[iosim_pgt_lvl_index(cfg, lvl, iova)]);
		if (!iosim_pte_valid(desc))
			return -ENOENT;
		type = desc & IOSIM_PTE_TYPE_MASK;
		if (lvl < IOSIM_PGT_LEAF_LEVEL && type == IOSIM_PTE_TYPE_TABLE) {
			table_phys = iosim_pte_addr(cfg, desc);
			table = NULL;
			continue;
		}
		/* 0b01 at the leaf level is reserved; a block needs a block level. */
		if (lvl == IOSIM_PGT_LEAF_LEVEL ? type != IOSIM_PTE_TYPE_PAGE :
						  !iosim_pgt_lvl_has_blocks(cfg, lvl))
			return -EILSEQ;

		leaf->iova = iova & ~(size - 1);
		leaf->size = size;
		leaf->phys = iosim_pte_addr(cfg, desc) & ~(u64)(size - 1);
		leaf->prot = pgt_attrs_to_prot(desc);
		leaf->level = lvl;
		leaf->desc = desc;
		return 0;
	}
	return -EILSEQ;
}

int iosim_pgtable_lookup(const struct iosim_pgtable *pgt, unsigned long iova,
			 struct iosim_pgtable_leaf *leaf)
{
	struct iosim_pgtable_walk walk;

	iosim_pgtable_walk_init(&walk);
	return iosim_pgtable_lookup_walk(pgt, iova, leaf, &walk);
}

phys_addr_t iosim_pgtable_iova_to_phys(const struct iosim_pgtable *pgt, unsigned long iova)
{
	struct iosim_pgtable_leaf leaf;

	if (iosim_pgtable_lookup(pgt, iova, &leaf))
		return 0;
	return leaf.phys + (iova - leaf.iova);
}

u64 iosim_pgtable_mapped_bytes(const struct iosim_pgtable *pgt)
{
	u64 bytes = 0;
	int lvl;

	for (lvl = pgt->cfg->start_level; lvl <= IOSIM_PGT_LEAF_LEVEL; lvl++)
		bytes += (u64)pgt->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)] *
			 iosim_pgt_lvl_size(pgt->cfg, lvl);
	return bytes;
}

u64 iosim_pgtable_table_bytes(const struct iosim_pgtable *pgt)
{
	return (u64)pgt->nr_tables * (PAGE_SIZE << pgt->cfg->table_order);
}

u64 iosim_pgtable_spare_bytes(const struct iosim_pgtable *pgt)
{
	return (u64)pgt->nr_spares * pgt_table_bytes(pgt);
}
