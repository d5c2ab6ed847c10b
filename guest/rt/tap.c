// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The TAP producer.
 */
#include <stdarg.h>

#include "rt/exit.h"
#include "rt/tap.h"

static unsigned int nr_tests, nr_failed;

static int vreport(int pass, const char *fmt, va_list ap)
{
	char name[160];

	vsnprintf(name, sizeof(name), fmt, ap);
	nr_tests++;
	if (!pass)
		nr_failed++;
	printf("%sok %u - %s\n", pass ? "" : "not ", nr_tests, name);
	return pass;
}

int tap_ok(int pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pass = vreport(!!pass, fmt, ap);
	va_end(ap);
	return pass;
}

int tap_is(uint64_t got, uint64_t expected, const char *fmt, ...)
{
	int pass = got == expected;
	va_list ap;

	va_start(ap, fmt);
	vreport(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("#   got:      %#llx\n#   expected: %#llx\n",
		       (unsigned long long)got, (unsigned long long)expected);
	return pass;
}

void tap_diag(const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("# %s\n", line);
}

void tap_skip(unsigned int n, const char *reason)
{
	while (n--)
		printf("ok %u # SKIP %s\n", ++nr_tests, reason);
}

void tap_bail(const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("Bail out! %s\n", line);
	exit(RT_EXIT_BAIL);
}

unsigned int tap_failures(void)
{
	return nr_failed;
}

void tap_done_testing(void)
{
	printf("1..%u\n", nr_tests);
	if (nr_failed)
		printf("# failed %u of %u tests\n", nr_failed, nr_tests);
	exit(nr_failed ? RT_EXIT_FAIL : RT_EXIT_OK);
}
