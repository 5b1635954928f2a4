// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * A trace-cmd version 6 trace.dat writer for the tests (tracedat_writer.h):
 * header pages, event formats of the dma system (as 6.18 or 6.12 declares
 * them) and of irq_handler_entry, saved cmdlines, and each CPU's
 * ring-buffer pages with small and large records, time-extend events and
 * lost-event flags.  Shared by test_sim_tracedat.c, make_tracedat.c (the
 * CLI's round trip) and the fuzz harness fuzz_tracedat.c, which writes a
 * trace of its own per input with tracedat_build().  Why a writer of our
 * own: libtracecmd 1.3 (Debian 12) installs no header for its output API,
 * and that API copies event formats and ring-buffer pages from a live
 * tracefs; it cannot make records.
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
#define ID_UNMAP_PHYS	1003
#define ID_SYNC_CPU	1004
#define ID_SYNC_DEVICE	1005
#define ID_UNMAP_SG	1006
#define ID_IRQ		2001
#define ID_UNDECLARED	2999	/* no format in the file has this ID */
#define TS_BITS		27	/* a record header's time delta */

/* --- a growable byte buffer, little-endian writers ----------------------------- */

static void put(struct tracedat_buf *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		b->cap = (b->len + len) * 2 + 4096;
		b->p = realloc(b->p, b->cap);
		W_CHECK_PTR(b->p);
	}
	memcpy(b->p + b->len, data, len);
	b->len += len;
}

static void put_uint(struct tracedat_buf *b, uint64_t v, unsigned int bytes)
{
	unsigned char le[8];
	unsigned int i;

	for (i = 0; i < bytes; i++)
		le[i] = (unsigned char)(v >> (8 * i));
	put(b, le, bytes);
}

static void put_str0(struct tracedat_buf *b, const char *s)
{
	put(b, s, strlen(s) + 1);
}

static void put_sized8(struct tracedat_buf *b, const char *text)
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

/* Every attrs= name the kernel prints; bit 0 has none (printed as a number). */
#define ATTR_FLAGS \
	"__print_flags(REC->attrs, \"|\", { 0x2, \"WEAK_ORDERING\" }, { 0x4, \"WRITE_COMBINE\" }, " \
	"{ 0x10, \"NO_KERNEL_MAPPING\" }, { 0x20, \"SKIP_CPU_SYNC\" }, " \
	"{ 0x40, \"FORCE_CONTIGUOUS\" }, { 0x80, \"ALLOC_SINGLE_PAGES\" }, " \
	"{ 0x100, \"NO_WARN\" }, { 0x200, \"PRIVILEGED\" }, { 0x400, \"MMIO\" }, " \
	"{ 0x800, \"CACHE_CLEAN\" })"

#define U64_ARRAY(f) \
	"__print_array(__get_dynamic_array(" f "), __get_dynamic_array_len(" f ") / 8, 8)"

/* dma_map_phys; dma_map_page before 6.17, the same layout. */
#define FMT_MAP_PHYS(name)							\
	"name: " name "\nID: 1001\nformat:\n" COMMON_FIELDS			\
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"	\
	"\tfield:u64 phys_addr;\toffset:16;\tsize:8;\tsigned:0;\n"		\
	"\tfield:u64 dma_addr;\toffset:24;\tsize:8;\tsigned:0;\n"		\
	"\tfield:size_t size;\toffset:32;\tsize:8;\tsigned:0;\n"		\
	"\tfield:enum dma_data_direction dir;\toffset:40;\tsize:4;\tsigned:0;\n" \
	"\tfield:unsigned long attrs;\toffset:48;\tsize:8;\tsigned:0;\n\n"	\
	"print fmt: \"%s dir=%s dma_addr=%llx size=%zu phys_addr=%llx attrs=%s\", " \
	"__get_str(device), " DIR_SYMBOLS ", REC->dma_addr, REC->size, REC->phys_addr, " \
	ATTR_FLAGS "\n"

/* dma_map_sg's arrays; 6.13 added the four counts (the record keeps them either way). */
#define MAP_SG_ARRAY_FIELDS							\
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"	\
	"\tfield:__data_loc u64[] phys_addrs;\toffset:12;\tsize:4;\tsigned:0;\n" \
	"\tfield:__data_loc u64[] dma_addrs;\toffset:16;\tsize:4;\tsigned:0;\n"	\
	"\tfield:__data_loc unsigned int[] lengths;\toffset:20;\tsize:4;\tsigned:0;\n"
