/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * compat/drivers devres private layout - customised for simulation, not
 * kernel API: the header in front of each managed resource and the group
 * markers (compat/drivers/devres.c, whose head comment explains them), for
 * devres.c and for the white-box test of its checker
 * (tests/compat/test_devres.c), which plants a resource without a release
 * function and a marker of no group to see iosim_devres_check() report them.
 */
#ifndef _IOSIM_DRIVERS_DEVRES_INTERNAL_H
#define _IOSIM_DRIVERS_DEVRES_INTERNAL_H

#include <linux/device.h>
#include <linux/list.h>

/* The header in front of each managed resource's data. */
struct mres {
	struct list_head link;		/* on dev->devres_head; empty when on none */
	dr_release_t release;
};

_Static_assert(sizeof(struct mres) % sizeof(unsigned long long) == 0,
	       "managed data must stay 8-byte aligned");

struct mres_group;

/* One end of a group, kept on the resource list like a resource. */
struct mres_mark {
	struct mres hdr;		/* hdr.release == mres_marker_fn */
	struct mres_group *group;
	unsigned long long stamp;	/* order of linking, see mres_tick() */
};

struct mres_group {
	struct mres_mark begin;		/* linked by devres_open_group() */
	struct mres_mark end;		/* linked by devres_close_group() */
	void *id;
};

#endif /* _IOSIM_DRIVERS_DEVRES_INTERNAL_H */
