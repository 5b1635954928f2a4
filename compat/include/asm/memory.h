/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * asm/memory.h - customised for simulation: the linear map of simulated RAM.
 * PHYS_OFFSET is where simulated RAM starts (iosim_ram_init()): the lowest
 * bank's base; it can sit above 4 GiB.  RAM may be several banks with holes
 * between them (docs/ram-banks.md).  Every conversion checks its argument:
 * outside simulated RAM (a hole included) it WARNs and returns NULL (or 0
 * for physical addresses); pfn_valid() and virt_addr_valid() never WARN.
 */
#ifndef _IOSIM_ASM_MEMORY_H
#define _IOSIM_ASM_MEMORY_H

#include <linux/types.h>

struct page;

phys_addr_t iosim_phys_offset(void);
#define PHYS_OFFSET	iosim_phys_offset()

phys_addr_t virt_to_phys(const volatile void *x);
void *phys_to_virt(phys_addr_t x);
#define __pa(x)		virt_to_phys((void *)(x))
#define __va(x)		phys_to_virt((phys_addr_t)(x))

struct page *pfn_to_page(unsigned long pfn);
unsigned long page_to_pfn(const struct page *page);
int pfn_valid(unsigned long pfn);
struct page *virt_to_page(const void *x);
phys_addr_t page_to_phys(const struct page *page);
struct page *phys_to_page(phys_addr_t phys);
bool virt_addr_valid(const void *x);

#define virt_to_pfn(x)	(virt_to_phys(x) >> PAGE_SHIFT)

#endif /* _IOSIM_ASM_MEMORY_H */
