// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The platform bus.  The kernel registers it at boot (platform_bus_init());
 * a library has no boot, so it is defined ready to use: its lock, lists and
 * notifier chain are initialised statically and it counts as registered.
 */
#include <linux/kernel.h>
#include <linux/platform_device.h>

struct bus_type platform_bus_type = {
	.name = "platform",
	.iosim_registered = true,
	.iosim_lock = __MUTEX_INITIALIZER(platform_bus_type.iosim_lock),
	.iosim_devices = LIST_HEAD_INIT(platform_bus_type.iosim_devices),
	.iosim_drivers = LIST_HEAD_INIT(platform_bus_type.iosim_drivers),
	.iosim_notifier = BLOCKING_NOTIFIER_INIT(platform_bus_type.iosim_notifier),
};
