// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * exit() and parking.
 */
#include <mptrun_abi.h>

#include "rt/exit.h"
#include "rt/io.h"

void cpu_park(void)
{
	for (;;)
		__asm__ volatile("cli; hlt" : : : "memory");
}

void exit(int code)
{
	/* Where there is no exit port (Xen), the write is dropped: park. */
	outl(MPTRUN_EXIT_PORT, (uint32_t)code);
	cpu_park();
}
