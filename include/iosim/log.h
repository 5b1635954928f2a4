/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/log.h> - the simulated kernel log that printk() writes.
 */
#ifndef _IOSIM_LOG_H
#define _IOSIM_LOG_H

#include <stdbool.h>

#define IOSIM_LOG_KEEP		128
/*
 * Bytes of one kept message with its NUL: the kernel's printk() keeps
 * LOG_LINE_MAX (1024 less a 32-byte prefix) and truncates the rest.
 */
#define IOSIM_LOG_LINE_LEN	(1024 - 32)

/**
 * iosim_log_set_console_level - print messages with level < @level to stderr
 * (kernel numbering: 0 = KERN_EMERG ... 7 = KERN_DEBUG; default 5, so
 * warnings and errors print).  Returns the previous level.
 */
int iosim_log_set_console_level(int level);

/** iosim_log_seen - true if one of the kept messages contains @substr. */
bool iosim_log_seen(const char *substr);

/** iosim_log_count - messages logged since the last iosim_log_reset(). */
unsigned long iosim_log_count(void);

/** iosim_log_reset - forget all kept messages. */
void iosim_log_reset(void);

#endif /* _IOSIM_LOG_H */
