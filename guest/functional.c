// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * functional: TAP over the mgpu device as a driver sees it.
 *
 * Bring-up (BAR, ID, info page, MSI), every register's semantics (RO, RW,
 * W1C, scratch, unused offsets), the GGTT (programming, readback, the
 * device following a changed entry), FILL and BLIT pixel by pixel,
 * seqnos and MSIs (counted by the IDT handler; none when disabled), the
 * DOORBELL path, ring wrap-around, nested batches, a PPGTT changed while
 * in use (by the CPU and by the device itself), the display plane and
 * info-page messages, CTRL.RESET back to the power-on registers, and,
 * with --vcpus 2, both CPUs submitting at once.  On Xen, a page the
 * device has read is given back to Xen and taken again, and the device
 * must then read the new memory behind it (its ioreq server was told to
 * drop its mappings: IOREQ_TYPE_INVALIDATE).
 */
#include <mptrun_abi.h>

#include "lib/check.h"
#include "mgpu/mgpu.h"
#include "mgpu/ppgtt.h"
#include "mgpu/pvinfo.h"
#include "rt/err.h"
#include "rt/mem.h"
#include "rt/smp.h"
#include "rt/spinlock.h"
#include "rt/string.h"
#include "rt/tap.h"
#include "rt/tsc.h"
#include "rt/wait.h"
#include "rt/xen.h"

#define VEC_MGPU 0x40
#define CANARY 0x5a5a5a5au

/* The working surface: 256 x 128 pixels, rows of 1 KiB. */
#define SW 256
#define SH 128
#define SSTRIDE 1024

static struct mgpu gpu;
static struct mgpu_bo surf, packed, page_a, page_b, batch_a, batch_b;
static uint32_t poweron[MGPU_REGS_SIZE / 4];
static uint32_t cmd_mem[4096];
static struct cmdbuf cb;

static struct cmdbuf *cmds(void)
{
	cmdbuf_init(&cb, cmd_mem, sizeof(cmd_mem));
	return &cb;
}

/* Submit what cmds() collected (plus seqno), wait: 0 or an error. */
static int run(unsigned int flags)
{
	return cb.overflow ? -ENOSPC : mgpu_run(&gpu, cb.dw, cb.len, flags);
}

static int bo(struct mgpu_bo *b, uint32_t bytes)
{
	if (mgpu_bo_alloc(&gpu, b, bytes))
		tap_bail("no memory or graphics addresses for %u bytes", bytes);
	return 0;
}

/* ---- bring-up ---------------------------------------------------------- */

static void test_find(void)
{
	int r = mgpu_find(&gpu, 0);

	if (!tap_ok(!r, "an mgpu is on the bus with BAR0 placed"))
		tap_bail("mgpu0: %s", gpu.why);
	tap_diag("mgpu0 at 00:%02x.%x, BAR0 %#x size %#x", gpu.pci->dev,
		 gpu.pci->fn, gpu.pci->bar[0].addr, gpu.pci->bar[0].size);
	tap_is(mgpu_read(&gpu, MGPU_REG_ID), MGPU_ID, "ID reads MGPU_ID");
	tap_is(mgpu_read(&gpu, MGPU_REG_VERSION), MGPU_VERSION,
	       "VERSION reads MGPU_VERSION");
	tap_ok(pci_read16(gpu.pci, PCI_COMMAND) & PCI_COMMAND_MEMORY,
	       "memory decoding is on");
}

static void test_info(void)
{
	int r = mgpu_check_info(&gpu);
	uint32_t i, rsvd = 0;

	if (!tap_ok(!r, "info page checks out"))
		tap_bail("mgpu0: %s", gpu.why);
	tap_is(mgpu_info_read64(&gpu, MPT_PVINFO_OFF_MAGIC), MPT_PVINFO_MAGIC,
	       "info magic is \"mptPVinf\"");
	tap_is(mgpu_info_read32(&gpu, MPT_PVINFO_OFF_VERSION_MAJOR) & 0xffff,
	       MPT_PVINFO_VERSION_MAJOR, "info major version");
	tap_ok(gpu.caps & MGPU_CAP_PPGTT, "caps announce the PPGTT (%#x)",
	       gpu.caps);
	tap_diag("instance %u, minor %u, GGTT range [%#llx, +%#llx)",
		 gpu.instance_id,
		 mgpu_info_read32(&gpu, MPT_PVINFO_OFF_VERSION_MINOR) & 0xffff,
		 (unsigned long long)gpu.ggtt_base,
		 (unsigned long long)gpu.ggtt_size);
	tap_ok(gpu.ggtt_size >= (1u << 20), "the guest owns at least 1 MiB of "
					     "GGTT addresses");
	for (i = 0x14; i < MPT_PVINFO_OFF_RANGES; i += 4)
		rsvd |= mgpu_info_read32(&gpu, i);
	for (i = MPT_PVINFO_OFF_RANGES + MPT_PVINFO_NR_RANGES * 16;
	     i < MPT_PVINFO_OFF_GUEST_STATUS; i += 4)
		rsvd |= mgpu_info_read32(&gpu, i);
	tap_is(rsvd, 0, "reserved info fields read 0");
}

