// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The bus master: a simulated device reading and writing simulated memory
 * through its IOMMU, the way hardware does.
 *
 * An access is translated whole before any byte moves: chunk by chunk (one
 * leaf at a time), each through the IOTLB or, on a miss, a table walk that
 * reads the descriptors from simulated memory, with the leaf's permission
 * checked.  The first fault stops the access: it is logged, reported to the
 * domain's handler, and nothing at all is transferred.  Only then are the
 * physical chunks copied, each through bus_master_access().
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/iommu.h>

#include <iosim/bus_master.h>
#include <iosim/hooks.h>
#include <iosim/cache.h>
#include <iosim/ram.h>

#include "fake_iommu.h"

/* A physically contiguous piece of the access. */
struct bm_segment {
	phys_addr_t phys;
	size_t len;
};

#define BM_INLINE_SEGMENTS	16

/* The translated access: physical segments in bus-address order. */
struct bm_xlate {
	struct bm_segment inline_segs[BM_INLINE_SEGMENTS];
	struct bm_segment *segs;
	unsigned int nr_segs;
	unsigned int max_segs;
};

static void bm_xlate_init(struct bm_xlate *xl)
{
	xl->segs = xl->inline_segs;
	xl->nr_segs = 0;
	xl->max_segs = BM_INLINE_SEGMENTS;
}

static void bm_xlate_release(struct bm_xlate *xl)
{
	if (xl->segs != xl->inline_segs)
		kfree(xl->segs);
}

/* Is @xl full (the next segment that does not merge needs room)? */
static bool bm_xlate_full(const struct bm_xlate *xl)
{
	return xl->nr_segs == xl->max_segs;
}

/*
 * Double @xl's room.  With __GFP_NOFAIL: a device access is not an
 * allocation site, so fault injection must neither fail nor count it.
 * Called with no spinlock held.
 */
static void bm_xlate_grow(struct bm_xlate *xl)
{
	unsigned int max = 2 * xl->max_segs;
	struct bm_segment *segs = kmalloc_array(max, sizeof(*segs), GFP_KERNEL | __GFP_NOFAIL);

	memcpy(segs, xl->segs, xl->nr_segs * sizeof(*segs));
	bm_xlate_release(xl);
	xl->segs = segs;
	xl->max_segs = max;
}

/*
 * Append [@phys, @phys + @len), merging with the previous segment when
 * contiguous.  Room for one more: the caller grows @xl first when full.
 */
static void bm_xlate_add(struct bm_xlate *xl, phys_addr_t phys, size_t len)
{
	struct bm_segment *last = xl->nr_segs ? &xl->segs[xl->nr_segs - 1] : NULL;

	if (last && last->phys + last->len == phys) {
		last->len += len;
		return;
	}
	xl->segs[xl->nr_segs].phys = phys;
	xl->segs[xl->nr_segs].len = len;
	xl->nr_segs++;
}

/*
 * bus_master_access - THE memory touch of a simulated device.
 *
 * Every byte any simulated device reads or writes passes through here, once
 * translation and permission checks are done.  CACHE MODEL HOOK: a
 * non-coherent master must see memory, not the CPU's caches; the cache
 * model (<iosim/cache.h>) serves such masters (dev->archdata.dma_coherent ==
 * false) at this point, and nowhere else.  Coherent masters see the CPU view.
 */
static void bus_master_access(struct device *dev, phys_addr_t phys, void *buf, size_t len,
			      bool is_write)
{
	/* Translation already proved the range is RAM: this cannot fail. */
	iosim_cache_device_access(dev, phys, buf, len, is_write);
}

/* What went wrong, for the log and the handler. */
struct bm_fault {
	enum iosim_iommu_fault_reason reason;
	unsigned long iova;
	bool faulted;
};

static void bm_set_fault(struct bm_fault *fault, enum iosim_iommu_fault_reason reason,
			 unsigned long iova)
{
	fault->reason = reason;
	fault->iova = iova;
	fault->faulted = true;
}

static bool bm_leaf_equal(const struct iosim_pgtable_leaf *leaf,
			  const struct iosim_iotlb_entry *entry)
{
	return leaf->iova == entry->iova && leaf->size == entry->size &&
	       leaf->phys == entry->phys && leaf->prot == entry->prot;
}

/*
 * Leaves translated under one hold of the domain's and the instance's locks:
 * a long access drops them now and then, so that a map, an unmap or a
 * statistics read on another thread waits for at most this many leaves.
 */
#define BM_LEAVES_PER_HOLD	32

/*
 * bm_translate_one - the leaf translating @iova in @dom: IOTLB first, then
 * a walk, continuing @walk.  Topology lock, @dom->lock and @dom->iommu->lock
 * held (the order of fake_iommu.h), so the IOTLB and the tables are seen at
 * one instant; @walk belongs to this hold.
 */
