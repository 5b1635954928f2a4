/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The tests' trace.dat writer (tracedat_writer.c). */
#ifndef SIM_TRACEDAT_WRITER_H
#define SIM_TRACEDAT_WRITER_H

#include <stddef.h>

/* The sample's sg list: NR_SG entries, REC_SG of them recorded. */
#define NR_SG	200
#define REC_SG	128

/*
 * tracedat_write_sample - write the sample trace (two CPUs, single mappings,
 * an irq record, a 200-entry scatterlist cut at 128, a failed mapping) to a
 * new temporary file in the current directory, whose name goes to @dat_path.
 * Return: 0, or -1 if the file could not be created.
 */
int tracedat_write_sample(char *dat_path, size_t path_len);

#endif /* SIM_TRACEDAT_WRITER_H */
