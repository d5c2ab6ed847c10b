/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * Golden state: the initial register values of a device, as a blob.
 *
 * GVT-g snapshots the real GPU's MMIO registers once on the host and starts
 * every vGPU from that snapshot.  mpt keeps the idea and gives it a format
 * with a header, a version and a checksum, so that a truncated or corrupt
 * file is refused instead of half-applied.
 *
 * Layout (little-endian): struct mpt_golden_header, then nr_records
 * struct mpt_golden_record.  payload_crc32 is the CRC-32 (IEEE 802.3, as
 * zlib's crc32()) of the records.
 */
#ifndef MPT_GOLDEN_H
#define MPT_GOLDEN_H

#include <mpt/types.h>

#define MPT_GOLDEN_MAGIC "MPTGOLD"
#define MPT_GOLDEN_VERSION_MAJOR 1
#define MPT_GOLDEN_VERSION_MINOR 0
#define MPT_GOLDEN_DEVICE_LEN 16
/* A blob larger than this is refused before it is read. */
#define MPT_GOLDEN_MAX_RECORDS (1U << 20)

/**
 * struct mpt_golden_header - the head of a golden-state blob
 * @magic: "MPTGOLD" with a terminating NUL
 * @version_major: MPT_GOLDEN_VERSION_MAJOR; another major is refused
 * @version_minor: newer minors may append header fields
 * @header_size: size of this header as written, at least sizeof(*this)
 * @device: name of the device type the state is for, NUL-padded
 * @nr_records: number of records after the header
 * @payload_crc32: CRC-32 of the records
 * @flags: must be 0
 * @reserved: must be 0
 */
struct mpt_golden_header {
	char magic[8];
	u16 version_major;
	u16 version_minor;
	u32 header_size;
	char device[MPT_GOLDEN_DEVICE_LEN];
	u32 nr_records;
	u32 payload_crc32;
	u32 flags;
	u32 reserved;
};

/**
 * struct mpt_golden_record - one register's initial value
 * @offset: byte offset of the register in the device's register file,
 *	4-byte aligned
 * @value: the value
 */
struct mpt_golden_record {
	u32 offset;
	u32 value;
};

_Static_assert(sizeof(struct mpt_golden_header) == 48, "golden header size");
_Static_assert(sizeof(struct mpt_golden_record) == 8, "golden record size");

/**
 * mpt_golden_load() - apply a golden-state blob to a register file
 * @blob: the blob
 * @len: its length in bytes
 * @device: the device type name the blob must have been made for
 * @regs: the register file to fill
 * @regs_size: size of @regs in bytes
 *
 * Checks the whole blob first (magic, version, sizes, device name,
 * checksum, every record's offset inside @regs) and only then writes the
 * values, so a refused blob leaves @regs untouched.  Each refusal is logged
 * with its reason.
 *
 * Context: any; does not sleep or take locks.
 * Return: the number of records applied; -EINVAL for a corrupt, truncated
 * or foreign blob (-EPROTO for an unknown major version, -EBADMSG for a
 * checksum mismatch, -ERANGE for a record outside @regs).
 */
MPT_API int mpt_golden_load(const void *blob, size_t len, const char *device,
			    void *regs, size_t regs_size);

/**
 * mpt_golden_build() - write a golden-state blob
 * @device: the device type name to record
 * @records: the records
 * @nr: number of records
 * @out: buffer for the blob
 * @out_size: size of @out
 *
 * For tools that snapshot a device and for tests.
 *
 * Context: any; does not sleep.
 * Return: the blob's length; -ENOSPC if @out is too small; -EINVAL for a
 * device name that does not fit or too many records.
 */
MPT_API long mpt_golden_build(const char *device,
			      const struct mpt_golden_record *records, u32 nr,
			      void *out, size_t out_size);

/**
 * mpt_crc32() - CRC-32 (IEEE 802.3) of a buffer
 * @crc: running value, 0 to start
 * @buf: the data
 * @len: its length
 *
 * Context: any.
 * Return: the updated CRC, the same value zlib's crc32() returns.
 */
MPT_API u32 mpt_crc32(u32 crc, const void *buf, size_t len);

#endif /* MPT_GOLDEN_H */
