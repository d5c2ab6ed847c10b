// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Trap registration and dispatch: overlaps, bounds, lookup, and the
 * defined behaviour of unclaimed, odd-size, unaligned and straddling
 * accesses.  Also the range map on its own.
 */
#include <string.h>

#include "fixture.h"
#include "tap.h"

static int nop_handler(struct mpt_vdev *vdev, u64 off, void *data,
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

static int failing_handler(struct mpt_vdev *vdev, u64 off, void *data,
			   unsigned int len, bool is_write, void *opaque)
{
	(void)vdev;
	(void)off;
	(void)data;
	(void)len;
	(void)is_write;
	(void)opaque;
	return -EIO;
}

static void test_registration(void)
{
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ATTACHED);
	fx_log_capture();
	is_int(mpt_trap_register(fx.vdev, 0, 0xff0, 0x20, nop_handler, NULL,
				 0), -EEXIST, "overlap with regs refused");
	ok(fx_log_has("overlaps [0x0, 0x1000)"), "log names both ranges");
	is_int(mpt_trap_register(fx.vdev, 0, 0xfff0, 0x20, nop_handler, NULL,
				 0), -EINVAL, "range past the BAR end");
	ok(fx_log_has("outside BAR0"), "log says outside the BAR");
	is_int(mpt_trap_register(fx.vdev, 1, 0, 4, nop_handler, NULL, 0),
	       -EINVAL, "BAR1 is not implemented");
	is_int(mpt_trap_register(fx.vdev, 6, 0, 4, nop_handler, NULL, 0),
	       -EINVAL, "BAR6 does not exist");
	is_int(mpt_trap_register(fx.vdev, 0, 0x4000, 0, nop_handler, NULL, 0),
	       -EINVAL, "empty range");
	is_int(mpt_trap_register(fx.vdev, 0, 0x4000, 4, NULL, NULL, 0),
	       -EINVAL, "no handler");
	is_int(mpt_trap_register(fx.vdev, 0, 0x4000, 4, nop_handler, NULL,
				 0x100), -EINVAL, "unknown flag bits");
	is_int(mpt_trap_register(fx.vdev, 2, 0x80, 0x10, nop_handler, NULL,
				 0), -EEXIST, "overlap with the MSI-X table");
	ok(mpt_trap_register(fx.vdev, 0, 0x1010, 0x10, nop_handler, NULL,
			     0) == 0, "adjacent range accepted");
	ok(mpt_vdev_activate(fx.vdev) == 0, "activate");
	is_int(mpt_trap_register(fx.vdev, 0, 0x5000, 4, nop_handler, NULL, 0),
	       -EBUSY, "no registration while active");
	fx_log_release();
	fx_teardown(&fx);
}

static int bar0(struct fx *fx, u64 off, void *data, unsigned int len,
		bool is_write)
{
	return mpt_vdev_bar_access(fx->vdev, 0, off, data, len, is_write);
}

