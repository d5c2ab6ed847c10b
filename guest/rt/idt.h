/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The IDT: every vector has a stub (isr.S) leading to one dispatcher.
 * Vectors 32..255 call the handler registered for them, then EOI the
 * LAPIC (except the spurious vector).  An exception with no handler
 * prints the CPU state and exits with RT_EXIT_EXCEPTION(vector).
 */
#ifndef RT_IDT_H
#define RT_IDT_H

#include <stdint.h>

/* What the stubs push, lowest address first. */
struct rt_isr_frame {
	uint32_t edi, esi, ebp, esp_pusha, ebx, edx, ecx, eax;
	uint32_t vector, error;
	uint32_t eip, cs, eflags;
};

typedef void (*irq_handler_t)(void *arg, uint8_t vector);

/* Build the IDT and load it on this CPU. */
void idt_init(void);

/* Load the IDT built by idt_init() on another CPU. */
void idt_load(void);

/*
 * irq_register() - call @fn(@arg, vector) when @vector arrives
 *
 * A handler for an exception vector (below 32) replaces the default
 * report-and-exit; the faulting instruction is retried on return unless
 * the handler moved the frame's eip (see irq_frame()).
 */
void irq_register(uint8_t vector, irq_handler_t fn, void *arg);

/* The frame of the interrupt being handled on this CPU (in a handler). */
struct rt_isr_frame *irq_frame(void);

/* Interrupts that arrived with no handler. */
uint32_t irq_unhandled_count(void);

void rt_isr_dispatch(struct rt_isr_frame *f);

#endif /* RT_IDT_H */
