// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * IOMMU groups: ids, references, member devices, driver data, names,
 * notifiers, iommu_group_get_for_dev(), direct mappings, allocation
 * failures and the group checkers' reports.
 */
#include "mock_iommu.h"

#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/kernel.h>
#include <linux/notifier.h>

#include <stdio.h>
#include <string.h>

#include <iosim/device.h>
#include <iosim/fault.h>
#include <iosim/iommu_core.h>
#include <iosim/live.h>
#include <iosim/log.h>

/* White box: the checker tests corrupt struct iommu_group on purpose. */
#include "../../lib/iommu/iommu-priv.h"

static struct iommu_group *new_group(void)
{
	struct iommu_group *group = iommu_group_alloc();

	assert_false(IS_ERR_OR_NULL(group));
	assert_int_equal(iosim_iommu_group_check(group), 0);
	return group;
}

/* A device on the mock bus that is not added (no bus notifier involved). */
static struct device *bare_device(const char *name)
{
	struct device *dev = mock_device(name, NULL, true);

	assert_non_null(dev);
	return dev;
}

static void test_group_alloc_takes_smallest_free_id(void **state)
{
	struct iommu_group *a = new_group(), *b = new_group(), *c = new_group(), *d;

	assert_int_equal(iommu_group_id(a), 0);
	assert_int_equal(iommu_group_id(b), 1);
	assert_int_equal(iommu_group_id(c), 2);
	assert_int_equal(iosim_live(IOSIM_OBJ_GROUP), 3);
	assert_int_equal(iosim_iommu_nr_groups(), 3);

	/* Freeing id 1 makes it the next one handed out, as the kernel's IDA. */
	iommu_group_put(b);
	d = new_group();
	assert_int_equal(iommu_group_id(d), 1);
	assert_int_equal(iosim_iommu_check(), 0);

	iommu_group_put(a);
	iommu_group_put(c);
	iommu_group_put(d);
	assert_int_equal(iosim_live(IOSIM_OBJ_GROUP), 0);
}

static void test_group_get_by_id_takes_a_reference(void **state)
{
	struct iommu_group *group = new_group(), *found;

	found = iommu_group_get_by_id(iommu_group_id(group));
	assert_ptr_equal(found, group);
	assert_int_equal(iosim_iommu_group_refcount(group), 2);
	iommu_group_put(found);
	assert_int_equal(iosim_iommu_group_refcount(group), 1);
	assert_null(iommu_group_get_by_id(42));
	iommu_group_put(group);
	assert_null(iommu_group_get_by_id(0));
}

static int iommudata_released;
static void *iommudata_released_with;

static void count_release(void *data)
{
	iommudata_released++;
	iommudata_released_with = data;
}

static void test_group_iommudata_released_once_with_group(void **state)
{
	struct iommu_group *group = new_group(), *ref;
	int first, second;

	iommudata_released = 0;
	iommu_group_set_iommudata(group, &first, count_release);
	assert_ptr_equal(iommu_group_get_iommudata(group), &first);
	/* Replacing does not release: the driver owns what it replaces. */
	iommu_group_set_iommudata(group, &second, count_release);
	assert_int_equal(iommudata_released, 0);
	assert_ptr_equal(iommu_group_get_iommudata(group), &second);

	ref = iommu_group_get_by_id(iommu_group_id(group));
	iommu_group_put(group);
	assert_int_equal(iommudata_released, 0);	/* still referenced */
	iommu_group_put(ref);
	assert_int_equal(iommudata_released, 1);
	assert_ptr_equal(iommudata_released_with, &second);
}

