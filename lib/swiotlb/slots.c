// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The bounce pool and its slot allocator, in the design of the kernel's
 * lib/swiotlb.c of 2015 (the code is ours).
 *
 * The pool is nslabs slots of IO_TLB_SIZE bytes in ZONE_DMA, grouped in
 * segments of IO_TLB_SEGSIZE slots.  io_tlb_list[i] counts the free slots
 * from i to the end of its free run, which never extends past its segment
 * (0 for a used slot), so "is there room for n slots at i" is one compare.
 * A search starts where the last allocation ended, steps by one slot (by a
 * page's worth for mappings of more than a page, keeping them page aligned:
 * 2015's rule; an exactly page-sized mapping steps by one slot and need not
 * be page aligned) and skips positions whose run would cross the device's
 * segment boundary.
 * io_tlb_orig_addr[i] remembers which original byte slot i shadows.
 *
 * Beyond the kernel, io_tlb_nslots records each mapping's length at its
 * first slot, so that unmapping or syncing something that is not a live
 * mapping (or runs past one) is WARNed and ignored rather than corrupting
 * the counters.  Where the kernel BUG()s or panics (a zero-size or
 * undirected request, a segment boundary that is not a power of two, a
 * bounce request without a pool) we WARN and refuse, changing nothing.
 */
#include "swiotlb-internal.h"

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/log2.h>
#include <iosim/cache.h>
#include <iosim/ram.h>

struct io_tlb_pool io_tlb;
DEFINE_SPINLOCK(io_tlb_lock);
int swiotlb_force;
static size_t io_tlb_size_wanted = IOSIM_SWIOTLB_DEFAULT_SIZE;

#define SEG_BYTES	((size_t)IO_TLB_SEGSIZE << IO_TLB_SHIFT)

static unsigned long seg_start(unsigned long slot)
{
	return slot & ~((unsigned long)IO_TLB_SEGSIZE - 1);
}

static unsigned long seg_end(unsigned long slot)
{
	return seg_start(slot) + IO_TLB_SEGSIZE;
}

/* --- the pool ------------------------------------------------------------------ */

void iosim_swiotlb_set_size(size_t bytes)
{
	if (WARN(io_tlb.ready, "iosim_swiotlb_set_size: the pool exists; exit it first"))
		return;
	io_tlb_size_wanted = bytes ? ALIGN(bytes, SEG_BYTES) : IOSIM_SWIOTLB_DEFAULT_SIZE;
}

int iosim_swiotlb_init(void)
{
	unsigned long nslabs = io_tlb_size_wanted >> IO_TLB_SHIFT, i;
	struct io_tlb_pool pool = { 0 };

	if (io_tlb.ready)
		return -EBUSY;
	if (!iosim_ram_ready())
		return -ENODEV;
	if (!iosim_ram_zone_pages(ZONE_DMA))
		return -ENOMEM;		/* no RAM below 4 GiB: swiotlb is unavailable */

	pool.virt = alloc_pages_exact(io_tlb_size_wanted, GFP_DMA | __GFP_NOWARN);
	if (!pool.virt)
		return -ENOMEM;
	pool.io_tlb_list = kcalloc(nslabs, sizeof(*pool.io_tlb_list), GFP_KERNEL);
	if (!pool.io_tlb_list)
		goto out_free_pool;
	pool.io_tlb_orig_addr = kcalloc(nslabs, sizeof(*pool.io_tlb_orig_addr), GFP_KERNEL);
	if (!pool.io_tlb_orig_addr)
		goto out_free_list;
	pool.io_tlb_nslots = kcalloc(nslabs, sizeof(*pool.io_tlb_nslots), GFP_KERNEL);
	if (!pool.io_tlb_nslots)
		goto out_free_orig;

	for (i = 0; i < nslabs; i++) {
		pool.io_tlb_list[i] = (unsigned int)(seg_end(i) - i);
		pool.io_tlb_orig_addr[i] = INVALID_PHYS_ADDR;
	}
	pool.start = virt_to_phys(pool.virt);
	pool.end = pool.start + ((phys_addr_t)nslabs << IO_TLB_SHIFT);
	pool.nslabs = nslabs;
	pool.stats.nslabs = nslabs;
	pool.ready = true;
	spin_lock(&io_tlb_lock);
	io_tlb = pool;
	spin_unlock(&io_tlb_lock);
	return 0;

out_free_orig:
	kfree(pool.io_tlb_orig_addr);
out_free_list:
	kfree(pool.io_tlb_list);
out_free_pool:
	free_pages_exact(pool.virt, io_tlb_size_wanted);
	return -ENOMEM;
}

