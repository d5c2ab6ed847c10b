// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The PPGTT shadow: binding through CTX_PD, write-tracking of the
 * directory and of every table it references, the shadow following guest
 * writes made through the sim (whole entries, halves, single bytes, writes
 * across entries), tables shared and dropped, a directory used as a table,
 * device writes to tables, rebinding and unbinding, tracking failure, and
 * guest writes racing with submissions.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "mgpu_fixture.h"
#include "tap.h"

#define PD 0x2800000ULL
#define PT(i) (PD + 0x1000 * (1 + (u64)(i)))
#define DATA(i) (0x2900000ULL + 0x1000 * (u64)(i))
#define GA(pde, pte) (((u32)(pde) << 21) | ((u32)(pte) << 12))

static unsigned int tracks(struct mgx *m, u64 gpa)
{
	return mpt_sim_track_count(m->g, gpa >> 12);
}

static unsigned int pins(struct mgx *m, u64 gpa)
{
	return mpt_sim_pin_count(m->g, gpa >> 12);
}

/* The guest page GA @ga maps to through the shadow, or 0 for scratch. */
static u64 where(struct mgx *m, u64 ga)
{
	u64 gfn, dma;

	return mgpu_debug_ppgtt_shadow(m->vdev, ga, &gfn, &dma) ? gfn << 12 :
								   0;
}

static void set_pde(struct mgx *m, unsigned int i, u64 v)
{
	mgx_poke64(m, PD + 8 * i, v);
}

static void set_pte(struct mgx *m, unsigned int t, unsigned int i, u64 v)
{
	mgx_poke64(m, PT(t) + 8 * i, v);
}

static void zero_tables(struct mgx *m)
{
	void *z = calloc(1, 0x10000);

	mgx_poke(m, PD, z, 0x10000);
	free(z);
}

/* PDE 0 -> PT 0 (4 pages), PDE 1 -> PT 1 (1 page); bound. */
static void build(struct mgx *m)
{
	unsigned int i;

	mgx_wr(m, MGPU_REG_CTX_PD, 0);
	zero_tables(m);
	for (i = 0; i < 4; i++)
		set_pte(m, 0, i, DATA(i) | MGPU_PTE_VALID);
	set_pte(m, 1, 0, DATA(8) | MGPU_PTE_VALID);
	set_pde(m, 0, PT(0) | MGPU_PTE_VALID);
	set_pde(m, 1, PT(1) | MGPU_PTE_VALID);
	mgx_wr(m, MGPU_REG_CTX_PD, (u32)PD);
}

static void test_bind(struct mgx *m)
{
	build(m);
	is_int(tracks(m, PD), 1, "directory write-tracked");
	is_int(tracks(m, PT(0)) + tracks(m, PT(1)), 2, "both tables tracked");
	is_int(tracks(m, DATA(0)), 0, "data pages are not");
	is_int(where(m, GA(0, 0)), DATA(0), "GA 0 -> data page 0");
	is_int(where(m, GA(0, 3) + 0x123), DATA(3), "GA in page 3");
	is_int(where(m, GA(1, 0)), DATA(8), "second table");
	is_int(where(m, GA(0, 4)), 0, "invalid entry: scratch");
	is_int(where(m, GA(2, 0)), 0, "invalid directory entry: scratch");
	is_int(where(m, MGPU_PPGTT_SPAN), 0, "past the PPGTT: nothing");
	is_int(pins(m, DATA(0)) + pins(m, DATA(8)), 2, "data pages pinned");
	is_int(mgx_rd(m, MGPU_REG_CTX_PD), PD, "CTX_PD reads back");
}

