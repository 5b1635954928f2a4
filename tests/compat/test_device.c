// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The device model: blocking notifier chains, buses and their notifiers,
 * struct device life cycle, drivers (matching, probing, binding), the DMA
 * limit helpers and attributes, and simulated devices
 * (iosim_device_create/destroy).
 */
#include "iosim_test.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <linux/kernel.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/notifier.h>
#include <linux/platform_device.h>
#include <iosim/device.h>
#include <iosim/fault.h>
#include <iosim/live.h>
#include <iosim/log.h>

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

/* A notifier block that logs its id into a shared call log. */
struct logging_nb {
	struct notifier_block nb;
	int id;
	int ret;			/* what the callback returns */
	unsigned long last_action;
	void *last_data;
};

#define CALL_LOG_MAX	32
static int call_log[CALL_LOG_MAX];
static int nr_calls_logged;

static void call_log_reset(void)
{
	nr_calls_logged = 0;
	memset(call_log, 0, sizeof(call_log));
}

static int logging_cb(struct notifier_block *nb, unsigned long action, void *data)
{
	struct logging_nb *l = container_of(nb, struct logging_nb, nb);

	if (nr_calls_logged < CALL_LOG_MAX)
		call_log[nr_calls_logged] = l->id;
	nr_calls_logged++;
	l->last_action = action;
	l->last_data = data;
	return l->ret;
}

static void logging_nb_init(struct logging_nb *l, int id, int priority, int ret)
{
	memset(l, 0, sizeof(*l));
	l->nb.notifier_call = logging_cb;
	l->nb.priority = priority;
	l->id = id;
	l->ret = ret;
}

static void assert_call_log(const int *expected, int nr)
{
	int i;

	assert_int_equal(nr_calls_logged, nr);
	for (i = 0; i < nr; i++)
		assert_int_equal(call_log[i], expected[i]);
}

/* A bus of the tests' own, registered and unregistered by each test using it. */
static struct bus_type test_bus = { .name = "testbus" };
static struct bus_type other_bus = { .name = "otherbus" };

static void register_bus(struct bus_type *bus)
{
	assert_false(bus->iosim_registered);
	assert_int_equal(bus_register(bus), 0);
	assert_int_equal(iosim_bus_check(bus), 0);
}

static void unregister_bus(struct bus_type *bus)
{
	assert_int_equal(iosim_bus_check(bus), 0);
	bus_unregister(bus);
	assert_false(bus->iosim_registered);
}

static int find_dev_fn(struct device *dev, void *data)
{
	return dev == data;
}

/* Walks @bus, so it also proves no list lock is held by the caller. */
static bool dev_on_bus(struct bus_type *bus, struct device *dev)
{
	return bus_for_each_dev(bus, NULL, dev, find_dev_fn) == 1;
}

static int count_fn(struct device *dev, void *data)
{
	(*(int *)data)++;
	return 0;
}

static int bus_nr_devices(struct bus_type *bus)
{
	int n = 0;

	assert_int_equal(bus_for_each_dev(bus, NULL, &n, count_fn), 0);
	return n;
}

/* A bus notifier that records each event and whether the device was listed. */
#define MAX_EVENTS	32
struct bus_event {
	unsigned long action;
	struct device *dev;
	bool on_list;
	bool added_flag;
};

struct recorder {
	struct notifier_block nb;
	struct bus_type *bus;
	int nr;
	struct bus_event ev[MAX_EVENTS];
};

static int record_bus_event(struct notifier_block *nb, unsigned long action, void *data)
{
	struct recorder *r = container_of(nb, struct recorder, nb);
	struct device *dev = data;

	if (r->nr < MAX_EVENTS) {
		r->ev[r->nr].action = action;
		r->ev[r->nr].dev = dev;
		r->ev[r->nr].on_list = dev_on_bus(r->bus, dev);
		r->ev[r->nr].added_flag = dev->iosim_added;
	}
	r->nr++;
	return NOTIFY_OK;
}

static void recorder_start(struct recorder *r, struct bus_type *bus)
{
	memset(r, 0, sizeof(*r));
	r->nb.notifier_call = record_bus_event;
	r->bus = bus;
	assert_int_equal(bus_register_notifier(bus, &r->nb), 0);
}

static void recorder_stop(struct recorder *r)
{
	assert_int_equal(bus_unregister_notifier(r->bus, &r->nb), 0);
}

static void assert_event(const struct recorder *r, int i, unsigned long action,
			 const struct device *dev, bool on_list)
{
	assert_true(i < r->nr);
	assert_int_equal(r->ev[i].action, action);
	assert_ptr_equal(r->ev[i].dev, dev);
	assert_int_equal(r->ev[i].on_list, on_list);
}

/* A caller-embedded device whose release is counted. */
struct counted_device {
	struct device dev;
	int released;
};

static void counted_release(struct device *dev)
{
	container_of(dev, struct counted_device, dev)->released++;
}

static void counted_init(struct counted_device *cd, struct bus_type *bus, const char *name)
{
	memset(cd, 0, sizeof(*cd));
	cd->dev.bus = bus;
	cd->dev.init_name = name;
	cd->dev.release = counted_release;
}

static int refs(const struct device *dev)
{
	return atomic_read(&dev->iosim_refcount);
}

static struct device *create_on(struct bus_type *bus, const char *name)
{
	struct iosim_device_config cfg = { .name = name, .bus = bus };
	struct device *dev = iosim_device_create(&cfg);

	assert_non_null(dev);
	assert_int_equal(iosim_device_check(dev), 0);
	return dev;
}

/* ------------------------------------------------------------------------ */
/* Notifier chains                                                           */
/* ------------------------------------------------------------------------ */

static void test_notifier_calls_higher_priority_first(void **state)
{
	BLOCKING_NOTIFIER_HEAD(chain);
	struct logging_nb low, mid, high;
	const int expected[] = { 3, 2, 1 };

	(void)state;
	call_log_reset();
	logging_nb_init(&low, 1, -5, NOTIFY_OK);
	logging_nb_init(&mid, 2, 0, NOTIFY_OK);
	logging_nb_init(&high, 3, 10, NOTIFY_OK);
	assert_int_equal(blocking_notifier_chain_register(&chain, &mid.nb), 0);
	assert_int_equal(blocking_notifier_chain_register(&chain, &low.nb), 0);
	assert_int_equal(blocking_notifier_chain_register(&chain, &high.nb), 0);
	assert_int_equal(iosim_notifier_chain_check(&chain), 0);

	assert_int_equal(blocking_notifier_call_chain(&chain, 7, NULL), NOTIFY_OK);
	assert_call_log(expected, 3);

	assert_int_equal(blocking_notifier_chain_unregister(&chain, &low.nb), 0);
	assert_int_equal(blocking_notifier_chain_unregister(&chain, &mid.nb), 0);
	assert_int_equal(blocking_notifier_chain_unregister(&chain, &high.nb), 0);
	assert_null(chain.head);
}

static void test_notifier_equal_priority_runs_in_registration_order(void **state)
{
	BLOCKING_NOTIFIER_HEAD(chain);
	struct logging_nb a, b, c, top;
	const int expected[] = { 9, 1, 2, 3 };

	(void)state;
	call_log_reset();
	logging_nb_init(&a, 1, 0, NOTIFY_DONE);
	logging_nb_init(&b, 2, 0, NOTIFY_DONE);
	logging_nb_init(&c, 3, 0, NOTIFY_DONE);
	logging_nb_init(&top, 9, 1, NOTIFY_DONE);
	blocking_notifier_chain_register(&chain, &a.nb);
	blocking_notifier_chain_register(&chain, &b.nb);
	blocking_notifier_chain_register(&chain, &top.nb);
	blocking_notifier_chain_register(&chain, &c.nb);
	assert_int_equal(iosim_notifier_chain_check(&chain), 0);

	blocking_notifier_call_chain(&chain, 0, NULL);
	assert_call_log(expected, 4);

	blocking_notifier_chain_unregister(&chain, &a.nb);
	blocking_notifier_chain_unregister(&chain, &b.nb);
	blocking_notifier_chain_unregister(&chain, &c.nb);
	blocking_notifier_chain_unregister(&chain, &top.nb);
}

static void test_notifier_stop_mask_ends_the_walk_and_is_returned(void **state)
{
	BLOCKING_NOTIFIER_HEAD(chain);
	struct logging_nb first, stopper, never;
	const int expected[] = { 1, 2 };

	(void)state;
	call_log_reset();
	logging_nb_init(&first, 1, 3, NOTIFY_OK);
	logging_nb_init(&stopper, 2, 2, NOTIFY_STOP);
	logging_nb_init(&never, 3, 1, NOTIFY_OK);
	blocking_notifier_chain_register(&chain, &first.nb);
	blocking_notifier_chain_register(&chain, &stopper.nb);
	blocking_notifier_chain_register(&chain, &never.nb);

	assert_int_equal(blocking_notifier_call_chain(&chain, 1, NULL), NOTIFY_STOP);
	assert_call_log(expected, 2);

	/* NOTIFY_BAD carries the stop bit too. */
	call_log_reset();
	stopper.ret = NOTIFY_BAD;
	assert_int_equal(blocking_notifier_call_chain(&chain, 1, NULL), NOTIFY_BAD);
	assert_call_log(expected, 2);

	/* An errno converted with notifier_from_errno() stops the walk as well. */
	call_log_reset();
	stopper.ret = notifier_from_errno(-ENODEV);
	assert_int_equal(notifier_to_errno(blocking_notifier_call_chain(&chain, 1, NULL)),
			 -ENODEV);
	assert_call_log(expected, 2);

	blocking_notifier_chain_unregister(&chain, &first.nb);
	blocking_notifier_chain_unregister(&chain, &stopper.nb);
	blocking_notifier_chain_unregister(&chain, &never.nb);
}

static void test_notifier_returns_the_last_callback_value(void **state)
{
	BLOCKING_NOTIFIER_HEAD(chain);
	struct logging_nb ok, done;

	(void)state;
	call_log_reset();
	/* The empty chain calls nothing and returns NOTIFY_DONE. */
	assert_int_equal(blocking_notifier_call_chain(&chain, 1, NULL), NOTIFY_DONE);
	assert_int_equal(nr_calls_logged, 0);

	logging_nb_init(&ok, 1, 1, NOTIFY_OK);
	logging_nb_init(&done, 2, 0, NOTIFY_DONE);
	blocking_notifier_chain_register(&chain, &ok.nb);
	blocking_notifier_chain_register(&chain, &done.nb);
	/* The last one's value, not an aggregate of all. */
	assert_int_equal(blocking_notifier_call_chain(&chain, 1, NULL), NOTIFY_DONE);
	done.ret = 0x0042;
	assert_int_equal(blocking_notifier_call_chain(&chain, 1, NULL), 0x0042);

	blocking_notifier_chain_unregister(&chain, &ok.nb);
	blocking_notifier_chain_unregister(&chain, &done.nb);
}

static void test_notifier_passes_action_and_data_unchanged(void **state)
{
	BLOCKING_NOTIFIER_HEAD(chain);
	struct logging_nb a;
	int payload;

	(void)state;
	call_log_reset();
	logging_nb_init(&a, 1, 0, NOTIFY_OK);
	blocking_notifier_chain_register(&chain, &a.nb);
	blocking_notifier_call_chain(&chain, 0xdeadUL, &payload);
	assert_int_equal(a.last_action, 0xdeadUL);
	assert_ptr_equal(a.last_data, &payload);
	blocking_notifier_chain_unregister(&chain, &a.nb);
}

static void test_notifier_nr_to_call_limits_and_counts_calls(void **state)
{
	BLOCKING_NOTIFIER_HEAD(chain);
	struct logging_nb a, b, c;
	const int expected[] = { 1, 2 };
	int nr_calls = 0;

	(void)state;
	call_log_reset();
	logging_nb_init(&a, 1, 3, NOTIFY_OK);
	logging_nb_init(&b, 2, 2, NOTIFY_OK);
	logging_nb_init(&c, 3, 1, NOTIFY_OK);
	blocking_notifier_chain_register(&chain, &a.nb);
	blocking_notifier_chain_register(&chain, &b.nb);
	blocking_notifier_chain_register(&chain, &c.nb);

	assert_int_equal(__blocking_notifier_call_chain(&chain, 0, NULL, 2, &nr_calls), NOTIFY_OK);
	assert_int_equal(nr_calls, 2);
	assert_call_log(expected, 2);

	/* -1 calls all; the counter adds up; a NULL counter is allowed. */
	assert_int_equal(__blocking_notifier_call_chain(&chain, 0, NULL, -1, &nr_calls), NOTIFY_OK);
	assert_int_equal(nr_calls, 5);
	assert_int_equal(__blocking_notifier_call_chain(&chain, 0, NULL, 0, NULL), NOTIFY_DONE);

	/* A stop counts the call that stopped. */
	nr_calls = 0;
	b.ret = NOTIFY_STOP;
	__blocking_notifier_call_chain(&chain, 0, NULL, -1, &nr_calls);
	assert_int_equal(nr_calls, 2);

	blocking_notifier_chain_unregister(&chain, &a.nb);
	blocking_notifier_chain_unregister(&chain, &b.nb);
	blocking_notifier_chain_unregister(&chain, &c.nb);
}

static void test_notifier_errno_conversions_round_trip(void **state)
{
	(void)state;
	assert_int_equal(notifier_from_errno(0), NOTIFY_OK);
	assert_int_equal(notifier_to_errno(NOTIFY_OK), 0);
	assert_int_equal(notifier_to_errno(NOTIFY_DONE), 0);
	assert_int_equal(notifier_to_errno(NOTIFY_STOP), 0);
	assert_true(notifier_from_errno(-EINVAL) & NOTIFY_STOP_MASK);
	assert_int_equal(notifier_to_errno(notifier_from_errno(-EINVAL)), -EINVAL);
	assert_int_equal(notifier_to_errno(notifier_from_errno(-ENOMEM)), -ENOMEM);
	assert_int_equal(notifier_to_errno(notifier_from_errno(-EPROBE_DEFER)), -EPROBE_DEFER);
	/* NOTIFY_BAD reads as -EPERM (NOTIFY_OK - 2 == -1), as in the kernel. */
	assert_int_equal(notifier_to_errno(NOTIFY_BAD), -EPERM);
}

static void test_notifier_register_twice_warns_eexist_and_keeps_chain(void **state)
{
	BLOCKING_NOTIFIER_HEAD(chain);
	struct logging_nb a, b;
	const int expected[] = { 1, 2 };

	(void)state;
	call_log_reset();
	logging_nb_init(&a, 1, 1, NOTIFY_OK);
	logging_nb_init(&b, 2, 0, NOTIFY_OK);
	blocking_notifier_chain_register(&chain, &a.nb);
	blocking_notifier_chain_register(&chain, &b.nb);

	assert_int_equal(blocking_notifier_chain_register(&chain, &a.nb), -EEXIST);
	assert_warned("already registered");
	assert_int_equal(blocking_notifier_chain_register(&chain, &b.nb), -EEXIST);
	assert_warned("already registered");
	assert_int_equal(iosim_notifier_chain_check(&chain), 0);

	blocking_notifier_call_chain(&chain, 0, NULL);
	assert_call_log(expected, 2);

	blocking_notifier_chain_unregister(&chain, &a.nb);
	blocking_notifier_chain_unregister(&chain, &b.nb);
	assert_null(chain.head);
}

