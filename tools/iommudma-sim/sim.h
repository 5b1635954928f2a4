/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * sim.h - the iommudma-sim CLI's own pieces: the simulated system built from
 * a configuration (sim_system.c), the statistics every DMA call the CLI makes
 * feeds (sim_stats.c), the runs (sim_scenario.c, sim_replay.c, sim_bench.c)
 * and the outputs (sim_report.c, sim_svg.c).  Everything is on the library's
 * public API: the kernel's DMA API and <iosim/...>.
 */
#ifndef IOSIM_SIM_H
#define IOSIM_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim_config.h"

#define SIM_MAX_DEBUG_KINDS	64
#include "trace_reader.h"

struct device;
struct iosim_iommu;

#define SIM_MAX_DEVICES		IOSIM_SIM_MAX_DEVICES
#define SIM_MAX_SAMPLES		256	/* IOVA samples kept per device */
#define SIM_HIST_SLOTS		41	/* mapping sizes by log2, 1 B .. 1 TiB */
#define SIM_EXIT_USAGE		2	/* bad arguments or configuration */

/* What the CLI asks of the DMA API, counted and timed by kind. */
enum sim_op {
	SIM_OP_MAP_SINGLE,
	SIM_OP_UNMAP_SINGLE,
	SIM_OP_MAP_PAGE,
	SIM_OP_UNMAP_PAGE,
	SIM_OP_MAP_SG,
	SIM_OP_UNMAP_SG,
	SIM_OP_SYNC_SINGLE_FOR_CPU,
	SIM_OP_SYNC_SINGLE_FOR_DEVICE,
	SIM_OP_SYNC_SG_FOR_CPU,
	SIM_OP_SYNC_SG_FOR_DEVICE,
	SIM_OP_ALLOC_COHERENT,
	SIM_OP_FREE_COHERENT,
	SIM_OP_MMAP_COHERENT,
	SIM_OP_DEVICE_READ,	/* iosim_dma_read(): the device reads memory */
	SIM_OP_DEVICE_WRITE,	/* iosim_dma_write() */
	SIM_OP_NR
};

/**
 * struct sim_op_stats - one kind of operation
 * @count: calls
 * @failed: calls that failed (mapping error, NULL, fault)
 * @bytes: bytes they covered
 * @ns: wall-clock time spent in them (the simulated cost)
 */
struct sim_op_stats {
	uint64_t count;
	uint64_t failed;
	uint64_t bytes;
	uint64_t ns;
};

/**
 * struct sim_iova_sample - a device's IOVA space at one moment
 * @op: operations done so far (the time axis)
 * @span_pfns: IOVA pfns the allocator manages below its 32-bit limit
 * @free_pfns: free pfns there
 * @largest_free_pfns: the largest free run
 * @nr_ranges: ranges in the tree (allocated, reserved, cached)
 */
struct sim_iova_sample {
	uint64_t op;
	unsigned long span_pfns;
	unsigned long free_pfns;
	unsigned long largest_free_pfns;
	unsigned long nr_ranges;
};

/**
 * struct sim_dev_stats - what the report says about one device
 * @name: dev_name()
 * @iommu: the IOMMU it is behind ("" for none; always "" for a PCI device,
 *	whose DMA no IOMMU translates)
 * @pci: a PCI device (bus = pci), else a platform (or AMBA) device
 * @host_bridge_iommu: a PCI device's host bridge's IOMMU ("" for none),
 *	which arm64 of 2015 gives PCI devices no DMA ops of
 * @uses_iommu: its DMA goes through IOMMU DMA ops
 * @coherent: cache-coherent master
 * @dma_mask_bits: its DMA mask
 * @live_mappings, @live_bytes: streaming mappings and coherent buffers now
 * @peak_mappings, @peak_bytes: their highest values
 * @nr_samples: entries of @samples (every sample once the array is full
 *	keeps every second one: the series stays evenly spaced)
 * @sample_every: operations between samples
 * @samples: the IOVA space over time
 * @cache: the cache model's counters (lines cleaned/invalidated, stale reads, lost writes)
 */
struct sim_dev_stats {
	char name[IOSIM_SIM_NAME_LEN];
	char iommu[IOSIM_SIM_NAME_LEN];
	bool pci;
	char host_bridge_iommu[IOSIM_SIM_NAME_LEN];
	bool uses_iommu;
	bool coherent;
	unsigned int dma_mask_bits;
	uint64_t live_mappings, live_bytes;
	uint64_t peak_mappings, peak_bytes;
	unsigned int nr_samples;
	uint64_t sample_every;
	struct sim_iova_sample samples[SIM_MAX_SAMPLES];
	uint64_t lines_cleaned, lines_invalidated, stale_reads, lost_writes;
};

