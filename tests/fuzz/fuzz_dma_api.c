// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * fuzz_dma_api - every entry point of the DMA-IOMMU glue, used and misused
 * in sequence: iommu_dma_map_page/unmap_page, iommu_dma_map_sg/unmap_sg,
 * iommu_dma_alloc/free/mmap.  Until the DMA API layer (lib/dma-mapping) and
 * dma-debug exist, the glue is driven directly and its WARNs are the misuse
 * oracle.  Built twice, like fuzz_map_sg: with FUZZ_DMA_API_SEED against the
 * seed's own dma-iommu.c.  Built a third time with FUZZ_DMA_API_GENERIC: the
 * same operations go through the generic DMA API a driver calls
 * (dma_map_page, dma_map_sg, dma_alloc_coherent, dma_mmap_coherent, ...)
 * and arm64's IOMMU dma_ops (lib/dma-mapping, set up on the harness's domain
 * with arch_setup_dma_ops()), with the cache model's maintenance for a
 * non-coherent device; same input format, same oracles.
 *
 * Input: a header (IOMMU granule, device DMA mask, coherency), then
 * operations until the input ends: correct use (map, unmap, alloc, free,
 * mmap, device accesses through live mappings) and misuse (unmapping a
 * handle twice, one never returned, one inside a mapping past its first
 * granule, DMA_ERROR_CODE, or the right handle with a size past the buffer;
 * unmap_sg of a list that is not mapped, or with a smaller nents than was
 * mapped; freeing a buffer twice).  docs/fuzzing.md
 * gives the byte layout.
 *
 * The oracle:
 *  - nothing crashes and BUG() is never hit;
 *  - every misuse produces exactly one WARN, raised by the glue itself: a
 *    WARN from a lower layer's NULL guard (iova_size(NULL), __free_iova(NULL))
 *    marks a place where the kernel would have dereferenced NULL;
 *  - misuse changes nothing: every live mapping still reads back its bytes;
 *  - correct use never WARNs; a device reads a mapped buffer's bytes and a
 *    device write to an allocated buffer shows in its pages and in a user
 *    mapping of them;
 *  - after every operation the IOVA tree and page-table checkers pass, the
 *    mapped bytes and IOVA ranges equal what the live mappings account for;
 *  - after tearing everything down, nothing is mapped and nothing is alive.
 */
#include <string.h>

#include <linux/kernel.h>
#include <linux/dma-iommu.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/iova.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <asm/page.h>
#include <iosim/bus_master.h>
#include <iosim/iova.h>
#include <iosim/vma.h>
#include <iosim/warn.h>
#ifdef FUZZ_DMA_API_GENERIC
#include <iosim/dma.h>
#include <iosim/dma_debug.h>
#endif

#include "fuzz_common.h"
#include "fuzz_sg_pool.h"
#include "fuzz_sim.h"

#define MAX_MAPPINGS	16
#define MAX_STALE	16
#define MAX_SG_ENTS	6
#define MAX_OPS		200
#define BUF_ORDER	2	/* blocks behind map_page and map_sg entries */

enum mkind { M_PAGE, M_SG, M_ALLOC };

struct mapping {
	enum mkind kind;
	dma_addr_t handle;
	size_t size;			/* the caller's bytes */
	u64 mapped_bytes;		/* what the map added to the page tables */
	enum dma_data_direction dir;
	int prot;
	/* M_PAGE and M_SG: the memory behind it */
	struct page *block;
	unsigned int offset;
	/* M_SG */
	struct scatterlist *sgl;
	int nents, count;
	/* M_ALLOC */
	struct page **pages;		/* the glue's page array */
	void *cpu;			/* the generic API's CPU address */
};

static struct api_state {
	struct fuzz_sim sim;
	struct iova_domain *iovad;
	bool coherent;
	unsigned long initial_ranges;
	struct mapping live[MAX_MAPPINGS];
	unsigned int nr_live;
	struct mapping stale[MAX_STALE];	/* torn down; their handles are stale */
	unsigned int nr_stale;
	u64 mapped_bytes;
	unsigned long nr_flushes;	/* flush_page calls of iommu_dma_alloc() */
	unsigned char buf[4 * PAGE_SIZE << BUF_ORDER];
} S;

/*
 * The calls under test: the glue's own entry points, or (FUZZ_DMA_API_GENERIC)
 * the generic DMA API over arm64's IOMMU dma_ops.
 */
#ifdef FUZZ_DMA_API_GENERIC
#define API(glue, generic)	generic
#else
#define API(glue, generic)	glue
#endif

static dma_addr_t api_map_page(struct mapping *m);
static int api_map_sg(struct mapping *m);
static void api_unmap_page(dma_addr_t handle, size_t size, enum dma_data_direction dir);
static void api_unmap_sg(struct scatterlist *sgl, int nents, enum dma_data_direction dir);

/* -- bookkeeping ------------------------------------------------------------- */

