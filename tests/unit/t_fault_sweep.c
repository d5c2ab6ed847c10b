// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Every error path of the core, systematically: a full device scenario is
 * run once per (op, n), with the sim backend's op failing on its nth call.
 * Whatever fails, the core must unwind cleanly: afterwards nothing is left
 * pinned, tracked, claimed or mapped, and the backend saw no breach of its
 * contract.  Under the sanitizer build this also proves no leak, no use
 * after free and no undefined behaviour on those paths.
 */
#include <string.h>

#include "fixture.h"
#include "tap.h"

#define MAX_NTH 6

static void noop_track(struct mpt_vdev *vdev, u64 gpa, const void *data,
		       unsigned int len, void *opaque)
{
	(void)vdev;
	(void)gpa;
	(void)data;
	(void)len;
	(void)opaque;
}

static void program_msi(struct mpt_vdev *vdev)
{
	u32 addr = 0xfee00000, ctrl = 0x81;
	u16 data = 0x30;

	mpt_vdev_cfg_access(vdev, 0x44, &addr, 4, true);
	mpt_vdev_cfg_access(vdev, 0x4c, &data, 2, true);
	mpt_vdev_cfg_access(vdev, 0x42, &ctrl, 2, true);
}

/* Everything a device does; errors are allowed, crashes and leaks not. */
static void scenario(struct mpt_sim_guest *g)
{
	struct mpt_vdev *v;
	u64 dma[3], pfn, q = 0;
	u32 cmd = MPT_PCI_COMMAND_MEMORY | MPT_PCI_COMMAND_IO, bar = 0xe0000000;
	unsigned int i;

	if (mpt_vdev_create("tdev", NULL, &v))
		return;
	if (mpt_vdev_attach(v, g) || mpt_vdev_activate(v))
		goto out;
	mpt_vdev_cfg_access(v, MPT_PCI_BAR0, &bar, 4, true);
	mpt_vdev_cfg_access(v, MPT_PCI_COMMAND, &cmd, 2, true);
	program_msi(v);
	for (i = 0; i < 3; i++) {
		if (mpt_dma_map(v, 0x100 + i * 16, MPT_DMA_SIZE_64K, &dma[i]))
			dma[i] = 0;
		if (mpt_page_track_add(v, 0x40 + i, noop_track, NULL))
			continue;
	}
	mpt_sim_guest_write(g, 0x41000, &q, 8);
	mpt_sim_guest_access(g, MPT_SPACE_MMIO, 0xe0000010, &q, 4, true);
	mpt_vdev_raise_irq(v, 0);
	mpt_gpa_write(v, 0x5000, &q, 8);
	mpt_gpa_read(v, 0x5000, &q, 8);
	mpt_gfn_to_pfn(v, 5, &pfn);
	mpt_is_valid_gfn(v, 5);
	if (mpt_map_frames(v, 0x90000, 0x100, 2) == 0 && (q & 1))
		mpt_unmap_frames(v, 0x90000, 2);
	if (dma[0])
		mpt_dma_unmap(v, dma[0]);
	mpt_page_track_remove(v, 0x40, noop_track, NULL);
	mpt_vdev_reset(v);
out:
	mpt_vdev_destroy(v);
}

static const char *const op_names[MPT_SIM_NR_OPS] = {
	"attach", "inject_msi", "read_gpa", "write_gpa", "enable_page_track",
	"disable_page_track", "gfn_to_pfn", "dma_map", "is_valid_gfn",
	"claim_trap_area", "map_frames",
};

static int clean(struct mpt_sim_guest *g)
{
	unsigned int i;

	for (i = 0x40; i < 0x43; i++)
		if (mpt_sim_track_count(g, i))
			return 0;
	for (i = 0x100; i < 0x130; i++)
		if (mpt_sim_pin_count(g, i))
			return 0;
	return !mpt_sim_claimed(g, MPT_SPACE_MMIO, 0xe0000000) &&
	       !mpt_sim_frames_mapped(g) && !mpt_sim_violations(g);
}

int main(void)
{
	static const struct mpt_sim_region ram = { 0, 16 << 20 };
	struct mpt_backend *be;
	unsigned int op, nth, calls;

	mpt_set_log_level(MPT_LOG_ERR);
	mpt_set_log_handler(NULL);
	if (mpt_sim_register(NULL, &be) || mpt_type_register(&tdev_type))
		tap_skip_all("setup failed");
	for (op = 0; op < MPT_SIM_NR_OPS; op++) {
		unsigned int bad = 0;

		for (nth = 1; nth <= MAX_NTH; nth++) {
			struct mpt_sim_guest *g = mpt_sim_guest_create(&ram, 1);

			mpt_sim_fail_nth(g, op, nth, -EIO);
			scenario(g);
			calls = mpt_sim_op_calls(g, op);
			if (!clean(g)) {
				diag("%s failing at call %u left state behind",
				     op_names[op], nth);
				bad++;
			}
			mpt_sim_guest_destroy(g);
			if (calls < nth) /* the scenario calls it fewer times */
				break;
		}
		is_int(bad, 0, "%s failing at each of its calls: clean unwind",
		       op_names[op]);
	}
	ok(mpt_type_unregister(&tdev_type) == 0, "no instance leaked");
	ok(mpt_backend_unregister(be) == 0, "backend released");
	return done_testing();
}
