/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The kernel world of the test sources shared with userspace.
 *
 * test.kbuild includes this header first (-include) in every object of
 * mpt_test.ko built from tests/unit, tests/lib and tests/conformance, so
 * that those files build unchanged.  With tests/kernel/libc (the C library
 * headers they include) it gives them:
 *
 * - the sim backend as mpt_sim.ko left it: that module registers "sim" at
 *   load, which a userspace test program never finds.  A test's
 *   mpt_sim_register(NULL) then borrows that registration instead of
 *   failing with -EEXIST, and mpt_backend_unregister() of it gives it back
 *   without unregistering what belongs to mpt_sim.ko (kt_world.c).  A
 *   second mpt_sim_register(NULL) while it is borrowed fails with -EEXIST,
 *   as it does in userspace.  Should no "sim" be registered when
 *   mpt_test.ko loads (today's mpt_sim.ko always registers it), the calls
 *   go through as in userspace.
 * - mpt's log: mpt_set_log_handler(NULL), "back to the default sink", goes
 *   back to mpt_test.ko's sink instead, which turns messages into KTAP
 *   diagnostics of the running test rather than kernel log lines.
 * - the sim's ops table, mpt_sim_ops, which mpt_sim.ko does not export:
 *   the conformance suite (target_sim.c) calls ops through kt_sim_ops, a
 *   copy of the table that mpt_sim.ko registered (kt_world.c), which
 *   backends/sim/sim_priv.h then declares under the new name; and so
 *   for mpt_sim_inject_msi(), which t_registry.c calls directly: its
 *   stand-in kt_sim_inject_msi() calls that table's inject_msi.
 * - main(): each test program's main is renamed by test.kbuild
 *   (-Dmain=kt_main_<name>) and declared in kworld.h.
 */
#ifndef MPT_KTEST_KCOMPAT_H
#define MPT_KTEST_KCOMPAT_H

/*
 * The kernel headers the shims could clash with, read before any shim
 * defines a function-like macro (libc/stdlib.h, libc/stdio.h).
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>

#define mpt_sim_register kt_sim_register
#define mpt_backend_unregister kt_backend_unregister
#define mpt_set_log_handler kt_set_log_handler
#define mpt_sim_ops kt_sim_ops
#define mpt_sim_inject_msi kt_sim_inject_msi

/* Declares what the names above now call (and the renamed main()s). */
#include "kworld.h"

/*
 * tap_skip_all() ends the program like exit() (libc/stdlib.h), inline for
 * the same reason.  tests/tap.h declares it again, without "static":
 * that declaration takes the internal linkage of this one.
 */
#include "libc/stdlib.h"

static inline __noreturn void tap_skip_all(const char *reason)
{
	kthread_complete_and_exit(kt_exit_prepare(0, reason), 0);
}

#endif /* MPT_KTEST_KCOMPAT_H */
