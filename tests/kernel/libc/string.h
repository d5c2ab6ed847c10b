/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * <string.h> for the test sources built into mpt_test.ko: the kernel has
 * every function they use (memcmp, memcpy, memset, strcmp, strncmp,
 * strlen, strstr) under the same name and with the same meaning.
 */
#ifndef MPT_KTEST_STRING_H
#define MPT_KTEST_STRING_H

#include <linux/string.h>

#endif /* MPT_KTEST_STRING_H */
