/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The local APIC, in xAPIC mode at MPTRUN_LAPIC_GPA: MSIs arrive here.
 */
#ifndef RT_LAPIC_H
#define RT_LAPIC_H

#include <stdint.h>

#define LAPIC_REG_ID 0x020
#define LAPIC_REG_VERSION 0x030
#define LAPIC_REG_TPR 0x080
#define LAPIC_REG_EOI 0x0b0
#define LAPIC_REG_SVR 0x0f0
#define LAPIC_REG_ISR0 0x100
#define LAPIC_REG_IRR0 0x200
#define LAPIC_REG_ICR_LO 0x300
#define LAPIC_REG_ICR_HI 0x310
#define LAPIC_REG_LVT_TIMER 0x320
#define LAPIC_REG_LVT_LINT0 0x350
#define LAPIC_REG_LVT_LINT1 0x360
#define LAPIC_REG_LVT_ERROR 0x370
#define LAPIC_REG_TIMER_INIT 0x380
#define LAPIC_REG_TIMER_CUR 0x390
#define LAPIC_REG_TIMER_DIV 0x3e0

#define LAPIC_SVR_ENABLE (1u << 8)
#define LAPIC_LVT_MASKED (1u << 16)

/* Vectors the runtime owns. */
#define RT_VEC_TIMER 0x30 /* wakes lapic_sleep_us() */
#define RT_VEC_KICK 0x31 /* wakes a CPU in smp_sleep_until() */
#define RT_VEC_SPURIOUS 0xff

uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t v);

/* Software-enable this CPU's LAPIC (SVR), accept all priorities, mask
 * the local interrupts. */
void lapic_init(void);

uint32_t lapic_id(void);
void lapic_eoi(void);

/* Send @vector to this CPU (a fixed self-IPI). */
void lapic_self_ipi(uint8_t vector);

/* Send @vector to the CPU with LAPIC ID @apic_id (fixed, physical). */
void lapic_send_ipi(uint8_t apic_id, uint8_t vector);

/*
 * Halt until an interrupt arrives or about @us microseconds pass (the
 * LAPIC timer, whose rate is assumed, wakes the CPU).  Interrupts are
 * enabled during the halt and restored to their previous state after.
 * Call with interrupts disabled after checking the condition waited for,
 * so a wakeup cannot be lost.
 */
void lapic_sleep_us(uint32_t us);

#endif /* RT_LAPIC_H */
