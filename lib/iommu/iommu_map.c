// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Mapping through a domain: iommu_map(), iommu_unmap(), iommu_map_sg() and
 * iommu_iova_to_phys() (drivers/iommu/iommu.c of 2015).
 *
 * The driver only ever sees requests of one supported page size, with iova
 * and paddr aligned to that size: the core splits every range into the
 * largest pages the alignment of (iova | paddr) and the remaining length
 * allow.
 *
 * Choices where 2015 left room (docs/iommu-core.md has the list):
 *  - a map with neither IOMMU_READ nor IOMMU_WRITE maps nothing and succeeds,
 *    here in the core, so every driver behaves as io-pgtable-arm did;
 *  - a range that wraps around the address space is refused (-EINVAL);
 *  - iommu_unmap() reports errors as 0 bytes unmapped, never as a negative
 *    errno squeezed into a size_t;
 *  - default_iommu_map_sg() maps runs of physically contiguous entries with
 *    one iommu_map() each, so block mappings can be used.
 */
#define pr_fmt(fmt)	"iommu: " fmt

#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/scatterlist.h>

#include "iommu-priv.h"

/* The domain's granule: its driver's smallest page size (0 if none). */
unsigned long iommu_min_pagesz(const struct iommu_domain *domain)
{
	unsigned long bitmap = domain->ops->pgsize_bitmap;

	return bitmap ? 1UL << __ffs(bitmap) : 0;
}

/*
 * The largest page size in @pgsize_bitmap that is no larger than @size and
 * to which @addr_merge (iova | paddr) is aligned.  The callers have checked
 * that the smallest page size qualifies, so this never comes back empty.
 */
static size_t iommu_pgsize(unsigned long pgsize_bitmap, unsigned long addr_merge, size_t size)
{
	unsigned int pgsize_idx = __fls(size);
	unsigned long candidates;

	if (likely(addr_merge)) {
		unsigned int align_pgsize_idx = __ffs(addr_merge);

		pgsize_idx = min(pgsize_idx, align_pgsize_idx);
	}

	/* Every size up to 2^pgsize_idx, then only those the hardware has. */
	if (pgsize_idx >= BITS_PER_LONG - 1)
		candidates = ~0UL;
	else
		candidates = (1UL << (pgsize_idx + 1)) - 1;
	candidates &= pgsize_bitmap;

	if (WARN(!candidates, "iommu_pgsize: no page size for addr 0x%lx size 0x%zx",
		 addr_merge, size))
		return 0;
	return 1UL << __fls(candidates);
}

/*
 * The checks iommu_map() and iommu_unmap() share.  Return: the domain's
 * granule, or 0 after logging/WARNing why the request cannot proceed
 * (*@err says which errno).
 */
static unsigned long iommu_check_domain(struct iommu_domain *domain, bool for_map, int *err)
{
	const struct iommu_ops *ops;

	*err = -EINVAL;
	if (WARN(!domain, "%s: NULL domain", for_map ? "iommu_map" : "iommu_unmap"))
		return 0;
	ops = domain->ops;
	if (WARN(!ops, "%s: domain without ops", for_map ? "iommu_map" : "iommu_unmap"))
		return 0;

	*err = -ENODEV;
	if (unlikely((for_map ? !ops->map : !ops->unmap) || ops->pgsize_bitmap == 0UL))
		return 0;

	*err = -EINVAL;
	if (unlikely(!(domain->type & __IOMMU_DOMAIN_PAGING)))
		return 0;

	*err = 0;
	return iommu_min_pagesz(domain);
}

/**
 * iommu_map - map a physically contiguous range into a domain
 * @domain: a paging domain
 * @iova: IO virtual address to map at
 * @paddr: physical address of the range
 * @size: length in bytes
 * @prot: IOMMU_READ, IOMMU_WRITE, IOMMU_CACHE, IOMMU_NOEXEC, IOMMU_MMIO
 *
 * @iova, @paddr and @size must all be multiples of the domain's smallest
 * page size.  The range is handed to the driver in the largest pages the
 * alignment allows.  A zero @size maps nothing and succeeds, as does a @prot
 * with neither IOMMU_READ nor IOMMU_WRITE (nothing could use the mapping).
 *
 * Context: process context (the driver may allocate page tables).
 * Return: 0; -ENODEV if the driver has no map callback or page sizes;
 * -EINVAL if @domain is not a paging domain, or (logged) for unaligned
 * arguments or a range that wraps around; the driver's errno, after
 * everything this call mapped has been unmapped again.  -EINVAL (WARN) for
 * a NULL domain or a domain without ops.
 */
