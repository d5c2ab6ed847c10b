// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The paravirtual info page (core/pvinfo.c) at BAR0 + TDEV_PVINFO_OFF:
 * content, access sizes, read-only and reserved fields, guest status, the
 * guest-to-host notify register, reset, and mpt_pvinfo_setup()'s checks.
 */
#include <string.h>

#include "fixture.h"
#include "tap.h"

#define PV_GPA (FX_BAR0_GPA + TDEV_PVINFO_OFF)

static struct mpt_vdev_stats stats_of(struct fx *fx)
{
	struct mpt_vdev_stats st;

	mpt_vdev_get_stats(fx->vdev, &st);
	return st;
}

/* Guest accesses to the page, through the claimed BAR0. */
static int pv_access(struct fx *fx, unsigned int off, u64 *v,
		     unsigned int len, bool is_write)
{
	return mpt_sim_guest_access(fx->g, MPT_SPACE_MMIO, PV_GPA + off, v,
				    len, is_write);
}

static u64 pv_read(struct fx *fx, unsigned int off, unsigned int len)
{
	u64 v = 0;

	if (pv_access(fx, off, &v, len, false))
		diag("pvinfo read %#x/%u failed", off, len);
	return v;
}

static void pv_write(struct fx *fx, unsigned int off, unsigned int len,
		     u64 v)
{
	if (pv_access(fx, off, &v, len, true))
		diag("pvinfo write %#x/%u failed", off, len);
}

/* What the page must hold for tdev's configuration. */
static void expected_page(struct fx *fx, struct mpt_pvinfo *p)
{
	memset(p, 0, sizeof(*p));
	p->magic = MPT_PVINFO_MAGIC;
	p->version_major = MPT_PVINFO_VERSION_MAJOR;
	p->version_minor = MPT_PVINFO_VERSION_MINOR;
	p->instance_id = fx->vdev->id;
	p->caps = MPT_PVINFO_CAP(0) | MPT_PVINFO_CAP(3);
	p->ranges[0] = (struct mpt_pvinfo_range){ 0x1000, 0x2000 };
	p->ranges[1] = (struct mpt_pvinfo_range){ 0, 64 };
}

/* The guest ABI: the magic's bytes, in address order, are "mptPVinf". */
static bool magic_spelled(struct fx *fx)
{
	char m[8];
	unsigned int i;

	for (i = 0; i < 8; i++)
		m[i] = (char)pv_read(fx, MPT_PVINFO_OFF_MAGIC + i, 1);
	return !memcmp(m, "mptPVinf", 8);
}

static void test_fields(struct fx *fx)
{
	is_int(pv_read(fx, MPT_PVINFO_OFF_MAGIC, 8), MPT_PVINFO_MAGIC,
	       "magic (8-byte read)");
	is_int(pv_read(fx, 0, 4), (u32)MPT_PVINFO_MAGIC, "magic low dword");
	is_int(pv_read(fx, 4, 4), MPT_PVINFO_MAGIC >> 32, "magic high dword");
	ok(magic_spelled(fx), "magic bytes spell \"mptPVinf\" as documented");
	is_int(pv_read(fx, MPT_PVINFO_OFF_VERSION_MAJOR, 2), 1,
	       "version major");
	is_int(pv_read(fx, MPT_PVINFO_OFF_VERSION_MINOR, 2), 0,
	       "version minor");
	is_int(pv_read(fx, MPT_PVINFO_OFF_INSTANCE_ID, 4), fx->vdev->id,
	       "instance id is vdev->id");
	is_int(pv_read(fx, MPT_PVINFO_OFF_CAPS, 4), 0x9, "caps 0 and 3");
	is_int(pv_read(fx, MPT_PVINFO_OFF_RANGES, 8), 0x1000, "range 0 base");
	is_int(pv_read(fx, MPT_PVINFO_OFF_RANGES + 8, 8), 0x2000,
	       "range 0 size");
	is_int(pv_read(fx, MPT_PVINFO_OFF_RANGES + 16, 8), 0, "range 1 base");
	is_int(pv_read(fx, MPT_PVINFO_OFF_RANGES + 24, 8), 64, "range 1 size");
	is_int(pv_read(fx, MPT_PVINFO_OFF_RANGES + 40, 8), 0,
	       "range 2 unused");
	is_int(pv_read(fx, MPT_PVINFO_OFF_GUEST_STATUS, 4), 0,
	       "guest status 0 at start");
	is_int(pv_read(fx, MPT_PVINFO_SIZE - 8, 8), 0, "last qword reserved");
}

