/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * TAP output over the serial port: the host runs the guest under prove.
 * Tests are numbered as they run; tap_done_testing() prints the plan and
 * exits 0 if every test passed, 1 otherwise.  Only one CPU reports.
 */
#ifndef RT_TAP_H
#define RT_TAP_H

#include <stdint.h>

#include "rt/printf.h"

/* Report a test; returns @pass. */
int tap_ok(int pass, const char *fmt, ...) __printf(2, 3);

/* Pass when @got == @expected; on failure the two are shown. */
int tap_is(uint64_t got, uint64_t expected, const char *fmt, ...)
	__printf(3, 4);

/* A comment line ("# ..."). */
void tap_diag(const char *fmt, ...) __printf(1, 2);

/* Report @n tests as skipped for @reason. */
void tap_skip(unsigned int n, const char *reason);

/* Stop: print "Bail out!" with @reason and exit RT_EXIT_BAIL. */
void tap_bail(const char *fmt, ...) __printf(1, 2) __attribute__((noreturn));

/* Tests failed so far. */
unsigned int tap_failures(void);

/* Print the plan and exit: 0 if all passed, else 1. */
void tap_done_testing(void) __attribute__((noreturn));

#endif /* RT_TAP_H */
