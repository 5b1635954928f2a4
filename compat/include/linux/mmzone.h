/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/mmzone.h - faithful for MAX_ORDER (exclusive: orders 0..MAX_ORDER-1,
 * as in 2015) and the zone types of arm64 of 2015 (ZONE_DMA below 4 GiB,
 * ZONE_NORMAL); nodes and struct zone are not simulated.
 */
#ifndef _IOSIM_LINUX_MMZONE_H
#define _IOSIM_LINUX_MMZONE_H

#include <linux/types.h>

#define MAX_ORDER		CONFIG_FORCE_MAX_ZONEORDER
#define MAX_ORDER_NR_PAGES	(1 << (MAX_ORDER - 1))

/* arm64 of 2015: CONFIG_ZONE_DMA, no ZONE_DMA32, no highmem, no movable zone. */
enum zone_type {
	ZONE_DMA,
	ZONE_NORMAL,
	__MAX_NR_ZONES
};
#define MAX_NR_ZONES		__MAX_NR_ZONES

/* Simulation: the end of ZONE_DMA (exclusive), 4 GiB as arm64 with RAM from 0. */
#define IOSIM_ZONE_DMA_LIMIT	(1ULL << 32)

#endif /* _IOSIM_LINUX_MMZONE_H */
