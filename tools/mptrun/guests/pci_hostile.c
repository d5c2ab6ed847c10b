// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * pci_hostile: a guest that attacks mptrun's PCI bus rather than the
 * device behind it (guest/hostile.c does that): BAR0 moved over guest RAM,
 * over the LAPIC and to the top of 4 GiB, accesses straddling its end,
 * decoding switched off, misaligned and absent configuration accesses, an
 * MSI pointed outside the LAPICs' window, MSI toggled in a storm and asked
 * for more vectors than the device has.  mptrun must survive every one
 * and the device must work afterwards.  TAP on COM1; run with one mgpu,
 * --device mgpu (the userspace backend) or --vfio (mptrun forwards to a
 * VFIO device: tools/mptrun/vfio_pci.c, vfio_irq.c).
 */
#include <mptrun_abi.h>

#include "mgpu/mgpu.h"
#include "rt/io.h"
#include "rt/pci.h"
#include "rt/tap.h"
#include "rt/tsc.h"

#define VEC_MGPU 0x40
#define RAM_SPOT 0x02000000u /* 32 MiB: inside --mem 64, 2 MiB aligned */
#define LAPIC_VERSION 0x30
#define STORM 200

static struct mgpu g;

static uint32_t bar0_size(void)
{
	return g.pci->bar[0].size;
}

/* Place BAR0 at @base (decoding stays as it is); registers follow. */
static void move_bar0(uint32_t base)
{
	pci_write32(g.pci, PCI_BAR0, base);
	g.mmio = base;
}

static int device_answers(void)
{
	return mgpu_read(&g, MGPU_REG_ID) == MGPU_ID;
}

/* A submission completes; @irq: and its MSI arrives (or must not). */
static int submission(int irq)
{
	uint32_t before = g.irqs;
	int64_t s = mgpu_submit(&g, NULL, 0, MGPU_SUBMIT_IRQ);

	if (s <= 0 || mgpu_wait(&g, (uint32_t)s, 200000))
		return 0;
	udelay(2000); /* an MSI in flight lands */
	return irq ? g.irqs != before : g.irqs == before;
}

static void test_bar_placement(void)
{
	uint32_t home = g.mmio, size = bar0_size();
	volatile uint32_t *ram = (volatile uint32_t *)RAM_SPOT;
	uint32_t word = *ram;

	move_bar0(0u - size);
	tap_ok(device_answers(), "BAR0 at the top of 4 GiB (%#x): registers answer",
	       0u - size);
	tap_is(mmio_read32(home + MGPU_REG_ID), 0xffffffffu,
	       "its old place reads all ones");

	move_bar0(RAM_SPOT);
	tap_is(*ram, word, "BAR0 over guest RAM: the RAM stays RAM");

	move_bar0(MPTRUN_LAPIC_GPA);
	tap_ok((mmio_read32(MPTRUN_LAPIC_GPA + LAPIC_VERSION) & 0xff) != 0xff,
	       "BAR0 over the LAPIC: the LAPIC still answers");

	move_bar0(home + 0x1000); /* misaligned: the BAR keeps its alignment */
	move_bar0(home);
	tap_ok(device_answers(), "BAR0 back home: registers answer");
	tap_is(mmio_read32(home + size - 2), 0xffffffffu,
	       "a read straddling BAR0's end reads all ones");

	pci_write16(g.pci, PCI_COMMAND,
		    pci_read16(g.pci, PCI_COMMAND) & ~PCI_COMMAND_MEMORY);
	tap_is(mmio_read32(home + MGPU_REG_ID), 0xffffffffu,
	       "memory decoding off: BAR0 reads all ones");
	pci_write16(g.pci, PCI_COMMAND,
		    pci_read16(g.pci, PCI_COMMAND) | PCI_COMMAND_MEMORY);
	tap_ok(device_answers(), "memory decoding on again: registers answer");
}

/* Mechanism #1 by hand, for what the runtime's helpers never do. */
static uint32_t cfg_raw(unsigned int dev, unsigned int fn, unsigned int off,
			unsigned int len)
{
	outl(MPTRUN_PCI_ADDR, 0x80000000u | dev << 11 | fn << 8 | (off & 0xfc));
	if (len == 2)
		return inw(MPTRUN_PCI_DATA + (off & 3));
	if (len == 1)
		return inb(MPTRUN_PCI_DATA + (off & 3));
	return inl(MPTRUN_PCI_DATA);
}

static void test_config(void)
{
	unsigned int dev = g.pci->dev;

	tap_is(cfg_raw(dev, 0, 0x01, 2), 0xffff,
	       "a misaligned word config read: all ones");
	tap_is(cfg_raw(dev, 1, 0x00, 4), 0xffffffffu,
	       "function 1 of the device: absent");
	tap_is(cfg_raw(30, 0, 0x00, 4), 0xffffffffu, "slot 30: absent");
	/* A write the device must refuse: its IDs. */
	outl(MPTRUN_PCI_ADDR, 0x80000000u | dev << 11);
	outl(MPTRUN_PCI_DATA, 0x12345678);
	tap_ok(pci_read16(g.pci, PCI_VENDOR_ID) == g.pci->vendor,
	       "the IDs ignore a write");
}

static void msi_flags(uint16_t set, uint16_t clear)
{
	uint8_t at = g.msi_cap + PCI_MSI_FLAGS;

	pci_write16(g.pci, at, (pci_read16(g.pci, at) & ~clear) | set);
}

static void test_msi(void)
{
	uint8_t lo = g.msi_cap + PCI_MSI_ADDRESS_LO;
	uint32_t addr = pci_read32(g.pci, lo);
	unsigned int i;

	tap_ok(submission(1), "a submission completes with its MSI");
	pci_write32(g.pci, lo, 0x12345000);
	tap_ok(submission(0), "MSI outside the LAPICs' window: dropped, work done");
	pci_write32(g.pci, lo, addr);
	tap_ok(submission(1), "MSI pointed back: it arrives again");

	for (i = 0; i < STORM; i++)
		msi_flags(i & 1 ? PCI_MSI_FLAGS_ENABLE : 0,
			  i & 1 ? 0 : PCI_MSI_FLAGS_ENABLE);
	msi_flags(PCI_MSI_FLAGS_ENABLE, 0);
	tap_ok(submission(1), "after %u MSI enable toggles the MSI arrives", STORM);

	msi_flags(PCI_MSI_FLAGS_QSIZE, 0);
	tap_ok(submission(1), "asking for 128 vectors: the MSI still arrives");
	msi_flags(0, PCI_MSI_FLAGS_QSIZE);
}

int main(void)
{
	if (pci_scan() < 0 || mgpu_init(&g, 0, VEC_MGPU))
		tap_bail("no usable mgpu: %s", g.why ? g.why : "not found");
	test_bar_placement();
	test_config();
	test_msi();
	tap_ok(device_answers() && submission(1),
	       "the device still works: registers and an MSI");
	tap_done_testing();
}
