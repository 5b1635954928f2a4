// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DMA-API debugging: the hooks the generic DMA API calls (<linux/dma-debug.h>)
 * and their checks, following the kernel's lib/dma-debug.c of 2015 (v4.1:
 * check_unmap, check_sync, the map-time checks), wording included, plus the
 * sg segment checks and the cache-line overlap report of later kernels and
 * the simulation's ownership tracking (sync_for_cpu hands a buffer to the
 * CPU, sync_for_device back).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/dma-mapping.h>
#include <linux/scatterlist.h>
#include <linux/vmalloc.h>
#include <iosim/ram.h>

#include <iosim/hooks.h>

#include "dma-debug-internal.h"

/*
 * The physical address of @page + @offset if @page is an entry of simulated
 * RAM's mem_map and [phys, phys + @size) is RAM; without page_to_phys()'s
 * WARN for anything else.
 */
static bool dbg_page_phys(struct page *page, size_t offset, size_t size, phys_addr_t *phys)
{
	unsigned long nr;
	struct page *first;

	if (!page || !iosim_ram_ready())
		return false;
	/* mem_map is one array over all RAM banks, lowest bank's first frame first. */
	nr = iosim_ram_nr_pages();
	first = pfn_to_page(iosim_ram_base_phys() >> PAGE_SHIFT);
	if ((uintptr_t)page < (uintptr_t)first ||
	    ((uintptr_t)page - (uintptr_t)first) % sizeof(struct page) ||
	    (unsigned long)(page - first) >= nr)
		return false;
	/* A mem_map entry: page_to_phys() knows its bank and does not WARN. */
	*phys = page_to_phys(page) + offset;
	return iosim_phys_is_ram(*phys, size ? size : 1);
}

/* sg_next() that ends quietly at the end of the list. */
static struct scatterlist *dbg_sg_next(struct scatterlist *s)
{
	return sg_is_last(s) ? NULL : sg_next(s);
}

#define dbg_for_each_sg(sglist, s, nr, i) \
	for (i = 0, s = (sglist); s && i < (nr); i++, s = dbg_sg_next(s))

/*
 * The physical address behind a coherent buffer's CPU address @virt: a
 * linear-map address, or one in a vmap() alias (dma_alloc_coherent()'s
 * remap for a non-coherent device) that starts an alias or lies in the
 * @alias_len bytes at @alias (the allocation's own): where
 * vmalloc_to_page() answers without a WARN.  false for anything else.
 */
static bool dbg_coherent_phys(const void *virt, const void *alias, u64 alias_len,
			      phys_addr_t *phys)
{
	struct vm_struct *area;

	if (virt_addr_valid(virt)) {
		*phys = virt_to_phys(virt);
		return true;
	}
	if (!is_vmalloc_addr(virt))
		return false;
	/* find_vm_area() knows an area by its start: the alias's, or @virt's */
	if (alias && (uintptr_t)virt - (uintptr_t)alias < alias_len)
		area = find_vm_area(alias);
	else
		area = find_vm_area(virt);
	if (!area || (area->flags & VM_ALLOC))
		return false;
	return dbg_page_phys(vmalloc_to_page(virt), offset_in_page(virt), 1, phys);
}

/*
 * Does the free of coherent @entry name another CPU address?  v4.1 compares
 * phys_addr() of both, whose offset it took as virt & PAGE_MASK: in effect
 * another page is reported, the same page at another offset is not; here
 * the pages of the physical addresses (of the virtual ones when a CPU
 * address is outside simulated memory).  @alloc_addr and @free_addr are set
 * to what the report prints: the physical addresses (the kernel printed its
 * garbled sum), or the CPU address itself for one outside simulated memory.
 */
static bool dbg_coherent_moved(const struct dma_debug_entry *entry, const void *virt,
			       u64 *alloc_addr, u64 *free_addr)
{
	phys_addr_t phys;
	bool known = dbg_coherent_phys(virt, entry->cpu_vmap ? entry->cpu_addr : NULL,
				       entry->size, &phys);

	*alloc_addr = entry->phys_valid ? entry->phys : (uintptr_t)entry->cpu_addr;
	*free_addr = known ? phys : (uintptr_t)virt;
	return known != entry->phys_valid ||
	       *alloc_addr >> PAGE_SHIFT != *free_addr >> PAGE_SHIFT;
}

