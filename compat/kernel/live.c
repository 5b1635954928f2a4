// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* Live-object accounting: one per-thread counter per kind of simulated object. */
#include <stdio.h>

#include <linux/kernel.h>
#include <iosim/live.h>
#include <linux/iosim_pcounter.h>

static struct iosim_pcounter live_count[IOSIM_OBJ_NR];

static const char *const obj_names[IOSIM_OBJ_NR] = {
	[IOSIM_OBJ_SLAB] = "slab",
	[IOSIM_OBJ_KMEM_CACHE] = "kmem_cache",
	[IOSIM_OBJ_VMALLOC] = "vmalloc",
	[IOSIM_OBJ_VMAP] = "vmap",
	[IOSIM_OBJ_PAGE] = "page",
	[IOSIM_OBJ_VMA] = "vma",
	[IOSIM_OBJ_DEVICE] = "device",
	[IOSIM_OBJ_IOMMU] = "iommu",
	[IOSIM_OBJ_DOMAIN] = "domain",
	[IOSIM_OBJ_GROUP] = "group",
	[IOSIM_OBJ_CMA_AREA] = "cma_area",
};

void iosim_live_add(enum iosim_obj kind, long delta)
{
	if (WARN((unsigned int)kind >= IOSIM_OBJ_NR, "iosim_live_add: no object kind %d",
		 (int)kind))
		return;
	iosim_pcounter_add(&live_count[kind], delta);
}

long iosim_live(enum iosim_obj kind)
{
	if ((unsigned int)kind >= IOSIM_OBJ_NR)
		return 0;
	return iosim_pcounter_sum(&live_count[kind]);
}

long iosim_live_total(void)
{
	long total = 0;
	int i;

	for (i = 0; i < IOSIM_OBJ_NR; i++)
		total += iosim_live(i);
	return total;
}

const char *iosim_obj_name(enum iosim_obj kind)
{
	if ((unsigned int)kind >= IOSIM_OBJ_NR)
		return "?";
	return obj_names[kind];
}

char *iosim_live_report(char *buf, size_t len)
{
	size_t used = 0;
	int i;

	if (!len)
		return buf;
	buf[0] = '\0';
	for (i = 0; i < IOSIM_OBJ_NR && used < len; i++) {
		long n = iosim_live(i);
		int w;

		if (!n)
			continue;
		w = snprintf(buf + used, len - used, "%s%s=%ld",
			     used ? " " : "", obj_names[i], n);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return buf;
}
