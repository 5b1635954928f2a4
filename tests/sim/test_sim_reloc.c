// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The relocation map: trace pages get simulated slots run by run; in-page
 * offsets and contiguity are kept; shared pages stay shared; allocator and
 * allocation failures leave the map consistent and lose no slot.
 */
#include "iosim_test.h"

#include <errno.h>
#include <string.h>

#include <iosim/fault.h>
#include <iosim/live.h>

#include "reloc.h"

#define PS 4096ull

/* A bump allocator over slot numbers; honours a hint that is the next free slot. */
struct slots {
	uint64_t next;
	unsigned int calls;
	uint64_t last_nr;
	uint64_t last_hint;
	int fail_with;		/* non-zero: fail the next call with it */
	uint64_t limit;		/* 0: none; otherwise -ENOSPC past it */
	uint64_t skip;		/* slots burnt before each run (makes runs non-adjacent) */
};

static int slot_alloc(void *priv, uint64_t nr, uint64_t hint, uint64_t *first)
{
	struct slots *s = priv;

	s->calls++;
	s->last_nr = nr;
	s->last_hint = hint;
	if (s->fail_with) {
		int ret = s->fail_with;

		s->fail_with = 0;
		return ret;
	}
	if (hint != s->next)
		s->next += s->skip;
	if (s->limit && s->next + nr > s->limit)
		return -ENOSPC;
	*first = s->next;
	s->next += nr;
	return 0;
}

static struct iosim_reloc_map *new_map(struct slots *s)
{
	struct iosim_reloc_map *m;

	memset(s, 0, sizeof(*s));
	m = iosim_reloc_map_create(12, slot_alloc, s);
	assert_non_null(m);
	return m;
}

