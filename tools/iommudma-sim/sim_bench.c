// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sim_bench.c - `iommudma-sim bench`: dma_map_single()/dma_unmap_single()
 * (or dma_map_sg()/dma_unmap_sg()) latency through the whole simulated stack,
 * measured the way the kernel's dma_map_benchmark measures it: N threads
 * sharing one device map and unmap a buffer of GRANULE pages in a loop for S
 * seconds, optionally waiting a transfer delay between map and unmap; the
 * average and standard deviation of each are printed in the format of the
 * kernel's selftest (tools/testing/selftests/dma/dma_map_benchmark.c).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <iosim/dma.h>
#include <iosim/iommu.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/warn.h>

#include "sim.h"

#define BENCH_MAX_THREADS	64
#define BENCH_MAX_SECONDS	300
#define BENCH_MAX_GRANULE	1024
#define BENCH_MAX_LIVE		(1UL << 20)
#define BENCH_MAX_RANGE_MIB	(64UL << 10)

static const char bench_usage[] =
"Usage: iommudma-sim bench [OPTIONS]\n"
"\n"
"Measure dma_map_single()/dma_unmap_single() latency through the simulated\n"
"stack like the kernel's dma_map_benchmark, and print it in its selftest's format.\n"
"\n"
"  -t, --threads N      threads mapping at once on one device (default 1, max 64)\n"
"  -s, --seconds S      how long to run (default 20, max 300)\n"
"  -n, --loops N        each thread stops after N map/unmap pairs, sooner than\n"
"                       -s if it gets there first (default: no limit)\n"
"  -g, --granule PAGES  buffer size in pages (default 1, max 1024)\n"
"  -d, --dir DIR        BIDIRECTIONAL (default), TO_DEVICE or FROM_DEVICE\n"
"  -b, --dma-bits B     the device's DMA mask width (default 32)\n"
"  -x, --delay-ns D     transfer delay between map and unmap (default 0)\n"
"      --sg             dma_map_sg()/dma_unmap_sg() of GRANULE one-page entries\n"
"      --platform P     iommu (default: behind a simulated SMMU, 4K granule)\n"
"                       or direct (no IOMMU)\n"
"      --noncoherent    a non-coherent device (cache maintenance at map/unmap)\n"
"\n"
"Allocator benchmarks (instead of the DMA API; each phase runs part of -s):\n"
"      --iova           the IOVA allocator: alloc_iova_fast()/free_iova_fast() of\n"
"                       GRANULE granules, then alloc_iova()/__free_iova() of\n"
"                       1..GRANULE granules among LIVE ranges, on -t threads\n"
"      --live N         ranges kept allocated on the tree path (default 100000)\n"
"      --pgtable        the simulated IOMMU's page tables: iommu_map()/iommu_unmap()\n"
"                       of GRANULE pages cold and warm, then a range page by page\n"
"      --range-mib M    the range --pgtable maps (default 1024)\n"
"      --smmu-granule G IOMMU (and IOVA) granule: 4K (default), 16K or 64K\n"
"  -h, --help           this help\n";

struct bench_cfg {
	unsigned int threads, seconds, granule, dma_bits;
	uint64_t loops;		/* map/unmap pairs per thread; 0: until -s runs out */
	uint64_t delay_ns;
	int dir;
	bool sg, direct, noncoherent;
	bool iova, pgtable;
	struct sim_bench_alloc_cfg alloc;
};

/* The threads that have finished, which the main thread waits for. */
struct bench_done {
	pthread_mutex_t lock;
	pthread_cond_t cond;	/* CLOCK_MONOTONIC */
	unsigned int nr;	/* under @lock */
};

struct bench_thread {
	pthread_t tid;
	const struct bench_cfg *cfg;
	struct device *dev;
	bool *stop;		/* read and written atomically */
	struct bench_done *done;	/* shared: the threads that have finished */
	uint64_t loops, failures;
	double map_sum, map_sq, unmap_sum, unmap_sq;	/* in units of 100 ns, as the kernel */
	int ret;
};

static const char *const bench_dirs[] = { "BIDIRECTIONAL", "TO_DEVICE", "FROM_DEVICE" };

