// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Page write-tracking: several handlers per gfn, one backend enable per
 * gfn, delivery of guest writes, handlers changing tracks while they run,
 * and everything given back at detach.
 */
#include <string.h>

#include "fixture.h"
#include "tap.h"

struct seen {
	int calls;
	u64 gpa;
	unsigned int len;
	u8 data[16];
	/* behaviour for the self-modifying tests */
	struct mpt_vdev *vdev;
	int remove_self;
	u64 add_gfn;
};

static void handler(struct mpt_vdev *vdev, u64 gpa, const void *data,
		    unsigned int len, void *opaque)
{
	struct seen *s = opaque;

	s->calls++;
	s->gpa = gpa;
	s->len = len;
	memcpy(s->data, data, len < sizeof(s->data) ? len : sizeof(s->data));
	if (s->remove_self)
		mpt_page_track_remove(vdev, MPT_GPA_TO_GFN(gpa), handler, s);
	if (s->add_gfn && mpt_page_track_add(vdev, s->add_gfn, handler, s))
		s->calls = -1000;
}

static void test_basic(void)
{
	struct seen a = { 0 }, b = { 0 };
	struct fx fx;
	u64 gfn = 0x10, gpa = MPT_GFN_TO_GPA(gfn) + 0x18;
	u64 pte = 0x1234567890abcdefULL, back = 0;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	ok(mpt_page_track_add(fx.vdev, gfn, handler, &a) == 0, "track gfn");
	ok(mpt_page_track_add(fx.vdev, gfn, handler, &b) == 0, "second handler");
	is_int(mpt_page_track_add(fx.vdev, gfn, handler, &a), -EEXIST,
	       "same handler twice refused");
	is_int(mpt_sim_op_calls(fx.g, MPT_SIM_ENABLE_TRACK), 1,
	       "backend asked once for the gfn");
	is_int(mpt_sim_track_count(fx.g, gfn), 1, "backend tracks it");
	ok(mpt_page_track_is_tracked(fx.vdev, gfn), "core says tracked");
	ok(mpt_sim_guest_write(fx.g, gpa, &pte, 8) == 0, "guest writes a PTE");
	ok(a.calls == 1 && b.calls == 1, "both handlers called once");
	ok(a.gpa == gpa && a.len == 8 && !memcmp(a.data, &pte, 8),
	   "handler saw the gpa, length and bytes");
	ok(mpt_sim_guest_read(fx.g, gpa, &back, 8) == 0 && back == pte,
	   "the write reached guest memory");
	ok(mpt_page_track_remove(fx.vdev, gfn, handler, &a) == 0, "remove one");
	is_int(mpt_sim_track_count(fx.g, gfn), 1, "still tracked for b");
	ok(mpt_page_track_remove(fx.vdev, gfn, handler, &b) == 0, "remove b");
	is_int(mpt_sim_track_count(fx.g, gfn), 0, "backend stopped tracking");
	is_int(mpt_page_track_remove(fx.vdev, gfn, handler, &b), -ENOENT,
	       "remove twice");
	ok(mpt_sim_guest_write(fx.g, gpa, &pte, 8) == 0 && b.calls == 1,
	   "untracked write not delivered");
	fx_teardown(&fx);
}

static void test_limits_and_errors(void)
{
	struct seen s[MPT_PAGE_TRACK_MAX_HANDLERS + 1];
	struct mpt_vdev_stats st;
	struct fx fx;
	unsigned int i;
	u8 x = 1;

	memset(s, 0, sizeof(s));
	fx_setup(&fx, MPT_VDEV_ACTIVE);
	for (i = 0, x = 0; i < MPT_PAGE_TRACK_MAX_HANDLERS; i++)
		x += mpt_page_track_add(fx.vdev, 5, handler, &s[i]) != 0;
	is_int(x, 0, "%d handlers on one page", MPT_PAGE_TRACK_MAX_HANDLERS);
	x = 1;
	is_int(mpt_page_track_add(fx.vdev, 5, handler, &s[i]), -ENOSPC,
	       "one handler too many");
	is_int(mpt_page_track_add(fx.vdev, MPT_GPA_TO_GFN(FX_HOLE_GPA), handler,
				  &s[0]),
	       -EFAULT, "gfn in the hole refused by the backend");
	ok(!mpt_page_track_is_tracked(fx.vdev, MPT_GPA_TO_GFN(FX_HOLE_GPA)),
	   "and not tracked");
	mpt_sim_fail_nth(fx.g, MPT_SIM_ENABLE_TRACK, 1, -ENOMEM);
	is_int(mpt_page_track_add(fx.vdev, 6, handler, &s[0]), -ENOMEM,
	       "backend failure passed on");
	ok(!mpt_page_track_is_tracked(fx.vdev, 6), "nothing half-tracked");
	is_int(mpt_page_track_add(fx.vdev, 1ULL << 53, handler, &s[0]),
	       -EINVAL, "gfn beyond the address space");
	is_int(mpt_page_track_write(fx.vdev, 0x7000, &x, 1), 0,
	       "write to an untracked page: no handler");
	mpt_vdev_get_stats(fx.vdev, &st);
	is_int(st.page_track_misses, 1, "counted as a miss");
	ok(mpt_vdev_deactivate(fx.vdev) == 0, "deactivate");
	is_int(mpt_page_track_write(fx.vdev, 0x5000, &x, 1), -ENODEV,
	       "no delivery when not active");
	fx_teardown(&fx);
	ok(1, "detach with tracks left gave them back (see violations)");
}

