// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Managed resources (the kernel's drivers/base/devres.c of 2015): a device
 * keeps a list of struct devres nodes, each a release function and the
 * resource's data, oldest first.  The driver core releases them all, newest
 * first, when a probe fails and after remove() when a driver is unbound
 * (dd.c), and when the device itself is released (core.c).  Groups bracket
 * the resources added between devres_open_group() and devres_close_group()
 * with two markers so that they can be released or forgotten together.
 *
 * As in the kernel the resource's data directly follows the node (24 bytes
 * into a kmalloc object), so devm_kmalloc() memory is 8-byte aligned only:
 * not cache-line aligned, and not safe for non-coherent DMA (a 2015
 * limitation, kept).  Where the kernel BUG()s (adding a node that is on a
 * list, freeing a node that is on a list, an unpaired group marker) or
 * dereferences NULL (a NULL or never-initialised device), this WARNs and
 * changes nothing.  The release functions run without the lock held.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <iosim/devres.h>

#include "devres.h"

/* The kernel's list_for_each_entry_safe_reverse(), which <linux/list.h> lacks. */
#define devres_for_each_node_safe_reverse(pos, n, head)				\
	for (pos = list_last_entry(head, struct devres_node, entry),		\
	     n = list_prev_entry(pos, entry);					\
	     &pos->entry != (head);						\
	     pos = n, n = list_prev_entry(n, entry))

struct devres_node {
	struct list_head entry;
	dr_release_t release;
};

struct devres {
	struct devres_node node;
	/* -- 3 pointers */
	unsigned long long data[];	/* guarantee ull alignment */
};

struct devres_group {
	struct devres_node node[2];
	void *id;
	int color;
	/* -- 8 pointers */
};

static void group_open_release(struct device *dev, void *res)
{
	/* noop */
	(void)dev;
	(void)res;
}

static void group_close_release(struct device *dev, void *res)
{
	/* noop */
	(void)dev;
	(void)res;
}

static struct devres_group *node_to_group(struct devres_node *node)
{
	if (node->release == &group_open_release)
		return container_of(node, struct devres_group, node[0]);
	if (node->release == &group_close_release)
		return container_of(node, struct devres_group, node[1]);
	return NULL;
}

/* Is @dev's list usable?  A NULL or never-initialised device WARNs. */
static bool devres_dev_ok(struct device *dev, const char *who)
{
	if (WARN(!dev, "%s: NULL device", who))
		return false;
	/* Looks like an uninitialized device structure (the kernel's own test). */
	if (WARN(!dev->devres_head.next, "%s: device '%s' is not initialized", who,
		 dev_name(dev)))
		return false;
	return true;
}

/**
 * iosim_devres_init - give @dev an empty resource list
 * @dev: a device being initialised (device_initialize())
 *
 * Context: before @dev is visible to anyone else.
 */
void iosim_devres_init(struct device *dev)
{
	INIT_LIST_HEAD(&dev->devres_head);
	spin_lock_init(&dev->devres_lock);
}

static struct devres *alloc_dr(dr_release_t release, size_t size, gfp_t gfp)
{
	size_t tot_size = sizeof(struct devres) + size;
	struct devres *dr;

	if (size > SIZE_MAX - sizeof(struct devres))
		return NULL;
	dr = kmalloc(tot_size, gfp);
	if (unlikely(!dr))
		return NULL;

	memset(dr, 0, offsetof(struct devres, data));

	INIT_LIST_HEAD(&dr->node.entry);
	dr->node.release = release;
	return dr;
}

/* Link @node at the tail of @dev's list.  Lock held.  false (WARN) if it is on a list. */
static bool add_dr(struct device *dev, struct devres_node *node)
{
	if (WARN(!list_empty(&node->entry),
		 "devres: adding a resource of '%s' that is already on a list", dev_name(dev)))
		return false;
	list_add_tail(&node->entry, &dev->devres_head);
	return true;
}

/**
 * devres_alloc - allocate device resource data
 * @release: the release function the resource will run
 * @size: bytes of data
 * @gfp: allocation flags
 *
 * The data is zeroed.  It is freed with devres_free(), or released with the
 * driver once devres_add()ed.
 *
 * Context: as kmalloc() with @gfp.
 * Return: the data, or NULL (nothing allocated) on failure at
 * IOSIM_FAULT_SLAB or for a NULL @release (WARN; the kernel would crash on
 * release).
 */
