// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The text of one dma:* trace event: the ftrace prefix (task-pid, [cpu],
 * optional latency flags, timestamp, event name) and the event's own
 * "device key=value ..." text, in the layouts of kernels 6.12 to 6.18.
 *
 * The same code reads /sys/kernel/tracing/trace and `trace-cmd report`: both
 * print the prefix fields in the same order (trace-cmd pads the event name
 * and may omit the flags) and the body from the same print format.  Keys a
 * kernel adds later are ignored; keys an event needs for replay are required.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_support.h"
#include "trace_event.h"
#include "trace_reader_internal.h"

static const char *const kind_names[IOSIM_TRACE_NR_KINDS] = {
	[IOSIM_TRACE_MAP_PHYS] = "dma_map_phys",
	[IOSIM_TRACE_UNMAP_PHYS] = "dma_unmap_phys",
	[IOSIM_TRACE_MAP_SG] = "dma_map_sg",
	[IOSIM_TRACE_MAP_SG_ERR] = "dma_map_sg_err",
	[IOSIM_TRACE_UNMAP_SG] = "dma_unmap_sg",
	[IOSIM_TRACE_SYNC_SINGLE_FOR_CPU] = "dma_sync_single_for_cpu",
	[IOSIM_TRACE_SYNC_SINGLE_FOR_DEVICE] = "dma_sync_single_for_device",
	[IOSIM_TRACE_SYNC_SG_FOR_CPU] = "dma_sync_sg_for_cpu",
	[IOSIM_TRACE_SYNC_SG_FOR_DEVICE] = "dma_sync_sg_for_device",
	[IOSIM_TRACE_ALLOC] = "dma_alloc",
	[IOSIM_TRACE_ALLOC_PAGES] = "dma_alloc_pages",
	[IOSIM_TRACE_ALLOC_SGT] = "dma_alloc_sgt",
	[IOSIM_TRACE_ALLOC_SGT_ERR] = "dma_alloc_sgt_err",
	[IOSIM_TRACE_FREE] = "dma_free",
	[IOSIM_TRACE_FREE_PAGES] = "dma_free_pages",
	[IOSIM_TRACE_FREE_SGT] = "dma_free_sgt",
};

static const char *const dir_names[] = {
	[IOSIM_TRACE_DIR_BIDIRECTIONAL] = "BIDIRECTIONAL",
	[IOSIM_TRACE_DIR_TO_DEVICE] = "TO_DEVICE",
	[IOSIM_TRACE_DIR_FROM_DEVICE] = "FROM_DEVICE",
	[IOSIM_TRACE_DIR_NONE] = "NONE",
};

static const struct {
	const char *name;
	unsigned int bit;
} attr_names[] = {
	{ "WEAK_ORDERING", IOSIM_TRACE_ATTR_WEAK_ORDERING },
	{ "WRITE_COMBINE", IOSIM_TRACE_ATTR_WRITE_COMBINE },
	{ "NO_KERNEL_MAPPING", IOSIM_TRACE_ATTR_NO_KERNEL_MAPPING },
	{ "SKIP_CPU_SYNC", IOSIM_TRACE_ATTR_SKIP_CPU_SYNC },
	{ "FORCE_CONTIGUOUS", IOSIM_TRACE_ATTR_FORCE_CONTIGUOUS },
	{ "ALLOC_SINGLE_PAGES", IOSIM_TRACE_ATTR_ALLOC_SINGLE_PAGES },
	{ "NO_WARN", IOSIM_TRACE_ATTR_NO_WARN },
	{ "PRIVILEGED", IOSIM_TRACE_ATTR_PRIVILEGED },
	{ "MMIO", IOSIM_TRACE_ATTR_MMIO },
	{ "CACHE_CLEAN", IOSIM_TRACE_ATTR_CACHE_CLEAN },
};

const char *iosim_trace_kind_name(enum iosim_trace_kind kind)
{
	if ((unsigned int)kind >= IOSIM_TRACE_NR_KINDS)
		return "?";
	return kind_names[kind];
}

