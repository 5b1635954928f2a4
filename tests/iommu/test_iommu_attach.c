// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Domains and attachment: iommu_domain_alloc/free, iommu_attach_device,
 * iommu_detach_device, iommu_attach_group/detach_group with default domains,
 * legacy devices, domain attributes, direct-mapped regions and
 * iommu_request_dm_for_dev().
 */
#include "mock_iommu.h"

#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include <iosim/device.h>
#include <iosim/fault.h>
#include <iosim/iommu_core.h>
#include <iosim/live.h>
#include <iosim/log.h>

#define RW	(IOMMU_READ | IOMMU_WRITE)

static void bind_mock(void)
{
	assert_int_equal(bus_set_iommu(&mock_bus, &mock.ops), 0);
}

/* A device added to mock_bus: the driver's add_device puts it in a group. */
static struct device *added_device(const char *name)
{
	struct device *dev = mock_device(name, NULL, false);

	assert_non_null(dev);
	return dev;
}

static struct iommu_domain *unmanaged(void)
{
	struct iommu_domain *dom = iommu_domain_alloc(&mock_bus);

	assert_non_null(dom);
	return dom;
}

static struct iommu_group *shared_group;

static struct iommu_group *share_one_group(struct device *dev)
{
	if (!shared_group)
		return shared_group = iommu_group_alloc();
	return iommu_group_get_by_id(iommu_group_id(shared_group));
}

static void test_domain_alloc_from_bus_is_unmanaged(void **state)
{
	struct iommu_domain *dom;

	bind_mock();
	dom = unmanaged();
	assert_int_equal(dom->type, IOMMU_DOMAIN_UNMANAGED);
	assert_ptr_equal(dom->ops, &mock.ops);
	assert_int_equal(to_mock(dom)->alloc_type, IOMMU_DOMAIN_UNMANAGED);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 1);
	iommu_domain_free(dom);
	assert_int_equal(mock_calls(MOCK_DOMAIN_FREE), 1);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
}

static void test_domain_alloc_fails_without_iommu_or_memory(void **state)
{
	assert_null(iommu_domain_alloc(NULL));
	assert_null(iommu_domain_alloc(&mock_bus));	/* no ops yet */

	bind_mock();
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_DOMAIN_ALLOC), 1);
	assert_null(iommu_domain_alloc(&mock_bus));
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB), 1);
	assert_null(iommu_domain_alloc(&mock_bus));
	iosim_fault_reset();

	mock.ops.domain_alloc = NULL;
	assert_null(iommu_domain_alloc(&mock_bus));
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
}

static void test_domain_free_refuses_domains_still_in_use(void **state)
{
	struct device *dev;
	struct iommu_domain *def, *dom;

	bind_mock();
	dev = added_device("dev0");
	def = iommu_get_domain_for_dev(dev);
	assert_non_null(def);

	iommu_domain_free(NULL);
	assert_warned("NULL domain");

	/* The group owns its default domain. */
	iommu_domain_free(def);
	assert_warned("default domain of group");
	assert_ptr_equal(iommu_get_domain_for_dev(dev), def);

	dom = unmanaged();
	assert_int_equal(iommu_attach_device(dom, dev), 0);
	iommu_domain_free(dom);
	assert_warned("still attached to group");
	assert_int_equal(mock_calls(MOCK_DOMAIN_FREE), 0);
	assert_ptr_equal(iommu_get_domain_for_dev(dev), dom);

	iommu_detach_device(dom, dev);
	iommu_domain_free(dom);
	assert_int_equal(mock_calls(MOCK_DOMAIN_FREE), 1);
	assert_int_equal(iosim_iommu_check(), 0);
	iosim_device_destroy(dev);
}