void iosim_swiotlb_exit(void)
{
	struct io_tlb_pool pool;

	spin_lock(&io_tlb_lock);
	pool = io_tlb;
	memset(&io_tlb, 0, sizeof(io_tlb));
	spin_unlock(&io_tlb_lock);
	swiotlb_force = 0;
	if (!pool.ready)
		return;
	WARN(pool.stats.slots_used, "iosim_swiotlb_exit: %lu bounce slots still in use",
	     pool.stats.slots_used);
	kfree(pool.io_tlb_nslots);
	kfree(pool.io_tlb_orig_addr);
	kfree(pool.io_tlb_list);
	free_pages_exact(pool.virt, pool.nslabs << IO_TLB_SHIFT);
}

bool iosim_swiotlb_ready(void)
{
	return io_tlb.ready;
}

phys_addr_t iosim_swiotlb_pool_phys(void)
{
	return io_tlb.ready ? io_tlb.start : 0;
}

void iosim_swiotlb_get_stats(struct iosim_swiotlb_stats *stats)
{
	spin_lock(&io_tlb_lock);
	*stats = io_tlb.stats;
	spin_unlock(&io_tlb_lock);
}

/**
 * swiotlb_init - create the bounce pool, as the kernel does at boot
 * @verbose: log the pool's placement on success
 *
 * Context: process context.
 * Return: nothing; a failure is logged and leaves swiotlb unavailable.
 */
void swiotlb_init(int verbose)
{
	int ret = iosim_swiotlb_init();

	if (ret)
		pr_warn("Cannot allocate SWIOTLB buffer");	/* 2015's text, no newline */
	else if (verbose)
		swiotlb_print_info();
}

/**
 * swiotlb_free - destroy the pool (iosim_swiotlb_exit())
 *
 * Context: process context.
 */
void swiotlb_free(void)
{
	iosim_swiotlb_exit();
}

/**
 * swiotlb_nr_tbl - the number of slots
 *
 * Context: any.
 * Return: the pool's slot count, 0 without a pool.
 */
unsigned long swiotlb_nr_tbl(void)
{
	return io_tlb.ready ? io_tlb.nslabs : 0;
}

/**
 * swiotlb_size_or_default - the pool's size in bytes
 *
 * Context: any.
 * Return: the pool's size, or the size the next init will use without one.
 */
unsigned long swiotlb_size_or_default(void)
{
	return io_tlb.ready ? io_tlb.nslabs << IO_TLB_SHIFT : io_tlb_size_wanted;
}

/**
 * swiotlb_print_info - log where the pool is
 *
 * Context: any.
 * Return: nothing; without a pool it says so.
 */
void swiotlb_print_info(void)
{
	if (!io_tlb.ready) {
		pr_warn("software IO TLB: No low mem\n");
		return;
	}
	pr_info("software IO TLB [mem %#010llx-%#010llx] (%luMB) mapped at [%p-%p]\n",
		(unsigned long long)io_tlb.start, (unsigned long long)io_tlb.end,
		(io_tlb.nslabs << IO_TLB_SHIFT) >> 20, io_tlb.virt,
		(char *)io_tlb.virt + (io_tlb.nslabs << IO_TLB_SHIFT) - 1);
}

/**
 * is_swiotlb_buffer - does @paddr lie in the bounce pool?
 * @paddr: a physical address
 *
 * Context: any.
 * Return: 1 if so, 0 otherwise (also without a pool).
 */
