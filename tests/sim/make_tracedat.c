// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * make_tracedat - write the tests' sample trace-cmd v6 trace.dat (see
 * tracedat_writer.c) for the CLI's round-trip test (test_cli.py).
 *
 * Usage: make_tracedat FILE
 */
#include <stdio.h>
#include <unistd.h>

#include "tracedat_writer.h"

int main(int argc, char **argv)
{
	char tmp[64];

	if (argc != 2) {
		fprintf(stderr, "usage: make_tracedat FILE\n");
		return 2;
	}
	if (tracedat_write_sample(tmp, sizeof(tmp)))
		return 1;
	/* The writer made a temporary file: move it where we were asked. */
	if (rename(tmp, argv[1])) {
		perror(argv[1]);
		unlink(tmp);
		return 1;
	}
	return 0;
}
