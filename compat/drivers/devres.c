// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Managed device resources (devres) with the API of Linux v4.1/v4.2:
 * devres_*, devm_kmalloc and friends, devm_add_action.  Written for this
 * library; docs/devres-dmapool.md describes the behaviour.
 *
 * Layout.  Every managed resource is one kmalloc object: a small header
 * (struct mres: its place on dev->devres_head and its release function)
 * with the caller's data right behind it.  On LP64 the header is 24 bytes,
 * so the data is 8-byte aligned and no more, which is what drivers of 2015
 * got from devm_kmalloc().
 *
 * Groups.  A group is one allocation holding two markers, which sit on the
 * same list as the resources: the opening marker goes on when the group is
 * opened, the closing marker when it is closed (until then it is on no
 * list).  Markers carry a release function no resource can have
 * (mres_marker_fn), which is how a walk tells them apart, and a stamp from a
 * global counter taken when they are linked.  A list only ever grows at its
 * tail, so stamps rise along it; whether a group lies wholly inside a span
 * of the list is then a comparison of its markers' stamps with the span's.
 *
 * Giving back.  Whatever is to go is first unlinked under the lock onto
 * private lists (resources in one, the groups going away in another); the
 * release functions then run without the lock, newest first.
 *
 * Misuse the kernel would BUG() or oops on WARNs here, and the lists are
 * left as they were.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <iosim/devres.h>

#include "devres.h"
#include "devres_internal.h"

/* Stamps for group markers; only their order along one device's list matters. */
static unsigned long long mres_clock;

static unsigned long long mres_tick(void)
{
	return __atomic_add_fetch(&mres_clock, 1, __ATOMIC_RELAXED);
}

static void *mres_data(struct mres *m)
{
	return m + 1;
}

static struct mres *mres_of(void *data)
{
	return (struct mres *)data - 1;
}

/* Never called: its address tags group markers on the list. */
static void mres_marker_fn(struct device *dev, void *res)
{
	WARN(1, "devres: a group marker of '%s' (%p) was treated as a resource",
	     dev_name(dev), res);
}

static bool mres_is_marker(const struct mres *m)
{
	return m->release == mres_marker_fn;
}

static struct mres_mark *mres_mark_of(struct mres *m)
{
	return container_of(m, struct mres_mark, hdr);
}

static bool mres_group_open(const struct mres_group *g)
{
	return list_empty(&g->end.hdr.link);
}

static bool mres_list_ready(const struct device *dev)
{
	return dev->devres_head.next && dev->devres_head.prev;
}

/* WARN (naming @who) and return false unless @dev can hold resources. */
static bool mres_dev_ok(struct device *dev, const char *who)
{
	if (WARN(!dev, "%s: NULL device", who))
		return false;
	if (WARN(!mres_list_ready(dev) || !dev->iosim_initialized,
		 "%s: device '%s' is not initialized (device_initialize() it first)", who,
		 dev_name(dev)))
		return false;
	return true;
}

/* A header for @size bytes of data released by @release; data not zeroed. */
static struct mres *mres_new(dr_release_t release, size_t size, gfp_t gfp)
{
	struct mres *m;

	if (size > SIZE_MAX - sizeof(*m))
		return NULL;
	m = kmalloc(sizeof(*m) + size, gfp);
	if (!m)
		return NULL;
	INIT_LIST_HEAD(&m->link);
	m->release = release;
	return m;
}

/* The newest resource of @release accepted by @match.  Lock held. */
static struct mres *mres_lookup(struct device *dev, dr_release_t release,
				dr_match_t match, void *match_data)
{
	struct mres *m;

	list_for_each_entry_reverse(m, &dev->devres_head, link) {
		if (m->release != release)
			continue;
		if (match && !match(dev, mres_data(m), match_data))
			continue;
		return m;
	}
	return NULL;
}

/*
 * Call the release functions of the resources on @doomed, last first, and
 * free them; then free the groups whose opening markers are on @groups.
 * Lock not held.
 */
static void mres_dispose(struct device *dev, struct list_head *doomed, struct list_head *groups)
{
	while (!list_empty(doomed)) {
		struct mres *m = list_last_entry(doomed, struct mres, link);

		list_del_init(&m->link);
		m->release(dev, mres_data(m));
		kfree(m);
	}
	while (!list_empty(groups)) {
		struct mres *m = list_first_entry(groups, struct mres, link);

		list_del_init(&m->link);
		kfree(mres_mark_of(m)->group);
	}
}

