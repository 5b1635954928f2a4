/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/iommu.h> - the simulated page-table IOMMU (lib/fake-iommu).
 *
 * An instance is an IOMMU with its own iommu_ops (the kernel IOMMU API
 * drives it), a number of contexts for domains, an ARM LPAE style page table
 * per domain kept in simulated physical pages, an IOTLB, and a fault log.
 * Devices become its masters with iosim_iommu_add_master(); their DMA goes
 * through the translation with iosim_dma_read()/iosim_dma_write()
 * (<iosim/bus_master.h>).  See docs/fake-iommu.md.
 */
#ifndef _IOSIM_IOMMU_H
#define _IOSIM_IOMMU_H

#include <linux/types.h>

struct bus_type;
struct device;
struct iommu_domain;
struct iommu_ops;
struct iosim_iommu;

/* The small-page mode's granule: 2 KiB pages, below every CPU PAGE_SIZE. */
#define IOSIM_IOMMU_SMALL_PAGE		2048UL

#define IOSIM_IOMMU_DEFAULT_CONTEXTS	64
#define IOSIM_IOMMU_DEFAULT_IOTLB	64
#define IOSIM_IOMMU_MAX_INSTANCES	32	/* alive at once */
#define IOSIM_IOMMU_FAULT_LOG		64	/* faults kept per instance */

/**
 * struct iosim_iommu_config - how to build an instance (zero = default)
 * @name: for messages; NULL gives "iosim-iommu<N>"
 * @granule: SZ_4K (0 = default), SZ_16K, SZ_64K, or IOSIM_IOMMU_SMALL_PAGE
 * @pgsize_mask: 0 for every page size the granule allows (4K|2M|1G,
 *	16K|32M, 64K|512M, 2K|512K|128M); otherwise a subset that keeps the
 *	granule itself
 * @ias_bits: input (IOVA) address size, 32..48 (0 = 48); the domains'
 *	aperture is [0, 2^ias_bits)
 * @oas_bits: output (physical) address size, 32..48 (0 = 48)
 * @nr_contexts: domains alive at once (0 = IOSIM_IOMMU_DEFAULT_CONTEXTS);
 *	domain_alloc beyond it returns NULL
 * @coherent_walk: the table walker snoops CPU caches (recorded; walks read
 *	simulated memory either way for now)
 * @iotlb_entries: IOTLB size (0 = IOSIM_IOMMU_DEFAULT_IOTLB)
 * @no_iotlb: no IOTLB at all: every access walks
 * @bypass_unattached: DMA of masters without a domain passes untranslated
 *	(1:1); otherwise it faults
 * @bus: if set, the instance is that bus's IOMMU (bus_set_iommu()), and
 *	masters on it get IOMMU groups through the core
 * @table_budget: most page tables alive at once across the instance's
 *	domains (0 = no limit); allocations beyond it fail like -ENOMEM
 * @mmio_base: an output range besides RAM that mappings may target (the
 *	checker accepts it; the bus master cannot touch it: such accesses are
 *	bus errors).  Benchmarks map large ranges here.
 * @mmio_size: its size in bytes (0 = none)
 * @dma_cookie_get: domain_alloc(IOMMU_DOMAIN_DMA) calls it on the new domain,
 *	as the seed asks IOMMU drivers to call iommu_get_dma_cookie() (pass
 *	that function: this layer sits below lib/dma-iommu and cannot call it
 *	itself); a non-zero return fails the allocation.  NULL makes
 *	domain_alloc refuse IOMMU_DOMAIN_DMA, as 2015's arm-smmu did: groups
 *	then get no default domain and the seed's arm64 code makes its own
 *	from an IOMMU_DOMAIN_UNMANAGED one.
 * @dma_cookie_put: domain_free calls it for domains @dma_cookie_get
 *	succeeded on (pass iommu_put_dma_cookie)
 */