static void test_msi(void)
{
	uint8_t cap;
	uint16_t flags;

	if (!tap_ok(!mgpu_setup_msi(&gpu, VEC_MGPU, 0),
		    "MSI capability found in the capability list"))
		tap_bail("mgpu0: %s", gpu.why);
	cap = gpu.msi_cap;
	flags = pci_read16(gpu.pci, cap + PCI_MSI_FLAGS);
	tap_ok(flags & PCI_MSI_FLAGS_ENABLE, "MSI enabled (flags %#x)", flags);
	tap_is(pci_read32(gpu.pci, cap + PCI_MSI_ADDRESS_LO), MPTRUN_LAPIC_GPA,
	       "MSI address: LAPIC, destination 0");
	tap_is(pci_read16(gpu.pci, cap + (flags & PCI_MSI_FLAGS_64BIT ?
						  PCI_MSI_DATA_64 :
						  PCI_MSI_DATA_32)),
	       VEC_MGPU, "MSI data: the vector");
}

/* ---- registers --------------------------------------------------------- */

static void snapshot(uint32_t *regs)
{
	uint32_t off;

	for (off = 0; off < 0x100; off += 4)
		regs[off / 4] = off == MGPU_REG_DOORBELL ?
					0 :
					mgpu_read(&gpu, off);
}

static void test_ro(void)
{
	static const uint32_t ro[] = { MGPU_REG_ID,	  MGPU_REG_VERSION,
				       MGPU_REG_STATUS,	  MGPU_REG_ERROR,
				       MGPU_REG_RING_HEAD, MGPU_REG_STAT_CMDS,
				       MGPU_REG_STAT_REJECTED };
	uint32_t i, changed = 0;

	for (i = 0; i < sizeof(ro) / sizeof(ro[0]); i++) {
		uint32_t before = mgpu_read(&gpu, ro[i]);

		mgpu_write(&gpu, ro[i], ~before);
		if (mgpu_read(&gpu, ro[i]) != before) {
			tap_diag("register %#x changed by a write", ro[i]);
			changed++;
		}
	}
	tap_is(changed, 0, "read-only registers ignore writes");
	tap_ok(mgpu_read(&gpu, MGPU_REG_STATUS) & MGPU_STATUS_IDLE,
	       "STATUS: idle");
	tap_is(mgpu_read(&gpu, MGPU_REG_STATUS) &
		       (MGPU_STATUS_FAILSAFE | MGPU_STATUS_ERROR),
	       0, "STATUS: no failsafe, no error");
}

static int rw_ok(uint32_t reg, uint32_t v, uint32_t expect)
{
	mgpu_write(&gpu, reg, v);
	if (mgpu_read(&gpu, reg) == expect)
		return 1;
	tap_diag("register %#x: wrote %#x, read %#x, expected %#x", reg, v,
		 mgpu_read(&gpu, reg), expect);
	return 0;
}

static void test_rw(void)
{
	static const uint32_t plane[] = {
		MGPU_REG_PLANE_BASE,   MGPU_REG_PLANE_WIDTH,
		MGPU_REG_PLANE_HEIGHT, MGPU_REG_PLANE_STRIDE,
		MGPU_REG_PLANE_FORMAT,
	};
	uint32_t i, bit, ok = 1;
	void *pd = page_alloc(1);

	for (i = 0; i < MGPU_NR_SCRATCH; i++) {
		uint32_t v = 0xa5a5a5a5u ^ (i * 0x1111);

		ok &= rw_ok(MGPU_REG_SCRATCH0 + 4 * i, v, v);
	}
	for (bit = 0; bit < 32; bit++)
		ok &= rw_ok(MGPU_REG_SCRATCH0 + 4 * (bit & 7), 1u << bit,
			    1u << bit);
	tap_ok(ok, "the %u scratch registers hold every bit",
	       MGPU_NR_SCRATCH);
	ok = rw_ok(MGPU_REG_RING_BASE, 0x7000, 0x7000) &
	     rw_ok(MGPU_REG_RING_SIZE, 0x2000, 0x2000) &
	     rw_ok(MGPU_REG_TAIL_ADDR, 0x1234, 0x1234);
	tap_ok(ok, "ring registers read back");
	tap_is(mgpu_read(&gpu, MGPU_REG_RING_HEAD), 0,
	       "programming the ring restarts RING_HEAD at 0");
	ok = 1;
	for (i = 0; i < sizeof(plane) / sizeof(plane[0]); i++)
		ok &= rw_ok(plane[i], 0x100 + i, 0x100 + i) &
		      rw_ok(plane[i], 0, 0);
	ok &= rw_ok(MGPU_REG_PLANE_ENABLE, 0xffffffffu, 1) &
	      rw_ok(MGPU_REG_PLANE_ENABLE, 0, 0);
	tap_ok(ok, "plane registers read back; PLANE_ENABLE keeps bit 0");
	ok = rw_ok(MGPU_REG_CTRL, MGPU_CTRL_IRQ_ENABLE, MGPU_CTRL_IRQ_ENABLE) &
	     rw_ok(MGPU_REG_CTRL, 0, 0);
	tap_ok(ok, "CTRL.IRQ_ENABLE reads back");
	ok = pd && rw_ok(MGPU_REG_CTX_PD, virt_to_phys(pd) | 0x123,
			 virt_to_phys(pd)) &&
	     rw_ok(MGPU_REG_CTX_PD, 0, 0);
	tap_ok(ok, "CTX_PD keeps the page address");
	ok = 1;
	for (i = 0x0f0; i < 0x1000; i += 0x308) {
		mgpu_write(&gpu, i & ~3u, 0xffffffffu);
		ok &= mgpu_read(&gpu, i & ~3u) == 0;
	}
	tap_ok(ok, "unused register offsets read 0 and ignore writes");
	tap_is(mgpu_read(&gpu, MGPU_REG_DOORBELL), 0, "DOORBELL reads 0");
}

