// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Per-device coherent memory (drivers/base/dma-coherent.c of 2015), in our
 * own code: a region of memory declared for one device, from which its
 * coherent allocations are served page-order by page-order out of a bitmap.
 *
 * The kernel ioremap()s the region; here it must be simulated RAM whose
 * pages the caller has allocated, and the CPU alias is a vmap() of them that
 * sees what the device sees: write-combine for a non-coherent device (CPU
 * writes go straight to memory, <iosim/cache.h>), cacheable for a coherent
 * one.  To map allocations
 * to user space each page of the region must hold a reference (order-0
 * pages, or a split block), as vm_insert_page() requires.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/dma-mapping.h>
#include <asm-generic/dma-coherent.h>
#include <iosim/dma_coherent.h>
#include <iosim/ram.h>

struct dma_coherent_mem {
	void *virt_base;
	dma_addr_t device_base;
	unsigned long pfn_base;
	int size;			/* pages */
	int flags;
	unsigned long *bitmap;
	spinlock_t spinlock;
};

/* Are the @nr pages of @map from @pos all free (set: all used)? */
static bool region_is(const unsigned long *map, int pos, int nr, bool used)
{
	int i;

	for (i = pos; i < pos + nr; i++)
		if (!!test_bit(i, map) != used)
			return false;
	return true;
}

static void region_mark(unsigned long *map, int pos, int nr, bool used)
{
	int i;

	for (i = pos; i < pos + nr; i++) {
		if (used)
			__set_bit(i, map);
		else
			__clear_bit(i, map);
	}
}

/* The first free, naturally aligned run of 2^@order pages, or -ENOMEM. */
static int region_find(const unsigned long *map, int bits, int order)
{
	int pos, nr = 1 << order;

	for (pos = 0; pos + nr <= bits; pos += nr)
		if (region_is(map, pos, nr, false))
			return pos;
	return -ENOMEM;
}

/**
 * dma_declare_coherent_memory - give @dev a region for its coherent buffers
 * @dev: the device (one region per device)
 * @phys_addr: the region's physical address (page aligned, simulated RAM
 *	whose pages the caller allocated and keeps until release)
 * @device_addr: the address the device sees it at
 * @size: bytes (whole pages)
 * @flags: DMA_MEMORY_MAP or DMA_MEMORY_IO, optionally DMA_MEMORY_EXCLUSIVE
 *
 * Context: process context.
 * Return: DMA_MEMORY_MAP or DMA_MEMORY_IO as asked, or 0 on failure (no
 * type asked for, empty size, a region already declared, allocation
 * failure, or memory that is not allocated simulated RAM - WARNed), with
 * nothing changed.
 */
int dma_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr,
				dma_addr_t device_addr, size_t size, int flags)
{
	int pages = (int)(size >> PAGE_SHIFT), i;
	struct dma_coherent_mem *mem;
	struct page **page_array;
	void *virt;

	if (WARN(!dev, "dma_declare_coherent_memory: NULL device"))
		return 0;
	if (!(flags & (DMA_MEMORY_MAP | DMA_MEMORY_IO)) || !pages || dev->dma_mem)
		return 0;
	if (WARN(offset_in_page(phys_addr) || !iosim_phys_is_ram(phys_addr, size),
		 "dma_declare_coherent_memory: %s: %#llx (+%zu) is not page-aligned RAM",
		 dev_name(dev), (unsigned long long)phys_addr, size))
		return 0;
	for (i = 0; i < pages; i++)
		if (WARN(!iosim_phys_is_allocated(phys_addr + ((phys_addr_t)i << PAGE_SHIFT)),
			 "dma_declare_coherent_memory: %s: page %d of the region is not allocated",
			 dev_name(dev), i))
			return 0;

	page_array = kmalloc_array(pages, sizeof(*page_array), GFP_KERNEL);
	if (!page_array)
		return 0;
	for (i = 0; i < pages; i++)
		page_array[i] = phys_to_page(phys_addr + ((phys_addr_t)i << PAGE_SHIFT));
	/* The CPU sees the region as the device does (see the top of this file). */
	virt = vmap(page_array, pages, VM_MAP, is_device_dma_coherent(dev) ? PAGE_KERNEL :
		    pgprot_writecombine(PAGE_KERNEL));
	kfree(page_array);
	if (!virt)
		return 0;
	mem = kzalloc(sizeof(*mem), GFP_KERNEL);
	if (!mem)
		goto out_unmap;
	mem->bitmap = kcalloc(BITS_TO_LONGS(pages), sizeof(long), GFP_KERNEL);
	if (!mem->bitmap)
		goto out_free_mem;
	mem->virt_base = virt;
	mem->device_base = device_addr;
	mem->pfn_base = (unsigned long)(phys_addr >> PAGE_SHIFT);
	mem->size = pages;
	mem->flags = flags;
	spin_lock_init(&mem->spinlock);
	dev->dma_mem = mem;
	return (flags & DMA_MEMORY_MAP) ? DMA_MEMORY_MAP : DMA_MEMORY_IO;

out_free_mem:
	kfree(mem);
out_unmap:
	vunmap(virt);
	return 0;
}

/**
 * dma_release_declared_memory - undo dma_declare_coherent_memory()
 * @dev: the device (nothing declared: nothing done)
 *
 * Buffers still allocated from the region are WARNed (and go with it).
 *
 * Context: process context.
 */