/**
 * struct sim_iommu_stats - what the report says about one IOMMU
 * @name, @granule, @ias_bits, @oas_bits, @iotlb_entries, @strict: its configuration
 * @tables_peak, @table_bytes_peak: page-table pages (and bytes) at most alive
 * @map_calls ... @faults: iosim_iommu_get_stats() at the end of the run
 */
struct sim_iommu_stats {
	char name[IOSIM_SIM_NAME_LEN];
	uint64_t granule;
	unsigned int ias_bits, oas_bits, iotlb_entries;
	bool strict;
	unsigned long tables_peak;
	uint64_t table_bytes_peak;
	unsigned long map_calls, unmap_calls;
	unsigned long iotlb_hits, iotlb_misses, iotlb_invalidations, iotlb_stale_hits, walks;
	unsigned long faults;
};

/**
 * struct sim_replay_stats - trace replay's own counts
 * @trace: the trace's name
 * @reader: the reader's statistics (lines, events, malformed, ...)
 * @replayed: events replayed through the simulated stack
 * @failed_in_trace: events recording a failure (dma_map_sg_err, a mapping
 *	to DMA_MAPPING_ERROR): counted, nothing to replay
 * @zero_size: single mappings of zero bytes with a valid DMA address: not
 *	replayed (the DMA API refuses them), their unmaps matched silently
 * @mmio: MMIO single mappings (attrs=MMIO: dma_map_resource() of device
 *	memory, which the kernel of 2015 lacks): not replayed, their unmaps
 *	matched silently
 * @attrs_ignored: attrs= names the kernel of 2015 does not have (and names we
 *	do not know), each counted, ignored
 * @unmatched_midrun: unmaps/frees/syncs of nothing mapped in the trace so far
 * @unmatched_bug: unmaps/frees/syncs of an address mapped and already
 *	unmapped earlier (syncs: or inside such a single mapping or buffer)
 * @bugs_replayed: of those, the ones replayed through the stack against the
 *	handle the buffer had, for DMA-API debugging to judge (single mappings
 *	and allocations whose old handle no live buffer has taken since)
 * @failed_here: events that failed in the simulation (e.g. out of IOVA space)
 * @left_mapped: mappings and buffers still live at the end of the trace
 * @reloc_pages: trace pages relocated onto simulated RAM
 * @reloc_split: ranges whose pages were relocated apart (pages shared with
 *	other mappings in another arrangement): only their first contiguous
 *	piece was mapped
 * @outside_ram: events with physical addresses outside RAM (relocate = false)
 * @bugs: the first few driver bugs, as text
 */
struct sim_replay_stats {
	char trace[256];
	struct iosim_trace_stats reader;
	uint64_t replayed;
	uint64_t failed_in_trace;
	uint64_t zero_size;
	uint64_t mmio;
	uint64_t attrs_ignored;
	uint64_t unmatched_midrun;
	uint64_t unmatched_bug;
	uint64_t bugs_replayed;
	uint64_t failed_here;
	uint64_t left_mapped;
	uint64_t reloc_pages;
	uint64_t reloc_split;
	uint64_t outside_ram;
	unsigned int nr_bugs;
	char bugs[8][160];
};

/**
 * struct sim_stats - everything a report shows
 * @mode: "scenario", "replay"
 * @seed: the scenario's random seed
 * @page_size: the simulated CPU PAGE_SIZE
 * @ram_base, @ram_size: simulated RAM: the lowest bank's base, the total size
 * @ram_nr_banks, @ram_banks: each bank's base and size
 * @cma_base, @cma_size: the default contiguous area ([ram] cma), size 0: none
 * @ops: by kind
 * @ops_total: all operations (the time axis of the samples)
 * @live_mappings ... @peak_bytes: over all devices
 * @hist: streaming mappings and allocations by log2 of their size
 * @nr_devs, @devs: per device
 * @nr_iommus, @iommus: per IOMMU
 * @replay: replay counts (mode "replay")
 * @data_errors: device or CPU reads that did not return what was written
 * @warnings: WARNs the library recorded during the run
 * @live_at_exit: simulated objects alive after teardown (must be 0)
 */
