// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sim_report.c - the report: text tables, or JSON with the same content
 * (schema "iommudma-sim-report/1", documented in docs/simulator.md).
 */
#include <inttypes.h>
#include <stdio.h>

#include "sim.h"



static unsigned long last_ranges(const struct sim_dev_stats *d, unsigned long *largest,
				 unsigned long *free_pfns, unsigned long *span)
{
	const struct sim_iova_sample *s = &d->samples[d->nr_samples - 1];

	*largest = s->largest_free_pfns;
	*free_pfns = s->free_pfns;
	*span = s->span_pfns;
	return s->nr_ranges;
}

static void text_replay(FILE *out, const struct sim_replay_stats *r)
{
	const struct iosim_trace_stats *t = &r->reader;
	unsigned int i;

	fprintf(out, "\n== trace replay: %s ==\n", r->trace);
	fprintf(out, "  lines %lu, dma events %lu (%lu under pre-6.17 names), not events %lu, "
		"unknown events %lu, malformed %lu\n", t->lines, t->events, t->old_names,
		t->not_events, t->unknown, t->malformed);
	for (i = 0; i < IOSIM_TRACE_NR_KINDS; i++)
		if (t->by_kind[i])
			fprintf(out, "    %-28s %lu\n", iosim_trace_kind_name(i), t->by_kind[i]);
	fprintf(out, "  replayed %" PRIu64 ", failed in the trace %" PRIu64
		", failed in the simulation %" PRIu64 "\n", r->replayed, r->failed_in_trace,
		r->failed_here);
	fprintf(out, "  zero-size mappings, not replayed: %" PRIu64 "\n", r->zero_size);
	fprintf(out, "  MMIO mappings, not in the 2015 kernel: %" PRIu64 "\n", r->mmio);
	fprintf(out, "  attributes the 2015 kernel does not have, ignored: %" PRIu64 "\n",
		r->attrs_ignored);
	fprintf(out, "  unmatched (trace probably starts mid-run): %" PRIu64 "\n",
		r->unmatched_midrun);
	fprintf(out, "  driver bugs (unmap/free/sync of an address already unmapped): %" PRIu64
		" (%" PRIu64 " replayed for DMA-API debugging)\n", r->unmatched_bug,
		r->bugs_replayed);
	for (i = 0; i < r->nr_bugs; i++)
		fprintf(out, "    %s\n", r->bugs[i]);
	fprintf(out, "  truncated sg lists: %lu (%lu scatterlist entries and %lu DMA segments "
		"not recorded)\n", t->truncated_sg, t->truncated_phys, t->truncated_dma);
	fprintf(out, "  lost events reported by the trace: %lu (in %lu places)%s\n", t->lost_events,
		t->lost_reports, t->lost_events ? ": an unmatched unmap may be a dropped map" : "");
	fprintf(out, "  left mapped at the end of the trace: %" PRIu64 "\n", r->left_mapped);
	fprintf(out, "  relocated trace pages: %" PRIu64 ", outside RAM: %" PRIu64
		", ranges cut to their first contiguous piece: %" PRIu64 "\n", r->reloc_pages,
		r->outside_ram, r->reloc_split);
	fprintf(out, "  timestamps going back: %lu (replayed in file order)\n", t->ts_backwards);
	if (t->no_final_newline)
		fprintf(out, "  the last line has no newline: the file was probably cut\n");
	for (i = 0; i < t->nr_unknown_names; i++)
		fprintf(out, "  unknown event: %s\n", t->unknown_names[i]);
	for (i = 0; i < t->nr_errors; i++)
		fprintf(out, "  malformed: %s:%lu: %s\n", r->trace, t->errors[i].line,
			t->errors[i].msg);
	if (t->malformed > t->nr_errors)
		fprintf(out, "  malformed: %lu more (every one was printed on stderr)\n",
			t->malformed - t->nr_errors);
}

/**
 * sim_report_text - the report as text tables
 * @out: where to write it
 * @st: the run's statistics
 */
