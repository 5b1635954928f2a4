// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Resetting simulated RAM to its fresh state (see <iosim/ram_reset.h>).
 *
 * The page allocator notes which frames each allocation touches
 * (page_alloc.c, by frame index); the reset restores exactly those frames'
 * bytes (here, the CPU view; cache_lines.c, the model's memory and lines)
 * and struct pages, and rebuilds the free lists in their fresh order.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <iosim/cache.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include <iosim/ram_reset.h>
#include "iosim_mm.h"
#include <iosim/fault.h>

/*
 * The page allocator's tracking arrays (host-side bookkeeping, not kernel
 * memory: plain calloc), and the RAM they belong to.
 */
static unsigned char *touch_map;
static unsigned long *touch_list;

/*
 * The RAM they belong to, by its generation: a RAM made by plain
 * iosim_ram_init() after a resettable one was destroyed must not pass for
 * it, even where its mem_map lands at the same address.
 */
static u64 tracked_generation;

/* Is the live RAM the one tracking was started on?  If not, tracking stops. */
static bool tracked_ram(void)
{
	if (touch_map && iosim_ram_state.generation == tracked_generation)
		return true;
	iosim_buddy_track_start(NULL, NULL);
	return false;
}

/**
 * iosim_ram_init_resettable - create RAM with touched-frame tracking (see <iosim/ram_reset.h>)
 * @cfg: placement and size, as iosim_ram_init()
 *
 * Context: process context, no concurrent RAM users.
 * Return: 0, the errors of iosim_ram_init(), or -ENOMEM; on error no RAM exists.
 */
int iosim_ram_init_resettable(const struct iosim_ram_config *cfg)
{
	unsigned long nr;
	int ret = iosim_ram_init(cfg);

	if (ret)
		return ret;
	/* A previous RAM's arrays: that RAM is gone, so is its tracking. */
	iosim_buddy_track_start(NULL, NULL);
	free(touch_map);
	free(touch_list);
	nr = iosim_ram_nr_pages();
	touch_map = iosim_host_calloc(nr, 1);
	touch_list = iosim_host_calloc(nr, sizeof(*touch_list));
	if (!touch_map || !touch_list)
		goto out_free_arrays;
	tracked_generation = iosim_ram_state.generation;
	ret = iosim_buddy_track_start(touch_map, touch_list);
	if (ret)
		goto out_free_arrays;
	return 0;

out_free_arrays:
	free(touch_map);
	free(touch_list);
	touch_map = NULL;
	touch_list = NULL;
	iosim_ram_exit();
	return ret ? ret : -ENOMEM;
}

/* A touched frame's bytes as fresh: zero in the CPU view and in the model's memory. */
static void reset_frame(struct page *page)
{
	memset(page_address(page), 0, PAGE_SIZE);
	iosim_cache_lines_reset_frame(page);
}

/**
 * iosim_ram_reset - back to the state of a fresh RAM (see <iosim/ram_reset.h>)
 *
 * Context: process context, no concurrent RAM users.
 * Return: 0, -ENODEV, -ESTALE or -EBUSY; on error nothing changed.
 */
int iosim_ram_reset(void)
{
	int ret;

	if (!iosim_ram_ready())
		return -ENODEV;
	/* Aliases of frames (vmap, vmalloc, user VMAs) would see the reset. */
	if (!tracked_ram())
		return -ESTALE;
	if (iosim_live(IOSIM_OBJ_VMAP) || iosim_live(IOSIM_OBJ_VMALLOC) ||
	    iosim_live(IOSIM_OBJ_VMA))
		return -EBUSY;
	ret = iosim_buddy_reset_touched(reset_frame);
	if (ret)
		return ret;
	iosim_cache_reset_counters(NULL);
	iosim_cache_set_eviction(0, 0);
	iosim_cache_context(NULL);
	return 0;
}

/* Place one-bank RAM at @base_phys (its bank and the state's copies of it). */
static void ram_set_base(struct iosim_ram_state *ram, phys_addr_t base_phys)
{
	ram->base_phys = base_phys;
	ram->base_pfn = (unsigned long)(base_phys >> PAGE_SHIFT);
	ram->banks[0].base_phys = ram->base_phys;
	ram->banks[0].base_pfn = ram->base_pfn;
}

/**
 * iosim_ram_reset_rebase - move a freshly reset RAM to another physical base
 * @base_phys: the new base (see <iosim/ram_reset.h>)
 *
 * Context: process context, no concurrent RAM users.
 * Return: 0; -ENODEV, -ESTALE, -EBUSY as iosim_ram_reset(), also -EBUSY if
 * a frame was allocated since the last reset; -EINVAL if RAM has more than
 * one bank, @base_phys is not page aligned, the region would wrap, or the
 * linear map cannot serve it.  On error nothing changed.
 */
int iosim_ram_reset_rebase(phys_addr_t base_phys)
{
	struct iosim_ram_state *ram = &iosim_ram_state;
	phys_addr_t old_base = ram->base_phys;
	int ret;

	if (!iosim_ram_ready())
		return -ENODEV;
	if (!tracked_ram())
		return -ESTALE;
	if (ram->nr_banks != 1 || (base_phys & ~PAGE_MASK) ||
	    base_phys + ram->size_bytes - 1 < base_phys)
		return -EINVAL;
	/* The linear map keeps virt congruent to phys below the largest block. */
	if ((base_phys ^ old_base) & ((PAGE_SIZE << (MAX_ORDER - 1)) - 1))
		return -EINVAL;
	if (iosim_buddy_nr_touched())
		return -EBUSY;
	ram_set_base(ram, base_phys);
	/* The same frames, now in (possibly) other zones: rebuild the free lists. */
	ret = iosim_buddy_reset_touched(NULL);
	if (ret)
		ram_set_base(ram, old_base);
	return ret;
}

/**
 * iosim_ram_touched_frames - frames allocated since the last reset (see <iosim/ram_reset.h>)
 *
 * Context: process context.
 * Return: the count; 0 without a resettable RAM.
 */
unsigned long iosim_ram_touched_frames(void)
{
	return iosim_ram_ready() && tracked_ram() ? iosim_buddy_nr_touched() : 0;
}

/**
 * iosim_ram_check_fresh - compare the live RAM with a fresh one (see <iosim/ram_reset.h>)
 *
 * Context: process context, no concurrent RAM users; O(RAM bytes).
 * Return: 0 or -EUCLEAN (each difference WARNed).
 */
int iosim_ram_check_fresh(void)
{
	unsigned long nr = iosim_ram_nr_pages(), i;
	int problems = 0;

	if (!iosim_ram_ready())
		return 0;
	for (i = 0; i < nr; i++) {
		const struct page *page = iosim_ram_state.mem_map + i;

		if (memchr_inv(page_address(page), 0, PAGE_SIZE)) {
			WARN(1, "iosim_ram_check_fresh: frame %lu (pfn %#lx) holds non-zero bytes",
			     i, page_to_pfn(page));
			if (++problems > 16)
				break;
		}
	}
	if (iosim_buddy_check_fresh())
		problems++;
	if (iosim_cache_lines_check_fresh())
		problems++;
	return problems ? -EUCLEAN : 0;
}
