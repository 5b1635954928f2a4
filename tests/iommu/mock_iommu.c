// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The recording mock IOMMU driver (see mock_iommu.h).
 */
#include "mock_iommu.h"

#include <stdio.h>
#include <string.h>

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/slab.h>

#include <iosim/device.h>
#include <iosim/fault.h>
#include <iosim/iommu_core.h>
#include <iosim/live.h>
#include <iosim/log.h>
#include <linux/platform_device.h>
#include <iosim/ram.h>

struct mock_state mock;
struct bus_type mock_bus = { .name = "mockbus" };

static void mock_violation(const char *fmt, ...) __printf(1, 2);

static void mock_violation(const char *fmt, ...)
{
	va_list ap;

	mock.violations++;
	fprintf(stderr, "mock IOMMU: violation: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void mock_record(enum mock_op op, struct iommu_domain *domain, struct device *dev,
			unsigned long iova, phys_addr_t paddr, size_t size, int prot, long ret)
{
	mock.nr_op_calls[op]++;
	if (mock.nr_calls >= MOCK_MAX_CALLS)
		return;
	mock.calls[mock.nr_calls++] = (struct mock_call) {
		.op = op, .domain = domain, .dev = dev, .iova = iova, .paddr = paddr,
		.size = size, .prot = prot, .ret = ret,
	};
}

unsigned long mock_calls(enum mock_op op)
{
	return mock.nr_op_calls[op];
}

void mock_clear_calls(void)
{
	mock.nr_calls = 0;
	memset(mock.nr_op_calls, 0, sizeof(mock.nr_op_calls));
}

const struct mock_call *mock_nth_call(enum mock_op op, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < mock.nr_calls; i++) {
		if (mock.calls[i].op != op)
			continue;
		if (n-- == 0)
			return &mock.calls[i];
	}
	return NULL;
}

/* A request must be one supported page size with both addresses aligned to it. */
static bool mock_request_ok(const char *what, unsigned long iova, phys_addr_t paddr, size_t size)
{
	if (!size || (size & (size - 1)) || !(size & mock.ops.pgsize_bitmap)) {
		mock_violation("%s: size 0x%zx is not a supported page size (bitmap 0x%lx)", what,
			       size, mock.ops.pgsize_bitmap);
		return false;
	}
	if ((iova | paddr) & (size - 1)) {
		mock_violation("%s: iova 0x%lx / paddr 0x%llx not aligned to 0x%zx", what, iova,
			       (unsigned long long)paddr, size);
		return false;
	}
	return true;
}

/* Inclusive last addresses: a mapping may end at the top of the space. */
static bool mock_overlaps(const struct mock_entry *e, unsigned long iova, size_t size)
{
	return e->iova <= iova + (size - 1) && iova <= e->iova + (e->size - 1);
}

static unsigned long mock_random(void)
{
	/* xorshift64: deterministic per test */
	mock.rng ^= mock.rng << 13;
	mock.rng ^= mock.rng >> 7;
	mock.rng ^= mock.rng << 17;
	return mock.rng;
}

int mock_map(struct iommu_domain *domain, unsigned long iova, phys_addr_t paddr, size_t size,
	     int prot)
{
	struct mock_domain *md = to_mock(domain);
	unsigned long nth = mock.nr_op_calls[MOCK_MAP] + 1;
	unsigned int i;
	int ret = 0;

	if (!mock_request_ok("map", iova, paddr, size))
		ret = -EINVAL;
	else if (!(prot & (IOMMU_READ | IOMMU_WRITE)))
		mock_violation("map: iova 0x%lx with no access (prot 0x%x) reached the driver",
			       iova, prot);

	if (!ret && mock.map_fail_at == nth)
		ret = mock.map_fail_errno ? mock.map_fail_errno : -ENOMEM;
	if (!ret && mock.map_fail_per_million &&
	    mock_random() % 1000000 < mock.map_fail_per_million)
		ret = -ENOMEM;
	if (ret == -ENOMEM)
		mock.map_failures_injected++;

	for (i = 0; !ret && i < md->nr_entries; i++)
		if (mock_overlaps(&md->entries[i], iova, size))
			ret = -EEXIST;	/* as io-pgtable-arm: never replace a live entry */

	if (!ret) {
		if (md->nr_entries == MOCK_MAX_ENTRIES) {
			mock_violation("map: model full");
			ret = -ENOMEM;
		} else {
			md->entries[md->nr_entries++] = (struct mock_entry) {
				.iova = iova, .paddr = paddr, .size = size, .prot = prot,
			};
		}
	}
	mock_record(MOCK_MAP, domain, NULL, iova, paddr, size, prot, ret);
	return ret;
}

