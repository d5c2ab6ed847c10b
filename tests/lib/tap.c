// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* The TAP producer behind tests/tap.h. */
#include <pthread.h>

#include "tap.h"

static int tap_count, tap_failed;
static pthread_mutex_t tap_lock = PTHREAD_MUTEX_INITIALIZER;

static int report(int pass, const char *file, int line, const char *fmt,
		  va_list ap)
{
	pthread_mutex_lock(&tap_lock);
	tap_count++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	printf("\n");
	if (!pass)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
	pthread_mutex_unlock(&tap_lock);
	return pass;
}

int tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

int tap_is_int(long long got, long long want, const char *file, int line,
	       const char *fmt, ...)
{
	va_list ap;
	int pass = got == want;

	va_start(ap, fmt);
	report(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   got %lld (%#llx), want %lld (%#llx)\n", got,
		       (unsigned long long)got, want, (unsigned long long)want);
	return pass;
}

void diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

void tap_skip_all(const char *reason)
{
	printf("1..0 # SKIP %s\n", reason);
	exit(0);
}

int tap_failures(void)
{
	return tap_failed;
}

int done_testing(void)
{
	printf("1..%d\n", tap_count);
	if (!tap_count) {
		printf("# no test ran\n");
		return 1;
	}
	return tap_failed ? 1 : 0;
}
