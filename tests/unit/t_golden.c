// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Golden-state blobs (core/golden.c): built with mpt_golden_build(), loaded
 * with mpt_golden_load() into a register file, and refused whole, with a
 * logged reason, when truncated, corrupt, foreign or out of range.
 */
#include <string.h>

#include "fixture.h"
#include "tap.h"

#define NR_REGS 64
#define REGS_SIZE (NR_REGS * 4)
#define SENTINEL 0xa5a5a5a5U
#define HDR_SIZE ((unsigned int)sizeof(struct mpt_golden_header))
#define MAX_BLOB 512

static const struct mpt_golden_record recs[] = {
	{ 0x00, 0x11111111 },
	{ 0x10, 0x22222222 },
	{ 0xfc, 0x33333333 },
};

#define NR_RECS 3
#define BLOB_LEN (HDR_SIZE + NR_RECS * 8)

/* A blob buffer with the alignment of its header. */
union blob {
	struct mpt_golden_header h;
	u32 words[MAX_BLOB / 4];
	u8 bytes[MAX_BLOB];
};

static u32 regs[NR_REGS];

static void fill_regs(void)
{
	unsigned int i;

	for (i = 0; i < NR_REGS; i++)
		regs[i] = SENTINEL;
}

static bool regs_untouched(void)
{
	unsigned int i;

	for (i = 0; i < NR_REGS; i++)
		if (regs[i] != SENTINEL)
			return false;
	return true;
}

static long build(union blob *b, const struct mpt_golden_record *r, u32 nr)
{
	memset(b, 0, sizeof(*b));
	return mpt_golden_build("tdev", r, nr, b->bytes, sizeof(b->bytes));
}

static int load(const void *blob, size_t len, const char *device)
{
	fill_regs();
	return mpt_golden_load(blob, len, device, regs, REGS_SIZE);
}

/*
 * A refusal: the right error, nothing written, the reason logged.  The log
 * is captured for the whole program (refusals are expected here);
 * capturing again empties the buffer.
 */
static void refused(const void *blob, size_t len, const char *device,
		    int err, const char *reason, const char *what)
{
	fx_log_capture();
	is_int(load(blob, len, device), err, "%s: refused", what);
	ok(regs_untouched(), "%s: nothing written", what);
	ok(fx_log_has(reason), "%s: logged (\"%s\")", what, reason);
}

static void test_crc(void)
{
	is_int(mpt_crc32(0, "123456789", 9), 0xcbf43926,
	       "CRC-32 check value");
	is_int(mpt_crc32(mpt_crc32(0, "1234", 4), "56789", 5), 0xcbf43926,
	       "CRC-32 runs on in pieces");
	is_int(mpt_crc32(0, "", 0), 0, "CRC-32 of nothing is 0");
	is_int(mpt_crc32(0, "a", 1), 0xe8b7be43, "CRC-32 of \"a\"");
}

static void test_build(void)
{
	union blob b;

	is_int(build(&b, recs, NR_RECS), BLOB_LEN, "blob length");
	ok(!memcmp(b.h.magic, "MPTGOLD", 8), "magic with its NUL");
	is_int(b.h.version_major, MPT_GOLDEN_VERSION_MAJOR, "major version");
	is_int(b.h.version_minor, MPT_GOLDEN_VERSION_MINOR, "minor version");
	is_int(b.h.header_size, HDR_SIZE, "header size");
	ok(!strncmp(b.h.device, "tdev", MPT_GOLDEN_DEVICE_LEN) &&
		   !b.h.device[4] && !b.h.device[15],
	   "device name NUL-padded");
	is_int(b.h.nr_records, NR_RECS, "record count");
	is_int(b.h.payload_crc32, mpt_crc32(0, recs, sizeof(recs)),
	       "payload CRC");
	ok(!b.h.flags && !b.h.reserved, "flags and reserved are 0");
	ok(!memcmp(b.bytes + HDR_SIZE, recs, sizeof(recs)), "records copied");
}

