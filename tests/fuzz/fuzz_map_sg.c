// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * fuzz_map_sg - iommu_dma_map_sg()/iommu_dma_unmap_sg() against the rules of
 * docs/dma-iommu.md, seen from the device.
 *
 * Built twice: against our glue (lib/dma-iommu) and, with FUZZ_MAP_SG_SEED,
 * against the seed's own drivers/iommu/dma-iommu.c (tests/seed), whose
 * known defects the seed build's regression inputs reproduce.
 *
 * Input: a header (IOMMU granule incl. the 2 KiB small-page mode, input
 * address size, the DMA domain's base and size incl. above 4 GiB, an IOVA
 * allocation that shifts where the list lands, the device's DMA mask, max
 * segment size, segment boundary mask and coherency, the direction, the
 * number of entries and where the list is chained), then one record per
 * entry (new memory or physically continuing the previous entry, offset
 * incl. offsets of a granule or a page or more, length).  docs/fuzzing.md
 * gives the byte layout.
 *
 * The oracle, after iommu_dma_map_sg() returned count:
 *  - page, offset and length of every entry are unchanged;
 *  - count == 0 (failure): only when the list holds no bytes or the IOVA
 *    space cannot hold it; every entry has dma_address DMA_ERROR_CODE and
 *    dma_len 0; nothing is mapped and no IOVA is allocated;
 *  - count > 0: the segments are the first count entries, each non-empty;
 *    entries after them have dma_len 0; the segments cover the non-empty
 *    entries in order without splitting any; a segment longer than
 *    max_segment_size is a single entry longer than it; a segment crosses
 *    the boundary only if it is a single entry with
 *    (offset_in_granule & mask) + length > mask + 1; each segment keeps its
 *    first entry's offset inside the granule and lies below the DMA mask;
 *    two segments that the device sees back to back are merged when the
 *    limits allow it (segments are merged greedily); exactly the whole
 *    granules covering the entries are mapped;
 *  - the device reads the caller's bytes, in order, through the segments
 *    (when the direction lets it read), and a device write through the
 *    segments lands exactly in the caller's bytes and nowhere else (when
 *    the direction lets it write); the direction it may not use faults;
 *  - after iommu_dma_unmap_sg() nothing is mapped, the IOVA space is as it
 *    was, the segments fault, and no WARN was raised along the way;
 *  - no BUG(), no WARN the model does not expect, no leak.
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
#include <iosim/iommu.h>
#include <iosim/iova.h>
#include <iosim/live.h>
#include <iosim/ram_reset.h>
#include <iosim/warn.h>

#include "fuzz_common.h"
#include "fuzz_sg_pool.h"
#include "fuzz_sim.h"

#define MAX_ENTS	24
#define MAX_BLOCKS	MAX_ENTS
#define MAX_BLOCK_ORDER	5	/* with 4K pages: 128 KiB */
#define MAX_BYTES	(MAX_ENTS << (PAGE_SHIFT + MAX_BLOCK_ORDER))

struct entry {
	struct scatterlist *sg;
	struct page *page;
	unsigned int offset, length;
	unsigned long page_link;
	phys_addr_t phys;
	unsigned char *virt;
	unsigned int block;	/* the block it is cut from (S.blocks[]) */
};

/*
 * A block of memory entries are cut from, in list order: the entries of one
 * block are consecutive in the list, at rising offsets, and do not overlap.
 * The input decodes against its room (16 or 32 pages: whether the next
 * entry continues it, and where an entry may start); the pages actually
 * allocated, @order, cover only what its entries use, which is usually a
 * page or two.  The granules an entry touches lie in those pages (granules
 * are at most a page), so a device write outside the entries but inside a
 * mapped granule still lands in a block the dma-stray check reads.
 */
struct block {
	struct page *page;
	unsigned int order;	/* allocated: 2^order pages */
	unsigned int room_order;	/* what the input decodes against */
	unsigned int used;	/* bytes handed to entries, from the start */
};

struct segment {
	dma_addr_t dma;
	size_t len;
	int first, last;	/* entries it covers (non-empty ones in between) */
	size_t bytes;		/* the caller's bytes in them */
};

static struct sg_state {
	struct fuzz_sim sim;
	struct iova_domain *iovad;
	struct iova *prefill;
	unsigned long initial_ranges;
	long initial_pages;		/* simulated pages alive before the map: tables, blocks */
	u64 dma_mask;
	unsigned int max_seg;
	unsigned long seg_mask;
	enum dma_data_direction dir;
	int prot;
	int nents;
	struct scatterlist *arrays[MAX_ENTS];
	unsigned int nr_arrays;
	struct scatterlist *sgl;
	struct entry ents[MAX_ENTS];
	struct block blocks[MAX_BLOCKS];
	unsigned int nr_blocks;
	struct segment segs[MAX_ENTS];
	int count;
	unsigned char got[MAX_BYTES];	/* what the device read */
} S;

