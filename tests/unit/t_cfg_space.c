// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The virtual configuration space (core/cfg_space.c): header fields,
 * read-only and write-1-to-clear bits, BAR sizing, memory and I/O decoding
 * through the backend, the capability list and refused accesses.
 */
#include <string.h>

#include "fixture.h"
#include "tap.h"

#define BAR(n) (MPT_PCI_BAR0 + 4 * (n))
#define MEM MPT_SPACE_MMIO
#define PIO MPT_SPACE_PIO
#define NEW_BAR0_GPA 0xe0100000ULL

static int cfg_rw(struct fx *fx, unsigned int off, unsigned int len,
		  unsigned int *v, bool is_write)
{
	return mpt_vdev_cfg_access(fx->vdev, off, v, len, is_write);
}

static struct mpt_vdev_stats stats_of(struct fx *fx)
{
	struct mpt_vdev_stats st;

	mpt_vdev_get_stats(fx->vdev, &st);
	return st;
}

static bool claimed(struct fx *fx, enum mpt_space space, u64 addr)
{
	return mpt_sim_claimed(fx->g, space, addr);
}

/* A guest MMIO or port access; returns the dispatch result. */
static int guest_rw(struct fx *fx, enum mpt_space space, u64 addr,
		    unsigned int *v, unsigned int len, bool is_write)
{
	return mpt_sim_guest_access(fx->g, space, addr, v, len, is_write);
}

/* Write all ones to a BAR register, read the result, restore it. */
static unsigned int probe_bar(struct fx *fx, unsigned int bar)
{
	unsigned int old = fx_cfg_read(fx, BAR(bar), 4), v;

	fx_cfg_write(fx, BAR(bar), 4, 0xffffffff);
	v = fx_cfg_read(fx, BAR(bar), 4);
	fx_cfg_write(fx, BAR(bar), 4, old);
	return v;
}

static void set_mem_bars(struct fx *fx)
{
	fx_cfg_write(fx, BAR(0), 4, (unsigned int)FX_BAR0_GPA);
	fx_cfg_write(fx, BAR(2), 4, (unsigned int)FX_BAR2_GPA);
	fx_cfg_write(fx, BAR(3), 4, 0);
}

static void test_header(struct fx *fx)
{
	is_int(fx_cfg_read(fx, MPT_PCI_VENDOR_ID, 2), tdev_pci.vendor_id,
	       "vendor id");
	is_int(fx_cfg_read(fx, MPT_PCI_DEVICE_ID, 2), tdev_pci.device_id,
	       "device id");
	is_int(fx_cfg_read(fx, 0, 4), 0x10f01af4, "vendor/device dword");
	is_int(fx_cfg_read(fx, MPT_PCI_REVISION_ID, 1), 2, "revision");
	is_int(fx_cfg_read(fx, MPT_PCI_CLASS_PROG, 1), 0x00, "prog-if");
	is_int(fx_cfg_read(fx, MPT_PCI_CLASS_PROG + 1, 1), 0x80, "subclass");
	is_int(fx_cfg_read(fx, MPT_PCI_CLASS_PROG + 2, 1), 0x03, "base class");
	is_int(fx_cfg_read(fx, MPT_PCI_REVISION_ID, 4), 0x03800002,
	       "class/revision dword");
	is_int(fx_cfg_read(fx, MPT_PCI_SUBSYSTEM_VENDOR_ID, 2), 0x1af4,
	       "subsystem vendor id");
	is_int(fx_cfg_read(fx, MPT_PCI_SUBSYSTEM_ID, 2), 0x0001,
	       "subsystem id");
	is_int(fx_cfg_read(fx, MPT_PCI_HEADER_TYPE, 1), 0, "header type 0");
	is_int(fx_cfg_read(fx, MPT_PCI_INTERRUPT_PIN, 1), 0, "no INTx pin");
	is_int(fx_cfg_read(fx, MPT_PCI_COMMAND, 2), 0, "command is 0 at start");
	is_int(fx_cfg_read(fx, MPT_PCI_STATUS, 2), MPT_PCI_STATUS_CAP_LIST,
	       "status has only the capability-list bit");
}

