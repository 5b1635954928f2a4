/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/ioport.h - faithful subset (2015): struct resource and its size;
 * no resource tree (nothing in the simulation requests regions).
 */
#ifndef _IOSIM_LINUX_IOPORT_H
#define _IOSIM_LINUX_IOPORT_H

#include <linux/types.h>

struct resource {
	resource_size_t start;
	resource_size_t end;		/* inclusive */
	const char *name;
	unsigned long flags;
	struct resource *parent, *sibling, *child;
};

#define IORESOURCE_IO		0x00000100
#define IORESOURCE_MEM		0x00000200

static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

#endif /* _IOSIM_LINUX_IOPORT_H */
