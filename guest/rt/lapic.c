// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Local APIC: enable, EOI, ID, self-IPI and a one-shot timer wakeup.
 */
#include <mptrun_abi.h>

#include "rt/cpu.h"
#include "rt/idt.h"
#include "rt/io.h"
#include "rt/lapic.h"

/* One-shot, divide by 16.  KVM's APIC timer counts at 1 GHz, so a tick
 * after the divider is 16 ns; elsewhere the sleep is merely shorter or
 * longer. */
#define TIMER_DIV_16 0x3
#define TIMER_TICKS_PER_US 64

uint32_t lapic_read(uint32_t reg)
{
	return mmio_read32(MPTRUN_LAPIC_GPA + reg);
}

void lapic_write(uint32_t reg, uint32_t v)
{
	mmio_write32(MPTRUN_LAPIC_GPA + reg, v);
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_REG_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_REG_EOI, 0);
}

/* The timer and the kick only wake the CPU; the EOI is the dispatcher's. */
static void wakeup_irq(void *arg, uint8_t vector)
{
	(void)arg;
	(void)vector;
}

void lapic_init(void)
{
	lapic_write(LAPIC_REG_SVR, LAPIC_SVR_ENABLE | RT_VEC_SPURIOUS);
	lapic_write(LAPIC_REG_TPR, 0);
	lapic_write(LAPIC_REG_LVT_TIMER, LAPIC_LVT_MASKED | RT_VEC_TIMER);
	lapic_write(LAPIC_REG_LVT_LINT0, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_REG_LVT_LINT1, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_REG_LVT_ERROR, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_REG_TIMER_DIV, TIMER_DIV_16);
	irq_register(RT_VEC_TIMER, wakeup_irq, 0);
	irq_register(RT_VEC_KICK, wakeup_irq, 0);
}

void lapic_self_ipi(uint8_t vector)
{
	/* Destination shorthand "self", fixed delivery, edge. */
	lapic_write(LAPIC_REG_ICR_HI, 0);
	lapic_write(LAPIC_REG_ICR_LO, (1u << 18) | vector);
}

void lapic_send_ipi(uint8_t apic_id, uint8_t vector)
{
	lapic_write(LAPIC_REG_ICR_HI, (uint32_t)apic_id << 24);
	lapic_write(LAPIC_REG_ICR_LO, vector);
}

void lapic_sleep_us(uint32_t us)
{
	int was_enabled = irq_enabled();
	uint32_t ticks = us > 0xffffffffu / TIMER_TICKS_PER_US ?
				 0xffffffffu : us * TIMER_TICKS_PER_US;

	irq_disable();
	lapic_write(LAPIC_REG_LVT_TIMER, RT_VEC_TIMER);
	lapic_write(LAPIC_REG_TIMER_INIT, ticks ? ticks : 1);
	__asm__ volatile("sti; hlt" : : : "memory");
	irq_disable();
	lapic_write(LAPIC_REG_TIMER_INIT, 0);
	lapic_write(LAPIC_REG_LVT_TIMER, LAPIC_LVT_MASKED | RT_VEC_TIMER);
	if (was_enabled)
		irq_enable();
}