#define MAP_SG_TAIL_FIELDS							\
	"\tfield:enum dma_data_direction dir;\toffset:40;\tsize:4;\tsigned:0;\n" \
	"\tfield:unsigned long attrs;\toffset:48;\tsize:8;\tsigned:0;\n\n"
#define MAP_SG_ARRAYS								\
	U64_ARRAY("dma_addrs") ", "						\
	"__print_array(__get_dynamic_array(lengths), __get_dynamic_array_len(lengths) / 4, 4), " \
	U64_ARRAY("phys_addrs") ", " ATTR_FLAGS "\n"

static const char fmt_map_sg[] =
	"name: dma_map_sg\nID: 1002\nformat:\n" COMMON_FIELDS MAP_SG_ARRAY_FIELDS
	"\tfield:int nents;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:int full_nents;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\tfield:int ents;\toffset:32;\tsize:4;\tsigned:1;\n"
	"\tfield:int full_ents;\toffset:36;\tsize:4;\tsigned:1;\n"
	MAP_SG_TAIL_FIELDS
	"print fmt: \"%s dir=%s nents=%d/%d ents=%d/%d%s dma_addrs=%s sizes=%s phys_addrs=%s attrs=%s\", "
	"__get_str(device), " DIR_SYMBOLS ", REC->nents, REC->full_nents, REC->ents, REC->full_ents, "
	"REC->full_nents > REC->nents ? \" [TRUNCATED]\" : \"\", " MAP_SG_ARRAYS;

static const char fmt_map_sg_612[] =
	"name: dma_map_sg\nID: 1002\nformat:\n" COMMON_FIELDS MAP_SG_ARRAY_FIELDS
	MAP_SG_TAIL_FIELDS
	"print fmt: \"%s dir=%s dma_addrs=%s sizes=%s phys_addrs=%s attrs=%s\", "
	"__get_str(device), " DIR_SYMBOLS ", " MAP_SG_ARRAYS;

static const char fmt_map_phys[] = FMT_MAP_PHYS("dma_map_phys");
static const char fmt_map_page[] = FMT_MAP_PHYS("dma_map_page");

/* dma_unmap_phys; dma_unmap_page before 6.17. */
#define FMT_UNMAP_PHYS(name)							\
	"name: " name "\nID: 1003\nformat:\n" COMMON_FIELDS			\
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"	\
	"\tfield:u64 dma_addr;\toffset:16;\tsize:8;\tsigned:0;\n"		\
	"\tfield:size_t size;\toffset:24;\tsize:8;\tsigned:0;\n"		\
	"\tfield:enum dma_data_direction dir;\toffset:32;\tsize:4;\tsigned:0;\n" \
	"\tfield:unsigned long attrs;\toffset:40;\tsize:8;\tsigned:0;\n\n"	\
	"print fmt: \"%s dir=%s dma_addr=%llx size=%zu attrs=%s\", "		\
	"__get_str(device), " DIR_SYMBOLS ", REC->dma_addr, REC->size, " ATTR_FLAGS "\n"

static const char fmt_unmap_phys[] = FMT_UNMAP_PHYS("dma_unmap_phys");
static const char fmt_unmap_page[] = FMT_UNMAP_PHYS("dma_unmap_page");

/* The two sync_single events share a layout. */
#define FMT_SYNC_SINGLE(name, id)						\
	"name: " name "\nID: " id "\nformat:\n" COMMON_FIELDS			\
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"	\
	"\tfield:u64 dma_addr;\toffset:16;\tsize:8;\tsigned:0;\n"		\
	"\tfield:size_t size;\toffset:24;\tsize:8;\tsigned:0;\n"		\
	"\tfield:enum dma_data_direction dir;\toffset:32;\tsize:4;\tsigned:0;\n\n" \
	"print fmt: \"%s dir=%s dma_addr=%llx size=%zu\", "			\
	"__get_str(device), " DIR_SYMBOLS ", REC->dma_addr, REC->size\n"

static const char fmt_sync_cpu[] = FMT_SYNC_SINGLE("dma_sync_single_for_cpu", "1004");
static const char fmt_sync_device[] = FMT_SYNC_SINGLE("dma_sync_single_for_device", "1005");

