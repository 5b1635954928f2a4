/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/init.h - customised for simulation: section annotations are empty
 * (__init code stays resident), and initcalls are registered at program load
 * (a constructor) and run by iosim_initcalls_run() (<iosim/initcall.h>) in
 * the kernel's level order - a library has no boot.  module_exit() calls are
 * registered too and run by iosim_exitcalls_run(), last registered first.
 */
#ifndef _IOSIM_LINUX_INIT_H
#define _IOSIM_LINUX_INIT_H

#define __init
#define __exit
#define __initdata
#define __exitdata
#define __ref
#define __devinit

typedef int (*initcall_t)(void);
typedef void (*exitcall_t)(void);

/* Simulation: register @fn at @level (0 core .. 7 late), named @name. */
void iosim_initcall_register(initcall_t fn, int level, const char *name);
void iosim_exitcall_register(exitcall_t fn, const char *name);

#define __iosim_define_initcall(fn, level)					\
	__attribute__((constructor)) static void __iosim_initcall_##fn##_##level(void) \
	{ iosim_initcall_register(fn, level, #fn); }

#define early_initcall(fn)		__iosim_define_initcall(fn, 0)
#define core_initcall(fn)		__iosim_define_initcall(fn, 1)
#define postcore_initcall(fn)		__iosim_define_initcall(fn, 2)
#define arch_initcall(fn)		__iosim_define_initcall(fn, 3)
#define subsys_initcall(fn)		__iosim_define_initcall(fn, 4)
#define fs_initcall(fn)			__iosim_define_initcall(fn, 5)
#define device_initcall(fn)		__iosim_define_initcall(fn, 6)
#define late_initcall(fn)		__iosim_define_initcall(fn, 7)
#define module_init(fn)			device_initcall(fn)
#define module_exit(fn)								\
	__attribute__((constructor)) static void __iosim_exitcall_##fn(void)	\
	{ iosim_exitcall_register(fn, #fn); }

#endif /* _IOSIM_LINUX_INIT_H */
