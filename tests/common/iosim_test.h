/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Shared CMocka fixture helpers.
 *
 * Every test runs between iosim_test_setup() and iosim_test_teardown():
 * setup clears the WARN record, the log and fault injection; teardown fails
 * the test if any simulated object is still alive or any WARN was recorded
 * that the test did not consume with assert_warned().
 */
#ifndef IOSIM_TEST_H
#define IOSIM_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>

int iosim_test_setup(void **state);
int iosim_test_teardown(void **state);

/*
 * Release the locks a failed test left held (it left by longjmp(), past
 * its unlocks), then fail if there were any.  Both fixtures' setups and
 * teardowns call it first, so a failing test fails fast and the next one
 * starts clean instead of hanging on a lock.
 */
void iosim_release_left_locks(const char *file, int line);

/* Fail unless a WARN containing @substr was recorded; then clear the record. */
void iosim_assert_warned(const char *substr, const char *file, int line);
#define assert_warned(substr) iosim_assert_warned((substr), __FILE__, __LINE__)

/* Fail if any WARN was recorded since the last reset. */
void iosim_assert_no_warnings(const char *file, int line);
#define assert_no_warnings() iosim_assert_no_warnings(__FILE__, __LINE__)

/* Fail unless every kind of simulated object is at zero. */
void iosim_assert_no_live_objects(const char *file, int line);
#define assert_no_live_objects() iosim_assert_no_live_objects(__FILE__, __LINE__)

/* iosim_bytes_all - is every one of the @len bytes at @p equal to (unsigned char)@c? */
bool iosim_bytes_all(const void *p, int c, size_t len);

/*
 * iosim_under_memcheck - is the test running under valgrind's memcheck?  Its
 * client requests (VALGRIND_GET_VBITS, VALGRIND_CHECK_MEM_IS_ADDRESSABLE)
 * answer only there; helgrind, which also runs the suite, answers 0.
 */
bool iosim_under_memcheck(void);

#define IOSIM_TEST(fn) cmocka_unit_test_setup_teardown(fn, iosim_test_setup, iosim_test_teardown)

/*
 * TEST_ASAN: the test is compiled with AddressSanitizer (gcc's
 * __SANITIZE_ADDRESS__, clang's __has_feature), and <sanitizer/asan_interface.h>
 * is included for the tests that poison memory or expect a report.
 */
#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#ifdef TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

#endif /* IOSIM_TEST_H */
