// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Simulated IOMMU instances: creation, teardown, and the registry that lets
 * a driver callback find its instance.
 *
 * Every instance carries its own copy of the driver's iommu_ops, so
 * instances with different granules (pgsize_bitmap) coexist, and a domain's
 * instance is found from domain->ops.  domain_alloc(type) of 2015 receives
 * neither a device nor the ops it was called through, so each registry slot
 * has its own domain_alloc trampoline: instance N's ops point at trampoline
 * N, which knows its slot.  That bounds the instances alive at once
 * (IOSIM_IOMMU_MAX_INSTANCES) and lets domain_alloc enforce the context
 * count and knobs of the right instance.
 */
#include <stdio.h>

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <linux/iommu.h>

#include <iosim/iommu.h>
#include <iosim/iommu_core.h>
#include <iosim/live.h>
#include <iosim/ram.h>

#include "fake_iommu.h"

static DEFINE_MUTEX(registry_lock);
static struct iosim_iommu *registry[IOSIM_IOMMU_MAX_INSTANCES];
/* Every slot from here up is empty: the lookups scan below it only. */
static unsigned int registry_end;
static unsigned int next_instance_nr;	/* for default names */

struct iosim_iommu *iosim_iommu_get_slot(unsigned int slot)
{
	struct iosim_iommu *iommu;

	if (WARN_ON(slot >= IOSIM_IOMMU_MAX_INSTANCES))
		return NULL;
	mutex_lock(&registry_lock);
	iommu = registry[slot];
	mutex_unlock(&registry_lock);
	return iommu;
}

unsigned int iosim_iommu_live_instances(struct iosim_iommu *out[IOSIM_IOMMU_MAX_INSTANCES])
{
	unsigned int slot, nr = 0;

	mutex_lock(&registry_lock);
	for (slot = 0; slot < registry_end; slot++)
		if (registry[slot])
			out[nr++] = registry[slot];
	mutex_unlock(&registry_lock);
	return nr;
}

bool iosim_iommu_is_live(const struct iosim_iommu *iommu)
{
	bool live = false;
	unsigned int i;

	if (!iommu)
		return false;
	mutex_lock(&registry_lock);
	for (i = 0; i < registry_end; i++) {
		if (registry[i] == iommu) {
			live = true;
			break;
		}
	}
	mutex_unlock(&registry_lock);
	return live;
}

/* domain_alloc for slot @slot: the only way to know which instance was asked. */
static struct iommu_domain *iosim_slot_domain_alloc(unsigned int slot, unsigned int type)
{
	struct iosim_iommu *iommu = iosim_iommu_get_slot(slot);

	/* ops copied out of a destroyed instance and still called */
	if (WARN(!iommu, "iosim iommu: domain_alloc through the ops of a destroyed instance"))
		return NULL;
	return iosim_domain_alloc(iommu, type);
}

#define IOSIM_TRAMPOLINE(n)							\
static struct iommu_domain *iosim_domain_alloc_slot##n(unsigned int type)	\
{										\
	return iosim_slot_domain_alloc(n, type);				\
}
IOSIM_TRAMPOLINE(0) IOSIM_TRAMPOLINE(1) IOSIM_TRAMPOLINE(2) IOSIM_TRAMPOLINE(3)
IOSIM_TRAMPOLINE(4) IOSIM_TRAMPOLINE(5) IOSIM_TRAMPOLINE(6) IOSIM_TRAMPOLINE(7)
IOSIM_TRAMPOLINE(8) IOSIM_TRAMPOLINE(9) IOSIM_TRAMPOLINE(10) IOSIM_TRAMPOLINE(11)
IOSIM_TRAMPOLINE(12) IOSIM_TRAMPOLINE(13) IOSIM_TRAMPOLINE(14) IOSIM_TRAMPOLINE(15)
IOSIM_TRAMPOLINE(16) IOSIM_TRAMPOLINE(17) IOSIM_TRAMPOLINE(18) IOSIM_TRAMPOLINE(19)
IOSIM_TRAMPOLINE(20) IOSIM_TRAMPOLINE(21) IOSIM_TRAMPOLINE(22) IOSIM_TRAMPOLINE(23)
IOSIM_TRAMPOLINE(24) IOSIM_TRAMPOLINE(25) IOSIM_TRAMPOLINE(26) IOSIM_TRAMPOLINE(27)
IOSIM_TRAMPOLINE(28) IOSIM_TRAMPOLINE(29) IOSIM_TRAMPOLINE(30) IOSIM_TRAMPOLINE(31)