static void test_notifier_unregister_of_unknown_block_warns_enoent(void **state)
{
	BLOCKING_NOTIFIER_HEAD(chain);
	struct logging_nb a, stranger;
	const int expected[] = { 1 };

	(void)state;
	call_log_reset();
	logging_nb_init(&a, 1, 0, NOTIFY_OK);
	logging_nb_init(&stranger, 2, 0, NOTIFY_OK);

	/* On an empty chain... */
	assert_int_equal(blocking_notifier_chain_unregister(&chain, &stranger.nb), -ENOENT);
	assert_warned("is not registered");

	/* ...and on a populated one, which stays as it was. */
	blocking_notifier_chain_register(&chain, &a.nb);
	assert_int_equal(blocking_notifier_chain_unregister(&chain, &stranger.nb), -ENOENT);
	assert_warned("is not registered");
	blocking_notifier_call_chain(&chain, 0, NULL);
	assert_call_log(expected, 1);

	/* A second unregister of a block that was registered once. */
	assert_int_equal(blocking_notifier_chain_unregister(&chain, &a.nb), 0);
	assert_int_equal(blocking_notifier_chain_unregister(&chain, &a.nb), -ENOENT);
	assert_warned("is not registered");
}

static void test_notifier_unregister_removes_only_that_block(void **state)
{
	BLOCKING_NOTIFIER_HEAD(chain);
	struct logging_nb a, b, c;
	const int after_middle[] = { 1, 3 };
	const int after_head[] = { 3 };

	(void)state;
	logging_nb_init(&a, 1, 3, NOTIFY_OK);
	logging_nb_init(&b, 2, 2, NOTIFY_OK);
	logging_nb_init(&c, 3, 1, NOTIFY_OK);
	blocking_notifier_chain_register(&chain, &a.nb);
	blocking_notifier_chain_register(&chain, &b.nb);
	blocking_notifier_chain_register(&chain, &c.nb);

	assert_int_equal(blocking_notifier_chain_unregister(&chain, &b.nb), 0);
	call_log_reset();
	blocking_notifier_call_chain(&chain, 0, NULL);
	assert_call_log(after_middle, 2);

	assert_int_equal(blocking_notifier_chain_unregister(&chain, &a.nb), 0);
	call_log_reset();
	blocking_notifier_call_chain(&chain, 0, NULL);
	assert_call_log(after_head, 1);
	assert_int_equal(iosim_notifier_chain_check(&chain), 0);

	/* A block may be registered again after its removal. */
	assert_int_equal(blocking_notifier_chain_register(&chain, &b.nb), 0);
	assert_int_equal(blocking_notifier_chain_unregister(&chain, &b.nb), 0);
	assert_int_equal(blocking_notifier_chain_unregister(&chain, &c.nb), 0);
}

static void test_notifier_null_arguments_warn_and_change_nothing(void **state)
{
	BLOCKING_NOTIFIER_HEAD(chain);
	struct logging_nb a;
	struct notifier_block no_callback = { .notifier_call = NULL };

	(void)state;
	logging_nb_init(&a, 1, 0, NOTIFY_OK);
	assert_int_equal(blocking_notifier_chain_register(NULL, &a.nb), -EINVAL);
	assert_warned("NULL chain");
	assert_int_equal(blocking_notifier_chain_register(&chain, NULL), -EINVAL);
	assert_warned("NULL chain");
	assert_int_equal(blocking_notifier_chain_register(&chain, &no_callback), -EINVAL);
	assert_warned("callback");
	assert_int_equal(blocking_notifier_chain_unregister(NULL, &a.nb), -EINVAL);
	assert_warned("NULL chain");
	assert_int_equal(blocking_notifier_chain_unregister(&chain, NULL), -EINVAL);
	assert_warned("NULL chain");
	assert_int_equal(blocking_notifier_call_chain(NULL, 0, NULL), NOTIFY_DONE);
	assert_warned("NULL chain");
	assert_null(chain.head);
}

static void test_notifier_init_macro_makes_an_empty_usable_chain(void **state)
{
	struct blocking_notifier_head chain;
	struct logging_nb a;

	(void)state;
	memset(&chain, 0xa5, sizeof(chain));
	BLOCKING_INIT_NOTIFIER_HEAD(&chain);
	assert_null(chain.head);
	assert_int_equal(iosim_notifier_chain_check(&chain), 0);
	call_log_reset();
	logging_nb_init(&a, 1, 0, NOTIFY_OK);
	blocking_notifier_chain_register(&chain, &a.nb);
	assert_int_equal(blocking_notifier_call_chain(&chain, 0, NULL), NOTIFY_OK);
	assert_int_equal(nr_calls_logged, 1);
	blocking_notifier_chain_unregister(&chain, &a.nb);
	pthread_rwlock_destroy(&chain.rwsem);
}

/* Tries to change its own chain from inside its callback. */
struct self_modifying_nb {
	struct notifier_block nb;
	struct blocking_notifier_head *chain;
	struct notifier_block *other;
	int unregister_ret, register_ret;
};

static int self_modifying_cb(struct notifier_block *nb, unsigned long action, void *data)
{
	struct self_modifying_nb *s = container_of(nb, struct self_modifying_nb, nb);

	s->unregister_ret = blocking_notifier_chain_unregister(s->chain, nb);
	s->register_ret = blocking_notifier_chain_register(s->chain, s->other);
	return NOTIFY_OK;
}

static void test_notifier_change_from_own_callback_is_refused_not_deadlocked(void **state)
{
	BLOCKING_NOTIFIER_HEAD(chain);
	struct self_modifying_nb s = { .nb.notifier_call = self_modifying_cb, .chain = &chain };
	struct logging_nb other;

	(void)state;
	logging_nb_init(&other, 2, 0, NOTIFY_OK);
	s.other = &other.nb;
	blocking_notifier_chain_register(&chain, &s.nb);
	blocking_notifier_call_chain(&chain, 0, NULL);
	assert_int_equal(s.unregister_ret, -EDEADLK);
	assert_int_equal(s.register_ret, -EDEADLK);
	assert_warned("callback of the same chain");
	assert_ptr_equal(chain.head, &s.nb);
	assert_null(s.nb.next);

	/* Outside the walk, the same calls work. */
	assert_int_equal(blocking_notifier_chain_unregister(&chain, &s.nb), 0);
	assert_null(chain.head);
}

/* Walks a second chain, and its own chain again, from its callback. */
struct nesting_nb {
	struct notifier_block nb;
	struct blocking_notifier_head *inner;
	struct blocking_notifier_head *self;
	int depth;
	int inner_ret;
};

static int nesting_cb(struct notifier_block *nb, unsigned long action, void *data)
{
	struct nesting_nb *n = container_of(nb, struct nesting_nb, nb);

	if (n->depth++ == 0) {
		n->inner_ret = blocking_notifier_call_chain(n->inner, action, data);
		blocking_notifier_call_chain(n->self, action, data);
	}
	return NOTIFY_OK;
}

static void test_notifier_callback_may_walk_chains_again(void **state)
{
	BLOCKING_NOTIFIER_HEAD(outer);
	BLOCKING_NOTIFIER_HEAD(inner);
	struct nesting_nb n = { .nb.notifier_call = nesting_cb, .inner = &inner, .self = &outer };
	struct logging_nb in;

	(void)state;
	call_log_reset();
	logging_nb_init(&in, 5, 0, NOTIFY_STOP);
	blocking_notifier_chain_register(&inner, &in.nb);
	blocking_notifier_chain_register(&outer, &n.nb);
	assert_int_equal(blocking_notifier_call_chain(&outer, 0, NULL), NOTIFY_OK);
	assert_int_equal(n.depth, 2);
	assert_int_equal(n.inner_ret, NOTIFY_STOP);
	assert_int_equal(nr_calls_logged, 1);

	/* After the nested walks the chains can be changed again. */
	assert_int_equal(blocking_notifier_chain_unregister(&outer, &n.nb), 0);
	assert_int_equal(blocking_notifier_chain_unregister(&inner, &in.nb), 0);
}

static void test_notifier_chain_check_reports_corruption(void **state)
{
	BLOCKING_NOTIFIER_HEAD(chain);
	struct logging_nb a, b;

	(void)state;
	logging_nb_init(&a, 1, 5, NOTIFY_OK);
	logging_nb_init(&b, 2, 1, NOTIFY_OK);
	blocking_notifier_chain_register(&chain, &a.nb);
	blocking_notifier_chain_register(&chain, &b.nb);
	assert_int_equal(iosim_notifier_chain_check(&chain), 0);

	b.nb.priority = 9;
	assert_int_equal(iosim_notifier_chain_check(&chain), -EUCLEAN);
	assert_warned("priority 9 after 5");
	b.nb.priority = 1;

	b.nb.next = &a.nb;
	assert_int_equal(iosim_notifier_chain_check(&chain), -EUCLEAN);
	assert_warned("cycle");
	b.nb.next = NULL;

	a.nb.notifier_call = NULL;
	assert_int_equal(iosim_notifier_chain_check(&chain), -EUCLEAN);
	assert_warned("no callback");
	a.nb.notifier_call = logging_cb;

	assert_int_equal(iosim_notifier_chain_check(NULL), -EUCLEAN);
	assert_warned("NULL chain");

	assert_int_equal(iosim_notifier_chain_check(&chain), 0);
	blocking_notifier_chain_unregister(&chain, &a.nb);
	blocking_notifier_chain_unregister(&chain, &b.nb);
}

/* Threads registering, calling and unregistering on one chain. */
#define NOTIFIER_THREADS	4
#define NOTIFIER_ROUNDS		200

static BLOCKING_NOTIFIER_HEAD(shared_chain);
static long shared_calls;

static int counting_cb(struct notifier_block *nb, unsigned long action, void *data)
{
	__atomic_fetch_add(&shared_calls, 1, __ATOMIC_RELAXED);
	return NOTIFY_OK;
}

static void *notifier_thread(void *arg)
{
	struct notifier_block nb = { .notifier_call = counting_cb, .priority = (int)(long)arg };
	long failures = 0;
	int i;

	for (i = 0; i < NOTIFIER_ROUNDS; i++) {
		failures += blocking_notifier_chain_register(&shared_chain, &nb) != 0;
		/* Our own block is on the chain, so at least one call is made. */
		failures += blocking_notifier_call_chain(&shared_chain, 0, NULL) != NOTIFY_OK;
		failures += blocking_notifier_chain_unregister(&shared_chain, &nb) != 0;
	}
	return (void *)failures;
}

static void test_notifier_chain_survives_concurrent_register_call_unregister(void **state)
{
	pthread_t threads[NOTIFIER_THREADS];
	void *failures;
	long i;

	(void)state;
	shared_calls = 0;
	for (i = 0; i < NOTIFIER_THREADS; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, notifier_thread, (void *)i), 0);
	for (i = 0; i < NOTIFIER_THREADS; i++) {
		assert_int_equal(pthread_join(threads[i], &failures), 0);
		assert_int_equal((long)failures, 0);
	}
	assert_null(shared_chain.head);
	assert_true(shared_calls >= NOTIFIER_THREADS * NOTIFIER_ROUNDS);
	assert_int_equal(iosim_notifier_chain_check(&shared_chain), 0);
}

/* ------------------------------------------------------------------------ */
/* Buses                                                                     */
/* ------------------------------------------------------------------------ */

static void test_bus_register_makes_an_empty_bus(void **state)
{
	(void)state;
	register_bus(&test_bus);
	assert_true(test_bus.iosim_registered);
	assert_true(list_empty(&test_bus.iosim_devices));
	assert_null(test_bus.iosim_notifier.head);
	assert_int_equal(bus_nr_devices(&test_bus), 0);
	unregister_bus(&test_bus);
}

static void test_bus_register_twice_warns_eexist_and_keeps_devices(void **state)
{
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	dev = create_on(&test_bus, "keep0");
	assert_int_equal(bus_register(&test_bus), -EEXIST);
	assert_warned("already registered");
	assert_int_equal(bus_nr_devices(&test_bus), 1);
	assert_int_equal(iosim_bus_check(&test_bus), 0);

	/* The statically registered platform bus counts as registered. */
	assert_int_equal(bus_register(&platform_bus_type), -EEXIST);
	assert_warned("already registered");
	assert_int_equal(bus_register(NULL), -EINVAL);
	assert_warned("NULL bus");

	iosim_device_destroy(dev);
	unregister_bus(&test_bus);
}

static void test_bus_unregister_with_devices_warns_and_keeps_the_bus(void **state)
{
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	dev = create_on(&test_bus, "left0");
	bus_unregister(&test_bus);
	assert_warned("still has devices");
	assert_true(test_bus.iosim_registered);
	assert_true(dev_on_bus(&test_bus, dev));
	assert_int_equal(iosim_bus_check(&test_bus), 0);
	assert_int_equal(iosim_device_check(dev), 0);

	iosim_device_destroy(dev);
	unregister_bus(&test_bus);
}

static void test_bus_unregister_forgets_notifiers_and_bus_can_return(void **state)
{
	struct recorder r;
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	recorder_start(&r, &test_bus);
	bus_unregister(&test_bus);		/* the kernel drops the chain with the bus */
	assert_false(test_bus.iosim_registered);

	register_bus(&test_bus);
	assert_null(test_bus.iosim_notifier.head);
	dev = create_on(&test_bus, "again0");
	assert_int_equal(r.nr, 0);
	iosim_device_destroy(dev);
	unregister_bus(&test_bus);
}

static void test_bus_unregister_of_unregistered_bus_warns(void **state)
{
	(void)state;
	bus_unregister(&test_bus);
	assert_warned("is not registered");
	bus_unregister(NULL);
	assert_warned("is not registered");
	assert_false(test_bus.iosim_registered);
}

static void test_platform_bus_is_usable_without_any_init(void **state)
{
	struct iosim_device_config cfg = { .name = "plat0" };
	struct device *dev;
	struct recorder r;

	(void)state;
	assert_string_equal(platform_bus_type.name, "platform");
	assert_true(platform_bus_type.iosim_registered);
	assert_int_equal(iosim_bus_check(&platform_bus_type), 0);

	recorder_start(&r, &platform_bus_type);
	dev = iosim_device_create(&cfg);
	assert_non_null(dev);
	assert_ptr_equal(dev->bus, &platform_bus_type);
	assert_true(dev_on_bus(&platform_bus_type, dev));
	assert_int_equal(r.nr, 1);
	assert_event(&r, 0, BUS_NOTIFY_ADD_DEVICE, dev, true);
	assert_int_equal(iosim_bus_check(&platform_bus_type), 0);
	iosim_device_destroy(dev);
	recorder_stop(&r);
	assert_int_equal(bus_nr_devices(&platform_bus_type), 0);
}