void *devres_alloc(dr_release_t release, size_t size, gfp_t gfp)
{
	struct devres *dr;

	if (WARN(!release, "devres_alloc: NULL release function"))
		return NULL;
	dr = alloc_dr(release, size, gfp | __GFP_ZERO);
	if (unlikely(!dr))
		return NULL;
	return dr->data;
}

/**
 * devres_for_each_res - resource iterator
 * @dev: the device
 * @release: look for resources of this release function
 * @match: NULL, or accepts the resources to visit
 * @match_data: passed to @match
 * @fn: called with @dev, each resource and @data
 * @data: passed to @fn
 *
 * Context: @fn runs with @dev's resource lock held: it must not add or
 * remove resources of @dev.
 */
void devres_for_each_res(struct device *dev, dr_release_t release,
			 dr_match_t match, void *match_data,
			 void (*fn)(struct device *, void *, void *),
			 void *data)
{
	struct devres_node *node, *tmp;
	unsigned long flags;

	if (WARN(!fn, "devres_for_each_res: NULL function") ||
	    !devres_dev_ok(dev, "devres_for_each_res"))
		return;

	spin_lock_irqsave(&dev->devres_lock, flags);
	devres_for_each_node_safe_reverse(node, tmp, &dev->devres_head) {
		struct devres *dr = container_of(node, struct devres, node);

		if (node->release != release)
			continue;
		if (match && !match(dev, dr->data, match_data))
			continue;
		fn(dev, dr->data, data);
	}
	spin_unlock_irqrestore(&dev->devres_lock, flags);
}

/**
 * devres_free - free device resource data
 * @res: what devres_alloc() returned, not added (or removed again); NULL
 *	is ignored
 *
 * Context: any.  A resource still on a device's list WARNs (the kernel
 * BUG()s) and is not freed.
 */
void devres_free(void *res)
{
	struct devres *dr;

	if (!res)
		return;
	dr = container_of(res, struct devres, data);
	if (WARN(!list_empty(&dr->node.entry),
		 "devres_free: resource %p is still on a device's list", res))
		return;
	kfree(dr);
}

/**
 * devres_add - register device resource
 * @dev: the device
 * @res: what devres_alloc() returned
 *
 * @res is released, after every resource added after it, when the driver
 * is detached (or its probe fails).
 *
 * Context: any; takes @dev's resource lock.  A @res already on a list, a
 * NULL or uninitialised @dev WARN and add nothing.
 */
void devres_add(struct device *dev, void *res)
{
	struct devres *dr;
	unsigned long flags;

	if (WARN(!res, "devres_add: NULL resource") || !devres_dev_ok(dev, "devres_add"))
		return;
	dr = container_of(res, struct devres, data);
	spin_lock_irqsave(&dev->devres_lock, flags);
	add_dr(dev, &dr->node);
	spin_unlock_irqrestore(&dev->devres_lock, flags);
}

/* The newest resource of @release that @match accepts.  Lock held. */
static struct devres *find_dr(struct device *dev, dr_release_t release,
			      dr_match_t match, void *match_data)
{
	struct devres_node *node;

	list_for_each_entry_reverse(node, &dev->devres_head, entry) {
		struct devres *dr = container_of(node, struct devres, node);

		if (node->release != release)
			continue;
		if (match && !match(dev, dr->data, match_data))
			continue;
		return dr;
	}

	return NULL;
}

/**
 * devres_find - find device resource
 * @dev: the device
 * @release: its release function
 * @match: NULL (any of @release), or accepts the one wanted
 * @match_data: passed to @match
 *
 * Context: any; @match runs with @dev's resource lock held.
 * Return: the newest matching resource's data, or NULL.
 */
void *devres_find(struct device *dev, dr_release_t release,
		  dr_match_t match, void *match_data)
{
	struct devres *dr;
	unsigned long flags;

	if (!devres_dev_ok(dev, "devres_find"))
		return NULL;
	spin_lock_irqsave(&dev->devres_lock, flags);
	dr = find_dr(dev, release, match, match_data);
	spin_unlock_irqrestore(&dev->devres_lock, flags);

	if (dr)
		return dr->data;
	return NULL;
}

