// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The simulator's INI configuration, parsed by libinih.  inih does the
 * syntax; we feed it lines through our own reader so every message can name
 * the line, see each section header as it passes (so a section with no keys
 * still exists and a bad one is reported once), and validate every key.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "line_read.h"
#include "sim_config.h"
#include "sim_support.h"

#define SZ_4K	(4ull << 10)
#define SZ_16K	(16ull << 10)
#define SZ_64K	(64ull << 10)
#define SZ_2M	(2ull << 20)
#define SZ_32M	(32ull << 20)
#define SZ_512M	(512ull << 20)
#define SZ_1G	(1ull << 30)
#define SZ_4G	(4ull << 30)

enum sect_type { SECT_NONE, SECT_RAM, SECT_IOMMU, SECT_DEVICE, SECT_REPLAY, SECT_BAD };

struct parse_ctx {
	const char *name;
	FILE *f;
	struct iosim_sim_config *cfg;
	char *err;
	size_t errlen;
	unsigned int nr_errors;
	unsigned int first_err_line;
	unsigned int line;		/* line being parsed */
	bool io_error;
	/* the current section, as our reader saw its header */
	enum sect_type type;
	int index;			/* IOMMU or device index */
	bool ram_base_size, ram_preset;
	bool page_sizes_given[IOSIM_SIM_MAX_IOMMUS];
	unsigned int page_sizes_line[IOSIM_SIM_MAX_IOMMUS];
	unsigned int iommu_key_line[IOSIM_SIM_MAX_DEVICES];
	unsigned int default_iommu_line;
};

static void cfg_error(struct parse_ctx *c, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cfg_error(struct parse_ctx *c, unsigned int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	c->nr_errors++;
	if (c->nr_errors > 1 && line >= c->first_err_line)
		return;
	c->first_err_line = line;
	if (!c->err || !c->errlen)
		return;
	n = snprintf(c->err, c->errlen, "%s:%u: ", c->name, line);
	if (n < 0 || (size_t)n >= c->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

/* --- values --------------------------------------------------------------------- */

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int iosim_sim_parse_size(const char *s, uint64_t *out)
{
	unsigned int shift = 0;
	uint64_t v;
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -EINVAL;
	switch (toupper((unsigned char)*end)) {
	case 'K': shift = 10; end++; break;
	case 'M': shift = 20; end++; break;
	case 'G': shift = 30; end++; break;
	case 'T': shift = 40; end++; break;
	default: break;
	}
	if (shift && (*end == 'i' || *end == 'B')) {
		end += *end == 'i';
		end += *end == 'B';
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end || (shift && v > (UINT64_MAX >> shift)))
		return -EINVAL;
	*out = v << shift;
	return 0;
}

/*
 * The kernel's cma=SIZE[@BASE[-LIMIT]], each number as iosim_sim_parse_size()
 * reads it; written back to @out in the notation the library's parser
 * (memparse()) reads.  0, or -EINVAL.
 */
static int parse_cma(const char *s, char *out, size_t outlen)
{
	char buf[64], *at, *dash;
	uint64_t size, base = 0, limit = 0;

	if (strlen(s) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, s);
	at = strchr(buf, '@');
	if (at)
		*at++ = '\0';
	dash = at ? strchr(at, '-') : NULL;
	if (dash)
		*dash++ = '\0';
	if (iosim_sim_parse_size(buf, &size) || (at && iosim_sim_parse_size(at, &base)) ||
	    (dash && iosim_sim_parse_size(dash, &limit)))
		return -EINVAL;
	if (dash)
		snprintf(out, outlen, "%#" PRIx64 "@%#" PRIx64 "-%#" PRIx64, size, base, limit);
	else if (at)
		snprintf(out, outlen, "%#" PRIx64 "@%#" PRIx64, size, base);
	else
		snprintf(out, outlen, "%#" PRIx64, size);
	return 0;
}

static bool parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "1", "true", "yes", "on" };
	static const char *const no[] = { "0", "false", "no", "off" };
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return true;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return true;
		}
	}
	return false;
}

static bool parse_uint_range(const char *s, unsigned int lo, unsigned int hi, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = (unsigned int)v;
	return true;
}

