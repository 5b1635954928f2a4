// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Concurrency: several threads allocate and free through the fast path (and
 * the tree) at once.  Afterwards the ranges they still hold must be disjoint
 * and each backed by its own tree range, and the domain must pass the checker.
 * Run under ThreadSanitizer or helgrind for the data-race verdict.
 */
#include "iova_test.h"

#include <pthread.h>
#include <stdlib.h>

#include <linux/kernel.h>
#include <linux/log2.h>
#include <iosim/warn.h>

#define NR_THREADS	4
#define HELD_PER_THREAD	64

struct worker {
	pthread_t thread;
	struct iova_domain *iovad;
	unsigned long long rng;
	unsigned long nr_ops;
	bool use_tree;			/* mix in alloc_iova/__free_iova/find_iova */
	unsigned long pfns[HELD_PER_THREAD];	/* fast-path ranges held */
	unsigned long sizes[HELD_PER_THREAD];
	struct iova *iovas[HELD_PER_THREAD];	/* tree ranges held */
	unsigned long nr_failures;
	unsigned long nr_mismatches;	/* find_iova() disagreed: asserted after join */
};

static unsigned long fast_len(unsigned long size)
{
	return size <= 32 ? roundup_pow_of_two(size) : size;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	unsigned long op;

	for (op = 0; op < w->nr_ops; op++) {
		unsigned int i = (unsigned int)(iova_test_rand(&w->rng) % HELD_PER_THREAD);
		unsigned long r = iova_test_rand(&w->rng) % 100;

		if (w->use_tree && r < 20) {
			if (w->iovas[i]) {
				__free_iova(w->iovad, w->iovas[i]);
				w->iovas[i] = NULL;
			} else {
				w->iovas[i] = alloc_iova(w->iovad, 1 + r % 8, ULONG_MAX, r & 1);
				/* No CMocka assertion off the main thread: count instead. */
				if (w->iovas[i])
					w->nr_mismatches +=
						find_iova(w->iovad, w->iovas[i]->pfn_lo) !=
						w->iovas[i];
				else
					w->nr_failures++;
			}
		} else if (w->pfns[i]) {
			free_iova_fast(w->iovad, w->pfns[i], w->sizes[i]);
			w->pfns[i] = 0;
		} else {
			w->sizes[i] = r < 95 ? 1 + r % 16 : 64;
			w->pfns[i] = alloc_iova_fast(w->iovad, w->sizes[i], ULONG_MAX);
			w->nr_failures += !w->pfns[i];
		}
	}
	return NULL;
}

struct held_range {
	unsigned long lo, hi;
};

