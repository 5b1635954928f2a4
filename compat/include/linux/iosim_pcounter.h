/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/iosim_pcounter.h - customised: simulation only (no kernel
 * counterpart; the kernel's nearest is percpu_counter), a statistics counter
 * that every thread bumps in memory of its own.
 *
 * The simulation keeps process-wide counters that hot paths bump on every
 * operation: the calls at each fault-injection site, the live objects of
 * each kind, the IOVA allocator's spare nodes.  One shared word per counter
 * costs a locked read-modify-write on every add (20-40 cycles even when no
 * other core wants the line) and, with several threads, moves the line
 * between cores: on the build machine those two adds were a third of an
 * alloc_iova() + __free_iova() pair once a second thread existed.
 *
 * So each thread that adds gets a slot, a cache-line aligned array with one
 * word per counter, and adds there with a plain load and store (only its
 * owner writes a slot; readers load it atomically).  A counter is the sum
 * of its base and its word in every slot.  The base takes the adds:
 *  - while the process has one thread (glibc's __libc_single_threaded, as
 *    glibc's own locks use it): plainly, nobody else can see it;
 *  - of a thread when all IOSIM_PCOUNTER_SLOTS slots are taken, or of a
 *    counter when all IOSIM_PCOUNTER_IDS ids are: atomically (correct, only
 *    as slow as a shared counter);
 *  - of an exiting thread: its slot is folded into the bases and freed.
 *
 * A counter is zero-initialised static storage (IOSIM_PCOUNTER_INIT) and
 * must stay valid for the life of the process: once a second thread has
 * added to it, slots refer to it by id.  iosim_pcounter_sum() is exact when
 * no thread adds to the counter while it runs (after pthread_join(), say);
 * during adds it returns a value the counter had at some moment.
 */
#ifndef _IOSIM_LINUX_PCOUNTER_H
#define _IOSIM_LINUX_PCOUNTER_H

#include <stdbool.h>
#include <sys/single_threaded.h>

/* Threads that count in a slot of their own at any one time. */
#define IOSIM_PCOUNTER_SLOTS	64
/* Counters that can have words in slots (ids 1..IOSIM_PCOUNTER_IDS). */
#define IOSIM_PCOUNTER_IDS	32

struct iosim_pcounter {
	long iosim_base;
	/* 0: no id yet; 1..IOSIM_PCOUNTER_IDS; IOSIM_PCOUNTER_IDS + 1: none left */
	unsigned int iosim_id;
};

#define IOSIM_PCOUNTER_INIT	{ 0, 0 }

struct iosim_pcounter_slot {
	long word[IOSIM_PCOUNTER_IDS];
} __attribute__((aligned(64)));

/* The calling thread's slot, NULL until its first add with several threads. */
extern _Thread_local struct iosim_pcounter_slot *iosim_pcounter_mine;

/* Add @delta to a word of the calling thread's slot, its only writer. */
static inline void iosim_pcounter_word_add(long *word, long delta)
{
	__atomic_store_n(word, __atomic_load_n(word, __ATOMIC_RELAXED) + delta, __ATOMIC_RELAXED);
}

/* compat/kernel/pcounter.c: the first add of a thread or of a counter. */
void iosim_pcounter_add_slow(struct iosim_pcounter *c, long delta);

/**
 * iosim_pcounter_add - add @delta to @c
 * @c: the counter (static storage)
 * @delta: what to add, may be negative
 *
 * Context: any thread; never sleeps after the thread's first add to @c.
 */
static inline void iosim_pcounter_add(struct iosim_pcounter *c, long delta)
{
	struct iosim_pcounter_slot *slot;
	unsigned int id;

	if (__libc_single_threaded) {
		c->iosim_base += delta;
		return;
	}
	slot = iosim_pcounter_mine;
	id = __atomic_load_n(&c->iosim_id, __ATOMIC_RELAXED);
	if (__builtin_expect(slot && id - 1 < IOSIM_PCOUNTER_IDS, 1)) {
		iosim_pcounter_word_add(&slot->word[id - 1], delta);
		return;
	}
	iosim_pcounter_add_slow(c, delta);
}

/**
 * iosim_pcounter_sum - the value of @c
 * @c: the counter
 *
 * Context: any thread; takes a mutex once a second thread has existed.
 * Return: the sum of every add to @c, exact when no add to @c runs
 * concurrently.
 */
long iosim_pcounter_sum(struct iosim_pcounter *c);

#endif /* _IOSIM_LINUX_PCOUNTER_H */
