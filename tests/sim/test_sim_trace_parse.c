// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * One line of a text trace: the ftrace prefix in both text formats, every
 * dma:* event's layout (6.12 and 6.18), the sg counts and truncation, the
 * attrs names, device names of any length, and the refusals with their
 * messages.
 */
#include "iosim_test.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <iosim/fault.h>
#include <iosim/live.h>

#include "trace_event.h"

#define FTRACE_PFX "          <idle>-0       [002] ..s1.   812.104530: "
#define REPORT_PFX "   kworker/u16:3-88    [003]  1402.500001234: "

static int parse(const char *line, struct iosim_trace_event *ev, struct iosim_trace_error *err)
{
	int ret = iosim_trace_parse_line(line, 7, ev, NULL, 0, err);

	if (ret == IOSIM_TRACE_EVENT)
		assert_int_equal(iosim_trace_event_check(ev), 0);
	return ret;
}

/* Refused lines leave the event empty: no arrays, and no field read before the refusal. */
static bool event_is_empty(const struct iosim_trace_event *ev)
{
	static const struct iosim_trace_event empty;

	return !memcmp(ev, &empty, sizeof(*ev));
}

static void test_parse_ftrace_map_phys_reads_every_field(void **state)
{
	struct iosim_trace_event ev;

	(void)state;
	assert_int_equal(parse(FTRACE_PFX "dma_map_phys: 0000:01:00.0 dir=FROM_DEVICE "
			       "dma_addr=ffeff000 size=2048 phys_addr=1f2c40800 attrs=SKIP_CPU_SYNC|WEAK_ORDERING\n",
			       &ev, NULL), IOSIM_TRACE_EVENT);
	assert_int_equal(ev.kind, IOSIM_TRACE_MAP_PHYS);
	assert_false(ev.old_name);
	assert_int_equal(ev.line, 7);
	assert_string_equal(ev.task, "<idle>");
	assert_int_equal(ev.pid, 0);
	assert_int_equal(ev.cpu, 2);
	assert_true(ev.ts_ns == 812104530000ull);
	assert_string_equal(ev.device, "0000:01:00.0");
	assert_int_equal(ev.dir, IOSIM_TRACE_DIR_FROM_DEVICE);
	assert_true(ev.dma_addr == 0xffeff000ull);
	assert_true(ev.size == 2048);
	assert_true(ev.phys_addr == 0x1f2c40800ull);
	assert_int_equal(ev.attrs, IOSIM_TRACE_ATTR_SKIP_CPU_SYNC | IOSIM_TRACE_ATTR_WEAK_ORDERING);
	assert_int_equal(ev.has & (IOSIM_TRACE_HAS_DMA_ADDR | IOSIM_TRACE_HAS_PHYS_ADDR |
				   IOSIM_TRACE_HAS_SIZE | IOSIM_TRACE_HAS_ATTRS),
			 IOSIM_TRACE_HAS_DMA_ADDR | IOSIM_TRACE_HAS_PHYS_ADDR |
			 IOSIM_TRACE_HAS_SIZE | IOSIM_TRACE_HAS_ATTRS);
	assert_null(ev.phys_addrs);
	iosim_trace_event_release(&ev);
}

static void test_parse_report_old_name_and_ns_timestamp(void **state)
{
	struct iosim_trace_event ev;

	(void)state;
	/* trace-cmd report: no flags column, padded event name, 9-digit fraction */
	assert_int_equal(parse(REPORT_PFX "dma_unmap_page:       0000:01:00.0 dir=TO_DEVICE "
			       "dma_addr=ffefd000 size=66 attrs=", &ev, NULL), IOSIM_TRACE_EVENT);
	assert_int_equal(ev.kind, IOSIM_TRACE_UNMAP_PHYS);
	assert_true(ev.old_name);
	assert_string_equal(ev.task, "kworker/u16:3");
	assert_int_equal(ev.pid, 88);
	assert_int_equal(ev.cpu, 3);
	assert_true(ev.ts_ns == 1402500001234ull);
	assert_int_equal(ev.attrs, 0);
	assert_true(ev.has & IOSIM_TRACE_HAS_ATTRS);
	iosim_trace_event_release(&ev);
}

