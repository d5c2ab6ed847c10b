/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Basic types for the mpt public headers.
 *
 * The public headers are shared by the kernel module build and the
 * userspace library, so they speak the kernel's vocabulary (u32, u64,
 * negative errno) in both.  This is the only place that knows which of the
 * two it is compiled for.
 */
#ifndef MPT_TYPES_H
#define MPT_TYPES_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/compiler.h>
#define MPT_API
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

/* Symbols of libmpt.so are hidden unless declared with MPT_API. */
#define MPT_API __attribute__((visibility("default")))
#ifndef __must_check
#define __must_check __attribute__((warn_unused_result))
#endif
#endif

/* A guest page is 4 KiB on every hypervisor mpt supports. */
#define MPT_PAGE_SHIFT 12
#define MPT_PAGE_SIZE (1ULL << MPT_PAGE_SHIFT)
#define MPT_PAGE_MASK (~(MPT_PAGE_SIZE - 1))

#define MPT_GPA_TO_GFN(gpa) ((u64)(gpa) >> MPT_PAGE_SHIFT)
#define MPT_GFN_TO_GPA(gfn) ((u64)(gfn) << MPT_PAGE_SHIFT)

/**
 * enum mpt_space - the guest address space a trap lives in
 * @MPT_SPACE_MMIO: guest-physical memory addresses
 * @MPT_SPACE_PIO: x86 port I/O addresses (0 to 0xffff)
 */
enum mpt_space {
	MPT_SPACE_MMIO = 0,
	MPT_SPACE_PIO = 1,
};

#endif /* MPT_TYPES_H */
