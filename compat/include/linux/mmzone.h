/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/mmzone.h - faithful for MAX_ORDER (exclusive: orders 0..MAX_ORDER-1,
 * as in 2015); zones and nodes are not simulated.
 */
#ifndef _IOSIM_LINUX_MMZONE_H
#define _IOSIM_LINUX_MMZONE_H

#include <linux/types.h>

#define MAX_ORDER		CONFIG_FORCE_MAX_ZONEORDER
#define MAX_ORDER_NR_PAGES	(1 << (MAX_ORDER - 1))

#endif /* _IOSIM_LINUX_MMZONE_H */
