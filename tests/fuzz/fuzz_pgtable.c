// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * fuzz_pgtable - the IOMMU core and the simulated IOMMU's page tables
 * (lib/iommu, lib/fake-iommu) against an exact model, through the kernel
 * API (iommu_map, iommu_unmap, iommu_iova_to_phys) and a device doing DMA
 * (iosim_dma_read, iosim_dma_write).
 *
 * Input: a header (granule incl. the 2 KiB small-page mode, input address
 * size, page sizes, IOTLB shape, where the IOVA window sits: at 0, across
 * 4 GiB, at the top of the input range or across its end; where RAM sits),
 * then operations until the input ends.  docs/fuzzing.md gives the layout.
 *
 * The model holds, for each granule of a window of IOVA space, whether it
 * is mapped, to which physical address and with which permissions, and
 * the oracle checks:
 *  - iommu_map() succeeds exactly when the model says (aligned, not
 *    overlapping, inside the input range; the chunking of the core into
 *    page sizes is replayed to know which error comes first), and a failed
 *    map leaves the tables unchanged;
 *  - iommu_unmap() unmaps exactly the mapped run at the address, up to the
 *    size or the first hole, and returns its length;
 *  - iommu_iova_to_phys() and iosim_iommu_domain_lookup() agree with the
 *    model;
 *  - a device read returns the bytes of the physical memory the model maps,
 *    a device write lands exactly there; an access faults exactly when the
 *    model says (unmapped, not permitted, beyond the input range, into the
 *    MMIO window, device detached), transfers nothing then, and the fault
 *    log and the domain's fault handler see the first faulting address;
 *  - after every operation the page-table and IOMMU checkers pass and the
 *    mapped byte count equals the model's;
 *  - at the end, once everything is unmapped, only the top table remains,
 *    and no page and no object is left alive.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <asm/page.h>
#include <iosim/bus_master.h>
#include <iosim/fault.h>
#include <iosim/iommu.h>
#include <iosim/ram.h>
#include <iosim/ram_reset.h>

#include "fuzz_common.h"
#include "fuzz_sim.h"

#define WINDOW_GRANULES	1024
#define MAX_OPS		300
#define MAX_XFER	(3 * SZ_64K)
#define MMIO_BASE	0x10000000ULL
#define MMIO_SIZE	SZ_16M
#define POOL_BYTES	SZ_2M
#define POOL_FRAMES	(POOL_BYTES / PAGE_SIZE)

struct mgranule {
	bool mapped;
	phys_addr_t phys;
	int prot;
};

static struct pgt_state {
	struct fuzz_sim sim;
	unsigned long g;		/* granule */
	u64 win_base;			/* IOVA of window granule 0 */
	struct mgranule map[WINDOW_GRANULES];
	u64 nr_mapped;
	struct page *pool;
	unsigned int pool_order;
	phys_addr_t pool_phys;
	unsigned char *pool_virt;
	/* Frames of the pool a device write reached: the only ones not zero. */
	unsigned long pool_written[BITS_TO_LONGS(POOL_FRAMES)];
	unsigned char buf[MAX_XFER], want[MAX_XFER], now[MAX_XFER], expect[MAX_XFER];
	unsigned long armed_faults;	/* fault injection armed since the last op */
} S;

/* -- the model ------------------------------------------------------------- */

static struct mgranule *model_at(u64 iova)
{
	u64 idx;

	if (iova < S.win_base)
		return NULL;
	idx = (iova - S.win_base) / S.g;
	return idx < WINDOW_GRANULES ? &S.map[idx] : NULL;
}

/* Called granule by granule from the harness's loops: untraced, as they are. */
FUZZ_NO_COVERAGE
static bool model_mapped(u64 iova)
{
	struct mgranule *m = model_at(iova);

	return m && m->mapped;
}

