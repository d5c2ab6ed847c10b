/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * PVH boot entry.
 *
 * Every vCPU arrives here in 32-bit protected mode, paging off, interrupts
 * off, EAX = MPTRUN_BOOT_MAGIC (only on mptrun) and EBX = the start info.
 * On mptrun every vCPU starts here; on Xen only vCPU 0 does, and the boot
 * CPU starts the others here later (rt/xen.c) with EAX = RT_AP_MAGIC and
 * EBX = their CPU index.  We load our own flat GDT (the selectors PVH
 * leaves are not ours to know), take the CPU index (EBX after RT_AP_MAGIC,
 * else the LAPIC ID), pick a stack by it, and then:
 *   index 0: rt_start(eax, ebx), which never returns;
 *   index 1..RT_MAX_CPUS-1: wait until the boot CPU has set up the
 *              runtime (rt_ap_go), then rt_ap_start(index);
 *   anything else: park.
 */
#include "layout.h"

	/* The note Xen (and mptrun) read to find the 32-bit entry. */
	.section .note.Xen, "a", @note
	.p2align 2
	.long 4				/* namesz: "Xen\0" */
	.long 4				/* descsz */
	.long RT_XEN_ELFNOTE_PHYS32_ENTRY
	.asciz "Xen"
	.long pvh_start

	.section .text.entry, "ax", @progbits
	.code32
	.globl pvh_start
	.type pvh_start, @function
pvh_start:
	cli
	cld
	mov %eax, %esi			/* boot magic */
	mov %ebx, %edi			/* start info */
	lgdt rt_gdt_desc
	ljmp $RT_SEL_CODE, $1f
1:	mov $RT_SEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs

	mov %edi, %eax
	cmp $RT_AP_MAGIC, %esi
	jne 4f
	test %eax, %eax			/* index 0 is the PVH boot's only */
	jz rt_park
	jmp 3f
4:	mov RT_LAPIC_ID_REG, %eax
	shr $24, %eax
3:	cmp $RT_MAX_CPUS, %eax
	jae rt_park
	mov %eax, %ecx
	inc %eax
	imul $RT_STACK_SIZE, %eax, %eax
	lea rt_stacks(%eax), %esp
	xor %ebp, %ebp
	test %ecx, %ecx
	jnz 2f

	push %edi
	push %esi
	call rt_start
	jmp rt_park

2:	pause
	cmpl $0, rt_ap_go
	je 2b
	push %ecx
	call rt_ap_start
	/* fall through */
	.globl rt_park
rt_park:
	cli
	hlt
	jmp rt_park
	.size pvh_start, . - pvh_start

	.section .rodata
	.p2align 3
rt_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* RT_SEL_CODE: flat 32-bit code */
	.quad 0x00cf92000000ffff	/* RT_SEL_DATA: flat data */
rt_gdt_end:
	.p2align 2
	.word 0
rt_gdt_desc:
	.word rt_gdt_end - rt_gdt - 1
	.long rt_gdt

	/* Set by the boot CPU once the runtime is up; in .data, not .bss,
	 * because the boot CPU clears .bss while the others poll this. */
	.data
	.p2align 2
	.globl rt_ap_go
rt_ap_go:
	.long 0

	/* Never cleared, so the other CPUs may already run on theirs. */
	.section .stacks, "aw", @nobits
	.p2align 12
	.globl rt_stacks
rt_stacks:
	.skip RT_STACK_SIZE * RT_MAX_CPUS

	.section .note.GNU-stack, "", @progbits
