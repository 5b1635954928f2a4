// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sim_scenario.c - the built-in default: an arm64 SoC with an SMMU and four
 * DMA masters, each driven as its driver would drive it, with the simulated
 * bus master moving real data and every transfer checked.
 *
 *   eth0    behind smmu0, coherent: rx ring of single mappings (FROM_DEVICE,
 *           synced for the CPU and back for each packet, refilled with new
 *           buffers now and then), tx of single mappings completed out of order
 *   nvme0   behind smmu0, coherent, 64 KiB segments and segment boundary:
 *           requests of 1-128 scatterlist entries, several in flight
 *   dpu0    behind smmu0: a frame buffer from dma_alloc_coherent(), mapped to
 *           user space with dma_mmap_coherent(), scanned out by the device
 *   audio0  no IOMMU, not coherent: playback and capture periods as single
 *           mappings with the syncs a non-coherent device needs
 *
 * Deterministic: every random choice comes from one xorshift generator
 * seeded with --seed.
 */
#include <string.h>

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <iosim/ram.h>
#include <iosim/vma.h>

#include "sim.h"

#define NET_RX_RING	64
#define NET_RX_BUF	2048
#define NET_TX_INFLIGHT	32
#define NET_PACKETS	8000
#define BLK_INFLIGHT	8
#define BLK_REQUESTS	800
#define BLK_MAX_ENTS	128
#define DPU_WIDTH	640
#define DPU_HEIGHT	480
#define DPU_FRAMES	4
#define AUDIO_PERIOD	4096
#define AUDIO_PERIODS	200

struct sim_rng {
	uint64_t x;
};

static uint64_t rng_next(struct sim_rng *r)
{
	r->x ^= r->x << 13;
	r->x ^= r->x >> 7;
	r->x ^= r->x << 17;
	return r->x;
}

/* A number in [lo, hi]. */
static uint64_t rng_range(struct sim_rng *r, uint64_t lo, uint64_t hi)
{
	return lo + rng_next(r) % (hi - lo + 1);
}

static void fill(void *buf, size_t len, uint64_t tag)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(tag * 131 + i * 7 + (i >> 8));
}

/**
 * sim_scenario_config - the built-in system
 * @cfg: filled: 256 MiB of RAM at 0x8_8000_0000, smmu0 (4K granule, 48-bit
 *	IAS/OAS, 64 IOTLB entries, strict), eth0, nvme0, dpu0 behind it, audio0
 *	on direct DMA and not coherent
 */
void sim_scenario_config(struct iosim_sim_config *cfg)
{
	static const struct {
		const char *name, *iommu;
		unsigned int mask_bits;
		uint64_t max_seg, boundary;
		bool coherent;
	} devs[] = {
		{ "eth0", "smmu0", 40, SZ_64K, SZ_4G, true },
		{ "nvme0", "smmu0", 48, SZ_64K, SZ_64K, true },
		{ "dpu0", "smmu0", 32, SZ_64K, SZ_4G, true },
		{ "audio0", NULL, 64, SZ_64K, SZ_4G, false },
	};
	unsigned int i;

	iosim_sim_config_defaults(cfg);
	cfg->ram.banks[0].size = 256ull << 20;
	sim_builtin_iommu(&cfg->iommus[0]);
	cfg->nr_iommus = 1;
	for (i = 0; i < ARRAY_SIZE(devs); i++) {
		struct iosim_sim_device_cfg *d = &cfg->devices[i];

		iosim_sim_device_defaults(d);
		snprintf(d->name, sizeof(d->name), "%s", devs[i].name);
		if (devs[i].iommu)
			snprintf(d->iommu, sizeof(d->iommu), "%s", devs[i].iommu);
		d->no_iommu = !devs[i].iommu;
		d->dma_mask_bits = devs[i].mask_bits;
		d->max_segment_size = (unsigned int)devs[i].max_seg;
		d->segment_boundary_mask = devs[i].boundary - 1;
		d->coherent = devs[i].coherent;
	}
	cfg->nr_devices = ARRAY_SIZE(devs);
}

/**
 * sim_scenario_devices - give a configuration without devices the scenario's
 * @cfg: a configuration with no [device] section; gets eth0, nvme0 and dpu0
 *	behind its default IOMMU (or direct when it has none / default none)
 *	and audio0 on direct DMA, with the built-in masks and limits
 */
void sim_scenario_devices(struct iosim_sim_config *cfg)
{
	struct iosim_sim_config builtin;
	unsigned int i;

	sim_scenario_config(&builtin);
	for (i = 0; i < builtin.nr_devices; i++) {
		cfg->devices[i] = builtin.devices[i];
		cfg->devices[i].iommu[0] = '\0';	/* the configuration's default IOMMU */
	}
	cfg->nr_devices = builtin.nr_devices;
}

