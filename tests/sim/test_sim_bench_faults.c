// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * `iommudma-sim bench` (the DMA API benchmark, sim_bench.c) under allocation
 * failure: with the nth allocation failing, for every n of the set-up, the
 * benchmark thread's buffer and the first map/unmap pairs, and then for n
 * growing by a tenth each step; and with allocations failing at random.
 * Each run is a fixed amount of work (--loops) on one thread, so the nth
 * allocation is the same one in every run.  A run must exit 0 (no failure
 * met, or one the stack absorbed) or 1 (the set-up or a mapping failed,
 * which it reports), never crash or hang, and leave no simulated object
 * alive and no WARN.  The variants: dma_map_sg() on a non-coherent device
 * behind the SMMU (the IOVA, page-table and cache-maintenance paths that
 * dma_map_single() takes too, and the scatterlist's), and direct DMA.  Each
 * run brings up a whole system (256 MiB of RAM and a 64 MiB swiotlb, most
 * of a run's time), so the variants are few.
 */
#include "iosim_test.h"

#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include <iosim/fault.h>

#include "sim.h"
#include "sim_fault_run.h"

/* Every n up to here, then n grows by a tenth per run. */
#define EVERY_N_UP_TO	300
#define LOOPS		"40"

struct bench_variant {
	const char *name;
	const char *args[8];	/* after "bench", NULL-terminated */
};

static const struct bench_variant variants[] = {
	{ "map_sg noncoherent", { "--sg", "--granule", "4", "--noncoherent", NULL } },
	{ "direct", { "--platform", "direct", "--dir", "TO_DEVICE", NULL } },
};

/* stdout goes to /dev/null while the runs print their reports. */
static int saved_stdout = -1;

static int quiet_setup(void **state)
{
	fflush(stdout);
	saved_stdout = dup(STDOUT_FILENO);
	if (saved_stdout < 0 || !freopen("/dev/null", "w", stdout))
		return -1;
	return iosim_test_setup(state);
}

static int quiet_teardown(void **state)
{
	fflush(stdout);
	if (saved_stdout >= 0) {
		dup2(saved_stdout, STDOUT_FILENO);
		close(saved_stdout);
		saved_stdout = -1;
	}
	return iosim_test_teardown(state);
}

/* One run of `bench --seconds 60 --loops LOOPS <variant>`: its exit status. */
static int bench_run(const struct bench_variant *v)
{
	char *argv[16] = { "bench", "--seconds", "60", "--loops", LOOPS };
	int argc = 5, status;
	unsigned int i;

	for (i = 0; v->args[i]; i++)
		argv[argc++] = (char *)v->args[i];
	status = sim_bench_main(argc, argv);
	fflush(stdout);
	return status;
}

/*
 * The sweeps' common end (sim_fault_run_end(): disarm, nothing alive, no
 * WARN) for a run that took its own system down: the failures injected.
 */
static unsigned long run_end(void)
{
	static struct sim_system down;	/* never brought up */
	static struct sim_stats none;
	unsigned long injected = iosim_fault_injected();

	sim_fault_run_end(&down, &none);
	return injected;
}

static void test_bench_survives_the_nth_allocation_failing(void **state)
{
	unsigned long n, runs, failed, injected, allocs;
	const struct bench_variant *v;
	int status;

	(void)state;
	for (v = variants; v < variants + sizeof(variants) / sizeof(variants[0]); v++) {
		/* Without injection: the whole run, and how many allocations it makes. */
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, ULONG_MAX);
		status = bench_run(v);
		allocs = iosim_fault_calls(IOSIM_FAULT_ALLOCS);
		injected = run_end();
		assert_int_equal(status, 0);
		assert_int_equal(injected, 0);
		assert_true(allocs > 0);

		runs = failed = 0;
		for (n = 1;; n = n < EVERY_N_UP_TO ? n + 1 : n + n / 10, runs++) {
			iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
			status = bench_run(v);
			injected = run_end();
			if (!injected)
				break;
			if (status != 0 && status != 1)
				fail_msg("%s: the allocation %lu failing gave exit status %d",
					 v->name, n, status);
			failed += status == 1;
		}
		/* Past the last allocation: the whole run, as without injection. */
		assert_int_equal(status, 0);
		assert_true(n > allocs);
		/*
		 * Each allocation of the clean run failed once (243 and 22; the
		 * set-up is most of them: later pairs reuse IOVAs and tables), and some
		 * failures stop the run where others are absorbed (the atomic
		 * pool, caches the layer does without).
		 */
		assert_true(allocs > EVERY_N_UP_TO || runs == allocs);
		assert_true(failed > 0);
	}
}

static void test_bench_survives_allocations_failing_at_random(void **state)
{
	unsigned long seed, injected, failed = 0;
	const struct bench_variant *v;
	int status;

	(void)state;
	for (v = variants; v < variants + sizeof(variants) / sizeof(variants[0]); v++) {
		for (seed = 1; seed <= 10; seed++) {
			iosim_fault_fail_random(IOSIM_FAULT_ALLOCS, 20000, seed);
			status = bench_run(v);
			if (status != 0 && status != 1)
				fail_msg("%s: random failures (seed %lu) gave exit status %d",
					 v->name, seed, status);
			injected = run_end();
			failed += status == 1 && injected > 0;
		}
	}
	/* 2 % of allocations: most runs meet a failure somewhere. */
	assert_true(failed > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bench_survives_the_nth_allocation_failing,
						quiet_setup, quiet_teardown),
		cmocka_unit_test_setup_teardown(test_bench_survives_allocations_failing_at_random,
						quiet_setup, quiet_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