/*
 * Unlink a group marker met while emptying a span of the list: the opening
 * marker goes to @groups (the group is freed from there), the closing one
 * is simply unlinked.  Lock held.
 */
static void mres_drop_marker(struct mres *m, struct list_head *groups)
{
	struct mres_mark *mk = mres_mark_of(m);

	if (mk == &mk->group->begin)
		list_move_tail(&m->link, groups);
	else
		list_del_init(&m->link);
}

/*
 * Does @g lie wholly inside the span of stamps [@lo, @hi]?  An open group
 * does only if the span runs to the end of the list (@to_end).
 */
static bool mres_group_inside(const struct mres_group *g, unsigned long long lo,
			      unsigned long long hi, bool to_end)
{
	if (g->begin.stamp < lo)
		return false;
	if (mres_group_open(g))
		return to_end;
	return g->end.stamp <= hi;
}

/*
 * Move the resources from @from up to @to (both markers, included; a NULL
 * @to means up to the end of the list) onto @doomed in list order, and the
 * groups that lie wholly inside onto @groups.  Markers of groups reaching
 * out of the span stay put.  Lock held.  Return: resources moved.
 */
static int mres_take_span(struct device *dev, struct mres_mark *from, struct mres_mark *to,
			  struct list_head *doomed, struct list_head *groups)
{
	unsigned long long lo = from->stamp, hi = to ? to->stamp : ULLONG_MAX;
	struct list_head *stop = to ? to->hdr.link.next : &dev->devres_head;
	struct list_head *pos, *next;
	int nr = 0;

	for (pos = &from->hdr.link; pos != stop && pos != &dev->devres_head; pos = next) {
		struct mres *m = list_entry(pos, struct mres, link);

		next = pos->next;
		if (!mres_is_marker(m)) {
			list_move_tail(pos, doomed);
			nr++;
		} else if (mres_group_inside(mres_mark_of(m)->group, lo, hi, !to)) {
			mres_drop_marker(m, groups);
		}
	}
	return nr;
}

/**
 * devres_alloc - allocate a managed resource, not yet handed to any device
 * @release: what gives the resource back (must not be NULL)
 * @size: bytes of data the caller wants
 * @gfp: allocation flags
 *
 * Context: as kmalloc() with @gfp.
 * Return: zero-filled data of @size bytes, to be given to devres_add() or
 * devres_free(); NULL if the memory cannot be had or @release is NULL (WARN).
 */
void *devres_alloc(dr_release_t release, size_t size, gfp_t gfp)
{
	struct mres *m;

	if (WARN(!release, "devres_alloc: NULL release function"))
		return NULL;
	m = mres_new(release, size, gfp | __GFP_ZERO);
	return m ? mres_data(m) : NULL;
}

/**
 * devres_free - discard a resource from devres_alloc() that no device holds
 * @res: its data, or NULL
 *
 * Its release function is not called.
 *
 * Context: any.
 * Return: nothing.  A resource still held by a device WARNs and stays.
 */
void devres_free(void *res)
{
	struct mres *m;

	if (!res)
		return;
	m = mres_of(res);
	if (WARN(!list_empty(&m->link), "devres_free: resource %p is still held by a device",
		 res))
		return;
	kfree(m);
}

/**
 * devres_add - hand a resource to a device
 * @dev: the device; it gives the resource back on driver detach or when released
 * @res: data from devres_alloc()
 *
 * Context: any; takes @dev->devres_lock.
 * Return: nothing.  A resource already held by a device, or a device never
 * initialised, WARNs and nothing is added.
 */
void devres_add(struct device *dev, void *res)
{
	unsigned long flags;
	struct mres *m;
	bool held;

	if (WARN(!res, "devres_add: NULL resource"))
		return;
	if (!mres_dev_ok(dev, "devres_add"))
		return;
	m = mres_of(res);
	spin_lock_irqsave(&dev->devres_lock, flags);
	held = !list_empty(&m->link);
	if (!held)
		list_add_tail(&m->link, &dev->devres_head);
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	WARN(held, "devres_add: resource %p for '%s' is already on a list", res, dev_name(dev));
}

