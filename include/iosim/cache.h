/* PLACEHOLDER until the cache model lands */
#ifndef _IOSIM_CACHE_H
#define _IOSIM_CACHE_H
#include <linux/types.h>
struct device;
struct iosim_cache_counters;
struct device *iosim_cache_context(struct device *dev);
void iosim_cache_get_counters(struct device *dev, struct iosim_cache_counters *out);
#endif