void dma_release_declared_memory(struct device *dev)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;

	if (!mem)
		return;
	WARN(!region_is(mem->bitmap, 0, mem->size, false),
	     "dma_release_declared_memory: %s: buffers still allocated", dev_name(dev));
	dev->dma_mem = NULL;
	vunmap(mem->virt_base);
	kfree(mem->bitmap);
	kfree(mem);
}

/**
 * dma_mark_declared_memory_occupied - reserve part of the region
 * @dev: the device
 * @device_addr: the first device address to reserve
 * @size: bytes (rounded to a page order, naturally aligned as the kernel does)
 *
 * Context: any.
 * Return: its CPU address; ERR_PTR(-EINVAL) without a region or outside
 * it, ERR_PTR(-EBUSY) if part of it is already in use.
 */
void *dma_mark_declared_memory_occupied(struct device *dev, dma_addr_t device_addr, size_t size)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;
	int pos, order, err = 0;

	if (!mem || device_addr < mem->device_base)
		return ERR_PTR(-EINVAL);
	size += device_addr & ~PAGE_MASK;
	pos = (int)((device_addr - mem->device_base) >> PAGE_SHIFT);
	order = get_order(size);
	if (pos & ((1 << order) - 1) || pos + (1 << order) > mem->size)
		return ERR_PTR(-EINVAL);
	spin_lock(&mem->spinlock);
	if (region_is(mem->bitmap, pos, 1 << order, false))
		region_mark(mem->bitmap, pos, 1 << order, true);
	else
		err = -EBUSY;
	spin_unlock(&mem->spinlock);
	if (err)
		return ERR_PTR(err);
	return (char *)mem->virt_base + ((size_t)pos << PAGE_SHIFT);
}

int dma_alloc_from_coherent(struct device *dev, ssize_t size, dma_addr_t *dma_handle, void **ret)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;
	int order, pageno;

	if (!mem)
		return 0;
	*ret = NULL;
	order = get_order(size > 0 ? (size_t)size : 1);
	spin_lock(&mem->spinlock);
	if (size <= 0 || size > ((ssize_t)mem->size << PAGE_SHIFT))
		goto out_unhandled;
	pageno = region_find(mem->bitmap, mem->size, order);
	if (pageno < 0)
		goto out_unhandled;
	region_mark(mem->bitmap, pageno, 1 << order, true);
	spin_unlock(&mem->spinlock);
	*dma_handle = mem->device_base + ((dma_addr_t)pageno << PAGE_SHIFT);
	*ret = (char *)mem->virt_base + ((size_t)pageno << PAGE_SHIFT);
	memset(*ret, 0, size);
	return 1;

out_unhandled:
	spin_unlock(&mem->spinlock);
	/* An exclusive region answers for the device: no fallback to its ops. */
	return mem->flags & DMA_MEMORY_EXCLUSIVE ? 1 : 0;
}

/* Is @vaddr inside @mem's CPU alias? */
static bool in_region(const struct dma_coherent_mem *mem, const void *vaddr)
{
	const char *base = mem->virt_base;

	return (const char *)vaddr >= base && (const char *)vaddr < base + ((size_t)mem->size << PAGE_SHIFT);
}

int dma_release_from_coherent(struct device *dev, int order, void *vaddr)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;
	int page;

	if (!mem || !in_region(mem, vaddr))
		return 0;
	page = (int)(((char *)vaddr - (char *)mem->virt_base) >> PAGE_SHIFT);
	spin_lock(&mem->spinlock);
	if (WARN(page & ((1 << order) - 1) || page + (1 << order) > mem->size ||
		 !region_is(mem->bitmap, page, 1 << order, true),
		 "dma_release_from_coherent: %s: %p (order %d) is not an allocation",
		 dev_name(dev), vaddr, order)) {
		spin_unlock(&mem->spinlock);
		return 1;
	}
	region_mark(mem->bitmap, page, 1 << order, false);
	spin_unlock(&mem->spinlock);
	return 1;
}

int dma_mmap_from_coherent(struct device *dev, struct vm_area_struct *vma, void *vaddr,
			   size_t size, int *ret)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;
	unsigned long off, user_count, count, i, start;

	if (!mem || !in_region(mem, vaddr))
		return 0;
	start = (unsigned long)(((char *)vaddr - (char *)mem->virt_base) >> PAGE_SHIFT);
	off = vma->vm_pgoff;
	user_count = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	count = PAGE_ALIGN(size) >> PAGE_SHIFT;
	*ret = -ENXIO;
	if (off >= count || user_count > count - off)
		return 1;
	for (i = 0; i < user_count; i++) {
		*ret = vm_insert_page(vma, vma->vm_start + (i << PAGE_SHIFT),
				      pfn_to_page(mem->pfn_base + start + off + i));
		if (*ret)
			return 1;
	}
	return 1;
}

int iosim_dma_coherent_check(struct device *dev)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;
	int i;

	if (!mem)
		return 0;
	for (i = 0; i < mem->size; i++) {
		if (WARN(vmalloc_to_page((char *)mem->virt_base + ((size_t)i << PAGE_SHIFT)) !=
			 pfn_to_page(mem->pfn_base + i),
			 "declared memory of %s: page %d is not mapped where it should be",
			 dev_name(dev), i))
			return -EUCLEAN;
		if (WARN(!iosim_phys_is_allocated((phys_addr_t)(mem->pfn_base + i) << PAGE_SHIFT),
			 "declared memory of %s: page %d was freed under it", dev_name(dev), i))
			return -EUCLEAN;
	}
	return 0;
}
