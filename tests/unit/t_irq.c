// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Interrupts (core/irq.c): MSI and MSI-X as the guest programs them through
 * the configuration space and BAR2, masking and pending bits, precedence,
 * backend failures and reset.
 */
#include "fixture.h"
#include "tap.h"

#define MSI_ADDR 0xfee00000U
#define MSI_DATA 0x4020U
#define MSI_CTRL(cap) ((cap) + 2)
#define MSI_MASK(cap) ((cap) + 16)
#define MSI_PENDING(cap) ((cap) + 20)
#define MSIX_CTRL(cap) ((cap) + 2)
#define ENTRY(i, word) ((u64)(i) * 16 + (word) * 4)
#define PBA_OFF 0x1000

static struct mpt_vdev_stats stats_of(struct fx *fx)
{
	struct mpt_vdev_stats st;

	mpt_vdev_get_stats(fx->vdev, &st);
	return st;
}

static unsigned int msis(struct fx *fx)
{
	return mpt_sim_msi_count(fx->g);
}

/* The last MSI the sim logged; both 0 when there is none. */
static void last_msi(struct fx *fx, u64 *addr, u32 *data)
{
	unsigned int n = msis(fx);

	*addr = 0;
	*data = 0;
	if (n)
		mpt_sim_msi_get(fx->g, n - 1, addr, data);
}

/* Find a capability by walking the list from 0x34; 0 if absent. */
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

static unsigned int msi_setup(struct fx *fx, u32 addr_lo, u32 addr_hi,
			      unsigned int data, unsigned int ctrl)
{
	unsigned int cap = find_cap(fx, MPT_PCI_CAP_ID_MSI);

	fx_cfg_write(fx, cap + 4, 4, addr_lo);
	fx_cfg_write(fx, cap + 8, 4, addr_hi);
	fx_cfg_write(fx, cap + 12, 2, data);
	fx_cfg_write(fx, MSI_CTRL(cap), 2, ctrl);
	return cap;
}

/* MSI-X table and PBA through the guest's view of BAR2. */
static int bar2_rw(struct fx *fx, u64 off, void *v, unsigned int len,
		   bool is_write)
{
	return mpt_sim_guest_access(fx->g, MPT_SPACE_MMIO, FX_BAR2_GPA + off,
				    v, len, is_write);
}

static void msix_write(struct fx *fx, unsigned int i, unsigned int word,
		       u32 v)
{
	bar2_rw(fx, ENTRY(i, word), &v, 4, true);
}

static u32 msix_read(struct fx *fx, unsigned int i, unsigned int word)
{
	u32 v = 0;

	bar2_rw(fx, ENTRY(i, word), &v, 4, false);
	return v;
}

static u32 pba_read(struct fx *fx)
{
	u32 v = 0xdead;

	bar2_rw(fx, PBA_OFF, &v, 4, false);
	return v;
}

static void msix_entry(struct fx *fx, unsigned int i, u32 addr, u32 data,
		       u32 ctrl)
{
	msix_write(fx, i, 0, addr);
	msix_write(fx, i, 1, 0);
	msix_write(fx, i, 2, data);
	msix_write(fx, i, 3, ctrl);
}

static void test_disabled(void)
{
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	is_int(mpt_vdev_raise_irq(fx.vdev, 0), -EAGAIN,
	       "MSI and MSI-X disabled: -EAGAIN");
	is_int(stats_of(&fx).irqs_dropped, 1, "counted as dropped");
	is_int(msis(&fx), 0, "nothing injected");
	is_int(mpt_vdev_raise_irq(fx.vdev, 16), -EINVAL,
	       "vector beyond every capability: -EINVAL");
	is_int(stats_of(&fx).irqs_dropped, 1, "a bad vector is not dropped");
	is_int(stats_of(&fx).irqs_injected, 0, "irqs_injected still 0");
	fx_teardown(&fx);
}

static void test_msi_basic(struct fx *fx)
{
	unsigned int cap;
	u64 addr;
	u32 data;

	cap = msi_setup(fx, MSI_ADDR, 0, MSI_DATA, MPT_PCI_MSI_FLAGS_ENABLE);
	is_int(cap, 0x40, "MSI capability found by walking the list");
	is_int(fx_cfg_read(fx, cap + 4, 4), MSI_ADDR, "MSI address stored");
	is_int(mpt_vdev_raise_irq(fx->vdev, 0), 0, "MSI vector 0 injected");
	is_int(msis(fx), 1, "one MSI logged");
	last_msi(fx, &addr, &data);
	is_int(addr, MSI_ADDR, "MSI address as programmed");
	is_int(data, MSI_DATA, "MSI data as programmed");
	is_int(stats_of(fx).irqs_injected, 1, "irqs_injected counted");
	is_int(mpt_vdev_raise_irq(fx->vdev, 1), -EINVAL,
	       "one vector enabled: vector 1 is -EINVAL");
	is_int(mpt_vdev_raise_irq(fx->vdev, 4), -EINVAL,
	       "vector past the MSI maximum is -EINVAL");
	is_int(msis(fx), 1, "refused vectors injected nothing");
}

