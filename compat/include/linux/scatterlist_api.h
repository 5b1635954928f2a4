/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Placeholder: the scatterlist library's inline helpers and prototypes are
 * being written; this file is replaced by the real declarations.
 */
#ifndef _IOSIM_LINUX_SCATTERLIST_API_H
#define _IOSIM_LINUX_SCATTERLIST_API_H
#endif