/*
 * What the device writes (fill_write_pattern()): byte i depends on i alone,
 * so it is computed once per process, not for every input (filling it was
 * 6.5 % of a corpus replay's samples).
 */
static unsigned char write_pattern[MAX_BYTES];
static bool write_pattern_ready;

static bool granule_supported(unsigned long granule)
{
#ifdef FUZZ_MAP_SG_SEED
	/* The seed's era refused granules above PAGE_SIZE (init_iova_domain BUG). */
	return granule <= PAGE_SIZE;
#else
	return true;
#endif
}

/* -- building the scatterlist ----------------------------------------------- */

/*
 * Word @i of block @block's data: every 8-byte word names its block and
 * position, and its bytes differ from each other, so data read from any
 * wrong address is noticed.  A macro: clang does not inline a function
 * into the FUZZ_FILL loops below, whose sanitizer attributes differ.
 */
#define block_word(block, i)							\
	(0x0706050403020100ULL + ((u64)(block) << 56) + ((u64)(i) << 16) +	\
	 (u64)(i) * 0x0101010101010101ULL)

FUZZ_FILL
static void fill_block(u64 *words, size_t nr_words, unsigned int block)
{
	size_t i;

	for (i = 0; i < nr_words; i++)
		words[i] = block_word(block, i);
}

/* The first of bytes [@from, @to) of a block not holding block_word()'s, or @to. */
FUZZ_FILL
static size_t block_bytes_changed_at(const unsigned char *virt, size_t from, size_t to,
				     unsigned int block)
{
	unsigned char want[sizeof(u64)];
	size_t off;
	u64 word;

	for (off = from; off < to; off++) {
		word = block_word(block, off / sizeof(word));
		memcpy(want, &word, sizeof(word));
		if (virt[off] != want[off % sizeof(word)])
			return off;
	}
	return to;
}

/*
 * The first of bytes [@from, @to) of block @block (at @virt, word-aligned)
 * that no longer holds fill_block()'s data, or @to: the whole words a word
 * at a time, without a sanitizer check per load (FUZZ_FILL).
 */
FUZZ_FILL
static size_t block_changed_at(const unsigned char *virt, size_t from, size_t to,
			       unsigned int block)
{
	size_t first = DIV_ROUND_UP(from, sizeof(u64)), end = to / sizeof(u64), w, off;
	u64 word, diff = 0;

	if (first >= end)
		return block_bytes_changed_at(virt, from, to, block);
	off = block_bytes_changed_at(virt, from, first * sizeof(word), block);
	if (off < first * sizeof(word))
		return off;
	for (w = first; w < end; w++) {
		memcpy(&word, virt + w * sizeof(word), sizeof(word));
		diff |= word ^ block_word(block, w);
	}
	if (diff)
		return block_bytes_changed_at(virt, first * sizeof(word), end * sizeof(word),
					      block);
	return block_bytes_changed_at(virt, end * sizeof(word), to, block);
}

/*
 * What the device writes: bytes that differ from every block's pattern.
 * Byte i is 0x3c ^ i * 11 ^ (i >> 8) (mod 256): within a run of 256 bytes,
 * 11 * (i % 256) with one constant XORed in, so a table serves every run
 * in a loop the compiler vectorises.
 */
FUZZ_FILL
static void fill_write_pattern(unsigned char *buf, size_t len)
{
	static unsigned char steps[256];
	size_t run, r, n;

	if (!steps[1])
		for (r = 0; r < 256; r++)
			steps[r] = (unsigned char)(r * 11);
	for (run = 0; run * 256 < len; run++) {
		unsigned char mix = (unsigned char)(0x3c ^ run);

		n = min_t(size_t, 256, len - run * 256);
		for (r = 0; r < n; r++)
			buf[run * 256 + r] = (unsigned char)(steps[r] ^ mix);
	}
}

/* A block with room for 2^@room_order pages; its memory comes in alloc_blocks(). */
static struct block *new_block(unsigned int room_order)
{
	struct block *b = &S.blocks[S.nr_blocks];

	FUZZ_CHECK(S.nr_blocks < MAX_BLOCKS, "harness: out of blocks");
	b->page = NULL;
	b->room_order = room_order;
	b->used = 0;
	S.nr_blocks++;
	return b;
}

/* Allocate and fill every block's pages: those its entries use, at least one. */
static void alloc_blocks(void)
{
	unsigned int i;

	for (i = 0; i < S.nr_blocks; i++) {
		struct block *b = &S.blocks[i];

		b->order = get_order(max(b->used, 1U));
		/*
		 * Every byte is filled next: __GFP_ZERO lets the page allocator
		 * leave frames that hold a fresh RAM's zeros alone instead of
		 * writing its allocation poison first.
		 */
		b->page = alloc_pages(GFP_KERNEL | __GFP_ZERO, b->order);
		FUZZ_CHECK(b->page, "harness: no memory for a block of order %u", b->order);
		fill_block(page_address(b->page), (PAGE_SIZE << b->order) / sizeof(u64), i);
	}
}

