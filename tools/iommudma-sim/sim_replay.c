// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sim_replay.c - replay a recorded dma:* trace through the simulated stack.
 *
 * Each event becomes the driver call that produced it, on a simulated device
 * of the traced device's name (created on first sight, from its [device]
 * section or the defaults): map events map the relocated memory with
 * dma_map_page() / dma_map_sg(), allocations call dma_alloc_coherent(), and
 * unmaps, syncs and frees find their mapping by the trace's DMA address
 * (single mappings, allocations) or physical address list (scatterlists) and
 * use the simulator's own handle.  The device moves data as the trace says
 * it would: it reads a TO_DEVICE/BIDIRECTIONAL mapping when it is made and
 * writes a FROM_DEVICE/BIDIRECTIONAL range before each sync for the CPU.
 *
 * The trace's physical addresses are relocated onto simulated RAM page by
 * page (reloc.h); the pages are allocated on demand and kept to the end.
 *
 * What cannot be matched is classified: an unmap, free or sync of an address
 * the trace has not mapped is "unmatched (trace probably starts mid-run)";
 * of an address mapped and already unmapped earlier in the trace, a driver
 * bug.  Scatterlist entry lengths are not in any trace layout: the recorded
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

enum rp_class { RP_SINGLE, RP_SG, RP_ALLOC };

struct rp_key {
	struct sim_dev *d;
	enum rp_class cls;
	uint64_t addr;		/* trace DMA address; first physical address for sg */
};