/*
 * check_unmap - the kernel's: find the entry @ref unmaps, report every way
 * the unmap disagrees with the map, then drop the entry.
 * Context: dbg_lock held; returns with it held (dropped around the ops'
 * mapping-error test, as the kernel drops its bucket lock).
 */
static void check_unmap(struct dma_debug_entry *ref)
{
	struct dma_debug_entry *entry = dbg_find_exact(ref);
	struct device *dev = ref->key.dev;
	dma_addr_t addr = ref->key.dev_addr;
	u64 alloc_addr, free_addr;
	bool invalid;

	if (!entry) {
		/*
		 * The kernel's dma_mapping_error(): its debug hook marks an
		 * unchecked entry of the handle (there may be some when several
		 * fit and none perfectly), then the ops answer.
		 */
		dbg_mark_checked(dev, addr);
		pthread_mutex_unlock(&dbg_lock);
		invalid = dbg_ops_mapping_error(dev, addr);
		pthread_mutex_lock(&dbg_lock);
		if (invalid)
			dbg_report(IOSIM_DMA_DEBUG_FREE_INVALID_ADDR, dev, NULL, addr, ref->size,
				   false,
				   "DMA-API: device driver tries to free an invalid DMA memory address\n");
		else
			dbg_report(IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED, dev, NULL, addr, ref->size,
				   false,
				   "DMA-API: device driver tries to free DMA memory it has not allocated [device address=0x%016llx] [size=%llu bytes]\n",
				   (unsigned long long)addr, (unsigned long long)ref->size);
		return;
	}

	if (ref->size != entry->size)
		dbg_report(IOSIM_DMA_DEBUG_FREE_WRONG_SIZE, dev, entry, addr, ref->size, false,
			   "DMA-API: device driver frees DMA memory with different size [device address=0x%016llx] [map size=%llu bytes] [unmap size=%llu bytes]\n",
			   (unsigned long long)addr, (unsigned long long)entry->size,
			   (unsigned long long)ref->size);

	if (ref->type != entry->type)
		dbg_report(IOSIM_DMA_DEBUG_FREE_WRONG_FUNCTION, dev, entry, addr, ref->size, false,
			   "DMA-API: device driver frees DMA memory with wrong function [device address=0x%016llx] [size=%llu bytes] [mapped as %s] [unmapped as %s]\n",
			   (unsigned long long)addr, (unsigned long long)ref->size,
			   dbg_type_name[entry->type], dbg_type_name[ref->type]);
	else if (entry->type == dma_debug_coherent &&
		 dbg_coherent_moved(entry, ref->cpu_addr, &alloc_addr, &free_addr))
		dbg_report(IOSIM_DMA_DEBUG_FREE_WRONG_CPU_ADDR, dev, entry, addr, ref->size, false,
			   "DMA-API: device driver frees DMA memory with different CPU address [device address=0x%016llx] [size=%llu bytes] [cpu alloc address=0x%016llx] [cpu free address=0x%016llx]\n",
			   (unsigned long long)addr, (unsigned long long)ref->size,
			   (unsigned long long)alloc_addr, (unsigned long long)free_addr);

	if (ref->sg_call_ents && ref->type == dma_debug_sg &&
	    ref->sg_call_ents != entry->sg_call_ents)
		dbg_report(IOSIM_DMA_DEBUG_FREE_SG_WRONG_NENTS, dev, entry, addr, ref->size, false,
			   "DMA-API: device driver frees DMA sg list with different entry count [map count=%d] [unmap count=%d]\n",
			   entry->sg_call_ents, ref->sg_call_ents);

	if (ref->direction != entry->direction)
		dbg_report(IOSIM_DMA_DEBUG_FREE_WRONG_DIRECTION, dev, entry, addr, ref->size, false,
			   "DMA-API: device driver frees DMA memory with different direction [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [unmapped with %s]\n",
			   (unsigned long long)addr, (unsigned long long)ref->size,
			   dbg_dir_name[entry->direction & 3], dbg_dir_name[ref->direction & 3]);

	/* as the kernel: the unmap's size */
	dbg_check_map_err(entry, dev, ref->size, false);

	dbg_remember_unmap(entry);
	dbg_entry_remove(entry);
}

/*
 * check_sync - the kernel's: the synced range must lie in one entry (or
 * nothing else is checked), in a direction it allows unless the entry is
 * DMA_BIDIRECTIONAL; then (ours) hand the entry to the CPU or the device.
 * Context: dbg_lock held.
 */