static void test_reloc_new_range_is_one_contiguous_run(void **state)
{
	struct iosim_reloc_piece p[4];
	struct iosim_reloc_map *m;
	struct slots s;
	unsigned int n;

	(void)state;
	m = new_map(&s);
	s.next = 100;
	/* 3 pages and a bit, starting 0x234 into a page far above simulated RAM */
	assert_int_equal(iosim_reloc_range(m, 0x3a9e17234ull, 3 * PS + 0x10, p, 4, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(s.calls, 1);
	assert_true(s.last_nr == 4);
	assert_true(s.last_hint == IOSIM_RELOC_NO_HINT);
	assert_true(p[0].trace_phys == 0x3a9e17234ull);
	assert_true(p[0].sim_offset == 100 * PS + 0x234);	/* in-page offset kept */
	assert_true(p[0].len == 3 * PS + 0x10);
	assert_true(iosim_reloc_nr_pages(m) == 4);
	assert_int_equal(iosim_reloc_check(m), 0);
	iosim_reloc_map_destroy(m);
}

static void test_reloc_shared_pages_keep_their_slot(void **state)
{
	struct iosim_reloc_piece p[4], q[4];
	struct iosim_reloc_map *m;
	struct slots s;
	uint64_t off;
	unsigned int n;

	(void)state;
	m = new_map(&s);
	/* two rx buffers in the same page (net-rxtx sample) */
	assert_int_equal(iosim_reloc_range(m, 0x1f2c40000ull, 2048, p, 4, &n), 0);
	assert_int_equal(iosim_reloc_range(m, 0x1f2c40800ull, 2048, q, 4, &n), 0);
	assert_int_equal(s.calls, 1);
	assert_true(q[0].sim_offset == p[0].sim_offset + 2048);
	/* the same range again: same answer, no allocation */
	assert_int_equal(iosim_reloc_range(m, 0x1f2c40000ull, 2048, q, 4, &n), 0);
	assert_int_equal(s.calls, 1);
	assert_memory_equal(&p[0], &q[0], sizeof(p[0]));
	assert_true(iosim_reloc_lookup(m, 0x1f2c40a42ull, &off));
	assert_true(off == p[0].sim_offset + 0xa42);
	assert_false(iosim_reloc_lookup(m, 0x1f2c41000ull, &off));
	assert_int_equal(iosim_reloc_check(m), 0);
	iosim_reloc_map_destroy(m);
}

static void test_reloc_distant_trace_pages_get_adjacent_slots(void **state)
{
	struct iosim_reloc_piece p[2];
	struct iosim_reloc_map *m;
	struct slots s;
	unsigned int n;

	(void)state;
	m = new_map(&s);
	assert_int_equal(iosim_reloc_range(m, 0x240000000ull, PS, p, 2, &n), 0);
	assert_true(p[0].sim_offset == 0);
	assert_int_equal(iosim_reloc_range(m, 0x7ff0000000ull, PS, p, 2, &n), 0);
	assert_true(p[0].sim_offset == PS);	/* compact: 512 GiB apart in the trace */
	iosim_reloc_map_destroy(m);
}

static void test_reloc_range_growing_past_seen_page_asks_to_continue(void **state)
{
	struct iosim_reloc_piece p[4];
	struct iosim_reloc_map *m;
	struct slots s;
	unsigned int n;

	(void)state;
	m = new_map(&s);
	s.skip = 10;	/* the allocator only keeps runs adjacent when hinted */
	assert_int_equal(iosim_reloc_range(m, 0x500000000ull, PS, p, 4, &n), 0);
	assert_true(p[0].sim_offset == 10 * PS);
	/* now the page and the two after it: the new run is hinted to slot 11 */
	assert_int_equal(iosim_reloc_range(m, 0x500000000ull, 3 * PS, p, 4, &n), 0);
	assert_true(s.last_hint == 11);
	assert_true(s.last_nr == 2);
	assert_int_equal(n, 1);
	assert_true(p[0].len == 3 * PS);
	assert_int_equal(iosim_reloc_check(m), 0);
	iosim_reloc_map_destroy(m);
}

static void test_reloc_split_history_gives_pieces(void **state)
{
	struct iosim_reloc_piece p[4];
	struct iosim_reloc_map *m;
	struct slots s;
	unsigned int n;

	(void)state;
	m = new_map(&s);
	s.skip = 5;
	/* the trace first used page 2, then page 0, then maps pages 0..2 together */
	assert_int_equal(iosim_reloc_range(m, 0x900002000ull, PS, p, 4, &n), 0);
	assert_int_equal(iosim_reloc_range(m, 0x900000000ull, PS, p, 4, &n), 0);
	assert_int_equal(iosim_reloc_range(m, 0x900000100ull, 3 * PS - 0x200, p, 4, &n), 0);
	/* page 0 at slot 11, page 1 hinted to 12 (granted), page 2 already at slot 5 */
	assert_int_equal(n, 2);
	assert_true(p[0].trace_phys == 0x900000100ull);
	assert_true(p[0].sim_offset == 11 * PS + 0x100);
	assert_true(p[0].len == 2 * PS - 0x100);
	assert_true(p[1].trace_phys == 0x900002000ull);
	assert_true(p[1].sim_offset == 5 * PS);
	assert_true(p[1].len == PS - 0x100);
	assert_true(p[0].len + p[1].len == 3 * PS - 0x200);

	/* too little room: -E2BIG with the count, and nothing new allocated */
	s.calls = 0;
	assert_int_equal(iosim_reloc_range(m, 0x900000100ull, 3 * PS - 0x200, p, 1, &n), -E2BIG);
	assert_int_equal(n, 2);
	assert_int_equal(s.calls, 0);
	assert_int_equal(iosim_reloc_check(m), 0);
	iosim_reloc_map_destroy(m);
}

static void test_reloc_allocator_failure_loses_nothing(void **state)
{
	struct iosim_reloc_piece p[2];
	struct iosim_reloc_map *m;
	struct slots s;
	unsigned int n;

	(void)state;
	m = new_map(&s);
	s.fail_with = -ENOSPC;
	assert_int_equal(iosim_reloc_range(m, 0x100000000ull, 2 * PS, p, 2, &n), -ENOSPC);
	assert_true(iosim_reloc_nr_pages(m) == 0);
	assert_int_equal(iosim_reloc_check(m), 0);
	/* the next call succeeds from a clean state */
	assert_int_equal(iosim_reloc_range(m, 0x100000000ull, 2 * PS, p, 2, &n), 0);
	assert_true(iosim_reloc_nr_pages(m) == 2);
	s.limit = 3;
	assert_int_equal(iosim_reloc_range(m, 0x200000000ull, 2 * PS, p, 2, &n), -ENOSPC);
	assert_true(iosim_reloc_nr_pages(m) == 2);
	assert_int_equal(iosim_reloc_check(m), 0);
	iosim_reloc_map_destroy(m);
}

static void test_reloc_allocation_failure_sweep(void **state)
{
	struct iosim_reloc_piece p[4];
	struct iosim_reloc_map *m;
	struct slots s;
	unsigned long n, injected;
	unsigned int np;
	int ret;

	(void)state;
	for (n = 1;; n++) {
		memset(&s, 0, sizeof(s));
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		m = iosim_reloc_map_create(12, slot_alloc, &s);
		if (!m) {
			assert_true(iosim_fault_injected() > 0);
			continue;
		}
		ret = iosim_reloc_range(m, 0x400000000ull, 3 * PS, p, 4, &np);
		if (!ret)
			ret = iosim_reloc_range(m, 0x400003000ull, 2 * PS, p, 4, &np);
		injected = iosim_fault_injected();
		iosim_fault_reset();	/* the checker allocates too */
		assert_int_equal(iosim_reloc_check(m), 0);
		/* every slot handed out belongs to a map entry */
		assert_true(s.next == iosim_reloc_nr_pages(m));
		if (!injected) {
			assert_int_equal(ret, 0);
			assert_int_equal(np, 1);
			assert_true(p[0].sim_offset == 3 * PS);
			iosim_reloc_map_destroy(m);
			break;
		}
		assert_true(ret == 0 || ret == -ENOMEM);
		iosim_reloc_map_destroy(m);
		assert_int_equal(iosim_live_total(), 0);
	}
	assert_true(n > 5);
}

/*
 * The hash table grows (its bucket array is reallocated) while a run's
 * entries go in, after the run has its slots: a failed growth must neither
 * drop the entry being added (its slot would be lost, its memory leaked and
 * the count wrong) nor fail the call.  1024 pages in one run grow the table
 * several times; every allocation of the call is failed in turn.
 */
static void test_reloc_allocation_failure_sweep_through_table_growth(void **state)
{
	const uint64_t nr_pages = 1024;
	struct iosim_reloc_piece p[2];
	struct iosim_reloc_map *m;
	unsigned long n, injected;
	struct slots s;
	uint64_t off;
	unsigned int np;
	int ret;

	(void)state;
	for (n = 1;; n++) {
		m = new_map(&s);
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		ret = iosim_reloc_range(m, 0x800000000ull, nr_pages * PS, p, 2, &np);
		injected = iosim_fault_injected();
		iosim_fault_reset();	/* the checker allocates too */
		assert_int_equal(iosim_reloc_check(m), 0);
		/* every slot handed out belongs to a map entry */
		assert_true(s.next == iosim_reloc_nr_pages(m));
		if (ret == 0) {
			assert_true(iosim_reloc_nr_pages(m) == nr_pages);
			assert_int_equal(np, 1);
			assert_true(iosim_reloc_lookup(m, 0x800000000ull + (nr_pages - 1) * PS, &off));
			assert_true(off == (nr_pages - 1) * PS);
		} else {
			assert_int_equal(ret, -ENOMEM);
			assert_true(injected > 0);
		}
		iosim_reloc_map_destroy(m);
		assert_int_equal(iosim_live_total(), 0);
		if (!injected)
			break;
	}
	/* an entry per page, and the table's growth besides */
	assert_true(n > nr_pages + 2);
}

static void test_reloc_many_pages_stay_consistent(void **state)
{
	struct iosim_reloc_piece p[8];
	struct iosim_reloc_map *m;
	struct slots s;
	unsigned int i, n;
	uint64_t off, seed = 12345;

	(void)state;
	m = new_map(&s);
	for (i = 0; i < 2000; i++) {
		uint64_t phys, len;

		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		phys = (seed >> 20) & 0xfffffffffull;	/* 64 GiB of trace space */
		len = 1 + ((seed >> 8) & 0x3fff);
		phys &= ~0xfffull;
		phys |= (seed >> 4) & 0xfff;
		assert_int_equal(iosim_reloc_range(m, phys, len, p, 8, &n), 0);
		assert_true(iosim_reloc_lookup(m, phys, &off));
		assert_true(off == p[0].sim_offset);
		assert_true((off & 0xfff) == (phys & 0xfff));
	}
	assert_int_equal(iosim_reloc_check(m), 0);
	assert_true(iosim_reloc_nr_pages(m) == s.next);
	iosim_reloc_map_destroy(m);
}

static int broken_alloc(void *priv, uint64_t nr, uint64_t hint, uint64_t *first)
{
	*first = 7;	/* always the same slot: a broken caller allocator */
	return 0;
}

static void test_reloc_check_catches_a_slot_given_twice(void **state)
{
	struct iosim_reloc_piece p[1];
	struct iosim_reloc_map *m;
	unsigned int n;

	(void)state;
	m = iosim_reloc_map_create(12, broken_alloc, NULL);
	assert_non_null(m);
	assert_int_equal(iosim_reloc_range(m, 0x10000, 100, p, 1, &n), 0);
	assert_int_equal(iosim_reloc_check(m), 0);
	assert_int_equal(iosim_reloc_range(m, 0x20000, 100, p, 1, &n), 0);
	assert_int_equal(iosim_reloc_check(m), -EUCLEAN);
	assert_warned("slot 0x7 given to two trace pages");
	iosim_reloc_map_destroy(m);
}

static void test_reloc_misuse_warns(void **state)
{
	struct iosim_reloc_piece p[1];
	struct iosim_reloc_map *m;
	struct slots s;
	unsigned int n;

	(void)state;
	assert_null(iosim_reloc_map_create(11, slot_alloc, &s));
	assert_warned("page shift 11");
	assert_null(iosim_reloc_map_create(12, NULL, &s));
	assert_warned("allocator invalid");
	m = new_map(&s);
	assert_int_equal(iosim_reloc_range(m, 0x1000, 0, p, 1, &n), -EINVAL);
	assert_warned("empty or wrapping");
	assert_int_equal(iosim_reloc_range(m, ~0ull - 10, 100, p, 1, &n), -EINVAL);
	assert_warned("empty or wrapping");
	iosim_reloc_map_destroy(m);
	iosim_reloc_map_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_reloc_new_range_is_one_contiguous_run),
		IOSIM_TEST(test_reloc_shared_pages_keep_their_slot),
		IOSIM_TEST(test_reloc_distant_trace_pages_get_adjacent_slots),
		IOSIM_TEST(test_reloc_range_growing_past_seen_page_asks_to_continue),
		IOSIM_TEST(test_reloc_split_history_gives_pieces),
		IOSIM_TEST(test_reloc_allocator_failure_loses_nothing),
		IOSIM_TEST(test_reloc_allocation_failure_sweep),
		IOSIM_TEST(test_reloc_allocation_failure_sweep_through_table_growth),
		IOSIM_TEST(test_reloc_many_pages_stay_consistent),
		IOSIM_TEST(test_reloc_check_catches_a_slot_given_twice),
		IOSIM_TEST(test_reloc_misuse_warns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