static void test_device_add_notifies_after_listing_the_device(void **state)
{
	struct recorder r;
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	recorder_start(&r, &test_bus);
	dev = create_on(&test_bus, "add0");
	assert_int_equal(r.nr, 1);
	assert_event(&r, 0, BUS_NOTIFY_ADD_DEVICE, dev, true);
	assert_true(r.ev[0].added_flag);
	iosim_device_destroy(dev);
	recorder_stop(&r);
	unregister_bus(&test_bus);
}

/* device_add() of a device already on its bus: WARNed, -EEXIST, nothing notified or listed twice. */
static void test_device_add_twice_warns_eexist(void **state)
{
	struct recorder r;
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	dev = create_on(&test_bus, "twice0");
	recorder_start(&r, &test_bus);
	assert_int_equal(device_add(dev), -EEXIST);
	assert_warned("is already added");
	assert_int_equal(r.nr, 0);
	assert_int_equal(bus_nr_devices(&test_bus), 1);
	recorder_stop(&r);
	iosim_device_destroy(dev);
	unregister_bus(&test_bus);
}

/* A driver whose remove() records when it ran, among the bus events. */
static struct recorder *remove_seen_by;
static int removes_at[4], nr_removes;

static int recording_remove(struct device *dev)
{
	assert_non_null(dev->driver);
	if (nr_removes < (int)ARRAY_SIZE(removes_at))
		removes_at[nr_removes] = remove_seen_by->nr;
	nr_removes++;
	return 0;
}

static struct device_driver recording_driver = {
	.name = "rec-drv",
	.remove = recording_remove,
};

/* A device @name on test_bus, its events recorded in @r, bound to recording_driver. */
static struct device *bind_recording_driver(struct recorder *r, const char *name)
{
	struct device *dev;

	register_bus(&test_bus);
	dev = create_on(&test_bus, name);
	recorder_start(r, &test_bus);
	remove_seen_by = r;
	nr_removes = 0;
	dev->driver = &recording_driver;
	assert_int_equal(device_bind_driver(dev), 0);
	return dev;
}

/*
 * device_bind_driver() sends BIND then BOUND; device_release_driver() sends
 * UNBIND, calls remove(), clears the driver and its data, then sends
 * UNBOUND; releasing a device with no driver does nothing.
 */
static void test_bind_and_release_driver_notify_around_remove(void **state)
{
	struct recorder r;
	struct device *dev;
	int data;

	(void)state;
	dev = bind_recording_driver(&r, "drv0");
	assert_int_equal(r.nr, 2);
	assert_event(&r, 0, BUS_NOTIFY_BIND_DRIVER, dev, true);
	assert_event(&r, 1, BUS_NOTIFY_BOUND_DRIVER, dev, true);
	dev_set_drvdata(dev, &data);

	device_release_driver(dev);
	assert_int_equal(r.nr, 4);
	assert_event(&r, 2, BUS_NOTIFY_UNBIND_DRIVER, dev, true);
	assert_event(&r, 3, BUS_NOTIFY_UNBOUND_DRIVER, dev, true);
	assert_int_equal(nr_removes, 1);
	assert_int_equal(removes_at[0], 3);	/* after UNBIND, before UNBOUND */
	assert_null(dev->driver);
	assert_null(dev_get_drvdata(dev));

	/* Nothing bound: nothing sent, nothing called. */
	device_release_driver(dev);
	assert_int_equal(r.nr, 4);
	assert_int_equal(nr_removes, 1);
	recorder_stop(&r);
	iosim_device_destroy(dev);
	unregister_bus(&test_bus);
}

/* device_del() of a bound device: DEL, off the list, UNBIND, remove(), UNBOUND, REMOVED. */
static void test_device_del_releases_a_bound_driver_after_unlisting(void **state)
{
	struct recorder r;
	struct device *dev;

	(void)state;
	dev = bind_recording_driver(&r, "drv1");
	r.nr = 0;
	iosim_device_destroy(dev);
	assert_int_equal(r.nr, 4);
	assert_event(&r, 0, BUS_NOTIFY_DEL_DEVICE, dev, true);
	assert_int_equal(r.ev[1].action, BUS_NOTIFY_UNBIND_DRIVER);
	assert_false(r.ev[1].on_list);
	assert_int_equal(r.ev[2].action, BUS_NOTIFY_UNBOUND_DRIVER);
	assert_int_equal(r.ev[3].action, BUS_NOTIFY_REMOVED_DEVICE);
	assert_int_equal(nr_removes, 1);
	assert_int_equal(removes_at[0], 2);
	recorder_stop(&r);
	unregister_bus(&test_bus);
}

/* Binding without a driver, on a device not added, or twice: WARNed, nothing sent. */
static void test_bind_driver_misuse_is_warned_and_sends_nothing(void **state)
{
	struct device_driver plain = { .name = "plain" };
	struct iosim_device_config cfg = { .name = "drv-unadded", .bus = &test_bus, .no_add = true };
	struct recorder r;
	struct device *dev, *unadded;

	(void)state;
	register_bus(&test_bus);
	dev = create_on(&test_bus, "drv2");
	recorder_start(&r, &test_bus);
	assert_int_equal(device_bind_driver(NULL), -EINVAL);
	assert_warned("no device or no driver");
	assert_int_equal(device_bind_driver(dev), -EINVAL);
	assert_warned("no device or no driver");

	unadded = iosim_device_create(&cfg);
	assert_non_null(unadded);
	unadded->driver = &plain;
	assert_int_equal(device_bind_driver(unadded), -ENODEV);
	assert_warned("is not added");

	dev->driver = &plain;
	assert_int_equal(device_bind_driver(dev), 0);
	assert_int_equal(device_bind_driver(dev), -EBUSY);
	assert_warned("already has a driver bound");
	assert_int_equal(r.nr, 2);
	device_release_driver(NULL);
	assert_warned("device_release_driver: NULL device");
	/* No remove(): released all the same. */
	device_release_driver(dev);
	assert_int_equal(r.nr, 4);
	assert_null(dev->driver);
	recorder_stop(&r);
	unadded->driver = NULL;
	iosim_device_destroy(unadded);
	iosim_device_destroy(dev);
	unregister_bus(&test_bus);
}

/* -- matching and probing (driver_register(), device_attach()) ----------- */

/*
 * Probing drivers whose probe() and remove() log the device they were given
 * (by name) and return what the test asks for.
 */
#define PROBE_LOG_MAX	16
static struct {
	char what[PROBE_LOG_MAX][32];
	int nr;
	int probe_ret;
} plog;

static void plog_add(const char *verb, struct device_driver *drv, struct device *dev)
{
	if (plog.nr < PROBE_LOG_MAX)
		snprintf(plog.what[plog.nr], sizeof(plog.what[0]), "%s %s %s", verb,
			 drv ? drv->name : "-", dev_name(dev));
	plog.nr++;
}

static void plog_assert(int i, const char *what)
{
	assert_true(i < plog.nr);
	assert_string_equal(plog.what[i], what);
}

static int logging_probe(struct device *dev)
{
	plog_add("probe", dev->driver, dev);
	if (plog.probe_ret)
		dev_set_drvdata(dev, &plog);	/* cleared by the core on failure */
	return plog.probe_ret;
}

static int logging_remove(struct device *dev)
{
	plog_add("remove", dev->driver, dev);
	return 0;
}

/* A match on the name: a driver drives the devices whose names start with its own. */
static int prefix_match(struct device *dev, struct device_driver *drv)
{
	return !strncmp(dev_name(dev), drv->name, strlen(drv->name));
}

static struct bus_type match_bus = { .name = "matchbus", .match = prefix_match };

static void probe_test_begin(struct bus_type *bus, struct recorder *r)
{
	memset(&plog, 0, sizeof(plog));
	register_bus(bus);
	recorder_start(r, bus);
	iosim_log_set_console_level(0);
}

static void probe_test_end(struct bus_type *bus, struct recorder *r)
{
	iosim_log_set_console_level(5);
	recorder_stop(r);
	unregister_bus(bus);
}

static void assert_bound(struct device *dev, struct device_driver *drv)
{
	assert_ptr_equal(dev->driver, drv);
	assert_int_equal(dev->iosim_driver_bound, drv != NULL);
}

/*
 * driver_register() probes the new driver on every device without a driver
 * that the bus's match() accepts, in the order they were added, each with
 * BIND before the probe and BOUND after it; driver_unregister() releases
 * them in the same order and takes the driver off the bus.
 */
static void test_driver_register_probes_the_matching_devices_in_order(void **state)
{
	struct device_driver net = { .name = "net", .bus = &match_bus,
				     .probe = logging_probe, .remove = logging_remove };
	struct device *net0, *blk0, *net1;
	struct recorder r;

	(void)state;
	probe_test_begin(&match_bus, &r);
	net0 = create_on(&match_bus, "net0");
	blk0 = create_on(&match_bus, "blk0");
	net1 = create_on(&match_bus, "net1");
	r.nr = 0;

	assert_int_equal(driver_register(&net), 0);
	assert_ptr_equal(driver_find("net", &match_bus), &net);
	assert_null(driver_find("blk", &match_bus));
	assert_int_equal(plog.nr, 2);
	plog_assert(0, "probe net net0");
	plog_assert(1, "probe net net1");
	assert_int_equal(r.nr, 4);
	assert_event(&r, 0, BUS_NOTIFY_BIND_DRIVER, net0, true);
	assert_event(&r, 1, BUS_NOTIFY_BOUND_DRIVER, net0, true);
	assert_event(&r, 2, BUS_NOTIFY_BIND_DRIVER, net1, true);
	assert_event(&r, 3, BUS_NOTIFY_BOUND_DRIVER, net1, true);
	assert_bound(net0, &net);
	assert_bound(blk0, NULL);
	assert_bound(net1, &net);
	assert_int_equal(device_attach(net0), 1);	/* bound already */
	assert_int_equal(device_attach(blk0), 0);	/* no driver matches */
	assert_int_equal(iosim_bus_check(&match_bus), 0);

	driver_unregister(&net);
	assert_int_equal(plog.nr, 4);
	plog_assert(2, "remove net net0");
	plog_assert(3, "remove net net1");
	assert_int_equal(r.nr, 8);
	assert_event(&r, 4, BUS_NOTIFY_UNBIND_DRIVER, net0, true);
	assert_event(&r, 5, BUS_NOTIFY_UNBOUND_DRIVER, net0, true);
	assert_event(&r, 6, BUS_NOTIFY_UNBIND_DRIVER, net1, true);
	assert_event(&r, 7, BUS_NOTIFY_UNBOUND_DRIVER, net1, true);
	assert_bound(net0, NULL);
	assert_bound(net1, NULL);
	assert_null(driver_find("net", &match_bus));
	assert_false(net.iosim_registered);
	assert_int_equal(iosim_bus_check(&match_bus), 0);

	iosim_device_destroy(net0);
	iosim_device_destroy(blk0);
	iosim_device_destroy(net1);
	probe_test_end(&match_bus, &r);
}

/*
 * device_add() tries the bus's drivers in registration order (a bus
 * without match() lets every driver try): a probe that says "not mine"
 * (-ENODEV) leaves the device without a driver, and without a log line,
 * for the next one; the first that succeeds is bound and the rest are not
 * asked.  A driver registered later leaves a bound device alone.
 */
static void test_device_add_binds_the_first_driver_whose_probe_succeeds(void **state)
{
	struct device_driver a = { .name = "a", .bus = &test_bus, .probe = logging_probe };
	struct device_driver b = { .name = "b", .bus = &test_bus, .probe = logging_probe };
	struct device_driver c = { .name = "c", .bus = &test_bus, .probe = logging_probe };
	struct recorder r;
	struct device *dev;

	(void)state;
	probe_test_begin(&test_bus, &r);
	assert_int_equal(driver_register(&a), 0);
	assert_int_equal(driver_register(&b), 0);
	assert_int_equal(plog.nr, 0);		/* no devices yet */

	/* a's probe declines; b's (asked next) succeeds */
	plog.probe_ret = -ENODEV;
	a.probe = logging_probe;
	b.probe = NULL;				/* no probe(): bound as it is */
	dev = create_on(&test_bus, "dev0");
	assert_int_equal(plog.nr, 1);
	plog_assert(0, "probe a dev0");
	assert_int_equal(r.nr, 4);
	assert_event(&r, 0, BUS_NOTIFY_ADD_DEVICE, dev, true);
	assert_event(&r, 1, BUS_NOTIFY_BIND_DRIVER, dev, true);	/* for a */
	assert_event(&r, 2, BUS_NOTIFY_BIND_DRIVER, dev, true);	/* for b */
	assert_event(&r, 3, BUS_NOTIFY_BOUND_DRIVER, dev, true);
	assert_bound(dev, &b);
	assert_null(dev_get_drvdata(dev));	/* a's probe set it; its failure cleared it */
	assert_false(iosim_log_seen("probe of dev0 failed"));

	plog.probe_ret = 0;
	assert_int_equal(driver_register(&c), 0);
	assert_int_equal(plog.nr, 1);
	assert_bound(dev, &b);

	iosim_device_destroy(dev);
	driver_unregister(&c);
	driver_unregister(&b);
	driver_unregister(&a);
	probe_test_end(&test_bus, &r);
}

/*
 * A probe that fails with an error is logged as the kernel logs it, the
 * device is left with no driver and no driver data, and a later
 * driver_attach() may bind it; -EPROBE_DEFER fails the same way (there is
 * no deferred list), with its own log line.
 */
static void test_failed_probe_leaves_the_device_driverless_and_is_logged(void **state)
{
	struct device_driver drv = { .name = "flaky", .bus = &test_bus, .probe = logging_probe };
	struct recorder r;
	struct device *dev;

	(void)state;
	probe_test_begin(&test_bus, &r);
	dev = create_on(&test_bus, "fl0");
	plog.probe_ret = -EIO;
	assert_int_equal(driver_register(&drv), 0);
	assert_bound(dev, NULL);
	assert_null(dev_get_drvdata(dev));
	assert_true(iosim_log_seen("flaky: probe of fl0 failed with error -5"));
	assert_int_equal(r.nr, 2);			/* ADD, then BIND: nothing after a failure */
	assert_event(&r, 1, BUS_NOTIFY_BIND_DRIVER, dev, true);

	plog.probe_ret = -EPROBE_DEFER;
	assert_int_equal(driver_attach(&drv), 0);
	assert_bound(dev, NULL);
	assert_true(iosim_log_seen("flaky: probe of fl0 deferred"));

	plog.probe_ret = 0;
	assert_int_equal(driver_attach(&drv), 0);
	assert_bound(dev, &drv);
	assert_int_equal(plog.nr, 3);
	assert_int_equal(iosim_bus_check(&test_bus), 0);

	driver_unregister(&drv);
	iosim_device_destroy(dev);
	probe_test_end(&test_bus, &r);
}