/* A live mapping or buffer made by the replay. */
struct rp_map {
	struct rp_key key;
	uint64_t handle;	/* the simulator's DMA address */
	uint64_t size;		/* bytes mapped here (single, alloc) */
	int dir;
	unsigned long line;
	struct sg_table sgt;	/* sg: the list mapped */
	int nents;
	uint64_t trace_dma0;	/* sg: the trace's first DMA address (for syncs) */
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
	int dir;
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

struct rp_state {
	struct sim_system *sys;
	struct sim_replay_stats *st;
	const char *name;
	struct iosim_reloc_map *reloc;
	unsigned int reloc_shift;
	struct rp_map *maps;
	struct rp_dead *dead;
	struct rp_block *blocks;
	unsigned char *xfer;
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

static void rp_note_bug(struct rp_state *s, const struct iosim_trace_event *ev,
			const struct rp_dead *dead, uint64_t addr)
{
	struct sim_replay_stats *st = s->st;

	st->unmatched_bug++;
	if (st->nr_bugs < ARRAY_SIZE(st->bugs))
		snprintf(st->bugs[st->nr_bugs++], sizeof(st->bugs[0]),
			 "%s:%lu: %s %s %#llx: already unmapped/freed at line %lu", s->name,
			 ev->line, iosim_trace_kind_name(ev->kind), ev->device,
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

/* Does a live single mapping or allocation of @d hold the simulator's @handle? */
static bool rp_handle_live(struct rp_state *s, struct sim_dev *d, uint64_t handle)
{
	struct rp_map *m, *tmp;

	HASH_ITER(hh, s->maps, m, tmp)
		if (m->key.d == d && m->key.cls != RP_SG && handle >= m->handle &&
		    handle < m->handle + m->size)
			return true;
	return false;
}

/*
 * Replay a driver bug's call against the handle its buffer had, so that the
 * stack's own checks (DMA-API debugging, the ops' WARNs) see what the
 * kernel's would.  Not when the simulation has since handed that handle to a
 * live buffer, or to the IOVA allocation of one (a granule holds more than
 * a small buffer): the call would tear down an innocent mapping, and every
 * later event of it would then fail as a consequence of the replay, not the
 * trace.
 */
static void rp_replay_stale(struct rp_state *s, struct sim_dev *d, const struct rp_dead *dead,
			    const struct iosim_trace_event *ev, enum rp_call call)
{
	uint64_t size = ev->size ? ev->size : dead->size;

	if (dead->key.cls == RP_SG || rp_handle_live(s, d, dead->handle) ||
	    sim_handle_in_live_iova(d, dead->handle))
		return;
	switch (call) {
	case RP_CALL_UNMAP:
	case RP_CALL_FREE:
		sim_release_stale(s->sys, d, dead->handle, dead->size, dead->dir,
				  call == RP_CALL_FREE ? dead->cpu : NULL);
		break;
	case RP_CALL_SYNC_CPU:
	case RP_CALL_SYNC_DEVICE:
		sim_sync_single(s->sys, d, dead->handle, size < dead->size ? size : dead->size,
				dead->dir, call == RP_CALL_SYNC_CPU);
		break;
	}
	s->st->bugs_replayed++;
}

/*
 * No live mapping: a driver bug if the address was unmapped before (its call
 * is then replayed against the old handle), else the trace probably starts
 * mid-run (nothing to call: the simulation never had that buffer).
 */
static void rp_unmatched(struct rp_state *s, const struct iosim_trace_event *ev,
			 struct sim_dev *d, enum rp_class cls, uint64_t addr, enum rp_call call)
{
	struct rp_dead *dead;
	struct rp_key key;

	memset(&key, 0, sizeof(key));
	key.d = d;
	key.cls = cls;
	key.addr = addr;
	HASH_FIND(hh, s->dead, &key, sizeof(key), dead);
	if (dead) {
		rp_note_bug(s, ev, dead, addr);
		rp_replay_stale(s, d, dead, ev, call);
	} else {
		s->st->unmatched_midrun++;
	}
}

/* Undo @m's mapping or buffer and free the record (not, or no longer, in s->maps). */
static void rp_release(struct rp_state *s, struct rp_map *m)
{
	struct sim_dev *d = m->key.d;

	if (m->key.cls == RP_SINGLE)
		sim_unmap_page(s->sys, d, m->handle, m->size, m->dir);
	else if (m->key.cls == RP_SG)
		sim_unmap_sg(s->sys, d, m->sgt.sgl, m->nents, m->dir);
	else
		sim_free_coherent(s->sys, d, m->size, m->cpu, m->handle);
	if (m->nents)
		sg_free_table(&m->sgt);
	kfree(m);
}

/*
 * Record @m, just mapped or allocated for the trace's @addr.  Return: 0; or
 * -ENOMEM when the table could not be created, with the mapping undone and
 * @m freed.
 */
static int rp_add(struct rp_state *s, struct rp_map *m, struct sim_dev *d, enum rp_class cls,
		  uint64_t addr, unsigned long line)
{
	struct rp_dead *dead;

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
	HASH_FIND(hh, s->dead, &m->key, sizeof(m->key), dead);
	if (dead) {
		HASH_DEL(s->dead, dead);
		kfree(dead);
	}
	return 0;
}

/*
 * Forget @m (its mapping is gone) and remember the address was unmapped at
 * @line, unless another live record has the same address: a traced machine
 * without an IOMMU hands out the buffer's physical address, so mapping one
 * buffer twice gives two live mappings of one address (an unmap takes the
 * latest), and the address is only dead once neither is live.
 */
static void rp_remove(struct rp_state *s, struct rp_map *m, unsigned long line)
{
	struct rp_dead *dead = NULL;
	struct rp_map *twin;

	HASH_DEL(s->maps, m);
	HASH_FIND(hh, s->maps, &m->key, sizeof(m->key), twin);
	if (!twin)
		HASH_FIND(hh, s->dead, &m->key, sizeof(m->key), dead);
	if (!twin && !dead) {
		dead = kzalloc(sizeof(*dead), GFP_KERNEL);
		if (dead) {
			dead->key = m->key;
			IOSIM_HASH_ADD(hh, s->dead, key, sizeof(dead->key), dead, rp_oom);
			if (rp_oom) {	/* no table: the address is just not remembered */
				kfree(dead);
				dead = NULL;
			}
		}
	}
	if (dead) {
		dead->line = line;
		dead->handle = m->handle;
		dead->size = m->size;
		dead->dir = m->dir;
		dead->cpu = m->cpu;
	}
	if (m->nents)
		sg_free_table(&m->sgt);
	kfree(m);
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

static int rp_dir(const struct iosim_trace_event *ev)
{
	/* The values are the kernel's enum dma_data_direction; NONE is not mappable. */
	return ev->dir == IOSIM_TRACE_DIR_NONE ? DMA_BIDIRECTIONAL : (int)ev->dir;
}

static int rp_map_single(struct rp_state *s, struct sim_dev *d, const struct iosim_trace_event *ev)
{
	uint64_t len = ev->size;
	phys_addr_t sim;
	struct rp_map *m;
	int ret;

	if (ev->dma_addr == UINT64_MAX || !ev->size) {
		s->st->failed_in_trace++;
		return 0;
	}
	ret = rp_relocate(s, ev->phys_addr, &len, &sim);
	if (ret)
		return ret == -ERANGE ? 0 : ret;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->dir = rp_dir(ev);
	m->size = len;
	m->handle = sim_map_page(s->sys, d, phys_to_page(sim & PAGE_MASK), sim & ~PAGE_MASK, len,
				 m->dir);
	if (sim_mapping_failed(d, m->handle)) {
		kfree(m);
		s->st->failed_here++;
		return 0;
	}
	ret = rp_add(s, m, d, RP_SINGLE, ev->dma_addr, ev->line);
	if (ret)
		return ret;
	s->st->replayed++;
	if (rp_device_reads(m->dir))
		rp_device(s, d, m->handle, len, false);
	return 0;
}

static void rp_unmap_single(struct rp_state *s, struct sim_dev *d,
			    const struct iosim_trace_event *ev)
{
	struct rp_map *m = rp_find(s, d, RP_SINGLE, ev->dma_addr);

	if (!m) {
		rp_unmatched(s, ev, d, RP_SINGLE, ev->dma_addr, RP_CALL_UNMAP);
		return;
	}
	sim_unmap_page(s->sys, d, m->handle, m->size, m->dir);
	rp_remove(s, m, ev->line);
	s->st->replayed++;
}

/* The live single mapping of @d containing the trace DMA address @addr. */
static struct rp_map *rp_find_containing(struct rp_state *s, struct sim_dev *d, uint64_t addr)
{
	struct rp_map *m, *tmp;

	m = rp_find(s, d, RP_SINGLE, addr);
	if (m)
		return m;
	HASH_ITER(hh, s->maps, m, tmp)
		if (m->key.d == d && m->key.cls == RP_SINGLE && addr >= m->key.addr &&
		    addr < m->key.addr + m->size)
			return m;
	return NULL;
}

static void rp_sync_single(struct rp_state *s, struct sim_dev *d,
			   const struct iosim_trace_event *ev, bool for_cpu)
{
	struct rp_map *m = rp_find_containing(s, d, ev->dma_addr);
	uint64_t off, len;

	if (!m) {
		rp_unmatched(s, ev, d, RP_SINGLE, ev->dma_addr,
			     for_cpu ? RP_CALL_SYNC_CPU : RP_CALL_SYNC_DEVICE);
		return;
	}
	off = ev->dma_addr - m->key.addr;
	len = ev->size < m->size - off ? ev->size : m->size - off;
	if (for_cpu && rp_device_writes(m->dir))
		rp_device(s, d, m->handle + off, len, true);
	sim_sync_single(s->sys, d, m->handle + off, len, m->dir, for_cpu);
	s->st->replayed++;
}

static int rp_map_sg(struct rp_state *s, struct sim_dev *d, const struct iosim_trace_event *ev)
{
	uint64_t total = 0, per, len;
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
	if (sg_alloc_table(&m->sgt, n, GFP_KERNEL)) {
		kfree(m);
		return -ENOMEM;
	}
	m->nents = n;
	m->dir = rp_dir(ev);
	for_each_sg(m->sgt.sgl, sg, n, i) {
		len = i == n - 1 && total > per * (n - 1) ? total - per * (n - 1) : per;
		ret = rp_relocate(s, ev->phys_addrs[i], &len, &sim);
		if (ret)
			goto out_free;
		sg_set_page(sg, phys_to_page(sim & PAGE_MASK), (unsigned int)len, sim & ~PAGE_MASK);
	}
	count = sim_map_sg(s->sys, d, m->sgt.sgl, n, m->dir);
	if (count <= 0) {
		s->st->failed_here++;
		goto out_free;
	}
	m->trace_dma0 = ev->nr_dma ? ev->dma_addrs[0] : 0;
	ret = rp_add(s, m, d, RP_SG, ev->phys_addrs[0], ev->line);
	if (ret)
		return ret;
	s->st->replayed++;
	if (rp_device_reads(m->dir))
		for_each_sg(m->sgt.sgl, sg, count, i)
			rp_device(s, d, sg_dma_address(sg), sg_dma_len(sg), false);
	return 0;

out_free:
	sg_free_table(&m->sgt);
	kfree(m);
	return ret == -ERANGE ? 0 : ret;
}

static void rp_unmap_sg(struct rp_state *s, struct sim_dev *d, const struct iosim_trace_event *ev)
{
	struct rp_map *m = ev->nr_phys ? rp_find(s, d, RP_SG, ev->phys_addrs[0]) : NULL;

	if (!m) {
		rp_unmatched(s, ev, d, RP_SG, ev->nr_phys ? ev->phys_addrs[0] : 0, RP_CALL_UNMAP);
		return;
	}
	sim_unmap_sg(s->sys, d, m->sgt.sgl, m->nents, m->dir);
	rp_remove(s, m, ev->line);
	s->st->replayed++;
}

static void rp_sync_sg(struct rp_state *s, struct sim_dev *d, const struct iosim_trace_event *ev,
		       bool for_cpu)
{
	struct rp_map *m, *tmp, *found = NULL;
	struct scatterlist *sg;
	int i;

	HASH_ITER(hh, s->maps, m, tmp)
		if (m->key.d == d && m->key.cls == RP_SG && ev->nr_dma &&
		    m->trace_dma0 == ev->dma_addrs[0])
			found = m;
	if (!found) {
		s->st->unmatched_midrun++;
		return;
	}
	if (for_cpu && rp_device_writes(found->dir))
		for_each_sg(found->sgt.sgl, sg, found->nents, i)
			if (sg_dma_len(sg))
				rp_device(s, d, sg_dma_address(sg), sg_dma_len(sg), true);
	sim_sync_sg(s->sys, d, found->sgt.sgl, found->nents, found->dir, for_cpu);
	s->st->replayed++;
}

static int rp_alloc(struct rp_state *s, struct sim_dev *d, const struct iosim_trace_event *ev)
{
	struct rp_map *m;
	int ret;

	if (!ev->size) {
		s->st->failed_in_trace++;
		return 0;
	}
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return -ENOMEM;
	m->size = ev->size;
	m->cpu = sim_alloc_coherent(s->sys, d, ev->size, &m->handle);
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

	if (!m) {
		rp_unmatched(s, ev, d, RP_ALLOC, ev->dma_addr, RP_CALL_FREE);
		return;
	}
	sim_free_coherent(s->sys, d, m->size, m->cpu, m->handle);
	rp_remove(s, m, ev->line);
	s->st->replayed++;
}

/* The simulated device of a traced device name, created on first sight. */
static struct sim_dev *rp_device_of(struct rp_state *s, const char *name, char *err,
				    size_t errlen)
{
	const struct iosim_sim_device_cfg *c;
	struct iosim_sim_device_cfg dcfg;
	char short_name[IOSIM_SIM_NAME_LEN];
	struct sim_dev *d;

	/* Names longer than the configuration allows are cut (and still unique enough). */
	snprintf(short_name, sizeof(short_name), "%.*s", IOSIM_SIM_NAME_LEN - 1, name);
	d = sim_system_device(s->sys, short_name);
	if (d)
		return d;
	c = iosim_sim_config_find_device(&s->sys->cfg, short_name);
	if (c) {
		dcfg = *c;
	} else {
		iosim_sim_device_defaults(&dcfg);
		memcpy(dcfg.name, short_name, sizeof(dcfg.name));
	}
	return sim_system_add_device(s->sys, &dcfg, err, errlen);
}

static int rp_event(struct rp_state *s, const struct iosim_trace_event *ev, char *err,
		    size_t errlen)
{
	struct sim_dev *d = rp_device_of(s, ev->device, err, errlen);

	if (IS_ERR(d))
		return PTR_ERR(d);
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
 * a mapped list, a CPU address); no address is both live and dead; the
 * relocation map is consistent.  Return: 0, -EUCLEAN after a WARN, or
 * -ENOMEM when the relocation map's checker had no memory to check with.
 */
static int rp_check(struct rp_state *s)
{
	struct rp_map *m, *tmp;
	struct rp_dead *dead;
	unsigned int i;

	HASH_ITER(hh, s->maps, m, tmp) {
		bool known = false;

		for (i = 0; i < s->sys->nr_devs; i++)
			known |= m->key.d == &s->sys->devs[i];
		if (WARN(!known || (m->key.cls == RP_SG && (m->nents <= 0 || !m->sgt.sgl)) ||
			 (m->key.cls == RP_ALLOC && !m->cpu) ||
			 (m->key.cls != RP_SG && (m->nents || !m->size)),
			 "replay: record of %#llx (line %lu) is inconsistent",
			 (unsigned long long)m->key.addr, m->line))
			return -EUCLEAN;
		HASH_FIND(hh, s->dead, &m->key, sizeof(m->key), dead);
		if (WARN(dead, "replay: %#llx is both mapped (line %lu) and unmapped (line %lu)",
			 (unsigned long long)m->key.addr, m->line, dead->line))
			return -EUCLEAN;
	}
	return s->reloc ? iosim_reloc_check(s->reloc) : 0;
}

/* Release what the trace left mapped, the relocated pages and the bookkeeping. */
static void rp_cleanup(struct rp_state *s)
{
	struct rp_map *m, *tmp;
	struct rp_dead *dead, *dtmp;
	struct rp_block *b;

	HASH_ITER(hh, s->maps, m, tmp) {
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
	kfree(s->xfer);
	s->xfer = NULL;
}

/**
 * sim_replay_run - replay the trace at @path on @sys
 * @sys: the system, up (devices are added as the trace names them)
 * @path: a text trace or a trace.dat
 * @err: receives why the replay could not run
 * @errlen: size of @err
 *
 * Malformed lines are printed to @sys->msgs (stderr when NULL) as
 * "TRACE:LINE: message" and skipped; the statistics go to
 * @sys->stats->replay.  Every mapping and buffer the replay made is
 * released before returning.
 *
 * Context: process context.
 * Return: 0; -ENOENT/-EACCES/... when the trace cannot be opened, -EINVAL
 * for a bad [replay] reloc_page_size, -ENOMEM, -EIO, -ENODEV when a traced
 * device could not be created (@err says which).
 */
int sim_replay_run(struct sim_system *sys, const char *path, char *err, size_t errlen)
{
	struct rp_state s = { .sys = sys, .st = &sys->stats->replay, .name = path };
	FILE *msgs = sys->msgs ? sys->msgs : stderr;
	struct iosim_trace_reader *r = NULL;
	struct iosim_trace_event ev;
	unsigned int shown = 0;
	uint64_t page_size = sys->cfg.replay.reloc_page_size;
	int ret;

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
		const struct iosim_trace_stats *ts;

		ret = iosim_trace_reader_next(r, &ev);
		ts = iosim_trace_reader_stats(r);
		for (; shown < ts->nr_errors; shown++)
			fprintf(msgs, "%s:%lu: %s\n", path, ts->errors[shown].line,
				ts->errors[shown].msg);
		if (ret <= 0)
			break;
		sim_progress("replay: events", ts->events, 0);
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
	if (s.st->reader.malformed > shown)
		fprintf(msgs, "%s: %lu more malformed lines\n", path,
			s.st->reader.malformed - shown);
	sim_progress_end();
out:
	rp_cleanup(&s);
	iosim_trace_reader_close(r);
	return ret < 0 ? ret : 0;
}
