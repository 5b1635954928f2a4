/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * asm/pgtable.h - customised (arm64): only the CPU-side memory types are
 * modelled.  A pgprot_t carries the arm64 MAIR index; the cache model uses it
 * to tell cacheable CPU mappings from non-cacheable ones.
 */
#ifndef _IOSIM_ASM_PGTABLE_H
#define _IOSIM_ASM_PGTABLE_H

#include <linux/mm_types.h>

#define MT_DEVICE_nGnRnE	0
#define MT_DEVICE_nGnRE		1
#define MT_DEVICE_GRE		2
#define MT_NORMAL_NC		3
#define MT_NORMAL		4

#define PTE_ATTRINDX(t)		((pteval_t)(t) << 2)
#define PTE_ATTRINDX_MASK	((pteval_t)7 << 2)
#define PTE_RDONLY		((pteval_t)1 << 7)
#define PTE_PXN			((pteval_t)1 << 53)
#define PTE_UXN			((pteval_t)1 << 54)

#define PROT_NORMAL		PTE_ATTRINDX(MT_NORMAL)
#define PROT_NORMAL_NC		PTE_ATTRINDX(MT_NORMAL_NC)
#define PROT_DEVICE_nGnRE	PTE_ATTRINDX(MT_DEVICE_nGnRE)

#define PAGE_KERNEL		__pgprot(PROT_NORMAL)
#define PAGE_KERNEL_RO		__pgprot(PROT_NORMAL | PTE_RDONLY)
#define PAGE_KERNEL_EXEC	__pgprot(PROT_NORMAL)
#define PAGE_SHARED		__pgprot(PROT_NORMAL)

#define __pgprot_modify(prot, mask, bits) \
	__pgprot((pgprot_val(prot) & ~(mask)) | (bits))

#define pgprot_noncached(prot) \
	__pgprot_modify(prot, PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_DEVICE_nGnRnE) | PTE_PXN | PTE_UXN)
#define pgprot_writecombine(prot) \
	__pgprot_modify(prot, PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_NORMAL_NC) | PTE_PXN | PTE_UXN)
#define pgprot_dmacoherent(prot) \
	__pgprot_modify(prot, PTE_ATTRINDX_MASK, PTE_ATTRINDX(MT_NORMAL_NC) | PTE_PXN | PTE_UXN)

#endif /* _IOSIM_ASM_PGTABLE_H */
