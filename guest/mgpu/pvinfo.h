/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The info-page layout, from the project's public header.
 *
 * <mpt/pvinfo.h> takes its u8..u64 from <mpt/types.h>, which pulls in the
 * host's libc headers (errno.h) that a freestanding 32-bit build does not
 * have.  The guest supplies the same types itself and claims that
 * header's include guard, so the layout and its compile-time offset
 * checks come from the one definition.
 */
#ifndef GUEST_MGPU_PVINFO_H
#define GUEST_MGPU_PVINFO_H

#include <stdint.h>

#ifndef MPT_TYPES_H
#define MPT_TYPES_H
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
#endif

#include <mpt/pvinfo.h>

#endif /* GUEST_MGPU_PVINFO_H */