void sim_report_text(FILE *out, const struct sim_stats *st)
{
	unsigned int i, j, k;

	fprintf(out, "iommudma-sim report (%s", st->mode);
	if (!st->replay.trace[0])
		fprintf(out, ", seed %lu", st->seed);
	fprintf(out, ")\n== system ==\n  PAGE_SIZE %lu, RAM %" PRIu64 " MiB:", st->page_size,
		st->ram_size >> 20);
	for (i = 0; i < st->ram_nr_banks; i++)
		fprintf(out, "%s %" PRIu64 " MiB at %#" PRIx64, i ? "," : "",
			st->ram_banks[i].size >> 20, st->ram_banks[i].base);
	fputc('\n', out);
	if (st->cma_size)
		fprintf(out, "  CMA default area %" PRIu64 " MiB at %#" PRIx64 "\n",
			st->cma_size >> 20, st->cma_base);
	for (i = 0; i < st->nr_iommus; i++) {
		const struct sim_iommu_stats *m = &st->iommus[i];

		fprintf(out, "  iommu %-8s granule %" PRIu64 "K, IAS %u, OAS %u, IOTLB %u, %s\n",
			m->name, m->granule >> 10, m->ias_bits, m->oas_bits, m->iotlb_entries,
			m->strict ? "strict" : "non-strict");
	}
	for (i = 0; i < st->nr_devs; i++) {
		const struct sim_dev_stats *d = &st->devs[i];

		fprintf(out, "  device %-14s %-8s %s, %u-bit mask, %s", d->name,
			d->iommu[0] ? d->iommu : "(none)",
			d->uses_iommu ? "IOMMU DMA ops" : "direct DMA", d->dma_mask_bits,
			d->coherent ? "coherent" : "non-coherent");
		if (d->pci && d->host_bridge_iommu[0])
			fprintf(out, ", PCI: host bridge behind %s, yet default DMA ops (arm64 of "
				"2015 gives PCI devices no IOMMU DMA ops)", d->host_bridge_iommu);
		else if (d->pci)
			fprintf(out, ", PCI");
		fputc('\n', out);
	}

	fprintf(out, "\n== operations ==\n  %-24s %10s %8s %14s %12s\n", "kind", "count", "failed",
		"bytes", "avg ns");
	for (i = 0; i < SIM_OP_NR; i++) {
		const struct sim_op_stats *o = &st->ops[i];

		if (!o->count)
			continue;
		fprintf(out, "  %-24s %10" PRIu64 " %8" PRIu64 " %14" PRIu64 " %12" PRIu64 "\n",
			sim_op_name(i), o->count, o->failed, o->bytes, o->ns / o->count);
	}
	fprintf(out, "  total %" PRIu64 "; data errors %" PRIu64 "\n", st->ops_total,
		st->data_errors);

	fprintf(out, "\n== live mappings ==\n  peak %" PRIu64 " mappings, %" PRIu64
		" bytes; at the end %" PRIu64 "\n", st->peak_mappings, st->peak_bytes,
		st->live_mappings);
	for (i = 0; i < st->nr_devs; i++)
		fprintf(out, "  %-14s peak %6" PRIu64 " mappings %12" PRIu64 " bytes\n",
			st->devs[i].name, st->devs[i].peak_mappings, st->devs[i].peak_bytes);

	fprintf(out, "\n== mapping sizes ==\n");
	for (i = 0; i < SIM_HIST_SLOTS; i++)
		if (st->hist[i])
			fprintf(out, "  <= %12llu bytes: %" PRIu64 "\n", 1ull << i, st->hist[i]);

	fprintf(out, "\n== IOVA space ==\n");
	for (i = 0; i < st->nr_devs; i++) {
		const struct sim_dev_stats *d = &st->devs[i];
		unsigned long min_largest = ~0ul, max_ranges = 0, largest, free_pfns, span, ranges;

		if (!d->nr_samples)
			continue;
		for (j = 0; j < d->nr_samples; j++) {
			if (d->samples[j].largest_free_pfns < min_largest)
				min_largest = d->samples[j].largest_free_pfns;
			if (d->samples[j].nr_ranges > max_ranges)
				max_ranges = d->samples[j].nr_ranges;
		}
		ranges = last_ranges(d, &largest, &free_pfns, &span);
		fprintf(out, "  %-14s %u samples; at the end %lu of %lu pfns free, largest free "
			"range %lu, %lu ranges; worst: largest free %lu, %lu ranges\n", d->name,
			d->nr_samples, free_pfns, span, largest, ranges, min_largest, max_ranges);
	}

	fprintf(out, "\n== IOMMU ==\n  %-8s %10s %12s %10s %10s %12s %10s %8s\n", "name", "tables",
		"table bytes", "iotlb hit", "iotlb miss", "invalidates", "walks", "faults");
	for (i = 0; i < st->nr_iommus; i++) {
		const struct sim_iommu_stats *m = &st->iommus[i];

		fprintf(out, "  %-8s %10lu %12" PRIu64 " %10lu %10lu %12lu %10lu %8lu\n", m->name,
			m->tables_peak, m->table_bytes_peak, m->iotlb_hits, m->iotlb_misses,
			m->iotlb_invalidations, m->walks, m->faults);
	}
	fprintf(out, "  (tables: most page-table pages alive at once)\n");
	for (i = 0; i < st->nr_iommus; i++)
		if (st->iommus[i].iotlb_stale_hits)
			fprintf(out, "  %s: %lu accesses used a stale IOTLB entry (non-strict: unmaps "
				"did not invalidate)\n", st->iommus[i].name,
				st->iommus[i].iotlb_stale_hits);

	fprintf(out, "\n== cache maintenance ==\n  %-14s %14s %16s %12s %12s\n", "device",
		"lines cleaned", "lines invalidated", "stale reads", "lost writes");
	for (i = 0; i < st->nr_devs; i++) {
		const struct sim_dev_stats *d = &st->devs[i];

		fprintf(out, "  %-14s %14" PRIu64 " %16" PRIu64 " %12" PRIu64 " %12" PRIu64 "\n",
			d->name, d->lines_cleaned, d->lines_invalidated, d->stale_reads,
			d->lost_writes);
	}

	if (st->replay.trace[0])
		text_replay(out, &st->replay);

	fprintf(out, "\n== dma-debug findings ==\n");
	if (!st->debug_total)
		fprintf(out, "  none\n");
	for (k = 0; k < st->debug_nr_kinds; k++)
		if (st->debug_counts[k])
			fprintf(out, "  %-28s %lu\n", st->debug_kind_names[k], st->debug_counts[k]);
	if (st->debug_last[0])
		fprintf(out, "  last: %s", st->debug_last);
	fprintf(out, "\n== end ==\n  library WARNs %lu; live simulated objects after teardown %ld%s%s\n",
		st->warnings, st->live_at_exit, st->live_at_exit ? ": " : "",
		st->live_at_exit ? st->live_report : "");
}

