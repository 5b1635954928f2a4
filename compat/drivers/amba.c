// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The AMBA bus.  The kernel registers it at boot (amba_init(), a
 * postcore_initcall); a library has no boot, so, like platform_bus_type, it
 * is defined ready to use: lock, device and driver lists and notifier chain
 * are initialised statically and it counts as registered.  It has no
 * match(): a driver registered on it may drive any of its devices.
 */
#include <linux/kernel.h>
#include <linux/amba/bus.h>

struct bus_type amba_bustype = {
	.name = "amba",
	.iosim_registered = true,
	.iosim_lock = __MUTEX_INITIALIZER(amba_bustype.iosim_lock),
	.iosim_devices = LIST_HEAD_INIT(amba_bustype.iosim_devices),
	.iosim_drivers = LIST_HEAD_INIT(amba_bustype.iosim_drivers),
	.iosim_notifier = BLOCKING_NOTIFIER_INIT(amba_bustype.iosim_notifier),
};
