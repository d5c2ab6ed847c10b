// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The CPU barrier.  The last CPU to arrive resets the count and flips the
 * sense; the others wait for the flip.  Each CPU keeps the sense it waits
 * for in its slot of the barrier, so the barrier can be reused at once.
 */
#include "rt/layout.h"
#include "rt/smp.h"
#include "rt/spinlock.h"
#include "rt/tsc.h"

int cpu_barrier_wait(struct cpu_barrier *b, uint32_t nr, uint32_t timeout_ms)
{
	unsigned int cpu = smp_cpu_index();
	uint32_t sense = b->cpu_sense[cpu] ^ 1;
	uint64_t deadline = timeout_ms ? tsc_deadline_ms(timeout_ms) : 0;

	b->cpu_sense[cpu] = sense;
	if (atomic_fetch_add32(&b->count, 1) == nr - 1) {
		b->count = 0;
		__asm__ volatile("" : : : "memory");
		b->sense = sense;
		return 0;
	}
	while (b->sense != sense) {
		if (deadline && tsc_expired(deadline))
			return -1;
		cpu_relax();
	}
	return 0;
}
