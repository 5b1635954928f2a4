// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * iommu_map(), iommu_unmap() and iommu_iova_to_phys() through the mock
 * driver: how ranges are split into page sizes, what reaches the driver,
 * rollback, and every refusal.
 */
#include "mock_iommu.h"

#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/sizes.h>

#include <iosim/iommu_core.h>
#include <iosim/log.h>

#define RW	(IOMMU_READ | IOMMU_WRITE)

/* Bases aligned to every page size used here, above 4 GiB. */
#define IOVA_BASE	0x100000000UL
#define PHYS_BASE	0x880000000ULL

/*
 * The reference splitter: the largest supported page that fits the rest of
 * the range and to which both addresses are aligned.  Written the slow,
 * obvious way, independently of the core's bit tricks.
 */
static size_t ref_pgsize(unsigned long bitmap, unsigned long iova, phys_addr_t paddr, size_t left)
{
	size_t best = 0;
	unsigned int bit;

	for (bit = 0; bit < BITS_PER_LONG; bit++) {
		size_t pg = 1UL << bit;

		if (!(bitmap & pg))
			continue;
		if (pg > left)
			break;
		if (iova % pg || paddr % pg)
			continue;
		best = pg;
	}
	return best;
}

/*
 * Number of driver calls the reference expects (counting stops past @limit);
 * 0 if it cannot split.
 */
static unsigned int ref_nr_calls(unsigned long bitmap, unsigned long iova, phys_addr_t paddr,
				 size_t size, unsigned int limit)
{
	unsigned int n = 0;

	while (size && n <= limit) {
		size_t pg = ref_pgsize(bitmap, iova, paddr, size);

		if (!pg)
			return 0;
		iova += pg;
		paddr += pg;
		size -= pg;
		n++;
	}
	return n;
}

/* The recorded map calls are exactly the reference split, in order. */
static void assert_map_calls_match_reference(unsigned long iova, phys_addr_t paddr, size_t size)
{
	unsigned long bitmap = mock.ops.pgsize_bitmap;
	unsigned int n = 0;

	while (size) {
		size_t pg = ref_pgsize(bitmap, iova, paddr, size);
		const struct mock_call *call = mock_nth_call(MOCK_MAP, n);

		assert_non_null(call);
		if (call->iova != iova || call->paddr != paddr || call->size != pg)
			fail_msg("map call %u: got iova 0x%lx pa 0x%llx size 0x%zx, "
				 "expected iova 0x%lx pa 0x%llx size 0x%zx", n, call->iova,
				 (unsigned long long)call->paddr, call->size, iova,
				 (unsigned long long)paddr, pg);
		iova += pg;
		paddr += pg;
		size -= pg;
		n++;
	}
	assert_int_equal(mock_calls(MOCK_MAP), n);
}

struct expected_call {
	unsigned long iova;
	phys_addr_t paddr;
	size_t size;
};

static void assert_map_calls(const struct expected_call *exp, unsigned int nr)
{
	unsigned int i;

	assert_int_equal(mock_calls(MOCK_MAP), nr);
	for (i = 0; i < nr; i++) {
		const struct mock_call *call = mock_nth_call(MOCK_MAP, i);

		assert_non_null(call);
		assert_int_equal(call->iova, exp[i].iova);
		assert_int_equal(call->paddr, exp[i].paddr);
		assert_int_equal(call->size, exp[i].size);
		assert_int_equal(call->prot, RW);
	}
}

static struct iommu_domain *new_domain(void)
{
	struct iommu_domain *domain = mock_domain_new(IOMMU_DOMAIN_UNMANAGED);

	assert_non_null(domain);
	return domain;
}

