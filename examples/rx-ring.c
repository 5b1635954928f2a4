// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * rx-ring: a small network driver's receive ring on a non-cache-coherent
 * device behind a simulated IOMMU, written as a kernel platform driver: its
 * probe() maps the ring's buffers with the kernel's DMA API, its remove()
 * unmaps them.  It runs twice: first correctly (dma_sync_single_for_cpu()
 * before reading each packet, dma_sync_single_for_device() before giving
 * the buffer back), then with the first sync left out - the most common DMA
 * bug on arm64 - and prints what the CPU reads in each case.  On a coherent
 * device, or on x86, the buggy driver would appear to work.
 *
 * Build (installed library): cc rx-ring.c $(pkg-config --cflags --libs libiommudma)
 */
#include <stdio.h>
#include <string.h>

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/slab.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <iosim/bus_master.h>
#include <iosim/cache.h>
#include <iosim/dma.h>
#include <iosim/iommu.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/ram.h>

#define RING_SIZE	4
#define RX_BUF_LEN	1536
#define NR_PACKETS	8

/* The driver's private data, as a real one keeps it. */
struct rx_ring {
	struct device *dev;
	void *buf[RING_SIZE];
	dma_addr_t dma[RING_SIZE];
	bool skip_sync;		/* the bug */
};

static int ring_init(struct rx_ring *ring)
{
	int i;

	for (i = 0; i < RING_SIZE; i++) {
		ring->buf[i] = kzalloc(RX_BUF_LEN, GFP_KERNEL);
		if (!ring->buf[i])
			return -ENOMEM;
		ring->dma[i] = dma_map_single(ring->dev, ring->buf[i], RX_BUF_LEN,
					      DMA_FROM_DEVICE);
		if (dma_mapping_error(ring->dev, ring->dma[i])) {
			kfree(ring->buf[i]);
			ring->buf[i] = NULL;
			return -ENOMEM;
		}
	}
	return 0;
}

static void ring_exit(struct rx_ring *ring)
{
	int i;

	for (i = 0; i < RING_SIZE; i++) {
		if (!ring->buf[i])
			continue;
		dma_unmap_single(ring->dev, ring->dma[i], RX_BUF_LEN, DMA_FROM_DEVICE);
		kfree(ring->buf[i]);
	}
}

/* The interrupt handler's work for the packet in slot @i. */
static void ring_receive(struct rx_ring *ring, int i, char *out, size_t out_len)
{
	if (!ring->skip_sync)
		dma_sync_single_for_cpu(ring->dev, ring->dma[i], RX_BUF_LEN, DMA_FROM_DEVICE);
	snprintf(out, out_len, "%s", (const char *)ring->buf[i]);
	/* Give the buffer back to the device for the next packet. */
	dma_sync_single_for_device(ring->dev, ring->dma[i], RX_BUF_LEN, DMA_FROM_DEVICE);
}

/* The simulated NIC: writes packet @n into the slot's buffer by DMA. */
static int nic_receive(struct rx_ring *ring, int slot, int n)
{
	char pkt[64];

	snprintf(pkt, sizeof(pkt), "packet %d: hello from the wire", n);
	return iosim_dma_write(ring->dev, ring->dma[slot], pkt, strlen(pkt) + 1);
}

/* The driver's private data: one device, one ring. */
static struct rx_ring the_ring;

static int rx_probe(struct platform_device *pdev)
{
	struct rx_ring *ring = &the_ring;
	int ret;

	ring->dev = &pdev->dev;
	ret = ring_init(ring);
	if (ret) {
		ring_exit(ring);
		return ret;
	}
	platform_set_drvdata(pdev, ring);
	return 0;
}

static int rx_remove(struct platform_device *pdev)
{
	ring_exit(platform_get_drvdata(pdev));
	return 0;
}

static struct platform_driver rx_driver = {
	.probe = rx_probe,
	.remove = rx_remove,
	.driver = { .name = "eth0" },
};

static int run(struct device *dev, bool skip_sync)
{
	struct rx_ring *ring = &the_ring;
	struct iosim_cache_counters cnt;
	int n, good = 0, ret;

	printf("\n== %s ==\n", skip_sync ? "driver WITHOUT dma_sync_single_for_cpu() (buggy)"
					 : "driver with every sync (correct)");
	iosim_cache_reset_counters(dev);
	memset(ring, 0, sizeof(*ring));
	ring->skip_sync = skip_sync;
	/* Probes eth0, which matches the driver's name. */
	ret = platform_driver_register(&rx_driver);
	if (ret)
		return ret;
	if (dev->driver != &rx_driver.driver) {
		ret = -ENODEV;	/* the probe failed */
		goto out;
	}
	for (n = 0; n < NR_PACKETS; n++) {
		char want[64], got[64];
		int slot = n % RING_SIZE;

		ret = nic_receive(ring, slot, n);
		if (ret)
			goto out;
		ring_receive(ring, slot, got, sizeof(got));
		snprintf(want, sizeof(want), "packet %d: hello from the wire", n);
		good += !strcmp(got, want);
		printf("  slot %d: CPU reads \"%s\"%s\n", slot, got,
		       strcmp(got, want) ? "   <-- stale: not what the device wrote" : "");
	}
	iosim_cache_get_counters(dev, &cnt);
	printf("  %d of %d packets correct; cache lines cleaned %llu, invalidated %llu\n",
	       good, NR_PACKETS, (unsigned long long)cnt.lines_cleaned,
	       (unsigned long long)cnt.lines_invalidated);
out:
	platform_driver_unregister(&rx_driver);	/* remove() unmaps the ring */
	return ret;
}

int main(void)
{
	struct iosim_iommu_config icfg = { .name = "smmu", .bus = &platform_bus_type };
	struct iosim_of_device_config dcfg = {
		.dev = { .name = "eth0", .dma_mask = DMA_BIT_MASK(32) },
		.dma_coherent = false,
	};
	struct iosim_iommu *iommu;
	struct device *dev;
	int ret = 1;

	iosim_log_set_console_level(3);		/* errors only */
	if (iosim_ram_init(NULL) || iosim_dma_system_init())
		return 1;
	iommu = iosim_iommu_create(&icfg);
	if (IS_ERR(iommu))
		goto out_system;
	dcfg.iommu = iommu;
	dev = iosim_of_device_create(&dcfg);
	if (!dev)
		goto out_iommu;
	printf("eth0: non-coherent DMA master behind IOMMU %s, %s ops\n", iosim_iommu_name(iommu),
	       iosim_dma_uses_iommu(dev) ? "IOMMU DMA" : "direct");

	if (!run(dev, false) && !run(dev, true))
		ret = 0;

	arch_teardown_dma_ops(dev);
	iosim_of_device_destroy(dev);
out_iommu:
	iosim_iommu_destroy(iommu);
out_system:
	iosim_dma_system_exit();
	if (iosim_ram_exit() || iosim_live_total())
		ret = 1;
	return ret;
}
