/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * COM1 output.  mptrun passes every byte written to THR to its stdout;
 * on a real 16550 (Xen's, QEMU's) we wait for the transmitter first.
 */
#ifndef RT_SERIAL_H
#define RT_SERIAL_H

#include <stddef.h>

void serial_putc(char c);
void serial_write(const char *s, size_t n);

#endif /* RT_SERIAL_H */