static void test_map_splits_into_1g_2m_and_4k_pages(void **state)
{
	struct iommu_domain *domain = new_domain();
	const struct expected_call exp[] = {
		{ IOVA_BASE, PHYS_BASE, SZ_1G },
		{ IOVA_BASE + SZ_1G, PHYS_BASE + SZ_1G, SZ_2M },
		{ IOVA_BASE + SZ_1G + SZ_2M, PHYS_BASE + SZ_1G + SZ_2M, SZ_4K },
	};

	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_1G + SZ_2M + SZ_4K, RW), 0);
	assert_map_calls(exp, ARRAY_SIZE(exp));
	assert_int_equal(mock_mapped_bytes(domain), SZ_1G + SZ_2M + SZ_4K);
	assert_int_equal(iommu_iova_to_phys(domain, IOVA_BASE + SZ_1G + 0x123456),
			 PHYS_BASE + SZ_1G + 0x123456);

	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_1G + SZ_2M + SZ_4K),
			 SZ_1G + SZ_2M + SZ_4K);
	assert_int_equal(mock_mapped_bytes(domain), 0);
	iommu_domain_free(domain);
}

static void test_map_uses_small_pages_up_to_a_block_boundary(void **state)
{
	struct iommu_domain *domain = new_domain();
	/* 4K before the 2M boundary, one 2M block, one 4K after. */
	unsigned long iova = IOVA_BASE + SZ_2M - SZ_4K;
	phys_addr_t paddr = PHYS_BASE + SZ_4M - SZ_4K;
	const struct expected_call exp[] = {
		{ iova, paddr, SZ_4K },
		{ iova + SZ_4K, paddr + SZ_4K, SZ_2M },
		{ iova + SZ_4K + SZ_2M, paddr + SZ_4K + SZ_2M, SZ_4K },
	};

	assert_int_equal(iommu_map(domain, iova, paddr, SZ_2M + SZ_8K, RW), 0);
	assert_map_calls(exp, ARRAY_SIZE(exp));
	assert_int_equal(iommu_unmap(domain, iova, SZ_2M + SZ_8K), SZ_2M + SZ_8K);
	iommu_domain_free(domain);
}

static void test_map_differently_aligned_addresses_use_small_pages(void **state)
{
	struct iommu_domain *domain = new_domain();
	unsigned int i;

	/* iova is 2M-aligned but paddr only 4K-aligned: no block can be used. */
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE + SZ_4K, SZ_2M, RW), 0);
	assert_int_equal(mock_calls(MOCK_MAP), SZ_2M / SZ_4K);
	for (i = 0; i < SZ_2M / SZ_4K; i++)
		assert_int_equal(mock_nth_call(MOCK_MAP, i)->size, SZ_4K);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_2M), SZ_2M);

	/* 1G-aligned iova, 2M-aligned paddr: 2M blocks, never 1G. */
	mock_clear_calls();
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE + SZ_2M, SZ_1G, RW), 0);
	assert_int_equal(mock_calls(MOCK_MAP), SZ_1G / SZ_2M);
	assert_int_equal(mock_nth_call(MOCK_MAP, 0)->size, SZ_2M);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_1G), SZ_1G);
	iommu_domain_free(domain);
}

static void test_map_with_64k_pages_fills_up_to_2m(void **state)
{
	struct iommu_domain *domain;
	unsigned long iova = IOVA_BASE + SZ_2M - SZ_64K - SZ_4K;
	phys_addr_t paddr = PHYS_BASE + SZ_2M - SZ_64K - SZ_4K;
	const struct expected_call exp[] = {
		{ iova, paddr, SZ_4K },
		{ iova + SZ_4K, paddr + SZ_4K, SZ_64K },
		{ iova + SZ_4K + SZ_64K, paddr + SZ_4K + SZ_64K, SZ_2M },
		{ iova + SZ_4K + SZ_64K + SZ_2M, paddr + SZ_4K + SZ_64K + SZ_2M, SZ_64K },
		{ iova + SZ_4K + 2 * SZ_64K + SZ_2M, paddr + SZ_4K + 2 * SZ_64K + SZ_2M, SZ_4K },
	};

	mock_reset(MOCK_BITMAP_4K_64K_2M);
	domain = new_domain();
	assert_int_equal(iommu_map(domain, iova, paddr, SZ_2M + 2 * SZ_64K + SZ_8K, RW), 0);
	assert_map_calls(exp, ARRAY_SIZE(exp));
	assert_int_equal(iommu_unmap(domain, iova, SZ_2M + 2 * SZ_64K + SZ_8K),
			 SZ_2M + 2 * SZ_64K + SZ_8K);
	iommu_domain_free(domain);
}

