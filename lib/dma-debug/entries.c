// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DMA-API debugging: the entries and their indexes (see
 * dma-debug-internal.h): the pool, adding and removing, exact and
 * containing lookups, the per-device records, the dump and the sanity
 * checker.  Everything here runs with dbg_lock held.
 */
#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/dma-direction.h>
#include <iosim/device.h>
#include <iosim/fault.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dma-debug-internal.h"

/*
 * Out of entries, or of host memory for an entry or a device's record: one
 * OUT_OF_ENTRIES report, then nothing is tracked.  As the kernel's
 * dma_entry_alloc(), a plain pr_err() of its text, not an error (not in
 * error_count, no device prefix).
 * Context: dbg_lock held.
 */
static void dbg_disable_out_of_memory(void)
{
	dbg.global_disable = true;
	dbg_report_plain(IOSIM_DMA_DEBUG_OUT_OF_ENTRIES,
			 "DMA-API: debugging out of memory - disabling\n");
}

/**
 * dbg_entry_alloc - take a zeroed entry from the pool (the kernel's
 * dma_entry_alloc()).  When the limit is reached, debugging disables itself
 * with one OUT_OF_ENTRIES report, as the kernel's.
 *
 * Context: dbg_lock held.
 * Return: the entry, or NULL (pool exhausted, or calloc failed: both
 * disable debugging).
 */
struct dma_debug_entry *dbg_entry_alloc(void)
{
	struct dma_debug_entry *entry;

	if (!list_empty(&dbg.free_entries) && dbg.nr_in_use < dbg.nr_total_entries) {
		entry = list_first_entry(&dbg.free_entries, struct dma_debug_entry, dev_node);
		list_del(&entry->dev_node);
		dbg.num_free_entries--;
		memset(entry, 0, sizeof(*entry));
	} else if (dbg.nr_allocated < dbg.nr_total_entries) {
		entry = iosim_host_calloc(1, sizeof(*entry));
		if (!entry)
			goto out_disable;
		dbg.nr_allocated++;
	} else {
		goto out_disable;
	}
	dbg.nr_in_use++;
	INIT_LIST_HEAD(&entry->dev_node);
	entry->seq = ++dbg.next_seq;
	iosim_dma_debug_site_get(&entry->file, &entry->line);
	return entry;

out_disable:
	dbg_disable_out_of_memory();
	return NULL;
}

/* Give an entry (already out of every index) back to the pool. */
static void dbg_entry_free(struct dma_debug_entry *entry)
{
	dbg.nr_in_use--;
	if (dbg.nr_allocated > dbg.nr_total_entries) {
		free(entry);
		dbg.nr_allocated--;
		return;
	}
	list_add(&entry->dev_node, &dbg.free_entries);
	dbg.num_free_entries++;
}

/**
 * dbg_dev_find - the per-device record of @dev, or NULL.
 * @dev: the device (compared, not dereferenced)
 *
 * Context: dbg_lock held.
 */
struct dbg_dev *dbg_dev_find(struct device *dev)
{
	struct dbg_dev *dd;

	HASH_FIND_PTR(dbg.by_dev, &dev, dd);
	return dd;
}

/* The record of @dev, created on first use; NULL if the host refuses it. */
static struct dbg_dev *dbg_dev_get(struct device *dev)
{
	struct dbg_dev *dd = dbg_dev_find(dev);

	if (dd)
		return dd;
	dd = iosim_host_calloc(1, sizeof(*dd));
	if (!dd)
		return NULL;
	dd->dev = dev;
	snprintf(dd->name, sizeof(dd->name), "%s", dev ? dev_name(dev) : "NULL");
	dd->simulated = iosim_device_is_simulated(dev);
	INIT_LIST_HEAD(&dd->entries);
	IOSIM_HASH_ADD(hh, dbg.by_dev, dev, sizeof(dd->dev), dd, dbg.hash_oom);
	if (dbg.hash_oom) {
		free(dd);
		return NULL;
	}
	return dd;
}

static u64 dbg_cln(phys_addr_t phys)
{
	return phys >> DBG_CACHELINE_SHIFT;
}

