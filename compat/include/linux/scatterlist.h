/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/scatterlist.h - faithful re-implementation of the kernel's
 * scatterlist library (lib/scatterlist.c of 2015, plus the later
 * segment-limited sg_alloc_table_from_pages_segment()).
 *
 * page_link holds the page pointer with two low bits: 0x01 marks a chain
 * entry (page_link points to the next scatterlist array), 0x02 marks the
 * last entry.  CONFIG_NEED_SG_DMA_LENGTH is set, so dma_length is separate
 * from length, as on arm64.  arm64 selects ARCH_HAS_SG_CHAIN, so chaining is
 * always available.
 *
 * Customised for simulation only where the kernel would BUG() or crash: the
 * inline helpers below WARN and leave the entry as it was when handed a
 * misaligned page pointer, a chain entry where a page entry is required
 * (the kernel's CONFIG_DEBUG_SG checks), or a NULL/empty list.  The library
 * itself lives in compat/lib/ (scatterlist.c, sg_table.c, sg_from_pages.c,
 * sg_miter.c, sg_copy.c); its sanity checker is in <iosim/sg.h>.
 */
#ifndef _IOSIM_LINUX_SCATTERLIST_H
#define _IOSIM_LINUX_SCATTERLIST_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/bug.h>
#include <linux/mm.h>

struct scatterlist {
	unsigned long page_link;
	unsigned int offset;
	unsigned int length;
	dma_addr_t dma_address;
	unsigned int dma_length;
};

struct sg_table {
	struct scatterlist *sgl;	/* the list */
	unsigned int nents;		/* number of mapped entries */
	unsigned int orig_nents;	/* original size of list */
};

#define sg_dma_address(sg)	((sg)->dma_address)
#define sg_dma_len(sg)		((sg)->dma_length)

/*
 * The two bits page_link steals from the pointer it holds (named as in later
 * kernels; the 2015 code wrote the literals).
 */
#define SG_CHAIN		0x01UL
#define SG_END			0x02UL
#define SG_PAGE_LINK_MASK	(SG_CHAIN | SG_END)

#define sg_is_chain(sg)		((sg)->page_link & SG_CHAIN)
#define sg_is_last(sg)		((sg)->page_link & SG_END)
#define sg_chain_ptr(sg)	((struct scatterlist *)((sg)->page_link & ~SG_PAGE_LINK_MASK))

/*
 * Maximum number of entries allocated in one piece (one page); longer lists
 * are chained, the last entry of each full piece pointing to the next one.
 */
#define SG_MAX_SINGLE_ALLOC	(PAGE_SIZE / sizeof(struct scatterlist))

/**
 * iosim_sg_page_assignable - may @page become the page of entry @sg?
 * @sg: the entry
 * @page: the page (may be NULL)
 *
 * Where the kernel BUGs: a page pointer with either of the two low bits set
 * (always), or a chain entry as @sg (with CONFIG_DEBUG_SG).
 *
 * Context: any.
 * Return: true if it may; false after a WARN otherwise.
 */
static inline bool iosim_sg_page_assignable(const struct scatterlist *sg,
					    const struct page *page)
{
	/* The low-bit stealing needs pages aligned to at least 4 bytes. */
	if (WARN((unsigned long)page & SG_PAGE_LINK_MASK,
		 "sg_assign_page: page pointer %p has its low bits set", (const void *)page))
		return false;
	if (WARN(sg_is_chain(sg), "sg_assign_page: entry %p is a chain entry",
		 (const void *)sg))
		return false;
	return true;
}

/**
 * sg_assign_page - set the page of an entry, keeping its end/chain bits
 * @sg: the entry
 * @page: the page (may be NULL)
 *
 * Context: any.
 * Return: nothing.  If iosim_sg_page_assignable() refuses (WARN), @sg is
 * unchanged.
 */
static inline void sg_assign_page(struct scatterlist *sg, struct page *page)
{
	if (!iosim_sg_page_assignable(sg, page))
		return;
	sg->page_link = (sg->page_link & SG_PAGE_LINK_MASK) | (unsigned long)page;
}

/**
 * sg_set_page - describe @len bytes at @offset into @page with entry @sg
 * @sg: the entry
 * @page: the page
 * @len: length in bytes
 * @offset: byte offset into @page; may exceed PAGE_SIZE, in which case the
 *	data starts in a later page of a physically contiguous block
 *
 * Context: any.
 * Return: nothing.  If iosim_sg_page_assignable() refuses (WARN), @sg is
 * unchanged.
 */
static inline void sg_set_page(struct scatterlist *sg, struct page *page,
			       unsigned int len, unsigned int offset)
{
	if (!iosim_sg_page_assignable(sg, page))
		return;
	sg->page_link = (sg->page_link & SG_PAGE_LINK_MASK) | (unsigned long)page;
	sg->offset = offset;
	sg->length = len;
}

/**
 * sg_page - the page of entry @sg
 * @sg: the entry (not a chain entry)
 *
 * Context: any.
 * Return: the page, or NULL if none was set.  A chain entry (the kernel's
 * CONFIG_DEBUG_SG BUGs) WARNs and returns NULL.
 */
static inline struct page *sg_page(struct scatterlist *sg)
{
	if (WARN(sg_is_chain(sg), "sg_page: entry %p is a chain entry", (void *)sg))
		return NULL;
	return (struct page *)(sg->page_link & ~SG_PAGE_LINK_MASK);
}

/**
 * sg_set_buf - describe a linear-map buffer with entry @sg
 * @sg: the entry
 * @buf: linear-map address (simulated RAM; anything else WARNs in virt_to_page())
 * @buflen: length in bytes
 *
 * Context: any.
 * Return: nothing.
 */
static inline void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_set_page(sg, virt_to_page(buf), buflen, offset_in_page(buf));
}

