// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulator's built-in default scenario (what `iommudma-sim` runs) under
 * allocation failure: bringing the system up and running the scenario with
 * the nth allocation failing, for every n of the set-up and the first
 * operations and then for n growing by a tenth each step, and with every
 * allocation failing at random.  Each run must end with 0 or -ENOMEM (the
 * scenario stops at its first failed mapping; a failure the layer absorbs
 * lets it finish), no data error, a consistent
 * system and statistics, every simulated object released and no WARN.
 */
#include "iosim_test.h"

#include <errno.h>
#include <string.h>

#include <iosim/fault.h>

#include "sim.h"
#include "sim_config.h"
#include "sim_fault_run.h"

/* Every n up to here, then n grows by a tenth per run (a whole run is ~10^5 operations). */
#define EVERY_N_UP_TO	400

static struct sim_system sys;
static struct sim_stats stats;

/* Arm the failure, bring the default system up, run the scenario. */
static int scenario_failing(void (*arm)(unsigned long), unsigned long arg,
			    unsigned long *injected)
{
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN + 64];
	int ret;

	memset(&sys, 0, sizeof(sys));
	memset(&stats, 0, sizeof(stats));
	sim_scenario_config(&cfg);
	if (arm)
		arm(arg);
	ret = sim_system_up(&sys, &cfg, &stats, err, sizeof(err));
	if (!ret)
		ret = sim_scenario_run(&sys, 1);
	*injected = iosim_fault_injected();
	sim_fault_run_end(&sys, &stats);
	return ret;
}

static void arm_nth(unsigned long nth)
{
	iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, nth);
}

static void arm_random(unsigned long seed)
{
	iosim_fault_fail_random(IOSIM_FAULT_ALLOCS, 200, seed);
}

static void test_default_scenario_survives_the_nth_allocation_failing(void **state)
{
	unsigned long n, injected, runs = 0, stopped = 0;
	uint64_t clean_ops;
	int ret;

	(void)state;
	ret = scenario_failing(NULL, 0, &injected);
	assert_int_equal(ret, 0);
	clean_ops = stats.ops_total;
	assert_true(clean_ops > 0);
	for (n = 1;; n = n < EVERY_N_UP_TO ? n + 1 : n + n / 10, runs++) {
		ret = scenario_failing(arm_nth, n, &injected);
		if (!injected)
			break;
		/* Some failures are absorbed (a cache the layer does without). */
		assert_true(ret == 0 || ret == -ENOMEM);
		stopped += ret == -ENOMEM;
	}
	/* Past the last allocation: the whole scenario, as without injection. */
	assert_int_equal(ret, 0);
	assert_true(stats.ops_total == clean_ops);
	assert_true(runs > EVERY_N_UP_TO);
	assert_true(stopped > runs / 2);
}

static void test_default_scenario_survives_allocations_failing_at_random(void **state)
{
	unsigned long seed, injected, failed = 0;
	int ret;

	(void)state;
	for (seed = 1; seed <= 40; seed++) {
		ret = scenario_failing(arm_random, seed, &injected);
		assert_true(ret == 0 || ret == -ENOMEM);
		failed += ret == -ENOMEM;
	}
	/* 200 in a million: most runs meet a failure somewhere. */
	assert_true(failed > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_default_scenario_survives_the_nth_allocation_failing),
		IOSIM_TEST(test_default_scenario_survives_allocations_failing_at_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
