/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * fuzz_sim.h - the simulated machine the IOMMU harnesses run on: simulated
 * RAM, a bus with a simulated IOMMU, one device behind it and one domain
 * the device is attached to.
 *
 * Nothing of it is built anew for every input.  RAM lives on and is reset
 * at the end of each input to a state indistinguishable from a fresh one
 * (<iosim/ram_reset.h>).  The bus, IOMMU and device are kept from one
 * input to the next while the inputs configure them alike: they are built
 * with their objects on the host heap (iosim_slab_host_begin()), so they
 * hold no frame of RAM, and at the end of each input the IOMMU is reset
 * (iosim_iommu_reset()) and the device is checked to be as it was built.
 * The domain, which holds page tables in RAM, is allocated and freed per
 * input.  So every input starts from the same state, and a leak shows up
 * at its end.  With FUZZ_NO_REUSE=1 in the environment the bus, IOMMU and
 * device are built and torn down for every input (the same way, so the
 * outcomes are the same: the replay's --order-check runs every input
 * alone on a new machine and compares).
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
	struct bus_type *bus;
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
 * device attached to it.  The bus, IOMMU and device are the last input's
 * if @cfg asks for the same ones.  Any failure is a harness finding
 * (FUZZ_CHECK).
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
 * fuzz_sim_destroy - undo fuzz_sim_create(): detach and free the domain;
 * reset the IOMMU and check that the device is as built (a difference is a
 * finding: it would reach the next input), or with FUZZ_NO_REUSE tear them
 * down; check RAM, then reset it to fresh.  Return: the pages still
 * allocated (leaked; RAM is then destroyed instead), for fuzz_end().
 */
unsigned long fuzz_sim_destroy(struct fuzz_sim *sim);

/*
 * fuzz_sim_check - the instance's checker (which checks the domain, as
 * iosim_iommu_domain_check() does) and iosim_iommu_check() pass.
 */
void fuzz_sim_check(struct fuzz_sim *sim, const char *after);

/* fuzz_sim_mapped_bytes - what the domain maps now (iosim_iommu_domain_mapped_bytes()). */
u64 fuzz_sim_mapped_bytes(struct fuzz_sim *sim);

/* fuzz_sim_tables - page tables the domain holds. */
unsigned long fuzz_sim_tables(struct fuzz_sim *sim);

#endif /* FUZZ_SIM_H */
