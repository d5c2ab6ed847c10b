// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * IDT setup and the interrupt dispatcher.
 */
#include "rt/exit.h"
#include "rt/idt.h"
#include "rt/lapic.h"
#include "rt/layout.h"
#include "rt/printf.h"
#include "rt/smp.h"

#define IDT_ENTRIES 256
#define GATE_INTR32 0x8e /* present, DPL 0, 32-bit interrupt gate */

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t zero;
	uint8_t type;
	uint16_t offset_hi;
} __attribute__((packed));

struct idt_ptr {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

extern char rt_isr_stubs[];

static struct idt_gate idt[IDT_ENTRIES] __attribute__((aligned(8)));

static struct {
	irq_handler_t fn;
	void *arg;
} handlers[IDT_ENTRIES];

static struct rt_isr_frame *cur_frame[RT_MAX_CPUS];
static volatile uint32_t unhandled;

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "rsvd",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP", "rsvd", "rsvd",
	"rsvd", "rsvd", "rsvd", "rsvd", "#HV", "#VC", "#SX", "rsvd",
};

void idt_load(void)
{
	struct idt_ptr p = { sizeof(idt) - 1, (uint32_t)(uintptr_t)idt };

	__asm__ volatile("lidt %0" : : "m"(p));
}

void idt_init(void)
{
	unsigned int v;

	for (v = 0; v < IDT_ENTRIES; v++) {
		uint32_t off = (uint32_t)(uintptr_t)rt_isr_stubs +
			       v * RT_ISR_STUB_SIZE;

		idt[v].offset_lo = off & 0xffff;
		idt[v].selector = RT_SEL_CODE;
		idt[v].zero = 0;
		idt[v].type = GATE_INTR32;
		idt[v].offset_hi = off >> 16;
	}
	idt_load();
}

void irq_register(uint8_t vector, irq_handler_t fn, void *arg)
{
	handlers[vector].arg = arg;
	__asm__ volatile("" : : : "memory");
	handlers[vector].fn = fn;
}

struct rt_isr_frame *irq_frame(void)
{
	return cur_frame[smp_cpu_index()];
}

uint32_t irq_unhandled_count(void)
{
	return unhandled;
}

static void __attribute__((noreturn)) die(const struct rt_isr_frame *f)
{
	uint32_t cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	printf("\nrt: CPU %u exception %u %s error %#x at eip %08x\n"
	       "rt:   eax %08x ebx %08x ecx %08x edx %08x\n"
	       "rt:   esi %08x edi %08x ebp %08x esp %08x\n"
	       "rt:   cs %04x eflags %08x cr2 %08x\n",
	       smp_cpu_index(), f->vector, exc_names[f->vector], f->error,
	       f->eip, f->eax, f->ebx, f->ecx, f->edx, f->esi, f->edi,
	       f->ebp, f->esp_pusha + 20, f->cs, f->eflags, cr2);
	exit(RT_EXIT_EXCEPTION(f->vector));
}

void rt_isr_dispatch(struct rt_isr_frame *f)
{
	unsigned int cpu = smp_cpu_index();
	struct rt_isr_frame *outer = cur_frame[cpu];
	irq_handler_t fn = handlers[f->vector].fn;

	cur_frame[cpu] = f;
	if (fn)
		fn(handlers[f->vector].arg, (uint8_t)f->vector);
	else if (f->vector < 32)
		die(f);
	else
		unhandled++;
	cur_frame[cpu] = outer;
	if (f->vector >= 32 && f->vector != RT_VEC_SPURIOUS)
		lapic_eoi();
}