/* ---- memory the device reaches ---------------------------------------- */

static void test_ggtt(void)
{
	uint32_t idx = gpu.ggtt_next >> 12, ga;
	volatile uint32_t *a = page_a.cpu, *b = page_b.cpu;

	tap_is(mgpu_ggtt_read(&gpu, surf.ga >> 12),
	       virt_to_phys(surf.cpu) | MGPU_PTE_VALID,
	       "a programmed GGTT entry reads back");
	tap_is(mgpu_ggtt_read(&gpu, idx), 0, "an unused GGTT entry reads 0");
	mgpu_ggtt_write(&gpu, idx, 0x000abcdef0123001ull);
	tap_is(mgpu_ggtt_read(&gpu, idx), 0x000abcdef0123001ull,
	       "GGTT entries read back as written, high half too");
	mgpu_ggtt_write(&gpu, idx, 0);

	ga = mgpu_ggtt_map(&gpu, virt_to_phys(page_a.cpu), 1);
	cmds();
	cmd_store(&cb, ga + 16, 0xcafe0001);
	tap_ok(!run(0) && a[4] == 0xcafe0001,
	       "STORE_DWORD lands in the page the GGTT maps");
	mgpu_ggtt_write(&gpu, ga >> 12, virt_to_phys(page_b.cpu) | 1);
	cmds();
	cmd_store(&cb, ga + 16, 0xcafe0002);
	tap_ok(!run(0) && b[4] == 0xcafe0002 && a[4] == 0xcafe0001,
	       "after the entry changes the device follows it");
	mgpu_ggtt_write(&gpu, ga >> 12, 0);
	cmds();
	cmd_store(&cb, ga + 16, 0xcafe0003);
	expect_refused(&gpu, cb.dw, cb.len, MGPU_ERR_ADDRESS,
		       "STORE_DWORD through an invalidated entry");
	mgpu_ggtt_write(&gpu, ga >> 12, virt_to_phys(page_a.cpu) | 1);
}

static void test_fill(void)
{
	uint32_t bad;

	px_fill(&surf, SSTRIDE, 0, 0, SW, SH, CANARY);
	cmds();
	cmd_fill(&cb, surf.ga + 5 * SSTRIDE + 10 * 4, SSTRIDE, 100, 20,
		 0xff112233);
	tap_ok(!run(0), "FILL completes");
	bad = px_check(&surf, SSTRIDE, 10, 5, 100, 20, 0xff112233, "fill");
	tap_is(bad, 0, "FILL: every pixel of the rectangle, all 32 bits");
	bad = px_check(&surf, SSTRIDE, 9, 4, 102, 1, CANARY, "above") +
	      px_check(&surf, SSTRIDE, 9, 25, 102, 1, CANARY, "below") +
	      px_check(&surf, SSTRIDE, 9, 5, 1, 20, CANARY, "left") +
	      px_check(&surf, SSTRIDE, 110, 5, 1, 20, CANARY, "right");
	tap_is(bad, 0, "FILL: nothing outside the rectangle");

	cmds();
	cmd_fill(&cb, surf.ga + 30 * SSTRIDE, SSTRIDE, SW, 90, 0x00abcdef);
	cmd_fill(&cb, packed.ga, 256, 64, 64, 0x00123456);
	cmd_fill(&cb, surf.ga, SSTRIDE, 0, 5, 0x00ffffff);
	cmd_fill(&cb, surf.ga, SSTRIDE, 5, 0, 0x00ffffff);
	tap_ok(!run(0), "multi-page, packed and empty FILLs complete");
	tap_is(px_check(&surf, SSTRIDE, 0, 30, SW, 90, 0x00abcdef, "rows") +
		       px_check(&packed, 256, 0, 0, 64, 64, 0x00123456,
				"packed"),
	       0, "FILL across 23 pages and a packed FILL are exact");
	tap_is(*px(&surf, SSTRIDE, 0, 0), CANARY,
	       "zero-width and zero-height FILLs draw nothing");
}