static void test_commands(struct mgx *m)
{
	u32 c[16], b[8];
	unsigned int n = 0, nb = 0;

	n += cmd_fill(c + n, GA(0, 1), 4096, 1024, 1, 0xcafe0001);
	n += cmd_store(c + n, GA(1, 0) + 8, 0x5eed);
	is_int(mgx_run(m, c, n), 0, "commands through the PPGTT");
	is_int(mgx_peek32(m, DATA(1) + 0xffc), 0xcafe0001, "FILL landed");
	is_int(mgx_peek32(m, DATA(8) + 8), 0x5eed, "STORE landed");
	nb += cmd_store(b + nb, GA(0, 2), 0xba7c);
	nb += cmd_batch_end(b + nb);
	mgx_poke(m, DATA(3), b, nb * 4);
	n = cmd_batch(c, GA(0, 3));
	is_int(mgx_run(m, c, n), 0, "a batch at a PPGTT address");
	is_int(mgx_peek32(m, DATA(2)), 0xba7c, "ran");
	n = cmd_store(c, GA(0, 4), 1);
	is_int(mgx_run(m, c, n), MGPU_ERR_ADDRESS, "invalid PTE: refused");
	n = cmd_store(c, (u32)MGPU_PPGTT_SPAN, 1);
	is_int(mgx_run(m, c, n), MGPU_ERR_ADDRESS, "past 1 GiB: refused");
	n = cmd_store(c, MGX_SEQNO_GA, 1);
	is_int(mgx_run(m, c, n), MGPU_ERR_ADDRESS,
	       "GGTT-only addresses are not reachable through the PPGTT");
}

static void test_pte_writes(struct mgx *m)
{
	struct mgpu_stats s0 = mgx_stats(m), s1;
	u32 lo = (u32)(DATA(20) | MGPU_PTE_VALID);
	u8 byte;
	u64 two[1];

	set_pte(m, 0, 4, DATA(10) | MGPU_PTE_VALID);
	is_int(where(m, GA(0, 4)), DATA(10), "new PTE shadowed");
	s1 = mgx_stats(m);
	is_int(s1.page_track_faults - s0.page_track_faults, 1,
	       "one page-track fault");
	ok(s1.shadow_updates > s0.shadow_updates, "shadow update counted");
	mgx_poke(m, PT(0), &lo, 4);
	is_int(where(m, GA(0, 0)), DATA(20), "low half of a PTE written");
	is_int(pins(m, DATA(0)), 0, "old page unpinned");
	byte = (u8)((DATA(21) >> 8) & 0xff);
	mgx_poke(m, PT(0) + 8 * 1 + 1, &byte, 1);
	is_int(where(m, GA(0, 1)), (DATA(1) & ~0xff00ULL) | (DATA(21) & 0xff00),
	       "one byte of a PTE written");
	set_pte(m, 0, 1, DATA(1) | MGPU_PTE_VALID);
	set_pte(m, 0, 2, 0);
	is_int(where(m, GA(0, 2)), 0, "PTE cleared: scratch");
	is_int(pins(m, DATA(2)), 0, "its page unpinned");
	/* 8 bytes at offset 4: high half of entry 2, low half of entry 3. */
	two[0] = (u64)(u32)(DATA(12) | MGPU_PTE_VALID) << 32;
	mgx_poke(m, PT(0) + 8 * 2 + 4, two, 8);
	is_int(where(m, GA(0, 3)), DATA(12), "write across two entries");
	is_int(where(m, GA(0, 2)), 0, "the other stays invalid");
	set_pte(m, 0, 3, (MGX_HOLE_GPA + 0x1000) | MGPU_PTE_VALID);
	is_int(where(m, GA(0, 3)), 0, "PTE into the RAM hole: scratch");
	s0 = mgx_stats(m);
	mgx_poke32(m, DATA(5), 1);
	is_int(mgx_stats(m).page_track_faults, s0.page_track_faults,
	       "writes to data pages do not fault");
}