static void test_parse_task_with_dashes_spaces_and_tgid(void **state)
{
	struct iosim_trace_event ev;

	(void)state;
	assert_int_equal(parse("  Web Content-xyz-4242    (   4200) [000] d..1.   5.5: "
			       "dma_sync_single_for_device: eth0 dir=TO_DEVICE dma_addr=1000 size=64",
			       &ev, NULL), IOSIM_TRACE_EVENT);
	assert_string_equal(ev.task, "Web Content-xyz");
	assert_int_equal(ev.pid, 4242);
	assert_true(ev.ts_ns == 5500000000ull);
	assert_int_equal(ev.kind, IOSIM_TRACE_SYNC_SINGLE_FOR_DEVICE);
	assert_string_equal(ev.device, "eth0");
	iosim_trace_event_release(&ev);
}

static void test_parse_map_sg_618_counts_and_truncation(void **state)
{
	struct iosim_trace_event ev;

	(void)state;
	assert_int_equal(parse(FTRACE_PFX "dma_map_sg: nvme0n1 dir=TO_DEVICE nents=3/300 ents=2/150 "
			       "[TRUNCATED] dma_addrs={0xfd000000,0xfd002000} sizes={0x2000,0x1000} "
			       "phys_addrs={0x31a000000,0x31a001000,0x400000000} attrs=", &ev, NULL),
			 IOSIM_TRACE_EVENT);
	assert_int_equal(ev.kind, IOSIM_TRACE_MAP_SG);
	assert_true(ev.truncated);
	assert_true(ev.has & IOSIM_TRACE_HAS_COUNTS);
	assert_int_equal(ev.nents_recorded, 3);
	assert_int_equal(ev.nents_total, 300);
	assert_int_equal(ev.ents_recorded, 2);
	assert_int_equal(ev.ents_total, 150);
	assert_int_equal(ev.nr_phys, 3);
	assert_int_equal(ev.nr_dma, 2);
	assert_true(ev.phys_addrs[2] == 0x400000000ull);
	assert_true(ev.dma_addrs[1] == 0xfd002000ull);
	assert_true(ev.dma_lens[0] == 0x2000 && ev.dma_lens[1] == 0x1000);
	iosim_trace_event_release(&ev);
	assert_null(ev.phys_addrs);
}

static void test_parse_map_sg_612_layout_without_counts(void **state)
{
	struct iosim_trace_event ev;

	(void)state;
	assert_int_equal(parse(REPORT_PFX "dma_map_sg: nvme0n1 dir=FROM_DEVICE "
			       "dma_addrs={0xfd100000} sizes={0x18000} "
			       "phys_addrs={0x200400000,0x200410000} attrs=", &ev, NULL),
			 IOSIM_TRACE_EVENT);
	assert_false(ev.has & IOSIM_TRACE_HAS_COUNTS);
	assert_false(ev.truncated);
	assert_int_equal(ev.nents_recorded, 2);
	assert_int_equal(ev.nents_total, 2);
	assert_int_equal(ev.ents_recorded, 1);
	assert_int_equal(ev.ents_total, 1);
	iosim_trace_event_release(&ev);
}