static uint64_t default_page_sizes(uint64_t granule)
{
	switch (granule) {
	case SZ_16K:
		return SZ_16K | SZ_32M;
	case SZ_64K:
		return SZ_64K | SZ_512M;
	default:
		return SZ_4K | SZ_2M | SZ_1G;
	}
}

/* "4K,2M,1G" or "4K|2M|1G" (spaces allowed); each a power of two >= 4K. */
static int parse_page_sizes(const char *s, uint64_t *out, char *bad, size_t badlen)
{
	uint64_t mask = 0;

	while (*s) {
		size_t len = strcspn(s, ",|");
		char item[32];
		uint64_t v;

		snprintf(item, sizeof(item), "%.*s", (int)(len < sizeof(item) ? len : sizeof(item) - 1), s);
		if (iosim_sim_parse_size(item, &v) || !is_pow2(v) || v < SZ_4K) {
			snprintf(bad, badlen, "%s", item);
			return -EINVAL;
		}
		mask |= v;
		s += len;
		if (*s)
			s++;
	}
	if (!mask) {
		snprintf(bad, badlen, "(empty)");
		return -EINVAL;
	}
	*out = mask;
	return 0;
}

/*
 * A PCI device's name as pci_setup_device() gives it: "DDDD:BB:SS.F", the
 * domain, bus and slot two or four lowercase hex digits, the function one.
 * Only domain 0000 is simulated, a slot has 5 bits and a function 3.
 */
enum pci_name_err { PCI_NAME_OK, PCI_NAME_FORMAT, PCI_NAME_DOMAIN, PCI_NAME_SLOT, PCI_NAME_FUNC };

struct pci_addr {
	unsigned int domain, bus, slot, function;
};

static bool parse_hex_digits(const char *s, unsigned int n, unsigned int *out)
{
	unsigned int i, v = 0;

	for (i = 0; i < n; i++) {
		char ch = s[i];

		if (ch >= '0' && ch <= '9')
			v = v * 16 + (unsigned int)(ch - '0');
		else if (ch >= 'a' && ch <= 'f')
			v = v * 16 + (unsigned int)(ch - 'a' + 10);
		else
			return false;
	}
	*out = v;
	return true;
}

static enum pci_name_err parse_pci_name(const char *name, struct pci_addr *a)
{
	if (strlen(name) != 12 || name[4] != ':' || name[7] != ':' || name[10] != '.' ||
	    !parse_hex_digits(name, 4, &a->domain) || !parse_hex_digits(name + 5, 2, &a->bus) ||
	    !parse_hex_digits(name + 8, 2, &a->slot) ||
	    !parse_hex_digits(name + 11, 1, &a->function))
		return PCI_NAME_FORMAT;
	if (a->domain)
		return PCI_NAME_DOMAIN;
	if (a->slot > 0x1f)
		return PCI_NAME_SLOT;
	if (a->function > 7)
		return PCI_NAME_FUNC;
	return PCI_NAME_OK;
}

/* PCI_DEVFN() of <linux/pci.h>, which this file cannot include. */
static unsigned int pci_devfn(const struct pci_addr *a)
{
	return (a->slot << 3) | a->function;
}

/* --- defaults ------------------------------------------------------------------- */

void iosim_sim_iommu_defaults(struct iosim_sim_iommu_cfg *icfg)
{
	memset(icfg, 0, sizeof(*icfg));
	icfg->granule = SZ_4K;
	icfg->page_sizes = default_page_sizes(SZ_4K);
	icfg->ias_bits = 48;
	icfg->oas_bits = 48;
	icfg->iotlb_entries = 64;
	icfg->strict = true;
}

void iosim_sim_device_defaults(struct iosim_sim_device_cfg *dcfg)
{
	memset(dcfg, 0, sizeof(*dcfg));
	dcfg->dma_mask_bits = 32;
	dcfg->max_segment_size = 64u << 10;
	dcfg->segment_boundary_mask = SZ_4G - 1;
}

void iosim_sim_config_defaults(struct iosim_sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ram.nr_banks = 1;
	cfg->ram.banks[0].base = 0x880000000ull;
	cfg->ram.banks[0].size = 128ull << 20;
	cfg->replay.relocate = true;
}

/* --- sections ------------------------------------------------------------------- */

static int find_iommu_idx(const struct iosim_sim_config *cfg, const char *name)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_iommus; i++)
		if (!strcmp(cfg->iommus[i].name, name))
			return (int)i;
	return -1;
}

