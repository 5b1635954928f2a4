// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Reading a text file's lines with their NUL bytes counted: the simulator's
 * two text inputs (a trace, the INI configuration) both read with it.
 */
#include "line_read.h"

size_t sim_read_line_part(FILE *f, char *buf, size_t room, bool *nul)
{
	size_t n = 0;
	int ch;

	while (n + 1 < room && (ch = getc_unlocked(f)) != EOF) {
		buf[n++] = (char)ch;
		if (!ch)
			*nul = true;
		if (ch == '\n')
			break;
	}
	buf[n] = '\0';
	return n;
}
