// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Sanity checkers for scatterlists and sg tables (<iosim/sg.h>): not kernel
 * API.  They walk a list the way sg_next() does, without trusting it, and
 * WARN for every broken invariant the scatterlist code relies on.
 */
#include <stdarg.h>
#include <stdio.h>

#include <linux/kernel.h>
#include <linux/scatterlist.h>
#include <iosim/ram.h>
#include <iosim/sg.h>

/* Enough to diagnose a broken list without flooding the WARN record. */
#define SG_CHECK_MAX_REPORTS	8

struct sg_check_state {
	const char *who;
	unsigned int nr_problems;
};

static __printf(2, 3) void sg_check_report(struct sg_check_state *cs, const char *fmt, ...)
{
	char msg[200];
	va_list args;

	if (cs->nr_problems++ >= SG_CHECK_MAX_REPORTS)
		return;
	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	WARN(1, "%s: %s", cs->who, msg);
}

/**
 * iosim_sg_page_valid - is @page a struct page of simulated RAM?
 * @page: any pointer, NULL included
 *
 * Context: any.  Never WARNs.
 * Return: true if @page is an entry of mem_map.
 */
bool iosim_sg_page_valid(const struct page *page)
{
	uintptr_t first, off;

	if (!page || !iosim_ram_ready())
		return false;
	/* mem_map is one array over all RAM banks, starting with the lowest bank's first frame. */
	first = (uintptr_t)pfn_to_page((unsigned long)(iosim_ram_base_phys() >> PAGE_SHIFT));
	off = (uintptr_t)page - first;
	return (uintptr_t)page >= first && off % sizeof(struct page) == 0 &&
	       off / sizeof(struct page) < iosim_ram_nr_pages();
}

/* The data an entry describes must be simulated RAM. */
static void sg_check_entry_data(struct sg_check_state *cs, const struct scatterlist *sg,
				unsigned int index)
{
	const struct page *page = (const struct page *)(sg->page_link & ~SG_PAGE_LINK_MASK);
	phys_addr_t phys;

	if (!page)
		return;		/* not filled in yet: nothing to describe */
	if (!iosim_sg_page_valid(page)) {
		sg_check_report(cs, "entry %u: page %p is not a page of simulated RAM", index,
				(const void *)page);
		return;
	}
	phys = page_to_phys(page) + sg->offset;
	if (sg->length && !iosim_phys_is_ram(phys, sg->length))
		sg_check_report(cs, "entry %u: [%#llx, +%#x) runs outside simulated RAM",
				index, (unsigned long long)phys, sg->length);
}

/*
 * Follow the chain entry at @link (the slot after an entry), checking it.
 * Returns the entry it leads to, or NULL after reporting a broken link.
 */
static const struct scatterlist *sg_check_follow(struct sg_check_state *cs,
						 const struct scatterlist *link,
						 unsigned int index)
{
	const struct scatterlist *next = sg_chain_ptr(link);

	if (sg_is_last(link)) {
		sg_check_report(cs, "chain entry before entry %u also has the end bit", index);
		return NULL;
	}
	if (link->offset || link->length)
		sg_check_report(cs, "chain entry before entry %u carries offset %#x length %#x",
				index, link->offset, link->length);
	if (!next || ((uintptr_t)next & (_Alignof(struct scatterlist) - 1))) {
		sg_check_report(cs, "chain entry before entry %u links to %p", index,
				(const void *)next);
		return NULL;
	}
	if (sg_is_chain(next)) {
		sg_check_report(cs, "chain entry before entry %u links to another chain entry",
				index);
		return NULL;
	}
	return next;
}

static int sg_check_list(struct sg_check_state *cs, const struct scatterlist *sgl,
			 unsigned int nents)
{
	const struct scatterlist *sg = sgl;
	unsigned int i;

	if (!sgl || !nents) {
		if (sgl || nents)
			sg_check_report(cs, "list %p with %u entries", (const void *)sgl, nents);
		return cs->nr_problems ? -EUCLEAN : 0;
	}
	if ((uintptr_t)sgl & SG_PAGE_LINK_MASK) {
		sg_check_report(cs, "list %p is misaligned", (const void *)sgl);
		return -EUCLEAN;
	}
	if (sg_is_chain(sgl)) {
		sg_check_report(cs, "entry 0 is a chain entry");
		return -EUCLEAN;
	}

	for (i = 0; i < nents; i++) {
		if (i) {
			sg++;
			if (sg_is_chain(sg)) {
				sg = sg_check_follow(cs, sg, i);
				if (!sg)
					return -EUCLEAN;
			}
		}
		if (i < nents - 1 && sg_is_last(sg)) {
			/* The links beyond are not part of the list: stop. */
			sg_check_report(cs, "end marker on entry %u, expected on entry %u",
					i, nents - 1);
			return -EUCLEAN;
		}
		if (i == nents - 1 && !sg_is_last(sg))
			sg_check_report(cs, "last entry %u has no end marker", i);
		sg_check_entry_data(cs, sg, i);
	}
	return cs->nr_problems ? -EUCLEAN : 0;
}

/**
 * iosim_sg_check - check a scatterlist of exactly @nents entries
 * @sgl: first entry (NULL only together with @nents 0)
 * @nents: entries the list must have
 *
 * See <iosim/sg.h> for what is checked.
 *
 * Context: any; reads the list only.
 * Return: 0 if consistent; -EUCLEAN after WARNing each problem found.
 */
int iosim_sg_check(const struct scatterlist *sgl, unsigned int nents)
{
	struct sg_check_state cs = { .who = __func__ };

	return sg_check_list(&cs, sgl, nents);
}

/**
 * iosim_sg_table_check - check an sg table header and its list
 * @sgt: the table
 *
 * See <iosim/sg.h> for what is checked.
 *
 * Context: any; reads the table only.
 * Return: 0 if consistent; -EUCLEAN after WARNing each problem found.
 */
int iosim_sg_table_check(const struct sg_table *sgt)
{
	struct sg_check_state cs = { .who = __func__ };

	if (!sgt) {
		sg_check_report(&cs, "NULL table");
		return -EUCLEAN;
	}
	if (!sgt->sgl) {
		/* Empty or freed: the kernel leaves nents stale, so only orig_nents counts. */
		if (sgt->orig_nents)
			sg_check_report(&cs, "no list, but orig_nents %u", sgt->orig_nents);
		return cs.nr_problems ? -EUCLEAN : 0;
	}
	if (!sgt->orig_nents) {
		sg_check_report(&cs, "list %p, but orig_nents 0", (const void *)sgt->sgl);
		return -EUCLEAN;
	}
	if (sgt->nents > sgt->orig_nents)
		sg_check_report(&cs, "nents %u > orig_nents %u", sgt->nents, sgt->orig_nents);
	return sg_check_list(&cs, sgt->sgl, sgt->orig_nents);
}
