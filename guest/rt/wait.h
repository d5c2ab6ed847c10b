/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Bounded waiting: every wait in the guest ends, by its condition or by a
 * TSC deadline.
 */
#ifndef RT_WAIT_H
#define RT_WAIT_H

#include <stdint.h>

/* Halt between polls (an interrupt or the LAPIC timer wakes the CPU);
 * without it, spin with PAUSE. */
#define WAIT_SLEEP (1u << 0)

/*
 * wait_cond() - wait until @cond(@arg) is true
 * @timeout_us: give up after this long
 * @flags: WAIT_SLEEP or 0
 *
 * Return: 0, or -ETIMEDOUT.
 */
int wait_cond(int (*cond)(void *arg), void *arg, uint32_t timeout_us,
	      unsigned int flags);

#endif /* RT_WAIT_H */
