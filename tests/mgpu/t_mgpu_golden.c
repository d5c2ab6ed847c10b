// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Golden state: the build-time blob gives the power-on registers; a
 * corrupt, truncated, foreign, out-of-range or meaningless blob fails
 * instance creation cleanly (nothing left behind, logged); values from the
 * blob come back at reset.
 */
#include <string.h>

#include "fixture.h"
#include "mgpu_fixture.h"
#include "tap.h"

#define MAX_RECS 16

union blob {
	struct mpt_golden_header h;
	u8 bytes[sizeof(struct mpt_golden_header) +
		 MAX_RECS * sizeof(struct mpt_golden_record)];
};

static const struct mpt_golden_record good[] = {
	{ MGPU_REG_ID, MGPU_ID },
	{ MGPU_REG_VERSION, MGPU_VERSION },
	{ MGPU_REG_STATUS, MGPU_STATUS_IDLE | MGPU_STATUS_FAILSAFE },
	{ MGPU_REG_SCRATCH0, 0x600d },
};

static long build(union blob *b, const char *dev,
		  const struct mpt_golden_record *r, u32 nr)
{
	memset(b, 0, sizeof(*b));
	return mpt_golden_build(dev, r, nr, b->bytes, sizeof(b->bytes));
}

/* Creation with @b fails with @err, leaves the type whole, logs @why. */
static void refused(struct mgx *m, const void *b, long len, int err,
		    const char *why, const char *what)
{
	struct mpt_vdev *v = NULL;

	fx_log_capture();
	mgpu_golden_override(b, (size_t)len);
	is_int(mpt_vdev_create(MGPU_TYPE_NAME, NULL, &v), err,
	       "%s: creation fails with %d", what, err);
	is_int(mpt_type_available(MGPU_TYPE_NAME), 4,
	       "%s: no instance left behind", what);
	ok(fx_log_has(why), "%s: logged (\"%s\")", what, why);
	mgpu_golden_override(NULL, 0);
	(void)m;
}

static void test_builtin(struct mgx *m)
{
	is_int(mgpu_golden_blob_len,
	       sizeof(struct mpt_golden_header) + 4 * 8,
	       "generated blob: header and four records");
	is_int(mgx_instance(m), 0, "instance from the built-in blob");
	is_int(mgx_rd(m, MGPU_REG_ID), MGPU_ID, "ID");
	is_int(mgx_rd(m, MGPU_REG_PLANE_FORMAT), MGPU_FORMAT_XRGB8888,
	       "PLANE_FORMAT");
	mpt_vdev_destroy(m->vdev);
}

static void test_custom(struct mgx *m)
{
	union blob b;
	long len = build(&b, "mgpu", good, 4);

	mgpu_golden_override(&b, (size_t)len);
	is_int(mgx_instance(m), 0, "instance from another valid blob");
	is_int(mgx_rd(m, MGPU_REG_SCRATCH0), 0x600d, "its values applied");
	is_int(mgx_rd(m, MGPU_REG_STATUS), MGPU_STATUS_IDLE,
	       "runtime status bits are not taken from a blob");
	ok(!mgpu_failsafe(m->vdev), "not in failsafe");
	mgx_wr(m, MGPU_REG_SCRATCH0, 1);
	mgx_wr(m, MGPU_REG_CTRL, MGPU_CTRL_RESET);
	is_int(mgx_rd(m, MGPU_REG_SCRATCH0), 0x600d, "and again at reset");
	mpt_vdev_destroy(m->vdev);
	mgpu_golden_override(NULL, 0);
}

static void test_corrupt(struct mgx *m)
{
	static const struct mpt_golden_record wrong_id[] = {
		{ MGPU_REG_ID, 0x12345678 },
		{ MGPU_REG_VERSION, MGPU_VERSION },
	};
	static const struct mpt_golden_record outside[] = {
		{ MGPU_REG_ID, MGPU_ID },
		{ MGPU_REG_VERSION, MGPU_VERSION },
		{ MGPU_REGS_SIZE, 1 },
	};
	union blob b;
	long len;

	len = build(&b, "mgpu", good, 4);
	b.bytes[len - 1] ^= 0x40;
	refused(m, &b, len, -EBADMSG, "golden state refused",
		"a flipped bit in a record");
	len = build(&b, "mgpu", good, 4);
	refused(m, &b, len - 3, -EINVAL, "golden state refused",
		"a truncated blob");
	len = build(&b, "mgpu", good, 4);
	b.h.magic[0] = 'X';
	refused(m, &b, len, -EINVAL, "golden state refused", "a bad magic");
	len = build(&b, "tdev", good, 4);
	refused(m, &b, len, -EINVAL, "golden state refused",
		"a blob for another device");
	len = build(&b, "mgpu", good, 4);
	b.h.version_major = 2;
	refused(m, &b, len, -EPROTO, "golden state refused",
		"an unknown major version");
	len = build(&b, "mgpu", outside, 3);
	refused(m, &b, len, -ERANGE, "golden state refused",
		"a record past the registers");
	len = build(&b, "mgpu", wrong_id, 2);
	refused(m, &b, len, -EINVAL, "golden state is for ID 0x12345678",
		"a valid blob describing another device");
	refused(m, &b, 0, -EINVAL, "golden state refused", "an empty blob");
	is_int(mgx_instance(m), 0, "the built-in blob works again");
	mpt_vdev_destroy(m->vdev);
}

int main(void)
{
	struct mgx m;

	mgx_setup_bare(&m);
	test_builtin(&m);
	test_custom(&m);
	test_corrupt(&m);
	mgx_teardown_bare(&m);
	return done_testing();
}