static void bench_delay(uint64_t ns)
{
	uint64_t end = sim_now_ns() + ns;

	while (ns && sim_now_ns() < end)
		;
}

static void *bench_thread_fn(void *arg)
{
	struct bench_thread *t = arg;
	const struct bench_cfg *c = t->cfg;
	size_t size = (size_t)c->granule * PAGE_SIZE;
	unsigned int order = get_order(size), i;
	struct scatterlist *s;
	struct sg_table sgt;
	struct page *page;
	void *buf;

	page = alloc_pages(GFP_KERNEL, order);
	if (!page) {
		t->ret = -ENOMEM;
		goto out_done;
	}
	buf = page_address(page);
	if (c->sg) {
		if (sg_alloc_table(&sgt, c->granule, GFP_KERNEL)) {
			__free_pages(page, order);
			t->ret = -ENOMEM;
			goto out_done;
		}
		for_each_sg(sgt.sgl, s, c->granule, i)
			sg_set_page(s, page + i, PAGE_SIZE, 0);
	}
	while (!__atomic_load_n(t->stop, __ATOMIC_RELAXED) && (!c->loops || t->loops < c->loops)) {
		uint64_t t0, t1, t2, t3;
		double map, unmap;
		dma_addr_t h = 0;
		int count = 0;

		/* Dirty the cache lines as the kernel's benchmark does. */
		if (c->dir != DMA_FROM_DEVICE)
			memset(buf, 0x66, size);
		t0 = sim_now_ns();
		if (c->sg)
			count = dma_map_sg(t->dev, sgt.sgl, c->granule, c->dir);
		else
			h = dma_map_single(t->dev, buf, size, c->dir);
		t1 = sim_now_ns();
		if (c->sg ? count <= 0 : dma_mapping_error(t->dev, h) != 0) {
			t->failures++;
			t->ret = -ENOMEM;
			break;
		}
		bench_delay(c->delay_ns);
		t2 = sim_now_ns();
		if (c->sg)
			dma_unmap_sg(t->dev, sgt.sgl, c->granule, c->dir);
		else
			dma_unmap_single(t->dev, h, size, c->dir);
		t3 = sim_now_ns();
		map = (double)(t1 - t0) / 100.0;
		unmap = (double)(t3 - t2) / 100.0;
		t->map_sum += map;
		t->map_sq += map * map;
		t->unmap_sum += unmap;
		t->unmap_sq += unmap * unmap;
		t->loops++;
	}
	if (c->sg)
		sg_free_table(&sgt);
	__free_pages(page, order);
out_done:
	pthread_mutex_lock(&t->done->lock);
	t->done->nr++;
	pthread_cond_signal(&t->done->cond);
	pthread_mutex_unlock(&t->done->lock);
	return NULL;
}

static int bench_arg_uint(const char *opt, const char *s, unsigned long lo, unsigned long hi,
			  unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 0);
	if (errno || *end || !*s || s[0] == '-' || *out < lo || *out > hi) {
		fprintf(stderr, "iommudma-sim bench: %s: '%s' is not a number in %lu..%lu\n"
			"Try 'iommudma-sim bench --help'.\n", opt, s, lo, hi);
		return -EINVAL;
	}
	return 0;
}

enum { OPT_SG = 256, OPT_PLATFORM, OPT_NONCOHERENT, OPT_IOVA, OPT_PGTABLE, OPT_LIVE,
       OPT_RANGE, OPT_SMMU_GRANULE };

