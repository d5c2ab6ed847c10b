// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * hostile: TAP over a guest that attacks its mgpu.
 *
 * Malformed commands, unmapped and invalid graphics addresses, GGTT
 * entries naming memory that is not the guest's, a batch that calls
 * itself, submissions over the command and pixel budgets, odd-sized and
 * misaligned register accesses, writes to reserved info-page fields and
 * a privileged command (failsafe, then reset), an interrupt storm, bad
 * ring registers.  After each attack the device must still work; with a
 * second mgpu (two --device mgpu), that one must not notice any of it.
 */
#include <mptrun_abi.h>

#include "lib/check.h"
#include "mgpu/mgpu.h"
#include "mgpu/ppgtt.h"
#include "mgpu/pvinfo.h"
#include "rt/err.h"
#include "rt/mem.h"
#include "rt/smp.h"
#include "rt/string.h"
#include "rt/tap.h"
#include "rt/tsc.h"
#include "rt/wait.h"

#define VEC_MGPU0 0x40
#define VEC_MGPU1 0x41
#define CANARY 0x5a5a5a5au

static struct mgpu gpu, other;
static int have_other;
static struct mgpu_bo surf, probe, other_probe, batch_a, batch_b, big;
static uint32_t cmd_mem[4096];
static struct cmdbuf cb;

static struct cmdbuf *cmds(void)
{
	cmdbuf_init(&cb, cmd_mem, sizeof(cmd_mem));
	return &cb;
}

static void refused(uint32_t err, const char *what)
{
	expect_refused(&gpu, cb.dw, cb.len, err, what);
}

/* The end of every attack: the device works, the other one too. */
static void survived(const char *attack)
{
	tap_ok(mgpu_alive(&gpu, &probe), "after %s the device still works",
	       attack);
	if (have_other)
		tap_ok(mgpu_alive(&other, &other_probe),
		       "... and the second mgpu never noticed");
	else
		tap_skip(1, "one mgpu (run with two --device mgpu)");
}

/* A free GA of the owned range: never mapped. */
static uint32_t unmapped_ga(void)
{
	return gpu.ggtt_next + 16 * 4096;
}

/* ---- malformed commands ------------------------------------------------ */

static void test_malformed(void)
{
	const uint32_t bad_op[] = { MGPU_CMD(0x55, 1) };
	const uint32_t short_fill[] = { MGPU_CMD(MGPU_OP_FILL, 4), surf.ga,
					1024, 1 | 1 << 16 };
	const uint32_t zero_len[] = { MGPU_CMD(MGPU_OP_NOOP, 0) };
	const uint32_t long_noop[] = { MGPU_CMD(MGPU_OP_NOOP, 2), 0 };
	const uint32_t cut[] = { MGPU_CMD(MGPU_OP_FILL, MGPU_LEN_FILL),
				 surf.ga, 1024 };
	const uint32_t end_in_ring[] = { MGPU_CMD(MGPU_OP_BATCH_END, 1) };

	px_fill(&surf, 1024, 0, 0, 64, 4, CANARY);
	cmds();
	cmd_fill(&cb, surf.ga, 1024, 64, 4, 0x00111111);
	cmd_raw(&cb, bad_op, 1);
	refused(MGPU_ERR_OPCODE, "an unknown opcode after a valid FILL");
	tap_is(px_check(&surf, 1024, 0, 0, 64, 4, CANARY, "refused fill"), 0,
	       "nothing of the refused submission ran, the FILL before "
	       "the bad command included");
	cmds();
	cmd_raw(&cb, short_fill, 4);
	refused(MGPU_ERR_OPCODE, "FILL with a length of 4");
	cmds();
	cmd_raw(&cb, zero_len, 1);
	refused(MGPU_ERR_OPCODE, "NOOP with a length of 0");
	cmds();
	cmd_raw(&cb, long_noop, 2);
	refused(MGPU_ERR_OPCODE, "NOOP with a length of 2");
	cmds();
	cmd_raw(&cb, cut, 3);
	refused(MGPU_ERR_OPCODE, "a FILL cut by the end of the submission");
	cmds();
	cmd_raw(&cb, end_in_ring, 1);
	refused(MGPU_ERR_OPCODE, "BATCH_END in the ring");
	survived("malformed commands");
}

