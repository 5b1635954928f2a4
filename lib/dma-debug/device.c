// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DMA-API debugging: what only a simulation can see (the device side: the
 * bus master's accesses, the cache model's lost writes) and the end of a
 * device's life (teardown, driver unbind, the bus notifier of
 * dma_debug_add_bus()).
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/dma-direction.h>
#include <iosim/dma_coherent.h>
#include <iosim/fault.h>

#include <stdlib.h>

#include "dma-debug-internal.h"

/* The recently unmapped entry of @dd holding [@addr, +1), newest first. */
static const struct dbg_recent *dbg_recent_find(struct dbg_dev *dd, bool by_phys, u64 addr)
{
	unsigned int i, idx;

	if (!dd)
		return NULL;
	for (i = 1; i <= DBG_RECENT_UNMAPS; i++) {
		const struct dbg_recent *r;

		idx = (dd->recent_next + DBG_RECENT_UNMAPS - i) % DBG_RECENT_UNMAPS;
		r = &dd->recent[idx];
		if (!r->valid)
			continue;
		if (by_phys && r->type != dma_debug_coherent && addr >= r->phys &&
		    addr - r->phys < r->cpu_len)
			return r;
		if (!by_phys && addr >= r->dev_addr && addr - r->dev_addr < r->size)
			return r;
	}
	return NULL;
}

/* Check one piece of a device access against @entry; true if it passes. */
static bool dbg_access_ok(struct dma_debug_entry *e, bool is_write,
			  enum iosim_dma_debug_kind *kind)
{
	if (e->type == dma_debug_coherent)
		return true;
	if (e->cpu_owned) {
		*kind = IOSIM_DMA_DEBUG_DEVICE_CPU_OWNED;
		return false;
	}
	if (is_write && e->direction == DMA_TO_DEVICE) {
		*kind = IOSIM_DMA_DEBUG_DEVICE_WRITE_TO_DEVICE;
		return false;
	}
	if (!is_write && e->direction == DMA_FROM_DEVICE) {
		*kind = IOSIM_DMA_DEBUG_DEVICE_READ_FROM_DEVICE;
		return false;
	}
	return true;
}

static bool dbg_holds(const struct dma_debug_entry *e, u64 addr)
{
	return addr >= e->key.dev_addr && addr - e->key.dev_addr < e->size;
}

/* The end (exclusive) of @e's DMA range, clamped to @limit. */
static u64 dbg_piece_end(const struct dma_debug_entry *e, u64 limit)
{
	u64 e_end = e->key.dev_addr + e->size;

	return (e_end == 0 || e_end > limit) ? limit : e_end;
}

/*
 * Check the piece of an access that starts at @addr (the access ends at
 * @limit, exclusive, or 0 for the top of the address space): report it if
 * no entry of @dd holds @addr or none that does allows the access.
 * Returns where the next piece starts.
 */