static void test_parse_libtraceevent_array_form(void **state)
{
	struct iosim_trace_event ev;

	(void)state;
	/* what trace-cmd report prints: __print_array() as decimal, space-separated */
	assert_int_equal(parse(REPORT_PFX "dma_map_sg: nvme0n1 dir=TO_DEVICE nents=3/3 ents=2/2 "
			       "dma_addrs=4245684224 4245815296 sizes=65536 32768 "
			       "phys_addrs=8594128896 8594194432 11274289152 attrs=", &ev, NULL),
			 IOSIM_TRACE_EVENT);
	assert_int_equal(ev.nr_dma, 2);
	assert_int_equal(ev.nr_phys, 3);
	assert_true(ev.dma_addrs[1] == 0xfd120000ull);
	assert_true(ev.dma_lens[1] == 0x8000);
	assert_true(ev.phys_addrs[2] == 0x2a0000000ull);
	iosim_trace_event_release(&ev);

	/* an empty array prints as nothing */
	assert_int_equal(parse(REPORT_PFX "dma_unmap_sg: nvme0n1 dir=TO_DEVICE phys_addrs= attrs=",
			       &ev, NULL), IOSIM_TRACE_EVENT);
	assert_int_equal(ev.nr_phys, 0);
	iosim_trace_event_release(&ev);
}

static void test_parse_sg_err_puts_its_array_in_phys_addrs(void **state)
{
	struct iosim_trace_event ev;

	(void)state;
	assert_int_equal(parse(FTRACE_PFX "dma_map_sg_err: nvme0n1 dir=TO_DEVICE "
			       "dma_addrs={0x31b000000,0x31b004000} err=-12 attrs=", &ev, NULL),
			 IOSIM_TRACE_EVENT);
	assert_int_equal(ev.kind, IOSIM_TRACE_MAP_SG_ERR);
	assert_int_equal(ev.nr_phys, 2);
	assert_int_equal(ev.nr_dma, 0);
	assert_true(ev.phys_addrs[1] == 0x31b004000ull);
	assert_int_equal(ev.err, -12);
	iosim_trace_event_release(&ev);
}

static void test_parse_alloc_family_layouts(void **state)
{
	struct iosim_trace_event ev;

	(void)state;
	assert_int_equal(parse(FTRACE_PFX "dma_alloc: 0000:01:00.0 dir=BIDIRECTIONAL dma_addr=fff00000 "
			       "size=16384 virt_addr=00000000d3a1c0de flags=GFP_KERNEL|__GFP_ZERO attrs=",
			       &ev, NULL), IOSIM_TRACE_EVENT);
	assert_int_equal(ev.kind, IOSIM_TRACE_ALLOC);
	assert_true(ev.virt_addr == 0xd3a1c0deull);
	assert_string_equal(ev.gfp, "GFP_KERNEL|__GFP_ZERO");
	iosim_trace_event_release(&ev);

	assert_int_equal(parse(FTRACE_PFX "dma_alloc_sgt: 0000:00:06.0 dir=BIDIRECTIONAL "
			       "dma_addr=fc000000 size=65536 phys_addrs={0x2c0010000,0x2c0020000} "
			       "flags=GFP_KERNEL attrs=", &ev, NULL), IOSIM_TRACE_EVENT);
	assert_int_equal(ev.kind, IOSIM_TRACE_ALLOC_SGT);
	assert_int_equal(ev.nr_phys, 2);
	iosim_trace_event_release(&ev);

	/* %p not yet hashed: present, value unknown */
	assert_int_equal(parse(FTRACE_PFX "dma_free_pages: dev dir=NONE dma_addr=1000 size=4096 "
			       "virt_addr=(____ptrval____) attrs=", &ev, NULL), IOSIM_TRACE_EVENT);
	assert_true(ev.has & IOSIM_TRACE_HAS_VIRT_ADDR);
	assert_true(ev.virt_addr == 0);
	assert_int_equal(ev.dir, IOSIM_TRACE_DIR_NONE);
	iosim_trace_event_release(&ev);

	assert_int_equal(parse(FTRACE_PFX "dma_free_sgt: 0000:00:06.0 dir=BIDIRECTIONAL "
			       "dma_addr=fc000000 size=65536 phys_addrs={}", &ev, NULL),
			 IOSIM_TRACE_EVENT);
	assert_int_equal(ev.nr_phys, 0);
	assert_null(ev.phys_addrs);
	iosim_trace_event_release(&ev);
}

