// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * A trace-cmd version 6 trace.dat writer for the tests (tracedat_writer.h):
 * header pages, event formats of the dma and irq systems modelled on the
 * kernel's, saved cmdlines, two CPUs' ring-buffer pages with small and large
 * records.  Shared by test_sim_tracedat.c and make_tracedat.c (the CLI's
 * round trip).  Why a writer of our own: libtracecmd 1.3 (Debian 12) installs
 * no header for its output API, and that API copies event formats and
 * ring-buffer pages from a live tracefs; it cannot make records.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tracedat_writer.h"

/* The writer's own checks: a failure is a broken helper, not a test result. */
#define W_CHECK(c)		do { if (!(c)) { fprintf(stderr, "tracedat writer: %s failed\n", #c); abort(); } } while (0)
#define W_CHECK_PTR(p)		W_CHECK((p) != NULL)
#define W_CHECK_EQ(a, b)	W_CHECK((a) == (b))

#define DAT_PAGE	4096u
#define ID_MAP_PHYS	1001
#define ID_MAP_SG	1002
#define ID_IRQ		2001

/* --- a growable byte buffer, little-endian writers ----------------------------- */

struct buf {
	unsigned char *p;
	size_t len, cap;
};

static void put(struct buf *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		b->cap = (b->len + len) * 2 + 4096;
		b->p = realloc(b->p, b->cap);
		W_CHECK_PTR(b->p);
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

static void put_uint(struct buf *b, uint64_t v, unsigned int bytes)
{
	unsigned char le[8];
	unsigned int i;

	for (i = 0; i < bytes; i++)
		le[i] = (unsigned char)(v >> (8 * i));
	put(b, le, bytes);
}

static void put_str0(struct buf *b, const char *s)
{
	put(b, s, strlen(s) + 1);
}

static void put_sized8(struct buf *b, const char *text)
{
	put_uint(b, strlen(text), 8);
	put(b, text, strlen(text));
}

/* --- event formats (our own text in the layout of tracefs format files) ------- */

#define COMMON_FIELDS \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n" \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n" \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

#define DIR_SYMBOLS \
	"__print_symbolic(REC->dir, { 0, \"BIDIRECTIONAL\" }, { 1, \"TO_DEVICE\" }, " \
	"{ 2, \"FROM_DEVICE\" }, { 3, \"NONE\" })"

#define ATTR_FLAGS \
	"__print_flags(REC->attrs, \"|\", { 0x2, \"WEAK_ORDERING\" }, { 0x4, \"WRITE_COMBINE\" }, " \
	"{ 0x20, \"SKIP_CPU_SYNC\" })"

static const char fmt_map_phys[] =
	"name: dma_map_phys\nID: 1001\nformat:\n" COMMON_FIELDS
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:u64 phys_addr;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:u64 dma_addr;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:size_t size;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:enum dma_data_direction dir;\toffset:40;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long attrs;\toffset:48;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"%s dir=%s dma_addr=%llx size=%zu phys_addr=%llx attrs=%s\", "
	"__get_str(device), " DIR_SYMBOLS ", REC->dma_addr, REC->size, REC->phys_addr, "
	ATTR_FLAGS "\n";

static const char fmt_map_sg[] =
	"name: dma_map_sg\nID: 1002\nformat:\n" COMMON_FIELDS
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:__data_loc u64[] phys_addrs;\toffset:12;\tsize:4;\tsigned:0;\n"
	"\tfield:__data_loc u64[] dma_addrs;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:__data_loc unsigned int[] lengths;\toffset:20;\tsize:4;\tsigned:0;\n"
	"\tfield:int nents;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:int full_nents;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\tfield:int ents;\toffset:32;\tsize:4;\tsigned:1;\n"
	"\tfield:int full_ents;\toffset:36;\tsize:4;\tsigned:1;\n"
	"\tfield:enum dma_data_direction dir;\toffset:40;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long attrs;\toffset:48;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"%s dir=%s nents=%d/%d ents=%d/%d%s dma_addrs=%s sizes=%s phys_addrs=%s attrs=%s\", "
	"__get_str(device), " DIR_SYMBOLS ", REC->nents, REC->full_nents, REC->ents, REC->full_ents, "
	"REC->full_nents > REC->nents ? \" [TRUNCATED]\" : \"\", "
	"__print_array(__get_dynamic_array(dma_addrs), __get_dynamic_array_len(dma_addrs) / 8, 8), "
	"__print_array(__get_dynamic_array(lengths), __get_dynamic_array_len(lengths) / 4, 4), "
	"__print_array(__get_dynamic_array(phys_addrs), __get_dynamic_array_len(phys_addrs) / 8, 8), "
	ATTR_FLAGS "\n";

static const char fmt_irq[] =
	"name: irq_handler_entry\nID: 2001\nformat:\n" COMMON_FIELDS
	"\tfield:int irq;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:__data_loc char[] name;\toffset:12;\tsize:4;\tsigned:0;\n\n"
	"print fmt: \"irq=%d name=%s\", REC->irq, __get_str(name)\n";

static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:1;\n";

static const char header_event[] =
	"# compressed entry header\n\ttype_len    :    5 bits\n\ttime_delta  :   27 bits\n"
	"\tarray       :   32 bits\n\n\tpadding     : type == 29\n\ttime_extend : type == 30\n"
	"\ttime_stamp : type == 31\n\tdata max type_len  == 28\n";

/* --- records ------------------------------------------------------------------ */

struct rec {
	int cpu;
	uint64_t ts;
	struct buf data;	/* the event's payload, common fields first */
};

static void common(struct buf *b, unsigned int id, int pid)
{
	put_uint(b, id, 2);
	put_uint(b, 0, 1);
	put_uint(b, 1, 1);
	put_uint(b, (uint32_t)pid, 4);
}

/* __data_loc: (length << 16) | offset within the record */
static uint32_t loc(size_t off, size_t len)
{
	return (uint32_t)((len << 16) | off);
}

static void rec_map_phys(struct rec *r, int pid, const char *dev, uint64_t phys, uint64_t dma,
			 uint64_t size, unsigned int dir, uint64_t attrs)
{
	size_t devlen = strlen(dev) + 1;

	common(&r->data, ID_MAP_PHYS, pid);
	put_uint(&r->data, loc(56, devlen), 4);
	put_uint(&r->data, 0, 4);
	put_uint(&r->data, phys, 8);
	put_uint(&r->data, dma, 8);
	put_uint(&r->data, size, 8);
	put_uint(&r->data, dir, 4);
	put_uint(&r->data, 0, 4);
	put_uint(&r->data, attrs, 8);
	put(&r->data, dev, devlen);
}

static void rec_map_sg(struct rec *r, int pid, const char *dev, const uint64_t *phys,
		       int nents, int full_nents, const uint64_t *dma, const uint32_t *lens,
		       int ents, int full_ents, unsigned int dir)
{
	size_t devlen = strlen(dev) + 1, off = 56;
	size_t phys_off, dma_off, len_off;
	int i;

	phys_off = off + devlen;
	phys_off = (phys_off + 7) & ~(size_t)7;
	dma_off = phys_off + 8 * (size_t)nents;
	len_off = dma_off + 8 * (size_t)ents;

	common(&r->data, ID_MAP_SG, pid);
	put_uint(&r->data, loc(off, devlen), 4);
	put_uint(&r->data, loc(phys_off, 8 * (size_t)nents), 4);
	put_uint(&r->data, loc(dma_off, 8 * (size_t)ents), 4);
	put_uint(&r->data, loc(len_off, 4 * (size_t)ents), 4);
	put_uint(&r->data, (uint32_t)nents, 4);
	put_uint(&r->data, (uint32_t)full_nents, 4);
	put_uint(&r->data, (uint32_t)ents, 4);
	put_uint(&r->data, (uint32_t)full_ents, 4);
	put_uint(&r->data, dir, 4);
	put_uint(&r->data, 0, 4);
	put_uint(&r->data, 0, 8);
	put(&r->data, dev, devlen);
	while (r->data.len < phys_off)
		put_uint(&r->data, 0, 1);
	for (i = 0; i < nents; i++)
		put_uint(&r->data, phys[i], 8);
	for (i = 0; i < ents; i++)
		put_uint(&r->data, dma[i], 8);
	for (i = 0; i < ents; i++)
		put_uint(&r->data, lens[i], 4);
}

static void rec_irq(struct rec *r, int irq, const char *name)
{
	size_t len = strlen(name) + 1;

	common(&r->data, ID_IRQ, 0);
	put_uint(&r->data, (uint32_t)irq, 4);
	put_uint(&r->data, loc(16, len), 4);
	put(&r->data, name, len);
}

/* One CPU's records (in time order) as ring-buffer pages. */
static void cpu_pages(struct buf *out, struct rec *recs, unsigned int nr, int cpu)
{
	struct buf page = { 0 };
	uint64_t prev = 0;
	bool open = false;
	unsigned int i;

	for (i = 0; i <= nr; i++) {
		struct rec *r = i < nr ? &recs[i] : NULL;
		size_t payload = 0, evlen = 0;

		if (r && r->cpu != cpu)
			continue;
		if (r) {
			payload = (r->data.len + 3) & ~(size_t)3;
			evlen = 4 + (payload > 112 ? 4 : 0) + payload;
		}
		if (open && (!r || page.len + evlen > DAT_PAGE)) {
			uint64_t commit = page.len - 16;

			/* CPU 0's first page says the kernel dropped events before it */
			if (cpu == 0 && !out->len)
				commit |= 1ull << 31;

			memcpy(page.p + 8, &commit, 8);	/* little-endian host */
			while (page.len < DAT_PAGE)
				put_uint(&page, 0, 1);
			put(out, page.p, page.len);
			page.len = 0;
			open = false;
		}
		if (!r)
			break;
		if (!open) {
			put_uint(&page, r->ts, 8);	/* the page's base time */
			put_uint(&page, 0, 8);		/* commit, filled when closed */
			prev = r->ts;
			open = true;
		}
		W_CHECK(r->ts - prev < (1u << 27));
		if (payload > 112) {
			put_uint(&page, (uint32_t)((r->ts - prev) << 5), 4);	/* type_len 0 */
			put_uint(&page, payload + 4, 4);
		} else {
			put_uint(&page, (uint32_t)(((r->ts - prev) << 5) | (payload / 4)), 4);
		}
		put(&page, r->data.p, r->data.len);
		while (page.len % 4)
			put_uint(&page, 0, 1);
		prev = r->ts;
	}
	free(page.p);
}

static void write_dat(const char *path, struct rec *recs, unsigned int nr, unsigned int nr_cpus)
{
	struct buf f = { 0 }, data[2] = { { 0 } };
	size_t table, start;
	unsigned int cpu;
	FILE *fp;

	put(&f, "\x17\x08\x44tracing", 10);
	put_str0(&f, "6");
	put_uint(&f, 0, 1);		/* little endian */
	put_uint(&f, 8, 1);		/* long size */
	put_uint(&f, DAT_PAGE, 4);
	put_str0(&f, "header_page");
	put_sized8(&f, header_page);
	put_str0(&f, "header_event");
	put_sized8(&f, header_event);
	put_uint(&f, 0, 4);		/* ftrace events */
	put_uint(&f, 2, 4);		/* event systems */
	put_str0(&f, "dma");
	put_uint(&f, 2, 4);
	put_sized8(&f, fmt_map_phys);
	put_sized8(&f, fmt_map_sg);
	put_str0(&f, "irq");
	put_uint(&f, 1, 4);
	put_sized8(&f, fmt_irq);
	put_uint(&f, 0, 4);		/* kallsyms */
	put_uint(&f, 0, 4);		/* printk formats */
	put_sized8(&f, "1204 sshd\n88 kworker/u16:3\n");
	put_uint(&f, nr_cpus, 4);
	put(&f, "flyrecord", 10);
	table = f.len;
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		put_uint(&f, 0, 8);
		put_uint(&f, 0, 8);
	}
	for (cpu = 0; cpu < nr_cpus; cpu++)
		cpu_pages(&data[cpu], recs, nr, (int)cpu);
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		uint64_t off, size = data[cpu].len;

		while (f.len % DAT_PAGE)
			put_uint(&f, 0, 1);
		start = f.len;
		off = start;
		memcpy(f.p + table + 16 * cpu, &off, 8);
		memcpy(f.p + table + 16 * cpu + 8, &size, 8);
		if (size)
			put(&f, data[cpu].p, data[cpu].len);
		free(data[cpu].p);
	}
	fp = fopen(path, "wb");
	W_CHECK_PTR(fp);
	W_CHECK_EQ(fwrite(f.p, 1, f.len, fp), f.len);
	W_CHECK_EQ(fclose(fp), 0);
	free(f.p);
}