/*
 * Zero a block and free it as zeroed: the free's poison and the RAM
 * reset's zeroing would otherwise both write every byte of it again (its
 * bytes are all filled).  Nothing touches it after the teardown frees it;
 * the order tests' iosim_ram_check_fresh() after every input proves no
 * byte was left non-zero.
 */
static void free_block(struct block *b)
{
	memset(page_address(b->page), 0, PAGE_SIZE << b->order);
	iosim_ram_free_pages_zeroed(b->page, b->order);
}

static void build_list(struct fuzz_input *in)
{
	unsigned int chain_every = fuzz_get_u8(in) % 8;	/* 0: one array */
	struct block *b = NULL;
	struct scatterlist *s;
	int i, left, a;

	/* Arrays of chain_every entries plus a chain slot, the last one plain. */
	for (left = S.nents, a = 0; left > 0; a++) {
		int n = chain_every && left > (int)chain_every ? (int)chain_every : left;
		bool more = n < left;

		S.arrays[a] = fuzz_sg_get(n + more);
		sg_init_table(S.arrays[a], n + more);
		if (a)
			sg_chain(S.arrays[a - 1], chain_every + 1, S.arrays[a]);
		left -= n;
	}
	S.nr_arrays = a;
	S.sgl = S.arrays[0];

	for_each_sg(S.sgl, s, S.nents, i) {
		struct entry *e = &S.ents[i];
		unsigned int kind = fuzz_get_u8(in);
		unsigned int len_kind = (kind >> 2) % 8;
		unsigned int v = fuzz_get_u16(in), off = fuzz_get_u16(in);
		unsigned int block_bytes, len;

		switch (len_kind) {
		case 0:
			len = 1 + v % 64;
			break;
		case 1:
			len = 1 + v % 512;
			break;
		case 2:
			len = (1 + v % 8) * (unsigned int)S.sim.granule;
			break;
		case 3:
			len = (1 + v % 16) * 1024;
			break;
		case 4:
			len = 0;	/* an empty entry */
			break;
		case 5:
			len = 1 + v % (PAGE_SIZE << MAX_BLOCK_ORDER);
			break;
		default:
			len = 1 + v % (3 * PAGE_SIZE);
			break;
		}
		/* Continue the previous entry physically, or start new memory. */
		if ((kind & 3) == 0 && b && b->used + len <= (PAGE_SIZE << b->room_order)) {
			e->offset = b->used;
		} else {
			unsigned int order = kind & 0x80 ? MAX_BLOCK_ORDER : MAX_BLOCK_ORDER - 1;

			block_bytes = PAGE_SIZE << order;
			if (len > block_bytes)
				len = block_bytes;
			b = new_block(order);
			/* Any offset, incl. a granule or a page or more, that leaves room. */
			switch ((kind >> 5) & 3) {
			case 0:
				e->offset = off % (block_bytes - len + 1);
				break;
			case 1:
				e->offset = (off % 4) * (unsigned int)S.sim.granule;
				if (e->offset > block_bytes - len)
					e->offset = 0;
				break;
			case 2:
				e->offset = PAGE_SIZE + off % (unsigned int)S.sim.granule;
				if (e->offset > block_bytes - len)
					e->offset = off % (block_bytes - len + 1);
				break;
			default:
				e->offset = off % 64;
				if (e->offset > block_bytes - len)
					e->offset = 0;
				break;
			}
		}
		e->length = len;
		e->block = (unsigned int)(b - S.blocks);
		b->used = e->offset + len;
	}

	/* The memory, now that each block's extent is known; then the list. */
	alloc_blocks();
	for_each_sg(S.sgl, s, S.nents, i) {
		struct entry *e = &S.ents[i];

		e->page = S.blocks[e->block].page;
		sg_set_page(s, e->page, e->length, e->offset);
		e->sg = s;
		e->page_link = s->page_link;
		e->phys = page_to_phys(e->page) + e->offset;
		fuzz_digest_add(&e->phys, sizeof(e->phys));
		e->virt = (unsigned char *)page_address(e->page) + e->offset;
	}
}

static size_t list_bytes(void)
{
	size_t total = 0;
	int i;

	for (i = 0; i < S.nents; i++)
		total += S.ents[i].length;
	return total;
}

static unsigned long granule_offset(const struct entry *e)
{
	return e->phys & (S.sim.granule - 1);
}

static size_t extent(const struct entry *e)
{
	if (!e->length)
		return 0;
	return ALIGN(granule_offset(e) + e->length, S.sim.granule);
}

/* -- checks ---------------------------------------------------------------------- */

FUZZ_NO_COVERAGE
static void check_entries_unchanged(const char *when)
{
	struct scatterlist *s;
	int i;

	for_each_sg(S.sgl, s, S.nents, i) {
		const struct entry *e = &S.ents[i];

		FUZZ_CHECK(s == e->sg, "list: entry %d moved (%s)", i, when);
		FUZZ_CHECK(s->page_link == e->page_link && s->offset == e->offset &&
			   s->length == e->length,
			   "caller-fields: entry %d %s: page_link %#lx offset %u length %u, was %#lx %u %u",
			   i, when, s->page_link, s->offset, s->length, e->page_link, e->offset,
			   e->length);
	}
}