static int find_device_idx(const struct iosim_sim_config *cfg, const char *name)
{
	unsigned int i;

	for (i = 0; i < cfg->nr_devices; i++)
		if (!strcmp(cfg->devices[i].name, name))
			return (int)i;
	return -1;
}

/* Split "iommu  smmu0" into its type word and its name. */
static enum sect_type section_type(const char *section, const char **name, size_t *namelen)
{
	size_t tlen = strcspn(section, " \t");
	const char *n = section + tlen;

	while (*n == ' ' || *n == '\t')
		n++;
	*name = n;
	*namelen = strlen(n);
	while (*namelen && isspace((unsigned char)n[*namelen - 1]))
		(*namelen)--;
	if (tlen == 3 && !strncmp(section, "ram", 3))
		return SECT_RAM;
	if (tlen == 6 && !strncmp(section, "replay", 6))
		return SECT_REPLAY;
	if (tlen == 5 && !strncmp(section, "iommu", 5))
		return SECT_IOMMU;
	if (tlen == 6 && !strncmp(section, "device", 6))
		return SECT_DEVICE;
	return SECT_BAD;
}

/* Our reader saw "[section]" on line c->line. */
static void begin_section(struct parse_ctx *c, const char *section)
{
	struct iosim_sim_config *cfg = c->cfg;
	enum sect_type t;
	const char *name;
	size_t len;

	t = section_type(section, &name, &len);
	c->type = SECT_BAD;
	c->index = -1;
	switch (t) {
	case SECT_RAM:
	case SECT_REPLAY:
		if (len) {
			cfg_error(c, c->line, "[%s] takes no name", section);
			return;
		}
		c->type = t;
		return;
	case SECT_IOMMU:
	case SECT_DEVICE:
		break;
	default:
		cfg_error(c, c->line, "unknown section [%s] (expected ram, iommu NAME, device NAME or replay)",
			  section);
		return;
	}
	if (!len) {
		cfg_error(c, c->line, "[%s] needs a name: [%s NAME]", section, section);
		return;
	}
	if (len >= IOSIM_SIM_NAME_LEN || memchr(name, ' ', len) || memchr(name, '\t', len)) {
		cfg_error(c, c->line, "[%s]: the name must be one word of at most %d characters",
			  section, IOSIM_SIM_NAME_LEN - 1);
		return;
	}
	if (t == SECT_IOMMU) {
		struct iosim_sim_iommu_cfg *icfg;
		char nm[IOSIM_SIM_NAME_LEN];

		snprintf(nm, sizeof(nm), "%.*s", (int)len, name);
		if (!strcmp(nm, "none")) {
			cfg_error(c, c->line, "[%s]: 'none' is reserved (it means no IOMMU)", section);
			return;
		}
		if (find_iommu_idx(cfg, nm) >= 0) {
			cfg_error(c, c->line, "[%s] is defined twice", section);
			return;
		}
		if (cfg->nr_iommus == IOSIM_SIM_MAX_IOMMUS) {
			cfg_error(c, c->line, "[%s]: more than %d IOMMUs", section, IOSIM_SIM_MAX_IOMMUS);
			return;
		}
		icfg = &cfg->iommus[cfg->nr_iommus];
		iosim_sim_iommu_defaults(icfg);
		/* The name only: the bytes after its NUL in @nm were never written. */
		memcpy(icfg->name, nm, strlen(nm) + 1);
		icfg->line = c->line;
		c->index = (int)cfg->nr_iommus++;
	} else {
		struct iosim_sim_device_cfg *dcfg;
		char nm[IOSIM_SIM_NAME_LEN];

		snprintf(nm, sizeof(nm), "%.*s", (int)len, name);
		if (find_device_idx(cfg, nm) >= 0) {
			cfg_error(c, c->line, "[%s] is defined twice", section);
			return;
		}
		if (cfg->nr_devices == IOSIM_SIM_MAX_DEVICES) {
			cfg_error(c, c->line, "[%s]: more than %d devices", section,
				  IOSIM_SIM_MAX_DEVICES);
			return;
		}
		dcfg = &cfg->devices[cfg->nr_devices];
		iosim_sim_device_defaults(dcfg);
		memcpy(dcfg->name, nm, strlen(nm) + 1);
		dcfg->line = c->line;
		c->index = (int)cfg->nr_devices++;
	}
	c->type = t;
}

