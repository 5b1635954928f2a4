/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/dma-attrs.h - faithful (2015's bitmap of attributes), except that an
 * out-of-range attribute WARNs where the kernel BUG()s, and dma_set_attr()
 * on NULL attrs WARNs where the kernel would crash.
 */
#ifndef _IOSIM_LINUX_DMA_ATTRS_H
#define _IOSIM_LINUX_DMA_ATTRS_H

#include <linux/types.h>
#include <linux/bitops.h>
#include <linux/bug.h>

enum dma_attr {
	DMA_ATTR_WRITE_BARRIER,
	DMA_ATTR_WEAK_ORDERING,
	DMA_ATTR_WRITE_COMBINE,
	DMA_ATTR_NON_CONSISTENT,
	DMA_ATTR_NO_KERNEL_MAPPING,
	DMA_ATTR_SKIP_CPU_SYNC,
	DMA_ATTR_FORCE_CONTIGUOUS,
	DMA_ATTR_MAX,
};

#define __DMA_ATTRS_LONGS BITS_TO_LONGS(DMA_ATTR_MAX)

struct dma_attrs {
	unsigned long flags[__DMA_ATTRS_LONGS];
};

#define DEFINE_DMA_ATTRS(x) struct dma_attrs x = { .flags = { [0 ... __DMA_ATTRS_LONGS - 1] = 0 } }

static inline void init_dma_attrs(struct dma_attrs *attrs)
{
	unsigned int i;

	for (i = 0; i < __DMA_ATTRS_LONGS; i++)
		attrs->flags[i] = 0;
}

/** dma_set_attr - set @attr in @attrs (an invalid @attr or NULL @attrs WARNs). */
static inline void dma_set_attr(enum dma_attr attr, struct dma_attrs *attrs)
{
	if (WARN(!attrs, "dma_set_attr: NULL attrs"))
		return;
	if (WARN((unsigned int)attr >= DMA_ATTR_MAX, "dma_set_attr: invalid attribute %d", attr))
		return;
	__set_bit(attr, attrs->flags);
}

/** dma_get_attr - 1 if @attr is set in @attrs (NULL @attrs: 0). */
static inline int dma_get_attr(enum dma_attr attr, struct dma_attrs *attrs)
{
	if (attrs == NULL)
		return 0;
	if (WARN((unsigned int)attr >= DMA_ATTR_MAX, "dma_get_attr: invalid attribute %d", attr))
		return 0;
	return test_bit(attr, attrs->flags);
}

#endif /* _IOSIM_LINUX_DMA_ATTRS_H */