static void test_dispatch(void)
{
	struct mpt_vdev_stats st;
	struct fx fx;
	u64 q = 0x1122334455667788ULL;
	u32 v = 0xdeadbeef;
	u8 b[3] = { 1, 2, 3 };

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	ok(bar0(&fx, 0x10, &v, 4, true) == 0 && fx.td->regs[4] == 0xdeadbeef,
	   "aligned dword write reaches regs");
	v = 0;
	ok(bar0(&fx, 0x10, &v, 4, false) == 0 && v == 0xdeadbeef,
	   "and reads back");
	v = 0;
	is_int(bar0(&fx, 0x11, &v, 4, false), -EINVAL,
	       "unaligned read of an aligned-only trap refused");
	is_int(v, 0xffffffff, "refused read returns all ones");
	is_int(bar0(&fx, 0x10, &v, 2, true), -EINVAL, "2-byte write refused");
	is_int(fx.td->regs[4], 0xdeadbeef, "refused write changed nothing");
	/* MPT_TRAP_SPLIT: an 8-byte write becomes two 4-byte ones. */
	fx.td->traps = 0;
	ok(bar0(&fx, 0x1000, &q, 8, true) == 0, "8-byte write to a split trap");
	is_int(fx.td->traps, 2, "handler called twice");
	is_int(fx.td->last_len, 4, "with 4 bytes each");
	ok(fx.td->regs2[0] == 0x55667788 && fx.td->regs2[1] == 0x11223344,
	   "both halves landed");
	/* Any-size trap gets odd sizes as they are. */
	ok(bar0(&fx, 0x2001, b, 3, true) == 0, "3-byte unaligned write");
	is_int(fx.td->last_len, 3, "handler saw 3 bytes");
	ok(fx.td->bytes[1] == 1 && fx.td->bytes[3] == 3, "bytes landed");
	/* Straddling regs and regs2: split at the boundary. */
	q = 0xaaaaaaaabbbbbbbbULL;
	ok(bar0(&fx, 0xffc, &q, 8, true) == 0, "write straddling two traps");
	ok(fx.td->regs[0x3ff] == 0xbbbbbbbb && fx.td->regs2[0] == 0xaaaaaaaa,
	   "each part went to its own trap");
	/* Unclaimed. */
	v = 0;
	is_int(bar0(&fx, 0x6000, &v, 4, false), -ENXIO, "unclaimed read");
	is_int(v, 0xffffffff, "reads all ones");
	q = 0;
	memset(fx.td->bytes + 0xfc, 0x42, 4);
	is_int(bar0(&fx, 0x20fc, &q, 8, false), -ENXIO,
	       "read ending past a trap reports the unclaimed part");
	is_int(q & 0xffffffff, 0x42424242, "claimed part read from its trap");
	is_int(q >> 32, 0xffffffff, "unclaimed tail reads all ones");
	q = 0x0102030405060708ULL;
	is_int(bar0(&fx, 0x1ffc, &q, 8, true), -ENXIO,
	       "write starting in a gap and ending in a trap");
	is_int(fx.td->bytes[0], 0x04, "the part in the trap still landed");
	mpt_vdev_get_stats(fx.vdev, &st);
	is_int(st.unclaimed, 3, "unclaimed accesses counted");
	ok(st.bad_accesses >= 2, "refused accesses counted");
	fx_teardown(&fx);
}

static void test_bad_arguments(void)
{
	struct fx fx;
	u64 q = 0;
	u8 big[16];

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	is_int(bar0(&fx, 0, &q, 0, false), -EINVAL, "length 0");
	is_int(bar0(&fx, 0, big, 9, false), -EINVAL, "length 9");
	is_int(bar0(&fx, 0x10000, &q, 4, false), -EINVAL, "offset past BAR");
	is_int(bar0(&fx, 0xfffe, &q, 4, false), -EINVAL, "access past BAR end");
	is_int(mpt_vdev_bar_access(fx.vdev, 7, 0, &q, 4, false), -EINVAL,
	       "BAR index 7");
	is_int(mpt_vdev_bar_access(fx.vdev, 1, 0, &q, 4, false), -EINVAL,
	       "unimplemented BAR");
	is_int(mpt_vdev_bar_access(fx.vdev, 0, ~0ULL - 1, &q, 4, false),
	       -EINVAL, "offset wrapping");
	fx_teardown(&fx);
}

static void test_bar_rw(void)
{
	struct fx fx;
	u8 buf[13], back[13];
	unsigned int i;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (u8)(i + 1);
	ok(mpt_vdev_bar_rw(fx.vdev, 0, 0x2003, buf, sizeof(buf), true) == 0,
	   "13 bytes at an odd offset");
	ok(memcmp(fx.td->bytes + 3, buf, sizeof(buf)) == 0, "landed intact");
	ok(mpt_vdev_bar_rw(fx.vdev, 0, 0x2003, back, sizeof(back), false) == 0 &&
		   memcmp(back, buf, sizeof(buf)) == 0,
	   "read back in pieces");
	is_int(mpt_vdev_bar_rw(fx.vdev, 0, 0x40, buf, 8, true), -EINVAL,
	       "8 bytes to a dword-only trap without MPT_TRAP_SPLIT: refused");
	ok(mpt_vdev_bar_rw(fx.vdev, 0, 0x1000, buf, 8, true) == 0 &&
		   fx.td->regs2[1] == 0x08070605,
	   "8 bytes to a trap with MPT_TRAP_SPLIT: split into dwords");
	fx_teardown(&fx);
}