static void test_msi_multi(struct fx *fx)
{
	unsigned int cap = find_cap(fx, MPT_PCI_CAP_ID_MSI);
	u64 addr;
	u32 data;

	fx_cfg_write(fx, MSI_CTRL(cap), 2, MPT_PCI_MSI_FLAGS_ENABLE | 2 << 4);
	is_int(mpt_vdev_raise_irq(fx->vdev, 3), 0, "MME=4: vector 3 injected");
	last_msi(fx, &addr, &data);
	is_int(data, MSI_DATA | 3, "vector in the low data bits");
	fx_cfg_write(fx, cap + 12, 2, MSI_DATA | 3);
	mpt_vdev_raise_irq(fx->vdev, 1);
	last_msi(fx, &addr, &data);
	is_int(data, MSI_DATA | 1, "low data bits replaced, not or-ed");
	fx_cfg_write(fx, cap + 12, 2, MSI_DATA);
	fx_cfg_write(fx, MSI_CTRL(cap), 2, MPT_PCI_MSI_FLAGS_ENABLE | 5 << 4);
	is_int(fx_cfg_read(fx, MSI_CTRL(cap), 2) & MPT_PCI_MSI_FLAGS_QSIZE,
	       2 << 4, "MME=32 clamped to the 4 vectors the device has");
	is_int(mpt_vdev_raise_irq(fx->vdev, 3), 0, "clamped: vector 3 works");
	is_int(mpt_vdev_raise_irq(fx->vdev, 4), -EINVAL,
	       "clamped: vector 4 refused");
	fx_cfg_write(fx, MSI_CTRL(cap), 2, 2 << 4);
	is_int(mpt_vdev_raise_irq(fx->vdev, 0), -EAGAIN,
	       "MSI disabled again: -EAGAIN");
}

static void test_msi_mask(struct fx *fx)
{
	unsigned int cap = find_cap(fx, MPT_PCI_CAP_ID_MSI), n;
	u64 pend = stats_of(fx).irqs_pending, addr;
	u32 data;

	fx_cfg_write(fx, MSI_CTRL(cap), 2, MPT_PCI_MSI_FLAGS_ENABLE | 2 << 4);
	fx_cfg_write(fx, MSI_MASK(cap), 4, 0xffffffff);
	is_int(fx_cfg_read(fx, MSI_MASK(cap), 4), 0xf,
	       "only 4 mask bits are writable");
	fx_cfg_write(fx, MSI_MASK(cap), 4, 1 << 2);
	n = msis(fx);
	is_int(mpt_vdev_raise_irq(fx->vdev, 2), 1, "masked vector: returns 1");
	is_int(fx_cfg_read(fx, MSI_PENDING(cap), 4), 1 << 2, "pending bit 2");
	is_int(msis(fx), n, "masked vector not injected");
	is_int(stats_of(fx).irqs_pending, pend + 1, "irqs_pending counted");
	is_int(mpt_vdev_raise_irq(fx->vdev, 2), 1, "raised again: pending");
	fx_cfg_write(fx, MSI_PENDING(cap), 4, 0);
	is_int(fx_cfg_read(fx, MSI_PENDING(cap), 4), 1 << 2,
	       "pending bits are read-only to the guest");
	is_int(mpt_vdev_raise_irq(fx->vdev, 1), 0, "unmasked vector 1 flows");
	n = msis(fx);
	fx_cfg_write(fx, MSI_MASK(cap), 4, 0);
	is_int(msis(fx), n + 1, "unmasking delivers the pending vector once");
	last_msi(fx, &addr, &data);
	is_int(data, MSI_DATA | 2, "delivered with vector 2's data");
	is_int(fx_cfg_read(fx, MSI_PENDING(cap), 4), 0, "pending cleared");
	fx_cfg_write(fx, MSI_MASK(cap), 4, 0);
	is_int(msis(fx), n + 1, "unmasking again delivers nothing");
}

static void test_msi(void)
{
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	test_msi_basic(&fx);
	test_msi_multi(&fx);
	test_msi_mask(&fx);
	fx_teardown(&fx);
}