static void test_read_only(struct fx *fx)
{
	fx_cfg_write(fx, 0, 4, 0x12345678);
	is_int(fx_cfg_read(fx, 0, 4), 0x10f01af4,
	       "vendor/device ignore writes");
	fx_cfg_write(fx, MPT_PCI_REVISION_ID, 4, 0xffffffff);
	is_int(fx_cfg_read(fx, MPT_PCI_REVISION_ID, 4), 0x03800002,
	       "class/revision ignore writes");
	fx_cfg_write(fx, MPT_PCI_SUBSYSTEM_VENDOR_ID, 4, 0);
	is_int(fx_cfg_read(fx, MPT_PCI_SUBSYSTEM_VENDOR_ID, 4), 0x00011af4,
	       "subsystem ids ignore writes");
	fx_cfg_write(fx, MPT_PCI_CAPABILITY_LIST, 1, 0x80);
	is_int(fx_cfg_read(fx, MPT_PCI_CAPABILITY_LIST, 1), 0x40,
	       "capability pointer ignores writes");
	fx_cfg_write(fx, MPT_PCI_HEADER_TYPE, 1, 0x80);
	is_int(fx_cfg_read(fx, MPT_PCI_HEADER_TYPE, 1), 0,
	       "header type ignores writes");
	fx_cfg_write(fx, MPT_PCI_INTERRUPT_PIN, 1, 1);
	is_int(fx_cfg_read(fx, MPT_PCI_INTERRUPT_PIN, 1), 0,
	       "interrupt pin ignores writes");
}

static void test_writable(struct fx *fx)
{
	fx_cfg_write(fx, MPT_PCI_CACHE_LINE_SIZE, 1, 0x10);
	fx_cfg_write(fx, MPT_PCI_LATENCY_TIMER, 1, 0x40);
	fx_cfg_write(fx, MPT_PCI_INTERRUPT_LINE, 1, 0x0b);
	is_int(fx_cfg_read(fx, MPT_PCI_CACHE_LINE_SIZE, 2), 0x4010,
	       "cache line size and latency timer are writable");
	is_int(fx_cfg_read(fx, MPT_PCI_INTERRUPT_LINE, 2), 0x000b,
	       "interrupt line writable, pin not");
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, 0xffff);
	is_int(fx_cfg_read(fx, MPT_PCI_COMMAND, 2),
	       MPT_PCI_COMMAND_IO | MPT_PCI_COMMAND_MEMORY |
		       MPT_PCI_COMMAND_MASTER | MPT_PCI_COMMAND_PARITY |
		       MPT_PCI_COMMAND_SERR | MPT_PCI_COMMAND_INTX_DISABLE,
	       "command keeps only the emulated bits");
	/* Decoding is on but every BAR is at 0: nothing may be claimed. */
	ok(!claimed(fx, MEM, 0) && !claimed(fx, PIO, 0),
	   "BARs at address 0 are not claimed");
	is_int(stats_of(fx).bar_claim_errors, 0, "no claim was attempted");
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, 0);
	is_int(fx_cfg_read(fx, MPT_PCI_COMMAND, 2), 0, "command cleared");
}

static void test_status(struct fx *fx)
{
	fx_cfg_write(fx, MPT_PCI_STATUS, 2, 0xffff);
	is_int(fx_cfg_read(fx, MPT_PCI_STATUS, 2), MPT_PCI_STATUS_CAP_LIST,
	       "writing 1 to W1C bits does not set them, cap bit stays");
	fx_cfg_write(fx, MPT_PCI_STATUS, 2, 0);
	is_int(fx_cfg_read(fx, MPT_PCI_STATUS, 2), MPT_PCI_STATUS_CAP_LIST,
	       "writing 0 to status does not clear the RO cap bit");
	fx_cfg_write(fx, MPT_PCI_COMMAND, 4, 0xffff0000 |
		     MPT_PCI_COMMAND_MASTER);
	is_int(fx_cfg_read(fx, MPT_PCI_COMMAND, 4),
	       MPT_PCI_STATUS_CAP_LIST << 16 | MPT_PCI_COMMAND_MASTER,
	       "dword write: command set, status W1C bits still clear");
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, 0);
}