int is_swiotlb_buffer(phys_addr_t paddr)
{
	return io_tlb.ready && paddr >= io_tlb.start && paddr < io_tlb.end;
}

/* --- copies ---------------------------------------------------------------------- */

/*
 * Copy @size bytes between the original buffer and the bounce buffer
 * through the CPU's linear map: DMA_TO_DEVICE fills the bounce buffer,
 * anything else copies it back.  io_tlb_lock held.
 */
static void bounce_copy(phys_addr_t orig, phys_addr_t tlb, size_t size,
			enum dma_data_direction dir)
{
	void *src, *dst;

	if (!size)
		return;
	if (WARN(!iosim_phys_is_ram(orig, size),
		 "swiotlb: original buffer %#llx (+%zu) is not RAM; nothing copied",
		 (unsigned long long)orig, size))
		return;
	if (dir == DMA_TO_DEVICE) {
		src = phys_to_virt(orig);
		dst = phys_to_virt(tlb);
		io_tlb.stats.bytes_to_bounce += size;
	} else {
		src = phys_to_virt(tlb);
		dst = phys_to_virt(orig);
		io_tlb.stats.bytes_from_bounce += size;
	}
	memmove(dst, src, size);
	iosim_cache_cpu_wrote(dst, size);
}

/* --- the slot allocator ------------------------------------------------------------ */

/* Would @nslots slots from slot @slot cross a @max_slots boundary (0: none)? */
static bool crosses_boundary(unsigned long base, unsigned long slot, unsigned long nslots,
			     unsigned long max_slots)
{
	if (!max_slots)
		return false;
	return (base + slot) % max_slots + nslots > max_slots;
}

/* First slot of a free run of @nslots honouring @stride and the boundary, or -1. */
static long slots_find(unsigned long nslots, unsigned long stride, unsigned long base,
		       unsigned long max_slots)
{
	unsigned long start, i;

	start = ALIGN(io_tlb.index, stride);
	if (start >= io_tlb.nslabs)
		start = 0;
	i = start;
	do {
		if (io_tlb.io_tlb_list[i] >= nslots &&
		    !crosses_boundary(base, i, nslots, max_slots))
			return (long)i;
		i += stride;
		if (i >= io_tlb.nslabs)
			i = 0;
	} while (i != start);
	return -1;
}

/* Mark [@slot, @slot + @nslots) used for @phys; fix the counters of the run before. */
static void slots_take(unsigned long slot, unsigned long nslots, phys_addr_t phys)
{
	unsigned long i;

	for (i = 0; i < nslots; i++) {
		io_tlb.io_tlb_list[slot + i] = 0;
		io_tlb.io_tlb_orig_addr[slot + i] = phys + ((phys_addr_t)i << IO_TLB_SHIFT);
	}
	io_tlb.io_tlb_nslots[slot] = (unsigned int)nslots;
	/* The free slots just before now end their run at @slot. */
	for (i = slot; i > seg_start(slot) && io_tlb.io_tlb_list[i - 1]; i--)
		io_tlb.io_tlb_list[i - 1] = (unsigned int)(slot - (i - 1));
	io_tlb.index = slot + nslots < io_tlb.nslabs ? slot + nslots : 0;
	io_tlb.stats.slots_used += nslots;
	io_tlb.stats.slots_used_max = max(io_tlb.stats.slots_used_max, io_tlb.stats.slots_used);
	io_tlb.stats.bounced_maps++;
}

/* Free the mapping of @nslots slots at @slot, merging with the free runs around it. */
static void slots_release(unsigned long slot, unsigned long nslots)
{
	unsigned long end = slot + nslots, i;
	unsigned int count = end < seg_end(slot) ? io_tlb.io_tlb_list[end] : 0;

	for (i = end; i > slot; i--) {
		io_tlb.io_tlb_list[i - 1] = ++count;
		io_tlb.io_tlb_orig_addr[i - 1] = INVALID_PHYS_ADDR;
	}
	io_tlb.io_tlb_nslots[slot] = 0;
	for (i = slot; i > seg_start(slot) && io_tlb.io_tlb_list[i - 1]; i--)
		io_tlb.io_tlb_list[i - 1] = ++count;
	io_tlb.stats.slots_used -= nslots;
}

