/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/byteorder/generic.h - faithful subset: the names drivers use for
 * converting to and from a device's byte order, over the __-prefixed
 * conversions of the architecture's <linux/byteorder/{little,big}_endian.h>
 * (include <asm/byteorder.h>, which picks it).  Left out: the in-place
 * "s" forms (cpu_to_le32s()), the pointer forms (le32_to_cpup()) and the
 * le*_add_cpu() helpers, which nothing here uses yet.
 */
#ifndef _IOSIM_LINUX_BYTEORDER_GENERIC_H
#define _IOSIM_LINUX_BYTEORDER_GENERIC_H

#define cpu_to_le64	__cpu_to_le64
#define le64_to_cpu	__le64_to_cpu
#define cpu_to_le32	__cpu_to_le32
#define le32_to_cpu	__le32_to_cpu
#define cpu_to_le16	__cpu_to_le16
#define le16_to_cpu	__le16_to_cpu
#define cpu_to_be64	__cpu_to_be64
#define be64_to_cpu	__be64_to_cpu
#define cpu_to_be32	__cpu_to_be32
#define be32_to_cpu	__be32_to_cpu
#define cpu_to_be16	__cpu_to_be16
#define be16_to_cpu	__be16_to_cpu

#endif /* _IOSIM_LINUX_BYTEORDER_GENERIC_H */