static const char fmt_unmap_sg[] =
	"name: dma_unmap_sg\nID: 1006\nformat:\n" COMMON_FIELDS
	"\tfield:__data_loc char[] device;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:__data_loc u64[] phys_addrs;\toffset:12;\tsize:4;\tsigned:0;\n"
	"\tfield:enum dma_data_direction dir;\toffset:16;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long attrs;\toffset:24;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"%s dir=%s phys_addrs=%s attrs=%s\", "
	"__get_str(device), " DIR_SYMBOLS ", " U64_ARRAY("phys_addrs") ", " ATTR_FLAGS "\n";

#define NR_DMA_FORMATS	6

/* The dma system's formats as 6.18 declares them, and as 6.12 did. */
static const char *const dma_formats[][NR_DMA_FORMATS] = {
	[TRACEDAT_6_18] = { fmt_map_phys, fmt_map_sg, fmt_unmap_phys, fmt_sync_cpu,
			    fmt_sync_device, fmt_unmap_sg },
	[TRACEDAT_6_12] = { fmt_map_page, fmt_map_sg_612, fmt_unmap_page, fmt_sync_cpu,
			    fmt_sync_device, fmt_unmap_sg },
};

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

static void common(struct tracedat_buf *b, unsigned int id, int pid)
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

/* Zero bytes up to offset @off of the record (a field's alignment). */
static void pad_to(struct tracedat_buf *b, size_t off)
{
	while (b->len < off)
		put_uint(b, 0, 1);
}

static void put_u64s(struct tracedat_buf *b, const uint64_t *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		put_uint(b, v[i], 8);
}

/*
 * The single-mapping events' layout: the device's __data_loc, [phys_addr],
 * dma_addr, size, dir, [attrs], then the device name.  @phys or @attrs
 * NULL: the event has no such field.
 */
static void rec_single(struct tracedat_rec *r, unsigned int id, int pid, const char *dev,
		       const uint64_t *phys, uint64_t dma, uint64_t size, unsigned int dir,
		       const uint64_t *attrs)
{
	size_t devlen = strlen(dev) + 1, dev_off = 40 + (phys ? 8 : 0) + (attrs ? 8 : 0);

	common(&r->data, id, pid);
	put_uint(&r->data, loc(dev_off, devlen), 4);
	put_uint(&r->data, 0, 4);
	if (phys)
		put_uint(&r->data, *phys, 8);
	put_uint(&r->data, dma, 8);
	put_uint(&r->data, size, 8);
	put_uint(&r->data, dir, 4);
	put_uint(&r->data, 0, 4);
	if (attrs)
		put_uint(&r->data, *attrs, 8);
	put(&r->data, dev, devlen);
}

void tracedat_rec_map_phys(struct tracedat_rec *r, int pid, const char *dev, uint64_t phys,
			   uint64_t dma, uint64_t size, unsigned int dir, uint64_t attrs)
{
	rec_single(r, ID_MAP_PHYS, pid, dev, &phys, dma, size, dir, &attrs);
}

void tracedat_rec_unmap_phys(struct tracedat_rec *r, int pid, const char *dev, uint64_t dma,
			     uint64_t size, unsigned int dir, uint64_t attrs)
{
	rec_single(r, ID_UNMAP_PHYS, pid, dev, NULL, dma, size, dir, &attrs);
}

void tracedat_rec_sync_single(struct tracedat_rec *r, bool for_device, int pid, const char *dev,
			      uint64_t dma, uint64_t size, unsigned int dir)
{
	rec_single(r, for_device ? ID_SYNC_DEVICE : ID_SYNC_CPU, pid, dev, NULL, dma, size, dir,
		   NULL);
}

void tracedat_rec_map_sg(struct tracedat_rec *r, int pid, const char *dev, const uint64_t *phys,
			 int nents, int full_nents, const uint64_t *dma, const uint32_t *lens,
			 int ents, int full_ents, unsigned int dir, uint64_t attrs)
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
	put_uint(&r->data, attrs, 8);
	put(&r->data, dev, devlen);
	pad_to(&r->data, phys_off);
	put_u64s(&r->data, phys, nents);
	put_u64s(&r->data, dma, ents);
	for (i = 0; i < ents; i++)
		put_uint(&r->data, lens[i], 4);
}

