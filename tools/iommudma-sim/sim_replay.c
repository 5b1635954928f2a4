// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sim_replay.c - replay a recorded dma:* trace through the simulated stack.
 *
 * Each event becomes the driver call that produced it, on a simulated device
 * of the traced device's name (one per distinct name, created on first
 * sight, from its [device] section or the defaults): map events map the
 * relocated memory with dma_map_page() (dma_map_single_attrs() when the
 * event carries attributes the kernel of 2015 has) / dma_map_sg_attrs(),
 * allocations call dma_alloc_attrs(), and unmaps, syncs and frees find their
 * mapping by the trace's DMA address (single mappings, allocations; a sync
 * anywhere inside) or physical address list (scatterlists) and use the
 * simulator's own handle, with the event's own size (within limits:
 * rp_unmap_size(), rp_free_size()), direction and attributes.  The device
 * moves data as the trace says it would: it reads a TO_DEVICE/BIDIRECTIONAL
 * mapping when it is made and writes a FROM_DEVICE/BIDIRECTIONAL range
 * before each sync for the CPU.  MMIO and zero-size single mappings are
 * recorded, not made; their unmaps are matched to them silently.
 *
 * The trace's physical addresses are relocated onto simulated RAM page by
 * page (reloc.h); the pages are allocated on demand and kept to the end.
 *
 * What cannot be matched is classified: an unmap, free or sync of an address
 * the trace has not mapped is "unmatched (trace probably starts mid-run)";
 * of an address mapped and already unmapped earlier in the trace (for a
 * sync, or inside such a single mapping or buffer), a driver bug.  Scatterlist entry lengths are not in any trace layout: the recorded
 * DMA length is shared evenly among the recorded entries (in-page offsets
 * kept); a list the kernel cut ([TRUNCATED]) replays what was recorded.
 */
#include <stdio.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <iosim/ram.h>

#include "reloc.h"
#include "sim.h"

/* uthash allocates through the shim and survives allocation failure. */
#define HASH_NONFATAL_OOM	1
#define uthash_malloc(sz)	kzalloc(sz, GFP_KERNEL)
#define uthash_free(ptr, sz)	kfree(ptr)
#define uthash_nonfatal_oom(elt) (rp_oom = true)
static _Thread_local bool rp_oom;
#include <uthash.h>

#include <iosim/hash_add.h>

#define RP_MAX_PIECES	16
#define RP_MAX_XFER	(64u << 10)	/* bytes the device moves per access, at most */
#define RP_SG_TRACE_CAP	128		/* entries a kernel records of a list, at most */

/*
 * What a record is keyed by: single mappings and allocations by the trace's
 * DMA address; scatterlists by a hash of their recorded physical address list
 * (rp_list_key()).  RP_SG_DMA keys only the dead table: an unmapped list by
 * its first trace DMA address, which is what an sg sync names.
 */
enum rp_class { RP_SINGLE, RP_SG, RP_ALLOC, RP_SG_DMA };

/*
 * A single mapping the replay records but does not make: MMIO (device
 * memory, dma_map_resource(), which the kernel of 2015 lacks) or zero-size
 * (which the DMA API refuses).  Its unmap is matched to it silently.
 */
enum rp_kind { RP_REAL, RP_MMIO, RP_ZERO };

struct rp_key {
	struct sim_dev *d;
	enum rp_class cls;
	uint64_t addr;		/* trace DMA address; list hash for RP_SG */
};

/* A live mapping or buffer made by the replay (or recorded only: @kind). */
struct rp_map {
	struct rp_key key;
	enum rp_kind kind;
	uint64_t handle;	/* the simulator's DMA address */
	uint64_t size;		/* bytes mapped here (single, alloc) */
	uint64_t trace_size;	/* bytes the trace mapped (single, alloc) */
	int dir;
	unsigned int attrs;	/* IOSIM_TRACE_ATTR_* of the kernel of 2015 it was made with */
	bool single;		/* mapped with dma_map_single_attrs() (it had attributes) */
	unsigned long line;
	struct sg_table sgt;	/* sg: the list mapped */
	int nents;
	uint64_t trace_dma0;	/* sg: the trace's first DMA address (for syncs) */
	uint64_t *phys;		/* sg: the trace's recorded physical address list */
	size_t nr_phys;
	unsigned int nents_total;	/* sg: entries of the traced list (nents=/B) */
	void *cpu;		/* alloc: CPU address */
	UT_hash_handle hh;
};

/*
 * An address mapped and unmapped earlier in the trace, with the simulator's
 * handle it had, so that a second unmap, free or sync can be replayed as the
 * call the driver made (single mappings and allocations; an sg list is
 * freed with its mapping).
 */
struct rp_dead {
	struct rp_key key;
	unsigned long line;	/* where it was unmapped */
	uint64_t handle;	/* the simulator's DMA address it had */
	uint64_t size;
	uint64_t trace_size;
	int dir;
	unsigned int attrs;
	bool single;
	bool made;		/* the simulation made it (not MMIO, not zero-size) */
	void *cpu;		/* alloc: the CPU address it had */
	UT_hash_handle hh;
};

/* What an unmatched event asked for, to replay it against a stale handle. */
enum rp_call { RP_CALL_UNMAP, RP_CALL_FREE, RP_CALL_SYNC_CPU, RP_CALL_SYNC_DEVICE };

/* A block of simulated RAM the relocation handed out. */
struct rp_block {
	struct page *page;
	unsigned int order;
	struct rp_block *next;
};

/* A traced device name and the simulated device it became. */
struct rp_name {
	char *trace_name;
	struct sim_dev *d;
};

struct rp_state {
	struct sim_system *sys;
	struct sim_replay_stats *st;
	const char *name;
	FILE *msgs;
	struct iosim_reloc_map *reloc;
	unsigned int reloc_shift;
	struct rp_map *maps;
	struct rp_dead *dead;
	struct rp_block *blocks;
	unsigned char *xfer;
	unsigned int nr_names;
	struct rp_name names[SIM_MAX_DEVICES];
};

/* The relocation's allocator: @nr consecutive reloc pages of simulated RAM. */
static int rp_reloc_alloc(void *priv, uint64_t nr, uint64_t hint, uint64_t *first)
{
	struct rp_state *s = priv;
	uint64_t bytes = nr << s->reloc_shift;
	struct rp_block *b;
	unsigned int order;

	if (bytes > (PAGE_SIZE << (MAX_ORDER - 1)))
		return -E2BIG;
	order = get_order(bytes);
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	b->page = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	if (!b->page) {
		kfree(b);
		return -ENOMEM;
	}
	b->order = order;
	b->next = s->blocks;
	s->blocks = b;
	*first = (page_to_phys(b->page) - iosim_ram_base_phys()) >> s->reloc_shift;
	return 0;
}