static void test_group_name_can_be_set_replaced_and_cleared(void **state)
{
	struct iommu_group *group = new_group();

	assert_null(iosim_iommu_group_name(group));
	assert_int_equal(iommu_group_set_name(group, "gpu"), 0);
	assert_string_equal(iosim_iommu_group_name(group), "gpu");
	assert_int_equal(iommu_group_set_name(group, "display"), 0);
	assert_string_equal(iosim_iommu_group_name(group), "display");

	/* A failed copy keeps the old name. */
	iosim_fault_fail_nth(IOSIM_FAULT_SITE(IOSIM_FAULT_SLAB), 1);
	assert_int_equal(iommu_group_set_name(group, "video"), -ENOMEM);
	assert_int_equal(iosim_fault_injected(), 1);
	assert_string_equal(iosim_iommu_group_name(group), "display");

	assert_int_equal(iommu_group_set_name(group, NULL), 0);
	assert_null(iosim_iommu_group_name(group));
	/* A name left set is freed with the group. */
	assert_int_equal(iommu_group_set_name(group, "left"), 0);
	iommu_group_put(group);
}

struct notify_log {
	struct notifier_block nb;
	unsigned int nr;
	unsigned long actions[8];
	struct device *devs[8];
	struct iommu_group *group_at_call[8];	/* dev->iommu_group when notified */
};

static int log_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	struct notify_log *log = container_of(nb, struct notify_log, nb);
	struct device *dev = data;

	if (log->nr < ARRAY_SIZE(log->actions)) {
		log->actions[log->nr] = action;
		log->devs[log->nr] = dev;
		log->group_at_call[log->nr] = dev->iommu_group;
	}
	log->nr++;
	return NOTIFY_OK;
}

static void test_group_add_and_remove_device_with_notifications(void **state)
{
	struct iommu_group *group = new_group();
	struct device *dev = bare_device("dev0");
	struct notify_log log = { .nb.notifier_call = log_notify };

	assert_int_equal(iommu_group_register_notifier(group, &log.nb), 0);

	assert_int_equal(iommu_group_add_device(group, dev), 0);
	assert_ptr_equal(dev->iommu_group, group);
	assert_int_equal(iosim_iommu_group_refcount(group), 2);
	assert_int_equal(iosim_iommu_group_nr_devices(group), 1);
	assert_int_equal(log.nr, 1);
	assert_int_equal(log.actions[0], IOMMU_GROUP_NOTIFY_ADD_DEVICE);
	assert_ptr_equal(log.devs[0], dev);
	assert_int_equal(iosim_iommu_group_check(group), 0);

	/* The DEL notification comes while the device is still in the group. */
	iommu_group_remove_device(dev);
	assert_int_equal(log.nr, 2);
	assert_int_equal(log.actions[1], IOMMU_GROUP_NOTIFY_DEL_DEVICE);
	assert_ptr_equal(log.group_at_call[1], group);
	assert_null(dev->iommu_group);
	assert_int_equal(iosim_iommu_group_refcount(group), 1);
	assert_int_equal(iosim_iommu_group_nr_devices(group), 0);

	assert_int_equal(iommu_group_unregister_notifier(group, &log.nb), 0);
	assert_int_equal(iommu_group_unregister_notifier(group, &log.nb), -ENOENT);
	assert_warned("not registered");
	iommu_group_put(group);
	iosim_device_destroy(dev);
}

static void test_group_lives_while_a_member_holds_it(void **state)
{
	struct iommu_group *group = new_group();
	struct device *dev = bare_device("dev0");
	int id = iommu_group_id(group);

	assert_int_equal(iommu_group_add_device(group, dev), 0);
	iommu_group_put(group);		/* the allocation's reference */
	assert_int_equal(iosim_live(IOSIM_OBJ_GROUP), 1);
	assert_ptr_equal(iommu_group_get(dev), group);
	assert_int_equal(iosim_iommu_group_refcount(group), 2);
	iommu_group_put(group);

	/* The last member leaving releases the group. */
	iommu_group_remove_device(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_GROUP), 0);
	assert_null(iommu_group_get_by_id(id));
	iosim_device_destroy(dev);
}

static int collect_dev(struct device *dev, void *data)
{
	struct device **seen = data;

	while (*seen)
		seen++;
	*seen = dev;
	return 0;
}

