/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * 64-bit division without libgcc: a 32-bit guest has no __udivdi3, so
 * every 64-bit quotient goes through these.
 */
#ifndef RT_DIV64_H
#define RT_DIV64_H

#include <stdint.h>

/* @n / @d, the remainder in *@rem if @rem is not NULL.  @d must not be 0. */
uint64_t div64_u32(uint64_t n, uint32_t d, uint32_t *rem);

/* @n / @d for a 64-bit divisor (shift and subtract).  @d must not be 0. */
uint64_t div64_u64(uint64_t n, uint64_t d, uint64_t *rem);

#endif /* RT_DIV64_H */