struct sim_stats {
	const char *mode;
	unsigned long seed;
	unsigned long page_size;
	uint64_t ram_base, ram_size;
	unsigned int ram_nr_banks;
	struct {
		uint64_t base, size;
	} ram_banks[IOSIM_SIM_MAX_RAM_BANKS];
	uint64_t cma_base, cma_size;
	struct sim_op_stats ops[SIM_OP_NR];
	uint64_t ops_total;
	uint64_t live_mappings, live_bytes, peak_mappings, peak_bytes;
	uint64_t hist[SIM_HIST_SLOTS];
	unsigned int nr_devs;
	struct sim_dev_stats devs[SIM_MAX_DEVICES];
	unsigned int nr_iommus;
	struct sim_iommu_stats iommus[IOSIM_SIM_MAX_IOMMUS];
	struct sim_replay_stats replay;
	uint64_t data_errors;
	/* DMA-API debugging's findings (counted per kind, with the last message) */
	unsigned long debug_total;
	unsigned int debug_nr_kinds;
	unsigned long debug_counts[SIM_MAX_DEBUG_KINDS];
	const char *debug_kind_names[SIM_MAX_DEBUG_KINDS];
	char debug_last[512];
	unsigned long warnings;
	long live_at_exit;
	char live_report[256];
};

/**
 * struct sim_dev - a device of the running system
 * @dev: the simulated device (a PCI device's is its pci_dev's dev)
 * @iommu: the IOMMU instance that translates its DMA, or NULL (always for
 *	a PCI device: arm64 of 2015 gives it no IOMMU DMA ops)
 * @pci: made with iosim_pci_dev_create() (destroyed with
 *	iosim_pci_dev_destroy()), else with iosim_of_device_create()
 * @st: its statistics (inside struct sim_stats)
 */
struct sim_dev {
	struct device *dev;
	struct iosim_iommu *iommu;
	bool pci;
	struct sim_dev_stats *st;
};

/**
 * struct sim_system - the simulated SoC
 * @cfg: what it was built from
 * @nr_iommus, @iommus: the IOMMU instances, in configuration order
 * @nr_devs, @devs: the devices, in creation order
 * @stats: the run's statistics
 * @ram_up, @dma_up: what sim_system_up() brought up
 * @msgs: where a replay reports malformed lines (NULL: stderr)
 */
struct sim_system {
	struct iosim_sim_config cfg;
	unsigned int nr_iommus;
	struct iosim_iommu *iommus[IOSIM_SIM_MAX_IOMMUS];
	unsigned int nr_devs;
	struct sim_dev devs[SIM_MAX_DEVICES];
	struct sim_stats *stats;
	bool ram_up, dma_up;
	FILE *msgs;
};

/* sim_system.c */
int sim_system_up(struct sim_system *sys, const struct iosim_sim_config *cfg,
		  struct sim_stats *stats, char *err, size_t errlen);
struct sim_dev *sim_system_device(struct sim_system *sys, const char *name);
struct sim_dev *sim_system_add_device(struct sim_system *sys,
				      const struct iosim_sim_device_cfg *dcfg,
				      char *err, size_t errlen);
int sim_system_check(struct sim_system *sys);
void sim_system_collect(struct sim_system *sys);
long sim_system_down(struct sim_system *sys);
void sim_builtin_iommu(struct iosim_sim_iommu_cfg *icfg);

/* sim_stats.c */
uint64_t sim_now_ns(void);
void sim_stats_op(struct sim_stats *st, enum sim_op op, bool ok, uint64_t bytes, uint64_t ns);
void sim_stats_live(struct sim_stats *st, struct sim_dev *d, long mappings, int64_t bytes);
void sim_stats_size(struct sim_stats *st, uint64_t bytes);
void sim_stats_sample(struct sim_system *sys, bool force);
void sim_stats_iommu_peak(struct sim_system *sys);
int sim_stats_check(const struct sim_stats *st);
const char *sim_op_name(enum sim_op op);
void sim_progress(const char *what, uint64_t done, uint64_t total);
void sim_progress_end(void);

/* sim_dma.c: the DMA API calls, counted and timed (struct page/scatterlist/dma_attrs opaque here) */
struct page;
struct scatterlist;
struct vm_area_struct;
struct dma_attrs;
uint64_t sim_map_single(struct sim_system *sys, struct sim_dev *d, void *ptr, size_t size, int dir);
void sim_unmap_single(struct sim_system *sys, struct sim_dev *d, uint64_t handle, size_t size,
		      int dir);