/**
 * devres_get - find devres, if non-existent, add one atomically
 * @dev: the device
 * @new_res: a resource devres_alloc() made, of the release function sought
 * @match: NULL, or accepts the one wanted
 * @match_data: passed to @match
 *
 * Context: any.
 * Return: the matching resource already there (and @new_res is freed), or
 * @new_res, added.  NULL (WARN) for a NULL or uninitialised @dev, with
 * @new_res left to the caller.
 */
void *devres_get(struct device *dev, void *new_res,
		 dr_match_t match, void *match_data)
{
	struct devres *new_dr, *dr;
	unsigned long flags;

	if (WARN(!new_res, "devres_get: NULL resource") || !devres_dev_ok(dev, "devres_get"))
		return NULL;
	new_dr = container_of(new_res, struct devres, data);

	spin_lock_irqsave(&dev->devres_lock, flags);
	dr = find_dr(dev, new_dr->node.release, match, match_data);
	if (!dr) {
		if (!add_dr(dev, &new_dr->node)) {
			spin_unlock_irqrestore(&dev->devres_lock, flags);
			return NULL;
		}
		dr = new_dr;
		new_res = NULL;
	}
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	devres_free(new_res);

	return dr->data;
}

/**
 * devres_remove - find a device resource and remove it
 * @dev: the device
 * @release: its release function
 * @match: NULL, or accepts the one wanted
 * @match_data: passed to @match
 *
 * The newest match is taken off the list without being released or freed.
 *
 * Context: any.
 * Return: its data, or NULL if none matches.
 */
void *devres_remove(struct device *dev, dr_release_t release,
		    dr_match_t match, void *match_data)
{
	struct devres *dr;
	unsigned long flags;

	if (!devres_dev_ok(dev, "devres_remove"))
		return NULL;
	spin_lock_irqsave(&dev->devres_lock, flags);
	dr = find_dr(dev, release, match, match_data);
	if (dr)
		list_del_init(&dr->node.entry);
	spin_unlock_irqrestore(&dev->devres_lock, flags);

	if (dr)
		return dr->data;
	return NULL;
}

/**
 * devres_destroy - find a device resource and destroy it
 * @dev: the device
 * @release: its release function
 * @match: NULL, or accepts the one wanted
 * @match_data: passed to @match
 *
 * The newest match is removed and freed; its release function is NOT
 * called (devres_release() does that).
 *
 * Context: any.
 * Return: 0, or -ENOENT if none matches.
 */
int devres_destroy(struct device *dev, dr_release_t release,
		   dr_match_t match, void *match_data)
{
	void *res;

	res = devres_remove(dev, release, match, match_data);
	if (unlikely(!res))
		return -ENOENT;

	devres_free(res);
	return 0;
}

/**
 * devres_release - find a device resource and destroy it, calling release
 * @dev: the device
 * @release: its release function
 * @match: NULL, or accepts the one wanted
 * @match_data: passed to @match
 *
 * Context: as @release.
 * Return: 0, or -ENOENT if none matches.
 */
int devres_release(struct device *dev, dr_release_t release,
		   dr_match_t match, void *match_data)
{
	void *res;

	res = devres_remove(dev, release, match, match_data);
	if (unlikely(!res))
		return -ENOENT;

	(*release)(dev, res);
	devres_free(res);
	return 0;
}

/*
 * Move the resources of [@first, @end) to @todo, and the groups wholly inside
 * it (both markers, or the opening one of an open group).  Lock held.
 * Return: how many resources (not groups) were moved.
 */
static int remove_nodes(struct device *dev,
			struct list_head *first, struct list_head *end,
			struct list_head *todo)
{
	int cnt = 0, nr_groups = 0;
	struct list_head *cur;

	/*
	 * First pass - move normal devres entries to @todo and clear
	 * devres_group colors.
	 */
	cur = first;
	while (cur != end) {
		struct devres_node *node;
		struct devres_group *grp;

		node = list_entry(cur, struct devres_node, entry);
		cur = cur->next;

		grp = node_to_group(node);
		if (grp) {
			/* clear color of group markers in the first pass */
			grp->color = 0;
			nr_groups++;
		} else {
			/* regular devres entry */
			if (&node->entry == first)
				first = first->next;
			list_move_tail(&node->entry, todo);
			cnt++;
		}
	}

