/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Formatted output over the serial port.
 *
 * Conversions: %d %i %u %x %X %c %s %p %%, with the l, ll and z length
 * modifiers (so %llx, %llu, %lld), the '0', '-' and '#' flags and a field
 * width.
 * One printf call is written whole, under a lock, so lines from two CPUs
 * do not interleave.
 */
#ifndef RT_PRINTF_H
#define RT_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

#define __printf(a, b) __attribute__((format(printf, a, b)))

int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif /* RT_PRINTF_H */
