// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulated IOMMU's page-table format (lib/fake-iommu/pgtable.c), tested
 * directly for every granule and every page size it allows: levels, the
 * descriptor layout, map/unmap/lookup at every boundary, block splitting,
 * refusals that change nothing, and allocation failures at every table.
 * The tables map arbitrary physical addresses here (nothing is accessed),
 * so the checker accepts any output address.
 */
#include "fiommu_test.h"

#include <linux/mm.h>

#include <iosim/fault.h>
#include <iosim/ram.h>
#include <iosim/warn.h>

#include <stdarg.h>
#include <stdio.h>

/* Output addresses for format tests: far above RAM, below 48 bits. */
#define PHYS_BASE	0x100000000000ULL

struct pgt_fixture {
	struct iosim_pgtable_cfg cfg;
	struct iosim_pgtable pgt;
	struct iosim_pgtable_budget budget;
};

static void pgt_setup(struct pgt_fixture *f, unsigned long granule, unsigned int ias,
		      unsigned long mask)
{
	memset(f, 0, sizeof(*f));
	assert_int_equal(iosim_pgtable_cfg_init(&f->cfg, granule, ias, 48, mask), 0);
	iosim_pgtable_init(&f->pgt, &f->cfg, &f->budget);
}

static void pgt_check(struct pgt_fixture *f)
{
	assert_int_equal(iosim_pgtable_check(&f->pgt, fiommu_any_output, NULL), 0);
}

static void pgt_teardown(struct pgt_fixture *f)
{
	pgt_check(f);
	iosim_pgtable_free(&f->pgt);
	assert_null(f->pgt.pgd);
	assert_int_equal(f->pgt.nr_tables, 0);
	assert_int_equal(f->pgt.nr_spares, 0);
	assert_int_equal(atomic64_read(&f->budget.used), 0);
	assert_int_equal(iosim_pgtable_mapped_bytes(&f->pgt), 0);
}

static void assert_translates(struct pgt_fixture *f, unsigned long iova, phys_addr_t phys)
{
	assert_int_equal(iosim_pgtable_iova_to_phys(&f->pgt, iova), phys);
}

static void assert_unmapped(struct pgt_fixture *f, unsigned long iova)
{
	struct iosim_pgtable_leaf leaf;

	assert_int_equal(iosim_pgtable_lookup(&f->pgt, iova, &leaf), -ENOENT);
	assert_int_equal(iosim_pgtable_iova_to_phys(&f->pgt, iova), 0);
}

/* -- the format's shape ----------------------------------------------------- */

static void test_cfg_levels_follow_granule_and_input_size(void **state)
{
	static const struct {
		unsigned long granule;
		unsigned int ias;
		int start_level;
		unsigned int pgd_bits;
	} cases[] = {
		{ SZ_4K, 48, 0, 9 }, { SZ_4K, 39, 1, 9 }, { SZ_4K, 32, 1, 2 },
		{ SZ_16K, 48, 0, 1 }, { SZ_16K, 47, 1, 11 }, { SZ_16K, 36, 2, 11 },
		{ SZ_64K, 48, 1, 6 }, { SZ_64K, 42, 2, 13 }, { SZ_64K, 32, 2, 3 },
		{ IOSIM_PGT_SMALL_GRANULE, 48, -1, 5 }, { IOSIM_PGT_SMALL_GRANULE, 32, 1, 5 },
	};
	struct iosim_pgtable_cfg cfg;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int top_bits;

		assert_int_equal(iosim_pgtable_cfg_init(&cfg, cases[i].granule, cases[i].ias,
							48, 0), 0);
		assert_int_equal(cfg.start_level, cases[i].start_level);
		assert_int_equal(cfg.pgd_bits, cases[i].pgd_bits);
		/* The levels resolve exactly ias bits. */
		top_bits = iosim_pgt_lvl_shift(&cfg, cfg.start_level) + cfg.pgd_bits;
		assert_int_equal(top_bits, cases[i].ias);
		assert_int_equal(cfg.bits_per_level, cfg.granule_shift - 3);
	}
}

static void test_cfg_rejects_bad_formats(void **state)
{
	struct iosim_pgtable_cfg cfg;

	assert_int_equal(iosim_pgtable_cfg_init(&cfg, SZ_8K, 48, 48, 0), -EINVAL);
	assert_int_equal(iosim_pgtable_cfg_init(&cfg, SZ_4K, 31, 48, 0), -EINVAL);
	assert_int_equal(iosim_pgtable_cfg_init(&cfg, SZ_4K, 49, 48, 0), -EINVAL);
	assert_int_equal(iosim_pgtable_cfg_init(&cfg, SZ_4K, 48, 31, 0), -EINVAL);
	assert_int_equal(iosim_pgtable_cfg_init(&cfg, SZ_4K, 48, 49, 0), -EINVAL);
	/* A mask must keep the granule and stay within the allowed sizes. */
	assert_int_equal(iosim_pgtable_cfg_init(&cfg, SZ_4K, 48, 48, SZ_2M), -EINVAL);
	assert_int_equal(iosim_pgtable_cfg_init(&cfg, SZ_64K, 48, 48, SZ_64K | SZ_1G), -EINVAL);
	assert_int_equal(iosim_pgtable_cfg_init(&cfg, SZ_4K, 48, 48, SZ_4K | SZ_8K), -EINVAL);
}

static void test_supported_sizes_per_granule(void **state)
{
	struct iosim_pgtable_cfg cfg;
	unsigned int m;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		const struct fiommu_mode *mode = &fiommu_modes[m];
		unsigned long want = 0;
		unsigned int s;

		for (s = 0; s < mode->nr_sizes; s++)
			want |= mode->sizes[s];
		assert_int_equal(iosim_pgtable_supported_sizes(mode->granule, 48), want);
		assert_int_equal(iosim_pgtable_cfg_init(&cfg, mode->granule, 48, 48, 0), 0);
		assert_int_equal(cfg.pgsize_bitmap, want);
		assert_int_equal(iosim_pgt_granule(&cfg), mode->granule);
		/* Each block size sits at a block level; the granule at the leaf. */
		assert_int_equal(iosim_pgt_lvl_size(&cfg, IOSIM_PGT_LEAF_LEVEL), mode->granule);
		for (s = 1; s < mode->nr_sizes; s++) {
			int lvl = IOSIM_PGT_LEAF_LEVEL - (int)s;

			assert_int_equal(iosim_pgt_lvl_size(&cfg, lvl), mode->sizes[s]);
			assert_true(iosim_pgt_lvl_has_blocks(&cfg, lvl));
		}
		assert_false(iosim_pgt_lvl_has_blocks(&cfg, IOSIM_PGT_LEAF_LEVEL - (int)s));
		/* Tables take max(granule, PAGE_SIZE) bytes of RAM each. */
		assert_int_equal(PAGE_SIZE << cfg.table_order, max(mode->granule, PAGE_SIZE));
	}
	assert_int_equal(iosim_pgtable_supported_sizes(SZ_32K, 48), 0);
}

/* -- map and lookup ---------------------------------------------------------- */

static void test_map_each_page_size_translates_every_boundary(void **state)
{
	unsigned int m, s;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		const struct fiommu_mode *mode = &fiommu_modes[m];

		for (s = 0; s < mode->nr_sizes; s++) {
			unsigned long size = mode->sizes[s];
			unsigned long iova = 4 * size;
			phys_addr_t phys = PHYS_BASE + 7 * size;
			struct iosim_pgtable_leaf leaf;
			struct pgt_fixture f;

			pgt_setup(&f, mode->granule, 48, 0);
			/* Two neighbours, so every edge is a boundary between mappings. */
			assert_int_equal(iosim_pgtable_map(&f.pgt, iova, phys, size,
							   IOMMU_READ | IOMMU_WRITE), 0);
			assert_int_equal(iosim_pgtable_map(&f.pgt, iova + size, phys + 3 * size,
							   size, IOMMU_READ), 0);
			pgt_check(&f);
			assert_int_equal(fiommu_leaves_of_size(&f.pgt, size), 2);
			assert_int_equal(iosim_pgtable_mapped_bytes(&f.pgt), 2 * size);

			assert_unmapped(&f, iova - 1);
			assert_translates(&f, iova, phys);
			assert_translates(&f, iova + size / 2 + 1, phys + size / 2 + 1);
			assert_translates(&f, iova + size - 1, phys + size - 1);
			assert_translates(&f, iova + size, phys + 3 * size);
			assert_translates(&f, iova + 2 * size - 1, phys + 4 * size - 1);
			assert_unmapped(&f, iova + 2 * size);

			assert_int_equal(iosim_pgtable_lookup(&f.pgt, iova + size - 1, &leaf), 0);
			assert_int_equal(leaf.iova, iova);
			assert_int_equal(leaf.size, size);
			assert_int_equal(leaf.phys, phys);
			assert_int_equal(leaf.prot, IOMMU_READ | IOMMU_WRITE);
			assert_int_equal(iosim_pgtable_lookup(&f.pgt, iova + size, &leaf), 0);
			assert_int_equal(leaf.prot, IOMMU_READ);

			/* Whole-range teardown: back to the top table alone. */
			assert_int_equal(iosim_pgtable_unmap(&f.pgt, iova, 2 * size), 2 * size);
			assert_unmapped(&f, iova);
			assert_unmapped(&f, iova + 2 * size - 1);
			assert_int_equal(f.pgt.nr_tables, 1);
			assert_int_equal(fiommu_leaves_of_size(&f.pgt, size), 0);
			pgt_teardown(&f);
		}
	}
}