static void test_parse_unknown_attr_is_flagged_not_refused(void **state)
{
	struct iosim_trace_event ev;

	(void)state;
	assert_int_equal(parse(FTRACE_PFX "dma_map_phys: d dir=TO_DEVICE dma_addr=ffffffffffffffff "
			       "size=4096 phys_addr=1000 attrs=MMIO|SHINY_NEW_ATTR", &ev, NULL),
			 IOSIM_TRACE_EVENT);
	assert_int_equal(ev.attrs, IOSIM_TRACE_ATTR_MMIO | IOSIM_TRACE_ATTR_UNKNOWN);
	assert_true(ev.dma_addr == ~0ull);
	iosim_trace_event_release(&ev);
}

/* Audit finding 2: each name the replay must count as ignored is counted. */
static void test_parse_counts_each_unknown_attr(void **state)
{
	struct iosim_trace_event ev;

	(void)state;
	assert_int_equal(parse(FTRACE_PFX "dma_unmap_sg: d dir=TO_DEVICE phys_addrs={0x1000} "
			       "attrs=NO_WARN|FUTURE_ONE|SKIP_CPU_SYNC|FUTURE_TWO|0x400", &ev, NULL),
			 IOSIM_TRACE_EVENT);
	assert_int_equal(ev.attrs, IOSIM_TRACE_ATTR_NO_WARN | IOSIM_TRACE_ATTR_SKIP_CPU_SYNC |
			 IOSIM_TRACE_ATTR_UNKNOWN);
	assert_int_equal(ev.unknown_attrs, 3);
	iosim_trace_event_release(&ev);
	/* libtraceevent's "no flags" is no name at all */
	assert_int_equal(parse(FTRACE_PFX "dma_unmap_sg: d dir=TO_DEVICE phys_addrs={0x1000} attrs=0x0",
			       &ev, NULL), IOSIM_TRACE_EVENT);
	assert_int_equal(ev.attrs, 0);
	assert_int_equal(ev.unknown_attrs, 0);
	iosim_trace_event_release(&ev);
}

/*
 * Audit finding 9: a device name of any length is kept whole (a platform
 * device's name is a device-tree path), however long; the line's length
 * bounds it.
 */
static void test_parse_device_name_of_any_length(void **state)
{
	static char line[4096], name[2049];
	struct iosim_trace_event ev;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(name) - 1; i++)
		name[i] = "soc@0:bus@30000000:pcie@33800000/"[i % 33];
	name[sizeof(name) - 1] = '\0';
	snprintf(line, sizeof(line), FTRACE_PFX "dma_unmap_phys: %s dir=TO_DEVICE dma_addr=1000 "
		 "size=4096 attrs=", name);
	assert_int_equal(parse(line, &ev, NULL), IOSIM_TRACE_EVENT);
	assert_int_equal(strlen(ev.device), sizeof(name) - 1);
	assert_string_equal(ev.device, name);
	iosim_trace_event_release(&ev);
	assert_null(ev.device);
	assert_int_equal(iosim_live_total(), 0);
}

/*
 * Audit finding 11: " [TRUNCATED]" with counts that say nothing was cut
 * contradicts itself and is refused; with a cut (A < B or C < D) it is read.
 */
static void test_parse_truncated_flag_must_agree_with_the_counts(void **state)
{
	struct iosim_trace_error err;
	struct iosim_trace_event ev;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(parse(FTRACE_PFX "dma_map_sg: d dir=TO_DEVICE nents=2/2 ents=2/2 [TRUNCATED] "
			       "dma_addrs={0x10000,0x20000} sizes={0x800,0x1000} "
			       "phys_addrs={0x3a0000000,0x3b0000000} attrs=", &ev, &err), -EINVAL);
	assert_string_equal(err.msg, "dma_map_sg: [TRUNCATED], but nents=2/2 ents=2/2 say nothing "
			    "was cut");
	assert_int_equal(err.line, 7);
	assert_true(event_is_empty(&ev));
	/* only the segments cut: read */
	assert_int_equal(parse(FTRACE_PFX "dma_map_sg: d dir=TO_DEVICE nents=2/2 ents=1/2 [TRUNCATED] "
			       "dma_addrs={0x10000} sizes={0x800} phys_addrs={0x3a0000000,0x3b0000000} "
			       "attrs=", &ev, &err), IOSIM_TRACE_EVENT);
	assert_true(ev.truncated);
	iosim_trace_event_release(&ev);
}

