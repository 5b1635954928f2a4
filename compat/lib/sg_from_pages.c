// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sg tables from page arrays: sg_alloc_table_from_pages() (2015) and the
 * segment-limited sg_alloc_table_from_pages_segment() of later kernels.
 *
 * The buffer is bytes [offset, offset + size) of the pages laid end to end.
 * Runs of physically consecutive pages (page_to_pfn(pages[i]) ==
 * page_to_pfn(pages[i - 1]) + 1) become one entry each; with a segment
 * limit, a run is cut every max_segment / PAGE_SIZE pages.  Only the first
 * entry has an offset, the one given (it may exceed PAGE_SIZE if the first
 * run is long enough); each entry's length is what the buffer has in its
 * run, so the first entry is (run bytes - offset) long and the last is
 * trimmed to the buffer's end.  Runs are cut by page count alone, so the
 * offset shortens the first segment and no segment exceeds max_segment.
 *
 * The kernel trusts its caller.  Where its arithmetic goes wrong - no pages
 * (it reads pages[0] anyway), an offset past the first run or a buffer that
 * ends before the last run (lengths wrap around or come out 0), a buffer
 * longer than the pages (the last entry is silently short) - we WARN and
 * return -EINVAL without allocating.
 */
#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <iosim/sg.h>

/*
 * The 2015 sg_alloc_table_from_pages() had no limit, so a run of 4 GiB or
 * more overflowed the unsigned int length.  Later kernels cut runs at the
 * largest page multiple that fits (SCATTERLIST_MAX_SEGMENT); we do too,
 * since the 2015 result is a corrupt table.
 */
#define SG_FROM_PAGES_MAX_SEGMENT	((unsigned int)(UINT_MAX & PAGE_MASK))

/* Pages in the run starting at pages[first]: consecutive frames, at most max_pages. */
static unsigned int sg_run_pages(struct page **pages, unsigned int n_pages,
				 unsigned int first, unsigned int max_pages)
{
	unsigned int j;

	for (j = first + 1; j < n_pages && j - first < max_pages; j++)
		if (page_to_pfn(pages[j]) != page_to_pfn(pages[j - 1]) + 1)
			break;
	return j - first;
}

/*
 * Check the request and count the entries it needs (*nr_chunks).  Returns 0
 * or -EINVAL after a WARN naming @caller.
 */
static int sg_from_pages_layout(const char *caller, struct page **pages,
				unsigned int n_pages, unsigned long offset,
				unsigned long size, unsigned int max_pages,
				unsigned int *nr_chunks)
{
	unsigned int first_run_pages = 0, last_run_first = 0, chunks = 0, i;
	unsigned long end;

	if (WARN(!n_pages || !pages, "%s: no pages", caller))
		return -EINVAL;
	for (i = 0; i < n_pages; i++)
		if (WARN(!iosim_sg_page_valid(pages[i]),
			 "%s: pages[%u] = %p is not a page of simulated RAM", caller, i,
			 (void *)pages[i]))
			return -EINVAL;

	for (i = 0; i < n_pages; i += sg_run_pages(pages, n_pages, i, max_pages)) {
		if (!chunks)
			first_run_pages = sg_run_pages(pages, n_pages, i, max_pages);
		last_run_first = i;
		chunks++;
	}

	if (WARN(offset >= (unsigned long)first_run_pages << PAGE_SHIFT,
		 "%s: offset %lu lies beyond the first run of %u pages", caller, offset,
		 first_run_pages))
		return -EINVAL;
	if (WARN(size > ((unsigned long)n_pages << PAGE_SHIFT) - offset,
		 "%s: offset %lu + size %lu overruns %u pages", caller, offset, size, n_pages))
		return -EINVAL;
	end = offset + size;
	if (WARN(chunks > 1 && end <= (unsigned long)last_run_first << PAGE_SHIFT,
		 "%s: the buffer ends at byte %lu, before the last run (page %u) starts",
		 caller, end, last_run_first))
		return -EINVAL;

	*nr_chunks = chunks;
	return 0;
}

/* Describe the runs with the entries of @sgt, which has exactly one per run. */
static void sg_fill_from_pages(struct sg_table *sgt, struct page **pages,
			       unsigned int n_pages, unsigned long offset,
			       unsigned long size, unsigned int max_pages)
{
	unsigned int cur_page = 0, i;
	struct scatterlist *s;

	for_each_sg(sgt->sgl, s, sgt->orig_nents, i) {
		unsigned int nr = sg_run_pages(pages, n_pages, cur_page, max_pages);
		unsigned long run_len = ((unsigned long)nr << PAGE_SHIFT) - offset;
		unsigned long len = min(size, run_len);

		sg_set_page(s, pages[cur_page], (unsigned int)len, (unsigned int)offset);
		size -= len;
		offset = 0;
		cur_page += nr;
	}
}

