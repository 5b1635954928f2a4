/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/mod_devicetable.h - customised: the device id tables the simulation's
 * buses match on: the platform bus's and the PCI bus's (layouts of 2015).
 */
#ifndef _IOSIM_LINUX_MOD_DEVICETABLE_H
#define _IOSIM_LINUX_MOD_DEVICETABLE_H

#include <linux/types.h>

typedef unsigned long kernel_ulong_t;

/* A PCI id field that matches any value. */
#define PCI_ANY_ID (~0)

/*
 * One entry of a PCI driver's id_table.  vendor, device, subvendor and
 * subdevice match exactly or are PCI_ANY_ID; class is compared only in the
 * bits class_mask sets.  A table ends with an entry whose vendor, subvendor
 * and class_mask are all 0.
 */
struct pci_device_id {
	__u32 vendor, device;		/* vendor and device ID, or PCI_ANY_ID */
	__u32 subvendor, subdevice;	/* subsystem IDs, or PCI_ANY_ID */
	__u32 class, class_mask;	/* (base class, sub-class, prog-if) and the bits compared */
	kernel_ulong_t driver_data;	/* the driver's own */
};

#define PLATFORM_NAME_SIZE	20

struct platform_device_id {
	char name[PLATFORM_NAME_SIZE];
	kernel_ulong_t driver_data;
};

#endif /* _IOSIM_LINUX_MOD_DEVICETABLE_H */