/*
 * inih's line source: one line of the file per call, counted, with its
 * section header watched.  A line longer than inih's buffer (@num - 1 bytes
 * with its newline) is not handed over in pieces, which inih would read as
 * lines of their own, misparsed and misnumbered: the rest is skipped, and
 * the line refused unless it is a comment.  A NUL byte, where inih's string
 * functions would end the line, refuses it too.  (Both found by
 * fuzz_sim_config.)
 */
static char *reader(char *str, int num, void *stream)
{
	struct parse_ctx *c = stream;
	bool nul = false, cut = false;
	size_t len = sim_read_line_part(c->f, str, (size_t)num, &nul);
	const char *p;
	int ch;

	if (len && len == (size_t)num - 1 && str[len - 1] != '\n') {
		ch = getc(c->f);
		cut = ch != EOF && ch != '\n';
		while (ch != EOF && ch != '\n')
			ch = getc(c->f);
	}
	if (ferror(c->f)) {
		c->io_error = true;
		return NULL;
	}
	if (!len)
		return NULL;
	c->line++;
	p = str + strspn(str, " \t");
	if (nul)
		cfg_error(c, c->line, "a NUL byte in the line");
	else if (cut && *p != ';' && *p != '#')
		cfg_error(c, c->line, "line longer than %d characters", num - 2);
	if (*p == '[') {
		const char *close = strchr(p, ']');
		char section[96];

		if (close) {
			snprintf(section, sizeof(section), "%.*s", (int)(close - p - 1), p + 1);
			begin_section(c, section);
		}
	}
	return str;
}

/* --- keys ----------------------------------------------------------------------- */

static void key_ram(struct parse_ctx *c, const char *key, const char *value)
{
	struct iosim_sim_ram_cfg *ram = &c->cfg->ram;
	uint64_t v;

	if (!strcmp(key, "preset")) {
		if (strcmp(value, "juno")) {
			cfg_error(c, c->line, "[ram] preset = %s: the only preset is juno", value);
			return;
		}
		if (c->ram_base_size) {
			cfg_error(c, c->line, "[ram] preset cannot be combined with base or size");
			return;
		}
		c->ram_preset = true;
		snprintf(ram->preset, sizeof(ram->preset), "juno");
		/* ARM Juno: 2 GiB below 4 GiB, the rest (6 GiB) above */
		ram->nr_banks = 2;
		ram->banks[0].base = 0x80000000ull;
		ram->banks[0].size = 2ull << 30;
		ram->banks[1].base = 0x880000000ull;
		ram->banks[1].size = 6ull << 30;
		return;
	}
	if (!strcmp(key, "cma")) {
		if (parse_cma(value, ram->cma, sizeof(ram->cma))) {
			cfg_error(c, c->line, "[ram] cma = %s: expected SIZE, SIZE@BASE or SIZE@BASE-LIMIT (K/M/G suffixes allowed)",
				  value);
			ram->cma[0] = '\0';
		}
		return;
	}
	if (strcmp(key, "base") && strcmp(key, "size")) {
		cfg_error(c, c->line, "unknown key '%s' in [ram] (expected base, size, preset or cma)", key);
		return;
	}
	if (c->ram_preset) {
		cfg_error(c, c->line, "[ram] %s cannot be combined with preset", key);
		return;
	}
	if (iosim_sim_parse_size(value, &v) || (v & (SZ_4K - 1)) || (key[0] == 's' && !v)) {
		cfg_error(c, c->line, "[ram] %s = %s: expected a %smultiple of 4K (K/M/G suffixes allowed)",
			  key, value, key[0] == 's' ? "non-zero " : "");
		return;
	}
	c->ram_base_size = true;
	if (key[0] == 'b')
		ram->banks[0].base = v;
	else
		ram->banks[0].size = v;
	if (ram->banks[0].base + ram->banks[0].size - 1 < ram->banks[0].base)
		cfg_error(c, c->line, "[ram] base + size wraps around the address space");
}