/*
 * Device-writable entries are indexed by their first and last cache line;
 * a line already held by another device-writable entry is the kernel's
 * overlapping-cacheline error.  DMA_TO_DEVICE entries are left out, as the
 * kernel's active_cacheline_insert(): the device does not write them, so the
 * CPU cannot consume stale data through them.
 */
static bool dbg_cl_link_add(struct dma_debug_entry *entry, struct dbg_cl_link *link, u64 cln)
{
	struct dbg_cl_link *head;

	link->cln = cln;
	link->owner = entry;
	link->dup_next = NULL;
	HASH_FIND(hh, dbg.by_line, &cln, sizeof(cln), head);
	if (!head) {
		IOSIM_HASH_ADD(hh, dbg.by_line, cln, sizeof(link->cln), link, dbg.hash_oom);
		link->linked = !dbg.hash_oom;
		return link->linked;
	}
	while (head->dup_next)
		head = head->dup_next;
	head->dup_next = link;
	link->linked = true;
	return true;
}

static void dbg_cl_link_del(struct dbg_cl_link *link)
{
	struct dbg_cl_link *head, **pp;

	if (!link->linked)
		return;
	link->linked = false;
	HASH_FIND(hh, dbg.by_line, &link->cln, sizeof(link->cln), head);
	if (WARN(!head, "dma-debug: cache line %#llx of an entry is not indexed",
		 (unsigned long long)link->cln))
		return;
	if (head == link) {
		/* The next in the chain first: the table holds @head, so this cannot fail. */
		if (link->dup_next)
			IOSIM_HASH_ADD(hh, dbg.by_line, cln, sizeof(link->dup_next->cln),
				       link->dup_next, dbg.hash_oom);
		HASH_DELETE(hh, dbg.by_line, head);
		return;
	}
	for (pp = &head->dup_next; *pp; pp = &(*pp)->dup_next) {
		if (*pp == link) {
			*pp = link->dup_next;
			return;
		}
	}
	WARN(1, "dma-debug: cache line link missing from its chain");
}

/**
 * dbg_tracks_lines - is @entry in the cache-line index?  Device-writable
 * streaming entries with known CPU memory are; coherent buffers are not
 * (the CPU maps them uncached on a non-coherent device: no maintenance, so
 * nothing a shared line could corrupt).
 * @entry: the entry
 *
 * Context: dbg_lock held.
 */
bool dbg_tracks_lines(const struct dma_debug_entry *entry)
{
	return entry->direction != DMA_TO_DEVICE && entry->type != dma_debug_coherent &&
	       entry->phys_valid;
}

/*
 * How many live entries have @cln as their first line.  v4.1 indexes first
 * lines only, and counts the entries after the first as the line's overlap
 * count (its active_cacheline tags): a new entry there makes it this many.
 */
static unsigned int dbg_line_firsts(u64 cln)
{
	struct dbg_cl_link *l;
	unsigned int firsts = 0;

	HASH_FIND(hh, dbg.by_line, &cln, sizeof(cln), l);
	for (; l; l = l->dup_next)
		if (l == &l->owner->cl[0])
			firsts++;
	return firsts;
}

/*
 * Index @entry's lines.  Two diagnostics:
 *  - v4.1's: its first line is already the first line of 8 live entries, so
 *    the overlap count (3 radix-tree tags in the kernel) passes 7: a
 *    one-shot WARN, no report (the kernel's WARN_ONCE; dbg.overlap_warned
 *    lets iosim_dma_debug_reset() re-arm it);
 *  - v5.14's CACHELINE_OVERLAP report: its first or last line already in
 *    another device-writable entry.
 * false if a table could not be created (some lines may be linked).
 */