static unsigned long iova_ranges(void)
{
	return iosim_iova_nr_ranges(S.iovad);
}

/*
 * Simulated pages alive, less the emptied page tables the domain keeps as
 * spares (they stay after an unmap by design; the checker vets them).
 */
static long pages_but_spare_tables(void)
{
	struct iosim_iommu_stats st;

	if (iosim_iommu_domain_stats(S.sim.domain, &st))
		return iosim_live(IOSIM_OBJ_PAGE);
	return iosim_live(IOSIM_OBJ_PAGE) - (long)(st.spare_table_bytes >> PAGE_SHIFT);
}

FUZZ_NO_COVERAGE
static void check_nothing_mapped(const char *when)
{
	u64 mapped = fuzz_sim_mapped_bytes(&S.sim);

	FUZZ_CHECK(mapped == 0, "idle: %#llx bytes still mapped %s", (unsigned long long)mapped,
		   when);
	FUZZ_CHECK(iova_ranges() == S.initial_ranges,
		   "idle: %lu IOVA ranges %s, %lu before the mapping", iova_ranges(), when,
		   S.initial_ranges);
	FUZZ_CHECK(pages_but_spare_tables() == S.initial_pages,
		   "tables: %ld simulated pages alive (less spare tables) %s, %ld before the mapping",
		   pages_but_spare_tables(), when, S.initial_pages);
	FUZZ_CHECK(iosim_iova_check(S.iovad) == 0, "iova-check: iosim_iova_check failed %s: %s",
		   when, fuzz_last_warn());
	fuzz_sim_check(&S.sim, when);
}

/* Is there a free, @size_pfns-aligned block of @size_pfns in [@lo_pfn, @hi_pfn]? */
static bool aligned_fit(unsigned long lo_pfn, unsigned long hi_pfn, unsigned long size_pfns)
{
	unsigned long start;

	if (hi_pfn < lo_pfn || hi_pfn - lo_pfn + 1 < size_pfns)
		return false;
	start = ALIGN(lo_pfn, size_pfns);
	return start >= lo_pfn && start <= hi_pfn && hi_pfn - start + 1 >= size_pfns;
}

/*
 * A failure is acceptable only if the list holds no bytes or the IOVA space
 * may be too small: the layout needs at most twice its extents (padding
 * before an extent is shorter than the extent), rounded up to a power of
 * two by the size-aligned allocation.
 */
static bool failure_justified(void)
{
	unsigned long shift = __ffs(S.sim.granule), need_pfns = 0, limit_pfn, start_pfn;
	int i;

	if (!list_bytes())
		return true;
	for (i = 0; i < S.nents; i++)
		need_pfns += extent(&S.ents[i]) >> shift;
	need_pfns = roundup_pow_of_two(2 * need_pfns);
	start_pfn = S.iovad->start_pfn;
	limit_pfn = min_t(u64, S.dma_mask >> shift, S.iovad->dma_32bit_pfn);
	if (!S.prefill)
		return !aligned_fit(start_pfn, limit_pfn, need_pfns);
	return !aligned_fit(start_pfn, min(limit_pfn, S.prefill->pfn_lo - 1), need_pfns) &&
	       !aligned_fit(max(start_pfn, S.prefill->pfn_hi + 1), limit_pfn, need_pfns);
}

static bool crosses(u64 start, u64 len)
{
	return len && (start & S.seg_mask) + len - 1 > S.seg_mask;
}

/*
 * The bytes segment @k's entries hold: the caller's bytes, or with @span the
 * IOVA span of their extents from the first entry's byte on (what a
 * segment covers when its length counts whole granules).
 */
static size_t entry_bytes(int e, bool first, bool span)
{
	const struct entry *ent = &S.ents[e];

	if (!span)
		return ent->length;
	return extent(ent) - (first ? granule_offset(ent) : 0);
}

/*
 * Split the non-empty entries over the segments, in order, never inside an
 * entry, counting segment lengths as caller bytes (or, with @span, as IOVA
 * spans).  Return: false if the segments cannot be split so.
 */
static bool partition_segments(bool span)
{
	int i, e = 0, k;

	for (k = 0; k < S.count; k++) {
		size_t covered = 0;

		while (e < S.nents && !S.ents[e].length)
			e++;
		if (e >= S.nents)
			return false;
		S.segs[k].first = e;
		S.segs[k].bytes = 0;
		while (e < S.nents && covered < S.segs[k].len) {
			covered += entry_bytes(e, e == S.segs[k].first, span);
			S.segs[k].bytes += S.ents[e].length;
			e++;
			while (span && e < S.nents && !S.ents[e].length)
				e++;
		}
		if (covered != S.segs[k].len)
			return false;
		S.segs[k].last = e - 1;
	}
	for (i = e; i < S.nents; i++)
		if (S.ents[i].length)
			return false;
	return true;
}

