/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * asm-generic/pci-dma-compat.h - customised: the PCI DMA API of v4.1, thin wrappers
 * over the generic DMA API taking a struct pci_dev (NULL: no device, as the
 * kernel allows) and an int direction (PCI_DMA_*).
 *
 * Customised, never silently: each wrapper is also a macro that records its
 * caller's file:line for DMA-API debugging, as the generic API's entry points
 * do (<asm-generic/dma-mapping-common.h>), and calls the generic API with its
 * name in parentheses so that the caller's site is the one kept.  The
 * functions keep their kernel names and signatures.  The three the kernel
 * wrote as &pdev->dev (pci_dma_mapping_error(), pci_set_dma_mask(),
 * pci_set_consistent_dma_mask()) pass NULL for a NULL device too: the
 * generic API then answers for no device, or WARNs (the setters, -EIO).
 */
#ifndef _IOSIM_LINUX_PCI_H
#include <linux/pci.h>	/* which includes this header, through <asm/pci.h> */
#elif !defined(_IOSIM_ASM_GENERIC_PCI_DMA_COMPAT_H)
#define _IOSIM_ASM_GENERIC_PCI_DMA_COMPAT_H

#include <linux/dma-mapping.h>

/* The generic API's device for a PCI device, or NULL. */
#define __iosim_pci_hwdev(hwdev)	((hwdev) == NULL ? NULL : &(hwdev)->dev)

/** pci_dma_supported - dma_supported() of @hwdev's device. */
static inline int pci_dma_supported(struct pci_dev *hwdev, u64 mask)
{
	return dma_supported(__iosim_pci_hwdev(hwdev), mask);
}

/** pci_alloc_consistent - dma_alloc_coherent() with GFP_ATOMIC: never sleeps. */
static inline void *pci_alloc_consistent(struct pci_dev *hwdev, size_t size,
					 dma_addr_t *dma_handle)
{
	return (dma_alloc_attrs)(__iosim_pci_hwdev(hwdev), size, dma_handle, GFP_ATOMIC, NULL);
}

/** pci_zalloc_consistent - pci_alloc_consistent() of a zeroed buffer. */
static inline void *pci_zalloc_consistent(struct pci_dev *hwdev, size_t size,
					  dma_addr_t *dma_handle)
{
	return (dma_zalloc_coherent)(__iosim_pci_hwdev(hwdev), size, dma_handle, GFP_ATOMIC);
}

/** pci_free_consistent - dma_free_coherent() of a pci_alloc_consistent() buffer. */
static inline void pci_free_consistent(struct pci_dev *hwdev, size_t size, void *vaddr,
				       dma_addr_t dma_handle)
{
	(dma_free_attrs)(__iosim_pci_hwdev(hwdev), size, vaddr, dma_handle, NULL);
}

/** pci_map_single - dma_map_single(); @direction is a PCI_DMA_* value. */
static inline dma_addr_t pci_map_single(struct pci_dev *hwdev, void *ptr, size_t size,
					int direction)
{
	return (dma_map_single_attrs)(__iosim_pci_hwdev(hwdev), ptr, size,
				      (enum dma_data_direction)direction, NULL);
}

/** pci_unmap_single - dma_unmap_single(). */
static inline void pci_unmap_single(struct pci_dev *hwdev, dma_addr_t dma_addr, size_t size,
				    int direction)
{
	(dma_unmap_single_attrs)(__iosim_pci_hwdev(hwdev), dma_addr, size,
				 (enum dma_data_direction)direction, NULL);
}

/** pci_map_page - dma_map_page(). */
static inline dma_addr_t pci_map_page(struct pci_dev *hwdev, struct page *page,
				      unsigned long offset, size_t size, int direction)
{
	return (dma_map_page)(__iosim_pci_hwdev(hwdev), page, offset, size,
			      (enum dma_data_direction)direction);
}

/** pci_unmap_page - dma_unmap_page(). */
static inline void pci_unmap_page(struct pci_dev *hwdev, dma_addr_t dma_address, size_t size,
				  int direction)
{
	(dma_unmap_page)(__iosim_pci_hwdev(hwdev), dma_address, size,
			 (enum dma_data_direction)direction);
}

/** pci_map_sg - dma_map_sg(): the number of DMA segments, 0 on failure. */
static inline int pci_map_sg(struct pci_dev *hwdev, struct scatterlist *sg, int nents,
			     int direction)
{
	return (dma_map_sg_attrs)(__iosim_pci_hwdev(hwdev), sg, nents,
				  (enum dma_data_direction)direction, NULL);
}

/** pci_unmap_sg - dma_unmap_sg(); @nents as given to pci_map_sg(). */
static inline void pci_unmap_sg(struct pci_dev *hwdev, struct scatterlist *sg, int nents,
				int direction)
{
	(dma_unmap_sg_attrs)(__iosim_pci_hwdev(hwdev), sg, nents,
			     (enum dma_data_direction)direction, NULL);
}

