// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * A hostile guest: random register, GGTT, page-table, info-page and ring
 * traffic (mostly well-formed enough to get past the first checks), DMA
 * revocations, resets and activation cycles, from one vCPU and then from
 * two at once.  The host must survive (the sanitizer build checks every
 * access), keep the backend contract, give back every pin, and the device
 * must still work after a reset.
 *
 * MGPU_FUZZ_ITERS overrides the number of rounds; the seed is fixed.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "mgpu_fixture.h"
#include "tap.h"

#define PD 0x2800000ULL
#define TABLES 8 /* PD and 7 tables after it */
#define DATA 0x2900000ULL
#define DATA_PAGES 64
#define FB_GA MGX_FREE_GA
#define FB_GPA MGX_FREE_GPA

struct rng {
	u64 s;
};

static u64 rnd(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static u32 pick(struct rng *r, u32 n)
{
	return (u32)(rnd(r) % n);
}

/* Graphics addresses worth trying. */
static u32 any_ga(struct rng *r)
{
	switch (pick(r, 8)) {
	case 0:
		return (u32)rnd(r);
	case 1:
		return (u32)MGPU_GGTT_SPAN - pick(r, 64) * 4;
	case 2:
		return pick(r, 4) << 21 | pick(r, 512) << 12 | pick(r, 4096);
	case 3:
		return MGX_BATCH_GA + pick(r, MGX_BATCH_PAGES * 4096);
	default:
		return FB_GA + pick(r, 0x40000);
	}
}

/* Page-table entries worth trying. */
static u64 any_entry(struct rng *r)
{
	switch (pick(r, 8)) {
	case 0:
		return rnd(r);
	case 1:
		return (MGX_HOLE_GPA + pick(r, 16) * 4096) | MGPU_PTE_VALID;
	case 2:
		return (PD + pick(r, TABLES) * 4096) | MGPU_PTE_VALID;
	case 3:
		return 0;
	default:
		return (DATA + pick(r, DATA_PAGES) * 4096) | MGPU_PTE_VALID;
	}
}

static u32 any_rect(struct rng *r)
{
	if (!pick(r, 16))
		return (u32)rnd(r);
	return pick(r, 64) | pick(r, 64) << 16;
}

static unsigned int any_cmd(struct rng *r, u32 *c)
{
	static const u32 ops[] = {
		MGPU_OP_NOOP,	     MGPU_OP_FILL,	  MGPU_OP_BLIT,
		MGPU_OP_BATCH_START, MGPU_OP_BATCH_END,	  MGPU_OP_STORE_DWORD,
		MGPU_OP_INTERRUPT,   MGPU_OP_STORE_DWORD, MGPU_OP_FILL,
		MGPU_OP_NOOP,	     MGPU_OP_INTERRUPT,	  MGPU_OP_STORE_DWORD,
	};
	unsigned int n;

	switch (ops[pick(r, MPT_ARRAY_SIZE(ops))]) {
	case MGPU_OP_FILL:
		n = cmd_fill(c, any_ga(r), pick(r, 4) ? 256 : (u32)rnd(r), 0,
			     0, (u32)rnd(r));
		c[3] = any_rect(r);
		break;
	case MGPU_OP_BLIT:
		n = cmd_blit(c, any_ga(r), 256, any_ga(r), 256, 0, 0);
		c[5] = any_rect(r);
		break;
	case MGPU_OP_BATCH_START:
		n = cmd_batch(c, any_ga(r) & ~3u);
		break;
	case MGPU_OP_BATCH_END:
		n = cmd_batch_end(c);
		break;
	case MGPU_OP_STORE_DWORD:
		n = cmd_store(c, any_ga(r) & ~3u, (u32)rnd(r));
		break;
	case MGPU_OP_INTERRUPT:
		n = cmd_irq(c);
		break;
	default:
		n = cmd_noop(c);
		break;
	}
	if (!pick(r, 64))
		c[0] = (u32)rnd(r);
	if (!pick(r, 512))
		n = cmd_lri(c, 0, 0);
	return n;
}

static void submit(struct mgx *m, struct rng *r)
{
	u32 c[64];
	unsigned int n = 0, k = 1 + pick(r, 3);

	while (k--)
		n += any_cmd(r, c + n);
	mgx_emit(m, c, n);
	if (pick(r, 4)) {
		mgx_kick(m);
	} else {
		mgx_poke32(m, MGX_TAIL_GPA, m->tail);
		mpt_vdev_doorbell(m->vdev, 0, MGPU_REG_DOORBELL);
	}
	mgx_take_error(m);
}

static void scribble_batch(struct mgx *m, struct rng *r)
{
	u32 c[64];
	unsigned int n = 0, k = 1 + pick(r, 8);

	while (k--)
		n += any_cmd(r, c + n);
	if (pick(r, 2))
		n += cmd_batch_end(c + n);
	mgx_poke(m, MGX_BATCH_GPA + (pick(r, MGX_BATCH_PAGES * 1024 - n) * 4),
		 c, n * 4);
}

static void write_tables(struct mgx *m, struct rng *r)
{
	u64 v[4];
	unsigned int len = 1 + pick(r, 16);
	u64 gpa = PD + pick(r, TABLES) * 4096 + pick(r, 4096 - len + 1);

	v[0] = any_entry(r);
	v[1] = any_entry(r);
	v[2] = any_entry(r);
	v[3] = any_entry(r);
	mgx_poke(m, gpa, v, len);
}

static void write_reg(struct mgx *m, struct rng *r)
{
	static const u32 regs[] = {
		MGPU_REG_CTRL,	     MGPU_REG_IRQ_STATUS,  MGPU_REG_RING_BASE,
		MGPU_REG_RING_SIZE,  MGPU_REG_RING_TAIL,   MGPU_REG_CTX_PD,
		MGPU_REG_TAIL_ADDR,  MGPU_REG_PLANE_BASE,  MGPU_REG_PLANE_WIDTH,
		MGPU_REG_PLANE_HEIGHT, MGPU_REG_PLANE_STRIDE, MGPU_REG_ID,
	};
	u32 off = pick(r, 4) ? regs[pick(r, MPT_ARRAY_SIZE(regs))] :
			       pick(r, 0x400) * 4;
	u32 val = (u32)rnd(r);

	if (off == MGPU_REG_CTX_PD && pick(r, 2))
		val = (u32)(PD + pick(r, TABLES) * 4096);
	if (off == MGPU_REG_CTRL && pick(r, 8))
		val &= ~MGPU_CTRL_RESET;
	mgx_wr(m, off, val);
}

static void write_ggtt(struct mgx *m, struct rng *r)
{
	u32 idx = pick(r, 2) ? pick(r, 0x200) : pick(r, MGPU_GGTT_ENTRIES);
	u64 e = any_entry(r);

	if (pick(r, 2)) {
		u32 half = (u32)e;

		mgx_access(m, MGPU_GGTT_OFFSET + idx * 8ULL + 4 * pick(r, 2),
			   &half, 4, true);
	} else {
		mgx_ggtt_set(m, idx, e);
	}
}

/* Directory entries 0-3 -> tables 1-4, each mapping data pages. */
static void init_tables(struct mgx *m)
{
	u64 *t = calloc(512, 8);
	unsigned int i, k;

	for (k = 1; k <= 4; k++) {
		for (i = 0; i < 512; i++)
			t[i] = (DATA + ((k * 512 + i) % DATA_PAGES) * 4096) |
			       MGPU_PTE_VALID;
		mgx_poke(m, PD + k * 4096, t, 4096);
	}
	memset(t, 0, 4096);
	for (k = 0; k < 4; k++)
		t[k] = (PD + (k + 1) * 4096) | MGPU_PTE_VALID;
	mgx_poke(m, PD, t, 4096);
	free(t);
}

/* Give the guest its ring back now and then, so that submissions run. */
static void restore(struct mgx *m)
{
	mgx_map(m, MGX_RING_GA, MGX_RING_GPA, MGX_RING_SIZE);
	mgx_map(m, MGX_TAIL_GA, MGX_TAIL_GPA, 4096);
	mgx_map(m, MGX_SEQNO_GA, MGX_SEQNO_GPA, 4096);
	mgx_map(m, MGX_BATCH_GA, MGX_BATCH_GPA, MGX_BATCH_PAGES * 4096);
	mgx_map(m, FB_GA, FB_GPA, 0x40000);
	mgx_ring_reset(m);
	mgx_wr(m, MGPU_REG_IRQ_STATUS, ~0u);
}

static void snapshot(struct mgx *m, struct rng *r)
{
	unsigned int w, h;
	u32 *px = NULL;

	mgx_wr(m, MGPU_REG_PLANE_BASE, any_ga(r));
	mgx_wr(m, MGPU_REG_PLANE_WIDTH, pick(r, 128));
	mgx_wr(m, MGPU_REG_PLANE_HEIGHT, pick(r, 128));
	mgx_wr(m, MGPU_REG_PLANE_STRIDE, pick(r, 2048));
	mgx_wr(m, MGPU_REG_PLANE_ENABLE, 1);
	if (!mgpu_snapshot(m->vdev, &px, &w, &h))
		mpt_free(px);
}

static void rare(struct mgx *m, struct rng *r)
{
	u32 v = (u32)rnd(r);

	switch (pick(r, 6)) {
	case 0:
		mgx_access(m, MGPU_PVINFO_OFFSET + pick(r, 1024) * 4, &v, 4,
			   true);
		break;
	case 1:
		mpt_vdev_reset(m->vdev);
		mgx_enable(m);
		break;
	case 2:
		mpt_sim_guest_dma_unmap(m->g,
					(DATA >> 12) + pick(r, DATA_PAGES),
					1 + pick(r, 8));
		break;
	case 3:
		mpt_vdev_deactivate(m->vdev);
		if (mpt_vdev_activate(m->vdev))
			diag("activation failed");
		break;
	case 4:
		snapshot(m, r);
		break;
	default:
		mgx_wr(m, MGPU_REG_CTRL, MGPU_CTRL_RESET);
		break;
	}
	restore(m);
}

static void step(struct mgx *m, struct rng *r)
{
	switch (pick(r, 16)) {
	case 0:
	case 1:
		write_ggtt(m, r);
		break;
	case 2:
	case 3:
		write_reg(m, r);
		break;
	case 4:
	case 5:
	case 6:
		write_tables(m, r);
		break;
	case 7:
		scribble_batch(m, r);
		break;
	case 8:
		if (mgpu_failsafe(m->vdev))
			mgx_wr(m, MGPU_REG_CTRL, MGPU_CTRL_RESET);
		if (!pick(r, 8))
			rare(m, r);
		else
			restore(m);
		mgx_wr(m, MGPU_REG_CTX_PD, pick(r, 2) ? (u32)PD : 0);
		break;
	default:
		submit(m, r);
		break;
	}
}

/* The kernel build (mgpu_test.ko, under TCG) asks for fewer. */
#ifndef MGPU_FUZZ_DEFAULT_ITERS
#define MGPU_FUZZ_DEFAULT_ITERS 20000
#endif

static unsigned int iterations(void)
{
	const char *s = getenv("MGPU_FUZZ_ITERS");

	return s ? (unsigned int)strtoul(s, NULL, 0) : MGPU_FUZZ_DEFAULT_ITERS;
}

static bool works(struct mgx *m)
{
	u32 c[4];
	unsigned int n = cmd_store(c, MGX_SEQNO_GA, 0x600d);

	mgx_wr(m, MGPU_REG_CTRL, MGPU_CTRL_RESET);
	mpt_vdev_reset(m->vdev);
	mgx_enable(m);
	restore(m);
	mgx_poke32(m, MGX_SEQNO_GPA, 0);
	return mgx_run(m, c, n) == 0 && mgx_peek32(m, MGX_SEQNO_GPA) == 0x600d;
}

static void test_one_vcpu(unsigned int iters)
{
	struct rng r = { 0x243f6a8885a308d3ULL };
	struct mgpu_stats s;
	struct mgx m;
	unsigned int i;

	mgx_setup(&m);
	init_tables(&m);
	restore(&m);
	for (i = 0; i < iters; i++)
		step(&m, &r);
	s = mgx_stats(&m);
	diag("%u rounds: %llu submissions, %llu commands run, %llu refused, "
	     "%llu failsafe entries, %llu page-track faults, %llu shadow updates",
	     iters, (unsigned long long)s.submissions,
	     (unsigned long long)s.cmds_executed,
	     (unsigned long long)s.cmds_rejected,
	     (unsigned long long)s.failsafe_entries,
	     (unsigned long long)s.page_track_faults,
	     (unsigned long long)s.shadow_updates);
	ok(s.submissions > iters / 4 && s.cmds_executed && s.cmds_rejected,
	   "the guest got both accepted and refused submissions through");
	ok(works(&m), "the device still works after a reset");
	mgx_teardown(&m);
}

struct vcpu {
	struct mgx *m;
	struct rng r;
	unsigned int iters;
	bool tables_only;
};

static void *vcpu_run(void *arg)
{
	struct vcpu *v = arg;
	unsigned int i;

	for (i = 0; i < v->iters; i++) {
		if (!v->tables_only) {
			submit(v->m, &v->r);
		} else if (pick(&v->r, 4)) {
			write_tables(v->m, &v->r);
		} else {
			write_ggtt(v->m, &v->r);
			if (!pick(&v->r, 64))
				mgx_wr(v->m, MGPU_REG_CTX_PD, (u32)PD);
		}
	}
	return NULL;
}

static void test_two_vcpus(unsigned int iters)
{
	struct mgx m;
	struct vcpu a, b;
	pthread_t ta, tb;

	mgx_setup(&m);
	init_tables(&m);
	restore(&m);
	mgx_wr(&m, MGPU_REG_CTX_PD, (u32)PD);
	a = (struct vcpu){ &m, { 0x13198a2e03707344ULL }, iters, false };
	b = (struct vcpu){ &m, { 0xa4093822299f31d0ULL }, iters, true };
	pthread_create(&ta, NULL, vcpu_run, &a);
	pthread_create(&tb, NULL, vcpu_run, &b);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	ok(mgx_stats(&m).page_track_faults > 0,
	   "tables changed under submissions");
	ok(works(&m), "the device still works after a reset");
	mgx_teardown(&m);
}

int main(void)
{
	unsigned int iters = iterations();

	test_one_vcpu(iters);
	test_two_vcpus(iters / 4);
	return done_testing();
}
