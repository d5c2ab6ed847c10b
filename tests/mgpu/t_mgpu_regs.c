// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mgpu's PCI identity, register file (RO, RW, W1C, reserved, access
 * sizes, CTRL.RESET), doorbell trap, info page, instance limit and
 * activation cycle.
 */
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "mgpu_fixture.h"
#include "tap.h"

static u32 cfg(struct mgx *m, unsigned int off, unsigned int len)
{
	u32 v = 0;

	mpt_vdev_cfg_access(m->vdev, off, &v, len, false);
	return v;
}

static void test_pci(struct mgx *m)
{
	u32 v = 0xffffffff;

	is_int(cfg(m, MPT_PCI_VENDOR_ID, 2), MGPU_VENDOR_ID, "vendor ID");
	is_int(cfg(m, MPT_PCI_DEVICE_ID, 2), MGPU_DEVICE_ID, "device ID");
	is_int(cfg(m, MPT_PCI_REVISION_ID, 4) >> 8, MGPU_CLASS, "class code");
	mpt_vdev_cfg_access(m->vdev, MPT_PCI_BAR0, &v, 4, true);
	is_int(cfg(m, MPT_PCI_BAR0, 4), (u32)~(MGPU_BAR0_SIZE - 1),
	       "BAR0: 32-bit memory, MGPU_BAR0_SIZE");
	v = (u32)MGX_BAR0_GPA;
	mpt_vdev_cfg_access(m->vdev, MPT_PCI_BAR0, &v, 4, true);
	is_int(cfg(m, MPT_PCI_BAR0 + 4, 4), 0, "BAR1 not implemented");
	is_int(cfg(m, 0x40, 1), MPT_PCI_CAP_ID_MSI, "MSI capability");
	is_int(cfg(m, 0x42, 2) & MPT_PCI_MSI_FLAGS_QMASK, 0, "one MSI vector");
}

static void test_identity(struct mgx *m)
{
	is_int(mgx_rd(m, MGPU_REG_ID), MGPU_ID, "ID from the golden state");
	is_int(mgx_rd(m, MGPU_REG_VERSION), MGPU_VERSION, "VERSION");
	is_int(mgx_rd(m, MGPU_REG_STATUS), MGPU_STATUS_IDLE, "STATUS: idle");
	is_int(mgx_rd(m, MGPU_REG_ERROR), MGPU_ERR_NONE, "ERROR: none");
	is_int(mgx_rd(m, MGPU_REG_PLANE_FORMAT), MGPU_FORMAT_XRGB8888,
	       "PLANE_FORMAT powers on XRGB8888");
	is_int(mgx_rd(m, MGPU_REG_PLANE_ENABLE), 0, "plane off");
	is_int(mgx_rd(m, MGPU_REG_CTX_PD), 0, "no PPGTT");
}

static void test_read_only(struct mgx *m)
{
	static const u32 ro[] = {
		MGPU_REG_ID, MGPU_REG_VERSION, MGPU_REG_STATUS,
		MGPU_REG_ERROR, MGPU_REG_RING_HEAD, MGPU_REG_STAT_CMDS,
		MGPU_REG_STAT_REJECTED,
	};
	unsigned int i;

	for (i = 0; i < MPT_ARRAY_SIZE(ro); i++) {
		u32 before = mgx_rd(m, ro[i]);

		mgx_wr(m, ro[i], 0x5a5a5a5a);
		is_int(mgx_rd(m, ro[i]), before, "register %#x is read-only",
		       ro[i]);
	}
}

