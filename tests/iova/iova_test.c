// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "iova_test.h"

#include <stdlib.h>

#include <linux/slab.h>

int iova_setup(void **state)
{
	struct iova_fixture *fx;

	iosim_test_setup(state);
	if (iova_cache_get())
		return -1;
	/* calloc, not kzalloc: the fixture is not part of what is tested. */
	fx = calloc(1, sizeof(*fx));
	if (!fx)
		return -1;
	init_iova_domain(&fx->iovad, IOVA_TEST_GRANULE, IOVA_TEST_START, IOVA_TEST_TOP);
	init_iova_domain(&fx->other, IOVA_TEST_GRANULE, IOVA_TEST_START, IOVA_TEST_TOP);
	*state = fx;
	return 0;
}

int iova_teardown(void **state)
{
	struct iova_fixture *fx = *state;

	assert_int_equal(iosim_iova_check(&fx->iovad), 0);
	assert_int_equal(iosim_iova_check(&fx->other), 0);
	put_iova_domain(&fx->iovad);
	put_iova_domain(&fx->other);
	free(fx);
	iova_cache_put();
	return iosim_test_teardown(state);
}

unsigned long iova_test_nr_ranges(struct iova_domain *iovad)
{
	struct iosim_iova_stats stats;

	iosim_iova_get_stats(iovad, &stats);
	/* Every count a test takes also checks the cheap accessor against the snapshot. */
	assert_int_equal(iosim_iova_nr_ranges(iovad), stats.nr_ranges);
	return stats.nr_ranges;
}

void iova_test_scan_free_space(struct iova_domain *iovad, unsigned long *free_pfns,
			       unsigned long *largest_pfns)
{
	unsigned long pfn, run = 0;

	*free_pfns = 0;
	*largest_pfns = 0;
	for (pfn = iovad->start_pfn; pfn <= iovad->dma_32bit_pfn; pfn++) {
		if (find_iova(iovad, pfn)) {
			run = 0;
			continue;
		}
		++*free_pfns;
		if (++run > *largest_pfns)
			*largest_pfns = run;
	}
}

bool iova_test_under_valgrind(void)
{
	return getenv("IOSIM_UNDER_VALGRIND") != NULL;
}
