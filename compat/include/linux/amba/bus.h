/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/amba/bus.h - faithful subset (2015) of the AMBA (PrimeCell) bus:
 * the bus type, struct amba_device, struct amba_id, struct amba_driver and
 * the peripheral-ID accessors.  What needs infrastructure the simulation
 * lacks is left out: the APB clock (amba_device.pclk, amba_pclk_*), power
 * management callbacks (suspend/resume take pm_message_t), and device
 * creation from a resource tree (amba_device_add/register,
 * amba_ahb_device_add): AMBA devices are caller-embedded struct amba_device
 * added with device_register().  amba_driver_register() matches them by
 * peripheral ID (or driver_override) and probes them; a simulated device
 * made with iosim_device_create() on this bus is not an amba_device, and no
 * AMBA driver matches it.
 * irq[] is kept as plain numbers.  amba_bustype is ready to use without
 * registration, like platform_bus_type (compat/drivers/amba.c); add devices
 * to it with device_add() or iosim_device_create() (cfg.bus = &amba_bustype).
 */
#ifndef _IOSIM_LINUX_AMBA_BUS_H
#define _IOSIM_LINUX_AMBA_BUS_H

#include <linux/device.h>
#include <linux/ioport.h>

#define AMBA_NR_IRQS	9
#define AMBA_CID	0xb105f00d

struct amba_device {
	struct device		dev;
	struct resource		res;
	unsigned int		periphid;
	unsigned int		irq[AMBA_NR_IRQS];
	char			*driver_override;
};

struct amba_id {
	unsigned int		id;
	unsigned int		mask;
	void			*data;
};

struct amba_driver {
	struct device_driver	drv;
	int			(*probe)(struct amba_device *, const struct amba_id *);
	int			(*remove)(struct amba_device *);
	void			(*shutdown)(struct amba_device *);
	const struct amba_id	*id_table;
};

enum amba_vendor {
	AMBA_VENDOR_ARM = 0x41,
	AMBA_VENDOR_ST = 0x80,
	AMBA_VENDOR_QCOM = 0x51,
	AMBA_VENDOR_LSI = 0xb6,
};

extern struct bus_type amba_bustype;

#define to_amba_device(d)	container_of(d, struct amba_device, dev)
#define to_amba_driver(d)	container_of(d, struct amba_driver, drv)

/** amba_driver_register - see compat/drivers/amba.c; as driver_register(). */
int amba_driver_register(struct amba_driver *drv);
/** amba_driver_unregister - driver_unregister() of @drv->drv. */
void amba_driver_unregister(struct amba_driver *drv);

#define amba_get_drvdata(d)	dev_get_drvdata(&(d)->dev)
#define amba_set_drvdata(d, p)	dev_set_drvdata(&(d)->dev, p)

/* Fields of the peripheral ID register. */
#define AMBA_CONFIG_BITS(a)	(((a) >> 24) & 0xff)
#define AMBA_REV_BITS(a)	(((a) >> 20) & 0x0f)
#define AMBA_MANF_BITS(a)	(((a) >> 12) & 0xff)
#define AMBA_PART_BITS(a)	((a) & 0xfff)

#define amba_config(d)	AMBA_CONFIG_BITS((d)->periphid)
#define amba_rev(d)	AMBA_REV_BITS((d)->periphid)
#define amba_manf(d)	AMBA_MANF_BITS((d)->periphid)
#define amba_part(d)	AMBA_PART_BITS((d)->periphid)

/* A driver whose module init and exit only register and unregister it. */
#define module_amba_driver(__amba_drv)						\
	module_driver(__amba_drv, amba_driver_register, amba_driver_unregister)

#endif /* _IOSIM_LINUX_AMBA_BUS_H */
