/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * fuzz_sim.h - the simulated machine the IOMMU harnesses run on: simulated
 * RAM, a bus with a simulated IOMMU, one device behind it and one domain
 * the device is attached to.  The bus, IOMMU, device and domain are built
 * and torn down once per input; RAM lives on and is reset at the end of
 * each input to a state indistinguishable from a fresh one
 * (<iosim/ram_reset.h>), so every input starts from the same state and a
 * leak shows up at its end.
 */
#ifndef FUZZ_SIM_H
#define FUZZ_SIM_H

#include <linux/device.h>
#include <linux/iommu.h>
#include <iosim/device.h>
#include <iosim/iommu.h>

struct fuzz_sim_config {
	phys_addr_t ram_base;		/* 0: IOSIM_RAM_DEFAULT_BASE_PHYS */
	u64 ram_size;			/* 0: 16 MiB */
	struct iosim_iommu_config iommu;	/* .bus is filled in */
	struct iosim_device_config dev;		/* .name and .bus are filled in */
	bool cache_model;		/* non-coherent masters see memory (the arch layer syncs) */
};

struct fuzz_sim {
	struct bus_type bus;
	struct iosim_iommu *iommu;
	struct device *dev;
	struct iommu_domain *domain;
	unsigned long granule;
	unsigned long pgsize_bitmap;
	u64 input_size;			/* 2^ias */
	bool attached;
	/* faults the domain's handler heard */
	unsigned long nr_reported;
	unsigned long last_reported_iova;
	int last_reported_flags;
};

/*
 * fuzz_sim_create - RAM, bus, IOMMU, device (added, a master), an unmanaged
 * domain with a fault handler that counts into @sim, and (if @attach) the
 * device attached to it.  Any failure is a harness finding (FUZZ_CHECK).
 */
void fuzz_sim_create(struct fuzz_sim *sim, const struct fuzz_sim_config *cfg, bool attach);

/*
 * fuzz_sim_attach/fuzz_sim_detach - attach or detach the device (no-op if
 * already so).  An attach may fail only because a failure was injected: it
 * returns that error and leaves the device detached.
 */
int fuzz_sim_attach(struct fuzz_sim *sim);
void fuzz_sim_detach(struct fuzz_sim *sim);

/*
 * fuzz_sim_destroy - undo fuzz_sim_create() in reverse order, checking the
 * IOMMU and RAM checkers on the way, then reset RAM to fresh.  Return: the
 * pages still allocated (leaked; RAM is then destroyed instead), for
 * fuzz_end().
 */
unsigned long fuzz_sim_destroy(struct fuzz_sim *sim);

/*
 * fuzz_sim_check - the instance's checker (which checks the domain, as
 * iosim_iommu_domain_check() does) and iosim_iommu_check() pass.
 */
void fuzz_sim_check(struct fuzz_sim *sim, const char *after);

/* fuzz_sim_mapped_bytes - what the domain's statistics say is mapped. */
u64 fuzz_sim_mapped_bytes(struct fuzz_sim *sim);

/* fuzz_sim_tables - page tables the domain holds. */
unsigned long fuzz_sim_tables(struct fuzz_sim *sim);

#endif /* FUZZ_SIM_H */
