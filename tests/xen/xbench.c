// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * xbench: what a guest access costs through mpt's device-model paths, in
 * TSC cycles per access, measured by the guest itself (run with
 * --device mgpu, under mpt-xen or mptrun).
 *
 *   unhandled_pio   inb from COM2's LSR (0x2fd), which nobody claims: the
 *                   hypervisor answers it itself on Xen (an exit and back),
 *                   the VMM on KVM.  Not port 0x80: Xen lets HVM guests
 *                   reach it without an exit.
 *   model_pio       inb from COM1's LSR: a round trip to the model
 *                   process (ioreq on Xen, a KVM_EXIT_IO on KVM)
 *   mmio_read       a read of an mgpu register: the round trip through
 *                   the backend and core to the device model
 *   mmio_write      a write of an mgpu scratch register
 *   tracked_write   a store to a write-tracked guest page (the bound
 *                   PPGTT directory): the tracked-write path
 *   plain_write     the same store before the page is tracked
 *
 * Then the rep string forms, which reach a Xen device model as one request
 * whose data lives in guest memory (data_is_ptr): rep outsb to COM1, rep
 * insb from its LSR, rep movsl into the scratch registers and back.
 *
 * One line "xbench: NAME=CYCLES ..." on COM1, then TAP.  Ratios are left
 * to the reader (scripts/xen-tier/dom0/tests/mpt_bench.sh): cycles differ
 * between hosts, ratios much less.
 */
#include "mgpu/mgpu.h"
#include "rt/cpu.h"
#include "rt/div64.h"
#include "rt/io.h"
#include "rt/mem.h"
#include "rt/printf.h"
#include "rt/string.h"
#include "rt/tap.h"

#define VEC_MGPU 0x40
#define N 500

static struct mgpu g;
static volatile uint32_t *pd;

enum { UNHANDLED, MODEL_PIO, MMIO_READ, MMIO_WRITE, PLAIN, TRACKED, NR };
static const char *const names[NR] = {
	"unhandled_pio", "model_pio", "mmio_read", "mmio_write",
	"plain_write", "tracked_write",
};

static void one(int what, uint32_t i)
{
	switch (what) {
	case UNHANDLED:
		(void)inb(0x2fd);
		break;
	case MODEL_PIO:
		(void)inb(0x3fd);
		break;
	case MMIO_READ:
		(void)mgpu_read(&g, MGPU_REG_SCRATCH0);
		break;
	case MMIO_WRITE:
		mgpu_write(&g, MGPU_REG_SCRATCH0, i);
		break;
	default:
		/* Entry 1 stays not present: the device model ignores it. */
		pd[2] = i << 1;
		break;
	}
}

static void rep_outsb(uint16_t port, const void *p, uint32_t n)
{
	__asm__ volatile("cld; rep outsb" : "+S"(p), "+c"(n) : "d"(port) : "memory");
}

static void rep_insb(uint16_t port, void *p, uint32_t n)
{
	__asm__ volatile("cld; rep insb" : "+D"(p), "+c"(n) : "d"(port) : "memory");
}

static void rep_movsl(volatile void *dst, const volatile void *src, uint32_t n)
{
	__asm__ volatile("cld; rep movsl" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
}

/* The rep string forms against COM1 and the mgpu's scratch registers. */
static void rep_checks(void)
{
	static const char line[] = "xbench: rep outsb reached COM1\n";
	uint32_t out[8], back[8], i, same = 1;
	uint8_t lsr[16];

	rep_outsb(0x3f8, line, sizeof(line) - 1);
	memset(lsr, 0, sizeof(lsr));
	rep_insb(0x3fd, lsr, sizeof(lsr));
	for (i = 0; i < sizeof(lsr); i++)
		same &= lsr[i] == 0x60;
	tap_ok(same, "rep insb from COM1's LSR: 16 reads, each 0x60");
	for (i = 0; i < 8; i++)
		out[i] = 0x5a000000u | i;
	rep_movsl((volatile void *)(g.mmio + MGPU_REG_SCRATCH0), out, 8);
	for (i = 0, same = 1; i < 8; i++)
		same &= mgpu_read(&g, MGPU_REG_SCRATCH0 + 4 * i) == out[i];
	tap_ok(same, "rep movsl into 8 scratch registers wrote each one");
	memset(back, 0, sizeof(back));
	rep_movsl(back, (const volatile void *)(g.mmio + MGPU_REG_SCRATCH0), 8);
	tap_ok(!memcmp(back, out, sizeof(out)),
	       "rep movsl from the scratch registers read them back");
}

static uint32_t measure(int what)
{
	uint64_t t0, t;
	uint32_t i;

	one(what, 0); /* warm: first mappings, first lookups */
	t0 = rdtsc();
	for (i = 0; i < N; i++)
		one(what, i);
	t = rdtsc() - t0;
	return (uint32_t)div64_u32(t, N, NULL);
}

int main(void)
{
	uint32_t c[NR];
	int i;

	pd = page_alloc(1);
	if (pci_scan() < 0 || !pd || mgpu_init(&g, 0, VEC_MGPU))
		tap_bail("no usable mgpu");
	for (i = UNHANDLED; i <= PLAIN; i++)
		c[i] = measure(i);
	mgpu_write(&g, MGPU_REG_CTX_PD, virt_to_phys((void *)pd));
	c[TRACKED] = measure(TRACKED);
	mgpu_write(&g, MGPU_REG_CTX_PD, 0);
	printf("xbench: iterations=%u", N);
	for (i = 0; i < NR; i++)
		printf(" %s=%u", names[i], c[i]);
	printf("\n");
	/* Which path costs more is the host's verdict: KVM here emulates
	 * 32-bit guests, so even plain stores are slow there. */
	tap_ok(c[UNHANDLED] && c[MODEL_PIO] && c[MMIO_READ] && c[TRACKED],
	       "every path was timed");
	tap_ok(pd[2] == (N - 1) << 1, "tracked stores reached guest memory");
	rep_checks();
	tap_done_testing();
}
