// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * trace.dat round trip: the test writes a trace-cmd version 6 file itself
 * (header pages, event formats of the dma and irq systems modelled on the
 * kernel's, saved cmdlines, two CPUs' ring-buffer pages with small and large
 * records) and reads it back through libtracecmd + libtraceevent with the
 * simulator's reader.  No root, no kernel, no trace-cmd binary.
 *
 * Why a writer of our own: libtracecmd 1.3 (Debian 12) installs no header for
 * its output API (tracecmd_output_create() & co are exported but declared
 * only in the private trace-cmd-private.h), and even that API copies event
 * formats and ring-buffer pages from a live tracefs; it cannot make records.
 */
#include "iosim_test.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <iosim/fault.h>
#include <iosim/live.h>

#include "trace_reader.h"

#include "tracedat_writer.h"

static char dat_path[64];

static int make_trace(void **state)
{
	(void)state;
	return tracedat_write_sample(dat_path, sizeof(dat_path));
}

static int remove_trace(void **state)
{
	(void)state;
	unlink(dat_path);
	return 0;
}

static void test_tracedat_records_come_back_in_time_order(void **state)
{
	struct iosim_trace_reader *r;
	struct iosim_trace_event ev;
	const struct iosim_trace_stats *st;

	(void)state;
	assert_true(iosim_trace_dat_supported());
	assert_int_equal(iosim_trace_reader_open_path(dat_path, &r), 0);

	assert_int_equal(iosim_trace_reader_next(r, &ev), 1);
	assert_int_equal(iosim_trace_event_check(&ev), 0);
	assert_int_equal(ev.kind, IOSIM_TRACE_MAP_PHYS);
	assert_true(ev.ts_ns == 812000201000ull);
	assert_int_equal(ev.cpu, 1);
	assert_int_equal(ev.pid, 1204);
	assert_string_equal(ev.task, "sshd");
	assert_string_equal(ev.device, "0000:01:00.0");
	assert_int_equal(ev.dir, IOSIM_TRACE_DIR_FROM_DEVICE);
	assert_true(ev.phys_addr == 0x1f2c40000ull);
	assert_true(ev.dma_addr == 0xffeff000ull);
	assert_true(ev.size == 2048);
	assert_int_equal(ev.attrs, 0);
	iosim_trace_event_release(&ev);

	/* the irq record on CPU 0 was skipped as unknown */
	assert_int_equal(iosim_trace_reader_next(r, &ev), 1);
	assert_int_equal(ev.cpu, 1);
	assert_true(ev.size == 1448);
	assert_int_equal(ev.attrs, IOSIM_TRACE_ATTR_WEAK_ORDERING | IOSIM_TRACE_ATTR_SKIP_CPU_SYNC);
	iosim_trace_event_release(&ev);

	assert_int_equal(iosim_trace_reader_next(r, &ev), 1);
	assert_int_equal(iosim_trace_event_check(&ev), 0);
	assert_int_equal(ev.kind, IOSIM_TRACE_MAP_SG);
	assert_string_equal(ev.task, "kworker/u16:3");
	assert_true(ev.truncated);
	assert_int_equal(ev.nents_recorded, REC_SG);
	assert_int_equal(ev.nents_total, NR_SG);
	assert_int_equal(ev.ents_total, NR_SG);
	assert_int_equal(ev.nr_phys, REC_SG);
	assert_true(ev.phys_addrs[127] == 0x240000000ull + 127 * 0x3000);
	assert_true(ev.dma_addrs[5] == 0xfe005000ull);
	assert_true(ev.dma_lens[127] == 0x1000);
	iosim_trace_event_release(&ev);

	assert_int_equal(iosim_trace_reader_next(r, &ev), 1);
	assert_false(ev.truncated);
	assert_int_equal(ev.nr_phys, 3);
	assert_int_equal(ev.nr_dma, 1);
	assert_int_equal(ev.dir, IOSIM_TRACE_DIR_TO_DEVICE);
	iosim_trace_event_release(&ev);

	assert_int_equal(iosim_trace_reader_next(r, &ev), 1);
	assert_true(ev.dma_addr == ~0ull);
	assert_string_equal(ev.task, "<idle>");
	iosim_trace_event_release(&ev);

	assert_int_equal(iosim_trace_reader_next(r, &ev), 0);
	st = iosim_trace_reader_stats(r);
	assert_int_equal(st->lines, 6);
	assert_int_equal(st->events, 5);
	assert_int_equal(st->unknown, 1);
	assert_string_equal(st->unknown_names[0], "irq:irq_handler_entry");
	assert_int_equal(st->malformed, 0);
	assert_int_equal(st->truncated_sg, 1);
	assert_int_equal(st->truncated_phys, NR_SG - REC_SG);
	/* the missed-events flag of CPU 0's page, count not stored: one loss */
	assert_int_equal(st->lost_reports, 1);
	assert_int_equal(st->lost_events, 1);
	assert_int_equal(iosim_trace_reader_check(r), 0);
	iosim_trace_reader_close(r);
}