/* ---- addresses --------------------------------------------------------- */

static void test_addresses(void)
{
	uint32_t hole = unmapped_ga();

	cmds();
	cmd_fill(&cb, hole, 1024, 16, 16, 1);
	refused(MGPU_ERR_ADDRESS, "FILL to an unmapped GA");
	cmds();
	cmd_fill(&cb, gpu.ggtt_next - 1024, 1024, 16, 2, 1);
	refused(MGPU_ERR_ADDRESS, "FILL running off the end of a mapping");
	cmds();
	cmd_fill(&cb, 0x7ffff000, 1024, 16, 1, 1);
	refused(MGPU_ERR_ADDRESS, "FILL beyond the GGTT's span");
	cmds();
	cmd_fill(&cb, 0xfffffff0, 1024, 16, 1, 1);
	refused(MGPU_ERR_ADDRESS, "FILL wrapping the 32-bit address space");
	cmds();
	cmd_blit(&cb, surf.ga, 1024, hole, 1024, 8, 8);
	refused(MGPU_ERR_ADDRESS, "BLIT from an unmapped GA");
	cmds();
	cmd_blit(&cb, hole, 1024, surf.ga, 1024, 8, 8);
	refused(MGPU_ERR_ADDRESS, "BLIT to an unmapped GA");
	cmds();
	cmd_store(&cb, hole, 1);
	refused(MGPU_ERR_ADDRESS, "STORE_DWORD to an unmapped GA");
	cmds();
	cmd_store(&cb, surf.ga + 2, 1);
	refused(MGPU_ERR_ADDRESS, "STORE_DWORD to an unaligned GA");
	cmds();
	cmd_batch_start(&cb, hole);
	refused(MGPU_ERR_ADDRESS, "BATCH_START of an unmapped GA");
	cmds();
	cmd_batch_start(&cb, batch_a.ga + 2);
	refused(MGPU_ERR_ADDRESS, "BATCH_START of an unaligned GA");
	cmds();
	cmd_fill(&cb, surf.ga, 64, 17, 2, 1);
	refused(MGPU_ERR_RECT, "a rectangle wider than its stride");
	survived("unmapped addresses");
}

/* Entries naming what is not the guest's RAM shadow to scratch. */
static void test_bad_entries(void)
{
	static const uint64_t bad[] = {
		0xfee00000ull | MGPU_PTE_VALID, /* the LAPIC */
		0x000ffffffffff000ull | MGPU_PTE_VALID, /* far beyond RAM */
		0, /* filled in: the device's own BAR0 */
		0, /* filled in: just past the end of RAM */
	};
	uint32_t ga = unmapped_ga(), idx = ga >> 12, i;
	uint64_t entries[4];

	memcpy(entries, bad, sizeof(entries));
	entries[2] = gpu.mmio | MGPU_PTE_VALID;
	entries[3] = (mem_ram_end() & ~0xfffull) | MGPU_PTE_VALID;
	for (i = 0; i < 4; i++) {
		mgpu_ggtt_write(&gpu, idx, entries[i]);
		tap_is(mgpu_ggtt_read(&gpu, idx), entries[i],
		       "GGTT entry %#llx reads back as written",
		       (unsigned long long)entries[i]);
		cmds();
		cmd_fill(&cb, ga, 1024, 16, 1, 0x00bad000 + i);
		refused(MGPU_ERR_ADDRESS, "FILL through it (scratch)");
	}
	mgpu_ggtt_write(&gpu, idx, 0);
	tap_is(mmio_read32(gpu.mmio + MGPU_GGTT_OFFSET + MGPU_GGTT_ENTRIES * 8),
	       0xffffffffu, "past the last GGTT entry: unclaimed, all ones");
	mmio_write32(gpu.mmio + MGPU_GGTT_OFFSET + MGPU_GGTT_ENTRIES * 8, 0);
	survived("GGTT entries naming foreign memory");
}