static void test_read_write(struct mgx *m)
{
	unsigned int i;

	for (i = 0; i < MGPU_NR_SCRATCH; i++)
		mgx_wr(m, MGPU_REG_SCRATCH0 + 4 * i, 0x1000 + i);
	for (i = 0; i < MGPU_NR_SCRATCH; i++)
		is_int(mgx_rd(m, MGPU_REG_SCRATCH0 + 4 * i), 0x1000 + i,
		       "SCRATCH%u holds its value", i);
	mgx_wr(m, MGPU_REG_PLANE_BASE, 0x123000);
	mgx_wr(m, MGPU_REG_PLANE_STRIDE, 8192);
	is_int(mgx_rd(m, MGPU_REG_PLANE_BASE), 0x123000, "PLANE_BASE");
	is_int(mgx_rd(m, MGPU_REG_PLANE_STRIDE), 8192, "PLANE_STRIDE");
	mgx_wr(m, MGPU_REG_PLANE_ENABLE, 0xffffffff);
	is_int(mgx_rd(m, MGPU_REG_PLANE_ENABLE), 1, "PLANE_ENABLE keeps bit 0");
	mgx_wr(m, MGPU_REG_PLANE_ENABLE, 0);
	mgx_wr(m, MGPU_REG_CTRL, 0xfffffffe);
	is_int(mgx_rd(m, MGPU_REG_CTRL), MGPU_CTRL_IRQ_ENABLE,
	       "CTRL keeps IRQ_ENABLE only; RESET reads 0");
	mgx_wr(m, MGPU_REG_TAIL_ADDR, 0x8004);
	is_int(mgx_rd(m, MGPU_REG_TAIL_ADDR), 0x8004, "TAIL_ADDR");
	mgx_wr(m, MGPU_REG_TAIL_ADDR, MGX_TAIL_GA);
	mgx_wr(m, MGPU_REG_CTX_PD, 0x5);
	is_int(mgx_rd(m, MGPU_REG_CTX_PD), 0, "CTX_PD ignores bits 11:0");
}

static void test_w1c(struct mgx *m)
{
	u32 cmds[4];
	unsigned int n = cmd_irq(cmds);

	mgx_emit(m, cmds, n);
	mgx_kick(m);
	is_int(mgx_rd(m, MGPU_REG_IRQ_STATUS), MGPU_IRQ_COMPLETE,
	       "INTERRUPT sets IRQ_STATUS.COMPLETE");
	mgx_wr(m, MGPU_REG_IRQ_STATUS, MGPU_IRQ_ERROR);
	is_int(mgx_rd(m, MGPU_REG_IRQ_STATUS), MGPU_IRQ_COMPLETE,
	       "writing 1 to another bit clears nothing else");
	mgx_wr(m, MGPU_REG_IRQ_STATUS, 0);
	is_int(mgx_rd(m, MGPU_REG_IRQ_STATUS), MGPU_IRQ_COMPLETE,
	       "writing 0 clears nothing");
	mgx_wr(m, MGPU_REG_IRQ_STATUS, MGPU_IRQ_COMPLETE);
	is_int(mgx_rd(m, MGPU_REG_IRQ_STATUS), 0, "writing 1 clears");
}

static void test_reserved_and_sizes(struct mgx *m)
{
	struct mpt_vdev_stats before = mgx_core_stats(m), after;
	u64 v8 = 0;
	u16 v2 = 0;
	u32 v4 = 0;

	is_int(mgx_rd(m, 0x100), 0, "an unused offset reads 0");
	mgx_wr(m, 0x100, 0xdeadbeef);
	is_int(mgx_rd(m, 0x100), 0, "and ignores writes");
	is_int(mgx_rd(m, 0xffc), 0, "last register offset reads 0");
	is_int(mgx_rd(m, MGPU_REG_DOORBELL), 0, "DOORBELL reads 0");
	ok(mgx_access(m, MGPU_REG_ID, &v2, 2, false) != 0 && v2 == 0xffff,
	   "2-byte register read refused, all ones");
	ok(mgx_access(m, MGPU_REG_ID, &v8, 8, false) != 0 && v8 == ~0ULL,
	   "8-byte register read refused");
	ok(mgx_access(m, MGPU_REG_ID + 2, &v4, 4, false) != 0 &&
		   v4 == 0xffffffff,
	   "misaligned register read refused");
	v4 = 1;
	ok(mgx_access(m, MGPU_REG_SCRATCH0 + 1, &v4, 1, true) != 0,
	   "1-byte register write refused");
	after = mgx_core_stats(m);
	is_int(after.bad_accesses - before.bad_accesses, 4,
	       "refusals counted as bad accesses");
	v4 = 0;
	ok(mgx_access(m, 0x1000, &v4, 4, false) != 0 && v4 == 0xffffffff,
	   "past the registers: unclaimed, all ones");
}

