// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The loop the dispatch benchmark times, compiled once per variant from
 * this one source so that only the call differs:
 *   BENCH_LOOP=bench_loop_direct_call  -DBENCH_PLAIN_CALL: the baseline, a
 *                                      hypervisor-specific driver's call
 * and with the core's own mpt_bk_call() (mpt/mpt_dispatch.h):
 *   BENCH_LOOP=bench_loop_static     -DMPT_DISPATCH_DIRECT (bound to "bench")
 *   BENCH_LOOP=bench_loop_table      ops-table dispatch
 *   BENCH_LOOP=bench_loop_retpoline  ops-table dispatch, retpoline thunks
 */
#include "bench_target.h"
#include "mpt_dispatch.h"

/* The bench backend implements inject_msi only; nothing else is called. */
void BENCH_LOOP(struct bench_inst *inst, long n)
{
	long i;

	for (i = 0; i < n; i++)
#ifdef BENCH_PLAIN_CALL
		mpt_bench_inject_msi(inst->handle, 0xfee00000 + i, (u32)i);
#else
		mpt_bk_call(inst, inject_msi, 0xfee00000 + i, (u32)i);
#endif
}
