// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sim_stats.c - the run's statistics: operations by kind and their cost,
 * live and peak mappings, the mapping-size histogram, the IOVA space sampled
 * over time, page-table peaks; and the progress line on a terminal.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/bug.h>
#include <linux/device.h>
#include <linux/iommu.h>
#include <linux/iova.h>
#include <iosim/iommu.h>
#include <iosim/iova.h>

#include "sim.h"

/* Sample each device's IOVA space at most this often (operations). */
#define SIM_SAMPLE_MIN_EVERY	16

static const char *const sim_op_names[SIM_OP_NR] = {
	[SIM_OP_MAP_SINGLE] = "map_single",
	[SIM_OP_UNMAP_SINGLE] = "unmap_single",
	[SIM_OP_MAP_PAGE] = "map_page",
	[SIM_OP_UNMAP_PAGE] = "unmap_page",
	[SIM_OP_MAP_SG] = "map_sg",
	[SIM_OP_UNMAP_SG] = "unmap_sg",
	[SIM_OP_SYNC_SINGLE_FOR_CPU] = "sync_single_for_cpu",
	[SIM_OP_SYNC_SINGLE_FOR_DEVICE] = "sync_single_for_device",
	[SIM_OP_SYNC_SG_FOR_CPU] = "sync_sg_for_cpu",
	[SIM_OP_SYNC_SG_FOR_DEVICE] = "sync_sg_for_device",
	[SIM_OP_ALLOC_COHERENT] = "alloc_coherent",
	[SIM_OP_FREE_COHERENT] = "free_coherent",
	[SIM_OP_MMAP_COHERENT] = "mmap_coherent",
	[SIM_OP_DEVICE_READ] = "device_read",
	[SIM_OP_DEVICE_WRITE] = "device_write",
};

/** sim_op_name - the report's name of @op ("map_single", ...; "?" out of range). */
const char *sim_op_name(enum sim_op op)
{
	return (unsigned int)op < SIM_OP_NR ? sim_op_names[op] : "?";
}

/** sim_now_ns - a monotonic clock in nanoseconds. */
uint64_t sim_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/**
 * sim_stats_op - count one operation
 * @st: the statistics
 * @op: its kind
 * @ok: it succeeded
 * @bytes: bytes it covered
 * @ns: what it cost
 */
void sim_stats_op(struct sim_stats *st, enum sim_op op, bool ok, uint64_t bytes, uint64_t ns)
{
	st->ops[op].count++;
	st->ops[op].failed += !ok;
	st->ops[op].bytes += bytes;
	st->ops[op].ns += ns;
	st->ops_total++;
}

/**
 * sim_stats_live - mappings (or coherent buffers) made or released
 * @st: the statistics
 * @d: the device
 * @mappings: +1 for a new one, -1 for a released one
 * @bytes: its size, signed the same way
 */
void sim_stats_live(struct sim_stats *st, struct sim_dev *d, long mappings, int64_t bytes)
{
	st->live_mappings += (uint64_t)mappings;
	st->live_bytes += (uint64_t)bytes;
	if (st->live_mappings > st->peak_mappings)
		st->peak_mappings = st->live_mappings;
	if (st->live_bytes > st->peak_bytes)
		st->peak_bytes = st->live_bytes;
	d->st->live_mappings += (uint64_t)mappings;
	d->st->live_bytes += (uint64_t)bytes;
	if (d->st->live_mappings > d->st->peak_mappings)
		d->st->peak_mappings = d->st->live_mappings;
	if (d->st->live_bytes > d->st->peak_bytes)
		d->st->peak_bytes = d->st->live_bytes;
}

/** sim_stats_size - add a mapping of @bytes to the size histogram (slot: log2 rounded up). */
void sim_stats_size(struct sim_stats *st, uint64_t bytes)
{
	unsigned int slot = 0;

	while (slot + 1 < SIM_HIST_SLOTS && (1ull << slot) < bytes)
		slot++;
	st->hist[slot]++;
}

/* The IOVA domain behind @d's DMA ops: the seed's cookie is the iova_domain. */
static struct iova_domain *sim_dev_iovad(struct sim_dev *d)
{
	struct iommu_domain *domain;

	if (!d->iommu || !d->st->uses_iommu)
		return NULL;
	domain = iommu_get_domain_for_dev(d->dev);
	return domain ? domain->dma_api_cookie : NULL;
}

static void sim_sample_dev(struct sim_stats *st, struct sim_dev *d, bool force)
{
	struct sim_dev_stats *ds = d->st;
	struct iova_domain *iovad = sim_dev_iovad(d);
	struct iosim_iova_stats is;
	struct sim_iova_sample *s;
	unsigned int i;

	if (!iovad)
		return;
	if (!force && ds->nr_samples &&
	    st->ops_total < ds->samples[ds->nr_samples - 1].op + ds->sample_every)
		return;
	if (ds->nr_samples == SIM_MAX_SAMPLES) {
		/* Keep every second sample and sample half as often from now on. */
		for (i = 0; i < SIM_MAX_SAMPLES / 2; i++)
			ds->samples[i] = ds->samples[2 * i + 1];
		ds->nr_samples = SIM_MAX_SAMPLES / 2;
		ds->sample_every *= 2;
	}
	iosim_iova_get_stats(iovad, &is);
	s = &ds->samples[ds->nr_samples++];
	s->op = st->ops_total;
	s->span_pfns = iovad->dma_32bit_pfn >= iovad->start_pfn ?
		       iovad->dma_32bit_pfn - iovad->start_pfn + 1 : 0;
	s->free_pfns = is.free_pfns;
	s->largest_free_pfns = is.largest_free_pfns;
	s->nr_ranges = is.nr_ranges;
}