/* ---- eth0: rx ring and tx queue of single mappings ---- */

struct net_buf {
	void *cpu;
	uint64_t dma;
	size_t len;
};

static int net_rx_refill(struct sim_system *sys, struct sim_dev *d, struct net_buf *b)
{
	b->cpu = kmalloc(NET_RX_BUF, GFP_KERNEL);
	if (!b->cpu)
		return -ENOMEM;
	b->len = NET_RX_BUF;
	b->dma = sim_map_single(sys, d, b->cpu, NET_RX_BUF, DMA_FROM_DEVICE);
	if (sim_mapping_failed(d, b->dma)) {
		kfree(b->cpu);
		b->cpu = NULL;
		return -ENOMEM;
	}
	return 0;
}

static void net_rx_release(struct sim_system *sys, struct sim_dev *d, struct net_buf *b)
{
	if (!b->cpu)
		return;
	sim_unmap_single(sys, d, b->dma, b->len, DMA_FROM_DEVICE);
	kfree(b->cpu);
	b->cpu = NULL;
}

static void net_tx_complete(struct sim_system *sys, struct sim_dev *d, struct net_buf *b)
{
	sim_unmap_single(sys, d, b->dma, b->len, DMA_TO_DEVICE);
	kfree(b->cpu);
	b->cpu = NULL;
}

static int run_net(struct sim_system *sys, struct sim_dev *d, struct sim_rng *rng)
{
	struct net_buf rx[NET_RX_RING] = { 0 }, tx[NET_TX_INFLIGHT] = { 0 };
	unsigned char pkt[NET_RX_BUF], got[NET_RX_BUF];
	unsigned int i, n;
	int ret = 0;

	for (i = 0; i < NET_RX_RING && !ret; i++)
		ret = net_rx_refill(sys, d, &rx[i]);
	for (n = 0; n < NET_PACKETS && !ret; n++) {
		struct net_buf *b = &rx[n % NET_RX_RING], *t;
		size_t len = rng_range(rng, 60, 1514);

		sim_progress("default scenario: eth0 packets", n, NET_PACKETS);
		/* Receive: the NIC writes the frame, the driver syncs and reads it. */
		fill(pkt, len, n);
		if (sim_device_rw(sys, d, b->dma, pkt, len, true))
			sys->stats->data_errors++;
		sim_sync_single(sys, d, b->dma, len, DMA_FROM_DEVICE, true);
		if (memcmp(b->cpu, pkt, len))
			sys->stats->data_errors++;
		if (rng_range(rng, 0, 15) == 0) {
			/* The stack kept the buffer: map a fresh one into the slot. */
			net_rx_release(sys, d, b);
			ret = net_rx_refill(sys, d, b);
		} else {
			sim_sync_single(sys, d, b->dma, NET_RX_BUF, DMA_FROM_DEVICE, false);
		}

		/* Transmit: a new buffer mapped, read by the NIC, completed later. */
		t = &tx[rng_range(rng, 0, NET_TX_INFLIGHT - 1)];
		if (t->cpu)
			net_tx_complete(sys, d, t);
		if (ret)
			break;
		t->len = rng_range(rng, 42, 1514);
		t->cpu = kmalloc(t->len, GFP_KERNEL);
		if (!t->cpu) {
			ret = -ENOMEM;
			break;
		}
		fill(t->cpu, t->len, ~(uint64_t)n);
		t->dma = sim_map_single(sys, d, t->cpu, t->len, DMA_TO_DEVICE);
		if (sim_mapping_failed(d, t->dma)) {
			kfree(t->cpu);
			t->cpu = NULL;
			ret = -ENOMEM;
			break;
		}
		if (sim_device_rw(sys, d, t->dma, got, t->len, false) || memcmp(got, t->cpu, t->len))
			sys->stats->data_errors++;
	}
	for (i = 0; i < NET_TX_INFLIGHT; i++)
		if (tx[i].cpu)
			net_tx_complete(sys, d, &tx[i]);
	for (i = 0; i < NET_RX_RING; i++)
		net_rx_release(sys, d, &rx[i]);
	return ret;
}

/* ---- nvme0: scatterlists of 1-128 entries under a 64 KiB boundary ---- */

struct blk_req {
	struct sg_table sgt;
	struct page *pages[BLK_MAX_ENTS];
	unsigned int orders[BLK_MAX_ENTS];
	int nents, count, dir;
	bool mapped;
};