static const struct entry *first_entry(void)
{
	int i;

	for (i = 0; i < S.nents && !S.ents[i].length; i++)
		;
	return &S.ents[i];
}

/*
 * The device finds a segment's first entry at the segment's address: it
 * reads (or, for DMA_FROM_DEVICE, writes and restores) its first bytes.
 */
static void check_segment_start(int k, const struct entry *e)
{
	size_t n = min_t(size_t, min_t(size_t, S.segs[k].len, e->length), 16), i;
	unsigned char bytes[16] = { 0 }, saved[16];
	int ret;

	if (S.prot & IOMMU_READ) {
		ret = iosim_dma_read(S.sim.dev, S.segs[k].dma, bytes, n);
		FUZZ_CHECK(ret == 0 && !memcmp(bytes, e->virt, n),
			   "address: segment %d at %#llx does not start with entry %d's bytes (%s; entry offset %u, granule %#lx)",
			   k, (unsigned long long)S.segs[k].dma, (int)(e - S.ents),
			   ret ? "the device faults" : "other bytes", e->offset, S.sim.granule);
		return;
	}
	memcpy(saved, e->virt, n);
	for (i = 0; i < n; i++)
		bytes[i] = (unsigned char)~saved[i];
	ret = iosim_dma_write(S.sim.dev, S.segs[k].dma, bytes, n);
	FUZZ_CHECK(ret == 0 && !memcmp(bytes, e->virt, n),
		   "address: a write at segment %d (%#llx) does not land in entry %d (%s; entry offset %u, granule %#lx)",
		   k, (unsigned long long)S.segs[k].dma, (int)(e - S.ents),
		   ret ? "the device faults" : "elsewhere", e->offset, S.sim.granule);
	memcpy(e->virt, saved, n);
}

FUZZ_NO_COVERAGE
static void check_segments(void)
{
	struct scatterlist *s;
	bool span = false;
	int i, k;

	for_each_sg(S.sgl, s, S.nents, i) {
		if (i < S.count) {
			S.segs[i].dma = sg_dma_address(s);
			S.segs[i].len = sg_dma_len(s);
			fuzz_digest_add(&S.segs[i].dma, sizeof(S.segs[i].dma));
			fuzz_digest_add(&S.segs[i].len, sizeof(S.segs[i].len));
			FUZZ_CHECK(S.segs[i].len, "segments: segment %d of %d is empty", i,
				   S.count);
		} else {
			FUZZ_CHECK(!sg_dma_len(s),
				   "tail: entry %d after the %d segments has dma_len %#x", i,
				   S.count, sg_dma_len(s));
		}
	}
	/* The first segment starts with the first non-empty entry, whatever else. */
	check_segment_start(0, first_entry());
	if (!partition_segments(false)) {
		span = partition_segments(true);
		FUZZ_CHECK(span, "split: the %d segments do not cover the entries in order, entry by entry",
			   S.count);
	}

	for (k = 0; k < S.count; k++) {
		struct segment *seg = &S.segs[k];
		const struct entry *first = &S.ents[seg->first];
		bool single = seg->first == seg->last;

		u64 seg_last = seg->dma + seg->len - 1;

		FUZZ_CHECK(seg_last >= seg->dma && seg_last <= S.dma_mask,
			   "mask: segment %d [%#llx +%#zx] is beyond the DMA mask %#llx", k,
			   (unsigned long long)seg->dma, seg->len, (unsigned long long)S.dma_mask);
		FUZZ_CHECK((seg->dma & (S.sim.granule - 1)) == granule_offset(first),
			   "address: segment %d at %#llx: offset %#llx in the granule, entry %d's is %#lx (offset %u)",
			   k, (unsigned long long)seg->dma,
			   (unsigned long long)(seg->dma & (S.sim.granule - 1)), seg->first,
			   granule_offset(first), first->offset);
		check_segment_start(k, first);
		FUZZ_CHECK(!crosses(seg->dma, seg->len) ||
			   (single &&
			    (granule_offset(first) & S.seg_mask) + first->length > S.seg_mask + 1),
			   "boundary: segment %d [%#llx +%#zx] (entries %d-%d) crosses the %#lx boundary",
			   k, (unsigned long long)seg->dma, seg->len, seg->first, seg->last,
			   S.seg_mask);
		FUZZ_CHECK(seg->len <= S.max_seg || single,
			   "max-seg: segment %d of %#zx bytes merges entries %d-%d past max_segment_size %#x",
			   k, seg->len, seg->first, seg->last, S.max_seg);
		if (k) {
			/* Contiguous as the device sees the caller's bytes, within the limits. */
			struct segment *prev = &S.segs[k - 1];
			u64 merged = prev->bytes + first->length;

			FUZZ_CHECK(!(prev->dma + prev->bytes == seg->dma && merged <= S.max_seg &&
				     !crosses(prev->dma, merged)),
				   "merge: segments %d and %d are contiguous at %#llx and within the limits, but not merged",
				   k - 1, k, (unsigned long long)seg->dma);
		}
	}
	for (k = 0; k < S.count; k++)
		FUZZ_CHECK(!span, "length: segment %d's dma_len %#zx counts whole granules; its entries hold %#zx bytes",
			   k, S.segs[k].len, S.segs[k].bytes);
}

