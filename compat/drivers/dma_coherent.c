// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Per-device coherent memory (drivers/base/dma-coherent.c of 2015): a device
 * may own a region of memory its coherent allocations come from, handed out
 * in naturally aligned power-of-two runs of pages tracked by a bitmap.
 *
 * The kernel ioremap()s the region.  Here it must be simulated RAM that the
 * caller allocated, and the CPU mapping is a vmap() of its pages with a
 * write-combining memory type (what ioremap_wc gives on arm64) for a
 * non-coherent device, cacheable for a coherent one (see
 * dma_coherent_prot()); user
 * mappings insert the same pages with vm_insert_page().
 */
#include <linux/kernel.h>
#include <linux/bitops.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/mm.h>
#include <linux/pfn.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#include <asm-generic/dma-coherent.h>
#include <iosim/dma_coherent.h>
#include <iosim/ram.h>

/*
 * One device's region: @size pages at @virt_base (CPU), @device_base (as
 * the device sees it) and @pfn_base (physical).  A set bit in @bitmap is an
 * allocated page; allocations are naturally aligned runs of 2^order pages.
 */
struct dma_coherent_mem {
	void *virt_base;
	dma_addr_t device_base;
	unsigned long pfn_base;
	int size;
	int flags;
	unsigned long *bitmap;
	spinlock_t spinlock;
};

/* Set bits among the @nr from @start. */
static int region_count_set(const unsigned long *map, int start, int nr)
{
	int i, n = 0;

	for (i = start; i < start + nr; i++)
		n += test_bit(i, map);
	return n;
}

static void region_mark(unsigned long *map, int start, int nr, bool set)
{
	int i;

	for (i = start; i < start + nr; i++) {
		if (set)
			__set_bit(i, map);
		else
			__clear_bit(i, map);
	}
}

/* bitmap_find_free_region(): first free aligned 2^@order run, marked; or -ENOMEM. */
static int region_find_free(unsigned long *map, int bits, int order)
{
	int pos, nr = 1 << order;

	for (pos = 0; pos + nr <= bits; pos += nr) {
		if (!region_count_set(map, pos, nr)) {
			region_mark(map, pos, nr, true);
			return pos;
		}
	}
	return -ENOMEM;
}

/*
 * The CPU mapping's memory type: write-combine (ioremap_wc) for a
 * non-coherent device, so the CPU writes memory, which the device reads;
 * cacheable for a coherent one, which snoops the CPU's caches - so that in
 * the cache model (<iosim/cache.h>) the CPU and the device always agree.
 */
static pgprot_t dma_coherent_prot(struct device *dev)
{
	return dev->archdata.dma_coherent ? PAGE_KERNEL : pgprot_writecombine(PAGE_KERNEL);
}

/* Map the caller's pages of the region at one CPU address (the "ioremap"). */
static void *region_map(struct device *dev, phys_addr_t phys_addr, int pages)
{
	struct page **array;
	void *virt;
	int i;

	array = kmalloc_array((size_t)pages, sizeof(*array), GFP_KERNEL);
	if (!array)
		return NULL;
	for (i = 0; i < pages; i++)
		array[i] = pfn_to_page(PFN_DOWN(phys_addr) + (unsigned long)i);
	virt = vmap(array, (unsigned int)pages, VM_IOREMAP, dma_coherent_prot(dev));
	kfree(array);
	return virt;
}

/* Is every frame of the region allocated simulated RAM? WARNs if not. */
static bool region_is_ram(phys_addr_t phys_addr, int pages)
{
	int i;

	for (i = 0; i < pages; i++) {
		phys_addr_t phys = phys_addr + ((phys_addr_t)i << PAGE_SHIFT);

		if (!pfn_valid(PFN_DOWN(phys)) || !iosim_phys_is_allocated(phys)) {
			WARN(1, "dma_declare_coherent_memory: %#llx is not allocated simulated RAM",
			     (unsigned long long)phys);
			return false;
		}
	}
	return true;
}

/**
 * dma_declare_coherent_memory - give a device a region for coherent allocations
 * @dev: the device
 * @phys_addr: physical address of the region (page aligned; in this
 *	simulation, pages of simulated RAM the caller allocated and keeps)
 * @device_addr: the region's address as @dev sees it
 * @size: bytes; only whole pages count
 * @flags: DMA_MEMORY_MAP or DMA_MEMORY_IO (one is required), optionally
 *	DMA_MEMORY_EXCLUSIVE (never fall back to normal memory);
 *	DMA_MEMORY_INCLUDES_CHILDREN is ignored, as in the kernel
 *
 * Context: process context.
 * Return: DMA_MEMORY_MAP if @flags has it, else DMA_MEMORY_IO; 0 on failure,
 * with @dev unchanged: neither MAP nor IO in @flags, less than a page, @dev
 * already has a region, allocation or mapping failure (injectable), or
 * (WARNed) a NULL @dev, an unaligned @phys_addr or a region that is not
 * allocated simulated RAM.
 */