static void test_attach_replaces_default_domain_and_detach_restores_it(void **state)
{
	struct iommu_domain *def, *dom;
	struct device *dev;

	bind_mock();
	dev = added_device("dev0");
	def = iommu_get_domain_for_dev(dev);
	assert_non_null(def);
	assert_int_equal(def->type, IOMMU_DOMAIN_DMA);
	assert_ptr_equal(mock_attached_to(dev), def);

	dom = unmanaged();
	mock_clear_calls();
	assert_int_equal(iommu_attach_device(dom, dev), 0);
	assert_ptr_equal(iommu_get_domain_for_dev(dev), dom);
	assert_ptr_equal(mock_attached_to(dev), dom);
	assert_int_equal(mock_calls(MOCK_ATTACH), 1);

	/* Detaching re-attaches the default domain (no detach_dev call). */
	iommu_detach_device(dom, dev);
	assert_ptr_equal(iommu_get_domain_for_dev(dev), def);
	assert_ptr_equal(mock_attached_to(dev), def);
	assert_int_equal(mock_calls(MOCK_ATTACH), 2);
	assert_int_equal(mock_calls(MOCK_DETACH), 0);
	assert_int_equal(iosim_iommu_check(), 0);

	iommu_domain_free(dom);
	iosim_device_destroy(dev);
}

static void test_attach_twice_is_ebusy_and_changes_nothing(void **state)
{
	struct iommu_domain *dom, *other;
	struct device *dev;

	bind_mock();
	dev = added_device("dev0");
	dom = unmanaged();
	other = unmanaged();
	assert_int_equal(iommu_attach_device(dom, dev), 0);
	mock_clear_calls();

	assert_int_equal(iommu_attach_device(dom, dev), -EBUSY);
	assert_int_equal(iommu_attach_device(other, dev), -EBUSY);
	assert_int_equal(iommu_attach_group(other, dev->iommu_group), -EBUSY);
	assert_int_equal(mock_calls(MOCK_ATTACH), 0);
	assert_ptr_equal(iommu_get_domain_for_dev(dev), dom);
	assert_ptr_equal(mock_attached_to(dev), dom);

	iommu_detach_device(dom, dev);
	/* Once detached, another domain may come. */
	assert_int_equal(iommu_attach_device(other, dev), 0);
	iommu_detach_device(other, dev);
	iommu_domain_free(dom);
	iommu_domain_free(other);
	iosim_device_destroy(dev);
}

static void test_attach_of_current_default_domain_is_a_noop(void **state)
{
	struct iommu_domain *def;
	struct device *dev;

	bind_mock();
	dev = added_device("dev0");
	def = iommu_get_domain_for_dev(dev);
	mock_clear_calls();
	/* The seed's arm64 setup attaches whatever domain the device is in. */
	assert_int_equal(iommu_attach_device(def, dev), 0);
	assert_int_equal(mock_calls(MOCK_ATTACH), 0);
	/* ... and its teardown detaches it again: nothing to go back to. */
	iommu_detach_device(def, dev);
	assert_int_equal(mock_calls(MOCK_ATTACH) + mock_calls(MOCK_DETACH), 0);
	assert_ptr_equal(iommu_get_domain_for_dev(dev), def);
	iosim_device_destroy(dev);
}

static void test_detach_of_domain_not_attached_warns(void **state)
{
	struct iommu_domain *dom, *def;
	struct device *dev;

	bind_mock();
	dev = added_device("dev0");
	def = iommu_get_domain_for_dev(dev);
	dom = unmanaged();
	iommu_detach_device(dom, dev);
	assert_warned("not attached to that domain");
	assert_ptr_equal(iommu_get_domain_for_dev(dev), def);
	assert_ptr_equal(mock_attached_to(dev), def);
	iommu_domain_free(dom);
	iosim_device_destroy(dev);
}

static void test_attach_and_detach_without_default_domain(void **state)
{
	struct iommu_domain *dom;
	struct device *dev;

	mock.no_dma_domains = true;
	bind_mock();
	dev = added_device("dev0");
	assert_non_null(dev->iommu_group);
	assert_null(iommu_get_domain_for_dev(dev));

	dom = unmanaged();
	assert_int_equal(iommu_attach_device(dom, dev), 0);
	assert_ptr_equal(iommu_get_domain_for_dev(dev), dom);
	assert_int_equal(iommu_attach_device(dom, dev), -EBUSY);

	iommu_detach_device(dom, dev);
	assert_int_equal(mock_calls(MOCK_DETACH), 1);
	assert_null(iommu_get_domain_for_dev(dev));
	assert_null(mock_attached_to(dev));
	iommu_domain_free(dom);
	iosim_device_destroy(dev);
}