FUZZ_NO_COVERAGE
static void check_mapped_bytes(void)
{
	u64 want = 0, got = fuzz_sim_mapped_bytes(&S.sim);
	int i;

	for (i = 0; i < S.nents; i++)
		want += extent(&S.ents[i]);
	FUZZ_CHECK(got == want, "mapped-bytes: %#llx bytes mapped, the entries' granules are %#llx",
		   (unsigned long long)got, (unsigned long long)want);
}

/* The device reads through the segments, in order: the caller's bytes. */
FUZZ_NO_COVERAGE
static void check_device_reads(void)
{
	size_t total = list_bytes(), pos = 0, off;
	int k, ret;

	for (k = 0; k < S.count; k++) {
		ret = iosim_dma_read(S.sim.dev, S.segs[k].dma, S.got + pos, S.segs[k].len);
		FUZZ_CHECK(ret == 0, "dma-read: the device faults (%d) reading segment %d [%#llx +%#zx]",
			   ret, k, (unsigned long long)S.segs[k].dma, S.segs[k].len);
		pos += S.segs[k].len;
	}
	FUZZ_CHECK(pos == total, "dma-read: the segments hold %#zx bytes, the list %#zx", pos,
		   total);
	fuzz_digest_add(S.got, total);
	/* Each entry where the list puts it (no copy of the caller's bytes first). */
	for (k = 0, pos = 0; k < S.nents; pos += S.ents[k].length, k++) {
		const struct entry *e = &S.ents[k];

		if (!fuzz_bytes_differ(S.got + pos, e->virt, e->length))
			continue;
		off = fuzz_first_difference(S.got + pos, e->virt, e->length);
		FUZZ_CHECK(0, "dma-data: byte %#zx of the list reads %#x through the segments, the caller has %#x",
			   pos + off, S.got[pos + off], e->virt[off]);
	}
}

/* Bytes [@from, @to) of block @b, outside every entry, still hold its data. */
static void check_block_untouched(unsigned int b, size_t from, size_t to)
{
	const unsigned char *virt = page_address(S.blocks[b].page);
	size_t off = block_changed_at(virt, from, to, b);

	FUZZ_CHECK(off == to,
		   "dma-stray: byte %#zx of block %u, outside every entry, holds %#x, not its data (the device write changed it, or an earlier step)",
		   off, b, virt[off]);
}

/*
 * A device write through the segments lands in the caller's bytes, in
 * order, and nowhere else: every other byte of the blocks still holds what
 * fill_block() wrote (nothing before this check writes to them; the device
 * granules an entry shares lie in its block).  One pass over each block,
 * entry by entry, with no snapshot.
 */
FUZZ_NO_COVERAGE
static void check_device_writes(void)
{
	unsigned int b = 0;
	size_t pos, from = 0, off;
	int k, ret;

	if (!write_pattern_ready) {
		fill_write_pattern(write_pattern, sizeof(write_pattern));
		write_pattern_ready = true;
	}
	for (k = 0, pos = 0; k < S.count; k++) {
		ret = iosim_dma_write(S.sim.dev, S.segs[k].dma, write_pattern + pos, S.segs[k].len);
		FUZZ_CHECK(ret == 0, "dma-write: the device faults (%d) writing segment %d [%#llx +%#zx]",
			   ret, k, (unsigned long long)S.segs[k].dma, S.segs[k].len);
		pos += S.segs[k].len;
	}
	for (k = 0, pos = 0; k < S.nents; pos += S.ents[k].length, k++) {
		const struct entry *e = &S.ents[k];

		if (e->block != b) {
			FUZZ_CHECK(e->block == b + 1, "harness: entry %d is in block %u after block %u",
				   k, e->block, b);
			check_block_untouched(b, from, PAGE_SIZE << S.blocks[b].order);
			b = e->block;
			from = 0;
		}
		FUZZ_CHECK(e->offset >= from, "harness: entry %d overlaps the one before it", k);
		check_block_untouched(b, from, e->offset);
		if (fuzz_bytes_differ(e->virt, write_pattern + pos, e->length)) {
			off = fuzz_first_difference(e->virt, write_pattern + pos, e->length);
			FUZZ_CHECK(0, "dma-data: byte %#zx of entry %d holds %#x after the device wrote %#x",
				   off, k, e->virt[off], write_pattern[pos + off]);
		}
		from = e->offset + e->length;
	}
	FUZZ_CHECK(b + 1 == S.nr_blocks, "harness: the entries use %u of %u blocks", b + 1,
		   S.nr_blocks);
	check_block_untouched(b, from, PAGE_SIZE << S.blocks[b].order);
}