static bool dbg_cachelines_add(struct dma_debug_entry *entry)
{
	u64 first, last;
	struct dbg_cl_link *other;

	if (!dbg_tracks_lines(entry))
		return true;
	first = dbg_cln(entry->phys);
	last = dbg_cln(entry->phys + (entry->cpu_len ? entry->cpu_len - 1 : 0));
	HASH_FIND(hh, dbg.by_line, &first, sizeof(first), other);
	if (other && !dbg.overlap_warned && dbg_line_firsts(first) > DBG_MAX_OVERLAP) {
		dbg.overlap_warned = true;
		WARN(1, "DMA-API: exceeded %d overlapping mappings of cacheline 0x%016llx\n",
		     DBG_MAX_OVERLAP, (unsigned long long)first);
	}
	if (!other && last != first)
		HASH_FIND(hh, dbg.by_line, &last, sizeof(last), other);
	if (other)
		dbg_report(IOSIM_DMA_DEBUG_CACHELINE_OVERLAP, entry->key.dev, entry,
			   entry->key.dev_addr, entry->size, false,
			   "DMA-API: cacheline tracking EEXIST, overlapping mappings aren't supported [cln=%#llx] [other mapping: device address=0x%016llx mapped at %s:%d]\n",
			   (unsigned long long)other->cln,
			   (unsigned long long)other->owner->key.dev_addr,
			   other->owner->file ? other->owner->file : "?", other->owner->line);
	if (!dbg_cl_link_add(entry, &entry->cl[0], first))
		return false;
	return last == first || dbg_cl_link_add(entry, &entry->cl[1], last);
}

/**
 * dbg_entry_add - index a filled-in entry (the kernel's add_dma_entry()):
 * by address, under its device, and by cache line (reporting an overlap).
 * @entry: from dbg_entry_alloc(), with key, type, phys, size, direction set
 *
 * If the host refuses the per-device record or an index's table, the entry
 * goes back to the pool and debugging disables itself, reporting as on
 * running out of entries.
 *
 * Context: dbg_lock held.
 * Return: true if @entry is indexed; false if it went back (debugging is
 * then off).
 */
bool dbg_entry_add(struct dma_debug_entry *entry)
{
	struct dma_debug_entry *head;
	struct dbg_dev *dd = dbg_dev_get(entry->key.dev);

	if (!dd)
		goto out_free;
	HASH_FIND(hh, dbg.by_addr, &entry->key, sizeof(entry->key), head);
	if (head) {
		while (head->dup_next)
			head = head->dup_next;
		head->dup_next = entry;
	} else {
		IOSIM_HASH_ADD(hh, dbg.by_addr, key, sizeof(entry->key), entry, dbg.hash_oom);
		if (dbg.hash_oom)
			goto out_free;
	}
	list_add_tail(&entry->dev_node, &dd->entries);
	dd->nr_entries++;
	if (!dbg_cachelines_add(entry)) {
		dbg_entry_remove(entry);
		goto out_disable;
	}
	return true;

out_free:
	dbg_entry_free(entry);
out_disable:
	dbg_disable_out_of_memory();
	return false;
}

/**
 * dbg_entry_remove - take @entry out of every index and back to the pool.
 * @entry: a live entry
 *
 * Context: dbg_lock held.
 */
void dbg_entry_remove(struct dma_debug_entry *entry)
{
	struct dma_debug_entry *head, **pp;
	struct dbg_dev *dd = dbg_dev_find(entry->key.dev);

	dbg_cl_link_del(&entry->cl[0]);
	dbg_cl_link_del(&entry->cl[1]);
	HASH_FIND(hh, dbg.by_addr, &entry->key, sizeof(entry->key), head);
	if (head == entry) {
		/* The next in the chain first: the table holds @entry, so this cannot fail. */
		if (entry->dup_next)
			IOSIM_HASH_ADD(hh, dbg.by_addr, key, sizeof(entry->key), entry->dup_next,
				       dbg.hash_oom);
		HASH_DELETE(hh, dbg.by_addr, entry);
	} else if (!WARN(!head, "dma-debug: entry 0x%016llx is not indexed",
			 (unsigned long long)entry->key.dev_addr)) {
		for (pp = &head->dup_next; *pp; pp = &(*pp)->dup_next) {
			if (*pp == entry) {
				*pp = entry->dup_next;
				break;
			}
		}
	}
	list_del(&entry->dev_node);
	if (!WARN(!dd, "dma-debug: entry without a device record"))
		dd->nr_entries--;
	dbg_entry_free(entry);
}