bool iosim_trace_kind_from_name(const char *name, enum iosim_trace_kind *kind, bool *old_name)
{
	unsigned int i;

	if (!strncmp(name, "dma:", 4))
		name += 4;
	if (!strcmp(name, "dma_map_page") || !strcmp(name, "dma_unmap_page")) {
		*kind = name[4] == 'm' ? IOSIM_TRACE_MAP_PHYS : IOSIM_TRACE_UNMAP_PHYS;
		if (old_name)
			*old_name = true;
		return true;
	}
	for (i = 0; i < IOSIM_TRACE_NR_KINDS; i++) {
		if (!strcmp(name, kind_names[i])) {
			*kind = i;
			if (old_name)
				*old_name = false;
			return true;
		}
	}
	return false;
}

const char *iosim_trace_dir_name(enum iosim_trace_dir dir)
{
	if ((unsigned int)dir > IOSIM_TRACE_DIR_NONE)
		return "?";
	return dir_names[dir];
}

static int fail(struct iosim_trace_error *err, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct iosim_trace_error *err, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->line = line;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* --- scalars ---------------------------------------------------------------- */

/* A whole token of @len characters as an unsigned number in @base ("0x" allowed for 16). */
static bool parse_u64(const char *s, size_t len, int base, uint64_t *out)
{
	char buf[40];
	char *end;

	if (len && base == 16 && len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
	} else if (len > 2 && base == 10 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		len -= 2;
		base = 16;
	}
	if (!len || len >= sizeof(buf) || !isxdigit((unsigned char)s[0]))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtoull(buf, &end, base);
	return !errno && *end == '\0';
}

static bool parse_uint(const char *s, size_t len, unsigned int *out)
{
	uint64_t v;

	if (!parse_u64(s, len, 10, &v) || v > 0x7fffffff)
		return false;
	*out = (unsigned int)v;
	return true;
}

/* --- the body: "device key=value key=value ..." ------------------------------ */

#define MAX_KEYS 16

struct kv {
	const char *key, *val;
	size_t klen, vlen;
};

struct body {
	const char *dev;
	size_t devlen;
	bool truncated_flag;
	unsigned int nr;
	struct kv kv[MAX_KEYS];
};

static const struct kv *find_key(const struct body *b, const char *key)
{
	size_t len = strlen(key);
	unsigned int i;

	for (i = 0; i < b->nr; i++)
		if (b->kv[i].klen == len && !memcmp(b->kv[i].key, key, len))
			return &b->kv[i];
	return NULL;
}

static bool is_array_key(const struct kv *kv)
{
	static const char *const keys[] = { "phys_addrs", "dma_addrs", "sizes" };
	unsigned int i;

	if (kv->vlen && kv->val[0] == '{')
		return false;
	for (i = 0; i < 3; i++)
		if (kv->klen == strlen(keys[i]) && !memcmp(kv->key, keys[i], kv->klen))
			return true;
	return false;
}

static int split_body(const char *s, struct body *b, const char *evname, unsigned long line,
		      struct iosim_trace_error *err)
{
	const char *tok, *eq;
	unsigned int i;
	size_t len;

	memset(b, 0, sizeof(*b));
	while (*s == ' ' || *s == '\t')
		s++;
	len = strcspn(s, " \t");
	if (!len || memchr(s, '=', len))
		return fail(err, line, "%s: no device name before the fields", evname);
	b->dev = s;
	b->devlen = len;
	s += len;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		tok = s;
		len = strcspn(s, " \t");
		s += len;
		if (len == 11 && !memcmp(tok, "[TRUNCATED]", 11)) {
			b->truncated_flag = true;
			continue;
		}
		eq = memchr(tok, '=', len);
		if (!eq && b->nr && is_array_key(&b->kv[b->nr - 1]) &&
		    strspn(tok, "0123456789") == len) {
			/* libtraceevent's array form: "key=1 2 3" (decimal, spaces) */
			b->kv[b->nr - 1].vlen = (size_t)(tok + len - b->kv[b->nr - 1].val);
			continue;
		}
		if (!eq || eq == tok)
			return fail(err, line, "%s: '%.*s' is not key=value", evname,
				    (int)(len > 40 ? 40 : len), tok);
		if (b->nr == MAX_KEYS)
			return fail(err, line, "%s: more than %d fields", evname, MAX_KEYS);
		b->kv[b->nr].key = tok;
		b->kv[b->nr].klen = (size_t)(eq - tok);
		b->kv[b->nr].val = eq + 1;
		b->kv[b->nr].vlen = len - (size_t)(eq + 1 - tok);
		for (i = 0; i < b->nr; i++)
			if (b->kv[i].klen == b->kv[b->nr].klen && !memcmp(b->kv[i].key, tok, b->kv[i].klen))
				return fail(err, line, "%s: field '%.*s' given twice", evname,
					    (int)b->kv[i].klen, tok);
		b->nr++;
	}
	return 0;
}

