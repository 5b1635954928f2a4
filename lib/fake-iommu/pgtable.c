// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulated IOMMU's page-table format: an ARM LPAE style multi-level
 * table in simulated physical pages.
 *
 * Every descriptor is read and written through the linear map of simulated
 * RAM (phys_to_virt of the table's physical address), and tables are found
 * only by following descriptors, exactly as the hardware walker finds them:
 * the format has no shadow structure that could disagree with memory.
 *
 * Map and unmap are two-phase so that every failure leaves the tables as
 * they were: map first checks the whole range is free, then installs; unmap
 * first splits the blocks straddling its ends (undoing the splits if one
 * cannot allocate), then clears, which never needs memory.
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

static void pgt_count_add(phys_addr_t table_phys, long delta)
{
	struct page *page = phys_to_page(table_phys);

	page->private += delta;
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

/*
 * pgt_alloc_table - a zeroed table, or 0 when fault injection, the budget or
 * the page allocator says no.  RAM may start at physical 0, so success is
 * reported through the return value, not the address.
 */
static bool pgt_alloc_table(struct iosim_pgtable *pgt, phys_addr_t *table_phys)
{
	struct page *page;

	if (iosim_fault_should_fail(IOSIM_FAULT_PGTABLE))
		goto out_failed;
	if (pgt->budget && !pgt_budget_take(pgt->budget))
		goto out_failed;
	/*
	 * GFP_ATOMIC: map runs under the domain's spinlock, as in io-pgtable.
	 * No allocation-failure splat: the caller reports -ENOMEM.
	 */
	page = alloc_pages(GFP_ATOMIC | __GFP_ZERO | __GFP_NOWARN, pgt->cfg->table_order);
	if (!page)
		goto out_put_budget;
	page->private = 0;
	pgt->nr_tables++;
	*table_phys = page_to_phys(page);
	return true;

out_put_budget:
	if (pgt->budget)
		atomic64_add(-1, &pgt->budget->used);
out_failed:
	pgt->nr_table_allocs_failed++;
	return false;
}

static void pgt_free_table(struct iosim_pgtable *pgt, phys_addr_t table_phys)
{
	struct page *page = phys_to_page(table_phys);

	/* The count is ours; leave the field as the allocator handed it out. */
	page->private = 0;
	__free_pages(page, pgt->cfg->table_order);
	pgt->nr_tables--;
	if (pgt->budget)
		atomic64_add(-1, &pgt->budget->used);
}

int iosim_pgtable_alloc_pgd(struct iosim_pgtable *pgt)
{
	phys_addr_t pgd_phys;

	if (pgt->pgd)
		return 0;
	if (!pgt_alloc_table(pgt, &pgd_phys))
		return -ENOMEM;
	pgt->pgd_phys = pgd_phys;
	pgt->pgd = phys_to_page(pgd_phys);
	return 0;
}

static void pgt_free_pgd(struct iosim_pgtable *pgt)
{
	pgt_free_table(pgt, pgt->pgd_phys);
	pgt->pgd = NULL;
	pgt->pgd_phys = 0;
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

static u64 *pgt_ptep(const struct iosim_pgtable *pgt, phys_addr_t table_phys, int lvl,
		     unsigned long iova)
{
	return iosim_pgtable_table_virt(table_phys) + iosim_pgt_lvl_index(pgt->cfg, lvl, iova);
}

/* The end of the level-@lvl entry holding @addr, clipped to @end. */
static unsigned long pgt_entry_end(const struct iosim_pgtable *pgt, int lvl,
				   unsigned long addr, unsigned long end)
{
	unsigned long size = iosim_pgt_lvl_size(pgt->cfg, lvl);
	unsigned long next = (addr & ~(size - 1)) + size;

	return min(next, end);
}

/* -- scans ------------------------------------------------------------------- */

/*
 * The first address in [@start, @end) whose state is @mapped (translated by
 * a valid leaf, or not), or @end.  A table entry is looked into; a leaf or
 * an invalid entry answers for its whole span.
 */
static unsigned long pgt_scan_for(const struct iosim_pgtable *pgt, phys_addr_t table_phys,
				  int lvl, unsigned long start, unsigned long end, bool mapped)
{
	unsigned long addr = start;

	while (addr < end) {
		unsigned long next = pgt_entry_end(pgt, lvl, addr, end);
		u64 desc = READ_ONCE(*pgt_ptep(pgt, table_phys, lvl, addr));

		if (!iosim_pte_valid(desc)) {
			if (!mapped)
				return addr;
		} else if (iosim_pte_is_table(pgt->cfg, desc, lvl)) {
			unsigned long found = pgt_scan_for(pgt, iosim_pte_addr(pgt->cfg, desc),
							   lvl + 1, addr, next, mapped);

			if (found != next)
				return found;
		} else if (mapped) {
			return addr;
		}
		addr = next;
	}
	return end;
}

/* The first address in [@start, @end) that is not mapped, or @end. */
static unsigned long pgt_scan_hole(const struct iosim_pgtable *pgt, phys_addr_t table_phys,
				   int lvl, unsigned long start, unsigned long end)
{
	return pgt_scan_for(pgt, table_phys, lvl, start, end, false);
}

/* The first address in [@start, @end) that is mapped, or @end. */
static unsigned long pgt_scan_mapped(const struct iosim_pgtable *pgt, phys_addr_t table_phys,
				     int lvl, unsigned long start, unsigned long end)
{
	return pgt_scan_for(pgt, table_phys, lvl, start, end, true);
}

/* -- clearing ---------------------------------------------------------------- */

/*
 * pgt_clear_range - clear every leaf in [@start, @end) below @table_phys and
 * free the tables that end up empty.  Leaves must lie wholly inside the range
 * (the caller has split the ends); a straddling one is WARNed and kept.
 * Never allocates, so it cannot fail.
 */
static void pgt_clear_range(struct iosim_pgtable *pgt, phys_addr_t table_phys, int lvl,
			    unsigned long start, unsigned long end)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	unsigned long size = iosim_pgt_lvl_size(cfg, lvl);
	unsigned long addr = start;

	while (addr < end) {
		unsigned long next = pgt_entry_end(pgt, lvl, addr, end);
		u64 *ptep = pgt_ptep(pgt, table_phys, lvl, addr);
		u64 desc = READ_ONCE(*ptep);

		if (!iosim_pte_valid(desc))
			goto next_entry;
		if (iosim_pte_is_table(cfg, desc, lvl)) {
			phys_addr_t child = iosim_pte_addr(cfg, desc);

			pgt_clear_range(pgt, child, lvl + 1, addr, next);
			if (!iosim_pgtable_table_count(child)) {
				WRITE_ONCE(*ptep, 0);
				pgt_count_add(table_phys, -1);
				pgt_free_table(pgt, child);
			}
			goto next_entry;
		}
		if (WARN(!IS_ALIGNED(addr, size) || next - addr != size,
			 "iosim pgtable: clearing part of a level-%d leaf at %#lx", lvl, addr))
			goto next_entry;
		WRITE_ONCE(*ptep, 0);
		pgt_count_add(table_phys, -1);
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

	for (i = 0; i < nr_entries; i++) {
		u64 desc = READ_ONCE(table[i]);

		if (!iosim_pte_valid(desc))
			continue;
		if (iosim_pte_is_table(cfg, desc, lvl))
			pgt_free_tables(pgt, iosim_pte_addr(cfg, desc), lvl + 1);
		else
			pgt->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)]--;
	}
	pgt_free_table(pgt, table_phys);
}

void iosim_pgtable_free(struct iosim_pgtable *pgt)
{
	if (!pgt->pgd)
		return;
	pgt_free_tables(pgt, pgt->pgd_phys, pgt->cfg->start_level);
	pgt->pgd = NULL;
	pgt->pgd_phys = 0;
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
 * pgt_install - put one leaf of @pgsize at @iova, creating tables on the
 * way.  On -ENOMEM the tables created so far stay (empty): the caller's
 * pgt_clear_range() over the chunk frees them.
 */
static int pgt_install(struct iosim_pgtable *pgt, unsigned long iova, phys_addr_t paddr,
		       unsigned long pgsize, u64 attrs)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	phys_addr_t table_phys = pgt->pgd_phys;
	int lvl = cfg->start_level;
	u64 *ptep;

	for (; iosim_pgt_lvl_size(cfg, lvl) > pgsize; lvl++) {
		u64 desc;

		ptep = pgt_ptep(pgt, table_phys, lvl, iova);
		desc = READ_ONCE(*ptep);
		if (!iosim_pte_valid(desc)) {
			phys_addr_t child;

			if (!pgt_alloc_table(pgt, &child))
				return -ENOMEM;
			WRITE_ONCE(*ptep, child | IOSIM_PTE_TYPE_TABLE);
			pgt_count_add(table_phys, 1);
			table_phys = child;
		} else if (iosim_pte_is_table(cfg, desc, lvl)) {
			table_phys = iosim_pte_addr(cfg, desc);
		} else {
			/* The range was checked free: a leaf here is corruption. */
			WARN(1, "iosim pgtable: unexpected level-%d leaf at %#lx", lvl, iova);
			return -EEXIST;
		}
	}
	if (WARN_ON(iosim_pgt_lvl_size(cfg, lvl) != pgsize))
		return -EINVAL;
	ptep = pgt_ptep(pgt, table_phys, lvl, iova);
	if (WARN(iosim_pte_valid(READ_ONCE(*ptep)),
		 "iosim pgtable: unexpected level-%d descriptor at %#lx", lvl, iova))
		return -EEXIST;
	WRITE_ONCE(*ptep, paddr | attrs | pgt_leaf_type(lvl));
	pgt_count_add(table_phys, 1);
	pgt->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)]++;
	return 0;
}