static void test_parse_later_keys_are_ignored(void **state)
{
	struct iosim_trace_event ev;

	(void)state;
	assert_int_equal(parse(FTRACE_PFX "dma_sync_single_for_cpu: d dir=FROM_DEVICE dma_addr=1000 "
			       "size=64 iommu_domain=7", &ev, NULL), IOSIM_TRACE_EVENT);
	assert_true(ev.size == 64);
	iosim_trace_event_release(&ev);
}

static void test_parse_non_event_and_unknown_lines(void **state)
{
	struct iosim_trace_event ev;
	char name[32];

	(void)state;
	assert_int_equal(parse("# tracer: nop", &ev, NULL), IOSIM_TRACE_NOT_EVENT);
	assert_int_equal(parse("", &ev, NULL), IOSIM_TRACE_NOT_EVENT);
	assert_int_equal(parse("   \n", &ev, NULL), IOSIM_TRACE_NOT_EVENT);
	assert_int_equal(parse("cpus=4", &ev, NULL), IOSIM_TRACE_NOT_EVENT);
	assert_int_equal(parse("CPU:2 [LOST 120 EVENTS]", &ev, NULL), IOSIM_TRACE_NOT_EVENT);
	assert_int_equal(iosim_trace_parse_line(FTRACE_PFX "irq_handler_entry: irq=52 name=eth0",
						3, &ev, name, sizeof(name), NULL),
			 IOSIM_TRACE_UNKNOWN_EVENT);
	assert_string_equal(name, "irq_handler_entry");
	assert_int_equal(iosim_trace_parse_line(FTRACE_PFX "dma_map_resource: d dir=TO_DEVICE",
						3, &ev, name, sizeof(name), NULL),
			 IOSIM_TRACE_UNKNOWN_EVENT);
	assert_string_equal(name, "dma_map_resource");
	assert_null(ev.phys_addrs);
}

struct bad_line {
	const char *line;
	const char *msg;
};

