/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/export.h - stub.  There are no modules: everything links statically,
 * so EXPORT_SYMBOL expands to a file-scope declaration that accepts the
 * trailing semicolon kernel code writes.
 */
#ifndef _IOSIM_LINUX_EXPORT_H
#define _IOSIM_LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym)		_Static_assert(1, #sym)
#define EXPORT_SYMBOL_GPL(sym)		_Static_assert(1, #sym)
#define EXPORT_SYMBOL_GPL_FUTURE(sym)	_Static_assert(1, #sym)
#define THIS_MODULE			((struct module *)0)

#endif /* _IOSIM_LINUX_EXPORT_H */