/* The core's choice of page size for the next chunk (iommu_pgsize()). */
static unsigned long model_pgsize(u64 addr_merge, u64 size)
{
	unsigned int idx = (unsigned int)__fls(size);
	unsigned long candidates;

	if (addr_merge)
		idx = min(idx, (unsigned int)__ffs(addr_merge));
	candidates = idx >= BITS_PER_LONG - 1 ? ~0UL : (1UL << (idx + 1)) - 1;
	candidates &= S.sim.pgsize_bitmap;
	FUZZ_CHECK(candidates, "harness: no page size for %#llx", (unsigned long long)addr_merge);
	return 1UL << __fls(candidates);
}

/*
 * What iommu_map() must do: 0 (with the model updated), or the errno, with
 * *@warns set to the WARNs it must produce.
 */
FUZZ_NO_COVERAGE
static int model_map(u64 iova, phys_addr_t phys, u64 size, int prot, unsigned long *warns)
{
	u64 cur = iova, left = size, off;
	phys_addr_t p = phys;

	*warns = 0;
	if ((iova | phys | size) & (S.g - 1))
		return -EINVAL;
	if (size && (iova + size - 1 < iova || phys + size - 1 < phys))
		return -EINVAL;
	if (!(prot & (IOMMU_READ | IOMMU_WRITE)))
		return 0;
	while (left) {
		unsigned long pgsize = model_pgsize(cur | p, left);

		if (pgsize > S.sim.input_size || cur > S.sim.input_size - pgsize) {
			*warns = 1;
			return -ERANGE;
		}
		for (off = 0; off < pgsize; off += S.g)
			if (model_mapped(cur + off))
				return -EEXIST;
		cur += pgsize;
		p += pgsize;
		left -= pgsize;
	}
	for (off = 0; off < size; off += S.g) {
		struct mgranule *m = model_at(iova + off);

		FUZZ_CHECK(m, "harness: mapping outside the model's window");
		m->mapped = true;
		m->phys = phys + off;
		m->prot = prot;
		S.nr_mapped++;
	}
	return 0;
}

static void model_unmap_granule(u64 iova)
{
	struct mgranule *m = model_at(iova);

	m->mapped = false;
	S.nr_mapped--;
}

/* What iommu_unmap() must return; *@warns as above.  The model is updated. */
FUZZ_NO_COVERAGE
static u64 model_unmap(u64 iova, u64 size, unsigned long *warns)
{
	u64 cur = iova, unmapped = 0;

	*warns = 0;
	if ((iova | size) & (S.g - 1))
		return 0;
	while (unmapped < size) {
		unsigned long pgsize = model_pgsize(cur, size - unmapped);
		u64 done = 0;

		if (pgsize > S.sim.input_size || cur > S.sim.input_size - pgsize) {
			*warns = 1;
			break;
		}
		while (done < pgsize && model_mapped(cur + done)) {
			model_unmap_granule(cur + done);
			done += S.g;
		}
		if (!done)
			break;
		cur += done;
		unmapped += done;
	}
	return unmapped;
}

/* -- checks ------------------------------------------------------------------ */

FUZZ_NO_COVERAGE
static void check_state(const char *after)
{
	u64 mapped;

	fuzz_sim_check(&S.sim, after);
	mapped = fuzz_sim_mapped_bytes(&S.sim);
	FUZZ_CHECK(mapped == S.nr_mapped * S.g,
		   "mapped-bytes: after %s the domain maps %#llx bytes, the model %#llx",
		   after, (unsigned long long)mapped, (unsigned long long)(S.nr_mapped * S.g));
}

/*
 * The first faulting address of an access of @len bytes at @iova, and why;
 * false if the model lets it through.
 */
FUZZ_NO_COVERAGE
static bool model_access_fault(u64 iova, size_t len, bool is_write, u64 *fault_iova,
			       enum iosim_iommu_fault_reason *reason)
{
	int need = is_write ? IOMMU_WRITE : IOMMU_READ;
	u64 cur = iova, end = iova + len;

