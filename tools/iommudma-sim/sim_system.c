// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sim_system.c - bring the simulated SoC up from a struct iosim_sim_config
 * and take it down again: RAM, the DMA layer, the IOMMUs, the devices.
 *
 * IOMMU i serves bus i (the platform bus, then the AMBA bus): the library
 * gives a bus one IOMMU, and a device sits on the bus of the IOMMU it is
 * behind (devices without one on the platform bus).  So at most two IOMMUs.
 * A PCI device (bus = pci) sits on the PCI bus, which no IOMMU serves: its
 * host bridge's IOMMU gives it no DMA ops on arm64 of 2015 (docs/pci.md).
 */
#include <stdio.h>
#include <string.h>

#include <linux/amba/bus.h>
#include <linux/cma.h>
#include <linux/device.h>
#include <linux/dma-contiguous.h>
#include <linux/dma-mapping.h>
#include <iosim/dma_debug.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <iosim/cache.h>
#include <iosim/dma.h>
#include <iosim/iommu.h>
#include <iosim/live.h>
#include <iosim/pci.h>
#include <iosim/ram.h>
#include <iosim/warn.h>

#include "sim.h"

#define SIM_NR_BUSES	2

static struct bus_type *sim_bus(unsigned int i)
{
	return i == 0 ? &platform_bus_type : &amba_bustype;
}

/**
 * sim_builtin_iommu - the IOMMU used when the configuration names none
 * @icfg: filled: "smmu0", the input library's defaults (4K granule, 48-bit
 *	IAS/OAS, 64 IOTLB entries, strict)
 *
 * Context: any.
 */
void sim_builtin_iommu(struct iosim_sim_iommu_cfg *icfg)
{
	iosim_sim_iommu_defaults(icfg);
	snprintf(icfg->name, sizeof(icfg->name), "smmu0");
}

static int sim_iommu_up(struct sim_system *sys, const struct iosim_sim_iommu_cfg *c,
			char *err, size_t errlen)
{
	struct iosim_iommu_config icfg = {
		.name = c->name,
		.granule = c->granule,
		.pgsize_mask = c->page_sizes,
		.ias_bits = c->ias_bits > 48 ? 48 : c->ias_bits,
		.oas_bits = c->oas_bits > 48 ? 48 : c->oas_bits,
		.iotlb_entries = c->iotlb_entries,
		.no_iotlb = c->iotlb_entries == 0,
		.bus = sim_bus(sys->nr_iommus),
	};
	struct sim_iommu_stats *is = &sys->stats->iommus[sys->nr_iommus];
	struct iosim_iommu *iommu;

	if (sys->nr_iommus >= SIM_NR_BUSES) {
		snprintf(err, errlen, "[iommu %s]: at most %d IOMMUs (one per bus: platform, amba)",
			 c->name, SIM_NR_BUSES);
		return -EINVAL;
	}
	iommu = iosim_iommu_create(&icfg);
	if (IS_ERR(iommu)) {
		snprintf(err, errlen, "[iommu %s]: cannot create the IOMMU (error %ld)", c->name,
			 PTR_ERR(iommu));
		return (int)PTR_ERR(iommu);
	}
	/* Non-strict mode: unmaps leave the IOTLB alone (deferred invalidation). */
	if (!c->strict)
		iosim_iommu_set_skip_invalidate(iommu, true);
	sys->iommus[sys->nr_iommus] = iommu;
	snprintf(is->name, sizeof(is->name), "%s", c->name);
	is->granule = c->granule;
	is->ias_bits = icfg.ias_bits;
	is->oas_bits = icfg.oas_bits;
	is->iotlb_entries = c->iotlb_entries;
	is->strict = c->strict;
	sys->nr_iommus++;
	sys->stats->nr_iommus = sys->nr_iommus;
	return 0;
}