static void test_bar_sizing(struct fx *fx)
{
	unsigned int lo, hi, v;
	u64 size;

	is_int(fx_cfg_read(fx, BAR(0), 4), 0, "BAR0 starts as 32-bit mem");
	is_int(fx_cfg_read(fx, BAR(2), 4), 0xc, "BAR2 starts 64-bit prefetch");
	is_int(fx_cfg_read(fx, BAR(4), 4), MPT_PCI_BAR_IO, "BAR4 starts as IO");
	v = probe_bar(fx, 0);
	is_int(v, 0xffff0000, "BAR0 sizing reads ~(64K - 1)");
	is_int(~(v & ~0xfU) + 1, 64 << 10, "BAR0 decodes to 64 KiB");
	fx_cfg_write(fx, BAR(2), 4, 0xffffffff);
	fx_cfg_write(fx, BAR(3), 4, 0xffffffff);
	lo = fx_cfg_read(fx, BAR(2), 4);
	hi = fx_cfg_read(fx, BAR(3), 4);
	is_int(lo, 0xfff0000c, "BAR2 low dword: size mask + 64-bit prefetch");
	is_int(hi, 0xffffffff, "BAR2 high dword all writable");
	size = ~(((u64)hi << 32) | (lo & ~0xfU)) + 1;
	is_int(size, 1 << 20, "BAR2 decodes to 1 MiB");
	fx_cfg_write(fx, BAR(2), 4, 0);
	fx_cfg_write(fx, BAR(3), 4, 0);
	v = probe_bar(fx, 4);
	is_int(v & 0xffff, 0xffe1, "BAR4 sizing reads ~(32 - 1) | IO");
	is_int((~(v & ~0x3U) & 0xffff) + 1, 32, "BAR4 decodes 32 ports");
	is_int(probe_bar(fx, 1), 0, "unimplemented BAR1 reads 0");
	is_int(probe_bar(fx, 5), 0, "unimplemented BAR5 reads 0");
	fx_cfg_write(fx, 0x30, 4, 0xffffffff);
	is_int(fx_cfg_read(fx, 0x30, 4), 0, "no expansion ROM BAR");
	is_int(fx_cfg_read(fx, BAR(0), 4), 0, "BAR0 restored");
	is_int(fx_cfg_read(fx, BAR(2), 4), 0xc, "BAR2 restored");
}

static void test_bar_values(struct fx *fx)
{
	fx_cfg_write(fx, BAR(0), 4, 0xe0001234);
	is_int(fx_cfg_read(fx, BAR(0), 4), 0xe0000000,
	       "BAR0 address bits below the size are read-only");
	fx_cfg_write(fx, BAR(2), 4, 0xe1000003);
	is_int(fx_cfg_read(fx, BAR(2), 4), 0xe100000c,
	       "BAR2 type bits survive an address write");
	fx_cfg_write(fx, BAR(4), 4, 0xc00f);
	is_int(fx_cfg_read(fx, BAR(4), 4), 0xc001,
	       "BAR4 port aligned to 32, IO bit kept");
	fx_cfg_write(fx, BAR(0), 4, 0);
	fx_cfg_write(fx, BAR(2), 4, 0);
	fx_cfg_write(fx, BAR(4), 4, 0);
}