/*
 * The first slot of the live mapping holding slot @slot, or -1 if the slot
 * is free.  Mappings never cross a segment, so the walk is short.
 */
static long slot_head(unsigned long slot)
{
	unsigned long i;

	if (io_tlb.io_tlb_list[slot])
		return -1;
	for (i = slot + 1; i > seg_start(slot); i--)
		if (io_tlb.io_tlb_nslots[i - 1])
			return i - 1 + io_tlb.io_tlb_nslots[i - 1] > slot ? (long)(i - 1) : -1;
	return -1;
}

phys_addr_t iosim_swiotlb_tbl_map(struct device *hwdev, dma_addr_t tbl_dma_addr,
				  phys_addr_t phys, size_t size, enum dma_data_direction dir,
				  bool *full)
{
	unsigned long mask = hwdev ? dma_get_seg_boundary(hwdev) : 0xffffffffUL;
	unsigned long nslots = ALIGN(size, IO_TLB_SIZE) >> IO_TLB_SHIFT;
	/* 2015: "For mappings greater than a page" (2017 made it ">="). */
	unsigned long stride = size > PAGE_SIZE ? PAGE_SIZE >> IO_TLB_SHIFT : 1;
	unsigned long base, max_slots;
	phys_addr_t tlb_addr;
	long slot = -1;

	*full = false;
	if (!stride)
		stride = 1;
	/* Slot numbers as the device's boundary sees them. */
	base = ALIGN((unsigned long)tbl_dma_addr & mask, IO_TLB_SIZE) >> IO_TLB_SHIFT;
	max_slots = mask + 1 ? ALIGN(mask + 1, IO_TLB_SIZE) >> IO_TLB_SHIFT : 0;

	/* The kernel's BUG_ON(!nslots): a driver bug, not a full pool. */
	if (SWIOTLB_BUG(!nslots, "swiotlb_tbl_map_single: BUG_ON(!nslots): device %s: zero-size bounce buffer",
			dev_name(hwdev)))
		return SWIOTLB_MAP_ERROR;
	/* iommu_is_span_boundary()'s BUG_ON(!is_power_of_2(boundary_size)). */
	if (SWIOTLB_BUG(max_slots && !is_power_of_2(max_slots),
			"swiotlb_tbl_map_single: device %s: segment boundary mask %#lx is not 2^n - 1 (a window of %lu slots)",
			dev_name(hwdev), mask, max_slots))
		return SWIOTLB_MAP_ERROR;

	spin_lock(&io_tlb_lock);
	if (!io_tlb.ready) {
		/* The kernel panics here (no_iotlb_memory). */
		spin_unlock(&io_tlb_lock);
		WARN(1, "Can not allocate SWIOTLB buffer earlier and can't now provide you with the DMA bounce buffer");
		return SWIOTLB_MAP_ERROR;
	}
	if (nslots <= IO_TLB_SEGSIZE && (!max_slots || nslots <= max_slots))
		slot = slots_find(nslots, stride, base, max_slots);
	if (slot < 0) {
		io_tlb.stats.full_failures++;
		spin_unlock(&io_tlb_lock);
		dev_warn(hwdev, "swiotlb buffer is full (sz: %zd bytes)\n", size);
		*full = true;
		return SWIOTLB_MAP_ERROR;
	}
	slots_take((unsigned long)slot, nslots, phys);
	tlb_addr = io_tlb.start + ((phys_addr_t)slot << IO_TLB_SHIFT);
	if (dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL)
		bounce_copy(phys, tlb_addr, size, DMA_TO_DEVICE);
	spin_unlock(&io_tlb_lock);
	return tlb_addr;
}

