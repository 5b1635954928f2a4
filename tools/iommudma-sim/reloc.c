// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The relocation map: trace page frame number -> simulated RAM slot, in a
 * uthash table.  New pages of a range are allocated run by run so contiguous
 * trace ranges stay contiguous; pages seen before keep their slot.
 */
#include <errno.h>
#include <string.h>

#include "sim_support.h"

/* uthash allocates through the shim and survives allocation failure. */
#define HASH_NONFATAL_OOM 1
#define uthash_malloc(sz) sim_zalloc(sz)
#define uthash_free(ptr, sz) sim_free(ptr)
#define uthash_nonfatal_oom(elt) (reloc_oom = true)
static _Thread_local bool reloc_oom;
#include <uthash.h>

#include "reloc.h"
#include <iosim/hash_add.h>

struct reloc_entry {
	uint64_t tpfn;		/* trace page frame number (key) */
	uint64_t slot;		/* simulated RAM page frame offset */
	struct reloc_entry *next_new;	/* scratch: the run being added */
	UT_hash_handle hh;
};

struct iosim_reloc_map {
	unsigned int page_shift;
	iosim_reloc_alloc_fn alloc;
	void *priv;
	uint64_t nr;
	struct reloc_entry *table;
};

struct iosim_reloc_map *iosim_reloc_map_create(unsigned int page_shift, iosim_reloc_alloc_fn alloc,
					       void *priv)
{
	struct iosim_reloc_map *m;

	if (page_shift < 12 || page_shift > 30 || !alloc) {
		SIM_WARN("iosim_reloc_map_create: page shift %u or allocator invalid", page_shift);
		return NULL;
	}
	m = sim_zalloc(sizeof(*m));
	if (!m)
		return NULL;
	m->page_shift = page_shift;
	m->alloc = alloc;
	m->priv = priv;
	return m;
}

void iosim_reloc_map_destroy(struct iosim_reloc_map *m)
{
	struct reloc_entry *e, *tmp;

	if (!m)
		return;
	HASH_ITER(hh, m->table, e, tmp) {
		HASH_DEL(m->table, e);
		sim_free(e);
	}
	sim_free(m);
}

static struct reloc_entry *find(const struct iosim_reloc_map *m, uint64_t tpfn)
{
	struct reloc_entry *e;

	HASH_FIND(hh, m->table, &tpfn, sizeof(tpfn), e);
	return e;
}

static void free_list(struct reloc_entry *list)
{
	while (list) {
		struct reloc_entry *next = list->next_new;

		sim_free(list);
		list = next;
	}
}

/* Give the @nr new pages from @tpfn on a run of slots. */
static int add_run(struct iosim_reloc_map *m, uint64_t tpfn, uint64_t nr, uint64_t hint)
{
	struct reloc_entry *list = NULL, **tail = &list, *e, *placeholder = NULL;
	uint64_t i, slot;
	int ret;

	for (i = 0; i < nr; i++) {
		e = sim_zalloc(sizeof(*e));
		if (!e) {
			free_list(list);
			return -ENOMEM;
		}
		e->tpfn = tpfn + i;
		*tail = e;
		tail = &e->next_new;
	}
	/* the first insertion allocates the table: do it before taking slots */
	if (!m->table) {
		placeholder = list;
		IOSIM_HASH_ADD(hh, m->table, tpfn, sizeof(placeholder->tpfn), placeholder, reloc_oom);
		if (reloc_oom) {
			free_list(list);
			return -ENOMEM;
		}
	}
	ret = m->alloc(m->priv, nr, hint, &slot);
	if (ret) {
		if (placeholder)
			HASH_DEL(m->table, placeholder);
		free_list(list);
		return ret < 0 ? ret : -ENOMEM;
	}
	for (e = list, i = 0; e; e = list, i++) {
		list = e->next_new;
		e->next_new = NULL;
		e->slot = slot + i;
		/* The table exists (the placeholder made it): this cannot fail. */
		if (e != placeholder)
			IOSIM_HASH_ADD(hh, m->table, tpfn, sizeof(e->tpfn), e, reloc_oom);
		m->nr++;
	}
	return 0;
}