static void test_mem_decode_on(struct fx *fx)
{
	unsigned int claims = mpt_sim_op_calls(fx->g, MPT_SIM_CLAIM_AREA);
	unsigned int v = 0xdeadbeef;

	set_mem_bars(fx);
	fx_cfg_write(fx, BAR(4), 4, FX_BAR4_PORT);
	ok(!claimed(fx, MEM, FX_BAR0_GPA), "BAR0 not claimed before MEMORY");
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, MPT_PCI_COMMAND_MEMORY);
	is_int(mpt_sim_op_calls(fx->g, MPT_SIM_CLAIM_AREA) - claims, 2,
	       "enabling MEMORY claims two BARs");
	ok(claimed(fx, MEM, FX_BAR0_GPA) &&
		   claimed(fx, MEM, FX_BAR0_GPA + 0xffff),
	   "BAR0 claimed over its 64 KiB");
	ok(!claimed(fx, MEM, FX_BAR0_GPA + 0x10000), "not past BAR0's end");
	ok(claimed(fx, MEM, FX_BAR2_GPA) &&
		   claimed(fx, MEM, FX_BAR2_GPA + 0xfffff),
	   "BAR2 claimed over its 1 MiB");
	ok(!claimed(fx, PIO, FX_BAR4_PORT), "BAR4 not claimed without IO");
	is_int(guest_rw(fx, MEM, FX_BAR0_GPA + 4, &v, 4, true), 0,
	       "guest write to BAR0 reaches the device");
	is_int(fx->td->regs[1], 0xdeadbeef, "tdev register 1 written");
	v = 0;
	guest_rw(fx, MEM, FX_BAR0_GPA + 4, &v, 4, false);
	is_int(v, 0xdeadbeef, "guest read back through BAR0");
	v = 0;
	guest_rw(fx, MEM, FX_BAR2_GPA + 12, &v, 4, false);
	is_int(v, MPT_PCI_MSIX_ENTRY_CTRL_MASKBIT,
	       "BAR2 reaches the MSI-X table (entry 0 masked)");
	claims = mpt_sim_op_calls(fx->g, MPT_SIM_CLAIM_AREA);
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, MPT_PCI_COMMAND_MEMORY);
	set_mem_bars(fx);
	is_int(mpt_sim_op_calls(fx->g, MPT_SIM_CLAIM_AREA), claims,
	       "rewriting the same values claims nothing again");
}

static void test_mem_decode_off(struct fx *fx)
{
	unsigned int v = 0;

	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, 0);
	ok(!claimed(fx, MEM, FX_BAR0_GPA) && !claimed(fx, MEM, FX_BAR2_GPA),
	   "disabling MEMORY releases BAR0 and BAR2");
	is_int(guest_rw(fx, MEM, FX_BAR0_GPA + 4, &v, 4, false), -ENXIO,
	       "released BAR0 is unclaimed for the guest");
	is_int(v, 0xffffffff, "and reads all ones");
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, MPT_PCI_COMMAND_MEMORY);
	ok(claimed(fx, MEM, FX_BAR0_GPA), "re-enabling claims BAR0 again");
}

static void test_bar_move(struct fx *fx)
{
	unsigned int v = 0;

	fx->td->regs[2] = 0x600d;
	fx_cfg_write(fx, BAR(0), 4, (unsigned int)NEW_BAR0_GPA);
	ok(!claimed(fx, MEM, FX_BAR0_GPA), "moved BAR0: old range released");
	ok(claimed(fx, MEM, NEW_BAR0_GPA), "moved BAR0: new range claimed");
	guest_rw(fx, MEM, NEW_BAR0_GPA + 8, &v, 4, false);
	is_int(v, 0x600d, "device reachable at the new address");
	fx_cfg_write(fx, BAR(2), 4, 0);
	ok(!claimed(fx, MEM, FX_BAR2_GPA), "BAR2 moved to 0: released");
	fx_cfg_write(fx, BAR(3), 4, 1);
	ok(claimed(fx, MEM, 0x100000000ULL),
	   "BAR2 claimed above 4 GiB from its high dword");
	ok(!claimed(fx, MEM, FX_BAR2_GPA), "not at its old address");
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, 0);
	ok(!claimed(fx, MEM, NEW_BAR0_GPA) && !claimed(fx, MEM, 0x100000000ULL),
	   "everything released again");
	set_mem_bars(fx);
}