/**
 * dbg_first_exact - the oldest entry of {@dev, @dev_addr}, or NULL.
 * @dev: the device
 * @dev_addr: the DMA address
 *
 * Context: dbg_lock held.
 */
struct dma_debug_entry *dbg_first_exact(struct device *dev, dma_addr_t dev_addr)
{
	struct dbg_addr_key key;
	struct dma_debug_entry *head;

	memset(&key, 0, sizeof(key));
	key.dev = dev;
	key.dev_addr = dev_addr;
	HASH_FIND(hh, dbg.by_addr, &key, sizeof(key), head);
	return head;
}

/* The kernel's best-fit score: how many of size, type, direction, sg count agree. */
static int dbg_match_level(const struct dma_debug_entry *entry, const struct dma_debug_entry *ref)
{
	return (entry->size == ref->size) + (entry->type == ref->type) +
	       (entry->direction == ref->direction) +
	       (entry->sg_call_ents == ref->sg_call_ents);
}

/**
 * dbg_find_exact - the entry of {@ref->key} that fits @ref best (the
 * kernel's bucket_find_exact(): several entries can share a key without an
 * IOMMU; the one agreeing in size, type, direction and sg count wins; with
 * several candidates and no perfect fit, none is returned).
 * @ref: the reference
 *
 * Context: dbg_lock held.
 * Return: the entry or NULL.
 */
struct dma_debug_entry *dbg_find_exact(struct dma_debug_entry *ref)
{
	struct dma_debug_entry *entry, *best = NULL;
	int matches = 0, best_lvl = -1;

	for (entry = dbg_first_exact(ref->key.dev, ref->key.dev_addr); entry;
	     entry = entry->dup_next) {
		int lvl = dbg_match_level(entry, ref);

		if (lvl == 4)
			return entry;
		matches++;
		if (lvl > best_lvl) {
			best_lvl = lvl;
			best = entry;
		}
	}
	return matches == 1 ? best : NULL;
}

/**
 * dbg_mark_checked - the driver tested @dev_addr with dma_mapping_error()
 * (the kernel's debug_dma_mapping_error()): the oldest entry of
 * {@dev, @dev_addr} whose mapping error is unchecked becomes checked (one
 * already reported at a first use, ours, counts as unchecked, as in the
 * kernel, which has no such report).  Also the first step of every
 * dma_mapping_error() the kernel's own hooks make (debug_dma_map_page(),
 * check_unmap() of an address it cannot match).
 * @dev: the device
 * @dev_addr: the handle tested
 *
 * Context: dbg_lock held.
 */
void dbg_mark_checked(struct device *dev, dma_addr_t dev_addr)
{
	struct dma_debug_entry *entry;

	for (entry = dbg_first_exact(dev, dev_addr); entry; entry = entry->dup_next) {
		if (entry->map_err_type == MAP_ERR_NOT_CHECKED ||
		    entry->map_err_type == MAP_ERR_REPORTED) {
			entry->map_err_type = MAP_ERR_CHECKED;
			return;
		}
	}
}

/*
 * The kernel's containing_match(): @entry starts at or below @ref and ends
 * at or above @ref's end, that end being the kernel's u64 sum: a size that
 * runs past 2^64 wraps, and a range whose end wraps to at most @entry's end
 * matches (then @ref->size > @entry->size: check_sync()'s "outside
 * allocated range").  Unlike the kernel's sum, an entry reaching the top of
 * the address space holds every end.
 */
static bool dbg_contains(const struct dma_debug_entry *entry, const struct dma_debug_entry *ref)
{
	u64 start = entry->key.dev_addr, end = start + entry->size;

	if (ref->key.dev_addr < start)
		return false;
	if (end < start)
		return true;
	return (u64)(ref->key.dev_addr + ref->size) <= end;
}