uint64_t sim_map_page(struct sim_system *sys, struct sim_dev *d, struct page *page,
		      size_t offset, size_t size, int dir);
uint64_t sim_map_page_attrs(struct sim_system *sys, struct sim_dev *d, struct page *page,
			    size_t offset, size_t size, int dir, struct dma_attrs *attrs);
void sim_unmap_page(struct sim_system *sys, struct sim_dev *d, uint64_t handle, size_t size,
		    int dir);
void sim_unmap_page_attrs(struct sim_system *sys, struct sim_dev *d, uint64_t handle,
			  size_t size, int dir, bool single, struct dma_attrs *attrs, uint64_t live);
int sim_map_sg(struct sim_system *sys, struct sim_dev *d, struct scatterlist *sgl, int nents,
	       int dir);
int sim_map_sg_attrs(struct sim_system *sys, struct sim_dev *d, struct scatterlist *sgl,
		     int nents, int dir, struct dma_attrs *attrs);
void sim_unmap_sg(struct sim_system *sys, struct sim_dev *d, struct scatterlist *sgl, int nents,
		  int dir);
void sim_unmap_sg_attrs(struct sim_system *sys, struct sim_dev *d, struct scatterlist *sgl,
			int nents, int dir, struct dma_attrs *attrs);
void sim_sync_single(struct sim_system *sys, struct sim_dev *d, uint64_t handle, size_t size,
		     int dir, bool for_cpu);
void sim_sync_sg(struct sim_system *sys, struct sim_dev *d, struct scatterlist *sgl, int nents,
		 int dir, bool for_cpu);
void *sim_alloc_coherent(struct sim_system *sys, struct sim_dev *d, size_t size,
			 uint64_t *handle);
void *sim_alloc_attrs(struct sim_system *sys, struct sim_dev *d, size_t size, uint64_t *handle,
		      struct dma_attrs *attrs);
void sim_free_coherent(struct sim_system *sys, struct sim_dev *d, size_t size, void *cpu_addr,
		       uint64_t handle);
void sim_free_attrs(struct sim_system *sys, struct sim_dev *d, size_t size, void *cpu_addr,
		    uint64_t handle, struct dma_attrs *attrs, uint64_t live);
bool sim_handle_in_live_iova(struct sim_dev *d, uint64_t handle);
void sim_release_stale(struct sim_system *sys, struct sim_dev *d, uint64_t handle, size_t size,
		       int dir, void *cpu_addr, bool single, struct dma_attrs *attrs);
int sim_mmap_coherent(struct sim_system *sys, struct sim_dev *d, struct vm_area_struct *vma,
		      void *cpu_addr, uint64_t handle, size_t size);
int sim_device_rw(struct sim_system *sys, struct sim_dev *d, uint64_t addr, void *buf,
		  size_t len, bool write);
bool sim_mapping_failed(struct sim_dev *d, uint64_t handle);

/* sim_scenario.c */
int sim_scenario_run(struct sim_system *sys, unsigned long seed);
void sim_scenario_config(struct iosim_sim_config *cfg);
void sim_scenario_devices(struct iosim_sim_config *cfg);

/* sim_replay.c */
int sim_replay_run(struct sim_system *sys, const char *path, char *err, size_t errlen);

/* sim_report.c */
void sim_report_text(FILE *out, const struct sim_stats *st);
void sim_report_json(FILE *out, const struct sim_stats *st);

/* sim_svg.c */
int sim_svg_write(const char *dir, const struct sim_stats *st, char *err, size_t errlen);

/* sim_bench.c */
int sim_bench_main(int argc, char **argv);

/* sim_bench_iova.c, sim_bench_pgtable.c: `bench --iova` and `bench --pgtable` */
struct sim_bench_alloc_cfg {
	unsigned int threads, seconds;
	unsigned long granule_pages;	/* IOVA granules per request, IOMMU pages per mapping */
	unsigned long live_ranges;	/* IOVA tree path: ranges kept allocated */
	unsigned long smmu_granule;	/* bytes: SZ_4K, SZ_16K or SZ_64K */
	uint64_t range_bytes;		/* page tables: bytes mapped piece by piece */
};
int sim_bench_iova(const struct sim_bench_alloc_cfg *cfg);
int sim_bench_pgtable(const struct sim_bench_alloc_cfg *cfg);

#endif /* IOSIM_SIM_H */
