// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mpt_vdev_msi_vector() (core/irq.c): the vector of an MSI message, as a
 * backend with one channel per vector (VFIO eventfds) needs it in its
 * inject_msi op.  Multi-message MSI puts the vector in the data's low
 * bits; MSI-X is looked up in the table.  Every message the core injects
 * maps back to the vector raised.
 */
#include "fixture.h"
#include "tap.h"

#define MSI_ADDR 0xfee00000U
#define MSI_DATA 0x4020U /* low 5 bits clear: room for 32 vectors */
#define MSI_CTRL(cap) ((cap) + 2)
#define MSIX_CTRL(cap) ((cap) + 2)
#define ENTRY(i, word) ((u64)(i) * 16 + (word) * 4)

static unsigned int find_cap(struct fx *fx, unsigned int id)
{
	unsigned int p = fx_cfg_read(fx, MPT_PCI_CAPABILITY_LIST, 1);
	int guard = 48;

	while (p && guard--) {
		if (fx_cfg_read(fx, p, 1) == id)
			return p;
		p = fx_cfg_read(fx, p + 1, 1);
	}
	return 0;
}

static void msix_write(struct fx *fx, unsigned int i, unsigned int word,
		       u32 v)
{
	mpt_sim_guest_access(fx->g, MPT_SPACE_MMIO, FX_BAR2_GPA + ENTRY(i, word),
			     &v, 4, true);
}

static void test_disabled(void)
{
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	is_int(mpt_vdev_msi_vector(fx.vdev, MSI_ADDR, MSI_DATA), -ENOENT,
	       "neither MSI nor MSI-X enabled: -ENOENT");
	fx_teardown(&fx);
}

static void test_msi_single(struct fx *fx, unsigned int cap)
{
	fx_cfg_write(fx, cap + 4, 4, MSI_ADDR);
	fx_cfg_write(fx, cap + 8, 4, 0);
	fx_cfg_write(fx, cap + 12, 2, MSI_DATA | 1);
	fx_cfg_write(fx, MSI_CTRL(cap), 2, MPT_PCI_MSI_FLAGS_ENABLE);
	is_int(mpt_vdev_msi_vector(fx->vdev, MSI_ADDR, MSI_DATA | 1), 0,
	       "one vector: the programmed message is vector 0");
	is_int(mpt_vdev_msi_vector(fx->vdev, MSI_ADDR, MSI_DATA), -ENOENT,
	       "one vector: no data bit is the vector's");
	is_int(mpt_vdev_msi_vector(fx->vdev, MSI_ADDR + 0x1000, MSI_DATA | 1),
	       -ENOENT, "another address: -ENOENT");
	is_int(mpt_vdev_msi_vector(fx->vdev, (u64)1 << 32 | MSI_ADDR,
				   MSI_DATA | 1),
	       -ENOENT, "the upper address dword counts");
	is_int(mpt_vdev_msi_vector(fx->vdev, MSI_ADDR, 0x10000 | MSI_DATA | 1),
	       -ENOENT, "data beyond 16 bits: -ENOENT");
}

static void test_msi_multi(struct fx *fx, unsigned int cap)
{
	unsigned int v, ok = 0;

	fx_cfg_write(fx, cap + 12, 2, MSI_DATA);
	fx_cfg_write(fx, MSI_CTRL(cap), 2, MPT_PCI_MSI_FLAGS_ENABLE | 2 << 4);
	for (v = 0; v < 4; v++)
		ok += mpt_vdev_msi_vector(fx->vdev, MSI_ADDR, MSI_DATA | v) ==
		      (int)v;
	is_int(ok, 4, "4 vectors enabled: data low 2 bits are the vector");
	is_int(mpt_vdev_msi_vector(fx->vdev, MSI_ADDR, MSI_DATA | 4), -ENOENT,
	       "a third data bit is not a vector: -ENOENT");
	fx_cfg_write(fx, MSI_CTRL(cap), 2, MPT_PCI_MSI_FLAGS_ENABLE | 1 << 4);
	is_int(mpt_vdev_msi_vector(fx->vdev, MSI_ADDR, MSI_DATA | 1), 1,
	       "2 vectors enabled: vector 1");
	is_int(mpt_vdev_msi_vector(fx->vdev, MSI_ADDR, MSI_DATA | 2), -ENOENT,
	       "2 vectors enabled: data bit 1 is not a vector");
}

/* What the core injects for each vector maps back to it. */
static void test_msi_round_trip(struct fx *fx, unsigned int cap)
{
	unsigned int v, ok = 0;

	fx_cfg_write(fx, MSI_CTRL(cap), 2, MPT_PCI_MSI_FLAGS_ENABLE | 2 << 4);
	for (v = 0; v < 4; v++) {
		unsigned int n = mpt_sim_msi_count(fx->g);
		u64 addr = 0;
		u32 data = 0;

		if (mpt_vdev_raise_irq(fx->vdev, v) ||
		    mpt_sim_msi_count(fx->g) != n + 1)
			continue;
		mpt_sim_msi_get(fx->g, n, &addr, &data);
		ok += mpt_vdev_msi_vector(fx->vdev, addr, data) == (int)v;
	}
	is_int(ok, 4, "each injected MSI maps back to the vector raised");
	fx_cfg_write(fx, MSI_CTRL(cap), 2, 2 << 4);
	is_int(mpt_vdev_msi_vector(fx->vdev, MSI_ADDR, MSI_DATA), -ENOENT,
	       "MSI disabled again: -ENOENT");
}

static void test_msi(void)
{
	unsigned int cap;
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	cap = find_cap(&fx, MPT_PCI_CAP_ID_MSI);
	test_msi_single(&fx, cap);
	test_msi_multi(&fx, cap);
	test_msi_round_trip(&fx, cap);
	fx_teardown(&fx);
}

static void test_msix(void)
{
	unsigned int cap, i;
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	fx_enable_bars(&fx);
	cap = find_cap(&fx, MPT_PCI_CAP_ID_MSIX);
	for (i = 0; i < 3; i++) {
		msix_write(&fx, i, 0, 0xfee00000 + i * 0x1000);
		msix_write(&fx, i, 1, 0);
		msix_write(&fx, i, 2, 0x40 + i);
	}
	msix_write(&fx, 7, 0, 0xfee01000);
	msix_write(&fx, 7, 2, 0x41);
	is_int(mpt_vdev_msi_vector(fx.vdev, 0xfee01000, 0x41), -ENOENT,
	       "MSI-X programmed but not enabled: -ENOENT");
	fx_cfg_write(&fx, MSIX_CTRL(cap), 2, MPT_PCI_MSIX_FLAGS_ENABLE);
	is_int(mpt_vdev_msi_vector(fx.vdev, 0xfee02000, 0x42), 2,
	       "MSI-X: the entry holding the message");
	is_int(mpt_vdev_msi_vector(fx.vdev, 0xfee01000, 0x41), 1,
	       "MSI-X: the first of two entries with one message");
	is_int(mpt_vdev_msi_vector(fx.vdev, 0xfee01000, 0x40), -ENOENT,
	       "MSI-X: address of one entry, data of another: -ENOENT");
	fx_teardown(&fx);
}

int main(void)
{
	test_disabled();
	test_msi();
	test_msix();
	return done_testing();
}
