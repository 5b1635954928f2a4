// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The registry of live struct iova: which pointers alloc_iova_mem() handed
 * out and have not been freed, and which domain holds each.
 *
 * The kernel trusts the struct iova pointer passed to __free_iova(); a second
 * free, or a pointer into another domain, corrupts the tree.  A harness must
 * report that and carry on, which means recognising a dead pointer without
 * reading through it.  The registry answers "is this pointer a live iova,
 * and whose?" from uthash tables keyed by the pointer, whose handle lives
 * in the struct iova itself (iosim_reg), so registering allocates nothing
 * per object.  <linux/iova.h> declares that member opaquely, so that kernel
 * code and installed headers do not need uthash; struct iova_reg_node below
 * is its real layout, checked at compile time.
 *
 * It is sharded: IOVA_REG_SHARDS tables, each with its own lock, a pointer's
 * shard chosen by the top bits of its Fibonacci hash.  Every alloc_iova() and
 * __free_iova() passes through here, from any thread on any domain; with one
 * table behind one mutex (the first version) that lock serialised all
 * domains and was the second lock of every tree operation.  Threads working
 * on different iovas now almost never meet on a shard lock.
 *
 * A freed iova that its domain keeps as a spare (iova_spares.c) stays
 * registered, marked iosim_freed: "live" below means registered and not
 * freed, so a stale pointer to a spare is as dead to every caller as one to
 * memory the slab got back.  iosim_iova_registry_holds() and _drop() see
 * spares too: they serve the spare list's checker and its release.
 *
 * uthash's bucket arrays are simulation bookkeeping, not kernel allocations:
 * they come from malloc(), outside live accounting and at the host fault
 * site rather than a kernel one, so a kernel-API failure sweep fails exactly
 * the allocations the kernel would make.  uthash
 * creates a shard's table on its first entry and frees it when the last
 * leaves; each shard keeps the blocks its table lets go
 * (<iosim/hash_blocks.h>: reachable, no simulated memory) for the next
 * table instead of giving them back to the host heap.  A fuzz input or test
 * that empties the registry otherwise paid a malloc() and a free() of each
 * for every shard it touched: under AddressSanitizer, with its stack
 * capture and quarantine, that was several percent of fuzz_iova.  Getting a
 * block is a call at the fault site IOSIM_FAULT_HOST; only creating a
 * shard's table can fail (<iosim/hash_add.h>), and then the iova is not
 * handed out.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "iova_internal.h"

#include <iosim/hash_blocks.h>

/* Every HASH_ADD and HASH_DELETE below has the shard at hand, its lock held. */
#define uthash_malloc(bytes)		iosim_hash_block_get(&shard->blocks, (bytes))
#define uthash_free(block, bytes)	iosim_hash_block_put(&shard->blocks, (block), (bytes))
#define HASH_NONFATAL_OOM		1
#define uthash_nonfatal_oom(elt)	(shard->oom = true)
#include <uthash.h>
#include <iosim/hash_add.h>

/* What struct iova's iosim_reg member is. */
struct iova_reg_node {
	UT_hash_handle	hh;
	struct iova	*self;		/* the key: the iova's own address */
};

_Static_assert(sizeof(struct iova_reg_node) == sizeof(struct iosim_iova_reg_link),
	       "iosim_iova_reg_link must have UT_hash_handle's layout");
_Static_assert(offsetof(struct iova_reg_node, self) ==
	       offsetof(struct iosim_iova_reg_link, self), "registry key offset");
_Static_assert(_Alignof(struct iova_reg_node) <= _Alignof(struct iosim_iova_reg_link),
	       "registry link alignment");

static inline struct iova_reg_node *reg_node(const struct iova *iova)
{
	return (struct iova_reg_node *)&((struct iova *)iova)->iosim_reg;
}

/*
 * The pointer hash (iova_ptr_hash()): uthash takes a bucket from the low bits
 * of hashv and the shard comes from its top bits, so the two choices are
 * independent.
 */
#undef HASH_FUNCTION
#define HASH_FUNCTION(keyptr, keylen, hashv) \
	((hashv) = iova_ptr_hash(*(const void *const *)(keyptr)))
/* The keys are pointers (memcmp() was a quarter of a lookup under ASan). */
#undef HASH_KEYCMP
#define HASH_KEYCMP	IOSIM_HASH_KEYCMP_PTR

#define IOVA_REG_SHARD_SHIFT	6
#define IOVA_REG_SHARDS		(1U << IOVA_REG_SHARD_SHIFT)

/* One shard, on cache lines of its own: its lock, its table, its count. */
struct iova_reg_shard {
	struct iosim_iova_lock	lock;
	struct iova_reg_node	*table;		/* uthash head */
	unsigned long		count;
	struct iosim_hash_blocks blocks;	/* what the table let go */
	bool			oom;		/* the last add could not create the table */
} __attribute__((aligned(64)));