static struct iommu_domain *(*const iosim_domain_alloc_slots[])(unsigned int) = {
	iosim_domain_alloc_slot0, iosim_domain_alloc_slot1, iosim_domain_alloc_slot2,
	iosim_domain_alloc_slot3, iosim_domain_alloc_slot4, iosim_domain_alloc_slot5,
	iosim_domain_alloc_slot6, iosim_domain_alloc_slot7, iosim_domain_alloc_slot8,
	iosim_domain_alloc_slot9, iosim_domain_alloc_slot10, iosim_domain_alloc_slot11,
	iosim_domain_alloc_slot12, iosim_domain_alloc_slot13, iosim_domain_alloc_slot14,
	iosim_domain_alloc_slot15, iosim_domain_alloc_slot16, iosim_domain_alloc_slot17,
	iosim_domain_alloc_slot18, iosim_domain_alloc_slot19, iosim_domain_alloc_slot20,
	iosim_domain_alloc_slot21, iosim_domain_alloc_slot22, iosim_domain_alloc_slot23,
	iosim_domain_alloc_slot24, iosim_domain_alloc_slot25, iosim_domain_alloc_slot26,
	iosim_domain_alloc_slot27, iosim_domain_alloc_slot28, iosim_domain_alloc_slot29,
	iosim_domain_alloc_slot30, iosim_domain_alloc_slot31,
};
BUILD_BUG_ON_MSG(ARRAY_SIZE(iosim_domain_alloc_slots) != IOSIM_IOMMU_MAX_INSTANCES,
		 "one domain_alloc trampoline per instance slot");

/*
 * capable() receives no instance either; the answers hold for every
 * configuration (as arm-smmu's did): IOMMU_CACHE is honoured, IOMMU_NOEXEC
 * sets XN, and MSIs are plain memory writes the tables translate.
 */
static bool iosim_iommu_capable(enum iommu_cap cap)
{
	switch (cap) {
	case IOMMU_CAP_CACHE_COHERENCY:
	case IOMMU_CAP_NOEXEC:
	case IOMMU_CAP_INTR_REMAP:
		return true;
	default:
		return false;
	}
}

/* The driver: every instance starts from this and fills in the rest. */
static const struct iommu_ops iosim_iommu_ops_template = {
	.capable = iosim_iommu_capable,
	.domain_free = iosim_domain_free,
	.attach_dev = iosim_domain_attach_dev,
	.detach_dev = iosim_domain_detach_dev,
	.map = iosim_domain_map,
	.unmap = iosim_domain_unmap,
	.map_sg = default_iommu_map_sg,
	.iova_to_phys = iosim_domain_iova_to_phys,
	.add_device = iosim_master_add_device,
	.remove_device = iosim_master_remove_device,
	.device_group = generic_device_group,
};

/* Fill in defaults and validate; WARNs and returns -EINVAL on nonsense. */
static int iosim_iommu_config_resolve(struct iosim_iommu_config *cfg,
				      struct iosim_pgtable_cfg *pgcfg)
{
	int ret;

