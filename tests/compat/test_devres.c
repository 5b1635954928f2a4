// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Managed resources (devres): release newest first on unbind, on a failed
 * probe and when a device goes; find/get/remove/destroy/release; groups;
 * devm_kmalloc and friends, devm_kfree of memory that is not managed;
 * actions; misuse the kernel BUG()s on; an allocation-failure sweep over a
 * probe; the checker against planted corruption.
 */
#include "iosim_test.h"

#include <string.h>

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <iosim/device.h>
#include <iosim/devres.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>

#include "devres_internal.h"

/* What the release functions and actions saw, in order. */
static struct {
	int order[16];
	int nr;
} rel;

static void note(int v)
{
	if (rel.nr < (int)ARRAY_SIZE(rel.order))
		rel.order[rel.nr] = v;
	rel.nr++;
}

static void int_release(struct device *dev, void *res)
{
	(void)dev;
	note(*(int *)res);
}

static void other_release(struct device *dev, void *res)
{
	(void)dev;
	note(100 + *(int *)res);
}

static void action(void *data)
{
	note((int)(uintptr_t)data);
}

static int match_int(struct device *dev, void *res, void *data)
{
	(void)dev;
	return *(int *)res == *(int *)data;
}

/* A resource of int_release holding @v, added to @dev. */
static int *add_int(struct device *dev, dr_release_t release, int v)
{
	int *p = devres_alloc(release, sizeof(*p), GFP_KERNEL);

	assert_non_null(p);
	*p = v;
	devres_add(dev, p);
	return p;
}

static struct device *new_dev(const char *name)
{
	struct iosim_device_config cfg = { .name = name };
	struct device *dev = iosim_device_create(&cfg);

	assert_non_null(dev);
	return dev;
}

static void begin(void)
{
	memset(&rel, 0, sizeof(rel));
	iosim_log_set_console_level(0);
}

static void end(void)
{
	iosim_log_set_console_level(5);
	assert_int_equal(iosim_bus_check(&platform_bus_type), 0);
}

/* --- a platform driver whose probe takes managed resources --- */

static struct {
	int probe_ret;		/* what probe returns once it has taken everything */
	int nr_probes, nr_removes;
	int remove_saw;		/* rel.nr when remove() ran: resources still held */
	char *name;
	u32 *table;
} drv_state;