/**
 * dbg_find_containing - the entry of @ref's device that contains @ref's
 * whole range (the kernel's bucket_find_contain() with containing_match()),
 * for a sync.
 * @ref: the reference: device, DMA address, size, and type, direction and
 *	sg count for the best fit
 *
 * Every entry of the device is a candidate (the kernel searches the
 * address's hash bucket and the ones below it, at most the device's max
 * segment size down: see docs/dma-debug.md for why not here).  Among the
 * candidates, one that holds @ref's first byte wins over one that does not
 * (only a wrapped size reaches past such an entry), then the best fit of
 * dbg_find_exact()'s score, then the newest (the kernel returns none when
 * several fit equally and none perfectly).
 *
 * Walks the device's entries: O(live entries of the device).
 *
 * Context: dbg_lock held.
 * Return: the entry or NULL.
 */
struct dma_debug_entry *dbg_find_containing(const struct dma_debug_entry *ref)
{
	struct dbg_dev *dd = dbg_dev_find(ref->key.dev);
	struct dma_debug_entry *entry, *best = NULL;
	int score, best_score = -1;

	if (!dd)
		return NULL;
	list_for_each_entry_reverse(entry, &dd->entries, dev_node) {
		if (!dbg_contains(entry, ref))
			continue;
		score = dbg_match_level(entry, ref);
		if (ref->key.dev_addr - entry->key.dev_addr < entry->size ||
		    entry->key.dev_addr + entry->size < entry->key.dev_addr)
			score += 8;
		if (score == 8 + 4)
			return entry;
		if (score > best_score) {
			best_score = score;
			best = entry;
		}
	}
	return best;
}

/**
 * dbg_check_map_err - report a single/page entry whose dma_mapping_error()
 * was never checked, once per entry (at its first use or its unmap).
 * @entry: the entry being used
 * @dev: the device
 * @size: the size to print: the unmap's at unmap (as the kernel's
 *	check_unmap()), the entry's at a first use (ours)
 * @device_side: the use is a device access
 *
 * Context: dbg_lock held.
 */
void dbg_check_map_err(struct dma_debug_entry *entry, struct device *dev, u64 size,
		       bool device_side)
{
	if (entry->map_err_type != MAP_ERR_NOT_CHECKED)
		return;
	entry->map_err_type = MAP_ERR_REPORTED;
	dbg_report(IOSIM_DMA_DEBUG_MAP_ERROR_NOT_CHECKED, dev, entry, entry->key.dev_addr,
		   size, device_side,
		   "DMA-API: device driver failed to check map error[device address=0x%016llx] [size=%llu bytes] [mapped as %s]\n",
		   (unsigned long long)entry->key.dev_addr, (unsigned long long)size,
		   dbg_type_name[entry->type]);
}

/**
 * dbg_remember_unmap - keep a copy of @entry in its device's ring of recent
 * unmaps (for device accesses after unmap and unmap-time lost writes).
 * @entry: a live entry about to be removed
 *
 * Context: dbg_lock held.
 */
void dbg_remember_unmap(struct dma_debug_entry *entry)
{
	struct dbg_dev *dd = dbg_dev_find(entry->key.dev);
	struct dbg_recent *r;

	if (!dd)
		return;
	r = &dd->recent[dd->recent_next];
	dd->recent_next = (dd->recent_next + 1) % DBG_RECENT_UNMAPS;
	r->valid = true;
	r->type = entry->type;
	r->direction = entry->direction;
	r->dev_addr = entry->key.dev_addr;
	r->phys = entry->phys;
	r->size = entry->size;
	r->cpu_len = entry->phys_valid ? entry->cpu_len : 0;
	r->file = entry->file;
	r->line = entry->line;
}

/**
 * dbg_drop_all - free every entry, device record and index.
 *
 * Context: dbg_lock held.
 */
void dbg_drop_all(void)
{
	struct dbg_dev *dd, *dd_tmp;
	struct dma_debug_entry *entry, *next;

	HASH_CLEAR(hh, dbg.by_line);
	HASH_CLEAR(hh, dbg.by_addr);
	HASH_ITER(hh, dbg.by_dev, dd, dd_tmp) {
		list_for_each_entry_safe(entry, next, &dd->entries, dev_node)
			free(entry);
		HASH_DEL(dbg.by_dev, dd);
		free(dd);
	}
	list_for_each_entry_safe(entry, next, &dbg.free_entries, dev_node)
		free(entry);
	INIT_LIST_HEAD(&dbg.free_entries);
	dbg.nr_allocated = 0;
	dbg.num_free_entries = 0;
	dbg.nr_in_use = 0;
}

