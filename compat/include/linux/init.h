/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/init.h - stub for section annotations (__init code stays resident).
 * Initcalls are the DMA API layer's business; until it exists they are not
 * defined, so code that needs them fails to compile rather than silently
 * never running.
 */
#ifndef _IOSIM_LINUX_INIT_H
#define _IOSIM_LINUX_INIT_H

#define __init
#define __exit
#define __initdata
#define __exitdata
#define __ref
#define __devinit

#endif /* _IOSIM_LINUX_INIT_H */
/* PLACEHOLDER */
void iosim_stub_register(int (*fn)(void));
#define arch_initcall(fn) __attribute__((constructor)) static void __reg_##fn(void) { iosim_stub_register(fn); }