static void mock_remove_entry(struct mock_domain *md, unsigned int i)
{
	md->entries[i] = md->entries[--md->nr_entries];
}

static void mock_add_piece(struct mock_domain *md, unsigned long iova, phys_addr_t paddr,
			   size_t size, int prot)
{
	if (!size)
		return;
	if (md->nr_entries == MOCK_MAX_ENTRIES) {
		mock_violation("unmap: model full while splitting");
		return;
	}
	md->entries[md->nr_entries++] = (struct mock_entry) {
		.iova = iova, .paddr = paddr, .size = size, .prot = prot,
	};
}

/*
 * As io-pgtable-arm: unmapping a page-sized slot clears whatever maps into
 * it (splitting a larger block, freeing a table of smaller pages) and
 * reports the slot's size; an empty slot reports 0.
 */
size_t mock_unmap(struct iommu_domain *domain, unsigned long iova, size_t size)
{
	struct mock_domain *md = to_mock(domain);
	size_t ret = 0;
	unsigned int i;

	if (!mock_request_ok("unmap", iova, 0, size))
		goto out;

	if (mock.unmap_whole_entry) {
		for (i = 0; i < md->nr_entries; i++) {
			struct mock_entry *e = &md->entries[i];

			if (e->iova == iova && e->size >= size) {
				ret = e->size;
				mock_remove_entry(md, i);
				goto out;
			}
		}
	}

	i = 0;
	while (i < md->nr_entries) {
		struct mock_entry e = md->entries[i];
		unsigned long last = iova + (size - 1), e_last = e.iova + (e.size - 1);

		if (!mock_overlaps(&e, iova, size)) {
			i++;
			continue;
		}
		ret = size;
		mock_remove_entry(md, i);
		if (e.iova < iova)
			mock_add_piece(md, e.iova, e.paddr, iova - e.iova, e.prot);
		if (e_last > last)
			mock_add_piece(md, last + 1, e.paddr + (last + 1 - e.iova), e_last - last,
				       e.prot);
	}
out:
	mock_record(MOCK_UNMAP, domain, NULL, iova, 0, size, 0, (long)ret);
	return ret;
}

size_t mock_map_sg(struct iommu_domain *domain, unsigned long iova, struct scatterlist *sg,
		   unsigned int nents, int prot)
{
	size_t ret = default_iommu_map_sg(domain, iova, sg, nents, prot);

	mock_record(MOCK_MAP_SG, domain, NULL, iova, 0, nents, prot, (long)ret);
	return ret;
}

bool mock_lookup(struct iommu_domain *domain, unsigned long iova, phys_addr_t *paddr, int *prot)
{
	struct mock_domain *md = to_mock(domain);
	unsigned int i;

	for (i = 0; i < md->nr_entries; i++) {
		struct mock_entry *e = &md->entries[i];

		if (iova >= e->iova && iova - e->iova < e->size) {
			if (paddr)
				*paddr = e->paddr + (iova - e->iova);
			if (prot)
				*prot = e->prot;
			return true;
		}
	}
	return false;
}

static phys_addr_t mock_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	phys_addr_t paddr;

	return mock_lookup(domain, (unsigned long)iova, &paddr, NULL) ? paddr : 0;
}

size_t mock_mapped_bytes(struct iommu_domain *domain)
{
	struct mock_domain *md = to_mock(domain);
	size_t total = 0;
	unsigned int i;

	for (i = 0; i < md->nr_entries; i++)
		total += md->entries[i].size;
	return total;
}

void mock_check_domain(struct iommu_domain *domain)
{
	struct mock_domain *md = to_mock(domain);
	unsigned int i, j;

	for (i = 0; i < md->nr_entries; i++) {
		const struct mock_entry *e = &md->entries[i];

		for (j = i + 1; j < md->nr_entries; j++) {
			if (mock_overlaps(&md->entries[j], e->iova, e->size))
				fail_msg("mock model: entries at 0x%lx and 0x%lx overlap",
					 e->iova, md->entries[j].iova);
		}
	}
}

