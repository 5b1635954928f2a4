/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * sim_support.h - customised: the simulator input library's access to the
 * shim's counted, fault-injectable allocator and to its WARN record, without
 * pulling the kernel headers into userspace-facing code (the trace.dat reader
 * includes libtracecmd's headers, which must not meet the shim's linux/ headers).
 */
#ifndef IOSIM_SIM_SUPPORT_H
#define IOSIM_SIM_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>

/* Defined by compat/kernel (see <linux/bug.h>); declared here to avoid the shim headers. */
void iosim_warn_record(const char *file, int line, const char *func,
		       bool is_bug, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#define SIM_WARN(...) iosim_warn_record(__FILE__, __LINE__, __func__, false, __VA_ARGS__)

void *sim_zalloc(size_t size);
void *sim_realloc(void *p, size_t size);
void sim_free(const void *p);
void *sim_zalloc_array(size_t n, size_t size);

#endif /* IOSIM_SIM_SUPPORT_H */