static int managed_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	int *r;

	drv_state.nr_probes++;
	r = devres_alloc(int_release, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	*r = 1;
	devres_add(dev, r);
	drv_state.table = devm_kcalloc(dev, 64, sizeof(u32), GFP_KERNEL);
	if (!drv_state.table)
		return -ENOMEM;
	drv_state.name = devm_kasprintf(dev, GFP_KERNEL, "%s-rx%d", dev_name(dev), 0);
	if (!drv_state.name)
		return -ENOMEM;
	if (devm_add_action(dev, action, (void *)(uintptr_t)2))
		return -ENOMEM;
	r = devres_alloc(int_release, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	*r = 3;
	devres_add(dev, r);
	return drv_state.probe_ret;
}

static int managed_remove(struct platform_device *pdev)
{
	(void)pdev;
	drv_state.nr_removes++;
	drv_state.remove_saw = rel.nr;
	return 0;
}

static struct platform_driver managed_driver = {
	.probe = managed_probe,
	.remove = managed_remove,
	.driver = { .name = "mgd0" },
};

/*
 * Unbinding releases the driver's resources after its remove(), newest
 * first, and gives back their memory.
 */
static void test_unbind_releases_newest_first_after_remove(void **state)
{
	struct device *dev;
	long slab;

	(void)state;
	begin();
	memset(&drv_state, 0, sizeof(drv_state));
	dev = new_dev("mgd0");
	slab = iosim_live(IOSIM_OBJ_SLAB);
	assert_int_equal(platform_driver_register(&managed_driver), 0);
	assert_ptr_equal(dev->driver, &managed_driver.driver);
	assert_int_equal(iosim_devres_count(dev), 5);
	assert_string_equal(drv_state.name, "mgd0-rx0");
	assert_true(iosim_bytes_all(drv_state.table, 0, 64 * sizeof(u32)));
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab + 5);
	assert_int_equal(iosim_device_check(dev), 0);
	assert_int_equal(rel.nr, 0);

	platform_driver_unregister(&managed_driver);
	assert_int_equal(drv_state.nr_removes, 1);
	assert_int_equal(drv_state.remove_saw, 0);
	assert_int_equal(rel.nr, 3);
	assert_int_equal(rel.order[0], 3);
	assert_int_equal(rel.order[1], 2);
	assert_int_equal(rel.order[2], 1);
	assert_int_equal(iosim_devres_count(dev), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
	assert_int_equal(iosim_device_check(dev), 0);
	iosim_device_destroy(dev);
	end();
}

/*
 * A failed probe releases what it took, newest first, before the next
 * driver may try; the device stays unbound and the failure is logged.
 */
static void test_failed_probe_releases_what_it_took(void **state)
{
	struct device *dev;
	long slab0, slab;

	(void)state;
	begin();
	memset(&drv_state, 0, sizeof(drv_state));
	drv_state.probe_ret = -EIO;
	slab0 = iosim_live(IOSIM_OBJ_SLAB);
	dev = new_dev("mgd0");
	slab = iosim_live(IOSIM_OBJ_SLAB);
	assert_int_equal(platform_driver_register(&managed_driver), 0);
	assert_int_equal(drv_state.nr_probes, 1);
	assert_null(dev->driver);
	assert_true(iosim_log_seen("mgd0: probe of mgd0 failed with error -5"));
	assert_int_equal(rel.nr, 3);
	assert_int_equal(rel.order[0], 3);
	assert_int_equal(rel.order[1], 2);
	assert_int_equal(rel.order[2], 1);
	assert_int_equal(iosim_devres_count(dev), 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);

	/* It may be probed again and bind. */
	drv_state.probe_ret = 0;
	assert_int_equal(driver_attach(&managed_driver.driver), 0);
	assert_ptr_equal(dev->driver, &managed_driver.driver);
	assert_int_equal(iosim_devres_count(dev), 5);
	/* Deleting the device unbinds it: everything is released. */
	rel.nr = 0;
	iosim_device_destroy(dev);
	assert_int_equal(rel.nr, 3);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab0);
	platform_driver_unregister(&managed_driver);
	assert_int_equal(drv_state.nr_removes, 1);
	end();
}

/*
 * Resources taken without a driver are released when the device is
 * released (as the kernel's device_release()); a probe finding some logs
 * the kernel's WARN.
 */
static void test_device_release_releases_resources_without_a_driver(void **state)
{
	struct device *dev;

	(void)state;
	begin();
	dev = new_dev("loose0");
	add_int(dev, int_release, 7);
	add_int(dev, int_release, 8);
	assert_non_null(devm_kzalloc(dev, 32, GFP_KERNEL));
	iosim_device_destroy(dev);
	assert_int_equal(rel.nr, 2);
	assert_int_equal(rel.order[0], 8);
	assert_int_equal(rel.order[1], 7);

	memset(&drv_state, 0, sizeof(drv_state));
	dev = new_dev("mgd0");
	add_int(dev, int_release, 9);
	assert_int_equal(platform_driver_register(&managed_driver), 0);
	assert_warned("really_probe: 'mgd0' holds managed resources before its probe");
	platform_driver_unregister(&managed_driver);
	/* The unbind released the older resource too. */
	assert_int_equal(iosim_devres_count(dev), 0);
	assert_int_equal(rel.order[rel.nr - 1], 9);
	iosim_device_destroy(dev);
	end();
}

/*
 * devres_find() finds the newest match; devres_get() returns it and frees
 * the new resource, or adds the new one; devres_remove() takes it off
 * without releasing; devres_destroy() frees without releasing;
 * devres_release() releases; -ENOENT when nothing matches.
 */
