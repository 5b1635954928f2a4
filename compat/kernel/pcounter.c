// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Per-thread statistics counters (linux/iosim_pcounter.h): slots, ids, and
 * folding a thread's slot into the bases when it exits.
 *
 * pcounter_lock guards the id table, the slots' owners and every fold; a
 * sum takes it too, so that it never sees a slot both folded into a base
 * and not yet cleared.  Adds to an owned slot take nothing.
 */
#include <pthread.h>

#include <linux/iosim_pcounter.h>
#include <linux/spinlock.h>	/* IOSIM_LOCKLESS_READS: telling helgrind */

_Thread_local struct iosim_pcounter_slot *iosim_pcounter_mine;
/* Set when every slot was taken at this thread's first add: count in bases. */
static _Thread_local bool pcounter_slotless;

static pthread_mutex_t pcounter_lock = PTHREAD_MUTEX_INITIALIZER;
static struct iosim_pcounter_slot pcounter_slots[IOSIM_PCOUNTER_SLOTS];
static bool pcounter_slot_owned[IOSIM_PCOUNTER_SLOTS];
/* Slots below this index have been owned at some time (sums skip the rest). */
static unsigned int pcounter_slots_used;
/* The counter of each id, for folding; ids given so far. */
static struct iosim_pcounter *pcounter_of_id[IOSIM_PCOUNTER_IDS];
static unsigned int pcounter_nr_ids;

static pthread_once_t pcounter_key_once = PTHREAD_ONCE_INIT;
static pthread_key_t pcounter_key;
static bool pcounter_no_slots;	/* pthread_key_create() failed */

/* Thread exit: the slot's words go to their counters' bases, the slot is free. */
static void pcounter_fold(void *arg)
{
	struct iosim_pcounter_slot *slot = arg;
	unsigned int i;

	pthread_mutex_lock(&pcounter_lock);
	for (i = 0; i < pcounter_nr_ids; i++) {
		long v = __atomic_load_n(&slot->word[i], __ATOMIC_RELAXED);

		if (!v)
			continue;
		__atomic_fetch_add(&pcounter_of_id[i]->iosim_base, v, __ATOMIC_RELAXED);
		__atomic_store_n(&slot->word[i], 0, __ATOMIC_RELAXED);
	}
	pcounter_slot_owned[slot - pcounter_slots] = false;
	pthread_mutex_unlock(&pcounter_lock);
	iosim_pcounter_mine = NULL;
}

static void pcounter_key_create(void)
{
	/* Without the destructor a slot would outlive its thread: use none. */
	pcounter_no_slots = pthread_key_create(&pcounter_key, pcounter_fold) != 0;
}

/* The calling thread's slot, claimed now if it has none; NULL if none is free. */
static struct iosim_pcounter_slot *pcounter_slot_claim(void)
{
	struct iosim_pcounter_slot *slot = NULL;
	unsigned int i;

	pthread_once(&pcounter_key_once, pcounter_key_create);
	pthread_mutex_lock(&pcounter_lock);
	for (i = 0; !pcounter_no_slots && i < IOSIM_PCOUNTER_SLOTS; i++) {
		if (pcounter_slot_owned[i])
			continue;
		pcounter_slot_owned[i] = true;
		if (i >= pcounter_slots_used)
			pcounter_slots_used = i + 1;
		slot = &pcounter_slots[i];
		/* Written by its owner alone, read by sums under the lock. */
		IOSIM_LOCKLESS_READS(slot);
		break;
	}
	pthread_mutex_unlock(&pcounter_lock);
	if (slot && pthread_setspecific(pcounter_key, slot)) {
		pcounter_fold(slot);	/* empty: just gives it back */
		slot = NULL;
	}
	return slot;
}

/* @c's id, given now if it has none; IOSIM_PCOUNTER_IDS + 1 once ids ran out. */
static unsigned int pcounter_id(struct iosim_pcounter *c)
{
	unsigned int id = __atomic_load_n(&c->iosim_id, __ATOMIC_ACQUIRE);

	if (id)
		return id;
	pthread_mutex_lock(&pcounter_lock);
	id = c->iosim_id;
	if (!id) {
		/* From now on read without the lock, and its base added to atomically. */
		IOSIM_LOCKLESS_READS(c);
		if (pcounter_nr_ids < IOSIM_PCOUNTER_IDS) {
			pcounter_of_id[pcounter_nr_ids++] = c;
			id = pcounter_nr_ids;
		} else {
			id = IOSIM_PCOUNTER_IDS + 1;
		}
		__atomic_store_n(&c->iosim_id, id, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&pcounter_lock);
	return id;
}

/**
 * iosim_pcounter_add_slow - iosim_pcounter_add() without a slot or an id
 * @c: the counter
 * @delta: what to add
 *
 * Claims a slot for the thread and an id for @c where there are any left,
 * then adds; without either, adds to the base atomically.
 *
 * Context: any thread; takes a mutex.
 */
void iosim_pcounter_add_slow(struct iosim_pcounter *c, long delta)
{
	struct iosim_pcounter_slot *slot = iosim_pcounter_mine;
	unsigned int id = pcounter_id(c);

	if (!slot && !pcounter_slotless) {
		slot = pcounter_slot_claim();
		iosim_pcounter_mine = slot;
		pcounter_slotless = !slot;
	}
	if (!slot || id > IOSIM_PCOUNTER_IDS) {
		__atomic_fetch_add(&c->iosim_base, delta, __ATOMIC_RELAXED);
		return;
	}
	iosim_pcounter_word_add(&slot->word[id - 1], delta);
}

long iosim_pcounter_sum(struct iosim_pcounter *c)
{
	unsigned int id, i;
	long sum;

	if (__libc_single_threaded && !pcounter_slots_used)
		return c->iosim_base;
	pthread_mutex_lock(&pcounter_lock);
	sum = __atomic_load_n(&c->iosim_base, __ATOMIC_RELAXED);
	id = c->iosim_id;
	if (id && id <= IOSIM_PCOUNTER_IDS)
		for (i = 0; i < pcounter_slots_used; i++)
			sum += __atomic_load_n(&pcounter_slots[i].word[id - 1], __ATOMIC_RELAXED);
	pthread_mutex_unlock(&pcounter_lock);
	return sum;
}