/* Every read of every size at every offset in the first 0x100 bytes. */
static void test_all_sizes(struct fx *fx)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8 };
	struct mpt_pvinfo exp;
	unsigned int i, off, bad;
	u64 want;

	expected_page(fx, &exp);
	for (i = 0; i < 4; i++) {
		bad = 0;
		for (off = 0; off + sizes[i] <= 0x100; off++) {
			want = 0;
			memcpy(&want, (u8 *)&exp + off, sizes[i]);
			bad += pv_read(fx, off, sizes[i]) != want;
		}
		is_int(bad, 0, "%u-byte reads at any offset match the page",
		       sizes[i]);
	}
}

static void test_read_only(struct fx *fx)
{
	u64 ro = stats_of(fx).pvinfo_ro_writes;
	u64 rsvd = stats_of(fx).pvinfo_rsvd_writes;

	pv_write(fx, MPT_PVINFO_OFF_MAGIC, 8, 0);
	is_int(pv_read(fx, 0, 8), MPT_PVINFO_MAGIC, "magic ignores writes");
	pv_write(fx, MPT_PVINFO_OFF_VERSION_MAJOR, 2, 7);
	is_int(pv_read(fx, MPT_PVINFO_OFF_VERSION_MAJOR, 2), 1,
	       "version ignores writes");
	pv_write(fx, MPT_PVINFO_OFF_INSTANCE_ID, 4, 0xffff);
	is_int(pv_read(fx, MPT_PVINFO_OFF_INSTANCE_ID, 4), fx->vdev->id,
	       "instance id ignores writes");
	pv_write(fx, MPT_PVINFO_OFF_CAPS, 4, 0xffffffff);
	is_int(pv_read(fx, MPT_PVINFO_OFF_CAPS, 4), 0x9, "caps ignore writes");
	pv_write(fx, MPT_PVINFO_OFF_RANGES, 8, 0xbad);
	pv_write(fx, MPT_PVINFO_OFF_RANGES + 0x7f, 1, 0xff);
	is_int(pv_read(fx, MPT_PVINFO_OFF_RANGES, 8), 0x1000,
	       "range base ignores writes");
	is_int(pv_read(fx, MPT_PVINFO_OFF_RANGES + 0x78, 8), 0,
	       "last range byte ignores writes");
	is_int(stats_of(fx).pvinfo_ro_writes - ro, 6,
	       "each read-only write counted once");
	is_int(stats_of(fx).pvinfo_rsvd_writes, rsvd,
	       "none counted as reserved");
}

static void test_reserved(struct fx *fx)
{
	u64 ro = stats_of(fx).pvinfo_ro_writes;
	u64 rsvd = stats_of(fx).pvinfo_rsvd_writes;

	pv_write(fx, 0x14, 4, 0x11111111);
	pv_write(fx, 0x100, 8, ~0ULL);
	pv_write(fx, MPT_PVINFO_OFF_GUEST_STATUS + 4, 4, 0x22222222);
	pv_write(fx, MPT_PVINFO_OFF_G2V_NOTIFY + 4, 4, 0x33333333);
	pv_write(fx, MPT_PVINFO_SIZE - 4, 4, 0x44444444);
	ok(!pv_read(fx, 0x14, 4) && !pv_read(fx, 0x100, 8) &&
		   !pv_read(fx, MPT_PVINFO_OFF_GUEST_STATUS + 4, 4) &&
		   !pv_read(fx, MPT_PVINFO_OFF_G2V_NOTIFY + 4, 4) &&
		   !pv_read(fx, MPT_PVINFO_SIZE - 4, 4),
	   "reserved fields still read 0");
	is_int(stats_of(fx).pvinfo_rsvd_writes - rsvd, 5,
	       "each reserved write counted once");
	is_int(stats_of(fx).pvinfo_ro_writes, ro, "none counted as read-only");
	pv_write(fx, MPT_PVINFO_OFF_CAPS, 8, ~0ULL);
	is_int(stats_of(fx).pvinfo_ro_writes - ro, 1,
	       "caps + reserved write: one read-only count");
	is_int(stats_of(fx).pvinfo_rsvd_writes - rsvd, 6,
	       "caps + reserved write: one reserved count");
	is_int(pv_read(fx, MPT_PVINFO_OFF_CAPS, 8), 0x9,
	       "neither part changed");
}

