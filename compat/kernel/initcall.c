// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulated boot's initcalls: registered by constructors before main()
 * (so a plain table, never freed: program infrastructure, not a kernel
 * allocation), run by iosim_initcalls_run().
 */
#include <linux/kernel.h>
#include <linux/init.h>
#include <iosim/initcall.h>

struct initcall_entry {
	initcall_t fn;
	int level;
	const char *name;
};

static struct initcall_entry initcalls[IOSIM_INITCALLS_MAX];
static int nr_initcalls;
static struct { exitcall_t fn; const char *name; } exitcalls[IOSIM_INITCALLS_MAX];
static int nr_exitcalls;

void iosim_initcall_register(initcall_t fn, int level, const char *name)
{
	if (WARN(nr_initcalls == IOSIM_INITCALLS_MAX, "initcall %s: table full", name))
		return;
	initcalls[nr_initcalls].fn = fn;
	initcalls[nr_initcalls].level = level;
	initcalls[nr_initcalls].name = name;
	nr_initcalls++;
}

void iosim_exitcall_register(exitcall_t fn, const char *name)
{
	if (WARN(nr_exitcalls == IOSIM_INITCALLS_MAX, "exitcall %s: table full", name))
		return;
	exitcalls[nr_exitcalls].fn = fn;
	exitcalls[nr_exitcalls].name = name;
	nr_exitcalls++;
}

int iosim_initcalls_run(void)
{
	int level, i, ran = 0, ret;

	for (level = 0; level <= 7; level++) {
		for (i = 0; i < nr_initcalls; i++) {
			if (initcalls[i].level != level)
				continue;
			ret = initcalls[i].fn();
			ran++;
			if (ret)
				pr_warn("initcall %s returned %d\n", initcalls[i].name, ret);
		}
	}
	return ran;
}

int iosim_exitcalls_run(void)
{
	int i;

	for (i = nr_exitcalls - 1; i >= 0; i--)
		exitcalls[i].fn();
	return nr_exitcalls;
}

int iosim_initcalls_registered(void)
{
	return nr_initcalls;
}
