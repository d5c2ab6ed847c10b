// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * Conformance cases: read_gpa and write_gpa.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conformance.h"
#include "tap.h"

/*
 * Write @len bytes at @gpa with write_gpa, framed by @pad bytes of another
 * pattern on both sides, and check the round trip through read_gpa and
 * through the guest's own view, and that the frame is intact.
 */
static void round_trip(struct conf_world *w, u64 gpa, size_t len, size_t pad,
		       unsigned int seed, const char *what)
{
	const struct mpt_backend_ops *ops = w->c->ops;
	void *h = conf_handle(w, 0);
	size_t total = len + 2 * pad;
	u8 *frame = malloc(total), *in = malloc(len), *out = malloc(total);

	if (!frame || !in || !out) {
		ok(0, "%s: memory for buffers", what);
		goto out;
	}
	conf_fill(frame, total, seed + 1000);
	conf_fill(in, len, seed);
	is_int(ops->write_gpa(h, gpa - pad, frame, total), 0,
	       "%s: write_gpa of the frame", what);
	is_int(ops->write_gpa(h, gpa, in, len), 0,
	       "%s: write_gpa of %zu bytes at %#llx", what, len,
	       (unsigned long long)gpa);
	memset(out, 0, total);
	is_int(ops->read_gpa(h, gpa, out, len), 0, "%s: read_gpa", what);
	ok(!memcmp(out, in, len), "%s: read_gpa returns the bytes written",
	   what);
	memset(out, 0, total);
	is_int(conf_guest_read(w, gpa - pad, out, total), 0,
	       "%s: the guest reads the range", what);
	ok(!memcmp(out + pad, in, len), "%s: the guest sees the bytes", what);
	ok(!memcmp(out, frame, pad) &&
		   !memcmp(out + pad + len, frame + pad + len, pad),
	   "%s: the bytes around the range are untouched", what);
out:
	free(frame);
	free(in);
	free(out);
}

static void case_rw_page(struct mpt_conf *c)
{
	static const size_t lens[] = { 1, 2, 3, 4, 7, 8, 63, 256 };
	struct conf_world w;
	unsigned int i;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	round_trip(&w, CONF_R2_GPA + 0x1234, 256, 16, 1, "within a page");
	for (i = 0; i < CONF_ARRAY_SIZE(lens); i++) {
		char what[48];

		snprintf(what, sizeof(what), "%zu bytes at an odd address",
			 lens[i]);
		round_trip(&w, CONF_R0_GPA + 0x3001 + i * 0x300, lens[i], 5,
			   10 + i, what);
	}
	round_trip(&w, CONF_R0_GPA + 0x8000, MPT_PAGE_SIZE, 16, 20,
		   "one whole page");
	conf_world_fini(&w);
}

static void case_rw_pages(struct mpt_conf *c)
{
	struct conf_world w;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	round_trip(&w, CONF_R0_GPA + 0x10000 - 24, 64, 16, 2,
		   "across a page boundary");
	round_trip(&w, CONF_R2_GPA + 0x20000 - 100, 3 * MPT_PAGE_SIZE + 200,
		   16, 3, "across four pages");
	round_trip(&w, CONF_R2_GPA + CONF_R2_SIZE - 0x1800, 0x1800, 0, 4,
		   "up to the last byte of guest RAM");
	conf_world_fini(&w);
}

static void case_rw_regions(struct mpt_conf *c)
{
	struct conf_world w;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	round_trip(&w, CONF_R1_GPA - 8, 16, 16, 5,
		   "across two adjacent RAM regions");
	round_trip(&w, CONF_R1_GPA - 2 * MPT_PAGE_SIZE - 5,
		   4 * MPT_PAGE_SIZE + 10, 16, 6,
		   "pages of two adjacent RAM regions");
	conf_world_fini(&w);
}

/* One range that is not all RAM: both ops refuse it. */
static void refused(struct conf_world *w, u64 gpa, size_t len,
		    const char *what)
{
	const struct mpt_backend_ops *ops = w->c->ops;
	void *h = conf_handle(w, 0);
	u8 *buf = calloc(1, len);

	if (!buf) {
		ok(0, "%s: memory for a buffer", what);
		return;
	}
	is_int(ops->read_gpa(h, gpa, buf, len), -EFAULT, "read_gpa %s",
	       what);
	conf_fill(buf, len, 7);
	is_int(ops->write_gpa(h, gpa, buf, len), -EFAULT, "write_gpa %s",
	       what);
	free(buf);
}

static void case_rw_hole(struct mpt_conf *c)
{
	const struct mpt_backend_ops *ops = c->ops;
	u8 before[16], in[16], out[16];
	struct conf_world w;
	void *h;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	h = conf_handle(&w, 0);
	refused(&w, CONF_HOLE_GPA, 16, "entirely in the hole");
	refused(&w, CONF_HOLE_GPA + CONF_HOLE_SIZE - MPT_PAGE_SIZE,
		MPT_PAGE_SIZE, "of the hole's last page");
	refused(&w, CONF_HOLE_GPA - 8, 16, "from RAM into the hole");
	refused(&w, CONF_HOLE_GPA - 8, CONF_HOLE_SIZE + 16,
		"from one RAM region across the hole into the next");
	refused(&w, CONF_RAM_END - 8, 16, "past the end of guest RAM");
	refused(&w, ~0ULL - 7, 8, "at the top of the address space");

	/* A write that faults on its first page writes nothing. */
	conf_fill(before, sizeof(before), 8);
	is_int(ops->write_gpa(h, CONF_R2_GPA, before, sizeof(before)), 0,
	       "write_gpa at the start of the region after the hole");
	conf_fill(in, sizeof(in), 9);
	is_int(ops->write_gpa(h, CONF_R2_GPA - 8, in, sizeof(in)), -EFAULT,
	       "write_gpa from the hole into RAM is -EFAULT");
	is_int(conf_guest_read(&w, CONF_R2_GPA, out, sizeof(out)), 0,
	       "the guest reads the region's first bytes");
	ok(!memcmp(out, before, sizeof(out)),
	   "a write faulting on its first page changed no RAM after it");
	conf_world_fini(&w);
}

