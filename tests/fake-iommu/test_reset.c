// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * iosim_iommu_reset(): an instance that ran a workload, had its domains
 * freed and was reset behaves as a new one.  The same workload on a new
 * instance and again on the reset one must see the same domain ids, the
 * same device accesses succeed and fail (a 2-entry IOTLB with a stale
 * entry, so the replacement order shows), the same fault log and the same
 * statistics; without the reset they differ.
 */
#include "fiommu_test.h"

#include <string.h>

#include <linux/mm.h>
#include <iosim/bus_master.h>
#include <linux/platform_device.h>
#include <iosim/device.h>

#include "fake_iommu.h"

#define NR_READS	12

/* What one run of the workload saw. */
struct run_record {
	u64 domain_id;
	int map_ret[3];
	int budget_map_ret;
	int reads[NR_READS];
	unsigned long nr_faults;
	struct iosim_iommu_fault faults[4];
	struct iosim_iommu_stats stats;
	bool refused;
};

struct reset_fixture {
	struct iosim_iommu *iommu;
	struct device *dev;
	struct page *buf;
};

static void fixture_create(struct reset_fixture *f)
{
	struct iosim_iommu_config cfg = { .iotlb_entries = 2 };

	f->iommu = iosim_iommu_create(&cfg);
	assert_false(IS_ERR(f->iommu));
	f->dev = fiommu_device("reset-dev", &platform_bus_type, false);
	assert_int_equal(iosim_iommu_add_master(f->iommu, f->dev), 0);
	f->buf = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	assert_non_null(f->buf);
}

static void fixture_destroy(struct reset_fixture *f)
{
	iosim_iommu_remove_master(f->dev);
	iosim_device_destroy(f->dev);
	iosim_iommu_destroy(f->iommu);
	__free_pages(f->buf, 2);
}

/*
 * Map three pages, read them so that the 2-entry IOTLB evicts, unmap one
 * with invalidation skipped (a stale entry may survive, depending on the
 * replacement order), fault, and leave every knob changed.
 */
static void run_workload(struct reset_fixture *f, struct run_record *r)
{
	static const unsigned int after_unmap[NR_READS - 6] = { 1, 2, 3, 0, 1, 2 };
	phys_addr_t phys = page_to_phys(f->buf);
	struct iommu_domain *domain, *refused;
	unsigned int i;
	u8 byte;

	memset(r, 0, sizeof(*r));
	domain = fiommu_domain_alloc(f->iommu, IOMMU_DOMAIN_UNMANAGED);
	assert_non_null(domain);
	r->domain_id = to_iosim_domain(domain)->id;
	assert_int_equal(iommu_attach_device(domain, f->dev), 0);
	for (i = 0; i < 3; i++)
		r->map_ret[i] = iommu_map(domain, i * SZ_4K, phys + i * SZ_4K, SZ_4K,
					  IOMMU_READ | IOMMU_WRITE);
	for (i = 0; i < 6; i++)
		r->reads[i] = iosim_dma_read(f->dev, (i % 3) * SZ_4K, &byte, 1);
	iosim_iommu_set_skip_invalidate(f->iommu, true);
	assert_int_equal(iommu_unmap(domain, SZ_4K, SZ_4K), SZ_4K);
	/*
	 * Pages 1 and 2 are cached, page 1 stale: it answers until page 0
	 * evicts it (the least recently used), then faults.
	 */
	for (i = 6; i < NR_READS; i++)
		r->reads[i] = iosim_dma_read(f->dev, after_unmap[i - 6] * SZ_4K, &byte, 1);
	iommu_unmap(domain, 0, SZ_4K);
	iommu_unmap(domain, 2 * SZ_4K, SZ_4K);

	/* Every knob left changed. */
	iosim_iommu_set_table_budget(f->iommu, 1);
	r->budget_map_ret = iommu_map(domain, SZ_1G, phys, SZ_4K, IOMMU_READ);
	if (!r->budget_map_ret)
		iommu_unmap(domain, SZ_1G, SZ_4K);
	iosim_iommu_fail_map_nth(f->iommu, 2);
	iosim_iommu_refuse_domains(f->iommu, true);
	refused = fiommu_domain_alloc(f->iommu, IOMMU_DOMAIN_UNMANAGED);
	r->refused = refused == NULL;
	if (refused)
		refused->ops->domain_free(refused);

	iommu_detach_device(domain, f->dev);
	domain->ops->domain_free(domain);
	r->nr_faults = iosim_iommu_faults(f->iommu, r->faults, ARRAY_SIZE(r->faults));
	iosim_iommu_get_stats(f->iommu, &r->stats);
	assert_int_equal(iosim_iommu_instance_check(f->iommu), 0);
}

static void assert_same_run(const struct run_record *a, const struct run_record *b)
{
	unsigned long i;

	assert_int_equal(a->domain_id, b->domain_id);
	assert_memory_equal(a->map_ret, b->map_ret, sizeof(a->map_ret));
	assert_int_equal(a->budget_map_ret, b->budget_map_ret);
	assert_memory_equal(a->reads, b->reads, sizeof(a->reads));
	assert_int_equal(a->refused, b->refused);
	assert_int_equal(a->nr_faults, b->nr_faults);
	for (i = 0; i < a->nr_faults && i < ARRAY_SIZE(a->faults); i++) {
		assert_int_equal(a->faults[i].iova, b->faults[i].iova);
		assert_int_equal(a->faults[i].reason, b->faults[i].reason);
		assert_int_equal(a->faults[i].seq, b->faults[i].seq);
		assert_int_equal(a->faults[i].flags, b->faults[i].flags);
	}
	assert_memory_equal(&a->stats, &b->stats, sizeof(a->stats));
}