static int stop_at_second(struct device *dev, void *data)
{
	int *count = data;

	return ++*count == 2 ? 77 : 0;
}

static void test_group_for_each_dev_walks_in_add_order_and_stops(void **state)
{
	struct iommu_group *group = new_group();
	struct device *devs[3] = { bare_device("a"), bare_device("b"), bare_device("c") };
	struct device *seen[4] = { NULL };
	unsigned int i;
	int count = 0;

	for (i = 0; i < 3; i++)
		assert_int_equal(iommu_group_add_device(group, devs[i]), 0);
	assert_int_equal(iommu_group_for_each_dev(group, seen, collect_dev), 0);
	for (i = 0; i < 3; i++)
		assert_ptr_equal(seen[i], devs[i]);

	assert_int_equal(iommu_group_for_each_dev(group, &count, stop_at_second), 77);
	assert_int_equal(count, 2);
	assert_int_equal(iosim_iommu_group_refcount(group), 4);
	assert_int_equal(iosim_iommu_group_check(group), 0);

	for (i = 0; i < 3; i++) {
		iommu_group_remove_device(devs[i]);
		iosim_device_destroy(devs[i]);
	}
	iommu_group_put(group);
}

static void test_group_add_device_refuses_a_device_already_in_a_group(void **state)
{
	struct iommu_group *a = new_group(), *b = new_group();
	struct device *dev = bare_device("dev0");

	assert_int_equal(iommu_group_add_device(a, dev), 0);
	assert_int_equal(iommu_group_add_device(a, dev), -EEXIST);
	assert_warned("already in IOMMU group");
	assert_int_equal(iommu_group_add_device(b, dev), -EBUSY);
	assert_warned("already in another IOMMU group");
	assert_ptr_equal(dev->iommu_group, a);
	assert_int_equal(iosim_iommu_group_nr_devices(a), 1);
	assert_int_equal(iosim_iommu_group_nr_devices(b), 0);
	assert_int_equal(iosim_iommu_group_refcount(b), 1);
	assert_int_equal(iosim_iommu_check(), 0);

	iommu_group_remove_device(dev);
	iommu_group_put(a);
	iommu_group_put(b);
	iosim_device_destroy(dev);
}

static void test_group_add_device_failure_leaves_everything_as_it_was(void **state)
{
	struct iommu_group *group = new_group();
	struct device *dev = bare_device("dev0");

	iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, 1);
	assert_int_equal(iommu_group_add_device(group, dev), -ENOMEM);
	assert_null(dev->iommu_group);
	assert_int_equal(iosim_iommu_group_refcount(group), 1);
	assert_int_equal(iosim_iommu_group_nr_devices(group), 0);
	assert_int_equal(iosim_iommu_group_check(group), 0);
	iommu_group_put(group);
	iosim_device_destroy(dev);
}

static void test_group_remove_device_not_in_a_group_warns(void **state)
{
	struct iommu_group *group = new_group();
	struct device *dev = bare_device("dev0"), *other = bare_device("dev1");

	iommu_group_remove_device(dev);
	assert_warned("not in an IOMMU group");
	iommu_group_remove_device(NULL);
	assert_warned("NULL device");

	/* A device claiming a group it is not a member of is left alone. */
	other->iommu_group = group;
	iommu_group_remove_device(other);
	assert_warned("missing from IOMMU group");
	assert_int_equal(iosim_iommu_group_refcount(group), 1);
	other->iommu_group = NULL;

	iommu_group_put(group);
	iosim_device_destroy(dev);
	iosim_device_destroy(other);
}

static void test_group_put_of_stale_pointer_warns(void **state)
{
	struct iommu_group *group = new_group();

	iommu_group_put(group);
	/* Compared against the live list, never dereferenced. */
	iommu_group_put(group);
	assert_warned("not a live IOMMU group");
	iommu_group_put(NULL);		/* as in the kernel: ignored */
}

