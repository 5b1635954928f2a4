/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/printk.h - customised for simulation.
 *
 * printk() and pr_*() go to the simulated kernel log: each message is kept in
 * a ring that tests can search (<iosim/log.h>) and printed to stderr when its
 * level is at or above the console level (KERN_WARNING by default).
 * pr_debug() compiles away unless DEBUG is defined, as in the kernel.
 */
#ifndef _IOSIM_LINUX_PRINTK_H
#define _IOSIM_LINUX_PRINTK_H

#include <linux/compiler.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_DEFAULT	KERN_SOH "d"
#define KERN_CONT	""

int printk(const char *fmt, ...) __printf(1, 2);

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warning(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn			pr_warning
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

/* printk that compiles away but keeps the format checked. */
#define no_printk(fmt, ...) ({					\
	if (0)							\
		printk(fmt, ##__VA_ARGS__);			\
	0; })

#ifdef DEBUG
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...)	no_printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#endif

#define pr_warn_once(fmt, ...) ({				\
	static bool __print_once;				\
	if (!__print_once) {					\
		__print_once = true;				\
		pr_warn(fmt, ##__VA_ARGS__);			\
	}							\
})

#define pr_err_ratelimited	pr_err
#define pr_warn_ratelimited	pr_warn
#define printk_ratelimit()	1

#endif /* _IOSIM_LINUX_PRINTK_H */
