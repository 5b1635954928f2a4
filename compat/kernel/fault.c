// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Fault injection: one counter across the armed sites, one pattern.
 *
 * The pattern is "fail call number N" (once), "fail N and every later call",
 * or "fail with probability p" from a splitmix64 stream.  The per-order page
 * mask is separate: it models an allocator that simply has no block of those
 * orders, the case the glue's order-by-order fallback exists for.
 */
#include <pthread.h>

#include <linux/kernel.h>
#include <iosim/fault.h>
#include <linux/iosim_pcounter.h>

enum fault_mode { FAULT_OFF, FAULT_NTH, FAULT_FROM, FAULT_RANDOM };

static pthread_mutex_t fault_lock = PTHREAD_MUTEX_INITIALIZER;
static enum fault_mode mode;
static unsigned int armed_mask;
static unsigned long target_nth;
static unsigned int random_per_million;
static u64 random_state;
/* Calls at each site ever, and their value at the last arm or reset. */
static struct iosim_pcounter calls_at[IOSIM_FAULT_NR_SITES];
static long calls_base[IOSIM_FAULT_NR_SITES];
static unsigned long armed_calls;	/* calls at armed sites since arming */
static unsigned long injected;
/* Read without the lock on the fast path: a stale 0 only delays a failure. */
static unsigned long fail_order_mask;
static bool any_armed;

static const char *const site_names[IOSIM_FAULT_NR_SITES] = {
	[IOSIM_FAULT_SLAB] = "slab",
	[IOSIM_FAULT_VMALLOC] = "vmalloc",
	[IOSIM_FAULT_PAGE_ALLOC] = "pages",
	[IOSIM_FAULT_SPLIT_HUGE] = "split_huge_page",
	[IOSIM_FAULT_VM_INSERT] = "vm_insert_page",
	[IOSIM_FAULT_PGTABLE] = "pgtable",
	[IOSIM_FAULT_IOMMU_MAP] = "iommu_map",
	[IOSIM_FAULT_DOMAIN_ALLOC] = "domain_alloc",
	[IOSIM_FAULT_HOST] = "host",
};

static u64 splitmix64(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void fault_arm(enum fault_mode new_mode, unsigned int site_mask)
{
	unsigned int i;

	mode = new_mode;
	armed_mask = site_mask & IOSIM_FAULT_ALL;
	armed_calls = 0;
	injected = 0;
	for (i = 0; i < IOSIM_FAULT_NR_SITES; i++)
		calls_base[i] = iosim_pcounter_sum(&calls_at[i]);
	__atomic_store_n(&any_armed, mode != FAULT_OFF || fail_order_mask, __ATOMIC_RELEASE);
}

void iosim_fault_fail_nth(unsigned int site_mask, unsigned long nth)
{
	pthread_mutex_lock(&fault_lock);
	fault_arm(nth ? FAULT_NTH : FAULT_OFF, site_mask);
	target_nth = nth;
	pthread_mutex_unlock(&fault_lock);
}

void iosim_fault_fail_from(unsigned int site_mask, unsigned long nth)
{
	pthread_mutex_lock(&fault_lock);
	fault_arm(nth ? FAULT_FROM : FAULT_OFF, site_mask);
	target_nth = nth;
	pthread_mutex_unlock(&fault_lock);
}

void iosim_fault_fail_random(unsigned int site_mask, unsigned int per_million,
			     unsigned long seed)
{
	pthread_mutex_lock(&fault_lock);
	fault_arm(per_million ? FAULT_RANDOM : FAULT_OFF, site_mask);
	random_per_million = per_million;
	random_state = seed;
	pthread_mutex_unlock(&fault_lock);
}

void iosim_fault_fail_page_orders(unsigned long order_mask)
{
	pthread_mutex_lock(&fault_lock);
	fail_order_mask = order_mask;
	__atomic_store_n(&any_armed, mode != FAULT_OFF || fail_order_mask, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&fault_lock);
}

unsigned long iosim_fault_calls(unsigned int site_mask)
{
	unsigned long n = 0;
	unsigned int i;

	pthread_mutex_lock(&fault_lock);
	for (i = 0; i < IOSIM_FAULT_NR_SITES; i++)
		if (site_mask & IOSIM_FAULT_SITE(i))
			n += (unsigned long)(iosim_pcounter_sum(&calls_at[i]) - calls_base[i]);
	pthread_mutex_unlock(&fault_lock);
	return n;
}

unsigned long iosim_fault_injected(void)
{
	unsigned long n;

	pthread_mutex_lock(&fault_lock);
	n = injected;
	pthread_mutex_unlock(&fault_lock);
	return n;
}

void iosim_fault_reset(void)
{
	pthread_mutex_lock(&fault_lock);
	fail_order_mask = 0;
	fault_arm(FAULT_OFF, 0);
	pthread_mutex_unlock(&fault_lock);
}

bool iosim_fault_should_fail(enum iosim_fault_site site)
{
	bool fail = false;

	if (WARN_ON((unsigned int)site >= IOSIM_FAULT_NR_SITES))
		return false;

	/* Fast path: nothing armed, just count. */
	if (!__atomic_load_n(&any_armed, __ATOMIC_ACQUIRE)) {
		iosim_pcounter_add(&calls_at[site], 1);
		return false;
	}

	pthread_mutex_lock(&fault_lock);
	iosim_pcounter_add(&calls_at[site], 1);
	if (mode != FAULT_OFF && (armed_mask & IOSIM_FAULT_SITE(site))) {
		armed_calls++;
		switch (mode) {
		case FAULT_NTH:
			fail = armed_calls == target_nth;
			break;
		case FAULT_FROM:
			fail = armed_calls >= target_nth;
			break;
		case FAULT_RANDOM:
			fail = splitmix64(&random_state) % 1000000u < random_per_million;
			break;
		case FAULT_OFF:
			break;
		}
		if (fail)
			injected++;
	}
	pthread_mutex_unlock(&fault_lock);
	return fail;
}

bool iosim_fault_should_fail_order(unsigned int order)
{
	bool fail;

	if (order >= BITS_PER_LONG || !__atomic_load_n(&any_armed, __ATOMIC_ACQUIRE))
		return false;
	pthread_mutex_lock(&fault_lock);
	fail = (fail_order_mask >> order) & 1;
	if (fail)
		injected++;
	pthread_mutex_unlock(&fault_lock);
	return fail;
}

const char *iosim_fault_site_name(enum iosim_fault_site site)
{
	if ((unsigned int)site >= IOSIM_FAULT_NR_SITES)
		return "?";
	return site_names[site];
}
