/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/bug.h - customised for simulation.
 *
 * A test harness must not die.  WARN*() evaluate and return their condition
 * as in the kernel, and record every hit (file:line, function, message) with
 * iosim_warn_record(); tests read and reset the record through
 * <iosim/warn.h>.  BUG()/BUG_ON() are recorded the same way, marked as BUGs,
 * and return to the caller unless a test asked for abort with
 * iosim_bug_set_action(IOSIM_BUG_ABORT).  Library code never relies on BUG()
 * not returning: where the kernel BUGs we WARN and keep state intact.
 */
#ifndef _IOSIM_LINUX_BUG_H
#define _IOSIM_LINUX_BUG_H

#include <linux/compiler.h>
#include <linux/types.h>

void iosim_warn_record(const char *file, int line, const char *func,
		       bool is_bug, const char *fmt, ...) __printf(5, 6);

#define __IOSIM_WARN(is_bug, ...) \
	iosim_warn_record(__FILE__, __LINE__, __func__, (is_bug), __VA_ARGS__)

#define WARN(condition, ...) ({					\
	int __ret_warn_on = !!(condition);			\
	if (unlikely(__ret_warn_on))				\
		__IOSIM_WARN(false, __VA_ARGS__);		\
	unlikely(__ret_warn_on);				\
})

#define WARN_ON(condition) ({					\
	int __ret_warn_on = !!(condition);			\
	if (unlikely(__ret_warn_on))				\
		__IOSIM_WARN(false, "WARN_ON(%s)", #condition);	\
	unlikely(__ret_warn_on);				\
})

#define WARN_ONCE(condition, ...) ({				\
	static bool __warned;					\
	int __ret_warn_once = !!(condition);			\
	if (unlikely(__ret_warn_once && !__warned)) {		\
		__warned = true;				\
		__IOSIM_WARN(false, __VA_ARGS__);		\
	}							\
	unlikely(__ret_warn_once);				\
})

#define WARN_ON_ONCE(condition) ({				\
	static bool __warned;					\
	int __ret_warn_once = !!(condition);			\
	if (unlikely(__ret_warn_once && !__warned)) {		\
		__warned = true;				\
		__IOSIM_WARN(false, "WARN_ON_ONCE(%s)", #condition); \
	}							\
	unlikely(__ret_warn_once);				\
})

#define WARN_TAINT(condition, taint, ...)	WARN(condition, __VA_ARGS__)

#define BUG()	__IOSIM_WARN(true, "BUG()")

#define BUG_ON(condition) do {					\
	if (unlikely(condition))				\
		__IOSIM_WARN(true, "BUG_ON(%s)", #condition);	\
} while (0)

#define BUILD_BUG_ON(condition)	_Static_assert(!(condition), "BUILD_BUG_ON(" #condition ")")
#define BUILD_BUG_ON_MSG(condition, msg)	_Static_assert(!(condition), msg)
#define BUILD_BUG_ON_NOT_POWER_OF_2(n)	BUILD_BUG_ON((n) == 0 || (((n) & ((n) - 1)) != 0))

#define VM_BUG_ON(condition)		BUG_ON(condition)
#define VM_BUG_ON_PAGE(condition, page)	BUG_ON(condition)
#define VM_WARN_ON(condition)		WARN_ON(condition)

#endif /* _IOSIM_LINUX_BUG_H */