/*
 * An array into a fresh allocation of *n entries (NULL when empty), in the
 * kernel's form "{0x1,0x2}" (hex, commas) or libtraceevent's "1 2" (decimal,
 * spaces: what `trace-cmd report` prints for __print_array()).
 */
static int parse_array(const struct kv *kv, uint64_t **out, size_t *n, const char *evname,
		       unsigned long line, struct iosim_trace_error *err)
{
	const char *p = kv->val, *end = kv->val + kv->vlen;
	bool braces = kv->vlen && p[0] == '{';
	char sep = braces ? ',' : ' ';
	size_t count = 1, i;
	uint64_t *arr;

	*out = NULL;
	*n = 0;
	if (braces) {
		if (kv->vlen < 2 || end[-1] != '}')
			return fail(err, line, "%s: %.*s= is not an array {...}", evname,
				    (int)kv->klen, kv->key);
		p++;
		end--;
	}
	if (p == end)
		return 0;
	for (i = 0; p + i < end; i++)
		count += p[i] == sep;
	if (count > IOSIM_TRACE_MAX_ENTS)
		return fail(err, line, "%s: %.*s= has %zu entries (at most %d)", evname,
			    (int)kv->klen, kv->key, count, IOSIM_TRACE_MAX_ENTS);
	arr = sim_zalloc_array(count, sizeof(*arr));
	if (!arr)
		return -ENOMEM;
	for (i = 0; i < count; i++) {
		const char *next = memchr(p, sep, (size_t)(end - p));
		size_t len = next ? (size_t)(next - p) : (size_t)(end - p);
		bool ok = braces ? parse_u64(p, len, 16, &arr[i]) :
			  (len && strspn(p, "0123456789") >= len && parse_u64(p, len, 10, &arr[i]));

		if (!ok) {
			sim_free(arr);
			return fail(err, line, "%s: entry %zu of %.*s= ('%.*s') is not a %s number",
				    evname, i, (int)kv->klen, kv->key, (int)(len > 24 ? 24 : len), p,
				    braces ? "hex" : "decimal");
		}
		p += len + 1;
	}
	*out = arr;
	*n = count;
	return 0;
}

static int parse_dir(const struct kv *kv, enum iosim_trace_dir *dir, const char *evname,
		     unsigned long line, struct iosim_trace_error *err)
{
	const char *v = kv->val;
	size_t len = kv->vlen;
	unsigned int i;

	if (len > 4 && !memcmp(v, "DMA_", 4)) {
		v += 4;
		len -= 4;
	}
	for (i = 0; i <= IOSIM_TRACE_DIR_NONE; i++) {
		if (strlen(dir_names[i]) == len && !memcmp(v, dir_names[i], len)) {
			*dir = i;
			return 0;
		}
	}
	if (len == 1 && v[0] >= '0' && v[0] <= '3') {
		*dir = (enum iosim_trace_dir)(v[0] - '0');
		return 0;
	}
	return fail(err, line, "%s: unknown direction dir=%.*s", evname,
		    (int)(kv->vlen > 24 ? 24 : kv->vlen), kv->val);
}

/* attrs= into IOSIM_TRACE_ATTR_* bits; *@unknown counts the names we do not know. */
static unsigned int parse_attrs(const struct kv *kv, unsigned int *unknown)
{
	const char *p = kv->val, *end = kv->val + kv->vlen;
	unsigned int attrs = 0, i;

	*unknown = 0;
	while (p < end) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		size_t len = bar ? (size_t)(bar - p) : (size_t)(end - p);
		bool known = false;

		if (len > 9 && !memcmp(p, "DMA_ATTR_", 9)) {
			p += 9;
			len -= 9;
		}
		for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++) {
			if (strlen(attr_names[i].name) == len && !memcmp(p, attr_names[i].name, len)) {
				attrs |= attr_names[i].bit;
				known = true;
			}
		}
		/* "0x0" or "0" is what libtraceevent prints for no flags at all */
		if (!known && len && strspn(p, "0x") < len) {
			attrs |= IOSIM_TRACE_ATTR_UNKNOWN;
			(*unknown)++;
		}
		p += len + 1;
	}
	return attrs;
}