static void check_sync(struct device *dev, struct dma_debug_entry *ref, bool to_cpu)
{
	struct dma_debug_entry *entry = dbg_find_containing(ref);
	dma_addr_t addr = ref->key.dev_addr;

	if (!entry) {
		dbg_report(IOSIM_DMA_DEBUG_SYNC_NOT_ALLOCATED, dev, NULL, addr, ref->size, false,
			   "DMA-API: device driver tries to sync DMA memory it has not allocated [device address=0x%016llx] [size=%llu bytes]\n",
			   (unsigned long long)addr, (unsigned long long)ref->size);
		return;
	}

	/* Only a size whose end wraps past 2^64 into the entry gets here. */
	if (ref->size > entry->size)
		dbg_report(IOSIM_DMA_DEBUG_SYNC_OUT_OF_RANGE, dev, entry, addr, ref->size, false,
			   "DMA-API: device driver syncs DMA memory outside allocated range [device address=0x%016llx] [allocation size=%llu bytes] [sync offset+size=%llu]\n",
			   (unsigned long long)entry->key.dev_addr, (unsigned long long)entry->size,
			   (unsigned long long)ref->size);

	/* ours: a first use of a mapping whose error was never checked */
	dbg_check_map_err(entry, dev, entry->size, false);

	if (entry->direction != DMA_BIDIRECTIONAL) {
		if (ref->direction != entry->direction)
			dbg_report(IOSIM_DMA_DEBUG_SYNC_WRONG_DIRECTION, dev, entry, addr, ref->size,
				   false,
				   "DMA-API: device driver syncs DMA memory with different direction [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [synced with %s]\n",
				   (unsigned long long)addr, (unsigned long long)entry->size,
				   dbg_dir_name[entry->direction & 3], dbg_dir_name[ref->direction & 3]);

		if (to_cpu && entry->direction != DMA_FROM_DEVICE &&
		    ref->direction != DMA_TO_DEVICE)
			dbg_report(IOSIM_DMA_DEBUG_SYNC_READ_ONLY_FOR_CPU, dev, entry, addr,
				   ref->size, false,
				   "DMA-API: device driver syncs device read-only DMA memory for cpu [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [synced with %s]\n",
				   (unsigned long long)addr, (unsigned long long)entry->size,
				   dbg_dir_name[entry->direction & 3], dbg_dir_name[ref->direction & 3]);

		if (!to_cpu && entry->direction != DMA_TO_DEVICE &&
		    ref->direction != DMA_FROM_DEVICE)
			dbg_report(IOSIM_DMA_DEBUG_SYNC_WRITE_ONLY_TO_DEVICE, dev, entry, addr,
				   ref->size, false,
				   "DMA-API: device driver syncs device write-only DMA memory to device [device address=0x%016llx] [size=%llu bytes] [mapped with %s] [synced with %s]\n",
				   (unsigned long long)addr, (unsigned long long)entry->size,
				   dbg_dir_name[entry->direction & 3], dbg_dir_name[ref->direction & 3]);

		if (ref->sg_call_ents && ref->type == dma_debug_sg &&
		    ref->sg_call_ents != entry->sg_call_ents)
			dbg_report(IOSIM_DMA_DEBUG_SYNC_SG_WRONG_NENTS, dev, entry, addr, ref->size,
				   false,
				   "DMA-API: device driver syncs DMA sg list with different entry count [map count=%d] [sync count=%d]\n",
				   entry->sg_call_ents, ref->sg_call_ents);
	}

	if (entry->type != dma_debug_coherent)
		entry->cpu_owned = to_cpu;
}

static void dbg_ref_init(struct dma_debug_entry *ref, struct device *dev, dma_addr_t addr,
			 u64 size, int direction, int type)
{
	memset(ref, 0, sizeof(*ref));
	ref->key.dev = dev;
	ref->key.dev_addr = addr;
	ref->size = size;
	ref->direction = direction;
	ref->type = type;
}

