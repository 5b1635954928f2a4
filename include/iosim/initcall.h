/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/initcall.h> - the simulated boot: kernel code's initcalls
 * (arch_initcall() & co, <linux/init.h>) are registered when the program is
 * loaded and run here, on demand.
 */
#ifndef _IOSIM_INITCALL_H
#define _IOSIM_INITCALL_H

#define IOSIM_INITCALLS_MAX	64

/**
 * iosim_initcalls_run - run every registered initcall once, in the kernel's
 * level order (core .. late), registration order within a level
 *
 * A failing initcall is logged (pr_warn with its name and error) and the
 * rest still run, as at boot.
 *
 * Context: process context; the caller's boot (iosim_dma_system_init()).
 * Return: how many ran.
 */
int iosim_initcalls_run(void);

/** iosim_exitcalls_run - run every module_exit() call, last registered first. */
int iosim_exitcalls_run(void);

/** iosim_initcalls_registered - how many initcalls are registered. */
int iosim_initcalls_registered(void);

#endif /* _IOSIM_INITCALL_H */
