// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
#include "fiommu_test.h"

#include <linux/mm.h>
#include <linux/string.h>

#include <iosim/device.h>
#include <iosim/live.h>
#include <iosim/ram.h>
#include <iosim/slab.h>

const struct fiommu_mode fiommu_modes[FIOMMU_NR_MODES] = {
	{ "4K", SZ_4K, { SZ_4K, SZ_2M, SZ_1G }, 3 },
	{ "16K", SZ_16K, { SZ_16K, SZ_32M }, 2 },
	{ "64K", SZ_64K, { SZ_64K, SZ_512M }, 2 },
	{ "small 2K", IOSIM_IOMMU_SMALL_PAGE, { SZ_2K, SZ_512K, SZ_128M }, 3 },
};

u64 fiommu_rand(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u64 fiommu_rand_below(u64 *state, u64 bound)
{
	return bound ? fiommu_rand(state) % bound : 0;
}

bool fiommu_any_output(phys_addr_t phys, u64 len, void *data)
{
	return true;
}

static u64 fnv_mix(u64 hash, u64 value)
{
	hash = (hash ^ value) * 0x100000001b3ULL;
	return hash ^ (hash >> 29);
}

static u64 fingerprint_table(const struct iosim_pgtable *pgt, phys_addr_t table_phys, int lvl,
			     u64 hash)
{
	const struct iosim_pgtable_cfg *cfg = pgt->cfg;
	unsigned long nr = 1UL << iosim_pgt_lvl_bits(cfg, lvl), i;
	const u64 *table = iosim_pgtable_table_virt(table_phys);

	hash = fnv_mix(hash, table_phys);
	hash = fnv_mix(hash, iosim_pgtable_table_count(table_phys));
	for (i = 0; i < nr; i++) {
		const unsigned char *next;

		/* Zero descriptors are skipped; the others are mixed with their index. */
		if (!table[i]) {
			next = memchr_inv(&table[i], 0, (nr - i) * sizeof(*table));
			if (!next)
				break;
			i = (unsigned long)(next - (const unsigned char *)table) / sizeof(*table);
		}
		hash = fnv_mix(fnv_mix(hash, i), table[i]);
		if (iosim_pte_valid(table[i]) && iosim_pte_is_table(cfg, table[i], lvl))
			hash = fingerprint_table(pgt, iosim_pte_addr(cfg, table[i]), lvl + 1, hash);
	}
	return hash;
}

u64 fiommu_pgtable_fingerprint(const struct iosim_pgtable *pgt)
{
	u64 hash = 0xcbf29ce484222325ULL;

	if (!pgt->pgd)
		return hash;
	return fingerprint_table(pgt, pgt->pgd_phys, pgt->cfg->start_level, hash);
}

void fiommu_pgt_snapshot(const struct iosim_pgtable *pgt, struct fiommu_pgt_snapshot *snap)
{
	memset(snap, 0, sizeof(*snap));
	snap->fingerprint = fiommu_pgtable_fingerprint(pgt);
	snap->nr_tables = pgt->nr_tables;
	memcpy(snap->nr_leaves, pgt->nr_leaves, sizeof(snap->nr_leaves));
	snap->nr_splits = pgt->nr_splits;
	snap->nr_spares = pgt->nr_spares;
	snap->free_pages = iosim_ram_free_pages();
}

void fiommu_assert_pgt_unchanged(const struct iosim_pgtable *pgt,
				 const struct fiommu_pgt_snapshot *snap, const char *file, int line)
{
	struct fiommu_pgt_snapshot now;

	fiommu_pgt_snapshot(pgt, &now);
	if (memcmp(&now, snap, sizeof(now))) {
		print_error("page table changed: fingerprint %llx -> %llx, tables %lu -> %lu, "
			    "splits %lu -> %lu, spares %u -> %u, free pages %lu -> %lu\n",
			    (unsigned long long)snap->fingerprint,
			    (unsigned long long)now.fingerprint, snap->nr_tables, now.nr_tables,
			    snap->nr_splits, now.nr_splits, snap->nr_spares, now.nr_spares,
			    snap->free_pages, now.free_pages);
		_fail(file, line);
	}
}

unsigned long fiommu_leaves_of_size(const struct iosim_pgtable *pgt, unsigned long size)
{
	int lvl;

	for (lvl = pgt->cfg->start_level; lvl <= IOSIM_PGT_LEAF_LEVEL; lvl++)
		if (iosim_pgt_lvl_size(pgt->cfg, lvl) == size)
			return pgt->nr_leaves[IOSIM_PGT_LVL_IDX(lvl)];
	return 0;
}

struct bus_type fiommu_bus = {
	.name = "fiommu-test",
};

void fiommu_bus_register(void)
{
	assert_int_equal(bus_register(&fiommu_bus), 0);
}

void fiommu_bus_unregister(void)
{
	bus_unregister(&fiommu_bus);
	/* bus_register() initialises every iosim_ field again. */
	fiommu_bus.iommu_ops = NULL;
}

struct device *fiommu_device(const char *name, struct bus_type *bus, bool no_add)
{
	struct iosim_device_config cfg = {
		.name = name,
		.bus = bus ? bus : &fiommu_bus,
		.dma_mask = DMA_BIT_MASK(64),
		.coherent = true,
		.no_add = no_add,
	};
	struct device *dev = iosim_device_create(&cfg);

	assert_non_null(dev);
	return dev;
}

struct iosim_iommu *fiommu_create(unsigned long granule, struct bus_type *bus)
{
	struct iosim_iommu_config cfg = {
		.granule = granule,
		.bus = bus,
	};
	struct iosim_iommu *iommu = iosim_iommu_create(&cfg);

	assert_false(IS_ERR(iommu));
	return iommu;
}

struct iommu_domain *fiommu_domain_alloc(struct iosim_iommu *iommu, unsigned int type)
{
	const struct iommu_ops *ops = iosim_iommu_ops(iommu);
	struct iommu_domain *domain = ops->domain_alloc(type);

	/* What the core (or the seed's arm64 code) does after domain_alloc. */
	if (domain) {
		domain->ops = ops;
		domain->type = type;
	}
	return domain;
}

int fiommu_fault_handler(struct iommu_domain *domain, struct device *dev, unsigned long iova,
			 int flags, void *token)
{
	struct fiommu_fault_seen *seen = token;

	seen->nr++;
	seen->domain = domain;
	seen->dev = dev;
	seen->iova = iova;
	seen->flags = flags;
	return seen->ret;
}

long fiommu_live_pages(void)
{
	/* kmalloc() objects live in slab pages of simulated RAM too. */
	return iosim_live(IOSIM_OBJ_PAGE) - (long)iosim_slab_nr_pages();
}

unsigned int fiommu_cookie_gets, fiommu_cookie_puts;
bool fiommu_cookie_fail;

int fiommu_cookie_get(struct iommu_domain *dom)
{
	if (fiommu_cookie_fail)
		return -ENOMEM;
	dom->dma_api_cookie = kzalloc(32, GFP_KERNEL);
	if (!dom->dma_api_cookie)
		return -ENOMEM;
	fiommu_cookie_gets++;
	return 0;
}

void fiommu_cookie_put(struct iommu_domain *dom)
{
	kfree(dom->dma_api_cookie);
	dom->dma_api_cookie = NULL;
	fiommu_cookie_puts++;
}