/**
 * devres_for_each_res - visit a device's resources of one kind, newest first
 * @dev: the device
 * @release: the kind: resources with this release function
 * @match: optional filter, called with @match_data; NULL accepts all
 * @match_data: passed to @match
 * @fn: called as @fn(@dev, resource data, @data) for each one accepted
 * @data: passed to @fn
 *
 * Context: @match and @fn run with @dev->devres_lock held and must not
 * add or remove the device's resources.
 */
void devres_for_each_res(struct device *dev, dr_release_t release,
			 dr_match_t match, void *match_data,
			 void (*fn)(struct device *, void *, void *),
			 void *data)
{
	unsigned long flags;
	struct mres *m;

	if (WARN(!fn, "devres_for_each_res: NULL function"))
		return;
	if (!mres_dev_ok(dev, "devres_for_each_res"))
		return;
	spin_lock_irqsave(&dev->devres_lock, flags);
	list_for_each_entry_reverse(m, &dev->devres_head, link) {
		if (m->release != release)
			continue;
		if (match && !match(dev, mres_data(m), match_data))
			continue;
		fn(dev, mres_data(m), data);
	}
	spin_unlock_irqrestore(&dev->devres_lock, flags);
}

/**
 * devres_find - look up a device's resource without taking it
 * @dev: the device
 * @release: the kind: resources with this release function
 * @match: optional filter, called under @dev->devres_lock; NULL accepts all
 * @match_data: passed to @match
 *
 * Context: any; takes @dev->devres_lock.
 * Return: the data of the most recently added resource that qualifies, or NULL.
 */
void *devres_find(struct device *dev, dr_release_t release,
		  dr_match_t match, void *match_data)
{
	unsigned long flags;
	struct mres *m;

	if (!mres_dev_ok(dev, "devres_find"))
		return NULL;
	spin_lock_irqsave(&dev->devres_lock, flags);
	m = mres_lookup(dev, release, match, match_data);
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	return m ? mres_data(m) : NULL;
}

/**
 * devres_get - find a resource, or add the one supplied
 * @dev: the device
 * @new_res: a resource from devres_alloc() held by no device; its release
 *	function says which kind to look for
 * @match: optional filter, as for devres_find()
 * @match_data: passed to @match
 *
 * The search and the addition are one step under @dev->devres_lock, so two
 * callers racing end up sharing one resource.
 *
 * Context: any; takes @dev->devres_lock.
 * Return: an existing resource that qualifies (@new_res is then freed), or
 * @new_res, now held by @dev.  NULL after a WARN if @new_res is already held
 * (it is left alone) or @dev is unusable (@new_res is freed).
 */
void *devres_get(struct device *dev, void *new_res,
		 dr_match_t match, void *match_data)
{
	struct mres *m, *found = NULL;
	unsigned long flags;
	bool held;

	if (WARN(!new_res, "devres_get: NULL resource"))
		return NULL;
	m = mres_of(new_res);
	if (!mres_dev_ok(dev, "devres_get")) {
		devres_free(new_res);
		return NULL;
	}
	spin_lock_irqsave(&dev->devres_lock, flags);
	held = !list_empty(&m->link);
	if (!held) {
		found = mres_lookup(dev, m->release, match, match_data);
		if (!found)
			list_add_tail(&m->link, &dev->devres_head);
	}
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	if (WARN(held, "devres_get: resource %p for '%s' is already on a list", new_res,
		 dev_name(dev)))
		return NULL;
	if (found) {
		kfree(m);
		return mres_data(found);
	}
	return new_res;
}

/* Unlink and return the resource devres_find() would return; NULL if none. */
static struct mres *mres_take(struct device *dev, const char *who, dr_release_t release,
			      dr_match_t match, void *match_data)
{
	unsigned long flags;
	struct mres *m;

	if (!mres_dev_ok(dev, who))
		return NULL;
	spin_lock_irqsave(&dev->devres_lock, flags);
	m = mres_lookup(dev, release, match, match_data);
	if (m)
		list_del_init(&m->link);
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	return m;
}

/**
 * devres_remove - take a resource back from a device without releasing it
 * @dev: the device
 * @release: the kind: resources with this release function
 * @match: optional filter, as for devres_find()
 * @match_data: passed to @match
 *
 * Context: any; takes @dev->devres_lock.
 * Return: the data of the resource taken off (now the caller's, to be
 * disposed of with devres_free()), or NULL if none qualifies.
 */
