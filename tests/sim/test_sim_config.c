// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The INI configuration: defaults, every section and key, sizes with
 * suffixes, and errors that name the file, the line and the key.
 */
#include "iosim_test.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim_config.h"

static int parse_text(const char *text, struct iosim_sim_config *cfg, char *err, size_t errlen)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(f);
	ret = iosim_sim_config_parse_file(f, "config.ini", cfg, err, errlen);
	fclose(f);
	if (!ret)
		assert_int_equal(iosim_sim_config_check(cfg), 0);
	return ret;
}

static void test_config_defaults_are_sane(void **state)
{
	struct iosim_sim_config cfg;
	struct iosim_sim_iommu_cfg icfg;
	struct iosim_sim_device_cfg dcfg;

	(void)state;
	iosim_sim_config_defaults(&cfg);
	assert_int_equal(iosim_sim_config_check(&cfg), 0);
	assert_int_equal(cfg.ram.nr_banks, 1);
	assert_true(cfg.ram.banks[0].base == 0x880000000ull);
	assert_true(cfg.ram.banks[0].size == 128ull << 20);
	assert_int_equal(cfg.nr_iommus, 0);
	assert_true(cfg.replay.relocate);
	assert_null(iosim_sim_config_device_iommu(&cfg, "eth0"));

	iosim_sim_iommu_defaults(&icfg);
	assert_true(icfg.granule == 4096);
	assert_true(icfg.page_sizes == (4096ull | (2ull << 20) | (1ull << 30)));
	assert_true(icfg.strict);
	iosim_sim_device_defaults(&dcfg);
	assert_int_equal(dcfg.bus, IOSIM_SIM_BUS_PLATFORM);
	assert_int_equal(dcfg.dma_mask_bits, 32);
	assert_int_equal(dcfg.max_segment_size, 65536);
	assert_true(dcfg.segment_boundary_mask == 0xffffffffull);
}

