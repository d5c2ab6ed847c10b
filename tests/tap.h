/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Minimal TAP producer for mpt's C tests, read by prove.
 *
 *	ok(cond, "name %d", x);   is_int(got, want, "name");
 *	diag("...");              return done_testing();
 *
 * A test program exits non-zero if any check failed.
 */
#ifndef MPT_TAP_H
#define MPT_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
int tap_is_int(long long got, long long want, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tap_skip_all(const char *reason) __attribute__((noreturn));
int done_testing(void);
int tap_failures(void);

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
	tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, \
		   __VA_ARGS__)

#endif /* MPT_TAP_H */