static void test_map_with_2k_granule_below_page_size(void **state)
{
	struct iommu_domain *domain;
	const struct expected_call exp[] = {
		{ IOVA_BASE + SZ_2K, PHYS_BASE + SZ_2K, SZ_2K },
		{ IOVA_BASE + SZ_4K, PHYS_BASE + SZ_4K, SZ_4K },
		{ IOVA_BASE + SZ_8K, PHYS_BASE + SZ_8K, SZ_2K },
	};

	mock_reset(MOCK_BITMAP_2K_4K);
	domain = new_domain();
	assert_int_equal(iommu_map(domain, IOVA_BASE + SZ_2K, PHYS_BASE + SZ_2K, SZ_8K, RW), 0);
	assert_map_calls(exp, ARRAY_SIZE(exp));
	/* 2K-aligned is enough; 1K is not. */
	assert_int_equal(iommu_map(domain, IOVA_BASE + SZ_64K + SZ_1K, PHYS_BASE, SZ_2K, RW),
			 -EINVAL);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE + SZ_2K, SZ_8K), SZ_8K);
	iommu_domain_free(domain);
}

static void test_map_with_sparse_bitmap_skips_missing_sizes(void **state)
{
	struct iommu_domain *domain;

	/* 4K and 1G only: a 2M-aligned range must use 4K pages. */
	mock_reset(SZ_4K | SZ_1G);
	domain = new_domain();
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_1G + SZ_2M, RW), 0);
	assert_int_equal(mock_calls(MOCK_MAP), 1 + SZ_2M / SZ_4K);
	assert_int_equal(mock_nth_call(MOCK_MAP, 0)->size, SZ_1G);
	assert_int_equal(mock_nth_call(MOCK_MAP, 1)->size, SZ_4K);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_1G + SZ_2M), SZ_1G + SZ_2M);
	iommu_domain_free(domain);
}

/*
 * Map, compare the driver calls with the reference split, unmap.
 * Return: false if the combination was skipped (too many calls to be quick).
 */
static bool check_one_split(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr,
			    size_t size)
{
	unsigned long bitmap = mock.ops.pgsize_bitmap, granule = bitmap & -bitmap;
	unsigned int nr = ref_nr_calls(bitmap, iova, paddr, size, 64);

	/* Keep the runtime sane: small pages over 1G are slow. */
	if (nr == 0 || nr > 64)
		return false;

	mock_clear_calls();
	assert_int_equal(iommu_map(domain, iova, paddr, size, RW), 0);
	assert_map_calls_match_reference(iova, paddr, size);
	assert_int_equal(mock_mapped_bytes(domain), size);
	assert_int_equal(iommu_iova_to_phys(domain, iova + size - granule),
			 paddr + size - granule);
	assert_int_equal(iommu_unmap(domain, iova, size), size);
	assert_int_equal(mock_mapped_bytes(domain), 0);
	return true;
}