static void test_msix_table(struct fx *fx)
{
	const u32 mask = MPT_PCI_MSIX_ENTRY_CTRL_MASKBIT;
	unsigned int i, masked = 0;

	for (i = 0; i < 16; i++)
		masked += msix_read(fx, i, 3) == mask;
	is_int(masked, 16, "all 16 MSI-X entries start masked");
	is_int(pba_read(fx), 0, "PBA starts clear");
	msix_entry(fx, 3, 0xfee01000, 0x31, MPT_PCI_MSIX_ENTRY_CTRL_MASKBIT);
	is_int(msix_read(fx, 3, 0), 0xfee01000, "entry 3 address stored");
	is_int(msix_read(fx, 3, 2), 0x31, "entry 3 data stored");
	msix_write(fx, 3, 3, 0xfffffffe);
	is_int(msix_read(fx, 3, 3), 0, "ctrl keeps only the mask bit (clear)");
	msix_write(fx, 3, 3, 0xffffffff);
	is_int(msix_read(fx, 3, 3), 1, "ctrl keeps only the mask bit (set)");
}

static void test_msix_entry_mask(struct fx *fx, unsigned int cap)
{
	unsigned int n = msis(fx);
	u64 addr;
	u32 data;

	is_int(mpt_vdev_raise_irq(fx->vdev, 3), -EAGAIN,
	       "MSI-X programmed but not enabled: -EAGAIN");
	fx_cfg_write(fx, MSIX_CTRL(cap), 2, MPT_PCI_MSIX_FLAGS_ENABLE);
	is_int(mpt_vdev_raise_irq(fx->vdev, 3), 1, "masked entry: pending");
	is_int(pba_read(fx), 1 << 3, "PBA bit 3 set");
	is_int(msis(fx), n, "nothing injected while masked");
	msix_write(fx, 3, 3, 0);
	is_int(msis(fx), n + 1, "unmasking the entry delivers it once");
	last_msi(fx, &addr, &data);
	is_int(addr, 0xfee01000, "delivered to entry 3's address");
	is_int(data, 0x31, "with entry 3's data");
	is_int(pba_read(fx), 0, "PBA bit cleared");
	msix_write(fx, 3, 3, 0);
	is_int(msis(fx), n + 1, "unmasking again delivers nothing");
	is_int(mpt_vdev_raise_irq(fx->vdev, 3), 0, "unmasked entry injects");
	is_int(msis(fx), n + 2, "injected directly");
	is_int(mpt_vdev_raise_irq(fx->vdev, 16), -EINVAL, "vector 16: -EINVAL");
}

static void test_msix_fn_mask(struct fx *fx, unsigned int cap)
{
	unsigned int n = msis(fx);

	fx_cfg_write(fx, MSIX_CTRL(cap), 2,
		     MPT_PCI_MSIX_FLAGS_ENABLE | MPT_PCI_MSIX_FLAGS_MASKALL);
	is_int(mpt_vdev_raise_irq(fx->vdev, 3), 1, "function mask: pending");
	is_int(pba_read(fx), 1 << 3, "PBA bit 3 set under function mask");
	msix_write(fx, 3, 3, 1);
	msix_write(fx, 3, 3, 0);
	is_int(msis(fx), n, "entry unmask under function mask: still held");
	fx_cfg_write(fx, MSIX_CTRL(cap), 2, MPT_PCI_MSIX_FLAGS_ENABLE);
	is_int(msis(fx), n + 1, "clearing the function mask delivers once");
	is_int(pba_read(fx), 0, "PBA cleared");
	fx_cfg_write(fx, MSIX_CTRL(cap), 2, MPT_PCI_MSIX_FLAGS_ENABLE);
	is_int(msis(fx), n + 1, "rewriting control delivers nothing more");
}

static void test_msix_precedence(struct fx *fx, unsigned int cap)
{
	u64 addr;
	u32 data;

	msi_setup(fx, MSI_ADDR, 0, MSI_DATA, MPT_PCI_MSI_FLAGS_ENABLE);
	msix_entry(fx, 0, 0xfee02000, 0x77, 0);
	is_int(mpt_vdev_raise_irq(fx->vdev, 0), 0, "both enabled: injected");
	last_msi(fx, &addr, &data);
	ok(addr == 0xfee02000 && data == 0x77,
	   "MSI-X takes precedence over MSI");
	fx_cfg_write(fx, MSIX_CTRL(cap), 2, 0);
	mpt_vdev_raise_irq(fx->vdev, 0);
	last_msi(fx, &addr, &data);
	ok(addr == MSI_ADDR && data == MSI_DATA,
	   "MSI-X disabled: MSI used again");
}

