// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Simulated user VMAs and vm_insert_page().
 *
 * A simulated VMA is a PROT_NONE reservation in this process; inserting a
 * page maps its frame of the RAM memfd MAP_SHARED|MAP_FIXED at the user
 * address, so a test acting as user space reads and writes the page through
 * vma->vm_start.  Each VMA remembers which page it mapped where (kernel code
 * keeps vm_private_data for itself), holding the reference vm_insert_page()
 * took until iosim_vma_destroy() drops it.  A VMA whose vm_page_prot is not
 * cacheable (pgprot_noncached(), pgprot_writecombine(), ...) at insert time
 * maps the cache model's memory instead of the CPU view, as a real
 * non-cacheable user mapping bypasses the CPU's caches (docs/cache-model.md).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <asm/pgtable.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/vma.h>
#include "iosim_mm.h"

struct iosim_vma {
	struct vm_area_struct vma;	/* what kernel code sees */
	unsigned long nr_pages;
	struct page **pages;		/* page mapped at each page of the VMA, or NULL */
	bool *uncached;			/* page was inserted with a non-cacheable vm_page_prot */
	struct list_head node;		/* on vma_list */
};

static pthread_mutex_t vma_lock = PTHREAD_MUTEX_INITIALIZER;
static LIST_HEAD(vma_list);

/* The simulated VMA behind @vma, or NULL if @vma is not one; vma_lock held. */
static struct iosim_vma *vma_lookup(const struct vm_area_struct *vma)
{
	struct iosim_vma *iv;

	list_for_each_entry(iv, &vma_list, node)
		if (&iv->vma == vma)
			return iv;
	return NULL;
}

/**
 * iosim_vma_create - reserve a simulated user VMA (see <iosim/vma.h>)
 * @size_bytes: length; rounded up to whole pages
 * @pgoff: vm_pgoff
 *
 * Context: process context.
 * Return: the VMA, or NULL for a zero size (WARNs) or when the host refuses
 * the reservation.  Counts one IOSIM_OBJ_VMA.
 */
struct vm_area_struct *iosim_vma_create(size_t size_bytes, unsigned long pgoff)
{
	unsigned long nr_pages = PAGE_ALIGN(size_bytes) >> PAGE_SHIFT;
	struct iosim_vma *iv;
	void *start;

	if (WARN(!nr_pages, "iosim_vma_create: empty or oversized VMA (%zu bytes)", size_bytes))
		return NULL;
	iv = iosim_host_calloc(1, sizeof(*iv));
	if (!iv)
		return NULL;
	iv->pages = iosim_host_calloc(nr_pages, sizeof(*iv->pages));
	if (!iv->pages)
		goto out_free_iv;
	iv->uncached = iosim_host_calloc(nr_pages, sizeof(*iv->uncached));
	if (!iv->uncached)
		goto out_free_pages;
	start = iosim_va_reserve(nr_pages << PAGE_SHIFT, PAGE_SIZE, 0);
	if (!start)
		goto out_free_uncached;

	iv->nr_pages = nr_pages;
	iv->vma.vm_start = (unsigned long)start;
	iv->vma.vm_end = iv->vma.vm_start + (nr_pages << PAGE_SHIFT);
	iv->vma.vm_flags = VM_READ | VM_WRITE | VM_SHARED |
			   VM_MAYREAD | VM_MAYWRITE | VM_MAYSHARE;
	iv->vma.vm_page_prot = PAGE_SHARED;
	iv->vma.vm_pgoff = pgoff;
	pthread_mutex_lock(&vma_lock);
	list_add_tail(&iv->node, &vma_list);
	iosim_live_add(IOSIM_OBJ_VMA, 1);
	pthread_mutex_unlock(&vma_lock);
	return &iv->vma;

out_free_uncached:
	free(iv->uncached);
out_free_pages:
	free(iv->pages);
out_free_iv:
	free(iv);
	return NULL;
}

/**
 * iosim_vma_destroy - unmap a simulated VMA and drop its page references
 * @vma: from iosim_vma_create(), or NULL (ignored)
 *
 * Context: process context.
 * Return: nothing; a VMA that is not live WARNs and is ignored.  Pages whose
 * last reference was the mapping's are freed.
 */
void iosim_vma_destroy(struct vm_area_struct *vma)
{
	struct iosim_vma *iv;
	unsigned long i;

	if (!vma)
		return;
	pthread_mutex_lock(&vma_lock);
	iv = vma_lookup(vma);
	if (!iv) {
		pthread_mutex_unlock(&vma_lock);
		WARN(1, "iosim_vma_destroy: %p is not a live simulated VMA", (void *)vma);
		return;
	}
	list_del(&iv->node);
	iosim_live_add(IOSIM_OBJ_VMA, -1);
	pthread_mutex_unlock(&vma_lock);

	/* Unmap before dropping references: no user mapping outlives its page. */
	iosim_va_release((void *)iv->vma.vm_start, iv->nr_pages << PAGE_SHIFT);
	for (i = 0; i < iv->nr_pages; i++) {
		if (!iv->pages[i])
			continue;
		atomic_dec(&iv->pages[i]->_mapcount);
		put_page(iv->pages[i]);
	}
	free(iv->uncached);
	free(iv->pages);
	free(iv);
}

/**
 * iosim_vma_page - the page vm_insert_page() mapped at @addr of @vma
 * @vma: a live simulated VMA
 * @addr: any address inside it
 *
 * Context: any.
 * Return: the page, or NULL if none is mapped there, @addr is outside @vma,
 * or @vma is not a live simulated VMA (no WARN).
 */
