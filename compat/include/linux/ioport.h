/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/ioport.h - faithful subset (2015): struct resource, its type flags
 * and resource_size().  There is no resource tree (request_resource() and
 * friends are left out): a resource here only describes a range.
 */
#ifndef _IOSIM_LINUX_IOPORT_H
#define _IOSIM_LINUX_IOPORT_H

#include <linux/types.h>

/* A range of bus addresses: [start, end], both inclusive. */
struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
	struct resource *parent, *sibling, *child;
};

#define IORESOURCE_BITS		0x000000ff	/* bus-specific bits */
#define IORESOURCE_TYPE_BITS	0x00001f00	/* resource type */
#define IORESOURCE_IO		0x00000100
#define IORESOURCE_MEM		0x00000200
#define IORESOURCE_REG		0x00000300
#define IORESOURCE_IRQ		0x00000400
#define IORESOURCE_DMA		0x00000800
#define IORESOURCE_BUS		0x00001000
#define IORESOURCE_PREFETCH	0x00002000
#define IORESOURCE_READONLY	0x00004000
#define IORESOURCE_CACHEABLE	0x00008000
#define IORESOURCE_BUSY		0x80000000

/* resource_size - bytes the resource spans. */
static inline resource_size_t resource_size(const struct resource *res)
{
	return res->end - res->start + 1;
}

/* resource_type - the IORESOURCE_TYPE_BITS of @res. */
static inline unsigned long resource_type(const struct resource *res)
{
	return res->flags & IORESOURCE_TYPE_BITS;
}

#define DEFINE_RES_NAMED(_start, _size, _name, _flags)			\
	{								\
		.start = (_start),					\
		.end = (_start) + (_size) - 1,				\
		.name = (_name),					\
		.flags = (_flags),					\
	}
#define DEFINE_RES_MEM_NAMED(_start, _size, _name)			\
	DEFINE_RES_NAMED((_start), (_size), (_name), IORESOURCE_MEM)
#define DEFINE_RES_MEM(_start, _size)					\
	DEFINE_RES_MEM_NAMED((_start), (_size), NULL)

#endif /* _IOSIM_LINUX_IOPORT_H */
