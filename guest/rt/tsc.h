/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Time from the TSC.  Its frequency comes from the hypervisor when it
 * tells (CPUID 0x40000010, kvmclock), else from CPUID 0x15/0x16, else an
 * assumed 3 GHz: timeouts are bounds, not measurements, so a guess only
 * makes them longer or shorter, never infinite.
 */
#ifndef RT_TSC_H
#define RT_TSC_H

#include <stdint.h>

#include "rt/cpu.h"

void tsc_init(void);

/* TSC ticks per millisecond. */
uint32_t tsc_khz(void);

/* Where tsc_khz() came from, for the log. */
const char *tsc_source(void);

/* The TSC value @ms milliseconds (@us microseconds) from now. */
uint64_t tsc_deadline_ms(uint32_t ms);
uint64_t tsc_deadline_us(uint32_t us);

static inline int tsc_expired(uint64_t deadline)
{
	return rdtsc() >= deadline;
}

/* Microseconds between two TSC values. */
uint64_t tsc_to_us(uint64_t ticks);

void udelay(uint32_t us);

#endif /* RT_TSC_H */