static void test_group_functions_warn_on_null(void **state)
{
	struct notifier_block nb = { .notifier_call = log_notify };

	assert_int_equal(iommu_group_id(NULL), -EINVAL);
	assert_warned("NULL group");
	assert_null(iommu_group_get_iommudata(NULL));
	assert_warned("NULL group");
	iommu_group_set_iommudata(NULL, NULL, NULL);
	assert_warned("NULL group");
	assert_int_equal(iommu_group_set_name(NULL, "x"), -EINVAL);
	assert_warned("NULL group");
	assert_int_equal(iommu_group_add_device(NULL, NULL), -EINVAL);
	assert_warned("NULL group");
	assert_int_equal(iommu_group_for_each_dev(NULL, NULL, collect_dev), -EINVAL);
	assert_warned("NULL group");
	assert_null(iommu_group_get(NULL));
	assert_warned("NULL device");
	assert_int_equal(iommu_group_register_notifier(NULL, &nb), -EINVAL);
	assert_warned("NULL argument");
	assert_int_equal(iommu_group_unregister_notifier(NULL, &nb), -EINVAL);
	assert_warned("NULL argument");
	assert_null(iommu_group_default_domain(NULL));
	assert_warned("NULL group");
	assert_true(IS_ERR(iommu_group_get_for_dev(NULL)));
	assert_warned("NULL device");
	assert_int_equal(iosim_iommu_group_check(NULL), -EUCLEAN);
	assert_warned("NULL group");
}

static void test_group_check_catches_corruption(void **state)
{
	struct iommu_group *group = new_group();
	struct device *dev = bare_device("dev0");

	assert_int_equal(iommu_group_add_device(group, dev), 0);
	dev->iommu_group = NULL;
	assert_int_equal(iosim_iommu_group_check(group), -EUCLEAN);
	assert_warned("points at another group");
	assert_int_equal(iosim_iommu_check(), -EUCLEAN);
	assert_warned("points at another group");
	dev->iommu_group = group;
	assert_int_equal(iosim_iommu_check(), 0);

	iommu_group_remove_device(dev);
	iommu_group_put(group);
	iosim_device_destroy(dev);
}

/*
 * White box: each invariant of struct iommu_group broken in turn, by one
 * field of a group with two members, is reported by name by both checkers;
 * undone, the group checks clean again.
 */
static void test_group_check_reports_each_broken_invariant(void **state)
{
	struct iommu_group *group = new_group();
	struct device *a = bare_device("a"), *b = bare_device("b");
	struct iommu_group_member *first, *second;
	char msg[96];
	int id;

	assert_int_equal(iommu_group_add_device(group, a), 0);
	assert_int_equal(iommu_group_add_device(group, b), 0);
	id = iommu_group_id(group);
	first = list_first_entry(&group->devices, struct iommu_group_member, list);
	second = list_last_entry(&group->devices, struct iommu_group_member, list);
	assert_ptr_equal(first->dev, a);
	assert_ptr_equal(second->dev, b);

	/* A member that names no device. */
	first->dev = NULL;
	assert_int_equal(iosim_iommu_group_check(group), -EUCLEAN);
	snprintf(msg, sizeof(msg), "group %d: member with no device", id);
	assert_warned(msg);
	assert_int_equal(iosim_iommu_check(), -EUCLEAN);
	assert_warned(msg);
	first->dev = a;

	/* The same device listed twice. */
	second->dev = a;
	assert_int_equal(iosim_iommu_group_check(group), -EUCLEAN);
	snprintf(msg, sizeof(msg), "group %d: a is a member twice", id);
	assert_warned(msg);
	second->dev = b;

	/* A member count that is not the list's length. */
	group->nr_devices++;
	assert_int_equal(iosim_iommu_group_check(group), -EUCLEAN);
	snprintf(msg, sizeof(msg), "group %d: 2 members listed, 3 counted", id);
	assert_warned(msg);
	group->nr_devices--;

	/* Fewer references than members. */
	assert_int_equal(iosim_iommu_group_refcount(group), 3);
	atomic_set(&group->refcount, 1);
	assert_int_equal(iosim_iommu_group_check(group), -EUCLEAN);
	snprintf(msg, sizeof(msg), "group %d: refcount 1 does not cover 2 members", id);
	assert_warned(msg);
	atomic_set(&group->refcount, 3);

	/* A negative id. */
	group->id = -1;
	assert_int_equal(iosim_iommu_group_check(group), -EUCLEAN);
	assert_warned("group -1: negative id");
	group->id = id;

	assert_int_equal(iosim_iommu_group_check(group), 0);
	assert_int_equal(iosim_iommu_check(), 0);
	iommu_group_remove_device(a);
	iommu_group_remove_device(b);
	iommu_group_put(group);
	iosim_device_destroy(a);
	iosim_device_destroy(b);
}