/*
 * A bus with its own probe() and remove() calls them instead of the
 * driver's, and a driver that brings its own is logged as needing updating,
 * as the kernel logs it.
 */
static int bus_probe(struct device *dev)
{
	plog_add("bus-probe", dev->driver, dev);
	return 0;
}

static int bus_remove(struct device *dev)
{
	plog_add("bus-remove", dev->driver, dev);
	return 0;
}

static struct bus_type method_bus = { .name = "methodbus", .probe = bus_probe,
				      .remove = bus_remove };

static void test_bus_probe_and_remove_replace_the_drivers(void **state)
{
	struct device_driver drv = { .name = "old", .bus = &method_bus,
				     .probe = logging_probe, .remove = logging_remove };
	struct recorder r;
	struct device *dev;

	(void)state;
	probe_test_begin(&method_bus, &r);
	assert_int_equal(driver_register(&drv), 0);
	assert_true(iosim_log_seen("Driver 'old' needs updating - please use bus_type methods"));
	dev = create_on(&method_bus, "m0");
	assert_bound(dev, &drv);
	device_release_driver(dev);
	assert_bound(dev, NULL);
	assert_int_equal(plog.nr, 2);
	plog_assert(0, "bus-probe old m0");
	plog_assert(1, "bus-remove old m0");
	iosim_device_destroy(dev);
	driver_unregister(&drv);
	probe_test_end(&method_bus, &r);
}

/*
 * A probe may add a device to its own bus: that device's driver is probed
 * then, nested in the first probe (as a multi-function driver's children
 * are in the kernel).  device_del() of the child releases its driver.
 */
static struct device *child_added;

static int parent_probe(struct device *dev)
{
	plog_add("probe", dev->driver, dev);
	child_added = create_on(dev->bus, "childdev");
	plog_add("added", dev->driver, child_added);
	return 0;
}

static void test_a_probe_may_add_a_device_whose_driver_is_probed_nested(void **state)
{
	struct device_driver parent = { .name = "parent", .bus = &match_bus, .probe = parent_probe };
	struct device_driver child = { .name = "child", .bus = &match_bus,
				       .probe = logging_probe, .remove = logging_remove };
	struct recorder r;
	struct device *dev;

	(void)state;
	probe_test_begin(&match_bus, &r);
	assert_int_equal(driver_register(&child), 0);
	assert_int_equal(driver_register(&parent), 0);
	dev = create_on(&match_bus, "parentdev");
	assert_int_equal(plog.nr, 3);
	plog_assert(0, "probe parent parentdev");
	plog_assert(1, "probe child childdev");
	plog_assert(2, "added parent childdev");
	assert_bound(dev, &parent);
	assert_bound(child_added, &child);
	assert_int_equal(iosim_bus_check(&match_bus), 0);

	iosim_device_destroy(child_added);
	plog_assert(3, "remove child childdev");
	iosim_device_destroy(dev);
	driver_unregister(&parent);
	driver_unregister(&child);
	probe_test_end(&match_bus, &r);
}

/*
 * A driver the caller set in dev->driver before device_add() is bound as
 * it is, without a probe (the kernel's device_attach() does the same).
 */
static void test_device_add_binds_a_preset_driver_without_probing(void **state)
{
	struct device_driver drv = { .name = "preset", .probe = logging_probe };
	struct iosim_device_config cfg = { .name = "pre0", .bus = &test_bus, .no_add = true };
	struct recorder r;
	struct device *dev;

	(void)state;
	probe_test_begin(&test_bus, &r);
	dev = iosim_device_create(&cfg);
	assert_non_null(dev);
	dev->driver = &drv;
	assert_int_equal(device_add(dev), 0);
	assert_bound(dev, &drv);
	assert_int_equal(plog.nr, 0);
	assert_int_equal(r.nr, 3);
	assert_event(&r, 1, BUS_NOTIFY_BIND_DRIVER, dev, true);
	assert_event(&r, 2, BUS_NOTIFY_BOUND_DRIVER, dev, true);
	iosim_device_destroy(dev);
	probe_test_end(&test_bus, &r);
}

/* Misuse of the driver calls: WARNed or logged as the kernel does, nothing changed. */
static void test_driver_misuse_is_reported_and_changes_nothing(void **state)
{
	struct device_driver drv = { .name = "d", .bus = &test_bus };
	struct device_driver twin = { .name = "d", .bus = &test_bus };
	struct device_driver nameless = { .bus = &test_bus };
	struct device_driver busless = { .name = "busless" };
	struct device_driver elsewhere = { .name = "elsewhere", .bus = &other_bus };
	struct iosim_device_config cfg = { .name = "unadded", .bus = &test_bus, .no_add = true };
	struct recorder r;
	struct device *unadded;

	(void)state;
	probe_test_begin(&test_bus, &r);
	assert_int_equal(driver_register(NULL), -EINVAL);
	assert_warned("has no name or no registered bus");
	assert_int_equal(driver_register(&nameless), -EINVAL);
	assert_warned("has no name or no registered bus");
	assert_int_equal(driver_register(&busless), -EINVAL);
	assert_warned("driver 'busless' has no name or no registered bus");
	assert_int_equal(driver_register(&elsewhere), -EINVAL);
	assert_warned("driver 'elsewhere' has no name or no registered bus");

	assert_int_equal(driver_register(&drv), 0);
	assert_int_equal(driver_register(&drv), -EBUSY);
	assert_true(iosim_log_seen("Error: Driver 'd' is already registered, aborting..."));
	assert_int_equal(driver_register(&twin), -EBUSY);
	assert_false(twin.iosim_registered);
	assert_int_equal(iosim_bus_check(&test_bus), 0);

	driver_unregister(&twin);
	assert_warned("Unexpected driver unregister!");
	driver_unregister(NULL);
	assert_warned("Unexpected driver unregister!");
	assert_int_equal(driver_attach(&twin), -EINVAL);
	assert_warned("driver_attach: driver 'd' is not registered");
	assert_null(driver_find(NULL, &test_bus));
	assert_warned("driver_find: no name");
	assert_null(driver_find("d", &other_bus));
	assert_warned("bus 'otherbus' is not registered");
	assert_int_equal(device_attach(NULL), -EINVAL);
	assert_warned("device_attach: NULL device");
	unadded = iosim_device_create(&cfg);
	assert_non_null(unadded);
	assert_int_equal(device_attach(unadded), -ENODEV);
	iosim_device_destroy(unadded);

	/* A bus with a driver left stays registered. */
	bus_unregister(&test_bus);
	assert_warned("bus 'testbus' still has drivers");
	assert_true(test_bus.iosim_registered);
	assert_int_equal(r.nr, 0);
	driver_unregister(&drv);
	probe_test_end(&test_bus, &r);
}

/* iosim_bus_check() finds a broken driver list and a bound device with no driver. */
static void test_bus_check_reports_a_corrupted_driver_list(void **state)
{
	struct device_driver a = { .name = "a", .bus = &test_bus };
	struct device_driver b = { .name = "b", .bus = &test_bus };
	struct list_head stray;
	struct recorder r;
	struct device *dev;
	u64 seq;

	(void)state;
	probe_test_begin(&test_bus, &r);
	assert_int_equal(driver_register(&a), 0);
	assert_int_equal(driver_register(&b), 0);
	dev = create_on(&test_bus, "chk0");
	assert_bound(dev, &a);

	a.iosim_registered = false;
	assert_int_equal(iosim_bus_check(&test_bus), -EUCLEAN);
	assert_warned("not marked registered");
	a.iosim_registered = true;

	seq = b.iosim_bus_seq;
	b.iosim_bus_seq = a.iosim_bus_seq;
	assert_int_equal(iosim_bus_check(&test_bus), -EUCLEAN);
	assert_warned("has sequence");
	b.iosim_bus_seq = seq;

	b.bus = &other_bus;
	assert_int_equal(iosim_bus_check(&test_bus), -EUCLEAN);
	assert_warned("on another bus");
	b.bus = &test_bus;

	b.name = NULL;
	assert_int_equal(iosim_bus_check(&test_bus), -EUCLEAN);
	assert_warned("nameless");
	b.name = "b";

	b.iosim_bus_node.prev = &stray;		/* a's next does not point back at a */
	assert_int_equal(iosim_bus_check(&test_bus), -EUCLEAN);
	assert_warned("driver list link broken");
	b.iosim_bus_node.prev = &a.iosim_bus_node;

	dev->driver = NULL;
	assert_int_equal(iosim_bus_check(&test_bus), -EUCLEAN);
	assert_warned("bound to no driver");
	dev->driver = &a;

	assert_int_equal(iosim_bus_check(&test_bus), 0);
	iosim_device_destroy(dev);
	driver_unregister(&b);
	driver_unregister(&a);

	/* An empty driver list whose tail link points elsewhere. */
	stray.next = &stray;
	test_bus.iosim_drivers.prev = &stray;
	assert_int_equal(iosim_bus_check(&test_bus), -EUCLEAN);
	assert_warned("driver list tail does not close the list");
	test_bus.iosim_drivers.prev = &test_bus.iosim_drivers;
	probe_test_end(&test_bus, &r);
}

static void test_device_del_notifies_del_before_and_removed_after_unlisting(void **state)
{
	struct recorder r;
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	dev = create_on(&test_bus, "del0");
	recorder_start(&r, &test_bus);
	get_device(dev);		/* keep it to look at after the delete */
	device_del(dev);
	assert_int_equal(r.nr, 2);
	assert_event(&r, 0, BUS_NOTIFY_DEL_DEVICE, dev, true);
	assert_event(&r, 1, BUS_NOTIFY_REMOVED_DEVICE, dev, false);
	assert_false(r.ev[1].added_flag);
	assert_false(dev->iosim_added);
	assert_int_equal(iosim_device_check(dev), 0);
	iosim_device_destroy(dev);	/* not added any more: no more events */
	assert_int_equal(r.nr, 2);
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 1);
	put_device(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
	recorder_stop(&r);
	unregister_bus(&test_bus);
}

static void test_bus_notifier_sees_events_in_order_with_their_devices(void **state)
{
	struct recorder r;
	struct device *a, *b;

	(void)state;
	register_bus(&test_bus);
	recorder_start(&r, &test_bus);
	a = create_on(&test_bus, "a");
	b = create_on(&test_bus, "b");
	iosim_device_destroy(a);
	iosim_device_destroy(b);
	assert_int_equal(r.nr, 6);
	assert_event(&r, 0, BUS_NOTIFY_ADD_DEVICE, a, true);
	assert_event(&r, 1, BUS_NOTIFY_ADD_DEVICE, b, true);
	assert_event(&r, 2, BUS_NOTIFY_DEL_DEVICE, a, true);
	assert_event(&r, 3, BUS_NOTIFY_REMOVED_DEVICE, a, false);
	assert_event(&r, 4, BUS_NOTIFY_DEL_DEVICE, b, true);
	assert_event(&r, 5, BUS_NOTIFY_REMOVED_DEVICE, b, false);
	recorder_stop(&r);
	unregister_bus(&test_bus);
}

static void test_bus_notifiers_on_one_bus_do_not_hear_another(void **state)
{
	struct recorder on_test, on_other;
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	register_bus(&other_bus);
	recorder_start(&on_test, &test_bus);
	recorder_start(&on_other, &other_bus);
	dev = create_on(&other_bus, "o0");
	iosim_device_destroy(dev);
	assert_int_equal(on_test.nr, 0);
	assert_int_equal(on_other.nr, 3);
	recorder_stop(&on_test);
	recorder_stop(&on_other);
	unregister_bus(&test_bus);
	unregister_bus(&other_bus);
}

static void test_bus_register_notifier_twice_warns_eexist(void **state)
{
	struct recorder r;
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	recorder_start(&r, &test_bus);
	assert_int_equal(bus_register_notifier(&test_bus, &r.nb), -EEXIST);
	assert_warned("already registered");
	assert_int_equal(iosim_bus_check(&test_bus), 0);
	/* Still exactly one registration: one event per action. */
	dev = create_on(&test_bus, "twice0");
	assert_int_equal(r.nr, 1);
	iosim_device_destroy(dev);
	recorder_stop(&r);
	unregister_bus(&test_bus);
}

static void test_bus_unregister_notifier_unknown_warns_enoent(void **state)
{
	struct recorder r, stranger;

	(void)state;
	register_bus(&test_bus);
	recorder_start(&r, &test_bus);
	memset(&stranger, 0, sizeof(stranger));
	stranger.nb.notifier_call = record_bus_event;
	assert_int_equal(bus_unregister_notifier(&test_bus, &stranger.nb), -ENOENT);
	assert_warned("is not registered");
	assert_ptr_equal(test_bus.iosim_notifier.head, &r.nb);
	recorder_stop(&r);
	assert_int_equal(bus_unregister_notifier(&test_bus, &r.nb), -ENOENT);
	assert_warned("is not registered");
	unregister_bus(&test_bus);
}

static void test_bus_notifier_calls_on_unregistered_bus_warn_einval(void **state)
{
	struct recorder r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.nb.notifier_call = record_bus_event;
	assert_int_equal(bus_register_notifier(&test_bus, &r.nb), -EINVAL);
	assert_warned("is not registered");
	assert_int_equal(bus_unregister_notifier(&test_bus, &r.nb), -EINVAL);
	assert_warned("is not registered");
	assert_int_equal(bus_register_notifier(NULL, &r.nb), -EINVAL);
	assert_warned("is not registered");
	assert_int_equal(bus_unregister_notifier(NULL, &r.nb), -EINVAL);
	assert_warned("is not registered");
	assert_false(test_bus.iosim_registered);
}

/* bus_for_each_dev() callbacks */
#define MAX_VISITS	16
struct visit_log {
	int nr;
	struct device *seen[MAX_VISITS];
	struct device *stop_at;		/* return 7 there */
	struct device *destroy_at;	/* destroy this device when visiting destroy_when */
	struct device *destroy_when;
	const char *create_name;	/* create a device on create_bus at the first visit */
	struct bus_type *create_bus;
	struct device *created;
	int nested_count;		/* devices seen by a nested walk at the first visit */
	bool nest;
	struct device *check_alive;	/* after destroying it, read it (ASan checks) */
};

static int visit_fn(struct device *dev, void *data)
{
	struct visit_log *v = data;

	if (v->nr < MAX_VISITS)
		v->seen[v->nr] = dev;
	v->nr++;
	if (v->create_name && v->nr == 1) {
		struct iosim_device_config cfg = { .name = v->create_name, .bus = v->create_bus };

		v->created = iosim_device_create(&cfg);
	}
	if (v->nest && v->nr == 1)
		v->nested_count = bus_nr_devices(dev->bus);
	if (v->destroy_when == dev) {
		iosim_device_destroy(v->destroy_at);
		if (v->destroy_at == dev) {
			/* Still ours to read: the walk holds a reference. */
			v->check_alive = dev;
			if (strcmp(dev_name(dev), "") == 0 || dev->iosim_added)
				return -EFAULT;
		}
	}
	if (dev == v->stop_at)
		return 7;
	return 0;
}