static void test_config_full_file_is_read(void **state)
{
	static const char text[] =
		"; an arm64 SoC\n"
		"[ram]\n"
		"base = 0x880000000\n"
		"size = 512M\n"
		"\n"
		"[iommu smmu0]\n"
		"granule = 16K\n"
		"ias_bits = 44\n"
		"oas_bits = 40\n"
		"iotlb_entries = 128\n"
		"strict = false\n"
		"\n"
		"[iommu smmu1]\n"
		"page_sizes = 4K, 2M\n"
		"\n"
		"[device 0000:01:00.0]\n"
		"iommu = smmu1\n"
		"dma_mask = 40\n"
		"max_segment_size = 1M\n"
		"segment_boundary = 64K\n"
		"coherent = yes\n"
		"\n"
		"[device dpu]\n"
		"iommu = none\n"
		"segment_boundary = 0xffffff\n"
		"\n"
		"[device nvme0n1]   ; no keys: defaults\n"
		"\n"
		"[replay]\n"
		"default_iommu = smmu0\n"
		"relocate = on\n"
		"reloc_page_size = 64K\n";
	const struct iosim_sim_iommu_cfg *i0, *i1;
	const struct iosim_sim_device_cfg *d;
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN];

	(void)state;
	assert_int_equal(parse_text(text, &cfg, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_true(cfg.ram.banks[0].size == 512ull << 20);
	assert_int_equal(cfg.nr_iommus, 2);
	i0 = iosim_sim_config_find_iommu(&cfg, "smmu0");
	i1 = iosim_sim_config_find_iommu(&cfg, "smmu1");
	assert_non_null(i0);
	assert_non_null(i1);
	assert_true(i0->granule == 16384);
	assert_true(i0->page_sizes == (16384ull | (32ull << 20)));	/* follows the granule */
	assert_int_equal(i0->ias_bits, 44);
	assert_int_equal(i0->oas_bits, 40);
	assert_int_equal(i0->iotlb_entries, 128);
	assert_false(i0->strict);
	assert_int_equal(i0->line, 6);
	assert_true(i1->page_sizes == (4096ull | (2ull << 20)));

	assert_int_equal(cfg.nr_devices, 3);
	d = iosim_sim_config_find_device(&cfg, "0000:01:00.0");
	assert_non_null(d);
	assert_string_equal(d->iommu, "smmu1");
	assert_int_equal(d->dma_mask_bits, 40);
	assert_int_equal(d->max_segment_size, 1 << 20);
	assert_true(d->segment_boundary_mask == 0xffff);
	assert_true(d->coherent);
	assert_ptr_equal(iosim_sim_config_device_iommu(&cfg, "0000:01:00.0"), i1);

	d = iosim_sim_config_find_device(&cfg, "dpu");
	assert_true(d->no_iommu);
	assert_true(d->segment_boundary_mask == 0xffffff);
	assert_null(iosim_sim_config_device_iommu(&cfg, "dpu"));

	/* a section without keys exists, with the defaults */
	d = iosim_sim_config_find_device(&cfg, "nvme0n1");
	assert_non_null(d);
	assert_int_equal(d->line, 27);
	assert_ptr_equal(iosim_sim_config_device_iommu(&cfg, "nvme0n1"), i0);
	/* a traced device with no section: the replay default */
	assert_ptr_equal(iosim_sim_config_device_iommu(&cfg, "0000:02:00.0"), i0);
	assert_true(cfg.replay.reloc_page_size == 65536);
}

static void test_config_pci_devices(void **state)
{
	static const char text[] =
		"[iommu smmu0]\n"
		"[device 0000:01:00.0]\n"
		"bus = pci\n"
		"iommu = smmu0\n"
		"dma_mask = 64\n"
		"coherent = true\n"
		"[device 0000:3a:1f.7]\n"
		"bus = pci\n"
		"iommu = none\n"
		"[device eth0]\n"
		"bus = platform\n"
		"[device 0000:02:00.0]   ; a PCI-looking name, but platform by default\n";
	const struct iosim_sim_device_cfg *d;
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN];

	(void)state;
	assert_int_equal(parse_text(text, &cfg, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	d = iosim_sim_config_find_device(&cfg, "0000:01:00.0");
	assert_non_null(d);
	assert_int_equal(d->bus, IOSIM_SIM_BUS_PCI);
	assert_int_equal(d->pci_bus_number, 1);
	assert_int_equal(d->pci_devfn, 0);
	assert_string_equal(d->iommu, "smmu0");	/* the host bridge's */
	assert_int_equal(d->dma_mask_bits, 64);
	assert_true(d->coherent);
	assert_ptr_equal(iosim_sim_config_device_iommu(&cfg, "0000:01:00.0"), &cfg.iommus[0]);
	d = iosim_sim_config_find_device(&cfg, "0000:3a:1f.7");
	assert_int_equal(d->bus, IOSIM_SIM_BUS_PCI);
	assert_int_equal(d->pci_bus_number, 0x3a);
	assert_int_equal(d->pci_devfn, (0x1f << 3) | 7);
	assert_true(d->no_iommu);
	d = iosim_sim_config_find_device(&cfg, "eth0");
	assert_int_equal(d->bus, IOSIM_SIM_BUS_PLATFORM);
	d = iosim_sim_config_find_device(&cfg, "0000:02:00.0");
	assert_int_equal(d->bus, IOSIM_SIM_BUS_PLATFORM);
	assert_int_equal(d->pci_bus_number, 0);
	assert_int_equal(d->pci_devfn, 0);

	/* The last bus = wins: back to platform, and no PCI address kept. */
	assert_int_equal(parse_text("[device 0000:05:02.1]\nbus = pci\nbus = platform\n", &cfg,
				    err, sizeof(err)), 0);
	assert_int_equal(cfg.devices[0].bus, IOSIM_SIM_BUS_PLATFORM);
	assert_int_equal(cfg.devices[0].pci_bus_number, 0);
	assert_int_equal(cfg.devices[0].pci_devfn, 0);
}

/* A config text and the start of the error it must be refused with. */
struct bad_config {
	const char *text;
	const char *err;
};

/* Case @i, @b, is refused with its error, file:line first; @cfg gets what was parsed. */
static void assert_refused(const struct bad_config *b, unsigned int i, struct iosim_sim_config *cfg)
{
	char err[IOSIM_SIM_ERR_LEN];

	assert_int_equal(parse_text(b->text, cfg, err, sizeof(err)), -EINVAL);
	if (strncmp(err, b->err, strlen(b->err)))
		fail_msg("case %u: expected \"%s\", got \"%s\"", i, b->err, err);
}

static void test_config_pci_errors_name_line_and_reason(void **state)
{
	static const struct bad_config bad[] = {
		/* a bus that does not exist */
		{ "[device d]\n\nbus = isa\n",
		  "config.ini:3: [device d] bus = isa: expected platform or pci" },
		{ "[device 0000:01:00.0]\nbus = PCI\n",
		  "config.ini:2: [device 0000:01:00.0] bus = PCI: expected platform or pci" },
		/* names that are no PCI address */
		{ "[device eth0]\nbus = pci\n",
		  "config.ini:2: [device eth0] bus = pci: 'eth0' is not a PCI address DDDD:BB:SS.F (lowercase hex, as the kernel names a PCI device)" },
		{ "[device 01:00.0]\nbus = pci\n",
		  "config.ini:2: [device 01:00.0] bus = pci: '01:00.0' is not a PCI address DDDD:BB:SS.F" },
		{ "[device 0000:0A:00.0]\nbus = pci\n",
		  "config.ini:2: [device 0000:0A:00.0] bus = pci: '0000:0A:00.0' is not a PCI address" },
		{ "[device 0000:01:00.00]\nbus = pci\n",
		  "config.ini:2: [device 0000:01:00.00] bus = pci: '0000:01:00.00' is not a PCI address" },
		{ "[device 0000:01:00-0]\nbus = pci\n",
		  "config.ini:2: [device 0000:01:00-0] bus = pci: '0000:01:00-0' is not a PCI address" },
		{ "[device 0000:g1:00.0]\nbus = pci\n",
		  "config.ini:2: [device 0000:g1:00.0] bus = pci: '0000:g1:00.0' is not a PCI address" },
		/* a domain other than 0000 */
		{ "[device 0001:01:00.0]\ndma_mask = 40\nbus = pci\n",
		  "config.ini:3: [device 0001:01:00.0] bus = pci: PCI domain 0001 is not simulated (only 0000)" },
		{ "[device 10de:00:00.0]\nbus = pci\n",
		  "config.ini:2: [device 10de:00:00.0] bus = pci: PCI domain 10de is not simulated (only 0000)" },
		/* slot and function out of range */
		{ "[device 0000:01:20.0]\nbus = pci\n",
		  "config.ini:2: [device 0000:01:20.0] bus = pci: slot 20 is out of range (00 to 1f)" },
		{ "[device 0000:01:ff.0]\nbus = pci\n",
		  "config.ini:2: [device 0000:01:ff.0] bus = pci: slot ff is out of range (00 to 1f)" },
		{ "[device 0000:01:00.8]\nbus = pci\n",
		  "config.ini:2: [device 0000:01:00.8] bus = pci: function 8 is out of range (0 to 7)" },
		{ "[device 0000:01:1f.f]\nbus = pci\n",
		  "config.ini:2: [device 0000:01:1f.f] bus = pci: function f is out of range (0 to 7)" },
	};
	struct iosim_sim_config cfg;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_refused(&bad[i], i, &cfg);
		/* refused: the device stays a platform device */
		assert_int_equal(cfg.devices[0].bus, IOSIM_SIM_BUS_PLATFORM);
	}
}

static void test_config_check_catches_bad_pci_devices(void **state)
{
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN];

	(void)state;
	assert_int_equal(parse_text("[device 0000:01:02.3]\nbus = pci\n", &cfg, err, sizeof(err)),
			 0);
	assert_int_equal(cfg.devices[0].pci_devfn, (2 << 3) | 3);
	/* the devfn no longer that of the name */
	cfg.devices[0].pci_devfn = 0;
	assert_int_equal(iosim_sim_config_check(&cfg), -EUCLEAN);
	assert_warned("device 0 ('0000:01:02.3') invalid");
	cfg.devices[0].pci_devfn = (2 << 3) | 3;
	cfg.devices[0].pci_bus_number = 2;
	assert_int_equal(iosim_sim_config_check(&cfg), -EUCLEAN);
	assert_warned("device 0 ('0000:01:02.3') invalid");
	cfg.devices[0].pci_bus_number = 1;
	assert_int_equal(iosim_sim_config_check(&cfg), 0);
	/* a PCI device whose name is no PCI address */
	snprintf(cfg.devices[0].name, sizeof(cfg.devices[0].name), "0001:01:02.3");
	assert_int_equal(iosim_sim_config_check(&cfg), -EUCLEAN);
	assert_warned("device 0 ('0001:01:02.3') invalid");
	/* a platform device holding a PCI address */
	snprintf(cfg.devices[0].name, sizeof(cfg.devices[0].name), "0000:01:02.3");
	cfg.devices[0].bus = IOSIM_SIM_BUS_PLATFORM;
	assert_int_equal(iosim_sim_config_check(&cfg), -EUCLEAN);
	assert_warned("device 0 ('0000:01:02.3') invalid");
	cfg.devices[0].pci_bus_number = 0;
	cfg.devices[0].pci_devfn = 0;
	assert_int_equal(iosim_sim_config_check(&cfg), 0);
	/* a bus that does not exist */
	cfg.devices[0].bus = (enum iosim_sim_bus)7;
	assert_int_equal(iosim_sim_config_check(&cfg), -EUCLEAN);
	assert_warned("device 0 ('0000:01:02.3') invalid");
}

