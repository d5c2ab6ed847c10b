// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Golden state blobs: checked whole, then applied, never half-applied.
 * Fields are little-endian; the core runs on little-endian hosts (x86),
 * which the static assertions on the layout and this comment record.
 */
#include "mpt_core.h"

static int check_header(const struct mpt_golden_header *h, size_t len,
			const char *device)
{
	if (memcmp(h->magic, MPT_GOLDEN_MAGIC, sizeof(MPT_GOLDEN_MAGIC))) {
		mpt_err("golden state: bad magic");
		return -EINVAL;
	}
	if (h->version_major != MPT_GOLDEN_VERSION_MAJOR) {
		mpt_err("golden state: version %u.%u, expected major %u",
			h->version_major, h->version_minor,
			MPT_GOLDEN_VERSION_MAJOR);
		return -EPROTO;
	}
	if (h->header_size < sizeof(*h) || h->header_size > len ||
	    h->flags || h->reserved) {
		mpt_err("golden state: bad header size or flags");
		return -EINVAL;
	}
	/*
	 * A 16-character name has no NUL in the header, so strncmp() alone
	 * would also accept any longer @device starting with those 16.
	 */
	if (strlen(device) > MPT_GOLDEN_DEVICE_LEN ||
	    strncmp(h->device, device, MPT_GOLDEN_DEVICE_LEN)) {
		mpt_err("golden state is for device '%.16s', not '%s'",
			h->device, device);
		return -EINVAL;
	}
	if (h->nr_records > MPT_GOLDEN_MAX_RECORDS ||
	    len - h->header_size !=
		    (size_t)h->nr_records * sizeof(struct mpt_golden_record)) {
		mpt_err("golden state: %u records do not match %zu bytes",
			h->nr_records, len - h->header_size);
		return -EINVAL;
	}
	return 0;
}

/*
 * Record @i of the payload at @r.  A blob may sit at any address and
 * header_size need not be a multiple of 4, so records are copied out
 * rather than dereferenced in place (a misaligned access is undefined).
 */
static struct mpt_golden_record get_record(const u8 *r, u32 i)
{
	struct mpt_golden_record rec;

	memcpy(&rec, r + (size_t)i * sizeof(rec), sizeof(rec));
	return rec;
}

static int check_records(const u8 *r, u32 nr, size_t regs_size)
{
	u32 i;

	for (i = 0; i < nr; i++) {
		struct mpt_golden_record rec = get_record(r, i);

		if ((rec.offset & 3) || rec.offset >= regs_size ||
		    regs_size - rec.offset < 4) {
			mpt_err("golden state: record %u at 0x%x outside the %zu-byte register file",
				i, rec.offset, regs_size);
			return -ERANGE;
		}
	}
	return 0;
}

int mpt_golden_load(const void *blob, size_t len, const char *device,
		    void *regs, size_t regs_size)
{
	struct mpt_golden_header h;
	struct mpt_golden_record rec;
	const u8 *r;
	u32 i;
	int ret;

	if (!blob || !device || !regs || len < sizeof(h)) {
		mpt_err("golden state: truncated (%zu bytes)", len);
		return -EINVAL;
	}
	/* Copied, not cast: @blob need not be aligned (see get_record()). */
	memcpy(&h, blob, sizeof(h));
	ret = check_header(&h, len, device);
	if (ret)
		return ret;
	r = (const u8 *)blob + h.header_size;
	if (mpt_crc32(0, r, len - h.header_size) != h.payload_crc32) {
		mpt_err("golden state: checksum mismatch");
		return -EBADMSG;
	}
	ret = check_records(r, h.nr_records, regs_size);
	if (ret)
		return ret;
	for (i = 0; i < h.nr_records; i++) {
		rec = get_record(r, i);
		memcpy((u8 *)regs + rec.offset, &rec.value, 4);
	}
	return (int)h.nr_records;
}
MPT_EXPORT(mpt_golden_load);

long mpt_golden_build(const char *device,
		      const struct mpt_golden_record *records, u32 nr,
		      void *out, size_t out_size)
{
	struct mpt_golden_header h = { .magic = MPT_GOLDEN_MAGIC };
	size_t payload = (size_t)nr * sizeof(*records);

	if (!device || strlen(device) > MPT_GOLDEN_DEVICE_LEN ||
	    nr > MPT_GOLDEN_MAX_RECORDS || (nr && !records))
		return -EINVAL;
	if (out_size < sizeof(h) + payload)
		return -ENOSPC;
	h.version_major = MPT_GOLDEN_VERSION_MAJOR;
	h.version_minor = MPT_GOLDEN_VERSION_MINOR;
	h.header_size = sizeof(h);
	memcpy(h.device, device, strlen(device));
	h.nr_records = nr;
	h.payload_crc32 = mpt_crc32(0, records, payload);
	memcpy(out, &h, sizeof(h));
	if (payload)
		memcpy((u8 *)out + sizeof(h), records, payload);
	return (long)(sizeof(h) + payload);
}
MPT_EXPORT(mpt_golden_build);