/**
 * sim_system_up - build the system @cfg describes
 * @sys: zeroed; filled
 * @cfg: the configuration (copied); with no [iommu] section the built-in
 *	IOMMU (sim_builtin_iommu()) is used
 * @stats: zeroed statistics the run will fill
 * @err: receives what went wrong
 * @errlen: size of @err
 *
 * Creates RAM (every bank of the configuration: preset = juno gives the
 * board's two), boots the DMA layer, creates the IOMMUs and every device the
 * configuration lists.
 *
 * Context: process context, no simulation alive.
 * Return: 0; a negative errno with @err set, after taking down whatever was
 * brought up (sim_system_down()).
 */
int sim_system_up(struct sim_system *sys, const struct iosim_sim_config *cfg,
		  struct sim_stats *stats, char *err, size_t errlen)
{
	struct iosim_ram_config rcfg = { 0 };
	unsigned int i;
	int ret;

	sys->cfg = *cfg;
	sys->stats = stats;
	stats->page_size = PAGE_SIZE;
	if (!sys->cfg.nr_iommus) {
		sim_builtin_iommu(&sys->cfg.iommus[0]);
		sys->cfg.nr_iommus = 1;
	}
	rcfg.nr_banks = sys->cfg.ram.nr_banks;
	for (i = 0; i < rcfg.nr_banks; i++) {
		rcfg.banks[i].base_phys = sys->cfg.ram.banks[i].base;
		rcfg.banks[i].size_bytes = sys->cfg.ram.banks[i].size;
		stats->ram_banks[i].base = sys->cfg.ram.banks[i].base;
		stats->ram_banks[i].size = sys->cfg.ram.banks[i].size;
	}
	stats->ram_nr_banks = rcfg.nr_banks;
	ret = iosim_ram_init(&rcfg);
	if (ret) {
		snprintf(err, errlen, "cannot create %llu MiB of simulated RAM at %#llx in %u "
			 "bank(s) (error %d)", (unsigned long long)(sys->cfg.ram.banks[0].size >> 20),
			 (unsigned long long)sys->cfg.ram.banks[0].base, rcfg.nr_banks, ret);
		return ret;
	}
	sys->ram_up = true;
	stats->ram_base = iosim_ram_base_phys();
	stats->ram_size = iosim_ram_size();
	/* Validated, and written in memparse()'s notation, when the configuration was read. */
	ret = iosim_dma_set_cma(sys->cfg.ram.cma[0] ? sys->cfg.ram.cma : NULL);
	if (ret) {
		snprintf(err, errlen, "[ram] cma = %s: refused by the DMA layer (error %d)",
			 sys->cfg.ram.cma, ret);
		goto out_down;
	}
	ret = iosim_dma_system_init();
	if (ret) {
		snprintf(err, errlen, "cannot boot the DMA layer (error %d)", ret);
		goto out_down;
	}
	sys->dma_up = true;
	if (dma_contiguous_default_area) {
		stats->cma_base = cma_get_base(dma_contiguous_default_area);
		stats->cma_size = cma_get_size(dma_contiguous_default_area);
	}
	for (i = 0; i < sys->cfg.nr_iommus; i++) {
		ret = sim_iommu_up(sys, &sys->cfg.iommus[i], err, errlen);
		if (ret)
			goto out_down;
	}
	for (i = 0; i < sys->cfg.nr_devices; i++) {
		struct sim_dev *d = sim_system_add_device(sys, &sys->cfg.devices[i], err, errlen);

		if (IS_ERR(d)) {
			ret = PTR_ERR(d) == -ENOMEM ? -ENOMEM : -EINVAL;
			goto out_down;
		}
	}
	return 0;

out_down:
	sim_system_down(sys);
	return ret;
}

/**
 * sim_system_device - a device of the system by name
 * @sys: the system
 * @name: dev_name()
 *
 * Context: any.
 * Return: the device, or NULL.
 */
struct sim_dev *sim_system_device(struct sim_system *sys, const char *name)
{
	unsigned int i;

