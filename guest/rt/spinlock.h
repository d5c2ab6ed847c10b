/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Spinlocks and a rendezvous barrier for the guest's CPUs.
 */
#ifndef RT_SPINLOCK_H
#define RT_SPINLOCK_H

#include <stdint.h>

#include "rt/cpu.h"
#include "rt/layout.h"

struct spinlock {
	volatile uint32_t locked;
};

#define SPINLOCK_INIT { 0 }

static inline int spin_trylock(struct spinlock *l)
{
	uint32_t old = 1;

	__asm__ volatile("xchgl %0, %1" : "+r"(old), "+m"(l->locked)
			 : : "memory");
	return old == 0;
}

static inline void spin_lock(struct spinlock *l)
{
	while (!spin_trylock(l))
		while (l->locked)
			cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	/* x86 does not reorder a store with older loads or stores. */
	__asm__ volatile("" : : : "memory");
	l->locked = 0;
}

/* Atomically add @v to *@p and return the old value. */
static inline uint32_t atomic_fetch_add32(volatile uint32_t *p, uint32_t v)
{
	__asm__ volatile("lock; xaddl %0, %1" : "+r"(v), "+m"(*p) : : "memory");
	return v;
}

/*
 * A sense-reversing barrier: every one of @nr CPUs calls cpu_barrier_wait
 * and none returns until all have arrived.
 */
struct cpu_barrier {
	volatile uint32_t count;
	volatile uint32_t sense;
	uint32_t cpu_sense[RT_MAX_CPUS]; /* what each CPU waits for */
};

#define CPU_BARRIER_INIT { 0, 0, { 0 } }

/*
 * cpu_barrier_wait() - wait until @nr CPUs have reached @b
 * @timeout_ms: give up after this long (0: wait forever)
 *
 * Return: 0, or -1 on timeout (the barrier is then unusable).
 */
int cpu_barrier_wait(struct cpu_barrier *b, uint32_t nr, uint32_t timeout_ms);

#endif /* RT_SPINLOCK_H */