static void forget_stale(struct mapping *m)
{
	if (m->kind == M_SG)
		fuzz_sg_put(m->sgl);
	if (m->kind != M_ALLOC && m->block)
		__free_pages(m->block, BUF_ORDER);
}

/* @m was torn down: keep it as a stale handle (its memory is kept until it ages out). */
static void retire(unsigned int idx)
{
	struct mapping *m = &S.live[idx];

	S.mapped_bytes -= m->mapped_bytes;
	if (S.nr_stale == MAX_STALE) {
		forget_stale(&S.stale[0]);
		memmove(&S.stale[0], &S.stale[1], sizeof(S.stale[0]) * (MAX_STALE - 1));
		S.nr_stale--;
	}
	S.stale[S.nr_stale++] = *m;
	S.live[idx] = S.live[--S.nr_live];
}

static u64 mapped_now(void)
{
	return fuzz_sim_mapped_bytes(&S.sim);
}

static unsigned long iova_ranges(void)
{
	return iosim_iova_nr_ranges(S.iovad);
}

FUZZ_NO_COVERAGE
static void check_state(const char *after)
{
	u64 mapped = mapped_now();

	FUZZ_CHECK(iosim_bug_count() == 0, "bug: BUG() hit by %s: %s", after, fuzz_last_warn());
	FUZZ_CHECK(iosim_iova_check(S.iovad) == 0,
		   "iova-check: iosim_iova_check failed after %s: %s", after, fuzz_last_warn());
	fuzz_sim_check(&S.sim, after);
	FUZZ_CHECK(mapped == S.mapped_bytes,
		   "mapped-bytes: after %s %#llx bytes are mapped, the live mappings account for %#llx",
		   after, (unsigned long long)mapped, (unsigned long long)S.mapped_bytes);
	FUZZ_CHECK(iova_ranges() == S.initial_ranges + S.nr_live,
		   "iova-ranges: after %s the IOVA tree holds %lu ranges for %u live mappings (+%lu)",
		   after, iova_ranges(), S.nr_live, S.initial_ranges);
}

/*
 * A misuse must WARN exactly once, from the glue: a lower layer's NULL guard
 * firing means the kernel would have dereferenced NULL there.
 */
static void expect_misuse_warn(unsigned long before, const char *what)
{
	FUZZ_CHECK(iosim_bug_count() == 0, "bug: %s hit BUG(): %s", what, fuzz_last_warn());
	FUZZ_CHECK(!iosim_warn_seen("NULL iova"),
		   "null-deref: %s reached a lower layer's NULL guard (%s): the kernel dereferences NULL here",
		   what, fuzz_last_warn());
	fuzz_expect_warns(before, 1, what);
	iosim_warn_reset();
#ifdef FUZZ_DMA_API_GENERIC
	/* Through the generic API, DMA-API debugging must have caught it too. */
	FUZZ_CHECK(iosim_dma_debug_total() >= 1,
		   "debug-missed: %s made no DMA-API debug report", what);
	iosim_dma_debug_clear();
#endif
}

/* Correct use is never reported by DMA-API debugging (generic API only). */
static void expect_no_debug_report(const char *what)
{
#ifdef FUZZ_DMA_API_GENERIC
	struct iosim_dma_debug_report r;

	if (iosim_dma_debug_total() && iosim_dma_debug_last(&r))
		FUZZ_CHECK(0, "debug-false: %s (correct use) was reported: %s", what, r.message);
#else
	(void)what;
#endif
}

/* The device reads mapping @m's bytes back (when its direction allows reads). */
FUZZ_NO_COVERAGE
static void check_reads_back(const struct mapping *m, const char *when)
{
	size_t n = min_t(size_t, m->size, sizeof(S.buf));
	const unsigned char *cpu;
	int ret;

	if (!(m->prot & IOMMU_READ) || m->kind == M_SG)
		return;
#ifdef FUZZ_DMA_API_GENERIC
	/* The buffer's CPU address shows it whole, as the device sees it. */
	cpu = m->kind == M_PAGE ? (unsigned char *)page_address(m->block) + m->offset : m->cpu;
#else
	cpu = m->kind == M_PAGE ? (unsigned char *)page_address(m->block) + m->offset :
				   page_address(m->pages[0]);
	if (m->kind == M_ALLOC)
		n = min_t(size_t, n, PAGE_SIZE);	/* pages need not be contiguous */
#endif
	ret = iosim_dma_read(S.sim.dev, m->handle, S.buf, n);
	fuzz_digest_add(&ret, sizeof(ret));
	fuzz_digest_add(S.buf, n);
	FUZZ_CHECK(ret == 0 && !fuzz_bytes_differ(S.buf, cpu, n),
		   "dma-data: %s the device %s mapping %#llx (%zu bytes)", when,
		   ret ? "faults reading" : "reads other bytes from",
		   (unsigned long long)m->handle, n);
}

