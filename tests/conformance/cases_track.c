// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Conformance cases: write-tracking.  enable_page_track must make guest
 * stores to the page reach mpt_page_track_write() (and from there the
 * device model's handlers), and stop when disabled; device writes
 * (write_gpa) are never delivered.
 *
 * What "reach" means: every byte a guest store writes to a tracked page is
 * delivered to each of the page's handlers exactly once, in order, at its
 * own address and with its value, in pieces that never cross a page; bytes
 * stored to untracked pages are never delivered.  How many pieces a store
 * becomes is the target's (struct mpt_conf_target, @track_piece_max): one
 * per page for a backend that emulates the whole store, one per CPU access
 * for KVM.  So the handlers record every delivery and the cases check the
 * bytes they put together, not the calls.  Whether guest memory already
 * holds a byte while it is delivered is left to the backend; the cases
 * only look at memory once the store is done.
 */
#include <string.h>

#include "conformance.h"
#include "tap.h"

/* No case stores more than a page to one handler between two checks. */
#define LOG_BYTES MPT_PAGE_SIZE

/**
 * struct track_log - what one handler saw since the last check
 * @pieces: deliveries
 * @len: bytes they carried
 * @max_piece: the most one carried
 * @gpa: address of the first
 * @next: where the next one should start: the end of the latest
 * @gap_at: address of the first that did not start at @next
 * @gap_want: the @next it should have started at
 * @vdev: instance the first went to
 * @other_vdev: a later one went to another instance
 * @gap: a delivery did not start where the previous one ended
 * @bad_piece: a delivery was empty or crossed a page
 * @data: their bytes, one after the other (the first LOG_BYTES)
 *
 * A stream without a gap that starts at a store's address and is as long
 * as the store holds each byte of it exactly once, in order.
 */
struct track_log {
	unsigned int pieces;
	unsigned int len;
	unsigned int max_piece;
	u64 gpa;
	u64 next;
	u64 gap_at;
	u64 gap_want;
	struct mpt_vdev *vdev;
	bool other_vdev;
	bool gap;
	bool bad_piece;
	u8 data[LOG_BYTES];
};

static void track_record(struct mpt_vdev *vdev, u64 gpa, const void *data,
			 unsigned int len, void *opaque)
{
	struct track_log *log = opaque;
	unsigned int room = log->len < LOG_BYTES ? LOG_BYTES - log->len : 0;

	if (!log->pieces) {
		log->vdev = vdev;
		log->gpa = gpa;
	} else {
		if (vdev != log->vdev)
			log->other_vdev = true;
		if (gpa != log->next && !log->gap) {
			log->gap = true;
			log->gap_at = gpa;
			log->gap_want = log->next;
		}
	}
	if (!len || MPT_GPA_TO_GFN(gpa) != MPT_GPA_TO_GFN(gpa + len - 1))
		log->bad_piece = true;
	memcpy(log->data + LOG_BYTES - room, data, len < room ? len : room);
	log->len += len;
	log->next = gpa + len;
	if (len > log->max_piece)
		log->max_piece = len;
	log->pieces++;
}

/* Forget what was checked; the next delivery starts a new stream. */
static void log_reset(struct track_log *log)
{
	memset(log, 0, sizeof(*log));
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

/*
 * Check that what @log saw since the last check is exactly a store of @len
 * bytes of @data at @gpa, delivered to @vdev, then start over.
 */
static void delivered(struct conf_world *w, struct track_log *log,
		      struct mpt_vdev *vdev, u64 gpa, const u8 *data,
		      unsigned int len, const char *what)
{
	unsigned int max = w->c->target->track_piece_max;
	unsigned int pages = (unsigned int)(MPT_GPA_TO_GFN(gpa + len - 1) -
					    MPT_GPA_TO_GFN(gpa) + 1);
	unsigned int i, n;

	if (!ok(log->pieces, "%s: delivered", what))
		goto out;
	ok(!log->other_vdev && log->vdev == vdev,
	   "%s: to the tracking instance", what);
	ok(!log->bad_piece, "%s: in pieces within one page, none empty", what);
	is_int(log->gpa, gpa, "%s: starting at the address stored to", what);
	if (!ok(!log->gap, "%s: each piece where the previous ended (in order)",
		what))
		diag("the first out of place starts at %#llx, not %#llx",
		     (unsigned long long)log->gap_at,
		     (unsigned long long)log->gap_want);
	is_int(log->len, len, "%s: every byte stored, each once", what);
	n = len < log->len ? len : log->len;
	if (n > LOG_BYTES)
		n = LOG_BYTES;
	for (i = 0; i < n && log->data[i] == data[i]; i++)
		;
	if (!ok(log->len == len && i == len, "%s: with the bytes stored",
		what) && i < n)
		diag("byte %u of the stream is %#x, not %#x", i,
		     log->data[i], data[i]);
	if (!max)
		is_int(log->pieces, pages, "%s: one delivery per page", what);
	else
		ok(log->max_piece <= max,
		   "%s: in pieces of at most %u bytes (%u pieces, largest %u)",
		   what, max, log->pieces, log->max_piece);
out:
	log_reset(log);
}

/* Check that @log saw nothing since the last check. */
static void not_delivered(struct track_log *log, const char *what)
{
	if (!is_int(log->pieces, 0, "%s", what))
		diag("%u bytes from %#llx", log->len,
		     (unsigned long long)log->gpa);
	log_reset(log);
}

/*
 * Check @n deliveries counted (not seen: no handler) for a store of @len
 * bytes within one page.
 */
static void counted(struct conf_world *w, u64 n, unsigned int len,
		    const char *what)
{
	unsigned int max = w->c->target->track_piece_max;

	if (!max)
		is_int(n, 1, "%s: one delivery", what);
	else
		ok(n >= (len + max - 1) / max && n <= len,
		   "%s: %u to %u deliveries (%llu)", what,
		   (len + max - 1) / max, len, (unsigned long long)n);
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

/*
 * The op alone: stores reach mpt_page_track_write(), seen in the stats.
 * With no handler the core counts each delivery as a miss, so only the
 * number of pieces can be checked here; the cases below check the bytes.
 */
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
	counted(&w, st.page_track_misses - st0.page_track_misses,
		sizeof(data), "delivered (no handler: counted as misses)");
	memory_holds(&w, gpa + 0x80, data, sizeof(data), "tracked store");
	is_int(conf_guest_write(&w, gpa + MPT_PAGE_SIZE, data, sizeof(data)),
	       0, "guest store to the next page");
	is_int(conf_guest_write(&w, gpa - 4, data, sizeof(data)), 0,
	       "guest store straddling into the page");
	mpt_vdev_get_stats(w.v[0], &st0);
	counted(&w, st0.page_track_misses - st.page_track_misses, 4,
		"only the 4 bytes on the tracked page were delivered");
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
	static struct track_log log, log2;
	static u8 page[MPT_PAGE_SIZE];
	struct conf_world w;
	unsigned int pieces;
	u8 data[7];

	log_reset(&log);
	log_reset(&log2);
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
	delivered(&w, &log, w.v[0], gpa + 0x123, data, sizeof(data),
		  "7-byte store");
	memory_holds(&w, gpa + 0x123, data, sizeof(data), "7-byte store");

	conf_fill(page, sizeof(page), 23);
	is_int(conf_guest_write(&w, gpa, page, sizeof(page)), 0,
	       "guest store of the whole page");
	pieces = log.pieces;
	delivered(&w, &log, w.v[0], gpa, page, sizeof(page), "page store");
	memory_holds(&w, gpa, page, sizeof(page), "page store");
	conf_note("a whole-page guest store reached the handler in %u piece%s",
		  pieces, pieces == 1 ? "" : "s");

	is_int(conf_guest_write(&w, gpa + MPT_PAGE_SIZE, data, sizeof(data)),
	       0, "guest store to the untracked next page");
	is_int(conf_guest_write(&w, gpa - sizeof(data), data, sizeof(data)),
	       0, "guest store ending just before the page");
	not_delivered(&log, "stores to other pages are not delivered");

	/* A second handler: the core tracks the page once, both hear. */
	is_int(mpt_page_track_add(w.v[0], gfn, track_record, &log2), 0,
	       "a second handler tracks the page");
	conf_fill(data, sizeof(data), 24);
	is_int(conf_guest_write(&w, gpa + 0xff9, data, sizeof(data)), 0,
	       "guest store to the page's last bytes");
	delivered(&w, &log, w.v[0], gpa + 0xff9, data, sizeof(data),
		  "first handler");
	delivered(&w, &log2, w.v[0], gpa + 0xff9, data, sizeof(data),
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
	static struct track_log a, b;
	struct conf_world w;
	u8 data[16];

	log_reset(&a);
	log_reset(&b);
	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	if (!can_track(c, &w, "tracking stopped"))
		goto out;
	is_int(mpt_page_track_add(w.v[0], gfn, track_record, &a), 0,
	       "handler A tracks the page");
	is_int(mpt_page_track_add(w.v[0], gfn, track_record, &b), 0,
	       "handler B tracks the page");
	conf_fill(data, sizeof(data), 25);
	is_int(conf_guest_write(&w, gpa + 0x40, data, sizeof(data)), 0,
	       "guest store of 16 bytes");
	delivered(&w, &a, w.v[0], gpa + 0x40, data, sizeof(data),
		  "the store reaches A");
	delivered(&w, &b, w.v[0], gpa + 0x40, data, sizeof(data),
		  "the store reaches B");

	is_int(mpt_page_track_remove(w.v[0], gfn, track_record, &a), 0,
	       "remove A");
	conf_fill(data, sizeof(data), 26);
	is_int(conf_guest_write(&w, gpa + 0x40, data, sizeof(data)), 0,
	       "guest store with A removed");
	delivered(&w, &b, w.v[0], gpa + 0x40, data, sizeof(data),
		  "the page stays tracked for B");
	not_delivered(&a, "A hears nothing");

	is_int(mpt_page_track_remove(w.v[0], gfn, track_record, &b), 0,
	       "remove B, the last handler");
	ok(!mpt_page_track_is_tracked(w.v[0], gfn), "the page is untracked");
	conf_fill(data, sizeof(data), 27);
	is_int(conf_guest_write(&w, gpa + 0x40, data, sizeof(data)), 0,
	       "guest store after the last handler went");
	not_delivered(&a, "nothing is delivered to A");
	not_delivered(&b, "nothing is delivered to B");
	memory_holds(&w, gpa + 0x40, data, sizeof(data), "untracked store");

	/* And tracking it again works. */
	is_int(mpt_page_track_add(w.v[0], gfn, track_record, &a), 0,
	       "track the page again");
	is_int(conf_guest_write(&w, gpa, data, 1), 0, "guest store of a byte");
	delivered(&w, &a, w.v[0], gpa, data, 1, "stores are delivered again");
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
	static struct track_log lp, lq, lr, lr2;
	struct mpt_vdev *v;
	struct conf_world w;
	u8 data[8];

	log_reset(&lp);
	log_reset(&lq);
	log_reset(&lr);
	log_reset(&lr2);
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
	delivered(&w, &lp, v, p + MPT_PAGE_SIZE - 4, data, 4,
		  "P's part of the store");
	memory_holds(&w, p + MPT_PAGE_SIZE - 4, data, 8, "straddling store");

	/* Untracked page first, tracked second. */
	is_int(mpt_page_track_add(v, MPT_GPA_TO_GFN(q) + 1, track_record, &lq),
	       0, "track the page after Q");
	conf_fill(data, sizeof(data), 31);
	is_int(conf_guest_write(&w, q + MPT_PAGE_SIZE - 4, data, 8), 0,
	       "store of 8 bytes straddling Q and the tracked page after it");
	delivered(&w, &lq, v, q + MPT_PAGE_SIZE, data + 4, 4,
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
	delivered(&w, &lr, v, r + MPT_PAGE_SIZE - 3, data, 3, "R's part");
	delivered(&w, &lr2, v, r + MPT_PAGE_SIZE, data + 3, 5,
		  "the next page's part");
	memory_holds(&w, r + MPT_PAGE_SIZE - 3, data, 8, "straddling store");
	not_delivered(&lp, "P's handler heard no other store");
	not_delivered(&lq, "Q's neighbour's handler heard no other store");
out:
	conf_world_fini(&w);
}

static void case_track_device_write(struct mpt_conf *c)
{
	u64 gfn = MPT_GPA_TO_GFN(CONF_R2_GPA) + 0x80;
	u64 gpa = MPT_GFN_TO_GPA(gfn);
	static struct track_log log;
	struct conf_world w;
	u8 data[32];

	log_reset(&log);
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
	not_delivered(&log, "a device write is not delivered");
	memory_holds(&w, gpa + 0x10, data, sizeof(data), "device write");
	conf_fill(data, sizeof(data), 34);
	is_int(mpt_gpa_write(w.v[0], gpa + 0x20, data, sizeof(data)), 0,
	       "mpt_gpa_write to the tracked page");
	not_delivered(&log, "is not delivered either");
	memory_holds(&w, gpa + 0x20, data, sizeof(data), "core write");
out:
	conf_world_fini(&w);
}

/* Each tracking instance hears the store; one stopping leaves the other. */
static void case_track_two(struct mpt_conf *c)
{
	u64 gfn = MPT_GPA_TO_GFN(CONF_R1_GPA) + 0x200;
	u64 gpa = MPT_GFN_TO_GPA(gfn);
	static struct track_log la, lb, lb2;
	struct conf_world w;
	struct mpt_vdev *a, *b;
	u8 data[4];

	log_reset(&la);
	log_reset(&lb);
	log_reset(&lb2);
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
	is_int(conf_guest_write(&w, gpa + 0x10, data, sizeof(data)), 0,
	       "guest store to the shared page");
	delivered(&w, &la, a, gpa + 0x10, data, sizeof(data), "A hears it");
	delivered(&w, &lb, b, gpa + 0x10, data, sizeof(data), "B hears it");
	not_delivered(&lb2, "B's handler of the next page does not");
	is_int(conf_guest_write(&w, gpa + MPT_PAGE_SIZE, data, sizeof(data)),
	       0, "guest store to the page only B tracks");
	delivered(&w, &lb2, b, gpa + MPT_PAGE_SIZE, data, sizeof(data),
		  "B hears a store to the page only it tracks");
	not_delivered(&la, "A does not");
	not_delivered(&lb, "nor B's handler of the shared page");

	is_int(mpt_page_track_remove(b, gfn, track_record, &lb), 0,
	       "B stops tracking the shared page");
	conf_fill(data, sizeof(data), 36);
	is_int(conf_guest_write(&w, gpa + 0x20, data, sizeof(data)), 0,
	       "guest store to the shared page");
	delivered(&w, &la, a, gpa + 0x20, data, sizeof(data),
		  "A still hears stores to it");
	not_delivered(&lb, "B no longer does");
	is_int(mpt_page_track_remove(a, gfn, track_record, &la), 0,
	       "A stops too");
	is_int(conf_guest_write(&w, gpa + 0x20, data, sizeof(data)), 0,
	       "guest store to the page nobody tracks now");
	not_delivered(&la, "A hears nothing");
	not_delivered(&lb, "B hears nothing");
	is_int(conf_guest_write(&w, gpa + MPT_PAGE_SIZE, data, sizeof(data)),
	       0, "guest store to the page only B tracks");
	delivered(&w, &lb2, b, gpa + MPT_PAGE_SIZE, data, sizeof(data),
		  "B still hears the page only it tracks");
out:
	conf_world_fini(&w);
}

const struct mpt_conf_case mpt_conf_cases_track[] = {
	{ "enable_page_track: guest stores reach mpt_page_track_write",
	  case_track_op },
	{ "page track: each byte stored reaches each handler once, in order",
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
