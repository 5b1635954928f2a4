// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * pci-vfio: what VFIO did in 2015 with a PCI device behind an arm64 SMMU,
 * through the IOMMU API the kernel gave it.  arm64's DMA set-up gave PCI
 * devices no IOMMU DMA ops, but arm-smmu served the PCI bus, so the device
 * had an IOMMU group; VFIO attached that group to an unmanaged domain of
 * its own and mapped the user's pinned pages at the IOVAs the user chose
 * (VFIO_IOMMU_MAP_DMA), read-only where the user asked.
 *
 * The simulated device, an NVMe-like controller, then runs one command:
 * it fetches the command from the submission queue page (mapped read-only),
 * copies the source buffer to the destination buffer named in it, and
 * finally tries a write the user never mapped, which the SMMU stops: the
 * domain's fault handler hears it and no byte moves.  Exits non-zero if
 * anything goes otherwise, or if anything is left alive.
 *
 * Build (installed library): cc pci-vfio.c $(pkg-config --cflags --libs libiommudma)
 */
#include <stdio.h>
#include <string.h>

#include <linux/iommu.h>
#include <linux/mm.h>
#include <linux/pci.h>
#include <iosim/bus_master.h>
#include <iosim/dma.h>
#include <iosim/iommu.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <iosim/pci.h>
#include <iosim/ram.h>

/* The user's IOVA layout, as a VFIO user picks it. */
#define SQ_IOVA		0x100000UL	/* submission queue: the device reads it */
#define SRC_IOVA	0x200000UL	/* source buffer: the device reads it */
#define DST_IOVA	0x300000UL	/* destination buffer: the device writes it */
#define STRAY_IOVA	0x400000UL	/* never mapped */
#define COPY_BYTES	2048

/* The command the device fetches: copy len bytes from src to dst (little-endian). */
struct copy_cmd {
	__le64 src;
	__le64 dst;
	__le32 len;
	__le32 flags;
};

static int faults_heard;

static int vfio_fault(struct iommu_domain *domain, struct device *dev, unsigned long iova,
		      int flags, void *token)
{
	(void)domain;
	(void)token;
	faults_heard++;
	printf("  fault handler: %s %s at IOVA %#lx\n", dev_name(dev),
	       flags & IOMMU_FAULT_WRITE ? "write" : "read", iova);
	return -ENOSYS;
}

/* The device: fetch the command at SQ_IOVA and carry it out. */
static int device_runs_command(struct pci_dev *pdev)
{
	unsigned char data[COPY_BYTES];
	struct copy_cmd cmd;
	u32 len;

	if (iosim_dma_read(&pdev->dev, SQ_IOVA, &cmd, sizeof(cmd)))
		return -1;
	len = le32_to_cpu(cmd.len);
	if (len > sizeof(data))
		return -1;
	if (iosim_dma_read(&pdev->dev, le64_to_cpu(cmd.src), data, len))
		return -1;
	return iosim_dma_write(&pdev->dev, le64_to_cpu(cmd.dst), data, len);
}

/* The user's pinned pages: one page each, the source filled with a pattern. */
static struct page *user_page(int fill)
{
	struct page *page = alloc_pages(GFP_KERNEL, 0);

	if (page)
		memset(page_address(page), fill, PAGE_SIZE);
	return page;
}

static int map_user_pages(struct iommu_domain *domain, struct page *sq, struct page *src,
			  struct page *dst)
{
	if (iommu_map(domain, SQ_IOVA, page_to_phys(sq), PAGE_SIZE, IOMMU_READ) ||
	    iommu_map(domain, SRC_IOVA, page_to_phys(src), PAGE_SIZE, IOMMU_READ) ||
	    iommu_map(domain, DST_IOVA, page_to_phys(dst), PAGE_SIZE, IOMMU_READ | IOMMU_WRITE))
		return -1;
	return 0;
}