static void test_attach_failure_leaves_group_where_it_was(void **state)
{
	struct iommu_domain *dom, *def;
	struct device *dev;

	bind_mock();
	dev = added_device("dev0");
	def = iommu_get_domain_for_dev(dev);
	dom = unmanaged();
	mock.attach_errno = -EIO;
	assert_int_equal(iommu_attach_device(dom, dev), -EIO);
	assert_ptr_equal(iommu_get_domain_for_dev(dev), def);
	assert_ptr_equal(mock_attached_to(dev), def);

	/* A driver that cannot attach at all. */
	mock.attach_errno = 0;
	mock.ops.attach_dev = NULL;
	assert_int_equal(iommu_attach_device(dom, dev), -ENODEV);
	assert_ptr_equal(iommu_get_domain_for_dev(dev), def);
	iommu_domain_free(dom);
	iosim_device_destroy(dev);
}

static void test_attach_device_sharing_a_group_is_einval(void **state)
{
	struct iommu_domain *dom, *def;
	struct device *a, *b;

	shared_group = NULL;
	mock.ops.device_group = share_one_group;
	bind_mock();
	a = added_device("a");
	b = added_device("b");
	assert_ptr_equal(a->iommu_group, b->iommu_group);
	def = iommu_get_domain_for_dev(a);

	dom = unmanaged();
	assert_int_equal(iommu_attach_device(dom, a), -EINVAL);
	assert_ptr_equal(iommu_get_domain_for_dev(a), def);
	iommu_detach_device(def, a);
	assert_warned("shares group");

	/* The whole group can be attached, though. */
	assert_int_equal(iommu_attach_group(dom, a->iommu_group), 0);
	assert_ptr_equal(mock_attached_to(a), dom);
	assert_ptr_equal(mock_attached_to(b), dom);
	assert_ptr_equal(iommu_get_domain_for_dev(b), dom);

	iommu_detach_group(dom, a->iommu_group);
	assert_ptr_equal(mock_attached_to(a), def);
	assert_ptr_equal(mock_attached_to(b), def);
	assert_int_equal(iosim_iommu_check(), 0);
	iommu_domain_free(dom);
	iosim_device_destroy(a);
	iosim_device_destroy(b);
}

static void test_attach_group_failure_moves_members_back(void **state)
{
	struct iommu_domain *dom, *def;
	struct device *a, *b;

	shared_group = NULL;
	mock.ops.device_group = share_one_group;
	bind_mock();
	a = added_device("a");
	b = added_device("b");
	def = iommu_get_domain_for_dev(a);
	dom = unmanaged();

	mock.attach_errno = -EIO;
	mock.attach_fail_dev = b;
	assert_int_equal(iommu_attach_group(dom, a->iommu_group), -EIO);
	assert_ptr_equal(mock_attached_to(a), def);
	assert_ptr_equal(mock_attached_to(b), def);
	assert_ptr_equal(iommu_get_domain_for_dev(a), def);
	assert_int_equal(iosim_iommu_check(), 0);

	iommu_domain_free(dom);
	iosim_device_destroy(a);
	iosim_device_destroy(b);
}

static void test_attach_group_failure_without_default_detaches_members(void **state)
{
	struct iommu_domain *dom;
	struct device *a, *b;

	shared_group = NULL;
	mock.no_dma_domains = true;
	mock.ops.device_group = share_one_group;
	bind_mock();
	a = added_device("a");
	b = added_device("b");
	dom = unmanaged();

	mock.attach_errno = -EIO;
	mock.attach_fail_dev = b;
	assert_int_equal(iommu_attach_group(dom, a->iommu_group), -EIO);
	assert_null(mock_attached_to(a));
	assert_null(iommu_get_domain_for_dev(a));
	assert_int_equal(mock_calls(MOCK_DETACH), 1);

	iommu_domain_free(dom);
	iosim_device_destroy(a);
	iosim_device_destroy(b);
}