static void test_map_descriptor_bits_follow_prot(void **state)
{
	static const struct {
		int prot;
		u64 set, clear;
	} cases[] = {
		{ IOMMU_READ, IOSIM_PTE_S2AP_READ | IOSIM_PTE_MEMATTR_NC,
		  IOSIM_PTE_S2AP_WRITE | IOSIM_PTE_XN },
		{ IOMMU_WRITE, IOSIM_PTE_S2AP_WRITE, IOSIM_PTE_S2AP_READ },
		{ IOMMU_READ | IOMMU_WRITE | IOMMU_NOEXEC, IOSIM_PTE_S2AP_READ |
		  IOSIM_PTE_S2AP_WRITE | IOSIM_PTE_XN, 0 },
		{ IOMMU_READ | IOMMU_CACHE, IOSIM_PTE_MEMATTR_OIWB, IOSIM_PTE_XN },
		{ IOMMU_WRITE | IOMMU_MMIO, IOSIM_PTE_MEMATTR_DEV, IOSIM_PTE_S2AP_READ },
		{ 0, 0, IOSIM_PTE_S2AP_READ | IOSIM_PTE_S2AP_WRITE },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct iosim_pgtable_leaf leaf;
		struct pgt_fixture f;
		unsigned long iova = 0x40000000UL;

		pgt_setup(&f, SZ_4K, 48, 0);
		/* A 4K page and a 2M block carry the same attributes. */
		assert_int_equal(iosim_pgtable_map(&f.pgt, iova, PHYS_BASE, SZ_4K,
						   cases[i].prot), 0);
		assert_int_equal(iosim_pgtable_map(&f.pgt, iova + SZ_2M, PHYS_BASE + SZ_2M, SZ_2M,
						   cases[i].prot), 0);
		pgt_check(&f);

		assert_int_equal(iosim_pgtable_lookup(&f.pgt, iova, &leaf), 0);
		assert_int_equal(leaf.level, 3);
		assert_int_equal(leaf.desc & IOSIM_PTE_TYPE_MASK, IOSIM_PTE_TYPE_PAGE);
		assert_int_equal(leaf.desc & cases[i].set, cases[i].set);
		assert_int_equal(leaf.desc & cases[i].clear, 0);
		assert_true(leaf.desc & IOSIM_PTE_AF);
		assert_int_equal(leaf.desc & IOSIM_PTE_SH_MASK, IOSIM_PTE_SH_IS);
		assert_int_equal(iosim_pte_addr(&f.cfg, leaf.desc), PHYS_BASE);
		assert_int_equal(leaf.prot, cases[i].prot);

		assert_int_equal(iosim_pgtable_lookup(&f.pgt, iova + SZ_2M, &leaf), 0);
		assert_int_equal(leaf.level, 2);
		assert_int_equal(leaf.desc & IOSIM_PTE_TYPE_MASK, IOSIM_PTE_TYPE_BLOCK);
		assert_int_equal(leaf.desc & cases[i].set, cases[i].set);
		assert_int_equal(leaf.desc & cases[i].clear, 0);
		assert_int_equal(leaf.prot, cases[i].prot);
		pgt_teardown(&f);
	}
}

static void test_map_installs_blocks_where_alignment_allows(void **state)
{
	unsigned int m;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		const struct fiommu_mode *mode = &fiommu_modes[m];
		unsigned long g = mode->granule, block = mode->sizes[1];
		/* One granule before a block boundary, to one granule after the next. */
		unsigned long iova = 8 * block - g;
		phys_addr_t phys = PHYS_BASE + 2 * block - g;
		unsigned long size = g + 2 * block + g;
		struct pgt_fixture f;

		pgt_setup(&f, mode->granule, 48, 0);
		assert_int_equal(iosim_pgtable_map(&f.pgt, iova, phys, size, IOMMU_READ), 0);
		pgt_check(&f);
		assert_int_equal(fiommu_leaves_of_size(&f.pgt, g), 2);
		assert_int_equal(fiommu_leaves_of_size(&f.pgt, block), 2);
		assert_int_equal(iosim_pgtable_mapped_bytes(&f.pgt), size);
		assert_translates(&f, iova, phys);
		assert_translates(&f, iova + g, phys + g);
		assert_translates(&f, iova + size - 1, phys + size - 1);
		assert_unmapped(&f, iova + size);
		assert_int_equal(iosim_pgtable_unmap(&f.pgt, iova, size), size);
		pgt_teardown(&f);
	}
}

static void test_map_with_misaligned_phase_uses_granule_pages(void **state)
{
	struct pgt_fixture f;
	unsigned long iova = SZ_2M;

	pgt_setup(&f, SZ_4K, 48, 0);
	/* The output is 4K off a 2M boundary: no block can be used. */
	assert_int_equal(iosim_pgtable_map(&f.pgt, iova, PHYS_BASE + SZ_4K, SZ_2M, IOMMU_READ), 0);
	pgt_check(&f);
	assert_int_equal(fiommu_leaves_of_size(&f.pgt, SZ_4K), 512);
	assert_int_equal(fiommu_leaves_of_size(&f.pgt, SZ_2M), 0);
	assert_translates(&f, iova + SZ_2M - 1, PHYS_BASE + SZ_4K + SZ_2M - 1);
	/* The leaf table is full: unmapping it all frees it and its parents. */
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, iova, SZ_2M), SZ_2M);
	assert_int_equal(f.pgt.nr_tables, 1);
	pgt_teardown(&f);
}

static void test_pgsize_mask_restricts_installed_sizes(void **state)
{
	struct pgt_fixture f;

	pgt_setup(&f, SZ_4K, 48, SZ_4K | SZ_1G);
	assert_int_equal(f.cfg.pgsize_bitmap, SZ_4K | SZ_1G);
	/* 2M is not allowed: an aligned 2M range becomes 512 pages. */
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_2M, PHYS_BASE, SZ_2M, IOMMU_READ), 0);
	assert_int_equal(fiommu_leaves_of_size(&f.pgt, SZ_4K), 512);
	/* 1G is allowed. */
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, PHYS_BASE + SZ_1G, SZ_1G, IOMMU_READ), 0);
	assert_int_equal(fiommu_leaves_of_size(&f.pgt, SZ_1G), 1);
	pgt_check(&f);
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_2M, SZ_2M), SZ_2M);
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_1G, SZ_1G), SZ_1G);
	pgt_teardown(&f);
}

static void test_map_rejects_unaligned_and_out_of_range(void **state)
{
	struct pgt_fixture f;

	pgt_setup(&f, SZ_16K, 40, 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_4K, PHYS_BASE, SZ_16K, IOMMU_READ), -EINVAL);
	assert_warned("not aligned");
	assert_int_equal(iosim_pgtable_map(&f.pgt, 0, PHYS_BASE + SZ_4K, SZ_16K, IOMMU_READ),
			 -EINVAL);
	assert_warned("not aligned");
	assert_int_equal(iosim_pgtable_map(&f.pgt, 0, PHYS_BASE, SZ_4K, IOMMU_READ), -EINVAL);
	assert_warned("not aligned");
	assert_int_equal(iosim_pgtable_map(&f.pgt, 0, PHYS_BASE, 0, IOMMU_READ), -EINVAL);
	assert_warned("not aligned");
	/* The last granule of a 40-bit space maps; one more does not. */
	assert_int_equal(iosim_pgtable_map(&f.pgt, (1UL << 40) - SZ_16K, PHYS_BASE, SZ_16K,
					   IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, (1UL << 40) - SZ_16K, PHYS_BASE, 2 * SZ_16K,
					   IOMMU_READ), -ERANGE);
	assert_warned("input address size");
	assert_int_equal(iosim_pgtable_map(&f.pgt, 1UL << 40, PHYS_BASE, SZ_16K, IOMMU_READ),
			 -ERANGE);
	assert_warned("input address size");
	assert_int_equal(iosim_pgtable_map(&f.pgt, 0, (1ULL << 48) - SZ_16K, 2 * SZ_16K,
					   IOMMU_READ), -ERANGE);
	assert_warned("output address size");
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_4K, SZ_16K), 0);
	assert_warned("not aligned");
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, 1UL << 40, SZ_16K), 0);
	assert_warned("input address size");
	assert_translates(&f, (1UL << 40) - 1, PHYS_BASE + SZ_16K - 1);
	pgt_teardown(&f);
}

