// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * crash: executes an undefined instruction, so the runtime's exception
 * report runs and the guest exits with RT_EXIT_EXCEPTION(6) (0x46).
 */
#include "rt/printf.h"
#include "rt/smp.h"

int main(void)
{
	printf("crash: executing ud2\n");
	__asm__ volatile("ud2");
	printf("crash: still alive after ud2\n");
	return 0;
}