static void test_new_member_joins_the_group_domain(void **state)
{
	struct iommu_domain *dom;
	struct device *a, *b;

	shared_group = NULL;
	mock.ops.device_group = share_one_group;
	bind_mock();
	a = added_device("a");
	dom = unmanaged();
	assert_int_equal(iommu_attach_device(dom, a), 0);

	b = added_device("b");
	assert_ptr_equal(mock_attached_to(b), dom);
	assert_ptr_equal(iommu_get_domain_for_dev(b), dom);

	iommu_detach_group(dom, a->iommu_group);
	iommu_domain_free(dom);
	iosim_device_destroy(a);
	iosim_device_destroy(b);
}

static void test_empty_group_attaches_without_driver_calls(void **state)
{
	struct iommu_group *group;
	struct iommu_domain *dom;

	bind_mock();
	group = iommu_group_alloc();
	dom = unmanaged();
	assert_int_equal(iommu_attach_group(dom, group), 0);
	assert_ptr_equal(iosim_iommu_group_domain(group), dom);
	assert_int_equal(mock_calls(MOCK_ATTACH), 0);
	iommu_detach_group(dom, group);
	assert_null(iosim_iommu_group_domain(group));
	iommu_group_put(group);
	iommu_domain_free(dom);
}

static void test_domain_free_forgets_memberless_group(void **state)
{
	struct iommu_group *group;
	struct iommu_domain *dom;

	bind_mock();
	group = iommu_group_alloc();
	dom = unmanaged();
	assert_int_equal(iommu_attach_group(dom, group), 0);
	/* No member relies on it: freeing is allowed and the group lets go. */
	iommu_domain_free(dom);
	assert_null(iosim_iommu_group_domain(group));
	assert_int_equal(iosim_iommu_group_check(group), 0);
	iommu_group_put(group);
}

static void test_legacy_device_without_group_goes_straight_to_driver(void **state)
{
	struct iommu_domain *dom;
	struct device *dev;

	bind_mock();
	mock.add_device_errno = -ENODEV;	/* not behind this IOMMU */
	dev = added_device("legacy");
	mock.add_device_errno = 0;
	assert_null(dev->iommu_group);

	dom = unmanaged();
	assert_int_equal(iommu_attach_device(dom, dev), 0);
	assert_ptr_equal(mock_attached_to(dev), dom);
	/* The core keeps no record of legacy attachments. */
	assert_null(iommu_get_domain_for_dev(dev));
	iommu_detach_device(dom, dev);
	assert_null(mock_attached_to(dev));
	assert_int_equal(mock_calls(MOCK_DETACH), 1);

	iommu_domain_free(dom);
	iosim_device_destroy(dev);
}

static void test_attach_and_detach_warn_on_null(void **state)
{
	struct iommu_domain bare = { .type = IOMMU_DOMAIN_UNMANAGED };
	struct iommu_domain *dom;
	struct device *dev;

	bind_mock();
	dev = added_device("dev0");
	dom = unmanaged();
	assert_int_equal(iommu_attach_device(NULL, dev), -EINVAL);
	assert_warned("NULL domain");
	assert_int_equal(iommu_attach_device(dom, NULL), -EINVAL);
	assert_warned("NULL device");
	assert_int_equal(iommu_attach_device(&bare, dev), -EINVAL);
	assert_warned("without ops");
	iommu_detach_device(NULL, dev);
	assert_warned("NULL domain");
	iommu_detach_device(dom, NULL);
	assert_warned("NULL device");
	assert_int_equal(iommu_attach_group(dom, NULL), -EINVAL);
	assert_warned("NULL group");
	iommu_detach_group(NULL, dev->iommu_group);
	assert_warned("NULL domain");
	assert_null(iommu_get_domain_for_dev(NULL));
	assert_warned("NULL device");
	assert_int_equal(mock_calls(MOCK_ATTACH), 1);	/* only the default, at add */
	iommu_domain_free(dom);
	iosim_device_destroy(dev);
}