static void test_lookup_beyond_input_size_is_erange(void **state)
{
	struct iosim_pgtable_leaf leaf;
	struct pgt_fixture f;

	pgt_setup(&f, SZ_4K, 32, 0);
	assert_int_equal(iosim_pgtable_lookup(&f.pgt, 0, &leaf), -ENOENT);	/* no table yet */
	assert_int_equal(iosim_pgtable_map(&f.pgt, 0, PHYS_BASE, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_lookup(&f.pgt, 1UL << 32, &leaf), -ERANGE);
	assert_int_equal(iosim_pgtable_iova_to_phys(&f.pgt, 1UL << 32), 0);
	/* The index of 4G would wrap to 0 without the check. */
	assert_translates(&f, 0, PHYS_BASE);
	pgt_teardown(&f);
}

static void test_map_over_existing_mapping_is_eexist_and_changes_nothing(void **state)
{
	unsigned int m;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		const struct fiommu_mode *mode = &fiommu_modes[m];
		unsigned long g = mode->granule, block = mode->sizes[1];
		unsigned long base = 16 * block;
		struct fiommu_pgt_snapshot snap;
		struct pgt_fixture f;

		pgt_setup(&f, mode->granule, 48, 0);
		/* A block, and a few pages in the next block's range. */
		assert_int_equal(iosim_pgtable_map(&f.pgt, base, PHYS_BASE, block, IOMMU_READ), 0);
		assert_int_equal(iosim_pgtable_map(&f.pgt, base + block + 4 * g, PHYS_BASE, 2 * g,
						   IOMMU_WRITE), 0);
		fiommu_pgt_snapshot(&f.pgt, &snap);

		/* Inside the block, straddling its start, straddling its end. */
		assert_int_equal(iosim_pgtable_map(&f.pgt, base + g, PHYS_BASE, g, IOMMU_READ),
				 -EEXIST);
		assert_int_equal(iosim_pgtable_map(&f.pgt, base - g, PHYS_BASE, 2 * g, IOMMU_READ),
				 -EEXIST);
		assert_int_equal(iosim_pgtable_map(&f.pgt, base + block - g, PHYS_BASE, 2 * g,
						   IOMMU_READ), -EEXIST);
		/* Exactly over the block; a block over the pages' table. */
		assert_int_equal(iosim_pgtable_map(&f.pgt, base, PHYS_BASE, block, IOMMU_READ),
				 -EEXIST);
		assert_int_equal(iosim_pgtable_map(&f.pgt, base + block, PHYS_BASE, block,
						   IOMMU_READ), -EEXIST);
		/* Ranges whose only overlap is their last, or their first, granule. */
		assert_int_equal(iosim_pgtable_map(&f.pgt, base + block + g, PHYS_BASE, 4 * g,
						   IOMMU_READ), -EEXIST);
		assert_int_equal(iosim_pgtable_map(&f.pgt, base + block + 5 * g, PHYS_BASE, 40 * g,
						   IOMMU_READ), -EEXIST);
		assert_pgt_unchanged(&f.pgt, &snap);
		pgt_check(&f);

		/* Right next to the pages is free. */
		assert_int_equal(iosim_pgtable_map(&f.pgt, base + block + 6 * g, PHYS_BASE, g,
						   IOMMU_READ), 0);
		assert_int_equal(iosim_pgtable_unmap(&f.pgt, base, 2 * block), block);
		assert_int_equal(iosim_pgtable_unmap(&f.pgt, base + block + 4 * g, 3 * g), 3 * g);
		assert_int_equal(f.pgt.nr_tables, 1);
		pgt_teardown(&f);
	}
}

/* -- unmap ------------------------------------------------------------------- */

static void test_unmap_of_unmapped_space_returns_zero(void **state)
{
	struct pgt_fixture f;

	pgt_setup(&f, SZ_64K, 48, 0);
	/* Before any table exists. */
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, 0, SZ_64K), 0);
	assert_int_equal(f.pgt.nr_tables, 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, PHYS_BASE, SZ_64K, IOMMU_READ), 0);
	/* In an empty top-level slot, in the table next to the page, and beyond. */
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, 1UL << 44, SZ_512M), 0);
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_1G + SZ_64K, SZ_64K), 0);
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_1G - SZ_64K, 2 * SZ_64K), 0);
	assert_translates(&f, SZ_1G, PHYS_BASE);
	assert_int_equal(f.pgt.nr_tables, 3);
	pgt_check(&f);
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_1G, SZ_64K), SZ_64K);
	pgt_teardown(&f);
}

static void test_unmap_stops_at_the_first_hole(void **state)
{
	struct pgt_fixture f;

	pgt_setup(&f, SZ_4K, 48, 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, 0x10000, PHYS_BASE, 3 * SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, 0x14000, PHYS_BASE, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, 0x10000, 5 * SZ_4K), 3 * SZ_4K);
	assert_unmapped(&f, 0x12fff);
	assert_translates(&f, 0x14000, PHYS_BASE);
	/* A range that starts in a hole unmaps nothing. */
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, 0x13000, 2 * SZ_4K), 0);
	assert_translates(&f, 0x14000, PHYS_BASE);
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, 0x14000, SZ_4K), SZ_4K);
	pgt_teardown(&f);
}

/*
 * For each mode's largest block: unmap one granule at its start, its end and
 * its middle; the rest keeps translating, through split tables.
 */
static void test_unmap_part_of_a_block_splits_and_keeps_the_rest(void **state)
{
	unsigned int m;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		const struct fiommu_mode *mode = &fiommu_modes[m];
		unsigned long g = mode->granule;
		unsigned long block = mode->sizes[mode->nr_sizes - 1];
		unsigned long iova = 2 * block, mid = iova + block / 2 + 3 * g;
		phys_addr_t phys = PHYS_BASE + 5 * block;
		unsigned long lvl_sizes_below = mode->nr_sizes - 1;
		struct pgt_fixture f;
		unsigned long a;

		pgt_setup(&f, mode->granule, 48, 0);
		assert_int_equal(iosim_pgtable_map(&f.pgt, iova, phys, block,
						   IOMMU_READ | IOMMU_NOEXEC), 0);
		assert_int_equal(f.pgt.nr_splits, 0);

		assert_int_equal(iosim_pgtable_unmap(&f.pgt, iova, g), g);
		pgt_check(&f);
		/* One split per level between the block and the granule. */
		assert_int_equal(f.pgt.nr_splits, lvl_sizes_below);
		assert_int_equal(iosim_pgtable_mapped_bytes(&f.pgt), block - g);
		assert_unmapped(&f, iova);
		assert_unmapped(&f, iova + g - 1);
		assert_translates(&f, iova + g, phys + g);

		assert_int_equal(iosim_pgtable_unmap(&f.pgt, iova + block - g, g), g);
		assert_int_equal(iosim_pgtable_unmap(&f.pgt, mid, g), g);
		pgt_check(&f);
		assert_int_equal(iosim_pgtable_mapped_bytes(&f.pgt), block - 3 * g);
		assert_translates(&f, iova + block - g - 1, phys + block - g - 1);
		assert_unmapped(&f, iova + block - 1);
		assert_unmapped(&f, mid);
		assert_translates(&f, mid - 1, phys + (mid - 1 - iova));
		assert_translates(&f, mid + g, phys + (mid + g - iova));

		/* Attributes survive the split. */
		{
			struct iosim_pgtable_leaf leaf;

			assert_int_equal(iosim_pgtable_lookup(&f.pgt, mid + g, &leaf), 0);
			assert_int_equal(leaf.prot, IOMMU_READ | IOMMU_NOEXEC);
			assert_int_equal(leaf.size, g);
			assert_int_equal(iosim_pgtable_lookup(&f.pgt, iova + block / 4, &leaf), 0);
			assert_int_equal(leaf.size, mode->sizes[mode->nr_sizes - 2]);
		}

		/* Everything else, piece by piece around the holes: no table left. */
		for (a = iova; a < iova + block; ) {
			size_t n = iosim_pgtable_unmap(&f.pgt, a, iova + block - a);

			a += n ? n : g;
		}
		assert_int_equal(iosim_pgtable_mapped_bytes(&f.pgt), 0);
		assert_int_equal(f.pgt.nr_tables, 1);
		pgt_teardown(&f);
	}
}