/* Every combination of iova/paddr offset and size, for each bitmap. */
static void test_map_split_matches_reference_for_every_alignment(void **state)
{
	static const unsigned long bitmaps[] = {
		MOCK_BITMAP_4K_2M_1G, MOCK_BITMAP_4K_64K_2M, MOCK_BITMAP_2K_4K,
	};
	static const unsigned long offsets[] = {
		0, SZ_2K, SZ_4K, SZ_8K, SZ_64K - SZ_4K, SZ_64K, SZ_64K + SZ_2K, SZ_2M - SZ_64K,
		SZ_2M - SZ_4K, SZ_2M, SZ_2M + SZ_64K, SZ_1G - SZ_2M, SZ_1G - SZ_4K, SZ_1G,
	};
	static const size_t sizes[] = {
		SZ_2K, SZ_4K, SZ_8K + SZ_2K, SZ_64K, SZ_64K + SZ_4K, SZ_128K, SZ_2M, SZ_2M + SZ_4K,
		SZ_2M + SZ_64K + SZ_2K, SZ_4M, SZ_1G, SZ_1G + SZ_2M + SZ_4K,
	};
	unsigned int b, i, p, s, combos = 0;

	for (b = 0; b < ARRAY_SIZE(bitmaps); b++) {
		unsigned long granule = bitmaps[b] & -bitmaps[b];
		struct iommu_domain *domain;

		mock_reset(bitmaps[b]);
		domain = new_domain();
		for (i = 0; i < ARRAY_SIZE(offsets); i++) {
			for (p = 0; p < ARRAY_SIZE(offsets); p++) {
				for (s = 0; s < ARRAY_SIZE(sizes); s++) {
					if ((offsets[i] | offsets[p] | sizes[s]) % granule)
						continue;
					combos += check_one_split(domain, IOVA_BASE + offsets[i],
								  PHYS_BASE + offsets[p], sizes[s]);
				}
			}
		}
		iommu_domain_free(domain);
	}
	/* The loops must really have exercised something. */
	assert_true(combos > 500);
}

static void test_map_rejects_unaligned_arguments_without_calling_driver(void **state)
{
	struct iommu_domain *domain = new_domain();

	iosim_log_reset();
	assert_int_equal(iommu_map(domain, IOVA_BASE + 0x800, PHYS_BASE, SZ_4K, RW), -EINVAL);
	assert_true(iosim_log_seen("unaligned"));
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE + 0x10, SZ_4K, RW), -EINVAL);
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_4K + 1, RW), -EINVAL);
	/* Unaligned beats "no access": the arguments are checked first. */
	assert_int_equal(iommu_map(domain, IOVA_BASE + 1, PHYS_BASE, SZ_4K, 0), -EINVAL);
	assert_int_equal(mock_calls(MOCK_MAP), 0);
	assert_int_equal(mock_mapped_bytes(domain), 0);
	iommu_domain_free(domain);
}

static void test_map_rejects_range_that_wraps(void **state)
{
	struct iommu_domain *domain = new_domain();
	unsigned long top = ~0UL - SZ_4K + 1;

	iosim_log_reset();
	assert_int_equal(iommu_map(domain, top, PHYS_BASE, SZ_8K, RW), -EINVAL);
	assert_true(iosim_log_seen("wraps"));
	assert_int_equal(iommu_map(domain, IOVA_BASE, (phys_addr_t)top, SZ_8K, RW), -EINVAL);
	/* The very last page is fine. */
	assert_int_equal(iommu_map(domain, top, PHYS_BASE, SZ_4K, RW), 0);
	assert_int_equal(iommu_unmap(domain, top, SZ_4K), SZ_4K);
	assert_int_equal(mock_calls(MOCK_MAP), 1);
	iommu_domain_free(domain);
}

static void test_map_of_zero_bytes_succeeds_and_maps_nothing(void **state)
{
	struct iommu_domain *domain = new_domain();

	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, 0, RW), 0);
	assert_int_equal(mock_calls(MOCK_MAP), 0);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, 0), 0);
	assert_int_equal(mock_calls(MOCK_UNMAP), 0);
	iommu_domain_free(domain);
}

