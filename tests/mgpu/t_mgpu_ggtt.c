// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The GGTT: guest entries read back as written, shadows pin valid guest
 * pages and send everything else (invalid, hole, past RAM, unpinnable,
 * revoked) to scratch; entries written whole or in halves; replaced
 * mappings unpinned; the GGTT's edges.
 */
#include <string.h>

#include "fixture.h"
#include "mgpu_fixture.h"
#include "tap.h"

#define IDX 100u
#define PAGE_A (MGX_FREE_GPA + 0x5000)
#define PAGE_B (MGX_FREE_GPA + 0x9000)

static bool shadow(struct mgx *m, u32 idx, u64 *gfn)
{
	u64 dma;

	return mgpu_debug_ggtt_shadow(m->vdev, idx, gfn, &dma);
}

static unsigned int pins(struct mgx *m, u64 gpa)
{
	return mpt_sim_pin_count(m->g, gpa >> MPT_PAGE_SHIFT);
}

static void test_valid(struct mgx *m)
{
	u64 gfn = 0, dma = 0;
	u64 before = mgx_stats(m).shadow_updates;

	mgx_ggtt_set(m, IDX, PAGE_A | MGPU_PTE_VALID);
	is_int(mgx_ggtt_get(m, IDX), PAGE_A | MGPU_PTE_VALID,
	       "entry reads back as written");
	ok(mgpu_debug_ggtt_shadow(m->vdev, IDX, &gfn, &dma),
	   "valid entry shadowed");
	is_int(gfn, PAGE_A >> 12, "shadow keeps the gfn");
	ok(dma != 0, "and the DMA address");
	is_int(pins(m, PAGE_A), 1, "page pinned once");
	ok(mgx_stats(m).shadow_updates > before, "shadow update counted");
	mgx_ggtt_set(m, IDX, PAGE_A | MGPU_PTE_VALID | 0xff0ULL |
				     0xfff0000000000000ULL);
	ok(shadow(m, IDX, &gfn) && gfn == PAGE_A >> 12,
	   "flag and reserved bits ignored");
	is_int(pins(m, PAGE_A), 1, "same page: not pinned again");
}

static void test_replace(struct mgx *m)
{
	u64 gfn = 0;

	mgx_ggtt_set(m, IDX, PAGE_B | MGPU_PTE_VALID);
	ok(shadow(m, IDX, &gfn) && gfn == PAGE_B >> 12, "replaced");
	is_int(pins(m, PAGE_A), 0, "old page unpinned");
	is_int(pins(m, PAGE_B), 1, "new page pinned");
	mgx_ggtt_set(m, IDX + 1, PAGE_B | MGPU_PTE_VALID);
	is_int(pins(m, PAGE_B), 1, "a second entry shares the mapping");
	mgx_ggtt_set(m, IDX + 1, 0);
	is_int(pins(m, PAGE_B), 1, "still pinned by the first entry");
	mgx_ggtt_set(m, IDX, PAGE_B);
	ok(!shadow(m, IDX, &gfn), "entry without VALID: scratch");
	is_int(pins(m, PAGE_B), 0, "last user gone: unpinned");
	is_int(mgx_ggtt_get(m, IDX), PAGE_B, "guest value kept");
}

static void test_halves(struct mgx *m)
{
	u64 gfn = 0;
	u32 lo = (u32)(PAGE_A | MGPU_PTE_VALID), hi = 1;

	mgx_ggtt_set(m, IDX, PAGE_B | MGPU_PTE_VALID);
	mgx_access(m, MGPU_GGTT_OFFSET + IDX * 8 + 4, &hi, 4, true);
	ok(!shadow(m, IDX, &gfn),
	   "high half written: recomputed at once (past RAM: scratch)");
	is_int(pins(m, PAGE_B), 0, "stale page unpinned");
	mgx_access(m, MGPU_GGTT_OFFSET + IDX * 8, &lo, 4, true);
	ok(!shadow(m, IDX, &gfn), "low half: still past RAM");
	hi = 0;
	mgx_access(m, MGPU_GGTT_OFFSET + IDX * 8 + 4, &hi, 4, true);
	ok(shadow(m, IDX, &gfn) && gfn == PAGE_A >> 12,
	   "both halves written: mapped");
	lo = 0;
	mgx_access(m, MGPU_GGTT_OFFSET + IDX * 8 + 4, &lo, 4, false);
	is_int(lo, 0, "high half reads back");
	mgx_access(m, MGPU_GGTT_OFFSET + IDX * 8, &lo, 4, false);
	is_int(lo, (u32)(PAGE_A | MGPU_PTE_VALID), "low half reads back");
	mgx_ggtt_set(m, IDX, 0);
}

