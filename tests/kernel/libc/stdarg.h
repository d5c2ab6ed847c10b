/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* <stdarg.h> for the test sources built into mpt_test.ko. */
#ifndef MPT_KTEST_STDARG_H
#define MPT_KTEST_STDARG_H

#include <linux/stdarg.h>

#endif /* MPT_KTEST_STDARG_H */