static void test_unmap_across_blocks_and_pages_splits_only_the_ends(void **state)
{
	struct pgt_fixture f;
	unsigned long iova = SZ_1G;

	pgt_setup(&f, SZ_4K, 48, 0);
	/* 2M of pages, then three 2M blocks. */
	assert_int_equal(iosim_pgtable_map(&f.pgt, iova, PHYS_BASE + SZ_4K, SZ_2M, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, iova + SZ_2M, PHYS_BASE + SZ_2M, 3 * SZ_2M,
					   IOMMU_READ), 0);
	assert_int_equal(fiommu_leaves_of_size(&f.pgt, SZ_2M), 3);
	/* From the middle of the pages to the middle of the last block. */
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, iova + SZ_1M, SZ_1M + 2 * SZ_2M + SZ_1M),
			 SZ_1M + 2 * SZ_2M + SZ_1M);
	pgt_check(&f);
	assert_int_equal(f.pgt.nr_splits, 1);
	assert_int_equal(fiommu_leaves_of_size(&f.pgt, SZ_2M), 0);
	assert_int_equal(fiommu_leaves_of_size(&f.pgt, SZ_4K), 256 + 256);
	assert_translates(&f, iova + SZ_1M - 1, PHYS_BASE + SZ_4K + SZ_1M - 1);
	assert_unmapped(&f, iova + SZ_1M);
	assert_unmapped(&f, iova + 3 * SZ_2M + SZ_1M - 1);
	assert_translates(&f, iova + 3 * SZ_2M + SZ_1M, PHYS_BASE + 3 * SZ_2M + SZ_1M);
	pgt_teardown(&f);
}

static void test_unmap_whole_range_unlinks_every_table_keeping_spares(void **state)
{
	long pages_before = fiommu_live_pages();
	unsigned int m;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		const struct fiommu_mode *mode = &fiommu_modes[m];
		unsigned long g = mode->granule;
		struct pgt_fixture f;
		unsigned long span, iova, i;

		/* Pages in both halves of the input space (16K: two top entries). */
		pgt_setup(&f, mode->granule, 48, 0);
		span = iosim_pgt_lvl_size(&f.cfg, f.cfg.start_level);
		for (i = 0; i < 2; i++) {
			iova = i * span + 17 * g;
			assert_int_equal(iosim_pgtable_map(&f.pgt, iova, PHYS_BASE + i * g, g,
							   IOMMU_READ), 0);
		}
		assert_int_equal(f.pgt.nr_tables,
				 1 + 2 * (IOSIM_PGT_LEAF_LEVEL - f.cfg.start_level));
		assert_int_equal(fiommu_live_pages() - pages_before,
				 (long)f.pgt.nr_tables << f.cfg.table_order);
		pgt_check(&f);
		for (i = 0; i < 2; i++)
			assert_int_equal(iosim_pgtable_unmap(&f.pgt, i * span + 17 * g, g), g);
		assert_int_equal(f.pgt.nr_tables, 1);
		/* Every unlinked table is a spare (while there is room) or freed. */
		assert_int_equal(f.pgt.nr_spares,
				 min(2UL * (IOSIM_PGT_LEAF_LEVEL - f.cfg.start_level),
				     (unsigned long)IOSIM_PGT_MAX_SPARES));
		assert_int_equal(fiommu_live_pages() - pages_before,
				 (long)(f.pgt.nr_tables + f.pgt.nr_spares) << f.cfg.table_order);
		pgt_teardown(&f);
		assert_int_equal(fiommu_live_pages(), pages_before);
	}
}

static void test_free_releases_every_table_of_a_populated_table(void **state)
{
	long pages_before = fiommu_live_pages();
	unsigned int m;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		const struct fiommu_mode *mode = &fiommu_modes[m];
		struct pgt_fixture f;
		unsigned long i;

		pgt_setup(&f, mode->granule, 48, 0);
		for (i = 0; i < 8; i++) {
			unsigned long iova = i * mode->sizes[1] + i * mode->granule;

			assert_int_equal(iosim_pgtable_map(&f.pgt, iova, PHYS_BASE, mode->granule,
							   IOMMU_READ), 0);
		}
		assert_int_equal(iosim_pgtable_map(&f.pgt, 1UL << 40, PHYS_BASE, mode->sizes[1],
						   IOMMU_READ), 0);
		assert_true(fiommu_live_pages() > pages_before);
		/* Teardown with mappings in place. */
		pgt_teardown(&f);
		assert_int_equal(fiommu_live_pages(), pages_before);
	}
}

/* -- failures ------------------------------------------------------------------ */

static void test_first_map_failure_frees_the_top_table(void **state)
{
	struct pgt_fixture f;

	pgt_setup(&f, SZ_4K, 48, 0);
	/* The second table allocation (below the top table) fails. */
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE), 2);
	assert_int_equal(iosim_pgtable_map(&f.pgt, 0, PHYS_BASE, SZ_4K, IOMMU_READ), -ENOMEM);
	assert_int_equal(iosim_fault_injected(), 1);
	assert_null(f.pgt.pgd);
	assert_int_equal(f.pgt.nr_tables, 0);
	assert_int_equal(f.pgt.nr_table_allocs_failed, 1);
	iosim_fault_reset();
	pgt_teardown(&f);
}

/*
 * Sweep every table allocation of one map; each failure changes nothing, the
 * spares and the free pages included.  With @spares, a lone page mapped and
 * unmapped first leaves spare tables, which the map takes before it
 * allocates: a failure must put back exactly as many as it took.
 */
static void sweep_map(const struct fiommu_mode *mode, unsigned int site_mask, bool spares)
{
	unsigned long g = mode->granule, block = mode->sizes[1];
	/* Pages before and after a block, in two top-level entries. */
	struct pgt_fixture f;
	unsigned long iova, size, tables_before, new_tables, spares_taken, points;
	unsigned int spares_before;
	unsigned long n;

	pgt_setup(&f, mode->granule, 48, 0);
	iova = iosim_pgt_lvl_size(&f.cfg, f.cfg.start_level) - block - g;
	size = g + 2 * block + g;
	/* Something already mapped, so the failing map has company. */
	assert_int_equal(iosim_pgtable_map(&f.pgt, 0, PHYS_BASE, g, IOMMU_READ), 0);
	if (spares) {
		/* The last top-level entry: a path of its own below the top table. */
		unsigned long far = (unsigned long)iosim_pgt_input_size(&f.cfg) - g;

		assert_int_equal(iosim_pgtable_map(&f.pgt, far, PHYS_BASE, g, IOMMU_READ), 0);
		assert_int_equal(iosim_pgtable_unmap(&f.pgt, far, g), g);
		assert_int_equal(f.pgt.nr_spares, IOSIM_PGT_LEAF_LEVEL - f.cfg.start_level);
	}
	tables_before = f.pgt.nr_tables;
	spares_before = f.pgt.nr_spares;

	for (n = 1; ; n++) {
		struct fiommu_pgt_snapshot snap;
		int ret;

		fiommu_pgt_snapshot(&f.pgt, &snap);
		iosim_fault_fail_nth(site_mask, n);
		ret = iosim_pgtable_map(&f.pgt, iova, PHYS_BASE + SZ_1G - block - g, size,
					IOMMU_READ);
		if (!iosim_fault_injected()) {
			assert_int_equal(ret, 0);
			break;
		}
		assert_int_equal(ret, -ENOMEM);
		iosim_fault_reset();
		assert_pgt_unchanged(&f.pgt, &snap);
		pgt_check(&f);
	}
	iosim_fault_reset();
	/*
	 * Three or more new tables below the top; each passes the page-table
	 * site, and each not taken from the spares the page allocator's too.
	 */
	new_tables = f.pgt.nr_tables - tables_before;
	spares_taken = spares_before - f.pgt.nr_spares;
	assert_true(new_tables >= 3);
	assert_int_equal(spares_taken, min((unsigned long)spares_before, new_tables));
	points = 0;
	if (site_mask & IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE))
		points += new_tables;
	if (site_mask & IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC))
		points += new_tables - spares_taken;
	assert_int_equal(n, points + 1);
	pgt_check(&f);
	assert_int_equal(iosim_pgtable_mapped_bytes(&f.pgt), size + g);
	pgt_teardown(&f);
}

static void test_map_allocation_failure_sweep_leaves_tables_unchanged(void **state)
{
	unsigned int m;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		sweep_map(&fiommu_modes[m], IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE), false);
		sweep_map(&fiommu_modes[m], IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC), false);
		sweep_map(&fiommu_modes[m], IOSIM_FAULT_ALLOCS, false);
		sweep_map(&fiommu_modes[m], IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE), true);
		sweep_map(&fiommu_modes[m], IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC), true);
		sweep_map(&fiommu_modes[m], IOSIM_FAULT_ALLOCS, true);
	}
}

/*
 * Sweep the splits of an unmap whose both ends lie inside one block: each
 * failure changes nothing.  Each table costs @calls_per_table counted calls.
 */
