/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The backend op the dispatch benchmark calls: a trivial inject_msi in its
 * own translation unit, so no variant can inline it.
 */
#ifndef MPT_BENCH_TARGET_H
#define MPT_BENCH_TARGET_H

#include <mpt/backend.h>

/* What mpt_bk_call() needs of an instance: the handle and the table. */
struct bench_inst {
	void *handle;
	const struct mpt_backend_ops *ops;
};

int mpt_bench_inject_msi(void *handle, u64 addr, u32 data);

/* One loop per variant: n calls of inject_msi through that dispatch. */
void bench_loop_direct_call(struct bench_inst *inst, long n);
void bench_loop_static(struct bench_inst *inst, long n);
void bench_loop_table(struct bench_inst *inst, long n);
void bench_loop_retpoline(struct bench_inst *inst, long n);

#endif /* MPT_BENCH_TARGET_H */