/* White box: a group with a default domain must be attached to some domain. */
static void test_group_check_reports_a_default_domain_without_an_attachment(void **state)
{
	struct device *dev = bare_device("dev0");
	struct iommu_domain *domain;
	struct iommu_group *group;
	char msg[96];

	mock_bus.iommu_ops = &mock.ops;
	group = iommu_group_get_for_dev(dev);
	assert_false(IS_ERR_OR_NULL(group));
	assert_non_null(iommu_group_default_domain(group));
	domain = group->domain;
	assert_ptr_equal(domain, iommu_group_default_domain(group));

	group->domain = NULL;
	assert_int_equal(iosim_iommu_group_check(group), -EUCLEAN);
	snprintf(msg, sizeof(msg), "group %d: has a default domain but is attached to nothing",
		 iommu_group_id(group));
	assert_warned(msg);
	group->domain = domain;
	assert_int_equal(iosim_iommu_group_check(group), 0);

	iommu_group_put(group);
	mock_remove_device(dev);
	mock_bus.iommu_ops = NULL;
	iosim_device_destroy(dev);
}

/*
 * The group checker refuses a pointer that is no live group (compared with
 * the list, not read), and the global checker needs the list in strictly
 * increasing id order (white box: two ids swapped).
 */
static void test_group_checks_report_a_dead_group_and_a_list_out_of_order(void **state)
{
	struct iommu_group stranger;
	struct iommu_group *g0 = new_group(), *g1 = new_group();

	memset(&stranger, 0, sizeof(stranger));
	assert_int_equal(iosim_iommu_group_check(&stranger), -EUCLEAN);
	assert_warned("is not a live group");

	assert_int_equal(iommu_group_id(g0), 0);
	assert_int_equal(iommu_group_id(g1), 1);
	g0->id = 1;
	g1->id = 0;
	assert_int_equal(iosim_iommu_group_check(g0), 0);	/* each group is fine */
	assert_int_equal(iosim_iommu_group_check(g1), 0);
	assert_int_equal(iosim_iommu_check(), -EUCLEAN);
	assert_warned("group list out of order: 0 after 1");
	g0->id = 0;
	g1->id = 1;
	assert_int_equal(iosim_iommu_check(), 0);
	iommu_group_put(g0);
	iommu_group_put(g1);
}

/*
 * A direct-mapped region that cannot be mapped into the default domain is
 * logged, as in 2015, and the device joins its group all the same.
 */