	if (!nr_groups)
		return cnt;

	/*
	 * Second pass - Scan groups and color them.  A group gets
	 * color value of two iff the group is wholly contained in
	 * [cur, end).  That is, for a closed group, both opening and
	 * closing markers should be in the range, while just the
	 * opening marker is enough for an open group.
	 */
	cur = first;
	while (cur != end) {
		struct devres_node *node;
		struct devres_group *grp;

		node = list_entry(cur, struct devres_node, entry);
		cur = cur->next;

		grp = node_to_group(node);
		/* The kernel BUG()s on these: the list is corrupt. */
		if (WARN(!grp || list_empty(&grp->node[0].entry),
			 "devres: '%s': group marker without its group", dev_name(dev)))
			continue;

		grp->color++;
		if (list_empty(&grp->node[1].entry))
			grp->color++;

		if (WARN(grp->color <= 0 || grp->color > 2,
			 "devres: '%s': group %p marked %d times", dev_name(dev), grp->id,
			 grp->color))
			continue;
		if (grp->color == 2) {
			/*
			 * No need to update cur or end.  The removed
			 * nodes are always before both.
			 */
			list_move_tail(&grp->node[0].entry, todo);
			list_del_init(&grp->node[1].entry);
		}
	}

	return cnt;
}

/* Release [@first, @end), newest first, and drop the lock taken with @flags. */
static int release_nodes(struct device *dev, struct list_head *first,
			 struct list_head *end, unsigned long flags)
{
	LIST_HEAD(todo);
	struct devres_node *node, *tmp;
	int cnt;

	cnt = remove_nodes(dev, first, end, &todo);

	spin_unlock_irqrestore(&dev->devres_lock, flags);

	/* Release, newest first; a group's opening marker frees the group. */
	devres_for_each_node_safe_reverse(node, tmp, &todo) {
		struct devres_group *grp = node_to_group(node);

		list_del_init(&node->entry);
		if (grp) {
			kfree(grp);
		} else {
			struct devres *dr = container_of(node, struct devres, node);

			node->release(dev, dr->data);
			kfree(dr);
		}
	}

	return cnt;
}

/**
 * devres_release_all - release all managed resources
 * @dev: the device
 *
 * The driver core calls this when a probe fails, after a driver's remove()
 * and when the device is released.
 *
 * Context: process context (release functions may sleep).
 * Return: how many resources were released; -ENODEV (WARN) for a NULL or
 * never-initialised device.
 */
int devres_release_all(struct device *dev)
{
	unsigned long flags;

	if (!devres_dev_ok(dev, "devres_release_all"))
		return -ENODEV;
	spin_lock_irqsave(&dev->devres_lock, flags);
	return release_nodes(dev, dev->devres_head.next, &dev->devres_head, flags);
}

/**
 * devres_open_group - open a new devres group
 * @dev: the device
 * @id: the group's id; NULL makes the group's own address its id
 * @gfp: allocation flags
 *
 * Context: as kmalloc() with @gfp.
 * Return: the group's id, or NULL on failure (IOSIM_FAULT_SLAB; a NULL or
 * uninitialised @dev WARNs).
 */
void *devres_open_group(struct device *dev, void *id, gfp_t gfp)
{
	struct devres_group *grp;
	unsigned long flags;

	if (!devres_dev_ok(dev, "devres_open_group"))
		return NULL;
	grp = kmalloc(sizeof(*grp), gfp);
	if (unlikely(!grp))
		return NULL;

	grp->node[0].release = &group_open_release;
	grp->node[1].release = &group_close_release;
	INIT_LIST_HEAD(&grp->node[0].entry);
	INIT_LIST_HEAD(&grp->node[1].entry);
	grp->id = grp;
	if (id)
		grp->id = id;
	grp->color = 0;

	spin_lock_irqsave(&dev->devres_lock, flags);
	add_dr(dev, &grp->node[0]);
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	return grp->id;
}

