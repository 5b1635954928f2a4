// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Copying between a linear buffer and the pages an sg list describes
 * (sg_copy_buffer() and its four wrappers, lib/scatterlist.c of 2015),
 * built on the sg mapping iterator.
 */
#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <linux/string.h>

/**
 * sg_copy_buffer - copy between a linear buffer and an sg list
 * @sgl: the list
 * @nents: entries of @sgl to use
 * @buf: the linear buffer
 * @buflen: bytes to copy at most
 * @skip: bytes of the list to skip before copying
 * @to_buffer: true copies from the list into @buf, false from @buf into the list
 *
 * Context: any.
 * Return: bytes copied: @buflen, or less if the list (from @skip) is shorter;
 * 0 if @skip reaches the end of the list (or is negative, which WARNs).
 */
size_t sg_copy_buffer(struct scatterlist *sgl, unsigned int nents, void *buf,
		      size_t buflen, off_t skip, bool to_buffer)
{
	unsigned int sg_flags = SG_MITER_ATOMIC;
	struct sg_mapping_iter miter;
	size_t offset = 0;

	sg_flags |= to_buffer ? SG_MITER_FROM_SG : SG_MITER_TO_SG;
	sg_miter_start(&miter, sgl, nents, sg_flags);

	/* Nothing is mapped when the skip fails: no sg_miter_stop() needed. */
	if (!sg_miter_skip(&miter, skip))
		return 0;

	while (offset < buflen && sg_miter_next(&miter)) {
		size_t len = min(miter.length, buflen - offset);

		if (to_buffer)
			memcpy((char *)buf + offset, miter.addr, len);
		else
			memcpy(miter.addr, (char *)buf + offset, len);

		offset += len;
	}

	sg_miter_stop(&miter);

	return offset;
}
EXPORT_SYMBOL(sg_copy_buffer);

/**
 * sg_copy_from_buffer - copy a linear buffer into an sg list
 * @sgl: the list
 * @nents: entries of @sgl to use
 * @buf: the source
 * @buflen: bytes to copy at most
 *
 * Context: any.
 * Return: bytes copied (less than @buflen if the list is shorter).
 */
size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents,
			   const void *buf, size_t buflen)
{
	return sg_copy_buffer(sgl, nents, (void *)buf, buflen, 0, false);
}
EXPORT_SYMBOL(sg_copy_from_buffer);

/**
 * sg_copy_to_buffer - copy an sg list into a linear buffer
 * @sgl: the list
 * @nents: entries of @sgl to use
 * @buf: the destination
 * @buflen: bytes to copy at most
 *
 * Context: any.
 * Return: bytes copied (less than @buflen if the list is shorter).
 */
size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents,
			 void *buf, size_t buflen)
{
	return sg_copy_buffer(sgl, nents, buf, buflen, 0, true);
}
EXPORT_SYMBOL(sg_copy_to_buffer);

/**
 * sg_pcopy_from_buffer - copy a linear buffer into an sg list, @skip bytes in
 * @sgl: the list
 * @nents: entries of @sgl to use
 * @buf: the source
 * @buflen: bytes to copy at most
 * @skip: bytes of the list to leave alone before the copy
 *
 * Context: any.
 * Return: bytes copied; 0 if @skip reaches the end of the list.
 */
size_t sg_pcopy_from_buffer(struct scatterlist *sgl, unsigned int nents,
			    const void *buf, size_t buflen, off_t skip)
{
	return sg_copy_buffer(sgl, nents, (void *)buf, buflen, skip, false);
}
EXPORT_SYMBOL(sg_pcopy_from_buffer);

/**
 * sg_pcopy_to_buffer - copy an sg list, from @skip bytes in, into a linear buffer
 * @sgl: the list
 * @nents: entries of @sgl to use
 * @buf: the destination
 * @buflen: bytes to copy at most
 * @skip: bytes of the list to pass over first
 *
 * Context: any.
 * Return: bytes copied; 0 if @skip reaches the end of the list.
 */
size_t sg_pcopy_to_buffer(struct scatterlist *sgl, unsigned int nents,
			  void *buf, size_t buflen, off_t skip)
{
	return sg_copy_buffer(sgl, nents, buf, buflen, skip, true);
}
EXPORT_SYMBOL(sg_pcopy_to_buffer);