phys_addr_t swiotlb_tbl_map_single(struct device *hwdev, dma_addr_t tbl_dma_addr,
				   phys_addr_t phys, size_t size, enum dma_data_direction dir)
{
	bool full;

	return iosim_swiotlb_tbl_map(hwdev, tbl_dma_addr, phys, size, dir, &full);
}

/*
 * The first slot of the mapping [@tlb_addr, @tlb_addr + @size) lies in, or
 * -1 if it is in no live mapping, -2 if it runs past its end.  Lock held.
 */
static long mapping_of(phys_addr_t tlb_addr, size_t size)
{
	unsigned long slot;
	long head;

	if (!io_tlb.ready || tlb_addr < io_tlb.start || tlb_addr >= io_tlb.end)
		return -1;
	slot = (unsigned long)((tlb_addr - io_tlb.start) >> IO_TLB_SHIFT);
	head = slot_head(slot);
	if (head < 0)
		return -1;
	if (tlb_addr + size > io_tlb.start +
	    ((phys_addr_t)(head + io_tlb.io_tlb_nslots[head]) << IO_TLB_SHIFT))
		return -2;
	return head;
}

void swiotlb_tbl_unmap_single(struct device *hwdev, phys_addr_t tlb_addr, size_t size,
			      enum dma_data_direction dir)
{
	unsigned long slot;
	long head;