/**
 * debug_dma_map_page - record a dma_map_page()/dma_map_single() mapping.
 * @dev: the device
 * @page: first page of the CPU memory
 * @offset: offset into it
 * @size: bytes mapped
 * @direction: enum dma_data_direction
 * @dma_addr: what the ops returned (DMA_ERROR_CODE: nothing recorded)
 * @map_single: made by dma_map_single() (an entry of type single)
 *
 * As the kernel's, first the dma_mapping_error() test of @dma_addr, with its
 * debug hook: an unchecked entry already at {@dev, @dma_addr} (the same
 * buffer mapped twice without an IOMMU) becomes checked.  Reports memory
 * outside simulated RAM (a page the simulation does not know, or a range
 * running off RAM) and overlapping device-writable cache lines.  The entry
 * starts owned by the device, with its mapping error unchecked.  (v4.1's
 * text/rodata check has nothing to look at here: @page is simulated RAM or
 * unknown, never the program's image; iosim_dma_debug_map_single() makes it.)
 *
 * Context: any.
 */
void debug_dma_map_page(struct device *dev, struct page *page, size_t offset, size_t size,
			int direction, dma_addr_t dma_addr, bool map_single)
{
	struct dma_debug_entry *entry;
	phys_addr_t phys = 0;
	bool in_ram;

	pthread_mutex_lock(&dbg_lock);
	if (!dbg_active_locked())
		goto out_unlock;
	dbg_mark_checked(dev, dma_addr);
	pthread_mutex_unlock(&dbg_lock);
	if (dbg_ops_mapping_error(dev, dma_addr))
		return;
	pthread_mutex_lock(&dbg_lock);
	if (!dbg_active_locked())
		goto out_unlock;

	in_ram = dbg_page_phys(page, offset, size, &phys);
	if (!in_ram) {
		phys = 0;
		dbg_report(IOSIM_DMA_DEBUG_NOT_RAM, dev, NULL, dma_addr, size, false,
			   "DMA-API: device driver maps memory from invalid area [page=%p] [offset=%zu] [len=%zu]\n",
			   (void *)page, offset, size);
	}

	entry = dbg_entry_alloc();
	if (!entry)
		goto out_unlock;
	entry->key.dev = dev;
	entry->key.dev_addr = dma_addr;
	entry->type = map_single ? dma_debug_single : dma_debug_page;
	entry->phys = phys;
	entry->phys_valid = in_ram;
	entry->cpu_len = size;
	entry->size = size;
	entry->direction = direction;
	entry->map_err_type = MAP_ERR_NOT_CHECKED;
	dbg_entry_add(entry);
out_unlock:
	pthread_mutex_unlock(&dbg_lock);
}

/**
 * debug_dma_mapping_error - the driver checked @dma_addr with
 * dma_mapping_error(): mark the oldest unchecked entry of that address.
 * @dev: the device
 * @dma_addr: the handle checked
 *
 * Context: any.
 */
void debug_dma_mapping_error(struct device *dev, dma_addr_t dma_addr)
{
	pthread_mutex_lock(&dbg_lock);
	if (dbg_active_locked())
		dbg_mark_checked(dev, dma_addr);
	pthread_mutex_unlock(&dbg_lock);
}

/**
 * debug_dma_unmap_page - check a dma_unmap_page()/dma_unmap_single() against
 * its map and drop the entry.
 * @dev: the device
 * @addr: the handle
 * @size: bytes unmapped
 * @direction: enum dma_data_direction
 * @map_single: called by dma_unmap_single()
 *
 * Context: any.
 */
void debug_dma_unmap_page(struct device *dev, dma_addr_t addr, size_t size, int direction,
			  bool map_single)
{
	struct dma_debug_entry ref;

	pthread_mutex_lock(&dbg_lock);
	if (dbg_active_locked()) {
		dbg_ref_init(&ref, dev, addr, size, direction,
			     map_single ? dma_debug_single : dma_debug_page);
		check_unmap(&ref);
	}
	pthread_mutex_unlock(&dbg_lock);
}

/* Segment limits as the device receives them (later kernels' check_sg_segment). */
static void check_sg_segment(struct device *dev, struct scatterlist *s)
{
	unsigned int max_seg = dma_get_max_seg_size(dev);
	u64 boundary = dma_get_seg_boundary(dev);
	u64 start = sg_dma_address(s);
	u64 end = start + sg_dma_len(s) - 1;

	if (sg_dma_len(s) > max_seg)
		dbg_report(IOSIM_DMA_DEBUG_SG_SEGMENT_TOO_LONG, dev, NULL, start, sg_dma_len(s),
			   false,
			   "DMA-API: mapping sg segment longer than device claims to support [len=%u] [max=%u]\n",
			   sg_dma_len(s), max_seg);
	if (sg_dma_len(s) && ((start ^ end) & ~boundary))
		dbg_report(IOSIM_DMA_DEBUG_SG_SEGMENT_BOUNDARY, dev, NULL, start, sg_dma_len(s),
			   false,
			   "DMA-API: mapping sg segment across boundary [start=0x%016llx] [end=0x%016llx] [boundary=0x%016llx]\n",
			   (unsigned long long)start, (unsigned long long)end,
			   (unsigned long long)boundary);
}