static const struct option bench_options[] = {
	{ "threads", required_argument, NULL, 't' },
	{ "seconds", required_argument, NULL, 's' },
	{ "loops", required_argument, NULL, 'n' },
	{ "granule", required_argument, NULL, 'g' },
	{ "dir", required_argument, NULL, 'd' },
	{ "dma-bits", required_argument, NULL, 'b' },
	{ "delay-ns", required_argument, NULL, 'x' },
	{ "sg", no_argument, NULL, OPT_SG },
	{ "platform", required_argument, NULL, OPT_PLATFORM },
	{ "noncoherent", no_argument, NULL, OPT_NONCOHERENT },
	{ "iova", no_argument, NULL, OPT_IOVA },
	{ "pgtable", no_argument, NULL, OPT_PGTABLE },
	{ "live", required_argument, NULL, OPT_LIVE },
	{ "range-mib", required_argument, NULL, OPT_RANGE },
	{ "smmu-granule", required_argument, NULL, OPT_SMMU_GRANULE },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Return: -1 to go on, else the exit status. */
static int bench_parse(int argc, char **argv, struct bench_cfg *c)
{
	unsigned long v;
	int opt, i;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":t:s:n:g:d:b:x:h", bench_options, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (bench_arg_uint("--threads", optarg, 1, BENCH_MAX_THREADS, &v))
				return SIM_EXIT_USAGE;
			c->threads = (unsigned int)v;
			break;
		case 's':
			if (bench_arg_uint("--seconds", optarg, 1, BENCH_MAX_SECONDS, &v))
				return SIM_EXIT_USAGE;
			c->seconds = (unsigned int)v;
			break;
		case 'n':
			if (bench_arg_uint("--loops", optarg, 1, ULONG_MAX, &v))
				return SIM_EXIT_USAGE;
			c->loops = v;
			break;
		case 'g':
			if (bench_arg_uint("--granule", optarg, 1, BENCH_MAX_GRANULE, &v))
				return SIM_EXIT_USAGE;
			c->granule = (unsigned int)v;
			break;
		case 'b':
			if (bench_arg_uint("--dma-bits", optarg, 24, 64, &v))
				return SIM_EXIT_USAGE;
			c->dma_bits = (unsigned int)v;
			break;
		case 'x':
			if (bench_arg_uint("--delay-ns", optarg, 0, 1000000000ul, &v))
				return SIM_EXIT_USAGE;
			c->delay_ns = v;
			break;
		case 'd':
			c->dir = -1;
			for (i = 0; i < 3; i++)
				if (!strcasecmp(optarg, bench_dirs[i]) ||
				    (!strncasecmp(optarg, "DMA_", 4) &&
				     !strcasecmp(optarg + 4, bench_dirs[i])))
					c->dir = i;
			if (c->dir < 0) {
				fprintf(stderr, "iommudma-sim bench: --dir: '%s' is not BIDIRECTIONAL, "
					"TO_DEVICE or FROM_DEVICE\n", optarg);
				return SIM_EXIT_USAGE;
			}
			break;
		case OPT_SG:
			c->sg = true;
			break;
		case OPT_PLATFORM:
			if (!strcmp(optarg, "iommu")) {
				c->direct = false;
			} else if (!strcmp(optarg, "direct")) {
				c->direct = true;
			} else {
				fprintf(stderr, "iommudma-sim bench: --platform: '%s' is not iommu or "
					"direct\n", optarg);
				return SIM_EXIT_USAGE;
			}
			break;
		case OPT_NONCOHERENT:
			c->noncoherent = true;
			break;
		case OPT_IOVA:
			c->iova = true;
			break;
		case OPT_PGTABLE:
			c->pgtable = true;
			break;
		case OPT_LIVE:
			if (bench_arg_uint("--live", optarg, 0, BENCH_MAX_LIVE, &v))
				return SIM_EXIT_USAGE;
			c->alloc.live_ranges = v;
			break;
		case OPT_RANGE:
			if (bench_arg_uint("--range-mib", optarg, 1, BENCH_MAX_RANGE_MIB, &v))
				return SIM_EXIT_USAGE;
			c->alloc.range_bytes = (uint64_t)v << 20;
			break;
		case OPT_SMMU_GRANULE:
			if (!strcasecmp(optarg, "4K")) {
				c->alloc.smmu_granule = SZ_4K;
			} else if (!strcasecmp(optarg, "16K")) {
				c->alloc.smmu_granule = SZ_16K;
			} else if (!strcasecmp(optarg, "64K")) {
				c->alloc.smmu_granule = SZ_64K;
			} else {
				fprintf(stderr, "iommudma-sim bench: --smmu-granule: '%s' is not 4K, "
					"16K or 64K\n", optarg);
				return SIM_EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(bench_usage, stdout);
			return 0;
		case ':':
			fprintf(stderr, "iommudma-sim bench: option '%s' needs a value\n",
				argv[optind - 1]);
			return SIM_EXIT_USAGE;
		default:
			fprintf(stderr, "iommudma-sim bench: unknown option '%s'\n"
				"Try 'iommudma-sim bench --help'.\n", argv[optind - 1]);
			return SIM_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "iommudma-sim bench: unexpected argument '%s'\n", argv[optind]);
		return SIM_EXIT_USAGE;
	}
	if (c->iova && c->pgtable) {
		fprintf(stderr, "iommudma-sim bench: --iova and --pgtable are separate runs\n");
		return SIM_EXIT_USAGE;
	}
	if (c->loops && (c->iova || c->pgtable)) {
		fprintf(stderr, "iommudma-sim bench: --loops counts DMA API map/unmap pairs; "
			"--iova and --pgtable run their phases for -s seconds\n");
		return SIM_EXIT_USAGE;
	}
	return -1;
}