FUZZ_NO_COVERAGE
static void check_all_live(const char *when)
{
	unsigned int i;

	for (i = 0; i < S.nr_live; i++)
		check_reads_back(&S.live[i], when);
}

/* -- correct use ------------------------------------------------------------------ */

static enum dma_data_direction get_dir(struct fuzz_input *in)
{
	static const enum dma_data_direction dirs[] = { DMA_BIDIRECTIONAL, DMA_TO_DEVICE,
							DMA_FROM_DEVICE };

	return FUZZ_PICK(in, dirs);
}

/*
 * Byte i of what the device writes through a user mapping: i ^ 0x5a.  Kept
 * out of the coverage instrumentation: its loop's compares, traced once per
 * byte, were 4.7 % of a campaign's samples.
 */
FUZZ_FILL
static void fill_mmap_pattern(unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)(i ^ 0x5a);
}

/*
 * Byte i of a block is i * 13 + (i >> 8) + nr_stale (mod 256).  Within each
 * run of 256 bytes that is 13 * (i % 256) plus a constant: one table, added
 * to a run at a time, in a loop the compiler vectorises (the byte-wise
 * formula was a third of fuzz_dma_api's instructions).
 */
FUZZ_FILL
static void fill_block(unsigned char *virt)
{
	static unsigned char steps[256];
	size_t run, r;

	if (!steps[1])
		for (r = 0; r < 256; r++)
			steps[r] = (unsigned char)(r * 13);
	for (run = 0; run < (PAGE_SIZE << BUF_ORDER) / 256; run++) {
		unsigned char add = (unsigned char)(run + S.nr_stale);

		for (r = 0; r < 256; r++)
			virt[run * 256 + r] = (unsigned char)(steps[r] + add);
	}
}

static struct page *new_block(void)
{
	/* Filled below: __GFP_ZERO spares fresh frames the allocation poison. */
	struct page *block = alloc_pages(GFP_KERNEL | __GFP_ZERO, BUF_ORDER);
	phys_addr_t phys;

	FUZZ_CHECK(block, "harness: no memory for a buffer");
	phys = page_to_phys(block);
	fuzz_digest_add(&phys, sizeof(phys));
	fill_block(page_address(block));
	return block;
}

static void op_map_page(struct fuzz_input *in)
{
	struct mapping m = { .kind = M_PAGE };
	unsigned long before = fuzz_warns();
	u64 mapped_before = mapped_now();

	m.dir = get_dir(in);
	m.prot = dma_direction_to_prot(m.dir, S.coherent);
	m.offset = fuzz_get_u16(in) % (PAGE_SIZE << BUF_ORDER);
	m.size = 1 + fuzz_get_u16(in) % ((PAGE_SIZE << BUF_ORDER) - m.offset);
	if (S.nr_live == MAX_MAPPINGS)
		return;
	m.block = new_block();
	m.handle = api_map_page(&m);
	fuzz_digest_add(&m.handle, sizeof(m.handle));
	fuzz_expect_warns(before, 0, API("iommu_dma_map_page", "dma_map_page"));
	FUZZ_CHECK(m.handle != DMA_ERROR_CODE, "map-page: %s failed (%zu bytes)",
		   API("iommu_dma_map_page", "dma_map_page"), m.size);
	FUZZ_CHECK(!API(iommu_dma_mapping_error, dma_mapping_error)(S.sim.dev, m.handle),
		   "map-page: mapping_error() calls handle %#llx an error",
		   (unsigned long long)m.handle);
	m.mapped_bytes = mapped_now() - mapped_before;
	FUZZ_CHECK(m.mapped_bytes == ALIGN((page_to_phys(m.block) + m.offset) % S.sim.granule +
					   m.size, S.sim.granule),
		   "map-page: %#llx bytes mapped for %zu bytes at offset %u",
		   (unsigned long long)m.mapped_bytes, m.size, m.offset);
	S.mapped_bytes += m.mapped_bytes;
	S.live[S.nr_live++] = m;
	check_reads_back(&m, "after iommu_dma_map_page");
}