static void sweep_unmap_split(const struct fiommu_mode *mode, unsigned int site_mask,
			      unsigned long calls_per_table, bool spares)
{
	unsigned long g = mode->granule;
	unsigned long block = mode->sizes[mode->nr_sizes - 1];
	unsigned long iova = block, start = iova + block / 2 - g;
	/*
	 * The block splits once; below it, each end lies in its own entry at
	 * every intermediate level.
	 */
	unsigned long nr_tables = 1 + 2 * (mode->nr_sizes - 2);
	struct pgt_fixture f;
	unsigned long n;

	pgt_setup(&f, mode->granule, 48, 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, iova, PHYS_BASE, block, IOMMU_READ), 0);
	if (spares) {
		/* Spare tables for the splits to take (and to give back on failure). */
		unsigned long far = (unsigned long)iosim_pgt_input_size(&f.cfg) - g;

		assert_int_equal(iosim_pgtable_map(&f.pgt, far, PHYS_BASE, g, IOMMU_READ), 0);
		assert_int_equal(iosim_pgtable_unmap(&f.pgt, far, g), g);
		assert_true(f.pgt.nr_spares > 0);
	}
	for (n = 1; ; n++) {
		struct fiommu_pgt_snapshot snap;
		size_t ret;

		fiommu_pgt_snapshot(&f.pgt, &snap);
		iosim_fault_fail_nth(site_mask, n);
		ret = iosim_pgtable_unmap(&f.pgt, start, 2 * g);
		if (!iosim_fault_injected()) {
			assert_int_equal(ret, 2 * g);
			break;
		}
		assert_int_equal(ret, 0);
		iosim_fault_reset();
		assert_pgt_unchanged(&f.pgt, &snap);
		assert_translates(&f, start, PHYS_BASE + (start - iova));
	}
	iosim_fault_reset();
	assert_int_equal(n, nr_tables * calls_per_table + 1);
	assert_int_equal(f.pgt.nr_splits, nr_tables);
	pgt_check(&f);
	assert_unmapped(&f, start);
	assert_translates(&f, start + 2 * g, PHYS_BASE + (start + 2 * g - iova));
	pgt_teardown(&f);
}

static void test_unmap_split_failure_sweep_leaves_tables_unchanged(void **state)
{
	unsigned int m;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		sweep_unmap_split(&fiommu_modes[m], IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE), 1, false);
		sweep_unmap_split(&fiommu_modes[m], IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC), 1,
				  false);
		/* Both sites at once: each table passes through both. */
		sweep_unmap_split(&fiommu_modes[m], IOSIM_FAULT_ALLOCS, 2, false);
		/* A spare passes fault injection and the budget too, not the page allocator. */
		sweep_unmap_split(&fiommu_modes[m], IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE), 1, true);
	}
}

static void test_table_budget_refuses_tables_and_changes_nothing(void **state)
{
	struct fiommu_pgt_snapshot snap;
	struct pgt_fixture f;

	pgt_setup(&f, SZ_4K, 48, 0);
	f.budget.limit = 4;	/* the top table and one path of three */
	assert_int_equal(iosim_pgtable_map(&f.pgt, 0, PHYS_BASE, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(atomic64_read(&f.budget.used), 4);
	fiommu_pgt_snapshot(&f.pgt, &snap);
	/* Needs a new leaf table: refused. */
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_2M, PHYS_BASE, SZ_4K, IOMMU_READ), -ENOMEM);
	assert_int_equal(atomic64_read(&f.budget.refused), 1);
	assert_pgt_unchanged(&f.pgt, &snap);
	/* A 2M block needs no new table. */
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_2M, PHYS_BASE, SZ_2M, IOMMU_READ), 0);
	/* Splitting it needs one. */
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_2M, SZ_4K), 0);
	assert_int_equal(atomic64_read(&f.budget.refused), 2);
	f.budget.limit = 0;
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_2M, SZ_4K), SZ_4K);
	assert_int_equal(atomic64_read(&f.budget.used), 5);
	pgt_teardown(&f);
}

/* -- the walk and the checker -------------------------------------------------- */

/* The descriptor that holds @iova's leaf (for corrupting tests). */
static u64 *leaf_ptep(struct pgt_fixture *f, unsigned long iova, phys_addr_t *table_out)
{
	const struct iosim_pgtable_cfg *cfg = &f->cfg;
	phys_addr_t table = f->pgt.pgd_phys;
	int lvl;

	for (lvl = cfg->start_level; ; lvl++) {
		u64 *ptep = iosim_pgtable_table_virt(table) + iosim_pgt_lvl_index(cfg, lvl, iova);

		if (!iosim_pte_is_table(cfg, *ptep, lvl)) {
			if (table_out)
				*table_out = table;
			return ptep;
		}
		table = iosim_pte_addr(cfg, *ptep);
	}
}

static void test_lookup_treats_malformed_descriptors_as_faults(void **state)
{
	struct iosim_pgtable_leaf leaf;
	struct pgt_fixture f;
	u64 *ptep, saved;

	pgt_setup(&f, SZ_4K, 48, 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, PHYS_BASE, SZ_4K, IOMMU_READ), 0);
	ptep = leaf_ptep(&f, SZ_1G, NULL);
	saved = *ptep;
	/* 0b01 at level 3 is reserved. */
	*ptep = (saved & ~IOSIM_PTE_TYPE_MASK) | IOSIM_PTE_TYPE_BLOCK;
	assert_int_equal(iosim_pgtable_lookup(&f.pgt, SZ_1G, &leaf), -EILSEQ);
	assert_int_equal(iosim_pgtable_check(&f.pgt, fiommu_any_output, NULL), -EUCLEAN);
	assert_warned("not allowed here");
	*ptep = saved;

	/* A block at level 0 (512G) is not architectural with a 4K granule. */
	ptep = iosim_pgtable_table_virt(f.pgt.pgd_phys) + 1;
	*ptep = (1ULL << 39) | IOSIM_PTE_AF | IOSIM_PTE_SH_IS | IOSIM_PTE_S2AP_READ |
		IOSIM_PTE_MEMATTR_NC | IOSIM_PTE_TYPE_BLOCK;
	assert_int_equal(iosim_pgtable_lookup(&f.pgt, 1UL << 39, &leaf), -EILSEQ);
	*ptep = 0;
	assert_int_equal(iosim_pgtable_lookup(&f.pgt, SZ_1G, &leaf), 0);
	pgt_teardown(&f);
}

/* The same return and leaf from both lookups. */
static void assert_same_lookup(struct pgt_fixture *f, unsigned long iova,
			       struct iosim_pgtable_walk *walk)
{
	struct iosim_pgtable_leaf want, got;
	int ret;

	memset(&want, 0, sizeof(want));
	memset(&got, 0, sizeof(got));
	ret = iosim_pgtable_lookup(&f->pgt, iova, &want);
	assert_int_equal(iosim_pgtable_lookup_walk(&f->pgt, iova, &got, walk), ret);
	assert_memory_equal(&got, &want, sizeof(got));
}

/*
 * A run of lookups continuing one walk cache answers as walks from the top
 * do: leaves of every size, holes, neighbouring and distant leaf tables,
 * addresses beyond the input size; and the cache holds the deepest table
 * the last walk stepped into.
 */
static void test_lookup_walk_answers_as_a_walk_from_the_top(void **state)
{
	unsigned int m, s, i;
	u64 rng = 0x5eed;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		const struct fiommu_mode *mode = &fiommu_modes[m];
		unsigned long granule = mode->granule;
		unsigned long biggest = mode->sizes[mode->nr_sizes - 1];
		unsigned long region = 8 * biggest;	/* several leaf tables */
		struct iosim_pgtable_leaf leaf;
		struct iosim_pgtable_walk walk;
		struct pgt_fixture f;
		unsigned long iova;

		pgt_setup(&f, granule, 48, 0);
		iosim_pgtable_walk_init(&walk);
		assert_int_equal(iosim_pgtable_lookup_walk(&f.pgt, 0, &leaf, &walk), -ENOENT);
		/* Each size once, then granule pages with holes, in each biggest-size slot. */
		for (s = 0; s < mode->nr_sizes; s++)
			assert_int_equal(iosim_pgtable_map(&f.pgt, region + s * biggest,
							   PHYS_BASE + s * biggest, mode->sizes[s],
							   IOMMU_READ), 0);
		for (i = 0; i < 64; i++)
			if (i % 5 != 3)
				assert_int_equal(iosim_pgtable_map(&f.pgt,
								   2 * region + i * granule,
								   PHYS_BASE + i * granule,
								   granule, IOMMU_READ | IOMMU_WRITE), 0);
		/* A page far away, under another top-level descriptor. */
		assert_int_equal(iosim_pgtable_map(&f.pgt, 1UL << 46, PHYS_BASE, granule,
						   IOMMU_WRITE), 0);
		pgt_check(&f);

		iosim_pgtable_walk_init(&walk);
		/* Sequential through the pages and their holes, as a device access goes. */
		for (iova = 2 * region; iova < 2 * region + 70 * granule; iova += granule / 2)
			assert_same_lookup(&f, iova, &walk);
		assert_int_equal(walk.lvl, IOSIM_PGT_LEAF_LEVEL);
		assert_int_equal(walk.span, iosim_pgt_lvl_size(&f.cfg, IOSIM_PGT_LEAF_LEVEL - 1));
		assert_int_equal(walk.base, (2 * region + 69 * granule) & ~(walk.span - 1));
		assert_ptr_equal(walk.table, iosim_pgtable_table_virt(walk.table_phys));
		/* Every size's leaf and its edges, then jumps anywhere. */
		for (s = 0; s < mode->nr_sizes; s++) {
			assert_same_lookup(&f, region + s * biggest, &walk);
			assert_same_lookup(&f, region + s * biggest + mode->sizes[s] - 1, &walk);
			assert_same_lookup(&f, region + s * biggest + mode->sizes[s], &walk);
		}
		for (i = 0; i < 2000; i++) {
			switch (fiommu_rand_below(&rng, 4)) {
			case 0:
				iova = fiommu_rand_below(&rng, 4 * region);
				break;
			case 1:
				iova = (1UL << 46) + fiommu_rand_below(&rng, 2 * granule) - granule;
				break;
			case 2:
				iova = (1UL << 48) - fiommu_rand_below(&rng, 4) * granule;
				break;
			default:
				iova = iova + granule;
				break;
			}
			assert_same_lookup(&f, iova, &walk);
		}
		assert_int_equal(iosim_pgtable_lookup_walk(&f.pgt, 1UL << 48, &leaf, &walk),
				 -ERANGE);
		assert_int_equal(iosim_pgtable_unmap(&f.pgt, 1UL << 46, granule), granule);
		for (s = 0; s < mode->nr_sizes; s++)
			assert_int_equal(iosim_pgtable_unmap(&f.pgt, region + s * biggest,
							     mode->sizes[s]), mode->sizes[s]);
		for (i = 0; i < 64; i++)
			if (i % 5 != 3)
				assert_int_equal(iosim_pgtable_unmap(&f.pgt,
								     2 * region + i * granule,
								     granule), granule);
		pgt_teardown(&f);
	}
}

