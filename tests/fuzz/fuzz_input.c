// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The byte-stream reader of fuzz_input.h.  Reads past the end yield zeros
 * rather than failing, so libFuzzer's truncations and mutations always decode
 * into a valid scenario.
 */
#include <string.h>

#include "fuzz_input.h"

void fuzz_input_init(struct fuzz_input *in, const uint8_t *data, size_t size)
{
	in->data = data;
	in->size = data ? size : 0;
	in->pos = 0;
}

bool fuzz_input_done(const struct fuzz_input *in)
{
	return in->pos >= in->size;
}

size_t fuzz_input_remaining(const struct fuzz_input *in)
{
	return in->pos >= in->size ? 0 : in->size - in->pos;
}

static uint64_t fuzz_get_le(struct fuzz_input *in, unsigned int nr_bytes)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < nr_bytes; i++) {
		uint64_t byte = 0;

		if (in->pos < in->size)
			byte = in->data[in->pos++];
		v |= byte << (8 * i);
	}
	return v;
}

uint8_t fuzz_get_u8(struct fuzz_input *in)
{
	return (uint8_t)fuzz_get_le(in, 1);
}

uint16_t fuzz_get_u16(struct fuzz_input *in)
{
	return (uint16_t)fuzz_get_le(in, 2);
}

uint32_t fuzz_get_u32(struct fuzz_input *in)
{
	return (uint32_t)fuzz_get_le(in, 4);
}

uint64_t fuzz_get_u64(struct fuzz_input *in)
{
	return fuzz_get_le(in, 8);
}

bool fuzz_get_bool(struct fuzz_input *in)
{
	return fuzz_get_u8(in) & 1;
}

unsigned int fuzz_get_choice(struct fuzz_input *in, unsigned int nr)
{
	uint8_t byte = fuzz_get_u8(in);

	return nr ? byte % nr : 0;
}

uint64_t fuzz_get_range(struct fuzz_input *in, uint64_t lo, uint64_t hi)
{
	uint64_t v = fuzz_get_u32(in);

	if (hi <= lo)
		return lo;
	if (hi - lo == UINT64_MAX)
		return v;
	return lo + v % (hi - lo + 1);
}

void fuzz_get_bytes(struct fuzz_input *in, void *buf, size_t len)
{
	size_t avail = fuzz_input_remaining(in);
	size_t n = len < avail ? len : avail;

	if (n)
		memcpy(buf, in->data + in->pos, n);
	if (len > n)
		memset((char *)buf + n, 0, len - n);
	in->pos += n;
}