/*
 * Freeing a domain drops its IOTLB entries, so what the reset clears there
 * is the replacement state a workload cannot see directly: white-box.
 */
static void assert_iotlb_as_new(const struct iosim_iotlb *tlb)
{
	unsigned int i;

	assert_int_equal(tlb->nr_entries, 2);
	assert_int_equal(tlb->nr_valid, 0);
	assert_int_equal(tlb->clock, 0);
	assert_int_equal(tlb->first_empty, 0);
	assert_true(list_empty(&tlb->lru));
	assert_null(tlb->index);
	for (i = 0; i < tlb->nr_entries; i++)
		assert_null(memchr_inv(&tlb->entries[i], 0, sizeof(tlb->entries[i])));
	assert_null(memchr_inv(tlb->size_users, 0, sizeof(tlb->size_users)));
	assert_null(memchr_inv(tlb->sizes, 0, sizeof(tlb->sizes)));
}

static void test_a_reset_instance_runs_as_a_new_one(void **state)
{
	struct run_record fresh, again, unreset;
	struct reset_fixture f;

	(void)state;
	fixture_create(&f);
	run_workload(&f, &fresh);
	/* The workload is what it claims: a stale hit, faults, a refusal. */
	assert_int_equal(fresh.domain_id, 1);
	assert_true(fresh.refused);
	assert_true(fresh.nr_faults > 0);
	assert_true(fresh.stats.iotlb_stale_hits > 0);
	assert_true(fresh.stats.iotlb_misses > 0 && fresh.stats.iotlb_hits > 0);
	assert_int_equal(fresh.budget_map_ret, -ENOMEM);
	assert_true(fresh.stats.budget_refusals > 0);

	assert_int_equal(iosim_iommu_reset(f.iommu), 0);
	assert_iotlb_as_new(&f.iommu->iotlb);
	run_workload(&f, &again);
	assert_same_run(&fresh, &again);

	/* Without the reset, the knobs, counters and ids carry over. */
	iosim_iommu_refuse_domains(f.iommu, false);
	iosim_iommu_fail_map_nth(f.iommu, 0);
	iosim_iommu_set_table_budget(f.iommu, 0);
	run_workload(&f, &unreset);
	assert_int_not_equal(unreset.domain_id, fresh.domain_id);
	assert_int_not_equal(unreset.stats.map_calls, fresh.stats.map_calls);
	assert_int_not_equal(unreset.nr_faults, fresh.nr_faults);

	assert_int_equal(iosim_iommu_reset(f.iommu), 0);
	run_workload(&f, &again);
	assert_same_run(&fresh, &again);
	assert_int_equal(iosim_iommu_reset(f.iommu), 0);
	fixture_destroy(&f);
}

/* A domain still allocated: -EBUSY, and nothing is reset. */
static void test_reset_refuses_an_instance_with_a_domain(void **state)
{
	struct iosim_iommu_stats stats;
	struct reset_fixture f;
	struct iommu_domain *domain;
	u8 byte;

	(void)state;
	fixture_create(&f);
	domain = fiommu_domain_alloc(f.iommu, IOMMU_DOMAIN_UNMANAGED);
	assert_non_null(domain);
	assert_int_equal(iommu_attach_device(domain, f.dev), 0);
	assert_int_equal(iosim_dma_read(f.dev, 0, &byte, 1), -EFAULT);
	iosim_iommu_refuse_domains(f.iommu, true);

	assert_int_equal(iosim_iommu_reset(f.iommu), -EBUSY);
	assert_int_equal(iosim_iommu_faults(f.iommu, NULL, 0), 1);
	assert_null(fiommu_domain_alloc(f.iommu, IOMMU_DOMAIN_UNMANAGED));
	iosim_iommu_get_stats(f.iommu, &stats);
	assert_int_equal(stats.domains, 1);

	iommu_detach_device(domain, f.dev);
	domain->ops->domain_free(domain);
	assert_int_equal(iosim_iommu_reset(f.iommu), 0);
	assert_int_equal(iosim_iommu_faults(f.iommu, NULL, 0), 0);
	domain = fiommu_domain_alloc(f.iommu, IOMMU_DOMAIN_UNMANAGED);
	assert_non_null(domain);
	assert_int_equal(to_iosim_domain(domain)->id, 1);
	domain->ops->domain_free(domain);
	fixture_destroy(&f);
}

/* Not an instance: WARN and -EINVAL. */
static void test_reset_of_a_stranger_warns(void **state)
{
	struct iosim_iommu *stranger = (struct iosim_iommu *)&platform_bus_type;

	(void)state;
	assert_int_equal(iosim_iommu_reset(stranger), -EINVAL);
	assert_warned("not a live IOMMU");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST_RAM(test_a_reset_instance_runs_as_a_new_one),
		IOSIM_TEST_RAM(test_reset_refuses_an_instance_with_a_domain),
		IOSIM_TEST_RAM(test_reset_of_a_stranger_warns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