static void test_build_errors(void)
{
	union blob b;

	memset(&b, 0x5a, sizeof(b));
	is_int(mpt_golden_build("tdev", recs, NR_RECS, b.bytes, BLOB_LEN - 1),
	       -ENOSPC, "buffer one byte short: -ENOSPC");
	is_int(b.bytes[0], 0x5a, "nothing written on -ENOSPC");
	is_int(mpt_golden_build("tdev", recs, NR_RECS, b.bytes, 0), -ENOSPC,
	       "empty buffer: -ENOSPC");
	is_int(mpt_golden_build("tdev", recs, NR_RECS, b.bytes, BLOB_LEN),
	       BLOB_LEN, "exact buffer size is enough");
	is_int(mpt_golden_build("0123456789abcdefg", recs, 1, b.bytes,
				sizeof(b)), -EINVAL,
	       "17-character device name: -EINVAL");
	is_int(mpt_golden_build(NULL, recs, 1, b.bytes, sizeof(b)), -EINVAL,
	       "NULL device: -EINVAL");
	is_int(mpt_golden_build("tdev", NULL, 1, b.bytes, sizeof(b)), -EINVAL,
	       "records NULL: -EINVAL");
	is_int(mpt_golden_build("tdev", recs, MPT_GOLDEN_MAX_RECORDS + 1,
				b.bytes, sizeof(b)), -EINVAL,
	       "too many records: -EINVAL");
	is_int(mpt_golden_build("tdev", NULL, 0, b.bytes, sizeof(b)), HDR_SIZE,
	       "no records: header only");
}

static void test_load_valid(void)
{
	union blob b;

	build(&b, recs, NR_RECS);
	is_int(load(b.bytes, BLOB_LEN, "tdev"), NR_RECS, "valid blob applied");
	is_int(regs[0], 0x11111111, "record 0 applied");
	is_int(regs[4], 0x22222222, "record 1 applied");
	is_int(regs[63], 0x33333333, "record 2 at the last register");
	regs[0] = regs[4] = regs[63] = SENTINEL;
	ok(regs_untouched(), "no other register written");
	build(&b, NULL, 0);
	is_int(load(b.bytes, HDR_SIZE, "tdev"), 0, "empty blob: 0 records");
	ok(regs_untouched(), "empty blob wrote nothing");
}

static void test_load_order(void)
{
	static const struct mpt_golden_record twice[] = {
		{ 0x8, 1 }, { 0x8, 2 },
	};
	union blob b;

	build(&b, twice, 2);
	is_int(load(b.bytes, HDR_SIZE + 16, "tdev"), 2, "duplicate records");
	is_int(regs[2], 2, "records applied in order: the last one wins");
}

static void test_truncated(void)
{
	unsigned int len, wrong = 0, written = 0;
	union blob b;

	build(&b, recs, NR_RECS);
	for (len = 0; len < BLOB_LEN; len++) {
		wrong += load(b.bytes, len, "tdev") != -EINVAL;
		written += !regs_untouched();
	}
	is_int(wrong, 0, "every truncation (0 to %u bytes) is -EINVAL",
	       BLOB_LEN - 1);
	is_int(written, 0, "no truncation wrote anything");
	refused(b.bytes, HDR_SIZE - 1, "tdev", -EINVAL, "truncated",
		"header cut short");
	refused(b.bytes, BLOB_LEN - 1, "tdev", -EINVAL, "do not match",
		"last record cut short");
	refused(b.bytes, BLOB_LEN + 8, "tdev", -EINVAL, "do not match",
		"trailing bytes");
}

