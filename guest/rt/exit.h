/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Ending the run: a write to mptrun's exit port, whose value becomes
 * mptrun's exit status.
 */
#ifndef RT_EXIT_H
#define RT_EXIT_H

#include <stdint.h>

/* Exit statuses of the guest programs; see also TAP's 0 and 1. */
#define RT_EXIT_OK 0
#define RT_EXIT_FAIL 1 /* a test failed */
#define RT_EXIT_BAIL 2 /* a test program could not go on */
#define RT_EXIT_BOOT 3 /* bad boot information */
#define RT_EXIT_EXCEPTION(vec) (0x40 + (vec)) /* 0x40..0x5f: CPU exception */

void exit(int code) __attribute__((noreturn));

/* Stop this CPU for good (interrupts off, HLT). */
void cpu_park(void) __attribute__((noreturn));

#endif /* RT_EXIT_H */