/*
 * Loop over @nr entries of @sglist (following chains); @sg is the current
 * entry and @__i its index.
 */
#define for_each_sg(sglist, sg, nr, __i)	\
	for (__i = 0, sg = (sglist); __i < (nr); __i++, sg = sg_next(sg))

/**
 * sg_chain - chain two scatterlist arrays
 * @prv: the first array
 * @prv_nents: entries in @prv; its last entry becomes the chain entry
 * @sgl: the array to continue with
 *
 * The last entry of @prv stops describing data: its page, offset and length
 * are replaced by the link, so @prv must have room for it.
 *
 * Context: any.
 * Return: nothing.  @prv_nents of 0 (the kernel writes before @prv), a NULL
 * @sgl or an @sgl with its low bits set WARN and change nothing.
 */
static inline void sg_chain(struct scatterlist *prv, unsigned int prv_nents,
			    struct scatterlist *sgl)
{
	if (WARN(!prv_nents, "sg_chain: no entry to turn into the chain entry"))
		return;
	if (WARN(!sgl || ((unsigned long)sgl & SG_PAGE_LINK_MASK),
		 "sg_chain: bad next array %p", (void *)sgl))
		return;
	/* A chain entry carries no data. */
	prv[prv_nents - 1].offset = 0;
	prv[prv_nents - 1].length = 0;
	/* Set the chain bit, and clear the end bit it may have had. */
	prv[prv_nents - 1].page_link = ((unsigned long)sgl | SG_CHAIN) & ~SG_END;
}

/**
 * sg_mark_end - make @sg the last entry of its list
 * @sg: the entry
 *
 * Sets the end bit and clears the chain bit, as the kernel does.
 *
 * Context: any.
 * Return: nothing (a NULL @sg WARNs).
 */
static inline void sg_mark_end(struct scatterlist *sg)
{
	if (WARN(!sg, "sg_mark_end: NULL entry"))
		return;
	sg->page_link |= SG_END;
	sg->page_link &= ~SG_CHAIN;
}

/**
 * sg_unmark_end - undo sg_mark_end()
 * @sg: the entry
 *
 * Context: any.
 * Return: nothing (a NULL @sg WARNs).
 */
static inline void sg_unmark_end(struct scatterlist *sg)
{
	if (WARN(!sg, "sg_unmark_end: NULL entry"))
		return;
	sg->page_link &= ~SG_END;
}

/**
 * sg_init_marker - mark the end of a list of @nents entries (a later kernel's
 * helper, v4.15)
 * @sgl: the array
 * @nents: its entries; 0 WARNs and changes nothing (the kernel writes before @sgl)
 *
 * Context: any.
 * Return: nothing.
 */
static inline void sg_init_marker(struct scatterlist *sgl, unsigned int nents)
{
	if (WARN(!nents, "sg_init_marker: empty list"))
		return;
	sg_mark_end(&sgl[nents - 1]);
}

/**
 * sg_phys - physical address of the data of @sg
 * @sg: the entry
 *
 * Context: any.
 * Return: page_to_phys(sg_page(@sg)) + offset (dma_addr_t, as in 2015); for an
 * entry without a valid page, page_to_phys() WARNs and this is just the offset.
 */
static inline dma_addr_t sg_phys(struct scatterlist *sg)
{
	return page_to_phys(sg_page(sg)) + sg->offset;
}

/**
 * sg_virt - linear-map address of the data of @sg
 * @sg: the entry
 *
 * Context: any.
 * Return: page_address(sg_page(@sg)) + offset; NULL (after page_address()'s
 * WARN) for an entry without a valid page.
 */
static inline void *sg_virt(struct scatterlist *sg)
{
	char *addr = page_address(sg_page(sg));

	return addr ? addr + sg->offset : NULL;
}

int sg_nents(struct scatterlist *sg);
int sg_nents_for_len(struct scatterlist *sg, u64 len);
struct scatterlist *sg_next(struct scatterlist *sg);
struct scatterlist *sg_last(struct scatterlist *sgl, unsigned int nents);
void sg_init_table(struct scatterlist *sgl, unsigned int nents);
void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen);

