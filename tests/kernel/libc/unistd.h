/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * <unistd.h> for the conformance runner built into mpt_test.ko: only its
 * report mode (userspace) duplicates file descriptors, and in the kernel
 * there are none to duplicate, so the calls fail as they would without
 * descriptors left.
 */
#ifndef MPT_KTEST_UNISTD_H
#define MPT_KTEST_UNISTD_H

#define STDOUT_FILENO 1

static inline int dup(int fd)
{
	return -1;
}

static inline int dup2(int fd, int fd2)
{
	return -1;
}

#endif /* MPT_KTEST_UNISTD_H */