/*
 * Scratch in use: a submission rewrites the PPGTT entry of an address it
 * then reads and writes.  The scanner saw it mapped; at execution the
 * device follows its own write to the table, so the BLIT reads the
 * scratch page (zeroes) and the FILL's writes go nowhere.
 */
#define PP_X 0x20000000u
#define PP_TABLE 0x28000000u
#define PP_DST 0x21000000u

static void test_scratch(void)
{
	static struct mgpu_ppgtt pp;
	uint32_t *victim = page_alloc(1), *dst = page_alloc(1);
	volatile uint64_t *pte;
	uint32_t zero = 0, i;

	if (!victim || !dst || mgpu_ppgtt_init(&pp)) {
		tap_skip(3, "no memory");
		return;
	}
	memset32(victim, 0x00c0ffee, 1024);
	memset32(dst, CANARY, 1024);
	mgpu_ppgtt_map(&pp, PP_X, virt_to_phys(victim), 1);
	mgpu_ppgtt_map(&pp, PP_DST, virt_to_phys(dst), 1);
	pte = mgpu_ppgtt_pte(&pp, PP_X);
	mgpu_ppgtt_map(&pp, PP_TABLE, virt_to_phys(pte) & ~0xfffu, 1);
	mgpu_ppgtt_bind(&gpu, &pp);
	cmds();
	cmd_store(&cb, PP_TABLE + (virt_to_phys(pte) & 0xfff), 0);
	cmd_blit(&cb, PP_DST, 1024, PP_X, 1024, 256, 4);
	cmd_fill(&cb, PP_X, 1024, 256, 4, 0x00dead00);
	tap_ok(!mgpu_run(&gpu, cb.dw, cb.len, 0),
	       "a submission unmapping what it then uses runs");
	for (i = 0; i < 1024; i++)
		zero |= dst[i];
	tap_is(zero, 0, "its BLIT read the scratch page: zeroes");
	tap_is(victim[0], 0x00c0ffee, "its FILL wrote to scratch, not to "
				      "the page that was unmapped");
	mgpu_ppgtt_bind(&gpu, NULL);
}

/* ---- batches ------------------------------------------------------------ */

static void test_runaway(void)
{
	struct cmdbuf a, b;
	uint32_t *p = batch_a.cpu;
	uint32_t i;

	cmdbuf_init(&a, batch_a.cpu, 4096);
	cmd_batch_start(&a, batch_a.ga);
	cmd_batch_end(&a);
	cmds();
	cmd_batch_start(&cb, batch_a.ga);
	refused(MGPU_ERR_DEPTH, "a batch that starts itself");

	cmdbuf_init(&a, batch_a.cpu, 4096);
	cmd_batch_start(&a, batch_b.ga);
	cmd_batch_end(&a);
	cmdbuf_init(&b, batch_b.cpu, 4096);
	cmd_batch_start(&b, batch_a.ga);
	cmd_batch_end(&b);
	cmds();
	cmd_batch_start(&cb, batch_a.ga);
	refused(MGPU_ERR_DEPTH, "two batches starting each other");

	for (i = 0; i < 1024; i++) /* NOOPs to the end of its page */
		p[i] = MGPU_CMD(MGPU_OP_NOOP, 1);
	mgpu_ggtt_write(&gpu, (batch_a.ga >> 12) + 1, 0);
	cmds();
	cmd_batch_start(&cb, batch_a.ga);
	refused(MGPU_ERR_ADDRESS, "a batch with no end, running into an "
				  "unmapped page");
	mgpu_ggtt_write(&gpu, (batch_a.ga >> 12) + 1,
			(virt_to_phys(p) + 4096) | MGPU_PTE_VALID);
	survived("runaway batches");
}