static void test_io_decode(struct fx *fx)
{
	unsigned int v = 0x5a;

	fx_cfg_write(fx, BAR(4), 4, FX_BAR4_PORT);
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, MPT_PCI_COMMAND_IO);
	ok(claimed(fx, PIO, FX_BAR4_PORT) &&
		   claimed(fx, PIO, FX_BAR4_PORT + 31),
	   "IO decode claims BAR4's 32 ports");
	ok(!claimed(fx, PIO, FX_BAR4_PORT + 32), "not past BAR4's end");
	ok(!claimed(fx, MEM, FX_BAR0_GPA), "memory BARs not claimed by IO");
	is_int(guest_rw(fx, PIO, FX_BAR4_PORT + 3, &v, 1, true), 0,
	       "port write dispatched");
	is_int(fx->td->pio[3], 0x5a, "tdev pio[3] written");
	fx->td->pio[4] = 0x77;
	v = 0;
	guest_rw(fx, PIO, FX_BAR4_PORT + 3, &v, 2, false);
	is_int(v, 0x775a, "2-byte port read");
	fx_cfg_write(fx, BAR(4), 4, 0xffe0);
	ok(claimed(fx, PIO, 0xffff) && !claimed(fx, PIO, FX_BAR4_PORT),
	   "BAR4 moved to the last 32 ports: claimed there");
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, 0);
	ok(!claimed(fx, PIO, 0xffe0), "IO decode off releases BAR4");
}

static void test_claim_failure(struct fx *fx)
{
	u64 errs = stats_of(fx).bar_claim_errors;
	unsigned int v = 0;

	fx_log_capture();
	set_mem_bars(fx);
	mpt_sim_fail_nth(fx->g, MPT_SIM_CLAIM_AREA, 1, -EBUSY);
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, MPT_PCI_COMMAND_MEMORY);
	ok(!claimed(fx, MEM, FX_BAR0_GPA),
	   "failed claim leaves BAR0 undecoded");
	ok(claimed(fx, MEM, FX_BAR2_GPA), "BAR2 still claimed");
	is_int(stats_of(fx).bar_claim_errors, errs + 1,
	       "bar_claim_errors counted once");
	ok(fx_log_has("not decoded"), "the failed claim is logged");
	is_int(guest_rw(fx, MEM, FX_BAR0_GPA, &v, 4, false), -ENXIO,
	       "undecoded BAR0 does not reach the device");
	is_int(fx_cfg_read(fx, MPT_PCI_COMMAND, 2), MPT_PCI_COMMAND_MEMORY,
	       "command register still says MEMORY");
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, MPT_PCI_COMMAND_MEMORY);
	ok(claimed(fx, MEM, FX_BAR0_GPA), "a later command write claims it");
	is_int(stats_of(fx).bar_claim_errors, errs + 1, "no further error");
	fx_cfg_write(fx, MPT_PCI_COMMAND, 2, 0);
	fx_log_release();
}

/* Walk the list from 0x34; fill ids[] and return how many were found. */
static int walk_caps(struct fx *fx, unsigned int *ids, unsigned int *pos,
		     int max)
{
	unsigned int p = fx_cfg_read(fx, MPT_PCI_CAPABILITY_LIST, 1);
	int n = 0;

	while (p && n < max) {
		pos[n] = p;
		ids[n++] = fx_cfg_read(fx, p, 1);
		p = fx_cfg_read(fx, p + 1, 1);
	}
	return p ? -1 : n;
}

