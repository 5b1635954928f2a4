// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Model-based randomized test: long random sequences of iommu_map() and
 * iommu_unmap() (with random driver failures) through the core, against a
 * per-granule reference model of what must be mapped.  After every step the
 * core's answers, the mock driver's exact mappings and the model agree.
 */
#include "mock_iommu.h"

#include <stdlib.h>
#include <string.h>

#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/sizes.h>

#define RW		(IOMMU_READ | IOMMU_WRITE)
#define IOVA_BASE	0x100000000UL		/* 1G aligned */
#define PHYS_BASE	0x880000000ULL		/* 1G aligned */
#define NR_GRANULES	2048u
#define NR_STEPS	1500u
#define FULL_CHECK_EVERY 64u

struct model {
	unsigned long bitmap;
	size_t granule;
	phys_addr_t phys[NR_GRANULES];	/* 0: unmapped */
	unsigned long rng;
	unsigned long nr_maps_ok, nr_maps_failed, nr_unmaps_partial, nr_large_pages;
};

static unsigned long rnd(struct model *m)
{
	m->rng ^= m->rng << 13;
	m->rng ^= m->rng >> 7;
	m->rng ^= m->rng << 17;
	return m->rng;
}

static unsigned long g_iova(const struct model *m, unsigned int g)
{
	return IOVA_BASE + (unsigned long)g * m->granule;
}

static size_t model_mapped_bytes(const struct model *m)
{
	size_t total = 0;
	unsigned int g;

	for (g = 0; g < NR_GRANULES; g++)
		if (m->phys[g])
			total += m->granule;
	return total;
}

static void check_granules(struct model *m, struct iommu_domain *domain, unsigned int first,
			   unsigned int nr)
{
	unsigned int g;

	for (g = first; g < first + nr && g < NR_GRANULES; g++) {
		phys_addr_t got = iommu_iova_to_phys(domain, g_iova(m, g));

		if (got != m->phys[g])
			fail_msg("granule %u (iova 0x%lx): core says 0x%llx, model 0x%llx", g,
				 g_iova(m, g), (unsigned long long)got,
				 (unsigned long long)m->phys[g]);
	}
}

/* A random length in granules: mostly small, sometimes a whole block. */
static unsigned int random_len(struct model *m)
{
	switch (rnd(m) % 8) {
	case 0:
		return SZ_64K / m->granule;
	case 1:
		return SZ_2M / m->granule;
	case 2:
		return (SZ_2M / m->granule) + 1 + rnd(m) % 16;
	default:
		return 1 + rnd(m) % 24;
	}
}

/* A random start, sometimes aligned to a block so block sizes get used. */
static unsigned int random_start(struct model *m, unsigned int len)
{
	unsigned int g = rnd(m) % NR_GRANULES;
	unsigned int align = (rnd(m) % 3 == 0) ? SZ_2M / m->granule :
			     (rnd(m) % 2) ? SZ_64K / m->granule : 1;

	g -= g % align;
	if (g + len > NR_GRANULES)
		g = NR_GRANULES - len;
	return g;
}

static void step_map(struct model *m, struct iommu_domain *domain)
{
	unsigned int len = random_len(m), first = random_start(m, len), g;
	unsigned long injected = mock.map_failures_injected;
	unsigned long iova = g_iova(m, first);
	phys_addr_t paddr;
	bool free = true;
	int ret;

	/* Half the time paddr shares iova's offset in a 1G region: blocks fit. */
	if (rnd(m) % 2)
		paddr = PHYS_BASE + (iova & (SZ_1G - 1));
	else
		paddr = PHYS_BASE + (rnd(m) % (SZ_1G / m->granule)) * m->granule;

	for (g = first; g < first + len; g++)
		if (m->phys[g])
			free = false;

	mock_clear_calls();
	ret = iommu_map(domain, iova, paddr, (size_t)len * m->granule, RW);
	for (g = 0; mock_nth_call(MOCK_MAP, g); g++)
		if (mock_nth_call(MOCK_MAP, g)->size > m->granule)
			m->nr_large_pages++;
	if (ret == 0) {
		assert_true(free);
		for (g = first; g < first + len; g++)
			m->phys[g] = paddr + (phys_addr_t)(g - first) * m->granule;
		m->nr_maps_ok++;
	} else {
		if (ret == -EEXIST)
			assert_false(free);
		else if (ret == -ENOMEM)
			assert_true(mock.map_failures_injected > injected);
		else
			fail_msg("iommu_map returned %d", ret);
		m->nr_maps_failed++;
	}
	check_granules(m, domain, first, len);
}

