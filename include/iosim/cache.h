/* PLACEHOLDER until the cache model lands */
#ifndef _IOSIM_CACHE_H
#define _IOSIM_CACHE_H
#include <linux/types.h>
struct device;
struct iosim_cache_counters;
int iosim_cache_set_line_size(unsigned int bytes);
unsigned int iosim_cache_line_size(void);
void iosim_cache_clean_range(phys_addr_t phys, size_t len);
void iosim_cache_inval_range(phys_addr_t phys, size_t len);
void iosim_cache_flush_range(phys_addr_t phys, size_t len);
bool iosim_cache_line_dirty(phys_addr_t phys);
int iosim_cache_read_memory(phys_addr_t phys, void *buf, size_t len);
int iosim_cache_write_memory(phys_addr_t phys, const void *buf, size_t len);
int iosim_cache_device_access(struct device *dev, phys_addr_t phys, void *buf, size_t len, bool is_write);
struct device *iosim_cache_context(struct device *dev);
void iosim_cache_set_eviction(u64 seed, unsigned int per_million);
void iosim_cache_writeback_all(void);
void iosim_cache_get_counters(struct device *dev, struct iosim_cache_counters *out);
void iosim_cache_reset_counters(struct device *dev);
int iosim_cache_check(void);
#endif
