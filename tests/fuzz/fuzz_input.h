/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * fuzz_input.h - decoding a fuzzer's byte string into typed values.
 *
 * A harness reads its whole input through one struct fuzz_input: fixed-size
 * little-endian integers, booleans and choices.  Once the input is exhausted
 * every read returns zero (false, the first choice), so every input decodes
 * into a complete, finite scenario and a truncated input is still a valid one.
 * fuzz_input_done() tells a harness's operation loop when to stop.
 */
#ifndef FUZZ_INPUT_H
#define FUZZ_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fuzz_input {
	const uint8_t *data;
	size_t size;
	size_t pos;
};

/* fuzz_input_init - start reading @size bytes at @data. */
void fuzz_input_init(struct fuzz_input *in, const uint8_t *data, size_t size);

/* fuzz_input_done - true once every byte has been read. */
bool fuzz_input_done(const struct fuzz_input *in);

/* fuzz_input_remaining - bytes not yet read. */
size_t fuzz_input_remaining(const struct fuzz_input *in);

/* Little-endian integers; bytes past the end read as zero. */
uint8_t fuzz_get_u8(struct fuzz_input *in);
uint16_t fuzz_get_u16(struct fuzz_input *in);
uint32_t fuzz_get_u32(struct fuzz_input *in);
uint64_t fuzz_get_u64(struct fuzz_input *in);

/* fuzz_get_bool - the low bit of one byte. */
bool fuzz_get_bool(struct fuzz_input *in);

/* fuzz_get_choice - one byte reduced modulo @nr (0 when @nr is 0). */
unsigned int fuzz_get_choice(struct fuzz_input *in, unsigned int nr);

/* fuzz_get_range - a value in [@lo, @hi] from 4 bytes (@lo when @hi <= @lo). */
uint64_t fuzz_get_range(struct fuzz_input *in, uint64_t lo, uint64_t hi);

/* fuzz_get_bytes - copy up to @len bytes into @buf, zero-filling past the end. */
void fuzz_get_bytes(struct fuzz_input *in, void *buf, size_t len);

#define FUZZ_PICK(in, array) ((array)[fuzz_get_choice((in), sizeof(array) / sizeof((array)[0]))])

#endif /* FUZZ_INPUT_H */
