// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sg tables: allocating and freeing (possibly chained) scatterlists, as the
 * kernel's lib/scatterlist.c of 2015 does.
 *
 * A list of more than max_ents entries is built from chunks of max_ents
 * entries whose last entry is the chain entry linking to the next chunk; the
 * final chunk holds what is left.  sg_alloc_table() takes full chunks
 * (SG_MAX_SINGLE_ALLOC entries, one page) from the page allocator and smaller
 * ones from kmalloc(), so both fault-injection sites apply.
 *
 * Where the kernel would loop forever or chase a bad link (a max_ents that
 * cannot chain, a table whose chain does not match max_ents), we WARN and
 * leave the table alone.
 */
#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/slab.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

/* sg_alloc_table()'s chunk allocator: a page for a full chunk, else kmalloc(). */
static struct scatterlist *sg_kmalloc(unsigned int nents, gfp_t gfp_mask)
{
	if (nents == SG_MAX_SINGLE_ALLOC)
		return (struct scatterlist *)__get_free_page(gfp_mask);
	return kmalloc(nents * sizeof(struct scatterlist), gfp_mask);
}

/* sg_free_table()'s chunk release, the mirror of sg_kmalloc(). */
static void sg_kfree(struct scatterlist *sgl, unsigned int nents)
{
	if (nents == SG_MAX_SINGLE_ALLOC)
		free_page((unsigned long)sgl);
	else
		kfree(sgl);
}

/*
 * Check, before freeing anything, that every chunk __sg_free_table() is about
 * to walk ends in a chain entry where @max_ents says it does; otherwise
 * freeing would follow a data entry's page pointer as a link.
 */
static bool sg_table_chain_matches(const struct sg_table *table, unsigned int max_ents)
{
	const struct scatterlist *sgl = table->sgl;
	unsigned int left = table->orig_nents;

	while (left > max_ents) {
		const struct scatterlist *link = &sgl[max_ents - 1];

		if (WARN(!sg_is_chain(link),
			 "__sg_free_table: no chain entry at %u: max_ents %u does not match the table",
			 max_ents - 1, max_ents))
			return false;
		sgl = sg_chain_ptr(link);
		left -= max_ents - 1;
	}
	return true;
}

/**
 * __sg_free_table - free an sg table built by __sg_alloc_table()
 * @table: the table
 * @max_ents: the max_ents it was allocated with
 * @skip_first_chunk: do not free the first chunk (the caller's preallocated
 *	first_chunk)
 * @free_fn: releases one chunk, given its entry count
 *
 * Context: whatever @free_fn allows.
 * Return: nothing.  Afterwards sgl is NULL and orig_nents 0; nents is left as
 * it was (as in the kernel).  A table without sgl is left alone.  A
 * @max_ents below 2 for a chained table, or a chain that does not match
 * @max_ents, WARNs and frees nothing (the kernel would follow a bad link).
 */
void __sg_free_table(struct sg_table *table, unsigned int max_ents,
		     bool skip_first_chunk, sg_free_fn *free_fn)
{
	struct scatterlist *sgl, *next;

	if (WARN(!table, "__sg_free_table: NULL table"))
		return;
	if (unlikely(!table->sgl))
		return;
	if (WARN(!max_ents || (max_ents == 1 && table->orig_nents > 1) || !free_fn,
		 "__sg_free_table: cannot free %u entries in chunks of %u%s",
		 table->orig_nents, max_ents, free_fn ? "" : " without a free_fn"))
		return;
	if (!sg_table_chain_matches(table, max_ents))
		return;

	sgl = table->sgl;
	while (table->orig_nents) {
		unsigned int alloc_size = table->orig_nents;
		unsigned int sg_size;

		/* A full chunk's last entry is the link, not an entry of the table. */
		if (alloc_size > max_ents) {
			next = sg_chain_ptr(&sgl[max_ents - 1]);
			alloc_size = max_ents;
			sg_size = alloc_size - 1;
		} else {
			sg_size = alloc_size;
			next = NULL;
		}

		table->orig_nents -= sg_size;
		if (skip_first_chunk)
			skip_first_chunk = false;
		else
			free_fn(sgl, alloc_size);
		sgl = next;
	}

	table->sgl = NULL;
}
EXPORT_SYMBOL(__sg_free_table);

/**
 * sg_free_table - free a table from sg_alloc_table() or
 *	sg_alloc_table_from_pages()
 * @table: the table
 *
 * Context: any.
 * Return: nothing; sgl is NULL and orig_nents 0 afterwards (nents is stale).
 */