/* Accesses the direction forbids fault. */
FUZZ_NO_COVERAGE
static void check_direction_enforced(void)
{
	unsigned char byte = 0;
	int ret;

	if (!(S.prot & IOMMU_READ)) {
		ret = iosim_dma_read(S.sim.dev, S.segs[0].dma, &byte, 1);
		FUZZ_CHECK(ret == -EFAULT, "direction: the device reads a DMA_FROM_DEVICE mapping");
	}
	if (!(S.prot & IOMMU_WRITE)) {
		ret = iosim_dma_write(S.sim.dev, S.segs[0].dma, &byte, 1);
		FUZZ_CHECK(ret == -EFAULT, "direction: the device writes a DMA_TO_DEVICE mapping");
	}
	iosim_iommu_clear_faults(S.sim.iommu);
}

FUZZ_NO_COVERAGE
static void check_segments_fault(const char *when)
{
	unsigned char byte;
	int k;

	for (k = 0; k < S.count; k++)
		FUZZ_CHECK(iosim_dma_read(S.sim.dev, S.segs[k].dma, &byte, 1) == -EFAULT,
			   "stale: the device still reads segment %d at %#llx %s", k,
			   (unsigned long long)S.segs[k].dma, when);
	iosim_iommu_clear_faults(S.sim.iommu);
}

/* -- set-up and tear-down --------------------------------------------------------- */

static bool setup(struct fuzz_input *in)
{
	static const unsigned long granules[] = { SZ_4K, IOSIM_IOMMU_SMALL_PAGE, SZ_16K, SZ_64K };
	static const unsigned int ias[] = { 48, 40, 36 };
	static const u64 bases[] = { 0, SZ_4G, 0x800000000ULL, 0xfc00000000ULL };
	static const u64 sizes[] = { SZ_4G, SZ_1G, SZ_16M, 0x1000000000ULL, SZ_256M };
	static const u64 masks[] = { DMA_BIT_MASK(64), DMA_BIT_MASK(32), DMA_BIT_MASK(40),
				     DMA_BIT_MASK(36), DMA_BIT_MASK(33) };
	static const unsigned int max_segs[] = { SZ_64K, SZ_4K, 3000, SZ_2K, SZ_1M, 65535,
						 UINT_MAX, 6144 };
	static const unsigned long seg_masks[] = { 0xffffffffUL, 0xffff, 0xfff, 0x7ff, 0x1fff,
						   0x3ff, 0xfffff, ~0UL };
	static const enum dma_data_direction dirs[] = { DMA_BIDIRECTIONAL, DMA_TO_DEVICE,
							DMA_FROM_DEVICE };
	struct fuzz_sim_config cfg = {};
	unsigned long before, prefill_pfns;
	u64 base, size;
	int ret;

	cfg.iommu.granule = FUZZ_PICK(in, granules);
	if (!granule_supported(cfg.iommu.granule))
		cfg.iommu.granule = SZ_4K;
	cfg.iommu.ias_bits = FUZZ_PICK(in, ias);
	base = FUZZ_PICK(in, bases);
	size = FUZZ_PICK(in, sizes);
	prefill_pfns = fuzz_get_u16(in) % 4096;
	S.dma_mask = FUZZ_PICK(in, masks);
	S.max_seg = FUZZ_PICK(in, max_segs);
	S.seg_mask = FUZZ_PICK(in, seg_masks);
	cfg.dev.dma_mask = S.dma_mask;
	cfg.dev.max_segment_size = S.max_seg;
	cfg.dev.segment_boundary_mask = S.seg_mask;
	cfg.dev.coherent = fuzz_get_bool(in);
	S.dir = FUZZ_PICK(in, dirs);
	S.prot = dma_direction_to_prot(S.dir, cfg.dev.coherent);
	S.nents = 1 + fuzz_get_u8(in) % MAX_ENTS;
	/*
	 * 8 MiB at 4K: room for MAX_ENTS blocks of the largest order (768
	 * frames) and the page tables; every frame costs the end-of-input
	 * checkers time.
	 */
	cfg.ram_size = 2048 * PAGE_SIZE;

	fuzz_sim_create(&S.sim, &cfg, false);
	FUZZ_CHECK(dma_get_max_seg_size(S.sim.dev) == S.max_seg &&
		   dma_get_seg_boundary(S.sim.dev) == S.seg_mask,
		   "harness: the device's segment limits are not as configured");

	/* The DMA domain, as arch code would set it up. */
	before = fuzz_warns();
	ret = iommu_dma_init();
	FUZZ_CHECK(ret == 0, "harness: iommu_dma_init failed: %d", ret);
	ret = iommu_get_dma_cookie(S.sim.domain);
	FUZZ_CHECK(ret == 0, "harness: iommu_get_dma_cookie failed: %d", ret);
	ret = iommu_dma_init_domain(S.sim.domain, base, size);
	/* init_iova_domain() WARNs (kernel: BUG) about granules above PAGE_SIZE. */
	if (fuzz_warns() != before)
		FUZZ_CHECK(S.sim.granule > PAGE_SIZE && iosim_warn_seen("larger than PAGE_SIZE") &&
			   fuzz_warns() - before == 1,
			   "warn: iommu_dma_init_domain(%#llx, %#llx) WARNed: %s",
			   (unsigned long long)base, (unsigned long long)size, fuzz_last_warn());
	if (ret)
		return false;	/* a range outside the aperture: nothing to map with */
	fuzz_sim_attach(&S.sim);
	S.iovad = S.sim.domain->dma_api_cookie;
	FUZZ_CHECK(S.iovad && S.iovad->granule == S.sim.granule,
		   "harness: the DMA domain's IOVA granule is not the IOMMU's");
	if (prefill_pfns) {
		S.prefill = alloc_iova(S.iovad, prefill_pfns,
				       min_t(u64, S.dma_mask >> __ffs(S.sim.granule),
					     S.iovad->dma_32bit_pfn), false);
	}
	if (S.prefill)
		fuzz_digest_add(&S.prefill->pfn_lo, sizeof(S.prefill->pfn_lo));
	S.initial_ranges = iova_ranges();
	iosim_warn_reset();
	return true;
}

