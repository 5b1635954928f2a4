// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* See dump_capture.h. */
#include "dump_capture.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>

#include <linux/dma-debug.h>
#include <iosim/log.h>

void capture_dump(struct device *dev, char *out, size_t len)
{
	FILE *tmp = tmpfile();
	int saved = -1, level, moved = -1;
	size_t n = 0;

	if (tmp) {
		fflush(stderr);
		saved = dup(STDERR_FILENO);
		if (saved >= 0)
			moved = dup2(fileno(tmp), STDERR_FILENO);
		level = iosim_log_set_console_level(8);
		debug_dma_dump_mappings(dev);
		iosim_log_set_console_level(level);
		fflush(stderr);
		if (saved >= 0) {
			dup2(saved, STDERR_FILENO);
			close(saved);
		}
		rewind(tmp);
		n = fread(out, 1, len - 1, tmp);
		fclose(tmp);
	}
	out[n] = '\0';
	assert_true(moved >= 0);
}