static void test_straddle_and_self_changes(void)
{
	struct seen a = { 0 }, b = { 0 };
	struct fx fx;
	u64 v = ~0ULL;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	a.remove_self = 1;
	ok(mpt_page_track_add(fx.vdev, 0x21, handler, &a) == 0, "track 0x21");
	ok(mpt_sim_guest_write(fx.g, 0x21000 - 4, &v, 8) == 0,
	   "write straddling 0x20 and 0x21");
	ok(a.calls == 1 && a.gpa == 0x21000 && a.len == 4,
	   "only the tracked page's half delivered");
	ok(!mpt_page_track_is_tracked(fx.vdev, 0x21),
	   "handler removed itself during delivery");
	b.add_gfn = 0x40;
	ok(mpt_page_track_add(fx.vdev, 0x22, handler, &b) == 0, "track 0x22");
	ok(mpt_sim_guest_write(fx.g, 0x22000, &v, 4) == 0 && b.calls == 1,
	   "delivered");
	ok(mpt_page_track_is_tracked(fx.vdev, 0x40),
	   "handler added a track during delivery");
	b.add_gfn = 0;
	ok(mpt_sim_guest_write(fx.g, 0x40000, &v, 4) == 0 && b.calls == 2,
	   "new track works");
	fx_teardown(&fx);
}

/*
 * test_many_pages() tracks MANY_PAGES pages, MANY_HALF below the hole and
 * the rest above, and writes every MANY_STRIDE-th.  The kernel build
 * (tests/kernel/test.kbuild) tracks fewer: the sim keeps its tracks in
 * linear lists, which under TCG would take seconds.
 */
#ifndef MANY_PAGES
#define MANY_PAGES 8000
#endif
#ifndef MANY_HALF
#define MANY_HALF (MANY_PAGES / 2)
#endif
#ifndef MANY_STRIDE
#define MANY_STRIDE 97
#endif

/* Pages in both RAM regions: MANY_HALF below the hole, the rest above. */
static u64 many_gfn(unsigned int i)
{
	return i < MANY_HALF ? 0x10 + i :
			       MPT_GPA_TO_GFN(FX_RAM1_GPA) + i - MANY_HALF;
}

static void test_many_pages(void)
{
	struct seen s = { 0 };
	struct fx fx;
	unsigned int i, bad = 0;
	u32 v = 1;

	fx_setup(&fx, MPT_VDEV_ACTIVE);
	for (i = 0; i < MANY_PAGES; i++)
		bad += mpt_page_track_add(fx.vdev, many_gfn(i), handler, &s) != 0;
	is_int(bad, 0, "%d pages tracked", MANY_PAGES);
	for (i = 0; i < MANY_PAGES; i += MANY_STRIDE)
		mpt_sim_guest_write(fx.g, MPT_GFN_TO_GPA(many_gfn(i)), &v, 4);
	is_int(s.calls, (MANY_PAGES + MANY_STRIDE - 1) / MANY_STRIDE,
	       "each write delivered once");
	for (i = 0; i < MANY_PAGES; i += 2)
		bad += mpt_page_track_remove(fx.vdev, many_gfn(i), handler,
					     &s) != 0;
	is_int(bad, 0, "half removed");
	is_int(mpt_sim_track_count(fx.g, many_gfn(MANY_HALF)), 0,
	       "removed page untracked");
	is_int(mpt_sim_track_count(fx.g, many_gfn(MANY_HALF + 1)), 1,
	       "kept page still tracked");
	fx_teardown(&fx);
}

int main(void)
{
	test_basic();
	test_limits_and_errors();
	test_straddle_and_self_changes();
	test_many_pages();
	return done_testing();
}
