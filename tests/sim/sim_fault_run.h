/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/* The end of one run of the simulator's allocation-failure sweeps. */
#ifndef SIM_FAULT_RUN_H
#define SIM_FAULT_RUN_H

struct sim_system;
struct sim_stats;

/*
 * sim_fault_run_end - disarm fault injection (the checkers allocate too),
 * check the system and its statistics when it is up, take it down, and
 * assert no data error, no simulated object left and no WARN.
 */
void sim_fault_run_end(struct sim_system *sys, struct sim_stats *stats);

#endif /* SIM_FAULT_RUN_H */