static void count_doorbell(void *arg, u64 offset, unsigned int len)
{
	u64 *seen = arg;

	*seen = offset << 8 | len;
}

static void test_doorbell_trap(struct mgx *m)
{
	u64 seen = 0;

	is_int(mpt_vdev_for_each_doorbell(m->vdev, 0, count_doorbell, &seen),
	       1, "one doorbell in BAR0");
	is_int(seen, MGPU_REG_DOORBELL << 8 | 4, "DOORBELL, 4 bytes");
}

static void test_ctrl_reset(struct mgx *m)
{
	u64 gfn, dma;

	mgx_wr(m, MGPU_REG_SCRATCH0, 77);
	mgx_wr(m, MGPU_REG_PLANE_ENABLE, 1);
	mgx_map(m, MGX_FREE_GA, MGX_FREE_GPA, MPT_PAGE_SIZE);
	ok(mgpu_debug_ggtt_shadow(m->vdev, MGX_FREE_GA >> 12, &gfn, &dma),
	   "GGTT entry shadowed before reset");
	is_int(mpt_sim_pin_count(m->g, MGX_FREE_GPA >> 12), 1, "page pinned");
	mgx_wr(m, MGPU_REG_CTRL, MGPU_CTRL_RESET | MGPU_CTRL_IRQ_ENABLE);
	is_int(mgx_rd(m, MGPU_REG_SCRATCH0), 0, "CTRL.RESET: scratch cleared");
	is_int(mgx_rd(m, MGPU_REG_PLANE_ENABLE), 0, "plane off");
	is_int(mgx_rd(m, MGPU_REG_CTRL), 0,
	       "other bits of the reset write ignored");
	is_int(mgx_rd(m, MGPU_REG_ID), MGPU_ID, "ID back from golden state");
	is_int(mgx_ggtt_get(m, MGX_FREE_GA >> 12), 0, "GGTT entries invalid");
	is_int(mpt_sim_pin_count(m->g, MGX_FREE_GPA >> 12), 0, "page unpinned");
	is_int(mpt_sim_pin_count(m->g, MGX_RING_GPA >> 12), 0,
	       "ring page unpinned");
	ok(!mgpu_debug_ggtt_shadow(m->vdev, MGX_FREE_GA >> 12, &gfn, &dma),
	   "shadow points at scratch");
}

static u64 pv64(struct mgx *m, u32 off)
{
	u64 v = 0;

	mgx_access(m, MGPU_PVINFO_OFFSET + off, &v, 8, false);
	return v;
}

static void test_pvinfo(struct mgx *m)
{
	u32 one = 1, msg = MGPU_G2V_DISPLAY_READY;

	ok(pv64(m, MPT_PVINFO_OFF_MAGIC) == MPT_PVINFO_MAGIC,
	   "info page at MGPU_PVINFO_OFFSET");
	is_int(pv64(m, MPT_PVINFO_OFF_CAPS) & 0xffffffff, MGPU_CAP_PPGTT,
	       "caps: PPGTT");
	is_int(pv64(m, MPT_PVINFO_OFF_RANGES + 16 * MGPU_PVINFO_RANGE_GGTT),
	       0, "GGTT range base");
	ok(pv64(m, MPT_PVINFO_OFF_RANGES + 16 * MGPU_PVINFO_RANGE_GGTT + 8) ==
		   MGPU_GGTT_SPAN,
	   "GGTT range size");
	ok(!mgpu_display_ready(m->vdev), "display not ready at first");
	mgx_access(m, MGPU_PVINFO_OFFSET + MPT_PVINFO_OFF_G2V_PAYLOAD, &one, 4,
		   true);
	mgx_access(m, MGPU_PVINFO_OFFSET + MPT_PVINFO_OFF_G2V_NOTIFY, &msg, 4,
		   true);
	ok(mgpu_display_ready(m->vdev), "DISPLAY_READY with the plane on");
	msg = 99;
	mgx_access(m, MGPU_PVINFO_OFFSET + MPT_PVINFO_OFF_G2V_NOTIFY, &msg, 4,
		   true);
	ok(mgpu_display_ready(m->vdev) && !mgpu_failsafe(m->vdev),
	   "an unknown message is ignored");
	is_int(mpt_vdev_reset(m->vdev), 0, "function-level reset");
	ok(!mgpu_display_ready(m->vdev), "reset forgets the display state");
	mgx_enable(m);
	mgx_ring_reset(m);
}