static void test_tracedat_survives_allocation_failures(void **state)
{
	struct iosim_trace_reader *r;
	struct iosim_trace_event ev;
	unsigned long n, events;
	int ret;

	(void)state;
	for (n = 1;; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		ret = iosim_trace_reader_open_dat(dat_path, &r);
		if (ret == -ENOMEM) {
			assert_null(r);
			continue;
		}
		assert_int_equal(ret, 0);
		events = 0;
		while ((ret = iosim_trace_reader_next(r, &ev)) != 0) {
			assert_int_equal(iosim_trace_reader_check(r), 0);
			if (ret == -ENOMEM)
				continue;	/* the record is kept: the next call retries it */
			assert_int_equal(ret, 1);
			events++;
			iosim_trace_event_release(&ev);
		}
		assert_int_equal(events, 5);
		assert_int_equal(iosim_trace_reader_stats(r)->unknown, 1);
		iosim_trace_reader_close(r);
		assert_int_equal(iosim_live_total(), 0);
		if (!iosim_fault_injected())
			break;
	}
	assert_true(n > 5);
}

/* How many of this process's maps show the file at @path (its device and inode). */
static unsigned int maps_of(const char *path)
{
	unsigned int nr = 0;
	char line[512];
	struct stat file;
	FILE *maps;

	assert_int_equal(stat(path, &file), 0);
	maps = fopen("/proc/self/maps", "r");
	assert_non_null(maps);
	while (fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi, off, inode;
		unsigned int major_nr, minor_nr;

		if (sscanf(line, "%lx-%lx %*s %lx %x:%x %lu", &lo, &hi, &off, &major_nr, &minor_nr,
			   &inode) == 6 &&
		    makedev(major_nr, minor_nr) == file.st_dev && inode == file.st_ino)
			nr++;
	}
	fclose(maps);
	return nr;
}

/*
 * libtracecmd 1.3's tracecmd_close() leaves the first page of every CPU
 * mapped; the reader unmaps what is left, or a process reading trace after
 * trace runs out of maps.
 */
static void test_tracedat_closing_leaves_nothing_of_the_file_mapped(void **state)
{
	struct iosim_trace_reader *r;
	struct iosim_trace_event ev;
	unsigned int round;

	(void)state;
	for (round = 0; round < 3; round++) {
		assert_int_equal(iosim_trace_reader_open_dat(dat_path, &r), 0);
		assert_true(maps_of(dat_path) > 0);	/* the pages being read */
		/* Round 0 reads every record, round 1 one, round 2 none. */
		while (round < 2 && iosim_trace_reader_next(r, &ev) == 1) {
			iosim_trace_event_release(&ev);
			if (round == 1)
				break;
		}
		iosim_trace_reader_close(r);
		assert_int_equal(maps_of(dat_path), 0);
	}
}

static void test_tracedat_damaged_files_are_refused(void **state)
{
	struct iosim_trace_reader *r;
	char path[64];
	FILE *in, *out;
	char chunk[200];
	size_t got;
	int fd;

	(void)state;
	/* the magic and the start of the headers only */
	snprintf(path, sizeof(path), "test-sim-tracedat-cut-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	in = fopen(dat_path, "rb");
	out = fopen(path, "wb");
	assert_non_null(in);
	assert_non_null(out);
	got = fread(chunk, 1, sizeof(chunk), in);
	assert_int_equal(got, sizeof(chunk));
	fwrite(chunk, 1, got, out);
	fclose(in);
	fclose(out);
	assert_int_equal(iosim_trace_reader_open_path(path, &r), -EINVAL);
	assert_null(r);
	unlink(path);
	assert_int_equal(iosim_trace_reader_open_dat("no-such-file.dat", &r), -ENOENT);
	assert_null(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_tracedat_records_come_back_in_time_order),
		IOSIM_TEST(test_tracedat_survives_allocation_failures),
		IOSIM_TEST(test_tracedat_closing_leaves_nothing_of_the_file_mapped),
		IOSIM_TEST(test_tracedat_damaged_files_are_refused),
	};

	return cmocka_run_group_tests(tests, make_trace, remove_trace);
}