static void test_domain_attributes(void **state)
{
	struct iommu_domain_geometry geo;
	struct iommu_domain *dom;
	bool paging = false;
	int nesting = 1, windows = 0;

	bind_mock();
	dom = unmanaged();

	assert_int_equal(iommu_domain_get_attr(dom, DOMAIN_ATTR_GEOMETRY, &geo), 0);
	assert_int_equal(geo.aperture_end, (1ULL << 48) - 1);
	assert_true(geo.force_aperture);
	assert_int_equal(iommu_domain_get_attr(dom, DOMAIN_ATTR_PAGING, &paging), 0);
	assert_true(paging);
	assert_int_equal(iommu_domain_get_attr(dom, DOMAIN_ATTR_WINDOWS, &windows), -ENODEV);
	assert_int_equal(iommu_domain_set_attr(dom, DOMAIN_ATTR_WINDOWS, &windows), -ENODEV);
	/* Geometry and paging come from the core: the driver is not asked. */
	assert_int_equal(mock_calls(MOCK_GET_ATTR), 0);

	assert_int_equal(iommu_domain_set_attr(dom, DOMAIN_ATTR_NESTING, &nesting), 0);
	nesting = 0;
	assert_int_equal(iommu_domain_get_attr(dom, DOMAIN_ATTR_NESTING, &nesting), 0);
	assert_int_equal(nesting, 1);
	/* Setting the geometry is the driver's call, as in 2015. */
	assert_int_equal(iommu_domain_set_attr(dom, DOMAIN_ATTR_GEOMETRY, &geo), -ENODEV);
	assert_int_equal(mock_calls(MOCK_SET_ATTR), 2);

	mock.ops.domain_get_attr = NULL;
	mock.ops.domain_set_attr = NULL;
	assert_int_equal(iommu_domain_get_attr(dom, DOMAIN_ATTR_NESTING, &nesting), -EINVAL);
	assert_int_equal(iommu_domain_set_attr(dom, DOMAIN_ATTR_NESTING, &nesting), -EINVAL);

	assert_int_equal(iommu_domain_get_attr(dom, DOMAIN_ATTR_MAX, &nesting), -EINVAL);
	assert_warned("bad attr");
	assert_int_equal(iommu_domain_set_attr(dom, (enum iommu_attr)-1, &nesting), -EINVAL);
	assert_warned("bad attr");
	assert_int_equal(iommu_domain_get_attr(NULL, DOMAIN_ATTR_PAGING, &paging), -EINVAL);
	assert_warned("NULL domain");
	assert_int_equal(iommu_domain_get_attr(dom, DOMAIN_ATTR_PAGING, NULL), -EINVAL);
	assert_warned("NULL data");

	/* A driver without page sizes cannot page. */
	mock.ops.pgsize_bitmap = 0;
	assert_int_equal(iommu_domain_get_attr(dom, DOMAIN_ATTR_PAGING, &paging), 0);
	assert_false(paging);
	mock.ops.pgsize_bitmap = MOCK_BITMAP_4K_2M_1G;
	iommu_domain_free(dom);
}

static void test_dm_regions_are_identity_mapped_into_default_domain(void **state)
{
	struct iommu_domain *def;
	struct device *a, *b;
	phys_addr_t pa;
	int prot;

	shared_group = NULL;
	mock.ops.device_group = share_one_group;
	mock.nr_regions = 2;
	/* Not granule aligned: widened to whole 4K pages. */
	mock.regions[0].start = 0x80001800;
	mock.regions[0].length = 0x1000;
	mock.regions[0].prot = IOMMU_READ;
	/* No access: nothing to map. */
	mock.regions[1].start = 0x90000000;
	mock.regions[1].length = 0x1000;
	mock.regions[1].prot = 0;
	bind_mock();

	a = added_device("a");
	def = iommu_get_domain_for_dev(a);
	assert_int_equal(mock_mapped_bytes(def), 0x2000);
	assert_true(mock_lookup(def, 0x80001000, &pa, &prot));
	assert_int_equal(pa, 0x80001000);
	assert_int_equal(prot, IOMMU_READ);
	assert_true(mock_lookup(def, 0x80002000, &pa, NULL));
	assert_int_equal(pa, 0x80002000);
	assert_false(mock_lookup(def, 0x90000000, NULL, NULL));

	/* A second member with the same regions maps nothing twice. */
	iosim_log_reset();
	b = added_device("b");
	assert_int_equal(mock_mapped_bytes(def), 0x2000);
	assert_false(iosim_log_seen("direct mappings"));

	/* The regions' list entries went back to the driver. */
	iosim_device_destroy(a);
	iosim_device_destroy(b);
}