int iosim_reloc_range(struct iosim_reloc_map *m, uint64_t phys, uint64_t len,
		      struct iosim_reloc_piece *pieces, unsigned int max_pieces,
		      unsigned int *nr_pieces)
{
	unsigned int shift = m->page_shift;
	uint64_t first, last, pfn, mask = (1ull << shift) - 1;
	const struct reloc_entry *prev = NULL;
	unsigned int n = 0;
	int ret;

	*nr_pieces = 0;
	if (!len || phys + len - 1 < phys || !max_pieces) {
		SIM_WARN("iosim_reloc_range: empty or wrapping range %#llx+%#llx",
			 (unsigned long long)phys, (unsigned long long)len);
		return -EINVAL;
	}
	first = phys >> shift;
	last = (phys + len - 1) >> shift;

	/* slots for the new pages, one allocator call per run */
	for (pfn = first; pfn <= last; pfn++) {
		const struct reloc_entry *e = find(m, pfn);
		uint64_t run;

		if (e) {
			prev = e;
			continue;
		}
		for (run = 1; pfn + run <= last && !find(m, pfn + run); run++)
			;
		ret = add_run(m, pfn, run, prev ? prev->slot + 1 : IOSIM_RELOC_NO_HINT);
		if (ret)
			return ret;
		pfn += run - 1;
		prev = find(m, pfn);
	}

	/* the pieces: consecutive pages on consecutive slots stay together */
	prev = NULL;
	for (pfn = first; pfn <= last; pfn++) {
		const struct reloc_entry *e = find(m, pfn);
		uint64_t start = pfn == first ? phys : pfn << shift;
		uint64_t end = pfn == last ? phys + len : (pfn + 1) << shift;

		if (prev && e->slot == prev->slot + 1) {
			if (n <= max_pieces)
				pieces[n - 1].len += end - start;
		} else {
			if (n < max_pieces) {
				pieces[n].trace_phys = start;
				pieces[n].sim_offset = (e->slot << shift) + (start & mask);
				pieces[n].len = end - start;
			}
			n++;
		}
		prev = e;
	}
	*nr_pieces = n;
	return n > max_pieces ? -E2BIG : 0;
}

bool iosim_reloc_lookup(const struct iosim_reloc_map *m, uint64_t phys, uint64_t *sim_offset)
{
	const struct reloc_entry *e = find(m, phys >> m->page_shift);

	if (!e)
		return false;
	*sim_offset = (e->slot << m->page_shift) + (phys & ((1ull << m->page_shift) - 1));
	return true;
}

uint64_t iosim_reloc_nr_pages(const struct iosim_reloc_map *m)
{
	return m->nr;
}

struct slot_seen {
	uint64_t slot;
	UT_hash_handle hh;
};

int iosim_reloc_check(const struct iosim_reloc_map *m)
{
	struct slot_seen *seen = NULL, *s, *tmp;
	struct reloc_entry *e, *etmp;
	int ret = 0;

	if (HASH_COUNT(m->table) != m->nr) {
		SIM_WARN("reloc map: %u entries in the table, %llu counted", HASH_COUNT(m->table),
			 (unsigned long long)m->nr);
		return -EUCLEAN;
	}
	HASH_ITER(hh, m->table, e, etmp) {
		if (find(m, e->tpfn) != e || e->next_new) {
			SIM_WARN("reloc map: entry for trace page %#llx not found under its key",
				 (unsigned long long)e->tpfn);
			ret = -EUCLEAN;
			break;
		}
		if (e->slot > (UINT64_MAX >> m->page_shift)) {
			SIM_WARN("reloc map: slot %#llx does not fit an address",
				 (unsigned long long)e->slot);
			ret = -EUCLEAN;
			break;
		}
		HASH_FIND(hh, seen, &e->slot, sizeof(e->slot), s);
		if (s) {
			SIM_WARN("reloc map: slot %#llx given to two trace pages",
				 (unsigned long long)e->slot);
			ret = -EUCLEAN;
			break;
		}
		s = sim_zalloc(sizeof(*s));
		reloc_oom = false;
		if (s) {
			s->slot = e->slot;
			IOSIM_HASH_ADD(hh, seen, slot, sizeof(s->slot), s, reloc_oom);
		}
		if (!s || reloc_oom) {
			sim_free(s);
			ret = -ENOMEM;
			break;
		}
	}
	HASH_ITER(hh, seen, s, tmp) {
		HASH_DEL(seen, s);
		sim_free(s);
	}
	return ret;
}