	for (i = 0; i < sys->nr_devs; i++)
		if (!strcmp(sys->devs[i].st->name, name))
			return &sys->devs[i];
	return NULL;
}

static int sim_iommu_index(struct sim_system *sys, const char *name)
{
	unsigned int i;

	for (i = 0; i < sys->nr_iommus; i++)
		if (!strcmp(sys->cfg.iommus[i].name, name))
			return (int)i;
	return -1;
}

/* A platform (or AMBA) device, as the OF core of 2015 creates it. */
static struct device *sim_of_device_create(const struct iosim_sim_device_cfg *dcfg,
					   const char *name, int idx, struct iosim_iommu *iommu)
{
	struct iosim_of_device_config ocfg = { 0 };

	ocfg.dev.name = name;
	ocfg.dev.bus = sim_bus(idx < 0 ? 0 : (unsigned int)idx);
	ocfg.dev.dma_mask = DMA_BIT_MASK(dcfg->dma_mask_bits);
	ocfg.dev.max_segment_size = dcfg->max_segment_size;
	ocfg.dev.segment_boundary_mask = dcfg->segment_boundary_mask;
	ocfg.dma_coherent = dcfg->coherent;
	ocfg.iommu = iommu;
	return iosim_of_device_create(&ocfg);
}

/*
 * A PCI device, as the PCI core of 2015 adds it: @host_iommu is the IOMMU
 * its host bridge sits behind, which arm64 of 2015 gives it no DMA ops of
 * (the library logs a note and keeps the default ops).
 */
static struct device *sim_pci_device_create(const struct iosim_sim_device_cfg *dcfg,
					    struct iosim_iommu *host_iommu)
{
	struct iosim_pci_dev_config pcfg = {
		.bus_number = (u8)dcfg->pci_bus_number,
		.devfn = dcfg->pci_devfn,
		.dma_mask = DMA_BIT_MASK(dcfg->dma_mask_bits),
		.coherent_dma_mask = DMA_BIT_MASK(dcfg->dma_mask_bits),
		.max_segment_size = dcfg->max_segment_size,
		.segment_boundary_mask = (unsigned long)dcfg->segment_boundary_mask,
		.iommu = host_iommu,
		.dma_coherent = dcfg->coherent,
	};
	struct pci_dev *pdev = iosim_pci_dev_create(&pcfg);

	return pdev ? &pdev->dev : NULL;
}

/* Destroy @d's device the way it was made. */
static void sim_device_destroy(struct sim_dev *d)
{
	if (d->pci)
		iosim_pci_dev_destroy(to_pci_dev(d->dev));
	else
		iosim_of_device_destroy(d->dev);
	d->dev = NULL;
	d->pci = false;
}

/**
 * sim_system_add_device - create a device as a device tree would describe it
 * @sys: the system
 * @dcfg: the device: its bus (platform or PCI), its IOMMU by name ("" for
 *	the default: [replay] default_iommu, else the first IOMMU; for a PCI
 *	device the IOMMU its host bridge sits behind), DMA mask, segment
 *	limits, coherency
 * @err: receives what went wrong
 * @errlen: size of @err
 *
 * A platform device named behind an IOMMU must get the IOMMU's DMA ops: one
 * that would fall back to the direct ops (as the kernel's does when the
 * IOMMU set-up fails) is destroyed and refused.  A PCI device is made with
 * iosim_pci_dev_create() and never gets IOMMU DMA ops (arm64 of 2015 gave
 * PCI devices none, whatever their host bridge sat behind): that is the
 * configured system, not a failed set-up, so its IOMMU is recorded for the
 * report only and its sim_dev has none.
 *
 * Context: process context.
 * Return: the device; ERR_PTR(-ENODEV) with @err set (too many devices,
 * unknown IOMMU, the library refused the device or its IOMMU set-up: it
 * WARNed), or ERR_PTR(-ENOMEM) with @err set when creating it or setting
 * up its IOMMU ran out of memory.
 */
