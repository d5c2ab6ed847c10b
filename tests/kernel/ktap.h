/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mpt_test.ko's KTAP producer: the kernel side of tests/tap.h.
 *
 * The userspace tests print TAP from one process each; in the kernel they
 * run one after the other in the module's init, each in a kthread of its
 * own (so that exit() and tap_skip_all() can end one test the way they end
 * a process), and the output is KTAP version 1 with nested subtests:
 *
 *	KTAP version 1
 *	1..2
 *	# sim backend: registered by mpt_sim.ko, borrowed by the tests
 *	    KTAP version 1
 *	    # Subtest: unit
 *	    1..12
 *	        KTAP version 1
 *	        # Subtest: smoke
 *	        1..6
 *	        ok 1 instance is active
 *	        ...
 *	    ok 1 smoke
 *	    ...
 *	ok 1 unit
 *	    KTAP version 1
 *	    # Subtest: conformance
 *	    1..1
 *	        KTAP version 1
 *	        # Subtest: sim
 *	        1..755
 *	        # case 1: ops: ABI version, size, name and op pairs are set
 *	        ok 1 abi_version has the core's major number
 *	        ...
 *	    ok 1 sim
 *	ok 2 conformance
 *	# Totals: pass:1685 fail:0 skip:1 total:1686
 *	# mpt_test: PASS
 *
 * One level of nesting is four spaces, as KUnit prints.  A leaf's checks
 * are collected while it runs and printed when it ends, because its plan
 * ("1..N") must come first; the collection never allocates, so checks and
 * mpt's log messages may be reported from any context.
 */
#ifndef MPT_KTEST_KTAP_H
#define MPT_KTEST_KTAP_H

#include <linux/types.h>

/**
 * typedef kt_program_fn - one test program, as main() was in userspace
 *
 * Return: 0 when every check passed (done_testing()'s status).
 */
typedef int (*kt_program_fn)(void);

/**
 * kt_begin() - start printing the KTAP output
 * @nr: number of top-level subtests
 *
 * Return: 0, or -ENOMEM.
 */
int kt_begin(unsigned int nr);

/**
 * kt_end() - print the totals and free what kt_begin() allocated
 *
 * Return: the number of failed checks and tests.
 */
unsigned int kt_end(void);

/**
 * kt_suite_begin() - open a subtest that holds subtests
 * @name: its name
 * @nr: the number of subtests it will hold
 */
void kt_suite_begin(const char *name, unsigned int nr);

/**
 * kt_suite_end() - close the innermost suite and print its result
 */
void kt_suite_end(void);

/**
 * kt_run() - run a test program as a leaf subtest of the current suite
 * @name: its name
 * @fn: the program
 *
 * The program runs in a kthread; its checks become the leaf's results.
 * The leaf fails when a check failed, when it returned non-zero, or when
 * it exited with a non-zero status; tap_skip_all() makes it a skip.
 *
 * Return: true if it passed (or was skipped).
 */
bool kt_run(const char *name, kt_program_fn fn);

/**
 * kt_skip() - report a subtest of the current suite that cannot run
 * @name: its name
 * @why: the reason, for the SKIP directive
 */
void kt_skip(const char *name, const char *why);

/*
 * The exit() and printf() of the test sources (see libc/): the running
 * program's thread ends with kthread_complete_and_exit() on the
 * completion this returns (NULL when called from elsewhere).
 */
struct completion *kt_exit_prepare(int status, const char *skip);
void kt_printf(const char *fmt, ...) __printf(1, 2);

#endif /* MPT_KTEST_KTAP_H */