/* Ring -> A: @k x BATCH_START B; B: @n NOOPs.  3 + k(n + 2) commands. */
static void noop_batches(uint32_t k, uint32_t n)
{
	struct cmdbuf a, b;
	uint32_t i;

	cmdbuf_init(&b, batch_b.cpu, batch_b.size);
	for (i = 0; i < n; i++)
		cmd_noop(&b);
	cmd_batch_end(&b);
	cmdbuf_init(&a, batch_a.cpu, batch_a.size);
	for (i = 0; i < k; i++)
		cmd_batch_start(&a, batch_b.ga);
	cmd_batch_end(&a);
	cmds();
	cmd_batch_start(&cb, batch_a.ga);
}

static void test_budget(void)
{
	uint32_t stat0 = mgpu_read(&gpu, MGPU_REG_STAT_CMDS);
	struct cmdbuf a, b;
	uint32_t i;
	int r;

	noop_batches(32, 2045);
	r = mgpu_run(&gpu, cb.dw, cb.len, 0);
	tap_ok(!r && mgpu_read(&gpu, MGPU_REG_STAT_CMDS) - stat0 == 65507,
	       "65507 commands in one submission: within MGPU_MAX_CMDS, run");
	noop_batches(32, 2048);
	refused(MGPU_ERR_BUDGET, "65603 commands in one submission");

	/* 1100 x a FILL of 65536 pixels: 72 M pixels. */
	cmdbuf_init(&b, batch_b.cpu, 4096);
	cmd_fill(&b, big.ga, 4096, 1024, 64, 0x00ff00ff);
	cmd_batch_end(&b);
	cmdbuf_init(&a, batch_a.cpu, batch_a.size);
	for (i = 0; i < 1100; i++)
		cmd_batch_start(&a, batch_b.ga);
	cmd_batch_end(&a);
	cmds();
	cmd_batch_start(&cb, batch_a.ga);
	refused(MGPU_ERR_BUDGET, "72 M pixels of FILL in one submission");
	cmds();
	cmd_fill(&cb, big.ga, 0x40000, 65535, 1025, 1);
	refused(MGPU_ERR_BUDGET, "one FILL of 65535 x 1025 pixels");
	survived("budget overflows");
}

/* ---- register accesses the device does not take ------------------------ */

static void test_odd_mmio(void)
{
	uintptr_t r = gpu.mmio;
	uint32_t s0, s1, cmds0 = mgpu_read(&gpu, MGPU_REG_STAT_CMDS);

	mgpu_write(&gpu, MGPU_REG_SCRATCH0, 0x11223344);
	mgpu_write(&gpu, MGPU_REG_SCRATCH0 + 4, 0x55667788);
	tap_is(mmio_read8(r + MGPU_REG_ID), 0xff, "byte read: all ones");
	tap_is(mmio_read16(r + MGPU_REG_ID), 0xffff, "word read: all ones");
	tap_is(mmio_read32(r + MGPU_REG_ID + 1), 0xffffffffu,
	       "misaligned dword read: all ones");
	mmio_write8(r + MGPU_REG_SCRATCH0, 0xaa);
	mmio_write16(r + MGPU_REG_SCRATCH0 + 2, 0xbbbb);
	mmio_write32(r + MGPU_REG_SCRATCH0 + 2, 0xcccccccc);
	s0 = mgpu_read(&gpu, MGPU_REG_SCRATCH0);
	s1 = mgpu_read(&gpu, MGPU_REG_SCRATCH0 + 4);
	tap_ok(s0 == 0x11223344 && s1 == 0x55667788,
	       "byte, word and misaligned dword writes are ignored");
	mmio_write8(r + MGPU_REG_CTRL, MGPU_CTRL_RESET);
	tap_is(mgpu_read(&gpu, MGPU_REG_SCRATCH0), 0x11223344,
	       "a byte write of CTRL.RESET resets nothing");
	mmio_write16(r + MGPU_REG_RING_TAIL, 0x40);
	tap_is(mgpu_read(&gpu, MGPU_REG_STAT_CMDS), cmds0,
	       "a word write of RING_TAIL submits nothing");
	mmio_write16(r + MGPU_GGTT_OFFSET + (probe.ga >> 12) * 8, 0);
	mmio_write32(r + MGPU_GGTT_OFFSET + (probe.ga >> 12) * 8 + 2, 0);
	tap_is(mgpu_ggtt_read(&gpu, probe.ga >> 12),
	       virt_to_phys(probe.cpu) | MGPU_PTE_VALID,
	       "word and misaligned writes leave a GGTT entry alone");
	tap_is(mmio_read32(r + 0x4000), 0xffffffffu,
	       "BAR0 between registers and info page: all ones");
	survived("odd-sized register accesses");
}

