// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulator's trace replay under allocation failure: every allocation
 * a replay makes (its bookkeeping, the relocation map, the relocated pages,
 * the DMA layer's mappings under it) is failed in turn.  Each run must end
 * with 0 or -ENOMEM, a consistent system and replay statistics, no data
 * error, every simulated object released and no WARN; the run with nothing failed must
 * give the statistics of a run without fault injection.  The simulation's
 * own host memory (IOSIM_FAULT_HOST: registries' and indexes' tables) is
 * swept the same way, on its own.  A traced PCI device (bus = pci) is
 * swept too: its creation (iosim_pci_dev_create()) is among the failures.
 */
#include "iosim_test.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <iosim/fault.h>

#include "sim.h"
#include "sim_config.h"
#include "sim_fault_run.h"

static struct sim_system sys;
static struct sim_stats stats;

/*
 * A [device 0000:01:00.0] section with bus = pci: the traced network device
 * of net-rxtx.trace.txt, below a host bridge behind the default IOMMU.
 */
static void pci_section(struct iosim_sim_device_cfg *d)
{
	iosim_sim_device_defaults(d);
	snprintf(d->name, sizeof(d->name), "0000:01:00.0");
	d->bus = IOSIM_SIM_BUS_PCI;
	d->pci_bus_number = 1;
	d->pci_devfn = 0;
	d->dma_mask_bits = 64;
	d->coherent = true;
}

/*
 * Bring a default system up, replay @trace with call @nth at @sites failing
 * (0: none).  With @pci the system's configuration gets pci_section() after
 * bring-up, so that the replay creates that PCI device when the trace first
 * names it, under injection.
 */
static int replay_failing(const char *trace, bool pci, unsigned int sites, unsigned long nth,
			  unsigned long *injected)
{
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN + 64];
	int ret;

	memset(&sys, 0, sizeof(sys));
	memset(&stats, 0, sizeof(stats));
	iosim_sim_config_defaults(&cfg);
	assert_int_equal(sim_system_up(&sys, &cfg, &stats, err, sizeof(err)), 0);
	if (pci) {
		pci_section(&sys.cfg.devices[sys.cfg.nr_devices++]);
		assert_int_equal(iosim_sim_config_check(&sys.cfg), 0);
	}
	if (nth)
		iosim_fault_fail_nth(sites, nth);
	ret = sim_replay_run(&sys, trace, err, sizeof(err));
	*injected = iosim_fault_injected();
	sim_fault_run_end(&sys, &stats);
	return ret;
}

static void sweep_sites(const char *trace, bool pci, unsigned int sites, unsigned long min_calls)
{
	struct sim_replay_stats clean;
	unsigned long n, injected;
	int ret;

	ret = replay_failing(trace, pci, sites, 0, &injected);
	assert_int_equal(ret, 0);
	assert_true(stats.replay.replayed > 0);
	/* A PCI device: its DMA went through no IOMMU, its host bridge's is reported. */
	assert_true(stats.devs[0].pci == pci);
	if (pci) {
		assert_false(stats.devs[0].uses_iommu);
		assert_string_equal(stats.devs[0].host_bridge_iommu, "smmu0");
		assert_true(stats.iommus[0].map_calls == 0);
	}
	clean = stats.replay;
	for (n = 1;; n++) {
		ret = replay_failing(trace, pci, sites, n, &injected);
		if (!injected)
			break;
		assert_true(ret == 0 || ret == -ENOMEM);
	}
	/* Past the last allocation: the same replay as without injection. */
	assert_int_equal(ret, 0);
	assert_true(stats.replay.replayed == clean.replayed);
	assert_true(stats.replay.failed_here == clean.failed_here);
	assert_true(stats.replay.left_mapped == clean.left_mapped);
	assert_true(stats.replay.reloc_pages == clean.reloc_pages);
	assert_true(n > min_calls);
}

static void sweep(const char *trace)
{
	sweep_sites(trace, false, IOSIM_FAULT_ALLOCS, 10);
}

static void test_replay_of_single_mappings_survives_each_allocation_failing(void **state)
{
	(void)state;
	sweep(SIM_TRACE_DIR "/net-rxtx.trace.txt");
}

static void test_replay_of_sg_lists_survives_each_allocation_failing(void **state)
{
	(void)state;
	sweep(SIM_TRACE_DIR "/sg-truncated.trace.txt");
}

static void test_replay_of_a_trace_started_midrun_survives_each_allocation_failing(void **state)
{
	(void)state;
	sweep(SIM_TRACE_DIR "/midrun.trace.txt");
}

static void test_replay_of_a_trace_started_midrun_survives_each_host_allocation_failing(void **state)
{
	(void)state;
	sweep_sites(SIM_TRACE_DIR "/midrun.trace.txt", false, IOSIM_FAULT_SITE(IOSIM_FAULT_HOST), 20);
}

static void test_replay_on_a_pci_device_survives_each_allocation_failing(void **state)
{
	(void)state;
	sweep_sites(SIM_TRACE_DIR "/net-rxtx.trace.txt", true, IOSIM_FAULT_ALLOCS, 10);
}

/*
 * The replay's newer bookkeeping under allocation failure: the traced-name
 * table (long names), the copies of sg lists matched by their whole list,
 * syncs on buffers, MMIO records (never made), attributes.
 */
static void test_replay_of_new_bookkeeping_survives_each_allocation_failing(void **state)
{
	static const char *const traces[] = {
		"long-device-names.trace.txt", "unmap-sg-list.trace.txt",
		"sync-on-alloc.trace.txt", "attrs.trace.txt",
	};
	char path[512];
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(traces) / sizeof(traces[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", SIM_TRACE_DIR, traces[i]);
		sweep(path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_replay_of_single_mappings_survives_each_allocation_failing),
		IOSIM_TEST(test_replay_on_a_pci_device_survives_each_allocation_failing),
		IOSIM_TEST(test_replay_of_sg_lists_survives_each_allocation_failing),
		IOSIM_TEST(test_replay_of_a_trace_started_midrun_survives_each_allocation_failing),
		IOSIM_TEST(test_replay_of_a_trace_started_midrun_survives_each_host_allocation_failing),
		IOSIM_TEST(test_replay_of_new_bookkeeping_survives_each_allocation_failing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