static void op_map_sg(struct fuzz_input *in)
{
	struct mapping m = { .kind = M_SG };
	unsigned long before = fuzz_warns();
	u64 mapped_before = mapped_now();
	unsigned int pos = 0;
	struct scatterlist *s;
	int i;

	m.dir = get_dir(in);
	m.prot = dma_direction_to_prot(m.dir, S.coherent);
	m.nents = 1 + fuzz_get_u8(in) % MAX_SG_ENTS;
	if (S.nr_live == MAX_MAPPINGS)
		return;
	m.block = new_block();
	m.sgl = fuzz_sg_get(m.nents);
	sg_init_table(m.sgl, m.nents);
	for_each_sg(m.sgl, s, m.nents, i) {
		unsigned int gap = fuzz_get_u8(in) % 64, len = 1 + fuzz_get_u16(in) % PAGE_SIZE;

#ifdef FUZZ_DMA_API_GENERIC
		/*
		 * Entries the device may write must not share a cache line with
		 * another (DMA-API debugging reports that, rightly): start each
		 * on a fresh 128-byte line unless the list is transmit-only.
		 */
		if (m.dir != DMA_TO_DEVICE)
			gap += (unsigned int)(ALIGN(pos + gap, 128) - (pos + gap));
#endif
		if (pos + gap + len > (PAGE_SIZE << BUF_ORDER)) {
#ifdef FUZZ_DMA_API_GENERIC
			/* No room left: end the list here (a 1-byte entry at 0 would share a line). */
			if (i && m.dir != DMA_TO_DEVICE) {
				sg_mark_end(s - 1);
				m.nents = i;
				break;
			}
#endif
			gap = len = 0;
		}
		pos += gap;
		sg_set_page(s, m.block, len ? len : 1, len ? pos : 0);
		pos += len;
		m.size += s->length;
	}
	m.count = api_map_sg(&m);
	fuzz_digest_add(&m.count, sizeof(m.count));
	fuzz_expect_warns(before, 0, API("iommu_dma_map_sg", "dma_map_sg"));
	FUZZ_CHECK(m.count > 0 && m.count <= m.nents, "map-sg: %s returned %d of %d",
		   API("iommu_dma_map_sg", "dma_map_sg"), m.count, m.nents);
	m.handle = sg_dma_address(m.sgl);
	fuzz_digest_add(&m.handle, sizeof(m.handle));
	m.mapped_bytes = mapped_now() - mapped_before;
	S.mapped_bytes += m.mapped_bytes;
	S.live[S.nr_live++] = m;
}

#ifndef FUZZ_DMA_API_GENERIC
/* The arch's cache clean for a page of a non-coherent buffer (the glue's caller's job). */
static void fuzz_flush_page(struct device *dev, const void *virt, phys_addr_t phys)
{
	FUZZ_CHECK(virt && phys_to_virt(phys) == virt && !(phys & (PAGE_SIZE - 1)),
		   "alloc: flush_page called for %p / %#llx", virt, (unsigned long long)phys);
	S.nr_flushes++;
}
#endif

static void op_alloc(struct fuzz_input *in)
{
	struct mapping m = { .kind = M_ALLOC };
	unsigned long before = fuzz_warns();
	u64 mapped_before = mapped_now();

	m.dir = DMA_BIDIRECTIONAL;
	m.prot = dma_direction_to_prot(m.dir, S.coherent);
	m.size = 1 + fuzz_get_u16(in) % (4 * PAGE_SIZE);
	if (fuzz_get_bool(in))
		m.size = PAGE_ALIGN(m.size);
	if (S.nr_live == MAX_MAPPINGS)
		return;
	S.nr_flushes = 0;
#ifdef FUZZ_DMA_API_GENERIC
	m.cpu = dma_alloc_coherent(S.sim.dev, m.size, &m.handle, GFP_KERNEL);
	fuzz_expect_warns(before, 0, "dma_alloc_coherent");
	FUZZ_CHECK(m.cpu && m.handle != DMA_ERROR_CODE,
		   "alloc: dma_alloc_coherent of %zu bytes failed", m.size);
#else
	m.pages = iommu_dma_alloc(S.sim.dev, m.size, GFP_KERNEL | __GFP_ZERO, m.prot, &m.handle,
				  fuzz_flush_page);
	fuzz_expect_warns(before, 0, "iommu_dma_alloc");
	/* Buffers are built of whole pages, and of whole granules above PAGE_SIZE. */
	FUZZ_CHECK(S.coherent ||
		   S.nr_flushes == ALIGN(m.size, max(PAGE_SIZE, S.sim.granule)) >> PAGE_SHIFT,
		   "alloc: %lu pages flushed for a non-coherent buffer of %zu bytes", S.nr_flushes,
		   m.size);
	FUZZ_CHECK(m.pages && m.handle != DMA_ERROR_CODE,
		   "alloc: iommu_dma_alloc of %zu bytes failed", m.size);
#endif
	fuzz_digest_add(&m.handle, sizeof(m.handle));
	m.mapped_bytes = mapped_now() - mapped_before;
	FUZZ_CHECK(m.mapped_bytes >= m.size &&
		   m.mapped_bytes <= ALIGN(m.size, max(PAGE_SIZE, S.sim.granule)),
		   "alloc: %#llx bytes mapped for a buffer of %zu",
		   (unsigned long long)m.mapped_bytes, m.size);
	S.mapped_bytes += m.mapped_bytes;
	S.live[S.nr_live++] = m;
	check_reads_back(&m, "after iommu_dma_alloc");
}

static int pick_live(struct fuzz_input *in, int kind)
{
	unsigned int start = fuzz_get_u8(in), i;

	for (i = 0; i < S.nr_live; i++) {
		unsigned int idx = (start + i) % S.nr_live;

		if (kind < 0 || S.live[idx].kind == (enum mkind)kind)
			return (int)idx;
	}
	return -1;
}