static void test_guest_status(struct fx *fx)
{
	u64 rsvd = stats_of(fx).pvinfo_rsvd_writes;

	is_int(mpt_pvinfo_guest_status(fx->vdev), 0, "guest status 0");
	pv_write(fx, MPT_PVINFO_OFF_GUEST_STATUS, 4, 0x12345678);
	is_int(pv_read(fx, MPT_PVINFO_OFF_GUEST_STATUS, 4), 0x12345678,
	       "guest status reads back");
	is_int(mpt_pvinfo_guest_status(fx->vdev), 0x12345678,
	       "guest status seen by the device model");
	pv_write(fx, MPT_PVINFO_OFF_GUEST_STATUS + 1, 1, 0xab);
	is_int(mpt_pvinfo_guest_status(fx->vdev), 0x1234ab78,
	       "byte write to guest status");
	pv_write(fx, MPT_PVINFO_OFF_GUEST_STATUS - 4, 8,
		 0xcafef00d00000000ULL | 0xdead);
	is_int(mpt_pvinfo_guest_status(fx->vdev), 0xcafef00d,
	       "straddling write: writable half applied");
	is_int(pv_read(fx, MPT_PVINFO_OFF_GUEST_STATUS - 4, 4), 0,
	       "straddling write: reserved half dropped");
	is_int(stats_of(fx).pvinfo_rsvd_writes - rsvd, 1,
	       "straddling write counted as reserved");
}

static void test_notify(struct fx *fx)
{
	u64 n = stats_of(fx).pvinfo_notifies;

	pv_write(fx, MPT_PVINFO_OFF_G2V_PAYLOAD, 4, 0xcafe);
	pv_write(fx, MPT_PVINFO_OFF_G2V_PAYLOAD + 28, 4, 0x77);
	is_int(pv_read(fx, MPT_PVINFO_OFF_G2V_PAYLOAD + 28, 4), 0x77,
	       "last payload word writable");
	is_int(fx->td->notifies, 0, "payload writes do not notify");
	pv_write(fx, MPT_PVINFO_OFF_G2V_NOTIFY, 4, 0x42);
	is_int(fx->td->notifies, 1, "4-byte notify write calls notify");
	is_int(fx->td->last_msg, 0x42, "with the message");
	is_int(fx->td->last_payload0, 0xcafe, "and the payload");
	is_int(stats_of(fx).pvinfo_notifies, n + 1, "pvinfo_notifies counted");
	is_int(pv_read(fx, MPT_PVINFO_OFF_G2V_NOTIFY, 4), 0x42,
	       "notify register reads back");
	pv_write(fx, MPT_PVINFO_OFF_G2V_NOTIFY, 2, 0x43);
	pv_write(fx, MPT_PVINFO_OFF_G2V_NOTIFY + 2, 2, 0);
	pv_write(fx, MPT_PVINFO_OFF_G2V_NOTIFY, 1, 0x44);
	pv_write(fx, MPT_PVINFO_OFF_G2V_NOTIFY - 2, 4, 0);
	pv_write(fx, MPT_PVINFO_OFF_G2V_NOTIFY - 2, 8, 0x450000);
	is_int(fx->td->notifies, 1,
	       "partial or misaligned notify writes do not notify");
	is_int(stats_of(fx).pvinfo_notifies, n + 1, "nor count");
	pv_write(fx, MPT_PVINFO_OFF_G2V_PAYLOAD, 4, 0xbeef);
	pv_write(fx, MPT_PVINFO_OFF_G2V_NOTIFY, 8, 0x99);
	is_int(fx->td->notifies, 2, "8-byte write covering notify notifies");
	ok(fx->td->last_msg == 0x99 && fx->td->last_payload0 == 0xbeef,
	   "with the new message and payload");
}

