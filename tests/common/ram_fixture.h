/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * CMocka fixture for tests that need simulated RAM.
 *
 * iosim_test_setup_ram() = iosim_test_setup() + iosim_ram_init(NULL) (the
 * default 128 MiB above 4 GiB).  iosim_test_teardown_ram() fails the test if
 * the page allocator is inconsistent (iosim_ram_check()), if any page is
 * still allocated, or if RAM could not be torn down cleanly, then runs
 * iosim_test_teardown() (unconsumed WARNs, live objects).  RAM is destroyed
 * even when a check fails, so the next test starts clean.
 */
#ifndef IOSIM_RAM_FIXTURE_H
#define IOSIM_RAM_FIXTURE_H

#include "iosim_test.h"

int iosim_test_setup_ram(void **state);
int iosim_test_teardown_ram(void **state);

/*
 * iosim_test_setup_ram_coherent() - the same RAM without the cache model
 * (<iosim/cache.h>): every alias, cacheable or not, shows the same bytes.
 * For tests of bookkeeping that read memory back through another alias.
 */
int iosim_test_setup_ram_coherent(void **state);

#define IOSIM_TEST_RAM_COHERENT(fn) \
	cmocka_unit_test_setup_teardown(fn, iosim_test_setup_ram_coherent, iosim_test_teardown_ram)

/*
 * iosim_test_setup_ram_cached() - the same RAM with the cache model on,
 * whatever IOSIM_CACHE_DEFAULT_ENABLED says: for tests of the model itself.
 */
int iosim_test_setup_ram_cached(void **state);

#define IOSIM_TEST_RAM_CACHED(fn) \
	cmocka_unit_test_setup_teardown(fn, iosim_test_setup_ram_cached, iosim_test_teardown_ram)

#define IOSIM_TEST_RAM(fn) \
	cmocka_unit_test_setup_teardown(fn, iosim_test_setup_ram, iosim_test_teardown_ram)

#endif /* IOSIM_RAM_FIXTURE_H */
