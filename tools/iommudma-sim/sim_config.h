/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * sim_config.h - the simulator's INI configuration file (read with libinih).
 *
 *   [ram]            base, size, preset (juno)
 *   [iommu NAME]     granule, page_sizes, ias_bits, oas_bits, iotlb_entries, strict
 *   [device NAME]    bus (platform or pci), iommu (NAME or none), dma_mask (bits),
 *                    max_segment_size, segment_boundary, coherent
 *   [replay]         default_iommu (NAME or none), relocate, reloc_page_size
 *
 * docs/simulator-input.md lists every key, its values and its default.
 */
#ifndef IOSIM_SIM_CONFIG_H
#define IOSIM_SIM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define IOSIM_SIM_MAX_IOMMUS	8
#define IOSIM_SIM_MAX_DEVICES	32
#define IOSIM_SIM_MAX_RAM_BANKS	2
#define IOSIM_SIM_NAME_LEN	48
#define IOSIM_SIM_ERR_LEN	256

/**
 * struct iosim_sim_ram_cfg - simulated RAM
 * @nr_banks: banks in use (1, or 2 for preset=juno)
 * @banks: base and size of each bank, bytes
 * @preset: "" or "juno"
 * @cma: the kernel's "cma=" parameter for the default contiguous area
 *	(iosim_dma_set_cma()), "" for none
 */
struct iosim_sim_ram_cfg {
	unsigned int nr_banks;
	struct {
		uint64_t base;
		uint64_t size;
	} banks[IOSIM_SIM_MAX_RAM_BANKS];
	char preset[16];
	char cma[64];
};

/**
 * struct iosim_sim_iommu_cfg - one simulated IOMMU
 * @name: its name (the section's second word)
 * @granule: smallest page size (4K, 16K or 64K)
 * @page_sizes: bitmap of supported page sizes (each a power of two >= @granule)
 * @ias_bits: input (IOVA) address bits
 * @oas_bits: output (physical) address bits
 * @iotlb_entries: IOTLB size; 0 for none
 * @strict: invalidate the IOTLB at every unmap
 * @line: line of its section header (0: built in)
 */
struct iosim_sim_iommu_cfg {
	char name[IOSIM_SIM_NAME_LEN];
	uint64_t granule;
	uint64_t page_sizes;
	unsigned int ias_bits;
	unsigned int oas_bits;
	unsigned int iotlb_entries;
	bool strict;
	unsigned int line;
};

/**
 * enum iosim_sim_bus - the bus a configured device sits on
 * @IOSIM_SIM_BUS_PLATFORM: a platform device described by the device tree
 *	(the default)
 * @IOSIM_SIM_BUS_PCI: a PCI device below a host bridge ("bus = pci"); its
 *	name is its PCI address DDDD:BB:SS.F (domain 0000)
 */
enum iosim_sim_bus {
	IOSIM_SIM_BUS_PLATFORM,
	IOSIM_SIM_BUS_PCI,
};

/**
 * struct iosim_sim_device_cfg - one simulated device (a traced device by name)
 * @name: dev_name() (the section's second word, e.g. 0000:00:06.0)
 * @bus: IOSIM_SIM_BUS_PLATFORM or IOSIM_SIM_BUS_PCI ("bus =")
 * @pci_bus_number: with bus = pci, the bus number of its name (BB); else 0
 * @pci_devfn: with bus = pci, PCI_DEVFN(slot, function) of its name
 *	(SS.F); else 0
 * @iommu: the IOMMU it sits behind (for a PCI device: the IOMMU its host
 *	bridge sits behind, which arm64 of 2015 does not use for it); "" for
 *	[replay] default_iommu
 * @no_iommu: "iommu = none": direct DMA (a PCI device: a host bridge
 *	behind no IOMMU)
 * @dma_mask_bits: width of its DMA mask (and coherent mask)
 * @max_segment_size: dma_parms max_segment_size, bytes
 * @segment_boundary_mask: dma_parms segment boundary mask (boundary - 1)
 * @coherent: a cache-coherent master
 * @line: line of its section header
 */
struct iosim_sim_device_cfg {
	char name[IOSIM_SIM_NAME_LEN];
	enum iosim_sim_bus bus;
	unsigned int pci_bus_number;
	unsigned int pci_devfn;
	char iommu[IOSIM_SIM_NAME_LEN];
	bool no_iommu;
	unsigned int dma_mask_bits;
	unsigned int max_segment_size;
	uint64_t segment_boundary_mask;
	bool coherent;
	unsigned int line;
};

/**
 * struct iosim_sim_replay_cfg - trace replay
 * @default_iommu: IOMMU of traced devices without their own [device] section
 *	(""; the first configured IOMMU)
 * @default_none: "default_iommu = none": such devices do direct DMA
 * @relocate: relocate the trace's physical addresses page by page (true), or
 *	use them as they are (false: they must lie in simulated RAM)
 * @reloc_page_size: page size of the relocation; 0 for the CPU's PAGE_SIZE
 */
struct iosim_sim_replay_cfg {
	char default_iommu[IOSIM_SIM_NAME_LEN];
	bool default_none;
	bool relocate;
	uint64_t reloc_page_size;
};