/**
 * debug_dma_map_sg - record each DMA segment dma_map_sg() produced.
 * @dev: the device
 * @sg: the list given to dma_map_sg()
 * @nents: the entry count given to dma_map_sg() (what unmap and sync must pass)
 * @mapped_ents: what dma_map_sg() returned (0: nothing recorded)
 * @direction: enum dma_data_direction
 *
 * Segment i (sg_dma_address/sg_dma_len of the i-th entry) becomes an entry
 * whose CPU memory is taken from the i-th entry's page (as the kernel's).
 * Reports segments over the device's max segment size or across its segment
 * boundary, CPU entries outside simulated RAM, and cache-line overlaps.
 * (v4.1's per-segment text/rodata check cannot fire: an sg entry names a
 * struct page, which is simulated RAM or unknown, never the program's image.)
 *
 * Context: any.
 */
void debug_dma_map_sg(struct device *dev, struct scatterlist *sg, int nents, int mapped_ents,
		      int direction)
{
	struct dma_debug_entry *entry;
	struct scatterlist *s;
	phys_addr_t phys;
	int i;

	pthread_mutex_lock(&dbg_lock);
	if (!dbg_active_locked())
		goto out_unlock;

	dbg_for_each_sg(sg, s, nents, i) {
		if (!dbg_page_phys(sg_page(s), s->offset, s->length, &phys))
			dbg_report(IOSIM_DMA_DEBUG_NOT_RAM, dev, NULL, 0, s->length, false,
				   "DMA-API: device driver maps memory from invalid area [sg entry=%d] [page=%p] [len=%u]\n",
				   i, (void *)sg_page(s), s->length);
	}

	dbg_for_each_sg(sg, s, mapped_ents, i) {
		check_sg_segment(dev, s);
		entry = dbg_entry_alloc();
		if (!entry)
			goto out_unlock;
		entry->key.dev = dev;
		entry->key.dev_addr = sg_dma_address(s);
		entry->type = dma_debug_sg;
		entry->phys_valid = dbg_page_phys(sg_page(s), s->offset, 0, &entry->phys);
		entry->size = sg_dma_len(s);
		entry->cpu_len = min_t(u64, s->length, sg_dma_len(s));
		entry->direction = direction;
		entry->sg_call_ents = nents;
		entry->sg_mapped_ents = mapped_ents;
		if (!dbg_entry_add(entry))
			break;
	}
out_unlock:
	pthread_mutex_unlock(&dbg_lock);
}

/**
 * debug_dma_unmap_sg - check a dma_unmap_sg() segment by segment and drop
 * the entries.
 * @dev: the device
 * @sglist: the list
 * @nelems: the count passed (must be map_sg's @nents)
 * @dir: enum dma_data_direction
 *
 * As the kernel: the number of segments to check comes from the entry of the
 * first segment; each segment is checked as an unmap.
 *
 * Context: any.
 */
void debug_dma_unmap_sg(struct device *dev, struct scatterlist *sglist, int nelems, int dir)
{
	struct dma_debug_entry ref, *first;
	struct scatterlist *s;
	int mapped_ents = 0, i;

	pthread_mutex_lock(&dbg_lock);
	if (!dbg_active_locked())
		goto out_unlock;

	dbg_for_each_sg(sglist, s, nelems, i) {
		if (mapped_ents && i >= mapped_ents)
			break;
		dbg_ref_init(&ref, dev, sg_dma_address(s), sg_dma_len(s), dir, dma_debug_sg);
		ref.sg_call_ents = nelems;
		if (!i) {
			first = dbg_find_exact(&ref);
			mapped_ents = first ? first->sg_mapped_ents : 0;
		}
		check_unmap(&ref);
	}
out_unlock:
	pthread_mutex_unlock(&dbg_lock);
}