static int cmp_range(const void *a, const void *b)
{
	const struct held_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Every held range is a tree range of its own, and none overlap. */
static void check_held_ranges(struct worker *workers)
{
	struct held_range *held = calloc(NR_THREADS * HELD_PER_THREAD * 2, sizeof(*held));
	unsigned long nr = 0, i;
	int t;

	assert_non_null(held);
	for (t = 0; t < NR_THREADS; t++) {
		struct worker *w = &workers[t];

		for (i = 0; i < HELD_PER_THREAD; i++) {
			if (w->pfns[i]) {
				held[nr].lo = w->pfns[i];
				held[nr].hi = w->pfns[i] + fast_len(w->sizes[i]) - 1;
				assert_iova_range(find_iova(w->iovad, w->pfns[i]), held[nr].lo,
						  held[nr].hi);
				nr++;
			}
			if (w->iovas[i]) {
				held[nr].lo = w->iovas[i]->pfn_lo;
				held[nr].hi = w->iovas[i]->pfn_hi;
				assert_ptr_equal(find_iova(w->iovad, held[nr].lo), w->iovas[i]);
				nr++;
			}
		}
	}
	qsort(held, nr, sizeof(*held), cmp_range);
	for (i = 1; i < nr; i++)
		assert_true(held[i - 1].hi < held[i].lo);
	free(held);
}

static void release_held_ranges(struct worker *workers)
{
	unsigned long i;
	int t;

	for (t = 0; t < NR_THREADS; t++) {
		for (i = 0; i < HELD_PER_THREAD; i++) {
			if (workers[t].pfns[i])
				free_iova_fast(workers[t].iovad, workers[t].pfns[i],
					       workers[t].sizes[i]);
			if (workers[t].iovas[i])
				__free_iova(workers[t].iovad, workers[t].iovas[i]);
		}
	}
}

/* What run_workers() expects of the allocations that failed, summed over the threads. */
enum failures { NO_FAILURE, SOME_FAILURES, ANY_FAILURES };

static void run_workers(struct iova_domain *iovad, bool use_tree, unsigned long nr_ops,
			unsigned long long seed, enum failures expect)
{
	struct worker *workers = calloc(NR_THREADS, sizeof(*workers));
	struct iosim_iova_stats stats;
	unsigned long nr_failures = 0;
	int t;

	assert_non_null(workers);
	for (t = 0; t < NR_THREADS; t++) {
		workers[t].iovad = iovad;
		workers[t].rng = seed + (unsigned long long)t * 7919;
		workers[t].nr_ops = nr_ops;
		workers[t].use_tree = use_tree;
		assert_int_equal(pthread_create(&workers[t].thread, NULL, worker_main,
					       &workers[t]), 0);
	}
	for (t = 0; t < NR_THREADS; t++) {
		assert_int_equal(pthread_join(workers[t].thread, NULL), 0);
		assert_int_equal(workers[t].nr_mismatches, 0);
		nr_failures += workers[t].nr_failures;
	}
	if (expect == NO_FAILURE)
		assert_int_equal(nr_failures, 0);
	else if (expect == SOME_FAILURES)
		assert_true(nr_failures > 0);

	assert_iova_consistent(iovad);
	check_held_ranges(workers);
	release_held_ranges(workers);
	assert_iova_consistent(iovad);
	iosim_iova_rcache_flush(iovad);
	iosim_iova_get_stats(iovad, &stats);
	assert_int_equal(stats.nr_ranges, 0);
	assert_int_equal(stats.nr_cached, 0);
	assert_true(stats.nr_rcache_hits > 0);
	free(workers);
}

static unsigned long nr_ops(void)
{
	return iova_test_under_valgrind() ? 3000 : 50000;
}

static void test_threads_share_the_fast_path_of_a_large_domain(void **state)
{
	/* 4 x 64 ranges of at most 64 pfns and the caches fit a million pfns at any time. */
	run_workers(fixture_domain(state), false, nr_ops(), 1, NO_FAILURE);
}

static void test_threads_mix_the_fast_path_and_the_tree(void **state)
{
	run_workers(fixture_domain(state), true, nr_ops(), 2, NO_FAILURE);
}

static void test_threads_exhaust_a_small_domain_and_flush_concurrently(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;

	/* 4 threads x 64 ranges of up to 16 pfns cannot all fit in 1024 pfns. */
	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 1, 1024);
	run_workers(iovad, true, nr_ops(), 3, SOME_FAILURES);
}

static void test_threads_trusting_the_caller(void **state)
{
	struct iova_domain *iovad = &((struct iova_fixture *)*state)->other;

	put_iova_domain(iovad);
	init_iova_domain(iovad, IOVA_TEST_GRANULE, 1, 1024);
	iosim_iova_set_fast_checks(iovad, false);
	/* Whether the small domain fills up depends on the threads' interleaving. */
	run_workers(iovad, false, nr_ops(), 4, ANY_FAILURES);
}

struct double_freer {
	pthread_t thread;
	struct iova_domain *iovad;
	struct iova **iovas;
	unsigned long nr;
	bool backwards;
};

static void *double_freer_main(void *arg)
{
	struct double_freer *f = arg;
	unsigned long i;

	for (i = 0; i < f->nr; i++)
		__free_iova(f->iovad, f->iovas[f->backwards ? f->nr - 1 - i : i]);
	return NULL;
}

/*
 * Two threads free the same iovas at once.  __free_iova() unregisters an
 * iova before it takes the tree lock, so exactly one of the two frees of
 * each iova unlinks it and the other is WARNed as a second free, without
 * reading the freed object: every range is gone once, and the domain and
 * the registry of live iovas are intact.
 */