static int mock_find_attached(struct device *dev)
{
	int i;

	for (i = 0; i < MOCK_MAX_ATTACHED; i++)
		if (mock.attached[i].dev == dev)
			return i;
	return -1;
}

struct iommu_domain *mock_attached_to(struct device *dev)
{
	int i = mock_find_attached(dev);

	return i < 0 ? NULL : mock.attached[i].domain;
}

/* Attaching moves a device: the previous attachment, if any, ends. */
static int mock_attach_dev(struct iommu_domain *domain, struct device *dev)
{
	int i, ret = 0;

	if (mock.attach_errno && (!mock.attach_fail_dev || mock.attach_fail_dev == dev))
		ret = mock.attach_errno;

	if (!ret) {
		i = mock_find_attached(dev);
		if (i < 0)
			i = mock_find_attached(NULL);
		if (i < 0) {
			mock_violation("attach: table full");
			ret = -ENOSPC;
		} else {
			mock.attached[i].dev = dev;
			mock.attached[i].domain = domain;
		}
	}
	mock_record(MOCK_ATTACH, domain, dev, 0, 0, 0, 0, ret);
	return ret;
}

static void mock_detach_dev(struct iommu_domain *domain, struct device *dev)
{
	int i = mock_find_attached(dev);

	if (i < 0 || mock.attached[i].domain != domain)
		mock_violation("detach: %s is not attached to that domain", dev_name(dev));
	else
		mock.attached[i].dev = NULL;
	mock_record(MOCK_DETACH, domain, dev, 0, 0, 0, 0, 0);
}

static struct iommu_domain *mock_domain_alloc(unsigned int type)
{
	struct mock_domain *md = NULL;

	if (type == IOMMU_DOMAIN_DMA && mock.no_dma_domains)
		goto out;
	if (type == IOMMU_DOMAIN_IDENTITY && mock.no_identity_domains)
		goto out;
	if (type != IOMMU_DOMAIN_UNMANAGED && type != IOMMU_DOMAIN_DMA &&
	    type != IOMMU_DOMAIN_IDENTITY)
		goto out;
	if (iosim_fault_should_fail(IOSIM_FAULT_DOMAIN_ALLOC))
		goto out;

	md = kzalloc(sizeof(*md), GFP_KERNEL);
	if (!md)
		goto out;
	md->alloc_type = type;
	md->domain.geometry.aperture_start = 0;
	md->domain.geometry.aperture_end = (1ULL << 48) - 1;
	md->domain.geometry.force_aperture = true;
	iosim_live_add(IOSIM_OBJ_DOMAIN, 1);
out:
	mock_record(MOCK_DOMAIN_ALLOC, md ? &md->domain : NULL, NULL, 0, 0, 0, (int)type, 0);
	return md ? &md->domain : NULL;
}

static void mock_domain_free(struct iommu_domain *domain)
{
	int i;

	for (i = 0; i < MOCK_MAX_ATTACHED; i++) {
		if (mock.attached[i].dev && mock.attached[i].domain == domain) {
			mock_violation("domain_free: %s is still attached",
				       dev_name(mock.attached[i].dev));
			mock.attached[i].dev = NULL;
		}
	}
	mock_record(MOCK_DOMAIN_FREE, domain, NULL, 0, 0, 0, 0, 0);
	kfree(to_mock(domain));
	iosim_live_add(IOSIM_OBJ_DOMAIN, -1);
}

struct iommu_domain *mock_domain_new(unsigned int type)
{
	struct iommu_domain *domain = mock_domain_alloc(type);

	if (domain) {
		domain->ops = &mock.ops;
		domain->type = type;
	}
	return domain;
}

int mock_add_device(struct device *dev)
{
	struct iommu_group *group;
	int ret = 0;

	if (mock.add_device_errno && (!mock.add_device_fail_dev || mock.add_device_fail_dev == dev))
		ret = mock.add_device_errno;
	if (!ret) {
		group = iommu_group_get_for_dev(dev);
		if (IS_ERR(group))
			ret = (int)PTR_ERR(group);
		else
			iommu_group_put(group);
	}
	mock_record(MOCK_ADD_DEVICE, NULL, dev, 0, 0, 0, 0, ret);
	return ret;
}

void mock_remove_device(struct device *dev)
{
	int i = mock_find_attached(dev);

	/* A driver forgets its per-device state when the device goes. */
	if (i >= 0)
		mock.attached[i].dev = NULL;
	mock_record(MOCK_REMOVE_DEVICE, NULL, dev, 0, 0, 0, 0, 0);
	iommu_group_remove_device(dev);
}