void *devres_remove(struct device *dev, dr_release_t release,
		    dr_match_t match, void *match_data)
{
	struct mres *m = mres_take(dev, "devres_remove", release, match, match_data);

	return m ? mres_data(m) : NULL;
}

/**
 * devres_destroy - take a resource off a device and free it, without
 * calling its release function
 * @dev: the device
 * @release: the kind: resources with this release function
 * @match: optional filter, as for devres_find()
 * @match_data: passed to @match
 *
 * Context: any; takes @dev->devres_lock.
 * Return: 0, or -ENOENT if no resource qualifies.
 */
int devres_destroy(struct device *dev, dr_release_t release,
		   dr_match_t match, void *match_data)
{
	struct mres *m = mres_take(dev, "devres_destroy", release, match, match_data);

	if (!m)
		return -ENOENT;
	kfree(m);
	return 0;
}

/**
 * devres_release - take a resource off a device, call its release function
 * and free it
 * @dev: the device
 * @release: the kind, and the function called
 * @match: optional filter, as for devres_find()
 * @match_data: passed to @match
 *
 * Context: process context; @release runs without @dev->devres_lock.
 * Return: 0, or -ENOENT if no resource qualifies.
 */
int devres_release(struct device *dev, dr_release_t release,
		   dr_match_t match, void *match_data)
{
	struct mres *m = mres_take(dev, "devres_release", release, match, match_data);

	if (!m)
		return -ENOENT;
	m->release(dev, mres_data(m));
	kfree(m);
	return 0;
}

/*
 * The group called @id, most recently opened first; for a NULL @id the
 * most recently opened group that is still open.  Lock held.
 */
static struct mres_group *mres_group_lookup(struct device *dev, void *id)
{
	struct mres *m;

	list_for_each_entry_reverse(m, &dev->devres_head, link) {
		struct mres_group *g;

		if (!mres_is_marker(m))
			continue;
		g = mres_mark_of(m)->group;
		if (mres_mark_of(m) != &g->begin)
			continue;
		if (id ? g->id == id : mres_group_open(g))
			return g;
	}
	return NULL;
}

static void mres_mark_init(struct mres_mark *mk, struct mres_group *g)
{
	INIT_LIST_HEAD(&mk->hdr.link);
	mk->hdr.release = mres_marker_fn;
	mk->group = g;
	mk->stamp = 0;
}

/**
 * devres_open_group - start a group of a device's resources
 * @dev: the device
 * @id: the group's name; NULL lets one be chosen
 * @gfp: allocation flags
 *
 * The resources added from now until devres_close_group() belong to the
 * group, and can be given back (devres_release_group()) or kept while the
 * group itself is forgotten (devres_remove_group()).  Groups nest.
 *
 * Context: as kmalloc() with @gfp; takes @dev->devres_lock.
 * Return: the group's id (@id, or the one chosen), or NULL if there is no
 * memory for it.
 */
void *devres_open_group(struct device *dev, void *id, gfp_t gfp)
{
	struct mres_group *g;
	unsigned long flags;

	if (!mres_dev_ok(dev, "devres_open_group"))
		return NULL;
	g = kmalloc(sizeof(*g), gfp);
	if (!g)
		return NULL;
	mres_mark_init(&g->begin, g);
	mres_mark_init(&g->end, g);
	g->id = id ? id : g;

	spin_lock_irqsave(&dev->devres_lock, flags);
	g->begin.stamp = mres_tick();
	list_add_tail(&g->begin.hdr.link, &dev->devres_head);
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	return g->id;
}

/**
 * devres_close_group - end a group: later resources are not part of it
 * @dev: the device
 * @id: the group, or NULL for the most recently opened group still open
 *
 * Context: any; takes @dev->devres_lock.
 * Return: nothing.  An unknown group WARNs; closing a group already closed
 * WARNs and changes nothing.
 */
void devres_close_group(struct device *dev, void *id)
{
	struct mres_group *g;
	unsigned long flags;
	bool closed = false;

	if (!mres_dev_ok(dev, "devres_close_group"))
		return;
	spin_lock_irqsave(&dev->devres_lock, flags);
	g = mres_group_lookup(dev, id);
	if (g && mres_group_open(g)) {
		g->end.stamp = mres_tick();
		list_add_tail(&g->end.hdr.link, &dev->devres_head);
	} else if (g) {
		closed = true;
	}
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	WARN(!g, "devres_close_group: '%s' has no group %p", dev_name(dev), id);
	WARN(closed, "devres_close_group: the end of group %p of '%s' is already on a list",
	     id, dev_name(dev));
}