/**
 * iosim_dma_debug_live - see <iosim/dma_debug.h>.
 * @dev: the device, or NULL for all
 *
 * Context: any.
 * Return: the number of live entries.
 */
unsigned long iosim_dma_debug_live(struct device *dev)
{
	unsigned long n = 0;
	struct dbg_dev *dd;

	pthread_mutex_lock(&dbg_lock);
	if (!dev) {
		n = dbg.nr_in_use;
	} else {
		dd = dbg_dev_find(dev);
		if (dd)
			n = dd->nr_entries;
	}
	pthread_mutex_unlock(&dbg_lock);
	return n;
}

/* The kernel's hash bucket of a DMA address (hash_fn(), its dump's idx). */
static unsigned int dbg_hash_bucket(dma_addr_t dev_addr)
{
	return (unsigned int)(dev_addr >> DBG_HASH_FN_SHIFT) & (DBG_HASH_SIZE - 1);
}

/**
 * dbg_hash_before - does @a come before @b in the kernel's walks of its hash
 * (debug_dma_dump_mappings(), device_dma_allocations())?  Bucket by bucket,
 * oldest first within a bucket (hash_bucket_add() appends).
 * @a: an entry
 * @b: another
 *
 * Context: dbg_lock held.
 */
bool dbg_hash_before(const struct dma_debug_entry *a, const struct dma_debug_entry *b)
{
	unsigned int ba = dbg_hash_bucket(a->key.dev_addr), bb = dbg_hash_bucket(b->key.dev_addr);

	return ba != bb ? ba < bb : a->seq < b->seq;
}

static int dbg_hash_cmp(const void *pa, const void *pb)
{
	const struct dma_debug_entry *a = *(const struct dma_debug_entry *const *)pa;
	const struct dma_debug_entry *b = *(const struct dma_debug_entry *const *)pb;

	return dbg_hash_before(a, b) ? -1 : dbg_hash_before(b, a) ? 1 : 0;
}

/* One dump line: the kernel's dev_info() line, then owner and call site (ours). */
static void dbg_dump_entry(const struct dma_debug_entry *e, const struct dbg_dev *dd)
{
	static const char *const maperr[] = {
		"dma map error check not applicable", "dma map error not checked",
		"dma map error checked", "dma map error not checked",
	};
	char prefix[2 * IOSIM_DMA_DEBUG_NAME_LEN + 8];

	/*
	 * dev_info()'s prefix, "<driver or bus> <device>: ".  A simulated
	 * device destroyed with entries left (no bus notifier dropped them)
	 * is not looked at: "(destroyed) <device>: ".
	 */
	if (!e->key.dev)
		snprintf(prefix, sizeof(prefix), "(NULL device *)");
	else if (dd->gone)
		snprintf(prefix, sizeof(prefix), "(destroyed) %s", dd->name);
	else
		snprintf(prefix, sizeof(prefix), "%s %s", dbg_driver_string(e->key.dev), dd->name);
	pr_info("%s: %s idx %u P=%llx N=%llx D=%llx L=%llx %s %s %s at %s:%d\n",
		prefix, dbg_type_name[e->type], dbg_hash_bucket(e->key.dev_addr),
		(unsigned long long)e->phys, (unsigned long long)(e->phys >> PAGE_SHIFT),
		(unsigned long long)e->key.dev_addr, (unsigned long long)e->size,
		dbg_dir_name[e->direction & 3], maperr[e->map_err_type],
		e->cpu_owned ? "cpu-owned" : "device-owned", e->file ? e->file : "?", e->line);
}

/*
 * The next entry of @dev (NULL: of any device) to dump after @prev (NULL:
 * the first), without a sorted array: a walk of every candidate.
 */
static struct dma_debug_entry *dbg_dump_next(struct device *dev, const struct dma_debug_entry *prev)
{
	struct dma_debug_entry *e, *best = NULL;
	struct dbg_dev *dd, *tmp;