void tracedat_rec_unmap_sg(struct tracedat_rec *r, int pid, const char *dev,
			   const uint64_t *phys, int nents, unsigned int dir, uint64_t attrs)
{
	size_t devlen = strlen(dev) + 1, phys_off = (32 + devlen + 7) & ~(size_t)7;

	common(&r->data, ID_UNMAP_SG, pid);
	put_uint(&r->data, loc(32, devlen), 4);
	put_uint(&r->data, loc(phys_off, 8 * (size_t)nents), 4);
	put_uint(&r->data, dir, 4);
	put_uint(&r->data, 0, 4);
	put_uint(&r->data, attrs, 8);
	put(&r->data, dev, devlen);
	pad_to(&r->data, phys_off);
	put_u64s(&r->data, phys, nents);
}

void tracedat_rec_irq(struct tracedat_rec *r, int irq, const char *name)
{
	size_t len = strlen(name) + 1;

	common(&r->data, ID_IRQ, 0);
	put_uint(&r->data, (uint32_t)irq, 4);
	put_uint(&r->data, loc(16, len), 4);
	put(&r->data, name, len);
}

void tracedat_rec_unknown_id(struct tracedat_rec *r, int pid)
{
	common(&r->data, ID_UNDECLARED, pid);
	put_uint(&r->data, 0, 8);
}

void tracedat_rec_release(struct tracedat_rec *r)
{
	free(r->data.p);
	memset(&r->data, 0, sizeof(r->data));
}

/* Close the open page @page: its commit word, the lost-events flag, the padding. */
static void close_page(struct tracedat_buf *out, struct tracedat_buf *page, bool lost)
{
	uint64_t commit = page->len - 16;

	if (lost)
		commit |= 1ull << 31;	/* events were dropped before this page (count not stored) */
	memcpy(page->p + 8, &commit, 8);	/* little-endian host */
	pad_to(page, DAT_PAGE);
	put(out, page->p, page->len);
	page->len = 0;
}

/*
 * One CPU's records (in time order) as ring-buffer pages.  A delta that
 * does not fit a record header's 27 bits goes before it in a time-extend
 * event (type_len 30: the low 27 bits in its header, the rest in its array
 * word).  @lost_first: the first page says events were dropped before it.
 */
static void cpu_pages(struct tracedat_buf *out, const struct tracedat_rec *recs, unsigned int nr,
		      int cpu, bool lost_first)
{
	struct tracedat_buf page = { 0 };
	bool open = false, first = true;
	uint64_t prev = 0;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		const struct tracedat_rec *r = &recs[i];
		size_t payload, evlen;
		uint64_t delta;

		if (r->cpu != cpu)
			continue;
		W_CHECK(!open || r->ts >= prev);
		payload = (r->data.len + 3) & ~(size_t)3;
		delta = open ? r->ts - prev : 0;
		evlen = 4 + (payload > 112 ? 4 : 0) + payload + (delta >> TS_BITS ? 8 : 0);
		W_CHECK(evlen <= DAT_PAGE - 16);
		if (open && page.len + evlen > DAT_PAGE) {
			close_page(out, &page, lost_first && first);
			first = false;
			open = false;
		}
		if (!open) {
			put_uint(&page, r->ts, 8);	/* the page's base time */
			put_uint(&page, 0, 8);		/* commit, filled when closed */
			prev = r->ts;
			delta = 0;
			open = true;
		}
		if (delta >> TS_BITS) {
			W_CHECK(delta >> TS_BITS >> 32 == 0);
			put_uint(&page, (uint32_t)(((delta & ((1u << TS_BITS) - 1)) << 5) | 30), 4);
			put_uint(&page, delta >> TS_BITS, 4);
			delta = 0;
		}
		if (payload > 112) {
			put_uint(&page, (uint32_t)(delta << 5), 4);	/* type_len 0 */
			put_uint(&page, payload + 4, 4);
		} else {
			put_uint(&page, (uint32_t)((delta << 5) | (payload / 4)), 4);
		}
		put(&page, r->data.p, r->data.len);
		pad_to(&page, (page.len + 3) & ~(size_t)3);
		prev = r->ts;
	}
	if (open)
		close_page(out, &page, lost_first && first);
	free(page.p);
}