int iosim_pgtable_map(struct iosim_pgtable *pgt, unsigned long iova, phys_addr_t paddr,
		      size_t size, int prot)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	unsigned long granule = iosim_pgt_granule(cfg);
	u64 input_size = iosim_pgt_input_size(cfg);
	u64 output_size = 1ULL << cfg->oas;
	unsigned long cur, end;
	phys_addr_t cur_phys;
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
	/* Phase 1: refuse any overlap before touching anything. */
	if (pgt_scan_mapped(pgt, pgt->pgd_phys, cfg->start_level, iova, end) != end) {
		ret = -EEXIST;
		goto out_free_pgd;
	}

	/* Phase 2: install, largest pages first. */
	attrs = pgt_prot_to_attrs(prot);
	for (cur = iova, cur_phys = paddr; cur < end; ) {
		unsigned long pgsize = pgt_best_pgsize(cfg, cur, cur_phys, end - cur);

		ret = pgt_install(pgt, cur, cur_phys, pgsize, attrs);
		if (ret) {
			/* Everything in [iova, cur + pgsize) is ours: take it back. */
			pgt_clear_range(pgt, pgt->pgd_phys, cfg->start_level, iova, cur + pgsize);
			goto out_free_pgd;
		}
		cur += pgsize;
		cur_phys += pgsize;
	}
	return 0;

