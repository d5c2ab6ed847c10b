// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Failsafe: a privileged command or a write to a reserved info-page field
 * stops the device (logged, counted, STATUS.FAILSAFE); it then ignores
 * submissions, doorbells and register writes, keeps answering reads, and
 * only a reset (CTRL.RESET or a function-level reset) brings it back.
 */
#include <string.h>

#include "fixture.h"
#include "mgpu_fixture.h"
#include "tap.h"

static void pv_write(struct mgx *m, u32 off, u32 val)
{
	mgx_access(m, MGPU_PVINFO_OFFSET + off, &val, 4, true);
}

static void restore(struct mgx *m)
{
	mgx_map(m, MGX_RING_GA, MGX_RING_GPA, MGX_RING_SIZE);
	mgx_map(m, MGX_TAIL_GA, MGX_TAIL_GPA, 4096);
	mgx_map(m, MGX_SEQNO_GA, MGX_SEQNO_GPA, 4096);
	mgx_ring_reset(m);
}

static bool works(struct mgx *m, u32 value)
{
	u32 c[4];
	unsigned int n = cmd_store(c, MGX_SEQNO_GA, value);

	mgx_poke32(m, MGX_SEQNO_GPA, 0);
	mgx_emit(m, c, n);
	mgx_kick(m);
	return mgx_peek32(m, MGX_SEQNO_GPA) == value;
}

static void test_privileged(struct mgx *m)
{
	struct mgpu_stats s0 = mgx_stats(m);
	unsigned int msis;
	u32 c[4], tail;
	unsigned int n;

	ok(works(m, 1), "device works");
	fx_log_capture();
	n = cmd_lri(c, MGPU_REG_RING_BASE, 0);
	is_int(mgx_run(m, c, n), MGPU_ERR_PRIVILEGED, "LRI refused");
	ok(mgpu_failsafe(m->vdev), "failsafe");
	ok(mgx_rd(m, MGPU_REG_STATUS) & MGPU_STATUS_FAILSAFE,
	   "STATUS.FAILSAFE");
	ok(fx_log_has("failsafe: privileged command"), "warning logged");
	is_int(mgx_stats(m).failsafe_entries, s0.failsafe_entries + 1,
	       "counted");
	msis = mgx_msis(m);
	tail = mgx_rd(m, MGPU_REG_RING_TAIL);
	ok(!works(m, 2), "submissions ignored");
	is_int(mgx_rd(m, MGPU_REG_RING_TAIL), tail, "RING_TAIL write ignored");
	is_int(mgx_msis(m), msis, "no interrupt for them");
	mgx_poke32(m, MGX_TAIL_GPA, m->tail);
	mpt_vdev_doorbell(m->vdev, 0, MGPU_REG_DOORBELL);
	is_int(mgx_peek32(m, MGX_SEQNO_GPA), 0, "doorbells ignored");
	is_int(mgx_stats(m).doorbells, s0.doorbells, "and not counted");
	mgx_wr(m, MGPU_REG_SCRATCH0, 5);
	is_int(mgx_rd(m, MGPU_REG_SCRATCH0), 0, "register writes ignored");
	mgx_wr(m, MGPU_REG_CTRL, 0);
	is_int(mgx_rd(m, MGPU_REG_CTRL), MGPU_CTRL_IRQ_ENABLE,
	       "CTRL bits other than RESET ignored");
	is_int(mgx_rd(m, MGPU_REG_ID), MGPU_ID, "reads still work");
	is_int(mgx_rd(m, MGPU_REG_ERROR), MGPU_ERR_PRIVILEGED,
	       "ERROR says why");
	mgx_wr(m, MGPU_REG_CTRL, MGPU_CTRL_RESET);
	ok(!mgpu_failsafe(m->vdev), "CTRL.RESET leaves failsafe");
	is_int(mgx_rd(m, MGPU_REG_STATUS), MGPU_STATUS_IDLE, "STATUS idle");
	restore(m);
	ok(works(m, 3), "device works after reset");
}

static void test_pvinfo_reserved(struct mgx *m)
{
	struct mgpu_stats s0 = mgx_stats(m);

	pv_write(m, MPT_PVINFO_OFF_MAGIC, 0);
	pv_write(m, MPT_PVINFO_OFF_GUEST_STATUS, 1);
	ok(!mgpu_failsafe(m->vdev) && works(m, 4),
	   "read-only and writable info-page fields: no failsafe");
	fx_log_capture();
	pv_write(m, 0x14, 1);
	ok(mgpu_failsafe(m->vdev), "reserved field written: failsafe at once");
	ok(mgx_rd(m, MGPU_REG_STATUS) & MGPU_STATUS_FAILSAFE,
	   "the next register read shows it");
	ok(fx_log_has("reserved info-page field"), "warning logged");
	ok(!works(m, 5), "submissions ignored");
	pv_write(m, 0xf00, 1);
	is_int(mgx_stats(m).failsafe_entries, s0.failsafe_entries + 1,
	       "a second violation does not count again");
	is_int(mpt_vdev_reset(m->vdev), 0, "function-level reset");
	ok(!mgpu_failsafe(m->vdev), "leaves failsafe");
	mgx_enable(m);
	restore(m);
	ok(works(m, 6), "device works after reset");
}

static void test_pvinfo_on_notify(struct mgx *m)
{
	u32 msg = MGPU_G2V_DISPLAY_READY;

	pv_write(m, 0x900, 7);
	mgx_access(m, MGPU_PVINFO_OFFSET + MPT_PVINFO_OFF_G2V_NOTIFY, &msg, 4,
		   true);
	ok(mgpu_failsafe(m->vdev), "violation seen when the guest notifies");
	mgx_wr(m, MGPU_REG_CTRL, MGPU_CTRL_RESET);
	ok(!mgpu_failsafe(m->vdev), "reset");
	restore(m);
}

int main(void)
{
	struct mgx m;

	mgx_setup(&m);
	test_privileged(&m);
	test_pvinfo_reserved(&m);
	test_pvinfo_on_notify(&m);
	mgx_teardown(&m);
	return done_testing();
}