/* Chunk allocators for __sg_alloc_table()/__sg_free_table(). */
typedef struct scatterlist *(sg_alloc_fn)(unsigned int nents, gfp_t gfp_mask);
typedef void (sg_free_fn)(struct scatterlist *sgl, unsigned int nents);

void __sg_free_table(struct sg_table *table, unsigned int max_ents,
		     bool skip_first_chunk, sg_free_fn *free_fn);
void sg_free_table(struct sg_table *table);
int __sg_alloc_table(struct sg_table *table, unsigned int nents, unsigned int max_ents,
		     struct scatterlist *first_chunk, gfp_t gfp_mask, sg_alloc_fn *alloc_fn);
int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp_mask);
int sg_alloc_table_from_pages(struct sg_table *sgt, struct page **pages,
			      unsigned int n_pages, unsigned long offset,
			      unsigned long size, gfp_t gfp_mask);
int sg_alloc_table_from_pages_segment(struct sg_table *sgt, struct page **pages,
				      unsigned int n_pages, unsigned int offset,
				      unsigned long size, unsigned int max_segment,
				      gfp_t gfp_mask);

size_t sg_copy_buffer(struct scatterlist *sgl, unsigned int nents, void *buf,
		      size_t buflen, off_t skip, bool to_buffer);
size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents,
			   const void *buf, size_t buflen);
size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents,
			 void *buf, size_t buflen);
size_t sg_pcopy_from_buffer(struct scatterlist *sgl, unsigned int nents,
			    const void *buf, size_t buflen, off_t skip);
size_t sg_pcopy_to_buffer(struct scatterlist *sgl, unsigned int nents,
			  void *buf, size_t buflen, off_t skip);

/*
 * sg page iterator: walks every page an sg list touches, from the page
 * holding each entry's first byte (@sg_pgoffset counts pages from
 * sg_page(@sg), so an entry with offset >= PAGE_SIZE starts at page 0 and
 * its leading pages are visited too, as in the kernel).
 */
struct sg_page_iter {
	struct scatterlist *sg;		/* sg holding the page */
	unsigned int sg_pgoffset;	/* page offset within the sg */

	/* these are internal states, keep away */
	unsigned int __nents;		/* remaining sg entries */
	int __pg_advance;		/* nr pages to advance at the next step */
};

bool __sg_page_iter_next(struct sg_page_iter *piter);
void __sg_page_iter_start(struct sg_page_iter *piter, struct scatterlist *sglist,
			  unsigned int nents, unsigned long pgoffset);

/**
 * sg_page_iter_page - the page the iterator is at
 * @piter: the iterator, after __sg_page_iter_next() returned true
 *
 * Context: any.
 * Return: nth_page(sg_page(@piter->sg), @piter->sg_pgoffset).
 */
static inline struct page *sg_page_iter_page(struct sg_page_iter *piter)
{
	return nth_page(sg_page(piter->sg), piter->sg_pgoffset);
}

/**
 * sg_page_iter_dma_address - the DMA address of the page the iterator is at
 * @piter: the iterator, after __sg_page_iter_next() returned true
 *
 * Context: any.
 * Return: sg_dma_address(@piter->sg) + (@piter->sg_pgoffset << PAGE_SHIFT).
 */
static inline dma_addr_t sg_page_iter_dma_address(struct sg_page_iter *piter)
{
	return sg_dma_address(piter->sg) + ((dma_addr_t)piter->sg_pgoffset << PAGE_SHIFT);
}

/* Loop over the pages of @nents entries of @sglist, starting @pgoffset pages in. */
#define for_each_sg_page(sglist, piter, nents, pgoffset)		   \
	for (__sg_page_iter_start((piter), (sglist), (nents), (pgoffset)); \
	     __sg_page_iter_next(piter);)

/* sg mapping iterator flags */
#define SG_MITER_ATOMIC		(1 << 0)	/* use kmap_atomic */
#define SG_MITER_TO_SG		(1 << 1)	/* flush back to phys on unmap */
#define SG_MITER_FROM_SG	(1 << 2)	/* nop */

struct sg_mapping_iter {
	/* the following three fields can be accessed directly */
	struct page *page;		/* currently mapped page */
	void *addr;			/* pointer to the mapped area */
	size_t length;			/* length of the mapped area */
	size_t consumed;		/* number of consumed bytes */
	struct sg_page_iter piter;	/* page iterator */

	/* these are internal states, keep away */
	unsigned int __offset;		/* offset within page */
	unsigned int __remaining;	/* remaining bytes on page */
	unsigned int __flags;
};

void sg_miter_start(struct sg_mapping_iter *miter, struct scatterlist *sgl,
		    unsigned int nents, unsigned int flags);
bool sg_miter_skip(struct sg_mapping_iter *miter, off_t offset);
bool sg_miter_next(struct sg_mapping_iter *miter);
void sg_miter_stop(struct sg_mapping_iter *miter);

#endif /* _IOSIM_LINUX_SCATTERLIST_H */