static void test_map_without_read_or_write_maps_nothing(void **state)
{
	struct iommu_domain *domain = new_domain();

	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_2M, 0), 0);
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_2M, IOMMU_CACHE), 0);
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_2M,
				   IOMMU_NOEXEC | IOMMU_MMIO), 0);
	assert_int_equal(mock_calls(MOCK_MAP), 0);
	assert_int_equal(iommu_iova_to_phys(domain, IOVA_BASE), 0);

	/* One permission is enough to map. */
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_4K, IOMMU_WRITE), 0);
	assert_int_equal(mock_calls(MOCK_MAP), 1);
	assert_int_equal(mock_nth_call(MOCK_MAP, 0)->prot, IOMMU_WRITE);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_4K), SZ_4K);
	iommu_domain_free(domain);
}

static void test_map_passes_prot_through(void **state)
{
	struct iommu_domain *domain = new_domain();
	int prot = IOMMU_READ | IOMMU_CACHE | IOMMU_NOEXEC;
	int got;

	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_2M, prot), 0);
	assert_true(mock_lookup(domain, IOVA_BASE + SZ_4K, NULL, &got));
	assert_int_equal(got, prot);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_2M), SZ_2M);
	iommu_domain_free(domain);
}

static void test_map_failure_in_driver_rolls_back_everything(void **state)
{
	struct iommu_domain *domain = new_domain();
	unsigned long iova = IOVA_BASE + SZ_2M - SZ_8K;
	phys_addr_t paddr = PHYS_BASE + SZ_2M - SZ_8K;
	const struct mock_call *unmap;

	/* Split: 4K, 4K, 2M, 4K; the 2M block (third call) fails. */
	mock.map_fail_at = 3;
	mock.map_fail_errno = -ENOSPC;
	assert_int_equal(iommu_map(domain, iova, paddr, SZ_2M + SZ_8K + SZ_4K, RW), -ENOSPC);
	assert_int_equal(mock_calls(MOCK_MAP), 3);
	assert_int_equal(mock_mapped_bytes(domain), 0);

	/* The rollback unmapped exactly what had been mapped. */
	assert_int_equal(mock_calls(MOCK_UNMAP), 2);
	unmap = mock_nth_call(MOCK_UNMAP, 0);
	assert_int_equal(unmap->iova, iova);
	assert_int_equal(unmap->size, SZ_4K);
	assert_int_equal(mock_nth_call(MOCK_UNMAP, 1)->iova, iova + SZ_4K);

	/* A failure on the very first call needs no rollback at all. */
	mock_clear_calls();
	mock.map_fail_at = 1;
	assert_int_equal(iommu_map(domain, iova, paddr, SZ_8K, RW), -ENOSPC);
	assert_int_equal(mock_calls(MOCK_UNMAP), 0);
	assert_int_equal(mock_mapped_bytes(domain), 0);
	iommu_domain_free(domain);
}

static void test_map_over_existing_mapping_fails_and_keeps_it(void **state)
{
	struct iommu_domain *domain = new_domain();
	phys_addr_t got;

	assert_int_equal(iommu_map(domain, IOVA_BASE + SZ_8K, PHYS_BASE + SZ_1M, SZ_4K, RW), 0);
	/* 4 pages of which the third collides: the first two are undone. */
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_16K, RW), -EEXIST);
	assert_int_equal(mock_mapped_bytes(domain), SZ_4K);
	assert_true(mock_lookup(domain, IOVA_BASE + SZ_8K, &got, NULL));
	assert_int_equal(got, PHYS_BASE + SZ_1M);
	assert_false(mock_lookup(domain, IOVA_BASE, NULL, NULL));
	mock_check_domain(domain);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE + SZ_8K, SZ_4K), SZ_4K);
	iommu_domain_free(domain);
}

static void test_map_refuses_non_paging_domain(void **state)
{
	struct iommu_domain *domain = mock_domain_new(IOMMU_DOMAIN_IDENTITY);

	assert_non_null(domain);
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_4K, RW), -EINVAL);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_4K), 0);
	assert_int_equal(mock_calls(MOCK_MAP) + mock_calls(MOCK_UNMAP), 0);
	iommu_domain_free(domain);
}

