/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/compiler.h - faithful re-implementation of the attribute and access
 * helpers kernel C uses, expressed with GCC/Clang builtins.  Sparse
 * annotations (__user, __iomem, __force, __bitwise) are empty, as in a
 * non-sparse kernel build.
 */
#ifndef _IOSIM_LINUX_COMPILER_H
#define _IOSIM_LINUX_COMPILER_H

/* Kernel C uses the GNU keyword; in strict C11 mode it is not a keyword. */
#ifndef typeof
#define typeof __typeof__
#endif

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)

/* glibc's <sys/cdefs.h> defines __always_inline too, identically in effect. */
#ifndef __always_inline
#define __always_inline		inline __attribute__((__always_inline__))
#endif
#define noinline		__attribute__((__noinline__))
#define __must_check		__attribute__((__warn_unused_result__))
#define __maybe_unused		__attribute__((__unused__))
#define __always_unused		__attribute__((__unused__))
#define __used			__attribute__((__used__))
#define __cold			__attribute__((__cold__))
#define __pure			__attribute__((__pure__))
#define __packed		__attribute__((__packed__))
#define __aligned(x)		__attribute__((__aligned__(x)))
#define __printf(a, b)		__attribute__((__format__(printf, a, b)))
#define __noreturn		__attribute__((__noreturn__))
#define __weak			__attribute__((__weak__))

#define __user
#define __kernel
#define __iomem
#define __force
#define __rcu
#define __percpu
#define __acquires(x)
#define __releases(x)
#define __must_hold(x)

#define barrier()		__asm__ __volatile__("" : : : "memory")
#define READ_ONCE(x)		(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile typeof(x) *)&(x) = (val); } while (0)
#define ACCESS_ONCE(x)		(*(volatile typeof(x) *)&(x))

#define __same_type(a, b)	__builtin_types_compatible_p(typeof(a), typeof(b))

#endif /* _IOSIM_LINUX_COMPILER_H */