	HASH_ITER(hh, dbg.by_dev, dd, tmp) {
		if (dev && dd->dev != dev)
			continue;
		list_for_each_entry(e, &dd->entries, dev_node)
			if ((!prev || dbg_hash_before(prev, e)) && (!best || dbg_hash_before(e, best)))
				best = e;
	}
	return best;
}

/**
 * debug_dma_dump_mappings - log every live entry of @dev (NULL: of all
 * devices) as the kernel's: one dev_info() line each, "<driver or bus>
 * <device>: <type> idx <hash bucket> P=phys N=pfn D=dma L=len <direction>
 * <map-error state>", in the order of the kernel's hash (bucket, then oldest
 * first); then the owner and the file:line that made it (ours).
 * @dev: the device or NULL
 *
 * Sorts an array of the entries; if the host refuses one, finds each next
 * entry by a walk instead (the same lines, in quadratic time).  The entries
 * of a simulated device destroyed since are printed without looking at it.
 *
 * Context: any.
 */
void debug_dma_dump_mappings(struct device *dev)
{
	struct dma_debug_entry *e, **sorted;
	struct dbg_dev *dd, *tmp;
	unsigned long n = 0, i;

	pthread_mutex_lock(&dbg_lock);
	HASH_ITER(hh, dbg.by_dev, dd, tmp) {
		if (dev && dd->dev != dev)
			continue;
		n += dd->nr_entries;
		dd->gone = dd->simulated && !iosim_device_is_simulated(dd->dev);
	}
	if (!n)
		goto out_unlock;
	sorted = iosim_host_calloc(n, sizeof(*sorted));
	if (!sorted) {
		for (e = dbg_dump_next(dev, NULL); e; e = dbg_dump_next(dev, e))
			dbg_dump_entry(e, dbg_dev_find(e->key.dev));
		goto out_unlock;
	}
	i = 0;
	HASH_ITER(hh, dbg.by_dev, dd, tmp) {
		if (dev && dd->dev != dev)
			continue;
		list_for_each_entry(e, &dd->entries, dev_node)
			if (i < n)
				sorted[i++] = e;
	}
	qsort(sorted, i, sizeof(*sorted), dbg_hash_cmp);
	for (n = i, i = 0; i < n; i++)
		dbg_dump_entry(sorted[i], dbg_dev_find(sorted[i]->key.dev));
	free(sorted);
out_unlock:
	pthread_mutex_unlock(&dbg_lock);
}

/**
 * iosim_dma_debug_dump - see <iosim/dma_debug.h>.
 * @dev: the device or NULL for all
 *
 * Context: any.
 */
void iosim_dma_debug_dump(struct device *dev)
{
	debug_dma_dump_mappings(dev);
}

/* Checker helpers: WARN and count a problem. */
#define dbg_bad(cond, ...) ({					\
	bool __bad = (cond);					\
	if (__bad) {						\
		WARN(1, "dma-debug check: " __VA_ARGS__);	\
		problems++;					\
	}							\
	__bad; })

static bool dbg_cl_linked(const struct dbg_cl_link *link)
{
	struct dbg_cl_link *head, *l;

	HASH_FIND(hh, dbg.by_line, &link->cln, sizeof(link->cln), head);
	for (l = head; l; l = l->dup_next)
		if (l == link)
			return true;
	return false;
}

/**
 * dbg_check_locked - the sanity checker (see iosim_dma_debug_check()).
 *
 * Context: dbg_lock held.
 * Return: 0 or -EUCLEAN.
 */
