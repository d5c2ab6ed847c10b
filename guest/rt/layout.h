/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Constants shared by the boot assembly and the C runtime.
 */
#ifndef RT_LAYOUT_H
#define RT_LAYOUT_H

#define RT_MAX_CPUS 2 /* mptrun's MPTRUN_MAX_VCPUS; checked in boot.c */
#define RT_STACK_SIZE 16384 /* per CPU */
#define RT_PAGE_SIZE 4096

/* GDT selectors loaded by entry.S. */
#define RT_SEL_CODE 0x08
#define RT_SEL_DATA 0x10

/* The LAPIC ID register, read before anything else to pick a stack. */
#define RT_LAPIC_BASE 0xfee00000
#define RT_LAPIC_ID_REG (RT_LAPIC_BASE + 0x20)

/* EAX of a vCPU the runtime started itself (rt/xen.c), with its CPU
 * index in EBX: the entry cannot take Xen's LAPIC IDs (2 * index) as
 * indices. */
#define RT_AP_MAGIC 0x41505354 /* "TSPA" */

/* Xen's PVH entry note: XEN_ELFNOTE_PHYS32_ENTRY. */
#define RT_XEN_ELFNOTE_PHYS32_ENTRY 18

/* Each interrupt stub is this many bytes apart (see isr.S). */
#define RT_ISR_STUB_SIZE 16

#endif /* RT_LAYOUT_H */