static void test_blit(void)
{
	uint32_t x, y, bad = 0;

	px_fill(&surf, SSTRIDE, 0, 0, SW, SH, CANARY);
	for (y = 0; y < 40; y++)
		for (x = 0; x < 60; x++)
			*px(&surf, SSTRIDE, 3 + x, 2 + y) =
				y << 16 | x << 4 | 7;
	cmds();
	cmd_blit(&cb, surf.ga + 50 * SSTRIDE + 130 * 4, SSTRIDE,
		 surf.ga + 2 * SSTRIDE + 3 * 4, SSTRIDE, 60, 40);
	cmd_blit(&cb, packed.ga, 240, surf.ga + 2 * SSTRIDE + 3 * 4, SSTRIDE,
		 60, 40);
	tap_ok(!run(0), "BLITs complete");
	for (y = 0; y < 40; y++)
		for (x = 0; x < 60; x++) {
			uint32_t want = y << 16 | x << 4 | 7;

			bad += *px(&surf, SSTRIDE, 130 + x, 50 + y) != want;
			bad += *px(&packed, 240, x, y) != want;
		}
	tap_is(bad, 0, "BLIT copies every pixel, to another stride too");
	bad = px_check(&surf, SSTRIDE, 129, 49, 62, 1, CANARY, "above") +
	      px_check(&surf, SSTRIDE, 129, 90, 62, 1, CANARY, "below") +
	      px_check(&surf, SSTRIDE, 129, 50, 1, 40, CANARY, "left") +
	      px_check(&surf, SSTRIDE, 190, 50, 1, 40, CANARY, "right");
	tap_is(bad, 0, "BLIT: nothing outside the destination");
}

/* ---- guest memory given back and taken again (Xen) --------------------- */

/* A 4 KiB buffer as 256 x 4 pixels. */
#define PAGE_W 256
#define PAGE_H 4
#define PAGE_STRIDE 1024

static int copy_page_a_to_b(uint32_t want)
{
	int err;

	px_fill(&page_b, PAGE_STRIDE, 0, 0, PAGE_W, PAGE_H, CANARY);
	cmds();
	cmd_blit(&cb, page_b.ga, PAGE_STRIDE, page_a.ga, PAGE_STRIDE, PAGE_W,
		 PAGE_H);
	err = run(0);
	if (err) {
		tap_diag("BLIT page_a -> page_b: %s", err_name(err));
		return -1;
	}
	return px_check(&page_b, PAGE_STRIDE, 0, 0, PAGE_W, PAGE_H, want,
			"page_b") ?
		       -1 :
		       0;
}

static void test_balloon(void)
{
	uint32_t gfn = virt_to_phys(page_a.cpu) / RT_PAGE_SIZE;

	if (!xen_present()) {
		tap_skip(4, "not on Xen (balloon hypercalls)");
		return;
	}
	px_fill(&page_a, PAGE_STRIDE, 0, 0, PAGE_W, PAGE_H, 0x11111111);
	tap_ok(!copy_page_a_to_b(0x11111111),
	       "the device copies a page of guest memory (now mapped in dom0)");
	tap_ok(!xen_page_give_back(gfn),
	       "the page goes back to Xen (XENMEM_decrease_reservation)");
	tap_ok(!xen_page_take(gfn),
	       "fresh memory comes back at its address (populate_physmap)");
	px_fill(&page_a, PAGE_STRIDE, 0, 0, PAGE_W, PAGE_H, 0x22222222);
	tap_ok(!copy_page_a_to_b(0x22222222),
	       "the device reads the new memory, not the page given back");
}

/* ---- completion, interrupts, submission paths ------------------------- */

struct irq_wait {
	uint32_t want;
};

static int irqs_reached(void *arg)
{
	return gpu.irqs >= ((struct irq_wait *)arg)->want;
}