static void test_caps(struct fx *fx)
{
	unsigned int ids[8] = { 0 }, pos[8] = { 0 };
	int n = walk_caps(fx, ids, pos, 8);

	ok(fx_cfg_read(fx, MPT_PCI_STATUS, 2) & MPT_PCI_STATUS_CAP_LIST,
	   "status announces a capability list");
	is_int(fx_cfg_read(fx, MPT_PCI_CAPABILITY_LIST, 1), 0x40,
	       "capability pointer at 0x40");
	is_int(n, 2, "two capabilities, list ends with 0");
	is_int(ids[0], MPT_PCI_CAP_ID_MSI, "first is MSI");
	is_int(ids[1], MPT_PCI_CAP_ID_MSIX, "second is MSI-X");
	ok(pos[1] > pos[0] && !(pos[0] & 3) && !(pos[1] & 3),
	   "capabilities dword aligned and in order");
	is_int(fx_cfg_read(fx, pos[0] + 2, 2),
	       MPT_PCI_MSI_FLAGS_64BIT | MPT_PCI_MSI_FLAGS_MASKBIT | 2 << 1,
	       "MSI: 64-bit, per-vector mask, 4 vectors");
	is_int(fx_cfg_read(fx, pos[1] + 2, 2), 15, "MSI-X: 16 vectors");
	is_int(fx_cfg_read(fx, pos[1] + 4, 4), 0x00000002,
	       "MSI-X table at BAR2 + 0");
	is_int(fx_cfg_read(fx, pos[1] + 8, 4), 0x00001002,
	       "MSI-X PBA at BAR2 + 0x1000");
	fx_cfg_write(fx, pos[0], 2, 0xffff);
	fx_cfg_write(fx, pos[1], 2, 0xffff);
	is_int(fx_cfg_read(fx, pos[0], 2), pos[1] << 8 | MPT_PCI_CAP_ID_MSI,
	       "MSI id and next pointer ignore writes");
	is_int(fx_cfg_read(fx, pos[1], 2), MPT_PCI_CAP_ID_MSIX,
	       "MSI-X id and next pointer ignore writes");
	fx_cfg_write(fx, pos[1] + 2, 2, 0x07ff);
	is_int(fx_cfg_read(fx, pos[1] + 2, 2), 15, "MSI-X size is read-only");
	fx_cfg_write(fx, pos[1] + 4, 4, 0x12345678);
	is_int(fx_cfg_read(fx, pos[1] + 4, 4), 2, "table offset is read-only");
}

static void check_bad(struct fx *fx, unsigned int off, unsigned int len,
		      unsigned int want, const char *what)
{
	unsigned int v = 0;

	is_int(cfg_rw(fx, off, len, &v, false), -EINVAL, "%s: -EINVAL", what);
	is_int(v, want, "%s: reads all ones", what);
}

static void test_bad_access(struct fx *fx)
{
	u64 bad = stats_of(fx).bad_accesses;
	unsigned int v = 0xffffffff, old;
	unsigned char buf[8];

	old = fx_cfg_read(fx, MPT_PCI_CACHE_LINE_SIZE, 2);

	check_bad(fx, 0, 3, 0x00ffffff, "3-byte read");
	check_bad(fx, 1, 2, 0x0000ffff, "misaligned 2-byte read");
	check_bad(fx, 2, 4, 0xffffffff, "misaligned 4-byte read");
	check_bad(fx, 0x100, 1, 0x000000ff, "read at 256");
	check_bad(fx, 0x1000, 4, 0xffffffff, "read far past the end");
	check_bad(fx, 0xfffffffc, 4, 0xffffffff, "offset + len wraps");
	memset(buf, 0x5a, sizeof(buf));
	is_int(mpt_vdev_cfg_access(fx->vdev, 0, buf, 8, false), -EINVAL,
	       "8-byte read refused");
	is_int(mpt_vdev_cfg_access(fx->vdev, 0, buf, 0, false), -EINVAL,
	       "0-byte read refused");
	is_int(cfg_rw(fx, MPT_PCI_CACHE_LINE_SIZE, 3, &v, true), -EINVAL,
	       "3-byte write refused");
	is_int(cfg_rw(fx, MPT_PCI_LATENCY_TIMER, 2, &v, true), -EINVAL,
	       "misaligned write refused");
	is_int(fx_cfg_read(fx, MPT_PCI_CACHE_LINE_SIZE, 2), old,
	       "refused writes changed nothing");
	is_int(stats_of(fx).bad_accesses - bad, 10, "bad accesses counted");
	v = 0;
	is_int(cfg_rw(fx, 0xfc, 4, &v, false), 0, "last dword is readable");
}

static void test_device_specific(struct fx *fx)
{
	u64 acc = stats_of(fx).cfg_accesses;
	unsigned int off, nonzero = 0;

	for (off = 0x64; off < MPT_PCI_CFG_SIZE; off += 4) {
		fx_cfg_write(fx, off, 4, 0xffffffff);
		nonzero += fx_cfg_read(fx, off, 4) != 0;
		nonzero += fx_cfg_read(fx, off + 3, 1) != 0;
	}
	is_int(nonzero, 0, "bytes past the capabilities read 0, ignore writes");
	is_int(stats_of(fx).cfg_accesses - acc, 3 * (0x100 - 0x64) / 4,
	       "each access counted in cfg_accesses");
}

