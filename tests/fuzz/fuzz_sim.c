// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulated machine of the IOMMU harnesses (see fuzz_sim.h).
 */
#include <string.h>

#include <linux/kernel.h>
#include <linux/sizes.h>
#include <iosim/device.h>
#include <iosim/cache.h>
#include <iosim/fault.h>
#include <iosim/iommu_core.h>
#include <iosim/ram.h>

#include "fuzz_common.h"
#include "fuzz_sim.h"

static int fuzz_sim_fault_handler(struct iommu_domain *domain, struct device *dev,
				  unsigned long iova, int flags, void *token)
{
	struct fuzz_sim *sim = token;

	sim->nr_reported++;
	sim->last_reported_iova = iova;
	sim->last_reported_flags = flags;
	/* Not handled: the fault is only recorded, as with no handler. */
	return -ENOSYS;
}

void fuzz_sim_create(struct fuzz_sim *sim, const struct fuzz_sim_config *cfg, bool attach)
{
	struct iosim_ram_config ram = {
		.base_phys = cfg->ram_base ? cfg->ram_base : IOSIM_RAM_DEFAULT_BASE_PHYS,
		.size_bytes = cfg->ram_size ? cfg->ram_size : SZ_16M,
	};
	struct iosim_iommu_config icfg = cfg->iommu;
	struct iosim_device_config dcfg = cfg->dev;
	int ret;

	memset(sim, 0, sizeof(*sim));
	fuzz_ram_get(&ram, cfg->cache_model);

	sim->bus.name = "fuzz-bus";
	ret = bus_register(&sim->bus);
	FUZZ_CHECK(ret == 0, "harness: bus_register failed: %d", ret);

	icfg.name = "fuzz-iommu";
	icfg.bus = &sim->bus;
	sim->iommu = iosim_iommu_create(&icfg);
	FUZZ_CHECK(!IS_ERR_OR_NULL(sim->iommu), "harness: iosim_iommu_create failed: %ld (%s)",
		   PTR_ERR(sim->iommu), fuzz_last_warn());
	iosim_iommu_get_config(sim->iommu, &icfg);
	sim->granule = icfg.granule;
	sim->pgsize_bitmap = icfg.pgsize_mask;
	sim->input_size = 1ULL << icfg.ias_bits;

	dcfg.name = "fuzz-dev";
	dcfg.bus = &sim->bus;
	dcfg.no_add = true;
	sim->dev = iosim_device_create(&dcfg);
	FUZZ_CHECK(sim->dev, "harness: iosim_device_create failed (%s)", fuzz_last_warn());
	ret = iosim_iommu_add_master(sim->iommu, sim->dev);
	FUZZ_CHECK(ret == 0, "harness: iosim_iommu_add_master failed: %d", ret);
	ret = device_add(sim->dev);
	FUZZ_CHECK(ret == 0, "harness: device_add failed: %d", ret);

	sim->domain = iommu_domain_alloc(&sim->bus);
	FUZZ_CHECK(sim->domain, "harness: iommu_domain_alloc failed");
	iommu_set_fault_handler(sim->domain, fuzz_sim_fault_handler, sim);
	if (attach)
		fuzz_sim_attach(sim);
}

int fuzz_sim_attach(struct fuzz_sim *sim)
{
	unsigned long injected = iosim_fault_injected();
	int ret;

	if (sim->attached)
		return 0;
	ret = iommu_attach_device(sim->domain, sim->dev);
	if (ret) {
		FUZZ_CHECK(iosim_fault_injected() != injected,
			   "attach: iommu_attach_device failed (%d) with no failure injected", ret);
		FUZZ_CHECK(iommu_get_domain_for_dev(sim->dev) != sim->domain,
			   "attach: a failed iommu_attach_device left the device attached");
		return ret;
	}
	FUZZ_CHECK(iommu_get_domain_for_dev(sim->dev) == sim->domain,
		   "attach: iommu_get_domain_for_dev does not give the attached domain");
	sim->attached = true;
	return 0;
}

void fuzz_sim_detach(struct fuzz_sim *sim)
{
	if (!sim->attached)
		return;
	iommu_detach_device(sim->domain, sim->dev);
	FUZZ_CHECK(iommu_get_domain_for_dev(sim->dev) != sim->domain,
		   "attach: the device still has its domain after iommu_detach_device");
	sim->attached = false;
}

void fuzz_sim_check(struct fuzz_sim *sim, const char *after)
{
	unsigned long before = fuzz_warns();

	/*
	 * The instance's checker runs iosim_iommu_domain_check()'s walk for
	 * every domain the instance has, this one included: calling both
	 * walked the tables twice (half of dma_api's checker time).
	 */
	FUZZ_CHECK(iosim_iommu_from_domain(sim->domain) == sim->iommu,
		   "harness: the domain is not the instance's after %s", after);
	FUZZ_CHECK(iosim_iommu_instance_check(sim->iommu) == 0,
		   "pgtable-check: iosim_iommu_instance_check failed after %s: %s", after,
		   fuzz_last_warn());
	FUZZ_CHECK(iosim_iommu_check() == 0, "group-check: iosim_iommu_check failed after %s: %s",
		   after, fuzz_last_warn());
	fuzz_expect_warns(before, 0, "the IOMMU checkers");
}

u64 fuzz_sim_mapped_bytes(struct fuzz_sim *sim)
{
	struct iosim_iommu_stats st;

	FUZZ_CHECK(iosim_iommu_domain_stats(sim->domain, &st) == 0,
		   "harness: iosim_iommu_domain_stats failed");
	return st.mapped_bytes;
}

unsigned long fuzz_sim_tables(struct fuzz_sim *sim)
{
	struct iosim_iommu_stats st;

	FUZZ_CHECK(iosim_iommu_domain_stats(sim->domain, &st) == 0,
		   "harness: iosim_iommu_domain_stats failed");
	return st.tables;
}

unsigned long fuzz_sim_destroy(struct fuzz_sim *sim)
{
	unsigned long before = fuzz_warns();

	fuzz_sim_detach(sim);
	iommu_domain_free(sim->domain);
	/* Deleting the device takes it from behind its IOMMU too. */
	device_del(sim->dev);
	iosim_device_destroy(sim->dev);
	iosim_iommu_destroy(sim->iommu);
	bus_unregister(&sim->bus);
	fuzz_expect_warns(before, 0, "tearing the simulated machine down");
	FUZZ_CHECK(iosim_ram_check() == 0, "ram-check: iosim_ram_check failed at the end: %s",
		   fuzz_last_warn());
	return fuzz_ram_put();
}
