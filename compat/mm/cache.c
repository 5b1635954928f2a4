// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The cache model's entry points (docs/cache-model.md): arm64's DMA cache
 * maintenance of <asm/cacheflush.h> on CPU virtual addresses, the
 * physical-address API of <iosim/cache.h>, bus-master accesses, the
 * per-thread device context and the counters.
 *
 * Every entry validates its whole range before touching a line, so misuse
 * (NULL, an address that is not RAM, a range that wraps or leaves RAM)
 * WARNs and changes nothing.  The line state itself is cache_lines.c's.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/dma-direction.h>
#include <linux/mm.h>
#include <linux/vmalloc.h>
#include <asm/cacheflush.h>
#include <iosim/cache.h>
#include <iosim/ram.h>
#include "cache_lines.h"
#include "iosim_mm.h"

/* --- physical ranges ------------------------------------------------------------ */

/* Is [@phys, @phys + @len) (non-empty) wholly RAM?  WARNs for @who if not. */
static bool phys_range_ok(const char *who, phys_addr_t phys, size_t len)
{
	return !WARN(phys + len - 1 < phys || !iosim_phys_is_ram(phys, len),
		     "%s: [%#llx, +%#zx) is not simulated RAM", who,
		     (unsigned long long)phys, len);
}

static void phys_maintain(const char *who, phys_addr_t phys, size_t len, enum iosim_cache_op op)
{
	if (!len || !phys_range_ok(who, phys, len) || !iosim_cache_lines_on())
		return;
	iosim_cache_lines_maintain(phys, len, op, iosim_cache_ctx);
}

/**
 * iosim_cache_clean_range - clean by physical address (see <iosim/cache.h>)
 * @phys: start
 * @len: bytes
 *
 * Context: any thread.
 * Return: nothing; a bad range WARNs and nothing changes.
 */
void iosim_cache_clean_range(phys_addr_t phys, size_t len)
{
	phys_maintain("iosim_cache_clean_range", phys, len, IOSIM_CACHE_OP_CLEAN);
}

/**
 * iosim_cache_inval_range - __dma_inv_range by physical address (see <iosim/cache.h>)
 * @phys: start
 * @len: bytes
 *
 * Context: any thread.
 * Return: nothing; a bad range WARNs and nothing changes.
 */
void iosim_cache_inval_range(phys_addr_t phys, size_t len)
{
	phys_maintain("iosim_cache_inval_range", phys, len, IOSIM_CACHE_OP_INV);
}

/**
 * iosim_cache_flush_range - clean+invalidate by physical address (see <iosim/cache.h>)
 * @phys: start
 * @len: bytes
 *
 * Context: any thread.
 * Return: nothing; a bad range WARNs and nothing changes.
 */
void iosim_cache_flush_range(phys_addr_t phys, size_t len)
{
	phys_maintain("iosim_cache_flush_range", phys, len, IOSIM_CACHE_OP_FLUSH);
}

/**
 * iosim_cache_line_dirty - is @phys's line dirty? (see <iosim/cache.h>)
 * @phys: physical address
 *
 * Context: any thread.
 * Return: true if dirty; false if clean or (WARN) not RAM.
 */
bool iosim_cache_line_dirty(phys_addr_t phys)
{
	if (!phys_range_ok("iosim_cache_line_dirty", phys, 1) || !iosim_cache_lines_on())
		return false;
	return iosim_cache_lines_dirty(phys);
}

static int memory_access(const char *who, phys_addr_t phys, void *buf, size_t len,
			 bool is_write)
{
	if (WARN(!buf, "%s: NULL buffer", who))
		return -EINVAL;
	if (!len)
		return 0;
	if (phys + len - 1 < phys || !iosim_phys_is_ram(phys, len))
		return -EFAULT;
	if (iosim_cache_lines_on()) {
		iosim_cache_lines_memory(phys, buf, len, is_write);
	} else if (is_write) {
		memcpy(phys_to_virt(phys), buf, len);	/* no model: memory is the CPU view */
	} else {
		memcpy(buf, phys_to_virt(phys), len);
	}
	return 0;
}

/**
 * iosim_cache_read_memory - read memory, not the CPU view (see <iosim/cache.h>)
 * @phys: start
 * @buf: destination
 * @len: bytes
 *
 * Context: any thread.
 * Return: 0, -EINVAL (NULL @buf, WARN) or -EFAULT (not RAM); on error
 * nothing is read.
 */
int iosim_cache_read_memory(phys_addr_t phys, void *buf, size_t len)
{
	return memory_access("iosim_cache_read_memory", phys, buf, len, false);
}