struct iosim_iommu_config {
	const char *name;
	unsigned long granule;
	unsigned long pgsize_mask;
	unsigned int ias_bits;
	unsigned int oas_bits;
	unsigned int nr_contexts;
	bool coherent_walk;
	unsigned int iotlb_entries;
	bool no_iotlb;
	bool bypass_unattached;
	struct bus_type *bus;
	unsigned long table_budget;
	phys_addr_t mmio_base;
	u64 mmio_size;
	int (*dma_cookie_get)(struct iommu_domain *domain);
	void (*dma_cookie_put)(struct iommu_domain *domain);
};

/* Most spare (emptied, kept for reuse) page tables one domain holds. */
#define IOSIM_IOMMU_MAX_SPARE_TABLES	8

/* Index of a page size in iosim_iommu_stats.mappings[]: log2 of the size. */
#define IOSIM_IOMMU_PGSIZE_SLOTS	64

/**
 * struct iosim_iommu_stats - counters of an instance or of one domain
 *
 * Live values: @mappings, @mapped_bytes, @tables, @table_bytes,
 * @spare_tables, @spare_table_bytes, @domains, @masters.  Everything else
 * counts events since creation (for a domain: since its allocation).
 * Per-domain statistics fill the page-table and map/unmap fields and the
 * IOTLB/walk fields of that domain's traffic; @domains, @masters and the
 * budget fields are instance-wide.
 *
 * Spare tables: a domain keeps up to a few (IOSIM_IOMMU_MAX_SPARE_TABLES)
 * of the tables its unmaps emptied, all-zero and linked nowhere, and takes
 * them for its next table allocations instead of allocating and zeroing
 * pages again.  They are allocated pages of simulated RAM (counted as
 * IOSIM_OBJ_PAGE), not in @tables and not charged to the table budget;
 * freeing the domain frees them.  So pages allocated by a domain's tables
 * are (@table_bytes + @spare_table_bytes) / PAGE_SIZE; a map that fails
 * leaves @spare_tables as it found it, an unmap may raise it.
 */
struct iosim_iommu_stats {
	unsigned long mappings[IOSIM_IOMMU_PGSIZE_SLOTS]; /* live leaves by log2(size) */
	u64 mapped_bytes;
	unsigned long tables;		/* page tables alive (one per granule-sized table) */
	u64 table_bytes;		/* simulated RAM they occupy */
	unsigned long spare_tables;	/* emptied tables kept for reuse (not in @tables) */
	u64 spare_table_bytes;		/* simulated RAM they occupy */
	unsigned long domains;
	unsigned long masters;
	unsigned long map_calls;
	unsigned long map_failures;
	unsigned long unmap_calls;
	u64 unmapped_bytes;
	unsigned long splits;		/* blocks split by partial unmaps */
	unsigned long table_alloc_failures;
	unsigned long budget_refusals;
	unsigned long walks;		/* hardware table walks (IOTLB misses that walked) */
	unsigned long iotlb_hits;
	unsigned long iotlb_misses;
	unsigned long iotlb_invalidations;	/* invalidate operations */
	unsigned long iotlb_entries_invalidated;
	unsigned long iotlb_skipped_invalidations; /* unmaps that did not invalidate (knob) */
	unsigned long iotlb_stale_hits;	/* hits that disagree with the tables */
	unsigned long faults;
	u64 dma_read_bytes;
	u64 dma_write_bytes;
};

/* Why a device access faulted. */
enum iosim_iommu_fault_reason {
	IOSIM_IOMMU_FAULT_TRANSLATION,	/* no valid translation (or a malformed one) */
	IOSIM_IOMMU_FAULT_PERMISSION,	/* mapping lacks IOMMU_READ / IOMMU_WRITE */
	IOSIM_IOMMU_FAULT_ADDRESS_SIZE,	/* address outside the input address size */
	IOSIM_IOMMU_FAULT_NO_DOMAIN,	/* master not attached and no bypass */
	IOSIM_IOMMU_FAULT_BUS_ERROR,	/* translated to an address outside RAM */
};