static void teardown_one(unsigned int idx)
{
	struct mapping *m = &S.live[idx];
	unsigned long before = fuzz_warns();
	unsigned char byte;

	switch (m->kind) {
	case M_PAGE:
		api_unmap_page(m->handle, m->size, m->dir);
		break;
	case M_SG:
		api_unmap_sg(m->sgl, m->nents, m->dir);
		break;
	case M_ALLOC:
#ifdef FUZZ_DMA_API_GENERIC
		dma_free_coherent(S.sim.dev, m->size, m->cpu, m->handle);
#else
		iommu_dma_free(S.sim.dev, m->pages, m->size, &m->handle);
#endif
		break;
	}
	FUZZ_CHECK(iosim_bug_count() == 0, "bug: tearing down a mapping hit BUG(): %s",
		   fuzz_last_warn());
	fuzz_expect_warns(before, 0, m->kind == M_PAGE ? API("iommu_dma_unmap_page", "dma_unmap_page") :
				      m->kind == M_SG ? API("iommu_dma_unmap_sg", "dma_unmap_sg") :
				      API("iommu_dma_free", "dma_free_coherent"));
	if (m->kind == M_ALLOC) {
#ifdef FUZZ_DMA_API_GENERIC
		/* The generic API leaves the handle alone: the device must fault on it. */
		FUZZ_CHECK(iosim_dma_read(S.sim.dev, m->handle, &byte, 1) == -EFAULT,
			   "stale: the device still reads %#llx after it was freed",
			   (unsigned long long)m->handle);
		iosim_iommu_clear_faults(S.sim.iommu);
		FUZZ_CHECK(iosim_dma_debug_count(IOSIM_DMA_DEBUG_DEVICE_NO_MAPPING) == 1,
			   "debug-missed: the device read freed %#llx unreported",
			   (unsigned long long)m->handle);
		iosim_dma_debug_clear();
#else
		FUZZ_CHECK(m->handle == DMA_ERROR_CODE,
			   "free: iommu_dma_free left the handle %#llx",
			   (unsigned long long)m->handle);
#endif
	} else {
		FUZZ_CHECK(iosim_dma_read(S.sim.dev, m->handle, &byte, 1) == -EFAULT,
			   "stale: the device still reads %#llx after it was unmapped",
			   (unsigned long long)m->handle);
		iosim_iommu_clear_faults(S.sim.iommu);
#ifdef FUZZ_DMA_API_GENERIC
		FUZZ_CHECK(iosim_dma_debug_count(IOSIM_DMA_DEBUG_DEVICE_NO_MAPPING) == 1,
			   "debug-missed: the device read unmapped %#llx unreported",
			   (unsigned long long)m->handle);
		iosim_dma_debug_clear();
#endif
	}
	retire(idx);
}

static void op_teardown(struct fuzz_input *in, int kind)
{
	int idx = pick_live(in, kind);

	if (idx >= 0)
		teardown_one((unsigned int)idx);
}

static void op_mmap(struct fuzz_input *in)
{
	int idx = pick_live(in, M_ALLOC);
	unsigned long before = fuzz_warns();
	struct vm_area_struct *vma;
	struct mapping *m;
	size_t n;
	int ret;

	if (idx < 0)
		return;
	m = &S.live[idx];
	vma = iosim_vma_create(m->size, 0);
	FUZZ_CHECK(vma, "harness: iosim_vma_create failed");
#ifdef FUZZ_DMA_API_GENERIC
	ret = dma_mmap_coherent(S.sim.dev, vma, m->cpu, m->handle, m->size);
#else
	ret = iommu_dma_mmap(m->pages, m->size, vma);
#endif
	fuzz_expect_warns(before, 0, API("iommu_dma_mmap", "dma_mmap_coherent"));
	FUZZ_CHECK(ret == 0, "mmap: %s of %zu bytes failed: %d",
		   API("iommu_dma_mmap", "dma_mmap_coherent"), m->size, ret);
	FUZZ_CHECK(iosim_vma_check(vma) == 0, "vma-check: %s", fuzz_last_warn());
	/* A device write shows in the user mapping. */
	n = min_t(size_t, m->size, PAGE_SIZE);
	fill_mmap_pattern(S.buf, n);
	ret = iosim_dma_write(S.sim.dev, m->handle, S.buf, n);
	FUZZ_CHECK(ret == 0, "dma-write: the device faults writing buffer %#llx",
		   (unsigned long long)m->handle);
	FUZZ_CHECK(!fuzz_bytes_differ((void *)vma->vm_start, S.buf, n) &&
		   !fuzz_bytes_differ(API(page_address(m->pages[0]), m->cpu), S.buf, n),
		   "mmap-data: the device's write to %#llx does not show in the pages or the user mapping",
		   (unsigned long long)m->handle);
	iosim_vma_destroy(vma);
	fuzz_expect_warns(before, 0, "iosim_vma_destroy");
}