out_free_pgd:
	if (new_pgd)
		pgt_free_pgd(pgt);
	return ret;
}

/* -- unmap ------------------------------------------------------------------- */

struct pgt_split {
	u64 *ptep;		/* the descriptor that held the block */
	u64 old_desc;		/* the block descriptor */
	phys_addr_t table_phys;	/* the table that replaced it */
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
	phys_addr_t table_phys;
	u64 *table;
	unsigned long i;

	if (WARN_ON(child_lvl != IOSIM_PGT_LEAF_LEVEL && !iosim_pgt_lvl_has_blocks(cfg, child_lvl)))
		return false;
	if (!pgt_alloc_table(pgt, &table_phys))
		return false;
	table = iosim_pgtable_table_virt(table_phys);
	for (i = 0; i < nr_entries; i++)
		table[i] = (out + i * child_size) | attrs | pgt_leaf_type(child_lvl);
	pgt_count_add(table_phys, (long)nr_entries);
	/* The translations do not change, so no IOTLB invalidation is due. */
	WRITE_ONCE(*ptep, table_phys | IOSIM_PTE_TYPE_TABLE);
	pgt->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)]--;
	pgt->nr_leaves[IOSIM_PGT_LVL_IDX(child_lvl)] += nr_entries;
	pgt->nr_splits++;

	split->ptep = ptep;
	split->old_desc = desc;
	split->table_phys = table_phys;
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
	pgt_free_table(pgt, split->table_phys);
}