	if (!S.sim.attached) {
		*fault_iova = iova;
		*reason = IOSIM_IOMMU_FAULT_NO_DOMAIN;
		return true;
	}
	while (cur < end) {
		struct mgranule *m = model_at(cur);

		*fault_iova = cur;
		if (cur >= S.sim.input_size) {
			*reason = IOSIM_IOMMU_FAULT_ADDRESS_SIZE;
			return true;
		}
		if (!m || !m->mapped) {
			*reason = IOSIM_IOMMU_FAULT_TRANSLATION;
			return true;
		}
		if (!(m->prot & need)) {
			*reason = IOSIM_IOMMU_FAULT_PERMISSION;
			return true;
		}
		if (!iosim_phys_is_ram(m->phys + (cur & (S.g - 1)), 1)) {
			*reason = IOSIM_IOMMU_FAULT_BUS_ERROR;
			return true;
		}
		cur = (cur | (S.g - 1)) + 1;
	}
	return false;
}

/* The linear-map address of simulated @phys, which the model maps in the pool. */
static unsigned char *pool_byte(phys_addr_t phys)
{
	FUZZ_CHECK(phys >= S.pool_phys && phys < S.pool_phys + POOL_BYTES,
		   "harness: %#llx outside the pool", (unsigned long long)phys);
	return S.pool_virt + (phys - S.pool_phys);
}

FUZZ_NO_COVERAGE
static phys_addr_t model_phys(u64 iova)
{
	struct mgranule *m = model_at(iova);

	return m->phys + (iova & (S.g - 1));
}

static void check_fault_record(u64 fault_iova, enum iosim_iommu_fault_reason reason,
			       bool is_write, unsigned long reported_before)
{
	struct iosim_iommu_fault f;
	bool reported = reason != IOSIM_IOMMU_FAULT_BUS_ERROR &&
			reason != IOSIM_IOMMU_FAULT_NO_DOMAIN;

	FUZZ_CHECK(iosim_iommu_last_fault(S.sim.iommu, &f), "fault-log: a fault was not logged");
	FUZZ_CHECK(f.reason == reason && f.iova == fault_iova && f.dev == S.sim.dev &&
		   f.flags == (is_write ? IOMMU_FAULT_WRITE : IOMMU_FAULT_READ),
		   "fault-log: logged %s at %#lx flags %d, the model %s at %#llx",
		   iosim_iommu_fault_reason_name(f.reason), f.iova, f.flags,
		   iosim_iommu_fault_reason_name(reason), (unsigned long long)fault_iova);
	FUZZ_CHECK(f.reported == reported && S.sim.nr_reported == reported_before + reported,
		   "fault-report: %s fault %s reported (handler calls %lu -> %lu)",
		   iosim_iommu_fault_reason_name(reason), reported ? "not" : "wrongly",
		   reported_before, S.sim.nr_reported);
	if (reported)
		FUZZ_CHECK(S.sim.last_reported_iova == fault_iova,
			   "fault-report: the handler heard %#lx, the fault is at %#llx",
			   S.sim.last_reported_iova, (unsigned long long)fault_iova);
	iosim_iommu_clear_faults(S.sim.iommu);
}

/* -- decoding ------------------------------------------------------------------ */

static u64 get_iova(struct fuzz_input *in)
{
	u64 iova = S.win_base + (u64)(fuzz_get_u16(in) % WINDOW_GRANULES) * S.g;

	if (fuzz_get_choice(in, 16) == 0)
		iova += S.g / 2;	/* unaligned */
	return iova;
}

/* -- operations -------------------------------------------------------------- */

