// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * A polled 16550 at COM1, transmit only.
 */
#include <mptrun_abi.h>

#include "rt/io.h"
#include "rt/serial.h"

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

/* Bounds the wait for a transmitter that never says it is empty. */
#define UART_SPIN_MAX 100000

/*
 * No initialisation: mptrun takes every byte written to 0x3f8 as output
 * (it has no divisor latch), and firmware or the defaults set real UARTs.
 */
void serial_putc(char c)
{
	int spin = UART_SPIN_MAX;

	while (!(inb(MPTRUN_COM1 + UART_LSR) & UART_LSR_THRE) && --spin)
		;
	outb(MPTRUN_COM1 + UART_THR, (uint8_t)c);
}

void serial_write(const char *s, size_t n)
{
	while (n--)
		serial_putc(*s++);
}