static u64 dbg_access_piece(struct device *dev, struct dbg_dev *dd, u64 addr, u64 limit,
			    bool is_write)
{
	enum iosim_dma_debug_kind kind = IOSIM_DMA_DEBUG_DEVICE_NO_MAPPING, k;
	const char *what = is_write ? "writes" : "reads";
	struct dma_debug_entry *e, *bad = NULL;
	const struct dbg_recent *r;
	u64 next;

	/* Among the entries holding @addr (newest first), one that allows it wins. */
	list_for_each_entry_reverse(e, &dd->entries, dev_node) {
		if (!dbg_holds(e, addr))
			continue;
		if (dbg_access_ok(e, is_write, &k)) {
			dbg_check_map_err(e, dev, e->size, true);
			return dbg_piece_end(e, limit);
		}
		if (!bad) {
			bad = e;
			kind = k;
		}
	}

	if (bad) {
		dbg_check_map_err(bad, dev, bad->size, true);
		next = dbg_piece_end(bad, limit);
		dbg_report(kind, dev, bad, addr, next - addr, true,
			   kind == IOSIM_DMA_DEBUG_DEVICE_CPU_OWNED ?
			   "DMA-API: device %s DMA memory the cpu owns (synced for cpu, not yet for device) [device address=0x%016llx] [size=%llu bytes] [mapped with %s]\n" :
			   kind == IOSIM_DMA_DEBUG_DEVICE_WRITE_TO_DEVICE ?
			   "DMA-API: device %s device read-only DMA memory [device address=0x%016llx] [size=%llu bytes] [mapped with %s]\n" :
			   "DMA-API: device %s device write-only DMA memory [device address=0x%016llx] [size=%llu bytes] [mapped with %s]\n",
			   what, (unsigned long long)addr, (unsigned long long)(next - addr),
			   dbg_dir_name[bad->direction & 3]);
		return next;
	}

	/* Nothing holds @addr: the piece runs to the next mapped address. */
	next = limit;
	list_for_each_entry(e, &dd->entries, dev_node)
		if (e->key.dev_addr > addr && (next == 0 || e->key.dev_addr < next))
			next = e->key.dev_addr;
	r = dbg_recent_find(dd, false, addr);
	if (r)
		dbg_report(kind, dev, NULL, addr, next - addr, true,
			   "DMA-API: device %s DMA memory after it was unmapped [device address=0x%016llx] [size=%llu bytes] [was mapped as %s with %s at %s:%d]\n",
			   what, (unsigned long long)addr, (unsigned long long)(next - addr),
			   dbg_type_name[r->type], dbg_dir_name[r->direction & 3],
			   r->file ? r->file : "?", r->line);
	else
		dbg_report(kind, dev, NULL, addr, next - addr, true,
			   "DMA-API: device %s DMA memory it has no mapping for [device address=0x%016llx] [size=%llu bytes]\n",
			   what, (unsigned long long)addr, (unsigned long long)(next - addr));
	return next;
}

/* Where a piece from @pos ends: at @limit, or where the declared region starts above it. */
static u64 dbg_region_cut(u64 pos, u64 limit, u64 region_base)
{
	if (region_base > pos && (limit == 0 || region_base < limit))
		return region_base;
	return limit;
}

/**
 * iosim_dma_debug_device_access - see <iosim/dma_debug.h>.
 * @dev: the device (bus master)
 * @addr: DMA address accessed
 * @len: bytes (0: nothing)
 * @is_write: the device wrote
 *
 * The access is split at mapping ends: each piece is checked against the
 * entries holding it (any entry that allows it is enough: without an IOMMU
 * the same address can be mapped twice).  A piece no entry holds is one
 * report (naming the recently unmapped entry when there is one).  Using a
 * single/page entry whose dma_mapping_error() was never checked is the
 * MAP_ERROR_NOT_CHECKED report, once per entry.
 *
 * Context: any.
 */
void iosim_dma_debug_device_access(struct device *dev, dma_addr_t addr, size_t len,
				   bool is_write)
{
	dma_addr_t region_base = 0;
	size_t region_bytes = 0;
	bool has_region;
	struct dbg_dev *dd;
	u64 limit, pos;

	if (!len)
		return;
	pthread_mutex_lock(&dbg_lock);
	if (!dbg_active_locked())
		goto out_unlock;
	/* exclusive end; 0 stands for the top of the 64-bit space */
	limit = (u64)addr + len;
	if (limit < addr)
		limit = 0;
	has_region = iosim_dma_coherent_range(dev, &region_base, &region_bytes);
	dd = dbg_dev_find(dev);
	if (!dd && !has_region) {
		dbg_report(IOSIM_DMA_DEBUG_DEVICE_NO_MAPPING, dev, NULL, addr, len, true,
			   "DMA-API: device %s DMA memory it has no mapping for [device address=0x%016llx] [size=%zu bytes]\n",
			   is_write ? "writes" : "reads", (unsigned long long)addr, len);
		goto out_unlock;
	}
	pos = addr;
	do {
		/* A piece ends where the declared region starts, if it starts above @pos. */
		u64 piece_limit = dbg_region_cut(pos, limit, region_base), next;

		if (has_region && pos >= region_base && pos - region_base < region_bytes) {
			/* The device's own declared region needs no mapping (never tracked). */
			next = (u64)region_base + region_bytes;
			if (next < region_base || (limit && next > limit))
				next = limit;
		} else if (!dd) {
			dbg_report(IOSIM_DMA_DEBUG_DEVICE_NO_MAPPING, dev, NULL, pos, piece_limit - pos, true,
				   "DMA-API: device %s DMA memory it has no mapping for [device address=0x%016llx] [size=%llu bytes]\n",
				   is_write ? "writes" : "reads", (unsigned long long)pos,
				   (unsigned long long)(piece_limit - pos));
			next = piece_limit;
		} else {
			next = dbg_access_piece(dev, dd, pos, piece_limit, is_write);
		}

		if (next == 0 || next <= pos)
			break;
		pos = next;
	} while (pos != limit);
out_unlock:
	pthread_mutex_unlock(&dbg_lock);
}