static void test_msix(void)
{
	unsigned int cap;
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	fx_enable_bars(&fx);
	cap = find_cap(&fx, MPT_PCI_CAP_ID_MSIX);
	is_int(cap, 0x58, "MSI-X capability found by walking the list");
	test_msix_table(&fx);
	test_msix_entry_mask(&fx, cap);
	test_msix_fn_mask(&fx, cap);
	test_msix_precedence(&fx, cap);
	fx_teardown(&fx);
}

static void test_msix_sizes(void)
{
	u64 q = 0x00000000fee03000ULL, r = 0;
	u64 bad = 0;
	u32 v = 0;
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	fx_enable_bars(&fx);
	is_int(bar2_rw(&fx, ENTRY(5, 0), &q, 8, true), 0, "8-byte write");
	is_int(msix_read(&fx, 5, 0), 0xfee03000, "8-byte write: addr_lo");
	is_int(msix_read(&fx, 5, 1), 0, "8-byte write: addr_hi");
	q = 0x55;
	bar2_rw(&fx, ENTRY(5, 2), &q, 8, true);
	is_int(msix_read(&fx, 5, 2), 0x55, "8-byte data+ctrl write: data");
	is_int(msix_read(&fx, 5, 3), 0, "8-byte data+ctrl write: unmasked");
	bar2_rw(&fx, ENTRY(5, 0), &r, 8, false);
	is_int(r, 0xfee03000, "8-byte read of the address");
	bad = stats_of(&fx).bad_accesses;
	is_int(bar2_rw(&fx, ENTRY(5, 0), &v, 2, false), -EINVAL,
	       "2-byte table read refused");
	is_int(v, 0xffff, "2-byte table read returns all ones");
	v = 0x1234;
	bar2_rw(&fx, ENTRY(5, 0), &v, 2, true);
	is_int(msix_read(&fx, 5, 0), 0xfee03000, "2-byte write ignored");
	v = 0;
	is_int(bar2_rw(&fx, ENTRY(5, 0) + 2, &v, 4, false), -EINVAL,
	       "misaligned 4-byte table read refused");
	is_int(v, 0xffffffff, "and returns all ones");
	is_int(stats_of(&fx).bad_accesses - bad, 3, "counted as bad accesses");
	v = 0xffffffff;
	bar2_rw(&fx, PBA_OFF, &v, 4, true);
	is_int(pba_read(&fx), 0, "PBA is read-only to the guest");
	r = 1;
	is_int(bar2_rw(&fx, PBA_OFF, &r, 8, false), 0, "8-byte PBA read");
	is_int(r, 0, "8-byte PBA read value");
	is_int(msis(&fx), 0, "table writes alone inject nothing");
	fx_teardown(&fx);
}

static void test_inject_failure(void)
{
	unsigned int cap;
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	msi_setup(&fx, MSI_ADDR, 0, MSI_DATA, MPT_PCI_MSI_FLAGS_ENABLE);
	mpt_sim_fail_nth(fx.g, MPT_SIM_INJECT_MSI, 1, -EIO);
	is_int(mpt_vdev_raise_irq(fx.vdev, 0), -EIO, "backend error returned");
	is_int(stats_of(&fx).irq_errors, 1, "irq_errors counted");
	is_int(stats_of(&fx).irqs_injected, 0, "not counted as injected");
	is_int(msis(&fx), 0, "nothing logged");
	is_int(mpt_vdev_raise_irq(fx.vdev, 0), 0, "next raise works");
	is_int(msis(&fx), 1, "and is logged");
	cap = find_cap(&fx, MPT_PCI_CAP_ID_MSI);
	fx_cfg_write(&fx, MSI_MASK(cap), 4, 1);
	is_int(mpt_vdev_raise_irq(fx.vdev, 0), 1, "masked: pending");
	mpt_sim_fail_nth(fx.g, MPT_SIM_INJECT_MSI, 1, -EIO);
	fx_cfg_write(&fx, MSI_MASK(cap), 4, 0);
	is_int(stats_of(&fx).irq_errors, 2,
	       "failed delivery on unmask counted too");
	is_int(msis(&fx), 1, "nothing logged for it");
	fx_teardown(&fx);
}

