// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/* The end of one run of the simulator's allocation-failure sweeps. */
#include "iosim_test.h"

#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/warn.h>

#include "sim.h"
#include "sim_fault_run.h"

void sim_fault_run_end(struct sim_system *sys, struct sim_stats *stats)
{
	iosim_fault_reset();
	if (sys->ram_up) {
		assert_int_equal(sim_system_check(sys), 0);
		assert_int_equal(sim_stats_check(stats), 0);
		sim_system_collect(sys);
		sim_system_down(sys);
	}
	assert_true(stats->data_errors == 0);
	assert_int_equal(iosim_live_total(), 0);
	assert_int_equal(iosim_warn_count(), 0);
}
