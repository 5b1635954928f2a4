/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * compat/mm slab redzones - customised for simulation, not kernel API.
 *
 * Slab memory lives in simulated RAM, which neither AddressSanitizer nor
 * valgrind knows to be a heap, so the slab allocator tells them itself (the
 * job KASAN does in the kernel):
 *
 *  - rz_noaccess(): free slots, the tail of a slot beyond what the caller
 *    asked for, the tail of a kmalloc_large block: any access is reported;
 *  - rz_undefined(): a freshly allocated object (valgrind reports reads of
 *    bytes nobody wrote);
 *  - rz_release(): before a block goes back to the page allocator, which
 *    fills it with poison bytes and must be allowed to.
 *
 * ASan keeps its shadow after munmap(), so memory handed to the page
 * allocator or left behind when RAM is destroyed must be unpoisoned first.
 * Without either tool every helper is a no-op (valgrind's client requests
 * cost a few instructions when not running under valgrind).
 */
#ifndef _IOSIM_COMPAT_MM_SLAB_REDZONE_H
#define _IOSIM_COMPAT_MM_SLAB_REDZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compat_asan.h"
#include <iosim/valgrind.h>

/* ASan's shadow granule: a poison state covers 8 bytes. */
#define RZ_GRANULE	8

/* rz_noaccess - nobody may touch [@p, @p + @len) until rz_undefined()/rz_release(). */
static inline void rz_noaccess(const void *p, size_t len)
{
#ifdef IOSIM_ASAN
	ASAN_POISON_MEMORY_REGION(p, len);
#endif
#ifdef IOSIM_VALGRIND
	(void)VALGRIND_MAKE_MEM_NOACCESS(p, len);
#endif
	(void)p;
	(void)len;
}

/* rz_undefined - [@p, @p + @len) may be used; its contents are garbage until written. */
static inline void rz_undefined(const void *p, size_t len)
{
#ifdef IOSIM_ASAN
	ASAN_UNPOISON_MEMORY_REGION(p, len);
#endif
#ifdef IOSIM_VALGRIND
	(void)VALGRIND_MAKE_MEM_UNDEFINED(p, len);
#endif
	(void)p;
	(void)len;
}

/* rz_defined - [@p, @p + @len) may be used and holds meaningful bytes (constructed objects). */
static inline void rz_defined(const void *p, size_t len)
{
#ifdef IOSIM_ASAN
	ASAN_UNPOISON_MEMORY_REGION(p, len);
#endif
#ifdef IOSIM_VALGRIND
	(void)VALGRIND_MAKE_MEM_DEFINED(p, len);
#endif
	(void)p;
	(void)len;
}

/*
 * rz_release - forget every poison state of [@p, @p + @len) before the
 * memory goes back to the page allocator (which writes it) or disappears.
 */
static inline void rz_release(const void *p, size_t len)
{
	rz_undefined(p, len);
}

/*
 * rz_shadow_release - as rz_release() for memory that may already be
 * unmapped: only ASan's shadow is cleared (valgrind tracks munmap itself,
 * and marking unmapped memory would make it look addressable).
 */
static inline void rz_shadow_release(const void *p, size_t len)
{
#ifdef IOSIM_ASAN
	ASAN_UNPOISON_MEMORY_REGION(p, len);
#endif
	(void)p;
	(void)len;
}

/* rz_checkable - can the poison state be queried (ASan)? */
static inline bool rz_checkable(void)
{
#ifdef IOSIM_ASAN
	return true;
#else
	return false;
#endif
}

/*
 * rz_all_poisoned - is every byte of [@p, @p + @len) poisoned?  Checks the
 * first byte and the start of every later granule: user poisoning covers
 * whole granules, a partially addressable one has an addressable start.
 * Always true without ASan.
 */
static inline bool rz_all_poisoned(const void *p, size_t len)
{
#ifdef IOSIM_ASAN
	uintptr_t addr = (uintptr_t)p, end = addr + len;

	if (!len)
		return true;
	if (!__asan_address_is_poisoned((const void *)addr))
		return false;
	for (addr = (addr | (RZ_GRANULE - 1)) + 1; addr < end; addr += RZ_GRANULE)
		if (!__asan_address_is_poisoned((const void *)addr))
			return false;
#endif
	(void)p;
	(void)len;
	return true;
}

/* rz_none_poisoned - is every byte of [@p, @p + @len) accessible?  True without ASan. */
static inline bool rz_none_poisoned(const void *p, size_t len)
{
#ifdef IOSIM_ASAN
	if (len && __asan_region_is_poisoned((void *)(uintptr_t)p, len))
		return false;
#endif
	(void)p;
	(void)len;
	return true;
}

/*
 * rz_scan - does every byte of the inaccessible [@p, @p + @len) hold @byte?
 * The checker's look at a redzone or a free slot: the bytes are made
 * readable for the scan and inaccessible again after it, so call it after
 * rz_all_poisoned() has judged their poison.
 */
static inline bool rz_scan(const void *p, size_t len, unsigned char byte)
{
	const unsigned char *c = p;
	bool same = true;
	size_t i;

	if (!len)
		return true;
	rz_defined(p, len);
	for (i = 0; i < len && same; i++)
		same = c[i] == byte;
	rz_noaccess(p, len);
	return same;
}

#endif /* _IOSIM_COMPAT_MM_SLAB_REDZONE_H */