/**
 * struct iosim_iommu_fault - one recorded fault
 * @dev: the master
 * @domain: its domain (NULL for IOSIM_IOMMU_FAULT_NO_DOMAIN)
 * @iova: the first faulting address
 * @flags: IOMMU_FAULT_READ or IOMMU_FAULT_WRITE
 * @reason: see enum iosim_iommu_fault_reason
 * @reported: report_iommu_fault() was called (every reason but NO_DOMAIN
 *	and BUS_ERROR)
 * @handler_ret: what report_iommu_fault() returned (-ENOSYS: no handler)
 * @seq: 1 for the first fault since creation or the last clear, and so on
 */
struct iosim_iommu_fault {
	struct device *dev;
	struct iommu_domain *domain;
	unsigned long iova;
	int flags;
	enum iosim_iommu_fault_reason reason;
	bool reported;
	int handler_ret;
	unsigned long seq;
};

/**
 * struct iosim_iommu_pte - what the tables hold for one IOVA (introspection)
 * @iova: first address the leaf translates
 * @size: bytes it translates (the page or block size)
 * @phys: output address of @iova
 * @prot: IOMMU_READ/WRITE/NOEXEC/CACHE/MMIO decoded from its attributes
 * @level: ARM table level of the leaf (3 = page; -1 exists in small-page mode)
 * @desc: the raw 64-bit descriptor
 */
struct iosim_iommu_pte {
	unsigned long iova;
	unsigned long size;
	phys_addr_t phys;
	int prot;
	int level;
	u64 desc;
};

/**
 * iosim_iommu_create - build an IOMMU instance
 * @cfg: configuration (NULL for all defaults)
 *
 * Allocates the instance (counted as IOSIM_OBJ_IOMMU) with its own copy of
 * the driver's iommu_ops whose pgsize_bitmap follows @cfg, and its IOTLB.
 * With @cfg->bus, calls bus_set_iommu(@cfg->bus, ops): devices already on
 * the bus are offered to the driver at once, later ones when added.
 *
 * Context: process context.
 * Return: the instance, or ERR_PTR(): -EINVAL for a bad configuration
 * (WARNed), -ENOSPC with IOSIM_IOMMU_MAX_INSTANCES alive, -EBUSY if
 * @cfg->bus already has an IOMMU, -ENOMEM (or bus_set_iommu()'s error)
 * otherwise.  On error nothing is left behind.
 */
struct iosim_iommu *iosim_iommu_create(const struct iosim_iommu_config *cfg);

/**
 * iosim_iommu_destroy - tear an instance down
 * @iommu: from iosim_iommu_create(); NULL is ignored
 *
 * Masters still registered are removed (WARN); domains still alive are
 * WARNed about and freed with their tables (their users must not touch
 * them again).  The bus, if any, is left without an IOMMU.
 *
 * Context: process context; no DMA or IOMMU call on @iommu may be running.
 */
void iosim_iommu_destroy(struct iosim_iommu *iommu);

/**
 * iosim_iommu_reset - give an idle instance the state it was created in
 * @iommu: a live instance none of whose domains is still allocated
 *
 * For runs that keep an instance (and the masters behind it) instead of
 * creating one each time, and must not be able to tell the difference: the
 * fault log is emptied; the event counters (statistics, budget refusals)
 * are zero; the knobs are as created (no map call armed to fail, domains
 * accepted, unmaps invalidate, the table budget of the configuration);
 * the IOTLB is empty with the replacement state of a new one; domain ids
 * start again from the first.  The configuration, name, bus and masters
 * stay.
 *
 * Context: process context; no DMA or IOMMU call on @iommu may be running.
 * Return: 0; -EINVAL (WARN) if @iommu is not a live instance; -EBUSY if a
 * domain of the instance is still allocated (nothing is changed).
 */
int iosim_iommu_reset(struct iosim_iommu *iommu);