static void test_seqno_msi(void)
{
	struct irq_wait w = { gpu.irqs + 5 };
	uint32_t i, before, ok = 1;
	int64_t s;

	for (i = 0; i < 5; i++) {
		cmds();
		cmd_fill(&cb, surf.ga, SSTRIDE, 8, 1, i);
		ok &= !run(MGPU_SUBMIT_IRQ);
	}
	tap_ok(ok, "five submissions complete by seqno");
	tap_is(mgpu_seqno_done(&gpu), gpu.seqno,
	       "the status page holds the last seqno");
	tap_ok(!wait_cond(irqs_reached, &w, 200000, WAIT_SLEEP),
	       "five MSIs reach the IDT handler (%u)", gpu.irqs);
	tap_ok(gpu.irq_bits & MGPU_IRQ_COMPLETE,
	       "the handler saw IRQ_STATUS.COMPLETE");
	tap_is(mgpu_read(&gpu, MGPU_REG_IRQ_STATUS), 0,
	       "the handler's W1C acknowledged it");

	mgpu_write(&gpu, MGPU_REG_CTRL, 0);
	before = gpu.irqs;
	s = mgpu_submit(&gpu, NULL, 0, MGPU_SUBMIT_IRQ);
	tap_ok(s > 0 && !mgpu_wait(&gpu, (uint32_t)s, MGPU_TIMEOUT_US),
	       "with IRQ_ENABLE off the work still completes");
	udelay(20000);
	tap_is(gpu.irqs, before, "... and no MSI arrives");
	tap_is(mgpu_read(&gpu, MGPU_REG_IRQ_STATUS), MGPU_IRQ_COMPLETE,
	       "IRQ_STATUS.COMPLETE is set");
	mgpu_write(&gpu, MGPU_REG_IRQ_STATUS, MGPU_IRQ_ERROR);
	tap_is(mgpu_read(&gpu, MGPU_REG_IRQ_STATUS), MGPU_IRQ_COMPLETE,
	       "W1C of another bit leaves it");
	mgpu_write(&gpu, MGPU_REG_IRQ_STATUS, MGPU_IRQ_COMPLETE);
	tap_is(mgpu_read(&gpu, MGPU_REG_IRQ_STATUS), 0, "W1C clears it");
	mgpu_write(&gpu, MGPU_REG_CTRL, MGPU_CTRL_IRQ_ENABLE);
}

static void msi_enable(int on)
{
	uint8_t off = gpu.msi_cap + PCI_MSI_FLAGS;
	uint16_t f = pci_read16(gpu.pci, off);

	pci_write16(gpu.pci, off, on ? f | PCI_MSI_FLAGS_ENABLE :
				      f & ~PCI_MSI_FLAGS_ENABLE);
}

static void test_msi_disable(void)
{
	uint32_t before = gpu.irqs;
	struct irq_wait w;
	int64_t s;

	msi_enable(0);
	s = mgpu_submit(&gpu, NULL, 0, MGPU_SUBMIT_IRQ);
	tap_ok(s > 0 && !mgpu_wait(&gpu, (uint32_t)s, MGPU_TIMEOUT_US),
	       "with MSI disabled in config space the work completes");
	udelay(20000);
	tap_is(gpu.irqs, before, "... and no MSI arrives");
	mgpu_ack(&gpu);
	msi_enable(1);
	w.want = before + 1;
	s = mgpu_submit(&gpu, NULL, 0, MGPU_SUBMIT_IRQ);
	tap_ok(s > 0 && !mgpu_wait(&gpu, (uint32_t)s, MGPU_TIMEOUT_US) &&
		       !wait_cond(irqs_reached, &w, 200000, WAIT_SLEEP),
	       "re-enabled, the next INTERRUPT arrives");
}

static void test_doorbell(void)
{
	uint32_t i, ok = 1;
	int64_t s = 0;

	cmds();
	cmd_fill(&cb, surf.ga, SSTRIDE, 16, 1, 0x00d00b01);
	tap_ok(!run(MGPU_SUBMIT_DOORBELL), "a DOORBELL submission completes");
	tap_is(*px(&surf, SSTRIDE, 15, 0), 0x00d00b01, "... and drew");
	tap_is(mgpu_read(&gpu, MGPU_REG_RING_TAIL), gpu.tail,
	       "RING_TAIL latched the tail read from TAIL_ADDR");
	tap_ok(!mgpu_wait_idle(&gpu, MGPU_TIMEOUT_US),
	       "RING_HEAD caught up with the tail");
	for (i = 0; i < 32 && s >= 0; i++) {
		cmds();
		cmd_fill(&cb, surf.ga + 4 * SSTRIDE, SSTRIDE, 16, 1, i);
		s = mgpu_submit(&gpu, cb.dw, cb.len,
				i & 1 ? MGPU_SUBMIT_DOORBELL : 0);
	}
	ok = s > 0 && !mgpu_wait(&gpu, (uint32_t)s, MGPU_TIMEOUT_US);
	tap_ok(ok && *px(&surf, SSTRIDE, 0, 4) == 31,
	       "32 submissions mixing DOORBELL and RING_TAIL, waited once");
}

static void test_wrap(void)
{
	uint32_t i, wraps = 0, prev = gpu.tail;
	int64_t s = 0;

	for (i = 0; i < 1500 && s >= 0; i++) {
		cmds();
		cmd_fill(&cb, surf.ga + 6 * SSTRIDE + (i % 64) * 4, SSTRIDE, 1,
			 1, i);
		cmd_noop(&cb);
		s = mgpu_submit(&gpu, cb.dw, cb.len, 0);
		wraps += gpu.tail < prev;
		prev = gpu.tail;
	}
	tap_ok(s > 0 && !mgpu_wait(&gpu, (uint32_t)s, MGPU_TIMEOUT_US),
	       "1500 submissions of 36 bytes complete");
	tap_ok(wraps >= 3, "the ring wrapped %u times, commands straddling "
			   "its end", wraps);
	tap_is(*px(&surf, SSTRIDE, 1499 % 64, 6), 1499, "the last one drew");
}

/* ---- batches ----------------------------------------------------------- */