/* -- misuse ------------------------------------------------------------------------ */

/* Where does @handle fall?  0: nowhere; 1: a live allocation's first granule; 2: further in. */
static int handle_lands(dma_addr_t handle)
{
	unsigned long shift = __ffs(S.sim.granule);
	struct iova *iova;

	if (handle == DMA_ERROR_CODE)
		return 0;
	iova = find_iova(S.iovad, (unsigned long)(handle >> shift));
	if (!iova)
		return 0;
	return iova->pfn_lo == handle >> shift ? 1 : 2;
}

/*
 * Does DMA-API debugging hold an entry at @addr for a live mapping (a page,
 * an allocation, or any segment of a list)?  An unmap naming that address
 * takes the entry away, as the kernel's check_unmap() does whatever else it
 * reports, and later correct use of that mapping would be reported: a misuse
 * that would name one is not made.  Only the generic build has DMA-API
 * debugging.
 */
static bool debug_tracks(dma_addr_t addr)
{
#ifdef FUZZ_DMA_API_GENERIC
	struct scatterlist *s;
	unsigned int k;
	int i;

	for (k = 0; k < S.nr_live; k++) {
		const struct mapping *m = &S.live[k];

		if (m->kind != M_SG) {
			if (m->handle == addr)
				return true;
			continue;
		}
		for_each_sg(m->sgl, s, m->count, i)
			if (sg_dma_address(s) == addr)
				return true;
	}
#else
	(void)addr;
#endif
	return false;
}

/* Would unmapping @nents entries of @sgl name a live entry of DMA-API debugging? */
static bool debug_tracks_list(struct scatterlist *sgl, int nents)
{
	struct scatterlist *s;
	int i;

	/* It looks up every entry's address (the kernel's does too). */
	for_each_sg(sgl, s, nents, i)
		if (debug_tracks(sg_dma_address(s)))
			return true;
	return false;
}

static void op_bad_unmap_page(struct fuzz_input *in)
{
	unsigned int kind = fuzz_get_choice(in, 4);
	unsigned long before;
	dma_addr_t handle;
	int idx;

	switch (kind) {
	case 0:		/* twice */
		if (!S.nr_stale)
			return;
		handle = S.stale[fuzz_get_u8(in) % S.nr_stale].handle;
		break;
	case 1:		/* never returned */
		handle = ((dma_addr_t)fuzz_get_u32(in) << 8) & DMA_BIT_MASK(32);
		break;
	case 2:		/* inside a mapping, past its first granule */
		idx = pick_live(in, -1);
		if (idx < 0 || S.live[idx].mapped_bytes <= S.sim.granule)
			return;
		handle = (S.live[idx].handle & ~(dma_addr_t)(S.sim.granule - 1)) + S.sim.granule;
		break;
	default:
		handle = DMA_ERROR_CODE;
		break;
	}
	/* A stale handle the IOVA allocator has since handed out again is valid. */
	if (handle_lands(handle) == 1 || debug_tracks(handle))
		return;
	before = fuzz_warns();
	api_unmap_page(handle, PAGE_SIZE, DMA_BIDIRECTIONAL);
	expect_misuse_warn(before, "unmap_page of a handle that is not mapped");
	check_all_live("after a bad unmap_page");
}

/*
 * A page mapping unmapped with a size past its buffer, a driver's wrong
 * length: WARNed by our glue, which tears the mapping down all the same, as
 * the kernel's does.  Through arm64's ops on a non-coherent device the
 * kernel would invalidate that many bytes, past the buffer into whatever
 * the rest of its last granule or the next pages hold; only the buffer may
 * be maintained, which check_state() sees (the simulator's own structures
 * live in that memory too).  The seed's glue does not WARN (nor does the
 * kernel's), and driven directly it maintains nothing: not made there.
 */
static void op_bad_size_unmap(struct fuzz_input *in)
{
	int idx = pick_live(in, M_PAGE);
	size_t past = 1 + fuzz_get_u16(in) % (2 * S.sim.granule);
	unsigned long before;

#ifdef FUZZ_DMA_API_SEED
	return;
#endif
	if (idx < 0)
		return;
	before = fuzz_warns();
	api_unmap_page(S.live[idx].handle, S.live[idx].size + past, S.live[idx].dir);
	expect_misuse_warn(before, "unmap_page with a size past the buffer");
	retire((unsigned int)idx);
	check_all_live("after an unmap_page with a size past the buffer");
}