static void test_parse_malformed_lines_name_the_problem(void **state)
{
	static const struct bad_line bad[] = {
		{ "garbage here", "not a trace event line" },
		{ "  x-1 [000] ..s1.   abc: dma_map_phys: d dir=TO_DEVICE", "no timestamp" },
		{ "  x [000]  1.0: dma_map_phys: d", "no task-pid" },
		{ "  x-1 [000]  1.0:", "no event name" },
		{ "  x-1 [000]  1.0: : d dir=TO_DEVICE dma_addr=1 size=1", "no event name" },
		{ "  x-1 [000] ..s1.", "line ends before the timestamp" },
		{ "  x-1 [000]  1.0: dma_map_phys: d dir=SIDEWAYS dma_addr=1 size=1 phys_addr=1",
		  "unknown direction dir=SIDEWAYS" },
		{ "  x-1 [000]  1.0: dma_map_phys: d dir=TO_DEVICE dma_addr=1 size=1",
		  "dma_map_phys: missing phys_addr=" },
		{ "  x-1 [000]  1.0: dma_unmap_phys: d dir=TO_DEVICE dma_addr=zz size=1",
		  "dma_addr=zz is not a hex number" },
		{ "  x-1 [000]  1.0: dma_unmap_phys: d dir=TO_DEVICE dma_addr=1 size=-5",
		  "size=-5 is not a decimal number" },
		{ "  x-1 [000]  1.0: dma_unmap_phys: dir=TO_DEVICE dma_addr=1 size=1",
		  "no device name" },
		{ "  x-1 [000]  1.0: dma_unmap_phys: d dir=TO_DEVICE dir=TO_DEVICE dma_addr=1 size=1",
		  "field 'dir' given twice" },
		{ "  x-1 [000]  1.0: dma_unmap_phys: d dir=TO_DEVICE bogus dma_addr=1 size=1",
		  "'bogus' is not key=value" },
		{ "  x-1 [000]  1.0: dma_map_sg: d dir=TO_DEVICE dma_addrs={0x1,0x2} sizes={0x1} "
		  "phys_addrs={0x1} attrs=", "sizes= has 1 entries, dma_addrs= has 2" },
		{ "  x-1 [000]  1.0: dma_map_sg: d dir=TO_DEVICE nents=3/2 ents=1/1 dma_addrs={0x1} "
		  "sizes={0x1} phys_addrs={0x1,0x2,0x3} attrs=", "nents=3/2 records more entries" },
		{ "  x-1 [000]  1.0: dma_map_sg: d dir=TO_DEVICE nents=2/4 ents=1/1 dma_addrs={0x1} "
		  "sizes={0x1} phys_addrs={0x1} attrs=", "nents=2/ but phys_addrs= has 1 entries" },
		{ "  x-1 [000]  1.0: dma_map_sg: d dir=TO_DEVICE nents=1/1 dma_addrs={0x1} "
		  "sizes={0x1} phys_addrs={0x1} attrs=", "nents= and ents= must come together" },
		{ "  x-1 [000]  1.0: dma_unmap_sg: d dir=TO_DEVICE phys_addrs={0x1,0x2 attrs=",
		  "phys_addrs= is not an array" },
		{ "  x-1 [000]  1.0: dma_unmap_sg: d dir=TO_DEVICE phys_addrs={0x1,,0x2} attrs=",
		  "entry 1 of phys_addrs= ('') is not a hex number" },
		{ "  x-1 [000]  1.0: dma_unmap_sg: d dir=TO_DEVICE phys_addrs=12 0x13 attrs=",
		  "'0x13' is not key=value" },
		{ "  x-1 [000]  1.0: dma_sync_sg_for_cpu: d dir=TO_DEVICE sizes={0x1}",
		  "dma_sync_sg_for_cpu: missing dma_addrs=" },
		{ "  x-1 [000]  1.0: dma_map_sg_err: d dir=TO_DEVICE dma_addrs={0x1} err=ENOMEM",
		  "err=ENOMEM is not a number" },
	};
	struct iosim_trace_error err;
	struct iosim_trace_event ev;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(iosim_trace_parse_line(bad[i].line, 40 + i, &ev, NULL, 0, &err),
				 -EINVAL);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("line %u: expected \"%s\" in \"%s\"", i, bad[i].msg, err.msg);
		assert_int_equal(err.line, 40 + i);
		if (!event_is_empty(&ev))
			fail_msg("line %u: refused, but the event is not empty (cpu %d, pid %d)", i,
				 ev.cpu, ev.pid);
	}
}

