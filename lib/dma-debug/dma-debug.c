// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * DMA-API debugging: global state, the call-site record, initialisation and
 * the entry pool's size (dma_debug_init, dma_debug_resize_entries), the
 * switches of <iosim/dma_debug.h>, and the not-DMA-able checks of
 * dma_map_single's CPU pointer (stack, program text or read-only data,
 * vmalloc, not RAM).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/dma-mapping.h>
#include <iosim/ram.h>

#include <link.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "dma-debug-internal.h"

struct dbg_state dbg = {
	.user_enabled = true,
	.free_entries = LIST_HEAD_INIT(dbg.free_entries),
};
pthread_mutex_t dbg_lock = PTHREAD_MUTEX_INITIALIZER;

const char *const dbg_type_name[4] = { "single", "page", "scather-gather", "coherent" };
const char *const dbg_dir_name[4] = { "DMA_BIDIRECTIONAL", "DMA_TO_DEVICE",
				      "DMA_FROM_DEVICE", "DMA_NONE" };

static _Thread_local const char *site_file;
static _Thread_local int site_line;

/**
 * iosim_dma_debug_site - record the driver's call site of the DMA API call
 * in progress (the generic API calls it through a macro).
 * @file: source file (a string literal: kept by pointer)
 * @line: line
 *
 * Context: any; per thread.
 */
void iosim_dma_debug_site(const char *file, int line)
{
	site_file = file;
	site_line = line;
}

/**
 * iosim_dma_debug_site_get - read the call site recorded by this thread.
 * @file: out: the file, NULL if none was recorded
 * @line: out: the line
 *
 * Context: any; per thread.
 */
void iosim_dma_debug_site_get(const char **file, int *line)
{
	*file = site_file;
	*line = site_line;
}

/* Set up the pool at first use, as if the arch had called dma_debug_init(). */
static void dbg_lazy_init_locked(void)
{
	if (dbg.initialized)
		return;
	dbg.nr_total_entries = DBG_DEFAULT_ENTRIES;
	dbg.initialized = true;
}

/**
 * dbg_active_locked - are the hooks tracking and checking now?
 *
 * Context: dbg_lock held.
 * Return: true unless switched off or disabled by the pool running out.
 */
bool dbg_active_locked(void)
{
	dbg_lazy_init_locked();
	return dbg.user_enabled && !dbg.global_disable;
}

/**
 * dbg_ops_mapping_error - the second half of dma_mapping_error(): what the
 * ops answer.  Callers standing for the kernel's dma_mapping_error() call
 * dbg_mark_checked() first, as arm64's dma_mapping_error() calls
 * debug_dma_mapping_error() before ops->mapping_error().
 * @dev: the device
 * @dma_addr: handle
 *
 * Context: dbg_lock NOT held (the ops may do anything).
 * Return: true if @dma_addr is the ops' error value.
 */
bool dbg_ops_mapping_error(struct device *dev, dma_addr_t dma_addr)
{
	struct dma_map_ops *ops = get_dma_ops(dev);

	if (ops && ops->mapping_error)
		return ops->mapping_error(dev, dma_addr);
	return dma_addr == DMA_ERROR_CODE;
}

/**
 * dma_debug_init - set the size of the entry pool and start debugging
 * @num_entries: how many entries may be live at once (the kernel's
 *	preallocation; 0 keeps the current size, never below the entries in use)
 *
 * Without a call the pool is DBG_DEFAULT_ENTRIES (4096, arm64's) at first use.
 * Entries are calloc'd on demand up to the limit and recycled.  Logs the
 * kernel's two lines, "preallocated N debug entries" with the limit now in
 * force, and "debugging enabled by kernel config".
 *
 * Context: any.
 */
void dma_debug_init(u32 num_entries)
{
	u32 limit;

	pthread_mutex_lock(&dbg_lock);
	dbg_lazy_init_locked();
	if (num_entries)
		dbg.nr_total_entries = max(num_entries, dbg.nr_in_use);
	limit = dbg.nr_total_entries;
	pthread_mutex_unlock(&dbg_lock);
	pr_info("DMA-API: preallocated %u debug entries\n", limit);
	pr_info("DMA-API: debugging enabled by kernel config\n");
}

/**
 * dma_debug_resize_entries - change how many entries may be live at once
 * @num_entries: the new limit
 *
 * Shrinking frees surplus recycled entries; it cannot go below the entries
 * in use (as the kernel, which only frees free entries).
 *
 * Context: any.
 * Return: 0 if the limit is now @num_entries; 1 if it stays above (entries
 * in use).
 */
