// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulated kernel log: printk() keeps the last IOSIM_LOG_KEEP messages
 * for tests to search and echoes those below the console level to stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <pthread.h>

#include <linux/kernel.h>
#include <iosim/log.h>

#define DEFAULT_MESSAGE_LOGLEVEL	4	/* KERN_WARNING, as the kernel */

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_ring[IOSIM_LOG_KEEP][IOSIM_LOG_LINE_LEN];
static unsigned long log_total;
static int console_loglevel = 5;	/* print KERN_WARNING and more severe */

/* Split "\001N" off the front of @fmt; returns the level, moves *fmt past it. */
static int printk_take_level(const char **fmt)
{
	const char *f = *fmt;

	if (f[0] == KERN_SOH[0] && f[1]) {
		*fmt = f + 2;
		if (f[1] >= '0' && f[1] <= '7')
			return f[1] - '0';
	}
	return DEFAULT_MESSAGE_LOGLEVEL;
}

int printk(const char *fmt, ...)
{
	char *line;
	va_list ap;
	int level, len;

	level = printk_take_level(&fmt);
	pthread_mutex_lock(&log_lock);
	line = log_ring[log_total % IOSIM_LOG_KEEP];
	va_start(ap, fmt);
	len = vsnprintf(line, IOSIM_LOG_LINE_LEN, fmt, ap);
	va_end(ap);
	log_total++;
	if (level < console_loglevel)
		fprintf(stderr, "<%d>%s", level, line);
	pthread_mutex_unlock(&log_lock);
	return len;
}

int iosim_log_set_console_level(int level)
{
	int old;

	pthread_mutex_lock(&log_lock);
	old = console_loglevel;
	console_loglevel = level;
	pthread_mutex_unlock(&log_lock);
	return old;
}

bool iosim_log_seen(const char *substr)
{
	unsigned long i, kept;
	bool found = false;

	pthread_mutex_lock(&log_lock);
	kept = log_total < IOSIM_LOG_KEEP ? log_total : IOSIM_LOG_KEEP;
	for (i = 0; i < kept && !found; i++)
		found = strstr(log_ring[i], substr) != NULL;
	pthread_mutex_unlock(&log_lock);
	return found;
}

unsigned long iosim_log_count(void)
{
	unsigned long n;

	pthread_mutex_lock(&log_lock);
	n = log_total;
	pthread_mutex_unlock(&log_lock);
	return n;
}

void iosim_log_reset(void)
{
	pthread_mutex_lock(&log_lock);
	/* Only the first log_total lines are ever read (see iosim_warn_reset()). */
	log_total = 0;
	pthread_mutex_unlock(&log_lock);
}