int dma_declare_coherent_memory(struct device *dev, phys_addr_t phys_addr,
				dma_addr_t device_addr, size_t size, int flags)
{
	struct dma_coherent_mem *mem;
	size_t pages = size >> PAGE_SHIFT;
	void *virt;

	if (WARN(!dev, "dma_declare_coherent_memory: NULL device"))
		return 0;
	if (!(flags & (DMA_MEMORY_MAP | DMA_MEMORY_IO)) || !pages || pages > INT_MAX)
		return 0;
	if (dev->dma_mem)
		return 0;
	if (WARN(phys_addr & ~PAGE_MASK, "dma_declare_coherent_memory: %#llx not page aligned",
		 (unsigned long long)phys_addr))
		return 0;
	if (!region_is_ram(phys_addr, (int)pages))
		return 0;

	virt = region_map(dev, phys_addr, (int)pages);
	if (!virt)
		return 0;
	mem = kzalloc(sizeof(*mem), GFP_KERNEL);
	if (!mem)
		goto out_unmap;
	mem->bitmap = kzalloc(BITS_TO_LONGS(pages) * sizeof(long), GFP_KERNEL);
	if (!mem->bitmap)
		goto out_free_mem;
	mem->virt_base = virt;
	mem->device_base = device_addr;
	mem->pfn_base = PFN_DOWN(phys_addr);
	mem->size = (int)pages;
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
 * dma_release_declared_memory - take a device's coherent region away
 * @dev: the device (without a region: nothing happens)
 *
 * Unmaps the region and frees its bookkeeping; the pages stay the caller's.
 *
 * Context: process context.
 * Return: nothing.  Allocations still outstanding (the kernel does not
 * check) are WARNed ("still allocated") and the region released anyway.
 */
void dma_release_declared_memory(struct device *dev)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;
	int busy;

	if (!mem)
		return;
	busy = region_count_set(mem->bitmap, 0, mem->size);
	WARN(busy, "dma_release_declared_memory: %s: %d pages still allocated",
	     dev_name(dev), busy);
	dev->dma_mem = NULL;
	vunmap(mem->virt_base);
	kfree(mem->bitmap);
	kfree(mem);
}

/**
 * dma_mark_declared_memory_occupied - reserve part of a device's region
 * @dev: the device
 * @device_addr: device address of the part (rounded down to a page)
 * @size: bytes (with @device_addr's offset in its page, rounded up to a
 *	power-of-two number of pages, as bitmap_allocate_region() does)
 *
 * Context: any (no sleeping); takes the region's lock.
 * Return: the CPU address of the part's first page; ERR_PTR(-EINVAL) if @dev
 * has no region or (WARNed) the part lies outside it; ERR_PTR(-EBUSY) if a
 * page of it is already allocated (nothing is marked).
 */
void *dma_mark_declared_memory_occupied(struct device *dev, dma_addr_t device_addr,
					size_t size)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;
	unsigned long flags;
	dma_addr_t off;
	int pos, nr, err = 0;

	if (!mem)
		return ERR_PTR(-EINVAL);
	size += device_addr & ~PAGE_MASK;
	off = device_addr - mem->device_base;
	if (WARN(device_addr < mem->device_base ||
		 (off >> PAGE_SHIFT) >= (dma_addr_t)mem->size ||
		 size > ((size_t)mem->size << PAGE_SHIFT),
		 "dma_mark_declared_memory_occupied: %#llx+%#zx outside the region of %s",
		 (unsigned long long)device_addr, size, dev_name(dev)))
		return ERR_PTR(-EINVAL);
	pos = (int)(off >> PAGE_SHIFT);
	nr = 1 << get_order(size);
	if (WARN(pos + nr > mem->size,
		 "dma_mark_declared_memory_occupied: %#llx+%#zx outside the region of %s",
		 (unsigned long long)device_addr, size, dev_name(dev)))
		return ERR_PTR(-EINVAL);

	spin_lock_irqsave(&mem->spinlock, flags);
	if (region_count_set(mem->bitmap, pos, nr))
		err = -EBUSY;
	else
		region_mark(mem->bitmap, pos, nr, true);
	spin_unlock_irqrestore(&mem->spinlock, flags);
	if (err)
		return ERR_PTR(err);
	return (char *)mem->virt_base + ((size_t)pos << PAGE_SHIFT);
}

