/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * <iosim/warn.h> - the record of WARN()/BUG() hits.
 *
 * Where the kernel would BUG() or WARN(), the simulation records the hit and
 * carries on, so a test can assert that misuse was reported.  The record keeps
 * a total count and the most recent IOSIM_WARN_KEEP hits.
 */
#ifndef _IOSIM_WARN_H
#define _IOSIM_WARN_H

#include <stdbool.h>

#define IOSIM_WARN_KEEP		64
/* A WARN()'s message is printk()ed: the same limit as a log line. */
#define IOSIM_WARN_MSG_LEN	(1024 - 32)

struct iosim_warn_hit {
	const char *file;	/* source file of the WARN */
	int line;
	const char *func;
	bool is_bug;		/* BUG()/BUG_ON() rather than WARN */
	char msg[IOSIM_WARN_MSG_LEN];
};

enum iosim_bug_action {
	IOSIM_BUG_RECORD,	/* default: record like a WARN and return */
	IOSIM_BUG_ABORT,	/* record, print, abort() */
};

/** iosim_warn_count - WARN and BUG hits since the last iosim_warn_reset(). */
unsigned long iosim_warn_count(void);

/** iosim_bug_count - BUG hits since the last iosim_warn_reset(). */
unsigned long iosim_bug_count(void);

/**
 * iosim_warn_last - the most recent hit, or NULL if none since the reset.
 * The pointer is valid until the next hit or reset.
 */
const struct iosim_warn_hit *iosim_warn_last(void);

/** iosim_warn_seen - true if a kept hit's message contains @substr. */
bool iosim_warn_seen(const char *substr);

/** iosim_warn_reset - forget all hits (counts go to 0). */
void iosim_warn_reset(void);

/** iosim_warn_set_quiet - stop (or restart) printing hits to stderr. */
void iosim_warn_set_quiet(bool quiet);

/** iosim_bug_set_action - what BUG()/BUG_ON() do; returns the old action. */
enum iosim_bug_action iosim_bug_set_action(enum iosim_bug_action action);

#endif /* _IOSIM_WARN_H */
