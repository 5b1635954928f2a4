// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * pci-tx: a 2015 PCI network driver's transmit path, written with the PCI
 * DMA API of the time - pci_alloc_consistent() for the descriptor ring,
 * pci_map_single() for each packet, pci_set_dma_mask() with the 64-bit then
 * 32-bit fallback - on an arm64 SoC like ARM Juno (2 GiB of RAM below 4 GiB,
 * more above) whose PCIe host bridge sits behind an SMMU.  Two NICs: one
 * that addresses 64 bits and a legacy one that addresses 32.
 *
 * It shows what arm64 of 2015 did with them, as the "arm64: IOMMU-backed
 * DMA mapping" review explains: of_iommu_configure() gave up on PCI devices
 * (nothing said how a requester ID becomes a stream ID), so neither NIC gets
 * IOMMU DMA ops despite the SMMU.  Every handle is a physical address, and
 * the legacy NIC's packets, which the allocator places above 4 GiB, are
 * copied through swiotlb's bounce buffers on every transmit.  The simulated
 * NIC fetches each descriptor and packet by DMA and checks what it reads.
 *
 * Build (installed library): cc pci-tx.c $(pkg-config --cflags --libs libiommudma)
 */
#include <stdio.h>
#include <string.h>

#include <linux/dma-mapping.h>
#include <linux/pci.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/sizes.h>
#include <iosim/bus_master.h>
#include <iosim/dma.h>
#include <iosim/iommu.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/pci.h>
#include <iosim/ram.h>
#include <iosim/swiotlb.h>

#define TX_RING_SIZE	4
#define TX_BUF_LEN	1536
#define NR_PACKETS	6

#define VENDOR_ACME	0x1af4		/* the example's vendor ID */
#define NIC_64BIT	0x1000		/* device IDs: addresses 64 bits ... */
#define NIC_32BIT	0x1001		/* ... or only 32 (driver_data says which) */

/* A transmit descriptor, as the NIC fetches it from the coherent ring. */
struct tx_desc {
	__le64 addr;
	__le32 len;
	__le32 flags;
};

/* The driver's private data, as a real one keeps it. */
struct tx_ring {
	struct pci_dev *pdev;
	struct tx_desc *desc;			/* pci_alloc_consistent() */
	dma_addr_t desc_dma;
	void *buf[TX_RING_SIZE];		/* packet buffers, kmalloc()ed */
	unsigned int nr_ok, nr_bounced;		/* packets the NIC read right; bounced */
};

static int tx_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	unsigned int dma_bits = (unsigned int)id->driver_data;
	struct tx_ring *ring;
	int i, err;

	err = pci_enable_device(pdev);
	if (err)
		return err;
	/* The classic pattern: as wide as the hardware allows, else 32 bits. */
	err = -EIO;
	if (dma_bits == 64 && !pci_set_dma_mask(pdev, DMA_BIT_MASK(64)))
		err = pci_set_consistent_dma_mask(pdev, DMA_BIT_MASK(64));
	if (err) {
		err = pci_set_dma_mask(pdev, DMA_BIT_MASK(32));
		if (!err)
			err = pci_set_consistent_dma_mask(pdev, DMA_BIT_MASK(32));
	}
	if (err)
		goto out_disable;
	pci_set_master(pdev);

	err = -ENOMEM;
	ring = kzalloc(sizeof(*ring), GFP_KERNEL);
	if (!ring)
		goto out_disable;
	ring->pdev = pdev;
	ring->desc = pci_zalloc_consistent(pdev, TX_RING_SIZE * sizeof(*ring->desc),
					   &ring->desc_dma);
	if (!ring->desc)
		goto out_free_ring;
	for (i = 0; i < TX_RING_SIZE; i++) {
		ring->buf[i] = kmalloc(TX_BUF_LEN, GFP_KERNEL);
		if (!ring->buf[i])
			goto out_free_bufs;
	}
	pci_set_drvdata(pdev, ring);
	return 0;

out_free_bufs:
	while (i--)
		kfree(ring->buf[i]);
	pci_free_consistent(pdev, TX_RING_SIZE * sizeof(*ring->desc), ring->desc,
			    ring->desc_dma);
out_free_ring:
	kfree(ring);
out_disable:
	pci_disable_device(pdev);
	return err;
}

static void tx_remove(struct pci_dev *pdev)
{
	struct tx_ring *ring = pci_get_drvdata(pdev);
	int i;

	for (i = 0; i < TX_RING_SIZE; i++)
		kfree(ring->buf[i]);
	pci_free_consistent(pdev, TX_RING_SIZE * sizeof(*ring->desc), ring->desc,
			    ring->desc_dma);
	kfree(ring);
	pci_clear_master(pdev);
	pci_disable_device(pdev);
}

static const struct pci_device_id tx_ids[] = {
	{ PCI_DEVICE(VENDOR_ACME, NIC_64BIT), .driver_data = 64 },
	{ PCI_DEVICE(VENDOR_ACME, NIC_32BIT), .driver_data = 32 },
	{ 0 }
};

static struct pci_driver tx_driver = {
	.name = "acme-tx",
	.id_table = tx_ids,
	.probe = tx_probe,
	.remove = tx_remove,
};

/*
 * The simulated NIC: fetch descriptor @slot by DMA, then the packet it
 * points at, and compare with what the driver queued.  0, or -EIO.
 */
