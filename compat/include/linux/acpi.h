/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/acpi.h - stub: only acpi_disabled, which arm64's DMA set-up reads.
 * The simulation boots as from a device tree, so it is always 1.
 */
#ifndef _IOSIM_LINUX_ACPI_H
#define _IOSIM_LINUX_ACPI_H

extern int acpi_disabled;

#endif /* _IOSIM_LINUX_ACPI_H */
