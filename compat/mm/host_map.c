// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The host memory behind simulated RAM and the cache model: memfds and their
 * mappings, as a fault site (IOSIM_FAULT_HOST, <iosim/fault.h>), so a test
 * can make creating RAM or the cache model fail at each of its host steps.
 */
#include <errno.h>
#include <unistd.h>
#include <sys/mman.h>

#include <linux/kernel.h>
#include <iosim/fault.h>
#include "iosim_mm.h"

int iosim_host_memfd(const char *name, size_t size_bytes)
{
	int fd;

	if (iosim_fault_should_fail(IOSIM_FAULT_HOST))
		return -ENOMEM;
	fd = memfd_create(name, MFD_CLOEXEC);
	if (fd < 0)
		return -ENOMEM;
	if (ftruncate(fd, (off_t)size_bytes)) {
		close(fd);
		return -ENOMEM;
	}
	return fd;
}

void *iosim_host_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t offset)
{
	if (iosim_fault_should_fail(IOSIM_FAULT_HOST)) {
		errno = ENOMEM;
		return MAP_FAILED;
	}
	return mmap(addr, len, prot, flags, fd, offset);
}