/**
 * iosim_cache_write_memory - write memory behind the CPU (see <iosim/cache.h>)
 * @phys: start
 * @buf: source
 * @len: bytes
 *
 * Context: any thread.
 * Return: 0, -EINVAL (NULL @buf, WARN) or -EFAULT (not RAM); on error
 * nothing is written.
 */
int iosim_cache_write_memory(phys_addr_t phys, const void *buf, size_t len)
{
	return memory_access("iosim_cache_write_memory", phys, (void *)buf, len, true);
}

/**
 * iosim_cache_device_access - a bus master's memory touch (see <iosim/cache.h>)
 * @dev: the master
 * @phys: start
 * @buf: data to write or room to read into
 * @len: bytes
 * @is_write: direction
 *
 * Context: any thread.
 * Return: 0, -EINVAL (NULL @dev or @buf, WARN) or -EFAULT (not RAM); on
 * error nothing is touched.
 */
int iosim_cache_device_access(struct device *dev, phys_addr_t phys, void *buf, size_t len,
			      bool is_write)
{
	void *virt;

	if (WARN(!dev || !buf, "iosim_cache_device_access: NULL %s", dev ? "buffer" : "device"))
		return -EINVAL;
	if (!len)
		return 0;
	if (phys + len - 1 < phys || !iosim_phys_is_ram(phys, len))
		return -EFAULT;
	if (!dev->archdata.dma_coherent && iosim_cache_lines_on()) {
		iosim_cache_lines_device(dev, phys, buf, len, is_write);
		return 0;
	}
	/* Coherent (or no model): the CPU view, exactly as without a cache model. */
	virt = phys_to_virt(phys);
	if (is_write)
		memcpy(virt, buf, len);
	else
		memcpy(buf, virt, len);
	return 0;
}

/* --- CPU virtual addresses ------------------------------------------------------- */

/* The physical page behind CPU address @addr, or false if it is no alias of RAM. */
static bool cpu_page_phys(const void *addr, phys_addr_t *phys)
{
	unsigned long pfn;
	pgprot_t prot;

	if (virt_addr_valid(addr)) {
		*phys = virt_to_phys(addr);	/* valid: no WARN */
		return true;
	}
	if (!iosim_vmap_resolve(addr, &pfn, &prot) || !pfn_valid(pfn))
		return false;
	*phys = PFN_PHYS(pfn) + offset_in_page(addr);
	return true;
}

/*
 * Do @op on the lines behind [@start, @start + @size): resolve every page
 * first (a hole WARNs and nothing is done), then walk each physically
 * contiguous run.  Runs start on page boundaries, where line boundaries
 * agree in both address spaces, so __dma_inv_range's partial lines are
 * exactly those of the whole range's two ends.
 */
static void cpu_maintain(const char *who, const void *start, size_t size, enum iosim_cache_op op)
{
	uintptr_t addr = (uintptr_t)start, end = addr + size, cur, next;
	phys_addr_t run_phys = 0, phys;
	size_t run_len = 0;

	if (!size)
		return;
	if (WARN(!start || end < addr, "%s: bad range %p + %#zx", who, start, size))
		return;
	for (cur = addr; cur < end; cur = next) {
		next = min((uintptr_t)(cur | (PAGE_SIZE - 1)) + 1, end);
		if (WARN(!cpu_page_phys((const void *)cur, &phys),
			 "%s: %p (in %p + %#zx) is not an address of simulated RAM",
			 who, (const void *)cur, start, size))
			return;
	}
	if (!iosim_cache_lines_on())
		return;
	for (cur = addr; cur < end; cur = next) {
		next = min((uintptr_t)(cur | (PAGE_SIZE - 1)) + 1, end);
		cpu_page_phys((const void *)cur, &phys);
		if (run_len && run_phys + run_len == phys) {
			run_len += next - cur;
			continue;
		}
		if (run_len)
			iosim_cache_lines_maintain(run_phys, run_len, op, iosim_cache_ctx);
		run_phys = phys;
		run_len = next - cur;
	}
	iosim_cache_lines_maintain(run_phys, run_len, op, iosim_cache_ctx);
}

/**
 * __dma_map_area - prepare a buffer for a device (see <asm/cacheflush.h>)
 * @start: CPU address
 * @size: bytes
 * @dir: DMA_FROM_DEVICE invalidates (no lost writes counted), else clean
 *
 * Context: any thread.
 * Return: nothing; a bad range WARNs and nothing changes.
 */
void __dma_map_area(const void *start, size_t size, int dir)
{
	cpu_maintain("__dma_map_area", start, size,
		     dir == DMA_FROM_DEVICE ? IOSIM_CACHE_OP_INV_FORFEIT : IOSIM_CACHE_OP_CLEAN);
}

