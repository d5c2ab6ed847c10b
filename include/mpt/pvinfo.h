/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * The paravirtual info page: a guest ABI.
 *
 * A device model exposes this 4 KiB page at a fixed offset of one of its
 * BARs, as GVT-g exposes vgt_if at BAR0 + 0x78000.  A guest driver reads the
 * magic to learn that it runs on a mediated device, checks the version,
 * reads capabilities and the ranges of the device resources it was given,
 * and talks to the device model through the guest-to-host notify register.
 *
 * The layout is fixed: every offset below is checked at compile time and
 * may only ever be appended to (a new minor version).  All fields are
 * little-endian.  Guest writes to read-only or reserved fields are ignored
 * and counted in the instance statistics.
 */
#ifndef MPT_PVINFO_H
#define MPT_PVINFO_H

#include <mpt/types.h>

/* "mptPVinf" read as a little-endian u64. */
#define MPT_PVINFO_MAGIC 0x666e69565074706dULL
#define MPT_PVINFO_VERSION_MAJOR 1
#define MPT_PVINFO_VERSION_MINOR 0
#define MPT_PVINFO_SIZE 4096
#define MPT_PVINFO_NR_RANGES 8
#define MPT_PVINFO_NR_PAYLOAD 8

/* Capability bits in mpt_pvinfo.caps; device models define the meaning. */
#define MPT_PVINFO_CAP(n) (1U << (n))

/**
 * struct mpt_pvinfo_range - a device resource range given to the guest
 * @base: first address or index of the range
 * @size: size of the range; 0 when the slot is unused
 */
struct mpt_pvinfo_range {
	u64 base;
	u64 size;
};

/**
 * struct mpt_pvinfo - the guest-visible layout of the info page
 * @magic: MPT_PVINFO_MAGIC (read-only)
 * @version_major: MPT_PVINFO_VERSION_MAJOR; a guest must not use the page
 *	if the major differs from the one it knows (read-only)
 * @version_minor: MPT_PVINFO_VERSION_MINOR (read-only)
 * @instance_id: the instance number, unique per host (read-only)
 * @caps: capability bits of the device model (read-only)
 * @rsvd0: reserved
 * @ranges: resource ranges given to this guest, meaning set by the device
 *	model (read-only)
 * @rsvd1: reserved
 * @guest_status: written by the guest driver to report its state, e.g.
 *	"display ready" (read-write)
 * @rsvd2: reserved
 * @g2v_notify: the guest writes a message code here after filling
 *	@g2v_payload; the device model's notify callback runs (read-write)
 * @rsvd3: reserved
 * @g2v_payload: arguments of the next guest-to-host message (read-write)
 * @rsvd4: reserved up to the end of the page
 */
struct mpt_pvinfo {
	u64 magic;
	u16 version_major;
	u16 version_minor;
	u32 instance_id;
	u32 caps;
	u32 rsvd0[11];
	struct mpt_pvinfo_range ranges[MPT_PVINFO_NR_RANGES];
	u8 rsvd1[0x800 - 0xc0];
	u32 guest_status;
	u32 rsvd2[3];
	u32 g2v_notify;
	u32 rsvd3[3];
	u32 g2v_payload[MPT_PVINFO_NR_PAYLOAD];
	u8 rsvd4[MPT_PVINFO_SIZE - 0x840];
};

#define MPT_PVINFO_OFF_MAGIC 0x000
#define MPT_PVINFO_OFF_VERSION_MAJOR 0x008
#define MPT_PVINFO_OFF_VERSION_MINOR 0x00a
#define MPT_PVINFO_OFF_INSTANCE_ID 0x00c
#define MPT_PVINFO_OFF_CAPS 0x010
#define MPT_PVINFO_OFF_RANGES 0x040
#define MPT_PVINFO_OFF_GUEST_STATUS 0x800
#define MPT_PVINFO_OFF_G2V_NOTIFY 0x810
#define MPT_PVINFO_OFF_G2V_PAYLOAD 0x820

#define MPT_PVINFO_ASSERT_OFFSET(field, off)                           \
	_Static_assert(__builtin_offsetof(struct mpt_pvinfo, field) == (off), \
		       "pvinfo layout: " #field)
MPT_PVINFO_ASSERT_OFFSET(magic, MPT_PVINFO_OFF_MAGIC);
MPT_PVINFO_ASSERT_OFFSET(version_major, MPT_PVINFO_OFF_VERSION_MAJOR);
MPT_PVINFO_ASSERT_OFFSET(version_minor, MPT_PVINFO_OFF_VERSION_MINOR);
MPT_PVINFO_ASSERT_OFFSET(instance_id, MPT_PVINFO_OFF_INSTANCE_ID);
MPT_PVINFO_ASSERT_OFFSET(caps, MPT_PVINFO_OFF_CAPS);
MPT_PVINFO_ASSERT_OFFSET(ranges, MPT_PVINFO_OFF_RANGES);
MPT_PVINFO_ASSERT_OFFSET(guest_status, MPT_PVINFO_OFF_GUEST_STATUS);
MPT_PVINFO_ASSERT_OFFSET(g2v_notify, MPT_PVINFO_OFF_G2V_NOTIFY);
MPT_PVINFO_ASSERT_OFFSET(g2v_payload, MPT_PVINFO_OFF_G2V_PAYLOAD);
_Static_assert(sizeof(struct mpt_pvinfo) == MPT_PVINFO_SIZE,
	       "pvinfo layout: size");

#endif /* MPT_PVINFO_H */