static void test_pde_writes(struct mgx *m)
{
	set_pte(m, 2, 0, DATA(30) | MGPU_PTE_VALID);
	set_pde(m, 1, PT(2) | MGPU_PTE_VALID);
	is_int(tracks(m, PT(1)), 0, "table no longer referenced: untracked");
	is_int(pins(m, DATA(8)), 0, "and its pages unpinned");
	is_int(tracks(m, PT(2)), 1, "new table tracked");
	is_int(where(m, GA(1, 0)), DATA(30), "and shadowed");
	set_pte(m, 2, 1, DATA(31) | MGPU_PTE_VALID);
	is_int(where(m, GA(1, 1)), DATA(31), "new table follows writes");
	set_pde(m, 1, 0);
	is_int(tracks(m, PT(2)), 0, "directory entry cleared: untracked");
	is_int(where(m, GA(1, 1)), 0, "scratch");
	/* One table behind two directory entries. */
	set_pte(m, 3, 0, DATA(40) | MGPU_PTE_VALID);
	set_pde(m, 2, PT(3) | MGPU_PTE_VALID);
	set_pde(m, 3, PT(3) | MGPU_PTE_VALID);
	is_int(tracks(m, PT(3)), 1, "a shared table is tracked once");
	is_int(pins(m, DATA(40)), 1, "and shadowed once");
	ok(where(m, GA(2, 0)) == DATA(40) && where(m, GA(3, 0)) == DATA(40),
	   "both directory entries map through it");
	set_pte(m, 3, 0, DATA(41) | MGPU_PTE_VALID);
	ok(where(m, GA(2, 0)) == DATA(41) && where(m, GA(3, 0)) == DATA(41),
	   "one write updates both views");
	set_pde(m, 2, 0);
	is_int(tracks(m, PT(3)), 1, "still used by the other entry");
	set_pde(m, 3, 0);
	is_int(tracks(m, PT(3)), 0, "last user gone: untracked");
	is_int(pins(m, DATA(41)), 0, "and unpinned");
	set_pde(m, 4, (MGX_RAM_END + 0x1000) | MGPU_PTE_VALID);
	is_int(where(m, GA(4, 0)), 0, "table outside RAM: nothing mapped");
	set_pde(m, 4, 0);
}

static void test_self_map(struct mgx *m)
{
	set_pde(m, 5, PD | MGPU_PTE_VALID);
	is_int(tracks(m, PD), 1, "directory used as a table: tracked once");
	is_int(where(m, GA(5, 0)), PT(0),
	       "its entries read as PTEs (GA -> table 0's page)");
	set_pde(m, 6, DATA(50) | MGPU_PTE_VALID);
	is_int(where(m, GA(5, 6)), DATA(50),
	       "a directory write updates the table view too");
	set_pde(m, 6, 0);
	set_pde(m, 5, 0);
	is_int(tracks(m, PD), 1, "dropping the table role keeps the directory");
	is_int(where(m, GA(0, 0)), DATA(20), "directory still works");
}

static void test_device_writes(struct mgx *m)
{
	u32 c[16];
	unsigned int n = 0;

	/* GA(0, 7) maps table 0 itself. */
	set_pte(m, 0, 7, PT(0) | MGPU_PTE_VALID);
	set_pte(m, 0, 4, DATA(10) | MGPU_PTE_VALID);
	mgx_poke32(m, DATA(10), 0);
	n += cmd_store(c + n, GA(0, 7) + 8 * 4, 0);
	n += cmd_fill(c + n, GA(0, 4), 4096, 1, 1, 0xdead);
	is_int(mgx_run(m, c, n), 0, "a submission rewriting its own table");
	is_int(where(m, GA(0, 4)), 0, "the shadow followed the device's write");
	is_int(mgx_peek32(m, DATA(10)), 0,
	       "the FILL after it hit scratch: dropped");
	n = cmd_store(c, GA(0, 7) + 8 * 4, (u32)(DATA(11) | MGPU_PTE_VALID));
	n += cmd_fill(c + n, GA(0, 4) + 4, 4096, 1, 1, 0xbeef);
	is_int(mgx_run(m, c, n), MGPU_ERR_ADDRESS,
	       "the scanner checks the tables as they are before execution");
	n = cmd_store(c, GA(0, 7) + 8 * 4, (u32)(DATA(11) | MGPU_PTE_VALID));
	is_int(mgx_run(m, c, n), 0, "device write maps a page");
	is_int(where(m, GA(0, 4)), DATA(11), "shadow follows");
	set_pte(m, 0, 7, 0);
}