/* -- spare tables -------------------------------------------------------------- */

static void expect_check_failure(struct pgt_fixture *f, const char *what);

/*
 * A lone page's tables become spares when it is unmapped; mapping it again
 * takes them back without asking the page allocator, and every table
 * allocation still passes fault injection.
 */
static void test_lone_unmap_keeps_tables_as_spares_and_map_takes_them_back(void **state)
{
	long pages_before = fiommu_live_pages();
	unsigned int m;

	for (m = 0; m < FIOMMU_NR_MODES; m++) {
		const struct fiommu_mode *mode = &fiommu_modes[m];
		unsigned long g = mode->granule, below_top;
		unsigned long pgtable_calls, page_calls;
		struct pgt_fixture f;
		long pages_mapped;

		pgt_setup(&f, mode->granule, 48, 0);
		below_top = IOSIM_PGT_LEAF_LEVEL - f.cfg.start_level;
		assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, PHYS_BASE, g, IOMMU_READ), 0);
		assert_int_equal(f.pgt.nr_tables, 1 + below_top);
		assert_int_equal(f.pgt.nr_spares, 0);
		pages_mapped = fiommu_live_pages();

		assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_1G, g), g);
		assert_int_equal(f.pgt.nr_tables, 1);
		assert_int_equal(f.pgt.nr_spares, below_top);
		assert_int_equal(iosim_pgtable_spare_bytes(&f.pgt),
				 (u64)below_top * (PAGE_SIZE << f.cfg.table_order));
		/* The pages stay allocated, as spares. */
		assert_int_equal(fiommu_live_pages(), pages_mapped);
		assert_int_equal(atomic64_read(&f.budget.used), 1);
		pgt_check(&f);

		pgtable_calls = iosim_fault_calls(IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE));
		page_calls = iosim_fault_calls(IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC));
		assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, PHYS_BASE + g, g, IOMMU_READ), 0);
		assert_int_equal(iosim_fault_calls(IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE)),
				 pgtable_calls + below_top);
		assert_int_equal(iosim_fault_calls(IOSIM_FAULT_SITE(IOSIM_FAULT_PAGE_ALLOC)),
				 page_calls);
		assert_int_equal(f.pgt.nr_spares, 0);
		assert_int_equal(f.pgt.nr_tables, 1 + below_top);
		assert_int_equal(fiommu_live_pages(), pages_mapped);
		assert_translates(&f, SZ_1G, PHYS_BASE + g);
		pgt_check(&f);

		/* Teardown frees tables and spares alike. */
		assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_1G, g), g);
		assert_int_equal(f.pgt.nr_spares, below_top);
		pgt_teardown(&f);
		assert_int_equal(fiommu_live_pages(), pages_before);
	}
}

/* More emptied tables than the spares hold: the rest go back to the allocator. */
static void test_spares_are_bounded_and_the_rest_freed(void **state)
{
	long pages_before = fiommu_live_pages();
	struct pgt_fixture f;
	unsigned long i, nr = IOSIM_PGT_MAX_SPARES + 5;

	pgt_setup(&f, SZ_4K, 48, 0);
	/* One page per 2M: a leaf table each, all under one level-2 table. */
	for (i = 0; i < nr; i++)
		assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G + i * SZ_2M, PHYS_BASE, SZ_4K,
						   IOMMU_READ), 0);
	assert_int_equal(f.pgt.nr_tables, 3 + nr);
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_1G, nr * SZ_2M), SZ_4K);
	for (i = 1; i < nr; i++)
		assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_1G + i * SZ_2M, SZ_4K), SZ_4K);
	assert_int_equal(f.pgt.nr_tables, 1);
	assert_int_equal(f.pgt.nr_spares, IOSIM_PGT_MAX_SPARES);
	assert_int_equal(fiommu_live_pages() - pages_before, 1 + IOSIM_PGT_MAX_SPARES);
	pgt_check(&f);
	assert_int_equal(iosim_pgtable_drop_spares(&f.pgt), IOSIM_PGT_MAX_SPARES);
	assert_int_equal(f.pgt.nr_spares, 0);
	assert_int_equal(fiommu_live_pages() - pages_before, 1);
	pgt_check(&f);
	pgt_teardown(&f);
	assert_int_equal(fiommu_live_pages(), pages_before);
}

/* A split table undone after a failure goes back to the spares cleared. */
static void test_undone_split_returns_a_cleared_spare(void **state)
{
	struct fiommu_pgt_snapshot snap;
	struct pgt_fixture f;
	unsigned long far = 1UL << 40;

	pgt_setup(&f, SZ_4K, 48, 0);
	/* A 1G block, and spares from a lone page elsewhere. */
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, PHYS_BASE, SZ_1G, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, far, PHYS_BASE, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, far, SZ_4K), SZ_4K);
	assert_int_equal(f.pgt.nr_spares, 3);
	fiommu_pgt_snapshot(&f.pgt, &snap);
	/* The first split (1G into 2M) takes a spare; the second fails. */
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE), 2);
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, SZ_1G + SZ_4K, SZ_4K), 0);
	assert_int_equal(iosim_fault_injected(), 1);
	iosim_fault_reset();
	assert_pgt_unchanged(&f.pgt, &snap);
	/* The checker finds every spare zeroed, the one that held 512 blocks too. */
	pgt_check(&f);
	assert_translates(&f, SZ_1G + SZ_4K, PHYS_BASE + SZ_4K);
	pgt_teardown(&f);
}

static void test_check_reports_bad_spares(void **state)
{
	struct iosim_pgt_table_ref saved;
	struct pgt_fixture f;
	u64 *spare;

	pgt_setup(&f, SZ_4K, 48, 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, PHYS_BASE, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, 1UL << 40, PHYS_BASE, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, 1UL << 40, SZ_4K), SZ_4K);
	assert_int_equal(f.pgt.nr_spares, 3);
	pgt_check(&f);

	/* A spare with a descriptor left in it. */
	spare = f.pgt.spares[1].virt;
	spare[7] = 0x3;
	expect_check_failure(&f, "not zeroed");
	spare[7] = 0;
	/* A spare that still counts entries. */
	f.pgt.spares[0].page->private = 1;
	expect_check_failure(&f, "counts 1 entries");
	f.pgt.spares[0].page->private = 0;
	/* A spare that is also linked: the top table itself. */
	saved = f.pgt.spares[2];
	f.pgt.spares[2].phys = f.pgt.pgd_phys;
	f.pgt.spares[2].virt = f.pgt.pgd_virt;
	f.pgt.spares[2].page = f.pgt.pgd;
	expect_check_failure(&f, "also a linked table");
	/* Listed twice. */
	f.pgt.spares[2] = f.pgt.spares[0];
	expect_check_failure(&f, "listed twice");
	f.pgt.spares[2] = saved;
	/* A cached conversion that names no linked table. */
	f.pgt.tcache[IOSIM_PGT_LVL_IDX(2)] = f.pgt.spares[0];
	expect_check_failure(&f, "no linked table");
	memset(&f.pgt.tcache[IOSIM_PGT_LVL_IDX(2)], 0, sizeof(f.pgt.tcache[0]));
	pgt_check(&f);
	pgt_teardown(&f);
}

/* Corrupt something, expect the checker to say @what, repair, expect silence. */
static void expect_check_failure(struct pgt_fixture *f, const char *what)
{
	assert_int_equal(iosim_pgtable_check(&f->pgt, fiommu_any_output, NULL), -EUCLEAN);
	assert_warned(what);
}