/*
 * The kernel of 2015's struct dma_attrs for the trace's @bits (the names it
 * has: WEAK_ORDERING, WRITE_COMBINE, NO_KERNEL_MAPPING, SKIP_CPU_SYNC,
 * FORCE_CONTIGUOUS).  Return: true if one is set.
 */
static bool rp_dma_attrs(unsigned int bits, struct dma_attrs *attrs)
{
	static const struct {
		unsigned int bit;
		enum dma_attr attr;
	} map[] = {
		{ IOSIM_TRACE_ATTR_WEAK_ORDERING, DMA_ATTR_WEAK_ORDERING },
		{ IOSIM_TRACE_ATTR_WRITE_COMBINE, DMA_ATTR_WRITE_COMBINE },
		{ IOSIM_TRACE_ATTR_NO_KERNEL_MAPPING, DMA_ATTR_NO_KERNEL_MAPPING },
		{ IOSIM_TRACE_ATTR_SKIP_CPU_SYNC, DMA_ATTR_SKIP_CPU_SYNC },
		{ IOSIM_TRACE_ATTR_FORCE_CONTIGUOUS, DMA_ATTR_FORCE_CONTIGUOUS },
	};
	bool any = false;
	unsigned int i;

	init_dma_attrs(attrs);
	for (i = 0; i < ARRAY_SIZE(map); i++) {
		if (bits & map[i].bit) {
			dma_set_attr(map[i].attr, attrs);
			any = true;
		}
	}
	return any;
}

/* A 64-bit mix (splitmix64's finaliser). */
static uint64_t rp_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/*
 * The key of a physical address list: a hash of its first RP_SG_TRACE_CAP
 * entries (what a kernel records of a longer list), so that a map and an
 * unmap of one list get the same key when either was cut.
 */
static uint64_t rp_list_key(const uint64_t *phys, size_t n)
{
	uint64_t h = 0x6a09e667f3bcc909ull;
	size_t i;

	if (n > RP_SG_TRACE_CAP)
		n = RP_SG_TRACE_CAP;
	for (i = 0; i < n; i++)
		h = rp_mix(h ^ rp_mix(phys[i] + i));
	return rp_mix(h ^ n);
}

/*
 * Is @phys (@n entries, an unmap's list) the list @m mapped?  The whole
 * list, or the recorded prefix when one side was cut: @m recorded fewer
 * entries than its list had (nents=A/B, A < B), or the unmap holds exactly
 * the RP_SG_TRACE_CAP entries a kernel records.
 */
static bool rp_sg_matches(const struct rp_map *m, const uint64_t *phys, size_t n)
{
	size_t cmp;

	if (n == m->nr_phys)
		cmp = n;
	else if (n > m->nr_phys && m->nr_phys < m->nents_total && n <= m->nents_total)
		cmp = m->nr_phys;
	else if (n < m->nr_phys && n == RP_SG_TRACE_CAP)
		cmp = n;
	else
		return false;
	return !cmp || !memcmp(m->phys, phys, cmp * sizeof(*phys));
}

static void rp_note_bug(struct rp_state *s, const struct iosim_trace_event *ev,
			struct sim_dev *d, const struct rp_dead *dead, uint64_t addr)
{
	struct sim_replay_stats *st = s->st;

	st->unmatched_bug++;
	if (st->nr_bugs < ARRAY_SIZE(st->bugs))
		snprintf(st->bugs[st->nr_bugs++], sizeof(st->bugs[0]),
			 "%s:%lu: %s %s %#llx: already unmapped/freed at line %lu", s->name,
			 ev->line, iosim_trace_kind_name(ev->kind), d->st->name,
			 (unsigned long long)addr, dead->line);
}

static struct rp_map *rp_find(struct rp_state *s, struct sim_dev *d, enum rp_class cls,
			      uint64_t addr)
{
	struct rp_key key;
	struct rp_map *m;

	memset(&key, 0, sizeof(key));
	key.d = d;
	key.cls = cls;
	key.addr = addr;
	HASH_FIND(hh, s->maps, &key, sizeof(key), m);
	return m;
}

static struct rp_dead *rp_find_dead(struct rp_state *s, struct sim_dev *d, enum rp_class cls,
				    uint64_t addr)
{
	struct rp_dead *dead;
	struct rp_key key;

	memset(&key, 0, sizeof(key));
	key.d = d;
	key.cls = cls;
	key.addr = addr;
	HASH_FIND(hh, s->dead, &key, sizeof(key), dead);
	return dead;
}

/* The event's direction as the kernel's enum dma_data_direction (NONE is not mappable). */
static int rp_dir_of(const struct iosim_trace_event *ev)
{
	return ev->dir == IOSIM_TRACE_DIR_NONE ? DMA_BIDIRECTIONAL : (int)ev->dir;
}

/* Does a live single mapping or allocation of @d hold the simulator's @handle? */
static bool rp_handle_live(struct rp_state *s, struct sim_dev *d, uint64_t handle)
{
	struct rp_map *m, *tmp;

	HASH_ITER(hh, s->maps, m, tmp)
		if (m->key.d == d && m->key.cls != RP_SG && m->kind == RP_REAL &&
		    handle >= m->handle && handle < m->handle + m->size)
			return true;
	return false;
}

/*
 * Replay a driver bug's call against the handle its buffer had (@off bytes
 * into it; @len bytes for a sync, 0: the rest), so that the stack's own
 * checks (DMA-API debugging, the ops' WARNs) see what the kernel's would.
 * Not for a buffer the simulation never made (MMIO, zero-size) or a list
 * (gone with its mapping), and not when the simulation has since handed
 * that handle to a live buffer, or to the IOVA allocation of one (a granule
 * holds more than a small buffer): the call would tear down an innocent
 * mapping, and every later event of it would then fail as a consequence of
 * the replay, not the trace.
 */
static void rp_replay_stale(struct rp_state *s, struct sim_dev *d, const struct rp_dead *dead,
			    const struct iosim_trace_event *ev, enum rp_call call, uint64_t off,
			    uint64_t len)
{
	uint64_t handle = dead->handle + off;
	DEFINE_DMA_ATTRS(attrs);

	if (!dead->made || (dead->key.cls != RP_SINGLE && dead->key.cls != RP_ALLOC) ||
	    off >= dead->size || rp_handle_live(s, d, handle) ||
	    sim_handle_in_live_iova(d, handle))
		return;
	switch (call) {
	case RP_CALL_UNMAP:
	case RP_CALL_FREE:
		rp_dma_attrs(dead->attrs, &attrs);
		sim_release_stale(s->sys, d, dead->handle, dead->size, dead->dir,
				  call == RP_CALL_FREE ? dead->cpu : NULL, dead->single, &attrs);
		break;
	case RP_CALL_SYNC_CPU:
	case RP_CALL_SYNC_DEVICE:
		if (!len || len > dead->size - off)
			len = dead->size - off;
		sim_sync_single(s->sys, d, handle, len, rp_dir_of(ev), call == RP_CALL_SYNC_CPU);
		break;
	}
	s->st->bugs_replayed++;
}