/**
 * debug_dma_alloc_coherent - record a coherent buffer.
 * @dev: the device
 * @size: bytes
 * @dma_addr: its DMA address
 * @virt: its CPU address (NULL: the allocation failed, nothing recorded);
 *	a linear-map or remapped (vmap) address
 *
 * Context: any.
 */
void debug_dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t dma_addr, void *virt)
{
	struct dma_debug_entry *entry;

	if (!virt)
		return;
	pthread_mutex_lock(&dbg_lock);
	if (!dbg_active_locked())
		goto out_unlock;
	entry = dbg_entry_alloc();
	if (!entry)
		goto out_unlock;
	entry->key.dev = dev;
	entry->key.dev_addr = dma_addr;
	entry->type = dma_debug_coherent;
	/* The CPU address is what the free must repeat (to the page). */
	entry->cpu_addr = virt;
	entry->phys_valid = dbg_coherent_phys(virt, NULL, 0, &entry->phys);
	entry->cpu_vmap = entry->phys_valid && !virt_addr_valid(virt);
	entry->cpu_len = size;
	entry->size = size;
	entry->direction = DMA_BIDIRECTIONAL;
	dbg_entry_add(entry);
out_unlock:
	pthread_mutex_unlock(&dbg_lock);
}

/**
 * debug_dma_free_coherent - check a dma_free_coherent() against its alloc
 * (size, DMA address, CPU address: its page, as v4.1) and drop the entry.
 * @dev: the device
 * @size: bytes
 * @virt: the CPU address passed
 * @addr: the DMA address passed
 *
 * Context: any.
 */
void debug_dma_free_coherent(struct device *dev, size_t size, void *virt, dma_addr_t addr)
{
	struct dma_debug_entry ref;

	pthread_mutex_lock(&dbg_lock);
	if (dbg_active_locked()) {
		dbg_ref_init(&ref, dev, addr, size, DMA_BIDIRECTIONAL, dma_debug_coherent);
		ref.cpu_addr = virt;
		check_unmap(&ref);
	}
	pthread_mutex_unlock(&dbg_lock);
}

static void dbg_sync_single(struct device *dev, dma_addr_t dma_handle, u64 size,
			    int direction, bool to_cpu)
{
	struct dma_debug_entry ref;

	pthread_mutex_lock(&dbg_lock);
	if (dbg_active_locked()) {
		dbg_ref_init(&ref, dev, dma_handle, size, direction, dma_debug_single);
		check_sync(dev, &ref, to_cpu);
	}
	pthread_mutex_unlock(&dbg_lock);
}

/**
 * debug_dma_sync_single_for_cpu - check a sync and hand the buffer to the CPU.
 * @dev: the device
 * @dma_handle: start of the synced range
 * @size: its length
 * @direction: enum dma_data_direction
 *
 * Context: any.
 */
void debug_dma_sync_single_for_cpu(struct device *dev, dma_addr_t dma_handle, size_t size,
				   int direction)
{
	dbg_sync_single(dev, dma_handle, size, direction, true);
}

/**
 * debug_dma_sync_single_for_device - check a sync and hand the buffer to the device.
 * @dev: the device
 * @dma_handle: start of the synced range
 * @size: its length
 * @direction: enum dma_data_direction
 *
 * Context: any.
 */
void debug_dma_sync_single_for_device(struct device *dev, dma_addr_t dma_handle, size_t size,
				      int direction)
{
	dbg_sync_single(dev, dma_handle, size, direction, false);
}

/**
 * debug_dma_sync_single_range_for_cpu - as debug_dma_sync_single_for_cpu()
 * of [@dma_handle, + @offset + @size), as the kernel's (its reports name
 * @dma_handle and @offset + @size).
 * @dev: the device
 * @dma_handle: the mapping's handle
 * @offset: offset of the synced range
 * @size: its length
 * @direction: enum dma_data_direction
 *
 * Context: any.
 */
void debug_dma_sync_single_range_for_cpu(struct device *dev, dma_addr_t dma_handle,
					 unsigned long offset, size_t size, int direction)
{
	dbg_sync_single(dev, dma_handle, (u64)offset + size, direction, true);
}

/**
 * debug_dma_sync_single_range_for_device - as
 * debug_dma_sync_single_for_device() of [@dma_handle, + @offset + @size), as
 * the kernel's.
 * @dev: the device
 * @dma_handle: the mapping's handle
 * @offset: offset of the synced range
 * @size: its length
 * @direction: enum dma_data_direction
 *
 * Context: any.
 */