static void op_map(struct fuzz_input *in)
{
	static const int prots[] = {
		IOMMU_READ | IOMMU_WRITE, IOMMU_READ, IOMMU_WRITE,
		IOMMU_READ | IOMMU_WRITE | IOMMU_CACHE, IOMMU_READ | IOMMU_NOEXEC, 0, IOMMU_CACHE,
		IOMMU_READ | IOMMU_WRITE,
	};
	u64 iova = get_iova(in), size, idx;
	unsigned int size_kind = fuzz_get_choice(in, 8);
	unsigned long nr = 1 + fuzz_get_u16(in) % 64, warns, before, block;
	bool mmio = fuzz_get_choice(in, 8) == 0;
	unsigned long pidx = fuzz_get_u16(in);
	int prot = FUZZ_PICK(in, prots), want, got;
	u64 target_bytes = mmio ? MMIO_SIZE : POOL_BYTES;
	phys_addr_t phys;

	/* The largest block the page sizes allow that still fits the pool. */
	block = S.sim.pgsize_bitmap & (POOL_BYTES | (POOL_BYTES - 1));
	block = block ? 1UL << __fls(block) : S.g;
	if (size_kind == 0) {
		nr = block / S.g;
		iova = round_down(iova, block);
		pidx = 0;
	} else if (size_kind == 1) {
		nr = 1;
	} else if (size_kind == 2) {
		nr = 0;
	}
	pidx %= target_bytes / S.g;
	if (pidx + nr > target_bytes / S.g)
		nr = target_bytes / S.g - pidx;
	phys = (mmio ? MMIO_BASE : S.pool_phys) + pidx * S.g;
	/* Keep the range inside the window: the model knows nothing beyond it. */
	idx = (iova - S.win_base) / S.g;
	if (idx + nr > WINDOW_GRANULES)
		nr = WINDOW_GRANULES - idx;
	size = (u64)nr * S.g;
	if (fuzz_get_choice(in, 16) == 0)
		size += S.g / 2;	/* unaligned */
	if (fuzz_get_choice(in, 16) == 0)
		phys += S.g / 2;

	before = fuzz_warns();
	S.armed_faults = iosim_fault_injected();
	got = iommu_map(S.sim.domain, iova, phys, size, prot);
	fuzz_digest_add(&got, sizeof(got));
	if (got == -ENOMEM && iosim_fault_injected() != S.armed_faults)
		return;		/* an injected failure: the checks below see no change */
	want = model_map(iova, phys, size, prot, &warns);
	fuzz_trace("  iommu_map(%#llx, %#llx, %#llx, %#x) = %d", (unsigned long long)iova,
		   (unsigned long long)phys, (unsigned long long)size, prot, got);
	FUZZ_CHECK(got == want,
		   "map: iommu_map(%#llx, %#llx, %#llx, prot %#x) returned %d, the model %d",
		   (unsigned long long)iova, (unsigned long long)phys, (unsigned long long)size,
		   prot, got, want);
	fuzz_expect_warns(before, warns, "iommu_map");
}

static void op_unmap(struct fuzz_input *in)
{
	u64 iova = get_iova(in), size, want, got;
	unsigned int kind = fuzz_get_choice(in, 8);
	unsigned long warns, before;

	switch (kind) {
	case 0:
		size = S.g * (u64)WINDOW_GRANULES * 2;	/* past the window (and the end) */
		break;
	case 1:
		size = 0;
		break;
	default:
		size = (u64)(1 + fuzz_get_u16(in) % 64) * S.g;
		break;
	}
	if (fuzz_get_choice(in, 16) == 0)
		size += S.g / 2;
	before = fuzz_warns();
	S.armed_faults = iosim_fault_injected();
	got = iommu_unmap(S.sim.domain, iova, size);
	fuzz_digest_add(&got, sizeof(got));
	if (iosim_fault_injected() != S.armed_faults) {
		/* A split failed: what was unmapped is the start of the run. */
		u64 off;

		FUZZ_CHECK(!(got & (S.g - 1)), "unmap: returned %#llx, not a multiple of the granule",
			   (unsigned long long)got);
		for (off = 0; off < got; off += S.g) {
			FUZZ_CHECK(model_mapped(iova + off), "unmap: unmapped %#llx, which was not mapped",
				   (unsigned long long)(iova + off));
			model_unmap_granule(iova + off);
		}
		return;
	}
	want = model_unmap(iova, size, &warns);
	fuzz_trace("  iommu_unmap(%#llx, %#llx) = %#llx", (unsigned long long)iova,
		   (unsigned long long)size, (unsigned long long)got);
	FUZZ_CHECK(got == want, "unmap: iommu_unmap(%#llx, %#llx) returned %#llx, the model %#llx",
		   (unsigned long long)iova, (unsigned long long)size, (unsigned long long)got,
		   (unsigned long long)want);
	fuzz_expect_warns(before, warns, "iommu_unmap");
}