int iommu_map(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr, size_t size,
	      int prot)
{
	unsigned long orig_iova = iova, min_pagesz;
	size_t orig_size = size;
	int ret;

	min_pagesz = iommu_check_domain(domain, true, &ret);
	if (!min_pagesz)
		return ret;

	/*
	 * Both addresses and the size must be aligned (at least) to the
	 * smallest page the hardware supports.
	 */
	if (!IS_ALIGNED(iova | paddr | size, min_pagesz)) {
		pr_err("unaligned: iova 0x%lx pa 0x%llx size 0x%zx min_pagesz 0x%lx\n",
		       iova, (unsigned long long)paddr, size, min_pagesz);
		return -EINVAL;
	}
	if (size && (iova + (size - 1) < iova || paddr + (size - 1) < paddr)) {
		pr_err("range wraps: iova 0x%lx pa 0x%llx size 0x%zx\n", iova,
		       (unsigned long long)paddr, size);
		return -EINVAL;
	}

	/* No access: nothing could use the mapping, so there is none to make. */
	if (!(prot & (IOMMU_READ | IOMMU_WRITE)))
		return 0;

	pr_debug("map: iova 0x%lx pa 0x%llx size 0x%zx\n", iova,
		 (unsigned long long)paddr, size);

	ret = 0;
	while (size) {
		size_t pgsize = iommu_pgsize(domain->ops->pgsize_bitmap, iova | paddr, size);

		if (!pgsize) {
			ret = -EINVAL;
			break;
		}
		ret = domain->ops->map(domain, iova, paddr, pgsize, prot);
		if (ret)
			break;
		iova += pgsize;
		paddr += pgsize;
		size -= pgsize;
	}

	/* Unroll what this call mapped if something went wrong. */
	if (ret && orig_size != size)
		iommu_unmap(domain, orig_iova, orig_size - size);
	return ret;
}
EXPORT_SYMBOL_GPL(iommu_map);

/**
 * iommu_unmap - unmap a range from a domain
 * @domain: a paging domain
 * @iova: IO virtual address of the range
 * @size: length in bytes
 *
 * Asks the driver to unmap the range in the largest pages the alignment of
 * @iova allows, and stops at the first request the driver answers with 0
 * (nothing mapped there).  The driver may unmap more than asked (a whole
 * block), so the result can exceed @size.
 *
 * Context: process context.
 * Return: the number of bytes unmapped, which the caller compares with
 * @size; 0 if the driver has no unmap callback or page sizes, @domain is
 * not a paging domain, or (logged) @iova or @size is not a multiple of the
 * smallest page size.  0 (WARN) for a NULL domain or a domain without ops.
 */
size_t iommu_unmap(struct iommu_domain *domain, unsigned long iova, size_t size)
{
	unsigned long min_pagesz;
	size_t unmapped = 0;
	int err;

	min_pagesz = iommu_check_domain(domain, false, &err);
	if (!min_pagesz)
		return 0;

	if (!IS_ALIGNED(iova | size, min_pagesz)) {
		pr_err("unaligned: iova 0x%lx size 0x%zx min_pagesz 0x%lx\n",
		       iova, size, min_pagesz);
		return 0;
	}

	pr_debug("unmap this: iova 0x%lx size 0x%zx\n", iova, size);

	/* Until 'size' bytes are gone (or more), or a hole is hit. */
	while (unmapped < size) {
		size_t pgsize = iommu_pgsize(domain->ops->pgsize_bitmap, iova, size - unmapped);
		size_t unmapped_page;

		if (!pgsize)
			break;
		unmapped_page = domain->ops->unmap(domain, iova, pgsize);
		if (!unmapped_page)
			break;
		pr_debug("unmapped: iova 0x%lx size 0x%zx\n", iova, unmapped_page);
		iova += unmapped_page;
		unmapped += unmapped_page;
	}
	return unmapped;
}
EXPORT_SYMBOL_GPL(iommu_unmap);

/**
 * default_iommu_map_sg - map a scatterlist with iommu_map()
 * @domain: a paging domain
 * @iova: where the first entry goes; the entries follow back to back
 * @sg: the list
 * @nents: number of entries to map
 * @prot: as for iommu_map()
 *
 * Each entry maps page_to_phys(sg_page(s)) + s->offset for s->length bytes.
 * The IOMMU may have pages smaller than PAGE_SIZE, so s->offset need only be
 * a multiple of the domain's smallest page size, and so must s->length.
 * Runs of entries that are physically contiguous are mapped with a single
 * iommu_map(), which lets the driver use block mappings; the resulting
 * mappings are those entry-by-entry mapping would make.  Zero-length
 * entries map nothing.
 *
 * Context: process context.
 * Return: the number of bytes mapped (the sum of the lengths); 0 on any
 * failure, after unmapping everything this call mapped.  0 if the domain
 * has no page sizes; 0 (WARN) for a NULL domain, domain without ops or NULL
 * list with @nents > 0.
 */