/* The group of @id, or (NULL) the newest open one.  Lock held. */
static struct devres_group *find_group(struct device *dev, void *id)
{
	struct devres_node *node;

	list_for_each_entry_reverse(node, &dev->devres_head, entry) {
		struct devres_group *grp;

		if (node->release != &group_open_release)
			continue;

		grp = container_of(node, struct devres_group, node[0]);

		if (id) {
			if (grp->id == id)
				return grp;
		} else if (list_empty(&grp->node[1].entry)) {
			return grp;
		}
	}

	return NULL;
}

/**
 * devres_close_group - close a devres group
 * @dev: the device
 * @id: the group's id, or NULL for the newest open group
 *
 * Resources added from now on are not in the group.
 *
 * Context: any.  No such group WARNs (as the kernel's WARN_ON(1)); closing
 * a closed group WARNs (the kernel BUG()s) and changes nothing.
 */
void devres_close_group(struct device *dev, void *id)
{
	struct devres_group *grp;
	unsigned long flags;

	if (!devres_dev_ok(dev, "devres_close_group"))
		return;
	spin_lock_irqsave(&dev->devres_lock, flags);

	grp = find_group(dev, id);
	if (grp)
		add_dr(dev, &grp->node[1]);
	else
		WARN(1, "devres_close_group: '%s' has no group %p", dev_name(dev), id);

	spin_unlock_irqrestore(&dev->devres_lock, flags);
}

/**
 * devres_remove_group - remove a devres group, keeping its resources
 * @dev: the device
 * @id: the group's id, or NULL for the newest open group
 *
 * The markers go; the resources of the group stay, now outside any group.
 *
 * Context: any.  No such group WARNs (as in the kernel).
 */
void devres_remove_group(struct device *dev, void *id)
{
	struct devres_group *grp;
	unsigned long flags;

	if (!devres_dev_ok(dev, "devres_remove_group"))
		return;
	spin_lock_irqsave(&dev->devres_lock, flags);

	grp = find_group(dev, id);
	if (grp) {
		list_del_init(&grp->node[0].entry);
		list_del_init(&grp->node[1].entry);
	} else {
		WARN(1, "devres_remove_group: '%s' has no group %p", dev_name(dev), id);
	}

	spin_unlock_irqrestore(&dev->devres_lock, flags);

	kfree(grp);
}

/**
 * devres_release_group - release the resources of a devres group
 * @dev: the device
 * @id: the group's id, or NULL for the newest open group
 *
 * Releases the group's resources (and groups nested in it) newest first,
 * and the group.  For an open group, everything added since it was opened.
 *
 * Context: process context (release functions may sleep).
 * Return: how many resources were released; 0 if there is no such group
 * (WARN, as in the kernel).
 */
int devres_release_group(struct device *dev, void *id)
{
	struct devres_group *grp;
	unsigned long flags;
	int cnt = 0;

	if (!devres_dev_ok(dev, "devres_release_group"))
		return 0;
	spin_lock_irqsave(&dev->devres_lock, flags);

	grp = find_group(dev, id);
	if (grp) {
		struct list_head *first = &grp->node[0].entry;
		struct list_head *end = &dev->devres_head;

		if (!list_empty(&grp->node[1].entry))
			end = grp->node[1].entry.next;

		cnt = release_nodes(dev, first, end, flags);
	} else {
		WARN(1, "devres_release_group: '%s' has no group %p", dev_name(dev), id);
		spin_unlock_irqrestore(&dev->devres_lock, flags);
	}

	return cnt;
}

/*
 * Managed kmalloc/kfree
 */
static void devm_kmalloc_release(struct device *dev, void *res)
{
	/* noop */
	(void)dev;
	(void)res;
}

static int devm_kmalloc_match(struct device *dev, void *res, void *data)
{
	(void)dev;
	return res == data;
}