static void test_bus_for_each_dev_visits_in_add_order(void **state)
{
	struct device *d[4];
	struct visit_log v = { 0 };
	int i;

	(void)state;
	register_bus(&test_bus);
	d[0] = create_on(&test_bus, "d0");
	d[1] = create_on(&test_bus, "d1");
	d[2] = create_on(&test_bus, "d2");
	d[3] = create_on(&test_bus, "d3");
	assert_int_equal(bus_for_each_dev(&test_bus, NULL, &v, visit_fn), 0);
	assert_int_equal(v.nr, 4);
	for (i = 0; i < 4; i++)
		assert_ptr_equal(v.seen[i], d[i]);

	/* A device deleted and added again goes to the tail. */
	device_del(d[1]);
	assert_int_equal(device_add(d[1]), 0);
	memset(&v, 0, sizeof(v));
	bus_for_each_dev(&test_bus, NULL, &v, visit_fn);
	assert_int_equal(v.nr, 4);
	assert_ptr_equal(v.seen[0], d[0]);
	assert_ptr_equal(v.seen[1], d[2]);
	assert_ptr_equal(v.seen[2], d[3]);
	assert_ptr_equal(v.seen[3], d[1]);
	assert_int_equal(iosim_bus_check(&test_bus), 0);

	for (i = 0; i < 4; i++)
		iosim_device_destroy(d[i]);
	unregister_bus(&test_bus);
}

static void test_bus_for_each_dev_stops_at_first_nonzero_and_returns_it(void **state)
{
	struct device *d0, *d1, *d2;
	struct visit_log v = { 0 };

	(void)state;
	register_bus(&test_bus);
	d0 = create_on(&test_bus, "s0");
	d1 = create_on(&test_bus, "s1");
	d2 = create_on(&test_bus, "s2");
	v.stop_at = d1;
	assert_int_equal(bus_for_each_dev(&test_bus, NULL, &v, visit_fn), 7);
	assert_int_equal(v.nr, 2);
	assert_ptr_equal(v.seen[1], d1);
	/* No reference is left behind on the device the walk stopped at. */
	assert_int_equal(refs(d1), 2);
	iosim_device_destroy(d0);
	iosim_device_destroy(d1);
	iosim_device_destroy(d2);
	unregister_bus(&test_bus);
}

static void test_bus_for_each_dev_starts_after_start(void **state)
{
	struct device *d0, *d1, *d2;
	struct visit_log v = { 0 };

	(void)state;
	register_bus(&test_bus);
	d0 = create_on(&test_bus, "t0");
	d1 = create_on(&test_bus, "t1");
	d2 = create_on(&test_bus, "t2");
	assert_int_equal(bus_for_each_dev(&test_bus, d0, &v, visit_fn), 0);
	assert_int_equal(v.nr, 2);
	assert_ptr_equal(v.seen[0], d1);
	assert_ptr_equal(v.seen[1], d2);
	memset(&v, 0, sizeof(v));
	assert_int_equal(bus_for_each_dev(&test_bus, d2, &v, visit_fn), 0);
	assert_int_equal(v.nr, 0);
	assert_int_equal(refs(d0), 2);
	iosim_device_destroy(d0);
	iosim_device_destroy(d1);
	iosim_device_destroy(d2);
	unregister_bus(&test_bus);
}

static void test_bus_for_each_dev_misuse_warns_einval_without_calls(void **state)
{
	struct device *on_test, *on_other;
	struct visit_log v = { 0 };

	(void)state;
	register_bus(&test_bus);
	register_bus(&other_bus);
	on_test = create_on(&test_bus, "m0");
	on_other = create_on(&other_bus, "m1");

	assert_int_equal(bus_for_each_dev(&test_bus, on_other, &v, visit_fn), -EINVAL);
	assert_warned("is not on bus");
	assert_int_equal(bus_for_each_dev(&test_bus, NULL, &v, NULL), -EINVAL);
	assert_warned("NULL function");
	assert_int_equal(bus_for_each_dev(NULL, NULL, &v, visit_fn), -EINVAL);
	assert_warned("is not registered");
	iosim_device_destroy(on_other);
	unregister_bus(&other_bus);
	assert_int_equal(bus_for_each_dev(&other_bus, NULL, &v, visit_fn), -EINVAL);
	assert_warned("is not registered");
	assert_int_equal(v.nr, 0);

	iosim_device_destroy(on_test);
	unregister_bus(&test_bus);
}

static void test_bus_for_each_dev_callback_may_destroy_the_current_device(void **state)
{
	struct device *d0, *d1, *d2;
	struct visit_log v = { 0 };

	(void)state;
	register_bus(&test_bus);
	d0 = create_on(&test_bus, "c0");
	d1 = create_on(&test_bus, "c1");
	d2 = create_on(&test_bus, "c2");
	v.destroy_when = d1;
	v.destroy_at = d1;
	assert_int_equal(bus_for_each_dev(&test_bus, NULL, &v, visit_fn), 0);
	assert_ptr_equal(v.check_alive, d1);
	assert_int_equal(v.nr, 3);
	assert_ptr_equal(v.seen[0], d0);
	assert_ptr_equal(v.seen[1], d1);
	assert_ptr_equal(v.seen[2], d2);
	/* The walk's reference was the last: d1 is gone now. */
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 2);
	assert_int_equal(bus_nr_devices(&test_bus), 2);
	assert_int_equal(iosim_bus_check(&test_bus), 0);
	iosim_device_destroy(d0);
	iosim_device_destroy(d2);
	unregister_bus(&test_bus);
}

static void test_bus_for_each_dev_callback_may_destroy_the_next_device(void **state)
{
	struct device *d0, *d1, *d2;
	struct visit_log v = { 0 };

	(void)state;
	register_bus(&test_bus);
	d0 = create_on(&test_bus, "n0");
	d1 = create_on(&test_bus, "n1");
	d2 = create_on(&test_bus, "n2");
	v.destroy_when = d0;
	v.destroy_at = d1;
	assert_int_equal(bus_for_each_dev(&test_bus, NULL, &v, visit_fn), 0);
	assert_int_equal(v.nr, 2);
	assert_ptr_equal(v.seen[0], d0);
	assert_ptr_equal(v.seen[1], d2);
	iosim_device_destroy(d0);
	iosim_device_destroy(d2);
	unregister_bus(&test_bus);
}

static void test_bus_for_each_dev_visits_devices_added_during_the_walk(void **state)
{
	struct device *d0, *d1;
	struct visit_log v = { 0 };

	(void)state;
	register_bus(&test_bus);
	d0 = create_on(&test_bus, "w0");
	d1 = create_on(&test_bus, "w1");
	v.create_name = "w2";
	v.create_bus = &test_bus;
	v.nest = true;
	assert_int_equal(bus_for_each_dev(&test_bus, NULL, &v, visit_fn), 0);
	assert_non_null(v.created);
	/* The nested walk ran inside the first callback, after the creation. */
	assert_int_equal(v.nested_count, 3);
	assert_int_equal(v.nr, 3);
	assert_ptr_equal(v.seen[2], v.created);
	iosim_device_destroy(d0);
	iosim_device_destroy(d1);
	iosim_device_destroy(v.created);
	unregister_bus(&test_bus);
}

/* A notifier that walks the bus (and so must not run under the list lock). */
struct walking_nb {
	struct notifier_block nb;
	struct bus_type *bus;
	int counts[4];
	int nr;
};

static int walking_cb(struct notifier_block *nb, unsigned long action, void *data)
{
	struct walking_nb *w = container_of(nb, struct walking_nb, nb);

	if (w->nr < 4)
		w->counts[w->nr] = bus_nr_devices(w->bus);
	w->nr++;
	return NOTIFY_DONE;
}

static void test_bus_notifier_callbacks_may_walk_the_bus(void **state)
{
	struct walking_nb w = { .nb.notifier_call = walking_cb, .bus = &test_bus };
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	assert_int_equal(bus_register_notifier(&test_bus, &w.nb), 0);
	dev = create_on(&test_bus, "walk0");
	iosim_device_destroy(dev);
	assert_int_equal(w.nr, 3);
	assert_int_equal(w.counts[0], 1);	/* ADD: listed */
	assert_int_equal(w.counts[1], 1);	/* DEL: still listed */
	assert_int_equal(w.counts[2], 0);	/* REMOVED: gone */
	assert_int_equal(bus_unregister_notifier(&test_bus, &w.nb), 0);
	unregister_bus(&test_bus);
}

static void test_bus_check_reports_corrupted_lists(void **state)
{
	struct device *d0, *d1;
	u64 seq;

	(void)state;
	register_bus(&test_bus);
	d0 = create_on(&test_bus, "k0");
	d1 = create_on(&test_bus, "k1");

	seq = d1->iosim_bus_seq;
	d1->iosim_bus_seq = d0->iosim_bus_seq;
	assert_int_equal(iosim_bus_check(&test_bus), -EUCLEAN);
	assert_warned("sequence");
	d1->iosim_bus_seq = seq;

	d1->bus = &other_bus;
	assert_int_equal(iosim_bus_check(&test_bus), -EUCLEAN);
	assert_warned("on another bus");
	assert_int_equal(iosim_device_check(d1), -EUCLEAN);
	assert_warned("dev->bus is 'otherbus'");
	d1->bus = &test_bus;

	d1->iosim_bus_node.prev = &test_bus.iosim_devices;
	assert_int_equal(iosim_bus_check(&test_bus), -EUCLEAN);
	assert_warned("link broken");
	d1->iosim_bus_node.prev = &d0->iosim_bus_node;

	assert_int_equal(iosim_bus_check(NULL), -EUCLEAN);
	assert_warned("is not registered");
	assert_int_equal(iosim_bus_check(&other_bus), -EUCLEAN);
	assert_warned("is not registered");

	assert_int_equal(iosim_bus_check(&test_bus), 0);
	iosim_device_destroy(d0);
	iosim_device_destroy(d1);
	unregister_bus(&test_bus);
}

static void test_bus_check_reports_a_broken_empty_list(void **state)
{
	struct list_head stray;

	(void)state;
	register_bus(&test_bus);
	INIT_LIST_HEAD(&stray);
	test_bus.iosim_devices.prev = &stray;
	assert_int_equal(iosim_bus_check(&test_bus), -EUCLEAN);
	assert_warned("does not close the list");
	test_bus.iosim_devices.prev = &test_bus.iosim_devices;
	unregister_bus(&test_bus);
}

/* Devices come and go on a bus while other threads walk it. */
#define BUS_THREADS	3
#define BUS_ROUNDS	100

static void *creator_thread(void *arg)
{
	struct iosim_device_config cfg = { .name = "churn", .bus = &test_bus };
	long failures = 0;
	int i;

	for (i = 0; i < BUS_ROUNDS; i++) {
		struct device *dev = iosim_device_create(&cfg);

		failures += !dev;
		iosim_device_destroy(dev);
	}
	return (void *)failures;
}

static void *walker_thread(void *arg)
{
	long failures = 0;
	int i, n;

	for (i = 0; i < BUS_ROUNDS; i++) {
		n = 0;
		failures += bus_for_each_dev(&test_bus, NULL, &n, count_fn) != 0;
		failures += n > BUS_THREADS + 1;
	}
	return (void *)failures;
}

/* Counts events from several threads at once, and walks the bus each time. */
static long concurrent_events;

static int concurrent_event_cb(struct notifier_block *nb, unsigned long action, void *data)
{
	int n = 0;

	bus_for_each_dev(&test_bus, NULL, &n, count_fn);
	__atomic_fetch_add(&concurrent_events, 1, __ATOMIC_RELAXED);
	return NOTIFY_DONE;
}

static void test_bus_survives_concurrent_add_del_and_walks(void **state)
{
	pthread_t threads[2 * BUS_THREADS];
	struct notifier_block nb = { .notifier_call = concurrent_event_cb };
	struct device *anchor;
	void *failures;
	int i;

	(void)state;
	register_bus(&test_bus);
	concurrent_events = 0;
	assert_int_equal(bus_register_notifier(&test_bus, &nb), 0);
	anchor = create_on(&test_bus, "anchor");
	for (i = 0; i < BUS_THREADS; i++) {
		assert_int_equal(pthread_create(&threads[2 * i], NULL, creator_thread, NULL), 0);
		assert_int_equal(pthread_create(&threads[2 * i + 1], NULL, walker_thread, NULL), 0);
	}
	for (i = 0; i < 2 * BUS_THREADS; i++) {
		assert_int_equal(pthread_join(threads[i], &failures), 0);
		assert_int_equal((long)failures, 0);
	}
	/* 1 ADD for the anchor, then ADD, DEL, REMOVED per churned device. */
	assert_int_equal(concurrent_events, 1 + 3 * BUS_THREADS * BUS_ROUNDS);
	assert_int_equal(bus_nr_devices(&test_bus), 1);
	assert_int_equal(iosim_bus_check(&test_bus), 0);
	assert_int_equal(bus_unregister_notifier(&test_bus, &nb), 0);
	iosim_device_destroy(anchor);
	unregister_bus(&test_bus);
}

/* ------------------------------------------------------------------------ */
/* struct device                                                             */
/* ------------------------------------------------------------------------ */

static void test_device_initialize_gives_the_caller_one_reference(void **state)
{
	struct counted_device cd;

	(void)state;
	counted_init(&cd, &test_bus, "init0");
	device_initialize(&cd.dev);
	assert_true(cd.dev.iosim_initialized);
	assert_int_equal(refs(&cd.dev), 1);
	assert_true(list_empty(&cd.dev.dma_pools));
	assert_false(device_is_registered(&cd.dev));
	assert_int_equal(iosim_device_check(&cd.dev), 0);
	put_device(&cd.dev);
	assert_int_equal(cd.released, 1);
	assert_false(cd.dev.iosim_initialized);
}

static void test_device_initialize_of_a_live_device_warns_and_changes_nothing(void **state)
{
	struct counted_device cd;

	(void)state;
	register_bus(&test_bus);
	counted_init(&cd, &test_bus, "reinit0");
	assert_int_equal(device_register(&cd.dev), 0);
	get_device(&cd.dev);
	device_initialize(&cd.dev);
	assert_warned("already initialized");
	assert_int_equal(refs(&cd.dev), 3);
	assert_true(dev_on_bus(&test_bus, &cd.dev));
	assert_int_equal(iosim_device_check(&cd.dev), 0);
	put_device(&cd.dev);
	device_unregister(&cd.dev);
	assert_int_equal(cd.released, 1);
	unregister_bus(&test_bus);
}

