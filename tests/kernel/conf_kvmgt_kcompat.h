/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Included first in every object of mpt_conf_kvmgt.ko built from
 * tests/conformance (tests/kernel/conf_kvmgt.kbuild), as kcompat.h is in
 * mpt_test.ko's: the kernel headers the C library stand-ins of
 * tests/kernel/libc could clash with are read before any of them defines
 * a function-like macro.  Nothing is redirected: the suite runs over
 * mpt_mdev.ko's backend as it is, and mpt's log goes back to its default
 * sink when the runner lets it go.
 */
#ifndef MPT_CONF_KVMGT_KCOMPAT_H
#define MPT_CONF_KVMGT_KCOMPAT_H

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#endif /* MPT_CONF_KVMGT_KCOMPAT_H */
