// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* The benchmark's backend op and the plain direct-call baseline. */
#include "bench_target.h"

__attribute__((noinline)) int mpt_bench_inject_msi(void *handle, u64 addr,
						    u32 data)
{
	u64 *count = handle;

	*count += addr ^ data;
	return 0;
}