static void test_group_add_device_survives_a_failed_direct_mapping(void **state)
{
	struct device *dev = bare_device("dev0");
	struct iommu_group *group;
	struct iommu_domain *def;

	mock.nr_regions = 1;
	mock.regions[0].start = 0x80000000;
	mock.regions[0].length = 0x1000;
	mock.regions[0].prot = IOMMU_READ | IOMMU_WRITE;
	mock.map_fail_at = 1;
	mock_bus.iommu_ops = &mock.ops;
	iosim_log_reset();
	group = iommu_group_get_for_dev(dev);
	assert_false(IS_ERR_OR_NULL(group));
	assert_true(iosim_log_seen("dev0: failed to create direct mappings (-12)"));
	assert_int_equal(mock_calls(MOCK_MAP), 1);
	def = iommu_group_default_domain(group);
	assert_non_null(def);
	assert_int_equal(mock_mapped_bytes(def), 0);
	assert_ptr_equal(dev->iommu_group, group);
	assert_ptr_equal(iommu_get_domain_for_dev(dev), def);
	assert_int_equal(iosim_iommu_group_nr_devices(group), 1);
	assert_int_equal(iosim_iommu_group_check(group), 0);

	iommu_group_put(group);
	mock_remove_device(dev);
	mock_bus.iommu_ops = NULL;
	iosim_device_destroy(dev);
}

static void test_group_alloc_failure_returns_enomem_and_leaves_nothing(void **state)
{
	struct iommu_group *group;

	iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, 1);
	group = iommu_group_alloc();
	assert_true(IS_ERR(group));
	assert_int_equal(PTR_ERR(group), -ENOMEM);
	assert_int_equal(iosim_iommu_nr_groups(), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_GROUP), 0);
}

/* ---- iommu_group_get_for_dev() with the mock driver on mock_bus ---- */

static void test_get_for_dev_makes_a_group_with_a_default_dma_domain(void **state)
{
	struct device *dev = bare_device("dev0");
	struct iommu_group *group, *again;
	struct iommu_domain *def;

	mock_bus.iommu_ops = &mock.ops;		/* without the bus notifier */
	group = iommu_group_get_for_dev(dev);
	assert_false(IS_ERR_OR_NULL(group));
	assert_ptr_equal(dev->iommu_group, group);
	assert_int_equal(iosim_iommu_group_refcount(group), 2);	/* ours + the device's */

	def = iommu_group_default_domain(group);
	assert_non_null(def);
	assert_int_equal(def->type, IOMMU_DOMAIN_DMA);
	assert_ptr_equal(def->ops, &mock.ops);
	assert_ptr_equal(iommu_get_domain_for_dev(dev), def);
	assert_ptr_equal(mock_attached_to(dev), def);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 1);

	/* A device already in a group gets it back, with one more reference. */
	again = iommu_group_get_for_dev(dev);
	assert_ptr_equal(again, group);
	assert_int_equal(iosim_iommu_group_refcount(group), 3);
	assert_int_equal(mock_calls(MOCK_DOMAIN_ALLOC), 1);
	iommu_group_put(again);
	iommu_group_put(group);

	/* Removing the only member frees the group and its default domain. */
	mock_remove_device(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_GROUP), 0);
	mock_bus.iommu_ops = NULL;
	iosim_device_destroy(dev);
}

static void test_group_remove_device_does_not_detach_from_domain(void **state)
{
	struct device *dev = bare_device("dev0");
	struct iommu_group *group;
	struct iommu_domain *def;

	mock_bus.iommu_ops = &mock.ops;
	group = iommu_group_get_for_dev(dev);
	assert_false(IS_ERR_OR_NULL(group));
	def = iommu_group_default_domain(group);

	/* As in 2015: leaving the group is not detaching; the driver's
	 * remove_device owns the device's state in the IOMMU. */
	iommu_group_remove_device(dev);
	assert_int_equal(mock_calls(MOCK_DETACH), 0);
	assert_ptr_equal(mock_attached_to(dev), def);
	assert_null(iommu_get_domain_for_dev(dev));
	/* The group (our reference) still owns the default domain. */
	assert_ptr_equal(iosim_iommu_group_domain(group), def);

	memset(mock.attached, 0, sizeof(mock.attached));
	iommu_group_put(group);
	assert_int_equal(mock_calls(MOCK_DOMAIN_FREE), 1);
	mock_bus.iommu_ops = NULL;
	iosim_device_destroy(dev);
}