/* What each kind needs (R) or may carry (O). */
enum { F_DMA = 1, F_SIZE = 2, F_PHYS = 4, F_DMAS = 8, F_SIZES = 16, F_PHYSS = 32,
       F_VIRT = 64, F_GFP = 128, F_ERR = 256, F_COUNTS = 512, F_DMAS_AS_PHYS = 1024 };

static const unsigned int kind_fields[IOSIM_TRACE_NR_KINDS] = {
	[IOSIM_TRACE_MAP_PHYS] = F_DMA | F_SIZE | F_PHYS,
	[IOSIM_TRACE_UNMAP_PHYS] = F_DMA | F_SIZE,
	[IOSIM_TRACE_MAP_SG] = F_DMAS | F_SIZES | F_PHYSS | F_COUNTS,
	[IOSIM_TRACE_MAP_SG_ERR] = F_DMAS_AS_PHYS | F_ERR,
	[IOSIM_TRACE_UNMAP_SG] = F_PHYSS,
	[IOSIM_TRACE_SYNC_SINGLE_FOR_CPU] = F_DMA | F_SIZE,
	[IOSIM_TRACE_SYNC_SINGLE_FOR_DEVICE] = F_DMA | F_SIZE,
	[IOSIM_TRACE_SYNC_SG_FOR_CPU] = F_DMAS | F_SIZES,
	[IOSIM_TRACE_SYNC_SG_FOR_DEVICE] = F_DMAS | F_SIZES,
	[IOSIM_TRACE_ALLOC] = F_DMA | F_SIZE | F_VIRT | F_GFP,
	[IOSIM_TRACE_ALLOC_PAGES] = F_DMA | F_SIZE | F_VIRT | F_GFP,
	[IOSIM_TRACE_ALLOC_SGT] = F_DMA | F_SIZE | F_PHYSS | F_GFP,
	[IOSIM_TRACE_ALLOC_SGT_ERR] = F_DMA | F_SIZE | F_VIRT | F_GFP,
	[IOSIM_TRACE_FREE] = F_DMA | F_SIZE | F_VIRT,
	[IOSIM_TRACE_FREE_PAGES] = F_DMA | F_SIZE | F_VIRT,
	[IOSIM_TRACE_FREE_SGT] = F_DMA | F_SIZE | F_PHYSS,
};

static const struct kv *need(const struct body *b, const char *key, const char *evname,
			     unsigned long line, struct iosim_trace_error *err, int *ret)
{
	const struct kv *kv = find_key(b, key);

	if (!kv)
		*ret = fail(err, line, "%s: missing %s=", evname, key);
	return kv;
}

static int parse_counts(const struct kv *kv, unsigned int *rec, unsigned int *total,
			const char *evname, unsigned long line, struct iosim_trace_error *err)
{
	const char *slash = memchr(kv->val, '/', kv->vlen);

	if (!slash || !parse_uint(kv->val, (size_t)(slash - kv->val), rec) ||
	    !parse_uint(slash + 1, kv->vlen - (size_t)(slash + 1 - kv->val), total))
		return fail(err, line, "%s: %.*s=%.*s is not recorded/total", evname,
			    (int)kv->klen, kv->key, (int)(kv->vlen > 24 ? 24 : kv->vlen), kv->val);
	if (*rec > *total)
		return fail(err, line, "%s: %.*s=%u/%u records more entries than there are",
			    evname, (int)kv->klen, kv->key, *rec, *total);
	return 0;
}

static int parse_fields(enum iosim_trace_kind kind, const struct body *b,
			struct iosim_trace_event *ev, struct iosim_trace_error *err)
{
	const char *evname = kind_names[kind];
	unsigned int f = kind_fields[kind];
	unsigned long line = ev->line;
	const struct kv *kv;
	size_t nr_sizes = 0;
	int ret = 0;

	kv = need(b, "dir", evname, line, err, &ret);
	if (!kv)
		return ret;
	ret = parse_dir(kv, &ev->dir, evname, line, err);
	if (ret)
		return ret;

