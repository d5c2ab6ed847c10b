/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * <stdio.h> for the test sources built into mpt_test.ko.
 *
 * snprintf() and vsnprintf() are the kernel's own.  printf() writes into
 * the KTAP output of the running test (tests/kernel/ktap.c): a line that
 * is not a result becomes a diagnostic, and "Bail out!" fails the test.
 *
 * Streams exist only for the conformance runner's report mode, which is
 * userspace-only: in the kernel stdout and stderr go to the KTAP output
 * as diagnostics and there are no files, so tmpfile() and fdopen() fail
 * (the runner then reports without them).
 */
#ifndef MPT_KTEST_STDIO_H
#define MPT_KTEST_STDIO_H

#include <linux/kernel.h>
#include <linux/stdarg.h>

typedef struct kt_file FILE;

#define stdout ((FILE *)NULL)
#define stderr ((FILE *)NULL)

void kt_printf(const char *fmt, ...) __printf(1, 2);

#define printf(...) kt_printf(__VA_ARGS__)
#define fprintf(stream, ...) ((void)(stream), kt_printf(__VA_ARGS__))

static inline int fflush(FILE *f)
{
	return 0;
}

static inline FILE *tmpfile(void)
{
	return NULL;
}

static inline FILE *fdopen(int fd, const char *mode)
{
	return NULL;
}

static inline int fileno(FILE *f)
{
	return -1;
}

static inline void rewind(FILE *f)
{
}

static inline char *fgets(char *s, int size, FILE *f)
{
	return NULL;
}

static inline int fclose(FILE *f)
{
	return 0;
}

static inline void perror(const char *s)
{
	kt_printf("# %s: failed", s);
}

#endif /* MPT_KTEST_STDIO_H */
