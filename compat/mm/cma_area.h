/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * compat/mm CMA private interface - customised for simulation, not kernel
 * API: the layout of an area (compat/mm/cma.c), for cma.c and for the
 * white-box test of its checker (tests/compat/test_cma.c), which plants
 * corrupted geometry to see iosim_cma_check() report it.
 */
#ifndef _IOSIM_COMPAT_MM_CMA_AREA_H
#define _IOSIM_COMPAT_MM_CMA_AREA_H

#include <linux/types.h>
#include <linux/mutex.h>

struct cma {
	unsigned long base_pfn;
	unsigned long count;		/* pages; 0 while the slot is empty */
	unsigned int order_per_bit;	/* a bit stands for 2^order_per_bit pages */
	unsigned long *bitmap;		/* set: handed out by cma_alloc() */
	struct mutex lock;		/* guards bitmap */
};

#endif /* _IOSIM_COMPAT_MM_CMA_AREA_H */