int dma_debug_resize_entries(u32 num_entries)
{
	struct dma_debug_entry *entry, *next;
	int ret;

	pthread_mutex_lock(&dbg_lock);
	dbg_lazy_init_locked();
	dbg.nr_total_entries = max(num_entries, dbg.nr_in_use);
	list_for_each_entry_safe(entry, next, &dbg.free_entries, dev_node) {
		if (dbg.nr_allocated <= dbg.nr_total_entries)
			break;
		list_del(&entry->dev_node);
		free(entry);
		dbg.nr_allocated--;
		dbg.num_free_entries--;
	}
	ret = dbg.nr_total_entries != num_entries;
	pthread_mutex_unlock(&dbg_lock);
	return ret;
}

/**
 * iosim_dma_debug_set_enabled - see <iosim/dma_debug.h>.
 * @on: track and check (true) or not
 *
 * Context: any.
 */
void iosim_dma_debug_set_enabled(bool on)
{
	pthread_mutex_lock(&dbg_lock);
	dbg.user_enabled = on;
	pthread_mutex_unlock(&dbg_lock);
}

/**
 * iosim_dma_debug_enabled - see <iosim/dma_debug.h>.
 *
 * Context: any.
 * Return: true while the hooks track and check.
 */
bool iosim_dma_debug_enabled(void)
{
	bool on;

	pthread_mutex_lock(&dbg_lock);
	on = dbg_active_locked();
	pthread_mutex_unlock(&dbg_lock);
	return on;
}

/**
 * iosim_dma_debug_set_fatal - see <iosim/dma_debug.h>.
 * @fatal: every report is also a WARN
 *
 * Context: any.
 */
void iosim_dma_debug_set_fatal(bool fatal)
{
	pthread_mutex_lock(&dbg_lock);
	dbg.fatal = fatal;
	pthread_mutex_unlock(&dbg_lock);
}

/**
 * iosim_dma_debug_set_driver_filter - see <iosim/dma_debug.h>.
 * @name: driver or device name; NULL or "" for no filter
 *
 * Context: any.
 * Return: 0; -EINVAL if @name is too long (filter unchanged).
 */
int iosim_dma_debug_set_driver_filter(const char *name)
{
	if (name && strlen(name) >= IOSIM_DMA_DEBUG_NAME_LEN)
		return -EINVAL;
	pthread_mutex_lock(&dbg_lock);
	if (name && name[0]) {
		strcpy(dbg.filter, name);
		pr_info("DMA-API: enable driver filter for driver [%s]\n", name);
	} else {
		if (dbg.filter[0])
			pr_info("DMA-API: switching off dma-debug driver filter\n");
		dbg.filter[0] = '\0';
	}
	pthread_mutex_unlock(&dbg_lock);
	return 0;
}

/**
 * iosim_dma_debug_reset - see <iosim/dma_debug.h>.
 *
 * Context: no hook may run concurrently.
 */
void iosim_dma_debug_reset(void)
{
	pthread_mutex_lock(&dbg_lock);
	dbg_drop_all();
	dbg.initialized = false;
	dbg.user_enabled = true;
	dbg.global_disable = false;
	dbg.fatal = false;
	dbg.overlap_warned = false;
	dbg.filter[0] = '\0';
	dbg.next_seq = 0;
	dbg_reports_clear();
	pthread_mutex_unlock(&dbg_lock);
}

/*
 * The calling thread's stack, looked up once per thread: for the main thread
 * glibc answers pthread_getattr_np() by parsing /proc/self/maps, far too slow
 * for every dma_map_single().
 */
static _Thread_local uintptr_t stack_lo, stack_len;
static _Thread_local bool stack_known;

/* Is @ptr inside the calling thread's stack? */
static bool dbg_on_stack(const void *ptr)
{
	pthread_attr_t attr;
	void *stack_addr;
	size_t stack_size;

	if (!stack_known) {
		if (pthread_getattr_np(pthread_self(), &attr))
			return false;
		if (!pthread_attr_getstack(&attr, &stack_addr, &stack_size)) {
			stack_lo = (uintptr_t)stack_addr;
			stack_len = stack_size;
			stack_known = true;
		}
		pthread_attr_destroy(&attr);
	}
	return stack_known && (uintptr_t)ptr - stack_lo < stack_len;
}

