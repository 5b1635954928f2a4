// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * fuzz_replay - the simulator's trace replay (tools/iommudma-sim/
 * sim_replay.c) end to end: the input is a kernel trace's text, as a user
 * hands it to `iommudma-sim replay`.  Each input brings a default system up
 * (16 MiB of RAM, the built-in SMMU), replays the trace through the DMA
 * API, the simulated IOMMU and the bus master, and takes it down.
 *
 * The oracle:
 *  - the replay ends with 0, -ENOMEM (the trace maps more than the system
 *    has) or -ENODEV (it names more devices than the system takes), never
 *    with -EUCLEAN (the replay's own checker) or anything else;
 *  - the system's and the statistics' checkers are clean afterwards;
 *  - a WARN or a BUG only comes with a traced bug replayed against the
 *    stack (a double unmap, say, which the library is meant to WARN);
 *  - nothing simulated is left alive.
 *
 * Inputs that start with trace.dat's magic are skipped: that back end is
 * libtracecmd's parser, not ours.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <iosim/warn.h>

#include "fuzz_common.h"
#include "sim.h"
#include "sim_config.h"
#include "trace_reader.h"

#define RAM_BYTES	(16ULL << 20)

static struct {
	struct sim_system sys;
	struct sim_stats stats;
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN + 64];
	char path[64];
} S;

/* Where the replay's messages go: stderr with FUZZ_TRACE set, else /dev/null. */
static FILE *fuzz_messages(void)
{
	static FILE *msgs;

	if (!msgs) {
		msgs = getenv("FUZZ_TRACE") ? stderr : fopen("/dev/null", "w");
		FUZZ_CHECK(msgs, "harness: cannot open /dev/null: %s", strerror(errno));
	}
	return msgs;
}

/* The input as a file the replay opens by name; returns its descriptor. */
static int input_file(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz.trace", 0);
	size_t done = 0;

	FUZZ_CHECK(fd >= 0, "harness: memfd_create failed: %s", strerror(errno));
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		FUZZ_CHECK(n > 0, "harness: writing the trace failed: %s", strerror(errno));
		done += (size_t)n;
	}
	snprintf(S.path, sizeof(S.path), "/proc/self/fd/%d", fd);
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct sim_replay_stats *rs = &S.stats.replay;
	unsigned long before, bugs_before;
	int fd, ret;

	if (iosim_trace_is_dat(data, size))
		return 0;
	fuzz_begin();
	memset(&S.sys, 0, sizeof(S.sys));
	memset(&S.stats, 0, sizeof(S.stats));
	/* The reader's line messages are for a user: thrown away unless tracing. */
	S.sys.msgs = fuzz_messages();
	iosim_sim_config_defaults(&S.cfg);
	S.cfg.ram.banks[0].size = RAM_BYTES;
	FUZZ_CHECK(sim_system_up(&S.sys, &S.cfg, &S.stats, S.err, sizeof(S.err)) == 0,
		   "harness: the default system did not come up: %s", S.err);
	fd = input_file(data, size);
	before = fuzz_warns();
	bugs_before = iosim_bug_count();
	ret = sim_replay_run(&S.sys, S.path, S.err, sizeof(S.err));
	close(fd);
	fuzz_trace("replay: %d (%s), %llu replayed, %llu bugs", ret, ret ? S.err : "",
		   (unsigned long long)rs->replayed, (unsigned long long)rs->bugs_replayed);
	fuzz_digest_add(&ret, sizeof(ret));
	/* The counts, not the trace's name (a descriptor number). */
	fuzz_digest_add(&rs->replayed,
			offsetof(struct sim_replay_stats, outside_ram) + sizeof(rs->outside_ram) -
				offsetof(struct sim_replay_stats, replayed));
	FUZZ_CHECK(ret == 0 || ret == -ENOMEM || ret == -ENODEV,
		   "result: the replay gave %d: %s", ret, S.err);
	FUZZ_CHECK((fuzz_warns() == before && iosim_bug_count() == bugs_before) ||
		   rs->bugs_replayed,
		   "warn: the replay WARNed or hit a BUG without a traced bug: %s", fuzz_last_warn());
	FUZZ_CHECK(sim_system_check(&S.sys) == 0, "system-check: %s", fuzz_last_warn());
	FUZZ_CHECK(sim_stats_check(&S.stats) == 0, "stats-check: %s", fuzz_last_warn());
	sim_system_collect(&S.sys);
	sim_system_down(&S.sys);
	fuzz_end(0);
	return 0;
}
