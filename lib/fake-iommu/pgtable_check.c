// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The page table's sanity checker: walks every table in simulated memory and
 * checks each descriptor and every counter against what it found.
 *
 * The walk trusts nothing but the top table's address: a corrupt table
 * descriptor is reported, not followed, when it points outside RAM or at a
 * free page; tables reached twice are found by sorting every table reached.
 */
#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include <iosim/ram.h>

#include "pgtable.h"

#define CHECK_MAX_REPORTS	32
/* Tables the walk records on the stack before it needs an allocation. */
#define CHECK_INLINE_TABLES	64

struct pgt_checker {
	const struct iosim_pgtable *pgt;
	iosim_pgtable_output_ok_t output_ok;
	void *data;
	phys_addr_t *tables;		/* every table reached, in walk order */
	unsigned long nr_tables;
	unsigned long max_tables;	/* capacity of @tables */
	/*
	 * @tables until more are reached: the checker runs after every fuzzed
	 * operation, and a kmalloc() and kfree() each time were a third of
	 * its cost outside the walk.
	 */
	phys_addr_t inline_tables[CHECK_INLINE_TABLES];
	unsigned long nr_leaves[IOSIM_PGT_MAX_LEVELS];
	unsigned int nr_problems;
};

#define check_report(chk, fmt, ...) do {					\
	if ((chk)->nr_problems++ < CHECK_MAX_REPORTS)				\
		WARN(1, "iosim pgtable check: " fmt, ##__VA_ARGS__);		\
} while (0)

static bool check_default_output(phys_addr_t phys, u64 len, void *data)
{
	return iosim_phys_is_ram(phys, len);
}

/*
 * Remember @table_phys; past the inline array the scratch array grows
 * without fault injection.
 */
static void check_record_table(struct pgt_checker *chk, phys_addr_t table_phys)
{
	if (chk->nr_tables == chk->max_tables) {
		unsigned long max = 2 * chk->max_tables;
		phys_addr_t *tables = kmalloc_array(max, sizeof(*tables),
						    GFP_KERNEL | __GFP_NOFAIL);

		memcpy(tables, chk->tables, chk->nr_tables * sizeof(*tables));
		if (chk->tables != chk->inline_tables)
			kfree(chk->tables);
		chk->tables = tables;
		chk->max_tables = max;
	}
	chk->tables[chk->nr_tables++] = table_phys;
}

/* Linear: only used once the walk has found more tables than exist. */
static bool check_seen(const struct pgt_checker *chk, phys_addr_t table_phys)
{
	unsigned long i;

	for (i = 0; i < chk->nr_tables; i++)
		if (chk->tables[i] == table_phys)
			return true;
	return false;
}

/* Is @table_phys something a table descriptor may point at? */
static bool check_table_address(struct pgt_checker *chk, phys_addr_t table_phys, int lvl,
				unsigned long iova)
{
	u64 table_bytes = PAGE_SIZE << chk->pgt->cfg->table_order;

	if (!IS_ALIGNED(table_phys, table_bytes)) {
		check_report(chk, "level-%d table for iova %#lx at %#llx is not aligned to %#llx",
			     lvl, iova, (unsigned long long)table_phys,
			     (unsigned long long)table_bytes);
		return false;
	}
	if (!iosim_phys_is_ram(table_phys, table_bytes)) {
		check_report(chk, "level-%d table for iova %#lx at %#llx is outside RAM",
			     lvl, iova, (unsigned long long)table_phys);
		return false;
	}
	if (!iosim_phys_is_allocated(table_phys)) {
		check_report(chk, "level-%d table for iova %#lx at %#llx is a free page",
			     lvl, iova, (unsigned long long)table_phys);
		return false;
	}
	/*
	 * More tables than were allocated means sharing or a cycle: stop there,
	 * which also bounds the walk (depth is bounded by the leaf level).
	 */
	if (chk->nr_tables >= chk->pgt->nr_tables) {
		if (check_seen(chk, table_phys))
			check_report(chk, "table at %#llx referenced twice (again for iova %#lx)",
				     (unsigned long long)table_phys, iova);
		else
			check_report(chk, "more tables reachable than the %lu allocated (at %#llx)",
				     chk->pgt->nr_tables, (unsigned long long)table_phys);
		return false;
	}
	return true;
}