static void blk_release(struct sim_system *sys, struct sim_dev *d, struct blk_req *r)
{
	int i;

	if (r->mapped)
		sim_unmap_sg(sys, d, r->sgt.sgl, r->nents, r->dir);
	r->mapped = false;
	for (i = 0; i < r->nents; i++)
		if (r->pages[i])
			__free_pages(r->pages[i], r->orders[i]);
	if (r->nents)
		sg_free_table(&r->sgt);
	memset(r, 0, sizeof(*r));
}

/* Check the segments against the device's limits and move the data. */
static void blk_transfer(struct sim_system *sys, struct sim_dev *d, struct blk_req *r,
			 uint64_t tag)
{
	unsigned long boundary = dma_get_seg_boundary(d->dev);
	unsigned int max_seg = dma_get_max_seg_size(d->dev);
	struct scatterlist *s;
	unsigned char *buf;
	int i;

	for_each_sg(r->sgt.sgl, s, r->count, i) {
		dma_addr_t a = sg_dma_address(s);
		unsigned int len = sg_dma_len(s);

		if (len > max_seg || (a & ~(dma_addr_t)boundary) !=
				     ((a + len - 1) & ~(dma_addr_t)boundary))
			sys->stats->data_errors++;	/* a segment breaks the device's limits */
		buf = kmalloc(len, GFP_KERNEL);
		if (!buf)
			continue;
		if (r->dir == DMA_FROM_DEVICE) {
			fill(buf, len, tag + i);
			if (sim_device_rw(sys, d, a, buf, len, true))
				sys->stats->data_errors++;
		} else if (sim_device_rw(sys, d, a, buf, len, false)) {
			sys->stats->data_errors++;
		}
		kfree(buf);
	}
}

static int blk_submit(struct sim_system *sys, struct sim_dev *d, struct blk_req *r,
		      struct sim_rng *rng, uint64_t tag)
{
	struct scatterlist *s;
	int i;

	r->nents = (int)rng_range(rng, 1, BLK_MAX_ENTS);
	r->dir = rng_range(rng, 0, 1) ? DMA_TO_DEVICE : DMA_FROM_DEVICE;
	if (sg_alloc_table(&r->sgt, r->nents, GFP_KERNEL)) {
		r->nents = 0;
		return -ENOMEM;
	}
	for_each_sg(r->sgt.sgl, s, r->nents, i) {
		unsigned int order = rng_range(rng, 0, 7) == 0 ? 2 : 0;
		/*
		 * Entries as a block layer makes them for this device: at most
		 * 16 KiB, so each fits the 64 KiB segment limits wherever it
		 * starts in a granule, whatever PAGE_SIZE is.
		 */
		size_t room = min_t(size_t, PAGE_SIZE << order, order ? SZ_16K : SZ_4K);
		size_t off = rng_range(rng, 0, 3) == 0 ? rng_range(rng, 0, room / 2) & ~511ul : 0;
		size_t len = rng_range(rng, 1, (room - off) / 512) * 512;

		r->pages[i] = alloc_pages(GFP_KERNEL, order);
		r->orders[i] = order;
		if (!r->pages[i])
			return -ENOMEM;
		if (r->dir == DMA_TO_DEVICE)
			fill((char *)page_address(r->pages[i]) + off, len, tag + i);
		sg_set_page(s, r->pages[i], len, off);
	}
	r->count = sim_map_sg(sys, d, r->sgt.sgl, r->nents, r->dir);
	if (r->count <= 0)
		return -ENOMEM;
	r->mapped = true;
	blk_transfer(sys, d, r, tag);
	return 0;
}

static int run_blk(struct sim_system *sys, struct sim_dev *d, struct sim_rng *rng)
{
	static struct blk_req reqs[BLK_INFLIGHT];
	unsigned int n, i;
	int ret = 0;

	memset(reqs, 0, sizeof(reqs));
	for (n = 0; n < BLK_REQUESTS && !ret; n++) {
		struct blk_req *r = &reqs[rng_range(rng, 0, BLK_INFLIGHT - 1)];

		sim_progress("default scenario: nvme0 requests", n, BLK_REQUESTS);
		blk_release(sys, d, r);
		ret = blk_submit(sys, d, r, rng, n * 1000u);
	}
	for (i = 0; i < BLK_INFLIGHT; i++)
		blk_release(sys, d, &reqs[i]);
	return ret;
}

/* ---- dpu0: a coherent frame buffer mapped to user space ---- */