static int bm_translate_one(struct iosim_domain *dom, unsigned long iova,
			    struct iosim_pgtable_leaf *leaf, struct iosim_pgtable_walk *walk)
{
	const struct iosim_iotlb_entry *entry;
	struct iosim_pgtable_leaf walked;
	int ret;

	entry = iosim_iotlb_lookup(&dom->iommu->iotlb, dom->id, iova);
	if (entry) {
		dom->events.iotlb_hits++;
		/*
		 * Hardware trusts the IOTLB; so do we.  The simulator also walks
		 * quietly to count hits the tables no longer agree with (an unmap
		 * whose invalidation was skipped).
		 */
		ret = iosim_pgtable_lookup_walk(&dom->pgt, iova, &walked, walk);
		if (ret || !bm_leaf_equal(&walked, entry))
			dom->events.iotlb_stale_hits++;
		leaf->iova = entry->iova;
		leaf->size = entry->size;
		leaf->phys = entry->phys;
		leaf->prot = entry->prot;
		return 0;
	}

	ret = iosim_pgtable_lookup_walk(&dom->pgt, iova, leaf, walk);
	dom->events.iotlb_misses++;
	dom->events.walks++;
	if (!ret)
		iosim_iotlb_fill(&dom->iommu->iotlb, dom->id, leaf);
	return ret;
}

/* Count the access in @events (the domain's, or the instance's without one); its lock held. */
static void bm_count(struct iosim_iommu_stats *events, bool faulted, bool is_write, size_t len)
{
	if (faulted)
		events->faults++;
	else if (is_write)
		events->dma_write_bytes += len;
	else
		events->dma_read_bytes += len;
}

static void bm_lock_domain(struct iosim_domain *dom)
{
	spin_lock(&dom->lock);
	spin_lock(&dom->iommu->lock);
}

static void bm_unlock_domain(struct iosim_domain *dom)
{
	spin_unlock(&dom->iommu->lock);
	spin_unlock(&dom->lock);
}

/*
 * bm_translate_domain - translate [@addr, @addr + @len) through @dom into
 * @xl, or describe the first fault in @fault.  Topology lock held.
 */
static void bm_translate_domain(struct iosim_domain *dom, dma_addr_t addr, size_t len,
				bool is_write, struct bm_xlate *xl, struct bm_fault *fault)
{
	u64 input_size = iosim_pgt_input_size(&dom->iommu->pgcfg);
	int need = is_write ? IOMMU_WRITE : IOMMU_READ;
	struct iosim_pgtable_walk walk;
	unsigned int in_hold = 0;
	dma_addr_t cur = addr;
	size_t left = len;

	bm_lock_domain(dom);
	iosim_pgtable_walk_init(&walk);
	while (left) {
		struct iosim_pgtable_leaf leaf;
		phys_addr_t phys;
		size_t chunk;
		int ret;

		if (cur >= input_size) {
			bm_set_fault(fault, IOSIM_IOMMU_FAULT_ADDRESS_SIZE, cur);
			break;
		}
		/* Nothing is allocated under the locks. */
		if (++in_hold > BM_LEAVES_PER_HOLD || bm_xlate_full(xl)) {
			bm_unlock_domain(dom);
			if (bm_xlate_full(xl))
				bm_xlate_grow(xl);
			bm_lock_domain(dom);
			/* The tables may have changed meanwhile. */
			iosim_pgtable_walk_init(&walk);
			in_hold = 1;
		}
		ret = bm_translate_one(dom, cur, &leaf, &walk);
		if (ret) {
			bm_set_fault(fault, ret == -ERANGE ? IOSIM_IOMMU_FAULT_ADDRESS_SIZE :
							     IOSIM_IOMMU_FAULT_TRANSLATION, cur);
			break;
		}
		if (!(leaf.prot & need)) {
			bm_set_fault(fault, IOSIM_IOMMU_FAULT_PERMISSION, cur);
			break;
		}
		chunk = min_t(u64, leaf.iova + leaf.size - cur, left);
		phys = leaf.phys + (cur - leaf.iova);
		/* Device memory (IOMMU_MMIO) and the MMIO window are no RAM. */
		if (!iosim_phys_is_ram(phys, chunk)) {
			bm_set_fault(fault, IOSIM_IOMMU_FAULT_BUS_ERROR, cur);
			break;
		}
		bm_xlate_add(xl, phys, chunk);
		cur += chunk;
		left -= chunk;
	}
	/* Counted with the translation, under the same hold. */
	bm_count(&dom->events, fault->faulted, is_write, len);
	bm_unlock_domain(dom);
}

/*
 * bm_translate - translate [@addr, @addr + @len) for @master into @xl, or
 * describe the first fault in @fault, and count the access.  Topology lock
 * held.
 */