static void op_translate(struct fuzz_input *in)
{
	u64 iova = S.win_base + (u64)(fuzz_get_u16(in) % WINDOW_GRANULES) * S.g +
		   fuzz_get_u16(in) % S.g;
	struct mgranule *m = model_at(iova);
	phys_addr_t got = iommu_iova_to_phys(S.sim.domain, iova);
	phys_addr_t want = m && m->mapped ? model_phys(iova) : 0;
	struct iosim_iommu_pte pte;
	int ret;

	fuzz_digest_add(&got, sizeof(got));
	FUZZ_CHECK(got == want, "translate: iommu_iova_to_phys(%#llx) = %#llx, the model %#llx",
		   (unsigned long long)iova, (unsigned long long)got, (unsigned long long)want);
	ret = iosim_iommu_domain_lookup(S.sim.domain, iova, &pte);
	if (iova >= S.sim.input_size) {
		FUZZ_CHECK(ret == -ERANGE, "translate: lookup beyond the input size gave %d", ret);
		return;
	}
	FUZZ_CHECK((ret == 0) == (m && m->mapped),
		   "translate: iosim_iommu_domain_lookup(%#llx) = %d, the model says %s",
		   (unsigned long long)iova, ret, m && m->mapped ? "mapped" : "unmapped");
	if (ret)
		return;
	FUZZ_CHECK(pte.iova <= iova && iova - pte.iova < pte.size &&
		   pte.phys + (iova - pte.iova) == want &&
		   (pte.prot & (IOMMU_READ | IOMMU_WRITE)) ==
		   (m->prot & (IOMMU_READ | IOMMU_WRITE)),
		   "translate: leaf [%#lx +%#lx] -> %#llx prot %#x, the model %#llx prot %#x",
		   pte.iova, pte.size, (unsigned long long)pte.phys, pte.prot,
		   (unsigned long long)want, m->prot);
	FUZZ_CHECK(pte.size >= S.g && (pte.size & S.sim.pgsize_bitmap),
		   "translate: leaf of %#lx bytes is no page size of the domain", pte.size);
}

/*
 * What memory holds where the model maps [@iova, @iova + @len): the pool's
 * bytes where it maps the pool, 0 elsewhere, into @out.  Granule by granule
 * (a granule maps contiguous physical memory), not byte by byte.  Return:
 * how many of the bytes the model maps into the pool.
 */
FUZZ_NO_COVERAGE
static size_t model_bytes(u64 iova, size_t len, unsigned char *out)
{
	phys_addr_t pool_end = S.pool_phys + POOL_BYTES;
	size_t off = 0, in = 0;

	while (off < len) {
		u64 cur = iova + off;
		size_t n = min_t(u64, len - off, S.g - (cur & (S.g - 1)));
		struct mgranule *m = model_at(cur);

		memset(out + off, 0, n);
		if (m && m->mapped) {
			phys_addr_t phys = m->phys + (cur & (S.g - 1));
			phys_addr_t lo = max(phys, S.pool_phys), hi = min(phys + n, pool_end);

			if (lo < hi) {
				memcpy(out + off + (lo - phys), pool_byte(lo), hi - lo);
				in += hi - lo;
			}
		}
		off += n;
	}
	return in;
}

/*
 * Note the pool frames a device write to [@iova, @iova + @len) reached; the
 * model maps all of it into the pool (op_dma() checked).
 */
FUZZ_NO_COVERAGE
static void pool_note_written(u64 iova, size_t len)
{
	size_t off = 0;

	while (off < len) {
		u64 cur = iova + off;
		size_t n = min_t(u64, len - off, S.g - (cur & (S.g - 1)));
		phys_addr_t phys = model_phys(cur);
		unsigned long first = (unsigned long)((pool_byte(phys) - S.pool_virt) >> PAGE_SHIFT);
		unsigned long last = (unsigned long)((pool_byte(phys + n - 1) - S.pool_virt) >>
						     PAGE_SHIFT);

		for (; first <= last; first++)
			__set_bit(first, S.pool_written);
		off += n;
	}
}