struct sim_dev *sim_system_add_device(struct sim_system *sys,
				      const struct iosim_sim_device_cfg *dcfg,
				      char *err, size_t errlen)
{
	struct sim_dev *d = &sys->devs[sys->nr_devs];
	struct sim_dev_stats *st = &sys->stats->devs[sys->nr_devs];
	const char *iommu_name = NULL;
	struct iosim_iommu *iommu;
	bool pci = dcfg->bus == IOSIM_SIM_BUS_PCI;
	unsigned long warns;
	int idx = -1;

	if (sys->nr_devs >= SIM_MAX_DEVICES) {
		snprintf(err, errlen, "device %s: more than %d devices", dcfg->name,
			 SIM_MAX_DEVICES);
		return ERR_PTR(-ENODEV);
	}
	if (dcfg->no_iommu)
		iommu_name = NULL;
	else if (dcfg->iommu[0])
		iommu_name = dcfg->iommu;
	else if (sys->cfg.replay.default_none)
		iommu_name = NULL;
	else if (sys->cfg.replay.default_iommu[0])
		iommu_name = sys->cfg.replay.default_iommu;
	else
		iommu_name = sys->cfg.iommus[0].name;
	if (iommu_name) {
		idx = sim_iommu_index(sys, iommu_name);
		if (idx < 0) {
			snprintf(err, errlen, "device %s: no IOMMU named '%s'", dcfg->name,
				 iommu_name);
			return ERR_PTR(-ENODEV);
		}
	}

	iommu = idx < 0 ? NULL : sys->iommus[idx];

	memset(st, 0, sizeof(*st));
	snprintf(st->name, sizeof(st->name), "%s", dcfg->name);
	/* The library WARNs a description it refuses; a failure without one is memory. */
	warns = iosim_warn_count();
	d->pci = pci;
	d->dev = pci ? sim_pci_device_create(dcfg, iommu)
		     : sim_of_device_create(dcfg, st->name, idx, iommu);
	if (!d->dev) {
		d->pci = false;
		if (iosim_warn_count() == warns) {
			snprintf(err, errlen, "device %s: out of memory", dcfg->name);
			return ERR_PTR(-ENOMEM);
		}
		snprintf(err, errlen, "device %s: the library refused it", dcfg->name);
		return ERR_PTR(-ENODEV);
	}
	/*
	 * A device whose IOMMU set-up failed works on the direct ops, as at
	 * boot: not the system the configuration describes, so not simulated.
	 */
	if (!pci && iommu && !iosim_dma_uses_iommu(d->dev)) {
		bool warned = iosim_warn_count() != warns;

		sim_device_destroy(d);
		snprintf(err, errlen, "device %s: its IOMMU %s could not be set up%s", dcfg->name,
			 iommu_name, warned ? "" : " (out of memory)");
		return ERR_PTR(warned ? -ENODEV : -ENOMEM);
	}
	/* A PCI device's DMA goes through no IOMMU: its host bridge's is only reported. */
	d->iommu = pci ? NULL : iommu;
	d->st = st;
	st->pci = pci;
	if (idx >= 0)
		snprintf(pci ? st->host_bridge_iommu : st->iommu, IOSIM_SIM_NAME_LEN, "%s",
			 iommu_name);
	st->uses_iommu = iosim_dma_uses_iommu(d->dev);
	st->coherent = dcfg->coherent;
	st->dma_mask_bits = dcfg->dma_mask_bits;
	st->sample_every = 1;
	sys->nr_devs++;
	sys->stats->nr_devs = sys->nr_devs;
	return d;
}

/**
 * sim_system_check - run the library's sanity checkers over the system
 * @sys: the system
 *
 * Context: process context.
 * Return: 0; -EUCLEAN when a checker found a problem (it WARNed it).
 */
int sim_system_check(struct sim_system *sys)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i < sys->nr_iommus; i++)
		if (iosim_iommu_instance_check(sys->iommus[i]))
			ret = -EUCLEAN;
	if (iosim_dma_master_check() || iosim_ram_check())
		ret = -EUCLEAN;
	return ret;
}