size_t default_iommu_map_sg(struct iommu_domain *domain, unsigned long iova,
			    struct scatterlist *sg, unsigned int nents, int prot)
{
	struct scatterlist *s;
	phys_addr_t run_phys = 0;
	size_t run_len = 0, mapped = 0;
	unsigned long min_pagesz;
	unsigned int i;

	if (WARN(!domain || !domain->ops, "default_iommu_map_sg: NULL domain or ops"))
		return 0;
	if (WARN(!sg && nents, "default_iommu_map_sg: NULL scatterlist"))
		return 0;
	min_pagesz = iommu_min_pagesz(domain);
	if (unlikely(!min_pagesz))
		return 0;

	for_each_sg(sg, s, nents, i) {
		phys_addr_t phys;

		/*
		 * We are mapping on IOMMU page boundaries, so offset within
		 * the page must be 0.  However, the IOMMU may support pages
		 * smaller than PAGE_SIZE, so s->offset may still represent
		 * an offset of that boundary within the CPU page.
		 */
		if (!IS_ALIGNED(s->offset | s->length, min_pagesz)) {
			pr_err("map_sg: entry %u offset 0x%x length 0x%x not aligned to 0x%lx\n",
			       i, s->offset, s->length, min_pagesz);
			goto out_unmap;
		}
		if (!s->length)
			continue;

		phys = page_to_phys(sg_page(s)) + s->offset;
		if (run_len && phys == run_phys + run_len) {
			run_len += s->length;
			continue;
		}
		if (run_len) {
			if (iommu_map(domain, iova + mapped, run_phys, run_len, prot))
				goto out_unmap;
			mapped += run_len;
		}
		run_phys = phys;
		run_len = s->length;
	}
	if (run_len) {
		if (iommu_map(domain, iova + mapped, run_phys, run_len, prot))
			goto out_unmap;
		mapped += run_len;
	}
	return mapped;

out_unmap:
	/* Undo the mappings already done. */
	if (mapped)
		iommu_unmap(domain, iova, mapped);
	return 0;
}
EXPORT_SYMBOL_GPL(default_iommu_map_sg);

/**
 * iommu_map_sg - map a scatterlist into a domain
 * @domain: a paging domain
 * @iova: where the first entry goes; the entries follow back to back
 * @sg: the list
 * @nents: number of entries to map
 * @prot: as for iommu_map()
 *
 * Calls the driver's map_sg, or default_iommu_map_sg() for drivers without
 * one (the kernel of 2015 required drivers to point map_sg at it; later
 * kernels dropped the callback).  A @prot with neither IOMMU_READ nor
 * IOMMU_WRITE always takes the default path, so that it maps nothing in
 * every driver, as iommu_map() does.
 *
 * Context: process context.
 * Return: the number of bytes mapped; 0 on failure with nothing left
 * mapped.  0 (WARN) for a NULL domain or a domain without ops.
 */
size_t iommu_map_sg(struct iommu_domain *domain, unsigned long iova, struct scatterlist *sg,
		    unsigned int nents, int prot)
{
	if (WARN(!domain || !domain->ops, "iommu_map_sg: NULL domain or ops"))
		return 0;
	if (domain->ops->map_sg && (prot & (IOMMU_READ | IOMMU_WRITE)))
		return domain->ops->map_sg(domain, iova, sg, nents, prot);
	return default_iommu_map_sg(domain, iova, sg, nents, prot);
}
EXPORT_SYMBOL_GPL(iommu_map_sg);

/**
 * iommu_iova_to_phys - translate an IO virtual address through a domain
 * @domain: the domain
 * @iova: the address
 *
 * Context: any the driver allows.
 * Return: the physical address @iova maps to, or 0 if it is not mapped or
 * the driver cannot translate.  0 (WARN) for a NULL domain or one without ops.
 */
phys_addr_t iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	if (WARN(!domain || !domain->ops, "iommu_iova_to_phys: NULL domain or ops"))
		return 0;
	if (unlikely(!domain->ops->iova_to_phys))
		return 0;
	return domain->ops->iova_to_phys(domain, iova);
}
EXPORT_SYMBOL_GPL(iommu_iova_to_phys);
