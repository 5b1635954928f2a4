// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The kernel's string helpers that glibc lacks (compat/lib/string.c):
 * memchr_inv() finds the first differing byte at every position around its
 * block boundaries and from every alignment, for zero and non-zero values,
 * says NULL only when every byte matches, and under AddressSanitizer reports
 * a poisoned byte among those it read.
 */
#include <linux/kernel.h>
#include "iosim_test.h"

#include <linux/string.h>
#include <sys/wait.h>
#include <unistd.h>

/* 33 of memchr_inv()'s 256-byte blocks and a tail; searched from every alignment. */
#define BUF_BYTES	(2 * 4096 + 300)

static unsigned char buf[BUF_BYTES] __attribute__((__aligned__(64)));

static void test_memchr_inv_is_null_when_every_byte_matches(void **state)
{
	static const int values[] = { 0, 0x5a, 0xff };
	size_t len;
	unsigned int v;

	(void)state;
	for (v = 0; v < ARRAY_SIZE(values); v++) {
		memset(buf, values[v], sizeof(buf));
		for (len = 0; len <= BUF_BYTES; len++)
			assert_null(memchr_inv(buf, values[v], len));
		/* An unaligned start too. */
		assert_null(memchr_inv(buf + 3, values[v], BUF_BYTES - 3));
	}
}

static void test_memchr_inv_finds_the_first_differing_byte_anywhere(void **state)
{
	static const int values[] = { 0, 0x5a };
	/* A word-aligned start, and ones that begin with a byte-by-byte head. */
	static const size_t starts[] = { 0, 1, 3, 7 };
	size_t pos, second, len, s;
	unsigned char *from;
	unsigned int v;

	(void)state;
	for (v = 0; v < ARRAY_SIZE(values); v++) {
		for (s = 0; s < ARRAY_SIZE(starts); s++) {
			from = buf + starts[s];
			for (pos = starts[s]; pos < BUF_BYTES; pos++) {
				memset(buf, values[v], sizeof(buf));
				buf[pos] = (unsigned char)(values[v] ^ 0x01);
				/* A later difference must not hide the first. */
				second = pos + 1 + pos % 300;
				if (second < BUF_BYTES)
					buf[second] = 0xee;
				assert_ptr_equal(memchr_inv(from, values[v], BUF_BYTES - starts[s]),
						 buf + pos);
				/* The length bounds the search: the difference is outside it. */
				for (len = pos - starts[s] > 20 ? pos - starts[s] - 20 : 0;
				     len <= pos - starts[s]; len++)
					assert_null(memchr_inv(from, values[v], len));
				assert_ptr_equal(memchr_inv(from, values[v], pos - starts[s] + 1),
						 buf + pos);
			}
		}
	}
}

static void test_memchr_inv_compares_c_as_an_unsigned_char(void **state)
{
	(void)state;
	memset(buf, 0x05, sizeof(buf));
	/* The kernel takes c as a u8: 0x105 and -251 both mean 0x05. */
	assert_null(memchr_inv(buf, 0x105, BUF_BYTES));
	assert_null(memchr_inv(buf, -251, BUF_BYTES));
	assert_ptr_equal(memchr_inv(buf, 0x06, BUF_BYTES), buf);
	memset(buf, 0xff, sizeof(buf));
	assert_null(memchr_inv(buf, -1, BUF_BYTES));
}

#ifdef TEST_ASAN
/*
 * In a child: poison bytes [512, 576) of a zeroed 1 KiB buffer, make byte
 * @differ_at non-zero (none if beyond the buffer) and scan the buffer; the
 * child exits with 5 if memchr_inv() found that byte, 4 if it found none,
 * 3 otherwise (ASan's report exits with 1).  Returns the child's wait status and its stderr in @report.
 */
static int scan_in_child(size_t differ_at, char *report, size_t report_bytes)
{
	static unsigned char guarded[1024] __attribute__((__aligned__(64)));
	size_t got = 0;
	ssize_t n;
	int fds[2], status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		unsigned char *found;

		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		if (differ_at < sizeof(guarded))
			guarded[differ_at] = 1;
		ASAN_POISON_MEMORY_REGION(guarded + 512, 64);
		found = memchr_inv(guarded, 0, sizeof(guarded));
		_exit(found == guarded + differ_at ? 5 : found ? 3 : 4);
	}
	close(fds[1]);
	while (got < report_bytes - 1 &&
	       (n = read(fds[0], report + got, report_bytes - 1 - got)) > 0)
		got += (size_t)n;
	report[got] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}
#endif

/*
 * The word scan runs without the sanitizer's per-load checks; memchr_inv()
 * then checks the bytes it read.  A child that scans into a poisoned middle
 * must die with ASan's report, which the parent reads from its stderr; one
 * whose scan stops at a differing byte before it reads nothing poisoned,
 * as memchr() would not, and is not reported.
 */
static void test_memchr_inv_reports_a_poisoned_byte_under_asan(void **state)
{
#ifdef TEST_ASAN
	char report[8192];
	int status;

	(void)state;
	status = scan_in_child(SIZE_MAX, report, sizeof(report));
	/* Reaching the exit means the poisoned bytes were read unreported. */
	assert_false(WIFEXITED(status) && WEXITSTATUS(status) >= 3);
	assert_non_null(strstr(report, "use-after-poison"));
	assert_non_null(strstr(report, "memchr_inv"));

	status = scan_in_child(511, report, sizeof(report));
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 5);
	assert_null(strstr(report, "use-after-poison"));

	/* The byte found is read too: the first poisoned one. */
	status = scan_in_child(512, report, sizeof(report));
	assert_false(WIFEXITED(status) && WEXITSTATUS(status) >= 3);
	assert_non_null(strstr(report, "use-after-poison"));
#else
	(void)state;
	skip();		/* only AddressSanitizer builds check the range */
#endif
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_memchr_inv_is_null_when_every_byte_matches),
		IOSIM_TEST(test_memchr_inv_finds_the_first_differing_byte_anywhere),
		IOSIM_TEST(test_memchr_inv_compares_c_as_an_unsigned_char),
		IOSIM_TEST(test_memchr_inv_reports_a_poisoned_byte_under_asan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
