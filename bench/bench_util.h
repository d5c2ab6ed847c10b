/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Timing helpers the benchmarks share: a monotonic clock and the median
 * their ratios are reported as.
 */
#ifndef MPT_BENCH_UTIL_H
#define MPT_BENCH_UTIL_H

#include <stdlib.h>
#include <time.h>

static inline double bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of @n values; sorts them. */
static inline double bench_median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return v[n / 2];
}

#endif /* MPT_BENCH_UTIL_H */