static void test_batches(void)
{
	volatile uint32_t *status = gpu.status.cpu;
	uint32_t stat0 = mgpu_read(&gpu, MGPU_REG_STAT_CMDS);
	struct cmdbuf a, b;

	px_fill(&surf, SSTRIDE, 0, 0, SW, SH, CANARY);
	cmdbuf_init(&b, batch_b.cpu, 4096);
	cmd_fill(&b, surf.ga + 10 * SSTRIDE, SSTRIDE, 20, 10, 0x000000bb);
	cmd_store(&b, gpu.status.ga + 0x100, 0xb0b0b0b0);
	cmd_batch_end(&b);
	cmdbuf_init(&a, batch_a.cpu, 8192);
	cmd_fill(&a, surf.ga + 30 * SSTRIDE, SSTRIDE, 20, 10, 0x000000aa);
	cmd_batch_start(&a, batch_b.ga);
	cmd_fill(&a, surf.ga + 50 * SSTRIDE, SSTRIDE, 20, 10, 0x00aa00aa);
	cmd_batch_end(&a);
	cmds();
	cmd_batch_start(&cb, batch_a.ga);
	tap_ok(!run(0), "ring -> batch -> batch (depth 2) completes");
	tap_is(px_check(&surf, SSTRIDE, 0, 10, 20, 10, 0xbb, "inner") +
		       px_check(&surf, SSTRIDE, 0, 30, 20, 10, 0xaa, "outer") +
		       px_check(&surf, SSTRIDE, 0, 50, 20, 10, 0xaa00aa,
				"after return"),
	       0, "both batches drew, the outer one after the inner returned");
	tap_is(status[0x100 / 4], 0xb0b0b0b0, "STORE_DWORD inside a batch");
	tap_is(mgpu_read(&gpu, MGPU_REG_STAT_CMDS) - stat0, 9,
	       "STAT_CMDS counted the 9 commands, batch markers included");

	/* A batch whose commands cross from its first page to the next. */
	cmdbuf_init(&a, batch_a.cpu, 8192);
	while (a.len < 1022)
		cmd_noop(&a);
	cmd_fill(&a, surf.ga + 70 * SSTRIDE, SSTRIDE, 20, 10, 0x00cc0000);
	cmd_batch_end(&a);
	cmds();
	cmd_batch_start(&cb, batch_a.ga);
	tap_ok(!run(0) && !px_check(&surf, SSTRIDE, 0, 70, 20, 10, 0xcc0000,
				    "cross-page"),
	       "a command straddling a batch page boundary runs");
}

/* ---- PPGTT ------------------------------------------------------------- */

#define PP_X 0x20000000u /* beyond the GGTT's span: PPGTT only */
#define PP_BATCH 0x30000000u
#define PP_TABLE 0x28000000u /* where the table mapping PP_X is visible */

static int fill_x(uint32_t color)
{
	cmds();
	cmd_fill(&cb, PP_X, 256, 64, 16, color);
	return run(0);
}

static void ppgtt_device_edit(struct mgpu_ppgtt *pp, uint32_t *p1)
{
	volatile uint64_t *pte = mgpu_ppgtt_pte(pp, PP_X);
	uint32_t table = virt_to_phys(pte) & ~0xfffu;
	uint32_t off = virt_to_phys(pte) & 0xfff;

	mgpu_ppgtt_map(pp, PP_TABLE, table, 1);
	cmds();
	cmd_store(&cb, PP_TABLE + off, virt_to_phys(p1) | 1);
	tap_ok(!run(0) && *pte == (virt_to_phys(p1) | 1ull),
	       "STORE_DWORD through the PPGTT rewrote its own entry");
	tap_ok(!fill_x(0x00000444) && p1[0] == 0x444,
	       "the next submission follows the device's edit");
}

static void ppgtt_pde_edit(struct mgpu_ppgtt *pp, uint32_t *p2)
{
	uint64_t *pt2 = page_alloc(1);

	if (!pt2) {
		tap_skip(1, "no memory");
		return;
	}
	pt2[(PP_X >> 12) & 511] = virt_to_phys(p2) | MGPU_PTE_VALID;
	mgpu_ppgtt_set_table(pp, PP_X, pt2);
	tap_ok(!fill_x(0x00000555) && p2[0] == 0x555,
	       "a directory entry changed in place: the new table is used");
}