static void test_rebind(struct mgx *m)
{
	struct mgpu_stats s0 = mgx_stats(m);
	unsigned int n;
	u32 c[4];

	mgx_wr(m, MGPU_REG_CTX_PD, (u32)PD);
	is_int(where(m, GA(0, 0)), DATA(20), "rebinding rebuilds the shadow");
	ok(mgx_stats(m).shadow_updates > s0.shadow_updates, "counted");
	is_int(tracks(m, PD) + tracks(m, PT(0)), 2, "tracks rebuilt");
	mgx_wr(m, MGPU_REG_CTX_PD, 0);
	is_int(tracks(m, PD) + tracks(m, PT(0)), 0, "CTX_PD = 0 untracks");
	is_int(pins(m, DATA(20)), 0, "and unpins");
	mgx_wr(m, MGPU_REG_CTX_PD, (u32)(MGX_HOLE_GPA));
	is_int(where(m, GA(0, 0)), 0, "directory in the hole: empty PPGTT");
	n = cmd_store(c, 0, 1);
	is_int(mgx_run(m, c, n), MGPU_ERR_ADDRESS, "and commands reach nothing");
	mgx_wr(m, MGPU_REG_CTX_PD, 0);
}

static void test_track_failure(struct mgx *m)
{
	build(m);
	mgx_wr(m, MGPU_REG_CTX_PD, 0);
	fx_log_capture();
	mpt_sim_fail_nth(m->g, MPT_SIM_ENABLE_TRACK, 2, -ENOMEM);
	mgx_wr(m, MGPU_REG_CTX_PD, (u32)PD);
	ok(mgpu_failsafe(m->vdev), "a table that cannot be tracked: failsafe");
	ok(fx_log_has("cannot track") && fx_log_has("failsafe"),
	   "logged with the reason");
	mgx_wr(m, MGPU_REG_CTRL, MGPU_CTRL_RESET);
	is_int(tracks(m, PD) + tracks(m, PT(0)) + tracks(m, PT(1)), 0,
	       "reset drops the PPGTT");
	ok(!mgpu_failsafe(m->vdev), "and leaves failsafe");
	mgx_map(m, MGX_RING_GA, MGX_RING_GPA, MGX_RING_SIZE);
	mgx_map(m, MGX_TAIL_GA, MGX_TAIL_GPA, 4096);
	mgx_map(m, MGX_SEQNO_GA, MGX_SEQNO_GPA, 4096);
	mgx_ring_reset(m);
}

/*
 * A vCPU rewriting tables while another submits through them; the kernel
 * build (mgpu_test.ko, under TCG) runs fewer rounds.
 */
#ifndef MGPU_RACE_ROUNDS
#define MGPU_RACE_ROUNDS 2000
#define MGPU_RACE_SUBMISSIONS 300
#endif

struct race {
	struct mgx *m;
	unsigned int rounds;
};

static void *rewriter(void *arg)
{
	struct race *r = arg;
	unsigned int i;

	for (i = 0; i < r->rounds; i++)
		set_pte(r->m, 0, 0, DATA(60 + (i & 1)) | MGPU_PTE_VALID);
	return NULL;
}

static void test_race(struct mgx *m)
{
	struct race r = { .m = m, .rounds = MGPU_RACE_ROUNDS };
	struct mgpu_stats s0;
	pthread_t t;
	u32 c[16];
	unsigned int i, n, errors = 0;

	build(m);
	s0 = mgx_stats(m);
	pthread_create(&t, NULL, rewriter, &r);
	for (i = 0; i < MGPU_RACE_SUBMISSIONS; i++) {
		n = cmd_fill(c, GA(0, 0), 4096, 1024, 1, i);
		n += cmd_store(c + n, GA(0, 1), i);
		errors += mgx_run(m, c, n) != 0;
	}
	pthread_join(t, NULL);
	is_int(errors, 0, "every submission ran while tables changed");
	is_int(mgx_stats(m).page_track_faults - s0.page_track_faults,
	       r.rounds, "every table write was seen");
	is_int(where(m, GA(0, 0)), DATA(61),
	       "shadow ends as the guest left it");
	is_int(pins(m, DATA(60)), 0, "the page left behind is unpinned");
	mgx_wr(m, MGPU_REG_CTX_PD, 0);
}

int main(void)
{
	struct mgx m;

	mgx_setup(&m);
	test_bind(&m);
	test_commands(&m);
	test_pte_writes(&m);
	test_pde_writes(&m);
	test_self_map(&m);
	test_device_writes(&m);
	test_rebind(&m);
	test_track_failure(&m);
	test_race(&m);
	mgx_teardown(&m);
	return done_testing();
}