/**
 * __dma_unmap_area - take a buffer back from a device (see <asm/cacheflush.h>)
 * @start: CPU address
 * @size: bytes
 * @dir: DMA_TO_DEVICE does nothing, else invalidate (lost writes counted)
 *
 * Context: any thread.
 * Return: nothing; a bad range WARNs and nothing changes.
 */
void __dma_unmap_area(const void *start, size_t size, int dir)
{
	if (dir == DMA_TO_DEVICE)
		return;
	cpu_maintain("__dma_unmap_area", start, size, IOSIM_CACHE_OP_INV);
}

/**
 * __dma_flush_range - clean+invalidate [@start, @end) (see <asm/cacheflush.h>)
 * @start: first byte
 * @end: one past the last
 *
 * Context: any thread.
 * Return: nothing; @end < @start or a bad range WARNs and nothing changes.
 */
void __dma_flush_range(const void *start, const void *end)
{
	if (WARN((uintptr_t)end < (uintptr_t)start, "__dma_flush_range: end %p is below start %p",
		 end, start))
		return;
	cpu_maintain("__dma_flush_range", start, (uintptr_t)end - (uintptr_t)start,
		     IOSIM_CACHE_OP_FLUSH);
}

/**
 * __flush_dcache_area - clean+invalidate [@addr, @addr + @len) (see <asm/cacheflush.h>)
 * @addr: first byte
 * @len: bytes
 *
 * Context: any thread.
 * Return: nothing; a bad range WARNs and nothing changes.
 */
void __flush_dcache_area(void *addr, size_t len)
{
	cpu_maintain("__flush_dcache_area", addr, len, IOSIM_CACHE_OP_FLUSH);
}

/* --- context and counters --------------------------------------------------------- */

/**
 * iosim_cache_context - set this thread's DMA device (see <iosim/cache.h>)
 * @dev: the device, or NULL
 *
 * Context: any thread.
 * Return: the previous one.
 */
struct device *iosim_cache_context(struct device *dev)
{
	struct device *prev = iosim_cache_ctx;

	iosim_cache_ctx = dev;
	return prev;
}

/**
 * iosim_cache_get_counters - read counters (see <iosim/cache.h>)
 * @dev: device, or NULL for the global counters
 * @out: destination
 *
 * Context: any thread.
 * Return: nothing; a NULL @out WARNs.
 */
void iosim_cache_get_counters(struct device *dev, struct iosim_cache_counters *out)
{
	struct iosim_cache_counters *from = dev ? &dev->iosim_cache : &iosim_cache_global;

	if (WARN(!out, "iosim_cache_get_counters: NULL destination"))
		return;
	out->lines_cleaned = __atomic_load_n(&from->lines_cleaned, __ATOMIC_RELAXED);
	out->lines_invalidated = __atomic_load_n(&from->lines_invalidated, __ATOMIC_RELAXED);
	out->stale_reads = __atomic_load_n(&from->stale_reads, __ATOMIC_RELAXED);
	out->lost_writes = __atomic_load_n(&from->lost_writes, __ATOMIC_RELAXED);
	out->evictions = __atomic_load_n(&from->evictions, __ATOMIC_RELAXED);
}

/**
 * iosim_cache_reset_counters - zero counters (see <iosim/cache.h>)
 * @dev: device, or NULL for the global counters
 *
 * Context: any thread.
 * Return: nothing.
 */
void iosim_cache_reset_counters(struct device *dev)
{
	struct iosim_cache_counters *c = dev ? &dev->iosim_cache : &iosim_cache_global;

	__atomic_store_n(&c->lines_cleaned, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->lines_invalidated, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->stale_reads, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->lost_writes, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->evictions, 0, __ATOMIC_RELAXED);
}

/**
 * iosim_cache_cpu_wrote - the CPU wrote [@virt, @virt + @len): dirty its lines
 * @virt: a linear-map address (anything else, or the model off: nothing done)
 * @len: bytes
 *
 * The model finds dirty lines by comparing their content with what it was
 * when last clean, so a CPU write of the values a line already held goes
 * unseen - where hardware would write the line back.  Code that fills
 * memory wholesale (the page and slab allocators' zeroing and poisoning)
 * says so here, so that a later clean pushes the fill to memory.
 *
 * Context: any thread.
 */
void iosim_cache_cpu_wrote(const void *virt, size_t len)
{
	phys_addr_t phys;

	if (!len || !iosim_cache_lines_on() || !virt_addr_valid(virt))
		return;
	phys = virt_to_phys(virt);
	if (phys + len - 1 < phys || !iosim_phys_is_ram(phys, len))
		return;
	iosim_cache_lines_mark_dirty(phys, len);
}