struct page *iosim_vma_page(struct vm_area_struct *vma, unsigned long addr)
{
	struct page *page = NULL;
	struct iosim_vma *iv;

	pthread_mutex_lock(&vma_lock);
	iv = vma_lookup(vma);
	if (iv && addr >= vma->vm_start && addr < vma->vm_end)
		page = iv->pages[(addr - vma->vm_start) >> PAGE_SHIFT];
	pthread_mutex_unlock(&vma_lock);
	return page;
}

/**
 * vm_insert_page - insert a simulated page into a simulated user VMA
 * @vma: a VMA from iosim_vma_create()
 * @addr: user address, page aligned, inside @vma
 * @page: an allocated page holding references (a compound page's tail too)
 *
 * Maps @page's frame at @addr (writable if VM_WRITE; memory rather than
 * the CPU view if vm_page_prot is not cacheable), takes a page
 * reference and raises its map count, both dropped by iosim_vma_destroy().
 * Sets VM_MIXEDMAP on @vma, as the kernel does.  vm_pgoff plays no part.
 *
 * Context: process context.
 * Return: 0; -EFAULT if @addr is outside @vma or unaligned; -EINVAL for a
 * page outside RAM, free, or holding no references, or for a VM_PFNMAP VMA
 * or one that is not a live simulated VMA (both WARN); -ENOMEM on an
 * (injected) failure; -EBUSY if a page is already mapped at @addr.  On error
 * nothing changed (except VM_MIXEDMAP).
 */
int vm_insert_page(struct vm_area_struct *vma, unsigned long addr, struct page *page)
{
	struct iosim_vma *iv;
	unsigned long idx;
	bool cacheable;
	int ret;

	pthread_mutex_lock(&vma_lock);
	iv = vma_lookup(vma);
	if (!iv) {
		pthread_mutex_unlock(&vma_lock);
		WARN(1, "vm_insert_page: %p is not a VMA from iosim_vma_create()", (void *)vma);
		return -EINVAL;
	}
	ret = -EFAULT;
	if (addr < vma->vm_start || addr >= vma->vm_end || !PAGE_ALIGNED(addr))
		goto out_unlock;
	ret = -EINVAL;
	if (!iosim_page_in_use(page))
		goto out_unlock;
	if (WARN(vma->vm_flags & VM_PFNMAP, "vm_insert_page: VMA %#lx is VM_PFNMAP",
		 vma->vm_start))
		goto out_unlock;
	vma->vm_flags |= VM_MIXEDMAP;
	cacheable = iosim_pgprot_cacheable(vma->vm_page_prot);

	/* Where the kernel could fail to allocate the page table. */
	ret = -ENOMEM;
	if (iosim_fault_should_fail(IOSIM_FAULT_VM_INSERT))
		goto out_unlock;
	idx = (addr - vma->vm_start) >> PAGE_SHIFT;
	ret = -EBUSY;
	if (iv->pages[idx])
		goto out_unlock;
	ret = -ENOMEM;
	if (iosim_va_map_frames((void *)addr, PAGE_SIZE, iosim_page_file_offset(page),
				vma->vm_flags & VM_WRITE, cacheable))
		goto out_unlock;

	get_page(page);
	atomic_inc(&page->_mapcount);
	iv->pages[idx] = page;
	iv->uncached[idx] = iosim_alias_shows_memory(cacheable);
	ret = 0;
out_unlock:
	pthread_mutex_unlock(&vma_lock);
	return ret;
}

/**
 * iosim_vma_check - sanity checker of a simulated VMA
 * @vma: the VMA
 *
 * Checks that @vma is live, page aligned and non-empty, and that every page
 * it maps is still in use with a map count, and that the user address really
 * shows that page's memory (the CPU view, or the cache model's memory for a
 * page inserted non-cacheable).
 *
 * Context: process context.
 * Return: 0, or -EUCLEAN after WARNing each problem.
 */
int iosim_vma_check(struct vm_area_struct *vma)
{
	struct iosim_vma *iv;
	int problems = 0;
	unsigned long i;

	pthread_mutex_lock(&vma_lock);
	iv = vma_lookup(vma);
	if (!iv) {
		pthread_mutex_unlock(&vma_lock);
		WARN(1, "iosim_vma_check: %p is not a live simulated VMA", (void *)vma);
		return -EUCLEAN;
	}
	if (!PAGE_ALIGNED(vma->vm_start) ||
	    vma->vm_end - vma->vm_start != iv->nr_pages << PAGE_SHIFT) {
		WARN(1, "iosim_vma_check: VMA %#lx-%#lx was moved or resized",
		     vma->vm_start, vma->vm_end);
		problems++;
	}
	for (i = 0; i < iv->nr_pages && !problems; i++) {
		struct page *page = iv->pages[i];
		const void *uaddr = (const void *)(vma->vm_start + (i << PAGE_SHIFT));

		if (!page)
			continue;
		if (!iosim_page_in_use(page) || page_mapcount(page) < 1) {
			WARN(1, "iosim_vma_check: page %p mapped at %p is no longer in use",
			     (void *)page, uaddr);
			problems++;
		} else if (memcmp(uaddr, iv->uncached[i] ?
					 iosim_cache_memory_virt(page_to_phys(page)) :
					 page_address(page), PAGE_SIZE)) {
			WARN(1, "iosim_vma_check: %p does not show the memory of page %p",
			     uaddr, (void *)page);
			problems++;
		}
	}
	pthread_mutex_unlock(&vma_lock);
	return problems ? -EUCLEAN : 0;
}