static unsigned long teardown(bool domain_ready)
{
	unsigned long leaked;
	int b;

	if (domain_ready) {
		if (S.prefill)
			__free_iova(S.iovad, S.prefill);
		fuzz_sim_detach(&S.sim);
	}
	iommu_put_dma_cookie(S.sim.domain);
	iova_cache_put();
	for (b = (int)S.nr_blocks - 1; b >= 0; b--)
		free_block(&S.blocks[b]);
	fuzz_sg_put_all();
	leaked = fuzz_sim_destroy(&S.sim);
	FUZZ_CHECK(iosim_bug_count() == 0, "bug: BUG() was hit: %s", fuzz_last_warn());
	return leaked;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in;
	unsigned long before;
	bool ready;

	fuzz_begin();
	fuzz_input_init(&in, data, size);
	/* Not the byte buffer (3 MiB with 4K pages): the read check writes what it reads. */
	memset(&S, 0, offsetof(struct sg_state, got));
	ready = setup(&in);
	if (!ready) {
		fuzz_end(teardown(false));
		return 0;
	}
	build_list(&in);
	S.initial_pages = pages_but_spare_tables();
	check_nothing_mapped("before mapping");

	before = fuzz_warns();
	S.count = iommu_dma_map_sg(S.sim.dev, S.sgl, S.nents, S.prot);
	fuzz_digest_add(&S.count, sizeof(S.count));
	fuzz_trace("map_sg: %d entries, %zu bytes -> %d segments", S.nents, list_bytes(), S.count);
	FUZZ_CHECK(iosim_bug_count() == 0, "bug: iommu_dma_map_sg hit BUG(): %s", fuzz_last_warn());
	FUZZ_CHECK(S.count >= 0 && S.count <= S.nents,
		   "count: iommu_dma_map_sg returned %d for %d entries", S.count, S.nents);
	check_entries_unchanged("after iommu_dma_map_sg");

	if (!S.count) {
		struct scatterlist *s;
		int i;

		FUZZ_CHECK(failure_justified(),
			   "spurious-failure: iommu_dma_map_sg failed although the IOVA space holds the list (%zu bytes, %d entries)",
			   list_bytes(), S.nents);
		fuzz_expect_warns(before, list_bytes() ? 0 : 1, "iommu_dma_map_sg failing");
		for_each_sg(S.sgl, s, S.nents, i)
			FUZZ_CHECK(sg_dma_address(s) == DMA_ERROR_CODE && !sg_dma_len(s),
				   "invalidate: after a failed map entry %d has dma_address %#llx dma_len %#x",
				   i, (unsigned long long)sg_dma_address(s), sg_dma_len(s));
		check_nothing_mapped("after a failed iommu_dma_map_sg");
		fuzz_end(teardown(true));
		return 0;
	}

	fuzz_expect_warns(before, 0, "iommu_dma_map_sg");
	check_segments();
	check_mapped_bytes();
	fuzz_sim_check(&S.sim, "iommu_dma_map_sg");
	if (S.prot & IOMMU_READ)
		check_device_reads();
	if (S.prot & IOMMU_WRITE)
		check_device_writes();
	check_direction_enforced();

	before = fuzz_warns();
	iommu_dma_unmap_sg(S.sim.dev, S.sgl, S.nents, S.dir, NULL);
	FUZZ_CHECK(iosim_bug_count() == 0, "bug: iommu_dma_unmap_sg hit BUG(): %s",
		   fuzz_last_warn());
	fuzz_expect_warns(before, 0, "iommu_dma_unmap_sg");
	check_entries_unchanged("after iommu_dma_unmap_sg");
	check_nothing_mapped("after iommu_dma_unmap_sg");
	check_segments_fault("after iommu_dma_unmap_sg");

	fuzz_end(teardown(true));
	return 0;
}
