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
 * --expect=RULE: every input must break RULE (see fuzz_set_expected_rule()).
 * Each input then runs in a child process; the driver exits 1, as the
 * should_fail tests of the seed's known defects expect, only if every input
 * broke RULE, and 0 otherwise (an input that passes, or breaks another rule,
 * or crashes, turns the should_fail test red).
 */
#include <dirent.h>
#include <errno.h>
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
	fprintf(stderr, "fuzz replay: %s (%ld bytes)\n", path, size);
	if (expect)
		replay_expecting(buf, (size_t)size, path);
	else
		LLVMFuzzerTestOneInput(buf, (size_t)size);
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

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "--expect=", 9)) {
			expect = argv[i] + 9;
			fuzz_set_expected_rule(expect);
		}
	}
	/* The empty input first: every harness must accept it (not a regression input). */
	if (!expect)
		LLVMFuzzerTestOneInput((const uint8_t *)"", 0);

	for (i = 1; i < argc; i++) {
		struct stat st;

		if (!strncmp(argv[i], "--expect=", 9))
			continue;
		if (stat(argv[i], &st)) {
			fprintf(stderr, "fuzz replay: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		if ((S_ISDIR(st.st_mode) ? replay_dir(argv[i], 0) : replay_file(argv[i])) < 0)
			return 2;
	}
	if (expect) {
		/* Exit 1 (the should_fail test's expected failure) only if every input broke it. */
		printf("fuzz replay: %lu of %lu inputs broke the expected rule \"%s\"\n",
		       nr_reproduced, nr_replayed, expect);
		return nr_replayed && nr_reproduced == nr_replayed ? 1 : 0;
	}
	printf("fuzz replay: %lu inputs replayed, no finding\n", nr_replayed);
	return 0;
}