static void check_leaf(struct pgt_checker *chk, u64 desc, int lvl, unsigned long iova)
{
	const struct iosim_pgtable_cfg *cfg = chk->pgt->cfg;
	unsigned long size = iosim_pgt_lvl_size(cfg, lvl);
	u64 type = desc & IOSIM_PTE_TYPE_MASK;
	u64 addr_field = IOSIM_PTE_ADDR_BITS & ~(u64)(iosim_pgt_granule(cfg) - 1);
	phys_addr_t out = iosim_pte_addr(cfg, desc);
	u64 memattr = desc & IOSIM_PTE_MEMATTR_MASK;

	if (lvl == IOSIM_PGT_LEAF_LEVEL ? type != IOSIM_PTE_TYPE_PAGE :
					  !iosim_pgt_lvl_has_blocks(cfg, lvl))
		check_report(chk, "level-%d descriptor %#llx for iova %#lx: type %llu not "
			     "allowed here", lvl, (unsigned long long)desc, iova,
			     (unsigned long long)type);
	if (desc & ~(addr_field | IOSIM_PTE_LEAF_ATTRS | IOSIM_PTE_TYPE_MASK))
		check_report(chk, "leaf %#llx for iova %#lx has unknown bits %#llx",
			     (unsigned long long)desc, iova,
			     (unsigned long long)(desc & ~(addr_field | IOSIM_PTE_LEAF_ATTRS |
							    IOSIM_PTE_TYPE_MASK)));
	if (!(desc & IOSIM_PTE_AF))
		check_report(chk, "leaf %#llx for iova %#lx lacks the access flag",
			     (unsigned long long)desc, iova);
	if ((desc & IOSIM_PTE_SH_MASK) != IOSIM_PTE_SH_IS)
		check_report(chk, "leaf %#llx for iova %#lx is not inner shareable",
			     (unsigned long long)desc, iova);
	if (memattr != IOSIM_PTE_MEMATTR_OIWB && memattr != IOSIM_PTE_MEMATTR_NC &&
	    memattr != IOSIM_PTE_MEMATTR_DEV)
		check_report(chk, "leaf %#llx for iova %#lx has memory attributes %#llx",
			     (unsigned long long)desc, iova,
			     (unsigned long long)(memattr >> IOSIM_PTE_MEMATTR_SHIFT));
	if (!IS_ALIGNED(out, size))
		check_report(chk, "level-%d leaf for iova %#lx outputs %#llx, not aligned to %#lx",
			     lvl, iova, (unsigned long long)out, size);
	if (out + size > (1ULL << cfg->oas))
		check_report(chk, "leaf for iova %#lx outputs %#llx + %#lx beyond %u bits",
			     iova, (unsigned long long)out, size, cfg->oas);
	else if (!chk->output_ok(out, size, chk->data))
		check_report(chk, "leaf for iova %#lx outputs [%#llx, +%#lx) outside RAM and MMIO",
			     iova, (unsigned long long)out, size);
	chk->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)]++;
}