/*
 * The teardown reads only the used entries of each table; a stray non-zero
 * invalid descriptor (corruption the checker reports) does not end its
 * scan: the leaf and the table after it are freed too.
 */
static void test_free_passes_a_stray_invalid_descriptor(void **state)
{
	long pages_before = fiommu_live_pages();
	struct pgt_fixture f;
	u64 *ptep;

	pgt_setup(&f, SZ_4K, 48, 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, PHYS_BASE, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G + 8 * SZ_4K, PHYS_BASE, SZ_4K,
					   IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, 1UL << 40, PHYS_BASE, SZ_4K, IOMMU_READ), 0);
	ptep = leaf_ptep(&f, SZ_1G, NULL);
	ptep[4] = 0x10;
	iosim_pgtable_free(&f.pgt);
	assert_int_equal(f.pgt.nr_tables, 0);
	assert_int_equal(iosim_pgtable_mapped_bytes(&f.pgt), 0);
	assert_int_equal(atomic64_read(&f.budget.used), 0);
	assert_int_equal(fiommu_live_pages(), pages_before);
}

static void test_check_reports_each_kind_of_corruption(void **state)
{
	struct pgt_fixture f;
	phys_addr_t leaf_table, free_phys;
	u64 *ptep, *pgd, saved;
	struct page *page;

	pgt_setup(&f, SZ_4K, 48, 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, PHYS_BASE, 2 * SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, 1UL << 39, PHYS_BASE, SZ_2M, IOMMU_READ), 0);
	pgt_check(&f);
	ptep = leaf_ptep(&f, SZ_1G, &leaf_table);
	saved = *ptep;

	*ptep = saved | BIT_ULL(57);
	expect_check_failure(&f, "unknown bits");
	*ptep = saved & ~IOSIM_PTE_AF;
	expect_check_failure(&f, "access flag");
	*ptep = (saved & ~IOSIM_PTE_MEMATTR_MASK) | (0x8ULL << IOSIM_PTE_MEMATTR_SHIFT);
	expect_check_failure(&f, "memory attributes");
	*ptep = saved & ~IOSIM_PTE_SH_MASK;
	expect_check_failure(&f, "shareable");
	*ptep = saved;

	/* A stray bit in an invalid descriptor, and a count that lies. */
	ptep[5] = 0x10;
	expect_check_failure(&f, "not zero");
	ptep[5] = 0;
	page = phys_to_page(leaf_table);
	page->private++;
	expect_check_failure(&f, "its count says");
	page->private--;

	/* A misaligned block output, and a counter that disagrees. */
	ptep = leaf_ptep(&f, 1UL << 39, NULL);
	saved = *ptep;
	*ptep = saved + SZ_4K;
	expect_check_failure(&f, "not aligned");
	*ptep = saved;
	f.pgt.nr_leaves[IOSIM_PGT_LVL_IDX(2)]++;
	expect_check_failure(&f, "level-2 leaves");
	f.pgt.nr_leaves[IOSIM_PGT_LVL_IDX(2)]--;

	/* Outside RAM is wrong unless the caller accepts it. */
	assert_int_equal(iosim_pgtable_check(&f.pgt, NULL, NULL), -EUCLEAN);
	assert_warned("outside RAM");

	/* Two parents for one table. */
	pgd = iosim_pgtable_table_virt(f.pgt.pgd_phys);
	pgd[3] = pgd[0];
	phys_to_page(f.pgt.pgd_phys)->private++;
	expect_check_failure(&f, "referenced twice");
	pgd[3] = 0;
	phys_to_page(f.pgt.pgd_phys)->private--;

	/*
	 * A table descriptor that points at a free page: the last frame of RAM
	 * (allocations come from the bottom; the checker's own scratch too).
	 */
	free_phys = iosim_ram_base_phys() + iosim_ram_size() - PAGE_SIZE;
	assert_false(iosim_phys_is_allocated(free_phys));
	pgd[4] = free_phys | IOSIM_PTE_TYPE_TABLE;
	phys_to_page(f.pgt.pgd_phys)->private++;
	expect_check_failure(&f, "free page");
	pgd[4] = (1ULL << 47) | IOSIM_PTE_TYPE_TABLE;
	expect_check_failure(&f, "outside RAM");
	pgd[4] = 0;
	phys_to_page(f.pgt.pgd_phys)->private--;

	pgt_check(&f);
	pgt_teardown(&f);
}

static void test_check_reports_an_empty_table_left_behind(void **state)
{
	struct pgt_fixture f;
	phys_addr_t leaf_table;
	u64 *ptep;

	pgt_setup(&f, SZ_16K, 48, 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, 0, PHYS_BASE, SZ_16K, IOMMU_READ), 0);
	ptep = leaf_ptep(&f, 0, &leaf_table);
	/* Clear the only leaf behind the format's back. */
	*ptep = 0;
	phys_to_page(leaf_table)->private = 0;
	f.pgt.nr_leaves[IOSIM_PGT_LVL_IDX(3)] = 0;
	expect_check_failure(&f, "empty but not freed");
	/* Teardown frees whatever is reachable, empty or not. */
	iosim_pgtable_free(&f.pgt);
	assert_int_equal(f.pgt.nr_tables, 0);
}

/*
 * A table descriptor whose address is not aligned to a table: the small-page
 * granule (2K) is finer than the page a table occupies, so such an address
 * fits the descriptor.  The checker reports it and does not follow it.
 */
static void test_check_reports_a_misaligned_table_address(void **state)
{
	struct pgt_fixture f;
	u64 *pgd, saved;
	unsigned long idx;

	pgt_setup(&f, IOSIM_PGT_SMALL_GRANULE, 48, 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, PHYS_BASE, IOSIM_PGT_SMALL_GRANULE,
					   IOMMU_READ), 0);
	pgt_check(&f);
	pgd = iosim_pgtable_table_virt(f.pgt.pgd_phys);
	idx = iosim_pgt_lvl_index(&f.cfg, f.cfg.start_level, SZ_1G);
	saved = pgd[idx];
	assert_true(iosim_pte_is_table(&f.cfg, saved, f.cfg.start_level));
	assert_true(PAGE_SIZE > IOSIM_PGT_SMALL_GRANULE);

	pgd[idx] = saved + IOSIM_PGT_SMALL_GRANULE;
	expect_check_failure(&f, "is not aligned to");
	pgd[idx] = saved;
	pgt_check(&f);
	assert_translates(&f, SZ_1G, PHYS_BASE);
	pgt_teardown(&f);
}

/*
 * A leaf whose output runs past the output address size is reported even
 * when the caller accepts any output; one that ends exactly at the limit is
 * not.
 */
static void test_check_reports_an_output_beyond_the_output_size(void **state)
{
	u64 addr_field = IOSIM_PTE_ADDR_BITS & ~(u64)(SZ_4K - 1);
	const unsigned int oas = 40;
	struct pgt_fixture f;
	u64 *ptep, saved;

	memset(&f, 0, sizeof(f));
	assert_int_equal(iosim_pgtable_cfg_init(&f.cfg, SZ_4K, 48, oas, 0), 0);
	iosim_pgtable_init(&f.pgt, &f.cfg, &f.budget);
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, SZ_1G, SZ_4K, IOMMU_READ), 0);
	pgt_check(&f);
	ptep = leaf_ptep(&f, SZ_1G, NULL);
	saved = *ptep;

	/* The last granule below 1 << oas is still a valid output. */
	*ptep = (saved & ~addr_field) | ((1ULL << oas) - SZ_4K);
	pgt_check(&f);
	*ptep = (saved & ~addr_field) | (1ULL << oas);
	expect_check_failure(&f, "beyond 40 bits");
	*ptep = saved;
	pgt_check(&f);
	pgt_teardown(&f);
}