static void op_bad_unmap_sg(struct fuzz_input *in)
{
	struct scatterlist sg[2];
	unsigned long before;
	int idx;

	switch (fuzz_get_choice(in, 3)) {
	case 0:		/* a list that was never mapped */
		sg_init_table(sg, 2);
		sg_set_page(&sg[0], virt_to_page(S.buf), 64, 0);
		sg_set_page(&sg[1], virt_to_page(S.buf), 64, 64);
		if (debug_tracks_list(sg, 2))
			return;
		before = fuzz_warns();
		api_unmap_sg(sg, 2, DMA_BIDIRECTIONAL);
		expect_misuse_warn(before, "unmap_sg of a list that was never mapped");
		break;
	case 1:		/* twice */
		for (idx = (int)S.nr_stale - 1; idx >= 0 && S.stale[idx].kind != M_SG; idx--)
			;
		if (idx < 0 || handle_lands(sg_dma_address(S.stale[idx].sgl)) == 1)
			return;
		if (debug_tracks_list(S.stale[idx].sgl, S.stale[idx].nents))
			return;
		before = fuzz_warns();
		api_unmap_sg(S.stale[idx].sgl, S.stale[idx].nents, DMA_BIDIRECTIONAL);
		expect_misuse_warn(before, "unmap_sg twice");
		break;
	default:	/* fewer entries than were mapped: the tables disagree, all is unmapped */
#ifdef FUZZ_DMA_API_GENERIC
		/*
		 * DMA-API debugging (as the kernel's) keeps the other segments'
		 * entries, which a later mapping at the same address would meet:
		 * tests/dma-debug covers this misuse instead.
		 */
		return;
#endif
		idx = pick_live(in, M_SG);
		if (idx < 0 || S.live[idx].count < 2)
			return;
		before = fuzz_warns();
		api_unmap_sg(S.live[idx].sgl, 1, DMA_BIDIRECTIONAL);
		expect_misuse_warn(before, "unmap_sg with fewer entries than mapped");
		retire((unsigned int)idx);
		break;
	}
	check_all_live("after a bad unmap_sg");
}

static void op_bad_free(struct fuzz_input *in)
{
	unsigned long before;
	int idx;

	/*
	 * The buffer was freed: the caller passes its old page array again, and
	 * the handle iommu_dma_free() set to DMA_ERROR_CODE.
	 */
	for (idx = (int)S.nr_stale - 1; idx >= 0 && S.stale[idx].kind != M_ALLOC; idx--)
		;
	if (idx < 0)
		return;
	(void)fuzz_get_u8(in);
#ifdef FUZZ_DMA_API_GENERIC
	/* Its IOVA or CPU address handed out again: the call would be valid. */
	if (handle_lands(S.stale[idx].handle) || find_vm_area(S.stale[idx].cpu))
		return;
	before = fuzz_warns();
	dma_free_coherent(S.sim.dev, S.stale[idx].size, S.stale[idx].cpu, S.stale[idx].handle);
#else
	before = fuzz_warns();
	iommu_dma_free(S.sim.dev, S.stale[idx].pages, S.stale[idx].size, &S.stale[idx].handle);
#endif
	expect_misuse_warn(before, "free of a buffer already freed");
	check_all_live("after a bad free");
}

/* -- the calls under test ------------------------------------------------------------ */

static dma_addr_t api_map_page(struct mapping *m)
{
#ifdef FUZZ_DMA_API_GENERIC
	return dma_map_page(S.sim.dev, m->block, m->offset, m->size, m->dir);
#else
	return iommu_dma_map_page(S.sim.dev, m->block, m->offset, m->size, m->prot);
#endif
}

static int api_map_sg(struct mapping *m)
{
#ifdef FUZZ_DMA_API_GENERIC
	return dma_map_sg(S.sim.dev, m->sgl, m->nents, m->dir);
#else
	return iommu_dma_map_sg(S.sim.dev, m->sgl, m->nents, m->prot);
#endif
}

static void api_unmap_page(dma_addr_t handle, size_t size, enum dma_data_direction dir)
{
#ifdef FUZZ_DMA_API_GENERIC
	dma_unmap_page(S.sim.dev, handle, size, dir);
#else
	iommu_dma_unmap_page(S.sim.dev, handle, size, dir, NULL);
#endif
}

static void api_unmap_sg(struct scatterlist *sgl, int nents, enum dma_data_direction dir)
{
#ifdef FUZZ_DMA_API_GENERIC
	dma_unmap_sg(S.sim.dev, sgl, nents, dir);
#else
	iommu_dma_unmap_sg(S.sim.dev, sgl, nents, dir, NULL);
#endif
}

/* -- the entry point ------------------------------------------------------------------- */