static void test_config_juno_preset_gives_two_banks(void **state)
{
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN];

	(void)state;
	assert_int_equal(parse_text("[ram]\npreset = juno\n[iommu s]\n", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.ram.nr_banks, 2);
	assert_true(cfg.ram.banks[0].base == 0x80000000ull);
	assert_true(cfg.ram.banks[0].size == 2ull << 30);
	assert_true(cfg.ram.banks[1].base == 0x880000000ull);
	/* no default_iommu: the first IOMMU */
	assert_ptr_equal(iosim_sim_config_device_iommu(&cfg, "x"), &cfg.iommus[0]);
}

static void test_config_cma_is_kept_for_boot(void **state)
{
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN];

	(void)state;
	assert_int_equal(parse_text("[iommu s]\n", &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.ram.cma, "");
	assert_int_equal(parse_text("[ram]\npreset = juno\ncma = 64M@0x80000000-0xc0000000\n[iommu s]\n",
				    &cfg, err, sizeof(err)), 0);
	/* Kept in the notation of the kernel's parser (memparse()). */
	assert_string_equal(cfg.ram.cma, "0x4000000@0x80000000-0xc0000000");
	assert_int_equal(parse_text("[ram]\ncma = 16MiB\n[iommu s]\n", &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.ram.cma, "0x1000000");
	assert_int_equal(parse_text("[ram]\ncma = 1G@2G\n[iommu s]\n", &cfg, err, sizeof(err)), 0);
	assert_string_equal(cfg.ram.cma, "0x40000000@0x80000000");
}

static void test_config_errors_name_line_and_key(void **state)
{
	static const struct bad_config bad[] = {
		{ "[iommu smmu0]\ngranule = 4K\n\n; typo next\ngranul = 4K\n",
		  "config.ini:5: unknown key 'granul' in [iommu smmu0]" },
		{ "[iommu smmu0]\ngranule = 8K\n", "config.ini:2: [iommu smmu0] granule = 8K: must be 4K, 16K or 64K" },
		{ "[iommu a]\npage_sizes = 4K,3M\n", "config.ini:2: [iommu a] page_sizes: '3M' is not a power of two" },
		{ "[iommu a]\ngranule = 64K\npage_sizes = 4K,2M\n",
		  "config.ini:3: [iommu a] page_sizes must include the granule (64K)" },
		{ "[iommu a]\nias_bits = 60\n", "config.ini:2: [iommu a] ias_bits = 60: must be 32 to 52" },
		{ "[iommu a]\nstrict = maybe\n", "config.ini:2: [iommu a] strict = maybe: expected true or false" },
		{ "[iommu a]\niotlb_entries = -1\n", "config.ini:2: [iommu a] iotlb_entries = -1" },
		{ "[iommu]\n", "config.ini:1: [iommu] needs a name" },
		{ "[iommu a]\n[iommu a]\n", "config.ini:2: [iommu a] is defined twice" },
		{ "[iommu none]\n", "config.ini:1: [iommu none]: 'none' is reserved" },
		{ "[gpu x]\nfoo = 1\n", "config.ini:1: unknown section [gpu x]" },
		{ "size = 1G\n", "config.ini:1: key 'size' before any [section]" },
		{ "[ram]\nsize = 1X\n", "config.ini:2: [ram] size = 1X: expected a non-zero multiple of 4K" },
		{ "[ram]\nbase = 0x1001\n", "config.ini:2: [ram] base = 0x1001: expected a multiple of 4K" },
		{ "[ram]\npreset = juno\nsize = 1G\n", "config.ini:3: [ram] size cannot be combined with preset" },
		{ "[ram]\npreset = zynq\n", "config.ini:2: [ram] preset = zynq: the only preset is juno" },
		{ "[ram foo]\n", "config.ini:1: [ram foo] takes no name" },
		{ "[ram]\ncma = 64M@\n", "config.ini:2: [ram] cma = 64M@: expected SIZE, SIZE@BASE or SIZE@BASE-LIMIT" },
		{ "[ram]\ncma = lots\n", "config.ini:2: [ram] cma = lots: expected SIZE" },
		{ "[ram]\ncma = 1M@2G-\n", "config.ini:2: [ram] cma = 1M@2G-: expected SIZE" },
		{ "[device d]\ndma_mask = 0xffffffff\n", "config.ini:2: [device d] dma_mask = 0xffffffff: expected a width in bits" },
		{ "[device d]\nsegment_boundary = 48K\n", "config.ini:2: [device d] segment_boundary = 48K" },
		{ "[device d]\nmax_segment_size = 4G\n", "config.ini:2: [device d] max_segment_size = 4G" },
		{ "[device d]\n\n\niommu = smmu9\n", "config.ini:4: [device d] iommu = smmu9: no [iommu smmu9] section" },
		{ "[replay]\ndefault_iommu = x\n", "config.ini:2: [replay] default_iommu = x: no [iommu x] section" },
		{ "[replay]\nreloc_page_size = 3K\n", "config.ini:2: [replay] reloc_page_size = 3K" },
		{ "[replay]\nrelocation = yes\n", "config.ini:2: unknown key 'relocation' in [replay]" },
		{ "[ram]\nthis line has no equals sign\n", "config.ini:2: syntax error" },
	};
	struct iosim_sim_config cfg;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(&bad[i], i, &cfg);
}

static void test_config_first_error_is_kept_and_parsing_goes_on(void **state)
{
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN];

	(void)state;
	assert_int_equal(parse_text("[iommu a]\ngranule = 2K\n[device d]\niommu = a\ncoherent = 7\n",
				    &cfg, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "config.ini:2: [iommu a] granule = 2K: must be 4K, 16K or 64K");
	/* what came after the error was still read */
	assert_int_equal(cfg.nr_devices, 1);
	assert_string_equal(cfg.devices[0].iommu, "a");
}

static void test_config_load_reports_missing_file(void **state)
{
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN];

	(void)state;
	assert_int_equal(iosim_sim_config_load("/nonexistent/sim.ini", &cfg, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/sim.ini: "));
	assert_int_equal(iosim_sim_config_check(&cfg), 0);
}

static void test_parse_size_suffixes(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(iosim_sim_parse_size("4096", &v), 0);
	assert_true(v == 4096);
	assert_int_equal(iosim_sim_parse_size("64K", &v), 0);
	assert_true(v == 65536);
	assert_int_equal(iosim_sim_parse_size("2m", &v), 0);
	assert_true(v == 2ull << 20);
	assert_int_equal(iosim_sim_parse_size("3GiB", &v), 0);
	assert_true(v == 3ull << 30);
	assert_int_equal(iosim_sim_parse_size("0x10000", &v), 0);
	assert_true(v == 65536);
	assert_int_equal(iosim_sim_parse_size("1T", &v), 0);
	assert_true(v == 1ull << 40);
	assert_int_equal(iosim_sim_parse_size("", &v), -EINVAL);
	assert_int_equal(iosim_sim_parse_size("-4K", &v), -EINVAL);
	assert_int_equal(iosim_sim_parse_size("4Q", &v), -EINVAL);
	assert_int_equal(iosim_sim_parse_size("99999999999T", &v), -EINVAL);
}

static void test_config_sample_file_loads(void **state)
{
	const struct iosim_sim_iommu_cfg *smmu;
	const struct iosim_sim_device_cfg *nvme;
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN];

	(void)state;
	assert_int_equal(iosim_sim_config_load(SIM_CONFIG_DIR "/soc-smmu.ini", &cfg, err, sizeof(err)), 0);
	assert_int_equal(iosim_sim_config_check(&cfg), 0);
	assert_int_equal(cfg.ram.nr_banks, 2);
	smmu = iosim_sim_config_find_iommu(&cfg, "smmu0");
	assert_non_null(smmu);
	assert_true(smmu->granule == 16384);
	assert_int_equal(smmu->oas_bits, 44);
	nvme = iosim_sim_config_find_device(&cfg, "nvme0n1");
	assert_non_null(nvme);
	assert_true(nvme->segment_boundary_mask == 0xffff);
	assert_ptr_equal(iosim_sim_config_device_iommu(&cfg, "nvme0n1"), smmu);
	assert_ptr_equal(iosim_sim_config_device_iommu(&cfg, "0000:01:00.0"), smmu);
	assert_null(iosim_sim_config_device_iommu(&cfg, "dpu"));
	assert_true(iosim_sim_config_find_device(&cfg, "0000:01:00.0")->coherent);
}

/* Fill @bytes of the stack below the caller with @c (what a parse finds there next). */
static __attribute__((noinline)) void dirty_stack(unsigned char c, size_t bytes)
{
	volatile unsigned char area[16384];
	size_t i;

	for (i = 0; i < bytes && i < sizeof(area); i++)
		area[i] = c;
}

/* Nothing after a name's NUL is left to chance (found by fuzz_sim_config). */
static bool name_clean(const char *name, size_t size)
{
	size_t i;

	for (i = strnlen(name, size); i < size; i++)
		if (name[i])
			return false;
	return true;
}

static void test_config_names_carry_no_bytes_past_their_end(void **state)
{
	static const char text[] = "[iommu a]\n[device b]\niommu = a\n";
	struct iosim_sim_config cfg;

	(void)state;
	dirty_stack(0xa5, 16384);
	assert_int_equal(parse_text(text, &cfg, NULL, 0), 0);
	assert_string_equal(cfg.iommus[0].name, "a");
	assert_string_equal(cfg.devices[0].name, "b");
	assert_true(name_clean(cfg.iommus[0].name, sizeof(cfg.iommus[0].name)));
	assert_true(name_clean(cfg.devices[0].name, sizeof(cfg.devices[0].name)));
}

static int parse_bytes(const char *bytes, size_t len, struct iosim_sim_config *cfg, char *err)
{
	FILE *f = fmemopen((void *)bytes, len, "r");
	int ret;

	assert_non_null(f);
	ret = iosim_sim_config_parse_file(f, "config.ini", cfg, err, IOSIM_SIM_ERR_LEN);
	fclose(f);
	return ret;
}

/*
 * inih reads a line in pieces of its buffer (200 bytes), and a NUL ends a
 * line for its string functions: neither may split a line in two or shift
 * the numbering (found by fuzz_sim_config).  A long comment is fine.
 */
static void test_config_long_lines_and_nul_bytes(void **state)
{
	static char text[1024];
	static const char nul_line[] = "[ram]\nsize = 64M\0 junk\n[iommu a]\n";
	static const char nul_last[] = "[ram]\nsize\0";
	char err[IOSIM_SIM_ERR_LEN];
	struct iosim_sim_config cfg;

	(void)state;
	/* A 300-character comment, then the IOMMU: read, and the lines counted right. */
	snprintf(text, sizeof(text), "[iommu a]\n; %0300d\ngranule = 16K\ngranul = 4K\n", 0);
	assert_int_equal(parse_bytes(text, strlen(text), &cfg, err), -EINVAL);
	assert_string_equal(err, "config.ini:4: unknown key 'granul' in [iommu a]");
	assert_true(cfg.iommus[0].granule == 16384);
	/* A comment of exactly the buffer's 198 characters and its newline. */
	snprintf(text, sizeof(text), "[iommu a]\n;%0197d\ngranul = 4K\n", 0);
	assert_int_equal(parse_bytes(text, strlen(text), &cfg, err), -EINVAL);
	assert_string_equal(err, "config.ini:3: unknown key 'granul' in [iommu a]");
	/* A long value is refused on its own line. */
	snprintf(text, sizeof(text), "[ram]\nsize = %0300d\n[iommu a]\n", 1);
	assert_int_equal(parse_bytes(text, strlen(text), &cfg, err), -EINVAL);
	assert_string_equal(err, "config.ini:2: line longer than 198 characters");
	assert_int_equal(cfg.nr_iommus, 1);
	/* NUL bytes, inside a line and in a last line without its newline. */
	assert_int_equal(parse_bytes(nul_line, sizeof(nul_line) - 1, &cfg, err), -EINVAL);
	assert_string_equal(err, "config.ini:2: a NUL byte in the line");
	assert_int_equal(cfg.nr_iommus, 1);
	assert_int_equal(parse_bytes(nul_last, sizeof(nul_last) - 1, &cfg, err), -EINVAL);
	assert_string_equal(err, "config.ini:2: a NUL byte in the line");
}

static void test_config_check_catches_bad_values(void **state)
{
	struct iosim_sim_config cfg;
	char err[IOSIM_SIM_ERR_LEN];

	(void)state;
	assert_int_equal(parse_text("[iommu a]\n[device d]\niommu = a\n", &cfg, err, sizeof(err)), 0);
	cfg.iommus[0].granule = 8192;
	assert_int_equal(iosim_sim_config_check(&cfg), -EUCLEAN);
	assert_warned("IOMMU 0 ('a') invalid");
	cfg.iommus[0].granule = 4096;
	snprintf(cfg.devices[0].iommu, sizeof(cfg.devices[0].iommu), "gone");
	assert_int_equal(iosim_sim_config_check(&cfg), -EUCLEAN);
	assert_warned("device 0 ('d') invalid");
	snprintf(cfg.devices[0].iommu, sizeof(cfg.devices[0].iommu), "a");
	cfg.ram.nr_banks = 2;
	cfg.ram.banks[1] = cfg.ram.banks[0];
	assert_int_equal(iosim_sim_config_check(&cfg), -EUCLEAN);
	assert_warned("overlap");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		IOSIM_TEST(test_config_defaults_are_sane),
		IOSIM_TEST(test_config_full_file_is_read),
		IOSIM_TEST(test_config_pci_devices),
		IOSIM_TEST(test_config_pci_errors_name_line_and_reason),
		IOSIM_TEST(test_config_check_catches_bad_pci_devices),
		IOSIM_TEST(test_config_juno_preset_gives_two_banks),
		IOSIM_TEST(test_config_cma_is_kept_for_boot),
		IOSIM_TEST(test_config_errors_name_line_and_key),
		IOSIM_TEST(test_config_first_error_is_kept_and_parsing_goes_on),
		IOSIM_TEST(test_config_load_reports_missing_file),
		IOSIM_TEST(test_parse_size_suffixes),
		IOSIM_TEST(test_config_sample_file_loads),
		IOSIM_TEST(test_config_check_catches_bad_values),
		IOSIM_TEST(test_config_names_carry_no_bytes_past_their_end),
		IOSIM_TEST(test_config_long_lines_and_nul_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
