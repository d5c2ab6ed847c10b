/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * <stddef.h> for the test sources shared with userspace (see kcompat.h):
 * offsetof(), size_t, NULL.
 */
#ifndef MPT_KTEST_STDDEF_H
#define MPT_KTEST_STDDEF_H

#include <linux/stddef.h>
#include <linux/types.h>

#endif /* MPT_KTEST_STDDEF_H */