/* ---- failsafe ------------------------------------------------------------ */

static int failsafe(struct mgpu *g)
{
	return !!(mgpu_read(g, MGPU_REG_STATUS) & MGPU_STATUS_FAILSAFE);
}

/* In failsafe: submissions and most writes ignored, reset recovers. */
static void failsafe_then_reset(const char *why)
{
	uint32_t cmds0 = mgpu_read(&gpu, MGPU_REG_STAT_CMDS);
	int64_t s;

	tap_ok(failsafe(&gpu), "%s: STATUS.FAILSAFE", why);
	mgpu_write(&gpu, MGPU_REG_SCRATCH0 + 8, 0x0badf00d);
	s = mgpu_submit(&gpu, NULL, 0, 0);
	tap_ok(s > 0 && mgpu_wait(&gpu, (uint32_t)s, 50000) == -ETIMEDOUT &&
		       mgpu_read(&gpu, MGPU_REG_STAT_CMDS) == cmds0 &&
		       mgpu_read(&gpu, MGPU_REG_SCRATCH0 + 8) != 0x0badf00d,
	       "in failsafe, submissions and register writes are ignored");
	if (have_other)
		tap_ok(!failsafe(&other) && mgpu_alive(&other, &other_probe),
		       "the second mgpu is not in failsafe and works");
	else
		tap_skip(1, "one mgpu (run with two --device mgpu)");
	mgpu_reset(&gpu);
	tap_ok(!failsafe(&gpu) && mgpu_alive(&gpu, &probe),
	       "CTRL.RESET leaves failsafe; reprogrammed, the device works");
}

static void test_pvinfo_reserved(void)
{
	static const uint32_t rsvd[] = { 0x014, 0x100, 0x804, 0x814, 0xffc };
	uint32_t i;

	for (i = 0; i < sizeof(rsvd) / sizeof(rsvd[0]); i++) {
		char why[64];

		mgpu_info_write32(&gpu, rsvd[i], 0xdeadbeef);
		tap_is(mgpu_info_read32(&gpu, rsvd[i]), 0,
		       "reserved info field %#x ignores the write", rsvd[i]);
		snprintf(why, sizeof(why), "reserved info write at %#x",
			 rsvd[i]);
		failsafe_then_reset(why);
	}
	mmio_write8(gpu.mmio + MGPU_PVINFO_OFFSET + 0x7ff, 1);
	failsafe_then_reset("a byte write just below guest_status");
}

static void test_privileged(void)
{
	uint32_t ctrl = mgpu_read(&gpu, MGPU_REG_CTRL);

	cmds();
	cmd_lri(&cb, MGPU_REG_CTRL, 0);
	refused(MGPU_ERR_PRIVILEGED, "LOAD_REGISTER_IMM");
	tap_is(mgpu_read(&gpu, MGPU_REG_CTRL), ctrl,
	       "the register it named is unchanged");
	failsafe_then_reset("a privileged command");
}

/* ---- interrupt storm ----------------------------------------------------- */