/**
 * devres_remove_group - forget a group and keep what it holds
 * @dev: the device
 * @id: the group, or NULL for the most recently opened group still open
 *
 * The resources of the group stay with @dev as if never grouped.
 *
 * Context: any; takes @dev->devres_lock.
 * Return: nothing.  An unknown group WARNs.
 */
void devres_remove_group(struct device *dev, void *id)
{
	struct mres_group *g;
	unsigned long flags;

	if (!mres_dev_ok(dev, "devres_remove_group"))
		return;
	spin_lock_irqsave(&dev->devres_lock, flags);
	g = mres_group_lookup(dev, id);
	if (g) {
		list_del_init(&g->begin.hdr.link);
		list_del_init(&g->end.hdr.link);
	}
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	if (WARN(!g, "devres_remove_group: '%s' has no group %p", dev_name(dev), id))
		return;
	kfree(g);
}

/**
 * devres_release_group - give back what a group holds, newest first
 * @dev: the device
 * @id: the group, or NULL for the most recently opened group still open
 *
 * For a closed group, what was added between its opening and its closing;
 * for an open one, everything added since it opened.  Groups lying wholly
 * inside go with it; the markers of groups that reach outside stay.
 *
 * Context: process context; the release functions run without
 * @dev->devres_lock.
 * Return: how many resources were released; 0 after a WARN for an unknown
 * group.
 */
int devres_release_group(struct device *dev, void *id)
{
	LIST_HEAD(doomed);
	LIST_HEAD(groups);
	struct mres_group *g;
	unsigned long flags;
	int nr = 0;

	if (!mres_dev_ok(dev, "devres_release_group"))
		return 0;
	spin_lock_irqsave(&dev->devres_lock, flags);
	g = mres_group_lookup(dev, id);
	if (g)
		nr = mres_take_span(dev, &g->begin, mres_group_open(g) ? NULL : &g->end,
				    &doomed, &groups);
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	if (WARN(!g, "devres_release_group: '%s' has no group %p", dev_name(dev), id))
		return 0;
	mres_dispose(dev, &doomed, &groups);
	return nr;
}

/*
 * devres_release_all - give back all of @dev's resources, newest first, and
 * forget its groups (the driver core: failed probe, unbind, release).
 * Return: how many resources were released; -ENODEV after a WARN if the
 * list was never initialised.
 */
int devres_release_all(struct device *dev)
{
	LIST_HEAD(doomed);
	LIST_HEAD(groups);
	struct list_head *pos, *next;
	unsigned long flags;
	int nr = 0;

	if (WARN(!dev, "devres_release_all: NULL device"))
		return -ENODEV;
	if (WARN(!mres_list_ready(dev), "devres_release_all: '%s' was never initialized",
		 dev_name(dev)))
		return -ENODEV;
	spin_lock_irqsave(&dev->devres_lock, flags);
	for (pos = dev->devres_head.next; pos != &dev->devres_head; pos = next) {
		struct mres *m = list_entry(pos, struct mres, link);

		next = pos->next;
		if (mres_is_marker(m)) {
			mres_drop_marker(m, &groups);
		} else {
			list_move_tail(pos, &doomed);
			nr++;
		}
	}
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	mres_dispose(dev, &doomed, &groups);
	return nr;
}

/* Set up @dev's empty resource list and its lock (device_initialize()). */
void iosim_devres_init(struct device *dev)
{
	spin_lock_init(&dev->devres_lock);
	INIT_LIST_HEAD(&dev->devres_head);
}

/* The memory is the resource itself: freeing the header frees it. */
static void devm_kmalloc_release(struct device *dev, void *res)
{
	(void)dev;
	(void)res;
}

