// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Address-space reservations for the simulation's CPU mappings.
 *
 * The linear map, vmap() areas and simulated user VMAs are all built the
 * same way: reserve a PROT_NONE range of this process's address space (so
 * nothing else lands there and stray accesses fault), then map frames of the
 * RAM memfd over parts of it with MAP_FIXED.  A non-cacheable alias maps
 * the same frames of the cache model's memory instead (docs/cache-model.md).  Simulated pages can be larger
 * than the host's (16K/64K on a 4K host), so reservations are aligned to the
 * simulated page size or more, which the host's mmap() does not guarantee.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include <linux/kernel.h>
#include "iosim_mm.h"

void *iosim_va_reserve(size_t len, size_t align, size_t phase)
{
	uintptr_t raw, start;
	size_t raw_len;
	void *p;

	if (WARN(!len || !is_power_of_2(align) || phase >= align,
		 "iosim_va_reserve: bad request len %zu align %#zx phase %#zx",
		 len, align, phase))
		return NULL;
	if (len > SIZE_MAX - align)
		return NULL;
	raw_len = len + align;
	p = iosim_host_mmap(NULL, raw_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			    -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	raw = (uintptr_t)p;

	/* The first address >= raw that is congruent to phase modulo align. */
	start = ALIGN(raw, align) + phase;
	if (start - align >= raw)
		start -= align;

	/* Trim the slack on both sides so only [start, start + len) stays reserved. */
	if (start > raw)
		munmap(p, start - raw);
	if (raw + raw_len > start + len)
		munmap((void *)(start + len), raw + raw_len - (start + len));
	return (void *)start;
}

void iosim_va_release(void *addr, size_t len)
{
	if (addr && len)
		munmap(addr, len);
}

int iosim_va_map_frames(void *addr, size_t nr_bytes, off_t offset, bool writable,
			bool cacheable)
{
	int prot = PROT_READ | (writable ? PROT_WRITE : 0);
	int fd = iosim_alias_shows_memory(cacheable) ? iosim_ram_state.mem_memfd :
						       iosim_ram_state.memfd;
	void *p;

	if (!iosim_ram_state.ready)
		return -ENODEV;
	p = iosim_host_mmap(addr, nr_bytes, prot, MAP_SHARED | MAP_FIXED, fd, offset);
	if (p == MAP_FAILED)
		return -errno;
	return 0;
}

int iosim_va_unmap_frames(void *addr, size_t len)
{
	void *p = mmap(addr, len, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);

	return p == MAP_FAILED ? -errno : 0;
}