	if (!cfg->granule)
		cfg->granule = SZ_4K;
	if (!cfg->ias_bits)
		cfg->ias_bits = IOSIM_PGT_MAX_IAS;
	if (!cfg->oas_bits)
		cfg->oas_bits = IOSIM_PGT_MAX_OAS;
	if (!cfg->nr_contexts)
		cfg->nr_contexts = IOSIM_IOMMU_DEFAULT_CONTEXTS;
	if (cfg->no_iotlb)
		cfg->iotlb_entries = 0;
	else if (!cfg->iotlb_entries)
		cfg->iotlb_entries = IOSIM_IOMMU_DEFAULT_IOTLB;

	ret = iosim_pgtable_cfg_init(pgcfg, cfg->granule, cfg->ias_bits, cfg->oas_bits,
				     cfg->pgsize_mask);
	if (WARN(ret, "iosim iommu: bad format: granule %#lx, ias %u, oas %u, pgsize mask %#lx",
		 cfg->granule, cfg->ias_bits, cfg->oas_bits, cfg->pgsize_mask))
		return -EINVAL;
	cfg->pgsize_mask = pgcfg->pgsize_bitmap;

	if (WARN(cfg->mmio_size && cfg->mmio_base + cfg->mmio_size - 1 < cfg->mmio_base,
		 "iosim iommu: MMIO range wraps"))
		return -EINVAL;
	if (WARN(!cfg->dma_cookie_get != !cfg->dma_cookie_put,
		 "iosim iommu: dma_cookie_get and dma_cookie_put come together"))
		return -EINVAL;
	return 0;
}

/* Take a free registry slot for @iommu; -ENOSPC if none. */
static int iosim_iommu_register(struct iosim_iommu *iommu)
{
	unsigned int i;
	int ret = -ENOSPC;

	mutex_lock(&registry_lock);
	for (i = 0; i < IOSIM_IOMMU_MAX_INSTANCES; i++) {
		if (!registry[i]) {
			registry[i] = iommu;
			iommu->slot = i;
			registry_end = max(registry_end, i + 1);
			ret = 0;
			break;
		}
	}
	if (!ret && !iommu->name[0])
		snprintf(iommu->name, sizeof(iommu->name), "iosim-iommu%u", next_instance_nr);
	next_instance_nr++;
	mutex_unlock(&registry_lock);
	return ret;
}

static void iosim_iommu_unregister(struct iosim_iommu *iommu)
{
	mutex_lock(&registry_lock);
	registry[iommu->slot] = NULL;
	while (registry_end && !registry[registry_end - 1])
		registry_end--;
	mutex_unlock(&registry_lock);
}

/* Become @iommu->cfg.bus's IOMMU, and hear about devices leaving it. */
static int iosim_iommu_bind_bus(struct iosim_iommu *iommu)
{
	struct bus_type *bus = iommu->cfg.bus;
	int ret;

	ret = bus_set_iommu(bus, &iommu->ops);
	if (ret)
		return ret;
	iommu->bus_set = true;

	iommu->bus_nb.notifier_call = iosim_master_bus_notifier;
	ret = bus_register_notifier(bus, &iommu->bus_nb);
	if (ret)
		goto out_clear_iommu;
	return 0;

out_clear_iommu:
	iosim_bus_clear_iommu(bus);
	iommu->bus_set = false;
	return ret;
}

struct iosim_iommu *iosim_iommu_create(const struct iosim_iommu_config *cfg)
{
	struct iosim_iommu_config resolved = {};
	struct iosim_iommu *iommu;
	int ret;

	if (cfg)
		resolved = *cfg;
	iommu = kzalloc(sizeof(*iommu), GFP_KERNEL);
	if (!iommu)
		return ERR_PTR(-ENOMEM);
	ret = iosim_iommu_config_resolve(&resolved, &iommu->pgcfg);
	if (ret)
		goto out_free;
	iommu->cfg = resolved;
	if (resolved.name)
		snprintf(iommu->name, sizeof(iommu->name), "%s", resolved.name);
	iommu->cfg.name = iommu->name;

