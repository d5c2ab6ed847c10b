// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * wait_cond(): poll, then sleep or spin, until a condition or a deadline.
 * When sleeping, the condition is tested with interrupts off and the CPU
 * halts with "sti; hlt", so an interrupt that makes it true cannot slip
 * in between the test and the halt.
 */
#include "rt/cpu.h"
#include "rt/err.h"
#include "rt/lapic.h"
#include "rt/tsc.h"
#include "rt/wait.h"

#define SLEEP_SLICE_US 1000

int wait_cond(int (*cond)(void *arg), void *arg, uint32_t timeout_us,
	      unsigned int flags)
{
	uint64_t deadline = tsc_deadline_us(timeout_us);
	int was_enabled = irq_enabled();
	int ret;

	for (;;) {
		if (flags & WAIT_SLEEP)
			irq_disable();
		if (cond(arg)) {
			ret = 0;
			break;
		}
		if (tsc_expired(deadline)) {
			ret = -ETIMEDOUT;
			break;
		}
		if (flags & WAIT_SLEEP)
			lapic_sleep_us(SLEEP_SLICE_US);
		else
			cpu_relax();
	}
	if (was_enabled)
		irq_enable();
	return ret;
}
