/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Run one scenario on each arm64 platform kind: ON_PLATFORMS(fn) defines
 * fn__iommu_coherent, fn__iommu_noncoherent, fn__direct_coherent and
 * fn__direct_noncoherent, each calling fn(config); PLATFORM_TESTS(fn)
 * lists them for main().
 */
#ifndef DMA_PLATFORMS_H
#define DMA_PLATFORMS_H

#include "dma_fixture.h"

#define ON_PLATFORMS(fn)								\
	static void fn##__iommu_coherent(void **state) { (void)state; fn(&dma_iommu_coherent); } \
	static void fn##__iommu_noncoherent(void **state) { (void)state; fn(&dma_iommu_noncoherent); } \
	static void fn##__direct_coherent(void **state) { (void)state; fn(&dma_direct_coherent); } \
	static void fn##__direct_noncoherent(void **state) { (void)state; fn(&dma_direct_noncoherent); }

#define PLATFORM_TESTS(fn)			\
	IOSIM_TEST(fn##__iommu_coherent),	\
	IOSIM_TEST(fn##__iommu_noncoherent),	\
	IOSIM_TEST(fn##__direct_coherent),	\
	IOSIM_TEST(fn##__direct_noncoherent)

/* One test by name (how meson runs the seed's known defects), else all. */
#define RUN_TESTS(tests, argc, argv)				\
	do {							\
		if ((argc) > 1)					\
			cmocka_set_test_filter((argv)[1]);	\
		return cmocka_run_group_tests(tests, NULL, NULL); \
	} while (0)

#endif /* DMA_PLATFORMS_H */