static void test_threads_racing_to_free_the_same_iovas_free_each_once(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	const unsigned long nr = iova_test_under_valgrind() ? 256 : 2048;
	struct iova **iovas = calloc(nr, sizeof(*iovas));
	unsigned long live = iosim_iova_nr_live(), i;
	struct double_freer f[2];
	int t;

	assert_non_null(iovas);
	for (i = 0; i < nr; i++)
		assert_non_null(iovas[i] = alloc_iova(iovad, 1 + i % 4, IOVA_TEST_TOP, true));
	iosim_warn_set_quiet(true);
	for (t = 0; t < 2; t++) {
		f[t] = (struct double_freer){ .iovad = iovad, .iovas = iovas, .nr = nr,
					      .backwards = t == 1 };
		assert_int_equal(pthread_create(&f[t].thread, NULL, double_freer_main, &f[t]), 0);
	}
	for (t = 0; t < 2; t++)
		assert_int_equal(pthread_join(f[t].thread, NULL), 0);
	iosim_warn_set_quiet(false);

	assert_int_equal(iosim_warn_count(), nr);
	assert_warned("is not a live iova");
	assert_int_equal(iova_test_nr_ranges(iovad), 0);
	assert_int_equal(iosim_iova_nr_live(), live);
	assert_iova_consistent(iovad);
	free(iovas);
}

#define MAILBOX_SLOTS	256

struct mailbox_worker {
	pthread_t thread;
	struct iova_domain *iovad;
	unsigned long *mailbox;		/* pfns of one granule; 0 when empty */
	unsigned long long rng;
	unsigned long nr_ops, nr_failures;
};

/*
 * Allocate a range and swap it into a random mailbox slot; free whatever
 * the slot held, most often a range another thread (CPU) handed out and
 * still records, while that thread keeps allocating and recording.
 */
static void *mailbox_worker_main(void *arg)
{
	struct mailbox_worker *w = arg;
	unsigned long op;

	for (op = 0; op < w->nr_ops; op++) {
		unsigned long slot = iova_test_rand(&w->rng) % MAILBOX_SLOTS;
		unsigned long pfn = alloc_iova_fast(w->iovad, 1, ULONG_MAX), old;

		w->nr_failures += !pfn;
		old = __atomic_exchange_n(&w->mailbox[slot], pfn, __ATOMIC_ACQ_REL);
		if (old)
			free_iova_fast(w->iovad, old, 1);
	}
	return NULL;
}

/*
 * Checked mode vets a free on the CPU that handed the range out from that
 * CPU's record (lib/iova/iova_handed.c) and any other free through the tree,
 * which takes the range out of the other CPU's record under that CPU's lock.
 * Threads freeing each other's ranges while allocating their own exercise
 * both at once: no WARN (every range is freed once, by its holder), every
 * range back, and the records consistent with the tree.
 */
static void test_threads_freeing_each_others_ranges_keep_the_records_right(void **state)
{
	struct iova_domain *iovad = fixture_domain(state);
	unsigned long *mailbox = calloc(MAILBOX_SLOTS, sizeof(*mailbox)), i;
	struct mailbox_worker w[NR_THREADS];
	struct iosim_iova_stats stats;
	int t;

	assert_non_null(mailbox);
	for (t = 0; t < NR_THREADS; t++) {
		w[t] = (struct mailbox_worker){ .iovad = iovad, .mailbox = mailbox,
						.rng = 77 + (unsigned long long)t * 131,
						.nr_ops = nr_ops() };
		assert_int_equal(pthread_create(&w[t].thread, NULL, mailbox_worker_main, &w[t]), 0);
	}
	for (t = 0; t < NR_THREADS; t++) {
		assert_int_equal(pthread_join(w[t].thread, NULL), 0);
		assert_int_equal(w[t].nr_failures, 0);
	}
	assert_no_warnings();
	assert_iova_consistent(iovad);
	iosim_iova_get_stats(iovad, &stats);
	assert_true(stats.nr_rcache_local_frees > 0);

	for (i = 0; i < MAILBOX_SLOTS; i++)
		if (mailbox[i])
			free_iova_fast(iovad, mailbox[i], 1);
	assert_no_warnings();
	assert_iova_consistent(iovad);
	iosim_iova_rcache_flush(iovad);
	iosim_iova_get_stats(iovad, &stats);
	assert_int_equal(stats.nr_ranges, 0);
	free(mailbox);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOVA_TEST(test_threads_share_the_fast_path_of_a_large_domain),
		IOVA_TEST(test_threads_mix_the_fast_path_and_the_tree),
		IOVA_TEST(test_threads_exhaust_a_small_domain_and_flush_concurrently),
		IOVA_TEST(test_threads_trusting_the_caller),
		IOVA_TEST(test_threads_racing_to_free_the_same_iovas_free_each_once),
		IOVA_TEST(test_threads_freeing_each_others_ranges_keep_the_records_right),
	};

	return cmocka_run_group_tests_name("iova_threads", tests, NULL, NULL);
}