static void test_bad_address(void)
{
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	msi_setup(&fx, 0x12340000, 0, MSI_DATA, MPT_PCI_MSI_FLAGS_ENABLE);
	is_int(mpt_vdev_raise_irq(fx.vdev, 0), -EINVAL,
	       "MSI address outside the APIC window refused");
	is_int(stats_of(&fx).irq_errors, 1, "counted as an irq error");
	msi_setup(&fx, MSI_ADDR, 1, MSI_DATA, MPT_PCI_MSI_FLAGS_ENABLE);
	is_int(mpt_vdev_raise_irq(fx.vdev, 0), -EINVAL,
	       "high address dword set: refused");
	is_int(stats_of(&fx).irq_errors, 2, "counted again");
	is_int(msis(&fx), 0, "nothing reached the guest");
	is_int(mpt_vdev_state(fx.vdev), MPT_VDEV_ACTIVE, "instance still up");
	msi_setup(&fx, 0xfeeff000, 0, MSI_DATA, MPT_PCI_MSI_FLAGS_ENABLE);
	is_int(mpt_vdev_raise_irq(fx.vdev, 0), 0, "top of the window works");
	is_int(msis(&fx), 1, "and is logged");
	fx_teardown(&fx);
}

static void test_not_active(void)
{
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ATTACHED);
	msi_setup(&fx, MSI_ADDR, 0, MSI_DATA, MPT_PCI_MSI_FLAGS_ENABLE);
	is_int(mpt_vdev_raise_irq(fx.vdev, 0), -ENODEV, "ATTACHED: -ENODEV");
	is_int(stats_of(&fx).refused, 1, "counted as refused");
	is_int(mpt_vdev_activate(fx.vdev), 0, "activate");
	is_int(mpt_vdev_raise_irq(fx.vdev, 0), 0, "ACTIVE: injected");
	is_int(mpt_vdev_deactivate(fx.vdev), 0, "deactivate");
	is_int(mpt_vdev_raise_irq(fx.vdev, 0), -ENODEV, "deactivated: -ENODEV");
	is_int(msis(&fx), 1, "only the active raise reached the guest");
	fx_teardown(&fx);
}

/* Leave MSI and MSI-X enabled, each with a pending vector. */
static void dirty_irq_state(struct fx *fx, unsigned int msi,
			    unsigned int msix)
{
	msi_setup(fx, MSI_ADDR, 0, MSI_DATA, MPT_PCI_MSI_FLAGS_ENABLE);
	fx_cfg_write(fx, MSI_MASK(msi), 4, 1);
	mpt_vdev_raise_irq(fx->vdev, 0);
	msix_entry(fx, 2, 0xfee04000, 0x42, 0);
	fx_cfg_write(fx, MSIX_CTRL(msix), 2,
		     MPT_PCI_MSIX_FLAGS_ENABLE | MPT_PCI_MSIX_FLAGS_MASKALL);
	mpt_vdev_raise_irq(fx->vdev, 2);
}

static u32 bar2_read(struct fx *fx, u64 off)
{
	u32 v = 0xdead;

	mpt_vdev_bar_access(fx->vdev, 2, off, &v, 4, false);
	return v;
}

static void test_reset(void)
{
	unsigned int msi, msix;
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	fx_enable_bars(&fx);
	msi = find_cap(&fx, MPT_PCI_CAP_ID_MSI);
	msix = find_cap(&fx, MPT_PCI_CAP_ID_MSIX);
	dirty_irq_state(&fx, msi, msix);
	ok(fx_cfg_read(&fx, MSI_PENDING(msi), 4) == 1 && pba_read(&fx) == 4,
	   "MSI and MSI-X vectors pending before reset");
	is_int(mpt_vdev_reset(fx.vdev), 0, "reset");
	is_int(fx_cfg_read(&fx, MSI_CTRL(msi), 2) & MPT_PCI_MSI_FLAGS_ENABLE, 0,
	       "MSI disabled by reset");
	is_int(fx_cfg_read(&fx, MSI_PENDING(msi), 4), 0, "MSI pending cleared");
	is_int(fx_cfg_read(&fx, MSI_MASK(msi), 4), 0, "MSI mask cleared");
	is_int(fx_cfg_read(&fx, MSIX_CTRL(msix), 2), 15,
	       "MSI-X enable and function mask cleared");
	is_int(bar2_read(&fx, ENTRY(2, 3)), 1, "MSI-X entry masked again");
	is_int(bar2_read(&fx, PBA_OFF), 0, "MSI-X PBA cleared");
	is_int(msis(&fx), 0, "reset delivered nothing");
	is_int(mpt_vdev_raise_irq(fx.vdev, 2), -EAGAIN,
	       "after reset interrupts are disabled");
	fx_teardown(&fx);
}

int main(void)
{
	test_disabled();
	test_msi();
	test_msix();
	test_msix_sizes();
	test_inject_failure();
	test_bad_address();
	test_not_active();
	test_reset();
	return done_testing();
}