static void test_reset(struct fx *fx)
{
	is_int(mpt_vdev_reset(fx->vdev), 0, "reset");
	fx_enable_bars(fx);
	is_int(mpt_pvinfo_guest_status(fx->vdev), 0, "reset clears status");
	is_int(pv_read(fx, MPT_PVINFO_OFF_GUEST_STATUS, 4), 0,
	       "guest sees status 0");
	is_int(pv_read(fx, MPT_PVINFO_OFF_G2V_PAYLOAD, 8), 0,
	       "reset clears the payload");
	is_int(pv_read(fx, MPT_PVINFO_OFF_G2V_PAYLOAD + 28, 4), 0,
	       "reset clears the last payload word");
	is_int(pv_read(fx, MPT_PVINFO_OFF_G2V_NOTIFY, 4), 0,
	       "reset clears the notify register");
	is_int(pv_read(fx, 0, 8), MPT_PVINFO_MAGIC, "magic survives reset");
	is_int(pv_read(fx, MPT_PVINFO_OFF_INSTANCE_ID, 4), fx->vdev->id,
	       "instance id survives reset");
	is_int(pv_read(fx, MPT_PVINFO_OFF_RANGES + 8, 8), 0x2000,
	       "ranges survive reset");
	is_int(fx->td->notifies, 2, "reset does not notify");
}

static void test_page(void)
{
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	fx_enable_bars(&fx);
	test_fields(&fx);
	test_all_sizes(&fx);
	test_read_only(&fx);
	test_reserved(&fx);
	test_guest_status(&fx);
	test_notify(&fx);
	test_reset(&fx);
	fx_teardown(&fx);
}

static void test_not_active(void)
{
	u64 v = 0;
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ATTACHED);
	is_int(mpt_vdev_bar_access(fx.vdev, 0, TDEV_PVINFO_OFF, &v, 8, false),
	       -ENODEV, "ATTACHED: page not reachable");
	is_int(v, ~0ULL, "and reads all ones");
	v = 1;
	mpt_vdev_bar_access(fx.vdev, 0, TDEV_PVINFO_OFF +
			    MPT_PVINFO_OFF_GUEST_STATUS, &v, 4, true);
	is_int(mpt_pvinfo_guest_status(fx.vdev), 0, "refused write dropped");
	fx_teardown(&fx);
}

/*
 * A second device type whose init op tries mpt_pvinfo_setup() with bad
 * arguments; "bare" instances set up no page at all.
 */
enum {
	S_UNALIGNED,
	S_IO,
	S_NONE,
	S_BAR6,
	S_NULL,
	S_PAST,
	S_HIGH64,
	S_OVERLAP,
	S_OK,
	S_TWICE,
	S_NR
};
static int setup_ret[S_NR];
static bool bare;

/* Occupies [0x3000, 0x3010) of BAR0 so that a page there overlaps. */
static int dummy_trap(struct mpt_vdev *vdev, u64 off, void *data,
		      unsigned int len, bool is_write, void *opaque)
{
	(void)vdev;
	(void)off;
	(void)data;
	(void)len;
	(void)is_write;
	(void)opaque;
	return 0;
}

static int pvdev_init(struct mpt_vdev *vdev)
{
	struct mpt_pvinfo_config pv = { .caps = 1 };
	int *r = setup_ret;

	if (bare)
		return 0;
	r[S_UNALIGNED] = mpt_pvinfo_setup(vdev, 0, 0x800, &pv);
	r[S_IO] = mpt_pvinfo_setup(vdev, 4, 0, &pv);
	r[S_NONE] = mpt_pvinfo_setup(vdev, 1, 0, &pv);
	r[S_BAR6] = mpt_pvinfo_setup(vdev, MPT_PCI_NR_BARS, 0, &pv);
	r[S_NULL] = mpt_pvinfo_setup(vdev, 0, 0, NULL);
	r[S_PAST] = mpt_pvinfo_setup(vdev, 0, 0x10000, &pv);
	r[S_HIGH64] = mpt_pvinfo_setup(vdev, 3, 0, &pv);
	if (mpt_trap_register(vdev, 0, 0x3000, 0x10, dummy_trap, NULL, 0))
		return -EIO;
	r[S_OVERLAP] = mpt_pvinfo_setup(vdev, 0, 0x3000, &pv);
	r[S_OK] = mpt_pvinfo_setup(vdev, 2, 0x4000, &pv);
	r[S_TWICE] = mpt_pvinfo_setup(vdev, 0, 0x5000, &pv);
	return 0;
}