/*
 * Zero the pool frames a device wrote, and free the pool as zeroed: neither
 * the free's poison nor the RAM reset's zeroing then write its 2 MiB (they
 * were most of an input's floor).  The order tests' iosim_ram_check_fresh()
 * after every input proves no other byte of it changed.
 */
FUZZ_NO_COVERAGE	/* its scan of the pool's frames is not worth a traced compare each */
static void pool_free(void)
{
	unsigned long f;

	for (f = 0; f < POOL_FRAMES; f++)
		if (test_bit(f, S.pool_written))
			memset(S.pool_virt + f * PAGE_SIZE, 0, PAGE_SIZE);
	iosim_ram_free_pages_zeroed(S.pool, S.pool_order);
}

/* The device's data pattern for a write. */
FUZZ_FILL
static void fill_pattern(unsigned char *buf, size_t len, unsigned char seed)
{
	size_t off;

	for (off = 0; off < len; off++)
		buf[off] = (unsigned char)(seed + off * 13 + (off >> 7));
}

/* Does every one of the @len bytes at @buf (a transfer buffer) equal @c? */
FUZZ_FILL
static bool bytes_all(const unsigned char *buf, unsigned char c, size_t len)
{
	size_t off;

	for (off = 0; off < len; off++)
		if (buf[off] != c)
			return false;
	return true;
}

/*
 * What a write of @wrote (@len bytes at @iova, every granule of it mapped
 * into the pool) leaves where each of its bytes lands, into @expect.  Two
 * granules of one access may alias (the model maps several IOVAs to one
 * physical granule): the bus master copies the pieces in bus-address order,
 * so where a later piece lands on an earlier one's bytes, they hold its data.
 */
static void model_written(u64 iova, size_t len, const unsigned char *wrote,
			  unsigned char *expect)
{
	size_t a_off, b_off, a_len, b_len;

	memcpy(expect, wrote, len);
	for (a_off = 0; a_off < len; a_off += a_len) {
		phys_addr_t a = model_phys(iova + a_off);

		a_len = min_t(u64, len - a_off, S.g - ((iova + a_off) & (S.g - 1)));
		for (b_off = a_off + a_len; b_off < len; b_off += b_len) {
			phys_addr_t b = model_phys(iova + b_off);
			phys_addr_t lo, hi;

			b_len = min_t(u64, len - b_off, S.g - ((iova + b_off) & (S.g - 1)));
			lo = max(a, b);
			hi = min(a + a_len, b + b_len);
			if (lo < hi)
				memcpy(expect + a_off + (lo - a), wrote + b_off + (lo - b), hi - lo);
		}
	}
}