static void key_iommu(struct parse_ctx *c, const char *section, const char *key, const char *value)
{
	struct iosim_sim_iommu_cfg *icfg = &c->cfg->iommus[c->index];
	char bad[32];
	uint64_t v;

	if (!strcmp(key, "granule")) {
		if (iosim_sim_parse_size(value, &v) || (v != SZ_4K && v != SZ_16K && v != SZ_64K)) {
			cfg_error(c, c->line, "[%s] granule = %s: must be 4K, 16K or 64K", section, value);
			return;
		}
		icfg->granule = v;
		if (!c->page_sizes_given[c->index])
			icfg->page_sizes = default_page_sizes(v);
	} else if (!strcmp(key, "page_sizes")) {
		if (parse_page_sizes(value, &v, bad, sizeof(bad))) {
			cfg_error(c, c->line, "[%s] page_sizes: '%s' is not a power of two of at least 4K",
				  section, bad);
			return;
		}
		icfg->page_sizes = v;
		c->page_sizes_given[c->index] = true;
		c->page_sizes_line[c->index] = c->line;
	} else if (!strcmp(key, "ias_bits") || !strcmp(key, "oas_bits")) {
		unsigned int bits;

		if (!parse_uint_range(value, 32, 52, &bits)) {
			cfg_error(c, c->line, "[%s] %s = %s: must be 32 to 52", section, key, value);
			return;
		}
		if (key[0] == 'i')
			icfg->ias_bits = bits;
		else
			icfg->oas_bits = bits;
	} else if (!strcmp(key, "iotlb_entries")) {
		if (!parse_uint_range(value, 0, 65536, &icfg->iotlb_entries))
			cfg_error(c, c->line, "[%s] iotlb_entries = %s: must be 0 (none) to 65536",
				  section, value);
	} else if (!strcmp(key, "strict")) {
		if (!parse_bool(value, &icfg->strict))
			cfg_error(c, c->line, "[%s] strict = %s: expected true or false", section, value);
	} else {
		cfg_error(c, c->line, "unknown key '%s' in [%s]", key, section);
	}
}

/* "bus = platform" or "bus = pci"; a PCI device's name must be its address. */
static void key_device_bus(struct parse_ctx *c, const char *section, const char *value)
{
	struct iosim_sim_device_cfg *dcfg = &c->cfg->devices[c->index];
	struct pci_addr a;

	if (!strcmp(value, "platform")) {
		dcfg->bus = IOSIM_SIM_BUS_PLATFORM;
		dcfg->pci_bus_number = 0;
		dcfg->pci_devfn = 0;
		return;
	}
	if (strcmp(value, "pci")) {
		cfg_error(c, c->line, "[%s] bus = %s: expected platform or pci", section, value);
		return;
	}
	switch (parse_pci_name(dcfg->name, &a)) {
	case PCI_NAME_OK:
		break;
	case PCI_NAME_FORMAT:
		cfg_error(c, c->line,
			  "[%s] bus = pci: '%s' is not a PCI address DDDD:BB:SS.F (lowercase hex, as the kernel names a PCI device)",
			  section, dcfg->name);
		return;
	case PCI_NAME_DOMAIN:
		cfg_error(c, c->line, "[%s] bus = pci: PCI domain %04x is not simulated (only 0000)",
			  section, a.domain);
		return;
	case PCI_NAME_SLOT:
		cfg_error(c, c->line, "[%s] bus = pci: slot %02x is out of range (00 to 1f)",
			  section, a.slot);
		return;
	case PCI_NAME_FUNC:
		cfg_error(c, c->line, "[%s] bus = pci: function %x is out of range (0 to 7)",
			  section, a.function);
		return;
	}
	dcfg->bus = IOSIM_SIM_BUS_PCI;
	dcfg->pci_bus_number = a.bus;
	dcfg->pci_devfn = pci_devfn(&a);
}