/**
 * dma_alloc_from_coherent - allocate from a device's coherent region
 * @dev: the device (NULL, or one without a region: not handled)
 * @size: bytes; a naturally aligned run of 2^get_order(@size) pages is taken
 * @dma_handle: where the device address goes
 * @ret: where the CPU address (zeroed memory) goes
 *
 * Context: any (no sleeping); takes the region's lock.
 * Return: 1 if the region handled the request: *@ret is the memory, or NULL
 * if the region had no room and is DMA_MEMORY_EXCLUSIVE (the kernel returns
 * the flag's value, 8; any non-zero value means "handled").  0 if the
 * caller should allocate elsewhere: no region, or no room in a
 * non-exclusive one (then *@ret is NULL).
 */
int dma_alloc_from_coherent(struct device *dev, ssize_t size, dma_addr_t *dma_handle,
			    void **ret)
{
	struct dma_coherent_mem *mem;
	unsigned long flags;
	int order, pageno;

	if (!dev || !dev->dma_mem)
		return 0;
	mem = dev->dma_mem;
	*ret = NULL;
	if (size <= 0 || size > ((ssize_t)mem->size << PAGE_SHIFT))
		goto out_fallback;
	order = get_order((unsigned long)size);

	spin_lock_irqsave(&mem->spinlock, flags);
	pageno = region_find_free(mem->bitmap, mem->size, order);
	spin_unlock_irqrestore(&mem->spinlock, flags);
	if (pageno < 0)
		goto out_fallback;

	*dma_handle = mem->device_base + ((dma_addr_t)pageno << PAGE_SHIFT);
	*ret = (char *)mem->virt_base + ((size_t)pageno << PAGE_SHIFT);
	memset(*ret, 0, (size_t)size);
	return 1;

out_fallback:
	return (mem->flags & DMA_MEMORY_EXCLUSIVE) ? 1 : 0;
}

/* The page index of @vaddr in @mem's region, or -1 if it is outside. */
static long region_page(const struct dma_coherent_mem *mem, const void *vaddr)
{
	uintptr_t base = (uintptr_t)mem->virt_base, addr = (uintptr_t)vaddr;

	if (addr < base || addr - base >= ((uintptr_t)mem->size << PAGE_SHIFT))
		return -1;
	return (long)((addr - base) >> PAGE_SHIFT);
}

/**
 * dma_release_from_coherent - free memory of a device's coherent region
 * @dev: the device
 * @order: the order dma_alloc_from_coherent() used (get_order of the size)
 * @vaddr: the CPU address it returned
 *
 * Context: any (no sleeping); takes the region's lock.
 * Return: 1 if @vaddr lies in @dev's region (the memory is freed), else 0.
 * Where the kernel would silently corrupt the bitmap - @vaddr not the start
 * of an aligned 2^@order run inside the region, or a page of the run not
 * allocated - this WARNs, frees nothing and still returns 1.
 */
int dma_release_from_coherent(struct device *dev, int order, void *vaddr)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;
	unsigned long flags;
	long page;
	int nr;
	bool bad = false;

	if (!mem)
		return 0;
	page = region_page(mem, vaddr);
	if (page < 0)
		return 0;
	if (WARN(order < 0 || order > 30 || (page & ((1L << order) - 1)) ||
		 page + (1L << order) > mem->size,
		 "dma_release_from_coherent: %p order %d is not an allocation of %s's region",
		 vaddr, order, dev_name(dev)))
		return 1;
	nr = 1 << order;
	spin_lock_irqsave(&mem->spinlock, flags);
	if (region_count_set(mem->bitmap, (int)page, nr) != nr)
		bad = true;
	else
		region_mark(mem->bitmap, (int)page, nr, false);
	spin_unlock_irqrestore(&mem->spinlock, flags);
	WARN(bad, "dma_release_from_coherent: %p order %d of %s is not allocated", vaddr, order,
	     dev_name(dev));
	return 1;
}