static void test_dev_set_name_formats_truncates_and_replaces_slashes(void **state)
{
	struct device dev;
	char longname[200];

	(void)state;
	memset(&dev, 0, sizeof(dev));
	assert_string_equal(dev_name(&dev), "(unnamed)");
	assert_int_equal(dev_set_name(&dev, "%s.%d", "smmu", 3), 0);
	assert_string_equal(dev_name(&dev), "smmu.3");
	assert_int_equal(dev_set_name(&dev, "soc/%s", "uart"), 0);
	assert_string_equal(dev_name(&dev), "soc!uart");

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(dev_set_name(&dev, "%s", longname), 0);
	assert_int_equal(strlen(dev_name(&dev)), IOSIM_DEV_NAME_LEN - 1);
}

static void test_dev_name_prefers_init_name_and_handles_null(void **state)
{
	struct device dev;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	dev_set_name(&dev, "kobj");
	dev.init_name = "init";
	assert_string_equal(dev_name(&dev), "init");
	dev.init_name = NULL;
	assert_string_equal(dev_name(&dev), "kobj");
	assert_string_equal(dev_name(NULL), "(NULL device *)");
}

static void test_dev_printk_prefixes_the_device_name(void **state)
{
	struct device dev;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	dev_set_name(&dev, "printer0");
	dev_err(&dev, "out of paper %d\n", 3);
	assert_true(iosim_log_seen("printer0: out of paper 3"));
	dev_warn(NULL, "orphan\n");
	assert_true(iosim_log_seen("(NULL device *): orphan"));
}

static void test_dev_set_name_injected_failure_keeps_the_old_name(void **state)
{
	struct device dev;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	dev_set_name(&dev, "old");
	iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, 1);
	assert_int_equal(dev_set_name(&dev, "new"), -ENOMEM);
	assert_int_equal(iosim_fault_injected(), 1);
	assert_string_equal(dev_name(&dev), "old");
	assert_int_equal(dev_set_name(&dev, "new"), 0);
	assert_string_equal(dev_name(&dev), "new");
}

static void test_device_add_takes_over_init_name(void **state)
{
	struct counted_device cd;

	(void)state;
	register_bus(&test_bus);
	counted_init(&cd, &test_bus, "early-name");
	assert_int_equal(device_register(&cd.dev), 0);
	assert_null(cd.dev.init_name);
	assert_string_equal(dev_name(&cd.dev), "early-name");
	assert_true(device_is_registered(&cd.dev));
	assert_int_equal(refs(&cd.dev), 2);	/* caller + bus list */
	assert_int_equal(iosim_device_check(&cd.dev), 0);
	device_unregister(&cd.dev);
	assert_int_equal(cd.released, 1);
	unregister_bus(&test_bus);
}

static void test_device_add_names_from_bus_dev_name_and_id(void **state)
{
	struct bus_type numbered = { .name = "numbered", .dev_name = "unit" };
	struct counted_device cd;

	(void)state;
	register_bus(&numbered);
	counted_init(&cd, &numbered, NULL);
	cd.dev.id = 12;
	assert_int_equal(device_register(&cd.dev), 0);
	assert_string_equal(dev_name(&cd.dev), "unit12");
	device_unregister(&cd.dev);
	unregister_bus(&numbered);
}

static void test_device_add_without_a_name_warns_einval(void **state)
{
	struct counted_device cd;

	(void)state;
	register_bus(&test_bus);
	counted_init(&cd, &test_bus, NULL);
	assert_int_equal(device_register(&cd.dev), -EINVAL);
	assert_warned("has no name");
	assert_false(cd.dev.iosim_added);
	assert_int_equal(bus_nr_devices(&test_bus), 0);
	put_device(&cd.dev);
	assert_int_equal(cd.released, 1);
	unregister_bus(&test_bus);
}

static void test_device_add_twice_warns_eexist_and_keeps_the_list(void **state)
{
	struct counted_device cd;
	struct recorder r;

	(void)state;
	register_bus(&test_bus);
	recorder_start(&r, &test_bus);
	counted_init(&cd, &test_bus, "dup0");
	assert_int_equal(device_register(&cd.dev), 0);
	assert_int_equal(device_add(&cd.dev), -EEXIST);
	assert_warned("already added");
	assert_int_equal(r.nr, 1);
	assert_int_equal(refs(&cd.dev), 2);
	assert_int_equal(bus_nr_devices(&test_bus), 1);
	assert_int_equal(iosim_bus_check(&test_bus), 0);
	device_unregister(&cd.dev);
	assert_int_equal(cd.released, 1);
	recorder_stop(&r);
	unregister_bus(&test_bus);
}

static void test_device_add_without_a_registered_bus_warns_einval(void **state)
{
	struct counted_device cd;

	(void)state;
	counted_init(&cd, NULL, "busless0");
	assert_int_equal(device_register(&cd.dev), -EINVAL);
	assert_warned("no registered bus");
	cd.dev.bus = &test_bus;		/* defined but not registered */
	assert_int_equal(device_add(&cd.dev), -EINVAL);
	assert_warned("no registered bus");
	assert_false(cd.dev.iosim_added);
	assert_string_equal(dev_name(&cd.dev), "busless0");	/* init_name kept */
	assert_int_equal(refs(&cd.dev), 1);
	put_device(&cd.dev);
	assert_int_equal(cd.released, 1);
}

static void test_device_add_of_uninitialized_device_warns_einval(void **state)
{
	struct counted_device cd;

	(void)state;
	register_bus(&test_bus);
	counted_init(&cd, &test_bus, "raw0");
	assert_int_equal(device_add(&cd.dev), -EINVAL);
	assert_warned("not initialized");
	assert_int_equal(bus_nr_devices(&test_bus), 0);
	assert_int_equal(refs(&cd.dev), 0);
	unregister_bus(&test_bus);
}

static void test_device_add_injected_failure_returns_enomem_and_adds_nothing(void **state)
{
	struct counted_device cd;
	struct recorder r;

	(void)state;
	register_bus(&test_bus);
	recorder_start(&r, &test_bus);
	counted_init(&cd, &test_bus, "nomem0");
	device_initialize(&cd.dev);
	iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, 1);
	assert_int_equal(device_add(&cd.dev), -ENOMEM);
	assert_int_equal(iosim_fault_injected(), 1);
	assert_int_equal(r.nr, 0);
	assert_false(cd.dev.iosim_added);
	assert_int_equal(refs(&cd.dev), 1);
	assert_int_equal(iosim_device_check(&cd.dev), 0);
	/* A retry succeeds. */
	assert_int_equal(device_add(&cd.dev), 0);
	assert_int_equal(r.nr, 1);
	device_unregister(&cd.dev);
	assert_int_equal(cd.released, 1);
	recorder_stop(&r);
	unregister_bus(&test_bus);
}

static void test_device_del_of_a_device_never_added_warns_and_changes_nothing(void **state)
{
	struct counted_device cd;

	(void)state;
	counted_init(&cd, &test_bus, "never0");
	device_initialize(&cd.dev);
	device_del(&cd.dev);
	assert_warned("is not added");
	assert_int_equal(refs(&cd.dev), 1);
	device_unregister(&cd.dev);
	assert_warned("is not added");
	assert_int_equal(refs(&cd.dev), 1);
	assert_int_equal(cd.released, 0);
	put_device(&cd.dev);
	assert_int_equal(cd.released, 1);
}

static void test_device_del_twice_warns_and_sends_one_set_of_events(void **state)
{
	struct counted_device cd;
	struct recorder r;

	(void)state;
	register_bus(&test_bus);
	counted_init(&cd, &test_bus, "deltwice0");
	assert_int_equal(device_register(&cd.dev), 0);
	recorder_start(&r, &test_bus);
	device_del(&cd.dev);
	device_del(&cd.dev);
	assert_warned("is not added");
	assert_int_equal(r.nr, 2);
	assert_int_equal(refs(&cd.dev), 1);
	put_device(&cd.dev);
	assert_int_equal(cd.released, 1);
	recorder_stop(&r);
	unregister_bus(&test_bus);
}

/* Deletes the device again from its own DEL_DEVICE notification. */
static int nested_del_cb(struct notifier_block *nb, unsigned long action, void *data)
{
	if (action == BUS_NOTIFY_DEL_DEVICE)
		device_del(data);
	return NOTIFY_OK;
}

static void test_device_del_nested_in_its_own_notification_is_refused(void **state)
{
	struct notifier_block nb = { .notifier_call = nested_del_cb };
	struct recorder r;
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	dev = create_on(&test_bus, "nested0");
	recorder_start(&r, &test_bus);
	assert_int_equal(bus_register_notifier(&test_bus, &nb), 0);
	iosim_device_destroy(dev);
	assert_warned("already being deleted");
	assert_int_equal(r.nr, 2);
	assert_int_equal(bus_unregister_notifier(&test_bus, &nb), 0);
	recorder_stop(&r);
	unregister_bus(&test_bus);
}

static void test_device_unregister_without_release_warns_like_the_kernel(void **state)
{
	struct device dev;

	(void)state;
	register_bus(&test_bus);
	memset(&dev, 0, sizeof(dev));
	dev.bus = &test_bus;
	dev.init_name = "norelease0";
	assert_int_equal(device_register(&dev), 0);
	device_unregister(&dev);
	assert_warned("does not have a release() function");
	assert_int_equal(refs(&dev), 0);
	assert_false(dev.iosim_initialized);
	unregister_bus(&test_bus);
}

static void test_get_and_put_device_count_and_release_on_the_last(void **state)
{
	struct counted_device cd;

	(void)state;
	register_bus(&test_bus);
	counted_init(&cd, &test_bus, "refs0");
	assert_int_equal(device_register(&cd.dev), 0);
	assert_ptr_equal(get_device(&cd.dev), &cd.dev);
	assert_int_equal(refs(&cd.dev), 3);
	device_unregister(&cd.dev);
	assert_int_equal(refs(&cd.dev), 1);
	assert_int_equal(cd.released, 0);
	put_device(&cd.dev);
	assert_int_equal(cd.released, 1);

	/* NULL is allowed, as in the kernel. */
	assert_null(get_device(NULL));
	put_device(NULL);
	unregister_bus(&test_bus);
}

static void test_put_device_without_references_warns_and_releases_once(void **state)
{
	struct counted_device cd;

	(void)state;
	counted_init(&cd, NULL, "over0");
	device_initialize(&cd.dev);
	put_device(&cd.dev);
	assert_int_equal(cd.released, 1);
	put_device(&cd.dev);
	assert_warned("has no reference left");
	assert_int_equal(cd.released, 1);
	assert_int_equal(refs(&cd.dev), 0);
	assert_ptr_equal(get_device(&cd.dev), &cd.dev);
	assert_warned("already released");
	assert_int_equal(refs(&cd.dev), 0);
}

static void test_put_device_of_last_reference_while_listed_warns_and_keeps_it(void **state)
{
	struct counted_device cd;

	(void)state;
	register_bus(&test_bus);
	counted_init(&cd, &test_bus, "listed0");
	assert_int_equal(device_register(&cd.dev), 0);
	put_device(&cd.dev);		/* the caller's */
	put_device(&cd.dev);		/* the list's: a bug */
	assert_warned("while it is on a bus");
	assert_int_equal(cd.released, 0);
	assert_int_equal(refs(&cd.dev), 1);
	assert_int_equal(iosim_bus_check(&test_bus), 0);
	device_del(&cd.dev);		/* drops the list's reference: released */
	assert_int_equal(cd.released, 1);
	unregister_bus(&test_bus);
}

static void test_device_add_holds_a_reference_on_the_parent(void **state)
{
	struct counted_device parent, child;

	(void)state;
	register_bus(&test_bus);
	counted_init(&parent, &test_bus, "parent0");
	counted_init(&child, &test_bus, "child0");
	assert_int_equal(device_register(&parent.dev), 0);
	child.dev.parent = &parent.dev;
	assert_int_equal(device_register(&child.dev), 0);
	assert_int_equal(refs(&parent.dev), 3);
	device_unregister(&parent.dev);
	assert_int_equal(parent.released, 0);	/* the child still holds it */
	device_unregister(&child.dev);
	assert_int_equal(child.released, 1);
	assert_int_equal(parent.released, 1);
	unregister_bus(&test_bus);
}

static void test_device_add_with_a_released_parent_warns_einval(void **state)
{
	struct counted_device parent, child;

	(void)state;
	register_bus(&test_bus);
	counted_init(&parent, &test_bus, "gone0");
	device_initialize(&parent.dev);
	put_device(&parent.dev);
	counted_init(&child, &test_bus, "orphan0");
	child.dev.parent = &parent.dev;
	assert_int_equal(device_register(&child.dev), -EINVAL);
	assert_warned("parent");
	assert_int_equal(bus_nr_devices(&test_bus), 0);
	put_device(&child.dev);
	assert_int_equal(child.released, 1);
	unregister_bus(&test_bus);
}

static void test_null_device_arguments_warn_instead_of_crashing(void **state)
{
	(void)state;
	device_initialize(NULL);
	assert_warned("NULL device");
	assert_int_equal(device_add(NULL), -EINVAL);
	assert_warned("NULL device");
	device_del(NULL);
	assert_warned("NULL device");
	assert_int_equal(device_register(NULL), -EINVAL);
	assert_warned("NULL device");
	device_unregister(NULL);
	assert_warned("NULL device");
	assert_int_equal(dev_set_name(NULL, "x"), -EINVAL);
	assert_warned("NULL device");
	assert_int_equal(iosim_device_check(NULL), -EUCLEAN);
	assert_warned("NULL device");
	assert_int_equal(dma_set_mask(NULL, DMA_BIT_MASK(32)), -EIO);
	assert_warned("NULL device");
	assert_int_equal(dma_set_coherent_mask(NULL, DMA_BIT_MASK(32)), -EIO);
	assert_warned("NULL device");
	assert_int_equal(dma_set_mask_and_coherent(NULL, DMA_BIT_MASK(32)), -EIO);
	assert_warned("NULL device");
	assert_int_equal(dma_get_max_seg_size(NULL), SZ_64K);
	assert_warned("NULL device");
	assert_int_equal(dma_set_max_seg_size(NULL, SZ_4K), (unsigned int)-EIO);
	assert_warned("NULL device");
	assert_int_equal(dma_get_seg_boundary(NULL), 0xffffffffUL);
	assert_warned("NULL device");
	assert_int_equal(dma_set_seg_boundary(NULL, 0xfff), -EIO);
	assert_warned("NULL device");
	/* Where the kernel copes with NULL, so do we, silently. */
	assert_int_equal(dma_get_mask(NULL), DMA_BIT_MASK(32));
	assert_false(is_device_dma_coherent(NULL));
	assert_int_equal(dma_supported(NULL, DMA_BIT_MASK(24)), 1);
}