void debug_dma_sync_single_range_for_device(struct device *dev, dma_addr_t dma_handle,
					    unsigned long offset, size_t size, int direction)
{
	dbg_sync_single(dev, dma_handle, (u64)offset + size, direction, false);
}

static void dbg_sync_sg(struct device *dev, struct scatterlist *sg, int nelems, int direction,
			bool to_cpu)
{
	struct dma_debug_entry ref, *first;
	struct scatterlist *s;
	int mapped_ents = 0, i;

	pthread_mutex_lock(&dbg_lock);
	if (!dbg_active_locked())
		goto out_unlock;
	/* As the kernel: no entry fits the first segment, nothing is checked. */
	dbg_for_each_sg(sg, s, nelems, i) {
		dbg_ref_init(&ref, dev, sg_dma_address(s), sg_dma_len(s), direction, dma_debug_sg);
		ref.sg_call_ents = nelems;
		if (!i) {
			first = dbg_find_exact(&ref);
			mapped_ents = first ? first->sg_mapped_ents : 0;
		}
		if (i >= mapped_ents)
			break;
		check_sync(dev, &ref, to_cpu);
	}
out_unlock:
	pthread_mutex_unlock(&dbg_lock);
}

/**
 * debug_dma_sync_sg_for_cpu - check a dma_sync_sg_for_cpu() segment by
 * segment and hand the segments to the CPU.
 * @dev: the device
 * @sg: the list
 * @nelems: the count passed (must be map_sg's @nents)
 * @direction: enum dma_data_direction
 *
 * Context: any.
 */
void debug_dma_sync_sg_for_cpu(struct device *dev, struct scatterlist *sg, int nelems,
			       int direction)
{
	dbg_sync_sg(dev, sg, nelems, direction, true);
}

/**
 * debug_dma_sync_sg_for_device - check a dma_sync_sg_for_device() segment by
 * segment and hand the segments to the device.
 * @dev: the device
 * @sg: the list
 * @nelems: the count passed (must be map_sg's @nents)
 * @direction: enum dma_data_direction
 *
 * Context: any.
 */
void debug_dma_sync_sg_for_device(struct device *dev, struct scatterlist *sg, int nelems,
				  int direction)
{
	dbg_sync_sg(dev, sg, nelems, direction, false);
}

/**
 * debug_dma_assert_idle - report if a live device-writable mapping starts in
 * the first cache line of @page (the kernel's "cpu touching an active dma
 * mapped cacheline", as a CPU_WRITE_DEVICE_OWNED report against the oldest
 * such mapping).  As v4.1, only a mapping's first line counts: one ending in
 * that line is not reported.
 * @page: the page the CPU is about to touch (NULL: nothing)
 *
 * Context: any.
 */
void debug_dma_assert_idle(struct page *page)
{
	struct dbg_cl_link *link;
	phys_addr_t phys;
	u64 cln;

	pthread_mutex_lock(&dbg_lock);
	if (!dbg_active_locked() || !dbg_page_phys(page, 0, PAGE_SIZE, &phys))
		goto out_unlock;
	cln = phys >> DBG_CACHELINE_SHIFT;
	HASH_FIND(hh, dbg.by_line, &cln, sizeof(cln), link);
	while (link && link != &link->owner->cl[0])
		link = link->dup_next;
	if (link)
		dbg_report(IOSIM_DMA_DEBUG_CPU_WRITE_DEVICE_OWNED, link->owner->key.dev,
			   link->owner, link->owner->key.dev_addr, link->owner->size, false,
			   "DMA-API: cpu touching an active dma mapped cacheline [cln=0x%016llx]\n",
			   (unsigned long long)cln);
out_unlock:
	pthread_mutex_unlock(&dbg_lock);
}

/*
 * What only the simulation can see reaches us through <iosim/hooks.h>: the
 * bus master's accesses and the cache model's lost writes.  Installed at
 * program load (this object holds the hooks every DMA API call makes, so it is always
 * linked with the DMA API).
 */
__attribute__((constructor)) static void dbg_install_hooks(void)
{
	iosim_dma_access_hook = iosim_dma_debug_device_access;
	iosim_cache_lost_write_hook = iosim_dma_debug_lost_write;
}