static void setup(struct fuzz_input *in)
{
	static const unsigned long granules[] = { SZ_4K, IOSIM_IOMMU_SMALL_PAGE, SZ_16K, SZ_64K };
	static const u64 masks[] = { DMA_BIT_MASK(32), DMA_BIT_MASK(64), DMA_BIT_MASK(40) };
	struct fuzz_sim_config cfg = {};
	unsigned long before;
	int ret;

	cfg.iommu.granule = FUZZ_PICK(in, granules);
#ifdef FUZZ_DMA_API_SEED
	if (cfg.iommu.granule > PAGE_SIZE)
		cfg.iommu.granule = SZ_4K;
#endif
	cfg.dev.dma_mask = FUZZ_PICK(in, masks);
	S.coherent = fuzz_get_bool(in);
	cfg.dev.coherent = S.coherent;
	/* 8 MiB at 4K: 16 live buffers of at most 64 KiB and the page tables. */
	cfg.ram_size = 2048 * PAGE_SIZE;
#ifdef FUZZ_DMA_API_GENERIC
	cfg.cache_model = true;		/* arm64's ops do the maintenance */
#endif
	fuzz_sim_create(&S.sim, &cfg, false);

	before = fuzz_warns();
	ret = iommu_dma_init();
	FUZZ_CHECK(ret == 0, "harness: iommu_dma_init failed: %d", ret);
	ret = iommu_get_dma_cookie(S.sim.domain);
	FUZZ_CHECK(ret == 0, "harness: iommu_get_dma_cookie failed: %d", ret);
	ret = iommu_dma_init_domain(S.sim.domain, 0, SZ_4G);
	FUZZ_CHECK(ret == 0, "harness: iommu_dma_init_domain failed: %d", ret);
	if (fuzz_warns() != before)
		FUZZ_CHECK(S.sim.granule > PAGE_SIZE && iosim_warn_seen("larger than PAGE_SIZE"),
			   "warn: setting the DMA domain up WARNed: %s", fuzz_last_warn());
	fuzz_sim_attach(&S.sim);
#ifdef FUZZ_DMA_API_GENERIC
	/* arm64's set-up finds the device attached to the domain and uses it. */
	arch_setup_dma_ops(S.sim.dev, 0, SZ_4G, (struct iommu_ops *)iosim_iommu_ops(S.sim.iommu),
			   S.coherent);
	FUZZ_CHECK(iosim_dma_uses_iommu(S.sim.dev), "harness: the device has no IOMMU dma_ops: %s",
		   fuzz_last_warn());
#endif
	S.iovad = S.sim.domain->dma_api_cookie;
	S.initial_ranges = iova_ranges();
	iosim_warn_reset();
}

static unsigned long teardown(void)
{
	unsigned int i;

	while (S.nr_live)
		teardown_one(S.nr_live - 1);
	check_state("tearing everything down");
	FUZZ_CHECK(mapped_now() == 0, "idle: %#llx bytes still mapped at the end",
		   (unsigned long long)mapped_now());
	for (i = 0; i < S.nr_stale; i++)
		forget_stale(&S.stale[i]);
	FUZZ_CHECK(fuzz_sg_in_use() == 0, "harness: %u scatterlists not given back",
		   fuzz_sg_in_use());
#ifdef FUZZ_DMA_API_GENERIC
	expect_no_debug_report("tearing everything down");
	arch_teardown_dma_ops(S.sim.dev);
	iosim_dma_debug_reset();
#endif
	fuzz_sim_detach(&S.sim);
	iommu_put_dma_cookie(S.sim.domain);
	iova_cache_put();
	return fuzz_sim_destroy(&S.sim);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in;
	unsigned int nr_ops = 0;

	fuzz_begin();
	fuzz_input_init(&in, data, size);
	/* Not the transfer buffer: each check writes what it reads. */
	memset(&S, 0, offsetof(struct api_state, buf));
	setup(&in);
	check_state("setup");

	while (!fuzz_input_done(&in) && nr_ops++ < MAX_OPS) {
		const char *name;

		switch (fuzz_get_choice(&in, 14)) {
		case 0: case 1:
			name = API("iommu_dma_map_page", "dma_map_page");
			op_map_page(&in);
			break;
		case 2:
			name = API("iommu_dma_unmap_page", "dma_unmap_page");
			op_teardown(&in, M_PAGE);
			break;
		case 3:
			name = API("iommu_dma_map_sg", "dma_map_sg");
			op_map_sg(&in);
			break;
		case 4:
			name = API("iommu_dma_unmap_sg", "dma_unmap_sg");
			op_teardown(&in, M_SG);
			break;
		case 5:
			name = API("iommu_dma_alloc", "dma_alloc_coherent");
			op_alloc(&in);
			break;
		case 6:
			name = API("iommu_dma_free", "dma_free_coherent");
			op_teardown(&in, M_ALLOC);
			break;
		case 7:
			name = API("iommu_dma_mmap", "dma_mmap_coherent");
			op_mmap(&in);
			break;
		case 8:
			name = "bad unmap_page";
			op_bad_unmap_page(&in);
			break;
		case 9:
			name = "unmap_page past the buffer";
			op_bad_size_unmap(&in);
			break;
		case 10: case 11:
			name = "bad unmap_sg";
			op_bad_unmap_sg(&in);
			break;
		case 12:
			name = "bad free";
			op_bad_free(&in);
			break;
		default:
			name = "device reads";
			check_all_live("at a check");
			break;
		}
		fuzz_trace("%s (live %u)", name, S.nr_live);
		check_state(name);
		expect_no_debug_report(name);
	}
	fuzz_end(teardown());
	return 0;
}