static void test_parse_array_limit_is_enforced(void **state)
{
	static char line[IOSIM_TRACE_MAX_ENTS * 4 + 200];
	struct iosim_trace_error err;
	struct iosim_trace_event ev;
	size_t n;
	unsigned int i;

	(void)state;
	n = (size_t)snprintf(line, sizeof(line), "  x-1 [000]  1.0: dma_unmap_sg: d dir=NONE phys_addrs={");
	for (i = 0; i <= IOSIM_TRACE_MAX_ENTS; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s0x1", i ? "," : "");
	snprintf(line + n, sizeof(line) - n, "} attrs=");
	assert_int_equal(iosim_trace_parse_line(line, 1, &ev, NULL, 0, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "entries (at most 4096)"));
}

static void test_parse_allocation_failure_leaves_event_empty(void **state)
{
	const char *line = FTRACE_PFX "dma_map_sg: nvme0n1 dir=TO_DEVICE nents=2/2 ents=1/1 "
			   "dma_addrs={0xfd000000} sizes={0x2000} phys_addrs={0x1000,0x2000} attrs=";
	struct iosim_trace_event ev;
	unsigned long n;
	int ret;

	(void)state;
	for (n = 1;; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		ret = parse(line, &ev, NULL);
		if (!iosim_fault_injected())
			break;
		assert_int_equal(ret, -ENOMEM);
		assert_null(ev.device);
		assert_null(ev.phys_addrs);
		assert_null(ev.dma_addrs);
		assert_null(ev.dma_lens);
		assert_int_equal(iosim_live_total(), 0);
	}
	assert_int_equal(ret, IOSIM_TRACE_EVENT);
	assert_true(n > 4);	/* the device name and three arrays, each could fail */
	iosim_trace_event_release(&ev);
}

static uint64_t mut_state = 0x9e3779b97f4a7c15ull;

static unsigned int mut_below(unsigned int n)
{
	mut_state ^= mut_state << 13;
	mut_state ^= mut_state >> 7;
	mut_state ^= mut_state << 17;
	return (unsigned int)(mut_state % n);
}

static void test_parse_mutated_lines_never_break_the_parser(void **state)
{
	/* each seed in parentheses: one element made of concatenated literals */
	static const char *const seeds[] = {
		(FTRACE_PFX "dma_map_sg: nvme0n1 dir=TO_DEVICE nents=3/300 ents=2/150 [TRUNCATED] "
		 "dma_addrs={0xfd000000,0xfd002000} sizes={0x2000,0x1000} "
		 "phys_addrs={0x31a000000,0x31a001000,0x400000000} attrs=SKIP_CPU_SYNC"),
		(REPORT_PFX "dma_map_sg: nvme0n1 dir=TO_DEVICE nents=3/3 ents=2/2 "
		 "dma_addrs=4245684224 4245815296 sizes=65536 32768 phys_addrs=1 2 3 attrs="),
		(FTRACE_PFX "dma_alloc_sgt: d dir=NONE dma_addr=fc000000 size=65536 "
		 "phys_addrs={0x2c0010000,0x2c0020000} flags=GFP_KERNEL attrs="),
		("  Web Content-xyz-4242    (   4200) [000] d..1.   5.5: "
		 "dma_map_phys: eth0 dir=TO_DEVICE dma_addr=1000 size=64 phys_addr=1 attrs="),
	};
	static const char alphabet[] = " =,{}[]/:-0123456789abcdefx|.\t";
	struct iosim_trace_error err;
	struct iosim_trace_event ev;
	char line[400];
	unsigned int i, j, events = 0, refused = 0;
	int ret;

	(void)state;
	for (i = 0; i < 20000; i++) {
		size_t len;

		snprintf(line, sizeof(line), "%s", seeds[i % 4]);
		len = strlen(line);
		for (j = 0; j < 1 + mut_below(4); j++) {
			unsigned int at = mut_below((unsigned int)len);

			switch (mut_below(3)) {
			case 0:		/* replace a byte */
				line[at] = alphabet[mut_below(sizeof(alphabet) - 1)];
				break;
			case 1:		/* delete a byte */
				memmove(line + at, line + at + 1, len - at);
				len--;
				break;
			default:	/* cut the line */
				line[at] = '\0';
				len = at ? at : 1;
				break;
			}
			if (len < 2)
				break;
		}
		memset(&err, 0, sizeof(err));
		ret = iosim_trace_parse_line(line, i + 1, &ev, NULL, 0, &err);
		if (ret == IOSIM_TRACE_EVENT) {
			assert_int_equal(iosim_trace_event_check(&ev), 0);
			iosim_trace_event_release(&ev);
			events++;
		} else if (ret == -EINVAL) {
			assert_true(err.msg[0] != '\0');
			assert_int_equal(err.line, i + 1);
			refused++;
		} else {
			assert_true(ret == IOSIM_TRACE_NOT_EVENT || ret == IOSIM_TRACE_UNKNOWN_EVENT);
		}
		assert_int_equal(iosim_live_total(), 0);
	}
	/* the mutations hit both outcomes often */
	assert_true(events > 1000);
	assert_true(refused > 1000);
}

static void test_event_check_catches_inconsistent_events(void **state)
{
	struct iosim_trace_event ev;

	(void)state;
	assert_int_equal(parse(FTRACE_PFX "dma_unmap_sg: d dir=TO_DEVICE phys_addrs={0x1,0x2} attrs=",
			       &ev, NULL), IOSIM_TRACE_EVENT);
	ev.nents_recorded = 5;
	assert_int_equal(iosim_trace_event_check(&ev), -EUCLEAN);
	assert_warned("more entries recorded than the totals");
	ev.nents_recorded = 2;
	ev.nr_phys = 0;
	assert_int_equal(iosim_trace_event_check(&ev), -EUCLEAN);
	assert_warned("array counts disagree");
	ev.nr_phys = 2;
	ev.dir = 9;
	assert_int_equal(iosim_trace_event_check(&ev), -EUCLEAN);
	assert_warned("direction 9 out of range");
	ev.dir = IOSIM_TRACE_DIR_TO_DEVICE;
	assert_int_equal(iosim_trace_event_check(&ev), 0);
	iosim_trace_event_release(&ev);
}

static void test_kind_names_round_trip(void **state)
{
	enum iosim_trace_kind k, got;
	bool old;

	(void)state;
	for (k = 0; k < IOSIM_TRACE_NR_KINDS; k++) {
		assert_true(iosim_trace_kind_from_name(iosim_trace_kind_name(k), &got, &old));
		assert_int_equal(got, k);
		assert_false(old);
	}
	assert_true(iosim_trace_kind_from_name("dma:dma_map_page", &got, &old));
	assert_int_equal(got, IOSIM_TRACE_MAP_PHYS);
	assert_true(old);
	assert_false(iosim_trace_kind_from_name("dma_fence_signaled", &got, NULL));
	assert_string_equal(iosim_trace_kind_name(IOSIM_TRACE_NR_KINDS), "?");
	assert_string_equal(iosim_trace_dir_name(IOSIM_TRACE_DIR_TO_DEVICE), "TO_DEVICE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_parse_ftrace_map_phys_reads_every_field),
		IOSIM_TEST(test_parse_report_old_name_and_ns_timestamp),
		IOSIM_TEST(test_parse_task_with_dashes_spaces_and_tgid),
		IOSIM_TEST(test_parse_map_sg_618_counts_and_truncation),
		IOSIM_TEST(test_parse_map_sg_612_layout_without_counts),
		IOSIM_TEST(test_parse_libtraceevent_array_form),
		IOSIM_TEST(test_parse_sg_err_puts_its_array_in_phys_addrs),
		IOSIM_TEST(test_parse_alloc_family_layouts),
		IOSIM_TEST(test_parse_unknown_attr_is_flagged_not_refused),
		IOSIM_TEST(test_parse_counts_each_unknown_attr),
		IOSIM_TEST(test_parse_device_name_of_any_length),
		IOSIM_TEST(test_parse_truncated_flag_must_agree_with_the_counts),
		IOSIM_TEST(test_parse_later_keys_are_ignored),
		IOSIM_TEST(test_parse_non_event_and_unknown_lines),
		IOSIM_TEST(test_parse_malformed_lines_name_the_problem),
		IOSIM_TEST(test_parse_array_limit_is_enforced),
		IOSIM_TEST(test_parse_allocation_failure_leaves_event_empty),
		IOSIM_TEST(test_parse_mutated_lines_never_break_the_parser),
		IOSIM_TEST(test_event_check_catches_inconsistent_events),
		IOSIM_TEST(test_kind_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