static struct iova_reg_shard registry_shards[IOVA_REG_SHARDS];

/*
 * Changed under the shard's lock, read without it (iosim_iova_registry_count()
 * sums the shards as they are, which is all a locked sum, shard after shard,
 * gave too): stored atomically, a plain store on the machines we run on.
 */
static inline void registry_count_add(struct iova_reg_shard *shard, long delta)
{
	__atomic_store_n(&shard->count, shard->count + delta, __ATOMIC_RELAXED);
}

/* Static storage starts unlocked; this only introduces the locks to helgrind. */
static void __attribute__((constructor)) registry_init(void)
{
	unsigned int i;

	for (i = 0; i < IOVA_REG_SHARDS; i++)
		iosim_iova_lock_init(&registry_shards[i].lock);
}

static inline struct iova_reg_shard *registry_shard(const struct iova *iova)
{
	return &registry_shards[iova_ptr_hash(iova) >> (32 - IOVA_REG_SHARD_SHIFT)];
}

/* Is the iova at address @iova live in @shard?  Never reads *@iova.  Shard lock held. */
static inline bool registry_find(struct iova_reg_shard *shard, const struct iova *iova)
{
	struct iova_reg_node *found;

	HASH_FIND(hh, shard->table, &iova, sizeof(iova), found);
	return found != NULL;
}

int iosim_iova_registry_add(struct iova *iova, struct iova_domain *owner)
{
	struct iova_reg_shard *shard = registry_shard(iova);
	struct iova_reg_node *node = reg_node(iova);
	int ret = 0;

	iova->iosim_owner = owner;
	node->self = iova;
	iosim_iova_lock(&shard->lock);
	IOSIM_HASH_ADD(hh, shard->table, self, sizeof(node->self), node, shard->oom);
	if (shard->oom)
		ret = -ENOMEM;
	else
		registry_count_add(shard, 1);
	iosim_iova_unlock(&shard->lock);
	return ret;
}

/* Registered, and a range rather than a freed spare.  Shard lock held. */
static inline bool registry_live(struct iova_reg_shard *shard, const struct iova *iova)
{
	return registry_find(shard, iova) &&
	       !__atomic_load_n(&iova->iosim_freed, __ATOMIC_ACQUIRE);
}

int iosim_iova_registry_del(struct iova *iova, struct iova_domain *owner,
			    struct iova_domain **holder)
{
	struct iova_reg_shard *shard = registry_shard(iova);
	int ret = 0;

	iosim_iova_lock(&shard->lock);
	/* One lookup decides; only a registered iova is read through. */
	if (!registry_live(shard, iova)) {
		ret = -ENOENT;
	} else if (iova->iosim_owner != owner) {
		if (holder)
			*holder = iova->iosim_owner;
		ret = -EBUSY;
	} else {
		HASH_DELETE(hh, shard->table, reg_node(iova));
		registry_count_add(shard, -1);
	}
	iosim_iova_unlock(&shard->lock);
	return ret;
}

void iosim_iova_registry_drop(struct iova *iova)
{
	struct iova_reg_shard *shard = registry_shard(iova);

	iosim_iova_lock(&shard->lock);
	if (!WARN(!registry_find(shard, iova), "iova registry: %p is not registered", iova)) {
		HASH_DELETE(hh, shard->table, reg_node(iova));
		registry_count_add(shard, -1);
	}
	iosim_iova_unlock(&shard->lock);
}

/* Registered (live or freed); *@owner then says whose.  Never reads an unregistered pointer. */
static bool registry_lookup(const struct iova *iova, struct iova_domain **owner, bool live_only)
{
	struct iova_reg_shard *shard = registry_shard(iova);
	bool found;

	iosim_iova_lock(&shard->lock);
	found = live_only ? registry_live(shard, iova) : registry_find(shard, iova);
	if (found)
		*owner = iova->iosim_owner;
	iosim_iova_unlock(&shard->lock);
	return found;
}

bool iosim_iova_registry_owner(const struct iova *iova, struct iova_domain **owner)
{
	return registry_lookup(iova, owner, true);
}

bool iosim_iova_registry_holds(const struct iova *iova, struct iova_domain **owner)
{
	return registry_lookup(iova, owner, false);
}

void iosim_iova_registry_set_owner(struct iova *iova, struct iova_domain *owner)
{
	struct iova_reg_shard *shard = registry_shard(iova);

	iosim_iova_lock(&shard->lock);
	iova->iosim_owner = owner;
	iosim_iova_unlock(&shard->lock);
}

unsigned long iosim_iova_registry_count(void)
{
	unsigned long count = 0;
	unsigned int i;

	for (i = 0; i < IOVA_REG_SHARDS; i++)
		count += __atomic_load_n(&registry_shards[i].count, __ATOMIC_RELAXED);
	return count;
}