static void test_find_get_remove_destroy_release(void **state)
{
	struct device *dev;
	int *a, *b, *c, *got, *fresh, key;
	long slab;

	(void)state;
	begin();
	dev = new_dev("dr0");
	slab = iosim_live(IOSIM_OBJ_SLAB);
	a = add_int(dev, int_release, 1);
	b = add_int(dev, int_release, 2);
	c = add_int(dev, other_release, 1);

	assert_ptr_equal(devres_find(dev, int_release, NULL, NULL), b);
	key = 1;
	assert_ptr_equal(devres_find(dev, int_release, match_int, &key), a);
	assert_ptr_equal(devres_find(dev, other_release, match_int, &key), c);
	key = 5;
	assert_null(devres_find(dev, int_release, match_int, &key));

	fresh = devres_alloc(int_release, sizeof(int), GFP_KERNEL);
	assert_non_null(fresh);
	key = 2;
	*fresh = 2;
	assert_ptr_equal(devres_get(dev, fresh, match_int, &key), b);	/* fresh freed */
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab + 3);
	fresh = devres_alloc(int_release, sizeof(int), GFP_KERNEL);
	assert_non_null(fresh);
	*fresh = key = 4;
	assert_ptr_equal(devres_get(dev, fresh, match_int, &key), fresh);
	assert_int_equal(iosim_devres_count(dev), 4);

	got = devres_remove(dev, int_release, NULL, NULL);
	assert_ptr_equal(got, fresh);
	assert_int_equal(iosim_devres_count(dev), 3);
	devres_free(got);
	key = 1;
	assert_int_equal(devres_destroy(dev, int_release, match_int, &key), 0);
	assert_int_equal(rel.nr, 0);
	assert_int_equal(devres_destroy(dev, int_release, match_int, &key), -ENOENT);
	assert_int_equal(devres_release(dev, other_release, NULL, NULL), 0);
	assert_int_equal(rel.nr, 1);
	assert_int_equal(rel.order[0], 101);
	assert_int_equal(devres_release(dev, other_release, NULL, NULL), -ENOENT);
	assert_null(devres_remove(dev, other_release, NULL, NULL));
	assert_int_equal(iosim_devres_count(dev), 1);
	assert_int_equal(iosim_device_check(dev), 0);
	iosim_device_destroy(dev);
	assert_int_equal(rel.nr, 2);
	assert_int_equal(rel.order[1], 2);
	end();
}

static void count_fn(struct device *dev, void *res, void *data)
{
	(void)dev;
	*(int *)data += *(int *)res;
}

/* devres_for_each_res() visits the matching resources, newest first. */
static void test_for_each_res(void **state)
{
	struct device *dev;
	int sum = 0, key = 2;

	(void)state;
	begin();
	dev = new_dev("dr0");
	add_int(dev, int_release, 1);
	add_int(dev, int_release, 2);
	add_int(dev, other_release, 40);
	devres_for_each_res(dev, int_release, NULL, NULL, count_fn, &sum);
	assert_int_equal(sum, 3);
	sum = 0;
	devres_for_each_res(dev, int_release, match_int, &key, count_fn, &sum);
	assert_int_equal(sum, 2);
	iosim_device_destroy(dev);
	assert_int_equal(rel.nr, 3);
	end();
}

/*
 * devm_kmalloc() memory is managed: devm_kfree() frees it at once;
 * devm_kfree() of memory that is not (a kmalloc object, another device's,
 * a pointer freed already) WARNs and frees nothing.  devm_kstrdup(),
 * devm_kcalloc() overflow, devm_kmalloc() with a NULL device.
 */