static void test_msi_storm(void)
{
	uint32_t n = batch_a.size / 4 - 1, i, before = gpu.irqs;
	uint32_t *p = batch_a.cpu;
	uint64_t t0 = rdtsc();
	int r = 0;

	for (i = 0; i < n; i++)
		p[i] = MGPU_CMD(MGPU_OP_INTERRUPT, MGPU_LEN_INTERRUPT);
	p[n] = MGPU_CMD(MGPU_OP_BATCH_END, MGPU_LEN_BATCH_END);
	for (i = 0; i < 3 && !r; i++) {
		cmds();
		cmd_batch_start(&cb, batch_a.ga);
		r = mgpu_run(&gpu, cb.dw, cb.len, 0);
	}
	tap_ok(!r, "3 submissions of %u INTERRUPT commands each complete", n);
	tap_ok(gpu.irqs > before && gpu.irqs - before <= 3 * n,
	       "the guest took %u MSIs for %u INTERRUPTs, in %llu us",
	       gpu.irqs - before, 3 * n,
	       (unsigned long long)tsc_to_us(rdtsc() - t0));

	/* Many small submissions, each interrupting, none waited for. */
	before = gpu.irqs;
	t0 = rdtsc();
	for (i = 0; i < 2000 && r >= 0; i++) {
		unsigned int how = i & 1 ? MGPU_SUBMIT_DOORBELL : 0;

		r = (int)mgpu_submit(&gpu, NULL, 0, MGPU_SUBMIT_IRQ | how);
	}
	tap_ok(r > 0 && !mgpu_wait(&gpu, (uint32_t)r, MGPU_TIMEOUT_US),
	       "2000 interrupting submissions back to back complete");
	tap_ok(gpu.irqs - before >= 100,
	       "the guest took %u of their MSIs, in %llu us",
	       gpu.irqs - before,
	       (unsigned long long)tsc_to_us(rdtsc() - t0));
	survived("an interrupt storm");
}

/* ---- ring registers ------------------------------------------------------ */

/* Write @reg = @v, submit by RING_TAIL = @tail, expect MGPU_ERR_RING. */
static void ring_refused(uint32_t reg, uint32_t v, uint32_t tail,
			 const char *what)
{
	uint32_t rejected = mgpu_read(&gpu, MGPU_REG_STAT_REJECTED);
	uint32_t cmds0 = mgpu_read(&gpu, MGPU_REG_STAT_CMDS);
	uint32_t *ring = gpu.ring.cpu;
	int was = irq_enabled();

	irq_disable();
	mgpu_ack(&gpu);
	mgpu_ring_program(&gpu);
	ring[0] = MGPU_CMD(MGPU_OP_STORE_DWORD, MGPU_LEN_STORE_DWORD);
	ring[1] = gpu.status.ga + 0x200;
	ring[2] = 0x7e57;
	if (reg)
		mgpu_write(&gpu, reg, v);
	mgpu_write(&gpu, MGPU_REG_RING_TAIL, tail);
	rejected = mgpu_read(&gpu, MGPU_REG_STAT_REJECTED) - rejected;
	tap_ok(mgpu_read(&gpu, MGPU_REG_ERROR) == MGPU_ERR_RING &&
		       (mgpu_read(&gpu, MGPU_REG_STATUS) & MGPU_STATUS_ERROR) &&
		       rejected == 1 &&
		       mgpu_read(&gpu, MGPU_REG_STAT_CMDS) == cmds0,
	       "%s: refused with RING", what);
	mgpu_ack(&gpu);
	if (was)
		irq_enable();
	mgpu_ring_program(&gpu);
}

static int rejected_more(void *arg)
{
	return mgpu_read(&gpu, MGPU_REG_STAT_REJECTED) != *(uint32_t *)arg;
}

/*
 * DOORBELL with TAIL_ADDR = @tail_addr (and @tail stored at the status
 * page's tail slot): refused with RING.  A doorbell may be delivered
 * asynchronously, so wait for the refusal to be counted.
 */