static void op_dma(struct fuzz_input *in, bool is_write)
{
	u64 iova = S.win_base + (u64)(fuzz_get_u16(in) % WINDOW_GRANULES) * S.g +
		   fuzz_get_u16(in) % S.g;
	size_t len = 1 + fuzz_get_u16(in) % min_t(u64, MAX_XFER, 3 * S.g);
	unsigned char seed = fuzz_get_u8(in);
	enum iosim_iommu_fault_reason reason = IOSIM_IOMMU_FAULT_TRANSLATION;
	unsigned long reported = S.sim.nr_reported, before = fuzz_warns();
	u64 fault_iova = 0, off;
	size_t in_pool_bytes;
	bool faults;
	int ret;

	faults = model_access_fault(iova, len, is_write, &fault_iova, &reason);
	/* What memory holds now where the model maps the range to the pool. */
	model_bytes(iova, len, S.want);
	if (is_write) {
		fill_pattern(S.buf, len, seed);
		ret = iosim_dma_write(S.sim.dev, iova, S.buf, len);
	} else {
		memset(S.buf, 0x5a, len);
		ret = iosim_dma_read(S.sim.dev, iova, S.buf, len);
	}
	fuzz_expect_warns(before, 0, is_write ? "iosim_dma_write" : "iosim_dma_read");
	fuzz_trace("  dma %s(%#llx, %#zx) = %d%s%s", is_write ? "write" : "read",
		   (unsigned long long)iova, len, ret, faults ? " fault: " : "",
		   faults ? iosim_iommu_fault_reason_name(reason) : "");
	fuzz_digest_add(&ret, sizeof(ret));
	FUZZ_CHECK((ret == -EFAULT) == faults && (ret == 0 || ret == -EFAULT),
		   "dma: %s of %#zx bytes at %#llx returned %d, the model %s",
		   is_write ? "write" : "read", len, (unsigned long long)iova, ret,
		   faults ? iosim_iommu_fault_reason_name(reason) : "lets it through");
	if (faults) {
		check_fault_record(fault_iova, reason, is_write, reported);
		if (is_write) {
			/* Bytes outside the pool read as 0 both times: only the pool's count. */
			model_bytes(iova, len, S.now);
			off = memcmp(S.now, S.want, len) ? fuzz_first_difference(S.now, S.want, len) : 0;
			FUZZ_CHECK(!memcmp(S.now, S.want, len),
				   "dma: a faulting write changed memory at %#llx",
				   (unsigned long long)(iova + off));
		} else {
			FUZZ_CHECK(bytes_all(S.buf, 0x5a, len), "dma: a faulting read filled the buffer");
		}
		return;
	}
	in_pool_bytes = model_bytes(iova, len, S.now);
	FUZZ_CHECK(in_pool_bytes == len, "harness: %#llx +%#zx is not all in the pool",
		   (unsigned long long)iova, len);
	if (is_write) {
		pool_note_written(iova, len);
		model_written(iova, len, S.buf, S.expect);
		if (!memcmp(S.expect, S.now, len))
			return;
		off = fuzz_first_difference(S.expect, S.now, len);
		FUZZ_CHECK(0, "dma-data: the device wrote %#x at %#llx, memory at %#llx holds %#x, not %#x%s",
			   S.buf[off], (unsigned long long)(iova + off),
			   (unsigned long long)model_phys(iova + off), S.now[off], S.expect[off],
			   S.expect[off] == S.buf[off] ? "" : " (a later byte of the access aliases it)");
	}
	fuzz_digest_add(S.buf, len);
	if (!memcmp(S.buf, S.want, len))
		return;
	off = fuzz_first_difference(S.buf, S.want, len);
	FUZZ_CHECK(0, "dma-data: the device read %#x at %#llx, memory at %#llx holds %#x",
		   S.buf[off], (unsigned long long)(iova + off),
		   (unsigned long long)model_phys(iova + off), S.want[off]);
}

static void op_inject(struct fuzz_input *in)
{
	unsigned int n = 1 + fuzz_get_u8(in) % 8;

	switch (fuzz_get_choice(in, 3)) {
	case 0:
		iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_PGTABLE), n);
		break;
	case 1:
		iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_IOMMU_MAP), n);
		break;
	default:
		iosim_fault_reset();
		break;
	}
}

/* -- the entry point ------------------------------------------------------------ */

static void setup(struct fuzz_input *in)
{
	static const unsigned long granules[] = { SZ_4K, IOSIM_IOMMU_SMALL_PAGE, SZ_16K, SZ_64K };
	static const unsigned int ias[] = { 48, 39, 32, 40 };
	struct fuzz_sim_config cfg = {};
	unsigned int iotlb = fuzz_get_choice(in, 3), place = fuzz_get_choice(in, 4);
	u64 win_bytes;

	cfg.iommu.granule = FUZZ_PICK(in, granules);
	cfg.iommu.ias_bits = FUZZ_PICK(in, ias);
	if (fuzz_get_choice(in, 4) == 0)
		cfg.iommu.pgsize_mask = cfg.iommu.granule;
	cfg.iommu.no_iotlb = iotlb == 1;
	cfg.iommu.iotlb_entries = iotlb == 2 ? 2 : 0;
	cfg.iommu.mmio_base = MMIO_BASE;
	cfg.iommu.mmio_size = MMIO_SIZE;
	cfg.ram_base = fuzz_get_bool(in) ? 0x40000000ULL : 0;
	cfg.dev.dma_mask = DMA_BIT_MASK(64);
	/* The pool and the page tables: every frame costs the end-of-input checkers time. */
	cfg.ram_size = max_t(u64, 4 * POOL_BYTES, 64 * PAGE_SIZE);
	fuzz_sim_create(&S.sim, &cfg, true);
	S.g = S.sim.granule;

	win_bytes = (u64)WINDOW_GRANULES * S.g;
	switch (place) {
	case 0:
		S.win_base = 0;
		break;
	case 1:
		S.win_base = SZ_4G - win_bytes / 2;
		break;
	case 2:
		S.win_base = S.sim.input_size - win_bytes;
		break;
	default:
		S.win_base = S.sim.input_size - win_bytes / 2;
		break;
	}

	/* The memory mappings point at: one naturally aligned block. */
	S.pool_order = get_order(POOL_BYTES);
	S.pool = alloc_pages(GFP_KERNEL | __GFP_ZERO, S.pool_order);
	FUZZ_CHECK(S.pool, "harness: no pool memory");
	S.pool_phys = page_to_phys(S.pool);
	fuzz_digest_add(&S.pool_phys, sizeof(S.pool_phys));
	S.pool_virt = page_address(S.pool);
}