/** iosim_iommu_ops - the instance's iommu_ops (for ops->domain_alloc etc.). */
const struct iommu_ops *iosim_iommu_ops(struct iosim_iommu *iommu);

/** iosim_iommu_name - the instance's name. */
const char *iosim_iommu_name(const struct iosim_iommu *iommu);

/**
 * iosim_iommu_get_config - the effective configuration (defaults filled in,
 * @pgsize_mask = the pgsize_bitmap in use).
 */
void iosim_iommu_get_config(const struct iosim_iommu *iommu, struct iosim_iommu_config *cfg);

/**
 * iosim_iommu_from_domain - the instance a domain belongs to
 * @domain: any domain
 *
 * Return: the instance, or NULL if @domain is not a live domain of a
 * simulated IOMMU.
 */
struct iosim_iommu *iosim_iommu_from_domain(struct iommu_domain *domain);

/**
 * iosim_iommu_of_dev - the instance @dev is a master of, or NULL.
 * @dev: any device
 */
struct iosim_iommu *iosim_iommu_of_dev(struct device *dev);

/**
 * iosim_iommu_add_master - put @dev behind @iommu
 * @iommu: the instance
 * @dev: a device that is no IOMMU's master yet
 *
 * Sets dev->archdata.iommu to @iommu.  If @iommu serves a bus and @dev is
 * already on it, the driver's add_device puts @dev in an IOMMU group now;
 * if @dev is added to that bus later, the core's bus notifier does it then.
 *
 * Context: process context.
 * Return: 0; -EINVAL (WARN) if @dev is already a master or either argument
 * is NULL; -ENOMEM; or the group code's error.  On error @dev is unchanged.
 */
int iosim_iommu_add_master(struct iosim_iommu *iommu, struct device *dev);

/**
 * iosim_iommu_remove_master - take @dev from behind its IOMMU
 * @dev: a master (anything else WARNs and is ignored)
 *
 * Removes it from its IOMMU group, detaches it from its domain if it still
 * is attached, and clears dev->archdata.iommu.  A master on the instance's
 * bus is removed this way automatically when the device is deleted.
 *
 * Context: process context.
 */
void iosim_iommu_remove_master(struct device *dev);

/**
 * iosim_iommu_get_stats - instance-wide counters (sums over its domains,
 * plus the events of domains already freed)
 * @iommu: the instance
 * @stats: filled in
 */
void iosim_iommu_get_stats(struct iosim_iommu *iommu, struct iosim_iommu_stats *stats);

/**
 * iosim_iommu_domain_stats - one domain's counters
 * @domain: a domain of a simulated IOMMU
 * @stats: filled in
 *
 * Return: 0; -EINVAL if @domain is not one (@stats zeroed).
 */
int iosim_iommu_domain_stats(struct iommu_domain *domain, struct iosim_iommu_stats *stats);

/**
 * iosim_iommu_domain_mapped_bytes - what one domain maps now
 * @domain: a domain of a simulated IOMMU
 * @bytes: set to the bytes its leaves map (iosim_iommu_domain_stats()'
 *	mapped_bytes), 0 on error
 *
 * For a checker that asks after every step: one lock, instead of the whole
 * statistics under three.
 *
 * Context: any; takes the domain's lock.
 * Return: 0; -EINVAL if @domain is not one.
 */
int iosim_iommu_domain_mapped_bytes(struct iommu_domain *domain, u64 *bytes);

/**
 * iosim_iommu_domain_check - the domain's sanity checker
 * @domain: a domain of a simulated IOMMU
 *
 * Walks the whole page table in simulated memory: descriptors well formed,
 * output addresses aligned to their level's size and inside RAM or the
 * instance's MMIO range, no table page referenced twice, table pages
 * allocated, counters (mappings by size, tables) equal to the walk; and
 * checks the domain's own bookkeeping (attached masters, instance links).
 *
 * Context: takes the domain's lock.
 * Return: 0 if consistent; -EUCLEAN after WARNing each problem; -EINVAL
 * (WARN) if @domain is not a simulated IOMMU's domain.
 */
