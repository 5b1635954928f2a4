// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The IOTLB: a small fully associative cache of leaf translations with
 * least-recently-used replacement, tagged by domain as a real IOTLB is tagged
 * by context (ASID/VMID).
 *
 * The entries sit in an array, and the model is defined on it: a fill takes
 * the lowest-numbered empty entry, else the least recently used one; when
 * several tagged entries translate an address (a stale small entry inside a
 * block entry filled later, say), the lowest-numbered one answers.  The bus
 * master translates once per leaf per access, so a linear search of the
 * array on every lookup and fill (64 entries by default) was most of its
 * cost, and under the fuzzers' comparison tracing the most expensive loop
 * of the simulated IOMMU.  Lookups and fills go through an index instead,
 * with the same answers:
 *
 *  - a uthash table of the tagged entries keyed by (domain, iova, size):
 *    entries are whole aligned leaves (iosim_iommu_check() verifies it), so
 *    a lookup probes once per distinct leaf size present (usually one to
 *    three) and keeps the lowest-numbered match;
 *  - the tagged entries on a list in LRU order (every hit and fill moves
 *    its entry to the tail, so the head is the one with the lowest
 *    last_used: clock values are unique);
 *  - the lowest index that may be empty, so a fill finds the first empty
 *    entry without rescanning the full ones below it.
 *
 * Invalidations walk the LRU list, or for a range that needs fewer hash
 * probes than there are tagged entries, probe the index.
 *
 * The index's blocks (table header, bucket arrays) are kept by the IOTLB
 * when uthash lets them go, as it does whenever the index empties (an
 * unmap's invalidation), and handed back when it refills (the next access)
 * and grows (<iosim/hash_blocks.h>).  uthash calls these only where @tlb is
 * the IOTLB at hand (every HASH_ADD, HASH_DELETE and HASH_CLEAR below).
 * An IOTLB dies with its IOMMU (in the fuzz harnesses, at the end of every
 * input): iosim_iotlb_destroy() gives what it kept to a process-wide keeper,
 * and the next IOTLB set up takes it from there.  Creating the index is a
 * host allocation that can fail (<iosim/hash_add.h>): the fill then caches
 * nothing, as a real IOTLB is free not to.
 */
#include <iosim/hash_blocks.h>

#define uthash_malloc(bytes)		iosim_hash_block_get(&tlb->blocks, (bytes))
#define uthash_free(block, bytes)	iosim_hash_block_put(&tlb->blocks, (block), (bytes))
#define HASH_NONFATAL_OOM		1
#define uthash_nonfatal_oom(elt)	(tlb->index_oom = true)

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include <iosim/hash_add.h>

#include "iotlb.h"
#include "pgtable.h"

/* Index blocks of destroyed IOTLBs, for the next one set up. */
static DEFINE_SPINLOCK(iotlb_spare_lock);
static struct iosim_hash_blocks iotlb_spare_blocks;

/* The index key: domain_id, iova and size, adjacent in the entry. */
#define IOTLB_KEY_BYTES \
	(offsetof(struct iosim_iotlb_entry, size) + sizeof(unsigned long) - \
	 offsetof(struct iosim_iotlb_entry, domain_id))

_Static_assert(offsetof(struct iosim_iotlb_entry, iova) ==
	       offsetof(struct iosim_iotlb_entry, domain_id) + sizeof(u64) &&
	       offsetof(struct iosim_iotlb_entry, size) ==
	       offsetof(struct iosim_iotlb_entry, iova) + sizeof(unsigned long),
	       "the IOTLB key fields must be adjacent, without padding");

struct iotlb_key {
	u64 domain_id;
	unsigned long iova;
	unsigned long size;
};

_Static_assert(sizeof(struct iotlb_key) == IOTLB_KEY_BYTES, "IOTLB key layout");

static inline struct iotlb_key iotlb_key_at(const void *keyptr)
{
	struct iotlb_key key;

	memcpy(&key, keyptr, sizeof(key));
	return key;
}

/*
 * The index hashes and compares its keys as the three words they are:
 * uthash's default hash goes a byte at a time and its comparison is a
 * memcmp(), and a translation does one to three lookups (with a fill, one
 * more and an insert).  The hash multiplies and folds, so the low bits
 * uthash picks buckets with depend on every bit of the key.
 */
static inline unsigned int iotlb_key_hash(const void *keyptr)
{
	struct iotlb_key key = iotlb_key_at(keyptr);
	u64 h = (key.domain_id * 0x9e3779b97f4a7c15ULL + key.iova) ^ key.size;

	h *= 0xbf58476d1ce4e5b9ULL;
	return (unsigned int)(h ^ (h >> 31) ^ (h >> 47));
}

static inline int iotlb_key_cmp(const void *a, const void *b)
{
	struct iotlb_key x = iotlb_key_at(a), y = iotlb_key_at(b);

	return x.domain_id != y.domain_id || x.iova != y.iova || x.size != y.size;
}

/* Only this file's uses of the index see these (uthash expands them there). */
#undef HASH_FUNCTION
#define HASH_FUNCTION(keyptr, keylen, hashv)	((hashv) = iotlb_key_hash(keyptr))
#undef HASH_KEYCMP
#define HASH_KEYCMP(a, b, n)			iotlb_key_cmp((a), (b))

int iosim_iotlb_init(struct iosim_iotlb *tlb, unsigned int nr_entries)
{
	tlb->nr_entries = 0;
	tlb->entries = NULL;
	tlb->clock = 0;
	tlb->index = NULL;
	tlb->blocks = (struct iosim_hash_blocks){ 0 };
	INIT_LIST_HEAD(&tlb->lru);
	memset(tlb->size_users, 0, sizeof(tlb->size_users));
	tlb->first_empty = 0;
	__atomic_store_n(&tlb->nr_valid, 0, __ATOMIC_RELEASE);
	IOSIM_LOCKLESS_READS(&tlb->nr_valid);	/* iosim_iotlb_maybe_valid() */
	if (!nr_entries)
		return 0;
	tlb->entries = kcalloc(nr_entries, sizeof(*tlb->entries), GFP_KERNEL);
	if (!tlb->entries)
		return -ENOMEM;
	tlb->nr_entries = nr_entries;
	spin_lock(&iotlb_spare_lock);
	iosim_hash_blocks_move(&tlb->blocks, &iotlb_spare_blocks);
	spin_unlock(&iotlb_spare_lock);
	return 0;
}

void iosim_iotlb_destroy(struct iosim_iotlb *tlb)
{
	/* The index's blocks are host memory: uthash's, then the kept ones. */
	HASH_CLEAR(hh, tlb->index);
	spin_lock(&iotlb_spare_lock);
	iosim_hash_blocks_move(&iotlb_spare_blocks, &tlb->blocks);
	spin_unlock(&iotlb_spare_lock);
	INIT_LIST_HEAD(&tlb->lru);
	kfree(tlb->entries);
	tlb->entries = NULL;
	tlb->nr_entries = 0;
	__atomic_store_n(&tlb->nr_valid, 0, __ATOMIC_RELEASE);
}

static void iotlb_nr_valid_add(struct iosim_iotlb *tlb, int delta)
{
	__atomic_store_n(&tlb->nr_valid, tlb->nr_valid + delta, __ATOMIC_RELEASE);
}

static bool iotlb_entry_overlaps(const struct iosim_iotlb_entry *entry, unsigned long iova,
				 size_t size)
{
	/* Both ranges are non-empty and lie inside the input address space. */
	return entry->iova < iova + size && iova < entry->iova + entry->size;
}

/* Count one more (@delta 1) or one fewer (-1) tagged entry of @size bytes. */
static void iotlb_size_users(struct iosim_iotlb *tlb, unsigned long size, int delta)
{
	unsigned int i, empty = IOSIM_IOTLB_NR_SIZES;

	for (i = 0; i < IOSIM_IOTLB_NR_SIZES; i++) {
		if (tlb->size_users[i] && tlb->sizes[i] == size) {
			tlb->size_users[i] += delta;
			return;
		}
		if (!tlb->size_users[i] && empty == IOSIM_IOTLB_NR_SIZES)
			empty = i;
	}
	/* A new size: a page-table format has fewer leaf sizes than slots. */
	if (WARN(delta < 0 || empty == IOSIM_IOTLB_NR_SIZES,
		 "iosim iotlb: leaf size %#lx not counted", size))
		return;
	tlb->sizes[empty] = size;
	tlb->size_users[empty] = 1;
}

/* Untag @entry: out of the index, the LRU list and the size counts. */
static void iotlb_untag(struct iosim_iotlb *tlb, struct iosim_iotlb_entry *entry)
{
	unsigned int i = entry - tlb->entries;

	HASH_DELETE(hh, tlb->index, entry);
	list_del(&entry->lru);
	iotlb_size_users(tlb, entry->size, -1);
	entry->domain_id = 0;
	iotlb_nr_valid_add(tlb, -1);
	tlb->first_empty = min(tlb->first_empty, i);
}

const struct iosim_iotlb_entry *iosim_iotlb_lookup(struct iosim_iotlb *tlb, u64 domain_id,
						   unsigned long iova)
{
	struct iosim_iotlb_entry *entry, *best = NULL;
	struct iotlb_key key = { .domain_id = domain_id };
	unsigned int i;

	if (!tlb->nr_valid)
		return NULL;
	for (i = 0; i < IOSIM_IOTLB_NR_SIZES; i++) {
		if (!tlb->size_users[i])
			continue;
		key.size = tlb->sizes[i];
		key.iova = iova & ~(key.size - 1);
		HASH_FIND(hh, tlb->index, &key, IOTLB_KEY_BYTES, entry);
		if (entry && (!best || entry < best))
			best = entry;
	}
	if (best) {
		best->last_used = ++tlb->clock;
		list_move_tail(&best->lru, &tlb->lru);
	}
	return best;
}

bool iosim_iotlb_fill(struct iosim_iotlb *tlb, u64 domain_id,
		      const struct iosim_pgtable_leaf *leaf)
{
	struct iotlb_key key = { domain_id, leaf->iova, leaf->size };
	struct iosim_iotlb_entry *victim = NULL;
	bool evicted = false;
	unsigned int i;

	if (!tlb->nr_entries)
		return false;
	/*
	 * The same leaf cached already (two masters missed on it at once):
	 * refresh that entry rather than index a second copy.
	 */
	HASH_FIND(hh, tlb->index, &key, IOTLB_KEY_BYTES, victim);
	if (victim) {
		iotlb_untag(tlb, victim);
	} else if (tlb->nr_valid < tlb->nr_entries) {
		for (i = tlb->first_empty; tlb->entries[i].domain_id; i++)
			;
		victim = &tlb->entries[i];
		tlb->first_empty = i + 1;
	} else {
		victim = list_first_entry(&tlb->lru, struct iosim_iotlb_entry, lru);
		iotlb_untag(tlb, victim);
		evicted = true;
	}

	victim->domain_id = domain_id;
	victim->iova = leaf->iova;
	victim->size = leaf->size;
	victim->phys = leaf->phys;
	victim->prot = leaf->prot;
	victim->last_used = ++tlb->clock;
	IOSIM_HASH_ADD(hh, tlb->index, domain_id, IOTLB_KEY_BYTES, victim, tlb->index_oom);
	if (tlb->index_oom) {
		/* No index: the entry stays empty. */
		victim->domain_id = 0;
		tlb->first_empty = min(tlb->first_empty, (unsigned int)(victim - tlb->entries));
		return evicted;
	}
	list_add_tail(&victim->lru, &tlb->lru);
	iotlb_size_users(tlb, victim->size, 1);
	iotlb_nr_valid_add(tlb, 1);
	return evicted;
}

/*
 * Hash probes that find every entry of @domain_id meeting [@iova, @iova +
 * @size): a leaf's IOVA is aligned to its size, so for each size the IOTLB
 * holds, the aligned IOVAs from round_down(@iova, size) up to the range's
 * end.  Counted up to @limit only.
 */
static unsigned long iotlb_range_probes(const struct iosim_iotlb *tlb, unsigned long iova,
					size_t size, unsigned long limit)
{
	unsigned long probes = 0;
	unsigned int i;

	for (i = 0; i < IOSIM_IOTLB_NR_SIZES && probes < limit; i++)
		if (tlb->size_users[i])
			probes += (iova + size - 1) / tlb->sizes[i] - iova / tlb->sizes[i] + 1;
	return probes;
}

/*
 * The invalidations walk the LRU list, which holds exactly the tagged
 * entries, so their cost is what the IOTLB holds rather than its size; a
 * range invalidation that needs fewer hash probes than there are tagged
 * entries (an unmap of a few pages from a full IOTLB) probes instead.
 */
unsigned int iosim_iotlb_invalidate_range(struct iosim_iotlb *tlb, u64 domain_id,
					  unsigned long iova, size_t size)
{
	unsigned long sizes[IOSIM_IOTLB_NR_SIZES], leaf_iova;
	struct iosim_iotlb_entry *entry, *next;
	unsigned int nr = 0, nr_sizes = 0, i;

	if (!tlb->nr_valid || !size)
		return 0;
	if (iotlb_range_probes(tlb, iova, size, tlb->nr_valid) >= tlb->nr_valid) {
		list_for_each_entry_safe(entry, next, &tlb->lru, lru) {
			if (entry->domain_id == domain_id &&
			    iotlb_entry_overlaps(entry, iova, size)) {
				iotlb_untag(tlb, entry);
				nr++;
			}
		}
		return nr;
	}
	/* Untagging may free a size's slot: take the sizes first. */
	for (i = 0; i < IOSIM_IOTLB_NR_SIZES; i++)
		if (tlb->size_users[i])
			sizes[nr_sizes++] = tlb->sizes[i];
	for (i = 0; i < nr_sizes; i++) {
		for (leaf_iova = round_down(iova, sizes[i]); leaf_iova < iova + size;
		     leaf_iova += sizes[i]) {
			struct iotlb_key key = { domain_id, leaf_iova, sizes[i] };

			HASH_FIND(hh, tlb->index, &key, IOTLB_KEY_BYTES, entry);
			if (entry) {
				iotlb_untag(tlb, entry);
				nr++;
			}
		}
	}
	return nr;
}

unsigned int iosim_iotlb_invalidate_domain(struct iosim_iotlb *tlb, u64 domain_id)
{
	struct iosim_iotlb_entry *entry, *next;
	unsigned int nr = 0;

	list_for_each_entry_safe(entry, next, &tlb->lru, lru) {
		if (entry->domain_id == domain_id) {
			iotlb_untag(tlb, entry);
			nr++;
		}
	}
	return nr;
}

unsigned int iosim_iotlb_invalidate_all(struct iosim_iotlb *tlb)
{
	struct iosim_iotlb_entry *entry, *next;
	unsigned int nr = 0;

	list_for_each_entry_safe(entry, next, &tlb->lru, lru) {
		iotlb_untag(tlb, entry);
		nr++;
	}
	return nr;
}

void iosim_iotlb_reset(struct iosim_iotlb *tlb)
{
	/* Every fill and hit ticks the clock: at zero, nothing was cached since. */
	if (!tlb->clock)
		return;
	iosim_iotlb_invalidate_all(tlb);
	/* Untagged entries keep their old fields: clear them as kcalloc() did. */
	if (tlb->nr_entries)
		memset(tlb->entries, 0, tlb->nr_entries * sizeof(*tlb->entries));
	INIT_LIST_HEAD(&tlb->lru);
	tlb->clock = 0;
	tlb->first_empty = 0;
	memset(tlb->sizes, 0, sizeof(tlb->sizes));
	memset(tlb->size_users, 0, sizeof(tlb->size_users));
}

int iosim_iotlb_check(struct iosim_iotlb *tlb)
{
	unsigned int i, tagged = 0, listed = 0, counted = 0;
	struct iosim_iotlb_entry *entry, *found;
	u64 last = 0;

	for (i = 0; i < tlb->nr_entries; i++) {
		entry = &tlb->entries[i];
		if (!entry->domain_id)
			continue;
		tagged++;
		HASH_FIND(hh, tlb->index, &entry->domain_id, IOTLB_KEY_BYTES, found);
		if (WARN(found != entry, "iosim iotlb: entry %u is not indexed under its key", i))
			return -EUCLEAN;
	}
	for (i = 0; i < tlb->first_empty && i < tlb->nr_entries; i++)
		if (WARN(!tlb->entries[i].domain_id,
			 "iosim iotlb: entry %u is empty below the first-empty mark %u", i,
			 tlb->first_empty))
			return -EUCLEAN;
	list_for_each_entry(entry, &tlb->lru, lru) {
		if (WARN(!entry->domain_id || entry->last_used <= last,
			 "iosim iotlb: the LRU list is out of order or holds an empty entry"))
			return -EUCLEAN;
		last = entry->last_used;
		listed++;
	}
	for (i = 0; i < IOSIM_IOTLB_NR_SIZES; i++)
		counted += tlb->size_users[i];
	if (WARN(tagged != tlb->nr_valid || listed != tagged || counted != tagged ||
		 HASH_COUNT(tlb->index) != tagged,
		 "iosim iotlb: %u tagged entries, %u counted valid, %u listed, %u by size, %u indexed",
		 tagged, tlb->nr_valid, listed, counted, HASH_COUNT(tlb->index)))
		return -EUCLEAN;
	return 0;
}