/**
 * dma_mmap_from_coherent - map memory of a device's region into user space
 * @dev: the device
 * @vma: the user VMA; its vm_pgoff selects the first page of the memory
 * @cpu_addr: the CPU address dma_alloc_from_coherent() returned
 * @size: the allocation's size (whole pages count, as in the kernel)
 * @ret: where the result of the mapping goes
 *
 * Context: process context.
 * Return: 1 if [@cpu_addr, @cpu_addr + @size) lies in @dev's region, with
 * *@ret = 0 (every page of @vma mapped), -ENXIO (@vma does not fit in the
 * allocation past vm_pgoff; nothing mapped) or vm_insert_page()'s error
 * (pages mapped before it stay mapped until the VMA goes, as a failed
 * remap_pfn_range() leaves its range to the caller's munmap).  0 otherwise,
 * *@ret untouched.
 */
int dma_mmap_from_coherent(struct device *dev, struct vm_area_struct *vma, void *cpu_addr,
			   size_t size, int *ret)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;
	unsigned long off, user_count, count, i;
	long start;

	if (!mem)
		return 0;
	start = region_page(mem, cpu_addr);
	if (start < 0 || size > ((size_t)mem->size << PAGE_SHIFT) -
				((uintptr_t)cpu_addr - (uintptr_t)mem->virt_base))
		return 0;
	off = vma->vm_pgoff;
	user_count = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	count = size >> PAGE_SHIFT;

	*ret = -ENXIO;
	if (off >= count || user_count > count - off)
		return 1;
	*ret = 0;
	for (i = 0; i < user_count && !*ret; i++)
		*ret = vm_insert_page(vma, vma->vm_start + (i << PAGE_SHIFT),
				      pfn_to_page(mem->pfn_base + (unsigned long)start + off + i));
	return 1;
}

bool iosim_dma_coherent_range(struct device *dev, dma_addr_t *base, size_t *bytes)
{
	struct dma_coherent_mem *mem = dev ? dev->dma_mem : NULL;
	unsigned long flags;

	if (!mem)
		return false;
	spin_lock_irqsave(&mem->spinlock, flags);
	*base = mem->device_base;
	*bytes = (size_t)mem->size << PAGE_SHIFT;
	spin_unlock_irqrestore(&mem->spinlock, flags);
	return true;
}

int iosim_dma_coherent_check(struct device *dev)
{
	struct dma_coherent_mem *mem;
	struct vm_struct *area;
	unsigned long flags;
	int i, ret = 0;

	if (WARN(!dev, "dma_coherent check: NULL device"))
		return -EUCLEAN;
	mem = dev->dma_mem;
	if (!mem)
		return 0;
	if (WARN(mem->size <= 0 || !mem->bitmap || !(mem->flags & (DMA_MEMORY_MAP | DMA_MEMORY_IO)),
		 "dma_coherent check: %s: region of %d pages, flags %#x, bitmap %p",
		 dev_name(dev), mem->size, mem->flags, (void *)mem->bitmap))
		return -EUCLEAN;
	area = find_vm_area(mem->virt_base);
	if (WARN(!area || area->nr_pages != (unsigned int)mem->size,
		 "dma_coherent check: %s: CPU mapping %p is not a vmap of the region",
		 dev_name(dev), mem->virt_base))
		return -EUCLEAN;
	if (WARN(pgprot_val(area->iosim_prot) != pgprot_val(dma_coherent_prot(dev)),
		 "dma_coherent check: %s: CPU mapping is not write-combining", dev_name(dev)))
		return -EUCLEAN;
	for (i = 0; i < mem->size; i++) {
		phys_addr_t phys = PFN_PHYS(mem->pfn_base + (unsigned long)i);
		void *va = (char *)mem->virt_base + ((size_t)i << PAGE_SHIFT);

		if (WARN(!iosim_phys_is_allocated(phys) ||
			 vmalloc_to_page(va) != pfn_to_page(mem->pfn_base + (unsigned long)i),
			 "dma_coherent check: %s: page %d of the region is freed or mismapped",
			 dev_name(dev), i))
			return -EUCLEAN;
	}
	spin_lock_irqsave(&mem->spinlock, flags);
	for (i = mem->size; i < (int)(BITS_TO_LONGS(mem->size) * BITS_PER_LONG); i++) {
		if (test_bit(i, mem->bitmap))
			break;
	}
	if (i < (int)(BITS_TO_LONGS(mem->size) * BITS_PER_LONG))
		ret = -EUCLEAN;
	spin_unlock_irqrestore(&mem->spinlock, flags);
	WARN(ret, "dma_coherent check: %s: bit %d set past the region's %d pages", dev_name(dev),
	     i, mem->size);
	return ret;
}