static void test_devm_kfree_of_a_foreign_pointer_warns(void **state)
{
	struct device *dev, *other;
	char *s, *mine, *theirs;
	void *foreign;
	long slab;

	(void)state;
	begin();
	dev = new_dev("dr0");
	other = new_dev("dr1");
	slab = iosim_live(IOSIM_OBJ_SLAB);
	mine = devm_kmalloc(dev, 100, GFP_KERNEL);
	theirs = devm_kzalloc(other, 100, GFP_KERNEL);
	assert_non_null(mine);
	assert_non_null(theirs);
	/* As in 2015: the data follows the 24-byte node, 8-byte aligned. */
	assert_int_equal((uintptr_t)mine % 8, 0);
	s = devm_kstrdup(dev, "hello", GFP_KERNEL);
	assert_string_equal(s, "hello");
	assert_null(devm_kstrdup(dev, NULL, GFP_KERNEL));
	assert_null(devm_kcalloc(dev, SIZE_MAX / 2, 4, GFP_KERNEL));
	foreign = kmalloc(64, GFP_KERNEL);
	assert_non_null(foreign);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab + 4);

	devm_kfree(dev, foreign);
	assert_warned("devm_kfree:");
	devm_kfree(dev, theirs);
	assert_warned("devm_kfree:");
	devm_kfree(dev, mine + 8);
	assert_warned("devm_kfree:");
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab + 4);
	assert_int_equal(iosim_devres_count(dev), 2);

	devm_kfree(dev, mine);
	assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab + 3);
	devm_kfree(dev, mine);
	assert_warned("devm_kfree:");
	assert_int_equal(iosim_devres_count(dev), 1);
	kfree(foreign);

	assert_null(devm_kmalloc(NULL, 8, GFP_KERNEL));
	assert_warned("devm_kmalloc: NULL device");
	assert_int_equal(iosim_device_check(dev), 0);
	iosim_device_destroy(dev);
	iosim_device_destroy(other);
	end();
}

/* devm_remove_action() forgets an action without running it; an unknown one WARNs. */
static void test_remove_action(void **state)
{
	struct device *dev;

	(void)state;
	begin();
	dev = new_dev("dr0");
	assert_int_equal(devm_add_action(dev, action, (void *)(uintptr_t)5), 0);
	assert_int_equal(devm_add_action(dev, action, (void *)(uintptr_t)6), 0);
	devm_remove_action(dev, action, (void *)(uintptr_t)5);
	assert_int_equal(rel.nr, 0);
	devm_remove_action(dev, action, (void *)(uintptr_t)5);
	assert_warned("devm_remove_action: 'dr0' has no action");
	assert_int_equal(devm_add_action(dev, NULL, NULL), -EINVAL);
	assert_warned("devm_add_action: NULL action");
	devm_remove_action(NULL, action, (void *)(uintptr_t)6);
	assert_warned("devm_remove_action: NULL device");
	iosim_device_destroy(dev);
	assert_int_equal(rel.nr, 1);
	assert_int_equal(rel.order[0], 6);
	end();
}

/*
 * Where the kernel BUG()s: adding a resource twice, freeing one still on
 * the list; and a device never initialised.  Each WARNs and changes nothing.
 */
static void test_misuse_warns_and_changes_nothing(void **state)
{
	struct device *dev;
	struct device bare;
	int *r;

	(void)state;
	begin();
	dev = new_dev("dr0");
	r = add_int(dev, int_release, 1);
	devres_add(dev, r);
	assert_warned("already on a list");
	devres_free(r);
	assert_warned("devres_free: resource");
	assert_int_equal(iosim_devres_count(dev), 1);
	assert_int_equal(iosim_device_check(dev), 0);

	memset(&bare, 0, sizeof(bare));
	assert_null(devm_kzalloc(&bare, 8, GFP_KERNEL));
	assert_warned("is not initialized");
	r = devres_alloc(int_release, sizeof(*r), GFP_KERNEL);
	devres_add(&bare, r);
	assert_warned("is not initialized");
	devres_free(r);
	/* devres_get() on such a device frees the new resource: nothing leaks. */
	r = devres_alloc(int_release, sizeof(*r), GFP_KERNEL);
	assert_null(devres_get(&bare, r, match_int, r));
	assert_warned("devres_get: device");
	assert_null(devres_alloc(NULL, 8, GFP_KERNEL));
	assert_warned("devres_alloc: NULL release function");

	iosim_device_destroy(dev);
	assert_int_equal(rel.nr, 1);
	end();
}