static void key_device(struct parse_ctx *c, const char *section, const char *key,
		       const char *value)
{
	struct iosim_sim_device_cfg *dcfg = &c->cfg->devices[c->index];
	uint64_t v;

	if (!strcmp(key, "bus")) {
		key_device_bus(c, section, value);
	} else if (!strcmp(key, "iommu")) {
		if (!*value || strlen(value) >= IOSIM_SIM_NAME_LEN) {
			cfg_error(c, c->line, "[%s] iommu: expected an IOMMU's name or none", section);
			return;
		}
		dcfg->no_iommu = !strcmp(value, "none");
		snprintf(dcfg->iommu, sizeof(dcfg->iommu), "%s", dcfg->no_iommu ? "" : value);
		c->iommu_key_line[c->index] = c->line;
	} else if (!strcmp(key, "dma_mask")) {
		if (!parse_uint_range(value, 24, 64, &dcfg->dma_mask_bits))
			cfg_error(c, c->line, "[%s] dma_mask = %s: expected a width in bits, 24 to 64",
				  section, value);
	} else if (!strcmp(key, "max_segment_size")) {
		if (iosim_sim_parse_size(value, &v) || !v || v > UINT32_MAX) {
			cfg_error(c, c->line, "[%s] max_segment_size = %s: expected 1 to 4G-1 bytes",
				  section, value);
			return;
		}
		dcfg->max_segment_size = (unsigned int)v;
	} else if (!strcmp(key, "segment_boundary")) {
		/* a boundary (64K) or a mask (0xffff) */
		if (iosim_sim_parse_size(value, &v) || (!is_pow2(v) && !is_pow2(v + 1) && v != UINT64_MAX) ||
		    (is_pow2(v) ? v : v + 1) < SZ_4K) {
			cfg_error(c, c->line,
				  "[%s] segment_boundary = %s: expected a power of two of at least 4K (or its mask)",
				  section, value);
			return;
		}
		dcfg->segment_boundary_mask = is_pow2(v) ? v - 1 : v;
	} else if (!strcmp(key, "coherent")) {
		if (!parse_bool(value, &dcfg->coherent))
			cfg_error(c, c->line, "[%s] coherent = %s: expected true or false", section, value);
	} else {
		cfg_error(c, c->line, "unknown key '%s' in [%s]", key, section);
	}
}

static void key_replay(struct parse_ctx *c, const char *key, const char *value)
{
	struct iosim_sim_replay_cfg *rp = &c->cfg->replay;
	uint64_t v;

	if (!strcmp(key, "default_iommu")) {
		if (!*value || strlen(value) >= IOSIM_SIM_NAME_LEN) {
			cfg_error(c, c->line, "[replay] default_iommu: expected an IOMMU's name or none");
			return;
		}
		rp->default_none = !strcmp(value, "none");
		snprintf(rp->default_iommu, sizeof(rp->default_iommu), "%s",
			 rp->default_none ? "" : value);
		c->default_iommu_line = c->line;
	} else if (!strcmp(key, "relocate")) {
		if (!parse_bool(value, &rp->relocate))
			cfg_error(c, c->line, "[replay] relocate = %s: expected true or false", value);
	} else if (!strcmp(key, "reloc_page_size")) {
		if (iosim_sim_parse_size(value, &v) || (v && (!is_pow2(v) || v < SZ_4K || v > SZ_1G))) {
			cfg_error(c, c->line,
				  "[replay] reloc_page_size = %s: expected 0 (PAGE_SIZE) or a power of two from 4K to 1G",
				  value);
			return;
		}
		rp->reloc_page_size = v;
	} else {
		cfg_error(c, c->line,
			  "unknown key '%s' in [replay] (expected default_iommu, relocate or reloc_page_size)",
			  key);
	}
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	struct parse_ctx *c = user;

	switch (c->type) {
	case SECT_NONE:
		cfg_error(c, c->line, "key '%s' before any [section]", key);
		break;
	case SECT_RAM:
		key_ram(c, key, value);
		break;
	case SECT_IOMMU:
		key_iommu(c, section, key, value);
		break;
	case SECT_DEVICE:
		key_device(c, section, key, value);
		break;
	case SECT_REPLAY:
		key_replay(c, key, value);
		break;
	case SECT_BAD:
		break;		/* the section header was reported */
	}
	return 1;
}

