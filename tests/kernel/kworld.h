/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The state of mpt that mpt_test.ko finds at load (kt_world.c), and the
 * test programs written for the kernel (kt_*.c).
 */
#ifndef MPT_KTEST_KWORLD_H
#define MPT_KTEST_KWORLD_H

#include <mpt/mpt.h>

/**
 * kt_world_begin() - look at the registry before the tests run
 *
 * Finds out whether mpt_sim.ko registered "sim" (then the tests borrow
 * that registration, see kcompat.h) and sends mpt's log to the KTAP
 * output.
 *
 * Return: 0, or a negative errno when the sim backend is not usable.
 */
int kt_world_begin(void);

/** kt_world_end() - give mpt's log back to its default sink */
void kt_world_end(void);

/**
 * kt_world_prepare() - reset what one test program may have changed
 *
 * The log level and sink, which are global in mpt.ko whereas each
 * userspace program started with the defaults.
 */
void kt_world_prepare(void);

/**
 * kt_sim_shared() - whether "sim" is mpt_sim.ko's registration
 *
 * Return: true when the tests borrow it; false when they register the sim
 * backend themselves, as in userspace.
 */
bool kt_sim_shared(void);

/* The redirections of kcompat.h. */
int kt_sim_register(const char *name, struct mpt_backend **out);
int kt_backend_unregister(struct mpt_backend *backend);
mpt_log_fn kt_set_log_handler(mpt_log_fn fn);
int kt_sim_inject_msi(void *handle, u64 addr, u32 data);

/* The shared test programs, main() renamed by test.kbuild. */
int kt_main_t_smoke(void);
int kt_main_t_registry(void);
int kt_main_t_lifecycle(void);
int kt_main_t_page_track(void);
int kt_main_t_trap(void);
int kt_main_t_cfg_space(void);
int kt_main_t_irq(void);
int kt_main_t_dma_cache(void);
int kt_main_t_gpa(void);
int kt_main_t_pvinfo(void);
int kt_main_t_golden(void);
int kt_main_t_fault_sweep(void);
int kt_main_target_sim(int argc, char **argv);

#endif /* MPT_KTEST_KWORLD_H */