static void bm_translate(struct iosim_master *master, dma_addr_t addr, size_t len,
			 bool is_write, struct bm_xlate *xl, struct bm_fault *fault)
{
	struct iosim_iommu *iommu = master->iommu;

	if (master->domain) {
		bm_translate_domain(master->domain, addr, len, is_write, xl, fault);
		return;
	}
	if (!iommu->cfg.bypass_unattached)
		bm_set_fault(fault, IOSIM_IOMMU_FAULT_NO_DOMAIN, addr);
	else if (!iosim_phys_is_ram(addr, len))
		bm_set_fault(fault, IOSIM_IOMMU_FAULT_BUS_ERROR, addr);
	else
		bm_xlate_add(xl, addr, len);

	/* No domain: the instance counts it. */
	spin_lock(&iommu->lock);
	bm_count(&iommu->events, fault->faulted, is_write, len);
	spin_unlock(&iommu->lock);
}

/*
 * Log @fault and, where a domain can hear it, report it.  No lock held: the
 * handler may call back into the IOMMU (even free @dom or remove @dev).
 */
static void bm_report_fault(struct iosim_iommu *iommu, struct iosim_domain *dom,
			    struct device *dev, const struct bm_fault *fault, bool is_write)
{
	struct iosim_iommu_fault record = {
		.dev = dev,
		.domain = dom ? &dom->domain : NULL,
		.iova = fault->iova,
		.flags = is_write ? IOMMU_FAULT_WRITE : IOMMU_FAULT_READ,
		.reason = fault->reason,
		.handler_ret = -ENOSYS,
	};

	if (dom && fault->reason != IOSIM_IOMMU_FAULT_BUS_ERROR) {
		record.reported = true;
		record.handler_ret = report_iommu_fault(&dom->domain, dev, fault->iova,
							record.flags);
	}
	/* @dom may be gone now: only its address is kept. */
	iosim_fault_log_record(iommu, &record);
}

/* DMA-API debugging checks a device access against the device's live mappings. */
static void bm_check_dma_api(struct device *dev, dma_addr_t addr, size_t len, bool is_write)
{
	if (iosim_dma_access_hook)
		iosim_dma_access_hook(dev, addr, len, is_write);
}

static int bm_dma(struct device *dev, dma_addr_t addr, void *buf, size_t len, bool is_write)
{
	struct iosim_master *master;
	struct iosim_iommu *iommu;
	struct iosim_domain *dom;
	struct bm_fault fault = {};
	bool dma_api_addresses;
	struct bm_xlate xl;
	unsigned int i;
	size_t done;

	if (WARN(!dev || !buf, "iosim_dma_%s: NULL %s", is_write ? "write" : "read",
		 dev ? "buffer" : "device"))
		return -EINVAL;
	if (!len)
		return 0;
	if (WARN(addr + len - 1 < addr, "iosim_dma_%s: %s: %#zx bytes at %#llx wrap around",
		 is_write ? "write" : "read", dev_name(dev), len, (unsigned long long)addr))
		return -EINVAL;

	master = iosim_master_of(dev);
	if (!master) {
		bm_check_dma_api(dev, addr, len, is_write);
		/* No IOMMU: the bus address is the physical address. */
		if (!iosim_phys_is_ram(addr, len)) {
			dev_err(dev, "DMA %s of %zu bytes at %#llx outside RAM (no IOMMU)\n",
				is_write ? "write" : "read", len, (unsigned long long)addr);
			return -EFAULT;
		}
		bus_master_access(dev, addr, buf, len, is_write);
		return 0;
	}

	iommu = master->iommu;
	bm_xlate_init(&xl);
	mutex_lock(&iommu->topology_lock);
	dom = master->domain;
	/*
	 * The DMA API hands out the addresses of a domain with its cookie, or
	 * physical ones; a domain without one was attached by a user of the
	 * IOMMU API (VFIO), whose addresses the DMA API knows nothing of.
	 */
	dma_api_addresses = !dom || dom->domain.dma_api_cookie;
	bm_translate(master, addr, len, is_write, &xl, &fault);
	mutex_unlock(&iommu->topology_lock);
	if (dma_api_addresses)
		bm_check_dma_api(dev, addr, len, is_write);

	if (fault.faulted) {
		bm_xlate_release(&xl);
		bm_report_fault(iommu, dom, dev, &fault, is_write);
		return -EFAULT;
	}

	for (i = 0, done = 0; i < xl.nr_segs; done += xl.segs[i].len, i++)
		bus_master_access(dev, xl.segs[i].phys, (char *)buf + done, xl.segs[i].len,
				  is_write);
	bm_xlate_release(&xl);
	return 0;
}

int iosim_dma_read(struct device *dev, dma_addr_t addr, void *buf, size_t len)
{
	return bm_dma(dev, addr, buf, len, false);
}

int iosim_dma_write(struct device *dev, dma_addr_t addr, const void *buf, size_t len)
{
	/* bus_master_access() only reads @buf for a write. */
	return bm_dma(dev, addr, (void *)buf, len, true);
}
