// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sim_main.c - iommudma-sim's command line: the built-in default, `replay`,
 * `bench`; the options common to the first two; exit statuses.
 *
 * Exit status: 0 success; 1 the run failed (data errors, leaked simulated
 * objects, a sanity checker complained, I/O error, a trace with malformed
 * lines and no dma event); 2 bad usage or a bad configuration file.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <generated/autoconf.h>	/* CONFIG_PAGE_SHIFT, IOMMUDMA_VERSION */
#include <iosim/log.h>
#include <iosim/warn.h>

#include "sim.h"

#ifndef IOMMUDMA_VERSION
#define IOMMUDMA_VERSION "unknown"
#endif

static const char sim_usage[] =
"Usage: iommudma-sim [OPTIONS]                 run the built-in default scenario\n"
"       iommudma-sim replay TRACE [OPTIONS]    replay a recorded dma:* trace\n"
"       iommudma-sim bench [BENCH OPTIONS]     dma_map_benchmark-style latency\n"
"\n"
"Simulate the Linux kernel's IOMMU-backed DMA-mapping layer (libiommudma) and\n"
"report what the IOVA allocator, the IOMMU page tables, the IOTLB and the CPU\n"
"caches did.\n"
"\n"
"The default scenario: an arm64 SoC with an SMMU (4K granule); eth0 (rx/tx rings\n"
"of dma_map_single), nvme0 (dma_map_sg of 1-128 entries, 64 KiB segment\n"
"boundary), dpu0 (dma_alloc_coherent + dma_mmap_coherent frame buffer), audio0\n"
"(non-coherent, direct DMA).  Devices move real data through the simulated bus\n"
"master; every transfer is checked.\n"
"\n"
"Options (default scenario and replay):\n"
"  -c, --config FILE   build the system from an INI file (docs/simulator.md)\n"
"  -s, --seed N        random seed of the default scenario (default 1)\n"
"  -j, --json          print the report as JSON (schema iommudma-sim-report/1)\n"
"  -o, --output FILE   write the report to FILE instead of standard output\n"
"      --svg DIR       also write DIR/iova-space.svg and DIR/mapping-sizes.svg\n"
"  -q, --quiet         no library messages on stderr (errors still shown)\n"
"  -h, --help          this help\n"
"  -V, --version       the version\n"
"\n"
"replay TRACE: TRACE is the text of /sys/kernel/tracing/trace, the output of\n"
"`trace-cmd report`, or a trace-cmd trace.dat (recorded with\n"
"`trace-cmd record -e dma`).  Each traced device sits behind the configured\n"
"IOMMU (or the one its [device] section names); physical addresses are\n"
"relocated onto simulated RAM page by page.  Malformed lines (a last line\n"
"without its newline among them), and lines whose timestamp goes back, are\n"
"printed on stderr as TRACE:LINE: message as they are met; malformed lines are\n"
"skipped, the others replayed in file order.\n"
"\n"
"bench: see `iommudma-sim bench --help`.\n"
"\n"
"Exit status: 0 success; 1 the run failed (data errors, leaked simulated\n"
"objects, an inconsistent simulation, a trace with malformed lines and no dma\n"
"event, or - for the default scenario - a library warning); 2 bad usage or\n"
"configuration.\n";

enum { OPT_SVG = 256 };

static const struct option sim_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "seed", required_argument, NULL, 's' },
	{ "json", no_argument, NULL, 'j' },
	{ "output", required_argument, NULL, 'o' },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct sim_args {
	const char *config;
	const char *trace;
	const char *output;
	const char *svg_dir;
	unsigned long seed;
	bool json;
	bool quiet;
};

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "iommudma-sim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'iommudma-sim --help'.\n");
	return SIM_EXIT_USAGE;
}

/* Return: -1 to go on, else the exit status. */
static int parse_args(int argc, char **argv, struct sim_args *a)
{
	char *end;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:s:jo:qhV", sim_options, NULL)) != -1) {
		switch (c) {
		case 'c':
			a->config = optarg;
			break;
		case 's':
			errno = 0;
			a->seed = strtoul(optarg, &end, 0);
			if (errno || *end || !*optarg || optarg[0] == '-')
				return usage_error("--seed: not a number: '%s'", optarg);
			break;
		case 'j':
			a->json = true;
			break;
		case 'o':
			a->output = optarg;
			break;
		case OPT_SVG:
			a->svg_dir = optarg;
			break;
		case 'q':
			a->quiet = true;
			break;
		case 'h':
			fputs(sim_usage, stdout);
			return 0;
		case 'V':
			printf("iommudma-sim (libiommudma) %s, PAGE_SIZE %d\n", IOMMUDMA_VERSION,
			       1 << CONFIG_PAGE_SHIFT);
			return 0;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc && !a->trace)
		return usage_error("unexpected argument '%s'", argv[optind]);
	return -1;
}

