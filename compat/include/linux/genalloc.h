/* PLACEHOLDER */
#ifndef _IOSIM_LINUX_GENALLOC_H
#define _IOSIM_LINUX_GENALLOC_H
#include <linux/types.h>
struct gen_pool;
struct gen_pool *gen_pool_create(int min_alloc_order, int nid);
int gen_pool_add_virt(struct gen_pool *pool, unsigned long virt, phys_addr_t phys, size_t size, int nid);
unsigned long gen_pool_alloc(struct gen_pool *pool, size_t size);
void gen_pool_free(struct gen_pool *pool, unsigned long addr, size_t size);
phys_addr_t gen_pool_virt_to_phys(struct gen_pool *pool, unsigned long addr);
bool addr_in_gen_pool(struct gen_pool *pool, unsigned long start, size_t size);
size_t gen_pool_avail(struct gen_pool *pool);
size_t gen_pool_size(struct gen_pool *pool);
void gen_pool_destroy(struct gen_pool *pool);
#endif