static void test_not_ram(struct mgx *m)
{
	u64 gfn;

	mgx_ggtt_set(m, IDX, MGX_HOLE_GPA | MGPU_PTE_VALID);
	ok(!shadow(m, IDX, &gfn), "page in the RAM hole: scratch");
	mgx_ggtt_set(m, IDX, MGX_RAM_END | MGPU_PTE_VALID);
	ok(!shadow(m, IDX, &gfn), "page past RAM: scratch");
	mgx_ggtt_set(m, IDX, MGPU_PTE_ADDR_MASK | MGPU_PTE_VALID);
	ok(!shadow(m, IDX, &gfn), "highest address: scratch");
	mgx_ggtt_set(m, IDX, (MGX_RAM1_GPA + 0x3000) | MGPU_PTE_VALID);
	ok(shadow(m, IDX, &gfn) && gfn == (MGX_RAM1_GPA + 0x3000) >> 12,
	   "page in the second RAM region: mapped");
	mgx_ggtt_set(m, IDX, 0);
}

static void test_edges(struct mgx *m)
{
	u64 gfn, v = 0;
	u16 v2 = 0;

	mgx_ggtt_set(m, MGPU_GGTT_ENTRIES - 1, PAGE_A | MGPU_PTE_VALID);
	ok(shadow(m, MGPU_GGTT_ENTRIES - 1, &gfn), "last entry works");
	mgx_ggtt_set(m, MGPU_GGTT_ENTRIES - 1, 0);
	ok(mgx_access(m, MGPU_GGTT_OFFSET + MGPU_GGTT_ENTRIES * 8ULL, &v, 8,
		      false) == -ENXIO && v == ~0ULL,
	   "past the last entry: unclaimed");
	ok(!shadow(m, MGPU_GGTT_ENTRIES, &gfn), "no entry past the GGTT");
	ok(mgx_access(m, MGPU_GGTT_OFFSET + 8, &v2, 2, false) == -EINVAL,
	   "2-byte GGTT access refused");
	ok(mgx_access(m, MGPU_GGTT_OFFSET + 4, &v, 8, false) == -EINVAL,
	   "misaligned 8-byte GGTT access refused");
}

static void test_pin_failure(struct mgx *m)
{
	u64 gfn;

	fx_log_capture();
	mpt_sim_fail_nth(m->g, MPT_SIM_DMA_MAP, 1, -ENOMEM);
	mgx_ggtt_set(m, IDX, PAGE_A | MGPU_PTE_VALID);
	ok(!shadow(m, IDX, &gfn), "unpinnable page: scratch");
	ok(fx_log_has("cannot pin"), "logged");
	is_int(mgx_ggtt_get(m, IDX), PAGE_A | MGPU_PTE_VALID,
	       "guest still reads its entry");
	mgx_ggtt_set(m, IDX, PAGE_A | MGPU_PTE_VALID);
	ok(shadow(m, IDX, &gfn), "rewriting the entry retries the pin");
	mgx_ggtt_set(m, IDX, 0);
	mpt_sim_fail_nth(m->g, MPT_SIM_IS_VALID_GFN, 1, -EFAULT);
	mgx_ggtt_set(m, IDX, PAGE_A | MGPU_PTE_VALID);
	ok(!shadow(m, IDX, &gfn), "backend says not RAM: scratch");
	mgx_ggtt_set(m, IDX, 0);
}

static void test_invalidate(struct mgx *m)
{
	u64 gfn;
	u32 cmds[8];
	unsigned int n;

	mgx_ggtt_set(m, IDX, PAGE_A | MGPU_PTE_VALID);
	mgx_ggtt_set(m, IDX + 1, PAGE_B | MGPU_PTE_VALID);
	is_int(mpt_sim_guest_dma_unmap(m->g, PAGE_A >> 12, 1), 1,
	       "guest revokes DMA to one page");
	ok(!shadow(m, IDX, &gfn), "its entry now points at scratch");
	ok(shadow(m, IDX + 1, &gfn), "the other entry is untouched");
	n = cmd_store(cmds, IDX << 12, 1);
	is_int(mgx_run(m, cmds, n), MGPU_ERR_ADDRESS,
	       "the device no longer reaches the revoked page");
	mgx_ggtt_set(m, IDX, PAGE_A | MGPU_PTE_VALID);
	ok(shadow(m, IDX, &gfn), "a new guest write maps it again");
	mgx_ggtt_set(m, IDX, 0);
	mgx_ggtt_set(m, IDX + 1, 0);
	is_int(pins(m, PAGE_A) + pins(m, PAGE_B), 0, "all unpinned");
}

static void test_failsafe_ignores(struct mgx *m)
{
	u32 cmds[4];
	unsigned int n = cmd_lri(cmds, 0, 0);

	mgx_run(m, cmds, n);
	ok(mgpu_failsafe(m->vdev), "in failsafe");
	mgx_ggtt_set(m, IDX, PAGE_A | MGPU_PTE_VALID);
	is_int(mgx_ggtt_get(m, IDX), 0, "GGTT writes ignored in failsafe");
	mgx_wr(m, MGPU_REG_CTRL, MGPU_CTRL_RESET);
	ok(!mgpu_failsafe(m->vdev), "reset");
}

int main(void)
{
	struct mgx m;

	mgx_setup(&m);
	test_valid(&m);
	test_replace(&m);
	test_halves(&m);
	test_not_ram(&m);
	test_edges(&m);
	test_pin_failure(&m);
	test_invalidate(&m);
	test_failsafe_ignores(&m);
	mgx_teardown(&m);
	return done_testing();
}
