// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulated machine of the IOMMU harnesses (see fuzz_sim.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/sizes.h>
#include <iosim/device.h>
#include <iosim/cache.h>
#include <iosim/fault.h>
#include <iosim/iommu_core.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include <iosim/slab.h>

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

/*
 * The bus, IOMMU and device kept from the last input (see fuzz_sim.h), the
 * configuration they were built for, and what the device looked like then.
 */
static struct {
	bool live;
	struct fuzz_sim_config cfg;
	struct bus_type bus;
	struct iosim_iommu *iommu;
	struct device *dev;
	struct iosim_iommu_config resolved;
	struct device built;		/* a copy of *dev when built (compared, never used) */
	u64 built_dma_mask;		/* *dev->dma_mask then (it points into *dev) */
	struct device_dma_parameters built_parms;
} kept;

/* FUZZ_NO_REUSE=1: build the bus, IOMMU and device for every input. */
static int fuzz_sim_no_reuse = -1;

/* With FUZZ_TIMING, how often the machine was built, printed at exit. */
static unsigned long fuzz_sim_inputs, fuzz_sim_builds;

static void fuzz_sim_report(void)
{
	fprintf(stderr, "fuzz-sim: %lu inputs, the bus, IOMMU and device built for %lu of them\n",
		fuzz_sim_inputs, fuzz_sim_builds);
}

static bool same_iommu_config(const struct iosim_iommu_config *a,
			      const struct iosim_iommu_config *b)
{
	return a->granule == b->granule && a->pgsize_mask == b->pgsize_mask &&
	       a->ias_bits == b->ias_bits && a->oas_bits == b->oas_bits &&
	       a->nr_contexts == b->nr_contexts && a->coherent_walk == b->coherent_walk &&
	       a->iotlb_entries == b->iotlb_entries && a->no_iotlb == b->no_iotlb &&
	       a->bypass_unattached == b->bypass_unattached &&
	       a->table_budget == b->table_budget && a->mmio_base == b->mmio_base &&
	       a->mmio_size == b->mmio_size && a->dma_cookie_get == b->dma_cookie_get &&
	       a->dma_cookie_put == b->dma_cookie_put;
}

static bool same_device_config(const struct iosim_device_config *a,
			       const struct iosim_device_config *b)
{
	return a->dma_mask == b->dma_mask && a->coherent_dma_mask == b->coherent_dma_mask &&
	       a->coherent == b->coherent && a->no_dma_parms == b->no_dma_parms &&
	       a->max_segment_size == b->max_segment_size &&
	       a->segment_boundary_mask == b->segment_boundary_mask;
}

/*
 * Bus, IOMMU and device for @cfg, their objects on the host heap so that
 * they hold no frame of the RAM reset after every input.
 */
static void machine_build(const struct fuzz_sim_config *cfg)
{
	struct iosim_iommu_config icfg = cfg->iommu;
	struct iosim_device_config dcfg = cfg->dev;
	long objects[IOSIM_OBJ_NR];
	int ret, kind;

	for (kind = 0; kind < IOSIM_OBJ_NR; kind++)
		objects[kind] = iosim_live(kind);
	iosim_slab_host_begin();
	memset(&kept.bus, 0, sizeof(kept.bus));
	kept.bus.name = "fuzz-bus";
	ret = bus_register(&kept.bus);
	FUZZ_CHECK(ret == 0, "harness: bus_register failed: %d", ret);

	icfg.name = "fuzz-iommu";
	icfg.bus = &kept.bus;
	kept.iommu = iosim_iommu_create(&icfg);
	FUZZ_CHECK(!IS_ERR_OR_NULL(kept.iommu), "harness: iosim_iommu_create failed: %ld (%s)",
		   PTR_ERR(kept.iommu), fuzz_last_warn());
	iosim_iommu_get_config(kept.iommu, &kept.resolved);

	dcfg.name = "fuzz-dev";
	dcfg.bus = &kept.bus;
	dcfg.no_add = true;
	kept.dev = iosim_device_create(&dcfg);
	FUZZ_CHECK(kept.dev, "harness: iosim_device_create failed (%s)", fuzz_last_warn());
	ret = iosim_iommu_add_master(kept.iommu, kept.dev);
	FUZZ_CHECK(ret == 0, "harness: iosim_iommu_add_master failed: %d", ret);
	ret = device_add(kept.dev);
	FUZZ_CHECK(ret == 0, "harness: device_add failed: %d", ret);
	iosim_slab_host_end();

	kept.cfg = *cfg;
	kept.built = *kept.dev;
	kept.built_dma_mask = kept.dev->dma_mask ? *kept.dev->dma_mask : 0;
	if (kept.dev->dma_parms)
		kept.built_parms = *kept.dev->dma_parms;
	kept.live = true;
	for (kind = 0; kind < IOSIM_OBJ_NR; kind++)
		objects[kind] = iosim_live(kind) - objects[kind];
	fuzz_keep_objects(objects);
}

