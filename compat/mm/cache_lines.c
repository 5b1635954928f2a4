// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The cache model's line state (docs/cache-model.md).
 *
 * RAM's CPU view is the linear map's memfd; "memory" is a second memfd of
 * the same size, created with RAM.  The model reads and writes the CPU view
 * through a window of its own (a second mapping of the linear map's memfd),
 * never through the linear map itself: the slab allocator marks redzones in
 * the linear map inaccessible to ASan and valgrind, and a cache line may
 * well span an object and its redzone.  The window aliases the same pages,
 * so what the model writes there is what the linear map shows; valgrind is
 * told that the linear map's accessible bytes of a refetched line are
 * defined.
 *
 * Lines are indexed by their offset in the memfd (a frame's index in
 * mem_map times PAGE_SIZE, plus the offset in the frame), not by physical
 * address, so RAM banks with holes between them cost nothing: a physical
 * range of RAM (one bank, or adjacent banks) is one range of offsets.
 *
 * Every line is present in the cache.  line_hash[i] is a hash of line i's
 * CPU view taken when it was last made clean (clean, invalidate, eviction);
 * the line is dirty iff the hash of its CPU view now differs.  The hash of
 * an all-zero line is 0, so the zeroed array describes fresh (zeroed) RAM.
 * A line whose CPU view was never written is a hole of the memfd: its hash
 * must still be 0, which is what the checker verifies.
 *
 * Locking: the line state of a page is protected by one of NR_STRIPES
 * mutexes chosen by page frame; walks take them page by page.  The
 * eviction PRNG has its own lock, taken inside a stripe.  Counters are
 * updated atomically, once per walk.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <iosim/cache.h>
#include <iosim/hooks.h>
#include <iosim/ram.h>
#include "cache_lines.h"
#include "iosim_mm.h"

#include <iosim/valgrind.h>
#include "compat_counter.h"

#define NR_STRIPES		64
#define EVICT_SCALE		1000000U
#define DEFAULT_LINE_SHIFT	6	/* ilog2(IOSIM_CACHE_DEFAULT_LINE_SIZE) */
#define DEFAULT_EVICT_STATE	0x9e3779b97f4a7c15ULL

static pthread_mutex_t stripes[NR_STRIPES];
static pthread_once_t stripes_once = PTHREAD_ONCE_INIT;

/* The line size the next RAM gets; the live RAM's is ram->line_shift. */
static unsigned int next_line_shift = DEFAULT_LINE_SHIFT;

/* Whether the next RAM gets the model; the live RAM has it iff mem_memfd >= 0. */
static bool next_enabled = IOSIM_CACHE_DEFAULT_ENABLED;

/* The eviction knob: per_million read atomically, the PRNG under evict_lock. */
static pthread_mutex_t evict_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int evict_per_million;
static u64 evict_state = DEFAULT_EVICT_STATE;

struct iosim_cache_counters iosim_cache_global;
_Thread_local struct device *iosim_cache_ctx;

static void stripes_init(void)
{
	unsigned int i;

	for (i = 0; i < NR_STRIPES; i++)
		pthread_mutex_init(&stripes[i], NULL);
}

/* --- settings ------------------------------------------------------------------ */

/**
 * iosim_cache_set_enabled - turn the model on or off for the next RAM (see <iosim/cache.h>)
 * @enabled: true for the model, false for "every master is coherent"
 *
 * Context: process context, no RAM.
 * Return: 0, or -EBUSY (RAM exists; nothing changed).
 */
int iosim_cache_set_enabled(bool enabled)
{
	if (iosim_ram_ready())
		return -EBUSY;
	next_enabled = enabled;
	return 0;
}

/**
 * iosim_cache_enabled - is the model on? (see <iosim/cache.h>)
 *
 * Context: any.
 * Return: for the live RAM if any, else for the next RAM.
 */
bool iosim_cache_enabled(void)
{
	return iosim_ram_ready() ? iosim_cache_lines_on() : next_enabled;
}

bool iosim_cache_lines_on(void)
{
	return iosim_ram_state.mem_memfd >= 0;
}

/**
 * iosim_cache_set_line_size - choose the line size of the next RAM (see <iosim/cache.h>)
 * @bytes: power of two, IOSIM_CACHE_MIN_LINE_SIZE..PAGE_SIZE
 *
 * Context: process context, no RAM.
 * Return: 0, -EBUSY (RAM exists) or -EINVAL; on error nothing changed.
 */
int iosim_cache_set_line_size(unsigned int bytes)
{
	if (iosim_ram_ready())
		return -EBUSY;
	if (!is_power_of_2(bytes) || bytes < IOSIM_CACHE_MIN_LINE_SIZE || bytes > PAGE_SIZE)
		return -EINVAL;
	next_line_shift = (unsigned int)ilog2(bytes);
	return 0;
}

/**
 * iosim_cache_line_size - the line size (see <iosim/cache.h>)
 *
 * Context: any.
 * Return: the live RAM's line size, else the next RAM's.
 */
unsigned int iosim_cache_line_size(void)
{
	return 1U << (iosim_ram_ready() ? iosim_ram_state.line_shift : next_line_shift);
}

/**
 * iosim_cache_set_eviction - the eviction knob (see <iosim/cache.h>)
 * @seed: PRNG seed (0 is replaced by a fixed non-zero value)
 * @per_million: chance per touched line, capped at 1000000; 0 is off
 *
 * Context: any thread.
 * Return: nothing.
 */
void iosim_cache_set_eviction(u64 seed, unsigned int per_million)
{
	pthread_mutex_lock(&evict_lock);
	evict_state = seed ? seed : DEFAULT_EVICT_STATE;
	__atomic_store_n(&evict_per_million, min(per_million, EVICT_SCALE), __ATOMIC_RELAXED);
	pthread_mutex_unlock(&evict_lock);
}

/* Should the next touched line be evicted?  xorshift64* drives it. */
static bool evict_roll(void)
{
	unsigned int chance = __atomic_load_n(&evict_per_million, __ATOMIC_RELAXED);
	u64 x;

	if (!chance)
		return false;
	pthread_mutex_lock(&evict_lock);
	x = evict_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	evict_state = x;
	pthread_mutex_unlock(&evict_lock);
	x *= 0x2545f4914f6cdd1dULL;
	/* The top 32 bits scaled to [0, EVICT_SCALE). */
	return ((x >> 32) * EVICT_SCALE) >> 32 < chance;
}

/* --- RAM lifetime ---------------------------------------------------------------- */

int iosim_cache_ram_init(struct iosim_ram_state *ram)
{
	size_t size = (size_t)ram->size_bytes;
	size_t hash_bytes = (size >> next_line_shift) * sizeof(u64);
	void *mem_virt, *window, *hash;
	int memfd;

	pthread_once(&stripes_once, stripes_init);
	memset(&iosim_cache_global, 0, sizeof(iosim_cache_global));
	ram->line_shift = next_line_shift;
	if (!next_enabled)
		return 0;	/* no model: nothing to create, every master is coherent */
	memfd = iosim_host_memfd("iosim-memory", size);
	if (memfd < 0)
		return -ENOMEM;
	mem_virt = iosim_host_mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (mem_virt == MAP_FAILED)
		goto out_close_memfd;
	window = iosim_host_mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, ram->memfd, 0);
	if (window == MAP_FAILED)
		goto out_unmap_memory;
	/* Lazily zeroed: untouched lines cost nothing (and valgrind does not fill it). */
	hash = iosim_host_mmap(NULL, hash_bytes, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (hash == MAP_FAILED)
		goto out_unmap_window;

	ram->mem_memfd = memfd;
	ram->mem_virt = mem_virt;
	ram->cpu_window = window;
	ram->line_hash = hash;
	return 0;

out_unmap_window:
	munmap(window, size);
out_unmap_memory:
	munmap(mem_virt, size);
out_close_memfd:
	close(memfd);
	return -ENOMEM;
}

void iosim_cache_ram_exit(struct iosim_ram_state *ram)
{
	size_t size = (size_t)ram->size_bytes;

	if (ram->mem_memfd >= 0) {
		munmap(ram->line_hash, (size >> ram->line_shift) * sizeof(u64));
		munmap(ram->cpu_window, size);
		munmap(ram->mem_virt, size);
		close(ram->mem_memfd);
	}
	ram->line_hash = NULL;
	ram->cpu_window = NULL;
	ram->mem_virt = NULL;
	ram->mem_memfd = -1;

	/* Settings last one RAM lifetime; so do the counters and this thread's context. */
	next_line_shift = DEFAULT_LINE_SHIFT;
	next_enabled = IOSIM_CACHE_DEFAULT_ENABLED;
	iosim_cache_set_eviction(0, 0);
	memset(&iosim_cache_global, 0, sizeof(iosim_cache_global));
	iosim_cache_ctx = NULL;
}

void *iosim_cache_memory_virt(phys_addr_t phys)
{
	return (char *)iosim_ram_state.mem_virt + iosim_ram_phys_index_offset(phys);
}

/* --- one line (its stripe held) ------------------------------------------------- */

static inline size_t line_size(void)
{
	return (size_t)1 << iosim_ram_state.line_shift;
}

/* The CPU view and memory of the line at RAM offset @off. */
static inline unsigned char *cpu_at(u64 off)
{
	return (unsigned char *)iosim_ram_state.cpu_window + off;
}

static inline unsigned char *mem_at(u64 off)
{
	return (unsigned char *)iosim_ram_state.mem_virt + off;
}

static inline u64 *hash_slot(u64 off)
{
	return &iosim_ram_state.line_hash[off >> iosim_ram_state.line_shift];
}

static inline u64 rotl64(u64 x, unsigned int r)
{
	return (x << r) | (x >> (64 - r));
}

/* One step of a hash lane: for a given word, a bijection of the running value (and vice versa). */
static inline u64 lane_step(u64 h, const unsigned char *p)
{
	u64 w;

	memcpy(&w, p, sizeof(w));
	return rotl64(h ^ w, 23) * 0x9e3779b97f4a7c15ULL;
}

/*
 * A hash of a line that maps all-zero to 0.  Four independent lanes take
 * every fourth word (so the CPU overlaps their multiplies; lines of 16 bytes
 * use the first lane only); each step is a bijection of its lane for a
 * given word and of the word for a given lane, so two lines differing in
 * one word differ in exactly one lane, and the lanes combine by XOR (a
 * bijection of each lane given the others) into different hashes.  Zero
 * words keep every lane at zero.
 */
static u64 line_hash(const unsigned char *p, size_t len)
{
	u64 a = 0, b = 0, c = 0, d = 0, h;
	size_t i;

	for (i = 0; i + 4 * sizeof(u64) <= len; i += 4 * sizeof(u64)) {
		a = lane_step(a, p + i);
		b = lane_step(b, p + i + 8);
		c = lane_step(c, p + i + 16);
		d = lane_step(d, p + i + 24);
	}
	for (; i < len; i += sizeof(u64))
		a = lane_step(a, p + i);
	h = a ^ rotl64(b, 16) ^ rotl64(c, 32) ^ rotl64(d, 48);
	return h ^ (h >> 31);
}

/* Is the line at @off dirty?  The CPU view's hash goes to *@now. */
static bool line_dirty(u64 off, u64 *now)
{
	*now = line_hash(cpu_at(off), line_size());
	return *now != *hash_slot(off);
}

/*
 * The CPU view of a line changed behind valgrind's back (through the
 * window): its bytes in the linear map now hold what memory held, written
 * by a device or an alias, so they are defined - except the ones nobody may
 * touch (slab redzones, free slots), which stay inaccessible.
 */
static void linear_map_defined(u64 off, size_t len)
{
#ifdef IOSIM_VALGRIND
	(void)VALGRIND_MAKE_MEM_DEFINED_IF_ADDRESSABLE(iosim_ram_index_offset_virt(off), len);
#endif
	(void)off;
	(void)len;
}

/* CPU view := memory (skipping an identical line: no needless page commits). */
static void line_reload(u64 off)
{
	size_t len = line_size();

	if (memcmp(cpu_at(off), mem_at(off), len)) {
		memcpy(cpu_at(off), mem_at(off), len);
		linear_map_defined(off, len);
	}
	*hash_slot(off) = line_hash(cpu_at(off), len);
}

static void line_clean(u64 off, struct iosim_cache_counters *t)
{
	u64 now;

	if (!line_dirty(off, &now))
		return;
	memcpy(mem_at(off), cpu_at(off), line_size());
	*hash_slot(off) = now;
	t->lines_cleaned++;
}

static void line_inval(u64 off, bool count_lost, struct iosim_cache_counters *t)
{
	u64 now;

	if (line_dirty(off, &now) && count_lost) {
		t->lost_writes++;
		if (iosim_cache_lost_write_hook)
			iosim_cache_lost_write_hook(iosim_cache_ctx,
						    iosim_ram_index_offset_phys(off), line_size());
	}
	line_reload(off);
	t->lines_invalidated++;
}

/* Evict: a dirty line is written back; then the CPU view is refetched. */
static void line_evict(u64 off, struct iosim_cache_counters *t)
{
	u64 now;

	if (line_dirty(off, &now)) {
		memcpy(mem_at(off), cpu_at(off), line_size());
		t->evictions++;
	}
	line_reload(off);
}

static void line_maybe_evict(u64 off, struct iosim_cache_counters *t)
{
	if (evict_roll())
		line_evict(off, t);
}

/* --- walks ------------------------------------------------------------------------ */

static pthread_mutex_t *stripe_of(u64 off)
{
	return &stripes[(off >> PAGE_SHIFT) % NR_STRIPES];
}

static void counters_add(struct iosim_cache_counters *to, const struct iosim_cache_counters *t)
{
	iosim_counter_add(&to->lines_cleaned, t->lines_cleaned);
	iosim_counter_add(&to->lines_invalidated, t->lines_invalidated);
	iosim_counter_add(&to->stale_reads, t->stale_reads);
	iosim_counter_add(&to->lost_writes, t->lost_writes);
	iosim_counter_add(&to->evictions, t->evictions);
}

void iosim_cache_counters_commit(struct device *dev, const struct iosim_cache_counters *t)
{
	counters_add(&iosim_cache_global, t);
	if (dev)
		counters_add(&dev->iosim_cache, t);
}

void iosim_cache_lines_maintain(phys_addr_t phys, size_t len, enum iosim_cache_op op,
				struct device *dev)
{
	u64 start = iosim_ram_phys_index_offset(phys), end = start + len;
	size_t lsize = line_size();
	struct iosim_cache_counters t = { 0 };
	u64 off = start & ~((u64)lsize - 1);

	while (off < end) {
		u64 page_end = min((off | (PAGE_SIZE - 1)) + 1, end);
		pthread_mutex_t *lock = stripe_of(off);

		pthread_mutex_lock(lock);
		for (; off < page_end; off += lsize) {
			/* Partial: the line holds bytes outside the range. */
			bool partial = off < start || off + lsize > end;

			line_maybe_evict(off, &t);
			switch (op) {
			case IOSIM_CACHE_OP_CLEAN:
				line_clean(off, &t);
				break;
			case IOSIM_CACHE_OP_FLUSH:
				line_clean(off, &t);
				line_inval(off, false, &t);
				break;
			case IOSIM_CACHE_OP_INV:
			case IOSIM_CACHE_OP_INV_FORFEIT:
				/* arm64's __dma_inv_range: edges clean+invalidate, the rest invalidate. */
				if (partial)
					line_clean(off, &t);
				line_inval(off, op == IOSIM_CACHE_OP_INV, &t);
				break;
			}
		}
		pthread_mutex_unlock(lock);
	}
	iosim_cache_counters_commit(dev, &t);
}

void iosim_cache_lines_device(struct device *dev, phys_addr_t phys, void *buf, size_t len,
			      bool is_write)
{
	u64 start = iosim_ram_phys_index_offset(phys), end = start + len;
	size_t lsize = line_size();
	struct iosim_cache_counters t = { 0 };
	u64 off = start & ~((u64)lsize - 1);
	unsigned char *b = buf;

	while (off < end) {
		u64 page_end = min((off | (PAGE_SIZE - 1)) + 1, end);
		pthread_mutex_t *lock = stripe_of(off);

		pthread_mutex_lock(lock);
		for (; off < page_end; off += lsize) {
			u64 from = max(off, start), to = min(off + lsize, end);
			u64 now;

			line_maybe_evict(off, &t);
			if (is_write) {
				memcpy(mem_at(from), b + (from - start), to - from);
				continue;
			}
			if (line_dirty(off, &now))
				t.stale_reads++;
			memcpy(b + (from - start), mem_at(from), to - from);
		}
		pthread_mutex_unlock(lock);
	}
	iosim_cache_counters_commit(dev, &t);
}

void iosim_cache_lines_memory(phys_addr_t phys, void *buf, size_t len, bool is_write)
{
	u64 start = iosim_ram_phys_index_offset(phys), end = start + len, off = start;
	unsigned char *b = buf;

	while (off < end) {
		u64 chunk_end = min((off | (PAGE_SIZE - 1)) + 1, end);
		pthread_mutex_t *lock = stripe_of(off);

		pthread_mutex_lock(lock);
		if (is_write)
			memcpy(mem_at(off), b + (off - start), chunk_end - off);
		else
			memcpy(b + (off - start), mem_at(off), chunk_end - off);
		pthread_mutex_unlock(lock);
		off = chunk_end;
	}
}

/* The recorded hash of a line the CPU wrote (see iosim_cache_lines_mark_dirty()). */
#define IOSIM_LINE_WRITTEN	0x5a5a5a5a5a5a5a5bULL

void iosim_cache_lines_mark_dirty(phys_addr_t phys, size_t len)
{
	u64 start = iosim_ram_phys_index_offset(phys), end = start + len;
	size_t lsize = line_size();
	u64 off = start & ~((u64)lsize - 1);

	while (off < end) {
		u64 page_end = min((off | (PAGE_SIZE - 1)) + 1, end);
		pthread_mutex_t *lock = stripe_of(off);

		pthread_mutex_lock(lock);
		/*
		 * Any recorded hash but the content's own makes a line dirty; a
		 * fixed odd value stands for "written" without hashing the line
		 * (allocators call this for every page they fill).  A line whose
		 * content hashes to exactly that value (odds 2^-64) stays clean.
		 */
		for (; off < page_end; off += lsize)
			*hash_slot(off) = IOSIM_LINE_WRITTEN;
		pthread_mutex_unlock(lock);
	}
}

bool iosim_cache_lines_dirty(phys_addr_t phys)
{
	u64 off = iosim_ram_phys_index_offset(phys) & ~((u64)line_size() - 1), now;
	pthread_mutex_t *lock = stripe_of(off);
	bool dirty;

	pthread_mutex_lock(lock);
	dirty = line_dirty(off, &now);
	pthread_mutex_unlock(lock);
	return dirty;
}

unsigned long iosim_cache_lines_writeback(u64 from, u64 to)
{
	size_t lsize = line_size();
	unsigned long written = 0;
	u64 off = from;

	while (off < to) {
		u64 page_end = min((off | (PAGE_SIZE - 1)) + 1, to);
		pthread_mutex_t *lock = stripe_of(off);
		u64 now;

		pthread_mutex_lock(lock);
		for (; off < page_end; off += lsize) {
			if (!line_dirty(off, &now))
				continue;
			memcpy(mem_at(off), cpu_at(off), lsize);
			*hash_slot(off) = now;
			written++;
		}
		pthread_mutex_unlock(lock);
	}
	return written;
}

unsigned long iosim_cache_lines_nonzero_hashes(u64 from, u64 to, u64 *first)
{
	size_t lsize = line_size();
	unsigned long found = 0;
	u64 off = from;

	while (off < to) {
		u64 page_end = min((off | (PAGE_SIZE - 1)) + 1, to);
		pthread_mutex_t *lock = stripe_of(off);

		pthread_mutex_lock(lock);
		for (; off < page_end; off += lsize)
			if (*hash_slot(off) && !found++)
				*first = off;
		pthread_mutex_unlock(lock);
	}
	return found;
}

void iosim_cache_settings(unsigned int *next_shift, unsigned int *per_million, u64 *prng_state)
{
	/* next_enabled is a bool: nothing to check. */
	pthread_mutex_lock(&evict_lock);
	*next_shift = next_line_shift;
	*per_million = __atomic_load_n(&evict_per_million, __ATOMIC_RELAXED);
	*prng_state = evict_state;
	pthread_mutex_unlock(&evict_lock);
}

/* --- reset to fresh (ram_reset.c) ------------------------------------------------ */

/**
 * iosim_cache_lines_reset_frame - give @page's frame the model state of a fresh RAM
 * @page: a frame of the live RAM
 *
 * Memory's bytes and the recorded line hashes of the frame become zero (a
 * fresh RAM's); the CPU view is the caller's to zero.  Nothing without the
 * model.
 *
 * Context: process context; takes the frame's stripe.
 * Return: nothing.
 */
void iosim_cache_lines_reset_frame(const struct page *page)
{
	u64 off;
	pthread_mutex_t *lock;

	if (!iosim_cache_lines_on())
		return;
	off = (u64)iosim_page_file_offset(page);
	lock = stripe_of(off);
	pthread_mutex_lock(lock);
	memset(mem_at(off), 0, PAGE_SIZE);
	memset(hash_slot(off), 0, (PAGE_SIZE >> iosim_ram_state.line_shift) * sizeof(u64));
	pthread_mutex_unlock(lock);
}

/**
 * iosim_cache_lines_check_fresh - is the model's state a fresh RAM's?
 *
 * Memory is all zero, every recorded line hash is zero, the global
 * counters are zero and eviction is off.
 *
 * Context: process context, no concurrent RAM users; O(RAM).
 * Return: 0 (also without RAM or model); -EUCLEAN after WARNing what differs.
 */
int iosim_cache_lines_check_fresh(void)
{
	const struct iosim_cache_counters *c = &iosim_cache_global;
	size_t size, lines, i;
	int problems = 0;

	if (!iosim_ram_ready() || !iosim_cache_lines_on())
		return 0;
	size = (size_t)iosim_ram_state.size_bytes;
	lines = size >> iosim_ram_state.line_shift;
	for (i = 0; i < size; i += PAGE_SIZE)
		if (memchr_inv(mem_at(i), 0, PAGE_SIZE)) {
			WARN(1, "iosim_cache_check_fresh: memory at RAM offset %#zx is not zero", i);
			problems++;
			break;
		}
	for (i = 0; i < lines; i++)
		if (iosim_ram_state.line_hash[i]) {
			WARN(1, "iosim_cache_check_fresh: line %zu has a recorded hash", i);
			problems++;
			break;
		}
	if (c->lines_cleaned || c->lines_invalidated || c->stale_reads || c->lost_writes ||
	    c->evictions || __atomic_load_n(&evict_per_million, __ATOMIC_RELAXED)) {
		WARN(1, "iosim_cache_check_fresh: counters or eviction not reset");
		problems++;
	}
	return problems ? -EUCLEAN : 0;
}