/* Expect the checker to fail with exactly @fmt's report among its WARNs. */
static void __attribute__((format(printf, 2, 3)))
expect_check_report(struct pgt_fixture *f, const char *fmt, ...)
{
	char what[IOSIM_WARN_MSG_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	expect_check_failure(f, what);
}

/*
 * Each corruption of a table descriptor, of the top table's remembered
 * addresses or of the counters is reported by its own message, and the
 * checker is silent again once it is repaired.
 */
static void test_check_reports_corrupt_table_links_and_counters(void **state)
{
	unsigned long nr_tables;
	phys_addr_t leaf_table, pgd_phys;
	struct pgt_fixture f;
	u64 *pgd, *pgd_virt, saved;
	u64 dummy = 0;

	pgt_setup(&f, SZ_4K, 48, 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, PHYS_BASE, 2 * SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, 1UL << 39, PHYS_BASE, SZ_2M, IOMMU_READ), 0);
	pgt_check(&f);
	nr_tables = f.pgt.nr_tables;
	assert_int_equal(nr_tables, 6);
	assert_int_equal(atomic64_read(&f.budget.used), nr_tables);
	leaf_ptep(&f, SZ_1G, &leaf_table);
	pgd = iosim_pgtable_table_virt(f.pgt.pgd_phys);
	saved = pgd[0];
	assert_true(iosim_pte_is_table(&f.cfg, saved, f.cfg.start_level));

	/* An attribute bit in a table descriptor (the walk still follows it). */
	pgd[0] = saved | IOSIM_PTE_XN;
	expect_check_report(&f, "table descriptor %#llx for iova 0 has attribute bits",
			    (unsigned long long)(saved | IOSIM_PTE_XN));
	assert_translates(&f, SZ_1G, PHYS_BASE);
	pgd[0] = saved;

	/* More tables linked than counted: the walk stops at the counter. */
	f.pgt.nr_tables = nr_tables - 1;
	expect_check_report(&f, "more tables reachable than the %lu allocated", nr_tables - 1);
	/* Fewer linked than counted. */
	f.pgt.nr_tables = nr_tables + 1;
	expect_check_report(&f, "walk found %lu tables, the counter says %lu", nr_tables,
			    nr_tables + 1);
	f.pgt.nr_tables = nr_tables;
	pgt_check(&f);

	/* The budget holds fewer tables than this page table has alone. */
	atomic64_add(-1, &f.budget.used);
	expect_check_report(&f, "budget counts %lu tables in use, this table alone has %lu",
			    nr_tables - 1, nr_tables);
	atomic64_add(1, &f.budget.used);

	/* The top table's page and address disagree: nothing is walked. */
	pgd_phys = f.pgt.pgd_phys;
	f.pgt.pgd_phys = leaf_table;
	expect_check_report(&f, "top table page %#llx and address %#llx disagree",
			    (unsigned long long)pgd_phys, (unsigned long long)leaf_table);
	f.pgt.pgd_phys = pgd_phys;

	/* The top table's remembered linear-map address is wrong. */
	pgd_virt = f.pgt.pgd_virt;
	f.pgt.pgd_virt = pgd_virt + 1;
	expect_check_failure(&f, "top table's remembered address");
	f.pgt.pgd_virt = pgd_virt;
	pgt_check(&f);
	pgt_teardown(&f);

	/* Without a top table, a remembered address is wrong too. */
	f.pgt.pgd_virt = &dummy;
	expect_check_failure(&f, "top table's remembered address");
	f.pgt.pgd_virt = NULL;
	pgt_check(&f);
}

/*
 * The spare-table bookkeeping: a count or cap out of range, a stale slot
 * past the count, a spare that is no allocated aligned table, and a spare
 * whose remembered address or page disagrees with the linear map.
 */
static void test_check_reports_bad_spare_bookkeeping(void **state)
{
	struct iosim_pgt_table_ref saved;
	phys_addr_t free_phys;
	struct pgt_fixture f;

	pgt_setup(&f, SZ_4K, 48, 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, SZ_1G, PHYS_BASE, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_map(&f.pgt, 1UL << 40, PHYS_BASE, SZ_4K, IOMMU_READ), 0);
	assert_int_equal(iosim_pgtable_unmap(&f.pgt, 1UL << 40, SZ_4K), SZ_4K);
	assert_int_equal(f.pgt.nr_spares, 3);
	assert_int_equal(f.pgt.spare_cap, IOSIM_PGT_MAX_SPARES);
	pgt_check(&f);

	/* A cap left lowered by an operation, and more spares than there is room for. */
	f.pgt.spare_cap = IOSIM_PGT_MAX_SPARES - 1;
	expect_check_report(&f, "3 spare tables (at most %u), cap %u between operations",
			    IOSIM_PGT_MAX_SPARES, IOSIM_PGT_MAX_SPARES - 1);
	f.pgt.spare_cap = IOSIM_PGT_MAX_SPARES;
	f.pgt.nr_spares = IOSIM_PGT_MAX_SPARES + 1;
	expect_check_report(&f, "%u spare tables (at most %u)", IOSIM_PGT_MAX_SPARES + 1,
			    IOSIM_PGT_MAX_SPARES);
	/* A count that forgets the last spare: its slot is not empty. */
	f.pgt.nr_spares = 2;
	expect_check_failure(&f, "spare slot 2 past the 2 spares is not empty");
	f.pgt.nr_spares = 3;
	pgt_check(&f);

	/* A spare that is not an aligned, allocated table in RAM. */
	saved = f.pgt.spares[0];
	f.pgt.spares[0].phys = saved.phys + 8;
	expect_check_report(&f, "spare 0 at %#llx is not an allocated, aligned table",
			    (unsigned long long)saved.phys + 8);
	free_phys = iosim_ram_base_phys() + iosim_ram_size() - PAGE_SIZE;
	assert_false(iosim_phys_is_allocated(free_phys));
	f.pgt.spares[0].phys = free_phys;
	expect_check_report(&f, "spare 0 at %#llx is not an allocated, aligned table",
			    (unsigned long long)free_phys);
	f.pgt.spares[0].phys = 1ULL << 47;
	expect_check_report(&f, "spare 0 at %#llx is not an allocated, aligned table",
			    1ULL << 47);
	f.pgt.spares[0] = saved;

	/* A spare whose remembered address, or page, is another table's. */
	saved = f.pgt.spares[1];
	f.pgt.spares[1].virt = f.pgt.spares[2].virt;
	expect_check_report(&f, "spare 1 at %#llx disagrees with the linear map",
			    (unsigned long long)saved.phys);
	f.pgt.spares[1].virt = saved.virt;
	f.pgt.spares[1].page = f.pgt.spares[2].page;
	expect_check_report(&f, "spare 1 at %#llx disagrees with the linear map",
			    (unsigned long long)saved.phys);
	f.pgt.spares[1] = saved;
	pgt_check(&f);
	pgt_teardown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM(test_cfg_levels_follow_granule_and_input_size),
		IOSIM_TEST_RAM(test_cfg_rejects_bad_formats),
		IOSIM_TEST_RAM(test_supported_sizes_per_granule),
		IOSIM_TEST_RAM(test_map_each_page_size_translates_every_boundary),
		IOSIM_TEST_RAM(test_map_descriptor_bits_follow_prot),
		IOSIM_TEST_RAM(test_map_installs_blocks_where_alignment_allows),
		IOSIM_TEST_RAM(test_map_with_misaligned_phase_uses_granule_pages),
		IOSIM_TEST_RAM(test_pgsize_mask_restricts_installed_sizes),
		IOSIM_TEST_RAM(test_map_rejects_unaligned_and_out_of_range),
		IOSIM_TEST_RAM(test_lookup_beyond_input_size_is_erange),
		IOSIM_TEST_RAM(test_map_over_existing_mapping_is_eexist_and_changes_nothing),
		IOSIM_TEST_RAM(test_unmap_of_unmapped_space_returns_zero),
		IOSIM_TEST_RAM(test_unmap_stops_at_the_first_hole),
		IOSIM_TEST_RAM(test_unmap_part_of_a_block_splits_and_keeps_the_rest),
		IOSIM_TEST_RAM(test_unmap_across_blocks_and_pages_splits_only_the_ends),
		IOSIM_TEST_RAM(test_unmap_whole_range_unlinks_every_table_keeping_spares),
		IOSIM_TEST_RAM(test_free_releases_every_table_of_a_populated_table),
		IOSIM_TEST_RAM(test_free_passes_a_stray_invalid_descriptor),
		IOSIM_TEST_RAM(test_first_map_failure_frees_the_top_table),
		IOSIM_TEST_RAM(test_map_allocation_failure_sweep_leaves_tables_unchanged),
		IOSIM_TEST_RAM(test_unmap_split_failure_sweep_leaves_tables_unchanged),
		IOSIM_TEST_RAM(test_table_budget_refuses_tables_and_changes_nothing),
		IOSIM_TEST_RAM(test_lookup_treats_malformed_descriptors_as_faults),
		IOSIM_TEST_RAM(test_lookup_walk_answers_as_a_walk_from_the_top),
		IOSIM_TEST_RAM(test_check_reports_each_kind_of_corruption),
		IOSIM_TEST_RAM(test_check_reports_an_empty_table_left_behind),
		IOSIM_TEST_RAM(test_lone_unmap_keeps_tables_as_spares_and_map_takes_them_back),
		IOSIM_TEST_RAM(test_spares_are_bounded_and_the_rest_freed),
		IOSIM_TEST_RAM(test_undone_split_returns_a_cleared_spare),
		IOSIM_TEST_RAM(test_check_reports_bad_spares),
		IOSIM_TEST_RAM(test_check_reports_a_misaligned_table_address),
		IOSIM_TEST_RAM(test_check_reports_an_output_beyond_the_output_size),
		IOSIM_TEST_RAM(test_check_reports_corrupt_table_links_and_counters),
		IOSIM_TEST_RAM(test_check_reports_bad_spare_bookkeeping),
	};

	return cmocka_run_group_tests_name("fake-iommu pgtable", tests, NULL, NULL);
}
