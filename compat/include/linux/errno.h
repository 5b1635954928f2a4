/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * linux/errno.h - faithful: the kernel-internal error codes on top of the
 * uapi ones.
 *
 * Shares its name with /usr/include/linux/errno.h, which glibc's <errno.h>
 * includes: we #include_next it so glibc keeps working, then add the codes
 * the kernel never exports to userspace (values as in the kernel).
 */
#ifndef _IOSIM_LINUX_ERRNO_H
#define _IOSIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

#define ERESTARTSYS		512
#define ERESTARTNOINTR		513
#define ERESTARTNOHAND		514
#define ENOIOCTLCMD		515
#define ERESTART_RESTARTBLOCK	516
#define EPROBE_DEFER		517
#define EOPENSTALE		518
#define EBADHANDLE		521
#define ENOTSYNC		522
#define EBADCOOKIE		523
#define ENOTSUPP		524
#define ETOOSMALL		525
#define ESERVERFAULT		526
#define EBADTYPE		527
#define EJUKEBOX		528
#define EIOCBQUEUED		529

#endif /* _IOSIM_LINUX_ERRNO_H */
