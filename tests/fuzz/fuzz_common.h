/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * fuzz_common.h - what every fuzz harness shares: the oracle's failure
 * report (FUZZ_CHECK), the per-input set-up and tear-down of the simulation,
 * and WARN accounting.
 *
 * A finding is reported by FUZZ_CHECK(cond, fmt, ...), whose message starts
 * with the name of the rule that broke ("boundary: segment 2 ...").  It
 * prints the rule and aborts, which libFuzzer records as a crash.  The replay
 * driver can instead be told which rule an input is expected to break
 * (--expect=RULE, used by the should_fail regression tests of the seed's
 * known defects): see fuzz_set_expected_rule().
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <iosim/live.h>
#include <iosim/ram.h>

#include "fuzz_input.h"

/*
 * FUZZ_NO_COVERAGE - on a harness helper that only fills or compares test
 * data (a loop over every byte of a buffer), keeps the model, or checks the
 * library against the model or its rules: libFuzzer's coverage and
 * comparison tracing of such code costs more than the library calls it
 * checks and teaches the fuzzer nothing the library's own edges do not (the
 * library's checkers are on the coverage ignore list for the same reason).
 * Decoding the input keeps both.  noinline: coverage is added after
 * inlining, so an inlined helper would be instrumented as part of its
 * caller.  Empty for compilers without it.
 */
#if defined(__clang__) && __clang_major__ >= 13
#define FUZZ_NO_COVERAGE __attribute__((__noinline__, no_sanitize("coverage")))
#else
#define FUZZ_NO_COVERAGE
#endif

/*
 * FUZZ_FILL - on a helper that only fills a buffer the caller has just
 * sized (a block it allocated, a transfer buffer) with test data, or scans
 * one it sized: also no AddressSanitizer check per store or load.  Those
 * loops touch megabytes per input (map_sg's blocks) and a check per byte
 * cost more than the library calls under test; the library itself keeps
 * every check.  Nor UndefinedBehaviorSanitizer's: its pointer-overflow
 * check on every store kept map_sg's fill_block() from being vectorised
 * (10.6 % of a campaign's samples).
 */
#if defined(__clang__) && __clang_major__ >= 13
#define FUZZ_FILL __attribute__((__noinline__, no_sanitize("coverage", "address", "undefined")))
#else
#define FUZZ_FILL
#endif

/* The libFuzzer entry point every harness defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

__attribute__((noreturn, format(printf, 4, 5)))
void fuzz_fail(const char *file, int line, const char *cond, const char *fmt, ...);

/*
 * FUZZ_CHECK - the oracle: if @cond is false, report the broken rule (@fmt
 * starts with the rule's name) and abort.
 */
#define FUZZ_CHECK(cond, ...)							\
	do {									\
		if (!(cond))							\
			fuzz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);	\
	} while (0)

/*
 * fuzz_set_expected_rule - replay driver only: an input is expected to break
 * the rule whose message contains @rule.  When it does, the process exits
 * with status 1; any other rule makes it exit with status 3 (the replay
 * driver runs each such input in a child and judges the status).
 */
void fuzz_set_expected_rule(const char *rule);

/*
 * fuzz_begin - reset the WARN record, the kernel log, fault injection and
 * silence both (the oracle reads WARNs through the record instead).  With
 * FUZZ_TIMING in the environment, the thread's CPU time from fuzz_begin()
 * to fuzz_end() is summed over the inputs and printed at exit
 * ("fuzz-timing: N inputs ... us of harness CPU time per input").
 */
void fuzz_begin(void);

/*
 * fuzz_end - the end-of-input rules: no simulated object is alive but those
 * kept across inputs (fuzz_keep_objects()), and no simulated RAM page
 * leaked (@ram_leaked_pages is what fuzz_ram_put() or fuzz_sim_destroy()
 * returned).  Call after everything, RAM included, is done with.
 */
void fuzz_end(unsigned long ram_leaked_pages);

/*
 * fuzz_keep_objects - @kept[kind] simulated objects of each kind (an
 * iosim_live() count) are kept across inputs: fuzz_end() expects exactly
 * so many alive.  NULL: none are (the default).
 */
void fuzz_keep_objects(const long kept[IOSIM_OBJ_NR]);

/*
 * fuzz_ram_get - simulated RAM for this input, as @cfg and @cache_model say.
 * RAM outlives the input: it is created on the first input (or when an
 * input wants another size or cache-model setting; another base is reached
 * by iosim_ram_reset_rebase()) and is fresh at the start of every input.
 */
void fuzz_ram_get(const struct iosim_ram_config *cfg, bool cache_model);

/*
 * fuzz_ram_put - the input is done with RAM: unless pages are still
 * allocated (a leak: RAM is destroyed, fuzz_end() reports it), reset it to
 * fresh (iosim_ram_reset(); with FUZZ_CHECK_FRESH in the environment also
 * compared with a fresh RAM, O(RAM)).  Return: the pages still allocated.
 */
unsigned long fuzz_ram_put(void);

/* fuzz_warns - WARNs recorded since fuzz_begin() (use deltas around an operation). */
unsigned long fuzz_warns(void);

/*
 * fuzz_expect_warns - exactly @nr WARNs were recorded since @before (a
 * fuzz_warns() value); @what names the operation for the report.
 */
void fuzz_expect_warns(unsigned long before, unsigned long nr, const char *what);

/*
 * fuzz_trace - print a line to stderr when the environment has FUZZ_TRACE
 * set (to see what an input decodes into); silent otherwise.
 */
__attribute__((format(printf, 1, 2)))
void fuzz_trace(const char *fmt, ...);

/*
 * fuzz_digest_add - fold @len bytes of an oracle-visible outcome of the
 * current input (a DMA address or physical address returned, an error code,
 * bytes the device read) into its digest.  fuzz_begin() starts a new digest;
 * fuzz_expect_warns() and fuzz_end() fold in the WARN counts.  The replay
 * driver's --order-check compares the digests of the same inputs replayed in
 * different orders and each alone: they must agree, or an input's outcome
 * depends on what ran before it.  Does nothing until fuzz_digest_enable():
 * a libFuzzer campaign never reads the digest, and folding in the bytes
 * the device read was 9 % of map_sg's campaign samples.
 */
void fuzz_digest_add(const void *p, size_t len);

/*
 * fuzz_digest_enable - from now on, fuzz_digest_add() folds its bytes in
 * (the replay driver's --digest and --order-check call it).
 */
void fuzz_digest_enable(void);

/* fuzz_digest - the current (or last) input's digest. */
uint64_t fuzz_digest(void);

/*
 * fuzz_bytes_differ - whether the @len bytes at @a and at @b differ.  For
 * buffers the harness sized itself (FUZZ_FILL): a word at a time, without
 * a sanitizer check per byte, where the memcmp() interceptor checks the
 * shadow of both buffers before it compares (map_sg's oracles compare
 * hundreds of KiB per input).
 */
bool fuzz_bytes_differ(const void *a, const void *b, size_t len);

/*
 * fuzz_first_difference - the first offset where the @len bytes at @a and
 * at @b differ; the last offset if they do not.
 */
size_t fuzz_first_difference(const void *a, const void *b, size_t len);

/* fuzz_last_warn - the message of the most recent WARN, or "(none)". */
const char *fuzz_last_warn(void);

#endif /* FUZZ_COMMON_H */