static void test_device_check_reports_inconsistent_devices(void **state)
{
	struct counted_device cd;
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	counted_init(&cd, &test_bus, "chk0");
	assert_int_equal(iosim_device_check(&cd.dev), -EUCLEAN);
	assert_warned("not initialized");
	device_initialize(&cd.dev);
	cd.dev.iosim_added = true;
	assert_int_equal(iosim_device_check(&cd.dev), -EUCLEAN);
	assert_warned("not on a bus but marked added");
	cd.dev.iosim_added = false;
	put_device(&cd.dev);

	dev = create_on(&test_bus, "chk1");
	dev->iosim_added = false;
	assert_int_equal(iosim_device_check(dev), -EUCLEAN);
	assert_warned("marked added but not on bus");
	assert_int_equal(iosim_bus_check(&test_bus), -EUCLEAN);
	assert_warned("not marked added");
	dev->iosim_added = true;
	dev->init_name = "late";
	assert_int_equal(iosim_device_check(dev), -EUCLEAN);
	assert_warned("without taking over its name");
	dev->init_name = NULL;
	assert_int_equal(iosim_device_check(dev), 0);
	iosim_device_destroy(dev);
	unregister_bus(&test_bus);
}

/* ------------------------------------------------------------------------ */
/* DMA limits, ops, attributes                                               */
/* ------------------------------------------------------------------------ */

static int refuse_below_32_bits(struct device *dev, u64 mask)
{
	return mask >= DMA_BIT_MASK(32);
}

static struct dma_map_ops picky_ops = { .dma_supported = refuse_below_32_bits };
static struct dma_map_ops lax_ops;	/* no dma_supported callback */

static void test_dma_bit_mask_values(void **state)
{
	(void)state;
	assert_true(DMA_BIT_MASK(64) == ~0ULL);
	assert_true(DMA_BIT_MASK(32) == 0xffffffffULL);
	assert_true(DMA_BIT_MASK(40) == 0xffffffffffULL);
	assert_true(DMA_BIT_MASK(1) == 1ULL);
	assert_true(DMA_BIT_MASK(0) == 0ULL);
}

static void test_dma_get_mask_defaults_to_32_bits_when_unset(void **state)
{
	struct device dev;
	u64 storage = 0;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	assert_true(dma_get_mask(&dev) == DMA_BIT_MASK(32));	/* no storage */
	dev.dma_mask = &storage;
	assert_true(dma_get_mask(&dev) == DMA_BIT_MASK(32));	/* storage holds 0 */
	storage = DMA_BIT_MASK(48);
	assert_true(dma_get_mask(&dev) == DMA_BIT_MASK(48));
}

static void test_dma_set_mask_stores_through_dma_mask(void **state)
{
	struct device dev;
	u64 storage = 0;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	dev.dma_mask = &storage;
	assert_int_equal(dma_set_mask(&dev, DMA_BIT_MASK(40)), 0);
	assert_true(storage == DMA_BIT_MASK(40));
	assert_true(dma_get_mask(&dev) == DMA_BIT_MASK(40));
	assert_true(dev.coherent_dma_mask == 0);	/* untouched */
}

static void test_dma_set_mask_without_storage_returns_eio(void **state)
{
	struct device dev;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	assert_int_equal(dma_set_mask(&dev, DMA_BIT_MASK(40)), -EIO);
	assert_null(dev.dma_mask);
	/* The coherent mask has its own storage and is set regardless. */
	assert_int_equal(dma_set_coherent_mask(&dev, DMA_BIT_MASK(40)), 0);
	assert_true(dev.coherent_dma_mask == DMA_BIT_MASK(40));
	/* _and_coherent stops at the streaming mask's failure. */
	dev.coherent_dma_mask = 0;
	assert_int_equal(dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(36)), -EIO);
	assert_true(dev.coherent_dma_mask == 0);
}

static void test_dma_set_mask_and_coherent_sets_both(void **state)
{
	struct device dev;
	u64 storage = DMA_BIT_MASK(32);

	(void)state;
	memset(&dev, 0, sizeof(dev));
	dev.dma_mask = &storage;
	assert_int_equal(dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(64)), 0);
	assert_true(storage == DMA_BIT_MASK(64));
	assert_true(dev.coherent_dma_mask == DMA_BIT_MASK(64));
}

static void test_dma_ops_refusing_a_mask_make_setters_fail_eio(void **state)
{
	struct device dev;
	u64 storage = DMA_BIT_MASK(32);

	(void)state;
	memset(&dev, 0, sizeof(dev));
	dev.dma_mask = &storage;
	dev.coherent_dma_mask = DMA_BIT_MASK(32);
	set_dma_ops(&dev, &picky_ops);
	assert_ptr_equal(get_dma_ops(&dev), &picky_ops);

	assert_int_equal(dma_supported(&dev, DMA_BIT_MASK(24)), 0);
	assert_int_equal(dma_supported(&dev, DMA_BIT_MASK(36)), 1);
	assert_int_equal(dma_set_mask(&dev, DMA_BIT_MASK(24)), -EIO);
	assert_int_equal(dma_set_coherent_mask(&dev, DMA_BIT_MASK(24)), -EIO);
	assert_int_equal(dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(24)), -EIO);
	assert_true(storage == DMA_BIT_MASK(32));
	assert_true(dev.coherent_dma_mask == DMA_BIT_MASK(32));

	assert_int_equal(dma_set_mask_and_coherent(&dev, DMA_BIT_MASK(36)), 0);
	assert_true(storage == DMA_BIT_MASK(36));
	assert_true(dev.coherent_dma_mask == DMA_BIT_MASK(36));
}

static void test_dma_supported_follows_device_then_default_ops(void **state)
{
	struct device dev;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	assert_null(dma_ops);
	assert_null(get_dma_ops(&dev));
	assert_int_equal(dma_supported(&dev, DMA_BIT_MASK(8)), 1);	/* no ops at all */

	dma_ops = &picky_ops;
	assert_ptr_equal(get_dma_ops(&dev), &picky_ops);
	assert_ptr_equal(get_dma_ops(NULL), &picky_ops);
	assert_int_equal(dma_supported(&dev, DMA_BIT_MASK(8)), 0);

	/* The device's own ops win; without a callback every mask is fine. */
	set_dma_ops(&dev, &lax_ops);
	assert_ptr_equal(get_dma_ops(&dev), &lax_ops);
	assert_int_equal(dma_supported(&dev, DMA_BIT_MASK(8)), 1);
	dma_ops = NULL;
}

static void test_dma_segment_limits_default_without_dma_parms(void **state)
{
	struct device dev;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	assert_int_equal(dma_get_max_seg_size(&dev), 65536);
	assert_int_equal(dma_get_seg_boundary(&dev), 0xffffffffUL);
	assert_int_equal(dma_set_max_seg_size(&dev, SZ_4K), (unsigned int)-EIO);
	assert_int_equal(dma_set_seg_boundary(&dev, 0xfff), -EIO);
	assert_int_equal(dma_get_max_seg_size(&dev), 65536);
	assert_int_equal(dma_get_seg_boundary(&dev), 0xffffffffUL);
}

static void test_dma_segment_limits_are_stored_in_dma_parms(void **state)
{
	struct device_dma_parameters parms = { 0 };
	struct device dev;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	dev.dma_parms = &parms;
	assert_int_equal(dma_set_max_seg_size(&dev, SZ_4K), 0);
	assert_int_equal(dma_set_seg_boundary(&dev, 0xffff), 0);
	assert_int_equal(parms.max_segment_size, SZ_4K);
	assert_int_equal(parms.segment_boundary_mask, 0xffff);
	assert_int_equal(dma_get_max_seg_size(&dev), SZ_4K);
	assert_int_equal(dma_get_seg_boundary(&dev), 0xffff);
	assert_int_equal(dma_set_seg_boundary(&dev, ~0UL), 0);
	assert_int_equal(dma_get_seg_boundary(&dev), ~0UL);
}

static void test_dma_attrs_set_and_get_each_attribute(void **state)
{
	DEFINE_DMA_ATTRS(attrs);
	int a, b;

	(void)state;
	for (a = 0; a < DMA_ATTR_MAX; a++)
		assert_int_equal(dma_get_attr(a, &attrs), 0);
	for (a = 0; a < DMA_ATTR_MAX; a++) {
		init_dma_attrs(&attrs);
		dma_set_attr(a, &attrs);
		for (b = 0; b < DMA_ATTR_MAX; b++)
			assert_int_equal(!!dma_get_attr(b, &attrs), a == b);
	}
	dma_set_attr(DMA_ATTR_SKIP_CPU_SYNC, &attrs);
	dma_set_attr(DMA_ATTR_WRITE_COMBINE, &attrs);
	assert_true(dma_get_attr(DMA_ATTR_SKIP_CPU_SYNC, &attrs));
	assert_true(dma_get_attr(DMA_ATTR_WRITE_COMBINE, &attrs));
	init_dma_attrs(&attrs);
	assert_false(dma_get_attr(DMA_ATTR_SKIP_CPU_SYNC, &attrs));
}

static void test_dma_attrs_null_reads_as_unset_and_invalid_attr_warns(void **state)
{
	DEFINE_DMA_ATTRS(attrs);
	struct dma_attrs before;

	(void)state;
	assert_int_equal(dma_get_attr(DMA_ATTR_WRITE_BARRIER, NULL), 0);
	assert_int_equal(dma_get_attr(DMA_ATTR_MAX, NULL), 0);	/* NULL first, as the kernel */

	before = attrs;
	dma_set_attr(DMA_ATTR_MAX, &attrs);
	assert_warned("invalid attribute");
	dma_set_attr((enum dma_attr)-1, &attrs);
	assert_warned("invalid attribute");
	assert_memory_equal(&before, &attrs, sizeof(attrs));
	assert_int_equal(dma_get_attr(DMA_ATTR_MAX, &attrs), 0);
	assert_warned("invalid attribute");
	dma_set_attr(DMA_ATTR_WRITE_BARRIER, NULL);
	assert_warned("NULL attrs");
}

static void test_valid_dma_direction_accepts_only_the_three_directions(void **state)
{
	(void)state;
	assert_true(valid_dma_direction(DMA_BIDIRECTIONAL));
	assert_true(valid_dma_direction(DMA_TO_DEVICE));
	assert_true(valid_dma_direction(DMA_FROM_DEVICE));
	assert_false(valid_dma_direction(DMA_NONE));
	assert_false(valid_dma_direction(4));
	assert_false(valid_dma_direction(-1));
}

static void test_is_device_dma_coherent_reads_archdata(void **state)
{
	struct device dev;

	(void)state;
	memset(&dev, 0, sizeof(dev));
	assert_false(is_device_dma_coherent(&dev));
	dev.archdata.dma_coherent = true;
	assert_true(is_device_dma_coherent(&dev));
	assert_true(DMA_ERROR_CODE == ~(dma_addr_t)0);
}

/* ------------------------------------------------------------------------ */
/* Simulated devices                                                         */
/* ------------------------------------------------------------------------ */

static void test_iosim_device_create_defaults(void **state)
{
	struct iosim_device_config cfg = { .name = "dflt0" };
	struct device *dev;

	(void)state;
	dev = iosim_device_create(&cfg);
	assert_non_null(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 1);
	assert_string_equal(dev_name(dev), "dflt0");
	assert_ptr_equal(dev->bus, &platform_bus_type);
	assert_true(device_is_registered(dev));
	assert_true(dev_on_bus(&platform_bus_type, dev));
	assert_non_null(dev->dma_mask);
	assert_true(*dev->dma_mask == DMA_BIT_MASK(32));
	assert_true(dev->coherent_dma_mask == DMA_BIT_MASK(32));
	assert_non_null(dev->dma_parms);
	assert_int_equal(dma_get_max_seg_size(dev), SZ_64K);
	assert_int_equal(dma_get_seg_boundary(dev), 0xffffffffUL);
	assert_false(is_device_dma_coherent(dev));
	assert_null(dev->archdata.dma_ops);
	assert_null(dev->iommu_group);
	assert_true(iosim_device_is_simulated(dev));
	assert_int_equal(refs(dev), 2);
	assert_int_equal(iosim_device_check(dev), 0);

	/* The storage is the device's own: the setters work. */
	assert_int_equal(dma_set_mask_and_coherent(dev, DMA_BIT_MASK(44)), 0);
	assert_true(dma_get_mask(dev) == DMA_BIT_MASK(44));
	assert_int_equal(dma_set_max_seg_size(dev, SZ_1M), 0);
	assert_int_equal(dma_get_max_seg_size(dev), SZ_1M);

	iosim_device_destroy(dev);
	assert_false(iosim_device_is_simulated(dev));
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
}

static void test_iosim_device_create_honours_each_config_field(void **state)
{
	struct iosim_device_config cfg = {
		.name = "full0",
		.bus = &test_bus,
		.dma_mask = DMA_BIT_MASK(40),
		.coherent_dma_mask = DMA_BIT_MASK(36),
		.coherent = true,
		.max_segment_size = SZ_4K,
		.segment_boundary_mask = 0xffff,
	};
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	dev = iosim_device_create(&cfg);
	assert_non_null(dev);
	assert_ptr_equal(dev->bus, &test_bus);
	assert_true(dev_on_bus(&test_bus, dev));
	assert_true(dma_get_mask(dev) == DMA_BIT_MASK(40));
	assert_true(dev->coherent_dma_mask == DMA_BIT_MASK(36));
	assert_true(is_device_dma_coherent(dev));
	assert_int_equal(dma_get_max_seg_size(dev), SZ_4K);
	assert_int_equal(dma_get_seg_boundary(dev), 0xffff);
	iosim_device_destroy(dev);

	/* coherent_dma_mask 0 follows dma_mask. */
	cfg.coherent_dma_mask = 0;
	cfg.dma_mask = DMA_BIT_MASK(64);
	dev = iosim_device_create(&cfg);
	assert_non_null(dev);
	assert_true(dev->coherent_dma_mask == DMA_BIT_MASK(64));
	iosim_device_destroy(dev);
	unregister_bus(&test_bus);
}

static void test_iosim_device_create_no_dma_parms_uses_kernel_defaults(void **state)
{
	struct iosim_device_config cfg = { .name = "noparms0", .no_dma_parms = true };
	struct device *dev;

	(void)state;
	dev = iosim_device_create(&cfg);
	assert_non_null(dev);
	assert_null(dev->dma_parms);
	assert_int_equal(dma_get_max_seg_size(dev), SZ_64K);
	assert_int_equal(dma_get_seg_boundary(dev), 0xffffffffUL);
	assert_int_equal(dma_set_max_seg_size(dev, SZ_4K), (unsigned int)-EIO);
	assert_int_equal(dma_set_seg_boundary(dev, 0xfff), -EIO);
	/* The mask storage is still there. */
	assert_int_equal(dma_set_mask(dev, DMA_BIT_MASK(48)), 0);
	iosim_device_destroy(dev);
}