/*
 * Groups: releasing a closed group releases what was added between its
 * markers (nested groups included), newest first; releasing an open group
 * releases everything since it opened; removing a group keeps its
 * resources; an unknown group WARNs.
 */
static void test_groups(void **state)
{
	static int tag;
	struct device *dev;
	void *g1, *g2, *g3;

	(void)state;
	begin();
	dev = new_dev("dr0");
	add_int(dev, int_release, 1);
	g1 = devres_open_group(dev, NULL, GFP_KERNEL);
	assert_non_null(g1);
	add_int(dev, int_release, 2);
	g2 = devres_open_group(dev, &tag, GFP_KERNEL);
	assert_ptr_equal(g2, &tag);
	add_int(dev, int_release, 3);
	devres_close_group(dev, NULL);		/* the newest open: g2 */
	add_int(dev, int_release, 4);
	devres_close_group(dev, g1);
	add_int(dev, int_release, 5);
	assert_int_equal(iosim_devres_check(dev), 0);
	assert_int_equal(iosim_devres_count(dev), 5);

	assert_int_equal(devres_release_group(dev, g1), 3);
	assert_int_equal(rel.nr, 3);
	assert_int_equal(rel.order[0], 4);
	assert_int_equal(rel.order[1], 3);
	assert_int_equal(rel.order[2], 2);
	assert_int_equal(iosim_devres_count(dev), 2);
	assert_int_equal(iosim_devres_check(dev), 0);

	assert_int_equal(devres_release_group(dev, g2), 0);
	assert_warned("devres_release_group: 'dr0' has no group");
	devres_close_group(dev, g1);
	assert_warned("devres_close_group: 'dr0' has no group");

	/* An open group: everything since it opened. */
	g3 = devres_open_group(dev, NULL, GFP_KERNEL);
	add_int(dev, int_release, 6);
	add_int(dev, int_release, 7);
	assert_int_equal(devres_release_group(dev, NULL), 2);
	assert_int_equal(rel.order[3], 7);
	assert_int_equal(rel.order[4], 6);
	(void)g3;

	/* Removing a group keeps its resources. */
	g3 = devres_open_group(dev, NULL, GFP_KERNEL);
	add_int(dev, int_release, 8);
	devres_close_group(dev, g3);
	devres_close_group(dev, g3);
	assert_warned("already on a list");
	devres_remove_group(dev, g3);
	devres_remove_group(dev, g3);
	assert_warned("devres_remove_group: 'dr0' has no group");
	assert_int_equal(iosim_devres_count(dev), 3);
	assert_int_equal(iosim_devres_check(dev), 0);
	/* A group left open is freed with the device. */
	assert_non_null(devres_open_group(dev, NULL, GFP_KERNEL));
	iosim_device_destroy(dev);
	assert_int_equal(rel.nr, 8);
	assert_int_equal(rel.order[5], 8);
	assert_int_equal(rel.order[6], 5);
	assert_int_equal(rel.order[7], 1);
	end();
}

/*
 * Each allocation of a probe taking managed resources fails once in turn:
 * the probe fails and releases everything it took, or binds; either way
 * unregistering leaves nothing, and every structure checks.
 */
