/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * line_read.h - a line of a text file, as many bytes as were read.
 */
#ifndef IOSIM_SIM_LINE_READ_H
#define IOSIM_SIM_LINE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/**
 * sim_read_line_part - read up to @room - 1 bytes of a line of @f into @buf
 * @f: the file
 * @buf: where they go; terminated after them
 * @room: bytes at @buf (at least 1)
 * @nul: set to true if a byte read is a NUL (left alone otherwise)
 *
 * Stops after a newline, at @room - 1 bytes or at the end of the file.
 * fgets() does the same but does not say how many bytes it read: a NUL byte
 * in a line then hides the rest of it, newline included, from strlen(), and
 * the next line is read onto the text before the NUL (both the trace reader
 * and the configuration reader had that bug; fuzz_sim_config found it).
 *
 * Context: any; @f is read without taking its lock (getc_unlocked()), so
 * only one thread may use it.
 * Return: the bytes read; 0 at the end of the file or on a read error
 * (ferror() tells which).
 */
size_t sim_read_line_part(FILE *f, char *buf, size_t room, bool *nul);

#endif /* IOSIM_SIM_LINE_READ_H */