static void test_corrupt(void)
{
	unsigned int i, wrong = 0, written = 0;
	union blob b;

	build(&b, recs, NR_RECS);
	for (i = HDR_SIZE; i < BLOB_LEN; i++) {
		b.bytes[i] ^= 0x01;
		wrong += load(b.bytes, BLOB_LEN, "tdev") != -EBADMSG;
		written += !regs_untouched();
		b.bytes[i] ^= 0x01;
	}
	is_int(wrong, 0, "a flipped bit in any payload byte: -EBADMSG");
	is_int(written, 0, "no corrupt blob wrote anything");
	b.bytes[HDR_SIZE + 12] ^= 0x80;
	refused(b.bytes, BLOB_LEN, "tdev", -EBADMSG, "checksum",
		"corrupt value");
	b.bytes[HDR_SIZE + 12] ^= 0x80;
	b.h.payload_crc32 ^= 1;
	refused(b.bytes, BLOB_LEN, "tdev", -EBADMSG, "checksum",
		"corrupt stored CRC");
}

static void test_header_fields(void)
{
	union blob b;

	build(&b, recs, NR_RECS);
	b.h.magic[0] = 'X';
	refused(b.bytes, BLOB_LEN, "tdev", -EINVAL, "bad magic", "wrong magic");
	build(&b, recs, NR_RECS);
	b.h.magic[7] = '!';
	refused(b.bytes, BLOB_LEN, "tdev", -EINVAL, "bad magic",
		"magic without its NUL");
	build(&b, recs, NR_RECS);
	b.h.version_major = MPT_GOLDEN_VERSION_MAJOR + 1;
	refused(b.bytes, BLOB_LEN, "tdev", -EPROTO, "expected major",
		"next major version");
	b.h.version_major = 0;
	refused(b.bytes, BLOB_LEN, "tdev", -EPROTO, "expected major",
		"major version 0");
	build(&b, recs, NR_RECS);
	b.h.version_minor = 7;
	is_int(load(b.bytes, BLOB_LEN, "tdev"), NR_RECS,
	       "a newer minor version is accepted");
	build(&b, recs, NR_RECS);
	b.h.flags = 1;
	refused(b.bytes, BLOB_LEN, "tdev", -EINVAL, "flags", "nonzero flags");
	build(&b, recs, NR_RECS);
	b.h.reserved = 0x100;
	refused(b.bytes, BLOB_LEN, "tdev", -EINVAL, "flags",
		"nonzero reserved");
}

static void test_header_sizes(void)
{
	union blob b;

	build(&b, recs, NR_RECS);
	b.h.header_size = HDR_SIZE - 4;
	refused(b.bytes, BLOB_LEN, "tdev", -EINVAL, "header size",
		"header size below the struct");
	b.h.header_size = BLOB_LEN + 8;
	refused(b.bytes, BLOB_LEN, "tdev", -EINVAL, "header size",
		"header size past the blob");
	build(&b, recs, NR_RECS);
	b.h.nr_records = NR_RECS - 1;
	refused(b.bytes, BLOB_LEN, "tdev", -EINVAL, "do not match",
		"record count too small");
	b.h.nr_records = MPT_GOLDEN_MAX_RECORDS + 1;
	refused(b.bytes, BLOB_LEN, "tdev", -EINVAL, "do not match",
		"record count over the limit");
	b.h.nr_records = 0x20000001;
	refused(b.bytes, BLOB_LEN, "tdev", -EINVAL, "do not match",
		"record count whose size wraps 32 bits");
}

/*
 * A newer minor may append header fields: records start at header_size,
 * which need not keep them 4-byte aligned.
 */
static void check_longer_header(unsigned int extra)
{
	union blob b, big;

	build(&b, recs, NR_RECS);
	memset(&big, 0, sizeof(big));
	memcpy(big.bytes, b.bytes, HDR_SIZE);
	memset(big.bytes + HDR_SIZE, 0xee, extra);
	memcpy(big.bytes + HDR_SIZE + extra, recs, sizeof(recs));
	big.h.header_size = HDR_SIZE + extra;
	big.h.version_minor = 1;
	is_int(load(big.bytes, BLOB_LEN + extra, "tdev"), NR_RECS,
	       "header with %u appended bytes accepted", extra);
	ok(regs[0] == 0x11111111 && regs[4] == 0x22222222 &&
		   regs[63] == 0x33333333,
	   "records found after the %u-byte longer header", extra);
}