/**
 * iosim_dma_debug_lost_write - see <iosim/dma_debug.h>.
 * @dev: the device whose invalidate discarded the write
 * @phys: physical address of the lost bytes
 * @len: how many
 *
 * Context: any.
 */
void iosim_dma_debug_lost_write(struct device *dev, phys_addr_t phys, size_t len)
{
	struct dma_debug_entry *e, *found = NULL;
	const struct dbg_recent *r = NULL;
	struct dbg_dev *dd;

	pthread_mutex_lock(&dbg_lock);
	if (!dbg_active_locked())
		goto out_unlock;
	dd = dbg_dev_find(dev);
	if (dd) {
		list_for_each_entry_reverse(e, &dd->entries, dev_node) {
			if (e->phys_valid && e->type != dma_debug_coherent &&
			    phys >= e->phys && phys - e->phys < e->cpu_len) {
				found = e;
				break;
			}
		}
		if (!found)
			r = dbg_recent_find(dd, true, phys);
	}
	if (found)
		dbg_report(IOSIM_DMA_DEBUG_CPU_WRITE_DEVICE_OWNED, dev, found,
			   found->key.dev_addr, found->size, true,
			   "DMA-API: cpu wrote DMA memory the device owned; the write was lost [cpu address=0x%016llx] [size=%zu bytes] [device address=0x%016llx] [mapped with %s]\n",
			   (unsigned long long)phys, len, (unsigned long long)found->key.dev_addr,
			   dbg_dir_name[found->direction & 3]);
	else if (r)
		dbg_report(IOSIM_DMA_DEBUG_CPU_WRITE_DEVICE_OWNED, dev, NULL, r->dev_addr, r->size,
			   true,
			   "DMA-API: cpu wrote DMA memory the device owned; the write was lost [cpu address=0x%016llx] [size=%zu bytes] [device address=0x%016llx] [mapped with %s at %s:%d, now unmapped]\n",
			   (unsigned long long)phys, len, (unsigned long long)r->dev_addr,
			   dbg_dir_name[r->direction & 3], r->file ? r->file : "?", r->line);
	else
		dbg_report(IOSIM_DMA_DEBUG_CPU_WRITE_DEVICE_OWNED, dev, NULL, 0, len, true,
			   "DMA-API: cpu wrote DMA memory the device owned; the write was lost [cpu address=0x%016llx] [size=%zu bytes]\n",
			   (unsigned long long)phys, len);
out_unlock:
	pthread_mutex_unlock(&dbg_lock);
}

/*
 * Report what @dev still holds (the kernel's "pending DMA allocations"
 * error, naming the entry the kernel's device_dma_allocations() keeps: the
 * last of its walk of the hash, bucket by bucket, oldest first in each;
 * then one line per entry with its call site, in creation order); drop the
 * entries if @drop.  Returns the number of entries.  Context: dbg_lock held.
 */