/**
 * sg_alloc_table_from_pages - allocate an sg table describing a buffer in pages
 * @sgt: the table header (overwritten)
 * @pages: the pages holding the buffer, in order
 * @n_pages: entries of @pages
 * @offset: where the buffer starts in the first page (bytes)
 * @size: the buffer's length in bytes
 * @gfp_mask: allocation flags
 *
 * Physically contiguous runs of pages become one entry each, without a limit
 * on their length (as in 2015; runs of 4 GiB or more are cut, see
 * SG_FROM_PAGES_MAX_SEGMENT).  Free with sg_free_table().
 *
 * Context: whatever @gfp_mask allows.
 * Return: 0 with one entry per run (nents = orig_nents).  -EINVAL after a WARN
 * for no pages, a page outside simulated RAM, an @offset not inside the first
 * run, a buffer longer than the pages or ending before the last run: @sgt is
 * untouched.  -ENOMEM as sg_alloc_table() fails (nothing allocated; @sgt as
 * it leaves it).
 */
int sg_alloc_table_from_pages(struct sg_table *sgt, struct page **pages,
			      unsigned int n_pages, unsigned long offset,
			      unsigned long size, gfp_t gfp_mask)
{
	unsigned int max_pages = SG_FROM_PAGES_MAX_SEGMENT >> PAGE_SHIFT;
	unsigned int chunks;
	int ret;

	ret = sg_from_pages_layout(__func__, pages, n_pages, offset, size, max_pages, &chunks);
	if (ret)
		return ret;

	ret = sg_alloc_table(sgt, chunks, gfp_mask);
	if (unlikely(ret))
		return ret;

	sg_fill_from_pages(sgt, pages, n_pages, offset, size, max_pages);
	return 0;
}
EXPORT_SYMBOL(sg_alloc_table_from_pages);

/**
 * sg_alloc_table_from_pages_segment - sg_alloc_table_from_pages() with a
 *	limit on each entry's length (v5.15 semantics)
 * @sgt: the table header; written only on success
 * @pages: the pages holding the buffer, in order
 * @n_pages: entries of @pages
 * @offset: where the buffer starts in the first page (bytes)
 * @size: the buffer's length in bytes
 * @max_segment: longest entry in bytes; rounded down to a multiple of
 *	PAGE_SIZE, since runs are cut by whole pages
 * @gfp_mask: allocation flags
 *
 * Runs are cut every max_segment / PAGE_SIZE pages, counted from each run's
 * first page, so the first entry (which loses @offset bytes) and the last
 * (trimmed to the buffer) may be shorter; none is longer than @max_segment.
 *
 * Context: whatever @gfp_mask allows.
 * Return: 0 with one entry per cut run (nents = orig_nents).  -EINVAL after a
 * WARN if @max_segment rounds down below PAGE_SIZE, or for the bad requests
 * sg_alloc_table_from_pages() refuses; -ENOMEM if an allocation fails.  On
 * error nothing is allocated and @sgt is untouched (the kernel builds into a
 * local table and copies it out on success).
 */
int sg_alloc_table_from_pages_segment(struct sg_table *sgt, struct page **pages,
				      unsigned int n_pages, unsigned int offset,
				      unsigned long size, unsigned int max_segment,
				      gfp_t gfp_mask)
{
	struct sg_table table;
	unsigned int chunks;
	int ret;

	/* Runs are cut by whole pages: a partial page would overshoot the limit. */
	max_segment = (unsigned int)(max_segment & PAGE_MASK);
	if (WARN(max_segment < PAGE_SIZE,
		 "%s: max_segment rounds down to %u, less than a page", __func__, max_segment))
		return -EINVAL;

	ret = sg_from_pages_layout(__func__, pages, n_pages, offset, size,
				   max_segment >> PAGE_SHIFT, &chunks);
	if (ret)
		return ret;

	ret = sg_alloc_table(&table, chunks, gfp_mask);
	if (unlikely(ret))
		return ret;

	sg_fill_from_pages(&table, pages, n_pages, offset, size, max_segment >> PAGE_SHIFT);
	*sgt = table;
	return 0;
}
EXPORT_SYMBOL(sg_alloc_table_from_pages_segment);