void tracedat_build(const struct tracedat_rec *recs, unsigned int nr, unsigned int nr_cpus,
		    unsigned int lost_cpus, enum tracedat_kernel kernel, struct tracedat_buf *f)
{
	struct tracedat_buf data[TRACEDAT_MAX_CPUS] = { { 0 } };
	size_t table, i;
	unsigned int cpu;

	W_CHECK(nr_cpus <= TRACEDAT_MAX_CPUS && (kernel == TRACEDAT_6_18 || kernel == TRACEDAT_6_12));
	memset(f, 0, sizeof(*f));
	put(f, "\x17\x08\x44tracing", 10);
	put_str0(f, "6");
	put_uint(f, 0, 1);		/* little endian */
	put_uint(f, 8, 1);		/* long size */
	put_uint(f, DAT_PAGE, 4);
	put_str0(f, "header_page");
	put_sized8(f, header_page);
	put_str0(f, "header_event");
	put_sized8(f, header_event);
	put_uint(f, 0, 4);		/* ftrace events */
	put_uint(f, 2, 4);		/* event systems */
	put_str0(f, "dma");
	put_uint(f, NR_DMA_FORMATS, 4);
	for (i = 0; i < NR_DMA_FORMATS; i++)
		put_sized8(f, dma_formats[kernel][i]);
	put_str0(f, "irq");
	put_uint(f, 1, 4);
	put_sized8(f, fmt_irq);
	put_uint(f, 0, 4);		/* kallsyms */
	put_uint(f, 0, 4);		/* printk formats */
	put_sized8(f, TRACEDAT_CMDLINES);
	put_uint(f, nr_cpus, 4);
	put(f, "flyrecord", 10);
	table = f->len;
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		put_uint(f, 0, 8);
		put_uint(f, 0, 8);
	}
	for (cpu = 0; cpu < nr_cpus; cpu++)
		cpu_pages(&data[cpu], recs, nr, (int)cpu, lost_cpus & (1u << cpu));
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		uint64_t off, size = data[cpu].len;

		pad_to(f, (f->len + DAT_PAGE - 1) / DAT_PAGE * DAT_PAGE);
		off = f->len;
		memcpy(f->p + table + 16 * cpu, &off, 8);
		memcpy(f->p + table + 16 * cpu + 8, &size, 8);
		if (size)
			put(f, data[cpu].p, data[cpu].len);
		free(data[cpu].p);
	}
}

/* --- the scenario ----------------------------------------------------------- */

static struct tracedat_rec recs[6];

int tracedat_write_sample(char *dat_path, size_t path_len)
{
	static uint64_t phys[NR_SG], dma[NR_SG];
	static uint32_t lens[NR_SG];
	struct tracedat_buf f;
	unsigned int i;
	FILE *fp;
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
	tracedat_rec_map_phys(&recs[0], 1204, "0000:01:00.0", 0x1f2c40000ull, 0xffeff000ull, 2048,
			      2, 0);
	recs[1].cpu = 0;
	recs[1].ts = 812000202000ull;
	tracedat_rec_irq(&recs[1], 52, "eth0");
	recs[2].cpu = 1;
	recs[2].ts = 812000203500ull;
	tracedat_rec_map_phys(&recs[2], 1204, "0000:01:00.0", 0x2b0731f20ull, 0xffefc000ull, 1448,
			      1, 0x22);
	recs[3].cpu = 0;
	recs[3].ts = 812000204000ull;
	tracedat_rec_map_sg(&recs[3], 88, "nvme0n1", phys, REC_SG, NR_SG, dma, lens, REC_SG, NR_SG,
			    2, 0);
	recs[4].cpu = 0;
	recs[4].ts = 812000204100ull;
	tracedat_rec_map_sg(&recs[4], 88, "nvme0n1", phys, 3, 3, dma, lens, 1, 1, 1, 0);
	recs[5].cpu = 1;
	recs[5].ts = 812000300000ull;
	tracedat_rec_map_phys(&recs[5], 0, "0000:01:00.0", 0x1000ull, ~0ull, 4096, 1, 0);
	/* CPU 0's first page says the kernel dropped events before it */
	tracedat_build(recs, 6, 2, 1u << 0, TRACEDAT_6_18, &f);
	for (i = 0; i < 6; i++)
		tracedat_rec_release(&recs[i]);
	fp = fopen(dat_path, "wb");
	W_CHECK_PTR(fp);
	W_CHECK_EQ(fwrite(f.p, 1, f.len, fp), f.len);
	W_CHECK_EQ(fclose(fp), 0);
	free(f.p);
	return 0;
}
