// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Page-by-page iteration over scatterlists: the sg page iterator
 * (for_each_sg_page) and the sg mapping iterator (sg_miter_*), as in the
 * kernel's lib/scatterlist.c of 2015.
 *
 * The mapping iterator hands out, one at a time, the longest pieces that
 * stay within one page and one entry: addr = kmap(page) + offset in page.
 * An entry whose offset is PAGE_SIZE or more starts in a later page of its
 * block: the 2015 code mapped the block's first page and handed out a piece
 * running past it.  We step over the leading pages as the kernel's later fix
 * does (2019, also backported to stable: "lib/scatterlist: Fix mapping iterator
 * when sg->offset is greater than PAGE_SIZE").
 *
 * Where the kernel would dereference a missing page, we WARN and end the
 * iteration.
 */
#include <linux/kernel.h>
#include <linux/highmem.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

/**
 * __sg_page_iter_start - start a page iteration
 * @piter: the iterator
 * @sglist: the list
 * @nents: entries to walk
 * @pgoffset: pages to skip at the start (counted from sg_page() of the
 *	first entry, whatever its offset)
 *
 * Context: any.
 * Return: nothing.
 */
void __sg_page_iter_start(struct sg_page_iter *piter, struct scatterlist *sglist,
			  unsigned int nents, unsigned long pgoffset)
{
	piter->__pg_advance = 0;
	piter->__nents = nents;

	piter->sg = sglist;
	piter->sg_pgoffset = pgoffset;
}
EXPORT_SYMBOL(__sg_page_iter_start);

/* Pages entry @sg touches, from sg_page(): its offset counts, as in the kernel. */
static unsigned long sg_page_count(const struct scatterlist *sg)
{
	return PAGE_ALIGN((unsigned long)sg->offset + sg->length) >> PAGE_SHIFT;
}

/**
 * __sg_page_iter_next - step a page iterator to the next page
 * @piter: the iterator
 *
 * Entries that touch no page (offset and length 0) are skipped.
 *
 * Context: any.
 * Return: true if @piter is at a page (sg_page_iter_page()); false at the end
 * of the list or of the entries it was started with.
 */
bool __sg_page_iter_next(struct sg_page_iter *piter)
{
	if (!piter->__nents || !piter->sg)
		return false;

	piter->sg_pgoffset += piter->__pg_advance;
	piter->__pg_advance = 1;

	while (piter->sg_pgoffset >= sg_page_count(piter->sg)) {
		piter->sg_pgoffset -= sg_page_count(piter->sg);
		piter->sg = sg_next(piter->sg);
		if (!--piter->__nents || !piter->sg)
			return false;
	}

	return true;
}
EXPORT_SYMBOL(__sg_page_iter_next);

/**
 * sg_miter_start - start a mapping iteration over @nents entries of @sgl
 * @miter: the iterator (overwritten)
 * @sgl: the list
 * @nents: entries to walk
 * @flags: SG_MITER_ATOMIC, and the direction: SG_MITER_TO_SG (data is
 *	written to the list: pages are flushed when unmapped) or
 *	SG_MITER_FROM_SG; one of the two is required (WARN otherwise, and the
 *	iteration runs as FROM_SG)
 *
 * Context: any.
 * Return: nothing.
 */
void sg_miter_start(struct sg_mapping_iter *miter, struct scatterlist *sgl,
		    unsigned int nents, unsigned int flags)
{
	memset(miter, 0, sizeof(*miter));

	__sg_page_iter_start(&miter->piter, sgl, nents, 0);
	WARN_ON(!(flags & (SG_MITER_TO_SG | SG_MITER_FROM_SG)));
	miter->__flags = flags;
}
EXPORT_SYMBOL(sg_miter_start);

/*
 * Make sure __offset/__remaining describe a non-exhausted piece of a page,
 * moving to the next page if the current one is used up.  An entry's first
 * page is the one holding byte sg->offset: whole pages before it are stepped
 * over.  Returns false at the end of the list.
 */
static bool sg_miter_get_next_page(struct sg_mapping_iter *miter)
{
	if (!miter->__remaining) {
		struct scatterlist *sg;
		unsigned long in_entry_end;

		if (!__sg_page_iter_next(&miter->piter))
			return false;

		sg = miter->piter.sg;

		miter->__offset = miter->piter.sg_pgoffset ? 0 : sg->offset;
		miter->piter.sg_pgoffset += miter->__offset >> PAGE_SHIFT;
		miter->__offset &= PAGE_SIZE - 1;
		/* Bytes of the entry from this page's start to the entry's end. */
		in_entry_end = (unsigned long)sg->offset + sg->length -
			       ((unsigned long)miter->piter.sg_pgoffset << PAGE_SHIFT);
		miter->__remaining = min_t(unsigned long, in_entry_end - miter->__offset,
					   PAGE_SIZE - miter->__offset);
	}

	return true;
}

/**
 * sg_miter_skip - move the iterator @offset bytes forward
 * @miter: the iterator
 * @offset: bytes to skip (not negative)
 *
 * Stops @miter first (unmapping any current piece), so the next
 * sg_miter_next() maps from the new position.
 *
 * Context: any.
 * Return: true if the position is still inside the list; false if the list
 * ended first.  A negative @offset WARNs and returns false.
 */
bool sg_miter_skip(struct sg_mapping_iter *miter, off_t offset)
{
	sg_miter_stop(miter);

	if (WARN(offset < 0, "sg_miter_skip: negative offset %lld", (long long)offset))
		return false;

	while (offset) {
		off_t consumed;

		if (!sg_miter_get_next_page(miter))
			return false;

		consumed = min_t(off_t, offset, miter->__remaining);
		miter->__offset += consumed;
		miter->__remaining -= consumed;
		offset -= consumed;
	}

	return true;
}
EXPORT_SYMBOL(sg_miter_skip);

/**
 * sg_miter_next - map the next piece of the list
 * @miter: the iterator
 *
 * Unmaps the current piece (advancing by what the caller set in
 * @miter->consumed, all of it by default), then maps the next: @miter->page,
 * @miter->addr and @miter->length describe it, never crossing a page or
 * entry boundary.  A piece may be empty (an entry of length 0 with a
 * non-zero offset), as in the kernel.
 *
 * Context: any (kmap() cannot sleep here).
 * Return: true if a piece is mapped; false at the end of the list, or after
 * a WARN for an entry without a page of simulated RAM (the kernel would map
 * garbage), which leaves nothing mapped.
 */
bool sg_miter_next(struct sg_mapping_iter *miter)
{
	char *addr;

	sg_miter_stop(miter);

	/* __remaining and __offset were advanced by sg_miter_stop(). */
	if (!sg_miter_get_next_page(miter))
		return false;

	if (WARN(!sg_page(miter->piter.sg), "sg_miter_next: entry %p has no page",
		 (void *)miter->piter.sg))
		return false;
	miter->page = sg_page_iter_page(&miter->piter);

	if (miter->__flags & SG_MITER_ATOMIC)
		addr = kmap_atomic(miter->page);
	else
		addr = kmap(miter->page);
	if (!addr) {
		/* page_address() WARNed: the entry runs past simulated RAM. */
		miter->page = NULL;
		return false;
	}

	miter->consumed = miter->length = miter->__remaining;
	miter->addr = addr + miter->__offset;
	return true;
}
EXPORT_SYMBOL(sg_miter_next);

/**
 * sg_miter_stop - unmap the current piece
 * @miter: the iterator
 *
 * Advances the position by @miter->consumed, flushes the page if the
 * iteration writes to the list (SG_MITER_TO_SG), and unmaps it.  A stopped
 * iteration resumes with sg_miter_next().
 *
 * Context: any.
 * Return: nothing.  @miter->consumed larger than @miter->length WARNs (as in
 * the kernel), and the position then advances by the whole piece only.
 */
void sg_miter_stop(struct sg_mapping_iter *miter)
{
	if (WARN_ON(miter->consumed > miter->length))
		miter->consumed = miter->length;

	/* drop resources from the last iteration */
	if (miter->addr) {
		miter->__offset += miter->consumed;
		miter->__remaining -= miter->consumed;

		/*
		 * The kernel skips slab pages here; slab objects never live
		 * in simulated pages, so every page is flushed.
		 */
		if (miter->__flags & SG_MITER_TO_SG)
			flush_kernel_dcache_page(miter->page);

		if (miter->__flags & SG_MITER_ATOMIC)
			kunmap_atomic(miter->addr);
		else
			kunmap(miter->page);

		miter->page = NULL;
		miter->addr = NULL;
		miter->length = 0;
		miter->consumed = 0;
	}
}
EXPORT_SYMBOL(sg_miter_stop);