/* Checks that need the whole file. */
static void check_references(struct parse_ctx *c)
{
	struct iosim_sim_config *cfg = c->cfg;
	unsigned int i;

	for (i = 0; i < cfg->nr_iommus; i++) {
		const struct iosim_sim_iommu_cfg *icfg = &cfg->iommus[i];

		if (!(icfg->page_sizes & icfg->granule))
			cfg_error(c, c->page_sizes_line[i] ? c->page_sizes_line[i] : icfg->line,
				  "[iommu %s] page_sizes must include the granule (%" PRIu64 "K)",
				  icfg->name, icfg->granule >> 10);
		else if (icfg->page_sizes & (icfg->granule - 1))
			cfg_error(c, c->page_sizes_line[i] ? c->page_sizes_line[i] : icfg->line,
				  "[iommu %s] page_sizes has a size smaller than the granule",
				  icfg->name);
	}
	for (i = 0; i < cfg->nr_devices; i++) {
		const struct iosim_sim_device_cfg *dcfg = &cfg->devices[i];

		if (dcfg->iommu[0] && find_iommu_idx(cfg, dcfg->iommu) < 0)
			cfg_error(c, c->iommu_key_line[i], "[device %s] iommu = %s: no [iommu %s] section",
				  dcfg->name, dcfg->iommu, dcfg->iommu);
	}
	if (cfg->replay.default_iommu[0] && find_iommu_idx(cfg, cfg->replay.default_iommu) < 0)
		cfg_error(c, c->default_iommu_line, "[replay] default_iommu = %s: no [iommu %s] section",
			  cfg->replay.default_iommu, cfg->replay.default_iommu);
}

int iosim_sim_config_parse_file(FILE *f, const char *name, struct iosim_sim_config *cfg,
				char *err, size_t errlen)
{
	struct parse_ctx c;
	int ret;

	memset(&c, 0, sizeof(c));
	c.name = name ? name : "config";
	c.f = f;
	c.cfg = cfg;
	c.err = err;
	c.errlen = errlen;
	c.type = SECT_NONE;
	if (err && errlen)
		err[0] = '\0';
	iosim_sim_config_defaults(cfg);

	ret = ini_parse_stream(reader, &c, handler, &c);
	if (c.io_error) {
		cfg_error(&c, c.line, "read error");
		return -EIO;
	}
	if (ret > 0)
		cfg_error(&c, (unsigned int)ret, "syntax error (expected [section], key = value or a comment)");
	else if (ret < 0)
		cfg_error(&c, c.line, "out of memory");
	check_references(&c);
	return c.nr_errors ? -EINVAL : 0;
}

int iosim_sim_config_load(const char *path, struct iosim_sim_config *cfg, char *err,
			  size_t errlen)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f) {
		ret = -errno;
		iosim_sim_config_defaults(cfg);
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = iosim_sim_config_parse_file(f, path, cfg, err, errlen);
	fclose(f);
	return ret;
}

/* --- queries -------------------------------------------------------------------- */

const struct iosim_sim_iommu_cfg *iosim_sim_config_find_iommu(const struct iosim_sim_config *cfg,
							      const char *name)
{
	int i = find_iommu_idx(cfg, name);

	return i < 0 ? NULL : &cfg->iommus[i];
}

const struct iosim_sim_device_cfg *iosim_sim_config_find_device(const struct iosim_sim_config *cfg,
								const char *name)
{
	int i = find_device_idx(cfg, name);

	return i < 0 ? NULL : &cfg->devices[i];
}

const struct iosim_sim_iommu_cfg *iosim_sim_config_device_iommu(const struct iosim_sim_config *cfg,
								const char *devname)
{
	const struct iosim_sim_device_cfg *dcfg = iosim_sim_config_find_device(cfg, devname);

	if (dcfg && dcfg->no_iommu)
		return NULL;
	if (dcfg && dcfg->iommu[0])
		return iosim_sim_config_find_iommu(cfg, dcfg->iommu);
	if (cfg->replay.default_none || !cfg->nr_iommus)
		return NULL;
	if (cfg->replay.default_iommu[0])
		return iosim_sim_config_find_iommu(cfg, cfg->replay.default_iommu);
	return &cfg->iommus[0];
}

static bool name_ok(const char *name)
{
	const char *end = memchr(name, '\0', IOSIM_SIM_NAME_LEN);

	return end && end != name && !strpbrk(name, " \t");
}

/* A platform device holds no PCI address; a PCI device its name's (name_ok() first). */
static bool bus_ok(const struct iosim_sim_device_cfg *dcfg)
{
	struct pci_addr a;

	switch (dcfg->bus) {
	case IOSIM_SIM_BUS_PLATFORM:
		return !dcfg->pci_bus_number && !dcfg->pci_devfn;
	case IOSIM_SIM_BUS_PCI:
		return parse_pci_name(dcfg->name, &a) == PCI_NAME_OK &&
		       dcfg->pci_bus_number == a.bus && dcfg->pci_devfn == pci_devfn(&a);
	}
	return false;
}

