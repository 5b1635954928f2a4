// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Blocking notifier chains (kernel/notifier.c of 2015): a singly linked list
 * of notifier_blocks kept in descending priority order, walked under the
 * chain's read lock and changed under its write lock.
 *
 * Differences from the kernel, all on misuse only: registering a block twice
 * or with no callback WARNs and is refused (the kernel would corrupt or crash
 * later); unregistering an unknown block WARNs as well as returning -ENOENT;
 * changing a chain from one of its own callbacks (a self-deadlock in the
 * kernel) WARNs and returns -EDEADLK instead of hanging the test.
 */
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <iosim/device.h>

/* The release callback of a chain's rwsem left held by a failed test. */
static void notifier_rwsem_release(void *lock)
{
	pthread_rwlock_unlock(lock);
}

/*
 * The chains this thread is walking, innermost last, so that a register or
 * unregister from inside a callback of the same chain is caught before it
 * blocks on the write lock forever.  Deeper nesting than this is not tracked
 * (it would only lose the diagnostic, never correctness).
 */
#define NOTIFIER_WALK_DEPTH	16
static __thread const struct blocking_notifier_head *walking[NOTIFIER_WALK_DEPTH];
static __thread unsigned int nr_walking;

/*
 * The release callback of a chain left mid-walk by a failed test: it is no
 * longer being walked (innermost walks go first), and its rwsem is unlocked.
 */
static void notifier_walk_release(void *lock)
{
	if (nr_walking)
		nr_walking--;
	pthread_rwlock_unlock(lock);
}

static bool chain_walked_by_this_thread(const struct blocking_notifier_head *nh)
{
	unsigned int i;

	for (i = 0; i < min_t(unsigned int, nr_walking, NOTIFIER_WALK_DEPTH); i++)
		if (walking[i] == nh)
			return true;
	return false;
}

/* Link @n in after every block of higher or equal priority. */
static int notifier_chain_register(struct notifier_block **nl, struct notifier_block *n)
{
	struct notifier_block **pos;

	for (pos = nl; *pos; pos = &(*pos)->next)
		if (WARN(*pos == n, "notifier_chain_register: block %p is already registered",
			 n))
			return -EEXIST;

	while (*nl && n->priority <= (*nl)->priority)
		nl = &(*nl)->next;
	n->next = *nl;
	/* Release: an unlocked emptiness check in the walk may read the head. */
	__atomic_store_n(nl, n, __ATOMIC_RELEASE);
	return 0;
}