	spin_lock(&io_tlb_lock);
	head = mapping_of(tlb_addr, size);
	slot = io_tlb.ready ? (unsigned long)((tlb_addr - io_tlb.start) >> IO_TLB_SHIFT) : 0;
	if (head < 0 || (unsigned long)head != slot || (tlb_addr & (IO_TLB_SIZE - 1))) {
		spin_unlock(&io_tlb_lock);
		WARN(1, "swiotlb_tbl_unmap_single: device %s: %#llx (+%zu) is %s",
		     dev_name(hwdev), (unsigned long long)tlb_addr, size,
		     head == -2 ? "overrunning its bounce slots" :
		     "not the start of a live bounce buffer");
		return;
	}
	if (io_tlb.io_tlb_orig_addr[slot] != INVALID_PHYS_ADDR &&
	    (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
		bounce_copy(io_tlb.io_tlb_orig_addr[slot], tlb_addr, size, DMA_FROM_DEVICE);
	slots_release(slot, io_tlb.io_tlb_nslots[slot]);
	spin_unlock(&io_tlb_lock);
}

void swiotlb_tbl_sync_single(struct device *hwdev, phys_addr_t tlb_addr, size_t size,
			     enum dma_data_direction dir, enum dma_sync_target target)
{
	unsigned long slot;
	bool bad_dir = false;
	phys_addr_t orig;
	long head;

	if (WARN(target != SYNC_FOR_CPU && target != SYNC_FOR_DEVICE,
		 "swiotlb_tbl_sync_single: invalid target %d", target))
		return;
	spin_lock(&io_tlb_lock);
	head = mapping_of(tlb_addr, size);
	if (head < 0) {
		spin_unlock(&io_tlb_lock);
		WARN(1, "swiotlb_tbl_sync_single: device %s: %#llx (+%zu) is %s",
		     dev_name(hwdev), (unsigned long long)tlb_addr, size,
		     head == -2 ? "overrunning its bounce slots" : "not a live bounce buffer");
		return;
	}
	slot = (unsigned long)((tlb_addr - io_tlb.start) >> IO_TLB_SHIFT);
	orig = io_tlb.io_tlb_orig_addr[slot];
	if (orig == INVALID_PHYS_ADDR) {
		spin_unlock(&io_tlb_lock);
		return;
	}
	orig += tlb_addr & (IO_TLB_SIZE - 1);
	if (target == SYNC_FOR_CPU) {
		if (dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL)
			bounce_copy(orig, tlb_addr, size, DMA_FROM_DEVICE);
		else
			bad_dir = dir != DMA_TO_DEVICE;
	} else {
		if (dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL)
			bounce_copy(orig, tlb_addr, size, DMA_TO_DEVICE);
		else
			bad_dir = dir != DMA_FROM_DEVICE;
	}
	spin_unlock(&io_tlb_lock);
	/* The kernel's BUG_ON(dir != DMA_TO_DEVICE) / BUG_ON(dir != DMA_FROM_DEVICE). */
	SWIOTLB_BUG(bad_dir, "swiotlb_tbl_sync_single: device %s: invalid direction %d for a sync for the %s",
		    dev_name(hwdev), dir, target == SYNC_FOR_CPU ? "CPU" : "device");
}

/* --- the sanity checker ------------------------------------------------------------ */

#define CHECK_MAX_REPORTS	16

int iosim_swiotlb_check(void)
{
	unsigned long i, used = 0, expect, map_end = 0, head = 0;
	int problems = 0;

#define REPORT(...) do { if (problems++ < CHECK_MAX_REPORTS) WARN(1, "iosim_swiotlb_check: " __VA_ARGS__); } while (0)
	spin_lock(&io_tlb_lock);
	if (!io_tlb.ready)
		goto out_unlock;
	if (io_tlb.nslabs % IO_TLB_SEGSIZE || !io_tlb.nslabs)
		REPORT("%lu slots is not a whole number of segments", io_tlb.nslabs);
	if (io_tlb.end > IOSIM_ZONE_DMA_LIMIT)
		REPORT("pool [%#llx, %#llx) is not in ZONE_DMA", (unsigned long long)io_tlb.start,
		       (unsigned long long)io_tlb.end);
	if (!iosim_phys_is_ram(io_tlb.start, io_tlb.end - io_tlb.start) ||
	    !iosim_phys_is_allocated(io_tlb.start) || !iosim_phys_is_allocated(io_tlb.end - 1))
		REPORT("pool pages are not allocated RAM");
	for (i = io_tlb.nslabs; i > 0; i--) {
		unsigned long s = i - 1;

		if (s + 1 == seg_end(s) || io_tlb.io_tlb_list[s + 1] == 0)
			expect = 1;
		else
			expect = io_tlb.io_tlb_list[s + 1] + 1;
		if (io_tlb.io_tlb_list[s] && io_tlb.io_tlb_list[s] != expect)
			REPORT("slot %lu free-run counter %u, expected %lu", s,
			       io_tlb.io_tlb_list[s], expect);
	}
	for (i = 0; i < io_tlb.nslabs; i++) {
		bool is_used = !io_tlb.io_tlb_list[i];

		if (io_tlb.io_tlb_nslots[i]) {
			if (!is_used || i < map_end)
				REPORT("slot %lu heads a mapping but is free or inside another", i);
			head = i;
			map_end = i + io_tlb.io_tlb_nslots[i];
			if (map_end > seg_end(i))
				REPORT("mapping at slot %lu (%u slots) crosses its segment", i,
				       io_tlb.io_tlb_nslots[i]);
		}
		if (is_used) {
			used++;
			if (i >= map_end)
				REPORT("used slot %lu belongs to no mapping", i);
			else if (io_tlb.io_tlb_orig_addr[head] != INVALID_PHYS_ADDR &&
				 io_tlb.io_tlb_orig_addr[i] != io_tlb.io_tlb_orig_addr[head] +
				 ((phys_addr_t)(i - head) << IO_TLB_SHIFT))
				REPORT("slot %lu original address does not follow its mapping's", i);
		} else {
			if (i < map_end)
				REPORT("slot %lu inside a mapping is free", i);
			if (io_tlb.io_tlb_orig_addr[i] != INVALID_PHYS_ADDR)
				REPORT("free slot %lu has an original address", i);
		}
	}
	if (used != io_tlb.stats.slots_used)
		REPORT("%lu slots used, counter says %lu", used, io_tlb.stats.slots_used);
out_unlock:
	spin_unlock(&io_tlb_lock);
#undef REPORT
	return problems ? -EUCLEAN : 0;
}