static void test_active(void)
{
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	test_header(&fx);
	test_read_only(&fx);
	test_writable(&fx);
	test_status(&fx);
	test_bar_sizing(&fx);
	test_bar_values(&fx);
	test_mem_decode_on(&fx);
	test_mem_decode_off(&fx);
	test_bar_move(&fx);
	test_io_decode(&fx);
	test_claim_failure(&fx);
	test_caps(&fx);
	test_bad_access(&fx);
	test_device_specific(&fx);
	fx_teardown(&fx);
}

static void test_reset(void)
{
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	fx_enable_bars(&fx);
	fx_cfg_write(&fx, MPT_PCI_CACHE_LINE_SIZE, 1, 0x10);
	ok(claimed(&fx, MEM, FX_BAR0_GPA) && claimed(&fx, PIO, FX_BAR4_PORT),
	   "BARs decode before reset");
	is_int(mpt_vdev_reset(fx.vdev), 0, "reset");
	ok(!claimed(&fx, MEM, FX_BAR0_GPA) && !claimed(&fx, MEM, FX_BAR2_GPA) &&
		   !claimed(&fx, PIO, FX_BAR4_PORT),
	   "reset releases every BAR");
	is_int(fx_cfg_read(&fx, MPT_PCI_COMMAND, 2), 0, "command back to 0");
	is_int(fx_cfg_read(&fx, BAR(0), 4), 0, "BAR0 back to 0");
	is_int(fx_cfg_read(&fx, BAR(2), 4), 0xc, "BAR2 back to its flags");
	is_int(fx_cfg_read(&fx, BAR(4), 4), 1, "BAR4 back to its flags");
	is_int(fx_cfg_read(&fx, MPT_PCI_CACHE_LINE_SIZE, 1), 0,
	       "cache line size back to 0");
	is_int(fx_cfg_read(&fx, 0, 4), 0x10f01af4, "identity kept");
	is_int(fx.td->resets, 1, "device reset op ran");
	fx_enable_bars(&fx);
	ok(claimed(&fx, MEM, FX_BAR0_GPA), "BARs can be decoded again");
	fx_teardown(&fx);
}

static void test_not_attached(void)
{
	unsigned int v = 0;
	struct fx fx;

	fx_setup(&fx, MPT_VDEV_CREATED);
	is_int(cfg_rw(&fx, 0, 4, &v, false), -ENODEV, "CREATED: read -ENODEV");
	is_int(v, 0xffffffff, "CREATED: read returns all ones");
	v = MPT_PCI_COMMAND_MEMORY;
	is_int(cfg_rw(&fx, MPT_PCI_COMMAND, 2, &v, true), -ENODEV,
	       "CREATED: write -ENODEV");
	is_int(mpt_vdev_attach(fx.vdev, fx.g), 0, "attach");
	is_int(fx_cfg_read(&fx, MPT_PCI_COMMAND, 2), 0,
	       "the refused write changed nothing");
	is_int(fx_cfg_read(&fx, 0, 2), 0x1af4, "ATTACHED: config reachable");
	fx_enable_bars(&fx);
	ok(claimed(&fx, MEM, FX_BAR0_GPA), "ATTACHED: BARs decode");
	is_int(mpt_vdev_detach(fx.vdev), 0, "detach");
	ok(!claimed(&fx, MEM, FX_BAR0_GPA) && !claimed(&fx, PIO, FX_BAR4_PORT),
	   "detach releases the BARs");
	v = 0;
	is_int(cfg_rw(&fx, 0, 4, &v, false), -ENODEV, "DETACHED: -ENODEV");
	is_int(v, 0xffffffff, "DETACHED: read returns all ones");
	fx_teardown(&fx);
}

int main(void)
{
	test_active();
	test_reset();
	test_not_attached();
	return done_testing();
}
