// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DMA-API debugging: reports.  The kernel's err_printk() WARNs with
 * "<driver> <device>: DMA-API: ..."; here a report is printed with pr_err()
 * in the same wording, followed by where the DMA API call came from and
 * where the entry concerned was made (the kernel's "Mapped at:" trace), and
 * counted per kind.  The driver filter keeps other devices quiet (they still
 * count in error_count, as the kernel's).  In fatal mode a report is also a
 * WARN.  Running out of entries is no err_printk() in the kernel but a plain
 * pr_err(): dbg_report_plain() counts it per kind, and nothing else.
 */
#include <linux/kernel.h>
#include <linux/device.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dma-debug-internal.h"

static const char *const kind_names[IOSIM_DMA_DEBUG_NR_KINDS] = {
	[IOSIM_DMA_DEBUG_FREE_INVALID_ADDR] = "free_invalid_addr",
	[IOSIM_DMA_DEBUG_FREE_NOT_ALLOCATED] = "free_not_allocated",
	[IOSIM_DMA_DEBUG_FREE_WRONG_SIZE] = "free_wrong_size",
	[IOSIM_DMA_DEBUG_FREE_WRONG_FUNCTION] = "free_wrong_function",
	[IOSIM_DMA_DEBUG_FREE_WRONG_CPU_ADDR] = "free_wrong_cpu_addr",
	[IOSIM_DMA_DEBUG_FREE_SG_WRONG_NENTS] = "free_sg_wrong_nents",
	[IOSIM_DMA_DEBUG_FREE_WRONG_DIRECTION] = "free_wrong_direction",
	[IOSIM_DMA_DEBUG_MAP_ERROR_NOT_CHECKED] = "map_error_not_checked",
	[IOSIM_DMA_DEBUG_SYNC_NOT_ALLOCATED] = "sync_not_allocated",
	[IOSIM_DMA_DEBUG_SYNC_OUT_OF_RANGE] = "sync_out_of_range",
	[IOSIM_DMA_DEBUG_SYNC_WRONG_DIRECTION] = "sync_wrong_direction",
	[IOSIM_DMA_DEBUG_SYNC_READ_ONLY_FOR_CPU] = "sync_read_only_for_cpu",
	[IOSIM_DMA_DEBUG_SYNC_WRITE_ONLY_TO_DEVICE] = "sync_write_only_to_device",
	[IOSIM_DMA_DEBUG_SYNC_SG_WRONG_NENTS] = "sync_sg_wrong_nents",
	[IOSIM_DMA_DEBUG_SG_SEGMENT_TOO_LONG] = "sg_segment_too_long",
	[IOSIM_DMA_DEBUG_SG_SEGMENT_BOUNDARY] = "sg_segment_boundary",
	[IOSIM_DMA_DEBUG_CACHELINE_OVERLAP] = "cacheline_overlap",
	[IOSIM_DMA_DEBUG_NOT_RAM] = "not_ram",
	[IOSIM_DMA_DEBUG_VMALLOC] = "vmalloc",
	[IOSIM_DMA_DEBUG_STACK] = "stack",
	[IOSIM_DMA_DEBUG_TEXT_OR_RODATA] = "text_or_rodata",
	[IOSIM_DMA_DEBUG_PENDING_ON_TEARDOWN] = "pending_on_teardown",
	[IOSIM_DMA_DEBUG_OUT_OF_ENTRIES] = "out_of_entries",
	[IOSIM_DMA_DEBUG_DEVICE_NO_MAPPING] = "device_no_mapping",
	[IOSIM_DMA_DEBUG_DEVICE_WRITE_TO_DEVICE] = "device_write_to_device",
	[IOSIM_DMA_DEBUG_DEVICE_READ_FROM_DEVICE] = "device_read_from_device",
	[IOSIM_DMA_DEBUG_DEVICE_CPU_OWNED] = "device_cpu_owned",
	[IOSIM_DMA_DEBUG_CPU_WRITE_DEVICE_OWNED] = "cpu_write_device_owned",
};

/**
 * iosim_dma_debug_kind_name - see <iosim/dma_debug.h>.
 * @kind: a report kind
 *
 * Context: any.
 * Return: the name; "invalid" for a value out of range.
 */
const char *iosim_dma_debug_kind_name(enum iosim_dma_debug_kind kind)
{
	if ((unsigned int)kind >= IOSIM_DMA_DEBUG_NR_KINDS)
		return "invalid";
	return kind_names[kind];
}

/**
 * dbg_driver_string - the kernel's dev_driver_string(): the driver's name,
 * else the bus's ("NULL" for no device, as err_printk()).
 * @dev: the device, or NULL
 *
 * Context: any.
 */
const char *dbg_driver_string(const struct device *dev)
{
	if (!dev)
		return "NULL";
	if (dev->driver && dev->driver->name)
		return dev->driver->name;
	if (dev->bus && dev->bus->name)
		return dev->bus->name;
	return "";
}

/* The kernel's driver_filter(): true if reports about @dev are shown. */
static bool dbg_filter_passes(const struct device *dev)
{
	if (!dbg.filter[0])
		return true;
	if (!dev)
		return false;
	if (dev->driver && dev->driver->name && !strcmp(dev->driver->name, dbg.filter))
		return true;
	return !strcmp(dev_name(dev), dbg.filter);
}

/*
 * Count @kind and keep it as the last report: @text (a trailing newline
 * dropped), the call site of the DMA API call in progress unless
 * @device_side, where @entry was made.  Context: dbg_lock held.
 */
static void dbg_record(enum iosim_dma_debug_kind kind, struct device *dev,
		       const struct dma_debug_entry *entry, dma_addr_t addr, u64 size,
		       bool device_side, const char *text)
{
	struct iosim_dma_debug_report *r = &dbg.last;
	size_t len;

	dbg.counts[kind]++;
	dbg.total++;
	dbg.have_last = true;
	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->dev = dev;
	snprintf(r->dev_name, sizeof(r->dev_name), "%s", dev ? dev_name(dev) : "NULL");
	r->dma_addr = addr;
	r->size = size;
	if (!device_side)
		iosim_dma_debug_site_get(&r->file, &r->line);
	if (entry) {
		r->map_file = entry->file;
		r->map_line = entry->line;
	}
	snprintf(r->message, sizeof(r->message), "%s", text);
	len = strlen(r->message);
	if (len && r->message[len - 1] == '\n')
		r->message[len - 1] = '\0';
}

/**
 * dbg_report - count, keep and print one report (the kernel's err_printk())
 * @kind: what was found
 * @dev: the device (may be NULL)
 * @entry: the entry concerned, or NULL
 * @addr: the DMA address the report is about
 * @size: and the size
 * @device_side: found by the bus master or the cache model (no DMA API call
 *	in progress: the thread's call-site record is not this report's)
 * @fmt: the kernel's wording, "DMA-API: ..." ending with a newline
 *
 * Context: dbg_lock held.
 */
void dbg_report(enum iosim_dma_debug_kind kind, struct device *dev,
		const struct dma_debug_entry *entry, dma_addr_t addr, u64 size,
		bool device_side, const char *fmt, ...)
{
	struct iosim_dma_debug_report *r = &dbg.last;
	char text[IOSIM_DMA_DEBUG_MSG_LEN];
	va_list ap;

	dbg.error_count++;
	if (!dbg_filter_passes(dev))
		return;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	dbg_record(kind, dev, entry, addr, size, device_side, text);

	pr_err("%s %s: %s\n", dbg_driver_string(dev), r->dev_name, r->message);
	if (r->file)
		pr_err("DMA-API: called from %s:%d\n", r->file, r->line);
	if (entry && entry->file)
		pr_err("Mapped at: %s:%d\n", entry->file, entry->line);
	WARN(dbg.fatal, "%s %s: %s", dbg_driver_string(dev), r->dev_name, r->message);
}

/**
 * dbg_report_plain - count and keep a report the kernel prints with a plain
 * pr_err(), not err_printk(): no device prefix, not in error_count, never
 * filtered, no call-site lines, never a WARN (not even in fatal mode).
 * @kind: what happened (IOSIM_DMA_DEBUG_OUT_OF_ENTRIES)
 * @text: the kernel's line, "DMA-API: ..." ending with a newline
 *
 * Context: dbg_lock held.
 */
void dbg_report_plain(enum iosim_dma_debug_kind kind, const char *text)
{
	dbg_record(kind, NULL, NULL, 0, 0, false, text);
	pr_err("%s\n", dbg.last.message);
}

/**
 * dbg_reports_clear - forget counts and the last report.
 *
 * Context: dbg_lock held.
 */
void dbg_reports_clear(void)
{
	memset(dbg.counts, 0, sizeof(dbg.counts));
	dbg.total = 0;
	dbg.error_count = 0;
	dbg.have_last = false;
}

/**
 * iosim_dma_debug_count - see <iosim/dma_debug.h>.
 * @kind: the kind
 *
 * Context: any.
 * Return: reports of @kind since the last clear; 0 for a bad kind.
 */
unsigned long iosim_dma_debug_count(enum iosim_dma_debug_kind kind)
{
	unsigned long n;

	if ((unsigned int)kind >= IOSIM_DMA_DEBUG_NR_KINDS)
		return 0;
	pthread_mutex_lock(&dbg_lock);
	n = dbg.counts[kind];
	pthread_mutex_unlock(&dbg_lock);
	return n;
}

/**
 * iosim_dma_debug_total - see <iosim/dma_debug.h>.
 *
 * Context: any.
 * Return: reports of all kinds since the last clear.
 */
unsigned long iosim_dma_debug_total(void)
{
	unsigned long n;

	pthread_mutex_lock(&dbg_lock);
	n = dbg.total;
	pthread_mutex_unlock(&dbg_lock);
	return n;
}

/**
 * iosim_dma_debug_error_count - see <iosim/dma_debug.h>.
 *
 * Context: any.
 * Return: every error found since the last clear, filtered ones included.
 */
unsigned long iosim_dma_debug_error_count(void)
{
	unsigned long n;

	pthread_mutex_lock(&dbg_lock);
	n = dbg.error_count;
	pthread_mutex_unlock(&dbg_lock);
	return n;
}

/**
 * iosim_dma_debug_last - see <iosim/dma_debug.h>.
 * @out: where to copy the report
 *
 * Context: any.
 * Return: false, @out untouched, if nothing was reported since the clear.
 */
bool iosim_dma_debug_last(struct iosim_dma_debug_report *out)
{
	bool have;

	pthread_mutex_lock(&dbg_lock);
	have = dbg.have_last;
	if (have)
		*out = dbg.last;
	pthread_mutex_unlock(&dbg_lock);
	return have;
}

/**
 * iosim_dma_debug_clear - see <iosim/dma_debug.h>.
 *
 * Context: any.
 */
void iosim_dma_debug_clear(void)
{
	pthread_mutex_lock(&dbg_lock);
	dbg_reports_clear();
	pthread_mutex_unlock(&dbg_lock);
}