/*
 * No live mapping: a driver bug if @dead says the address was unmapped
 * before (its call is then replayed against the old handle, @off bytes in),
 * else the trace probably starts mid-run (nothing to call: the simulation
 * never had that buffer).  @shown: the address the bug report names.
 */
static void rp_unmatched(struct rp_state *s, const struct iosim_trace_event *ev,
			 struct sim_dev *d, const struct rp_dead *dead, uint64_t shown,
			 enum rp_call call, uint64_t off, uint64_t len)
{
	if (dead) {
		rp_note_bug(s, ev, d, dead, shown);
		rp_replay_stale(s, d, dead, ev, call, off, len);
	} else {
		s->st->unmatched_midrun++;
	}
}

/* Free a record (its mapping already undone, or never made). */
static void rp_free_map(struct rp_map *m)
{
	if (m->nents)
		sg_free_table(&m->sgt);
	kfree(m->phys);
	kfree(m);
}

/* Undo @m's mapping or buffer and free the record (not, or no longer, in s->maps). */
static void rp_release(struct rp_state *s, struct rp_map *m)
{
	struct sim_dev *d = m->key.d;
	DEFINE_DMA_ATTRS(attrs);

	rp_dma_attrs(m->attrs, &attrs);
	if (m->kind != RP_REAL)
		;	/* nothing was made */
	else if (m->key.cls == RP_SINGLE)
		sim_unmap_page_attrs(s->sys, d, m->handle, m->size, m->dir, m->single,
				     m->single ? &attrs : NULL, m->size);
	else if (m->key.cls == RP_SG)
		sim_unmap_sg_attrs(s->sys, d, m->sgt.sgl, m->nents, m->dir, &attrs);
	else
		sim_free_attrs(s->sys, d, m->size, m->cpu, m->handle, &attrs, m->size);
	rp_free_map(m);
}

/* Forget that @key was unmapped (it is mapped again). */
static void rp_revive(struct rp_state *s, struct sim_dev *d, enum rp_class cls, uint64_t addr)
{
	struct rp_dead *dead = rp_find_dead(s, d, cls, addr);

	if (dead) {
		HASH_DEL(s->dead, dead);
		kfree(dead);
	}
}

/*
 * Record @m, just mapped or allocated (or recorded only) for the trace's
 * @addr (a list's key for RP_SG).  Return: 0; or -ENOMEM when the table could
 * not be created, with the mapping undone and @m freed.
 */
static int rp_add(struct rp_state *s, struct rp_map *m, struct sim_dev *d, enum rp_class cls,
		  uint64_t addr, unsigned long line)
{
	memset(&m->key, 0, sizeof(m->key));
	m->key.d = d;
	m->key.cls = cls;
	m->key.addr = addr;
	m->line = line;
	IOSIM_HASH_ADD(hh, s->maps, key, sizeof(m->key), m, rp_oom);
	if (rp_oom) {
		rp_release(s, m);
		return -ENOMEM;
	}
	rp_revive(s, d, cls, addr);
	if (cls == RP_SG)
		rp_revive(s, d, RP_SG_DMA, m->trace_dma0);
	return 0;
}

/* Is another live list of @d at the trace DMA address @dma0? */
static bool rp_sg_dma_live(struct rp_state *s, struct sim_dev *d, uint64_t dma0)
{
	struct rp_map *m, *tmp;

	HASH_ITER(hh, s->maps, m, tmp)
		if (m->key.d == d && m->key.cls == RP_SG && m->trace_dma0 == dma0)
			return true;
	return false;
}

/* Remember that @key (of @m) was unmapped at @line, with what @m had. */
static void rp_bury(struct rp_state *s, const struct rp_map *m, const struct rp_key *key,
		    unsigned long line)
{
	struct rp_dead *dead;

	HASH_FIND(hh, s->dead, key, sizeof(*key), dead);
	if (!dead) {
		dead = kzalloc(sizeof(*dead), GFP_KERNEL);
		if (!dead)
			return;	/* the address is just not remembered */
		dead->key = *key;
		IOSIM_HASH_ADD(hh, s->dead, key, sizeof(dead->key), dead, rp_oom);
		if (rp_oom) {
			kfree(dead);
			return;
		}
	}
	dead->line = line;
	dead->handle = m->handle;
	dead->size = m->size;
	dead->trace_size = m->trace_size;
	dead->dir = m->dir;
	dead->attrs = m->attrs;
	dead->single = m->single;
	dead->made = m->kind == RP_REAL;
	dead->cpu = m->cpu;
}

/*
 * Forget @m (its mapping is gone) and remember the address was unmapped at
 * @line, unless another live record has the same address: a traced machine
 * without an IOMMU hands out the buffer's physical address, so mapping one
 * buffer twice gives two live mappings of one address (an unmap takes the
 * latest), and the address is only dead once neither is live.  A list is
 * remembered by its key and by its first DMA address (what syncs name).
 */
static void rp_remove(struct rp_state *s, struct rp_map *m, unsigned long line)
{
	struct rp_map *twin;
	struct rp_key key;

	HASH_DEL(s->maps, m);
	HASH_FIND(hh, s->maps, &m->key, sizeof(m->key), twin);
	if (!twin)
		rp_bury(s, m, &m->key, line);
	if (m->key.cls == RP_SG && !rp_sg_dma_live(s, m->key.d, m->trace_dma0)) {
		key = m->key;
		key.cls = RP_SG_DMA;
		key.addr = m->trace_dma0;
		rp_bury(s, m, &key, line);
	}
	rp_free_map(m);
}

/*
 * The simulated physical address of the trace range [@phys, +@len): the
 * first relocated piece (the whole range whenever contiguity could be kept);
 * @len is cut to that piece.  A range larger than simulated RAM, or one that
 * wraps, cannot be replayed here (and the relocation map's work grows with
 * the range's pages): it fails in the simulation.
 * Return: 0, or -ERANGE/-ENOMEM.
 */
