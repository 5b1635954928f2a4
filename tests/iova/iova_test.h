/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Shared fixture for the IOVA allocator's tests.
 *
 * iova_setup() runs the common setup, takes an iova_cache reference and
 * initialises a domain (4 KiB granule, pfns [IOVA_TEST_START, IOVA_TEST_TOP]);
 * iova_teardown() requires the sanity checker to pass, puts the domain and
 * the cache reference, then runs the common teardown (no unconsumed WARN, no
 * live object).
 */
#ifndef IOVA_TEST_H
#define IOVA_TEST_H

#include "iosim_test.h"

#include <linux/iova.h>
#include <iosim/iova.h>

#define IOVA_TEST_GRANULE	4096UL
#define IOVA_TEST_START		1UL
#define IOVA_TEST_TOP		0xfffffUL	/* the last 4 KiB frame below 4 GiB */

struct iova_fixture {
	struct iova_domain iovad;
	struct iova_domain other;	/* a second domain, initialised like the first */
};

int iova_setup(void **state);
int iova_teardown(void **state);

#define IOVA_TEST(fn) cmocka_unit_test_setup_teardown(fn, iova_setup, iova_teardown)

/* The fixture's domain. */
static inline struct iova_domain *fixture_domain(void **state)
{
	return &((struct iova_fixture *)*state)->iovad;
}

/* Fail unless the sanity checker passes on @iovad. */
#define assert_iova_consistent(iovad) assert_int_equal(iosim_iova_check(iovad), 0)

/* Fail unless @range_ is a struct iova spanning [@lo_, @hi_]. */
#define assert_iova_range(range_, lo_, hi_) do {		\
	struct iova *iova_test_range_ = (range_);		\
	assert_non_null(iova_test_range_);			\
	assert_int_equal(iova_test_range_->pfn_lo, (lo_));	\
	assert_int_equal(iova_test_range_->pfn_hi, (hi_));	\
} while (0)

/* Ranges in @iovad's tree. */
unsigned long iova_test_nr_ranges(struct iova_domain *iovad);

/*
 * Free page frames of @iovad's window [start_pfn, dma_32bit_pfn], in total
 * and in the longest run, by a pfn-by-pfn scan through find_iova(): the
 * brute force the statistics are compared with.
 */
void iova_test_scan_free_space(struct iova_domain *iovad, unsigned long *free_pfns,
			       unsigned long *largest_pfns);

/* A deterministic generator (xorshift64*), so every run replays the same operations. */
static inline unsigned long iova_test_rand(unsigned long long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (unsigned long)((*s * 0x2545f4914f6cdd1dULL) >> 11);
}

/* True when the suite runs under valgrind: tests scale their loops down. */
bool iova_test_under_valgrind(void);

#endif /* IOVA_TEST_H */
