/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The tests' trace.dat writer (tracedat_writer.c). */
#ifndef SIM_TRACEDAT_WRITER_H
#define SIM_TRACEDAT_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The sample's sg list: NR_SG entries, REC_SG of them recorded. */
#define NR_SG	200
#define REC_SG	128

/* CPUs a trace may have. */
#define TRACEDAT_MAX_CPUS	8

/* The saved cmdlines every trace carries: pid 1204 is "sshd", 88 "kworker/u16:3". */
#define TRACEDAT_CMDLINES	"1204 sshd\n88 kworker/u16:3\n"

/* Whose formats the file declares for the dma system. */
enum tracedat_kernel {
	TRACEDAT_6_18,	/* dma_map_phys, dma_unmap_phys; dma_map_sg with its counts */
	TRACEDAT_6_12,	/* dma_map_page, dma_unmap_page; dma_map_sg without counts */
};

/* A growable byte buffer (a record's payload, a whole file). */
struct tracedat_buf {
	unsigned char *p;
	size_t len, cap;
};

/**
 * struct tracedat_rec - one record of a trace
 * @cpu: the CPU whose buffer holds it
 * @ts: its time in ns; a CPU's records must come in rising time
 * @data: its payload (common fields first), made by a tracedat_rec_*()
 *	builder; tracedat_rec_release() frees it
 */
struct tracedat_rec {
	int cpu;
	uint64_t ts;
	struct tracedat_buf data;
};

/*
 * The builders, one per event of the formats the writer declares (dma:*
 * in their 6.18 layout, and irq:irq_handler_entry, which the simulator
 * does not replay).  @dir is the kernel's enum dma_data_direction (values
 * above 3 have no name in the format); @attrs its DMA_ATTR_* bits as the
 * format names them: 0x2 WEAK_ORDERING, 0x4 WRITE_COMBINE, 0x10
 * NO_KERNEL_MAPPING, 0x20 SKIP_CPU_SYNC, 0x40 FORCE_CONTIGUOUS, 0x80
 * ALLOC_SINGLE_PAGES, 0x100 NO_WARN, 0x200 PRIVILEGED, 0x400 MMIO, 0x800
 * CACHE_CLEAN; other bits are printed as a number.
 */
void tracedat_rec_map_phys(struct tracedat_rec *r, int pid, const char *dev, uint64_t phys,
			   uint64_t dma, uint64_t size, unsigned int dir, uint64_t attrs);
void tracedat_rec_unmap_phys(struct tracedat_rec *r, int pid, const char *dev, uint64_t dma,
			     uint64_t size, unsigned int dir, uint64_t attrs);
void tracedat_rec_sync_single(struct tracedat_rec *r, bool for_device, int pid, const char *dev,
			      uint64_t dma, uint64_t size, unsigned int dir);
void tracedat_rec_map_sg(struct tracedat_rec *r, int pid, const char *dev, const uint64_t *phys,
			 int nents, int full_nents, const uint64_t *dma, const uint32_t *lens,
			 int ents, int full_ents, unsigned int dir, uint64_t attrs);
void tracedat_rec_unmap_sg(struct tracedat_rec *r, int pid, const char *dev,
			   const uint64_t *phys, int nents, unsigned int dir, uint64_t attrs);
void tracedat_rec_irq(struct tracedat_rec *r, int irq, const char *name);
/* A record whose event ID no format of the file declares. */
void tracedat_rec_unknown_id(struct tracedat_rec *r, int pid);
void tracedat_rec_release(struct tracedat_rec *r);

/**
 * tracedat_build - a trace-cmd version 6 trace.dat holding @recs
 * @recs: the records, each CPU's in rising time (across CPUs in any order)
 * @nr: how many
 * @nr_cpus: CPUs of the trace (0 to TRACEDAT_MAX_CPUS); every record's
 *	@cpu must be below it
 * @lost_cpus: bit n set: CPU n's first page says the kernel dropped events
 *	before it (without a count)
 * @kernel: which kernel's dma formats the file declares; the records'
 *	payloads are the same for both (6.12's dma_map_sg format leaves the
 *	counts out, and the map_phys/unmap_phys builders write 6.12's
 *	dma_map_page/dma_unmap_page)
 * @out: receives the file's bytes (free @out->p)
 *
 * A failure is a broken writer, not a result: the writer aborts.
 */
void tracedat_build(const struct tracedat_rec *recs, unsigned int nr, unsigned int nr_cpus,
		    unsigned int lost_cpus, enum tracedat_kernel kernel, struct tracedat_buf *out);

/*
 * tracedat_write_sample - write the sample trace (two CPUs, single mappings,
 * an irq record, a 200-entry scatterlist cut at 128, a failed mapping) to a
 * new temporary file in the current directory, whose name goes to @dat_path.
 * Return: 0, or -1 if the file could not be created.
 */
int tracedat_write_sample(char *dat_path, size_t path_len);

#endif /* SIM_TRACEDAT_WRITER_H */
