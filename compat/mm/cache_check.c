// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The cache model's whole-RAM walks: iosim_cache_writeback_all() and the
 * sanity checker iosim_cache_check() (docs/cache-model.md).
 *
 * Both walk the extents of the CPU view's backing (the linear map's memfd)
 * with SEEK_DATA/SEEK_HOLE: a line the CPU view never wrote is a hole, reads
 * as zero, and is clean (its recorded hash is that of zeros, 0), so a
 * writeback only needs the data extents and the checker can verify that
 * every line of a hole is recorded as clean-as-zero.  Neither faults in the
 * untouched part of RAM.
 */
#include <unistd.h>
#include <sys/stat.h>

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <iosim/cache.h>
#include <iosim/ram.h>
#include "cache_lines.h"
#include "iosim_mm.h"

static bool shift_ok(unsigned int shift)
{
	return shift >= (unsigned int)ilog2(IOSIM_CACHE_MIN_LINE_SIZE) && shift <= PAGE_SHIFT;
}

/*
 * Call @fn for each extent of the CPU view's backing that is data (@data) or
 * a hole (!@data), as RAM offsets [from, to) aligned to host pages.
 */
static void for_each_extent(bool data, void (*fn)(u64 from, u64 to, void *arg), void *arg)
{
	const struct iosim_ram_state *ram = &iosim_ram_state;
	off_t size = (off_t)ram->size_bytes, pos = 0, next_data, next_hole;

	while (pos < size) {
		next_data = lseek(ram->memfd, pos, SEEK_DATA);
		if (next_data < 0)
			next_data = size;	/* ENXIO: a hole up to the end */
		if (!data && next_data > pos)
			fn((u64)pos, (u64)next_data, arg);
		if (next_data >= size)
			break;
		next_hole = lseek(ram->memfd, next_data, SEEK_HOLE);
		if (next_hole < 0 || next_hole > size)
			next_hole = size;
		if (data)
			fn((u64)next_data, (u64)next_hole, arg);
		pos = next_hole;
	}
}

/*
 * Extents come in host pages, which may be smaller than a line: a data
 * extent covers every line it touches, a hole only the lines wholly inside.
 */
static u64 line_down(u64 off)
{
	return off & ~((u64)iosim_cache_line_size() - 1);
}

static u64 line_up(u64 off)
{
	return line_down(off + iosim_cache_line_size() - 1);
}

static void writeback_extent(u64 from, u64 to, void *arg)
{
	struct iosim_cache_counters *t = arg;

	t->evictions += iosim_cache_lines_writeback(line_down(from), line_up(to));
}

/**
 * iosim_cache_writeback_all - evict every dirty line (see <iosim/cache.h>)
 *
 * Context: any thread.
 * Return: nothing.
 */
void iosim_cache_writeback_all(void)
{
	struct iosim_cache_counters t = { 0 };

	if (!iosim_ram_ready() || !iosim_cache_lines_on())
		return;
	for_each_extent(true, writeback_extent, &t);
	iosim_cache_counters_commit(iosim_cache_ctx, &t);
}

/* --- the checker -------------------------------------------------------------- */

struct hole_scan {
	unsigned long bad_lines;
	u64 first_bad;
};

static void check_hole(u64 from, u64 to, void *arg)
{
	struct hole_scan *scan = arg;
	u64 first = 0;
	unsigned long bad = 0;

	if (line_up(from) < line_down(to))
		bad = iosim_cache_lines_nonzero_hashes(line_up(from), line_down(to), &first);

	if (bad && !scan->bad_lines)
		scan->first_bad = first;
	scan->bad_lines += bad;
}

/**
 * iosim_cache_check - sanity checker of the cache model (see <iosim/cache.h>)
 *
 * Context: takes the stripe locks in turn.
 * Return: 0, or -EUCLEAN after WARNing each problem.
 */
int iosim_cache_check(void)
{
	const struct iosim_ram_state *ram = &iosim_ram_state;
	unsigned int next_shift, chance;
	struct hole_scan scan = { 0 };
	unsigned int i;
	int problems = 0;
	struct stat st;
	u64 lost, invalidated, prng;

	iosim_cache_settings(&next_shift, &chance, &prng);
	if (!shift_ok(next_shift)) {
		WARN(1, "iosim_cache_check: next line size 2^%u is out of range", next_shift);
		problems++;
	}
	if (chance > 1000000 || !prng) {
		WARN(1, "iosim_cache_check: eviction knob %u per million, PRNG state %#llx",
		     chance, (unsigned long long)prng);
		problems++;
	}
	lost = __atomic_load_n(&iosim_cache_global.lost_writes, __ATOMIC_RELAXED);
	invalidated = __atomic_load_n(&iosim_cache_global.lines_invalidated, __ATOMIC_RELAXED);
	if (lost > invalidated) {
		WARN(1, "iosim_cache_check: %llu lost writes but only %llu lines invalidated",
		     (unsigned long long)lost, (unsigned long long)invalidated);
		problems++;
	}

	if (!iosim_ram_ready() || !iosim_cache_lines_on()) {
		if (ram->mem_memfd != -1 || ram->mem_virt || ram->cpu_window || ram->line_hash) {
			WARN(1, "iosim_cache_check: no model, but some of its views are still there");
			problems++;
		}
		if (!iosim_ram_ready())
			return problems ? -EUCLEAN : 0;
	}

	if (!shift_ok(ram->line_shift)) {
		WARN(1, "iosim_cache_check: line size 2^%u is out of range", ram->line_shift);
		return -EUCLEAN;
	}
	if (!iosim_cache_lines_on())
		return problems ? -EUCLEAN : 0;
	if (!ram->mem_virt || !ram->cpu_window || !ram->line_hash) {
		WARN(1, "iosim_cache_check: the model is on without all of its views");
		return -EUCLEAN;
	}
	if (fstat(ram->mem_memfd, &st) || (u64)st.st_size != ram->size_bytes) {
		WARN(1, "iosim_cache_check: memory is not the size of RAM (%#llx bytes)",
		     (unsigned long long)ram->size_bytes);
		problems++;
	}
	for (i = 0; i < ram->nr_banks; i++) {
		const struct iosim_ram_bank *b = &ram->banks[i];

		if ((uintptr_t)ram->cpu_window < (uintptr_t)b->virt + b->size_bytes &&
		    (uintptr_t)b->virt < (uintptr_t)ram->cpu_window + ram->size_bytes) {
			WARN(1, "iosim_cache_check: the model's window %p overlaps bank %u's linear map %p",
			     ram->cpu_window, i, b->virt);
			problems++;
		}
	}

	/* A line the CPU never wrote reads as zero, so it must be clean-as-zero. */
	for_each_extent(false, check_hole, &scan);
	if (scan.bad_lines) {
		WARN(1, "iosim_cache_check: %lu never-written lines have a non-zero clean hash, first at %#llx",
		     scan.bad_lines,
		     (unsigned long long)iosim_ram_index_offset_phys(scan.first_bad));
		problems++;
	}
	return problems ? -EUCLEAN : 0;
}