static void bench_print(const struct bench_cfg *c, struct bench_thread *t)
{
	double loops = 0, ms = 0, mq = 0, us = 0, uq = 0, mavg, uavg, mdev, udev;
	unsigned int i;

	for (i = 0; i < c->threads; i++) {
		loops += (double)t[i].loops;
		ms += t[i].map_sum;
		mq += t[i].map_sq;
		us += t[i].unmap_sum;
		uq += t[i].unmap_sq;
	}
	if (loops == 0)
		loops = 1;
	mavg = ms / loops;
	uavg = us / loops;
	mdev = sqrt(fmax(mq / loops - mavg * mavg, 0));
	udev = sqrt(fmax(uq / loops - uavg * uavg, 0));
	printf("loops: %.0f\n", loops);
	printf("dma mapping benchmark: threads:%u seconds:%u node:%d dir:%s granule: %u\n",
	       c->threads, c->seconds, -1, bench_dirs[c->dir], c->granule);
	printf("average map latency(us):%.1f standard deviation:%.1f\n", mavg / 10, mdev / 10);
	printf("average unmap latency(us):%.1f standard deviation:%.1f\n", uavg / 10, udev / 10);
}

/* `bench --iova` or `bench --pgtable`: the exit status. */
static int bench_alloc(struct bench_cfg *c)
{
	struct sim_bench_alloc_cfg *a = &c->alloc;
	int ret;

	a->threads = c->threads;
	a->seconds = c->seconds;
	a->granule_pages = c->granule;
	fflush(stdout);
	iosim_log_set_console_level(4);
	ret = c->iova ? sim_bench_iova(a) : sim_bench_pgtable(a);
	if (ret) {
		fprintf(stderr, "iommudma-sim bench: the %s benchmark failed (error %d)\n",
			c->iova ? "IOVA" : "page-table", ret);
		return 1;
	}
	if (iosim_live_total()) {
		char buf[256];

		fprintf(stderr, "iommudma-sim bench: leaked simulated objects: %s\n",
			iosim_live_report(buf, sizeof(buf)));
		return 1;
	}
	return 0;
}

/**
 * sim_bench_main - `iommudma-sim bench ...`
 * @argc: arguments, "bench" first
 * @argv: the arguments
 *
 * Context: the process's main thread; no simulation alive.
 * Return: the exit status: 0; 1 when the run failed or leaked; 2 for bad usage.
 */
