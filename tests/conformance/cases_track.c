// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Conformance cases: write-tracking.  enable_page_track must make guest
 * stores to the page reach mpt_page_track_write() (and from there the
 * device model's handlers), with exactly the bytes stored, and stop when
 * disabled; device writes (write_gpa) are never delivered.
 */
#include <string.h>

#include "conformance.h"
#include "tap.h"

#define LOG_MAX 8
#define LOG_BYTES 64

/* What one handler saw. */
struct track_log {
	unsigned int calls;
	struct {
		struct mpt_vdev *vdev;
		u64 gpa;
		unsigned int len;
		u8 data[LOG_BYTES];
	} rec[LOG_MAX];
};

static void track_record(struct mpt_vdev *vdev, u64 gpa, const void *data,
			 unsigned int len, void *opaque)
{
	struct track_log *log = opaque;

	if (log->calls < LOG_MAX) {
		log->rec[log->calls].vdev = vdev;
		log->rec[log->calls].gpa = gpa;
		log->rec[log->calls].len = len;
		memcpy(log->rec[log->calls].data, data,
		       len < LOG_BYTES ? len : LOG_BYTES);
	}
	log->calls++;
}

/*
 * Whether the write-tracking cases can run: they need the ops and guest
 * stores.  Without the ops the core must refuse tracking.
 */
static bool can_track(struct mpt_conf *c, struct conf_world *w,
		      const char *what)
{
	struct track_log log = { 0 };

	if (!c->ops->enable_page_track) {
		is_int(mpt_page_track_add(w->v[0], MPT_GPA_TO_GFN(CONF_R2_GPA),
					  track_record, &log),
		       -EOPNOTSUPP, "%s: without the ops tracking is refused",
		       what);
		conf_skip(what, "backend has no enable_page_track");
		return false;
	}
	if (!c->target->guest_write) {
		conf_skip(what, "the target cannot make guest stores");
		return false;
	}
	return true;
}

/* Check record @i of @log against a store of @len bytes of @data at @gpa. */
static void delivered(const struct track_log *log, unsigned int i,
		      struct mpt_vdev *vdev, u64 gpa, const u8 *data,
		      unsigned int len, const char *what)
{
	unsigned int n = len < LOG_BYTES ? len : LOG_BYTES;

	if (!ok(i < log->calls && i < LOG_MAX, "%s: delivery #%u happened",
		what, i))
		return;
	ok(log->rec[i].vdev == vdev, "%s: to the tracking instance", what);
	is_int(log->rec[i].gpa, gpa, "%s: at the address stored to", what);
	is_int(log->rec[i].len, len, "%s: with the length stored", what);
	ok(!memcmp(log->rec[i].data, data, n), "%s: with the bytes stored",
	   what);
}

/* The guest's view of @len bytes at @gpa equals @data. */
static void memory_holds(struct conf_world *w, u64 gpa, const u8 *data,
			 size_t len, const char *what)
{
	u8 buf[MPT_PAGE_SIZE];

	if (len > sizeof(buf))
		len = sizeof(buf);
	memset(buf, 0, len);
	is_int(conf_guest_read(w, gpa, buf, len), 0, "%s: guest load", what);
	ok(!memcmp(buf, data, len), "%s: guest memory holds the new bytes",
	   what);
}

/* The op alone: stores reach mpt_page_track_write(), seen in the stats. */
static void case_track_op(struct mpt_conf *c)
{
	const struct mpt_backend_ops *ops = c->ops;
	u64 gfn = MPT_GPA_TO_GFN(CONF_R2_GPA) + 0x10;
	u64 gpa = MPT_GFN_TO_GPA(gfn);
	struct mpt_vdev_stats st0, st;
	struct conf_world w;
	u8 data[8];
	void *h;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	if (!can_track(c, &w, "enable_page_track"))
		goto out;
	h = conf_handle(&w, 0);
	conf_fill(data, sizeof(data), 20);
	is_int(ops->enable_page_track(h, gfn), 0, "enable_page_track");
	mpt_vdev_get_stats(w.v[0], &st0);
	is_int(conf_guest_write(&w, gpa + 0x80, data, sizeof(data)), 0,
	       "guest store to the page");
	mpt_vdev_get_stats(w.v[0], &st);
	is_int(st.page_track_misses - st0.page_track_misses, 1,
	       "delivered once to mpt_page_track_write (no handler: a miss)");
	memory_holds(&w, gpa + 0x80, data, sizeof(data), "tracked store");
	is_int(conf_guest_write(&w, gpa + MPT_PAGE_SIZE, data, sizeof(data)),
	       0, "guest store to the next page");
	is_int(conf_guest_write(&w, gpa - 4, data, sizeof(data)), 0,
	       "guest store straddling into the page");
	mpt_vdev_get_stats(w.v[0], &st0);
	is_int(st0.page_track_misses - st.page_track_misses, 1,
	       "only the part on the tracked page was delivered");
	is_int(ops->disable_page_track(h, gfn), 0, "disable_page_track");
	conf_fill(data, sizeof(data), 21);
	is_int(conf_guest_write(&w, gpa + 0x80, data, sizeof(data)), 0,
	       "guest store after disable");
	mpt_vdev_get_stats(w.v[0], &st);
	is_int(st.page_track_misses - st0.page_track_misses, 0,
	       "nothing delivered after disable_page_track");
	memory_holds(&w, gpa + 0x80, data, sizeof(data), "untracked store");
out:
	conf_world_fini(&w);
}

static void case_track_deliver(struct mpt_conf *c)
{
	u64 gfn = MPT_GPA_TO_GFN(CONF_R1_GPA) + 0x21;
	u64 gpa = MPT_GFN_TO_GPA(gfn);
	struct track_log log = { 0 }, log2 = { 0 };
	static u8 page[MPT_PAGE_SIZE];
	struct conf_world w;
	u8 data[7];

	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	if (!can_track(c, &w, "tracked stores"))
		goto out;
	is_int(mpt_page_track_add(w.v[0], gfn, track_record, &log), 0,
	       "mpt_page_track_add");
	ok(mpt_page_track_is_tracked(w.v[0], gfn), "the page is tracked");

	conf_fill(data, sizeof(data), 22);
	is_int(conf_guest_write(&w, gpa + 0x123, data, sizeof(data)), 0,
	       "guest store of 7 bytes");
	is_int(log.calls, 1, "the handler ran once");
	delivered(&log, 0, w.v[0], gpa + 0x123, data, sizeof(data),
		  "7-byte store");
	memory_holds(&w, gpa + 0x123, data, sizeof(data), "7-byte store");

	conf_fill(page, sizeof(page), 23);
	is_int(conf_guest_write(&w, gpa, page, sizeof(page)), 0,
	       "guest store of the whole page");
	is_int(log.calls, 2, "the handler ran once more");
	delivered(&log, 1, w.v[0], gpa, page, sizeof(page), "page store");
	memory_holds(&w, gpa, page, sizeof(page), "page store");

	is_int(conf_guest_write(&w, gpa + MPT_PAGE_SIZE, data, sizeof(data)),
	       0, "guest store to the untracked next page");
	is_int(conf_guest_write(&w, gpa - sizeof(data), data, sizeof(data)),
	       0, "guest store ending just before the page");
	is_int(log.calls, 2, "stores to other pages are not delivered");

	/* A second handler: the core tracks the page once, both hear. */
	is_int(mpt_page_track_add(w.v[0], gfn, track_record, &log2), 0,
	       "a second handler tracks the page");
	conf_fill(data, sizeof(data), 24);
	is_int(conf_guest_write(&w, gpa + 0xff8, data, sizeof(data)), 0,
	       "guest store to the page's last bytes");
	is_int(log.calls, 3, "the first handler ran");
	is_int(log2.calls, 1, "the second handler ran");
	delivered(&log2, 0, w.v[0], gpa + 0xff8, data, sizeof(data),
		  "second handler");
	is_int(mpt_page_track_remove(w.v[0], gfn, track_record, &log2), 0,
	       "remove the second handler");
	is_int(mpt_page_track_remove(w.v[0], gfn, track_record, &log), 0,
	       "remove the first handler");
out:
	conf_world_fini(&w);
}

static void case_track_remove(struct mpt_conf *c)
{
	u64 gfn = MPT_GPA_TO_GFN(CONF_R0_GPA) + 0x300;
	u64 gpa = MPT_GFN_TO_GPA(gfn);
	struct track_log a = { 0 }, b = { 0 };
	struct conf_world w;
	u8 data[16];

	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	if (!can_track(c, &w, "tracking stopped"))
		goto out;
	is_int(mpt_page_track_add(w.v[0], gfn, track_record, &a), 0,
	       "handler A tracks the page");
	is_int(mpt_page_track_add(w.v[0], gfn, track_record, &b), 0,
	       "handler B tracks the page");
	conf_fill(data, sizeof(data), 25);
	conf_guest_write(&w, gpa + 0x40, data, sizeof(data));
	ok(a.calls == 1 && b.calls == 1, "a store reaches both");

	is_int(mpt_page_track_remove(w.v[0], gfn, track_record, &a), 0,
	       "remove A");
	conf_fill(data, sizeof(data), 26);
	conf_guest_write(&w, gpa + 0x40, data, sizeof(data));
	ok(a.calls == 1 && b.calls == 2,
	   "the page stays tracked for B, A hears nothing");

	is_int(mpt_page_track_remove(w.v[0], gfn, track_record, &b), 0,
	       "remove B, the last handler");
	ok(!mpt_page_track_is_tracked(w.v[0], gfn), "the page is untracked");
	conf_fill(data, sizeof(data), 27);
	is_int(conf_guest_write(&w, gpa + 0x40, data, sizeof(data)), 0,
	       "guest store after the last handler went");
	ok(a.calls == 1 && b.calls == 2, "nothing is delivered");
	memory_holds(&w, gpa + 0x40, data, sizeof(data), "untracked store");

	/* And tracking it again works. */
	is_int(mpt_page_track_add(w.v[0], gfn, track_record, &a), 0,
	       "track the page again");
	conf_guest_write(&w, gpa, data, 1);
	is_int(a.calls, 2, "stores are delivered again");
	is_int(mpt_page_track_remove(w.v[0], gfn, track_record, &a), 0,
	       "remove it");
out:
	conf_world_fini(&w);
}

static void case_track_hole(struct mpt_conf *c)
{
	static const struct {
		u64 gpa;
		const char *what;
	} bad[] = {
		{ CONF_HOLE_GPA, "the hole's first page" },
		{ CONF_R2_GPA - MPT_PAGE_SIZE, "the hole's last page" },
		{ CONF_RAM_END, "the page after guest RAM" },
	};
	const struct mpt_backend_ops *ops = c->ops;
	struct track_log log = { 0 };
	struct conf_world w;
	unsigned int i;
	u64 gfn;
	int ret;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	if (!ops->enable_page_track) {
		can_track(c, &w, "tracking the hole");
		goto out;
	}
	for (i = 0; i < CONF_ARRAY_SIZE(bad); i++) {
		gfn = MPT_GPA_TO_GFN(bad[i].gpa);
		is_int(mpt_page_track_add(w.v[0], gfn, track_record, &log),
		       -EFAULT, "mpt_page_track_add of %s is -EFAULT",
		       bad[i].what);
		ok(!mpt_page_track_is_tracked(w.v[0], gfn),
		   "and the page is not tracked");
		ret = ops->enable_page_track(conf_handle(&w, 0), gfn);
		is_int(ret, -EFAULT, "enable_page_track of %s is -EFAULT",
		       bad[i].what);
		if (!ret)
			ops->disable_page_track(conf_handle(&w, 0), gfn);
	}
	gfn = MPT_GPA_TO_GFN(CONF_HOLE_GPA) - 1;
	is_int(mpt_page_track_add(w.v[0], gfn, track_record, &log), 0,
	       "the last RAM page before the hole can be tracked");
	is_int(mpt_page_track_remove(w.v[0], gfn, track_record, &log), 0,
	       "and untracked");
out:
	conf_world_fini(&w);
}

static void case_track_straddle(struct mpt_conf *c)
{
	u64 p = MPT_GFN_TO_GPA(MPT_GPA_TO_GFN(CONF_R2_GPA) + 0x40);
	u64 q = p + 4 * MPT_PAGE_SIZE, r = p + 8 * MPT_PAGE_SIZE;
	struct track_log lp = { 0 }, lq = { 0 }, lr = { 0 }, lr2 = { 0 };
	struct mpt_vdev *v;
	struct conf_world w;
	u8 data[8];

	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	if (!can_track(c, &w, "straddling stores"))
		goto out;
	v = w.v[0];

	/* Tracked page first, untracked second. */
	is_int(mpt_page_track_add(v, MPT_GPA_TO_GFN(p), track_record, &lp), 0,
	       "track page P");
	conf_fill(data, sizeof(data), 30);
	is_int(conf_guest_write(&w, p + MPT_PAGE_SIZE - 4, data, 8), 0,
	       "store of 8 bytes straddling P and the page after it");
	is_int(lp.calls, 1, "one delivery");
	delivered(&lp, 0, v, p + MPT_PAGE_SIZE - 4, data, 4,
		  "P's part of the store");
	memory_holds(&w, p + MPT_PAGE_SIZE - 4, data, 8, "straddling store");

	/* Untracked page first, tracked second. */
	is_int(mpt_page_track_add(v, MPT_GPA_TO_GFN(q) + 1, track_record, &lq),
	       0, "track the page after Q");
	conf_fill(data, sizeof(data), 31);
	is_int(conf_guest_write(&w, q + MPT_PAGE_SIZE - 4, data, 8), 0,
	       "store of 8 bytes straddling Q and the tracked page after it");
	is_int(lq.calls, 1, "one delivery");
	delivered(&lq, 0, v, q + MPT_PAGE_SIZE, data + 4, 4,
		  "the tracked page's part of the store");
	memory_holds(&w, q + MPT_PAGE_SIZE - 4, data, 8, "straddling store");

	/* Both tracked: each page's part goes to its own handler. */
	is_int(mpt_page_track_add(v, MPT_GPA_TO_GFN(r), track_record, &lr), 0,
	       "track page R");
	is_int(mpt_page_track_add(v, MPT_GPA_TO_GFN(r) + 1, track_record,
				  &lr2),
	       0, "track the page after R");
	conf_fill(data, sizeof(data), 32);
	is_int(conf_guest_write(&w, r + MPT_PAGE_SIZE - 3, data, 8), 0,
	       "store of 8 bytes straddling two tracked pages");
	is_int(lr.calls, 1, "R's handler ran once");
	is_int(lr2.calls, 1, "the next page's handler ran once");
	delivered(&lr, 0, v, r + MPT_PAGE_SIZE - 3, data, 3, "R's part");
	delivered(&lr2, 0, v, r + MPT_PAGE_SIZE, data + 3, 5,
		  "the next page's part");
out:
	conf_world_fini(&w);
}

static void case_track_device_write(struct mpt_conf *c)
{
	u64 gfn = MPT_GPA_TO_GFN(CONF_R2_GPA) + 0x80;
	u64 gpa = MPT_GFN_TO_GPA(gfn);
	struct track_log log = { 0 };
	struct conf_world w;
	u8 data[32];

	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	if (!can_track(c, &w, "device writes"))
		goto out;
	is_int(mpt_page_track_add(w.v[0], gfn, track_record, &log), 0,
	       "track a page");
	conf_fill(data, sizeof(data), 33);
	is_int(c->ops->write_gpa(conf_handle(&w, 0), gpa + 0x10, data,
				 sizeof(data)),
	       0, "write_gpa to the tracked page");
	is_int(log.calls, 0, "a device write is not delivered");
	memory_holds(&w, gpa + 0x10, data, sizeof(data), "device write");
	conf_fill(data, sizeof(data), 34);
	is_int(mpt_gpa_write(w.v[0], gpa + 0x20, data, sizeof(data)), 0,
	       "mpt_gpa_write to the tracked page");
	is_int(log.calls, 0, "is not delivered either");
	memory_holds(&w, gpa + 0x20, data, sizeof(data), "core write");
out:
	conf_world_fini(&w);
}

/* Each tracking instance hears the store; one stopping leaves the other. */
static void case_track_two(struct mpt_conf *c)
{
	u64 gfn = MPT_GPA_TO_GFN(CONF_R1_GPA) + 0x200;
	u64 gpa = MPT_GFN_TO_GPA(gfn);
	struct track_log la = { 0 }, lb = { 0 }, lb2 = { 0 };
	struct conf_world w;
	struct mpt_vdev *a, *b;
	u8 data[4];

	if (conf_world_init(c, &w, 2, MPT_VDEV_ACTIVE))
		return;
	if (!can_track(c, &w, "two instances"))
		goto out;
	a = w.v[0];
	b = w.v[1];
	is_int(mpt_page_track_add(a, gfn, track_record, &la), 0,
	       "instance A tracks the page");
	is_int(mpt_page_track_add(b, gfn, track_record, &lb), 0,
	       "instance B tracks the same page");
	is_int(mpt_page_track_add(b, gfn + 1, track_record, &lb2), 0,
	       "instance B alone tracks the next page");
	conf_fill(data, sizeof(data), 35);
	conf_guest_write(&w, gpa + 0x10, data, sizeof(data));
	is_int(la.calls, 1, "A hears the store");
	is_int(lb.calls, 1, "B hears the store");
	delivered(&la, 0, a, gpa + 0x10, data, sizeof(data), "A's delivery");
	delivered(&lb, 0, b, gpa + 0x10, data, sizeof(data), "B's delivery");
	conf_guest_write(&w, gpa + MPT_PAGE_SIZE, data, sizeof(data));
	is_int(lb2.calls, 1, "B hears a store to the page only it tracks");
	is_int(la.calls, 1, "A does not");

	is_int(mpt_page_track_remove(b, gfn, track_record, &lb), 0,
	       "B stops tracking the shared page");
	conf_guest_write(&w, gpa + 0x20, data, sizeof(data));
	is_int(la.calls, 2, "A still hears stores to it");
	is_int(lb.calls, 1, "B no longer does");
	is_int(mpt_page_track_remove(a, gfn, track_record, &la), 0,
	       "A stops too");
	conf_guest_write(&w, gpa + 0x20, data, sizeof(data));
	ok(la.calls == 2 && lb.calls == 1, "nobody hears stores to it now");
	conf_guest_write(&w, gpa + MPT_PAGE_SIZE, data, sizeof(data));
	is_int(lb2.calls, 2, "B still hears the page only it tracks");
out:
	conf_world_fini(&w);
}

const struct mpt_conf_case mpt_conf_cases_track[] = {
	{ "enable_page_track: guest stores reach mpt_page_track_write",
	  case_track_op },
	{ "page track: stores reach the handler with exact gpa, length, bytes",
	  case_track_deliver },
	{ "page track: nothing is delivered once the last handler went",
	  case_track_remove },
	{ "page track: pages outside guest RAM are -EFAULT", case_track_hole },
	{ "page track: a straddling store delivers only tracked pages' parts",
	  case_track_straddle },
	{ "page track: device writes (write_gpa) are not delivered",
	  case_track_device_write },
	{ "page track: two instances tracking one page both hear stores",
	  case_track_two },
	{ NULL, NULL },
};