static int run_dpu(struct sim_system *sys, struct sim_dev *d)
{
	size_t size = (size_t)DPU_WIDTH * DPU_HEIGHT * 4, line = (size_t)DPU_WIDTH * 4;
	struct vm_area_struct *vma;
	unsigned char *scan;
	uint64_t handle;
	unsigned int f, y;
	void *cpu;
	int ret;

	cpu = sim_alloc_coherent(sys, d, size, &handle);
	if (!cpu)
		return -ENOMEM;
	scan = kmalloc(line, GFP_KERNEL);
	vma = iosim_vma_create(size, 0);
	ret = !scan || !vma ? -ENOMEM : sim_mmap_coherent(sys, d, vma, cpu, handle, size);
	for (f = 0; f < DPU_FRAMES && !ret; f++) {
		unsigned char *user = (unsigned char *)vma->vm_start;

		/* User space draws the frame; the display scans it out. */
		fill(user, size, f);
		for (y = 0; y < DPU_HEIGHT; y += 8) {
			if (sim_device_rw(sys, d, handle + y * line, scan, line, false) ||
			    memcmp(scan, user + y * line, line))
				sys->stats->data_errors++;
		}
	}
	if (vma)
		iosim_vma_destroy(vma);
	kfree(scan);
	sim_free_coherent(sys, d, size, cpu, handle);
	return ret;
}

/* ---- audio0: a non-coherent device on direct DMA ---- */

static int run_audio(struct sim_system *sys, struct sim_dev *d, struct sim_rng *rng)
{
	unsigned char *buf, *dev_buf;
	unsigned int p;
	uint64_t h;
	int ret = 0;

	buf = kmalloc(AUDIO_PERIOD, GFP_KERNEL);
	dev_buf = kmalloc(AUDIO_PERIOD, GFP_KERNEL);
	if (!buf || !dev_buf) {
		ret = -ENOMEM;
		goto out;
	}
	for (p = 0; p < AUDIO_PERIODS; p++) {
		bool capture = rng_range(rng, 0, 1);

		if (capture) {
			/* Capture: the codec writes a period, the CPU syncs and reads it. */
			h = sim_map_single(sys, d, buf, AUDIO_PERIOD, DMA_FROM_DEVICE);
			if (sim_mapping_failed(d, h)) {
				ret = -ENOMEM;
				break;
			}
			fill(dev_buf, AUDIO_PERIOD, p);
			if (sim_device_rw(sys, d, h, dev_buf, AUDIO_PERIOD, true))
				sys->stats->data_errors++;
			sim_sync_single(sys, d, h, AUDIO_PERIOD, DMA_FROM_DEVICE, true);
			if (memcmp(buf, dev_buf, AUDIO_PERIOD))
				sys->stats->data_errors++;
			sim_sync_single(sys, d, h, AUDIO_PERIOD, DMA_FROM_DEVICE, false);
			sim_unmap_single(sys, d, h, AUDIO_PERIOD, DMA_FROM_DEVICE);
		} else {
			/* Playback: the CPU writes a period, the mapping cleans it, the codec reads. */
			fill(buf, AUDIO_PERIOD, ~(uint64_t)p);
			h = sim_map_single(sys, d, buf, AUDIO_PERIOD, DMA_TO_DEVICE);
			if (sim_mapping_failed(d, h)) {
				ret = -ENOMEM;
				break;
			}
			if (sim_device_rw(sys, d, h, dev_buf, AUDIO_PERIOD, false) ||
			    memcmp(buf, dev_buf, AUDIO_PERIOD))
				sys->stats->data_errors++;
			sim_unmap_single(sys, d, h, AUDIO_PERIOD, DMA_TO_DEVICE);
		}
	}
out:
	kfree(buf);
	kfree(dev_buf);
	return ret;
}

/**
 * sim_scenario_run - run the built-in workload on the system
 * sim_scenario_config() describes
 * @sys: the system, up
 * @seed: the generator's seed (0 is replaced by 1)
 *
 * Every mapping and buffer is released before returning, success or not.
 *
 * Context: process context.
 * Return: 0; -ENODEV when a device of the scenario is missing; -ENOMEM when
 * the simulation ran out of memory or IOVA space.
 */
int sim_scenario_run(struct sim_system *sys, unsigned long seed)
{
	struct sim_dev *eth = sim_system_device(sys, "eth0");
	struct sim_dev *blk = sim_system_device(sys, "nvme0");
	struct sim_dev *dpu = sim_system_device(sys, "dpu0");
	struct sim_dev *audio = sim_system_device(sys, "audio0");
	struct sim_rng rng = { .x = seed ? seed : 1 };
	int ret;

	sys->stats->mode = "scenario";
	sys->stats->seed = seed;
	if (!eth || !blk || !dpu || !audio)
		return -ENODEV;
	sim_stats_sample(sys, true);
	ret = run_net(sys, eth, &rng);
	if (!ret)
		ret = run_blk(sys, blk, &rng);
	if (!ret)
		ret = run_dpu(sys, dpu);
	if (!ret)
		ret = run_audio(sys, audio, &rng);
	sim_progress_end();
	return ret;
}