/**
 * devm_kmalloc - kmalloc() memory that a device frees on driver detach
 * @dev: the device
 * @size: bytes wanted
 * @gfp: allocation flags; with __GFP_ZERO the memory is zeroed
 *
 * As in 2015 the memory is only 8-byte aligned, not cache-line aligned, so
 * it is not fit for non-coherent DMA.
 *
 * Context: as kmalloc() with @gfp; takes @dev->devres_lock.
 * Return: the memory, or NULL (a NULL or uninitialised @dev also WARNs).
 */
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	unsigned long flags;
	struct mres *m;

	if (!mres_dev_ok(dev, "devm_kmalloc"))
		return NULL;
	m = mres_new(devm_kmalloc_release, size, gfp);
	if (!m)
		return NULL;
	spin_lock_irqsave(&dev->devres_lock, flags);
	list_add_tail(&m->link, &dev->devres_head);
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	return mres_data(m);
}

/**
 * devm_kfree - free devm_kmalloc() memory before the driver is detached
 * @dev: the device the memory was allocated for
 * @p: the memory, as devm_kmalloc() returned it
 *
 * Only the pointer is compared, so a stale or foreign one is safe to pass.
 *
 * Context: any; takes @dev->devres_lock.
 * Return: nothing.  Anything but @dev's devm_kmalloc() memory WARNs and is
 * left alone.
 */
void devm_kfree(struct device *dev, void *p)
{
	struct mres *m, *found = NULL;
	unsigned long flags;

	if (!mres_dev_ok(dev, "devm_kfree"))
		return;
	spin_lock_irqsave(&dev->devres_lock, flags);
	list_for_each_entry_reverse(m, &dev->devres_head, link) {
		if (m->release == devm_kmalloc_release && mres_data(m) == p) {
			found = m;
			list_del_init(&m->link);
			break;
		}
	}
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	if (WARN(!found, "devm_kfree: %p is not managed memory of '%s'", p, dev_name(dev)))
		return;
	kfree(found);
}

/**
 * devm_kstrdup - a copy of a string, freed on driver detach
 * @dev: the device
 * @s: the string, or NULL
 * @gfp: allocation flags
 *
 * Context: as devm_kmalloc().
 * Return: the copy; NULL for a NULL @s or when out of memory.
 */
char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp)
{
	size_t len;
	char *copy;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	copy = devm_kmalloc(dev, len, gfp);
	if (copy)
		memcpy(copy, s, len);
	return copy;
}

/**
 * devm_kvasprintf - a formatted string, freed on driver detach
 * @dev: the device
 * @gfp: allocation flags
 * @fmt: printf() format
 * @ap: its arguments
 *
 * Context: as devm_kmalloc().
 * Return: the string, or NULL when out of memory or @fmt cannot be formatted.
 */
char *devm_kvasprintf(struct device *dev, gfp_t gfp, const char *fmt, va_list ap)
{
	va_list probe;
	char *buf;
	int len;

	va_copy(probe, ap);
	len = vsnprintf(NULL, 0, fmt, probe);
	va_end(probe);
	if (len < 0)
		return NULL;
	buf = devm_kmalloc(dev, (size_t)len + 1, gfp);
	if (buf)
		vsnprintf(buf, (size_t)len + 1, fmt, ap);
	return buf;
}

/**
 * devm_kasprintf - a formatted string, freed on driver detach
 * @dev: the device
 * @gfp: allocation flags
 * @fmt: printf() format, followed by its arguments
 *
 * Context: as devm_kmalloc().
 * Return: the string, or NULL when out of memory.
 */
char *devm_kasprintf(struct device *dev, gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = devm_kvasprintf(dev, gfp, fmt, ap);
	va_end(ap);
	return s;
}

/* A deferred call registered with devm_add_action(). */
struct mres_action {
	void (*fn)(void *);
	void *arg;
};

static void mres_action_run(struct device *dev, void *res)
{
	struct mres_action *a = res;

	(void)dev;
	a->fn(a->arg);
}

static int mres_action_is(struct device *dev, void *res, void *match_data)
{
	const struct mres_action *a = res, *want = match_data;

	(void)dev;
	return a->fn == want->fn && a->arg == want->arg;
}

/**
 * devm_add_action - have a function called when a device's driver goes
 * @dev: the device
 * @action: called as @action(@data) on driver detach, in turn with the
 *	device's other resources (newest first)
 * @data: its argument
 *
 * Context: process context (allocates with GFP_KERNEL).
 * Return: 0; -ENOMEM; -EINVAL after a WARN for a NULL @action; -ENODEV
 * after a WARN for an unusable @dev.
 */
