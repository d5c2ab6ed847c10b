/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The guest's CPUs.  Every vCPU enters at the boot entry; the one with
 * LAPIC ID 0 runs main(), the others run ap_main() once the runtime is
 * up.  A CPU's index is its LAPIC ID, which also selects its stack.
 */
#ifndef RT_SMP_H
#define RT_SMP_H

#include <stdint.h>

#include "rt/layout.h"

extern char rt_stacks[];

/* This CPU's index (0 is the boot CPU), from the stack it runs on. */
static inline unsigned int smp_cpu_index(void)
{
	uintptr_t sp;
	unsigned int i;

	__asm__("mov %%esp, %0" : "=r"(sp));
	i = (sp - (uintptr_t)rt_stacks) / RT_STACK_SIZE;
	return i < RT_MAX_CPUS ? i : 0;
}

/* A bit per CPU that has reached ap_main() (bit 0: the boot CPU). */
uint32_t smp_online_mask(void);

/*
 * smp_wait_cpus() - wait until @nr CPUs are online
 * Return: the number online after at most @timeout_ms.
 */
unsigned int smp_wait_cpus(unsigned int nr, uint32_t timeout_ms);

/*
 * smp_sleep_until() - halt until *@flag is non-zero
 *
 * No timer runs: only an interrupt (smp_kick()) wakes the CPU to look at
 * the flag again.  A CPU waiting this way touches no memory while it
 * waits, which is what to do while another CPU makes the host rearrange
 * guest memory (page tracking splits memslots under mptrun, and a vCPU
 * that runs meanwhile may fault; see guest/README).
 */
void smp_sleep_until(volatile uint32_t *flag);

/* Set *@flag and wake the CPU with LAPIC ID @cpu from smp_sleep_until(). */
void smp_kick(unsigned int cpu, volatile uint32_t *flag);

/* The program's entry on the boot CPU; its return value is the exit
 * status. */
int main(void);

/* The program's entry on the other CPUs.  The default parks them. */
void ap_main(unsigned int cpu);

/* Let the other CPUs go (boot.c, once the runtime is up). */
void smp_release_aps(void);

void rt_ap_start(unsigned int cpu);

#endif /* RT_SMP_H */