static int rp_relocate(struct rp_state *s, uint64_t phys, uint64_t *len, phys_addr_t *sim)
{
	struct iosim_reloc_piece pieces[RP_MAX_PIECES];
	unsigned int nr = 0;
	int ret;

	if (*len > iosim_ram_size() || phys + *len - 1 < phys) {
		s->st->failed_here++;
		return -ERANGE;
	}

	if (!s->reloc) {
		if (!iosim_phys_is_ram(phys, *len)) {
			s->st->outside_ram++;
			return -ERANGE;
		}
		*sim = phys;
		return 0;
	}
	ret = iosim_reloc_range(s->reloc, phys, *len, pieces, RP_MAX_PIECES, &nr);
	if (ret == -E2BIG) {
		s->st->failed_here++;	/* scattered over too many pieces: skipped */
		return -ERANGE;
	}
	if (ret)
		return ret;
	if (nr > 1)
		s->st->reloc_split++;
	*sim = iosim_ram_base_phys() + pieces[0].sim_offset;
	*len = pieces[0].len;
	return 0;
}

/* The device moves data: reads a fresh mapping, or writes before a sync for the CPU. */
static void rp_device(struct rp_state *s, struct sim_dev *d, uint64_t handle, uint64_t len,
		      bool write)
{
	if (len > RP_MAX_XFER)
		len = RP_MAX_XFER;
	if (write)
		memset(s->xfer, 0x5a, len);
	sim_device_rw(s->sys, d, handle, s->xfer, len, write);
}

static bool rp_device_writes(int dir)
{
	return dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL;
}

static bool rp_device_reads(int dir)
{
	return dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL;
}

/*
 * What an unmap of @m passes as its size: the event's own, so that DMA-API
 * debugging sees a size the driver got wrong, but not more than was mapped:
 * past the buffer the library WARNs (and swiotlb keeps the bounce slots of a
 * size it cannot match: a leak), so a larger size is passed as the mapped
 * one.  The trace's own size for a mapping the relocation cut is what was
 * mapped here.
 */
static uint64_t rp_unmap_size(const struct rp_map *m, const struct iosim_trace_event *ev)
{
	if (!(ev->has & IOSIM_TRACE_HAS_SIZE) || ev->size == m->trace_size || !ev->size ||
	    ev->size > m->size)
		return m->size;
	return ev->size;
}

/* The IOVA granule of @d's IOMMU, or 0 without one. */
static uint64_t rp_granule(struct rp_state *s, struct sim_dev *d)
{
	unsigned int i;

	for (i = 0; d->iommu && i < s->sys->nr_iommus; i++)
		if (s->sys->iommus[i] == d->iommu)
			return s->sys->cfg.iommus[i].granule;
	return 0;
}

/*
 * What a free of @m passes as its size: the event's own when it covers the
 * same pages (and, behind an IOMMU, the same IOVA granules) as the buffer;
 * else the buffer's.  Every free path frees whole pages by the size it is
 * given (a smaller one leaks the rest, a larger one frees what is not the
 * buffer's or, behind an IOMMU, is refused with a WARN and frees nothing),
 * so a size of other pages is not passed on.
 */
static uint64_t rp_free_size(struct rp_state *s, struct sim_dev *d, const struct rp_map *m,
			     const struct iosim_trace_event *ev)
{
	uint64_t g = rp_granule(s, d);

	if (!(ev->has & IOSIM_TRACE_HAS_SIZE) || !ev->size || ev->size == m->size ||
	    PAGE_ALIGN(ev->size) != PAGE_ALIGN(m->size) ||
	    (g && ALIGN(ev->size, g) != ALIGN(m->size, g)))
		return m->size;
	return ev->size;
}

