/* PLACEHOLDER */
#ifndef _IOSIM_LINUX_AMBA_BUS_H
#define _IOSIM_LINUX_AMBA_BUS_H
#include <linux/device.h>
extern struct bus_type amba_bustype;
#endif