static int nic_transmit(struct tx_ring *ring, int slot, const char *want, size_t len)
{
	struct device *dev = &ring->pdev->dev;
	char got[TX_BUF_LEN];
	struct tx_desc d;

	if (iosim_dma_read(dev, ring->desc_dma + slot * sizeof(d), &d, sizeof(d)) ||
	    (size_t)le32_to_cpu(d.len) != len ||
	    iosim_dma_read(dev, le64_to_cpu(d.addr), got, len))
		return -EIO;
	return memcmp(got, want, len) ? -EIO : 0;
}

/* The driver's ndo_start_xmit() and its completion, for packet @n. */
static int xmit_one(struct tx_ring *ring, int n)
{
	struct pci_dev *pdev = ring->pdev;
	int slot = n % TX_RING_SIZE;
	char pkt[64];
	dma_addr_t dma;
	size_t len;
	int ret;

	len = (size_t)snprintf(pkt, sizeof(pkt), "packet %d from %s", n, pci_name(pdev)) + 1;
	memcpy(ring->buf[slot], pkt, len);
	dma = pci_map_single(pdev, ring->buf[slot], len, PCI_DMA_TODEVICE);
	if (pci_dma_mapping_error(pdev, dma))
		return -ENOMEM;
	ring->desc[slot].addr = cpu_to_le64(dma);
	ring->desc[slot].len = cpu_to_le32((u32)len);
	ring->desc[slot].flags = cpu_to_le32(1);
	ret = nic_transmit(ring, slot, pkt, len);
	/* The transmit-complete interrupt: unmap. */
	pci_unmap_single(pdev, dma, len, PCI_DMA_TODEVICE);
	ring->nr_ok += !ret;
	ring->nr_bounced += dma != virt_to_phys(ring->buf[slot]);
	printf("  packet %d: buffer at phys %#llx, DMA handle %#llx%s%s\n", n,
	       (unsigned long long)virt_to_phys(ring->buf[slot]), (unsigned long long)dma,
	       dma != virt_to_phys(ring->buf[slot]) ? " (a swiotlb bounce buffer)" : "",
	       ret ? "   <-- the NIC read something else" : "");
	return ret;
}

static int run_nic(struct pci_dev *pdev, const char *what)
{
	struct tx_ring *ring = pci_get_drvdata(pdev);
	struct iosim_swiotlb_stats before, after;
	int n, ret = 0;

	if (!ring) {
		printf("%s: not probed\n", pci_name(pdev));
		return -ENODEV;
	}
	printf("\n%s (%s): DMA mask %d bits, %s\n", pci_name(pdev), what,
	       fls64(*pdev->dev.dma_mask),
	       iosim_dma_uses_iommu(&pdev->dev) ? "IOMMU DMA ops" :
	       "the default DMA ops: no translation behind the SMMU (arm64 of 2015)");
	iosim_swiotlb_get_stats(&before);
	for (n = 0; n < NR_PACKETS && !ret; n++)
		ret = xmit_one(ring, n);
	iosim_swiotlb_get_stats(&after);
	printf("  %u of %d packets read right by the NIC; %u bounced (%llu bytes copied by swiotlb)\n",
	       ring->nr_ok, NR_PACKETS, ring->nr_bounced,
	       (unsigned long long)(after.bytes_to_bounce - before.bytes_to_bounce));
	return ret;
}

int main(void)
{
	struct iosim_iommu_config icfg = { .name = "pcie-smmu", .bus = &platform_bus_type };
	struct iosim_pci_dev_config cfg = {
		.bus_number = 1, .vendor = VENDOR_ACME, .dma_coherent = true,
	};
	struct pci_dev *nic64 = NULL, *nic32 = NULL;
	struct iosim_ram_config ram;
	struct iosim_iommu *smmu;
	int ret = 1;

	iosim_log_set_console_level(3);		/* errors only */
	if (iosim_ram_config_juno(&ram, SZ_64M, SZ_128M) || iosim_ram_init(&ram))
		return 1;
	if (iosim_dma_system_init())
		goto out_ram;
	smmu = iosim_iommu_create(&icfg);
	if (IS_ERR(smmu))
		goto out_system;
	if (pci_register_driver(&tx_driver))
		goto out_iommu;

	/* Both behind the SMMU, as the host bridge's device-tree node says. */
	cfg.iommu = smmu;
	cfg.devfn = PCI_DEVFN(0, 0);
	cfg.device = NIC_64BIT;
	nic64 = iosim_pci_dev_create(&cfg);	/* acme-tx probes it now */
	cfg.devfn = PCI_DEVFN(1, 0);
	cfg.device = NIC_32BIT;
	nic32 = iosim_pci_dev_create(&cfg);
	printf("PCIe host bridge behind IOMMU %s; RAM %#llx-%#llx and %#llx-%#llx\n",
	       iosim_iommu_name(smmu), (unsigned long long)ram.banks[0].base_phys,
	       (unsigned long long)(ram.banks[0].base_phys + ram.banks[0].size_bytes - 1),
	       (unsigned long long)ram.banks[1].base_phys,
	       (unsigned long long)(ram.banks[1].base_phys + ram.banks[1].size_bytes - 1));
	if (nic64 && nic32 && !run_nic(nic64, "64-bit NIC") && !run_nic(nic32, "32-bit NIC") &&
	    iosim_pci_dev_check(nic64) == 0 && iosim_pci_dev_check(nic32) == 0)
		ret = 0;

	iosim_pci_dev_destroy(nic32);		/* tx_remove() frees the ring */
	iosim_pci_dev_destroy(nic64);
	pci_unregister_driver(&tx_driver);
out_iommu:
	iosim_iommu_destroy(smmu);
out_system:
	iosim_dma_system_exit();
out_ram:
	if (iosim_ram_exit() || iosim_live_total())
		ret = 1;
	return ret;
}
