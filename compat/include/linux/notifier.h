/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/notifier.h - faithful re-implementation of blocking notifier chains
 * (priority ordered, highest first; NOTIFY_STOP_MASK ends the walk).  The
 * chain's rwsem is a pthread rwlock.
 */
#ifndef _IOSIM_LINUX_NOTIFIER_H
#define _IOSIM_LINUX_NOTIFIER_H

#include <pthread.h>
#include <linux/types.h>

struct notifier_block;

typedef int (*notifier_fn_t)(struct notifier_block *nb, unsigned long action, void *data);

struct notifier_block {
	notifier_fn_t notifier_call;
	struct notifier_block *next;
	int priority;
};

struct blocking_notifier_head {
	pthread_rwlock_t rwsem;
	struct notifier_block *head;
};

#define BLOCKING_NOTIFIER_INIT(name) { PTHREAD_RWLOCK_INITIALIZER, NULL }
#define BLOCKING_NOTIFIER_HEAD(name) \
	struct blocking_notifier_head name = BLOCKING_NOTIFIER_INIT(name)
#define BLOCKING_INIT_NOTIFIER_HEAD(name) do {			\
	pthread_rwlock_init(&(name)->rwsem, NULL);		\
	(name)->head = NULL;					\
} while (0)

#define NOTIFY_DONE		0x0000
#define NOTIFY_OK		0x0001
#define NOTIFY_STOP_MASK	0x8000
#define NOTIFY_BAD		(NOTIFY_STOP_MASK | 0x0002)
#define NOTIFY_STOP		(NOTIFY_OK | NOTIFY_STOP_MASK)

/**
 * blocking_notifier_chain_register - add @nb to @nh in priority order
 * (higher first; equal priorities keep registration order).
 * Context: may sleep; not from a callback of @nh.
 * Return: 0; misuse WARNs and leaves the chain unchanged: -EEXIST (already
 * registered), -EINVAL (NULL chain, block or callback), -EDEADLK (called from
 * a callback of @nh, which would deadlock in the kernel).
 */
int blocking_notifier_chain_register(struct blocking_notifier_head *nh,
				     struct notifier_block *nb);

/**
 * blocking_notifier_chain_unregister - remove @nb from @nh
 * Return: 0; -ENOENT (WARN) if absent; -EINVAL / -EDEADLK (WARN) as register.
 */
int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh,
				       struct notifier_block *nb);

/**
 * __blocking_notifier_call_chain - call at most @nr_to_call blocks (-1: all),
 * counting the calls made in *@nr_calls when it is not NULL.
 * Return: the last callback's return value (NOTIFY_DONE if none ran).
 */
int __blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val,
				   void *v, int nr_to_call, int *nr_calls);

/**
 * blocking_notifier_call_chain - call every block with @val and @v, in
 * priority order, until one returns a value with NOTIFY_STOP_MASK set.
 * Return: the last callback's return value (NOTIFY_DONE if none ran).
 */
int blocking_notifier_call_chain(struct blocking_notifier_head *nh,
				 unsigned long val, void *v);

static inline int notifier_from_errno(int err)
{
	if (err)
		return NOTIFY_STOP_MASK | (NOTIFY_OK - err);
	return NOTIFY_OK;
}

static inline int notifier_to_errno(int ret)
{
	ret &= ~NOTIFY_STOP_MASK;
	return ret > NOTIFY_OK ? NOTIFY_OK - ret : 0;
}

#endif /* _IOSIM_LINUX_NOTIFIER_H */
