// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The conformance target for the sim backend, and the program that runs
 * the suite over it:
 *
 *	conformance-sim            TAP, for prove
 *	conformance-sim --report   one line per case and a summary
 *
 * Everything sim-specific stays here: the guest calls of include/mpt/sim.h
 * and the sim's own contract checker (mpt_sim_violations()).
 */
#include <stdio.h>

#include "conformance.h"
#include <mpt/sim.h>

/* The sim's own ops table (mpt_sim_ops), as the core registers it. */
#include "backends/sim/sim_priv.h"

struct sim_target {
	struct mpt_backend *be;
};

static struct sim_target sim_target_state;

static int sim_setup(void **ctx, struct mpt_backend **be,
		     const struct mpt_backend_ops **ops)
{
	struct sim_target *st = &sim_target_state;
	int ret = mpt_sim_register(NULL, &st->be);

	if (ret)
		return ret;
	*ctx = st;
	*be = st->be;
	*ops = &mpt_sim_ops;
	return 0;
}

static int sim_teardown(void *ctx)
{
	struct sim_target *st = ctx;

	return mpt_backend_unregister(st->be);
}

static void *sim_guest_create(void *ctx, const struct mpt_conf_layout *layout)
{
	struct mpt_sim_region r[MPT_SIM_MAX_REGIONS];
	unsigned int i;

	(void)ctx;
	if (layout->nr > MPT_SIM_MAX_REGIONS)
		return NULL;
	for (i = 0; i < layout->nr; i++) {
		r[i].gpa = layout->regions[i].gpa;
		r[i].size = layout->regions[i].size;
	}
	return mpt_sim_guest_create(r, layout->nr);
}

static void sim_guest_destroy(void *ctx, void *guest)
{
	(void)ctx;
	mpt_sim_guest_destroy(guest);
}

static int sim_guest_read(void *ctx, void *guest, u64 gpa, void *buf,
			  size_t len)
{
	(void)ctx;
	return mpt_sim_guest_read(guest, gpa, buf, len);
}

static int sim_guest_write(void *ctx, void *guest, u64 gpa, const void *data,
			   size_t len)
{
	(void)ctx;
	return mpt_sim_guest_write(guest, gpa, data, len);
}

static int sim_guest_mmio(void *ctx, void *guest, enum mpt_space space,
			  u64 addr, void *data, unsigned int len, bool is_write)
{
	(void)ctx;
	return mpt_sim_guest_access(guest, space, addr, data, len, is_write);
}

static unsigned int sim_msi_count(void *ctx, void *guest)
{
	(void)ctx;
	return mpt_sim_msi_count(guest);
}

static int sim_msi_get(void *ctx, void *guest, unsigned int i, u64 *addr,
		       u32 *data)
{
	(void)ctx;
	return mpt_sim_msi_get(guest, i, addr, data);
}

/* The sim only counts pass-through frames: any number will do. */
static int sim_host_frames(void *ctx, u64 *pfn, u64 *nr)
{
	(void)ctx;
	*pfn = 0x80000;
	*nr = 16;
	return 0;
}

static unsigned int sim_violations(void *ctx, void *guest)
{
	(void)ctx;
	return mpt_sim_violations(guest);
}

static const struct mpt_conf_target sim_conf_target = {
	.name = "sim",
	.setup = sim_setup,
	.teardown = sim_teardown,
	.guest_create = sim_guest_create,
	.guest_destroy = sim_guest_destroy,
	.guest_read = sim_guest_read,
	.guest_write = sim_guest_write,
	/* mpt_sim_guest_write() delivers each page's part at once. */
	.track_piece_max = 0,
	.guest_mmio = sim_guest_mmio,
	.msi_count = sim_msi_count,
	.msi_get = sim_msi_get,
	.host_frames = sim_host_frames,
	.violations = sim_violations,
};

int main(int argc, char **argv)
{
	return mpt_conf_main(&sim_conf_target, argc, argv);
}
