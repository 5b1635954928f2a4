/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* What debug_dma_dump_mappings() prints, captured for the dma-debug tests. */
#ifndef _IOSIM_TESTS_DUMP_CAPTURE_H
#define _IOSIM_TESTS_DUMP_CAPTURE_H

#include <stddef.h>

struct device;

/*
 * Run debug_dma_dump_mappings(@dev) (NULL: every device) with every level on
 * the console and the console (stderr) in a file; the text it printed goes
 * to @out, NUL-terminated, at most @len - 1 bytes.  Fails the test if stderr
 * could not be redirected.
 */
void capture_dump(struct device *dev, char *out, size_t len);

#endif /* _IOSIM_TESTS_DUMP_CAPTURE_H */