static void test_ppgtt(void)
{
	static struct mgpu_ppgtt pp;
	uint32_t *p1 = page_alloc(1), *p2 = page_alloc(1);
	struct cmdbuf bb;

	if (!(gpu.caps & MGPU_CAP_PPGTT) || !p1 || !p2 ||
	    mgpu_ppgtt_init(&pp)) {
		tap_skip(10, "no PPGTT capability or no memory");
		return;
	}
	mgpu_ppgtt_map(&pp, PP_X, virt_to_phys(p1), 1);
	mgpu_ppgtt_mirror(&pp, &batch_a);
	tap_ok(!mgpu_ppgtt_bind(&gpu, &pp) &&
		       mgpu_read(&gpu, MGPU_REG_CTX_PD) == virt_to_phys(pp.pd),
	       "PPGTT bound through CTX_PD");
	tap_ok(!fill_x(0x00000111) && p1[0] == 0x111 && p1[1023] == 0x111,
	       "FILL at a PPGTT-only address lands in the mapped page");
	mgpu_ppgtt_set(&pp, PP_X, virt_to_phys(p2) | MGPU_PTE_VALID);
	tap_ok(!fill_x(0x00000222) && p2[0] == 0x222 && p1[0] == 0x111,
	       "PTE changed in the live table: the device follows it");

	cmdbuf_init(&bb, page_a.cpu, 4096);
	cmd_fill(&bb, PP_X, 256, 64, 16, 0x00000333);
	cmd_batch_end(&bb);
	mgpu_ppgtt_map(&pp, PP_BATCH, virt_to_phys(page_a.cpu), 1);
	cmds();
	cmd_batch_start(&cb, PP_BATCH);
	tap_ok(!run(0) && p2[0] == 0x333,
	       "a batch at a PPGTT address runs through the PPGTT");

	ppgtt_device_edit(&pp, p1);
	ppgtt_pde_edit(&pp, p2);

	mgpu_ppgtt_set(&pp, PP_X, 0);
	cmds();
	cmd_fill(&cb, PP_X, 256, 64, 16, 0x00000666);
	expect_refused(&gpu, cb.dw, cb.len, MGPU_ERR_ADDRESS,
		       "FILL through a PTE cleared in place");
	cmds();
	cmd_fill(&cb, surf.ga, SSTRIDE, 4, 1, 0x00000777);
	expect_refused(&gpu, cb.dw, cb.len, MGPU_ERR_ADDRESS,
		       "a GGTT-only address while the PPGTT is bound");
	mgpu_ppgtt_bind(&gpu, NULL);
	tap_ok(mgpu_alive(&gpu, &packed),
	       "unbound: addresses are GGTT addresses again");
}

/* ---- display and info page -------------------------------------------- */

static void test_display(void)
{
	uint32_t magic_lo = mgpu_info_read32(&gpu, MPT_PVINFO_OFF_MAGIC);

	mgpu_plane_show(&gpu, surf.ga, SW, SH, SSTRIDE);
	tap_ok(mgpu_read(&gpu, MGPU_REG_PLANE_BASE) == surf.ga &&
		       mgpu_read(&gpu, MGPU_REG_PLANE_WIDTH) == SW &&
		       mgpu_read(&gpu, MGPU_REG_PLANE_HEIGHT) == SH &&
		       mgpu_read(&gpu, MGPU_REG_PLANE_STRIDE) == SSTRIDE &&
		       mgpu_read(&gpu, MGPU_REG_PLANE_FORMAT) ==
			       MGPU_FORMAT_XRGB8888 &&
		       mgpu_read(&gpu, MGPU_REG_PLANE_ENABLE) == 1,
	       "the display plane is programmed and enabled");
	tap_is(mgpu_info_read32(&gpu, MPT_PVINFO_OFF_G2V_NOTIFY),
	       MGPU_G2V_DISPLAY_READY, "g2v_notify holds DISPLAY_READY");
	tap_is(mgpu_info_read32(&gpu, MPT_PVINFO_OFF_G2V_PAYLOAD), 1,
	       "its payload: plane on");
	mgpu_info_write32(&gpu, MPT_PVINFO_OFF_GUEST_STATUS, 0x600d);
	tap_is(mgpu_info_read32(&gpu, MPT_PVINFO_OFF_GUEST_STATUS), 0x600d,
	       "guest_status is read-write");
	mgpu_info_write32(&gpu, MPT_PVINFO_OFF_MAGIC, ~magic_lo);
	tap_is(mgpu_info_read32(&gpu, MPT_PVINFO_OFF_MAGIC), magic_lo,
	       "a write to the read-only magic is ignored");
	tap_is(mgpu_read(&gpu, MGPU_REG_STATUS) & MGPU_STATUS_FAILSAFE, 0,
	       "... and is no failsafe offence");
}

/* ---- reset ------------------------------------------------------------- */

static void test_reset(void)
{
	uint32_t now[MGPU_REGS_SIZE / 4], off, diff = 0;

	mgpu_write(&gpu, MGPU_REG_SCRATCH0, 0x12345678);
	mgpu_write(&gpu, MGPU_REG_CTRL, MGPU_CTRL_RESET);
	snapshot(now);
	for (off = 0; off < 0x100; off += 4) {
		if (now[off / 4] == poweron[off / 4])
			continue;
		tap_diag("register %#x is %#x after reset, %#x at power-on",
			 off, now[off / 4], poweron[off / 4]);
		diff++;
	}
	tap_is(diff, 0, "CTRL.RESET restores every register to power-on");
	tap_is(mgpu_ggtt_read(&gpu, surf.ga >> 12), 0,
	       "... and empties the GGTT");
	mgpu_restore(&gpu);
	tap_ok(mgpu_alive(&gpu, &packed),
	       "reprogrammed after the reset, the device works");
}