static void check_table(struct pgt_checker *chk, phys_addr_t table_phys, int lvl,
			unsigned long base_iova)
{
	const struct iosim_pgtable_cfg *cfg = chk->pgt->cfg;
	unsigned long nr_entries = 1UL << iosim_pgt_lvl_bits(cfg, lvl);
	unsigned long size = iosim_pgt_lvl_size(cfg, lvl);
	u64 addr_field = IOSIM_PTE_ADDR_BITS & ~(u64)(iosim_pgt_granule(cfg) - 1);
	const u64 *table = iosim_pgtable_table_virt(table_phys);
	unsigned long nr_valid = 0, stored, i;

	check_record_table(chk, table_phys);
	/* Zero runs of a sparse table are skipped (the checker runs after every fuzzed operation). */
	for (i = iosim_pgt_next_used(table, 0, nr_entries); i < nr_entries;
	     i = iosim_pgt_next_used(table, i + 1, nr_entries)) {
		unsigned long iova;
		u64 desc = READ_ONCE(table[i]);

		iova = base_iova + i * size;
		if (!iosim_pte_valid(desc)) {
			if (desc)
				check_report(chk, "invalid descriptor %#llx for iova %#lx is "
					     "not zero", (unsigned long long)desc, iova);
			continue;
		}
		nr_valid++;
		if (!iosim_pte_is_table(cfg, desc, lvl)) {
			check_leaf(chk, desc, lvl, iova);
			continue;
		}
		if (desc & ~(addr_field | IOSIM_PTE_TYPE_MASK))
			check_report(chk, "table descriptor %#llx for iova %#lx has attribute bits",
				     (unsigned long long)desc, iova);
		if (check_table_address(chk, iosim_pte_addr(cfg, desc), lvl + 1, iova))
			check_table(chk, iosim_pte_addr(cfg, desc), lvl + 1, iova);
	}

	stored = iosim_pgtable_table_count(table_phys);
	if (stored != nr_valid)
		check_report(chk, "level-%d table at %#llx holds %lu valid entries, its count "
			     "says %lu", lvl, (unsigned long long)table_phys, nr_valid, stored);
	if (!nr_valid && lvl != cfg->start_level)
		check_report(chk, "level-%d table at %#llx (iova %#lx) is empty but not freed",
			     lvl, (unsigned long long)table_phys, base_iova);
}

static int check_cmp_phys(const void *a, const void *b)
{
	phys_addr_t x = *(const phys_addr_t *)a, y = *(const phys_addr_t *)b;

	return x < y ? -1 : x > y;
}

/* Is @table_phys among the linked tables found (@chk->tables sorted)? */
static bool check_linked(const struct pgt_checker *chk, phys_addr_t table_phys)
{
	return chk->nr_tables &&
	       bsearch(&table_phys, chk->tables, chk->nr_tables, sizeof(*chk->tables),
		       check_cmp_phys);
}

/*
 * Spares: allocated table pages in RAM, aligned, all-zero, count zero,
 * linked nowhere, each listed once.  Runs after the walk sorted the tables.
 */
static void check_spares(struct pgt_checker *chk)
{
	const struct iosim_pgtable *pgt = chk->pgt;
	u64 table_bytes = PAGE_SIZE << pgt->cfg->table_order;
	const unsigned char *nonzero;
	unsigned int i, j;

	if (pgt->nr_spares > IOSIM_PGT_MAX_SPARES || pgt->spare_cap != IOSIM_PGT_MAX_SPARES) {
		check_report(chk, "%u spare tables (at most %u), cap %u between operations",
			     pgt->nr_spares, IOSIM_PGT_MAX_SPARES, pgt->spare_cap);
		return;
	}
	for (i = 0; i < IOSIM_PGT_MAX_SPARES; i++) {
		const struct iosim_pgt_table_ref *spare = &pgt->spares[i];
		phys_addr_t phys = spare->phys;

		if (i >= pgt->nr_spares) {
			if (spare->virt || spare->page || spare->phys)
				check_report(chk, "spare slot %u past the %u spares is not empty", i,
					     pgt->nr_spares);
			continue;
		}
		if (!IS_ALIGNED(phys, table_bytes) || !iosim_phys_is_ram(phys, table_bytes) ||
		    !iosim_phys_is_allocated(phys)) {
			check_report(chk, "spare %u at %#llx is not an allocated, aligned table", i,
				     (unsigned long long)phys);
			continue;
		}
		if (spare->virt != iosim_pgtable_table_virt(phys) ||
		    spare->page != phys_to_page(phys)) {
			check_report(chk, "spare %u at %#llx disagrees with the linear map", i,
				     (unsigned long long)phys);
			continue;
		}
		if (check_linked(chk, phys))
			check_report(chk, "spare %u at %#llx is also a linked table", i,
				     (unsigned long long)phys);
		for (j = 0; j < i; j++)
			if (pgt->spares[j].phys == phys)
				check_report(chk, "spare at %#llx listed twice",
					     (unsigned long long)phys);
		if (spare->page->private)
			check_report(chk, "spare %u at %#llx counts %lu entries", i,
				     (unsigned long long)phys, spare->page->private);
		nonzero = memchr_inv(spare->virt, 0, table_bytes);
		if (nonzero)
			check_report(chk, "spare %u at %#llx is not zeroed (word %lu)", i,
				     (unsigned long long)phys,
				     (unsigned long)(nonzero - (const unsigned char *)spare->virt) /
					     sizeof(u64));
	}
}

