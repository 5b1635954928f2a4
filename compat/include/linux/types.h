/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/types.h - faithful re-implementation of the kernel's type names.
 *
 * Shares its name with the uapi header in /usr/include: we #include_next it
 * first, so __u8.. __u64, __le32 and friends come from the system and glibc
 * headers that include <linux/types.h> keep working.
 */
#ifndef _IOSIM_LINUX_TYPES_H
#define _IOSIM_LINUX_TYPES_H

#include_next <linux/types.h>

#include <linux/kconfig.h>
#include <linux/compiler.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef __u8  u8;
typedef __s8  s8;
typedef __u16 u16;
typedef __s16 s16;
typedef __u32 u32;
typedef __s32 s32;
typedef __u64 u64;
typedef __s64 s64;

/* CONFIG_ARCH_DMA_ADDR_T_64BIT and CONFIG_PHYS_ADDR_T_64BIT, as on arm64. */
typedef u64 dma_addr_t;
typedef u64 phys_addr_t;
typedef phys_addr_t resource_size_t;

typedef unsigned int gfp_t;
typedef unsigned long pgoff_t;

struct list_head {
	struct list_head *next, *prev;
};

struct hlist_head {
	struct hlist_node *first;
};

struct hlist_node {
	struct hlist_node *next, **pprev;
};

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	long counter;
} atomic64_t;

typedef atomic64_t atomic_long_t;

#endif /* _IOSIM_LINUX_TYPES_H */