/* ---- JSON ---- */

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void json_replay(FILE *out, const struct sim_replay_stats *r)
{
	const struct iosim_trace_stats *t = &r->reader;
	unsigned int i;
	bool first = true;

	fprintf(out, ",\n  \"replay\": {\"trace\": ");
	json_str(out, r->trace);
	fprintf(out, ", \"lines\": %lu, \"events\": %lu, \"old_names\": %lu, \"not_events\": %lu, "
		"\"unknown\": %lu, \"malformed\": %lu,\n    \"by_kind\": {", t->lines, t->events,
		t->old_names, t->not_events, t->unknown, t->malformed);
	for (i = 0; i < IOSIM_TRACE_NR_KINDS; i++) {
		if (!t->by_kind[i])
			continue;
		fprintf(out, "%s\"%s\": %lu", first ? "" : ", ", iosim_trace_kind_name(i),
			t->by_kind[i]);
		first = false;
	}
	fprintf(out, "},\n    \"replayed\": %" PRIu64 ", \"failed_in_trace\": %" PRIu64
		", \"failed_in_simulation\": %" PRIu64 ", \"zero_size_mappings\": %" PRIu64
		", \"mmio_mappings\": %" PRIu64 ", \"ignored_attributes\": %" PRIu64
		",\n    \"unmatched_midrun\": %" PRIu64
		", \"unmatched_driver_bug\": %" PRIu64 ", \"driver_bugs_replayed\": %" PRIu64
		",\n    \"truncated_sg\": %lu, "
		"\"truncated_entries\": %lu, \"truncated_segments\": %lu, \"lost_events\": %lu, "
		"\"left_mapped\": %" PRIu64 ", \"relocated_pages\": %" PRIu64
		", \"outside_ram\": %" PRIu64 ", \"reloc_split\": %" PRIu64
		", \"timestamps_backwards\": %lu, \"no_final_newline\": %s,\n    \"driver_bugs\": [",
		r->replayed, r->failed_in_trace, r->failed_here, r->zero_size, r->mmio,
		r->attrs_ignored, r->unmatched_midrun,
		r->unmatched_bug, r->bugs_replayed, t->truncated_sg, t->truncated_phys, t->truncated_dma,
		t->lost_events, r->left_mapped, r->reloc_pages, r->outside_ram, r->reloc_split,
		t->ts_backwards, t->no_final_newline ? "true" : "false");
	for (i = 0; i < r->nr_bugs; i++) {
		fprintf(out, "%s", i ? ", " : "");
		json_str(out, r->bugs[i]);
	}
	fprintf(out, "],\n    \"unknown_names\": [");
	for (i = 0; i < t->nr_unknown_names; i++) {
		fprintf(out, "%s", i ? ", " : "");
		json_str(out, t->unknown_names[i]);
	}
	fprintf(out, "],\n    \"errors\": [");
	for (i = 0; i < t->nr_errors; i++) {
		fprintf(out, "%s{\"line\": %lu, \"message\": ", i ? ", " : "", t->errors[i].line);
		json_str(out, t->errors[i].msg);
		fputc('}', out);
	}
	fprintf(out, "]}");
}