static int dbg_pending(struct device *dev, bool drop)
{
	struct dbg_dev *dd = dbg_dev_find(dev);
	struct dma_debug_entry *e, *next, *last = NULL;
	int count;

	if (!dd)
		return 0;
	count = dd->nr_entries;
	if (count) {
		list_for_each_entry(e, &dd->entries, dev_node)
			if (!last || dbg_hash_before(last, e))
				last = e;
		dbg_report(IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN, dev, last, last->key.dev_addr,
			   last->size, true,
			   "DMA-API: device driver has pending DMA allocations while released from device [count=%d]\nOne of leaked entries details: [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [mapped as %s]\n",
			   count, (unsigned long long)last->key.dev_addr,
			   (unsigned long long)last->size, dbg_dir_name[last->direction & 3],
			   dbg_type_name[last->type]);
		list_for_each_entry(e, &dd->entries, dev_node)
			pr_err("DMA-API: %s: leaked %s [device address=0x%016llx] [size=%llu bytes] [%s] made at %s:%d\n",
			       dd->name, dbg_type_name[e->type], (unsigned long long)e->key.dev_addr,
			       (unsigned long long)e->size, dbg_dir_name[e->direction & 3],
			       e->file ? e->file : "?", e->line);
	}
	if (drop) {
		list_for_each_entry_safe(e, next, &dd->entries, dev_node)
			dbg_entry_remove(e);
		HASH_DEL(dbg.by_dev, dd);
		free(dd);
	}
	return count;
}

/**
 * iosim_dma_debug_device_teardown - see <iosim/dma_debug.h>.
 * @dev: the device going away
 *
 * Works whether or not debugging is enabled (entries made while it was
 * must not outlive the device).
 *
 * Context: any.
 * Return: the number of entries dropped.
 */
int iosim_dma_debug_device_teardown(struct device *dev)
{
	int count;

	pthread_mutex_lock(&dbg_lock);
	count = dbg_pending(dev, true);
	pthread_mutex_unlock(&dbg_lock);
	return count;
}

/* The buses dma_debug_add_bus() watches (notifier blocks outside the slab). */
struct dbg_bus {
	struct bus_type *bus;
	struct notifier_block nb;
	struct dbg_bus *next;
};

static struct dbg_bus *dbg_buses;	/* under dbg_bus_lock */
static pthread_mutex_t dbg_bus_lock = PTHREAD_MUTEX_INITIALIZER;

static int dma_debug_device_change(struct notifier_block *nb, unsigned long action, void *data)
{
	struct device *dev = data;

	pthread_mutex_lock(&dbg_lock);
	switch (action) {
	case BUS_NOTIFY_UNBOUND_DRIVER:
		if (dbg_active_locked())
			dbg_pending(dev, false);
		break;
	case BUS_NOTIFY_DEL_DEVICE:
		dbg_pending(dev, true);
		break;
	default:
		break;
	}
	pthread_mutex_unlock(&dbg_lock);
	return 0;
}

/**
 * dma_debug_add_bus - report DMA memory a device still holds when its
 * driver unbinds (kept) or when it is deleted from @bus (then dropped).
 * @bus: a registered bus; a second call for the same bus does nothing
 *
 * Context: process context.
 */
void dma_debug_add_bus(struct bus_type *bus)
{
	struct dbg_bus *b;

	pthread_mutex_lock(&dbg_bus_lock);
	for (b = dbg_buses; b; b = b->next)
		if (b->bus == bus)
			goto out_unlock;
	b = iosim_host_calloc(1, sizeof(*b));
	if (!b) {
		pr_err("dma_debug_add_bus: out of memory\n");
		goto out_unlock;
	}
	b->bus = bus;
	b->nb.notifier_call = dma_debug_device_change;
	if (bus_register_notifier(bus, &b->nb)) {
		free(b);
		goto out_unlock;
	}
	b->next = dbg_buses;
	dbg_buses = b;
out_unlock:
	pthread_mutex_unlock(&dbg_bus_lock);
}

/**
 * iosim_dma_debug_remove_bus - see <iosim/dma_debug.h>.
 * @bus: a bus given to dma_debug_add_bus()
 *
 * Context: process context.
 */
void iosim_dma_debug_remove_bus(struct bus_type *bus)
{
	struct dbg_bus **pp, *b;

	pthread_mutex_lock(&dbg_bus_lock);
	for (pp = &dbg_buses; (b = *pp); pp = &b->next) {
		if (b->bus == bus) {
			*pp = b->next;
			bus_unregister_notifier(bus, &b->nb);
			free(b);
			break;
		}
	}
	pthread_mutex_unlock(&dbg_bus_lock);
}

