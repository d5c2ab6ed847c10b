/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Interrupt and exception stubs: one per vector, RT_ISR_STUB_SIZE bytes
 * apart from rt_isr_stubs, so idt.c computes each gate's address.  Each
 * pushes a dummy error code when the CPU does not push one, then the
 * vector, and joins the common path that saves the registers and calls
 * rt_isr_dispatch(struct rt_isr_frame *).
 */
#include "layout.h"

	.text
	.code32
	.p2align 4
	.globl rt_isr_stubs
rt_isr_stubs:
	.set vec, 0
	.rept 256
	/* At most 15 bytes: push imm32, push imm32, jmp rel32. */
	.p2align 4
	/* Exceptions with an error code: #DF #TS #NP #SS #GP #PF #AC #CP
	 * #VC #SX. */
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || \
	    (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushl $0
	.endif
	pushl $vec
	jmp rt_isr_common
	.set vec, vec + 1
	.endr

	.p2align 4
rt_isr_common:
	pusha
	cld				/* memmove may have set DF */
	mov %esp, %eax
	push %eax
	call rt_isr_dispatch
	add $4, %esp
	popa
	add $8, %esp			/* vector and error code */
	/*
	 * Return without IRET: KVM's instruction emulator handles IRET in
	 * real mode only, and a host that runs this guest's code in that
	 * emulator (as this project's KVM PVM machines appear to do for a
	 * 32-bit, paging-off guest) stops the guest with an emulation
	 * failure on a protected-mode IRET.  No privilege or stack change
	 * happened, so turn eip, cs, eflags into eflags, eip and leave by
	 * POPF; RET.  An interrupt taken between the two finds a consistent
	 * stack (the return address on top) and nests harmlessly.
	 */
	push %eax
	mov 4(%esp), %eax		/* eip */
	xchg %eax, 12(%esp)		/* eflags slot := eip; eax := eflags */
	mov %eax, 8(%esp)		/* cs slot := eflags */
	pop %eax
	add $4, %esp			/* the old eip slot */
	popf
	ret

	.section .note.GNU-stack, "", @progbits