/* The reference chunking of iommu_unmap() with the mock's semantics. */
static size_t predict_unmap(const struct model *m, unsigned int first, unsigned int len)
{
	unsigned long iova = g_iova(m, first);
	size_t size = (size_t)len * m->granule, done = 0;

	while (done < size) {
		size_t pg = 0, left = size - done;
		unsigned int bit, g, any = 0;

		for (bit = 0; bit < BITS_PER_LONG; bit++) {
			size_t cand = 1UL << bit;

			if (!(m->bitmap & cand) || cand > left)
				continue;
			if ((iova + done) % cand)
				continue;
			pg = cand;
		}
		assert_true(pg != 0);
		for (g = 0; g < pg / m->granule; g++) {
			unsigned int idx = first + (unsigned int)(done / m->granule) + g;

			if (idx < NR_GRANULES && m->phys[idx])
				any = 1;
		}
		if (!any)
			break;
		done += pg;
	}
	return done;
}

static void step_unmap(struct model *m, struct iommu_domain *domain)
{
	unsigned int len = random_len(m), first = random_start(m, len), g;
	size_t expected = predict_unmap(m, first, len), got;

	got = iommu_unmap(domain, g_iova(m, first), (size_t)len * m->granule);
	if (got != expected)
		fail_msg("unmap of %u granules at %u: got 0x%zx, expected 0x%zx", len, first,
			 got, expected);
	if (got < (size_t)len * m->granule)
		m->nr_unmaps_partial++;
	for (g = first; g < first + got / m->granule && g < NR_GRANULES; g++)
		m->phys[g] = 0;
	check_granules(m, domain, first, len);
}

static void run_model(unsigned long bitmap, unsigned long seed)
{
	struct model *m = calloc(1, sizeof(*m));
	struct iommu_domain *domain;
	unsigned int step;

	assert_non_null(m);
	mock_reset(bitmap);
	mock.map_fail_per_million = 20000;	/* 2% of driver map calls fail */
	mock.rng = seed * 0x9e3779b97f4a7c15UL + 1;
	m->bitmap = bitmap;
	m->granule = bitmap & -bitmap;
	m->rng = seed + 12345;
	domain = mock_domain_new(IOMMU_DOMAIN_UNMANAGED);
	assert_non_null(domain);

	for (step = 0; step < NR_STEPS; step++) {
		unsigned long r = rnd(m) % 10;

		if (r < 5) {
			step_map(m, domain);
		} else if (r < 9) {
			step_unmap(m, domain);
		} else {
			unsigned int g = rnd(m) % NR_GRANULES;
			unsigned long off = rnd(m) % m->granule;
			phys_addr_t want = m->phys[g] ? m->phys[g] + off : 0;

			assert_int_equal(iommu_iova_to_phys(domain, g_iova(m, g) + off), want);
		}
		assert_int_equal(mock_mapped_bytes(domain), model_mapped_bytes(m));
		if (step % FULL_CHECK_EVERY == 0) {
			check_granules(m, domain, 0, NR_GRANULES);
			mock_check_domain(domain);
		}
		if (mock.violations)
			fail_msg("driver promise broken at step %u", step);
	}
	check_granules(m, domain, 0, NR_GRANULES);
	mock_check_domain(domain);

	/* The run exercised every outcome. */
	assert_true(m->nr_maps_ok > 100);
	assert_true(m->nr_maps_failed > 10);
	assert_true(m->nr_unmaps_partial > 10);
	assert_true(mock.map_failures_injected > 0);
	/* Pages larger than the granule were used where alignment allowed. */
	assert_true(m->nr_large_pages > 0);

	/* Tear down through the core, granule by granule (blocks get split). */
	for (step = 0; step < NR_GRANULES; step++)
		if (m->phys[step])
			assert_int_equal(iommu_unmap(domain, g_iova(m, step), m->granule),
					 m->granule);
	assert_int_equal(mock_mapped_bytes(domain), 0);
	iommu_domain_free(domain);
	free(m);
}

static void test_model_random_map_unmap_4k_2m_1g(void **state)
{
	unsigned long seed;

	for (seed = 1; seed <= 3; seed++)
		run_model(MOCK_BITMAP_4K_2M_1G, seed);
}

static void test_model_random_map_unmap_4k_64k_2m(void **state)
{
	unsigned long seed;

	for (seed = 11; seed <= 13; seed++)
		run_model(MOCK_BITMAP_4K_64K_2M, seed);
}

static void test_model_random_map_unmap_2k_4k(void **state)
{
	unsigned long seed;

	for (seed = 21; seed <= 23; seed++)
		run_model(MOCK_BITMAP_2K_4K, seed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		MOCK_TEST(test_model_random_map_unmap_4k_2m_1g),
		MOCK_TEST(test_model_random_map_unmap_4k_64k_2m),
		MOCK_TEST(test_model_random_map_unmap_2k_4k),
	};

	return cmocka_run_group_tests_name("iommu_model", tests, NULL, NULL);
}
