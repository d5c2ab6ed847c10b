// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Bringing the other CPUs into the program.  They spin in entry.S on
 * rt_ap_go, which the boot CPU sets once the IDT and the rest of the
 * runtime exist.
 */
#include "rt/cpu.h"
#include "rt/exit.h"
#include "rt/idt.h"
#include "rt/io.h"
#include "rt/lapic.h"
#include "rt/smp.h"
#include "rt/spinlock.h"
#include "rt/tsc.h"

extern volatile uint32_t rt_ap_go;

static volatile uint32_t online = 1;
/* Each CPU's LAPIC ID, by index: equal on mptrun, 2 * index on Xen. */
static volatile uint8_t apic_ids[RT_MAX_CPUS];

uint32_t smp_online_mask(void)
{
	return online;
}

void smp_release_aps(void)
{
	__asm__ volatile("" : : : "memory");
	rt_ap_go = 1;
}

static unsigned int popcount(uint32_t v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

unsigned int smp_wait_cpus(unsigned int nr, uint32_t timeout_ms)
{
	uint64_t deadline = tsc_deadline_ms(timeout_ms);

	while (popcount(online) < nr && !tsc_expired(deadline))
		cpu_relax();
	return popcount(online);
}

void smp_sleep_until(volatile uint32_t *flag)
{
	int was_enabled = irq_enabled();

	for (;;) {
		irq_disable();
		if (*flag)
			break;
		__asm__ volatile("sti; hlt" : : : "memory");
	}
	if (was_enabled)
		irq_enable();
}

void smp_kick(unsigned int cpu, volatile uint32_t *flag)
{
	*flag = 1;
	mb();
	lapic_send_ipi(cpu < RT_MAX_CPUS ? apic_ids[cpu] : (uint8_t)cpu,
		       RT_VEC_KICK);
}

void __attribute__((weak)) ap_main(unsigned int cpu)
{
	(void)cpu;
}

void rt_ap_start(unsigned int cpu)
{
	idt_load();
	lapic_init();
	apic_ids[cpu] = (uint8_t)lapic_id();
	__asm__ volatile("lock; orl %1, %0" : "+m"(online) : "r"(1u << cpu)
			 : "memory", "cc");
	ap_main(cpu);
	cpu_park();
}