static void test_dm_regions_skip_unmanaged_default_domains(void **state)
{
	struct device *dev;

	mock.no_dma_domains = true;
	mock.nr_regions = 1;
	mock.regions[0].start = 0x80000000;
	mock.regions[0].length = 0x1000;
	mock.regions[0].prot = RW;
	bind_mock();
	dev = added_device("dev0");
	assert_int_equal(mock_calls(MOCK_MAP), 0);
	iosim_device_destroy(dev);
}

static void test_get_and_put_dm_regions_go_to_the_driver(void **state)
{
	struct iommu_dm_region *region;
	struct device *dev;
	LIST_HEAD(list);
	unsigned int n = 0;

	mock.nr_regions = 2;
	mock.regions[0].start = 0x1000;
	mock.regions[0].length = 0x1000;
	mock.regions[1].start = 0x8000;
	mock.regions[1].length = 0x2000;
	bind_mock();
	dev = added_device("dev0");
	iommu_get_dm_regions(dev, &list);
	list_for_each_entry(region, &list, list)
		n++;
	assert_int_equal(n, 2);
	region = list_last_entry(&list, struct iommu_dm_region, list);
	assert_int_equal(region->start, 0x8000);
	iommu_put_dm_regions(dev, &list);	/* frees the entries: no live objects */

	/* No IOMMU on the bus: the list stays empty. */
	INIT_LIST_HEAD(&list);
	iosim_device_destroy(dev);
	assert_int_equal(iosim_bus_clear_iommu(&mock_bus), 0);
	dev = added_device("dev1");
	iommu_get_dm_regions(dev, &list);
	assert_true(list_empty(&list));
	iommu_get_dm_regions(NULL, &list);
	assert_warned("NULL argument");
	iommu_put_dm_regions(dev, NULL);
	assert_warned("NULL argument");
	iosim_device_destroy(dev);
}

static void test_request_dm_for_dev_switches_to_an_identity_domain(void **state)
{
	struct iommu_domain *def, *dm;
	struct device *dev;

	bind_mock();
	dev = added_device("dev0");
	def = iommu_get_domain_for_dev(dev);
	mock_clear_calls();

	assert_int_equal(iommu_request_dm_for_dev(dev), 0);
	dm = iommu_get_domain_for_dev(dev);
	assert_ptr_not_equal(dm, def);
	assert_int_equal(dm->type, IOMMU_DOMAIN_IDENTITY);
	assert_ptr_equal(iommu_group_default_domain(dev->iommu_group), dm);
	assert_ptr_equal(mock_attached_to(dev), dm);
	assert_int_equal(mock_calls(MOCK_DOMAIN_FREE), 1);	/* the old default */
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 1);
	assert_int_equal(iosim_iommu_check(), 0);

	/* Asking again changes nothing. */
	assert_int_equal(iommu_request_dm_for_dev(dev), 0);
	assert_int_equal(mock_calls(MOCK_DOMAIN_ALLOC), 1);
	iosim_device_destroy(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
}