int dbg_check_locked(void)
{
	struct dbg_dev *dd, *dd_tmp;
	struct dma_debug_entry *e, *h, *h_tmp, *d;
	struct dbg_cl_link *l, *l_tmp, *c;
	unsigned long in_devs = 0, in_hash = 0, links = 0, links_expected = 0;
	unsigned long nfree = 0;
	int problems = 0;

	HASH_ITER(hh, dbg.by_dev, dd, dd_tmp) {
		unsigned long n = 0;

		list_for_each_entry(e, &dd->entries, dev_node) {
			n++;
			dbg_bad(e->key.dev != dd->dev, "entry 0x%016llx under the wrong device",
				(unsigned long long)e->key.dev_addr);
			dbg_bad(e->type < dma_debug_single || e->type > dma_debug_coherent,
				"entry type %d", e->type);
			dbg_bad(!valid_dma_direction(e->direction), "entry direction %d",
				e->direction);
			dbg_bad(e->type != dma_debug_sg && e->sg_call_ents,
				"non-sg entry with sg count");
			dbg_bad(e->type == dma_debug_sg &&
				(e->sg_mapped_ents <= 0 || e->sg_call_ents < e->sg_mapped_ents),
				"sg entry counts %d/%d", e->sg_mapped_ents, e->sg_call_ents);
			for (d = dbg_first_exact(e->key.dev, e->key.dev_addr); d; d = d->dup_next)
				if (d == e)
					break;
			dbg_bad(!d, "entry 0x%016llx missing from the address index",
				(unsigned long long)e->key.dev_addr);
			if (dbg_tracks_lines(e)) {
				links_expected += 1 + (e->cl[1].linked ? 1 : 0);
				dbg_bad(!e->cl[0].linked || !dbg_cl_linked(&e->cl[0]) ||
					e->cl[0].cln != dbg_cln(e->phys),
					"first cache line of 0x%016llx not indexed",
					(unsigned long long)e->key.dev_addr);
				dbg_bad(e->cl[1].linked && !dbg_cl_linked(&e->cl[1]),
					"last cache line of 0x%016llx not indexed",
					(unsigned long long)e->key.dev_addr);
			} else {
				dbg_bad(e->cl[0].linked || e->cl[1].linked,
					"untracked entry 0x%016llx in the cache-line index",
					(unsigned long long)e->key.dev_addr);
			}
		}
		dbg_bad(n != dd->nr_entries, "%s: %lu entries listed, %lu counted",
			dd->name, n, dd->nr_entries);
		in_devs += n;
	}
	HASH_ITER(hh, dbg.by_addr, h, h_tmp) {
		for (d = h; d; d = d->dup_next) {
			in_hash++;
			dbg_bad(d->key.dev != h->key.dev || d->key.dev_addr != h->key.dev_addr,
				"address chain mixes keys");
			if (in_hash > dbg.nr_in_use + 1)
				break;
		}
	}
	HASH_ITER(hh, dbg.by_line, l, l_tmp) {
		for (c = l; c; c = c->dup_next) {
			links++;
			dbg_bad(c->cln != l->cln || !c->linked, "cache-line chain inconsistent");
			if (links > 2 * (unsigned long)dbg.nr_in_use + 1)
				break;
		}
	}
	list_for_each_entry(e, &dbg.free_entries, dev_node)
		if (++nfree > dbg.nr_allocated)
			break;

	dbg_bad(in_devs != dbg.nr_in_use, "%lu entries under devices, %u in use",
		in_devs, dbg.nr_in_use);
	dbg_bad(in_hash != dbg.nr_in_use, "%lu entries in the address index, %u in use",
		in_hash, dbg.nr_in_use);
	dbg_bad(links != links_expected, "%lu cache-line links, %lu expected",
		links, links_expected);
	dbg_bad(nfree != dbg.num_free_entries, "%lu free entries listed, %u counted",
		nfree, dbg.num_free_entries);
	dbg_bad(dbg.nr_in_use + dbg.num_free_entries != dbg.nr_allocated,
		"in use %u + free %u != allocated %u", dbg.nr_in_use,
		dbg.num_free_entries, dbg.nr_allocated);
	dbg_bad(dbg.initialized && dbg.nr_in_use > dbg.nr_total_entries,
		"%u entries in use over the limit %u", dbg.nr_in_use, dbg.nr_total_entries);
	return problems ? -EUCLEAN : 0;
}

/**
 * iosim_dma_debug_check - see <iosim/dma_debug.h>.
 *
 * Context: any.
 * Return: 0, or -EUCLEAN after WARNing each problem.
 */
int iosim_dma_debug_check(void)
{
	int rc;

	pthread_mutex_lock(&dbg_lock);
	rc = dbg_check_locked();
	pthread_mutex_unlock(&dbg_lock);
	return rc;
}