	if (f & F_DMA) {
		kv = need(b, "dma_addr", evname, line, err, &ret);
		if (!kv)
			return ret;
		if (!parse_u64(kv->val, kv->vlen, 16, &ev->dma_addr))
			return fail(err, line, "%s: dma_addr=%.*s is not a hex number", evname,
				    (int)(kv->vlen > 24 ? 24 : kv->vlen), kv->val);
		ev->has |= IOSIM_TRACE_HAS_DMA_ADDR;
	}
	if (f & F_SIZE) {
		kv = need(b, "size", evname, line, err, &ret);
		if (!kv)
			return ret;
		if (!parse_u64(kv->val, kv->vlen, 10, &ev->size))
			return fail(err, line, "%s: size=%.*s is not a decimal number", evname,
				    (int)(kv->vlen > 24 ? 24 : kv->vlen), kv->val);
		ev->has |= IOSIM_TRACE_HAS_SIZE;
	}
	if (f & F_PHYS) {
		kv = need(b, "phys_addr", evname, line, err, &ret);
		if (!kv)
			return ret;
		if (!parse_u64(kv->val, kv->vlen, 16, &ev->phys_addr))
			return fail(err, line, "%s: phys_addr=%.*s is not a hex number", evname,
				    (int)(kv->vlen > 24 ? 24 : kv->vlen), kv->val);
		ev->has |= IOSIM_TRACE_HAS_PHYS_ADDR;
	}
	if (f & F_VIRT) {
		kv = find_key(b, "virt_addr");
		if (kv) {
			/* %p may print "(____ptrval____)": present, value unknown */
			if (!parse_u64(kv->val, kv->vlen, 16, &ev->virt_addr))
				ev->virt_addr = 0;
			ev->has |= IOSIM_TRACE_HAS_VIRT_ADDR;
		}
	}
	if (f & F_GFP) {
		kv = find_key(b, "flags");
		if (kv) {
			snprintf(ev->gfp, sizeof(ev->gfp), "%.*s", (int)kv->vlen, kv->val);
			ev->has |= IOSIM_TRACE_HAS_GFP;
		}
	}
	if (f & F_ERR) {
		kv = find_key(b, "err");
		if (kv) {
			char buf[16];
			char *end;
			long v;

			snprintf(buf, sizeof(buf), "%.*s", (int)(kv->vlen > 15 ? 15 : kv->vlen), kv->val);
			v = strtol(buf, &end, 10);
			if (!kv->vlen || *end || kv->vlen > 15)
				return fail(err, line, "%s: err=%.*s is not a number", evname,
					    (int)(kv->vlen > 24 ? 24 : kv->vlen), kv->val);
			ev->err = (int)v;
			ev->has |= IOSIM_TRACE_HAS_ERR;
		}
	}
	kv = find_key(b, "attrs");
	if (kv) {
		ev->attrs = parse_attrs(kv, &ev->unknown_attrs);
		ev->has |= IOSIM_TRACE_HAS_ATTRS;
	}

	if (f & (F_PHYSS | F_DMAS_AS_PHYS)) {
		kv = need(b, (f & F_PHYSS) ? "phys_addrs" : "dma_addrs", evname, line, err, &ret);
		if (!kv)
			return ret;
		ret = parse_array(kv, &ev->phys_addrs, &ev->nr_phys, evname, line, err);
		if (ret)
			return ret;
		ev->nents_recorded = ev->nents_total = (unsigned int)ev->nr_phys;
	}
	if (f & F_DMAS) {
		kv = need(b, "dma_addrs", evname, line, err, &ret);
		if (!kv)
			return ret;
		ret = parse_array(kv, &ev->dma_addrs, &ev->nr_dma, evname, line, err);
		if (ret)
			return ret;
		ev->ents_recorded = ev->ents_total = (unsigned int)ev->nr_dma;
	}
	if (f & F_SIZES) {
		kv = need(b, "sizes", evname, line, err, &ret);
		if (!kv)
			return ret;
		ret = parse_array(kv, &ev->dma_lens, &nr_sizes, evname, line, err);
		if (ret)
			return ret;
		if (nr_sizes != ev->nr_dma)
			return fail(err, line, "%s: sizes= has %zu entries, dma_addrs= has %zu",
				    evname, nr_sizes, ev->nr_dma);
	}
	if (f & F_COUNTS) {
		const struct kv *nents = find_key(b, "nents"), *ents = find_key(b, "ents");

		if (!nents != !ents)
			return fail(err, line, "%s: nents= and ents= must come together", evname);
		if (nents) {
			ret = parse_counts(nents, &ev->nents_recorded, &ev->nents_total, evname,
					   line, err);
			if (!ret)
				ret = parse_counts(ents, &ev->ents_recorded, &ev->ents_total,
						   evname, line, err);
			if (ret)
				return ret;
			if (ev->nents_recorded != ev->nr_phys)
				return fail(err, line, "%s: nents=%u/ but phys_addrs= has %zu entries",
					    evname, ev->nents_recorded, ev->nr_phys);
			if (ev->ents_recorded != ev->nr_dma)
				return fail(err, line, "%s: ents=%u/ but dma_addrs= has %zu entries",
					    evname, ev->ents_recorded, ev->nr_dma);
			/* The kernel prints the flag only when it cut a list. */
			if (b->truncated_flag && ev->nents_recorded == ev->nents_total &&
			    ev->ents_recorded == ev->ents_total)
				return fail(err, line, "%s: [TRUNCATED], but nents=%u/%u ents=%u/%u say "
					    "nothing was cut", evname, ev->nents_recorded,
					    ev->nents_total, ev->ents_recorded, ev->ents_total);
			ev->has |= IOSIM_TRACE_HAS_COUNTS;
		}
		ev->truncated = b->truncated_flag || ev->nents_recorded < ev->nents_total ||
				ev->ents_recorded < ev->ents_total;
	} else if (b->truncated_flag) {
		ev->truncated = true;
	}
	return 0;
}