static void test_map_accepts_paging_domain_with_extra_type_bits(void **state)
{
	struct iommu_domain *domain = new_domain();

	/* The seed's arm64 code ORs private flags into the type. */
	domain->type = IOMMU_DOMAIN_DMA | (1U << 31);
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_4K, RW), 0);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_4K), SZ_4K);
	iommu_domain_free(domain);
}

static void test_map_without_driver_support_is_enodev(void **state)
{
	struct iommu_domain *domain = new_domain();

	mock.ops.pgsize_bitmap = 0;
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_4K, RW), -ENODEV);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_4K), 0);

	mock.ops.pgsize_bitmap = MOCK_BITMAP_4K_2M_1G;
	mock.ops.map = NULL;
	mock.ops.unmap = NULL;
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_4K, RW), -ENODEV);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_4K), 0);
	assert_int_equal(mock_calls(MOCK_MAP) + mock_calls(MOCK_UNMAP), 0);
	iommu_domain_free(domain);
}

static void test_map_and_unmap_warn_on_null_domain(void **state)
{
	struct iommu_domain bare = { .type = IOMMU_DOMAIN_UNMANAGED };

	assert_int_equal(iommu_map(NULL, IOVA_BASE, PHYS_BASE, SZ_4K, RW), -EINVAL);
	assert_warned("NULL domain");
	assert_int_equal(iommu_unmap(NULL, IOVA_BASE, SZ_4K), 0);
	assert_warned("NULL domain");
	assert_int_equal(iommu_map(&bare, IOVA_BASE, PHYS_BASE, SZ_4K, RW), -EINVAL);
	assert_warned("without ops");
	assert_int_equal(iommu_iova_to_phys(NULL, IOVA_BASE), 0);
	assert_warned("NULL domain");
}

static void test_unmap_stops_at_first_hole_and_reports_partial_count(void **state)
{
	struct iommu_domain *domain = new_domain();

	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_16K, RW), 0);
	assert_int_equal(iommu_map(domain, IOVA_BASE + SZ_32K, PHYS_BASE, SZ_4K, RW), 0);
	mock_clear_calls();

	/* 16K mapped, then a hole: the mapping after the hole survives. */
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_64K), SZ_16K);
	assert_int_equal(mock_calls(MOCK_UNMAP), 5);
	assert_int_equal(mock_nth_call(MOCK_UNMAP, 4)->ret, 0);
	assert_true(mock_lookup(domain, IOVA_BASE + SZ_32K, NULL, NULL));

	/* Nothing mapped at the start: 0. */
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_8K), 0);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE + SZ_32K, SZ_4K), SZ_4K);
	iommu_domain_free(domain);
}

static void test_unmap_in_block_sized_chunks(void **state)
{
	struct iommu_domain *domain = new_domain();

	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_2M + SZ_4K, RW), 0);
	mock_clear_calls();
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_2M + SZ_4K), SZ_2M + SZ_4K);
	assert_int_equal(mock_calls(MOCK_UNMAP), 2);
	assert_int_equal(mock_nth_call(MOCK_UNMAP, 0)->size, SZ_2M);
	assert_int_equal(mock_nth_call(MOCK_UNMAP, 1)->size, SZ_4K);
	iommu_domain_free(domain);
}

static void test_unmap_may_return_more_than_asked(void **state)
{
	struct iommu_domain *domain = new_domain();

	/* A driver that tears down a whole block for a 4K request. */
	mock.unmap_whole_entry = true;
	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_2M, RW), 0);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_4K), SZ_2M);
	assert_int_equal(mock_calls(MOCK_UNMAP), 1);
	assert_int_equal(mock_mapped_bytes(domain), 0);
	iommu_domain_free(domain);
}