/*
 * The conversions the CPU-side code remembers: the top table's address and
 * the per-level cache must say what phys_to_virt()/phys_to_page() say, and
 * name linked tables only.
 */
static void check_tcache(struct pgt_checker *chk)
{
	const struct iosim_pgtable *pgt = chk->pgt;
	unsigned int i;

	if (pgt->pgd ? pgt->pgd_virt != page_address(pgt->pgd) : pgt->pgd_virt != NULL)
		check_report(chk, "top table's remembered address %p is wrong", pgt->pgd_virt);
	for (i = 0; i < IOSIM_PGT_MAX_LEVELS; i++) {
		const struct iosim_pgt_table_ref *ref = &pgt->tcache[i];

		if (!ref->virt)
			continue;
		if (!check_linked(chk, ref->phys)) {
			check_report(chk, "level-%d cache names %#llx, no linked table",
				     (int)i + IOSIM_PGT_MIN_LEVEL, (unsigned long long)ref->phys);
			continue;
		}
		if (ref->virt != iosim_pgtable_table_virt(ref->phys) ||
		    ref->page != phys_to_page(ref->phys))
			check_report(chk, "level-%d cache of %#llx disagrees with the linear map",
				     (int)i + IOSIM_PGT_MIN_LEVEL, (unsigned long long)ref->phys);
	}
}

int iosim_pgtable_check(const struct iosim_pgtable *pgt, iosim_pgtable_output_ok_t output_ok,
			void *data)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	struct pgt_checker chk = {
		.pgt = pgt,
		.output_ok = output_ok ? output_ok : check_default_output,
		.data = data,
	};
	unsigned long i;
	int lvl;

	chk.tables = chk.inline_tables;
	chk.max_tables = ARRAY_SIZE(chk.inline_tables);
	if (pgt->pgd) {
		if (page_to_phys(pgt->pgd) != pgt->pgd_phys)
			check_report(&chk, "top table page %#llx and address %#llx disagree",
				     (unsigned long long)page_to_phys(pgt->pgd),
				     (unsigned long long)pgt->pgd_phys);
		else if (check_table_address(&chk, pgt->pgd_phys, cfg->start_level, 0))
			check_table(&chk, pgt->pgd_phys, cfg->start_level, 0);
	}

	/* A table reached twice is shared between two parents (or a cycle). */
	if (chk.nr_tables > 1) {
		sort(chk.tables, chk.nr_tables, sizeof(*chk.tables), check_cmp_phys, NULL);
		for (i = 1; i < chk.nr_tables; i++)
			if (chk.tables[i] == chk.tables[i - 1])
				check_report(&chk, "table at %#llx referenced twice",
					     (unsigned long long)chk.tables[i]);
	}
	check_spares(&chk);
	check_tcache(&chk);
	if (chk.nr_tables != pgt->nr_tables)
		check_report(&chk, "walk found %lu tables, the counter says %lu",
			     chk.nr_tables, pgt->nr_tables);
	for (lvl = IOSIM_PGT_MIN_LEVEL; lvl <= IOSIM_PGT_LEAF_LEVEL; lvl++) {
		unsigned int idx = IOSIM_PGT_LVL_IDX(lvl);

		if (chk.nr_leaves[idx] != pgt->nr_leaves[idx])
			check_report(&chk, "walk found %lu level-%d leaves, the counter says %lu",
				     chk.nr_leaves[idx], lvl, pgt->nr_leaves[idx]);
	}
	if (pgt->budget && atomic64_read(&pgt->budget->used) < (long)pgt->nr_tables)
		check_report(&chk, "budget counts %ld tables in use, this table alone has %lu",
			     atomic64_read(&pgt->budget->used), pgt->nr_tables);

	if (chk.tables != chk.inline_tables)
		kfree(chk.tables);
	return chk.nr_problems ? -EUCLEAN : 0;
}
