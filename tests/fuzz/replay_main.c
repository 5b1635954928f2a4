// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The replay driver: a main() for builds without libFuzzer (-Dfuzzing=false).
 *
 *   fuzz_<harness> [--expect=RULE] PATH...
 *
 * Runs LLVMFuzzerTestOneInput() once on the empty input (except with
 * --expect), then on every file
 * named on the command line and on every regular file in every directory
 * named there and in its subdirectories (sorted by name), so `meson test` replays the
 * checked-in corpora and regression inputs with any compiler.  A finding
 * aborts (FUZZ_CHECK), naming the input being replayed first.
 *
 * --digest: print each input's digest (fuzz_digest(): its oracle-visible
 * outcome) after replaying it, "digest <16 hex digits> <path>".
 *
 * --order-check: the inputs must not depend on each other.  Each input is
 * replayed alone in a process that ran nothing before (a child forked from
 * this driver, which runs no input itself), then all of them in one process
 * forward, reversed and shuffled (a fixed seed); every input's digest must
 * be the same in all four.  Exits 1 naming the first input that differs (or
 * the run that found something), 0 otherwise.  The simulated machine is
 * created once per process and reset between inputs (fuzz_sim.c): this is
 * the proof that the reset leaves nothing behind that an input can see.
 *
 * --expect=RULE: every input must break RULE (see fuzz_set_expected_rule()).
 * Each input then runs in a child process; the driver exits 1, as the
 * should_fail tests of the seed's known defects expect, only if every input
 * broke RULE, and 0 otherwise (an input that passes, or breaks another rule,
 * or crashes, turns the should_fail test red).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fuzz_common.h"

static unsigned long nr_replayed;
static const char *expect;
static unsigned long nr_reproduced;
static bool print_digest;

/* --order-check: every input, read into memory first. */
struct replay_input {
	char *path;
	unsigned char *buf;
	size_t size;
};
static bool order_check;
static struct replay_input *inputs;
static size_t nr_inputs, inputs_cap;

/*
 * --expect mode: run the input in a child, so that each input of a folder
 * is judged on its own.  The child exits 1 when the expected rule broke
 * (fuzz_fail()), 0 when the input passed or broke another rule.
 */
static void replay_expecting(const unsigned char *buf, size_t size, const char *path)
{
	int status = 0;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("fuzz replay: fork");
		exit(2);
	}
	if (!pid) {
		LLVMFuzzerTestOneInput(buf, size);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid) {
		perror("fuzz replay: waitpid");
		exit(2);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		nr_reproduced++;
	else
		fprintf(stderr, "fuzz replay: %s did not break \"%s\" (%s %d)\n", path, expect,
			WIFEXITED(status) ? "exit status" : "signal",
			WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

static int replay_file(const char *path)
{
	unsigned char *buf = NULL;
	long size;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz replay: cannot open %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "fuzz replay: cannot size %s\n", path);
		fclose(f);
		return -1;
	}
	/* One extra byte so an empty file still gets a distinct buffer. */
	buf = malloc((size_t)size + 1);
	if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) {
		fprintf(stderr, "fuzz replay: cannot read %s\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (order_check) {
		if (nr_inputs == inputs_cap) {
			inputs_cap = inputs_cap ? 2 * inputs_cap : 64;
			inputs = realloc(inputs, inputs_cap * sizeof(*inputs));
			if (!inputs) {
				fprintf(stderr, "fuzz replay: out of memory\n");
				exit(2);
			}
		}
		inputs[nr_inputs++] = (struct replay_input){ strdup(path), buf, (size_t)size };
		nr_replayed++;
		return 0;
	}
	fprintf(stderr, "fuzz replay: %s (%ld bytes)\n", path, size);
	if (expect)
		replay_expecting(buf, (size_t)size, path);
	else
		LLVMFuzzerTestOneInput(buf, (size_t)size);
	if (print_digest)
		printf("digest %016" PRIx64 " %s\n", fuzz_digest(), path);
	free(buf);
	nr_replayed++;
	return 0;
}