int iosim_iommu_domain_check(struct iommu_domain *domain);

/**
 * iosim_iommu_instance_check - the instance's sanity checker:
 * iosim_iommu_domain_check() for every domain, plus the instance's own
 * invariants (masters and their attachments, the context count, IOTLB
 * entries that belong to live domains and match whole leaves, the table
 * budget equal to the tables of all domains).
 * @iommu: the instance
 *
 * (The IOMMU core's iosim_iommu_check() checks the groups.)
 *
 * Return: 0, or -EUCLEAN after WARNing each problem; -EINVAL (WARN) if
 * @iommu is not a live instance.
 */
int iosim_iommu_instance_check(struct iosim_iommu *iommu);

/**
 * iosim_iommu_domain_lookup - decode what @domain's tables say about @iova
 * @domain: a domain of a simulated IOMMU
 * @iova: input address
 * @pte: filled in on success
 *
 * Return: 0; -ENOENT if unmapped; -ERANGE beyond the input size; -EINVAL if
 * @domain is not a simulated IOMMU's domain.
 */
int iosim_iommu_domain_lookup(struct iommu_domain *domain, unsigned long iova,
			      struct iosim_iommu_pte *pte);

/**
 * iosim_iommu_faults - copy the kept faults, oldest first
 * @iommu: the instance
 * @out: room for @max faults (may be NULL when @max is 0)
 * @max: how many to copy at most
 *
 * Return: the number of faults recorded since creation or the last
 * iosim_iommu_clear_faults() (the log keeps the last IOSIM_IOMMU_FAULT_LOG).
 */
unsigned long iosim_iommu_faults(struct iosim_iommu *iommu, struct iosim_iommu_fault *out,
				 unsigned int max);

/**
 * iosim_iommu_last_fault - the most recent fault
 * @iommu: the instance
 * @out: filled in when there is one
 *
 * Return: true if a fault has been recorded since the last clear.
 */
bool iosim_iommu_last_fault(struct iosim_iommu *iommu, struct iosim_iommu_fault *out);

/** iosim_iommu_clear_faults - forget every recorded fault. */
void iosim_iommu_clear_faults(struct iosim_iommu *iommu);

/**
 * iosim_iommu_fail_map_nth - make the @nth map call on @iommu from now fail
 * with -ENOMEM (once; 0 disarms).  Counted per instance, independently of
 * the global IOSIM_FAULT_IOMMU_MAP site.
 */
void iosim_iommu_fail_map_nth(struct iosim_iommu *iommu, unsigned long nth);

/**
 * iosim_iommu_set_table_budget - most page tables alive at once across the
 * instance's domains (0 = no limit).  Lowering it below the tables in use
 * frees nothing; it only refuses further tables.
 */
void iosim_iommu_set_table_budget(struct iosim_iommu *iommu, unsigned long nr_tables);

/** iosim_iommu_refuse_domains - make domain_alloc return NULL while @refuse. */
void iosim_iommu_refuse_domains(struct iosim_iommu *iommu, bool refuse);

/**
 * iosim_iommu_set_skip_invalidate - while @skip, unmap leaves the IOTLB
 * alone, so a device can still use a translation after its unmap (a stale
 * IOTLB entry).  Such hits are counted in iotlb_stale_hits.
 */
void iosim_iommu_set_skip_invalidate(struct iosim_iommu *iommu, bool skip);

/** iosim_iommu_iotlb_flush - invalidate every IOTLB entry (counted). */
void iosim_iommu_iotlb_flush(struct iosim_iommu *iommu);

/** iosim_iommu_fault_reason_name - a short name for @reason. */
const char *iosim_iommu_fault_reason_name(enum iosim_iommu_fault_reason reason);

#endif /* _IOSIM_IOMMU_H */