/* --- the scenario ----------------------------------------------------------- */


static struct rec recs[6];

int tracedat_write_sample(char *dat_path, size_t path_len)
{
	static uint64_t phys[NR_SG], dma[NR_SG];
	static uint32_t lens[NR_SG];
	unsigned int i;
	int fd;

	snprintf(dat_path, path_len, "test-sim-tracedat-XXXXXX");
	fd = mkstemp(dat_path);
	if (fd < 0)
		return -1;
	close(fd);
	for (i = 0; i < NR_SG; i++) {
		phys[i] = 0x240000000ull + i * 0x3000;
		dma[i] = 0xfe000000ull + i * 0x1000;
		lens[i] = 0x1000;
	}
	memset(recs, 0, sizeof(recs));
	/* CPU 1 and CPU 0 interleave in time */
	recs[0].cpu = 1;
	recs[0].ts = 812000201000ull;
	rec_map_phys(&recs[0], 1204, "0000:01:00.0", 0x1f2c40000ull, 0xffeff000ull, 2048, 2, 0);
	recs[1].cpu = 0;
	recs[1].ts = 812000202000ull;
	rec_irq(&recs[1], 52, "eth0");
	recs[2].cpu = 1;
	recs[2].ts = 812000203500ull;
	rec_map_phys(&recs[2], 1204, "0000:01:00.0", 0x2b0731f20ull, 0xffefc000ull, 1448, 1, 0x22);
	recs[3].cpu = 0;
	recs[3].ts = 812000204000ull;
	rec_map_sg(&recs[3], 88, "nvme0n1", phys, REC_SG, NR_SG, dma, lens, REC_SG, NR_SG, 2);
	recs[4].cpu = 0;
	recs[4].ts = 812000204100ull;
	rec_map_sg(&recs[4], 88, "nvme0n1", phys, 3, 3, dma, lens, 1, 1, 1);
	recs[5].cpu = 1;
	recs[5].ts = 812000300000ull;
	rec_map_phys(&recs[5], 0, "0000:01:00.0", 0x1000ull, ~0ull, 4096, 1, 0);
	write_dat(dat_path, recs, 6, 2);
	for (i = 0; i < 6; i++)
		free(recs[i].data.p);
	return 0;
}