/*
 * pgt_split_edge - split every block that straddles @addr (one that holds
 * bytes on both sides of it), level by level, logging each split.
 */
static int pgt_split_edge(struct iosim_pgtable *pgt, unsigned long addr,
			  struct pgt_split *log, unsigned int *nr_log)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	phys_addr_t table_phys = pgt->pgd_phys;
	int lvl;

	for (lvl = cfg->start_level; lvl <= IOSIM_PGT_LEAF_LEVEL; lvl++) {
		u64 *ptep;
		u64 desc;

		/* An edge on this level's boundary is on every smaller one too. */
		if (IS_ALIGNED(addr, iosim_pgt_lvl_size(cfg, lvl)))
			return 0;
		ptep = pgt_ptep(pgt, table_phys, lvl, addr);
		desc = READ_ONCE(*ptep);
		if (!iosim_pte_valid(desc))
			return 0;
		if (!iosim_pte_is_table(cfg, desc, lvl)) {
			if (WARN_ON(*nr_log >= PGT_MAX_SPLITS) ||
			    !pgt_split_block(pgt, ptep, lvl, &log[*nr_log]))
				return -ENOMEM;
			(*nr_log)++;
		}
		table_phys = iosim_pte_addr(cfg, READ_ONCE(*ptep));
	}
	return 0;
}

size_t iosim_pgtable_unmap(struct iosim_pgtable *pgt, unsigned long iova, size_t size)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	unsigned long granule = iosim_pgt_granule(cfg);
	u64 input_size = iosim_pgt_input_size(cfg);
	struct pgt_split log[PGT_MAX_SPLITS];
	unsigned int nr_log = 0;
	unsigned long run_end;

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

	run_end = pgt_scan_hole(pgt, pgt->pgd_phys, cfg->start_level, iova, iova + size);
	if (run_end == iova)
		return 0;

	/* Phase 1: split what straddles either end; undo all of it on failure. */
	if (pgt_split_edge(pgt, iova, log, &nr_log) ||
	    pgt_split_edge(pgt, run_end, log, &nr_log)) {
		while (nr_log)
			pgt_unsplit(pgt, &log[--nr_log]);
		return 0;
	}

	/* Phase 2: every leaf in the run now lies wholly inside it. */
	pgt_clear_range(pgt, pgt->pgd_phys, cfg->start_level, iova, run_end);
	return run_end - iova;
}

/* -- lookups ----------------------------------------------------------------- */

int iosim_pgtable_lookup(const struct iosim_pgtable *pgt, unsigned long iova,
			 struct iosim_pgtable_leaf *leaf)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	u64 table_bytes = PAGE_SIZE << cfg->table_order;
	phys_addr_t table_phys = pgt->pgd_phys;
	int lvl;

	if ((u64)iova >= iosim_pgt_input_size(cfg))
		return -ERANGE;
	if (!pgt->pgd)
		return -ENOENT;

	for (lvl = cfg->start_level; lvl <= IOSIM_PGT_LEAF_LEVEL; lvl++) {
		unsigned long size = iosim_pgt_lvl_size(cfg, lvl);
		u64 desc, type;

		/* A walk that leaves RAM would be an external abort in hardware. */
		if (!iosim_phys_is_ram(table_phys, table_bytes))
			return -EILSEQ;
		desc = READ_ONCE(*pgt_ptep(pgt, table_phys, lvl, iova));
		if (!iosim_pte_valid(desc))
			return -ENOENT;
		type = desc & IOSIM_PTE_TYPE_MASK;
		if (lvl < IOSIM_PGT_LEAF_LEVEL && type == IOSIM_PTE_TYPE_TABLE) {
			table_phys = iosim_pte_addr(cfg, desc);
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