static void test_get_for_dev_without_dma_domains_leaves_group_unattached(void **state)
{
	struct device *dev = bare_device("dev0");
	struct iommu_group *group;

	mock.no_dma_domains = true;
	mock_bus.iommu_ops = &mock.ops;
	group = iommu_group_get_for_dev(dev);
	assert_false(IS_ERR_OR_NULL(group));
	assert_null(iommu_group_default_domain(group));
	assert_null(iommu_get_domain_for_dev(dev));
	assert_int_equal(mock_calls(MOCK_ATTACH), 0);
	iommu_group_put(group);
	mock_remove_device(dev);
	mock_bus.iommu_ops = NULL;
	iosim_device_destroy(dev);
}

static struct iommu_group *shared_group;

static struct iommu_group *share_one_group(struct device *dev)
{
	if (!shared_group)
		return shared_group = iommu_group_alloc();
	iommu_group_get_by_id(iommu_group_id(shared_group));
	return shared_group;
}

static void test_get_for_dev_uses_driver_device_group(void **state)
{
	struct device *a = bare_device("a"), *b = bare_device("b");
	struct iommu_group *ga, *gb;

	shared_group = NULL;
	mock.ops.device_group = share_one_group;
	mock_bus.iommu_ops = &mock.ops;
	ga = iommu_group_get_for_dev(a);
	gb = iommu_group_get_for_dev(b);
	assert_ptr_equal(ga, gb);
	assert_int_equal(iosim_iommu_group_nr_devices(ga), 2);
	/* Only the first device found the group untouched: one default domain. */
	assert_int_equal(mock_calls(MOCK_DOMAIN_ALLOC), 1);
	assert_ptr_equal(mock_attached_to(b), iommu_group_default_domain(ga));
	assert_int_equal(iosim_iommu_group_check(ga), 0);

	iommu_group_put(ga);
	iommu_group_put(gb);
	mock_remove_device(a);
	mock_remove_device(b);
	mock_bus.iommu_ops = NULL;
	iosim_device_destroy(a);
	iosim_device_destroy(b);
}

static struct iommu_group *return_null_group(struct device *dev)
{
	return NULL;
}

static struct iommu_group *return_error_group(struct device *dev)
{
	return ERR_PTR(-ENOSPC);
}

static void test_get_for_dev_errors(void **state)
{
	struct device *dev = bare_device("dev0");
	struct iommu_group *group;

	/* No IOMMU on the bus. */
	group = iommu_group_get_for_dev(dev);
	assert_int_equal(PTR_ERR(group), -ENODEV);

	mock_bus.iommu_ops = &mock.ops;
	mock.ops.device_group = return_null_group;
	group = iommu_group_get_for_dev(dev);
	assert_int_equal(PTR_ERR(group), -EINVAL);
	assert_warned("device_group returned NULL");

	mock.ops.device_group = return_error_group;
	group = iommu_group_get_for_dev(dev);
	assert_int_equal(PTR_ERR(group), -ENOSPC);

	/* Attaching to the new default domain fails: nothing is left. */
	mock.ops.device_group = NULL;
	mock.attach_errno = -EIO;
	group = iommu_group_get_for_dev(dev);
	assert_int_equal(PTR_ERR(group), -EIO);
	assert_null(dev->iommu_group);
	assert_int_equal(iosim_iommu_nr_groups(), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);

	mock_bus.iommu_ops = NULL;
	iosim_device_destroy(dev);
}