static struct sim_stats sim_stats_storage;
static struct sim_system sim_sys;

static int run(const struct sim_args *a)
{
	struct sim_stats *st = &sim_stats_storage;
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN + 64];
	FILE *out = stdout;
	int ret, status = 0;

	if (a->config) {
		ret = iosim_sim_config_load(a->config, &cfg, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "iommudma-sim: %s\n", err);
			return SIM_EXIT_USAGE;
		}
		if (!a->trace && !cfg.nr_devices)
			sim_scenario_devices(&cfg);
	} else if (a->trace) {
		iosim_sim_config_defaults(&cfg);
	} else {
		sim_scenario_config(&cfg);
	}
	if (a->output) {
		out = fopen(a->output, "w");
		if (!out) {
			fprintf(stderr, "iommudma-sim: %s: %s\n", a->output, strerror(errno));
			return SIM_EXIT_USAGE;
		}
	}

	iosim_log_set_console_level(a->quiet ? 0 : 4);
	iosim_warn_set_quiet(a->quiet);
	ret = sim_system_up(&sim_sys, &cfg, st, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "iommudma-sim: %s%s%s\n", a->config ? a->config : "",
			a->config ? ": " : "", err);
		status = a->config && ret != -ENOMEM ? SIM_EXIT_USAGE : 1;
		goto out_close;
	}
	if (a->trace) {
		st->mode = "replay";
		ret = sim_replay_run(&sim_sys, a->trace, err, sizeof(err));
	} else {
		ret = sim_scenario_run(&sim_sys, a->seed);
		if (ret)
			snprintf(err, sizeof(err), "the default scenario failed (error %d)%s", ret,
				 a->config ? ": does the configuration define eth0, nvme0, dpu0 "
					     "and audio0?" : "");
	}
	if (sim_system_check(&sim_sys) || sim_stats_check(st)) {
		fprintf(stderr, "iommudma-sim: a sanity checker found the simulation inconsistent\n");
		status = 1;
	}
	sim_system_collect(&sim_sys);
	sim_system_down(&sim_sys);
	if (ret) {
		fprintf(stderr, "iommudma-sim: %s\n", err);
		status = ret == -ENOENT || ret == -EACCES || ret == -EINVAL ? SIM_EXIT_USAGE : 1;
		goto out_close;
	}

	if (a->json)
		sim_report_json(out, st);
	else
		sim_report_text(out, st);
	if (a->svg_dir && sim_svg_write(a->svg_dir, st, err, sizeof(err))) {
		fprintf(stderr, "iommudma-sim: %s\n", err);
		status = 1;
	}
	if (st->live_at_exit) {
		fprintf(stderr, "iommudma-sim: %ld simulated objects leaked: %s\n", st->live_at_exit,
			st->live_report);
		status = 1;
	}
	if (!a->trace && st->warnings) {
		fprintf(stderr, "iommudma-sim: the library warned %lu times during the default "
			"scenario\n", st->warnings);
		status = 1;
	}
	if (!a->trace && st->debug_total) {
		fprintf(stderr, "iommudma-sim: DMA-API debugging reported %lu misuse(s) in the "
			"default scenario\n", st->debug_total);
		status = 1;
	}
	/*
	 * Malformed lines and not one event: not a trace of the dma:* events
	 * (an empty file, or one of comments and other events only, is a
	 * trace with nothing to replay).
	 */
	if (a->trace && !st->replay.reader.events && st->replay.reader.malformed) {
		fprintf(stderr, "iommudma-sim: %s: no dma event was read (%lu malformed lines): "
			"not a trace of the kernel's dma:* events?\n", a->trace,
			st->replay.reader.malformed);
		status = 1;
	}
	if (st->data_errors) {
		fprintf(stderr, "iommudma-sim: %llu transfers did not return what was written\n",
			(unsigned long long)st->data_errors);
		status = 1;
	}
out_close:
	if (out != stdout && fclose(out) && !status)
		status = 1;
	return status;
}

int main(int argc, char **argv)
{
	struct sim_args a = { .seed = 1 };
	int status;

	if (argc > 1 && !strcmp(argv[1], "bench"))
		return sim_bench_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "replay")) {
		if (argc < 3 || argv[2][0] == '-') {
			if (argc >= 3 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
				fputs(sim_usage, stdout);
				return 0;
			}
			return usage_error("%s", "replay: which trace? (iommudma-sim replay TRACE)");
		}
		a.trace = argv[2];
		argv[2] = argv[0];
		argc -= 2;
		argv += 2;
	}
	status = parse_args(argc, argv, &a);
	if (status >= 0)
		return status;
	return run(&a);
}