static void test_probe_allocation_failure_sweep(void **state)
{
	struct device *dev;
	unsigned long n;
	long slab;
	bool done = false;

	(void)state;
	begin();
	dev = new_dev("mgd0");
	slab = iosim_live(IOSIM_OBJ_SLAB);
	for (n = 1; !done; n++) {
		memset(&drv_state, 0, sizeof(drv_state));
		rel.nr = 0;
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		assert_int_equal(platform_driver_register(&managed_driver), 0);
		done = iosim_fault_injected() == 0;
		iosim_fault_reset();
		assert_int_equal(iosim_device_check(dev), 0);
		if (dev->driver) {
			assert_int_equal(iosim_devres_count(dev), 5);
		} else {
			assert_false(done);
			assert_int_equal(iosim_devres_count(dev), 0);
			assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
			assert_true(iosim_log_seen("probe of mgd0 failed with error -12"));
		}
		platform_driver_unregister(&managed_driver);
		assert_null(dev->driver);
		assert_int_equal(iosim_live(IOSIM_OBJ_SLAB), slab);
		assert_int_equal(iosim_devres_count(dev), 0);
		iosim_log_reset();
	}
	assert_true(n > 5);
	iosim_device_destroy(dev);
	end();
}

/*
 * The checker reports a link that does not point back, a group closed
 * before it was opened, a resource without a release function and a group
 * marker of no group, and passes again once each is undone.
 */
static void test_checker_finds_planted_corruption(void **state)
{
	struct list_head *first, *saved, *close;
	struct mres_group *grp, other = { 0 };
	struct mres_mark *mk;
	struct device *dev;
	struct mres *m;
	void *g;
	int *r;

	(void)state;
	begin();
	dev = new_dev("dr0");
	g = devres_open_group(dev, NULL, GFP_KERNEL);
	r = add_int(dev, int_release, 1);
	devres_close_group(dev, g);
	assert_int_equal(iosim_devres_check(dev), 0);

	first = dev->devres_head.next;
	saved = first->next->prev;
	first->next->prev = &dev->devres_head;
	assert_int_equal(iosim_devres_check(dev), -EUCLEAN);
	assert_warned("does not link back");
	assert_int_equal(iosim_device_check(dev), -EUCLEAN);
	assert_warned("does not link back");
	first->next->prev = saved;
	assert_int_equal(iosim_devres_check(dev), 0);

	close = dev->devres_head.prev;
	list_move(close, &dev->devres_head);
	assert_int_equal(iosim_devres_check(dev), -EUCLEAN);
	assert_warned("closed before it was opened");
	list_move_tail(close, &dev->devres_head);
	assert_int_equal(iosim_devres_check(dev), 0);

	/* White box (devres_internal.h): a resource without a release function. */
	m = (struct mres *)r - 1;
	m->release = NULL;
	assert_int_equal(iosim_devres_check(dev), -EUCLEAN);
	assert_warned("has no release function");
	m->release = int_release;
	assert_int_equal(iosim_devres_check(dev), 0);

	/* A marker that belongs to no group, and one its group does not hold. */
	m = list_first_entry(&dev->devres_head, struct mres, link);
	mk = container_of(m, struct mres_mark, hdr);
	grp = mk->group;
	mk->group = NULL;
	assert_int_equal(iosim_devres_check(dev), -EUCLEAN);
	assert_warned("belongs to no group");
	mk->group = &other;
	assert_int_equal(iosim_devres_check(dev), -EUCLEAN);
	assert_warned("belongs to no group");
	mk->group = grp;
	assert_int_equal(iosim_devres_check(dev), 0);

	iosim_device_destroy(dev);
	assert_int_equal(rel.nr, 1);
	end();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_unbind_releases_newest_first_after_remove),
		IOSIM_TEST(test_failed_probe_releases_what_it_took),
		IOSIM_TEST(test_device_release_releases_resources_without_a_driver),
		IOSIM_TEST(test_find_get_remove_destroy_release),
		IOSIM_TEST(test_for_each_res),
		IOSIM_TEST(test_devm_kfree_of_a_foreign_pointer_warns),
		IOSIM_TEST(test_remove_action),
		IOSIM_TEST(test_misuse_warns_and_changes_nothing),
		IOSIM_TEST(test_groups),
		IOSIM_TEST(test_probe_allocation_failure_sweep),
		IOSIM_TEST(test_checker_finds_planted_corruption),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