int iosim_sim_config_check(const struct iosim_sim_config *cfg)
{
	unsigned int i, j;

	if (!cfg->ram.nr_banks || cfg->ram.nr_banks > IOSIM_SIM_MAX_RAM_BANKS) {
		SIM_WARN("sim config: %u RAM banks", cfg->ram.nr_banks);
		return -EUCLEAN;
	}
	for (i = 0; i < cfg->ram.nr_banks; i++) {
		uint64_t base = cfg->ram.banks[i].base, size = cfg->ram.banks[i].size;

		if (!size || ((base | size) & (SZ_4K - 1)) || base + size - 1 < base) {
			SIM_WARN("sim config: RAM bank %u %#" PRIx64 "+%#" PRIx64 " invalid", i, base, size);
			return -EUCLEAN;
		}
		for (j = 0; j < i; j++) {
			uint64_t b2 = cfg->ram.banks[j].base, s2 = cfg->ram.banks[j].size;

			if (base < b2 + s2 && b2 < base + size) {
				SIM_WARN("sim config: RAM banks %u and %u overlap", j, i);
				return -EUCLEAN;
			}
		}
	}
	if (cfg->nr_iommus > IOSIM_SIM_MAX_IOMMUS || cfg->nr_devices > IOSIM_SIM_MAX_DEVICES) {
		SIM_WARN("sim config: %u IOMMUs, %u devices", cfg->nr_iommus, cfg->nr_devices);
		return -EUCLEAN;
	}
	for (i = 0; i < cfg->nr_iommus; i++) {
		const struct iosim_sim_iommu_cfg *icfg = &cfg->iommus[i];

		if (!name_ok(icfg->name) || find_iommu_idx(cfg, icfg->name) != (int)i ||
		    (icfg->granule != SZ_4K && icfg->granule != SZ_16K && icfg->granule != SZ_64K) ||
		    !(icfg->page_sizes & icfg->granule) || (icfg->page_sizes & (icfg->granule - 1)) ||
		    icfg->ias_bits < 32 || icfg->ias_bits > 52 || icfg->oas_bits < 32 ||
		    icfg->oas_bits > 52 || icfg->iotlb_entries > 65536) {
			SIM_WARN("sim config: IOMMU %u ('%.*s') invalid", i, IOSIM_SIM_NAME_LEN - 1,
				 icfg->name);
			return -EUCLEAN;
		}
	}
	for (i = 0; i < cfg->nr_devices; i++) {
		const struct iosim_sim_device_cfg *dcfg = &cfg->devices[i];
		uint64_t b = dcfg->segment_boundary_mask;

		if (!name_ok(dcfg->name) || find_device_idx(cfg, dcfg->name) != (int)i ||
		    !memchr(dcfg->iommu, '\0', IOSIM_SIM_NAME_LEN) ||
		    (dcfg->no_iommu && dcfg->iommu[0]) ||
		    (dcfg->iommu[0] && find_iommu_idx(cfg, dcfg->iommu) < 0) ||
		    dcfg->dma_mask_bits < 24 || dcfg->dma_mask_bits > 64 || !dcfg->max_segment_size ||
		    (b != UINT64_MAX && !is_pow2(b + 1)) || b < SZ_4K - 1 || !bus_ok(dcfg)) {
			SIM_WARN("sim config: device %u ('%.*s') invalid", i, IOSIM_SIM_NAME_LEN - 1,
				 dcfg->name);
			return -EUCLEAN;
		}
	}
	if (!memchr(cfg->replay.default_iommu, '\0', IOSIM_SIM_NAME_LEN) ||
	    (cfg->replay.default_none && cfg->replay.default_iommu[0]) ||
	    (cfg->replay.default_iommu[0] && find_iommu_idx(cfg, cfg->replay.default_iommu) < 0) ||
	    (cfg->replay.reloc_page_size &&
	     (!is_pow2(cfg->replay.reloc_page_size) || cfg->replay.reloc_page_size < SZ_4K))) {
		SIM_WARN("sim config: [replay] invalid");
		return -EUCLEAN;
	}
	return 0;
}
