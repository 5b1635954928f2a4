// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Boot and shutdown of the simulated arm64 DMA layer.
 *
 * The kernel never shuts its DMA layer down; a test harness does, after
 * every test.  Shutdown undoes what booting did without knowing which
 * implementation of the IOMMU half is linked (ours, or the seed's own code
 * under test): bus notifiers registered during the initcalls are found by
 * comparing the chains with a snapshot taken before them (initcalls
 * allocate their notifier blocks with kzalloc(), as the kernel's do, so
 * they are freed), and IOVA cache references taken by them are counted the
 * same way.
 */
#include "arm64-dma-mapping.h"
#include "swiotlb-ops.h"

#include <linux/amba/bus.h>
#include <linux/dma-contiguous.h>
#include <linux/iova.h>
#include <linux/notifier.h>
#include <linux/platform_device.h>
#include <iosim/cma.h>
#include <iosim/dma.h>
#include <iosim/dma_debug.h>
#include <iosim/initcall.h>
#include <iosim/iova.h>
#include <iosim/ram.h>
#include <iosim/swiotlb.h>

#define SNAPSHOT_MAX	32

struct chain_snapshot {
	struct bus_type *bus;
	struct notifier_block *blocks[SNAPSHOT_MAX];
	unsigned int nr;
};

static struct chain_snapshot snapshots[2];
static unsigned int iova_cache_refs_taken;
static bool dma_ops_installed;
static bool swiotlb_up;
static bool system_up;

static void snapshot_chain(struct chain_snapshot *snap, struct bus_type *bus)
{
	struct notifier_block *nb;

	snap->bus = bus;
	snap->nr = 0;
	pthread_rwlock_rdlock(&bus->iosim_notifier.rwsem);
	for (nb = bus->iosim_notifier.head; nb && snap->nr < SNAPSHOT_MAX; nb = nb->next)
		snap->blocks[snap->nr++] = nb;
	pthread_rwlock_unlock(&bus->iosim_notifier.rwsem);
}

static bool in_snapshot(const struct chain_snapshot *snap, struct notifier_block *nb)
{
	unsigned int i;

	for (i = 0; i < snap->nr; i++)
		if (snap->blocks[i] == nb)
			return true;
	return false;
}

/* Unregister and free every block on @snap's chain that was not there before. */
static void drop_new_notifiers(const struct chain_snapshot *snap)
{
	struct notifier_block *nb;

	for (;;) {
		pthread_rwlock_rdlock(&snap->bus->iosim_notifier.rwsem);
		for (nb = snap->bus->iosim_notifier.head; nb; nb = nb->next)
			if (!in_snapshot(snap, nb))
				break;
		pthread_rwlock_unlock(&snap->bus->iosim_notifier.rwsem);
		if (!nb)
			return;
		bus_unregister_notifier(snap->bus, nb);
		kfree(nb);
	}
}

int iosim_dma_system_init(void)
{
	unsigned int refs_before;

	if (WARN(system_up, "iosim_dma_system_init: the DMA layer is already up"))
		return -EBUSY;
	if (!iosim_ram_ready())
		return -ENODEV;
	snapshot_chain(&snapshots[0], &platform_bus_type);
	snapshot_chain(&snapshots[1], &amba_bustype);
	/* arm64 reserves the default contiguous area first, below ZONE_DMA's end. */
	dma_contiguous_reserve(iosim_ram_zone_pages(ZONE_DMA) ? iosim_ram_zone_dma_limit() : 0);
	/* arm64's default ops are swiotlb's; without ZONE_DMA there is no pool. */
	swiotlb_up = !iosim_swiotlb_init();	/* a pool made beforehand stays its maker's */
	if (!dma_ops) {
		dma_ops = iosim_swiotlb_ready() ? &arm64_swiotlb_dma_ops : &arm64_direct_dma_ops;
		dma_ops_installed = true;
	}
	refs_before = iosim_iova_cache_users();
	iosim_initcalls_run();
	iova_cache_refs_taken = iosim_iova_cache_users() - refs_before;
	system_up = true;
	return 0;
}

void iosim_dma_system_exit(void)
{
	if (!system_up)
		return;
	drop_new_notifiers(&snapshots[0]);
	drop_new_notifiers(&snapshots[1]);
	iosim_atomic_pool_exit();
	while (iova_cache_refs_taken) {
		iova_cache_put();
		iova_cache_refs_taken--;
	}
	/* The debug layer's view of the system goes with it. */
	iosim_dma_debug_reset();
	if (dma_ops_installed) {
		dma_ops = NULL;
		dma_ops_installed = false;
	}
	if (swiotlb_up) {
		iosim_swiotlb_exit();
		swiotlb_up = false;
	}
	/* The contiguous areas were reserved at boot: they go with the system. */
	dma_contiguous_default_area = NULL;
	iosim_cma_exit();
	system_up = false;
}

bool iosim_dma_system_ready(void)
{
	return system_up;
}

bool iosim_dma_uses_iommu(struct device *dev)
{
	return dev && dev->archdata.dma_ops && dev->archdata.dma_ops != &arm64_direct_dma_ops &&
	       dev->archdata.dma_ops != &arm64_swiotlb_dma_ops;
}

/* arm64's boot-time DMA set-up: the atomic pool. */
static int __init arm64_dma_init(void)
{
	return atomic_pool_init();
}
arch_initcall(arm64_dma_init);