static int only_files(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static int replay_dir(const char *dir, unsigned int depth)
{
	struct dirent **names;
	int i, n, ret = 0;

	n = scandir(dir, &names, only_files, alphasort);
	if (n < 0) {
		fprintf(stderr, "fuzz replay: cannot list %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (!ret && !stat(path, &st) && S_ISREG(st.st_mode))
			ret = replay_file(path);
		else if (!ret && S_ISDIR(st.st_mode) && depth < 4)
			ret = replay_dir(path, depth + 1);
		free(names[i]);
	}
	free(names);
	return ret;
}

/*
 * Replay inputs @order[0..@n) in a child process; their digests, in that
 * order, go to @digests.  Return: 0, or -1 if the child did not finish (a
 * finding: it printed the input and the rule).
 */
static int run_in_child(const size_t *order, size_t n, uint64_t *digests, const char *what)
{
	int fds[2], status = 0;
	size_t got = 0;
	pid_t pid;

	fflush(NULL);
	if (pipe(fds) || (pid = fork()) < 0) {
		perror("fuzz replay: pipe/fork");
		exit(2);
	}
	if (!pid) {
		size_t i;

		close(fds[0]);
		for (i = 0; i < n; i++) {
			uint64_t d;

			fprintf(stderr, "fuzz replay (%s): %s\n", what, inputs[order[i]].path);
			LLVMFuzzerTestOneInput(inputs[order[i]].buf, inputs[order[i]].size);
			d = fuzz_digest();
			if (write(fds[1], &d, sizeof(d)) != (ssize_t)sizeof(d))
				_exit(2);
		}
		_exit(0);
	}
	close(fds[1]);
	while (got < n * sizeof(uint64_t)) {
		ssize_t r = read(fds[0], (char *)digests + got, n * sizeof(uint64_t) - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) ||
	    got != n * sizeof(uint64_t)) {
		fprintf(stderr, "fuzz replay: the %s run did not finish (%zu of %zu inputs)\n", what,
			got / sizeof(uint64_t), n);
		return -1;
	}
	return 0;
}

/* --order-check: see the top of the file. */
static int check_order(void)
{
	static const char *const runs[] = { "alone", "forward", "reverse", "shuffled" };
	uint64_t *digest[4];
	size_t *order = calloc(nr_inputs + 1, sizeof(*order));
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t i, r;
	int ret = 0;

	for (r = 0; r < 4; r++)
		digest[r] = calloc(nr_inputs + 1, sizeof(uint64_t));
	if (!order || !digest[0] || !digest[1] || !digest[2] || !digest[3]) {
		fprintf(stderr, "fuzz replay: out of memory\n");
		return 2;
	}
	/* Alone: one fresh process per input. */
	for (i = 0; i < nr_inputs && !ret; i++) {
		order[0] = i;
		ret = run_in_child(order, 1, &digest[0][i], runs[0]);
	}
	for (r = 1; r < 4 && !ret; r++) {
		uint64_t *by_order = calloc(nr_inputs + 1, sizeof(uint64_t));

		for (i = 0; i < nr_inputs; i++)
			order[i] = r == 2 ? nr_inputs - 1 - i : i;
		if (r == 3) {
			/* Fisher-Yates with xorshift64: the same order every run. */
			for (i = nr_inputs; i > 1; i--) {
				size_t j, t;

				seed ^= seed << 13;
				seed ^= seed >> 7;
				seed ^= seed << 17;
				j = (size_t)(seed % i);
				t = order[i - 1];
				order[i - 1] = order[j];
				order[j] = t;
			}
		}
		ret = by_order ? run_in_child(order, nr_inputs, by_order, runs[r]) : -1;
		for (i = 0; !ret && i < nr_inputs; i++)
			digest[r][order[i]] = by_order[i];
		free(by_order);
	}
	for (i = 0; i < nr_inputs && !ret; i++) {
		for (r = 1; r < 4; r++) {
			if (digest[r][i] == digest[0][i])
				continue;
			fprintf(stderr, "fuzz replay: %s: digest %016" PRIx64 " alone, %016" PRIx64 " in the %s run\n",
				inputs[i].path, digest[0][i], digest[r][i], runs[r]);
			ret = -1;
		}
	}
	if (!ret)
		printf("fuzz replay: %zu inputs, the same digest alone, forward, reversed and shuffled\n",
		       nr_inputs);
	for (r = 0; r < 4; r++)
		free(digest[r]);
	free(order);
	for (i = 0; i < nr_inputs; i++) {
		free(inputs[i].path);
		free(inputs[i].buf);
	}
	free(inputs);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--expect=", 9)) {
			expect = argv[i] + 9;
			fuzz_set_expected_rule(expect);
		} else if (!strcmp(argv[i], "--digest")) {
			print_digest = true;
			fuzz_digest_enable();
		} else if (!strcmp(argv[i], "--order-check")) {
			order_check = true;
			fuzz_digest_enable();
		}
	}
	/* The empty input first: every harness must accept it (not a regression input). */
	if (!expect && !order_check)
		LLVMFuzzerTestOneInput((const uint8_t *)"", 0);

	for (i = 1; i < argc; i++) {
		struct stat st;

		if (!strncmp(argv[i], "--", 2))
			continue;
		if (stat(argv[i], &st)) {
			fprintf(stderr, "fuzz replay: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		if ((S_ISDIR(st.st_mode) ? replay_dir(argv[i], 0) : replay_file(argv[i])) < 0)
			return 2;
	}
	if (order_check)
		return check_order();
	if (expect) {
		/* Exit 1 (the should_fail test's expected failure) only if every input broke it. */
		printf("fuzz replay: %lu of %lu inputs broke the expected rule \"%s\"\n",
		       nr_reproduced, nr_replayed, expect);
		return nr_replayed && nr_reproduced == nr_replayed ? 1 : 0;
	}
	printf("fuzz replay: %lu inputs replayed, no finding\n", nr_replayed);
	return 0;
}