int sim_bench_main(int argc, char **argv)
{
	struct bench_cfg c = { .threads = 1, .seconds = 20, .granule = 1, .dma_bits = 32,
			       .dir = DMA_BIDIRECTIONAL,
			       .alloc = { .live_ranges = 100000, .smmu_granule = SZ_4K,
					  .range_bytes = 1ULL << 30 } };
	struct iosim_ram_config rcfg = { .base_phys = 0x80000000ull, .size_bytes = 256ull << 20 };
	static struct bench_thread threads[BENCH_MAX_THREADS];
	struct iosim_of_device_config dcfg = { 0 };
	struct iosim_iommu *iommu = NULL;
	bool stop = false;
	struct device *dev = NULL;
	struct utsname u;
	struct bench_done done = { .lock = PTHREAD_MUTEX_INITIALIZER };
	unsigned int i, started = 0;
	pthread_condattr_t cattr;
	uint64_t start_ns;
	int status, ret = 0;

	status = bench_parse(argc, argv, &c);
	if (status >= 0)
		return status;
	uname(&u);
	printf("machine: %s %s %s, %ld CPUs online\n", u.sysname, u.release, u.machine,
	       sysconf(_SC_NPROCESSORS_ONLN));
	if (c.iova || c.pgtable)
		return bench_alloc(&c);
	printf("configuration: %s, %s device, dma-bits %u, %s of %u page(s) of %lu bytes, "
	       "transfer delay %llu ns, simulated RAM %llu MiB at %#llx\n",
	       c.direct ? "direct DMA (no IOMMU)" : "behind a simulated SMMU (4K granule, strict)",
	       c.noncoherent ? "non-coherent" : "coherent", c.dma_bits,
	       c.sg ? "dma_map_sg" : "dma_map_single", c.granule, PAGE_SIZE,
	       (unsigned long long)c.delay_ns, (unsigned long long)(rcfg.size_bytes >> 20),
	       (unsigned long long)rcfg.base_phys);
	fflush(stdout);

	iosim_log_set_console_level(4);
	if (iosim_ram_init(&rcfg))
		return 1;
	if (iosim_dma_system_init()) {
		status = 1;
		goto out_ram;
	}
	if (!c.direct) {
		struct iosim_iommu_config icfg = { .name = "smmu0", .bus = &platform_bus_type };

		iommu = iosim_iommu_create(&icfg);
		if (IS_ERR(iommu)) {
			iommu = NULL;
			status = 1;
			goto out_system;
		}
	}
	dcfg.dev.name = "dma-bench";
	dcfg.dev.dma_mask = DMA_BIT_MASK(c.dma_bits);
	dcfg.dev.max_segment_size = UINT_MAX;
	dcfg.iommu = iommu;
	dcfg.dma_coherent = !c.noncoherent;
	dev = iosim_of_device_create(&dcfg);
	if (!dev) {
		status = 1;
		goto out_iommu;
	}

	pthread_condattr_init(&cattr);
	pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
	pthread_cond_init(&done.cond, &cattr);
	pthread_condattr_destroy(&cattr);
	for (i = 0; i < c.threads; i++) {
		threads[i] = (struct bench_thread){ .cfg = &c, .dev = dev, .stop = &stop,
						    .done = &done };
		if (pthread_create(&threads[i].tid, NULL, bench_thread_fn, &threads[i]))
			break;
		started++;
	}
	/*
	 * Until -s runs out, or sooner once every thread is done (--loops, a
	 * failure), waking every 100 ms for the progress line.
	 */
	start_ns = sim_now_ns();
	pthread_mutex_lock(&done.lock);
	while (started == c.threads && done.nr < started) {
		uint64_t elapsed_ns = sim_now_ns() - start_ns, wake_ns;
		struct timespec ts;

		if (elapsed_ns >= (uint64_t)c.seconds * 1000000000ull)
			break;
		sim_progress("bench", elapsed_ns / 1000000000ull, c.seconds);
		wake_ns = start_ns + min_t(uint64_t, elapsed_ns + 100000000ull,
					   (uint64_t)c.seconds * 1000000000ull);
		ts.tv_sec = (time_t)(wake_ns / 1000000000ull);
		ts.tv_nsec = (long)(wake_ns % 1000000000ull);
		pthread_cond_timedwait(&done.cond, &done.lock, &ts);
	}
	pthread_mutex_unlock(&done.lock);
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < started; i++) {
		pthread_join(threads[i].tid, NULL);
		if (threads[i].ret)
			ret = threads[i].ret;
	}
	pthread_cond_destroy(&done.cond);
	sim_progress_end();
	status = started == c.threads && !ret ? 0 : 1;
	if (!status)
		bench_print(&c, threads);
	else
		fprintf(stderr, "iommudma-sim bench: %s (error %d)\n",
			started < c.threads ? "could not start the threads" : "a mapping failed",
			ret);

	iosim_of_device_destroy(dev);
out_iommu:
	iosim_iommu_destroy(iommu);
out_system:
	iosim_dma_system_exit();
out_ram:
	if (iosim_ram_exit() || iosim_live_total()) {
		char buf[256];

		fprintf(stderr, "iommudma-sim bench: leaked simulated objects: %s\n",
			iosim_live_report(buf, sizeof(buf)));
		status = 1;
	}
	return status;
}