static void machine_destroy(void)
{
	/* Deleting the device takes it from behind its IOMMU too. */
	device_del(kept.dev);
	iosim_device_destroy(kept.dev);
	iosim_iommu_destroy(kept.iommu);
	bus_unregister(&kept.bus);
	kept.live = false;
	fuzz_keep_objects(NULL);
}

/*
 * What an input may change in the kept device, and what it must leave as
 * built for the next input: the DMA set-up and masks, the driver core's
 * links, the IOMMU's and the DMA layers' per-device state, the cache
 * model's counters (reset here: they count per input).
 */
static void machine_check_device(void)
{
	struct device *dev = kept.dev;
	const struct device *built = &kept.built;

	iosim_cache_reset_counters(dev);
	FUZZ_CHECK(iosim_device_check(dev) == 0, "kept-device: iosim_device_check failed: %s",
		   fuzz_last_warn());
	FUZZ_CHECK(dev->dma_mask == built->dma_mask &&
		   (!dev->dma_mask || *dev->dma_mask == kept.built_dma_mask) &&
		   dev->coherent_dma_mask == built->coherent_dma_mask &&
		   dev->dma_pfn_offset == built->dma_pfn_offset,
		   "kept-device: the input left the device's DMA masks changed");
	FUZZ_CHECK(dev->dma_parms == built->dma_parms &&
		   (!dev->dma_parms ||
		    (dev->dma_parms->max_segment_size == kept.built_parms.max_segment_size &&
		     dev->dma_parms->segment_boundary_mask == kept.built_parms.segment_boundary_mask)),
		   "kept-device: the input left the device's segment limits changed");
	FUZZ_CHECK(dev->archdata.dma_ops == built->archdata.dma_ops &&
		   dev->archdata.iommu == built->archdata.iommu &&
		   dev->archdata.dma_coherent == built->archdata.dma_coherent,
		   "kept-device: the input left the device's arch DMA set-up changed");
	FUZZ_CHECK(dev->iommu_group == built->iommu_group && dev->driver == built->driver &&
		   dev->driver_data == built->driver_data && dev->dma_mem == built->dma_mem &&
		   list_empty(&dev->dma_pools) && dev->iosim_master == built->iosim_master &&
		   dev->iosim_debug == built->iosim_debug && dev->iosim_dma == built->iosim_dma &&
		   atomic_read(&dev->iosim_refcount) == atomic_read(&built->iosim_refcount),
		   "kept-device: the input left per-device state behind (group, driver, DMA layers, references)");
}

void fuzz_sim_create(struct fuzz_sim *sim, const struct fuzz_sim_config *cfg, bool attach)
{
	struct iosim_ram_config ram = {
		.base_phys = cfg->ram_base ? cfg->ram_base : IOSIM_RAM_DEFAULT_BASE_PHYS,
		.size_bytes = cfg->ram_size ? cfg->ram_size : SZ_16M,
	};

	memset(sim, 0, sizeof(*sim));
	fuzz_ram_get(&ram, cfg->cache_model);

	if (fuzz_sim_no_reuse < 0) {
		fuzz_sim_no_reuse = getenv("FUZZ_NO_REUSE") != NULL;
		if (getenv("FUZZ_TIMING"))
			atexit(fuzz_sim_report);
	}
	fuzz_sim_inputs++;
	if (kept.live && !(same_iommu_config(&kept.cfg.iommu, &cfg->iommu) &&
			   same_device_config(&kept.cfg.dev, &cfg->dev) &&
			   kept.cfg.cache_model == cfg->cache_model))
		machine_destroy();
	if (!kept.live) {
		machine_build(cfg);
		fuzz_sim_builds++;
	}

	sim->bus = &kept.bus;
	sim->iommu = kept.iommu;
	sim->dev = kept.dev;
	sim->granule = kept.resolved.granule;
	sim->pgsize_bitmap = kept.resolved.pgsize_mask;
	sim->input_size = 1ULL << kept.resolved.ias_bits;

	sim->domain = iommu_domain_alloc(sim->bus);
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
	u64 bytes;

	FUZZ_CHECK(iosim_iommu_domain_mapped_bytes(sim->domain, &bytes) == 0,
		   "harness: iosim_iommu_domain_mapped_bytes failed");
	return bytes;
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
	int ret;

	fuzz_sim_detach(sim);
	iommu_domain_free(sim->domain);
	if (fuzz_sim_no_reuse) {
		machine_destroy();
	} else {
		ret = iosim_iommu_reset(kept.iommu);
		FUZZ_CHECK(ret == 0, "kept-iommu: iosim_iommu_reset failed: %d (%s)", ret,
			   fuzz_last_warn());
		machine_check_device();
	}
	fuzz_expect_warns(before, 0, "tearing the simulated machine down");
	FUZZ_CHECK(iosim_ram_check() == 0, "ram-check: iosim_ram_check failed at the end: %s",
		   fuzz_last_warn());
	return fuzz_ram_put();
}