/**
 * devm_kmalloc - resource-managed kmalloc
 * @dev: the device to allocate memory for
 * @size: bytes
 * @gfp: allocation flags (__GFP_ZERO zeroes)
 *
 * The memory is freed when the driver is detached.  It starts 24 bytes into
 * a kmalloc object: 8-byte aligned, as in the kernel of 2015.
 *
 * Context: as kmalloc() with @gfp.
 * Return: the memory, or NULL on failure (IOSIM_FAULT_SLAB; a NULL or
 * uninitialised @dev WARNs).
 */
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	struct devres *dr;
	unsigned long flags;

	if (!devres_dev_ok(dev, "devm_kmalloc"))
		return NULL;
	/* use raw alloc_dr for kmalloc caller tracing */
	dr = alloc_dr(devm_kmalloc_release, size, gfp);
	if (unlikely(!dr))
		return NULL;

	spin_lock_irqsave(&dev->devres_lock, flags);
	add_dr(dev, &dr->node);
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	return dr->data;
}

/**
 * devm_kstrdup - allocate resource managed space and copy an existing string
 * @dev: the device to allocate memory for
 * @s: the string to duplicate (NULL gives NULL)
 * @gfp: allocation flags
 *
 * Context: as kmalloc() with @gfp.
 * Return: the copy, or NULL on failure.
 */
char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp)
{
	size_t size;
	char *buf;

	if (!s)
		return NULL;

	size = strlen(s) + 1;
	buf = devm_kmalloc(dev, size, gfp);
	if (buf)
		memcpy(buf, s, size);
	return buf;
}

/**
 * devm_kvasprintf - allocate resource managed space and format a string into it
 * @dev: the device to allocate memory for
 * @gfp: allocation flags
 * @fmt: the printf()-style format
 * @ap: its arguments
 *
 * Context: as kmalloc() with @gfp.
 * Return: the string, or NULL on failure.
 */
char *devm_kvasprintf(struct device *dev, gfp_t gfp, const char *fmt, va_list ap)
{
	unsigned int len;
	va_list aq;
	char *p;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (WARN(n < 0, "devm_kvasprintf: bad format '%s'", fmt))
		return NULL;
	len = (unsigned int)n;

	p = devm_kmalloc(dev, len + 1, gfp);
	if (!p)
		return NULL;

	vsnprintf(p, len + 1, fmt, ap);

	return p;
}

/**
 * devm_kasprintf - allocate resource managed space and format a string into it
 * @dev: the device to allocate memory for
 * @gfp: allocation flags
 * @fmt: the printf()-style format
 * @...: its arguments
 *
 * Context: as kmalloc() with @gfp.
 * Return: the string, or NULL on failure.
 */
char *devm_kasprintf(struct device *dev, gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = devm_kvasprintf(dev, gfp, fmt, ap);
	va_end(ap);

	return p;
}

/**
 * devm_kfree - resource-managed kfree
 * @dev: the device this memory belongs to
 * @p: what devm_kmalloc() (and the calls built on it) returned for @dev
 *
 * Context: any.  A @p that is not such memory of @dev WARNs (as the
 * kernel's WARN_ON) and nothing is freed.
 */
void devm_kfree(struct device *dev, void *p)
{
	int rc;

	rc = devres_destroy(dev, devm_kmalloc_release, devm_kmalloc_match, p);
	WARN(rc, "devm_kfree: %p is not devm_kmalloc() memory of '%s'", p, dev_name(dev));
}

/*
 * Managed actions
 */
struct action_devres {
	void *data;
	void (*action)(void *);
};

static int devm_action_match(struct device *dev, void *res, void *p)
{
	struct action_devres *devres = res;
	struct action_devres *target = p;

	(void)dev;
	return devres->action == target->action &&
	       devres->data == target->data;
}

static void devm_action_release(struct device *dev, void *res)
{
	struct action_devres *devres = res;

	(void)dev;
	devres->action(devres->data);
}

/**
 * devm_add_action - add a custom action to the list of managed resources
 * @dev: the device that owns the action
 * @action: the function to call (with @data) when the driver is detached
 * @data: its argument
 *
 * On failure @action is not called: the caller undoes what it did.
 *
 * Context: process context.
 * Return: 0, or -ENOMEM (IOSIM_FAULT_SLAB); -EINVAL (WARN) for a NULL
 * @action or a NULL or uninitialised @dev.
 */
