// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * fuzz_sim_config - the simulator's INI configuration reader
 * (tools/iommudma-sim/sim_config.c, over libinih): the file a user writes
 * or copies for `iommudma-sim --config`.  The input is the file.
 *
 * The oracle:
 *  - the result is 0 or -EINVAL (-EIO is a read error, which a file in
 *    memory does not have);
 *  - an accepted file gives a configuration that passes
 *    iosim_sim_config_check();
 *  - a refused one says why in a terminated message that starts with the
 *    file's name and a line number no greater than the file's line count;
 *  - the same file read again gives the same result, the same message and
 *    the same configuration, byte for byte;
 *  - nothing WARNs, and nothing simulated is left alive.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "sim_config.h"

#define CONFIG_NAME	"fuzz.ini"

static struct {
	struct iosim_sim_config cfg, again;
	char err[IOSIM_SIM_ERR_LEN], err_again[IOSIM_SIM_ERR_LEN];
} S;

static int parse(const uint8_t *data, size_t size, struct iosim_sim_config *cfg, char *err)
{
	FILE *f = fmemopen((void *)data, size, "r");
	int ret;

	FUZZ_CHECK(f, "harness: fmemopen of %zu bytes failed", size);
	memset(cfg, 0, sizeof(*cfg));
	memset(err, 0, IOSIM_SIM_ERR_LEN);
	ret = iosim_sim_config_parse_file(f, CONFIG_NAME, cfg, err, IOSIM_SIM_ERR_LEN);
	fclose(f);
	return ret;
}

/* "fuzz.ini:LINE: ..." with LINE at most the file's line count (+1: the end). */
static bool error_names_a_line(const char *err, const uint8_t *data, size_t size)
{
	size_t lines = 1, i, prefix = strlen(CONFIG_NAME ":");
	unsigned long line;
	char *end;

	if (!memchr(err, '\0', IOSIM_SIM_ERR_LEN) || strncmp(err, CONFIG_NAME ":", prefix))
		return false;
	line = strtoul(err + prefix, &end, 10);
	for (i = 0; i < size; i++)
		lines += data[i] == '\n';
	return end != err + prefix && *end == ':' && line <= lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned long before;
	int ret, again;

	/* glibc's fmemopen() refuses an empty buffer: the empty file is the defaults. */
	if (!size)
		return 0;
	fuzz_begin();
	before = fuzz_warns();
	ret = parse(data, size, &S.cfg, S.err);
	fuzz_trace("parse: %d %s", ret, S.err);
	fuzz_digest_add(&ret, sizeof(ret));
	FUZZ_CHECK(ret == 0 || ret == -EINVAL, "result: the file gave %d (%s)", ret, S.err);
	if (!ret)
		FUZZ_CHECK(iosim_sim_config_check(&S.cfg) == 0,
			   "config-check: an accepted file gives a bad configuration: %s",
			   fuzz_last_warn());
	else
		FUZZ_CHECK(error_names_a_line(S.err, data, size),
			   "error: a refused file says \"%.*s\", not \"%s:LINE: why\"",
			   IOSIM_SIM_ERR_LEN - 1, S.err, CONFIG_NAME);
	fuzz_expect_warns(before, 0, "reading a configuration file");

	again = parse(data, size, &S.again, S.err_again);
	FUZZ_CHECK(again == ret && !strcmp(S.err, S.err_again) &&
		   !memcmp(&S.cfg, &S.again, sizeof(S.cfg)),
		   "same: the file gave %d (%s), then %d (%s)%s", ret, S.err, again, S.err_again,
		   again == ret ? ", or another configuration" : "");
	if (!ret)
		fuzz_digest_add(&S.cfg, sizeof(S.cfg));
	fuzz_end(0);
	return 0;
}