/* ---- two CPUs ---------------------------------------------------------- */

#define SMP_ROUNDS 200

static struct cpu_barrier bar = CPU_BARRIER_INIT;
static volatile uint32_t smp_errors[RT_MAX_CPUS];
static volatile uint32_t smp_go;

static uint8_t seqno_cpu[2 * SMP_ROUNDS + 1]; /* by seqno - smp_base */
static uint32_t smp_base;

/* Each CPU fills its own row, one pixel per round, and waits for it. */
static void smp_work(unsigned int cpu)
{
	uint32_t i, cmd[MGPU_LEN_FILL];
	struct cmdbuf c;
	int64_t s;

	for (i = 0; i < SMP_ROUNDS; i++) {
		cmdbuf_init(&c, cmd, sizeof(cmd));
		cmd_fill(&c, surf.ga + (100 + cpu) * SSTRIDE + (i % SW) * 4,
			 SSTRIDE, 1, 1, cpu << 16 | i);
		s = mgpu_submit(&gpu, c.dw, c.len, cpu ? 0 : MGPU_SUBMIT_IRQ);
		if (s <= 0 || mgpu_wait(&gpu, (uint32_t)s, MGPU_TIMEOUT_US)) {
			smp_errors[cpu]++;
			continue;
		}
		if ((uint32_t)s - smp_base < sizeof(seqno_cpu))
			seqno_cpu[(uint32_t)s - smp_base] = (uint8_t)cpu;
	}
}

/* How often consecutive submissions came from different CPUs. */
static uint32_t interleavings(void)
{
	uint32_t i, n = 0;

	for (i = 2; i < sizeof(seqno_cpu); i++)
		n += seqno_cpu[i] != seqno_cpu[i - 1];
	return n;
}

/*
 * CPU 1 halts until CPU 0 reaches test_smp() and kicks it, then works
 * beside it.  Halted, not polling: the PPGTT tests before make mptrun
 * split memslots, which a running vCPU may not survive.
 */
void ap_main(unsigned int cpu)
{
	if (cpu != 1)
		return;
	smp_sleep_until(&smp_go);
	if (cpu_barrier_wait(&bar, 2, 10000))
		return;
	smp_work(cpu);
	cpu_barrier_wait(&bar, 2, 60000);
}

static void test_smp(void)
{
	uint32_t stat0 = mgpu_read(&gpu, MGPU_REG_STAT_CMDS), i, bad = 0;

	if (smp_wait_cpus(2, 500) < 2) {
		tap_skip(5, "one vCPU (run with --vcpus 2)");
		return;
	}
	px_fill(&surf, SSTRIDE, 0, 100, SW, 2, CANARY);
	smp_base = gpu.seqno;
	smp_kick(1, &smp_go);
	tap_ok(!cpu_barrier_wait(&bar, 2, 10000), "both CPUs start");
	smp_work(0);
	tap_ok(!cpu_barrier_wait(&bar, 2, 60000), "both CPUs finish");
	tap_ok(!smp_errors[0] && !smp_errors[1],
	       "%u submissions from each CPU all completed (%u, %u failed)",
	       SMP_ROUNDS, smp_errors[0], smp_errors[1]);
	for (i = 0; i < SMP_ROUNDS && i < SW; i++) {
		bad += *px(&surf, SSTRIDE, i, 100) != i;
		bad += *px(&surf, SSTRIDE, i, 101) != (1u << 16 | i);
	}
	tap_diag("the CPUs took turns in the ring %u times",
		 interleavings());
	tap_is(bad, 0, "every pixel of both CPUs is there");
	/* CPU 0: FILL, STORE, INTERRUPT; CPU 1: FILL, STORE. */
	tap_is(mgpu_read(&gpu, MGPU_REG_STAT_CMDS) - stat0, 5 * SMP_ROUNDS,
	       "the device ran all %u commands", 5 * SMP_ROUNDS);
}

int main(void)
{
	if (pci_scan() < 0)
		tap_bail("PCI windows exhausted");
	test_find();
	snapshot(poweron);
	test_info();
	test_msi();
	test_ro();
	test_rw();
	if (mgpu_start(&gpu))
		tap_bail("mgpu0: %s", gpu.why);
	bo(&surf, SSTRIDE * SH);
	bo(&packed, 256 * 64);
	bo(&page_a, 4096);
	bo(&page_b, 4096);
	bo(&batch_a, 8192);
	bo(&batch_b, 4096);
	test_ggtt();
	test_fill();
	test_blit();
	test_seqno_msi();
	test_msi_disable();
	test_doorbell();
	test_wrap();
	test_batches();
	test_ppgtt();
	test_display();
	test_balloon();
	test_reset();
	test_smp();
	tap_diag("%u MSIs handled, %u commands run", gpu.irqs,
		 mgpu_read(&gpu, MGPU_REG_STAT_CMDS));
	tap_done_testing();
}
