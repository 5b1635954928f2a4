// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Scatterlist walking and initialisation (the core of the kernel's
 * lib/scatterlist.c of 2015): sg_next(), sg_nents(), sg_nents_for_len(),
 * sg_last(), sg_init_table(), sg_init_one().
 *
 * Where the kernel would dereference NULL or write before an array, we WARN
 * and return without touching anything.
 */
#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

/**
 * sg_next - the entry after @sg
 * @sg: the current entry
 *
 * Usually @sg + 1; if that is a chain entry, the first entry of the array it
 * points to.
 *
 * Context: any.
 * Return: the next entry, or NULL if @sg is the last one.  A NULL @sg (the
 * kernel dereferences it) WARNs and returns NULL.
 */
struct scatterlist *sg_next(struct scatterlist *sg)
{
	if (WARN(!sg, "sg_next: NULL entry"))
		return NULL;
	if (sg_is_last(sg))
		return NULL;

	sg++;
	if (unlikely(sg_is_chain(sg)))
		sg = sg_chain_ptr(sg);

	return sg;
}
EXPORT_SYMBOL(sg_next);

/**
 * sg_nents - count the entries of a list, following chains
 * @sg: the first entry (NULL counts as an empty list)
 *
 * Context: any.
 * Return: the number of entries up to and including the one marked last.
 */
int sg_nents(struct scatterlist *sg)
{
	int nents = 0;

	for (; sg; sg = sg_next(sg))
		nents++;
	return nents;
}
EXPORT_SYMBOL(sg_nents);

/**
 * sg_nents_for_len - count the entries needed to cover @len bytes
 * @sg: the first entry
 * @len: bytes the caller needs
 *
 * Context: any.
 * Return: 0 for @len 0; otherwise the number of entries from @sg whose
 * lengths add up to at least @len; -EINVAL if the whole list is shorter.
 */
int sg_nents_for_len(struct scatterlist *sg, u64 len)
{
	u64 total_len = 0;
	int nents = 0;

	if (!len)
		return 0;

	for (; sg; sg = sg_next(sg)) {
		nents++;
		total_len += sg->length;
		if (total_len >= len)
			return nents;
	}
	return -EINVAL;
}
EXPORT_SYMBOL(sg_nents_for_len);

/**
 * sg_last - the last of @nents entries
 * @sgl: first entry (need not be the list's first, only @nents must be
 *	counted from it)
 * @nents: entries from @sgl
 *
 * Scans the whole list.
 *
 * Context: any.
 * Return: the @nents-th entry from @sgl, or NULL for @nents 0.  If the list
 * ends earlier (the kernel would walk into NULL), WARNs and returns the entry
 * marked last.
 */
struct scatterlist *sg_last(struct scatterlist *sgl, unsigned int nents)
{
	struct scatterlist *sg = sgl, *last = NULL;
	unsigned int i;

	for (i = 0; i < nents; i++) {
		if (WARN(!sg, "sg_last: list ends after %u of %u entries", i, nents))
			break;
		last = sg;
		/* sg_next() of the entry marked last is NULL: no WARN from it. */
		sg = sg_next(sg);
	}
	return last;
}
EXPORT_SYMBOL(sg_last);

/**
 * sg_init_table - clear @nents entries and mark the last one
 * @sgl: the array
 * @nents: its entries
 *
 * For a list made of chained arrays, only the last array's end should be
 * marked: clear the others with memset or unmark their end after this.
 *
 * Context: any.
 * Return: nothing.  @nents 0 (the kernel writes before @sgl) WARNs and does
 * nothing.
 */
void sg_init_table(struct scatterlist *sgl, unsigned int nents)
{
	if (WARN(!nents, "sg_init_table: empty table"))
		return;
	memset(sgl, 0, sizeof(*sgl) * nents);
	sg_init_marker(sgl, nents);
}
EXPORT_SYMBOL(sg_init_table);

/**
 * sg_init_one - make @sg a one-entry list describing @buf
 * @sg: the entry
 * @buf: linear-map address of the buffer
 * @buflen: its length in bytes
 *
 * Context: any.
 * Return: nothing.
 */
void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen)
{
	sg_init_table(sg, 1);
	sg_set_buf(sg, buf, buflen);
}
EXPORT_SYMBOL(sg_init_one);
