/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/live.h> - live-object accounting across the whole simulation.
 *
 * Every layer counts what it has created and not yet destroyed; every test
 * ends with iosim_live_total() == 0.
 */
#ifndef _IOSIM_LIVE_H
#define _IOSIM_LIVE_H

#include <stddef.h>

enum iosim_obj {
	IOSIM_OBJ_SLAB,		/* kmalloc/kmem_cache objects */
	IOSIM_OBJ_KMEM_CACHE,	/* kmem_cache_create()d caches */
	IOSIM_OBJ_VMALLOC,	/* vmalloc areas */
	IOSIM_OBJ_VMAP,		/* vmap areas */
	IOSIM_OBJ_PAGE,		/* allocated simulated pages (order-0 units) */
	IOSIM_OBJ_VMA,		/* simulated user VMAs */
	IOSIM_OBJ_DEVICE,	/* simulated devices */
	IOSIM_OBJ_IOMMU,	/* simulated IOMMU instances */
	IOSIM_OBJ_DOMAIN,	/* IOMMU domains */
	IOSIM_OBJ_GROUP,	/* IOMMU groups */
	IOSIM_OBJ_CMA_AREA,	/* declared CMA areas (<linux/cma.h>) */
	IOSIM_OBJ_NR
};

/** iosim_live - objects of @kind alive now. */
long iosim_live(enum iosim_obj kind);

/** iosim_live_total - all live objects of every kind. */
long iosim_live_total(void);

/** iosim_obj_name - a short name for @kind. */
const char *iosim_obj_name(enum iosim_obj kind);

/**
 * iosim_live_report - write "kind=N ..." for every non-zero kind into @buf
 * (NUL-terminated, truncated to @len).  Returns @buf.
 */
char *iosim_live_report(char *buf, size_t len);

/** iosim_live_add - for the layers: @delta objects of @kind created (or destroyed). */
void iosim_live_add(enum iosim_obj kind, long delta);

#endif /* _IOSIM_LIVE_H */
