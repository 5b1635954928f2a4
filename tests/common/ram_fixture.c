// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "ram_fixture.h"

#include <iosim/cache.h>
#include <iosim/ram.h>
#include <iosim/warn.h>

/* The common setup; @model: the cache model on (1), off (0), or as by default (-1). */
static int setup_ram(void **state, int model)
{
	int ret = iosim_test_setup(state);

	if (ret)
		return ret;
	/* A previous test that died half-way may have left RAM behind. */
	if (iosim_ram_ready()) {
		iosim_ram_exit();
		iosim_warn_reset();
	}
	if (model >= 0)
		iosim_cache_set_enabled(model);
	return iosim_ram_init(NULL);
}

int iosim_test_setup_ram(void **state)
{
	return setup_ram(state, -1);
}

int iosim_test_setup_ram_coherent(void **state)
{
	return setup_ram(state, 0);
}

int iosim_test_setup_ram_cached(void **state)
{
	return setup_ram(state, 1);
}

int iosim_test_teardown_ram(void **state)
{
	unsigned long free_pages, nr_pages, leaked;
	int check;

	iosim_release_left_locks(__FILE__, __LINE__);
	/* Unconsumed WARNs are the test's failure: report them before ours. */
	iosim_assert_no_warnings(__FILE__, __LINE__);
	check = iosim_ram_check();
	free_pages = iosim_ram_free_pages();
	nr_pages = iosim_ram_nr_pages();
	leaked = iosim_ram_exit();
	if (check || free_pages != nr_pages || leaked) {
		iosim_warn_reset();
		print_error("simulated RAM: check %d, %lu of %lu pages allocated, %lu leaked\n",
			    check, nr_pages - free_pages, nr_pages, leaked);
		_fail(__FILE__, __LINE__);
	}
	return iosim_test_teardown(state);
}