	mutex_init(&iommu->topology_lock);
	spin_lock_init(&iommu->lock);
	/* Every map call reads the knob without the lock (iosim_domain_map()). */
	IOSIM_LOCKLESS_READS(&iommu->fail_map_nth);
	INIT_LIST_HEAD(&iommu->domains);
	INIT_LIST_HEAD(&iommu->masters);
	iommu->budget.limit = resolved.table_budget;
	iommu->created_table_budget = resolved.table_budget;

	ret = iosim_iotlb_init(&iommu->iotlb, resolved.iotlb_entries);
	if (ret)
		goto out_free;

	/* Registered before bus_set_iommu(): add_device may run at once. */
	ret = iosim_iommu_register(iommu);
	if (ret)
		goto out_destroy_iotlb;
	iommu->ops = iosim_iommu_ops_template;
	iommu->ops.domain_alloc = iosim_domain_alloc_slots[iommu->slot];
	iommu->ops.pgsize_bitmap = iommu->pgcfg.pgsize_bitmap;
	iommu->ops.priv = iommu;

	if (resolved.bus) {
		ret = iosim_iommu_bind_bus(iommu);
		if (ret)
			goto out_unregister;
	}

	iosim_live_add(IOSIM_OBJ_IOMMU, 1);
	return iommu;

out_unregister:
	iosim_iommu_unregister(iommu);
out_destroy_iotlb:
	iosim_iotlb_destroy(&iommu->iotlb);
out_free:
	kfree(iommu);
	return ERR_PTR(ret);
}

void iosim_iommu_destroy(struct iosim_iommu *iommu)
{
	if (!iommu)
		return;
	if (WARN(!iosim_iommu_is_live(iommu), "iosim_iommu_destroy: %p is not a live IOMMU",
		 iommu))
		return;

	/*
	 * Devices leave their groups first (the core frees the groups' default
	 * domains through our domain_free), then the remaining masters go.
	 */
	if (iommu->bus_set) {
		bus_unregister_notifier(iommu->cfg.bus, &iommu->bus_nb);
		iosim_bus_clear_iommu(iommu->cfg.bus);
		iommu->bus_set = false;
	}
	iosim_master_remove_all(iommu);

	mutex_lock(&iommu->topology_lock);
	WARN(iommu->nr_domains, "iosim_iommu_destroy: %s: %u domain(s) still allocated",
	     iommu->name, iommu->nr_domains);
	mutex_unlock(&iommu->topology_lock);
	iosim_domain_free_all(iommu);

	iosim_iommu_unregister(iommu);
	iosim_iotlb_destroy(&iommu->iotlb);
	mutex_destroy(&iommu->topology_lock);
	kfree(iommu);
	iosim_live_add(IOSIM_OBJ_IOMMU, -1);
}

const struct iommu_ops *iosim_iommu_ops(struct iosim_iommu *iommu)
{
	return &iommu->ops;
}

const char *iosim_iommu_name(const struct iosim_iommu *iommu)
{
	return iommu->name;
}

void iosim_iommu_get_config(const struct iosim_iommu *iommu, struct iosim_iommu_config *cfg)
{
	*cfg = iommu->cfg;
}

struct iosim_iommu *iosim_iommu_from_domain(struct iommu_domain *domain)
{
	struct iosim_domain *dom = iosim_domain_find(domain);

	return dom ? dom->iommu : NULL;
}

/* Accept RAM, and the instance's MMIO window, as mapping outputs. */
bool iosim_iommu_output_ok(phys_addr_t phys, u64 len, void *data)
{
	const struct iosim_iommu *iommu = data;
	u64 mmio_end = iommu->cfg.mmio_base + iommu->cfg.mmio_size;

	if (iosim_phys_is_ram(phys, len))
		return true;
	return iommu->cfg.mmio_size && phys >= iommu->cfg.mmio_base && phys < mmio_end &&
	       len <= mmio_end - phys;
}
