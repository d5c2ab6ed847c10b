// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Conformance cases: inject_msi, directly and from the core's MSI emulation.
 */
#include "conformance.h"
#include "tap.h"

/* The number of MSIs the guest has received, or 0 if it cannot tell. */
static unsigned int msis(struct conf_world *w)
{
	const struct mpt_conf_target *t = w->c->target;

	return t->msi_count ? t->msi_count(w->c->ctx, w->guest) : 0;
}

/* Check that MSI number @i the guest received is (@addr, @data). */
static void msi_is(struct conf_world *w, unsigned int i, u64 addr, u32 data,
		   const char *what)
{
	const struct mpt_conf_target *t = w->c->target;
	u64 got_addr = 0;
	u32 got_data = 0;

	is_int(t->msi_get(w->c->ctx, w->guest, i, &got_addr, &got_data), 0,
	       "%s: the guest received MSI #%u", what, i);
	is_int(got_addr, addr, "%s: with the address injected", what);
	is_int(got_data, data, "%s: with the data injected", what);
}

/*
 * Program @v's MSI capability at @cap as a guest does: the message
 * (@addr, @data) and 2^@log2_vectors vectors, enabled.
 */
static void msi_program(struct mpt_vdev *v, unsigned int cap, u64 addr,
			u32 data, unsigned int log2_vectors)
{
	unsigned int ctrl = conf_cfg_read(v, cap + 2, 2);
	unsigned int data_off = ctrl & MPT_PCI_MSI_FLAGS_64BIT ? 12 : 8;

	conf_cfg_write(v, cap + 4, 4, (u32)addr);
	if (ctrl & MPT_PCI_MSI_FLAGS_64BIT)
		conf_cfg_write(v, cap + 8, 4, (u32)(addr >> 32));
	conf_cfg_write(v, cap + data_off, 2, data);
	conf_cfg_write(v, cap + 2, 2,
		       (ctrl & ~(u32)MPT_PCI_MSI_FLAGS_QSIZE) |
			       (log2_vectors << 4) | MPT_PCI_MSI_FLAGS_ENABLE);
}

/*
 * The op's precondition holds (the core calls it only for a vector the
 * guest enabled and unmasked): each message is programmed into the MSI
 * capability first, as a guest would, so that a backend delivering per
 * vector (VFIO eventfds bound to irqfds) can find its vector.
 */
static void case_inject_msi(struct mpt_conf *c)
{
	/* Physical and logical destinations, redirection hint, vectors. */
	static const struct { u64 addr; u32 data; } msi[] = {
		{ 0xfee00000ULL, 0x0030 },
		{ 0xfee01000ULL, 0x0041 },
		{ 0xfee0f00cULL, 0x40ef },
		{ 0xfee03008ULL, 0xc0fe },
	};
	struct conf_world w;
	unsigned int i, n0;
	void *h;

	unsigned int cap;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	h = conf_handle(&w, 0);
	cap = conf_msi_cap(w.v[0]);
	if (!cap)
		goto out;
	n0 = msis(&w);
	for (i = 0; i < CONF_ARRAY_SIZE(msi); i++) {
		msi_program(w.v[0], cap, msi[i].addr, msi[i].data, 0);
		is_int(c->ops->inject_msi(h, msi[i].addr, msi[i].data), 0,
		       "inject_msi %#llx/%#x",
		       (unsigned long long)msi[i].addr, msi[i].data);
		if (!c->target->msi_count)
			continue;
		is_int(msis(&w), n0 + i + 1, "exactly one MSI arrived");
		msi_is(&w, n0 + i, msi[i].addr, msi[i].data, "inject_msi");
	}
	if (!c->target->msi_count)
		conf_skip("what the guest received",
			  "the target cannot observe MSIs");
out:
	conf_world_fini(&w);
}

/*
 * The guest programs the device's MSI capability; the core raises vectors
 * through inject_msi, and holds masked ones back until they are unmasked.
 */
static void case_raise_msi(struct mpt_conf *c)
{
	const u64 addr = 0xfee02000ULL;
	const u32 data = 0x4050;
	unsigned int cap, n0, ctrl, data_off, mask_off;
	struct conf_world w;
	struct mpt_vdev *v;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	v = w.v[0];
	cap = conf_msi_cap(v);
	if (!cap)
		goto out;
	ctrl = conf_cfg_read(v, cap + 2, 2);
	data_off = ctrl & MPT_PCI_MSI_FLAGS_64BIT ? 12 : 8;
	mask_off = data_off + 4;
	/* Four vectors: the low two data bits carry the vector number. */
	msi_program(v, cap, addr, data, 2);

	n0 = msis(&w);
	is_int(mpt_vdev_raise_irq(v, 0), 0, "raise vector 0");
	is_int(mpt_vdev_raise_irq(v, 3), 0, "raise vector 3");
	if (c->target->msi_count) {
		is_int(msis(&w), n0 + 2, "two MSIs arrived");
		msi_is(&w, n0, addr, data, "vector 0");
		msi_is(&w, n0 + 1, addr, data | 3, "vector 3");
	}
	if (!(ctrl & MPT_PCI_MSI_FLAGS_MASKBIT)) {
		conf_skip("masked vectors", "no per-vector masking");
		goto out;
	}
	conf_cfg_write(v, cap + mask_off, 4, 1U << 2);
	is_int(mpt_vdev_raise_irq(v, 2), 1, "a masked vector is left pending");
	if (c->target->msi_count)
		is_int(msis(&w), n0 + 2, "and nothing is injected");
	conf_cfg_write(v, cap + mask_off, 4, 0);
	if (c->target->msi_count) {
		is_int(msis(&w), n0 + 3, "unmasking injects it");
		msi_is(&w, n0 + 2, addr, data | 2, "vector 2 after unmask");
	} else {
		conf_skip("what the guest received",
			  "the target cannot observe MSIs");
	}
out:
	conf_world_fini(&w);
}

const struct mpt_conf_case mpt_conf_cases_irq[] = {
	{ "inject_msi: the guest receives exactly the address and data",
	  case_inject_msi },
	{ "inject_msi: MSIs the guest programmed arrive from the core",
	  case_raise_msi },
	{ NULL, NULL },
};