static int notifier_chain_unregister(struct notifier_block **nl, struct notifier_block *n)
{
	for (; *nl; nl = &(*nl)->next) {
		if (*nl == n) {
			__atomic_store_n(nl, n->next, __ATOMIC_RELEASE);
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * Call @nr_to_call blocks (-1: all) from @nl on; the next pointer is read
 * before each call, as in the kernel, so a callback may not free its block
 * but the walk does not depend on what the callback does to it afterwards.
 */
static int notifier_call_chain(struct notifier_block *nl, unsigned long val, void *v,
			       int nr_to_call, int *nr_calls)
{
	struct notifier_block *nb = nl, *next_nb;
	int ret = NOTIFY_DONE;

	while (nb && nr_to_call) {
		next_nb = nb->next;
		ret = nb->notifier_call(nb, val, v);
		if (nr_calls)
			(*nr_calls)++;
		if (ret & NOTIFY_STOP_MASK)
			break;
		nb = next_nb;
		nr_to_call--;
	}
	return ret;
}

/**
 * blocking_notifier_chain_register - add a block to a blocking notifier chain
 * @nh: the chain
 * @n: the block; its notifier_call must be set
 *
 * The block goes after every block of higher or equal priority, so equal
 * priorities run in registration order.
 *
 * Context: process context; takes the chain's write lock.
 * Return: 0 when linked in; -EINVAL (WARN) for a NULL @nh, @n or callback;
 * -EEXIST (WARN) if @n is already on @nh; -EDEADLK (WARN) when called from a
 * callback of @nh.  The chain is unchanged on every error.
 */
int blocking_notifier_chain_register(struct blocking_notifier_head *nh,
				     struct notifier_block *n)
{
	int ret;

	if (WARN(!nh || !n || !n->notifier_call,
		 "blocking_notifier_chain_register: NULL chain, block or callback"))
		return -EINVAL;
	if (WARN(chain_walked_by_this_thread(nh),
		 "blocking_notifier_chain_register: called from a callback of the same chain"))
		return -EDEADLK;

	pthread_rwlock_wrlock(&nh->rwsem);
	iosim_lock_held(&nh->rwsem, notifier_rwsem_release);
	ret = notifier_chain_register(&nh->head, n);
	iosim_lock_dropped(&nh->rwsem);
	pthread_rwlock_unlock(&nh->rwsem);
	return ret;
}

/**
 * blocking_notifier_chain_unregister - remove a block from a blocking notifier chain
 * @nh: the chain
 * @n: the block
 *
 * Context: process context; takes the chain's write lock, so no walk of @nh
 * is in progress when this returns and @n may be freed.
 * Return: 0 when unlinked; -ENOENT (WARN) if @n is not on @nh; -EINVAL (WARN)
 * for NULL arguments; -EDEADLK (WARN) when called from a callback of @nh.
 * The chain is unchanged on every error.
 */
int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh,
				       struct notifier_block *n)
{
	int ret;

	if (WARN(!nh || !n, "blocking_notifier_chain_unregister: NULL chain or block"))
		return -EINVAL;
	if (WARN(chain_walked_by_this_thread(nh),
		 "blocking_notifier_chain_unregister: called from a callback of the same chain"))
		return -EDEADLK;

	pthread_rwlock_wrlock(&nh->rwsem);
	iosim_lock_held(&nh->rwsem, notifier_rwsem_release);
	ret = notifier_chain_unregister(&nh->head, n);
	iosim_lock_dropped(&nh->rwsem);
	pthread_rwlock_unlock(&nh->rwsem);
	WARN(ret == -ENOENT, "blocking_notifier_chain_unregister: block %p is not registered", n);
	return ret;
}

/**
 * __blocking_notifier_call_chain - call some of the blocks of a chain
 * @nh: the chain
 * @val: passed unchanged to each callback (the action)
 * @v: passed unchanged to each callback (the data)
 * @nr_to_call: how many blocks to call at most; -1 for all
 * @nr_calls: if not NULL, incremented once per callback made
 *
 * Blocks are called in priority order until one returns a value with
 * NOTIFY_STOP_MASK set.
 *
 * Context: process context; callbacks run under the chain's read lock, so
 * they may walk other chains or this one again, but not change this one.
 * Return: the last callback's return value, NOTIFY_DONE if none ran (also
 * for a NULL @nh, after a WARN).
 */
int __blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val,
				   void *v, int nr_to_call, int *nr_calls)
{
	int ret;

	if (WARN(!nh, "blocking_notifier_call_chain: NULL chain"))
		return NOTIFY_DONE;
	/* As the kernel: an empty chain is not locked at all. */
	if (!__atomic_load_n(&nh->head, __ATOMIC_ACQUIRE))
		return NOTIFY_DONE;

	pthread_rwlock_rdlock(&nh->rwsem);
	iosim_lock_held(&nh->rwsem, notifier_walk_release);
	if (nr_walking < NOTIFIER_WALK_DEPTH)
		walking[nr_walking] = nh;
	nr_walking++;
	ret = notifier_call_chain(nh->head, val, v, nr_to_call, nr_calls);
	nr_walking--;
	iosim_lock_dropped(&nh->rwsem);
	pthread_rwlock_unlock(&nh->rwsem);
	return ret;
}

/**
 * blocking_notifier_call_chain - call every block of a chain
 * @nh: the chain
 * @val: the action, passed to each callback
 * @v: the data, passed to each callback
 *
 * Context: as __blocking_notifier_call_chain().
 * Return: the last callback's return value; NOTIFY_DONE if none ran.
 */
int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val, void *v)
{
	return __blocking_notifier_call_chain(nh, val, v, -1, NULL);
}

/**
 * iosim_notifier_chain_check - verify a chain's shape
 * @nh: the chain
 *
 * Checks that the chain ends (no cycle), that every block has a callback and
 * that priorities never increase along it.
 *
 * Context: takes the chain's read lock; do not call it from a callback that
 * another thread's writer may be waiting behind.
 * Return: 0 if consistent; -EUCLEAN after a WARN naming the first problem.
 */
int iosim_notifier_chain_check(struct blocking_notifier_head *nh)
{
	struct notifier_block *slow, *fast, *nb;
	int ret = 0;

	if (WARN(!nh, "iosim_notifier_chain_check: NULL chain"))
		return -EUCLEAN;

	pthread_rwlock_rdlock(&nh->rwsem);
	iosim_lock_held(&nh->rwsem, notifier_rwsem_release);
	/* Floyd's cycle finding first: the other checks walk to the end. */
	slow = fast = nh->head;
	while (fast && fast->next) {
		slow = slow->next;
		fast = fast->next->next;
		if (slow == fast) {
			WARN(1, "notifier chain %p: cycle through block %p", nh, slow);
			ret = -EUCLEAN;
			goto out_unlock;
		}
	}
	for (nb = nh->head; nb; nb = nb->next) {
		if (!nb->notifier_call) {
			WARN(1, "notifier chain %p: block %p has no callback", nh, nb);
			ret = -EUCLEAN;
			break;
		}
		if (nb->next && nb->next->priority > nb->priority) {
			WARN(1, "notifier chain %p: priority %d after %d", nh,
			     nb->next->priority, nb->priority);
			ret = -EUCLEAN;
			break;
		}
	}
out_unlock:
	iosim_lock_dropped(&nh->rwsem);
	pthread_rwlock_unlock(&nh->rwsem);
	return ret;
}