static const struct mpt_vdev_ops pvdev_ops = { .init = pvdev_init };

static const struct mpt_vdev_type pvdev_type = {
	.name = "pvdev",
	.description = "pvinfo setup checks",
	.max_instances = 2,
	.instance_size = sizeof(struct mpt_vdev),
	.pci = &tdev_pci,
	.ops = &pvdev_ops,
};

static void check_setup_rets(void)
{
	is_int(setup_ret[S_UNALIGNED], -EINVAL, "unaligned offset: -EINVAL");
	is_int(setup_ret[S_IO], -EINVAL, "IO BAR: -EINVAL");
	is_int(setup_ret[S_NONE], -EINVAL, "unimplemented BAR: -EINVAL");
	is_int(setup_ret[S_BAR6], -EINVAL, "BAR index 6: -EINVAL");
	is_int(setup_ret[S_NULL], -EINVAL, "NULL config: -EINVAL");
	is_int(setup_ret[S_PAST], -EINVAL, "page past the BAR's end: -EINVAL");
	is_int(setup_ret[S_HIGH64], -EINVAL,
	       "upper half of a 64-bit BAR: -EINVAL");
	is_int(setup_ret[S_OVERLAP], -EEXIST, "overlapping a trap: -EEXIST");
	is_int(setup_ret[S_OK], 0, "valid placement in BAR2: 0");
	is_int(setup_ret[S_TWICE], -EINVAL, "a second page: -EINVAL");
}

static void test_setup_checks(struct fx *fx)
{
	struct mpt_vdev *v;
	u64 magic = 0;
	int i;

	for (i = 0; i < S_NR; i++)
		setup_ret[i] = 1;
	fx_log_capture();
	bare = false;
	is_int(mpt_vdev_create("pvdev", NULL, &v), 0, "pvdev created");
	check_setup_rets();
	ok(fx_log_has("outside BAR0"), "page past the BAR's end is logged");
	fx_log_release();
	is_int(mpt_vdev_attach(v, fx->g), 0, "pvdev attached");
	is_int(mpt_vdev_activate(v), 0, "pvdev activated");
	mpt_vdev_bar_access(v, 2, 0x4000, &magic, 8, false);
	is_int(magic, MPT_PVINFO_MAGIC, "page served where setup succeeded");
	is_int(mpt_vdev_destroy(v), 0, "pvdev destroyed");
}

static void test_setup_bare(struct fx *fx)
{
	struct mpt_pvinfo_config pv = { .caps = 1 };
	struct mpt_vdev *v;

	bare = true;
	is_int(mpt_vdev_create("pvdev", NULL, &v), 0, "bare pvdev created");
	is_int(mpt_pvinfo_guest_status(v), 0, "no page: guest status 0");
	is_int(mpt_vdev_attach(v, fx->g), 0, "bare pvdev attached");
	is_int(mpt_vdev_activate(v), 0, "bare pvdev activated");
	is_int(mpt_pvinfo_setup(v, 0, 0x4000, &pv), -EBUSY,
	       "setup while ACTIVE: -EBUSY");
	is_int(mpt_pvinfo_guest_status(v), 0, "still no page");
	is_int(mpt_vdev_destroy(v), 0, "bare pvdev destroyed");
}

static void test_setup(void)
{
	struct mpt_pvinfo_config pv = { .caps = 1 };
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_CREATED);
	is_int(mpt_pvinfo_setup(fx.vdev, 0, 0x4000, &pv), -EINVAL,
	       "tdev already has a page: -EINVAL");
	is_int(mpt_type_register(&pvdev_type), 0, "pvdev type registered");
	test_setup_checks(&fx);
	test_setup_bare(&fx);
	is_int(mpt_type_unregister(&pvdev_type), 0, "pvdev type unregistered");
	fx_teardown(&fx);
}

int main(void)
{
	test_page();
	test_not_active();
	test_setup();
	return done_testing();
}