int devm_add_action(struct device *dev, void (*action)(void *), void *data)
{
	struct action_devres *devres;

	if (WARN(!action, "devm_add_action: NULL action") ||
	    !devres_dev_ok(dev, "devm_add_action"))
		return -EINVAL;
	devres = devres_alloc(devm_action_release,
			      sizeof(struct action_devres), GFP_KERNEL);
	if (!devres)
		return -ENOMEM;

	devres->data = data;
	devres->action = action;

	devres_add(dev, devres);
	return 0;
}

/**
 * devm_remove_action - remove a previously added custom action
 * @dev: the device that owns the action
 * @action: the function added with devm_add_action()
 * @data: the argument it was added with
 *
 * The newest such action is forgotten without being called.
 *
 * Context: any.  No such action WARNs (as the kernel's WARN_ON).
 */
void devm_remove_action(struct device *dev, void (*action)(void *), void *data)
{
	struct action_devres devres = {
		.data = data,
		.action = action,
	};

	WARN(devres_destroy(dev, devm_action_release, devm_action_match, &devres),
	     "devm_remove_action: '%s' has no action %p(%p)", dev_name(dev),
	     (void *)(uintptr_t)action, data);
}

/*
 * Is @grp's opening marker on @dev's list before @stop?  Lock held; the
 * list's links up to @stop have been checked.
 */
static bool group_opened_before(struct device *dev, struct devres_group *grp,
				struct list_head *stop)
{
	struct list_head *pos;

	for (pos = dev->devres_head.next; pos != stop; pos = pos->next)
		if (pos == &grp->node[0].entry)
			return true;
	return false;
}

/**
 * iosim_devres_check - the sanity checker of a device's managed resources
 * @dev: an initialised device
 *
 * Context: any; takes @dev->devres_lock.
 * Return: 0 if consistent; -EUCLEAN after a WARN naming the first problem.
 */
int iosim_devres_check(struct device *dev)
{
	struct list_head *pos, *prev;
	unsigned long flags;
	int ret = 0;

	if (WARN(!dev, "devres check: NULL device"))
		return -EUCLEAN;
	if (WARN(!dev->devres_head.next || !dev->devres_head.prev,
		 "devres check: '%s': resource list not initialized", dev_name(dev)))
		return -EUCLEAN;

	spin_lock_irqsave(&dev->devres_lock, flags);
	/*
	 * Every node's next points back at it: then the walk cannot run in a
	 * circle that misses the head, so it ends.
	 */
	for (prev = &dev->devres_head, pos = prev->next; pos != &dev->devres_head;
	     prev = pos, pos = pos->next) {
		struct devres_node *node = list_entry(pos, struct devres_node, entry);
		struct devres_group *grp;

		if (WARN(!pos || pos->prev != prev,
			 "devres check: '%s': resource %p does not link back to %p",
			 dev_name(dev), (void *)pos, (void *)prev)) {
			ret = -EUCLEAN;
			break;
		}
		if (WARN(!node->release, "devres check: '%s': resource %p has no release function",
			 dev_name(dev), (void *)node)) {
			ret = -EUCLEAN;
			break;
		}
		grp = node_to_group(node);
		if (grp && node == &grp->node[1] &&
		    WARN(!group_opened_before(dev, grp, pos),
			 "devres check: '%s': group %p closed before it was opened",
			 dev_name(dev), grp->id)) {
			ret = -EUCLEAN;
			break;
		}
	}
	if (!ret && WARN(dev->devres_head.prev != prev,
			 "devres check: '%s': the list's last resource is %p, its head says %p",
			 dev_name(dev), (void *)prev, (void *)dev->devres_head.prev))
		ret = -EUCLEAN;
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	return ret;
}

/**
 * iosim_devres_count - how many managed resources a device holds
 * @dev: the device
 *
 * Context: any; takes @dev->devres_lock.
 * Return: the resources on @dev's list, group markers not counted; 0 for a
 * NULL device or one whose list was never initialised.
 */
size_t iosim_devres_count(struct device *dev)
{
	struct devres_node *node;
	unsigned long flags;
	size_t n = 0;

	if (!dev || !dev->devres_head.next)
		return 0;
	spin_lock_irqsave(&dev->devres_lock, flags);
	list_for_each_entry(node, &dev->devres_head, entry)
		if (!node_to_group(node))
			n++;
	spin_unlock_irqrestore(&dev->devres_lock, flags);
	return n;
}