static bool mock_capable(enum iommu_cap cap)
{
	return cap == IOMMU_CAP_CACHE_COHERENCY;
}

static int mock_get_attr(struct iommu_domain *domain, enum iommu_attr attr, void *data)
{
	int ret = -ENODEV;

	if (attr == DOMAIN_ATTR_NESTING) {
		*(int *)data = to_mock(domain)->nesting;
		ret = 0;
	}
	mock_record(MOCK_GET_ATTR, domain, NULL, 0, 0, 0, (int)attr, ret);
	return ret;
}

static int mock_set_attr(struct iommu_domain *domain, enum iommu_attr attr, void *data)
{
	int ret = -ENODEV;

	if (attr == DOMAIN_ATTR_NESTING) {
		to_mock(domain)->nesting = *(int *)data;
		ret = 0;
	}
	mock_record(MOCK_SET_ATTR, domain, NULL, 0, 0, 0, (int)attr, ret);
	return ret;
}

static void mock_get_dm_regions(struct device *dev, struct list_head *list)
{
	unsigned int i;

	for (i = 0; i < mock.nr_regions; i++) {
		struct iommu_dm_region *region = kzalloc(sizeof(*region), GFP_KERNEL);

		if (!region)
			break;
		region->start = mock.regions[i].start;
		region->length = mock.regions[i].length;
		region->prot = mock.regions[i].prot;
		list_add_tail(&region->list, list);
	}
}

static void mock_put_dm_regions(struct device *dev, struct list_head *list)
{
	struct iommu_dm_region *region, *next;

	list_for_each_entry_safe(region, next, list, list)
		kfree(region);
}

void mock_reset(unsigned long pgsize_bitmap)
{
	memset(&mock, 0, sizeof(mock));
	mock.rng = 0x9e3779b97f4a7c15UL;
	mock.ops = (struct iommu_ops) {
		.capable = mock_capable,
		.domain_alloc = mock_domain_alloc,
		.domain_free = mock_domain_free,
		.attach_dev = mock_attach_dev,
		.detach_dev = mock_detach_dev,
		.map = mock_map,
		.unmap = mock_unmap,
		.map_sg = NULL,		/* the core's default; tests may set mock_map_sg */
		.iova_to_phys = mock_iova_to_phys,
		.add_device = mock_add_device,
		.remove_device = mock_remove_device,
		.domain_get_attr = mock_get_attr,
		.domain_set_attr = mock_set_attr,
		.get_dm_regions = mock_get_dm_regions,
		.put_dm_regions = mock_put_dm_regions,
		.pgsize_bitmap = pgsize_bitmap,
	};
}

void mock_bus_init(void)
{
	if (!mock_bus.iosim_registered)
		bus_register(&mock_bus);
}

struct device *mock_device(const char *name, struct bus_type *bus, bool no_add)
{
	struct iosim_device_config cfg = {
		.name = name,
		.bus = bus ? bus : &mock_bus,
		.no_add = no_add,
	};

	return iosim_device_create(&cfg);
}

int mock_setup(void **state)
{
	iosim_test_setup(state);
	iosim_log_set_console_level(2);	/* errors are expected; tests read the log */
	mock_reset(MOCK_BITMAP_4K_2M_1G);
	mock_bus_init();
	return 0;
}

int mock_teardown(void **state)
{
	unsigned int violations = mock.violations;

	iosim_fault_reset();
	if (mock_bus.iommu_ops)
		iosim_bus_clear_iommu(&mock_bus);
	if (platform_bus_type.iommu_ops == &mock.ops)
		iosim_bus_clear_iommu(&platform_bus_type);
	assert_int_equal(iosim_iommu_nr_groups(), 0);
	if (violations)
		fail_msg("the mock IOMMU driver saw %u violation(s)", violations);
	return iosim_test_teardown(state);
}

int mock_setup_ram(void **state)
{
	mock_setup(state);
	assert_int_equal(iosim_ram_init(NULL), 0);
	return 0;
}

int mock_teardown_ram(void **state)
{
	int check = iosim_ram_check();
	unsigned long leaked = iosim_ram_exit();

	mock_teardown(state);
	assert_int_equal(check, 0);
	assert_int_equal(leaked, 0);
	return 0;
}