static void test_handler_error(void)
{
	struct mpt_vdev_stats st;
	struct fx fx;
	u32 v = 0;

	fx_setup(&fx, MPT_VDEV_ATTACHED);
	ok(mpt_trap_register(fx.vdev, 0, 0x4000, 4, failing_handler, NULL,
			     0) == 0, "failing trap");
	ok(mpt_vdev_activate(fx.vdev) == 0, "active");
	is_int(bar0(&fx, 0x4000, &v, 4, false), -EIO, "handler error passed");
	is_int(v, 0xffffffff, "failed read is all ones");
	mpt_vdev_get_stats(fx.vdev, &st);
	is_int(st.handler_errors, 1, "counted");
	fx_teardown(&fx);
}

static void test_range_map(void)
{
	struct mpt_range_map m = { 0 };
	struct mpt_range r = { .len = 0x10 };
	const struct mpt_range *hit;
	unsigned int i, misses = 0;

	fx_log_capture();
	for (i = 0; i < 500; i++) {
		r.start = (u64)(499 - i) * 0x100; /* inserted in reverse */
		r.flags = 499 - i;
		if (mpt_range_map_insert(&m, &r))
			misses++;
	}
	is_int(misses, 0, "500 ranges inserted");
	for (i = 0; i < 500; i++) {
		hit = mpt_range_map_lookup(&m, (u64)i * 0x100 + 0xf);
		if (!hit || hit->flags != i)
			misses++;
		if (mpt_range_map_lookup(&m, (u64)i * 0x100 + 0x10))
			misses++;
	}
	is_int(misses, 0, "every range found, every gap empty");
	r.start = 0x105;
	is_int(mpt_range_map_insert(&m, &r), -EEXIST, "overlap refused");
	r.start = ~0ULL - 4;
	is_int(mpt_range_map_insert(&m, &r), -EINVAL, "wrapping range refused");
	r.start = 0x10;
	r.len = 0;
	is_int(mpt_range_map_insert(&m, &r), -EINVAL, "empty range refused");
	ok(mpt_range_map_remove(&m, 0x100) == 0, "remove");
	ok(!mpt_range_map_lookup(&m, 0x105), "removed range gone");
	is_int(mpt_range_map_remove(&m, 0x105), -ENOENT, "remove not-a-start");
	ok(mpt_range_map_lookup(&m, 0x205) != NULL, "neighbours intact");
	mpt_range_map_destroy(&m);
	ok(!mpt_range_map_lookup(&m, 0x205), "destroyed map is empty");
	fx_log_release();
}

static void count_doorbell(void *arg, u64 offset, unsigned int len)
{
	u64 *seen = arg;

	*seen = offset << 8 | len;
}

static int doorbell_handler(struct mpt_vdev *vdev, u64 off, void *data,
			    unsigned int len, bool is_write, void *opaque)
{
	u32 *rung = opaque;

	(void)vdev;
	(void)off;
	(void)len;
	if (is_write)
		*rung = *(u32 *)data + 1;
	return 0;
}

static void test_doorbells(void)
{
	struct fx fx;
	u64 seen = 0;
	u32 rung = 0;

	fx_setup(&fx, MPT_VDEV_ATTACHED);
	ok(mpt_trap_register(fx.vdev, 0, 0x3000, 4, doorbell_handler, &rung,
			     MPT_TRAP_SIZE4 | MPT_TRAP_DOORBELL) == 0,
	   "doorbell registered");
	ok(mpt_vdev_activate(fx.vdev) == 0, "active");
	is_int(mpt_vdev_for_each_doorbell(fx.vdev, 0, count_doorbell, &seen),
	       1, "BAR0 has one doorbell");
	is_int(seen, 0x3000 << 8 | 4, "at 0x3000, 4 bytes");
	is_int(mpt_vdev_for_each_doorbell(fx.vdev, 2, count_doorbell, &seen),
	       0, "BAR2 has none");
	is_int(mpt_vdev_for_each_doorbell(fx.vdev, 6, count_doorbell, &seen),
	       -EINVAL, "bad BAR");
	ok(mpt_vdev_doorbell(fx.vdev, 0, 0x3000) == 0 && rung == 1,
	   "doorbell delivered as a write of zero");
	is_int(mpt_vdev_doorbell(fx.vdev, 0, 0x10), -ENXIO,
	       "a plain register is no doorbell");
	is_int(mpt_vdev_doorbell(fx.vdev, 0, 0x3002), -ENXIO,
	       "not at the doorbell's start");
	fx_teardown(&fx);
}

int main(void)
{
	test_doorbells();
	test_registration();
	test_dispatch();
	test_bad_arguments();
	test_bar_rw();
	test_handler_error();
	test_range_map();
	return done_testing();
}
