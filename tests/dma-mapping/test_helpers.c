// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The small helpers of <linux/dma-mapping.h> a 2015 driver uses beside the
 * mapping calls: the unmap state it keeps in its rings
 * (DEFINE_DMA_UNMAP_ADDR & co, real fields on arm64), dma_zalloc_coherent(),
 * dma_coerce_mask_and_coherent(), dma_get_cache_alignment(),
 * dma_get_required_mask(), dma_max_pfn(), is_device_dma_capable() and
 * DMA_MASK_NONE; and the shim's interrupt state (<linux/irqflags.h>), which
 * nests as the kernel's flags do.
 */
#include "platforms.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/irqflags.h>
#include <iosim/locks.h>
#include <iosim/log.h>
#include <iosim/ram.h>
#include <iosim/warn.h>

/* A driver's TX ring entry, as 2015's network drivers declare it. */
struct tx_entry {
	void *skb;
	DEFINE_DMA_UNMAP_ADDR(mapping);
	DEFINE_DMA_UNMAP_LEN(len);
};

static void test_unmap_state_is_kept_in_real_fields(void **state)
{
	struct tx_entry e = { 0 };
	unsigned char *buf;
	struct dma_fix f;
	dma_addr_t dma;

	(void)state;
	/* CONFIG_NEED_DMA_MAP_STATE: the fields take room (not empty variants). */
	assert_true(sizeof(struct tx_entry) >= sizeof(void *) + sizeof(dma_addr_t) + sizeof(u32));
	dma_fix_setup(&f, &dma_direct_noncoherent);
	buf = kmalloc(512, GFP_KERNEL);
	assert_non_null(buf);
	dma = dma_map_single(f.dev, buf, 512, DMA_TO_DEVICE);
	assert_false(dma_mapping_error(f.dev, dma));
	dma_unmap_addr_set(&e, mapping, dma);
	dma_unmap_len_set(&e, len, 512);
	assert_true(e.mapping == dma);
	assert_int_equal(e.len, 512);
	dma_unmap_single(f.dev, dma_unmap_addr(&e, mapping), dma_unmap_len(&e, len),
			 DMA_TO_DEVICE);
	kfree(buf);
	dma_fix_teardown(&f);
}

/* dma_zalloc_coherent(): a zeroed coherent buffer on every platform. */
static void zalloc_zeroes(const struct dma_config *cfg)
{
	size_t size = 3 * PAGE_SIZE;
	struct dma_fix f;
	dma_addr_t dma;
	void *cpu;

	dma_fix_setup(&f, cfg);
	cpu = dma_zalloc_coherent(f.dev, size, &dma, GFP_KERNEL);
	assert_non_null(cpu);
	assert_true(iosim_bytes_all(cpu, 0, size));
	memset(cpu, 0x6c, size);
	dma_free_coherent(f.dev, size, cpu, dma);
	cpu = dma_zalloc_coherent(f.dev, size, &dma, GFP_ATOMIC);
	assert_non_null(cpu);
	assert_true(iosim_bytes_all(cpu, 0, size));
	dma_free_coherent(f.dev, size, cpu, dma);
	dma_fix_teardown(&f);
}
ON_PLATFORMS(zalloc_zeroes)

/*
 * dma_coerce_mask_and_coherent(): a device without dma_mask storage gets
 * dev->dma_mask pointed at its coherent mask, and both set; DMA_MASK_NONE
 * and is_device_dma_capable(); dma_max_pfn().
 */
static void test_coerce_mask_and_dma_capability(void **state)
{
	struct dma_fix f;
	u64 *saved_mask;

	(void)state;
	dma_fix_setup(&f, &dma_direct_coherent);
	saved_mask = f.dev->dma_mask;
	assert_true(is_device_dma_capable(f.dev));

	f.dev->dma_mask = NULL;
	assert_false(is_device_dma_capable(f.dev));
	assert_int_equal(dma_set_mask_and_coherent(f.dev, DMA_BIT_MASK(40)), -EIO);
	assert_int_equal(dma_coerce_mask_and_coherent(f.dev, DMA_BIT_MASK(40)), 0);
	assert_ptr_equal(f.dev->dma_mask, &f.dev->coherent_dma_mask);
	assert_int_equal(f.dev->coherent_dma_mask, DMA_BIT_MASK(40));
	assert_true(is_device_dma_capable(f.dev));
	assert_int_equal(dma_max_pfn(f.dev), DMA_BIT_MASK(40) >> PAGE_SHIFT);

	f.dev->coherent_dma_mask = DMA_MASK_NONE;
	assert_false(is_device_dma_capable(f.dev));
	f.dev->dma_mask = saved_mask;
	f.dev->coherent_dma_mask = DMA_BIT_MASK(32);
	assert_int_equal(dma_max_pfn(f.dev), *saved_mask >> PAGE_SHIFT);

	/* Where the kernel would dereference NULL. */
	assert_int_equal(dma_coerce_mask_and_coherent(NULL, DMA_BIT_MASK(32)), -EIO);
	assert_warned("dma_coerce_mask_and_coherent: NULL device");
	assert_int_equal(dma_max_pfn(NULL), 0);
	assert_warned("has no DMA mask");
	assert_int_equal(is_device_dma_capable(NULL), 0);
	assert_warned("is_device_dma_capable: NULL device");
	dma_fix_teardown(&f);
}