/**
 * sim_report_json - the report as one JSON object (schema iommudma-sim-report/1)
 * @out: where to write it
 * @st: the run's statistics
 */
void sim_report_json(FILE *out, const struct sim_stats *st)
{
	unsigned int i, j, k;
	bool first = true;

	fprintf(out, "{\n  \"schema\": \"iommudma-sim-report/1\",\n  \"mode\": \"%s\", "
		"\"seed\": %lu,\n  \"system\": {\"page_size\": %lu, \"ram\": {\"base\": %" PRIu64
		", \"size\": %" PRIu64 ", \"banks\": [", st->mode, st->seed, st->page_size,
		st->ram_base, st->ram_size);
	for (i = 0; i < st->ram_nr_banks; i++)
		fprintf(out, "%s{\"base\": %" PRIu64 ", \"size\": %" PRIu64 "}", i ? ", " : "",
			st->ram_banks[i].base, st->ram_banks[i].size);
	fprintf(out, "]},\n    \"cma\": ");
	if (st->cma_size)
		fprintf(out, "{\"base\": %" PRIu64 ", \"size\": %" PRIu64 "}", st->cma_base,
			st->cma_size);
	else
		fprintf(out, "null");
	fprintf(out, ",\n    \"iommus\": [");
	for (i = 0; i < st->nr_iommus; i++) {
		const struct sim_iommu_stats *m = &st->iommus[i];

		fprintf(out, "%s{\"name\": ", i ? ", " : "");
		json_str(out, m->name);
		fprintf(out, ", \"granule\": %" PRIu64 ", \"ias_bits\": %u, \"oas_bits\": %u, "
			"\"iotlb_entries\": %u, \"strict\": %s}", m->granule, m->ias_bits,
			m->oas_bits, m->iotlb_entries, m->strict ? "true" : "false");
	}
	fprintf(out, "],\n    \"devices\": [");
	for (i = 0; i < st->nr_devs; i++) {
		const struct sim_dev_stats *d = &st->devs[i];

		fprintf(out, "%s\n      {\"name\": ", i ? "," : "");
		json_str(out, d->name);
		fprintf(out, ", \"iommu\": ");
		if (d->iommu[0])
			json_str(out, d->iommu);
		else
			fprintf(out, "null");
		fprintf(out, ", \"bus\": \"%s\"", d->pci ? "pci" : "platform");
		if (d->pci) {
			fprintf(out, ", \"host_bridge_iommu\": ");
			if (d->host_bridge_iommu[0])
				json_str(out, d->host_bridge_iommu);
			else
				fprintf(out, "null");
		}
		fprintf(out, ", \"uses_iommu\": %s, \"coherent\": %s, \"dma_mask_bits\": %u}",
			d->uses_iommu ? "true" : "false", d->coherent ? "true" : "false",
			d->dma_mask_bits);
	}
	fprintf(out, "]},\n  \"operations\": {");
	for (i = 0; i < SIM_OP_NR; i++) {
		const struct sim_op_stats *o = &st->ops[i];

		if (!o->count)
			continue;
		fprintf(out, "%s\n    \"%s\": {\"count\": %" PRIu64 ", \"failed\": %" PRIu64
			", \"bytes\": %" PRIu64 ", \"ns\": %" PRIu64 "}", first ? "" : ",",
			sim_op_name(i), o->count, o->failed, o->bytes, o->ns);
		first = false;
	}
	fprintf(out, "},\n  \"operations_total\": %" PRIu64 ", \"data_errors\": %" PRIu64 ",\n",
		st->ops_total, st->data_errors);
	fprintf(out, "  \"peak\": {\"live_mappings\": %" PRIu64 ", \"live_bytes\": %" PRIu64
		"}, \"live_mappings_at_end\": %" PRIu64 ",\n  \"mapping_sizes\": [", st->peak_mappings,
		st->peak_bytes, st->live_mappings);
	first = true;
	for (i = 0; i < SIM_HIST_SLOTS; i++) {
		if (!st->hist[i])
			continue;
		fprintf(out, "%s{\"max_bytes\": %llu, \"count\": %" PRIu64 "}", first ? "" : ", ",
			1ull << i, st->hist[i]);
		first = false;
	}
	fprintf(out, "],\n  \"devices\": [");
	for (i = 0; i < st->nr_devs; i++) {
		const struct sim_dev_stats *d = &st->devs[i];

		fprintf(out, "%s\n    {\"name\": ", i ? "," : "");
		json_str(out, d->name);
		fprintf(out, ", \"peak_mappings\": %" PRIu64 ", \"peak_bytes\": %" PRIu64
			", \"cache\": {\"lines_cleaned\": %" PRIu64 ", \"lines_invalidated\": %" PRIu64
			", \"stale_reads\": %" PRIu64 ", \"lost_writes\": %" PRIu64 "},\n"
			"     \"iova_samples\": [", d->peak_mappings, d->peak_bytes, d->lines_cleaned,
			d->lines_invalidated, d->stale_reads, d->lost_writes);
		for (j = 0; j < d->nr_samples; j++) {
			const struct sim_iova_sample *s = &d->samples[j];

			fprintf(out, "%s{\"op\": %" PRIu64 ", \"span_pfns\": %lu, \"free_pfns\": %lu, "
				"\"largest_free_pfns\": %lu, \"nr_ranges\": %lu}", j ? ", " : "",
				s->op, s->span_pfns, s->free_pfns, s->largest_free_pfns,
				s->nr_ranges);
		}
		fprintf(out, "]}");
	}
	fprintf(out, "],\n  \"iommus\": [");
	for (i = 0; i < st->nr_iommus; i++) {
		const struct sim_iommu_stats *m = &st->iommus[i];

		fprintf(out, "%s\n    {\"name\": ", i ? "," : "");
		json_str(out, m->name);
		fprintf(out, ", \"page_table_pages_peak\": %lu, \"page_table_bytes_peak\": %" PRIu64
			", \"map_calls\": %lu, \"unmap_calls\": %lu, \"iotlb_hits\": %lu, "
			"\"iotlb_misses\": %lu, \"iotlb_invalidations\": %lu, "
			"\"iotlb_stale_hits\": %lu, \"walks\": %lu, \"faults\": %lu}", m->tables_peak,
			m->table_bytes_peak, m->map_calls, m->unmap_calls, m->iotlb_hits,
			m->iotlb_misses, m->iotlb_invalidations, m->iotlb_stale_hits, m->walks,
			m->faults);
	}
	fprintf(out, "]");
	if (st->replay.trace[0])
		json_replay(out, &st->replay);
	fprintf(out, ",\n  \"dma_debug\": {\"linked\": true, \"total\": %lu, \"findings\": {",
		st->debug_total);
	for (k = 0, first = true; k < st->debug_nr_kinds; k++) {
		if (!st->debug_counts[k])
			continue;
		fprintf(out, "%s\"%s\": %lu", first ? "" : ", ", st->debug_kind_names[k],
			st->debug_counts[k]);
		first = false;
	}
	fprintf(out, "}},\n");
	fprintf(out, "  \"warnings\": %lu, \"live_objects_at_exit\": %ld\n}\n", st->warnings,
		st->live_at_exit);
}