/* DMA-API debugging's findings, before shutdown resets them. */
static void sim_collect_debug(struct sim_stats *st)
{
	struct iosim_dma_debug_report r;
	unsigned int k;

	BUILD_BUG_ON(IOSIM_DMA_DEBUG_NR_KINDS > SIM_MAX_DEBUG_KINDS);
	st->debug_total = iosim_dma_debug_total();
	st->debug_nr_kinds = IOSIM_DMA_DEBUG_NR_KINDS;
	for (k = 0; k < IOSIM_DMA_DEBUG_NR_KINDS; k++) {
		st->debug_counts[k] = iosim_dma_debug_count(k);
		st->debug_kind_names[k] = iosim_dma_debug_kind_name(k);
	}
	st->debug_last[0] = '\0';
	if (st->debug_total && iosim_dma_debug_last(&r))
		snprintf(st->debug_last, sizeof(st->debug_last), "%s", r.message);
}

/**
 * sim_system_collect - copy the library's end-of-run counters into the stats
 * @sys: the system (still up)
 *
 * Context: process context.
 */
void sim_system_collect(struct sim_system *sys)
{
	struct iosim_cache_counters cc;
	struct iosim_iommu_stats is;
	unsigned int i;

	sim_stats_sample(sys, true);
	sim_stats_iommu_peak(sys);
	for (i = 0; i < sys->nr_iommus; i++) {
		struct sim_iommu_stats *s = &sys->stats->iommus[i];

		iosim_iommu_get_stats(sys->iommus[i], &is);
		s->map_calls = is.map_calls;
		s->unmap_calls = is.unmap_calls;
		s->iotlb_hits = is.iotlb_hits;
		s->iotlb_misses = is.iotlb_misses;
		s->iotlb_invalidations = is.iotlb_invalidations;
		s->iotlb_stale_hits = is.iotlb_stale_hits;
		s->walks = is.walks;
		s->faults = is.faults;
	}
	for (i = 0; i < sys->nr_devs; i++) {
		struct sim_dev_stats *st = sys->devs[i].st;

		memset(&cc, 0, sizeof(cc));
		iosim_cache_get_counters(sys->devs[i].dev, &cc);
		st->lines_cleaned = cc.lines_cleaned;
		st->lines_invalidated = cc.lines_invalidated;
		st->stale_reads = cc.stale_reads;
		st->lost_writes = cc.lost_writes;
	}
	sys->stats->warnings = iosim_warn_count();
	sim_collect_debug(sys->stats);
}

/**
 * sim_system_down - take everything down, in the reverse order of bring-up
 * @sys: the system (partly up is fine)
 *
 * Context: process context; no mapping or buffer of the devices may be
 * live any more (the runs release theirs first).
 * Return: simulated objects still alive afterwards (0 when nothing leaked);
 * also recorded in the stats with iosim_live_report()'s text.
 */
long sim_system_down(struct sim_system *sys)
{
	unsigned long leaked_pages = 0;

	while (sys->nr_devs) {
		sys->nr_devs--;
		sim_device_destroy(&sys->devs[sys->nr_devs]);
	}
	while (sys->nr_iommus) {
		sys->nr_iommus--;
		iosim_iommu_destroy(sys->iommus[sys->nr_iommus]);
		sys->iommus[sys->nr_iommus] = NULL;
	}
	if (sys->dma_up)
		iosim_dma_system_exit();
	sys->dma_up = false;
	iosim_dma_set_cma(NULL);
	if (sys->ram_up)
		leaked_pages = iosim_ram_exit();
	sys->ram_up = false;
	sys->stats->live_at_exit = iosim_live_total() + (long)leaked_pages;
	iosim_live_report(sys->stats->live_report, sizeof(sys->stats->live_report));
	return sys->stats->live_at_exit;
}