static void case_rw_zero(struct mpt_conf *c)
{
	const struct mpt_backend_ops *ops = c->ops;
	u8 buf[8], canary[8];
	struct conf_world w;
	void *h;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	h = conf_handle(&w, 0);
	conf_fill(canary, sizeof(canary), 11);
	memcpy(buf, canary, sizeof(buf));
	is_int(ops->read_gpa(h, CONF_R0_GPA + 0x100, buf, 0), 0,
	       "read_gpa of 0 bytes in RAM");
	ok(!memcmp(buf, canary, sizeof(buf)), "and leaves the buffer alone");
	is_int(ops->write_gpa(h, CONF_R0_GPA + 0x100, buf, 0), 0,
	       "write_gpa of 0 bytes in RAM");
	is_int(ops->read_gpa(h, CONF_HOLE_GPA, buf, 0), 0,
	       "read_gpa of 0 bytes in the hole (no byte is outside RAM)");
	is_int(ops->write_gpa(h, CONF_HOLE_GPA, buf, 0), 0,
	       "write_gpa of 0 bytes in the hole");
	ok(!memcmp(buf, canary, sizeof(buf)), "the buffer is untouched");
	conf_world_fini(&w);
}

static void case_rw_views(struct mpt_conf *c)
{
	const struct mpt_backend_ops *ops = c->ops;
	u64 gpa = CONF_R1_GPA + 0x4440;
	u8 in[100], out[100];
	struct conf_world w;
	void *h;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ACTIVE))
		return;
	h = conf_handle(&w, 0);
	conf_fill(in, sizeof(in), 12);
	is_int(ops->write_gpa(h, gpa, in, sizeof(in)), 0, "write_gpa");
	memset(out, 0, sizeof(out));
	is_int(conf_guest_read(&w, gpa, out, sizeof(out)), 0, "guest load");
	ok(!memcmp(in, out, sizeof(in)), "the guest sees the device's write");
	if (!c->target->guest_write) {
		conf_skip("guest stores seen by read_gpa",
			  "the target cannot make guest stores");
		conf_world_fini(&w);
		return;
	}
	conf_fill(in, sizeof(in), 13);
	is_int(conf_guest_write(&w, gpa + 3, in, sizeof(in)), 0,
	       "guest store");
	memset(out, 0, sizeof(out));
	is_int(ops->read_gpa(h, gpa + 3, out, sizeof(out)), 0, "read_gpa");
	ok(!memcmp(in, out, sizeof(in)), "the device sees the guest's store");
	conf_world_fini(&w);
}

/* The core's guest-memory calls reach the same memory as the ops. */
static void case_rw_core(struct mpt_conf *c)
{
	const struct mpt_backend_ops *ops = c->ops;
	u64 gpa = CONF_R2_GPA + 0x777;
	u8 in[40], out[40];
	struct conf_world w;
	void *h;

	if (conf_world_init(c, &w, 1, MPT_VDEV_ATTACHED))
		return;
	h = conf_handle(&w, 0);
	conf_fill(in, sizeof(in), 14);
	is_int(mpt_gpa_write(w.v[0], gpa, in, sizeof(in)), 0,
	       "mpt_gpa_write");
	memset(out, 0, sizeof(out));
	is_int(ops->read_gpa(h, gpa, out, sizeof(out)), 0, "read_gpa");
	ok(!memcmp(in, out, sizeof(in)), "read_gpa sees mpt_gpa_write");
	conf_fill(in, sizeof(in), 15);
	is_int(ops->write_gpa(h, gpa, in, sizeof(in)), 0, "write_gpa");
	memset(out, 0, sizeof(out));
	is_int(mpt_gpa_read(w.v[0], gpa, out, sizeof(out)), 0,
	       "mpt_gpa_read");
	ok(!memcmp(in, out, sizeof(in)), "mpt_gpa_read sees write_gpa");
	is_int(mpt_gpa_read(w.v[0], CONF_HOLE_GPA - 4, out, 8), -EFAULT,
	       "mpt_gpa_read passes the backend's -EFAULT on");
	is_int(mpt_gpa_write(w.v[0], CONF_HOLE_GPA, in, 8), -EFAULT,
	       "mpt_gpa_write passes the backend's -EFAULT on");
	conf_world_fini(&w);
}

const struct mpt_conf_case mpt_conf_cases_memory[] = {
	{ "read_gpa/write_gpa: round trip within a page", case_rw_page },
	{ "read_gpa/write_gpa: round trip across pages", case_rw_pages },
	{ "read_gpa/write_gpa: round trip across adjacent RAM regions",
	  case_rw_regions },
	{ "read_gpa/write_gpa: ranges including a hole are -EFAULT",
	  case_rw_hole },
	{ "read_gpa/write_gpa: zero length succeeds", case_rw_zero },
	{ "write_gpa and guest stores see each other", case_rw_views },
	{ "mpt_gpa_read/write reach the backend's memory", case_rw_core },
	{ NULL, NULL },
};