/*
 * The host program's text and read-only data, standing for the kernel's
 * _text.._etext and __start_rodata..__end_rodata: the main executable's
 * PT_LOAD segments without write permission (text, rodata, the ELF headers)
 * and its PT_GNU_RELRO range (const data holding pointers, which a PIE puts
 * in .data.rel.ro).  Found once with dl_iterate_phdr(), whose first object
 * is the program itself, loaded where it was (PIE or not, with or without a
 * sanitizer's runtime).
 */
#define DBG_IMAGE_RANGES	16

static struct { uintptr_t lo, hi; } image_ro[DBG_IMAGE_RANGES];
static unsigned int nr_image_ro;
static pthread_once_t image_ro_once = PTHREAD_ONCE_INIT;

static int dbg_image_phdr(struct dl_phdr_info *info, size_t size, void *data)
{
	unsigned int i;

	(void)size;
	(void)data;
	for (i = 0; i < info->dlpi_phnum && nr_image_ro < DBG_IMAGE_RANGES; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (!(ph->p_type == PT_LOAD && !(ph->p_flags & PF_W)) &&
		    ph->p_type != PT_GNU_RELRO)
			continue;
		image_ro[nr_image_ro].lo = info->dlpi_addr + ph->p_vaddr;
		image_ro[nr_image_ro].hi = image_ro[nr_image_ro].lo + ph->p_memsz;
		nr_image_ro++;
	}
	return 1;	/* the program only, not the shared objects after it */
}

static void dbg_image_find(void)
{
	dl_iterate_phdr(dbg_image_phdr, NULL);
}

/* As the kernel's overlap(): does [@a1, @a1 + @len) meet [@lo, @hi)? */
static bool dbg_overlaps(uintptr_t a1, size_t len, uintptr_t lo, uintptr_t hi)
{
	uintptr_t b1 = a1 + len;

	return !(b1 <= lo || a1 >= hi);
}

/*
 * Does [@ptr, @ptr + @len) meet the program's text or read-only data?
 * The ranges are found (pthread_once(&image_ro_once, dbg_image_find)) by the
 * caller before it takes dbg_lock: dl_iterate_phdr() takes the loader's lock.
 */
static bool dbg_in_text_or_rodata(const void *ptr, size_t len)
{
	unsigned int i;

	for (i = 0; i < nr_image_ro; i++)
		if (dbg_overlaps((uintptr_t)ptr, len, image_ro[i].lo, image_ro[i].hi))
			return true;
	return false;
}

/**
 * iosim_dma_debug_map_single - see <iosim/dma_debug.h>.
 * @dev: the device
 * @ptr: dma_map_single()'s CPU pointer
 * @size: its length
 *
 * The checks, in v4.1's order where it has them: the calling thread's stack
 * (check_for_stack), the program's text or read-only data
 * (check_for_illegal_area; host memory, which cannot be mapped either), a
 * vmalloc/vmap address, memory outside simulated RAM's linear map.  One
 * report at most.
 *
 * Context: any.
 * Return: true if the memory is DMA-able linear-map RAM (also when debugging
 * is off: then nothing is checked).
 */
bool iosim_dma_debug_map_single(struct device *dev, const void *ptr, size_t size)
{
	bool ok = true;

	pthread_once(&image_ro_once, dbg_image_find);
	pthread_mutex_lock(&dbg_lock);
	if (!dbg_active_locked())
		goto out_unlock;
	ok = false;
	if (dbg_on_stack(ptr))
		dbg_report(IOSIM_DMA_DEBUG_STACK, dev, NULL, 0, size, false,
			   "DMA-API: device driver maps memory from stack [addr=%p]\n", ptr);
	else if (dbg_in_text_or_rodata(ptr, size))
		dbg_report(IOSIM_DMA_DEBUG_TEXT_OR_RODATA, dev, NULL, 0, size, false,
			   "DMA-API: device driver maps memory from kernel text or rodata [addr=%p] [len=%lu]\n",
			   ptr, (unsigned long)size);
	else if (is_vmalloc_addr(ptr))
		dbg_report(IOSIM_DMA_DEBUG_VMALLOC, dev, NULL, 0, size, false,
			   "DMA-API: device driver maps memory from vmalloc area [addr=%p] [len=%zu]\n",
			   ptr, size);
	else if (!virt_addr_valid(ptr) ||
		 (size && !virt_addr_valid((const char *)ptr + size - 1)))
		dbg_report(IOSIM_DMA_DEBUG_NOT_RAM, dev, NULL, 0, size, false,
			   "DMA-API: device driver maps memory from invalid area [addr=%p] [len=%zu]\n",
			   ptr, size);
	else
		ok = true;
out_unlock:
	pthread_mutex_unlock(&dbg_lock);
	return ok;
}
