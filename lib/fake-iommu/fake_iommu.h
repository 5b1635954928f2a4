/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * lib/fake-iommu private: the simulated IOMMU instance, its domains and
 * masters.  Not kernel API.
 *
 * Locks, outermost first (each file takes only what it needs):
 *   iommu->topology_lock (mutex)  masters list, domains list, attachments
 *   domain->lock                  the domain's page table and its map/unmap
 *                                 event counters (see struct iosim_domain)
 *   iommu->lock                   IOTLB, fault log, knobs, every other event
 *                                 counter
 * A fault handler is always called with none of them held.  Two knobs
 * (fail_map_nth, skip_invalidate) and the IOTLB's nr_valid are also read
 * without the lock (atomically; written atomically under it), so that a map
 * or unmap with the knobs off and an empty IOTLB takes the domain lock only.
 */
#ifndef _IOSIM_FAKE_IOMMU_H
#define _IOSIM_FAKE_IOMMU_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/notifier.h>
#include <linux/iommu.h>

#include <iosim/iommu.h>

#include "pgtable.h"
#include "iotlb.h"

#define IOSIM_IOMMU_NAME_LEN	32

/**
 * struct iosim_fault_log - the last IOSIM_IOMMU_FAULT_LOG faults (a ring)
 * @entries: the ring
 * @nr_recorded: faults since creation or the last clear (also the next seq)
 */
struct iosim_fault_log {
	struct iosim_iommu_fault entries[IOSIM_IOMMU_FAULT_LOG];
	unsigned long nr_recorded;
};

/**
 * struct iosim_iommu - one simulated IOMMU
 * @ops: this instance's iommu_ops (the driver's template, with its own
 *	domain_alloc trampoline and pgsize_bitmap); domain->ops points here
 * @cfg: effective configuration (defaults filled in)
 * @pgcfg: the page-table format all its domains share
 * @name: for messages
 * @slot: index in the instance registry (and of the domain_alloc trampoline)
 * @topology_lock: see the top of this file
 * @domains: live struct iosim_domain, by ->node
 * @masters: live struct iosim_master, by ->node
 * @nr_domains: contexts in use
 * @nr_masters: entries on @masters
 * @next_domain_id: IOTLB tag of the next domain (never reused, never 0)
 * @budget: table budget shared by the domains
 * @iotlb: the IOTLB
 * @lock: see the top of this file
 * @faults: the fault log
 * @events: event counters of domains already freed and of traffic that
 *	belongs to no domain
 * @fail_map_nth: the map call (counted from arming) that fails; 0 = off
 * @map_calls_armed: map calls since @fail_map_nth was armed
 * @refuse_domains: domain_alloc returns NULL
 * @skip_invalidate: unmap does not invalidate the IOTLB
 * @bus_nb: hears BUS_NOTIFY_REMOVED_DEVICE on @cfg.bus to drop masters
 * @bus_set: bus_set_iommu() succeeded (undo with iosim_bus_clear_iommu())
 */
struct iosim_iommu {
	struct iommu_ops ops;
	struct iosim_iommu_config cfg;
	struct iosim_pgtable_cfg pgcfg;
	char name[IOSIM_IOMMU_NAME_LEN];
	unsigned int slot;

	struct mutex topology_lock;
	struct list_head domains;
	struct list_head masters;
	unsigned int nr_domains;
	unsigned int nr_masters;
	u64 next_domain_id;

	struct iosim_pgtable_budget budget;
	struct iosim_iotlb iotlb;

	spinlock_t lock;
	struct iosim_fault_log faults;
	struct iosim_iommu_stats events;
	unsigned long created_table_budget;	/* cfg.table_budget at creation (reset.c) */
	unsigned long fail_map_nth;
	unsigned long map_calls_armed;
	bool refuse_domains;
	bool skip_invalidate;

	struct notifier_block bus_nb;
	bool bus_set;
};

/**
 * struct iosim_domain - a domain of a simulated IOMMU
 * @domain: what the IOMMU API sees
 * @iommu: the instance that allocated it
 * @id: IOTLB tag (the context's ASID/VMID, never reused)
 * @node: on @iommu->domains
 * @alloc_type: the type domain_alloc was asked for (domain->type may be
 *	changed by its user, as the seed's arm64 code does)
 * @has_dma_cookie: the configured dma_cookie_get() gave it a cookie
 * @nr_masters: masters attached to it
 * @lock: see the top of fake_iommu.h
 * @pgt: its page table
 * @events: its event counters: map_calls, map_failures, unmap_calls,
 *	unmapped_bytes and the iotlb_*invalidat* counters under @lock, the
 *	others (the bus master's) under @iommu->lock; readers hold both
 */