int devm_add_action(struct device *dev, void (*action)(void *), void *data)
{
	struct mres_action *a;

	if (WARN(!action, "devm_add_action: NULL action"))
		return -EINVAL;
	if (!mres_dev_ok(dev, "devm_add_action"))
		return -ENODEV;
	a = devres_alloc(mres_action_run, sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->fn = action;
	a->arg = data;
	devres_add(dev, a);
	return 0;
}

/**
 * devm_remove_action - cancel an action without calling it
 * @dev: the device
 * @action: the function given to devm_add_action()
 * @data: the argument given with it
 *
 * Context: any; takes @dev->devres_lock.
 * Return: nothing.  An action that was never added WARNs.
 */
void devm_remove_action(struct device *dev, void (*action)(void *), void *data)
{
	struct mres_action want = { .fn = action, .arg = data };

	if (!mres_dev_ok(dev, "devm_remove_action"))
		return;
	WARN(devres_destroy(dev, mres_action_run, mres_action_is, &want),
	     "devm_remove_action: '%s' has no action with data %p", dev_name(dev), data);
}

/* Is @pos, a node of @head, preceded on @head by @want?  Links already checked. */
static bool mres_seen_before(struct list_head *head, struct list_head *pos,
			     struct list_head *want)
{
	struct list_head *p;

	for (p = head->next; p != pos; p = p->next)
		if (p == want)
			return true;
	return false;
}

/* Fill @msg with the first fault of @dev's list; false if none.  Lock held. */
static bool mres_find_fault(struct device *dev, char *msg, size_t len)
{
	struct list_head *head = &dev->devres_head, *pos = head;

	do {
		struct mres *m;
		struct mres_mark *mk;

		if (!pos->next || pos->next->prev != pos) {
			snprintf(msg, len, "devres of '%s': entry %p does not link back from %p",
				 dev_name(dev), (void *)pos, (void *)pos->next);
			return true;
		}
		pos = pos->next;
		if (pos == head)
			break;
		m = list_entry(pos, struct mres, link);
		if (!m->release) {
			snprintf(msg, len, "devres of '%s': resource %p has no release function",
				 dev_name(dev), mres_data(m));
			return true;
		}
		if (!mres_is_marker(m))
			continue;
		mk = mres_mark_of(m);
		if (!mk->group || (mk != &mk->group->begin && mk != &mk->group->end)) {
			snprintf(msg, len, "devres of '%s': group marker %p belongs to no group",
				 dev_name(dev), (void *)mk);
			return true;
		}
		if (mk == &mk->group->end &&
		    !mres_seen_before(head, pos, &mk->group->begin.hdr.link)) {
			snprintf(msg, len, "devres of '%s': group %p closed before it was opened",
				 dev_name(dev), mk->group->id);
			return true;
		}
	} while (true);
	return false;
}

/**
 * iosim_devres_check - check the consistency of a device's managed resources
 * @dev: an initialised device
 *
 * Context: any; takes @dev->devres_lock.
 * Return: 0 if sound; -EUCLEAN after a WARN naming the first fault.
 */
int iosim_devres_check(struct device *dev)
{
	unsigned long flags;
	char msg[192];
	bool bad;

	if (WARN(!dev, "iosim_devres_check: NULL device"))
		return -EUCLEAN;
	if (WARN(!mres_list_ready(dev), "devres of '%s': list never initialized",
		 dev_name(dev)))
		return -EUCLEAN;
	spin_lock_irqsave(&dev->devres_lock, flags);
	bad = mres_find_fault(dev, msg, sizeof(msg));
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	if (WARN(bad, "%s", msg))
		return -EUCLEAN;
	return 0;
}

/**
 * iosim_devres_count - how many managed resources a device holds
 * @dev: the device
 *
 * Context: any; takes @dev->devres_lock.
 * Return: the number of resources (group markers not counted); 0 for a
 * NULL device or one whose list was never initialised.
 */
size_t iosim_devres_count(struct device *dev)
{
	unsigned long flags;
	struct mres *m;
	size_t nr = 0;

	if (!dev || !mres_list_ready(dev))
		return 0;
	spin_lock_irqsave(&dev->devres_lock, flags);
	list_for_each_entry(m, &dev->devres_head, link)
		if (!mres_is_marker(m))
			nr++;
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	return nr;
}