static void test_get_for_dev_survives_every_allocation_failure(void **state)
{
	struct device *dev = bare_device("dev0");
	unsigned long n;
	bool completed = false;

	mock_bus.iommu_ops = &mock.ops;
	for (n = 1; n < 100 && !completed; n++) {
		struct iommu_group *group;

		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		group = iommu_group_get_for_dev(dev);
		completed = iosim_fault_injected() == 0;
		iosim_fault_reset();
		assert_int_equal(iosim_iommu_check(), 0);

		if (IS_ERR(group)) {
			assert_false(completed);
			assert_null(dev->iommu_group);
			assert_int_equal(iosim_iommu_nr_groups(), 0);
			assert_int_equal(iosim_live(IOSIM_OBJ_DOMAIN), 0);
			continue;
		}
		/* Success, perhaps without a default domain (the driver's alloc failed). */
		assert_ptr_equal(dev->iommu_group, group);
		assert_ptr_equal(iommu_get_domain_for_dev(dev), iommu_group_default_domain(group));
		if (completed)
			assert_non_null(iommu_group_default_domain(group));
		iommu_group_put(group);
		mock_remove_device(dev);
	}
	assert_true(completed);
	assert_true(n > 3);	/* group, member, domain at least */
	mock_bus.iommu_ops = NULL;
	iosim_device_destroy(dev);
}

static void test_group_alloc_and_add_survive_every_allocation_failure(void **state)
{
	struct device *dev = bare_device("dev0");
	unsigned long n;
	bool completed = false;

	for (n = 1; n < 50 && !completed; n++) {
		struct iommu_group *group;
		int ret = -1;

		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		group = iommu_group_alloc();
		if (!IS_ERR(group)) {
			ret = iommu_group_add_device(group, dev);
			assert_int_equal(iommu_group_set_name(group, "swept") == 0 ||
					 iosim_fault_injected(), true);
		}
		completed = iosim_fault_injected() == 0;
		iosim_fault_reset();
		assert_int_equal(iosim_iommu_check(), 0);
		if (ret == 0) {
			assert_ptr_equal(dev->iommu_group, group);
			iommu_group_remove_device(dev);
		} else {
			assert_null(dev->iommu_group);
		}
		if (!IS_ERR(group))
			iommu_group_put(group);
		assert_int_equal(iosim_iommu_nr_groups(), 0);
	}
	assert_true(completed);
	iosim_device_destroy(dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		MOCK_TEST(test_group_alloc_takes_smallest_free_id),
		MOCK_TEST(test_group_get_by_id_takes_a_reference),
		MOCK_TEST(test_group_iommudata_released_once_with_group),
		MOCK_TEST(test_group_name_can_be_set_replaced_and_cleared),
		MOCK_TEST(test_group_add_and_remove_device_with_notifications),
		MOCK_TEST(test_group_lives_while_a_member_holds_it),
		MOCK_TEST(test_group_for_each_dev_walks_in_add_order_and_stops),
		MOCK_TEST(test_group_add_device_refuses_a_device_already_in_a_group),
		MOCK_TEST(test_group_add_device_failure_leaves_everything_as_it_was),
		MOCK_TEST(test_group_remove_device_not_in_a_group_warns),
		MOCK_TEST(test_group_put_of_stale_pointer_warns),
		MOCK_TEST(test_group_functions_warn_on_null),
		MOCK_TEST(test_group_check_catches_corruption),
		MOCK_TEST(test_group_check_reports_each_broken_invariant),
		MOCK_TEST(test_group_check_reports_a_default_domain_without_an_attachment),
		MOCK_TEST(test_group_checks_report_a_dead_group_and_a_list_out_of_order),
		MOCK_TEST(test_group_add_device_survives_a_failed_direct_mapping),
		MOCK_TEST(test_group_alloc_failure_returns_enomem_and_leaves_nothing),
		MOCK_TEST(test_get_for_dev_makes_a_group_with_a_default_dma_domain),
		MOCK_TEST(test_group_remove_device_does_not_detach_from_domain),
		MOCK_TEST(test_get_for_dev_without_dma_domains_leaves_group_unattached),
		MOCK_TEST(test_get_for_dev_uses_driver_device_group),
		MOCK_TEST(test_get_for_dev_errors),
		MOCK_TEST(test_get_for_dev_survives_every_allocation_failure),
		MOCK_TEST(test_group_alloc_and_add_survive_every_allocation_failure),
	};

	return cmocka_run_group_tests_name("iommu_group", tests, NULL, NULL);
}