void sg_free_table(struct sg_table *table)
{
	__sg_free_table(table, SG_MAX_SINGLE_ALLOC, false, sg_kfree);
}
EXPORT_SYMBOL(sg_free_table);

/**
 * __sg_alloc_table - build an sg table of @nents entries from chunks
 * @table: the table header (overwritten)
 * @nents: entries the list must have
 * @max_ents: most entries @alloc_fn returns per call; longer lists are
 *	chained in chunks of @max_ents (max_ents - 1 entries + the link)
 * @first_chunk: a preallocated first chunk of @max_ents entries, or NULL
 * @gfp_mask: allocation flags for @alloc_fn
 * @alloc_fn: allocates a chunk of the given number of entries
 *
 * Every entry is cleared and the last one marked.
 *
 * Context: whatever @gfp_mask allows.
 * Return: 0 with nents = orig_nents = @nents.  -EINVAL for @nents 0 (no
 * WARN, as in the kernel), and after a WARN for a NULL @table or @alloc_fn,
 * @max_ents 0, or @max_ents 1 with @nents > 1 (the kernel loops forever);
 * the header is zeroed (if there is one) and nothing allocated.  -ENOMEM if
 * @alloc_fn fails: the chunks obtained so far stay linked in @table, whose
 * orig_nents counts them so that the caller must __sg_free_table() it (as in
 * the kernel; sg_alloc_table() does so).
 */
int __sg_alloc_table(struct sg_table *table, unsigned int nents, unsigned int max_ents,
		     struct scatterlist *first_chunk, gfp_t gfp_mask, sg_alloc_fn *alloc_fn)
{
	struct scatterlist *sg, *prv = NULL;
	unsigned int left;

	if (WARN(!table, "__sg_alloc_table: NULL table"))
		return -EINVAL;
	memset(table, 0, sizeof(*table));

	if (nents == 0)
		return -EINVAL;
	if (WARN(!max_ents || (max_ents == 1 && nents > 1),
		 "__sg_alloc_table: cannot chain %u entries in chunks of %u", nents, max_ents))
		return -EINVAL;
	if (WARN(!alloc_fn, "__sg_alloc_table: no allocator"))
		return -EINVAL;

	left = nents;
	do {
		unsigned int sg_size, alloc_size = left;

		if (alloc_size > max_ents) {
			alloc_size = max_ents;
			sg_size = alloc_size - 1;
		} else {
			sg_size = alloc_size;
		}
		left -= sg_size;

		if (first_chunk) {
			sg = first_chunk;
			first_chunk = NULL;
		} else {
			sg = alloc_fn(alloc_size, gfp_mask);
		}
		if (unlikely(!sg)) {
			/*
			 * The previous chunk's last entry was counted as a link
			 * that never got made: count it as an entry again, so
			 * that __sg_free_table() sees that chunk as a final,
			 * unchained one of alloc_size entries.
			 */
			if (prv)
				table->nents = ++table->orig_nents;
			return -ENOMEM;
		}

		sg_init_table(sg, alloc_size);
		table->orig_nents += sg_size;
		table->nents = table->orig_nents;

		if (prv)
			sg_chain(prv, max_ents, sg);
		else
			table->sgl = sg;

		if (!left)
			sg_mark_end(&sg[sg_size - 1]);

		prv = sg;
	} while (left);

	return 0;
}
EXPORT_SYMBOL(__sg_alloc_table);

/**
 * sg_alloc_table - allocate an sg table of @nents cleared entries
 * @table: the table header (overwritten)
 * @nents: entries; more than SG_MAX_SINGLE_ALLOC are chained across pages
 * @gfp_mask: allocation flags
 *
 * Context: whatever @gfp_mask allows.
 * Return: 0 with nents = orig_nents = @nents.  -EINVAL for @nents 0;
 * -ENOMEM when an allocation fails.  On error nothing is left allocated:
 * sgl is NULL and orig_nents 0, while nents keeps the count reached before
 * the failure (as in the kernel).
 */
int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp_mask)
{
	int ret;

	ret = __sg_alloc_table(table, nents, SG_MAX_SINGLE_ALLOC, NULL, gfp_mask, sg_kmalloc);
	/* (A NULL @table was WARNed about already.) */
	if (unlikely(ret) && table)
		__sg_free_table(table, SG_MAX_SINGLE_ALLOC, false, sg_kfree);
	return ret;
}
EXPORT_SYMBOL(sg_alloc_table);