/* Record a single mapping that is not made (MMIO, zero-size). */
static int rp_map_phantom(struct rp_state *s, struct sim_dev *d,
			  const struct iosim_trace_event *ev, enum rp_kind kind)
{
	struct rp_map *m = kzalloc(sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	m->kind = kind;
	m->dir = rp_dir_of(ev);
	m->size = m->trace_size = ev->size;
	if (kind == RP_MMIO)
		s->st->mmio++;
	else
		s->st->zero_size++;
	return rp_add(s, m, d, RP_SINGLE, ev->dma_addr, ev->line);
}

static int rp_map_single(struct rp_state *s, struct sim_dev *d, const struct iosim_trace_event *ev)
{
	uint64_t len = ev->size;
	DEFINE_DMA_ATTRS(attrs);
	phys_addr_t sim;
	struct rp_map *m;
	int ret;

	if (ev->dma_addr == UINT64_MAX) {
		s->st->failed_in_trace++;
		return 0;
	}
	if (ev->attrs & IOSIM_TRACE_ATTR_MMIO)
		return rp_map_phantom(s, d, ev, RP_MMIO);
	if (!ev->size)
		return rp_map_phantom(s, d, ev, RP_ZERO);
	ret = rp_relocate(s, ev->phys_addr, &len, &sim);
	if (ret)
		return ret == -ERANGE ? 0 : ret;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->dir = rp_dir_of(ev);
	m->size = len;
	m->trace_size = ev->size;
	m->attrs = ev->attrs & IOSIM_TRACE_ATTRS_2015;
	m->single = rp_dma_attrs(m->attrs, &attrs);
	m->handle = sim_map_page_attrs(s->sys, d, phys_to_page(sim & PAGE_MASK), sim & ~PAGE_MASK,
				       len, m->dir, m->single ? &attrs : NULL);
	if (sim_mapping_failed(d, m->handle)) {
		kfree(m);
		s->st->failed_here++;
		return 0;
	}
	ret = rp_add(s, m, d, RP_SINGLE, ev->dma_addr, ev->line);
	if (ret)
		return ret;
	s->st->replayed++;
	/*
	 * With SKIP_CPU_SYNC the driver syncs for the device itself before the
	 * device reads, at a time the replay does not know: no read here.
	 */
	if (rp_device_reads(m->dir) && !(m->attrs & IOSIM_TRACE_ATTR_SKIP_CPU_SYNC))
		rp_device(s, d, m->handle, len, false);
	return 0;
}

static void rp_unmap_single(struct rp_state *s, struct sim_dev *d,
			    const struct iosim_trace_event *ev)
{
	struct rp_map *m = rp_find(s, d, RP_SINGLE, ev->dma_addr);
	DEFINE_DMA_ATTRS(attrs);

	if (!m) {
		rp_unmatched(s, ev, d, rp_find_dead(s, d, RP_SINGLE, ev->dma_addr), ev->dma_addr,
			     RP_CALL_UNMAP, 0, 0);
		return;
	}
	if (m->kind == RP_REAL) {
		/* The unmap's own size, direction and attributes, as the driver passed them. */
		rp_dma_attrs(ev->attrs, &attrs);
		sim_unmap_page_attrs(s->sys, d, m->handle, rp_unmap_size(m, ev), rp_dir_of(ev),
				     m->single, m->single ? &attrs : NULL, m->size);
		s->st->replayed++;
	}
	rp_remove(s, m, ev->line);
}

/* Does [@start, @start + @size) hold @addr? */
static bool rp_holds(uint64_t start, uint64_t size, uint64_t addr)
{
	return addr >= start && addr - start < size;
}

/*
 * The live single mapping or allocation of @d holding the trace DMA address
 * @addr (of the trace's range: the relocation may have mapped less of it),
 * the address itself first.  @allocs_only: buffers only.
 */
static struct rp_map *rp_find_containing(struct rp_state *s, struct sim_dev *d, uint64_t addr,
					 bool allocs_only)
{
	struct rp_map *m, *tmp;

	m = allocs_only ? NULL : rp_find(s, d, RP_SINGLE, addr);
	if (!m)
		m = rp_find(s, d, RP_ALLOC, addr);
	if (m)
		return m;
	HASH_ITER(hh, s->maps, m, tmp)
		if (m->key.d == d && (m->key.cls == RP_ALLOC ||
				      (!allocs_only && m->key.cls == RP_SINGLE)) &&
		    rp_holds(m->key.addr, m->trace_size, addr))
			return m;
	return NULL;
}

/*
 * The unmapped single mapping or freed buffer of @d whose trace range held
 * @addr, if any (the address itself first).  @allocs_only: buffers only.
 */
static struct rp_dead *rp_find_dead_containing(struct rp_state *s, struct sim_dev *d,
					       uint64_t addr, bool allocs_only)
{
	struct rp_dead *dead, *tmp;

	dead = allocs_only ? NULL : rp_find_dead(s, d, RP_SINGLE, addr);
	if (!dead)
		dead = rp_find_dead(s, d, RP_ALLOC, addr);
	if (dead)
		return dead;
	HASH_ITER(hh, s->dead, dead, tmp)
		if (dead->key.d == d && (dead->key.cls == RP_ALLOC ||
					 (!allocs_only && dead->key.cls == RP_SINGLE)) &&
		    rp_holds(dead->key.addr, dead->trace_size, addr))
			return dead;
	return NULL;
}

/*
 * A sync of @len bytes at @off into @m (a single mapping or a buffer): the
 * device writes first when the sync hands a range it may write to the CPU.
 * Return: false when @off lies past what was mapped here (the relocation
 * cut the range).
 */
static bool rp_sync_in(struct rp_state *s, struct sim_dev *d, const struct rp_map *m,
		       uint64_t off, uint64_t len, int dir, bool for_cpu)
{
	if (off >= m->size)
		return false;
	if (len > m->size - off)
		len = m->size - off;
	if (for_cpu && rp_device_writes(m->dir))
		rp_device(s, d, m->handle + off, len, true);
	sim_sync_single(s->sys, d, m->handle + off, len, dir, for_cpu);
	return true;
}

static void rp_sync_single(struct rp_state *s, struct sim_dev *d,
			   const struct iosim_trace_event *ev, bool for_cpu)
{
	struct rp_map *m = rp_find_containing(s, d, ev->dma_addr, false);
	struct rp_dead *dead;

	if (!m) {
		dead = rp_find_dead_containing(s, d, ev->dma_addr, false);
		rp_unmatched(s, ev, d, dead, ev->dma_addr,
			     for_cpu ? RP_CALL_SYNC_CPU : RP_CALL_SYNC_DEVICE,
			     dead ? ev->dma_addr - dead->key.addr : 0, ev->size);
		return;
	}
	if (m->kind != RP_REAL)
		return;		/* MMIO or zero-size: matched, nothing to sync */
	if (rp_sync_in(s, d, m, ev->dma_addr - m->key.addr, ev->size, rp_dir_of(ev), for_cpu))
		s->st->replayed++;
	else
		s->st->failed_here++;
}

static int rp_map_sg(struct rp_state *s, struct sim_dev *d, const struct iosim_trace_event *ev)
{
	uint64_t total = 0, per, len;
	DEFINE_DMA_ATTRS(attrs);
	struct scatterlist *sg;
	phys_addr_t sim;
	struct rp_map *m;
	int i, n = (int)ev->nr_phys, count, ret = 0;

	for (i = 0; i < (int)ev->nr_dma; i++)
		total += ev->dma_lens[i];
	if (!n || !total) {
		s->st->failed_in_trace++;
		return 0;
	}
	per = total / n ? total / n : 1;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->phys = kmalloc_array(ev->nr_phys, sizeof(*m->phys), GFP_KERNEL);
	if (!m->phys) {
		kfree(m);
		return -ENOMEM;
	}
	memcpy(m->phys, ev->phys_addrs, ev->nr_phys * sizeof(*m->phys));
	m->nr_phys = ev->nr_phys;
	m->nents_total = ev->nents_total;
	if (sg_alloc_table(&m->sgt, n, GFP_KERNEL)) {
		rp_free_map(m);
		return -ENOMEM;
	}
	m->nents = n;
	m->dir = rp_dir_of(ev);
	m->attrs = ev->attrs & IOSIM_TRACE_ATTRS_2015;
	for_each_sg(m->sgt.sgl, sg, n, i) {
		len = i == n - 1 && total > per * (n - 1) ? total - per * (n - 1) : per;
		ret = rp_relocate(s, ev->phys_addrs[i], &len, &sim);
		if (ret)
			goto out_free;
		sg_set_page(sg, phys_to_page(sim & PAGE_MASK), (unsigned int)len, sim & ~PAGE_MASK);
	}
	rp_dma_attrs(m->attrs, &attrs);
	count = sim_map_sg_attrs(s->sys, d, m->sgt.sgl, n, m->dir, &attrs);
	if (count <= 0) {
		s->st->failed_here++;
		goto out_free;
	}
	m->trace_dma0 = ev->nr_dma ? ev->dma_addrs[0] : 0;
	ret = rp_add(s, m, d, RP_SG, rp_list_key(ev->phys_addrs, ev->nr_phys), ev->line);
	if (ret)
		return ret;
	s->st->replayed++;
	if (rp_device_reads(m->dir) && !(m->attrs & IOSIM_TRACE_ATTR_SKIP_CPU_SYNC))
		for_each_sg(m->sgt.sgl, sg, count, i)
			rp_device(s, d, sg_dma_address(sg), sg_dma_len(sg), false);
	return 0;

out_free:
	rp_free_map(m);
	return ret == -ERANGE ? 0 : ret;
}

/*
 * The live list of @d that @phys (@n entries) names: by its key, then, when
 * a list was cut or two lists share a key, by comparing every live list of
 * @d (the most recent that matches).
 */
static struct rp_map *rp_find_sg(struct rp_state *s, struct sim_dev *d, const uint64_t *phys,
				 size_t n)
{
	struct rp_map *m, *tmp, *found = NULL;

	if (!n)
		return NULL;
	m = rp_find(s, d, RP_SG, rp_list_key(phys, n));
	if (m && rp_sg_matches(m, phys, n))
		return m;
	HASH_ITER(hh, s->maps, m, tmp)
		if (m->key.d == d && m->key.cls == RP_SG && rp_sg_matches(m, phys, n))
			found = m;
	return found;
}

static void rp_unmap_sg(struct rp_state *s, struct sim_dev *d, const struct iosim_trace_event *ev)
{
	struct rp_map *m = rp_find_sg(s, d, ev->phys_addrs, ev->nr_phys);
	DEFINE_DMA_ATTRS(attrs);

	if (!m) {
		rp_unmatched(s, ev, d,
			     ev->nr_phys ? rp_find_dead(s, d, RP_SG,
							rp_list_key(ev->phys_addrs, ev->nr_phys)) :
					   NULL,
			     ev->nr_phys ? ev->phys_addrs[0] : 0, RP_CALL_UNMAP, 0, 0);
		return;
	}
	rp_dma_attrs(ev->attrs, &attrs);
	sim_unmap_sg_attrs(s->sys, d, m->sgt.sgl, m->nents, rp_dir_of(ev), &attrs);
	rp_remove(s, m, ev->line);
	s->st->replayed++;
}

/*
 * A sync of a list's segments on a buffer (dma_alloc_sgt's, synced with
 * dma_sync_sgtable_*()): each segment inside it, as a single sync at its
 * offset.  Return: whether a segment was synced.
 */
static bool rp_sync_sg_on_buffer(struct rp_state *s, struct sim_dev *d, const struct rp_map *m,
				 const struct iosim_trace_event *ev, bool for_cpu)
{
	bool any = false;
	size_t i;

	for (i = 0; i < ev->nr_dma; i++)
		if (rp_holds(m->key.addr, m->trace_size, ev->dma_addrs[i]) && ev->dma_lens[i])
			any |= rp_sync_in(s, d, m, ev->dma_addrs[i] - m->key.addr,
					  ev->dma_lens[i], rp_dir_of(ev), for_cpu);
	return any;
}

static void rp_sync_sg(struct rp_state *s, struct sim_dev *d, const struct iosim_trace_event *ev,
		       bool for_cpu)
{
	struct rp_map *m, *tmp, *found = NULL;
	enum rp_call call = for_cpu ? RP_CALL_SYNC_CPU : RP_CALL_SYNC_DEVICE;
	struct scatterlist *sg;
	struct rp_dead *dead;
	uint64_t dma0;
	int i;

	if (!ev->nr_dma) {
		s->st->unmatched_midrun++;
		return;
	}
	dma0 = ev->dma_addrs[0];
	HASH_ITER(hh, s->maps, m, tmp)
		if (m->key.d == d && m->key.cls == RP_SG && m->trace_dma0 == dma0)
			found = m;
	if (found) {
		if (for_cpu && rp_device_writes(found->dir))
			for_each_sg(found->sgt.sgl, sg, found->nents, i)
				if (sg_dma_len(sg))
					rp_device(s, d, sg_dma_address(sg), sg_dma_len(sg), true);
		sim_sync_sg(s->sys, d, found->sgt.sgl, found->nents, rp_dir_of(ev), for_cpu);
		s->st->replayed++;
		return;
	}
	/* A buffer's list (dma_alloc_sgt), synced while the buffer lives. */
	found = rp_find_containing(s, d, dma0, true);
	if (found) {
		if (rp_sync_sg_on_buffer(s, d, found, ev, for_cpu))
			s->st->replayed++;
		else
			s->st->failed_here++;
		return;
	}
	/* An unmapped list (not replayed: gone with its mapping), or a freed buffer. */
	dead = rp_find_dead(s, d, RP_SG_DMA, dma0);
	if (!dead)
		dead = rp_find_dead_containing(s, d, dma0, true);
	rp_unmatched(s, ev, d, dead, dma0, call,
		     dead && dead->key.cls == RP_ALLOC ? dma0 - dead->key.addr : 0,
		     ev->dma_lens[0]);
}

static int rp_alloc(struct rp_state *s, struct sim_dev *d, const struct iosim_trace_event *ev)
{
	DEFINE_DMA_ATTRS(attrs);
	struct rp_map *m;
	int ret;

	if (!ev->size) {
		s->st->failed_in_trace++;
		return 0;
	}
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->size = m->trace_size = ev->size;
	m->dir = rp_dir_of(ev);
	m->attrs = ev->attrs & IOSIM_TRACE_ATTRS_2015;
	rp_dma_attrs(m->attrs, &attrs);
	m->cpu = sim_alloc_attrs(s->sys, d, ev->size, &m->handle, &attrs);
	if (!m->cpu) {
		kfree(m);
		s->st->failed_here++;
		return 0;
	}
	ret = rp_add(s, m, d, RP_ALLOC, ev->dma_addr, ev->line);
	if (ret)
		return ret;
	s->st->replayed++;
	return 0;
}

static void rp_free(struct rp_state *s, struct sim_dev *d, const struct iosim_trace_event *ev)
{
	struct rp_map *m = rp_find(s, d, RP_ALLOC, ev->dma_addr);
	DEFINE_DMA_ATTRS(attrs);

	if (!m) {
		rp_unmatched(s, ev, d, rp_find_dead(s, d, RP_ALLOC, ev->dma_addr), ev->dma_addr,
			     RP_CALL_FREE, 0, 0);
		return;
	}
	rp_dma_attrs(ev->attrs, &attrs);
	sim_free_attrs(s->sys, d, rp_free_size(s, d, m, ev), m->cpu, m->handle, &attrs, m->size);
	rp_remove(s, m, ev->line);
	s->st->replayed++;
}

/* FNV-1a of @name, with @salt folded in first. */
static uint32_t rp_name_hash(const char *name, unsigned int salt)
{
	uint32_t h = 2166136261u ^ salt;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h;
}

#define RP_NAME_HEAD	16
#define RP_NAME_TAIL	(IOSIM_SIM_NAME_LEN - 1 - RP_NAME_HEAD - 10)

/*
 * The simulated name of the traced @name, try @attempt: the name itself when
 * it fits (first try); else its start, a hash of the whole name and its end
 * ("soc@0:bus@300000~1f2e3d4c~ci-bridge@0:ethernet-port0"): readable, and
 * as distinct as the names (a clash is retried with another hash).
 */
static void rp_sim_name(const char *name, unsigned int attempt, char *out)
{
	size_t len = strlen(name);
	size_t head = len < RP_NAME_HEAD ? len : RP_NAME_HEAD;
	size_t tail = len < RP_NAME_TAIL ? len : RP_NAME_TAIL;

	if (!attempt && len < IOSIM_SIM_NAME_LEN) {
		memcpy(out, name, len + 1);
		return;
	}
	snprintf(out, IOSIM_SIM_NAME_LEN, "%.*s~%08x~%s", (int)head, name,
		 rp_name_hash(name, attempt), name + len - tail);
}

/* Has a traced name other than @name become @d? */
static bool rp_claimed(struct rp_state *s, const struct sim_dev *d)
{
	unsigned int i;

	for (i = 0; i < s->nr_names; i++)
		if (s->names[i].d == d)
			return true;
	return false;
}

/*
 * The simulated device of a traced device name, created on first sight:
 * one per distinct name, whatever its length (rp_sim_name()); a [device]
 * section of the simulated name configures it.
 */
static struct sim_dev *rp_device_of(struct rp_state *s, const char *name, char *err,
				    size_t errlen)
{
	const struct iosim_sim_device_cfg *c;
	struct iosim_sim_device_cfg dcfg;
	char sim_name[IOSIM_SIM_NAME_LEN];
	unsigned int i, attempt;
	struct sim_dev *d;
	char *copy;

	for (i = 0; i < s->nr_names; i++)
		if (!strcmp(s->names[i].trace_name, name))
			return s->names[i].d;
	if (s->nr_names == ARRAY_SIZE(s->names)) {
		snprintf(err, errlen, "device %.*s: more than %d devices", IOSIM_SIM_NAME_LEN - 1,
			 name, SIM_MAX_DEVICES);
		return ERR_PTR(-ENODEV);
	}
	copy = kstrdup(name, GFP_KERNEL);
	if (!copy)
		return ERR_PTR(-ENOMEM);
	/* A name some other traced name took (a clash of hashes): the next try. */
	for (attempt = 0;; attempt++) {
		rp_sim_name(name, attempt, sim_name);
		d = sim_system_device(s->sys, sim_name);
		if (!d || !rp_claimed(s, d))
			break;
	}
	if (!d) {
		c = iosim_sim_config_find_device(&s->sys->cfg, sim_name);
		if (c) {
			dcfg = *c;
		} else {
			iosim_sim_device_defaults(&dcfg);
			memcpy(dcfg.name, sim_name, sizeof(dcfg.name));
		}
		d = sim_system_add_device(s->sys, &dcfg, err, errlen);
		if (IS_ERR(d)) {
			kfree(copy);
			return d;
		}
	}
	s->names[s->nr_names].trace_name = copy;
	s->names[s->nr_names++].d = d;
	return d;
}

/* Count the attributes of @ev the kernel of 2015 does not have (they are ignored). */
static void rp_count_ignored_attrs(struct rp_state *s, const struct iosim_trace_event *ev)
{
	unsigned int lacking = ev->attrs & ~(IOSIM_TRACE_ATTRS_2015 | IOSIM_TRACE_ATTR_UNKNOWN);

	/* MMIO on a single mapping is acted on (not made, its unmap matched). */
	if (ev->kind == IOSIM_TRACE_MAP_PHYS || ev->kind == IOSIM_TRACE_UNMAP_PHYS)
		lacking &= ~IOSIM_TRACE_ATTR_MMIO;
	s->st->attrs_ignored += (unsigned int)__builtin_popcount(lacking) + ev->unknown_attrs;
}

static int rp_event(struct rp_state *s, const struct iosim_trace_event *ev, char *err,
		    size_t errlen)
{
	struct sim_dev *d = rp_device_of(s, ev->device, err, errlen);

	if (IS_ERR(d))
		return PTR_ERR(d);
	rp_count_ignored_attrs(s, ev);
	switch (ev->kind) {
	case IOSIM_TRACE_MAP_PHYS:
		return rp_map_single(s, d, ev);
	case IOSIM_TRACE_UNMAP_PHYS:
		rp_unmap_single(s, d, ev);
		return 0;
	case IOSIM_TRACE_MAP_SG:
		return rp_map_sg(s, d, ev);
	case IOSIM_TRACE_UNMAP_SG:
		rp_unmap_sg(s, d, ev);
		return 0;
	case IOSIM_TRACE_SYNC_SINGLE_FOR_CPU:
	case IOSIM_TRACE_SYNC_SINGLE_FOR_DEVICE:
		rp_sync_single(s, d, ev, ev->kind == IOSIM_TRACE_SYNC_SINGLE_FOR_CPU);
		return 0;
	case IOSIM_TRACE_SYNC_SG_FOR_CPU:
	case IOSIM_TRACE_SYNC_SG_FOR_DEVICE:
		rp_sync_sg(s, d, ev, ev->kind == IOSIM_TRACE_SYNC_SG_FOR_CPU);
		return 0;
	case IOSIM_TRACE_ALLOC:
	case IOSIM_TRACE_ALLOC_PAGES:
	case IOSIM_TRACE_ALLOC_SGT:
		return rp_alloc(s, d, ev);
	case IOSIM_TRACE_FREE:
	case IOSIM_TRACE_FREE_PAGES:
	case IOSIM_TRACE_FREE_SGT:
		rp_free(s, d, ev);
		return 0;
	case IOSIM_TRACE_MAP_SG_ERR:
	case IOSIM_TRACE_ALLOC_SGT_ERR:
	default:
		s->st->failed_in_trace++;
		return 0;
	}
}

/*
 * rp_check - sanity checker of the replay's bookkeeping: every live record
 * belongs to a device of the system and has what its class needs (a handle,
 * a mapped list and its trace list, a CPU address); only single mappings are
 * recorded without being made; no address is both live and dead; every
 * traced name has its own device; the relocation map is consistent.
 * Return: 0, -EUCLEAN after a WARN, or -ENOMEM when the relocation map's
 * checker had no memory to check with.
 */
static int rp_check(struct rp_state *s)
{
	struct rp_map *m, *tmp;
	struct rp_dead *dead;
	unsigned int i, j;

	HASH_ITER(hh, s->maps, m, tmp) {
		bool known = false;

		for (i = 0; i < s->sys->nr_devs; i++)
			known |= m->key.d == &s->sys->devs[i];
		if (WARN(!known || m->key.cls == RP_SG_DMA ||
			 (m->key.cls == RP_SG && (m->nents <= 0 || !m->sgt.sgl || !m->phys ||
						  m->nr_phys != (size_t)m->nents)) ||
			 (m->key.cls == RP_ALLOC && !m->cpu) ||
			 (m->kind != RP_REAL && m->key.cls != RP_SINGLE) ||
			 (m->key.cls != RP_SG && (m->nents || m->phys ||
						  (!m->size && m->kind == RP_REAL))),
			 "replay: record of %#llx (line %lu) is inconsistent",
			 (unsigned long long)m->key.addr, m->line))
			return -EUCLEAN;
		HASH_FIND(hh, s->dead, &m->key, sizeof(m->key), dead);
		if (!dead && m->key.cls == RP_SG)
			dead = rp_find_dead(s, m->key.d, RP_SG_DMA, m->trace_dma0);
		if (WARN(dead, "replay: %#llx is both mapped (line %lu) and unmapped (line %lu)",
			 (unsigned long long)m->key.addr, m->line, dead->line))
			return -EUCLEAN;
	}
	for (i = 0; i < s->nr_names; i++)
		for (j = i + 1; j < s->nr_names; j++)
			if (WARN(s->names[i].d == s->names[j].d ||
				 !strcmp(s->names[i].trace_name, s->names[j].trace_name),
				 "replay: traced devices %u and %u share a name or a device", i, j))
				return -EUCLEAN;
	return s->reloc ? iosim_reloc_check(s->reloc) : 0;
}

/* Release what the trace left mapped, the relocated pages and the bookkeeping. */
static void rp_cleanup(struct rp_state *s)
{
	struct rp_map *m, *tmp;
	struct rp_dead *dead, *dtmp;
	struct rp_block *b;

	HASH_ITER(hh, s->maps, m, tmp) {
		if (m->kind == RP_REAL)
			s->st->left_mapped++;
		HASH_DEL(s->maps, m);
		rp_release(s, m);
	}
	HASH_ITER(hh, s->dead, dead, dtmp) {
		HASH_DEL(s->dead, dead);
		kfree(dead);
	}
	if (s->reloc)
		s->st->reloc_pages = iosim_reloc_nr_pages(s->reloc);
	iosim_reloc_map_destroy(s->reloc);
	s->reloc = NULL;
	while ((b = s->blocks)) {
		s->blocks = b->next;
		__free_pages(b->page, b->order);
		kfree(b);
	}
	while (s->nr_names)
		kfree(s->names[--s->nr_names].trace_name);
	kfree(s->xfer);
	s->xfer = NULL;
}

/* The reader's notice: each malformed line and timestamp step back, as met. */
static void rp_notice(void *priv, const struct iosim_trace_error *notice)
{
	struct rp_state *s = priv;

	fprintf(s->msgs, "%s:%lu: %s\n", s->name, notice->line, notice->msg);
}

/**
 * sim_replay_run - replay the trace at @path on @sys
 * @sys: the system, up (devices are added as the trace names them)
 * @path: a text trace or a trace.dat
 * @err: receives why the replay could not run
 * @errlen: size of @err
 *
 * Every malformed line, and every line whose timestamp goes back, is printed
 * to @sys->msgs (stderr when NULL) as "TRACE:LINE: message" as it is met,
 * and the replay goes on; the statistics go to @sys->stats->replay.  Every
 * mapping and buffer the replay made is released before returning.
 *
 * Context: process context.
 * Return: 0; -ENOENT/-EACCES/... when the trace cannot be opened, -EINVAL
 * for a bad [replay] reloc_page_size, -ENOMEM, -EIO, -ENODEV when a traced
 * device could not be created (@err says which).
 */
int sim_replay_run(struct sim_system *sys, const char *path, char *err, size_t errlen)
{
	struct rp_state s = { .sys = sys, .st = &sys->stats->replay, .name = path };
	struct iosim_trace_reader *r = NULL;
	struct iosim_trace_event ev;
	uint64_t page_size = sys->cfg.replay.reloc_page_size;
	int ret;

	s.msgs = sys->msgs ? sys->msgs : stderr;
	snprintf(s.st->trace, sizeof(s.st->trace), "%s", path);
	memset(&ev, 0, sizeof(ev));
	if (!page_size)
		page_size = PAGE_SIZE;
	if (page_size < PAGE_SIZE) {
		snprintf(err, errlen, "[replay] reloc_page_size %llu is below PAGE_SIZE (%lu)",
			 (unsigned long long)page_size, PAGE_SIZE);
		return -EINVAL;
	}
	s.reloc_shift = (unsigned int)__builtin_ctzll(page_size);
	ret = iosim_trace_reader_open_path(path, &r);
	if (ret) {
		snprintf(err, errlen, "%s: cannot read the trace: %s", path, strerror(-ret));
		return ret;
	}
	iosim_trace_reader_set_notice(r, rp_notice, &s);
	s.xfer = kmalloc(RP_MAX_XFER, GFP_KERNEL);
	if (sys->cfg.replay.relocate)
		s.reloc = iosim_reloc_map_create(s.reloc_shift, rp_reloc_alloc, &s);
	if (!s.xfer || (sys->cfg.replay.relocate && !s.reloc)) {
		snprintf(err, errlen, "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	sim_stats_sample(sys, true);
	for (;;) {
		ret = iosim_trace_reader_next(r, &ev);
		if (ret <= 0)
			break;
		sim_progress("replay: events", iosim_trace_reader_stats(r)->events, 0);
		ret = rp_event(&s, &ev, err, errlen);
		iosim_trace_event_release(&ev);
		if (ret) {
			if (ret != -ENODEV)
				snprintf(err, errlen, "%s: replay failed (error %d)", path, ret);
			break;
		}
	}
	if (ret < 0 && ret != -ENODEV && ret != -ENOMEM)
		snprintf(err, errlen, "%s: read error (%d)", path, ret);
	else if (ret == -ENOMEM)
		snprintf(err, errlen, "%s: out of memory", path);
	s.st->reader = *iosim_trace_reader_stats(r);
	/* A checker short of memory checked nothing: only -EUCLEAN is a finding. */
	if ((rp_check(&s) == -EUCLEAN || iosim_trace_reader_check(r)) && !ret) {
		snprintf(err, errlen, "%s: the replay's bookkeeping is inconsistent", path);
		ret = -EUCLEAN;
	}
	sim_progress_end();
out:
	rp_cleanup(&s);
	iosim_trace_reader_close(r);
	return ret < 0 ? ret : 0;
}
