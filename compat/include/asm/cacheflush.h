/* PLACEHOLDER */
#ifndef _IOSIM_ASM_CACHEFLUSH_H
#define _IOSIM_ASM_CACHEFLUSH_H
#include <linux/types.h>
void __dma_map_area(const void *start, size_t size, int dir);
void __dma_unmap_area(const void *start, size_t size, int dir);
void __dma_flush_range(const void *start, const void *end);
#endif