struct iosim_domain {
	struct iommu_domain domain;
	struct iosim_iommu *iommu;
	u64 id;
	struct list_head node;
	unsigned int alloc_type;
	bool has_dma_cookie;
	unsigned int nr_masters;
	spinlock_t lock;
	struct iosim_pgtable pgt;
	struct iosim_iommu_stats events;
};

/**
 * struct iosim_master - a device behind a simulated IOMMU (dev->iosim_master)
 * @node: on @iommu->masters
 * @dev: the device (a reference is held)
 * @iommu: its IOMMU (also in dev->archdata.iommu)
 * @domain: the domain its stream is attached to, or NULL
 */
struct iosim_master {
	struct list_head node;
	struct device *dev;
	struct iosim_iommu *iommu;
	struct iosim_domain *domain;
};

static inline struct iosim_domain *to_iosim_domain(struct iommu_domain *domain)
{
	return container_of(domain, struct iosim_domain, domain);
}

/* -- fake_iommu.c: the instance registry ---------------------------------- */

/* iosim_iommu_get_slot - the instance in registry slot @slot, or NULL. */
struct iosim_iommu *iosim_iommu_get_slot(unsigned int slot);

/*
 * iosim_iommu_live_instances - the registered instances, in slot order,
 * into @out, read under one hold of the registry lock.  Return: how many.
 */
unsigned int iosim_iommu_live_instances(struct iosim_iommu *out[IOSIM_IOMMU_MAX_INSTANCES]);

/* iosim_iommu_is_live - @iommu is a registered instance (compared, not read). */
bool iosim_iommu_is_live(const struct iosim_iommu *iommu);

/*
 * iosim_iommu_output_ok - the checker's output test for @data's instance:
 * [@phys, @phys + @len) lies in RAM or in the instance's MMIO window.
 */
bool iosim_iommu_output_ok(phys_addr_t phys, u64 len, void *data);

/* -- domain.c: the iommu_ops callbacks on domains ------------------------- */

/*
 * iosim_domain_alloc - domain_alloc for @iommu (called by its trampoline).
 * Return: the domain (counted, holding a context, no table yet), or NULL for
 * an unsupported @type, an injected failure, the refuse knob, no free
 * context, or no memory.
 */
struct iommu_domain *iosim_domain_alloc(struct iosim_iommu *iommu, unsigned int type);

/* The iommu_ops callbacks: kernel semantics, documented in domain.c. */
void iosim_domain_free(struct iommu_domain *domain);
int iosim_domain_attach_dev(struct iommu_domain *domain, struct device *dev);
void iosim_domain_detach_dev(struct iommu_domain *domain, struct device *dev);
int iosim_domain_map(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr,
		     size_t size, int prot);
size_t iosim_domain_unmap(struct iommu_domain *domain, unsigned long iova, size_t size);
phys_addr_t iosim_domain_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova);

/* iosim_domain_find - @domain as one of ours (searched, never dereferenced), or NULL. */
struct iosim_domain *iosim_domain_find(struct iommu_domain *domain);

/* iosim_domain_free_all - instance teardown: free every domain left (no WARN here). */
void iosim_domain_free_all(struct iosim_iommu *iommu);

/* -- master.c: masters, add_device/remove_device ---------------------------- */

/* The add_device/remove_device callbacks: see master.c. */
int iosim_master_add_device(struct device *dev);
void iosim_master_remove_device(struct device *dev);

/* iosim_master_of - @dev's master state if it is behind a simulated IOMMU, else NULL. */
struct iosim_master *iosim_master_of(struct device *dev);

/* iosim_master_detach_locked - point @master's stream nowhere; topology lock held. */
void iosim_master_detach_locked(struct iosim_master *master);

/* iosim_master_bus_notifier - drops masters whose device left the instance's bus. */
int iosim_master_bus_notifier(struct notifier_block *nb, unsigned long action, void *data);

/* iosim_master_remove_all - instance teardown: remove every master. */
void iosim_master_remove_all(struct iosim_iommu *iommu);

/* -- fault_log.c, stats.c ---------------------------------------------------- */

/* iosim_fault_log_record - append @fault to @iommu's log (its seq is assigned here). */
void iosim_fault_log_record(struct iosim_iommu *iommu, const struct iosim_iommu_fault *fault);

/* iosim_stats_add_events - add @add's event counters (not live values) into @sum. */
void iosim_stats_add_events(struct iosim_iommu_stats *sum, const struct iosim_iommu_stats *add);

/* iosim_stats_add_pgtable - add @pgt's live shape and cumulative counters into @stats. */
void iosim_stats_add_pgtable(struct iosim_iommu_stats *stats, const struct iosim_pgtable *pgt);

#endif /* _IOSIM_FAKE_IOMMU_H */