int main(void)
{
	struct iosim_iommu_config icfg = {
		.name = "pcie-smmu", .bus = &pci_bus_type, .bypass_unattached = true,
	};
	struct iosim_pci_dev_config cfg = {
		.bus_number = 1, .devfn = PCI_DEVFN(0, 0), .vendor = 0x1b36, .device = 0x0010,
		.class = 0x010802, .dma_mask = DMA_BIT_MASK(64),
		.coherent_dma_mask = DMA_BIT_MASK(64), .dma_coherent = true,
	};
	struct page *sq = NULL, *src = NULL, *dst = NULL;
	struct iommu_domain *domain = NULL;
	struct iommu_group *group = NULL;
	unsigned char stray[64] = { 0 };
	struct pci_dev *pdev = NULL;
	struct iosim_iommu *smmu;
	struct copy_cmd *cmd;
	int ok = 0;

	iosim_log_set_console_level(4);	/* warnings and errors on stderr */
	if (iosim_ram_init(NULL) || iosim_dma_system_init())
		return 1;
	smmu = iosim_iommu_create(&icfg);
	if (IS_ERR_OR_NULL(smmu))
		goto out_exit;
	cfg.iommu = smmu;
	pdev = iosim_pci_dev_create(&cfg);
	group = pdev ? iommu_group_get(&pdev->dev) : NULL;
	if (!group)
		goto out_destroy;
	printf("%s: IOMMU group %d behind %s, default DMA ops (arm64 of 2015)\n",
	       pci_name(pdev), iommu_group_id(group), iosim_iommu_name(smmu));

	/* VFIO_SET_IOMMU: a domain of the container's own, the group attached. */
	domain = iommu_domain_alloc(&pci_bus_type);
	if (!domain || iommu_attach_group(domain, group))
		goto out_free_domain;
	iommu_set_fault_handler(domain, vfio_fault, NULL);

	/* VFIO_IOMMU_MAP_DMA of the user's pinned pages. */
	sq = user_page(0);
	src = user_page(0x5a);
	dst = user_page(0);
	if (!sq || !src || !dst || map_user_pages(domain, sq, src, dst))
		goto out_unmap;
	cmd = page_address(sq);
	cmd->src = cpu_to_le64(SRC_IOVA);
	cmd->dst = cpu_to_le64(DST_IOVA);
	cmd->len = cpu_to_le32(COPY_BYTES);
	printf("mapped: queue at %#lx (read-only), source at %#lx, destination at %#lx\n",
	       SQ_IOVA, SRC_IOVA, DST_IOVA);

	if (device_runs_command(pdev) ||
	    memcmp(page_address(dst), page_address(src), COPY_BYTES) ||
	    ((unsigned char *)page_address(dst))[COPY_BYTES] != 0)
		goto out_unmap;
	printf("device copied %d bytes from %#lx to %#lx through the SMMU\n", COPY_BYTES,
	       SRC_IOVA, DST_IOVA);

	/* A write into the read-only queue, and one where nothing is mapped: both stopped. */
	if (iosim_dma_write(&pdev->dev, SQ_IOVA, stray, sizeof(stray)) != -EFAULT ||
	    iosim_dma_write(&pdev->dev, STRAY_IOVA, stray, sizeof(stray)) != -EFAULT ||
	    faults_heard != 2 || le32_to_cpu(cmd->len) != COPY_BYTES)
		goto out_unmap;
	printf("stray writes stopped: %d faults, the queue unchanged\n", faults_heard);
	ok = 1;

out_unmap:
	iommu_unmap(domain, SQ_IOVA, PAGE_SIZE);
	iommu_unmap(domain, SRC_IOVA, PAGE_SIZE);
	iommu_unmap(domain, DST_IOVA, PAGE_SIZE);
	iommu_detach_group(domain, group);
	if (sq)
		__free_pages(sq, 0);
	if (src)
		__free_pages(src, 0);
	if (dst)
		__free_pages(dst, 0);
out_free_domain:
	if (domain)
		iommu_domain_free(domain);
out_destroy:
	if (group)
		iommu_group_put(group);
	iosim_pci_dev_destroy(pdev);
	iosim_iommu_destroy(smmu);
out_exit:
	iosim_dma_system_exit();
	iosim_ram_exit();
	if (iosim_live_total()) {
		fprintf(stderr, "pci-vfio: %ld simulated objects left alive\n", iosim_live_total());
		return 1;
	}
	if (!ok) {
		fprintf(stderr, "pci-vfio: a step failed\n");
		return 1;
	}
	return 0;
}