static void test_longer_header(void)
{
	check_longer_header(8);
	check_longer_header(2);
}

static void test_device_name(void)
{
	static const char name16[] = "0123456789abcdef";
	union blob b;

	build(&b, recs, NR_RECS);
	refused(b.bytes, BLOB_LEN, "tdevx", -EINVAL, "is for device",
		"longer device name");
	refused(b.bytes, BLOB_LEN, "tde", -EINVAL, "is for device",
		"shorter device name");
	refused(b.bytes, BLOB_LEN, "mgpu", -EINVAL, "is for device",
		"other device name");
	memset(&b, 0, sizeof(b));
	mpt_golden_build(name16, recs, NR_RECS, b.bytes, sizeof(b));
	is_int(load(b.bytes, BLOB_LEN, name16), NR_RECS,
	       "16-character device name (no NUL in the header) loads");
	refused(b.bytes, BLOB_LEN, "0123456789abcdefX", -EINVAL,
		"is for device", "17-character name sharing 16 characters");
}

static void test_records_range(void)
{
	struct mpt_golden_record r[2] = { { 0x0, 0x1 }, { 0x100, 0x2 } };
	union blob b;

	build(&b, r, 2);
	refused(b.bytes, HDR_SIZE + 16, "tdev", -ERANGE, "outside",
		"record just past the register file");
	r[1].offset = 0x2;
	build(&b, r, 2);
	refused(b.bytes, HDR_SIZE + 16, "tdev", -ERANGE, "outside",
		"unaligned record");
	r[1].offset = 0xfffffffc;
	build(&b, r, 2);
	refused(b.bytes, HDR_SIZE + 16, "tdev", -ERANGE, "outside",
		"record offset near 4 GiB");
	build(&b, recs, NR_RECS);
	fill_regs();
	is_int(mpt_golden_load(b.bytes, BLOB_LEN, "tdev", regs, REGS_SIZE - 1),
	       -ERANGE, "register file one byte short of the last record");
	ok(regs_untouched(), "nothing written");
	fill_regs();
	is_int(mpt_golden_load(b.bytes, BLOB_LEN, "tdev", regs, 0x10), -ERANGE,
	       "small register file: -ERANGE");
	ok(regs_untouched(), "no record applied, not even those that fit");
}

static void test_bad_args(void)
{
	union blob b;

	build(&b, recs, NR_RECS);
	is_int(load(NULL, BLOB_LEN, "tdev"), -EINVAL, "NULL blob");
	is_int(load(b.bytes, BLOB_LEN, NULL), -EINVAL, "NULL device");
	is_int(mpt_golden_load(b.bytes, BLOB_LEN, "tdev", NULL, REGS_SIZE),
	       -EINVAL, "NULL register file");
}

/* A blob need not sit at an aligned address (e.g. inside a file image). */
static void test_unaligned(void)
{
	union blob b, shifted;

	build(&b, recs, NR_RECS);
	memset(&shifted, 0, sizeof(shifted));
	memcpy(shifted.bytes + 1, b.bytes, BLOB_LEN);
	is_int(load(shifted.bytes + 1, BLOB_LEN, "tdev"), NR_RECS,
	       "blob at an odd address loads");
	ok(regs[0] == 0x11111111 && regs[4] == 0x22222222 &&
		   regs[63] == 0x33333333,
	   "with the same values");
}

int main(void)
{
	fx_log_capture();
	test_crc();
	test_build();
	test_build_errors();
	test_load_valid();
	test_load_order();
	test_truncated();
	test_corrupt();
	test_header_fields();
	test_header_sizes();
	test_longer_header();
	test_device_name();
	test_records_range();
	test_bad_args();
	test_unaligned();
	fx_log_release();
	return done_testing();
}
