// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The registry of live struct iova: which pointers alloc_iova_mem() handed
 * out and have not been freed, and which domain holds each.
 *
 * The kernel trusts the struct iova pointer passed to __free_iova(); a second
 * free, or a pointer into another domain, corrupts the tree.  A harness must
 * report that and carry on, which means recognising a dead pointer without
 * reading through it.  The registry answers "is this pointer a live iova,
 * and whose?" from a hash table keyed by address, chained through the
 * iosim_hnext member of the live objects themselves.
 *
 * The bucket array is simulation bookkeeping, not a kernel allocation: it
 * comes from calloc(), outside fault injection and live accounting, so a
 * failure sweep fails exactly the allocations the kernel would make.  If a
 * larger array cannot be had, the table keeps its size and chains grow.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include "iova_internal.h"

#define REGISTRY_MIN_SHIFT	10

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct iova *registry_static_buckets[1UL << REGISTRY_MIN_SHIFT];
static struct iova **registry_buckets = registry_static_buckets;
static unsigned int registry_shift = REGISTRY_MIN_SHIFT;
static unsigned long registry_count;

/* Fibonacci hashing: the top bits of the product mix the pointer's middle bits. */
static inline unsigned long registry_slot(const struct iova *iova, unsigned int shift)
{
	return (unsigned long)(((uint64_t)(uintptr_t)iova * 0x9e3779b97f4a7c15ULL) >> (64 - shift));
}

/* Find the link that points at @iova, or NULL.  Caller holds registry_lock. */
static struct iova **registry_link(const struct iova *iova)
{
	struct iova **link = &registry_buckets[registry_slot(iova, registry_shift)];

	for (; *link; link = &(*link)->iosim_hnext)
		if (*link == iova)
			return link;
	return NULL;
}

/* Rehash into 4x the buckets once chains average two; keep the table if calloc fails. */
static void registry_maybe_grow(void)
{
	unsigned int new_shift = registry_shift + 2;
	unsigned long i, old_nr = 1UL << registry_shift;
	struct iova **new_buckets;

	if (registry_count <= 2 * old_nr || new_shift > 40)
		return;
	new_buckets = calloc(1UL << new_shift, sizeof(*new_buckets));
	if (!new_buckets)
		return;
	for (i = 0; i < old_nr; i++) {
		struct iova *iova = registry_buckets[i], *next;

		for (; iova; iova = next) {
			unsigned long slot = registry_slot(iova, new_shift);

			next = iova->iosim_hnext;
			iova->iosim_hnext = new_buckets[slot];
			new_buckets[slot] = iova;
		}
	}
	if (registry_buckets != registry_static_buckets)
		free(registry_buckets);
	else	/* its chains moved: leave it empty for when the registry shrinks back */
		memset(registry_static_buckets, 0, sizeof(registry_static_buckets));
	registry_buckets = new_buckets;
	registry_shift = new_shift;
}

/* Back to the static table when empty, so nothing stays allocated between tests. */
static void registry_maybe_shrink(void)
{
	if (registry_count || registry_buckets == registry_static_buckets)
		return;
	free(registry_buckets);
	registry_buckets = registry_static_buckets;
	registry_shift = REGISTRY_MIN_SHIFT;
}

void iosim_iova_registry_add(struct iova *iova, struct iova_domain *owner)
{
	unsigned long slot;

	iova->iosim_owner = owner;
	pthread_mutex_lock(&registry_lock);
	slot = registry_slot(iova, registry_shift);
	iova->iosim_hnext = registry_buckets[slot];
	registry_buckets[slot] = iova;
	registry_count++;
	registry_maybe_grow();
	pthread_mutex_unlock(&registry_lock);
}

int iosim_iova_registry_del(struct iova *iova, struct iova_domain *owner,
			    struct iova_domain **holder)
{
	struct iova **link;
	int ret = 0;

	pthread_mutex_lock(&registry_lock);
	link = registry_link(iova);
	if (!link) {
		ret = -ENOENT;
	} else if (iova->iosim_owner != owner) {
		if (holder)
			*holder = iova->iosim_owner;
		ret = -EBUSY;
	} else {
		*link = iova->iosim_hnext;
		iova->iosim_hnext = NULL;
		registry_count--;
		registry_maybe_shrink();
	}
	pthread_mutex_unlock(&registry_lock);
	return ret;
}

bool iosim_iova_registry_owner(const struct iova *iova, struct iova_domain **owner)
{
	bool live;

	pthread_mutex_lock(&registry_lock);
	live = registry_link(iova) != NULL;
	if (live)
		*owner = iova->iosim_owner;
	pthread_mutex_unlock(&registry_lock);
	return live;
}

void iosim_iova_registry_set_owner(struct iova *iova, struct iova_domain *owner)
{
	pthread_mutex_lock(&registry_lock);
	iova->iosim_owner = owner;
	pthread_mutex_unlock(&registry_lock);
}

unsigned long iosim_iova_registry_count(void)
{
	unsigned long count;

	pthread_mutex_lock(&registry_lock);
	count = registry_count;
	pthread_mutex_unlock(&registry_lock);
	return count;
}