static void test_unmap_part_of_a_block_leaves_the_rest(void **state)
{
	struct iommu_domain *domain = new_domain();
	phys_addr_t got;

	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_2M, RW), 0);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE + SZ_4K, SZ_4K), SZ_4K);
	assert_int_equal(mock_mapped_bytes(domain), SZ_2M - SZ_4K);
	assert_int_equal(iommu_iova_to_phys(domain, IOVA_BASE + SZ_4K), 0);
	assert_true(mock_lookup(domain, IOVA_BASE + SZ_8K, &got, NULL));
	assert_int_equal(got, PHYS_BASE + SZ_8K);
	mock_check_domain(domain);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_4K), SZ_4K);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE + SZ_8K, SZ_2M - SZ_8K), SZ_2M - SZ_8K);
	iommu_domain_free(domain);
}

static void test_unmap_rejects_unaligned_with_zero(void **state)
{
	struct iommu_domain *domain = new_domain();

	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_8K, RW), 0);
	iosim_log_reset();
	assert_int_equal(iommu_unmap(domain, IOVA_BASE + 0x200, SZ_4K), 0);
	assert_true(iosim_log_seen("unaligned"));
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_4K + 0x200), 0);
	assert_int_equal(mock_calls(MOCK_UNMAP), 0);
	assert_int_equal(mock_mapped_bytes(domain), SZ_8K);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_8K), SZ_8K);
	iommu_domain_free(domain);
}

static void test_iova_to_phys_reports_zero_when_unmapped_or_unsupported(void **state)
{
	struct iommu_domain *domain = new_domain();

	assert_int_equal(iommu_map(domain, IOVA_BASE, PHYS_BASE, SZ_4K, RW), 0);
	assert_int_equal(iommu_iova_to_phys(domain, IOVA_BASE + 0x321), PHYS_BASE + 0x321);
	assert_int_equal(iommu_iova_to_phys(domain, IOVA_BASE + SZ_4K), 0);
	mock.ops.iova_to_phys = NULL;
	assert_int_equal(iommu_iova_to_phys(domain, IOVA_BASE), 0);
	assert_int_equal(iommu_unmap(domain, IOVA_BASE, SZ_4K), SZ_4K);
	iommu_domain_free(domain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		MOCK_TEST(test_map_splits_into_1g_2m_and_4k_pages),
		MOCK_TEST(test_map_uses_small_pages_up_to_a_block_boundary),
		MOCK_TEST(test_map_differently_aligned_addresses_use_small_pages),
		MOCK_TEST(test_map_with_64k_pages_fills_up_to_2m),
		MOCK_TEST(test_map_with_2k_granule_below_page_size),
		MOCK_TEST(test_map_with_sparse_bitmap_skips_missing_sizes),
		MOCK_TEST(test_map_split_matches_reference_for_every_alignment),
		MOCK_TEST(test_map_rejects_unaligned_arguments_without_calling_driver),
		MOCK_TEST(test_map_rejects_range_that_wraps),
		MOCK_TEST(test_map_of_zero_bytes_succeeds_and_maps_nothing),
		MOCK_TEST(test_map_without_read_or_write_maps_nothing),
		MOCK_TEST(test_map_passes_prot_through),
		MOCK_TEST(test_map_failure_in_driver_rolls_back_everything),
		MOCK_TEST(test_map_over_existing_mapping_fails_and_keeps_it),
		MOCK_TEST(test_map_refuses_non_paging_domain),
		MOCK_TEST(test_map_accepts_paging_domain_with_extra_type_bits),
		MOCK_TEST(test_map_without_driver_support_is_enodev),
		MOCK_TEST(test_map_and_unmap_warn_on_null_domain),
		MOCK_TEST(test_unmap_stops_at_first_hole_and_reports_partial_count),
		MOCK_TEST(test_unmap_in_block_sized_chunks),
		MOCK_TEST(test_unmap_may_return_more_than_asked),
		MOCK_TEST(test_unmap_part_of_a_block_leaves_the_rest),
		MOCK_TEST(test_unmap_rejects_unaligned_with_zero),
		MOCK_TEST(test_iova_to_phys_reports_zero_when_unmapped_or_unsupported),
	};

	return cmocka_run_group_tests_name("iommu_map", tests, NULL, NULL);
}