/** pci_dma_sync_single_for_cpu - dma_sync_single_for_cpu(). */
static inline void pci_dma_sync_single_for_cpu(struct pci_dev *hwdev, dma_addr_t dma_handle,
					       size_t size, int direction)
{
	(dma_sync_single_for_cpu)(__iosim_pci_hwdev(hwdev), dma_handle, size,
				  (enum dma_data_direction)direction);
}

/** pci_dma_sync_single_for_device - dma_sync_single_for_device(). */
static inline void pci_dma_sync_single_for_device(struct pci_dev *hwdev, dma_addr_t dma_handle,
						  size_t size, int direction)
{
	(dma_sync_single_for_device)(__iosim_pci_hwdev(hwdev), dma_handle, size,
				     (enum dma_data_direction)direction);
}

/** pci_dma_sync_sg_for_cpu - dma_sync_sg_for_cpu(); @nelems as given to pci_map_sg(). */
static inline void pci_dma_sync_sg_for_cpu(struct pci_dev *hwdev, struct scatterlist *sg,
					   int nelems, int direction)
{
	(dma_sync_sg_for_cpu)(__iosim_pci_hwdev(hwdev), sg, nelems,
			      (enum dma_data_direction)direction);
}

/** pci_dma_sync_sg_for_device - dma_sync_sg_for_device(). */
static inline void pci_dma_sync_sg_for_device(struct pci_dev *hwdev, struct scatterlist *sg,
					      int nelems, int direction)
{
	(dma_sync_sg_for_device)(__iosim_pci_hwdev(hwdev), sg, nelems,
				 (enum dma_data_direction)direction);
}

/** pci_dma_mapping_error - dma_mapping_error() of @pdev's device. */
static inline int pci_dma_mapping_error(struct pci_dev *pdev, dma_addr_t dma_addr)
{
	return (dma_mapping_error)(__iosim_pci_hwdev(pdev), dma_addr);
}

#ifdef CONFIG_PCI
/** pci_set_dma_mask - dma_set_mask(): 0, or -EIO with the mask unchanged. */
static inline int pci_set_dma_mask(struct pci_dev *dev, u64 mask)
{
	return dma_set_mask(__iosim_pci_hwdev(dev), mask);
}

/** pci_set_consistent_dma_mask - dma_set_coherent_mask(): 0, or -EIO. */
static inline int pci_set_consistent_dma_mask(struct pci_dev *dev, u64 mask)
{
	return dma_set_coherent_mask(__iosim_pci_hwdev(dev), mask);
}
#endif

/* The caller's file:line for DMA-API debugging (a macro does not expand inside itself). */
#define pci_alloc_consistent(...)	__IOSIM_DMA_SITE(pci_alloc_consistent(__VA_ARGS__))
#define pci_zalloc_consistent(...)	__IOSIM_DMA_SITE(pci_zalloc_consistent(__VA_ARGS__))
#define pci_free_consistent(...)	__IOSIM_DMA_SITE(pci_free_consistent(__VA_ARGS__))
#define pci_map_single(...)		__IOSIM_DMA_SITE(pci_map_single(__VA_ARGS__))
#define pci_unmap_single(...)		__IOSIM_DMA_SITE(pci_unmap_single(__VA_ARGS__))
#define pci_map_page(...)		__IOSIM_DMA_SITE(pci_map_page(__VA_ARGS__))
#define pci_unmap_page(...)		__IOSIM_DMA_SITE(pci_unmap_page(__VA_ARGS__))
#define pci_map_sg(...)			__IOSIM_DMA_SITE(pci_map_sg(__VA_ARGS__))
#define pci_unmap_sg(...)		__IOSIM_DMA_SITE(pci_unmap_sg(__VA_ARGS__))
#define pci_dma_sync_single_for_cpu(...) \
	__IOSIM_DMA_SITE(pci_dma_sync_single_for_cpu(__VA_ARGS__))
#define pci_dma_sync_single_for_device(...) \
	__IOSIM_DMA_SITE(pci_dma_sync_single_for_device(__VA_ARGS__))
#define pci_dma_sync_sg_for_cpu(...)	__IOSIM_DMA_SITE(pci_dma_sync_sg_for_cpu(__VA_ARGS__))
#define pci_dma_sync_sg_for_device(...)	__IOSIM_DMA_SITE(pci_dma_sync_sg_for_device(__VA_ARGS__))
#define pci_dma_mapping_error(...)	__IOSIM_DMA_SITE(pci_dma_mapping_error(__VA_ARGS__))

#endif /* _IOSIM_ASM_GENERIC_PCI_DMA_COMPAT_H */