int iosim_trace_parse_body(enum iosim_trace_kind kind, const char *body,
			   struct iosim_trace_event *ev, struct iosim_trace_error *err)
{
	struct body b;
	int ret;

	if ((unsigned int)kind >= IOSIM_TRACE_NR_KINDS)
		return fail(err, ev->line, "event kind %d out of range", (int)kind);
	ev->kind = kind;
	ret = split_body(body, &b, kind_names[kind], ev->line, err);
	if (ret)
		return ret;
	/* Any length: the reader's longest line bounds it. */
	ev->device = sim_zalloc(b.devlen + 1);
	if (!ev->device)
		return -ENOMEM;
	memcpy(ev->device, b.dev, b.devlen);
	ret = parse_fields(kind, &b, ev, err);
	if (ret) {
		sim_free(ev->device);
		sim_free(ev->phys_addrs);
		sim_free(ev->dma_addrs);
		sim_free(ev->dma_lens);
		ev->device = NULL;
		ev->phys_addrs = ev->dma_addrs = ev->dma_lens = NULL;
		ev->nr_phys = ev->nr_dma = 0;
	}
	return ret;
}

/* --- the prefix: "task-pid [cpu] flags timestamp: name:" ---------------------- */

static bool header_line(const char *s)
{
	static const char *const prefixes[] = {
		"cpus=", "version", "CPU:", "CPU ", "#####", "tracer:", "trace.dat",
	};
	unsigned int i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(s, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/* The first "[digits]" in @s, or NULL. */
static const char *find_cpu(const char *s, int *cpu)
{
	const char *p;

	for (p = strchr(s, '['); p; p = strchr(p + 1, '[')) {
		size_t n = strspn(p + 1, "0123456789");
		unsigned int v;

		if (n && p[1 + n] == ']' && parse_uint(p + 1, n, &v)) {
			*cpu = (int)v;
			return p;
		}
	}
	return NULL;
}

/*
 * "seconds.fraction" (up to 9 digits) or an integer (a counter clock):
 * *@ns as nanoseconds, *@ts as printed (the integer part, which a counter
 * clock's count can make too large for nanoseconds, and the fraction).
 */
static bool parse_timestamp(const char *s, size_t len, uint64_t *ns, struct sim_trace_ts *ts)
{
	const char *dot = memchr(s, '.', len);
	uint64_t sec, frac = 0;
	size_t ilen = dot ? (size_t)(dot - s) : len, flen = dot ? len - ilen - 1 : 0;

	if (!ilen || strspn(s, "0123456789") != ilen || !parse_u64(s, ilen, 10, &sec))
		return false;
	if (dot) {
		if (!flen || flen > 9 || strspn(dot + 1, "0123456789") < flen ||
		    !parse_u64(dot + 1, flen, 10, &frac))
			return false;
		ts->digits = (unsigned int)flen;
		while (flen++ < 9)
			frac *= 10;
	} else {
		ts->digits = 0;
	}
	ts->whole = sec;
	ts->frac_ns = (uint32_t)frac;
	*ns = sec * 1000000000ull + frac;
	return true;
}

/*
 * iosim_trace_parse_line() but for emptying @ev when the line is no event;
 * *@have_ts_out says whether *@ts holds the line's timestamp (set once the prefix
 * was read up to a known or unknown event's name).
 */
static int parse_line(const char *line, unsigned long lineno, struct iosim_trace_event *ev,
		      char *unknown_name, size_t unknown_len, struct iosim_trace_error *err,
		      struct sim_trace_ts *ts, bool *have_ts_out)
{
	const char *s = line, *cpu_at, *p, *tok, *dash, *name;
	size_t len, tasklen, namelen;
	char namebuf[64];
	bool have_ts = false;
	unsigned int pid, ntok = 0;
	enum iosim_trace_kind kind;
	bool old_name = false;
	int ret;

	memset(ev, 0, sizeof(*ev));
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '\n' || *s == '\r' || *s == '#')
		return IOSIM_TRACE_NOT_EVENT;
	cpu_at = find_cpu(s, &ev->cpu);
	if (!cpu_at) {
		if (header_line(s))
			return IOSIM_TRACE_NOT_EVENT;
		return fail(err, lineno, "not a trace event line (no [cpu] field)");
	}

	/* task-pid, optionally followed by "(tgid)" */
	p = cpu_at;
	while (p > s && p[-1] == ' ')
		p--;
	if (p > s && p[-1] == ')') {
		const char *open = p - 1;

		while (open > s && *open != '(')
			open--;
		if (*open != '(')
			return fail(err, lineno, "unbalanced ')' before the [cpu] field");
		p = open;
		while (p > s && p[-1] == ' ')
			p--;
	}
	for (dash = p - 1; dash >= s && *dash != '-'; dash--)
		;
	if (dash < s || !parse_uint(dash + 1, (size_t)(p - dash - 1), &pid))
		return fail(err, lineno, "no task-pid before the [cpu] field");
	ev->pid = (int)pid;
	tasklen = (size_t)(dash - s);
	if (tasklen >= sizeof(ev->task))
		tasklen = sizeof(ev->task) - 1;
	memcpy(ev->task, s, tasklen);
	ev->task[tasklen] = '\0';

	/* optional flags, then "seconds.fraction:" */
	p = cpu_at + strcspn(cpu_at, "]") + 1;
	while (!have_ts) {
		while (*p == ' ' || *p == '\t')
			p++;
		tok = p;
		len = strcspn(p, " \t\r\n");
		p += len;
		if (!len)
			return fail(err, lineno, "line ends before the timestamp");
		if (tok[len - 1] == ':' && parse_timestamp(tok, len - 1, &ev->ts_ns, ts))
			have_ts = true;
		else if (++ntok > 1)
			return fail(err, lineno, "no timestamp after the [cpu] field ('%.*s')",
				    (int)(len > 24 ? 24 : len), tok);
	}

	/* "event_name:" (trace-cmd pads it with spaces after the colon) */
	while (*p == ' ' || *p == '\t')
		p++;
	name = p;
	len = strcspn(p, " \t\r\n");
	/* A name, then its colon: a colon alone names nothing (found by fuzz_trace_parse). */
	if (len < 2 || name[len - 1] != ':')
		return fail(err, lineno, "no event name after the timestamp");
	namelen = len - 1;
	p += len;
	if (namelen >= sizeof(namebuf))
		namelen = sizeof(namebuf) - 1;
	memcpy(namebuf, name, namelen);
	namebuf[namelen] = '\0';
	*have_ts_out = true;
	if (!iosim_trace_kind_from_name(namebuf, &kind, &old_name)) {
		if (unknown_name && unknown_len)
			snprintf(unknown_name, unknown_len, "%s", namebuf);
		return IOSIM_TRACE_UNKNOWN_EVENT;
	}

	ev->line = lineno;
	ev->old_name = old_name;
	{
		/* the body without its line end */
		char stackbuf[256];
		size_t blen = strcspn(p, "\r\n");
		char *body = blen < sizeof(stackbuf) ? stackbuf : sim_zalloc(blen + 1);

		if (!body)
			return -ENOMEM;
		memcpy(body, p, blen);
		body[blen] = '\0';
		ret = iosim_trace_parse_body(kind, body, ev, err);
		if (body != stackbuf)
			sim_free(body);
	}
	return ret ? ret : IOSIM_TRACE_EVENT;
}

int sim_trace_parse_line_ts(const char *line, unsigned long lineno, struct iosim_trace_event *ev,
			    char *unknown_name, size_t unknown_len, struct iosim_trace_error *err,
			    struct sim_trace_ts *ts, bool *have_ts)
{
	struct sim_trace_ts local;
	int ret;

	*have_ts = false;
	memset(&local, 0, sizeof(local));
	ret = parse_line(line, lineno, ev, unknown_name, unknown_len, err, &local, have_ts);
	/* A refused line's timestamp is not trusted. */
	if (ret != IOSIM_TRACE_EVENT && ret != IOSIM_TRACE_UNKNOWN_EVENT)
		*have_ts = false;
	if (*have_ts)
		*ts = local;
	/*
	 * Refused or not an event: the fields read before that (CPU, pid,
	 * task, time) go too, as the contract says (found by fuzz_trace_parse;
	 * the body's parser holds no device name or arrays when it fails).
	 */
	if (ret != IOSIM_TRACE_EVENT)
		memset(ev, 0, sizeof(*ev));
	return ret;
}

int iosim_trace_parse_line(const char *line, unsigned long lineno, struct iosim_trace_event *ev,
			   char *unknown_name, size_t unknown_len, struct iosim_trace_error *err)
{
	struct sim_trace_ts ts;
	bool have_ts;

	return sim_trace_parse_line_ts(line, lineno, ev, unknown_name, unknown_len, err, &ts,
				       &have_ts);
}

void iosim_trace_event_release(struct iosim_trace_event *ev)
{
	sim_free(ev->device);
	sim_free(ev->phys_addrs);
	sim_free(ev->dma_addrs);
	sim_free(ev->dma_lens);
	memset(ev, 0, sizeof(*ev));
}

int iosim_trace_event_check(const struct iosim_trace_event *ev)
{
	unsigned int f;

	if ((unsigned int)ev->kind >= IOSIM_TRACE_NR_KINDS) {
		SIM_WARN("trace event: kind %d out of range", (int)ev->kind);
		return -EUCLEAN;
	}
	f = kind_fields[ev->kind];
	if ((unsigned int)ev->dir > IOSIM_TRACE_DIR_NONE) {
		SIM_WARN("trace event line %lu: direction %d out of range", ev->line, (int)ev->dir);
		return -EUCLEAN;
	}
	if (!ev->device || !ev->device[0] || !memchr(ev->task, '\0', sizeof(ev->task))) {
		SIM_WARN("trace event line %lu: device or task name not set or not terminated",
			 ev->line);
		return -EUCLEAN;
	}
	if (!ev->nr_phys != !ev->phys_addrs || !ev->nr_dma != !ev->dma_addrs ||
	    (ev->dma_lens && !ev->dma_addrs)) {
		SIM_WARN("trace event line %lu: array counts disagree with the arrays", ev->line);
		return -EUCLEAN;
	}
	if (ev->nents_recorded > ev->nents_total || ev->ents_recorded > ev->ents_total) {
		SIM_WARN("trace event line %lu: more entries recorded than the totals", ev->line);
		return -EUCLEAN;
	}
	if ((f & (F_PHYSS | F_DMAS_AS_PHYS)) && ev->nents_recorded != ev->nr_phys) {
		SIM_WARN("trace event line %lu: nents %u but %zu phys addresses", ev->line,
			 ev->nents_recorded, ev->nr_phys);
		return -EUCLEAN;
	}
	if ((f & F_DMAS) && (ev->ents_recorded != ev->nr_dma ||
			     ((f & F_SIZES) && ev->nr_dma && !ev->dma_lens))) {
		SIM_WARN("trace event line %lu: ents %u but %zu DMA segments", ev->line,
			 ev->ents_recorded, ev->nr_dma);
		return -EUCLEAN;
	}
	if (!(f & (F_PHYSS | F_DMAS_AS_PHYS)) && ev->phys_addrs) {
		SIM_WARN("trace event line %lu: %s carries a phys_addrs array", ev->line,
			 kind_names[ev->kind]);
		return -EUCLEAN;
	}
	if (!(f & F_DMAS) && ev->dma_addrs) {
		SIM_WARN("trace event line %lu: %s carries a dma_addrs array", ev->line,
			 kind_names[ev->kind]);
		return -EUCLEAN;
	}
	return 0;
}