static void doorbell_refused(uint32_t tail_addr, uint32_t tail,
			     const char *what)
{
	uint32_t rejected = mgpu_read(&gpu, MGPU_REG_STAT_REJECTED);
	volatile uint32_t *status = gpu.status.cpu;

	mgpu_ring_program(&gpu);
	mgpu_write(&gpu, MGPU_REG_TAIL_ADDR, tail_addr);
	status[MGPU_STATUS_TAIL / 4] = tail;
	mgpu_write(&gpu, MGPU_REG_DOORBELL, 1);
	tap_ok(!wait_cond(rejected_more, &rejected, 1000000, WAIT_SLEEP) &&
		       mgpu_read(&gpu, MGPU_REG_ERROR) == MGPU_ERR_RING,
	       "%s: refused with RING", what);
	mgpu_ack(&gpu);
	mgpu_ring_program(&gpu);
}

static void test_ring_regs(void)
{
	volatile uint32_t *status = gpu.status.cpu;

	ring_refused(MGPU_REG_RING_SIZE, 5000, 12, "RING_SIZE 5000");
	ring_refused(MGPU_REG_RING_SIZE, 2048, 12, "RING_SIZE 2 KiB");
	ring_refused(MGPU_REG_RING_SIZE, 128 << 10, 12, "RING_SIZE 128 KiB");
	ring_refused(MGPU_REG_RING_SIZE, 0, 12, "RING_SIZE 0");
	ring_refused(MGPU_REG_RING_BASE, gpu.ring.ga + 0x10, 12,
		     "RING_BASE not page aligned");
	ring_refused(MGPU_REG_RING_BASE, unmapped_ga(), 12,
		     "RING_BASE unmapped");
	ring_refused(0, 0, gpu.ring_size + 12, "a tail beyond the ring");
	ring_refused(0, 0, 10, "a tail not dword aligned");
	tap_is(status[0x200 / 4], 0, "none of those ran the ring's STORE");

	doorbell_refused(unmapped_ga(), 0, "DOORBELL with TAIL_ADDR unmapped");
	doorbell_refused(gpu.status.ga + MGPU_STATUS_TAIL + 2, 0,
			 "DOORBELL with TAIL_ADDR not dword aligned");
	doorbell_refused(gpu.status.ga + MGPU_STATUS_TAIL, gpu.ring_size * 2,
			 "DOORBELL reading a tail beyond the ring");
	survived("bad ring registers");
}

int main(void)
{
	if (pci_scan() < 0)
		tap_bail("PCI windows exhausted");
	if (mgpu_init(&gpu, 0, VEC_MGPU0))
		tap_bail("mgpu0: %s", gpu.why);
	have_other = pci_find(MGPU_VENDOR_ID, MGPU_DEVICE_ID, 1) &&
		     !mgpu_init(&other, 1, VEC_MGPU1);
	tap_diag("%s", have_other ? "two mgpus: the second one watches" :
				    "one mgpu");
	if (mgpu_bo_alloc(&gpu, &surf, 64 * 1024) ||
	    mgpu_bo_alloc(&gpu, &probe, 4096) ||
	    mgpu_bo_alloc(&gpu, &batch_a, 3 * 4096) ||
	    mgpu_bo_alloc(&gpu, &batch_b, 3 * 4096) ||
	    mgpu_bo_alloc(&gpu, &big, 256 * 1024) ||
	    (have_other && mgpu_bo_alloc(&other, &other_probe, 4096)))
		tap_bail("out of memory or graphics addresses");
	tap_ok(mgpu_alive(&gpu, &probe), "the device works before the "
					  "attacks");
	test_malformed();
	test_addresses();
	test_bad_entries();
	test_scratch();
	test_runaway();
	test_budget();
	test_odd_mmio();
	test_pvinfo_reserved();
	test_privileged();
	test_msi_storm();
	test_ring_regs();
	tap_diag("%u MSIs handled, %u of them errors", gpu.irqs,
		 gpu.irq_errors);
	tap_done_testing();
}