static void test_request_dm_for_dev_refusals_keep_domains(void **state)
{
	struct iommu_domain *def, *dom;
	struct device *a, *b, *c;

	shared_group = NULL;
	mock.ops.device_group = share_one_group;
	bind_mock();
	a = added_device("a");
	b = added_device("b");
	def = iommu_get_domain_for_dev(a);
	/* Other members would lose their mappings. */
	assert_int_equal(iommu_request_dm_for_dev(a), -EBUSY);
	assert_ptr_equal(iommu_group_default_domain(a->iommu_group), def);

	mock.ops.device_group = NULL;
	c = added_device("c");
	def = iommu_get_domain_for_dev(c);
	mock.no_identity_domains = true;
	assert_int_equal(iommu_request_dm_for_dev(c), -ENOMEM);
	assert_ptr_equal(iommu_get_domain_for_dev(c), def);

	/* Attached to an unmanaged domain: busy. */
	mock.no_identity_domains = false;
	dom = unmanaged();
	assert_int_equal(iommu_attach_device(dom, c), 0);
	assert_int_equal(iommu_request_dm_for_dev(c), -EBUSY);
	assert_ptr_equal(iommu_get_domain_for_dev(c), dom);
	iommu_detach_device(dom, c);

	/* The driver fails the attach: the identity domain is given back. */
	mock.attach_errno = -EIO;
	assert_int_equal(iommu_request_dm_for_dev(c), -EIO);
	assert_ptr_equal(iommu_group_default_domain(c->iommu_group), def);
	mock.attach_errno = 0;

	assert_int_equal(iommu_request_dm_for_dev(NULL), -EINVAL);
	assert_warned("NULL device");
	assert_int_equal(iosim_iommu_check(), 0);
	iommu_domain_free(dom);
	iosim_device_destroy(a);
	iosim_device_destroy(b);
	iosim_device_destroy(c);
}

/* A device on a bus without IOMMU ops: no group, so no direct-mapped domain for it. */
static void test_request_dm_for_dev_without_iommu_ops_is_enodev(void **state)
{
	struct device *dev;

	(void)state;
	assert_null(mock_bus.iommu_ops);
	dev = mock_device("lone", NULL, false);
	assert_int_equal(iommu_request_dm_for_dev(dev), -ENODEV);
	assert_null(dev->iommu_group);
	assert_iommu_consistent();
	iosim_device_destroy(dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		MOCK_TEST(test_domain_alloc_from_bus_is_unmanaged),
		MOCK_TEST(test_domain_alloc_fails_without_iommu_or_memory),
		MOCK_TEST(test_domain_free_refuses_domains_still_in_use),
		MOCK_TEST(test_attach_replaces_default_domain_and_detach_restores_it),
		MOCK_TEST(test_attach_twice_is_ebusy_and_changes_nothing),
		MOCK_TEST(test_attach_of_current_default_domain_is_a_noop),
		MOCK_TEST(test_detach_of_domain_not_attached_warns),
		MOCK_TEST(test_attach_and_detach_without_default_domain),
		MOCK_TEST(test_attach_failure_leaves_group_where_it_was),
		MOCK_TEST(test_attach_device_sharing_a_group_is_einval),
		MOCK_TEST(test_attach_group_failure_moves_members_back),
		MOCK_TEST(test_attach_group_failure_without_default_detaches_members),
		MOCK_TEST(test_new_member_joins_the_group_domain),
		MOCK_TEST(test_empty_group_attaches_without_driver_calls),
		MOCK_TEST(test_domain_free_forgets_memberless_group),
		MOCK_TEST(test_legacy_device_without_group_goes_straight_to_driver),
		MOCK_TEST(test_attach_and_detach_warn_on_null),
		MOCK_TEST(test_domain_attributes),
		MOCK_TEST(test_dm_regions_are_identity_mapped_into_default_domain),
		MOCK_TEST(test_dm_regions_skip_unmanaged_default_domains),
		MOCK_TEST(test_get_and_put_dm_regions_go_to_the_driver),
		MOCK_TEST(test_request_dm_for_dev_switches_to_an_identity_domain),
		MOCK_TEST(test_request_dm_for_dev_refusals_keep_domains),
		MOCK_TEST(test_request_dm_for_dev_without_iommu_ops_is_enodev),
	};

	return cmocka_run_group_tests_name("iommu_attach", tests, NULL, NULL);
}
