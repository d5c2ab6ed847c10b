/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * <sched.h> for the test sources shared with userspace (see kcompat.h):
 * sched_yield() gives the CPU to another runnable task, as in userspace.
 */
#ifndef MPT_KTEST_SCHED_H
#define MPT_KTEST_SCHED_H

#include <linux/sched.h>

static inline int sched_yield(void)
{
	yield();
	return 0;
}

#endif /* MPT_KTEST_SCHED_H */