static void test_instances(void)
{
	struct mgx m;
	struct mpt_vdev *v[4];
	struct mpt_vdev *extra = NULL;
	int i, n = 0;

	mgx_setup_bare(&m);
	is_int(mpt_type_available(MGPU_TYPE_NAME), 4, "four instances offered");
	for (i = 0; i < 4; i++)
		n += mpt_vdev_create(MGPU_TYPE_NAME, NULL, &v[i]) == 0;
	is_int(n, 4, "four instances created");
	is_int(mpt_vdev_create(MGPU_TYPE_NAME, NULL, &extra), -ENOSPC,
	       "a fifth is refused");
	is_int(mgpu_unregister(), -EBUSY, "type busy while instances exist");
	for (i = 0; i < 4; i++)
		mpt_vdev_destroy(v[i]);
	mgx_teardown_bare(&m);
}

/* Deactivation gives back pins and tracks; activation takes them again. */
static void test_activation_cycle(void)
{
	struct mgx m;
	u64 pd = MGX_FREE_GPA, pt = MGX_FREE_GPA + 0x1000;
	u64 data = MGX_FREE_GPA + 0x2000;

	mgx_setup(&m);
	mgx_poke64(&m, pd, pt | MGPU_PTE_VALID);
	mgx_poke64(&m, pt, data | MGPU_PTE_VALID);
	mgx_wr(&m, MGPU_REG_CTX_PD, (u32)pd);
	is_int(mpt_sim_track_count(m.g, pd >> 12), 1, "directory tracked");
	is_int(mpt_sim_pin_count(m.g, data >> 12), 1, "PPGTT page pinned");
	is_int(mpt_sim_pin_count(m.g, MGX_RING_GPA >> 12), 1, "GGTT pinned");
	is_int(mpt_vdev_deactivate(m.vdev), 0, "deactivated");
	is_int(mpt_sim_track_count(m.g, pd >> 12) +
		       mpt_sim_track_count(m.g, pt >> 12),
	       0, "nothing tracked while inactive");
	is_int(mpt_sim_pin_count(m.g, data >> 12) +
		       mpt_sim_pin_count(m.g, MGX_RING_GPA >> 12),
	       0, "nothing pinned while inactive");
	is_int(mpt_vdev_activate(m.vdev), 0, "activated again");
	is_int(mpt_sim_track_count(m.g, pt >> 12), 1, "table tracked again");
	is_int(mpt_sim_pin_count(m.g, data >> 12), 1, "PPGTT page pinned");
	is_int(mpt_sim_pin_count(m.g, MGX_RING_GPA >> 12), 1, "GGTT pinned");
	is_int(mgx_ggtt_get(&m, MGX_RING_GA >> 12),
	       MGX_RING_GPA | MGPU_PTE_VALID, "GGTT entries kept");
	mgx_teardown(&m);
}

int main(void)
{
	struct mgx m;

	mgx_setup(&m);
	test_pci(&m);
	test_identity(&m);
	test_read_only(&m);
	test_read_write(&m);
	test_w1c(&m);
	test_reserved_and_sizes(&m);
	test_doorbell_trap(&m);
	test_pvinfo(&m);
	test_ctrl_reset(&m);
	mgx_teardown(&m);
	test_instances();
	test_activation_cycle();
	return done_testing();
}