/**
 * struct iosim_sim_config - the whole configuration
 * @ram: simulated RAM
 * @nr_iommus: entries used in @iommus (0: the CLI's built-in IOMMU)
 * @iommus: the IOMMUs, in file order
 * @nr_devices: entries used in @devices
 * @devices: the devices, in file order
 * @replay: trace replay options
 */
struct iosim_sim_config {
	struct iosim_sim_ram_cfg ram;
	unsigned int nr_iommus;
	struct iosim_sim_iommu_cfg iommus[IOSIM_SIM_MAX_IOMMUS];
	unsigned int nr_devices;
	struct iosim_sim_device_cfg devices[IOSIM_SIM_MAX_DEVICES];
	struct iosim_sim_replay_cfg replay;
};

/**
 * iosim_sim_config_defaults - the configuration with no file
 * @cfg: filled: one RAM bank of 128 MiB at 0x8_8000_0000, no IOMMU, no
 *	device, relocation on at PAGE_SIZE
 *
 * Context: any.
 * Return: nothing.
 */
void iosim_sim_config_defaults(struct iosim_sim_config *cfg);

/**
 * iosim_sim_iommu_defaults - an IOMMU section's values before its keys
 * @icfg: filled: granule 4K, page sizes 4K|2M|1G, 48-bit IAS and OAS,
 *	64 IOTLB entries, strict (the name is left empty)
 *
 * Context: any.
 * Return: nothing.
 */
void iosim_sim_iommu_defaults(struct iosim_sim_iommu_cfg *icfg);

/**
 * iosim_sim_device_defaults - a device section's values before its keys
 * @dcfg: filled: the platform bus, the default IOMMU, 32-bit DMA mask,
 *	64 KiB segments, 4 GiB segment boundary, not coherent (the name is
 *	left empty)
 *
 * Context: any.
 * Return: nothing.
 */
void iosim_sim_device_defaults(struct iosim_sim_device_cfg *dcfg);

/**
 * iosim_sim_config_parse_file - read a configuration file over the defaults
 * @f: the open file
 * @name: its name for messages ("config.ini")
 * @cfg: the configuration: reset to iosim_sim_config_defaults(), then the
 *	file's values
 * @err: receives the first error as "NAME:LINE: message" (may be NULL)
 * @errlen: size of @err
 *
 * Every line is read even after an error; @err has the first.  Keys are
 * checked (unknown keys and sections, values out of range, sizes that must
 * be powers of two), and after the file: references to undefined IOMMUs, a
 * granule missing from page_sizes, RAM banks that overlap.
 *
 * Context: process context.
 * Return: 0; -EINVAL with @err set (@cfg then holds what parsed, not to be
 * used); -EIO on a read error.
 */
int iosim_sim_config_parse_file(FILE *f, const char *name, struct iosim_sim_config *cfg,
				char *err, size_t errlen);

/**
 * iosim_sim_config_load - iosim_sim_config_parse_file() of a path
 * @path: the file
 * @cfg: as for iosim_sim_config_parse_file()
 * @err: as for iosim_sim_config_parse_file(); also says why the file
 *	could not be opened
 * @errlen: size of @err
 *
 * Context: process context.
 * Return: 0; -errno of fopen(); the errors of iosim_sim_config_parse_file().
 */
int iosim_sim_config_load(const char *path, struct iosim_sim_config *cfg, char *err,
			  size_t errlen);

/**
 * iosim_sim_config_find_iommu - an IOMMU by name
 * @cfg: the configuration
 * @name: its name
 *
 * Context: any.
 * Return: the IOMMU's entry, or NULL.
 */
const struct iosim_sim_iommu_cfg *iosim_sim_config_find_iommu(const struct iosim_sim_config *cfg,
							      const char *name);

/**
 * iosim_sim_config_find_device - a device by name
 * @cfg: the configuration
 * @name: dev_name()
 *
 * Context: any.
 * Return: the device's entry, or NULL.
 */
const struct iosim_sim_device_cfg *iosim_sim_config_find_device(const struct iosim_sim_config *cfg,
								const char *name);

/**
 * iosim_sim_config_device_iommu - the IOMMU a (traced) device sits behind
 * @cfg: the configuration
 * @devname: dev_name(); need not have a [device] section
 *
 * Context: any.
 * Return: the IOMMU's entry; NULL for direct DMA (iommu = none, or
 * default_iommu = none, or no IOMMU configured).
 */
const struct iosim_sim_iommu_cfg *iosim_sim_config_device_iommu(const struct iosim_sim_config *cfg,
								const char *devname);

/**
 * iosim_sim_parse_size - a size with an optional K, M, G or T suffix
 * @s: the text ("64K", "0x10000", "2G", "4096")
 * @out: the value in bytes
 *
 * Context: any.
 * Return: 0; -EINVAL for anything else or an overflow.
 */
int iosim_sim_parse_size(const char *s, uint64_t *out);

/**
 * iosim_sim_config_check - sanity checker of a configuration
 * @cfg: the configuration
 *
 * Checks every value is in the range the parser accepts, names are set,
 * terminated and unique, every IOMMU a device or the replay refers to
 * exists, and a PCI device's name is a PCI address (domain 0000) whose bus
 * number and devfn it holds (a platform device holds zeroes there).
 *
 * Context: any.
 * Return: 0; -EUCLEAN after WARNing the first inconsistency.
 */
int iosim_sim_config_check(const struct iosim_sim_config *cfg);

#endif /* IOSIM_SIM_CONFIG_H */
