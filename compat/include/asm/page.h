/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * asm/page.h - faithful (arm64): PAGE_SHIFT is the build option page_size
 * (12, 14 or 16).  No system header of this name exists on x86-64 Debian.
 */
#ifndef _IOSIM_ASM_PAGE_H
#define _IOSIM_ASM_PAGE_H

#include <linux/types.h>
#include <linux/const.h>

#define PAGE_SHIFT	CONFIG_PAGE_SHIFT
#define PAGE_SIZE	(_AC(1, UL) << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

#endif /* _IOSIM_ASM_PAGE_H */