static void test_iosim_device_create_no_add_stays_off_the_bus(void **state)
{
	struct iosim_device_config cfg = { .name = "quiet0", .bus = &test_bus, .no_add = true };
	struct recorder r;
	struct device *dev;

	(void)state;
	register_bus(&test_bus);
	recorder_start(&r, &test_bus);
	dev = iosim_device_create(&cfg);
	assert_non_null(dev);
	assert_false(device_is_registered(dev));
	assert_int_equal(bus_nr_devices(&test_bus), 0);
	assert_int_equal(r.nr, 0);
	assert_int_equal(refs(dev), 1);
	assert_int_equal(iosim_device_check(dev), 0);

	/* Destroying it sends nothing. */
	iosim_device_destroy(dev);
	assert_int_equal(r.nr, 0);
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);

	/* Added later by hand, it is deleted by destroy. */
	dev = iosim_device_create(&cfg);
	assert_int_equal(device_add(dev), 0);
	assert_int_equal(r.nr, 1);
	iosim_device_destroy(dev);
	assert_int_equal(r.nr, 3);
	assert_event(&r, 1, BUS_NOTIFY_DEL_DEVICE, dev, true);
	recorder_stop(&r);
	unregister_bus(&test_bus);
}

static void test_iosim_device_create_rejects_bad_configs_with_a_warning(void **state)
{
	struct iosim_device_config cfg = { .name = "bad0" };

	(void)state;
	assert_null(iosim_device_create(NULL));
	assert_warned("NULL config");
	cfg.name = NULL;
	assert_null(iosim_device_create(&cfg));
	assert_warned("a name is required");
	cfg.name = "";
	assert_null(iosim_device_create(&cfg));
	assert_warned("a name is required");

	cfg.name = "bad1";
	cfg.no_dma_parms = true;
	cfg.max_segment_size = SZ_4K;
	assert_null(iosim_device_create(&cfg));
	assert_warned("with no_dma_parms");
	cfg.max_segment_size = 0;
	cfg.segment_boundary_mask = 0xfff;
	assert_null(iosim_device_create(&cfg));
	assert_warned("with no_dma_parms");

	cfg.no_dma_parms = false;
	cfg.segment_boundary_mask = 0x1000;
	assert_null(iosim_device_create(&cfg));
	assert_warned("is not 2^n - 1");

	cfg.segment_boundary_mask = 0;
	cfg.bus = &test_bus;		/* not registered */
	assert_null(iosim_device_create(&cfg));
	assert_warned("no registered bus");
	assert_int_equal(iosim_live_total(), 0);
}

static void test_iosim_device_create_truncates_long_names(void **state)
{
	struct iosim_device_config cfg = { 0 };
	char name[100];
	struct device *dev;

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	cfg.name = name;
	dev = iosim_device_create(&cfg);
	assert_non_null(dev);
	assert_int_equal(strlen(dev_name(dev)), IOSIM_DEV_NAME_LEN - 1);
	assert_memory_equal(dev_name(dev), name, IOSIM_DEV_NAME_LEN - 1);
	iosim_device_destroy(dev);
}

static void test_iosim_device_create_survives_every_allocation_failure(void **state)
{
	struct iosim_device_config cfg = { .name = "sweep0", .bus = &test_bus };
	struct recorder r;
	struct device *dev;
	unsigned long n;

	(void)state;
	register_bus(&test_bus);
	recorder_start(&r, &test_bus);
	for (n = 1; n < 100; n++) {
		iosim_fault_fail_nth(IOSIM_FAULT_ALLOCS, n);
		dev = iosim_device_create(&cfg);
		if (!iosim_fault_injected())
			break;
		assert_null(dev);
		assert_int_equal(iosim_live_total(), 0);
		assert_int_equal(bus_nr_devices(&test_bus), 0);
		assert_int_equal(r.nr, 0);
		assert_int_equal(iosim_bus_check(&test_bus), 0);
	}
	iosim_fault_reset();
	/* kzalloc, dev_set_name and device_add each failed once. */
	assert_int_equal(n, 4);
	assert_non_null(dev);
	assert_int_equal(r.nr, 1);
	assert_int_equal(iosim_device_check(dev), 0);
	iosim_device_destroy(dev);
	recorder_stop(&r);
	unregister_bus(&test_bus);
}

static void test_iosim_device_destroy_of_a_foreign_device_warns_untouched(void **state)
{
	struct counted_device cd;
	static long not_a_device[4];

	(void)state;
	register_bus(&test_bus);
	counted_init(&cd, &test_bus, "foreign0");
	assert_int_equal(device_register(&cd.dev), 0);
	iosim_device_destroy(&cd.dev);
	assert_warned("was not made by iosim_device_create()");
	assert_true(device_is_registered(&cd.dev));
	assert_int_equal(refs(&cd.dev), 2);
	assert_false(iosim_device_is_simulated(&cd.dev));

	/* A stray pointer is only compared, never read. */
	iosim_device_destroy((struct device *)not_a_device);
	assert_warned("was not made by iosim_device_create()");
	assert_false(iosim_device_is_simulated((struct device *)not_a_device));
	assert_false(iosim_device_is_simulated(NULL));

	device_unregister(&cd.dev);
	assert_int_equal(cd.released, 1);
	unregister_bus(&test_bus);
}

static void test_iosim_device_destroy_twice_warns(void **state)
{
	struct iosim_device_config cfg = { .name = "twice0" };
	struct device *keep, *dev;

	(void)state;
	/* A second device keeps the registry non-empty while we look up. */
	keep = iosim_device_create(&cfg);
	dev = iosim_device_create(&cfg);
	iosim_device_destroy(dev);
	iosim_device_destroy(dev);
	assert_warned("already destroyed");
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 1);
	iosim_device_destroy(NULL);		/* a no-op, like kfree(NULL) */
	iosim_device_destroy(keep);
}

static void test_iosim_device_memory_outlives_destroy_while_referenced(void **state)
{
	struct iosim_device_config cfg = { .name = "held0" };
	struct device *dev;

	(void)state;
	dev = iosim_device_create(&cfg);
	get_device(dev);
	iosim_device_destroy(dev);
	assert_false(device_is_registered(dev));
	assert_false(iosim_device_is_simulated(dev));
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 1);
	assert_string_equal(dev_name(dev), "held0");
	assert_int_equal(iosim_device_check(dev), 0);
	put_device(dev);
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
}

static void test_iosim_device_put_without_destroy_releases_and_unregisters(void **state)
{
	struct iosim_device_config cfg = { .name = "putonly0", .no_add = true };
	struct device *dev;

	(void)state;
	dev = iosim_device_create(&cfg);
	assert_true(iosim_device_is_simulated(dev));
	put_device(dev);		/* the creator's reference, without destroy */
	assert_int_equal(iosim_live(IOSIM_OBJ_DEVICE), 0);
	assert_false(iosim_device_is_simulated(dev));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* notifier chains */
		IOSIM_TEST(test_notifier_calls_higher_priority_first),
		IOSIM_TEST(test_notifier_equal_priority_runs_in_registration_order),
		IOSIM_TEST(test_notifier_stop_mask_ends_the_walk_and_is_returned),
		IOSIM_TEST(test_notifier_returns_the_last_callback_value),
		IOSIM_TEST(test_notifier_passes_action_and_data_unchanged),
		IOSIM_TEST(test_notifier_nr_to_call_limits_and_counts_calls),
		IOSIM_TEST(test_notifier_errno_conversions_round_trip),
		IOSIM_TEST(test_notifier_register_twice_warns_eexist_and_keeps_chain),
		IOSIM_TEST(test_notifier_unregister_of_unknown_block_warns_enoent),
		IOSIM_TEST(test_notifier_unregister_removes_only_that_block),
		IOSIM_TEST(test_notifier_null_arguments_warn_and_change_nothing),
		IOSIM_TEST(test_notifier_init_macro_makes_an_empty_usable_chain),
		IOSIM_TEST(test_notifier_change_from_own_callback_is_refused_not_deadlocked),
		IOSIM_TEST(test_notifier_callback_may_walk_chains_again),
		IOSIM_TEST(test_notifier_chain_check_reports_corruption),
		IOSIM_TEST(test_notifier_chain_survives_concurrent_register_call_unregister),
		/* buses */
		IOSIM_TEST(test_bus_register_makes_an_empty_bus),
		IOSIM_TEST(test_bus_register_twice_warns_eexist_and_keeps_devices),
		IOSIM_TEST(test_bus_unregister_with_devices_warns_and_keeps_the_bus),
		IOSIM_TEST(test_bus_unregister_forgets_notifiers_and_bus_can_return),
		IOSIM_TEST(test_bus_unregister_of_unregistered_bus_warns),
		IOSIM_TEST(test_platform_bus_is_usable_without_any_init),
		IOSIM_TEST(test_device_add_notifies_after_listing_the_device),
		IOSIM_TEST(test_device_add_twice_warns_eexist),
		IOSIM_TEST(test_bind_and_release_driver_notify_around_remove),
		IOSIM_TEST(test_device_del_releases_a_bound_driver_after_unlisting),
		IOSIM_TEST(test_bind_driver_misuse_is_warned_and_sends_nothing),
		IOSIM_TEST(test_device_del_notifies_del_before_and_removed_after_unlisting),
		IOSIM_TEST(test_bus_notifier_sees_events_in_order_with_their_devices),
		IOSIM_TEST(test_bus_notifiers_on_one_bus_do_not_hear_another),
		IOSIM_TEST(test_bus_register_notifier_twice_warns_eexist),
		IOSIM_TEST(test_bus_unregister_notifier_unknown_warns_enoent),
		IOSIM_TEST(test_bus_notifier_calls_on_unregistered_bus_warn_einval),
		IOSIM_TEST(test_bus_for_each_dev_visits_in_add_order),
		IOSIM_TEST(test_bus_for_each_dev_stops_at_first_nonzero_and_returns_it),
		IOSIM_TEST(test_bus_for_each_dev_starts_after_start),
		IOSIM_TEST(test_bus_for_each_dev_misuse_warns_einval_without_calls),
		IOSIM_TEST(test_bus_for_each_dev_callback_may_destroy_the_current_device),
		IOSIM_TEST(test_bus_for_each_dev_callback_may_destroy_the_next_device),
		IOSIM_TEST(test_bus_for_each_dev_visits_devices_added_during_the_walk),
		IOSIM_TEST(test_bus_notifier_callbacks_may_walk_the_bus),
		IOSIM_TEST(test_bus_check_reports_corrupted_lists),
		IOSIM_TEST(test_bus_check_reports_a_broken_empty_list),
		IOSIM_TEST(test_bus_survives_concurrent_add_del_and_walks),
		IOSIM_TEST(test_driver_register_probes_the_matching_devices_in_order),
		IOSIM_TEST(test_device_add_binds_the_first_driver_whose_probe_succeeds),
		IOSIM_TEST(test_failed_probe_leaves_the_device_driverless_and_is_logged),
		IOSIM_TEST(test_bus_probe_and_remove_replace_the_drivers),
		IOSIM_TEST(test_a_probe_may_add_a_device_whose_driver_is_probed_nested),
		IOSIM_TEST(test_device_add_binds_a_preset_driver_without_probing),
		IOSIM_TEST(test_driver_misuse_is_reported_and_changes_nothing),
		IOSIM_TEST(test_bus_check_reports_a_corrupted_driver_list),
		/* struct device */
		IOSIM_TEST(test_device_initialize_gives_the_caller_one_reference),
		IOSIM_TEST(test_device_initialize_of_a_live_device_warns_and_changes_nothing),
		IOSIM_TEST(test_dev_set_name_formats_truncates_and_replaces_slashes),
		IOSIM_TEST(test_dev_name_prefers_init_name_and_handles_null),
		IOSIM_TEST(test_dev_printk_prefixes_the_device_name),
		IOSIM_TEST(test_dev_set_name_injected_failure_keeps_the_old_name),
		IOSIM_TEST(test_device_add_takes_over_init_name),
		IOSIM_TEST(test_device_add_names_from_bus_dev_name_and_id),
		IOSIM_TEST(test_device_add_without_a_name_warns_einval),
		IOSIM_TEST(test_device_add_twice_warns_eexist_and_keeps_the_list),
		IOSIM_TEST(test_device_add_without_a_registered_bus_warns_einval),
		IOSIM_TEST(test_device_add_of_uninitialized_device_warns_einval),
		IOSIM_TEST(test_device_add_injected_failure_returns_enomem_and_adds_nothing),
		IOSIM_TEST(test_device_del_of_a_device_never_added_warns_and_changes_nothing),
		IOSIM_TEST(test_device_del_twice_warns_and_sends_one_set_of_events),
		IOSIM_TEST(test_device_del_nested_in_its_own_notification_is_refused),
		IOSIM_TEST(test_device_unregister_without_release_warns_like_the_kernel),
		IOSIM_TEST(test_get_and_put_device_count_and_release_on_the_last),
		IOSIM_TEST(test_put_device_without_references_warns_and_releases_once),
		IOSIM_TEST(test_put_device_of_last_reference_while_listed_warns_and_keeps_it),
		IOSIM_TEST(test_device_add_holds_a_reference_on_the_parent),
		IOSIM_TEST(test_device_add_with_a_released_parent_warns_einval),
		IOSIM_TEST(test_null_device_arguments_warn_instead_of_crashing),
		IOSIM_TEST(test_device_check_reports_inconsistent_devices),
		/* DMA limits, ops, attributes */
		IOSIM_TEST(test_dma_bit_mask_values),
		IOSIM_TEST(test_dma_get_mask_defaults_to_32_bits_when_unset),
		IOSIM_TEST(test_dma_set_mask_stores_through_dma_mask),
		IOSIM_TEST(test_dma_set_mask_without_storage_returns_eio),
		IOSIM_TEST(test_dma_set_mask_and_coherent_sets_both),
		IOSIM_TEST(test_dma_ops_refusing_a_mask_make_setters_fail_eio),
		IOSIM_TEST(test_dma_supported_follows_device_then_default_ops),
		IOSIM_TEST(test_dma_segment_limits_default_without_dma_parms),
		IOSIM_TEST(test_dma_segment_limits_are_stored_in_dma_parms),
		IOSIM_TEST(test_dma_attrs_set_and_get_each_attribute),
		IOSIM_TEST(test_dma_attrs_null_reads_as_unset_and_invalid_attr_warns),
		IOSIM_TEST(test_valid_dma_direction_accepts_only_the_three_directions),
		IOSIM_TEST(test_is_device_dma_coherent_reads_archdata),
		/* simulated devices */
		IOSIM_TEST(test_iosim_device_create_defaults),
		IOSIM_TEST(test_iosim_device_create_honours_each_config_field),
		IOSIM_TEST(test_iosim_device_create_no_dma_parms_uses_kernel_defaults),
		IOSIM_TEST(test_iosim_device_create_no_add_stays_off_the_bus),
		IOSIM_TEST(test_iosim_device_create_rejects_bad_configs_with_a_warning),
		IOSIM_TEST(test_iosim_device_create_truncates_long_names),
		IOSIM_TEST(test_iosim_device_create_survives_every_allocation_failure),
		IOSIM_TEST(test_iosim_device_destroy_of_a_foreign_device_warns_untouched),
		IOSIM_TEST(test_iosim_device_destroy_twice_warns),
		IOSIM_TEST(test_iosim_device_memory_outlives_destroy_while_referenced),
		IOSIM_TEST(test_iosim_device_put_without_destroy_releases_and_unregisters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