static void test_cache_alignment_is_arch_dma_minalign(void **state)
{
	(void)state;
	assert_int_equal(dma_get_cache_alignment(), ARCH_DMA_MINALIGN);
	assert_int_equal(dma_get_cache_alignment(), 128);
}

/* dma_get_required_mask(): the 2^n - 1 mask just covering the end of RAM. */
static void test_required_mask_covers_the_end_of_ram(void **state)
{
	struct iosim_ram_config low = { .base_phys = 0x80000000ULL, .size_bytes = 64ULL << 20 };
	struct iosim_ram_config juno;

	(void)state;
	iosim_log_set_console_level(0);
	/* The default RAM: 128 MiB at 34 GiB, ending below 2^36. */
	assert_int_equal(iosim_ram_init(NULL), 0);
	assert_int_equal(dma_get_required_mask(NULL), DMA_BIT_MASK(36));
	assert_int_equal(iosim_ram_exit(), 0);
	/* All of RAM below 4 GiB (up to 2 GiB + 64 MiB): 32 bits. */
	assert_int_equal(iosim_ram_init(&low), 0);
	assert_int_equal(dma_get_required_mask(NULL), DMA_BIT_MASK(32));
	assert_int_equal(iosim_ram_exit(), 0);
	/* Juno's high bank at 34 GiB decides, not the low one. */
	assert_int_equal(iosim_ram_config_juno(&juno, 32ULL << 20, 64ULL << 20), 0);
	assert_int_equal(iosim_ram_init(&juno), 0);
	assert_int_equal(dma_get_required_mask(NULL), DMA_BIT_MASK(36));
	assert_int_equal(iosim_ram_exit(), 0);
	iosim_log_set_console_level(5);
}

/*
 * The interrupt state: local_irq_save()/restore() and the _irqsave locks
 * nest through their flags; local_irq_disable() and spin_lock_irq() turn
 * interrupts off, local_irq_enable() and spin_unlock_irq() on whatever was
 * before; irqs_disabled_flags() tells what a save found.  Each thread has
 * its own.
 */
static void *irq_state_of_a_new_thread(void *arg)
{
	(void)arg;
	return (void *)(uintptr_t)irqs_disabled();
}

static void test_irqs_disabled_nests_as_the_kernels_flags(void **state)
{
	DEFINE_SPINLOCK(a);
	DEFINE_SPINLOCK(b);
	unsigned long f1, f2, f3;
	pthread_t thread;
	void *other;

	(void)state;
	assert_false(irqs_disabled());
	local_irq_save(f1);
	assert_true(irqs_disabled());
	assert_false(irqs_disabled_flags(f1));
	local_irq_save(f2);
	assert_true(irqs_disabled_flags(f2));
	local_irq_restore(f2);
	assert_true(irqs_disabled());		/* still inside the first save */
	local_irq_restore(f1);
	assert_false(irqs_disabled());

	spin_lock_irqsave(&a, f1);
	spin_lock_irqsave(&b, f2);
	assert_true(irqs_disabled());
	/* Another thread's interrupts are its own. */
	assert_int_equal(pthread_create(&thread, NULL, irq_state_of_a_new_thread, NULL), 0);
	assert_int_equal(pthread_join(thread, &other), 0);
	assert_null(other);
	spin_unlock_irqrestore(&b, f2);
	assert_true(irqs_disabled());
	spin_unlock_irqrestore(&a, f1);
	assert_false(irqs_disabled());

	spin_lock_irq(&a);
	assert_true(irqs_disabled());
	local_irq_save(f3);
	local_irq_restore(f3);
	assert_true(irqs_disabled());
	spin_unlock_irq(&a);
	assert_false(irqs_disabled());

	/* Enable is unconditional, as the kernel's: inside a save, interrupts come on. */
	local_irq_save(f1);
	local_irq_disable();
	local_irq_enable();
	assert_false(irqs_disabled());
	local_irq_restore(f1);
	assert_false(irqs_disabled());
	local_irq_disable();
	assert_true(irqs_disabled());
	local_irq_enable();
	assert_false(irqs_disabled());
}

/*
 * A test that fails inside a spin_lock_irqsave() section leaves by
 * longjmp(): the fixture's release of left locks also enables interrupts
 * again, and counts that as one thing left held.
 */
static void test_interrupts_left_disabled_are_released_by_the_fixture(void **state)
{
	unsigned long flags;

	(void)state;
	local_irq_save(flags);
	local_irq_disable();
	assert_true(irqs_disabled());
	assert_int_equal(iosim_locks_release_held(), 1);
	assert_false(irqs_disabled());
	assert_int_equal(iosim_locks_release_held(), 0);
	(void)flags;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_unmap_state_is_kept_in_real_fields),
		PLATFORM_TESTS(zalloc_zeroes),
		IOSIM_TEST(test_coerce_mask_and_dma_capability),
		IOSIM_TEST(test_cache_alignment_is_arch_dma_minalign),
		IOSIM_TEST(test_required_mask_covers_the_end_of_ram),
		IOSIM_TEST(test_irqs_disabled_nests_as_the_kernels_flags),
		IOSIM_TEST(test_interrupts_left_disabled_are_released_by_the_fixture),
	};

	RUN_TESTS(tests, argc, argv);
}
