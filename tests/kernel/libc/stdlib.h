/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * <stdlib.h> for the test sources built into mpt_test.ko.
 *
 * Allocation is kvmalloc's (the suite asks for a few pages at most).
 * exit() ends the test program, which runs in a kthread of its own
 * (tests/kernel/ktap.c), the way the process would have ended in
 * userspace: the program's result is the status, and what it had not
 * freed stays allocated (it only exits on a failed fixture).
 *
 * Function-like macros, defined after the kernel headers they could clash
 * with have been read.
 */
#ifndef MPT_KTEST_STDLIB_H
#define MPT_KTEST_STDLIB_H

#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/slab.h>

/* Records @status (and @skip, a reason to skip the whole program). */
struct completion *kt_exit_prepare(int status, const char *skip);

/*
 * Inline, so that objtool sees the call that does not return
 * (kthread_complete_and_exit(), which it knows) in the caller.
 */
static inline __noreturn void kt_exit(int status)
{
	kthread_complete_and_exit(kt_exit_prepare(status, NULL), status);
}

#define malloc(n) kvmalloc((n), GFP_KERNEL)
#define calloc(n, size) kvcalloc((n), (size), GFP_KERNEL)
#define free(p) kvfree(p)
#define exit(status) kt_exit(status)

/* No environment: programs take their defaults. */
static inline char *getenv(const char *name)
{
	return NULL;
}

#define strtoul(s, end, base) simple_strtoul((s), (end), (base))

#endif /* MPT_KTEST_STDLIB_H */
