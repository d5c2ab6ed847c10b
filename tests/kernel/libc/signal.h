/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * <signal.h> for the conformance runner built into mpt_test.ko.  The
 * runner catches crashes in its userspace report mode only; a kernel
 * thread gets no such signal, so installing a handler does nothing.  The
 * kernel already defines struct sigaction, sigset_t, sigemptyset() and
 * the signal numbers.
 */
#ifndef MPT_KTEST_SIGNAL_H
#define MPT_KTEST_SIGNAL_H

#include <linux/signal.h>

static inline int sigaction(int sig, const struct sigaction *act,
			    struct sigaction *old)
{
	return -1;
}

static inline int raise(int sig)
{
	return 0;
}

#endif /* MPT_KTEST_SIGNAL_H */
