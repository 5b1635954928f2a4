/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * asm/byteorder.h - faithful: arm64 of 2015 is little-endian (unless built
 * for __AARCH64EB__, which the simulation is not), so its byte order is
 * <linux/byteorder/little_endian.h>: the __cpu_to_le32() family from the
 * host's UAPI header of that name, and the unprefixed cpu_to_le32() family
 * of <linux/byteorder/generic.h>.  The simulation runs on little-endian
 * hosts only, where these are the identity, as on the arm64 it models.
 */
#ifndef _IOSIM_ASM_BYTEORDER_H
#define _IOSIM_ASM_BYTEORDER_H

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "libiommudma models little-endian arm64 and needs a little-endian host"
#endif

#include <linux/byteorder/little_endian.h>
#include <linux/byteorder/generic.h>

#endif /* _IOSIM_ASM_BYTEORDER_H */