/**
 * sim_stats_sample - sample every IOMMU-backed device's IOVA space
 * @sys: the system
 * @force: sample now even if the last sample is recent
 *
 * Context: process context; walks each IOVA tree.
 */
void sim_stats_sample(struct sim_system *sys, bool force)
{
	unsigned int i;

	for (i = 0; i < sys->nr_devs; i++) {
		if (sys->devs[i].st->sample_every < SIM_SAMPLE_MIN_EVERY)
			sys->devs[i].st->sample_every = SIM_SAMPLE_MIN_EVERY;
		sim_sample_dev(sys->stats, &sys->devs[i], force);
	}
}

/**
 * sim_stats_iommu_peak - note each IOMMU's page-table pages if they are the most yet
 * @sys: the system
 */
void sim_stats_iommu_peak(struct sim_system *sys)
{
	struct iosim_iommu_stats is;
	unsigned int i;

	for (i = 0; i < sys->nr_iommus; i++) {
		struct sim_iommu_stats *s = &sys->stats->iommus[i];

		iosim_iommu_get_stats(sys->iommus[i], &is);
		if (is.tables > s->tables_peak)
			s->tables_peak = is.tables;
		if (is.table_bytes > s->table_bytes_peak)
			s->table_bytes_peak = is.table_bytes;
	}
}

/**
 * sim_stats_check - sanity checker of a run's statistics
 * @st: the statistics
 *
 * Checks the live and peak counts agree with the per-device ones, that no
 * live count exceeds its peak, that the operation counts add up to the total,
 * that every device's IOVA samples are in time order within their space, and
 * that no PCI device is reported behind an IOMMU (only its host bridge is).
 *
 * Context: any.
 * Return: 0; -EUCLEAN after WARNing the first inconsistency.
 */
int sim_stats_check(const struct sim_stats *st)
{
	uint64_t maps = 0, bytes = 0, total = 0;
	unsigned int i, j;

	for (i = 0; i < SIM_OP_NR; i++)
		total += st->ops[i].count;
	if (WARN(total != st->ops_total, "sim stats: operations add up to %llu, total %llu",
		 (unsigned long long)total, (unsigned long long)st->ops_total))
		return -EUCLEAN;
	if (WARN(st->nr_devs > SIM_MAX_DEVICES || st->nr_iommus > IOSIM_SIM_MAX_IOMMUS,
		 "sim stats: %u devices, %u IOMMUs", st->nr_devs, st->nr_iommus))
		return -EUCLEAN;
	for (i = 0; i < st->nr_devs; i++) {
		const struct sim_dev_stats *d = &st->devs[i];

		maps += d->live_mappings;
		bytes += d->live_bytes;
		if (WARN(d->live_mappings > d->peak_mappings || d->live_bytes > d->peak_bytes ||
			 d->nr_samples > SIM_MAX_SAMPLES,
			 "sim stats: device %s: live above peak or too many samples", d->name))
			return -EUCLEAN;
		/* arm64 of 2015: a PCI device's DMA never goes through its host bridge's IOMMU. */
		if (WARN(d->pci ? d->uses_iommu || d->iommu[0] : d->host_bridge_iommu[0] != '\0',
			 "sim stats: device %s: %s", d->name,
			 d->pci ? "a PCI device with IOMMU DMA ops" :
				  "a platform device with a host bridge"))
			return -EUCLEAN;
		for (j = 0; j < d->nr_samples; j++) {
			const struct sim_iova_sample *a = &d->samples[j];

			if (WARN(a->free_pfns > a->span_pfns || a->largest_free_pfns > a->free_pfns ||
				 (j && a->op < d->samples[j - 1].op),
				 "sim stats: device %s: IOVA sample %u inconsistent", d->name, j))
				return -EUCLEAN;
		}
	}
	if (WARN(maps != st->live_mappings || bytes != st->live_bytes ||
		 st->live_mappings > st->peak_mappings || st->live_bytes > st->peak_bytes,
		 "sim stats: live %llu mappings/%llu bytes, devices say %llu/%llu",
		 (unsigned long long)st->live_mappings, (unsigned long long)st->live_bytes,
		 (unsigned long long)maps, (unsigned long long)bytes))
		return -EUCLEAN;
	return 0;
}

static uint64_t sim_progress_start;
static bool sim_progress_shown;

/**
 * sim_progress - a progress line on stderr, when stderr is a terminal and
 * the run has taken more than a second
 * @what: what is running
 * @done: units done
 * @total: units in all (0: unknown)
 */
void sim_progress(const char *what, uint64_t done, uint64_t total)
{
	static uint64_t last;
	uint64_t now = sim_now_ns();

	if (!sim_progress_start)
		sim_progress_start = now;
	if (now - sim_progress_start < 1000000000ull || now - last < 100000000ull ||
	    !isatty(STDERR_FILENO))
		return;
	last = now;
	sim_progress_shown = true;
	if (total)
		fprintf(stderr, "\r%s: %llu/%llu (%llu%%)  ", what, (unsigned long long)done,
			(unsigned long long)total, (unsigned long long)(done * 100 / total));
	else
		fprintf(stderr, "\r%s: %llu  ", what, (unsigned long long)done);
}

/** sim_progress_end - clear the progress line, if one was shown. */
void sim_progress_end(void)
{
	if (sim_progress_shown)
		fprintf(stderr, "\r\033[K");
	sim_progress_shown = false;
	sim_progress_start = 0;
}
