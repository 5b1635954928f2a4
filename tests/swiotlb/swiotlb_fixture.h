/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The fixture of the swiotlb API tests (test_api.c, on RAM straddling 4 GiB
 * and on ARM Juno's two banks): RAM, the DMA layer
 * with its bounce pool, and one 32-bit device without an IOMMU; every
 * checker; buffers with a recognisable pattern.
 */
#ifndef SWIOTLB_FIXTURE_H
#define SWIOTLB_FIXTURE_H

#include "iosim_test.h"

#include <linux/types.h>
#include <linux/gfp.h>
#include <iosim/ram.h>

struct device;

/* The device of the current test (NULL outside swt_boot()..swt_shutdown()). */
extern struct device *swt_dev;

/* RAM, cache model, bounce pool and (if booted) device checkers: all must pass. */
void swt_check_all(void);

/*
 * swt_boot - RAM per @ram (NULL: the default RAM), the DMA layer with a pool
 * of @pool_bytes (0: the default size), and a device called @name with a
 * 32-bit DMA mask, no IOMMU, cache-coherent or not; then every checker.
 */
void swt_boot(const struct iosim_ram_config *ram, const char *name, bool coherent,
	      size_t pool_bytes);

/* Every checker, no bounce slot left in use, then everything down and RAM empty. */
void swt_shutdown(void);

/* The pattern of @seed over @len bytes, and whether @p holds it. */
void swt_fill(void *p, size_t len, unsigned int seed);
bool swt_matches(const void *p, size_t len, unsigned int seed);

/* A @pages-page buffer allocated with @gfp (the caller checks where it lies), and its release. */
unsigned char *swt_buf_alloc(size_t pages, gfp_t gfp);
void swt_buf_free(unsigned char *buf, size_t pages);

/* Does the device's DMA address @addr point into the bounce pool? */
bool swt_bounced(dma_addr_t addr);

#endif /* SWIOTLB_FIXTURE_H */