/*
 * Unmap what the model still maps, one iommu_unmap() per run of mapped
 * granules (the core splits it into page sizes; the format frees whole
 * tables and splits blocks on the way), which must unmap all of it.
 */
FUZZ_NO_COVERAGE
static void unmap_everything(void)
{
	unsigned long i = 0, end;

	while (i < WINDOW_GRANULES) {
		u64 iova = S.win_base + i * S.g, bytes;
		size_t got;

		if (!S.map[i].mapped) {
			i++;
			continue;
		}
		for (end = i + 1; end < WINDOW_GRANULES && S.map[end].mapped; end++)
			;
		bytes = (u64)(end - i) * S.g;
		got = iommu_unmap(S.sim.domain, iova, bytes);
		FUZZ_CHECK(got == bytes, "unmap: tearing down [%#llx +%#llx) unmapped %#zx",
			   (unsigned long long)iova, (unsigned long long)bytes, got);
		for (; i < end; i++)
			model_unmap_granule(S.win_base + i * S.g);
	}
}

static unsigned long teardown(void)
{
	unsigned long before = fuzz_warns();

	iosim_fault_reset();
	unmap_everything();
	fuzz_expect_warns(before, 0, "unmapping everything");
	check_state("unmapping everything");
	FUZZ_CHECK(fuzz_sim_tables(&S.sim) <= 1,
		   "tables: %lu page tables remain with nothing mapped", fuzz_sim_tables(&S.sim));
	pool_free();
	return fuzz_sim_destroy(&S.sim);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in;
	unsigned int nr_ops = 0;

	fuzz_begin();
	fuzz_input_init(&in, data, size);
	/* Not the transfer buffers (576 KiB): each operation writes what it reads. */
	memset(&S, 0, offsetof(struct pgt_state, buf));
	setup(&in);
	check_state("setup");

	while (!fuzz_input_done(&in) && nr_ops++ < MAX_OPS) {
		const char *name;

		switch (fuzz_get_choice(&in, 12)) {
		case 0: case 1: case 2:
			name = "iommu_map";
			op_map(&in);
			break;
		case 3: case 4:
			name = "iommu_unmap";
			op_unmap(&in);
			break;
		case 5:
			name = "translate";
			op_translate(&in);
			break;
		case 6: case 7:
			name = "dma read";
			op_dma(&in, false);
			break;
		case 8: case 9:
			name = "dma write";
			op_dma(&in, true);
			break;
		case 10:
			name = "attach/detach";
			if (S.sim.attached)
				fuzz_sim_detach(&S.sim);
			else
				fuzz_sim_attach(&S.sim);	/* may fail under injection */
			break;
		default:
			if (fuzz_get_bool(&in)) {
				name = "iotlb flush";
				iosim_iommu_iotlb_flush(S.sim.iommu);
			} else {
				name = "fault injection";
				op_inject(&in);
			}
			break;
		}
		fuzz_trace("%s", name);
		check_state(name);
	}
	fuzz_end(teardown());
	return 0;
}
